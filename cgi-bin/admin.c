/* admin: the province administrator's pages — accounts and the audit log.
 *
 *   GET  /admin                  index
 *   GET  /admin/users            all accounts
 *   GET  /admin/users/new        form;  POST: 200 with the initial password,
 *                                422 with reasons, 409 login taken
 *   GET  /admin/user?id=N        one account and its actions (404 unknown)
 *   POST /admin/user/reset       new temporary password (forced change)
 *   POST /admin/user/disable|enable|unlock   303 back to the account
 *   GET  /admin/audit            the audit log, filtered and paged
 *   GET  /admin/rounds, /admin/rounds/new, /admin/round?id=N, /admin/round/edit
 *                                the selection rounds (statuses: src/rounds_pages.h)
 *   GET  /admin/uscc             credit codes accepted despite a failing check character
 *   POST /admin/uscc/add|remove  303 back; 422 with the reason (a code that is
 *                                valid anyway or wrong elsewhere); 409 recorded already
 *   GET  /admin/calendar?year=Y  the working-day calendar of a year (month grids)
 *   POST /admin/calendar/add|edit|remove   303 back to the year; 422 with the
 *                                reason and the input kept; 409 date taken
 * Every page: 403 for any role but province.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "calendar.h"
#include "enterprise.h"
#include "calendar_view.h"
#include "civil_date.h"
#include "db.h"
#include "form.h"
#include "log.h"
#include "password.h"
#include "rounds_pages.h"
#include "users.h"
#include "banned.h"

static const char *const admin_roles[] = { "province", "city", "expert", NULL };

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
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int page_index(struct ctx *c)
{
	return app_render(c, 200, "admin_index", "系统管理");
}

static int page_users(struct ctx *c)
{
	json_object *rows = NULL;
	int rc = users_list(&rows);
	if (rc != DB_OK)
		return rc;
	app_set(c, "accounts", rows);
	return app_render(c, 200, "admin_users", "账户管理");
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

static int page_user_new(struct ctx *c)
{
	struct form f;
	struct buf pw = BUF_INIT;
	long long id = 0;
	int rc = DB_OK, status = 200;

	form_init(&f, new_user_fields, N(new_user_fields));
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
				app_set_str(c, "login", form_str(&f, "login"));
				app_set_str(c, "initial_password", pw.data);
				app_set(c, "id", json_object_new_int64(id));
				rc = app_render(c, 200, "admin_user_created", "账户已创建");
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
	form_init(&f, id_fields, N(id_fields));
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

static int page_user(struct ctx *c)
{
	json_object *row;
	long long id;
	int rc = load_account(c, &row, &id);
	if (rc || !row)
		return rc;
	app_set(c, "account", row);
	app_set(c, "is_self", json_object_new_boolean(id == c->user.id));
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "操作已完成。");
	return app_render(c, 200, "admin_user", "账户详情");
}

static int page_user_reset(struct ctx *c)
{
	json_object *row;
	long long id;
	struct buf pw = BUF_INIT;
	int rc = load_account(c, &row, &id);
	if (rc || !row)
		return rc;
	password_generate(&pw);
	rc = users_reset_password(&c->actor, id, pw.data);
	if (rc == DB_OK) {
		app_set_str(c, "login", db_str(row, "login", ""));
		app_set_str(c, "initial_password", pw.data);
		app_set(c, "id", json_object_new_int64(id));
		app_set(c, "reset", json_object_new_boolean(1));
		rc = app_render(c, 200, "admin_user_created", "密码已重置");
	}
	json_object_put(row);
	buf_release(&pw);
	return rc;
}

static int change_state(struct ctx *c, int which)
{
	json_object *row;
	long long id;
	char to[64];
	int rc = load_account(c, &row, &id);
	if (rc || !row)
		return rc;
	json_object_put(row);
	if (which == 0 && id == c->user.id)
		return app_fail(c, 409, "不能停用自己的账户。");
	rc = which == 0   ? users_set_disabled(&c->actor, id, true)
	     : which == 1 ? users_set_disabled(&c->actor, id, false)
			  : users_unlock(&c->actor, id);
	if (rc != DB_OK)
		return rc;
	snprintf(to, sizeof to, "/admin/user?id=%lld&done=1", id);
	return app_redirect(c, to);
}

static int page_user_disable(struct ctx *c)
{
	return change_state(c, 0);
}

static int page_user_enable(struct ctx *c)
{
	return change_state(c, 1);
}

static int page_user_unlock(struct ctx *c)
{
	return change_state(c, 2);
}

static int page_audit(struct ctx *c)
{
	struct form f;
	json_object *rows = NULL;
	struct audit_filter filter;
	int rc;
	size_t n;

	form_init(&f, audit_fields, N(audit_fields));
	form_validate(&f, &c->req);
	filter.action_prefix = form_str(&f, "action");
	filter.login = form_str(&f, "login");
	filter.from = form_str(&f, "from");
	filter.to = form_str(&f, "to");
	filter.before_id = form_int(&f, "before");
	filter.limit = 100;
	if (f.errors) {
		/* Show the reasons, and no rows rather than unfiltered ones. */
		rows = json_object_new_array();
		rc = DB_OK;
	} else {
		rc = audit_list(&rows, &filter);
	}
	if (rc == DB_OK) {
		n = json_object_array_length(rows);
		if (n == (size_t)filter.limit)
			app_set(c, "next_before",
				json_object_new_int64(db_int(json_object_array_get_idx(rows, n - 1), "id", 0)));
		app_set(c, "rows", rows);
		app_set(c, "form", form_json(&f));
		rc = app_render(c, f.errors ? 422 : 200, "admin_audit", "审计日志");
	}
	form_release(&f);
	return rc;
}

