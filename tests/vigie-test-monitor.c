/* vigie-test-monitor.c — settings, outage log and monitor waits for the
 * tests; see the header. */
#define G_LOG_DOMAIN "vigie-test"

#include "config.h"

#include "vigie-test-monitor.h"

/**
 * vigie_test_catalog_new:
 *
 * Returns: (transfer full): the built-in catalogue
 */
VigieCatalog *
vigie_test_catalog_new (void)
{
  g_autoptr(GError) error = NULL;
  VigieCatalog *catalog = vigie_catalog_new_builtin (&error);

  g_assert_no_error (error);
  return catalog;
}

/**
 * vigie_test_config_load:
 * @catalog: the catalogue the settings refer to
 * @path: a settings file the test wrote
 *
 * Returns: (transfer full): the settings of @path, loaded without a single
 *   problem
 */
VigieConfig *
vigie_test_config_load (VigieCatalog *catalog,
                        const char   *path)
{
  g_autoptr(GError) error = NULL;
  VigieConfig *config = vigie_config_new (catalog, path);

  g_assert_true (vigie_config_load (config, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vigie_config_get_problems (config)->len, ==, 0);
  return config;
}

/**
 * vigie_test_history_open:
 * @path: where the outage log is, or is to be
 *
 * Returns: (transfer full): the outage log at @path
 */
VigieHistory *
vigie_test_history_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  VigieHistory *history = vigie_history_open (path, &error);

  g_assert_no_error (error);
  return history;
}

typedef struct
{
  VigieMonitor *monitor;
  guint n_rounds;
  VigieOverall overall;
  const char *service_id;
  VigieState state;
} Awaited;

static gboolean
rounds_reached (gpointer data)
{
  Awaited *awaited = data;

  return vigie_monitor_get_n_rounds (awaited->monitor) >= awaited->n_rounds;
}

static gboolean
overall_reached (gpointer data)
{
  Awaited *awaited = data;

  return vigie_monitor_get_overall (awaited->monitor) == awaited->overall;
}

static gboolean
state_reached (gpointer data)
{
  Awaited *awaited = data;
  const VigieServiceStatus *status =
    vigie_tracker_lookup (vigie_monitor_get_tracker (awaited->monitor), awaited->service_id);

  /* Stop at once if it is unknown: waiting would not make it known. */
  return status == NULL || status->state == awaited->state;
}

void
vigie_test_wait_for_rounds_at (const char   *file,
                               int           line,
                               const char   *func,
                               VigieMonitor *monitor,
                               guint         n,
                               guint         timeout_ms)
{
  Awaited awaited = { .monitor = monitor, .n_rounds = n };

  if (!vigie_test_wait_until (rounds_reached, &awaited, timeout_ms))
    vigie_test_fail_at (file, line, func, "gave up waiting for %u rounds after %u ms: %u done", n,
                        timeout_ms, vigie_monitor_get_n_rounds (monitor));
}

void
vigie_test_wait_for_overall_at (const char   *file,
                                int           line,
                                const char   *func,
                                VigieMonitor *monitor,
                                VigieOverall  overall,
                                guint         timeout_ms)
{
  Awaited awaited = { .monitor = monitor, .overall = overall };

  if (!vigie_test_wait_until (overall_reached, &awaited, timeout_ms))
    vigie_test_fail_at (file, line, func, "gave up waiting for the overall state %s after %u ms: "
                        "still %s", vigie_overall_to_string (overall), timeout_ms,
                        vigie_overall_to_string (vigie_monitor_get_overall (monitor)));
}

void
vigie_test_wait_for_state_at (const char   *file,
                              int           line,
                              const char   *func,
                              VigieMonitor *monitor,
                              const char   *service_id,
                              VigieState    state,
                              guint         timeout_ms)
{
  Awaited awaited = { .monitor = monitor, .service_id = service_id, .state = state };
  const VigieServiceStatus *status;

  vigie_test_wait_until (state_reached, &awaited, timeout_ms);
  status = vigie_tracker_lookup (vigie_monitor_get_tracker (monitor), service_id);
  if (status == NULL)
    vigie_test_fail_at (file, line, func, "the tracker does not know the service %s", service_id);
  else if (status->state != state)
    vigie_test_fail_at (file, line, func, "gave up waiting for %s to be %s after %u ms: still %s",
                        service_id, vigie_state_to_string (state), timeout_ms,
                        vigie_state_to_string (status->state));
}
