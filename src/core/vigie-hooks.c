/* vigie-hooks.c — runs the user's OnChange command, one event at a time;
 * the contract is in the header.
 *
 * Each queued event is a job (vigie-hooks-runner.h): the command as it was
 * when the event happened (so changing the command applies to the next
 * event) and a copy of the transition. One job at a time becomes a run,
 * handed to the runner (the process, its pipes, its timers); the event's
 * environment and input text are written by vigie-hooks-event.c. This file
 * keeps the queue and says when a hook fails.
 */
#define G_LOG_DOMAIN "vigie-hooks"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "vigie-hooks.h"
#include "vigie-hooks-runner.h"

struct _VigieHooks
{
  GObject parent_instance;

  GMainContext *context;

  char *command;        /* NULL: hooks are off */
  char **argv;          /* NULL with a command: it could not be read */
  char *parse_error;
  guint timeout_ms;

  GQueue pending;       /* VigieHooksJob*, oldest first */
  VigieHooksRunner *current;
  GSource *pump_source;
  gboolean overflow_warned;

  gboolean failing;     /* the last run failed: failures are not reported */
  char *failure;        /* reported, not taken yet */
};

G_DEFINE_FINAL_TYPE (VigieHooks, vigie_hooks, G_TYPE_OBJECT)

enum
{
  SIGNAL_FAILED,
  SIGNAL_IDLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (VigieHooks *self);

/* ---- failures and the queue ---------------------------------------------- */

static void
report (VigieHooks *self,
        char       *failure)
{
  if (failure == NULL)
    {
      self->failing = FALSE;
      return;
    }

  if (self->failing)
    {
      /* Told once per streak: a hook that fails on every event would
       * otherwise bury the user under the same message. */
      g_debug ("%s", failure);
      g_free (failure);
      return;
    }

  self->failing = TRUE;
  g_message ("%s", failure);
  g_free (self->failure);
  self->failure = failure;
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, failure);
}

/* Called by the runner when the current run is over. */
static void
on_run_done (VigieHooksRunner *runner,
             char             *failure,
             gpointer          user_data)
{
  g_autoptr(VigieHooks) self = g_object_ref (user_data);

  g_assert (self->current == runner);
  g_clear_pointer (&self->current, vigie_hooks_runner_unref);

  report (self, failure);
  pump (self);
}

/* Starts @job (taking it); a hook that cannot start is a failure reported
 * at once. Returns whether it is running. */
static gboolean
start_job (VigieHooks    *self,
           VigieHooksJob *job)
{
  VigieHooksLimits limits = {
    .timeout_ms = self->timeout_ms,
    .kill_delay_ms = VIGIE_HOOKS_KILL_DELAY_MS,
    .max_output = VIGIE_HOOKS_MAX_OUTPUT,
  };
  char *failure = NULL;

  self->current = vigie_hooks_runner_start (job, self->context, &limits, on_run_done, self,
                                            &failure);
  if (self->current == NULL)
    {
      report (self, failure);
      return FALSE;
    }
  return TRUE;
}

/* Starts the next job if none is running; says "idle" when none is left. */
static void
pump (VigieHooks *self)
{
  while (self->current == NULL && !g_queue_is_empty (&self->pending))
    start_job (self, g_queue_pop_head (&self->pending));

  if (vigie_hooks_is_idle (self))
    {
      self->overflow_warned = FALSE;
      g_signal_emit (self, signals[SIGNAL_IDLE], 0);
    }
}

static gboolean
on_pump (gpointer user_data)
{
  VigieHooks *self = user_data;

  g_clear_pointer (&self->pump_source, g_source_unref);
  pump (self);
  return G_SOURCE_REMOVE;
}

/* ---- GObject ------------------------------------------------------------- */

static void
vigie_hooks_dispose (GObject *object)
{
  VigieHooks *self = VIGIE_HOOKS (object);

  if (self->pump_source != NULL)
    g_source_destroy (self->pump_source);
  g_clear_pointer (&self->pump_source, g_source_unref);
  g_queue_clear_full (&self->pending, (GDestroyNotify) vigie_hooks_job_free);

  /* A hook must not outlive its bounds just because Vigie quit. */
  if (self->current != NULL)
    vigie_hooks_runner_abandon (g_steal_pointer (&self->current));

  G_OBJECT_CLASS (vigie_hooks_parent_class)->dispose (object);
}

static void
vigie_hooks_finalize (GObject *object)
{
  VigieHooks *self = VIGIE_HOOKS (object);

  g_free (self->command);
  g_strfreev (self->argv);
  g_free (self->parse_error);
  g_free (self->failure);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (vigie_hooks_parent_class)->finalize (object);
}

static void
vigie_hooks_class_init (VigieHooksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigie_hooks_dispose;
  object_class->finalize = vigie_hooks_finalize;

  /**
   * VigieHooks::failed:
   * @self: the hooks
   * @message: a sentence for people naming the command and what happened
   *
   * A hook failed after the last one succeeded (or for the first time);
   * further failures are not signalled until a hook succeeds again.
   */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * VigieHooks::idle:
   * @self: the hooks
   *
   * The last queued hook has finished and none is waiting.
   */
  signals[SIGNAL_IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 0);
}

static void
vigie_hooks_init (VigieHooks *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->timeout_ms = VIGIE_HOOKS_DEFAULT_TIMEOUT_MS;
  g_queue_init (&self->pending);
}

/* ---- public API ---------------------------------------------------------- */

/**
 * vigie_hooks_new:
 *
 * Creates a hook runner with no command (off). Its work happens on the
 * calling thread's default main context.
 *
 * Returns: (transfer full): a new #VigieHooks
 */
