/* vigie-preferences.c — the preferences window; see the header.
 *
 * Widgets follow the settings and the settings follow the widgets: every
 * handler writes to the #VigieConfig and saves, and the config's "changed"
 * signal brings every page back in line (a change made elsewhere — a mute
 * from the details window, a service added here — shows at once). While
 * widgets are being set from the settings, `syncing` keeps their handlers
 * from writing back.
 *
 * Status feed detection asks every known endpoint of the pasted page at
 * once (one VigieHttp batch, bodies capped), and the first answer, in a
 * fixed order, that a parser reads wins.
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-autostart.h"
#include "vigie-feed-format.h"
#include "vigie-preferences.h"
#include "vigie-report.h"

/* A status page's feed is a few hundred KiB at most; Google's keeps years of
 * history, hence its own cap (the same as the probe's). */
#define DETECT_MAX_BODY (1024 * 1024)
#define DETECT_TIMEOUT_S 10
/* Below this many characters a search would offer too many companies. */
#define MIN_PROVIDER_NEEDLE 2
#define MAX_PROVIDER_TOGGLES 3

struct _VigiePreferences
{
  GtkWindow parent_instance;

  GtkInfoBar *info_bar;
  GtkLabel *info_label;
  GtkLabel *feed_kinds_label;
  GtkStack *stack;

  GtkSearchEntry *search_entry;
  GtkLabel *watched_label;
  GtkBox *provider_box;
  GtkListBox *services_list;

  GtkStack *custom_stack;
  GtkListBox *custom_list;
  GtkLabel *editor_title;
  GtkEntry *name_entry;
  GtkEntry *id_entry;
  GtkEntry *site_entry;
  GtkEntry *status_entry;
  GtkLabel *name_error;
  GtkLabel *id_error;
  GtkLabel *site_error;
  GtkLabel *detect_label;
  GtkSpinner *detect_spinner;
  GtkButton *save_button;

  GtkGrid *checking_grid;
  GtkLabel *worst_case_label;
  GtkListBox *urls_list;
  GtkEntry *url_entry;
  GtkLabel *url_error;

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

  GtkSwitch *autostart_switch;
  GtkEntry *hook_entry;
  GtkWidget *hook_button;
  GtkLabel *hook_error;
  GtkLabel *hook_note;
  GtkLabel *path_label;

  VigieMonitor *monitor;
  VigieConfig *config;
  guint syncing;

  GtkSpinButton *spins[VIGIE_N_SETTINGS];
  GHashTable *service_checks;   /* id → GtkToggleButton, for every known service */
  GHashTable *providers;        /* provider → GPtrArray of ids, for companies with several */
  GPtrArray *custom_shown;      /* the custom services the lists were built from */
  char *needle;                 /* the search, normalised */
  GStrv quiet_allow_built_for;  /* the watched ids the quiet-hours checks show */
  GStrv urls_built_for;         /* the connectivity URLs the list shows */

  /* The custom service editor. */
  char *editing_id;             /* NULL while adding */
  char *editing_feed;           /* the edited service's feed, kept if its page is unchanged */
  char *editing_status_page;
  gboolean id_edited;           /* typed by the user: no longer derived from the name */
  GCancellable *detect_cancellable;
  gboolean detecting;
  gboolean save_after_detect;
  char *detected_page;          /* the status page the result below is for */
  char *detected_feed;          /* "kind:url", or NULL when nothing was found */
};

G_DEFINE_FINAL_TYPE (VigiePreferences, vigie_preferences, GTK_TYPE_WINDOW)

static void sync_all (VigiePreferences *self);

/* ---- helpers ------------------------------------------------------------ */

static void
show_error (VigiePreferences *self,
            const char       *message)
{
  gtk_label_set_text (self->info_label, message);
  gtk_info_bar_set_revealed (self->info_bar, TRUE);
}

static void
on_info_bar_response (GtkInfoBar       *info_bar,
                      int               response,
                      VigiePreferences *self)
{
  gtk_info_bar_set_revealed (info_bar, FALSE);
}

static void
save (VigiePreferences *self)
{
  g_autoptr(GError) error = NULL;

  if (vigie_config_save (self->config, &error))
    {
      gtk_info_bar_set_revealed (self->info_bar, FALSE);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Your settings could not be saved: %s"),
                                                error->message);
    show_error (self, message);
  }
}

/* An inline message under a field; %NULL hides it. The entry turns red too. */
static void
set_field_error (GtkLabel   *label,
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

/* Lowercase ASCII without accents, so that "reseau" finds "Réseau" and
 * "meta" finds "Meta". */
static char *
normalise (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text ? text : "", NULL);

  return g_ascii_strdown (ascii, -1);
}

static char *
entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (entry)));
}

/* ---- Services page ------------------------------------------------------ */

static int
category_index (const char *category)
{
  const char *const *categories = vigie_service_categories ();

  for (int i = 0; categories[i] != NULL; i++)
    if (g_str_equal (categories[i], category))
      return i;
  return g_strv_length ((char **) categories);
}

static const char *
row_category (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "category");
}

static int
sort_services (GtkListBoxRow *a,
               GtkListBoxRow *b,
               gpointer       user_data)
{
  int ca = category_index (row_category (a));
  int cb = category_index (row_category (b));

  if (ca != cb)
    return ca - cb;
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "order"))
         - GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "order"));
}

static void
update_services_header (GtkListBoxRow *row,
                        GtkListBoxRow *before,
                        gpointer       user_data)
{
  const char *category = row_category (row);
  GtkWidget *header;

  if (before != NULL && g_str_equal (row_category (before), category))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_list_box_row_get_header (row);
  if (header == NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      header = gtk_label_new (vigie_service_category_label (category));
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      gtk_label_set_attributes (GTK_LABEL (header), attrs);
      pango_attr_list_unref (attrs);
      gtk_label_set_xalign (GTK_LABEL (header), 0);
      g_object_set (header, "margin-start", 12, "margin-end", 12, "margin-top", 12,
                    "margin-bottom", 6, NULL);
      gtk_widget_show (header);
      gtk_list_box_row_set_header (row, header);
    }
}

