/* test-windows.c — the details window, the timeline and the preferences,
 * driven through their widgets under Xvfb: what a click or a keystroke
 * changes in the settings file on disk, what the details window shows for
 * services on a loopback stand-in and a seeded outage log, and the words
 * and geometry behind them. TZ is UTC so that times read the same
 * everywhere. */
#include "config.h"

#include <glib/gstdio.h>

#include "vigie-application.h"
#include "vigie-preferences.h"
#include "vigie-test-app.h"
#include "vigie-timeline.h"
#include "vigie-window.h"

#define HOUR_US ((gint64) 3600 * G_USEC_PER_SEC)

static const char *const meta_ids[] = {
  "facebook", "instagram", "threads", "messenger", "whatsapp", "whatsapp-business",
  "meta-ads-manager", "meta-business-suite", NULL,
};

typedef struct
{
  char *tmp;
  char *ini;
  VigieCatalog *catalog;
  VigieConfig *config;
  VigieHistory *history;
  VigieMonitor *monitor;
  VigieTestServer *server;
  GtkWidget *window;
} Fixture;

/* ---- helpers ------------------------------------------------------------ */

static void
load_settings (Fixture    *f,
               const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (f->ini, text, -1, &error);
  g_assert_no_error (error);
  f->config = vigie_test_config_load (f->catalog, f->ini);
  f->monitor = vigie_monitor_new (f->config, f->history, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->tmp = vigie_test_make_tmp_dir ("vigie-windows-XXXXXX");
  f->ini = g_build_filename (f->tmp, "vigie.ini", NULL);
  db = g_build_filename (f->tmp, "history.db", NULL);
  f->catalog = vigie_test_catalog_new ();
  f->history = vigie_test_history_open (db);
  f->server = vigie_test_server_new (FALSE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_widget_destroy (f->window);
  if (f->monitor != NULL)
    vigie_monitor_stop (f->monitor);
  g_clear_object (&f->monitor);
  g_clear_object (&f->config);
  g_clear_object (&f->history);
  g_clear_object (&f->catalog);
  g_clear_pointer (&f->server, vigie_test_server_free);
  vigie_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->ini);
}

static char *
read_settings (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (f->ini, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

typedef struct
{
  const char *name;
  GtkWidget *found;
} Search;

static void
find_in (GtkWidget *widget,
         gpointer   user_data)
{
  Search *search = user_data;

  if (search->found != NULL)
    return;
  if (g_strcmp0 (gtk_widget_get_name (widget), search->name) == 0)
    {
      search->found = widget;
      return;
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_in, search);
}

/* The descendant of @root named @name, visible or not. */
static GtkWidget *
find (GtkWidget  *root,
      const char *name)
{
  Search search = { name, NULL };

  gtk_container_forall (GTK_CONTAINER (root), find_in, &search);
  g_assert_nonnull (search.found);
  return search.found;
}

static const char *
label_text (GtkWidget  *root,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (find (root, name)));
}

static gboolean
shown (GtkWidget  *root,
       const char *name)
{
  return gtk_widget_get_visible (find (root, name));
}

static VigiePreferences *
open_preferences (Fixture *f)
{
  VigiePreferences *preferences = vigie_preferences_new (NULL, f->monitor);

  f->window = GTK_WIDGET (preferences);
  gtk_widget_show (f->window);
  return preferences;
}

/* A row of the services list is shown when the filter lets it through. */
static gboolean
row_shown (VigiePreferences *preferences,
           const char       *id)
{
  GtkWidget *check = GTK_WIDGET (vigie_preferences_get_service_check (preferences, id));

  g_assert_nonnull (check);
  return gtk_widget_get_child_visible (gtk_widget_get_parent (check));
}

typedef struct
{
  VigiePreferences *preferences;
  const char *kept;
  const char *hidden;
} Filtered;

static gboolean
is_filtered (gpointer data)
{
  Filtered *filtered = data;
  return row_shown (filtered->preferences, filtered->kept)
         && !row_shown (filtered->preferences, filtered->hidden);
}

/* Types @text in the search entry and waits for the list to follow (the
 * entry reports a search a moment after the last keystroke): until @kept
 * is shown and @hidden is not. */
static void
search_for (VigiePreferences *preferences,
            const char       *text,
            const char       *kept,
            const char       *hidden)
{
  Filtered filtered = { preferences, kept, hidden };

  gtk_entry_set_text (GTK_ENTRY (find (GTK_WIDGET (preferences), "search")), text);
  vigie_test_wait_for (is_filtered, &filtered, 5000);
}

/* ---- preferences: services ---------------------------------------------- */

static void
test_search_and_tick (Fixture       *f,
                      gconstpointer  data)
{
  VigiePreferences *preferences;
  g_autofree char *contents = NULL;

  load_settings (f, "[General]\nServices=facebook\n");
  preferences = open_preferences (f);
  g_assert_cmpstr (label_text (f->window, "watched-count"), ==, "1 service watched");
  g_assert_true (gtk_toggle_button_get_active (vigie_preferences_get_service_check (preferences,
                                                                                    "facebook")));
  g_assert_false (gtk_toggle_button_get_active (vigie_preferences_get_service_check (preferences,
                                                                                     "instagram")));

  search_for (preferences, "insta", "instagram", "facebook");
  g_assert_true (row_shown (preferences, "instagram"));
  g_assert_false (row_shown (preferences, "slack"));
  /* "insta" is no company's name: no "All … services" offer. */
  g_assert_null (vigie_preferences_get_provider_toggle (preferences, "Meta"));

  gtk_button_clicked (GTK_BUTTON (vigie_preferences_get_service_check (preferences, "instagram")));
  contents = read_settings (f);
  g_assert_nonnull (strstr (contents, "Services=facebook;instagram;\n"));
  g_assert_true (vigie_config_is_watched (f->config, "instagram"));
  g_assert_cmpstr (label_text (f->window, "watched-count"), ==, "2 services watched");

  /* Unticking removes it, and keeps the rest in the user's order. */
  gtk_button_clicked (GTK_BUTTON (vigie_preferences_get_service_check (preferences, "instagram")));
  g_clear_pointer (&contents, g_free);
  contents = read_settings (f);
  g_assert_nonnull (strstr (contents, "Services=facebook;\n"));
}

static void
test_search_ignores_accents (Fixture       *f,
                             gconstpointer  data)
{
  VigiePreferences *preferences;

  load_settings (f, "[General]\nServices=facebook\n");
  preferences = open_preferences (f);

  /* "Social networks" is the category: accents and case do not matter. */
  search_for (preferences, "SÓCIÂL", "facebook", "slack");
  g_assert_true (row_shown (preferences, "facebook"));
  g_assert_true (row_shown (preferences, "bluesky"));
  /* The provider counts too. */
  search_for (preferences, "atlässian", "jira", "facebook");
  g_assert_true (row_shown (preferences, "jira"));
  g_assert_true (row_shown (preferences, "trello"));
  /* And the id. */
  search_for (preferences, "google-workspace", "google-workspace", "jira");
  g_assert_false (row_shown (preferences, "gmail"));
  g_assert_true (row_shown (preferences, "google-workspace"));
}

static void
test_all_meta_services (Fixture       *f,
                        gconstpointer  data)
{
  VigiePreferences *preferences;
  GtkToggleButton *toggle;
  g_autofree char *contents = NULL;

  load_settings (f, "[General]\nServices=slack;instagram\n");
  preferences = open_preferences (f);
  search_for (preferences, "meta", "threads", "slack");

  toggle = vigie_preferences_get_provider_toggle (preferences, "Meta");
  g_assert_nonnull (toggle);
  g_assert_true (g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (toggle)),
                                   "All Meta services"));
  /* One of them is watched already: neither all nor none. */
  g_assert_true (gtk_toggle_button_get_inconsistent (toggle));

  gtk_button_clicked (GTK_BUTTON (toggle));
  for (guint i = 0; meta_ids[i] != NULL; i++)
    {
      g_assert_true (vigie_config_is_watched (f->config, meta_ids[i]));
      g_assert_true (gtk_toggle_button_get_active (
        vigie_preferences_get_service_check (preferences, meta_ids[i])));
    }
  g_assert_true (gtk_toggle_button_get_active (toggle));
  g_assert_false (gtk_toggle_button_get_inconsistent (toggle));
  contents = read_settings (f);
  g_assert_nonnull (strstr (contents, "Services=slack;instagram;facebook;threads;messenger;"
                                      "whatsapp;whatsapp-business;meta-ads-manager;"
                                      "meta-business-suite;\n"));
  g_assert_cmpstr (label_text (f->window, "watched-count"), ==, "9 services watched");

  /* Once all are watched, the same click unwatches them all. */
  gtk_button_clicked (GTK_BUTTON (toggle));
  g_clear_pointer (&contents, g_free);
  contents = read_settings (f);
  g_assert_nonnull (strstr (contents, "Services=slack;\n"));
  g_assert_false (gtk_toggle_button_get_active (toggle));
}

