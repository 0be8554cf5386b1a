/* vigie-hooks.c — runs the user's OnChange command, one event at a time;
 * the contract is in the header.
 *
 * Each queued event is a Job: the command as it was when the event happened
 * (so changing the command applies to the next event) and a copy of the
 * transition. One Job at a time becomes a Run: the process, its stdin
 * writer, its output reader and its timers. A Run ends when the process
 * has exited *and* its output pipe is closed, with a short grace for
 * output held open by something it left running in the background. Every
 * asynchronous operation holds a reference on its Run, so a Run outlives
 * its VigieHooks when that is disposed mid-hook; Run.hooks is then NULL and
 * late callbacks only drop their reference.
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

#include "vigie-hooks.h"
#include "vigie-json-writer.h"

/* Environment strings longer than MAX_ARG_STRLEN (128 KiB) make execve()
 * fail with E2BIG, and remote text (incident titles) can be long; 8 KiB
 * is plenty for a shell script, and stdin has the whole text. */
#define MAX_ENV_VALUE (8 * 1024)

/* How long output may stay open after the hook itself has exited: a
 * background process it started can keep the pipe open for ever, and the
 * next event must not wait for it. */
#define OUTPUT_GRACE_MS 500

#define READ_CHUNK (16 * 1024)

typedef struct
{
  char *command;        /* as configured, to name it in messages */
  char **argv;          /* NULL when the command could not be read */
  char *parse_error;    /* why, when argv is NULL */
  VigieTransition *transition;
} Job;

typedef struct
{
  grefcount ref_count;
  VigieHooks *hooks;    /* not a reference; NULL once the run is over */
  Job *job;
  char *name;           /* basename of argv[0], prefixes the log lines */
  guint timeout_ms;

  GSubprocess *process;
  pid_t pid;            /* also its process group id, 0 if unknown */
  GCancellable *cancellable;

  int stdin_fd;         /* our end of the hook's stdin, non-blocking; -1 once closed */
  GBytes *input;
  gsize input_written;
  GSource *stdin_source;

  GInputStream *stdout_pipe;
  guint8 buffer[READ_CHUNK];
  GString *output;      /* at most VIGIE_HOOKS_MAX_OUTPUT bytes */
  guint64 discarded;

  GSource *timeout_source;
  GSource *kill_source;
  GSource *grace_source;

  gboolean exited;
  gboolean wait_failed;
  gboolean output_done;
  gboolean timed_out;
} Run;

struct _VigieHooks
{
  GObject parent_instance;

  GMainContext *context;

  char *command;        /* NULL: hooks are off */
  char **argv;          /* NULL with a command: it could not be read */
  char *parse_error;
  guint timeout_ms;

