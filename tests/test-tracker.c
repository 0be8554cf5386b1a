/* test-tracker.c — the per-service state machine, scenario by scenario.
 *
 * Each scenario is a table of rounds: the connectivity, one observation per
 * service in a compact notation, and the transitions expected after that
 * round, in order. Every transition is also checked against invariants that
 * hold in all scenarios (at = the round's time, at − since ≥ 0, a service's
 * transitions chain from → to, names and evidence copied from the
 * observation), and every status after every round (since ≤ last checked).
 *
 * Time is wall-clock seconds after BASE_S, 2021-10-04 15:39 UTC, when DNS for
 * facebook.com started failing.
 */
#include "config.h"

#include <string.h>

#include "vigie-report.h"
#include "vigie-tracker.h"
#include "vigie-transition.h"

#define BASE_S ((gint64) 1633361940)
#define AT(s)  ((BASE_S + (gint64) (s)) * G_USEC_PER_SEC)
#define DAY    (24 * 60 * 60)

/* ---- fixture services --------------------------------------------------- */

static const char services_ini[] =
  "[Service facebook]\nName=Facebook\nProvider=Meta\nCategory=social\n"
  "Site=https://www.facebook.com/\n"
  "[Service instagram]\nName=Instagram\nProvider=Meta\nCategory=social\n"
  "Site=https://www.instagram.com/\n"
  "[Service messenger]\nName=Messenger\nProvider=Meta\nCategory=messaging\n"
  "Site=https://www.messenger.com/\n"
  "[Service whatsapp]\nName=WhatsApp\nProvider=Meta\nCategory=messaging\n"
  "Site=https://web.whatsapp.com/\n"
  "[Service slack]\nName=Slack\nProvider=Slack\nCategory=messaging\n"
  "Site=https://slack.com/\n"
  "[Service notion]\nName=Notion\nProvider=Notion Labs\nCategory=productivity\n"
  "Site=https://www.notion.so/\n";

static GPtrArray *services;  /* VigieService*, all of the above */

static VigieService *
service_get (const char *id)
{
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      if (g_str_equal (service->id, id))
        return service;
    }
  g_error ("test bug: no fixture service “%s”", id);
}

static void
services_load (void)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;

  g_key_file_load_from_data (key_file, services_ini, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  services = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      VigieService *service = vigie_service_new_from_key_file (key_file, groups[i],
                                                               VIGIE_SERVICE_CUSTOM, &error);
      g_assert_no_error (error);
      g_ptr_array_add (services, service);
    }
}

/* ---- observations -------------------------------------------------------- */

static VigieFeedIncident *
incident_new (const char         *id,
              const char         *what,
              VigieOfficialLevel  level)
{
  VigieFeedIncident *incident = g_new0 (VigieFeedIncident, 1);

  incident->title = g_strdup_printf ("%s %s", id, what);
  incident->level = level;
  incident->url = g_strdup_printf ("https://status.example.com/%s", incident->title);
  g_strdelimit (incident->url, " ", '-');
  return incident;
}

/* The official report behind "minor", "major", ...: a major outage lists a
 * minor incident first, so picking the worst (not the first) is tested. */
static VigieFeedReport *
report_new (const char *id,
            const char *official)
{
  VigieFeedReport *report = vigie_feed_report_new ();

  if (g_str_equal (official, "unknown"))
    report->level = VIGIE_OFFICIAL_UNKNOWN;
  else if (g_str_equal (official, "operational"))
    report->level = VIGIE_OFFICIAL_OPERATIONAL;
  else if (g_str_equal (official, "maintenance"))
    {
      report->level = VIGIE_OFFICIAL_MAINTENANCE;
      g_ptr_array_add (report->maintenances,
                       incident_new (id, "maintenance", VIGIE_OFFICIAL_MAINTENANCE));
    }
  else if (g_str_equal (official, "minor"))
    {
      report->level = VIGIE_OFFICIAL_MINOR;
      g_ptr_array_add (report->incidents,
                       incident_new (id, "minor incident", VIGIE_OFFICIAL_MINOR));
    }
  else if (g_str_equal (official, "major"))
    {
      report->level = VIGIE_OFFICIAL_MAJOR;
      g_ptr_array_add (report->incidents,
                       incident_new (id, "minor incident", VIGIE_OFFICIAL_MINOR));
      g_ptr_array_add (report->incidents,
                       incident_new (id, "major incident", VIGIE_OFFICIAL_MAJOR));
    }
  else
    g_error ("test bug: official level “%s”", official);
  return report;
}

/* "id:layer[:official]", official one of unknown, operational, maintenance,
 * minor, major; without it the service has no official evidence. */
static VigieObservation *
observation_parse (const char *spec,
                   gint64      now_us)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 3);
  VigieObservation *observation = g_new0 (VigieObservation, 1);

  g_assert_nonnull (parts[0]);
  g_assert_nonnull (parts[1]);
  observation->service = vigie_service_ref (service_get (parts[0]));
  if (!vigie_layer_from_string (parts[1], &observation->layer))
    g_error ("test bug: layer “%s”", parts[1]);
  observation->http_status = observation->layer == VIGIE_LAYER_OK     ? 200
                             : observation->layer == VIGIE_LAYER_HTTP ? 503
                                                                      : 0;
  observation->latency_ms = observation->layer == VIGIE_LAYER_OK ? 120.0 : 10000.0;
  if (parts[2] != NULL)
    observation->official = report_new (parts[0], parts[2]);
  observation->observed_at = now_us;
  return observation;
}

static GPtrArray *
observations_parse (const char *specs,
                    gint64      now_us)
{
  g_auto(GStrv) tokens = g_strsplit (specs, " ", -1);
  GPtrArray *observations;

  observations = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_observation_free);

  for (guint i = 0; tokens[i] != NULL; i++)
    if (tokens[i][0] != '\0')
      g_ptr_array_add (observations, observation_parse (tokens[i], now_us));
  return observations;
}