/* ---- preferences: your services ----------------------------------------- */

static void
open_editor (Fixture    *f,
             const char *name,
             const char *site,
             const char *status_page)
{
  gtk_button_clicked (GTK_BUTTON (find (f->window, "add-service")));
  gtk_entry_set_text (GTK_ENTRY (find (f->window, "custom-name")), name);
  gtk_entry_set_text (GTK_ENTRY (find (f->window, "custom-site")), site);
  gtk_entry_set_text (GTK_ENTRY (find (f->window, "custom-status-page")), status_page);
}

static gboolean
settings_mention (gpointer data)
{
  Fixture *f = data;
  g_autofree char *contents = read_settings (f);

  return strstr (contents, "[Service intranet]") != NULL;
}

static gboolean
not_detecting (gpointer data)
{
  return !vigie_preferences_is_detecting (data);
}

static void
test_custom_service_detected (Fixture       *f,
                              gconstpointer  data)
{
  VigiePreferences *preferences;
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", "feeds",
                                                    "statuspage-operational.json", NULL);
  g_autofree char *summary = NULL;
  g_autofree char *page = vigie_test_server_get_url (f->server, "/");
  g_autofree char *wiki_page = vigie_test_server_get_url (f->server, "/wiki/status");
  g_autofree char *site = vigie_test_server_get_url (f->server, "/ok");
  g_autofree char *feed = vigie_test_server_get_url (f->server, "/api/v2/summary.json");
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (fixture, &summary, NULL, &error);
  g_assert_no_error (error);
  vigie_test_server_set_route (f->server, "/api/v2/summary.json", 200, "application/json",
                               summary);
  load_settings (f, "[General]\nServices=slack\n");
  preferences = open_preferences (f);
  vigie_preferences_show_page (preferences, "custom");

  open_editor (f, "Intranet", site, page);
  /* The id follows the name until the user types one. */
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (find (f->window, "custom-id"))), ==, "intranet");
  gtk_button_clicked (GTK_BUTTON (find (f->window, "detect")));
  g_assert_true (vigie_preferences_is_detecting (preferences));
  vigie_test_wait_for (not_detecting, preferences, 10000);
  g_assert_cmpstr (label_text (f->window, "detect-result"), ==, "Detected: Atlassian Statuspage");
  g_assert_false (settings_mention (f));

  /* Detected already: saving needs no second look. */
  gtk_button_clicked (GTK_BUTTON (find (f->window, "save-service")));
  g_assert_false (vigie_preferences_is_detecting (preferences));
  g_assert_true (settings_mention (f));

  contents = read_settings (f);
  expected = g_strdup_printf ("[Service intranet]\nName=Intranet\nSite=%s\nStatusPage=%s\n"
                              "Feed=statuspage:%s\n",
                              site, page, feed);
  g_assert_nonnull (strstr (contents, expected));
  g_assert_nonnull (strstr (contents, "Services=slack;intranet;\n"));
  g_assert_true (g_str_has_prefix (feed, "http://127.0.0.1:"));
  /* The editor closed, the list shows it, and so does the services page. */
  g_assert_true (gtk_widget_get_child_visible (find (f->window, "custom-services")));
  g_assert_nonnull (find (find (f->window, "custom-services"), "intranet"));
  g_assert_true (gtk_toggle_button_get_active (vigie_preferences_get_service_check (preferences,
                                                                                    "intranet")));
  g_assert_true (vigie_config_is_watched (f->config, "intranet"));

  /* Add straight away: the detection runs first, then it is saved. A page
   * below the site's root finds the feed at the root. */
  open_editor (f, "Wiki", site, wiki_page);
  gtk_button_clicked (GTK_BUTTON (find (f->window, "save-service")));
  g_assert_true (vigie_preferences_is_detecting (preferences));
  vigie_test_wait_for (not_detecting, preferences, 10000);
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&expected, g_free);
  contents = read_settings (f);
  expected = g_strdup_printf ("[Service wiki]\nName=Wiki\nSite=%s\nStatusPage=%s\n"
                              "Feed=statuspage:%s\n",
                              site, wiki_page, feed);
  g_assert_nonnull (strstr (contents, expected));
  g_assert_nonnull (strstr (contents, "Services=slack;intranet;wiki;\n"));
}

