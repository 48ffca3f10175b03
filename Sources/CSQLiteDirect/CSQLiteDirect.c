#include "CSQLiteDirect.h"

typedef void (*confab_destructor)(void *);

int sqlite_nio_sqlite3_bind_text(sqlite3_stmt *, int, const char *, int, confab_destructor);
int sqlite_nio_sqlite3_bind_blob(sqlite3_stmt *, int, const void *, int, confab_destructor);
int sqlite_nio_sqlite3_db_config(sqlite3 *, int, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG
static const int confab_dbconfig_enable_qpsg = 1007;

int confab_sqlite_enable_stable_plans(sqlite3 *db) {
    return sqlite_nio_sqlite3_db_config(db, confab_dbconfig_enable_qpsg, 1, (int *)0);
}

int confab_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *bytes, int count) {
    return sqlite_nio_sqlite3_bind_text(statement, index, bytes, count, (confab_destructor)-1);
}

int confab_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count) {
    return sqlite_nio_sqlite3_bind_blob(statement, index, bytes, count, (confab_destructor)-1);
}
