/* bench-desktop.c — the applet on a desktop: memory footprint and start-up,
 * next to the floor and to other tray applets.
 *
 * What it measures, with `footprint`: resident and proportional memory and
 * private dirty pages (/proc/PID/smaps_rollup) of the running applet with 10
 * and 60 loopback services once its first round is done, of the floor
 * (bench/floor.c: the least a GTK 3 + appindicator + libnotify applet can
 * be) and of tray applets from Debian; then where Vigie's private dirty
 * pages lie above the floor's, mapping by mapping (/proc/PID/smaps).
 * With `startup`: the time from exec to the tray item registered on the bus
 * (RegisterStatusNotifierItem received by the watcher), Vigie and the floor
 * in turn, median of the runs.
 *
 * Why the comparison is fair: every program runs alone (one at a time, so
 * none shares pages with another measured one), under the same Xvfb and
 * the same private session bus, with the same hosts — the fake desktop's
 * StatusNotifierWatcher (tests/vigie-fake-desktop.c, in this process) for
 * programs that use appindicator, and trayer, an XEmbed tray, for those that
 * use GtkStatusIcon — with its own empty HOME and XDG folders, the same
 * environment, and the same settling time before it is sampled. Proportional
 * memory (PSS) splits shared pages among every process that maps them, so it
 * depends on the rest of the session: here Xvfb, dbus-daemon, trayer, this
 * program (GLib and GIO only) and a Python loopback server
 * (bench/loopback-server.py, which maps none of Vigie's network libraries).
 * RSS and private dirty do not depend on the rest of the session.
 *
 * Run it under Xvfb and a private session bus, as ./dev bench does:
 *   xvfb-run -a dbus-run-session --config-file=tests/session-bus.conf -- \
 *     _build/bench/bench-desktop [--quick] footprint startup
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "vigie-fake-desktop.h"

/* How ./dev bench runs this program, for the tables' "how to reproduce". */
#define DESKTOP_RUN "xvfb-run -a dbus-run-session --config-file=tests/session-bus.conf --"

/* Issue #8: Vigie's private dirty memory at most this many times the floor's. */
#define TARGET_RATIO 1.3

/* How long to wait for a program to show up, and for it to go away. */
#define READY_TIMEOUT_MS 30000
#define GONE_TIMEOUT_MS 10000

static int settle_s = 10;
static int startup_runs = 10;
static char *work_dir;
static guint16 server_port;
static VigieFakeDesktop *desktop;

typedef struct
{
  const char *label;
  const char *what;          /* package and version, or how it was built */
  GStrv argv;
  GStrv env;                 /* extra variables, KEY=VALUE */
  gboolean sni;              /* uses appindicator: registers with the watcher */
  const char *ready_icon;    /* wait for this IconName (Vigie: first round done) */
} Program;

typedef struct
{
  gboolean ok;
  char *why;                 /* when not ok */
  guint threads;
  guint64 rss_kb;
  guint64 pss_kb;
  guint64 private_dirty_kb;
  GHashTable *by_mapping;    /* name → Private_Dirty kB, when asked for */
} Footprint;

static void
footprint_clear (Footprint *footprint)
{
  g_clear_pointer (&footprint->why, g_free);
  g_clear_pointer (&footprint->by_mapping, g_hash_table_unref);
}

/* ---------------------------------------------------------------------- */
/* Programs                                                               */

/* A fresh, empty home folder under the work folder. */
static char *
new_home (void)
{
  char *home = g_build_filename (work_dir, "home-XXXXXX", NULL);

  return g_mkdtemp (home);
}

