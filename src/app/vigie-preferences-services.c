/* vigie-preferences-services.c — the Services page; see the header.
 *
 * Rows are built once from the catalog and the user's own services (again
 * only when those change), sorted by category with a header per category,
 * and filtered as the search changes: ticking never rebuilds the list, so
 * the focus stays where it was. While checks are being set from the
 * settings, `syncing` keeps their handlers from writing back.
 */
#define G_LOG_DOMAIN "vigie-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "vigie-preferences-services.h"

/* Below this many characters a search would offer too many companies. */
#define MIN_PROVIDER_NEEDLE 2
#define MAX_PROVIDER_TOGGLES 3

struct _VigiePreferencesServices
{
  VigiePreferencesPage parent_instance;

  GtkLabel *watched_label;
  GtkBox *provider_box;
  GtkListBox *services_list;

  guint syncing;
  GHashTable *service_checks;   /* id → GtkToggleButton, for every known service */
  GHashTable *providers;        /* provider → GPtrArray of ids, for companies with several */
  GPtrArray *custom_shown;      /* the custom services the list was built from */
  char *needle;                 /* the search, normalised */
};

G_DEFINE_FINAL_TYPE (VigiePreferencesServices, vigie_preferences_services,
                     VIGIE_TYPE_PREFERENCES_PAGE)

static VigieConfig *
config_of (VigiePreferencesServices *self)
{
  return vigie_preferences_page_get_config (VIGIE_PREFERENCES_PAGE (self));
}

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
  VigiePreferencesServices *self = user_data;
  const char *haystack = g_object_get_data (G_OBJECT (row), "haystack");

  return self->needle == NULL || *self->needle == '\0' || strstr (haystack, self->needle) != NULL;
}

static void
on_service_toggled (GtkToggleButton          *check,
                    VigiePreferencesServices *self)
{
  const char *ids[] = { g_object_get_data (G_OBJECT (check), "service-id"), NULL };

  if (self->syncing)
    return;
  vigie_preferences_page_set_watched (VIGIE_PREFERENCES_PAGE (self), ids,
                                      gtk_toggle_button_get_active (check));
}

