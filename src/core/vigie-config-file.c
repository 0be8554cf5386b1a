/* vigie-config-file.c — the settings file on disk: read safely (a regular
 * file, without blocking, at most 1 MiB), a copy kept of a file that can't be
 * used, loaded with defaults for what is wrong, and saved atomically
 * (contract in vigie-config.h).
 */
#define G_LOG_DOMAIN "vigie-config"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vigie-config-private.h"

/* A settings file is a few kilobytes; anything this large is not one.
 * Never more than this is read, nor copied aside. */
#define MAX_FILE_SIZE (1024 * 1024)

static char *
make_backup_path (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *candidate = g_strdup_printf ("%s.broken-%s", path, stamp);

  for (guint n = 2; g_file_test (candidate, G_FILE_TEST_EXISTS) && n < 100; n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.broken-%s-%u", path, stamp, n);
    }
  return candidate;
}

/* What a path is when it is not a regular file, for a person. */
static const char *
describe_file_type (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("it is a folder");
  if (S_ISFIFO (mode))
    return _("it is a named pipe");
  if (S_ISCHR (mode))
    return _("it is a character device");
  if (S_ISBLK (mode))
    return _("it is a block device");
  if (S_ISSOCK (mode))
    return _("it is a socket");
  return _("it is a special file");
}

typedef enum
{
  READ_OK,
  READ_MISSING,
  READ_UNUSABLE,  /* not a regular file, too large, or unreadable */
} ReadResult;

/* Reads a settings file, at most MAX_FILE_SIZE bytes of it. A named pipe
 * would block the open or the read for ever, and a link to /dev/zero never
 * ends; so the file is opened without blocking, and what was opened
 * (symbolic links followed) must be a regular file. The type is checked
 * on the path first, so that a device is not even opened, and again on
 * the descriptor, in case the path changed in between. On READ_UNUSABLE,
 * @out_reason says why, for a person. */
static ReadResult
read_settings_file (const char  *path,
                    char       **out_contents,
                    gsize       *out_length,
                    char       **out_reason)
{
  g_autoptr(GString) text = NULL;
  GStatBuf st;
  int fd;

  *out_contents = NULL;
  *out_length = 0;
  *out_reason = NULL;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return READ_MISSING;
      *out_reason = g_strdup (g_strerror (saved_errno));
      return READ_UNUSABLE;
    }
  if (!S_ISREG (st.st_mode))
    goto not_regular;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return READ_MISSING;
      *out_reason = g_strdup (g_strerror (saved_errno));
      return READ_UNUSABLE;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      *out_reason = g_strdup (g_strerror (saved_errno));
      return READ_UNUSABLE;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      goto not_regular;
    }

  /* The size is checked before reading, and the reading stops one byte
   * past the limit in case the file grew meanwhile. */
  if (st.st_size > MAX_FILE_SIZE)
    {
      close (fd);
      goto too_large;
    }
  text = g_string_sized_new (st.st_size + 1);
  while (text->len <= MAX_FILE_SIZE)
    {
      gsize want = MAX_FILE_SIZE + 1 - text->len;
      gssize n;

      g_string_set_size (text, text->len + want);
      n = read (fd, text->str + text->len - want, want);
      g_string_set_size (text, text->len - want + MAX (n, 0));
      if (n == 0)
        break;
      if (n < 0 && errno != EINTR)
        {
          int saved_errno = errno;

          close (fd);
          *out_reason = g_strdup (g_strerror (saved_errno));
          return READ_UNUSABLE;
        }
    }
  close (fd);
  if (text->len > MAX_FILE_SIZE)
    goto too_large;

  *out_length = text->len;
  *out_contents = g_string_free (g_steal_pointer (&text), FALSE);
  return READ_OK;

not_regular:
  /* Translators: the end of "~/.config/vigie/vigie.ini: not a regular
   * file (it is a named pipe)" */
  *out_reason = g_strdup_printf (_("not a regular file (%s)"), describe_file_type (st.st_mode));
  return READ_UNUSABLE;

too_large:
  *out_reason = g_strdup (_("the file is larger than 1 MiB, too large for settings"));
  return READ_UNUSABLE;
}

/* Keeps a copy of @contents (the file as it was read, so never more than
 * MAX_FILE_SIZE) beside the file. The copy is a new file, never one that
 * exists already, readable by the user only like the settings. */
static gboolean
copy_aside (VigieConfig  *self,
            const char   *contents,
            gsize         length,
            GError      **error)
{
  g_autofree char *backup = make_backup_path (self->path);
  gsize written = 0;
  int fd;

  fd = g_open (backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    goto failed;
  while (written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0)
        errno = ENOSPC;
      if (n <= 0)
        goto failed;
      written += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }

  g_free (self->backup_path);
  self->backup_path = g_steal_pointer (&backup);
  return TRUE;

failed:
  {
    int saved_errno = errno;

    if (fd >= 0)
      {
        close (fd);
        g_unlink (backup);
      }
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 _("Could not write %s: %s"), backup, g_strerror (saved_errno));
    return FALSE;
  }
}

/* The file cannot be used at all: keep a copy of @contents if there are
 * any (the file was read, but is not settings), and run on defaults. When
 * no copy could be kept, for whatever reason, the file is never
 * overwritten. */
