/* vigie-fake-desktop.c — a fake desktop for the tests: notification daemon,
 * StatusNotifier watcher and the host side of the tray item and its menu.
 *
 * Owns its thread, its GMainContext and its GDBusConnection. The two D-Bus
 * services are exported on that connection from that thread, so their
 * method handlers run there; the recorded state they share with the test's
 * thread lives in the struct below, under the mutex. Every operation that
 * changes what is exported or owned runs on the fake's thread (run_on_thread
 * ()), while the caller iterates its own thread-default context. The host
 * side (reading the item's properties and menu, clicking) talks to the
 * application from the caller's thread with asynchronous calls on our
 * connection, iterating the caller's context until they answer: the
 * application answers from the very context we are iterating.
 */
#define G_LOG_DOMAIN "vigie-fake-desktop"

#include "config.h"

#include "vigie-fake-desktop.h"
#include "vigie-test-util.h"

#include <string.h>

#define NOTIFICATIONS_NAME  "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH  "/org/freedesktop/Notifications"
#define NOTIFICATIONS_IFACE "org.freedesktop.Notifications"

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define WATCHER_IFACE "org.kde.StatusNotifierWatcher"

#define ITEM_IFACE        "org.kde.StatusNotifierItem"
#define ITEM_DEFAULT_PATH "/StatusNotifierItem"
#define DBUSMENU_IFACE    "com.canonical.dbusmenu"

#define CALL_TIMEOUT_MS  5000  /* one D-Bus call to the application */
#define START_TIMEOUT_MS 5000  /* acquiring a well-known name */
#define POLL_INTERVAL_MS 20    /* re-reading an item property while waiting */

static const char *const default_capabilities[] = {
  "actions", "body", "body-markup", "persistence", "icon-static", NULL
};

static const char notifications_xml[] =
  "<node>"
  "  <interface name='" NOTIFICATIONS_IFACE "'>"
  "    <method name='GetCapabilities'>"
  "      <arg direction='out' type='as' name='capabilities'/>"
  "    </method>"
  "    <method name='Notify'>"
  "      <arg direction='in' type='s' name='app_name'/>"
  "      <arg direction='in' type='u' name='replaces_id'/>"
  "      <arg direction='in' type='s' name='app_icon'/>"
  "      <arg direction='in' type='s' name='summary'/>"
  "      <arg direction='in' type='s' name='body'/>"
  "      <arg direction='in' type='as' name='actions'/>"
  "      <arg direction='in' type='a{sv}' name='hints'/>"
  "      <arg direction='in' type='i' name='expire_timeout'/>"
  "      <arg direction='out' type='u' name='id'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg direction='in' type='u' name='id'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg direction='out' type='s' name='name'/>"
  "      <arg direction='out' type='s' name='vendor'/>"
  "      <arg direction='out' type='s' name='version'/>"
  "      <arg direction='out' type='s' name='spec_version'/>"
  "    </method>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "    <signal name='ActivationToken'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='activation_token'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static const char watcher_xml[] =
  "<node>"
  "  <interface name='" WATCHER_IFACE "'>"
  "    <method name='RegisterStatusNotifierItem'>"
  "      <arg direction='in' type='s' name='service'/>"
  "    </method>"
  "    <method name='RegisterStatusNotifierHost'>"
  "      <arg direction='in' type='s' name='service'/>"
  "    </method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'>"
  "      <arg type='s' name='service'/>"
  "    </signal>"
  "    <signal name='StatusNotifierItemUnregistered'>"
  "      <arg type='s' name='service'/>"
  "    </signal>"
  "    <signal name='StatusNotifierHostRegistered'/>"
  "    <signal name='StatusNotifierHostUnregistered'/>"
  "  </interface>"
  "</node>";

typedef enum
{
  NAME_STOPPED,
  NAME_PENDING,
  NAME_OWNED,
  NAME_LOST,
} NameState;

/* One exported service: an object and the well-known name it answers to. */
typedef struct
{
  VigieFakeDesktop *self;
  const char *name;
  const char *path;
  GDBusInterfaceInfo *info;
  const GDBusInterfaceVTable *vtable;
  guint registration_id;        /* fake's thread only */
  guint own_id;                 /* fake's thread only */
  NameState state;              /* under the lock */
} Service;

/* A registered StatusNotifierItem. Created and freed on the fake's thread. */
typedef struct
{
  char *key;                    /* as listed: bus name + object path */
  char *bus_name;
  char *path;
  guint watch_id;
} Item;

typedef struct
{
  VigieFakeDesktop *self;
  char *key;
} ItemWatch;

struct _VigieFakeDesktop
{
  GMutex lock;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GDBusConnection *connection;  /* set once by new (), then read-only */
  GDBusNodeInfo *notifications_node;
  GDBusNodeInfo *watcher_node;

  Service notifications;
  Service watcher;

  /* Under the lock. */
  GPtrArray *waiters;           /* GMainContext: woken when state changes */
  GPtrArray *log;               /* VigieFakeNotification, every Notify call */
  GArray *close_requests;       /* guint32, every CloseNotification call */
  GHashTable *open;             /* id → VigieFakeNotification, latest version */
  guint32 last_id;
  char **capabilities;
  GPtrArray *items;             /* Item, in registration order */
  gboolean host_registered;
};

/* ---------------------------------------------------------------------- */
/* Records                                                                */

/**
 * vigie_fake_notification_free:
 * @notification: (nullable): a recorded notification
 *
 * Frees a #VigieFakeNotification.
 */
void
vigie_fake_notification_free (VigieFakeNotification *notification)
{
  if (notification == NULL)
    return;

  g_free (notification->sender);
  g_free (notification->app_name);
  g_free (notification->app_icon);
  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_clear_pointer (&notification->hints, g_variant_unref);
  g_free (notification->category);
  g_free (notification->desktop_entry);
  g_free (notification);
}

