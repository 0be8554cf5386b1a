/* vigie-verdict.h — the verdict rule of DESIGN.md §1, once.
 *
 * Both the monitor's tracker (with confirmation over rounds) and the
 * one-shot `vigie --check` (thresholds of one, no state before) decide a
 * service's state with vigie_verdict_decide(), so the two never disagree on
 * what the same evidence means:
 *
 *  - the vendor's full outage (MAJOR) is DOWN at once;
 *  - the vendor's maintenance is MAINTENANCE, whatever the probe says (a
 *    failing probe during maintenance is not an outage to alert about);
 *  - failures_before_down consecutive failing probes are DOWN, even when the
 *    official page says all is well (official pages lag);
 *  - leaving DOWN takes successes_before_up healthy rounds;
 *  - the vendor's partial outage or degradation (MINOR) is DEGRADED;
 *  - a probe that answers is OPERATIONAL;
 *  - otherwise (a failure not confirmed yet) the state is held.
 */
#pragma once

#include "vigie-feeds.h"
#include "vigie-state.h"

G_BEGIN_DECLS

/**
 * VigieVerdictInput:
 * @current: the confirmed state before this round
 * @official: the official level in this round
 * @probe_ok: whether the service's front door answered in this round
 * @failures: consecutive failing rounds, this one included
 * @successes: consecutive healthy rounds (probe answered, no official full
 *   outage), this one included
 * @failures_before_down: failures that confirm DOWN (0 counts as 1)
 * @successes_before_up: successes that confirm recovery (0 counts as 1)
 */
typedef struct
{
  VigieState current;
  VigieOfficialLevel official;
  gboolean probe_ok;
  guint failures;
  guint successes;
  guint failures_before_down;
  guint successes_before_up;
} VigieVerdictInput;

VigieState vigie_verdict_decide (const VigieVerdictInput *input);
VigieState vigie_verdict_once   (VigieOfficialLevel       official,
                                 gboolean                 probe_ok);

G_END_DECLS
