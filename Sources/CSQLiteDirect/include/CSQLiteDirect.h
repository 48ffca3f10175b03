// The few functions of the SQLite that SQLiteNIO compiles into the process (its symbols carry
// the prefix `sqlite_nio_`), declared here so that the store's connections can prepare a
// statement once and step it on the caller's thread. One copy of SQLite serves the process, so
// its file locks stay one set. Keep in step with sqlite-nio's vendored header.
#ifndef CSQLITE_DIRECT_H
#define CSQLITE_DIRECT_H

#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

static const int CONFAB_SQLITE_OK = 0;
static const int CONFAB_SQLITE_ROW = 100;
static const int CONFAB_SQLITE_DONE = 101;
static const int CONFAB_SQLITE_INTEGER = 1;
static const int CONFAB_SQLITE_FLOAT = 2;
static const int CONFAB_SQLITE_TEXT = 3;
static const int CONFAB_SQLITE_BLOB = 4;
static const int CONFAB_SQLITE_NULL = 5;
static const int CONFAB_SQLITE_OPEN_READWRITE = 0x00000002;
static const int CONFAB_SQLITE_OPEN_CREATE = 0x00000004;
static const int CONFAB_SQLITE_OPEN_NOMUTEX = 0x00008000;
static const int CONFAB_SQLITE_BUSY = 5;
static const int CONFAB_SQLITE_CONSTRAINT = 19;
static const int CONFAB_SQLITE_TXN_WRITE = 2;
static const unsigned int CONFAB_SQLITE_PREPARE_PERSISTENT = 0x01;
static const int CONFAB_SQLITE_STMTSTATUS_REPREPARE = 5;

int sqlite_nio_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int sqlite_nio_sqlite3_close_v2(sqlite3 *db);
int sqlite_nio_sqlite3_busy_timeout(sqlite3 *db, int ms);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *db);
int sqlite_nio_sqlite3_prepare_v3(
    sqlite3 *db, const char *sql, int bytes, unsigned int flags, sqlite3_stmt **statement, const char **tail);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_clear_bindings(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_step(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *statement, int index);
int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *statement, int index, int64_t value);
int sqlite_nio_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value);
int sqlite_nio_sqlite3_column_count(sqlite3_stmt *statement);
const char *sqlite_nio_sqlite3_column_name(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_type(sqlite3_stmt *statement, int column);
int64_t sqlite_nio_sqlite3_column_int64(sqlite3_stmt *statement, int column);
double sqlite_nio_sqlite3_column_double(sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *statement, int column);
const void *sqlite_nio_sqlite3_column_blob(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_txn_state(sqlite3 *db, const char *schema);
int sqlite_nio_sqlite3_stmt_status(sqlite3_stmt *statement, int counter, int reset);

/// Binds a copy of `bytes` (SQLite's SQLITE_TRANSIENT, a cast Swift cannot spell).
int confab_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *bytes, int count);
int confab_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count);

/// The query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG, a variadic call): plans
/// that do not depend on bound values, so that rebinding a kept statement (a new `LIMIT ?`, a new
/// `_id[lt]`) does not make SQLite prepare it again.
int confab_sqlite_enable_stable_plans(sqlite3 *db);

#endif
