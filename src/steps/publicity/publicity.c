#include "steps/publicity/publicity.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "rules/calendar.h"
#include "rules/credit.h"
#include "steps/calendar/calendar_db.h"
#include "steps/intake/app_status.h"
#include "steps/intake/application.h"
#include "steps/notify/notify.h"
#include "steps/publicity/announce.h"
#include "steps/recommend/recommend.h"
#include "core/banned.h"

#define PUB_PAGE_SIZE 20

int pub_working_days(void)
{
	long long n = config_int("publicity_working_days", PUB_DAYS_DEFAULT);
	return n < 1 || n > 30 ? PUB_DAYS_DEFAULT : (int)n;
}

int pub_period_end(int32_t start, int32_t *end, int *missing_year)
{
	const struct calendar *cal;
	struct buf err = BUF_INIT;
	int rc = calendar_current(&cal, &err);
	if (rc == DB_OK) {
		int r = calendar_publicity_end(cal, start, pub_working_days(), end, missing_year);
		rc = r == 0 ? DB_OK : r == CAL_NO_YEAR ? PUB_E_CALENDAR : DB_ERROR;
	}
	buf_release(&err);
	return rc;
}

static void add_scope_label(json_object *row)
{
	const char *l = app_scope_label((int)db_int(row, "scope", 0));
	json_object_object_add(row, "scope_label", json_object_new_string(l ? l : ""));
}

/* ---- the proposal ---- */

/* The panel's locked, recommended conclusions, per round or per application. */
#define RECOMMENDED_FROM                                                                   \
	" FROM review_item i"                                                              \
	" JOIN review_conclusion k ON k.session_id = i.session_id"                         \
	"  AND k.application_id = i.application_id AND k.version = i.version"              \
	" JOIN review_session s ON s.id = i.session_id"                                    \
	" JOIN application a ON a.id = i.application_id"                                   \
	" JOIN enterprise e ON e.id = a.enterprise_id JOIN city c ON c.code = e.city_code" \
	" WHERE i.state = 'locked' AND k.recommended = 1"

static const char SQL_ROUNDS[] =
	"SELECT r.id, r.year, r.title,"
	" (SELECT COUNT(*)" RECOMMENDED_FROM " AND s.round_id = r.id) AS recommended,"
	" (SELECT COUNT(*) FROM proposal p WHERE p.round_id = r.id) AS proposed,"
	" p.id AS publicity_id, p.state AS publicity_state, p.start_date, p.end_date"
	" FROM selection_round r LEFT JOIN publicity p ON p.round_id = r.id"
	" ORDER BY r.year DESC LIMIT 50";
static const char SQL_ROUND[] =
	"SELECT r.id, r.year, r.title, p.id AS publicity_id, p.state AS publicity_state,"
	" p.title AS publicity_title, p.start_date, p.end_date, p.working_days"
	" FROM selection_round r LEFT JOIN publicity p ON p.round_id = r.id WHERE r.id = ?";
static const char SQL_CANDIDATES[] =
	"SELECT a.id, e.name AS enterprise, c.name AS city_name, a.scope, a.title, a.status,"
	" k.ranking, s.title AS session_title" RECOMMENDED_FROM
	" AND s.round_id = ? ORDER BY a.scope, k.ranking, s.id, a.id";
/* The round's other applications in review: not (yet) recommended. */
static const char SQL_OTHERS[] =
	"SELECT a.id, e.name AS enterprise, c.name AS city_name, a.scope, a.title, a.status,"
	" s.title AS session_title, IFNULL(i.state, 'scoring') AS item_state, k.recommended"
	" FROM review_session_application x JOIN review_session s ON s.id = x.session_id"
	" JOIN application a ON a.id = x.application_id"
	" JOIN enterprise e ON e.id = a.enterprise_id JOIN city c ON c.code = e.city_code"
	" LEFT JOIN review_item i ON i.session_id = x.session_id AND i.application_id = x.application_id"
	" LEFT JOIN review_conclusion k ON k.session_id = i.session_id"
	"  AND k.application_id = i.application_id AND k.version = i.version"
	" WHERE s.round_id = ? AND NOT (IFNULL(i.state, '') = 'locked' AND IFNULL(k.recommended, 0) = 1)"
	" ORDER BY a.scope, s.id, a.id";
