/* test-alerts.c — which transitions become notifications, grouped how, and
 * with which words. */
#include "config.h"

#include "vigie-alerts.h"
#include "vigie-report.h"

#define HOUR_US ((gint64) 3600 * G_USEC_PER_SEC)
#define T0 ((gint64) 1633361940 * G_USEC_PER_SEC) /* 2021-10-04 15:39 UTC */

typedef struct
{
  VigieCatalog *catalog;
  VigieConfig *config;
  GPtrArray *transitions;
  VigieAlertContext context;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->catalog = vigie_catalog_new_builtin (&error);
  g_assert_no_error (error);
  f->config = vigie_config_new (f->catalog, "/nonexistent/vigie.ini");
  f->transitions = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  f->context.config = f->config;
  f->context.connectivity = VIGIE_CONNECTIVITY_ONLINE;
  f->context.now_us = T0 + HOUR_US;
  f->context.minute_of_day = 12 * 60;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->transitions, g_ptr_array_unref);
  g_clear_object (&f->config);
  g_clear_object (&f->catalog);
}

static void
add (Fixture    *f,
     const char *id,
     VigieState  from,
     VigieState  to,
     const char *reason)
{
  VigieService *service = vigie_config_lookup_service (f->config, id);
  VigieTransition *t = vigie_transition_new ();

  g_assert_nonnull (service);
  t->service_id = g_strdup (id);
  t->service_name = g_strdup (service->name);
  t->provider = g_strdup (service->provider);
  t->from = from;
  t->to = to;
  t->at = T0;
  t->since = T0 - 2 * HOUR_US;
  t->reason = g_strdup (reason);
  g_ptr_array_add (f->transitions, t);
}

static GPtrArray *
build (Fixture *f)
{
  GPtrArray *alerts = vigie_alerts_build (&f->context, f->transitions);

  for (guint i = 0; i < alerts->len; i++)
    {
      VigieAlert *alert = g_ptr_array_index (alerts, i);
      g_test_message ("%s\n%s", alert->summary, alert->body);
    }
  return alerts;
}

static VigieAlert *
alert (GPtrArray *alerts,
       guint      i)
{
  return g_ptr_array_index (alerts, i);
}

static void
test_grouped_by_provider (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;

  add (f, "facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN,
       "facebook.com: name lookup failed; your connection works");
  add (f, "instagram", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN,
       "instagram.com: name lookup failed; your connection works");
  add (f, "slack", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, "slack.com: no answer in time");
  add (f, "whatsapp", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN,
       "web.whatsapp.com: name lookup failed");
  add (f, "messenger", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN,
       "messenger.com: name lookup failed");

  alerts = build (f);
  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpint (alert (alerts, 0)->kind, ==, VIGIE_ALERT_DOWN);
  g_assert_true (alert (alerts, 0)->urgent);
  g_assert_cmpstr (alert (alerts, 0)->provider, ==, "Meta");
  g_assert_cmpstr (alert (alerts, 0)->summary, ==,
                   "Facebook, Instagram, WhatsApp and Messenger are down");
  g_assert_true (g_str_has_prefix (alert (alerts, 0)->body,
                                   "It's not you: your connection works.\n"
                                   "Facebook — facebook.com: name lookup failed"));
  g_assert_nonnull (strstr (alert (alerts, 0)->body, "\nMessenger — messenger.com: name lookup"));
  g_assert_nonnull (strstr (alert (alerts, 0)->body, "\nSince "));
  g_assert_cmpstrv (alert (alerts, 0)->service_ids,
                    ((const char *[]) { "facebook", "instagram", "whatsapp", "messenger", NULL }));
  g_assert_cmpstr (alert (alerts, 1)->summary, ==, "Slack is down");
  g_assert_nonnull (alert (alerts, 1)->status_page);
}

