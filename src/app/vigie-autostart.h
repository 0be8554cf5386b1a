/* vigie-autostart.h — the per-user "start at login" switch.
 *
 * Writes or removes $XDG_CONFIG_HOME/autostart/io.github.vigie.Vigie.desktop
 * (the XDG autostart spec); a started session launches `vigie --autostart`,
 * which waits quietly for the network before the first verdict. Where the
 * package installed an entry for everyone ($XDG_CONFIG_DIRS/autostart),
 * switching off writes a user entry with Hidden=true, which overrides it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *vigie_autostart_path        (void);
gboolean  vigie_autostart_is_enabled  (void);
gboolean  vigie_autostart_set_enabled (gboolean   enabled,
                                       GError   **error);

G_END_DECLS