static const char SQL_RECOMMENDED_APP[] =
	"SELECT a.id, a.round_id, e.name AS enterprise, a.status" RECOMMENDED_FROM " AND a.id = ?";
static const char SQL_LOCK_APP[] = "SELECT status FROM application WHERE id = ? FOR UPDATE";
static const char SQL_ROUND_PUBLICITY[] = "SELECT id FROM publicity WHERE round_id = ?";
static const char SQL_PROPOSE[] =
	"INSERT INTO proposal (application_id, round_id, proposed_by, proposed_at) VALUES (?, ?, ?, NOW())";
static const char SQL_UNPROPOSE[] = "DELETE FROM proposal WHERE application_id = ?";

int pub_rounds(json_object **rows)
{
	int rc = db_query(rows, SQL_ROUNDS, "");
	static const char *const keys[] = { "start_date", "end_date", NULL };
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		db_add_date_zh(json_object_array_get_idx(*rows, i), keys);
	return rc;
}

int pub_round(long long round_id, json_object **row)
{
	static const char *const keys[] = { "start_date", "end_date", NULL };
	int rc = db_query_row(row, SQL_ROUND, "i", round_id);
	if (rc == DB_OK)
		db_add_date_zh(*row, keys);
	return rc;
}

/* Why the application of a candidate row cannot be proposed now (NULL: it can). */
static int why_not(json_object *row, struct buf *why, bool *credit)
{
	const char *status = db_str(row, "status", "");
	enum credit_verdict v = CREDIT_OK;
	enum credit_kind which = CREDIT_DISHONEST;
	if (!strcmp(status, "proposed")) {
		buf_adds(why, "已列入拟定名单");
		return DB_OK;
	}
	if (strcmp(status, "in_review")) {
		buf_addf(why, "当前状态：%s", app_status_label(status));
		return DB_OK;
	}
	int rc = rec_credit_verdict(db_int(row, "id", 0), &v, &which);
	if (rc == DB_OK && v != CREDIT_OK) {
		buf_addf(why, "信用核查不符合：%s%s", credit_kind_label(which), credit_verdict_label(v));
		*credit = true;
	}
	return rc;
}

int pub_candidates(long long round_id, json_object **rows)
{
	int rc = db_query(rows, SQL_CANDIDATES, "i", round_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		struct buf why = BUF_INIT;
		bool credit = false;
		rc = why_not(r, &why, &credit);
		if (credit)
			json_object_object_add(r, "needs_credit", json_object_new_boolean(1));
		add_scope_label(r);
		json_object_object_add(r, "status_label",
				       json_object_new_string(app_status_label(db_str(r, "status", ""))));
		json_object_object_add(r, "proposed",
				       json_object_new_boolean(!strcmp(db_str(r, "status", ""), "proposed")));
		if (why.len)
			json_object_object_add(r, "reason", json_object_new_string(why.data));
		else
			json_object_object_add(r, "eligible", json_object_new_boolean(1));
		buf_release(&why);
	}
	if (rc != DB_OK) {
		json_object_put(*rows);
		*rows = NULL;
	}
	return rc;
}

int pub_others(long long round_id, json_object **rows)
{
	int rc = db_query(rows, SQL_OTHERS, "i", round_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		bool decided = !strcmp(db_str(r, "item_state", ""), "locked") ||
			       !strcmp(db_str(r, "status", ""), "not_selected");
		const char *why = decided ? "评审组合议不予推荐" : "评审组合议结论尚未锁定";
		add_scope_label(r);
		json_object_object_add(r, "reason", json_object_new_string(why));
	}
	return rc;
}

static int finish(int rc, const struct actor *who, const char *action, const char *type,
		  long long id, const struct buf *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, type, oid, summary->data ? summary->data : "");
}

/* Locks application app_id and reads its recommended conclusion: DB_OK with
 * *row, PUB_E_NOT_ELIGIBLE (no such conclusion) or a db_status. */
static int lock_recommended(long long app_id, json_object **row)
{
	json_object *lock = NULL;
	int rc = db_query_row(&lock, SQL_LOCK_APP, "i", app_id);
	if (rc == DB_OK && !lock)
		rc = PUB_E_NOT_FOUND;
	json_object_put(lock);
	if (rc == DB_OK)
		rc = db_query_row(row, SQL_RECOMMENDED_APP, "i", app_id);
	if (rc == DB_OK && !*row)
		rc = PUB_E_NOT_ELIGIBLE;
	return rc;
}

