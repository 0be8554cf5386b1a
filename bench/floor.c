/* floor.c — the floor: the least a GTK 3 tray applet can be.
 *
 * gtk_init, one AppIndicator with a three-item menu, notify_init, the main
 * loop, and nothing else. Any tray applet built on Vigie's stack (GTK 3,
 * libayatana-appindicator, libnotify) pays at least this much memory and
 * start-up time, so the benchmarks read Vigie's figures against it: what
 * Vigie adds above the floor is what its own work costs.
 *
 * Why the comparison is fair: the floor links the same three libraries as
 * Vigie's tray and notifier, registers its item with the same host the same
 * way (StatusNotifierItem, or the XEmbed fallback when no watcher runs), and
 * hands the host the same icon name and icon theme path (argument 1, else
 * $VIGIE_ICON_DIR). It is started under the same Xvfb and session bus.
 *
 * Usage: floor [ICON-THEME-PATH]
 */
#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>
#include <libnotify/notify.h>

static void
on_quit (GtkMenuItem *item,
         gpointer     user_data)
{
  gtk_main_quit ();
}

int
main (int   argc,
      char *argv[])
{
  const char *labels[] = { "Check Now", "Preferences…", "Quit" };
  const char *icon_dir = argc > 1 ? argv[1] : g_getenv ("VIGIE_ICON_DIR");
  AppIndicator *indicator;
  GtkWidget *menu;

  gtk_init (&argc, &argv);
  notify_init ("Floor");

  menu = gtk_menu_new ();
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkWidget *item = gtk_menu_item_new_with_label (labels[i]);

      if (i == G_N_ELEMENTS (labels) - 1)
        g_signal_connect (item, "activate", G_CALLBACK (on_quit), NULL);
      gtk_menu_shell_append (GTK_MENU_SHELL (menu), item);
      gtk_widget_show (item);
    }

  indicator = app_indicator_new ("io.github.vigie.Floor", "vigie-operational",
                                 APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
  if (icon_dir != NULL)
    app_indicator_set_icon_theme_path (indicator, icon_dir);
  app_indicator_set_title (indicator, "Floor");
  app_indicator_set_menu (indicator, GTK_MENU (menu));
  app_indicator_set_status (indicator, APP_INDICATOR_STATUS_ACTIVE);

  gtk_main ();

  g_object_unref (indicator);
  notify_uninit ();
  return 0;
}
