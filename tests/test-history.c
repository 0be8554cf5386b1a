/* test-history.c — the outage log: what goes in comes out, one transaction
 * per round, timelines and uptime, outages (4 October 2021), --since, CSV
 * and JSON, and a log that survives damage, full disks and newer versions.
 *
 * Every test works in its own g_dir_make_tmp() folder. TZ is Europe/Paris
 * (set before any time call) so local times and offsets are fixed.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "vigie-history.h"

#define USEC ((gint64) G_USEC_PER_SEC)
#define HOUR ((gint64) 3600 * USEC)
/* 2021-10-04T00:00:00Z, the day Facebook's DNS went away. */
#define DAY0 ((gint64) 1633305600 * USEC)
/* Hours and minutes of that day, UTC (negative hours are the day before). */
#define T(h, m) (DAY0 + ((gint64) (h) * 3600 + (gint64) (m) * 60) * USEC)

/* ---- helpers ----------------------------------------------------------- */

typedef struct
{
  char *dir;
  char *path;
  VigieHistory *history;
} Fixture;

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-history-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that doesn't exist yet: open() must create it. */
  f->path = g_build_filename (f->dir, "vigie", "history.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->history);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
open_ok (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->history);
  f->history = vigie_history_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->history);
}

static void
write_file (const char   *path,
            const guint8 *data,
            gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* The database header's user_version (offset 60, big-endian). */
static guint32
file_user_version (const char *path)
{
  g_autoptr(GBytes) bytes = read_bytes (path);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (len, >=, 100);
  return read_be32 (data + 60);
}

/* Counts the committed transactions in the WAL file: the last frame of each
 * transaction has a non-zero "database size after commit" (WAL format,
 * https://www.sqlite.org/fileformat.html#wal_file_format). Frames whose
 * salts differ from the header's are leftovers of an earlier cycle. */
static guint
wal_commits (const char *db_path)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len;
  guint32 page_size;
  guint commits = 0;

  if (!g_file_test (wal, G_FILE_TEST_EXISTS))
    return 0;
  bytes = read_bytes (wal);
  data = g_bytes_get_data (bytes, &len);
  if (len < 32)
    return 0;
  page_size = read_be32 (data + 8);
  g_assert_cmpuint (page_size, >=, 512);
  for (gsize off = 32; off + 24 + page_size <= len; off += 24 + page_size)
    {
      if (memcmp (data + off + 8, data + 16, 8) != 0)
        break;
      if (read_be32 (data + off + 4) != 0)
        commits++;
    }
  return commits;
}

static GPtrArray *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  return names;
}

typedef struct
{
  const char *id;
  const char *name;
  const char *provider;
} Known;

static const Known known_services[] = {
  { "facebook", "Facebook", "Meta" },
  { "instagram", "Instagram", "Meta" },
  { "whatsapp", "WhatsApp", "Meta" },
  { "messenger", "Messenger", "Meta" },
  { "slack", "Slack", "Slack" },
  { "zoom", "Zoom", "Zoom" },
};

static VigieTransition *
transition (VigieTransitionKind kind,
            const char         *service_id,
            VigieState          from,
            VigieState          to,
            gint64              at_us)
{
  VigieTransition *t = vigie_transition_new ();

  t->kind = kind;
  t->service_id = g_strdup (service_id);
  for (guint i = 0; i < G_N_ELEMENTS (known_services); i++)
    if (g_str_equal (known_services[i].id, service_id))
      {
        t->service_name = g_strdup (known_services[i].name);
        t->provider = g_strdup (known_services[i].provider);
      }
  t->from = from;
  t->to = to;
  t->at = at_us;
  t->since = at_us - HOUR;
  t->layer = to == VIGIE_STATE_DOWN ? VIGIE_LAYER_DNS : VIGIE_LAYER_OK;
  t->official = VIGIE_OFFICIAL_OPERATIONAL;
  t->reason = g_strdup_printf ("%s is %s", service_id, vigie_state_to_string (to));
  return t;
}

static VigieTransition *
state_change (const char *service_id,
              VigieState  from,
              VigieState  to,
              gint64      at_us)
{
  return transition (VIGIE_TRANSITION_STATE, service_id, from, to, at_us);
}

/* Records the NULL-terminated transitions as one round, expecting success. */
static void
record (Fixture *f,
        ...)
{
  g_autoptr(GPtrArray) round = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  g_autoptr(GError) error = NULL;
  VigieTransition *t;
  va_list args;

  va_start (args, f);
  while ((t = va_arg (args, VigieTransition *)) != NULL)
    g_ptr_array_add (round, t);
  va_end (args);

  g_assert_true (vigie_history_record (f->history, round, &error));
  g_assert_no_error (error);
}

static GPtrArray *
all_transitions (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = vigie_history_transitions (f->history, NULL, G_MININT64, G_MAXINT64, &error);

  g_assert_no_error (error);
  g_assert_nonnull (all);
  return all;
}

static void
assert_transition_equal (const VigieTransition *a,
                         const VigieTransition *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->service_id, ==, b->service_id);
  g_assert_cmpstr (a->service_name, ==, b->service_name);
  g_assert_cmpstr (a->provider, ==, b->provider);
  g_assert_cmpint (a->from, ==, b->from);
  g_assert_cmpint (a->to, ==, b->to);
  g_assert_cmpint (a->at, ==, b->at);
  g_assert_cmpint (a->since, ==, b->since);
  g_assert_cmpint (a->layer, ==, b->layer);
  g_assert_cmpuint (a->http_status, ==, b->http_status);
  g_assert_cmpint (a->official, ==, b->official);
  g_assert_cmpstr (a->reason, ==, b->reason);
  g_assert_cmpstr (a->incident_title, ==, b->incident_title);
  g_assert_cmpstr (a->incident_url, ==, b->incident_url);
}

/* ---- opening ----------------------------------------------------------- */

