/* vigie-cli.c — the command-line modes: tables for people, JSON for scripts. */
#define G_LOG_DOMAIN "vigie-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "vigie-cli.h"
#include "vigie-history.h"
#include "vigie-json-writer.h"
#include "vigie-monitor.h"
#include "vigie-probe.h"
#include "vigie-report.h"
#include "vigie-text.h"

/* Rows of text cells, printed with aligned columns, one line per row: a
 * cell's line breaks and tabs (an incident title's, say) are folded into
 * spaces, so that no text can print a row of its own. */
typedef struct
{
  GPtrArray *rows;  /* GStrv, each n_columns long */
  guint n_columns;
} Table;

static void
table_init (Table *table,
            guint  n_columns)
{
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->n_columns = n_columns;
}

static void
table_add_row (Table             *table,
               const char *const *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = vigie_text_one_line (cells[i] ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

/* Prints and frees the table. Widths count characters, not bytes, so names
 * such as "Lumière" keep the columns straight. */
static void
table_print (Table *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      g_string_truncate (line, 0);
      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < table->n_columns)
            for (guint pad = g_utf8_strlen (row[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      g_strchomp (line->str);
      g_print ("%s\n", line->str);
    }

  g_clear_pointer (&table->rows, g_ptr_array_unref);
}

/* The catalog in its own order, then the user's custom services. */
static GPtrArray *
all_services (VigieConfig *config)
{
  GPtrArray *catalog = vigie_catalog_get_services (vigie_config_get_catalog (config));
  GPtrArray *custom = vigie_config_get_custom_services (config);
  GPtrArray *all = g_ptr_array_sized_new (catalog->len + custom->len);

  g_ptr_array_extend (all, catalog, NULL, NULL);
  g_ptr_array_extend (all, custom, NULL, NULL);
  return all;
}

static void
list_services_json (VigieConfig *config,
                    GPtrArray   *services)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autofree char *text = NULL;

  vigie_json_writer_begin_array (writer);
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);

      vigie_json_writer_begin_object (writer);
      vigie_json_writer_member_string (writer, "id", service->id);
      vigie_json_writer_member_string (writer, "name", service->name);
      vigie_json_writer_member_string (writer, "provider", service->provider);
      vigie_json_writer_member_string (writer, "category", service->category);
      vigie_json_writer_member_string (writer, "site", service->site);
      vigie_json_writer_member_string (writer, "status_page", service->status_page);
      vigie_json_writer_member_string (writer, "feed_kind",
                                       vigie_feed_kind_to_string (service->feed_kind));
      vigie_json_writer_member_string (writer, "feed_url", service->feed_url);
      vigie_json_writer_member_string (writer, "downdetector", service->downdetector);
      vigie_json_writer_key (writer, "custom");
      vigie_json_writer_boolean (writer, service->origin == VIGIE_SERVICE_CUSTOM);
      vigie_json_writer_key (writer, "watched");
      vigie_json_writer_boolean (writer, vigie_config_is_watched (config, service->id));
      vigie_json_writer_end_object (writer);
    }
  vigie_json_writer_end_array (writer);

  text = vigie_json_writer_steal (writer);
  g_print ("%s", text);
}

static void
list_services_table (VigieConfig *config,
                     GPtrArray   *services)
{
  Table table;
  guint n_watched = 0;

  table_init (&table, 6);
  /* Translators: column headings of "vigie --list-services"; the first
   * column holds a star for the services being watched */
  table_add_row (&table, (const char *[]) { "", _("ID"), _("NAME"), _("PROVIDER"),
                                            _("CATEGORY"), _("OFFICIAL FEED") });
  for (guint i = 0; i < services->len; i++)
    {
      VigieService *service = g_ptr_array_index (services, i);
      gboolean watched = vigie_config_is_watched (config, service->id);

      n_watched += watched;
      table_add_row (&table, (const char *[]) {
                               watched ? "*" : "", service->id, service->name, service->provider,
                               service->category,
                               service->feed_kind == VIGIE_FEED_NONE
                                 /* Translators: no official status feed; the probe alone decides */
                                 ? _("— (probe only)")
                                 : vigie_feed_kind_to_string (service->feed_kind) });
    }
  table_print (&table);

  g_print ("\n");
  /* Translators: %u is the number of services watched, %s the settings file */
  g_print (g_dngettext (GETTEXT_PACKAGE, "* %u service watched (Services= in %s)\n",
                        "* %u services watched (Services= in %s)\n", n_watched),
           n_watched, vigie_config_get_path (config));
}

