#include "steps/draw/draw_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/multipart.h"
#include "steps/accounts/users.h"
#include "steps/draw/draw.h"
#include "steps/rounds/rounds.h"
#include "core/banned.h"

#define ID_MAX (1LL << 53)

static const struct field_spec id_spec = { "id", "评审会编号", FIELD_INT, true, 0, 1, ID_MAX, NULL };
static const struct field_spec page_spec = { "page", "页码", FIELD_INT, true, 0, 1, 100000, NULL };
static const struct field_spec round_spec = { "round", "年度遴选", FIELD_INT, true, 0, 1, ID_MAX,
					      NULL };

static const struct field_spec search_spec = {
	"q", "评审会名称、企业名称、典型经验名称或统一社会信用代码", FIELD_LINE, false, 64, 0, 0, NULL
};

static const struct field_spec session_fields[] = {
	{ "round", "年度遴选", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "title", "评审会名称", FIELD_LINE, true, DRAW_TITLE_MAX, 0, 0, NULL },
	{ "review_date", "评审日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "place", "评审地点", FIELD_LINE, true, DRAW_PLACE_MAX, 0, 0, NULL },
	{ "panel_size", "评审组人数", FIELD_INT, true, 0, 1, 99, NULL },
	{ "rotation_k", "轮换", FIELD_INT, false, 0, 0, DRAW_ROTATION_MAX, NULL },
};
static const struct field_spec commit_fields[] = {
	{ "public_source", "公开随机值来源", FIELD_LINE, false, DRAW_SOURCE_MAX, 0, 0, NULL },
};
/* The supervisor's confirmation, the same in every dual-control form. */
#define SUPERVISOR_FIELDS                                                                     \
	{ "supervisor_login", "监督人用户名", FIELD_LINE, true, 64, 0, 0, NULL },             \
	{ "supervisor_password", "监督人密码", FIELD_PASSWORD, true, 0, 0, 0, NULL }
static const struct field_spec panel_fields[] = {
	{ "public_value", "公开随机值", FIELD_LINE, false, DRAW_VALUE_MAX, 0, 0, NULL },
	SUPERVISOR_FIELDS,
};
static const char *const reason_kinds[] = { "cannot_attend", "conflict", NULL };
static const struct field_spec replace_fields[] = {
	{ "expert", "需替换的专家", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "reason_kind", "原因类别", FIELD_CHOICE, true, 0, 0, 0, reason_kinds },
	{ "reason", "具体理由", FIELD_TEXT, true, DRAW_REASON_MAX, 0, 0, NULL },
	SUPERVISOR_FIELDS,
};
static const struct field_spec reveal_fields[] = { SUPERVISOR_FIELDS };
static const struct field_spec rate_fields[] = {
	{ "expert", "专家", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "rating", "评价", FIELD_INT, true, 0, 1, 5, NULL },
	{ "comment", "评价说明", FIELD_TEXT, false, DRAW_COMMENT_MAX, 0, 0, NULL },
};

static const char NOT_FOUND[] = "未找到该评审会。";
static const char STATE_CONFLICT[] =
	"该评审会的状态已经改变（可能已由其他管理员完成了这一步），本次操作未执行。请查看当前状态。";

static const struct {
	const char *done, *notice;
} notices[] = {
	{ "created", "评审会已创建。核对申报书和评审组人数后，固定候选名单。" },
	{ "updated", "评审会已修改。" },
	{ "committed", "候选名单和种子承诺已固定，申报书已进入评审。请将承诺值和候选名单摘要告知监督人，然后抽取。" },
	{ "drawn", "评审组已抽取。如有专家不能参加或需回避，请补抽；评审组确定后公开种子。" },
	{ "replaced", "已补抽一名专家。" },
	{ "revealed", "种子已公开：任何人可据抽取记录复核本次抽取。" },
	{ "rated", "评价已保存。" },
};

/* ---- helpers ---- */

static int refuse_session(struct ctx *c, long long id)
{
	return app_refuse(c, 404, "refused.object", "review_session", id, "评审会不存在", NOT_FOUND);
}

static json_object *empty_form(const struct field_spec *spec, size_t n)
{
	struct form f;
	form_init(&f, spec, n);
	json_object *o = form_json(&f);
	form_release(&f);
	return o;
}

static void set_value(json_object *form, const char *field, const char *value)
{
	json_object *fo = NULL;
	if (json_object_object_get_ex(form, field, &fo) && fo)
		json_object_object_add(fo, "value", json_object_new_string(value));
}

static bool is_province(const struct ctx *c)
{
	return c->user.role == ROLE_PROVINCE;
}

static void set_flag(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

/* The supervisor's confirmation of a dual-control form: DB_OK with *sup
 * set, or DB_OK with *sup 0 and the error on the password field. */
static int confirm_supervisor(struct ctx *c, struct form *f, const char *what, long long *sup)
{
	char login[AUTH_LOGIN_MAX + 1];
	enum login_result res;
	*sup = 0;
	if (!auth_login_canonical(form_str(f, "supervisor_login"), login))
		login[0] = '\0';
	int rc = users_confirm(login, form_str(f, "supervisor_password"), c->actor.ip,
			       ROLE_SUPERVISOR, what, &res, sup);
	if (rc == DB_OK && res != LOGIN_OK) {
		*sup = 0;
		form_error(f, "supervisor_password",
			   "监督人用户名或密码错误，或该账户不是纪检监督账户。"
			   "请监督人本人输入自己的用户名和密码。");
	}
	return rc;
}

static void shortfall_message(struct buf *m, const struct lot_shortfall *s)
{
	buf_addf(m,
		 "候选专家不足，无法抽取：需要%zu名，可抽的候选专家%zu名，"
		 "按“同一单位不超过%d名”最多只能抽出%zu名。"
		 "请在专家库补充专家，或调整评审组人数后重新建立评审会。",
		 s->needed, s->available, LOT_ORG_CAP, s->capacity);
}

/* ---- the session page ---- */

static void add_member_options(json_object *rec, json_object *out)
{
	json_object *members = NULL;
	if (!rec || !json_object_object_get_ex(rec, "members", &members))
		return;
	for (size_t i = 0; i < json_object_array_length(members); i++)
		json_object_array_add(out, json_object_get(json_object_array_get_idx(members, i)));
}

/* The page of session id (404 when none) with status; form_name/form: a
 * refused form shown again (NULL: none); error: a message for the page. */
static int show_session(struct ctx *c, int status, long long id, const char *form_name,
			json_object *form, const char *error)
{
	json_object *row = NULL, *apps = NULL, *rec = NULL, *forms, *flags;
	int rc = draw_session_get(id, &row);
	if (rc != DB_OK || !row) {
		json_object_put(form);
		return rc != DB_OK ? rc : refuse_session(c, id);
	}
	enum draw_state st = draw_state_parse(db_str(row, "state", ""));
	if ((rc = draw_session_apps(id, &apps)) != DB_OK ||
	    (st != DS_PREPARING && (rc = draw_record(id, false, &rec)) != DB_OK))
		goto out;
	flags = json_object_new_object();
	set_flag(flags, "province", is_province(c));
	set_flag(flags, "preparing", st == DS_PREPARING);
	set_flag(flags, "committed", st == DS_COMMITTED);
	set_flag(flags, "drawn", st == DS_DRAWN);
	set_flag(flags, "revealed", st == DS_REVEALED);
	set_flag(flags, "has_record", rec != NULL);
	set_flag(flags, "can_edit", is_province(c) && draw_next(st, DA_UPDATE, NULL));
	set_flag(flags, "can_commit", is_province(c) && draw_next(st, DA_COMMIT, NULL));
	set_flag(flags, "can_draw", is_province(c) && draw_next(st, DA_PANEL, NULL));
	set_flag(flags, "can_replace", is_province(c) && draw_next(st, DA_REPLACE, NULL));
	set_flag(flags, "can_reveal", is_province(c) && draw_next(st, DA_REVEAL, NULL));
	set_flag(flags, "can_rate", is_province(c) && draw_next(st, DA_RATE, NULL));
	set_flag(flags, "announced", *db_str(row, "public_source", ""));
	app_set(c, "can", flags);
	if (st == DS_REVEALED && rec) {
		struct buf report = BUF_INIT;
		bool ok;
		draw_verify_record(rec, &report, &ok);
		json_object *v = json_object_new_object();
		set_flag(v, "ok", ok);
		json_object_object_add(v, "report", json_object_new_string(report.data ? report.data : ""));
		app_set(c, "verify", v);
		buf_release(&report);
	}
	forms = json_object_new_object();
	json_object_object_add(forms, "commit", empty_form(commit_fields, ARRAY_LEN(commit_fields)));
	json_object_object_add(forms, "panel", empty_form(panel_fields, ARRAY_LEN(panel_fields)));
	json_object_object_add(forms, "replace", empty_form(replace_fields, ARRAY_LEN(replace_fields)));
	json_object_object_add(forms, "reveal", empty_form(reveal_fields, ARRAY_LEN(reveal_fields)));
	json_object_object_add(forms, "rate", empty_form(rate_fields, ARRAY_LEN(rate_fields)));
	if (form_name && form)
		json_object_object_add(forms, form_name, form);
	form = NULL;
	/* The shared supervisor fields (draw_supervisor.html) need ids of
	 * their own in each form. */
	json_object_object_foreach(forms, fname, fobj)
		json_object_object_add(fobj, "prefix", json_object_new_string(fname));
	app_set(c, "forms", forms);
	json_object *members = json_object_new_array();
	add_member_options(rec, members);
	app_set(c, "member_options", members);
	const char *done = request_param(&c->req, "done");
	for (size_t i = 0; done && i < ARRAY_LEN(notices); i++)
		if (!strcmp(done, notices[i].done))
			app_set_str(c, "notice", notices[i].notice);
	if (error)
		app_set_str(c, "error", error);
	/* "meeting", not "session": the record has a "session" of its own. */
	app_set(c, "meeting", row);
	app_set(c, "apps", apps);
	if (rec)
		app_set(c, "record", rec);
	row = apps = rec = NULL;
	rc = app_render(c, status, "draw_session", "评审会与专家抽取");
out:
	json_object_put(form);
	json_object_put(row);
	json_object_put(apps);
	json_object_put(rec);
	return rc;
}

int draw_page_session(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	if (!id)
		return refuse_session(c, 0);
	return show_session(c, 200, id, NULL, NULL, NULL);
}

/* ---- the list ---- */

int draw_page_index(struct ctx *c)
{
	json_object *rows = NULL, *rounds = NULL;
	long long round = form_param_int(&c->req, &round_spec);
	long long page = form_param_int(&c->req, &page_spec);
	struct form f;
	bool more;
	int rc, status;
	form_init(&f, &search_spec, 1);
	status = form_validate_filters(&f, &c->req);
	if (page < 1)
		page = 1;
	if ((rc = draw_session_list(round, form_str(&f, "q"), (int)page, &rows, &more)) != DB_OK ||
	    (rc = rounds_list(&rounds)) != DB_OK)
		goto out;
	for (size_t i = 0; i < json_object_array_length(rounds); i++) {
		json_object *r = json_object_array_get_idx(rounds, i);
		set_flag(r, "selected", db_int(r, "id", 0) == round);
	}
	json_object *pager = app_pager(page, more);
	json_object_object_add(pager, "round", json_object_new_int64(round));
	json_object_object_add(pager, "q", json_object_new_string(form_str(&f, "q")));
	app_set(c, "pager", pager);
	app_set_str(c, "q", form_str(&f, "q"));
	app_set(c, "form", form_json(&f));
	app_set(c, "sessions", rows);
	app_set(c, "rounds", rounds);
	app_set(c, "is_province", json_object_new_boolean(is_province(c)));
	rows = rounds = NULL;
	rc = app_render(c, status, "draw_list", "评审会与专家抽取");
out:
	form_release(&f);
	json_object_put(rows);
	json_object_put(rounds);
	return rc;
}

/* ---- new and edit ---- */

/* The form page: values from f (NULL: from session row, or defaults). */
static int show_form(struct ctx *c, int status, json_object *session, long long round_id,
		     json_object *form, const long long *chosen, size_t nchosen)
{
	json_object *rounds = NULL, *choices = NULL, *round = NULL;
	long long sid = session ? db_int(session, "id", 0) : 0;
	int rc;
	if ((rc = rounds_list(&rounds)) != DB_OK)
		goto out;
	if (!round_id) {
		if ((rc = rounds_current(&round)) != DB_OK)
			goto out;
		round_id = db_int(round, "id", 0);
	}
	for (size_t i = 0; i < json_object_array_length(rounds); i++) {
		json_object *r = json_object_array_get_idx(rounds, i);
		set_flag(r, "selected", db_int(r, "id", 0) == round_id);
	}
	if (round_id && (rc = draw_session_choices(round_id, sid, &choices)) != DB_OK)
		goto out;
	if (!choices)
		choices = json_object_new_array();
	/* A refused form keeps the user's ticks; a new one ticks every
	 * application with the province; an edit keeps the session's. */
	for (size_t i = 0; form && nchosen != (size_t)-1 && i < json_object_array_length(choices); i++) {
		json_object *a = json_object_array_get_idx(choices, i);
		bool on = false;
		for (size_t j = 0; j < nchosen; j++)
			on = on || chosen[j] == db_int(a, "application_id", 0);
		set_flag(a, "selected", on);
	}
	if (!session && !form)
		for (size_t i = 0; i < json_object_array_length(choices); i++)
			set_flag(json_object_array_get_idx(choices, i), "selected", true);
	if (!form) {
		form = empty_form(session_fields, ARRAY_LEN(session_fields));
		char n[24];
		snprintf(n, sizeof n, "%lld", round_id);
		set_value(form, "round", n);
		if (session) {
			set_value(form, "title", db_str(session, "title", ""));
			set_value(form, "review_date", db_str(session, "review_date", ""));
			set_value(form, "place", db_str(session, "place", ""));
			snprintf(n, sizeof n, "%lld", db_int(session, "panel_size", 5));
			set_value(form, "panel_size", n);
			snprintf(n, sizeof n, "%lld", db_int(session, "rotation_k", 0));
			set_value(form, "rotation_k", n);
		} else {
			struct buf t = BUF_INIT;
			json_object *r = NULL;
			for (size_t i = 0; i < json_object_array_length(rounds); i++)
				if (db_int(json_object_array_get_idx(rounds, i), "id", 0) == round_id)
					r = json_object_array_get_idx(rounds, i);
			buf_addf(&t, "%lld年度质量标杆材料评审会", db_int(r, "year", 0));
			if (r)
				set_value(form, "title", t.data);
			buf_release(&t);
			set_value(form, "panel_size", "5");
			set_value(form, "rotation_k", "0");
		}
	}
	app_set(c, "form", form);
	form = NULL;
	app_set(c, "rounds", rounds);
	app_set(c, "choices", choices);
	rounds = choices = NULL;
	if (session) {
		app_set(c, "session", json_object_get(session));
	}
	rc = app_render(c, status, "draw_form", session ? "修改评审会" : "新建评审会");
out:
	json_object_put(form);
	json_object_put(rounds);
	json_object_put(choices);
	json_object_put(round);
	return rc;
}

/* The ticked applications ("app" fields, each an id): at most
 * DRAW_APPS_MAX; *bad when one is not an id. */
static size_t chosen_apps(const struct ctx *c, long long *out, bool *bad)
{
	static const struct field_spec app_spec = { "app", "申报书", FIELD_INT, true, 0, 1, ID_MAX,
						    NULL };
	size_t n = 0;
	*bad = false;
	for (size_t i = 0; i < c->req.form.n; i++) {
		const struct field *fl = &c->req.form.v[i];
		long long v;
		if (strcmp(fl->name, "app") || !fl->value[0])
			continue;
		char *err = field_check(&app_spec, fl->value, &v);
		if (err) {
			free(err);
			*bad = true;
			continue;
		}
		if (n == DRAW_APPS_MAX) {
			*bad = true;
			break;
		}
		out[n++] = v;
	}
	return n;
}

/* new (session NULL) and edit: validate, save, 303 to the session. */
static int save_session(struct ctx *c, json_object *session)
{
	static long long apps[DRAW_APPS_MAX];
	struct form f;
	bool bad;
	int rc;
	form_init(&f, session_fields, ARRAY_LEN(session_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	size_t napps = chosen_apps(c, apps, &bad);
	long long size = form_int(&f, "panel_size");
	if (!f.v[4].error && lot_check_panel_size((int)size) != LOT_OK)
		form_error(&f, "panel_size",
			   size % 2 == 0 ? "评审组人数原则上为单数（附件二），请填写3到25之间的单数。"
					 : "评审组人数须在3到25人之间。");
	int32_t day;
	if (*form_str(&f, "review_date") && !civil_parse(form_str(&f, "review_date"), &day) &&
	    day < civil_today_shanghai())
		form_error(&f, "review_date", "评审日期不能早于今天。");
	if (bad)
		form_error(&f, "", "所选申报书无效。");
	else if (napps == 0)
		form_error(&f, "", "请至少选择一份申报书。");
	long long round_id = session ? db_int(session, "round_id", 0) : form_int(&f, "round");
	if (session && form_int(&f, "round") != round_id)
		form_error(&f, "round", "评审会所属的年度遴选不能更改。");
	if (!f.errors) {
		struct draw_session_in in = { round_id, form_str(&f, "title"),
					      form_str(&f, "review_date"), form_str(&f, "place"),
					      (int)size, (int)form_int(&f, "rotation_k"), apps, napps };
		long long id = session ? db_int(session, "id", 0) : 0;
		rc = session ? draw_session_update(&c->actor, id, &in)
			     : draw_session_create(&c->actor, &in, &id);
		if (rc == DB_OK) {
			struct buf to = BUF_INIT;
			buf_addf(&to, "/draw/session?id=%lld&done=%s", id, session ? "updated" : "created");
			rc = app_redirect(c, to.data);
			buf_release(&to);
			form_release(&f);
			return rc;
		}
		if (rc < 0 && rc != DB_CONFLICT) {
			form_release(&f);
			return rc;
		}
		if (rc == DRAW_E_STATE) {
			form_release(&f);
			return show_session(c, 409, db_int(session, "id", 0), NULL, NULL, STATE_CONFLICT);
		}
		if (rc == DRAW_E_ROUND)
			form_error(&f, "round", "未找到该年度遴选。");
		else
			form_error(&f, "",
				   "所选申报书中有已不在省工信厅（已进入其他评审会或已退回市地）的，请重新选择。");
	}
	if (!f.v[f.n].error)
		form_error(&f, "", "评审会未保存，请按提示修改。");
	rc = show_form(c, 422, session, round_id ? round_id : -1, form_json(&f), apps, napps);
	form_release(&f);
	return rc;
}

int draw_page_new(struct ctx *c)
{
	if (c->req.method == METHOD_POST)
		return save_session(c, NULL);
	return show_form(c, 200, NULL, form_param_int(&c->req, &round_spec), NULL, NULL, (size_t)-1);
}

int draw_page_edit(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	json_object *row = NULL;
	int rc = id ? draw_session_get(id, &row) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!row)
		return refuse_session(c, id);
	if (draw_state_parse(db_str(row, "state", "")) != DS_PREPARING) {
		json_object_put(row);
		return show_session(c, 409, id, NULL, NULL,
				    "候选名单已经固定，评审会不能再修改。");
	}
	if (c->req.method == METHOD_POST)
		rc = save_session(c, row);
	else
		rc = show_form(c, 200, row, db_int(row, "round_id", 0), NULL, NULL, (size_t)-1);
	json_object_put(row);
	return rc;
}

/* ---- the actions on a session ---- */

enum action { ACT_COMMIT, ACT_PANEL, ACT_REPLACE, ACT_REVEAL, ACT_RATE };

static const struct {
	const struct field_spec *spec;
	size_t n;
	const char *form, *done, *what, *summary;
	bool dual; /* confirmed by the supervisor */
} actions[] = {
	[ACT_COMMIT] = { commit_fields, ARRAY_LEN(commit_fields), "commit", "committed", "固定候选名单",
			 "候选名单未固定，请按提示修改。", false },
	[ACT_PANEL] = { panel_fields, ARRAY_LEN(panel_fields), "panel", "drawn", "确认专家抽取",
			"未抽取，请按提示修改。", true },
	[ACT_REPLACE] = { replace_fields, ARRAY_LEN(replace_fields), "replace", "replaced", "确认补抽专家",
			  "未补抽，请按提示修改。", true },
	[ACT_REVEAL] = { reveal_fields, ARRAY_LEN(reveal_fields), "reveal", "revealed", "确认公开抽取种子",
			 "种子未公开，请按提示修改。", true },
	[ACT_RATE] = { rate_fields, ARRAY_LEN(rate_fields), "rate", "rated", "评价专家",
		       "评价未保存，请按提示修改。", false },
};

static int act(struct ctx *c, enum action a)
{
	long long id = form_param_int(&c->req, &id_spec), sup = 0, picked = 0;
	json_object *row = NULL;
	const char *given;
	struct lot_shortfall why = { 0 };
	struct form f;
	struct buf m = BUF_INIT;
	int rc = id ? draw_session_get(id, &row) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!row)
		return refuse_session(c, id);
	json_object_put(row);

	form_init(&f, actions[a].spec, actions[a].n);
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	if (!f.errors && actions[a].dual && (rc = confirm_supervisor(c, &f, actions[a].what, &sup)) != DB_OK)
		goto out;
	if (f.errors)
		goto refused;
	switch (a) {
	case ACT_COMMIT:
		rc = draw_commit(&c->actor, id, form_str(&f, "public_source"), &why);
		break;
	case ACT_PANEL:
		rc = draw_panel(&c->actor, id, sup, form_str(&f, "public_value"), &why);
		break;
	case ACT_REPLACE:
		rc = draw_replace(&c->actor, id, sup, form_int(&f, "expert"), form_str(&f, "reason_kind"),
				  form_str(&f, "reason"), &why, &picked);
		break;
	case ACT_REVEAL:
		rc = draw_reveal(&c->actor, id, sup);
		break;
	case ACT_RATE:
		rc = draw_rate(&c->actor, id, form_int(&f, "expert"), (int)form_int(&f, "rating"),
			       form_str(&f, "comment"));
		break;
	}
	if (rc == DB_OK) {
		buf_addf(&m, "/draw/session?id=%lld&done=%s", id, actions[a].done);
		rc = app_redirect(c, m.data);
		goto out;
	}
	if (rc == DRAW_E_NOT_FOUND) {
		rc = refuse_session(c, id);
		goto out;
	}
	if (rc < 0)
		goto out;
	switch (rc) {
	case DRAW_E_STATE:
		rc = show_session(c, 409, id, NULL, NULL, STATE_CONFLICT);
		goto out;
	case DRAW_E_SHORT:
		shortfall_message(&m, &why);
		rc = show_session(c, 409, id, NULL, NULL, m.data);
		goto out;
	case DRAW_E_APPS:
		rc = show_session(c, 409, id, NULL, NULL,
				  "评审会中有申报书已不在省工信厅（例如推荐批次被重新开放），"
				  "候选名单未固定。请修改评审会的申报书后再固定。");
		goto out;
	case DRAW_E_PUBLIC:
		/* Missing with a source announced: at its field.  Given without
		 * one (the page has no such field then: a stale or made-up form):
		 * in the summary. */
		given = form_str(&f, "public_value");
		if (given && *given)
			form_error(&f, "", "固定候选名单时未公布公开随机值的来源，抽取时不填写公开随机值。"
					   "请刷新页面后重新操作。");
		else
			form_error(&f, "public_value",
				   "固定候选名单时公布了公开随机值的来源，请输入该来源公布的值。");
		break;
	case DRAW_E_MEMBER:
		form_error(&f, "expert", "该专家不在当前评审组中。");
		break;
	default:
		rc = DB_ERROR;
		goto out;
	}
refused:
	if (!f.v[f.n].error)
		form_error(&f, "", actions[a].summary);
	rc = show_session(c, 422, id, actions[a].form, form_json(&f), NULL);
out:
	form_release(&f);
	buf_release(&m);
	return rc;
}

int draw_page_commit(struct ctx *c)
{
	return act(c, ACT_COMMIT);
}

int draw_page_panel(struct ctx *c)
{
	return act(c, ACT_PANEL);
}

int draw_page_replace(struct ctx *c)
{
	return act(c, ACT_REPLACE);
}

int draw_page_reveal(struct ctx *c)
{
	return act(c, ACT_REVEAL);
}

int draw_page_rate(struct ctx *c)
{
	return act(c, ACT_RATE);
}

/* ---- the record, the export, the expert's own ---- */

int draw_page_record(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	json_object *row = NULL, *rec = NULL, *apps = NULL;
	int rc = id ? draw_session_get(id, &row) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!row)
		return refuse_session(c, id);
	if ((rc = draw_record(id, false, &rec)) != DB_OK || (rc = draw_session_apps(id, &apps)) != DB_OK)
		goto out;
	if (!rec) {
		rc = show_session(c, 409, id, NULL, NULL, "候选名单尚未固定，还没有抽取记录。");
		goto out;
	}
	if (draw_state_parse(db_str(row, "state", "")) == DS_REVEALED) {
		struct buf report = BUF_INIT;
		bool ok;
		draw_verify_record(rec, &report, &ok);
		json_object *v = json_object_new_object();
		set_flag(v, "ok", ok);
		json_object_object_add(v, "report", json_object_new_string(report.data ? report.data : ""));
		app_set(c, "verify", v);
		buf_release(&report);
	}
	char printed[CIVIL_DATETIME_LEN + 1];
	struct tm now;
	if (civil_now_shanghai(&now) == 0)
		civil_format_tm(&now, printed);
	else
		printed[0] = '\0';
	app_set_str(c, "printed_at", printed);
	app_set(c, "meeting", row);
	app_set(c, "record", rec);
	app_set(c, "apps", apps);
	row = rec = apps = NULL;
	rc = app_render(c, 200, "draw_record", "专家抽取记录");
out:
	json_object_put(row);
	json_object_put(rec);
	json_object_put(apps);
	return rc;
}

int draw_page_export(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	json_object *rec = NULL;
	struct buf file = BUF_INIT, disp = BUF_INIT;
	int rc = id ? draw_record(id, false, &rec) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!rec) {
		json_object *row = NULL;
		if ((rc = draw_session_get(id, &row)) != DB_OK)
			return rc;
		if (!row)
			return refuse_session(c, id);
		json_object_put(row);
		return show_session(c, 409, id, NULL, NULL, "候选名单尚未固定，还没有抽取记录。");
	}
	draw_record_strip(rec);
	if ((rc = draw_note_export(&c->actor, id)) != DB_OK)
		goto out;
	buf_addf(&file, "抽取记录-评审会%lld.json", id);
	mp_content_disposition(&disp, file.data);
	buf_reset(&c->resp.body);
	if (resp_header(&c->resp, "Content-Type", "application/json; charset=utf-8") ||
	    resp_header(&c->resp, "Content-Disposition", disp.data)) {
		rc = DB_ERROR;
		goto out;
	}
	buf_adds(&c->resp.body,
		 json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_adds(&c->resp.body, "\n");
	c->resp.status = 200;
	rc = 0;
out:
	json_object_put(rec);
	buf_release(&file);
	buf_release(&disp);
	return rc;
}

int draw_page_mine(struct ctx *c)
{
	json_object *rows = NULL;
	int rc = draw_assignments(c->user.id, &rows);
	if (rc != DB_OK)
		return rc;
	app_set(c, "assignments", rows);
	return app_render(c, 200, "draw_mine", "我的评审任务");
}
