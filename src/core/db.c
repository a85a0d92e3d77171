#include "core/db.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/config.h"
#include "core/log.h"
#include "core/banned.h"

/* The one connection and its statement cache.  A statement is keyed by the
 * address of its SQL literal; statements die with their connection. */
static MYSQL *conn;
#define STMT_CACHE_MAX 256
static struct {
	const char *sql;
	MYSQL_STMT *stmt;
} cache[STMT_CACHE_MAX];
static size_t n_cache;
static long long last_insert_id;
static long long last_affected;

#define MAX_PARAMS 64

/* Of the request under way (db_request_start, below). */
static bool may_connect;   /* this request may still open a connection */
static bool may_run_again; /* no round trip of this request has succeeded yet */

static void drop_connection(void)
{
	for (size_t i = 0; i < n_cache; i++)
		mysql_stmt_close(cache[i].stmt);
	n_cache = 0;
	if (conn)
		mysql_close(conn);
	conn = NULL;
}

void db_close(void)
{
	drop_connection();
}

int db_is_connected(void)
{
	return conn != NULL;
}

/* Client-side error numbers (2000–2999) and the server's "killed" codes
 * mean the connection is gone; so does ER_UNKNOWN_COM_ERROR, which is what
 * a Galera node cut off from its cluster's majority answers to everything
 * ("WSREP has not yet prepared node for application use"): a 503, and a new
 * connection next time.  Anything else is about the statement. */
static bool is_connection_error(unsigned err)
{
	return (err >= 2000 && err < 3000) || err == ER_CONNECTION_KILLED ||
	       err == ER_SERVER_SHUTDOWN || err == ER_UNKNOWN_COM_ERROR ||
	       err == 4031 /* idle timeout */;
}

static int classify(unsigned err, const char *msg, const char *sql)
{
	if (is_connection_error(err)) {
		log_warn("db: connection lost (%u %s)", err, msg);
		drop_connection();
		may_connect = false;
		return DB_UNAVAILABLE;
	}
	if (err == ER_DUP_ENTRY || err == ER_DUP_KEY)
		return DB_CONFLICT;
	if (err == ER_RECORD_FILE_FULL || err == ER_DISK_FULL) {
		log_err("db: storage full (%u %s) in: %.120s", err, msg, sql ? sql : "");
		return DB_FULL;
	}
	if (err == ER_LOCK_DEADLOCK || err == ER_LOCK_WAIT_TIMEOUT) {
		log_warn("db: %u %s (the transaction is run again) in: %.120s", err, msg,
			 sql ? sql : "");
		return DB_RETRY;
	}
	log_err("db: error %u %s in: %.120s", err, msg, sql ? sql : "");
	return DB_ERROR;
}

/* A request's connection: made when its first statement needs one, never
 * checked by a ping.  A connection kept from an earlier request may have
 * died meanwhile (server restarted, idle timeout); that shows on the
 * request's first round trip, which is then run once more on a new
 * connection when that cannot do anything twice: a prepare, a read, or the
 * start of a transaction.  Once a connection is lost after that, the request
 * gets no other: its statements answer DB_UNAVAILABLE (a 503), so nothing
 * of a transaction can go on outside it. */

