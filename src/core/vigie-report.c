/* vigie-report.c — words for people; see the header. */
#define G_LOG_DOMAIN "vigie-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-report.h"

/**
 * vigie_state_label:
 * @state: a state
 *
 * Returns: (transfer none): the state as a person reads it ("Down")
 */
const char *
vigie_state_label (VigieState state)
{
  switch (state)
    {
    /* Translators: state of an online service */
    case VIGIE_STATE_OPERATIONAL: return _("Operational");
    /* Translators: state of an online service */
    case VIGIE_STATE_MAINTENANCE: return _("Maintenance");
    /* Translators: state of an online service: partly working */
    case VIGIE_STATE_DEGRADED: return _("Degraded");
    /* Translators: state of an online service: not working for anyone */
    case VIGIE_STATE_DOWN: return _("Down");
    case VIGIE_STATE_UNKNOWN:
    /* Translators: state of an online service: no verdict (yet) */
    default: return _("Unknown");
    }
}

/**
 * vigie_layer_describe:
 * @layer: where a request failed
 *
 * Returns: (transfer none): what failed, in plain words ("name lookup failed")
 */
const char *
vigie_layer_describe (VigieLayer layer)
{
  switch (layer)
  /* Translators: what happened when Vigie reached a site; these complete
   * "facebook.com: …" and are lowercase because they follow a colon */
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
 * vigie_official_level_label:
 * @level: an official level
 *
 * Returns: (transfer none): the level as the vendor's page would put it
 */
const char *
vigie_official_level_label (VigieOfficialLevel level)
{
  switch (level)
  /* Translators: what a vendor's official status page says */
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
 * vigie_connectivity_label:
 * @connectivity: the user's connectivity
 *
 * Returns: (transfer none): a short phrase about the user's own connection
 */
const char *
vigie_connectivity_label (VigieConnectivity connectivity)
{
  switch (connectivity)
  /* Translators: the user's own Internet connection ("is it me?") */
    {
    case VIGIE_CONNECTIVITY_ONLINE: return _("Your connection works");
    case VIGIE_CONNECTIVITY_CAPTIVE_PORTAL: return _("You are behind a captive portal");
    case VIGIE_CONNECTIVITY_OFFLINE: return _("You are offline");
    case VIGIE_CONNECTIVITY_UNKNOWN:
    default: return _("Connection not checked yet");
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
  if (incident != NULL && incident->title != NULL)
    /* Translators: official level, then the vendor's incident title */
    return g_strdup_printf (_("%s — “%s”"), vigie_official_level_label (report->level),
                            incident->title);
  return g_strdup (vigie_official_level_label (report->level));
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
  g_autoptr(GString) reason = g_string_new (NULL);
  g_autofree char *host = NULL;
  VigieOfficialLevel official;

  g_return_val_if_fail (observation != NULL, NULL);

  if (connectivity == VIGIE_CONNECTIVITY_OFFLINE)
  /* Translators: the reason column when the user's own connection fails */
    return g_strdup (_("can't tell: you are offline"));
  if (connectivity == VIGIE_CONNECTIVITY_CAPTIVE_PORTAL)
    return g_strdup (_("can't tell: you are behind a captive portal (log in to the network)"));

  host = vigie_report_site_host (observation->service);
  official = vigie_observation_official_level (observation);

  if (!vigie_observation_site_ok (observation))
    {
      if (observation->layer == VIGIE_LAYER_HTTP)
        /* Translators: "facebook.com: server error (HTTP 503)" */
        g_string_append_printf (reason, _("%s: %s (HTTP %u)"), host,
                                vigie_layer_describe (observation->layer),
                                observation->http_status);
      else
        /* Translators: a host, then what failed: "facebook.com: name lookup failed" */
        g_string_append_printf (reason, C_("host: failure", "%s: %s"), host,
                                vigie_layer_describe (observation->layer));
      if (connectivity == VIGIE_CONNECTIVITY_ONLINE)
        /* Translators: appended to a failure: it's not the user's fault */
        g_string_append (reason, _("; your connection works"));
    }

  if (observation->official != NULL && official > VIGIE_OFFICIAL_OPERATIONAL)
    {
      g_autofree char *text = vigie_report_official (observation->official);
      if (reason->len > 0)
        /* Translators: separates the parts of a reason: "facebook.com: …; official: …" */
        g_string_append (reason, C_("reasons", "; "));
      /* Translators: what the vendor's status page says */
      g_string_append_printf (reason, _("official: %s"), text);
    }
  else if (!vigie_observation_site_ok (observation) && official == VIGIE_OFFICIAL_OPERATIONAL)
    /* Official pages lag: on 4 October 2021 they said nothing for a while. */
    g_string_append (reason, _("; the official page still says all is well (it often lags)"));

  if (reason->len == 0)
    /* Translators: "facebook.com answered in 120 ms" */
    g_string_append_printf (reason, _("%s answered in %.0f ms"), host, observation->latency_ms);

  return g_string_free (g_steal_pointer (&reason), FALSE);
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

      if (status == NULL || status->state != state)
        continue;
      since = vigie_report_time (status->since_us, now_us);
      lasted = vigie_report_duration ((now_us - status->since_us) / G_USEC_PER_SEC);
      /* Translators: a line of the status summary: "• Facebook, since 17:40 (2 h 5 min)" */
      g_string_append_printf (text, _("• %s, since %s (%s)"), service->name, since, lasted);
      g_string_append_c (text, '\n');
      if (status->reason != NULL)
        g_string_append_printf (text, "  %s\n", status->reason);
      if (service->status_page != NULL)
        /* Translators: link to the vendor's own status page */
        g_string_append_printf (text, _("  Official status: %s\n"), service->status_page);
      if (service->downdetector != NULL)
        /* Translators: link to what other users report (DownDetector) */
        g_string_append_printf (text, _("  User reports: %s\n"), service->downdetector);
    }
}

static guint
count_in_state (GPtrArray    *services,
                VigieTracker *tracker,
                VigieState    state)
{
  guint n = 0;

  for (guint i = 0; i < services->len; i++)
    {
      const VigieServiceStatus *status =
        vigie_tracker_lookup (tracker, ((VigieService *) g_ptr_array_index (services, i))->id);
      n += status != NULL && status->state == state;
    }
  return n;
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
      guint n = count_in_state (services, tracker, problems[p]);
      if (n == 0)
        continue;
      n_problems += n;
      switch (problems[p])
        {
        case VIGIE_STATE_DOWN:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Down (%u):\n",
          /* Translators: a heading of the status summary, followed by one
           * line per service; %u is how many */
                                                     "Down (%u):\n", n), n);
          break;
        case VIGIE_STATE_DEGRADED:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Having problems (%u):\n",
          /* Translators: a heading of the status summary; %u is how many */
                                                     "Having problems (%u):\n", n), n);
          break;
        case VIGIE_STATE_MAINTENANCE:
        default:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Under maintenance (%u):\n",
          /* Translators: a heading of the status summary; %u is how many */
                                                     "Under maintenance (%u):\n", n), n);
          break;
        }
      append_service_lines (text, services, tracker, problems[p], now_us);
      g_string_append_c (text, '\n');
    }

  if (n_problems > 0 && connectivity == VIGIE_CONNECTIVITY_ONLINE)
    {
      g_string_append (text, _("It is not on our side: our own connection works."));
      /* Translators: in the status summary, written as the user's team ("we") */
      g_string_append (text, "\n");
    }

  n_ok = count_in_state (services, tracker, VIGIE_STATE_OPERATIONAL);
  if (n_problems == 0 && n_ok == services->len && n_ok > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
    /* Translators: last line of the status summary when all is well */
                                               "The %u service we watch is working normally.\n",
                                               "All %u services we watch are working normally.\n",
                                               n_ok),
                            n_ok);
  else if (n_ok > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
    /* Translators: last line of the status summary, after the problems */
                                               "%u other service is working normally.\n",
                                               "%u other services are working normally.\n",
                                               n_ok),
                            n_ok);
  else if (n_problems == 0)
    g_string_append (text, _("No verdict yet: Vigie is still checking.\n"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}
