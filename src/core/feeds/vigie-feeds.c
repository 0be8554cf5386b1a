/* vigie-feeds.c — official status feeds: the common part and the entry point.
 *
 * Owns kinds and levels as words, the report's memory, the builders every
 * format fills a report with, and vigie_feed_parse(): the caps and repairs
 * that apply to every body, then the format's own parser, found in the
 * table of vigie-feed-formats.c. Pure: bytes in, a VigieFeedReport out,
 * "now" passed in. The contract is stated in vigie-feeds.h; each format's
 * vocabulary at the top of its file.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

/* ------------------------------------------------------------------------ */
/* Kinds, levels, errors, limits                                             */
/* ------------------------------------------------------------------------ */

/**
 * vigie_feed_kind_to_string:
 * @kind: a #VigieFeedKind
 *
 * Returns: (transfer none): the kind's name as written in settings files
 */
const char *
vigie_feed_kind_to_string (VigieFeedKind kind)
{
  const VigieFeedFormat *format;

  if (kind == VIGIE_FEED_NONE)
    return "none";
  format = vigie_feed_format_get (kind);
  g_return_val_if_fail (format != NULL, "none");
  return format->name;
}

/**
 * vigie_feed_kind_from_string:
 * @str: (nullable): a kind name such as "statuspage"
 * @out_kind: (out): where to store the kind
 *
 * Returns: %TRUE if @str names a known kind ("none" included)
 */
gboolean
vigie_feed_kind_from_string (const char    *str,
                             VigieFeedKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  if (strcmp (str, "none") == 0)
    {
      *out_kind = VIGIE_FEED_NONE;
      return TRUE;
    }
  for (guint i = 0; i < vigie_feed_format_count (); i++)
    {
      const VigieFeedFormat *format = vigie_feed_format_nth (i);

      if (strcmp (str, format->name) == 0)
        {
          *out_kind = format->kind;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *const official_level_names[] = {
  [VIGIE_OFFICIAL_UNKNOWN] = "unknown",
  [VIGIE_OFFICIAL_OPERATIONAL] = "operational",
  [VIGIE_OFFICIAL_MAINTENANCE] = "maintenance",
  [VIGIE_OFFICIAL_MINOR] = "minor",
  [VIGIE_OFFICIAL_MAJOR] = "major",
};

/**
 * vigie_official_level_to_string:
 * @level: a #VigieOfficialLevel
 *
 * Returns: (transfer none): a stable lowercase name ("unknown",
 *   "operational", "maintenance", "minor", "major") for logs, JSON output
 *   and the history database; not meant for people (see vigie-report)
 */
const char *
vigie_official_level_to_string (VigieOfficialLevel level)
{
  g_return_val_if_fail ((guint) level < G_N_ELEMENTS (official_level_names), "unknown");
  return official_level_names[level];
}

G_DEFINE_QUARK (vigie-feed-error-quark, vigie_feed_error)

/**
 * vigie_feed_max_size:
 * @kind: a #VigieFeedKind
 *
 * The largest body vigie_feed_parse() accepts for @kind, so that the HTTP
 * layer can stop reading at the same limit.
 *
 * Returns: a size in bytes
 */
gsize
vigie_feed_max_size (VigieFeedKind kind)
{
  const VigieFeedFormat *format = vigie_feed_format_get (kind);

  return format != NULL ? format->max_size : VIGIE_FEED_MAX_SIZE;
}

/* ------------------------------------------------------------------------ */
/* Report memory                                                             */
/* ------------------------------------------------------------------------ */

/**
 * vigie_feed_component_free:
 * @component: (transfer full) (nullable): a component
 *
 * Frees @component and its strings.
 */
void
vigie_feed_component_free (VigieFeedComponent *component)
{
  if (component == NULL)
    return;
  g_free (component->name);
  g_free (component->status);
  g_free (component);
}

/**
 * vigie_feed_incident_free:
 * @incident: (transfer full) (nullable): an incident
 *
 * Frees @incident and its strings.
 */
void
vigie_feed_incident_free (VigieFeedIncident *incident)
{
  if (incident == NULL)
    return;
  g_free (incident->title);
  g_free (incident->status);
  g_free (incident->impact);
  g_free (incident->url);
  g_free (incident->latest_update);
  g_free (incident);
}

/* GCopyFunc-shaped, so that g_ptr_array_copy() needs no function cast. */
static gpointer
component_copy (gconstpointer src,
                gpointer      user_data)
{
  const VigieFeedComponent *c = src;
  VigieFeedComponent *copy = g_new0 (VigieFeedComponent, 1);

  copy->name = g_strdup (c->name);
  copy->level = c->level;
  copy->status = g_strdup (c->status);
  return copy;
}

static gpointer
incident_copy (gconstpointer src,
               gpointer      user_data)
{
  const VigieFeedIncident *i = src;
  VigieFeedIncident *copy = g_new0 (VigieFeedIncident, 1);

  copy->title = g_strdup (i->title);
  copy->status = g_strdup (i->status);
  copy->impact = g_strdup (i->impact);
  copy->level = i->level;
  copy->url = g_strdup (i->url);
  copy->latest_update = g_strdup (i->latest_update);
  copy->started_at = i->started_at;
  copy->updated_at = i->updated_at;
  return copy;
}

/**
 * vigie_feed_report_new:
 *
 * Creates an empty report: level %VIGIE_OFFICIAL_UNKNOWN, no description,
 * empty lists. Parsers start from it; tests of other modules use it to build
 * reports by hand.
 *
 * Returns: (transfer full): a new report
 */
VigieFeedReport *
vigie_feed_report_new (void)
{
  VigieFeedReport *report = g_new0 (VigieFeedReport, 1);

  report->level = VIGIE_OFFICIAL_UNKNOWN;
  report->components = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_feed_component_free);
  report->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_feed_incident_free);
  report->maintenances = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_feed_incident_free);
  return report;
}

