/* vigie-feed-betterstack.c — Better Stack status pages, `index.json`.
 *
 * Owns the reading of Better Stack's public JSON:API document: the page's
 * aggregate state, its resources (what a page lists, each with a status)
 * and its status reports (incidents and maintenances, with their updates).
 * Whether a report is current depends on its times against "now": the
 * table marks this format clock-dependent.
 *
 * Vocabulary. Sources: Better Stack's documentation of the page's JSON,
 * https://betterstack.com/docs/uptime/status-pages/subscribing-to-status-updates/subscribing-to-api
 * ("Aggregate state values", resources, status reports), and of status
 * reports, https://betterstack.com/docs/uptime/api/status-page-reports-api-response-params
 * (report_type manual, automatic or maintenance; starts_at, ends_at;
 * affected_resources with a status each; aggregate_state Operational,
 * Maintenance, Downtime or Degraded).
 *
 *   publisher's word                  Vigie          why
 *   aggregate_state operational       OPERATIONAL
 *   aggregate_state degraded          MINOR
 *   aggregate_state downtime          MAJOR          the page's monitors are down
 *   aggregate_state maintenance       MAINTENANCE
 *   resource status: the same four words
 *   resource status not_monitored     (no evidence)  the resource is listed without
 *                                                    a monitor: not counted, not shown
 *   report aggregate_state: the same four words, and resolved: closed
 *   report_type maintenance           MAINTENANCE    unless its state says worse
 *   report_type manual, automatic     its state; an open report is at least MINOR
 *
 * A report is current when it is not resolved (nor operational), "now" is
 * past starts_at and before ends_at (when set: an open incident has none).
 * Its latest_update is the newest of the status updates it links to.
 *
 * Filter: selects resources by public_name; the aggregate state is then
 * ignored. Keeps the reports whose affected_resources name a selected
 * resource (their level is then the worst status given to those), or that
 * name none. No resource matched and nothing kept: UNKNOWN.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

static const FeedLevelName betterstack_states[] = {
  { "operational", VIGIE_OFFICIAL_OPERATIONAL },
  { "degraded", VIGIE_OFFICIAL_MINOR },
  { "downtime", VIGIE_OFFICIAL_MAJOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

/* JSON:API ids are strings, but a hand-made page may write numbers. */
static const char *
node_id (JsonNode *node,
         char      buf[32])
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (feed_is_string (node))
    return json_node_get_string (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_snprintf (buf, 32, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return buf;
    }
  return NULL;
}

/* The message of the newest status update @report links to. */
static char *
report_latest_update (JsonObject *report,
                      GHashTable *updates,
                      gint64     *out_time)
{
  JsonObject *relationships = feed_opt_object (report, "relationships");
  JsonArray *links = feed_opt_array (feed_opt_object (relationships, "status_updates"), "data");
  const char *best = NULL;
  gint64 best_time = G_MININT64;

  for (guint i = 0; links != NULL && i < json_array_get_length (links); i++)
    {
      JsonNode *link = json_array_get_element (links, i);
      JsonObject *update, *attributes;
      const char *message;
      char buf[32];
      const char *id;
      gint64 t;

      if (!JSON_NODE_HOLDS_OBJECT (link))
        continue;
      id = node_id (feed_member (json_node_get_object (link), "id"), buf);
      update = id != NULL ? g_hash_table_lookup (updates, id) : NULL;
      attributes = feed_opt_object (update, "attributes");
      message = feed_opt_string (attributes, "message");
      if (message == NULL)
        continue;
      t = feed_parse_iso8601 (feed_opt_string (attributes, "published_at"));
      if (best == NULL || t > best_time)
        {
          best = message;
          best_time = t;
        }
    }
  *out_time = best != NULL ? best_time : 0;
  return feed_clean_text (best, VIGIE_FEED_MAX_UPDATE_CHARS);
}

/* Whether @attributes' report concerns the filtered service, and the
 * worst status it gives the selected resources (UNKNOWN if none said). */
static gboolean
report_concerns (JsonObject         *attributes,
                 GHashTable         *selected_ids,
                 VigieOfficialLevel *out_level)
{
  JsonArray *affected = feed_opt_array (attributes, "affected_resources");
  gboolean concerns = FALSE;
  guint n;

  *out_level = VIGIE_OFFICIAL_UNKNOWN;
  if (affected == NULL || (n = json_array_get_length (affected)) == 0)
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (affected, i);
      JsonObject *resource;
      char buf[32];
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      resource = json_node_get_object (node);
      id = node_id (feed_member (resource, "status_page_resource_id"), buf);
      if (id == NULL || !g_hash_table_contains (selected_ids, id))
        continue;
      concerns = TRUE;
      *out_level = MAX (*out_level, FEED_LOOKUP_LEVEL (betterstack_states,
                                                      feed_opt_string (resource, "status")));
    }
  return concerns;
}

