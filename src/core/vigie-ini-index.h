/* vigie-ini-index.h — where each group and key of a key file stands, and
 * safe readers of its values.
 *
 * GKeyFile silently merges duplicate groups and keeps the last of duplicate
 * keys, and its values carry no line numbers. Error messages that name a line,
 * and warnings about duplicates, need this small index built from the text.
 *
 * GLib 2.74's GKeyFile also overwrites its own GError (a warning, fatal in
 * tests) on a value ending with a lone backslash; the readers below refuse
 * such values before GLib parses them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VigieIniIndex VigieIniIndex;

VigieIniIndex *vigie_ini_index_new        (const char    *text,
                                           gsize          length);
void           vigie_ini_index_free       (VigieIniIndex *index);
guint          vigie_ini_index_line       (VigieIniIndex *index,
                                           const char    *group,
                                           const char    *key);
const GPtrArray *vigie_ini_index_duplicates (VigieIniIndex *index);

char          *vigie_key_file_get_string      (GKeyFile      *key_file,
                                               const char    *group,
                                               const char    *key);
char         **vigie_key_file_get_string_list (GKeyFile      *key_file,
                                               const char    *group,
                                               const char    *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieIniIndex, vigie_ini_index_free)

G_END_DECLS
