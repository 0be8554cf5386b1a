/* screenshot-scenario.c — the applet replaying 4 October 2021, for the
 * screenshots in README.md (run by docs/make-screenshots.sh).
 *
 *   screenshot-scenario SERVICES_INI CA_PEM CERT_PEM KEY_PEM details|preferences
 *
 * Everything stays on loopback. The real catalog (SERVICES_INI) is loaded
 * with the front doors and feeds of the seven default services moved to a
 * local port; curl is told (CURLOPT_RESOLVE) that their host names are
 * 127.0.0.1 and trusts CA_PEM, which signed CERT_PEM for those names. So
 * Slack, Notion and Google Workspace answer from a local HTTPS stand-in,
 * under their own names, while Facebook, Instagram, WhatsApp and Messenger
 * point at a port where nothing listens: down, while "is it me?" answers.
 *
 * Before the applet starts, 26 hours of rounds are played through its own
 * tracker with times in the past and recorded in the outage log: Google
 * Workspace had problems last evening, Messenger's business platform in the
 * night, Notion was under maintenance, Instagram and Slack had a wobble in
 * the morning, and the four Meta services went down 2 h 14 min ago. Then the applet runs for real, the requested window
 * opens, and once a live round has finished the program prints "ready" and
 * the window's title, and runs until its standard input is closed.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "vigie-application.h"
#include "vigie-preferences.h"

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)
#define HOUR (60 * MINUTE)

static const char *const watched[] = {
  "facebook", "instagram", "whatsapp", "messenger", "slack", "notion", "google-workspace", NULL,
};
static const char *const meta[] = { "facebook", "instagram", "whatsapp", "messenger", NULL };

static G_NORETURN void
die (const char *what,
     GError     *error)
{
  g_printerr ("screenshot-scenario: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

typedef struct
{
  const char *window;
  gint64 now;
  VigieHistory *history;
  VigieApplication *app;
  gboolean ready;
} Scenario;

/* ---- the loopback stand-ins --------------------------------------------- */

static const char statuspage_ok[] =
  "{\"page\":{\"id\":\"notion\",\"name\":\"Notion\"},"
  "\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"},"
  "\"components\":[],\"incidents\":[],\"scheduled_maintenances\":[]}";
static const char slack_ok[] = "{\"status\":\"ok\",\"active_incidents\":[]}";
/* Meta's feed said nothing that afternoon. */
static const char rss_empty[] =
  "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Meta Status</title>"
  "<link>https://metastatus.com/</link><description>Open outage events</description>"
  "</channel></rss>";

static void
on_request (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  if (g_str_equal (path, "/generate_204"))
    {
      soup_server_message_set_status (message, 204, NULL);
      return;
    }
  soup_server_message_set_status (message, 200, NULL);
  if (g_str_has_suffix (path, "/summary.json"))
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                      statuspage_ok, strlen (statuspage_ok));
  else if (g_str_has_suffix (path, "/current"))
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, slack_ok,
                                      strlen (slack_ok));
  else if (g_str_has_suffix (path, "/incidents.json"))
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
  else if (g_str_has_suffix (path, ".rss"))
    soup_server_message_set_response (message, "application/rss+xml", SOUP_MEMORY_STATIC,
                                      rss_empty, strlen (rss_empty));
  else
    soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC, "<p>ok</p>", 9);
}

static guint16
unused_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, NULL))
    return 1;
  bound = g_socket_get_local_address (socket, NULL);
  return bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 1;
}

/* "https://slack.com/x" → "https://slack.com:PORT/x", and "slack.com:PORT:127.0.0.1" for curl. */
static char *
move_to_port (const char   *url,
              guint16       port,
              GStrvBuilder *resolve)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) moved = NULL;
  g_autofree char *entry = NULL;

  if (uri == NULL)
    return g_strdup (url);
  moved = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri), port,
                       g_uri_get_path (uri), g_uri_get_query (uri), NULL);
  entry = g_strdup_printf ("%s:%u:127.0.0.1", g_uri_get_host (uri), port);
  g_strv_builder_add (resolve, entry);
  return g_uri_to_string (moved);
}

static VigieCatalog *
local_catalog (const char   *path,
               guint16       port,
               guint16       closed_port,
               GStrvBuilder *resolve)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;
  VigieCatalog *catalog;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &error))
    die (path, error);
  for (guint i = 0; watched[i] != NULL; i++)
    {
      g_autofree char *group = g_strdup_printf ("Service %s", watched[i]);
      g_autofree char *site = g_key_file_get_string (key_file, group, "Site", NULL);
      g_autofree char *feed = g_key_file_get_string (key_file, group, "Feed", NULL);
      gboolean down = g_strv_contains (meta, watched[i]);
      g_autofree char *moved = move_to_port (site, down ? closed_port : port, resolve);

      g_key_file_set_string (key_file, group, "Site", moved);
      if (feed != NULL && strchr (feed, ':') != NULL)
        {
          g_autofree char *kind = g_strndup (feed, strchr (feed, ':') - feed);
          g_autofree char *feed_url = move_to_port (strchr (feed, ':') + 1, port, resolve);
          g_autofree char *moved_feed = g_strdup_printf ("%s:%s", kind, feed_url);
          g_key_file_set_string (key_file, group, "Feed", moved_feed);
        }
    }
  data = g_key_file_to_data (key_file, &length, NULL);
  catalog = vigie_catalog_new_from_data (data, length, path, &error);
  if (catalog == NULL)
    die ("catalog", error);
  return catalog;
}

