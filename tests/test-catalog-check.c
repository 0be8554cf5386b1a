/* test-catalog-check.c — the maintainer's catalogue check (tools/), run as a
 * maintainer would, against a catalogue whose entries point at a loopback
 * HTTPS server standing in for each way an entry rots: moved, gone, format
 * changed, stale, unreachable; plus entries that are fine, the exit codes,
 * one request per URL and Vigie's User-Agent. */
#include "config.h"

#include "vigie-test-server.h"
#include "vigie-test-util.h"

static void
run_check (VigieTestRun *run,
           const char   *first_arg,
           ...)
{
  va_list args;

  va_start (args, first_arg);
  vigie_test_run_valist (run, NULL, g_getenv ("VIGIE_CATALOG_CHECK"), first_arg, args);
  va_end (args);
}

/* The line the tool printed for entry @id, or NULL. */
static char *
line_for (const char *out,
          const char *id)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (lines[i], " ", -1);
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      /* Columns are padded with spaces: the id is the first word after the
       * outcome, which is one or two words ("format changed"). */
      for (guint j = 0; words[j] != NULL; j++)
        if (*words[j] != '\0')
          g_ptr_array_add (kept, words[j]);
      for (guint j = 1; j < kept->len && j <= 2; j++)
        if (g_strcmp0 (g_ptr_array_index (kept, j), id) == 0)
          return g_strdup (lines[i]);
    }
  return NULL;
}

static void
assert_line (const char *out,
             const char *id,
             const char *outcome,
             const char *fragment)
{
  g_autofree char *line = line_for (out, id);

  if (line == NULL)
    {
      g_test_fail_printf ("no line for “%s”", id);
      return;
    }
  if (!g_str_has_prefix (line, outcome) || line[strlen (outcome)] != ' ')
    g_test_fail_printf ("“%s” is not %s: %s", id, outcome, line);
  if (fragment != NULL && strstr (line, fragment) == NULL)
    g_test_fail_printf ("the line for “%s” does not say “%s”: %s", id, fragment, line);
}

static GBytes *
statuspage_summary (GDateTime *updated)
{
  g_autofree char *when = g_date_time_format_iso8601 (updated);
  char *text = g_strdup_printf (
    "{\"page\":{\"id\":\"x\",\"name\":\"Stand-in\",\"url\":\"https://127.0.0.1/\","
    "\"updated_at\":\"%s\"},"
    "\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
    "\"components\":[{\"name\":\"API\",\"status\":\"operational\"}],"
    "\"incidents\":[],\"scheduled_maintenances\":[]}", when);

  return g_bytes_new_take (text, strlen (text));
}

static void
route_json (VigieTestServer *server,
            const char      *path,
            GBytes          *body)
{
  VigieTestRoute route = { .status = 200, .content_type = "application/json", .body = body };

  vigie_test_server_set_route_full (server, path, &route);
}

/* A catalogue entry; @site, @status_page and @feed are paths on the server
 * or whole URLs. */
static void
add_entry (GString         *ini,
           VigieTestServer *server,
           const char      *id,
           const char      *site,
           const char      *status_page,
           const char      *feed)
{
  g_autofree char *site_url = g_str_has_prefix (site, "https://")
                                ? g_strdup (site) : vigie_test_server_get_url (server, site);

  g_string_append_printf (ini, "[Service %s]\nName=%s\nProvider=Test\nCategory=developer\n"
                               "Site=%s\n", id, id, site_url);
  if (status_page)
    {
      g_autofree char *url = vigie_test_server_get_url (server, status_page);
      g_string_append_printf (ini, "StatusPage=%s\n", url);
    }
  if (feed)
    {
      g_autofree char *url = g_str_has_prefix (feed, "https://")
                               ? g_strdup (feed) : vigie_test_server_get_url (server, feed);
      g_string_append_printf (ini, "Feed=statuspage:%s\n", url);
    }
  else
    g_string_append (ini, "Feed=none\nNote=No feed.\n");
  g_string_append_c (ini, '\n');
}