static gboolean
wait_for (gboolean (*predicate) (gpointer data),
          gpointer   data,
          guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  /* The fake desktop runs on its own thread: polling its recorded state
   * every millisecond costs nothing and bounds the timing error to 1 ms. */
  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
has_items (gpointer data)
{
  g_auto(GStrv) items = vigie_fake_desktop_get_items (desktop);
  gboolean want = GPOINTER_TO_INT (data);

  return (g_strv_length (items) > 0) == want;
}

static gboolean
icon_is (gpointer data)
{
  g_autoptr(GVariant) value = vigie_fake_desktop_get_item_property (desktop, "IconName", NULL);

  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
         && g_str_equal (g_variant_get_string (value, NULL), data);
}

/* GSubprocess reaps its child on GLib's worker thread and forgets the pid
 * then: no identifier means the process is gone. */
static gboolean
exited (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

/* Each program gets its own empty home, so none reads another's settings. */
static GSubprocess *
spawn (const Program *program,
       const char    *home,
       GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *log = g_build_filename (home, "output.log", NULL);
  const char *dirs[][2] = {
    { "XDG_CONFIG_HOME", "config" }, { "XDG_STATE_HOME", "state" },
    { "XDG_DATA_HOME", "data" }, { "XDG_CACHE_HOME", "cache" },
  };

  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i][1], NULL);
      g_mkdir_with_parents (dir, 0700);
      g_subprocess_launcher_setenv (launcher, dirs[i][0], dir, TRUE);
    }
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  for (guint i = 0; program->env != NULL && program->env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (program->env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/null");
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  return g_subprocess_launcher_spawnv (launcher, (const char *const *) program->argv, error);
}

/* Ends @process and waits until it and its tray item are gone. */
static void
stop (GSubprocess *process)
{
  if (!exited (process))
    {
      g_subprocess_send_signal (process, SIGTERM);
      if (!wait_for (exited, process, GONE_TIMEOUT_MS))
        g_subprocess_force_exit (process);
    }
  g_subprocess_wait (process, NULL, NULL);
  if (!wait_for (has_items, GINT_TO_POINTER (FALSE), GONE_TIMEOUT_MS))
    g_printerr ("bench-desktop: a tray item stayed registered after its program ended\n");
}

static char *
first_line_of_log (const char *home)
{
  g_autofree char *log = g_build_filename (home, "output.log", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return g_strdup ("");
  lines = g_strsplit (text, "\n", 0);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      return g_markup_escape_text (lines[i], MIN (strlen (lines[i]), 100));
  return g_strdup ("");
}

/* ---------------------------------------------------------------------- */
/* /proc                                                                  */

static guint64
field_kb (const char *line,
          const char *name)
{
  gsize length = strlen (name);

  if (strncmp (line, name, length) != 0 || line[length] != ':')
    return G_MAXUINT64;
  return g_ascii_strtoull (line + length + 1, NULL, 10);
}

static gboolean
read_rollup (const char *pid,
             Footprint  *footprint)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/smaps_rollup", pid);
  g_autofree char *status_path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL)
      || !g_file_get_contents (status_path, &status, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 value;

      if ((value = field_kb (lines[i], "Rss")) != G_MAXUINT64)
        footprint->rss_kb = value;
      else if ((value = field_kb (lines[i], "Pss")) != G_MAXUINT64)
        footprint->pss_kb = value;
      else if ((value = field_kb (lines[i], "Private_Dirty")) != G_MAXUINT64)
        footprint->private_dirty_kb = value;
    }
  g_strfreev (lines);
  lines = g_strsplit (status, "\n", 0);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Threads:"))
      footprint->threads = (guint) g_ascii_strtoull (lines[i] + strlen ("Threads:"), NULL, 10);
  return TRUE;
}

typedef struct
{
  guint64 start;
  guint64 end;
  char perms[5];
  char *name;                /* NULL for anonymous */
  guint64 private_dirty_kb;
} Mapping;

static void
mapping_free (Mapping *mapping)
{
  g_free (mapping->name);
  g_free (mapping);
}

/* Names a mapping for the breakdown: a file by its base name; anonymous
 * memory by what glibc uses it for, told apart by shape: a thread's malloc
 * arena starts on a 64 MiB boundary (HEAP_MAX_SIZE) and is followed by the
 * inaccessible rest of its reservation; a thread's stack is a large
 * read-write block right above its guard page. */
