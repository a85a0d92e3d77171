#include "steps/publish/publish.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "rules/numbers.h"
#include "steps/intake/app_status.h"
#include "steps/intake/application.h"
#include "steps/publicity/announce.h"
#include "core/banned.h"

static const char *const publicity_dates[] = { "start_date", "end_date", "approval_date",
					       "award_date", NULL };

#define PUBLICITY_COLUMNS                                                                  \
	"SELECT p.id, p.round_id, r.year, r.title AS round_title, p.title, p.start_date,"   \
	" p.end_date, p.state, (CURDATE() > p.end_date) AS ended, p.approval_date,"         \
	" p.approval_ref, p.award_date,"                                                    \
	" (SELECT COUNT(*) FROM publicity_item i WHERE i.publicity_id = p.id"              \
	"  AND i.withdrawn_at IS NULL) AS listed,"                                         \
	" (SELECT COUNT(*) FROM publicity_item i WHERE i.publicity_id = p.id"              \
	"  AND i.withdrawn_at IS NOT NULL) AS withdrawn,"                                  \
	" (SELECT COUNT(*) FROM objection o WHERE o.publicity_id = p.id"                   \
	"  AND o.state IN ('received','investigating')) AS unresolved"                     \
	" FROM publicity p JOIN selection_round r ON r.id = p.round_id"
static const char SQL_PUBLICITIES[] = PUBLICITY_COLUMNS " ORDER BY r.year DESC LIMIT 50";
static const char SQL_PUBLICITY[] = PUBLICITY_COLUMNS " WHERE p.id = ?";

static void label_publicity(json_object *r)
{
	const char *state = db_str(r, "state", "");
	db_add_date_zh(r, publicity_dates);
	json_object_object_add(r, "can_approve", json_object_new_boolean(
				       !strcmp(state, "open") && db_int(r, "ended", 0) &&
				       db_int(r, "unresolved", 0) == 0));
	json_object_object_add(r, "can_publish", json_object_new_boolean(!strcmp(state, "approved")));
	json_object_object_add(r, "published", json_object_new_boolean(!strcmp(state, "published")));
	json_object_object_add(r, "state_label",
			       json_object_new_string(!strcmp(state, "open")       ? "公示中或待审议"
						      : !strcmp(state, "approved") ? "已审议通过，待发布"
										   : "已发布"));
}

int pbl_publicities(json_object **rows)
{
	int rc = db_query(rows, SQL_PUBLICITIES, "");
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		label_publicity(json_object_array_get_idx(*rows, i));
	return rc;
}

int pbl_publicity(long long publicity_id, json_object **row)
{
	int rc = db_query_row(row, SQL_PUBLICITY, "i", publicity_id);
	if (rc == DB_OK && *row)
		label_publicity(*row);
	return rc;
}

static int finish(int rc, const struct actor *who, const char *action, const char *type,
		  long long id, const struct buf *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, type, oid, summary->data ? summary->data : "");
}

static const char SQL_LOCK[] =
	"SELECT p.id, p.state, p.title, r.year, p.end_date, p.approval_date,"
	" (CURDATE() > p.end_date) AS ended, (? > p.end_date) AS after_end,"
	" (? <= CURDATE()) AS not_future, (? >= IFNULL(p.approval_date, '9999-12-31')) AS after_approval"
	" FROM publicity p JOIN selection_round r ON r.id = p.round_id WHERE p.id = ? FOR UPDATE";
static const char SQL_UNRESOLVED[] =
	"SELECT COUNT(*) AS n FROM objection WHERE publicity_id = ?"
	" AND state IN ('received','investigating')";
static const char SQL_LISTED[] =
	"SELECT i.application_id, i.position, i.enterprise_name, i.city_code, i.scope, i.title,"
	" a.status FROM publicity_item i JOIN application a ON a.id = i.application_id"
	" WHERE i.publicity_id = ? AND i.withdrawn_at IS NULL ORDER BY i.position FOR UPDATE";
static const char SQL_APPROVE[] =
	"UPDATE publicity SET state = 'approved', approval_date = ?, approval_ref = ?,"
	" approved_by = ?, approved_at = NOW() WHERE id = ? AND state = 'open'";

