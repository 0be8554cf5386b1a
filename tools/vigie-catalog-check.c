/* vigie-catalog-check.c — a maintainer's check that the catalogue is still true.
 *
 * Catalogue entries rot: status pages move, vendors switch providers, feeds
 * freeze or disappear. This tool fetches every front door (Site=), status
 * page (StatusPage=) and feed (Feed=) of the catalogue once, in parallel,
 * through vigie-http (so curl stays in one file and the User-Agent is
 * Vigie's own), and prints one line per entry:
 *
 *   ok              everything answered as the entry says
 *   moved           a redirect leads elsewhere: the line says where to
 *   gone            a feed answers 4xx, or a page answers 404 or 410
 *   format changed  a feed no longer parses as its kind (the parser's words)
 *   stale           a Statuspage feed whose page.updated_at is over a year old
 *   unreachable     no answer: name, connection, TLS, timeout or a 5xx
 *
 * It exits 0 when every entry is ok, 1 when any is not, 2 when it could not
 * run (bad option, unreadable catalogue).
 *
 * It is a tool, not a test: it needs the Internet. tests/test-catalog-check.c
 * runs it against loopback stand-ins with --catalog and --ca-file.
 */
#define G_LOG_DOMAIN "vigie-catalog-check"

#include "config.h"

#include <locale.h>

/* json-glib here reads one member the feed parsers do not expose
 * (page.updated_at). The body has already passed vigie_feed_parse(), which
 * refuses documents too large or too deep before json-glib sees them. */
#include <json-glib/json-glib.h>

#include "vigie-catalog.h"
#include "vigie-feeds.h"
#include "vigie-http.h"

/* A Statuspage page not updated for this long is worth a look: the vendor
 * may have moved on and left the old page behind. */
#define STALE_AFTER_S ((gint64) 365 * 24 * 3600)

/* Worst last: an entry's headline is the worst of its findings. */
typedef enum
{
  OUTCOME_OK,
  OUTCOME_STALE,
  OUTCOME_MOVED,
  OUTCOME_UNREACHABLE,
  OUTCOME_FORMAT_CHANGED,
  OUTCOME_GONE,
} Outcome;

static const char *
outcome_to_string (Outcome outcome)
{
  switch (outcome)
    {
    case OUTCOME_OK:             return "ok";
    case OUTCOME_STALE:          return "stale";
    case OUTCOME_MOVED:          return "moved";
    case OUTCOME_UNREACHABLE:    return "unreachable";
    case OUTCOME_FORMAT_CHANGED: return "format changed";
    case OUTCOME_GONE:           return "gone";
    default:                     g_assert_not_reached ();
    }
}

/* What a URL is to its entry; decides how its answer is judged. */
typedef enum
{
  ROLE_SITE,
  ROLE_STATUS_PAGE,
  ROLE_FEED,
} Role;

static const char *
role_to_string (Role role)
{
  switch (role)
    {
    case ROLE_SITE:        return "site";
    case ROLE_STATUS_PAGE: return "status page";
    case ROLE_FEED:        return "feed";
    default:               g_assert_not_reached ();
    }
}

typedef struct
{
  Outcome outcome;
  GPtrArray *details;  /* char*, one per finding that is not ok */
} Verdict;

static void
verdict_add (Verdict    *verdict,
             Outcome     outcome,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
verdict_add (Verdict    *verdict,
             Outcome     outcome,
             const char *format,
             ...)
{
  va_list args;

  verdict->outcome = MAX (verdict->outcome, outcome);
  va_start (args, format);
  g_ptr_array_add (verdict->details, g_strdup_vprintf (format, args));
  va_end (args);
}

/* scheme://host:port of @url, lowercased; NULL if it does not parse. */
static char *
url_origin (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *origin = NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  origin = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                            g_uri_get_port (uri));
  return g_ascii_strdown (origin, -1);
}