/**
 * vigie_cli_list_services:
 * @config: loaded settings
 * @json: print JSON instead of a table
 *
 * Prints every service Vigie knows, marking the watched ones.
 *
 * Returns: %VIGIE_EXIT_OK
 */
VigieExit
vigie_cli_list_services (VigieConfig *config,
                         gboolean     json)
{
  g_autoptr(GPtrArray) services = all_services (config);

  if (json)
    list_services_json (config, services);
  else
    list_services_table (config, services);
  return VIGIE_EXIT_OK;
}

/* The services named on the command line, or the watched ones. */
static GPtrArray *
services_to_check (VigieConfig       *config,
                   const char *const *ids)
{
  g_autoptr(GPtrArray) services = NULL;

  if (ids == NULL || ids[0] == NULL)
    return vigie_config_get_watched (config);

  services = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      VigieService *service = vigie_config_lookup_service (config, ids[i]);
      const char *suggestion;

      if (service != NULL)
        {
          g_ptr_array_add (services, vigie_service_ref (service));
          continue;
        }
      suggestion = vigie_catalog_suggest (vigie_config_get_catalog (config), ids[i]);
      if (suggestion != NULL)
        g_printerr (_("vigie: unknown service “%s” (did you mean “%s”?)\n"), ids[i], suggestion);
      else
        g_printerr (_("vigie: unknown service “%s” (vigie --list-services shows the known ones)\n"),
                    ids[i]);
      return NULL;
    }
  return g_steal_pointer (&services);
}

static VigieExit
exit_code_for (const VigieRound *round)
{
  VigieState worst = VIGIE_STATE_UNKNOWN;

  if (round->connectivity != VIGIE_CONNECTIVITY_ONLINE)
    return VIGIE_EXIT_UNKNOWN;
  for (guint i = 0; i < round->observations->len; i++)
    worst = MAX (worst, vigie_observation_verdict (g_ptr_array_index (round->observations, i)));

  switch (worst)
    {
    case VIGIE_STATE_DOWN: return VIGIE_EXIT_CRITICAL;
    case VIGIE_STATE_DEGRADED:
    case VIGIE_STATE_MAINTENANCE: return VIGIE_EXIT_WARNING;
    case VIGIE_STATE_OPERATIONAL: return VIGIE_EXIT_OK;
    case VIGIE_STATE_UNKNOWN:
    default: return round->observations->len == 0 ? VIGIE_EXIT_OK : VIGIE_EXIT_UNKNOWN;
    }
}

static VigieState
verdict_in_round (const VigieRound       *round,
                  const VigieObservation *observation)
{
  /* Never "down" while the user's own connection is the problem. */
  if (round->connectivity != VIGIE_CONNECTIVITY_ONLINE)
    return VIGIE_STATE_UNKNOWN;
  return vigie_observation_verdict (observation);
}

static const VigieFeedIncident *
first_incident (const VigieObservation *observation)
{
  const VigieFeedReport *official = observation->official;

  if (official == NULL)
    return NULL;
  if (official->incidents && official->incidents->len > 0)
    return g_ptr_array_index (official->incidents, 0);
  if (official->maintenances && official->maintenances->len > 0)
    return g_ptr_array_index (official->maintenances, 0);
  return NULL;
}