/* ---- the 26 hours before ------------------------------------------------- */

static VigieFeedReport *
official (VigieOfficialLevel  level,
          const char         *title,
          const char         *update)
{
  VigieFeedReport *report = vigie_feed_report_new ();

  report->level = level;
  if (title != NULL)
    {
      VigieFeedIncident *incident = g_new0 (VigieFeedIncident, 1);
      incident->title = g_strdup (title);
      incident->level = level;
      incident->latest_update = g_strdup (update);
      g_ptr_array_add (level == VIGIE_OFFICIAL_MAINTENANCE ? report->maintenances
                                                           : report->incidents,
                       incident);
    }
  return report;
}

static VigieObservation *
observe (VigieService *service,
         gint64        t,
         gint64        now)
{
  VigieObservation *o = g_new0 (VigieObservation, 1);
  gint64 ago = now - t;
  /* Latencies that look like a real afternoon, not a constant. */
  double jitter = (double) ((t / G_USEC_PER_SEC) % 37);

  o->service = vigie_service_ref (service);
  o->observed_at = t;
  o->layer = VIGIE_LAYER_OK;
  o->http_status = 200;
  o->latency_ms = 90 + jitter * 3;

  if ((g_strv_contains (meta, service->id) && ago <= 2 * HOUR + 14 * MINUTE + 30 * G_USEC_PER_SEC)
      /* A first alert in the morning that did not last. */
      || (g_str_equal (service->id, "instagram") && ago <= 7 * HOUR && ago > 6 * HOUR + 25 * MINUTE))
    {
      o->layer = VIGIE_LAYER_CONNECT;
      o->http_status = 0;
      o->message = g_strdup ("Connection refused");
    }
  if (service->feed_kind == VIGIE_FEED_NONE)
    return o;

  if (g_str_equal (service->id, "google-workspace") && ago <= 21 * HOUR && ago > 20 * HOUR + 25 * MINUTE)
    o->official = official (VIGIE_OFFICIAL_MINOR, "Google Docs: some users can't open documents",
                            "We have identified the cause and are rolling out a fix.");
  else if (g_str_equal (service->id, "notion") && ago <= 9 * HOUR && ago > 8 * HOUR)
    o->official = official (VIGIE_OFFICIAL_MAINTENANCE, "Scheduled database maintenance",
                            "Maintenance is in progress.");
  else if (g_str_equal (service->id, "messenger") && ago <= 16 * HOUR && ago > 15 * HOUR + 5 * MINUTE)
    o->official = official (VIGIE_OFFICIAL_MINOR, "Messenger Platform: delays in message delivery",
                            "Some messages sent through the API are delayed.");
  else if (g_str_equal (service->id, "slack") && ago <= 5 * HOUR && ago > 4 * HOUR + 35 * MINUTE)
    o->official = official (VIGIE_OFFICIAL_MINOR, "Some users may have trouble loading messages",
                            "We're investigating reports of slow message loading.");
  else
    o->official = official (VIGIE_OFFICIAL_OPERATIONAL, NULL, NULL);
  return o;
}

static void
play_round (VigieMonitor *monitor,
            VigieHistory *history,
            GPtrArray    *services,
            gint64        t,
            gint64        now)
{
  g_autoptr(GPtrArray) observations =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_observation_free);
  g_autoptr(GPtrArray) transitions = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < services->len; i++)
    g_ptr_array_add (observations, observe (g_ptr_array_index (services, i), t, now));
  transitions = vigie_tracker_observe (vigie_monitor_get_tracker (monitor),
                                       VIGIE_CONNECTIVITY_ONLINE, observations, t);
  if (!vigie_history_record (history, transitions, &error))
    die ("history", error);
}

static void
on_startup (GApplication *application,
            Scenario     *s)
{
  VigieMonitor *monitor = vigie_application_get_monitor (s->app);
  GPtrArray *services = vigie_monitor_get_services (monitor);
  gint64 outage = s->now - 2 * HOUR - 14 * MINUTE;

  /* A round every ten minutes, and the retries (every 15 s) that confirm
   * the outage, as the monitor would have run them. */
  for (gint64 t = s->now - 26 * HOUR; t < outage - 30 * G_USEC_PER_SEC; t += 10 * MINUTE)
    play_round (monitor, s->history, services, t, s->now);
  for (gint64 t = outage - 30 * G_USEC_PER_SEC; t <= outage; t += 15 * G_USEC_PER_SEC)
    play_round (monitor, s->history, services, t, s->now);
  for (gint64 t = outage + 10 * MINUTE; t < s->now - MINUTE; t += 10 * MINUTE)
    play_round (monitor, s->history, services, t, s->now);
}