/* Locks publicity id; date: the one the change checks against. */
static int lock_publicity(long long id, const char *date, json_object **row)
{
	int rc = db_query_row(row, SQL_LOCK, "sssi", date, date, date, id);
	if (rc == DB_OK && !*row)
		rc = PBL_E_NOT_FOUND;
	return rc;
}

int pbl_approve(const struct actor *who, long long publicity_id, const char *date,
		const char *ref)
{
	json_object *p = NULL, *un = NULL, *items = NULL;
	struct buf s = BUF_INIT;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = lock_publicity(publicity_id, date, &p);
	if (rc == DB_OK && strcmp(db_str(p, "state", ""), "open"))
		rc = PBL_E_STATE;
	if (rc == DB_OK && !db_int(p, "ended", 0))
		rc = PBL_E_NOT_OVER;
	if (rc == DB_OK && (!db_int(p, "after_end", 0) || !db_int(p, "not_future", 0)))
		rc = PBL_E_DATE;
	if (rc == DB_OK)
		rc = db_query_row(&un, SQL_UNRESOLVED, "i", publicity_id);
	if (rc == DB_OK && db_int(un, "n", 0))
		rc = PBL_E_UNRESOLVED;
	if (rc == DB_OK)
		rc = db_query(&items, SQL_LISTED, "i", publicity_id);
	if (rc == DB_OK && !json_object_array_length(items))
		rc = PBL_E_EMPTY;
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		rc = app_status_move(db_int(it, "application_id", 0), db_str(it, "status", ""),
				     LC_APPROVE, LC_BY_PROVINCE, NULL);
		if (rc == APP_E_STATE)
			rc = PBL_E_STATE;
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_APPROVE, "ssii", date, ref, who->user_id, publicity_id);
	if (rc == DB_OK && db_affected_rows() != 1)
		rc = PBL_E_STATE;
	if (rc == DB_OK)
		buf_addf(&s, "《%s》公示期满、异议处理完毕，厅长办公会审议通过（%s，%s），%zu家企业",
			 db_str(p, "title", ""), date, ref, json_object_array_length(items));
	rc = finish(rc, who, "publish.approve", "publicity", publicity_id, &s);
	json_object_put(p);
	json_object_put(un);
	json_object_put(items);
	buf_release(&s);
	return rc;
}

static const char SQL_LAST_SEQ[] =
	"SELECT IFNULL(MAX(seq), 0) AS seq FROM benchmark WHERE year = ? FOR UPDATE";
static const char SQL_BENCHMARK[] =
	"INSERT INTO benchmark (application_id, publicity_id, year, seq, cert_no, enterprise_name,"
	" city_code, scope, title, award_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PUBLISHED[] =
	"UPDATE publicity SET state = 'published', award_date = ?, published_by = ?,"
	" published_at = NOW() WHERE id = ? AND state = 'approved'";

