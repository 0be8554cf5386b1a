/* vigie-feed-text.c — the text every feed's strings go through.
 *
 * Owns the cleaning of remote text (valid UTF-8, no control or bidi
 * formatting characters, trimmed, capped), links (http(s) or relative
 * only), name matching for filters, the HTML of RSS descriptions reduced
 * to plain text, and the dates feeds write (ISO 8601, RFC 822). Pure
 * functions, shared by every format's file.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

/* ------------------------------------------------------------------------ */
/* Text: everything stored goes through here                                 */
/* ------------------------------------------------------------------------ */

/* The character at *@p, and *@p moved past it. Never steps over the
 * terminating NUL, even on a truncated or invalid sequence (which reads as
 * U+FFFD and is skipped up to the next lead byte): the text is meant to be
 * valid UTF-8, but a bad byte must not turn into an over-read. */
static gunichar
next_char (const char **p)
{
  gunichar c = g_utf8_get_char_validated (*p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      const char *q = *p + 1;

      while (((guchar) *q & 0xC0) == 0x80)
        q++;
      *p = q;
      return 0xFFFD;
    }
  *p = g_utf8_next_char (*p);
  return c;
}

/* The explicit bidirectional formatting characters of Unicode (UAX #9):
 * LRM, RLM and ALM, the embeddings and overrides LRE RLE PDF LRO RLO, and
 * the isolates LRI RLI FSI PDI. In a remote title, an override turns the
 * rest of the line it is shown in around ("Trojan Source"): a title
 * could make the service name or the time after it read backwards. They
 * carry no meaning a status title needs: removed, not replaced. */
static gboolean
is_bidi_control (gunichar c)
{
  return c == 0x200E || c == 0x200F || c == 0x061C ||
         (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

/* What g_strstrip() takes off, once controls have become spaces. */
static gboolean
is_strip_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n';
}

static gunichar
clean_char (gunichar c)
{
  if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0))
    return ' ';
  return c;
}

/* Whether anything but spaces is left from @p on. */
static gboolean
has_content (const char *p)
{
  while (*p != '\0')
    {
      gunichar c = next_char (&p);

      if (!is_bidi_control (c) && !is_strip_space (clean_char (c)))
        return TRUE;
    }
  return FALSE;
}

/* Valid UTF-8, trimmed, at most @max_chars characters (a cut string ends
 * with "…"). Control characters other than newline and tab become spaces:
 * titles end up in terminals (vigie --check) and notifications, and an
 * escape sequence from a remote feed has no business there. Bidi
 * formatting characters are dropped (above). Markup is *not* touched: the
 * caller escapes. One pass that stops at the cap: a
 * feed may hold a title of megabytes, and only its start is kept. */
char *
feed_clean_text (const char *raw,
                 gsize       max_chars)
{
  GString *out;
  const char *p = raw;
  gsize n_chars = 0;
  gsize prev_len = 0;     /* bytes before the last character kept */
  gsize content_len = 0;  /* bytes up to the last character that is not a space */

  if (raw == NULL)
    return NULL;

  out = g_string_sized_new (MIN (strlen (raw), max_chars * 4) + 4);
  while (*p != '\0')
    {
      gunichar c = next_char (&p);

      if (is_bidi_control (c))
        continue;
      c = clean_char (c);
      if (out->len == 0 && is_strip_space (c))
        continue;
      if (n_chars == max_chars)
        {
          /* Longer than the cap once trimmed: cut, and say so. */
          if (!is_strip_space (c) || has_content (p))
            {
              g_string_truncate (out, prev_len);
              g_string_append (out, "…");
              return g_string_free (out, FALSE);
            }
          break;
        }
      prev_len = out->len;
      g_string_append_unichar (out, c);
      n_chars++;
      if (!is_strip_space (c))
        content_len = out->len;
    }

  g_string_truncate (out, content_len);
  return g_string_free (out, FALSE);
}

char *
feed_clean_word (const char *raw)
{
  return feed_clean_text (raw, VIGIE_FEED_MAX_WORD_CHARS);
}

gboolean
feed_is_web_scheme (const char *scheme)
{
  return g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0;
}

/* Keeps http(s) URLs and relative references; drops every other scheme
 * (javascript:, data:, file:) and anything with spaces, controls or bidi
 * formatting characters, which no sane link has. A cut URL is a broken
 * URL, so overlong ones go too. */
char *
feed_clean_url (const char *raw)
{
  g_autofree char *url = NULL;
  const char *scheme;

  if (raw == NULL)
    return NULL;

  url = g_utf8_make_valid (raw, -1);
  g_strstrip (url);
  if (*url == '\0' || g_utf8_strlen (url, -1) > VIGIE_FEED_MAX_URL_CHARS)
    return NULL;
  for (const char *p = url; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || *p == 0x7f)
        return NULL;
    }
  for (const char *p = url; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_bidi_control (g_utf8_get_char (p)))
        return NULL;
    }

  scheme = g_uri_peek_scheme (url);
  if (scheme != NULL && !feed_is_web_scheme (scheme))
    return NULL;

  return g_steal_pointer (&url);
}