static int connect_now(void)
{
	unsigned timeout = 3, rw_timeout = 30;
	const char *socket_path, *host;
	long long port;

	conn = mysql_init(NULL);
	if (!conn)
		return DB_UNAVAILABLE;
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Every DATETIME is Asia/Shanghai wall time; strict mode refuses silent truncation. */
	mysql_options(conn, MYSQL_INIT_COMMAND,
		      "SET time_zone = '+08:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
		      "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	socket_path = config_str("db_socket", NULL);
	host = config_str("db_host", socket_path ? "localhost" : "127.0.0.1");
	port = config_int("db_port", 0);
	if (port < 0 || port > 65535)
		port = 0;
	if (!mysql_real_connect(conn, host, config_str("db_user", "biaogan"),
				config_str("db_password", NULL), config_str("db_name", "biaogan"),
				(unsigned)port, socket_path, 0)) {
		log_warn("db: cannot connect: %s", mysql_error(conn));
		mysql_close(conn);
		conn = NULL;
		return DB_UNAVAILABLE;
	}
	return DB_OK;
}

int db_ensure(void)
{
	return conn ? DB_OK : connect_now();
}

void db_request_start(void)
{
	may_connect = true;
	may_run_again = conn != NULL;
}

/* Before a round trip: the connection, made now if this request may. */
static int have_connection(void)
{
	if (conn)
		return DB_OK;
	if (!may_connect)
		return DB_UNAVAILABLE;
	may_connect = false; /* one attempt per request: a 503 comes quickly */
	may_run_again = false;
	return connect_now();
}

/* After a round trip that failed with status: true when the connection it
 * used was kept from an earlier request and died unseen, nothing of this
 * request has run, and the call may be made again on a new connection
 * (made here).  safe: the call cannot have changed anything. */
static bool run_again(int status, bool safe)
{
	if (status != DB_UNAVAILABLE || !may_run_again || !safe)
		return false;
	may_run_again = false;
	log_warn("db: the kept connection was gone; running the first statement again on a new one");
	return connect_now() == DB_OK;
}

/* A statement that only reads (a retry cannot do it twice). */
static bool is_read(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
		sql++;
	return strncasecmp(sql, "SELECT", 6) == 0;
}

static MYSQL_STMT *prepared(const char *sql, int *status)
{
	MYSQL_STMT *stmt;
	for (size_t i = 0; i < n_cache; i++)
		if (cache[i].sql == sql)
			return cache[i].stmt;
again:
	*status = have_connection();
	if (*status != DB_OK)
		return NULL;
	stmt = mysql_stmt_init(conn);
	if (!stmt) {
		*status = classify(mysql_errno(conn), mysql_error(conn), sql);
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, strlen(sql))) {
		unsigned err = mysql_stmt_errno(stmt);
		char msg[256];
		snprintf(msg, sizeof msg, "%s", mysql_stmt_error(stmt));
		mysql_stmt_close(stmt);
		*status = classify(err, msg, sql);
		if (run_again(*status, true)) /* a prepare runs nothing */
			goto again;
		return NULL;
	}
	may_run_again = false;
	if (n_cache == STMT_CACHE_MAX) {
		/* More distinct statements than any program has: keep working, uncached. */
		mysql_stmt_close(cache[0].stmt);
		memmove(cache, cache + 1, (STMT_CACHE_MAX - 1) * sizeof cache[0]);
		n_cache--;
	}
	cache[n_cache].sql = sql;
	cache[n_cache].stmt = stmt;
	n_cache++;
	return stmt;
}

struct params {
	MYSQL_BIND bind[MAX_PARAMS];
	long long ints[MAX_PARAMS];
	unsigned long lens[MAX_PARAMS];
	my_bool nulls[MAX_PARAMS];
};

static int bind_params(MYSQL_STMT *stmt, struct params *p, const char *sql, const char *types,
		       va_list ap)
{
	size_t n = strlen(types);
	if (n > MAX_PARAMS || n != mysql_stmt_param_count(stmt)) {
		log_err("db: %zu parameters given for %lu placeholders in: %.120s", n,
			mysql_stmt_param_count(stmt), sql);
		return DB_ERROR;
	}
	memset(p->bind, 0, n * sizeof p->bind[0]);
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *b = &p->bind[i];
		p->nulls[i] = 0;
		b->is_null = &p->nulls[i];
		switch (types[i]) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			b->buffer_type = MYSQL_TYPE_STRING;
			if (!s) {
				p->nulls[i] = 1;
				break;
			}
			b->buffer = (void *)s;
			p->lens[i] = (unsigned long)strlen(s);
			b->buffer_length = p->lens[i];
			b->length = &p->lens[i];
			break;
		}
		case 'i':
			p->ints[i] = va_arg(ap, long long);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->ints[i];
			break;
		case 'b': {
			const void *data = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			b->buffer_type = MYSQL_TYPE_BLOB;
			if (!data) {
				p->nulls[i] = 1;
				break;
			}
			b->buffer = (void *)data;
			p->lens[i] = (unsigned long)len;
			b->buffer_length = p->lens[i];
			b->length = &p->lens[i];
			break;
		}
		default:
			abort(); /* a bad type letter is a bug in the caller */
		}
	}
	if (n && mysql_stmt_bind_param(stmt, p->bind))
		return classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
	return DB_OK;
}

