/* vigie-report.c — words for people; see the header. */
#define G_LOG_DOMAIN "vigie-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-report.h"

#include "vigie-feed-format.h"

/**
 * vigie_report_layer:
 * @layer: where a request failed
 *
 * Returns: (transfer none): what failed, in plain words ("name lookup failed")
 */
const char *
vigie_report_layer (VigieLayer layer)
{
  /* Translators: what happened when Vigie reached a site; these complete
   * "facebook.com: …" and are lowercase because they follow a colon */
  switch (layer)
    {
    case VIGIE_LAYER_OK: return _("answered");
    case VIGIE_LAYER_DNS: return _("name lookup failed");
    case VIGIE_LAYER_CONNECT: return _("connection failed");
    case VIGIE_LAYER_TLS: return _("secure connection failed");
    case VIGIE_LAYER_TIMEOUT: return _("no answer in time");
    case VIGIE_LAYER_HTTP: return _("server error");
    case VIGIE_LAYER_TOO_LARGE: return _("answer too large");
    case VIGIE_LAYER_PROTOCOL: return _("invalid answer");
    case VIGIE_LAYER_CONTENT: return _("unexpected content");
    case VIGIE_LAYER_CANCELLED:
    default: return _("not checked");
    }
}

/**
 * vigie_report_official_level:
 * @level: an official level
 *
 * Returns: (transfer none): the level as the vendor's page would put it
 */
const char *
vigie_report_official_level (VigieOfficialLevel level)
{
  /* Translators: what a vendor's official status page says */
  switch (level)
    {
    case VIGIE_OFFICIAL_OPERATIONAL: return _("All systems operational");
    case VIGIE_OFFICIAL_MAINTENANCE: return _("Maintenance in progress");
    case VIGIE_OFFICIAL_MINOR: return _("Partial outage");
    case VIGIE_OFFICIAL_MAJOR: return _("Major outage");
    case VIGIE_OFFICIAL_UNKNOWN:
    default: return _("No official status");
    }
}

/**
 * vigie_report_connectivity:
 * @connectivity: the user's connectivity
 *
 * Returns: (transfer none): a short phrase about the user's own connection
 */
const char *
vigie_report_connectivity (VigieConnectivity connectivity)
{
  /* Translators: the user's own Internet connection ("is it me?") */
  switch (connectivity)
    {
    case VIGIE_CONNECTIVITY_ONLINE: return _("Your connection works");
    case VIGIE_CONNECTIVITY_CAPTIVE_PORTAL: return _("You are behind a captive portal");
    case VIGIE_CONNECTIVITY_OFFLINE: return _("You are offline");
    case VIGIE_CONNECTIVITY_UNKNOWN:
    default: return _("Connection not checked yet");
    }
}

/**
 * vigie_report_connectivity_detail:
 * @evidence: (nullable): why the connection was judged as it was
 *
 * Returns: (transfer full): one sentence for people about it
 *   ("detectportal.firefox.com answered as expected")
 */
char *
vigie_report_connectivity_detail (const VigieConnectivityEvidence *evidence)
{
  g_autoptr(GString) failures = NULL;

  if (evidence == NULL)
    return g_strdup (_("Connection not checked yet"));

  switch (evidence->why)
    {
    case VIGIE_CONNECTIVITY_WHY_ANSWERED:
      return g_strdup_printf (_("%s answered as expected"), evidence->host);
    case VIGIE_CONNECTIVITY_WHY_INTERCEPTED:
      return g_strdup_printf (_("%s answered with something else: a captive portal or a "
                                "filtering network is in the way"),
                              evidence->host);
    case VIGIE_CONNECTIVITY_WHY_NO_NETWORK:
      return g_strdup (_("the system reports no network connection"));
    case VIGIE_CONNECTIVITY_WHY_NO_ANSWER:
      failures = g_string_new (NULL);
      for (guint i = 0; i < evidence->failures->len; i++)
        {
          const VigieBaselineFailure *failure = &g_array_index (evidence->failures,
                                                                VigieBaselineFailure, i);
          if (i > 0)
            g_string_append (failures, C_("reasons", "; "));
          g_string_append_printf (failures, C_("host: failure", "%s: %s"), failure->host,
                                  vigie_report_layer (failure->layer));
        }
      return g_strdup_printf (_("no connectivity check answered (%s)"), failures->str);
    case VIGIE_CONNECTIVITY_WHY_NOT_CHECKED:
    default:
      return g_strdup (_("no connectivity check is configured"));
    }
}

