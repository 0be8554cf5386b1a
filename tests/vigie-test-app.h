/* vigie-test-app.h — the applet under test, on the fake desktop: the fixture
 * test-app and test-faults share (a notification daemon and a tray watcher
 * started on the private session bus, the services and the "is it me?"
 * check on loopback stand-ins, a private folder, the built-in catalogue),
 * and the pieces test-windows uses on their own: an application with a name
 * of its own, run in its own main loop from startup to shutdown.
 *
 * Needs a display and the private session bus that ./dev test provides.
 */
#pragma once

#include "vigie-application.h"
#include "vigie-fake-desktop.h"
#include "vigie-test-monitor.h"
#include "vigie-test-server.h"

G_BEGIN_DECLS

/**
 * VigieTestHook:
 * @data: what the caller passed along
 *
 * Test code run at a given moment of an application's life.
 */
typedef void (*VigieTestHook) (gpointer data);

/**
 * VigieTestApplet:
 * @desktop: the fake desktop, its notification daemon and tray watcher started
 * @server: the services' sites, one route `/ID` per service
 * @baseline: the "is it me?" check: `/check` answers 200
 * @tmp: a private folder, removed with all it holds by the tear-down
 * @catalog: the built-in catalogue
 * @config: (nullable): the settings, once the suite has loaded them
 * @history: (nullable): the outage log, once the suite has opened it
 * @app: (nullable): the application of the last vigie_test_applet_run()
 *
 * The applet's world. The suite writes the settings and opens the log,
 * where and when its tests need them.
 */
typedef struct
{
  VigieFakeDesktop *desktop;
  VigieTestServer *server;
  VigieTestServer *baseline;
  char *tmp;
  VigieCatalog *catalog;
  VigieConfig *config;
  VigieHistory *history;
  VigieApplication *app;
} VigieTestApplet;

void              vigie_test_app_init               (int                *argc,
                                                     char             ***argv);
VigieFakeDesktop *vigie_test_desktop_new            (void);
VigieApplication *vigie_test_application_new        (VigieConfig        *config,
                                                     VigieHistory       *history,
                                                     const char         *tag);
void              vigie_test_application_run        (VigieApplication   *app,
                                                     VigieTestHook       on_startup,
                                                     VigieTestHook       on_activate,
                                                     gpointer            data);

void              vigie_test_applet_set_up          (VigieTestApplet    *applet,
                                                     const char         *name);
void              vigie_test_applet_close           (VigieTestApplet    *applet);
void              vigie_test_applet_tear_down       (VigieTestApplet    *applet);
void              vigie_test_applet_set_site        (VigieTestApplet    *applet,
                                                     const char         *id,
                                                     guint               status);
void              vigie_test_applet_append_service  (VigieTestApplet    *applet,
                                                     GString            *settings,
                                                     const char         *id,
                                                     const char         *name,
                                                     const char         *provider);
void              vigie_test_applet_run             (VigieTestApplet    *applet,
                                                     const char         *tag,
                                                     VigieTestHook       on_startup,
                                                     VigieTestHook       on_activate,
                                                     gpointer            data);

VigieFakeNotification *vigie_test_notification      (GPtrArray          *notifications,
                                                     guint               i);
char             *vigie_test_notification_plain_body (const VigieFakeNotification *notification);
gboolean          vigie_test_menu_has               (VigieFakeDesktop   *desktop,
                                                     const char         *prefix);

G_END_DECLS
