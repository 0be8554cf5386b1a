/* vigie-cli.h — the command-line modes (DESIGN.md §4).
 *
 * Each mode writes to stdout, reports problems on stderr, and returns the
 * process exit code, following the monitoring-plugin convention.
 */
#pragma once

#include <glib.h>

#include "vigie-config.h"

G_BEGIN_DECLS

/**
 * VigieExit:
 * @VIGIE_EXIT_OK: all watched services operational (or the mode succeeded)
 * @VIGIE_EXIT_WARNING: something is degraded or under maintenance
 * @VIGIE_EXIT_CRITICAL: at least one service is down
 * @VIGIE_EXIT_UNKNOWN: can't tell (offline), or a usage or settings error
 */
typedef enum
{
  VIGIE_EXIT_OK = 0,
  VIGIE_EXIT_WARNING = 1,
  VIGIE_EXIT_CRITICAL = 2,
  VIGIE_EXIT_UNKNOWN = 3,
} VigieExit;

VigieExit vigie_cli_list_services (VigieConfig       *config,
                                   gboolean           json);
VigieExit vigie_cli_check         (VigieConfig       *config,
                                   const char *const *ids,
                                   gboolean           json);
VigieExit vigie_cli_watch         (VigieConfig       *config);
VigieExit vigie_cli_summary       (VigieConfig       *config);
VigieExit vigie_cli_history       (const char        *since,
                                   gboolean           csv,
                                   gboolean           json);

G_END_DECLS