static void
test_default_path (void)
{
  g_autofree char *path = vigie_history_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_state_dir (), "vigie", "history.db",
                                                NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_open_creates (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *notice = NULL;
  GStatBuf st;

  open_ok (f);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  /* journal_mode=WAL: the -wal file lives beside the open database. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (vigie_history_get_path (f->history), ==, f->path);
  notice = vigie_history_take_notice (f->history);
  g_assert_null (notice);
  g_assert_false (vigie_history_is_failing (f->history));
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, 0);

  g_clear_object (&f->history);
  g_assert_cmpuint (file_user_version (f->path), ==, VIGIE_HISTORY_SCHEMA_VERSION);
}

/* ---- recording --------------------------------------------------------- */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) round = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) slack = NULL;
  g_autoptr(GPtrArray) at_1539 = NULL;
  g_autoptr(GError) error = NULL;
  VigieTransition *t;

  open_ok (f);

  /* Every state, every kind, every official level, several layers, NULLs
   * and non-ASCII text. */
  t = state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (12, 0));
  t->since = T (11, 59);
  t->http_status = 200;
  t->official = VIGIE_OFFICIAL_UNKNOWN;
  g_clear_pointer (&t->reason, g_free);
  g_ptr_array_add (round, t);

  t = state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39));
  t->since = T (12, 0);
  t->layer = VIGIE_LAYER_DNS;
  t->official = VIGIE_OFFICIAL_MAJOR;
  g_free (t->reason);
  t->reason = g_strdup ("facebook.com : résolution du nom impossible ; «NXDOMAIN» 日本");
  t->incident_title = g_strdup ("We're aware that some people are having trouble");
  t->incident_url = g_strdup ("https://metastatus.com/incidents/1");
  g_ptr_array_add (round, t);

  t = transition (VIGIE_TRANSITION_FLAPPING_STARTED, "slack", VIGIE_STATE_OPERATIONAL,
                  VIGIE_STATE_DEGRADED, T (16, 0));
  t->layer = VIGIE_LAYER_HTTP;
  t->http_status = 503;
  t->official = VIGIE_OFFICIAL_MINOR;
  g_ptr_array_add (round, t);

  t = transition (VIGIE_TRANSITION_FLAPPING_STOPPED, "slack", VIGIE_STATE_DEGRADED,
                  VIGIE_STATE_MAINTENANCE, T (17, 0));
  t->layer = VIGIE_LAYER_CONTENT;
  t->http_status = 404;
  t->official = VIGIE_OFFICIAL_MAINTENANCE;
  t->since = 0;
  g_ptr_array_add (round, t);

  t = state_change ("custom", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_UNKNOWN, T (18, 0));
  t->layer = VIGIE_LAYER_TIMEOUT;
  t->official = VIGIE_OFFICIAL_OPERATIONAL;
  g_ptr_array_add (round, t);

  g_assert_true (vigie_history_record (f->history, round, &error));
  g_assert_no_error (error);

  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, round->len);
  for (guint i = 0; i < round->len; i++)
    assert_transition_equal (g_ptr_array_index (stored, i), g_ptr_array_index (round, i));

  slack = vigie_history_transitions (f->history, "slack", G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (slack->len, ==, 2);
  assert_transition_equal (g_ptr_array_index (slack, 0), g_ptr_array_index (round, 2));

  at_1539 = vigie_history_transitions (f->history, NULL, T (15, 39), T (15, 39), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_1539->len, ==, 1);
  assert_transition_equal (g_ptr_array_index (at_1539, 0), g_ptr_array_index (round, 1));

  /* And it is on disk, not only in a cache. */
  open_ok (f);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, round->len);
  for (guint i = 0; i < round->len; i++)
    assert_transition_equal (g_ptr_array_index (stored, i), g_ptr_array_index (round, i));
}

static void
test_one_transaction (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) stored = NULL;
  guint before;

  open_ok (f);
  before = wal_commits (f->path);

  record (f,
          state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          state_change ("instagram", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          state_change ("whatsapp", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          state_change ("messenger", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);
  g_assert_cmpuint (wal_commits (f->path), ==, before + 1);

  record (f,
          state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39)),
          state_change ("instagram", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39)),
          NULL);
  g_assert_cmpuint (wal_commits (f->path), ==, before + 2);

  /* Nothing to write: no transaction at all. */
  record (f, NULL);
  g_assert_true (vigie_history_record (f->history, NULL, NULL));
  g_assert_cmpuint (wal_commits (f->path), ==, before + 2);

  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 6);
}

/* ---- timelines and uptime ---------------------------------------------- */

static void
assert_contiguous (GArray *segments,
                   gint64  from_us,
                   gint64  to_us)
{
  g_assert_cmpuint (segments->len, >, 0);
  g_assert_cmpint (g_array_index (segments, VigieSegment, 0).start_us, ==, from_us);
  g_assert_cmpint (g_array_index (segments, VigieSegment, segments->len - 1).end_us, ==, to_us);
  for (guint i = 0; i < segments->len; i++)
    {
      const VigieSegment *s = &g_array_index (segments, VigieSegment, i);

      g_assert_cmpint (s->end_us, >, s->start_us);
      if (i + 1 < segments->len)
        {
          const VigieSegment *next = &g_array_index (segments, VigieSegment, i + 1);

          g_assert_cmpint (s->end_us, ==, next->start_us);
          g_assert_cmpint (s->state, !=, next->state);
        }
    }
}

static void
assert_segment (GArray     *segments,
                guint       index,
                VigieState  state,
                gint64      start_us,
                gint64      end_us)
{
  const VigieSegment *s;

  g_assert_cmpuint (index, <, segments->len);
  s = &g_array_index (segments, VigieSegment, index);
  g_assert_cmpstr (vigie_state_to_string (s->state), ==, vigie_state_to_string (state));
  g_assert_cmpint (s->start_us, ==, start_us);
  g_assert_cmpint (s->end_us, ==, end_us);
}

static void
test_segments (Fixture       *f,
               gconstpointer  data)
{
  GArray *s;

  open_ok (f);
  record (f,
          state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (12, 0)),
          state_change ("slack", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (10, 0)),
          NULL);
  record (f, state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39)),
          transition (VIGIE_TRANSITION_FLAPPING_STARTED, "slack", VIGIE_STATE_OPERATIONAL,
                      VIGIE_STATE_DEGRADED, T (11, 0)),
          NULL);
  /* Flapping that settles where it began changes nothing... */
  record (f, transition (VIGIE_TRANSITION_FLAPPING_STOPPED, "facebook", VIGIE_STATE_DOWN,
                         VIGIE_STATE_DOWN, T (18, 0)),
          /* ...one that settles elsewhere says where the service is now. */
          transition (VIGIE_TRANSITION_FLAPPING_STOPPED, "slack", VIGIE_STATE_DEGRADED,
                      VIGIE_STATE_DOWN, T (13, 0)),
          NULL);
  record (f, state_change ("facebook", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (21, 45)),
          NULL);

  /* The whole day: unknown before the first record. */
  s = vigie_history_segments (f->history, "facebook", T (0, 0), T (24, 0));
  assert_contiguous (s, T (0, 0), T (24, 0));
  g_assert_cmpuint (s->len, ==, 4);
  assert_segment (s, 0, VIGIE_STATE_UNKNOWN, T (0, 0), T (12, 0));
  assert_segment (s, 1, VIGIE_STATE_OPERATIONAL, T (12, 0), T (15, 39));
  assert_segment (s, 2, VIGIE_STATE_DOWN, T (15, 39), T (21, 45));
  assert_segment (s, 3, VIGIE_STATE_OPERATIONAL, T (21, 45), T (24, 0));
  g_array_unref (s);

  /* Clipped at both ends. */
  s = vigie_history_segments (f->history, "facebook", T (13, 0), T (16, 0));
  assert_contiguous (s, T (13, 0), T (16, 0));
  g_assert_cmpuint (s->len, ==, 2);
  assert_segment (s, 0, VIGIE_STATE_OPERATIONAL, T (13, 0), T (15, 39));
  assert_segment (s, 1, VIGIE_STATE_DOWN, T (15, 39), T (16, 0));
  g_array_unref (s);

  /* Starting exactly on a transition, and inside one state. */
  s = vigie_history_segments (f->history, "facebook", T (15, 39), T (17, 0));
  g_assert_cmpuint (s->len, ==, 1);
  assert_segment (s, 0, VIGIE_STATE_DOWN, T (15, 39), T (17, 0));
  g_array_unref (s);

  /* Wholly before the first record, and a service never seen. */
  s = vigie_history_segments (f->history, "facebook", T (1, 0), T (2, 0));
  g_assert_cmpuint (s->len, ==, 1);
  assert_segment (s, 0, VIGIE_STATE_UNKNOWN, T (1, 0), T (2, 0));
  g_array_unref (s);
  s = vigie_history_segments (f->history, "notion", T (0, 0), T (24, 0));
  g_assert_cmpuint (s->len, ==, 1);
  assert_segment (s, 0, VIGIE_STATE_UNKNOWN, T (0, 0), T (24, 0));
  g_array_unref (s);

  /* Empty window. */
  s = vigie_history_segments (f->history, "facebook", T (5, 0), T (5, 0));
  g_assert_cmpuint (s->len, ==, 0);
  g_array_unref (s);

  /* Flapping: the state is the latest transition's `to`, whatever its kind. */
  s = vigie_history_segments (f->history, "slack", T (0, 0), T (24, 0));
  assert_contiguous (s, T (0, 0), T (24, 0));
  g_assert_cmpuint (s->len, ==, 4);
  assert_segment (s, 0, VIGIE_STATE_UNKNOWN, T (0, 0), T (10, 0));
  assert_segment (s, 1, VIGIE_STATE_OPERATIONAL, T (10, 0), T (11, 0));
  assert_segment (s, 2, VIGIE_STATE_DEGRADED, T (11, 0), T (13, 0));
  assert_segment (s, 3, VIGIE_STATE_DOWN, T (13, 0), T (24, 0));
  g_array_unref (s);
}

