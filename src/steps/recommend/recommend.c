#include "steps/recommend/recommend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "rules/lifecycle.h"
#include "rules/sme.h"
#include "rules/uscc.h"
#include "steps/intake/app_status.h"
#include "steps/intake/application.h"
#include "steps/notify/notify.h"
#include "core/banned.h"

#define XSTR(x) STR(x)
#define STR(x) #x
#define FMT_MIN "'%Y-%m-%d %H:%i'"
#define FMT_SEC "'%Y-%m-%d %H:%i:%s'"
#define FMT_DAY "'%Y-%m-%d'"
/* Ranks are moved out of the way (+ this) while a batch is reordered: the
 * UNIQUE (batch_id, rank_no) key and the CHECK rank_no >= 1 both hold at
 * every row. */
#define RANK_PARK 10000

_Static_assert(REC_RANK_MAX < RANK_PARK, "parked ranks must not meet real ones");

/* ---- pure part ---- */

enum rec_batch_state rec_batch_state(bool submitted, bool before_deadline, long long activity)
{
	if (submitted)
		return REC_BATCH_SUBMITTED;
	if (!before_deadline)
		return REC_BATCH_LATE;
	return activity > 0 ? REC_BATCH_IN_PROGRESS : REC_BATCH_NOT_STARTED;
}

const char *rec_batch_state_name(enum rec_batch_state s)
{
	switch (s) {
	case REC_BATCH_NOT_STARTED:
		return "not_started";
	case REC_BATCH_IN_PROGRESS:
		return "in_progress";
	case REC_BATCH_SUBMITTED:
		return "submitted";
	case REC_BATCH_LATE:
		return "late";
	}
	abort();
}

const char *rec_batch_state_label(enum rec_batch_state s)
{
	switch (s) {
	case REC_BATCH_NOT_STARTED:
		return "未开始";
	case REC_BATCH_IN_PROGRESS:
		return "推荐中";
	case REC_BATCH_SUBMITTED:
		return "已提交";
	case REC_BATCH_LATE:
		return "逾期未提交";
	}
	abort();
}

int rec_order_from_ranks(const long long *ids, const long long *ranks, size_t n,
			 long long *ordered)
{
	bool *seen;
	if (!n)
		return 0;
	seen = xcalloc(n, sizeof *seen);
	for (size_t i = 0; i < n; i++) {
		if (ranks[i] < 1 || (unsigned long long)ranks[i] > n || seen[ranks[i] - 1]) {
			free(seen);
			return -1;
		}
		seen[ranks[i] - 1] = true;
		ordered[ranks[i] - 1] = ids[i];
	}
	free(seen);
	return 0;
}

/* ---- the list ---- */

/* The newest check of one kind: the one that counts (src/rules/credit.h). */
#define LATEST_CHECK(kind, col, alias)                                                          \
	"(SELECT " col " FROM credit_check cc WHERE cc.application_id = a.id AND cc.kind = '" kind \
	"' ORDER BY cc.checked_on DESC, cc.id DESC LIMIT 1) AS " alias
#define CREDIT_COLUMNS                                                                          \
	LATEST_CHECK("dishonest_debtor", "cc.result", "dd_result") ","                           \
	" " LATEST_CHECK("dishonest_debtor", "DATE_FORMAT(cc.checked_on, " FMT_DAY ")", "dd_date") \
	", " LATEST_CHECK("serious_violation", "cc.result", "sv_result") ","                     \
	" " LATEST_CHECK("serious_violation", "DATE_FORMAT(cc.checked_on, " FMT_DAY ")", "sv_date")
#define INDUSTRY_NAME                                                                           \
	"IF(a.industry = " XSTR(APP_INDUSTRY_OTHER) " AND a.industry_other <> '',"               \
	" a.industry_other, i.name_zh) AS industry_name"
#define APP_COLUMNS                                                                             \
	" a.status, a.scope, e.name AS enterprise_name, e.uscc, e.city_code, c.name AS city_name," \
	" a.title, " INDUSTRY_NAME ", a.sme_size, a.profit_1, a.profit_2,"                       \
	" IFNULL(DATE_FORMAT(a.submitted_at, " FMT_MIN "), '') AS submitted_at, " CREDIT_COLUMNS
#define LIST_COLUMNS                                                                            \
	"SELECT a.id," APP_COLUMNS ", (a.profit_1 > 0 AND a.profit_2 > 0) AS profit_ok,"        \
	" a.not_dishonest, IFNULL(DATE_FORMAT(a.dishonest_checked, " FMT_DAY "), '')"            \
	" AS dishonest_checked, EXISTS (SELECT 1 FROM attachment t WHERE t.application_id = a.id" \
	" AND t.kind = 'commitment') AS has_commitment, rc.decision, rc.rank_no, rc.opinion"
#define LIST_FROM                                                                               \
	" FROM application a JOIN enterprise e ON e.id = a.enterprise_id"                         \
	" JOIN city c ON c.code = e.city_code LEFT JOIN industry_4567 i ON i.no = a.industry"     \
	" LEFT JOIN recommendation rc ON rc.application_id = a.id"
#define LIST_WHERE                                                                              \
	" WHERE a.round_id = ? AND a.status <> 'draft' AND (? = '' OR e.city_code = ?)"           \
	" AND (? = '' OR a.status = ?)"                                                           \
	" AND (? = 0 OR a.status NOT IN ('submitted', 'returned', 'not_recommended'))"            \
	" AND (? = 0 OR a.scope = ?) AND (? = '' OR " APP_MATCHES_SQL("a", "e") ")"
#define LIST_SQL(order) LIST_COLUMNS LIST_FROM LIST_WHERE " ORDER BY " order ", a.id LIMIT ? OFFSET ?"
#define SORT(expr) { LIST_SQL(expr), LIST_SQL(expr " DESC") }

static const char SQL_LIST_COUNT[] = "SELECT COUNT(*) AS n" LIST_FROM LIST_WHERE;

/* Sorting is a closed set: one statement per column and direction, each a
 * constant, so nothing is put together at run time.  ENUM columns (status,
 * sme_size) sort in their declared order, which is the workflow's. */