/* Has the answer for @asked come from somewhere else? For feeds any other
 * final URL counts: a program reads them, and a moved feed is one hop from
 * being gone. Sites and status pages are for people and often send a
 * visitor to a sign-in or language page on the same host, which is no move;
 * only another host is. */
static gboolean
has_moved (Role        role,
           const char *asked,
           const char *final_url)
{
  g_autofree char *asked_origin = NULL;
  g_autofree char *final_origin = NULL;

  if (final_url == NULL || g_strcmp0 (asked, final_url) == 0)
    return FALSE;
  if (role == ROLE_FEED)
    return TRUE;

  asked_origin = url_origin (asked);
  final_origin = url_origin (final_url);
  return g_strcmp0 (asked_origin, final_origin) != 0;
}

/* page.updated_at of a Statuspage summary, as unix seconds; 0 if absent or
 * unreadable (no evidence either way). */
static gint64
statuspage_updated_at (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) when = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;
  JsonNode *page;
  JsonNode *updated;

  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return 0;
  /* Every type is checked: json-glib's typed getters warn on a wrong one. */
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  page = json_object_get_member (json_node_get_object (root), "page");
  if (page == NULL || !JSON_NODE_HOLDS_OBJECT (page))
    return 0;
  updated = json_object_get_member (json_node_get_object (page), "updated_at");
  if (updated == NULL || json_node_get_value_type (updated) != G_TYPE_STRING)
    return 0;
  when = g_date_time_new_from_iso8601 (json_node_get_string (updated), NULL);
  return when ? g_date_time_to_unix (when) : 0;
}

/* Judges a feed's body: does it still parse as its kind, and is it alive? */
static void
judge_feed_body (Verdict            *verdict,
                 const VigieService *service,
                 const char         *url,
                 GBytes             *body,
                 gint64              now_unix)
{
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const guint8 *data = body ? g_bytes_get_data (body, &len) : NULL;

  report = vigie_feed_parse (service->feed_kind, data, len, service->feed_filter, now_unix,
                             &error);
  if (report == NULL)
    {
      verdict_add (verdict, OUTCOME_FORMAT_CHANGED, "feed %s no longer reads as %s: %s", url,
                   vigie_feed_kind_to_string (service->feed_kind), error->message);
      return;
    }

  /* A document that parses yet says nothing: valid JSON of another shape, or
   * a FeedFilter that no longer names anything in the feed. */
  if (report->level == VIGIE_OFFICIAL_UNKNOWN)
    {
      if (service->feed_filter)
        verdict_add (verdict, OUTCOME_FORMAT_CHANGED,
                     "feed %s has nothing named \"%s\" (FeedFilter) any more", url,
                     service->feed_filter);
      else
        verdict_add (verdict, OUTCOME_FORMAT_CHANGED,
                     "feed %s reads as %s but gives no status at all", url,
                     vigie_feed_kind_to_string (service->feed_kind));
      return;
    }

  if (service->feed_kind == VIGIE_FEED_STATUSPAGE)
    {
      gint64 updated = statuspage_updated_at (body);

      if (updated > 0 && now_unix - updated > STALE_AFTER_S)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (updated);
          g_autofree char *day = g_date_time_format (when, "%Y-%m-%d");

          verdict_add (verdict, OUTCOME_STALE,
                       "feed %s was last updated on %s, over a year ago", url, day);
        }
    }
}