  GQueue pending;       /* Job*, oldest first */
  Run *current;
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

/* ---- jobs ---------------------------------------------------------------- */

static void
job_free (Job *job)
{
  g_free (job->command);
  g_strfreev (job->argv);
  g_free (job->parse_error);
  vigie_transition_free (job->transition);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

/* ---- the event ----------------------------------------------------------- */

/* Local time with an explicit offset, "+00:00" rather than "Z" in UTC, so
 * scripts can rely on one format. */
static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  if (time == NULL)
    return NULL;
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

static gint64
duration_seconds (const VigieTransition *transition)
{
  return MAX (transition->at - transition->since, 0) / G_USEC_PER_SEC;
}

static char *
event_json (const VigieTransition *transition)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();
  g_autofree char *at = format_time (transition->at);
  g_autofree char *since = NULL;

  if (transition->since > 0)
    since = format_time (transition->since);

  vigie_json_writer_begin_object (writer);
  vigie_json_writer_key (writer, "version");
  vigie_json_writer_int (writer, 1);
  vigie_json_writer_member_string (writer, "event",
                                   vigie_transition_kind_to_string (transition->kind));
  vigie_json_writer_member_string (writer, "service_id", transition->service_id);
  vigie_json_writer_member_string (writer, "service_name", transition->service_name);
  vigie_json_writer_member_string (writer, "provider", transition->provider);
  vigie_json_writer_member_string (writer, "from", vigie_state_to_string (transition->from));
  vigie_json_writer_member_string (writer, "to", vigie_state_to_string (transition->to));
  vigie_json_writer_member_string (writer, "at", at);
  vigie_json_writer_member_string (writer, "since", since);
  vigie_json_writer_key (writer, "duration_seconds");
  if (since != NULL)
    vigie_json_writer_int (writer, duration_seconds (transition));
  else
    vigie_json_writer_null (writer);
  vigie_json_writer_member_string (writer, "layer", vigie_layer_to_string (transition->layer));
  vigie_json_writer_key (writer, "http_status");
  vigie_json_writer_int (writer, transition->http_status);
  vigie_json_writer_member_string (writer, "official",
                                   vigie_official_level_to_string (transition->official));
  vigie_json_writer_member_string (writer, "reason", transition->reason);
  vigie_json_writer_member_string (writer, "incident_title", transition->incident_title);
  vigie_json_writer_member_string (writer, "incident_url", transition->incident_url);
  vigie_json_writer_end_object (writer);

  return vigie_json_writer_steal (writer);
}

static char **
setenv_capped (char       **env,
               const char  *name,
               const char  *value)
{
  gsize length = value != NULL ? strlen (value) : 0;
  g_autofree char *cut = NULL;

  if (length > MAX_ENV_VALUE)
    {
      /* Cut on a character boundary, not inside a UTF-8 sequence. */
      length = MAX_ENV_VALUE;
      while (length > 0 && ((guchar) value[length] & 0xC0) == 0x80)
        length--;
      value = cut = g_strndup (value, length);
    }
  return g_environ_setenv (env, name, value != NULL ? value : "", TRUE);
}

/* The user's environment plus the event. Every VIGIE_ variable is set, so
 * one left over in the user's own environment cannot pose as the event's. */
static char **
event_environ (const VigieTransition *transition)
{
  char **env = g_get_environ ();
  g_autofree char *at = format_time (transition->at);
  g_autofree char *since = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *http_status = g_strdup_printf ("%u", transition->http_status);

  if (transition->since > 0)
    {
      since = format_time (transition->since);
      duration = g_strdup_printf ("%" G_GINT64_FORMAT, duration_seconds (transition));
    }

  env = setenv_capped (env, "VIGIE_EVENT", vigie_transition_kind_to_string (transition->kind));
  env = setenv_capped (env, "VIGIE_SERVICE_ID", transition->service_id);
  env = setenv_capped (env, "VIGIE_SERVICE_NAME", transition->service_name);
  env = setenv_capped (env, "VIGIE_PROVIDER", transition->provider);
  env = setenv_capped (env, "VIGIE_FROM", vigie_state_to_string (transition->from));
  env = setenv_capped (env, "VIGIE_TO", vigie_state_to_string (transition->to));
  env = setenv_capped (env, "VIGIE_AT", at);
  env = setenv_capped (env, "VIGIE_SINCE", since);
  env = setenv_capped (env, "VIGIE_DURATION_SECONDS", duration);
  env = setenv_capped (env, "VIGIE_LAYER", vigie_layer_to_string (transition->layer));
  env = setenv_capped (env, "VIGIE_HTTP_STATUS", http_status);
  env = setenv_capped (env, "VIGIE_OFFICIAL",
                       vigie_official_level_to_string (transition->official));
  env = setenv_capped (env, "VIGIE_REASON", transition->reason);
  env = setenv_capped (env, "VIGIE_INCIDENT_TITLE", transition->incident_title);
  env = setenv_capped (env, "VIGIE_INCIDENT_URL", transition->incident_url);
  return env;
}

/* ---- runs ---------------------------------------------------------------- */

static Run *
run_ref (Run *run)
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
run_close_input (Run *run)
{
  clear_source (&run->stdin_source);
  if (run->stdin_fd >= 0)
    g_close (g_steal_fd (&run->stdin_fd), NULL);
}

static void
run_unref (Run *run)
{
  if (!g_ref_count_dec (&run->ref_count))
    return;

  g_assert (run->hooks == NULL);
  run_close_input (run);
  clear_source (&run->timeout_source);
  clear_source (&run->kill_source);
  clear_source (&run->grace_source);
  g_clear_object (&run->stdout_pipe);
  g_clear_object (&run->process);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->input, g_bytes_unref);
  g_string_free (run->output, TRUE);
  g_clear_pointer (&run->job, job_free);
  g_free (run->name);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_unref)

