#include "steps/accounts/users.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/password.h"
#include "core/session.h"
#include "core/banned.h"

static const char SQL_AUTH[] =
	"SELECT id, role, password_hash, failed_logins, disabled,"
	" (locked_until IS NOT NULL AND locked_until > NOW()) AS locked,"
	" (locked_until IS NOT NULL AND locked_until <= NOW()) AS lock_expired,"
	" IFNULL(DATE_FORMAT(last_login_at, '%Y-%m-%d %H:%i:%s'), '') AS last_login_at,"
	" IFNULL(last_login_ip, '') AS last_login_ip"
	" FROM account WHERE login = ? FOR UPDATE";
/* The new count and whether it locks are computed (users_failure_count,
 * users_failure_locks) from the row locked FOR UPDATE above. */
static const char SQL_FAIL[] =
	"UPDATE account SET failed_logins = ?,"
	" locked_until = IF(?, NOW() + INTERVAL ? MINUTE, NULL) WHERE id = ?";
static const char SQL_OK[] =
	"UPDATE account SET failed_logins = 0, locked_until = NULL, last_login_at = NOW(),"
	" last_login_ip = ? WHERE id = ?";
static const char SQL_REHASH[] = "UPDATE account SET password_hash = ? WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO account (login, display_name, role, city_code, password_hash,"
	" must_change_password, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, NOW())";
static const char SQL_HASH_OF[] =
	"SELECT login, password_hash, failed_logins,"
	" (locked_until IS NOT NULL AND locked_until > NOW()) AS locked,"
	" (locked_until IS NOT NULL AND locked_until <= NOW()) AS lock_expired"
	" FROM account WHERE id = ? FOR UPDATE";
static const char SQL_SET_PW[] =
	"UPDATE account SET password_hash = ?, must_change_password = ?, failed_logins = 0,"
	" locked_until = NULL, password_changed_at = NOW() WHERE id = ?";
static const char SQL_DISABLE[] = "UPDATE account SET disabled = ? WHERE id = ?";
static const char SQL_SET_EMAIL[] = "UPDATE account SET email = ? WHERE id = ?";
static const char SQL_UNLOCK[] =
	"UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = ?";
#define ACCOUNT_COLUMNS                                                                          \
	"a.id, a.login, a.display_name, a.role, IFNULL(a.city_code, '') AS city_code,"          \
	" ELT(FIELD(a.role, 'province', 'city', 'expert', 'enterprise', 'supervisor'), '省工信厅',"\
	" '市（地）工信局', '评审专家', '申报企业', '纪检监督') AS role_label,"                    \
	" IFNULL(c.name, '') AS city_name, a.disabled, a.must_change_password,"                 \
	" (a.locked_until IS NOT NULL AND a.locked_until > NOW()) AS locked, a.failed_logins,"  \
	" DATE_FORMAT(a.created_at, '%Y-%m-%d %H:%i') AS created_at,"                          \
	" IFNULL(DATE_FORMAT(a.last_login_at, '%Y-%m-%d %H:%i'), '') AS last_login_at,"         \
	" IFNULL(a.last_login_ip, '') AS last_login_ip"                                          \
	" FROM account a LEFT JOIN city c ON c.code = a.city_code"
#define LIST_WHERE                                                                       \
	" WHERE (? = '' OR a.role = ?) AND (? = '' OR a.login LIKE ? OR a.display_name LIKE ?)"
static const char SQL_LIST[] =
	"SELECT " ACCOUNT_COLUMNS LIST_WHERE " ORDER BY a.role, a.login LIMIT ? OFFSET ?";
static const char SQL_LIST_COUNT[] = "SELECT COUNT(*) AS n FROM account a" LIST_WHERE;
static const char SQL_GET[] = "SELECT " ACCOUNT_COLUMNS " WHERE a.id = ?";
static const char SQL_FIND[] = "SELECT " ACCOUNT_COLUMNS " WHERE a.login = ?";
static const char SQL_CITY_KNOWN[] = "SELECT code FROM city WHERE code = ? AND active = 1";
static const char SQL_CITIES[] =
	"SELECT code, name FROM city WHERE active = 1 ORDER BY sort_order, code";