static void
check_json (const VigieRound *round,
            VigieExit         exit_code)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_local (round->started_at / G_USEC_PER_SEC);
  g_autofree char *started_text = g_date_time_format_iso8601 (started);
  g_autofree char *text = NULL;
  g_autofree char *detail = vigie_report_connectivity_detail (round->connectivity_evidence);

  vigie_json_writer_begin_object (writer);
  vigie_json_writer_member_string (writer, "checked_at", started_text);
  vigie_json_writer_member_string (writer, "connectivity",
                                   vigie_connectivity_to_string (round->connectivity));
  vigie_json_writer_member_string (writer, "connectivity_detail", detail);
  vigie_json_writer_key (writer, "duration_ms");
  vigie_json_writer_double (writer, round->duration_ms);
  vigie_json_writer_key (writer, "exit_code");
  vigie_json_writer_int (writer, exit_code);
  vigie_json_writer_key (writer, "services");
  vigie_json_writer_begin_array (writer);
  for (guint i = 0; i < round->observations->len; i++)
    {
      const VigieObservation *observation = g_ptr_array_index (round->observations, i);
      const VigieFeedIncident *incident = first_incident (observation);
      g_autofree char *reason = vigie_report_reason (observation, round->connectivity);

      vigie_json_writer_begin_object (writer);
      vigie_json_writer_member_string (writer, "id", observation->service->id);
      vigie_json_writer_member_string (writer, "name", observation->service->name);
      vigie_json_writer_member_string (writer, "provider", observation->service->provider);
      vigie_json_writer_member_string (writer, "verdict",
                                       vigie_state_to_string (verdict_in_round (round,
                                                                                observation)));
      vigie_json_writer_member_string (writer, "layer", vigie_layer_to_string (observation->layer));
      vigie_json_writer_key (writer, "http_status");
      if (observation->http_status != 0)
        vigie_json_writer_int (writer, observation->http_status);
      else
        vigie_json_writer_null (writer);
      vigie_json_writer_key (writer, "latency_ms");
      if (observation->layer == VIGIE_LAYER_CANCELLED)
        vigie_json_writer_null (writer);
      else
        vigie_json_writer_double (writer, observation->latency_ms);
      vigie_json_writer_member_string (writer, "message", observation->message);
      vigie_json_writer_member_string (writer, "official",
                                       observation->official
                                         ? vigie_official_level_to_string (observation->official->level)
                                         : NULL);
      vigie_json_writer_member_string (writer, "official_problem", observation->feed_problem);
      vigie_json_writer_member_string (writer, "incident_title", incident ? incident->title : NULL);
      vigie_json_writer_member_string (writer, "incident_url", incident ? incident->url : NULL);
      vigie_json_writer_member_string (writer, "reason", reason);
      vigie_json_writer_end_object (writer);
    }
  vigie_json_writer_end_array (writer);
  vigie_json_writer_end_object (writer);

  text = vigie_json_writer_steal (writer);
  g_print ("%s", text);
}

/* The OFFICIAL column: one word, as the vendor's page would put it. */
static const char *
official_short_label (const VigieFeedReport *official)
{
  if (official == NULL)
    return "—";
  switch (official->level)
    {
    /* Translators: the OFFICIAL column of "vigie --check" (what the vendor's
     * status page says), one short word: all is well */
    case VIGIE_OFFICIAL_OPERATIONAL: return C_("official status", "operational");
    /* Translators: the OFFICIAL column: maintenance announced */
    case VIGIE_OFFICIAL_MAINTENANCE: return C_("official status", "maintenance");
    /* Translators: the OFFICIAL column: a minor or partial incident */
    case VIGIE_OFFICIAL_MINOR: return C_("official status", "minor");
    /* Translators: the OFFICIAL column: a major outage */
    case VIGIE_OFFICIAL_MAJOR: return C_("official status", "major");
    case VIGIE_OFFICIAL_UNKNOWN:
    /* Translators: the OFFICIAL column: the feed said nothing usable */
    default: return C_("official status", "unknown");
    }
}

