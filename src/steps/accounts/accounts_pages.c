#include "steps/accounts/accounts_pages.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/db.h"
#include "core/export.h"
#include "core/form.h"
#include "core/log.h"
#include "core/once.h"
#include "core/password.h"
#include "core/session.h"
#include "steps/accounts/mfa.h"
#include "steps/accounts/users.h"

#include "core/banned.h"

/* The once_put purpose of a generated password (core/once.h). */
#define ACCOUNTS_ONCE_PASSWORD "account.password"

static const char *const admin_roles[] = { "province", "city", "expert", "supervisor", NULL };

static const struct field_spec new_user_fields[] = {
	{ "login", "用户名", FIELD_LOGIN, true, 32, 0, 0, NULL },
	{ "display_name", "姓名或单位名称", FIELD_LINE, true, 64, 0, 0, NULL },
	{ "role", "角色", FIELD_CHOICE, true, 0, 0, 0, admin_roles },
	{ "city_code", "所属市（地）", FIELD_CITY, false, 0, 0, 0, NULL },
};

static const struct field_spec id_fields[] = {
	{ "id", "账户编号", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
};

static const struct field_spec audit_fields[] = {
	{ "action", "操作", FIELD_LINE, false, 64, 0, 0, NULL },
	{ "login", "用户名", FIELD_LINE, false, 32, 0, 0, NULL },
	{ "from", "起始日期", FIELD_DATE, false, 0, 0, 0, NULL },
	{ "to", "截止日期", FIELD_DATE, false, 0, 0, 0, NULL },
	{ "before", "翻页位置", FIELD_INT, false, 0, 0, 1LL << 53, NULL },
	{ "after", "翻页位置", FIELD_INT, false, 0, 0, 1LL << 53, NULL },
};

/* Rows per page of the audit log and of the online users. */
#define AUDIT_PAGE_ROWS 50
#define SESSIONS_PAGE_ROWS 50
/* Rows of one audit export at most (a month of a busy year fits). */
#define AUDIT_EXPORT_ROWS 10000
/* An account's own live sessions shown on its page (more are on
 * /admin/sessions). */
#define ACCOUNT_SESSIONS_SHOWN 20

static const struct field_spec page_spec = { "page", "页码", FIELD_INT, false, 0, 1, 100000, NULL };

int accounts_page_index(struct ctx *c)
{
	return app_render(c, 200, "admin_index", "系统管理");
}

static const char *const list_roles[] = { "province",   "city",	"expert",
					  "enterprise", "supervisor", NULL };
static const struct field_spec list_fields[] = {
	{ "q", "用户名或姓名/单位", FIELD_LINE, false, 64, 0, 0, NULL },
	{ "role", "角色", FIELD_CHOICE, false, 0, 0, 0, list_roles },
	{ "page", "页码", FIELD_INT, false, 0, 1, 100000, NULL },
};

/*   GET ?q=&role=&page=  200 one page of 50 accounts (by role, then login)
 *                        with how many match; 422 the same with a refused
 *                        filter explained (and not applied) */
int accounts_page_users(struct ctx *c)
{
	struct form f;
	struct users_filter flt;
	json_object *rows = NULL, *role_is = json_object_new_object();
	long long total = 0, npages;
	int rc, status;

	form_init(&f, list_fields, ARRAY_LEN(list_fields));
	status = form_validate_filters(&f, &c->req);
	flt.q = form_str(&f, "q");
	flt.role = form_str(&f, "role");
	flt.page = *form_str(&f, "page") ? form_int(&f, "page") : 1;
	if ((rc = users_list(&flt, &rows, &total)) != DB_OK)
		goto out;
	npages = total ? (total + USERS_PAGE_SIZE - 1) / USERS_PAGE_SIZE : 1;
	if (flt.page > npages) {
		/* Past the end (the list shrank): the last page. */
		flt.page = npages;
		json_object_put(rows);
		if ((rc = users_list(&flt, &rows, &total)) != DB_OK)
			goto out;
	}
	app_set(c, "accounts", rows);
	rows = NULL;
	app_set(c, "total", json_object_new_int64(total));
	app_set(c, "npages", json_object_new_int64(npages));
	app_set(c, "pager", app_pager(flt.page, flt.page < npages));
	app_set_str(c, "q", flt.q);
	app_set_str(c, "role", flt.role);
	if (*flt.role)
		json_object_object_add(role_is, flt.role, json_object_new_boolean(1));
	app_set(c, "role_is", role_is);
	role_is = NULL;
	app_set(c, "filtered", json_object_new_boolean(*flt.q || *flt.role));
	app_set(c, "form", form_json(&f));
	rc = app_render(c, status, "admin_users", "账户管理");
out:
	json_object_put(rows);
	json_object_put(role_is);
	form_release(&f);
	return rc;
}

/* The city options, with the submitted one marked. */
static int set_cities(struct ctx *c, const char *selected)
{
	json_object *rows = NULL;
	int rc = users_city_options(&rows, selected);
	if (rc == DB_OK)
		app_set(c, "cities", rows);
	return rc;
}

static void set_role_flags(struct ctx *c, const char *role)
{
	json_object *o = json_object_new_object();
	if (role && *role)
		json_object_object_add(o, role, json_object_new_boolean(1));
	app_set(c, "role_is", o);
}

/* The generated password goes to the session's one-time store and the
 * browser to the page that shows it (post/redirect/get: a reload repeats
 * nothing, and the password is never in a URL). */
static int show_password_next(struct ctx *c, long long id, const char *password, bool reset)
{
	char to[80];
	int rc = once_put(&c->sess, ACCOUNTS_ONCE_PASSWORD, id, password);
	if (rc != DB_OK)
		return rc;
	snprintf(to, sizeof to, "/admin/user/password?id=%lld%s", id, reset ? "&reset=1" : "");
	return app_redirect(c, to);
}

int accounts_page_user_new(struct ctx *c)
{
	struct form f;
	struct buf pw = BUF_INIT;
	long long id = 0;
	int rc = DB_OK, status = 200;

	form_init(&f, new_user_fields, ARRAY_LEN(new_user_fields));
	if (c->req.method == METHOD_POST) {
		status = 422;
		if (!form_validate(&f, &c->req)) {
			enum role role = role_parse(form_str(&f, "role"));
			const char *city = form_str(&f, "city_code");
			json_object *row = NULL;
			if (role == ROLE_CITY && !*city)
				form_error(&f, "city_code", "市（地）工信局账户须选择所属市（地）。");
			else if (role != ROLE_CITY && *city)
				form_error(&f, "city_code", "只有市（地）工信局账户属于某个市（地）。");
			else if (role == ROLE_CITY && (rc = users_city_known(city)) == 1)
				form_error(&f, "city_code", "所属市（地）无效。");
			if (rc == 1)
				rc = DB_OK;
			if (rc != DB_OK)
				goto out;
			if (!f.errors && (rc = users_find_login(form_str(&f, "login"), &row)) == DB_OK && row)
				form_error(&f, "login", "该用户名已被使用。"), status = 409;
			json_object_put(row);
			if (rc != DB_OK)
				goto out;
			if (!f.errors) {
				struct new_account a = { form_str(&f, "login"), form_str(&f, "display_name"),
							 role, city, NULL, true };
				password_generate(&pw);
				a.password = pw.data;
				rc = users_create(&c->actor, &a, &id);
				if (rc == DB_CONFLICT) {
					/* Raced with another administrator, or a city code that does not exist. */
					form_error(&f, "", "账户未能创建：用户名已存在或所属市（地）无效。");
					status = 409;
					rc = DB_OK;
				}
				if (rc != DB_OK)
					goto out;
			}
			if (id) {
				rc = show_password_next(c, id, pw.data, false);
				goto out;
			}
		}
	}
	if ((rc = set_cities(c, form_str(&f, "city_code"))) != DB_OK)
		goto out;
	set_role_flags(c, form_str(&f, "role"));
	app_set(c, "form", form_json(&f));
	rc = app_render(c, status, "admin_user_new", "新建账户");
out:
	form_release(&f);
	buf_release(&pw);
	return rc;
}

/* Reads and checks ?id= / id=; renders 404 itself when there is no such account. */
static int load_account(struct ctx *c, json_object **row, long long *id)
{
	struct form f;
	int rc;
	*row = NULL;
	form_init(&f, id_fields, ARRAY_LEN(id_fields));
	if (form_validate(&f, &c->req)) {
		form_release(&f);
		return app_fail(c, 404, "账户编号无效。");
	}
	*id = form_int(&f, "id");
	form_release(&f);
	rc = users_get(*id, row);
	if (rc == DB_OK && !*row)
		return app_fail(c, 404, "账户不存在。");
	return rc;
}

/* The row of the session making this request says so (it is not ended
 * from the list: that is what 退出 is for).  Every row gets the key, true
 * or false: a missing one would be looked up in the enclosing sections
 * ({{#sessions.0}} is the first row), which marked every row once. */
static void mark_current(json_object *sessions, long long current_id)
{
	for (size_t i = 0; i < json_object_array_length(sessions); i++) {
		json_object *r = json_object_array_get_idx(sessions, i);
		json_object_object_add(r, "current",
				       json_object_new_boolean(db_int(r, "id", 0) == current_id));
	}
}

int accounts_page_user(struct ctx *c)
{
	json_object *row;
	long long id;
	int rc = load_account(c, &row, &id);
	if (rc || !row)
		return rc;
	json_object *sessions = NULL;
	rc = session_list_live(&sessions, id, ACCOUNT_SESSIONS_SHOWN, 0);
	if (rc != DB_OK) {
		json_object_put(row);
		return rc;
	}
	json_object *mfa = NULL;
	if ((rc = mfa_status(id, &mfa)) != DB_OK) {
		json_object_put(row);
		json_object_put(sessions);
		return rc;
	}
	app_set(c, "mfa", mfa);
	app_set(c, "back_to_user", json_object_new_boolean(1)); /* session_end.html */
	app_set(c, "sessions_more",
		json_object_new_boolean(db_trim_page(sessions, ACCOUNT_SESSIONS_SHOWN)));
	mark_current(sessions, c->sess.id);
	app_set(c, "sessions", sessions);
	app_set(c, "account", row);
	app_set(c, "is_self", json_object_new_boolean(id == c->user.id));
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "操作已完成。");
	return app_render(c, 200, "admin_user", "账户详情");
}

