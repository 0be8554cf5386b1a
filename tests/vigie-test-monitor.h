/* vigie-test-monitor.h — the monitor's world for the tests: settings read
 * from a file written by the test, the outage log, and waits on what the
 * monitor reports (rounds, the overall state, one service's state).
 *
 * The loaders fail the test (like g_assert()) when the file or the log
 * cannot be used: a suite's own settings are never the subject of these
 * tests. The wait_for macros fail the test at the caller's line with what
 * was awaited and what was reached instead.
 */
#pragma once

#include "vigie-monitor.h"
#include "vigie-test-util.h"

G_BEGIN_DECLS

VigieCatalog *vigie_test_catalog_new          (void);
VigieConfig  *vigie_test_config_load          (VigieCatalog *catalog,
                                               const char   *path);
VigieHistory *vigie_test_history_open         (const char   *path);

void          vigie_test_wait_for_rounds_at   (const char   *file,
                                               int           line,
                                               const char   *func,
                                               VigieMonitor *monitor,
                                               guint         n,
                                               guint         timeout_ms);
void          vigie_test_wait_for_overall_at  (const char   *file,
                                               int           line,
                                               const char   *func,
                                               VigieMonitor *monitor,
                                               VigieOverall  overall,
                                               guint         timeout_ms);
void          vigie_test_wait_for_state_at    (const char   *file,
                                               int           line,
                                               const char   *func,
                                               VigieMonitor *monitor,
                                               const char   *service_id,
                                               VigieState    state,
                                               guint         timeout_ms);

/**
 * vigie_test_wait_for_rounds:
 * @monitor: a started #VigieMonitor
 * @n: how many rounds in all
 * @timeout_ms: how long to wait at most
 *
 * Runs the main loop until @monitor has finished @n rounds since it was made.
 */
#define vigie_test_wait_for_rounds(monitor, n, timeout_ms) \
  vigie_test_wait_for_rounds_at (__FILE__, __LINE__, G_STRFUNC, (monitor), (n), (timeout_ms))

/**
 * vigie_test_wait_for_overall:
 * @monitor: a started #VigieMonitor
 * @overall: the #VigieOverall awaited
 * @timeout_ms: how long to wait at most
 *
 * Runs the main loop until @monitor's overall state is @overall.
 */
#define vigie_test_wait_for_overall(monitor, overall, timeout_ms) \
  vigie_test_wait_for_overall_at (__FILE__, __LINE__, G_STRFUNC, (monitor), (overall), \
                                  (timeout_ms))

/**
 * vigie_test_wait_for_state:
 * @monitor: a started #VigieMonitor
 * @service_id: a service its tracker knows
 * @state: the #VigieState awaited
 * @timeout_ms: how long to wait at most
 *
 * Runs the main loop until the tracker's confirmed state of @service_id is
 * @state. A service the tracker does not know fails the test at once.
 */
#define vigie_test_wait_for_state(monitor, service_id, state, timeout_ms) \
  vigie_test_wait_for_state_at (__FILE__, __LINE__, G_STRFUNC, (monitor), (service_id), \
                                (state), (timeout_ms))

G_END_DECLS