static void
test_custom_service_no_feed (Fixture       *f,
                             gconstpointer  data)
{
  VigiePreferences *preferences;
  g_autofree char *page = vigie_test_server_get_url (f->server, "/nothing-here/");
  g_autofree char *site = vigie_test_server_get_url (f->server, "/ok");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  load_settings (f, "[General]\nServices=slack\n");
  before = read_settings (f);
  preferences = open_preferences (f);
  vigie_preferences_show_page (preferences, "custom");
  open_editor (f, "Intranet", site, page);

  /* No known feed there: said under the field, and nothing saved yet. */
  gtk_button_clicked (GTK_BUTTON (find (f->window, "save-service")));
  g_assert_true (vigie_preferences_is_detecting (preferences));
  vigie_test_wait_for (not_detecting, preferences, 10000);
  g_assert_true (g_str_has_prefix (label_text (f->window, "detect-result"),
                                   "No status feed Vigie knows was found"));
  after = read_settings (f);
  g_assert_cmpstr (after, ==, before);

  /* Saving again, knowingly, stores the page without a feed. */
  gtk_button_clicked (GTK_BUTTON (find (f->window, "save-service")));
  g_clear_pointer (&after, g_free);
  after = read_settings (f);
  g_assert_nonnull (strstr (after, "[Service intranet]\nName=Intranet\n"));
  g_assert_nonnull (strstr (after, "StatusPage="));
  g_assert_null (strstr (after, "Feed="));
}