static char *
mapping_label (GPtrArray *mappings,
               guint      i)
{
  Mapping *m = g_ptr_array_index (mappings, i);
  Mapping *before = i > 0 ? g_ptr_array_index (mappings, i - 1) : NULL;
  Mapping *after = i + 1 < mappings->len ? g_ptr_array_index (mappings, i + 1) : NULL;
  const guint64 arena = 64 * 1024 * 1024;

  if (m->name != NULL && m->name[0] == '[')
    return g_strdup (m->name);
  if (m->name != NULL)
    {
      g_autofree char *base = g_path_get_basename (m->name);
      char *so = strstr (base, ".so");

      /* libfoo.so.1.2.3 → libfoo.so */
      if (so != NULL)
        so[3] = '\0';
      return g_steal_pointer (&base);
    }
  if (g_str_equal (m->perms, "rw-p") && m->start % arena == 0 && after != NULL
      && after->start == m->end && after->name == NULL && g_str_equal (after->perms, "---p"))
    return g_strdup ("[anonymous: malloc arenas of threads]");
  if (g_str_equal (m->perms, "rw-p") && before != NULL && before->end == m->start
      && before->name == NULL && g_str_equal (before->perms, "---p")
      && before->end - before->start <= 64 * 1024 && m->end - m->start >= 1024 * 1024)
    return g_strdup ("[anonymous: thread stacks]");
  return g_strdup ("[anonymous: other]");
}

static GHashTable *
private_dirty_by_mapping (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/smaps", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) mappings = g_ptr_array_new_with_free_func ((GDestroyNotify) mapping_free);
  GHashTable *totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Mapping *current = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return totals;
  lines = g_strsplit (text, "\n", 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 start, end, value;
      char perms[5];
      int name_at = 0;

      if (sscanf (lines[i], "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x %4s %*s %*s %*s %n",
                  &start, &end, perms, &name_at) == 3)
        {
          current = g_new0 (Mapping, 1);
          current->start = start;
          current->end = end;
          memcpy (current->perms, perms, sizeof perms);
          if (name_at > 0 && lines[i][name_at] != '\0')
            current->name = g_strdup (lines[i] + name_at);
          g_ptr_array_add (mappings, current);
        }
      else if (current != NULL && (value = field_kb (lines[i], "Private_Dirty")) != G_MAXUINT64)
        current->private_dirty_kb = value;
    }

  for (guint i = 0; i < mappings->len; i++)
    {
      Mapping *m = g_ptr_array_index (mappings, i);
      char *label = mapping_label (mappings, i);
      guint64 sum = GPOINTER_TO_SIZE (g_hash_table_lookup (totals, label)) + m->private_dirty_kb;

      g_hash_table_replace (totals, label, GSIZE_TO_POINTER ((gsize) sum));
    }
  return totals;
}

/* Starts @program, waits until it is ready and has settled, samples it,
 * ends it. */
static void
measure (const Program *program,
         gboolean       breakdown,
         Footprint     *footprint)
{
  g_autofree char *home = new_home ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *pid;

  memset (footprint, 0, sizeof *footprint);
  if (g_find_program_in_path (program->argv[0]) == NULL)
    {
      footprint->why = g_strdup_printf ("not installed (%s)", program->argv[0]);
      return;
    }
  process = spawn (program, home, &error);
  if (process == NULL)
    {
      footprint->why = g_strdup (error->message);
      return;
    }
  pid = g_subprocess_get_identifier (process);

  if (program->sni && !wait_for (has_items, GINT_TO_POINTER (TRUE), READY_TIMEOUT_MS))
    footprint->why = g_strdup ("its tray item never registered");
  else if (program->ready_icon != NULL
           && !wait_for (icon_is, (gpointer) program->ready_icon, READY_TIMEOUT_MS))
    footprint->why = g_strdup_printf ("its first round never ended (icon never became %s)",
                                      program->ready_icon);
  else
    {
      g_usleep ((gulong) settle_s * G_USEC_PER_SEC);
      if (exited (process))
        {
          g_autofree char *line = first_line_of_log (home);
          footprint->why = g_strdup_printf ("exited at start-up (status %d): “%s”",
                                            g_subprocess_get_status (process), line);
        }
      else if (!read_rollup (pid, footprint))
        footprint->why = g_strdup ("/proc/PID/smaps_rollup unreadable");
      else
        {
          footprint->ok = TRUE;
          if (breakdown)
            footprint->by_mapping = private_dirty_by_mapping (pid);
        }
    }
  stop (process);
}