/* The round may still change its proposed list: no publicity yet. */
static int round_unpublicised(long long round_id)
{
	json_object *p = NULL;
	int rc = db_query_row(&p, SQL_ROUND_PUBLICITY, "i", round_id);
	if (rc == DB_OK && p)
		rc = PUB_E_EXISTS;
	json_object_put(p);
	return rc;
}

int pub_propose(const struct actor *who, long long app_id)
{
	json_object *row = NULL;
	struct buf s = BUF_INIT;
	enum credit_verdict v = CREDIT_OK;
	enum credit_kind which;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = lock_recommended(app_id, &row);
	if (rc == DB_OK)
		rc = round_unpublicised(db_int(row, "round_id", 0));
	if (rc == DB_OK)
		rc = rec_credit_verdict(app_id, &v, &which);
	if (rc == DB_OK && v != CREDIT_OK)
		rc = PUB_E_NOT_ELIGIBLE;
	if (rc == DB_OK)
		rc = app_status_move(app_id, db_str(row, "status", ""), LC_PROPOSE, LC_BY_PROVINCE, NULL);
	if (rc == APP_E_STATE)
		rc = PUB_E_STATE;
	if (rc == DB_OK)
		rc = db_exec(SQL_PROPOSE, "iii", app_id, db_int(row, "round_id", 0), who->user_id);
	if (rc == DB_OK)
		buf_addf(&s, "将%s（申报书%lld）列入拟定名单：评审组推荐，信用核查符合", db_str(row, "enterprise", ""),
			 app_id);
	rc = finish(rc, who, "publicity.propose", "application", app_id, &s);
	json_object_put(row);
	buf_release(&s);
	return rc;
}

int pub_unpropose(const struct actor *who, long long app_id)
{
	json_object *row = NULL;
	struct buf s = BUF_INIT;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = lock_recommended(app_id, &row);
	if (rc == PUB_E_NOT_ELIGIBLE)
		rc = PUB_E_STATE;
	if (rc == DB_OK)
		rc = round_unpublicised(db_int(row, "round_id", 0));
	if (rc == DB_OK)
		rc = app_status_move(app_id, db_str(row, "status", ""), LC_UNPROPOSE, LC_BY_PROVINCE, NULL);
	if (rc == APP_E_STATE)
		rc = PUB_E_STATE;
	if (rc == DB_OK)
		rc = db_exec(SQL_UNPROPOSE, "i", app_id);
	if (rc == DB_OK)
		buf_addf(&s, "将%s（申报书%lld）撤出拟定名单", db_str(row, "enterprise", ""), app_id);
	rc = finish(rc, who, "publicity.unpropose", "application", app_id, &s);
	json_object_put(row);
	buf_release(&s);
	return rc;
}

/* ---- publicity ---- */

static const char SQL_LOCK_ROUND[] = "SELECT id, year FROM selection_round WHERE id = ? FOR UPDATE";
static const char SQL_PROPOSED[] =
	"SELECT a.id, a.status" RECOMMENDED_FROM
	" AND s.round_id = ? AND a.status = 'proposed' ORDER BY a.scope, k.ranking, s.id, a.id";
static const char SQL_START[] =
	"INSERT INTO publicity (round_id, title, start_date, end_date, working_days, contact,"
	" started_by, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW())";
static const char SQL_ITEM[] =
	"INSERT INTO publicity_item (publicity_id, application_id, position, enterprise_name,"
	" city_code, scope, title)"
	" SELECT ?, a.id, ?, e.name, e.city_code, a.scope, a.title"
	" FROM application a JOIN enterprise e ON e.id = a.enterprise_id WHERE a.id = ?";

