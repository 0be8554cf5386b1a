/* vigie-report-summary.c — the words about all watched services at once:
 * the tray's verdict and icon, the banner of the details window and the
 * status summary a person pastes to colleagues, and the walk over the
 * services per state that their counts share. Part of vigie-report; see
 * its header. */
#define G_LOG_DOMAIN "vigie-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-report.h"

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
 * vigie_report_overall_icon:
 * @overall: the overall state
 *
 * Returns: (transfer none): the icon that shows @overall (in the tray and
 *   the details window's banner), distinct by shape as well as colour
 */
const char *
vigie_report_overall_icon (VigieOverall overall)
{
  switch (overall)
    {
    case VIGIE_OVERALL_OPERATIONAL: return "vigie-operational";
    /* Maintenance is announced and harmless, but not "all fine" either. */
    case VIGIE_OVERALL_MAINTENANCE:
    case VIGIE_OVERALL_DEGRADED: return "vigie-degraded";
    case VIGIE_OVERALL_DOWN: return "vigie-down";
    case VIGIE_OVERALL_OFFLINE: return "vigie-offline";
    case VIGIE_OVERALL_PAUSED: return "vigie-paused";
    case VIGIE_OVERALL_CHECKING:
    default: return "vigie-unknown";
    }
}

/* How many of @services are in @state; with @names, their names joined
 * with commas. */
static guint
count_state (GPtrArray    *services,
             VigieTracker *tracker,
             VigieState    state,
             GString      *names)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  guint n = vigie_report_collect_state (services, tracker, state, list, NULL);

  if (names != NULL)
    {
      g_autofree char *joined = g_strjoinv (_(", "), (char **) list->pdata);

      g_string_append (names, joined);
    }
  return n;
}

/**
 * vigie_report_overall:
 * @overall: the overall state
 * @services: (element-type VigieService): the watched services
 * @tracker: their states
 * @paused_until_us: while paused, until when (wall µs; 0 for no end)
 * @now_us: wall-clock time
 *
 * The overall verdict in words: the tray menu's first line and (prefixed
 * with "Vigie: ") the tray item's title and accessible description.
 *
 * Returns: (transfer full): "4 services down — it's not you", ...
 */
char *
vigie_report_overall (VigieOverall  overall,
                      GPtrArray    *services,
                      VigieTracker *tracker,
                      gint64        paused_until_us,
                      gint64        now_us)
{
  guint total = services->len;
  g_autoptr(GString) names = g_string_new (NULL);
  guint n;

  switch (overall)
    {
    case VIGIE_OVERALL_PAUSED:
      {
        if (paused_until_us > 0)
          {
            g_autofree char *when = vigie_report_time (paused_until_us, now_us);
            /* Translators: %s is a time ("16:45") */
            return g_strdup_printf (_("Paused until %s"), when);
          }
        /* Translators: the tray's verdict while checks are paused */
        return g_strdup (_("Paused"));
      }
    case VIGIE_OVERALL_OFFLINE:
      return g_strdup (_("You are offline — can't tell"));
    case VIGIE_OVERALL_DOWN:
      n = count_state (services, tracker, VIGIE_STATE_DOWN, names);
      if (n <= 3)
        /* Translators: "Facebook, Instagram down — it's not you" */
        return g_strdup_printf (_("%s down — it's not you"), names->str);
      /* Translators: "4 services down — it's not you" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u service down — it's not you",
                                           "%u services down — it's not you", n),
                              n);
    case VIGIE_OVERALL_DEGRADED:
      n = count_state (services, tracker, VIGIE_STATE_DEGRADED, names);
      /* Translators: the tray's verdict; %s is one service or a list */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: having problems",
                                           "%s: having problems", n),
                              names->str);
    case VIGIE_OVERALL_MAINTENANCE:
      n = count_state (services, tracker, VIGIE_STATE_MAINTENANCE, names);
      /* Translators: the tray's verdict; %s is one service or a list */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: under maintenance",
                                           "%s: under maintenance", n),
                              names->str);
    case VIGIE_OVERALL_OPERATIONAL:
      if (total == 0)
        return g_strdup (_("No service watched"));
      /* Translators: the tray's verdict when all is well */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u service operational",
                                           "All %u services operational", total),
                              total);
    case VIGIE_OVERALL_CHECKING:
    default:
      /* Translators: the tray's verdict before the first results */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking %u service…",
                                           "Checking %u services…", total),
                              total);
    }
}
