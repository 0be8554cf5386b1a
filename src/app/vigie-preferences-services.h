/* vigie-preferences-services.h — the Services page of the preferences.
 *
 * The whole catalog, and the user's own services, by category, each with a
 * check that watches it; a search that does not mind accents; and, when
 * the search names a company with several services, one check that
 * watches all of them ("All Meta services").
 */
#pragma once

#include "vigie-preferences-page.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_PREFERENCES_SERVICES (vigie_preferences_services_get_type ())
G_DECLARE_FINAL_TYPE (VigiePreferencesServices, vigie_preferences_services, VIGIE,
                      PREFERENCES_SERVICES, VigiePreferencesPage)

GtkWidget       *vigie_preferences_services_new   (VigieConfig              *config);
GtkToggleButton *vigie_preferences_services_get_check
                                                 (VigiePreferencesServices *self,
                                                  const char               *service_id);
GtkToggleButton *vigie_preferences_services_get_provider_toggle
                                                 (VigiePreferencesServices *self,
                                                  const char               *provider);

G_END_DECLS