int pub_start(const struct actor *who, long long round_id, const char *start,
	      const char *title, const char *contact, long long *id, int *missing_year)
{
	json_object *round = NULL, *apps = NULL;
	struct buf s = BUF_INIT, body = BUF_INIT, link = BUF_INIT;
	int32_t day, end = 0;
	char end_s[CIVIL_DATE_LEN + 1];
	int rc;
	*id = 0;
	if (civil_parse(start, &day))
		return PUB_E_PAST;
	if (day < civil_today_shanghai())
		return PUB_E_PAST;
	/* The calendar first: without a complete year nothing else matters. */
	if ((rc = pub_period_end(day, &end, missing_year)) != DB_OK)
		return rc;
	civil_format(end, end_s);
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = db_query_row(&round, SQL_LOCK_ROUND, "i", round_id);
	if (rc == DB_OK && !round)
		rc = PUB_E_NOT_FOUND;
	if (rc == DB_OK)
		rc = round_unpublicised(round_id);
	if (rc == DB_OK)
		rc = db_query(&apps, SQL_PROPOSED, "i", round_id);
	if (rc == DB_OK && json_object_array_length(apps) == 0)
		rc = PUB_E_EMPTY;
	if (rc == DB_OK)
		rc = db_exec(SQL_START, "isssisi", round_id, title, start, end_s,
			     (long long)pub_working_days(), contact, who->user_id);
	if (rc == DB_CONFLICT)
		rc = PUB_E_EXISTS;
	if (rc == DB_OK)
		*id = db_insert_id();
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(apps); i++) {
		json_object *a = json_object_array_get_idx(apps, i);
		long long app = db_int(a, "id", 0);
		rc = app_status_move(app, "proposed", LC_PUBLICITY, LC_BY_PROVINCE, NULL);
		if (rc == APP_E_STATE)
			rc = PUB_E_STATE;
		if (rc == DB_OK)
			rc = db_exec(SQL_ITEM, "iii", *id, (long long)i + 1, app);
	}
	if (rc == DB_OK) {
		/* The period is the notice's own (one place for the dates); the
		 * announcement points to it. */
		buf_addf(&body, "%s拟认定的%zu家企业名单现予公示，公示%d个工作日。"
				"公示期和提出异议的方式见公示页面。",
			 db_str(round, "title", ""), json_object_array_length(apps), pub_working_days());
		buf_addf(&link, "/publicity/notice?id=%lld", *id);
		rc = announce_add("publicity", (int)db_int(round, "year", 0), title, body.data,
				  link.data, NULL);
	}
	if (rc == DB_OK)
		buf_addf(&s, "《%s》开始公示：%s至%s，%zu家企业", title, start, end_s,
			 json_object_array_length(apps));
	rc = finish(rc, who, "publicity.start", "publicity", *id, &s);
	if (rc != DB_OK)
		*id = 0;
	json_object_put(round);
	json_object_put(apps);
	buf_release(&s);
	buf_release(&body);
	buf_release(&link);
	return rc;
}

#define PUBLICITY_COLUMNS                                                                   \
	"SELECT p.id, p.round_id, r.year, p.title, p.start_date, p.end_date, p.working_days," \
	" p.contact, p.state, (p.start_date <= CURDATE()) AS started,"                      \
	" (p.state = 'open' AND p.start_date <= CURDATE() AND CURDATE() <= p.end_date) AS accepting," \
	" (CURDATE() > p.end_date) AS ended, p.approval_date, p.approval_ref, p.approved_at,"  \
	" p.award_date, p.published_at"                                                     \
	" FROM publicity p JOIN selection_round r ON r.id = p.round_id"
static const char SQL_GET[] = PUBLICITY_COLUMNS " WHERE p.id = ?";
static const char SQL_CURRENT[] =
	PUBLICITY_COLUMNS " WHERE p.start_date <= CURDATE() ORDER BY p.start_date DESC, p.id DESC LIMIT 1";
static const char SQL_ARCHIVE[] =
	PUBLICITY_COLUMNS " WHERE p.start_date <= CURDATE() ORDER BY p.start_date DESC, p.id DESC"
	" LIMIT ? OFFSET ?";
static const char SQL_ITEMS[] =
	"SELECT pi.application_id, pi.position, pi.enterprise_name, c.name AS city_name, pi.scope,"
	" pi.title, pi.withdrawn_at, (pi.withdrawn_at IS NOT NULL) AS withdrawn"
	" FROM publicity_item pi JOIN city c ON c.code = pi.city_code"
	" WHERE pi.publicity_id = ? ORDER BY pi.position";

static const char *const publicity_dates[] = { "start_date", "end_date", "approval_date",
					       "award_date", "published_at", NULL };

int pub_get(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_GET, "i", id);
	if (rc == DB_OK)
		db_add_date_zh(*row, publicity_dates);
	return rc;
}

int pub_current(json_object **row)
{
	int rc = db_query_row(row, SQL_CURRENT, "");
	if (rc == DB_OK)
		db_add_date_zh(*row, publicity_dates);
	return rc;
}

