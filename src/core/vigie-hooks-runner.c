/* vigie-hooks-runner.c — one hook run: the process, its pipes and its
 * timers; the contract is in vigie-hooks-runner.h.
 *
 * A run ends when the process has exited *and* its output pipe is closed,
 * with a short grace for output held open by something it left running in
 * the background. Every asynchronous operation holds a reference on its run,
 * so a run outlives its VigieHooks when that is disposed mid-hook; run->done
 * is then NULL and late callbacks only drop their reference.
 */
#define G_LOG_DOMAIN "vigie-hooks"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "vigie-hooks-event.h"
#include "vigie-hooks-runner.h"

/* How long output may stay open after the hook itself has exited: a
 * background process it started can keep the pipe open for ever, and the
 * next event must not wait for it. */
#define OUTPUT_GRACE_MS 500

#define READ_CHUNK (16 * 1024)

struct _VigieHooksRunner
{
  grefcount ref_count;
  VigieHooksRunnerDone done;  /* NULL once the run is over */
  gpointer done_data;
  GMainContext *context;
  VigieHooksJob *job;
  char *name;           /* basename of argv[0], prefixes the log lines */
  VigieHooksLimits limits;

  GSubprocess *process;
  pid_t pid;            /* also its process group id, 0 if unknown */
  GCancellable *cancellable;

  int stdin_fd;         /* our end of the hook's stdin, non-blocking; -1 once closed */
  GBytes *input;
  gsize input_written;
  GSource *stdin_source;

  GInputStream *stdout_pipe;
  guint8 buffer[READ_CHUNK];
  GString *output;      /* at most limits.max_output bytes */
  guint64 discarded;

  GSource *timeout_source;
  GSource *kill_source;
  GSource *grace_source;

  gboolean exited;
  gboolean wait_failed;
  gboolean output_done;
  gboolean timed_out;
};

void
vigie_hooks_job_free (VigieHooksJob *job)
{
  g_free (job->command);
  g_strfreev (job->argv);
  g_free (job->parse_error);
  vigie_transition_free (job->transition);
  g_free (job);
}

/* ---- runs ---------------------------------------------------------------- */

static VigieHooksRunner *
run_ref (VigieHooksRunner *run)
{
  g_ref_count_inc (&run->ref_count);
  return run;
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Stops writing the event: the hook sees the end of its input. */
static void
run_close_input (VigieHooksRunner *run)
{
  clear_source (&run->stdin_source);
  if (run->stdin_fd >= 0)
    g_close (g_steal_fd (&run->stdin_fd), NULL);
}

void
vigie_hooks_runner_unref (VigieHooksRunner *run)
{
  if (!g_ref_count_dec (&run->ref_count))
    return;

  g_assert (run->done == NULL);
  run_close_input (run);
  clear_source (&run->timeout_source);
  clear_source (&run->kill_source);
  clear_source (&run->grace_source);
  g_clear_object (&run->stdout_pipe);
  g_clear_object (&run->process);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->input, g_bytes_unref);
  g_string_free (run->output, TRUE);
  g_clear_pointer (&run->job, vigie_hooks_job_free);
  g_free (run->name);
  g_main_context_unref (run->context);
  g_free (run);
}

static GSource *
run_add_timeout (VigieHooksRunner *run,
                 guint             interval_ms,
                 GSourceFunc       func)
{
  GSource *source = g_timeout_source_new (interval_ms);

  /* No reference: the run destroys its timers before it goes. */
  g_source_set_callback (source, func, run, NULL);
  g_source_set_static_name (source, "[vigie] hook timer");
  g_source_attach (source, run->context);
  return source;
}

/* Signals the hook's whole process group, so that what it started (a
 * `curl` under `sh -c`) stops with it; falls back on the process alone
 * if it could not get a group of its own. */
static void
run_signal (VigieHooksRunner *run,
            int  signum)
{
  if (run->pid > 0 && kill (-run->pid, signum) == 0)
    return;
  if (!run->exited)
    g_subprocess_send_signal (run->process, signum);
}

static void
child_setup (gpointer user_data)
{
  /* Async-signal-safe; between fork and exec. */
  setpgid (0, 0);
}

