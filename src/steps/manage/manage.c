#include "steps/manage/manage.h"

#include <stdio.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/db.h"
#include "steps/intake/app_status.h"
#include "steps/publicity/announce.h"
#include "steps/publish/publish.h"
#include "core/banned.h"

static const struct {
	const char *code, *label, *cause;
} grounds[] = {
	{ "falsified", "申报材料弄虚作假", "申报材料弄虚作假获得质量标杆称号" },
	{ "quality", "发生重大质量责任事故", "发生质量方面重大责任事故" },
	{ "safety", "发生重大安全责任事故", "发生安全方面重大责任事故" },
	{ "environment", "发生重大环保责任事故", "发生环保方面重大责任事故" },
	{ "credit", "发生重大信誉责任事故", "发生信誉方面重大责任事故" },
};
#define N_GROUNDS (sizeof grounds / sizeof grounds[0])

const char *const mgt_grounds[] = { "falsified", "quality", "safety", "environment", "credit", NULL };

static int ground_index(const char *code)
{
	for (size_t i = 0; code && i < N_GROUNDS; i++)
		if (!strcmp(code, grounds[i].code))
			return (int)i;
	return -1;
}

const char *mgt_ground_label(const char *code)
{
	int i = ground_index(code);
	return i < 0 ? NULL : grounds[i].label;
}

const char *mgt_kind_label(const char *kind)
{
	return kind && !strcmp(kind, "reinstatement") ? "恢复称号" : "撤销称号";
}

/* ---- reading ---- */

#define BENCHMARK_COLUMNS                                                                     \
	"SELECT b.id, b.application_id, b.year, b.seq, b.cert_no, b.enterprise_name,"         \
	" c.name AS city_name, b.scope, b.title, b.award_date, b.status, b.status_changed_at," \
	" b.status_announcement_id, b.national_title_year"                                    \
	" FROM benchmark b JOIN city c ON c.code = b.city_code"
/* q: a substring of the name, the certificate number or the title. */
static const char SQL_BENCHMARKS[] =
	BENCHMARK_COLUMNS
	" WHERE (? = '' OR b.enterprise_name LIKE ? OR CONVERT(b.cert_no USING utf8mb4) = ?"
	"  OR b.title LIKE ?)"
	" AND (? = 0 OR b.year = ?)"
	" AND (? = '' OR (? = 'national' AND b.national_title_year IS NOT NULL) OR b.status = ?)"
	" ORDER BY b.year DESC, b.seq LIMIT ? OFFSET ?";
static const char SQL_BENCHMARK[] =
	"SELECT b.id, b.application_id, b.year, b.seq, b.cert_no, b.enterprise_name,"
	" c.name AS city_name, b.scope, b.title, b.award_date, b.status, b.status_changed_at,"
	" b.status_announcement_id, b.national_title_year, a.enterprise_id, p.approval_ref,"
	" p.approval_date"
	" FROM benchmark b JOIN city c ON c.code = b.city_code"
	" JOIN application a ON a.id = b.application_id JOIN publicity p ON p.id = b.publicity_id"
	" WHERE b.id = ?";
static const char SQL_DECISIONS[] =
	"SELECT d.id, d.kind, d.ground, d.facts, d.decision_ref, d.decision_date, d.attachment_id,"
	" d.announcement_id, u.display_name AS decided_by_name, d.decided_at"
	" FROM title_decision d JOIN account u ON u.id = d.decided_by"
	" WHERE d.benchmark_id = ? ORDER BY d.id";

int mgt_benchmarks(const struct mgt_filter *f, json_object **rows, bool *more)
{
	long long page = f->page < 1 ? 1 : f->page;
	const char *q = f->q ? f->q : "", *st = f->status ? f->status : "";
	struct buf pat = BUF_INIT;
	db_like_anywhere(q, &pat);
	int rc = db_query(rows, SQL_BENCHMARKS, "ssssiisssii", q, pat.data, q, pat.data,
			  (long long)f->year, (long long)f->year, st, st, st,
			  (long long)MGT_PAGE_SIZE + 1, (page - 1) * MGT_PAGE_SIZE);
	buf_release(&pat);
	*more = false;
	if (rc != DB_OK)
		return rc;
	*more = db_trim_page(*rows, MGT_PAGE_SIZE);
	for (size_t i = 0; i < json_object_array_length(*rows); i++)
		pbl_label_benchmark(json_object_array_get_idx(*rows, i));
	return DB_OK;
}

