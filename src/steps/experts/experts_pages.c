#include "steps/experts/experts_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "core/form.h"
#include "core/html.h"
#include "core/log.h"
#include "core/mpform.h"
#include "core/multipart.h"
#include "core/once.h"
#include "core/password.h"
#include "steps/experts/experts.h"
#include "steps/experts/experts_import.h"
#include "core/banned.h"

#define ID_MAX (1LL << 53)
/* The once_put purpose of an expert account's initial password (core/once.h). */
#define EXPERTS_ONCE_PASSWORD "expert.password"

static const struct field_spec id_spec = { "id", "专家编号", FIELD_INT, true, 0, 1, ID_MAX, NULL };
static const struct field_spec relation_id_spec = { "relation", "回避关系编号", FIELD_INT, true, 0, 1,
						    ID_MAX, NULL };

static const char NOT_FOUND[] = "未找到该专家。";

/* ---- small helpers ---- */

static int redirect_view(struct ctx *c, long long id, const char *done)
{
	char to[96];
	snprintf(to, sizeof to, "/experts/view?id=%lld%s%s", id, done ? "&done=" : "", done ? done : "");
	return app_redirect(c, to);
}

static json_object *empty_form(const struct field_spec *spec, size_t n)
{
	struct form f;
	json_object *o;
	form_init(&f, spec, n);
	o = form_json(&f);
	form_release(&f);
	return o;
}

/* The expert of ?id= / id= (*row NULL and the 404 page made when there is
 * none). */
static int load(struct ctx *c, long long *id, json_object **row)
{
	int rc;
	*row = NULL;
	*id = form_param_int(&c->req, &id_spec);
	if (*id && (rc = experts_get(*id, row)) != DB_OK)
		return rc;
	if (!*row)
		return app_fail(c, 404, NOT_FOUND);
	return DB_OK;
}

/* ---- the list ---- */

static const char *const status_codes[] = { "active", "suspended", "removed", NULL };
static const char *const org_type_codes[] = { "university", "association", "enterprise", "other", NULL };
static const char *const title_level_codes[] = { "senior", "deputy_senior", NULL };
static const struct field_spec list_fields[] = {
	{ "status", "状态", FIELD_CHOICE, false, 0, 0, 0, status_codes },
	{ "org_type", "单位类型", FIELD_CHOICE, false, 0, 0, 0, org_type_codes },
	{ "title_level", "职称级别", FIELD_CHOICE, false, 0, 0, 0, title_level_codes },
	{ "q", "关键词", FIELD_LINE, false, 50, 0, 0, NULL },
	{ "page", "页码", FIELD_INT, false, 0, 1, 1000000, NULL },
};

static void list_href(struct buf *b, const struct expert_filter *f, long long page)
{
	char sep = '?';
	buf_adds(b, "/experts");
	if (*f->status)
		buf_addf(b, "%cstatus=%s", sep, f->status), sep = '&';
	if (*f->org_type)
		buf_addf(b, "%corg_type=%s", sep, f->org_type), sep = '&';
	if (*f->title_level)
		buf_addf(b, "%ctitle_level=%s", sep, f->title_level), sep = '&';
	if (*f->q) {
		buf_addf(b, "%cq=", sep), sep = '&';
		url_encode(b, f->q, strlen(f->q));
	}
	if (page > 1)
		buf_addf(b, "%cpage=%lld", sep, page);
}

static json_object *href_json(const struct expert_filter *f, long long page)
{
	struct buf b = BUF_INIT;
	json_object *s;
	list_href(&b, f, page);
	s = json_object_new_string(b.data);
	buf_release(&b);
	return s;
}

/* Only the two qualifying levels are filters: nobody below them is in the pool. */
static const struct expert_choice qualifying_levels[] = {
	{ "senior", "正高级" }, { "deputy_senior", "副高级" }, { NULL, NULL },
};

/*   GET ?status=&org_type=&title_level=&q=&page=
 *       200 one page of 20 experts, mobile and e-mail masked; 422 the same
 *       with a refused filter explained (and not applied) */