const struct rec_sort_key rec_sort_keys[] = {
	{ "submitted", "提交时间" },   { "enterprise", "企业名称" },
	{ "city", "市（地）" },        { "status", "状态" },
	{ "scope", "遴选范围" },       { "industry", "所属行业" },
	{ "sme", "企业规模" },         { "profit_1", "上一年度净利润" },
	{ "profit_2", "前一年度净利润" }, { "legal", "独立法人" },
	{ "dishonest", "失信被执行人查询" }, { "commitment", "承诺书" },
	{ "rank", "推荐排名" },
};
const size_t rec_n_sort_keys = sizeof rec_sort_keys / sizeof rec_sort_keys[0];

static const struct {
	const char *asc, *desc;
} sort_sql[] = {
	SORT("a.submitted_at"),
	SORT("e.name"),
	SORT("c.sort_order"),
	SORT("a.status"),
	SORT("a.scope"),
	SORT("i.sort_order"),
	SORT("a.sme_size"),
	SORT("a.profit_1"),
	SORT("a.profit_2"),
	/* Positions 1-2 of the code decide the flag (src/rules/uscc.h). */
	SORT("LEFT(e.uscc, 2)"),
	SORT("a.dishonest_checked"),
	SORT("has_commitment"),
	SORT("rc.rank_no"),
};
_Static_assert(sizeof sort_sql / sizeof sort_sql[0] ==
		       sizeof rec_sort_keys / sizeof rec_sort_keys[0],
	       "one pair of statements per sort key");

int rec_sort_parse(const char *name)
{
	for (size_t i = 0; name && i < rec_n_sort_keys; i++)
		if (!strcmp(rec_sort_keys[i].name, name))
			return (int)i;
	return -1;
}

static void add_str(json_object *row, const char *key, const char *v)
{
	json_object_object_add(row, key, v ? json_object_new_string(v) : NULL);
}

static const char *sme_label(const char *name)
{
	for (int s = SME_LARGE; name && s <= SME_MICRO; s++)
		if (!strcmp(sme_size_name((enum sme_size)s), name))
			return sme_size_label((enum sme_size)s);
	return NULL;
}

static void credit_from_row(json_object *row, const char *result_col, const char *date_col,
			    struct credit_check *out)
{
	const char *d = db_str(row, date_col, NULL);
	out->result = credit_result_parse(db_str(row, result_col, NULL));
	if (out->result == CREDIT_NOT_CHECKED || !d || civil_parse(d, &out->checked_on))
		out->result = CREDIT_NOT_CHECKED, out->checked_on = 0;
}

/* Labels of the credit columns (dd_*, sv_*) and the verdict of both. */
static void label_credit(json_object *row, int32_t today, int max_age)
{
	struct credit_check cc[CREDIT_KINDS];
	enum credit_kind which = CREDIT_DISHONEST;
	enum credit_verdict v;
	credit_from_row(row, "dd_result", "dd_date", &cc[CREDIT_DISHONEST]);
	credit_from_row(row, "sv_result", "sv_date", &cc[CREDIT_SERIOUS_VIOLATION]);
	add_str(row, "dd_label", credit_result_label(cc[CREDIT_DISHONEST].result));
	add_str(row, "sv_label", credit_result_label(cc[CREDIT_SERIOUS_VIOLATION].result));
	v = credit_judge_all(cc, today, max_age, &which);
	add_str(row, "credit_label", v == CREDIT_OK ? credit_verdict_label(v) : NULL);
	if (v != CREDIT_OK) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s：%s", credit_kind_label(which), credit_verdict_label(v));
		add_str(row, "credit_label", b.data);
		buf_release(&b);
	}
	json_object_object_add(row, "credit_ok", json_object_new_boolean(v == CREDIT_OK));
}

/* The Chinese labels a row of the list, a batch or an export shows. */
static void label_row(json_object *row, int32_t today, int max_age)
{
	const char *sl = app_scope_label((int)db_int(row, "scope", 0));
	const char *decision = db_str(row, "decision", NULL);
	static const char *const legal_names[] = { "no", "yes", "unknown" };
	static const char *const legal_labels[] = { "否", "是", "待核实" };
	enum uscc_legal legal = uscc_legal_person(db_str(row, "uscc", ""));
	add_str(row, "status_label", app_status_label(db_str(row, "status", "")));
	add_str(row, "scope_label", sl ? sl : "");
	add_str(row, "sme_size_label", sme_label(db_str(row, "sme_size", NULL)));
	add_str(row, "legal", legal_names[legal]);
	add_str(row, "legal_label", legal_labels[legal]);
	json_object_object_add(row, "profit_ok", json_object_new_boolean(db_int(row, "profit_ok", 0)));
	add_str(row, "dishonest_label",
		db_int(row, "not_dishonest", 0) ? "已声明未列入" : "未声明");
	add_str(row, "commitment_label", db_int(row, "has_commitment", 0) ? "已上传" : "未上传");
	add_str(row, "profit_label", db_int(row, "profit_ok", 0) ? "连续盈利" : "不符合");
	add_str(row, "decision_label",
		!decision ? NULL : !strcmp(decision, "recommended") ? "推荐" : "不予推荐");
	label_credit(row, today, max_age);
}

static void label_rows(json_object *rows)
{
	int32_t today = civil_today_shanghai();
	int max_age = rec_credit_max_age();
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++)
		label_row(json_object_array_get_idx(rows, i), today, max_age);
}

int rec_list(const struct rec_filter *f, json_object **rows, long long *total)
{
	json_object *count = NULL;
	const char *city = f->city_code ? f->city_code : "", *status = f->status ? f->status : "";
	const char *search = f->q ? f->q : "";
	struct buf pat = BUF_INIT;
	long long only = f->recommended_only, scope = f->scope, size = f->page_size;
	long long page = f->page < 1 ? 1 : f->page;
	int sort = f->sort >= 0 && (size_t)f->sort < rec_n_sort_keys ? f->sort : 0;
	int rc;

	*rows = NULL;
	*total = 0;
	if (size < 1 || size > REC_EXPORT_MAX)
		size = REC_PAGE_SIZE;
	db_like_anywhere(search, &pat);
	rc = db_query_row(&count, SQL_LIST_COUNT, "issssiiissss", f->round_id, city, city, status,
			  status, only, scope, scope, search, pat.data, pat.data, search);
	if (rc != DB_OK) {
		buf_release(&pat);
		return rc;
	}
	*total = db_int(count, "n", 0);
	json_object_put(count);
	rc = db_query(rows, f->desc ? sort_sql[sort].desc : sort_sql[sort].asc, "issssiiissssii",
		      f->round_id, city, city, status, status, only, scope, scope, search, pat.data,
		      pat.data, search, size, (page - 1) * size);
	buf_release(&pat);
	if (rc == DB_OK)
		label_rows(*rows);
	return rc;
}

