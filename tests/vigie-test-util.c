/* vigie-test-util.c — private folders and main-loop waits for the tests;
 * see the header. */
#define G_LOG_DOMAIN "vigie-test"

#include "config.h"

#include <glib/gstdio.h>

#include <sys/wait.h>

#include "vigie-test-util.h"

/* How often a wait looks at its condition even when nothing on the main
 * context wakes it: conditions may be changed by other threads (the fake
 * desktop's, the HTTP worker's), which do not wake this context. */
#define TICK_MS 10

/**
 * vigie_test_make_tmp_dir:
 * @tmpl: a g_dir_make_tmp() template, such as "vigie-app-XXXXXX"
 *
 * Returns: (transfer full): the path of a new private folder; the test
 *   fails if there can be none
 */
char *
vigie_test_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return path;
}

/**
 * vigie_test_remove_tree:
 * @path: (nullable): a folder
 *
 * Removes @path and everything below it. Symbolic links are removed, never
 * followed: a test may point one at a folder it does not own.
 */
void
vigie_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        vigie_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

void
vigie_test_run_clear (VigieTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/**
 * vigie_test_run_argv:
 * @run: where to put what the program did
 * @argv: the program and its arguments
 * @envp: (nullable): its whole environment; %NULL for this process's
 *
 * Runs a program to its end, which must be an exit (not a signal), and
 * logs what it printed with the test's messages.
 */
void
vigie_test_run_argv (VigieTestRun      *run,
                     const char *const *argv,
                     const char *const *envp)
{
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_DEFAULT, NULL, NULL, &run->out,
                &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

/**
 * vigie_test_run_valist:
 * @run: where to put what the program did
 * @envp: (nullable): its whole environment; %NULL for this process's
 * @program: the program's path (not %NULL: the test fails otherwise)
 * @first_arg: (nullable): its first argument
 * @args: the other arguments, then %NULL
 *
 * vigie_test_run_argv() with the arguments of a variadic test helper.
 */
void
vigie_test_run_valist (VigieTestRun      *run,
                       const char *const *envp,
                       const char        *program,
                       const char        *first_arg,
                       va_list            args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (char *) program);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);
  vigie_test_run_argv (run, (const char *const *) argv->pdata, envp);
}

/**
 * vigie_test_private_home:
 * @name: the suite's name, for the folder's name ("app")
 *
 * Makes a private folder and points XDG_CONFIG_HOME (at its "config"
 * subfolder), XDG_STATE_HOME and XDG_CACHE_HOME at it, so that settings,
 * the outage log and autostart entries never touch the user's, and
 * XDG_CONFIG_DIRS at its "sysconfig" subfolder only, so that an autostart
 * entry a Vigie package installed in /etc/xdg on this machine changes
 * nothing the tests see. The system's data folders stay: GTK needs the MIME
 * database and icon themes (which G_TEST_OPTION_ISOLATE_DIRS would hide).
 * Call it before anything reads those variables.
 *
 * Returns: (transfer full): the folder, for vigie_test_remove_tree() once
 *   the tests have run
 */
char *
vigie_test_private_home (const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("vigie-%s-home-XXXXXX", name);
  char *home = vigie_test_make_tmp_dir (tmpl);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);
  g_autofree char *config_dirs = g_build_filename (home, "sysconfig", NULL);

  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  g_setenv ("XDG_STATE_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  return home;
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/**
 * vigie_test_wait_until:
 * @done: the condition
 * @data: passed to @done
 * @timeout_ms: how long to wait at most
 *
 * Spins the default main context until @done (@data) holds or @timeout_ms
 * have passed, whichever comes first.
 *
 * Returns: what @done says at the end
 */
gboolean
vigie_test_wait_until (VigieTestCondition  done,
                       gpointer            data,
                       guint               timeout_ms)
{
  gboolean expired = FALSE;
  guint deadline = g_timeout_add (timeout_ms, on_deadline, &expired);
  guint tick = g_timeout_add (TICK_MS, on_tick, NULL);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline);
  g_source_remove (tick);
  return done (data);
}

/**
 * vigie_test_spin:
 * @ms: how long
 *
 * Lets the default main context run for @ms, whatever happens.
 */
void
vigie_test_spin (guint ms)
{
  vigie_test_wait_until (never, NULL, ms);
}

/**
 * vigie_test_fail_at:
 * @file: the caller's file
 * @line: the caller's line
 * @func: the caller's function
 * @format: what went wrong, printf-style
 * @...: its arguments
 *
 * Fails the test as a failed g_assert() at @file:@line would, with the
 * message given.
 */
void
vigie_test_fail_at (const char *file,
                    int         line,
                    const char *func,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

/**
 * vigie_test_wait_for_at:
 * @file: the caller's file
 * @line: the caller's line
 * @func: the caller's function
 * @what: what is awaited, for the message
 * @done: the condition
 * @data: passed to @done
 * @timeout_ms: how long to wait at most
 *
 * vigie_test_wait_until(), failing the test if @done does not hold in time.
 * Use it through the vigie_test_wait_for() macro.
 */
void
vigie_test_wait_for_at (const char         *file,
                        int                 line,
                        const char         *func,
                        const char         *what,
                        VigieTestCondition  done,
                        gpointer            data,
                        guint               timeout_ms)
{
  if (!vigie_test_wait_until (done, data, timeout_ms))
    vigie_test_fail_at (file, line, func, "gave up waiting for %s after %u ms", what, timeout_ms);
}