static gboolean
fail_corrupt (VigieConfig *self,
              const char  *reason,
              const char  *contents,
              gsize        length,
              GError     **error)
{
  g_autoptr(GError) copy_error = NULL;

  config_reset_to_defaults (self);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  self->key_file = g_key_file_new ();

  if (contents != NULL && copy_aside (self, contents, length, &copy_error))
    {
      g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_CORRUPT,
                   _("%s: %s. A copy was kept as %s; Vigie runs on default settings."),
                   self->path, reason, self->backup_path);
      return FALSE;
    }

  self->do_not_save = TRUE;
  if (copy_error != NULL)
    g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_UNREADABLE,
                 _("%s: %s. No copy could be kept (%s), so Vigie runs on default settings "
                   "and will not overwrite the file."),
                 self->path, reason, copy_error->message);
  else
    g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_UNREADABLE,
                 _("%s: %s. Vigie runs on default settings and will not overwrite it."),
                 self->path, reason);
  return FALSE;
}

/**
 * vigie_config_load:
 * @self: a #VigieConfig
 * @error: return location for a #GError
 *
 * Reads the settings file. Problems with single values do not fail the load:
 * they are listed by vigie_config_get_problems().
 *
 * Returns: %TRUE if the file was read (or does not exist); %FALSE if it could
 *   not be used at all, in which case the defaults apply and @error says why
 *   and where the copy of the file is
 */
gboolean
vigie_config_load (VigieConfig  *self,
                   GError      **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(VigieIniIndex) index = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *reason = NULL;
  gsize length = 0;
  const GPtrArray *duplicates;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);

  g_ptr_array_set_size (self->problems, 0);
  g_clear_pointer (&self->backup_path, g_free);
  self->backup_before_save = FALSE;
  self->do_not_save = FALSE;
  config_reset_to_defaults (self);

  switch (read_settings_file (self->path, &contents, &length, &reason))
    {
    case READ_MISSING:
      g_clear_pointer (&self->key_file, g_key_file_unref);
      self->key_file = g_steal_pointer (&key_file);
      return TRUE;
    case READ_UNUSABLE:
      /* Nothing was read, so there is nothing to copy: the file stays
       * as it is, and is not overwritten. */
      return fail_corrupt (self, reason, NULL, 0, error);
    case READ_OK:
    default:
      break;
    }

  if (!g_utf8_validate_len (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    return fail_corrupt (self, _("the file is not text (binary data or not UTF-8)"), contents,
                         length, error);
  if (!g_key_file_load_from_data (key_file, contents, length,
                                  G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
                                  &local_error))
    {
      g_free (reason);
      reason = g_strdup_printf (_("not a settings file (%s)"), local_error->message);
      return fail_corrupt (self, reason, contents, length, error);
    }

  g_clear_pointer (&self->key_file, g_key_file_unref);
  self->key_file = g_steal_pointer (&key_file);
  index = vigie_ini_index_new (contents, length);

  {
    g_auto(GStrv) groups = g_key_file_get_groups (self->key_file, NULL);
    if (groups[0] == NULL)
      g_ptr_array_add (self->problems,
                       g_strdup_printf (_("%s: the file holds no settings; using the defaults"),
                                        self->path));
  }

  duplicates = vigie_ini_index_duplicates (index);
  for (guint i = 0; i < duplicates->len; i++)
    g_ptr_array_add (self->problems, g_strdup_printf ("%s:%s", self->path,
                                                      (const char *) duplicates->pdata[i]));
  /* GKeyFile merged the repeats: saving would silently drop the earlier values. */
  self->backup_before_save = duplicates->len > 0;

  config_read_values (self, index);

  return TRUE;
}

/**
 * vigie_config_save:
 * @self: a #VigieConfig
 * @error: return location for a #GError
 *
 * Writes the settings atomically, creating the folder if needed. If the file
 * as loaded had repeated groups or keys, a copy of it is kept first.
 *
 * Returns: %TRUE on success
 */
gboolean
vigie_config_save (VigieConfig  *self,
                   GError      **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (VIGIE_IS_CONFIG (self), FALSE);

  if (self->do_not_save)
    {
      g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_NOT_SAVED,
                   _("%s could not be read or copied, so Vigie does not overwrite it; "
                     "fix or remove it to save settings"),
                   self->path);
      return FALSE;
    }

  if (self->backup_before_save)
    {
      g_autofree char *on_disk = NULL;
      g_autofree char *reason = NULL;
      gsize on_disk_length;

      /* The file as it is now, read as carefully as when loading. */
      switch (read_settings_file (self->path, &on_disk, &on_disk_length, &reason))
        {
        case READ_UNUSABLE:
          g_set_error (error, VIGIE_CONFIG_ERROR, VIGIE_CONFIG_ERROR_NOT_SAVED,
                       _("%s: %s; Vigie does not overwrite it"), self->path, reason);
          return FALSE;
        case READ_OK:
          if (!copy_aside (self, on_disk, on_disk_length, error))
            return FALSE;
          break;
        case READ_MISSING:
        default:
          break;
        }
      self->backup_before_save = FALSE;
    }

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (self->key_file, &length, NULL);
  return g_file_set_contents_full (self->path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}
