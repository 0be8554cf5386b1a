/* vigie-state.h — what a person sees for a service (VigieState) and for
 * all of them at once (VigieOverall, the tray's one state): the states, their
 * names in files and JSON, and a service state's label in words. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * VigieState:
 * @VIGIE_STATE_UNKNOWN: no verdict yet, or can't tell (offline)
 * @VIGIE_STATE_OPERATIONAL: working
 * @VIGIE_STATE_MAINTENANCE: official maintenance
 * @VIGIE_STATE_DEGRADED: officially degraded, partially out
 * @VIGIE_STATE_DOWN: not working, for everyone
 *
 * What the user sees for a service, in increasing order of gravity after
 * %VIGIE_STATE_UNKNOWN.
 */
typedef enum
{
  VIGIE_STATE_UNKNOWN,
  VIGIE_STATE_OPERATIONAL,
  VIGIE_STATE_MAINTENANCE,
  VIGIE_STATE_DEGRADED,
  VIGIE_STATE_DOWN,
} VigieState;

const char *vigie_state_to_string   (VigieState  state);
VigieState  vigie_state_from_string (const char *str);
const char *vigie_state_label       (VigieState  state);

/**
 * VigieOverall:
 * @VIGIE_OVERALL_CHECKING: no verdict yet (first round under way)
 * @VIGIE_OVERALL_OPERATIONAL: every watched service works
 * @VIGIE_OVERALL_MAINTENANCE: the worst is an official maintenance
 * @VIGIE_OVERALL_DEGRADED: the worst is a degraded service
 * @VIGIE_OVERALL_DOWN: at least one service is down
 * @VIGIE_OVERALL_OFFLINE: the user's own connection fails: can't tell
 * @VIGIE_OVERALL_PAUSED: checking is paused
 *
 * The one state the tray shows.
 */
typedef enum
{
  VIGIE_OVERALL_CHECKING,
  VIGIE_OVERALL_OPERATIONAL,
  VIGIE_OVERALL_MAINTENANCE,
  VIGIE_OVERALL_DEGRADED,
  VIGIE_OVERALL_DOWN,
  VIGIE_OVERALL_OFFLINE,
  VIGIE_OVERALL_PAUSED,
} VigieOverall;

const char *vigie_overall_to_string (VigieOverall overall);

G_END_DECLS
