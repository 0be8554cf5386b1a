/* vigie-fake-desktop.h — a fake desktop for the tests: a notification daemon
 * and a StatusNotifier watcher on the session bus, plus a host's view of the
 * registered tray item and its menu.
 *
 * Owns, on the session bus (meant to be a private one: run the tests under
 * dbus-run-session):
 *   org.freedesktop.Notifications  at /org/freedesktop/Notifications
 *   org.kde.StatusNotifierWatcher  at /StatusNotifierWatcher
 * (org.kde.StatusNotifierWatcher is the name, path and interface that
 * libayatana-appindicator3 0.5.92 looks for.)
 *
 * Threading contract: the fake runs on its own thread, with its own
 * GMainContext and its own GDBusConnection, so the code under test may make
 * synchronous D-Bus calls from the main thread (libnotify does) without
 * deadlocking. Every function here is thread-safe, but the functions that
 * wait — all of them except the getters of recorded state — iterate the
 * calling thread's thread-default GMainContext while they wait, so that the
 * application under test keeps running: call them from the thread that runs
 * that context (the test's main thread). The wait_for_*() functions fail the
 * test (like g_assert()) when their timeout expires.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _VigieFakeDesktop VigieFakeDesktop;

/**
 * VigieFakeNotification:
 * @id: the id the fake daemon answered
 * @sender: unique bus name of the caller
 * @app_name: as sent
 * @replaces_id: as sent (0 for a new notification)
 * @replaced: %TRUE if @replaces_id named a notification still open, which
 *   was updated in place
 * @app_icon: as sent
 * @summary: as sent
 * @body: as sent
 * @actions: (array zero-terminated=1): the actions as sent, flattened:
 *   key, label, key, label, …; see vigie_fake_notification_get_action_label()
 * @hints: (type GVariant): all the hints, an a{sv}
 * @urgency: the "urgency" hint (0 low, 1 normal, 2 critical); 1 if absent
 * @category: (nullable): the "category" hint
 * @desktop_entry: (nullable): the "desktop-entry" hint
 * @resident: the "resident" hint; %FALSE if absent
 * @transient: the "transient" hint; %FALSE if absent
 * @expire_timeout: as sent (-1 server default, 0 never)
 *
 * One recorded call of org.freedesktop.Notifications.Notify.
 */
typedef struct
{
  guint32 id;
  char *sender;
  char *app_name;
  guint32 replaces_id;
  gboolean replaced;
  char *app_icon;
  char *summary;
  char *body;
  char **actions;
  GVariant *hints;
  guint8 urgency;
  char *category;
  char *desktop_entry;
  gboolean resident;
  gboolean transient;
  gint32 expire_timeout;
} VigieFakeNotification;

void        vigie_fake_notification_free             (VigieFakeNotification *notification);
const char *vigie_fake_notification_get_action_label (const VigieFakeNotification *notification,
                                                      const char                  *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieFakeNotification, vigie_fake_notification_free)

/**
 * VigieFakeMenuEntry:
 * @id: the dbusmenu item id
 * @depth: 1 for a top-level entry, 2 for an entry of its submenu, …
 * @label: the label with the mnemonic underscores removed ("" if none)
 * @type: "standard" or "separator"
 * @enabled: the "enabled" property (default %TRUE)
 * @visible: the "visible" property (default %TRUE)
 * @toggle_type: "checkmark", "radio" or "" (default)
 * @toggle_state: 0 off, 1 on, -1 indeterminate (default)
 * @has_submenu: "children-display" is "submenu"
 *
 * One entry of the tray item's menu, as a host reads it with
 * com.canonical.dbusmenu.GetLayout.
 */
typedef struct
{
  gint32 id;
  guint depth;
  char *label;
  char *type;
  gboolean enabled;
  gboolean visible;
  char *toggle_type;
  gint32 toggle_state;
  gboolean has_submenu;
} VigieFakeMenuEntry;

void vigie_fake_menu_entry_free (VigieFakeMenuEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieFakeMenuEntry, vigie_fake_menu_entry_free)

/* Life cycle */
VigieFakeDesktop *vigie_fake_desktop_new  (GError          **error);
void              vigie_fake_desktop_free (VigieFakeDesktop *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieFakeDesktop, vigie_fake_desktop_free)

const char *vigie_fake_desktop_get_unique_name (VigieFakeDesktop *self);

/* Notification daemon */
gboolean   vigie_fake_desktop_start_notifications    (VigieFakeDesktop   *self,
                                                      GError            **error);
void       vigie_fake_desktop_stop_notifications     (VigieFakeDesktop   *self);
void       vigie_fake_desktop_set_capabilities       (VigieFakeDesktop   *self,
                                                      const char *const  *capabilities);
GPtrArray *vigie_fake_desktop_get_notifications      (VigieFakeDesktop   *self);
gboolean   vigie_fake_desktop_wait_for_notifications (VigieFakeDesktop   *self,
                                                      guint               n,
                                                      guint               timeout_ms);
void       vigie_fake_desktop_clear_notifications    (VigieFakeDesktop   *self);
gboolean   vigie_fake_desktop_is_notification_open   (VigieFakeDesktop   *self,
                                                      guint32             id);
GArray    *vigie_fake_desktop_get_close_requests     (VigieFakeDesktop   *self);
gboolean   vigie_fake_desktop_invoke_action          (VigieFakeDesktop   *self,
                                                      guint32             id,
                                                      const char         *action_key,
                                                      GError            **error);
gboolean   vigie_fake_desktop_close_notification     (VigieFakeDesktop   *self,
                                                      guint32             id,
                                                      guint32             reason,
                                                      GError            **error);

/* StatusNotifier watcher and host */
gboolean   vigie_fake_desktop_start_watcher          (VigieFakeDesktop   *self,
                                                      GError            **error);
void       vigie_fake_desktop_stop_watcher           (VigieFakeDesktop   *self);
char     **vigie_fake_desktop_get_items              (VigieFakeDesktop   *self);
char      *vigie_fake_desktop_wait_for_item          (VigieFakeDesktop   *self,
                                                      guint               timeout_ms);
GVariant  *vigie_fake_desktop_get_item_property      (VigieFakeDesktop   *self,
                                                      const char         *name,
                                                      GError            **error);
gboolean   vigie_fake_desktop_wait_for_item_property (VigieFakeDesktop   *self,
                                                      const char         *name,
                                                      const char         *expected,
                                                      guint               timeout_ms);
GPtrArray *vigie_fake_desktop_get_menu               (VigieFakeDesktop   *self,
                                                      GError            **error);
gboolean   vigie_fake_desktop_activate_menu_item     (VigieFakeDesktop   *self,
                                                      const char         *label,
                                                      GError            **error);

G_END_DECLS
