/* vigie-config-services.c — which services the settings name: the watched
 * list in the user's order, lookups among the catalog and the user's own
 * services, and adding, changing and removing a `[Service ID]` group
 * (contract in vigie-config.h).
 */
#define G_LOG_DOMAIN "vigie-config"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-config-private.h"

/* Takes @ids (valid watched ids) as the new list, and indexes it. */
void
config_replace_service_ids (VigieConfig *self,
                            GStrv        ids)
{
  g_hash_table_remove_all (self->watched_ids);
  g_strfreev (self->service_ids);
  self->service_ids = ids;
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (self->watched_ids, ids[i]);
}

/**
 * vigie_config_get_service_ids:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none): the ids of the watched services, in the user's order
 */
const char *const *
vigie_config_get_service_ids (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return (const char *const *) self->service_ids;
}

/**
 * vigie_config_set_service_ids:
 * @self: a #VigieConfig
 * @ids: the services to watch; unknown ids are dropped
 */
void
vigie_config_set_service_ids (VigieConfig       *self,
                              const char *const *ids)
{
  g_autoptr(GStrvBuilder) valid = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  g_return_if_fail (VIGIE_IS_CONFIG (self));
  g_return_if_fail (ids != NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    if (vigie_config_lookup_service (self, ids[i]) != NULL)
      g_strv_builder_add (valid, ids[i]);
  result = g_strv_builder_end (valid);
  if (g_strv_equal ((const char *const *) result, (const char *const *) self->service_ids))
    return;

  config_replace_service_ids (self, g_steal_pointer (&result));
  g_key_file_set_string_list (self->key_file, GROUP_GENERAL, "Services",
                              (const char *const *) self->service_ids,
                              g_strv_length (self->service_ids));
  config_emit_changed (self);
}

gboolean
vigie_config_is_watched (VigieConfig *self,
                         const char  *id)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  return id != NULL && g_hash_table_contains (self->watched_ids, id);
}

/**
 * vigie_config_lookup_service:
 * @self: a #VigieConfig
 * @id: a service id
 *
 * Returns: (transfer none) (nullable): the catalog or custom service with @id
 */
VigieService *
vigie_config_lookup_service (VigieConfig *self,
                             const char  *id)
{
  VigieService *service;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  service = vigie_catalog_lookup (self->catalog, id);
  if (service != NULL)
    return service;
  return g_hash_table_lookup (self->custom_by_id, id);
}

/**
 * vigie_config_get_watched:
 * @self: a #VigieConfig
 *
 * Returns: (transfer container) (element-type VigieService): the watched
 *   services, in the user's order
 */
GPtrArray *
vigie_config_get_watched (VigieConfig *self)
{
  GPtrArray *watched;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);

  watched = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_service_unref);
  for (guint i = 0; self->service_ids[i] != NULL; i++)
    {
      VigieService *service = vigie_config_lookup_service (self, self->service_ids[i]);
      if (service != NULL)
        g_ptr_array_add (watched, vigie_service_ref (service));
    }
  return watched;
}

/**
 * vigie_config_get_custom_services:
 * @self: a #VigieConfig
 *
 * Returns: (transfer none) (element-type VigieService): the valid `[Service ID]`
 *   groups of the file, watched or not
 */
GPtrArray *
vigie_config_get_custom_services (VigieConfig *self)
{
  g_return_val_if_fail (VIGIE_IS_CONFIG (self), NULL);
  return self->custom;
}

/* Sets @key to @value, or removes it when @value is %NULL or empty, so a
 * cleared field leaves no `Key=` line behind. */
static void
set_or_remove_string (GKeyFile   *key_file,
                      const char *group,
                      const char *key,
                      const char *value)
{
  if (value != NULL && *value != '\0')
    g_key_file_set_string (key_file, group, key, value);
  else
    g_key_file_remove_key (key_file, group, key, NULL);
}

/**
 * vigie_config_set_custom_service:
 * @self: a #VigieConfig
 * @id: the service's id (`[a-z0-9-]+`), not a catalog id
 * @name: (nullable): its display name (the id when %NULL)
 * @site: the front door to probe: an http(s) URL or `host:port`
 * @status_page: (nullable): the vendor's human status page
 * @feed: (nullable): `KIND:URL` of its machine-readable status, or %NULL
 * @error: return location for a #GError
 *
 * Adds the `[Service @id]` group, or updates it if it exists: @name,
 * @site, @status_page and @feed replace `Name`, `Site`, `StatusPage` and
 * `Feed` (an empty or %NULL value removes the key); the group's other keys
 * (Provider, Note, keys of a later version) are kept. The group is
 * validated as vigie_config_load() would; if it is not valid nothing
 * changes and @error says why (a #VigieServiceError). Adding a service
 * does not watch it: see vigie_config_set_service_ids().
 *
 * Returns: %TRUE if the service was stored
 */