long long users_failure_count(long long failed_logins, bool lock_expired)
{
	return (lock_expired ? 0 : failed_logins) + 1;
}

bool users_failure_locks(long long failures)
{
	return failures >= LOGIN_MAX_FAILURES;
}

enum login_verdict users_login_verdict(bool locked, bool password_right, bool disabled)
{
	if (locked)
		return LOGIN_VERDICT_LOCKED;
	if (!password_right)
		return LOGIN_VERDICT_WRONG_PASSWORD;
	if (disabled)
		return LOGIN_VERDICT_DISABLED;
	return LOGIN_VERDICT_OK;
}

const char *users_new_password_error(const char *old_pw, const char *new_pw, const char *login)
{
	if (!strcmp(old_pw, new_pw))
		return "新密码不能与当前密码相同。";
	return password_policy_error(new_pw, login);
}

void users_create_summary(struct buf *out, const struct new_account *a)
{
	bool city = a->role == ROLE_CITY;
	buf_addf(out, "创建账户 %s（%s%s%s）", a->login, role_label(a->role), city ? " " : "",
		 city ? a->city_code : "");
}

/* A valid hash of a random password: unknown logins cost the same time as
 * known ones, so response times do not reveal which logins exist. */
static const char *dummy_hash(void)
{
	static char hash[256];
	if (!hash[0]) {
		struct buf b = BUF_INIT, pw = BUF_INIT;
		password_generate(&pw);
		if (password_hash(pw.data, &b) == 0)
			snprintf(hash, sizeof hash, "%s", b.data);
		buf_release(&b);
		buf_release(&pw);
	}
	return hash;
}

/* Write the audit record and commit, or roll back. */
static int finish(int rc, const struct actor *who, const char *action, long long id,
		  const char *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, "account", id ? oid : NULL, summary);
}

int users_count_failure(const struct actor *who, long long id, json_object *row,
			const char *action, const char *what, bool *locked)
{
	long long failures =
		users_failure_count(db_int(row, "failed_logins", 0), db_int(row, "lock_expired", 0));
	struct buf summary = BUF_INIT;
	char oid[24];
	*locked = users_failure_locks(failures);
	int rc = db_exec(SQL_FAIL, "iiii", failures, (long long)*locked,
			 (long long)LOGIN_LOCK_MINUTES, id);
	snprintf(oid, sizeof oid, "%lld", id);
	buf_addf(&summary, "%s（连续第%lld次）", what, failures);
	if (rc == DB_OK)
		rc = audit_write(who, action, "account", oid, summary.data);
	if (rc == DB_OK && *locked) {
		buf_reset(&summary);
		buf_addf(&summary, "连续%d次密码错误（登录或修改密码），账户锁定%d分钟",
			 LOGIN_MAX_FAILURES, LOGIN_LOCK_MINUTES);
		rc = audit_write(who, "account.lock", "account", oid, summary.data);
	}
	buf_release(&summary);
	return rc;
}

int users_authenticate(const char *login, const char *password, const char *ip,
		       enum login_result *result, long long *account_id, struct login_prev *prev)
{
	json_object *row = NULL;
	struct actor who = { 0, login[0] ? login : NULL, "public", ip };
	long long id;
	int rc;

