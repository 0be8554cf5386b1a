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

  incident = vigie_feed_report_main_incident (report);
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
  incident = vigie_feed_report_main_incident (observation->official);
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

  incident = vigie_feed_report_main_incident (report);
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
