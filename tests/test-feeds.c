/* test-feeds.c — tests for src/core/feeds/: every feed format from fixtures
 * in fixtures/feeds/ (written for Vigie), the filter per kind, the table of
 * formats and detection, hostile input (inline), and the real payloads of
 * shared/reference/real-feeds/ when that folder is beside the source tree
 * (never copied here: see "Real payloads").
 *
 * Time is fixed: "now" is 2021-10-04 16:00 UTC, twenty minutes into the
 * 4 October 2021 outage most fixtures are modelled on.
 */
#include "config.h"

#include <string.h>

#include "vigie-feed-format.h"
#include "vigie-feeds.h"
#include "vigie-probe.h"

#define NOW          ((gint64) 1633363200)  /* 2021-10-04T16:00:00Z */
#define T_1539       ((gint64) 1633361940)  /* 2021-10-04T15:39:00Z */
#define T_1540       ((gint64) 1633362000)
#define T_1542       ((gint64) 1633362120)
#define T_1545       ((gint64) 1633362300)
#define T_1550       ((gint64) 1633362600)
#define T_1555       ((gint64) 1633362900)
#define T_1558       ((gint64) 1633363080)
#define T_1500       ((gint64) 1633359600)
#define T_1400       ((gint64) 1633356000)
#define T_0200       ((gint64) 1633312800)
#define T_0920_1000  ((gint64) 1632132000)  /* 2021-09-20T10:00:00Z */

#define COMPONENT(r, i)   ((VigieFeedComponent *) g_ptr_array_index ((r)->components, (i)))
#define INCIDENT(r, i)    ((VigieFeedIncident *) g_ptr_array_index ((r)->incidents, (i)))
#define MAINTENANCE(r, i) ((VigieFeedIncident *) g_ptr_array_index ((r)->maintenances, (i)))

static VigieFeedReport *
parse_fixture_at (VigieFeedKind  kind,
                  const char    *name,
                  const char    *filter,
                  gint64         now)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "feeds", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  VigieFeedReport *report;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  report = vigie_feed_parse (kind, (const guint8 *) contents, len, filter, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_nonnull (report->components);
  g_assert_nonnull (report->incidents);
  g_assert_nonnull (report->maintenances);
  return report;
}

static VigieFeedReport *
parse_fixture (VigieFeedKind  kind,
               const char    *name,
               const char    *filter)
{
  return parse_fixture_at (kind, name, filter, NOW);
}

static VigieFeedReport *
parse_text (VigieFeedKind   kind,
            const char     *text,
            const char     *filter,
            GError        **error)
{
  return vigie_feed_parse (kind, (const guint8 *) text, strlen (text), filter, NOW, error);
}

