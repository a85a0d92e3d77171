#include "steps/intake/apply_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "steps/intake/application.h"
#include "steps/intake/attachments.h"
#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "steps/intake/enterprise.h"
#include "core/form.h"
#include "core/log.h"
#include "core/multipart.h"
#include "rules/sme.h"
#include "steps/accounts/users.h"
#include "steps/intake/sme_db.h"
#include "core/banned.h"

#define REG_TOKEN_HEX 64

static const struct field_spec id_field = { "id", "申报书编号", FIELD_INT, true, 0, 1, 1LL << 53,
					    NULL };
static const struct field_spec file_field = { "file", "附件编号", FIELD_INT, true, 0, 1, 1LL << 53,
					      NULL };
static const struct field_spec round_field = { "round", "年度遴选", FIELD_INT, true, 0, 1,
					       1LL << 53, NULL };

/* ---- small helpers ---- */

/* Browsers send CRLF in textareas: count a line break as one character, as
 * the user sees it, and drop blanks around values (a title of spaces is no
 * title).  Passwords are left exactly as typed. */
static void normalise_fields(struct fields *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct field *fl = &fs->v[i];
		char *s = fl->value, *w = s;
		size_t start = 0, end;
		if (!strncmp(fl->name, "password", 8))
			continue;
		for (const char *r = s; *r; r++)
			if (!(r[0] == '\r' && r[1] == '\n'))
				*w++ = *r;
		*w = '\0';
		end = (size_t)(w - s);
		while (start < end && strchr(" \t\r\n", s[start]))
			start++;
		while (end > start && strchr(" \t\r\n", s[end - 1]))
			end--;
		memmove(s, s + start, end - start);
		s[end - start] = '\0';
		fl->len = end - start;
	}
}

/* A positive id from the request (POST field, else query), or 0. */
static long long param_id(const struct ctx *c, const struct field_spec *spec)
{
	const char *v = request_param(&c->req, spec->name);
	long long n = 0;
	char *err = field_check(spec, v ? v : "", &n);
	if (err) {
		free(err);
		return 0;
	}
	return n;
}

/* The answer for an application the user may not see or change: one 404
 * for both, so ids cannot be probed, and an audit record of the refusal
 * (why: for the record, "不存在", "无权查看", ...). */
static int not_yours(struct ctx *c, long long id, const char *why)
{
	return app_refuse(c, 404, "refused.object", "application", id, why,
			  "未找到该申报书，或您无权查看。");
}

static int redirect_id(struct ctx *c, const char *page, long long id, const char *flag)
{
	char to[96];
	snprintf(to, sizeof to, "/apply/%s?id=%lld%s%s", page, id, flag ? "&" : "", flag ? flag : "");
	return app_redirect(c, to);
}

/* The city options, with the chosen one marked. */
static int set_cities(struct ctx *c, const char *selected)
{
	json_object *rows = NULL;
	int rc = users_city_options(&rows, selected);
	if (rc == DB_OK)
		app_set(c, "cities", rows);
	return rc;
}

static bool has_error(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->spec[i].name, name))
			return f->v[i].error != NULL;
	return false;
}

/* The enterprise's fields, validated; the account fields too when
 * with_account.  Also checks the city and the code's uniqueness.  *status
 * becomes 422 or 409 for the user's mistakes; returns a db_status. */
static int check_enterprise_form(struct form *f, bool with_account, char code[USCC_LEN + 1],
				 int *status)
{
	int rc;
	char mismatch[USCC_LEN + 1];
	bool excepted = false;
	*status = 422;
	/* A code failing only its check character passes when an administrator
	 * has recorded it as an exception (sql/008). */
	enterprise_check_mismatch_code(form_str(f, "uscc"), mismatch);
	if (mismatch[0] && (rc = enterprise_uscc_exception(mismatch, &excepted)) != DB_OK)
		return rc;
	enterprise_check_form(f, with_account, excepted, code);
	if (!has_error(f, "city_code")) {
		rc = users_city_known(form_str(f, "city_code"));
		if (rc == 1)
			form_error(f, "city_code", "请选择所在市（地）。");
		else if (rc != DB_OK)
			return rc;
	}
	if (code[0]) {
		bool taken;
		if ((rc = enterprise_uscc_taken(code, &taken)) != DB_OK)
			return rc;
		if (taken) {
			form_error(f, "uscc",
				   "该统一社会信用代码已注册账户，每个代码只能注册一个账户。如需找回账户，"
				   "请联系所在市（地）工信局。");
			*status = 409;
		}
	}
	if (with_account && !has_error(f, "login")) {
		json_object *row = NULL;
		if ((rc = users_find_login(form_str(f, "login"), &row)) != DB_OK)
			return rc;
		if (row) {
			form_error(f, "login", "该用户名已被使用，请换一个。");
			*status = 409;
		}
		json_object_put(row);
	}
	return DB_OK;
}

static void fill_new(const struct form *f, const char *code, struct enterprise_new *e)
{
	e->name = form_str(f, "name");
	e->uscc = code;
	e->city_code = form_str(f, "city_code");
	e->address = form_str(f, "address");
	e->legal_rep = form_str(f, "legal_rep");
	e->contact_name = form_str(f, "contact_name");
	e->mobile = form_str(f, "mobile");
	e->email = form_str(f, "email");
	/* Only an exception lets a code with a failing check character this far. */
	{
		char mismatch[USCC_LEN + 1];
		enterprise_check_mismatch_code(code, mismatch);
		e->uscc_override = mismatch[0] != '\0';
	}
}