int mgt_benchmark(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_BENCHMARK, "i", id);
	if (rc == DB_OK && *row)
		pbl_label_benchmark(*row);
	return rc;
}

static void label_decision(json_object *r)
{
	static const char *const dates[] = { "decision_date", "decided_at", NULL };
	const char *g = mgt_ground_label(db_str(r, "ground", NULL));
	db_add_date_zh(r, dates);
	json_object_object_add(r, "kind_label",
			       json_object_new_string(mgt_kind_label(db_str(r, "kind", ""))));
	json_object_object_add(r, "revocation",
			       json_object_new_boolean(!strcmp(db_str(r, "kind", ""), "revocation")));
	if (g)
		json_object_object_add(r, "ground_label", json_object_new_string(g));
}

int mgt_decisions(long long benchmark_id, json_object **rows)
{
	int rc = db_query(rows, SQL_DECISIONS, "i", benchmark_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		label_decision(json_object_array_get_idx(*rows, i));
	return rc;
}

int mgt_history(long long benchmark_id, json_object **rows)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", benchmark_id);
	return audit_of_object("benchmark", oid, MGT_HISTORY_MAX, rows);
}

/* ---- the announcement ---- */

void mgt_announcement(json_object *bm, const char *kind, const char *ground, const char *ref,
		      const char *date, const char *prev_ref, struct buf *title, struct buf *body)
{
	char zh[CIVIL_DATE_ZH_MAX];
	const char *name = db_str(bm, "enterprise_name", "");
	long long year = db_int(bm, "year", 0);
	if (civil_format_zh_iso(date, zh))
		snprintf(zh, sizeof zh, "%s", date ? date : "");
	if (kind && !strcmp(kind, "reinstatement")) {
		buf_addf(title, "关于恢复%s“%lld年度黑龙江省质量标杆”称号的公告", name, year);
		buf_addf(body,
			 "%s（证书编号%s）的%lld年度黑龙江省质量标杆称号曾被撤销（%s）。经复核，"
			 "省工业和信息化厅决定（%s）自%s起恢复其称号，原证书继续有效。特此公告。",
			 name, db_str(bm, "cert_no", ""), year, prev_ref && *prev_ref ? prev_ref : "原决定",
			 ref, zh);
		return;
	}
	int g = ground_index(ground);
	buf_addf(title, "关于撤销%s“%lld年度黑龙江省质量标杆”称号的公告", name, year);
	buf_addf(body,
		 "根据《黑龙江省质量标杆遴选管理办法》第十六条，%s（证书编号%s）因%s，"
		 "省工业和信息化厅决定（%s）自%s起撤销其%lld年度黑龙江省质量标杆称号，"
		 "收回证书和牌匾。特此公告。",
		 name, db_str(bm, "cert_no", ""), g < 0 ? "" : grounds[g].cause, ref, zh, year);
}

/* ---- the two steps of a decision ---- */

static int finish(int rc, const struct actor *who, const char *action, long long benchmark_id,
		  const struct buf *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", benchmark_id);
	return audit_commit(rc, who, action, "benchmark", oid, summary->data ? summary->data : "");
}

/* date: the decision's, checked against the award, the last decision and
 * today; the row locked. */
static const char SQL_LOCK[] =
	"SELECT b.id, b.year, b.cert_no, b.enterprise_name, b.status, b.application_id,"
	" (? <= CURDATE() AND ? >= b.award_date"
	"  AND ? >= IFNULL((SELECT MAX(d.decision_date) FROM title_decision d"
	"   WHERE d.benchmark_id = b.id), '0001-01-01')) AS date_ok,"
	" (SELECT d.decision_ref FROM title_decision d WHERE d.benchmark_id = b.id"
	"  AND d.kind = 'revocation' ORDER BY d.id DESC LIMIT 1) AS revocation_ref,"
	" a.status AS app_status"
	" FROM benchmark b JOIN application a ON a.id = b.application_id WHERE b.id = ? FOR UPDATE";