static void
test_uptime (Fixture       *f,
             gconstpointer  data)
{
  open_ok (f);
  record (f,
          state_change ("a", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (0, 0)),
          state_change ("b", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (12, 0)),
          state_change ("maint", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (0, 0)),
          state_change ("degr", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (0, 0)),
          state_change ("gap", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (0, 0)),
          NULL);
  record (f,
          state_change ("a", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (6, 0)),
          state_change ("maint", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_MAINTENANCE, T (12, 0)),
          state_change ("degr", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DEGRADED, T (18, 0)),
          state_change ("gap", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (6, 0)),
          NULL);
  record (f,
          state_change ("a", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (12, 0)),
          state_change ("b", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (18, 0)),
          state_change ("gap", VIGIE_STATE_DOWN, VIGIE_STATE_UNKNOWN, T (12, 0)),
          NULL);
  record (f, state_change ("b", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (21, 0)), NULL);

  /* Down 6 h of 24. */
  g_assert_cmpfloat (vigie_history_uptime (f->history, "a", T (0, 0), T (24, 0)), ==, 0.75);
  g_assert_cmpfloat (vigie_history_uptime (f->history, "a", T (6, 0), T (12, 0)), ==, 0.0);
  g_assert_cmpfloat (vigie_history_uptime (f->history, "a", T (12, 0), T (24, 0)), ==, 1.0);
  /* Nothing known: never seen, or a window before the first record. */
  g_assert_cmpfloat (vigie_history_uptime (f->history, "never", T (0, 0), T (24, 0)), ==, -1);
  g_assert_cmpfloat (vigie_history_uptime (f->history, "b", T (0, 0), T (12, 0)), ==, -1);
  /* Half the window before the first record: only the known 12 h count,
   * 3 of them down. */
  g_assert_cmpfloat (vigie_history_uptime (f->history, "b", T (0, 0), T (24, 0)), ==, 0.75);
  /* Maintenance is up; degraded is not. */
  g_assert_cmpfloat (vigie_history_uptime (f->history, "maint", T (0, 0), T (24, 0)), ==, 1.0);
  g_assert_cmpfloat (vigie_history_uptime (f->history, "degr", T (0, 0), T (24, 0)), ==, 0.75);
  /* Unknown after a known stretch counts for nothing either way. */
  g_assert_cmpfloat (vigie_history_uptime (f->history, "gap", T (0, 0), T (24, 0)), ==, 0.5);
}

/* ---- outages ----------------------------------------------------------- */

static const VigieOutage *
outage_at (GPtrArray *outages,
           guint      index)
{
  g_assert_cmpuint (index, <, outages->len);
  return g_ptr_array_index (outages, index);
}

static void
record_2021 (Fixture *f)
{
  static const char *const meta[] = { "facebook", "instagram", "whatsapp", "messenger" };
  VigieTransition *t;

  /* Wholly before the window (the day before). */
  record (f, state_change ("notion", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (-40, 0)),
          NULL);
  record (f, state_change ("notion", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (-30, 0)), NULL);
  record (f, state_change ("notion", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (-20, 0)), NULL);
  /* Began before the window, ended inside it. */
  record (f, state_change ("google-workspace", VIGIE_STATE_UNKNOWN, VIGIE_STATE_MAINTENANCE,
                           T (-2, 0)), NULL);
  record (f, state_change ("google-workspace", VIGIE_STATE_MAINTENANCE, VIGIE_STATE_OPERATIONAL,
                           T (1, 0)), NULL);
  /* Degraded then back, early in the day. */
  record (f, state_change ("slack", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (1, 0)), NULL);
  record (f, state_change ("slack", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DEGRADED, T (3, 0)), NULL);
  record (f, state_change ("slack", VIGIE_STATE_DEGRADED, VIGIE_STATE_OPERATIONAL, T (4, 0)), NULL);

  /* 4 October 2021: DNS for facebook.com fails at 15:39 UTC, everything Meta
   * is back around 21:45. All four in the same rounds. */
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    record (f, state_change (meta[i], VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
            NULL);
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      t = state_change (meta[i], VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39));
      g_free (t->reason);
      t->reason = g_strdup_printf ("%s.com: name lookup failed", meta[i]);
      record (f, t, NULL);
    }
  /* The official word came later, during a flapping episode. */
  t = transition (VIGIE_TRANSITION_FLAPPING_STOPPED, "facebook", VIGIE_STATE_DOWN,
                  VIGIE_STATE_DOWN, T (16, 10));
  t->incident_title = g_strdup ("We're aware that some people are having trouble");
  t->incident_url = g_strdup ("https://metastatus.com/");
  record (f, t, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    record (f, state_change (meta[i], VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (21, 45)),
            NULL);

  /* Still down. */
  record (f, state_change ("zoom", VIGIE_STATE_UNKNOWN, VIGIE_STATE_DOWN, T (23, 0)), NULL);
  /* After the window. */
  record (f, state_change ("teams", VIGIE_STATE_UNKNOWN, VIGIE_STATE_DOWN, T (25, 0)), NULL);
}

