/* vigie-feeds.c — official status feed kinds and parsers.
 *
 * Owns json-glib (and the GMarkup-based RSS/Atom reader). Everything here is
 * pure: bytes in, a VigieFeedReport out, "now" passed in. The contract —
 * caps, type strictness, level tables, what a filter does — is stated in
 * vigie-feeds.h; this file follows it.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "vigie-feeds.h"

static const char *const feed_kind_names[] = {
  [VIGIE_FEED_NONE] = "none",
  [VIGIE_FEED_STATUSPAGE] = "statuspage",
  [VIGIE_FEED_INCIDENTIO] = "incidentio",
  [VIGIE_FEED_INSTATUS] = "instatus",
  [VIGIE_FEED_BETTERSTACK] = "betterstack",
  [VIGIE_FEED_SLACK] = "slack",
  [VIGIE_FEED_GOOGLE] = "google",
  [VIGIE_FEED_RSS] = "rss",
};

/**
 * vigie_feed_kind_to_string:
 * @kind: a #VigieFeedKind
 *
 * Returns: (transfer none): the kind's name as written in settings files
 */
const char *
vigie_feed_kind_to_string (VigieFeedKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (feed_kind_names), "none");
  return feed_kind_names[kind];
}

/**
 * vigie_feed_kind_from_string:
 * @str: a kind name such as "statuspage"
 * @out_kind: (out): where to store the kind
 *
 * Returns: %TRUE if @str names a known kind
 */
gboolean
vigie_feed_kind_from_string (const char    *str,
                             VigieFeedKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (feed_kind_names); i++)
    {
      if (g_strcmp0 (str, feed_kind_names[i]) == 0)
        {
          *out_kind = (VigieFeedKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Levels, errors, limits                                                    */
/* ------------------------------------------------------------------------ */

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
  /* Google keeps years of incidents, with every update, in one file. */
  if (kind == VIGIE_FEED_GOOGLE)
    return VIGIE_FEED_MAX_SIZE_GOOGLE;
  return VIGIE_FEED_MAX_SIZE;
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

static gboolean
is_web_scheme (const char *scheme)
{
  return g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0;
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
  if (absolute != NULL && is_web_scheme (g_uri_peek_scheme (absolute)))
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
/* Text: everything stored goes through here                                 */
/* ------------------------------------------------------------------------ */

/* Valid UTF-8, trimmed, at most @max_chars characters (a cut string ends
 * with "…"). Control characters other than newline and tab become spaces:
 * titles end up in terminals (vigie --check) and notifications, and an
 * escape sequence from a remote feed has no business there. Markup is
 * *not* touched: the caller escapes. */
static char *
clean_text (const char *raw,
            gsize       max_chars)
{
  g_autofree char *valid = NULL;
  g_autofree char *plain = NULL;
  GString *cleaned;
  GString *out;
  gsize n_chars = 0;
  gsize prev_len = 0;

  if (raw == NULL)
    return NULL;

  valid = g_utf8_make_valid (raw, -1);
  cleaned = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0))
        c = ' ';
      g_string_append_unichar (cleaned, c);
    }
  plain = g_string_free (cleaned, FALSE);
  g_strstrip (plain);

  out = g_string_sized_new (MIN (strlen (plain), max_chars * 4) + 4);
  for (const char *p = plain; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (n_chars == max_chars)
        {
          g_string_truncate (out, prev_len);
          g_string_append (out, "…");
          break;
        }
      prev_len = out->len;
      g_string_append_unichar (out, g_utf8_get_char (p));
      n_chars++;
    }

  return g_string_free (out, FALSE);
}

static char *
clean_word (const char *raw)
{
  return clean_text (raw, VIGIE_FEED_MAX_WORD_CHARS);
}

/* Keeps http(s) URLs and relative references; drops every other scheme
 * (javascript:, data:, file:) and anything with spaces or controls, which
 * no sane link has. A cut URL is a broken URL, so overlong ones go too. */
static char *
clean_url (const char *raw)
{
  g_autofree char *url = NULL;
  const char *scheme;

  if (raw == NULL)
    return NULL;

  url = g_utf8_make_valid (raw, -1);
  g_strstrip (url);
  if (*url == '\0' || g_utf8_strlen (url, -1) > VIGIE_FEED_MAX_URL_CHARS)
    return NULL;
  for (const char *p = url; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || *p == 0x7f)
        return NULL;
    }

  scheme = g_uri_peek_scheme (url);
  if (scheme != NULL && !is_web_scheme (scheme))
    return NULL;

  return g_steal_pointer (&url);
}

/* Matching key for names and the filter: trimmed, casefolded. */
static char *
name_key (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);

  g_strstrip (valid);
  return g_utf8_casefold (valid, -1);
}

/* ASCII whole-word search: "down" matches "Instagram is down." but not
 * "slowdown" or "download". */
