/* vigie-verdict.c — the verdict rule; the contract is in the header. */
#define G_LOG_DOMAIN "vigie-verdict"

#include "config.h"

#include "vigie-verdict.h"

/**
 * vigie_verdict_decide:
 * @input: the evidence of a round and the counters it leaves
 *
 * Returns: the confirmed state after the round
 */
VigieState
vigie_verdict_decide (const VigieVerdictInput *input)
{
  g_return_val_if_fail (input != NULL, VIGIE_STATE_UNKNOWN);

  /* The vendor's word needs no confirmation. */
  if (input->official == VIGIE_OFFICIAL_MAJOR)
    return VIGIE_STATE_DOWN;
  /* Maintenance explains a failing probe: not an outage to alert about. */
  if (input->official == VIGIE_OFFICIAL_MAINTENANCE)
    return VIGIE_STATE_MAINTENANCE;
  /* Official pages lag: failures alone confirm DOWN. */
  if (!input->probe_ok && input->failures >= MAX (input->failures_before_down, 1))
    return VIGIE_STATE_DOWN;
  /* "Back up" then "down again" is worse than waiting a round or two. */
  if (input->current == VIGIE_STATE_DOWN
      && input->successes < MAX (input->successes_before_up, 1))
    return VIGIE_STATE_DOWN;
  if (input->official == VIGIE_OFFICIAL_MINOR)
    return VIGIE_STATE_DEGRADED;
  if (input->probe_ok)
    return VIGIE_STATE_OPERATIONAL;
  /* Suspect: hold the state until the failures confirm. */
  return input->current;
}

/**
 * vigie_verdict_once:
 * @official: the official level
 * @probe_ok: whether the front door answered
 *
 * The one-shot verdict (`vigie --check`): vigie_verdict_decide() for a
 * first round, with thresholds of one.
 *
 * Returns: the verdict for this evidence alone
 */
VigieState
vigie_verdict_once (VigieOfficialLevel official,
                    gboolean           probe_ok)
{
  VigieVerdictInput input = {
    .current = VIGIE_STATE_UNKNOWN,
    .official = official,
    .probe_ok = probe_ok,
    .failures = probe_ok ? 0 : 1,
    .successes = probe_ok && official != VIGIE_OFFICIAL_MAJOR ? 1 : 0,
    .failures_before_down = 1,
    .successes_before_up = 1,
  };

  return vigie_verdict_decide (&input);
}
