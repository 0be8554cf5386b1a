/* vigie-autostart.c — the per-user autostart entry; see the header. */
#define G_LOG_DOMAIN "vigie-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vigie-autostart.h"

/**
 * vigie_autostart_path:
 *
 * Returns: (transfer full): where the user's autostart entry lives
 */
char *
vigie_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APPLICATION_ID ".desktop", NULL);
}

/* The entry a package installs for every user ($XDG_CONFIG_DIRS/autostart),
 * if any: the user's own file overrides it, by the XDG autostart spec. */
static char *
system_entry_path (void)
{
  const char *const *dirs = g_get_system_config_dirs ();

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "autostart", APPLICATION_ID ".desktop",
                                                NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static gboolean
entry_enabled (const char *path)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();

  if (!g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  return !g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_HIDDEN,
                                  NULL);
}

/**
 * vigie_autostart_is_enabled:
 *
 * Returns: whether Vigie starts at login for this user: the user's own
 *   entry if there is one (not disabled with Hidden=true), else the one
 *   installed for everyone
 */
gboolean
vigie_autostart_is_enabled (void)
{
  g_autofree char *path = vigie_autostart_path ();
  g_autofree char *system = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return entry_enabled (path);
  system = system_entry_path ();
  return system != NULL && entry_enabled (system);
}

/**
 * vigie_autostart_set_enabled:
 * @enabled: start Vigie at login or not
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
vigie_autostart_set_enabled (gboolean   enabled,
                             GError   **error)
{
  g_autofree char *path = vigie_autostart_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) entry = NULL;
  g_autofree char *data = NULL;
  g_autofree char *system = system_entry_path ();
  gsize length;

  /* Switching off with an entry installed for everyone takes a user entry
   * that hides it; otherwise removing the user's own entry is enough. */
  if (!enabled && system == NULL)
    {
      if (g_remove (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not remove %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  entry = g_key_file_new ();
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE,
                         "Application");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, "Vigie");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Tells you when the online services you depend on are down"));
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC,
                         "vigie --autostart");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON,
                         APPLICATION_ID);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY,
                          TRUE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", enabled);
  if (!enabled)
    g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_HIDDEN, TRUE);
  data = g_key_file_to_data (entry, &length, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                   error);
}
