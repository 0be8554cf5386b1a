/* vigie-preferences-custom.h — the Your Services page of the preferences.
 *
 * The user's own `[Service ID]` groups in a list, each with Edit and
 * Remove, and the editor that adds or changes one: name, id (derived from
 * the name until typed), address, and an optional status page whose
 * machine-readable feed Vigie detects before it saves. Input that would not
 * be valid is refused under its field and nothing is saved; a service
 * added is watched at once.
 */
#pragma once

#include "vigie-preferences-page.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_PREFERENCES_CUSTOM (vigie_preferences_custom_get_type ())
G_DECLARE_FINAL_TYPE (VigiePreferencesCustom, vigie_preferences_custom, VIGIE, PREFERENCES_CUSTOM,
                      VigiePreferencesPage)

GtkWidget *vigie_preferences_custom_new           (VigieConfig            *config);
gboolean   vigie_preferences_custom_is_detecting  (VigiePreferencesCustom *self);

G_END_DECLS
