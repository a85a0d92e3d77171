#include "steps/manage/exchange.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "steps/intake/application.h"
#include "core/banned.h"

const char *const exc_levels[] = { "provincial", "national", NULL };

const char *exc_level_label(const char *level)
{
	if (level && !strcmp(level, "provincial"))
		return "省级";
	if (level && !strcmp(level, "national"))
		return "全国";
	return "";
}

static void label_one(json_object *r)
{
	static const char *const dates[] = { "held_on", "award_date", "last_held_on", NULL };
	db_add_date_zh(r, dates);
	if (json_object_object_get_ex(r, "level", NULL))
		json_object_object_add(r, "level_label",
				       json_object_new_string(exc_level_label(db_str(r, "level", ""))));
	if (json_object_object_get_ex(r, "scope", NULL)) {
		const char *l = app_scope_label((int)db_int(r, "scope", 0));
		json_object_object_add(r, "scope_label", json_object_new_string(l ? l : ""));
	}
}

static void label(json_object *rows)
{
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++)
		label_one(json_object_array_get_idx(rows, i));
}

static const char SQL_ADD[] =
	"INSERT INTO exchange_activity (held_on, topic, place, level, organiser, created_by)"
	" SELECT ?, ?, ?, ?, ?, ? FROM DUAL WHERE ? <= CURDATE()";

int exc_add(const struct actor *who, const struct exc_activity_input *in, long long *id)
{
	struct buf s = BUF_INIT;
	char oid[24] = "";
	int rc = db_begin();
	*id = 0;
	if (rc == DB_OK)
		rc = db_exec(SQL_ADD, "sssssis", in->held_on, in->topic, in->place, in->level,
			     in->organiser, who->user_id, in->held_on);
	if (rc == DB_OK && db_affected_rows() != 1)
		rc = EXC_E_DATE;
	if (rc == DB_OK) {
		*id = db_insert_id();
		snprintf(oid, sizeof oid, "%lld", *id);
		buf_addf(&s, "%s %s经验交流活动：%s（%s，%s）", in->held_on, exc_level_label(in->level),
			 in->topic, in->place, in->organiser);
	}
	rc = audit_commit(rc, who, "manage.activity.add", "exchange_activity", oid, s.data ? s.data : "");
	if (rc != DB_OK)
		*id = 0;
	buf_release(&s);
	return rc;
}

#define ACTIVITY_COLUMNS                                                                       \
	"SELECT a.id, a.held_on, a.topic, a.place, a.level, a.organiser,"                       \
	" (SELECT COUNT(*) FROM exchange_participation p WHERE p.activity_id = a.id) AS participants" \
	" FROM exchange_activity a"
static const char SQL_ACTIVITIES[] =
	ACTIVITY_COLUMNS " ORDER BY a.held_on DESC, a.id DESC LIMIT ? OFFSET ?";
static const char SQL_ACTIVITY[] = ACTIVITY_COLUMNS " WHERE a.id = ?";
static const char SQL_PARTICIPANTS[] =
	"SELECT p.benchmark_id, b.cert_no, b.enterprise_name, c.name AS city_name, b.year,"
	" b.status, p.contribution, p.recorded_at"
	" FROM exchange_participation p JOIN benchmark b ON b.id = p.benchmark_id"
	" JOIN city c ON c.code = b.city_code WHERE p.activity_id = ? ORDER BY b.year, b.seq";
static const char SQL_OF_BENCHMARK[] =
	"SELECT a.id AS activity_id, a.held_on, a.topic, a.place, a.level, a.organiser, p.contribution"
	" FROM exchange_participation p JOIN exchange_activity a ON a.id = p.activity_id"
	" WHERE p.benchmark_id = ? ORDER BY a.held_on DESC, a.id DESC";
static const char SQL_CANDIDATES[] =
	"SELECT b.id, b.cert_no, b.enterprise_name, b.year FROM benchmark b, exchange_activity a"
	" WHERE a.id = ? AND b.status = 'valid' AND b.award_date <= a.held_on"
	" AND NOT EXISTS (SELECT 1 FROM exchange_participation p WHERE p.activity_id = a.id"
	"  AND p.benchmark_id = b.id)"
	" ORDER BY b.year DESC, b.seq";

int exc_activities(long long page, json_object **rows, bool *more)
{
	page = page < 1 ? 1 : page;
	int rc = db_query(rows, SQL_ACTIVITIES, "ii", (long long)EXC_PAGE_SIZE + 1,
			  (page - 1) * EXC_PAGE_SIZE);
	*more = false;
	if (rc != DB_OK)
		return rc;
	*more = db_trim_page(*rows, EXC_PAGE_SIZE);
	label(*rows);
	return DB_OK;
}

int exc_activity(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_ACTIVITY, "i", id);
	if (rc == DB_OK && *row)
		label_one(*row);
	return rc;
}

