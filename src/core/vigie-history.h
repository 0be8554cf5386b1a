/* vigie-history.h — the outage log: every transition stored, outages,
 * timelines and uptime derived from it, CSV and JSON export.
 *
 * Owns SQLite: no other file includes sqlite3.h.
 *
 * Contract:
 *
 *  - Storage. One SQLite file (default vigie_history_default_path()), WAL,
 *    synchronous=NORMAL, a busy timeout, foreign keys on. One `transitions`
 *    row per #VigieTransition, states, layers, kinds and official levels
 *    stored as their stable strings so the file reads well in the sqlite3
 *    CLI. The schema version is `PRAGMA user_version`
 *    (%VIGIE_HISTORY_SCHEMA_VERSION); older files are migrated in one
 *    transaction when opened; a file from a newer Vigie is refused
 *    (%VIGIE_HISTORY_ERROR_TOO_NEW) and left byte for byte as it was.
 *  - Privacy. The file, its -wal and -shm are 0600 whatever the umask (a
 *    file an older Vigie left more open is tightened when opened); the
 *    folder is created 0700, and the default folder is made 0700 if
 *    something else created it more open.
 *  - Moved. If another program moves the file away or puts another in its
 *    place while it is open, the next write notices: what the -wal held is
 *    written into the moved file, and the write goes to the file now at the
 *    path (a new log, created and migrated, if there is none). If nothing
 *    can be opened there, the round waits in memory as below.
 *  - Damage. A file SQLite can't read, or that fails `PRAGMA quick_check`,
 *    is moved aside (with its -wal/-shm/-journal) as
 *    `history.db.corrupt-YYYYMMDD-HHMMSS` (local time of the opening, the
 *    one place this module reads the clock), a new log is started and a
 *    sentence for people is available once from vigie_history_take_notice().
 *    Nothing is ever deleted.
 *  - Writing. vigie_history_record() writes one round's transitions in one
 *    transaction. When it fails (disk full, read-only, I/O error, locked,
 *    ...) nothing of that round is half-written, nothing stored before is
 *    touched, and the transitions wait in memory (at most
 *    %VIGIE_HISTORY_MAX_PENDING, the oldest dropped first) to be written,
 *    before the new ones, by the next record() that succeeds. Monitoring is
 *    never stopped by the log. vigie_history_is_failing() tells a caller
 *    that reports problems the first failure from the same one continuing.
 *  - State. A service's state is the `to` of its latest transition at that
 *    time, whatever the kind: the tracker's transitions chain (each one's
 *    `from` is the previous one's `to`), and a FLAPPING_STOPPED carries the
 *    state the service settled in. Before a service's first transition its
 *    state is %VIGIE_STATE_UNKNOWN. Transitions still waiting in memory are
 *    not seen by the queries.
 *  - Time. Every time is wall-clock µs since the epoch and comes from the
 *    caller; the last known state is taken to hold up to the end of the
 *    window asked for, so pass "now" as the end for a live view.
 *  - Threads. A #VigieHistory is used from one thread (the main one).
 */
#pragma once

#include <glib-object.h>

#include "vigie-http.h"
#include "vigie-probe.h"
#include "vigie-transition.h"

G_BEGIN_DECLS

/**
 * VIGIE_HISTORY_SCHEMA_VERSION:
 *
 * The `PRAGMA user_version` this code writes and reads.
 */
#define VIGIE_HISTORY_SCHEMA_VERSION 1

/**
 * VIGIE_HISTORY_MAX_PENDING:
 *
 * How many transitions wait in memory while the log can't be written. A
 * round brings a few; this is days of a disk staying full.
 */
#define VIGIE_HISTORY_MAX_PENDING 10000

#define VIGIE_HISTORY_ERROR (vigie_history_error_quark ())
GQuark vigie_history_error_quark (void);