static char *
write_catalog (GString *ini,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_file_set_contents (path, ini->str, (gssize) ini->len, &error);
  g_assert_no_error (error);
  return path;
}

/* One server for the whole run, as in test-http: started before the tests
 * and stopped after them. */
static VigieTestServer *server;

static void
test_outcomes (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) two_years_ago = g_date_time_add_years (now, -2);
  g_autoptr(GBytes) fresh = statuspage_summary (now);
  g_autoptr(GBytes) stale = statuspage_summary (two_years_ago);
  g_autoptr(GString) ini = g_string_new ("");
  g_autoptr(GString) fine = g_string_new ("");
  g_autofree char *fresh_url = NULL;
  g_autofree char *moved_feed = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *moved_site = NULL;
  g_autofree char *nowhere = NULL;
  g_autofree char *all_path = NULL;
  g_autofree char *fine_path = NULL;
  g_autofree char *user_agent = NULL;
  g_auto(VigieTestRun) all = { 0 };
  g_auto(VigieTestRun) ok = { 0 };

  route_json (server, "/feeds/fresh.json", fresh);
  route_json (server, "/feeds/shared.json", fresh);
  route_json (server, "/feeds/stale.json", stale);
  vigie_test_server_set_route (server, "/feeds/html.json", 200, "text/html",
                               "<!DOCTYPE html><html><body>Status</body></html>");
  /* A page member of another type is no date, not a crash. */
  vigie_test_server_set_route (server, "/feeds/odd-page.json", 200, "application/json",
                               "{\"page\":\"x\",\"status\":{\"indicator\":\"none\"},"
                               "\"components\":[],\"incidents\":[]}");
  vigie_test_server_set_route (server, "/feeds/other.json", 200, "application/json",
                               "{\"Status\":\"Normal\",\"PageName\":\"Stand-in\"}");

  fresh_url = vigie_test_server_get_url (server, "/feeds/fresh.json");
  moved_feed = g_strdup_printf ("/redirect-to?url=%s", fresh_url);
  elsewhere = vigie_test_server_get_url_for_host (server, "localhost", "/ok");
  moved_site = g_strdup_printf ("/redirect-to?url=%s", elsewhere);
  nowhere = g_strdup_printf ("https://127.0.0.1:%u/", vigie_test_find_unused_port ());

  /* Fine: a site that turns robots away (403) still works for people, a
   * status page that sends visitors on within its own host has not moved,
   * and a shared feed is fetched once for both entries. */
  add_entry (fine, server, "fine", "/status/403", "/redirect/1", "/feeds/fresh.json");
  add_entry (fine, server, "fine-shared", "/ok", NULL, "/feeds/shared.json");
  add_entry (fine, server, "fine-twin", "/ok", NULL, "/feeds/shared.json");
  add_entry (fine, server, "fine-no-feed", "/204", NULL, NULL);
  add_entry (fine, server, "fine-odd-page", "/ok", NULL, "/feeds/odd-page.json");
  g_string_append (ini, fine->str);

  add_entry (ini, server, "moved-feed", "/ok", NULL, moved_feed);
  add_entry (ini, server, "moved-site", moved_site, NULL, NULL);
  add_entry (ini, server, "gone-feed", "/ok", NULL, "/status/403");
  add_entry (ini, server, "gone-page", "/ok", "/status/404", NULL);
  add_entry (ini, server, "format-html", "/ok", NULL, "/feeds/html.json");
  add_entry (ini, server, "format-other", "/ok", NULL, "/feeds/other.json");
  add_entry (ini, server, "stale", "/ok", NULL, "/feeds/stale.json");
  add_entry (ini, server, "unreachable", nowhere, NULL, NULL);
  add_entry (ini, server, "down", "/503", NULL, NULL);

  /* One request at a time per host: the stand-in's TLS handshakes stall
   * when several arrive at once on a loaded machine under AddressSanitizer,
   * and a stalled stand-in would read as "unreachable". */
  all_path = write_catalog (ini, "services-all.ini");
  run_check (&all, "--catalog", all_path, "--ca-file", vigie_test_server_get_ca_file (),
             "--per-host", "1", "--timeout", "30", NULL);

  g_assert_cmpint (all.status, ==, 1);
  assert_line (all.out, "fine", "ok", NULL);
  assert_line (all.out, "fine-shared", "ok", NULL);
  assert_line (all.out, "fine-twin", "ok", NULL);
  assert_line (all.out, "fine-no-feed", "ok", NULL);
  assert_line (all.out, "fine-odd-page", "ok", NULL);
  assert_line (all.out, "moved-feed", "moved", fresh_url);
  assert_line (all.out, "moved-site", "moved", elsewhere);
  assert_line (all.out, "gone-feed", "gone", "answers 403");
  assert_line (all.out, "gone-page", "gone", "answers 404");
  /* The parser's own words say what is wrong. */
  assert_line (all.out, "format-html", "format changed", "no longer reads as statuspage");
  assert_line (all.out, "format-other", "format changed", "gives no status");
  assert_line (all.out, "stale", "stale", "over a year ago");
  {
    g_autofree char *day = g_date_time_format (two_years_ago, "%Y-%m-%d");
    assert_line (all.out, "stale", "stale", day);
  }
  assert_line (all.out, "unreachable", "unreachable", nowhere);
  assert_line (all.out, "down", "unreachable", "503");
  g_assert_nonnull (strstr (all.out, "14 entries checked"));
  g_assert_nonnull (strstr (all.out, "5 ok, 9 to look at"));

  /* Polite: one request per URL however many entries name it, and the
   * request says it is Vigie. */
  g_assert_cmpuint (vigie_test_server_get_request_count (server, "/feeds/shared.json"), ==, 1);
  user_agent = vigie_test_server_get_last_header (server, "/feeds/shared.json", "User-Agent");
  g_assert_nonnull (user_agent);
  g_assert_true (g_str_has_prefix (user_agent, "Vigie/"));

  /* Nothing to look at: exit 0. */
  fine_path = write_catalog (fine, "services-fine.ini");
  run_check (&ok, "--catalog", fine_path, "--ca-file", vigie_test_server_get_ca_file (),
             "--per-host", "1", "--timeout", "30", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "5 ok, 0 to look at"));
}