/**
 * vigie_report_site_host:
 * @service: a service
 *
 * Returns: (transfer full): the host people know the site by, without
 *   "www." ("facebook.com")
 */
char *
vigie_report_site_host (VigieService *service)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  g_return_val_if_fail (service != NULL, NULL);

  if (strstr (service->site, "://") == NULL)
    return g_strdup (service->site);
  uri = g_uri_parse (service->site, G_URI_FLAGS_NONE, NULL);
  host = uri ? g_uri_get_host (uri) : NULL;
  if (host == NULL)
    return g_strdup (service->site);
  if (g_str_has_prefix (host, "www."))
    host += 4;
  return g_strdup (host);
}

/* The incident that best explains a report: the worst open one. */
static const VigieFeedIncident *
main_incident (const VigieFeedReport *report)
{
  const VigieFeedIncident *best = NULL;

  for (guint i = 0; report->incidents && i < report->incidents->len; i++)
    {
      const VigieFeedIncident *incident = g_ptr_array_index (report->incidents, i);
      if (best == NULL || incident->level > best->level)
        best = incident;
    }
  if (best == NULL && report->maintenances && report->maintenances->len > 0)
    best = g_ptr_array_index (report->maintenances, 0);
  return best;
}

/* What made a verdict, whether it comes from a round's observation or from
 * the tracker's status of a service: the words are made from this alone. */
typedef struct
{
  const char *host;
  VigieConnectivity connectivity;
  VigieLayer layer;
  guint http_status;
  double latency_ms;
  VigieOfficialLevel official;
  const char *incident_title;   /* nullable */
} Cause;

static char *
official_text (VigieOfficialLevel  level,
               const char         *incident_title)
{
  if (incident_title != NULL)
    /* Translators: official level, then the vendor's incident title */
    return g_strdup_printf (_("%s — “%s”"), vigie_report_official_level (level), incident_title);
  return g_strdup (vigie_report_official_level (level));
}

/**
 * vigie_report_official:
 * @report: an official report
 *
 * Returns: (transfer full): "Major outage — “Users can't load the feed”"
 */
char *
vigie_report_official (const VigieFeedReport *report)
{
  const VigieFeedIncident *incident;

  g_return_val_if_fail (report != NULL, NULL);

  incident = main_incident (report);
  return official_text (report->level, incident != NULL ? incident->title : NULL);
}

static char *
cause_text (const Cause *cause)
{
  g_autoptr(GString) reason = g_string_new (NULL);
  gboolean probe_ok = cause->layer == VIGIE_LAYER_OK;

  /* Translators: the reason column when the user's own connection fails */
  if (cause->connectivity == VIGIE_CONNECTIVITY_OFFLINE)
    return g_strdup (_("can't tell: you are offline"));
  if (cause->connectivity == VIGIE_CONNECTIVITY_CAPTIVE_PORTAL)
    return g_strdup (_("can't tell: you are behind a captive portal (log in to the network)"));

  if (!probe_ok)
    {
      if (cause->layer == VIGIE_LAYER_HTTP)
        /* Translators: "facebook.com: server error (HTTP 503)" */
        g_string_append_printf (reason, _("%s: %s (HTTP %u)"), cause->host,
                                vigie_report_layer (cause->layer), cause->http_status);
      else
        /* Translators: a host, then what failed: "facebook.com: name lookup failed" */
        g_string_append_printf (reason, C_("host: failure", "%s: %s"), cause->host,
                                vigie_report_layer (cause->layer));
      if (cause->connectivity == VIGIE_CONNECTIVITY_ONLINE)
        /* Translators: appended to a failure: it's not the user's fault */
        g_string_append (reason, _("; your connection works"));
    }

  if (cause->official > VIGIE_OFFICIAL_OPERATIONAL)
    {
      g_autofree char *text = official_text (cause->official, cause->incident_title);
      if (reason->len > 0)
        /* Translators: separates the parts of a reason: "facebook.com: …; official: …" */
        g_string_append (reason, C_("reasons", "; "));
      /* Translators: what the vendor's status page says */
      g_string_append_printf (reason, _("official: %s"), text);
    }
  else if (!probe_ok && cause->official == VIGIE_OFFICIAL_OPERATIONAL)
    /* Official pages lag: on 4 October 2021 they said nothing for a while. */
    g_string_append (reason, _("; the official page still says all is well (it often lags)"));

  if (reason->len == 0)
    /* Translators: "facebook.com answered in 120 ms" */
    g_string_append_printf (reason, _("%s answered in %.0f ms"), cause->host, cause->latency_ms);

  return g_string_free (g_steal_pointer (&reason), FALSE);
}