static gboolean
has_word (const char        *text,
          const char *const *words)
{
  const char *p = text;

  if (text == NULL)
    return FALSE;

  while (*p != '\0')
    {
      const char *start;
      gsize len;

      if (!g_ascii_isalnum (*p))
        {
          p++;
          continue;
        }
      start = p;
      while (g_ascii_isalnum (*p))
        p++;
      len = (gsize) (p - start);
      for (guint i = 0; words[i] != NULL; i++)
        {
          if (strlen (words[i]) == len && g_ascii_strncasecmp (start, words[i], len) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *needle)
{
  gsize n = strlen (needle);

  if (haystack == NULL)
    return FALSE;
  for (const char *p = haystack; *p != '\0'; p++)
    {
      if (g_ascii_strncasecmp (p, needle, n) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Time                                                                      */
/* ------------------------------------------------------------------------ */

/* ISO 8601 as the JSON feeds and Atom write it. A time without a zone is
 * taken as UTC (what every feed here means by it). 0 when unparsable. */
static gint64
parse_iso8601 (const char *str)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = NULL;

  if (str == NULL)
    return 0;
  copy = g_strstrip (g_strdup (str));
  if (*copy == '\0')
    return 0;

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (copy, utc);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

static gboolean
read_digits (const char **p,
             guint        min_digits,
             guint        max_digits,
             gint        *out,
             guint       *out_digits)
{
  guint n = 0;
  gint value = 0;

  while (g_ascii_isdigit ((*p)[n]) && n < max_digits)
    {
      value = value * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min_digits || g_ascii_isdigit ((*p)[n]))
    return FALSE;
  *p += n;
  *out = value;
  if (out_digits != NULL)
    *out_digits = n;
  return TRUE;
}

static void
skip_spaces (const char **p)
{
  while (g_ascii_isspace (**p))
    (*p)++;
}

/* RFC 822 / RFC 2822 date as RSS pubDate uses it:
 *   [Day,] DD Mon YYYY HH:MM[:SS] [zone]
 * zone: +HHMM / -HHMM, UT, UTC, GMT, Z, or the US zones; other names
 * (military letters) count as UTC, as RFC 2822 §4.3 advises. Two-digit
 * years follow RFC 2822 §4.3 too. 0 when unparsable. */
static gint64
parse_rfc822 (const char *str)
{
  static const char *const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
  };
  static const struct { const char *name; gint hours; } zones[] = {
    { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
    { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
    { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
  };
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *p = str;
  gint day, month = 0, year, hour, minute, second = 0;
  gint offset = 0;
  guint year_digits;

  if (str == NULL)
    return 0;

  skip_spaces (&p);
  if (g_ascii_isalpha (*p))
    {
      while (g_ascii_isalpha (*p))
        p++;
      skip_spaces (&p);
      if (*p != ',')
        return 0;
      p++;
      skip_spaces (&p);
    }

  if (!read_digits (&p, 1, 2, &day, NULL))
    return 0;
  skip_spaces (&p);

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      if (g_ascii_strncasecmp (p, months[i], 3) == 0)
        {
          month = (gint) i + 1;
          break;
        }
    }
  if (month == 0)
    return 0;
  while (g_ascii_isalpha (*p))
    p++;
  skip_spaces (&p);

  if (!read_digits (&p, 2, 4, &year, &year_digits))
    return 0;
  if (year_digits == 2)
    year += year < 50 ? 2000 : 1900;
  else if (year_digits == 3)
    year += 1900;
  skip_spaces (&p);

  if (!read_digits (&p, 1, 2, &hour, NULL) || *p++ != ':' ||
      !read_digits (&p, 2, 2, &minute, NULL))
    return 0;
  if (*p == ':')
    {
      p++;
      if (!read_digits (&p, 2, 2, &second, NULL))
        return 0;
    }
  skip_spaces (&p);

  if (*p == '+' || *p == '-')
    {
      gint sign = *p == '-' ? -1 : 1;
      gint hhmm;

      p++;
      if (!read_digits (&p, 4, 4, &hhmm, NULL) || hhmm % 100 > 59)
        return 0;
      offset = sign * ((hhmm / 100) * 3600 + (hhmm % 100) * 60);
    }
  else if (g_ascii_isalpha (*p))
    {
      const char *start = p;
      gsize len;

      while (g_ascii_isalpha (*p))
        p++;
      len = (gsize) (p - start);
      for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
        {
          if (strlen (zones[i].name) == len && g_ascii_strncasecmp (start, zones[i].name, len) == 0)
            {
              offset = zones[i].hours * 3600;
              break;
            }
        }
    }

  if (hour > 23 || minute > 59 || second > 60)
    return 0;
  /* A leap second is not worth a failure. */
  second = MIN (second, 59);

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new (utc, year, month, day, hour, minute, second);
  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) - offset;
}

/* Feeds that claim RFC 822 sometimes write ISO 8601 (dc:date always does). */
static gint64
parse_any_time (const char *str)
{
  gint64 t = parse_rfc822 (str);

  return t != 0 ? t : parse_iso8601 (str);
}

/* ------------------------------------------------------------------------ */
/* Shared parsing state                                                      */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char            *filter_key;  /* casefolded filter, or NULL for none */
  gint64           now;
  VigieFeedReport *report;
} ParseCtx;

static gboolean
ctx_matches (ParseCtx   *ctx,
             const char *name)
{
  g_autofree char *key = NULL;

  if (ctx->filter_key == NULL || name == NULL)
    return FALSE;
  key = name_key (name);
  return strcmp (key, ctx->filter_key) == 0;
}

static void
raise_level (VigieFeedReport    *report,
             VigieOfficialLevel  level)
{
  report->level = MAX (report->level, level);
}

/* An open incident is news whatever its declared impact, so it is at least
 * MINOR; only a declared maintenance stays MAINTENANCE. */
static VigieOfficialLevel
open_incident_level (VigieOfficialLevel impact_level)
{
  if (impact_level == VIGIE_OFFICIAL_MAINTENANCE)
    return VIGIE_OFFICIAL_MAINTENANCE;
  return MAX (impact_level, VIGIE_OFFICIAL_MINOR);
}

static void
add_component (ParseCtx           *ctx,
               const char         *name,
               const char         *status,
               VigieOfficialLevel  level)
{
  VigieFeedComponent *component;

  raise_level (ctx->report, level);
  if (level == VIGIE_OFFICIAL_OPERATIONAL)
    return;

  component = g_new0 (VigieFeedComponent, 1);
  component->name = clean_text (name != NULL ? name : "", VIGIE_FEED_MAX_TITLE_CHARS);
  component->status = clean_word (status);
  component->level = level;
  g_ptr_array_add (ctx->report->components, component);
}

static VigieFeedIncident *
incident_new (const char         *title,
              const char         *status,
              const char         *impact,
              VigieOfficialLevel  level)
{
  VigieFeedIncident *incident = g_new0 (VigieFeedIncident, 1);

  incident->title = clean_text (title != NULL ? title : "", VIGIE_FEED_MAX_TITLE_CHARS);
  incident->status = clean_word (status);
  incident->impact = clean_word (impact);
  incident->level = level;
  return incident;
}

static void
add_incident (ParseCtx          *ctx,
              VigieFeedIncident *incident)
{
  raise_level (ctx->report, incident->level);
  if (incident->level == VIGIE_OFFICIAL_MAINTENANCE)
    g_ptr_array_add (ctx->report->maintenances, incident);
  else
    g_ptr_array_add (ctx->report->incidents, incident);
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
/* JSON access: structural members are checked, descriptive ones tolerated   */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char         *name;
  VigieOfficialLevel  level;
} LevelName;

static VigieOfficialLevel
lookup_level (const LevelName *table,
              gsize            n_entries,
              const char      *value)
{
  if (value == NULL)
    return VIGIE_OFFICIAL_UNKNOWN;
  for (gsize i = 0; i < n_entries; i++)
    {
      if (g_ascii_strcasecmp (table[i].name, value) == 0)
        return table[i].level;
    }
  return VIGIE_OFFICIAL_UNKNOWN;
}

#define LOOKUP_LEVEL(table, value) lookup_level ((table), G_N_ELEMENTS (table), (value))

static gboolean
value_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static const char *
describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return "a string";
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return "a boolean";
  return "a number";
}

static gboolean
wrong_type (GError     **error,
            const char  *path,
            JsonNode    *node,
            const char  *expected)
{
  g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_WRONG_TYPE,
               "“%s” is %s, expected %s", path, describe_node (node), expected);
  return FALSE;
}

/* The member's node, or NULL when it is missing or null: feeds write null
 * for "not set" all the time. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

/* Structural getters: absent → TRUE with *out = NULL; wrong type → FALSE. */
static gboolean
get_object (JsonObject  *object,
            const char  *name,
            const char  *path,
            JsonObject **out,
            GError     **error)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (error, path, node, "an object");
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *name,
           const char  *path,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (error, path, node, "an array");
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char  *path,
            const char **out,
            GError     **error)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!value_is_string (node))
    return wrong_type (error, path, node, "a string");
  *out = json_node_get_string (node);
  return TRUE;
}

/* Element @index of an array that must hold objects; a null element is
 * skipped (TRUE with *out = NULL). */
static gboolean
get_element (JsonArray   *array,
             guint        index_,
             const char  *array_path,
             JsonObject **out,
             GError     **error)
{
  JsonNode *node = json_array_get_element (array, index_);

  *out = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      char path[128];

      g_snprintf (path, sizeof path, "%s[%u]", array_path, index_);
      return wrong_type (error, path, node, "an object");
    }
  *out = json_node_get_object (node);
  return TRUE;
}

