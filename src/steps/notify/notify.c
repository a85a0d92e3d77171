#include "steps/notify/notify.h"

#include <stdio.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "rules/calendar.h"
#include "steps/calendar/calendar_db.h"
#include "core/banned.h"

/* ---- writing notices ---- */

/* The mail state of a new notice for account alias a: pending when mail is
 * on (the first '?') and the account has an address somewhere. */
#define MAIL_STATE(a)                                                                            \
	"IF(? AND (" a ".email IS NOT NULL OR EXISTS (SELECT 1 FROM enterprise me"              \
	" WHERE me.account_id = " a ".id AND me.email <> '') OR EXISTS (SELECT 1 FROM expert mx" \
	" WHERE mx.account_id = " a ".id AND mx.email <> '')), 'pending', 'none')"
#define INSERT_NOTICE                                                                            \
	"INSERT INTO notification (account_id, kind, subject, link, dedupe, mail_state)"
/* A reminder given once per account and dedupe key. */
#define ONCE " ON DUPLICATE KEY UPDATE id = notification.id"
/* 2026年11月25日 17:00 of a DATETIME expression. */
#define ZH_TIME(x)                                                                               \
	"CONCAT(YEAR(" x "), '年', MONTH(" x "), '月', DAY(" x "), '日 ', DATE_FORMAT(" x ", '%H:%i'))"

static const char SQL_TO_ACCOUNT[] =
	INSERT_NOTICE " SELECT a.id, ?, ?, ?, ?, " MAIL_STATE("a")
	" FROM account a WHERE a.id = ? AND a.disabled = 0" ONCE;
static const char SQL_TO_EXPERT[] =
	INSERT_NOTICE " SELECT a.id, ?, ?, ?, ?, " MAIL_STATE("a")
	" FROM expert x JOIN account a ON a.id = x.account_id WHERE x.id = ? AND a.disabled = 0" ONCE;
static const char SQL_TO_CITY[] =
	INSERT_NOTICE " SELECT a.id, ?, ?, ?, ?, " MAIL_STATE("a")
	" FROM account a WHERE a.role = 'city' AND a.city_code = ? AND a.disabled = 0" ONCE;
static const char SQL_TO_PROVINCE[] =
	INSERT_NOTICE " SELECT a.id, ?, ?, ?, ?, " MAIL_STATE("a")
	" FROM account a WHERE a.role = 'province' AND a.disabled = 0" ONCE;

/* An application's move, told to its enterprise or its city bureau; the
 * subject is before + 《title》 + after (the city's also starts with the
 * enterprise's name). */
#define APP_TITLE "'《', IF(ap.title = '', '未命名的申报书', ap.title), '》'"
static const char SQL_APP_TO_ENTERPRISE[] =
	INSERT_NOTICE " SELECT a.id, ?, CONCAT(?, " APP_TITLE ", ?), CONCAT(?, ap.id), NULL, "
	MAIL_STATE("a") " FROM application ap JOIN enterprise en ON en.id = ap.enterprise_id"
	" JOIN account a ON a.id = en.account_id WHERE ap.id = ? AND a.disabled = 0";
static const char SQL_APP_TO_CITY[] =
	INSERT_NOTICE " SELECT a.id, ?, CONCAT(en.name, ?, " APP_TITLE ", ?), CONCAT(?, ap.id), NULL, "
	MAIL_STATE("a") " FROM application ap JOIN enterprise en ON en.id = ap.enterprise_id"
	" JOIN account a ON a.role = 'city' AND a.city_code = en.city_code"
	" WHERE ap.id = ? AND a.disabled = 0";

static long long mail_on(void)
{
	return config_str("mail_sendmail", "")[0] != '\0';
}

int notify(enum notify_to to, long long id, const char *city, const struct notice *n)
{
	const long long mail = mail_on();
	switch (to) {
	case NOTIFY_ACCOUNT:
		return db_exec(SQL_TO_ACCOUNT, "ssssii", n->kind, n->subject, n->link, n->dedupe, mail,
			       id);
	case NOTIFY_EXPERT:
		return db_exec(SQL_TO_EXPERT, "ssssii", n->kind, n->subject, n->link, n->dedupe, mail,
			       id);
	case NOTIFY_CITY:
		return db_exec(SQL_TO_CITY, "ssssis", n->kind, n->subject, n->link, n->dedupe, mail,
			       city);
	case NOTIFY_PROVINCE:
		return db_exec(SQL_TO_PROVINCE, "ssssi", n->kind, n->subject, n->link, n->dedupe, mail);
	}
	return DB_ERROR;
}