static const VigieObservation *
observation_find (GPtrArray  *observations,
                  const char *id)
{
  for (guint i = 0; i < observations->len; i++)
    {
      const VigieObservation *observation = g_ptr_array_index (observations, i);
      if (g_str_equal (observation->service->id, id))
        return observation;
    }
  return NULL;
}

/* ---- scenarios ----------------------------------------------------------- */

typedef enum
{
  NET_ONLINE,
  NET_OFFLINE,
  NET_PORTAL,
  NET_UNCHECKED,
} Net;

/**
 * Round:
 * @t: seconds after BASE_S
 * @obs: observations, space-separated, "id:layer[:official]"
 * @expect: the transitions, in order, space-separated: "id:from>to" for a
 *   state change, "id:~from>to" for flapping started, "id:=from>to" for
 *   flapping stopped; "@S" after it asserts since = BASE_S + S
 * @net: the round's connectivity
 * @repeat: this many more rounds, each @every seconds later, same @obs and
 *   @expect; @suspects and @status are checked after the last one
 * @suspects: "yes"/"no": vigie_tracker_has_suspects() after the round
 * @status: space-separated "id=state/failures/successes[/flapping|/steady]",
 *   "id=none" (not tracked) or "*=state" (vigie_tracker_worst_state())
 * @reason: a substring of the first transition's reason
 * @incident: the first transition's incident title, "" for none
 * @settings: when not all zero, vigie_tracker_set_settings() before the round
 * @keep: when set, vigie_tracker_forget_except() these ids before the round
 */
typedef struct
{
  gint t;
  const char *obs;
  const char *expect;
  Net net;
  guint repeat;
  guint every;
  const char *suspects;
  const char *status;
  const char *reason;
  const char *incident;
  VigieTrackerSettings settings;
  const char *keep;
} Round;

typedef struct
{
  const char *path;
  VigieTrackerSettings settings;  /* all zero: defaults */
  const Round *rounds;            /* up to one with obs == NULL */
} Scenario;