	*result = LOGIN_BAD;
	*account_id = 0;
	memset(prev, 0, sizeof *prev);
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if (login[0] && (rc = db_query_row(&row, SQL_AUTH, "s", login)) != DB_OK) {
		db_rollback();
		return rc;
	}
	if (!row) {
		password_verify(dummy_hash(), password);
		/* Nobody's account: bounded like a refusal (per name and address,
		 * and per address), so a flood of made-up names cannot grow the
		 * audit table without bound; the rest are counted. */
		return audit_refusal(&who, "login.fail", "/login", "account", NULL,
				     "登录失败：用户名不存在");
	}
	id = db_int(row, "id", 0);
	who.user_id = id;
	who.role = db_str(row, "role", "public"); /* the account's role, once known */
	/* Verified even while locked, for the time it takes; while locked the
	 * outcome is not used: every attempt answers as an unknown login does,
	 * so neither the lock nor a right guess shows. */
	bool right = password_verify(db_str(row, "password_hash", ""), password);
	enum login_verdict verdict =
		users_login_verdict(db_int(row, "locked", 0), right, db_int(row, "disabled", 0));
	if (verdict == LOGIN_VERDICT_LOCKED) {
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", id);
		rc = audit_refusal(&who, "refused.locked", "/login", "account", oid,
				   "POST /login：账户处于锁定期，登录被拒绝");
	} else if (verdict == LOGIN_VERDICT_WRONG_PASSWORD) {
		bool locked;
		rc = users_count_failure(&who, id, row, "login.fail", "登录失败：密码错误", &locked);
		rc = db_finish(rc);
	} else if (verdict == LOGIN_VERDICT_DISABLED) {
		/* Told only to whoever knows the password. */
		*result = LOGIN_DISABLED;
		rc = finish(DB_OK, &who, "login.fail", id, "登录失败：账户已停用");
	} else {
		rc = db_exec(SQL_OK, "si", ip, id);
		if (rc == DB_OK && password_needs_rehash(db_str(row, "password_hash", ""))) {
			struct buf h = BUF_INIT;
			if (password_hash(password, &h) == 0)
				rc = db_exec(SQL_REHASH, "si", h.data, id);
			buf_release(&h);
		}
		rc = finish(rc, &who, "login.ok", id, "登录成功");
		if (rc == DB_OK) {
			*result = LOGIN_OK;
			*account_id = id;
			snprintf(prev->at, sizeof prev->at, "%s", db_str(row, "last_login_at", ""));
			snprintf(prev->ip, sizeof prev->ip, "%s", db_str(row, "last_login_ip", ""));
		}
	}
	json_object_put(row);
	return rc;
}

int users_confirm(const char *login, const char *password, const char *ip, enum role need,
		  const char *what, enum login_result *result, long long *account_id)
{
	json_object *row = NULL;
	struct actor who = { 0, login[0] ? login : NULL, "public", ip };
	struct buf summary = BUF_INIT;
	int rc;

	*result = LOGIN_BAD;
	*account_id = 0;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if (login[0] && (rc = db_query_row(&row, SQL_AUTH, "s", login)) != DB_OK) {
		db_rollback();
		return rc;
	}
	if (!row) {
		password_verify(dummy_hash(), password);
		buf_addf(&summary, "%s失败：用户名不存在", what);
		rc = finish(DB_OK, &who, "confirm.fail", 0, summary.data);
		buf_release(&summary);
		return rc;
	}
	long long id = db_int(row, "id", 0);
	who.user_id = id;
	who.role = db_str(row, "role", "public");
	bool right = password_verify(db_str(row, "password_hash", ""), password);
	enum login_verdict verdict =
		users_login_verdict(db_int(row, "locked", 0), right, db_int(row, "disabled", 0));
	if (verdict == LOGIN_VERDICT_LOCKED) {
		buf_addf(&summary, "%s失败：账户处于锁定期", what);
		rc = finish(DB_OK, &who, "confirm.fail", id, summary.data);
	} else if (verdict == LOGIN_VERDICT_WRONG_PASSWORD) {
		bool locked;
		buf_addf(&summary, "%s失败：密码错误", what);
		rc = db_finish(users_count_failure(&who, id, row, "confirm.fail", summary.data, &locked));
	} else if (verdict == LOGIN_VERDICT_DISABLED || role_parse(db_str(row, "role", "")) != need) {
		buf_addf(&summary, "%s失败：%s", what,
			 verdict == LOGIN_VERDICT_DISABLED ? "账户已停用" : "该账户不是所需角色");
		rc = finish(DB_OK, &who, "confirm.fail", id, summary.data);
	} else {
		/* A right password ends a run of failures, as a login does. */
		rc = db_exec(SQL_UNLOCK, "i", id);
		rc = db_finish(rc);
		if (rc == DB_OK) {
			*result = LOGIN_OK;
			*account_id = id;
		}
	}
	buf_release(&summary);
	json_object_put(row);
	return rc;
}