static void
test_outages_2021 (Fixture       *f,
                   gconstpointer  data)
{
  static const char *const meta_sorted[] = { "facebook", "instagram", "messenger", "whatsapp" };
  g_autoptr(GPtrArray) outages = NULL;
  g_autoptr(GError) error = NULL;
  const VigieOutage *o;

  open_ok (f);
  record_2021 (f);

  outages = vigie_history_outages (f->history, T (0, 0), T (24, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outages->len, ==, 7);

  o = outage_at (outages, 0);
  g_assert_cmpstr (o->service_id, ==, "zoom");
  g_assert_cmpint (o->state, ==, VIGIE_STATE_DOWN);
  g_assert_cmpint (o->start_us, ==, T (23, 0));
  g_assert_cmpint (o->end_us, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (meta_sorted); i++)
    {
      g_autofree char *reason = g_strdup_printf ("%s.com: name lookup failed", meta_sorted[i]);

      o = outage_at (outages, 1 + i);
      g_assert_cmpstr (o->service_id, ==, meta_sorted[i]);
      g_assert_cmpstr (o->provider, ==, "Meta");
      g_assert_nonnull (o->service_name);
      g_assert_cmpint (o->state, ==, VIGIE_STATE_DOWN);
      g_assert_cmpint (o->start_us, ==, T (15, 39));
      g_assert_cmpint (o->end_us, ==, T (21, 45));
      g_assert_cmpint ((o->end_us - o->start_us) / USEC, ==, 6 * 3600 + 6 * 60);
      g_assert_cmpint (o->layer, ==, VIGIE_LAYER_DNS);
      g_assert_cmpstr (o->reason, ==, reason);
    }
  o = outage_at (outages, 1);
  g_assert_cmpstr (o->service_name, ==, "Facebook");
  g_assert_cmpstr (o->incident_title, ==, "We're aware that some people are having trouble");
  g_assert_cmpstr (o->incident_url, ==, "https://metastatus.com/");
  g_assert_null (outage_at (outages, 2)->incident_title);

  o = outage_at (outages, 5);
  g_assert_cmpstr (o->service_id, ==, "slack");
  g_assert_cmpint (o->state, ==, VIGIE_STATE_DEGRADED);
  g_assert_cmpint (o->start_us, ==, T (3, 0));
  g_assert_cmpint (o->end_us, ==, T (4, 0));

  /* Began the day before: listed with its real start. */
  o = outage_at (outages, 6);
  g_assert_cmpstr (o->service_id, ==, "google-workspace");
  g_assert_cmpint (o->state, ==, VIGIE_STATE_MAINTENANCE);
  g_assert_cmpint (o->start_us, ==, T (-2, 0));
  g_assert_cmpint (o->end_us, ==, T (1, 0));
  g_clear_pointer (&outages, g_ptr_array_unref);

  /* A window inside the Meta outage: the four, with their real ends. */
  outages = vigie_history_outages (f->history, T (16, 0), T (17, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outages->len, ==, 4);
  for (guint i = 0; i < outages->len; i++)
    {
      g_assert_cmpstr (outage_at (outages, i)->service_id, ==, meta_sorted[i]);
      g_assert_cmpint (outage_at (outages, i)->end_us, ==, T (21, 45));
    }
  g_clear_pointer (&outages, g_ptr_array_unref);

  /* After facebook's mid-outage flapping row: still its real start, and
   * the incident it brought. */
  outages = vigie_history_outages (f->history, T (17, 0), T (18, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outages->len, ==, 4);
  o = outage_at (outages, 0);
  g_assert_cmpstr (o->service_id, ==, "facebook");
  g_assert_cmpint (o->start_us, ==, T (15, 39));
  g_assert_cmpstr (o->reason, ==, "facebook.com: name lookup failed");
  g_assert_cmpstr (o->incident_title, ==, "We're aware that some people are having trouble");
  g_clear_pointer (&outages, g_ptr_array_unref);

  /* An outage that ended exactly when the window starts is not in it. */
  outages = vigie_history_outages (f->history, T (21, 45), T (24, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outages->len, ==, 1);
  g_assert_cmpstr (outage_at (outages, 0)->service_id, ==, "zoom");
  g_clear_pointer (&outages, g_ptr_array_unref);

  /* The day after: zoom still going, teams began. */
  outages = vigie_history_outages (f->history, T (24, 0), T (48, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outages->len, ==, 2);
  g_assert_cmpstr (outage_at (outages, 0)->service_id, ==, "teams");
  g_assert_cmpint (outage_at (outages, 0)->end_us, ==, 0);
  g_assert_cmpstr (outage_at (outages, 1)->service_id, ==, "zoom");
  g_assert_cmpint (outage_at (outages, 1)->start_us, ==, T (23, 0));
}

/* ---- --since ----------------------------------------------------------- */

static void
assert_since (const char *text,
              gint64      now_us,
              gint64      expected_us)
{
  g_autoptr(GError) error = NULL;
  gint64 since = 0;

  g_test_message ("parsing “%s”", text);
  g_assert_true (vigie_history_parse_since (text, now_us, &since, &error));
  g_assert_no_error (error);
  g_assert_cmpint (since, ==, expected_us);
}

static void
assert_since_fails (const char *text,
                    gint64      now_us)
{
  g_autoptr(GError) error = NULL;
  gint64 since = 42;

  g_test_message ("parsing “%s”", text);
  g_assert_false (vigie_history_parse_since (text, now_us, &since, &error));
  g_assert_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_INVALID_TIME);
  g_assert_nonnull (strstr (error->message, text));
  g_assert_cmpint (since, ==, 42);
}

static void
test_parse_since (void)
{
  gint64 now = T (12, 0);

  assert_since ("24h", now, now - 24 * HOUR);
  assert_since ("7d", now, now - 7 * 24 * HOUR);
  assert_since ("30d", now, now - 30 * 24 * HOUR);
  assert_since ("90m", now, now - 90 * 60 * USEC);
  assert_since ("2w", now, now - 14 * 24 * HOUR);
  assert_since (" 24H ", now, now - 24 * HOUR);
  assert_since ("0h", now, now);
  /* A date is local midnight: Paris is UTC+2 in October. */
  assert_since ("2021-10-04", now, T (-2, 0));
  assert_since ("2021-01-15", now, (gint64) 1610665200 * USEC);  /* UTC+1 in winter */
  assert_since ("2021-10-04T17:39:00+02:00", T (20, 0), T (15, 39));
  assert_since ("2021-10-04T15:39:00Z", T (20, 0), T (15, 39));
  assert_since ("2021-10-04T11:39:00", now, T (9, 39));  /* local */
  assert_since ("2021-10-04 11:39:00", now, T (9, 39));
  assert_since ("2021-10-04T12:00:00Z", now, now);

  assert_since_fails ("", now);
  assert_since_fails ("yesterday", now);
  assert_since_fails ("24", now);
  assert_since_fails ("h", now);
  assert_since_fails ("-24h", now);
  assert_since_fails ("+24h", now);
  assert_since_fails ("24x", now);
  assert_since_fails ("24 h", now);
  assert_since_fails ("99999999999999999999d", now);
  assert_since_fails ("100000d", now);  /* before 1970 */
  assert_since_fails ("2021-02-30", now);
  assert_since_fails ("2021-13-01", now);
  assert_since_fails ("2021-10-4", now);
  assert_since_fails ("2021-10-05", now);  /* the future */
  assert_since_fails ("2021-10-04T12:00:01Z", now);
  assert_since_fails ("2021-10-04T25:00:00", now);
}

/* ---- export ------------------------------------------------------------ */

static VigieOutage *
outage_new (const char *service_id,
            const char *name,
            const char *provider,
            VigieState  state,
            gint64      start_us,
            gint64      end_us,
            VigieLayer  layer,
            const char *reason,
            const char *title,
            const char *url)
{
  VigieOutage *o = g_new0 (VigieOutage, 1);

  o->service_id = g_strdup (service_id);
  o->service_name = g_strdup (name);
  o->provider = g_strdup (provider);
  o->state = state;
  o->start_us = start_us;
  o->end_us = end_us;
  o->layer = layer;
  o->reason = g_strdup (reason);
  o->incident_title = g_strdup (title);
  o->incident_url = g_strdup (url);
  return o;
}

#define TRICKY_REASON "facebook.com: name lookup failed, \"NXDOMAIN\"\nretrying"

static GPtrArray *
sample_outages (void)
{
  GPtrArray *outages = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_outage_free);

  g_ptr_array_add (outages, outage_new ("zoom", "Zoom", "Zoom", VIGIE_STATE_DEGRADED, T (23, 0),
                                        0, VIGIE_LAYER_HTTP, NULL,
                                        "Some users, in \"EU\"", NULL));
  g_ptr_array_add (outages, outage_new ("facebook", "Facebook", "Meta", VIGIE_STATE_DOWN,
                                        T (15, 39), T (21, 45), VIGIE_LAYER_DNS, TRICKY_REASON,
                                        "We're aware that some people are having trouble",
                                        "https://metastatus.com/"));
  /* Winter: UTC+1. Control character and backslash for JSON. */
  g_ptr_array_add (outages, outage_new ("slack", "Slack", "Slack", VIGIE_STATE_MAINTENANCE,
                                        (gint64) 1610704800 * USEC, (gint64) 1610708400 * USEC,
                                        VIGIE_LAYER_OK, "C:\\path\tand\x01 bell\r",
                                        NULL, NULL));
  return outages;
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) outages = sample_outages ();
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *csv = vigie_history_format_csv (outages, T (23, 30));
  g_autofree char *empty = vigie_history_format_csv (none, T (23, 30));
  const char *expected =
    "service_id,service,provider,state,start,end,duration_seconds,layer,reason,"
    "official_incident,incident_url\r\n"
    "zoom,Zoom,Zoom,degraded,2021-10-05T01:00:00+02:00,,1800,http,,"
    "\"Some users, in \"\"EU\"\"\",\r\n"
    "facebook,Facebook,Meta,down,2021-10-04T17:39:00+02:00,2021-10-04T23:45:00+02:00,21960,dns,"
    "\"facebook.com: name lookup failed, \"\"NXDOMAIN\"\"\nretrying\","
    "We're aware that some people are having trouble,https://metastatus.com/\r\n"
    "slack,Slack,Slack,maintenance,2021-01-15T11:00:00+01:00,2021-01-15T12:00:00+01:00,3600,ok,"
    "\"C:\\path\tand\x01 bell\r\",,\r\n";

  g_assert_cmpstr (csv, ==, expected);
  g_assert_cmpstr (empty, ==, "service_id,service,provider,state,start,end,duration_seconds,"
                              "layer,reason,official_incident,incident_url\r\n");
}

/* A vendor's incident title that a spreadsheet would run as a formula. */
static void
test_csv_formula_injection (void)
{
  g_autoptr(GPtrArray) outages = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_outage_free);
  g_autofree char *csv = NULL;

  g_ptr_array_add (outages, outage_new ("x", "X", "X", VIGIE_STATE_DOWN, T (15, 0), T (16, 0),
                                        VIGIE_LAYER_HTTP, "-1 servers",
                                        "=HYPERLINK(\"http://evil.example\",\"click\")",
                                        "@SUM(A1)"));
  csv = vigie_history_format_csv (outages, T (23, 30));
  g_assert_nonnull (strstr (csv, ",'-1 servers,"));
  g_assert_nonnull (strstr (csv, ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","));
  g_assert_nonnull (strstr (csv, ",'@SUM(A1)\r\n"));
}

static void
test_json (void)
{
  g_autoptr(GPtrArray) outages = sample_outages ();
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *json = vigie_history_format_json (outages, T (23, 30));
  g_autofree char *empty = vigie_history_format_json (none, T (23, 30));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *o;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  o = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "service_id"), ==, "zoom");
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "degraded");
  g_assert_cmpstr (json_object_get_string_member (o, "start"), ==, "2021-10-05T01:00:00+02:00");
  g_assert_true (json_object_get_null_member (o, "end"));
  g_assert_true (json_object_get_boolean_member (o, "ongoing"));
  g_assert_cmpint (json_object_get_int_member (o, "duration_seconds"), ==, 1800);
  g_assert_true (json_object_get_null_member (o, "reason"));
  g_assert_cmpstr (json_object_get_string_member (o, "official_incident"), ==,
                   "Some users, in \"EU\"");
  g_assert_true (json_object_get_null_member (o, "incident_url"));

  o = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "service"), ==, "Facebook");
  g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "Meta");
  g_assert_cmpstr (json_object_get_string_member (o, "end"), ==, "2021-10-04T23:45:00+02:00");
  g_assert_false (json_object_get_boolean_member (o, "ongoing"));
  g_assert_cmpint (json_object_get_int_member (o, "duration_seconds"), ==, 21960);
  g_assert_cmpstr (json_object_get_string_member (o, "layer"), ==, "dns");
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, TRICKY_REASON);
  g_assert_cmpstr (json_object_get_string_member (o, "incident_url"), ==, "https://metastatus.com/");

  o = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "C:\\path\tand\x01 bell\r");
  g_assert_cmpstr (json_object_get_string_member (o, "start"), ==, "2021-01-15T11:00:00+01:00");

  json_parser_load_from_data (parser, empty, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 0);
}

