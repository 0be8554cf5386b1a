/* vigie-history-queries.c — what the outage log tells: the transitions as
 * recorded, a service's timeline, its uptime, and the outages of a window
 * (contract in vigie-history.h).
 *
 * Only transitions are stored. Segments, outages and uptime are derived on
 * demand from the few rows that matter: the latest transition at or before
 * the window (the state then) and those after it. Transitions are rare — a
 * handful a day per service — so this stays cheap over years of log, and
 * nothing derived can disagree with what was recorded.
 */
#define G_LOG_DOMAIN "vigie-history"

#include "config.h"

#include "vigie-history-private.h"

/* A cached statement in use: reset and unbound when it goes out of scope, so
 * an early return never leaves a read transaction open. */
typedef sqlite3_stmt HistoryCursor;

static void
history_cursor_release (HistoryCursor *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HistoryCursor, history_cursor_release)

/* ---- enum <-> stored strings ------------------------------------------ */

/* The stored strings are the modules' own to_string() names; reading maps
 * them back by asking the same functions, so the two never drift apart.
 * A name this version doesn't know (a newer Vigie wrote it) reads as the
 * value that claims the least. */

static VigieState
state_from_string (const char *str)
{
  for (VigieState s = VIGIE_STATE_UNKNOWN; s <= VIGIE_STATE_DOWN; s++)
    if (g_strcmp0 (str, vigie_state_to_string (s)) == 0)
      return s;
  return VIGIE_STATE_UNKNOWN;
}

static VigieTransitionKind
kind_from_string (const char *str)
{
  for (VigieTransitionKind k = VIGIE_TRANSITION_STATE; k <= VIGIE_TRANSITION_FLAPPING_STOPPED; k++)
    if (g_strcmp0 (str, vigie_transition_kind_to_string (k)) == 0)
      return k;
  return VIGIE_TRANSITION_STATE;
}

static VigieOfficialLevel
official_from_string (const char *str)
{
  for (VigieOfficialLevel l = VIGIE_OFFICIAL_UNKNOWN; l <= VIGIE_OFFICIAL_MAJOR; l++)
    if (g_strcmp0 (str, vigie_official_level_to_string (l)) == 0)
      return l;
  return VIGIE_OFFICIAL_UNKNOWN;
}

static VigieLayer
layer_from_string (const char *str)
{
  VigieLayer layer = VIGIE_LAYER_OK;

  if (!vigie_layer_from_string (str, &layer))
    return VIGIE_LAYER_OK;
  return layer;
}

static gboolean
is_outage_state (VigieState state)
{
  return state == VIGIE_STATE_DOWN
         || state == VIGIE_STATE_DEGRADED
         || state == VIGIE_STATE_MAINTENANCE;
}

/* ---- reading ----------------------------------------------------------- */

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static VigieTransition *
transition_from_row (sqlite3_stmt *stmt)
{
  VigieTransition *t = vigie_transition_new ();

  t->service_id = column_dup (stmt, COL_SERVICE_ID);
  t->service_name = column_dup (stmt, COL_SERVICE_NAME);
  t->provider = column_dup (stmt, COL_PROVIDER);
  t->kind = kind_from_string ((const char *) sqlite3_column_text (stmt, COL_KIND));
  t->from = state_from_string ((const char *) sqlite3_column_text (stmt, COL_FROM));
  t->to = state_from_string ((const char *) sqlite3_column_text (stmt, COL_TO));
  t->at = sqlite3_column_int64 (stmt, COL_AT);
  t->since = sqlite3_column_int64 (stmt, COL_SINCE);
  t->layer = layer_from_string ((const char *) sqlite3_column_text (stmt, COL_LAYER));
  t->http_status = (guint) CLAMP (sqlite3_column_int64 (stmt, COL_HTTP_STATUS), 0, G_MAXUINT);
  t->official = official_from_string ((const char *) sqlite3_column_text (stmt, COL_OFFICIAL));
  t->reason = column_dup (stmt, COL_REASON);
  t->incident_title = column_dup (stmt, COL_INCIDENT_TITLE);
  t->incident_url = column_dup (stmt, COL_INCIDENT_URL);
  return t;
}