static void
check_table (const VigieRound *round)
{
  g_autofree char *detail = vigie_report_connectivity_detail (round->connectivity_evidence);
  Table table;

  table_init (&table, 6);
  /* Translators: column headings of "vigie --check" */
  table_add_row (&table, (const char *[]) { _("SERVICE"), _("VERDICT"), _("PROBE"), _("LATENCY"),
                                            _("OFFICIAL"), _("REASON") });
  for (guint i = 0; i < round->observations->len; i++)
    {
      const VigieObservation *observation = g_ptr_array_index (round->observations, i);
      g_autofree char *reason = vigie_report_reason (observation, round->connectivity);
      g_autofree char *latency = NULL;
      g_autofree char *probe = NULL;

      if (observation->layer != VIGIE_LAYER_CANCELLED)
        latency = g_strdup_printf (_("%.0f ms"), observation->latency_ms);
      if (observation->http_status != 0)
        probe = g_strdup_printf ("%s %u", vigie_layer_to_string (observation->layer),
                                 observation->http_status);
      else
        probe = g_strdup (vigie_layer_to_string (observation->layer));

      table_add_row (&table, (const char *[]) {
                               observation->service->name,
                               vigie_state_label (verdict_in_round (round, observation)),
                               probe, latency, official_short_label (observation->official),
                               reason });
    }
  table_print (&table);

  /* Translators: after the --check table: "Your connection works: detectportal.firefox.com
   * answered as expected." */
  g_print (_("\n%s: %s.\n"), vigie_report_connectivity (round->connectivity), detail);
  if (round->connectivity != VIGIE_CONNECTIVITY_ONLINE)
    g_print (_("Vigie can't tell whether these services are down while your own connection "
               "does not work.\n"));
  g_print (g_dngettext (GETTEXT_PACKAGE, "Checked %u service in %.1f s.\n",
                        "Checked %u services in %.1f s.\n", round->observations->len),
           round->observations->len, round->duration_ms / 1000.0);
}

static VigieRound *
run_one_round (VigieConfig *config,
               GPtrArray   *services)
{
  g_autoptr(VigieHttp) http = NULL;
  g_autoptr(VigieProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  VigieHttpOptions options = { 0 };
  VigieRound *round;

  options.timeout_s = vigie_config_get_setting (config, VIGIE_SETTING_TIMEOUT);
  http = vigie_http_new (&options);
  probe = vigie_probe_new (http);
  round = vigie_probe_run_sync (probe, services, vigie_config_get_connectivity_urls (config), NULL,
                                &error);
  if (round == NULL)
    g_printerr (_("vigie: the check failed: %s\n"), error->message);
  return round;
}

/**
 * vigie_cli_check:
 * @config: loaded settings
 * @ids: (nullable): services to check; %NULL or empty for the watched ones
 * @json: print JSON instead of a table
 *
 * Probes once, all services in parallel, and prints the verdicts.
 *
 * Returns: the exit code of DESIGN.md §4
 */
VigieExit
vigie_cli_check (VigieConfig       *config,
                 const char *const *ids,
                 gboolean           json)
{
  g_autoptr(GPtrArray) services = services_to_check (config, ids);
  g_autoptr(VigieRound) round = NULL;
  VigieExit exit_code;

  if (services == NULL)
    return VIGIE_EXIT_UNKNOWN;
  round = run_one_round (config, services);
  if (round == NULL)
    return VIGIE_EXIT_UNKNOWN;

  exit_code = exit_code_for (round);
  if (json)
    check_json (round, exit_code);
  else
    check_table (round);
  return exit_code;
}

/* --watch: the monitor in a terminal, one line per event as it happens. */

static void
watch_line (const char *format,
            ...) G_GNUC_PRINTF (1, 2);

static void
watch_line (const char *format,
            ...)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line per event, whatever the remote text in it holds. */
  text = vigie_text_one_line (line);
  g_print ("%s  %s\n", stamp, text);
  /* Scripts read this through a pipe: each event must arrive as it happens. */
  fflush (stdout);
}