/* ---- registration (public) ---- */

static bool reg_token_wellformed(const char *t)
{
	return t && strlen(t) == REG_TOKEN_HEX && strspn(t, "0123456789abcdef") == REG_TOKEN_HEX;
}

/* The double-submit token: the cookie's if it has a good one, else new. */
static void reg_token(struct ctx *c, char out[REG_TOKEN_HEX + 1])
{
	const char *have = fields_get(&c->req.cookies, APPLY_REG_COOKIE);
	if (reg_token_wellformed(have)) {
		memcpy(out, have, REG_TOKEN_HEX + 1);
	} else {
		unsigned char b[REG_TOKEN_HEX / 2];
		randombytes_buf(b, sizeof b);
		sodium_bin2hex(out, REG_TOKEN_HEX + 1, b, sizeof b);
	}
	resp_cookie(&c->resp, APPLY_REG_COOKIE, out, -1);
}

static bool reg_token_ok(const struct ctx *c)
{
	const char *cookie = fields_get(&c->req.cookies, APPLY_REG_COOKIE);
	const char *sent = fields_get(&c->req.form, "reg_token");
	return reg_token_wellformed(cookie) && reg_token_wellformed(sent) &&
	       sodium_memcmp(cookie, sent, REG_TOKEN_HEX) == 0;
}

static int show_register(struct ctx *c, int status, struct form *f)
{
	char token[REG_TOKEN_HEX + 1];
	int rc = set_cities(c, form_str(f, "city_code"));
	if (rc != DB_OK)
		return rc;
	reg_token(c, token);
	app_set_str(c, "reg_token", token);
	app_set(c, "form", form_json(f));
	return app_render(c, status, "apply_register", "企业注册");
}

/*   GET  200 the form (logged in: 303 to /apply or /home)
 *   POST 303 to /apply, logged in, on success; 403 without the matching
 *        double-submit token (form shown again); 422 with reasons; 409 credit
 *        code or login taken. */
int apply_page_register(struct ctx *c)
{
	struct form f;
	char code[USCC_LEN + 1];
	struct enterprise_new e;
	struct session s;
	long long account_id;
	int rc, status = 200;

	if (c->user.id)
		return app_redirect(c, c->user.role == ROLE_ENTERPRISE ? "/apply" : "/home");
	form_init(&f, enterprise_reg_fields, enterprise_reg_nfields);
	if (c->req.method != METHOD_POST) {
		rc = show_register(c, 200, &f);
		goto out;
	}
	normalise_fields(&c->req.form);
	if (!reg_token_ok(c)) {
		log_warn("registration without a matching double-submit token");
		/* Show the input again (never the passwords), with only this reason. */
		form_validate(&f, &c->req);
		for (size_t i = 0; i < f.n; i++) {
			free(f.v[i].error);
			f.v[i].error = NULL;
		}
		f.errors = 0;
		form_error(&f, "", "表单已失效或来源无法验证，请核对后重新提交（请勿关闭浏览器的 Cookie）。");
		rc = show_register(c, 403, &f);
		goto out;
	}
	form_validate(&f, &c->req);
	if ((rc = check_enterprise_form(&f, true, code, &status)) != DB_OK)
		goto out;
	if (!f.errors) {
		fill_new(&f, code, &e);
		rc = enterprise_register(&e, form_str(&f, "login"), form_str(&f, "password"),
					 c->req.remote_addr, &s, &account_id);
		if (rc == DB_OK) {
			resp_cookie(&c->resp, SESSION_COOKIE, s.token, -1);
			resp_cookie(&c->resp, APPLY_REG_COOKIE, "", 0);
			sodium_memzero(&s, sizeof s);
			rc = app_redirect(c, "/apply?welcome=1");
			goto out;
		}
		if (rc == ENT_E_USCC_TAKEN)
			form_error(&f, "uscc", "该统一社会信用代码已注册账户，每个代码只能注册一个账户。");
		else if (rc == ENT_E_LOGIN_TAKEN)
			form_error(&f, "login", "该用户名已被使用，请换一个。");
		else
			goto out;
		status = 409;
	}
	if (f.errors && !f.v[f.n].error)
		form_error(&f, "", "注册未完成，请按提示修改后重新提交。");
	rc = show_register(c, status, &f);
out:
	form_release(&f);
	return rc;
}

/* ---- the enterprise record of an existing account ---- */

/*   GET  200 the form (the record exists: 303 to /apply)
 *   POST 303 to /apply; 422 with reasons; 409 credit code taken */
