/* vigie-text.h — text that came from a server, made safe to show.
 *
 * Status feeds, HTTP reason phrases and error messages are written by
 * whoever runs the server. Before such text reaches a person it loses what
 * could forge or scramble what they read:
 *
 *  - control characters (ESC, BEL, NUL…), which a terminal would obey;
 *  - bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069,
 *    U+200E, U+200F, U+061C), with which a title could reverse the rest of
 *    the line it is shown in;
 *  - in outputs that promise one line per record (the tables of `--check`
 *    and `--history`, the lines of `--watch`), line breaks and tabs, with
 *    which a title could print a fake row of its own.
 *
 * Everything returned is valid UTF-8.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  vigie_text_is_bidi_control (gunichar    c);
char     *vigie_text_clean           (const char *text,
                                      gssize      length,
                                      gboolean    keep_lines);
char     *vigie_text_one_line        (const char *text);

G_END_DECLS
