/* db: the process's one MariaDB connection, prepared statements, transactions.
 *
 * Every statement is a prepared statement.  SQL text is a string literal
 * declared by the module that owns it; statements are cached by the address
 * of that literal, so pass the same constant each time.
 *
 * Parameter types, one letter per '?':
 *   's'  const char *            (NULL binds SQL NULL)
 *   'i'  long long
 *   'b'  const void *, size_t    (binary; NULL binds SQL NULL)
 *
 * Result rows come back as json-c objects keyed by column name (or alias):
 * integer columns as int64, everything else (DECIMAL, DATE, DATETIME, text,
 * binary) as strings, SQL NULL as json null.  DATETIME values are wall-clock
 * Asia/Shanghai: the session time zone is set to +08:00 on connect.
 *
 * A request's connection is kept for the next one and never pinged: the
 * first statement that needs one connects.  A kept connection that died
 * meanwhile shows on the request's first round trip, which is run once more
 * on a new connection when it cannot have changed anything (a prepare, a
 * SELECT, the start of a transaction).  A connection lost after that makes
 * the call return DB_UNAVAILABLE and every later call of the request too
 * (no statement runs outside the transaction it belonged to); the next
 * request connects again.  Callers answer DB_UNAVAILABLE with a 503 page.
 *
 * A deadlock or a lock wait timeout (concurrent transactions; on a Galera
 * cluster also a certification conflict) rolls the transaction back and
 * returns DB_RETRY: nothing of it stayed, and the front line runs the page
 * again (core/app.c), a few times, before it answers 503.
 */
#ifndef BIAOGAN_DB_H
#define BIAOGAN_DB_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/buf.h"

enum db_status {
	DB_OK = 0,
	DB_UNAVAILABLE = -1, /* no connection: 503, retry later */
	DB_CONFLICT = -2,    /* duplicate key */
	DB_ERROR = -3,       /* anything else (logged) */
	DB_RETRY = -4,       /* deadlock or lock wait timeout: rolled back, may be run again */
	DB_FULL = -5,        /* the server's disk or a table is full: 503, nothing stored */
};

/* Connect now if not connected (tools; a program's start).  Uses the db_*
 * config keys. */
int db_ensure(void);
/* A request begins: its statements may connect (once) and its first round
 * trip on a kept connection may be run again (above). */
void db_request_start(void);
void db_close(void);
int db_is_connected(void);

/* Run a statement that returns no rows. */
int db_exec(const char *sql, const char *types, ...);
/* One value of db_exec_rows: i for an 'i' column, s for an 's' one (NULL
 * stores NULL). */
struct db_value {
	long long i;
	const char *s;
};
/* Run a statement once per row in a few round trips (Connector/C's array
 * binding): cols is the type letter of each placeholder ('i' or 's'),
 * values the rows one after another (rows * strlen(cols) of them, owned by
 * the caller).  For inserts of many rows in one transaction. */
int db_exec_rows(const char *sql, const char *cols, size_t rows, const struct db_value *values);
/* Rows of a query: *rows becomes a new json array (caller owns it:
 * json_object_put).  On failure *rows is NULL. */
int db_query(json_object **rows, const char *sql, const char *types, ...);
/* First row of a query, or *row NULL when there is none (still DB_OK). */
int db_query_row(json_object **row, const char *sql, const char *types, ...);

/* The one column of the first row of a query, its bytes appended to out:
 * for blobs, without the copies of a JSON row (and the row is read from the
 * connection as it comes, not stored first).  *found is false when there is
 * no row or the value is NULL.  The query must return exactly one column.
 * Returns a db_status. */
int db_query_blob(struct buf *out, bool *found, const char *sql, const char *types, ...);

/* Of the last db_exec in this process. */
long long db_insert_id(void);
long long db_affected_rows(void);

/* Transactions.  db_rollback is safe to call when none is open or the
 * connection is gone. */
int db_begin(void);
/* A read-only transaction in which every query sees the same consistent
 * snapshot, taken now (REPEATABLE READ, WITH CONSISTENT SNAPSHOT): reads
 * that must agree with each other, whatever commits meanwhile.  End it
 * with db_rollback(). */
int db_begin_snapshot(void);
int db_commit(void);
void db_rollback(void);
/* The end of every change: commit when rc is DB_OK, else roll back.
 * Returns the final status (a failed commit is returned too). */
int db_finish(int rc);

/* Run a multi-statement SQL script (migrations only: not a prepared
 * statement, never fed user input). */
int db_run_script(const char *sql_text, size_t len);

/* Convenience accessors for result rows: a missing or null key gives dflt. */
const char *db_str(json_object *row, const char *col, const char *dflt);
long long db_int(json_object *row, const char *col, long long dflt);
/* Beside each date or datetime column named in cols (NULL-terminated), its
 * date as public notices write it: "<col>_zh" = "2026年11月25日" ("" for
 * NULL).  row may be NULL. */
void db_add_date_zh(json_object *row, const char *const *cols);
/* The LIKE pattern that finds q anywhere in a column ('%q%'), with q's
 * own %, _ and \ taken literally, appended to out. */
void db_like_anywhere(const char *q, struct buf *out);
/* A list page read with LIMIT page_size + 1 (rows may be NULL): drops the
 * extra row and tells whether there was one (more beyond the page). */
bool db_trim_page(json_object *rows, size_t page_size);

#endif