/* Matching key for names and the filter: trimmed, casefolded. */
char *
feed_name_key (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);

  g_strstrip (valid);
  return g_utf8_casefold (valid, -1);
}

/* ASCII whole-word search: "down" matches "Instagram is down." but not
 * "slowdown" or "download". */
gboolean
feed_has_word (const char        *text,
               const char *const *words)
{
  const char *p = text;

  if (text == NULL)
    return FALSE;

  while (*p != '\0')
    {
      const char *start;
      gsize len;

      if (!g_ascii_isalnum (*p))
        {
          p++;
          continue;
        }
      start = p;
      while (g_ascii_isalnum (*p))
        p++;
      len = (gsize) (p - start);
      for (guint i = 0; words[i] != NULL; i++)
        {
          if (strlen (words[i]) == len && g_ascii_strncasecmp (start, words[i], len) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

gboolean
feed_contains_nocase (const char *haystack,
                      const char *needle)
{
  gsize n = strlen (needle);

  if (haystack == NULL)
    return FALSE;
  for (const char *p = haystack; *p != '\0'; p++)
    {
      if (g_ascii_strncasecmp (p, needle, n) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Time                                                                      */
/* ------------------------------------------------------------------------ */

/* ISO 8601 as the JSON feeds and Atom write it. A time without a zone is
 * taken as UTC (what every feed here means by it). 0 when unparsable. */
gint64
feed_parse_iso8601 (const char *str)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = NULL;

  if (str == NULL)
    return 0;
  copy = g_strstrip (g_strdup (str));
  if (*copy == '\0')
    return 0;

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (copy, utc);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

static gboolean
read_digits (const char **p,
             guint        min_digits,
             guint        max_digits,
             gint        *out,
             guint       *out_digits)
{
  guint n = 0;
  gint value = 0;

  while (g_ascii_isdigit ((*p)[n]) && n < max_digits)
    {
      value = value * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min_digits || g_ascii_isdigit ((*p)[n]))
    return FALSE;
  *p += n;
  *out = value;
  if (out_digits != NULL)
    *out_digits = n;
  return TRUE;
}

static void
skip_spaces (const char **p)
{
  while (g_ascii_isspace (**p))
    (*p)++;
}

/* RFC 822 / RFC 2822 date as RSS pubDate uses it:
 *   [Day,] DD Mon YYYY HH:MM[:SS] [zone]
 * zone: +HHMM / -HHMM, UT, UTC, GMT, Z, or the US zones; other names
 * (military letters) count as UTC, as RFC 2822 §4.3 advises. Two-digit
 * years follow RFC 2822 §4.3 too. 0 when unparsable. */
gint64
feed_parse_rfc822 (const char *str)
{
  static const char *const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
  };
  static const struct { const char *name; gint hours; } zones[] = {
    { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
    { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
    { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
  };
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *p = str;
  gint day, month = 0, year, hour, minute, second = 0;
  gint offset = 0;
  guint year_digits;

  if (str == NULL)
    return 0;

  skip_spaces (&p);
  if (g_ascii_isalpha (*p))
    {
      while (g_ascii_isalpha (*p))
        p++;
      skip_spaces (&p);
      if (*p != ',')
        return 0;
      p++;
      skip_spaces (&p);
    }

  if (!read_digits (&p, 1, 2, &day, NULL))
    return 0;
  skip_spaces (&p);

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      if (g_ascii_strncasecmp (p, months[i], 3) == 0)
        {
          month = (gint) i + 1;
          break;
        }
    }
  if (month == 0)
    return 0;
  while (g_ascii_isalpha (*p))
    p++;
  skip_spaces (&p);

  if (!read_digits (&p, 2, 4, &year, &year_digits))
    return 0;
  if (year_digits == 2)
    year += year < 50 ? 2000 : 1900;
  else if (year_digits == 3)
    year += 1900;
  skip_spaces (&p);

  if (!read_digits (&p, 1, 2, &hour, NULL) || *p++ != ':' ||
      !read_digits (&p, 2, 2, &minute, NULL))
    return 0;
  if (*p == ':')
    {
      p++;
      if (!read_digits (&p, 2, 2, &second, NULL))
        return 0;
    }
  skip_spaces (&p);

  if (*p == '+' || *p == '-')
    {
      gint sign = *p == '-' ? -1 : 1;
      gint hhmm;

      p++;
      if (!read_digits (&p, 4, 4, &hhmm, NULL) || hhmm % 100 > 59)
        return 0;
      offset = sign * ((hhmm / 100) * 3600 + (hhmm % 100) * 60);
    }
  else if (g_ascii_isalpha (*p))
    {
      const char *start = p;
      gsize len;

      while (g_ascii_isalpha (*p))
        p++;
      len = (gsize) (p - start);
      for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
        {
          if (strlen (zones[i].name) == len && g_ascii_strncasecmp (start, zones[i].name, len) == 0)
            {
              offset = zones[i].hours * 3600;
              break;
            }
        }
    }

  if (hour > 23 || minute > 59 || second > 60)
    return 0;
  /* A leap second is not worth a failure. */
  second = MIN (second, 59);

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new (utc, year, month, day, hour, minute, second);
  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) - offset;
}

/* Feeds that claim RFC 822 sometimes write ISO 8601 (dc:date always does). */
gint64
feed_parse_any_time (const char *str)
{
  gint64 t = feed_parse_rfc822 (str);

  return t != 0 ? t : feed_parse_iso8601 (str);
}

/* ------------------------------------------------------------------------ */
/* RSS 2.0 / RSS 1.0 / Atom open-event feeds, through GMarkup                */
/* ------------------------------------------------------------------------ */

/* HTML → plain text: tags dropped (block-level ones leave a space), the
 * usual entities decoded, whitespace runs squeezed. Not a sanitiser for
 * display as markup — the result is text, and the caller escapes it. */
char *
feed_html_to_text (const char *html)
{
  static const char *const inline_tags[] = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
    "u", "var", NULL,
  };
  static const struct { const char *name; gunichar c; } entities[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
    { "apos", '\'' }, { "nbsp", ' ' },
  };
  GString *out = g_string_sized_new (strlen (html));
  const char *p = html;
  gboolean pending_space = FALSE;

  while (*p != '\0')
    {
      gunichar c;

      if (*p == '<')
        {
          const char *name;
          gsize name_len;
          gboolean is_inline = FALSE;
          char quote = 0;

          if (g_str_has_prefix (p, "<!--"))
            {
              const char *end = strstr (p + 4, "-->");

              p = end != NULL ? end + 3 : p + strlen (p);
              pending_space = TRUE;
              continue;
            }
          name = p + 1;
          if (*name == '/')
            name++;
          name_len = 0;
          while (g_ascii_isalnum (name[name_len]))
            name_len++;
          for (guint i = 0; inline_tags[i] != NULL; i++)
            {
              if (strlen (inline_tags[i]) == name_len &&
                  g_ascii_strncasecmp (name, inline_tags[i], name_len) == 0)
                is_inline = TRUE;
            }
          /* Skip to the closing '>', not one inside an attribute value. */
          for (p++; *p != '\0'; p++)
            {
              if (quote != 0)
                {
                  if (*p == quote)
                    quote = 0;
                }
              else if (*p == '"' || *p == '\'')
                quote = *p;
              else if (*p == '>')
                {
                  p++;
                  break;
                }
            }
          /* Script and style bodies are not text. */
          if (name[-1] != '/' && name_len > 0 &&
              ((name_len == 6 && g_ascii_strncasecmp (name, "script", 6) == 0) ||
               (name_len == 5 && g_ascii_strncasecmp (name, "style", 5) == 0)))
            {
              const char *end = p;

              while (*end != '\0' &&
                     !(end[0] == '<' && end[1] == '/' &&
                       g_ascii_strncasecmp (end + 2, name, name_len) == 0))
                end++;
              p = end;
            }
          if (!is_inline)
            pending_space = TRUE;
          continue;
        }

      c = next_char (&p);

      if (c == '&')
        {
          /* The longest entity or reference ("#x10FFFF", "quot") fits in
           * 10 bytes before its ';': look no further, or every '&' of a
           * field without ';' scans to its end (quadratic). */
          const char *semi = memchr (p, ';', strnlen (p, 11));
          gunichar decoded = 0;

          if (semi != NULL)
            {
              if (*p == '#')
                {
                  gboolean hex = p[1] == 'x' || p[1] == 'X';
                  const char *digits = p + (hex ? 2 : 1);
                  char buf[12] = { 0, };
                  guint64 value = 0;

                  memcpy (buf, digits, (gsize) (semi - digits));
                  if (g_ascii_string_to_unsigned (buf, hex ? 16 : 10, 1, 0x10FFFF, &value, NULL) &&
                      g_unichar_validate ((gunichar) value))
                    decoded = (gunichar) value;
                }
              else
                {
                  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
                    {
                      if ((gsize) (semi - p) == strlen (entities[i].name) &&
                          strncmp (p, entities[i].name, semi - p) == 0)
                        decoded = entities[i].c;
                    }
                }
            }
          if (decoded != 0)
            {
              c = decoded;
              p = semi + 1;
            }
        }

      if (g_unichar_isspace (c) || c == 0xa0)
        {
          pending_space = TRUE;
          continue;
        }
      if (pending_space && out->len > 0)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Plain-text bodies (Atom text/xhtml) get the same whitespace treatment as
 * HTML ones: indentation and element boundaries are not content. */
char *
feed_squeeze_spaces (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean pending_space = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = next_char (&p);

      if (g_unichar_isspace (c))
        {
          pending_space = TRUE;
          continue;
        }
      if (pending_space && out->len > 0)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