/* ---------------------------------------------------------------------- */
/* Vigie's settings                                                       */

/* An empty home with N loopback services watched; one in two has an
 * official Statuspage feed (17 KB). Services and feeds share one host, so
 * Vigie's per-host cap of 4 requests applies: rounds are slower, not
 * heavier. */
static char *
vigie_home (guint n)
{
  g_autofree char *name = g_strdup_printf ("vigie-%u", n);
  char *home = g_build_filename (work_dir, name, NULL);
  g_autofree char *dir = g_build_filename (home, "config", "vigie", NULL);
  g_autofree char *ini = g_build_filename (dir, "vigie.ini", NULL);
  g_autoptr(GString) text = g_string_new ("[General]\nServices=");

  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "svc%u;", i);
  g_string_append_printf (text, "\n[Connectivity]\nURLs=http://127.0.0.1:%u/ok\n", server_port);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (text, "[Service svc%u]\nName=Service %u\nSite=http://127.0.0.1:%u"
                                    "/ok?svc=%u\n", i, i, server_port, i);
      if (i % 2 == 0)
        g_string_append_printf (text, "Feed=statuspage:http://127.0.0.1:%u/summary.json?svc=%u\n",
                                server_port, i);
    }
  g_file_set_contents (ini, text->str, -1, NULL);
  return home;
}

/* The program's environment for Vigie: HOME and XDG folders point at the
 * prepared home (spawn() sets them again for the others). */
static GStrv
vigie_env (const char *home)
{
  g_autofree char *text = g_strdup_printf ("VIGIE_ICON_DIR=%s/icons\nXDG_CONFIG_HOME=%s/config\n"
                                           "XDG_STATE_HOME=%s/state", VIGIE_SOURCE_DIR, home, home);

  return g_strsplit (text, "\n", -1);
}

static char *
package_version (const char *package)
{
  const char *argv[] = { "dpkg-query", "-W", "-f=${Version}", package, NULL };
  g_autofree char *out = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, NULL) || out == NULL || *out == '\0')
    return g_strdup (package);
  return g_strdup_printf ("%s %s", package, out);
}

/* ---------------------------------------------------------------------- */
/* Sections                                                               */

static gint64
difference (GHashTable **tables,
            const char  *name)
{
  return (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (tables[0], name))
         - (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (tables[1], name));
}

/* Largest differences first, either way. */
static int
compare_difference (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  gint64 da = ABS (difference (user_data, *(char **) a));
  gint64 db = ABS (difference (user_data, *(char **) b));

  return da < db ? 1 : da > db ? -1 : g_strcmp0 (*(char **) a, *(char **) b);
}

