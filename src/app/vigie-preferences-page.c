/* vigie-preferences-page.c — the base of the preferences' pages; see the
 * header.
 *
 * It owns the reference to the settings and the connection to their
 * "changed" signal, so that a page cannot outlive either by mistake, and
 * the helpers every page's fields use (inline errors, accent-blind text).
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-preferences-page.h"

typedef struct
{
  VigieConfig *config;
} VigiePreferencesPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VigiePreferencesPage, vigie_preferences_page, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_CONFIG,
  N_PROPS
};

enum
{
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_config_changed (VigiePreferencesPage *self)
{
  VIGIE_PREFERENCES_PAGE_GET_CLASS (self)->sync (self);
}

static void
vigie_preferences_page_real_sync (VigiePreferencesPage *self)
{
}

static void
vigie_preferences_page_constructed (GObject *object)
{
  VigiePreferencesPage *self = VIGIE_PREFERENCES_PAGE (object);
  VigiePreferencesPagePrivate *priv = vigie_preferences_page_get_instance_private (self);

  G_OBJECT_CLASS (vigie_preferences_page_parent_class)->constructed (object);

  g_signal_connect_swapped (priv->config, "changed", G_CALLBACK (on_config_changed), self);
}

static void
vigie_preferences_page_dispose (GObject *object)
{
  VigiePreferencesPage *self = VIGIE_PREFERENCES_PAGE (object);
  VigiePreferencesPagePrivate *priv = vigie_preferences_page_get_instance_private (self);

  if (priv->config != NULL)
    g_signal_handlers_disconnect_by_data (priv->config, self);
  g_clear_object (&priv->config);

  G_OBJECT_CLASS (vigie_preferences_page_parent_class)->dispose (object);
}

static void
vigie_preferences_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  VigiePreferencesPage *self = VIGIE_PREFERENCES_PAGE (object);
  VigiePreferencesPagePrivate *priv = vigie_preferences_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, priv->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigie_preferences_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  VigiePreferencesPage *self = VIGIE_PREFERENCES_PAGE (object);
  VigiePreferencesPagePrivate *priv = vigie_preferences_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONFIG:
      priv->config = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_css (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider, "label.vigie-error { color: @error_color; }", -1,
                                       NULL);
      gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                                 GTK_STYLE_PROVIDER (provider),
                                                 GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&done, 1);
    }
}

static void
vigie_preferences_page_class_init (VigiePreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vigie_preferences_page_constructed;
  object_class->dispose = vigie_preferences_page_dispose;
  object_class->get_property = vigie_preferences_page_get_property;
  object_class->set_property = vigie_preferences_page_set_property;
  klass->sync = vigie_preferences_page_real_sync;

  /**
   * VigiePreferencesPage:config:
   *
   * The settings the page edits.
   */
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, VIGIE_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VigiePreferencesPage::problem:
   * @self: the page
   * @message: (nullable): what went wrong, for people; %NULL once the
   *   settings were saved again
   *
   * Emitted when a change could not be made or saved, and after every
   * successful save, so that the window's message bar says what holds now.
   */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vigie_preferences_page_init (VigiePreferencesPage *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  install_css ();
}

/**
 * vigie_preferences_page_get_config:
 * @self: a #VigiePreferencesPage
 *
 * Returns: (transfer none): the settings the page edits
 */
VigieConfig *
vigie_preferences_page_get_config (VigiePreferencesPage *self)
{
  VigiePreferencesPagePrivate *priv;

  g_return_val_if_fail (VIGIE_IS_PREFERENCES_PAGE (self), NULL);
  priv = vigie_preferences_page_get_instance_private (self);
  return priv->config;
}

/**
 * vigie_preferences_page_show_problem:
 * @self: a #VigiePreferencesPage
 * @message: (nullable): what went wrong, or %NULL when all is well again
 *
 * Hands @message to the window (#VigiePreferencesPage::problem).
 */
void
vigie_preferences_page_show_problem (VigiePreferencesPage *self,
                                     const char           *message)
{
  g_return_if_fail (VIGIE_IS_PREFERENCES_PAGE (self));
  g_signal_emit (self, signals[PROBLEM], 0, message);
}