static gboolean
read_report (VigieFeedCtx  *ctx,
             JsonObject    *report,
             GHashTable    *updates,
             GHashTable    *selected_ids,
             GError       **error)
{
  JsonObject *attributes;
  VigieFeedIncident *incident;
  VigieOfficialLevel level;
  const char *state, *type, *starts, *ends;
  gint64 start_time, end_time, update_time;

  if (!feed_get_object (report, "attributes", "included[].attributes", &attributes, error) ||
      !feed_get_string (attributes, "aggregate_state", "included[].attributes.aggregate_state",
                        &state, error))
    return FALSE;
  if (attributes == NULL ||
      (state != NULL && (g_ascii_strcasecmp (state, "resolved") == 0 ||
                         g_ascii_strcasecmp (state, "operational") == 0)))
    return TRUE;

  starts = feed_opt_string (attributes, "starts_at");
  ends = feed_opt_string (attributes, "ends_at");
  start_time = feed_parse_iso8601 (starts);
  if (start_time > ctx->now)
    return TRUE;  /* announced for later */
  if (ends != NULL && *ends != '\0')
    {
      /* An end we cannot read counts as past, as for Google. */
      end_time = feed_parse_iso8601 (ends);
      if (end_time == 0 || end_time <= ctx->now)
        return TRUE;
    }

  level = FEED_LOOKUP_LEVEL (betterstack_states, state);
  if (ctx->filter_key != NULL)
    {
      VigieOfficialLevel resources_level;

      if (!report_concerns (attributes, selected_ids, &resources_level))
        return TRUE;
      if (resources_level != VIGIE_OFFICIAL_UNKNOWN)
        level = resources_level;
    }
  type = feed_opt_string (attributes, "report_type");
  if (g_strcmp0 (type, "maintenance") == 0 && level <= VIGIE_OFFICIAL_MAINTENANCE)
    level = VIGIE_OFFICIAL_MAINTENANCE;
  level = feed_open_incident_level (level);

  incident = feed_incident_new (feed_opt_string (attributes, "title"), state, type, level);
  incident->latest_update = report_latest_update (report, updates, &update_time);
  incident->started_at = start_time;
  incident->updated_at = update_time != 0 ? update_time : start_time;
  feed_add_incident (ctx, incident);
  return TRUE;
}

gboolean
vigie_feed_parse_betterstack (VigieFeedCtx  *ctx,
                              GError       **error)
{
  JsonObject *object, *data, *attributes = NULL;
  JsonArray *included;
  const char *aggregate = NULL;
  g_autoptr(GHashTable) updates = NULL;       /* status update id → object */
  g_autoptr(GHashTable) selected_ids = NULL;  /* resource ids the filter selected */
  g_autoptr(GPtrArray) reports = NULL;
  guint n_included;

  if ((object = feed_root_object (ctx->root, error)) == NULL)
    return FALSE;
  if (!feed_get_object (object, "data", "data", &data, error) ||
      !feed_get_array (object, "included", "included", &included, error))
    return FALSE;
  if (data != NULL && !feed_get_object (data, "attributes", "data.attributes", &attributes, error))
    return FALSE;
  if (attributes != NULL &&
      !feed_get_string (attributes, "aggregate_state", "data.attributes.aggregate_state",
                        &aggregate, error))
    return FALSE;

  if (ctx->filter_key == NULL)
    feed_raise_level (ctx->report, FEED_LOOKUP_LEVEL (betterstack_states, aggregate));

  /* Ids are copied (a numeric one is formatted on the stack); values
   * point into the JSON tree, alive until we return. */
  updates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  selected_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  reports = g_ptr_array_new ();
  n_included = included != NULL ? json_array_get_length (included) : 0;

  for (guint i = 0; i < n_included; i++)
    {
      JsonObject *element, *element_attributes;
      const char *type, *name, *state, *id;
      char buf[32];

      if (!feed_get_element (included, i, "included", &element, error))
        return FALSE;
      if (element == NULL)
        continue;
      type = feed_opt_string (element, "type");
      id = node_id (feed_member (element, "id"), buf);
      if (g_strcmp0 (type, "status_report") == 0)
        {
          g_ptr_array_add (reports, element);
          continue;
        }
      if (g_strcmp0 (type, "status_update") == 0)
        {
          if (id != NULL)
            g_hash_table_replace (updates, g_strdup (id), element);
          continue;
        }

      if (!feed_get_object (element, "attributes", "included[].attributes", &element_attributes, error) ||
          !feed_get_string (element_attributes, "status", "included[].attributes.status", &state, error))
        return FALSE;
      /* Sections and other included things have no status: not resources. */
      if (state == NULL)
        continue;
      name = feed_opt_string (element_attributes, "public_name");
      if (name == NULL)
        name = feed_opt_string (element_attributes, "name");
      if (ctx->filter_key != NULL)
        {
          if (!feed_ctx_matches (ctx, name))
            continue;
          if (id != NULL)
            g_hash_table_add (selected_ids, g_strdup (id));
        }
      /* Listed without a monitor: the page knows nothing of it either. */
      if (g_strcmp0 (state, "not_monitored") == 0)
        continue;
      feed_add_component (ctx, name, state, FEED_LOOKUP_LEVEL (betterstack_states, state));
    }

  for (guint i = 0; i < reports->len; i++)
    {
      if (!read_report (ctx, g_ptr_array_index (reports, i), updates, selected_ids, error))
        return FALSE;
    }

  return TRUE;
}