/* Descriptive getters: anything but the expected type reads as absent. */
static const char *
opt_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && value_is_string (node) ? json_node_get_string (node) : NULL;
}

static JsonObject *
opt_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
opt_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
opt_bool (JsonObject *object,
          const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static JsonObject *
root_object (JsonNode  *root,
             GError   **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      wrong_type (error, "(document)", root, "an object");
      return NULL;
    }
  return json_node_get_object (root);
}

/* Body of the newest element of @updates, judged by @time_keys (first one
 * present wins); with no usable times the first element wins, which is the
 * order Statuspage and Slack publish. */
static char *
newest_body (JsonArray         *updates,
             const char        *body_key,
             const char *const *time_keys)
{
  const char *best = NULL;
  gint64 best_time = G_MININT64;

  if (updates == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonNode *node = json_array_get_element (updates, i);
      JsonObject *update;
      const char *body;
      gint64 t = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      update = json_node_get_object (node);
      body = opt_string (update, body_key);
      if (body == NULL)
        continue;
      for (guint k = 0; time_keys[k] != NULL && t == 0; k++)
        t = parse_iso8601 (opt_string (update, time_keys[k]));
      if (best == NULL || t > best_time)
        {
          best = body;
          best_time = t;
        }
    }
  return clean_text (best, VIGIE_FEED_MAX_UPDATE_CHARS);
}

/* ------------------------------------------------------------------------ */
/* Statuspage v2 summary.json (and incident.io's compatible copy)            */
/* ------------------------------------------------------------------------ */