static VigieFakeNotification *
notification_copy (const VigieFakeNotification *src)
{
  VigieFakeNotification *copy = g_new0 (VigieFakeNotification, 1);

  *copy = *src;
  copy->sender = g_strdup (src->sender);
  copy->app_name = g_strdup (src->app_name);
  copy->app_icon = g_strdup (src->app_icon);
  copy->summary = g_strdup (src->summary);
  copy->body = g_strdup (src->body);
  copy->actions = g_strdupv (src->actions);
  copy->hints = g_variant_ref (src->hints);
  copy->category = g_strdup (src->category);
  copy->desktop_entry = g_strdup (src->desktop_entry);

  return copy;
}

/**
 * vigie_fake_notification_get_action_label:
 * @notification: a recorded notification
 * @key: an action key, such as "default"
 *
 * Looks up an action of @notification.
 *
 * Returns: (nullable): the label sent with @key, or %NULL if the
 *   notification has no such action
 */
const char *
vigie_fake_notification_get_action_label (const VigieFakeNotification *notification,
                                          const char                  *key)
{
  g_return_val_if_fail (notification != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; notification->actions[i] != NULL && notification->actions[i + 1] != NULL;
       i += 2)
    {
      if (g_str_equal (notification->actions[i], key))
        return notification->actions[i + 1];
    }

  return NULL;
}

/**
 * vigie_fake_menu_entry_free:
 * @entry: (nullable): a menu entry
 *
 * Frees a #VigieFakeMenuEntry.
 */
void
vigie_fake_menu_entry_free (VigieFakeMenuEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->label);
  g_free (entry->type);
  g_free (entry->toggle_type);
  g_free (entry);
}

static void
item_free (Item *item)
{
  if (item->watch_id != 0)
    g_bus_unwatch_name (item->watch_id);
  g_free (item->key);
  g_free (item->bus_name);
  g_free (item->path);
  g_free (item);
}

static void
item_watch_free (gpointer data)
{
  ItemWatch *watch = data;

  g_free (watch->key);
  g_free (watch);
}

/* ---------------------------------------------------------------------- */
/* Waiting                                                                */

#define FAIL_TEST(...) vigie_test_fail_at (__FILE__, __LINE__, G_STRFUNC, __VA_ARGS__)

/* Called with the lock held whenever recorded state changes. */
static void
wake_waiters_locked (VigieFakeDesktop *self)
{
  for (guint i = 0; i < self->waiters->len; i++)
    g_main_context_wakeup (g_ptr_array_index (self->waiters, i));
}

typedef gboolean (*Predicate) (VigieFakeDesktop *self,
                               gpointer          data);

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the caller's thread-default context until @predicate holds
 * (checked after every change of recorded state) or @timeout_ms expire.
 * A NULL @predicate never holds: this then just lets time pass. */
static gboolean
iterate_until (VigieFakeDesktop *self,
               Predicate         predicate,
               gpointer          data,
               guint             timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  gboolean timed_out = FALSE;
  gboolean done = FALSE;

  g_source_set_callback (timeout, set_flag_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->waiters, g_main_context_ref (context));
  g_mutex_unlock (&self->lock);

  while (!(done = predicate != NULL && predicate (self, data)) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_mutex_lock (&self->lock);
  g_ptr_array_remove (self->waiters, context);
  g_mutex_unlock (&self->lock);

  g_source_destroy (timeout);

  return done;
}

typedef void (*ThreadFunc) (VigieFakeDesktop *self,
                            gpointer          data);

typedef struct
{
  VigieFakeDesktop *self;
  ThreadFunc func;
  gpointer data;
  GMainContext *caller;
  gint done;
} ThreadCall;

static gboolean
thread_call_dispatch (gpointer user_data)
{
  ThreadCall *call = user_data;
  g_autoptr(GMainContext) caller = g_main_context_ref (call->caller);

  call->func (call->self, call->data);

  /* The caller may return (and @call vanish) as soon as done is set. */
  g_atomic_int_set (&call->done, TRUE);
  g_main_context_wakeup (caller);

  return G_SOURCE_REMOVE;
}

/* Runs @func on the fake's thread and returns once it has run, iterating
 * the caller's thread-default context meanwhile. */
static void
run_on_thread (VigieFakeDesktop *self,
               ThreadFunc        func,
               gpointer          data)
{
  ThreadCall call = { self, func, data, g_main_context_ref_thread_default (), FALSE };

  g_main_context_invoke (self->context, thread_call_dispatch, &call);
  while (!g_atomic_int_get (&call.done))
    g_main_context_iteration (call.caller, TRUE);

  g_main_context_unref (call.caller);
}

/* ---------------------------------------------------------------------- */
/* Signals (any thread: g_dbus_connection_emit_signal () is thread-safe)   */

static void
emit_signal (VigieFakeDesktop *self,
             const char       *path,
             const char       *iface,
             const char       *signal,
             GVariant         *parameters)
{
  g_autoptr(GError) error = NULL;

  /* Once the connection is closed (teardown), nobody is left to tell. */
  if (!g_dbus_connection_emit_signal (self->connection, NULL, path, iface, signal,
                                      parameters, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    g_warning ("Could not emit %s.%s: %s", iface, signal, error->message);
}

static void
emit_closed (VigieFakeDesktop *self,
             guint32           id,
             guint32           reason)
{
  emit_signal (self, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE, "NotificationClosed",
               g_variant_new ("(uu)", id, reason));
}

/* ---------------------------------------------------------------------- */
/* org.freedesktop.Notifications (fake's thread)                          */

static gboolean
hint_number (GVariant   *hints,
             const char *key,
             gint64     *out)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (hints, key, NULL);

  if (value == NULL)
    return FALSE;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTE))
    *out = g_variant_get_byte (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    *out = g_variant_get_boolean (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    *out = g_variant_get_uint32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    *out = g_variant_get_int64 (value);
  else
    return FALSE;

  return TRUE;
}

static char *
hint_string (GVariant   *hints,
             const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (hints, key, G_VARIANT_TYPE_STRING);

  return value != NULL ? g_variant_dup_string (value, NULL) : NULL;
}

static void
handle_notify (VigieFakeDesktop      *self,
               const char            *sender,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation)
{
  g_autoptr(VigieFakeNotification) n = g_new0 (VigieFakeNotification, 1);
  gint64 number;

  g_variant_get (parameters, "(susss^as@a{sv}i)", &n->app_name, &n->replaces_id, &n->app_icon,
                 &n->summary, &n->body, &n->actions, &n->hints, &n->expire_timeout);
  n->sender = g_strdup (sender);
  n->urgency = hint_number (n->hints, "urgency", &number) ? (guint8) number : 1;
  n->resident = hint_number (n->hints, "resident", &number) && number != 0;
  n->transient = hint_number (n->hints, "transient", &number) && number != 0;
  n->category = hint_string (n->hints, "category");
  n->desktop_entry = hint_string (n->hints, "desktop-entry");

  g_mutex_lock (&self->lock);
  if (n->replaces_id != 0)
    {
      /* As the specification says, the replacement keeps the id, whether
       * or not the notification it names is still on screen. */
      n->id = n->replaces_id;
      n->replaced = g_hash_table_contains (self->open, GUINT_TO_POINTER (n->id));
      self->last_id = MAX (self->last_id, n->id);
    }
  else
    {
      n->id = ++self->last_id;
    }
  g_hash_table_replace (self->open, GUINT_TO_POINTER (n->id), notification_copy (n));
  g_ptr_array_add (self->log, notification_copy (n));
  wake_waiters_locked (self);
  g_mutex_unlock (&self->lock);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
}

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  VigieFakeDesktop *self = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      handle_notify (self, sender, parameters, invocation);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      GVariant *caps;

      g_mutex_lock (&self->lock);
      caps = g_variant_new_strv ((const char *const *) self->capabilities, -1);
      g_mutex_unlock (&self->lock);
      g_dbus_method_invocation_return_value (invocation, g_variant_new_tuple (&caps, 1));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      guint32 id;
      gboolean was_open;

      g_variant_get (parameters, "(u)", &id);
      g_mutex_lock (&self->lock);
      g_array_append_val (self->close_requests, id);
      was_open = g_hash_table_remove (self->open, GUINT_TO_POINTER (id));
      wake_waiters_locked (self);
      g_mutex_unlock (&self->lock);

      /* Signal first, so the caller sees it before its call returns. Like
       * GNOME Shell, no error for a notification that is already gone. */
      if (was_open)
        emit_closed (self, id, 3);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "vigie-fake-desktop",
                                                            "vigie", "1.0", "1.2"));
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No such method %s", method_name);
    }
}

