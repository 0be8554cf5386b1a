/* vigie-feeds.h — official status feeds: kinds, levels, reports, parsing.
 *
 * Owns the public face of src/core/feeds/: the kinds of feed Vigie reads,
 * what a vendor's words mean in Vigie's levels, the report a parse gives,
 * and vigie_feed_parse(). Parsers are pure: bytes in, a VigieFeedReport out;
 * they never touch the network or the clock (the caller passes "now"). Each
 * format lives in a file of its own, described by one row of the table in
 * vigie-feed-format.h, which everything else reads.
 *
 * Contract, for every kind:
 *
 *  - Input is untrusted. It is refused before any parsing when larger than
 *    vigie_feed_max_size() (%VIGIE_FEED_ERROR_TOO_LARGE) or, for JSON, when
 *    arrays/objects nest deeper than %VIGIE_FEED_MAX_DEPTH outside strings
 *    (%VIGIE_FEED_ERROR_TOO_DEEP) or hold more than %VIGIE_FEED_MAX_VALUES
 *    values in all — scalars, member names and containers alike, an object
 *    counting %VIGIE_FEED_OBJECT_WEIGHT times (%VIGIE_FEED_ERROR_TOO_LARGE,
 *    "feed too large"), so json-glib's recursive parser never sees a
 *    hostile document nor builds a tree of hundreds of megabytes. RSS/Atom
 *    go through GMarkup, which expands no external or user-defined
 *    entities, with the same depth cap.
 *  - JSON must be one document whose root is an object or an array: a
 *    scalar root ("42", "0[...]") and bytes after the top-level value are
 *    %VIGIE_FEED_ERROR_INVALID (json-glib alone would ignore them). XML
 *    needs a root element (a comment-only document is INVALID).
 *  - Invalid UTF-8 (and NUL bytes) are repaired to U+FFFD, not refused: one
 *    stray Latin-1 byte in a title must not hide an outage. Every stored
 *    string is valid UTF-8, has control characters other than newline and
 *    tab replaced by spaces (titles reach terminals), has no bidirectional
 *    formatting characters (U+200E, U+200F, U+061C, U+202A–U+202E,
 *    U+2066–U+2069: a title must not reverse the rest of the line it is
 *    shown in), is trimmed, and is capped (see VIGIE_FEED_MAX_*_CHARS below;
 *    a cut string ends with "…").
 *  - Strings are stored raw, never escaped: "<b>&amp;</b>" in a title stays
 *    exactly that. Escaping is the job of whoever builds markup. RSS/Atom
 *    descriptions are the one exception: they are HTML by definition, so
 *    they are reduced to plain text (tags dropped, entities decoded).
 *  - Links (url) are kept only when they are http(s) or a relative reference
 *    (Google's "incidents/ID"); any other scheme (javascript:, data:, ...),
 *    and any link with spaces, controls or bidi formatting characters, is
 *    dropped. vigie_feed_report_resolve_links() makes them absolute.
 *  - Unknown keys are ignored. Unknown enum values make that item
 *    %VIGIE_OFFICIAL_UNKNOWN (a word that says "no evidence", such as
 *    Better Stack's not_monitored, leaves the item out). The overall level is the worst known level
 *    (UNKNOWN < OPERATIONAL < MAINTENANCE < MINOR < MAJOR), or UNKNOWN when
 *    the document gave no evidence at all.
 *  - Types are checked. A JSON null counts as "absent" everywhere (feeds use
 *    null for "not set"). For *structural* members — the root, containers
 *    (status, components, incidents, ...), their elements, and the members a
 *    level is read from (indicator, component status, impact, type,
 *    aggregate_state, status_impact, severity, Slack's status) — any other
 *    wrong type fails the whole parse with %VIGIE_FEED_ERROR_WRONG_TYPE:
 *    silently skipping an incidents list that changed shape could report
 *    "operational" in the middle of an outage, whereas an error is "no
 *    evidence". *Descriptive* members (names, titles, bodies, links, dates)
 *    of the wrong type are treated as absent.
 *  - An open incident always counts as at least %VIGIE_OFFICIAL_MINOR, even
 *    when its impact is "none" or unknown (Statuspage pages often keep the
 *    indicator at "none" while incidents[] is not empty).
 *  - %VIGIE_OFFICIAL_MAJOR means what the publisher calls a *full* outage of
 *    what the service watches; a *partial* one is MINOR whatever the word
 *    (Statuspage's impact "major" is "Partial System Outage", so MINOR).
 *  - At most %VIGIE_FEED_MAX_ITEMS components, incidents and maintenances are
 *    kept (newest first); the level is computed over all of them.
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

/**
 * VigieOfficialLevel:
 * @VIGIE_OFFICIAL_UNKNOWN: no evidence (unknown value, unparsable, not fetched)
 * @VIGIE_OFFICIAL_OPERATIONAL: the vendor says all is well
 * @VIGIE_OFFICIAL_MAINTENANCE: maintenance in progress
 * @VIGIE_OFFICIAL_MINOR: an open incident, degraded performance, a partial
 *   outage: the service works, not fully (the verdict "degraded")
 * @VIGIE_OFFICIAL_MAJOR: a full outage, in the publisher's own meaning (the
 *   verdict "down")
 *
 * What the vendor's own status feed says. Values are ordered from "knows
 * nothing" to "worst", so the worse of two levels is MAX (a, b).
 */