static const char *const cal_kinds[] = { "holiday", "workday", NULL };

static const struct field_spec cal_year_fields[] = {
	{ "year", "年份", FIELD_INT, false, 0, 2000, 2100, NULL },
};

static const struct field_spec cal_entry_fields[] = {
	{ "old_date", "原日期", FIELD_DATE, false, 0, 0, 0, NULL },
	{ "date", "日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "kind", "类型", FIELD_CHOICE, true, 0, 0, 0, cal_kinds },
	{ "name", "节日名称", FIELD_LINE, true, CALENDAR_NAME_MAX_CHARS, 0, 0, NULL },
};

static const struct field_spec cal_remove_fields[] = {
	{ "date", "日期", FIELD_DATE, true, 0, 0, 0, NULL },
};

/* Renders the calendar page of year, with form (may be NULL) re-shown. */
static int show_calendar(struct ctx *c, int status, int year, const struct form *f)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	json_object *entries = NULL, *years = NULL;
	int rc = calendar_load_db(&cal, &err);
	if (rc == DB_OK)
		rc = calendar_db_year_json(year, &entries);
	if (rc == DB_OK)
		rc = calendar_db_years_json(&years);
	if (rc != DB_OK) {
		if (err.len)
			log_err("calendar: %s", err.data);
		json_object_put(entries);
		json_object_put(years);
		calendar_release(&cal);
		buf_release(&err);
		return rc;
	}
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		/* Flags for the template's selects, and the weekday in Chinese. */
		json_object *e = json_object_array_get_idx(entries, i);
		int32_t d;
		json_object_object_add(e, db_str(e, "kind", "holiday"), json_object_new_boolean(1));
		if (civil_parse(db_str(e, "date", ""), &d) == 0)
			json_object_object_add(e, "weekday_zh", json_object_new_string(civil_weekday_zh(d)));
	}
	app_set(c, "cal", calendar_view_year(&cal, year));
	app_set(c, "entries", entries);
	app_set(c, "years", years);
	app_set(c, "prev_year", json_object_new_int(year - 1));
	app_set(c, "next_year", json_object_new_int(year + 1));
	if (!calendar_year_loaded(&cal, year)) {
		struct buf msg = BUF_INIT;
		calendar_describe_missing_year(&msg, year);
		app_set_str(c, "missing", msg.data);
		buf_release(&msg);
	}
	if (f)
		app_set(c, "form", form_json(f));
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "日历已更新。");
	calendar_release(&cal);
	buf_release(&err);
	return app_render(c, status, "admin_calendar", "工作日历");
}