/**
 * vigie_history_transitions:
 * @self: a #VigieHistory
 * @service_id: (nullable): one service, or %NULL for all
 * @from_us: start, µs since the epoch (inclusive)
 * @to_us: end, µs since the epoch (inclusive)
 * @error: return location for a #VIGIE_HISTORY_ERROR
 *
 * The stored transitions in [@from_us, @to_us], oldest first, as recorded.
 *
 * Returns: (transfer full) (element-type VigieTransition) (nullable): the
 *   transitions, or %NULL with @error set
 */
GPtrArray *
vigie_history_transitions (VigieHistory  *self,
                           const char    *service_id,
                           gint64         from_us,
                           gint64         to_us,
                           GError       **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(HistoryCursor) stmt = NULL;
  int rc;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = history_get_stmt (self, STMT_RANGE, OP_READ, error);
  if (stmt == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, transition_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      history_set_sqlite_error (error, self->db, rc, self->path, OP_READ);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* Appends a stretch, merging it into the previous one when the state is the
 * same, and dropping it when empty (two transitions at the same µs). */
static void
segments_append (GArray     *segments,
                 VigieState  state,
                 gint64      start_us,
                 gint64      end_us)
{
  VigieSegment segment = { state, start_us, end_us };

  if (end_us <= start_us)
    return;
  if (segments->len > 0)
    {
      VigieSegment *last = &g_array_index (segments, VigieSegment, segments->len - 1);

      if (last->state == state && last->end_us == start_us)
        {
          last->end_us = end_us;
          return;
        }
    }
  g_array_append_val (segments, segment);
}

static gboolean
service_segments (VigieHistory  *self,
                  const char    *service_id,
                  gint64         from_us,
                  gint64         to_us,
                  GArray        *segments,
                  GError       **error)
{
  VigieState state = VIGIE_STATE_UNKNOWN;
  gint64 start_us = from_us;
  int rc;

  {
    g_autoptr(HistoryCursor) stmt = history_get_stmt (self, STMT_AT_OR_BEFORE, OP_READ, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, from_us);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      state = state_from_string ((const char *) sqlite3_column_text (stmt, COL_TO));
    else if (rc != SQLITE_DONE)
      goto failed;
  }

  {
    g_autoptr(HistoryCursor) stmt = history_get_stmt (self, STMT_AFTER, OP_READ, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, from_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 at_us = sqlite3_column_int64 (stmt, COL_AT);
        VigieState to = state_from_string ((const char *) sqlite3_column_text (stmt, COL_TO));

        if (at_us >= to_us)
          break;
        if (to == state)
          continue;
        segments_append (segments, state, start_us, at_us);
        state = to;
        start_us = at_us;
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      goto failed;
  }

  segments_append (segments, state, start_us, to_us);
  return TRUE;

failed:
  history_set_sqlite_error (error, self->db, rc, self->path, OP_READ);
  return FALSE;
}

/**
 * vigie_history_segments:
 * @self: a #VigieHistory
 * @service_id: the service
 * @from_us: start of the window, µs since the epoch
 * @to_us: end of the window (exclusive), normally now
 *
 * The service's timeline over the window: contiguous segments from
 * @from_us to @to_us, neighbours never in the same state,
 * %VIGIE_STATE_UNKNOWN where nothing is known (before its first
 * transition). The last known state is taken to last until @to_us.
 * If the log can't be read the whole window is UNKNOWN (and a warning
 * logged): a timeline has nothing better to draw.
 *
 * Returns: (transfer full) (element-type VigieSegment): the segments; empty
 *   when @to_us <= @from_us
 */
GArray *
vigie_history_segments (VigieHistory *self,
                        const char   *service_id,
                        gint64        from_us,
                        gint64        to_us)
{
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);

  segments = g_array_new (FALSE, FALSE, sizeof (VigieSegment));
  if (to_us <= from_us)
    return g_steal_pointer (&segments);

  if (!service_segments (self, service_id, from_us, to_us, segments, &error))
    {
      g_warning_once ("%s", error->message);
      g_array_set_size (segments, 0);
      segments_append (segments, VIGIE_STATE_UNKNOWN, from_us, to_us);
    }
  return g_steal_pointer (&segments);
}

/**
 * vigie_history_uptime:
 * @self: a #VigieHistory
 * @service_id: the service
 * @from_us: start of the window, µs since the epoch
 * @to_us: end of the window, normally now
 *
 * The share of the *known* time in the window during which the service was
 * up. Up means OPERATIONAL or MAINTENANCE: planned, announced work is not a
 * failure, as status pages count it; DEGRADED and DOWN are not up. Time
 * before the service's first transition (UNKNOWN) counts for nothing
 * either way.
 *
 * Returns: a fraction in [0, 1], or -1 when nothing is known in the window
 */
double
vigie_history_uptime (VigieHistory *self,
                      const char   *service_id,
                      gint64        from_us,
                      gint64        to_us)
{
  g_autoptr(GArray) segments = NULL;
  gint64 known = 0;
  gint64 up = 0;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), -1);
  g_return_val_if_fail (service_id != NULL, -1);

  segments = vigie_history_segments (self, service_id, from_us, to_us);
  for (guint i = 0; i < segments->len; i++)
    {
      const VigieSegment *segment = &g_array_index (segments, VigieSegment, i);
      gint64 length = segment->end_us - segment->start_us;

      if (segment->state == VIGIE_STATE_UNKNOWN)
        continue;
      known += length;
      if (segment->state == VIGIE_STATE_OPERATIONAL || segment->state == VIGIE_STATE_MAINTENANCE)
        up += length;
    }

  if (known == 0)
    return -1;
  return (double) up / (double) known;
}