static const Scenario scenarios[] = {
  {
    /* One failed probe, then fine: a blip, not an outage. */
    "/tracker/blip", { 0 }, (const Round[]) {
      { 0, "facebook:ok", "facebook:unknown>operational@0", .suspects = "no" },
      { 60, "facebook:dns", "", .suspects = "yes", .status = "facebook=operational/1/0" },
      { 75, "facebook:ok", "", .suspects = "no", .status = "facebook=operational/0/1" },
      { 135, "facebook:ok", "", .status = "facebook=operational/0/2 *=operational" },
      { 0 } },
  },
  {
    /* Interval 60, RetryInterval 15, Timeout 10: the first failing round
     * comes an Interval after the last good one, the next ones a
     * RetryInterval apart, and the third confirms: at = t of that round. */
    "/tracker/outage", { 0 }, (const Round[]) {
      { -60, "facebook:ok", "facebook:unknown>operational@-60" },
      { 0, "facebook:timeout", "", .suspects = "yes", .status = "facebook=operational/1/0" },
      { 15, "facebook:timeout", "", .suspects = "yes", .status = "facebook=operational/2/0" },
      { 30, "facebook:timeout", "facebook:operational>down@-60", .suspects = "no",
        .status = "facebook=down/3/0 *=down",
        .reason = "facebook.com: no answer in time; your connection works", .incident = "" },
      { 90, "facebook:timeout", "", .repeat = 5, .every = 60, .status = "facebook=down/9/0" },
      { 0 } },
  },
  {
    /* A long outage (so its onset has left the flapping window), then one
     * success, a failure again, and two successes. */
    "/tracker/recovery", { 0 }, (const Round[]) {
      { 0, "facebook:ok", "facebook:unknown>operational@0" },
      { 60, "facebook:dns", "", .repeat = 1, .every = 15 },
      { 90, "facebook:dns", "facebook:operational>down@0" },
      { 150, "facebook:dns", "", .repeat = 18, .every = 60, .suspects = "no",
        .status = "facebook=down/22/0/steady" },
      /* One success, then a failure: still down, the count starts over. */
      { 1290, "facebook:ok", "", .suspects = "yes", .status = "facebook=down/0/1" },
      { 1305, "facebook:dns", "", .suspects = "no", .status = "facebook=down/1/0" },
      { 1365, "facebook:ok", "", .suspects = "yes", .status = "facebook=down/0/1" },
      { 1380, "facebook:ok", "facebook:down>operational@90", .suspects = "no",
        .status = "facebook=operational/0/2/steady",
        .reason = "facebook.com answered in 120 ms" },
      { 0 } },
  },
  {
    /* The same blip right after a short outage is Nagios flapping: four
     * changes in seven rounds (weights at positions 14, 17, 18, 19: 440/19
     * = 23 %). The recovery a round later is not announced; the settling,
     * when the last but one change leaves the window (round 25), is. */
    "/tracker/flapping-short-outage", { 0 }, (const Round[]) {
      { 0, "facebook:ok", "facebook:unknown>operational@0" },
      { 60, "facebook:dns", "", .repeat = 1, .every = 15 },
      { 90, "facebook:dns", "facebook:operational>down@0" },
      { 105, "facebook:ok", "", .status = "facebook=down/0/1/steady" },
      { 120, "facebook:dns", "" },
      { 180, "facebook:ok", "facebook:~down>down@90", .status = "facebook=down/0/1/flapping" },
      { 195, "facebook:ok", "", .status = "facebook=operational/0/2/flapping *=operational" },
      { 255, "facebook:ok", "", .repeat = 16, .every = 60,
        .status = "facebook=operational/0/19/flapping" },
      { 1275, "facebook:ok", "facebook:=down>operational@180",
        .status = "facebook=operational/0/20/steady" },
      { 0 } },
  },
  {
    /* The probe answers but the vendor declares a major outage: down at
     * once, with the worst open incident. */
    "/tracker/official-major", { 0 }, (const Round[]) {
      { 0, "slack:ok:operational", "slack:unknown>operational@0" },
      { 60, "slack:ok:major", "slack:operational>down@0", .suspects = "no",
        .status = "slack=down/0/0", .reason = "official: Major outage — “slack major incident”",
        .incident = "slack major incident" },
      { 120, "slack:ok:major", "", .status = "slack=down/0/0" },
      /* Recovery from DOWN takes SuccessesBeforeUp healthy rounds, however
       * DOWN was reached. */
      { 180, "slack:ok:operational", "", .suspects = "yes", .status = "slack=down/0/1" },
      { 195, "slack:ok:operational", "slack:down>operational@60", .incident = "" },
      /* Official MAJOR with no probe evidence at all is still down. */
      { 255, "slack:dns:major", "slack:operational>down@195", .status = "slack=down/1/0" },
      { 0 } },
  },
  {
    "/tracker/official-minor", { 0 }, (const Round[]) {
      { 0, "notion:ok:operational", "notion:unknown>operational@0" },
      { 60, "notion:ok:minor", "notion:operational>degraded@0", .suspects = "no",
        .incident = "notion minor incident", .reason = "official: Partial outage" },
      { 120, "notion:ok:minor", "" },
      /* DEGRADED came from the vendor's word: its end needs no confirmation. */
      { 180, "notion:ok:operational", "notion:degraded>operational@60" },
      /* A minor incident with a failing probe is degraded at once, and down
       * once the failures confirm it. */
      { 240, "notion:connect:minor", "notion:operational>degraded@180", .suspects = "yes" },
      { 255, "notion:connect:minor", "" },
      { 270, "notion:connect:minor", "notion:degraded>down@240", .status = "notion=down/3/0" },
      { 285, "notion:ok:minor", "", .status = "notion=down/0/1" },
      { 300, "notion:ok:minor", "notion:down>degraded@270", .status = "notion=degraded/0/2" },
      { 0 } },
  },
  {
    "/tracker/maintenance", { 0 }, (const Round[]) {
      { 0, "slack:ok", "slack:unknown>operational@0" },
      /* Failing probes during official maintenance: maintenance, not down,
       * and no hurry to re-check. */
      { 60, "slack:http:maintenance", "slack:operational>maintenance@0", .suspects = "no",
        .incident = "slack maintenance", .reason = "official: Maintenance in progress" },
      { 120, "slack:http:maintenance", "", .repeat = 2, .every = 60, .suspects = "no",
        .status = "slack=maintenance/4/0 *=maintenance" },
      /* The maintenance ends and the site answers: operational at once. */
      { 300, "slack:ok:operational", "slack:maintenance>operational@60", .incident = "" },
      { 360, "slack:dns:maintenance", "slack:operational>maintenance@300" },
      /* It ends but the site still fails: held until the failures (counted
       * through the maintenance) reach the threshold. */
      { 420, "slack:dns:operational", "", .suspects = "yes", .status = "slack=maintenance/2/0" },
      { 435, "slack:dns:operational", "slack:maintenance>down@360",
        .reason = "the official page still says all is well (it often lags)" },
      { 0 } },
  },
  {
    /* Maintenance announced during an outage explains it at once, even
     * when the site answers again; official maintenance with the site up is
     * maintenance too. */
    "/tracker/maintenance-explains", { 0 }, (const Round[]) {
      { 0, "slack:ok", "slack:unknown>operational@0" },
      { 60, "slack:dns", "", .repeat = 1, .every = 15 },
      { 90, "slack:dns", "slack:operational>down@0" },
      { 150, "slack:ok:maintenance", "slack:down>maintenance@90", .suspects = "no",
        .status = "slack=maintenance/0/1", .incident = "slack maintenance" },
      { 210, "slack:ok:maintenance", "", .status = "slack=maintenance/0/2" },
      { 270, "slack:ok:operational", "slack:maintenance>operational@150" },
      { 0 } },
  },
  {
    /* 4 October 2021: the sites fail, the status page says all is well. */
    "/tracker/probe-only", { 0 }, (const Round[]) {
      { 0, "facebook:ok:operational", "facebook:unknown>operational@0" },
      { 60, "facebook:http:operational", "", .repeat = 1, .every = 15 },
      { 90, "facebook:http:operational", "facebook:operational>down@0", .incident = "",
        .reason = "facebook.com: server error (HTTP 503); your connection works; "
                  "the official page still says all is well (it often lags)" },
      { 0 } },
  },
  {
    "/tracker/offline", { 0 }, (const Round[]) {
      /* Never counted while offline: not tracked at all. */
      { -60, "facebook:dns slack:cancelled", "", .net = NET_OFFLINE,
        .status = "facebook=none slack=none *=unknown" },
      { 0, "facebook:ok", "facebook:unknown>operational@0" },
      { 60, "facebook:dns", "", .repeat = 1, .every = 15, .status = "facebook=operational/2/0" },
      /* Offline: a third failure is not counted, no outage declared. */
      { 90, "facebook:dns", "", .net = NET_OFFLINE, .repeat = 2, .every = 15,
        .status = "facebook=operational/2/0" },
      /* Cancelled while online: not probed, not counted. */
      { 135, "facebook:cancelled", "", .status = "facebook=operational/2/0" },
      { 150, "facebook:dns", "facebook:operational>down@0", .status = "facebook=down/3/0" },
      { 165, "facebook:ok", "", .status = "facebook=down/0/1" },
      /* Offline: a success is not counted either, no recovery. */
      { 180, "facebook:ok", "", .net = NET_OFFLINE, .repeat = 3, .every = 15,
        .status = "facebook=down/0/1" },
      { 240, "facebook:ok", "facebook:down>operational@150" },
      { 0 } },
  },
  {
    "/tracker/captive-portal", { 0 }, (const Round[]) {
      { 0, "instagram:ok", "instagram:unknown>operational@0" },
      { 60, "instagram:tls", "", .status = "instagram=operational/1/0" },
      /* A portal intercepts TLS: those failures say nothing. */
      { 75, "instagram:tls", "", .net = NET_PORTAL, .repeat = 4, .every = 15,
        .status = "instagram=operational/1/0" },
      { 150, "instagram:tls", "", .net = NET_UNCHECKED, .status = "instagram=operational/1/0" },
      { 165, "instagram:tls", "", .status = "instagram=operational/2/0" },
      { 180, "instagram:tls", "instagram:operational>down@0" },
      { 195, "instagram:ok", "", .status = "instagram=down/0/1" },
      /* A portal answering 200 for everything is no recovery either. */
      { 210, "instagram:ok", "", .net = NET_PORTAL, .repeat = 3, .every = 15,
        .status = "instagram=down/0/1" },
      { 270, "instagram:ok", "instagram:down>operational@180" },
      { 0 } },
  },
  {
    /* Alternating: never three failures in a row, so no state change, but
     * the verdict changes every round. Four changes (weights at positions
     * 16–19: 108+110+112+114 = 444/19 = 23.4 %) start flapping on round 4.
     * Then it really goes down (DOWN internally on round 11, unsaid), and
     * flapping stops on round 28, when the last change (round 8→9) is the
     * oldest one in the window: 76/19 = 4 %. */
    "/tracker/flapping", { 0 }, (const Round[]) {
      { 0, "facebook:ok", "facebook:unknown>operational@0" },
      { 15, "facebook:dns", "" },
      { 30, "facebook:ok", "" },
      { 45, "facebook:dns", "", .status = "facebook=operational/1/0/steady" },
      { 60, "facebook:ok", "facebook:~operational>operational@0",
        .status = "facebook=operational/0/1/flapping" },
      { 75, "facebook:dns", "" },
      { 90, "facebook:ok", "" },
      { 105, "facebook:dns", "" },
      { 120, "facebook:ok", "" },
      { 135, "facebook:dns", "" },
      { 150, "facebook:dns", "", .repeat = 1, .every = 15,
        .status = "facebook=down/3/0/flapping *=down" },
      { 180, "facebook:dns", "", .repeat = 15, .every = 15,
        .status = "facebook=down/19/0/flapping" },
      { 420, "facebook:dns", "facebook:=operational>down@60",
        .status = "facebook=down/20/0/steady" },
      { 435, "facebook:dns", "" },
      { 0 } },
  },
  {
    /* Exactly 20 % is not above 20 %: changes at positions 0, 1, 18 and 19
     * weigh 76 + 78 + 112 + 114 = 380, 380/19 = 20. */
    "/tracker/flapping-threshold", { 0 }, (const Round[]) {
      { 0, "notion:ok", "notion:unknown>operational@0" },
      { 60, "notion:timeout", "" },
      { 75, "notion:ok", "", .repeat = 16, .every = 60 },
      { 1095, "notion:timeout", "" },
      { 1110, "notion:ok", "", .status = "notion=operational/0/1/steady" },
      { 1170, "notion:ok", "", .status = "notion=operational/0/2/steady" },
      { 0 } },
  },
  {
    /* With one round deciding, alternation changes the state every round:
     * three transitions, then flapping (started on round 4, folding in that
     * round's change), then silence while it goes on changing, then one
     * notice when it has settled (round 29). */
    "/tracker/flapping-silences", { 1, 1 }, (const Round[]) {
      { 0, "slack:ok", "slack:unknown>operational@0" },
      { 15, "slack:dns", "slack:operational>down@0" },
      { 30, "slack:ok", "slack:down>operational@15" },
      { 45, "slack:dns", "slack:operational>down@30" },
      { 60, "slack:ok", "slack:~down>operational@45", .status = "slack=operational/0/1/flapping" },
      { 75, "slack:dns", "", .status = "slack=down/1/0/flapping" },
      { 90, "slack:ok", "", .status = "slack=operational/0/1/flapping" },
      { 105, "slack:dns", "" },
      { 120, "slack:ok", "" },
      { 135, "slack:dns", "", .status = "slack=down/1/0/flapping" },
      { 150, "slack:ok", "", .repeat = 18, .every = 15,
        .status = "slack=operational/0/19/flapping" },
      { 435, "slack:ok", "slack:=operational>operational@60",
        .status = "slack=operational/0/20/steady" },
      { 0 } },
  },
  {
    /* Suspend over a day, then the clock set back a day: one transition per
     * change, since clamped so at − since never goes negative. */
    "/tracker/clock-jumps", { 0 }, (const Round[]) {
      { 0, "facebook:ok", "facebook:unknown>operational@0" },
      { DAY, "facebook:dns", "", .status = "facebook=operational/1/0" },
      { DAY + 15, "facebook:dns", "", .repeat = 0 },
      { DAY + 30, "facebook:dns", "facebook:operational>down@0" },
      /* Back a day: DOWN "began" in the future; clamped to now. */
      { -100, "facebook:ok", "", .status = "facebook=down/0/1" },
      { -85, "facebook:ok", "facebook:down>operational@-100" },
      { -85 + DAY, "facebook:ok", "", .status = "facebook=operational/0/3" },
      { -85 - DAY, "facebook:dns", "", .status = "facebook=operational/1/0" },
      { -70 - DAY, "facebook:dns", "", .status = "facebook=operational/2/0" },
      { -55 - DAY, "facebook:dns", "facebook:operational>down@-86485" },
      { 0 } },
  },
  {
    /* All of Meta at once: four transitions in the same round, in the order
     * of the observations (not alphabetical, not hash order). */
    "/tracker/provider-wide", { 0 }, (const Round[]) {
      { 0, "whatsapp:ok facebook:ok slack:ok instagram:ok messenger:ok",
        "whatsapp:unknown>operational facebook:unknown>operational slack:unknown>operational "
        "instagram:unknown>operational messenger:unknown>operational" },
      { 60, "whatsapp:dns facebook:dns slack:ok instagram:dns messenger:dns", "",
        .repeat = 1, .every = 15, .suspects = "yes" },
      { 90, "whatsapp:dns facebook:dns slack:ok instagram:dns messenger:dns",
        "whatsapp:operational>down@0 facebook:operational>down@0 instagram:operational>down@0 "
        "messenger:operational>down@0", .suspects = "no",
        .status = "slack=operational/0/4 facebook=down/3/0 *=down" },
      { 0 } },
  },
  {
    /* Down before Vigie started: the first failures confirm unknown→down. */
    "/tracker/unknown-to-down", { 0 }, (const Round[]) {
      { 0, "facebook:dns notion:ok", "notion:unknown>operational@0", .suspects = "yes",
        .status = "facebook=unknown/1/0 *=operational" },
      { 15, "facebook:dns notion:ok", "", .suspects = "yes" },
      { 30, "facebook:dns notion:ok", "facebook:unknown>down@0", .suspects = "no",
        .status = "facebook=down/3/0 *=down" },
      { 90, "facebook:dns notion:ok", "" },
      { 0 } },
  },
  {
    "/tracker/forget", { 0 }, (const Round[]) {
      { 0, "facebook:ok slack:ok", "facebook:unknown>operational slack:unknown>operational" },
      { 60, "facebook:dns slack:dns", "" },
      /* facebook is no longer watched, then comes back: from scratch. */
      { 75, "slack:dns", "", .keep = "slack",
        .status = "facebook=none slack=operational/2/0" },
      { 90, "facebook:dns slack:dns", "slack:operational>down@0",
        .status = "facebook=unknown/1/0" },
      { 105, "", "", .keep = "", .suspects = "no", .status = "facebook=none slack=none *=unknown" },
      { 120, "facebook:dns slack:ok", "slack:unknown>operational@120",
        .status = "facebook=unknown/1/0" },
      { 0 } },
  },
  {
    /* Settings apply from the next round, to the counters already reached. */
    "/tracker/settings-change", { 5, 3 }, (const Round[]) {
      { 0, "facebook:ok", "facebook:unknown>operational@0" },
      { 60, "facebook:dns", "", .repeat = 2, .every = 15, .status = "facebook=operational/3/0" },
      /* Lowered to 2, already passed: this failing round confirms. */
      { 105, "facebook:dns", "facebook:operational>down@0", .settings = { 2, 3 } },
      { 120, "facebook:ok", "", .status = "facebook=down/0/1" },
      /* Lowered to 2: the second success now suffices. */
      { 135, "facebook:ok", "facebook:down>operational@105", .settings = { 2, 2 } },
      /* Raised: one more failure than before is needed. */
      { 150, "facebook:dns", "", .repeat = 2, .every = 15, .settings = { 4, 2 },
        .status = "facebook=operational/3/0" },
      { 195, "facebook:dns", "facebook:operational>down@135" },
      { 0 } },
  },
};

