/* vigie-preferences-notifications.c — the Notifications page; see the
 * header.
 *
 * While widgets are being set from the settings, `syncing` keeps their
 * handlers from writing back; the handlers that also set sensitivities are
 * run then for that alone.
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-preferences-notifications.h"

struct _VigiePreferencesNotifications
{
  VigiePreferencesPage parent_instance;

  GtkSwitch *notify_switch;
  GtkSwitch *down_switch;
  GtkSwitch *degraded_switch;
  GtkSwitch *recovered_switch;
  GtkWidget *kinds_grid;
  GtkComboBoxText *reminder_combo;
  GtkSwitch *quiet_switch;
  GtkWidget *quiet_grid;
  GtkWidget *quiet_times;
  GtkSpinButton *quiet_start_hour;
  GtkSpinButton *quiet_start_minute;
  GtkSpinButton *quiet_end_hour;
  GtkSpinButton *quiet_end_minute;
  GtkFlowBox *quiet_allow_box;

  guint syncing;
  GStrv quiet_allow_built_for;  /* the watched ids the quiet-hours checks show */
};

G_DEFINE_FINAL_TYPE (VigiePreferencesNotifications, vigie_preferences_notifications,
                     VIGIE_TYPE_PREFERENCES_PAGE)

static VigieConfig *
config_of (VigiePreferencesNotifications *self)
{
  return vigie_preferences_page_get_config (VIGIE_PREFERENCES_PAGE (self));
}

static void
on_notify_toggled (GObject                       *object,
                   GParamSpec                    *pspec,
                   VigiePreferencesNotifications *self)
{
  gboolean active = gtk_switch_get_active (self->notify_switch);

  gtk_widget_set_sensitive (self->kinds_grid, active);
  gtk_widget_set_sensitive (self->quiet_grid, active);
  if (self->syncing)
    return;
  vigie_config_set_notifications_enabled (config_of (self), active);
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
}

static void
on_kind_toggled (GObject                       *object,
                 GParamSpec                    *pspec,
                 VigiePreferencesNotifications *self)
{
  VigieNotifyKind kind = object == G_OBJECT (self->down_switch)       ? VIGIE_NOTIFY_DOWN
                         : object == G_OBJECT (self->degraded_switch) ? VIGIE_NOTIFY_DEGRADED
                                                                      : VIGIE_NOTIFY_RECOVERED;

  if (self->syncing)
    return;
  vigie_config_set_notify (config_of (self), kind, gtk_switch_get_active (GTK_SWITCH (object)));
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
}

static void
apply_quiet_hours (VigiePreferencesNotifications *self)
{
  gboolean enabled = gtk_switch_get_active (self->quiet_switch);
  guint start = gtk_spin_button_get_value_as_int (self->quiet_start_hour) * 60
                + gtk_spin_button_get_value_as_int (self->quiet_start_minute);
  guint end = gtk_spin_button_get_value_as_int (self->quiet_end_hour) * 60
              + gtk_spin_button_get_value_as_int (self->quiet_end_minute);

  gtk_widget_set_sensitive (self->quiet_times, enabled);
  gtk_widget_set_sensitive (GTK_WIDGET (self->quiet_allow_box), enabled);
  if (self->syncing)
    return;
  /* The same start and end would be no quiet time at all: keep them apart
   * while the user is moving one of them. */
  if (enabled && start == end)
    return;
  vigie_config_set_quiet_hours (config_of (self), enabled, start, end);
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
}

static void
on_quiet_toggled (GObject                       *object,
                  GParamSpec                    *pspec,
                  VigiePreferencesNotifications *self)
{
  apply_quiet_hours (self);
}

static void
on_quiet_changed (GtkSpinButton                 *spin,
                  VigiePreferencesNotifications *self)
{
  apply_quiet_hours (self);
}