static VigieFeedReport *
parse_text_ok (VigieFeedKind  kind,
               const char    *text,
               const char    *filter)
{
  g_autoptr(GError) error = NULL;
  VigieFeedReport *report = parse_text (kind, text, filter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_parse_fails (VigieFeedKind  kind,
                    const char    *text,
                    gint           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = parse_text (kind, text, NULL, &error);

  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static const VigieFeedIncident *
find_incident (const VigieFeedReport *report,
               const char            *title)
{
  for (guint i = 0; i < report->incidents->len; i++)
    {
      if (g_strcmp0 (INCIDENT (report, i)->title, title) == 0)
        return INCIDENT (report, i);
    }
  g_assert_not_reached ();
  return NULL;
}

/* ------------------------------------------------------------------------ */

static void
test_level_to_string (void)
{
  g_assert_cmpstr (vigie_official_level_to_string (VIGIE_OFFICIAL_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (vigie_official_level_to_string (VIGIE_OFFICIAL_OPERATIONAL), ==, "operational");
  g_assert_cmpstr (vigie_official_level_to_string (VIGIE_OFFICIAL_MAINTENANCE), ==, "maintenance");
  g_assert_cmpstr (vigie_official_level_to_string (VIGIE_OFFICIAL_MINOR), ==, "minor");
  g_assert_cmpstr (vigie_official_level_to_string (VIGIE_OFFICIAL_MAJOR), ==, "major");
  /* The order is the contract "worse = MAX". */
  g_assert_cmpint (VIGIE_OFFICIAL_UNKNOWN, <, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpint (VIGIE_OFFICIAL_OPERATIONAL, <, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpint (VIGIE_OFFICIAL_MAINTENANCE, <, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpint (VIGIE_OFFICIAL_MINOR, <, VIGIE_OFFICIAL_MAJOR);
}

static void
test_kind_names (void)
{
  static const char *const names[] = {
    "none", "statuspage", "incidentio", "instatus", "betterstack", "slack", "google", "rss",
  };
  VigieFeedKind kind = VIGIE_FEED_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (vigie_feed_kind_to_string ((VigieFeedKind) i), ==, names[i]);
      g_assert_true (vigie_feed_kind_from_string (names[i], &kind));
      g_assert_cmpint (kind, ==, i);
    }
  g_assert_false (vigie_feed_kind_from_string ("Statuspage", &kind));
  g_assert_false (vigie_feed_kind_from_string (NULL, &kind));
  g_assert_cmpuint (vigie_feed_max_size (VIGIE_FEED_STATUSPAGE), ==, 4 * 1024 * 1024);
  g_assert_cmpuint (vigie_feed_max_size (VIGIE_FEED_GOOGLE), ==, 16 * 1024 * 1024);
}

/* The table is the one list of formats: every kind but NONE has exactly
 * one row, and what is derived from it agrees with it. */
static void
test_format_table (void)
{
  g_autofree char *names = vigie_feed_format_names (", ");
  gboolean seen[VIGIE_FEED_RSS + 1] = { FALSE, };

  g_assert_null (vigie_feed_format_get (VIGIE_FEED_NONE));
  g_assert_cmpuint (vigie_feed_format_count (), ==, VIGIE_FEED_RSS);
  for (guint i = 0; i < vigie_feed_format_count (); i++)
    {
      const VigieFeedFormat *format = vigie_feed_format_nth (i);
      VigieFeedKind kind = VIGIE_FEED_NONE;

      g_assert_false (seen[format->kind]);
      seen[format->kind] = TRUE;
      g_assert_true (vigie_feed_format_get (format->kind) == format);
      g_assert_true (vigie_feed_kind_from_string (format->name, &kind));
      g_assert_cmpint (kind, ==, format->kind);
      g_assert_nonnull (strstr (names, format->name));
      g_assert_nonnull (format->label);
      g_assert_nonnull (format->parse);
      g_assert_cmpuint (format->max_size, ==, vigie_feed_max_size (format->kind));
    }
  g_assert_cmpstr (names, ==, "statuspage, incidentio, instatus, betterstack, slack, google, rss");
  /* Incidents that end at a time written in the feed. */
  g_assert_true (vigie_feed_format_get (VIGIE_FEED_GOOGLE)->clock_dependent);
  g_assert_true (vigie_feed_format_get (VIGIE_FEED_BETTERSTACK)->clock_dependent);
  g_assert_false (vigie_feed_format_get (VIGIE_FEED_STATUSPAGE)->clock_dependent);
}

static void
assert_candidates (const char        *page,
                   const char *const *expected)
{
  g_autoptr(GPtrArray) candidates = vigie_feed_detect_candidates (page);
  guint n = expected != NULL ? g_strv_length ((char **) expected) : 0;

  for (guint i = 0; i < MIN (n, candidates->len); i++)
    {
      VigieFeedCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *got = g_strdup_printf ("%s:%s", vigie_feed_kind_to_string (candidate->kind),
                                              candidate->url);

      g_assert_cmpstr (got, ==, expected[i]);
    }
  g_assert_cmpuint (candidates->len, ==, n);
}

/* Where the preferences look for the feed of a pasted status page. */
static void
test_format_detection (void)
{
  static const char *const site[] = {
    "statuspage:https://status.example.com/api/v2/summary.json",
    "instatus:https://status.example.com/summary.json",
    "betterstack:https://status.example.com/index.json",
    "slack:https://status.example.com/api/v2.0.0/current",
    "google:https://status.example.com/incidents.json",
    NULL,
  };
  static const char *const below[] = {
    "statuspage:http://127.0.0.1:8080/status/api/v2/summary.json",
    "instatus:http://127.0.0.1:8080/status/summary.json",
    "betterstack:http://127.0.0.1:8080/status/index.json",
    "slack:http://127.0.0.1:8080/status/api/v2.0.0/current",
    "google:http://127.0.0.1:8080/status/incidents.json",
    "statuspage:http://127.0.0.1:8080/api/v2/summary.json",
    "instatus:http://127.0.0.1:8080/summary.json",
    "betterstack:http://127.0.0.1:8080/index.json",
    "slack:http://127.0.0.1:8080/api/v2.0.0/current",
    "google:http://127.0.0.1:8080/incidents.json",
    NULL,
  };
  static const char *const summary[] = {
    "statuspage:https://www.githubstatus.com/api/v2/summary.json",
    "instatus:https://www.githubstatus.com/api/v2/summary.json",
    NULL,
  };
  static const char *const instatus[] = { "instatus:https://status.gcore.com/summary.json", NULL };
  static const char *const slack[] = { "slack:https://slack-status.com/api/v2.0.0/current", NULL };
  static const char *const google[] = {
    "google:https://www.google.com/appsstatus/dashboard/incidents.json", NULL,
  };
  static const char *const betterstack[] = { "betterstack:https://status.betterstack.com/index.json", NULL };
  static const char *const rss[] = {
    "rss:https://metastatus.com/outage-events-feed-fb-ig-msgr.rss", NULL,
  };
  static const char *const atom[] = { "rss:https://status.cloud.google.com/en/feed.atom", NULL };

  assert_candidates ("https://status.example.com/", site);
  assert_candidates ("https://status.example.com", site);
  assert_candidates ("http://127.0.0.1:8080/status", below);
  assert_candidates ("https://www.githubstatus.com/api/v2/summary.json", summary);
  assert_candidates ("https://status.gcore.com/summary.json", instatus);
  assert_candidates ("https://slack-status.com/api/v2.0.0/current", slack);
  assert_candidates ("https://www.google.com/appsstatus/dashboard/incidents.json", google);
  assert_candidates ("https://status.betterstack.com/index.json", betterstack);
  assert_candidates ("https://metastatus.com/outage-events-feed-fb-ig-msgr.rss", rss);
  assert_candidates ("https://status.cloud.google.com/en/feed.atom", atom);
  assert_candidates ("not a url", NULL);
  assert_candidates ("", NULL);
}

/* ------------------------------------------------------------------------ */
/* Statuspage                                                                */
/* ------------------------------------------------------------------------ */

static void
test_statuspage_operational (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-operational.json", NULL);

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpstr (report->description, ==, "All Systems Operational");
  g_assert_cmpuint (report->components->len, ==, 0);
  g_assert_cmpuint (report->incidents->len, ==, 0);
  g_assert_cmpuint (report->maintenances->len, ==, 0);
}

static void
test_statuspage_minor (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-minor.json", NULL);
  const VigieFeedIncident *incident;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (report->description, ==, "Minor Service Outage");

  g_assert_cmpuint (report->components->len, ==, 1);
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "API");
  g_assert_cmpstr (COMPONENT (report, 0)->status, ==, "degraded_performance");
  g_assert_cmpint (COMPONENT (report, 0)->level, ==, VIGIE_OFFICIAL_MINOR);

  g_assert_cmpuint (report->incidents->len, ==, 1);
  incident = INCIDENT (report, 0);
  g_assert_cmpstr (incident->title, ==, "Elevated API error rates");
  g_assert_cmpstr (incident->status, ==, "identified");
  g_assert_cmpstr (incident->impact, ==, "minor");
  g_assert_cmpint (incident->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (incident->url, ==, "https://stspg.io/abc123");
  g_assert_cmpstr (incident->latest_update, ==, "The issue has been identified and a fix is being implemented.");
  g_assert_cmpint (incident->started_at, ==, T_1539);
  g_assert_cmpint (incident->updated_at, ==, T_1555);
  g_assert_cmpuint (report->maintenances->len, ==, 0);
}

static void
test_statuspage_major (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-major.json", NULL);

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (report->description, ==, "Major System Outage");

  /* The "Messaging" group only summarises its children: not listed. */
  g_assert_cmpuint (report->components->len, ==, 2);
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Sending messages");
  g_assert_cmpint (COMPONENT (report, 0)->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (COMPONENT (report, 0)->status, ==, "major_outage");
  g_assert_cmpstr (COMPONENT (report, 1)->name, ==, "Notifications");
  g_assert_cmpint (COMPONENT (report, 1)->level, ==, VIGIE_OFFICIAL_MINOR);

  /* Resolved incident skipped; newest first although the feed lists the
   * older one first. */
  g_assert_cmpuint (report->incidents->len, ==, 2);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Messages cannot be sent");
  g_assert_cmpstr (INCIDENT (report, 0)->impact, ==, "critical");
  g_assert_cmpint (INCIDENT (report, 0)->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpint (INCIDENT (report, 0)->started_at, ==, T_1539);
  g_assert_cmpstr (INCIDENT (report, 1)->title, ==, "Delayed notifications");
  g_assert_cmpint (INCIDENT (report, 1)->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (INCIDENT (report, 1)->status, ==, "monitoring");
  g_assert_cmpstr (INCIDENT (report, 1)->latest_update, ==, "A fix is in place; we are monitoring.");
}

/* Statuspage's "major" is "Partial System Outage": no indicator or impact
 * short of "critical" makes a service down; a component in major_outage
 * does. */
static void
test_statuspage_major_is_partial (void)
{
  static const struct { const char *json; VigieOfficialLevel level; } cases[] = {
    { "{\"status\":{\"indicator\":\"major\"}}", VIGIE_OFFICIAL_MINOR },
    { "{\"status\":{\"indicator\":\"critical\"}}", VIGIE_OFFICIAL_MAJOR },
    { "{\"status\":{\"indicator\":\"major\"},\"incidents\":[{\"name\":\"a\","
      "\"status\":\"identified\",\"impact\":\"major\"}]}", VIGIE_OFFICIAL_MINOR },
    { "{\"incidents\":[{\"name\":\"a\",\"status\":\"identified\",\"impact\":\"critical\"}]}",
      VIGIE_OFFICIAL_MAJOR },
    { "{\"components\":[{\"name\":\"API\",\"status\":\"partial_outage\"}],"
      "\"status\":{\"indicator\":\"major\"}}", VIGIE_OFFICIAL_MINOR },
    { "{\"components\":[{\"name\":\"API\",\"status\":\"major_outage\"}],"
      "\"status\":{\"indicator\":\"major\"}}", VIGIE_OFFICIAL_MAJOR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigieFeedReport) statuspage = parse_text_ok (VIGIE_FEED_STATUSPAGE, cases[i].json, NULL);
      g_autoptr(VigieFeedReport) incidentio = parse_text_ok (VIGIE_FEED_INCIDENTIO, cases[i].json, NULL);

      g_assert_cmpint (statuspage->level, ==, cases[i].level);
      g_assert_cmpint (incidentio->level, ==, cases[i].level);
    }
}

static void
test_statuspage_maintenance (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-maintenance.json", NULL);
  g_autoptr(VigieFeedReport) website = NULL;
  const VigieFeedIncident *maintenance;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpstr (report->description, ==, "Service Under Maintenance");
  g_assert_cmpuint (report->components->len, ==, 1);
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Database");
  g_assert_cmpint (COMPONENT (report, 0)->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpuint (report->incidents->len, ==, 0);

  /* in_progress counts; scheduled and completed do not. */
  g_assert_cmpuint (report->maintenances->len, ==, 1);
  maintenance = MAINTENANCE (report, 0);
  g_assert_cmpstr (maintenance->title, ==, "Database upgrade");
  g_assert_cmpstr (maintenance->status, ==, "in_progress");
  g_assert_cmpint (maintenance->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpstr (maintenance->url, ==, "https://stspg.io/mntnow");
  g_assert_cmpstr (maintenance->latest_update, ==, "Scheduled maintenance is currently in progress.");
  g_assert_cmpint (maintenance->started_at, ==, T_0200);

  /* The maintenance is about the database, not the website. */
  website = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-maintenance.json", "Website");
  g_assert_cmpint (website->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (website->maintenances->len, ==, 0);
  g_assert_cmpuint (website->components->len, ==, 0);
  g_assert_null (website->description);
}

static void
test_statuspage_scheduled_not_active (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-scheduled.json", NULL);

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (report->maintenances->len, ==, 0);
  g_assert_cmpuint (report->incidents->len, ==, 0);
}

static void
test_statuspage_indicator_none_open_incident (void)
{
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(VigieFeedReport) app = NULL;

  report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-indicator-none-incident.json", NULL);
  /* The page says "none" / "All Systems Operational", but an incident is
   * open: that is at least minor. */
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (report->description, ==, "All Systems Operational");
  g_assert_cmpuint (report->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Some users cannot log in");
  g_assert_cmpstr (INCIDENT (report, 0)->impact, ==, "none");
  g_assert_cmpint (INCIDENT (report, 0)->level, ==, VIGIE_OFFICIAL_MINOR);

  /* Unattributed (empty components list): it concerns a filtered service too. */
  app = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-indicator-none-incident.json", "App");
  g_assert_cmpint (app->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (app->incidents->len, ==, 1);
}

static void
test_statuspage_no_components (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-no-components.json", NULL);

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (report->components->len, ==, 0);
}

static void
test_statuspage_filter (void)
{
  g_autoptr(VigieFeedReport) sending = NULL;
  g_autoptr(VigieFeedReport) notifications = NULL;
  g_autoptr(VigieFeedReport) group = NULL;
  g_autoptr(VigieFeedReport) login = NULL;
  g_autoptr(VigieFeedReport) nothing = NULL;

  sending = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-major.json", "sending MESSAGES");
  g_assert_cmpint (sending->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_null (sending->description);
  g_assert_cmpuint (sending->components->len, ==, 1);
  g_assert_cmpstr (COMPONENT (sending, 0)->name, ==, "Sending messages");
  g_assert_cmpuint (sending->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (sending, 0)->title, ==, "Messages cannot be sent");

  notifications = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-major.json", "Notifications");
  g_assert_cmpint (notifications->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (notifications->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (notifications, 0)->title, ==, "Delayed notifications");

  /* A group name selects its children. */
  group = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-major.json", "Messaging");
  g_assert_cmpint (group->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (group->components->len, ==, 2);
  g_assert_cmpuint (group->incidents->len, ==, 2);

  /* Named and operational, nothing open about it: operational, even though
   * the page indicator is critical. */
  login = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-major.json", "Login");
  g_assert_cmpint (login->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (login->components->len, ==, 0);
  g_assert_cmpuint (login->incidents->len, ==, 0);

  /* A filter that names nothing on the page is no evidence. */
  nothing = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-major.json", "Sending");
  g_assert_cmpint (nothing->level, ==, VIGIE_OFFICIAL_UNKNOWN);
  g_assert_cmpuint (nothing->components->len, ==, 0);
  g_assert_cmpuint (nothing->incidents->len, ==, 0);
}

static void
test_statuspage_unknown_values (void)
{
  g_autoptr(VigieFeedReport) alone = NULL;
  g_autoptr(VigieFeedReport) with_component = NULL;
  g_autoptr(VigieFeedReport) odd_component = NULL;
  g_autoptr(VigieFeedReport) odd_impact = NULL;

  alone = parse_text_ok (VIGIE_FEED_STATUSPAGE,
                         "{\"status\":{\"indicator\":\"purple\",\"description\":\"?\"},"
                         "\"components\":[],\"incidents\":[],\"extra\":{\"x\":[1,2]}}", NULL);
  g_assert_cmpint (alone->level, ==, VIGIE_OFFICIAL_UNKNOWN);
  g_assert_cmpstr (alone->description, ==, "?");

  with_component = parse_text_ok (VIGIE_FEED_STATUSPAGE,
                                  "{\"status\":{\"indicator\":\"purple\"},"
                                  "\"components\":[{\"name\":\"A\",\"status\":\"major_outage\"}]}", NULL);
  g_assert_cmpint (with_component->level, ==, VIGIE_OFFICIAL_MAJOR);

  /* Unknown component status: listed (not known operational), level unknown. */
  odd_component = parse_text_ok (VIGIE_FEED_STATUSPAGE,
                                 "{\"status\":{\"indicator\":\"none\"},"
                                 "\"components\":[{\"name\":\"A\",\"status\":\"wobbly\"}]}", NULL);
  g_assert_cmpint (odd_component->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (odd_component->components->len, ==, 1);
  g_assert_cmpint (COMPONENT (odd_component, 0)->level, ==, VIGIE_OFFICIAL_UNKNOWN);
  g_assert_cmpstr (COMPONENT (odd_component, 0)->status, ==, "wobbly");

  /* Unknown impact on an open incident: still at least minor. */
  odd_impact = parse_text_ok (VIGIE_FEED_STATUSPAGE,
                              "{\"incidents\":[{\"name\":\"X\",\"status\":\"investigating\",\"impact\":\"severe\"}]}",
                              NULL);
  g_assert_cmpint (odd_impact->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpint (INCIDENT (odd_impact, 0)->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (INCIDENT (odd_impact, 0)->impact, ==, "severe");
}

static void
test_incidentio_summary (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_INCIDENTIO, "incidentio-summary.json", NULL);
  g_autoptr(VigieFeedReport) group = NULL;
  g_autoptr(VigieFeedReport) api = NULL;
  const VigieFeedIncident *incident;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (report->description, ==, "Partially Degraded Service");
  g_assert_cmpuint (report->components->len, ==, 2);
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Editor");
  g_assert_cmpint (COMPONENT (report, 0)->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (COMPONENT (report, 1)->name, ==, "Sync");
  g_assert_cmpstr (COMPONENT (report, 1)->status, ==, "full_outage");
  g_assert_cmpint (COMPONENT (report, 1)->level, ==, VIGIE_OFFICIAL_MAJOR);

  g_assert_cmpuint (report->incidents->len, ==, 1);
  incident = INCIDENT (report, 0);
  g_assert_cmpstr (incident->title, ==, "Sync unavailable");
  /* Impact "major" is a partial outage; Sync's full_outage makes it MAJOR. */
  g_assert_cmpint (incident->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (incident->url, ==, "https://status.notes.example/incidents/01HINCSYNC");
  g_assert_cmpstr (incident->latest_update, ==, "We've identified the cause and are rolling out a fix.");
  g_assert_cmpint (incident->started_at, ==, T_1540);

  /* The group comes after its children in this feed: still resolved. */
  group = parse_fixture (VIGIE_FEED_INCIDENTIO, "incidentio-summary.json", "Application");
  g_assert_cmpint (group->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (group->components->len, ==, 2);
  g_assert_cmpuint (group->incidents->len, ==, 1);

  api = parse_fixture (VIGIE_FEED_INCIDENTIO, "incidentio-summary.json", "Public API");
  g_assert_cmpint (api->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (api->incidents->len, ==, 0);
}

/* incident.io as status.openai.com serves it: no scheduled_maintenances
 * key, incidents with neither components, shortlink nor started_at, no
 * group flag on components, no time zone; and no incidents key at all when
 * nothing is open. */
static void
test_incidentio_served_shape (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_INCIDENTIO, "incidentio-served.json", NULL);
  g_autoptr(VigieFeedReport) search = NULL;
  g_autoptr(VigieFeedReport) quiet = NULL;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (report->description, ==, "Partial System Degradation");
  g_assert_cmpuint (report->components->len, ==, 1);
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Editor");
  g_assert_cmpuint (report->maintenances->len, ==, 0);
  /* Newest first by created_at; no link rather than a wrong one. */
  g_assert_cmpuint (report->incidents->len, ==, 2);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Slow saving in the editor");
  g_assert_cmpint (INCIDENT (report, 0)->started_at, ==, T_1540);
  g_assert_null (INCIDENT (report, 0)->url);
  g_assert_cmpstr (INCIDENT (report, 0)->latest_update, ==, "A slow database is the cause.");
  /* Impact "none" on an open incident is still news. */
  g_assert_cmpstr (INCIDENT (report, 1)->title, ==, "Help chat unavailable");
  g_assert_cmpstr (INCIDENT (report, 1)->impact, ==, "none");
  g_assert_cmpint (INCIDENT (report, 1)->level, ==, VIGIE_OFFICIAL_MINOR);

  /* Incidents name no component: they may concern any, and are kept. */
  search = parse_fixture (VIGIE_FEED_INCIDENTIO, "incidentio-served.json", "Search");
  g_assert_cmpint (search->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (search->components->len, ==, 0);
  g_assert_cmpuint (search->incidents->len, ==, 2);

  quiet = parse_text_ok (VIGIE_FEED_INCIDENTIO,
                         "{\"page\":{\"id\":\"01J2\",\"name\":\"Notes\"},"
                         "\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
                         "\"components\":[{\"id\":\"01J3\",\"name\":\"Editor\",\"status\":\"operational\"}]}",
                         NULL);
  g_assert_cmpint (quiet->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (quiet->incidents->len, ==, 0);
}

/* Groups select their children; an incident counts only for the components
 * it names; maintenances count only while in progress, however close. */
static void
test_statuspage_groups_future (void)
{
  static const struct
  {
    const char         *filter;
    VigieOfficialLevel  level;
    guint               n_components;
    const char         *incident;
    const char         *maintenance;
  } cases[] = {
    { NULL, VIGIE_OFFICIAL_MINOR, 2, "SMS delays to one carrier", "Recording storage move" },
    { "Messaging", VIGIE_OFFICIAL_MINOR, 1, "SMS delays to one carrier", NULL },
    { "SMS", VIGIE_OFFICIAL_MINOR, 1, "SMS delays to one carrier", NULL },
    { "MMS", VIGIE_OFFICIAL_OPERATIONAL, 0, NULL, NULL },
    { "Voice", VIGIE_OFFICIAL_MAINTENANCE, 1, NULL, "Recording storage move" },
    /* "Call routing change" should have begun at 15:30 but is still
     * "scheduled": the page says it has not started. */
    { "Calls", VIGIE_OFFICIAL_OPERATIONAL, 0, NULL, NULL },
    { "Console", VIGIE_OFFICIAL_MINOR, 0, "Console slow for some", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-groups-future.json",
                                                         cases[i].filter);

      g_test_message ("filter %s", cases[i].filter ? cases[i].filter : "(none)");
      g_assert_cmpint (report->level, ==, cases[i].level);
      g_assert_cmpuint (report->components->len, ==, cases[i].n_components);
      if (cases[i].incident != NULL)
        g_assert_cmpstr (INCIDENT (report, 0)->title, ==, cases[i].incident);
      else
        g_assert_cmpuint (report->incidents->len, ==, 0);
      if (cases[i].maintenance != NULL)
        {
          g_assert_cmpuint (report->maintenances->len, ==, 1);
          g_assert_cmpstr (MAINTENANCE (report, 0)->title, ==, cases[i].maintenance);
        }
      else
        g_assert_cmpuint (report->maintenances->len, ==, 0);
    }
}

/* ------------------------------------------------------------------------ */
/* Instatus                                                                  */
/* ------------------------------------------------------------------------ */

static void
test_instatus_page_status (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_INSTATUS, "instatus-page-status.json", NULL);
  g_autoptr(VigieFeedReport) filtered = NULL;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_null (report->description);
  g_assert_cmpuint (report->components->len, ==, 0);

  g_assert_cmpuint (report->incidents->len, ==, 2);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Scheduled posts are not published");
  g_assert_cmpstr (INCIDENT (report, 0)->impact, ==, "MAJOROUTAGE");
  g_assert_cmpstr (INCIDENT (report, 0)->status, ==, "INVESTIGATING");
  g_assert_cmpint (INCIDENT (report, 0)->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (INCIDENT (report, 0)->url, ==, "https://status.postscheduler.example/incident/ckx1incident");
  g_assert_cmpint (INCIDENT (report, 0)->started_at, ==, T_1542);
  g_assert_cmpint (INCIDENT (report, 0)->updated_at, ==, T_1550);
  g_assert_cmpstr (INCIDENT (report, 1)->title, ==, "Analytics are delayed");
  g_assert_cmpint (INCIDENT (report, 1)->level, ==, VIGIE_OFFICIAL_MINOR);

  /* NOTSTARTEDYET is not now. */
  g_assert_cmpuint (report->maintenances->len, ==, 0);

  /* No components[]: nothing to filter on, the filter is ignored. */
  filtered = parse_fixture (VIGIE_FEED_INSTATUS, "instatus-page-status.json", "Anything");
  g_assert_cmpint (filtered->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (filtered->incidents->len, ==, 2);
}

static void
test_instatus_status_type (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_INSTATUS, "instatus-status-type.json", NULL);
  g_autoptr(VigieFeedReport) links = NULL;
  g_autoptr(VigieFeedReport) analytics = NULL;
  g_autoptr(VigieFeedReport) top_string = NULL;

  /* Under maintenance, but Analytics is partially out: minor wins. */
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (report->components->len, ==, 2);
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Dashboard");
  g_assert_cmpint (COMPONENT (report, 0)->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpstr (COMPONENT (report, 1)->name, ==, "Analytics");
  g_assert_cmpstr (COMPONENT (report, 1)->status, ==, "PARTIAL_OUTAGE");
  g_assert_cmpint (COMPONENT (report, 1)->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (report->incidents->len, ==, 0);
  g_assert_cmpuint (report->maintenances->len, ==, 1);
  g_assert_cmpstr (MAINTENANCE (report, 0)->title, ==, "Dashboard redesign rollout");
  g_assert_cmpint (MAINTENANCE (report, 0)->started_at, ==, T_1500);
  g_assert_cmpstr (MAINTENANCE (report, 0)->url, ==, "https://status.linkhub.example/maintenance/mnt1");

  /* Maintenances are not attributed to components: they count for all. */
  links = parse_fixture (VIGIE_FEED_INSTATUS, "instatus-status-type.json", "Short links");
  g_assert_cmpint (links->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpuint (links->components->len, ==, 0);

  analytics = parse_fixture (VIGIE_FEED_INSTATUS, "instatus-status-type.json", "analytics");
  g_assert_cmpint (analytics->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (analytics->components->len, ==, 1);

  top_string = parse_text_ok (VIGIE_FEED_INSTATUS, "{\"status\":\"up\",\"activeIncidents\":[]}", NULL);
  g_assert_cmpint (top_string->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
}

/* ------------------------------------------------------------------------ */
/* Better Stack                                                              */
/* ------------------------------------------------------------------------ */

static void
test_betterstack_states (void)
{
  static const struct
  {
    const char         *file;
    VigieOfficialLevel  level;
    guint               n_components;
    VigieOfficialLevel  first_level;
    const char         *first_status;
  } cases[] = {
    { "betterstack-operational.json", VIGIE_OFFICIAL_OPERATIONAL, 0, VIGIE_OFFICIAL_UNKNOWN, NULL },
    { "betterstack-degraded.json", VIGIE_OFFICIAL_MINOR, 1, VIGIE_OFFICIAL_MINOR, "degraded" },
    { "betterstack-downtime.json", VIGIE_OFFICIAL_MAJOR, 2, VIGIE_OFFICIAL_MAJOR, "downtime" },
    { "betterstack-maintenance.json", VIGIE_OFFICIAL_MAINTENANCE, 1, VIGIE_OFFICIAL_MAINTENANCE, "maintenance" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_BETTERSTACK, cases[i].file, NULL);

      g_test_message ("%s", cases[i].file);
      g_assert_cmpint (report->level, ==, cases[i].level);
      g_assert_cmpuint (report->components->len, ==, cases[i].n_components);
      g_assert_cmpuint (report->incidents->len, ==, 0);
      if (cases[i].n_components > 0)
        {
          g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Sending");
          g_assert_cmpint (COMPONENT (report, 0)->level, ==, cases[i].first_level);
          g_assert_cmpstr (COMPONENT (report, 0)->status, ==, cases[i].first_status);
        }
    }
}

/* Reports: an open incident and a maintenance in progress count, a future,
 * a past and a resolved one do not; a resource without a monitor is no
 * evidence, neither listed nor counted. */
static void
test_betterstack_reports (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_BETTERSTACK, "betterstack-reports.json", NULL);
  g_autoptr(VigieFeedReport) web = NULL;
  g_autoptr(VigieFeedReport) sending = NULL;
  g_autoptr(VigieFeedReport) legacy = NULL;
  g_autoptr(VigieFeedReport) later = NULL;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (report->components->len, ==, 1);
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Sending");
  g_assert_cmpuint (report->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Newsletters leave late");
  g_assert_cmpint (INCIDENT (report, 0)->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (INCIDENT (report, 0)->status, ==, "degraded");
  g_assert_cmpstr (INCIDENT (report, 0)->impact, ==, "manual");
  g_assert_cmpstr (INCIDENT (report, 0)->latest_update, ==,
                   "A fix is rolling out; newsletters are catching up.");
  g_assert_cmpint (INCIDENT (report, 0)->started_at, ==, T_1540);
  g_assert_cmpint (INCIDENT (report, 0)->updated_at, ==, T_1555);
  g_assert_cmpuint (report->maintenances->len, ==, 1);
  g_assert_cmpstr (MAINTENANCE (report, 0)->title, ==, "Database upgrade");
  g_assert_cmpint (MAINTENANCE (report, 0)->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpstr (MAINTENANCE (report, 0)->latest_update, ==,
                   "The web app is read-only during the upgrade.");

  /* The report names the resources it touches. */
  web = parse_fixture (VIGIE_FEED_BETTERSTACK, "betterstack-reports.json", "Web app");
  g_assert_cmpint (web->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpuint (web->incidents->len, ==, 0);
  g_assert_cmpuint (web->maintenances->len, ==, 1);

  sending = parse_fixture (VIGIE_FEED_BETTERSTACK, "betterstack-reports.json", "Sending");
  g_assert_cmpint (sending->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (sending->incidents->len, ==, 1);
  g_assert_cmpuint (sending->maintenances->len, ==, 0);

  legacy = parse_fixture (VIGIE_FEED_BETTERSTACK, "betterstack-reports.json", "Legacy API");
  g_assert_cmpint (legacy->level, ==, VIGIE_OFFICIAL_UNKNOWN);
  g_assert_cmpuint (legacy->components->len, ==, 0);

  /* The next night, the announced network upgrade is the one running. */
  later = parse_fixture_at (VIGIE_FEED_BETTERSTACK, "betterstack-reports.json", "Web app",
                            NOW + 11 * 3600);
  g_assert_cmpint (later->level, ==, VIGIE_OFFICIAL_MAINTENANCE);
  g_assert_cmpstr (MAINTENANCE (later, 0)->title, ==, "Network upgrade tonight");
}

static void
test_betterstack_filter (void)
{
  g_autoptr(VigieFeedReport) web = parse_fixture (VIGIE_FEED_BETTERSTACK, "betterstack-downtime.json", "Web app");
  g_autoptr(VigieFeedReport) sending = parse_fixture (VIGIE_FEED_BETTERSTACK, "betterstack-degraded.json", "Web App");
  g_autoptr(VigieFeedReport) nothing = parse_fixture (VIGIE_FEED_BETTERSTACK, "betterstack-downtime.json", "Nope");

  g_assert_cmpint (web->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (web->components->len, ==, 1);
  g_assert_cmpstr (COMPONENT (web, 0)->name, ==, "Web app");

  /* Page degraded because of Sending; Web app itself is fine. */
  g_assert_cmpint (sending->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (sending->components->len, ==, 0);

  g_assert_cmpint (nothing->level, ==, VIGIE_OFFICIAL_UNKNOWN);
}

/* ------------------------------------------------------------------------ */
/* Slack                                                                     */
/* ------------------------------------------------------------------------ */

static void
test_slack_ok (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_SLACK, "slack-ok.json", NULL);
  g_autoptr(VigieFeedReport) filtered = parse_fixture (VIGIE_FEED_SLACK, "slack-ok.json", "Messaging");

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (report->incidents->len, ==, 0);
  g_assert_cmpuint (report->maintenances->len, ==, 0);
  g_assert_cmpint (filtered->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
}

static void
test_slack_active (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_SLACK, "slack-active.json", NULL);
  g_autoptr(VigieFeedReport) empty_active = NULL;
  const VigieFeedIncident *outage;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);

  /* outage, incident, notice; the resolved one is gone; the maintenance
   * notice is a maintenance. */
  g_assert_cmpuint (report->incidents->len, ==, 3);
  outage = INCIDENT (report, 0);
  g_assert_cmpstr (outage->title, ==, "Users can't connect to Slack");
  g_assert_cmpstr (outage->impact, ==, "outage");
  g_assert_cmpstr (outage->status, ==, "active");
  g_assert_cmpint (outage->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (outage->url, ==, "https://slack-status.com/2021-10/abc1201");
  g_assert_cmpint (outage->started_at, ==, T_1539);
  g_assert_cmpint (outage->updated_at, ==, T_1555);
  /* Newest note by date, not by position. */
  g_assert_cmpstr (outage->latest_update, ==, "We've found the cause and are working on a fix.");

  g_assert_cmpstr (INCIDENT (report, 1)->title, ==, "Some huddles drop after a few minutes");
  g_assert_cmpint (INCIDENT (report, 1)->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (INCIDENT (report, 2)->title, ==, "Link previews may be slow to appear");
  g_assert_cmpstr (INCIDENT (report, 2)->impact, ==, "notice");
  g_assert_cmpint (INCIDENT (report, 2)->level, ==, VIGIE_OFFICIAL_MINOR);

  g_assert_cmpuint (report->maintenances->len, ==, 1);
  g_assert_cmpstr (MAINTENANCE (report, 0)->title, ==, "Scheduled maintenance for Workflow Builder");
  g_assert_cmpint (MAINTENANCE (report, 0)->level, ==, VIGIE_OFFICIAL_MAINTENANCE);

  /* "active" with an empty list still means something is open. */
  empty_active = parse_text_ok (VIGIE_FEED_SLACK, "{\"status\":\"active\",\"active_incidents\":[]}", NULL);
  g_assert_cmpint (empty_active->level, ==, VIGIE_OFFICIAL_MINOR);
}

static void
test_slack_filter (void)
{
  g_autoptr(VigieFeedReport) huddles = parse_fixture (VIGIE_FEED_SLACK, "slack-active.json", "Huddles");
  g_autoptr(VigieFeedReport) messaging = parse_fixture (VIGIE_FEED_SLACK, "slack-active.json", "messaging");
  g_autoptr(VigieFeedReport) calls = parse_fixture (VIGIE_FEED_SLACK, "slack-active.json", "Calls");
  g_autoptr(VigieFeedReport) odd = NULL;

  g_assert_cmpint (huddles->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (huddles->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (huddles, 0)->title, ==, "Some huddles drop after a few minutes");
  g_assert_cmpuint (huddles->maintenances->len, ==, 0);

  g_assert_cmpint (messaging->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (messaging->incidents->len, ==, 1);

  g_assert_cmpint (calls->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (calls->incidents->len, ==, 0);

  /* Unknown status and nothing about the service: no evidence. */
  odd = parse_text_ok (VIGIE_FEED_SLACK, "{\"status\":\"weird\",\"active_incidents\":[]}", "Calls");
  g_assert_cmpint (odd->level, ==, VIGIE_OFFICIAL_UNKNOWN);
}

/* ------------------------------------------------------------------------ */
/* Google                                                                    */
/* ------------------------------------------------------------------------ */

static void
test_google_workspace (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_GOOGLE, "google-workspace.json", NULL);
  const VigieFeedIncident *gmail;

  /* Current: Gmail (no end), Drive (end announced for 18:00), Chat (end ""),
   * Meet (end null). Not: the past Gmail outage, Calendar (ended exactly
   * now), the one that begins tomorrow. */
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_null (report->description);
  g_assert_cmpuint (report->components->len, ==, 0);
  g_assert_cmpuint (report->incidents->len, ==, 4);

  gmail = INCIDENT (report, 0);
  g_assert_cmpstr (gmail->title, ==, "Some users can't send mail in Gmail");
  g_assert_cmpstr (gmail->status, ==, "SERVICE_DISRUPTION");
  g_assert_cmpstr (gmail->impact, ==, "SERVICE_DISRUPTION");
  g_assert_cmpint (gmail->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (gmail->url, ==, "incidents/gm1");
  g_assert_cmpstr (gmail->latest_update, ==, "We're investigating reports of an issue with Gmail.");
  g_assert_cmpint (gmail->started_at, ==, T_1545);
  g_assert_cmpint (gmail->updated_at, ==, T_1558);

  g_assert_cmpstr (INCIDENT (report, 1)->title, ==, "Google Drive is unavailable for many users");
  g_assert_cmpint (INCIDENT (report, 1)->level, ==, VIGIE_OFFICIAL_MAJOR);
  /* No status_impact: severity high decides. */
  g_assert_cmpstr (INCIDENT (report, 2)->title, ==, "Google Chat messages are delayed");
  g_assert_null (INCIDENT (report, 2)->impact);
  g_assert_cmpint (INCIDENT (report, 2)->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (INCIDENT (report, 3)->impact, ==, "SERVICE_INFORMATION");
  g_assert_cmpint (INCIDENT (report, 3)->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpint (INCIDENT (report, 3)->started_at, ==, T_1400);
}

static void
test_google_workspace_filter (void)
{
  g_autoptr(VigieFeedReport) gmail = parse_fixture (VIGIE_FEED_GOOGLE, "google-workspace.json", "Gmail");
  g_autoptr(VigieFeedReport) gmail_spaced = parse_fixture (VIGIE_FEED_GOOGLE, "google-workspace.json", "  gmail ");
  g_autoptr(VigieFeedReport) drive = parse_fixture (VIGIE_FEED_GOOGLE, "google-workspace.json", "Google Drive");
  g_autoptr(VigieFeedReport) partial_name = parse_fixture (VIGIE_FEED_GOOGLE, "google-workspace.json", "Drive");
  g_autoptr(VigieFeedReport) sheets = parse_fixture (VIGIE_FEED_GOOGLE, "google-workspace.json", "Google Sheets");
  g_autoptr(VigieFeedReport) back_then = NULL;

  g_assert_cmpint (gmail->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (gmail->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (gmail, 0)->url, ==, "incidents/gm1");

  g_assert_cmpint (gmail_spaced->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpuint (gmail_spaced->incidents->len, ==, 1);

  g_assert_cmpint (drive->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (drive->incidents->len, ==, 1);

  /* Whole names only. */
  g_assert_cmpint (partial_name->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (partial_name->incidents->len, ==, 0);

  g_assert_cmpint (sheets->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (sheets->incidents->len, ==, 0);

  /* "now" decides what is current: on 20 September the old outage was. */
  back_then = parse_fixture_at (VIGIE_FEED_GOOGLE, "google-workspace.json", "Gmail", T_0920_1000);
  g_assert_cmpint (back_then->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (back_then->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (back_then, 0)->title, ==, "Gmail outage (resolved)");
}

static void
test_google_cloud (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_GOOGLE, "google-cloud.json", NULL);
  g_autoptr(VigieFeedReport) storage = parse_fixture (VIGIE_FEED_GOOGLE, "google-cloud.json", "Cloud Storage");
  g_autoptr(VigieFeedReport) multiple = parse_fixture (VIGIE_FEED_GOOGLE, "google-cloud.json", "Multiple Products");
  g_autoptr(VigieFeedReport) bigquery = parse_fixture (VIGIE_FEED_GOOGLE, "google-cloud.json", "Google BigQuery");

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (report->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Multiple services are experiencing elevated error rates in us-east1");
  g_assert_cmpstr (INCIDENT (report, 0)->status, ==, "SERVICE_OUTAGE");
  /* Newlines in bodies are kept. */
  g_assert_cmpstr (INCIDENT (report, 0)->latest_update, ==,
                   "Summary: Elevated errors\nDescription: Mitigation is in progress.");

  g_assert_cmpint (storage->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (storage->incidents->len, ==, 1);
  g_assert_cmpuint (multiple->incidents->len, ==, 1);
  g_assert_cmpint (bigquery->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (bigquery->incidents->len, ==, 0);
}

static void
test_google_end_handling (void)
{
  g_autoptr(VigieFeedReport) report = NULL;

  /* An unreadable end counts as past (never turn history into outages);
   * an unreadable begin does not hide an open incident. */
  report = parse_text_ok (VIGIE_FEED_GOOGLE,
                          "[{\"external_desc\":\"old\",\"end\":\"yesterday\",\"status_impact\":\"SERVICE_OUTAGE\"},"
                          " {\"external_desc\":\"open\",\"begin\":\"soon\",\"status_impact\":\"SERVICE_OUTAGE\"},"
                          " null]", NULL);
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (report->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "open");
  g_assert_cmpint (INCIDENT (report, 0)->started_at, ==, 0);
}

static void
test_resolve_links (void)
{
  g_autoptr(VigieFeedReport) workspace = parse_fixture (VIGIE_FEED_GOOGLE, "google-workspace.json", "Gmail");
  g_autoptr(VigieFeedReport) cloud = parse_fixture (VIGIE_FEED_GOOGLE, "google-cloud.json", NULL);
  g_autoptr(VigieFeedReport) slack = parse_fixture (VIGIE_FEED_SLACK, "slack-active.json", NULL);
  g_autoptr(VigieFeedReport) no_base = parse_fixture (VIGIE_FEED_GOOGLE, "google-cloud.json", NULL);

  vigie_feed_report_resolve_links (workspace, "https://www.google.com/appsstatus/dashboard/incidents.json");
  g_assert_cmpstr (INCIDENT (workspace, 0)->url, ==, "https://www.google.com/appsstatus/dashboard/incidents/gm1");

  vigie_feed_report_resolve_links (cloud, "https://status.cloud.google.com/incidents.json");
  g_assert_cmpstr (INCIDENT (cloud, 0)->url, ==, "https://status.cloud.google.com/incidents/gc1");

  /* Absolute links are left alone, maintenances included. */
  vigie_feed_report_resolve_links (slack, "https://slack-status.com/api/v2.0.0/current");
  g_assert_cmpstr (INCIDENT (slack, 0)->url, ==, "https://slack-status.com/2021-10/abc1201");
  g_assert_cmpstr (MAINTENANCE (slack, 0)->url, ==, "https://slack-status.com/2021-10/abc1198");

  /* Without a base a relative link is useless: dropped. */
  vigie_feed_report_resolve_links (no_base, NULL);
  g_assert_null (INCIDENT (no_base, 0)->url);
}

/* ------------------------------------------------------------------------ */
/* RSS / Atom                                                                */
/* ------------------------------------------------------------------------ */

static void
test_rss_empty (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_RSS, "rss-empty.rss", NULL);

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (report->incidents->len, ==, 0);
  g_assert_null (report->description);
}

static void
test_rss_two_items (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_RSS, "rss-two-items.rss", NULL);
  const VigieFeedIncident *photos, *outage;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (report->incidents->len, ==, 2);

  /* Newest first: 11:45 -0400 is 15:45 UTC, after 15:39 GMT. */
  photos = INCIDENT (report, 0);
  g_assert_cmpstr (photos->title, ==, "Messenger: Users may have trouble sending photos");
  g_assert_cmpint (photos->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (photos->url, ==, "https://metastatus.com/messenger?event=2");
  g_assert_cmpstr (photos->latest_update, ==,
                   "Some users may experience delays when sending photos. We're working on it & will update soon.");
  g_assert_cmpint (photos->started_at, ==, T_1545);
  g_assert_cmpint (photos->updated_at, ==, T_1545);
  g_assert_null (photos->impact);
  g_assert_null (photos->status);

  outage = INCIDENT (report, 1);
  g_assert_cmpstr (outage->title, ==, "Messenger: Major outage");
  g_assert_cmpint (outage->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (outage->latest_update, ==, "Messenger is unavailable for most users.");
  g_assert_cmpint (outage->started_at, ==, T_1539);
}

static void
test_rss_atom (void)
{
  g_autoptr(VigieFeedReport) report = parse_fixture (VIGIE_FEED_RSS, "atom.xml", NULL);
  const VigieFeedIncident *ads, *billing;

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (report->incidents->len, ==, 2);

  ads = INCIDENT (report, 0);
  /* type="html" title reduced to text; "partially" keeps "down" minor. */
  g_assert_cmpstr (ads->title, ==, "Ads Manager partially down");
  g_assert_cmpint (ads->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_cmpstr (ads->url, ==, "https://status.example/events/7");
  g_assert_cmpstr (ads->latest_update, ==, "Campaign edits may fail. Reporting is delayed.");
  g_assert_cmpint (ads->started_at, ==, T_1540);
  g_assert_cmpint (ads->updated_at, ==, T_1550);

  billing = INCIDENT (report, 1);
  g_assert_cmpstr (billing->title, ==, "Billing page unavailable");
  g_assert_cmpint (billing->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (billing->url, ==, "https://status.example/events/6");
  g_assert_cmpstr (billing->latest_update, ==, "Invoices cannot be downloaded.");
  g_assert_cmpint (billing->started_at, ==, T_1400);
  g_assert_cmpint (billing->updated_at, ==, T_1400);
}

static void
test_rss_dates (void)
{
  g_autoptr(VigieFeedReport) report = NULL;
  static const struct { const char *title; gint64 expected; } cases[] = {
    { "gmt", T_1539 },
    { "edt-two-digit-year", T_1539 },
    { "no-weekday-no-seconds", T_1539 },
    { "iso", T_1539 },
    { "pdt", T_1539 },
    { "military", T_1539 },
    { "garbage", 0 },
    { "feb-31", 0 },
    { "bad-hour", 0 },
  };

  report = parse_text_ok (VIGIE_FEED_RSS,
    "<rss version=\"2.0\"><channel>"
    "<item><title>gmt</title><pubDate>Mon, 04 Oct 2021 15:39:00 GMT</pubDate></item>"
    "<item><title>edt-two-digit-year</title><pubDate>Mon, 4 Oct 21 11:39:00 EDT</pubDate></item>"
    "<item><title>no-weekday-no-seconds</title><pubDate>04 Oct 2021 15:39 +0000</pubDate></item>"
    "<item><title>iso</title><pubDate>2021-10-04T15:39:00Z</pubDate></item>"
    "<item><title>pdt</title><pubDate>Monday, 04 October 2021 08:39:00 PDT</pubDate></item>"
    "<item><title>military</title><pubDate>Mon, 04 Oct 2021 15:39:00 A</pubDate></item>"
    "<item><title>garbage</title><pubDate>yesterday-ish</pubDate></item>"
    "<item><title>feb-31</title><pubDate>Wed, 31 Feb 2021 10:00:00 GMT</pubDate></item>"
    "<item><title>bad-hour</title><pubDate>Mon, 04 Oct 2021 25:39:00 GMT</pubDate></item>"
    "</channel></rss>", NULL);

  g_assert_cmpuint (report->incidents->len, ==, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].title);
      g_assert_cmpint (find_incident (report, cases[i].title)->started_at, ==, cases[i].expected);
    }
}

static void
test_rss_rejects (void)
{
  g_autoptr(GString) deep = g_string_new ("<rss>");

  /* Meta's site answers 200 with HTML for any path: not "no events". */
  assert_parse_fails (VIGIE_FEED_RSS, "<html><body><p>Meta Status</p></body></html>", VIGIE_FEED_ERROR_WRONG_TYPE);
  /* Real-world HTML is not even XML: refused either way. */
  assert_parse_fails (VIGIE_FEED_RSS, "<!DOCTYPE html><html><head><meta charset=utf-8></head></html>",
                      VIGIE_FEED_ERROR_WRONG_TYPE);
  assert_parse_fails (VIGIE_FEED_RSS, "<rss><channel><item><description><p>a<br></p></description></item></channel></rss>",
                      VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_RSS, "<rss><channel><item><title>unclosed", VIGIE_FEED_ERROR_INVALID);
  /* No entity expansion of any kind, external or internal. */
  assert_parse_fails (VIGIE_FEED_RSS,
                      "<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                      "<rss version=\"2.0\"><channel><item><title>&xxe;</title></item></channel></rss>",
                      VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_RSS,
                      "<rss><channel><item><title>&nbsp;</title></item></channel></rss>",
                      VIGIE_FEED_ERROR_INVALID);

  for (guint i = 0; i < 100; i++)
    g_string_append (deep, "<x>");
  for (guint i = 0; i < 100; i++)
    g_string_append (deep, "</x>");
  g_string_append (deep, "</rss>");
  assert_parse_fails (VIGIE_FEED_RSS, deep->str, VIGIE_FEED_ERROR_TOO_DEEP);
}

static void
test_rss_markup_and_entities (void)
{
  g_autoptr(VigieFeedReport) report = NULL;

  report = parse_text_ok (VIGIE_FEED_RSS,
    "<rss version=\"2.0\"><channel><item>"
    "<title>&lt;b&gt;&amp;amp;&lt;/b&gt; Instagram down</title>"
    "<link>javascript:alert(1)</link>"
    "<description><![CDATA[<script>alert('x')</script><style>p{}</style>"
    "<p title=\"a > b\">Feeds &amp; DMs&#x2014;fail</p><!-- hidden --><ul><li>one</li><li>two</li></ul>]]>"
    "</description>"
    "</item></channel></rss>", NULL);

  g_assert_cmpuint (report->incidents->len, ==, 1);
  /* RSS titles are text: markup in them is kept as is, for the caller to
   * escape. */
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "<b>&amp;</b> Instagram down");
  g_assert_cmpint (INCIDENT (report, 0)->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_null (INCIDENT (report, 0)->url);
  g_assert_cmpstr (INCIDENT (report, 0)->latest_update, ==, "Feeds & DMs\xe2\x80\x94" "fail one two");
}

/* ------------------------------------------------------------------------ */
/* Hostile and broken input                                                  */
/* ------------------------------------------------------------------------ */

static void
test_bad_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;

  report = vigie_feed_parse (VIGIE_FEED_STATUSPAGE, NULL, 0, NULL, NOW, &error);
  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID);

  assert_parse_fails (VIGIE_FEED_STATUSPAGE, "", VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_GOOGLE, " \n\t ", VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_RSS, "", VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_RSS, "  <!-- nothing -->  ", VIGIE_FEED_ERROR_INVALID);
}

static void
test_bad_invalid_json (void)
{
  assert_parse_fails (VIGIE_FEED_STATUSPAGE, "{", VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_STATUSPAGE, "{\"status\": }", VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_SLACK, "<html>502 Bad Gateway</html>", VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_GOOGLE, "[1, 2,]x", VIGIE_FEED_ERROR_INVALID);
  assert_parse_fails (VIGIE_FEED_INSTATUS, "{\"a\":1} {\"b\":2}", VIGIE_FEED_ERROR_INVALID);
}

static void
test_bad_deep_nesting (void)
{
  const gsize n = 200000;
  g_autofree char *text = g_malloc (2 * n + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;
  gint64 start;

  memset (text, '[', n);
  memset (text + n, ']', n);
  text[2 * n] = '\0';

  start = g_get_monotonic_time ();
  report = vigie_feed_parse (VIGIE_FEED_GOOGLE, (const guint8 *) text, 2 * n, NULL, NOW, &error);
  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_DEEP);
  /* Refused after a few bytes, not after building 200 000 nodes. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);

  /* Same with objects, for a kind that wants an object. */
  g_clear_error (&error);
  memset (text, '{', n);
  report = vigie_feed_parse (VIGIE_FEED_STATUSPAGE, (const guint8 *) text, n, NULL, NOW, &error);
  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_DEEP);
}

static void
test_bad_depth_limit (void)
{
  g_autoptr(GString) ok_object = g_string_new (NULL);
  g_autoptr(GString) arrays_32 = g_string_new (NULL);
  g_autoptr(GString) arrays_33 = g_string_new (NULL);
  g_autoptr(VigieFeedReport) report = NULL;

  /* 32 levels of objects with unknown keys: accepted, no evidence. */
  for (guint i = 0; i < VIGIE_FEED_MAX_DEPTH; i++)
    g_string_append (ok_object, "{\"a\":");
  g_string_append (ok_object, "1");
  for (guint i = 0; i < VIGIE_FEED_MAX_DEPTH; i++)
    g_string_append_c (ok_object, '}');
  report = parse_text_ok (VIGIE_FEED_STATUSPAGE, ok_object->str, NULL);
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_UNKNOWN);

  /* 32 nested arrays pass the depth check (then fail on shape); 33 don't. */
  for (guint i = 0; i < VIGIE_FEED_MAX_DEPTH; i++)
    g_string_append_c (arrays_32, '[');
  for (guint i = 0; i < VIGIE_FEED_MAX_DEPTH; i++)
    g_string_append_c (arrays_32, ']');
  assert_parse_fails (VIGIE_FEED_GOOGLE, arrays_32->str, VIGIE_FEED_ERROR_WRONG_TYPE);

  g_string_append_printf (arrays_33, "[%s]", arrays_32->str);
  assert_parse_fails (VIGIE_FEED_GOOGLE, arrays_33->str, VIGIE_FEED_ERROR_TOO_DEEP);
}

static void
test_bad_brackets_in_strings (void)
{
  g_autoptr(GString) text = g_string_new ("{\"status\":{\"indicator\":\"minor\",\"description\":\"");
  g_autoptr(VigieFeedReport) report = NULL;

  /* Brackets and escaped quotes inside strings are not nesting. */
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "[{\\\"");
  g_string_append (text, "\"}}");

  report = parse_text_ok (VIGIE_FEED_STATUSPAGE, text->str, NULL);
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_true (g_str_has_prefix (report->description, "[{\"[{\""));
}

static void
test_bad_wrong_types (void)
{
  static const struct { VigieFeedKind kind; const char *text; } cases[] = {
    { VIGIE_FEED_STATUSPAGE, "{\"status\":{\"indicator\":3}}" },
    { VIGIE_FEED_STATUSPAGE, "{\"status\":\"none\"}" },
    { VIGIE_FEED_STATUSPAGE, "{\"components\":\"API\"}" },
    { VIGIE_FEED_STATUSPAGE, "{\"components\":[{\"name\":\"API\",\"status\":1}]}" },
    { VIGIE_FEED_STATUSPAGE, "{\"incidents\":{\"name\":\"down\"}}" },
    { VIGIE_FEED_STATUSPAGE, "{\"incidents\":[\"down\"]}" },
    { VIGIE_FEED_STATUSPAGE, "{\"incidents\":[{\"name\":\"x\",\"impact\":[\"major\"]}]}" },
    { VIGIE_FEED_STATUSPAGE, "{\"scheduled_maintenances\":[{\"status\":true}]}" },
    { VIGIE_FEED_STATUSPAGE, "[]" },
    { VIGIE_FEED_INCIDENTIO, "{\"status\":{\"indicator\":null},\"incidents\":42}" },
    { VIGIE_FEED_INSTATUS, "{\"page\":{\"status\":1}}" },
    { VIGIE_FEED_INSTATUS, "{\"status\":[\"UP\"]}" },
    { VIGIE_FEED_INSTATUS, "{\"status\":{\"type\":false}}" },
    { VIGIE_FEED_INSTATUS, "{\"activeIncidents\":{}}" },
    { VIGIE_FEED_BETTERSTACK, "{\"data\":{\"attributes\":{\"aggregate_state\":{}}}}" },
    { VIGIE_FEED_BETTERSTACK, "{\"data\":[]}" },
    { VIGIE_FEED_BETTERSTACK, "{\"included\":[{\"attributes\":\"x\"}]}" },
    { VIGIE_FEED_SLACK, "{\"status\":true}" },
    { VIGIE_FEED_SLACK, "{\"status\":\"active\",\"active_incidents\":[{\"type\":7}]}" },
    { VIGIE_FEED_SLACK, "{\"status\":\"active\",\"active_incidents\":\"outage\"}" },
    { VIGIE_FEED_GOOGLE, "{}" },
    { VIGIE_FEED_GOOGLE, "[\"incident\"]" },
    { VIGIE_FEED_GOOGLE, "[{\"end\":5}]" },
    { VIGIE_FEED_GOOGLE, "[{\"status_impact\":{\"a\":1}}]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s: %s", vigie_feed_kind_to_string (cases[i].kind), cases[i].text);
      assert_parse_fails (cases[i].kind, cases[i].text, VIGIE_FEED_ERROR_WRONG_TYPE);
    }
}

static void
test_bad_descriptive_types_tolerated (void)
{
  g_autoptr(VigieFeedReport) report = NULL;

  /* Wrong types in names, links and bodies read as absent; nulls too. */
  report = parse_text_ok (VIGIE_FEED_STATUSPAGE,
                          "{\"status\":{\"indicator\":\"minor\",\"description\":7},"
                          "\"components\":null,"
                          "\"incidents\":[null,{\"name\":42,\"impact\":null,\"shortlink\":5,"
                          "\"started_at\":[],\"incident_updates\":\"x\",\"components\":\"all\"}]}", NULL);
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_null (report->description);
  g_assert_cmpuint (report->incidents->len, ==, 1);
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "");
  g_assert_null (INCIDENT (report, 0)->url);
  g_assert_null (INCIDENT (report, 0)->impact);
  g_assert_null (INCIDENT (report, 0)->latest_update);
  g_assert_cmpint (INCIDENT (report, 0)->started_at, ==, 0);
  g_assert_cmpint (INCIDENT (report, 0)->level, ==, VIGIE_OFFICIAL_MINOR);
}

static void
test_bad_too_large (void)
{
  gsize big = VIGIE_FEED_MAX_SIZE + 1;
  g_autofree guint8 *data = g_malloc (VIGIE_FEED_MAX_SIZE_GOOGLE + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(VigieFeedReport) google = NULL;
  g_autoptr(GString) google_text = NULL;

  memset (data, ' ', VIGIE_FEED_MAX_SIZE_GOOGLE + 1);
  data[0] = '{';
  data[big - 1] = '}';
  report = vigie_feed_parse (VIGIE_FEED_STATUSPAGE, data, big, NULL, NOW, &error);
  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE);
  g_clear_error (&error);

  report = vigie_feed_parse (VIGIE_FEED_RSS, data, big, NULL, NOW, &error);
  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE);
  g_clear_error (&error);

  report = vigie_feed_parse (VIGIE_FEED_GOOGLE, data, VIGIE_FEED_MAX_SIZE_GOOGLE + 1, NULL, NOW, &error);
  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Google's history file may exceed the general cap. */
  google_text = g_string_new ("[{\"external_desc\":\"");
  while (google_text->len < 5 * 1024 * 1024)
    g_string_append (google_text, "long history ");
  g_string_append (google_text, "\",\"end\":\"2020-01-01T00:00:00Z\",\"status_impact\":\"SERVICE_OUTAGE\"}]");
  google = vigie_feed_parse (VIGIE_FEED_GOOGLE, (const guint8 *) google_text->str, google_text->len,
                             NULL, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (google->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpuint (google->incidents->len, ==, 0);
}

static void
test_bad_unsupported_kind (void)
{
  assert_parse_fails (VIGIE_FEED_NONE, "{}", VIGIE_FEED_ERROR_UNSUPPORTED);
}

/* ------------------------------------------------------------------------ */
/* Strings                                                                   */
/* ------------------------------------------------------------------------ */

static void
test_text_markup_kept (void)
{
  g_autoptr(VigieFeedReport) statuspage = NULL;
  g_autoptr(VigieFeedReport) slack = NULL;
  g_autoptr(VigieFeedReport) google = NULL;

  statuspage = parse_text_ok (VIGIE_FEED_STATUSPAGE,
                              "{\"status\":{\"indicator\":\"major\",\"description\":\"<i>Down</i>\"},"
                              "\"components\":[{\"name\":\"<b>&amp;</b>\",\"status\":\"major_outage\"}],"
                              "\"incidents\":[{\"name\":\"<b>&amp;</b>\",\"impact\":\"major\","
                              "\"incident_updates\":[{\"body\":\"<a href='x'>&lt;</a>\"}]}]}", NULL);
  g_assert_cmpstr (statuspage->description, ==, "<i>Down</i>");
  g_assert_cmpstr (COMPONENT (statuspage, 0)->name, ==, "<b>&amp;</b>");
  g_assert_cmpstr (INCIDENT (statuspage, 0)->title, ==, "<b>&amp;</b>");
  g_assert_cmpstr (INCIDENT (statuspage, 0)->latest_update, ==, "<a href='x'>&lt;</a>");

  slack = parse_text_ok (VIGIE_FEED_SLACK,
                         "{\"status\":\"active\",\"active_incidents\":[{\"title\":\"<b>&amp;</b>\",\"type\":\"outage\"}]}",
                         NULL);
  g_assert_cmpstr (INCIDENT (slack, 0)->title, ==, "<b>&amp;</b>");

  google = parse_text_ok (VIGIE_FEED_GOOGLE,
                          "[{\"external_desc\":\"<b>&amp;</b>\",\"status_impact\":\"SERVICE_OUTAGE\"}]", NULL);
  g_assert_cmpstr (INCIDENT (google, 0)->title, ==, "<b>&amp;</b>");
}

static void
test_text_invalid_utf8 (void)
{
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(VigieFeedReport) rss = NULL;

  /* A Latin-1 "é" (and an invalid 0xFF in the RSS title). */
  static const char json[] =
    "{\"status\":{\"indicator\":\"minor\",\"description\":\"ok\"},"
    "\"incidents\":[{\"name\":\"Caf\xe9 down\",\"impact\":\"minor\"}]}";
  static const char xml[] =
    "<rss><channel><item><title>Caf\xe9\xff down</title></item></channel></rss>";

  report = parse_text_ok (VIGIE_FEED_STATUSPAGE, json, NULL);
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MINOR);
  g_assert_true (g_utf8_validate (INCIDENT (report, 0)->title, -1, NULL));
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Caf\xef\xbf\xbd down");

  rss = parse_text_ok (VIGIE_FEED_RSS, xml, NULL);
  g_assert_cmpstr (INCIDENT (rss, 0)->title, ==, "Caf\xef\xbf\xbd\xef\xbf\xbd down");
}

static void
test_text_nul_byte (void)
{
  static const char json[] = "{\"status\":{\"indicator\":\"none\",\"description\":\"a\0b\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;

  /* sizeof - 1: the NUL in the middle is part of the input. */
  report = vigie_feed_parse (VIGIE_FEED_STATUSPAGE, (const guint8 *) json, sizeof json - 1, NULL, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpstr (report->description, ==, "a\xef\xbf\xbd" "b");
}

static void
test_text_caps (void)
{
  g_autoptr(GString) text = g_string_new ("{\"incidents\":[{\"impact\":\"minor\",\"name\":\"");
  g_autoptr(VigieFeedReport) report = NULL;
  const VigieFeedIncident *incident;

  for (guint i = 0; i < 400; i++)
    g_string_append (text, "\xc3\xa9");  /* é: two bytes, one character */
  g_string_append (text, "\",\"incident_updates\":[{\"body\":\"");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\"}],\"status\":\"investigating\"}]}");

  report = parse_text_ok (VIGIE_FEED_STATUSPAGE, text->str, NULL);
  incident = INCIDENT (report, 0);
  g_assert_true (g_utf8_validate (incident->title, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (incident->title, -1), ==, VIGIE_FEED_MAX_TITLE_CHARS);
  g_assert_true (g_str_has_suffix (incident->title, "é…"));
  g_assert_cmpuint (g_utf8_strlen (incident->latest_update, -1), ==, VIGIE_FEED_MAX_UPDATE_CHARS);
  g_assert_true (g_str_has_suffix (incident->latest_update, "x…"));
}

static void
test_text_many_items_capped (void)
{
  g_autoptr(GString) text = g_string_new ("{\"status\":{\"indicator\":\"none\"},\"incidents\":[");
  g_autoptr(VigieFeedReport) report = NULL;

  /* 80 minor incidents and, last, one major: the level sees all of them,
   * the list keeps the newest 50. */
  for (guint i = 0; i < 80; i++)
    g_string_append_printf (text, "{\"name\":\"n%u\",\"impact\":\"minor\",\"started_at\":\"2021-10-04T10:%02u:00Z\"},",
                            i, i % 60);
  g_string_append (text, "{\"name\":\"oldest\",\"impact\":\"critical\",\"started_at\":\"2021-10-01T00:00:00Z\"}]}");

  report = parse_text_ok (VIGIE_FEED_STATUSPAGE, text->str, NULL);
  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (report->incidents->len, ==, VIGIE_FEED_MAX_ITEMS);
  for (guint i = 0; i < report->incidents->len; i++)
    g_assert_cmpstr (INCIDENT (report, i)->title, !=, "oldest");
}

static void
test_text_control_chars (void)
{
  g_autoptr(VigieFeedReport) report = NULL;

  report = parse_text_ok (VIGIE_FEED_STATUSPAGE,
                          "{\"incidents\":[{\"impact\":\"minor\",\"name\":\"  Down\\u001b[31m now\\u0007\\n \","
                          "\"incident_updates\":[{\"body\":\"line 1\\nline 2\\tend\\u0085\"}]}]}", NULL);
  /* Escape sequences neutralised, edges trimmed, newline and tab kept. */
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Down [31m now");
  g_assert_cmpstr (INCIDENT (report, 0)->latest_update, ==, "line 1\nline 2\tend");
}

/* Bidi overrides, embeddings, isolates and marks are dropped from every
 * remote string: "\u202E" would print the rest of a title — and of the
 * line it is shown in, service name and time included — backwards. */
static void
test_text_bidi_controls (void)
{
  static const char json[] =
    "{\"status\":{\"indicator\":\"minor\",\"description\":\"a\\u200Fb\"},"
    "\"components\":[{\"name\":\"\\u2066Login\\u2069\",\"status\":\"partial_outage\"}],"
    "\"incidents\":[{\"name\":\"Instagram: \\u202Enwod\\u202C si\",\"impact\":\"minor\","
    "\"incident_updates\":[{\"body\":\"\\u202A\\u202B\\u202D\\u2067\\u2068\\u061C\\u200Efixed\"}]}]}";
  static const char xml[] =
    "<rss><channel><item><title>&#x202E;nwod&#x202C; "
    "\xe2\x80\xae" "ok" "\xe2\x80\xac</title><link>https://status.example/&#x202E;gpj.exe</link>"
    "<description>&lt;b&gt;&amp;#x2067;x&amp;#x2069;&lt;/b&gt;</description></item></channel></rss>";
  g_autoptr(VigieFeedReport) report = parse_text_ok (VIGIE_FEED_STATUSPAGE, json, NULL);
  g_autoptr(VigieFeedReport) rss = parse_text_ok (VIGIE_FEED_RSS, xml, NULL);

  g_assert_cmpstr (report->description, ==, "ab");
  g_assert_cmpstr (COMPONENT (report, 0)->name, ==, "Login");
  g_assert_cmpstr (INCIDENT (report, 0)->title, ==, "Instagram: nwod si");
  g_assert_cmpstr (INCIDENT (report, 0)->latest_update, ==, "fixed");
  g_assert_cmpstr (INCIDENT (rss, 0)->title, ==, "nwod ok");
  g_assert_null (INCIDENT (rss, 0)->url);
  g_assert_cmpstr (INCIDENT (rss, 0)->latest_update, ==, "x");

  /* Other formatting characters that do not reorder text stay (a zero
   * width joiner is part of many emoji); a title of marks alone is empty. */
  {
    g_autoptr(VigieFeedReport) kept = parse_text_ok (VIGIE_FEED_STATUSPAGE,
      "{\"incidents\":[{\"name\":\"a\\u200Db\",\"impact\":\"minor\"},"
      "{\"name\":\" \\u200E \\u202E \",\"impact\":\"minor\"}]}", NULL);

    g_assert_cmpstr (find_incident (kept, "a\xe2\x80\x8d" "b")->title, ==, "a\xe2\x80\x8d" "b");
    g_assert_nonnull (find_incident (kept, ""));
  }
}

static void
test_text_unsafe_links (void)
{
  static const struct { const char *link; const char *expected; } cases[] = {
    { "https://stspg.io/ok", "https://stspg.io/ok" },
    { "http://intranet.example/incident", "http://intranet.example/incident" },
    { "HTTPS://STATUS.EXAMPLE/X", "HTTPS://STATUS.EXAMPLE/X" },
    { "  https://trimmed.example/  ", "https://trimmed.example/" },
    { "incidents/abc", "incidents/abc" },
    { "javascript:alert(1)", NULL },
    { "JavaScript:alert(1)", NULL },
    { "data:text/html,<script>alert(1)</script>", NULL },
    { "file:///etc/passwd", NULL },
    { "https://evil.example/a b", NULL },
    { "https://evil.example/\\u0007", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"incidents\":[{\"impact\":\"minor\",\"name\":\"x\",\"shortlink\":\"%s\"}]}",
                                               cases[i].link);
      g_autoptr(VigieFeedReport) report = parse_text_ok (VIGIE_FEED_STATUSPAGE, json, NULL);

      g_test_message ("%s", cases[i].link);
      g_assert_cmpstr (INCIDENT (report, 0)->url, ==, cases[i].expected);
    }
}

static void
test_text_bom (void)
{
  g_autoptr(VigieFeedReport) json = parse_text_ok (VIGIE_FEED_SLACK, "\xef\xbb\xbf{\"status\":\"ok\"}", NULL);
  g_autoptr(VigieFeedReport) rss = parse_text_ok (VIGIE_FEED_RSS, "\xef\xbb\xbf<rss><channel/></rss>", NULL);

  g_assert_cmpint (json->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_cmpint (rss->level, ==, VIGIE_OFFICIAL_OPERATIONAL);
}

/* ------------------------------------------------------------------------ */
/* Fuzzing reproducers (fuzz/crashes/, see fuzz/README.md)                   */
/* ------------------------------------------------------------------------ */

/* A fuzz-feeds input: one selector byte (bits 0-2: the kind, as in
 * fuzz/fuzz-feeds.c), then the body. */
static GBytes *
load_reproducer (const char    *name,
                 VigieFeedKind *kind)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "fuzz", "crashes", name, NULL);
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >=, 1);
  input = g_bytes_new_take (contents, len);
  *kind = (VigieFeedKind) (VIGIE_FEED_STATUSPAGE + ((guint8) contents[0] & 0x07) % 7);
  return g_bytes_new_from_bytes (input, 1, len - 1);
}

static VigieFeedReport *
parse_bytes (VigieFeedKind   kind,
             GBytes         *body,
             GError        **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (body, &len);

  return vigie_feed_parse (kind, data, len, NULL, NOW, error);
}

/* What fuzz/fuzz-feeds.c checks of every error: valid UTF-8, no control
 * character but newline and tab (C1 included). */
static void
assert_clean_message (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0));
    }
}

/* A field is cut at 64 KiB: the cut must not split a UTF-8 character, or
 * the HTML and whitespace passes jump over the terminating NUL. */
static void
test_fuzz_rss_field_cut_mid_utf8 (void)
{
  static const struct { const char *open, *close; } templates[] = {
    { "<rss><channel><item><title>t</title><description>",
      "</description></item></channel></rss>" },
    { "<rss><channel><item><title>t</title><description><![CDATA[",
      "]]></description></item></channel></rss>" },
    { "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>t</title><summary>",
      "</summary></entry></feed>" },
    { "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>t</title><content type=\"text\">",
      "</content></entry></feed>" },
  };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(GString) field = g_string_new (NULL);
  VigieFeedKind kind;
  const char *update;

  body = load_reproducer ("fuzz-feeds-rss-field-cut-mid-utf8", &kind);
  g_assert_cmpint (kind, ==, VIGIE_FEED_RSS);
  report = parse_bytes (kind, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->incidents->len, ==, 1);
  update = INCIDENT (report, 0)->latest_update;
  g_assert_nonnull (update);
  g_assert_true (g_utf8_validate (update, -1, NULL));
  g_assert_true (g_str_has_prefix (update, "aaaa"));
  g_assert_true (g_str_has_suffix (update, "…"));
  g_assert_cmpint (g_utf8_strlen (update, -1), ==, VIGIE_FEED_MAX_UPDATE_CHARS);

  /* 65 535 spaces, then "é" whose second byte is the first one past the
   * cut: the field holds nothing but spaces, so no description at all
   * (before the fix, the lone lead byte became "À" and whatever followed
   * the NUL in memory). */
  for (guint i = 0; i < 64 * 1024 - 1; i++)
    g_string_append_c (field, ' ');
  g_string_append (field, "\xc3\xa9 tail");
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autoptr(VigieFeedReport) cut = NULL;
      g_autofree char *text = g_strconcat (templates[i].open, field->str, templates[i].close, NULL);

      g_test_message ("%s", templates[i].open);
      cut = parse_text_ok (VIGIE_FEED_RSS, text, NULL);
      g_assert_cmpuint (cut->incidents->len, ==, 1);
      g_assert_cmpstr (INCIDENT (cut, 0)->title, ==, "t");
      g_assert_null (INCIDENT (cut, 0)->latest_update);
    }
}

/* json-glib 1.6 leaks the container after a top-level scalar ("0[...]"):
 * such bodies never reach it. LeakSanitizer (sanitized build) sees the
 * leak at exit; the loop makes it too large to hide. */
static void
test_fuzz_json_scalar_prefix (void)
{
  static const struct { VigieFeedKind kind; const char *text; } cases[] = {
    { VIGIE_FEED_GOOGLE, "0[{\"name\":\"x\"}]" },
    { VIGIE_FEED_STATUSPAGE, "\"critical\"{\"status\":{\"indicator\":\"none\"}}" },
    { VIGIE_FEED_GOOGLE, "2[{}]" },
    { VIGIE_FEED_SLACK, "null[]" },
    { VIGIE_FEED_INSTATUS, "true[[]]" },
    { VIGIE_FEED_BETTERSTACK, " \n -1.5e3 {\"data\":{}}" },
    { VIGIE_FEED_STATUSPAGE, "\"all good\"" },
    { VIGIE_FEED_STATUSPAGE, "42" },
    { VIGIE_FEED_GOOGLE, "\xef\xbb\xbf" "false" },
  };
  g_autoptr(GBytes) body = NULL;
  VigieFeedKind kind;

  body = load_reproducer ("fuzz-feeds-json-scalar-prefix-leak", &kind);
  g_assert_cmpint (kind, !=, VIGIE_FEED_RSS);
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VigieFeedReport) report = parse_bytes (kind, body, &error);

      g_assert_null (report);
      g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s: %s", vigie_feed_kind_to_string (cases[i].kind), cases[i].text);
      for (guint round = 0; round < 10; round++)
        assert_parse_fails (cases[i].kind, cases[i].text, VIGIE_FEED_ERROR_INVALID);
    }
}

/* GMarkup and json-glib quote feed bytes in their messages. */
static void
test_fuzz_error_messages (void)
{
  static const char *const names[] = {
    "fuzz-feeds-rss-error-message-not-utf8",
    "fuzz-feeds-rss-error-message-control-chars",
    "fuzz-feeds-json-error-message-control-chars",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(VigieFeedReport) report = NULL;
      VigieFeedKind kind;

      g_test_message ("%s", names[i]);
      body = load_reproducer (names[i], &kind);
      report = parse_bytes (kind, body, &error);
      g_assert_null (report);
      g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_INVALID);
      g_test_message ("%s", error->message);
      assert_clean_message (error);
      g_assert_cmpint (g_utf8_strlen (error->message, -1), <=, VIGIE_FEED_MAX_TITLE_CHARS);
    }
}

/* Every '&' used to look for ';' up to the end of the field: quadratic.
 * Compare fields of 64 KiB (the cap) with fields of 4 KiB, the same bytes
 * in total: linear work takes about as long for both, quadratic work 16
 * times as long for the long fields. */
static double
time_ampersand_feed (guint field_bytes)
{
  g_autoptr(GString) text = g_string_new ("<rss><channel>");
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;
  gint64 start;

  for (guint item = 0; item < 2 * 1024 * 1024 / field_bytes; item++)
    {
      g_string_append (text, "<item><title>t</title><description><![CDATA[");
      for (guint i = 0; i < field_bytes; i++)
        g_string_append_c (text, '&');
      g_string_append (text, "]]></description></item>");
    }
  g_string_append (text, "</channel></rss>");

  start = g_get_monotonic_time ();
  report = parse_text (VIGIE_FEED_RSS, text->str, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
test_fuzz_rss_ampersand (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;
  VigieFeedKind kind;
  double short_fields, long_fields;
  gint64 start;

  body = load_reproducer ("fuzz-feeds-rss-ampersand-quadratic", &kind);
  start = g_get_monotonic_time ();
  report = parse_bytes (kind, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->incidents->len, ==, 15);
  g_assert_true (g_str_has_prefix (INCIDENT (report, 0)->latest_update, "&&&&"));
  g_test_message ("reproducer: %.3f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* Best of three against scheduling noise. */
  short_fields = long_fields = G_MAXDOUBLE;
  for (guint round = 0; round < 3; round++)
    {
      short_fields = MIN (short_fields, time_ampersand_feed (4 * 1024));
      long_fields = MIN (long_fields, time_ampersand_feed (64 * 1024));
    }
  g_test_message ("2 MiB of '&': %.3f s in 4 KiB fields, %.3f s in 64 KiB fields",
                  short_fields, long_fields);
  g_assert_cmpfloat (long_fields, <, 4 * short_fields + 0.05);
}

/* Values are counted before json-glib builds its tree: containers... */
static void
test_fuzz_json_container_cap (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(VigieFeedReport) at_cap = NULL;
  g_autoptr(GString) text = g_string_new ("{\"x\":[");
  VigieFeedKind kind;

  body = load_reproducer ("fuzz-feeds-google-empty-objects-memory", &kind);
  g_assert_cmpint (kind, ==, VIGIE_FEED_GOOGLE);
  report = parse_bytes (kind, body, &error);
  g_assert_null (report);
  g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE);
  assert_clean_message (error);

  /* Exactly VIGIE_FEED_MAX_VALUES is fine, one more is not: the object
   * (VIGIE_FEED_OBJECT_WEIGHT), "x", its array, the arrays in it, "y" and
   * its string; brackets in strings do not count. */
  for (guint i = 0; i < VIGIE_FEED_MAX_VALUES - VIGIE_FEED_OBJECT_WEIGHT - 4; i++)
    g_string_append (text, i == 0 ? "[]" : ",[]");
  g_string_append (text, "],\"y\":\"[[[{{{\"}");
  at_cap = parse_text_ok (VIGIE_FEED_STATUSPAGE, text->str, NULL);
  g_assert_cmpint (at_cap->level, ==, VIGIE_OFFICIAL_UNKNOWN);

  g_string_insert (text, 6, "[],");
  assert_parse_fails (VIGIE_FEED_STATUSPAGE, text->str, VIGIE_FEED_ERROR_TOO_LARGE);
}

/* ...and scalars alike (issue 11): a 4 MiB Statuspage feed {"a":[1,1,…]}
 * peaked at 196 MB, a 16 MiB Google feed [1,1,…] at 719 MB, as json-glib
 * spends about 100 bytes on every value. Both are refused, quickly, with a
 * message a person understands; the largest real feed is still read. */
static void
test_fuzz_json_scalar_cap (void)
{
  struct { VigieFeedKind kind; const char *open, *close; gsize size; } cases[] = {
    { VIGIE_FEED_STATUSPAGE, "{\"a\":[", "]}", VIGIE_FEED_MAX_SIZE },
    { VIGIE_FEED_GOOGLE, "[", "]", VIGIE_FEED_MAX_SIZE_GOOGLE },
    { VIGIE_FEED_SLACK, "{\"s\":[", "]}", VIGIE_FEED_MAX_SIZE },
  };
  g_autoptr(GString) at_cap = g_string_new (NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GString) text = g_string_sized_new (cases[c].size);
      g_autoptr(GError) error = NULL;
      g_autoptr(VigieFeedReport) report = NULL;
      const char *scalars[] = { "1", "true", "null", "\"\"", "-2.5e3" };
      gint64 start;
      double cpu_s;

      g_string_append (text, cases[c].open);
      for (guint i = 0; text->len + 8 < cases[c].size; i++)
        {
          if (i > 0)
            g_string_append_c (text, ',');
          g_string_append (text, c == 0 ? "1" : scalars[i % G_N_ELEMENTS (scalars)]);
        }
      g_string_append (text, cases[c].close);
      g_assert_cmpuint (text->len, <=, cases[c].size);

      start = g_get_monotonic_time ();
      report = vigie_feed_parse (cases[c].kind, (const guint8 *) text->str, text->len, NULL,
                                 NOW, &error);
      cpu_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_test_message ("%s, %" G_GSIZE_FORMAT " bytes of scalars: refused in %.3f s",
                      vigie_feed_kind_to_string (cases[c].kind), text->len, cpu_s);
      g_assert_null (report);
      g_assert_error (error, VIGIE_FEED_ERROR, VIGIE_FEED_ERROR_TOO_LARGE);
      g_assert_true (g_str_has_prefix (error->message, "feed too large"));
      assert_clean_message (error);
      /* Refused by the pre-scan, long before json-glib would be done. */
      g_assert_cmpfloat (cpu_s, <, 1.0);
    }

  /* Scalars at the cap are still read, a value more is one too many: the
   * object, "a", the array and the values in it, each one however long
   * ("-0.25", "1e5", "true"). One document only: json-glib is slow under
   * the sanitizers. */
  g_string_assign (at_cap, "{\"a\":[");
  for (guint i = 0; i < VIGIE_FEED_MAX_VALUES - VIGIE_FEED_OBJECT_WEIGHT - 2; i++)
    {
      static const char *const values[] = { "-0.25", " 1e5", "true", "null", "\"\"", "0" };

      if (i > 0)
        g_string_append_c (at_cap, ',');
      g_string_append (at_cap, values[i % G_N_ELEMENTS (values)]);
    }
  g_string_append (at_cap, " ]}");
  {
    g_autoptr(VigieFeedReport) report = parse_text_ok (VIGIE_FEED_STATUSPAGE, at_cap->str, NULL);

    g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_UNKNOWN);
  }
  g_string_insert (at_cap, 6, "7,");
  assert_parse_fails (VIGIE_FEED_STATUSPAGE, at_cap->str, VIGIE_FEED_ERROR_TOO_LARGE);
}

/* ------------------------------------------------------------------------ */
/* Real payloads                                                             */
/* ------------------------------------------------------------------------ */

/* Bodies served by real status pages, recorded by others and kept outside
 * the project (shared/reference/real-feeds/, beside the source tree; its
 * SOURCES.md says where each comes from and how it reads). Every file
 * there must have a row here: its kind is its folder's name, and each row
 * gives the verdict a person reads from it with the site itself working,
 * and the title Vigie should show. "now" is when it was served, for the
 * formats that read the clock. */
typedef struct
{
  const char *file;     /* KIND/NAME, below real-feeds/ */
  const char *filter;   /* FeedFilter, or NULL */
  const char *verdict;  /* operational, degraded, maintenance, down */
  const char *title;    /* newest incident (maintenance when that is the verdict), NULL: none */
  gint64      now;      /* 0: NOW */
} RealFeed;

static const RealFeed real_feeds[] = {
  { "statuspage/github-2019-12-30.json", NULL, "operational", NULL, 0 },
  /* Impact "major", Packages in partial_outage: GitHub works. */
  { "statuspage/github-2022-11-25.json", NULL, "degraded", "Incident with Packages and Pages", 0 },
  { "statuspage/cloudamqp-2020-07-16.json", NULL, "maintenance",
    "Upgrade of shared servers “jellyfish”, “wildboar”, and “reindeer”", 0 },
  /* Nine maintenances, all "scheduled": future, not counted. */
  { "statuspage/twilio-2020-06-16.json", NULL, "degraded", "SMS Delivery Delays to Mozambique Movitel", 0 },
  /* A group: its children are operational, no incident names them. */
  { "statuspage/twilio-2020-06-16.json", "PROGRAMMABLE VOICE", "operational", NULL, 0 },
  /* Impact "major" over components in partial_outage: degraded, not down. */
  { "statuspage/claude-2026-09-22.json", NULL, "degraded", "Elevated errors for multiple models", 0 },
  { "statuspage/claude-2026-09-22.json", "Claude API (api.anthropic.com)", "degraded",
    "Elevated errors for multiple models", 0 },
  { "statuspage/claude-2026-10-07.json", NULL, "degraded", "Elevated errors on platform.claude.com", 0 },
  /* The incident names the Console only. */
  { "statuspage/claude-2026-10-07.json", "Claude API (api.anthropic.com)", "operational", NULL, 0 },
  { "statuspage/cloudflare-2026-08-19.json", NULL, "degraded", "Workers AI GLM 5.2 is unavailable", 0 },
  { "statuspage/cloudflare-2026-09-02.json", NULL, "degraded", "HTTP/3 issue affecting R2 custom domains", 0 },
  { "statuspage/cloudflare-2026-09-02.json", "San Jose, CA, United States - (SJC)", "maintenance",
    "SJC (San Jose) on 2026-09-02", 0 },
  { "statuspage/cloudflare-2026-09-02.json", "R2", "degraded", "HTTP/3 issue affecting R2 custom domains", 0 },
  /* Its four maintenances are scheduled, not in progress. */
  { "statuspage/cloudflare-2026-09-02.json", "Amsterdam, Netherlands - (AMS)", "operational", NULL, 0 },
  { "incidentio/openai-2026-09-29.json", NULL, "degraded",
    "Elevated errors across ChatGPT, Codex, and the API including the Agents API", 0 },
  { "incidentio/openai-2026-09-24.json", NULL, "operational", NULL, 0 },
  { "incidentio/openai-2026-07-09.json", NULL, "operational", NULL, 0 },
  { "instatus/perplexity-2026-08.json", NULL, "operational", NULL, 0 },
  { "instatus/instatus-demo-page.json", NULL, "degraded", "partial", 0 },
  /* Two maintenances NOTSTARTEDYET. */
  { "instatus/gcore-2026-09-07.json", NULL, "operational", NULL, 0 },
  /* Three reports, all resolved; one resource not monitored. */
  { "betterstack/betterstack-2026-09-07.json", NULL, "operational", NULL, 1788783448 },
  { "betterstack/betterstack-2026-09-07.json", "Better Stack", "operational", NULL, 1788783448 },
  { "slack/slack-2020-07-30.json", NULL, "degraded", "We are investigating an issue with notification settings", 0 },
  { "slack/slack-2023-09-26.json", NULL, "degraded", "Can't dismiss Now you've got Later", 0 },
  { "slack/slack-ok-2026-05-11.json", NULL, "operational", NULL, 0 },
  { "slack/slack-2026-09-01.json", NULL, "degraded",
    "Trouble Accessing Historical Messages With Custom Data Retention Policies Enabled", 0 },
  { "slack/slack-2026-09-01.json", "Huddles", "operational", NULL, 0 },
  /* 157 incidents, all ended by 2022-07-01 19:25 UTC; read at 20:00. */
  { "google/gcp-2022-07-01.json", NULL, "operational", NULL, 1656705600 },
  { "google/gcp-2022-07-01.json", "Google BigQuery", "operational", NULL, 1656705600 },
  { "rss/azure-empty-2026-06-24.xml", NULL, "operational", NULL, 0 },
  /* Three open items, none dated, none saying outage: feed order. */
  { "rss/azure-2022-11-17-checkmk.xml", NULL, "degraded", "Azure Key Vault issue affecting Azure China", 0 },
};

static char *
real_feeds_dir (void)
{
  const char *env = g_getenv ("VIGIE_REAL_FEEDS");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "reference", "real-feeds", NULL);
}

/* The verdict the probe gives with the site answering and this report. */
static const char *
verdict_with_site_up (VigieFeedReport *report)
{
  VigieObservation observation = { 0, };

  observation.layer = VIGIE_LAYER_OK;
  observation.official = report;
  return vigie_state_to_string (vigie_observation_verdict (&observation));
}

static void
check_real_feed (const char     *dir,
                 const RealFeed *row)
{
  g_autofree char *path = g_build_filename (dir, row->file, NULL);
  g_autofree char *kind_name = g_path_get_dirname (row->file);
  g_autofree char *contents = NULL;
  g_autoptr(VigieFeedReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const VigieFeedIncident *shown = NULL;
  const char *verdict;
  VigieFeedKind kind;
  gsize len;

  g_assert_true (vigie_feed_kind_from_string (kind_name, &kind));
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  report = vigie_feed_parse (kind, (const guint8 *) contents, len, row->filter,
                             row->now != 0 ? row->now : NOW, &error);
  g_assert_no_error (error);

  verdict = verdict_with_site_up (report);
  if (g_str_equal (row->verdict, "maintenance"))
    shown = report->maintenances->len > 0 ? MAINTENANCE (report, 0) : NULL;
  else if (report->incidents->len > 0)
    shown = INCIDENT (report, 0);
  g_test_message ("%s%s%s: %s (%s), “%s”", row->file, row->filter ? " filtered on " : "",
                  row->filter ? row->filter : "", verdict,
                  vigie_official_level_to_string (report->level), shown ? shown->title : "");

  g_assert_cmpstr (verdict, ==, row->verdict);
  /* Real pages speak their documented words: none reads as unknown (a
   * component shown broken for a word Vigie does not know). */
  for (guint i = 0; i < report->components->len; i++)
    {
      g_test_message ("  component %s: %s", COMPONENT (report, i)->name, COMPONENT (report, i)->status);
      g_assert_cmpint (COMPONENT (report, i)->level, !=, VIGIE_OFFICIAL_UNKNOWN);
    }
  if (row->title != NULL)
    {
      g_assert_nonnull (shown);
      g_assert_cmpstr (shown->title, ==, row->title);
    }
  else
    {
      g_assert_cmpuint (report->incidents->len, ==, 0);
    }
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Every file of one kind's folder, each with all its rows. */
static void
test_real_feeds_kind (gconstpointer data)
{
  const char *kind_name = data;
  g_autofree char *dir = real_feeds_dir ();
  g_autofree char *kind_dir = g_build_filename (dir, kind_name, NULL);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("no real payloads at %s (shared/reference/real-feeds beside the "
                          "source tree, or VIGIE_REAL_FEEDS)", dir);
      return;
    }
  listing = g_dir_open (kind_dir, 0, &error);
  if (listing == NULL)
    {
      g_test_skip_printf ("no %s payloads: %s", kind_name, error->message);
      return;
    }
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_build_filename (kind_name, name, NULL));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      guint rows = 0;

      for (guint r = 0; r < G_N_ELEMENTS (real_feeds); r++)
        {
          if (g_str_equal (real_feeds[r].file, file))
            {
              check_real_feed (dir, &real_feeds[r]);
              rows++;
            }
        }
      if (rows == 0)
        g_test_fail_printf ("%s: a real payload with no expectation: add a row to real_feeds[] "
                            "with the verdict and title it calls for", file);
    }
}

/* Every row names a file that is there, in a folder named after a kind. */
static void
test_real_feeds_rows (void)
{
  g_autofree char *dir = real_feeds_dir ();
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("no real payloads at %s", dir);
      return;
    }
  for (guint r = 0; r < G_N_ELEMENTS (real_feeds); r++)
    {
      g_autofree char *path = g_build_filename (dir, real_feeds[r].file, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_test_fail_printf ("%s: expected, but not in %s", real_feeds[r].file, dir);
    }
  /* A folder that is no kind would never be read. */
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      VigieFeedKind kind;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !vigie_feed_kind_from_string (name, &kind))
        g_test_fail_printf ("%s/: not a feed kind, its payloads are not read", name);
    }
}

/* ------------------------------------------------------------------------ */
/* Report lifetime                                                           */
/* ------------------------------------------------------------------------ */

static void
test_report_new (void)
{
  g_autoptr(VigieFeedReport) report = vigie_feed_report_new ();
  VigieFeedIncident *incident = g_new0 (VigieFeedIncident, 1);

  g_assert_cmpint (report->level, ==, VIGIE_OFFICIAL_UNKNOWN);
  g_assert_null (report->description);
  g_assert_cmpuint (report->components->len, ==, 0);
  g_assert_cmpuint (report->incidents->len, ==, 0);
  g_assert_cmpuint (report->maintenances->len, ==, 0);

  /* The arrays own what is added to them. */
  incident->title = g_strdup ("hand-made");
  g_ptr_array_add (report->incidents, incident);
  vigie_feed_report_free (NULL);
}

static void
test_report_copy (void)
{
  VigieFeedReport *original = parse_fixture (VIGIE_FEED_STATUSPAGE, "statuspage-major.json", NULL);
  g_autoptr(VigieFeedReport) copy = vigie_feed_report_copy (original);
  VigieFeedIncident *first_original = INCIDENT (original, 0);

  g_assert_true (copy != original);
  g_assert_true (INCIDENT (copy, 0) != first_original);
  g_assert_true (INCIDENT (copy, 0)->title != first_original->title);

  /* Nothing shared: freeing the original leaves the copy intact (ASan
   * would catch a use after free here). */
  vigie_feed_report_free (original);

  g_assert_cmpint (copy->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (copy->description, ==, "Major System Outage");
  g_assert_cmpuint (copy->components->len, ==, 2);
  g_assert_cmpstr (COMPONENT (copy, 0)->name, ==, "Sending messages");
  g_assert_cmpstr (COMPONENT (copy, 0)->status, ==, "major_outage");
  g_assert_cmpint (COMPONENT (copy, 0)->level, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpuint (copy->incidents->len, ==, 2);
  g_assert_cmpstr (INCIDENT (copy, 0)->title, ==, "Messages cannot be sent");
  g_assert_cmpstr (INCIDENT (copy, 0)->status, ==, "investigating");
  g_assert_cmpstr (INCIDENT (copy, 0)->impact, ==, "critical");
  g_assert_cmpstr (INCIDENT (copy, 0)->url, ==, "https://stspg.io/new1");
  g_assert_cmpstr (INCIDENT (copy, 0)->latest_update, ==, "We are investigating reports that messages fail to send.");
  g_assert_cmpint (INCIDENT (copy, 0)->started_at, ==, T_1539);
  g_assert_cmpint (INCIDENT (copy, 0)->updated_at, ==, T_1550);
  g_assert_cmpuint (copy->maintenances->len, ==, 0);

  /* The copy's arrays still own their elements. */
  g_ptr_array_remove_index (copy->incidents, 1);
  g_assert_cmpuint (copy->incidents->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < vigie_feed_format_count (); i++)
    {
      const char *kind_name = vigie_feed_format_nth (i)->name;
      g_autofree char *path = g_strdup_printf ("/feeds/real/%s", kind_name);

      g_test_add_data_func (path, kind_name, test_real_feeds_kind);
    }
  g_test_add_func ("/feeds/real/rows", test_real_feeds_rows);

  g_test_add_func ("/feeds/level/to-string", test_level_to_string);
  g_test_add_func ("/feeds/kind/names", test_kind_names);
  g_test_add_func ("/feeds/format/table", test_format_table);
  g_test_add_func ("/feeds/format/detection", test_format_detection);

  g_test_add_func ("/feeds/statuspage/operational", test_statuspage_operational);
  g_test_add_func ("/feeds/statuspage/minor", test_statuspage_minor);
  g_test_add_func ("/feeds/statuspage/major", test_statuspage_major);
  g_test_add_func ("/feeds/statuspage/major-is-partial", test_statuspage_major_is_partial);
  g_test_add_func ("/feeds/statuspage/maintenance", test_statuspage_maintenance);
  g_test_add_func ("/feeds/statuspage/scheduled-not-active", test_statuspage_scheduled_not_active);
  g_test_add_func ("/feeds/statuspage/indicator-none-open-incident", test_statuspage_indicator_none_open_incident);
  g_test_add_func ("/feeds/statuspage/no-components", test_statuspage_no_components);
  g_test_add_func ("/feeds/statuspage/filter", test_statuspage_filter);
  g_test_add_func ("/feeds/statuspage/groups-future", test_statuspage_groups_future);
  g_test_add_func ("/feeds/statuspage/unknown-values", test_statuspage_unknown_values);
  g_test_add_func ("/feeds/incidentio/summary", test_incidentio_summary);
  g_test_add_func ("/feeds/incidentio/served-shape", test_incidentio_served_shape);

  g_test_add_func ("/feeds/instatus/page-status", test_instatus_page_status);
  g_test_add_func ("/feeds/instatus/status-type", test_instatus_status_type);

  g_test_add_func ("/feeds/betterstack/states", test_betterstack_states);
  g_test_add_func ("/feeds/betterstack/filter", test_betterstack_filter);
  g_test_add_func ("/feeds/betterstack/reports", test_betterstack_reports);

  g_test_add_func ("/feeds/slack/ok", test_slack_ok);
  g_test_add_func ("/feeds/slack/active", test_slack_active);
  g_test_add_func ("/feeds/slack/filter", test_slack_filter);

  g_test_add_func ("/feeds/google/workspace", test_google_workspace);
  g_test_add_func ("/feeds/google/workspace-filter", test_google_workspace_filter);
  g_test_add_func ("/feeds/google/cloud", test_google_cloud);
  g_test_add_func ("/feeds/google/end-handling", test_google_end_handling);
  g_test_add_func ("/feeds/google/resolve-links", test_resolve_links);

  g_test_add_func ("/feeds/rss/empty", test_rss_empty);
  g_test_add_func ("/feeds/rss/two-items", test_rss_two_items);
  g_test_add_func ("/feeds/rss/atom", test_rss_atom);
  g_test_add_func ("/feeds/rss/dates", test_rss_dates);
  g_test_add_func ("/feeds/rss/rejects", test_rss_rejects);
  g_test_add_func ("/feeds/rss/markup-and-entities", test_rss_markup_and_entities);

  g_test_add_func ("/feeds/bad/empty", test_bad_empty);
  g_test_add_func ("/feeds/bad/invalid-json", test_bad_invalid_json);
  g_test_add_func ("/feeds/bad/deep-nesting", test_bad_deep_nesting);
  g_test_add_func ("/feeds/bad/depth-limit", test_bad_depth_limit);
  g_test_add_func ("/feeds/bad/brackets-in-strings", test_bad_brackets_in_strings);
  g_test_add_func ("/feeds/bad/wrong-types", test_bad_wrong_types);
  g_test_add_func ("/feeds/bad/descriptive-types-tolerated", test_bad_descriptive_types_tolerated);
  g_test_add_func ("/feeds/bad/too-large", test_bad_too_large);
  g_test_add_func ("/feeds/bad/unsupported-kind", test_bad_unsupported_kind);

  g_test_add_func ("/feeds/text/markup-kept", test_text_markup_kept);
  g_test_add_func ("/feeds/text/invalid-utf8", test_text_invalid_utf8);
  g_test_add_func ("/feeds/text/nul-byte", test_text_nul_byte);
  g_test_add_func ("/feeds/text/caps", test_text_caps);
  g_test_add_func ("/feeds/text/many-items-capped", test_text_many_items_capped);
  g_test_add_func ("/feeds/text/control-chars", test_text_control_chars);
  g_test_add_func ("/feeds/text/unsafe-links", test_text_unsafe_links);
  g_test_add_func ("/feeds/text/bidi-controls", test_text_bidi_controls);
  g_test_add_func ("/feeds/text/bom", test_text_bom);

  g_test_add_func ("/feeds/fuzz/rss-field-cut-mid-utf8", test_fuzz_rss_field_cut_mid_utf8);
  g_test_add_func ("/feeds/fuzz/json-scalar-prefix", test_fuzz_json_scalar_prefix);
  g_test_add_func ("/feeds/fuzz/error-messages", test_fuzz_error_messages);
  g_test_add_func ("/feeds/fuzz/rss-ampersand", test_fuzz_rss_ampersand);
  g_test_add_func ("/feeds/fuzz/json-container-cap", test_fuzz_json_container_cap);
  g_test_add_func ("/feeds/fuzz/json-scalar-cap", test_fuzz_json_scalar_cap);

  g_test_add_func ("/feeds/report/new", test_report_new);
  g_test_add_func ("/feeds/report/copy", test_report_copy);

  return g_test_run ();
}