static void
check_transition (const VigieTransition *transition,
                  const char            *expect,
                  GPtrArray             *observations,
                  GHashTable            *last_to,
                  gint64                 now_us)
{
  g_auto(GStrv) parts = g_strsplit_set (expect, ":>@", -1);
  const char *from = parts[1];
  VigieTransitionKind kind = VIGIE_TRANSITION_STATE;
  const VigieObservation *observation;
  gpointer previous;

  g_assert_cmpuint (g_strv_length (parts), >=, 3);
  if (from[0] == '~')
    kind = VIGIE_TRANSITION_FLAPPING_STARTED, from++;
  else if (from[0] == '=')
    kind = VIGIE_TRANSITION_FLAPPING_STOPPED, from++;

  g_assert_cmpstr (transition->service_id, ==, parts[0]);
  g_assert_cmpstr (vigie_transition_kind_to_string (transition->kind), ==,
                   vigie_transition_kind_to_string (kind));
  g_assert_cmpstr (vigie_state_to_string (transition->from), ==, from);
  g_assert_cmpstr (vigie_state_to_string (transition->to), ==, parts[2]);
  if (parts[3] != NULL)
    g_assert_cmpint (transition->since, ==, AT (g_ascii_strtoll (parts[3], NULL, 10)));

  /* Invariants of every transition. */
  g_assert_cmpint (transition->at, ==, now_us);
  g_assert_cmpint (transition->since, <=, transition->at);
  g_assert_cmpint (transition->since, >, 0);
  if (kind == VIGIE_TRANSITION_STATE)
    g_assert_cmpint (transition->from, !=, transition->to);
  observation = observation_find (observations, transition->service_id);
  if (observation == NULL)
    g_error ("transition of %s, which was not observed", transition->service_id);
  g_assert_cmpstr (transition->service_name, ==, observation->service->name);
  g_assert_cmpstr (transition->provider, ==, observation->service->provider);
  g_assert_cmpint (transition->layer, ==, observation->layer);
  g_assert_cmpuint (transition->http_status, ==, observation->http_status);
  g_assert_cmpint (transition->official, ==, vigie_observation_official_level (observation));
  /* Data only: the sentence is the monitor's to add, from vigie-report. */
  g_assert_null (transition->reason);
  g_assert_true ((transition->incident_title == NULL) == (transition->incident_url == NULL));
  if (transition->incident_title != NULL)
    {
      g_autofree char *url = g_strconcat ("https://status.example.com/",
                                          transition->incident_title, NULL);
      g_strdelimit (url, " ", '-');
      g_assert_cmpstr (transition->incident_url, ==, url);
    }

  /* A service's transitions chain: each starts where the last one ended. */
  if (!g_hash_table_lookup_extended (last_to, transition->service_id, NULL, &previous))
    previous = GINT_TO_POINTER (VIGIE_STATE_UNKNOWN);
  g_assert_cmpstr (vigie_state_to_string (transition->from), ==,
                   vigie_state_to_string (GPOINTER_TO_INT (previous)));
  g_hash_table_insert (last_to, g_strdup (transition->service_id),
                       GINT_TO_POINTER (transition->to));
}

