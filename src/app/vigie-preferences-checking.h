/* vigie-preferences-checking.h — the Checking page of the preferences.
 *
 * How often and how patiently Vigie checks (interval, retry, thresholds,
 * timeout), the worst-case detection time they give, and the "is it me?"
 * addresses that tell whether the user's own connection works. A retry
 * never waits longer than the interval.
 */
#pragma once

#include "vigie-preferences-page.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_PREFERENCES_CHECKING (vigie_preferences_checking_get_type ())
G_DECLARE_FINAL_TYPE (VigiePreferencesChecking, vigie_preferences_checking, VIGIE,
                      PREFERENCES_CHECKING, VigiePreferencesPage)

GtkWidget     *vigie_preferences_checking_new      (VigieConfig              *config);
GtkSpinButton *vigie_preferences_checking_get_spin (VigiePreferencesChecking *self,
                                                    VigieSetting              setting);

G_END_DECLS
