/* test-catalog.c — the built-in catalog is complete and well formed, and the
 * loader rejects malformed entries with a message naming the line. */
#include "config.h"

#include "vigie-catalog.h"

/* Every service the users named (issue #2), by id. */
static const char *const required_ids[] = {
  "facebook", "instagram", "messenger", "whatsapp", "threads", "google-workspace", "gmail",
  "google-drive", "google-meet", "slack", "notion", "x", "downdetector", "linkedin", "youtube",
  "tiktok", "pinterest", "snapchat", "telegram", "signal", "discord", "zoom",
  "microsoft-teams", "outlook", "microsoft-365", "canva", "figma", "mailchimp", "hootsuite",
  "buffer", "later", "sprout-social", "trello", "asana", "jira", "confluence", "miro",
  "dropbox", "box", "github", "cloudflare", "aws", "google-cloud", "azure", "openai",
  "shopify", "stripe", "wordpress-com", "medium", "substack", "reddit", "twitch", "spotify",
  "hubspot", "salesforce", "zendesk",
};

static VigieCatalog *
load_builtin (void)
{
  g_autoptr(GError) error = NULL;
  VigieCatalog *catalog = vigie_catalog_new_builtin (&error);

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  return catalog;
}

static void
test_builtin_size_and_required (void)
{
  g_autoptr(VigieCatalog) catalog = load_builtin ();
  GPtrArray *services = vigie_catalog_get_services (catalog);

  g_assert_cmpuint (services->len, >=, 60);
  for (guint i = 0; i < G_N_ELEMENTS (required_ids); i++)
    {
      VigieService *service = vigie_catalog_lookup (catalog, required_ids[i]);
      if (service == NULL)
        {
          g_test_fail_printf ("required service “%s” is missing", required_ids[i]);
          continue;
        }
      g_assert_cmpstr (service->id, ==, required_ids[i]);
      g_assert_true (service->origin == VIGIE_SERVICE_CATALOG);
    }
}

static void
test_builtin_well_formed (void)
{
  g_autoptr(VigieCatalog) catalog = load_builtin ();
  GPtrArray *services = vigie_catalog_get_services (catalog);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint with_feed = 0;

  for (guint i = 0; i < services->len; i++)
    {
      VigieService *s = g_ptr_array_index (services, i);
      g_autoptr(GError) error = NULL;

      g_test_message ("checking %s", s->id);
      g_assert_true (vigie_service_id_is_valid (s->id));
      g_assert_true (g_hash_table_add (ids, s->id)); /* unique */
      g_assert_cmpstr (s->name, !=, "");
      g_assert_cmpstr (s->provider, !=, "");
      g_assert_true (vigie_service_category_is_known (s->category));
      g_assert_cmpstr (s->category, !=, "custom");
      g_assert_true (g_str_has_prefix (s->site, "https://"));
      g_assert_true (vigie_service_check_url (s->site, VIGIE_SERVICE_CATALOG, &error));
      g_assert_no_error (error);
      if (s->status_page)
        g_assert_true (g_str_has_prefix (s->status_page, "https://"));
      if (s->downdetector)
        g_assert_true (g_str_has_prefix (s->downdetector, "https://downdetector."));
      if (s->feed_kind == VIGIE_FEED_NONE)
        {
          /* "Where a vendor has no machine-readable feed, say so in the entry." */
          g_assert_null (s->feed_url);
          g_assert_nonnull (s->note);
        }
      else
        {
          g_assert_true (g_str_has_prefix (s->feed_url, "https://"));
          with_feed++;
        }
    }

  /* Most big vendors publish a feed; a catalog without them is a regression. */
  g_assert_cmpuint (with_feed, >=, 30);
}

static void
test_builtin_providers (void)
{
  g_autoptr(VigieCatalog) catalog = load_builtin ();
  const char *meta[] = { "facebook", "instagram", "whatsapp", "messenger", "threads" };
  const char *google[] = { "google-workspace", "gmail", "google-drive", "google-meet" };

  /* One notification per provider family depends on these. */
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    g_assert_cmpstr (vigie_catalog_lookup (catalog, meta[i])->provider, ==, "Meta");
  for (guint i = 0; i < G_N_ELEMENTS (google); i++)
    g_assert_cmpstr (vigie_catalog_lookup (catalog, google[i])->provider, ==, "Google");

  g_assert_cmpint (vigie_catalog_lookup (catalog, "slack")->feed_kind, ==, VIGIE_FEED_SLACK);
  g_assert_cmpint (vigie_catalog_lookup (catalog, "github")->feed_kind, ==, VIGIE_FEED_STATUSPAGE);
  g_assert_cmpstr (vigie_catalog_lookup (catalog, "gmail")->feed_filter, ==, "Gmail");
}

/* Corrections from a cross-check against public status-page lists (issue
 * 12): pages that moved or changed provider. Each assertion pins one fact
 * so that a later edit cannot quietly bring the old, dead address back. */