static void
check_status (VigieTracker *tracker,
              const char   *expect)
{
  g_auto(GStrv) tokens = g_strsplit (expect, " ", -1);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (tokens[i], "=", 2);
      g_auto(GStrv) fields = NULL;
      const VigieServiceStatus *status;

      g_assert_nonnull (kv[1]);
      if (g_str_equal (kv[0], "*"))
        {
          g_assert_cmpstr (vigie_state_to_string (vigie_tracker_worst_state (tracker)), ==, kv[1]);
          continue;
        }
      status = vigie_tracker_lookup (tracker, kv[0]);
      if (g_str_equal (kv[1], "none"))
        {
          g_assert_null (status);
          continue;
        }
      g_assert_nonnull (status);
      fields = g_strsplit (kv[1], "/", -1);
      g_assert_cmpuint (g_strv_length (fields), >=, 3);
      g_assert_cmpstr (vigie_state_to_string (status->state), ==, fields[0]);
      g_assert_cmpuint (status->failures, ==, g_ascii_strtoull (fields[1], NULL, 10));
      g_assert_cmpuint (status->successes, ==, g_ascii_strtoull (fields[2], NULL, 10));
      if (fields[3] != NULL)
        g_assert_cmpint (status->flapping, ==, g_str_equal (fields[3], "flapping"));
    }
}

