/* main.c — entry point. The command-line modes run without GTK or a display;
 * everything else starts the applet. */
#define G_LOG_DOMAIN "vigie"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "vigie-application.h"
#include "vigie-cli.h"
#include "vigie-config.h"
#include "vigie-http.h"

typedef struct
{
  gboolean version;
  gboolean list_services;
  gboolean check;
  gboolean watch;
  gboolean summary;
  gboolean history;
  gboolean csv;
  gboolean json;
  gboolean autostart;
  char *since;
  GStrv ids;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->ids, g_strfreev);
  g_clear_pointer (&options->since, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static void
report_config_problems (VigieConfig *config)
{
  GPtrArray *problems = vigie_config_get_problems (config);

  for (guint i = 0; i < problems->len; i++)
    g_printerr (_("vigie: settings: %s\n"), (const char *) g_ptr_array_index (problems, i));
}

/* Loads the catalog and settings. A broken settings file is not fatal: the
 * defaults apply and the user is told where the copy of the file is. */
static VigieConfig *
load_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieCatalog) catalog = vigie_catalog_new_builtin (&error);
  g_autoptr(VigieConfig) config = NULL;

  if (catalog == NULL)
    {
      /* The catalog is compiled in: failing here is a packaging bug. */
      g_printerr (_("vigie: the built-in service catalog is broken: %s\n"), error->message);
      return NULL;
    }

  config = vigie_config_new (catalog, NULL);
  if (!vigie_config_load (config, &error))
    g_printerr (_("vigie: settings: %s\n"), error->message);
  report_config_problems (config);
  return g_steal_pointer (&config);
}

/* The applet. Its options were parsed above; GApplication sees none. */
static int
run_applet (VigieConfig *config,
            gboolean     autostart,
            const char  *program)
{
  g_autofree char *history_path = vigie_history_default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieHistory) history = vigie_history_open (history_path, &error);
  g_autoptr(VigieApplication) application = NULL;
  char *argv[] = { (char *) program, NULL };

  /* Without the log, Vigie still watches; it says so. */
  if (history == NULL)
    g_printerr (_("vigie: the outage log %s cannot be used: %s\n"), history_path,
                error->message);
  application = vigie_application_new (config, history, NULL, autostart);
  return g_application_run (G_APPLICATION (application), 1, argv);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigieConfig) config = NULL;
  g_auto(Options) options = { 0 };
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Print the version and exit"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &options.check,
      N_("Check the watched services (or the IDs given) once, print the verdicts and exit"),
      NULL },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &options.watch,
      N_("Watch in the terminal: one line per change as it happens, until Ctrl+C"), NULL },
    { "summary", 0, 0, G_OPTION_ARG_NONE, &options.summary,
      N_("Check once and print the ready-to-paste status summary"), NULL },
    { "history", 0, 0, G_OPTION_ARG_NONE, &options.history,
      N_("Print the outage log"), NULL },
    { "since", 0, 0, G_OPTION_ARG_STRING, &options.since,
      N_("With --history: how far back (24h, 7d, 30d or a date such as 2021-10-04; "
         "default 7d)"), N_("WHEN") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &options.csv,
      N_("With --history: print CSV (RFC 4180) for a spreadsheet"), NULL },
    { "list-services", 0, 0, G_OPTION_ARG_NONE, &options.list_services,
      N_("List the services Vigie can watch (* marks the watched ones)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("Print machine-readable JSON instead of a table"), NULL },
    { "autostart", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &options.autostart,
      N_("Started by the session at login: wait quietly for the network"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.ids, NULL, NULL },
    { NULL },
  };

  setlocale (LC_ALL, "");
  /* Run uninstalled (./dev run, the tests), the catalogues are in the build tree. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VIGIE_LOCALEDIR") ? g_getenv ("VIGIE_LOCALEDIR")
                                                                : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Translators: the arguments --check takes, shown by --help */
  context = g_option_context_new (_("[--check [ID…]]"));
  g_option_context_set_summary (context,
                                _("Vigie tells you, from the system tray, when the online "
                                  "services you depend on are down — and whether it is "
                                  "them or your own connection."));
  g_option_context_set_description (context,
                                    _("Exit status: 0 all operational, 1 degraded or "
                                      "maintenance, 2 at least one service down, 3 can't "
                                      "tell (offline) or a usage or settings error.\n"
                                      "Settings: $XDG_CONFIG_HOME/vigie/vigie.ini"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      /* Translators: "vigie: " then GLib's own message about the command line */
      g_printerr (_("vigie: %s\n"), error->message);
      g_printerr (_("Try “vigie --help”.\n"));
      return VIGIE_EXIT_UNKNOWN;
    }
  if (options.ids != NULL && !options.check)
    {
      g_printerr (_("vigie: unexpected argument “%s”\n"), options.ids[0]);
      g_printerr (_("Try “vigie --help”.\n"));
      return VIGIE_EXIT_UNKNOWN;
    }

  if (options.version)
    {
      g_print ("vigie %s\n", PACKAGE_VERSION);
      return VIGIE_EXIT_OK;
    }
  if (options.check + options.watch + options.summary + options.history + options.list_services
      > 1)
    {
      g_printerr (_("vigie: choose one of --check, --watch, --summary, --history and "
                    "--list-services\n"));
      return VIGIE_EXIT_UNKNOWN;
    }
  if (options.json && !options.list_services && !options.check && !options.history)
    {
      g_printerr (_("vigie: --json goes with --check, --history or --list-services\n"));
      return VIGIE_EXIT_UNKNOWN;
    }
  if ((options.csv || options.since) && !options.history)
    {
      g_printerr (_("vigie: --csv and --since go with --history\n"));
      return VIGIE_EXIT_UNKNOWN;
    }
  if (options.csv && options.json)
    {
      g_printerr (_("vigie: choose one of --csv and --json\n"));
      return VIGIE_EXIT_UNKNOWN;
    }
  if (options.history)
    return vigie_cli_history (options.since, options.csv, options.json);

  /* libcurl's global state must exist before any thread does. */
  vigie_http_global_init ();

  config = load_config ();
  if (config == NULL)
    return VIGIE_EXIT_UNKNOWN;

  if (options.list_services)
    return vigie_cli_list_services (config, options.json);
  if (options.check)
    return vigie_cli_check (config, (const char *const *) options.ids, options.json);
  if (options.watch)
    return vigie_cli_watch (config);
  if (options.summary)
    return vigie_cli_summary (config);
  return run_applet (config, options.autostart, argv[0]);
}
