/* vigie-hooks.h — the user's own command, run on every transition
 * ([Hooks] OnChange= in the settings file).
 *
 * Contract (what the hook receives; quoted in the README):
 *
 *  - The command is split into words with shell *quoting* rules only
 *    (single and double quotes, backslash, # comments), then run directly:
 *    it never goes through a shell, so `;`, `|`, `$(…)`, `*` and `~` reach
 *    the program as plain characters. To use a shell, write it yourself:
 *    `sh -c 'notify-send "$VIGIE_SERVICE_NAME is $VIGIE_TO"'`. A program
 *    name without a slash is looked up in $PATH; the working directory is
 *    your home folder, so a relative path such as `bin/on-change` is taken
 *    from there.
 *  - It runs once per event, in the order the events happened, never two
 *    at a time: four services going down together run it four times, one
 *    after the other. At most 100 events wait their turn; beyond that the
 *    oldest are dropped (with one warning in the log).
 *  - Environment: your own, plus
 *      VIGIE_EVENT             state | flapping-started | flapping-stopped
 *      VIGIE_SERVICE_ID        e.g. facebook
 *      VIGIE_SERVICE_NAME      e.g. Facebook
 *      VIGIE_PROVIDER          e.g. Meta
 *      VIGIE_FROM, VIGIE_TO    unknown | operational | maintenance |
 *                              degraded | down
 *      VIGIE_AT                when it changed, local time, ISO 8601 with
 *                              offset: 2021-10-04T17:39:00+02:00
 *      VIGIE_SINCE             when VIGIE_FROM began (same format), empty if
 *                              unknown
 *      VIGIE_DURATION_SECONDS  how long VIGIE_FROM lasted (AT − SINCE),
 *                              empty if unknown
 *      VIGIE_LAYER             ok | dns | connect | tls | timeout | http |
 *                              too-large | protocol | content | cancelled
 *      VIGIE_HTTP_STATUS       the site's HTTP status, 0 if it gave none
 *      VIGIE_OFFICIAL          unknown | operational | maintenance | minor |
 *                              major (what the vendor's status page says)
 *      VIGIE_REASON            one line for people
 *      VIGIE_INCIDENT_TITLE    the official incident's title, or empty
 *      VIGIE_INCIDENT_URL      its page, or empty
 *    Every variable is always set (empty when there is nothing to say).
 *    Values longer than 8 KiB are cut there; the JSON below has them whole.
 *  - Standard input: the same event as one JSON object, then end of file:
 *      { "version": 1, "event": "state", "service_id": "facebook",
 *        "service_name": …, "provider": …, "from": "operational",
 *        "to": "down", "at": "2021-10-04T17:39:00+02:00", "since": …,
 *        "duration_seconds": 3600, "layer": "dns", "http_status": 0,
 *        "official": "unknown", "reason": …, "incident_title": …,
 *        "incident_url": … }
 *    `since`, `duration_seconds`, `incident_title` and `incident_url` are
 *    null when unknown. Reading it is optional.
 *  - Limits: the hook has 10 seconds (configurable). Then it and the
 *    processes it started (its process group) get SIGTERM, and SIGKILL
 *    2 seconds later if still running. Its standard output and error are
 *    logged, line by line, prefixed by its name, when it ends; only the
 *    first 64 KiB are kept, the rest is read and thrown away.
 *  - Failure: exiting non-zero, dying from a signal, running out of time or
 *    not starting at all (not found, not executable, a command that cannot
 *    be read). The first failure is reported to the user once (the "failed"
 *    signal); further failures only go to the debug log until the hook
 *    succeeds again.
 *
 * Everything happens asynchronously on the main context that created the
 * #VigieHooks; nothing blocks it.
 */
#pragma once

#include <glib-object.h>

#include "vigie-transition.h"

G_BEGIN_DECLS

/**
 * VIGIE_HOOKS_DEFAULT_TIMEOUT_MS:
 *
 * How long a hook may run before it is stopped (10 s).
 */
#define VIGIE_HOOKS_DEFAULT_TIMEOUT_MS 10000

/**
 * VIGIE_HOOKS_KILL_DELAY_MS:
 *
 * How long a hook has to exit after SIGTERM before it gets SIGKILL (2 s).
 */
#define VIGIE_HOOKS_KILL_DELAY_MS 2000

/**
 * VIGIE_HOOKS_MAX_OUTPUT:
 *
 * How much of a hook's output is kept for the log (64 KiB).
 */
#define VIGIE_HOOKS_MAX_OUTPUT (64 * 1024)

/**
 * VIGIE_HOOKS_MAX_PENDING:
 *
 * How many events may wait for their turn (100); the oldest are dropped
 * beyond that.
 */
#define VIGIE_HOOKS_MAX_PENDING 100

#define VIGIE_TYPE_HOOKS (vigie_hooks_get_type ())
G_DECLARE_FINAL_TYPE (VigieHooks, vigie_hooks, VIGIE, HOOKS, GObject)

VigieHooks *vigie_hooks_new          (void);
gboolean    vigie_hooks_set_command  (VigieHooks            *self,
                                      const char            *command,
                                      GError               **error);
const char *vigie_hooks_get_command  (VigieHooks            *self);
void        vigie_hooks_set_timeout  (VigieHooks            *self,
                                      guint                  timeout_ms);
void        vigie_hooks_run          (VigieHooks            *self,
                                      const VigieTransition *transition);
gboolean    vigie_hooks_is_idle      (VigieHooks            *self);
char       *vigie_hooks_take_failure (VigieHooks            *self);

G_END_DECLS