/* Which moves tell whom.  Not here: moves that need nobody's action or
 * would tell the enterprise the panel's confidential view before the
 * province publishes its list (in_review, not_selected, proposed). */
struct app_notice {
	enum lc_event event;
	bool to_city;      /* else the enterprise */
	const char *kind;
	const char *before, *after;
	const char *link;  /* + the application's id */
};

static const struct app_notice APP_NOTICES[] = {
	{ LC_SUBMIT, true, "app.submitted", "提交了申报书", "，请审核并作出推荐决定",
	  "/recommend/app?id=" },
	{ LC_RESUBMIT, true, "app.resubmitted", "修改后重新提交了申报书", "，请重新审核",
	  "/recommend/app?id=" },
	{ LC_RETURN, false, "app.returned", "您的申报书", "被退回修改：请查看退回理由，修改后在申报截止前重新提交",
	  "/apply/view?id=" },
	{ LC_DECLINE, false, "app.declined", "您的申报书", "未获市（地）工信局推荐，理由见申报书页面",
	  "/apply/view?id=" },
	{ LC_BATCH_SUBMIT, false, "app.forwarded", "您的申报书", "已由市（地）工信局推荐至省工信厅",
	  "/apply/view?id=" },
	{ LC_PUBLICITY, false, "app.publicity", "您的申报", "已列入拟认定名单，正在省工信厅网站公示",
	  "/apply/view?id=" },
	{ LC_OBJECTION_UPHELD, false, "app.objection", "公示期间对您的申报",
	  "提出的异议经核实成立，该申报不予认定", "/apply/view?id=" },
	{ LC_PUBLISH, false, "app.benchmark", "祝贺！您的申报", "已被认定为黑龙江省质量标杆，名单已在省工信厅网站公布",
	  "/apply/view?id=" },
	{ LC_REVOKE, false, "app.revoked", "您的申报", "所获质量标杆称号已被撤销，撤销决定已公告",
	  "/apply/view?id=" },
	{ LC_REINSTATE, false, "app.reinstated", "您的申报", "所获质量标杆称号已恢复",
	  "/apply/view?id=" },
};

int notify_app_move(long long application_id, enum lc_event event)
{
	for (size_t i = 0; i < sizeof APP_NOTICES / sizeof APP_NOTICES[0]; i++) {
		const struct app_notice *n = &APP_NOTICES[i];
		if (n->event != event)
			continue;
		return db_exec(n->to_city ? SQL_APP_TO_CITY : SQL_APP_TO_ENTERPRISE, "ssssii", n->kind,
			       n->before, n->after, n->link, mail_on(), application_id);
	}
	return DB_OK;
}

/* ---- the inbox ---- */

#define INBOX_COLUMNS                                                                            \
	"SELECT id, kind, subject, link, created_at, DATE_FORMAT(created_at, '%H:%i') AS time,"   \
	" (read_at IS NULL) AS unread"
static const char SQL_INBOX[] =
	INBOX_COLUMNS " FROM notification WHERE account_id = ? ORDER BY id DESC LIMIT ? OFFSET ?";
static const char SQL_INBOX_UNREAD[] =
	INBOX_COLUMNS " FROM notification WHERE account_id = ? AND read_at IS NULL"
	" ORDER BY id DESC LIMIT ? OFFSET ?";
/* The newest unread and, on each row, how many there are (capped: the
 * count stops reading at the cap). */
static const char SQL_HOME[] =
	INBOX_COLUMNS ", (SELECT COUNT(*) FROM (SELECT 1 FROM notification u WHERE u.account_id = ?"
	" AND u.read_at IS NULL LIMIT 100) c) AS unread_total"
	" FROM notification WHERE account_id = ? AND read_at IS NULL ORDER BY id DESC LIMIT 5";