static int execute(MYSQL_STMT **out, const char *sql, const char *types, va_list ap)
{
	int status = DB_OK;
	struct params *p;
	MYSQL_STMT *stmt;
	va_list again;
	va_copy(again, ap);
	stmt = prepared(sql, &status);
	if (!stmt)
		goto out;
	p = xmalloc(sizeof *p);
	status = bind_params(stmt, p, sql, types, ap);
	if (status == DB_OK && mysql_stmt_execute(stmt)) {
		status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
		if (run_again(status, is_read(sql))) {
			free(p);
			status = execute(&stmt, sql, types, again);
			goto out;
		}
	}
	if (status == DB_OK)
		may_run_again = false;
	free(p);
out:
	va_end(again);
	*out = status == DB_OK ? stmt : NULL;
	return status;
}

int db_exec(const char *sql, const char *types, ...)
{
	MYSQL_STMT *stmt;
	va_list ap;
	int status;
	va_start(ap, types);
	status = execute(&stmt, sql, types, ap);
	va_end(ap);
	if (status != DB_OK)
		return status;
	last_affected = (long long)mysql_stmt_affected_rows(stmt);
	last_insert_id = (long long)mysql_stmt_insert_id(stmt);
	mysql_stmt_free_result(stmt);
	return DB_OK;
}

/* Rows per execution: a bound array is sent as one packet, kept well under
 * max_allowed_packet whatever the strings' lengths. */
#define ROWS_PER_EXECUTION 1000

static int exec_rows_once(MYSQL_STMT *stmt, const char *sql, const char *cols, size_t ncols,
			  size_t rows, const struct db_value *values)
{
	MYSQL_BIND bind[MAX_PARAMS];
	/* Column-wise arrays: ints[c * rows + r], strs and lens the same way. */
	long long *ints = xmalloc(ncols * rows * sizeof *ints);
	const char **strs = xmalloc(ncols * rows * sizeof *strs);
	unsigned long *lens = xmalloc(ncols * rows * sizeof *lens);
	char *ind = xmalloc(ncols * rows);
	unsigned int array_size = (unsigned int)rows;
	int status = DB_OK;

	memset(bind, 0, ncols * sizeof bind[0]);
	for (size_t c = 0; c < ncols; c++) {
		for (size_t r = 0; r < rows; r++) {
			const struct db_value *v = &values[r * ncols + c];
			size_t k = c * rows + r;
			ind[k] = STMT_INDICATOR_NONE;
			if (cols[c] == 'i') {
				ints[k] = v->i;
			} else {
				strs[k] = v->s;
				lens[k] = v->s ? (unsigned long)strlen(v->s) : 0;
				if (!v->s)
					ind[k] = STMT_INDICATOR_NULL;
			}
		}
		if (cols[c] == 'i') {
			bind[c].buffer_type = MYSQL_TYPE_LONGLONG;
			bind[c].buffer = &ints[c * rows];
		} else if (cols[c] == 's') {
			bind[c].buffer_type = MYSQL_TYPE_STRING;
			bind[c].buffer = (void *)&strs[c * rows];
			bind[c].length = &lens[c * rows];
		} else {
			abort(); /* a bad type letter is a bug in the caller */
		}
		bind[c].u.indicator = &ind[c * rows];
	}
	if (mysql_stmt_attr_set(stmt, STMT_ATTR_ARRAY_SIZE, &array_size) ||
	    mysql_stmt_bind_param(stmt, bind) || mysql_stmt_execute(stmt))
		status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
	else
		last_affected += (long long)mysql_stmt_affected_rows(stmt);
	array_size = 0; /* the cached statement is left as a plain one */
	mysql_stmt_attr_set(stmt, STMT_ATTR_ARRAY_SIZE, &array_size);
	free(ind);
	free(lens);
	free(strs);
	free(ints);
	return status;
}