static gboolean
filter_services (GtkListBoxRow *row,
                 gpointer       user_data)
{
  VigiePreferences *self = user_data;
  const char *haystack = g_object_get_data (G_OBJECT (row), "haystack");

  return self->needle == NULL || *self->needle == '\0' || strstr (haystack, self->needle) != NULL;
}

static void
set_watched (VigiePreferences  *self,
             const char *const *ids,
             gboolean           watched)
{
  const char *const *current = vigie_config_get_service_ids (self->config);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  /* The user's order is kept; new ones go at the end. */
  for (guint i = 0; current[i] != NULL; i++)
    if (watched || !g_strv_contains (ids, current[i]))
      g_strv_builder_add (builder, current[i]);
  if (watched)
    for (guint i = 0; ids[i] != NULL; i++)
      if (!g_strv_contains (current, ids[i]))
        g_strv_builder_add (builder, ids[i]);
  result = g_strv_builder_end (builder);
  vigie_config_set_service_ids (self->config, (const char *const *) result);
  save (self);
}

static void
on_service_toggled (GtkToggleButton  *check,
                    VigiePreferences *self)
{
  const char *ids[] = { g_object_get_data (G_OBJECT (check), "service-id"), NULL };

  if (self->syncing)
    return;
  set_watched (self, ids, gtk_toggle_button_get_active (check));
}

static GtkWidget *
service_row_new (VigiePreferences *self,
                 VigieService     *service,
                 int               order)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (service->name);
  GtkWidget *provider = gtk_label_new (service->provider);
  const char *category = service->origin == VIGIE_SERVICE_CUSTOM ? "custom" : service->category;
  g_autofree char *text = g_strjoin (" ", service->name, service->provider, service->id,
                                     vigie_service_category_label (category), category, NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (provider), 1);
  gtk_widget_set_hexpand (provider, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (provider), "dim-label");
  gtk_container_add (GTK_CONTAINER (box), name);
  gtk_container_add (GTK_CONTAINER (box), provider);
  gtk_container_add (GTK_CONTAINER (check), box);
  g_object_set (check, "margin-start", 12, "margin-end", 12, "margin-top", 3, "margin-bottom", 3,
                NULL);
  gtk_widget_set_name (check, service->id);
  atk_object_set_name (gtk_widget_get_accessible (check), service->name);
  g_object_set_data_full (G_OBJECT (check), "service-id", g_strdup (service->id), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (on_service_toggled), self);

  /* The check is what takes the focus and the clicks, not the row. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_can_focus (row, FALSE);
  gtk_container_add (GTK_CONTAINER (row), check);
  g_object_set_data_full (G_OBJECT (row), "category", g_strdup (category), g_free);
  g_object_set_data (G_OBJECT (row), "order", GINT_TO_POINTER (order));
  g_object_set_data_full (G_OBJECT (row), "haystack", normalise (text), g_free);
  g_hash_table_insert (self->service_checks, g_strdup (service->id), check);
  gtk_widget_show_all (row);
  return row;
}

static void
add_provider (GHashTable   *providers,
              VigieService *service)
{
  GPtrArray *ids = g_hash_table_lookup (providers, service->provider);

  if (ids == NULL)
    {
      ids = g_ptr_array_new ();
      g_hash_table_insert (providers, service->provider, ids);
    }
  g_ptr_array_add (ids, service->id);
}

static void
build_services (VigiePreferences *self)
{
  GPtrArray *catalog = vigie_catalog_get_services (vigie_config_get_catalog (self->config));
  GPtrArray *custom = vigie_config_get_custom_services (self->config);
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->services_list));
  int order = 0;

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  g_hash_table_remove_all (self->service_checks);
  g_hash_table_remove_all (self->providers);

  /* The arrays keep the services (and their strings) alive as keys. */
  g_ptr_array_set_size (self->custom_shown, 0);
  for (guint i = 0; i < custom->len; i++)
    g_ptr_array_add (self->custom_shown, vigie_service_ref (g_ptr_array_index (custom, i)));

  for (guint i = 0; i < catalog->len; i++)
    {
      VigieService *service = g_ptr_array_index (catalog, i);
      gtk_container_add (GTK_CONTAINER (self->services_list),
                         service_row_new (self, service, order++));
      add_provider (self->providers, service);
    }
  for (guint i = 0; i < self->custom_shown->len; i++)
    {
      VigieService *service = g_ptr_array_index (self->custom_shown, i);
      gtk_container_add (GTK_CONTAINER (self->services_list),
                         service_row_new (self, service, order++));
      add_provider (self->providers, service);
    }
}

static void
on_provider_toggled (GtkToggleButton  *check,
                     VigiePreferences *self)
{
  GPtrArray *ids = g_object_get_data (G_OBJECT (check), "ids");
  gboolean all = TRUE;
  g_autoptr(GPtrArray) list = NULL;

  if (self->syncing)
    return;
  for (guint i = 0; i < ids->len; i++)
    all = all && vigie_config_is_watched (self->config, g_ptr_array_index (ids, i));
  /* All of them watched: the click unwatches them; otherwise it watches all. */
  list = g_ptr_array_copy (ids, NULL, NULL);
  g_ptr_array_add (list, NULL);
  set_watched (self, (const char *const *) list->pdata, !all);
}