/**
 * vigie_report_reason:
 * @observation: an observation
 * @connectivity: the user's connectivity in the same round
 *
 * One line saying why a service is in the state it is in, e.g.
 * "facebook.com: name lookup failed; your connection works" or
 * "official: Major outage — “Users can't load the feed”".
 *
 * Returns: (transfer full): the reason
 */
char *
vigie_report_reason (const VigieObservation *observation,
                     VigieConnectivity       connectivity)
{
  g_autofree char *host = NULL;
  const VigieFeedIncident *incident;

  g_return_val_if_fail (observation != NULL, NULL);

  host = vigie_report_site_host (observation->service);
  incident = observation->official != NULL ? main_incident (observation->official) : NULL;
  return cause_text (&(Cause) {
                       .host = host,
                       .connectivity = connectivity,
                       .layer = observation->layer,
                       .http_status = observation->http_status,
                       .latency_ms = observation->latency_ms,
                       .official = vigie_observation_official_level (observation),
                       .incident_title = incident != NULL ? incident->title : NULL,
                     });
}

/**
 * vigie_report_status_reason:
 * @service: a service
 * @status: the tracker's status of @service
 *
 * The reason of vigie_report_reason() for the last round the tracker
 * counted (a round in which the user's connection worked).
 *
 * Returns: (transfer full): the reason
 */
char *
vigie_report_status_reason (VigieService             *service,
                            const VigieServiceStatus *status)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (status != NULL, NULL);

  host = vigie_report_site_host (service);
  return cause_text (&(Cause) {
                       .host = host,
                       .connectivity = VIGIE_CONNECTIVITY_ONLINE,
                       .layer = status->layer,
                       .http_status = status->http_status,
                       .latency_ms = status->latency_ms,
                       .official = status->official,
                       .incident_title = status->incident_title,
                     });
}

/**
 * vigie_report_join_names:
 * @names: names, at least one
 *
 * Returns: (transfer full): "Facebook", "Facebook and Instagram",
 *   "Facebook, Instagram and WhatsApp"
 */
char *
vigie_report_join_names (const char *const *names)
{
  guint n = g_strv_length ((char **) names);
  g_auto(GStrv) all_but_last = NULL;
  g_autofree char *head = NULL;

  g_return_val_if_fail (n > 0, NULL);

  if (n == 1)
    return g_strdup (names[0]);
  all_but_last = g_strdupv ((char **) names);
  g_clear_pointer (&all_but_last[n - 1], g_free);
  /* Translators: joins names in a list: "Facebook, Instagram" */
  head = g_strjoinv (_(", "), all_but_last);
  /* Translators: the last two items of a list: "Facebook, Instagram and WhatsApp" */
  return g_strdup_printf (_("%s and %s"), head, names[n - 1]);
}

/**
 * vigie_report_duration:
 * @seconds: a duration; negative counts as 0
 *
 * Two units at most, as people say it: "45 s", "12 min", "6 h 12 min",
 * "2 d 3 h".
 *
 * Returns: (transfer full): the duration in words
 */