static void
print_breakdown (const char *label,
                 GHashTable *vigie,
                 GHashTable *floor)
{
  GHashTable *tables[2] = { vigie, floor };
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  gint64 rest_vigie = 0, rest_floor = 0;

  for (guint t = 0; t < 2; t++)
    {
      g_hash_table_iter_init (&iter, tables[t]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_hash_table_add (seen, key))
          g_ptr_array_add (names, key);
    }
  g_ptr_array_sort_with_data (names, compare_difference, tables);

  g_print ("Where the private dirty memory of %s differs from the floor's, by mapping "
           "(`/proc/PID/smaps`; libraries by file, anonymous memory by shape), largest "
           "differences first:\n\n", label);
  g_print ("| mapping | %s | floor | difference |\n|---|---:|---:|---:|\n", label);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gint64 v = (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (vigie, name));
      gint64 f = (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (floor, name));

      if (i < 14 && ABS (v - f) >= 8)
        g_print ("| %s | %" G_GINT64_FORMAT " kB | %" G_GINT64_FORMAT " kB | %+" G_GINT64_FORMAT
                 " kB |\n", name, v, f, v - f);
      else
        {
          rest_vigie += v;
          rest_floor += f;
        }
    }
  g_print ("| everything else | %" G_GINT64_FORMAT " kB | %" G_GINT64_FORMAT " kB | %+"
           G_GINT64_FORMAT " kB |\n\n", rest_vigie, rest_floor, rest_vigie - rest_floor);
}