static void
test_recovery_and_start (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;

  add (f, "facebook", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, "facebook.com answered");
  ((VigieTransition *) g_ptr_array_index (f->transitions, 0))->since = T0 - 6 * HOUR_US
                                                                       - 12 * 60 * G_USEC_PER_SEC;
  add (f, "slack", VIGIE_STATE_UNKNOWN, VIGIE_STATE_OPERATIONAL, "slack.com answered");
  add (f, "notion", VIGIE_STATE_UNKNOWN, VIGIE_STATE_DOWN, "notion.so: connection failed");
  add (f, "zoom", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_UNKNOWN, "Vigie stopped watching");

  alerts = build (f);
  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpint (alert (alerts, 0)->kind, ==, VIGIE_ALERT_RECOVERED);
  g_assert_cmpstr (alert (alerts, 0)->summary, ==, "Facebook is back — down for 6 h 12 min");
  g_assert_false (alert (alerts, 0)->urgent);
  g_assert_cmpstr (alert (alerts, 1)->summary, ==, "Notion is down");
  g_assert_true (g_str_has_suffix (alert (alerts, 1)->body, "Down since before Vigie started."));
}

static void
test_degraded_and_maintenance (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;

  add (f, "github", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_MAINTENANCE,
       "official: Maintenance in progress — “Database upgrade”");
  add (f, "zoom", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DEGRADED,
       "official: Partial outage — “<b>Audio</b> & video issues”");

  alerts = build (f);
  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpstr (alert (alerts, 0)->summary, ==, "GitHub: maintenance in progress");
  g_assert_cmpstr (alert (alerts, 1)->summary, ==, "Zoom is having problems");
  g_assert_false (alert (alerts, 1)->urgent);
  /* Plain text: escaping is the notifier's job, so nothing is escaped twice. */
  g_assert_nonnull (strstr (alert (alerts, 1)->body, "“<b>Audio</b> & video issues”"));
  g_assert_null (strstr (alert (alerts, 1)->body, "It's not you"));
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  const char *allow[] = { "slack", NULL };
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) muted = NULL;
  g_autoptr(GPtrArray) quiet = NULL;
  g_autoptr(GPtrArray) switched_off = NULL;

  add (f, "facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, "r");
  add (f, "slack", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, "r");
  add (f, "zoom", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DEGRADED, "r");
  add (f, "notion", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, "r");

  f->context.snoozed = TRUE;
  none = build (f);
  g_assert_cmpuint (none->len, ==, 0);
  f->context.snoozed = FALSE;

  vigie_config_set_mute (f->config, "facebook", VIGIE_MUTE_UNTIL_BACK);
  vigie_config_set_mute (f->config, "zoom", T0 / G_USEC_PER_SEC - 1); /* expired */
  muted = build (f);
  g_assert_cmpuint (muted->len, ==, 3);
  g_assert_cmpstr (alert (muted, 0)->summary, ==, "Slack is down");
  vigie_config_set_mute (f->config, "facebook", 0);

  /* 23:00 is within 22:00-07:00: only Slack's confirmed outage gets through. */
  vigie_config_set_quiet_hours (f->config, TRUE, 22 * 60, 7 * 60);
  vigie_config_set_quiet_hours_allow (f->config, allow);
  f->context.minute_of_day = 23 * 60;
  quiet = build (f);
  g_assert_cmpuint (quiet->len, ==, 1);
  g_assert_cmpstrv (alert (quiet, 0)->service_ids, allow);
  vigie_config_set_quiet_hours (f->config, FALSE, 0, 0);

  vigie_config_set_notify (f->config, VIGIE_NOTIFY_DOWN, FALSE);
  vigie_config_set_notify (f->config, VIGIE_NOTIFY_RECOVERED, FALSE);
  switched_off = build (f);
  g_assert_cmpuint (switched_off->len, ==, 1);
  g_assert_cmpint (alert (switched_off, 0)->kind, ==, VIGIE_ALERT_DEGRADED);
}

static void
test_unstable (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;

  add (f, "discord", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, "r");
  ((VigieTransition *) g_ptr_array_index (f->transitions, 0))->kind =
    VIGIE_TRANSITION_FLAPPING_STARTED;
  alerts = build (f);
  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpstr (alert (alerts, 0)->summary, ==, "Discord is unstable");
  g_assert_nonnull (strstr (alert (alerts, 0)->body, "stays quiet until it settles"));
}