static const GDBusInterfaceVTable notifications_vtable = {
  notifications_method_call, NULL, NULL, { 0 }
};

/* ---------------------------------------------------------------------- */
/* org.kde.StatusNotifierWatcher (fake's thread)                          */

static void
item_vanished_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ItemWatch *watch = user_data;
  VigieFakeDesktop *self = watch->self;
  g_autofree char *key = g_strdup (watch->key); /* item_free () frees @watch */
  gboolean removed = FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (g_str_equal (item->key, key))
        {
          g_ptr_array_remove_index (self->items, i);
          removed = TRUE;
          break;
        }
    }
  wake_waiters_locked (self);
  g_mutex_unlock (&self->lock);

  if (removed)
    emit_signal (self, WATCHER_PATH, WATCHER_IFACE, "StatusNotifierItemUnregistered",
                 g_variant_new ("(s)", key));
}

static void
handle_register_item (VigieFakeDesktop      *self,
                      const char            *sender,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation)
{
  const char *service;
  const char *bus_name;
  const char *path;
  g_autofree char *key = NULL;
  ItemWatch *watch;
  Item *item;

  /* The KDE protocol: the argument is the item's bus name (the object then
   * being at /StatusNotifierItem), or — as libayatana-appindicator sends —
   * an object path on the caller's connection. */
  g_variant_get (parameters, "(&s)", &service);
  if (service[0] == '/')
    {
      if (!g_variant_is_object_path (service))
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS,
                                                 "Not an object path: %s", service);
          return;
        }
      bus_name = sender;
      path = service;
    }
  else
    {
      if (!g_dbus_is_name (service))
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS,
                                                 "Not a bus name: %s", service);
          return;
        }
      bus_name = service;
      path = ITEM_DEFAULT_PATH;
    }
  key = g_strconcat (bus_name, path, NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->items->len; i++)
    {
      if (g_str_equal (((Item *) g_ptr_array_index (self->items, i))->key, key))
        {
          /* Registering again is harmless, as with KDE's watcher. */
          g_mutex_unlock (&self->lock);
          g_dbus_method_invocation_return_value (invocation, NULL);
          return;
        }
    }

  item = g_new0 (Item, 1);
  item->key = g_strdup (key);
  item->bus_name = g_strdup (bus_name);
  item->path = g_strdup (path);
  watch = g_new0 (ItemWatch, 1);
  watch->self = self;
  watch->key = g_strdup (key);
  item->watch_id = g_bus_watch_name_on_connection (self->connection, bus_name,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
                                                   item_vanished_cb, watch, item_watch_free);
  g_ptr_array_add (self->items, item);
  wake_waiters_locked (self);
  g_mutex_unlock (&self->lock);

  g_dbus_method_invocation_return_value (invocation, NULL);
  emit_signal (self, WATCHER_PATH, WATCHER_IFACE, "StatusNotifierItemRegistered",
               g_variant_new ("(s)", key));
}

static void
watcher_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  VigieFakeDesktop *self = user_data;

  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      handle_register_item (self, sender, parameters, invocation);
    }
  else if (g_str_equal (method_name, "RegisterStatusNotifierHost"))
    {
      g_mutex_lock (&self->lock);
      self->host_registered = TRUE;
      wake_waiters_locked (self);
      g_mutex_unlock (&self->lock);
      g_dbus_method_invocation_return_value (invocation, NULL);
      emit_signal (self, WATCHER_PATH, WATCHER_IFACE, "StatusNotifierHostRegistered", NULL);
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No such method %s", method_name);
    }
}