int pub_items(long long publicity_id, json_object **rows)
{
	static const char *const keys[] = { "withdrawn_at", NULL };
	int rc = db_query(rows, SQL_ITEMS, "i", publicity_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		add_scope_label(r);
		db_add_date_zh(r, keys);
	}
	return rc;
}

int pub_archive(long long page, json_object **rows, bool *more)
{
	page = page < 1 ? 1 : page;
	int rc = db_query(rows, SQL_ARCHIVE, "ii", (long long)PUB_PAGE_SIZE + 1,
			  (page - 1) * PUB_PAGE_SIZE);
	*more = rc == DB_OK && db_trim_page(*rows, PUB_PAGE_SIZE);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		db_add_date_zh(json_object_array_get_idx(*rows, i), publicity_dates);
	return rc;
}

/* ---- objections ---- */

const char *obj_state_label(const char *state)
{
	static const struct {
		const char *state, *label;
	} labels[] = {
		{ "received", "已收到，待核实" },
		{ "investigating", "调查核实中" },
		{ "upheld", "异议成立" },
		{ "dismissed", "异议不成立" },
	};
	for (size_t i = 0; state && i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(state, labels[i].state))
			return labels[i].label;
	return "未知";
}

static const char SQL_LOCK_ITEM[] =
	"SELECT pi.enterprise_name, pi.withdrawn_at, r.year,"
	" (p.state = 'open' AND p.start_date <= CURDATE() AND CURDATE() <= p.end_date) AS accepting"
	" FROM publicity_item pi JOIN publicity p ON p.id = pi.publicity_id"
	" JOIN selection_round r ON r.id = p.round_id"
	" WHERE pi.publicity_id = ? AND pi.application_id = ? LOCK IN SHARE MODE";
static const char SQL_OBJ_INSERT[] =
	"INSERT INTO objection (publicity_id, application_id, tracking_no, objector_name, id_type,"
	" organisation, contact, content, ip, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW())";

int obj_file(const struct actor *who, const struct obj_input *in, struct att_spool *file,
	     const char *file_name, char tracking[TRACKING_NO_LEN + 1])
{
	json_object *item = NULL;
	struct buf s = BUF_INIT;
	long long id = 0, att = 0;
	int rc = db_begin();
	tracking[0] = '\0';
	if (rc == DB_OK)
		rc = db_query_row(&item, SQL_LOCK_ITEM, "ii", in->publicity_id, in->application_id);
	if (rc == DB_OK && !item)
		rc = PUB_E_NOT_FOUND;
	if (rc == DB_OK && !db_int(item, "accepting", 0))
		rc = PUB_E_CLOSED;
	if (rc == DB_OK && db_str(item, "withdrawn_at", NULL))
		rc = PUB_E_WITHDRAWN;
	/* 40 random bits: a collision is rare; try again then. */
	for (int tries = 0; rc == DB_OK && tries < 5; tries++) {
		unsigned char rnd[TRACKING_RANDOM_BYTES];
		randombytes_buf(rnd, sizeof rnd);
		tracking_no_format((int)db_int(item, "year", 0), rnd, tracking);
		rc = db_exec(SQL_OBJ_INSERT, "iisssssss", in->publicity_id, in->application_id, tracking,
			     in->objector_name, in->id_type, in->organisation, in->contact, in->content,
			     in->ip ? in->ip : "");
		if (rc != DB_CONFLICT)
			break;
		rc = DB_OK;
		tracking[0] = '\0';
	}
	if (rc == DB_OK && !tracking[0])
		rc = DB_ERROR;
	if (rc == DB_OK)
		id = db_insert_id();
	if (rc == DB_OK && file)
		rc = att_insert_objection(id, file_name, file, &att);
	/* No identity in the summary: the audit viewer is also the supervisor's. */
	if (rc == DB_OK)
		buf_addf(&s, "收到对%s的异议，受理编号%s%s", db_str(item, "enterprise_name", ""), tracking,
			 file ? "，附材料一份" : "");
	if (rc == DB_OK) {
		struct buf link = BUF_INIT, subject = BUF_INIT;
		buf_addf(&link, "/publicity/objection?id=%lld", id);
		buf_addf(&subject, "%s，请在公示期内核实处理", s.data);
		struct notice n = { "objection.filed", subject.data, link.data, NULL };
		rc = notify(NOTIFY_PROVINCE, 0, NULL, &n);
		buf_release(&link);
		buf_release(&subject);
	}
	rc = finish(rc, who, "publicity.objection.file", "objection", id, &s);
	if (rc != DB_OK)
		tracking[0] = '\0';
	json_object_put(item);
	buf_release(&s);
	return rc;
}

