/* vigie-preferences-checking.c — the Checking page; see the header.
 *
 * The numeric settings are rows of one table, each a spin button named
 * after its key; the worst-case line follows every change. While widgets
 * are being set from the settings, `syncing` keeps their handlers from
 * writing back.
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-preferences-checking.h"
#include "vigie-report.h"

struct _VigiePreferencesChecking
{
  VigiePreferencesPage parent_instance;

  GtkGrid *checking_grid;
  GtkLabel *worst_case_label;
  GtkListBox *urls_list;
  GtkEntry *url_entry;
  GtkLabel *url_error;
  GtkSpinButton *spins[VIGIE_N_SETTINGS];

  guint syncing;
  GStrv urls_built_for;         /* the connectivity URLs the list shows */
};

G_DEFINE_FINAL_TYPE (VigiePreferencesChecking, vigie_preferences_checking,
                     VIGIE_TYPE_PREFERENCES_PAGE)

static VigieConfig *
config_of (VigiePreferencesChecking *self)
{
  return vigie_preferences_page_get_config (VIGIE_PREFERENCES_PAGE (self));
}

static const struct
{
  VigieSetting setting;
  const char *label;
  const char *unit;
  const char *help;
  const char *name;
} checking_rows[] = {
  { VIGIE_SETTING_INTERVAL, N_("Check _every"), N_("seconds"),
    N_("How often Vigie checks while all is well."), "interval" },
  { VIGIE_SETTING_RETRY_INTERVAL, N_("_Retry a failing service after"), N_("seconds"),
    N_("How soon a service that did not answer is checked again; at most the interval above."),
    "retry-interval" },
  { VIGIE_SETTING_FAILURES_BEFORE_DOWN, N_("_Failures before “down”"), N_("checks"),
    N_("Failed checks in a row that confirm an outage, the first one included. More means "
       "fewer false alarms, but later."),
    "failures-before-down" },
  { VIGIE_SETTING_SUCCESSES_BEFORE_UP, N_("_Successes before “back”"), N_("checks"),
    N_("Answers in a row that confirm a service is back."), "successes-before-up" },
  { VIGIE_SETTING_TIMEOUT, N_("_Wait for an answer"), N_("seconds"),
    N_("How long one request may take before it counts as failed."), "timeout" },
};

static void
update_worst_case (VigiePreferencesChecking *self)
{
  g_autofree char *duration =
    vigie_report_duration_exact (vigie_config_get_worst_case_detection (config_of (self)));
  /* Translators: %s is a duration ("1 min 40 s") */
  g_autofree char *text = g_strdup_printf (_("Worst case: an outage is confirmed within %s"),
                                           duration);

  gtk_label_set_text (self->worst_case_label, text);
}

/* A retry never waits longer than the interval (the file would be refused). */
static void
update_retry_range (VigiePreferencesChecking *self)
{
  guint min, max;
  GtkAdjustment *adjustment =
    gtk_spin_button_get_adjustment (self->spins[VIGIE_SETTING_RETRY_INTERVAL]);

  vigie_config_get_setting_range (VIGIE_SETTING_RETRY_INTERVAL, &min, &max, NULL);
  gtk_adjustment_set_upper (adjustment,
                            MIN (max, vigie_config_get_setting (config_of (self),
                                                                VIGIE_SETTING_INTERVAL)));
}

static void
on_setting_changed (GtkSpinButton            *spin,
                    VigiePreferencesChecking *self)
{
  VigieSetting setting = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "setting"));
  g_autoptr(GError) error = NULL;

  guint value = (guint) gtk_spin_button_get_value_as_int (spin);

  if (self->syncing)
    return;
  /* A shorter interval pulls the retry down with it first, so that the
   * file never holds a retry longer than the interval. */
  if (setting == VIGIE_SETTING_INTERVAL
      && vigie_config_get_setting (config_of (self), VIGIE_SETTING_RETRY_INTERVAL) > value)
    vigie_config_set_setting (config_of (self), VIGIE_SETTING_RETRY_INTERVAL, value, NULL);
  if (!vigie_config_set_setting (config_of (self), setting, value, &error))
    {
      vigie_preferences_page_show_problem (VIGIE_PREFERENCES_PAGE (self), error->message);
      return;
    }
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
  update_worst_case (self);
}