static void
check_all_statuses (VigieTracker *tracker)
{
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      const VigieServiceStatus *status = vigie_tracker_lookup (tracker, service->id);

      if (status == NULL)
        continue;
      g_assert_cmpint (status->since_us, <=, status->last_checked_us);
      g_assert_cmpfloat (status->flap_percent, >=, 0.0);
      g_assert_cmpfloat (status->flap_percent, <=, 100.0);
    }
}

static void
run_round (VigieTracker *tracker,
           const Round  *round,
           gint          t,
           GHashTable   *last_to)
{
  static const VigieConnectivity nets[] = {
    [NET_ONLINE] = VIGIE_CONNECTIVITY_ONLINE,
    [NET_OFFLINE] = VIGIE_CONNECTIVITY_OFFLINE,
    [NET_PORTAL] = VIGIE_CONNECTIVITY_CAPTIVE_PORTAL,
    [NET_UNCHECKED] = VIGIE_CONNECTIVITY_UNKNOWN,
  };
  gint64 now_us = AT (t);
  g_autoptr(GPtrArray) observations = observations_parse (round->obs, now_us);
  g_autoptr(GPtrArray) transitions = NULL;
  g_auto(GStrv) expected = g_strsplit (round->expect, " ", -1);
  guint n_expected = 0;

  g_test_message ("t=%d %s %s", t, vigie_connectivity_to_string (nets[round->net]), round->obs);
  transitions = vigie_tracker_observe (tracker, nets[round->net], observations, now_us);
  g_assert_nonnull (transitions);

  for (guint i = 0; expected[i] != NULL; i++)
    {
      if (expected[i][0] == '\0')
        continue;
      if (n_expected >= transitions->len)
        g_error ("t=%d: expected %s, got no more transitions", t, expected[i]);
      check_transition (g_ptr_array_index (transitions, n_expected), expected[i], observations,
                        last_to, now_us);
      n_expected++;
    }
  if (transitions->len > n_expected)
    {
      const VigieTransition *extra = g_ptr_array_index (transitions, n_expected);
      g_error ("t=%d: unexpected %s transition of %s: %s → %s", t,
               vigie_transition_kind_to_string (extra->kind), extra->service_id,
               vigie_state_to_string (extra->from), vigie_state_to_string (extra->to));
    }

  /* The words vigie-report makes of the evidence behind the first
   * transition, as the monitor records them. */
  if (round->reason != NULL)
    {
      const VigieTransition *first;
      g_autofree char *reason = NULL;

      g_assert_cmpuint (transitions->len, >, 0);
      first = g_ptr_array_index (transitions, 0);
      reason = vigie_report_reason (observation_find (observations, first->service_id),
                                    nets[round->net]);
      if (strstr (reason, round->reason) == NULL)
        g_error ("t=%d: reason “%s” lacks “%s”", t, reason, round->reason);
    }
  if (round->incident != NULL)
    {
      const VigieTransition *first;

      g_assert_cmpuint (transitions->len, >, 0);
      first = g_ptr_array_index (transitions, 0);
      if (round->incident[0] == '\0')
        g_assert_null (first->incident_title);
      else
        g_assert_cmpstr (first->incident_title, ==, round->incident);
    }
  check_all_statuses (tracker);
}

