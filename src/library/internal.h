/*
 * internal.h - what the files of src/library share and the tests may use: the
 * handle's layout (the sqlite3 connection lives only here and in .c files),
 * statement helpers and the migration entry point.
 *
 *     sqlite3_stmt *st;
 *     if (library_prepare(lib, "SELECT id FROM films WHERE hash = ?", &st) < 0)
 *         return bj_error_code();
 *     sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
 *     int rc = sqlite3_step(st);
 *     sqlite3_finalize(st);
 *
 * Including this header needs sqlite3.h, so only src/library and tests/library
 * do.  Errors from SQLite are turned into "'<db path>': <sqlite message>".
 */
#pragma once

#include <sqlite3.h>

#include "library/library.h"

struct library {
	sqlite3 *db;
	char *path;
};

/* Prepares sql on lib; BJ_EIO with the error set on failure. */
int library_prepare(library *lib, const char *sql, sqlite3_stmt **st);

/* Runs one or more statements without results. */
int library_exec(library *lib, const char *sql);

/* Records SQLite's last message on lib as the error; returns BJ_EIO (BJ_EFORMAT
 * for a file that is not a database). */
int library_sqlite_error(library *lib, const char *what);

/* Opens path and migrates it to version (1..LIBRARY_SCHEMA_VERSION) - for tests
 * that need a database as an older benjamin left it. */
int library_open_version(const char *path, int version, library **out);

/* The columns library_shot_from_row reads, in order, for "SELECT <these> FROM
 * shots s" (qualified with the alias s). */
const char *library_shot_columns(void);

/* Fills s from a row of those columns. */
void library_shot_from_row(sqlite3_stmt *st, library_shot *s);
