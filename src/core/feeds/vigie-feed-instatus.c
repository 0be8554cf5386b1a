/* vigie-feed-instatus.c — Instatus `summary.json`.
 *
 * Owns the reading of Instatus pages' public summary.
 *
 * Vocabulary. Source: Instatus' API documentation (instatus.com/help/api:
 * the page's public summary.json, and the component, incident and
 * maintenance objects of its REST API, whose status words the summary
 * repeats). Instatus spells the same word MAJOROUTAGE, MAJOR_OUTAGE or
 * majorOutage depending on the endpoint and the year: words are compared
 * ignoring case, '_', '-' and spaces.
 *
 *   publisher's word                  Vigie          why
 *   page status UP                    OPERATIONAL
 *   page status HASISSUES             MINOR          something is open, unsaid how bad
 *   page status UNDERMAINTENANCE      MAINTENANCE
 *   component OPERATIONAL             OPERATIONAL
 *   component DEGRADEDPERFORMANCE     MINOR
 *   component PARTIALOUTAGE           MINOR
 *   component MINOROUTAGE             MINOR          older pages
 *   component MAJOROUTAGE             MAJOR          the component is out
 *   component UNDERMAINTENANCE        MAINTENANCE
 *   incident impact: the component words; an open incident is at least MINOR
 *   incident status INVESTIGATING, IDENTIFIED, MONITORING: open;
 *                   RESOLVED: closed (skipped)
 *   maintenance status INPROGRESS: now (MAINTENANCE);
 *                      NOTSTARTEDYET (future), COMPLETED: skipped
 *
 * The page status is page.status, or the newer top-level "status" (a word
 * or {"type": word}). Level = the worst of it, the components, the open
 * incidents and the maintenances in progress.
 *
 * Filter: selects components[] by name; the page status is then ignored.
 * Incidents are not attributed to components in the summary, so all are
 * kept. A document without components[] has nothing to filter on: the
 * filter is ignored.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include <string.h>

#include "vigie-feed-private.h"

static const FeedLevelName instatus_states[] = {
  { "UP", VIGIE_OFFICIAL_OPERATIONAL },
  { "OPERATIONAL", VIGIE_OFFICIAL_OPERATIONAL },
  { "HASISSUES", VIGIE_OFFICIAL_MINOR },
  { "UNDERMAINTENANCE", VIGIE_OFFICIAL_MAINTENANCE },
  { "DEGRADEDPERFORMANCE", VIGIE_OFFICIAL_MINOR },
  { "PARTIALOUTAGE", VIGIE_OFFICIAL_MINOR },
  { "MINOROUTAGE", VIGIE_OFFICIAL_MINOR },
  { "MAJOROUTAGE", VIGIE_OFFICIAL_MAJOR },
};

/* Instatus spells the same words MAJOROUTAGE, MAJOR_OUTAGE or majorOutage
 * depending on the endpoint and year: compare them squeezed. */
static VigieOfficialLevel
instatus_level (const char *value)
{
  g_autoptr(GString) squeezed = NULL;

  if (value == NULL)
    return VIGIE_OFFICIAL_UNKNOWN;
  squeezed = g_string_new (NULL);
  for (const char *p = value; *p != '\0' && squeezed->len < 64; p++)
    {
      if (*p != '_' && *p != '-' && *p != ' ')
        g_string_append_c (squeezed, g_ascii_toupper (*p));
    }
  return FEED_LOOKUP_LEVEL (instatus_states, squeezed->str);
}

static gboolean
instatus_word_is (const char *value,
                  const char *squeezed_upper)
{
  g_autoptr(GString) squeezed = g_string_new (NULL);

  if (value == NULL)
    return FALSE;
  for (const char *p = value; *p != '\0' && squeezed->len < 64; p++)
    {
      if (*p != '_' && *p != '-' && *p != ' ')
        g_string_append_c (squeezed, g_ascii_toupper (*p));
    }
  return strcmp (squeezed->str, squeezed_upper) == 0;
}