static void
run_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  const VigieTrackerSettings *settings = scenario->settings.failures_before_down != 0
                                         ? &scenario->settings : NULL;
  g_autoptr(VigieTracker) tracker = vigie_tracker_new (settings);
  g_autoptr(GHashTable) last_to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (const Round *round = scenario->rounds; round->obs != NULL; round++)
    {
      if (round->settings.failures_before_down != 0)
        vigie_tracker_set_settings (tracker, &round->settings);
      if (round->keep != NULL)
        {
          g_auto(GStrv) keep = g_strsplit (round->keep, " ", -1);
          GHashTableIter iter;
          const char *id;

          /* "" splits into no ids at all: forget everything. */
          vigie_tracker_forget_except (tracker, (const char *const *) keep);
          g_hash_table_iter_init (&iter, last_to);
          while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
            if (!g_strv_contains ((const char *const *) keep, id))
              g_hash_table_iter_remove (&iter);
        }
      for (guint r = 0; r <= round->repeat; r++)
        run_round (tracker, round, round->t + (gint) (r * round->every), last_to);

      if (round->suspects != NULL)
        g_assert_cmpint (vigie_tracker_has_suspects (tracker), ==,
                         g_str_equal (round->suspects, "yes"));
      if (round->status != NULL)
        check_status (tracker, round->status);
    }
}

/* ---- beyond the tables --------------------------------------------------- */

/* The worst-case detection time of DESIGN.md §1, with the monitor's
 * scheduling played out: it schedules each round from the start of the last
 * one, RetryInterval after it while the tracker has suspects, else Interval,
 * and passes the time the round's results came in (a failing probe takes
 * the whole Timeout). The outage starts just after a good answer. */
static void
test_detection_time (void)
{
  const gint64 interval = 60, retry = 15, timeout = 10;

  for (guint failures_before_down = 1; failures_before_down <= 5; failures_before_down++)
    {
      VigieTrackerSettings settings = { failures_before_down, 2 };
      g_autoptr(VigieTracker) tracker = vigie_tracker_new (&settings);
      g_autoptr(GPtrArray) ok = observations_parse ("facebook:ok", AT (0));
      g_autoptr(GPtrArray) transitions = vigie_tracker_observe (tracker,
                                                                VIGIE_CONNECTIVITY_ONLINE,
                                                                ok, AT (0));
      gint64 onset = 0, start = 0;
      guint rounds = 0;

      g_assert_cmpuint (transitions->len, ==, 1);
      for (;;)
        {
          g_autoptr(GPtrArray) failing = NULL;
          gint64 done;

          start += vigie_tracker_has_suspects (tracker) ? retry : interval;
          done = start + timeout;
          failing = observations_parse ("facebook:timeout", AT (done));
          g_clear_pointer (&transitions, g_ptr_array_unref);
          transitions = vigie_tracker_observe (tracker, VIGIE_CONNECTIVITY_ONLINE, failing,
                                               AT (done));
          rounds++;
          if (transitions->len > 0)
            break;
          g_assert_cmpuint (rounds, <, failures_before_down);
        }

      g_assert_cmpuint (rounds, ==, failures_before_down);
      g_assert_cmpuint (transitions->len, ==, 1);
      g_assert_cmpint (((VigieTransition *) transitions->pdata[0])->to, ==, VIGIE_STATE_DOWN);
      /* 100 s with the defaults. */
      g_assert_cmpint (((VigieTransition *) transitions->pdata[0])->at - AT (onset), ==,
                       (interval + (failures_before_down - 1) * retry + timeout) * G_USEC_PER_SEC);
    }
}

/* Exact weighted percent state change: weights 0.8 … 1.2 over 20 changes. */
static void
test_flap_percent (void)
{
  gboolean history[30];
  guint n;

  for (n = 0; n < G_N_ELEMENTS (history); n++)
    history[n] = TRUE;

  g_assert_cmpfloat (vigie_tracker_flap_percent (NULL, 0), ==, 0.0);
  g_assert_cmpfloat (vigie_tracker_flap_percent (history, 1), ==, 0.0);
  g_assert_cmpfloat (vigie_tracker_flap_percent (history, 21), ==, 0.0);

  /* One change, the newest: 1.2 / 20 = 6 %. */
  history[20] = FALSE;
  g_assert_cmpfloat_with_epsilon (vigie_tracker_flap_percent (history, 21), 6.0, 1e-9);
  /* One change, the oldest: 0.8 / 20 = 4 %. */
  for (n = 1; n < 21; n++)
    history[n] = FALSE;
  g_assert_cmpfloat_with_epsilon (vigie_tracker_flap_percent (history, 21), 4.0, 1e-9);
  /* Only the last 21 count: with one more entry it is out of the window. */
  history[21] = FALSE;
  g_assert_cmpfloat (vigie_tracker_flap_percent (history, 22), ==, 0.0);
  /* Every neighbour differs: the mean weight is 1, so 100 %. */
  for (n = 0; n < 21; n++)
    history[n] = n % 2;
  g_assert_cmpfloat_with_epsilon (vigie_tracker_flap_percent (history, 21), 100.0, 1e-9);
  /* Three changes, the newest three: (1.2 + 1.1789 + 1.1579) / 20. */
  g_assert_cmpfloat_with_epsilon (vigie_tracker_flap_percent (history + 17, 4),
                                  (114.0 + 112.0 + 110.0) / 19.0, 1e-9);
  /* Four, the newest four: 444/19 = 23.4 %, above the start threshold;
   * three are not. */
  g_assert_cmpfloat (vigie_tracker_flap_percent (history + 16, 5), >, VIGIE_TRACKER_FLAP_START);
  g_assert_cmpfloat (vigie_tracker_flap_percent (history + 17, 4), <, VIGIE_TRACKER_FLAP_START);
}