int exc_participants(long long activity_id, json_object **rows)
{
	return db_query(rows, SQL_PARTICIPANTS, "i", activity_id);
}

int exc_of_benchmark(long long benchmark_id, json_object **rows)
{
	int rc = db_query(rows, SQL_OF_BENCHMARK, "i", benchmark_id);
	if (rc == DB_OK)
		label(*rows);
	return rc;
}

int exc_candidates(long long activity_id, json_object **rows)
{
	return db_query(rows, SQL_CANDIDATES, "i", activity_id);
}

static const char SQL_LOCK_PAIR[] =
	"SELECT a.id, a.held_on, a.topic, b.cert_no, b.enterprise_name, b.status,"
	" (b.award_date <= a.held_on) AS date_ok"
	" FROM exchange_activity a, benchmark b WHERE a.id = ? AND b.id = ? FOR UPDATE";
static const char SQL_PARTICIPATE[] =
	"INSERT INTO exchange_participation (activity_id, benchmark_id, contribution, recorded_by)"
	" VALUES (?, ?, ?, ?)";
static const char SQL_WITHDRAW[] =
	"DELETE FROM exchange_participation WHERE activity_id = ? AND benchmark_id = ?";

static int participation(const struct actor *who, long long activity_id, long long benchmark_id,
			 const char *contribution)
{
	json_object *pair = NULL;
	struct buf s = BUF_INIT;
	char oid[24];
	bool adding = contribution != NULL;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = db_query_row(&pair, SQL_LOCK_PAIR, "ii", activity_id, benchmark_id);
	if (rc == DB_OK && (!pair || (adding && strcmp(db_str(pair, "status", ""), "valid"))))
		rc = EXC_E_NOT_FOUND;
	if (rc == DB_OK && adding && !db_int(pair, "date_ok", 0))
		rc = EXC_E_DATE;
	if (rc == DB_OK && adding) {
		rc = db_exec(SQL_PARTICIPATE, "iisi", activity_id, benchmark_id, contribution, who->user_id);
		if (rc == DB_CONFLICT)
			rc = EXC_E_DUPLICATE;
	} else if (rc == DB_OK) {
		rc = db_exec(SQL_WITHDRAW, "ii", activity_id, benchmark_id);
		if (rc == DB_OK && db_affected_rows() != 1)
			rc = EXC_E_NOT_FOUND;
	}
	if (rc == DB_OK)
		buf_addf(&s, "%s %s %s %s经验交流活动“%s”%s%s", db_str(pair, "cert_no", ""),
			 db_str(pair, "enterprise_name", ""), adding ? "参加" : "删除参加记录：",
			 db_str(pair, "held_on", ""), db_str(pair, "topic", ""), adding ? "：" : "",
			 adding ? contribution : "");
	snprintf(oid, sizeof oid, "%lld", benchmark_id);
	rc = audit_commit(rc, who, adding ? "manage.participation.add" : "manage.participation.remove",
			  "benchmark", oid, s.data ? s.data : "");
	json_object_put(pair);
	buf_release(&s);
	return rc;
}

int exc_participation_add(const struct actor *who, long long activity_id, long long benchmark_id,
			  const char *contribution)
{
	return participation(who, activity_id, benchmark_id, contribution ? contribution : "");
}

int exc_participation_remove(const struct actor *who, long long activity_id,
			     long long benchmark_id)
{
	return participation(who, activity_id, benchmark_id, NULL);
}

static const char SQL_ABSENT[] =
	"SELECT b.id, b.cert_no, b.year, b.enterprise_name, c.name AS city_name, b.scope,"
	" b.award_date,"
	" IFNULL((SELECT MAX(a.held_on) FROM exchange_participation p"
	"  JOIN exchange_activity a ON a.id = p.activity_id WHERE p.benchmark_id = b.id), '')"
	"  AS last_held_on"
	" FROM benchmark b JOIN city c ON c.code = b.city_code"
	" WHERE b.status = 'valid' AND b.award_date <= ?"
	" AND NOT EXISTS (SELECT 1 FROM exchange_participation p"
	"  JOIN exchange_activity a ON a.id = p.activity_id"
	"  WHERE p.benchmark_id = b.id AND a.held_on BETWEEN ? AND ?)"
	" ORDER BY b.year, b.seq";

int exc_absent(const char *since, const char *until, json_object **rows)
{
	int rc = db_query(rows, SQL_ABSENT, "sss", until, since, until);
	if (rc == DB_OK)
		label(*rows);
	return rc;
}

int exc_report_audit(const struct actor *who, const char *since, const char *until, size_t n)
{
	struct buf s = BUF_INIT;
	int rc = db_begin();
	buf_addf(&s, "导出%s至%s期间未参加经验交流活动的质量标杆名单：%zu家", since, until, n);
	rc = audit_commit(rc, who, "manage.report", NULL, NULL, s.data);
	buf_release(&s);
	return rc;
}