char *
vigie_report_duration (gint64 seconds)
{
  int minutes, hours, days;

  /* Counted in int: enough for 68 years of outage. */
  seconds = CLAMP (seconds, 0, G_MAXINT);
  minutes = (int) seconds / 60;
  hours = minutes / 60;
  days = hours / 24;

  if (seconds < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (minutes < 60)
    /* Translators: a duration in minutes */
    return g_strdup_printf (_("%d min"), minutes);
  if (hours < 24)
    {
      if (minutes % 60 == 0)
        /* Translators: a duration in hours */
        return g_strdup_printf (_("%d h"), hours);
      /* Translators: a duration in hours and minutes */
      return g_strdup_printf (_("%d h %d min"), hours, minutes % 60);
    }
  if (hours % 24 == 0)
    /* Translators: a duration in days */
    return g_strdup_printf (_("%d d"), days);
  /* Translators: a duration in days and hours */
  return g_strdup_printf (_("%d d %d h"), days, hours % 24);
}

/**
 * vigie_report_time:
 * @wall_us: a wall-clock time, µs since the epoch
 * @now_us: the current time
 *
 * A time as people read it in a list: the hour alone for today, the date
 * and hour otherwise, in the user's locale (24-hour clock where the locale
 * uses it).
 *
 * Returns: (transfer full): the time in words
 */
char *
vigie_report_time (gint64 wall_us,
                   gint64 now_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (wall_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);

  if (time == NULL || now == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (time) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* Translators: a time of day today, strftime format; %H:%M gives 17:40 */
    return g_date_time_format (time, _("%H:%M"));
  /* Translators: a date and time in a list, strftime format; e.g. "4 Oct 17:40" */
  return g_date_time_format (time, _("%-d %b %H:%M"));
}

/**
 * vigie_report_collect_state:
 * @services: (element-type VigieService): services
 * @tracker: their states
 * @state: a state
 * @names: (nullable) (element-type utf8): where to add the names of those in
 *   @state, in the order of @services, then a %NULL (the names are
 *   borrowed from @services)
 * @earliest_us: (out) (optional): when the earliest of them entered @state
 *
 * The walk every count of the tray, the banner and the summary is made of.
 *
 * Returns: how many of @services are in @state
 */
guint
vigie_report_collect_state (GPtrArray    *services,
                            VigieTracker *tracker,
                            VigieState    state,
                            GPtrArray    *names,
                            gint64       *earliest_us)
{
  guint n = 0;

  if (earliest_us != NULL)
    *earliest_us = G_MAXINT64;
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      const VigieServiceStatus *status = vigie_tracker_lookup (tracker, service->id);

      if (status == NULL || status->state != state)
        continue;
      if (names != NULL)
        g_ptr_array_add (names, service->name);
      if (earliest_us != NULL)
        *earliest_us = MIN (*earliest_us, status->since_us);
      n++;
    }
  if (names != NULL)
    g_ptr_array_add (names, NULL);
  return n;
}

static void
append_service_lines (GString      *text,
                      GPtrArray    *services,
                      VigieTracker *tracker,
                      VigieState    state,
                      gint64        now_us)
{
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      const VigieServiceStatus *status = vigie_tracker_lookup (tracker, service->id);
      g_autofree char *since = NULL;
      g_autofree char *lasted = NULL;
      g_autofree char *reason = NULL;

      if (status == NULL || status->state != state)
        continue;
      since = vigie_report_time (status->since_us, now_us);
      lasted = vigie_report_duration ((now_us - status->since_us) / G_USEC_PER_SEC);
      /* Translators: a line of the status summary: "• Facebook, since 17:40 (2 h 5 min)" */
      g_string_append_printf (text, _("• %s, since %s (%s)"), service->name, since, lasted);
      g_string_append_c (text, '\n');
      reason = vigie_report_status_reason (service, status);
      g_string_append_printf (text, "  %s\n", reason);
      if (service->status_page != NULL)
        /* Translators: link to the vendor's own status page */
        g_string_append_printf (text, _("  Official status: %s\n"), service->status_page);
      if (service->downdetector != NULL)
        /* Translators: link to what other users report (DownDetector) */
        g_string_append_printf (text, _("  User reports: %s\n"), service->downdetector);
    }
}

