/* vigie-preferences-page.h — what every page of the preferences shares.
 *
 * A page is a #GtkBox holding one stack page of #VigiePreferences, built
 * from its own template. It edits the #VigieConfig given at construction,
 * saves at once, and follows the config's "changed" signal through its
 * sync() method, so that a change made elsewhere shows at once. A page
 * does not own the window's message bar: it emits
 * #VigiePreferencesPage::problem and the window shows or hides the bar.
 */
#pragma once

#include <gtk/gtk.h>

#include "vigie-config.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_PREFERENCES_PAGE (vigie_preferences_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (VigiePreferencesPage, vigie_preferences_page, VIGIE, PREFERENCES_PAGE,
                          GtkBox)

struct _VigiePreferencesPageClass
{
  GtkBoxClass parent_class;

  /* Brings the page's widgets in line with the settings. */
  void (*sync) (VigiePreferencesPage *self);
};

VigieConfig *vigie_preferences_page_get_config      (VigiePreferencesPage *self);
void         vigie_preferences_page_save            (VigiePreferencesPage *self);
void         vigie_preferences_page_show_problem    (VigiePreferencesPage *self,
                                                     const char           *message);
void         vigie_preferences_page_set_watched     (VigiePreferencesPage *self,
                                                     const char *const    *ids,
                                                     gboolean              watched);
gboolean     vigie_preferences_page_custom_changed  (VigiePreferencesPage *self,
                                                     GPtrArray            *shown);

/* Helpers for the pages' widgets. */
void         vigie_preferences_page_set_field_error (GtkLabel             *label,
                                                     GtkWidget            *field,
                                                     const char           *message);
char        *vigie_preferences_page_normalise       (const char           *text);
char        *vigie_preferences_page_entry_text      (GtkEntry             *entry);
GtkWidget   *vigie_preferences_page_icon_button_new (const char           *icon_name,
                                                     const char           *description);

G_END_DECLS