static GVariant *
watcher_get_property (GDBusConnection *connection,
                      const char      *sender,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *property_name,
                      GError         **error,
                      gpointer         user_data)
{
  VigieFakeDesktop *self = user_data;

  if (g_str_equal (property_name, "RegisteredStatusNotifierItems"))
    {
      g_auto(GStrv) items = vigie_fake_desktop_get_items (self);

      return g_variant_new_strv ((const char *const *) items, -1);
    }
  else if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    {
      /* The fake desktop is itself a host. */
      return g_variant_new_boolean (TRUE);
    }
  else if (g_str_equal (property_name, "ProtocolVersion"))
    {
      return g_variant_new_int32 (0);
    }

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No such property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable watcher_vtable = {
  watcher_method_call, watcher_get_property, NULL, { 0 }
};

/* ---------------------------------------------------------------------- */
/* Starting and stopping the services                                     */

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  Service *service = user_data;

  g_mutex_lock (&service->self->lock);
  service->state = NAME_OWNED;
  wake_waiters_locked (service->self);
  g_mutex_unlock (&service->self->lock);
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  Service *service = user_data;

  g_mutex_lock (&service->self->lock);
  service->state = NAME_LOST;
  wake_waiters_locked (service->self);
  g_mutex_unlock (&service->self->lock);
}

typedef struct
{
  Service *service;
  GError *error;
} StartData;

static void
thread_start_service (VigieFakeDesktop *self,
                      gpointer          data)
{
  StartData *start = data;
  Service *service = start->service;

  if (service->registration_id == 0)
    {
      service->registration_id =
        g_dbus_connection_register_object (self->connection, service->path, service->info,
                                           service->vtable, self, NULL, &start->error);
      if (service->registration_id == 0)
        return;
    }

  if (service->own_id == 0)
    {
      g_mutex_lock (&self->lock);
      service->state = NAME_PENDING;
      g_mutex_unlock (&self->lock);
      service->own_id = g_bus_own_name_on_connection (self->connection, service->name,
                                                      G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                      name_acquired_cb, name_lost_cb,
                                                      service, NULL);
    }
}

/* Releases the name (synchronously) and withdraws the object, as if the
 * service's process had gone; what it kept in memory goes with it. */
static void
thread_stop_service (VigieFakeDesktop *self,
                     gpointer          data)
{
  Service *service = data;

  if (service->own_id != 0)
    g_bus_unown_name (service->own_id);
  service->own_id = 0;
  if (service->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, service->registration_id);
  service->registration_id = 0;

  g_mutex_lock (&self->lock);
  service->state = NAME_STOPPED;
  if (service == &self->notifications)
    g_hash_table_remove_all (self->open);
  else
    g_ptr_array_set_size (self->items, 0);
  wake_waiters_locked (self);
  g_mutex_unlock (&self->lock);
}

static gboolean
service_settled (VigieFakeDesktop *self,
                 gpointer          data)
{
  Service *service = data;
  gboolean settled;

  g_mutex_lock (&self->lock);
  settled = service->state != NAME_PENDING;
  g_mutex_unlock (&self->lock);

  return settled;
}

static gboolean
start_service (VigieFakeDesktop *self,
               Service          *service,
               GError          **error)
{
  StartData start = { service, NULL };
  NameState state;

  run_on_thread (self, thread_start_service, &start);
  if (start.error != NULL)
    {
      g_propagate_error (error, start.error);
      return FALSE;
    }

  if (!iterate_until (self, service_settled, service, START_TIMEOUT_MS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "Timed out acquiring the bus name %s", service->name);
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  state = service->state;
  g_mutex_unlock (&self->lock);

  if (state != NAME_OWNED)
    {
      run_on_thread (self, thread_stop_service, service);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "Could not own the bus name %s: is another desktop running on this bus?",
                   service->name);
      return FALSE;
    }

  return TRUE;
}

/**
 * vigie_fake_desktop_start_notifications:
 * @self: a fake desktop
 * @error: return location for a #GError
 *
 * (Re)starts the notification daemon: exports it and waits until it owns
 * org.freedesktop.Notifications. It starts with the fake desktop; this is
 * for bringing it back after vigie_fake_desktop_stop_notifications(). Ids
 * keep counting from where they were.
 *
 * Returns: %TRUE once the daemon answers
 */
gboolean
vigie_fake_desktop_start_notifications (VigieFakeDesktop *self,
                                        GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return start_service (self, &self->notifications, error);
}

/**
 * vigie_fake_desktop_stop_notifications:
 * @self: a fake desktop
 *
 * Stops the notification daemon as if it had died: releases the name and
 * withdraws the object, without emitting anything. Notifications that were
 * open are forgotten; the recorded calls are kept. Returns once the name
 * is released.
 */
void
vigie_fake_desktop_stop_notifications (VigieFakeDesktop *self)
{
  g_return_if_fail (self != NULL);

  run_on_thread (self, thread_stop_service, &self->notifications);
}

/**
 * vigie_fake_desktop_start_watcher:
 * @self: a fake desktop
 * @error: return location for a #GError
 *
 * (Re)starts the StatusNotifierWatcher and waits until it owns
 * org.kde.StatusNotifierWatcher. Items already on the bus are expected to
 * notice the name coming back and register again.
 *
 * Returns: %TRUE once the watcher answers
 */
gboolean
vigie_fake_desktop_start_watcher (VigieFakeDesktop *self,
                                  GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return start_service (self, &self->watcher, error);
}

/**
 * vigie_fake_desktop_stop_watcher:
 * @self: a fake desktop
 *
 * Stops the StatusNotifierWatcher as if the panel had died: releases the
 * name, withdraws the object and forgets the registered items. Returns
 * once the name is released.
 */
void
vigie_fake_desktop_stop_watcher (VigieFakeDesktop *self)
{
  g_return_if_fail (self != NULL);

  run_on_thread (self, thread_stop_service, &self->watcher);
}

/* ---------------------------------------------------------------------- */
/* Life cycle                                                             */

