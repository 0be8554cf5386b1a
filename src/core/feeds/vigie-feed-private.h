/* vigie-feed-private.h — what the format parsers share, and nobody else uses.
 *
 * The parsing state, the report builders every format fills its report
 * with, the text cleaning every stored string goes through
 * (vigie-feed-text.c) and the JSON guards: the pre-scan that refuses a
 * hostile document before json-glib sees it, and the getters that tell a
 * structural member of the wrong type (an error) from a descriptive one
 * (read as absent) (vigie-feed-json.c).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vigie-feed-format.h"

G_BEGIN_DECLS

struct _VigieFeedCtx
{
  const VigieFeedFormat *format;
  const char            *text;        /* the body, valid UTF-8, no NUL */
  gsize                  len;
  JsonNode              *root;        /* JSON formats: the document; else NULL */
  char                  *filter_key;  /* casefolded filter, or NULL for none */
  gint64                 now;
  VigieFeedReport       *report;
};

/* Report building (vigie-feeds.c) */
gboolean            feed_ctx_matches         (VigieFeedCtx       *ctx,
                                              const char         *name);
void                feed_raise_level         (VigieFeedReport    *report,
                                              VigieOfficialLevel  level);
VigieOfficialLevel  feed_open_incident_level (VigieOfficialLevel  impact_level);
void                feed_add_component       (VigieFeedCtx       *ctx,
                                              const char         *name,
                                              const char         *status,
                                              VigieOfficialLevel  level);
VigieFeedIncident  *feed_incident_new        (const char         *title,
                                              const char         *status,
                                              const char         *impact,
                                              VigieOfficialLevel  level);
void                feed_add_incident        (VigieFeedCtx       *ctx,
                                              VigieFeedIncident  *incident);

/* Text and time (vigie-feed-text.c) */
char     *feed_clean_text      (const char        *raw,
                                gsize              max_chars);
char     *feed_clean_word      (const char        *raw);
char     *feed_clean_url       (const char        *raw);
gboolean  feed_is_web_scheme   (const char        *scheme);
char     *feed_name_key        (const char        *name);
gboolean  feed_has_word        (const char        *text,
                                const char *const *words);
gboolean  feed_contains_nocase (const char        *haystack,
                                const char        *needle);
char     *feed_html_to_text    (const char        *html);
char     *feed_squeeze_spaces  (const char        *text);
gint64    feed_parse_iso8601   (const char        *str);
gint64    feed_parse_rfc822    (const char        *str);
gint64    feed_parse_any_time  (const char        *str);

/* JSON (vigie-feed-json.c) */

/* One row of a format's vocabulary: the publisher's word, Vigie's level. */
typedef struct
{
  const char         *name;
  VigieOfficialLevel  level;
} FeedLevelName;

VigieOfficialLevel  feed_lookup_level (const FeedLevelName *table,
                                       gsize                n_entries,
                                       const char          *value);
#define FEED_LOOKUP_LEVEL(table, value) feed_lookup_level ((table), G_N_ELEMENTS (table), (value))

gboolean     feed_json_check     (const guint8   *data,
                                  gsize           len,
                                  GError        **error);
JsonParser  *feed_json_load      (const char     *text,
                                  gsize           len,
                                  GError        **error);

gboolean     feed_is_string      (JsonNode       *node);
gboolean     feed_wrong_type     (GError        **error,
                                  const char     *path,
                                  JsonNode       *node,
                                  const char     *expected);
JsonNode    *feed_member         (JsonObject     *object,
                                  const char     *name);
gboolean     feed_get_object     (JsonObject     *object,
                                  const char     *name,
                                  const char     *path,
                                  JsonObject    **out,
                                  GError        **error);
gboolean     feed_get_array      (JsonObject     *object,
                                  const char     *name,
                                  const char     *path,
                                  JsonArray     **out,
                                  GError        **error);
gboolean     feed_get_string     (JsonObject     *object,
                                  const char     *name,
                                  const char     *path,
                                  const char    **out,
                                  GError        **error);
gboolean     feed_get_element    (JsonArray      *array,
                                  guint           index_,
                                  const char     *array_path,
                                  JsonObject    **out,
                                  GError        **error);
const char  *feed_opt_string     (JsonObject     *object,
                                  const char     *name);
JsonObject  *feed_opt_object     (JsonObject     *object,
                                  const char     *name);
JsonArray   *feed_opt_array      (JsonObject     *object,
                                  const char     *name);
gboolean     feed_opt_bool       (JsonObject     *object,
                                  const char     *name);
JsonObject  *feed_root_object    (JsonNode       *root,
                                  GError        **error);
char        *feed_newest_body    (JsonArray         *updates,
                                  const char        *body_key,
                                  const char *const *time_keys);

/* Statuspage's summary.json, read with a format's own words
 * (vigie-feed-statuspage.c); incident.io serves the same shape. */
typedef struct
{
  const FeedLevelName *indicators;
  gsize                n_indicators;
  const FeedLevelName *components;
  gsize                n_components;
  const FeedLevelName *impacts;
  gsize                n_impacts;
} FeedStatuspageWords;

gboolean feed_statuspage_parse (VigieFeedCtx               *ctx,
                                const FeedStatuspageWords  *words,
                                GError                    **error);

/* The parsers, one per file, listed in the table of vigie-feed-formats.c. */
gboolean vigie_feed_parse_statuspage  (VigieFeedCtx *ctx, GError **error);
gboolean vigie_feed_parse_incidentio  (VigieFeedCtx *ctx, GError **error);
gboolean vigie_feed_parse_instatus    (VigieFeedCtx *ctx, GError **error);
gboolean vigie_feed_parse_betterstack (VigieFeedCtx *ctx, GError **error);
gboolean vigie_feed_parse_slack       (VigieFeedCtx *ctx, GError **error);
gboolean vigie_feed_parse_google      (VigieFeedCtx *ctx, GError **error);
gboolean vigie_feed_parse_rss         (VigieFeedCtx *ctx, GError **error);

G_END_DECLS