static int lock_benchmark(long long id, const char *kind, const char *date, json_object **row)
{
	int rc = db_query_row(row, SQL_LOCK, "sssi", date, date, date, id);
	if (rc == DB_OK && !*row)
		return MGT_E_NOT_FOUND;
	bool revoking = !strcmp(kind, "revocation");
	if (rc == DB_OK && strcmp(db_str(*row, "status", ""), revoking ? "valid" : "revoked"))
		return MGT_E_STATE;
	if (rc == DB_OK && !db_int(*row, "date_ok", 0))
		return MGT_E_DATE;
	return rc;
}

static const char SQL_OLD_DRAFT[] =
	"SELECT id, attachment_id FROM title_decision_draft WHERE benchmark_id = ? AND created_by = ?"
	" FOR UPDATE";
static const char SQL_DROP_DRAFT[] = "DELETE FROM title_decision_draft WHERE id = ?";
static const char SQL_ADD_DRAFT[] =
	"INSERT INTO title_decision_draft (benchmark_id, kind, ground, facts, decision_ref,"
	" decision_date, attachment_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

/* Removes draft row d (SQL_OLD_DRAFT's) and its document. */
static int drop_draft(json_object *d)
{
	int rc = db_exec(SQL_DROP_DRAFT, "i", db_int(d, "id", 0));
	if (rc == DB_OK)
		rc = att_delete_decision(db_int(d, "attachment_id", 0));
	return rc;
}

int mgt_draft_save(const struct actor *who, const struct mgt_decision_input *in,
		   const char *file_name, struct att_spool *file, long long *draft_id)
{
	json_object *bm = NULL, *old = NULL;
	struct buf s = BUF_INIT;
	long long att = 0;
	bool revoking = !strcmp(in->kind, "revocation");
	int rc = db_begin();
	*draft_id = 0;
	if (rc == DB_OK)
		rc = lock_benchmark(in->benchmark_id, in->kind, in->date, &bm);
	if (rc == DB_OK)
		rc = db_query_row(&old, SQL_OLD_DRAFT, "ii", in->benchmark_id, who->user_id);
	if (rc == DB_OK && old)
		rc = drop_draft(old);
	if (rc == DB_OK)
		rc = att_insert_decision(who->user_id, file_name, file, &att);
	if (rc == DB_OK)
		rc = db_exec(SQL_ADD_DRAFT, "isssssii", in->benchmark_id, in->kind,
			     revoking ? in->ground : NULL, in->facts, in->ref, in->date, att, who->user_id);
	if (rc == DB_OK) {
		*draft_id = db_insert_id();
		buf_addf(&s, "拟写%s决定（待确认）：%s %s，%s%s%s", mgt_kind_label(in->kind),
			 db_str(bm, "cert_no", ""), db_str(bm, "enterprise_name", ""), in->ref,
			 revoking ? "，" : "", revoking ? mgt_ground_label(in->ground) : "");
	}
	rc = finish(rc, who, "manage.draft", in->benchmark_id, &s);
	if (rc != DB_OK)
		*draft_id = 0;
	json_object_put(bm);
	json_object_put(old);
	buf_release(&s);
	return rc;
}

static const char SQL_DRAFT[] =
	"SELECT d.id, d.benchmark_id, d.kind, d.ground, d.facts, d.decision_ref, d.decision_date,"
	" d.attachment_id, f.original_name AS file_name, f.size_bytes AS file_size, f.mime AS file_mime"
	" FROM title_decision_draft d JOIN attachment f ON f.id = d.attachment_id"
	" WHERE d.id = ? AND d.created_by = ?";
static const char SQL_LAST_REVOCATION[] =
	"SELECT decision_ref FROM title_decision WHERE benchmark_id = ? AND kind = 'revocation'"
	" ORDER BY id DESC LIMIT 1";