static const char SQL_READ_ONE[] =
	"UPDATE notification SET read_at = NOW() WHERE id = ? AND account_id = ? AND read_at IS NULL";
static const char SQL_READ_ALL[] =
	"UPDATE notification SET read_at = NOW() WHERE account_id = ? AND read_at IS NULL";

static void add_dates(json_object *rows)
{
	static const char *const dates[] = { "created_at", NULL };
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++)
		db_add_date_zh(json_object_array_get_idx(rows, i), dates);
}

int notify_inbox(long long account_id, bool unread_only, long long page, json_object **rows,
		 bool *more)
{
	long long offset = (page > 1 ? page - 1 : 0) * NOTIFY_PAGE;
	int rc = db_query(rows, unread_only ? SQL_INBOX_UNREAD : SQL_INBOX, "iii", account_id,
			  (long long)NOTIFY_PAGE + 1, offset);
	*more = rc == DB_OK && db_trim_page(*rows, NOTIFY_PAGE);
	add_dates(*rows);
	return rc;
}

int notify_unread(long long account_id, long long *unread, json_object **latest)
{
	int rc = db_query(latest, SQL_HOME, "ii", account_id, account_id);
	*unread = 0;
	if (rc == DB_OK && json_object_array_length(*latest))
		*unread = db_int(json_object_array_get_idx(*latest, 0), "unread_total", 0);
	add_dates(*latest);
	return rc;
}

int notify_mark_read(const struct actor *who, long long account_id, long long id,
		     long long *changed)
{
	char oid[24];
	char summary[64];
	int rc = db_begin();
	*changed = 0;
	if (rc == DB_OK)
		rc = id > 0 ? db_exec(SQL_READ_ONE, "ii", id, account_id)
			    : db_exec(SQL_READ_ALL, "i", account_id);
	if (rc == DB_OK)
		*changed = db_affected_rows();
	if (rc != DB_OK || *changed == 0)
		return db_finish(rc); /* nothing changed: nothing to record */
	snprintf(oid, sizeof oid, "%lld", id);
	snprintf(summary, sizeof summary, id > 0 ? "通知标为已读" : "全部通知标为已读（%lld条）",
		 *changed);
	return audit_commit(rc, who, "notice.read", id > 0 ? "notification" : NULL,
			    id > 0 ? oid : NULL, summary);
}

/* ---- reminders of deadlines ---- */

/* The round's applications still drafts or returned, to their enterprise;
 * '?' after the mail flag: the first day beyond the reminder's reach. */
static const char SQL_DUE_APPLY[] =
	INSERT_NOTICE " SELECT a.id, 'due.apply', CONCAT(" APP_TITLE ","
	" IF(ap.status = 'returned', '已退回修改，尚未重新提交', '尚未提交'), '：', r.year,"
	" '年度申报将于', " ZH_TIME("r.apply_close") ", '截止'),"
	" CONCAT('/apply/view?id=', ap.id),"
	" CONCAT('due:apply:', ap.id, ':', DATE_FORMAT(r.apply_close, '%Y-%m-%d %H:%i')), "
	MAIL_STATE("a") " FROM application ap JOIN selection_round r ON r.id = ap.round_id"
	" JOIN enterprise en ON en.id = ap.enterprise_id JOIN account a ON a.id = en.account_id"
	" WHERE ap.status IN ('draft', 'returned') AND r.apply_close > NOW()"
	" AND r.apply_close < ? AND a.disabled = 0" ONCE;
/* The cities' batches not submitted (a city with an application beyond a
 * draft, whether its batch row exists yet or not), to their bureau. */
static const char SQL_DUE_BATCH[] =
	INSERT_NOTICE " SELECT a.id, 'due.batch', CONCAT(t.year, '年度推荐批次将于', "
	ZH_TIME("t.deadline") ", '截止，尚未提交省工信厅'), CONCAT('/recommend?round=', t.round_id),"
	" CONCAT('due:batch:', t.round_id, ':', DATE_FORMAT(t.deadline, '%Y-%m-%d %H:%i')), "
	MAIL_STATE("a") " FROM (SELECT r.id AS round_id, r.year, ci.code,"
	" COALESCE(b.deadline_override, r.recommend_deadline) AS deadline"
	" FROM selection_round r JOIN city ci"
	" LEFT JOIN recommend_batch b ON b.round_id = r.id AND b.city_code = ci.code"
	" WHERE IFNULL(b.status, 'open') = 'open'"
	" AND EXISTS (SELECT 1 FROM application ap JOIN enterprise en ON en.id = ap.enterprise_id"
	" WHERE ap.round_id = r.id AND en.city_code = ci.code AND ap.status <> 'draft')) t"
	" JOIN account a ON a.role = 'city' AND a.city_code = t.code"
	" WHERE t.deadline > NOW() AND t.deadline < ? AND a.disabled = 0" ONCE;