static int current_year(void)
{
	int y;
	civil_to_ymd(civil_today_shanghai(), &y, NULL, NULL);
	return y;
}

static int page_calendar(struct ctx *c)
{
	struct form f;
	int year, rc;
	form_init(&f, cal_year_fields, N(cal_year_fields));
	form_validate(&f, &c->req);
	year = *form_str(&f, "year") && !f.errors ? (int)form_int(&f, "year") : current_year();
	rc = show_calendar(c, 200, year, NULL);
	form_release(&f);
	return rc;
}

/* add, edit and remove share this: validate, change, redirect or re-show. */
static int calendar_change(struct ctx *c, int which)
{
	struct form f;
	struct buf err = BUF_INIT;
	int32_t day = 0, old_day = 0;
	enum cal_kind kind = CAL_HOLIDAY;
	int rc = DB_OK, year = current_year(), status = 422;
	char to[64];

	if (which == 2)
		form_init(&f, cal_remove_fields, N(cal_remove_fields));
	else
		form_init(&f, cal_entry_fields, N(cal_entry_fields));
	if (!form_validate(&f, &c->req)) {
		civil_parse(form_str(&f, "date"), &day);
		year = civil_year(day);
		if (which != 2) {
			const char *k = form_str(&f, "kind");
			calendar_kind_parse(k, strlen(k), &kind);
		}
		if (which == 1 && civil_parse(form_str(&f, "old_date"), &old_day))
			form_error(&f, "old_date", "缺少要修改的原日期。");
	}
	if (!f.errors) {
		if (which == 0)
			rc = calendar_db_add(&c->actor, day, kind, form_str(&f, "name"), &err);
		else if (which == 1)
			rc = calendar_db_edit(&c->actor, old_day, day, kind, form_str(&f, "name"), &err);
		else
			rc = calendar_db_remove(&c->actor, day, &err);
		if (rc == DB_OK) {
			form_release(&f);
			buf_release(&err);
			snprintf(to, sizeof to, "/admin/calendar?year=%d&done=1", year);
			return app_redirect(c, to);
		}
		if (rc == DB_UNAVAILABLE || rc == DB_ERROR) {
			form_release(&f);
			buf_release(&err);
			return rc;
		}
		if (rc == DB_CONFLICT)
			status = 409;
		else if (rc == CAL_DB_NOT_FOUND)
			status = 404;
		form_error(&f, "", err.len ? err.data : "日历未能修改。");
	}
	rc = show_calendar(c, status, year, &f);
	form_release(&f);
	buf_release(&err);
	return rc;
}

static int page_calendar_add(struct ctx *c)
{
	return calendar_change(c, 0);
}

static int page_calendar_edit(struct ctx *c)
{
	return calendar_change(c, 1);
}

static int page_calendar_remove(struct ctx *c)
{
	return calendar_change(c, 2);
}

static const struct field_spec uscc_add_fields[] = {
	{ "uscc", "统一社会信用代码", FIELD_LINE, true, 40, 0, 0, NULL },
	{ "reason", "核实情况", FIELD_TEXT, true, 500, 0, 0, NULL },
};

static const struct field_spec uscc_remove_fields[] = {
	{ "uscc", "统一社会信用代码", FIELD_LINE, true, 40, 0, 0, NULL },
};

static int show_uscc(struct ctx *c, int status, const struct form *f)
{
	json_object *rows = NULL;
	int rc = enterprise_uscc_exceptions(&rows);
	if (rc != DB_OK)
		return rc;
	app_set(c, "exceptions", rows);
	if (f)
		app_set(c, "form", form_json(f));
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "已保存。");
	return app_render(c, status, "admin_uscc", "信用代码校验例外");
}

static int page_uscc(struct ctx *c)
{
	return show_uscc(c, 200, NULL);
}