/* Hours and minutes read as on a clock: 07, not 7. */
static gboolean
on_time_output (GtkSpinButton                 *spin,
                VigiePreferencesNotifications *self)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  if (g_strcmp0 (text, gtk_entry_get_text (GTK_ENTRY (spin))) != 0)
    gtk_entry_set_text (GTK_ENTRY (spin), text);
  return TRUE;
}

static void
on_allow_toggled (GtkToggleButton               *check,
                  VigiePreferencesNotifications *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GList) children = NULL;
  g_auto(GStrv) ids = NULL;

  if (self->syncing)
    return;
  children = gtk_container_get_children (GTK_CONTAINER (self->quiet_allow_box));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *box_child = gtk_bin_get_child (GTK_BIN (l->data));
      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (box_child)))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (box_child), "service-id"));
    }
  ids = g_strv_builder_end (builder);
  vigie_config_set_quiet_hours_allow (config_of (self), (const char *const *) ids);
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
}

static void
build_quiet_allow (VigiePreferencesNotifications *self)
{
  const char *const *watched = vigie_config_get_service_ids (config_of (self));
  const char *const *allowed = vigie_config_get_quiet_hours_allow (config_of (self));
  g_autoptr(GList) children = NULL;

  if (self->quiet_allow_built_for == NULL
      || !g_strv_equal ((const char *const *) self->quiet_allow_built_for, watched))
    {
      children = gtk_container_get_children (GTK_CONTAINER (self->quiet_allow_box));
      for (GList *l = children; l != NULL; l = l->next)
        gtk_widget_destroy (l->data);
      for (guint i = 0; watched[i] != NULL; i++)
        {
          VigieService *service = vigie_config_lookup_service (config_of (self), watched[i]);
          GtkWidget *check = gtk_check_button_new_with_label (service ? service->name : watched[i]);

          gtk_widget_set_name (check, watched[i]);
          g_object_set_data_full (G_OBJECT (check), "service-id", g_strdup (watched[i]), g_free);
          g_signal_connect (check, "toggled", G_CALLBACK (on_allow_toggled), self);
          gtk_widget_show (check);
          gtk_container_add (GTK_CONTAINER (self->quiet_allow_box), check);
        }
      g_strfreev (self->quiet_allow_built_for);
      self->quiet_allow_built_for = g_strdupv ((char **) watched);
    }

  g_clear_pointer (&children, g_list_free);
  children = gtk_container_get_children (GTK_CONTAINER (self->quiet_allow_box));
  self->syncing++;
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *check = gtk_bin_get_child (GTK_BIN (l->data));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check),
                                    g_strv_contains (allowed,
                                                     g_object_get_data (G_OBJECT (check),
                                                                        "service-id")));
    }
  self->syncing--;
}

static void
on_reminder_changed (GtkComboBox                   *combo,
                     VigiePreferencesNotifications *self)
{
  const char *id = gtk_combo_box_get_active_id (combo);
  guint64 minutes;

  if (self->syncing || id == NULL)
    return;
  if (!g_ascii_string_to_unsigned (id, 10, 0, G_MAXUINT, &minutes, NULL))
    return;
  vigie_config_set_reminder_minutes (config_of (self), minutes);
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
}

static void
sync_reminder (VigiePreferencesNotifications *self)
{
  guint minutes = vigie_config_get_reminder_minutes (config_of (self));
  g_autofree char *id = g_strdup_printf ("%u", minutes);

  self->syncing++;
  /* A value written in the file by hand gets its own entry. */
  if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->reminder_combo), id))
    {
      /* Translators: reminder choice for a number of minutes set in the file */
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Every %u minute",
                                                             "Every %u minutes", minutes),
                                                minutes);
      gtk_combo_box_text_append (self->reminder_combo, id, label);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->reminder_combo), id);
    }
  self->syncing--;
}