int pbl_publish(const struct actor *who, long long publicity_id, const char *award,
		long long *count)
{
	json_object *p = NULL, *items = NULL, *last = NULL;
	struct buf s = BUF_INIT, title = BUF_INIT, body = BUF_INIT, link = BUF_INIT;
	char zh[CIVIL_DATE_ZH_MAX];
	int year = 0, rc = db_begin();
	*count = 0;
	if (rc == DB_OK)
		rc = lock_publicity(publicity_id, award, &p);
	if (rc == DB_OK && strcmp(db_str(p, "state", ""), "approved"))
		rc = PBL_E_STATE;
	if (rc == DB_OK && !db_int(p, "after_approval", 0))
		rc = PBL_E_DATE;
	if (rc == DB_OK) {
		year = (int)db_int(p, "year", 0);
		rc = db_query(&items, SQL_LISTED, "i", publicity_id);
	}
	/* The year's numbers go on from the last one ever given (a second list
	 * of the same year, should one come, never reuses a number). */
	if (rc == DB_OK)
		rc = db_query_row(&last, SQL_LAST_SEQ, "i", (long long)year);
	long long seq = rc == DB_OK ? db_int(last, "seq", 0) : 0;
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		long long app = db_int(it, "application_id", 0);
		char cert[CERT_NO_MAX + 1];
		if (cert_no_format(year, (int)++seq, cert)) {
			rc = DB_ERROR;
			break;
		}
		rc = app_status_move(app, db_str(it, "status", ""), LC_PUBLISH, LC_BY_PROVINCE, NULL);
		if (rc == APP_E_STATE)
			rc = PBL_E_STATE;
		if (rc == DB_OK)
			rc = db_exec(SQL_BENCHMARK, "iiiisssiss", app, publicity_id, (long long)year, seq, cert,
				     db_str(it, "enterprise_name", ""), db_str(it, "city_code", ""),
				     db_int(it, "scope", 0), db_str(it, "title", ""), award);
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_PUBLISHED, "sii", award, who->user_id, publicity_id);
	if (rc == DB_OK && db_affected_rows() != 1)
		rc = PBL_E_STATE;
	if (rc == DB_OK) {
		*count = (long long)json_object_array_length(items);
		civil_format_zh_iso(award, zh);
		buf_addf(&title, "%d年度黑龙江省质量标杆名单", year);
		buf_addf(&body, "经公示和厅长办公会审议（%s），%lld家企业被认定为%d年度黑龙江省质量标杆，"
				"于%s授牌。",
			 db_str(p, "approval_ref", ""), *count, year, zh);
		buf_addf(&link, "/publish/list?year=%d", year);
		rc = announce_add("publication", year, title.data, body.data, link.data, NULL);
	}
	if (rc == DB_OK)
		buf_addf(&s, "发布%d年度质量标杆名单：%lld家，证书编号至 " CERT_NO_PREFIX "-%04d-%03lld，授牌日期%s",
			 year, *count, year, seq, award);
	rc = finish(rc, who, "publish.publish", "publicity", publicity_id, &s);
	if (rc != DB_OK)
		*count = 0;
	json_object_put(p);
	json_object_put(items);
	json_object_put(last);
	buf_release(&s);
	buf_release(&title);
	buf_release(&body);
	buf_release(&link);
	return rc;
}

/* ---- the lists ---- */

#define BENCHMARK_COLUMNS                                                                     \
	"SELECT b.id, b.application_id, b.year, b.seq, b.cert_no, b.enterprise_name,"         \
	" c.name AS city_name, b.scope, b.title, b.award_date, b.status, b.status_changed_at," \
	" b.status_announcement_id, b.national_title_year,"                                   \
	" (n.benchmark_id IS NOT NULL) AS national, n.note, n.recommended_at"                  \
	" FROM benchmark b JOIN city c ON c.code = b.city_code"                                \
	" LEFT JOIN national_recommendation n ON n.benchmark_id = b.id"
static const char SQL_YEARS[] =
	"SELECT year, COUNT(*) AS count, MIN(award_date) AS award_date FROM benchmark"
	" GROUP BY year ORDER BY year DESC";
static const char SQL_LIST[] = BENCHMARK_COLUMNS " WHERE b.year = ? ORDER BY b.seq";
static const char SQL_CERT[] =
	"SELECT b.id, b.application_id, b.year, b.seq, b.cert_no, b.enterprise_name,"
	" c.name AS city_name, b.scope, b.title, b.award_date, b.status, b.status_changed_at,"
	" b.status_announcement_id, b.national_title_year,"
	" (n.benchmark_id IS NOT NULL) AS national, n.note, n.recommended_at,"
	" p.approval_ref, p.approval_date"
	" FROM benchmark b JOIN city c ON c.code = b.city_code"
	" JOIN publicity p ON p.id = b.publicity_id"
	" LEFT JOIN national_recommendation n ON n.benchmark_id = b.id WHERE b.cert_no = ?";
static const char SQL_NATIONAL[] = BENCHMARK_COLUMNS " WHERE b.year = ? AND n.benchmark_id IS NOT NULL ORDER BY b.seq";

const char *pbl_status_label(const char *status)
{
	return status && !strcmp(status, "revoked") ? "已撤销" : "有效";
}

void pbl_label_benchmark(json_object *r)
{
	static const char *const dates[] = { "award_date", "status_changed_at", "approval_date",
					     "recommended_at", NULL };
	const char *l = app_scope_label((int)db_int(r, "scope", 0));
	db_add_date_zh(r, dates);
	json_object_object_add(r, "scope_label", json_object_new_string(l ? l : ""));
	json_object_object_add(r, "status_label",
			       json_object_new_string(pbl_status_label(db_str(r, "status", ""))));
	json_object_object_add(r, "revoked",
			       json_object_new_boolean(!strcmp(db_str(r, "status", ""), "revoked")));
}

