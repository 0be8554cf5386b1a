/* vigie-feed-formats.c — the table of feed formats, and detection.
 *
 * Owns the one list of formats Vigie reads (see vigie-feed-format.h) and
 * what follows from it alone: kind names for settings, and where to look
 * for the feed of a status page someone pasted. Add a format here, in a
 * file of its own, and with its fixtures; nothing else lists them.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-feed-private.h"

static const char *const statuspage_endpoints[] = { "api/v2/summary.json", NULL };
static const char *const statuspage_suffixes[] = { "/api/v2/summary.json", NULL };
static const char *const instatus_endpoints[] = { "summary.json", NULL };
static const char *const instatus_suffixes[] = { "summary.json", NULL };
static const char *const betterstack_endpoints[] = { "index.json", NULL };
static const char *const betterstack_suffixes[] = { "index.json", NULL };
static const char *const slack_endpoints[] = { "api/v2.0.0/current", NULL };
static const char *const slack_suffixes[] = { "/api/v2.0.0/current", NULL };
static const char *const google_endpoints[] = { "incidents.json", NULL };
static const char *const google_suffixes[] = { "incidents.json", NULL };
static const char *const rss_suffixes[] = { ".rss", ".atom", ".xml", NULL };

/* In the order detection tries them and settings errors list them. Google
 * keeps years of incidents, with every update, in one file: hence its
 * larger size cap. Whether a Google incident or a Better Stack report is
 * current depends on times written in it, compared with "now". */
static const VigieFeedFormat formats[] = {
  {
    .kind = VIGIE_FEED_STATUSPAGE,
    .name = "statuspage",
    .label = N_("Atlassian Statuspage"),
    .syntax = VIGIE_FEED_SYNTAX_JSON,
    .endpoints = statuspage_endpoints,
    .suffixes = statuspage_suffixes,
    .max_size = VIGIE_FEED_MAX_SIZE,
    .clock_dependent = FALSE,
    .parse = vigie_feed_parse_statuspage,
  },
  {
    /* Serves Statuspage's shape at the same path: detection cannot tell
     * the two apart, and finds it as Statuspage, which reads it too. */
    .kind = VIGIE_FEED_INCIDENTIO,
    .name = "incidentio",
    .label = N_("incident.io status page"),
    .syntax = VIGIE_FEED_SYNTAX_JSON,
    .endpoints = NULL,
    .suffixes = NULL,
    .max_size = VIGIE_FEED_MAX_SIZE,
    .clock_dependent = FALSE,
    .parse = vigie_feed_parse_incidentio,
  },
  {
    .kind = VIGIE_FEED_INSTATUS,
    .name = "instatus",
    .label = N_("Instatus page"),
    .syntax = VIGIE_FEED_SYNTAX_JSON,
    .endpoints = instatus_endpoints,
    .suffixes = instatus_suffixes,
    .max_size = VIGIE_FEED_MAX_SIZE,
    .clock_dependent = FALSE,
    .parse = vigie_feed_parse_instatus,
  },
  {
    .kind = VIGIE_FEED_BETTERSTACK,
    .name = "betterstack",
    .label = N_("Better Stack status page"),
    .syntax = VIGIE_FEED_SYNTAX_JSON,
    .endpoints = betterstack_endpoints,
    .suffixes = betterstack_suffixes,
    .max_size = VIGIE_FEED_MAX_SIZE,
    .clock_dependent = TRUE,
    .parse = vigie_feed_parse_betterstack,
  },
  {
    .kind = VIGIE_FEED_SLACK,
    .name = "slack",
    .label = N_("Slack status API"),
    .syntax = VIGIE_FEED_SYNTAX_JSON,
    .endpoints = slack_endpoints,
    .suffixes = slack_suffixes,
    .max_size = VIGIE_FEED_MAX_SIZE,
    .clock_dependent = FALSE,
    .parse = vigie_feed_parse_slack,
  },
  {
    .kind = VIGIE_FEED_GOOGLE,
    .name = "google",
    .label = N_("Google status dashboard"),
    .syntax = VIGIE_FEED_SYNTAX_JSON,
    .endpoints = google_endpoints,
    .suffixes = google_suffixes,
    .max_size = VIGIE_FEED_MAX_SIZE_GOOGLE,
    .clock_dependent = TRUE,
    .parse = vigie_feed_parse_google,
  },
  {
    /* Feeds of open events live anywhere: recognised by their ending only. */
    .kind = VIGIE_FEED_RSS,
    .name = "rss",
    .label = N_("RSS or Atom feed"),
    .syntax = VIGIE_FEED_SYNTAX_XML,
    .endpoints = NULL,
    .suffixes = rss_suffixes,
    .max_size = VIGIE_FEED_MAX_SIZE,
    .clock_dependent = FALSE,
    .parse = vigie_feed_parse_rss,
  },
};