/**
 * vigie_report_summary:
 * @services: (element-type VigieService): the watched services
 * @tracker: their states
 * @connectivity: the user's own connection
 * @now_us: wall-clock time
 *
 * The ready-to-paste text a communicator sends colleagues: what is down,
 * since when, that it is not us, what the vendors say, where to look.
 *
 * Returns: (transfer full): the summary, several lines
 */
char *
vigie_report_summary (GPtrArray         *services,
                      VigieTracker      *tracker,
                      VigieConnectivity  connectivity,
                      gint64             now_us)
{
  static const VigieState problems[] = { VIGIE_STATE_DOWN, VIGIE_STATE_DEGRADED,
                                         VIGIE_STATE_MAINTENANCE };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *when = vigie_report_time (now_us, now_us);
  guint n_problems = 0;
  guint n_ok;

  g_return_val_if_fail (services != NULL, NULL);
  g_return_val_if_fail (VIGIE_IS_TRACKER (tracker), NULL);

  /* Translators: first line of the status summary; %s is a time */
  g_string_append_printf (text, _("Status of our online services at %s"), when);
  g_string_append (text, "\n\n");

  if (connectivity == VIGIE_CONNECTIVITY_OFFLINE
      || connectivity == VIGIE_CONNECTIVITY_CAPTIVE_PORTAL)
    {
      g_string_append (text, _("Our own Internet connection is down, so the services cannot be "
                               "checked right now."));
      g_string_append_c (text, '\n');
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  for (guint p = 0; p < G_N_ELEMENTS (problems); p++)
    {
      guint n = vigie_report_collect_state (services, tracker, problems[p], NULL, NULL);
      if (n == 0)
        continue;
      n_problems += n;
      switch (problems[p])
        {
        case VIGIE_STATE_DOWN:
          /* Translators: a heading of the status summary, followed by one
           * line per service; %u is how many */
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Down (%u):\n",
                                                     "Down (%u):\n", n), n);
          break;
        case VIGIE_STATE_DEGRADED:
          /* Translators: a heading of the status summary; %u is how many */
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Having problems (%u):\n",
                                                     "Having problems (%u):\n", n), n);
          break;
        case VIGIE_STATE_MAINTENANCE:
        default:
          /* Translators: a heading of the status summary; %u is how many */
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Under maintenance (%u):\n",
                                                     "Under maintenance (%u):\n", n), n);
          break;
        }
      append_service_lines (text, services, tracker, problems[p], now_us);
      g_string_append_c (text, '\n');
    }

  if (n_problems > 0 && connectivity == VIGIE_CONNECTIVITY_ONLINE)
    {
      /* Translators: in the status summary, written as the user's team ("we") */
      g_string_append (text, _("It is not on our side: our own connection works."));
      g_string_append (text, "\n");
    }

  n_ok = vigie_report_collect_state (services, tracker, VIGIE_STATE_OPERATIONAL, NULL, NULL);
  if (n_problems == 0 && n_ok == services->len && n_ok > 0)
    /* Translators: last line of the status summary when all is well */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "The %u service we watch is working normally.\n",
                                               "All %u services we watch are working normally.\n",
                                               n_ok),
                            n_ok);
  else if (n_ok > 0)
    /* Translators: last line of the status summary, after the problems */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%u other service is working normally.\n",
                                               "%u other services are working normally.\n",
                                               n_ok),
                            n_ok);
  else if (n_problems == 0)
    g_string_append (text, _("No verdict yet: Vigie is still checking.\n"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Beyond this many, names make a banner nobody reads: count them instead. */
#define BANNER_MAX_NAMES 4

/**
 * vigie_report_banner:
 * @services: (element-type VigieService): the watched services, in the
 *   user's order
 * @tracker: their states
 * @connectivity: the user's own connection now
 * @now_us: wall-clock time
 *
 * The one sentence that matters most, for the top of the details window:
 * "It's not you — Facebook, Instagram, WhatsApp and Messenger are down
 * since 17:40", "You are offline: Vigie can't tell", "All services
 * operational". The worst state wins. "It's not you" needs no further
 * check: the tracker confirms an outage only from rounds in which the
 * user's connection worked, and an offline connection is said first.
 *
 * Returns: (transfer full): the banner text, plain (names are not escaped)
 */
char *
vigie_report_banner (GPtrArray         *services,
                     VigieTracker      *tracker,
                     VigieConnectivity  connectivity,
                     gint64             now_us)
{
  static const VigieState problems[] = { VIGIE_STATE_DOWN, VIGIE_STATE_DEGRADED,
                                         VIGIE_STATE_MAINTENANCE };
  guint n_ok, n_unknown;
  gint64 earliest;

  g_return_val_if_fail (services != NULL, NULL);
  g_return_val_if_fail (VIGIE_IS_TRACKER (tracker), NULL);

  if (services->len == 0)
    return g_strdup (_("No service watched: choose some in Preferences"));
  if (connectivity == VIGIE_CONNECTIVITY_OFFLINE)
    return g_strdup (_("You are offline: Vigie can't tell"));
  if (connectivity == VIGIE_CONNECTIVITY_CAPTIVE_PORTAL)
    return g_strdup (_("You are behind a captive portal: Vigie can't tell until you log in to "
                       "the network"));

  for (guint p = 0; p < G_N_ELEMENTS (problems); p++)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      guint n = vigie_report_collect_state (services, tracker, problems[p], names, &earliest);
      g_autofree char *since = NULL;
      g_autofree char *list = NULL;

      if (n == 0)
        continue;
      since = vigie_report_time (earliest, now_us);
      if (n > BANNER_MAX_NAMES)
        switch (problems[p])
          {
          case VIGIE_STATE_DOWN:
            /* Translators: "It's not you — 6 services are down, the first since 17:40" */
            return g_strdup_printf (_("It's not you — %u services are down, the first since %s"),
                                    n, since);
          case VIGIE_STATE_DEGRADED:
            return g_strdup_printf (_("%u services are having problems, the first since %s"), n,
                                    since);
          case VIGIE_STATE_MAINTENANCE:
          default:
            return g_strdup_printf (_("%u services are under maintenance, the first since %s"),
                                    n, since);
          }

      list = vigie_report_join_names ((const char *const *) names->pdata);
      switch (problems[p])
        {
        case VIGIE_STATE_DOWN:
          /* Translators: "It's not you — Facebook, Instagram, WhatsApp and Messenger are
           * down since 17:40"; the first %s is a list of names, the second a time */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "It's not you — %s is down since %s",
                                               "It's not you — %s are down since %s", n),
                                  list, since);
        case VIGIE_STATE_DEGRADED:
          /* Translators: "Slack is having problems since 10:02" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s is having problems since %s",
                                               "%s are having problems since %s", n),
                                  list, since);
        case VIGIE_STATE_MAINTENANCE:
        default:
          /* Translators: "Notion is under maintenance since 09:00" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s is under maintenance since %s",
                                               "%s are under maintenance since %s", n),
                                  list, since);
        }
    }

  {
    g_autoptr(GPtrArray) ok = g_ptr_array_new ();
    g_autoptr(GPtrArray) unknown = g_ptr_array_new ();

    n_ok = vigie_report_collect_state (services, tracker, VIGIE_STATE_OPERATIONAL, ok, &earliest);
    n_unknown = vigie_report_collect_state (services, tracker, VIGIE_STATE_UNKNOWN, unknown, &earliest);
    /* Services not known to the tracker yet count as not checked. */
    n_unknown += services->len - n_ok - n_unknown;
  }
  if (n_unknown == 0)
    return g_strdup (_("All services operational"));
  if (n_ok == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking %u service…",
                                         "Checking %u services…", n_unknown),
                            n_unknown);
  /* Translators: "5 of 7 services operational; the others are not checked yet" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u service operational; the others are not "
                                       "checked yet",
                                       "%u of %u services operational; the others are not "
                                       "checked yet",
                                       services->len),
                          n_ok, services->len);
}

/**
 * vigie_report_state_for:
 * @state: a service's state
 * @since_us: when it entered @state, µs since the epoch (0 if unknown)
 * @now_us: wall-clock time
 *
 * Returns: (transfer full): "Down for 2 h 14 min", "Operational for 3 d 2 h",
 *   "Not checked yet"
 */