static GSource *
run_add_timeout (Run         *run,
                 guint        interval_ms,
                 GSourceFunc  func)
{
  GSource *source = g_timeout_source_new (interval_ms);

  /* No reference: the Run destroys its timers before it goes. */
  g_source_set_callback (source, func, run, NULL);
  g_source_set_static_name (source, "[vigie] hook timer");
  g_source_attach (source, run->hooks->context);
  return source;
}

/* Signals the hook's whole process group, so that what it started (a
 * `curl` under `sh -c`) stops with it; falls back on the process alone
 * if it could not get a group of its own. */
static void
run_signal (Run *run,
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

static void run_write_input (Run *run);

static gboolean
on_stdin_ready (int           fd,
                GIOCondition  condition,
                gpointer      user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->stdin_source, g_source_unref);
  if (run->hooks != NULL)
    run_write_input (run);
  return G_SOURCE_REMOVE;
}

/* Writes as much of the event as the pipe takes without blocking, and
 * waits for room for the rest on the hooks' main context; a hook that does
 * not read its input is fine (it is dropped when the hook ends). */
static void
run_write_input (Run *run)
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
                                     run_ref (run), (GDestroyNotify) run_unref);
              g_source_set_static_name (run->stdin_source, "[vigie] hook input");
              g_source_attach (run->stdin_source, run->hooks->context);
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
run_log_output (Run *run)
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
run_failure (Run *run)
{
  const char *command = run->job->argv[0];

  if (run->timed_out)
    return timeout_message (command, run->timeout_ms);
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

static void
run_finish (Run *run)
{
  g_autoptr(VigieHooks) self = g_object_ref (run->hooks);
  g_autofree char *failure = NULL;

  run_close_input (run);
  clear_source (&run->timeout_source);
  clear_source (&run->kill_source);
  clear_source (&run->grace_source);
  g_cancellable_cancel (run->cancellable);

  run_log_output (run);
  failure = run_failure (run);
  g_debug ("%s: finished%s", run->name, failure != NULL ? " with a failure" : "");

  run->hooks = NULL;
  g_assert (self->current == run);
  g_clear_pointer (&self->current, run_unref);

  report (self, g_steal_pointer (&failure));
  pump (self);
}

static void
run_maybe_finish (Run *run)
{
  if (run->exited && run->output_done)
    run_finish (run);
}

static gboolean
on_grace_over (gpointer user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->grace_source, g_source_unref);
  g_debug ("%s: exited, but its output is still open; no longer reading it", run->name);
  /* The reader sees G_IO_ERROR_CANCELLED and marks the output done. */
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
run_start_grace (Run *run)
{
  if (!run->output_done && run->grace_source == NULL)
    run->grace_source = run_add_timeout (run, OUTPUT_GRACE_MS, on_grace_over);
}

static gboolean
on_kill_due (gpointer user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->kill_source, g_source_unref);
  g_debug ("%s: still running %d ms after SIGTERM; sending SIGKILL",
           run->name, VIGIE_HOOKS_KILL_DELAY_MS);
  run_signal (run, SIGKILL);
  if (run->exited)
    run_start_grace (run);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->timeout_source, g_source_unref);
  g_debug ("%s: still running after %u ms; sending SIGTERM", run->name, run->timeout_ms);
  run->timed_out = TRUE;
  run_signal (run, SIGTERM);
  run->kill_source = run_add_timeout (run, VIGIE_HOOKS_KILL_DELAY_MS, on_kill_due);
  return G_SOURCE_REMOVE;
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  g_autoptr(GError) error = NULL;

  gboolean waited = g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error);

  if (run->hooks == NULL)
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

static void run_read_output (Run *run);