static void
test_custom_service_refused (Fixture       *f,
                             gconstpointer  data)
{
  static const struct
  {
    const char *name, *site, *status_page, *error_label, *message;
  } cases[] = {
    { "Files", "ftp://x", "", "site-error", "“ftp://x” must start with https:// or http://" },
    { "Files", "http://[::1/", "", "site-error", "“http://[::1/” is not a valid URL" },
    { "Files", "not a url", "", "site-error", "“not a url” contains a space" },
    { "Files", "", "", "site-error", "Enter the address Vigie should check" },
    { "Files", "https://files.example/", "not a url", "detect-result",
      "Enter a full web address, starting with https:// or http://" },
    { "Files", "https://files.example/", "ftp://x/status", "detect-result",
      "“ftp://x/status” must start with https:// or http://" },
    { "Facebook", "https://files.example/", "", "id-error",
      "Vigie already knows a service by this id" },
    { "", "https://files.example/", "", "name-error", "Give the service a name" },
    { "-", "https://files.example/", "", "id-error", "Use only lowercase letters" },
  };
  g_autofree char *before = NULL;

  load_settings (f, "[General]\nServices=slack\n");
  before = read_settings (f);
  open_preferences (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *after = NULL;

      g_test_message ("case %u: %s, %s, %s", i, cases[i].name, cases[i].site,
                      cases[i].status_page);
      open_editor (f, cases[i].name, cases[i].site, cases[i].status_page);
      gtk_button_clicked (GTK_BUTTON (find (f->window, "save-service")));
      vigie_test_spin (20);
      g_assert_true (shown (f->window, cases[i].error_label));
      g_assert_true (g_str_has_prefix (label_text (f->window, cases[i].error_label),
                                       cases[i].message));
      after = read_settings (f);
      g_assert_cmpstr (after, ==, before);
      g_assert_null (vigie_config_lookup_service (f->config, "files"));
      gtk_button_clicked (GTK_BUTTON (find (f->window, "cancel-service")));
    }

  /* An id of one's own that is taken. */
  g_assert_true (vigie_config_set_custom_service (f->config, "files", "Files",
                                                  "https://files.example/", NULL, NULL, NULL));
  g_assert_true (vigie_config_save (f->config, NULL));
  g_clear_pointer (&before, g_free);
  before = read_settings (f);
  open_editor (f, "Files", "https://other.example/", "");
  gtk_button_clicked (GTK_BUTTON (find (f->window, "save-service")));
  g_assert_cmpstr (label_text (f->window, "id-error"), ==,
                   "You already have a service with this id");
  {
    g_autofree char *after = read_settings (f);
    g_assert_cmpstr (after, ==, before);
  }
}

/* ---- preferences: checking, general ------------------------------------- */

static void
test_checking (Fixture       *f,
               gconstpointer  data)
{
  VigiePreferences *preferences;
  GtkSpinButton *interval;
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  load_settings (f, "[General]\nServices=slack\n");
  preferences = open_preferences (f);
  vigie_preferences_show_page (preferences, "checking");
  g_assert_cmpstr (label_text (f->window, "worst-case"), ==,
                   "Worst case: an outage is confirmed within 1 min 40 s");

  interval = vigie_preferences_get_setting_spin (preferences, VIGIE_SETTING_INTERVAL);
  gtk_spin_button_set_value (interval, 120);
  g_assert_cmpstr (label_text (f->window, "worst-case"), ==,
                   "Worst case: an outage is confirmed within 2 min 40 s");
  contents = read_settings (f);
  g_assert_nonnull (strstr (contents, "Interval=120\n"));
  g_clear_pointer (&contents, g_free);

  /* An interval shorter than the retry brings the retry down with it. */
  gtk_spin_button_set_value (interval, 10);
  contents = read_settings (f);
  g_assert_nonnull (strstr (contents, "\nInterval=10\n"));
  g_assert_nonnull (strstr (contents, "RetryInterval=10\n"));
  g_assert_cmpstr (label_text (f->window, "worst-case"), ==,
                   "Worst case: an outage is confirmed within 40 s");
  g_assert_cmpfloat (gtk_spin_button_get_value (
                       vigie_preferences_get_setting_spin (preferences,
                                                           VIGIE_SETTING_RETRY_INTERVAL)),
                     ==, 10);

  /* Connection checks: a bad address is refused where it was typed. */
  before = read_settings (f);
  gtk_entry_set_text (GTK_ENTRY (find (f->window, "connectivity-url")), "ftp://x/check");
  gtk_button_clicked (GTK_BUTTON (find (f->window, "add-url")));
  g_assert_true (shown (f->window, "url-error"));
  g_assert_nonnull (strstr (label_text (f->window, "url-error"), "must start with https://"));
  after = read_settings (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  gtk_entry_set_text (GTK_ENTRY (find (f->window, "connectivity-url")),
                      "http://portal.example/check");
  g_assert_false (shown (f->window, "url-error"));
  gtk_button_clicked (GTK_BUTTON (find (f->window, "add-url")));
  after = read_settings (f);
  g_assert_nonnull (strstr (after, "[Connectivity]\nURLs=https://connectivitycheck.gstatic.com/"
                                   "generate_204;https://detectportal.firefox.com/success.txt;"
                                   "https://nmcheck.gnome.org/check_network_status.txt;"
                                   "http://portal.example/check;\n"));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (find (f->window, "connectivity-url"))), ==, "");
}