static void
vigie_preferences_notifications_sync (VigiePreferencesPage *page)
{
  VigiePreferencesNotifications *self = VIGIE_PREFERENCES_NOTIFICATIONS (page);
  VigieConfig *config = config_of (self);
  guint start, end;
  gboolean quiet = vigie_config_get_quiet_hours (config, &start, &end);

  self->syncing++;
  gtk_switch_set_active (self->notify_switch, vigie_config_get_notifications_enabled (config));
  gtk_switch_set_active (self->down_switch, vigie_config_get_notify (config, VIGIE_NOTIFY_DOWN));
  gtk_switch_set_active (self->degraded_switch, vigie_config_get_notify (config,
                                                                         VIGIE_NOTIFY_DEGRADED));
  gtk_switch_set_active (self->recovered_switch, vigie_config_get_notify (config,
                                                                          VIGIE_NOTIFY_RECOVERED));
  gtk_switch_set_active (self->quiet_switch, quiet);
  if (quiet)
    {
      gtk_spin_button_set_value (self->quiet_start_hour, start / 60);
      gtk_spin_button_set_value (self->quiet_start_minute, start % 60);
      gtk_spin_button_set_value (self->quiet_end_hour, end / 60);
      gtk_spin_button_set_value (self->quiet_end_minute, end % 60);
    }
  /* These only set sensitivities while syncing. */
  on_notify_toggled (NULL, NULL, self);
  apply_quiet_hours (self);
  self->syncing--;
  sync_reminder (self);
  build_quiet_allow (self);
}

static void
vigie_preferences_notifications_constructed (GObject *object)
{
  G_OBJECT_CLASS (vigie_preferences_notifications_parent_class)->constructed (object);

  vigie_preferences_notifications_sync (VIGIE_PREFERENCES_PAGE (object));
}

static void
vigie_preferences_notifications_finalize (GObject *object)
{
  VigiePreferencesNotifications *self = VIGIE_PREFERENCES_NOTIFICATIONS (object);

  g_strfreev (self->quiet_allow_built_for);

  G_OBJECT_CLASS (vigie_preferences_notifications_parent_class)->finalize (object);
}

static void
vigie_preferences_notifications_class_init (VigiePreferencesNotificationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VigiePreferencesPageClass *page_class = VIGIE_PREFERENCES_PAGE_CLASS (klass);

  object_class->constructed = vigie_preferences_notifications_constructed;
  object_class->finalize = vigie_preferences_notifications_finalize;
  page_class->sync = vigie_preferences_notifications_sync;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/vigie-preferences-notifications.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, VigiePreferencesNotifications, name)
  BIND (notify_switch);
  BIND (down_switch);
  BIND (degraded_switch);
  BIND (recovered_switch);
  BIND (kinds_grid);
  BIND (reminder_combo);
  BIND (quiet_switch);
  BIND (quiet_grid);
  BIND (quiet_times);
  BIND (quiet_start_hour);
  BIND (quiet_start_minute);
  BIND (quiet_end_hour);
  BIND (quiet_end_minute);
  BIND (quiet_allow_box);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_notify_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_quiet_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_quiet_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_time_output);
  gtk_widget_class_bind_template_callback (widget_class, on_reminder_changed);
}

static void
vigie_preferences_notifications_init (VigiePreferencesNotifications *self)
{
  /* Handlers may run while the template is built and the combo filled
   * (its first item): they must find nothing to write to yet. */
  self->syncing = 1;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_combo_box_text_append (self->reminder_combo, "0", _("Never"));
  gtk_combo_box_text_append (self->reminder_combo, "15", _("Every 15 minutes"));
  gtk_combo_box_text_append (self->reminder_combo, "30", _("Every 30 minutes"));
  gtk_combo_box_text_append (self->reminder_combo, "60", _("Every hour"));
  self->syncing = 0;
}

/**
 * vigie_preferences_notifications_new:
 * @config: the settings to edit
 *
 * Returns: (transfer floating): a new Notifications page
 */
GtkWidget *
vigie_preferences_notifications_new (VigieConfig *config)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (config), NULL);
  return g_object_new (VIGIE_TYPE_PREFERENCES_NOTIFICATIONS, "config", config, NULL);
}
