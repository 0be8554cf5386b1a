/* vigie-feed-incidentio.c — incident.io status pages, `/api/v2/summary.json`.
 *
 * Owns incident.io's words. incident.io serves Statuspage's summary shape
 * at the same path (status.openai.com, www.notion-status.com), read by
 * vigie-feed-statuspage.c; what differs is written here.
 *
 * What it really serves (captures of status.openai.com, 2026): ULID ids; no
 * "scheduled_maintenances" key; incidents without "components",
 * "shortlink" or "started_at"; components without "group"; no "incidents"
 * key at all when nothing is open. Each absence reads as "none".
 *
 * Vocabulary. Sources: incident.io's status page Widget API, documented
 * under "Widget API" on https://incident.io/status (its native summary
 * gives each ongoing incident a current_worst_impact of
 * degraded_performance, partial_outage or full_outage, the same words the
 * compatible summary uses for components), and the Statuspage words it
 * copies (vigie-feed-statuspage.c).
 *
 *   publisher's word                  Vigie          why
 *   status.indicator none             OPERATIONAL
 *   status.indicator minor            MINOR          "Partial System Degradation"
 *   status.indicator major            MINOR          partial, as on Statuspage
 *   status.indicator critical         MAJOR
 *   status.indicator maintenance      MAINTENANCE
 *   component operational             OPERATIONAL
 *   component degraded_performance    MINOR
 *   component partial_outage          MINOR
 *   component full_outage             MAJOR          incident.io's word for it
 *   component major_outage            MAJOR          Statuspage's word, if served
 *   component under_maintenance       MAINTENANCE
 *   incident impact none|minor|major  MINOR          open, not a full outage
 *   incident impact critical          MAJOR
 *
 * Filter: as Statuspage. Incidents name no components here, so every open
 * incident is unattributed and kept; the filtered component's own status
 * says how much of it is out.
 */
#define G_LOG_DOMAIN "vigie-feeds"

#include "config.h"

#include "vigie-feed-private.h"

static const FeedLevelName incidentio_indicators[] = {
  { "none", VIGIE_OFFICIAL_OPERATIONAL },
  { "minor", VIGIE_OFFICIAL_MINOR },
  { "major", VIGIE_OFFICIAL_MINOR },
  { "critical", VIGIE_OFFICIAL_MAJOR },
  { "maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

static const FeedLevelName incidentio_component_states[] = {
  { "operational", VIGIE_OFFICIAL_OPERATIONAL },
  { "degraded_performance", VIGIE_OFFICIAL_MINOR },
  { "partial_outage", VIGIE_OFFICIAL_MINOR },
  { "full_outage", VIGIE_OFFICIAL_MAJOR },
  { "major_outage", VIGIE_OFFICIAL_MAJOR },
  { "under_maintenance", VIGIE_OFFICIAL_MAINTENANCE },
};

static const FeedStatuspageWords incidentio_words = {
  incidentio_indicators, G_N_ELEMENTS (incidentio_indicators),
  incidentio_component_states, G_N_ELEMENTS (incidentio_component_states),
  incidentio_indicators, G_N_ELEMENTS (incidentio_indicators),
};

gboolean
vigie_feed_parse_incidentio (VigieFeedCtx  *ctx,
                             GError       **error)
{
  return feed_statuspage_parse (ctx, &incidentio_words, error);
}
