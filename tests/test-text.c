/* test-text.c — remote text made safe to show (vigie-text). */
#include "config.h"

#include "vigie-text.h"

static void
test_bidi_controls (void)
{
  const gunichar controls[] = { 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
                                0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c };

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    g_assert_true (vigie_text_is_bidi_control (controls[i]));
  /* Letters of right-to-left scripts are text, not controls. */
  g_assert_false (vigie_text_is_bidi_control (0x05d0));  /* Hebrew alef */
  g_assert_false (vigie_text_is_bidi_control (0x0627));  /* Arabic alef */
  g_assert_false (vigie_text_is_bidi_control ('a'));
  g_assert_false (vigie_text_is_bidi_control (0x202f));  /* narrow no-break space */
}

static void
test_clean (void)
{
  const struct { const char *in; gboolean keep_lines; const char *out; } cases[] = {
    { "  plain  ", FALSE, "plain" },
    { "bell\a and \x1b[31mred", FALSE, "bell  and  [31mred" },
    { "two\nlines\tand a tab", FALSE, "two lines and a tab" },
    { "two\r\nlines\tkept", TRUE, "two\nlines\tkept" },
    { "\xe2\x80\xae" "evil", FALSE, "evil" },
    { "line\xe2\x80\xa8" "separator", TRUE, "line separator" },
    { "C1 \xc2\x9b control", FALSE, "C1   control" },
    { "Lumi\xc3\xa8re \xc2\xab\xe2\x80\xaf" "ok", FALSE, "Lumière «\xe2\x80\xafok" },
    { "", FALSE, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = vigie_text_clean (cases[i].in, -1, cases[i].keep_lines);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (vigie_text_clean (NULL, -1, FALSE));
}

static void
test_clean_length_and_encoding (void)
{
  /* A length cuts, and bytes that are not UTF-8 become replacement
   * characters, never raw bytes. */
  g_autofree char *cut = vigie_text_clean ("abcdef", 3, FALSE);
  g_autofree char *latin1 = vigie_text_clean ("caf\xe9", -1, FALSE);

  g_assert_cmpstr (cut, ==, "abc");
  g_assert_true (g_utf8_validate (latin1, -1, NULL));
  g_assert_cmpstr (latin1, ==, "caf\xef\xbf\xbd");
}

static void
test_one_line (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "Login slow\nFacebook   Operational", "Login slow Facebook Operational" },
    { "\t a \r\n\r\n b \v\f c \xc2\x85 d \xe2\x80\xa9 e ", "a b c d e" },
    { "no\xe2\x80\xae" "override", "nooverride" },
    /* French typography keeps its no-break spaces. */
    { "Panne\xe2\x80\xaf: \xc2\xab\xc2\xa0titre\xc2\xa0\xc2\xbb", "Panne\xe2\x80\xaf: \xc2\xab\xc2\xa0titre\xc2\xa0\xc2\xbb" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = vigie_text_one_line (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (vigie_text_one_line (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/bidi-controls", test_bidi_controls);
  g_test_add_func ("/text/clean", test_clean);
  g_test_add_func ("/text/clean-length-and-encoding", test_clean_length_and_encoding);
  g_test_add_func ("/text/one-line", test_one_line);

  return g_test_run ();
}
