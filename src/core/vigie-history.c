/* vigie-history.c — the outage log in SQLite (contract in vigie-history.h).
 *
 * Only transitions are stored. Segments, outages and uptime are derived on
 * demand from the few rows that matter: the latest transition at or before
 * the window (the state then) and those after it. Transitions are rare — a
 * handful a day per service — so this stays cheap over years of log, and
 * nothing derived can disagree with what was recorded.
 */
#define G_LOG_DOMAIN "vigie-history"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "vigie-history.h"
#include "vigie-json-writer.h"

/* Long enough to ride out another program's short write (the sqlite3 CLI,
 * a second Vigie), short enough not to freeze the main loop noticeably. */
#define BUSY_TIMEOUT_MS 2000

/* Entry i takes a file from version i to i + 1, in one transaction with the
 * others pending. Released entries are never edited: a change to the schema
 * is one more entry, and VIGIE_HISTORY_SCHEMA_VERSION goes up by one. */
static const char *const migrations[] = {
  /* 1: the log itself. Plain CREATE (no IF NOT EXISTS): a version-0 file
   * that already has such a table is someone else's, and must not be
   * mixed with ours. */
  "CREATE TABLE transitions ("
  "  id             INTEGER PRIMARY KEY,"
  "  service_id     TEXT NOT NULL,"
  "  service_name   TEXT,"
  "  provider       TEXT,"
  "  kind           TEXT NOT NULL,"
  "  from_state     TEXT NOT NULL,"
  "  to_state       TEXT NOT NULL,"
  "  at_us          INTEGER NOT NULL,"
  "  since_us       INTEGER NOT NULL DEFAULT 0,"
  "  layer          TEXT NOT NULL,"
  "  http_status    INTEGER NOT NULL DEFAULT 0,"
  "  official       TEXT NOT NULL,"
  "  reason         TEXT,"
  "  incident_title TEXT,"
  "  incident_url   TEXT"
  ");"
  "CREATE INDEX transitions_service_at ON transitions (service_id, at_us);"
  "CREATE INDEX transitions_at ON transitions (at_us);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == VIGIE_HISTORY_SCHEMA_VERSION);

/* Every query reads the same columns, in this order (see transition_from_row). */
#define COLUMNS \
  "service_id, service_name, provider, kind, from_state, to_state, at_us, since_us, " \
  "layer, http_status, official, reason, incident_title, incident_url"

enum
{
  COL_SERVICE_ID,
  COL_SERVICE_NAME,
  COL_PROVIDER,
  COL_KIND,
  COL_FROM,
  COL_TO,
  COL_AT,
  COL_SINCE,
  COL_LAYER,
  COL_HTTP_STATUS,
  COL_OFFICIAL,
  COL_REASON,
  COL_INCIDENT_TITLE,
  COL_INCIDENT_URL,
};

typedef enum
{
  STMT_INSERT,
  STMT_AT_OR_BEFORE,
  STMT_AFTER,
  STMT_RANGE,
  STMT_SERVICES,
  N_STMTS
} StmtId;

/* Values always go through bound parameters. */
static const char *const stmt_sql[N_STMTS] = {
  [STMT_INSERT] =
    "INSERT INTO transitions (" COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
  /* A service's transitions at or before a time, newest first: the first row
   * is its state then. */
  [STMT_AT_OR_BEFORE] =
    "SELECT " COLUMNS " FROM transitions WHERE service_id = ?1 AND at_us <= ?2 "
    "ORDER BY at_us DESC, id DESC",
  [STMT_AFTER] =
    "SELECT " COLUMNS " FROM transitions WHERE service_id = ?1 AND at_us > ?2 "
    "ORDER BY at_us, id",
  [STMT_RANGE] =
    "SELECT " COLUMNS " FROM transitions "
    "WHERE (?1 IS NULL OR service_id = ?1) AND at_us >= ?2 AND at_us <= ?3 "
    "ORDER BY at_us, id",
  [STMT_SERVICES] =
    "SELECT DISTINCT service_id FROM transitions ORDER BY service_id",
};

struct _VigieHistory
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  sqlite3_stmt *stmts[N_STMTS];

  /* Transitions not written yet (VigieTransition *, oldest first). */
  GQueue pending;
  gboolean failing;
  gboolean dropped_logged;
  gboolean reopen;          /* the file was moved, and opening the one now at
                             * the path failed: try again before each write */
  char *notice;
};

G_DEFINE_FINAL_TYPE (VigieHistory, vigie_history, G_TYPE_OBJECT)

G_DEFINE_QUARK (vigie-history-error-quark, vigie_history_error)

/* A cached statement in use: reset and unbound when it goes out of scope, so
 * an early return never leaves a read transaction open. */
typedef sqlite3_stmt HistoryCursor;

static void
history_cursor_release (HistoryCursor *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HistoryCursor, history_cursor_release)

typedef enum
{
  OP_OPEN,
  OP_READ,
  OP_WRITE,
} Operation;

/* ---- errors ------------------------------------------------------------ */

static VigieHistoryError
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return VIGIE_HISTORY_ERROR_NO_SPACE;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return VIGIE_HISTORY_ERROR_READ_ONLY;
    case SQLITE_IOERR:
      return VIGIE_HISTORY_ERROR_IO;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return VIGIE_HISTORY_ERROR_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return VIGIE_HISTORY_ERROR_CORRUPT;
    default:
      return VIGIE_HISTORY_ERROR_FAILED;
    }
}

static VigieHistoryError
error_code_for_errno (int errsv)
{
  switch (errsv)
    {
    case ENOSPC:
    case EDQUOT:
      return VIGIE_HISTORY_ERROR_NO_SPACE;
    case EACCES:
    case EPERM:
    case EROFS:
      return VIGIE_HISTORY_ERROR_READ_ONLY;
    default:
      return VIGIE_HISTORY_ERROR_IO;
    }
}