int db_exec_rows(const char *sql, const char *cols, size_t rows, const struct db_value *values)
{
	size_t ncols = strlen(cols);
	int status = DB_OK;
	MYSQL_STMT *stmt = prepared(sql, &status);
	if (!stmt)
		return status;
	if (ncols == 0 || ncols > MAX_PARAMS || ncols != mysql_stmt_param_count(stmt)) {
		log_err("db: %zu columns given for %lu placeholders in: %.120s", ncols,
			mysql_stmt_param_count(stmt), sql);
		return DB_ERROR;
	}
	last_affected = 0;
	for (size_t done = 0; status == DB_OK && done < rows; done += ROWS_PER_EXECUTION) {
		size_t n = rows - done < ROWS_PER_EXECUTION ? rows - done : ROWS_PER_EXECUTION;
		status = exec_rows_once(stmt, sql, cols, ncols, n, values + done * ncols);
	}
	if (status == DB_OK)
		may_run_again = false;
	return status;
}

long long db_insert_id(void)
{
	return last_insert_id;
}

long long db_affected_rows(void)
{
	return last_affected;
}

enum col_kind { COL_INT, COL_DOUBLE, COL_TIME, COL_BYTES };

struct column {
	enum col_kind kind;
	long long i;
	double d;
	MYSQL_TIME t;
	char *bytes;
	unsigned long len;
	my_bool is_null;
	my_bool error;
};

static enum col_kind kind_of(const MYSQL_FIELD *f)
{
	switch (f->type) {
	case MYSQL_TYPE_TINY:
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_LONGLONG:
	case MYSQL_TYPE_YEAR:
		return COL_INT;
	case MYSQL_TYPE_FLOAT:
	case MYSQL_TYPE_DOUBLE:
		return COL_DOUBLE;
	case MYSQL_TYPE_DATE:
	case MYSQL_TYPE_DATETIME:
	case MYSQL_TYPE_TIMESTAMP:
	case MYSQL_TYPE_TIME:
		return COL_TIME;
	default:
		return COL_BYTES;
	}
}

static json_object *column_json(const MYSQL_FIELD *f, const struct column *c)
{
	char text[40];
	if (c->is_null)
		return NULL;
	switch (c->kind) {
	case COL_INT:
		return json_object_new_int64(c->i);
	case COL_DOUBLE:
		return json_object_new_double(c->d);
	case COL_TIME:
		if (f->type == MYSQL_TYPE_DATE)
			snprintf(text, sizeof text, "%04u-%02u-%02u", c->t.year, c->t.month, c->t.day);
		else if (f->type == MYSQL_TYPE_TIME)
			snprintf(text, sizeof text, "%s%02u:%02u:%02u", c->t.neg ? "-" : "", c->t.hour,
				 c->t.minute, c->t.second);
		else
			snprintf(text, sizeof text, "%04u-%02u-%02u %02u:%02u:%02u", c->t.year,
				 c->t.month, c->t.day, c->t.hour, c->t.minute, c->t.second);
		return json_object_new_string(text);
	case COL_BYTES:
		return json_object_new_string_len(c->bytes, (int)c->len);
	}
	abort();
}