/**
 * vigie_outage_free:
 * @outage: (nullable): an outage
 */
void
vigie_outage_free (VigieOutage *outage)
{
  if (outage == NULL)
    return;
  g_free (outage->service_id);
  g_free (outage->service_name);
  g_free (outage->provider);
  g_free (outage->reason);
  g_free (outage->incident_title);
  g_free (outage->incident_url);
  g_free (outage);
}

/* Turns one service's transitions, oldest first, into outages. */
typedef struct
{
  GPtrArray *outages;
  gint64 since_us;
  gint64 until_us;
  VigieState state;
  VigieOutage *current;
} RunBuilder;

static void
runs_close (RunBuilder *runs,
            gint64      end_us)
{
  VigieOutage *outage = g_steal_pointer (&runs->current);

  if (outage == NULL)
    return;
  outage->end_us = end_us;
  /* Overlaps the window: began by its end, and still going at its start. */
  if (outage->start_us <= runs->until_us && (end_us == 0 || end_us > runs->since_us))
    g_ptr_array_add (runs->outages, outage);
  else
    vigie_outage_free (outage);
}

static void
runs_feed (RunBuilder            *runs,
           const VigieTransition *t)
{
  VigieOutage *outage = runs->current;

  if (t->to == runs->state)
    {
      /* Same state (a flapping episode ending where it began): the outage
       * goes on. The official word often comes after our own detection. */
      if (outage != NULL && outage->incident_title == NULL && t->incident_title != NULL)
        {
          outage->incident_title = g_strdup (t->incident_title);
          outage->incident_url = g_strdup (t->incident_url);
        }
      return;
    }

  runs_close (runs, t->at);
  runs->state = t->to;
  if (!is_outage_state (t->to))
    return;

  outage = g_new0 (VigieOutage, 1);
  outage->service_id = g_strdup (t->service_id);
  outage->service_name = g_strdup (t->service_name);
  outage->provider = g_strdup (t->provider);
  outage->state = t->to;
  outage->start_us = t->at;
  outage->layer = t->layer;
  outage->reason = g_strdup (t->reason);
  outage->incident_title = g_strdup (t->incident_title);
  outage->incident_url = g_strdup (t->incident_url);
  runs->current = outage;
}