static void
test_notifications_and_hook (Fixture       *f,
                             gconstpointer  data)
{
  VigiePreferences *preferences;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  load_settings (f, "[General]\nServices=slack;notion\n");
  preferences = open_preferences (f);
  vigie_preferences_show_page (preferences, "notifications");

  gtk_switch_set_active (GTK_SWITCH (find (f->window, "notify-recovered")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (find (f->window, "quiet-hours")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (f->window, "quiet-start-hour")), 21);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (f->window, "quiet-end-hour")), 6);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (f->window, "quiet-end-minute")), 30);
  gtk_button_clicked (GTK_BUTTON (find (find (f->window, "quiet-allow"), "notion")));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (find (f->window, "reminder")), "30");
  after = read_settings (f);
  g_assert_nonnull (strstr (after, "Recovered=false\n"));
  g_assert_nonnull (strstr (after, "QuietHours=21:00-06:30\n"));
  g_assert_nonnull (strstr (after, "QuietHoursAllow=notion;\n"));
  g_assert_nonnull (strstr (after, "Reminder=30\n"));
  g_assert_true (vigie_config_in_quiet_hours (f->config, 22 * 60));
  g_assert_false (vigie_config_in_quiet_hours (f->config, 6 * 60 + 30));
  g_clear_pointer (&after, g_free);

  /* A command that cannot be split into words is refused, not saved. */
  vigie_preferences_show_page (preferences, "general");
  before = read_settings (f);
  gtk_entry_set_text (GTK_ENTRY (find (f->window, "hook")), "notify-team --channel 'ops");
  gtk_button_clicked (GTK_BUTTON (find (f->window, "hook-apply")));
  g_assert_true (shown (f->window, "hook-error"));
  g_assert_true (g_str_has_prefix (label_text (f->window, "hook-error"),
                                   "This command cannot be read: "));
  after = read_settings (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_null (vigie_config_get_hook_command (f->config));
  g_clear_pointer (&after, g_free);

  gtk_entry_set_text (GTK_ENTRY (find (f->window, "hook")), "notify-team --channel 'ops'");
  g_assert_false (shown (f->window, "hook-error"));
  gtk_widget_activate (find (f->window, "hook"));
  after = read_settings (f);
  g_assert_nonnull (strstr (after, "[Hooks]\nOnChange=notify-team --channel 'ops'\n"));
  g_assert_false (gtk_widget_get_sensitive (find (f->window, "hook-apply")));
}

/* ---- the timeline ------------------------------------------------------- */