static const char *
explain (VigieHistoryError code)
{
  switch (code)
    {
    case VIGIE_HISTORY_ERROR_NO_SPACE:
      return _("the disk is full");
    case VIGIE_HISTORY_ERROR_READ_ONLY:
      return _("the file or its folder can’t be written");
    case VIGIE_HISTORY_ERROR_IO:
      return _("the system reported an input/output error");
    case VIGIE_HISTORY_ERROR_BUSY:
      return _("another program keeps it locked");
    case VIGIE_HISTORY_ERROR_CORRUPT:
      return _("the file is damaged");
    case VIGIE_HISTORY_ERROR_FAILED:
    case VIGIE_HISTORY_ERROR_TOO_NEW:
    case VIGIE_HISTORY_ERROR_INVALID_TIME:
    default:
      return _("the database reported an error");
    }
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *path,
                  Operation    op)
{
  VigieHistoryError code = error_code_for_sqlite (rc);
  g_autofree char *display = g_filename_display_name (path);
  /* SQLite's own words, kept for whoever has to dig further. */
  const char *detail = (db != NULL && sqlite3_errcode (db) != SQLITE_OK)
                       ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (op)
    {
    case OP_OPEN:
      g_set_error (error, VIGIE_HISTORY_ERROR, code,
                   _("Could not open the outage log %s: %s (%s)"),
                   display, explain (code), detail);
      break;
    case OP_READ:
      g_set_error (error, VIGIE_HISTORY_ERROR, code,
                   _("Could not read the outage log %s: %s (%s)"),
                   display, explain (code), detail);
      break;
    case OP_WRITE:
    default:
      g_set_error (error, VIGIE_HISTORY_ERROR, code,
                   _("Could not save to the outage log %s: %s (%s)"),
                   display, explain (code), detail);
      break;
    }
}

static gboolean
is_corrupt_rc (int rc)
{
  return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* ---- enum <-> stored strings ------------------------------------------ */

/* The stored strings are the modules' own to_string() names; reading maps
 * them back by asking the same functions, so the two never drift apart.
 * A name this version doesn't know (a newer Vigie wrote it) reads as the
 * value that claims the least. */

static VigieState
state_from_string (const char *str)
{
  for (VigieState s = VIGIE_STATE_UNKNOWN; s <= VIGIE_STATE_DOWN; s++)
    if (g_strcmp0 (str, vigie_state_to_string (s)) == 0)
      return s;
  return VIGIE_STATE_UNKNOWN;
}

static VigieTransitionKind
kind_from_string (const char *str)
{
  for (VigieTransitionKind k = VIGIE_TRANSITION_STATE; k <= VIGIE_TRANSITION_FLAPPING_STOPPED; k++)
    if (g_strcmp0 (str, vigie_transition_kind_to_string (k)) == 0)
      return k;
  return VIGIE_TRANSITION_STATE;
}

static VigieOfficialLevel
official_from_string (const char *str)
{
  for (VigieOfficialLevel l = VIGIE_OFFICIAL_UNKNOWN; l <= VIGIE_OFFICIAL_MAJOR; l++)
    if (g_strcmp0 (str, vigie_official_level_to_string (l)) == 0)
      return l;
  return VIGIE_OFFICIAL_UNKNOWN;
}

static VigieLayer
layer_from_string (const char *str)
{
  VigieLayer layer = VIGIE_LAYER_OK;

  if (!vigie_layer_from_string (str, &layer))
    return VIGIE_LAYER_OK;
  return layer;
}

static gboolean
is_outage_state (VigieState state)
{
  return state == VIGIE_STATE_DOWN
         || state == VIGIE_STATE_DEGRADED
         || state == VIGIE_STATE_MAINTENANCE;
}

/* ---- opening ----------------------------------------------------------- */

static int
query_int (sqlite3    *db,
           const char *sql,
           gint64     *out_value)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  *out_value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    rc = SQLITE_OK;
  sqlite3_finalize (stmt);
  return rc;
}

static int
query_text (sqlite3     *db,
            const char  *sql,
            char       **out_text)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  *out_text = NULL;
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    rc = SQLITE_OK;
  sqlite3_finalize (stmt);
  return rc;
}

static void
set_too_new_error (GError     **error,
                   const char  *path,
                   gint64       version)
{
  g_autofree char *display = g_filename_display_name (path);

  /* user_version is a 32-bit integer in the file header. */
  g_set_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_TOO_NEW,
               _("The outage log %s was written by a newer version of Vigie (format %d; "
                 "this version knows up to %d). It was left untouched: update Vigie, or "
                 "move the file away to start a new log."),
               display, (int) version, VIGIE_HISTORY_SCHEMA_VERSION);
}

typedef enum
{
  OPEN_OK,
  OPEN_CORRUPT,
  OPEN_FAILED,
} OpenResult;

/* Closes a connection to a file we refused (damaged, too new) without the
 * checkpoint SQLite does on close, which would write the -wal's pages into
 * that file and delete the -wal: what is moved aside, or left to a newer
 * Vigie, must be what was there. */
static void
close_untouched (sqlite3 *db)
{
  if (db != NULL)
    sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_close (db);
}

/* Brings the schema up to date, all steps in one transaction: a file is
 * either at its old version or at ours, never in between. */
static OpenResult
migrate (sqlite3     *db,
         const char  *path,
         gint64       version,
         GError     **error)
{
  g_autofree char *set_version = NULL;
  int rc;

  if (version == VIGIE_HISTORY_SCHEMA_VERSION)
    return OPEN_OK;

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  /* Again under the write lock: another Vigie may have just done it. */
  rc = query_int (db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK)
    goto failed;
  if (version < 0 || version > VIGIE_HISTORY_SCHEMA_VERSION)
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      set_too_new_error (error, path, version);
      return OPEN_FAILED;
    }

  for (gint64 v = version; v < VIGIE_HISTORY_SCHEMA_VERSION; v++)
    {
      g_debug ("Migrating %s to version %" G_GINT64_FORMAT, path, v + 1);
      rc = sqlite3_exec (db, migrations[v], NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        goto failed;
    }

  /* PRAGMA takes no bound parameters; the value is our own constant. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d", VIGIE_HISTORY_SCHEMA_VERSION);
  rc = sqlite3_exec (db, set_version, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  return OPEN_OK;

failed:
  set_sqlite_error (error, db, rc, path, OP_OPEN);
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return is_corrupt_rc (rc) ? OPEN_CORRUPT : OPEN_FAILED;
}

/* The log tells which services its user depends on, and when: it is
 * theirs alone, like the settings. SQLite creates a database 0644 (less the
 * umask) and its -wal and -shm with the database's own mode, so the file is
 * made 0600 before SQLite opens it: created so if missing, tightened if an
 * older Vigie made it more open. The companions of such a file are
 * tightened too. Best effort: whatever goes wrong here, SQLite meets it
 * again and reports it. */
static void
make_private (const char *path)
{
  static const char *const companions[] = { "-wal", "-shm", "-journal" };
  struct stat st;
  int fd;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
  if (fd < 0)
    return;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0077) != 0
      && fchmod (fd, st.st_mode & 0700) != 0)
    g_debug ("%s: could not make it private: %s", path, g_strerror (errno));
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (path, companions[i], NULL);

      if (g_lstat (companion, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0077) != 0)
        g_chmod (companion, st.st_mode & 0700);
    }
}

