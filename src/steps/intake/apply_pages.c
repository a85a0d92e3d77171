#include "steps/intake/apply_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "steps/intake/app_status.h"
#include "steps/intake/application.h"
#include "steps/intake/attachments.h"
#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "steps/intake/enterprise.h"
#include "core/form.h"
#include "core/log.h"
#include "core/mpform.h"
#include "core/multipart.h"
#include "core/presession.h"
#include "rules/sme.h"
#include "steps/accounts/users.h"
#include "steps/intake/sme_db.h"
#include "core/banned.h"

static const struct field_spec id_field = { "id", "申报书编号", FIELD_INT, true, 0, 1, 1LL << 53,
					    NULL };
static const struct field_spec file_field = { "file", "附件编号", FIELD_INT, true, 0, 1, 1LL << 53,
					      NULL };
static const struct field_spec round_field = { "round", "年度遴选", FIELD_INT, true, 0, 1,
					       1LL << 53, NULL };

/* ---- small helpers ---- */

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
	e->ent_type = form_str(f, "ent_type");
	/* The words of the licence only for "other"; a stray text is dropped. */
	e->ent_type_other = strcmp(e->ent_type, ENT_TYPE_OTHER) ? NULL : form_str(f, "ent_type_other");
	/* Only an exception lets a code with a failing check character this far. */
	{
		char mismatch[USCC_LEN + 1];
		enterprise_check_mismatch_code(code, mismatch);
		e->uscc_override = mismatch[0] != '\0';
	}
}

/* ---- registration (public) ---- */