static int labelled(int rc, json_object *rows)
{
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(rows); i++)
		pbl_label_benchmark(json_object_array_get_idx(rows, i));
	return rc;
}

int pbl_years(json_object **rows)
{
	static const char *const dates[] = { "award_date", NULL };
	int rc = db_query(rows, SQL_YEARS, "");
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		db_add_date_zh(json_object_array_get_idx(*rows, i), dates);
	return rc;
}

int pbl_list(int year, json_object **rows)
{
	int rc = db_query(rows, SQL_LIST, "i", (long long)year);
	return labelled(rc, *rows);
}

int pbl_by_cert(const char *cert_no, json_object **row)
{
	int rc = db_query_row(row, SQL_CERT, "s", cert_no);
	if (rc == DB_OK && *row)
		pbl_label_benchmark(*row);
	return rc;
}

int pbl_national(int year, json_object **rows)
{
	int rc = db_query(rows, SQL_NATIONAL, "i", (long long)year);
	return labelled(rc, *rows);
}

static const char SQL_VALID[] =
	"SELECT id, enterprise_name FROM benchmark WHERE id = ? AND year = ? AND status = 'valid'";
static const char SQL_NATIONAL_CLEAR[] = "DELETE FROM national_recommendation WHERE year = ?";
static const char SQL_NATIONAL_KEEP[] =
	"INSERT INTO national_recommendation (benchmark_id, year, note, recommended_by, recommended_at)"
	" VALUES (?, ?, ?, ?, NOW())";
static const char SQL_NATIONAL_OLD[] =
	"SELECT benchmark_id, note, recommended_by, recommended_at FROM national_recommendation"
	" WHERE year = ? FOR UPDATE";
static const char SQL_NATIONAL_RESTORE[] =
	"INSERT INTO national_recommendation (benchmark_id, year, note, recommended_by, recommended_at)"
	" VALUES (?, ?, ?, ?, ?)";

int pbl_national_set(const struct actor *who, int year, const long long *ids, size_t n,
		     const char *note)
{
	json_object *old = NULL;
	struct buf s = BUF_INIT;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = db_query(&old, SQL_NATIONAL_OLD, "i", (long long)year);
	if (rc == DB_OK)
		rc = db_exec(SQL_NATIONAL_CLEAR, "i", (long long)year);
	if (rc == DB_OK)
		buf_addf(&s, "%d年度推荐参加全国质量标杆遴选：", year);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		json_object *b = NULL, *kept = NULL;
		rc = db_query_row(&b, SQL_VALID, "ii", ids[i], (long long)year);
		if (rc == DB_OK && !b)
			rc = PBL_E_NOT_FOUND;
		/* One already put forward keeps who did it and when. */
		for (size_t k = 0; rc == DB_OK && k < json_object_array_length(old); k++)
			if (db_int(json_object_array_get_idx(old, k), "benchmark_id", 0) == ids[i])
				kept = json_object_array_get_idx(old, k);
		if (rc == DB_OK && kept)
			rc = db_exec(SQL_NATIONAL_RESTORE, "iisis", ids[i], (long long)year,
				     db_str(kept, "note", ""), db_int(kept, "recommended_by", 0),
				     db_str(kept, "recommended_at", ""));
		else if (rc == DB_OK)
			rc = db_exec(SQL_NATIONAL_KEEP, "iisi", ids[i], (long long)year, note, who->user_id);
		if (rc == DB_CONFLICT)
			rc = DB_OK; /* the same id twice in the form */
		if (rc == DB_OK)
			buf_addf(&s, "%s%s", i ? "、" : "", db_str(b, "enterprise_name", ""));
		json_object_put(b);
	}
	if (rc == DB_OK && !n)
		buf_adds(&s, "（无）");
	rc = finish(rc, who, "publish.national", "year", year, &s);
	json_object_put(old);
	buf_release(&s);
	return rc;
}

int pbl_package_audit(const struct actor *who, int year, size_t count)
{
	struct buf s = BUF_INIT;
	int rc = db_begin();
	buf_addf(&s, "下载%d年度全国推荐材料包：%zu家企业的申报书、附件和汇总表", year, count);
	rc = finish(rc, who, "publish.package", "year", year, &s);
	buf_release(&s);
	return rc;
}