static OpenResult
open_connection (const char  *path,
                 sqlite3    **out_db,
                 GError     **error)
{
  sqlite3 *db = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *check = NULL;
  gint64 version = 0;
  OpenResult result;
  int rc;

  make_private (path);
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  /* The version first, before anything writes (even switching to WAL does):
   * a file from a newer Vigie must stay exactly as it is. Reading it is
   * also where a file that is not a database shows up. */
  rc = query_int (db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK)
    goto failed;
  if (version < 0 || version > VIGIE_HISTORY_SCHEMA_VERSION)
    {
      set_too_new_error (error, path, version);
      close_untouched (db);
      return OPEN_FAILED;
    }

  rc = query_text (db, "PRAGMA journal_mode = WAL", &mode);
  if (rc != SQLITE_OK)
    goto failed;
  /* Some file systems (no shared memory) can't do WAL; the log works in
   * SQLite's default mode there too, only with more fsyncs. */
  if (g_strcmp0 (mode, "wal") != 0)
    g_debug ("%s: journal mode is %s, not wal", path, mode);

  rc = sqlite3_exec (db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  /* quick_check reads every page (without the costly index cross-checks):
   * milliseconds for a log, and it finds damage now rather than in the
   * middle of an outage. */
  rc = query_text (db, "PRAGMA quick_check(1)", &check);
  if (rc != SQLITE_OK)
    goto failed;
  if (g_strcmp0 (check, "ok") != 0)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_CORRUPT,
                   _("The outage log %s is damaged (%s)"), display,
                   check != NULL ? check : "?");
      close_untouched (db);
      return OPEN_CORRUPT;
    }

  result = migrate (db, path, version, error);
  if (result != OPEN_OK)
    {
      close_untouched (db);
      return result;
    }

  *out_db = db;
  return OPEN_OK;

failed:
  set_sqlite_error (error, db, rc, path, OP_OPEN);
  /* sqlite3_open_v2() hands back a handle even when it fails. */
  close_untouched (db);
  return is_corrupt_rc (rc) ? OPEN_CORRUPT : OPEN_FAILED;
}

/* Moves a damaged log and its companions aside, never deleting anything.
 * A -wal left beside the new file would be replayed into it, so the
 * companions must go too, or the recovery stops. */
static gboolean
move_aside (const char  *path,
            char       **out_moved_to,
            GError     **error)
{
  static const char *const companions[] = { "-wal", "-shm", "-journal" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  /* Twice in one second (a damaged log recreated on a broken disk). */
  for (guint n = 1; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (g_rename (path, target) != 0)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, VIGIE_HISTORY_ERROR, error_code_for_errno (errsv),
                   _("The outage log %s is damaged and could not be moved aside: %s"),
                   display, g_strerror (errsv));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (target, companions[i], NULL);

      if (!g_file_test (from, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (from, to) != 0 && g_unlink (from) != 0)
        {
          int errsv = errno;
          g_autofree char *display = g_filename_display_name (from);

          g_set_error (error, VIGIE_HISTORY_ERROR, error_code_for_errno (errsv),
                       _("The outage log is damaged and %s could not be moved aside: %s"),
                       display, g_strerror (errsv));
          return FALSE;
        }
    }

  *out_moved_to = g_steal_pointer (&target);
  return TRUE;
}

/* Opens the log at @path; a damaged one is moved aside and a new one
 * started, and @out_moved_to says where the damaged one went. */
static gboolean
open_or_repair (const char  *path,
                sqlite3    **out_db,
                char       **out_moved_to,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  OpenResult result;

  *out_moved_to = NULL;
  result = open_connection (path, out_db, &local_error);
  if (result == OPEN_CORRUPT)
    {
      g_message ("%s; moving it aside", local_error->message);
      g_clear_error (&local_error);
      if (!move_aside (path, out_moved_to, error))
        return FALSE;
      result = open_connection (path, out_db, &local_error);
    }
  if (result != OPEN_OK)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static char *
damaged_notice (const char *moved_to)
{
  g_autofree char *display = g_filename_display_name (moved_to);

  return g_strdup_printf (_("The outage log was damaged and could not be read. "
                            "It was moved aside as %s and a new log was started."),
                          display);
}

/* ---- the object -------------------------------------------------------- */

static void
close_connection (VigieHistory *self)
{
  int moved = 0;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);

  /* Closing a file that was moved, SQLite leaves the -wal as it is, lest
   * it be written into whatever now stands at the path; but a log opened
   * at the path later would then take that -wal as its own. So the -wal
   * goes into the file it belongs to first (through the descriptors, so
   * wherever that file now is), and is emptied. */
  if (sqlite3_file_control (self->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK
      && moved)
    {
      int rc = sqlite3_wal_checkpoint_v2 (self->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL,
                                          NULL);

      if (rc != SQLITE_OK)
        g_debug ("%s: the -wal of the moved log could not be written back: %s", self->path,
                 sqlite3_errstr (rc));
    }
  sqlite3_close (self->db);
  self->db = NULL;
}

/* Another program may move the log away, or put another file in its place
 * (an archive, a restored copy), while Vigie runs. SQLite would go on
 * writing to the file it opened, no longer the log at the path; so before
 * each write, if the file has moved, the log at the path is opened instead
 * (created and migrated if there is none). */
static gboolean
reopen_if_moved (VigieHistory  *self,
                 GError       **error)
{
  g_autofree char *moved_to = NULL;
  sqlite3 *db = NULL;
  int moved = 0;

  if (self->db != NULL)
    {
      if (sqlite3_file_control (self->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK
          || !moved)
        return TRUE;
      g_message ("%s was moved or replaced by another program; opening the log at that path",
                 self->path);
      close_connection (self);
      self->reopen = TRUE;
    }
  if (!self->reopen)
    return TRUE;  /* closed for good: get_stmt() says so */

  if (!open_or_repair (self->path, &db, &moved_to, error))
    return FALSE;
  self->db = db;
  self->reopen = FALSE;
  if (moved_to != NULL)
    {
      g_free (self->notice);
      self->notice = damaged_notice (moved_to);
    }
  return TRUE;
}

static gboolean write_transitions (VigieHistory  *self,
                                   GPtrArray     *transitions,
                                   GError       **error);

static void
vigie_history_dispose (GObject *object)
{
  VigieHistory *self = VIGIE_HISTORY (object);

  /* A last chance for what a failing disk held back (into the log now at
   * the path, if it was moved). */
  if ((self->db != NULL || self->reopen) && !g_queue_is_empty (&self->pending))
    {
      g_autoptr(GError) error = NULL;

      if (write_transitions (self, NULL, &error))
        g_queue_clear_full (&self->pending, (GDestroyNotify) vigie_transition_free);
      else
        g_warning ("%u transitions could not be saved: %s",
                   self->pending.length, error->message);
    }
  if (self->db != NULL)
    close_connection (self);
  self->reopen = FALSE;

  G_OBJECT_CLASS (vigie_history_parent_class)->dispose (object);
}

static void
vigie_history_finalize (GObject *object)
{
  VigieHistory *self = VIGIE_HISTORY (object);

  g_queue_clear_full (&self->pending, (GDestroyNotify) vigie_transition_free);
  g_free (self->path);
  g_free (self->notice);

  G_OBJECT_CLASS (vigie_history_parent_class)->finalize (object);
}

static void
vigie_history_class_init (VigieHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigie_history_dispose;
  object_class->finalize = vigie_history_finalize;
}

static void
vigie_history_init (VigieHistory *self)
{
  g_queue_init (&self->pending);
}

/**
 * vigie_history_default_path:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/vigie/history.db`
 */
char *
vigie_history_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "vigie", "history.db", NULL);
}

/**
 * vigie_history_open:
 * @path: the database file (made 0600); its folder is created (0700) if
 *   needed, and made 0700 if it is the default one
 * @error: return location for a #VIGIE_HISTORY_ERROR
 *
 * Opens the log, creating or migrating it. A damaged file is moved aside
 * and a new one started (see vigie_history_take_notice()); a file from a
 * newer Vigie is refused with %VIGIE_HISTORY_ERROR_TOO_NEW and not touched.
 *
 * Returns: (transfer full) (nullable): the log, or %NULL with @error set
 */
VigieHistory *
vigie_history_open (const char  *path,
                    GError     **error)
{
  g_autoptr(VigieHistory) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *moved_to = NULL;
  sqlite3 *db = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, VIGIE_HISTORY_ERROR, error_code_for_errno (errsv),
                   _("Could not create the folder %s for the outage log: %s"),
                   display, g_strerror (errsv));
      return NULL;
    }

  /* Vigie's own state folder is private even if something else made it;
   * a folder the caller chose is left as it is. */
  default_path = vigie_history_default_path ();
  if (g_strcmp0 (path, default_path) == 0)
    {
      GStatBuf st;

      if (g_stat (dir, &st) == 0 && (st.st_mode & 0077) != 0 && g_chmod (dir, 0700) != 0)
        g_debug ("%s: could not make it private: %s", dir, g_strerror (errno));
    }

  if (!open_or_repair (path, &db, &moved_to, error))
    return NULL;

  self = g_object_new (VIGIE_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  self->db = db;
  if (moved_to != NULL)
    self->notice = damaged_notice (moved_to);
  return g_steal_pointer (&self);
}