/* ---- batches ---- */

/* A city's batch counts only its own applications: the count is made inside
 * the derived table (city_filter) so that one city's page does not count
 * the whole round to keep one line of it. */
#define BATCH_COLUMNS(city_filter)                                                              \
	"SELECT r.id AS round_id, r.year, r.title AS round_title, c.code AS city_code,"           \
	" c.name AS city_name, IFNULL(b.id, 0) AS batch_id, IFNULL(b.status, 'open') AS batch_status," \
	" DATE_FORMAT(COALESCE(b.deadline_override, r.recommend_deadline), " FMT_MIN ") AS deadline," \
	" DATE_FORMAT(r.recommend_deadline, " FMT_MIN ") AS round_deadline,"                      \
	" (b.deadline_override IS NOT NULL) AS extended,"                                         \
	" (NOW() < COALESCE(b.deadline_override, r.recommend_deadline)) AS before_deadline,"      \
	" (r.apply_open <= NOW() AND NOW() < r.apply_close) AS window_open,"                      \
	" DATE_FORMAT(r.apply_close, " FMT_MIN ") AS apply_close,"                                \
	" IFNULL(q.quota, r.default_quota) AS quota,"                                             \
	" IFNULL(DATE_FORMAT(b.submitted_at, " FMT_MIN "), '') AS submitted_at,"                  \
	" IFNULL(n.received, 0) AS received, IFNULL(n.undecided, 0) AS undecided,"                \
	" IFNULL(n.returned, 0) AS returned, IFNULL(n.declined, 0) AS declined,"                  \
	" IFNULL(n.used, 0) AS used, IFNULL(n.returns_ever, 0) AS returns_ever"                   \
	" FROM selection_round r JOIN city c"                                                     \
	" LEFT JOIN recommend_batch b ON b.round_id = r.id AND b.city_code = c.code"              \
	" LEFT JOIN round_city_quota q ON q.round_id = r.id AND q.city_code = c.code"             \
	" LEFT JOIN (SELECT e.city_code, COUNT(*) AS received,"                                   \
	" CAST(SUM(a.status = 'submitted') AS SIGNED) AS undecided,"                              \
	" CAST(SUM(a.status = 'returned') AS SIGNED) AS returned,"                                \
	" CAST(SUM(a.status = 'not_recommended') AS SIGNED) AS declined,"                         \
	" CAST(SUM(a.status NOT IN ('submitted', 'returned', 'not_recommended')) AS SIGNED) AS used," \
	" CAST(SUM((SELECT COUNT(*) FROM application_return t WHERE t.application_id = a.id))"    \
	" AS SIGNED) AS returns_ever"                                                             \
	" FROM application a JOIN enterprise e ON e.id = a.enterprise_id"                         \
	" WHERE a.round_id = ? AND a.status <> 'draft'" city_filter " GROUP BY e.city_code) n"    \
	" ON n.city_code = c.code WHERE r.id = ?"
static const char SQL_BATCH[] = BATCH_COLUMNS(" AND e.city_code = ?") " AND c.code = ?";
static const char SQL_OVERVIEW[] =
	BATCH_COLUMNS("") " AND c.active = 1 ORDER BY c.sort_order, c.code";
static const char SQL_BATCH_ITEMS[] =
	"SELECT rc.application_id, rc.application_id AS id, rc.rank_no, rc.opinion,"
	" DATE_FORMAT(rc.decided_at, " FMT_MIN ") AS decided_at," APP_COLUMNS
	" FROM recommend_batch b JOIN recommendation rc ON rc.batch_id = b.id"
	" AND rc.decision = 'recommended' JOIN application a ON a.id = rc.application_id"
	" JOIN enterprise e ON e.id = a.enterprise_id JOIN city c ON c.code = e.city_code"
	" LEFT JOIN industry_4567 i ON i.no = a.industry"
	" WHERE b.round_id = ? AND b.city_code = ? ORDER BY rc.rank_no";
static const char SQL_EVENTS[] =
	"SELECT v.kind, v.reason, IFNULL(DATE_FORMAT(v.deadline, " FMT_MIN "), '') AS deadline,"
	" v.recommended, IFNULL(u.login, '') AS login, DATE_FORMAT(v.at, " FMT_MIN ") AS at"
	" FROM recommend_batch b JOIN recommend_batch_event v ON v.batch_id = b.id"
	" LEFT JOIN account u ON u.id = v.account_id"
	" WHERE b.round_id = ? AND b.city_code = ? ORDER BY v.id";

static void label_batch(json_object *row)
{
	long long quota = db_int(row, "quota", 0), used = db_int(row, "used", 0);
	bool submitted = !strcmp(db_str(row, "batch_status", ""), "submitted");
	long long activity = used + db_int(row, "declined", 0) + db_int(row, "returns_ever", 0);
	enum rec_batch_state s =
		rec_batch_state(submitted, db_int(row, "before_deadline", 0) != 0, activity);
	char is[24];
	add_str(row, "state", rec_batch_state_name(s));
	add_str(row, "state_label", rec_batch_state_label(s));
	snprintf(is, sizeof is, "is_%s", rec_batch_state_name(s));
	json_object_object_add(row, is, json_object_new_boolean(1));
	json_object_object_add(row, "submitted", json_object_new_boolean(submitted));
	json_object_object_add(row, "remaining", json_object_new_int64(quota > used ? quota - used : 0));
	json_object_object_add(row, "over_quota", json_object_new_boolean(used > quota));
	json_object_object_add(row, "over_by", json_object_new_int64(used > quota ? used - quota : 0));
	/* The city may still change its batch. */
	json_object_object_add(row, "can_change",
			       json_object_new_boolean(!submitted && db_int(row, "before_deadline", 0)));
}

int rec_batch(long long round_id, const char *city_code, json_object **row)
{
	int rc = db_query_row(row, SQL_BATCH, "isis", round_id, city_code, round_id, city_code);
	if (rc == DB_OK && *row)
		label_batch(*row);
	return rc;
}