typedef enum
{
  VIGIE_OFFICIAL_UNKNOWN,
  VIGIE_OFFICIAL_OPERATIONAL,
  VIGIE_OFFICIAL_MAINTENANCE,
  VIGIE_OFFICIAL_MINOR,
  VIGIE_OFFICIAL_MAJOR,
} VigieOfficialLevel;

const char *vigie_official_level_to_string (VigieOfficialLevel level);

/**
 * VIGIE_FEED_ERROR:
 *
 * Error domain of vigie_feed_parse(). Errors are #VigieFeedError values.
 * Their messages may quote the feed, cleaned like its titles: valid UTF-8,
 * no control characters, at most %VIGIE_FEED_MAX_TITLE_CHARS per quote.
 */
#define VIGIE_FEED_ERROR (vigie_feed_error_quark ())
GQuark vigie_feed_error_quark (void);

/**
 * VigieFeedError:
 * @VIGIE_FEED_ERROR_TOO_LARGE: input larger than vigie_feed_max_size(), or
 *   JSON with more than %VIGIE_FEED_MAX_VALUES values
 * @VIGIE_FEED_ERROR_TOO_DEEP: nesting deeper than %VIGIE_FEED_MAX_DEPTH
 * @VIGIE_FEED_ERROR_INVALID: empty, not JSON, a JSON root that is not an
 *   object or array, or not well-formed XML
 * @VIGIE_FEED_ERROR_WRONG_TYPE: well-formed, but not the expected shape
 *   (e.g. an object where an array is expected, an HTML page for an RSS feed)
 * @VIGIE_FEED_ERROR_UNSUPPORTED: the kind has no parser (%VIGIE_FEED_NONE)
 */
typedef enum
{
  VIGIE_FEED_ERROR_TOO_LARGE,
  VIGIE_FEED_ERROR_TOO_DEEP,
  VIGIE_FEED_ERROR_INVALID,
  VIGIE_FEED_ERROR_WRONG_TYPE,
  VIGIE_FEED_ERROR_UNSUPPORTED,
} VigieFeedError;

/* Input caps. Google's incidents.json keeps years of history and runs to a
 * few MiB, hence its larger cap (see vigie_feed_max_size()). */
#define VIGIE_FEED_MAX_SIZE         (4 * 1024 * 1024)
#define VIGIE_FEED_MAX_SIZE_GOOGLE  (16 * 1024 * 1024)
#define VIGIE_FEED_MAX_DEPTH        32
/* JSON values in one document — every scalar, member name, array and
 * object — counted outside strings before json-glib builds its tree,
 * which spends about 100 bytes on each (an object, with its hash table,
 * about 400: it counts VIGIE_FEED_OBJECT_WEIGHT times). Unchecked, a
 * 4 MiB "[1,1,…]" (2 million values) took 162 MB, a 16 MiB one 649 MB.
 * Real feeds spend 12 to 70 bytes of text per value: Google Cloud's
 * incidents.json of 2022, the largest seen (1.3 MB, 157 incidents), counts
 * 60 000; a Statuspage summary of 73 components 3 800. At the cap, the
 * tree stays under about 25 MB. */