/**
 * vigie_history_get_path:
 * @self: a #VigieHistory
 *
 * Returns: (transfer none): the database file
 */
const char *
vigie_history_get_path (VigieHistory *self)
{
  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);

  return self->path;
}

/**
 * vigie_history_take_notice:
 * @self: a #VigieHistory
 *
 * Something the user should hear about the log itself (it was damaged and
 * replaced), as one translated sentence. Each notice is returned once.
 *
 * Returns: (transfer full) (nullable): the notice, or %NULL
 */
char *
vigie_history_take_notice (VigieHistory *self)
{
  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);

  return g_steal_pointer (&self->notice);
}

static sqlite3_stmt *
get_stmt (VigieHistory  *self,
          StmtId         id,
          Operation      op,
          GError       **error)
{
  if (self->db == NULL)
    {
      g_set_error_literal (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_FAILED,
                           _("The outage log is closed"));
      return NULL;
    }
  if (self->stmts[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                   &self->stmts[id], NULL);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (error, self->db, rc, self->path, op);
          g_clear_pointer (&self->stmts[id], sqlite3_finalize);
          return NULL;
        }
    }
  return self->stmts[id];
}

/* ---- writing ----------------------------------------------------------- */

static int
insert_one (sqlite3_stmt          *stmt,
            const VigieTransition *t)
{
  int rc;

  /* SQLITE_STATIC: the strings outlive the step, and the reset below drops
   * every reference to them. */
  sqlite3_bind_text (stmt, 1, t->service_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->service_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, t->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, vigie_transition_kind_to_string (t->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, vigie_state_to_string (t->from), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, vigie_state_to_string (t->to), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, t->at);
  sqlite3_bind_int64 (stmt, 8, t->since);
  sqlite3_bind_text (stmt, 9, vigie_layer_to_string (t->layer), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, t->http_status);
  sqlite3_bind_text (stmt, 11, vigie_official_level_to_string (t->official), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, t->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, t->incident_title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, t->incident_url, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Writes the pending transitions, then @transitions, in one transaction. */
static gboolean
write_transitions (VigieHistory  *self,
                   GPtrArray     *transitions,
                   GError       **error)
{
  sqlite3_stmt *insert;
  int rc;

  if (!reopen_if_moved (self, error))
    return FALSE;
  insert = get_stmt (self, STMT_INSERT, OP_WRITE, error);
  if (insert == NULL)
    return FALSE;

  rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      rc = insert_one (insert, l->data);
      if (rc != SQLITE_OK)
        goto failed;
    }
  for (guint i = 0; transitions != NULL && i < transitions->len; i++)
    {
      rc = insert_one (insert, g_ptr_array_index (transitions, i));
      if (rc != SQLITE_OK)
        goto failed;
    }

  rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  return TRUE;

failed:
  /* The message first: the rollback would overwrite SQLite's. */
  set_sqlite_error (error, self->db, rc, self->path, OP_WRITE);
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/**
 * vigie_history_record:
 * @self: a #VigieHistory
 * @transitions: (element-type VigieTransition) (nullable): one round's
 *   transitions, in order; %NULL or empty only retries what is pending
 * @error: return location for a #VIGIE_HISTORY_ERROR
 *
 * Stores one round's transitions, after any that earlier failures held
 * back, in a single transaction.
 *
 * On failure nothing of it is stored, what was stored before is untouched,
 * and the transitions are kept in memory (copied; at most
 * %VIGIE_HISTORY_MAX_PENDING, the oldest dropped first) for the next call
 * that succeeds. Any failure is kept that way, since retrying costs little
 * and a lost transition can't be recovered. Check vigie_history_is_failing()
 * before the call to tell a new problem from one that goes on.
 *
 * Returns: %TRUE if everything, pending included, is stored
 */
gboolean
vigie_history_record (VigieHistory  *self,
                      GPtrArray     *transitions,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  guint n_dropped = 0;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  for (guint i = 0; transitions != NULL && i < transitions->len; i++)
    {
      const VigieTransition *t = g_ptr_array_index (transitions, i);

      g_return_val_if_fail (t != NULL && t->service_id != NULL, FALSE);
    }

  if ((transitions == NULL || transitions->len == 0) && g_queue_is_empty (&self->pending))
    return TRUE;

  if (write_transitions (self, transitions, &local_error))
    {
      if (self->failing)
        g_debug ("%s is written again (%u held-back transitions saved)",
                 self->path, self->pending.length);
      g_queue_clear_full (&self->pending, (GDestroyNotify) vigie_transition_free);
      self->failing = FALSE;
      self->dropped_logged = FALSE;
      return TRUE;
    }

  for (guint i = 0; transitions != NULL && i < transitions->len; i++)
    g_queue_push_tail (&self->pending, vigie_transition_copy (g_ptr_array_index (transitions, i)));
  /* Newest kept: what is happening now matters more than the start of a
   * long episode, and the newest transitions carry the current states. */
  while (self->pending.length > VIGIE_HISTORY_MAX_PENDING)
    {
      vigie_transition_free (g_queue_pop_head (&self->pending));
      n_dropped++;
    }
  if (n_dropped > 0 && !self->dropped_logged)
    {
      g_warning ("The outage log can't be written; %u of the oldest transitions held in "
                 "memory were dropped", n_dropped);
      self->dropped_logged = TRUE;
    }

  self->failing = TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * vigie_history_is_failing:
 * @self: a #VigieHistory
 *
 * Returns: %TRUE from a failed vigie_history_record() until one succeeds
 */
gboolean
vigie_history_is_failing (VigieHistory *self)
{
  g_return_val_if_fail (VIGIE_IS_HISTORY (self), FALSE);

  return self->failing;
}

/**
 * vigie_history_get_n_pending:
 * @self: a #VigieHistory
 *
 * Returns: how many transitions wait in memory to be written
 */
guint
vigie_history_get_n_pending (VigieHistory *self)
{
  g_return_val_if_fail (VIGIE_IS_HISTORY (self), 0);

  return self->pending.length;
}

/* ---- reading ----------------------------------------------------------- */

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static VigieTransition *
transition_from_row (sqlite3_stmt *stmt)
{
  VigieTransition *t = vigie_transition_new ();

  t->service_id = column_dup (stmt, COL_SERVICE_ID);
  t->service_name = column_dup (stmt, COL_SERVICE_NAME);
  t->provider = column_dup (stmt, COL_PROVIDER);
  t->kind = kind_from_string ((const char *) sqlite3_column_text (stmt, COL_KIND));
  t->from = state_from_string ((const char *) sqlite3_column_text (stmt, COL_FROM));
  t->to = state_from_string ((const char *) sqlite3_column_text (stmt, COL_TO));
  t->at = sqlite3_column_int64 (stmt, COL_AT);
  t->since = sqlite3_column_int64 (stmt, COL_SINCE);
  t->layer = layer_from_string ((const char *) sqlite3_column_text (stmt, COL_LAYER));
  t->http_status = (guint) CLAMP (sqlite3_column_int64 (stmt, COL_HTTP_STATUS), 0, G_MAXUINT);
  t->official = official_from_string ((const char *) sqlite3_column_text (stmt, COL_OFFICIAL));
  t->reason = column_dup (stmt, COL_REASON);
  t->incident_title = column_dup (stmt, COL_INCIDENT_TITLE);
  t->incident_url = column_dup (stmt, COL_INCIDENT_URL);
  return t;
}

/**
 * vigie_history_transitions:
 * @self: a #VigieHistory
 * @service_id: (nullable): one service, or %NULL for all
 * @from_us: start, µs since the epoch (inclusive)
 * @to_us: end, µs since the epoch (inclusive)
 * @error: return location for a #VIGIE_HISTORY_ERROR
 *
 * The stored transitions in [@from_us, @to_us], oldest first, as recorded.
 *
 * Returns: (transfer full) (element-type VigieTransition) (nullable): the
 *   transitions, or %NULL with @error set
 */
GPtrArray *
vigie_history_transitions (VigieHistory  *self,
                           const char    *service_id,
                           gint64         from_us,
                           gint64         to_us,
                           GError       **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(HistoryCursor) stmt = NULL;
  int rc;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = get_stmt (self, STMT_RANGE, OP_READ, error);
  if (stmt == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, transition_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path, OP_READ);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* Appends a stretch, merging it into the previous one when the state is the
 * same, and dropping it when empty (two transitions at the same µs). */
static void
segments_append (GArray     *segments,
                 VigieState  state,
                 gint64      start_us,
                 gint64      end_us)
{
  VigieSegment segment = { state, start_us, end_us };

  if (end_us <= start_us)
    return;
  if (segments->len > 0)
    {
      VigieSegment *last = &g_array_index (segments, VigieSegment, segments->len - 1);

      if (last->state == state && last->end_us == start_us)
        {
          last->end_us = end_us;
          return;
        }
    }
  g_array_append_val (segments, segment);
}

static gboolean
service_segments (VigieHistory  *self,
                  const char    *service_id,
                  gint64         from_us,
                  gint64         to_us,
                  GArray        *segments,
                  GError       **error)
{
  VigieState state = VIGIE_STATE_UNKNOWN;
  gint64 start_us = from_us;
  int rc;

  {
    g_autoptr(HistoryCursor) stmt = get_stmt (self, STMT_AT_OR_BEFORE, OP_READ, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, from_us);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      state = state_from_string ((const char *) sqlite3_column_text (stmt, COL_TO));
    else if (rc != SQLITE_DONE)
      goto failed;
  }

  {
    g_autoptr(HistoryCursor) stmt = get_stmt (self, STMT_AFTER, OP_READ, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, from_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 at_us = sqlite3_column_int64 (stmt, COL_AT);
        VigieState to = state_from_string ((const char *) sqlite3_column_text (stmt, COL_TO));

        if (at_us >= to_us)
          break;
        if (to == state)
          continue;
        segments_append (segments, state, start_us, at_us);
        state = to;
        start_us = at_us;
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      goto failed;
  }

  segments_append (segments, state, start_us, to_us);
  return TRUE;

failed:
  set_sqlite_error (error, self->db, rc, self->path, OP_READ);
  return FALSE;
}

/**
 * vigie_history_segments:
 * @self: a #VigieHistory
 * @service_id: the service
 * @from_us: start of the window, µs since the epoch
 * @to_us: end of the window (exclusive), normally now
 *
 * The service's timeline over the window: contiguous segments from
 * @from_us to @to_us, neighbours never in the same state,
 * %VIGIE_STATE_UNKNOWN where nothing is known (before its first
 * transition). The last known state is taken to last until @to_us.
 * If the log can't be read the whole window is UNKNOWN (and a warning
 * logged): a timeline has nothing better to draw.
 *
 * Returns: (transfer full) (element-type VigieSegment): the segments; empty
 *   when @to_us <= @from_us
 */
GArray *
vigie_history_segments (VigieHistory *self,
                        const char   *service_id,
                        gint64        from_us,
                        gint64        to_us)
{
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);

  segments = g_array_new (FALSE, FALSE, sizeof (VigieSegment));
  if (to_us <= from_us)
    return g_steal_pointer (&segments);

  if (!service_segments (self, service_id, from_us, to_us, segments, &error))
    {
      g_warning_once ("%s", error->message);
      g_array_set_size (segments, 0);
      segments_append (segments, VIGIE_STATE_UNKNOWN, from_us, to_us);
    }
  return g_steal_pointer (&segments);
}

/**
 * vigie_history_uptime:
 * @self: a #VigieHistory
 * @service_id: the service
 * @from_us: start of the window, µs since the epoch
 * @to_us: end of the window, normally now
 *
 * The share of the *known* time in the window during which the service was
 * up. Up means OPERATIONAL or MAINTENANCE: planned, announced work is not a
 * failure, as status pages count it; DEGRADED and DOWN are not up. Time
 * before the service's first transition (UNKNOWN) counts for nothing
 * either way.
 *
 * Returns: a fraction in [0, 1], or -1 when nothing is known in the window
 */
double
vigie_history_uptime (VigieHistory *self,
                      const char   *service_id,
                      gint64        from_us,
                      gint64        to_us)
{
  g_autoptr(GArray) segments = NULL;
  gint64 known = 0;
  gint64 up = 0;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), -1);
  g_return_val_if_fail (service_id != NULL, -1);

  segments = vigie_history_segments (self, service_id, from_us, to_us);
  for (guint i = 0; i < segments->len; i++)
    {
      const VigieSegment *segment = &g_array_index (segments, VigieSegment, i);
      gint64 length = segment->end_us - segment->start_us;

      if (segment->state == VIGIE_STATE_UNKNOWN)
        continue;
      known += length;
      if (segment->state == VIGIE_STATE_OPERATIONAL || segment->state == VIGIE_STATE_MAINTENANCE)
        up += length;
    }

  if (known == 0)
    return -1;
  return (double) up / (double) known;
}

/**
 * vigie_outage_free:
 * @outage: (nullable): an outage
 */
void
vigie_outage_free (VigieOutage *outage)
{
  if (outage == NULL)
    return;
  g_free (outage->service_id);
  g_free (outage->service_name);
  g_free (outage->provider);
  g_free (outage->reason);
  g_free (outage->incident_title);
  g_free (outage->incident_url);
  g_free (outage);
}

/* Turns one service's transitions, oldest first, into outages. */
typedef struct
{
  GPtrArray *outages;
  gint64 since_us;
  gint64 until_us;
  VigieState state;
  VigieOutage *current;
} RunBuilder;

static void
runs_close (RunBuilder *runs,
            gint64      end_us)
{
  VigieOutage *outage = g_steal_pointer (&runs->current);

  if (outage == NULL)
    return;
  outage->end_us = end_us;
  /* Overlaps the window: began by its end, and still going at its start. */
  if (outage->start_us <= runs->until_us && (end_us == 0 || end_us > runs->since_us))
    g_ptr_array_add (runs->outages, outage);
  else
    vigie_outage_free (outage);
}

static void
runs_feed (RunBuilder            *runs,
           const VigieTransition *t)
{
  VigieOutage *outage = runs->current;

  if (t->to == runs->state)
    {
      /* Same state (a flapping episode ending where it began): the outage
       * goes on. The official word often comes after our own detection. */
      if (outage != NULL && outage->incident_title == NULL && t->incident_title != NULL)
        {
          outage->incident_title = g_strdup (t->incident_title);
          outage->incident_url = g_strdup (t->incident_url);
        }
      return;
    }

  runs_close (runs, t->at);
  runs->state = t->to;
  if (!is_outage_state (t->to))
    return;

  outage = g_new0 (VigieOutage, 1);
  outage->service_id = g_strdup (t->service_id);
  outage->service_name = g_strdup (t->service_name);
  outage->provider = g_strdup (t->provider);
  outage->state = t->to;
  outage->start_us = t->at;
  outage->layer = t->layer;
  outage->reason = g_strdup (t->reason);
  outage->incident_title = g_strdup (t->incident_title);
  outage->incident_url = g_strdup (t->incident_url);
  runs->current = outage;
}

static gboolean
service_outages (VigieHistory  *self,
                 const char    *service_id,
                 RunBuilder    *runs,
                 GError       **error)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_transition_free);
  gboolean past_window = FALSE;
  int rc;

  runs->state = VIGIE_STATE_UNKNOWN;
  runs->current = NULL;

  /* Backwards from the window's start, to the first transition of the run
   * the service was in then: an outage that began before the window is
   * listed with its real start. */
  {
    g_autoptr(HistoryCursor) stmt = get_stmt (self, STMT_AT_OR_BEFORE, OP_READ, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, runs->since_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        VigieTransition *t = transition_from_row (stmt);
        const VigieTransition *newest = before->len > 0 ? g_ptr_array_index (before, 0) : NULL;

        if (newest != NULL && t->to != newest->to)
          {
            vigie_transition_free (t);
            break;
          }
        g_ptr_array_add (before, t);
        if (!is_outage_state (t->to))
          break;
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      goto failed;
  }
  for (guint i = before->len; i > 0; i--)
    runs_feed (runs, g_ptr_array_index (before, i - 1));

  /* Forwards, until the first change after the window's end: it closes the
   * outage in progress there, and nothing later can overlap. */
  {
    g_autoptr(HistoryCursor) stmt = get_stmt (self, STMT_AFTER, OP_READ, error);

    if (stmt == NULL)
      goto cleanup;
    sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, runs->since_us);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_autoptr(VigieTransition) t = transition_from_row (stmt);
        gboolean changes = t->to != runs->state;

        runs_feed (runs, t);
        if (changes && t->at > runs->until_us)
          {
            past_window = TRUE;
            break;
          }
      }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      goto failed;
  }

  if (past_window)
    g_clear_pointer (&runs->current, vigie_outage_free);  /* began after the window */
  else
    runs_close (runs, 0);  /* still going */
  return TRUE;

failed:
  set_sqlite_error (error, self->db, rc, self->path, OP_READ);
cleanup:
  g_clear_pointer (&runs->current, vigie_outage_free);
  return FALSE;
}