int apply_page_profile(struct ctx *c)
{
	struct form f;
	json_object *row = NULL;
	char code[USCC_LEN + 1];
	struct enterprise_new e;
	long long id;
	int rc, status = 200;

	if ((rc = enterprise_by_account(c->user.id, &row)) != DB_OK)
		return rc;
	if (row) {
		json_object_put(row);
		return app_redirect(c, "/apply");
	}
	form_init(&f, enterprise_reg_fields, enterprise_profile_nfields);
	if (c->req.method == METHOD_POST) {
		normalise_fields(&c->req.form);
		form_validate(&f, &c->req);
		if ((rc = check_enterprise_form(&f, false, code, &status)) != DB_OK)
			goto out;
		if (!f.errors) {
			fill_new(&f, code, &e);
			rc = enterprise_create_record(&c->actor, c->user.id, &e, &id);
			if (rc == DB_OK || rc == ENT_E_HAS_RECORD) {
				rc = app_redirect(c, "/apply");
				goto out;
			}
			if (rc != ENT_E_USCC_TAKEN)
				goto out;
			form_error(&f, "uscc", "该统一社会信用代码已注册账户，每个代码只能注册一个账户。");
			status = 409;
		}
	}
	if ((rc = set_cities(c, form_str(&f, "city_code"))) != DB_OK)
		goto out;
	app_set(c, "form", form_json(&f));
	app_set(c, "profile", json_object_new_boolean(1));
	rc = app_render(c, status, "apply_register", "填写企业信息");
out:
	form_release(&f);
	return rc;
}

/* ---- the enterprise's overview ---- */

/* The enterprise record of the logged-in account; when there is none the
 * response is a redirect to the profile page and *row is NULL. */
static int my_enterprise(struct ctx *c, json_object **row)
{
	int rc = enterprise_by_account(c->user.id, row);
	if (rc == DB_OK && !*row)
		app_redirect(c, "/apply/profile");
	return rc;
}

/*   GET 200 the enterprise, the open rounds and its applications;
 *       303 to /apply/profile when the account has no enterprise record */
int apply_page_index(struct ctx *c)
{
	json_object *ent = NULL, *rounds = NULL, *apps = NULL;
	int rc;

	if ((rc = my_enterprise(c, &ent)) != DB_OK || !ent)
		return rc;
	if ((rc = app_open_rounds(&rounds)) != DB_OK ||
	    (rc = app_list_for_enterprise(db_int(ent, "id", 0), &apps)) != DB_OK)
		goto out;
	/* Mark the open rounds the enterprise has an application for. */
	for (size_t i = 0; i < json_object_array_length(rounds); i++) {
		json_object *r = json_object_array_get_idx(rounds, i);
		for (size_t k = 0; k < json_object_array_length(apps); k++) {
			json_object *a = json_object_array_get_idx(apps, k);
			if (db_int(a, "round_id", -1) == db_int(r, "id", 0))
				json_object_object_add(r, "app", json_object_get(a));
		}
	}
	app_set(c, "enterprise", ent);
	app_set(c, "rounds", rounds);
	app_set(c, "applications", apps);
	ent = rounds = apps = NULL;
	if (request_param(&c->req, "welcome"))
		app_set_str(c, "notice", "注册成功，欢迎使用。年度遴选开放申报期间，可在此填写申报书。");
	rc = app_render(c, 200, "apply_index", "企业申报");
out:
	json_object_put(ent);
	json_object_put(rounds);
	json_object_put(apps);
	return rc;
}

/*   POST round=N: 303 to the form of the enterprise's application for the
 *        round (made as a draft on the first visit); 404 no such round;
 *        409 the window is not open (nothing made) */
int apply_page_start(struct ctx *c)
{
	json_object *ent = NULL;
	long long round_id = param_id(c, &round_field), app_id;
	int rc;

	if (!round_id)
		return app_fail(c, 404, "未找到该年度遴选。");
	if ((rc = my_enterprise(c, &ent)) != DB_OK || !ent)
		return rc;
	rc = app_start(&c->actor, db_int(ent, "id", 0), round_id, &app_id);
	json_object_put(ent);
	switch (rc) {
	case DB_OK:
		return redirect_id(c, "edit", app_id, NULL);
	case APP_E_NOT_FOUND:
		return app_fail(c, 404, "未找到该年度遴选。");
	case APP_E_CLOSED:
		return app_fail(c, 409, "该年度遴选不在申报时间内，不能新建申报书。");
	default:
		return rc;
	}
}

/* ---- the application form ---- */

/* Loads application id for the logged-in user; renders 404 itself when it
 * does not exist or the user may not see it (the same answer for both, so
 * ids cannot be probed).  *row NULL then. */
static int load_visible(struct ctx *c, long long id, json_object **row, json_object **ind)
{
	int rc;
	*row = *ind = NULL;
	if (id > 0 && (rc = app_load(id, row, ind)) != DB_OK)
		return rc;
	if (!*row)
		return not_yours(c, id, "申报书不存在");
	if (!auth_can_see_application(&c->user, db_int(*row, "account_id", 0),
				      db_str(*row, "city_code", ""), db_str(*row, "status", ""))) {
		json_object_put(*row);
		json_object_put(*ind);
		*row = *ind = NULL;
		return not_yours(c, id, "无权查看该申报书");
	}
	return DB_OK;
}

static bool may_edit(const struct ctx *c, json_object *row)
{
	return auth_can_edit_application(&c->user, db_int(row, "account_id", 0)) &&
	       app_status_editable(db_str(row, "status", "")) && db_int(row, "window_open", 0);
}