static void
sync_provider_toggle (VigiePreferences *self,
                      GtkToggleButton  *check)
{
  GPtrArray *ids = g_object_get_data (G_OBJECT (check), "ids");
  guint n = 0;

  for (guint i = 0; i < ids->len; i++)
    n += vigie_config_is_watched (self->config, g_ptr_array_index (ids, i));
  self->syncing++;
  gtk_toggle_button_set_active (check, n == ids->len);
  gtk_toggle_button_set_inconsistent (check, n > 0 && n < ids->len);
  self->syncing--;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

/* "All Meta services" when the search names a company with several. */
static void
build_provider_toggles (VigiePreferences *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->provider_box));
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);

  if (self->needle != NULL && strlen (self->needle) >= MIN_PROVIDER_NEEDLE)
    {
      g_hash_table_iter_init (&iter, self->providers);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *provider = normalise (key);
          if (((GPtrArray *) value)->len > 1 && strstr (provider, self->needle) != NULL)
            g_ptr_array_add (matches, key);
        }
      g_ptr_array_sort (matches, compare_strings);
    }

  for (guint i = 0; i < MIN (matches->len, MAX_PROVIDER_TOGGLES); i++)
    {
      const char *provider = g_ptr_array_index (matches, i);
      GPtrArray *ids = g_hash_table_lookup (self->providers, provider);
      /* Translators: a check button that watches every service of a company */
      g_autofree char *label = g_strdup_printf (_("All %s services (%u)"), provider, ids->len);
      GtkWidget *check = gtk_check_button_new_with_label (label);

      g_object_set_data_full (G_OBJECT (check), "provider", g_strdup (provider), g_free);
      g_object_set_data (G_OBJECT (check), "ids", ids);
      sync_provider_toggle (self, GTK_TOGGLE_BUTTON (check));
      g_signal_connect (check, "toggled", G_CALLBACK (on_provider_toggled), self);
      gtk_container_add (GTK_CONTAINER (self->provider_box), check);
      gtk_widget_show (check);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->provider_box), matches->len > 0);
}

static void
on_search_changed (GtkSearchEntry   *entry,
                   VigiePreferences *self)
{
  g_free (self->needle);
  self->needle = normalise (gtk_entry_get_text (GTK_ENTRY (entry)));
  g_strstrip (self->needle);
  gtk_list_box_invalidate_filter (self->services_list);
  build_provider_toggles (self);
}

static void
sync_services (VigiePreferences *self)
{
  guint n = g_strv_length ((char **) vigie_config_get_service_ids (self->config));
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u service watched",
                                                         "%u services watched", n),
                                            n);
  g_autoptr(GList) toggles = gtk_container_get_children (GTK_CONTAINER (self->provider_box));
  GHashTableIter iter;
  gpointer key, value;

  self->syncing++;
  g_hash_table_iter_init (&iter, self->service_checks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    gtk_toggle_button_set_active (value, vigie_config_is_watched (self->config, key));
  self->syncing--;
  for (GList *l = toggles; l != NULL; l = l->next)
    sync_provider_toggle (self, l->data);
  gtk_label_set_text (self->watched_label, count);
}

/* ---- Your services page ------------------------------------------------- */

static void open_editor (VigiePreferences *self,
                         VigieService     *service);

static void
on_edit_clicked (GtkButton        *button,
                 VigiePreferences *self)
{
  VigieService *service =
    vigie_config_lookup_service (self->config, g_object_get_data (G_OBJECT (button), "service-id"));

  if (service != NULL)
    open_editor (self, service);
}

static void
on_remove_clicked (GtkButton        *button,
                   VigiePreferences *self)
{
  if (vigie_config_remove_custom_service (self->config,
                                          g_object_get_data (G_OBJECT (button), "service-id")))
    save (self);
}

static GtkWidget *
icon_button_new (const char *icon_name,
                 const char *description)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name, GTK_ICON_SIZE_BUTTON);

  gtk_widget_set_tooltip_text (button, description);
  atk_object_set_name (gtk_widget_get_accessible (button), description);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static GtkWidget *
custom_row_new (VigiePreferences *self,
                VigieService     *service)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = gtk_label_new (service->name ? service->name : service->id);
  g_autofree char *detail_text = NULL;
  GtkWidget *detail;
  GtkWidget *edit, *remove;
  PangoAttrList *bold = pango_attr_list_new ();
  /* Translators: tooltips and accessible names of a custom service's buttons */
  g_autofree char *edit_text = g_strdup_printf (_("Edit %s"), service->name);
  g_autofree char *remove_text = g_strdup_printf (_("Remove %s"), service->name);

  if (service->feed_kind != VIGIE_FEED_NONE)
    /* Translators: "https://intranet.example.com/ · Atlassian Statuspage" */
    detail_text = g_strdup_printf (_("%s · %s"), service->site,
                                   vigie_report_feed_kind_label (service->feed_kind));
  else
    detail_text = g_strdup (service->site);
  detail = gtk_label_new (detail_text);

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (name), bold);
  pango_attr_list_unref (bold);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_MIDDLE);
  gtk_style_context_add_class (gtk_widget_get_style_context (detail), "dim-label");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_container_add (GTK_CONTAINER (text), name);
  gtk_container_add (GTK_CONTAINER (text), detail);

  edit = icon_button_new ("document-edit-symbolic", edit_text);
  remove = icon_button_new ("user-trash-symbolic", remove_text);
  gtk_widget_set_name (edit, "edit");
  gtk_widget_set_name (remove, "remove");
  g_object_set_data_full (G_OBJECT (edit), "service-id", g_strdup (service->id), g_free);
  g_object_set_data_full (G_OBJECT (remove), "service-id", g_strdup (service->id), g_free);
  g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_clicked), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);

  g_object_set (box, "margin-start", 12, "margin-end", 6, "margin-top", 6, "margin-bottom", 6,
                NULL);
  gtk_container_add (GTK_CONTAINER (box), text);
  gtk_container_add (GTK_CONTAINER (box), edit);
  gtk_container_add (GTK_CONTAINER (box), remove);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_name (row, service->id);
  gtk_widget_show_all (row);
  return row;
}

static void
build_custom_list (VigiePreferences *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->custom_list));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; i < self->custom_shown->len; i++)
    gtk_container_add (GTK_CONTAINER (self->custom_list),
                       custom_row_new (self, g_ptr_array_index (self->custom_shown, i)));
}

/* "Mon Intranet" → "mon-intranet": a valid id from a name, when possible. */
static char *
slug (const char *name)
{
  g_autofree char *ascii = normalise (name);
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && out->len < 64; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);
    else if (out->len > 0 && out->str[out->len - 1] != '-')
      g_string_append_c (out, '-');
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static void
clear_detection (VigiePreferences *self)
{
  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  self->detecting = FALSE;
  self->save_after_detect = FALSE;
  g_clear_pointer (&self->detected_page, g_free);
  g_clear_pointer (&self->detected_feed, g_free);
  gtk_spinner_stop (self->detect_spinner);
  gtk_widget_hide (GTK_WIDGET (self->detect_spinner));
  set_field_error (self->detect_label, GTK_WIDGET (self->status_entry), NULL);
}