static GtkWidget *
service_row_new (VigiePreferencesServices *self,
                 VigieService             *service,
                 int                       order)
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
  g_object_set_data_full (G_OBJECT (row), "haystack", vigie_preferences_page_normalise (text),
                          g_free);
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
build_services (VigiePreferencesServices *self)
{
  GPtrArray *catalog = vigie_catalog_get_services (vigie_config_get_catalog (config_of (self)));
  GPtrArray *custom = vigie_config_get_custom_services (config_of (self));
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
on_provider_toggled (GtkToggleButton          *check,
                     VigiePreferencesServices *self)
{
  GPtrArray *ids = g_object_get_data (G_OBJECT (check), "ids");
  gboolean all = TRUE;
  g_autoptr(GPtrArray) list = NULL;

  if (self->syncing)
    return;
  for (guint i = 0; i < ids->len; i++)
    all = all && vigie_config_is_watched (config_of (self), g_ptr_array_index (ids, i));
  /* All of them watched: the click unwatches them; otherwise it watches all. */
  list = g_ptr_array_copy (ids, NULL, NULL);
  g_ptr_array_add (list, NULL);
  vigie_preferences_page_set_watched (VIGIE_PREFERENCES_PAGE (self),
                                      (const char *const *) list->pdata, !all);
}

static void
sync_provider_toggle (VigiePreferencesServices *self,
                      GtkToggleButton          *check)
{
  GPtrArray *ids = g_object_get_data (G_OBJECT (check), "ids");
  guint n = 0;

  for (guint i = 0; i < ids->len; i++)
    n += vigie_config_is_watched (config_of (self), g_ptr_array_index (ids, i));
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
build_provider_toggles (VigiePreferencesServices *self)
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
          g_autofree char *provider = vigie_preferences_page_normalise (key);
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
on_search_changed (GtkSearchEntry           *entry,
                   VigiePreferencesServices *self)
{
  g_free (self->needle);
  self->needle = vigie_preferences_page_normalise (gtk_entry_get_text (GTK_ENTRY (entry)));
  g_strstrip (self->needle);
  gtk_list_box_invalidate_filter (self->services_list);
  build_provider_toggles (self);
}

static void
sync_services (VigiePreferencesServices *self)
{
  guint n = g_strv_length ((char **) vigie_config_get_service_ids (config_of (self)));
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u service watched",
                                                         "%u services watched", n),
                                            n);
  g_autoptr(GList) toggles = gtk_container_get_children (GTK_CONTAINER (self->provider_box));
  GHashTableIter iter;
  gpointer key, value;

  self->syncing++;
  g_hash_table_iter_init (&iter, self->service_checks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    gtk_toggle_button_set_active (value, vigie_config_is_watched (config_of (self), key));
  self->syncing--;
  for (GList *l = toggles; l != NULL; l = l->next)
    sync_provider_toggle (self, l->data);
  gtk_label_set_text (self->watched_label, count);
}

static void
vigie_preferences_services_sync (VigiePreferencesPage *page)
{
  VigiePreferencesServices *self = VIGIE_PREFERENCES_SERVICES (page);

  if (vigie_preferences_page_custom_changed (page, self->custom_shown))
    {
      build_services (self);
      gtk_list_box_invalidate_filter (self->services_list);
      build_provider_toggles (self);
    }
  sync_services (self);
}

static void
vigie_preferences_services_constructed (GObject *object)
{
  VigiePreferencesServices *self = VIGIE_PREFERENCES_SERVICES (object);

  G_OBJECT_CLASS (vigie_preferences_services_parent_class)->constructed (object);

  build_services (self);
  vigie_preferences_services_sync (VIGIE_PREFERENCES_PAGE (self));
}

static void
vigie_preferences_services_dispose (GObject *object)
{
  VigiePreferencesServices *self = VIGIE_PREFERENCES_SERVICES (object);

  g_clear_pointer (&self->service_checks, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_hash_table_unref);

  G_OBJECT_CLASS (vigie_preferences_services_parent_class)->dispose (object);
}

static void
vigie_preferences_services_finalize (GObject *object)
{
  VigiePreferencesServices *self = VIGIE_PREFERENCES_SERVICES (object);

  g_clear_pointer (&self->custom_shown, g_ptr_array_unref);
  g_free (self->needle);

  G_OBJECT_CLASS (vigie_preferences_services_parent_class)->finalize (object);
}

static void
vigie_preferences_services_class_init (VigiePreferencesServicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VigiePreferencesPageClass *page_class = VIGIE_PREFERENCES_PAGE_CLASS (klass);

  object_class->constructed = vigie_preferences_services_constructed;
  object_class->dispose = vigie_preferences_services_dispose;
  object_class->finalize = vigie_preferences_services_finalize;
  page_class->sync = vigie_preferences_services_sync;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/vigie-preferences-services.ui");
  gtk_widget_class_bind_template_child (widget_class, VigiePreferencesServices, watched_label);
  gtk_widget_class_bind_template_child (widget_class, VigiePreferencesServices, provider_box);
  gtk_widget_class_bind_template_child (widget_class, VigiePreferencesServices, services_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
vigie_preferences_services_init (VigiePreferencesServices *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->service_checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->providers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) g_ptr_array_unref);
  self->custom_shown = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);

  gtk_list_box_set_sort_func (self->services_list, sort_services, self, NULL);
  gtk_list_box_set_header_func (self->services_list, update_services_header, self, NULL);
  gtk_list_box_set_filter_func (self->services_list, filter_services, self, NULL);
  placeholder = gtk_label_new (_("No service matches your search"));
  gtk_style_context_add_class (gtk_widget_get_style_context (placeholder), "dim-label");
  g_object_set (placeholder, "margin", 18, NULL);
  gtk_widget_show (placeholder);
  gtk_list_box_set_placeholder (self->services_list, placeholder);
}

/**
 * vigie_preferences_services_new:
 * @config: the settings to edit
 *
 * Returns: (transfer floating): a new Services page
 */
GtkWidget *
vigie_preferences_services_new (VigieConfig *config)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (config), NULL);
  return g_object_new (VIGIE_TYPE_PREFERENCES_SERVICES, "config", config, NULL);
}

/**
 * vigie_preferences_services_get_check:
 * @self: a #VigiePreferencesServices
 * @service_id: a service's id
 *
 * Returns: (transfer none) (nullable): the check button that watches it
 */
GtkToggleButton *
vigie_preferences_services_get_check (VigiePreferencesServices *self,
                                      const char               *service_id)
{
  g_return_val_if_fail (VIGIE_IS_PREFERENCES_SERVICES (self), NULL);
  return g_hash_table_lookup (self->service_checks, service_id);
}

/**
 * vigie_preferences_services_get_provider_toggle:
 * @self: a #VigiePreferencesServices
 * @provider: a company ("Meta")
 *
 * Returns: (transfer none) (nullable): its "All Meta services" check, when
 *   the search shows one
 */
GtkToggleButton *
vigie_preferences_services_get_provider_toggle (VigiePreferencesServices *self,
                                                const char               *provider)
{
  g_autoptr(GList) children = NULL;

  g_return_val_if_fail (VIGIE_IS_PREFERENCES_SERVICES (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->provider_box)))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (self->provider_box));
  for (GList *l = children; l != NULL; l = l->next)
    if (g_strcmp0 (g_object_get_data (l->data, "provider"), provider) == 0)
      return l->data;
  return NULL;
}