static void
section_footprint (const Program *floor_program,
                   const Program *vigie10,
                   const Program *vigie60,
                   const Program *vigie60_one_arena,
                   const Program *peers,
                   guint          n_peers)
{
  const Program *rows[16] = { floor_program, vigie10, vigie60, vigie60_one_arena };
  Footprint results[16] = { { 0 } };
  guint n_rows = 4;
  double floor_dirty = 0;

  for (guint i = 0; i < n_peers && n_rows < G_N_ELEMENTS (rows); i++)
    rows[n_rows++] = &peers[i];
  for (guint i = 0; i < n_rows; i++)
    {
      g_printerr ("bench-desktop: footprint of %s\n", rows[i]->label);
      measure (rows[i], i <= 2, &results[i]);
    }
  if (results[0].ok)
    floor_dirty = (double) results[0].private_dirty_kb;

  g_print ("## Memory footprint, next to the floor and other tray applets\n\n");
  g_print ("Measured with `%s _build/bench/bench-desktop footprint` (as `./dev bench` runs "
           "it: Xvfb and a private session bus): each program alone, %d s after it is ready (its "
           "tray item registered; for Vigie, its first round done; for XEmbed applets, started), "
           "from `/proc/PID/smaps_rollup`. Hosts: the fake desktop's StatusNotifierWatcher for "
           "appindicator programs, trayer (XEmbed) for GtkStatusIcon ones. Vigie's services are "
           "loopback stand-ins, one in two with a 17 KB Statuspage feed.\n\n", DESKTOP_RUN,
           settle_s);
  g_print ("| program | tray | threads | RSS | PSS | private dirty | private dirty ÷ floor |\n");
  g_print ("|---|---|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < n_rows; i++)
    {
      Footprint *r = &results[i];

      if (!r->ok)
        {
          g_print ("| %s (%s) | %s | — | — | — | — | not measured: %s |\n", rows[i]->label,
                   rows[i]->what, rows[i]->sni ? "SNI" : "XEmbed", r->why);
          continue;
        }
      g_print ("| %s (%s) | %s | %u | %.1f MiB | %.1f MiB | %.1f MiB | %s%.2f×%s |\n",
               rows[i]->label, rows[i]->what, rows[i]->sni ? "SNI" : "XEmbed", r->threads,
               r->rss_kb / 1024.0, r->pss_kb / 1024.0, r->private_dirty_kb / 1024.0,
               i == 1 || i == 2 ? "**" : "",
               floor_dirty > 0 ? r->private_dirty_kb / floor_dirty : 0,
               i == 1 || i == 2 ? "**" : "");
    }
  g_print ("\nThe peers run as they can here: nm-applet without NetworkManager (no system bus), "
           "cbatticon without a battery, volumeicon without a sound card; each keeps its tray "
           "icon and main loop, so this is their idle floor, not their working size.\n\n");

  if (results[0].ok && results[1].ok && results[2].ok)
    {
      double target = TARGET_RATIO * floor_dirty;
      double worst = MAX (results[1].private_dirty_kb, results[2].private_dirty_kb);

      g_print ("Target: Vigie's private dirty memory ≤ %.1f× the floor's (%.1f MiB). %s: "
               "%.2f× with 10 services, %.2f× with 60 (%+.1f MiB over the target). Each of the "
               "50 services added costs %.0f kB.\n\n", TARGET_RATIO, target / 1024.0,
               worst <= target ? "Met" : "**Not met**",
               results[1].private_dirty_kb / floor_dirty, results[2].private_dirty_kb / floor_dirty,
               (worst - target) / 1024.0,
               ((double) results[2].private_dirty_kb - (double) results[1].private_dirty_kb) / 50);
      print_breakdown ("Vigie (60 services)", results[2].by_mapping, results[0].by_mapping);
    }
  for (guint i = 0; i < n_rows; i++)
    footprint_clear (&results[i]);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* exec → RegisterStatusNotifierItem received, in ms; < 0 on failure. */
static double
time_startup (const Program *program)
{
  g_autofree char *home = new_home ();
  g_autoptr(GSubprocess) process = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms = -1;

  process = spawn (program, home, NULL);
  if (process == NULL)
    return -1;
  if (wait_for (has_items, GINT_TO_POINTER (TRUE), READY_TIMEOUT_MS))
    ms = (g_get_monotonic_time () - start) / 1000.0;
  stop (process);
  return ms;
}

static void
section_startup (const Program *floor_program,
                 const Program *vigie10)
{
  const Program *programs[2] = { floor_program, vigie10 };
  GArray *times[2] = { g_array_new (FALSE, FALSE, sizeof (double)),
                       g_array_new (FALSE, FALSE, sizeof (double)) };
  double medians[2] = { 0, 0 };

  g_printerr ("bench-desktop: start-up, %d runs each\n", startup_runs);
  for (int run = 0; run < startup_runs; run++)
    for (guint k = 0; k < 2; k++)
      {
        /* In turn, and in alternating order, so drift in the machine's load
         * falls on both alike. */
        guint p = (run % 2 == 0) ? k : 1 - k;
        double ms = time_startup (programs[p]);

        if (ms >= 0)
          g_array_append_val (times[p], ms);
      }

  g_print ("## Start-up: exec to tray item registered\n\n");
  g_print ("Measured with `%s _build/bench/bench-desktop startup`: from just before exec "
           "to the RegisterStatusNotifierItem call reaching the fake desktop's watcher on the "
           "private bus; Vigie with 10 loopback services, the floor and Vigie in turn, %d runs "
           "each.\n\n", DESKTOP_RUN, startup_runs);
  g_print ("| program | median | fastest | slowest | runs | ÷ floor (median) |\n");
  g_print ("|---|---:|---:|---:|---:|---:|\n");
  for (guint p = 0; p < 2; p++)
    {
      GArray *t = times[p];

      if (t->len == 0)
        {
          g_print ("| %s | — | — | — | 0 | never registered |\n", programs[p]->label);
          continue;
        }
      g_array_sort (t, compare_double);
      medians[p] = t->len % 2 ? g_array_index (t, double, t->len / 2)
                              : (g_array_index (t, double, t->len / 2 - 1)
                                 + g_array_index (t, double, t->len / 2)) / 2;
      g_print ("| %s | %.0f ms | %.0f ms | %.0f ms | %u | %s%.2f×%s |\n", programs[p]->label,
               medians[p], g_array_index (t, double, 0), g_array_index (t, double, t->len - 1),
               t->len, p ? "**" : "", medians[0] > 0 ? medians[p] / medians[0] : 0, p ? "**" : "");
    }
  g_print ("\n");
  g_array_unref (times[0]);
  g_array_unref (times[1]);
}

/* ---------------------------------------------------------------------- */

/* Copies @path into the work folder, executable; returns the copy's path. */
static char *
snapshot (const char  *path,
          GError     **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *copy = g_build_filename (work_dir, base, NULL);
  g_autoptr(GFile) from = g_file_new_for_path (path);
  g_autoptr(GFile) to = g_file_new_for_path (copy);

  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error)
      || g_chmod (copy, 0755) != 0)
    return NULL;
  return g_steal_pointer (&copy);
}

