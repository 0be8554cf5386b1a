/* vigie-history-private.h — what the pieces of the outage log share, and
 * nobody else uses.
 *
 * The log is one module in three files that need SQLite: the object and its
 * writing (vigie-history-store.c), opening a database file
 * (vigie-history-file.c) and the queries (vigie-history-queries.c). They
 * share the object's fields, the cached statements and the words for
 * SQLite's failures. The export (vigie-history-export.c) needs none of it.
 */
#pragma once

#include <sqlite3.h>

#include "vigie-history.h"

G_BEGIN_DECLS

/* Every query reads the same columns, in this order (see transition_from_row
 * in vigie-history-queries.c); the two lists below must agree. */
#define HISTORY_COLUMNS \
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

/* The cached statements (their SQL is in vigie-history-store.c). */
typedef enum
{
  STMT_INSERT,
  STMT_AT_OR_BEFORE,
  STMT_AFTER,
  STMT_RANGE,
  STMT_SERVICES,
  N_STMTS
} HistoryStmt;

/* What was being done when SQLite failed: it picks the sentence. */
typedef enum
{
  OP_OPEN,
  OP_READ,
  OP_WRITE,
} HistoryOperation;

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

/* Errors (vigie-history-store.c) */
VigieHistoryError  history_error_code_for_errno (int                errsv);
void               history_set_sqlite_error     (GError           **error,
                                                 sqlite3           *db,
                                                 int                rc,
                                                 const char        *path,
                                                 HistoryOperation   op);

/* Statements (vigie-history-store.c) */
sqlite3_stmt      *history_get_stmt             (VigieHistory      *self,
                                                 HistoryStmt        id,
                                                 HistoryOperation   op,
                                                 GError           **error);

/* Opening a file (vigie-history-file.c) */
gboolean           history_open_or_repair       (const char        *path,
                                                 sqlite3          **out_db,
                                                 char             **out_moved_to,
                                                 GError           **error);
char              *history_damaged_notice       (const char        *moved_to);

G_END_DECLS