static gpointer
desktop_thread (gpointer data)
{
  VigieFakeDesktop *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  /* Let GDBus deliver what it queued for us (destroy notifications). */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

typedef struct
{
  const char *address;
  GError *error;
} ConnectData;

static void
thread_connect (VigieFakeDesktop *self,
                gpointer          data)
{
  ConnectData *connect = data;

  /* Created on this thread so that its callbacks come to our context. */
  self->connection =
    g_dbus_connection_new_for_address_sync (connect->address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                            | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &connect->error);
}

static void
thread_teardown (VigieFakeDesktop *self,
                 gpointer          data)
{
  thread_stop_service (self, &self->notifications);
  thread_stop_service (self, &self->watcher);
  if (self->connection != NULL)
    g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_main_loop_quit (self->loop);
}

/**
 * vigie_fake_desktop_new:
 * @error: return location for a #GError
 *
 * Starts a fake desktop on the session bus (DBUS_SESSION_BUS_ADDRESS): its
 * thread, its connection, the notification daemon and the StatusNotifier
 * watcher. Returns once both own their names.
 *
 * Returns: (transfer full) (nullable): the fake desktop, or %NULL if the
 *   bus is unreachable or the names are taken
 */
VigieFakeDesktop *
vigie_fake_desktop_new (GError **error)
{
  g_autoptr(VigieFakeDesktop) self = g_new0 (VigieFakeDesktop, 1);
  g_autofree char *address = NULL;
  ConnectData connect = { NULL, NULL };

  g_mutex_init (&self->lock);
  self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) g_main_context_unref);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_fake_notification_free);
  self->close_requests = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->open = g_hash_table_new_full (NULL, NULL, NULL,
                                      (GDestroyNotify) vigie_fake_notification_free);
  self->capabilities = g_strdupv ((char **) default_capabilities);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);

  self->notifications_node = g_dbus_node_info_new_for_xml (notifications_xml, error);
  if (self->notifications_node == NULL)
    return NULL;
  self->watcher_node = g_dbus_node_info_new_for_xml (watcher_xml, error);
  if (self->watcher_node == NULL)
    return NULL;

  self->notifications = (Service) {
    self, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH, self->notifications_node->interfaces[0],
    &notifications_vtable, 0, 0, NAME_STOPPED
  };
  self->watcher = (Service) {
    self, WATCHER_NAME, WATCHER_PATH, self->watcher_node->interfaces[0], &watcher_vtable,
    0, 0, NAME_STOPPED
  };

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (address == NULL)
    return NULL;

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("vigie-fake-desktop", desktop_thread, self);

  connect.address = address;
  run_on_thread (self, thread_connect, &connect);
  if (self->connection == NULL)
    {
      g_propagate_error (error, connect.error);
      return NULL;
    }

  if (!vigie_fake_desktop_start_notifications (self, error)
      || !vigie_fake_desktop_start_watcher (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * vigie_fake_desktop_free:
 * @self: (nullable): a fake desktop
 *
 * Stops the services, closes the connection, joins the thread and frees
 * everything.
 */
void
vigie_fake_desktop_free (VigieFakeDesktop *self)
{
  if (self == NULL)
    return;

  if (self->thread != NULL)
    {
      run_on_thread (self, thread_teardown, NULL);
      g_thread_join (self->thread);
    }

  g_clear_object (&self->connection);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->notifications_node, g_dbus_node_info_unref);
  g_clear_pointer (&self->watcher_node, g_dbus_node_info_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->log, g_ptr_array_unref);
  g_clear_pointer (&self->close_requests, g_array_unref);
  g_clear_pointer (&self->open, g_hash_table_unref);
  g_clear_pointer (&self->capabilities, g_strfreev);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * vigie_fake_desktop_get_unique_name:
 * @self: a fake desktop
 *
 * Returns: the unique bus name of the fake desktop's connection
 */
const char *
vigie_fake_desktop_get_unique_name (VigieFakeDesktop *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_dbus_connection_get_unique_name (self->connection);
}

/* ---------------------------------------------------------------------- */
/* Notifications: test API                                                */

/**
 * vigie_fake_desktop_set_capabilities:
 * @self: a fake desktop
 * @capabilities: (nullable) (array zero-terminated=1): what GetCapabilities
 *   answers from now on, or %NULL for the default ("actions", "body",
 *   "body-markup", "persistence", "icon-static")
 *
 * Sets the daemon's capabilities.
 */
void
vigie_fake_desktop_set_capabilities (VigieFakeDesktop  *self,
                                     const char *const *capabilities)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  g_strfreev (self->capabilities);
  self->capabilities = g_strdupv ((char **) (capabilities != NULL ? capabilities
                                                                  : default_capabilities));
  g_mutex_unlock (&self->lock);
}

/**
 * vigie_fake_desktop_get_notifications:
 * @self: a fake desktop
 *
 * Returns a copy of every Notify call recorded since the start or the last
 * vigie_fake_desktop_clear_notifications(), oldest first.
 *
 * Returns: (transfer full) (element-type VigieFakeNotification): the
 *   records; free with g_ptr_array_unref()
 */
GPtrArray *
vigie_fake_desktop_get_notifications (VigieFakeDesktop *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  copy = g_ptr_array_new_full (self->log->len, (GDestroyNotify) vigie_fake_notification_free);
  for (guint i = 0; i < self->log->len; i++)
    g_ptr_array_add (copy, notification_copy (g_ptr_array_index (self->log, i)));
  g_mutex_unlock (&self->lock);

  return copy;
}

static gboolean
enough_notifications (VigieFakeDesktop *self,
                      gpointer          data)
{
  gboolean enough;

  g_mutex_lock (&self->lock);
  enough = self->log->len >= GPOINTER_TO_UINT (data);
  g_mutex_unlock (&self->lock);

  return enough;
}

/**
 * vigie_fake_desktop_wait_for_notifications:
 * @self: a fake desktop
 * @n: how many Notify calls to wait for, counted like
 *   vigie_fake_desktop_get_notifications()
 * @timeout_ms: how long to wait
 *
 * Iterates the calling thread's main context until at least @n Notify calls
 * are recorded. Fails the test if @timeout_ms expire first.
 *
 * Returns: %TRUE if they arrived (%FALSE only with non-fatal assertions)
 */
gboolean
vigie_fake_desktop_wait_for_notifications (VigieFakeDesktop *self,
                                           guint             n,
                                           guint             timeout_ms)
{
  guint got;

  g_return_val_if_fail (self != NULL, FALSE);

  if (iterate_until (self, enough_notifications, GUINT_TO_POINTER (n), timeout_ms))
    return TRUE;

  g_mutex_lock (&self->lock);
  got = self->log->len;
  g_mutex_unlock (&self->lock);
  FAIL_TEST ("Timed out after %u ms waiting for %u notification(s); %u arrived",
             timeout_ms, n, got);

  return FALSE;
}

/**
 * vigie_fake_desktop_clear_notifications:
 * @self: a fake desktop
 *
 * Forgets the recorded Notify and CloseNotification calls. Open
 * notifications stay open, and ids keep counting.
 */
void
vigie_fake_desktop_clear_notifications (VigieFakeDesktop *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->log, 0);
  g_array_set_size (self->close_requests, 0);
  g_mutex_unlock (&self->lock);
}