/* ---- the applet ----------------------------------------------------------- */

/* Says which window to capture, by title (the script finds it with xdotool). */
static gboolean
say_ready (gpointer user_data)
{
  Scenario *s = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (s->app));

  for (GList *l = windows; l != NULL; l = l->next)
    if (gtk_widget_get_visible (l->data))
      {
        g_print ("ready %s\n", gtk_window_get_title (l->data));
        fflush (stdout);
        break;
      }
  return G_SOURCE_REMOVE;
}

static void
on_round_finished (VigieMonitor *monitor,
                   gpointer      round,
                   Scenario     *s)
{
  if (s->ready)
    return;
  s->ready = TRUE;
  /* Time to draw (and for a spinner to stop). */
  g_timeout_add (1500, say_ready, s);
}

static void
on_activate (GApplication *application,
             Scenario     *s)
{
  VigieMonitor *monitor = vigie_application_get_monitor (s->app);

  g_signal_connect (monitor, "round-finished", G_CALLBACK (on_round_finished), s);
  g_action_group_activate_action (G_ACTION_GROUP (application),
                                  g_str_equal (s->window, "details") ? "details" : "preferences",
                                  NULL);
  /* Another page of the preferences, to look at it (not used by the script). */
  if (g_getenv ("VIGIE_SCENARIO_PAGE") != NULL)
    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (s->app)); l; l = l->next)
      if (VIGIE_IS_PREFERENCES (l->data))
        vigie_preferences_show_page (l->data, g_getenv ("VIGIE_SCENARIO_PAGE"));
  /* As tall as the 1280×800 screen allows, to show more rows. */
  if (vigie_application_get_details (s->app) != NULL)
    gtk_window_resize (vigie_application_get_details (s->app), 760, 770);
}

static gboolean
on_terminate (gpointer user_data)
{
  g_application_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* The script closes our standard input when it has its picture: through
 * dbus-run-session, that is easier to get to us than a signal. */
static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buffer[256];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n > 0)
    return G_SOURCE_CONTINUE;
  g_application_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  static VigieHttpOptions http_options;
  g_autoptr(GStrvBuilder) resolve = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(VigieCatalog) catalog = NULL;
  g_autoptr(VigieConfig) config = NULL;
  g_autofree char *state = NULL;
  g_autofree char *check = NULL;
  g_auto(GStrv) resolve_entries = NULL;
  g_autoptr(GSList) uris = NULL;
  Scenario s = { 0 };
  guint16 port, closed_port;
  int status;

  if (argc != 6)
    {
      g_printerr ("usage: %s SERVICES_INI CA_PEM CERT_PEM KEY_PEM details|preferences\n", argv[0]);
      return 2;
    }
  s.window = argv[5];
  s.now = g_get_real_time ();
  /* As the program does; the script points VIGIE_LOCALEDIR at the build tree. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VIGIE_LOCALEDIR") ? g_getenv ("VIGIE_LOCALEDIR")
                                                                : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  vigie_http_global_init ();
  gtk_init (NULL, NULL);

  certificate = g_tls_certificate_new_from_files (argv[3], argv[4], &error);
  if (certificate == NULL)
    die (argv[3], error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, on_request, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY,
                                 &error))
    die ("listen", error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  closed_port = unused_port ();

  catalog = local_catalog (argv[1], port, closed_port, resolve);
  check = move_to_port ("https://connectivitycheck.gstatic.com/generate_204", port, resolve);
  resolve_entries = g_strv_builder_end (resolve);
  http_options.ca_file = argv[2];
  http_options.resolve = resolve_entries;

  {
    g_autofree char *path = vigie_config_default_path ();
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *services = g_strjoinv (";", (char **) watched);
    g_autofree char *text = g_strdup_printf ("[General]\nServices=%s\n[Connectivity]\nURLs=%s\n"
                                             "[Notifications]\nQuietHours=22:00-07:00\n"
                                             "QuietHoursAllow=slack\n",
                                             services, check);
    g_mkdir_with_parents (dir, 0700);
    if (!g_file_set_contents (path, text, -1, &error))
      die (path, error);
    config = vigie_config_new (catalog, path);
    if (!vigie_config_load (config, &error))
      die ("settings", error);
  }

  state = g_build_filename (g_get_user_state_dir (), "vigie", "history.db", NULL);
  g_remove (state);
  s.history = vigie_history_open (state, &error);
  if (s.history == NULL)
    die ("history", error);

  s.app = vigie_application_new (config, s.history, &http_options, FALSE);
  g_application_set_flags (G_APPLICATION (s.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (s.app, "startup", G_CALLBACK (on_startup), &s);
  g_signal_connect_after (s.app, "activate", G_CALLBACK (on_activate), &s);
  g_unix_signal_add (SIGTERM, on_terminate, s.app);
  g_unix_signal_add (SIGINT, on_terminate, s.app);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP, on_stdin, s.app);

  status = g_application_run (G_APPLICATION (s.app), 0, NULL);
  g_clear_object (&s.app);
  g_clear_object (&s.history);
  return status;
}