int users_insert(const struct new_account *a, const char *password_hash, long long *id_out)
{
	int rc = db_exec(SQL_INSERT, "sssssi", a->login, a->display_name, role_name(a->role),
			 a->role == ROLE_CITY ? a->city_code : NULL, password_hash,
			 (long long)(a->must_change ? 1 : 0));
	*id_out = rc == DB_OK ? db_insert_id() : 0;
	return rc;
}

int users_create(const struct actor *who, const struct new_account *a, long long *id_out)
{
	struct buf hash = BUF_INIT, summary = BUF_INIT;
	int rc;
	*id_out = 0;
	if (password_hash(a->password, &hash))
		return DB_ERROR;
	if ((rc = db_begin()) != DB_OK) {
		buf_release(&hash);
		return rc;
	}
	rc = users_insert(a, hash.data, id_out);
	users_create_summary(&summary, a);
	rc = finish(rc, who, "account.create", *id_out, summary.data);
	if (rc != DB_OK)
		*id_out = 0;
	buf_release(&hash);
	buf_release(&summary);
	return rc;
}

static const char LOCKED_MESSAGE[] =
	"密码连续输错次数过多，账户已锁定15分钟：锁定期间不能修改密码，也不能重新登录。"
	"请稍后再试，或联系管理员解锁。";

int users_change_password(const struct actor *who, long long account_id, const char *old_pw,
			  const char *new_pw, const char *keep_session, const char **message,
			  bool *locked)
{
	json_object *row = NULL;
	struct buf hash = BUF_INIT;
	int rc;
	*message = NULL;
	*locked = false;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = db_query_row(&row, SQL_HASH_OF, "i", account_id)) != DB_OK || !row) {
		db_rollback();
		return rc == DB_OK ? DB_ERROR : rc;
	}
	if (db_int(row, "locked", 0)) {
		/* Not checked at all: the form must not go on guessing. */
		*message = LOCKED_MESSAGE;
		*locked = true;
		rc = finish(DB_OK, who, "account.password_change_fail", account_id,
			    "修改密码失败：账户处于锁定期");
		json_object_put(row);
		return rc;
	}
	if (!password_verify(db_str(row, "password_hash", ""), old_pw)) {
		/* The change is refused, the failure is committed. */
		rc = users_count_failure(who, account_id, row, "account.password_change_fail",
				   "修改密码失败：当前密码错误", locked);
		rc = db_finish(rc);
		*message = *locked ? LOCKED_MESSAGE : "当前密码不正确。";
		json_object_put(row);
		return rc;
	}
	if ((*message = users_new_password_error(old_pw, new_pw, db_str(row, "login", NULL))) ==
	    NULL) {
		if (password_hash(new_pw, &hash))
			rc = DB_ERROR;
		if (rc == DB_OK)
			rc = db_exec(SQL_SET_PW, "sii", hash.data, 0LL, account_id);
		if (rc == DB_OK)
			rc = session_destroy_account(account_id, keep_session);
		rc = finish(rc, who, "account.password_change", account_id, "修改密码");
	}
	if (*message)
		db_rollback();
	json_object_put(row);
	buf_release(&hash);
	return rc;
}

int users_reset_password(const struct actor *who, long long account_id, const char *new_pw)
{
	struct buf hash = BUF_INIT;
	int rc;
	if (password_hash(new_pw, &hash))
		return DB_ERROR;
	if ((rc = db_begin()) != DB_OK) {
		buf_release(&hash);
		return rc;
	}
	rc = db_exec(SQL_SET_PW, "sii", hash.data, 1LL, account_id);
	if (rc == DB_OK && db_affected_rows() == 0)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = session_destroy_account(account_id, NULL);
	rc = finish(rc, who, "account.password_reset", account_id, "重置密码（下次登录须修改）");
	buf_release(&hash);
	return rc;
}