static void
test_timeline_geometry (void)
{
  /* 2021-10-04T00:00:00Z; the window is the last 24 hours before 24:00. */
  const gint64 day0 = (gint64) 1633305600 * G_USEC_PER_SEC;
  const gint64 to = day0 + 24 * HOUR_US, from = day0;
  VigieSegment parts[] = {
    { VIGIE_STATE_OPERATIONAL, from, day0 + 10 * HOUR_US },
    { VIGIE_STATE_DOWN, day0 + 10 * HOUR_US, day0 + 12 * HOUR_US },
    { VIGIE_STATE_OPERATIONAL, day0 + 12 * HOUR_US, to },
  };
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (VigieSegment));
  GtkWidget *timeline = g_object_ref_sink (vigie_timeline_new ());
  const VigieSegment *at;
  g_autofree char *down = NULL;
  g_autofree char *last = NULL;
  g_autofree char *all = NULL;
  const char *description;

  g_assert_cmpfloat (vigie_timeline_x_for_time (from, to, 240, from), ==, 0);
  g_assert_cmpfloat (vigie_timeline_x_for_time (from, to, 240, day0 + 10 * HOUR_US), ==, 100);
  g_assert_cmpfloat (vigie_timeline_x_for_time (from, to, 240, day0 + 12 * HOUR_US), ==, 120);
  g_assert_cmpfloat (vigie_timeline_x_for_time (from, to, 240, to), ==, 240);
  /* Outside the window: clamped to its edges. */
  g_assert_cmpfloat (vigie_timeline_x_for_time (from, to, 240, from - HOUR_US), ==, 0);
  g_assert_cmpfloat (vigie_timeline_x_for_time (from, to, 240, to + HOUR_US), ==, 240);

  g_array_append_vals (segments, parts, G_N_ELEMENTS (parts));
  vigie_timeline_set_segments (VIGIE_TIMELINE (timeline), segments, from, to);
  g_assert_cmpuint (vigie_timeline_get_segments (VIGIE_TIMELINE (timeline))->len, ==, 3);

  at = vigie_timeline_segment_at (VIGIE_TIMELINE (timeline), 110, 240);
  g_assert_nonnull (at);
  g_assert_cmpint (at->state, ==, VIGIE_STATE_DOWN);
  g_assert_cmpint (at->start_us, ==, day0 + 10 * HOUR_US);
  g_assert_cmpint (at->end_us, ==, day0 + 12 * HOUR_US);
  at = vigie_timeline_segment_at (VIGIE_TIMELINE (timeline), 99, 240);
  g_assert_cmpint (at->state, ==, VIGIE_STATE_OPERATIONAL);
  at = vigie_timeline_segment_at (VIGIE_TIMELINE (timeline), 240, 240);
  g_assert_cmpint (at->state, ==, VIGIE_STATE_OPERATIONAL);
  g_assert_null (vigie_timeline_segment_at (VIGIE_TIMELINE (timeline), 241, 240));

  /* The tooltip's words, as a person reads them the same day. */
  down = vigie_timeline_describe_segment (&parts[1], to, day0 + 23 * HOUR_US);
  g_assert_cmpstr (down, ==, "Down: 10:00 – 12:00 (2 h)");
  last = vigie_timeline_describe_segment (&parts[2], to, day0 + 23 * HOUR_US);
  g_assert_cmpstr (last, ==, "Operational since 12:00 (12 h)");

  /* Screen readers get the whole day. */
  all = vigie_timeline_describe (VIGIE_TIMELINE (timeline));
  g_assert_nonnull (strstr (all, "Down: "));
  g_assert_true (g_str_has_prefix (all, "Last 24 hours: Operational: "));
  description = atk_object_get_description (gtk_widget_get_accessible (timeline));
  g_assert_cmpstr (description, ==, all);
  g_object_unref (timeline);
}

/* ---- the details window -------------------------------------------------- */

static gboolean
rounds_done (gpointer data)
{
  Fixture *f = data;
  const VigieServiceStatus *status =
    vigie_tracker_lookup (vigie_monitor_get_tracker (f->monitor), "ig");

  return vigie_monitor_get_n_rounds (f->monitor) >= 1 && status != NULL
         && status->state == VIGIE_STATE_DOWN;
}

static gboolean
facebook_back (gpointer data)
{
  Fixture *f = data;
  const VigieServiceStatus *status =
    vigie_tracker_lookup (vigie_monitor_get_tracker (f->monitor), "fb");

  return status != NULL && status->state == VIGIE_STATE_OPERATIONAL;
}