/* Writes to a pipe whose reader has gone raise SIGPIPE, which would kill
 * Vigie. Rather than ignore SIGPIPE for the whole process (and for every
 * program it starts, and without counting on GLib doing so as a side effect
 * of GDBus), it is blocked around this write, and one the write raised is
 * taken back before it is unblocked, whatever the write returned: a reader
 * that goes away during a write can leave a SIGPIPE pending behind a
 * partial count, not only behind EPIPE. The descriptor is non-blocking, so
 * the write never waits for the hook to read. Returns the count written,
 * or -1 with errno set. */
static gssize
write_without_sigpipe (int         fd,
                       const void *data,
                       gsize       size)
{
  static const struct timespec no_wait = { 0, 0 };
  sigset_t sigpipe_mask;
  sigset_t old_mask;
  sigset_t pending;
  gboolean was_pending;
  gssize written;
  int saved_errno;

  sigemptyset (&sigpipe_mask);
  sigaddset (&sigpipe_mask, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &sigpipe_mask, &old_mask);
  sigpending (&pending);
  was_pending = sigismember (&pending, SIGPIPE);

  do
    written = write (fd, data, size);
  while (written < 0 && errno == EINTR);
  saved_errno = errno;

  sigpending (&pending);
  if (!was_pending && sigismember (&pending, SIGPIPE))
    while (sigtimedwait (&sigpipe_mask, NULL, &no_wait) < 0 && errno == EINTR)
      ;
  pthread_sigmask (SIG_SETMASK, &old_mask, NULL);
  errno = saved_errno;
  return written;
}

static void run_write_input (VigieHooksRunner *run);

static gboolean
on_stdin_ready (int           fd,
                GIOCondition  condition,
                gpointer      user_data)
{
  VigieHooksRunner *run = user_data;

  g_clear_pointer (&run->stdin_source, g_source_unref);
  if (run->done != NULL)
    run_write_input (run);
  return G_SOURCE_REMOVE;
}

/* Writes as much of the event as the pipe takes without blocking, and
 * waits for room for the rest on the hooks' main context; a hook that does
 * not read its input is fine (it is dropped when the hook ends). */
static void
run_write_input (VigieHooksRunner *run)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (run->input, &size);

  while (run->input_written < size)
    {
      gssize written = write_without_sigpipe (run->stdin_fd,
                                              data + run->input_written,
                                              size - run->input_written);

      if (written < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)
            {
              run->stdin_source = g_unix_fd_source_new (run->stdin_fd, G_IO_OUT);
              g_source_set_callback (run->stdin_source, G_SOURCE_FUNC (on_stdin_ready),
                                     run_ref (run), (GDestroyNotify) vigie_hooks_runner_unref);
              g_source_set_static_name (run->stdin_source, "[vigie] hook input");
              g_source_attach (run->stdin_source, run->context);
              return;
            }
          g_debug ("%s: input not fully written: %s", run->name, g_strerror (saved_errno));
          break;
        }
      run->input_written += (gsize) written;
    }

  /* End of file for the hook. */
  run_close_input (run);
}

static void
run_log_output (VigieHooksRunner *run)
{
  g_auto(GStrv) lines = NULL;

  if (run->output->len == 0)
    return;

  lines = g_strsplit (run->output->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = NULL;

      /* Nothing after the last newline is not a line. */
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break;
      line = g_utf8_make_valid (lines[i], -1);
      g_strchomp (line);
      g_message ("%s: %s", run->name, line);
    }
  if (run->discarded > 0)
    g_message ("%s: [%" G_GUINT64_FORMAT " more bytes of output discarded]",
               run->name, run->discarded);
}

static char *
timeout_message (const char *command,
                 guint       timeout_ms)
{
  if (timeout_ms % 1000 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The hook “%s” did not finish within %u second and was stopped.",
                                         "The hook “%s” did not finish within %u seconds and was stopped.",
                                         timeout_ms / 1000),
                            command, timeout_ms / 1000);
  return g_strdup_printf (_("The hook “%s” did not finish within %.1f seconds and was stopped."),
                          command, timeout_ms / 1000.0);
}

/* Why the run failed, for people, or NULL if it succeeded. */
static char *
run_failure (VigieHooksRunner *run)
{
  const char *command = run->job->argv[0];

  if (run->timed_out)
    return timeout_message (command, run->limits.timeout_ms);
  if (run->wait_failed)
    return g_strdup_printf (_("The hook “%s” could not be followed to its end."), command);
  if (g_subprocess_get_if_signaled (run->process))
    {
      int signum = g_subprocess_get_term_sig (run->process);

      return g_strdup_printf (_("The hook “%s” was killed by signal %d (%s)."),
                              command, signum, g_strsignal (signum));
    }
  if (g_subprocess_get_exit_status (run->process) != 0)
    return g_strdup_printf (_("The hook “%s” failed with exit status %d."),
                            command, g_subprocess_get_exit_status (run->process));
  return NULL;
}

