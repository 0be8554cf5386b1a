/* vigie-feed-google.c — Google status dashboards' `incidents.json`.
 *
 * Owns the reading of Google Workspace's and Google Cloud's incident list,
 * a top-level array of every incident for years. Whether one is current
 * depends on the clock (its "end" against "now"): the table marks this
 * format clock-dependent.
 *
 * Vocabulary. Sources: the schema Google publishes beside the file,
 * https://status.cloud.google.com/incidents.schema.json (severity,
 * status_impact, most_recent_update), and the dashboards' legends
 * (https://status.cloud.google.com/summary, Workspace's
 * https://www.google.com/appsstatus/dashboard/): "Service information",
 * "Service disruption", "Service outage".
 *
 *   publisher's word                  Vigie          why
 *   status_impact SERVICE_OUTAGE      MAJOR          "Service outage"
 *   status_impact SERVICE_DISRUPTION  MINOR          "Service disruption"
 *   status_impact SERVICE_INFORMATION MINOR          on the dashboard because users
 *                                                    are affected
 *   without a known status_impact, severity:
 *   severity high                     MAJOR          shown as an outage
 *   severity medium, low              MINOR
 *
 * An incident is current when "now" is past "begin" (if readable) and it
 * has no "end" (absent, null, "") or an "end" after now; an unreadable
 * "end" counts as past. No current incident: OPERATIONAL (the file lists
 * them all). title = external_desc, status = most_recent_update.status,
 * latest_update = most_recent_update.text, url = uri (relative: resolve it
 * against the feed URL).
 *
 * Filter: keeps the incidents whose service_name or one of
 * affected_products[].title is the service.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

static const FeedLevelName google_impacts[] = {
  { "SERVICE_OUTAGE", VIGIE_OFFICIAL_MAJOR },
  { "SERVICE_DISRUPTION", VIGIE_OFFICIAL_MINOR },
  { "SERVICE_INFORMATION", VIGIE_OFFICIAL_MINOR },
};

static const FeedLevelName google_severities[] = {
  { "high", VIGIE_OFFICIAL_MAJOR },
  { "medium", VIGIE_OFFICIAL_MINOR },
  { "low", VIGIE_OFFICIAL_MINOR },
};

static gboolean
google_concerns (JsonObject   *incident,
                 VigieFeedCtx *ctx)
{
  JsonArray *products;

  if (feed_ctx_matches (ctx, feed_opt_string (incident, "service_name")))
    return TRUE;
  products = feed_opt_array (incident, "affected_products");
  for (guint i = 0; products != NULL && i < json_array_get_length (products); i++)
    {
      JsonNode *node = json_array_get_element (products, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          feed_ctx_matches (ctx, feed_opt_string (json_node_get_object (node), "title")))
        return TRUE;
    }
  return FALSE;
}

gboolean
vigie_feed_parse_google (VigieFeedCtx  *ctx,
                         GError       **error)
{
  JsonNode *root = ctx->root;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return feed_wrong_type (error, "(document)", root, "an array");
  array = json_node_get_array (root);

  /* The file lists every incident for years: none current is news. */
  feed_raise_level (ctx->report, VIGIE_OFFICIAL_OPERATIONAL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object, *latest;
      VigieFeedIncident *incident;
      const char *end, *impact, *severity;
      gint64 begin_time;
      VigieOfficialLevel level;

      if (!feed_get_element (array, i, "(document)", &object, error))
        return FALSE;
      if (object == NULL)
        continue;
      if (!feed_get_string (object, "end", "[].end", &end, error) ||
          !feed_get_string (object, "status_impact", "[].status_impact", &impact, error) ||
          !feed_get_string (object, "severity", "[].severity", &severity, error))
        return FALSE;

      /* Open: no end yet, or one announced for later. An end we cannot
       * read counts as past: if Google changed its time format, years of
       * history must not all turn "current". */
      if (end != NULL && *end != '\0')
        {
          gint64 end_time = feed_parse_iso8601 (end);

          if (end_time == 0 || end_time <= ctx->now)
            continue;
        }
      begin_time = feed_parse_iso8601 (feed_opt_string (object, "begin"));
      if (begin_time > ctx->now)
        continue;
      if (ctx->filter_key != NULL && !google_concerns (object, ctx))
        continue;

      level = FEED_LOOKUP_LEVEL (google_impacts, impact);
      if (level == VIGIE_OFFICIAL_UNKNOWN)
        level = FEED_LOOKUP_LEVEL (google_severities, severity);
      level = feed_open_incident_level (level);

      latest = feed_opt_object (object, "most_recent_update");
      incident = feed_incident_new (feed_opt_string (object, "external_desc"),
                               feed_opt_string (latest, "status"), impact, level);
      incident->url = feed_clean_url (feed_opt_string (object, "uri"));
      incident->latest_update = feed_clean_text (feed_opt_string (latest, "text"), VIGIE_FEED_MAX_UPDATE_CHARS);
      incident->started_at = begin_time;
      incident->updated_at = feed_parse_iso8601 (feed_opt_string (object, "modified"));
      if (incident->updated_at == 0)
        incident->updated_at = feed_parse_iso8601 (feed_opt_string (latest, "when"));
      feed_add_incident (ctx, incident);
    }

  return TRUE;
}