/* ---- damage ------------------------------------------------------------ */

/* The one file named history.db.corrupt-YYYYMMDD-HHMMSS in the folder. */
static char *
find_moved_aside (Fixture *f)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(GPtrArray) names = list_dir (dir);
  char *found = NULL;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (g_regex_match_simple ("^history\\.db\\.corrupt-[0-9]{8}-[0-9]{6}$", name, 0, 0))
        {
          g_assert_null (found);
          found = g_build_filename (dir, name, NULL);
        }
    }
  g_assert_nonnull (found);
  return found;
}

static void
assert_works (Fixture *f)
{
  g_autoptr(GPtrArray) stored = NULL;

  record (f, state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 1);
}

static void
test_corrupt_garbage (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) garbage = g_string_new (NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *moved = NULL;
  g_autofree char *moved_wal = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GBytes) kept_wal = NULL;

  while (garbage->len < 8192)
    g_string_append (garbage, "This is not a database, and never was. ");
  write_file (f->path, (const guint8 *) garbage->str, garbage->len);
  write_file (wal, (const guint8 *) "stale wal", 9);

  open_ok (f);
  notice = vigie_history_take_notice (f->history);
  g_assert_nonnull (notice);
  again = vigie_history_take_notice (f->history);
  g_assert_null (again);

  /* Moved aside whole, companions included, nothing lost. */
  moved = find_moved_aside (f);
  g_assert_nonnull (strstr (notice, moved));
  kept = read_bytes (moved);
  g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept),
                   garbage->str, garbage->len);
  moved_wal = g_strconcat (moved, "-wal", NULL);
  kept_wal = read_bytes (moved_wal);
  g_assert_cmpmem (g_bytes_get_data (kept_wal, NULL), g_bytes_get_size (kept_wal), "stale wal", 9);

  assert_works (f);

  /* The new log is sound: no notice the next time. */
  open_ok (f);
  g_clear_pointer (&notice, g_free);
  notice = vigie_history_take_notice (f->history);
  g_assert_null (notice);
  g_clear_object (&f->history);
  g_clear_pointer (&moved, g_free);
  moved = find_moved_aside (f);
}