static json_object *field_of(json_object *form, const char *name)
{
	json_object *v = NULL;
	json_object_object_get_ex(form, name, &v);
	return v;
}

static const char *value_of(json_object *form, const char *name)
{
	json_object *fo = field_of(form, name), *v = NULL;
	if (fo && json_object_object_get_ex(fo, "value", &v))
		return json_object_get_string(v);
	return "";
}

/* The select options and the indicator rows the edit template iterates. */
static int set_choices(struct ctx *c, json_object *form)
{
	json_object *industries = NULL, *sme = NULL, *groups, *scopes, *rows;
	const char *ind = value_of(form, "industry"), *smev = value_of(form, "sme_industry");
	const char *scope = value_of(form, "scope");
	long long last_group = -1;
	json_object *items = NULL;
	int rc;

	if ((rc = app_industries(&industries)) != DB_OK)
		return rc;
	if ((rc = sme_db_industries(&sme)) != DB_OK) {
		json_object_put(industries);
		return rc;
	}
	groups = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(industries); i++) {
		json_object *r = json_object_array_get_idx(industries, i);
		char no[24];
		snprintf(no, sizeof no, "%lld", db_int(r, "no", 0));
		if (!strcmp(no, ind))
			json_object_object_add(r, "selected", json_object_new_boolean(1));
		if (db_int(r, "group_no", 0) != last_group) {
			json_object *g = json_object_new_object();
			last_group = db_int(r, "group_no", 0);
			json_object_object_add(g, "group_name",
					       json_object_new_string(db_str(r, "group_name", "")));
			json_object_object_add(g, "group_no", json_object_new_int64(last_group));
			items = json_object_new_array();
			json_object_object_add(g, "items", items);
			json_object_array_add(groups, g);
		}
		json_object_array_add(items, json_object_get(r));
	}
	json_object_put(industries);
	for (size_t i = 0; i < json_object_array_length(sme); i++) {
		json_object *r = json_object_array_get_idx(sme, i);
		char no[24];
		snprintf(no, sizeof no, "%lld", db_int(r, "no", 0));
		if (!strcmp(no, smev))
			json_object_object_add(r, "selected", json_object_new_boolean(1));
	}
	scopes = json_object_new_array();
	for (int s = 1; s <= APP_SCOPES; s++) {
		json_object *o = json_object_new_object();
		char v[4];
		snprintf(v, sizeof v, "%d", s);
		json_object_object_add(o, "value", json_object_new_string(v));
		json_object_object_add(o, "label", json_object_new_string(app_scope_label(s)));
		json_object_object_add(o, "text", json_object_new_string(app_scope_text(s)));
		if (!strcmp(v, scope))
			json_object_object_add(o, "selected", json_object_new_boolean(1));
		json_object_array_add(scopes, o);
	}
	rows = json_object_new_array();
	for (int r = 1; r <= APP_INDICATORS_MAX; r++) {
		static const char *const parts[4] = { "name", "unit", "before", "after" };
		json_object *o = json_object_new_object();
		json_object_object_add(o, "n", json_object_new_int(r));
		for (int k = 0; k < 4; k++) {
			char name[24];
			json_object *fo;
			snprintf(name, sizeof name, "ind_%s_%d", parts[k], r);
			fo = field_of(form, name);
			json_object_object_add(o, parts[k], fo ? json_object_get(fo) : NULL);
		}
		json_object_array_add(rows, o);
	}
	app_set(c, "industry_groups", groups);
	app_set(c, "sme_industries", sme);
	app_set(c, "scopes", scopes);
	app_set(c, "indicator_rows", rows);
	return DB_OK;
}

/* The parts of a loaded application every page shows. */
static void set_app(struct ctx *c, json_object *row, json_object *ind)
{
	const char *size = db_str(row, "sme_size", NULL);
	int scope = (int)db_int(row, "scope", 0);
	int year = (int)db_int(row, "year", 0);
	if (app_scope_label(scope)) {
		json_object_object_add(row, "scope_label", json_object_new_string(app_scope_label(scope)));
		json_object_object_add(row, "scope_text", json_object_new_string(app_scope_text(scope)));
	}
	if (size) {
		static const char *const names[] = { "large", "medium", "small", "micro" };
		for (int s = 0; s < 4; s++)
			if (!strcmp(size, names[s]))
				json_object_object_add(
					row, "sme_size_label",
					json_object_new_string(sme_size_label((enum sme_size)s)));
	}
	json_object_object_add(row, "profit_year_1", json_object_new_int(year - 1));
	json_object_object_add(row, "profit_year_2", json_object_new_int(year - 2));
	app_set(c, "app", json_object_get(row));
	app_set(c, "indicators", json_object_get(ind));
}

static int set_checklist(struct ctx *c, json_object *row, json_object *ind,
			 const struct app_checklist *given)
{
	struct app_checklist cl;
	const struct app_checklist *use = given;
	int rc = DB_OK;
	app_checklist_init(&cl);
	if (!use) {
		if ((rc = app_evaluate(row, ind, &cl)) != DB_OK)
			return rc;
		use = &cl;
	}
	app_set(c, "checklist", app_checklist_json(use));
	app_set(c, "blocking", json_object_new_int(use->blocking));
	app_checklist_release(&cl);
	return rc;
}