int rec_overview(long long round_id, json_object **rows)
{
	int rc = db_query(rows, SQL_OVERVIEW, "ii", round_id, round_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		label_batch(json_object_array_get_idx(*rows, i));
	return rc;
}

int rec_batch_items(long long round_id, const char *city_code, json_object **rows)
{
	int rc = db_query(rows, SQL_BATCH_ITEMS, "is", round_id, city_code);
	if (rc == DB_OK)
		label_rows(*rows);
	return rc;
}

int rec_batch_events(long long round_id, const char *city_code, json_object **rows)
{
	int rc = db_query(rows, SQL_EVENTS, "is", round_id, city_code);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		const char *k = db_str(r, "kind", "");
		add_str(r, "kind_label", !strcmp(k, "submit")   ? "提交省工信厅"
					 : !strcmp(k, "reopen") ? "重新开放"
								: "延长截止时间");
	}
	return rc;
}

/* ---- one application ---- */

static const char SQL_DECISION[] =
	"SELECT rc.decision, rc.opinion, rc.rank_no, DATE_FORMAT(rc.decided_at, " FMT_MIN ")"
	" AS decided_at, IFNULL(u.login, '') AS login FROM recommendation rc"
	" LEFT JOIN account u ON u.id = rc.decided_by WHERE rc.application_id = ?";
static const char SQL_RETURNS[] =
	"SELECT t.reason, DATE_FORMAT(t.returned_at, " FMT_MIN ") AS returned_at,"
	" IFNULL(u.login, '') AS login FROM application_return t"
	" LEFT JOIN account u ON u.id = t.returned_by WHERE t.application_id = ? ORDER BY t.id DESC";
static const char SQL_CREDIT_CHECKS[] =
	"SELECT cc.kind, cc.result, DATE_FORMAT(cc.checked_on, " FMT_DAY ") AS checked_on, cc.note,"
	" u.login, cc.recorded_role, DATE_FORMAT(cc.recorded_at, " FMT_MIN ") AS recorded_at"
	" FROM credit_check cc JOIN account u ON u.id = cc.recorded_by"
	" WHERE cc.application_id = ? ORDER BY cc.checked_on DESC, cc.id DESC";

int rec_decision(long long app_id, json_object **row)
{
	int rc = db_query_row(row, SQL_DECISION, "i", app_id);
	if (rc == DB_OK && *row) {
		bool rec = !strcmp(db_str(*row, "decision", ""), "recommended");
		add_str(*row, "decision_label", rec ? "推荐" : "不予推荐");
		json_object_object_add(*row, "recommended", json_object_new_boolean(rec));
	}
	return rc;
}

int rec_returns(long long app_id, json_object **rows)
{
	return db_query(rows, SQL_RETURNS, "i", app_id);
}

int rec_credit_checks(long long app_id, json_object **rows)
{
	int rc = db_query(rows, SQL_CREDIT_CHECKS, "i", app_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		int k = credit_kind_parse(db_str(r, "kind", ""));
		add_str(r, "kind_label", k >= 0 ? credit_kind_label((enum credit_kind)k) : "");
		add_str(r, "result_label", credit_result_label(credit_result_parse(db_str(r, "result", ""))));
		json_object_object_add(r, "listed", json_object_new_boolean(
							    !strcmp(db_str(r, "result", ""), "listed")));
		add_str(r, "role_label",
			!strcmp(db_str(r, "recorded_role", ""), "city") ? "市（地）工信局" : "省工信厅");
	}
	return rc;
}

int rec_credit_latest(long long app_id, struct credit_check out[CREDIT_KINDS])
{
	json_object *rows = NULL;
	int rc;
	memset(out, 0, CREDIT_KINDS * sizeof *out);
	if ((rc = db_query(&rows, SQL_CREDIT_CHECKS, "i", app_id)) != DB_OK)
		return rc;
	/* Newest check date first: the first row of each kind counts. */
	for (size_t i = json_object_array_length(rows); i-- > 0;) {
		json_object *r = json_object_array_get_idx(rows, i);
		int k = credit_kind_parse(db_str(r, "kind", ""));
		int32_t d;
		if (k < 0 || civil_parse(db_str(r, "checked_on", ""), &d))
			continue;
		out[k].result = credit_result_parse(db_str(r, "result", ""));
		out[k].checked_on = d;
	}
	json_object_put(rows);
	return DB_OK;
}

int rec_credit_max_age(void)
{
	long long v = config_int("credit_check_max_age_days", CREDIT_MAX_AGE_DEFAULT);
	if (v < CREDIT_MAX_AGE_MIN || v > CREDIT_MAX_AGE_MAX)
		v = CREDIT_MAX_AGE_DEFAULT;
	return (int)v;
}

int rec_credit_verdict(long long app_id, enum credit_verdict *v, enum credit_kind *which)
{
	struct credit_check cc[CREDIT_KINDS];
	int rc = rec_credit_latest(app_id, cc);
	if (rc == DB_OK)
		*v = credit_judge_all(cc, civil_today_shanghai(), rec_credit_max_age(), which);
	return rc;
}

/* ---- changes ---- */

static const char SQL_EXISTS[] =
	"SELECT (SELECT COUNT(*) FROM selection_round WHERE id = ?) AS round_n,"
	" (SELECT COUNT(*) FROM city WHERE code = ? AND active = 1) AS city_n";
static const char SQL_ENSURE[] =
	"INSERT INTO recommend_batch (round_id, city_code) VALUES (?, ?)"
	" ON DUPLICATE KEY UPDATE id = id";
static const char SQL_LOCK_BATCH[] =
	"SELECT id, status FROM recommend_batch WHERE round_id = ? AND city_code = ? FOR UPDATE";
static const char SQL_BATCH_TIMES[] =
	"SELECT (NOW() < COALESCE(b.deadline_override, r.recommend_deadline)) AS before_deadline,"
	" (r.apply_open <= NOW() AND NOW() < r.apply_close) AS window_open, r.year,"
	" c.name AS city_name, IFNULL(q.quota, r.default_quota) AS quota"
	" FROM recommend_batch b JOIN selection_round r ON r.id = b.round_id"
	" JOIN city c ON c.code = b.city_code"
	" LEFT JOIN round_city_quota q ON q.round_id = b.round_id AND q.city_code = b.city_code"
	" WHERE b.id = ?";