int accounts_page_user_reset(struct ctx *c)
{
	json_object *row;
	long long id;
	struct buf pw = BUF_INIT;
	int rc = load_account(c, &row, &id);
	if (rc || !row)
		return rc;
	password_generate(&pw);
	rc = users_reset_password(&c->actor, id, pw.data);
	if (rc == DB_OK)
		rc = show_password_next(c, id, pw.data, true);
	json_object_put(row);
	buf_release(&pw);
	return rc;
}

/*   GET ?id=N  200 the password generated for account N by this session
 *              (new account, or &reset=1 a reset), once; a second view, a
 *              timed-out one or another session's: 200 saying it is not
 *              shown any more; 404 no such account */
int accounts_page_user_password(struct ctx *c)
{
	json_object *row;
	long long id;
	struct buf pw = BUF_INIT;
	enum once_state state;
	bool reset = request_param(&c->req, "reset") != NULL;
	int rc = load_account(c, &row, &id);
	if (rc || !row)
		return rc;
	rc = once_take(&c->sess, ACCOUNTS_ONCE_PASSWORD, id, &pw, &state);
	if (rc == DB_OK) {
		app_set_str(c, "login", db_str(row, "login", ""));
		app_set(c, "id", json_object_new_int64(id));
		app_set(c, "reset", json_object_new_boolean(reset));
		if (state == ONCE_SHOWN_NOW)
			app_set_str(c, "initial_password", pw.data);
		else if (state == ONCE_SHOWN_BEFORE)
			app_set_str(c, "gone", "该密码已经显示过一次，不再显示。如未记下，请在账户详情中重新重置密码。");
		else
			app_set_str(c, "gone", "没有待显示的密码：密码只在生成它的这次登录中显示一次。如需新密码，请在账户详情中重置密码。");
		rc = app_render(c, 200, "admin_user_created",
				reset ? "密码已重置" : "账户已创建");
	}
	json_object_put(row);
	if (pw.len)
		sodium_memzero(pw.data, pw.len);
	buf_release(&pw);
	return rc;
}