/**
 * VigieHistoryError:
 * @VIGIE_HISTORY_ERROR_FAILED: any other SQLite failure
 * @VIGIE_HISTORY_ERROR_TOO_NEW: the file was written by a newer Vigie; it
 *   was not touched
 * @VIGIE_HISTORY_ERROR_NO_SPACE: the disk (or quota) is full
 * @VIGIE_HISTORY_ERROR_READ_ONLY: the file or its folder can't be written or
 *   opened (permissions, read-only mount)
 * @VIGIE_HISTORY_ERROR_IO: the system reported an input/output error
 * @VIGIE_HISTORY_ERROR_BUSY: another program kept the file locked
 * @VIGIE_HISTORY_ERROR_CORRUPT: the file turned out damaged after it was
 *   opened (it is repaired at the next opening)
 * @VIGIE_HISTORY_ERROR_INVALID_TIME: vigie_history_parse_since() could not
 *   read its text
 */
typedef enum
{
  VIGIE_HISTORY_ERROR_FAILED,
  VIGIE_HISTORY_ERROR_TOO_NEW,
  VIGIE_HISTORY_ERROR_NO_SPACE,
  VIGIE_HISTORY_ERROR_READ_ONLY,
  VIGIE_HISTORY_ERROR_IO,
  VIGIE_HISTORY_ERROR_BUSY,
  VIGIE_HISTORY_ERROR_CORRUPT,
  VIGIE_HISTORY_ERROR_INVALID_TIME,
} VigieHistoryError;

/**
 * VigieSegment:
 * @state: the service's state over the segment
 * @start_us: start, µs since the epoch
 * @end_us: end (exclusive), µs since the epoch
 *
 * One stretch of a timeline.
 */
typedef struct
{
  VigieState state;
  gint64 start_us;
  gint64 end_us;
} VigieSegment;

/**
 * VigieOutage:
 * @service_id: the service's id
 * @service_name: (nullable): its display name when the outage began
 * @provider: (nullable): its provider
 * @state: %VIGIE_STATE_DOWN, %VIGIE_STATE_DEGRADED or
 *   %VIGIE_STATE_MAINTENANCE
 * @start_us: when it began, µs since the epoch
 * @end_us: when it ended, or 0 while it is ongoing
 * @layer: the failing layer when it began
 * @reason: (nullable): one line for people, from when it began
 * @incident_title: (nullable): the official incident's title (the first one
 *   seen during the outage)
 * @incident_url: (nullable): the official incident's page
 *
 * One non-operational period of one service: a run of the same state.
 * Its duration is @end_us − @start_us, or now − @start_us while ongoing.
 */
typedef struct
{
  char *service_id;
  char *service_name;
  char *provider;
  VigieState state;
  gint64 start_us;
  gint64 end_us;
  VigieLayer layer;
  char *reason;
  char *incident_title;
  char *incident_url;
} VigieOutage;

void vigie_outage_free (VigieOutage *outage);

#define VIGIE_TYPE_HISTORY (vigie_history_get_type ())
G_DECLARE_FINAL_TYPE (VigieHistory, vigie_history, VIGIE, HISTORY, GObject)

char          *vigie_history_default_path  (void);

VigieHistory  *vigie_history_open          (const char    *path,
                                            GError       **error);
const char    *vigie_history_get_path      (VigieHistory  *self);
char          *vigie_history_take_notice   (VigieHistory  *self);

gboolean       vigie_history_record        (VigieHistory  *self,
                                            GPtrArray     *transitions,
                                            GError       **error);
gboolean       vigie_history_is_failing    (VigieHistory  *self);
guint          vigie_history_get_n_pending (VigieHistory  *self);

GPtrArray     *vigie_history_transitions   (VigieHistory  *self,
                                            const char    *service_id,
                                            gint64         from_us,
                                            gint64         to_us,
                                            GError       **error);
GArray        *vigie_history_segments      (VigieHistory  *self,
                                            const char    *service_id,
                                            gint64         from_us,
                                            gint64         to_us);
double         vigie_history_uptime        (VigieHistory  *self,
                                            const char    *service_id,
                                            gint64         from_us,
                                            gint64         to_us);
GPtrArray     *vigie_history_outages       (VigieHistory  *self,
                                            gint64         since_us,
                                            gint64         until_us,
                                            GError       **error);

gboolean       vigie_history_parse_since   (const char    *text,
                                            gint64         now_us,
                                            gint64        *since_us,
                                            GError       **error);
char          *vigie_history_format_csv    (GPtrArray     *outages,
                                            gint64         now_us);
char          *vigie_history_format_json   (GPtrArray     *outages,
                                            gint64         now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigieOutage, vigie_outage_free)

G_END_DECLS