static const char SQL_APP_INFO[] =
	"SELECT a.id, a.round_id, a.status, e.city_code, e.name AS enterprise_name"
	" FROM application a JOIN enterprise e ON e.id = a.enterprise_id WHERE a.id = ?";
static const char SQL_LOCK_APP[] = "SELECT id, status FROM application WHERE id = ? FOR UPDATE";
static const char SQL_RETURN_INSERT[] =
	"INSERT INTO application_return (application_id, reason, returned_by)"
	" VALUES (?, ?, NULLIF(?, 0))";
static const char SQL_DECLINE_INSERT[] =
	"INSERT INTO recommendation (application_id, batch_id, decision, opinion, rank_no, decided_by)"
	" VALUES (?, ?, 'not_recommended', ?, NULL, NULLIF(?, 0))";
static const char SQL_RECOMMEND_INSERT[] =
	"INSERT INTO recommendation (application_id, batch_id, decision, opinion, rank_no, decided_by)"
	" VALUES (?, ?, 'recommended', ?, ?, NULLIF(?, 0))";
static const char SQL_COUNT_RECOMMENDED[] =
	"SELECT COUNT(*) AS n FROM recommendation WHERE batch_id = ? AND decision = 'recommended'";
static const char SQL_SHIFT_DOWN[] =
	"UPDATE recommendation SET rank_no = rank_no + 1 WHERE batch_id = ? AND rank_no >= ?"
	" ORDER BY rank_no DESC";
static const char SQL_CLOSE_GAP[] =
	"UPDATE recommendation SET rank_no = rank_no - 1 WHERE batch_id = ? AND rank_no > ?"
	" ORDER BY rank_no";
static const char SQL_DECISION_OF[] =
	"SELECT decision, rank_no FROM recommendation WHERE application_id = ? AND batch_id = ?";
static const char SQL_DELETE_DECISION[] =
	"DELETE FROM recommendation WHERE application_id = ? AND batch_id = ?";
static const char SQL_RECOMMENDED_IDS[] =
	"SELECT application_id FROM recommendation WHERE batch_id = ? AND decision = 'recommended'"
	" ORDER BY rank_no";
static const char SQL_PARK_RANKS[] =
	"UPDATE recommendation SET rank_no = rank_no + " XSTR(RANK_PARK)
	" WHERE batch_id = ? AND decision = 'recommended' ORDER BY rank_no DESC";
static const char SQL_SET_RANK[] =
	"UPDATE recommendation SET rank_no = ? WHERE batch_id = ? AND application_id = ?";
static const char SQL_UNDECIDED[] =
	"SELECT COUNT(*) AS n FROM application a JOIN enterprise e ON e.id = a.enterprise_id"
	" WHERE a.round_id = ? AND e.city_code = ? AND a.status = 'submitted'";
static const char SQL_BATCH_SUBMIT[] =
	"UPDATE recommend_batch SET status = 'submitted', submitted_at = NOW(),"
	" submitted_by = NULLIF(?, 0), updated_at = NOW() WHERE id = ? AND status = 'open'";
static const char SQL_BATCH_REOPEN[] =
	"UPDATE recommend_batch SET status = 'open', submitted_at = NULL, submitted_by = NULL,"
	" updated_at = NOW() WHERE id = ? AND status = 'submitted'";
static const char SQL_EVENT_INSERT[] =
	"INSERT INTO recommend_batch_event (batch_id, kind, reason, deadline, recommended, account_id)"
	" VALUES (?, ?, ?, ?, ?, NULLIF(?, 0))";
static const char SQL_GONE_ON[] =
	"SELECT COUNT(*) AS n FROM recommendation rc JOIN application a ON a.id = rc.application_id"
	" WHERE rc.batch_id = ? AND rc.decision = 'recommended' AND a.status <> 'with_province'";
static const char SQL_EXTEND_CHECK[] =
	"SELECT (CAST(? AS DATETIME) > NOW()) AS future,"
	" (CAST(? AS DATETIME) > COALESCE(b.deadline_override, r.recommend_deadline)) AS later,"
	" DATE_FORMAT(COALESCE(b.deadline_override, r.recommend_deadline), " FMT_MIN ") AS current"
	" FROM recommend_batch b JOIN selection_round r ON r.id = b.round_id WHERE b.id = ?";
static const char SQL_EXTEND[] =
	"UPDATE recommend_batch SET deadline_override = ?, updated_at = NOW() WHERE id = ?";
static const char SQL_CREDIT_INSERT[] =
	"INSERT INTO credit_check (application_id, kind, result, checked_on, note, recorded_by,"
	" recorded_role) VALUES (?, ?, ?, ?, ?, ?, ?)";

/* audit.summary is VARCHAR(1000): user text in it is cut to this many characters. */
#define CLIP_CHARS 300

static void add_clipped(struct buf *b, const char *s)
{
	size_t chars = 0, i;
	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > CLIP_CHARS)
			break;
	buf_add(b, s, i);
	if (s[i])
		buf_adds(b, "……");
}

/* A batch row, locked. */
struct batch_lock {
	long long id;
	bool submitted, before_deadline, window_open;
	long long year, quota;
	char city_name[129];
};

/* Makes sure the batch row exists (its own statement: autocommit), then
 * opens the transaction and locks the row.  After DB_OK or any result but
 * one from before db_begin (REC_E_NOT_FOUND, a failed ensure), the caller
 * ends the transaction (db_finish / audit_commit).  *began says which. */
static int lock_batch(long long round_id, const char *city, struct batch_lock *b, bool *began)
{
	json_object *row = NULL;
	int rc;
	memset(b, 0, sizeof *b);
	*began = false;
	if ((rc = db_query_row(&row, SQL_EXISTS, "is", round_id, city)) != DB_OK)
		return rc;
	rc = db_int(row, "round_n", 0) && db_int(row, "city_n", 0) ? DB_OK : REC_E_NOT_FOUND;
	json_object_put(row);
	row = NULL;
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(SQL_ENSURE, "is", round_id, city)) != DB_OK)
		return rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	*began = true;
	if ((rc = db_query_row(&row, SQL_LOCK_BATCH, "is", round_id, city)) != DB_OK)
		return rc;
	if (!row)
		return DB_ERROR; /* made just above */
	b->id = db_int(row, "id", 0);
	b->submitted = !strcmp(db_str(row, "status", ""), "submitted");
	json_object_put(row);
	row = NULL;
	if ((rc = db_query_row(&row, SQL_BATCH_TIMES, "i", b->id)) != DB_OK)
		return rc;
	if (!row)
		return DB_ERROR;
	b->before_deadline = db_int(row, "before_deadline", 0) != 0;
	b->window_open = db_int(row, "window_open", 0) != 0;
	b->year = db_int(row, "year", 0);
	b->quota = db_int(row, "quota", 0);
	snprintf(b->city_name, sizeof b->city_name, "%s", db_str(row, "city_name", ""));
	json_object_put(row);
	return DB_OK;
}

