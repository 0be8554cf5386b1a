/* vigie-preferences.c — the preferences window; see the header.
 *
 * The window only holds the pages and what they share: the settings, given
 * to each page when it is made, and the bar that says a change could not be
 * saved. Each page edits the settings and follows their "changed" signal
 * itself (a change made elsewhere — a mute from the details window, a
 * service added on another page — shows at once), and reports problems
 * through its "problem" signal.
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-preferences.h"
#include "vigie-preferences-checking.h"
#include "vigie-preferences-custom.h"
#include "vigie-preferences-general.h"
#include "vigie-preferences-notifications.h"
#include "vigie-preferences-services.h"

struct _VigiePreferences
{
  GtkWindow parent_instance;

  GtkInfoBar *info_bar;
  GtkLabel *info_label;
  GtkStack *stack;

  /* The pages the tests reach into. */
  VigiePreferencesServices *services_page;
  VigiePreferencesCustom *custom_page;
  VigiePreferencesChecking *checking_page;

  VigieMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (VigiePreferences, vigie_preferences, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_info_bar_response (GtkInfoBar       *info_bar,
                      int               response,
                      VigiePreferences *self)
{
  gtk_info_bar_set_revealed (info_bar, FALSE);
}

/* A page's problem shows in the bar; %NULL (saved again) takes it away. */
static void
on_page_problem (VigiePreferencesPage *page,
                 const char           *message,
                 VigiePreferences     *self)
{
  if (message != NULL)
    gtk_label_set_text (self->info_label, message);
  gtk_info_bar_set_revealed (self->info_bar, message != NULL);
}

static GtkWidget *
add_page (VigiePreferences *self,
          GtkWidget        *page,
          const char       *name,
          const char       *title)
{
  g_signal_connect_object (page, "problem", G_CALLBACK (on_page_problem), self, 0);
  gtk_widget_show (page);
  gtk_stack_add_titled (self->stack, page, name, title);
  return page;
}

static void
vigie_preferences_constructed (GObject *object)
{
  VigiePreferences *self = VIGIE_PREFERENCES (object);
  VigieConfig *config = vigie_monitor_get_config (self->monitor);

  G_OBJECT_CLASS (vigie_preferences_parent_class)->constructed (object);

  self->services_page = VIGIE_PREFERENCES_SERVICES (
    add_page (self, vigie_preferences_services_new (config), "services", _("Services")));
  self->custom_page = VIGIE_PREFERENCES_CUSTOM (
    add_page (self, vigie_preferences_custom_new (config), "custom", _("Your Services")));
  self->checking_page = VIGIE_PREFERENCES_CHECKING (
    add_page (self, vigie_preferences_checking_new (config), "checking", _("Checking")));
  add_page (self, vigie_preferences_notifications_new (config), "notifications",
            _("Notifications"));
  add_page (self, vigie_preferences_general_new (config), "general", _("General"));
}

static void
vigie_preferences_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VigiePreferences *self = VIGIE_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigie_preferences_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VigiePreferences *self = VIGIE_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigie_preferences_dispose (GObject *object)
{
  VigiePreferences *self = VIGIE_PREFERENCES (object);

  /* The pages go with the window's children; these were borrowed. */
  self->services_page = NULL;
  self->custom_page = NULL;
  self->checking_page = NULL;
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (vigie_preferences_parent_class)->dispose (object);
}

static void
vigie_preferences_class_init (VigiePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vigie_preferences_constructed;
  object_class->dispose = vigie_preferences_dispose;
  object_class->get_property = vigie_preferences_get_property;
  object_class->set_property = vigie_preferences_set_property;

  /**
   * VigiePreferences:monitor:
   *
   * The monitor whose settings the window edits.
   */
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, VIGIE_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/vigie-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, VigiePreferences, info_bar);
  gtk_widget_class_bind_template_child (widget_class, VigiePreferences, info_label);
  gtk_widget_class_bind_template_child (widget_class, VigiePreferences, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_info_bar_response);
}

static void
vigie_preferences_init (VigiePreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vigie_preferences_new:
 * @application: (nullable): the application (for app.test-notification)
 * @monitor: the monitor, whose settings are edited
 *
 * Returns: (transfer none): a new preferences window, not shown yet
 */
VigiePreferences *
vigie_preferences_new (GtkApplication *application,
                       VigieMonitor   *monitor)
{
  g_return_val_if_fail (VIGIE_IS_MONITOR (monitor), NULL);

  return g_object_new (VIGIE_TYPE_PREFERENCES, "application", application, "monitor", monitor,
                       NULL);
}

/**
 * vigie_preferences_show_page:
 * @self: a #VigiePreferences
 * @name: "services", "custom", "checking", "notifications" or "general"
 */
void
vigie_preferences_show_page (VigiePreferences *self,
                             const char       *name)
{
  g_return_if_fail (VIGIE_IS_PREFERENCES (self));
  gtk_stack_set_visible_child_name (self->stack, name);
}

/**
 * vigie_preferences_get_service_check:
 * @self: a #VigiePreferences
 * @service_id: a service's id
 *
 * Returns: (transfer none) (nullable): the check button that watches it
 */
GtkToggleButton *
vigie_preferences_get_service_check (VigiePreferences *self,
                                     const char       *service_id)
{
  g_return_val_if_fail (VIGIE_IS_PREFERENCES (self), NULL);
  return vigie_preferences_services_get_check (self->services_page, service_id);
}

/**
 * vigie_preferences_get_provider_toggle:
 * @self: a #VigiePreferences
 * @provider: a company ("Meta")
 *
 * Returns: (transfer none) (nullable): its "All Meta services" check, when
 *   the search shows one
 */
GtkToggleButton *
vigie_preferences_get_provider_toggle (VigiePreferences *self,
                                       const char       *provider)
{
  g_return_val_if_fail (VIGIE_IS_PREFERENCES (self), NULL);
  return vigie_preferences_services_get_provider_toggle (self->services_page, provider);
}

/**
 * vigie_preferences_get_setting_spin:
 * @self: a #VigiePreferences
 * @setting: a numeric setting
 *
 * Returns: (transfer none): its spin button
 */
GtkSpinButton *
vigie_preferences_get_setting_spin (VigiePreferences *self,
                                    VigieSetting      setting)
{
  g_return_val_if_fail (VIGIE_IS_PREFERENCES (self), NULL);
  return vigie_preferences_checking_get_spin (self->checking_page, setting);
}

/**
 * vigie_preferences_is_detecting:
 * @self: a #VigiePreferences
 *
 * Returns: whether a status feed detection is under way
 */
gboolean
vigie_preferences_is_detecting (VigiePreferences *self)
{
  g_return_val_if_fail (VIGIE_IS_PREFERENCES (self), FALSE);
  return vigie_preferences_custom_is_detecting (self->custom_page);
}