static void
test_cannot_run (void)
{
  g_auto(VigieTestRun) missing = { 0 };
  g_auto(VigieTestRun) bogus = { 0 };
  g_auto(VigieTestRun) http = { 0 };
  g_autoptr(GString) ini = g_string_new ("[Service plain]\nName=Plain\nProvider=P\n"
                                         "Category=developer\nSite=http://127.0.0.1:9/\n"
                                         "Feed=none\nNote=n\n");
  g_autofree char *path = write_catalog (ini, "services-http.ini");

  run_check (&missing, "--catalog", "/nonexistent/services.ini", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "cannot read the catalogue"));

  run_check (&bogus, "--bogus", NULL);
  g_assert_cmpint (bogus.status, ==, 2);

  /* The catalogue's rules hold for the file checked: https only. */
  run_check (&http, "--catalog", path, NULL);
  g_assert_cmpint (http.status, ==, 2);
  g_assert_nonnull (strstr (http.err, "must start with https://"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  server = vigie_test_server_new (TRUE, &error);
  g_assert_no_error (error);

  g_test_add_func ("/catalog-check/outcomes", test_outcomes);
  g_test_add_func ("/catalog-check/cannot-run", test_cannot_run);

  ret = g_test_run ();
  g_clear_pointer (&server, vigie_test_server_free);
  return ret;
}