/**
 * vigie_fake_desktop_is_notification_open:
 * @self: a fake desktop
 * @id: a notification id
 *
 * Whether notification @id is "on screen": shown and not yet closed (by
 * CloseNotification, an invoked action or
 * vigie_fake_desktop_close_notification()). The fake never expires
 * notifications by itself.
 *
 * Returns: %TRUE if it is open
 */
gboolean
vigie_fake_desktop_is_notification_open (VigieFakeDesktop *self,
                                         guint32           id)
{
  gboolean open;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  open = g_hash_table_contains (self->open, GUINT_TO_POINTER (id));
  g_mutex_unlock (&self->lock);

  return open;
}

/**
 * vigie_fake_desktop_get_close_requests:
 * @self: a fake desktop
 *
 * Returns the ids passed to CloseNotification, oldest first.
 *
 * Returns: (transfer full) (element-type guint32): the ids
 */
GArray *
vigie_fake_desktop_get_close_requests (VigieFakeDesktop *self)
{
  GArray *copy;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  copy = g_array_sized_new (FALSE, FALSE, sizeof (guint32), self->close_requests->len);
  g_array_append_vals (copy, self->close_requests->data, self->close_requests->len);
  g_mutex_unlock (&self->lock);

  return copy;
}

typedef struct
{
  guint32 id;
  const char *key;              /* NULL: close with reason */
  guint32 reason;
  GError *error;
} UserActionData;

static void
thread_user_action (VigieFakeDesktop *self,
                    gpointer          data)
{
  UserActionData *action = data;
  VigieFakeNotification *n;
  gboolean close = TRUE;

  g_mutex_lock (&self->lock);
  n = g_hash_table_lookup (self->open, GUINT_TO_POINTER (action->id));
  if (n == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (&action->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Notification %u is not open", action->id);
      return;
    }
  if (action->key != NULL)
    {
      if (vigie_fake_notification_get_action_label (n, action->key) == NULL)
        {
          g_mutex_unlock (&self->lock);
          g_set_error (&action->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "Notification %u has no action \"%s\"", action->id, action->key);
          return;
        }
      /* A resident notification stays after its action (specification). */
      close = !n->resident;
    }
  if (close)
    g_hash_table_remove (self->open, GUINT_TO_POINTER (action->id));
  wake_waiters_locked (self);
  g_mutex_unlock (&self->lock);

  if (action->key != NULL)
    {
      g_autofree char *token = g_strdup_printf ("vigie-fake-desktop-%u", action->id);

      /* Specification 1.2: the token comes just before the action. */
      emit_signal (self, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE, "ActivationToken",
                   g_variant_new ("(us)", action->id, token));
      emit_signal (self, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE, "ActionInvoked",
                   g_variant_new ("(us)", action->id, action->key));
    }
  if (close)
    emit_closed (self, action->id, action->reason);
}

/**
 * vigie_fake_desktop_invoke_action:
 * @self: a fake desktop
 * @id: an open notification
 * @action_key: one of its action keys
 * @error: return location for a #GError
 *
 * Plays the user clicking an action: emits ActivationToken (the token is
 * "vigie-fake-desktop-ID") and ActionInvoked, then — unless
 * the notification is resident — NotificationClosed with reason 2
 * (dismissed), as real daemons do. The application receives them when its
 * main context runs; this returns as soon as they are sent. Beware that
 * libnotify then forgets the notification's id: showing the same
 * NotifyNotification again makes a new notification (replaces_id 0).
 *
 * Returns: %TRUE if sent; %FALSE if @id is not open or has no such action
 */
gboolean
vigie_fake_desktop_invoke_action (VigieFakeDesktop *self,
                                  guint32           id,
                                  const char       *action_key,
                                  GError          **error)
{
  UserActionData action = { id, action_key, 2, NULL };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (action_key != NULL, FALSE);

  run_on_thread (self, thread_user_action, &action);
  if (action.error != NULL)
    {
      g_propagate_error (error, action.error);
      return FALSE;
    }

  return TRUE;
}

/**
 * vigie_fake_desktop_close_notification:
 * @self: a fake desktop
 * @id: an open notification
 * @reason: 1 expired, 2 dismissed by the user, 3 closed by
 *   CloseNotification, 4 undefined
 * @error: return location for a #GError
 *
 * Closes an open notification from the daemon's side (the user dismissing
 * it, or it expiring), emitting NotificationClosed with @reason.
 *
 * Returns: %TRUE if sent; %FALSE if @id is not open
 */
gboolean
vigie_fake_desktop_close_notification (VigieFakeDesktop *self,
                                       guint32           id,
                                       guint32           reason,
                                       GError          **error)
{
  UserActionData action = { id, NULL, reason, NULL };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (reason >= 1 && reason <= 4, FALSE);

  run_on_thread (self, thread_user_action, &action);
  if (action.error != NULL)
    {
      g_propagate_error (error, action.error);
      return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* StatusNotifier host: test API                                          */

/**
 * vigie_fake_desktop_get_items:
 * @self: a fake desktop
 *
 * Returns the registered items as RegisteredStatusNotifierItems lists
 * them: bus name followed by object path, oldest first.
 *
 * Returns: (transfer full) (array zero-terminated=1): the items
 */
char **
vigie_fake_desktop_get_items (VigieFakeDesktop *self)
{
  GStrvBuilder *builder;
  char **items;

  g_return_val_if_fail (self != NULL, NULL);

  builder = g_strv_builder_new ();
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->items->len; i++)
    g_strv_builder_add (builder, ((Item *) g_ptr_array_index (self->items, i))->key);
  g_mutex_unlock (&self->lock);
  items = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return items;
}

static gboolean
has_item (VigieFakeDesktop *self,
          gpointer          data)
{
  gboolean has;

  g_mutex_lock (&self->lock);
  has = self->items->len > 0;
  g_mutex_unlock (&self->lock);

  return has;
}

/**
 * vigie_fake_desktop_wait_for_item:
 * @self: a fake desktop
 * @timeout_ms: how long to wait
 *
 * Iterates the calling thread's main context until an item is registered
 * with the watcher. Fails the test if @timeout_ms expire first.
 *
 * Returns: (transfer full) (nullable): the latest item, as
 *   vigie_fake_desktop_get_items() lists it (%NULL only with non-fatal
 *   assertions)
 */
char *
vigie_fake_desktop_wait_for_item (VigieFakeDesktop *self,
                                  guint             timeout_ms)
{
  char *key = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!iterate_until (self, has_item, NULL, timeout_ms))
    {
      FAIL_TEST ("Timed out after %u ms waiting for a StatusNotifierItem to register",
                 timeout_ms);
      return NULL;
    }

  g_mutex_lock (&self->lock);
  if (self->items->len > 0)
    key = g_strdup (((Item *) g_ptr_array_index (self->items, self->items->len - 1))->key);
  g_mutex_unlock (&self->lock);

  return key;
}

static gboolean
get_current_item (VigieFakeDesktop *self,
                  char            **bus_name,
                  char            **path,
                  GError          **error)
{
  gboolean found = FALSE;

  g_mutex_lock (&self->lock);
  if (self->items->len > 0)
    {
      Item *item = g_ptr_array_index (self->items, self->items->len - 1);

      *bus_name = g_strdup (item->bus_name);
      *path = g_strdup (item->path);
      found = TRUE;
    }
  g_mutex_unlock (&self->lock);

  if (!found)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         "No StatusNotifierItem is registered");

  return found;
}

