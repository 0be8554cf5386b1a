/* vigie-preferences-general.h — the General page of the preferences.
 *
 * Start at login, the command run on every change (applied when asked,
 * never half-typed), and where the settings are saved.
 */
#pragma once

#include "vigie-preferences-page.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_PREFERENCES_GENERAL (vigie_preferences_general_get_type ())
G_DECLARE_FINAL_TYPE (VigiePreferencesGeneral, vigie_preferences_general, VIGIE,
                      PREFERENCES_GENERAL, VigiePreferencesPage)

GtkWidget *vigie_preferences_general_new (VigieConfig *config);

G_END_DECLS