static void
test_corrupt_page (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *damaged = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *moved = NULL;
  gsize len;
  guint page_size;

  open_ok (f);
  record_2021 (f);
  g_clear_object (&f->history);

  /* A valid header, but the transitions table's root page (page 2)
   * overwritten: only the integrity check can tell. */
  bytes = read_bytes (f->path);
  len = g_bytes_get_size (bytes);
  damaged = g_memdup2 (g_bytes_get_data (bytes, NULL), len);
  page_size = (damaged[16] << 8) | damaged[17];
  if (page_size == 1)
    page_size = 65536;
  g_assert_cmpuint (len, >=, 2 * page_size);
  memset (damaged + page_size, 0xa5, page_size);
  write_file (f->path, damaged, len);

  open_ok (f);
  notice = vigie_history_take_notice (f->history);
  g_assert_nonnull (notice);
  moved = find_moved_aside (f);
  assert_works (f);
}

/* ---- unwritable -------------------------------------------------------- */

/* Makes every further write to a regular file fail, for root as for anyone.
 *
 * The obvious test — chmod the folder 0500 and the file 0400 — proves
 * nothing: an open SQLite connection writes through the descriptors it
 * already holds (database and -wal), which a mode change doesn't revoke,
 * and root ignores modes anyway. A 1-byte file-size limit is enforced by
 * the kernel on every write, open descriptors included, whoever the user:
 * writes past it fail with EFBIG, which SQLite reports as SQLITE_IOERR —
 * the path a failing or full disk takes. SIGXFSZ is ignored meanwhile so
 * the failure is an error code, not the end of the process. */
typedef struct
{
  struct rlimit saved;
  void (*saved_handler) (int);
} WriteFailure;

static void
write_failure_begin (WriteFailure *wf)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &wf->saved), ==, 0);
  limit = wf->saved;
  limit.rlim_cur = 1;
  wf->saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
}

static void
write_failure_end (WriteFailure *wf)
{
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &wf->saved), ==, 0);
  signal (SIGXFSZ, wf->saved_handler);
}

static void
record_expecting_failure (Fixture   *f,
                          GPtrArray *round)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vigie_history_record (f->history, round, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == VIGIE_HISTORY_ERROR);
  g_assert_true (error->code == VIGIE_HISTORY_ERROR_IO
                 || error->code == VIGIE_HISTORY_ERROR_NO_SPACE
                 || error->code == VIGIE_HISTORY_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, f->path));
}

static GPtrArray *
round_of (VigieTransition *t)
{
  GPtrArray *round = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);

  g_ptr_array_add (round, t);
  return round;
}

static void
test_unwritable (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  WriteFailure wf;

  open_ok (f);
  record (f, state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          state_change ("instagram", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);
  record (f, state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39)),
          NULL);

  b = round_of (state_change ("facebook", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (21, 45)));
  g_ptr_array_add (b, state_change ("instagram", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN,
                                    T (21, 45)));
  c = round_of (state_change ("instagram", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (22, 0)));

  write_failure_begin (&wf);
  g_assert_false (vigie_history_is_failing (f->history));
  record_expecting_failure (f, b);
  g_assert_true (vigie_history_is_failing (f->history));
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, 2);
  record_expecting_failure (f, c);
  g_assert_true (vigie_history_is_failing (f->history));
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, 3);

  /* Everything stored before is still there, nothing of the failed rounds. */
  stored = all_transitions (f);
  write_failure_end (&wf);
  g_assert_cmpuint (stored->len, ==, 3);
  g_clear_pointer (&stored, g_ptr_array_unref);

  /* Writable again: the held-back rounds first, then the new one, once. */
  record (f, state_change ("whatsapp", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (22, 30)),
          NULL);
  g_assert_false (vigie_history_is_failing (f->history));
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, 0);
  record (f, NULL);

  open_ok (f);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 7);
  assert_transition_equal (g_ptr_array_index (stored, 3), g_ptr_array_index (b, 0));
  assert_transition_equal (g_ptr_array_index (stored, 4), g_ptr_array_index (b, 1));
  assert_transition_equal (g_ptr_array_index (stored, 5), g_ptr_array_index (c, 0));
  g_assert_cmpstr (((VigieTransition *) g_ptr_array_index (stored, 6))->service_id, ==,
                   "whatsapp");
  /* Up 8:00–15:39 and 21:45–24:00: 594 of 960 minutes. */
  g_assert_cmpfloat (vigie_history_uptime (f->history, "facebook", T (8, 0), T (24, 0)), ==,
                     594.0 / 960.0);
}

static void
test_unwritable_bounded (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n = VIGIE_HISTORY_MAX_PENDING + 5;
  WriteFailure wf;

  open_ok (f);
  record (f, state_change ("first", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (0, 0)), NULL);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (many, state_change ("svc", i % 2 ? VIGIE_STATE_DOWN : VIGIE_STATE_OPERATIONAL,
                                         i % 2 ? VIGIE_STATE_OPERATIONAL : VIGIE_STATE_DOWN,
                                         T (1, 0) + i * (USEC / 1000)));
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (more, state_change ("svc", VIGIE_STATE_UNKNOWN, VIGIE_STATE_UNKNOWN,
                                         T (2, 0) + i * USEC));

  write_failure_begin (&wf);
  /* Dropping is said once per episode, not every round. */
  g_test_expect_message ("vigie-history", G_LOG_LEVEL_WARNING, "*dropped*");
  g_assert_false (vigie_history_record (f->history, many, &error));
  g_test_assert_expected_messages ();
  g_clear_error (&error);
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, VIGIE_HISTORY_MAX_PENDING);
  g_assert_false (vigie_history_record (f->history, more, &error));
  g_clear_error (&error);
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, VIGIE_HISTORY_MAX_PENDING);
  write_failure_end (&wf);

  g_assert_true (vigie_history_record (f->history, NULL, &error));
  g_assert_no_error (error);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 1 + VIGIE_HISTORY_MAX_PENDING);
  /* The oldest were dropped (5 + 3 of them), the newest kept. */
  g_assert_cmpint (((VigieTransition *) g_ptr_array_index (stored, 1))->at, ==,
                   T (1, 0) + 8 * (USEC / 1000));
  g_assert_cmpint (((VigieTransition *) g_ptr_array_index (stored, stored->len - 1))->at, ==,
                   T (2, 0) + 2 * USEC);
}