static int
outage_compare_newest_first (gconstpointer a,
                             gconstpointer b)
{
  const VigieOutage *x = *(const VigieOutage *const *) a;
  const VigieOutage *y = *(const VigieOutage *const *) b;

  if (x->start_us != y->start_us)
    return x->start_us > y->start_us ? -1 : 1;
  return g_strcmp0 (x->service_id, y->service_id);
}

/**
 * vigie_history_outages:
 * @self: a #VigieHistory
 * @since_us: start of the window, µs since the epoch
 * @until_us: end of the window, normally now
 * @error: return location for a #VIGIE_HISTORY_ERROR
 *
 * Every non-operational period (down, degraded, maintenance) of every
 * service that overlaps the window: it began at or before @until_us and
 * was still going after @since_us. A run of one state is one outage, so
 * degraded then down is two. An outage that began before the window keeps
 * its real start. Ongoing ones have an @end_us of 0. Sorted newest start
 * first, then by service id.
 *
 * Returns: (transfer full) (element-type VigieOutage) (nullable): the
 *   outages, or %NULL with @error set
 */
GPtrArray *
vigie_history_outages (VigieHistory  *self,
                       gint64         since_us,
                       gint64         until_us,
                       GError       **error)
{
  g_autoptr(GPtrArray) outages = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  RunBuilder runs = { 0 };
  int rc;

  g_return_val_if_fail (VIGIE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The ids first: the per-service queries below can't run inside this one
   * (they reuse their own cached statements, but not this cursor's). */
  {
    g_autoptr(HistoryCursor) stmt = get_stmt (self, STMT_SERVICES, OP_READ, error);

    if (stmt == NULL)
      return NULL;
    ids = g_ptr_array_new_with_free_func (g_free);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, column_dup (stmt, 0));
    if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, self->db, rc, self->path, OP_READ);
        return NULL;
      }
  }

  outages = g_ptr_array_new_with_free_func ((GDestroyNotify) vigie_outage_free);
  runs.outages = outages;
  runs.since_us = since_us;
  runs.until_us = until_us;
  for (guint i = 0; i < ids->len; i++)
    if (!service_outages (self, g_ptr_array_index (ids, i), &runs, error))
      return NULL;

  g_ptr_array_sort (outages, outage_compare_newest_first);
  return g_steal_pointer (&outages);
}