int users_set_disabled(const struct actor *who, long long account_id, bool disabled)
{
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(SQL_DISABLE, "ii", (long long)disabled, account_id);
	if (rc == DB_OK && disabled)
		rc = session_destroy_account(account_id, NULL);
	return finish(rc, who, disabled ? "account.disable" : "account.enable", account_id,
		      disabled ? "停用账户" : "启用账户");
}

int users_unlock(const struct actor *who, long long account_id)
{
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(SQL_UNLOCK, "i", account_id);
	return finish(rc, who, "account.unlock", account_id, "解除登录锁定");
}

int users_set_email(const struct actor *who, long long account_id, const char *email)
{
	struct buf summary = BUF_INIT;
	bool clear = !email || !*email;
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(SQL_SET_EMAIL, "si", clear ? NULL : email, account_id);
	if (clear)
		buf_addf(&summary, "清除通知邮箱");
	else
		buf_addf(&summary, "设置通知邮箱：%s", email);
	rc = finish(rc, who, "account.email", account_id, summary.data);
	buf_release(&summary);
	return rc;
}

int users_end_session(const struct actor *who, long long session_id, long long *account_id)
{
	struct buf summary = BUF_INIT;
	int rc = db_begin();
	*account_id = 0;
	if (rc != DB_OK)
		return rc;
	rc = session_end_by_id(session_id, account_id);
	if (rc != DB_OK || !*account_id) {
		db_rollback();
		return rc;
	}
	buf_addf(&summary, "管理员结束会话（编号%lld）", session_id);
	rc = finish(rc, who, "session.end_one", *account_id, summary.data);
	buf_release(&summary);
	return rc;
}

int users_end_sessions(const struct actor *who, long long account_id, long long *ended)
{
	struct buf summary = BUF_INIT;
	int rc = db_begin();
	*ended = 0;
	if (rc != DB_OK)
		return rc;
	rc = session_destroy_account(account_id, NULL);
	if (rc == DB_OK)
		*ended = db_affected_rows();
	buf_addf(&summary, "管理员结束该账户的全部会话（%lld个）", *ended);
	rc = finish(rc, who, "session.end_all", account_id, summary.data);
	buf_release(&summary);
	return rc;
}

int users_list(const struct users_filter *f, json_object **rows, long long *total)
{
	const char *q = f->q ? f->q : "", *role = f->role ? f->role : "";
	long long page = f->page < 1 ? 1 : f->page;
	json_object *count = NULL;
	struct buf pat = BUF_INIT;
	int rc;

	*rows = NULL;
	db_like_anywhere(q, &pat);
	rc = db_query_row(&count, SQL_LIST_COUNT, "sssss", role, role, q, pat.data, pat.data);
	*total = db_int(count, "n", 0);
	if (rc == DB_OK)
		rc = db_query(rows, SQL_LIST, "sssssii", role, role, q, pat.data, pat.data,
			      (long long)USERS_PAGE_SIZE, (page - 1) * USERS_PAGE_SIZE);
	json_object_put(count);
	buf_release(&pat);
	return rc;
}

int users_get(long long account_id, json_object **row)
{
	return db_query_row(row, SQL_GET, "i", account_id);
}

int users_find_login(const char *login, json_object **row)
{
	return db_query_row(row, SQL_FIND, "s", login);
}

int users_cities(json_object **rows)
{
	return db_query(rows, SQL_CITIES, "");
}

int users_city_options(json_object **rows, const char *selected)
{
	int rc = users_cities(rows);
	for (size_t i = 0; rc == DB_OK && selected && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		if (!strcmp(db_str(r, "code", ""), selected))
			json_object_object_add(r, "selected", json_object_new_boolean(1));
	}
	return rc;
}

int users_city_known(const char *code)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_CITY_KNOWN, "s", code);
	if (rc == DB_OK && !row)
		rc = 1;
	json_object_put(row);
	return rc;
}