/* For the city's own changes: the batch open and the deadline not passed. */
static int batch_changeable(const struct batch_lock *b)
{
	if (b->submitted)
		return REC_E_BATCH_SUBMITTED;
	if (!b->before_deadline)
		return REC_E_LATE;
	return DB_OK;
}

/* One application and its city's batch, both locked (batch first, then
 * the application: every change takes them in this order). */
struct app_lock {
	struct batch_lock batch;
	long long id;
	char status[24];
	char enterprise[257];
};

static int lock_app(long long app_id, const char *city, struct app_lock *x, bool *began)
{
	json_object *info = NULL, *row = NULL;
	char city_code[7];
	long long round_id;
	int rc;
	memset(x, 0, sizeof *x);
	*began = false;
	if ((rc = db_query_row(&info, SQL_APP_INFO, "i", app_id)) != DB_OK)
		return rc;
	if (!info || !strcmp(db_str(info, "status", "draft"), "draft") ||
	    (city && strcmp(city, db_str(info, "city_code", "")))) {
		json_object_put(info);
		return REC_E_NOT_FOUND;
	}
	round_id = db_int(info, "round_id", 0);
	snprintf(city_code, sizeof city_code, "%s", db_str(info, "city_code", ""));
	snprintf(x->enterprise, sizeof x->enterprise, "%s", db_str(info, "enterprise_name", ""));
	json_object_put(info);
	x->id = app_id;
	if ((rc = lock_batch(round_id, city_code, &x->batch, began)) != DB_OK)
		return rc;
	if ((rc = db_query_row(&row, SQL_LOCK_APP, "i", app_id)) != DB_OK)
		return rc;
	if (!row)
		return REC_E_NOT_FOUND;
	snprintf(x->status, sizeof x->status, "%s", db_str(row, "status", ""));
	json_object_put(row);
	return DB_OK;
}

/* A notice about a round's batch (notify.h), in the change's transaction. */
static int tell(enum notify_to to, const char *city, const char *kind, const char *link,
		long long round_id, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int tell(enum notify_to to, const char *city, const char *kind, const char *link,
		long long round_id, const char *fmt, ...)
{
	struct buf subject = BUF_INIT, path = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&subject, fmt, ap);
	va_end(ap);
	buf_addf(&path, "%s%lld", link, round_id);
	struct notice n = { kind, subject.data, path.data, NULL };
	int rc = notify(to, 0, city, &n);
	buf_release(&subject);
	buf_release(&path);
	return rc;
}

/* Ends a transaction lock_batch or lock_app may have begun. */
static int end(int rc, bool began, const struct actor *who, const char *action,
	       const char *otype, long long oid, const struct buf *summary)
{
	char id[24];
	if (!began)
		return rc;
	snprintf(id, sizeof id, "%lld", oid);
	return audit_commit(rc, who, action, otype, id, summary->data);
}

/* APP_E_STATE from the status move means the state was wrong. */
static int state_rc(int rc)
{
	return rc == APP_E_STATE ? REC_E_STATE : rc;
}

int rec_return(const struct actor *who, long long app_id, const char *city, const char *reason)
{
	struct app_lock x;
	struct buf s = BUF_INIT;
	bool began;
	int rc = lock_app(app_id, city, &x, &began);
	if (rc == DB_OK)
		rc = batch_changeable(&x.batch);
	if (rc == DB_OK && !lc_allowed(lc_state_parse(x.status), LC_RETURN, LC_BY_CITY))
		rc = REC_E_STATE;
	if (rc == DB_OK && !x.batch.window_open)
		rc = REC_E_WINDOW_CLOSED;
	if (rc == DB_OK)
		rc = state_rc(app_status_move(app_id, x.status, LC_RETURN, LC_BY_CITY, NULL));
	if (rc == DB_OK)
		rc = db_exec(SQL_RETURN_INSERT, "isi", app_id, reason, who->user_id);
	buf_addf(&s, "退回修改：%s（%lld年度申报书），理由：", x.enterprise, x.batch.year);
	add_clipped(&s, reason);
	rc = end(rc, began, who, "recommend.return", "application", app_id, &s);
	buf_release(&s);
	return rc;
}

int rec_decline(const struct actor *who, long long app_id, const char *city, const char *reason)
{
	struct app_lock x;
	struct buf s = BUF_INIT;
	bool began;
	int rc = lock_app(app_id, city, &x, &began);
	if (rc == DB_OK)
		rc = batch_changeable(&x.batch);
	if (rc == DB_OK)
		rc = state_rc(app_status_move(app_id, x.status, LC_DECLINE, LC_BY_CITY, NULL));
	if (rc == DB_OK)
		rc = db_exec(SQL_DECLINE_INSERT, "iisi", app_id, x.batch.id, reason, who->user_id);
	buf_addf(&s, "不予推荐：%s（%lld年度申报书），理由：", x.enterprise, x.batch.year);
	add_clipped(&s, reason);
	rc = end(rc, began, who, "recommend.decline", "application", app_id, &s);
	buf_release(&s);
	return rc;
}

static int count_recommended(long long batch_id, long long *n)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_COUNT_RECOMMENDED, "i", batch_id);
	*n = db_int(row, "n", 0);
	json_object_put(row);
	return rc;
}

