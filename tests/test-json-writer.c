/* test-json-writer.c — vigie-json-writer.h: the JSON Vigie writes for
 * scripts (--json, the history export, hook events) is well formed,
 * laid out as documented, and reads back as written, whatever the text in
 * it (json-glib reads it back here; Vigie itself uses json-glib only to
 * parse feeds). */
#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>

#include "vigie-json-writer.h"

/* Parses @document, failing the test if it is not JSON. */
static JsonNode *
parse (const char *document)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, document, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_layout (void)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autofree char *document = NULL;

  vigie_json_writer_begin_object (writer);
  vigie_json_writer_member_string (writer, "id", "facebook");
  vigie_json_writer_key (writer, "latency_ms");
  vigie_json_writer_double (writer, 120.45);
  vigie_json_writer_key (writer, "http_status");
  vigie_json_writer_int (writer, 503);
  vigie_json_writer_key (writer, "official");
  vigie_json_writer_boolean (writer, TRUE);
  vigie_json_writer_key (writer, "incident");
  vigie_json_writer_null (writer);
  vigie_json_writer_key (writer, "surfaces");
  vigie_json_writer_begin_array (writer);
  vigie_json_writer_string (writer, "web");
  vigie_json_writer_begin_object (writer);
  vigie_json_writer_member_string (writer, "app", NULL);
  vigie_json_writer_end_object (writer);
  vigie_json_writer_end_array (writer);
  vigie_json_writer_key (writer, "empty");
  vigie_json_writer_begin_array (writer);
  vigie_json_writer_end_array (writer);
  vigie_json_writer_key (writer, "nothing");
  vigie_json_writer_begin_object (writer);
  vigie_json_writer_end_object (writer);
  vigie_json_writer_end_object (writer);
  document = vigie_json_writer_steal (writer);

  /* Two spaces a level, one member a line, the document ends a line. */
  g_assert_cmpstr (document, ==,
                   "{\n"
                   "  \"id\": \"facebook\",\n"
                   "  \"latency_ms\": 120.5,\n"
                   "  \"http_status\": 503,\n"
                   "  \"official\": true,\n"
                   "  \"incident\": null,\n"
                   "  \"surfaces\": [\n"
                   "    \"web\",\n"
                   "    {\n"
                   "      \"app\": null\n"
                   "    }\n"
                   "  ],\n"
                   "  \"empty\": [],\n"
                   "  \"nothing\": {}\n"
                   "}\n");
  json_node_unref (parse (document));
}

static void
test_top_level_scalars (void)
{
  g_autoptr(VigieJsonWriter) number = vigie_json_writer_new ();
  g_autoptr(VigieJsonWriter) array = vigie_json_writer_new ();
  g_autofree char *number_text = NULL;
  g_autofree char *array_text = NULL;

  vigie_json_writer_int (number, 42);
  number_text = vigie_json_writer_steal (number);
  g_assert_cmpstr (number_text, ==, "42\n");

  vigie_json_writer_begin_array (array);
  vigie_json_writer_end_array (array);
  array_text = vigie_json_writer_steal (array);
  g_assert_cmpstr (array_text, ==, "[]\n");
}

/* Whatever a feed or a user put in a string, it reads back the same, made
 * valid UTF-8. */