static VigieFeedIncident *
instatus_incident (JsonObject         *object,
                   const char         *start_key,
                   const char         *impact,
                   VigieOfficialLevel  level)
{
  VigieFeedIncident *incident;

  incident = feed_incident_new (feed_opt_string (object, "name"), feed_opt_string (object, "status"),
                           impact, level);
  incident->url = feed_clean_url (feed_opt_string (object, "url"));
  incident->started_at = feed_parse_iso8601 (feed_opt_string (object, start_key));
  incident->updated_at = feed_parse_iso8601 (feed_opt_string (object, "updatedAt"));
  return incident;
}

gboolean
vigie_feed_parse_instatus (VigieFeedCtx  *ctx,
                           GError       **error)
{
  JsonNode *root = ctx->root;
  VigieFeedReport *report = ctx->report;
  JsonObject *object, *page;
  JsonArray *components, *incidents, *maintenances;
  JsonNode *status_node;
  const char *page_status = NULL, *top_status = NULL;
  gboolean filtering;

  if ((object = feed_root_object (root, error)) == NULL)
    return FALSE;
  if (!feed_get_object (object, "page", "page", &page, error) ||
      !feed_get_array (object, "components", "components", &components, error) ||
      !feed_get_array (object, "activeIncidents", "activeIncidents", &incidents, error) ||
      !feed_get_array (object, "activeMaintenances", "activeMaintenances", &maintenances, error))
    return FALSE;
  if (page != NULL && !feed_get_string (page, "status", "page.status", &page_status, error))
    return FALSE;

  /* Newer pages put the state at the top: "status": "UP" or {"type": "UP"}. */
  status_node = feed_member (object, "status");
  if (status_node != NULL)
    {
      if (feed_is_string (status_node))
        top_status = json_node_get_string (status_node);
      else if (JSON_NODE_HOLDS_OBJECT (status_node))
        {
          if (!feed_get_string (json_node_get_object (status_node), "type", "status.type", &top_status, error))
            return FALSE;
        }
      else
        return feed_wrong_type (error, "status", status_node, "a string or an object");
    }

  /* Without components there is nothing to filter on: page-level it is. */
  filtering = ctx->filter_key != NULL && components != NULL && json_array_get_length (components) > 0;

  if (!filtering)
    {
      feed_raise_level (report, instatus_level (page_status));
      feed_raise_level (report, instatus_level (top_status));
    }

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component;
      const char *name, *state;

      if (!feed_get_element (components, i, "components", &component, error))
        return FALSE;
      if (component == NULL)
        continue;
      if (!feed_get_string (component, "status", "components[].status", &state, error))
        return FALSE;
      name = feed_opt_string (component, "name");
      if (filtering && !feed_ctx_matches (ctx, name))
        continue;
      feed_add_component (ctx, name, state, instatus_level (state));
    }

  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *incident;
      const char *impact;

      if (!feed_get_element (incidents, i, "activeIncidents", &incident, error))
        return FALSE;
      if (incident == NULL)
        continue;
      if (!feed_get_string (incident, "impact", "activeIncidents[].impact", &impact, error))
        return FALSE;
      if (instatus_word_is (feed_opt_string (incident, "status"), "RESOLVED"))
        continue;
      feed_add_incident (ctx, instatus_incident (incident, "started", impact,
                                            feed_open_incident_level (instatus_level (impact))));
    }

  for (guint i = 0; maintenances != NULL && i < json_array_get_length (maintenances); i++)
    {
      JsonObject *maintenance;
      const char *state;

      if (!feed_get_element (maintenances, i, "activeMaintenances", &maintenance, error))
        return FALSE;
      if (maintenance == NULL)
        continue;
      if (!feed_get_string (maintenance, "status", "activeMaintenances[].status", &state, error))
        return FALSE;
      /* NOTSTARTEDYET and COMPLETED are listed too; only INPROGRESS is now. */
      if (!instatus_word_is (state, "INPROGRESS"))
        continue;
      feed_add_incident (ctx, instatus_incident (maintenance, "start", feed_opt_string (maintenance, "impact"),
                                            VIGIE_OFFICIAL_MAINTENANCE));
    }

  return TRUE;
}