static int fetch_rows(MYSQL_STMT *stmt, const char *sql, json_object **rows, bool first_only)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
	unsigned ncols;
	MYSQL_FIELD *fields;
	MYSQL_BIND *bind;
	struct column *cols;
	int status = DB_OK, rc;

	if (!meta) {
		log_err("db: statement returns no result set: %.120s", sql);
		return DB_ERROR;
	}
	if (mysql_stmt_store_result(stmt)) {
		mysql_free_result(meta);
		return classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
	}
	ncols = mysql_num_fields(meta);
	fields = mysql_fetch_fields(meta);
	bind = xcalloc(ncols, sizeof *bind);
	cols = xcalloc(ncols, sizeof *cols);
	for (unsigned i = 0; i < ncols; i++) {
		struct column *c = &cols[i];
		MYSQL_BIND *b = &bind[i];
		c->kind = kind_of(&fields[i]);
		b->is_null = &c->is_null;
		b->error = &c->error;
		b->length = &c->len;
		switch (c->kind) {
		case COL_INT:
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &c->i;
			b->is_unsigned = 0;
			break;
		case COL_DOUBLE:
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &c->d;
			break;
		case COL_TIME:
			b->buffer_type = MYSQL_TYPE_DATETIME;
			b->buffer = &c->t;
			break;
		case COL_BYTES:
			/* Sized on demand below with mysql_stmt_fetch_column. */
			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer = NULL;
			b->buffer_length = 0;
			break;
		}
	}
	if (mysql_stmt_bind_result(stmt, bind)) {
		status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
		goto out;
	}
	*rows = first_only ? NULL : json_object_new_array();
	while ((rc = mysql_stmt_fetch(stmt)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		json_object *row = json_object_new_object();
		for (unsigned i = 0; i < ncols; i++) {
			struct column *c = &cols[i];
			if (c->kind == COL_BYTES && !c->is_null) {
				MYSQL_BIND one = { 0 };
				unsigned long got = 0;
				c->bytes = xrealloc(c->bytes, c->len + 1);
				one.buffer_type = MYSQL_TYPE_BLOB;
				one.buffer = c->bytes;
				one.buffer_length = c->len + 1;
				one.length = &got;
				if (c->len && mysql_stmt_fetch_column(stmt, &one, i, 0)) {
					json_object_put(row);
					status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
					goto out;
				}
				c->bytes[c->len] = '\0';
			}
			json_object_object_add(row, fields[i].name, column_json(&fields[i], c));
		}
		if (first_only) {
			*rows = row;
			break;
		}
		json_object_array_add(*rows, row);
	}
	if (rc == 1)
		status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
out:
	if (status != DB_OK && *rows) {
		json_object_put(*rows);
		*rows = NULL;
	}
	for (unsigned i = 0; i < ncols; i++)
		free(cols[i].bytes);
	free(cols);
	free(bind);
	mysql_free_result(meta);
	if (conn)
		mysql_stmt_free_result(stmt);
	return status;
}

static int query(json_object **rows, bool first_only, const char *sql, const char *types,
		 va_list ap)
{
	MYSQL_STMT *stmt;
	int status;
	*rows = NULL;
	status = execute(&stmt, sql, types, ap);
	if (status != DB_OK)
		return status;
	return fetch_rows(stmt, sql, rows, first_only);
}

int db_query(json_object **rows, const char *sql, const char *types, ...)
{
	va_list ap;
	int status;
	va_start(ap, types);
	status = query(rows, false, sql, types, ap);
	va_end(ap);
	return status;
}

int db_query_row(json_object **row, const char *sql, const char *types, ...)
{
	va_list ap;
	int status;
	va_start(ap, types);
	status = query(row, true, sql, types, ap);
	va_end(ap);
	return status;
}

int db_query_blob(struct buf *out, bool *found, const char *sql, const char *types, ...)
{
	MYSQL_STMT *stmt;
	MYSQL_BIND b;
	unsigned long len = 0;
	my_bool is_null = 0, error = 0;
	va_list ap;
	int status, rc;

	*found = false;
	va_start(ap, types);
	status = execute(&stmt, sql, types, ap);
	va_end(ap);
	if (status != DB_OK)
		return status;
	if (mysql_stmt_field_count(stmt) != 1) {
		log_err("db: a blob query must return one column: %.120s", sql);
		mysql_stmt_free_result(stmt);
		return DB_ERROR;
	}
	/* No buffer: the fetch reports the length, then the bytes are copied
	 * once, straight into out. */
	memset(&b, 0, sizeof b);
	b.buffer_type = MYSQL_TYPE_BLOB;
	b.length = &len;
	b.is_null = &is_null;
	b.error = &error;
	if (mysql_stmt_bind_result(stmt, &b)) {
		status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
		goto out;
	}
	rc = mysql_stmt_fetch(stmt);
	if (rc == 1) {
		status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
		goto out;
	}
	if (rc != MYSQL_NO_DATA && !is_null) {
		MYSQL_BIND one;
		unsigned long got = 0;
		buf_grow(out, len);
		memset(&one, 0, sizeof one);
		one.buffer_type = MYSQL_TYPE_BLOB;
		one.buffer = out->data + out->len;
		one.buffer_length = len;
		one.length = &got;
		if (len && mysql_stmt_fetch_column(stmt, &one, 0, 0)) {
			status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
			goto out;
		}
		out->len += len;
		out->data[out->len] = '\0';
		*found = true;
	}
	/* Read to the end of the result, so the connection is ready again. */
	while (rc == 0 || rc == MYSQL_DATA_TRUNCATED)
		rc = mysql_stmt_fetch(stmt);
	if (rc == 1)
		status = classify(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), sql);