static void
run_finish (VigieHooksRunner *run)
{
  VigieHooksRunnerDone done = run->done;
  gpointer done_data = run->done_data;
  g_autofree char *failure = NULL;

  run_close_input (run);
  clear_source (&run->timeout_source);
  clear_source (&run->kill_source);
  clear_source (&run->grace_source);
  g_cancellable_cancel (run->cancellable);

  run_log_output (run);
  failure = run_failure (run);
  g_debug ("%s: finished%s", run->name, failure != NULL ? " with a failure" : "");

  run->done = NULL;
  run->done_data = NULL;
  done (run, g_steal_pointer (&failure), done_data);
}

static void
run_maybe_finish (VigieHooksRunner *run)
{
  if (run->exited && run->output_done)
    run_finish (run);
}

static gboolean
on_grace_over (gpointer user_data)
{
  VigieHooksRunner *run = user_data;

  g_clear_pointer (&run->grace_source, g_source_unref);
  g_debug ("%s: exited, but its output is still open; no longer reading it", run->name);
  /* The reader sees G_IO_ERROR_CANCELLED and marks the output done. */
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
run_start_grace (VigieHooksRunner *run)
{
  if (!run->output_done && run->grace_source == NULL)
    run->grace_source = run_add_timeout (run, OUTPUT_GRACE_MS, on_grace_over);
}

static gboolean
on_kill_due (gpointer user_data)
{
  VigieHooksRunner *run = user_data;

  g_clear_pointer (&run->kill_source, g_source_unref);
  g_debug ("%s: still running %u ms after SIGTERM; sending SIGKILL",
           run->name, run->limits.kill_delay_ms);
  run_signal (run, SIGKILL);
  if (run->exited)
    run_start_grace (run);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  VigieHooksRunner *run = user_data;

  g_clear_pointer (&run->timeout_source, g_source_unref);
  g_debug ("%s: still running after %u ms; sending SIGTERM", run->name, run->limits.timeout_ms);
  run->timed_out = TRUE;
  run_signal (run, SIGTERM);
  run->kill_source = run_add_timeout (run, run->limits.kill_delay_ms, on_kill_due);
  return G_SOURCE_REMOVE;
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VigieHooksRunner) run = user_data;
  g_autoptr(GError) error = NULL;

  gboolean waited = g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error);

  if (run->done == NULL)
    return;
  if (!waited)
    {
      g_debug ("%s: waiting for it failed: %s", run->name, error->message);
      run->wait_failed = TRUE;
    }

  run->exited = TRUE;
  clear_source (&run->timeout_source);
  /* After a timeout the pending SIGKILL also deals with what the hook left
   * behind in its group; the grace starts after it. */
  if (run->kill_source == NULL)
    run_start_grace (run);
  run_maybe_finish (run);
}

static void run_read_output (VigieHooksRunner *run);

static void
on_output (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VigieHooksRunner) run = user_data;
  g_autoptr(GError) error = NULL;
  gssize n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (run->done == NULL)
    return;

  if (n_read > 0)
    {
      /* Keep the head, count the rest: a chatty hook costs reading time,
       * never memory. */
      gsize keep = MIN ((gsize) n_read, run->limits.max_output - run->output->len);

      g_string_append_len (run->output, (const char *) run->buffer, keep);
      run->discarded += (gsize) n_read - keep;
      run_read_output (run);
      return;
    }

  if (n_read < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("%s: reading its output failed: %s", run->name, error->message);
  run->output_done = TRUE;
  run_maybe_finish (run);
}

static void
run_read_output (VigieHooksRunner *run)
{
  g_main_context_push_thread_default (run->context);
  g_input_stream_read_async (run->stdout_pipe, run->buffer, sizeof run->buffer,
                             G_PRIORITY_DEFAULT, run->cancellable,
                             on_output, run_ref (run));
  g_main_context_pop_thread_default (run->context);
}


