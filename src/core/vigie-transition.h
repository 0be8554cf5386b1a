/* vigie-transition.h — what the tracker emits and the history stores.
 *
 * A transition is plain data (strings copied, no references into the
 * tracker), so it can be stored, signalled, and handed to a hook as is.
 */
#pragma once

#include <glib-object.h>

#include "vigie-feeds.h"
#include "vigie-http.h"
#include "vigie-probe.h"

G_BEGIN_DECLS

/**
 * VigieTransitionKind:
 * @VIGIE_TRANSITION_STATE: the confirmed state changed from @from to @to
 * @VIGIE_TRANSITION_FLAPPING_STARTED: the service became unstable (it keeps
 *   changing); state notifications stop until it settles
 * @VIGIE_TRANSITION_FLAPPING_STOPPED: it settled; @to is its state now
 */
typedef enum
{
  VIGIE_TRANSITION_STATE,
  VIGIE_TRANSITION_FLAPPING_STARTED,
  VIGIE_TRANSITION_FLAPPING_STOPPED,
} VigieTransitionKind;

/**
 * VigieTransition:
 * @kind: what happened
 * @service_id: the service's id
 * @service_name: its display name
 * @provider: its provider ("Meta"), to group notifications
 * @from: the state before
 * @to: the state after
 * @at: wall-clock time of the change, µs since the epoch
 * @since: wall-clock time @from had started, µs since the epoch (0 if
 *   unknown); `at - since` is how long @from lasted, never negative
 * @layer: the probe's failing layer (%VIGIE_LAYER_OK when it answered)
 * @http_status: the probe's HTTP status, 0 if none
 * @official: the official level at the time
 * @reason: one line for people ("facebook.com: name lookup failed; ...")
 * @incident_title: (nullable): the official incident's title
 * @incident_url: (nullable): the official incident's page
 */
typedef struct
{
  VigieTransitionKind kind;
  char *service_id;
  char *service_name;
  char *provider;
  VigieState from;
  VigieState to;
  gint64 at;
  gint64 since;
  VigieLayer layer;
  guint http_status;
  VigieOfficialLevel official;
  char *reason;
  char *incident_title;
  char *incident_url;
} VigieTransition;

#define VIGIE_TYPE_TRANSITION (vigie_transition_get_type ())
GType            vigie_transition_get_type (void) G_GNUC_CONST;
VigieTransition *vigie_transition_new      (void);
VigieTransition *vigie_transition_copy     (const VigieTransition *transition);
void             vigie_transition_free     (VigieTransition       *transition);
const char      *vigie_transition_kind_to_string (VigieTransitionKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieTransition, vigie_transition_free)

G_END_DECLS
