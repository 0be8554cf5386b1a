/* vigie-feed-betterstack.c — Better Stack status pages, `index.json`.
 *
 * Owns the reading of Better Stack's public JSON:API document.
 *
 * Vocabulary:
 *
 *   aggregate_state operational       OPERATIONAL
 *   aggregate_state degraded          MINOR
 *   aggregate_state downtime          MAJOR
 *   aggregate_state maintenance       MAINTENANCE
 *   resource status: the same words
 *
 * included[] elements with attributes.status are resources (name:
 * attributes.public_name). No incidents are read.
 *
 * Filter: selects resources by public_name; aggregate_state ignored; no
 * match: UNKNOWN.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include "vigie-feed-private.h"

static const FeedLevelName betterstack_states[] = {
  { "operational", VIGIE_OFFICIAL_OPERATIONAL },
  { "degraded", VIGIE_OFFICIAL_MINOR },
  { "downtime", VIGIE_OFFICIAL_MAJOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

gboolean
vigie_feed_parse_betterstack (VigieFeedCtx  *ctx,
                              GError       **error)
{
  JsonNode *root = ctx->root;
  JsonObject *object, *data, *attributes = NULL;
  JsonArray *included;
  const char *aggregate = NULL;

  if ((object = feed_root_object (root, error)) == NULL)
    return FALSE;
  if (!feed_get_object (object, "data", "data", &data, error) ||
      !feed_get_array (object, "included", "included", &included, error))
    return FALSE;
  if (data != NULL && !feed_get_object (data, "attributes", "data.attributes", &attributes, error))
    return FALSE;
  if (attributes != NULL &&
      !feed_get_string (attributes, "aggregate_state", "data.attributes.aggregate_state", &aggregate, error))
    return FALSE;

  if (ctx->filter_key == NULL)
    feed_raise_level (ctx->report, FEED_LOOKUP_LEVEL (betterstack_states, aggregate));

  for (guint i = 0; included != NULL && i < json_array_get_length (included); i++)
    {
      JsonObject *resource, *resource_attributes;
      const char *name, *state;

      if (!feed_get_element (included, i, "included", &resource, error))
        return FALSE;
      if (resource == NULL)
        continue;
      if (!feed_get_object (resource, "attributes", "included[].attributes", &resource_attributes, error))
        return FALSE;
      if (!feed_get_string (resource_attributes, "status", "included[].attributes.status", &state, error))
        return FALSE;
      /* Sections and other included things have no status: not resources. */
      if (state == NULL)
        continue;
      name = feed_opt_string (resource_attributes, "public_name");
      if (name == NULL)
        name = feed_opt_string (resource_attributes, "name");
      if (ctx->filter_key != NULL && !feed_ctx_matches (ctx, name))
        continue;
      feed_add_component (ctx, name, state, FEED_LOOKUP_LEVEL (betterstack_states, state));
    }

  return TRUE;
}
