/* The database half of the calendar module (declared in calendar_db.h): the
 * tables calendar_day / calendar_year.  Kept apart from calendar.c so the
 * rules and the CSV parser link (and fuzz) without a database client. */
#include "steps/calendar/calendar_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/counter.h"
#include "core/db.h"
#include "core/utf8.h"
#include "core/banned.h"

/* ---------------------------------------------------------------------
 * SQL: the closed set of statements on calendar_day / calendar_year.
 * Dates are bound and read as "YYYY-MM-DD" text.
 */
static const char SQL_LOAD_DAYS[] = "SELECT day, kind, name FROM calendar_day ORDER BY day";
/* Only complete years are loaded (sql/009): dates of a year still being
 * entered must not pass for its whole arrangement. */
static const char SQL_LOAD_YEARS[] =
	"SELECT year FROM calendar_year WHERE complete = 1 ORDER BY year";
static const char SQL_YEAR_ROWS[] =
	"SELECT day AS date, kind, name, updated_by, updated_at FROM calendar_day"
	" WHERE day BETWEEN ? AND ? ORDER BY day";
static const char SQL_YEAR_DAYS[] =
	"SELECT day FROM calendar_day WHERE day BETWEEN ? AND ? ORDER BY day";
static const char SQL_YEARS[] =
	"SELECT y.year AS year, y.source AS source, y.loaded_at AS loaded_at, y.complete AS complete,"
	" IFNULL(DATE_FORMAT(y.completed_at, '%Y-%m-%d %H:%i'), '') AS completed_at,"
	" COUNT(d.day) AS n_rows FROM calendar_year y"
	" LEFT JOIN calendar_day d ON d.day BETWEEN MAKEDATE(y.year, 1)"
	" AND MAKEDATE(y.year + 1, 1) - INTERVAL 1 DAY"
	" GROUP BY y.year, y.source, y.loaded_at, y.complete, y.completed_at ORDER BY y.year";
static const char SQL_LOCK_YEAR[] =
	"SELECT complete FROM calendar_year WHERE year = ? FOR UPDATE";
static const char SQL_SET_COMPLETE[] =
	"UPDATE calendar_year SET complete = ?, completed_at = IF(? = 1, NOW(), NULL),"
	" completed_by = IF(? = 1, NULLIF(?, 0), NULL) WHERE year = ?";
static const char SQL_LOCK_DAY[] =
	"SELECT kind, name FROM calendar_day WHERE day = ? FOR UPDATE";
static const char SQL_INSERT_DAY[] =
	"INSERT INTO calendar_day (day, kind, name, updated_by) VALUES (?, ?, ?, NULLIF(?, 0))";
static const char SQL_UPDATE_DAY[] =
	"UPDATE calendar_day SET day = ?, kind = ?, name = ?, updated_by = NULLIF(?, 0),"
	" updated_at = CURRENT_TIMESTAMP WHERE day = ?";
static const char SQL_DELETE_DAY[] = "DELETE FROM calendar_day WHERE day = ?";
static const char SQL_DELETE_YEAR_DAYS[] = "DELETE FROM calendar_day WHERE day BETWEEN ? AND ?";
static const char SQL_YEAR_SEEN[] =
	"INSERT IGNORE INTO calendar_year (year, source) VALUES (?, ?)";
/* An import brings a whole year: it declares the year complete. */
static const char SQL_YEAR_IMPORTED[] =
	"INSERT INTO calendar_year (year, source, complete, completed_at, completed_by)"
	" VALUES (?, ?, 1, NOW(), NULLIF(?, 0))"
	" ON DUPLICATE KEY UPDATE source = VALUES(source), loaded_at = CURRENT_TIMESTAMP,"
	" complete = 1, completed_at = NOW(), completed_by = VALUES(completed_by)";
static const char SQL_YEAR_PRUNE[] =
	"DELETE FROM calendar_year WHERE year = ? AND NOT EXISTS"
	" (SELECT 1 FROM calendar_day WHERE day BETWEEN ? AND ?)";

/* calendar_year.source for a year that got its first row from the admin page. */
static const char SOURCE_ADMIN[] = "管理员在日历管理页录入";
#define SOURCE_MAX_CHARS 255