VigieHooks *
vigie_hooks_new (void)
{
  return g_object_new (VIGIE_TYPE_HOOKS, NULL);
}

/**
 * vigie_hooks_set_command:
 * @self: a #VigieHooks
 * @command: (nullable): the command line, as written in the settings;
 *   %NULL, empty, blank or only a `#` comment turns hooks off
 * @error: return location for a #GShellError
 *
 * Sets the command run for events from now on; one already queued or
 * running keeps the command it had when it happened.
 *
 * A command that cannot be split into words (an unbalanced quote) is an
 * error, reported here so settings can point at it; it is still kept, and
 * each event then counts as a failure (reported once) so that a user who
 * missed the settings error still learns that the hook does not run.
 *
 * Returns: %TRUE if @command can be run (or hooks are off)
 */
gboolean
vigie_hooks_set_command (VigieHooks  *self,
                         const char  *command,
                         GError     **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (VIGIE_IS_HOOKS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->parse_error, g_free);

  if (command == NULL)
    return TRUE;

  if (!g_shell_parse_argv (command, NULL, &argv, &local_error))
    {
      /* Nothing but blanks or a comment: no command, not a mistake. */
      if (g_error_matches (local_error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
        return TRUE;
      self->command = g_strdup (command);
      self->parse_error = g_strdup (local_error->message);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The hook command cannot be read: "));
      return FALSE;
    }

  self->command = g_strdup (command);
  if (argv[0][0] == '\0')
    {
      /* '' or "": there is nothing to run. Kept like an unreadable
       * command, for the same reason. */
      self->parse_error = g_strdup (_("it does not start with a program name"));
      g_set_error (error, G_SHELL_ERROR, G_SHELL_ERROR_FAILED,
                   _("The hook command cannot be read: %s"), self->parse_error);
      return FALSE;
    }
  self->argv = g_steal_pointer (&argv);
  return TRUE;
}

/**
 * vigie_hooks_get_command:
 * @self: a #VigieHooks
 *
 * Returns: (transfer none) (nullable): the command, %NULL when hooks are off
 */
const char *
vigie_hooks_get_command (VigieHooks *self)
{
  g_return_val_if_fail (VIGIE_IS_HOOKS (self), NULL);

  return self->command;
}

/**
 * vigie_hooks_set_timeout:
 * @self: a #VigieHooks
 * @timeout_ms: how long a hook may run, in milliseconds; 0 restores the
 *   default, %VIGIE_HOOKS_DEFAULT_TIMEOUT_MS
 *
 * Applies to hooks started from now on.
 */
void
vigie_hooks_set_timeout (VigieHooks *self,
                         guint       timeout_ms)
{
  g_return_if_fail (VIGIE_IS_HOOKS (self));

  self->timeout_ms = timeout_ms > 0 ? timeout_ms : VIGIE_HOOKS_DEFAULT_TIMEOUT_MS;
}

/**
 * vigie_hooks_run:
 * @self: a #VigieHooks
 * @transition: (transfer none): the event; copied
 *
 * Queues the command for @transition, if there is a command. It runs after
 * the events queued before it, from the main context, never from within
 * this call.
 */
void
vigie_hooks_run (VigieHooks            *self,
                 const VigieTransition *transition)
{
  VigieHooksJob *job;

  g_return_if_fail (VIGIE_IS_HOOKS (self));
  g_return_if_fail (transition != NULL);

  if (self->command == NULL)
    return;

  job = g_new0 (VigieHooksJob, 1);
  job->command = g_strdup (self->command);
  job->argv = g_strdupv (self->argv);
  job->parse_error = g_strdup (self->parse_error);
  job->transition = vigie_transition_copy (transition);
  g_queue_push_tail (&self->pending, job);

  if (g_queue_get_length (&self->pending) > VIGIE_HOOKS_MAX_PENDING)
    {
      /* A hook slower than the events (or stuck until its timeout) must
       * not let the queue grow without end; the newest events matter most. */
      if (!self->overflow_warned)
        g_warning ("Hooks are falling behind: more than %d events waiting; "
                   "dropping the oldest", VIGIE_HOOKS_MAX_PENDING);
      else
        g_debug ("hook queue full: dropping the oldest event");
      self->overflow_warned = TRUE;
      vigie_hooks_job_free (g_queue_pop_head (&self->pending));
    }

  if (self->current == NULL && self->pump_source == NULL)
    {
      self->pump_source = g_idle_source_new ();
      g_source_set_callback (self->pump_source, on_pump, self, NULL);
      g_source_set_static_name (self->pump_source, "[vigie] hook queue");
      g_source_attach (self->pump_source, self->context);
    }
}

/**
 * vigie_hooks_is_idle:
 * @self: a #VigieHooks
 *
 * Returns: %TRUE when no hook is running or waiting
 */
gboolean
vigie_hooks_is_idle (VigieHooks *self)
{
  g_return_val_if_fail (VIGIE_IS_HOOKS (self), TRUE);

  return self->current == NULL && self->pump_source == NULL &&
         g_queue_is_empty (&self->pending);
}

/**
 * vigie_hooks_take_failure:
 * @self: a #VigieHooks
 *
 * The failure last signalled with #VigieHooks::failed, if nobody took it
 * yet: for a caller that shows it later rather than from the signal.
 *
 * Returns: (transfer full) (nullable): a sentence for people, or %NULL
 */
char *
vigie_hooks_take_failure (VigieHooks *self)
{
  g_return_val_if_fail (VIGIE_IS_HOOKS (self), NULL);

  return g_steal_pointer (&self->failure);
}