int rec_recommend(const struct actor *who, long long app_id, const char *city,
		  const char *opinion, long long rank)
{
	struct app_lock x;
	struct buf s = BUF_INIT;
	long long n = 0;
	bool began;
	int rc = lock_app(app_id, city, &x, &began);
	if (rc == DB_OK)
		rc = batch_changeable(&x.batch);
	if (rc == DB_OK && !lc_allowed(lc_state_parse(x.status), LC_RECOMMEND, LC_BY_CITY))
		rc = REC_E_STATE;
	if (rc == DB_OK)
		rc = count_recommended(x.batch.id, &n);
	if (rc == DB_OK && rank == 0)
		rank = n + 1;
	if (rc == DB_OK && (rank < 1 || rank > n + 1 || rank > REC_RANK_MAX))
		rc = REC_E_RANK;
	if (rc == DB_OK)
		rc = state_rc(app_status_move(app_id, x.status, LC_RECOMMEND, LC_BY_CITY, NULL));
	if (rc == DB_OK)
		rc = db_exec(SQL_SHIFT_DOWN, "ii", x.batch.id, rank);
	if (rc == DB_OK)
		rc = db_exec(SQL_RECOMMEND_INSERT, "iisii", app_id, x.batch.id, opinion, rank,
			     who->user_id);
	buf_addf(&s, "推荐（第%lld名）：%s（%lld年度申报书），推荐意见：", rank, x.enterprise,
		 x.batch.year);
	add_clipped(&s, opinion);
	rc = end(rc, began, who, "recommend.recommend", "application", app_id, &s);
	buf_release(&s);
	return rc;
}

int rec_reconsider(const struct actor *who, long long app_id, const char *city)
{
	struct app_lock x;
	struct buf s = BUF_INIT;
	json_object *d = NULL;
	long long rank = 0;
	bool began;
	int rc = lock_app(app_id, city, &x, &began);
	if (rc == DB_OK)
		rc = batch_changeable(&x.batch);
	if (rc == DB_OK)
		rc = state_rc(app_status_move(app_id, x.status, LC_RECONSIDER, LC_BY_CITY, NULL));
	if (rc == DB_OK)
		rc = db_query_row(&d, SQL_DECISION_OF, "ii", app_id, x.batch.id);
	if (rc == DB_OK && !d)
		rc = DB_ERROR; /* a decided application has its row: a broken invariant */
	if (rc == DB_OK) {
		rank = db_int(d, "rank_no", 0);
		rc = db_exec(SQL_DELETE_DECISION, "ii", app_id, x.batch.id);
	}
	if (rc == DB_OK && rank > 0)
		rc = db_exec(SQL_CLOSE_GAP, "ii", x.batch.id, rank);
	buf_addf(&s, "撤销%s决定：%s（%lld年度申报书），恢复为待处理",
		 !strcmp(x.status, "recommended") ? "推荐" : "不予推荐", x.enterprise, x.batch.year);
	rc = end(rc, began, who, "recommend.reconsider", "application", app_id, &s);
	json_object_put(d);
	buf_release(&s);
	return rc;
}

int rec_reorder(const struct actor *who, long long round_id, const char *city,
		const long long *ids, size_t n)
{
	struct batch_lock b;
	struct buf s = BUF_INIT;
	json_object *rows = NULL;
	bool began, same = true;
	size_t have = 0;
	int rc = lock_batch(round_id, city, &b, &began);
	if (rc == DB_OK)
		rc = batch_changeable(&b);
	if (rc == DB_OK)
		rc = db_query(&rows, SQL_RECOMMENDED_IDS, "i", b.id);
	if (rc == DB_OK) {
		have = json_object_array_length(rows);
		if (have != n)
			rc = REC_E_CHANGED;
		for (size_t i = 0; rc == DB_OK && i < n; i++) {
			bool found = false;
			for (size_t k = 0; k < have && !found; k++)
				found = db_int(json_object_array_get_idx(rows, k), "application_id", 0) == ids[i];
			if (!found)
				rc = REC_E_CHANGED;
			same = same && db_int(json_object_array_get_idx(rows, i), "application_id", 0) == ids[i];
		}
	}
	if (rc == DB_OK && same)
		rc = REC_UNCHANGED;
	if (rc == DB_OK)
		rc = db_exec(SQL_PARK_RANKS, "i", b.id);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		rc = db_exec(SQL_SET_RANK, "iii", (long long)(i + 1), b.id, ids[i]);
		if (rc == DB_OK && db_affected_rows() != 1)
			rc = DB_ERROR;
	}
	buf_addf(&s, "%s%lld年度推荐批次调整排序：", b.city_name, b.year);
	for (size_t i = 0; i < n && i < 50; i++)
		buf_addf(&s, "%s#%lld", i ? "、" : "", ids[i]);
	rc = end(rc, began, who, "recommend.reorder", "recommend_batch", b.id, &s);
	json_object_put(rows);
	buf_release(&s);
	return rc;
}

static int count_of(const char *sql, const char *types, long long a, const char *b_s,
		    long long *n)
{
	json_object *row = NULL;
	int rc = b_s ? db_query_row(&row, sql, types, a, b_s) : db_query_row(&row, sql, types, a);
	*n = db_int(row, "n", 0);
	json_object_put(row);
	return rc;
}

int rec_submit(const struct actor *who, long long round_id, const char *city, long long *sent)
{
	struct batch_lock b;
	struct buf s = BUF_INIT;
	json_object *rows = NULL;
	long long undecided = 0, n = 0;
	bool began;
	int rc = lock_batch(round_id, city, &b, &began);
	*sent = 0;
	if (rc == DB_OK)
		rc = batch_changeable(&b);
	if (rc == DB_OK)
		rc = count_of(SQL_UNDECIDED, "is", round_id, city, &undecided);
	if (rc == DB_OK && undecided > 0)
		rc = REC_E_UNDECIDED;
	if (rc == DB_OK)
		rc = db_query(&rows, SQL_RECOMMENDED_IDS, "i", b.id);
	if (rc == DB_OK) {
		n = (long long)json_object_array_length(rows);
		if (n > b.quota)
			rc = REC_E_OVER_QUOTA;
	}
	buf_addf(&s, "%s%lld年度推荐批次提交省工信厅：推荐%lld份（名额%lld）", b.city_name, b.year, n,
		 b.quota);
	for (long long i = 0; rc == DB_OK && i < n; i++) {
		long long id = db_int(json_object_array_get_idx(rows, (size_t)i), "application_id", 0);
		rc = app_status_move(id, "recommended", LC_BATCH_SUBMIT, LC_BY_CITY, NULL);
		if (rc == APP_E_STATE) {
			log_err("recommend: application %lld has a recommendation but is not recommended", id);
			rc = DB_ERROR;
		}
		buf_addf(&s, "%s#%lld", i ? "、" : "：", id);
	}
	if (rc == DB_OK) {
		rc = db_exec(SQL_BATCH_SUBMIT, "ii", who->user_id, b.id);
		if (rc == DB_OK && db_affected_rows() != 1)
			rc = DB_ERROR; /* locked and open: impossible */
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_EVENT_INSERT, "isssii", b.id, "submit", "", (const char *)NULL, n,
			     who->user_id);
	if (rc == DB_OK)
		rc = tell(NOTIFY_PROVINCE, NULL, "batch.submitted", "/recommend/province?round=", round_id,
			  "%s工信局提交了%lld年度推荐批次：推荐%lld份", b.city_name, b.year, n);
	rc = end(rc, began, who, "recommend.batch.submit", "recommend_batch", b.id, &s);
	if (rc == DB_OK)
		*sent = n;
	json_object_put(rows);
	buf_release(&s);
	return rc;
}

