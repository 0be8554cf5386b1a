/* test-transition.c — the plain transition record of vigie-transition.h:
 * what a new one holds, deep copies (through the boxed type too), freeing,
 * and the names of its kinds. */
#include "config.h"

#include "vigie-transition.h"

static VigieTransition *
full_transition_new (void)
{
  VigieTransition *t = vigie_transition_new ();

  t->kind = VIGIE_TRANSITION_FLAPPING_STOPPED;
  t->service_id = g_strdup ("facebook");
  t->service_name = g_strdup ("Facebook");
  t->provider = g_strdup ("Meta");
  t->from = VIGIE_STATE_OPERATIONAL;
  t->to = VIGIE_STATE_DOWN;
  t->at = (gint64) 1633361940 * G_USEC_PER_SEC;
  t->since = (gint64) 1633300000 * G_USEC_PER_SEC;
  t->layer = VIGIE_LAYER_DNS;
  t->http_status = 503;
  t->official = VIGIE_OFFICIAL_MAJOR;
  t->reason = g_strdup ("facebook.com: name lookup failed; your connection works");
  t->incident_title = g_strdup ("Users can't load the feed");
  t->incident_url = g_strdup ("https://metastatus.com/incidents/1");
  return t;
}

/* Equal field by field, and no string shared. */
static void
assert_deep_copy (const VigieTransition *a,
                  const VigieTransition *b)
{
  const char *const strings_a[] = { a->service_id, a->service_name, a->provider, a->reason,
                                    a->incident_title, a->incident_url };
  const char *const strings_b[] = { b->service_id, b->service_name, b->provider, b->reason,
                                    b->incident_title, b->incident_url };

  g_assert_true (a != b);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->from, ==, b->from);
  g_assert_cmpint (a->to, ==, b->to);
  g_assert_cmpint (a->at, ==, b->at);
  g_assert_cmpint (a->since, ==, b->since);
  g_assert_cmpint (a->layer, ==, b->layer);
  g_assert_cmpuint (a->http_status, ==, b->http_status);
  g_assert_cmpint (a->official, ==, b->official);
  for (guint i = 0; i < G_N_ELEMENTS (strings_a); i++)
    {
      g_assert_cmpstr (strings_a[i], ==, strings_b[i]);
      g_assert_true (strings_a[i] == NULL || strings_a[i] != strings_b[i]);
    }
}

static void
test_new_is_empty (void)
{
  g_autoptr(VigieTransition) t = vigie_transition_new ();

  g_assert_cmpint (t->kind, ==, VIGIE_TRANSITION_STATE);
  g_assert_cmpint (t->from, ==, VIGIE_STATE_UNKNOWN);
  g_assert_cmpint (t->to, ==, VIGIE_STATE_UNKNOWN);
  g_assert_null (t->service_id);
  g_assert_null (t->service_name);
  g_assert_null (t->provider);
  g_assert_null (t->reason);
  g_assert_null (t->incident_title);
  g_assert_null (t->incident_url);
  g_assert_cmpint (t->at, ==, 0);
  g_assert_cmpint (t->since, ==, 0);
  g_assert_cmpint (t->layer, ==, VIGIE_LAYER_OK);
  g_assert_cmpuint (t->http_status, ==, 0);
  g_assert_cmpint (t->official, ==, VIGIE_OFFICIAL_UNKNOWN);
}

static void
test_copy_is_deep (void)
{
  VigieTransition *original = full_transition_new ();
  g_autoptr(VigieTransition) copy = vigie_transition_copy (original);
  g_autoptr(VigieTransition) copy_of_copy = NULL;

  assert_deep_copy (original, copy);
  /* The copy outlives the original: it is handed to hooks and signals. */
  vigie_transition_free (original);
  g_assert_cmpstr (copy->service_id, ==, "facebook");
  g_assert_cmpstr (copy->incident_url, ==, "https://metastatus.com/incidents/1");
  copy_of_copy = vigie_transition_copy (copy);
  assert_deep_copy (copy, copy_of_copy);
}

static void
test_copy_keeps_missing_strings (void)
{
  g_autoptr(VigieTransition) t = vigie_transition_new ();
  g_autoptr(VigieTransition) copy = NULL;

  t->service_id = g_strdup ("slack");
  t->to = VIGIE_STATE_OPERATIONAL;
  copy = vigie_transition_copy (t);
  assert_deep_copy (t, copy);
  g_assert_null (copy->incident_title);
  g_assert_null (copy->reason);
}

static void
test_boxed (void)
{
  g_autoptr(VigieTransition) t = full_transition_new ();
  VigieTransition *copy;
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (VIGIE_TYPE_TRANSITION));
  g_assert_cmpstr (g_type_name (VIGIE_TYPE_TRANSITION), ==, "VigieTransition");
  copy = g_boxed_copy (VIGIE_TYPE_TRANSITION, t);
  assert_deep_copy (t, copy);
  g_boxed_free (VIGIE_TYPE_TRANSITION, copy);

  /* As signals carry it. */
  g_value_init (&value, VIGIE_TYPE_TRANSITION);
  g_value_set_boxed (&value, t);
  assert_deep_copy (t, g_value_get_boxed (&value));
  g_value_unset (&value);
}

static void
test_free_null (void)
{
  vigie_transition_free (NULL);
}

static void
test_copy_null (void)
{
  if (g_test_undefined ())
    {
      g_test_expect_message ("vigie-transition", G_LOG_LEVEL_CRITICAL,
                             "*transition != NULL*");
      g_assert_null (vigie_transition_copy (NULL));
      g_test_assert_expected_messages ();
    }
}

static void
test_kind_to_string (void)
{
  g_assert_cmpstr (vigie_transition_kind_to_string (VIGIE_TRANSITION_STATE), ==, "state");
  g_assert_cmpstr (vigie_transition_kind_to_string (VIGIE_TRANSITION_FLAPPING_STARTED), ==,
                   "flapping-started");
  g_assert_cmpstr (vigie_transition_kind_to_string (VIGIE_TRANSITION_FLAPPING_STOPPED), ==,
                   "flapping-stopped");
  /* A value from nowhere reads as the plain kind. */
  g_assert_cmpstr (vigie_transition_kind_to_string (42), ==, "state");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/transition/new-is-empty", test_new_is_empty);
  g_test_add_func ("/transition/copy-is-deep", test_copy_is_deep);
  g_test_add_func ("/transition/copy-keeps-missing-strings", test_copy_keeps_missing_strings);
  g_test_add_func ("/transition/boxed", test_boxed);
  g_test_add_func ("/transition/free-null", test_free_null);
  g_test_add_func ("/transition/copy-null", test_copy_null);
  g_test_add_func ("/transition/kind-to-string", test_kind_to_string);

  return g_test_run ();
}