int mgt_draft(const struct actor *who, long long draft_id, json_object **row)
{
	json_object *bm = NULL, *prev = NULL;
	struct buf title = BUF_INIT, body = BUF_INIT;
	char size[32];
	int rc = db_query_row(row, SQL_DRAFT, "ii", draft_id, who->user_id);
	if (rc != DB_OK || !*row)
		return rc;
	long long bid = db_int(*row, "benchmark_id", 0);
	rc = mgt_benchmark(bid, &bm);
	if (rc == DB_OK)
		rc = db_query_row(&prev, SQL_LAST_REVOCATION, "i", bid);
	if (rc == DB_OK && !bm)
		rc = DB_ERROR; /* a draft's benchmark is never deleted */
	if (rc != DB_OK) {
		json_object_put(*row);
		*row = NULL;
		json_object_put(bm);
		json_object_put(prev);
		return rc;
	}
	label_decision(*row);
	mgt_announcement(bm, db_str(*row, "kind", ""), db_str(*row, "ground", NULL),
			 db_str(*row, "decision_ref", ""), db_str(*row, "decision_date", ""),
			 db_str(prev, "decision_ref", ""), &title, &body);
	json_object_object_add(*row, "announcement_title", json_object_new_string(title.data));
	json_object_object_add(*row, "announcement_body", json_object_new_string(body.data));
	json_object_object_add(*row, "file_size_label",
			       json_object_new_string(att_size_label(db_int(*row, "file_size", 0), size,
								     sizeof size)));
	json_object_object_add(*row, "benchmark", bm);
	json_object_put(prev);
	buf_release(&title);
	buf_release(&body);
	return DB_OK;
}

static const char SQL_DRAFT_LOCK[] =
	"SELECT id, benchmark_id, kind, ground, facts, decision_ref, decision_date, attachment_id"
	" FROM title_decision_draft WHERE id = ? AND created_by = ? FOR UPDATE";
static const char SQL_DECISION[] =
	"INSERT INTO title_decision (benchmark_id, kind, ground, facts, decision_ref, decision_date,"
	" attachment_id, announcement_id, decided_by, decided_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW())";
static const char SQL_STATUS[] =
	"UPDATE benchmark SET status = ?, status_changed_at = ?, status_announcement_id = ?"
	" WHERE id = ? AND status = ?";

int mgt_confirm(const struct actor *who, long long draft_id, long long *benchmark_id)
{
	json_object *d = NULL, *bm = NULL;
	struct buf title = BUF_INIT, body = BUF_INIT, link = BUF_INIT, s = BUF_INIT;
	long long ann = 0;
	int rc = db_begin();
	*benchmark_id = 0;
	if (rc == DB_OK)
		rc = db_query_row(&d, SQL_DRAFT_LOCK, "ii", draft_id, who->user_id);
	if (rc == DB_OK && !d)
		rc = MGT_E_NOT_FOUND;
	const char *kind = rc == DB_OK ? db_str(d, "kind", "") : "";
	bool revoking = !strcmp(kind, "revocation");
	long long bid = rc == DB_OK ? db_int(d, "benchmark_id", 0) : 0;
	const char *date = rc == DB_OK ? db_str(d, "decision_date", "") : "";
	if (rc == DB_OK)
		rc = lock_benchmark(bid, kind, date, &bm);
	if (rc == DB_OK) {
		mgt_announcement(bm, kind, db_str(d, "ground", NULL), db_str(d, "decision_ref", ""), date,
				 db_str(bm, "revocation_ref", ""), &title, &body);
		buf_addf(&link, "/publish/verify?no=%s", db_str(bm, "cert_no", ""));
		rc = announce_add(revoking ? "revocation" : "reinstatement", (int)db_int(bm, "year", 0),
				  title.data, body.data, link.data, &ann);
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_DECISION, "isssssiii", bid, kind, db_str(d, "ground", NULL),
			     db_str(d, "facts", ""), db_str(d, "decision_ref", ""), date,
			     db_int(d, "attachment_id", 0), ann, who->user_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_STATUS, "ssiis", revoking ? "revoked" : "valid", date, ann, bid,
			     revoking ? "valid" : "revoked");
	if (rc == DB_OK && db_affected_rows() != 1)
		rc = MGT_E_STATE;
	if (rc == DB_OK) {
		rc = app_status_move(db_int(bm, "application_id", 0), db_str(bm, "app_status", ""),
				     revoking ? LC_REVOKE : LC_REINSTATE, LC_BY_PROVINCE, NULL);
		if (rc == APP_E_STATE)
			rc = MGT_E_STATE;
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_DROP_DRAFT, "i", draft_id);
	if (rc == DB_OK) {
		buf_addf(&s, "%s：%s %s（%lld年度），决定文号%s，日期%s", mgt_kind_label(kind),
			 db_str(bm, "cert_no", ""), db_str(bm, "enterprise_name", ""),
			 db_int(bm, "year", 0), db_str(d, "decision_ref", ""), date);
		if (revoking)
			buf_addf(&s, "，事由：%s", mgt_ground_label(db_str(d, "ground", "")));
		buf_addf(&s, "；公告 %lld", ann);
	}
	rc = finish(rc, who, revoking ? "manage.revoke" : "manage.reinstate", bid, &s);
	if (rc == DB_OK)
		*benchmark_id = bid;
	json_object_put(d);
	json_object_put(bm);
	buf_release(&title);
	buf_release(&body);
	buf_release(&link);
	buf_release(&s);
	return rc;
}