static void
record (VigieHistory *history,
        const char   *id,
        VigieState    from,
        VigieState    to,
        gint64        at)
{
  g_autoptr(GPtrArray) transitions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  VigieTransition *t = vigie_transition_new ();
  g_autoptr(GError) error = NULL;

  t->service_id = g_strdup (id);
  t->service_name = g_strdup (id);
  t->provider = g_strdup (id);
  t->from = from;
  t->to = to;
  t->at = at;
  g_ptr_array_add (transitions, t);
  g_assert_true (vigie_history_record (history, transitions, &error));
  g_assert_no_error (error);
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GString) settings = g_string_new ("[General]\nServices=sl;fb;ig\nInterval=10\n"
                                              "RetryInterval=5\nTimeout=2\nFailuresBeforeDown=1\n"
                                              "SuccessesBeforeUp=1\n");
  g_autofree char *check = vigie_test_server_get_url (f->server, "/check");
  const char *services[][3] = { { "fb", "Facebook", "Meta" }, { "ig", "Instagram", "Meta" },
                                { "sl", "Slack", "Slack" } };
  gint64 now = g_get_real_time ();
  VigieWindow *window;
  GtkWidget *slack_row, *instagram_row;
  g_auto(GStrv) order = NULL;
  GArray *segments;
  gboolean seen_down = FALSE;
  g_autofree char *csv_path = g_build_filename (f->tmp, "outages.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_string_append_printf (settings, "[Connectivity]\nURLs=%s\n", check);
  vigie_test_server_set_route (f->server, "/check", 200, "text/plain", "ok");
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *path = g_strdup_printf ("/%s", services[i][0]);
      g_autofree char *site = vigie_test_server_get_url (f->server, path);
      g_string_append_printf (settings, "[Service %s]\nName=%s\nProvider=%s\nSite=%s\n"
                                        "StatusPage=https://status.example/%s\n",
                              services[i][0], services[i][1], services[i][2], site,
                              services[i][0]);
      vigie_test_server_set_route (f->server, path, g_str_equal (services[i][0], "sl") ? 200 : 503,
                                   "text/plain", NULL);
    }
  /* Slack was down from 6 to 4 hours ago. */
  record (f->history, "sl", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, now - 23 * HOUR_US);
  record (f->history, "sl", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, now - 6 * HOUR_US);
  record (f->history, "sl", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, now - 4 * HOUR_US);
  load_settings (f, settings->str);
  g_object_set (f->monitor, "second-ms", 100, NULL);

  window = vigie_window_new (NULL, f->monitor);
  f->window = GTK_WIDGET (window);
  gtk_widget_show (f->window);
  g_assert_cmpuint (vigie_window_get_n_rows (window), ==, 3);
  g_assert_cmpstr (vigie_window_get_banner (window), ==, "Checking 3 services…");
  g_assert_cmpstr (label_text (vigie_window_get_row (window, "fb"), "since"), ==,
                   "Not checked yet");
  slack_row = vigie_window_get_row (window, "sl");
  instagram_row = vigie_window_get_row (window, "ig");

  /* The timeline shows the log from the start. */
  segments = vigie_timeline_get_segments (vigie_window_get_timeline (window, "sl"));
  for (guint i = 0; i < segments->len; i++)
    {
      VigieSegment *segment = &g_array_index (segments, VigieSegment, i);
      if (segment->state == VIGIE_STATE_DOWN)
        {
          g_assert_cmpint (segment->start_us, ==, now - 6 * HOUR_US);
          g_assert_cmpint (segment->end_us, ==, now - 4 * HOUR_US);
          seen_down = TRUE;
        }
    }
  g_assert_true (seen_down);
  g_assert_cmpint (g_array_index (segments, VigieSegment, 0).state, ==, VIGIE_STATE_UNKNOWN);

  vigie_monitor_start (f->monitor);
  vigie_test_wait_for (rounds_done, f, 15000);
  vigie_test_spin (50);

  /* Worst first, then by name; the rows are the same widgets as before. */
  order = vigie_window_get_row_ids (window);
  g_assert_cmpstrv (order, ((const char *[]) { "fb", "ig", "sl", NULL }));
  g_assert_true (vigie_window_get_row (window, "sl") == slack_row);
  g_assert_true (g_str_has_prefix (vigie_window_get_banner (window),
                                   "It's not you — Facebook and Instagram are down since "));
  g_assert_true (g_str_has_prefix (label_text (instagram_row, "since"), "Down for "));
  g_assert_true (shown (instagram_row, "reason"));
  g_assert_nonnull (strstr (label_text (instagram_row, "reason"),
                            "127.0.0.1: server error (HTTP 503); your connection works"));
  g_assert_false (shown (slack_row, "reason"));
  g_assert_true (g_str_has_prefix (label_text (slack_row, "since"), "Operational for "));
  g_assert_true (g_str_has_prefix (label_text (slack_row, "facts"), "Latency "));
  /* Down 2 h of the last 23 h known: 91.3 %. */
  g_assert_nonnull (strstr (label_text (slack_row, "facts"), "Uptime 91.3 % (24 h), 91.3 % (7 d)"));
  g_assert_true (shown (slack_row, "status-link"));
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (find (slack_row, "status-link"))), ==,
                   "https://status.example/sl");
  g_assert_false (shown (slack_row, "downdetector-link"));

  /* Facebook comes back: the banner and the order follow, in place. */
  vigie_test_server_set_route (f->server, "/fb", 200, "text/plain", NULL);
  vigie_test_wait_for (facebook_back, f, 15000);
  vigie_test_spin (50);
  g_clear_pointer (&order, g_strfreev);
  order = vigie_window_get_row_ids (window);
  g_assert_cmpstrv (order, ((const char *[]) { "ig", "fb", "sl", NULL }));
  g_assert_true (vigie_window_get_row (window, "ig") == instagram_row);
  g_assert_true (g_str_has_prefix (vigie_window_get_banner (window),
                                   "It's not you — Instagram is down since "));

  /* Mute for an hour from the row's menu, then unmute. */
  g_assert_false (shown (instagram_row, "muted"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "mute-hour",
                                  g_variant_new_string ("ig"));
  g_assert_true (shown (instagram_row, "muted"));
  contents = read_settings (f);
  g_assert_nonnull (strstr (contents, "Muted=ig@"));
  g_assert_cmpint (vigie_config_get_mute (f->config, "ig", now / G_USEC_PER_SEC), >,
                   now / G_USEC_PER_SEC + 3500);
  g_action_group_activate_action (G_ACTION_GROUP (window), "unmute", g_variant_new_string ("ig"));
  g_assert_false (shown (instagram_row, "muted"));
  g_assert_cmpint (vigie_config_get_mute (f->config, "ig", now / G_USEC_PER_SEC), ==, 0);

  /* The outage log, as a spreadsheet. */
  g_assert_true (vigie_window_export_to (window, csv, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "service_id,service,provider,state,start,end,"));
  g_assert_nonnull (strstr (contents, "\nsl,sl,sl,down,"));
  g_assert_nonnull (strstr (contents, "\nig,Instagram,Meta,down,"));
  {
    g_autofree char *nowhere_path = g_build_filename (f->tmp, "no-such-folder", "x.csv", NULL);
    g_autoptr(GFile) nowhere = g_file_new_for_path (nowhere_path);
    g_assert_false (vigie_window_export_to (window, nowhere, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

/* ---- the application's actions ------------------------------------------ */

typedef struct
{
  Fixture *f;
  VigieApplication *app;
  VigieFakeDesktop *desktop;
  const char *settings;
} AppRun;

static VigiePreferences *
find_preferences (VigieApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (VIGIE_IS_PREFERENCES (l->data))
      return l->data;
  return NULL;
}

static void
on_app_activate (gpointer data)
{
  AppRun *run = data;
  GApplication *application = G_APPLICATION (run->app);
  VigiePreferences *preferences;
  GtkWindow *details;
  g_autoptr(GPtrArray) notifications = NULL;

  /* Preferences over the details window, once only however often asked. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "details", NULL);
  details = vigie_application_get_details (run->app);
  g_assert_nonnull (details);
  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  preferences = find_preferences (run->app);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preferences)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == details);
  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  g_assert_true (find_preferences (run->app) == preferences);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (application))),
                    ==, 2);

  /* Opening the preferences writes nothing. */
  {
    g_autofree char *now = read_settings (run->f);
    g_assert_cmpstr (now, ==, run->settings);
  }

  g_action_group_activate_action (G_ACTION_GROUP (application), "test-notification", NULL);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (run->desktop, 1, 10000));
  notifications = vigie_fake_desktop_get_notifications (run->desktop);
  g_assert_cmpstr (((VigieFakeNotification *) g_ptr_array_index (notifications, 0))->summary, ==,
                   "Vigie: this is a test");
}

static void
run_application (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(VigieFakeDesktop) desktop = vigie_test_desktop_new ();
  g_autofree char *check = vigie_test_server_get_url (f->server, "/ok");
  g_autofree char *settings = g_strdup_printf ("[General]\nServices=slack\n[Connectivity]\nURLs=%s\n",
                                               check);
  AppRun run = { f, NULL, desktop, settings };

  load_settings (f, settings);

  run.app = vigie_test_application_new (f->config, f->history, "TestWindows");
  vigie_test_application_run (run.app, NULL, on_app_activate, &run);
  /* Shut down: the windows went with the application. */
  g_assert_null (find_preferences (run.app));
  g_clear_object (&run.app);
}

/* In a process of its own, without LeakSanitizer: the whole applet with
 * its preferences registers more than 2048 GLib quarks, and GLib never
 * frees a full block of its quark table (by design, for lock-free
 * readers), which LeakSanitizer reports as a leak it cannot be told apart
 * from. The windows' own memory is checked by the tests above, which
 * build and destroy both windows in this process. */
static void
test_application_actions (void)
{
  g_autofree char *asan = g_strdup (g_getenv ("ASAN_OPTIONS"));
  g_autofree char *child = NULL;

  if (g_test_subprocess ())
    {
      Fixture f = { 0 };

      fixture_set_up (&f, NULL);
      run_application (&f, NULL);
      fixture_tear_down (&f, NULL);
      return;
    }
  child = g_strconcat (asan ? asan : "", asan ? ":" : "", "detect_leaks=0", NULL);
  g_setenv ("ASAN_OPTIONS", child, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (asan != NULL)
    g_setenv ("ASAN_OPTIONS", asan, TRUE);
  else
    g_unsetenv ("ASAN_OPTIONS");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  /* Autostart and the like go to a private folder. */
  home = vigie_test_private_home ("windows");
  vigie_test_app_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/windows/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("preferences/search-and-tick", test_search_and_tick);
  ADD ("preferences/search-ignores-accents", test_search_ignores_accents);
  ADD ("preferences/all-meta-services", test_all_meta_services);
  ADD ("preferences/custom-service-detected", test_custom_service_detected);
  ADD ("preferences/custom-service-no-feed", test_custom_service_no_feed);
  ADD ("preferences/custom-service-refused", test_custom_service_refused);
  ADD ("preferences/checking", test_checking);
  ADD ("preferences/notifications-and-hook", test_notifications_and_hook);
  ADD ("details", test_details);
#undef ADD
  g_test_add_func ("/windows/timeline-geometry", test_timeline_geometry);
  g_test_add_func ("/windows/application-actions", test_application_actions);

  status = g_test_run ();
  vigie_test_remove_tree (home);
  return status;
}
