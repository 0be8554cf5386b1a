/* vigie-state.c — a service's state, its stable name and its label. */
#define G_LOG_DOMAIN "vigie-state"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigie-state.h"

/**
 * vigie_state_to_string:
 * @state: a state
 *
 * Returns: (transfer none): the state's stable name, as the outage log, the
 *   hooks and the JSON outputs write it ("down")
 */
const char *
vigie_state_to_string (VigieState state)
{
  switch (state)
    {
    case VIGIE_STATE_OPERATIONAL: return "operational";
    case VIGIE_STATE_MAINTENANCE: return "maintenance";
    case VIGIE_STATE_DEGRADED: return "degraded";
    case VIGIE_STATE_DOWN: return "down";
    case VIGIE_STATE_UNKNOWN:
    default: return "unknown";
    }
}

/**
 * vigie_state_from_string:
 * @str: (nullable): a name from vigie_state_to_string()
 *
 * A name this version does not know (a newer Vigie wrote it) reads as the
 * state that claims the least.
 *
 * Returns: the state, %VIGIE_STATE_UNKNOWN for an unknown name
 */
VigieState
vigie_state_from_string (const char *str)
{
  for (VigieState state = VIGIE_STATE_UNKNOWN; state <= VIGIE_STATE_DOWN; state++)
    if (g_strcmp0 (str, vigie_state_to_string (state)) == 0)
      return state;
  return VIGIE_STATE_UNKNOWN;
}

/**
 * vigie_state_label:
 * @state: a state
 *
 * Returns: (transfer none): the state as a person reads it ("Down")
 */
const char *
vigie_state_label (VigieState state)
{
  switch (state)
    {
    /* Translators: state of an online service */
    case VIGIE_STATE_OPERATIONAL: return _("Operational");
    /* Translators: state of an online service */
    case VIGIE_STATE_MAINTENANCE: return _("Maintenance");
    /* Translators: state of an online service: partly working */
    case VIGIE_STATE_DEGRADED: return _("Degraded");
    /* Translators: state of an online service: not working for anyone */
    case VIGIE_STATE_DOWN: return _("Down");
    case VIGIE_STATE_UNKNOWN:
    /* Translators: state of an online service: no verdict (yet) */
    default: return _("Unknown");
    }
}

/**
 * vigie_overall_to_string:
 * @overall: the overall state
 *
 * Returns: (transfer none): its stable name ("down")
 */
const char *
vigie_overall_to_string (VigieOverall overall)
{
  switch (overall)
    {
    case VIGIE_OVERALL_OPERATIONAL: return "operational";
    case VIGIE_OVERALL_MAINTENANCE: return "maintenance";
    case VIGIE_OVERALL_DEGRADED: return "degraded";
    case VIGIE_OVERALL_DOWN: return "down";
    case VIGIE_OVERALL_OFFLINE: return "offline";
    case VIGIE_OVERALL_PAUSED: return "paused";
    case VIGIE_OVERALL_CHECKING:
    default: return "checking";
    }
}
