/* vigie-service.h — one watched service: a catalog entry or a custom one.
 *
 * A VigieService is immutable once built and reference-counted, so the same
 * instance can be handed to the probe's worker thread without copying.
 */
#pragma once

#include <glib-object.h>

#include "vigie-feeds.h"

G_BEGIN_DECLS

#define VIGIE_SERVICE_ERROR (vigie_service_error_quark ())

typedef enum
{
  VIGIE_SERVICE_ERROR_MISSING_KEY,
  VIGIE_SERVICE_ERROR_INVALID_ID,
  VIGIE_SERVICE_ERROR_INVALID_URL,
  VIGIE_SERVICE_ERROR_INVALID_FEED,
  VIGIE_SERVICE_ERROR_INVALID_CATEGORY,
} VigieServiceError;

/**
 * VigieServiceOrigin:
 * @VIGIE_SERVICE_CATALOG: from the built-in catalog: every URL must be https
 * @VIGIE_SERVICE_CUSTOM: a `[Service ID]` group of the user's settings: may also
 *   use plain `http://` (intranets, loopback) and `host:port` for a TCP check
 */
typedef enum
{
  VIGIE_SERVICE_CATALOG,
  VIGIE_SERVICE_CUSTOM,
} VigieServiceOrigin;

typedef struct _VigieService VigieService;

/**
 * VigieService:
 * @id: stable identifier (`[a-z0-9-]+`), the name used in settings
 * @name: display name
 * @provider: the family users think of ("Meta", "Google"); never %NULL
 * @category: one of vigie_service_categories()
 * @site: the front door the active probe requests
 * @status_page: (nullable): the vendor's human status page
 * @feed_kind: format of @feed_url, %VIGIE_FEED_NONE if there is none
 * @feed_url: (nullable): machine-readable official status
 * @feed_filter: (nullable): component or product name to select in a shared feed
 * @downdetector: (nullable): the crowd-report page for this service
 * @note: (nullable): one sentence worth knowing (why there is no feed, ...)
 * @origin: where the entry comes from
 *
 * All fields are read-only.
 */
struct _VigieService
{
  char *id;
  char *name;
  char *provider;
  char *category;
  char *site;
  char *status_page;
  VigieFeedKind feed_kind;
  char *feed_url;
  char *feed_filter;
  char *downdetector;
  char *note;
  VigieServiceOrigin origin;
};

GQuark              vigie_service_error_quark    (void);
GType               vigie_service_get_type       (void) G_GNUC_CONST;
#define VIGIE_TYPE_SERVICE (vigie_service_get_type ())

VigieService       *vigie_service_new_from_key_file (GKeyFile           *key_file,
                                                     const char         *group,
                                                     VigieServiceOrigin  origin,
                                                     GError            **error);
VigieService       *vigie_service_new_from_key_file_full (GKeyFile           *key_file,
                                                          const char         *group,
                                                          VigieServiceOrigin  origin,
                                                          const char        **bad_key,
                                                          GError            **error);
VigieService       *vigie_service_ref            (VigieService *service);
void                vigie_service_unref          (VigieService *service);

gboolean            vigie_service_id_is_valid    (const char *id);
const char *const  *vigie_service_categories     (void);
gboolean            vigie_service_category_is_known (const char *category);
const char         *vigie_service_category_label (const char *category);
gboolean            vigie_service_check_url      (const char         *url,
                                                  VigieServiceOrigin  origin,
                                                  GError            **error);
char               *vigie_service_group_id       (const char *group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieService, vigie_service_unref)

G_END_DECLS