char *
vigie_report_state_for (VigieState state,
                        gint64     since_us,
                        gint64     now_us)
{
  g_autofree char *lasted = NULL;

  if (state == VIGIE_STATE_UNKNOWN || since_us <= 0)
    return g_strdup (_("Not checked yet"));
  lasted = vigie_report_duration ((now_us - since_us) / G_USEC_PER_SEC);
  switch (state)
    {
    /* Translators: "Down for 2 h 14 min" */
    case VIGIE_STATE_DOWN: return g_strdup_printf (_("Down for %s"), lasted);
    /* Translators: "Having problems for 12 min" */
    case VIGIE_STATE_DEGRADED: return g_strdup_printf (_("Having problems for %s"), lasted);
    /* Translators: "Under maintenance for 1 h" */
    case VIGIE_STATE_MAINTENANCE: return g_strdup_printf (_("Under maintenance for %s"), lasted);
    /* Translators: "Operational for 3 d 2 h" */
    case VIGIE_STATE_OPERATIONAL:
    case VIGIE_STATE_UNKNOWN:
    default: return g_strdup_printf (_("Operational for %s"), lasted);
    }
}

/**
 * vigie_report_latest_update:
 * @report: an official report
 *
 * The newest update the vendor posted on the incident that best explains
 * @report (the worst open one, else the first maintenance in progress).
 *
 * Returns: (transfer full) (nullable): the update's text, as the feed gave
 *   it, or %NULL when there is none
 */
