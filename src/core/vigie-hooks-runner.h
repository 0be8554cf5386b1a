/* vigie-hooks-runner.h — one hook run: the process, its pipes and its timers.
 *
 * Private to the hooks: #VigieHooks queues jobs and starts one runner at a
 * time. Contract:
 *  - a runner starts the job's command with the event's environment, writes
 *    the event to its standard input through a non-blocking pipe of its own
 *    (a SIGPIPE the write raises is taken back), and reads its output;
 *  - it stops the hook's process group after the timeout (SIGTERM, then
 *    SIGKILL after the kill delay);
 *  - it ends when the process has exited *and* its output is closed (or a
 *    short grace has passed), then logs the output and calls @done once, on
 *    the main context it was given, with what went wrong if anything;
 *  - every asynchronous operation holds a reference, so a runner abandoned
 *    mid-hook lives on until its late callbacks have come and gone; they then
 *    do nothing.
 */
#pragma once

#include <glib.h>

#include "vigie-transition.h"

G_BEGIN_DECLS

/* One queued event: the command as it was when the event happened (so
 * changing the command applies to the next event) and a copy of the
 * transition. */
typedef struct
{
  char *command;        /* as configured, to name it in messages */
  char **argv;          /* NULL when the command could not be read */
  char *parse_error;    /* why, when argv is NULL */
  VigieTransition *transition;
} VigieHooksJob;

void vigie_hooks_job_free (VigieHooksJob *job);

/* What a run may take: its time before SIGTERM, the time between SIGTERM
 * and SIGKILL, the output kept for the log. */
typedef struct
{
  guint timeout_ms;
  guint kill_delay_ms;
  gsize max_output;
} VigieHooksLimits;

typedef struct _VigieHooksRunner VigieHooksRunner;

/* @failure: (transfer full) (nullable): why the run failed, for people, or
 * %NULL if it succeeded. The runner is over; the caller still holds its
 * reference. */
typedef void (*VigieHooksRunnerDone) (VigieHooksRunner *runner,
                                      char             *failure,
                                      gpointer          user_data);

VigieHooksRunner *vigie_hooks_runner_start   (VigieHooksJob          *job,
                                              GMainContext           *context,
                                              const VigieHooksLimits *limits,
                                              VigieHooksRunnerDone    done,
                                              gpointer                user_data,
                                              char                  **failure);
void              vigie_hooks_runner_abandon (VigieHooksRunner       *runner);
void              vigie_hooks_runner_unref   (VigieHooksRunner       *runner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieHooksJob, vigie_hooks_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieHooksRunner, vigie_hooks_runner_unref)

G_END_DECLS