int rec_reopen(const struct actor *who, long long round_id, const char *city, const char *reason)
{
	struct batch_lock b;
	struct buf s = BUF_INIT;
	json_object *rows = NULL;
	long long gone = 0;
	bool began;
	int rc = lock_batch(round_id, city, &b, &began);
	if (rc == DB_OK && !b.submitted)
		rc = REC_E_NOT_SUBMITTED;
	if (rc == DB_OK)
		rc = count_of(SQL_GONE_ON, "i", b.id, NULL, &gone);
	if (rc == DB_OK && gone > 0)
		rc = REC_E_IN_REVIEW;
	if (rc == DB_OK)
		rc = db_query(&rows, SQL_RECOMMENDED_IDS, "i", b.id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(rows); i++) {
		long long id = db_int(json_object_array_get_idx(rows, i), "application_id", 0);
		rc = state_rc(app_status_move(id, "with_province", LC_BATCH_REOPEN, LC_BY_PROVINCE, NULL));
	}
	if (rc == DB_OK) {
		rc = db_exec(SQL_BATCH_REOPEN, "i", b.id);
		if (rc == DB_OK && db_affected_rows() != 1)
			rc = DB_ERROR;
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_EVENT_INSERT, "isssii", b.id, "reopen", reason, (const char *)NULL,
			     0LL, who->user_id);
	buf_addf(&s, "重新开放%s%lld年度推荐批次，理由：", b.city_name, b.year);
	add_clipped(&s, reason);
	if (rc == DB_OK)
		rc = tell(NOTIFY_CITY, city, "batch.reopened", "/recommend?round=", round_id,
			  "省工信厅将%lld年度推荐批次退回贵局，请查看理由后重新提交", b.year);
	rc = end(rc, began, who, "recommend.batch.reopen", "recommend_batch", b.id, &s);
	json_object_put(rows);
	buf_release(&s);
	return rc;
}

int rec_extend(const struct actor *who, long long round_id, const char *city,
	       const char *deadline, const char *reason)
{
	struct batch_lock b;
	struct buf s = BUF_INIT;
	json_object *row = NULL;
	bool began;
	int rc = lock_batch(round_id, city, &b, &began);
	if (rc == DB_OK)
		rc = db_query_row(&row, SQL_EXTEND_CHECK, "ssi", deadline, deadline, b.id);
	if (rc == DB_OK && (!row || !db_int(row, "future", 0) || !db_int(row, "later", 0)))
		rc = REC_E_DEADLINE;
	buf_addf(&s, "延长%s%lld年度推荐截止时间：%s → %s，理由：", b.city_name, b.year,
		 db_str(row, "current", ""), deadline);
	add_clipped(&s, reason);
	if (rc == DB_OK)
		rc = db_exec(SQL_EXTEND, "si", deadline, b.id);
	if (rc == DB_OK)
		rc = tell(NOTIFY_CITY, city, "batch.extended", "/recommend?round=", round_id,
			  "省工信厅将%lld年度推荐截止时间延长至%s", b.year, deadline);
	if (rc == DB_OK)
		rc = db_exec(SQL_EVENT_INSERT, "isssii", b.id, "extend", reason, deadline, 0LL,
			     who->user_id);
	rc = end(rc, began, who, "recommend.batch.extend", "recommend_batch", b.id, &s);
	json_object_put(row);
	buf_release(&s);
	return rc;
}

int rec_credit_record(const struct actor *who, long long app_id, const char *city,
		      enum credit_kind kind, enum credit_result result, const char *checked_on,
		      const char *note)
{
	json_object *info = NULL;
	struct buf s = BUF_INIT;
	enum lc_state st;
	char oid[24];
	int rc;

	if ((rc = db_query_row(&info, SQL_APP_INFO, "i", app_id)) != DB_OK)
		return rc;
	if (!info || !strcmp(db_str(info, "status", "draft"), "draft") ||
	    (city && strcmp(city, db_str(info, "city_code", "")))) {
		json_object_put(info);
		return REC_E_NOT_FOUND;
	}
	st = lc_state_parse(db_str(info, "status", ""));
	if (st != LC_RECOMMENDED && st != LC_WITH_PROVINCE && st != LC_IN_REVIEW) {
		json_object_put(info);
		return REC_E_CREDIT_STATE;
	}
	if ((rc = db_begin()) != DB_OK) {
		json_object_put(info);
		return rc;
	}
	rc = db_exec(SQL_CREDIT_INSERT, "issssis", app_id, credit_kind_name(kind),
		     credit_result_name(result), checked_on, note, who->user_id,
		     city ? "city" : "province");
	buf_addf(&s, "记录信用核查：%s，%s：%s（核查日期%s）", db_str(info, "enterprise_name", ""),
		 credit_kind_label(kind), credit_result_label(result), checked_on);
	snprintf(oid, sizeof oid, "%lld", app_id);
	rc = audit_commit(rc, who, "credit.record", "application", oid, s.data);
	json_object_put(info);
	buf_release(&s);
	return rc;
}

int rec_export_audit(const struct actor *who, const char *object_type, const char *object_id,
		     const char *summary)
{
	int rc = db_begin();
	if (rc == DB_OK)
		rc = audit_commit(DB_OK, who, "recommend.export", object_type, object_id, summary);
	return rc;
}