#define VIGIE_FEED_MAX_VALUES       250000
#define VIGIE_FEED_OBJECT_WEIGHT    4

/* Output caps, in characters (not bytes). */
#define VIGIE_FEED_MAX_TITLE_CHARS  300   /* titles, component names, descriptions */
#define VIGIE_FEED_MAX_UPDATE_CHARS 1000  /* latest_update bodies */
#define VIGIE_FEED_MAX_WORD_CHARS   64    /* raw status / impact keywords */
#define VIGIE_FEED_MAX_URL_CHARS    2048
#define VIGIE_FEED_MAX_ITEMS        50    /* per list in a report */

gsize vigie_feed_max_size (VigieFeedKind kind);

/**
 * VigieFeedComponent:
 * @name: the component or service name as the feed spells it (never %NULL)
 * @level: what its status means
 * @status: the raw status string from the feed ("partial_outage"), or %NULL
 */
typedef struct
{
  char               *name;
  VigieOfficialLevel  level;
  char               *status;
} VigieFeedComponent;

/**
 * VigieFeedIncident:
 * @title: the incident's title (never %NULL, may be empty)
 * @status: raw stage: investigating, identified, monitoring, in_progress...
 *   (Google: most_recent_update.status; Slack: status), or %NULL
 * @impact: raw impact: Statuspage impact, Instatus impact, Slack type,
 *   Google status_impact; %NULL for RSS/Atom
 * @level: what @impact means (open incidents are at least MINOR)
 * @url: http(s) link or relative reference to the incident page, or %NULL
 * @latest_update: plain body of the newest update, or %NULL
 * @started_at: unix seconds, 0 if unknown
 * @updated_at: unix seconds, 0 if unknown
 *
 * An open incident or an in-progress maintenance.
 */
typedef struct
{
  char               *title;
  char               *status;
  char               *impact;
  VigieOfficialLevel  level;
  char               *url;
  char               *latest_update;
  gint64              started_at;
  gint64              updated_at;
} VigieFeedIncident;

/**
 * VigieFeedReport:
 * @level: overall level for this service (after the filter, if any)
 * @description: the feed's own page-wide summary ("All Systems
 *   Operational"), or %NULL, as the feed wrote it even when @level says
 *   otherwise (see the Statuspage pitfall above); always %NULL when a filter
 *   was given, since it describes the whole page rather than the service
 * @components: (element-type VigieFeedComponent): components that are
 *   *not* operational, in feed order
 * @incidents: (element-type VigieFeedIncident): open incidents, newest first
 * @maintenances: (element-type VigieFeedIncident): maintenances in progress
 *   now, newest first
 *
 * What one status feed says. The arrays are never %NULL and own their
 * elements. Plain data: copy it with vigie_feed_report_copy() to hand it to
 * another thread.
 */
typedef struct
{
  VigieOfficialLevel  level;
  char               *description;
  GPtrArray          *components;
  GPtrArray          *incidents;
  GPtrArray          *maintenances;
} VigieFeedReport;

/* What each kind reads, what its words mean and what a filter selects is
 * written at the top of its file in src/core/feeds/ (vigie-feed-KIND.c),
 * each row citing the publisher's documentation. Filter matching is
 * case-insensitive on the whole trimmed name (Unicode casefold), never a
 * substring: "Chat" does not match "Google Chat". */
VigieFeedReport *vigie_feed_parse (VigieFeedKind   kind,
                                   const guint8   *data,
                                   gsize           len,
                                   const char     *filter,
                                   gint64          now_unix,
                                   GError        **error);

VigieFeedReport *vigie_feed_report_new            (void);
VigieFeedReport *vigie_feed_report_copy           (const VigieFeedReport *report);
void             vigie_feed_report_free           (VigieFeedReport       *report);
const VigieFeedIncident *vigie_feed_report_main_incident (const VigieFeedReport *report);
void             vigie_feed_report_resolve_links  (VigieFeedReport       *report,
                                                   const char            *feed_url);

void             vigie_feed_component_free        (VigieFeedComponent    *component);
void             vigie_feed_incident_free         (VigieFeedIncident     *incident);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieFeedReport, vigie_feed_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieFeedIncident, vigie_feed_incident_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieFeedComponent, vigie_feed_component_free)

G_END_DECLS