static void
test_merge_ongoing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  const char *still_down[] = { "facebook", "instagram", "nope", NULL };

  add (f, "instagram", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, "r");
  add (f, "whatsapp", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, "r");
  alerts = build (f);
  g_assert_cmpuint (alerts->len, ==, 1);
  vigie_alert_merge_ongoing (alert (alerts, 0), still_down, f->config);
  g_assert_cmpstr (alert (alerts, 0)->summary, ==, "Facebook, Instagram and WhatsApp are down");
  g_assert_cmpstrv (alert (alerts, 0)->service_ids,
                    ((const char *[]) { "facebook", "instagram", "whatsapp", NULL }));
}

static void
test_join_names (void)
{
  g_autofree char *one = vigie_report_join_names ((const char *[]) { "A", NULL });
  g_autofree char *two = vigie_report_join_names ((const char *[]) { "A", "B", NULL });
  g_autofree char *three = vigie_report_join_names ((const char *[]) { "A", "B", "C", NULL });

  g_assert_cmpstr (one, ==, "A");
  g_assert_cmpstr (two, ==, "A and B");
  g_assert_cmpstr (three, ==, "A, B and C");
}

/* Checks one of @alert's buttons: its label, the application action it
 * activates, and that action's parameter in GVariant text form (NULL: none). */
static void
assert_action (const VigieAlert *alert,
               const char       *id,
               const char       *label,
               const char       *action,
               const char       *target)
{
  const VigieAlertAction *button = vigie_alert_find_action (alert, id);
  g_autofree char *printed = NULL;

  if (button == NULL)
    g_error ("no “%s” action", id);
  g_assert_cmpstr (button->label, ==, label);
  g_assert_cmpstr (button->action, ==, action);
  printed = button->target != NULL ? g_variant_print (button->target, FALSE) : NULL;
  g_assert_cmpstr (printed, ==, target);
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(VigieAlert) copy = NULL;
  const char *still_down[] = { "instagram", NULL };
  VigieAlert *down;
  VigieAlert *back;

  add (f, "facebook", VIGIE_STATE_OPERATIONAL, VIGIE_STATE_DOWN, "facebook.com: name lookup failed");
  add (f, "slack", VIGIE_STATE_DOWN, VIGIE_STATE_OPERATIONAL, "slack.com answered");
  alerts = build (f);
  g_assert_cmpuint (alerts->len, ==, 2);
  down = alert (alerts, 0);
  back = alert (alerts, 1);

  /* An outage: details, the vendor's page, snooze, mute these services. */
  g_assert_cmpuint (down->actions->len, ==, 4);
  assert_action (down, "details", "Details", "details", NULL);
  assert_action (down, "snooze", "Snooze 1 Hour", "snooze", "3600");
  assert_action (down, "mute", "Mute Until It's Back", "mute", "['facebook']");
  if (down->status_page != NULL)
    {
      g_autofree char *url = g_strdup_printf ("'%s'", down->status_page);
      assert_action (down, "status", "Status Page", "open-url", url);
    }

  /* A recovery: the details only. */
  g_assert_cmpuint (back->actions->len, ==, 1);
  assert_action (back, "details", "Details", "details", NULL);
  g_assert_null (vigie_alert_find_action (back, "mute"));

  /* When the outage spreads, muting covers every service it names. */
  vigie_alert_merge_ongoing (down, still_down, f->config);
  assert_action (down, "mute", "Mute Until It's Back", "mute", "['instagram', 'facebook']");
  copy = vigie_alert_copy (down);
  assert_action (copy, "mute", "Mute Until It's Back", "mute", "['instagram', 'facebook']");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/alerts/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("grouped-by-provider", test_grouped_by_provider);
  ADD ("recovery-and-start", test_recovery_and_start);
  ADD ("degraded-and-maintenance", test_degraded_and_maintenance);
  ADD ("filters", test_filters);
  ADD ("unstable", test_unstable);
  ADD ("merge-ongoing", test_merge_ongoing);
  ADD ("actions", test_actions);
#undef ADD
  g_test_add_func ("/alerts/join-names", test_join_names);

  return g_test_run ();
}
