/* vigie-preferences-general.c — the General page; see the header.
 *
 * While widgets are being set from the settings, `syncing` keeps their
 * handlers from writing back.
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-autostart.h"
#include "vigie-preferences-general.h"

struct _VigiePreferencesGeneral
{
  VigiePreferencesPage parent_instance;

  GtkSwitch *autostart_switch;
  GtkEntry *hook_entry;
  GtkWidget *hook_button;
  GtkLabel *hook_error;
  GtkLabel *hook_note;
  GtkLabel *path_label;

  guint syncing;
};

G_DEFINE_FINAL_TYPE (VigiePreferencesGeneral, vigie_preferences_general,
                     VIGIE_TYPE_PREFERENCES_PAGE)

static VigieConfig *
config_of (VigiePreferencesGeneral *self)
{
  return vigie_preferences_page_get_config (VIGIE_PREFERENCES_PAGE (self));
}

static void
on_autostart_toggled (GObject                 *object,
                      GParamSpec              *pspec,
                      VigiePreferencesGeneral *self)
{
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_switch_get_active (self->autostart_switch);

  if (self->syncing)
    return;
  if (!vigie_autostart_set_enabled (active, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Starting at login could not be changed: %s"),
                                                  error->message);
      vigie_preferences_page_show_problem (VIGIE_PREFERENCES_PAGE (self), message);
      self->syncing++;
      gtk_switch_set_active (self->autostart_switch, vigie_autostart_is_enabled ());
      self->syncing--;
    }
}

static void
on_hook_changed (GtkEditable             *editable,
                 VigiePreferencesGeneral *self)
{
  g_autofree char *text = vigie_preferences_page_entry_text (self->hook_entry);
  const char *saved = vigie_config_get_hook_command (config_of (self));

  vigie_preferences_page_set_field_error (self->hook_error, GTK_WIDGET (self->hook_entry), NULL);
  gtk_widget_set_sensitive (self->hook_button, g_strcmp0 (text, saved ? saved : "") != 0);
}

/* A command is applied when asked (Enter or Apply), not at each keystroke:
 * a half-typed command must never run. */
static void
on_hook_apply (GtkWidget               *widget,
               VigiePreferencesGeneral *self)
{
  g_autofree char *text = vigie_preferences_page_entry_text (self->hook_entry);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  if (*text != '\0' && !g_shell_parse_argv (text, NULL, &argv, &error))
    {
      /* Translators: %s is why a command line cannot be split into words */
      g_autofree char *message = g_strdup_printf (_("This command cannot be read: %s"),
                                                  error->message);
      vigie_preferences_page_set_field_error (self->hook_error, GTK_WIDGET (self->hook_entry),
                                              message);
      return;
    }
  vigie_config_set_hook_command (config_of (self), *text != '\0' ? text : NULL);
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
  gtk_widget_set_sensitive (self->hook_button, FALSE);
}

static void
vigie_preferences_general_sync (VigiePreferencesPage *page)
{
  VigiePreferencesGeneral *self = VIGIE_PREFERENCES_GENERAL (page);
  const char *hook = vigie_config_get_hook_command (config_of (self));

  /* The hook entry is left alone while the user is editing it. */
  if (!gtk_widget_get_sensitive (self->hook_button))
    {
      self->syncing++;
      gtk_entry_set_text (self->hook_entry, hook ? hook : "");
      self->syncing--;
    }
}

static void
vigie_preferences_general_constructed (GObject *object)
{
  VigiePreferencesGeneral *self = VIGIE_PREFERENCES_GENERAL (object);
  VigieConfig *config;
  g_autofree char *note = NULL;
  g_autofree char *path = NULL;

  G_OBJECT_CLASS (vigie_preferences_general_parent_class)->constructed (object);

  config = config_of (self);
  note = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE,
                 "Vigie runs it once per change, in order, never through a shell (write sh -c "
                 "'…' to use one). It gets the change in environment variables — VIGIE_EVENT, "
                 "VIGIE_SERVICE_ID, VIGIE_SERVICE_NAME, VIGIE_PROVIDER, VIGIE_FROM, VIGIE_TO, "
                 "VIGIE_AT, VIGIE_REASON and more — and as JSON on its standard input. It may run "
                 "for %u second.",
                 "Vigie runs it once per change, in order, never through a shell (write sh -c "
                 "'…' to use one). It gets the change in environment variables — VIGIE_EVENT, "
                 "VIGIE_SERVICE_ID, VIGIE_SERVICE_NAME, VIGIE_PROVIDER, VIGIE_FROM, VIGIE_TO, "
                 "VIGIE_AT, VIGIE_REASON and more — and as JSON on its standard input. It may run "
                 "for %u seconds.",
                 vigie_config_get_hook_timeout (config)),
    vigie_config_get_hook_timeout (config));
  gtk_label_set_text (self->hook_note, note);
  /* Translators: %s is a file's path */
  path = g_strdup_printf (_("Settings are saved as you change them, in %s"),
                          vigie_config_get_path (config));
  gtk_label_set_text (self->path_label, path);

  self->syncing++;
  gtk_switch_set_active (self->autostart_switch, vigie_autostart_is_enabled ());
  self->syncing--;

  vigie_preferences_general_sync (VIGIE_PREFERENCES_PAGE (self));
}

static void
vigie_preferences_general_class_init (VigiePreferencesGeneralClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VigiePreferencesPageClass *page_class = VIGIE_PREFERENCES_PAGE_CLASS (klass);

  object_class->constructed = vigie_preferences_general_constructed;
  page_class->sync = vigie_preferences_general_sync;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/vigie-preferences-general.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, VigiePreferencesGeneral, name)
  BIND (autostart_switch);
  BIND (hook_entry);
  BIND (hook_button);
  BIND (hook_error);
  BIND (hook_note);
  BIND (path_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_autostart_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_hook_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hook_apply);
}

static void
vigie_preferences_general_init (VigiePreferencesGeneral *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * vigie_preferences_general_new:
 * @config: the settings to edit
 *
 * Returns: (transfer floating): a new General page
 */
GtkWidget *
vigie_preferences_general_new (VigieConfig *config)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (config), NULL);
  return g_object_new (VIGIE_TYPE_PREFERENCES_GENERAL, "config", config, NULL);
}
