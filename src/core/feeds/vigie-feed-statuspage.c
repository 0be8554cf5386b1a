/* vigie-feed-statuspage.c — Atlassian Statuspage v2 `summary.json`.
 *
 * Owns the reading of Statuspage's summary, which incident.io serves too
 * (vigie-feed-incidentio.c reads it here with its own words).
 *
 * Vocabulary. Sources: the public status API each page documents at
 * /api (e.g. https://www.githubstatus.com/api, "Summary", "Status",
 * "Components", "Incidents", "Scheduled Maintenances"), and the REST API
 * reference https://developer.statuspage.io/ (component status, incident
 * impact and status, maintenance status enumerations).
 *
 *   publisher's word                  Vigie          why
 *   status.indicator none             OPERATIONAL    "All Systems Operational"
 *   status.indicator minor            MINOR          "Minor Service Outage"
 *   status.indicator major            MINOR          "Partial System Outage": part of
 *                                                    the page, not all of it
 *   status.indicator critical         MAJOR          "Major Service Outage"
 *   status.indicator maintenance      MAINTENANCE    served while a maintenance runs
 *   component operational             OPERATIONAL
 *   component degraded_performance    MINOR
 *   component partial_outage          MINOR
 *   component major_outage            MAJOR          the component is out
 *   component under_maintenance       MAINTENANCE
 *   incident impact none|minor|major  MINOR          an open incident is news, but
 *                                                    only "critical" is a full outage
 *   incident impact critical          MAJOR
 *   incident impact maintenance       MAINTENANCE
 *   incident status investigating, identified, monitoring: open;
 *                   resolved, postmortem: closed (skipped)
 *   maintenance status in_progress, verifying: now (MAINTENANCE);
 *                      scheduled (future), completed: skipped
 *
 * Level = the worst of the indicator, the components, the open incidents
 * and the maintenances in progress. A group component's status only
 * summarises its children, which are listed too: groups are not counted.
 *
 * Filter (FeedFilter=): keeps the components named so, or whose group is
 * named so; keeps the incidents and maintenances whose "components" list
 * names one of those (by id or name) — an incident about other components
 * does not concern the service — or that name no component at all
 * (unattributed: it may well concern it). The page-wide indicator and
 * description are ignored. No component matched and nothing kept: UNKNOWN.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

static const FeedLevelName statuspage_indicators[] = {
  { "none", VIGIE_OFFICIAL_OPERATIONAL },
  { "minor", VIGIE_OFFICIAL_MINOR },
  { "major", VIGIE_OFFICIAL_MINOR },
  { "critical", VIGIE_OFFICIAL_MAJOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

static const FeedLevelName statuspage_component_states[] = {
  { "operational", VIGIE_OFFICIAL_OPERATIONAL },
  { "degraded_performance", VIGIE_OFFICIAL_MINOR },
  { "partial_outage", VIGIE_OFFICIAL_MINOR },
  { "major_outage", VIGIE_OFFICIAL_MAJOR },
  { "under_maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

/* Incident impact uses the indicator's words; "none" is raised to MINOR by
 * feed_open_incident_level(). */
static const FeedStatuspageWords statuspage_words = {
  statuspage_indicators, G_N_ELEMENTS (statuspage_indicators),
  statuspage_component_states, G_N_ELEMENTS (statuspage_component_states),
  statuspage_indicators, G_N_ELEMENTS (statuspage_indicators),
};

static gboolean
statuspage_is_closed (const char *status)
{
  return status != NULL &&
         (g_ascii_strcasecmp (status, "resolved") == 0 ||
          g_ascii_strcasecmp (status, "postmortem") == 0 ||
          g_ascii_strcasecmp (status, "completed") == 0);
}

/* Whether an incident or maintenance concerns the filtered service: its
 * "components" names one of the selected components, or it names none at
 * all (unattributed: it may well concern the service). */
static gboolean
statuspage_concerns (JsonObject   *incident,
                     VigieFeedCtx *ctx,
                     GHashTable   *selected_ids)
{
  JsonArray *components = feed_opt_array (incident, "components");
  guint n;

  if (components == NULL || (n = json_array_get_length (components)) == 0)
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (components, i);

      if (feed_is_string (node))
        {
          if (feed_ctx_matches (ctx, json_node_get_string (node)))
            return TRUE;
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *component = json_node_get_object (node);
          const char *id = feed_opt_string (component, "id");

          if ((id != NULL && g_hash_table_contains (selected_ids, id)) ||
              feed_ctx_matches (ctx, feed_opt_string (component, "name")))
            return TRUE;
        }
    }
  return FALSE;
}

static VigieFeedIncident *
statuspage_incident (JsonObject         *object,
                     const char         *impact,
                     VigieOfficialLevel  level)
{
  static const char *const update_times[] = { "display_at", "created_at", "updated_at", NULL };
  VigieFeedIncident *incident;
  gint64 started;

  incident = feed_incident_new (feed_opt_string (object, "name"), feed_opt_string (object, "status"),
                           impact, level);
  incident->url = feed_clean_url (feed_opt_string (object, "shortlink"));
  started = feed_parse_iso8601 (feed_opt_string (object, "started_at"));
  if (started == 0)
    started = feed_parse_iso8601 (feed_opt_string (object, "scheduled_for"));
  if (started == 0)
    started = feed_parse_iso8601 (feed_opt_string (object, "created_at"));
  incident->started_at = started;
  incident->updated_at = feed_parse_iso8601 (feed_opt_string (object, "updated_at"));
  incident->latest_update = feed_newest_body (feed_opt_array (object, "incident_updates"),
                                         "body", update_times);
  return incident;
}