int notify_due(long long *made, struct buf *err, int32_t *reach_out)
{
	const struct calendar *cal = NULL;
	int32_t reach;
	int missing = 0;
	char beyond[CIVIL_DATE_LEN + 1];
	int rc = calendar_current(&cal, err);
	*made = 0;
	if (rc != DB_OK)
		return rc;
	if (calendar_add_working_days(cal, civil_today_shanghai(), NOTIFY_DUE_DAYS, &reach,
				      &missing) != CAL_OK) {
		buf_addf(err, "工作日历缺少%d年的节假日安排，无法计算截止前的工作日", missing);
		return 1;
	}
	*reach_out = reach;
	civil_format(reach + 1, beyond);
	rc = db_begin();
	if (rc == DB_OK && (rc = db_exec(SQL_DUE_APPLY, "is", mail_on(), beyond)) == DB_OK)
		*made += db_affected_rows();
	if (rc == DB_OK && (rc = db_exec(SQL_DUE_BATCH, "is", mail_on(), beyond)) == DB_OK)
		*made += db_affected_rows();
	return db_finish(rc);
}

/* ---- the mail queue ---- */

/* The address: the account's own, else its enterprise's or expert's. */
static const char SQL_MAIL_CLAIM[] =
	"SELECT n.id, n.subject, n.link, n.mail_attempts,"
	" COALESCE(a.email, (SELECT e.email FROM enterprise e WHERE e.account_id = a.id),"
	" (SELECT x.email FROM expert x WHERE x.account_id = a.id), '') AS mail_to"
	" FROM notification n JOIN account a ON a.id = n.account_id"
	" WHERE n.mail_state = 'pending' AND n.mail_next_at <= NOW()"
	" ORDER BY n.mail_next_at, n.id LIMIT 1 FOR UPDATE SKIP LOCKED";
static const char SQL_MAIL_SENT[] =
	"UPDATE notification SET mail_state = 'sent', mail_sent_at = NOW(),"
	" mail_attempts = mail_attempts + 1, mail_error = NULL WHERE id = ?";
/* The n-th failure waits 5 n² minutes. */
static const char SQL_MAIL_FAILED[] =
	"UPDATE notification SET mail_attempts = mail_attempts + 1, mail_error = ?,"
	" mail_state = IF(mail_attempts >= ?, 'failed', 'pending'),"
	" mail_next_at = NOW() + INTERVAL 5 * mail_attempts * mail_attempts MINUTE WHERE id = ?";
static const char SQL_MAIL_COUNTS[] =
	"SELECT IFNULL(SUM(mail_state = 'pending'), 0) AS pending,"
	" IFNULL(SUM(mail_state = 'pending' AND mail_attempts > 0), 0) AS retrying,"
	" IFNULL(SUM(mail_state = 'sent'), 0) AS sent, IFNULL(SUM(mail_state = 'failed'), 0) AS failed"
	" FROM notification WHERE mail_state <> 'none'";

int notify_mail_claim(json_object **row)
{
	return db_query_row(row, SQL_MAIL_CLAIM, "");
}

int notify_mail_result(long long id, bool sent, const char *error)
{
	char line[201];
	if (sent)
		return db_exec(SQL_MAIL_SENT, "i", id);
	snprintf(line, sizeof line, "%s", error ? error : "");
	return db_exec(SQL_MAIL_FAILED, "sii", line, (long long)NOTIFY_MAIL_TRIES, id);
}

int notify_mail_counts(json_object **row)
{
	return db_query_row(row, SQL_MAIL_COUNTS, "");
}