static void
judge (Verdict                 *verdict,
       const VigieService      *service,
       Role                     role,
       const char              *url,
       const VigieHttpResponse *response,
       gint64                   now_unix)
{
  const char *what = role_to_string (role);

  if (response->layer == VIGIE_LAYER_TOO_LARGE && role == ROLE_FEED)
    {
      verdict_add (verdict, OUTCOME_FORMAT_CHANGED, "feed %s: %s", url, response->message);
      return;
    }
  if (response->layer != VIGIE_LAYER_OK)
    {
      verdict_add (verdict, OUTCOME_UNREACHABLE, "%s %s: %s", what, url,
                   response->message ? response->message
                                     : vigie_layer_to_string (response->layer));
      return;
    }

  /* Pages turn robots away with 401, 403, 405 or 429 and still work for
   * people (the probe counts any answer below 500 as up); only "not found"
   * means the page is gone. A feed is read by a program: any 4xx is gone. */
  if (response->http_status >= 400
      && (role == ROLE_FEED || response->http_status == 404 || response->http_status == 410))
    {
      verdict_add (verdict, OUTCOME_GONE, "%s %s answers %u", what, url, response->http_status);
      return;
    }

  if (has_moved (role, url, response->final_url))
    verdict_add (verdict, OUTCOME_MOVED, "%s %s now leads to %s", what, url,
                 response->final_url);

  if (role == ROLE_FEED && response->http_status < 300)
    judge_feed_body (verdict, service, url, response->body, now_unix);
}

/* One URL to fetch, shared by every entry that names it, so each is asked
 * once however many entries use it (Google's dashboards, metastatus.com). */
typedef struct
{
  Role role;
  const char *url;
  guint index;  /* into the batch */
} Fetch;

static char *
fetch_key (Role        role,
           const char *url)
{
  /* Feeds are downloaded, pages are not: the same URL in both roles is two
   * different requests. */
  return g_strdup_printf ("%c %s", role == ROLE_FEED ? 'B' : 'H', url);
}

static guint
add_fetch (GHashTable         *fetches,
           GPtrArray          *requests,
           const VigieService *service,
           Role                role,
           const char         *url)
{
  char *key = fetch_key (role, url);
  gpointer found = g_hash_table_lookup (fetches, key);
  VigieHttpRequest *request;

  if (found != NULL)
    {
      g_free (key);
      return GPOINTER_TO_UINT (found) - 1;
    }

  request = vigie_http_request_new (url, role == ROLE_FEED ? VIGIE_REQUEST_BODY
                                                           : VIGIE_REQUEST_HEADERS);
  if (role == ROLE_FEED)
    request->max_body = vigie_feed_max_size (service->feed_kind);
  g_ptr_array_add (requests, request);
  g_hash_table_insert (fetches, key, GUINT_TO_POINTER (requests->len));
  return requests->len - 1;
}

typedef struct
{
  VigieService *service;  /* borrowed from the catalogue */
  GArray *fetches;        /* Fetch */
} Entry;

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->fetches, g_array_unref);
}

static void
entry_plan (Entry        *entry,
            GHashTable   *fetches,
            GPtrArray    *requests)
{
  VigieService *s = entry->service;
  g_auto(GStrv) sites = g_strsplit (s->site, ";", -1);
  Fetch fetch;

  entry->fetches = g_array_new (FALSE, FALSE, sizeof (Fetch));
  /* Site= may list several front doors. */
  for (guint i = 0; sites[i] != NULL; i++)
    {
      const char *site = g_strstrip (sites[i]);

      if (*site == '\0')
        continue;
      fetch = (Fetch) { ROLE_SITE, g_intern_string (site), 0 };
      fetch.index = add_fetch (fetches, requests, s, ROLE_SITE, site);
      g_array_append_val (entry->fetches, fetch);
    }
  if (s->status_page)
    {
      fetch = (Fetch) { ROLE_STATUS_PAGE, s->status_page, 0 };
      fetch.index = add_fetch (fetches, requests, s, ROLE_STATUS_PAGE, s->status_page);
      g_array_append_val (entry->fetches, fetch);
    }
  if (s->feed_kind != VIGIE_FEED_NONE && s->feed_url)
    {
      fetch = (Fetch) { ROLE_FEED, s->feed_url, 0 };
      fetch.index = add_fetch (fetches, requests, s, ROLE_FEED, s->feed_url);
      g_array_append_val (entry->fetches, fetch);
    }
}

