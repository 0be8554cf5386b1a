/* vigie-test-util.h — what every test suite needs and no suite owns:
 * private folders (made, pointed at by XDG_*, removed with all they hold)
 * and waits that spin the default main context until a condition holds or
 * a deadline passes.
 *
 * GLib only. Call these from the thread that runs the default
 * GMainContext (the test's main thread). The wait_for macros fail the test,
 * like g_assert(), naming the caller's file and line and what was awaited.
 */
#pragma once

#include <stdarg.h>

#include <glib.h>

G_BEGIN_DECLS

/**
 * VigieTestCondition:
 * @data: what the caller passed along
 *
 * Returns: whether what a wait is waiting for has happened
 */
typedef gboolean (*VigieTestCondition) (gpointer data);

/**
 * VigieTestRun:
 * @out: what the program printed on its standard output
 * @err: on its standard error
 * @status: its exit status
 *
 * A finished run of one of the project's programs.
 */
typedef struct
{
  char *out;
  char *err;
  int status;
} VigieTestRun;

void      vigie_test_run_clear      (VigieTestRun       *run);
void      vigie_test_run_argv       (VigieTestRun       *run,
                                     const char *const  *argv,
                                     const char *const  *envp);
void      vigie_test_run_valist     (VigieTestRun       *run,
                                     const char *const  *envp,
                                     const char         *program,
                                     const char         *first_arg,
                                     va_list             args);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VigieTestRun, vigie_test_run_clear)

char     *vigie_test_make_tmp_dir   (const char         *tmpl);
void      vigie_test_remove_tree    (const char         *path);
char     *vigie_test_private_home   (const char         *name);

void      vigie_test_spin           (guint               ms);
gboolean  vigie_test_wait_until     (VigieTestCondition  done,
                                     gpointer            data,
                                     guint               timeout_ms);
void      vigie_test_wait_for_at    (const char         *file,
                                     int                 line,
                                     const char         *func,
                                     const char         *what,
                                     VigieTestCondition  done,
                                     gpointer            data,
                                     guint               timeout_ms);
void      vigie_test_fail_at        (const char         *file,
                                     int                 line,
                                     const char         *func,
                                     const char         *format,
                                     ...) G_GNUC_PRINTF (4, 5) G_ANALYZER_NORETURN;

/**
 * vigie_test_wait_for:
 * @done: a #VigieTestCondition
 * @data: passed to @done
 * @timeout_ms: how long to wait at most
 *
 * Spins the default main context until @done (@data) holds; fails the test
 * at the caller's line, naming @done, if it does not within @timeout_ms.
 */
#define vigie_test_wait_for(done, data, timeout_ms) \
  vigie_test_wait_for_at (__FILE__, __LINE__, G_STRFUNC, #done, (done), (data), (timeout_ms))

G_END_DECLS
