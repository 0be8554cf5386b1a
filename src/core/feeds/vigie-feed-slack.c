/* vigie-feed-slack.c — Slack status API, `api/v2.0.0/current`.
 *
 * Owns the reading of Slack's current status.
 *
 * Vocabulary. Source: Slack's documentation of its status API,
 * https://docs.slack.dev/reference/slack-status-api ("Current Status
 * API": a "status" of ok when all is well, else the list of active
 * incidents, outages, notices and maintenances, each with a type, a
 * status, the services it touches and its notes), and the legend of
 * https://slack-status.com (Incident, Outage, Maintenance, Notice).
 *
 *   publisher's word                  Vigie          why
 *   status ok                         OPERATIONAL
 *   status active                     MINOR          something is open even when the
 *                                                    list is empty
 *   type outage                       MAJOR          the feature is unavailable
 *   type incident                     MINOR          some users affected
 *   type maintenance                  MAINTENANCE    (listed with maintenances)
 *   type notice                       MAINTENANCE when the title says
 *                                     "maintenance", else MINOR: Slack posts
 *                                     planned work and small known issues alike
 *   item status active: open; resolved, completed: closed; scheduled:
 *   future — all three skipped
 *
 * latest_update is the newest of notes[].body.
 *
 * Filter: keeps the items whose services[] names the service, or that
 * name none. Slack lists every open item, so none kept with a known
 * status is OPERATIONAL.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

static const FeedLevelName slack_states[] = {
  { "ok", VIGIE_OFFICIAL_OPERATIONAL },
  { "active", VIGIE_OFFICIAL_MINOR },
};

static const FeedLevelName slack_types[] = {
  { "outage", VIGIE_OFFICIAL_MAJOR },
  { "incident", VIGIE_OFFICIAL_MINOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

static gboolean
slack_concerns (JsonObject   *incident,
                VigieFeedCtx *ctx)
{
  JsonArray *services = feed_opt_array (incident, "services");
  guint n;

  if (services == NULL || (n = json_array_get_length (services)) == 0)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (services, i);

      if (feed_is_string (node) && feed_ctx_matches (ctx, json_node_get_string (node)))
        return TRUE;
    }
  return FALSE;
}

gboolean
vigie_feed_parse_slack (VigieFeedCtx  *ctx,
                        GError       **error)
{
  JsonNode *root = ctx->root;
  static const char *const note_times[] = { "date_created", NULL };
  JsonObject *object;
  JsonArray *incidents;
  const char *status;
  VigieOfficialLevel status_level;

  if ((object = feed_root_object (root, error)) == NULL)
    return FALSE;
  if (!feed_get_string (object, "status", "status", &status, error) ||
      !feed_get_array (object, "active_incidents", "active_incidents", &incidents, error))
    return FALSE;

  status_level = FEED_LOOKUP_LEVEL (slack_states, status);
  if (ctx->filter_key == NULL)
    feed_raise_level (ctx->report, status_level);
  else if (status_level != VIGIE_OFFICIAL_UNKNOWN)
    /* Slack lists every open incident: none about this service is news. */
    feed_raise_level (ctx->report, VIGIE_OFFICIAL_OPERATIONAL);

  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *object_i;
      VigieFeedIncident *incident;
      const char *type, *title, *state;
      VigieOfficialLevel level;

      if (!feed_get_element (incidents, i, "active_incidents", &object_i, error))
        return FALSE;
      if (object_i == NULL)
        continue;
      if (!feed_get_string (object_i, "type", "active_incidents[].type", &type, error))
        return FALSE;
      state = feed_opt_string (object_i, "status");
      if (state != NULL &&
          (g_ascii_strcasecmp (state, "resolved") == 0 ||
           g_ascii_strcasecmp (state, "completed") == 0 ||
           g_ascii_strcasecmp (state, "scheduled") == 0))
        continue;
      if (ctx->filter_key != NULL && !slack_concerns (object_i, ctx))
        continue;

      title = feed_opt_string (object_i, "title");
      if (type != NULL && g_ascii_strcasecmp (type, "notice") == 0)
        /* Notices announce planned work as well as small known issues. */
        level = feed_contains_nocase (title, "maintenance") ? VIGIE_OFFICIAL_MAINTENANCE
                                                             : VIGIE_OFFICIAL_MINOR;
      else
        level = feed_open_incident_level (FEED_LOOKUP_LEVEL (slack_types, type));

      incident = feed_incident_new (title, state, type, level);
      incident->url = feed_clean_url (feed_opt_string (object_i, "url"));
      incident->started_at = feed_parse_iso8601 (feed_opt_string (object_i, "date_created"));
      incident->updated_at = feed_parse_iso8601 (feed_opt_string (object_i, "date_updated"));
      incident->latest_update = feed_newest_body (feed_opt_array (object_i, "notes"), "body", note_times);
      feed_add_incident (ctx, incident);
    }

  return TRUE;
}