gboolean
vigie_config_set_custom_service (VigieConfig  *self,
                                 const char   *id,
                                 const char   *name,
                                 const char   *site,
                                 const char   *status_page,
                                 const char   *feed,
                                 GError      **error)
{
  g_autofree char *group = NULL;
  g_autoptr(GKeyFile) scratch = NULL;
  g_autoptr(VigieService) service = NULL;
  g_auto(GStrv) keys = NULL;
  VigieService *old;
  guint position = 0;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (site != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!vigie_service_id_is_valid (id))
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_ID,
                   _("“%s” is not a valid service id: use lowercase letters, digits and dashes"),
                   id);
      return FALSE;
    }
  if (vigie_catalog_lookup (self->catalog, id) != NULL)
    {
      g_set_error (error, VIGIE_SERVICE_ERROR, VIGIE_SERVICE_ERROR_INVALID_ID,
                   _("“%s” is already a catalog service; give your service another id"), id);
      return FALSE;
    }

  /* Validate on a copy of the group, so that a refusal leaves the settings
   * exactly as they were. */
  group = g_strdup_printf ("Service %s", id);
  scratch = g_key_file_new ();
  keys = g_key_file_get_keys (self->key_file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_value (self->key_file, group, keys[i], NULL);
      if (value != NULL)
        g_key_file_set_value (scratch, group, keys[i], value);
    }
  set_or_remove_string (scratch, group, "Name", name);
  set_or_remove_string (scratch, group, "Site", site);
  set_or_remove_string (scratch, group, "StatusPage", status_page);
  set_or_remove_string (scratch, group, "Feed", feed);
  service = vigie_service_new_from_key_file (scratch, group, VIGIE_SERVICE_CUSTOM, error);
  if (service == NULL)
    return FALSE;

  set_or_remove_string (self->key_file, group, "Name", name);
  set_or_remove_string (self->key_file, group, "Site", site);
  set_or_remove_string (self->key_file, group, "StatusPage", status_page);
  set_or_remove_string (self->key_file, group, "Feed", feed);

  /* The index borrows its keys from the services: replace (not insert) so
   * that the key of the service about to be freed goes with it. */
  old = g_hash_table_lookup (self->custom_by_id, id);
  g_hash_table_replace (self->custom_by_id, service->id, service);
  if (old != NULL && g_ptr_array_find (self->custom, old, &position))
    {
      self->custom->pdata[position] = g_steal_pointer (&service);
      vigie_service_unref (old);
    }
  else
    g_ptr_array_add (self->custom, g_steal_pointer (&service));

  config_emit_changed (self);
  return TRUE;
}

/* @ids without @id, or %NULL when @id is not in it. */
static GStrv
strv_without (const char *const *ids,
              const char        *id)
{
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  if (!g_strv_contains (ids, id))
    return NULL;
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], id))
      g_strv_builder_add (kept, ids[i]);
  return g_strv_builder_end (kept);
}

/**
 * vigie_config_remove_custom_service:
 * @self: a #VigieConfig
 * @id: the id of a `[Service ID]` group
 *
 * Removes the group and every mention of @id: the watched services, the
 * services allowed through quiet hours and the mutes, so that the file
 * does not refer to a service that is gone.
 *
 * Returns: %TRUE if there was such a group
 */
gboolean
vigie_config_remove_custom_service (VigieConfig *self,
                                    const char  *id)
{
  g_autofree char *group = NULL;
  VigieService *service;
  GStrv without;
  gboolean found = FALSE;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  /* Catalog services have no group of their own to remove. */
  if (vigie_catalog_lookup (self->catalog, id) != NULL)
    return FALSE;

  group = g_strdup_printf ("Service %s", id);
  found = g_key_file_remove_group (self->key_file, group, NULL);
  service = g_hash_table_lookup (self->custom_by_id, id);
  if (service != NULL)
    {
      g_hash_table_remove (self->custom_by_id, id);
      g_ptr_array_remove (self->custom, service);
      found = TRUE;
    }
  if (!found)
    return FALSE;

  without = strv_without ((const char *const *) self->service_ids, id);
  if (without != NULL)
    {
      config_replace_service_ids (self, without);
      g_key_file_set_string_list (self->key_file, GROUP_GENERAL, "Services",
                                  (const char *const *) self->service_ids,
                                  g_strv_length (self->service_ids));
    }
  without = strv_without ((const char *const *) self->quiet_hours_allow, id);
  if (without != NULL)
    {
      g_strfreev (self->quiet_hours_allow);
      self->quiet_hours_allow = without;
      g_key_file_set_string_list (self->key_file, GROUP_NOTIFICATIONS, "QuietHoursAllow",
                                  (const char *const *) self->quiet_hours_allow,
                                  g_strv_length (self->quiet_hours_allow));
    }
  if (g_hash_table_contains (self->mutes, id))
    vigie_config_set_mute (self, id, 0);  /* rewrites Muted, emits "changed" too */

  config_emit_changed (self);
  return TRUE;
}