static const LevelName statuspage_indicators[] = {
  { "none", VIGIE_OFFICIAL_OPERATIONAL },
  { "minor", VIGIE_OFFICIAL_MINOR },
  { "major", VIGIE_OFFICIAL_MAJOR },
  { "critical", VIGIE_OFFICIAL_MAJOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

static const LevelName statuspage_component_states[] = {
  { "operational", VIGIE_OFFICIAL_OPERATIONAL },
  { "degraded_performance", VIGIE_OFFICIAL_MINOR },
  { "partial_outage", VIGIE_OFFICIAL_MINOR },
  { "major_outage", VIGIE_OFFICIAL_MAJOR },
  { "full_outage", VIGIE_OFFICIAL_MAJOR },  /* incident.io's word for it */
  { "under_maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

/* Incident impact uses the indicator's words; "none" is raised by
 * open_incident_level(). */
#define statuspage_impacts statuspage_indicators

static gboolean
statuspage_is_closed (const char *status)
{
  return status != NULL &&
         (g_ascii_strcasecmp (status, "resolved") == 0 ||
          g_ascii_strcasecmp (status, "postmortem") == 0 ||
          g_ascii_strcasecmp (status, "completed") == 0);
}

/* Whether an incident or maintenance concerns the filtered service: its
 * "components" names one of the selected components, or it names none at
 * all (unattributed: it may well concern the service). */
static gboolean
statuspage_concerns (JsonObject *incident,
                     ParseCtx   *ctx,
                     GHashTable *selected_ids)
{
  JsonArray *components = opt_array (incident, "components");
  guint n;

  if (components == NULL || (n = json_array_get_length (components)) == 0)
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (components, i);

      if (value_is_string (node))
        {
          if (ctx_matches (ctx, json_node_get_string (node)))
            return TRUE;
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *component = json_node_get_object (node);
          const char *id = opt_string (component, "id");

          if ((id != NULL && g_hash_table_contains (selected_ids, id)) ||
              ctx_matches (ctx, opt_string (component, "name")))
            return TRUE;
        }
    }
  return FALSE;
}

static VigieFeedIncident *
statuspage_incident (JsonObject         *object,
                     const char         *impact,
                     VigieOfficialLevel  level)
{
  static const char *const update_times[] = { "display_at", "created_at", "updated_at", NULL };
  VigieFeedIncident *incident;
  gint64 started;

  incident = incident_new (opt_string (object, "name"), opt_string (object, "status"),
                           impact, level);
  incident->url = clean_url (opt_string (object, "shortlink"));
  started = parse_iso8601 (opt_string (object, "started_at"));
  if (started == 0)
    started = parse_iso8601 (opt_string (object, "scheduled_for"));
  if (started == 0)
    started = parse_iso8601 (opt_string (object, "created_at"));
  incident->started_at = started;
  incident->updated_at = parse_iso8601 (opt_string (object, "updated_at"));
  incident->latest_update = newest_body (opt_array (object, "incident_updates"),
                                         "body", update_times);
  return incident;
}

static gboolean
parse_statuspage (JsonNode  *root,
                  ParseCtx  *ctx,
                  GError   **error)
{
  VigieFeedReport *report = ctx->report;
  JsonObject *object, *status;
  JsonArray *components, *incidents, *maintenances;
  g_autoptr(GHashTable) group_names = NULL;   /* group id → name */
  g_autoptr(GHashTable) selected_ids = NULL;  /* ids the filter selected */

  if ((object = root_object (root, error)) == NULL)
    return FALSE;
  if (!get_object (object, "status", "status", &status, error) ||
      !get_array (object, "components", "components", &components, error) ||
      !get_array (object, "incidents", "incidents", &incidents, error) ||
      !get_array (object, "scheduled_maintenances", "scheduled_maintenances", &maintenances, error))
    return FALSE;

  if (status != NULL)
    {
      const char *indicator;

      if (!get_string (status, "indicator", "status.indicator", &indicator, error))
        return FALSE;
      /* The indicator and description are page-wide: a filtered service
       * is judged by its own components and incidents only. */
      if (ctx->filter_key == NULL)
        {
          if (indicator != NULL)
            raise_level (report, LOOKUP_LEVEL (statuspage_indicators, indicator));
          report->description = clean_text (opt_string (status, "description"),
                                            VIGIE_FEED_MAX_TITLE_CHARS);
        }
    }

  /* Strings in these tables point into the JSON tree, alive until we return. */
  group_names = g_hash_table_new (g_str_hash, g_str_equal);
  selected_ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component;
      const char *id, *name;

      if (!get_element (components, i, "components", &component, error))
        return FALSE;
      if (component == NULL || !opt_bool (component, "group"))
        continue;
      id = opt_string (component, "id");
      name = opt_string (component, "name");
      if (id != NULL && name != NULL)
        g_hash_table_insert (group_names, (gpointer) id, (gpointer) name);
    }

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component;
      const char *name, *state, *id, *group_id;

      if (!get_element (components, i, "components", &component, error))
        return FALSE;
      if (component == NULL)
        continue;
      if (!get_string (component, "status", "components[].status", &state, error))
        return FALSE;
      name = opt_string (component, "name");
      id = opt_string (component, "id");
      group_id = opt_string (component, "group_id");

      if (ctx->filter_key != NULL)
        {
          gboolean selected = ctx_matches (ctx, name);

          if (!selected && group_id != NULL)
            selected = ctx_matches (ctx, g_hash_table_lookup (group_names, group_id));
          if (!selected)
            continue;
          if (id != NULL)
            g_hash_table_add (selected_ids, (gpointer) id);
        }

      /* A group's status only summarises its children, which are listed. */
      if (opt_bool (component, "group"))
        continue;
      add_component (ctx, name, state, LOOKUP_LEVEL (statuspage_component_states, state));
    }

  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *incident;
      const char *impact;
      VigieOfficialLevel level;

      if (!get_element (incidents, i, "incidents", &incident, error))
        return FALSE;
      if (incident == NULL)
        continue;
      if (!get_string (incident, "impact", "incidents[].impact", &impact, error))
        return FALSE;
      if (statuspage_is_closed (opt_string (incident, "status")))
        continue;
      if (ctx->filter_key != NULL && !statuspage_concerns (incident, ctx, selected_ids))
        continue;
      level = open_incident_level (LOOKUP_LEVEL (statuspage_impacts, impact));
      add_incident (ctx, statuspage_incident (incident, impact, level));
    }

  for (guint i = 0; maintenances != NULL && i < json_array_get_length (maintenances); i++)
    {
      JsonObject *maintenance;
      const char *state;

      if (!get_element (maintenances, i, "scheduled_maintenances", &maintenance, error))
        return FALSE;
      if (maintenance == NULL)
        continue;
      if (!get_string (maintenance, "status", "scheduled_maintenances[].status", &state, error))
        return FALSE;
      /* "scheduled" is future work; only these two mean "now". */
      if (g_strcmp0 (state, "in_progress") != 0 && g_strcmp0 (state, "verifying") != 0)
        continue;
      if (ctx->filter_key != NULL && !statuspage_concerns (maintenance, ctx, selected_ids))
        continue;
      add_incident (ctx, statuspage_incident (maintenance, opt_string (maintenance, "impact"),
                                              VIGIE_OFFICIAL_MAINTENANCE));
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Instatus summary.json                                                     */
/* ------------------------------------------------------------------------ */

static const LevelName instatus_states[] = {
  { "UP", VIGIE_OFFICIAL_OPERATIONAL },
  { "OPERATIONAL", VIGIE_OFFICIAL_OPERATIONAL },
  { "HASISSUES", VIGIE_OFFICIAL_MINOR },
  { "UNDERMAINTENANCE", VIGIE_OFFICIAL_MAINTENANCE },
  { "DEGRADEDPERFORMANCE", VIGIE_OFFICIAL_MINOR },
  { "PARTIALOUTAGE", VIGIE_OFFICIAL_MINOR },
  { "MINOROUTAGE", VIGIE_OFFICIAL_MINOR },
  { "MAJOROUTAGE", VIGIE_OFFICIAL_MAJOR },
};

/* Instatus spells the same words MAJOROUTAGE, MAJOR_OUTAGE or majorOutage
 * depending on the endpoint and year: compare them squeezed. */
static VigieOfficialLevel
instatus_level (const char *value)
{
  g_autoptr(GString) squeezed = NULL;

  if (value == NULL)
    return VIGIE_OFFICIAL_UNKNOWN;
  squeezed = g_string_new (NULL);
  for (const char *p = value; *p != '\0' && squeezed->len < 64; p++)
    {
      if (*p != '_' && *p != '-' && *p != ' ')
        g_string_append_c (squeezed, g_ascii_toupper (*p));
    }
  return LOOKUP_LEVEL (instatus_states, squeezed->str);
}

static gboolean
instatus_word_is (const char *value,
                  const char *squeezed_upper)
{
  g_autoptr(GString) squeezed = g_string_new (NULL);

  if (value == NULL)
    return FALSE;
  for (const char *p = value; *p != '\0' && squeezed->len < 64; p++)
    {
      if (*p != '_' && *p != '-' && *p != ' ')
        g_string_append_c (squeezed, g_ascii_toupper (*p));
    }
  return strcmp (squeezed->str, squeezed_upper) == 0;
}

static VigieFeedIncident *
instatus_incident (JsonObject         *object,
                   const char         *start_key,
                   const char         *impact,
                   VigieOfficialLevel  level)
{
  VigieFeedIncident *incident;

  incident = incident_new (opt_string (object, "name"), opt_string (object, "status"),
                           impact, level);
  incident->url = clean_url (opt_string (object, "url"));
  incident->started_at = parse_iso8601 (opt_string (object, start_key));
  incident->updated_at = parse_iso8601 (opt_string (object, "updatedAt"));
  return incident;
}

static gboolean
parse_instatus (JsonNode  *root,
                ParseCtx  *ctx,
                GError   **error)
{
  VigieFeedReport *report = ctx->report;
  JsonObject *object, *page;
  JsonArray *components, *incidents, *maintenances;
  JsonNode *status_node;
  const char *page_status = NULL, *top_status = NULL;
  gboolean filtering;

  if ((object = root_object (root, error)) == NULL)
    return FALSE;
  if (!get_object (object, "page", "page", &page, error) ||
      !get_array (object, "components", "components", &components, error) ||
      !get_array (object, "activeIncidents", "activeIncidents", &incidents, error) ||
      !get_array (object, "activeMaintenances", "activeMaintenances", &maintenances, error))
    return FALSE;
  if (page != NULL && !get_string (page, "status", "page.status", &page_status, error))
    return FALSE;

  /* Newer pages put the state at the top: "status": "UP" or {"type": "UP"}. */
  status_node = member (object, "status");
  if (status_node != NULL)
    {
      if (value_is_string (status_node))
        top_status = json_node_get_string (status_node);
      else if (JSON_NODE_HOLDS_OBJECT (status_node))
        {
          if (!get_string (json_node_get_object (status_node), "type", "status.type", &top_status, error))
            return FALSE;
        }
      else
        return wrong_type (error, "status", status_node, "a string or an object");
    }

  /* Without components there is nothing to filter on: page-level it is. */
  filtering = ctx->filter_key != NULL && components != NULL && json_array_get_length (components) > 0;

  if (!filtering)
    {
      raise_level (report, instatus_level (page_status));
      raise_level (report, instatus_level (top_status));
    }

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component;
      const char *name, *state;

      if (!get_element (components, i, "components", &component, error))
        return FALSE;
      if (component == NULL)
        continue;
      if (!get_string (component, "status", "components[].status", &state, error))
        return FALSE;
      name = opt_string (component, "name");
      if (filtering && !ctx_matches (ctx, name))
        continue;
      add_component (ctx, name, state, instatus_level (state));
    }

  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *incident;
      const char *impact;

      if (!get_element (incidents, i, "activeIncidents", &incident, error))
        return FALSE;
      if (incident == NULL)
        continue;
      if (!get_string (incident, "impact", "activeIncidents[].impact", &impact, error))
        return FALSE;
      if (instatus_word_is (opt_string (incident, "status"), "RESOLVED"))
        continue;
      add_incident (ctx, instatus_incident (incident, "started", impact,
                                            open_incident_level (instatus_level (impact))));
    }

  for (guint i = 0; maintenances != NULL && i < json_array_get_length (maintenances); i++)
    {
      JsonObject *maintenance;
      const char *state;

      if (!get_element (maintenances, i, "activeMaintenances", &maintenance, error))
        return FALSE;
      if (maintenance == NULL)
        continue;
      if (!get_string (maintenance, "status", "activeMaintenances[].status", &state, error))
        return FALSE;
      /* NOTSTARTEDYET and COMPLETED are listed too; only INPROGRESS is now. */
      if (!instatus_word_is (state, "INPROGRESS"))
        continue;
      add_incident (ctx, instatus_incident (maintenance, "start", opt_string (maintenance, "impact"),
                                            VIGIE_OFFICIAL_MAINTENANCE));
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Better Stack index.json (JSON:API)                                        */
/* ------------------------------------------------------------------------ */

static const LevelName betterstack_states[] = {
  { "operational", VIGIE_OFFICIAL_OPERATIONAL },
  { "degraded", VIGIE_OFFICIAL_MINOR },
  { "downtime", VIGIE_OFFICIAL_MAJOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

static gboolean
parse_betterstack (JsonNode  *root,
                   ParseCtx  *ctx,
                   GError   **error)
{
  JsonObject *object, *data, *attributes = NULL;
  JsonArray *included;
  const char *aggregate = NULL;

  if ((object = root_object (root, error)) == NULL)
    return FALSE;
  if (!get_object (object, "data", "data", &data, error) ||
      !get_array (object, "included", "included", &included, error))
    return FALSE;
  if (data != NULL && !get_object (data, "attributes", "data.attributes", &attributes, error))
    return FALSE;
  if (attributes != NULL &&
      !get_string (attributes, "aggregate_state", "data.attributes.aggregate_state", &aggregate, error))
    return FALSE;

  if (ctx->filter_key == NULL)
    raise_level (ctx->report, LOOKUP_LEVEL (betterstack_states, aggregate));

  for (guint i = 0; included != NULL && i < json_array_get_length (included); i++)
    {
      JsonObject *resource, *resource_attributes;
      const char *name, *state;

      if (!get_element (included, i, "included", &resource, error))
        return FALSE;
      if (resource == NULL)
        continue;
      if (!get_object (resource, "attributes", "included[].attributes", &resource_attributes, error))
        return FALSE;
      if (!get_string (resource_attributes, "status", "included[].attributes.status", &state, error))
        return FALSE;
      /* Sections and other included things have no status: not resources. */
      if (state == NULL)
        continue;
      name = opt_string (resource_attributes, "public_name");
      if (name == NULL)
        name = opt_string (resource_attributes, "name");
      if (ctx->filter_key != NULL && !ctx_matches (ctx, name))
        continue;
      add_component (ctx, name, state, LOOKUP_LEVEL (betterstack_states, state));
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Slack status API v2.0.0 current                                           */
/* ------------------------------------------------------------------------ */

static const LevelName slack_states[] = {
  { "ok", VIGIE_OFFICIAL_OPERATIONAL },
  { "active", VIGIE_OFFICIAL_MINOR },
};

static const LevelName slack_types[] = {
  { "outage", VIGIE_OFFICIAL_MAJOR },
  { "incident", VIGIE_OFFICIAL_MINOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

static gboolean
slack_concerns (JsonObject *incident,
                ParseCtx   *ctx)
{
  JsonArray *services = opt_array (incident, "services");
  guint n;

  if (services == NULL || (n = json_array_get_length (services)) == 0)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (services, i);

      if (value_is_string (node) && ctx_matches (ctx, json_node_get_string (node)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
parse_slack (JsonNode  *root,
             ParseCtx  *ctx,
             GError   **error)
{
  static const char *const note_times[] = { "date_created", NULL };
  JsonObject *object;
  JsonArray *incidents;
  const char *status;
  VigieOfficialLevel status_level;

  if ((object = root_object (root, error)) == NULL)
    return FALSE;
  if (!get_string (object, "status", "status", &status, error) ||
      !get_array (object, "active_incidents", "active_incidents", &incidents, error))
    return FALSE;

  status_level = LOOKUP_LEVEL (slack_states, status);
  if (ctx->filter_key == NULL)
    raise_level (ctx->report, status_level);
  else if (status_level != VIGIE_OFFICIAL_UNKNOWN)
    /* Slack lists every open incident: none about this service is news. */
    raise_level (ctx->report, VIGIE_OFFICIAL_OPERATIONAL);

  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *object_i;
      VigieFeedIncident *incident;
      const char *type, *title, *state;
      VigieOfficialLevel level;

      if (!get_element (incidents, i, "active_incidents", &object_i, error))
        return FALSE;
      if (object_i == NULL)
        continue;
      if (!get_string (object_i, "type", "active_incidents[].type", &type, error))
        return FALSE;
      state = opt_string (object_i, "status");
      if (state != NULL &&
          (g_ascii_strcasecmp (state, "resolved") == 0 ||
           g_ascii_strcasecmp (state, "completed") == 0 ||
           g_ascii_strcasecmp (state, "scheduled") == 0))
        continue;
      if (ctx->filter_key != NULL && !slack_concerns (object_i, ctx))
        continue;

      title = opt_string (object_i, "title");
      if (type != NULL && g_ascii_strcasecmp (type, "notice") == 0)
        /* Notices announce planned work as well as small known issues. */
        level = contains_ascii_nocase (title, "maintenance") ? VIGIE_OFFICIAL_MAINTENANCE
                                                             : VIGIE_OFFICIAL_MINOR;
      else
        level = open_incident_level (LOOKUP_LEVEL (slack_types, type));

      incident = incident_new (title, state, type, level);
      incident->url = clean_url (opt_string (object_i, "url"));
      incident->started_at = parse_iso8601 (opt_string (object_i, "date_created"));
      incident->updated_at = parse_iso8601 (opt_string (object_i, "date_updated"));
      incident->latest_update = newest_body (opt_array (object_i, "notes"), "body", note_times);
      add_incident (ctx, incident);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Google incidents.json (Workspace and Cloud)                               */
/* ------------------------------------------------------------------------ */

static const LevelName google_impacts[] = {
  { "SERVICE_OUTAGE", VIGIE_OFFICIAL_MAJOR },
  { "SERVICE_DISRUPTION", VIGIE_OFFICIAL_MINOR },
  { "SERVICE_INFORMATION", VIGIE_OFFICIAL_MINOR },
};

static const LevelName google_severities[] = {
  { "high", VIGIE_OFFICIAL_MAJOR },
  { "medium", VIGIE_OFFICIAL_MINOR },
  { "low", VIGIE_OFFICIAL_MINOR },
};

static gboolean
google_concerns (JsonObject *incident,
                 ParseCtx   *ctx)
{
  JsonArray *products;

  if (ctx_matches (ctx, opt_string (incident, "service_name")))
    return TRUE;
  products = opt_array (incident, "affected_products");
  for (guint i = 0; products != NULL && i < json_array_get_length (products); i++)
    {
      JsonNode *node = json_array_get_element (products, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          ctx_matches (ctx, opt_string (json_node_get_object (node), "title")))
        return TRUE;
    }
  return FALSE;
}

static gboolean
parse_google (JsonNode  *root,
              ParseCtx  *ctx,
              GError   **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return wrong_type (error, "(document)", root, "an array");
  array = json_node_get_array (root);

  /* The file lists every incident for years: none current is news. */
  raise_level (ctx->report, VIGIE_OFFICIAL_OPERATIONAL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object, *latest;
      VigieFeedIncident *incident;
      const char *end, *impact, *severity;
      gint64 begin_time;
      VigieOfficialLevel level;

      if (!get_element (array, i, "(document)", &object, error))
        return FALSE;
      if (object == NULL)
        continue;
      if (!get_string (object, "end", "[].end", &end, error) ||
          !get_string (object, "status_impact", "[].status_impact", &impact, error) ||
          !get_string (object, "severity", "[].severity", &severity, error))
        return FALSE;

      /* Open: no end yet, or one announced for later. An end we cannot
       * read counts as past: if Google changed its time format, years of
       * history must not all turn "current". */
      if (end != NULL && *end != '\0')
        {
          gint64 end_time = parse_iso8601 (end);

          if (end_time == 0 || end_time <= ctx->now)
            continue;
        }
      begin_time = parse_iso8601 (opt_string (object, "begin"));
      if (begin_time > ctx->now)
        continue;
      if (ctx->filter_key != NULL && !google_concerns (object, ctx))
        continue;

      level = LOOKUP_LEVEL (google_impacts, impact);
      if (level == VIGIE_OFFICIAL_UNKNOWN)
        level = LOOKUP_LEVEL (google_severities, severity);
      level = open_incident_level (level);

      latest = opt_object (object, "most_recent_update");
      incident = incident_new (opt_string (object, "external_desc"),
                               opt_string (latest, "status"), impact, level);
      incident->url = clean_url (opt_string (object, "uri"));
      incident->latest_update = clean_text (opt_string (latest, "text"), VIGIE_FEED_MAX_UPDATE_CHARS);
      incident->started_at = begin_time;
      incident->updated_at = parse_iso8601 (opt_string (object, "modified"));
      if (incident->updated_at == 0)
        incident->updated_at = parse_iso8601 (opt_string (latest, "when"));
      add_incident (ctx, incident);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* RSS 2.0 / RSS 1.0 / Atom open-event feeds, through GMarkup                */
/* ------------------------------------------------------------------------ */

/* The character at *@p, and *@p moved past it. Never steps over the
 * terminating NUL, even on a truncated or invalid sequence (which reads as
 * U+FFFD and is skipped up to the next lead byte): the text is meant to be
 * valid UTF-8, but a bad byte must not turn into an over-read. */
static gunichar
next_char (const char **p)
{
  gunichar c = g_utf8_get_char_validated (*p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      const char *q = *p + 1;

      while (((guchar) *q & 0xC0) == 0x80)
        q++;
      *p = q;
      return 0xFFFD;
    }
  *p = g_utf8_next_char (*p);
  return c;
}

/* HTML → plain text: tags dropped (block-level ones leave a space), the
 * usual entities decoded, whitespace runs squeezed. Not a sanitiser for
 * display as markup — the result is text, and the caller escapes it. */
static char *
html_to_text (const char *html)
{
  static const char *const inline_tags[] = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
    "u", "var", NULL,
  };
  static const struct { const char *name; gunichar c; } entities[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
    { "apos", '\'' }, { "nbsp", ' ' },
  };
  GString *out = g_string_sized_new (strlen (html));
  const char *p = html;
  gboolean pending_space = FALSE;

  while (*p != '\0')
    {
      gunichar c;

      if (*p == '<')
        {
          const char *name;
          gsize name_len;
          gboolean is_inline = FALSE;
          char quote = 0;

          if (g_str_has_prefix (p, "<!--"))
            {
              const char *end = strstr (p + 4, "-->");

              p = end != NULL ? end + 3 : p + strlen (p);
              pending_space = TRUE;
              continue;
            }
          name = p + 1;
          if (*name == '/')
            name++;
          name_len = 0;
          while (g_ascii_isalnum (name[name_len]))
            name_len++;
          for (guint i = 0; inline_tags[i] != NULL; i++)
            {
              if (strlen (inline_tags[i]) == name_len &&
                  g_ascii_strncasecmp (name, inline_tags[i], name_len) == 0)
                is_inline = TRUE;
            }
          /* Skip to the closing '>', not one inside an attribute value. */
          for (p++; *p != '\0'; p++)
            {
              if (quote != 0)
                {
                  if (*p == quote)
                    quote = 0;
                }
              else if (*p == '"' || *p == '\'')
                quote = *p;
              else if (*p == '>')
                {
                  p++;
                  break;
                }
            }
          /* Script and style bodies are not text. */
          if (name[-1] != '/' && name_len > 0 &&
              ((name_len == 6 && g_ascii_strncasecmp (name, "script", 6) == 0) ||
               (name_len == 5 && g_ascii_strncasecmp (name, "style", 5) == 0)))
            {
              const char *end = p;

              while (*end != '\0' &&
                     !(end[0] == '<' && end[1] == '/' &&
                       g_ascii_strncasecmp (end + 2, name, name_len) == 0))
                end++;
              p = end;
            }
          if (!is_inline)
            pending_space = TRUE;
          continue;
        }

      c = next_char (&p);

      if (c == '&')
        {
          /* The longest entity or reference ("#x10FFFF", "quot") fits in
           * 10 bytes before its ';': look no further, or every '&' of a
           * field without ';' scans to its end (quadratic). */
          const char *semi = memchr (p, ';', strnlen (p, 11));
          gunichar decoded = 0;

          if (semi != NULL)
            {
              if (*p == '#')
                {
                  gboolean hex = p[1] == 'x' || p[1] == 'X';
                  const char *digits = p + (hex ? 2 : 1);
                  char buf[12] = { 0, };
                  guint64 value = 0;

                  memcpy (buf, digits, (gsize) (semi - digits));
                  if (g_ascii_string_to_unsigned (buf, hex ? 16 : 10, 1, 0x10FFFF, &value, NULL) &&
                      g_unichar_validate ((gunichar) value))
                    decoded = (gunichar) value;
                }
              else
                {
                  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
                    {
                      if ((gsize) (semi - p) == strlen (entities[i].name) &&
                          strncmp (p, entities[i].name, semi - p) == 0)
                        decoded = entities[i].c;
                    }
                }
            }
          if (decoded != 0)
            {
              c = decoded;
              p = semi + 1;
            }
        }

      if (g_unichar_isspace (c) || c == 0xa0)
        {
          pending_space = TRUE;
          continue;
        }
      if (pending_space && out->len > 0)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Plain-text bodies (Atom text/xhtml) get the same whitespace treatment as
 * HTML ones: indentation and element boundaries are not content. */
static char *
squeeze_spaces (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean pending_space = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = next_char (&p);

      if (g_unichar_isspace (c))
        {
          pending_space = TRUE;
          continue;
        }
      if (pending_space && out->len > 0)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

typedef enum
{
  RSS_FIELD_NONE,
  RSS_FIELD_TITLE,
  RSS_FIELD_LINK,
  RSS_FIELD_DESCRIPTION,
  RSS_FIELD_CONTENT,
  RSS_FIELD_PUBLISHED,
  RSS_FIELD_UPDATED,
} RssField;

typedef struct
{
  char *title;
  char *link;
  char *description;
  char *content;
  char *published;
  char *updated;
} RssItem;

static void
rss_item_free (RssItem *item)
{
  if (item == NULL)
    return;
  g_free (item->title);
  g_free (item->link);
  g_free (item->description);
  g_free (item->content);
  g_free (item->published);
  g_free (item->updated);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RssItem, rss_item_free)

/* Field texts are cut here already: a description is shown in a
 * notification, not archived. */
#define RSS_MAX_FIELD_BYTES (64 * 1024)

typedef struct
{
  guint      depth;
  gboolean   seen_root;
  gboolean   is_atom;
  RssItem   *item;        /* item or entry being read, or NULL */
  guint      item_depth;
  RssField   field;       /* field of @item being read */
  guint      field_depth;
  gboolean   field_html;
  GString   *text;
  GPtrArray *items;       /* RssItem* */
} RssState;

static const char *
local_name (const char *element_name)
{
  const char *colon = strrchr (element_name, ':');

  return colon != NULL ? colon + 1 : element_name;
}

static const char *
find_attribute (const char **names,
                const char **values,
                const char  *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (local_name (names[i]), wanted) == 0)
        return values[i];
    }
  return NULL;
}

static void
rss_start_element (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  RssState *state = user_data;
  const char *name = local_name (element_name);
  const char *type;

  state->depth++;
  if (state->depth > VIGIE_FEED_MAX_DEPTH)
    {
      g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_DEEP,
                   "elements nested deeper than %d levels", VIGIE_FEED_MAX_DEPTH);
      return;
    }

  if (state->depth == 1)
    {
      state->seen_root = TRUE;
      /* An HTML error page that happens to be well-formed must not read
       * as "no open events". */
      if (strcmp (name, "rss") != 0 && strcmp (name, "RDF") != 0 && strcmp (name, "feed") != 0)
        g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_WRONG_TYPE,
                     "root element is <%s>, expected <rss>, <rdf:RDF> or <feed>", element_name);
      state->is_atom = strcmp (name, "feed") == 0;
      return;
    }

  if (state->field != RSS_FIELD_NONE)
    {
      /* Atom xhtml content: child elements are markup, keep words apart. */
      g_string_append_c (state->text, ' ');
      return;
    }

  if (state->item == NULL)
    {
      if (strcmp (name, "item") == 0 || strcmp (name, "entry") == 0)
        {
          state->item = g_new0 (RssItem, 1);
          state->item_depth = state->depth;
        }
      return;
    }

  if (state->depth != state->item_depth + 1)
    return;

  type = find_attribute (attribute_names, attribute_values, "type");
  if (strcmp (name, "title") == 0)
    {
      state->field = RSS_FIELD_TITLE;
      state->field_html = g_strcmp0 (type, "html") == 0;
    }
  else if (strcmp (name, "link") == 0)
    {
      const char *href = find_attribute (attribute_names, attribute_values, "href");
      const char *rel = find_attribute (attribute_names, attribute_values, "rel");

      if (href != NULL)
        {
          if (state->item->link == NULL && (rel == NULL || strcmp (rel, "alternate") == 0))
            state->item->link = g_strdup (href);
        }
      else
        state->field = RSS_FIELD_LINK;
      state->field_html = FALSE;
    }
  else if (strcmp (name, "description") == 0 || strcmp (name, "summary") == 0)
    {
      state->field = RSS_FIELD_DESCRIPTION;
      /* RSS descriptions are HTML; Atom says so with type="html". */
      state->field_html = !state->is_atom || g_strcmp0 (type, "html") == 0;
    }
  else if (strcmp (name, "content") == 0 || strcmp (name, "encoded") == 0)
    {
      state->field = RSS_FIELD_CONTENT;
      state->field_html = strcmp (name, "encoded") == 0 || g_strcmp0 (type, "html") == 0;
    }
  else if (strcmp (name, "pubDate") == 0 || strcmp (name, "published") == 0 ||
           strcmp (name, "date") == 0 || strcmp (name, "issued") == 0)
    {
      state->field = RSS_FIELD_PUBLISHED;
      state->field_html = FALSE;
    }
  else if (strcmp (name, "updated") == 0 || strcmp (name, "modified") == 0)
    {
      state->field = RSS_FIELD_UPDATED;
      state->field_html = FALSE;
    }

  if (state->field != RSS_FIELD_NONE)
    {
      state->field_depth = state->depth;
      g_string_truncate (state->text, 0);
    }
}

static void
rss_store_field (RssState *state)
{
  char **slot = NULL;
  char *value;

  switch (state->field)
    {
    case RSS_FIELD_TITLE:
      slot = &state->item->title;
      break;
    case RSS_FIELD_LINK:
      slot = &state->item->link;
      break;
    case RSS_FIELD_DESCRIPTION:
      slot = &state->item->description;
      break;
    case RSS_FIELD_CONTENT:
      slot = &state->item->content;
      break;
    case RSS_FIELD_PUBLISHED:
      slot = &state->item->published;
      break;
    case RSS_FIELD_UPDATED:
      slot = &state->item->updated;
      break;
    case RSS_FIELD_NONE:
    default:
      return;
    }

  /* First occurrence wins (e.g. dc:date after pubDate). */
  if (*slot != NULL)
    return;
  if (state->field_html)
    value = html_to_text (state->text->str);
  else if (state->field == RSS_FIELD_DESCRIPTION || state->field == RSS_FIELD_CONTENT)
    value = squeeze_spaces (state->text->str);
  else
    value = g_strdup (state->text->str);
  *slot = value;
}

static void
rss_end_element (GMarkupParseContext  *context,
                 const char           *element_name,
                 gpointer              user_data,
                 GError              **error)
{
  RssState *state = user_data;

  if (state->field != RSS_FIELD_NONE && state->depth == state->field_depth)
    {
      rss_store_field (state);
      state->field = RSS_FIELD_NONE;
    }
  else if (state->item != NULL && state->depth == state->item_depth)
    {
      g_ptr_array_add (state->items, state->item);
      state->item = NULL;
    }
  state->depth--;
}

static void
rss_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  RssState *state = user_data;
  gsize n;

  if (state->field == RSS_FIELD_NONE || state->text->len >= RSS_MAX_FIELD_BYTES)
    return;
  /* Cut on a character boundary: a lone lead byte at the end would make
   * the passes over the field step over its NUL. */
  n = MIN (text_len, RSS_MAX_FIELD_BYTES - state->text->len);
  if (n < text_len)
    {
      while (n > 0 && ((guchar) text[n] & 0xC0) == 0x80)
        n--;
    }
  g_string_append_len (state->text, text, (gssize) n);
}

static VigieOfficialLevel
rss_item_level (const char *title,
                const char *description)
{
  static const char *const major_words[] = { "outage", "outages", "down", "major", "unavailable", NULL };
  static const char *const minor_words[] = { "partial", "partially", "minor", "degraded", NULL };

  if ((has_word (title, major_words) || has_word (description, major_words)) &&
      !has_word (title, minor_words))
    return VIGIE_OFFICIAL_MAJOR;
  return VIGIE_OFFICIAL_MINOR;
}

static gboolean
parse_rss (const char  *text,
           gsize        len,
           ParseCtx    *ctx,
           GError     **error)
{
  static const GMarkupParser parser = {
    rss_start_element,
    rss_end_element,
    rss_text,
    NULL,
    NULL,
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rss_item_free);
  g_autoptr(GString) field_text = g_string_new (NULL);
  g_autoptr(RssItem) unfinished = NULL;
  g_autoptr(GError) local_error = NULL;
  RssState state = { 0, };
  gboolean ok;

  state.text = field_text;
  state.items = items;

  /* GMarkup knows only the five predefined entities and character
   * references: no DTD, no external entity, nothing to expand. */
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, text, (gssize) len, &local_error) &&
       g_markup_parse_context_end_parse (context, &local_error);
  unfinished = g_steal_pointer (&state.item);

  /* GMarkup accepts a document made only of comments: that is no feed. */
  if (ok && !state.seen_root)
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                           "not a feed: no root element");
      return FALSE;
    }
  if (!ok)
    {
      if (local_error->domain == VIGIE_FEED_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        {
          /* GMarkup quotes the document, down to a single byte of a
           * multi-byte character, escape sequences included. */
          g_autofree char *message = clean_text (local_error->message, VIGIE_FEED_MAX_TITLE_CHARS);

          g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                       "not a well-formed feed: %s", message);
        }
      return FALSE;
    }

  /* Every item of such a feed is an open event: none means all clear. */
  raise_level (ctx->report, VIGIE_OFFICIAL_OPERATIONAL);

  for (guint i = 0; i < items->len; i++)
    {
      RssItem *item = g_ptr_array_index (items, i);
      const char *description = item->description != NULL ? item->description : item->content;
      VigieFeedIncident *incident;

      incident = incident_new (item->title, NULL, NULL, rss_item_level (item->title, description));
      incident->url = clean_url (item->link);
      incident->latest_update = clean_text (description, VIGIE_FEED_MAX_UPDATE_CHARS);
      incident->started_at = parse_any_time (item->published);
      incident->updated_at = parse_any_time (item->updated);
      if (incident->started_at == 0)
        incident->started_at = incident->updated_at;
      if (incident->updated_at == 0)
        incident->updated_at = incident->started_at;
      if (incident->latest_update != NULL && *incident->latest_update == '\0')
        g_clear_pointer (&incident->latest_update, g_free);
      add_incident (ctx, incident);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Entry point                                                               */
/* ------------------------------------------------------------------------ */

/* Depth and number of [ and { outside strings, counted before json-glib
 * (which recurses, and spends ≈170 bytes per node) ever sees the bytes.
 * Linear, and stops at the first excess. Also refuses a root that is not
 * a container (every feed's root is an object or an array, and json-glib
 * 1.6 leaks whatever follows a top-level scalar, as in "0[...]") and
 * bytes after the top-level container: json-glib would quietly read only
 * the first of two concatenated documents. */
static gboolean
check_json_depth (const guint8  *data,
                  gsize          len,
                  GError       **error)
{
  guint depth = 0;
  guint containers = 0;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gboolean closed = FALSE;
  gsize start = 0;

  while (start < len && g_ascii_isspace (data[start]))
    start++;
  if (start < len && data[start] != '{' && data[start] != '[')
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                           "not a JSON object or array");
      return FALSE;
    }

  for (gsize i = start; i < len; i++)
    {
      guint8 c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (closed && !g_ascii_isspace (c))
        {
          g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                       "unexpected data after the JSON document (at byte %" G_GSIZE_FORMAT ")", i);
          return FALSE;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > VIGIE_FEED_MAX_DEPTH)
            {
              g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_DEEP,
                           "JSON nested deeper than %d levels (at byte %" G_GSIZE_FORMAT ")",
                           VIGIE_FEED_MAX_DEPTH, i);
              return FALSE;
            }
          if (++containers > VIGIE_FEED_MAX_CONTAINERS)
            {
              g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE,
                           "JSON holds more than %d arrays and objects (at byte %" G_GSIZE_FORMAT ")",
                           VIGIE_FEED_MAX_CONTAINERS, i);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0 && --depth == 0)
            closed = TRUE;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

static gboolean
parse_json (VigieFeedKind   kind,
            const char     *text,
            gsize           len,
            ParseCtx       *ctx,
            GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      /* json-glib quotes the document too. */
      g_autofree char *message = clean_text (local_error->message, VIGIE_FEED_MAX_TITLE_CHARS);

      g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID,
                   "not valid JSON: %s", message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID, "empty document");
      return FALSE;
    }

  switch (kind)
    {
    case VIGIE_FEED_STATUSPAGE:
    case VIGIE_FEED_INCIDENTIO:
      return parse_statuspage (root, ctx, error);
    case VIGIE_FEED_INSTATUS:
      return parse_instatus (root, ctx, error);
    case VIGIE_FEED_BETTERSTACK:
      return parse_betterstack (root, ctx, error);
    case VIGIE_FEED_SLACK:
      return parse_slack (root, ctx, error);
    case VIGIE_FEED_GOOGLE:
      return parse_google (root, ctx, error);
    case VIGIE_FEED_NONE:
    case VIGIE_FEED_RSS:
    default:
      break;
    }
  g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_UNSUPPORTED,
               "no JSON parser for feed kind “%s”", vigie_feed_kind_to_string (kind));
  return FALSE;
}

/**
 * vigie_feed_parse:
 * @kind: which format @data is in
 * @data: (array length=len) (nullable): the body as fetched
 * @len: length of @data in bytes
 * @filter: (nullable): a component or service name to restrict the report
 *   to (see vigie-feeds.h for what it selects in each kind), or %NULL
 * @now_unix: the current wall time, unix seconds (Google's "is this
 *   incident still open" depends on it)
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
  g_autoptr(VigieFeedReport) report = NULL;
  g_autofree char *text = NULL;
  g_autofree char *filter_key = NULL;
  ParseCtx ctx = { 0, };
  gsize text_len;
  gboolean ok;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (feed_kind_names), NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (kind == VIGIE_FEED_NONE)
    {
      g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_UNSUPPORTED,
                           "this service publishes no status feed");
      return NULL;
    }
  if (len > vigie_feed_max_size (kind))
    {
      g_set_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE,
                   "feed is %" G_GSIZE_FORMAT " bytes, more than the %" G_GSIZE_FORMAT " allowed",
                   len, vigie_feed_max_size (kind));
      return NULL;
    }

  /* A byte-order mark is legal in front of JSON and XML but json-glib
   * chokes on it. */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  {
    gsize i = 0;

    while (i < len && g_ascii_isspace (data[i]))
      i++;
    if (i == len)
      {
        g_set_error_literal (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID, "empty document");
        return NULL;
      }
  }

  if (kind != VIGIE_FEED_RSS && !check_json_depth (data, len, error))
    return NULL;

  /* Repair rather than refuse: invalid bytes (and NULs) become U+FFFD. */
  text = g_utf8_make_valid ((const char *) data, (gssize) len);
  text_len = strlen (text);

  if (filter != NULL)
    {
      filter_key = name_key (filter);
      if (*filter_key == '\0')
        g_clear_pointer (&filter_key, g_free);
    }

  report = vigie_feed_report_new ();
  ctx.filter_key = filter_key;
  ctx.now = now_unix;
  ctx.report = report;

  if (kind == VIGIE_FEED_RSS)
    ok = parse_rss (text, text_len, &ctx, error);
  else
    ok = parse_json (kind, text, text_len, &ctx, error);
  if (!ok)
    return NULL;

  if (filter_key != NULL)
    g_clear_pointer (&report->description, g_free);
  finish_report (report);
  return g_steal_pointer (&report);
}