/**
 * vigie_feed_report_free:
 * @report: (transfer full) (nullable): a report
 *
 * Frees @report, its lists and everything in them.
 */
void
vigie_feed_report_free (VigieFeedReport *report)
{
  if (report == NULL)
    return;
  g_free (report->description);
  g_clear_pointer (&report->components, g_ptr_array_unref);
  g_clear_pointer (&report->incidents, g_ptr_array_unref);
  g_clear_pointer (&report->maintenances, g_ptr_array_unref);
  g_free (report);
}

/**
 * vigie_feed_report_main_incident:
 * @report: (nullable): a report
 *
 * The incident that best explains @report, the one people are told about:
 * the worst open incident, else the first maintenance in progress.
 *
 * Returns: (nullable) (transfer none): that incident, %NULL if none
 */
const VigieFeedIncident *
vigie_feed_report_main_incident (const VigieFeedReport *report)
{
  const VigieFeedIncident *best = NULL;

  if (report == NULL)
    return NULL;
  for (guint i = 0; report->incidents != NULL && i < report->incidents->len; i++)
    {
      const VigieFeedIncident *incident = g_ptr_array_index (report->incidents, i);

      if (best == NULL || incident->level > best->level)
        best = incident;
    }
  if (best == NULL && report->maintenances != NULL && report->maintenances->len > 0)
    best = g_ptr_array_index (report->maintenances, 0);
  return best;
}

/**
 * vigie_feed_report_copy:
 * @report: a report
 *
 * Deep copy: nothing is shared with @report, so the copy can be handed to
 * another thread while @report is freed.
 *
 * Returns: (transfer full): a copy of @report
 */
VigieFeedReport *
vigie_feed_report_copy (const VigieFeedReport *report)
{
  VigieFeedReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = g_new0 (VigieFeedReport, 1);
  copy->level = report->level;
  copy->description = g_strdup (report->description);
  copy->components = g_ptr_array_copy (report->components, component_copy, NULL);
  copy->incidents = g_ptr_array_copy (report->incidents, incident_copy, NULL);
  copy->maintenances = g_ptr_array_copy (report->maintenances, incident_copy, NULL);
  return copy;
}

static void
resolve_link (char       **url,
              const char  *feed_url)
{
  g_autofree char *absolute = NULL;

  if (*url == NULL || g_uri_peek_scheme (*url) != NULL)
    return;

  if (feed_url != NULL)
    absolute = g_uri_resolve_relative (feed_url, *url, G_URI_FLAGS_NONE, NULL);

  g_free (*url);
  *url = NULL;
  /* A base with an odd scheme must not sneak one back in. */
  if (absolute != NULL && feed_is_web_scheme (g_uri_peek_scheme (absolute)))
    *url = g_steal_pointer (&absolute);
}