static const char SQL_DOCUMENT_OWNER[] =
	"SELECT (EXISTS (SELECT 1 FROM title_decision WHERE attachment_id = ?)"
	" OR EXISTS (SELECT 1 FROM title_decision_draft WHERE attachment_id = ? AND created_by = ?))"
	" AS ok";

int mgt_document(const struct actor *who, long long att_id, json_object **row)
{
	json_object *ok = NULL;
	int rc = db_query_row(&ok, SQL_DOCUMENT_OWNER, "iii", att_id, att_id, who->user_id);
	*row = NULL;
	if (rc == DB_OK && db_int(ok, "ok", 0))
		rc = att_decision_meta(att_id, row);
	json_object_put(ok);
	return rc;
}

/* ---- national titles ---- */

static const char SQL_NATIONAL_LOCK[] =
	"SELECT id, year, cert_no, enterprise_name, national_title_year,"
	" (? = 0 OR (? >= year AND ? <= GREATEST(YEAR(CURDATE()), year))) AS year_ok"
	" FROM benchmark WHERE id = ? FOR UPDATE";
static const char SQL_NATIONAL_SET[] = "UPDATE benchmark SET national_title_year = ? WHERE id = ?";

int mgt_national_title(const struct actor *who, long long benchmark_id, int year)
{
	json_object *bm = NULL;
	struct buf s = BUF_INIT;
	int rc = db_begin();
	if (rc == DB_OK)
		rc = db_query_row(&bm, SQL_NATIONAL_LOCK, "iiii", (long long)year, (long long)year,
				  (long long)year, benchmark_id);
	if (rc == DB_OK && !bm)
		rc = MGT_E_NOT_FOUND;
	if (rc == DB_OK && !db_int(bm, "year_ok", 0))
		rc = MGT_E_DATE;
	if (rc == DB_OK) {
		char y[8];
		snprintf(y, sizeof y, "%d", year);
		rc = db_exec(SQL_NATIONAL_SET, "si", year ? y : NULL, benchmark_id);
	}
	if (rc == DB_OK && year)
		buf_addf(&s, "%s %s：%d年获评全国质量标杆", db_str(bm, "cert_no", ""),
			 db_str(bm, "enterprise_name", ""), year);
	else if (rc == DB_OK)
		buf_addf(&s, "%s %s：取消全国质量标杆称号记录（原记录%lld年）", db_str(bm, "cert_no", ""),
			 db_str(bm, "enterprise_name", ""), db_int(bm, "national_title_year", 0));
	rc = finish(rc, who, "manage.national_title", benchmark_id, &s);
	json_object_put(bm);
	buf_release(&s);
	return rc;
}