/* What the UI reads for one service. */
static void
test_status_view (void)
{
  g_autoptr(VigieTracker) tracker = vigie_tracker_new (NULL);
  g_autoptr(GPtrArray) round1 = observations_parse ("slack:ok:operational", AT (0));
  g_autoptr(GPtrArray) round2 = observations_parse ("slack:http:major", AT (60));
  g_autoptr(GPtrArray) round3 = observations_parse ("slack:ok", AT (120));
  g_autoptr(GPtrArray) transitions = NULL;
  VigieService *slack = ((VigieObservation *) g_ptr_array_index (round1, 0))->service;
  g_autofree char *reason = NULL;
  const VigieServiceStatus *status;

  g_assert_null (vigie_tracker_lookup (tracker, "slack"));
  g_assert_cmpint (vigie_tracker_worst_state (tracker), ==, VIGIE_STATE_UNKNOWN);
  g_assert_false (vigie_tracker_has_suspects (tracker));

  transitions = vigie_tracker_observe (tracker, VIGIE_CONNECTIVITY_ONLINE, round1, AT (0));
  g_clear_pointer (&transitions, g_ptr_array_unref);
  status = vigie_tracker_lookup (tracker, "slack");
  g_assert_nonnull (status);
  g_assert_cmpint (status->state, ==, VIGIE_STATE_OPERATIONAL);
  g_assert_cmpint (status->since_us, ==, AT (0));
  g_assert_cmpint (status->layer, ==, VIGIE_LAYER_OK);
  g_assert_cmpuint (status->http_status, ==, 200);
  g_assert_cmpfloat (status->latency_ms, ==, 120.0);
  g_assert_cmpint (status->official, ==, VIGIE_OFFICIAL_OPERATIONAL);
  g_assert_null (status->incident_title);
  g_assert_null (status->incident_url);
  reason = vigie_report_status_reason (slack, status);
  g_assert_cmpstr (reason, ==, "slack.com answered in 120 ms");
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (status->last_checked_us, ==, AT (0));
  g_assert_false (status->suspect);
  g_assert_false (status->flapping);
  g_assert_cmpfloat (status->flap_percent, ==, 0.0);

  transitions = vigie_tracker_observe (tracker, VIGIE_CONNECTIVITY_ONLINE, round2, AT (60));
  g_assert_cmpuint (transitions->len, ==, 1);
  g_clear_pointer (&transitions, g_ptr_array_unref);
  status = vigie_tracker_lookup (tracker, "slack");
  g_assert_nonnull (status);
  g_assert_cmpint (status->state, ==, VIGIE_STATE_DOWN);
  g_assert_cmpint (status->since_us, ==, AT (60));
  g_assert_cmpint (status->layer, ==, VIGIE_LAYER_HTTP);
  g_assert_cmpuint (status->http_status, ==, 503);
  g_assert_cmpint (status->official, ==, VIGIE_OFFICIAL_MAJOR);
  g_assert_cmpstr (status->incident_title, ==, "slack major incident");
  g_assert_cmpstr (status->incident_url, ==, "https://status.example.com/slack-major-incident");
  reason = vigie_report_status_reason (slack, status);
  g_assert_cmpstr (reason, ==,
                   "slack.com: server error (HTTP 503); your connection works; "
                   "official: Major outage — “slack major incident”");
  g_clear_pointer (&reason, g_free);
  g_assert_cmpuint (status->failures, ==, 1);
  /* One change (operational → down) at the newest position: 6 %. */
  g_assert_cmpfloat_with_epsilon (status->flap_percent, 6.0, 1e-9);
  g_assert_false (status->suspect);
  g_assert_cmpint (vigie_tracker_worst_state (tracker), ==, VIGIE_STATE_DOWN);

  /* The feed vanished, the site answers: recovering, not yet recovered. */
  transitions = vigie_tracker_observe (tracker, VIGIE_CONNECTIVITY_ONLINE, round3, AT (120));
  g_assert_cmpuint (transitions->len, ==, 0);
  status = vigie_tracker_lookup (tracker, "slack");
  g_assert_cmpint (status->state, ==, VIGIE_STATE_DOWN);
  g_assert_cmpint (status->official, ==, VIGIE_OFFICIAL_UNKNOWN);
  g_assert_null (status->incident_title);
  g_assert_true (status->suspect);
  g_assert_true (vigie_tracker_has_suspects (tracker));
  g_assert_cmpint (status->last_checked_us, ==, AT (120));
}

static void
test_settings (void)
{
  VigieTrackerSettings zero = { 0, 0 };
  VigieTrackerSettings got = { 0, 0 };
  g_autoptr(VigieTracker) tracker = vigie_tracker_new (NULL);

  vigie_tracker_get_settings (tracker, &got);
  g_assert_cmpuint (got.failures_before_down, ==, 3);
  g_assert_cmpuint (got.successes_before_up, ==, 2);

  /* Zero would mean "down before any failure": a single round decides. */
  vigie_tracker_set_settings (tracker, &zero);
  vigie_tracker_get_settings (tracker, &got);
  g_assert_cmpuint (got.failures_before_down, ==, 1);
  g_assert_cmpuint (got.successes_before_up, ==, 1);

  vigie_tracker_set_settings (tracker, NULL);
  vigie_tracker_get_settings (tracker, &got);
  g_assert_cmpuint (got.failures_before_down, ==, 3);
  g_assert_cmpuint (got.successes_before_up, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  services_load ();

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_test_add_data_func (scenarios[i].path, &scenarios[i], run_scenario);
  g_test_add_func ("/tracker/detection-time", test_detection_time);
  g_test_add_func ("/tracker/flap-percent", test_flap_percent);
  g_test_add_func ("/tracker/status-view", test_status_view);
  g_test_add_func ("/tracker/settings", test_settings);

  ret = g_test_run ();
  g_clear_pointer (&services, g_ptr_array_unref);
  return ret;
}