static gboolean
service_outages (VigieHistory  *self,
                 const char    *service_id,
                 RunBuilder    *runs,
                 GError       **error)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  gboolean past_window = FALSE;
  int rc;

  runs->state = VIGIE_STATE_UNKNOWN;
  runs->current = NULL;

  /* Backwards from the window's start, to the first transition of the run
   * the service was in then: an outage that began before the window is
   * listed with its real start. */
  {
    g_autoptr(HistoryCursor) stmt = history_get_stmt (self, STMT_AT_OR_BEFORE, OP_READ, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, runs->since_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        VigieTransition *t = transition_from_row (stmt);
        const VigieTransition *newest = before->len > 0 ? g_ptr_array_index (before, 0) : NULL;

        if (newest != NULL && t->to != newest->to)
          {
            vigie_transition_free (t);
            break;
          }
        g_ptr_array_add (before, t);
        if (!is_outage_state (t->to))
          break;
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      goto failed;
  }
  for (guint i = before->len; i > 0; i--)
    runs_feed (runs, g_ptr_array_index (before, i - 1));

  /* Forwards, until the first change after the window's end: it closes the
   * outage in progress there, and nothing later can overlap. */
  {
    g_autoptr(HistoryCursor) stmt = history_get_stmt (self, STMT_AFTER, OP_READ, error);

    if (stmt == NULL)
      goto cleanup;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, runs->since_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_autoptr(VigieTransition) t = transition_from_row (stmt);
        gboolean changes = t->to != runs->state;

        runs_feed (runs, t);
        if (changes && t->at > runs->until_us)
          {
            past_window = TRUE;
            break;
          }
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      goto failed;
  }

  if (past_window)
    g_clear_pointer (&runs->current, vigie_outage_free);  /* began after the window */
  else
    runs_close (runs, 0);  /* still going */
  return TRUE;

failed:
  history_set_sqlite_error (error, self->db, rc, self->path, OP_READ);
cleanup:
  g_clear_pointer (&runs->current, vigie_outage_free);
  return FALSE;
}

static int
outage_compare_newest_first (gconstpointer a,
                             gconstpointer b)
{
  const VigieOutage *x = *(const VigieOutage *const *) a;
  const VigieOutage *y = *(const VigieOutage *const *) b;

  if (x->start_us != y->start_us)
    return x->start_us > y->start_us ? -1 : 1;
  return g_strcmp0 (x->service_id, y->service_id);
}

/**
 * vigie_history_outages:
 * @self: a #VigieHistory
 * @since_us: start of the window, µs since the epoch
 * @until_us: end of the window, normally now
 * @error: return location for a #VIGIE_HISTORY_ERROR
 *
 * Every non-operational period (down, degraded, maintenance) of every
 * service that overlaps the window: it began at or before @until_us and
 * was still going after @since_us. A run of one state is one outage, so
 * degraded then down is two. An outage that began before the window keeps
 * its real start. Ongoing ones have an @end_us of 0. Sorted newest start
 * first, then by service id.
 *
 * Returns: (transfer full) (element-type VigieOutage) (nullable): the
 *   outages, or %NULL with @error set
 */
GPtrArray *
vigie_history_outages (VigieHistory  *self,
                       gint64         since_us,
                       gint64         until_us,
                       GError       **error)
{
  g_autoptr(GPtrArray) outages = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  RunBuilder runs = { 0 };
  int rc;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The ids first: the per-service queries below can't run inside this one
   * (they reuse their own cached statements, but not this cursor's). */
  {
    g_autoptr(HistoryCursor) stmt = history_get_stmt (self, STMT_SERVICES, OP_READ, error);

    if (stmt == NULL)
      return NULL;
    ids = g_ptr_array_new_with_free_func (g_free);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, column_dup (stmt, 0));
    if (rc != SQLITE_DONE)
      {
        history_set_sqlite_error (error, self->db, rc, self->path, OP_READ);
        return NULL;
      }
  }

  outages = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_outage_free);
  runs.outages = outages;
  runs.since_us = since_us;
  runs.until_us = until_us;
  for (guint i = 0; i < ids->len; i++)
    if (!service_outages (self, g_ptr_array_index (ids, i), &runs, error))
      return NULL;

  g_ptr_array_sort (outages, outage_compare_newest_first);
  return g_steal_pointer (&outages);
}