static void
test_builtin_corrections (void)
{
  g_autoptr(VigieCatalog) catalog = load_builtin ();
  VigieService *s;

  /* status.fastly.com's feed is gone; the StatusCast page has no open API. */
  s = vigie_catalog_lookup (catalog, "fastly");
  g_assert_cmpint (s->feed_kind, ==, VIGIE_FEED_NONE);
  g_assert_cmpstr (s->status_page, ==, "https://www.fastlystatus.com/");

  /* status.stripe.com's own feed stopped updating; stripestatus.com did not. */
  s = vigie_catalog_lookup (catalog, "stripe");
  g_assert_cmpint (s->feed_kind, ==, VIGIE_FEED_STATUSPAGE);
  g_assert_cmpstr (s->feed_url, ==, "https://www.stripestatus.com/api/v2/summary.json");

  /* intercomstatus.com redirects to finstatus.com, an incident.io page. */
  s = vigie_catalog_lookup (catalog, "intercom");
  g_assert_cmpint (s->feed_kind, ==, VIGIE_FEED_INCIDENTIO);
  g_assert_cmpstr (s->feed_url, ==, "https://www.finstatus.com/api/v2/summary.json");
  g_assert_cmpstr (s->status_page, ==, "https://www.finstatus.com/");

  s = vigie_catalog_lookup (catalog, "grammarly");
  g_assert_cmpint (s->feed_kind, ==, VIGIE_FEED_STATUSPAGE);
  g_assert_cmpstr (s->feed_url, ==, "https://status.grammarly.com/api/v2/summary.json");

  s = vigie_catalog_lookup (catalog, "medium");
  g_assert_cmpint (s->feed_kind, ==, VIGIE_FEED_STATUSPAGE);
  g_assert_cmpstr (s->feed_url, ==, "https://medium.statuspage.io/api/v2/summary.json");

  /* Gemini rides on the Workspace dashboard, picked out by product, and
   * the note must say which Gemini that is. */
  s = vigie_catalog_lookup (catalog, "google-gemini");
  g_assert_cmpint (s->feed_kind, ==, VIGIE_FEED_GOOGLE);
  g_assert_cmpstr (s->feed_url, ==, vigie_catalog_lookup (catalog, "gmail")->feed_url);
  g_assert_cmpstr (s->feed_filter, ==, "Gemini");
  g_assert_nonnull (strstr (s->note, "Gemini for Workspace"));

  g_assert_cmpstr (vigie_catalog_lookup (catalog, "snapchat")->status_page, ==,
                   "https://status.snap.com/");
  g_assert_cmpstr (vigie_catalog_lookup (catalog, "substack")->status_page, ==,
                   "https://status.substack.com/");
}

static void
test_suggest (void)
{
  g_autoptr(VigieCatalog) catalog = load_builtin ();

  g_assert_cmpstr (vigie_catalog_suggest (catalog, "facebok"), ==, "facebook");
  g_assert_cmpstr (vigie_catalog_suggest (catalog, "instagam"), ==, "instagram");
  g_assert_null (vigie_catalog_suggest (catalog, "qqqqqqqqqqqq"));
  g_assert_null (vigie_catalog_lookup (catalog, "facebok"));
}

#define GOOD_ENTRY                                   \
  "[Service good]\nName=Good\nProvider=P\nCategory=social\n" \
  "Site=https://good.example/\nFeed=none\nNote=n\n"

static void
expect_error (const char *text,
              const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieCatalog) catalog = vigie_catalog_new_from_data (text, strlen (text), "t.ini",
                                                                 &error);

  g_assert_null (catalog);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (strstr (error->message, fragment) == NULL)
    g_test_fail_printf ("“%s” does not mention “%s”", error->message, fragment);
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieCatalog) good = vigie_catalog_new_from_data (GOOD_ENTRY, strlen (GOOD_ENTRY),
                                                              "t.ini", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (vigie_catalog_get_services (good)->len, ==, 1);

  expect_error (GOOD_ENTRY GOOD_ENTRY, "line 8: group [Service good] already started at line 1");
  expect_error ("[Service a]\nName=A\nProvider=P\nCategory=social\nSite=http://a.example/\n"
                "Feed=none\n",
                "t.ini:1: [Service a] Site: “http://a.example/” must start with https://");
  expect_error ("[Service a]\nName=A\nProvider=P\nCategory=social\nSite=https://a.example/\n"
                "Feed=carrier-pigeon:https://x.example/\n",
                "unknown feed kind “carrier-pigeon”");
  expect_error ("[Service a]\nName=A\nProvider=P\nCategory=gossip\nSite=https://a.example/\n"
                "Feed=none\n",
                "unknown category “gossip”");
  expect_error ("[Service a]\nName=A\nCategory=social\nSite=https://a.example/\nFeed=none\n",
                "Provider is missing");
  expect_error ("[Service A_B]\nName=A\n", "not a valid service id");
  expect_error ("[Service a]\nName=A\nProvider=P\nCategory=social\nSite=https://a.example/\n"
                "Feed=statuspage:file:///etc/passwd\n",
                "must start with https://");
  expect_error ("not a key file\n", "t.ini");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/catalog/builtin/size-and-required", test_builtin_size_and_required);
  g_test_add_func ("/catalog/builtin/well-formed", test_builtin_well_formed);
  g_test_add_func ("/catalog/builtin/providers", test_builtin_providers);
  g_test_add_func ("/catalog/builtin/corrections", test_builtin_corrections);
  g_test_add_func ("/catalog/suggest", test_suggest);
  g_test_add_func ("/catalog/malformed", test_malformed);

  return g_test_run ();
}