static void
on_watch_transition (VigieMonitor    *monitor,
                     VigieTransition *transition,
                     gpointer         user_data)
{
  switch (transition->kind)
    {
    case VIGIE_TRANSITION_FLAPPING_STARTED:
      watch_line (_("%s is unstable: it keeps going up and down (quiet until it settles)"),
                  transition->service_name);
      break;
    case VIGIE_TRANSITION_FLAPPING_STOPPED:
      watch_line (_("%s has settled: %s"), transition->service_name,
                  vigie_state_label (transition->to));
      break;
    case VIGIE_TRANSITION_STATE:
    default:
      /* Translators: "Facebook: Operational → Down — facebook.com: name lookup failed" */
      watch_line (_("%s: %s → %s — %s"), transition->service_name,
                  vigie_state_label (transition->from), vigie_state_label (transition->to),
                  transition->reason ? transition->reason : "");
      break;
    }
}

static void
on_watch_connectivity (VigieMonitor *monitor,
                       int           connectivity,
                       gpointer      user_data)
{
  g_autofree char *detail =
    vigie_report_connectivity_detail (vigie_monitor_get_connectivity_evidence (monitor));

  if (connectivity == VIGIE_CONNECTIVITY_ONLINE)
    watch_line (_("Your connection works (%s)"), detail);
  else
    watch_line (_("%s: Vigie can't tell whether services are down (%s)"),
                vigie_report_connectivity (connectivity), detail);
}

static void
on_watch_notice (VigieMonitor *monitor,
                 const char   *message,
                 gpointer      user_data)
{
  /* Translators: a problem Vigie reports while watching, on stderr */
  g_printerr (_("vigie: %s\n"), message);
}

static gboolean
on_watch_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static VigieHistory *
open_history (void)
{
  g_autofree char *path = vigie_history_default_path ();
  g_autoptr(GError) error = NULL;
  VigieHistory *history = vigie_history_open (path, &error);

  if (history == NULL)
    g_printerr (_("vigie: the outage log %s cannot be used: %s\n"), path, error->message);
  return history;
}

/**
 * vigie_cli_watch:
 * @config: loaded settings
 *
 * Runs the monitor without GTK until interrupted (Ctrl+C or SIGTERM),
 * printing one line per transition and connectivity change, and recording
 * them in the outage log.
 *
 * Returns: %VIGIE_EXIT_OK once interrupted
 */
VigieExit
vigie_cli_watch (VigieConfig *config)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(VigieHistory) history = open_history ();
  g_autoptr(VigieMonitor) monitor = vigie_monitor_new (config, history, NULL);
  guint n = vigie_monitor_get_services (monitor)->len;
  guint sigint = g_unix_signal_add (SIGINT, on_watch_signal, loop);
  guint sigterm = g_unix_signal_add (SIGTERM, on_watch_signal, loop);

  g_signal_connect (monitor, "service-changed", G_CALLBACK (on_watch_transition), NULL);
  g_signal_connect (monitor, "connectivity-changed", G_CALLBACK (on_watch_connectivity), NULL);
  g_signal_connect (monitor, "notice", G_CALLBACK (on_watch_notice), NULL);

  watch_line (g_dngettext (GETTEXT_PACKAGE,
                           "Watching %u service every %u s (Ctrl+C to stop)",
                           "Watching %u services every %u s (Ctrl+C to stop)", n),
              n, vigie_config_get_setting (config, VIGIE_SETTING_INTERVAL));
  vigie_monitor_start (monitor);
  g_main_loop_run (loop);
  vigie_monitor_stop (monitor);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  return VIGIE_EXIT_OK;
}