out:
	if (conn)
		mysql_stmt_free_result(stmt);
	return status;
}

/* A statement without parameters or rows.  safe: it changes no data (the
 * start of a transaction), so a first one may be run again. */
static int simple(const char *what, bool safe)
{
	int status;
	do {
		status = have_connection();
		if (status != DB_OK)
			return status;
		if (mysql_real_query(conn, what, strlen(what)) == 0) {
			may_run_again = false;
			return DB_OK;
		}
		status = classify(mysql_errno(conn), mysql_error(conn), what);
	} while (run_again(status, safe));
	return status;
}

int db_begin(void)
{
	return simple("START TRANSACTION", true);
}

int db_begin_snapshot(void)
{
	/* Without SESSION, the level holds for the next transaction only. */
	int rc = simple("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", true);
	if (rc == DB_OK)
		rc = simple("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", true);
	return rc;
}

int db_commit(void)
{
	return simple("COMMIT", false);
}

void db_rollback(void)
{
	if (conn && mysql_real_query(conn, "ROLLBACK", 8))
		classify(mysql_errno(conn), mysql_error(conn), "ROLLBACK");
}

int db_finish(int rc)
{
	if (rc == DB_OK)
		rc = db_commit();
	if (rc != DB_OK)
		db_rollback();
	return rc;
}

int db_run_script(const char *sql_text, size_t len)
{
	int status = DB_OK;
	if (!conn)
		return DB_UNAVAILABLE;
	if (mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_ON))
		return classify(mysql_errno(conn), mysql_error(conn), "multi statements on");
	if (mysql_real_query(conn, sql_text, (unsigned long)len)) {
		status = classify(mysql_errno(conn), mysql_error(conn), sql_text);
	} else {
		int more;
		do {
			MYSQL_RES *res = mysql_store_result(conn);
			if (res)
				mysql_free_result(res);
			more = mysql_next_result(conn);
			if (more > 0) {
				status = classify(mysql_errno(conn), mysql_error(conn), sql_text);
				break;
			}
		} while (more == 0);
	}
	if (conn && mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF) && status == DB_OK)
		status = classify(mysql_errno(conn), mysql_error(conn), "multi statements off");
	return status;
}

const char *db_str(json_object *row, const char *col, const char *dflt)
{
	json_object *v;
	if (!row || !json_object_object_get_ex(row, col, &v) || !v)
		return dflt;
	return json_object_get_string(v);
}

long long db_int(json_object *row, const char *col, long long dflt)
{
	json_object *v;
	if (!row || !json_object_object_get_ex(row, col, &v) || !v)
		return dflt;
	return json_object_get_int64(v);
}

void db_add_date_zh(json_object *row, const char *const *cols)
{
	for (; row && *cols; cols++) {
		char zh[CIVIL_DATE_ZH_MAX], name[64];
		civil_format_zh_iso(db_str(row, *cols, ""), zh);
		snprintf(name, sizeof name, "%s_zh", *cols);
		json_object_object_add(row, name, json_object_new_string(zh));
	}
}

void db_like_anywhere(const char *q, struct buf *out)
{
	buf_addc(out, '%');
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_addc(out, '\\');
		buf_addc(out, *q);
	}
	buf_addc(out, '%');
}

bool db_trim_page(json_object *rows, size_t page_size)
{
	if (!rows || json_object_array_length(rows) <= page_size)
		return false;
	json_object_array_del_idx(rows, page_size, json_object_array_length(rows) - page_size);
	return true;
}
