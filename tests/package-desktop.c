/* package-desktop.c — the fake desktop for tests/package-test.sh: starts a
 * notification daemon and a StatusNotifier watcher (vigie-fake-desktop) on
 * the session bus, runs the program given (the installed /usr/bin/vigie),
 * waits for its tray item to register, reads the item and its menu as a
 * host would (waiting for the icon of its first verdict: vigie-unknown is
 * "checking"), clicks Quit and waits for the program to exit.
 *
 * Prints what it saw, one "key: value" line each, for the script to check
 * (the icon name must be an installed icon, for instance), and exits 0 only
 * if the item registered with the application id, reached a verdict shown
 * by a Vigie icon from the installed theme, offered Quit, and the program
 * quit cleanly on it.
 * Needs a display and a private session bus:
 *   xvfb-run -a dbus-run-session -- package-desktop /usr/bin/vigie
 */
#include "config.h"

#include "vigie-fake-desktop.h"

#include <stdio.h>

#define REGISTER_TIMEOUT_S 30
#define MENU_TIMEOUT_S     10
#define VERDICT_TIMEOUT_S  60
#define QUIT_TIMEOUT_S     15

static gboolean exited;

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  exited = TRUE;
}

/* Runs the default main context for up to @seconds, until @done says so. */
static gboolean
spin_until (gboolean (*done) (gpointer data),
            gpointer  data,
            guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;

  while (!done (data))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

static gboolean
has_item_or_exited (gpointer data)
{
  g_auto(GStrv) items = vigie_fake_desktop_get_items (data);

  return exited || (items != NULL && items[0] != NULL);
}

static gboolean
has_exited (gpointer data)
{
  return exited;
}

static char *item_string (VigieFakeDesktop *desktop,
                          const char       *name);

static gboolean
has_verdict (gpointer data)
{
  g_autofree char *icon_name = item_string (data, "IconName");

  return exited || g_strcmp0 (icon_name, "vigie-unknown") != 0;
}

static gboolean
menu_has_quit (gpointer data)
{
  g_autoptr(GPtrArray) menu = vigie_fake_desktop_get_menu (data, NULL);

  for (guint i = 0; menu != NULL && i < menu->len; i++)
    {
      VigieFakeMenuEntry *entry = g_ptr_array_index (menu, i);

      if (entry->visible && g_strcmp0 (entry->label, "Quit") == 0)
        return TRUE;
    }
  return FALSE;
}

/* The item's string property @name, or "" when it has none. */
static char *
item_string (VigieFakeDesktop *desktop,
             const char       *name)
{
  g_autoptr(GVariant) value = vigie_fake_desktop_get_item_property (desktop, name, NULL);

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_strdup ("");
  return g_variant_dup_string (value, NULL);
}

static int
fail (GSubprocess *process,
      const char  *message)
{
  printf ("failed: %s\n", message);
  if (process != NULL && !exited)
    g_subprocess_force_exit (process);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieFakeDesktop) desktop = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) menu = NULL;
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree char *id = NULL;
  g_autofree char *icon_name = NULL;
  g_autofree char *theme_path = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) items = NULL;

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s PROGRAM [ARGUMENT...]\n", argv[0]);
      return 2;
    }

  desktop = vigie_fake_desktop_new (&error);
  if (desktop == NULL
      || !vigie_fake_desktop_start_notifications (desktop, &error)
      || !vigie_fake_desktop_start_watcher (desktop, &error))
    {
      printf ("failed: the fake desktop did not start: %s\n", error->message);
      return 1;
    }

  process = g_subprocess_newv ((const char *const *) argv + 1, G_SUBPROCESS_FLAGS_NONE, &error);
  if (process == NULL)
    {
      printf ("failed: %s\n", error->message);
      return 1;
    }
  g_subprocess_wait_async (process, NULL, exited_cb, NULL);

  if (!spin_until (has_item_or_exited, desktop, REGISTER_TIMEOUT_S))
    return fail (process, "no tray item registered");
  if (exited)
    return fail (process, "the program exited before registering a tray item");
  items = vigie_fake_desktop_get_items (desktop);
  printf ("registered: %s\n", items[0]);

  if (!spin_until (has_verdict, desktop, VERDICT_TIMEOUT_S))
    return fail (process, "the icon stayed vigie-unknown: no verdict");
  if (exited)
    return fail (process, "the program exited before Quit");
  id = item_string (desktop, "Id");
  title = item_string (desktop, "Title");
  icon_name = item_string (desktop, "IconName");
  theme_path = item_string (desktop, "IconThemePath");
  printf ("Id: %s\nTitle: %s\nIconName: %s\nIconThemePath: %s\n", id, title, icon_name,
          theme_path);

  if (!spin_until (menu_has_quit, desktop, MENU_TIMEOUT_S))
    return fail (process, "the menu offers no Quit");
  menu = vigie_fake_desktop_get_menu (desktop, &error);
  for (guint i = 0; menu != NULL && i < menu->len; i++)
    {
      VigieFakeMenuEntry *entry = g_ptr_array_index (menu, i);

      if (entry->visible && entry->depth == 1 && entry->label[0] != '\0')
        g_string_append_printf (labels, "%s%s", labels->len > 0 ? " | " : "", entry->label);
    }
  printf ("menu: %s\n", labels->str);

  if (g_strcmp0 (id, APPLICATION_ID) != 0)
    return fail (process, "the item's Id is not the application id " APPLICATION_ID);
  if (!g_str_has_prefix (icon_name, "vigie-"))
    return fail (process, "the item does not show a Vigie icon");
  /* Installed, the icons come from the hicolor theme, not from a folder of
   * their own (that is for running uninstalled, VIGIE_ICON_DIR). */
  if (theme_path[0] != '\0')
    return fail (process, "the item points at an icon folder of its own");

  if (!vigie_fake_desktop_activate_menu_item (desktop, "Quit", &error))
    {
      printf ("failed: clicking Quit: %s\n", error->message);
      return fail (process, "Quit could not be clicked");
    }
  if (!spin_until (has_exited, NULL, QUIT_TIMEOUT_S))
    return fail (process, "the program did not quit on Quit");
  if (!g_subprocess_get_if_exited (process))
    return fail (process, "the program was killed by a signal");
  printf ("exit status: %d\n", g_subprocess_get_exit_status (process));
  if (g_subprocess_get_exit_status (process) != 0)
    return fail (NULL, "the program did not exit cleanly on Quit");
  return 0;
}