/* The administrator's actions on one account (POST id=N): each answers 303
 * back to the account's page, 404 for an unknown account, 409 for one that
 * may not be done to one's own. */
enum account_act {
	ACT_DISABLE,
	ACT_ENABLE,
	ACT_UNLOCK,
	ACT_END_SESSIONS, /* every session of the account */
	ACT_TOTP_REQUIRE, /* required=1|0: the second factor required of it */
	ACT_TOTP_RESET,   /* its second factor reset (a lost phone) */
};

static const struct field_spec require_fields[] = {
	{ "id", "账户编号", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "required", "是否要求", FIELD_INT, true, 0, 0, 1, NULL },
};

static int account_action(struct ctx *c, enum account_act act)
{
	static const char *const not_self[] = {
		[ACT_DISABLE] = "不能停用自己的账户。",
		[ACT_END_SESSIONS] = "不能结束自己账户的全部会话：请使用页面右上角的“退出”。",
		[ACT_TOTP_RESET] = "不能重置自己的动态口令：请由另一位管理员操作。",
	};
	json_object *row;
	long long id, ended;
	bool required = false;
	int rc = load_account(c, &row, &id);
	if (rc || !row)
		return rc;
	json_object_put(row);
	if (id == c->user.id && not_self[act])
		return app_fail(c, 409, not_self[act]);
	if (act == ACT_TOTP_REQUIRE) {
		struct form f;
		form_init(&f, require_fields, ARRAY_LEN(require_fields));
		bool bad = form_validate(&f, &c->req) != 0;
		required = form_int(&f, "required") == 1;
		form_release(&f);
		if (bad)
			return app_fail(c, 422, "请选择是否要求使用动态口令。");
	}
	switch (act) {
	case ACT_DISABLE: rc = users_set_disabled(&c->actor, id, true); break;
	case ACT_ENABLE: rc = users_set_disabled(&c->actor, id, false); break;
	case ACT_UNLOCK: rc = users_unlock(&c->actor, id); break;
	case ACT_END_SESSIONS: rc = users_end_sessions(&c->actor, id, &ended); break;
	case ACT_TOTP_REQUIRE: rc = mfa_set_required(&c->actor, id, required); break;
	case ACT_TOTP_RESET: rc = mfa_reset(&c->actor, id); break;
	}
	return rc != DB_OK ? rc : app_redirectf(c, "/admin/user?id=%lld&done=1", id);
}