/**
 * vigie_feed_report_resolve_links:
 * @report: a report
 * @feed_url: (nullable): the absolute URL the feed was fetched from
 *
 * Makes every relative incident/maintenance link absolute, resolved against
 * @feed_url (Google's "incidents/ID" against ".../incidents.json" gives the
 * incident page). Links that cannot be resolved to http(s) are dropped.
 */
void
vigie_feed_report_resolve_links (VigieFeedReport *report,
                                 const char      *feed_url)
{
  g_return_if_fail (report != NULL);

  for (guint i = 0; i < report->incidents->len; i++)
    resolve_link (&((VigieFeedIncident *) g_ptr_array_index (report->incidents, i))->url, feed_url);
  for (guint i = 0; i < report->maintenances->len; i++)
    resolve_link (&((VigieFeedIncident *) g_ptr_array_index (report->maintenances, i))->url, feed_url);
}

/* ------------------------------------------------------------------------ */
/* Report building, shared by every format                                   */
/* ------------------------------------------------------------------------ */

gboolean
feed_ctx_matches (VigieFeedCtx *ctx,
                  const char   *name)
{
  g_autofree char *key = NULL;

  if (ctx->filter_key == NULL || name == NULL)
    return FALSE;
  key = feed_name_key (name);
  return strcmp (key, ctx->filter_key) == 0;
}

void
feed_raise_level (VigieFeedReport    *report,
                  VigieOfficialLevel  level)
{
  report->level = MAX (report->level, level);
}

/* An open incident is news whatever its declared impact, so it is at least
 * MINOR; only a declared maintenance stays MAINTENANCE. */
VigieOfficialLevel
feed_open_incident_level (VigieOfficialLevel impact_level)
{
  if (impact_level == VIGIE_OFFICIAL_MAINTENANCE)
    return VIGIE_OFFICIAL_MAINTENANCE;
  return MAX (impact_level, VIGIE_OFFICIAL_MINOR);
}

void
feed_add_component (VigieFeedCtx       *ctx,
                    const char         *name,
                    const char         *status,
                    VigieOfficialLevel  level)
{
  VigieFeedComponent *component;

  feed_raise_level (ctx->report, level);
  /* Only the first VIGIE_FEED_MAX_ITEMS are listed (feed order): a hostile
   * page may have a hundred thousand, which must not all be copied. */
  if (level == VIGIE_OFFICIAL_OPERATIONAL || ctx->report->components->len >= VIGIE_FEED_MAX_ITEMS)
    return;

  component = g_new0 (VigieFeedComponent, 1);
  component->name = feed_clean_text (name != NULL ? name : "", VIGIE_FEED_MAX_TITLE_CHARS);
  component->status = feed_clean_word (status);
  component->level = level;
  g_ptr_array_add (ctx->report->components, component);
}

VigieFeedIncident *
feed_incident_new (const char         *title,
                   const char         *status,
                   const char         *impact,
                   VigieOfficialLevel  level)
{
  VigieFeedIncident *incident = g_new0 (VigieFeedIncident, 1);

  incident->title = feed_clean_text (title != NULL ? title : "", VIGIE_FEED_MAX_TITLE_CHARS);
  incident->status = feed_clean_word (status);
  incident->impact = feed_clean_word (impact);
  incident->level = level;
  return incident;
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const VigieFeedIncident *ia = *(VigieFeedIncident *const *) a;
  const VigieFeedIncident *ib = *(VigieFeedIncident *const *) b;

  if (ia->started_at != ib->started_at)
    return ia->started_at > ib->started_at ? -1 : 1;
  if (ia->updated_at != ib->updated_at)
    return ia->updated_at > ib->updated_at ? -1 : 1;
  return 0;
}

void
feed_add_incident (VigieFeedCtx      *ctx,
                   VigieFeedIncident *incident)
{
  GPtrArray *list = incident->level == VIGIE_OFFICIAL_MAINTENANCE ? ctx->report->maintenances
                                                                  : ctx->report->incidents;

  feed_raise_level (ctx->report, incident->level);
  g_ptr_array_add (list, incident);
  /* Only the newest VIGIE_FEED_MAX_ITEMS are kept, but a hostile feed may
   * hold a hundred thousand open incidents: trim as they come, so that
   * memory stays bounded. The sort is stable, so trimming in batches keeps
   * what one sort at the end would. */
  if (list->len >= 4 * VIGIE_FEED_MAX_ITEMS)
    {
      g_ptr_array_sort (list, compare_newest_first);
      g_ptr_array_set_size (list, VIGIE_FEED_MAX_ITEMS);
    }
}