/* ---- --since ----------------------------------------------------------- */

static gboolean
all_digits (const char *s,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
set_since_error (GError     **error,
                 const char  *text)
{
  g_set_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_INVALID_TIME,
               _("“%s” is not a time Vigie understands. Use a duration back from now "
                 "such as 90m, 24h, 7d or 2w, a date such as 2021-10-04, or a date and "
                 "time such as 2021-10-04T17:39:00"),
               text);
}

/**
 * vigie_history_parse_since:
 * @text: what the user typed
 * @now_us: the current wall-clock time, µs since the epoch
 * @since_us: (out): the time meant, µs since the epoch
 * @error: return location for %VIGIE_HISTORY_ERROR_INVALID_TIME
 *
 * Reads a `--since` value: a duration back from @now_us — digits then `m`
 * (minutes), `h`, `d` or `w` (weeks): "90m", "24h", "7d", "2w" — or an
 * ISO 8601 date ("2021-10-04", local midnight) or date and time
 * ("2021-10-04T17:39:00", local time unless it carries "Z" or an offset;
 * a space may stand for the "T"). Times after @now_us are refused.
 *
 * Returns: %TRUE if @text was understood
 */
gboolean
vigie_history_parse_since (const char  *text,
                           gint64       now_us,
                           gint64      *since_us,
                           GError     **error)
{
  g_autofree char *s = NULL;
  g_autoptr(GDateTime) dt = NULL;
  gint64 result;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (since_us != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s = g_strstrip (g_strdup (text));
  len = strlen (s);

  if (len >= 2 && all_digits (s, len - 1))
    {
      guint64 unit;
      guint64 n;

      switch (g_ascii_tolower (s[len - 1]))
        {
        case 'm': unit = 60 * G_USEC_PER_SEC; break;
        case 'h': unit = 3600 * (guint64) G_USEC_PER_SEC; break;
        case 'd': unit = 86400 * (guint64) G_USEC_PER_SEC; break;
        case 'w': unit = 7 * 86400 * (guint64) G_USEC_PER_SEC; break;
        default:
          set_since_error (error, text);
          return FALSE;
        }
      s[len - 1] = '\0';
      /* Bounded so the product can't overflow, and reaching back before
       * 1970 is refused rather than wrapped. */
      if (!g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64 / unit, &n, NULL)
          || now_us < 0 || n * unit > (guint64) now_us)
        {
          set_since_error (error, text);
          return FALSE;
        }
      *since_us = now_us - (gint64) (n * unit);
      return TRUE;
    }

  if (len == 10 && all_digits (s, 4) && s[4] == '-' && all_digits (s + 5, 2) && s[7] == '-'
      && all_digits (s + 8, 2))
    {
      int year = (int) g_ascii_strtoll (s, NULL, 10);
      int month = (int) g_ascii_strtoll (s + 5, NULL, 10);
      int day = (int) g_ascii_strtoll (s + 8, NULL, 10);

      /* NULL for impossible dates (2021-02-30), unlike mktime(). */
      dt = g_date_time_new_local (year, month, day, 0, 0, 0);
    }
  else
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      dt = g_date_time_new_from_iso8601 (s, local);
    }
  if (dt == NULL)
    {
      set_since_error (error, text);
      return FALSE;
    }

  result = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  if (result > now_us)
    {
      g_set_error (error, VIGIE_HISTORY_ERROR, VIGIE_HISTORY_ERROR_INVALID_TIME,
                   _("“%s” is in the future"), text);
      return FALSE;
    }
  *since_us = result;
  return TRUE;
}