/* The application's files (attachments) and, for the edit page, one
 * upload form per kind (upload_kinds: kind, label, types, max, replaces,
 * count, full). */
static int set_attachments(struct ctx *c, long long app_id, bool with_forms)
{
	json_object *rows = NULL, *kinds;
	char max[32];
	int rc = att_list(app_id, &rows);
	if (rc != DB_OK)
		return rc;
	if (with_forms) {
		kinds = json_object_new_array();
		for (int k = 0; k < ATT_KINDS; k++) {
			json_object *o = json_object_new_object();
			long long n = 0;
			for (size_t i = 0; i < json_object_array_length(rows); i++)
				n += !strcmp(db_str(json_object_array_get_idx(rows, i), "kind", ""),
					     att_kind_name((enum att_kind)k));
			json_object_object_add(o, "kind", json_object_new_string(att_kind_name((enum att_kind)k)));
			json_object_object_add(o, "label", json_object_new_string(att_kind_label((enum att_kind)k)));
			json_object_object_add(o, "types", json_object_new_string(att_kind_types((enum att_kind)k)));
			json_object_object_add(o, "max", json_object_new_int(att_kind_max((enum att_kind)k)));
			json_object_object_add(o, "replaces",
					       json_object_new_boolean(att_kind_replaces((enum att_kind)k)));
			json_object_object_add(o, "count", json_object_new_int64(n));
			json_object_object_add(o, "full", json_object_new_boolean(
							       !att_kind_replaces((enum att_kind)k) &&
							       n >= att_kind_max((enum att_kind)k)));
			json_object_object_add(o, "has", json_object_new_boolean(n > 0));
			json_object_array_add(kinds, o);
		}
		app_set(c, "upload_kinds", kinds);
		app_set_str(c, "upload_max", att_size_label(att_max_bytes(), max, sizeof max));
	}
	app_set(c, "attachments", rows);
	return DB_OK;
}

/* Renders the edit page: form is the template's form object (taken). */
static int show_edit(struct ctx *c, int status, json_object *row, json_object *ind,
		     json_object *form, const struct app_checklist *cl)
{
	char today[CIVIL_DATE_LEN + 1];
	int rc;
	if ((rc = set_choices(c, form)) != DB_OK || (rc = set_checklist(c, row, ind, cl)) != DB_OK) {
		json_object_put(form);
		return rc;
	}
	if ((rc = set_attachments(c, db_int(row, "id", 0), true)) != DB_OK) {
		json_object_put(form);
		return rc;
	}
	set_app(c, row, ind);
	app_set(c, "form", form);
	civil_format(civil_today_shanghai(), today);
	app_set_str(c, "today", today);
	if (request_param(&c->req, "saved"))
		app_set_str(c, "notice", "草稿已保存。");
	else if (request_param(&c->req, "uploaded"))
		app_set_str(c, "notice", "文件已上传。");
	else if (request_param(&c->req, "deleted"))
		app_set_str(c, "notice", "文件已删除。");
	return app_render(c, status, "apply_edit", "填写申报书");
}