static void
finish_report (VigieFeedReport *report)
{
  /* Levels were computed over everything; only the lists are capped. */
  g_ptr_array_sort (report->incidents, compare_newest_first);
  g_ptr_array_sort (report->maintenances, compare_newest_first);
  if (report->components->len > VIGIE_FEED_MAX_ITEMS)
    g_ptr_array_set_size (report->components, VIGIE_FEED_MAX_ITEMS);
  if (report->incidents->len > VIGIE_FEED_MAX_ITEMS)
    g_ptr_array_set_size (report->incidents, VIGIE_FEED_MAX_ITEMS);
  if (report->maintenances->len > VIGIE_FEED_MAX_ITEMS)
    g_ptr_array_set_size (report->maintenances, VIGIE_FEED_MAX_ITEMS);
}

/* ------------------------------------------------------------------------ */
/* Entry point                                                               */
/* ------------------------------------------------------------------------ */

/**
 * vigie_feed_parse:
 * @kind: which format @data is in
 * @data: (array length=len) (nullable): the body as fetched
 * @len: length of @data in bytes
 * @filter: (nullable): a component or service name to restrict the report
 *   to (what it selects in each kind is written in the kind's file), or
 *   %NULL
 * @now_unix: the current wall time, unix seconds (whether a Google incident
 *   or a Better Stack maintenance is current depends on it)
 * @error: return location for a #VIGIE_FEED_ERROR
 *
 * Reads one status feed. Pure: no I/O, no clock. Safe to call from any
 * thread.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with @error set;
 *   an error means "no evidence", never "down"
 */
VigieFeedReport *
vigie_feed_parse (VigieFeedKind   kind,
                  const guint8   *data,
                  gsize           len,
                  const char     *filter,
                  gint64          now_unix,
                  GError        **error)
{
  const VigieFeedFormat *format;
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *repaired = NULL;
  g_autofree char *filter_key = NULL;
  VigieFeedCtx ctx = { 0, };
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (kind == VIGIE_FEED_NONE)
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_UNSUPPORTED,
                           "this service publishes no status feed");
      return NULL;
    }
  format = vigie_feed_format_get (kind);
  g_return_val_if_fail (format != NULL, NULL);

  if (len > format->max_size)
    {
      g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE,
                   "feed too large: %" G_GSIZE_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
                   " allowed", len, format->max_size);
      return NULL;
    }

  /* A byte-order mark is legal in front of JSON and XML but json-glib
   * chokes on it. */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i == len)
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID, "empty document");
      return NULL;
    }

  if (format->syntax == VIGIE_FEED_SYNTAX_JSON && !feed_json_check (data, len, error))
    return NULL;

  /* Repair rather than refuse: invalid bytes (and NULs) become U+FFFD. A
   * valid body (the usual case) is read in place: a copy of a 16 MiB feed
   * would be 16 MB more at the peak. */
  ctx.text = (const char *) data;
  ctx.len = len;
  if (!g_utf8_validate_len (ctx.text, len, NULL))
    {
      repaired = g_utf8_make_valid (ctx.text, (gssize) len);
      ctx.text = repaired;
      ctx.len = strlen (repaired);
    }

  if (format->syntax == VIGIE_FEED_SYNTAX_JSON)
    {
      parser = feed_json_load (ctx.text, ctx.len, error);
      if (parser == NULL)
        return NULL;
      ctx.root = json_parser_get_root (parser);
    }

  if (filter != NULL)
    {
      filter_key = feed_name_key (filter);
      if (*filter_key == '\0')
        g_clear_pointer (&filter_key, g_free);
    }

  report = vigie_feed_report_new ();
  ctx.format = format;
  ctx.filter_key = filter_key;
  ctx.now = now_unix;
  ctx.report = report;

  if (!format->parse (&ctx, error))
    return NULL;

  if (filter_key != NULL)
    g_clear_pointer (&report->description, g_free);
  finish_report (report);
  return g_steal_pointer (&report);
}
