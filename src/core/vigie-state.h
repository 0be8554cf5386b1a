/* vigie-state.h — what a person sees for a service: its state, its name in
 * files and JSON, and its label in words. */
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

G_END_DECLS
