/* vigie-hooks-event.h — a transition as the hook receives it: its
 * environment and the JSON text on its standard input.
 *
 * The variables and the JSON members are the contract stated in
 * vigie-hooks.h; this is the one place that writes them. Pure: a transition
 * in, text out, nothing started.
 */
#pragma once

#include <glib.h>

#include "vigie-transition.h"

G_BEGIN_DECLS

char  *vigie_hooks_event_json    (const VigieTransition *transition);
char **vigie_hooks_event_environ (const VigieTransition *transition);

G_END_DECLS