static void
test_unwritable_flushed_on_close (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) round = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  WriteFailure wf;

  open_ok (f);
  round = round_of (state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_DOWN, T (15, 39)));
  write_failure_begin (&wf);
  record_expecting_failure (f, round);
  write_failure_end (&wf);

  /* No further round came, but closing writes what was held back. */
  g_clear_object (&f->history);
  open_ok (f);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 1);
  assert_transition_equal (g_ptr_array_index (stored, 0), g_ptr_array_index (round, 0));
}

/* ---- schema versions --------------------------------------------------- */

static void
test_newer_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *patched = NULL;
  VigieHistory *history;
  gsize len;

  open_ok (f);
  assert_works (f);
  g_clear_object (&f->history);

  /* What a future Vigie at format 99 would leave: user_version is at byte 60. */
  before = read_bytes (f->path);
  len = g_bytes_get_size (before);
  patched = g_memdup2 (g_bytes_get_data (before, NULL), len);
  patched[60] = 0;
  patched[61] = 0;
  patched[62] = 0;
  patched[63] = 99;
  write_file (f->path, patched, len);
  g_clear_pointer (&before, g_bytes_unref);
  before = read_bytes (f->path);

  history = vigie_history_open (f->path, &error);
  g_assert_null (history);
  g_assert_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, f->path));

  /* Byte for byte as it was, and not taken for damage. */
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
  names = list_dir (dir);
  for (guint i = 0; i < names->len; i++)
    g_assert_null (strstr (g_ptr_array_index (names, i), "corrupt"));
}

static void
test_migrate_from_empty (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *notice = NULL;
  const guint8 *header;

  /* An empty file is a valid SQLite database at version 0. */
  write_file (f->path, (const guint8 *) "", 0);
  open_ok (f);
  notice = vigie_history_take_notice (f->history);
  g_assert_null (notice);
  assert_works (f);
  g_clear_object (&f->history);

  bytes = read_bytes (f->path);
  header = g_bytes_get_data (bytes, NULL);
  g_assert_cmpuint (read_be32 (header + 60), ==, VIGIE_HISTORY_SCHEMA_VERSION);
  /* File format read/write versions 2: WAL. */
  g_assert_cmpuint (header[18], ==, 2);
  g_assert_cmpuint (header[19], ==, 2);
}

/* A version-1 log as Vigie 0.1 wrote it, frozen here so every later version
 * keeps opening it: made with the sqlite3 CLI from migration 1, page size
 * 512, rollback journal, three transitions (facebook up 12:00 UTC, down
 * 15:39 by DNS, up 21:45 with the official incident), user_version 1.
 * gzip -9n | base64. */
static const char v1_database_gz_base64[] =
  "H4sIAAAAAAACA+1VzWsTQRSfySZb6wcoGoJIYGAFDcRG8FBaL0a7lWA+NKa0BSFMsxMzZrMT"
  "dyeJHguKXsQ/w6snr1699KJ48R/w4NU/wLdf6SRp2pNgpQ8mL/Pey/v93ps3k8ePylwy0hZu"
  "j0pyCyUQxugOIQihVLRi0WAllT2O1mGSQkstfM7/MdYQ/oqfYA39a7Kp6ZmcgZ9zx2IvpEsd"
  "j0suHK9JpbJL3aubxYZJStU1c4tMhpFaVbWQ61Q2B15OJhYyKwbevTyT2WPukLfYJEJyLsJ+"
  "+AxS7OJWnoSor5J4IWMY+E1N0h2bKdHK14SP5R9LcDaog/B7nAH112Q3r51H2Ww6kzZ0/UIi"
  "s9y93aYttiNEdz3SFSapJ6lklhg5os9c6lOlNkrtvft2tQDDtPf208oNJLroS48+E26cYKkl"
  "egRKGzGXWZvsmssIHVH4lB3omCd6jPSZ6NtgBmOHDrnzFLooBtCejpR9b7VQ6EXgA8/PVhgm"
  "QrZGWtcvnjIqCM1lqzD1iccsQb/+kPyILMdTIlTKq8ShQM2G7aBP2pTbUDkOca8EXTKWD8Ed"
  "OF1nplEBZKz9Rs3BHrfLPxuYuUbxbtmcnCxCuEVUKVUb5n2zTh7WS5VifZs8MLfzhOwPYBDU"
  "MLcapFqDtVEuK+6g1NAN1r4rhtxibpQ5snbhnih406narug1g9IPdEuhOGfdweWYLUalyh0g"
  "Og6ajiBr5npxo9wgNyHWpi/H7A8A86eqGY7TkalEu81bnNpzUrmMesKZQAIrUIX+ObIpuYS5"
  "nrYOXDuKzR1xL08Hb/NnhH/h76BO5HhJOpnVcXyx44dSm7YGD1LiElgXFWvwRoTn/wPh3/gn"
  "qBP5b+SspuPxRESbcBDOaPpi/F/xByyQ8/sACgAA";

static GBytes *
gunzip_base64 (const char *text)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree guchar *gz = g_base64_decode (text, &len);
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (gz, len, NULL);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_output_stream_splice (out, in,
                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_open_v1 (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) v1 = gunzip_base64 (v1_database_gz_base64);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) outages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  const VigieTransition *t;
  const VigieOutage *o;
  const guint8 *header;

  g_assert_cmpuint (g_bytes_get_size (v1), ==, 2560);
  write_file (f->path, g_bytes_get_data (v1, NULL), g_bytes_get_size (v1));
  g_assert_cmpuint (file_user_version (f->path), ==, 1);

  open_ok (f);
  notice = vigie_history_take_notice (f->history);
  g_assert_null (notice);

  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 3);
  t = g_ptr_array_index (stored, 1);
  g_assert_cmpint (t->kind, ==, VIGIE_TRANSITION_STATE);
  g_assert_cmpstr (t->service_id, ==, "facebook");
  g_assert_cmpstr (t->service_name, ==, "Facebook");
  g_assert_cmpstr (t->provider, ==, "Meta");
  g_assert_cmpint (t->from, ==, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpint (t->to, ==, VIGIE_STATE_DOWN);
  g_assert_cmpint (t->at, ==, T (15, 39));
  g_assert_cmpint (t->since, ==, T (12, 0));
  g_assert_cmpint (t->layer, ==, VIGIE_LAYER_DNS);
  g_assert_cmpuint (t->http_status, ==, 0);
  g_assert_cmpint (t->official, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpstr (t->reason, ==, "facebook.com: name lookup failed");
  t = g_ptr_array_index (stored, 2);
  g_assert_cmpint (t->official, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (t->http_status, ==, 200);
  g_assert_cmpstr (t->incident_title, ==, "We're aware that some people are having trouble");
  g_assert_cmpstr (t->incident_url, ==, "https://metastatus.com/");

  outages = vigie_history_outages (f->history, T (0, 0), T (24, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outages->len, ==, 1);
  o = g_ptr_array_index (outages, 0);
  g_assert_cmpint (o->start_us, ==, T (15, 39));
  g_assert_cmpint (o->end_us, ==, T (21, 45));

  record (f, state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (23, 0)),
          NULL);
  g_clear_object (&f->history);

  after = read_bytes (f->path);
  header = g_bytes_get_data (after, NULL);
  g_assert_cmpuint (read_be32 (header + 60), ==, VIGIE_HISTORY_SCHEMA_VERSION);
  g_assert_cmpuint (header[18], ==, 2);  /* now WAL */
  g_assert_cmpuint ((header[16] << 8) | header[17], ==, 512);
  open_ok (f);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 4);
}

/* ---- privacy and replacement -------------------------------------------- */

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != mode)
    g_test_fail_printf ("%s is %03o, not %03o", path, st.st_mode & 0777, mode);
}

