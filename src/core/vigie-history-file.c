/* vigie-history-file.c — opening the outage log's database file: made
 * private before SQLite sees it, its version checked before anything is
 * written, migrated in one transaction, checked for damage, and moved aside
 * (never deleted) when damaged (contract in vigie-history.h).
 */
#define G_LOG_DOMAIN "vigie-history"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vigie-history-private.h"

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

static gboolean
is_corrupt_rc (int rc)
{
  return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
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
  history_set_sqlite_error (error, db, rc, path, OP_OPEN);
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
  history_set_sqlite_error (error, db, rc, path, OP_OPEN);
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

      g_set_error (error, VIGIE_HISTORY_ERROR, history_error_code_for_errno (errsv),
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

          g_set_error (error, VIGIE_HISTORY_ERROR, history_error_code_for_errno (errsv),
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
gboolean
history_open_or_repair (const char  *path,
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

/* The sentence for people that vigie_history_take_notice() hands over. */
char *
history_damaged_notice (const char *moved_to)
{
  g_autofree char *display = g_filename_display_name (moved_to);

  return g_strdup_printf (_("The outage log was damaged and could not be read. "
                            "It was moved aside as %s and a new log was started."),
                          display);
}
