#include "CSQLiteReader.h"

typedef void (*confab_destructor)(void *);

int sqlite_nio_sqlite3_bind_text(sqlite3_stmt *, int, const char *, int, confab_destructor);
int sqlite_nio_sqlite3_bind_blob(sqlite3_stmt *, int, const void *, int, confab_destructor);

int confab_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *bytes, int count) {
    return sqlite_nio_sqlite3_bind_text(statement, index, bytes, count, (confab_destructor)-1);
}

int confab_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count) {
    return sqlite_nio_sqlite3_bind_blob(statement, index, bytes, count, (confab_destructor)-1);
}