/* Statuspage's summary as incident.io serves it too, read with @words. */
gboolean
feed_statuspage_parse (VigieFeedCtx               *ctx,
                       const FeedStatuspageWords  *words,
                       GError                    **error)
{
  JsonNode *root = ctx->root;
  VigieFeedReport *report = ctx->report;
  JsonObject *object, *status;
  JsonArray *components, *incidents, *maintenances;
  g_autoptr(GHashTable) group_names = NULL;   /* group id → name */
  g_autoptr(GHashTable) selected_ids = NULL;  /* ids the filter selected */

  if ((object = feed_root_object (root, error)) == NULL)
    return FALSE;
  if (!feed_get_object (object, "status", "status", &status, error) ||
      !feed_get_array (object, "components", "components", &components, error) ||
      !feed_get_array (object, "incidents", "incidents", &incidents, error) ||
      !feed_get_array (object, "scheduled_maintenances", "scheduled_maintenances", &maintenances, error))
    return FALSE;

  if (status != NULL)
    {
      const char *indicator;

      if (!feed_get_string (status, "indicator", "status.indicator", &indicator, error))
        return FALSE;
      /* The indicator and description are page-wide: a filtered service
       * is judged by its own components and incidents only. */
      if (ctx->filter_key == NULL)
        {
          if (indicator != NULL)
            feed_raise_level (report, feed_lookup_level (words->indicators, words->n_indicators,
                                                           indicator));
          report->description = feed_clean_text (feed_opt_string (status, "description"),
                                            VIGIE_FEED_MAX_TITLE_CHARS);
        }
    }

  /* Strings in these tables point into the JSON tree, alive until we return. */
  group_names = g_hash_table_new (g_str_hash, g_str_equal);
  selected_ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component;
      const char *id, *name;

      if (!feed_get_element (components, i, "components", &component, error))
        return FALSE;
      if (component == NULL || !feed_opt_bool (component, "group"))
        continue;
      id = feed_opt_string (component, "id");
      name = feed_opt_string (component, "name");
      if (id != NULL && name != NULL)
        g_hash_table_insert (group_names, (gpointer) id, (gpointer) name);
    }

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component;
      const char *name, *state, *id, *group_id;

      if (!feed_get_element (components, i, "components", &component, error))
        return FALSE;
      if (component == NULL)
        continue;
      if (!feed_get_string (component, "status", "components[].status", &state, error))
        return FALSE;
      name = feed_opt_string (component, "name");
      id = feed_opt_string (component, "id");
      group_id = feed_opt_string (component, "group_id");

      if (ctx->filter_key != NULL)
        {
          gboolean selected = feed_ctx_matches (ctx, name);

          if (!selected && group_id != NULL)
            selected = feed_ctx_matches (ctx, g_hash_table_lookup (group_names, group_id));
          if (!selected)
            continue;
          if (id != NULL)
            g_hash_table_add (selected_ids, (gpointer) id);
        }

      /* A group's status only summarises its children, which are listed. */
      if (feed_opt_bool (component, "group"))
        continue;
      feed_add_component (ctx, name, state,
                          feed_lookup_level (words->components, words->n_components, state));
    }

  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *incident;
      const char *impact;
      VigieOfficialLevel level;

      if (!feed_get_element (incidents, i, "incidents", &incident, error))
        return FALSE;
      if (incident == NULL)
        continue;
      if (!feed_get_string (incident, "impact", "incidents[].impact", &impact, error))
        return FALSE;
      if (statuspage_is_closed (feed_opt_string (incident, "status")))
        continue;
      if (ctx->filter_key != NULL && !statuspage_concerns (incident, ctx, selected_ids))
        continue;
      level = feed_open_incident_level (feed_lookup_level (words->impacts, words->n_impacts, impact));
      feed_add_incident (ctx, statuspage_incident (incident, impact, level));
    }

  for (guint i = 0; maintenances != NULL && i < json_array_get_length (maintenances); i++)
    {
      JsonObject *maintenance;
      const char *state;

      if (!feed_get_element (maintenances, i, "scheduled_maintenances", &maintenance, error))
        return FALSE;
      if (maintenance == NULL)
        continue;
      if (!feed_get_string (maintenance, "status", "scheduled_maintenances[].status", &state, error))
        return FALSE;
      /* "scheduled" is future work; only these two mean "now". */
      if (g_strcmp0 (state, "in_progress") != 0 && g_strcmp0 (state, "verifying") != 0)
        continue;
      if (ctx->filter_key != NULL && !statuspage_concerns (maintenance, ctx, selected_ids))
        continue;
      feed_add_incident (ctx, statuspage_incident (maintenance, feed_opt_string (maintenance, "impact"),
                                              VIGIE_OFFICIAL_MAINTENANCE));
    }

  return TRUE;
}

gboolean
vigie_feed_parse_statuspage (VigieFeedCtx  *ctx,
                             GError       **error)
{
  return feed_statuspage_parse (ctx, &statuspage_words, error);
}
