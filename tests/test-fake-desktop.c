/* test-fake-desktop.c — proves the fake desktop against the real clients:
 * libayatana-appindicator3 (tray item and its dbusmenu) and libnotify.
 *
 * Owns nothing of Vigie: a tiny GTK program is built in each test. Runs on
 * the main thread with the default GMainContext; the fake desktop runs on
 * its own thread (see vigie-fake-desktop.h). Needs a display and a private
 * session bus: xvfb-run -a dbus-run-session -- test-fake-desktop
 *
 * Under LeakSanitizer, /fake-desktop/tray/watcher-restart needs
 * "leak:libayatana-appindicator3.so" in the suppressions: while the
 * watcher is away, ayatana falls back to a GtkStatusIcon, whose creation
 * leaks 3 × 32 bytes inside GTK (a boxed value from g_object_get ()).
 */
#include "config.h"

#include "vigie-fake-desktop.h"
#include "vigie-test-util.h"

#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>
#include <libnotify/notify.h>

#define TIMEOUT_MS 5000

/* libnotify 0.8 declares no autoptr cleanup of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NotifyNotification, g_object_unref)

typedef struct
{
  VigieFakeDesktop *desktop;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->desktop = vigie_fake_desktop_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->desktop);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->desktop, vigie_fake_desktop_free);
}

static gboolean
flag_is_set (gpointer flag)
{
  return *(const gboolean *) flag;
}

/* Runs the default main context until *@flag is set or @timeout_ms expire. */
static gboolean
spin_until_flag (gboolean *flag,
                 guint     timeout_ms)
{
  return vigie_test_wait_until (flag_is_set, flag, timeout_ms);
}

static const char *
app_unique_name (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_assert_nonnull (bus);
  /* The session bus connection is a singleton that outlives the test. */
  return g_dbus_connection_get_unique_name (bus);
}

/* ---------------------------------------------------------------------- */
/* Tray                                                                   */

typedef struct
{
  guint activations;
  GThread *thread;
  gboolean activated;
} Clicks;

static void
on_menu_item_activate (GtkMenuItem *item,
                       gpointer     user_data)
{
  Clicks *clicks = user_data;

  clicks->activations++;
  clicks->thread = g_thread_self ();
  clicks->activated = TRUE;
}

typedef struct
{
  GtkWidget *menu;
  GtkWidget *open_item;
  GtkWidget *quit_item;
  AppIndicator *indicator;
  Clicks open_clicks;
  Clicks quit_clicks;
} Tray;