char *
vigie_report_latest_update (const VigieFeedReport *report)
{
  const VigieFeedIncident *incident;

  g_return_val_if_fail (report != NULL, NULL);

  incident = main_incident (report);
  if (incident == NULL || incident->latest_update == NULL || *incident->latest_update == '\0')
    return NULL;
  return g_strdup (incident->latest_update);
}

/**
 * vigie_report_uptime:
 * @fraction: a share of time, from vigie_history_uptime()
 *
 * Rounded down, so that a service that failed at all never shows 100 %.
 *
 * Returns: (transfer full) (nullable): "99.8 %" (in the user's locale), or
 *   %NULL when @fraction is negative (nothing known)
 */
char *
vigie_report_uptime (double fraction)
{
  double percent;

  if (fraction < 0)
    return NULL;
  if (fraction >= 1.0)
    /* Translators: an uptime percentage */
    return g_strdup (_("100 %"));
  percent = (guint) (fraction * 1000.0) / 10.0;
  /* Translators: an uptime percentage, one decimal: "99.8 %" */
  return g_strdup_printf (_("%.1f %%"), percent);
}

/**
 * vigie_report_duration_exact:
 * @seconds: a duration; negative counts as 0
 *
 * Like vigie_report_duration(), but keeps the seconds under an hour, for
 * durations people set rather than lived through: "1 min 40 s".
 *
 * Returns: (transfer full): the duration in words
 */
char *
vigie_report_duration_exact (gint64 seconds)
{
  seconds = CLAMP (seconds, 0, G_MAXINT);
  if (seconds < 60 || seconds >= 3600 || seconds % 60 == 0)
    return vigie_report_duration (seconds);
  /* Translators: a duration in minutes and seconds */
  return g_strdup_printf (_("%d min %d s"), (int) seconds / 60, (int) seconds % 60);
}

/**
 * vigie_report_feed_kind_label:
 * @kind: a feed kind
 *
 * Returns: (transfer none): the kind of status page as people know it
 *   ("Atlassian Statuspage")
 */
const char *
vigie_report_feed_kind_label (VigieFeedKind kind)
{
  const VigieFeedFormat *format = vigie_feed_format_get (kind);

  return format != NULL ? _(format->label) : _("No status feed");
}