static GSubprocess *
start_helper (const char *const *argv,
              GSubprocessFlags   flags,
              GError           **error)
{
  return g_subprocess_newv (argv, flags, error);
}

int
main (int   argc,
      char *argv[])
{
  gboolean quick = FALSE;
  const GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "shorter settling, fewer runs", NULL },
    { "settle", 0, 0, G_OPTION_ARG_INT, &settle_s, "seconds before sampling (10)", "S" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &startup_runs, "start-up runs per program (10)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[footprint] [startup]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GSubprocess) tray = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  g_autofree char *port_line = NULL;
  g_autofree char *server_script = g_build_filename (VIGIE_SOURCE_DIR, "bench",
                                                     "loopback-server.py", NULL);
  g_autofree char *home10 = NULL;
  g_autofree char *home60 = NULL;
  g_auto(GStrv) env10 = NULL;
  g_auto(GStrv) env60 = NULL;
  g_auto(GStrv) env60_one_arena = NULL;
  g_autofree char *icon_env = g_strdup_printf ("VIGIE_ICON_DIR=%s/icons", VIGIE_SOURCE_DIR);
  g_autofree char *vigie_copy = NULL;
  g_autofree char *floor_copy = NULL;
  char *vigie_argv[] = { NULL, NULL };
  char *floor_argv[] = { NULL, NULL };
  char *floor_env[] = { icon_env, NULL };
  char *nm_argv[] = { "nm-applet", "--indicator", NULL };
  char *cbatticon_argv[] = { "cbatticon", NULL };
  char *volumeicon_argv[] = { "volumeicon", NULL };
  char *parcellite_argv[] = { "parcellite", NULL };
  g_autofree char *nm_what = package_version ("network-manager-gnome");
  g_autofree char *cbatticon_what = package_version ("cbatticon");
  g_autofree char *volumeicon_what = package_version ("volumeicon-alsa");
  g_autofree char *parcellite_what = package_version ("parcellite");
  gboolean do_footprint = FALSE, do_startup = FALSE;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-desktop: %s\n", error->message);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      do_footprint |= g_str_equal (argv[i], "footprint");
      do_startup |= g_str_equal (argv[i], "startup");
    }
  if (argc == 1)
    do_footprint = do_startup = TRUE;
  if (quick)
    {
      settle_s = MIN (settle_s, 3);
      startup_runs = MIN (startup_runs, 5);
    }
  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("bench-desktop: needs an X display and a private session bus; "
                  "run it through ./dev bench\n");
      return 2;
    }

  work_dir = g_dir_make_tmp ("vigie-bench-XXXXXX", &error);
  /* Run copies: a rebuild of the tree during the run (the machine is shared)
   * must not swap the binary under a measured process. */
  vigie_copy = snapshot (VIGIE_BINARY, &error);
  floor_copy = vigie_copy != NULL ? snapshot (FLOOR_BINARY, &error) : NULL;
  if (floor_copy == NULL)
    {
      g_printerr ("bench-desktop: %s\n", error->message);
      return 1;
    }
  vigie_argv[0] = vigie_copy;
  floor_argv[0] = floor_copy;
  desktop = vigie_fake_desktop_new (&error);
  if (desktop == NULL || !vigie_fake_desktop_start_notifications (desktop, &error)
      || !vigie_fake_desktop_start_watcher (desktop, &error))
    {
      g_printerr ("bench-desktop: the fake desktop: %s\n", error->message);
      return 1;
    }

  {
    const char *server_argv[] = { "python3", server_script, NULL };
    server = start_helper (server_argv,
                           G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
    if (server == NULL)
      {
        g_printerr ("bench-desktop: the loopback server: %s\n", error->message);
        return 1;
      }
    server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
    port_line = g_data_input_stream_read_line (server_out, NULL, NULL, &error);
    if (port_line == NULL)
      {
        g_printerr ("bench-desktop: the loopback server did not start\n");
        return 1;
      }
    server_port = (guint16) g_ascii_strtoull (port_line, NULL, 10);
  }

  /* An XEmbed tray for the GtkStatusIcon applets, there for every program. */
  if (g_find_program_in_path ("trayer") != NULL)
    {
      const char *tray_argv[] = { "trayer", "--edge", "top", "--align", "right",
                                  "--widthtype", "request", "--height", "24", NULL };
      tray = start_helper (tray_argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                      | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
      g_usleep (G_USEC_PER_SEC / 2);
    }

  home10 = vigie_home (10);
  home60 = vigie_home (60);
  env10 = vigie_env (home10);
  env60 = vigie_env (home60);
  /* The same, with glibc's malloc held to one arena: shows how much of the
   * difference is memory freed by worker threads but kept in their arenas. */
  {
    guint n = g_strv_length (env60);

    env60_one_arena = g_new0 (char *, n + 2);
    for (guint i = 0; i < n; i++)
      env60_one_arena[i] = g_strdup (env60[i]);
    env60_one_arena[n] = g_strdup ("MALLOC_ARENA_MAX=1");
  }
  {
    const Program floor_program = { "floor", "bench/floor.c", floor_argv, floor_env, TRUE, NULL };
    const Program vigie10 = { "Vigie, 10 services", "this tree", vigie_argv, env10, TRUE,
                              "vigie-operational" };
    const Program vigie60 = { "Vigie, 60 services", "this tree", vigie_argv, env60, TRUE,
                              "vigie-operational" };
    const Program vigie60_one_arena = { "Vigie, 60 services, MALLOC_ARENA_MAX=1",
                                        "diagnosis only", vigie_argv, env60_one_arena, TRUE,
                                        "vigie-operational" };
    const Program peers[] = {
      { "nm-applet --indicator", nm_what, nm_argv, NULL, TRUE, NULL },
      { "cbatticon", cbatticon_what, cbatticon_argv, NULL, FALSE, NULL },
      { "volumeicon", volumeicon_what, volumeicon_argv, NULL, FALSE, NULL },
      { "parcellite", parcellite_what, parcellite_argv, NULL, FALSE, NULL },
    };

    /* The first GTK 3 program on a new X server probes OpenGL (libGL, the
     * Mesa driver, LLVM: some 8 MiB of private dirty pages) to choose its
     * visuals, and caches the answer on the root window (GDK_VISUALS) for
     * every later one. On a real desktop someone paid that long ago: a
     * warm-up run of the floor pays it here, so no measured program does. */
    {
      Footprint warm_up;
      int settle = settle_s;

      g_printerr ("bench-desktop: warm-up run of the floor\n");
      settle_s = 0;
      measure (&floor_program, FALSE, &warm_up);
      settle_s = settle;
      footprint_clear (&warm_up);
    }
    if (do_footprint)
      section_footprint (&floor_program, &vigie10, &vigie60, &vigie60_one_arena, peers,
                         G_N_ELEMENTS (peers));
    if (do_startup)
      section_startup (&floor_program, &vigie10);
  }

  if (tray != NULL)
    g_subprocess_send_signal (tray, SIGTERM);
  g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, NULL);
  g_subprocess_wait (server, NULL, NULL);
  vigie_fake_desktop_free (desktop);
  {
    const char *rm_argv[] = { "rm", "-rf", work_dir, NULL };
    g_spawn_sync (NULL, (char **) rm_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  NULL, NULL);
  }
  return 0;
}
