/* vigie-history-store.c — the outage log as an object: opening it, the
 * words for SQLite's failures, the cached statements, following a file that
 * was moved, and writing a round's transitions, holding them in memory while
 * the disk refuses them (contract in vigie-history.h).
 *
 * Opening the database file itself (permissions, version, migration,
 * damage) is vigie-history-file.c; reading is vigie-history-queries.c.
 */
#define G_LOG_DOMAIN "vigie-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vigie-history-private.h"

/* Values always go through bound parameters. */
static const char *const stmt_sql[N_STMTS] = {
  [STMT_INSERT] =
    "INSERT INTO transitions (" HISTORY_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
  /* A service's transitions at or before a time, newest first: the first row
   * is its state then. */
  [STMT_AT_OR_BEFORE] =
    "SELECT " HISTORY_COLUMNS " FROM transitions WHERE service_id = ?1 AND at_us <= ?2 "
    "ORDER BY at_us DESC, id DESC",
  [STMT_AFTER] =
    "SELECT " HISTORY_COLUMNS " FROM transitions WHERE service_id = ?1 AND at_us > ?2 "
    "ORDER BY at_us, id",
  [STMT_RANGE] =
    "SELECT " HISTORY_COLUMNS " FROM transitions "
    "WHERE (?1 IS NULL OR service_id = ?1) AND at_us >= ?2 AND at_us <= ?3 "
    "ORDER BY at_us, id",
  [STMT_SERVICES] =
    "SELECT DISTINCT service_id FROM transitions ORDER BY service_id",
};

G_DEFINE_FINAL_TYPE (VigieHistory, vigie_history, G_TYPE_OBJECT)

G_DEFINE_QUARK (vigie-history-error-quark, vigie_history_error)

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

VigieHistoryError
history_error_code_for_errno (int errsv)
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

void
history_set_sqlite_error (GError           **error,
                          sqlite3           *db,
                          int                rc,
                          const char        *path,
                          HistoryOperation   op)
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
    return TRUE;  /* closed for good: history_get_stmt() says so */

  if (!history_open_or_repair (self->path, &db, &moved_to, error))
    return FALSE;
  self->db = db;
  self->reopen = FALSE;
  if (moved_to != NULL)
    {
      g_free (self->notice);
      self->notice = history_damaged_notice (moved_to);
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

      g_set_error (error, VIGIE_HISTORY_ERROR, history_error_code_for_errno (errsv),
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

  if (!history_open_or_repair (path, &db, &moved_to, error))
    return NULL;

  self = g_object_new (VIGIE_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  self->db = db;
  if (moved_to != NULL)
    self->notice = history_damaged_notice (moved_to);
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

sqlite3_stmt *
history_get_stmt (VigieHistory      *self,
                  HistoryStmt        id,
                  HistoryOperation   op,
                  GError           **error)
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
          history_set_sqlite_error (error, self->db, rc, self->path, op);
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
  insert = history_get_stmt (self, STMT_INSERT, OP_WRITE, error);
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
  history_set_sqlite_error (error, self->db, rc, self->path, OP_WRITE);
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