/* "YYYY-01-01" and "YYYY-12-31" of a year, for BETWEEN. */
static void year_bounds(int year, char first[CIVIL_DATE_LEN + 1], char last[CIVIL_DATE_LEN + 1])
{
	civil_format(civil_from_ymd(year, 1, 1), first);
	civil_format(civil_from_ymd(year, 12, 31), last);
}

/* ---------------------------------------------------------------------
 * Database: loading.
 */

int calendar_load_db(struct calendar *cal, struct buf *err)
{
	json_object *days = NULL, *years = NULL;
	int status;

	calendar_release(cal);
	status = db_query(&days, SQL_LOAD_DAYS, "");
	if (status == DB_OK)
		status = db_query(&years, SQL_LOAD_YEARS, "");
	if (status != DB_OK) {
		buf_adds(err, status == DB_UNAVAILABLE ? "数据库暂时不可用" : "读取日历表出错");
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(days); i++) {
		json_object *row = json_object_array_get_idx(days, i);
		const char *d = db_str(row, "day", ""), *k = db_str(row, "kind", "");
		const char *name = db_str(row, "name", "");
		int32_t day;
		enum cal_kind kind;
		if (civil_parse(d, &day) != 0 || calendar_kind_parse(k, strlen(k), &kind) != 0 ||
		    calendar_append(cal, day, kind, name, strlen(name)) != 0) {
			buf_addf(err, "日历表中有无效的行（日期 %.10s）", d);
			status = DB_ERROR;
			goto out;
		}
	}
	for (size_t i = 0; i < json_object_array_length(years); i++) {
		long long y = db_int(json_object_array_get_idx(years, i), "year", 0);
		if (y < CIVIL_YEAR_MIN || y > CIVIL_YEAR_MAX || calendar_append_year(cal, (int)y) != 0) {
			buf_addf(err, "calendar_year 表中有无效的年份 %lld", y);
			status = DB_ERROR;
			goto out;
		}
	}
out:
	if (status != DB_OK)
		calendar_release(cal);
	json_object_put(days);
	json_object_put(years);
	return status;
}

static struct {
	struct calendar cal;
	long long counter;
	bool loaded;
} current = { CALENDAR_INIT, 0, false };

int calendar_current(const struct calendar **cal, struct buf *err)
{
	struct calendar fresh = CALENDAR_INIT;
	long long n;
	int rc = counter_read(COUNTER_CALENDAR, &n);
	*cal = NULL;
	if (rc != DB_OK) {
		buf_adds(err, rc == DB_UNAVAILABLE ? "数据库暂时不可用" : "读取日历的修改计数出错");
		return rc;
	}
	if (!current.loaded || current.counter != n) {
		/* The counter first, then the rows: a change in between leaves
		 * the cache newer than its counter, never older. */
		if ((rc = calendar_load_db(&fresh, err)) != DB_OK)
			return rc;
		calendar_release(&current.cal);
		current.cal = fresh;
		current.counter = n;
		current.loaded = true;
	}
	*cal = &current.cal;
	return DB_OK;
}

/* ---------------------------------------------------------------------
 * Database: reads.
 */

int calendar_db_year_json(int year, json_object **out)
{
	char first[CIVIL_DATE_LEN + 1], last[CIVIL_DATE_LEN + 1];
	int status;
	*out = NULL;
	if (year < CIVIL_YEAR_MIN || year > CIVIL_YEAR_MAX) {
		*out = json_object_new_array();
		return DB_OK;
	}
	year_bounds(year, first, last);
	status = db_query(out, SQL_YEAR_ROWS, "ss", first, last);
	if (status != DB_OK)
		return status;
	for (size_t i = 0; i < json_object_array_length(*out); i++) {
		json_object *row = json_object_array_get_idx(*out, i);
		const char *k = db_str(row, "kind", "");
		enum cal_kind kind;
		int32_t day;
		if (civil_parse(db_str(row, "date", ""), &day) != 0 ||
		    calendar_kind_parse(k, strlen(k), &kind) != 0) {
			json_object_put(*out);
			*out = NULL;
			return DB_ERROR;
		}
		json_object_object_add(row, "label", json_object_new_string(calendar_kind_label(kind)));
		json_object_object_add(row, "weekday", json_object_new_int(civil_weekday(day)));
	}
	return DB_OK;
}