/**
 * vigie_preferences_page_save:
 * @self: a #VigiePreferencesPage
 *
 * Writes the settings now (there is no Apply button); a failure is shown
 * in the window's bar, a success takes an earlier failure away.
 */
void
vigie_preferences_page_save (VigiePreferencesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (VIGIE_IS_PREFERENCES_PAGE (self));

  if (!vigie_config_save (vigie_preferences_page_get_config (self), &error))
    message = g_strdup_printf (_("Your settings could not be saved: %s"), error->message);
  vigie_preferences_page_show_problem (self, message);
}

/**
 * vigie_preferences_page_set_watched:
 * @self: a #VigiePreferencesPage
 * @ids: (array zero-terminated=1): service ids
 * @watched: whether to watch them or stop
 *
 * Watches or unwatches @ids and saves. The user's order is kept; new ones
 * go at the end.
 */
void
vigie_preferences_page_set_watched (VigiePreferencesPage *self,
                                    const char *const    *ids,
                                    gboolean              watched)
{
  VigieConfig *config = vigie_preferences_page_get_config (self);
  const char *const *current = vigie_config_get_service_ids (config);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; current[i] != NULL; i++)
    if (watched || !g_strv_contains (ids, current[i]))
      g_strv_builder_add (builder, current[i]);
  if (watched)
    for (guint i = 0; ids[i] != NULL; i++)
      if (!g_strv_contains (current, ids[i]))
        g_strv_builder_add (builder, ids[i]);
  result = g_strv_builder_end (builder);
  vigie_config_set_service_ids (config, (const char *const *) result);
  vigie_preferences_page_save (self);
}

/**
 * vigie_preferences_page_custom_changed:
 * @self: a #VigiePreferencesPage
 * @shown: (element-type VigieService): the custom services a list was
 *   built from
 *
 * Returns: whether the user's own services are no longer those of @shown
 *   (an edited one is a new object), so that a list must be rebuilt
 */
gboolean
vigie_preferences_page_custom_changed (VigiePreferencesPage *self,
                                       GPtrArray            *shown)
{
  GPtrArray *custom = vigie_config_get_custom_services (vigie_preferences_page_get_config (self));

  if (custom->len != shown->len)
    return TRUE;
  for (guint i = 0; i < custom->len; i++)
    if (custom->pdata[i] != shown->pdata[i])
      return TRUE;
  return FALSE;
}

/**
 * vigie_preferences_page_set_field_error:
 * @label: the label under the field
 * @field: (nullable): the field, marked red while there is a message
 * @message: (nullable): the message; %NULL hides it
 *
 * Shows or hides an inline message under a field.
 */
void
vigie_preferences_page_set_field_error (GtkLabel   *label,
                                        GtkWidget  *field,
                                        const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (field != NULL)
    {
      GtkStyleContext *context = gtk_widget_get_style_context (field);
      if (message != NULL)
        gtk_style_context_add_class (context, "error");
      else
        gtk_style_context_remove_class (context, "error");
    }
}

/**
 * vigie_preferences_page_normalise:
 * @text: (nullable): some text
 *
 * Lowercase ASCII without accents, so that "reseau" finds "Réseau" and
 * "meta" finds "Meta".
 *
 * Returns: (transfer full): the text normalised
 */
char *
vigie_preferences_page_normalise (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text ? text : "", NULL);

  return g_ascii_strdown (ascii, -1);
}

/**
 * vigie_preferences_page_entry_text:
 * @entry: an entry
 *
 * Returns: (transfer full): its text without surrounding blanks
 */
char *
vigie_preferences_page_entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (entry)));
}

/**
 * vigie_preferences_page_icon_button_new:
 * @icon_name: a symbolic icon
 * @description: what the button does: its tooltip and accessible name
 *
 * Returns: (transfer floating): a button showing only an icon
 */
GtkWidget *
vigie_preferences_page_icon_button_new (const char *icon_name,
                                        const char *description)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name, GTK_ICON_SIZE_BUTTON);

  gtk_widget_set_tooltip_text (button, description);
  atk_object_set_name (gtk_widget_get_accessible (button), description);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}