static int show_register(struct ctx *c, int status, struct form *f)
{
	char token[PRESESSION_TOKEN_HEX + 1];
	int rc = set_cities(c, form_str(f, "city_code"));
	if (rc != DB_OK)
		return rc;
	/* No session yet: the pre-session token (core/presession.h). */
	presession_token(&c->req, &c->resp, token);
	app_set_str(c, "pre_token", token);
	app_set(c, "ent_types", enterprise_type_options(form_str(f, "ent_type")));
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
	form_tidy(&c->req.form);
	if (!presession_ok(&c->req)) {
		log_warn("registration without a matching pre-session token, or cross-site");
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
		struct session_origin from = { c->req.remote_addr, c->req.user_agent, NULL, NULL, 0 };
		rc = enterprise_register(&e, form_str(&f, "login"), form_str(&f, "password"), &from,
					 &s, &account_id);
		if (rc == DB_OK) {
			resp_cookie(&c->resp, SESSION_COOKIE, s.token, -1);
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

/* The type form for a record that has none (registered before the type was
 * asked for); id=N, an application, is where to go back to. */
static int profile_type(struct ctx *c, long long enterprise_id)
{
	struct form f;
	long long app_id = form_param_int(&c->req, &id_field);
	int rc = DB_OK, status = 200;
	char to[64];

	form_init(&f, enterprise_type_fields, enterprise_type_nfields);
	if (c->req.method == METHOD_POST) {
		form_tidy(&c->req.form);
		form_validate(&f, &c->req);
		if (!enterprise_check_type(&f)) {
			const char *type = form_str(&f, "ent_type");
			rc = enterprise_set_type(&c->actor, enterprise_id, type,
						 strcmp(type, ENT_TYPE_OTHER) ? NULL
									: form_str(&f, "ent_type_other"));
			if (rc == DB_OK || rc == ENT_E_HAS_TYPE) {
				if (app_id)
					snprintf(to, sizeof to, "/apply/edit?id=%lld", app_id);
				rc = app_redirect(c, app_id ? to : "/apply");
			}
			goto out;
		}
		status = 422;
	}
	app_set(c, "ent_types", enterprise_type_options(form_str(&f, "ent_type")));
	app_set(c, "form", form_json(&f));
	if (app_id)
		app_set(c, "app_id", json_object_new_int64(app_id));
	rc = app_render(c, status, "apply_type", "填写企业类型");
out:
	form_release(&f);
	return rc;
}

/*   GET  200 the form (the record exists: 303 to /apply, or the type form
 *        when the record has no enterprise type)
 *   POST 303 to /apply (the type form: to the application id=N if given);
 *        422 with reasons; 409 credit code taken */
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
		bool typed = db_str(row, "ent_type", NULL) != NULL;
		id = db_int(row, "id", 0);
		json_object_put(row);
		return typed ? app_redirect(c, "/apply") : profile_type(c, id);
	}
	form_init(&f, enterprise_reg_fields, enterprise_profile_nfields);
	if (c->req.method == METHOD_POST) {
		form_tidy(&c->req.form);
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
	app_set(c, "ent_types", enterprise_type_options(form_str(&f, "ent_type")));
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
	json_object *ent = NULL, *rounds = NULL, *apps = NULL, *ban = NULL;
	int rc;

	if ((rc = my_enterprise(c, &ent)) != DB_OK || !ent)
		return rc;
	if ((rc = app_open_rounds(&rounds)) != DB_OK ||
	    (rc = app_list_for_enterprise(db_int(ent, "id", 0), &apps)) != DB_OK ||
	    (rc = app_reapply_ban(db_int(ent, "id", 0), &ban)) != DB_OK)
		goto out;
	if (ban)
		app_set(c, "reapply_ban", json_object_get(ban));
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
	json_object_put(ban);
	return rc;
}

/*   POST round=N: 303 to the form of the enterprise's application for the
 *        round (made as a draft on the first visit); 404 no such round;
 *        409 the window is not open (nothing made) */
int apply_page_start(struct ctx *c)
{
	json_object *ent = NULL;
	long long round_id = form_param_int(&c->req, &round_field), app_id;
	int rc;

	if (!round_id)
		return app_fail(c, 404, "未找到该年度遴选。");
	if ((rc = my_enterprise(c, &ent)) != DB_OK || !ent)
		return rc;
	long long ent_id = db_int(ent, "id", 0);
	rc = app_start(&c->actor, ent_id, round_id, &app_id);
	json_object_put(ent);
	if (rc == APP_E_BANNED) {
		json_object *ban = NULL;
		if ((rc = app_reapply_ban(ent_id, &ban)) != DB_OK)
			return rc;
		rc = app_refuse(c, 409, "refused.rule", "enterprise", ent_id, "称号被撤销后限制申报期内新建申报书",
				ban ? db_str(ban, "message", "") : "本企业目前不能申报。");
		json_object_put(ban);
		return rc;
	}
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
	enterprise_type_json(row);
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

/* What one POST of the application form did to each kind of file, for the
 * page shown next: a message next to the kind's file input, or the kind
 * marked as just uploaded (also from ?uploaded=K,K on the GET after the
 * redirect). */
struct upload_outcome {
	const char *summary;              /* about the uploads as a whole, or NULL */
	const char *error[ATT_KINDS];     /* next to the kind's file input, or NULL */
	bool uploaded[ATT_KINDS];
};

/* The first characters of a SHA-256 for the lists; the full value stays in
 * the row (sha256) for a title, a details element and print. */
#define SHA_SHORT_HEX 12

/* The application's files (attachments) and, for the edit page, one file
 * input per kind (upload_kinds: kind, label, types, max, replaces, count,
 * full, has, error, uploaded, uploaded_name). */
static int set_attachments(struct ctx *c, long long app_id, bool with_forms,
			   const struct upload_outcome *out)
{
	json_object *rows = NULL, *kinds;
	char max[32];
	int rc = att_list(app_id, &rows);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		const char *sha = db_str(r, "sha256", "");
		if (strlen(sha) > SHA_SHORT_HEX) {
			char s[SHA_SHORT_HEX + 4];
			snprintf(s, sizeof s, "%.*s…", SHA_SHORT_HEX, sha);
			json_object_object_add(r, "sha256_short", json_object_new_string(s));
		} else {
			json_object_object_add(r, "sha256_short", json_object_new_string(sha));
		}
	}
	if (with_forms) {
		kinds = json_object_new_array();
		for (int k = 0; k < ATT_KINDS; k++) {
			json_object *o = json_object_new_object();
			const char *last = NULL;
			long long n = 0;
			for (size_t i = 0; i < json_object_array_length(rows); i++) {
				json_object *r = json_object_array_get_idx(rows, i);
				if (!strcmp(db_str(r, "kind", ""), att_kind_name((enum att_kind)k))) {
					n++;
					last = db_str(r, "original_name", NULL);
				}
			}
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
			if (out && out->error[k])
				json_object_object_add(o, "error", json_object_new_string(out->error[k]));
			else if (out && out->uploaded[k] && last)
				json_object_object_add(o, "uploaded_name", json_object_new_string(last));
			json_object_array_add(kinds, o);
		}
		app_set(c, "upload_kinds", kinds);
		app_set_str(c, "upload_max", att_size_label(att_max_bytes(), max, sizeof max));
		if (out && out->summary)
			app_set_str(c, "upload_error", out->summary);
	}
	app_set(c, "attachments", rows);
	return DB_OK;
}

/* Renders the edit page: form is the template's form object (taken); out
 * (may be NULL) what the request did to the files. */
static int show_edit(struct ctx *c, int status, json_object *row, json_object *ind,
		     json_object *form, const struct app_checklist *cl,
		     const struct upload_outcome *out)
{
	char today[CIVIL_DATE_LEN + 1];
	int rc;
	if ((rc = set_choices(c, form)) != DB_OK || (rc = set_checklist(c, row, ind, cl)) != DB_OK) {
		json_object_put(form);
		return rc;
	}
	if ((rc = set_attachments(c, db_int(row, "id", 0), true, out)) != DB_OK) {
		json_object_put(form);
		return rc;
	}
	set_app(c, row, ind);
	app_set(c, "form", form);
	civil_format(civil_today_shanghai(), today);
	app_set_str(c, "today", today);
	return app_render(c, status, "apply_edit", "填写申报书");
}

static int do_submit(struct ctx *c, long long id, const struct upload_outcome *out)
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
		rc = show_edit(c, 422, row, ind, app_form_json_from_row(row, ind), &cl, out);
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

/* ---- the files of the application form ---- */

/* Why the file callbacks stopped the parser (MP_ERR_CALLBACK). */
enum upload_stop { UP_STOP_NONE = 0, UP_STOP_SECOND_FILE, UP_STOP_IO };

/* What one POST of the form brought: at most one file per kind, each
 * spooled as it comes.  The file inputs are named file_<kind>. */
struct upload {
	bool accept;                       /* spool the files (else read and dropped) */
	struct att_spool spool[ATT_KINDS]; /* fd -1 until the kind's file part begins */
	char *name[ATT_KINDS];             /* the stored names (att_stored_name); owned */
	bool chosen[ATT_KINDS];            /* a file was chosen for the kind */
	bool complete[ATT_KINDS];          /* its part ended and was checked */
	int kind;                          /* the kind of the file part being read, or -1 */
	enum upload_stop stop;
};

static void upload_init(struct upload *u, bool accept)
{
	memset(u, 0, sizeof *u);
	u->accept = accept;
	u->kind = -1;
	for (int k = 0; k < ATT_KINDS; k++)
		u->spool[k].fd = -1;
}

static void upload_release(struct upload *u)
{
	for (int k = 0; k < ATT_KINDS; k++) {
		att_spool_close(&u->spool[k]);
		free(u->name[k]);
		u->name[k] = NULL;
	}
}

/* "file_experience" -> ATT_EXPERIENCE ...; -1 for any other name. */
static int file_input_kind(const char *name)
{
	return strncmp(name, "file_", 5) ? -1 : att_kind_parse(name + 5);
}

static int up_begin(void *ctx, const struct mp_part *part)
{
	struct upload *u = ctx;
	int k = file_input_kind(part->name);
	u->kind = k;
	if (k < 0 || !part->filename[0])
		return 0; /* not one of the form's file inputs, or no file chosen in it */
	if (u->chosen[k]) {
		u->stop = UP_STOP_SECOND_FILE;
		return -1;
	}
	u->chosen[k] = true;
	u->name[k] = att_stored_name(part->filename);
	if (u->accept && att_spool_begin(&u->spool[k])) {
		u->stop = UP_STOP_IO;
		return -1;
	}
	return 0;
}

static int up_data(void *ctx, const struct mp_part *part, const char *data, size_t len)
{
	struct upload *u = ctx;
	(void)part;
	if (u->kind < 0 || u->spool[u->kind].fd < 0)
		return 0; /* dropped: not a file input, no file, or nothing is accepted */
	if (att_spool_write(&u->spool[u->kind], data, len)) {
		u->stop = UP_STOP_IO;
		return -1;
	}
	return 0;
}

static int up_end(void *ctx, const struct mp_part *part)
{
	struct upload *u = ctx;
	int k = u->kind;
	(void)part;
	u->kind = -1;
	if (k < 0 || u->spool[k].fd < 0)
		return 0;
	if (att_spool_end(&u->spool[k])) {
		u->stop = UP_STOP_IO;
		return -1;
	}
	u->complete[k] = true;
	return 0;
}

static const struct mp_callbacks upload_callbacks = { up_begin, up_data, up_end };

/* The messages of one POST, owned here (the outcome points into them). */
struct edit_messages {
	struct buf kind[ATT_KINDS];
	struct buf summary;
};

static void messages_release(struct edit_messages *m)
{
	for (int k = 0; k < ATT_KINDS; k++)
		buf_release(&m->kind[k]);
	buf_release(&m->summary);
}

/* A refusal of the user's: the first one decides the page's status. */
static void refuse(int *status, int st)
{
	if (!*status && st)
		*status = st;
}

/* Why the body could not be read, at the file input it concerns when there
 * is one.  Returns the status (503 when the spool failed: ATT_SPOOL_FAILED). */
static int body_refused(enum mp_err e, const struct upload *u, struct edit_messages *m,
			struct upload_outcome *out)
{
	char limit[32];
	int k = u->kind;
	struct buf *b = k >= 0 ? &m->kind[k] : &m->summary;
	att_size_label(att_max_bytes(), limit, sizeof limit);
	if (e == MP_ERR_CALLBACK && u->stop == UP_STOP_SECOND_FILE) {
		buf_adds(b, "一次只能上传一个文件，请逐个上传。");
	} else if (e == MP_ERR_CALLBACK) {
		buf_adds(b, ATT_SPOOL_FAILED); /* the temporary file or libmagic: logged */
	} else if (e == MP_ERR_FILE_TOO_LARGE || e == MP_ERR_TOTAL_TOO_LARGE) {
		buf_addf(b, "文件超过大小限制：每个文件最大 %s。请压缩后再上传。", limit);
	} else {
		log_warn("application form refused: %s", mp_errname(e));
		buf_addf(b, "提交未完成：%s。草稿和文件都未保存，请重新选择文件后提交。", mp_strerror(e));
	}
	if (k >= 0)
		out->error[k] = b->data;
	else
		out->summary = b->data;
	if (e == MP_ERR_CALLBACK)
		return u->stop == UP_STOP_SECOND_FILE ? 400 : ATT_SPOOL_FAILED_STATUS;
	return mp_http_status(e) == 500 ? 400 : mp_http_status(e);
}

/* Stores the file chosen for kind k (already spooled and checked by libmagic).
 * Returns DB_OK with *status 0 on success or the user's refusal in *status
 * with the message at the kind; other results are the caller's to answer. */
static int store_file(struct ctx *c, long long id, int k, struct upload *u,
		      struct edit_messages *m, struct upload_outcome *out, int *status)
{
	enum att_kind kind = (enum att_kind)k;
	char type[160];
	long long att_id;
	int rc;
	*status = 0;
	if (u->spool[k].size == 0) {
		buf_addf(&m->kind[k], "文件“%s”是空文件，请重新选择。", u->name[k]);
		*status = 422;
	} else if (!att_type_allowed(kind, u->spool[k].mime)) {
		log_info("upload refused: real type %s for kind %s", u->spool[k].mime, att_kind_name(kind));
		buf_addf(&m->kind[k], "文件“%s”的实际类型为 %s，%s只接受 %s", u->name[k],
			 u->spool[k].mime, att_kind_label(kind), att_kind_types(kind));
		app_note_refusal(c, "refused.upload_type", "application", id, m->kind[k].data);
		buf_reset(&m->kind[k]);
		buf_addf(&m->kind[k],
			 "文件“%s”的实际内容是%s，%s只接受 %s 文件。系统按文件内容判断类型，"
			 "修改文件名或扩展名不能改变文件类型，请上传正确的文件。",
			 u->name[k], att_type_label(u->spool[k].mime, type, sizeof type),
			 att_kind_label(kind), att_kind_types(kind));
		*status = 415;
	} else {
		rc = att_store(&c->actor, id, kind, u->name[k], &u->spool[k], &att_id);
		if (rc == DB_OK) {
			out->uploaded[k] = true;
			return DB_OK;
		}
		if (rc != ATT_E_TOO_MANY)
			return rc;
		buf_addf(&m->kind[k], "%s最多上传 %d 个文件，请先删除不需要的文件。", att_kind_label(kind),
			 att_kind_max(kind));
		*status = 409;
	}
	out->error[k] = m->kind[k].data;
	return DB_OK;
}

/* The page after a change refused by the application's state (app_save,
 * att_store: submitted meanwhile, window closed, gone). */
static int state_refused(struct ctx *c, int rc, bool submit, long long id)
{
	switch (rc) {
	case APP_E_NOT_EDITABLE:
		return submit ? redirect_id(c, "view", id, "already=1")
			      : app_fail(c, 409, "申报书已提交，不能再修改或上传附件。");
	case APP_E_CLOSED:
		return app_fail(c, 409, "该年度遴选的申报时间已截止，申报书和附件未能保存。");
	case APP_E_NOT_FOUND:
		return not_yours(c, id, "申报书不存在或已不可见");
	default:
		return rc;
	}
}

/* ?uploaded=experience,commitment: the kinds a redirect reports as uploaded. */
static void parse_uploaded(const char *v, struct upload_outcome *out)
{
	char name[32];
	while (v && *v) {
		size_t n = strcspn(v, ",");
		int k;
		if (n < sizeof name) {
			memcpy(name, v, n);
			name[n] = '\0';
			if ((k = att_kind_parse(name)) >= 0)
				out->uploaded[k] = true;
		}
		v += n + (v[n] == ',');
	}
}

/* The edit page for a GET, with what the redirect of a POST reported. */
static int edit_get(struct ctx *c, long long id, json_object *row, json_object *ind)
{
	struct upload_outcome out;
	bool saved = request_param(&c->req, "saved") != NULL;
	memset(&out, 0, sizeof out);
	if (!may_edit(c, row))
		return redirect_id(c, "view", id, NULL);
	parse_uploaded(request_param(&c->req, "uploaded"), &out);
	if (saved && request_param(&c->req, "uploaded"))
		app_set_str(c, "notice", "草稿已保存，文件已上传。");
	else if (saved)
		app_set_str(c, "notice", "草稿已保存。");
	else if (request_param(&c->req, "uploaded"))
		app_set_str(c, "notice", "文件已上传。");
	else if (request_param(&c->req, "deleted"))
		app_set_str(c, "notice", "文件已删除。");
	return show_edit(c, 200, row, ind, app_form_json_from_row(row, ind), NULL, &out);
}

/*   GET  ?id=N  200 the form with the checklist; 303 to the view when the
 *               application cannot be changed (submitted, window closed)
 *   POST ?id=N  the one form: its text fields and a file per kind
 *               (file_experience, file_commitment, file_supporting), as
 *               multipart/form-data with the CSRF token as its first field
 *               (core/mpform.h), or urlencoded without files.  Each chosen
 *               file is checked and stored on its own; the text is saved when
 *               the body carries it (urlencoded, or the hidden field draft=1);
 *               action=submit then submits as /apply/submit.  All done: 303
 *               to the form (saved=1, uploaded=K,K #attachments) or the view.
 *               Else the form again, the input kept, each reason at its place:
 *               400 a malformed or truncated body, two files for one input;
 *               413 a file over the size limit; 415 a real type (libmagic) the
 *               kind does not accept; 422 field errors, an empty file, no file
 *               for action=upload; 409 the kind holds its maximum of files.
 *               403 without the token (nothing read past it); 409 the window
 *               closed or the application was submitted (a replayed submit:
 *               303 to the view); 404 not the user's */
int apply_page_edit(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	struct form f;
	bool form_used = false, text_sent, submit, upload_only, any_chosen = false, saved = false;
	struct app_fields af;
	struct upload u;
	struct upload_outcome out;
	struct edit_messages m;
	struct mp_limits lim;
	enum mp_err e;
	enum mpform_status st;
	long long id = form_param_int(&c->req, &id_field);
	int rc, status = 0, fst;

	upload_init(&u, false);
	memset(&out, 0, sizeof out);
	memset(&m, 0, sizeof m);
	for (int k = 0; k < ATT_KINDS; k++)
		buf_init(&m.kind[k]);
	buf_init(&m.summary);
	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		goto done;
	if (!auth_can_edit_application(&c->user, db_int(row, "account_id", 0))) {
		rc = not_yours(c, id, "无权修改该申报书");
		goto done;
	}
	if (c->req.method != METHOD_POST) {
		rc = edit_get(c, id, row, ind);
		goto done;
	}
	/* The body is read (and its token checked) before anything else; files
	 * are spooled only while the application can still change. */
	upload_init(&u, app_status_editable(db_str(row, "status", "")) && db_int(row, "window_open", 0));
	att_mp_limits(att_max_bytes(), &lim);
	st = mpform_read(c, &lim, &upload_callbacks, &u, &e);
	if (st == MPFORM_REFUSED) {
		rc = 0;
		goto done;
	}
	{
		const char *action = request_param(&c->req, "action");
		submit = action && !strcmp(action, "submit");
		upload_only = action && !strcmp(action, "upload");
	}
	/* Refused before looking at the input; app_save and att_store check
	 * again under the row lock. */
	if (!app_status_editable(db_str(row, "status", ""))) {
		rc = state_refused(c, APP_E_NOT_EDITABLE, submit, id);
		goto done;
	}
	if (!db_int(row, "window_open", 0)) {
		rc = state_refused(c, APP_E_CLOSED, submit, id);
		goto done;
	}
	text_sent = !request_is_multipart(&c->req) || request_param(&c->req, "draft");
	form_tidy(&c->req.form);
	form_init(&f, app_form_fields, app_form_nfields);
	form_used = true;
	if (st == MPFORM_BODY) {
		/* Nothing is applied from a body that could not be read whole; the
		 * text that came is shown again, without judging it. */
		status = body_refused(e, &u, &m, &out);
		if (text_sent) {
			form_validate(&f, &c->req);
			for (size_t i = 0; i < f.n; i++) {
				free(f.v[i].error);
				f.v[i].error = NULL;
			}
			f.errors = 0;
			form_error(&f, "", "申报书未保存：提交的内容未能完整接收，原因见下方附件部分。");
		}
		goto show;
	}
	/* The files first, each on its own: a refused one does not stop the rest. */
	for (int k = 0; k < ATT_KINDS; k++) {
		if (!u.chosen[k])
			continue;
		any_chosen = true;
		if ((rc = store_file(c, id, k, &u, &m, &out, &fst)) != DB_OK) {
			rc = state_refused(c, rc, submit, id);
			goto done;
		}
		refuse(&status, fst);
	}
	if (!any_chosen && (upload_only || !text_sent)) {
		out.summary = "请选择要上传的文件。";
		refuse(&status, 422);
	}
	if (text_sent) {
		form_validate(&f, &c->req);
		app_fields_from_form(&f, civil_today_shanghai(), &af);
		if ((rc = check_choices(&f, &af)) != DB_OK)
			goto done;
		if (f.errors) {
			if (!f.v[f.n].error)
				form_error(&f, "", "申报书未保存：请按提示修改标出的内容。");
			refuse(&status, 422);
		} else if ((rc = app_save(&c->actor, id, &af)) != DB_OK) {
			rc = state_refused(c, rc, submit, id);
			goto done;
		} else {
			saved = true;
		}
	}
	if (!status) {
		struct buf to = BUF_INIT;
		if (submit) {
			rc = do_submit(c, id, &out);
			goto done;
		}
		buf_addf(&to, "/apply/edit?id=%lld", id);
		if (saved)
			buf_adds(&to, "&saved=1");
		for (int k = 0, first = 1; k < ATT_KINDS; k++)
			if (out.uploaded[k]) {
				buf_addf(&to, "%s%s", first ? "&uploaded=" : ",", att_kind_name((enum att_kind)k));
				first = 0;
			}
		if (any_chosen)
			buf_adds(&to, "#attachments");
		rc = app_redirect(c, to.data);
		buf_release(&to);
		goto done;
	}
	if (saved || any_chosen) {
		/* Part of it was done: say which, and show what is stored now. */
		json_object_put(row);
		json_object_put(ind);
		row = ind = NULL;
		if ((rc = app_load(id, &row, &ind)) != DB_OK)
			goto done;
		if (!row) {
			rc = not_yours(c, id, "申报书不存在或已不可见");
			goto done;
		}
		if (saved)
			app_set_str(c, "notice", "草稿已保存；附件未能全部上传，原因见下方附件部分。");
	}
show:
	rc = show_edit(c, status, row, ind,
		       text_sent ? form_json(&f) : app_form_json_from_row(row, ind), NULL, &out);
done:
	if (form_used)
		form_release(&f);
	upload_release(&u);
	messages_release(&m);
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
	long long id = form_param_int(&c->req, &id_field);
	int rc;
	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		return rc;
	if (!auth_can_edit_application(&c->user, db_int(row, "account_id", 0)))
		rc = not_yours(c, id, "无权提交该申报书");
	else
		rc = do_submit(c, id, NULL);
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

/*   GET ?id=N  200 the application read-only with its status; 404 when the
 *              user may not see it */
int apply_page_view(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	long long id = form_param_int(&c->req, &id_field);
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
	if ((rc = set_attachments(c, id, false, NULL)) != DB_OK)
		goto out;
	json_object *timeline = NULL;
	if ((rc = app_timeline(id, db_str(row, "city_name", ""), &timeline)) != DB_OK)
		goto out;
	app_set(c, "timeline", timeline);
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

static const struct field_spec city_list_fields[] = {
	{ "q", "企业名称、典型经验名称或统一社会信用代码", FIELD_LINE, false, 64, 0, 0, NULL },
	{ "page", "页码", FIELD_INT, false, 0, 1, 1000000, NULL },
};

/*   GET ?q=&page=  200 one page (50) of the applications that reached the
 *                  bureau, with how many and how many wait: a city user's
 *                  own city; the province sees every city; 422 the same
 *                  with a refused search explained (and not applied) */
int apply_page_city(struct ctx *c)
{
	struct form f;
	json_object *rows = NULL;
	const char *city = c->user.role == ROLE_CITY ? c->user.city_code : NULL, *q;
	long long page, total, waiting, npages;
	bool more;
	int rc, status;
	if (city && !auth_can_see_city(&c->user, city))
		return app_refuse(c, 403, "refused.role", NULL, 0, "市（地）工信局账户未设所属城市",
				  "您没有访问此页面的权限。");
	form_init(&f, city_list_fields, ARRAY_LEN(city_list_fields));
	status = form_validate_filters(&f, &c->req);
	q = form_str(&f, "q");
	page = *form_str(&f, "page") ? form_int(&f, "page") : 1;
	if ((rc = app_count_for_city(city, q, &total, &waiting)) != DB_OK)
		goto out;
	npages = total ? (total + APP_LIST_PAGE_SIZE - 1) / APP_LIST_PAGE_SIZE : 1;
	if (page > npages)
		page = npages; /* past the end (the list shrank): the last page */
	if ((rc = app_list_for_city(city, q, page, &rows, &more)) != DB_OK)
		goto out;
	app_set(c, "applications", rows);
	app_set(c, "total", json_object_new_int64(total));
	app_set(c, "waiting", json_object_new_int64(waiting));
	app_set(c, "npages", json_object_new_int64(npages));
	app_set(c, "pager", app_pager(page, more));
	app_set_str(c, "q", q);
	app_set(c, "form", form_json(&f));
	app_set(c, "all_cities", json_object_new_boolean(city == NULL));
	rc = app_render(c, status, "apply_city", city ? "属地企业申报" : "企业申报");
out:
	form_release(&f);
	return rc;
}

/*   GET  ?id=N&file=M  200 a confirmation page naming the file; 404 not the
 *                      user's application or not its file; 409 submitted or
 *                      the window closed
 *   POST id=N&file=M   303 to the edit page (deleted=1#attachments); 404;
 *                      409 submitted or the window closed (nothing deleted) */
int apply_page_delete_file(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL, *files = NULL, *found = NULL;
	long long id = form_param_int(&c->req, &id_field), file = form_param_int(&c->req, &file_field);
	int rc;

	if ((rc = load_visible(c, id, &row, &ind)) != DB_OK || !row)
		return rc;
	if (!auth_can_edit_application(&c->user, db_int(row, "account_id", 0)) || !file)
		rc = APP_E_NOT_FOUND;
	else if (c->req.method == METHOD_POST)
		rc = att_delete(&c->actor, id, file);
	else if (!app_status_editable(db_str(row, "status", "")))
		rc = APP_E_NOT_EDITABLE;
	else if (!db_int(row, "window_open", 0))
		rc = APP_E_CLOSED;
	else if ((rc = att_list(id, &files)) == DB_OK) {
		for (size_t i = 0; i < json_object_array_length(files); i++)
			if (db_int(json_object_array_get_idx(files, i), "id", 0) == file)
				found = json_object_get(json_object_array_get_idx(files, i));
		if (!found) {
			rc = APP_E_NOT_FOUND;
		} else {
			/* GET changes nothing: the page asks, its form deletes. */
			app_set(c, "file", found);
			set_app(c, row, ind);
			rc = app_render(c, 200, "apply_delete_file", "删除附件");
			goto out;
		}
	}
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
out:
	json_object_put(files);
	json_object_put(row);
	json_object_put(ind);
	return rc;
}
