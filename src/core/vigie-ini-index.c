/* vigie-ini-index.c — line numbers and duplicates of a key file's text. */
#define G_LOG_DOMAIN "vigie-ini"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-ini-index.h"

struct _VigieIniIndex
{
  GHashTable *lines;      /* "group\nkey" or "group\n" → first line (1-based) */
  GPtrArray *duplicates;  /* translated one-line descriptions */
};

static char *
make_key (const char *group,
          const char *key)
{
  return g_strconcat (group, "\n", key ? key : "", NULL);
}

static void
note_entry (VigieIniIndex *self,
            const char    *group,
            const char    *key,
            guint          line)
{
  g_autofree char *lookup = make_key (group, key);
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (self->lines, lookup));

  if (first == 0)
    {
      g_hash_table_insert (self->lines, g_steal_pointer (&lookup), GUINT_TO_POINTER (line));
      return;
    }

  if (key == NULL)
    g_ptr_array_add (self->duplicates,
                     /* Translators: a settings file names the same [group] twice */
                     g_strdup_printf (_("line %u: group [%s] already started at line %u; "
                                        "both are read, later keys win"),
                                      line, group, first));
  else
    g_ptr_array_add (self->duplicates,
                     g_strdup_printf (_("line %u: [%s] %s is set again (first at line %u); "
                                        "the later value wins"),
                                      line, group, key, first));
}

/**
 * vigie_ini_index_new:
 * @text: the key file's text (need not be valid)
 * @length: length of @text in bytes
 *
 * Returns: (transfer full): an index of @text's groups and keys
 */
VigieIniIndex *
vigie_ini_index_new (const char *text,
                     gsize       length)
{
  VigieIniIndex *self = g_new0 (VigieIniIndex, 1);
  g_autofree char *group = NULL;
  const char *p = text;
  const char *end = text + length;
  guint line = 0;

  self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->duplicates = g_ptr_array_new_with_free_func (g_free);

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      g_autofree char *row = g_strndup (p, (eol ? eol : end) - p);

      line++;
      p = eol ? eol + 1 : end;
      g_strstrip (row);

      if (*row == '\0' || *row == '#')
        continue;

      if (*row == '[' && row[strlen (row) - 1] == ']')
        {
          g_free (group);
          group = g_strndup (row + 1, strlen (row) - 2);
          note_entry (self, group, NULL, line);
        }
      else if (group != NULL && strchr (row, '=') != NULL)
        {
          g_autofree char *key = g_strndup (row, strchr (row, '=') - row);
          note_entry (self, group, g_strchomp (key), line);
        }
    }

  return self;
}

void
vigie_ini_index_free (VigieIniIndex *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->lines);
  g_ptr_array_unref (self->duplicates);
  g_free (self);
}

/**
 * vigie_ini_index_line:
 * @self: an index
 * @group: a group name
 * @key: (nullable): a key, or %NULL for the group header itself
 *
 * Returns: the 1-based line where @key (or @group) first appears, or 0
 */
guint
vigie_ini_index_line (VigieIniIndex *self,
                      const char    *group,
                      const char    *key)
{
  g_autofree char *lookup = make_key (group, key);

  g_return_val_if_fail (self != NULL, 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->lines, lookup));
}

/**
 * vigie_ini_index_duplicates:
 * @self: an index
 *
 * Returns: (transfer none) (element-type utf8): one sentence per repeated group
 *   or key, in file order
 */
const GPtrArray *
vigie_ini_index_duplicates (VigieIniIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->duplicates;
}

/* A value whose last backslash escapes nothing: GLib 2.74 reports it by
 * setting a GError twice, so it never gets to see one. */
static gboolean
ends_with_lone_backslash (const char *raw)
{
  gsize n = 0;

  for (const char *p = raw + strlen (raw); p > raw && p[-1] == '\\'; p--)
    n++;
  return n % 2 == 1;
}

/**
 * vigie_key_file_get_string:
 * @key_file: a key file
 * @group: a group
 * @key: a key
 *
 * Like g_key_file_get_string(), but %NULL for a value GLib would choke on.
 *
 * Returns: (transfer full) (nullable): the unescaped value
 */
char *
vigie_key_file_get_string (GKeyFile   *key_file,
                           const char *group,
                           const char *key)
{
  g_autofree char *raw = g_key_file_get_value (key_file, group, key, NULL);

  if (raw == NULL || ends_with_lone_backslash (raw))
    return NULL;
  return g_key_file_get_string (key_file, group, key, NULL);
}

/**
 * vigie_key_file_get_string_list:
 * @key_file: a key file
 * @group: a group
 * @key: a key
 *
 * Like g_key_file_get_string_list(), but %NULL for a value GLib would choke on.
 *
 * Returns: (transfer full) (nullable): the list
 */
char **
vigie_key_file_get_string_list (GKeyFile   *key_file,
                                const char *group,
                                const char *key)
{
  g_autofree char *raw = g_key_file_get_value (key_file, group, key, NULL);

  if (raw == NULL || ends_with_lone_backslash (raw))
    return NULL;
  return g_key_file_get_string_list (key_file, group, key, NULL, NULL);
}