int calendar_db_years_json(json_object **out)
{
	return db_query(out, SQL_YEARS, "");
}

/* ---------------------------------------------------------------------
 * Database: changes.
 */

/* The database's message for a failed status, unless err already has one. */
static int db_fail(int status, struct buf *err)
{
	if (err->len)
		return status;
	switch (status) {
	case DB_UNAVAILABLE:
		buf_adds(err, "数据库暂时不可用，请稍后再试");
		break;
	case DB_CONFLICT:
		buf_adds(err, "该日期已有记录");
		break;
	default:
		buf_adds(err, "保存日历时数据库出错");
		break;
	}
	return status;
}

/* Record a year as loaded (first row from the admin page). */
static int year_seen(int year)
{
	return db_exec(SQL_YEAR_SEEN, "is", (long long)year, SOURCE_ADMIN);
}

/* Forget a year that has no rows left (complete or not: no dates is no
 * arrangement).  *pruned: it was forgotten; may be NULL. */
static int year_prune(int year, bool *pruned)
{
	char first[CIVIL_DATE_LEN + 1], last[CIVIL_DATE_LEN + 1];
	int status;
	year_bounds(year, first, last);
	status = db_exec(SQL_YEAR_PRUNE, "iss", (long long)year, first, last);
	if (pruned)
		*pruned = status == DB_OK && db_affected_rows() > 0;
	return status;
}

/* Reads the row of day inside the transaction, locking it.  DB_OK with
 * *row NULL when there is none. */
static int lock_day(int32_t day, json_object **row)
{
	char date[CIVIL_DATE_LEN + 1];
	civil_format(day, date);
	return db_query_row(row, SQL_LOCK_DAY, "s", date);
}

static void describe_row(struct buf *b, const char *date, const char *kind, const char *name)
{
	enum cal_kind k;
	buf_addf(b, "%s %s（%s）", date,
		 calendar_kind_parse(kind, strlen(kind), &k) == 0 ? calendar_kind_label(k) : kind,
		 name);
}

int calendar_db_add(const struct actor *who, int32_t day, enum cal_kind kind, const char *name,
		    struct buf *err)
{
	char date[CIVIL_DATE_LEN + 1];
	struct buf summary = BUF_INIT;
	int status;

	if (calendar_check_entry(day, kind, name, name ? strlen(name) : 0, err) != 0)
		return CAL_DB_INVALID;
	civil_format(day, date);
	status = db_begin();
	if (status != DB_OK)
		return db_fail(status, err);
	status = db_exec(SQL_INSERT_DAY, "sssi", date, calendar_kind_str(kind), name,
			 who->user_id);
	if (status == DB_CONFLICT)
		buf_addf(err, "%s 已有一条日历记录，请编辑那一条", date);
	if (status == DB_OK)
		status = year_seen(civil_year(day));
	if (status == DB_OK) {
		buf_adds(&summary, "新增 ");
		describe_row(&summary, date, calendar_kind_str(kind), name);
		status = audit_write(who, "calendar.add", "calendar_day", date, summary.data);
	}
	status = db_finish(status);
	buf_release(&summary);
	return status == DB_OK ? DB_OK : db_fail(status, err);
}

int calendar_db_edit(const struct actor *who, int32_t old_day, int32_t day, enum cal_kind kind,
		     const char *name, struct buf *err)
{
	char old_date[CIVIL_DATE_LEN + 1], date[CIVIL_DATE_LEN + 1];
	struct buf summary = BUF_INIT;
	json_object *old = NULL;
	int status;

	if (!civil_day_in_range(old_day)) {
		buf_adds(err, "原日期无效");
		return CAL_DB_INVALID;
	}
	if (calendar_check_entry(day, kind, name, name ? strlen(name) : 0, err) != 0)
		return CAL_DB_INVALID;
	civil_format(old_day, old_date);
	civil_format(day, date);
	status = db_begin();
	if (status != DB_OK)
		return db_fail(status, err);
	status = lock_day(old_day, &old);
	if (status == DB_OK && !old) {
		buf_addf(err, "%s 没有日历记录（可能已被删除）", old_date);
		status = CAL_DB_NOT_FOUND;
	}
	if (status == DB_OK) {
		status = db_exec(SQL_UPDATE_DAY, "sssis", date, calendar_kind_str(kind), name,
				 who->user_id, old_date);
		if (status == DB_CONFLICT)
			buf_addf(err, "%s 已有一条日历记录，不能把 %s 改到这一天", date, old_date);
	}
	if (status == DB_OK && civil_year(day) != civil_year(old_day)) {
		status = year_seen(civil_year(day));
		if (status == DB_OK)
			status = year_prune(civil_year(old_day), NULL);
	}
	if (status == DB_OK) {
		buf_adds(&summary, "修改 ");
		describe_row(&summary, old_date, db_str(old, "kind", ""), db_str(old, "name", ""));
		buf_adds(&summary, " 为 ");
		describe_row(&summary, date, calendar_kind_str(kind), name);
		status = audit_write(who, "calendar.edit", "calendar_day", old_date, summary.data);
	}
	status = db_finish(status);
	json_object_put(old);
	buf_release(&summary);
	return status == DB_OK ? DB_OK : db_fail(status, err);
}