/**
 * vigie_feed_format_get:
 * @kind: a #VigieFeedKind
 *
 * Returns: (transfer none) (nullable): the row describing @kind, or %NULL
 *   for %VIGIE_FEED_NONE and values that are no kind
 */
const VigieFeedFormat *
vigie_feed_format_get (VigieFeedKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if (formats[i].kind == kind)
        return &formats[i];
    }
  return NULL;
}

/**
 * vigie_feed_format_count:
 *
 * Returns: how many formats there are (%VIGIE_FEED_NONE is none of them)
 */
guint
vigie_feed_format_count (void)
{
  return G_N_ELEMENTS (formats);
}

/**
 * vigie_feed_format_nth:
 * @index_: from 0 to vigie_feed_format_count() - 1
 *
 * Returns: (transfer none): the @index_-th row of the table
 */
const VigieFeedFormat *
vigie_feed_format_nth (guint index_)
{
  g_return_val_if_fail (index_ < G_N_ELEMENTS (formats), NULL);
  return &formats[index_];
}

/**
 * vigie_feed_format_names:
 * @separator: what goes between two names (", ")
 *
 * Returns: (transfer full): every kind's settings name, in table order,
 *   for messages that list them ("statuspage, incidentio, …")
 */
char *
vigie_feed_format_names (const char *separator)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (separator != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    g_strv_builder_add (builder, formats[i].name);
  names = g_strv_builder_end (builder);
  return g_strjoinv (separator, names);
}

/* ------------------------------------------------------------------------ */
/* Detection                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * vigie_feed_candidate_free:
 * @candidate: (transfer full) (nullable): a candidate
 */
void
vigie_feed_candidate_free (VigieFeedCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->url);
  g_free (candidate);
}

static void
add_candidate (GPtrArray     *candidates,
               VigieFeedKind  kind,
               GUri          *base,
               const char    *relative)
{
  g_autoptr(GUri) resolved = g_uri_parse_relative (base, relative, G_URI_FLAGS_NONE, NULL);
  g_autoptr(VigieFeedCandidate) candidate = NULL;

  if (resolved == NULL)
    return;
  candidate = g_new0 (VigieFeedCandidate, 1);
  candidate->kind = kind;
  candidate->url = g_uri_to_string (resolved);
  for (guint i = 0; i < candidates->len; i++)
    {
      VigieFeedCandidate *other = g_ptr_array_index (candidates, i);

      if (other->kind == kind && g_str_equal (other->url, candidate->url))
        return;
    }
  g_ptr_array_add (candidates, g_steal_pointer (&candidate));
}

static gboolean
has_suffix (const char        *path,
            const char *const *suffixes)
{
  for (guint i = 0; suffixes != NULL && suffixes[i] != NULL; i++)
    {
      if (g_str_has_suffix (path, suffixes[i]))
        return TRUE;
    }
  return FALSE;
}

/**
 * vigie_feed_detect_candidates:
 * @page: the address of a status page, or of its feed, as pasted
 *
 * Where the feed of @page may be, in the order to try them: when the path
 * of @page already ends like a format's feed, @page itself as each such
 * format; else every format's endpoints below @page taken as a folder
 * ("…/status" → "…/status/"), then below the site's root. The first
 * candidate that parses with a known level is the feed. Pure: nothing is
 * fetched.
 *
 * Returns: (transfer container) (element-type VigieFeedCandidate): the
 *   candidates, empty when @page is not an absolute URI
 */
GPtrArray *
vigie_feed_detect_candidates (const char *page)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_feed_candidate_free);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) dir = NULL;
  g_autoptr(GUri) root = NULL;
  g_autofree char *dir_path = NULL;
  const char *path;

  g_return_val_if_fail (page != NULL, candidates);

  uri = g_uri_parse (page, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return candidates;
  path = g_uri_get_path (uri);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if (has_suffix (path, formats[i].suffixes))
        add_candidate (candidates, formats[i].kind, uri, "");
    }
  if (candidates->len > 0)
    return candidates;

  dir_path = g_str_has_suffix (path, "/") ? g_strdup (path) : g_strconcat (path, "/", NULL);
  dir = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), dir_path, NULL, NULL);
  root = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), "/", NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      for (guint j = 0; formats[i].endpoints != NULL && formats[i].endpoints[j] != NULL; j++)
        add_candidate (candidates, formats[i].kind, dir, formats[i].endpoints[j]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      for (guint j = 0; formats[i].endpoints != NULL && formats[i].endpoints[j] != NULL; j++)
        add_candidate (candidates, formats[i].kind, root, formats[i].endpoints[j]);
    }
  return candidates;
}
