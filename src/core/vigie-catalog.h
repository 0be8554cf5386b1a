/* vigie-catalog.h — the built-in list of services Vigie knows how to watch.
 *
 * The catalog is data (data/services.ini) compiled into the program's
 * GResource; custom services from the settings file are not part of it.
 */
#pragma once

#include <glib-object.h>

#include "vigie-service.h"

G_BEGIN_DECLS

#define VIGIE_TYPE_CATALOG (vigie_catalog_get_type ())
G_DECLARE_FINAL_TYPE (VigieCatalog, vigie_catalog, VIGIE, CATALOG, GObject)

VigieCatalog    *vigie_catalog_new_builtin   (GError       **error);
VigieCatalog    *vigie_catalog_new_from_data (const char    *data,
                                              gsize          length,
                                              const char    *source_name,
                                              GError       **error);
VigieService    *vigie_catalog_lookup        (VigieCatalog  *self,
                                              const char    *id);
GPtrArray       *vigie_catalog_get_services  (VigieCatalog  *self);
const char      *vigie_catalog_suggest       (VigieCatalog  *self,
                                              const char    *id);

G_END_DECLS