static void
on_output (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  g_autoptr(GError) error = NULL;
  gssize n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (run->hooks == NULL)
    return;

  if (n_read > 0)
    {
      /* Keep the head, count the rest: a chatty hook costs reading time,
       * never memory. */
      gsize keep = MIN ((gsize) n_read, VIGIE_HOOKS_MAX_OUTPUT - run->output->len);

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
run_read_output (Run *run)
{
  g_main_context_push_thread_default (run->hooks->context);
  g_input_stream_read_async (run->stdout_pipe, run->buffer, sizeof run->buffer,
                             G_PRIORITY_DEFAULT, run->cancellable,
                             on_output, run_ref (run));
  g_main_context_pop_thread_default (run->hooks->context);
}

/* Starts @job (taking it); a hook that cannot start is a failure reported
 * at once. Returns whether it is running. */
static gboolean
start_job (VigieHooks *self,
           Job        *job_in)
{
  g_autoptr(Job) job = job_in;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  int input_fds[2] = { -1, -1 };
  const char *identifier;
  char *json;
  Run *run;

  if (job->argv == NULL)
    {
      report (self, g_strdup_printf (_("The hook command “%s” cannot be read: %s"),
                                     job->command, job->parse_error));
      return FALSE;
    }

  /* The hook's stdin is a pipe of our own rather than GSubprocess's: its
   * stream would write in blocking mode, and a hook that does not read would
   * then hold the main loop (and the hook's own time-out) for as long as it
   * runs. The launcher takes the read end and closes it once it is freed. */
  if (!g_unix_open_pipe (input_fds, FD_CLOEXEC, &error) ||
      !g_unix_set_fd_nonblocking (input_fds[1], TRUE, &error))
    {
      report (self, g_strdup_printf (_("The hook “%s” could not be started: %s"),
                                     job->argv[0], error->message));
      for (guint i = 0; i < G_N_ELEMENTS (input_fds); i++)
        if (input_fds[i] >= 0)
          g_close (input_fds[i], NULL);
      return FALSE;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_take_stdin_fd (launcher, input_fds[0]);
  env = event_environ (job->transition);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, g_get_home_dir ());
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) job->argv, &error);
  if (process == NULL)
    {
      g_close (input_fds[1], NULL);
      report (self, g_strdup_printf (_("The hook “%s” could not be started: %s"),
                                     job->argv[0], error->message));
      return FALSE;
    }

  run = g_new0 (Run, 1);
  g_ref_count_init (&run->ref_count);
  run->hooks = self;
  run->name = g_path_get_basename (job->argv[0]);
  run->timeout_ms = self->timeout_ms;
  run->job = g_steal_pointer (&job);
  run->process = g_steal_pointer (&process);
  run->cancellable = g_cancellable_new ();
  run->output = g_string_new (NULL);
  run->stdin_fd = input_fds[1];
  run->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (run->process));
  json = event_json (run->job->transition);
  run->input = g_bytes_new_take (json, strlen (json));

  identifier = g_subprocess_get_identifier (run->process);
  if (identifier != NULL)
    run->pid = (pid_t) g_ascii_strtoll (identifier, NULL, 10);

  self->current = run;
  g_debug ("%s: started for %s (%s -> %s)", run->name, run->job->transition->service_id,
           vigie_state_to_string (run->job->transition->from),
           vigie_state_to_string (run->job->transition->to));

  g_main_context_push_thread_default (self->context);
  g_subprocess_wait_async (run->process, run->cancellable, on_exited, run_ref (run));
  g_main_context_pop_thread_default (self->context);
  run_read_output (run);
  run_write_input (run);
  run->timeout_source = run_add_timeout (run, run->timeout_ms, on_timeout);
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

  clear_source (&self->pump_source);
  g_queue_clear_full (&self->pending, (GDestroyNotify) job_free);

  if (self->current != NULL)
    {
      Run *run = g_steal_pointer (&self->current);

      /* A hook must not outlive its bounds just because Vigie quit. */
      if (!run->exited)
        run_signal (run, SIGTERM);
      run_close_input (run);
      clear_source (&run->timeout_source);
      clear_source (&run->kill_source);
      clear_source (&run->grace_source);
      g_cancellable_cancel (run->cancellable);
      run->hooks = NULL;
      run_unref (run);
    }

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
  Job *job;

  g_return_if_fail (VIGIE_IS_HOOKS (self));
  g_return_if_fail (transition != NULL);

  if (self->command == NULL)
    return;

  job = g_new0 (Job, 1);
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
      job_free (g_queue_pop_head (&self->pending));
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