static void
build_checking (VigiePreferencesChecking *self)
{
  int top = 0;

  for (guint i = 0; i < G_N_ELEMENTS (checking_rows); i++)
    {
      VigieSetting setting = checking_rows[i].setting;
      GtkWidget *label = gtk_label_new_with_mnemonic (_(checking_rows[i].label));
      GtkWidget *unit = gtk_label_new (_(checking_rows[i].unit));
      GtkWidget *help = gtk_label_new (_(checking_rows[i].help));
      GtkWidget *spin;
      guint min, max;

      vigie_config_get_setting_range (setting, &min, &max, NULL);
      spin = gtk_spin_button_new_with_range (min, max, 1);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_widget_set_name (spin, checking_rows[i].name);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (spin), "setting", GUINT_TO_POINTER (setting));
      g_signal_connect (spin, "value-changed", G_CALLBACK (on_setting_changed), self);
      self->spins[setting] = GTK_SPIN_BUTTON (spin);

      gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (unit), 0);
      gtk_style_context_add_class (gtk_widget_get_style_context (unit), "dim-label");
      gtk_label_set_xalign (GTK_LABEL (help), 0);
      gtk_label_set_line_wrap (GTK_LABEL (help), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (help), 70);
      gtk_style_context_add_class (gtk_widget_get_style_context (help), "dim-label");
      gtk_widget_set_margin_bottom (help, 12);
      atk_object_set_description (gtk_widget_get_accessible (spin), _(checking_rows[i].help));

      gtk_grid_attach (self->checking_grid, label, 0, top, 1, 1);
      gtk_grid_attach (self->checking_grid, spin, 1, top, 1, 1);
      gtk_grid_attach (self->checking_grid, unit, 2, top, 1, 1);
      gtk_grid_attach (self->checking_grid, help, 0, top + 1, 3, 1);
      top += 2;
    }
  gtk_widget_show_all (GTK_WIDGET (self->checking_grid));
}

static void
set_urls (VigiePreferencesChecking *self,
          const char *const        *urls)
{
  g_autoptr(GError) error = NULL;

  if (!vigie_config_set_connectivity_urls (config_of (self), urls, &error))
    {
      vigie_preferences_page_set_field_error (self->url_error, GTK_WIDGET (self->url_entry),
                                              error->message);
      return;
    }
  vigie_preferences_page_set_field_error (self->url_error, GTK_WIDGET (self->url_entry), NULL);
  vigie_preferences_page_save (VIGIE_PREFERENCES_PAGE (self));
}

static void
on_remove_url (GtkButton                *button,
               VigiePreferencesChecking *self)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");
  const char *const *current = vigie_config_get_connectivity_urls (config_of (self));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;

  for (guint i = 0; current[i] != NULL; i++)
    if (!g_str_equal (current[i], url))
      g_strv_builder_add (builder, current[i]);
  urls = g_strv_builder_end (builder);
  if (urls[0] == NULL)
    {
      vigie_preferences_page_set_field_error (self->url_error, NULL,
                                              _("Vigie needs at least one address to tell "
                                                "whether your connection works"));
      return;
    }
  set_urls (self, (const char *const *) urls);
}

static void
on_add_url (GtkWidget                *widget,
            VigiePreferencesChecking *self)
{
  g_autofree char *url = vigie_preferences_page_entry_text (self->url_entry);
  const char *const *current = vigie_config_get_connectivity_urls (config_of (self));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;

  if (*url == '\0')
    return;
  if (g_strv_contains (current, url))
    {
      vigie_preferences_page_set_field_error (self->url_error, GTK_WIDGET (self->url_entry),
                                              _("This address is already in the list"));
      return;
    }
  g_strv_builder_addv (builder, (const char **) current);
  g_strv_builder_add (builder, url);
  urls = g_strv_builder_end (builder);
  set_urls (self, (const char *const *) urls);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->url_error)))
    gtk_entry_set_text (self->url_entry, "");
}

static void
on_url_changed (GtkEditable              *editable,
                VigiePreferencesChecking *self)
{
  vigie_preferences_page_set_field_error (self->url_error, GTK_WIDGET (self->url_entry), NULL);
}

