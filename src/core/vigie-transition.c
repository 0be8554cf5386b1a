/* vigie-transition.c — copy and free of the plain transition record. */
#define G_LOG_DOMAIN "vigie-transition"

#include "config.h"

#include "vigie-transition.h"

G_DEFINE_BOXED_TYPE (VigieTransition, vigie_transition, vigie_transition_copy,
                     vigie_transition_free)

/**
 * vigie_transition_new:
 *
 * Returns: (transfer full): an empty transition (kind %VIGIE_TRANSITION_STATE,
 *   states unknown, no strings)
 */
VigieTransition *
vigie_transition_new (void)
{
  return g_new0 (VigieTransition, 1);
}

/**
 * vigie_transition_copy:
 * @transition: a transition
 *
 * Returns: (transfer full): a deep copy
 */
VigieTransition *
vigie_transition_copy (const VigieTransition *transition)
{
  VigieTransition *copy;

  g_return_val_if_fail (transition != NULL, NULL);

  copy = g_memdup2 (transition, sizeof *transition);
  copy->service_id = g_strdup (transition->service_id);
  copy->service_name = g_strdup (transition->service_name);
  copy->provider = g_strdup (transition->provider);
  copy->reason = g_strdup (transition->reason);
  copy->incident_title = g_strdup (transition->incident_title);
  copy->incident_url = g_strdup (transition->incident_url);
  return copy;
}

void
vigie_transition_free (VigieTransition *transition)
{
  if (transition == NULL)
    return;
  g_free (transition->service_id);
  g_free (transition->service_name);
  g_free (transition->provider);
  g_free (transition->reason);
  g_free (transition->incident_title);
  g_free (transition->incident_url);
  g_free (transition);
}

const char *
vigie_transition_kind_to_string (VigieTransitionKind kind)
{
  switch (kind)
    {
    case VIGIE_TRANSITION_FLAPPING_STARTED: return "flapping-started";
    case VIGIE_TRANSITION_FLAPPING_STOPPED: return "flapping-stopped";
    case VIGIE_TRANSITION_STATE:
    default: return "state";
    }
}