static const char SQL_LOOKUP[] =
	"SELECT o.tracking_no, o.received_at, o.state, pi.enterprise_name, o.reply, o.decided_at"
	" FROM objection o JOIN publicity_item pi ON pi.publicity_id = o.publicity_id"
	"  AND pi.application_id = o.application_id"
	" WHERE o.tracking_no = ? AND o.contact = ?";
static const char SQL_OBJ_LIST[] =
	"SELECT o.id, o.tracking_no, pi.enterprise_name, o.received_at, o.state, o.decided_at"
	" FROM objection o JOIN publicity_item pi ON pi.publicity_id = o.publicity_id"
	"  AND pi.application_id = o.application_id"
	" WHERE o.publicity_id = ? ORDER BY o.received_at, o.id LIMIT 500";
static const char SQL_UNRESOLVED[] =
	"SELECT COUNT(*) AS n FROM objection WHERE publicity_id = ? AND state IN ('received','investigating')";
static const char SQL_OBJ_GET[] =
	"SELECT o.id, o.publicity_id, o.application_id, o.tracking_no, o.objector_name, o.id_type,"
	" o.organisation, o.contact, o.content, o.ip, o.received_at, o.state, o.notes, o.reasons,"
	" o.reply, o.handled_at, o.decided_at, u.login AS handled_by_login, pi.enterprise_name,"
	" pi.withdrawn_at, p.title AS publicity_title, p.state AS publicity_state"
	" FROM objection o JOIN publicity_item pi ON pi.publicity_id = o.publicity_id"
	"  AND pi.application_id = o.application_id JOIN publicity p ON p.id = o.publicity_id"
	" LEFT JOIN account u ON u.id = o.handled_by WHERE o.id = ?";

static void label_objection(json_object *r)
{
	static const char *const keys[] = { "received_at", "decided_at", NULL };
	const char *state = db_str(r, "state", "");
	json_object_object_add(r, "state_label", json_object_new_string(obj_state_label(state)));
	json_object_object_add(r, "decided", json_object_new_boolean(!strcmp(state, "upheld") ||
								      !strcmp(state, "dismissed")));
	db_add_date_zh(r, keys);
}

int obj_lookup(const char *tracking, const char *contact, json_object **row)
{
	int rc = db_query_row(row, SQL_LOOKUP, "ss", tracking, contact);
	if (rc == DB_OK && *row)
		label_objection(*row);
	return rc;
}

int obj_list(long long publicity_id, json_object **rows)
{
	int rc = db_query(rows, SQL_OBJ_LIST, "i", publicity_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		label_objection(json_object_array_get_idx(*rows, i));
	return rc;
}

int obj_unresolved(long long publicity_id, long long *n)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_UNRESOLVED, "i", publicity_id);
	*n = rc == DB_OK ? db_int(row, "n", 0) : 0;
	json_object_put(row);
	return rc;
}

int obj_get(long long id, json_object **row)
{
	json_object *file = NULL;
	int rc = db_query_row(row, SQL_OBJ_GET, "i", id);
	if (rc == DB_OK && *row) {
		label_objection(*row);
		json_object_object_add(*row, "id_type_label",
				       json_object_new_string(strcmp(db_str(*row, "id_type", ""), "person")
								      ? "单位" : "个人"));
		rc = att_objection_meta(id, &file);
	}
	if (rc == DB_OK && file) {
		char size[32];
		json_object_object_add(*row, "attachment_id", json_object_new_int64(db_int(file, "id", 0)));
		json_object_object_add(*row, "file_name",
				       json_object_new_string(db_str(file, "original_name", "")));
		json_object_object_add(*row, "file_size",
				       json_object_new_string(att_size_label(db_int(file, "size_bytes", 0),
									     size, sizeof size)));
	}
	json_object_put(file);
	if (rc != DB_OK) {
		json_object_put(*row);
		*row = NULL;
	}
	return rc;
}

int obj_file_meta(long long objection_id, long long att_id, json_object **row)
{
	int rc = att_objection_meta(objection_id, row);
	if (rc == DB_OK && *row && db_int(*row, "id", 0) != att_id) {
		json_object_put(*row);
		*row = NULL;
	}
	return rc;
}