/* The log, its -wal and -shm are the user's alone (0600), whatever the
 * umask; its folder 0700. */
static void
test_file_modes (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  mode_t old_umask = umask (022);

  open_ok (f);
  record (f, state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);
  umask (old_umask);
  assert_mode (dir, 0700);
  assert_mode (f->path, 0600);
  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_REGULAR));
  assert_mode (wal, 0600);
  g_assert_true (g_file_test (shm, G_FILE_TEST_IS_REGULAR));
  assert_mode (shm, 0600);
}

/* A log an older Vigie left readable by all is made private on opening,
 * and so are the -wal and -shm that come with it. */
static void
test_file_modes_tightened (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autoptr(GPtrArray) stored = NULL;
  mode_t old_umask = umask (022);

  open_ok (f);
  record (f, state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);
  g_clear_object (&f->history);
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);

  open_ok (f);
  record (f, state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39)),
          NULL);
  umask (old_umask);
  assert_mode (f->path, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 2);
}

/* Vigie's own state folder is made private even when something else
 * created it (main() points XDG_STATE_HOME at a scratch folder). */
static void
test_default_folder_private (void)
{
  g_autofree char *path = vigie_history_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(VigieHistory) history = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  history = vigie_history_open (path, &error);
  g_assert_no_error (error);
  assert_mode (dir, 0700);
  assert_mode (path, 0600);
}

/* Another program moves the log away while Vigie runs: the next write
 * notices and goes to a new log at the path (created, migrated, private),
 * the round being written included. What was written before stays with
 * the moved file, complete. */
static void
test_moved_away (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *old_path = g_strconcat (f->path, ".archived", NULL);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(VigieHistory) archived = NULL;
  g_autoptr(GError) error = NULL;

  open_ok (f);
  record (f, state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);
  g_assert_cmpint (g_rename (f->path, old_path), ==, 0);

  record (f, state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39)),
          NULL);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  assert_mode (f->path, 0600);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpint (((VigieTransition *) stored->pdata[0])->at, ==, T (15, 39));
  g_clear_object (&f->history);
  g_assert_cmpuint (file_user_version (f->path), ==, VIGIE_HISTORY_SCHEMA_VERSION);

  /* The archive holds the first row, written back from the -wal. */
  g_clear_pointer (&stored, g_ptr_array_unref);
  archived = vigie_history_open (old_path, &error);
  g_assert_no_error (error);
  stored = vigie_history_transitions (archived, NULL, G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpint (((VigieTransition *) stored->pdata[0])->at, ==, T (8, 0));
}

/* Another program puts another log in its place (a restored copy): the
 * next write goes into that one. */
static void
test_replaced (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *restored = g_build_filename (dir, "restored.db", NULL);
  g_autoptr(VigieHistory) other = NULL;
  g_autoptr(GPtrArray) round = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;

  open_ok (f);
  record (f, state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);

  other = vigie_history_open (restored, &error);
  g_assert_no_error (error);
  round = round_of (state_change ("slack", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL,
                                  T (7, 0)));
  g_assert_true (vigie_history_record (other, round, &error));
  g_assert_no_error (error);
  g_clear_object (&other);
  g_assert_cmpint (g_rename (restored, f->path), ==, 0);

  record (f, state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, T (15, 39)),
          NULL);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpstr (((VigieTransition *) stored->pdata[0])->service_id, ==, "slack");
  g_assert_cmpint (((VigieTransition *) stored->pdata[1])->at, ==, T (15, 39));
  assert_mode (f->path, 0600);
}

/* The log is moved away and nothing can be opened at the path (a folder
 * is in the way): the round waits in memory, and is written once the path
 * is free again, before the next round. */
static void
test_moved_then_blocked (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *old_path = g_strconcat (f->path, ".archived", NULL);
  g_autoptr(GPtrArray) round = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;

  open_ok (f);
  record (f, state_change ("facebook", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, T (8, 0)),
          NULL);
  g_assert_cmpint (g_rename (f->path, old_path), ==, 0);
  g_assert_cmpint (g_mkdir (f->path, 0700), ==, 0);

  round = round_of (state_change ("facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN,
                                  T (15, 39)));
  g_assert_false (vigie_history_record (f->history, round, &error));
  g_assert_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, 1);

  g_assert_cmpint (g_rmdir (f->path), ==, 0);
  record (f, state_change ("facebook", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, T (21, 45)),
          NULL);
  g_assert_cmpuint (vigie_history_get_n_pending (f->history), ==, 0);
  stored = all_transitions (f);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpint (((VigieTransition *) stored->pdata[0])->at, ==, T (15, 39));
  g_assert_cmpint (((VigieTransition *) stored->pdata[1])->at, ==, T (21, 45));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state_home = NULL;
  int status;

  /* Before anything reads the local time zone. */
  g_setenv ("TZ", "Europe/Paris", TRUE);
  /* The default log's folder, for the test that opens it. */
  state_home = g_dir_make_tmp ("test-history-state-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/history/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/history/default-path", test_default_path);
  ADD ("open/creates", test_open_creates);
  ADD ("record/round-trip", test_round_trip);
  ADD ("record/one-transaction", test_one_transaction);
  ADD ("segments", test_segments);
  ADD ("uptime", test_uptime);
  ADD ("outages/2021", test_outages_2021);
  g_test_add_func ("/history/parse-since", test_parse_since);
  g_test_add_func ("/history/export/csv", test_csv);
  g_test_add_func ("/history/export/json", test_json);
  g_test_add_func ("/history/export/csv-formula-injection", test_csv_formula_injection);
  ADD ("corrupt/garbage", test_corrupt_garbage);
  ADD ("corrupt/damaged-page", test_corrupt_page);
  ADD ("unwritable/queued", test_unwritable);
  ADD ("unwritable/bounded", test_unwritable_bounded);
  ADD ("unwritable/flushed-on-close", test_unwritable_flushed_on_close);
  ADD ("schema/newer-refused", test_newer_refused);
  ADD ("schema/from-empty", test_migrate_from_empty);
  ADD ("schema/open-v1", test_open_v1);
  ADD ("private/file-modes", test_file_modes);
  ADD ("private/file-modes-tightened", test_file_modes_tightened);
  g_test_add_func ("/history/private/default-folder", test_default_folder_private);
  ADD ("moved/away", test_moved_away);
  ADD ("moved/replaced", test_replaced);
  ADD ("moved/then-blocked", test_moved_then_blocked);

#undef ADD

  status = g_test_run ();
  remove_tree (state_home);
  return status;
}