/**
 * vigie_cli_history:
 * @since: (nullable): "24h", "7d", "30d", a date; %NULL for 7 days
 * @csv: print RFC 4180 CSV
 * @json: print JSON
 *
 * Prints the outage log.
 *
 * Returns: %VIGIE_EXIT_OK, or %VIGIE_EXIT_UNKNOWN on a usage or log error
 */
VigieExit
vigie_cli_history (const char *since,
                   gboolean    csv,
                   gboolean    json)
{
  g_autoptr(VigieHistory) history = NULL;
  g_autoptr(GPtrArray) outages = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 since_us;
  Table table;

  if (!vigie_history_parse_since (since ? since : "7d", now, &since_us, &error))
    {
      g_printerr (_("vigie: --since: %s\n"), error->message);
      return VIGIE_EXIT_UNKNOWN;
    }
  history = open_history ();
  if (history == NULL)
    return VIGIE_EXIT_UNKNOWN;
  outages = vigie_history_outages (history, since_us, now, &error);
  if (outages == NULL)
    {
      g_printerr (_("vigie: the outage log could not be read: %s\n"), error->message);
      return VIGIE_EXIT_UNKNOWN;
    }

  if (csv || json)
    {
      g_autofree char *text = csv ? vigie_history_format_csv (outages, now)
                                  : vigie_history_format_json (outages, now);
      g_print ("%s", text);
      return VIGIE_EXIT_OK;
    }

  if (outages->len == 0)
    {
      g_print (_("No outage recorded since %s.\n"), since ? since : "7d");
      return VIGIE_EXIT_OK;
    }

  table_init (&table, 6);
  /* Translators: column headings of "vigie --history" */
  table_add_row (&table, (const char *[]) { _("START"), _("END"), _("DURATION"), _("SERVICE"),
                                            _("STATE"), _("WHY") });
  for (guint i = 0; i < outages->len; i++)
    {
      const VigieOutage *outage = g_ptr_array_index (outages, i);
      gint64 end = outage->end_us ? outage->end_us : now;
      g_autofree char *start_text = vigie_report_time (outage->start_us, now);
      g_autofree char *end_text = outage->end_us ? vigie_report_time (outage->end_us, now)
                                                 /* Translators: an outage still going on */
                                                 : g_strdup (_("ongoing"));
      g_autofree char *duration = vigie_report_duration ((end - outage->start_us) / G_USEC_PER_SEC);
      g_autofree char *why = outage->incident_title
                               ? g_strdup_printf (_("official: “%s”"), outage->incident_title)
                               : g_strdup (outage->reason);

      table_add_row (&table, (const char *[]) { start_text, end_text, duration,
                                                outage->service_name,
                                                vigie_state_label (outage->state), why });
    }
  table_print (&table);
  return VIGIE_EXIT_OK;
}

/**
 * vigie_cli_summary:
 * @config: loaded settings
 *
 * Checks the watched services once and prints the ready-to-paste status
 * text (the applet's Copy Status Summary). One round decides: a failing
 * probe counts as down at once here, as in `vigie --check`.
 *
 * Returns: the exit code of DESIGN.md §4
 */
VigieExit
vigie_cli_summary (VigieConfig *config)
{
  g_autoptr(GPtrArray) services = vigie_config_get_watched (config);
  g_autoptr(VigieRound) round = run_one_round (config, services);
  VigieTrackerSettings settings = { .failures_before_down = 1, .successes_before_up = 1 };
  g_autoptr(VigieTracker) tracker = vigie_tracker_new (&settings);
  g_autoptr(GPtrArray) transitions = NULL;
  g_autofree char *summary = NULL;

  if (round == NULL)
    return VIGIE_EXIT_UNKNOWN;
  transitions = vigie_tracker_observe (tracker, round->connectivity, round->observations,
                                       g_get_real_time ());
  summary = vigie_report_summary (services, tracker, round->connectivity, g_get_real_time ());
  g_print ("%s", summary);
  return exit_code_for (round);
}