int calendar_db_remove(const struct actor *who, int32_t day, struct buf *err)
{
	char date[CIVIL_DATE_LEN + 1];
	struct buf summary = BUF_INIT;
	json_object *old = NULL;
	bool pruned = false;
	int status;

	if (!civil_day_in_range(day)) {
		buf_adds(err, "日期无效");
		return CAL_DB_INVALID;
	}
	civil_format(day, date);
	status = db_begin();
	if (status != DB_OK)
		return db_fail(status, err);
	status = lock_day(day, &old);
	if (status == DB_OK && !old) {
		buf_addf(err, "%s 没有日历记录（可能已被删除）", date);
		status = CAL_DB_NOT_FOUND;
	}
	if (status == DB_OK)
		status = db_exec(SQL_DELETE_DAY, "s", date);
	if (status == DB_OK)
		status = year_prune(civil_year(day), &pruned);
	if (status == DB_OK) {
		buf_adds(&summary, "删除 ");
		describe_row(&summary, date, db_str(old, "kind", ""), db_str(old, "name", ""));
		if (pruned)
			buf_addf(&summary, "；%d 年已无日期，不再计为已录入", civil_year(day));
		status = audit_write(who, "calendar.remove", "calendar_day", date, summary.data);
	}
	status = db_finish(status);
	json_object_put(old);
	buf_release(&summary);
	return status == DB_OK ? DB_OK : db_fail(status, err);
}

int calendar_db_import_plan(const struct calendar *file, struct cal_import_year **plan)
{
	struct cal_import_year *p = xcalloc(file->nyears, sizeof *p);
	for (size_t i = 0; i < file->nyears; i++) {
		char first[CIVIL_DATE_LEN + 1], last[CIVIL_DATE_LEN + 1];
		json_object *rows = NULL;
		size_t from;
		int status;

		p[i].year = file->years[i];
		p[i].file_rows = calendar_year_entries(file, p[i].year, &from);
		year_bounds(p[i].year, first, last);
		status = db_query(&rows, SQL_YEAR_DAYS, "ss", first, last);
		if (status != DB_OK) {
			free(p);
			*plan = NULL;
			return status;
		}
		p[i].old_rows = (long long)json_object_array_length(rows);
		for (size_t k = 0; k < json_object_array_length(rows); k++) {
			int32_t day;
			if (civil_parse(db_str(json_object_array_get_idx(rows, k), "day", ""), &day) != 0 ||
			    !calendar_find(file, day))
				p[i].dropped++;
		}
		json_object_put(rows);
	}
	*plan = p;
	return DB_OK;
}

/* A copy of s cut to at most max_chars characters of valid UTF-8, with
 * control characters and invalid bytes replaced by '?'. */
static char *clean_text(const char *s, size_t max_chars)
{
	struct buf b = BUF_INIT;
	size_t chars = 0, len = strlen(s), i = 0;
	while (i < len && chars < max_chars) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (n > len - i || !utf8_valid(s + i, n) || utf8_has_controls(s + i, n, false)) {
			buf_addc(&b, '?');
			i++;
		} else {
			buf_add(&b, s + i, n);
			i += n;
		}
		chars++;
	}
	return buf_detach(&b, NULL);
}