static int do_submit(struct ctx *c, long long id)
{
	struct app_checklist cl;
	json_object *row = NULL, *ind = NULL;
	int rc;

	app_checklist_init(&cl);
	rc = app_submit(&c->actor, id, &cl);
	switch (rc) {
	case DB_OK:
		rc = redirect_id(c, "view", id, "submitted=1");
		break;
	case APP_E_NOT_EDITABLE:
		/* A double click or a replayed POST: nothing to do. */
		rc = redirect_id(c, "view", id, "already=1");
		break;
	case APP_E_CLOSED:
		rc = app_fail(c, 409, "该年度遴选的申报时间已截止，申报书未能提交。");
		break;
	case APP_E_NOT_FOUND:
		rc = not_yours(c, id, "申报书不存在或已不可见");
		break;
	case APP_E_BLOCKED:
		if ((rc = app_load(id, &row, &ind)) != DB_OK)
			break;
		if (!row) {
			rc = not_yours(c, id, "申报书不存在或已不可见");
			break;
		}
		app_set_str(c, "submit_refused",
			    "申报书未能提交：下列条件尚未满足。草稿已保存，请补充后再提交。");
		rc = show_edit(c, 422, row, ind, app_form_json_from_row(row, ind), &cl);
		break;
	default:
		break;
	}
	app_checklist_release(&cl);
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

/* The industry chosen must be one of the table's, and the SME industry one
 * of sme_industry's. */
static int check_choices(struct form *f, const struct app_fields *af)
{
	int rc;
	if (af->industry) {
		json_object *rows = NULL;
		bool found = false;
		if ((rc = app_industries(&rows)) != DB_OK)
			return rc;
		for (size_t i = 0; i < json_object_array_length(rows); i++)
			found = found ||
				db_int(json_object_array_get_idx(rows, i), "no", 0) == af->industry;
		json_object_put(rows);
		if (!found)
			form_error(f, "industry", "所属行业的选项无效。");
	}
	if (af->sme_industry) {
		struct sme_thresholds t;
		rc = sme_db_load(af->sme_industry, &t);
		if (rc == SME_NOT_FOUND)
			form_error(f, "sme_industry", "划型行业的选项无效。");
		else if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/*   GET  ?id=N  200 the form with the checklist; 303 to the view when the
 *               application cannot be changed (submitted, window closed)
 *   POST id=N   action=save: 303 back with saved=1; action=submit: save, then
 *               as /apply/submit.  422 with reasons (nothing saved); 409
 *               the window closed or the application was submitted
 *               (a replayed submit: 303 to the view); 404 not the user's */
int apply_page_edit(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	struct form f;
	struct app_fields af;
	long long id = param_id(c, &id_field);
	bool submit;
	int rc;

	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		return rc;
	if (!auth_can_edit_application(&c->user, db_int(row, "account_id", 0))) {
		rc = not_yours(c, id, "无权修改该申报书");
		goto done;
	}
	if (c->req.method != METHOD_POST) {
		if (!may_edit(c, row))
			rc = redirect_id(c, "view", id, NULL);
		else
			rc = show_edit(c, 200, row, ind, app_form_json_from_row(row, ind), NULL);
		goto done;
	}
	{
		const char *action = request_param(&c->req, "action");
		submit = action && !strcmp(action, "submit");
	}
	/* Refused before looking at the input; app_save checks again under lock. */
	if (!app_status_editable(db_str(row, "status", ""))) {
		rc = submit ? redirect_id(c, "view", id, "already=1")
			    : app_fail(c, 409, "申报书已提交，不能再修改。");
		goto done;
	}
	if (!db_int(row, "window_open", 0)) {
		rc = app_fail(c, 409, "该年度遴选的申报时间已截止，申报书未能保存。");
		goto done;
	}
	normalise_fields(&c->req.form);
	form_init(&f, app_form_fields, app_form_nfields);
	form_validate(&f, &c->req);
	app_fields_from_form(&f, civil_today_shanghai(), &af);
	if ((rc = check_choices(&f, &af)) != DB_OK)
		goto out;
	if (f.errors) {
		if (!f.v[f.n].error)
			form_error(&f, "", "申报书未保存：请按提示修改标出的内容。");
		rc = show_edit(c, 422, row, ind, form_json(&f), NULL);
		goto out;
	}
	rc = app_save(&c->actor, id, &af);
	switch (rc) {
	case DB_OK:
		rc = submit ? do_submit(c, id) : redirect_id(c, "edit", id, "saved=1");
		break;
	case APP_E_NOT_EDITABLE:
		rc = submit ? redirect_id(c, "view", id, "already=1")
			    : app_fail(c, 409, "申报书已提交，不能再修改。");
		break;
	case APP_E_CLOSED:
		rc = app_fail(c, 409, "该年度遴选的申报时间已截止，申报书未能保存。");
		break;
	case APP_E_NOT_FOUND:
		rc = not_yours(c, id, "申报书不存在或已不可见");
		break;
	default:
		break;
	}
out:
	form_release(&f);
done:
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

/*   POST id=N  303 to the view with submitted=1; 303 with already=1 when it
 *              was submitted before (double click, replay); 422 the form
 *              with the unmet conditions; 409 window closed; 404 */
int apply_page_submit(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	long long id = param_id(c, &id_field);
	int rc;
	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		return rc;
	if (!auth_can_edit_application(&c->user, db_int(row, "account_id", 0)))
		rc = not_yours(c, id, "无权提交该申报书");
	else
		rc = do_submit(c, id);
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

/*   GET ?id=N  200 the application read-only with its status; 404 when the
 *              user may not see it */
int apply_page_view(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	long long id = param_id(c, &id_field);
	int rc;
	const char *industry;

	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		return rc;
	if ((rc = set_checklist(c, row, ind, NULL)) != DB_OK)
		goto out;
	industry = db_str(row, "industry_name", NULL);
	if (db_int(row, "industry", 0) == APP_INDUSTRY_OTHER && *db_str(row, "industry_other", ""))
		industry = db_str(row, "industry_other", "");
	app_set_str(c, "industry_display", industry);
	if ((rc = set_attachments(c, id, false)) != DB_OK)
		goto out;
	app_set(c, "can_edit", json_object_new_boolean(may_edit(c, row)));
	app_set(c, "is_owner",
		json_object_new_boolean(auth_can_edit_application(&c->user, db_int(row, "account_id", 0))));
	if (request_param(&c->req, "submitted")) {
		struct buf m = BUF_INIT;
		buf_addf(&m, "申报书已提交至%s工信局。", db_str(row, "city_name", ""));
		app_set_str(c, "notice", m.data);
		buf_release(&m);
	} else if (request_param(&c->req, "already")) {
		app_set_str(c, "notice", "该申报书已经提交，无需重复提交。");
	}
	set_app(c, row, ind);
	rc = app_render(c, 200, "apply_view", "申报书");
out:
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

/*   GET 200 applications that reached the bureau: a city user's own city;
 *       the province sees every city */
int apply_page_city(struct ctx *c)
{
	json_object *rows = NULL;
	const char *city = c->user.role == ROLE_CITY ? c->user.city_code : NULL;
	int rc;
	if (city && !auth_can_see_city(&c->user, city))
		return app_refuse(c, 403, "refused.role", NULL, 0, "市（地）工信局账户未设所属城市",
				  "您没有访问此页面的权限。");
	if ((rc = app_list_for_city(city, &rows)) != DB_OK)
		return rc;
	app_set(c, "applications", rows);
	app_set(c, "all_cities", json_object_new_boolean(city == NULL));
	return app_render(c, 200, "apply_city", city ? "属地企业申报" : "企业申报");
}

/* ---- uploads ---- */

/* Why the upload callbacks stopped the parser (MP_ERR_CALLBACK). */
enum upload_stop { UP_STOP_NONE = 0, UP_STOP_SECOND_FILE, UP_STOP_IO };

/* What one upload request brought: at most one file, spooled as it comes. */
struct upload {
	struct att_spool spool; /* fd -1 until a file part begins */
	size_t files;           /* file parts seen */
	bool empty;             /* a file input sent without a file */
	bool complete;          /* the file part ended and was checked */
	char *name;             /* the stored name (att_stored_name); owned */
	enum upload_stop stop;
};

static int up_begin(void *ctx, const struct mp_part *part)
{
	struct upload *u = ctx;
	if (!part->filename)
		return 0; /* a plain field: nothing on this form reads one */
	if (++u->files > 1) {
		u->stop = UP_STOP_SECOND_FILE;
		return -1;
	}
	if (!part->filename[0]) {
		u->empty = true;
		return 0;
	}
	u->name = att_stored_name(part->filename);
	if (att_spool_begin(&u->spool)) {
		u->stop = UP_STOP_IO;
		return -1;
	}
	return 0;
}

static int up_data(void *ctx, const struct mp_part *part, const char *data, size_t len)
{
	struct upload *u = ctx;
	if (!part->filename || u->spool.fd < 0)
		return 0; /* a field's value, or the bytes of an empty file input */
	if (att_spool_write(&u->spool, data, len)) {
		u->stop = UP_STOP_IO;
		return -1;
	}
	return 0;
}

static int up_end(void *ctx, const struct mp_part *part)
{
	struct upload *u = ctx;
	if (!part->filename || u->spool.fd < 0)
		return 0;
	if (att_spool_end(&u->spool)) {
		u->stop = UP_STOP_IO;
		return -1;
	}
	u->complete = true;
	return 0;
}

/* Reads the multipart body of c as a stream into u.  Returns MP_OK or the
 * parser's error (MP_ERR_CALLBACK: u->stop says why). */
static enum mp_err read_upload(struct ctx *c, const struct mp_limits *lim, struct upload *u)
{
	static const struct mp_callbacks cb = { up_begin, up_data, up_end };
	char boundary[MP_BOUNDARY_MAX + 1];
	struct mp_parser *p;
	enum mp_err e;
	char *chunk;
	ssize_t n;

	if ((e = mp_boundary(c->req.content_type ? c->req.content_type : "", boundary,
			     sizeof boundary)) != MP_OK)
		return e;
	/* A declared length over the limit is refused before reading anything. */
	if (c->req.content_length > 0 && (unsigned long long)c->req.content_length > lim->max_total_bytes)
		return MP_ERR_TOTAL_TOO_LARGE;
	p = mp_parser_new(boundary, lim, &cb, u);
	chunk = xmalloc(64 * 1024);
	while ((n = c->req.read_body(c->req.read_ctx, chunk, 64 * 1024)) > 0)
		if ((e = mp_feed(p, chunk, (size_t)n)) != MP_OK)
			break;
	if (e == MP_OK)
		e = n < 0 ? MP_ERR_TRUNCATED : mp_finish(p);
	free(chunk);
	mp_parser_free(p);
	return e;
}

/* An upload refused for the user's reason: the edit page again, with the
 * reason above the upload forms. */
static int upload_refused(struct ctx *c, int status, json_object *row, json_object *ind,
			  const char *message)
{
	app_set_str(c, "upload_error", message);
	return show_edit(c, status, row, ind, app_form_json_from_row(row, ind), NULL);
}

/*   POST ?id=N&kind=K&csrf=T, multipart/form-data with one file:
 *        303 to the edit page (uploaded=1); 404 not the user's application
 *        or no such kind; 409 the application was submitted, the window is
 *        closed, or the kind holds its maximum of files; 400 a malformed or
 *        truncated body, more than one file; 413 over the size limit;
 *        415 the real type (libmagic) is not one the kind accepts; 422 no
 *        file chosen, or an empty file.  Refusals change nothing. */
int apply_page_upload(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	long long id = param_id(c, &id_field), att_id;
	int kind = att_kind_parse(fields_get(&c->req.query, "kind"));
	struct upload u;
	struct mp_limits lim;
	struct buf msg = BUF_INIT;
	char limit[32], type[160];
	enum mp_err e;
	int rc;

	memset(&u, 0, sizeof u);
	u.spool.fd = -1;
	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		return rc;
	/* Checked before the body is read: a refusal costs no upload. */
	if (!auth_can_edit_application(&c->user, db_int(row, "account_id", 0)) || kind < 0) {
		rc = not_yours(c, id, kind < 0 ? "附件类别无效" : "无权向该申报书上传附件");
		goto out;
	}
	if (!app_status_editable(db_str(row, "status", ""))) {
		rc = app_fail(c, 409, "申报书已提交，不能再上传或更换附件。");
		goto out;
	}
	if (!db_int(row, "window_open", 0)) {
		rc = app_fail(c, 409, "该年度遴选的申报时间已截止，不能再上传附件。");
		goto out;
	}
	att_mp_limits(att_max_bytes(), &lim);
	att_size_label(att_max_bytes(), limit, sizeof limit);
	e = read_upload(c, &lim, &u);
	if (e == MP_ERR_FILE_TOO_LARGE || e == MP_ERR_TOTAL_TOO_LARGE) {
		buf_addf(&msg, "文件超过大小限制：每个文件最大 %s。请压缩后再上传。", limit);
		rc = upload_refused(c, 413, row, ind, msg.data);
		goto out;
	}
	if (e == MP_ERR_CALLBACK && u.stop == UP_STOP_SECOND_FILE) {
		rc = upload_refused(c, 400, row, ind, "一次只能上传一个文件，请逐个上传。");
		goto out;
	}
	if (e == MP_ERR_CALLBACK) {
		rc = DB_ERROR; /* the temporary file or libmagic failed: logged */
		goto out;
	}
	if (e != MP_OK) {
		log_warn("upload refused: %s", mp_errname(e));
		buf_addf(&msg, "上传未完成：%s。请重新选择文件上传。", mp_strerror(e));
		rc = upload_refused(c, mp_http_status(e) == 500 ? 400 : mp_http_status(e), row, ind,
				    msg.data);
		goto out;
	}
	if (!u.complete) {
		rc = upload_refused(c, 422, row, ind, "请选择要上传的文件。");
		goto out;
	}
	if (u.spool.size == 0) {
		buf_addf(&msg, "文件“%s”是空文件，请重新选择。", u.name);
		rc = upload_refused(c, 422, row, ind, msg.data);
		goto out;
	}
	if (!att_type_allowed((enum att_kind)kind, u.spool.mime)) {
		log_info("upload refused: real type %s for kind %s", u.spool.mime,
			 att_kind_name((enum att_kind)kind));
		buf_addf(&msg, "文件“%s”的实际类型为 %s，%s只接受 %s", u.name, u.spool.mime,
			 att_kind_label((enum att_kind)kind), att_kind_types((enum att_kind)kind));
		app_note_refusal(c, "refused.upload_type", "application", id, msg.data);
		buf_reset(&msg);
		buf_addf(&msg,
			 "文件“%s”的实际内容是%s，%s只接受 %s 文件。系统按文件内容判断类型，"
			 "修改文件名或扩展名不能改变文件类型，请上传正确的文件。",
			 u.name, att_type_label(u.spool.mime, type, sizeof type),
			 att_kind_label((enum att_kind)kind), att_kind_types((enum att_kind)kind));
		rc = upload_refused(c, 415, row, ind, msg.data);
		goto out;
	}
	rc = att_store(&c->actor, id, (enum att_kind)kind, u.name, &u.spool, &att_id);
	switch (rc) {
	case DB_OK:
		buf_addf(&msg, "/apply/edit?id=%lld&uploaded=1#attachments", id);
		rc = app_redirect(c, msg.data);
		break;
	case APP_E_NOT_FOUND:
		rc = not_yours(c, id, "申报书不存在或已不可见");
		break;
	case APP_E_NOT_EDITABLE:
		rc = app_fail(c, 409, "申报书已提交，不能再上传或更换附件。");
		break;
	case APP_E_CLOSED:
		rc = app_fail(c, 409, "该年度遴选的申报时间已截止，不能再上传附件。");
		break;
	case ATT_E_TOO_MANY:
		buf_addf(&msg, "%s最多上传 %d 个文件，请先删除不需要的文件。",
			 att_kind_label((enum att_kind)kind), att_kind_max((enum att_kind)kind));
		rc = upload_refused(c, 409, row, ind, msg.data);
		break;
	default:
		break;
	}
out:
	att_spool_close(&u.spool);
	free(u.name);
	buf_release(&msg);
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

/*   POST id=N&file=M  303 to the edit page (deleted=1); 404 not the user's
 *                     application or not its file; 409 submitted or the
 *                     window closed (nothing deleted) */
int apply_page_delete_file(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	long long id = param_id(c, &id_field), file = param_id(c, &file_field);
	int rc;

	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		return rc;
	if (!auth_can_edit_application(&c->user, db_int(row, "account_id", 0)) || !file)
		rc = APP_E_NOT_FOUND;
	else
		rc = att_delete(&c->actor, id, file);
	switch (rc) {
	case DB_OK:
		rc = redirect_id(c, "edit", id, "deleted=1#attachments");
		break;
	case APP_E_NOT_FOUND:
		rc = app_refuse(c, 404, "refused.object", "attachment", file,
				"附件不存在、不属于该申报书或无权删除", "未找到该文件，或您无权删除。");
		break;
	case APP_E_NOT_EDITABLE:
		rc = app_fail(c, 409, "申报书已提交，不能再删除附件。");
		break;
	case APP_E_CLOSED:
		rc = app_fail(c, 409, "该年度遴选的申报时间已截止，不能再删除附件。");
		break;
	default:
		break;
	}
	json_object_put(row);
	json_object_put(ind);
	return rc;
}