int exp_page_index(struct ctx *c)
{
	struct form f;
	struct expert_filter flt;
	json_object *rows = NULL, *list, *pages, *filters;
	long long total = 0, npages;
	int rc, status;

	form_init(&f, list_fields, ARRAY_LEN(list_fields));
	status = form_validate_filters(&f, &c->req);
	memset(&flt, 0, sizeof flt);
	flt.status = form_str(&f, "status");
	flt.org_type = form_str(&f, "org_type");
	flt.title_level = form_str(&f, "title_level");
	flt.q = form_str(&f, "q");
	flt.page = *form_str(&f, "page") ? form_int(&f, "page") : 1;
	flt.page_size = EXPERT_PAGE_SIZE;
	if ((rc = experts_list(&flt, &rows, &total)) != DB_OK)
		goto out;
	npages = total ? (total + EXPERT_PAGE_SIZE - 1) / EXPERT_PAGE_SIZE : 1;
	if (flt.page > npages) {
		/* Past the end (the list shrank): the last page. */
		flt.page = npages;
		json_object_put(rows);
		if ((rc = experts_list(&flt, &rows, &total)) != DB_OK)
			goto out;
	}
	pages = json_object_new_array();
	for (long long p = flt.page - 4 < 1 ? 1 : flt.page - 4; p <= npages && p <= flt.page + 4; p++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "n", json_object_new_int64(p));
		json_object_object_add(o, "href", href_json(&flt, p));
		if (p == flt.page)
			json_object_object_add(o, "current", json_object_new_boolean(1));
		json_object_array_add(pages, o);
	}
	list = json_object_new_object();
	json_object_object_add(list, "rows", rows);
	rows = NULL;
	json_object_object_add(list, "total", json_object_new_int64(total));
	json_object_object_add(list, "page", json_object_new_int64(flt.page));
	json_object_object_add(list, "npages", json_object_new_int64(npages));
	json_object_object_add(list, "pages", pages);
	if (flt.page > 1)
		json_object_object_add(list, "prev", href_json(&flt, flt.page - 1));
	if (flt.page < npages)
		json_object_object_add(list, "next", href_json(&flt, flt.page + 1));
	app_set(c, "list", list);
	filters = json_object_new_object();
	json_object_object_add(filters, "statuses", expert_choice_options(expert_statuses, flt.status));
	json_object_object_add(filters, "org_types", expert_choice_options(expert_org_types, flt.org_type));
	json_object_object_add(filters, "title_levels",
			       expert_choice_options(qualifying_levels, flt.title_level));
	json_object_object_add(filters, "q", json_object_new_string(flt.q));
	json_object_object_add(filters, "any",
			       json_object_new_boolean(*flt.status || *flt.org_type || *flt.title_level ||
						       *flt.q));
	app_set(c, "filters", filters);
	app_set(c, "form", form_json(&f));
	rc = app_render(c, status, "experts_index", "专家库");
out:
	json_object_put(rows);
	form_release(&f);
	return rc;
}

/* ---- one expert ---- */