typedef struct
{
  GVariant *reply;
  GError *error;
  gboolean done;
} CallData;

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CallData *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

/* A method call from the caller's thread, iterating its context (where the
 * application answers) until the reply comes. */
static GVariant *
call_iterating (VigieFakeDesktop   *self,
                const char         *bus_name,
                const char         *path,
                const char         *iface,
                const char         *method,
                GVariant           *parameters,
                const GVariantType *reply_type,
                GError            **error)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  CallData call = { NULL, NULL, FALSE };

  g_dbus_connection_call (self->connection, bus_name, path, iface, method, parameters,
                          reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS, NULL,
                          call_done_cb, &call);
  while (!call.done)
    g_main_context_iteration (context, TRUE);

  if (call.error != NULL)
    {
      g_propagate_error (error, call.error);
      return NULL;
    }

  return call.reply;
}

/**
 * vigie_fake_desktop_get_item_property:
 * @self: a fake desktop
 * @name: an org.kde.StatusNotifierItem property: "Id", "Title", "Status",
 *   "IconName", "AttentionIconName", "IconThemePath", "Menu",
 *   "XAyatanaLabel", …
 * @error: return location for a #GError
 *
 * Reads a property of the latest registered item over D-Bus, now.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL with @error set
 */
GVariant *
vigie_fake_desktop_get_item_property (VigieFakeDesktop *self,
                                      const char       *name,
                                      GError          **error)
{
  g_autofree char *bus_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!get_current_item (self, &bus_name, &path, error))
    return NULL;

  reply = call_iterating (self, bus_name, path, "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", ITEM_IFACE, name), G_VARIANT_TYPE ("(v)"),
                          error);
  if (reply == NULL)
    return NULL;

  g_variant_get (reply, "(v)", &value);

  return value;
}

static char *
variant_to_text (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
      || g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH)
      || g_variant_is_of_type (value, G_VARIANT_TYPE_SIGNATURE))
    return g_variant_dup_string (value, NULL);

  return g_variant_print (value, FALSE);
}

/**
 * vigie_fake_desktop_wait_for_item_property:
 * @self: a fake desktop
 * @name: an org.kde.StatusNotifierItem property
 * @expected: the value to wait for: a string property's text, or for
 *   other types the value as g_variant_print() writes it without type
 *   annotations ("5", "true", …)
 * @timeout_ms: how long to wait
 *
 * Re-reads the property of the latest registered item every few
 * milliseconds, iterating the calling thread's main context, until it
 * equals @expected. Fails the test, saying what was last read, if
 * @timeout_ms expire first.
 *
 * Returns: %TRUE if it came (%FALSE only with non-fatal assertions)
 */
gboolean
vigie_fake_desktop_wait_for_item_property (VigieFakeDesktop *self,
                                           const char       *name,
                                           const char       *expected,
                                           guint             timeout_ms)
{
  gint64 deadline;
  g_autofree char *last = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (expected != NULL, FALSE);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) value = vigie_fake_desktop_get_item_property (self, name, &error);

      g_free (last);
      if (value != NULL)
        last = variant_to_text (value);
      else
        last = g_strdup_printf ("(error: %s)", error->message);

      if (value != NULL && g_str_equal (last, expected))
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        break;

      iterate_until (self, NULL, NULL, POLL_INTERVAL_MS);
    }

  FAIL_TEST ("Timed out after %u ms waiting for the tray item's %s to be \"%s\"; "
             "it was \"%s\"", timeout_ms, name, expected, last);

  return FALSE;
}

static char *
strip_mnemonic (const char *label)
{
  GString *text = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] != '_')
            continue;
          p++;                  /* "__" is a literal underscore */
        }
      g_string_append_c (text, *p);
    }

  return g_string_free (text, FALSE);
}