/* The line under the status page: progress, the kind found, or a problem.
 * @field is the entry to mark when the problem is with what was typed. */
static void
show_detection (VigiePreferences *self,
                const char       *text,
                gboolean          is_problem,
                GtkWidget        *field)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->detect_label));

  set_field_error (self->detect_label, GTK_WIDGET (self->status_entry), NULL);
  if (field != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (field), "error");
  if (is_problem)
    gtk_style_context_add_class (context, "vigie-error");
  else
    gtk_style_context_remove_class (context, "vigie-error");
  gtk_label_set_text (self->detect_label, text);
  gtk_widget_show (GTK_WIDGET (self->detect_label));
}

static void
open_editor (VigiePreferences *self,
             VigieService     *service)
{
  g_autofree char *title = NULL;

  clear_detection (self);
  g_clear_pointer (&self->editing_id, g_free);
  g_clear_pointer (&self->editing_feed, g_free);
  g_clear_pointer (&self->editing_status_page, g_free);

  self->syncing++;
  if (service != NULL)
    {
      self->editing_id = g_strdup (service->id);
      if (service->feed_kind != VIGIE_FEED_NONE)
        self->editing_feed = g_strdup_printf ("%s:%s", vigie_feed_kind_to_string (service->feed_kind),
                                              service->feed_url);
      self->editing_status_page = g_strdup (service->status_page ? service->status_page : "");
      /* Translators: title of the editor for an existing service */
      title = g_strdup_printf (_("Edit “%s”"), service->name);
      gtk_entry_set_text (self->name_entry, service->name);
      gtk_entry_set_text (self->id_entry, service->id);
      gtk_entry_set_text (self->site_entry, service->site);
      gtk_entry_set_text (self->status_entry, self->editing_status_page);
      gtk_button_set_label (self->save_button, _("_Save"));
    }
  else
    {
      title = g_strdup (_("Add a service of your own"));
      gtk_entry_set_text (self->name_entry, "");
      gtk_entry_set_text (self->id_entry, "");
      gtk_entry_set_text (self->site_entry, "");
      gtk_entry_set_text (self->status_entry, "");
      gtk_button_set_label (self->save_button, _("_Add"));
    }
  self->syncing--;
  self->id_edited = service != NULL;
  /* An id names the group in the file and other settings: it is not renamed. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_entry), service == NULL);
  gtk_label_set_text (self->editor_title, title);
  set_field_error (self->name_error, GTK_WIDGET (self->name_entry), NULL);
  set_field_error (self->id_error, GTK_WIDGET (self->id_entry), NULL);
  set_field_error (self->site_error, GTK_WIDGET (self->site_entry), NULL);

  gtk_stack_set_visible_child_name (self->custom_stack, "editor");
  gtk_widget_grab_default (GTK_WIDGET (self->save_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
close_editor (VigiePreferences *self)
{
  clear_detection (self);
  gtk_stack_set_visible_child_name (self->custom_stack, "list");
}

static void
on_add_clicked (GtkButton        *button,
                VigiePreferences *self)
{
  open_editor (self, NULL);
}

static void
on_cancel_clicked (GtkButton        *button,
                   VigiePreferences *self)
{
  close_editor (self);
}

static void
on_name_changed (GtkEditable      *editable,
                 VigiePreferences *self)
{
  g_autofree char *id = NULL;

  if (self->syncing)
    return;
  set_field_error (self->name_error, GTK_WIDGET (self->name_entry), NULL);
  if (self->id_edited)
    return;
  id = slug (gtk_entry_get_text (self->name_entry));
  self->syncing++;
  gtk_entry_set_text (self->id_entry, id);
  self->syncing--;
}

static void
on_id_changed (GtkEditable      *editable,
               VigiePreferences *self)
{
  if (self->syncing)
    return;
  self->id_edited = TRUE;
  set_field_error (self->id_error, GTK_WIDGET (self->id_entry), NULL);
}

static void
on_site_changed (GtkEditable      *editable,
                 VigiePreferences *self)
{
  if (!self->syncing)
    set_field_error (self->site_error, GTK_WIDGET (self->site_entry), NULL);
}

static void
on_status_changed (GtkEditable      *editable,
                   VigiePreferences *self)
{
  if (!self->syncing)
    clear_detection (self);
}

/* Whether @text is acceptable as a status page: empty, or a web address. */
static gboolean
check_status_page (VigiePreferences *self,
                   const char       *text)
{
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    return TRUE;
  if (strstr (text, "://") == NULL)
    {
      show_detection (self, _("Enter a full web address, starting with https:// or http://"),
                      TRUE, GTK_WIDGET (self->status_entry));
      return FALSE;
    }
  if (!vigie_service_check_url (text, VIGIE_SERVICE_CUSTOM, &error))
    {
      show_detection (self, error->message, TRUE, GTK_WIDGET (self->status_entry));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  VigiePreferences *self;       /* a reference: valid until the answer, even if closed */
  GCancellable *cancellable;
  VigieHttp *http;
  GPtrArray *candidates;
  char *page;
} Detection;

static void
detection_free (Detection *detection)
{
  g_clear_object (&detection->self);
  g_clear_object (&detection->cancellable);
  g_clear_object (&detection->http);
  g_clear_pointer (&detection->candidates, g_ptr_array_unref);
  g_free (detection->page);
  g_free (detection);
}

static void     commit_service  (VigiePreferences *self);
static gboolean validate_editor (VigiePreferences *self);

static void
on_detected (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Detection *detection = user_data;
  VigiePreferences *self = detection->self;
  g_autoptr(GPtrArray) responses = vigie_http_run_finish (VIGIE_HTTP (source), result, NULL);
  VigieFeedCandidate *winner = NULL;

  /* Another page was pasted, the editor closed or the window went away. */
  if (g_cancellable_is_cancelled (detection->cancellable))
    {
      detection_free (detection);
      return;
    }

  for (guint i = 0; responses != NULL && i < responses->len && winner == NULL; i++)
    {
      VigieHttpResponse *response = g_ptr_array_index (responses, i);
      VigieFeedCandidate *candidate = g_ptr_array_index (detection->candidates, i);
      g_autoptr(VigieFeedReport) report = NULL;
      gsize size;
      const guint8 *data;

      if (response->layer != VIGIE_LAYER_OK || response->http_status != 200
          || response->body == NULL)
        continue;
      data = g_bytes_get_data (response->body, &size);
      report = vigie_feed_parse (candidate->kind, data, size, NULL,
                                 g_get_real_time () / G_USEC_PER_SEC, NULL);
      /* A document that says nothing about any status is not a status feed. */
      if (report != NULL && report->level != VIGIE_OFFICIAL_UNKNOWN)
        winner = candidate;
    }

  self->detecting = FALSE;
  gtk_spinner_stop (self->detect_spinner);
  gtk_widget_hide (GTK_WIDGET (self->detect_spinner));
  g_free (self->detected_page);
  self->detected_page = g_strdup (detection->page);
  g_clear_pointer (&self->detected_feed, g_free);
  g_clear_object (&self->detect_cancellable);

  if (winner != NULL)
    {
      /* Translators: %s is a kind of status page ("Atlassian Statuspage") */
      g_autofree char *text = g_strdup_printf (_("Detected: %s"),
                                               vigie_report_feed_kind_label (winner->kind));
      self->detected_feed = g_strdup_printf ("%s:%s", vigie_feed_kind_to_string (winner->kind),
                                             winner->url);
      show_detection (self, text, FALSE, NULL);
      if (self->save_after_detect && validate_editor (self))
        commit_service (self);
    }
  else
    /* The user sees this before anything is saved: a second click saves
     * the service without a feed, knowingly. */
    show_detection (self, _("No status feed Vigie knows was found at this address. You can "
                            "still save the service: Vigie will then check its address only."),
                    TRUE, NULL);
  self->save_after_detect = FALSE;
  detection_free (detection);
}

static void
start_detection (VigiePreferences *self,
                 const char       *page)
{
  VigieHttpOptions options = { .timeout_s = DETECT_TIMEOUT_S };
  g_autoptr(GPtrArray) requests = NULL;
  Detection *detection;

  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  self->detect_cancellable = g_cancellable_new ();
  self->detecting = TRUE;

  detection = g_new0 (Detection, 1);
  detection->self = g_object_ref (self);
  detection->cancellable = g_object_ref (self->detect_cancellable);
  detection->http = vigie_http_new (&options);
  detection->candidates = vigie_feed_detect_candidates (page);
  detection->page = g_strdup (page);

  requests = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_http_request_free);
  for (guint i = 0; i < detection->candidates->len; i++)
    {
      VigieFeedCandidate *candidate = g_ptr_array_index (detection->candidates, i);
      VigieHttpRequest *request = vigie_http_request_new (candidate->url, VIGIE_REQUEST_BODY);

      request->max_body = candidate->kind == VIGIE_FEED_GOOGLE ? vigie_feed_max_size (candidate->kind)
                                                              : DETECT_MAX_BODY;
      /* A custom service may live on plain http (intranet, loopback). */
      request->allow_plain_http = TRUE;
      g_ptr_array_add (requests, request);
    }

  show_detection (self, _("Looking for the status feed…"), FALSE, NULL);
  gtk_widget_show (GTK_WIDGET (self->detect_spinner));
  gtk_spinner_start (self->detect_spinner);
  vigie_http_run_async (detection->http, requests, detection->cancellable, on_detected, detection);
}

static void
on_detect_clicked (GtkWidget        *widget,
                   VigiePreferences *self)
{
  g_autofree char *page = entry_text (self->status_entry);

  if (*page == '\0' || !check_status_page (self, page))
    return;
  self->save_after_detect = FALSE;
  start_detection (self, page);
}

/* Checks the editor's fields; shows what is wrong under each one. */
static gboolean
validate_editor (VigiePreferences *self)
{
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *id = entry_text (self->id_entry);
  g_autofree char *site = entry_text (self->site_entry);
  g_autofree char *page = entry_text (self->status_entry);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (*name == '\0')
    {
      set_field_error (self->name_error, GTK_WIDGET (self->name_entry),
                       _("Give the service a name"));
      ok = FALSE;
    }

  if (!vigie_service_id_is_valid (id))
    {
      set_field_error (self->id_error, GTK_WIDGET (self->id_entry),
                       _("Use only lowercase letters, digits and dashes (at most 64), not "
                         "starting or ending with a dash"));
      ok = FALSE;
    }
  else if (self->editing_id == NULL
           && vigie_catalog_lookup (vigie_config_get_catalog (self->config), id) != NULL)
    {
      set_field_error (self->id_error, GTK_WIDGET (self->id_entry),
                       _("Vigie already knows a service by this id: tick it in Services, or "
                         "choose another id"));
      ok = FALSE;
    }
  else if (self->editing_id == NULL && vigie_config_lookup_service (self->config, id) != NULL)
    {
      set_field_error (self->id_error, GTK_WIDGET (self->id_entry),
                       _("You already have a service with this id"));
      ok = FALSE;
    }

  if (*site == '\0')
    {
      set_field_error (self->site_error, GTK_WIDGET (self->site_entry),
                       _("Enter the address Vigie should check"));
      ok = FALSE;
    }
  else if (!vigie_service_check_url (site, VIGIE_SERVICE_CUSTOM, &error))
    {
      set_field_error (self->site_error, GTK_WIDGET (self->site_entry), error->message);
      ok = FALSE;
    }

  if (!check_status_page (self, page))
    ok = FALSE;
  return ok;
}

static void
commit_service (VigiePreferences *self)
{
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *id = entry_text (self->id_entry);
  g_autofree char *site = entry_text (self->site_entry);
  g_autofree char *page = entry_text (self->status_entry);
  g_autoptr(GError) error = NULL;
  const char *feed = NULL;
  gboolean adding = self->editing_id == NULL;

  if (*page != '\0')
    feed = self->detected_feed;
  else if (!adding && self->editing_status_page != NULL && *self->editing_status_page == '\0')
    /* A feed written in the file by hand, with no page to detect it from. */
    feed = self->editing_feed;

  if (!vigie_config_set_custom_service (self->config, id, name, site, page, feed, &error))
    {
      /* validate_editor() checked the same rules: this is a safety net. */
      if (g_error_matches (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_ID))
        set_field_error (self->id_error, GTK_WIDGET (self->id_entry), error->message);
      else if (g_error_matches (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_FEED))
        show_detection (self, error->message, TRUE, GTK_WIDGET (self->status_entry));
      else
        set_field_error (self->site_error, GTK_WIDGET (self->site_entry), error->message);
      return;
    }
  /* Adding a service means wanting it watched. */
  if (adding)
    {
      const char *ids[] = { id, NULL };
      set_watched (self, ids, TRUE);
    }
  save (self);
  close_editor (self);
}

static void
on_save_clicked (GtkButton        *button,
                 VigiePreferences *self)
{
  g_autofree char *page = entry_text (self->status_entry);

  if (!validate_editor (self))
    return;
  if (self->detecting)
    {
      self->save_after_detect = TRUE;
      return;
    }

  /* A page unchanged since it was detected (or loaded) needs no new look. */
  if (*page != '\0' && g_strcmp0 (page, self->detected_page) != 0)
    {
      if (self->editing_id != NULL && g_strcmp0 (page, self->editing_status_page) == 0)
        {
          g_free (self->detected_page);
          self->detected_page = g_strdup (page);
          g_free (self->detected_feed);
          self->detected_feed = g_strdup (self->editing_feed);
        }
      else
        {
          start_detection (self, page);
          self->save_after_detect = TRUE;
          return;
        }
    }
  commit_service (self);
}

/* ---- Checking page ------------------------------------------------------ */

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
update_worst_case (VigiePreferences *self)
{
  g_autofree char *duration =
    vigie_report_duration_exact (vigie_config_get_worst_case_detection (self->config));
  /* Translators: %s is a duration ("1 min 40 s") */
  g_autofree char *text = g_strdup_printf (_("Worst case: an outage is confirmed within %s"),
                                           duration);

  gtk_label_set_text (self->worst_case_label, text);
}

/* A retry never waits longer than the interval (the file would be refused). */
static void
update_retry_range (VigiePreferences *self)
{
  guint min, max;
  GtkAdjustment *adjustment =
    gtk_spin_button_get_adjustment (self->spins[VIGIE_SETTING_RETRY_INTERVAL]);

  vigie_config_get_setting_range (VIGIE_SETTING_RETRY_INTERVAL, &min, &max, NULL);
  gtk_adjustment_set_upper (adjustment,
                            MIN (max, vigie_config_get_setting (self->config,
                                                                VIGIE_SETTING_INTERVAL)));
}

static void
on_setting_changed (GtkSpinButton    *spin,
                    VigiePreferences *self)
{
  VigieSetting setting = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "setting"));
  g_autoptr(GError) error = NULL;

  guint value = (guint) gtk_spin_button_get_value_as_int (spin);

  if (self->syncing)
    return;
  /* A shorter interval pulls the retry down with it first, so that the
   * file never holds a retry longer than the interval. */
  if (setting == VIGIE_SETTING_INTERVAL
      && vigie_config_get_setting (self->config, VIGIE_SETTING_RETRY_INTERVAL) > value)
    vigie_config_set_setting (self->config, VIGIE_SETTING_RETRY_INTERVAL, value, NULL);
  if (!vigie_config_set_setting (self->config, setting, value, &error))
    {
      show_error (self, error->message);
      return;
    }
  save (self);
  update_worst_case (self);
}