static void
tray_init (Tray       *tray,
           const char *id)
{
  GtkWidget *separator;

  tray->menu = g_object_ref_sink (gtk_menu_new ());
  tray->open_item = gtk_menu_item_new_with_mnemonic ("_Open Vigie");
  separator = gtk_separator_menu_item_new ();
  tray->quit_item = gtk_menu_item_new_with_label ("Quit");
  g_signal_connect (tray->open_item, "activate", G_CALLBACK (on_menu_item_activate),
                    &tray->open_clicks);
  g_signal_connect (tray->quit_item, "activate", G_CALLBACK (on_menu_item_activate),
                    &tray->quit_clicks);
  gtk_menu_shell_append (GTK_MENU_SHELL (tray->menu), tray->open_item);
  gtk_menu_shell_append (GTK_MENU_SHELL (tray->menu), separator);
  gtk_menu_shell_append (GTK_MENU_SHELL (tray->menu), tray->quit_item);
  gtk_widget_show_all (tray->menu);

  tray->indicator = app_indicator_new (id, "network-idle",
                                       APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
  app_indicator_set_status (tray->indicator, APP_INDICATOR_STATUS_ACTIVE);
  app_indicator_set_title (tray->indicator, "Vigie");
  app_indicator_set_menu (tray->indicator, GTK_MENU (tray->menu));
}

static void
tray_clear (Tray *tray)
{
  g_clear_object (&tray->indicator);
  if (tray->menu != NULL)
    gtk_widget_destroy (tray->menu);
  g_clear_object (&tray->menu);
}

static void
assert_item_string (VigieFakeDesktop *desktop,
                    const char       *name,
                    const char       *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = vigie_fake_desktop_get_item_property (desktop, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, expected);
}

static void
test_tray_item (Fixture       *fixture,
                gconstpointer  data)
{
  VigieFakeDesktop *desktop = fixture->desktop;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) menu = NULL;
  g_autoptr(GVariant) menu_path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *expected_key = NULL;
  g_auto(GStrv) items = NULL;
  VigieFakeMenuEntry *entry;
  Tray tray = { 0 };

  tray_init (&tray, "vigie-test-tray");

  /* ayatana registers an object path; the watcher pairs it with the sender. */
  key = vigie_fake_desktop_wait_for_item (desktop, TIMEOUT_MS);
  expected_key = g_strconcat (app_unique_name (), "/org/ayatana/NotificationItem/vigie_test_tray",
                              NULL);
  g_assert_cmpstr (key, ==, expected_key);
  items = vigie_fake_desktop_get_items (desktop);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  g_assert_cmpstr (items[0], ==, expected_key);

  assert_item_string (desktop, "Id", "vigie-test-tray");
  assert_item_string (desktop, "IconName", "network-idle");
  assert_item_string (desktop, "Title", "Vigie");
  assert_item_string (desktop, "Status", "Active");
  assert_item_string (desktop, "Category", "ApplicationStatus");
  menu_path = vigie_fake_desktop_get_item_property (desktop, "Menu", &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (menu_path, G_VARIANT_TYPE_OBJECT_PATH));
  g_assert_cmpstr (g_variant_get_string (menu_path, NULL), ==,
                   "/org/ayatana/NotificationItem/vigie_test_tray/Menu");

  /* A property the item does not have is an error, not a crash. */
  g_assert_null (vigie_fake_desktop_get_item_property (desktop, "NoSuchProperty", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Changes arrive live. */
  app_indicator_set_icon_full (tray.indicator, "network-error", "Outage");
  g_assert_true (vigie_fake_desktop_wait_for_item_property (desktop, "IconName", "network-error",
                                                            TIMEOUT_MS));
  app_indicator_set_title (tray.indicator, "Vigie — Facebook down");
  g_assert_true (vigie_fake_desktop_wait_for_item_property (desktop, "Title",
                                                            "Vigie — Facebook down",
                                                            TIMEOUT_MS));
  app_indicator_set_status (tray.indicator, APP_INDICATOR_STATUS_ATTENTION);
  g_assert_true (vigie_fake_desktop_wait_for_item_property (desktop, "Status", "NeedsAttention",
                                                            TIMEOUT_MS));

  /* The menu, as a host reads it. */
  menu = vigie_fake_desktop_get_menu (desktop, &error);
  g_assert_no_error (error);
  g_assert_nonnull (menu);
  g_assert_cmpuint (menu->len, ==, 3);
  entry = g_ptr_array_index (menu, 0);
  g_assert_cmpstr (entry->label, ==, "Open Vigie");
  g_assert_cmpstr (entry->type, ==, "standard");
  g_assert_cmpuint (entry->depth, ==, 1);
  g_assert_true (entry->enabled);
  g_assert_true (entry->visible);
  g_assert_cmpstr (entry->toggle_type, ==, "");
  g_assert_cmpint (entry->toggle_state, ==, -1);
  g_assert_false (entry->has_submenu);
  entry = g_ptr_array_index (menu, 1);
  g_assert_cmpstr (entry->type, ==, "separator");
  entry = g_ptr_array_index (menu, 2);
  g_assert_cmpstr (entry->label, ==, "Quit");
  g_assert_cmpint (entry->id, !=, ((VigieFakeMenuEntry *) g_ptr_array_index (menu, 0))->id);

  /* A click runs the GtkMenuItem's handler, on the main thread. */
  g_assert_true (vigie_fake_desktop_activate_menu_item (desktop, "Quit", &error));
  g_assert_no_error (error);
  g_assert_true (spin_until_flag (&tray.quit_clicks.activated, TIMEOUT_MS));
  g_assert_cmpuint (tray.quit_clicks.activations, ==, 1);
  g_assert_true (tray.quit_clicks.thread == g_thread_self ());
  g_assert_cmpuint (tray.open_clicks.activations, ==, 0);

  g_assert_true (vigie_fake_desktop_activate_menu_item (desktop, "Open Vigie", &error));
  g_assert_no_error (error);
  g_assert_true (spin_until_flag (&tray.open_clicks.activated, TIMEOUT_MS));
  g_assert_cmpuint (tray.open_clicks.activations, ==, 1);
  g_assert_cmpuint (tray.quit_clicks.activations, ==, 1);

  /* What a user could not click is refused. */
  g_assert_false (vigie_fake_desktop_activate_menu_item (desktop, "Nothing", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  gtk_widget_set_sensitive (tray.quit_item, FALSE);
  for (gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;;)
    {
      g_autoptr(GPtrArray) now = vigie_fake_desktop_get_menu (desktop, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (now->len, ==, 3);
      if (!((VigieFakeMenuEntry *) g_ptr_array_index (now, 2))->enabled)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      vigie_test_spin (20);
    }
  g_assert_false (vigie_fake_desktop_activate_menu_item (desktop, "Quit", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  vigie_test_spin (100);
  g_assert_cmpuint (tray.quit_clicks.activations, ==, 1);

  tray_clear (&tray);
}

static gboolean
is_connected (gpointer indicator)
{
  gboolean connected = FALSE;

  g_object_get (indicator, "connected", &connected, NULL);
  return connected;
}

static gboolean
is_disconnected (gpointer indicator)
{
  return !is_connected (indicator);
}

static gboolean
has_items (VigieFakeDesktop *desktop)
{
  g_auto(GStrv) items = vigie_fake_desktop_get_items (desktop);

  return items[0] != NULL;
}

static void
test_tray_watcher_restart (Fixture       *fixture,
                           gconstpointer  data)
{
  VigieFakeDesktop *desktop = fixture->desktop;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) menu = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  Tray tray = { 0 };

  tray_init (&tray, "vigie-test-restart");
  first = vigie_fake_desktop_wait_for_item (desktop, TIMEOUT_MS);
  g_assert_nonnull (first);

  /* The panel dies: its items are gone with it. */
  vigie_fake_desktop_stop_watcher (desktop);
  g_assert_false (has_items (desktop));
  vigie_test_wait_for (is_disconnected, tray.indicator, TIMEOUT_MS);
  app_indicator_set_icon_full (tray.indicator, "network-offline", "Offline");
  /* Past ayatana's fallback timer, so that it has fallen back to a
   * GtkStatusIcon and must come back from it. */
  vigie_test_spin (500);
  g_assert_false (has_items (desktop));

  /* The panel comes back: ayatana watches the watcher's name and registers
   * again, and the item is whole. */
  vigie_fake_desktop_start_watcher (desktop, &error);
  g_assert_no_error (error);
  again = vigie_fake_desktop_wait_for_item (desktop, TIMEOUT_MS);
  g_assert_cmpstr (again, ==, first);
  vigie_test_wait_for (is_connected, tray.indicator, TIMEOUT_MS);
  assert_item_string (desktop, "IconName", "network-offline");
  menu = vigie_fake_desktop_get_menu (desktop, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (menu->len, ==, 3);
  g_assert_true (vigie_fake_desktop_activate_menu_item (desktop, "Quit", &error));
  g_assert_no_error (error);
  g_assert_true (spin_until_flag (&tray.quit_clicks.activated, TIMEOUT_MS));

  tray_clear (&tray);
}

/* The watcher itself, spoken to directly: both forms of registration, the
 * properties, and an item whose connection goes away. */
static void
test_watcher_protocol (Fixture       *fixture,
                       gconstpointer  data)
{
  VigieFakeDesktop *desktop = fixture->desktop;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDBusConnection) other = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autofree char *by_path = NULL;
  g_autofree char *by_name = NULL;
  g_auto(GStrv) items = NULL;
  gboolean owned = FALSE;
  guint own_id;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  other = g_dbus_connection_new_for_address_sync (address,
                                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                  | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  own_id = g_bus_own_name_on_connection (other, "org.example.TestItem",
                                         G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);

  reply = g_dbus_connection_call_sync (other, "org.kde.StatusNotifierWatcher",
                                       "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher",
                                       "RegisterStatusNotifierItem",
                                       g_variant_new ("(s)", "/some/Item"), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  by_path = g_strconcat (g_dbus_connection_get_unique_name (other), "/some/Item", NULL);

  /* Wait until the name is ours (the watcher checks it is on the bus). */
  for (gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;;)
    {
      reply = g_dbus_connection_call_sync (other, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.example.TestItem"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                           TIMEOUT_MS, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      g_clear_pointer (&reply, g_variant_unref);
      if (owned)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      vigie_test_spin (10);
    }

  reply = g_dbus_connection_call_sync (other, "org.kde.StatusNotifierWatcher",
                                       "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher",
                                       "RegisterStatusNotifierItem",
                                       g_variant_new ("(s)", "org.example.TestItem"), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  by_name = g_strdup ("org.example.TestItem/StatusNotifierItem");

  reply = g_dbus_connection_call_sync (other, "org.kde.StatusNotifierWatcher",
                                       "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher",
                                       "RegisterStatusNotifierItem",
                                       g_variant_new ("(s)", "not a name"), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  reply = g_dbus_connection_call_sync (other, "org.kde.StatusNotifierWatcher",
                                       "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties",
                                       "Get",
                                       g_variant_new ("(ss)", "org.kde.StatusNotifierWatcher",
                                                      "RegisteredStatusNotifierItems"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                       TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  items = g_variant_dup_strv (value, NULL);
  g_assert_cmpuint (g_strv_length (items), ==, 2);
  g_assert_cmpstr (items[0], ==, by_path);
  g_assert_cmpstr (items[1], ==, by_name);
  g_clear_pointer (&reply, g_variant_unref);
  g_clear_pointer (&value, g_variant_unref);

  reply = g_dbus_connection_call_sync (other, "org.kde.StatusNotifierWatcher",
                                       "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties",
                                       "GetAll",
                                       g_variant_new ("(s)", "org.kde.StatusNotifierWatcher"),
                                       G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                       TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  value = g_variant_get_child_value (reply, 0);
  {
    gboolean host = FALSE;
    gint32 version = -1;

    g_assert_true (g_variant_lookup (value, "IsStatusNotifierHostRegistered", "b", &host));
    g_assert_true (host);
    g_assert_true (g_variant_lookup (value, "ProtocolVersion", "i", &version));
    g_assert_cmpint (version, ==, 0);
  }
  g_clear_pointer (&reply, g_variant_unref);
  g_clear_pointer (&value, g_variant_unref);

  /* The item's connection goes: both of its items are unregistered. */
  g_bus_unown_name (own_id);
  g_dbus_connection_close_sync (other, NULL, &error);
  g_assert_no_error (error);
  for (gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
       has_items (desktop);)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      vigie_test_spin (10);
    }
}

/* ---------------------------------------------------------------------- */
/* Notifications                                                          */

typedef struct
{
  guint calls;
  char *action;
  char *token;
  GThread *thread;
  gboolean invoked;
} ActionCalls;

static void
on_action (NotifyNotification *notification,
           char               *action,
           gpointer            user_data)
{
  ActionCalls *calls = user_data;

  calls->calls++;
  g_free (calls->action);
  calls->action = g_strdup (action);
  g_free (calls->token);
  calls->token = g_strdup (notify_notification_get_activation_token (notification));
  calls->thread = g_thread_self ();
  calls->invoked = TRUE;
}

static void
on_closed (NotifyNotification *notification,
           gpointer            user_data)
{
  *(gboolean *) user_data = TRUE;
}

static VigieFakeNotification *
notification_at (GPtrArray *notifications,
                 guint      i)
{
  g_assert_cmpuint (i, <, notifications->len);
  return g_ptr_array_index (notifications, i);
}

static void
test_notifications (Fixture       *fixture,
                    gconstpointer  data)
{
  VigieFakeDesktop *desktop = fixture->desktop;
  g_autoptr(GError) error = NULL;
  g_autoptr(NotifyNotification) notification = NULL;
  g_autoptr(NotifyNotification) other = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(GArray) close_requests = NULL;
  VigieFakeNotification *first;
  VigieFakeNotification *second;
  VigieFakeNotification *third;
  VigieFakeNotification *fourth;
  ActionCalls calls = { 0 };
  gboolean closed = FALSE;
  gboolean other_closed = FALSE;
  g_autofree char *expected_token = NULL;
  guint32 id;

  notification = notify_notification_new ("Facebook is down",
                                          "Down for everyone since 15:39", "network-error");
  notify_notification_set_urgency (notification, NOTIFY_URGENCY_CRITICAL);
  notify_notification_set_category (notification, "network.error");
  notify_notification_set_hint_string (notification, "desktop-entry", "io.github.vigie.Vigie");
  notify_notification_add_action (notification, "details", "Details",
                                  on_action, &calls, NULL);
  g_signal_connect (notification, "closed", G_CALLBACK (on_closed), &closed);

  g_assert_true (notify_notification_show (notification, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (desktop, 1, TIMEOUT_MS));

  shown = vigie_fake_desktop_get_notifications (desktop);
  g_assert_cmpuint (shown->len, ==, 1);
  first = notification_at (shown, 0);
  id = first->id;
  g_assert_cmpuint (id, !=, 0);
  g_assert_cmpstr (first->sender, ==, app_unique_name ());
  g_assert_cmpstr (first->app_name, ==, "test-fake-desktop");
  g_assert_cmpuint (first->replaces_id, ==, 0);
  g_assert_false (first->replaced);
  g_assert_cmpstr (first->app_icon, ==, "network-error");
  g_assert_cmpstr (first->summary, ==, "Facebook is down");
  g_assert_cmpstr (first->body, ==, "Down for everyone since 15:39");
  g_assert_cmpuint (g_strv_length (first->actions), ==, 2);
  g_assert_cmpstr (first->actions[0], ==, "details");
  g_assert_cmpstr (vigie_fake_notification_get_action_label (first, "details"), ==, "Details");
  g_assert_null (vigie_fake_notification_get_action_label (first, "default"));
  g_assert_cmpuint (first->urgency, ==, NOTIFY_URGENCY_CRITICAL);
  g_assert_cmpstr (first->category, ==, "network.error");
  g_assert_cmpstr (first->desktop_entry, ==, "io.github.vigie.Vigie");
  g_assert_false (first->resident);
  g_assert_false (first->transient);
  g_assert_cmpint (first->expire_timeout, ==, NOTIFY_EXPIRES_DEFAULT);
  g_assert_true (g_variant_is_of_type (first->hints, G_VARIANT_TYPE_VARDICT));
  g_assert_true (vigie_fake_desktop_is_notification_open (desktop, id));
  g_clear_pointer (&shown, g_ptr_array_unref);

  /* An update replaces it in place and keeps its id. */
  notify_notification_update (notification, "Facebook is back", "Up again after 6 h", NULL);
  g_assert_true (notify_notification_show (notification, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (desktop, 2, TIMEOUT_MS));
  shown = vigie_fake_desktop_get_notifications (desktop);
  second = notification_at (shown, 1);
  g_assert_cmpuint (second->replaces_id, ==, id);
  g_assert_cmpuint (second->id, ==, id);
  g_assert_true (second->replaced);
  g_assert_cmpstr (second->summary, ==, "Facebook is back");
  g_assert_cmpstr (second->body, ==, "Up again after 6 h");
  g_assert_true (vigie_fake_desktop_is_notification_open (desktop, id));
  g_clear_pointer (&shown, g_ptr_array_unref);

  /* The user clicks the action: libnotify runs the callback on the main
   * thread once the main loop runs, then learns it was dismissed. */
  expected_token = g_strdup_printf ("vigie-fake-desktop-%u", id);
  g_assert_true (vigie_fake_desktop_invoke_action (desktop, id, "details", &error));
  g_assert_no_error (error);
  g_assert_true (spin_until_flag (&calls.invoked, TIMEOUT_MS));
  g_assert_cmpuint (calls.calls, ==, 1);
  g_assert_cmpstr (calls.action, ==, "details");
  g_assert_cmpstr (calls.token, ==, expected_token);
  g_assert_true (calls.thread == g_thread_self ());
  g_assert_true (spin_until_flag (&closed, TIMEOUT_MS));
  g_assert_cmpint (notify_notification_get_closed_reason (notification), ==,
                   NOTIFY_CLOSED_REASON_DISMISSED);
  g_assert_false (vigie_fake_desktop_is_notification_open (desktop, id));

  /* Nothing to click on a closed notification, nor a missing action. */
  g_assert_false (vigie_fake_desktop_invoke_action (desktop, id, "details", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Once closed, libnotify forgets the id: showing it again is a new
   * notification, not a replacement. */
  g_assert_true (notify_notification_show (notification, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (desktop, 3, TIMEOUT_MS));
  shown = vigie_fake_desktop_get_notifications (desktop);
  third = notification_at (shown, 2);
  g_assert_cmpuint (third->replaces_id, ==, 0);
  g_assert_cmpuint (third->id, >, id);
  g_assert_true (vigie_fake_desktop_is_notification_open (desktop, third->id));
  g_assert_false (vigie_fake_desktop_invoke_action (desktop, third->id, "nope", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The application closes it. */
  g_assert_true (notify_notification_close (notification, &error));
  g_assert_no_error (error);
  close_requests = vigie_fake_desktop_get_close_requests (desktop);
  g_assert_cmpuint (close_requests->len, ==, 1);
  g_assert_cmpuint (g_array_index (close_requests, guint32, 0), ==, third->id);
  g_assert_false (vigie_fake_desktop_is_notification_open (desktop, third->id));
  g_clear_pointer (&shown, g_ptr_array_unref);
  g_clear_pointer (&close_requests, g_array_unref);

  /* A notification still open, closed by the application: the daemon
   * confirms with NotificationClosed, reason 3. */
  other = notify_notification_new ("Notion is down", NULL, NULL);
  g_signal_connect (other, "closed", G_CALLBACK (on_closed), &other_closed);
  g_assert_true (notify_notification_show (other, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (desktop, 4, TIMEOUT_MS));
  shown = vigie_fake_desktop_get_notifications (desktop);
  fourth = notification_at (shown, 3);
  g_assert_true (vigie_fake_desktop_is_notification_open (desktop, fourth->id));
  g_assert_true (notify_notification_close (other, &error));
  g_assert_no_error (error);
  g_assert_true (spin_until_flag (&other_closed, TIMEOUT_MS));
  g_assert_cmpint (notify_notification_get_closed_reason (other), ==,
                   NOTIFY_CLOSED_REASON_API_REQUEST);
  g_assert_false (vigie_fake_desktop_is_notification_open (desktop, fourth->id));
  close_requests = vigie_fake_desktop_get_close_requests (desktop);
  g_assert_cmpuint (close_requests->len, ==, 2);
  g_assert_cmpuint (g_array_index (close_requests, guint32, 1), ==, fourth->id);
  g_clear_pointer (&shown, g_ptr_array_unref);
  g_clear_pointer (&close_requests, g_array_unref);

  vigie_fake_desktop_clear_notifications (desktop);
  shown = vigie_fake_desktop_get_notifications (desktop);
  g_assert_cmpuint (shown->len, ==, 0);
  close_requests = vigie_fake_desktop_get_close_requests (desktop);
  g_assert_cmpuint (close_requests->len, ==, 0);

  g_free (calls.action);
  g_free (calls.token);
}

static void
test_notification_closed_by_daemon (Fixture       *fixture,
                                    gconstpointer  data)
{
  VigieFakeDesktop *desktop = fixture->desktop;
  g_autoptr(GError) error = NULL;
  g_autoptr(NotifyNotification) notification = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  ActionCalls calls = { 0 };
  gboolean closed = FALSE;
  guint32 id;

  notification = notify_notification_new ("Slack is degraded", NULL, NULL);
  notify_notification_set_hint (notification, "resident", g_variant_new_boolean (TRUE));
  notify_notification_add_action (notification, "default", "Open", on_action, &calls, NULL);
  g_signal_connect (notification, "closed", G_CALLBACK (on_closed), &closed);
  g_assert_true (notify_notification_show (notification, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (desktop, 1, TIMEOUT_MS));
  shown = vigie_fake_desktop_get_notifications (desktop);
  id = notification_at (shown, 0)->id;
  g_assert_true (notification_at (shown, 0)->resident);
  g_assert_cmpstr (notification_at (shown, 0)->body, ==, "");
  g_assert_cmpuint (notification_at (shown, 0)->urgency, ==, NOTIFY_URGENCY_NORMAL);

  /* Resident: still there after its action. */
  g_assert_true (vigie_fake_desktop_invoke_action (desktop, id, "default", &error));
  g_assert_no_error (error);
  g_assert_true (spin_until_flag (&calls.invoked, TIMEOUT_MS));
  g_assert_cmpstr (calls.action, ==, "default");
  vigie_test_spin (50);
  g_assert_false (closed);
  g_assert_true (vigie_fake_desktop_is_notification_open (desktop, id));

  /* It expires. */
  g_assert_true (vigie_fake_desktop_close_notification (desktop, id, 1, &error));
  g_assert_no_error (error);
  g_assert_true (spin_until_flag (&closed, TIMEOUT_MS));
  g_assert_cmpint (notify_notification_get_closed_reason (notification), ==,
                   NOTIFY_CLOSED_REASON_EXPIRED);
  g_assert_false (vigie_fake_desktop_is_notification_open (desktop, id));
  g_assert_false (vigie_fake_desktop_close_notification (desktop, id, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_free (calls.action);
  g_free (calls.token);
}

static gboolean
strv_has (GList      *list,
          const char *value)
{
  return g_list_find_custom (list, value, (GCompareFunc) g_strcmp0) != NULL;
}

static void
test_notification_server (Fixture       *fixture,
                          gconstpointer  data)
{
  VigieFakeDesktop *desktop = fixture->desktop;
  const char *const only_body[] = { "body", NULL };
  g_autofree char *name = NULL;
  g_autofree char *vendor = NULL;
  g_autofree char *version = NULL;
  g_autofree char *spec = NULL;
  GList *caps;

  g_assert_true (notify_get_server_info (&name, &vendor, &version, &spec));
  g_assert_cmpstr (name, ==, "vigie-fake-desktop");
  g_assert_cmpstr (vendor, ==, "vigie");
  g_assert_cmpstr (version, ==, "1.0");
  g_assert_cmpstr (spec, ==, "1.2");

  caps = notify_get_server_caps ();
  g_assert_cmpuint (g_list_length (caps), ==, 5);
  g_assert_true (strv_has (caps, "actions"));
  g_assert_true (strv_has (caps, "body"));
  g_assert_true (strv_has (caps, "body-markup"));
  g_assert_true (strv_has (caps, "persistence"));
  g_assert_true (strv_has (caps, "icon-static"));
  g_list_free_full (caps, g_free);

  vigie_fake_desktop_set_capabilities (desktop, only_body);
  caps = notify_get_server_caps ();
  g_assert_cmpuint (g_list_length (caps), ==, 1);
  g_assert_true (strv_has (caps, "body"));
  g_list_free_full (caps, g_free);

  vigie_fake_desktop_set_capabilities (desktop, NULL);
  caps = notify_get_server_caps ();
  g_assert_cmpuint (g_list_length (caps), ==, 5);
  g_list_free_full (caps, g_free);
}

static void
test_notification_daemon_restart (Fixture       *fixture,
                                  gconstpointer  data)
{
  VigieFakeDesktop *desktop = fixture->desktop;
  g_autoptr(GError) error = NULL;
  g_autoptr(NotifyNotification) before = NULL;
  g_autoptr(NotifyNotification) during = NULL;
  g_autoptr(NotifyNotification) after = NULL;
  g_autoptr(GPtrArray) shown = NULL;

  before = notify_notification_new ("Before", NULL, NULL);
  g_assert_true (notify_notification_show (before, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (desktop, 1, TIMEOUT_MS));

  /* No daemon: showing fails, with an error rather than a hang. */
  vigie_fake_desktop_stop_notifications (desktop);
  during = notify_notification_new ("During", NULL, NULL);
  g_assert_false (notify_notification_show (during, &error));
  g_assert_nonnull (error);
  g_test_message ("Without a daemon: %s", error->message);
  g_clear_error (&error);

  /* It comes back, with a fresh memory; ids keep counting. */
  g_assert_true (vigie_fake_desktop_start_notifications (desktop, &error));
  g_assert_no_error (error);
  after = notify_notification_new ("After", NULL, NULL);
  g_assert_true (notify_notification_show (after, &error));
  g_assert_no_error (error);
  g_assert_true (vigie_fake_desktop_wait_for_notifications (desktop, 2, TIMEOUT_MS));
  shown = vigie_fake_desktop_get_notifications (desktop);
  g_assert_cmpuint (shown->len, ==, 2);
  g_assert_cmpstr (notification_at (shown, 1)->summary, ==, "After");
  g_assert_cmpuint (notification_at (shown, 1)->id, >, notification_at (shown, 0)->id);
  g_assert_false (vigie_fake_desktop_is_notification_open (desktop,
                                                           notification_at (shown, 0)->id));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_init (&argc, &argv);
  notify_init ("test-fake-desktop");

  /* Connect the session bus first, as GtkApplication does before any
   * window or indicator exists. libayatana-appindicator 0.5.92 otherwise
   * races with itself when a watcher is already there: its watch on the
   * watcher's name can fire before its own g_bus_get() has completed, and
   * it then calls g_dbus_proxy_new (NULL, …) — a critical. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/fake-desktop/tray/item", Fixture, NULL,
              fixture_set_up, test_tray_item, fixture_tear_down);
  g_test_add ("/fake-desktop/tray/watcher-restart", Fixture, NULL,
              fixture_set_up, test_tray_watcher_restart, fixture_tear_down);
  g_test_add ("/fake-desktop/tray/watcher-protocol", Fixture, NULL,
              fixture_set_up, test_watcher_protocol, fixture_tear_down);
  g_test_add ("/fake-desktop/notifications/show-update-action", Fixture, NULL,
              fixture_set_up, test_notifications, fixture_tear_down);
  g_test_add ("/fake-desktop/notifications/closed-by-daemon", Fixture, NULL,
              fixture_set_up, test_notification_closed_by_daemon, fixture_tear_down);
  g_test_add ("/fake-desktop/notifications/server", Fixture, NULL,
              fixture_set_up, test_notification_server, fixture_tear_down);
  g_test_add ("/fake-desktop/notifications/daemon-restart", Fixture, NULL,
              fixture_set_up, test_notification_daemon_restart, fixture_tear_down);

  status = g_test_run ();
  notify_uninit ();

  return status;
}