static VigieCatalog *
load_catalog (const char  *path,
              GError     **error)
{
  g_autofree char *text = NULL;
  gsize len;

  if (path == NULL)
    return vigie_catalog_new_builtin (error);
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return vigie_catalog_new_from_data (text, len, path, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *catalog_path = NULL;
  g_autofree char *ca_file = NULL;
  int timeout_s = 20;
  int per_host = 0;
  GOptionEntry options[] = {
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_path,
      "Check this catalogue file instead of the built-in one", "FILE" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      "Trust the certificate authorities in FILE instead of the system's (for tests)", "FILE" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      "Give each request this many seconds (default 20)", "SECONDS" },
    { "per-host", 0, 0, G_OPTION_ARG_INT, &per_host,
      "Ask at most N things of one host at a time (default 4)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieCatalog) catalog = NULL;
  g_autoptr(VigieHttp) http = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GHashTable) fetches = NULL;
  g_autoptr(GArray) entries = NULL;
  VigieHttpOptions http_options = { 0 };
  GPtrArray *services;
  gint64 now_unix;
  guint not_ok = 0;

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "Fetches every site, status page and feed of Vigie's service catalogue once and\n"
    "prints one line per entry: ok, moved, gone, format changed, stale or unreachable.\n"
    "Exits 0 when every entry is ok, 1 when any is not, 2 when it cannot run.");
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("vigie-catalog-check: %s\n", error->message);
      return 2;
    }
  if (argc > 1 || timeout_s <= 0 || per_host < 0)
    {
      g_printerr ("vigie-catalog-check: %s\n",
                  argc > 1 ? "this tool takes no arguments besides its options"
                  : timeout_s <= 0 ? "--timeout must be a positive number of seconds"
                                   : "--per-host must be a positive number");
      return 2;
    }

  catalog = load_catalog (catalog_path, &error);
  if (catalog == NULL)
    {
      g_printerr ("vigie-catalog-check: cannot read the catalogue: %s\n", error->message);
      return 2;
    }
  services = vigie_catalog_get_services (catalog);

  requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  fetches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), services->len);
  g_array_set_clear_func (entries, (GDestroyNotify) entry_clear);
  for (guint i = 0; i < services->len; i++)
    {
      Entry entry = { g_ptr_array_index (services, i), NULL };

      entry_plan (&entry, fetches, requests);
      g_array_append_val (entries, entry);
    }

  /* Vigie's own User-Agent (user_agent NULL), a per-host cap (0: Vigie's
   * default), and one request per URL: polite to the vendors we read. */
  http_options.timeout_s = (guint) timeout_s;
  http_options.max_per_host = (guint) per_host;
  http_options.ca_file = ca_file;
  vigie_http_global_init ();
  http = vigie_http_new (&http_options);
  responses = vigie_http_run_sync (http, requests, NULL, &error);
  if (responses == NULL)
    {
      g_printerr ("vigie-catalog-check: %s\n", error->message);
      return 2;
    }

  now_unix = g_get_real_time () / G_USEC_PER_SEC;
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
      Verdict verdict = { OUTCOME_OK, details };
      g_autofree char *joined = NULL;

      for (guint j = 0; j < entry->fetches->len; j++)
        {
          const Fetch *fetch = &g_array_index (entry->fetches, Fetch, j);

          judge (&verdict, entry->service, fetch->role, fetch->url,
                 g_ptr_array_index (responses, fetch->index), now_unix);
        }

      g_ptr_array_add (details, NULL);
      joined = g_strjoinv ("; ", (char **) details->pdata);
      if (*joined != '\0')
        g_print ("%-15s %-24s %s\n", outcome_to_string (verdict.outcome), entry->service->id,
                 joined);
      else
        g_print ("%-15s %s\n", outcome_to_string (verdict.outcome), entry->service->id);
      if (verdict.outcome != OUTCOME_OK)
        not_ok++;
    }

  g_print ("\n%u entries checked with %u requests: %u ok, %u to look at.\n", entries->len,
           requests->len, entries->len - not_ok, not_ok);
  return not_ok == 0 ? 0 : 1;
}