static void
build_checking (VigiePreferences *self)
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
set_urls (VigiePreferences  *self,
          const char *const *urls)
{
  g_autoptr(GError) error = NULL;

  if (!vigie_config_set_connectivity_urls (self->config, urls, &error))
    {
      set_field_error (self->url_error, GTK_WIDGET (self->url_entry), error->message);
      return;
    }
  set_field_error (self->url_error, GTK_WIDGET (self->url_entry), NULL);
  save (self);
}

static void
on_remove_url (GtkButton        *button,
               VigiePreferences *self)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");
  const char *const *current = vigie_config_get_connectivity_urls (self->config);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;

  for (guint i = 0; current[i] != NULL; i++)
    if (!g_str_equal (current[i], url))
      g_strv_builder_add (builder, current[i]);
  urls = g_strv_builder_end (builder);
  if (urls[0] == NULL)
    {
      set_field_error (self->url_error, NULL,
                       _("Vigie needs at least one address to tell whether your connection "
                         "works"));
      return;
    }
  set_urls (self, (const char *const *) urls);
}

static void
on_add_url (GtkWidget        *widget,
            VigiePreferences *self)
{
  g_autofree char *url = entry_text (self->url_entry);
  const char *const *current = vigie_config_get_connectivity_urls (self->config);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;

  if (*url == '\0')
    return;
  if (g_strv_contains (current, url))
    {
      set_field_error (self->url_error, GTK_WIDGET (self->url_entry),
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
on_url_changed (GtkEditable      *editable,
                VigiePreferences *self)
{
  set_field_error (self->url_error, GTK_WIDGET (self->url_entry), NULL);
}

static void
build_urls (VigiePreferences *self)
{
  const char *const *urls = vigie_config_get_connectivity_urls (self->config);
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
      GtkWidget *remove = icon_button_new ("list-remove-symbolic", remove_text);

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

/* ---- Notifications page ------------------------------------------------- */

static void
on_notify_toggled (GObject          *object,
                   GParamSpec       *pspec,
                   VigiePreferences *self)
{
  gboolean active = gtk_switch_get_active (self->notify_switch);

  gtk_widget_set_sensitive (self->kinds_grid, active);
  gtk_widget_set_sensitive (self->quiet_grid, active);
  if (self->syncing)
    return;
  vigie_config_set_notifications_enabled (self->config, active);
  save (self);
}

static void
on_kind_toggled (GObject          *object,
                 GParamSpec       *pspec,
                 VigiePreferences *self)
{
  VigieNotifyKind kind = object == G_OBJECT (self->down_switch)       ? VIGIE_NOTIFY_DOWN
                         : object == G_OBJECT (self->degraded_switch) ? VIGIE_NOTIFY_DEGRADED
                                                                      : VIGIE_NOTIFY_RECOVERED;

  if (self->syncing)
    return;
  vigie_config_set_notify (self->config, kind, gtk_switch_get_active (GTK_SWITCH (object)));
  save (self);
}

static void
apply_quiet_hours (VigiePreferences *self)
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
  vigie_config_set_quiet_hours (self->config, enabled, start, end);
  save (self);
}

static void
on_quiet_toggled (GObject          *object,
                  GParamSpec       *pspec,
                  VigiePreferences *self)
{
  apply_quiet_hours (self);
}

static void
on_quiet_changed (GtkSpinButton    *spin,
                  VigiePreferences *self)
{
  apply_quiet_hours (self);
}

/* Hours and minutes read as on a clock: 07, not 7. */
static gboolean
on_time_output (GtkSpinButton    *spin,
                VigiePreferences *self)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  if (g_strcmp0 (text, gtk_entry_get_text (GTK_ENTRY (spin))) != 0)
    gtk_entry_set_text (GTK_ENTRY (spin), text);
  return TRUE;
}

static void
on_allow_toggled (GtkToggleButton  *check,
                  VigiePreferences *self)
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
  vigie_config_set_quiet_hours_allow (self->config, (const char *const *) ids);
  save (self);
}

static void
build_quiet_allow (VigiePreferences *self)
{
  const char *const *watched = vigie_config_get_service_ids (self->config);
  const char *const *allowed = vigie_config_get_quiet_hours_allow (self->config);
  g_autoptr(GList) children = NULL;

  if (self->quiet_allow_built_for == NULL
      || !g_strv_equal ((const char *const *) self->quiet_allow_built_for, watched))
    {
      children = gtk_container_get_children (GTK_CONTAINER (self->quiet_allow_box));
      for (GList *l = children; l != NULL; l = l->next)
        gtk_widget_destroy (l->data);
      for (guint i = 0; watched[i] != NULL; i++)
        {
          VigieService *service = vigie_config_lookup_service (self->config, watched[i]);
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
on_reminder_changed (GtkComboBox      *combo,
                     VigiePreferences *self)
{
  const char *id = gtk_combo_box_get_active_id (combo);
  guint64 minutes;

  if (self->syncing || id == NULL)
    return;
  if (!g_ascii_string_to_unsigned (id, 10, 0, G_MAXUINT, &minutes, NULL))
    return;
  vigie_config_set_reminder_minutes (self->config, minutes);
  save (self);
}

static void
sync_reminder (VigiePreferences *self)
{
  guint minutes = vigie_config_get_reminder_minutes (self->config);
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

/* ---- General page ------------------------------------------------------- */

static void
on_autostart_toggled (GObject          *object,
                      GParamSpec       *pspec,
                      VigiePreferences *self)
{
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_switch_get_active (self->autostart_switch);

  if (self->syncing)
    return;
  if (!vigie_autostart_set_enabled (active, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Starting at login could not be changed: %s"),
                                                  error->message);
      show_error (self, message);
      self->syncing++;
      gtk_switch_set_active (self->autostart_switch, vigie_autostart_is_enabled ());
      self->syncing--;
    }
}

static void
on_hook_changed (GtkEditable      *editable,
                 VigiePreferences *self)
{
  g_autofree char *text = entry_text (self->hook_entry);
  const char *saved = vigie_config_get_hook_command (self->config);

  set_field_error (self->hook_error, GTK_WIDGET (self->hook_entry), NULL);
  gtk_widget_set_sensitive (self->hook_button, g_strcmp0 (text, saved ? saved : "") != 0);
}

/* A command is applied when asked (Enter or Apply), not at each keystroke:
 * a half-typed command must never run. */
static void
on_hook_apply (GtkWidget        *widget,
               VigiePreferences *self)
{
  g_autofree char *text = entry_text (self->hook_entry);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  if (*text != '\0' && !g_shell_parse_argv (text, NULL, &argv, &error))
    {
      /* Translators: %s is why a command line cannot be split into words */
      g_autofree char *message = g_strdup_printf (_("This command cannot be read: %s"),
                                                  error->message);
      set_field_error (self->hook_error, GTK_WIDGET (self->hook_entry), message);
      return;
    }
  vigie_config_set_hook_command (self->config, *text != '\0' ? text : NULL);
  save (self);
  gtk_widget_set_sensitive (self->hook_button, FALSE);
}

/* ---- the window --------------------------------------------------------- */

static gboolean
custom_changed (VigiePreferences *self)
{
  GPtrArray *custom = vigie_config_get_custom_services (self->config);

  if (custom->len != self->custom_shown->len)
    return TRUE;
  for (guint i = 0; i < custom->len; i++)
    if (custom->pdata[i] != self->custom_shown->pdata[i])
      return TRUE;
  return FALSE;
}

static void
sync_all (VigiePreferences *self)
{
  guint start, end;
  gboolean quiet = vigie_config_get_quiet_hours (self->config, &start, &end);
  const char *hook = vigie_config_get_hook_command (self->config);

  if (custom_changed (self))
    {
      build_services (self);
      build_custom_list (self);
      gtk_list_box_invalidate_filter (self->services_list);
      build_provider_toggles (self);
    }
  sync_services (self);

  self->syncing++;
  for (guint i = 0; i < VIGIE_N_SETTINGS; i++)
    gtk_spin_button_set_value (self->spins[i], vigie_config_get_setting (self->config, i));
  update_retry_range (self);
  update_worst_case (self);
  build_urls (self);

  gtk_switch_set_active (self->notify_switch, vigie_config_get_notifications_enabled (self->config));
  gtk_switch_set_active (self->down_switch, vigie_config_get_notify (self->config,
                                                                     VIGIE_NOTIFY_DOWN));
  gtk_switch_set_active (self->degraded_switch, vigie_config_get_notify (self->config,
                                                                         VIGIE_NOTIFY_DEGRADED));
  gtk_switch_set_active (self->recovered_switch, vigie_config_get_notify (self->config,
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

  /* The hook entry is left alone while the user is editing it. */
  if (!gtk_widget_get_sensitive (self->hook_button))
    {
      self->syncing++;
      gtk_entry_set_text (self->hook_entry, hook ? hook : "");
      self->syncing--;
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
vigie_preferences_dispose (GObject *object)
{
  VigiePreferences *self = VIGIE_PREFERENCES (object);

  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  if (self->config != NULL)
    g_signal_handlers_disconnect_by_data (self->config, self);
  g_clear_object (&self->config);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->service_checks, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_hash_table_unref);

  G_OBJECT_CLASS (vigie_preferences_parent_class)->dispose (object);
}

static void
vigie_preferences_finalize (GObject *object)
{
  VigiePreferences *self = VIGIE_PREFERENCES (object);

  g_clear_pointer (&self->custom_shown, g_ptr_array_unref);
  g_free (self->needle);
  g_strfreev (self->quiet_allow_built_for);
  g_strfreev (self->urls_built_for);
  g_free (self->editing_id);
  g_free (self->editing_feed);
  g_free (self->editing_status_page);
  g_free (self->detected_page);
  g_free (self->detected_feed);

  G_OBJECT_CLASS (vigie_preferences_parent_class)->finalize (object);
}

static void
vigie_preferences_class_init (VigiePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigie_preferences_dispose;
  object_class->finalize = vigie_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/vigie-preferences.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VigiePreferences, name)
  BIND (info_bar);
  BIND (feed_kinds_label);
  BIND (info_label);
  BIND (stack);
  BIND (search_entry);
  BIND (watched_label);
  BIND (provider_box);
  BIND (services_list);
  BIND (custom_stack);
  BIND (custom_list);
  BIND (editor_title);
  BIND (name_entry);
  BIND (id_entry);
  BIND (site_entry);
  BIND (status_entry);
  BIND (name_error);
  BIND (id_error);
  BIND (site_error);
  BIND (detect_label);
  BIND (detect_spinner);
  BIND (save_button);
  BIND (checking_grid);
  BIND (worst_case_label);
  BIND (urls_list);
  BIND (url_entry);
  BIND (url_error);
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
  BIND (autostart_switch);
  BIND (hook_entry);
  BIND (hook_button);
  BIND (hook_error);
  BIND (hook_note);
  BIND (path_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_info_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_site_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_status_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_detect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_url);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_notify_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_quiet_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_quiet_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_time_output);
  gtk_widget_class_bind_template_callback (widget_class, on_reminder_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_autostart_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_hook_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hook_apply);
}

static void
vigie_preferences_init (VigiePreferences *self)
{
  /* Handlers may run while the template is built (a combo's first item):
   * they must find nothing to write to yet. */
  self->syncing = 1;
  gtk_widget_init_template (GTK_WIDGET (self));
  install_css ();
  self->service_checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->providers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) g_ptr_array_unref);
  self->custom_shown = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);

  /* The formats Vigie reads, from the one table of them. */
  {
    g_autoptr(GString) kinds = g_string_new (NULL);
    g_autofree char *hint = NULL;

    for (guint i = 0; i < vigie_feed_format_count (); i++)
      {
        if (i > 0)
          g_string_append (kinds, ", ");
        g_string_append (kinds, vigie_report_feed_kind_label (vigie_feed_format_nth (i)->kind));
      }
    /* Translators: %s lists kinds of status page: "Atlassian Statuspage, Slack status API, …" */
    hint = g_strdup_printf (_("Paste the address of the service's status page. Vigie recognises: %s."),
                            kinds->str);
    gtk_label_set_text (self->feed_kinds_label, hint);
  }

  gtk_combo_box_text_append (self->reminder_combo, "0", _("Never"));
  gtk_combo_box_text_append (self->reminder_combo, "15", _("Every 15 minutes"));
  gtk_combo_box_text_append (self->reminder_combo, "30", _("Every 30 minutes"));
  gtk_combo_box_text_append (self->reminder_combo, "60", _("Every hour"));

  gtk_list_box_set_sort_func (self->services_list, sort_services, self, NULL);
  gtk_list_box_set_header_func (self->services_list, update_services_header, self, NULL);
  gtk_list_box_set_filter_func (self->services_list, filter_services, self, NULL);
  {
    GtkWidget *placeholder = gtk_label_new (_("No service matches your search"));
    GtkWidget *none = gtk_label_new (_("No service of your own yet"));

    gtk_style_context_add_class (gtk_widget_get_style_context (placeholder), "dim-label");
    gtk_style_context_add_class (gtk_widget_get_style_context (none), "dim-label");
    g_object_set (placeholder, "margin", 18, NULL);
    g_object_set (none, "margin", 18, NULL);
    gtk_widget_show (placeholder);
    gtk_widget_show (none);
    gtk_list_box_set_placeholder (self->services_list, placeholder);
    gtk_list_box_set_placeholder (self->custom_list, none);
  }
  build_checking (self);
  self->syncing = 0;
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
  VigiePreferences *self;
  g_autofree char *note = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (VIGIE_IS_MONITOR (monitor), NULL);

  self = g_object_new (VIGIE_TYPE_PREFERENCES, "application", application, NULL);
  self->monitor = g_object_ref (monitor);
  self->config = g_object_ref (vigie_monitor_get_config (monitor));

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
                 vigie_config_get_hook_timeout (self->config)),
    vigie_config_get_hook_timeout (self->config));
  gtk_label_set_text (self->hook_note, note);
  /* Translators: %s is a file's path */
  path = g_strdup_printf (_("Settings are saved as you change them, in %s"),
                          vigie_config_get_path (self->config));
  gtk_label_set_text (self->path_label, path);

  self->syncing++;
  gtk_switch_set_active (self->autostart_switch, vigie_autostart_is_enabled ());
  self->syncing--;

  build_services (self);
  build_custom_list (self);
  sync_all (self);
  g_signal_connect_swapped (self->config, "changed", G_CALLBACK (sync_all), self);
  return self;
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
  return g_hash_table_lookup (self->service_checks, service_id);
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
  g_autoptr(GList) children = NULL;

  g_return_val_if_fail (VIGIE_IS_PREFERENCES (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->provider_box)))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (self->provider_box));
  for (GList *l = children; l != NULL; l = l->next)
    if (g_strcmp0 (g_object_get_data (l->data, "provider"), provider) == 0)
      return l->data;
  return NULL;
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
  g_return_val_if_fail (setting < VIGIE_N_SETTINGS, NULL);
  return self->spins[setting];
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
  return self->detecting;
}