static char *
prop_string (GVariant   *props,
             const char *key,
             const char *fallback)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (props, key, G_VARIANT_TYPE_STRING);

  return g_strdup (value != NULL ? g_variant_get_string (value, NULL) : fallback);
}

static gboolean
prop_boolean (GVariant   *props,
              const char *key,
              gboolean    fallback)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (props, key, G_VARIANT_TYPE_BOOLEAN);

  return value != NULL ? g_variant_get_boolean (value) : fallback;
}

/* @node is a (ia{sv}av) layout item; adds its children, depth first. */
static void
flatten_layout (GVariant  *node,
                guint      depth,
                GPtrArray *entries)
{
  g_autoptr(GVariant) children = g_variant_get_child_value (node, 2);

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) state = NULL;
      g_autofree char *label = NULL;
      g_autofree char *display = NULL;
      VigieFakeMenuEntry *entry;

      if (!g_variant_is_of_type (child, G_VARIANT_TYPE ("(ia{sv}av)")))
        continue;

      props = g_variant_get_child_value (child, 1);
      entry = g_new0 (VigieFakeMenuEntry, 1);
      g_variant_get_child (child, 0, "i", &entry->id);
      entry->depth = depth;
      label = prop_string (props, "label", "");
      entry->label = strip_mnemonic (label);
      entry->type = prop_string (props, "type", "standard");
      entry->enabled = prop_boolean (props, "enabled", TRUE);
      entry->visible = prop_boolean (props, "visible", TRUE);
      entry->toggle_type = prop_string (props, "toggle-type", "");
      state = g_variant_lookup_value (props, "toggle-state", G_VARIANT_TYPE_INT32);
      entry->toggle_state = state != NULL ? g_variant_get_int32 (state) : -1;
      display = prop_string (props, "children-display", "");
      entry->has_submenu = g_str_equal (display, "submenu");
      g_ptr_array_add (entries, entry);

      flatten_layout (child, depth + 1, entries);
    }
}

static GPtrArray *
fetch_menu (VigieFakeDesktop *self,
            char            **bus_name,
            char            **menu_path,
            GError          **error)
{
  g_autofree char *item_path = NULL;
  g_autoptr(GVariant) menu = NULL;
  g_autoptr(GVariant) shown = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) layout = NULL;
  GPtrArray *entries;

  if (!get_current_item (self, bus_name, &item_path, error))
    return NULL;

  menu = vigie_fake_desktop_get_item_property (self, "Menu", error);
  if (menu == NULL)
    return NULL;
  if (!g_variant_is_of_type (menu, G_VARIANT_TYPE_OBJECT_PATH)
      || g_str_equal (g_variant_get_string (menu, NULL), "/"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The tray item has no menu");
      return NULL;
    }
  *menu_path = g_variant_dup_string (menu, NULL);

  /* As a host does before it opens the menu; its answer does not matter. */
  shown = call_iterating (self, *bus_name, *menu_path, DBUSMENU_IFACE, "AboutToShow",
                          g_variant_new ("(i)", 0), NULL, NULL);

  reply = call_iterating (self, *bus_name, *menu_path, DBUSMENU_IFACE, "GetLayout",
                          g_variant_new ("(ii@as)", 0, -1,
                                         g_variant_new_strv (NULL, 0)),
                          G_VARIANT_TYPE ("(u(ia{sv}av))"), error);
  if (reply == NULL)
    return NULL;

  layout = g_variant_get_child_value (reply, 1);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_fake_menu_entry_free);
  flatten_layout (layout, 1, entries);

  return entries;
}

/**
 * vigie_fake_desktop_get_menu:
 * @self: a fake desktop
 * @error: return location for a #GError
 *
 * Reads the latest registered item's menu as a host does: asks its Menu
 * property, calls com.canonical.dbusmenu.AboutToShow(0) then
 * GetLayout(0, -1, []), and flattens the tree depth first (the root item
 * itself is left out).
 *
 * Returns: (transfer full) (element-type VigieFakeMenuEntry) (nullable):
 *   the entries, or %NULL with @error set
 */
GPtrArray *
vigie_fake_desktop_get_menu (VigieFakeDesktop *self,
                             GError          **error)
{
  g_autofree char *bus_name = NULL;
  g_autofree char *menu_path = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  return fetch_menu (self, &bus_name, &menu_path, error);
}

/**
 * vigie_fake_desktop_activate_menu_item:
 * @self: a fake desktop
 * @label: the label of the entry, without mnemonic underscores
 * @error: return location for a #GError
 *
 * Clicks the first menu entry labelled @label, as a host does: sends
 * com.canonical.dbusmenu.Event(id, "clicked", <0>, timestamp) and waits
 * for the reply. The application runs its handler when its main context
 * next runs. As a user could not, this refuses separators and disabled or
 * hidden entries.
 *
 * Returns: %TRUE if the click was delivered
 */
gboolean
vigie_fake_desktop_activate_menu_item (VigieFakeDesktop *self,
                                       const char       *label,
                                       GError          **error)
{
  g_autofree char *bus_name = NULL;
  g_autofree char *menu_path = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GString) labels = g_string_new (NULL);
  VigieFakeMenuEntry *target = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  entries = fetch_menu (self, &bus_name, &menu_path, error);
  if (entries == NULL)
    return FALSE;

  for (guint i = 0; i < entries->len && target == NULL; i++)
    {
      VigieFakeMenuEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->type, "separator"))
        continue;
      if (g_str_equal (entry->label, label))
        target = entry;
      g_string_append_printf (labels, "%s\"%s\"", labels->len > 0 ? ", " : "", entry->label);
    }

  if (target == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No menu entry \"%s\" (entries: %s)", label, labels->str);
      return FALSE;
    }
  if (!target->enabled || !target->visible)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Menu entry \"%s\" is %s", label,
                   !target->visible ? "hidden" : "disabled");
      return FALSE;
    }

  reply = call_iterating (self, bus_name, menu_path, DBUSMENU_IFACE, "Event",
                          g_variant_new ("(isvu)", target->id, "clicked",
                                         g_variant_new_int32 (0),
                                         (guint32) (g_get_monotonic_time () / 1000)),
                          NULL, error);

  return reply != NULL;
}