static const struct field_spec suspend_fields[] = {
	{ "suspend_until", "暂停截止日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "suspend_reason", "暂停理由", FIELD_TEXT, true, EXPERT_REASON_MAX, 0, 0, NULL },
};
static const struct field_spec remove_fields[] = {
	{ "remove_reason", "移出理由", FIELD_TEXT, true, EXPERT_REASON_MAX, 0, 0, NULL },
};
static const struct field_spec reactivate_fields[] = {
	{ "reactivate_reason", "恢复理由", FIELD_TEXT, true, EXPERT_REASON_MAX, 0, 0, NULL },
};
static const struct field_spec account_fields[] = {
	{ "login", "用户名", FIELD_LOGIN, true, 32, 0, 0, NULL },
};

/* The forms of the expert's page; each NULL is shown empty. */
struct view_forms {
	json_object *relation, *suspend, *remove, *reactivate, *account;
	const char *error; /* a summary of a refused change (409) */
};

static const struct {
	const char *done, *notice;
} view_notices[] = {
	{ "created", "专家已入库。可在下方登记回避关系、开通评审专家账户。" },
	{ "updated", "专家信息已保存。" },
	{ "unchanged", "信息没有变化，未做修改。" },
	{ "relation_added", "回避关系已登记：涉及该企业的评审中，该专家将回避。" },
	{ "relation_removed", "回避关系已撤销。" },
	{ "suspended", "已暂停该专家：暂停期间不参加专家抽取。" },
	{ "removed", "已将该专家移出专家库：不再参加专家抽取。" },
	{ "reactivated", "该专家已恢复在库。" },
};

static int show_view(struct ctx *c, int status, long long id, json_object *row, struct view_forms *vf)
{
	json_object *relations = NULL, *history = NULL, *forms;
	const char *done = request_param(&c->req, "done"), *st = db_str(row, "status", "");
	int s = expert_status_parse(st);
	char login[24];
	int rc;

	if ((rc = experts_relations(id, &relations)) != DB_OK || (rc = experts_history(id, &history)) != DB_OK)
		goto out;
	for (size_t i = 0; done && status == 200 && i < ARRAY_LEN(view_notices); i++)
		if (!strcmp(done, view_notices[i].done))
			app_set_str(c, "notice", view_notices[i].notice);
	if (vf->error)
		app_set_str(c, "error", vf->error);
	forms = json_object_new_object();
	json_object_object_add(forms, "relation",
			       vf->relation ? vf->relation : empty_form(expert_relation_fields, RF_COUNT));
	json_object_object_add(forms, "suspend", vf->suspend ? vf->suspend : empty_form(suspend_fields, ARRAY_LEN(suspend_fields)));
	json_object_object_add(forms, "remove", vf->remove ? vf->remove : empty_form(remove_fields, ARRAY_LEN(remove_fields)));
	json_object_object_add(forms, "reactivate",
			       vf->reactivate ? vf->reactivate : empty_form(reactivate_fields, ARRAY_LEN(reactivate_fields)));
	if (!vf->account) {
		vf->account = empty_form(account_fields, ARRAY_LEN(account_fields));
		expert_login_proposal(id, login);
		json_object *lf = NULL;
		if (json_object_object_get_ex(vf->account, "login", &lf))
			json_object_object_add(lf, "value", json_object_new_string(login));
	}
	json_object_object_add(forms, "account", vf->account);
	memset(vf, 0, sizeof *vf);
	app_set(c, "forms", forms);
	{
		const char *kind = NULL;
		json_object *fr = NULL, *kv = NULL;
		if (json_object_object_get_ex(forms, "relation", &fr) && json_object_object_get_ex(fr, "rel_kind", &kv))
			kind = db_str(kv, "value", "");
		app_set(c, "relation_kinds", expert_choice_options(expert_relation_kinds, kind));
	}
	app_set(c, "can_suspend", json_object_new_boolean(s >= 0 && expert_action_allowed(s, EXPERT_SUSPEND)));
	app_set(c, "can_remove", json_object_new_boolean(s >= 0 && expert_action_allowed(s, EXPERT_REMOVE)));
	app_set(c, "can_reactivate",
		json_object_new_boolean(s >= 0 && expert_action_allowed(s, EXPERT_REACTIVATE)));
	{
		char tomorrow[CIVIL_DATE_LEN + 1];
		civil_format(civil_today_shanghai() + 1, tomorrow);
		app_set_str(c, "tomorrow", tomorrow);
	}
	app_set(c, "expert", json_object_get(row));
	app_set(c, "relations", relations);
	app_set(c, "history", history);
	relations = history = NULL;
	rc = app_render(c, status, "experts_view", "专家详情");
out:
	json_object_put(relations);
	json_object_put(history);
	json_object_put(vf->relation);
	json_object_put(vf->suspend);
	json_object_put(vf->remove);
	json_object_put(vf->reactivate);
	json_object_put(vf->account);
	return rc;
}

/*   GET ?id=N  200 everything of expert N (mobile and e-mail in full), its
 *              relations, status forms, account, history; 404 none */
int exp_page_view(struct ctx *c)
{
	struct view_forms vf = { 0 };
	json_object *row;
	long long id;
	int rc = load(c, &id, &row);
	if (rc || !row)
		return rc;
	rc = show_view(c, 200, id, row, &vf);
	json_object_put(row);
	return rc;
}

/* ---- new and edit ---- */

/* The expert's form: selects marked, the declarations ticked. */
static int show_form(struct ctx *c, int status, const struct form *f, long long id)
{
	char action[64];
	app_set(c, "form", form_json(f));
	app_set(c, "org_types", expert_choice_options(expert_org_types, f->v[EF_ORG_TYPE].value));
	app_set(c, "title_levels", expert_choice_options(expert_title_levels, f->v[EF_TITLE_LEVEL].value));
	app_set(c, "sources", expert_choice_options(expert_sources, f->v[EF_SOURCE].value));
	app_set(c, "integrity_ticked", json_object_new_boolean(!strcmp(f->v[EF_DECL_INTEGRITY].value, "1")));
	app_set(c, "health_ticked", json_object_new_boolean(!strcmp(f->v[EF_DECL_HEALTH].value, "1")));
	if (id)
		snprintf(action, sizeof action, "/experts/edit?id=%lld", id);
	else
		snprintf(action, sizeof action, "/experts/new");
	app_set_str(c, "action", action);
	app_set(c, "id", id ? json_object_new_int64(id) : NULL);
	return app_render(c, status, "experts_form", id ? "修改专家信息" : "新增专家");
}

/* Validates the POSTed form with the model's expert_validate into *e and f
 * (the input kept, each reason at its field).  Returns the number refused. */
static int validate_post(struct ctx *c, struct form *f, struct expert *e)
{
	const char *in[EF_COUNT];
	char *err[EF_COUNT];
	int n;
	for (int i = 0; i < EF_COUNT; i++)
		in[i] = fields_get(&c->req.form, expert_fields[i].name);
	n = expert_validate(in, e, err);
	for (int i = 0; i < EF_COUNT; i++) {
		f->v[i].value = e->v[i];
		if (err[i])
			form_error(f, expert_fields[i].name, err[i]);
	}
	expert_errors_release(err, EF_COUNT);
	if (n)
		form_error(f, "", "未保存：请按各项下方的提示修改后重新提交。");
	return n;
}

static const char MOBILE_TAKEN[] =
	"该手机号码已登记为专家库中的另一位专家：同一手机号码只能对应一位专家。如为同一人，请修改已有专家的信息。";

/*   GET         200 the empty form
 *   POST        303 to the new expert's page; 422 the form again, each
 *               reason at its field (the annex's conditions among them);
 *               409 the mobile number is another expert's */
int exp_page_new(struct ctx *c)
{
	struct form f;
	struct expert e = { 0 };
	long long id = 0;
	int rc = DB_OK, status = 200;

	form_init(&f, expert_fields, EF_COUNT);
	if (c->req.method == METHOD_POST) {
		status = 422;
		if (!validate_post(c, &f, &e)) {
			rc = experts_create(&c->actor, &e, &id);
			if (rc == DB_OK) {
				rc = redirect_view(c, id, "created");
				goto out;
			}
			if (rc != EXP_E_MOBILE_TAKEN)
				goto out;
			form_error(&f, "mobile", MOBILE_TAKEN);
			status = 409;
		}
	}
	rc = show_form(c, status, &f, 0);
out:
	form_release(&f);
	expert_release(&e);
	return rc;
}

/*   GET  ?id=N  200 the form with the expert's data; 404 none
 *   POST ?id=N  303 to the expert's page (done=updated, or unchanged when
 *               nothing differs); 422 / 409 as for new; 404 none */
int exp_page_edit(struct ctx *c)
{
	struct form f;
	struct expert e = { 0 };
	json_object *row;
	long long id;
	char tmp[EF_COUNT][24];
	int rc = load(c, &id, &row), status = 200;
	if (rc || !row)
		return rc;
	form_init(&f, expert_fields, EF_COUNT);
	if (c->req.method == METHOD_POST) {
		status = 422;
		if (!validate_post(c, &f, &e)) {
			rc = experts_update(&c->actor, id, &e);
			if (rc == DB_OK || rc == EXP_UNCHANGED) {
				rc = redirect_view(c, id, rc == DB_OK ? "updated" : "unchanged");
				goto out;
			}
			if (rc == EXP_E_NOT_FOUND) {
				rc = app_fail(c, 404, NOT_FOUND);
				goto out;
			}
			if (rc != EXP_E_MOBILE_TAKEN)
				goto out;
			form_error(&f, "mobile", MOBILE_TAKEN);
			status = 409;
		}
	} else {
		for (int i = 0; i < EF_COUNT; i++)
			f.v[i].value = expert_row_text(row, (enum expert_field)i, tmp[i]);
	}
	app_set_str(c, "expert_name", db_str(row, "name", ""));
	rc = show_form(c, status, &f, id);
out:
	json_object_put(row);
	form_release(&f);
	expert_release(&e);
	return rc;
}

/* ---- relations ---- */

/*   POST id, rel_uscc, rel_name, rel_kind, rel_note
 *        303 to the expert's page; 422 the page with the reasons at the
 *        relation form; 409 declared already; 404 no such expert */
int exp_page_relation_add(struct ctx *c)
{
	struct view_forms vf = { 0 };
	struct expert_relation r;
	struct form f;
	const char *in[RF_COUNT];
	char *err[RF_COUNT];
	json_object *row;
	long long id;
	int rc = load(c, &id, &row), status = 422;
	if (rc || !row)
		return rc;
	form_init(&f, expert_relation_fields, RF_COUNT);
	for (int i = 0; i < RF_COUNT; i++) {
		in[i] = fields_get(&c->req.form, expert_relation_fields[i].name);
		f.v[i].value = in[i] ? in[i] : "";
	}
	if (!expert_relation_validate(in, &r, err)) {
		rc = experts_relation_add(&c->actor, id, &r);
		if (rc == DB_OK) {
			rc = redirect_view(c, id, "relation_added");
			goto out;
		}
		if (rc != EXP_E_DUPLICATE)
			goto out;
		form_error(&f, "rel_uscc", "该专家已申报与该企业的这一关系，无需重复登记。");
		status = 409;
	}
	for (int i = 0; i < RF_COUNT; i++)
		if (err[i])
			form_error(&f, expert_relation_fields[i].name, err[i]);
	vf.relation = form_json(&f);
	rc = show_view(c, status, id, row, &vf);
out:
	expert_errors_release(err, RF_COUNT);
	expert_relation_release(&r);
	form_release(&f);
	json_object_put(row);
	return rc;
}

/*   POST id, relation  303 to the expert's page; 404 no such expert or
 *                      relation of it */
int exp_page_relation_remove(struct ctx *c)
{
	json_object *row;
	long long id, rel = form_param_int(&c->req, &relation_id_spec);
	int rc = load(c, &id, &row);
	if (rc || !row)
		return rc;
	json_object_put(row);
	rc = rel ? experts_relation_remove(&c->actor, id, rel) : EXP_E_NOT_FOUND;
	if (rc == EXP_E_NOT_FOUND)
		return app_fail(c, 404, "未找到该回避关系（可能已被撤销）。");
	return rc != DB_OK ? rc : redirect_view(c, id, "relation_removed");
}

/* ---- status ---- */

static const char STATE_CHANGED[] =
	"操作未完成：该专家的状态已经改变（可能已在其他窗口中修改），页面已显示最新状态。";

/* A status change: its form validated, the model called; the page again
 * with the reasons (422) or the refusal (409). */
static int status_change(struct ctx *c, enum expert_action a)
{
	static const struct {
		const struct field_spec *spec;
		size_t n;
		const char *done;
	} forms[] = {
		[EXPERT_SUSPEND] = { suspend_fields, ARRAY_LEN(suspend_fields), "suspended" },
		[EXPERT_REMOVE] = { remove_fields, ARRAY_LEN(remove_fields), "removed" },
		[EXPERT_REACTIVATE] = { reactivate_fields, ARRAY_LEN(reactivate_fields), "reactivated" },
	};
	struct view_forms vf = { 0 };
	struct form f;
	json_object *row;
	long long id;
	int rc = load(c, &id, &row), status = 422;
	if (rc || !row)
		return rc;
	form_tidy(&c->req.form);
	form_init(&f, forms[a].spec, forms[a].n);
	form_validate(&f, &c->req);
	if (a == EXPERT_SUSPEND && !f.v[0].error) {
		const char *why = expert_suspend_date_error(f.v[0].value, civil_today_shanghai());
		if (why)
			form_error(&f, "suspend_until", why);
	}
	if (!f.errors) {
		const char *reason = f.v[f.n - 1].value;
		rc = a == EXPERT_SUSPEND  ? experts_suspend(&c->actor, id, f.v[0].value, reason)
		     : a == EXPERT_REMOVE ? experts_remove(&c->actor, id, reason)
					  : experts_reactivate(&c->actor, id, reason);
		if (rc == DB_OK) {
			rc = redirect_view(c, id, forms[a].done);
			goto out;
		}
		if (rc != EXP_E_STATE && rc != EXP_E_NOT_FOUND)
			goto out;
		status = 409;
		vf.error = STATE_CHANGED;
		json_object_put(row);
		if ((rc = experts_get(id, &row)) != DB_OK)
			goto out;
		if (!row) {
			rc = app_fail(c, 404, NOT_FOUND);
			goto out;
		}
	}
	if (a == EXPERT_SUSPEND)
		vf.suspend = form_json(&f);
	else if (a == EXPERT_REMOVE)
		vf.remove = form_json(&f);
	else
		vf.reactivate = form_json(&f);
	rc = show_view(c, status, id, row, &vf);
out:
	json_object_put(row);
	form_release(&f);
	return rc;
}

/*   POST id, suspend_until, suspend_reason  303 to the expert's page;
 *        422 a date not after today or a missing reason; 409 removed */
int exp_page_suspend(struct ctx *c)
{
	return status_change(c, EXPERT_SUSPEND);
}

/*   POST id, remove_reason  303; 422 no reason; 409 removed already */
int exp_page_remove(struct ctx *c)
{
	return status_change(c, EXPERT_REMOVE);
}

/*   POST id, reactivate_reason  303; 422 no reason; 409 in the pool already */
int exp_page_reactivate(struct ctx *c)
{
	return status_change(c, EXPERT_REACTIVATE);
}

/* ---- the account ---- */

/*   POST id, login  303 to /experts/account/password?id=N, where the
 *        generated password is shown once; 422 a login that is none; 409
 *        the login is taken or the expert has an account already; 404 */
int exp_page_account(struct ctx *c)
{
	struct view_forms vf = { 0 };
	struct form f;
	struct buf pw = BUF_INIT;
	json_object *row;
	const char *typed = fields_get(&c->req.form, "login");
	char login[AUTH_LOGIN_MAX + 1];
	long long id, account_id = 0;
	int rc = load(c, &id, &row), status = 422;
	if (rc || !row)
		return rc;
	form_init(&f, account_fields, ARRAY_LEN(account_fields));
	/* Blanks and capitals as the login form takes them (core/auth.h). */
	f.v[0].value = typed && auth_login_canonical(typed, login) ? login : typed ? typed : "";
	{
		char *why = field_check(&account_fields[0], f.v[0].value, NULL);
		if (why)
			form_error(&f, "login", why);
		free(why);
	}
	if (!f.errors) {
		password_generate(&pw);
		rc = experts_open_account(&c->actor, id, f.v[0].value, pw.data, &account_id);
		if (rc == DB_OK) {
			if ((rc = once_put(&c->sess, EXPERTS_ONCE_PASSWORD, id, pw.data)) == DB_OK) {
				char to[80];
				snprintf(to, sizeof to, "/experts/account/password?id=%lld", id);
				rc = app_redirect(c, to);
			}
			goto out;
		}
		if (rc == EXP_E_LOGIN_TAKEN) {
			form_error(&f, "login", "该用户名已被使用，请换一个。");
		} else if (rc == EXP_E_HAS_ACCOUNT) {
			vf.error = "该专家已开通账户，无需重复开通。页面已显示其账户。";
			json_object_put(row);
			if ((rc = experts_get(id, &row)) != DB_OK || !row)
				goto out;
		} else {
			goto out;
		}
		status = 409;
	}
	vf.account = form_json(&f);
	rc = show_view(c, status, id, row, &vf);
out:
	if (pw.len)
		sodium_memzero(pw.data, pw.len);
	buf_release(&pw);
	json_object_put(row);
	form_release(&f);
	return rc;
}

/*   GET ?id=N  200 the initial password of expert N's account, generated by
 *              this session, once; a second view, a timed-out one or
 *              another session's: 200 saying it is not shown any more; 404 */
int exp_page_account_password(struct ctx *c)
{
	json_object *row;
	struct buf pw = BUF_INIT;
	enum once_state state;
	long long id;
	int rc = load(c, &id, &row);
	if (rc || !row)
		return rc;
	rc = once_take(&c->sess, EXPERTS_ONCE_PASSWORD, id, &pw, &state);
	if (rc == DB_OK) {
		if (state == ONCE_SHOWN_NOW)
			app_set_str(c, "initial_password", pw.data);
		else if (state == ONCE_SHOWN_BEFORE)
			app_set_str(c, "gone", "该密码已经显示过一次，不再显示。如未记下，请在账户管理中为该账户重置密码。");
		else
			app_set_str(c, "gone", "没有待显示的密码：密码只在开通账户的这次登录中显示一次。如需新密码，请在账户管理中重置密码。");
		app_set(c, "expert", json_object_get(row));
		rc = app_render(c, 200, "experts_password", "专家账户已开通");
	}
	json_object_put(row);
	if (pw.len)
		sodium_memzero(pw.data, pw.len);
	buf_release(&pw);
	return rc;
}

/* ---- the import ---- */

/* The upload: the one file input "file", kept in memory (at most
 * EXPERT_IMPORT_MAX_BYTES). */
struct upload {
	struct buf data;
	char *name;
	bool in_file, chosen, second;
};

static int up_begin(void *ctx, const struct mp_part *part)
{
	struct upload *u = ctx;
	u->in_file = !strcmp(part->name, "file") && part->filename && part->filename[0];
	if (!u->in_file)
		return 0;
	if (u->chosen) {
		u->second = true;
		return -1;
	}
	u->chosen = true;
	u->name = mp_safe_filename(part->filename, 255);
	return 0;
}

static int up_data(void *ctx, const struct mp_part *part, const char *data, size_t len)
{
	struct upload *u = ctx;
	(void)part;
	if (u->in_file)
		buf_add(&u->data, data, len);
	return 0;
}

static int up_end(void *ctx, const struct mp_part *part)
{
	struct upload *u = ctx;
	(void)part;
	u->in_file = false;
	return 0;
}

static const struct mp_callbacks upload_callbacks = { up_begin, up_data, up_end };

static int show_import(struct ctx *c, int status, const char *error, const struct expert_import *imp,
		       const char *file_name)
{
	json_object *recent = NULL;
	int rc = experts_import_recent(&recent);
	if (rc != DB_OK)
		return rc;
	app_set(c, "columns", experts_import_columns());
	app_set(c, "recent", recent);
	app_set_str(c, "max_lines", "5000");
	if (error)
		app_set_str(c, "error", error);
	if (imp) {
		json_object *r = json_object_new_object();
		json_object_object_add(r, "file_name", json_object_new_string(file_name ? file_name : ""));
		if (imp->file_error)
			json_object_object_add(r, "file_error", json_object_new_string(imp->file_error));
		else
			json_object_object_add(r, "charset", json_object_new_string(csv_charset_label(imp->charset)));
		json_object_object_add(r, "data_lines", json_object_new_int64((long long)imp->data_lines));
		json_object_object_add(r, "bad_lines", json_object_new_int64((long long)imp->bad_lines));
		json_object_object_add(r, "problems", json_object_new_int64((long long)imp->nerr_total));
		json_object_object_add(r, "unlisted",
				       json_object_new_int64((long long)(imp->nerr_total - imp->nerr)));
		json_object_object_add(r, "errors", experts_import_errors_json(imp));
		app_set(c, "refused", r);
	}
	return app_render(c, status, "experts_import", "导入专家");
}

/*   GET   200 the upload form, the columns, the recent imports
 *   POST  multipart/form-data: csrf (first), file.  A good file: 303 to
 *         /experts/import/result?id=N.  A bad one: 422 the page listing
 *         every bad line with its line, column and reason, nothing changed;
 *         no file chosen 422; over 2 MiB 413; a malformed body 400; 409 the
 *         pool changed meanwhile (a number added by someone else); 403
 *         without the token (nothing read past it) */
int exp_page_import(struct ctx *c)
{
	struct upload u = { BUF_INIT, NULL, false, false, false };
	struct expert_import imp;
	struct mp_limits lim = { 8, 4096, 4096, EXPERT_IMPORT_MAX_BYTES, EXPERT_IMPORT_MAX_BYTES + 65536, 1024 };
	enum mpform_status st;
	enum mp_err e;
	long long import_id = 0;
	struct expert_import_counts n;
	int rc;

	memset(&imp, 0, sizeof imp);
	if (c->req.method != METHOD_POST)
		return show_import(c, 200, NULL, NULL, NULL);
	st = mpform_read(c, &lim, &upload_callbacks, &u, &e);
	if (st == MPFORM_REFUSED) {
		rc = 0;
		goto out;
	}
	if (st == MPFORM_BODY) {
		if (e == MP_ERR_FILE_TOO_LARGE || e == MP_ERR_TOTAL_TOO_LARGE)
			rc = show_import(c, 413, "文件超过 2 MiB，未导入。请分成几个文件导入。", NULL, NULL);
		else if (e == MP_ERR_CALLBACK && u.second)
			rc = show_import(c, 400, "一次只能导入一个文件。", NULL, NULL);
		else
			rc = show_import(c, 400, "提交的内容未能完整接收，未导入。请重新选择文件后提交。", NULL, NULL);
		goto out;
	}
	if (!u.chosen) {
		rc = show_import(c, 422, "请选择要导入的 CSV 文件。", NULL, NULL);
		goto out;
	}
	if (experts_import_check(u.data.data, u.data.len, &imp)) {
		rc = show_import(c, 422, "文件未导入，专家库没有任何改动：请按下列提示修改文件后重新导入。", &imp, u.name);
		goto out;
	}
	rc = experts_import_apply(&c->actor, &imp, u.name, &import_id, &n);
	if (rc == EXP_E_MOBILE_TAKEN) {
		rc = show_import(c, 409, "导入期间专家库有变动（文件中的手机号码刚被登记为其他专家），未做任何修改：请重新导入。",
				 NULL, NULL);
	} else if (rc == DB_OK) {
		char to[80];
		snprintf(to, sizeof to, "/experts/import/result?id=%lld", import_id);
		rc = app_redirect(c, to);
	}
out:
	experts_import_release(&imp);
	buf_release(&u.data);
	free(u.name);
	return rc;
}

static const struct field_spec import_id_spec = { "id", "导入编号", FIELD_INT, true, 0, 1, ID_MAX, NULL };

/*   GET ?id=N  200 what import N added, updated and left unchanged; 404 */
int exp_page_import_result(struct ctx *c)
{
	json_object *row = NULL;
	long long id = form_param_int(&c->req, &import_id_spec);
	int rc;
	if (id && (rc = experts_import_get(id, &row)) != DB_OK)
		return rc;
	if (!row)
		return app_fail(c, 404, "未找到该次导入。");
	app_set(c, "import", row);
	return app_render(c, 200, "experts_import_result", "导入结果");
}

/*   GET  200 the empty template: header and one example line, UTF-8 with BOM */
int exp_page_template(struct ctx *c)
{
	struct buf disp = BUF_INIT;
	int rc = 0;
	mp_content_disposition(&disp, "专家库导入模板.csv");
	buf_reset(&c->resp.body);
	if (resp_header(&c->resp, "Content-Type", "text/csv; charset=utf-8") ||
	    resp_header(&c->resp, "Content-Disposition", disp.data)) {
		rc = DB_ERROR;
	} else {
		experts_import_template(&c->resp.body);
		c->resp.status = 200;
	}
	buf_release(&disp);
	return rc;
}