int accounts_page_user_disable(struct ctx *c)
{
	return account_action(c, ACT_DISABLE);
}

int accounts_page_user_enable(struct ctx *c)
{
	return account_action(c, ACT_ENABLE);
}

int accounts_page_user_unlock(struct ctx *c)
{
	return account_action(c, ACT_UNLOCK);
}

/*   POST id=N  ends every session of account N (not one's own: 409, use 退出) */
int accounts_page_user_sessions_end(struct ctx *c)
{
	return account_action(c, ACT_END_SESSIONS);
}

/*   POST id=N&required=1|0  the second factor required of account N (or no
 *        longer, beyond its role's rule); 422 without required */
int accounts_page_user_totp_require(struct ctx *c)
{
	return account_action(c, ACT_TOTP_REQUIRE);
}

/*   POST id=N  resets account N's second factor (lost phone): its secret and
 *        recovery codes deleted, its sessions ended; 409 one's own */
int accounts_page_user_totp_reset(struct ctx *c)
{
	return account_action(c, ACT_TOTP_RESET);
}

/* The audit viewer's filter from the query (the form keeps the input; f.errors). */
static void read_audit_filter(struct ctx *c, struct form *f, struct audit_filter *filter)
{
	form_init(f, audit_fields, ARRAY_LEN(audit_fields));
	form_validate(f, &c->req);
	filter->action_prefix = form_str(f, "action");
	filter->login = form_str(f, "login");
	filter->from = form_str(f, "from");
	filter->to = form_str(f, "to");
	filter->before_id = form_int(f, "before");
	filter->after_id = filter->before_id ? 0 : form_int(f, "after");
}