static void
test_strings_round_trip (void)
{
  static const struct { const char *written; const char *read; } cases[] = {
    { "", "" },
    { "plain", "plain" },
    { "\"quoted\" and \\back\\slashed\\", "\"quoted\" and \\back\\slashed\\" },
    { "line\nbreak\r\ttab\b\f", "line\nbreak\r\ttab\b\f" },
    { "\x01\x1f\x7f", "\x01\x1f\x7f" },
    { "Facebook — down · “Users can't load the feed” 🚨",
      "Facebook — down · “Users can't load the feed” 🚨" },
    { "</script><b>&amp;</b>", "</script><b>&amp;</b>" },
    { "\u2028\u2029", "\u2028\u2029" },
    /* Not UTF-8: each bad byte becomes U+FFFD, a cut sequence too. */
    { "bad \xff\xfe end", "bad \xef\xbf\xbd\xef\xbf\xbd end" },
    { "cut \xe2\x80", "cut \xef\xbf\xbd\xef\xbf\xbd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
      g_autofree char *document = NULL;
      JsonNode *root;
      JsonObject *object;

      vigie_json_writer_begin_object (writer);
      /* Keys are escaped the same way. */
      vigie_json_writer_member_string (writer, cases[i].written, cases[i].written);
      vigie_json_writer_end_object (writer);
      document = vigie_json_writer_steal (writer);
      g_assert_true (g_utf8_validate (document, -1, NULL));
      /* No raw control character but the layout's newlines. */
      for (const char *p = document; *p; p++)
        g_assert_true ((guchar) *p >= 0x20 || *p == '\n');
      g_assert_null (strchr (document, 0x7f));

      root = parse (document);
      object = json_node_get_object (root);
      g_assert_cmpuint (json_object_get_size (object), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (object, cases[i].read), ==, cases[i].read);
      json_node_unref (root);
    }
}

static void
test_numbers (void)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autofree char *document = NULL;
  JsonArray *array;
  JsonNode *root;

  vigie_json_writer_begin_array (writer);
  vigie_json_writer_int (writer, G_MININT64);
  vigie_json_writer_int (writer, G_MAXINT64);
  vigie_json_writer_int (writer, 0);
  vigie_json_writer_double (writer, 0.04);
  vigie_json_writer_double (writer, -2.25);
  vigie_json_writer_double (writer, 1e6);
  /* JSON has no NaN nor infinity: null. */
  vigie_json_writer_double (writer, NAN);
  vigie_json_writer_double (writer, INFINITY);
  vigie_json_writer_double (writer, -INFINITY);
  vigie_json_writer_boolean (writer, FALSE);
  vigie_json_writer_end_array (writer);
  document = vigie_json_writer_steal (writer);

  g_assert_cmpstr (document, ==,
                   "[\n"
                   "  -9223372036854775808,\n"
                   "  9223372036854775807,\n"
                   "  0,\n"
                   "  0.0,\n"
                   "  -2.2,\n"
                   "  1000000.0,\n"
                   "  null,\n"
                   "  null,\n"
                   "  null,\n"
                   "  false\n"
                   "]\n");
  root = parse (document);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 10);
  g_assert_cmpint (json_array_get_int_element (array, 0), ==, G_MININT64);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, G_MAXINT64);
  g_assert_true (json_array_get_null_element (array, 6));
  json_node_unref (root);
}

/* A writer dropped half-way frees what it wrote. */
static void
test_free_unfinished (void)
{
  VigieJsonWriter *writer = vigie_json_writer_new ();

  vigie_json_writer_begin_object (writer);
  vigie_json_writer_key (writer, "half");
  vigie_json_writer_free (writer);
  vigie_json_writer_free (NULL);
}

/* Closing more than was opened is a programming error, said as such. */
static void
test_close_unopened (void)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autofree char *document = NULL;

  if (!g_test_undefined ())
    return;
  g_test_expect_message ("vigie-json", G_LOG_LEVEL_CRITICAL, "*depth > 0*");
  vigie_json_writer_end_object (writer);
  g_test_assert_expected_messages ();
  document = vigie_json_writer_steal (writer);
  g_assert_cmpstr (document, ==, "\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-writer/layout", test_layout);
  g_test_add_func ("/json-writer/top-level-scalars", test_top_level_scalars);
  g_test_add_func ("/json-writer/strings-round-trip", test_strings_round_trip);
  g_test_add_func ("/json-writer/numbers", test_numbers);
  g_test_add_func ("/json-writer/free-unfinished", test_free_unfinished);
  g_test_add_func ("/json-writer/close-unopened", test_close_unopened);

  return g_test_run ();
}