static void
build_urls (VigiePreferencesChecking *self)
{
  const char *const *urls = vigie_config_get_connectivity_urls (config_of (self));
  g_autoptr(GList) children = NULL;

  /* Rebuilt only when the list changed, so focus stays where it was. */
  if (self->urls_built_for != NULL
      && g_strv_equal ((const char *const *) self->urls_built_for, urls))
    return;
  g_strfreev (self->urls_built_for);
  self->urls_built_for = g_strdupv ((char **) urls);
  children = gtk_container_get_children (GTK_CONTAINER (self->urls_list));
  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; urls[i] != NULL; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (urls[i]);
      /* Translators: %s is an address */
      g_autofree char *remove_text = g_strdup_printf (_("Remove %s"), urls[i]);
      GtkWidget *remove = vigie_preferences_page_icon_button_new ("list-remove-symbolic",
                                                                  remove_text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_can_focus (label, FALSE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_button_set_relief (GTK_BUTTON (remove), GTK_RELIEF_NONE);
      g_object_set_data_full (G_OBJECT (remove), "url", g_strdup (urls[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_url), self);
      g_object_set (box, "margin-start", 12, "margin-end", 6, "margin-top", 3, "margin-bottom", 3,
                    NULL);
      gtk_container_add (GTK_CONTAINER (box), label);
      gtk_container_add (GTK_CONTAINER (box), remove);
      gtk_container_add (GTK_CONTAINER (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_show_all (row);
      gtk_container_add (GTK_CONTAINER (self->urls_list), row);
    }
}

static void
vigie_preferences_checking_sync (VigiePreferencesPage *page)
{
  VigiePreferencesChecking *self = VIGIE_PREFERENCES_CHECKING (page);

  self->syncing++;
  for (guint i = 0; i < VIGIE_N_SETTINGS; i++)
    gtk_spin_button_set_value (self->spins[i], vigie_config_get_setting (config_of (self), i));
  update_retry_range (self);
  update_worst_case (self);
  build_urls (self);
  self->syncing--;
}

static void
vigie_preferences_checking_constructed (GObject *object)
{
  G_OBJECT_CLASS (vigie_preferences_checking_parent_class)->constructed (object);

  vigie_preferences_checking_sync (VIGIE_PREFERENCES_PAGE (object));
}

static void
vigie_preferences_checking_finalize (GObject *object)
{
  VigiePreferencesChecking *self = VIGIE_PREFERENCES_CHECKING (object);

  g_strfreev (self->urls_built_for);

  G_OBJECT_CLASS (vigie_preferences_checking_parent_class)->finalize (object);
}

static void
vigie_preferences_checking_class_init (VigiePreferencesCheckingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VigiePreferencesPageClass *page_class = VIGIE_PREFERENCES_PAGE_CLASS (klass);

  object_class->constructed = vigie_preferences_checking_constructed;
  object_class->finalize = vigie_preferences_checking_finalize;
  page_class->sync = vigie_preferences_checking_sync;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/vigie-preferences-checking.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, VigiePreferencesChecking, name)
  BIND (checking_grid);
  BIND (worst_case_label);
  BIND (urls_list);
  BIND (url_entry);
  BIND (url_error);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_add_url);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);
}

static void
vigie_preferences_checking_init (VigiePreferencesChecking *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_checking (self);
}

/**
 * vigie_preferences_checking_new:
 * @config: the settings to edit
 *
 * Returns: (transfer floating): a new Checking page
 */
GtkWidget *
vigie_preferences_checking_new (VigieConfig *config)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (config), NULL);
  return g_object_new (VIGIE_TYPE_PREFERENCES_CHECKING, "config", config, NULL);
}

/**
 * vigie_preferences_checking_get_spin:
 * @self: a #VigiePreferencesChecking
 * @setting: a numeric setting
 *
 * Returns: (transfer none): its spin button
 */
GtkSpinButton *
vigie_preferences_checking_get_spin (VigiePreferencesChecking *self,
                                     VigieSetting              setting)
{
  g_return_val_if_fail (VIGIE_IS_PREFERENCES_CHECKING (self), NULL);
  g_return_val_if_fail (setting < VIGIE_N_SETTINGS, NULL);
  return self->spins[setting];
}
