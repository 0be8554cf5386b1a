/* vigie-text.c — text that came from a server, made safe to show; the
 * contract is in the header. */
#define G_LOG_DOMAIN "vigie-text"

#include "config.h"

#include <string.h>

#include "vigie-text.h"

/**
 * vigie_text_is_bidi_control:
 * @c: a character
 *
 * Whether @c is one of Unicode's explicit bidirectional formatting
 * characters (embeddings, overrides, isolates and marks). Remote text never
 * needs them to be read, and they can reorder what follows them.
 *
 * Returns: %TRUE for a bidirectional control
 */
gboolean
vigie_text_is_bidi_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) ||  /* LRE, RLE, PDF, LRO, RLO */
         (c >= 0x2066 && c <= 0x2069) ||  /* LRI, RLI, FSI, PDI */
         c == 0x200e || c == 0x200f ||    /* LRM, RLM */
         c == 0x061c;                     /* ALM */
}

/* Line and paragraph breaks a terminal or a label would act on. */
static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         c == 0x85 || c == 0x2028 || c == 0x2029;
}

static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

/**
 * vigie_text_clean:
 * @text: (nullable): text from a server, in any encoding
 * @length: its length in bytes, or -1 if it is nul-terminated
 * @keep_lines: keep line breaks and tabs (for a place that shows
 *   paragraphs); otherwise they become spaces
 *
 * Makes @text valid UTF-8, turns control characters into spaces, removes
 * bidirectional controls, and strips leading and trailing white space.
 *
 * Returns: (transfer full) (nullable): the cleaned text, %NULL for %NULL
 */
char *
vigie_text_clean (const char *text,
                  gssize      length,
                  gboolean    keep_lines)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, length);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (vigie_text_is_bidi_control (c))
        continue;
      if (keep_lines && (c == '\n' || c == '\t'))
        ;
      else if (keep_lines && c == '\r')
        continue;  /* CR LF reads as LF */
      else if (is_control (c) || is_line_break (c))
        c = ' ';
      g_string_append_unichar (out, c);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

/**
 * vigie_text_one_line:
 * @text: (nullable): text to show on one line
 *
 * Cleans @text as vigie_text_clean() does and folds every run of spaces,
 * tabs and line breaks into a single space, so that it cannot start a line
 * of its own in an output that promises one line per record. No-break
 * spaces are kept: French typography puts them before ":" and "»".
 *
 * Returns: (transfer full) (nullable): the folded text, %NULL for %NULL
 */
char *
vigie_text_one_line (const char *text)
{
  g_autofree char *clean = vigie_text_clean (text, -1, FALSE);
  GString *out;
  gboolean in_space = FALSE;

  if (clean == NULL)
    return NULL;

  /* Bytewise: a space byte is never part of a longer UTF-8 sequence. */
  out = g_string_sized_new (strlen (clean));
  for (const char *p = clean; *p != '\0'; p++)
    {
      if (*p == ' ')  /* breaks and tabs are spaces by now */
        {
          in_space = TRUE;
          continue;
        }
      if (in_space)
        g_string_append_c (out, ' ');
      in_space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