/**
 * vigie_hooks_runner_start:
 * @job_in: (transfer full): what to run
 * @context: the main context for the run's callbacks and @done
 * @limits: how long it may run, how much output is kept
 * @done: (scope async): called once when the run is over, unless the run is
 *   abandoned first
 * @user_data: data for @done
 * @failure: (out) (transfer full): when the hook cannot start, why, for people
 *
 * Starts @job's command. A hook that cannot start (a command that cannot be
 * read, no pipe, no process) is a failure reported at once, through @failure.
 *
 * Returns: (transfer full) (nullable): the run, or %NULL if it did not start
 */
VigieHooksRunner *
vigie_hooks_runner_start (VigieHooksJob          *job_in,
                          GMainContext           *context,
                          const VigieHooksLimits *limits,
                          VigieHooksRunnerDone    done,
                          gpointer                user_data,
                          char                  **failure)
{
  g_autoptr(VigieHooksJob) job = job_in;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  int input_fds[2] = { -1, -1 };
  const char *identifier;
  char *json;
  VigieHooksRunner *run;

  g_return_val_if_fail (failure != NULL && *failure == NULL, NULL);

  if (job->argv == NULL)
    {
      *failure = g_strdup_printf (_("The hook command “%s” cannot be read: %s"),
                                  job->command, job->parse_error);
      return NULL;
    }

  /* The hook's stdin is a pipe of our own rather than GSubprocess's: its
   * stream would write in blocking mode, and a hook that does not read would
   * then hold the main loop (and the hook's own time-out) for as long as it
   * runs. The launcher takes the read end and closes it once it is freed. */
  if (!g_unix_open_pipe (input_fds, FD_CLOEXEC, &error) ||
      !g_unix_set_fd_nonblocking (input_fds[1], TRUE, &error))
    {
      *failure = g_strdup_printf (_("The hook “%s” could not be started: %s"),
                                  job->argv[0], error->message);
      for (guint i = 0; i < G_N_ELEMENTS (input_fds); i++)
        if (input_fds[i] >= 0)
          g_close (input_fds[i], NULL);
      return NULL;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_take_stdin_fd (launcher, input_fds[0]);
  env = vigie_hooks_event_environ (job->transition);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, g_get_home_dir ());
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) job->argv, &error);
  if (process == NULL)
    {
      g_close (input_fds[1], NULL);
      *failure = g_strdup_printf (_("The hook “%s” could not be started: %s"),
                                  job->argv[0], error->message);
      return NULL;
    }

  run = g_new0 (VigieHooksRunner, 1);
  g_ref_count_init (&run->ref_count);
  run->done = done;
  run->done_data = user_data;
  run->context = g_main_context_ref (context);
  run->name = g_path_get_basename (job->argv[0]);
  run->limits = *limits;
  run->job = g_steal_pointer (&job);
  run->process = g_steal_pointer (&process);
  run->cancellable = g_cancellable_new ();
  run->output = g_string_new (NULL);
  run->stdin_fd = input_fds[1];
  run->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (run->process));
  json = vigie_hooks_event_json (run->job->transition);
  run->input = g_bytes_new_take (json, strlen (json));

  identifier = g_subprocess_get_identifier (run->process);
  if (identifier != NULL)
    run->pid = (pid_t) g_ascii_strtoll (identifier, NULL, 10);

  g_debug ("%s: started for %s (%s -> %s)", run->name, run->job->transition->service_id,
           vigie_state_to_string (run->job->transition->from),
           vigie_state_to_string (run->job->transition->to));

  g_main_context_push_thread_default (run->context);
  g_subprocess_wait_async (run->process, run->cancellable, on_exited, run_ref (run));
  g_main_context_pop_thread_default (run->context);
  run_read_output (run);
  run_write_input (run);
  run->timeout_source = run_add_timeout (run, run->limits.timeout_ms, on_timeout);
  return run;
}

/**
 * vigie_hooks_runner_abandon:
 * @runner: (transfer full): a run that is not over
 *
 * Ends the run without waiting for it, for a #VigieHooks going away: a hook
 * must not outlive its bounds just because Vigie quit, so a process still
 * running gets SIGTERM. @done is not called. Drops the caller's reference.
 */
void
vigie_hooks_runner_abandon (VigieHooksRunner *run)
{
  if (!run->exited)
    run_signal (run, SIGTERM);
  run_close_input (run);
  clear_source (&run->timeout_source);
  clear_source (&run->kill_source);
  clear_source (&run->grace_source);
  g_cancellable_cancel (run->cancellable);
  run->done = NULL;
  run->done_data = NULL;
  vigie_hooks_runner_unref (run);
}