static const char SQL_OBJ_LOCK[] =
	"SELECT o.state, o.application_id, o.publicity_id, o.tracking_no, p.state AS publicity_state,"
	" pi.enterprise_name, pi.withdrawn_at"
	" FROM objection o JOIN publicity p ON p.id = o.publicity_id"
	" JOIN publicity_item pi ON pi.publicity_id = o.publicity_id AND pi.application_id = o.application_id"
	" WHERE o.id = ? FOR UPDATE";
static const char SQL_OBJ_NOTE[] =
	"UPDATE objection SET state = 'investigating', notes = ?, handled_by = ?, handled_at = NOW()"
	" WHERE id = ?";
static const char SQL_OBJ_DECIDE[] =
	"UPDATE objection SET state = ?, notes = ?, reasons = ?, reply = ?, handled_by = ?,"
	" handled_at = NOW(), decided_at = NOW() WHERE id = ?";
static const char SQL_APP_STATUS[] = "SELECT status FROM application WHERE id = ? FOR UPDATE";
static const char SQL_WITHDRAW[] =
	"UPDATE publicity_item SET withdrawn_at = NOW(), withdrawn_objection = ?"
	" WHERE publicity_id = ? AND application_id = ? AND withdrawn_at IS NULL";

/* Locks objection id, still undecided and its publicity open. */
static int lock_objection(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_OBJ_LOCK, "i", id);
	if (rc == DB_OK && !*row)
		return PUB_E_NOT_FOUND;
	if (rc == DB_OK && strcmp(db_str(*row, "publicity_state", ""), "open"))
		return PUB_E_STATE;
	if (rc == DB_OK && (!strcmp(db_str(*row, "state", ""), "upheld") ||
			    !strcmp(db_str(*row, "state", ""), "dismissed")))
		return PUB_E_DECIDED;
	return rc;
}

int obj_note(const struct actor *who, long long id, const char *notes)
{
	json_object *row = NULL;
	struct buf s = BUF_INIT;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = lock_objection(id, &row);
	if (rc == DB_OK)
		rc = db_exec(SQL_OBJ_NOTE, "sii", notes, who->user_id, id);
	if (rc == DB_OK)
		buf_addf(&s, "异议%s（%s）：记录调查核实情况", db_str(row, "tracking_no", ""),
			 db_str(row, "enterprise_name", ""));
	rc = finish(rc, who, "publicity.objection.note", "objection", id, &s);
	json_object_put(row);
	buf_release(&s);
	return rc;
}

int obj_decide(const struct actor *who, long long id, bool upheld, const char *notes,
	       const char *reasons, const char *reply)
{
	json_object *row = NULL, *app = NULL;
	struct buf s = BUF_INIT;
	long long app_id = 0, pid = 0;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = lock_objection(id, &row);
	if (rc == DB_OK) {
		app_id = db_int(row, "application_id", 0);
		pid = db_int(row, "publicity_id", 0);
		rc = db_exec(SQL_OBJ_DECIDE, "ssssii", upheld ? "upheld" : "dismissed", notes, reasons,
			     reply, who->user_id, id);
	}
	/* Upheld: the enterprise leaves the list (unless an earlier objection
	 * took it off already). */
	if (rc == DB_OK && upheld && !db_str(row, "withdrawn_at", NULL)) {
		rc = db_query_row(&app, SQL_APP_STATUS, "i", app_id);
		if (rc == DB_OK)
			rc = app_status_move(app_id, db_str(app, "status", ""), LC_OBJECTION_UPHELD,
					     LC_BY_PROVINCE, NULL);
		if (rc == APP_E_STATE)
			rc = PUB_E_STATE;
		if (rc == DB_OK)
			rc = db_exec(SQL_WITHDRAW, "iii", id, pid, app_id);
	}
	if (rc == DB_OK)
		buf_addf(&s, "异议%s（%s）：%s%s", db_str(row, "tracking_no", ""),
			 db_str(row, "enterprise_name", ""), upheld ? "异议成立" : "异议不成立",
			 upheld ? "，该企业撤出公示名单" : "");
	rc = finish(rc, who, "publicity.objection.decide", "objection", id, &s);
	json_object_put(row);
	json_object_put(app);
	buf_release(&s);
	return rc;
}