/*   GET ?action=&login=&from=&to=  200 the newest AUDIT_PAGE_ROWS rows that
 *       match, newest first; &before=ID the page of older rows, &after=ID
 *       the page of newer ones (keyset paging: "下一页" older, "上一页"
 *       newer); 422 with the reasons (and no rows) for a bad filter */
int accounts_page_audit(struct ctx *c)
{
	struct form f;
	json_object *rows = NULL;
	struct audit_filter filter;
	bool more = false, matched = false;
	int rc;
	size_t n;

	read_audit_filter(c, &f, &filter);
	filter.limit = AUDIT_PAGE_ROWS;
	if (f.errors) {
		/* Show the reasons, and no rows rather than unfiltered ones. */
		rows = json_object_new_array();
		rc = DB_OK;
	} else {
		rc = audit_list(&rows, &filter, &more);
	}
	if (rc == DB_OK) {
		n = json_object_array_length(rows);
		/* Older rows: beyond a full page read from the newest or older;
		 * always behind a page of newer ones.  Newer rows: always before a
		 * page of older ones; beyond a full page of newer ones. */
		if (n && (filter.after_id ? true : more))
			app_set(c, "next_before",
				json_object_new_int64(db_int(json_object_array_get_idx(rows, n - 1), "id", 0)));
		if (n && (filter.after_id ? more : filter.before_id > 0))
			app_set(c, "prev_after",
				json_object_new_int64(db_int(json_object_array_get_idx(rows, 0), "id", 0)));
		if (!n && (filter.before_id || filter.after_id))
			app_set_str(c, "first_page", "1");
		app_set(c, "action_groups", audit_action_choices(form_str(&f, "action"), &matched));
		if (!matched && *form_str(&f, "action"))
			app_set_str(c, "action_other", form_str(&f, "action"));
		app_set(c, "rows", rows);
		app_set(c, "form", form_json(&f));
		rc = app_render(c, f.errors ? 422 : 200, "admin_audit", "审计日志");
	}
	form_release(&f);
	return rc;
}

/*   GET ?page=N  200 the live sessions (在线用户), most recently active
 *                first, SESSIONS_PAGE_ROWS a page; ?ended=1 after an end */
int accounts_page_sessions(struct ctx *c)
{
	long long page = form_param_int(&c->req, &page_spec), sessions = 0, accounts = 0;
	json_object *rows = NULL;
	int rc;
	if (page < 1)
		page = 1;
	if ((rc = session_count_live(&sessions, &accounts)) != DB_OK ||
	    (rc = session_list_live(&rows, 0, SESSIONS_PAGE_ROWS, (page - 1) * SESSIONS_PAGE_ROWS)) !=
		    DB_OK)
		return rc;
	app_set(c, "pager", app_pager(page, db_trim_page(rows, SESSIONS_PAGE_ROWS)));
	mark_current(rows, c->sess.id);
	app_set(c, "sessions", rows);
	app_set(c, "count_sessions", json_object_new_int64(sessions));
	app_set(c, "count_accounts", json_object_new_int64(accounts));
	app_set(c, "idle_minutes", json_object_new_int64((session_idle_seconds() + 59) / 60));
	app_set(c, "max_hours", json_object_new_int64((session_max_seconds() + 3599) / 3600));
	if (request_param(&c->req, "ended"))
		app_set_str(c, "notice", "会话已结束：该用户下次操作时须重新登录。");
	return app_render(c, 200, "admin_sessions", "在线用户");
}

static const struct field_spec session_id_fields[] = {
	{ "session", "会话编号", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "back", "返回页面", FIELD_CHOICE, false, 0, 0, 0, (const char *const[]){ "user", NULL } },
};