int calendar_db_import(const struct actor *who, const struct calendar *file, const char *source,
		       struct buf *err)
{
	struct cal_import_year *plan = NULL;
	char *src = clean_text(source, SOURCE_MAX_CHARS);
	struct buf summary = BUF_INIT;
	int status;

	if (file->n == 0) {
		buf_adds(err, "没有要导入的日期行");
		free(src);
		return CAL_DB_INVALID;
	}
	status = db_begin();
	if (status != DB_OK)
		goto out;
	/* The plan inside the transaction gives the audit text the row counts
	 * being replaced. */
	status = calendar_db_import_plan(file, &plan);
	for (size_t i = 0; status == DB_OK && i < file->nyears; i++) {
		char first[CIVIL_DATE_LEN + 1], last[CIVIL_DATE_LEN + 1], year_id[8];
		int year = file->years[i];
		size_t from, count = calendar_year_entries(file, year, &from);

		year_bounds(year, first, last);
		status = db_exec(SQL_DELETE_YEAR_DAYS, "ss", first, last);
		for (size_t k = from; status == DB_OK && k < from + count; k++) {
			const struct cal_entry *e = &file->entries[k];
			char date[CIVIL_DATE_LEN + 1];
			civil_format(e->day, date);
			status = db_exec(SQL_INSERT_DAY, "sssi", date, calendar_kind_str(e->kind),
					 e->name, who->user_id);
		}
		if (status == DB_OK)
			status = db_exec(SQL_YEAR_IMPORTED, "isi", (long long)year, src, who->user_id);
		if (status == DB_OK) {
			snprintf(year_id, sizeof year_id, "%d", year);
			buf_reset(&summary);
			buf_addf(&summary,
				 "导入 %d 年日历 %zu 行（替换原有 %lld 行，其中删除 %lld 个日期），"
				 "并标记该年安排为完整；来源：%s",
				 year, count, plan[i].old_rows, plan[i].dropped, src);
			status = audit_write(who, "calendar.import", "calendar_year", year_id,
					     summary.data);
		}
	}
	if (status == DB_OK)
		status = db_commit();
out:
	if (status != DB_OK) {
		db_rollback();
		db_fail(status, err);
	}
	free(plan);
	free(src);
	buf_release(&summary);
	return status;
}

int calendar_db_set_complete(const struct actor *who, int year, bool complete, struct buf *err)
{
	struct buf summary = BUF_INIT;
	json_object *row = NULL;
	char year_id[8];
	int status;

	if (year < CIVIL_YEAR_MIN || year > CIVIL_YEAR_MAX) {
		buf_adds(err, "年份无效");
		return CAL_DB_INVALID;
	}
	status = db_begin();
	if (status != DB_OK)
		return db_fail(status, err);
	/* Locked: an add or remove of the year's last date waits for us. */
	status = db_query_row(&row, SQL_LOCK_YEAR, "i", (long long)year);
	if (status == DB_OK && !row) {
		buf_addf(err, "%d 年还没有任何日期，不能%s：请先录入该年的放假和调休日期", year,
			 complete ? "标记为完整" : "重新开放");
		status = CAL_DB_NO_DATES;
	} else if (status == DB_OK && (db_int(row, "complete", 0) != 0) == complete) {
		buf_addf(err, complete ? "%d 年已标记为完整" : "%d 年尚未标记为完整，无需重新开放",
			 year);
		status = CAL_DB_UNCHANGED;
	}
	if (status == DB_OK)
		status = db_exec(SQL_SET_COMPLETE, "iiiii", (long long)complete, (long long)complete,
				 (long long)complete, who->user_id, (long long)year);
	if (status == DB_OK) {
		snprintf(year_id, sizeof year_id, "%d", year);
		if (complete)
			buf_addf(&summary, "标记 %d 年节假日安排为完整：此后按该年日历计算工作日", year);
		else
			buf_addf(&summary, "重新开放 %d 年节假日安排：再次标记为完整前，不按该年计算工作日",
				 year);
		status = audit_write(who, complete ? "calendar.complete" : "calendar.reopen",
				     "calendar_year", year_id, summary.data);
	}
	status = db_finish(status);
	json_object_put(row);
	buf_release(&summary);
	return status == DB_OK ? DB_OK : db_fail(status, err);
}
