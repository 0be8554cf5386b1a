/* vigie-catalog.c — loads and indexes the built-in service catalog. */
#define G_LOG_DOMAIN "vigie-catalog"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "vigie-catalog.h"
#include "vigie-core-resources.h"
#include "vigie-ini-index.h"

#define CATALOG_RESOURCE RESOURCE_PREFIX "/services.ini"

struct _VigieCatalog
{
  GObject parent_instance;

  GPtrArray *services;  /* VigieService*, in file order */
  GHashTable *by_id;    /* id → VigieService* (borrowed from services) */
};

G_DEFINE_FINAL_TYPE (VigieCatalog, vigie_catalog, G_TYPE_OBJECT)

static void
vigie_catalog_finalize (GObject *object)
{
  VigieCatalog *self = VIGIE_CATALOG (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->services, g_ptr_array_unref);

  G_OBJECT_CLASS (vigie_catalog_parent_class)->finalize (object);
}

static void
vigie_catalog_class_init (VigieCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vigie_catalog_finalize;
}

static void
vigie_catalog_init (VigieCatalog *self)
{
  self->services = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * vigie_catalog_new_from_data:
 * @data: the catalog's text, in key file syntax
 * @length: length of @data in bytes
 * @source_name: name used in error messages
 * @error: return location for a #GError
 *
 * Parses a catalog. The catalog is the program's own data, so it is strict:
 * any malformed entry or repeated group fails the whole load with a message
 * naming the line.
 *
 * Returns: (transfer full) (nullable): the catalog, or %NULL with @error set
 */
VigieCatalog *
vigie_catalog_new_from_data (const char  *data,
                             gsize        length,
                             const char  *source_name,
                             GError     **error)
{
  g_autoptr(VigieCatalog) self = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(VigieIniIndex) index = NULL;
  g_auto(GStrv) groups = NULL;
  const GPtrArray *duplicates;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (source_name != NULL, NULL);

  if (!g_key_file_load_from_data (key_file, data, length, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", source_name);
      return NULL;
    }

  index = vigie_ini_index_new (data, length);
  duplicates = vigie_ini_index_duplicates (index);
  if (duplicates->len > 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "%s: %s", source_name,
                   (const char *) g_ptr_array_index (duplicates, 0));
      return NULL;
    }

  self = g_object_new (VIGIE_TYPE_CATALOG, NULL);
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      VigieService *service;

      service = vigie_service_new_from_key_file (key_file, groups[i], VIGIE_SERVICE_CATALOG,
                                                 &local_error);
      if (service == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code, "%s:%u: [%s] %s",
                       source_name, vigie_ini_index_line (index, groups[i], NULL), groups[i],
                       local_error->message);
          return NULL;
        }
      g_ptr_array_add (self->services, service);
      g_hash_table_insert (self->by_id, service->id, service);
    }

  return g_steal_pointer (&self);
}

/**
 * vigie_catalog_new_builtin:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the catalog compiled into Vigie
 */
VigieCatalog *
vigie_catalog_new_builtin (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *data;

  /* Looked up in our own resource rather than the global set, which also keeps
   * the linker from dropping the resource object out of the static library. */
  bytes = g_resource_lookup_data (vigie_core_get_resource (), CATALOG_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  return vigie_catalog_new_from_data (data, length, "services.ini", error);
}

/**
 * vigie_catalog_lookup:
 * @self: a #VigieCatalog
 * @id: a service id
 *
 * Returns: (transfer none) (nullable): the entry with @id, if any
 */
VigieService *
vigie_catalog_lookup (VigieCatalog *self,
                      const char   *id)
{
  g_return_val_if_fail (VIGIE_IS_CATALOG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

/**
 * vigie_catalog_get_services:
 * @self: a #VigieCatalog
 *
 * Returns: (transfer none) (element-type VigieService): every entry, in catalog order
 */
GPtrArray *
vigie_catalog_get_services (VigieCatalog *self)
{
  g_return_val_if_fail (VIGIE_IS_CATALOG (self), NULL);
  return self->services;
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/**
 * vigie_catalog_suggest:
 * @self: a #VigieCatalog
 * @id: an id that is not in the catalog
 *
 * Finds the entry a typo most likely meant ("facebok" → "facebook").
 *
 * Returns: (transfer none) (nullable): the closest id within two edits, or %NULL
 */
const char *
vigie_catalog_suggest (VigieCatalog *self,
                       const char   *id)
{
  const char *best = NULL;
  guint best_distance = 3;

  g_return_val_if_fail (VIGIE_IS_CATALOG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (strlen (id) > 64)
    return NULL;
  for (guint i = 0; i < self->services->len; i++)
    {
      VigieService *service = g_ptr_array_index (self->services, i);
      guint distance = edit_distance (id, service->id);
      if (distance < best_distance)
        {
          best = service->id;
          best_distance = distance;
        }
    }
  return best;
}