/*   POST session=N[&back=user]  ends session N: 303 to /admin/sessions?ended=1
 *        (back=user: to the account's page); 404 no such live session;
 *        409 the session making the request (use 退出) */
int accounts_page_session_end(struct ctx *c)
{
	struct form f;
	long long account_id = 0;
	int rc;
	form_init(&f, session_id_fields, ARRAY_LEN(session_id_fields));
	if (form_validate(&f, &c->req)) {
		form_release(&f);
		return app_fail(c, 404, "会话编号无效。");
	}
	long long id = form_int(&f, "session");
	bool back_to_user = !strcmp(form_str(&f, "back"), "user");
	form_release(&f);
	if (id == c->sess.id)
		return app_fail(c, 409, "这是您当前的会话：请使用页面右上角的“退出”。");
	if ((rc = users_end_session(&c->actor, id, &account_id)) != DB_OK)
		return rc;
	if (!account_id)
		return app_fail(c, 404, "该会话不存在或已经结束。");
	if (back_to_user) {
		char to[64];
		snprintf(to, sizeof to, "/admin/user?id=%lld&done=1", account_id);
		return app_redirect(c, to);
	}
	return app_redirect(c, "/admin/sessions?ended=1");
}

static const struct export_column audit_columns[] = {
	{ "id", "编号", 10, EXPORT_INT, false },
	{ "at", "时间", 20, EXPORT_TEXT, false },
	{ "login", "用户名", 16, EXPORT_TEXT, false },
	{ "role_label", "角色", 14, EXPORT_TEXT, false },
	{ "ip", "IP 地址", 16, EXPORT_TEXT, false },
	{ "action_label", "操作", 24, EXPORT_TEXT, false },
	{ "action", "操作代码", 24, EXPORT_TEXT, false },
	{ "object_label", "对象类型", 12, EXPORT_TEXT, false },
	{ "object_id", "对象编号", 12, EXPORT_TEXT, false },
	{ "summary", "摘要", 60, EXPORT_TEXT, true },
};

/*   GET ?action=&login=&from=&to=  the matching rows, newest first, as CSV
 *       (for the supervisor's review); at most AUDIT_EXPORT_ROWS: 422 when
 *       more match (narrow the dates), 422 for a bad filter.  The export is
 *       an audit record itself. */
int accounts_page_audit_csv(struct ctx *c)
{
	struct form f;
	struct audit_filter filter;
	json_object *rows = NULL;
	struct buf err = BUF_INIT, what = BUF_INIT;
	bool more = false;
	int rc;

	read_audit_filter(c, &f, &filter);
	filter.before_id = filter.after_id = 0;
	filter.limit = AUDIT_EXPORT_ROWS;
	if (f.errors) {
		form_release(&f);
		return app_fail(c, 422, "筛选条件有误，请返回审计日志页面修改后再导出。");
	}
	rc = audit_list(&rows, &filter, &more);
	if (rc == DB_OK && more) {
		json_object_put(rows);
		form_release(&f);
		return app_fail(c, 422, "符合条件的记录超过1万条：请缩小日期范围后分次导出。");
	}
	buf_addf(&what, "导出审计日志 %zu 条（操作：%s；用户名：%s；日期：%s 至 %s）",
		 rows ? json_object_array_length(rows) : 0, *filter.action_prefix ? filter.action_prefix : "全部",
		 *filter.login ? filter.login : "全部", *filter.from ? filter.from : "不限",
		 *filter.to ? filter.to : "不限");
	/* The log leaves the system: recorded before it goes. */
	if (rc == DB_OK && (rc = db_begin()) == DB_OK)
		rc = audit_commit(DB_OK, &c->actor, "audit.export", NULL, NULL, what.data);
	if (rc == DB_OK && export_respond(&c->resp, true, "审计日志", "审计日志", audit_columns,
					  ARRAY_LEN(audit_columns), rows, &err)) {
		log_err("audit export: %s", err.data ? err.data : "");
		rc = DB_ERROR;
	}
	json_object_put(rows);
	form_release(&f);
	buf_release(&err);
	buf_release(&what);
	return rc;
}