/* Only a code whose single fault is its check character can be excepted:
 * anything else is a typing error, which an exception must not bless. */
static int page_uscc_add(struct ctx *c)
{
	struct form f;
	char code[USCC_LEN + 1] = "";
	int rc = DB_OK, status = 422;
	form_init(&f, uscc_add_fields, N(uscc_add_fields));
	if (!form_validate(&f, &c->req)) {
		struct uscc_result r;
		const char *v = form_str(&f, "uscc");
		enum uscc_status st = uscc_validate(v, strlen(v), &r);
		enterprise_check_mismatch_code(v, code);
		if (st == USCC_OK) {
			form_error(&f, "uscc", "该代码校验正确，无需登记例外。");
		} else if (!code[0]) {
			char msg[USCC_MESSAGE_MAX];
			uscc_message(&r, msg, sizeof msg);
			form_error(&f, "uscc", msg);
		}
	}
	if (!f.errors) {
		rc = enterprise_uscc_exception_add(&c->actor, code, form_str(&f, "reason"));
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirect(c, "/admin/uscc?done=1");
		}
		if (rc == DB_CONFLICT) {
			form_error(&f, "uscc", "该代码已登记为例外。");
			status = 409;
			rc = DB_OK;
		}
	}
	if (rc == DB_OK)
		rc = show_uscc(c, status, &f);
	form_release(&f);
	return rc;
}

static int page_uscc_remove(struct ctx *c)
{
	struct form f;
	int rc;
	form_init(&f, uscc_remove_fields, N(uscc_remove_fields));
	if (form_validate(&f, &c->req)) {
		form_release(&f);
		return app_fail(c, 404, "没有这条例外。");
	}
	rc = enterprise_uscc_exception_remove(&c->actor, form_str(&f, "uscc"));
	form_release(&f);
	if (rc == ENT_E_NOT_FOUND)
		return app_fail(c, 404, "没有这条例外（可能已被撤销）。");
	return rc == DB_OK ? app_redirect(c, "/admin/uscc?done=1") : rc;
}

static const struct page pages[] = {
	{ "", METHOD_GET, ROLE_PROVINCE, 0, page_index },
	{ "audit", METHOD_GET, ROLE_PROVINCE, 0, page_audit },
	{ "calendar", METHOD_GET, ROLE_PROVINCE, 0, page_calendar },
	{ "calendar/add", METHOD_POST, ROLE_PROVINCE, 0, page_calendar_add },
	{ "calendar/edit", METHOD_POST, ROLE_PROVINCE, 0, page_calendar_edit },
	{ "calendar/remove", METHOD_POST, ROLE_PROVINCE, 0, page_calendar_remove },
	{ "round", METHOD_GET, ROLE_PROVINCE, 0, rounds_page_view },
	{ "round/edit", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, rounds_page_edit },
	{ "rounds", METHOD_GET, ROLE_PROVINCE, 0, rounds_page_list },
	{ "rounds/new", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, rounds_page_new },
	{ "user", METHOD_GET, ROLE_PROVINCE, 0, page_user },
	{ "user/disable", METHOD_POST, ROLE_PROVINCE, 0, page_user_disable },
	{ "user/enable", METHOD_POST, ROLE_PROVINCE, 0, page_user_enable },
	{ "user/reset", METHOD_POST, ROLE_PROVINCE, 0, page_user_reset },
	{ "user/unlock", METHOD_POST, ROLE_PROVINCE, 0, page_user_unlock },
	{ "users", METHOD_GET, ROLE_PROVINCE, 0, page_users },
	{ "uscc", METHOD_GET, ROLE_PROVINCE, 0, page_uscc },
	{ "uscc/add", METHOD_POST, ROLE_PROVINCE, 0, page_uscc_add },
	{ "uscc/remove", METHOD_POST, ROLE_PROVINCE, 0, page_uscc_remove },
	{ "users/new", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, page_user_new },
};

int main(void)
{
	static const struct program prog = { "admin", "/admin", pages, N(pages) };
	return app_run(&prog);
}
