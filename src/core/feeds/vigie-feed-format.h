/* vigie-feed-format.h — the one table of status feed formats.
 *
 * Every format Vigie reads is one row of the table in
 * vigie-feed-formats.c: its name in settings files, its label for people,
 * where a status page publishes it, the largest body it may have, its
 * parser, and whether what it says depends on the clock. The settings'
 * error text, the report's labels, the preferences' detection of a pasted
 * status page and the probe's feed cache all read this table; nothing else
 * lists formats. Adding a format is one file (vigie-feed-KIND.c), one row
 * and its fixtures.
 */
#pragma once

#include <glib.h>

#include "vigie-feeds.h"

G_BEGIN_DECLS

/* The parsing state a format's parser works on (vigie-feed-private.h). */
typedef struct _VigieFeedCtx VigieFeedCtx;

/**
 * VigieFeedSyntax:
 * @VIGIE_FEED_SYNTAX_JSON: one JSON document, pre-scanned then loaded by
 *   json-glib before the parser sees it
 * @VIGIE_FEED_SYNTAX_XML: XML read by the parser itself (GMarkup)
 */
typedef enum
{
  VIGIE_FEED_SYNTAX_JSON,
  VIGIE_FEED_SYNTAX_XML,
} VigieFeedSyntax;

typedef gboolean (*VigieFeedParseFunc) (VigieFeedCtx  *ctx,
                                        GError       **error);

/**
 * VigieFeedFormat:
 * @kind: the kind this row describes
 * @name: the kind's word in settings files ("statuspage")
 * @label: what people call such a page, untranslated (N_()); translate it
 *   with _() at the point of use
 * @syntax: JSON or XML
 * @endpoints: (array zero-terminated=1) (nullable): paths relative to a
 *   status page where this format is published, tried in order by
 *   detection; %NULL when a page cannot be told apart from another format
 *   (incident.io serves Statuspage's shape and is found as Statuspage)
 * @suffixes: (array zero-terminated=1) (nullable): endings of a URL path
 *   that mark a pasted URL as this format's feed itself
 * @max_size: the largest body accepted, in bytes
 * @clock_dependent: whether the same bytes can mean another level at
 *   another time (Google's incidents end at a time written in them), so a
 *   cached report must not be reused on "304 Not Modified"
 * @parse: the parser
 */
typedef struct
{
  VigieFeedKind       kind;
  const char         *name;
  const char         *label;
  VigieFeedSyntax     syntax;
  const char *const  *endpoints;
  const char *const  *suffixes;
  gsize               max_size;
  gboolean            clock_dependent;
  VigieFeedParseFunc  parse;
} VigieFeedFormat;

const VigieFeedFormat *vigie_feed_format_get   (VigieFeedKind  kind);
const VigieFeedFormat *vigie_feed_format_nth   (guint          index_);
guint                  vigie_feed_format_count (void);
char                  *vigie_feed_format_names (const char    *separator);

/**
 * VigieFeedCandidate:
 * @kind: the format to try
 * @url: the absolute URL to fetch
 *
 * One place a status page's feed may be, from vigie_feed_detect_candidates().
 */
typedef struct
{
  VigieFeedKind  kind;
  char          *url;
} VigieFeedCandidate;

void       vigie_feed_candidate_free    (VigieFeedCandidate *candidate);
GPtrArray *vigie_feed_detect_candidates (const char         *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieFeedCandidate, vigie_feed_candidate_free)

G_END_DECLS