/* ---- export ------------------------------------------------------------ */

/* ISO 8601 in local time with its offset, to the second:
 * 2021-10-04T17:39:00+02:00. Spreadsheets and people both read it. */
static char *
format_local_time (gint64 us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);

  if (dt == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

static gint64
outage_duration_s (const VigieOutage *outage,
                   gint64             now_us)
{
  gint64 end_us = outage->end_us != 0 ? outage->end_us : now_us;

  return MAX (end_us - outage->start_us, 0) / G_USEC_PER_SEC;
}

/* RFC 4180: quoted only when needed, quotes doubled. Line breaks inside a
 * field are kept: LibreOffice and Excel read them within quotes. Text is
 * written as stored (made valid UTF-8), except that a field starting with
 * = + - @, a tab or a carriage return gets a ' in front, so a spreadsheet
 * shows it as text instead of running it as a formula. */
static void
csv_field (GString    *out,
           const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL)
    return;
  valid = g_utf8_make_valid (value, -1);
  /* Incident titles come from vendors' feeds: a field a spreadsheet would
   * read as a formula is turned back into text (OWASP's CSV injection advice). */
  if (strchr ("=+-@\t\r", valid[0]) != NULL && valid[0] != '\0')
    {
      g_autofree char *quoted = g_strconcat ("'", valid, NULL);
      g_free (valid);
      valid = g_steal_pointer (&quoted);
    }
  if (strpbrk (valid, ",\"\r\n") == NULL)
    {
      g_string_append (out, valid);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * vigie_history_format_csv:
 * @outages: (element-type VigieOutage): outages, as from vigie_history_outages()
 * @now_us: the current time, for the duration of ongoing outages
 *
 * RFC 4180 CSV: a header row, CRLF line ends, UTF-8 without BOM, times in
 * local ISO 8601 with offset. Columns: service_id, service, provider,
 * state, start, end (empty while ongoing), duration_seconds (up to @now_us
 * while ongoing), layer, reason, official_incident, incident_url. A field
 * that starts with = + - @, a tab or a carriage return is written with a '
 * in front, so that spreadsheets do not read it as a formula.
 *
 * Returns: (transfer full): the CSV text
 */
char *
vigie_history_format_csv (GPtrArray *outages,
                          gint64     now_us)
{
  GString *out;

  g_return_val_if_fail (outages != NULL, NULL);

  out = g_string_new ("service_id,service,provider,state,start,end,duration_seconds,"
                      "layer,reason,official_incident,incident_url\r\n");
  for (guint i = 0; i < outages->len; i++)
    {
      const VigieOutage *outage = g_ptr_array_index (outages, i);
      g_autofree char *start = format_local_time (outage->start_us);
      g_autofree char *end = outage->end_us != 0 ? format_local_time (outage->end_us) : NULL;

      csv_field (out, outage->service_id);
      g_string_append_c (out, ',');
      csv_field (out, outage->service_name);
      g_string_append_c (out, ',');
      csv_field (out, outage->provider);
      g_string_append_c (out, ',');
      csv_field (out, vigie_state_to_string (outage->state));
      g_string_append_c (out, ',');
      csv_field (out, start);
      g_string_append_c (out, ',');
      csv_field (out, end);
      g_string_append_printf (out, ",%" G_GINT64_FORMAT ",", outage_duration_s (outage, now_us));
      csv_field (out, vigie_layer_to_string (outage->layer));
      g_string_append_c (out, ',');
      csv_field (out, outage->reason);
      g_string_append_c (out, ',');
      csv_field (out, outage->incident_title);
      g_string_append_c (out, ',');
      csv_field (out, outage->incident_url);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

/**
 * vigie_history_format_json:
 * @outages: (element-type VigieOutage): outages, as from vigie_history_outages()
 * @now_us: the current time, for the duration of ongoing outages
 *
 * A JSON array with one object per outage, members as the CSV columns
 * (missing text is null), plus "ongoing"; an ongoing outage has "end": null.
 *
 * Returns: (transfer full): the JSON text, ending with a newline
 */
char *
vigie_history_format_json (GPtrArray *outages,
                           gint64     now_us)
{
  g_autoptr(VigieJsonWriter) writer = vigie_json_writer_new ();

  g_return_val_if_fail (outages != NULL, NULL);

  vigie_json_writer_begin_array (writer);
  for (guint i = 0; i < outages->len; i++)
    {
      const VigieOutage *outage = g_ptr_array_index (outages, i);
      g_autofree char *start = format_local_time (outage->start_us);
      g_autofree char *end = outage->end_us != 0 ? format_local_time (outage->end_us) : NULL;

      vigie_json_writer_begin_object (writer);
      vigie_json_writer_member_string (writer, "service_id", outage->service_id);
      vigie_json_writer_member_string (writer, "service", outage->service_name);
      vigie_json_writer_member_string (writer, "provider", outage->provider);
      vigie_json_writer_member_string (writer, "state", vigie_state_to_string (outage->state));
      vigie_json_writer_member_string (writer, "start", start);
      vigie_json_writer_member_string (writer, "end", end);
      vigie_json_writer_key (writer, "ongoing");
      vigie_json_writer_boolean (writer, outage->end_us == 0);
      vigie_json_writer_key (writer, "duration_seconds");
      vigie_json_writer_int (writer, outage_duration_s (outage, now_us));
      vigie_json_writer_member_string (writer, "layer", vigie_layer_to_string (outage->layer));
      vigie_json_writer_member_string (writer, "reason", outage->reason);
      vigie_json_writer_member_string (writer, "official_incident", outage->incident_title);
      vigie_json_writer_member_string (writer, "incident_url", outage->incident_url);
      vigie_json_writer_end_object (writer);
    }
  vigie_json_writer_end_array (writer);
  return vigie_json_writer_steal (writer);
}
