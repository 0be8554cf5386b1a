/* vigie-feeds.h — official status feed kinds and parsers.
 *
 * Owns json-glib. Parsers are pure: bytes in, a VigieFeedReport out; they never
 * touch the network or the clock (the caller passes "now").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * VigieFeedKind:
 * @VIGIE_FEED_NONE: the vendor publishes no machine-readable feed
 * @VIGIE_FEED_STATUSPAGE: Atlassian Statuspage v2 `summary.json`
 * @VIGIE_FEED_INCIDENTIO: incident.io page (Statuspage-compatible `summary.json`)
 * @VIGIE_FEED_INSTATUS: Instatus `summary.json`
 * @VIGIE_FEED_BETTERSTACK: Better Stack `index.json`
 * @VIGIE_FEED_SLACK: Slack status API `api/v2.0.0/current`
 * @VIGIE_FEED_GOOGLE: Google `incidents.json` (Workspace and Cloud)
 * @VIGIE_FEED_RSS: RSS 2.0 or Atom feed listing open events
 */
typedef enum
{
  VIGIE_FEED_NONE,
  VIGIE_FEED_STATUSPAGE,
  VIGIE_FEED_INCIDENTIO,
  VIGIE_FEED_INSTATUS,
  VIGIE_FEED_BETTERSTACK,
  VIGIE_FEED_SLACK,
  VIGIE_FEED_GOOGLE,
  VIGIE_FEED_RSS,
} VigieFeedKind;

const char *vigie_feed_kind_to_string   (VigieFeedKind  kind);
gboolean    vigie_feed_kind_from_string (const char    *str,
                                         VigieFeedKind *out_kind);

G_END_DECLS
