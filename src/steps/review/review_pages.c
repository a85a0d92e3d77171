/* The pages of /review.  Statuses: a successful POST answers 303; a
 * refused input 422 and a refused state 409, each with the page again and
 * its message, nothing changed, and a "refused.rule" audit record; a
 * session that does not exist (or whose panel is not drawn) 404; an expert
 * not on the panel, or excused from the whole session, 403; both audited
 * ("refused.object"). */
#include "steps/review/review_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "core/export.h"
#include "core/form.h"
#include "core/log.h"
#include "steps/accounts/users.h"
#include "steps/intake/application.h"
#include "steps/intake/attachments.h"
#include "steps/review/review.h"
#include "core/banned.h"

#define ID_MAX (1LL << 53)
#define REVIEW_TICK_MAX 500 /* applications ticked on a declaration */

static const struct field_spec id_spec = { "id", "评审会编号", FIELD_INT, true, 0, 1, ID_MAX, NULL };
static const struct field_spec sid_spec = { "session", "评审会编号", FIELD_INT, true, 0, 1, ID_MAX,
					    NULL };
static const struct field_spec app_spec = { "app", "申报书编号", FIELD_INT, true, 0, 1, ID_MAX,
					    NULL };
static const struct field_spec file_spec = { "file", "文件编号", FIELD_INT, true, 0, 1, ID_MAX,
					     NULL };
static const struct field_spec page_spec = { "page", "页码", FIELD_INT, true, 0, 1, 100000, NULL };
static const struct field_spec search_spec = {
	"q", "评审会名称、企业名称、典型经验名称或统一社会信用代码", FIELD_LINE, false, 64, 0, 0, NULL
};

static const char *const conflicts[] = { "none", "some", "session", NULL };
static const struct field_spec declare_fields[] = {
	{ "agree", "声明", FIELD_CHOICE, true, 0, 0, 0, (const char *const[]){ "1", NULL } },
	{ "conflict", "利益冲突情况", FIELD_CHOICE, true, 0, 0, 0, conflicts },
	{ "reason", "回避理由", FIELD_TEXT, false, REVIEW_REASON_MAX, 0, 0, NULL },
	{ "password", "您的登录密码", FIELD_PASSWORD, true, 0, 0, 0, NULL },
};
static const struct field_spec recuse_fields[] = {
	{ "reason", "回避理由", FIELD_TEXT, true, REVIEW_REASON_MAX, 0, 0, NULL },
};
/* The sheet's text fields; the 10 scores (p1 .. p10) are parsed against
 * the round's scheme by score_parse. */
static const struct field_spec sheet_fields[] = {
	{ "c1", "科学性和创新性评价意见", FIELD_TEXT, false, REVIEW_COMMENT_MAX, 0, 0, NULL },
	{ "c2", "系统性和示范性评价意见", FIELD_TEXT, false, REVIEW_COMMENT_MAX, 0, 0, NULL },
	{ "c3", "显效性和发展性评价意见", FIELD_TEXT, false, REVIEW_COMMENT_MAX, 0, 0, NULL },
	{ "overall", "总体评价", FIELD_TEXT, false, REVIEW_OVERALL_MAX, 0, 0, NULL },
};
static const struct field_spec revise_fields[] = {
	{ "expert", "专家", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "note", "修改请求说明", FIELD_TEXT, true, REVIEW_REASON_MAX, 0, 0, NULL },
};
static const char *const verdicts[] = { "yes", "no", NULL };
static const struct field_spec conclude_fields[] = {
	{ "recommended", "合议结论", FIELD_CHOICE, true, 0, 0, 0, verdicts },
	{ "opinion", "合议意见", FIELD_TEXT, true, REVIEW_OPINION_MAX, 0, 0, NULL },
	{ "ranking", "排序", FIELD_INT, true, 0, 1, 500, NULL },
};
static const char *const answer_kinds[] = { "confirm", "dissent", NULL };
static const struct field_spec answer_fields[] = {
	{ "kind", "意见", FIELD_CHOICE, true, 0, 0, 0, answer_kinds },
	{ "reason", "不同意见及理由", FIELD_TEXT, false, REVIEW_DISSENT_MAX, 0, 0, NULL },
};
static const struct field_spec configure_fields[] = {
	{ "chair", "评审组组长", FIELD_INT, false, 0, 0, ID_MAX, NULL },
	{ "deadline_date", "评分截止日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "deadline_time", "评分截止时间", FIELD_LINE, true, 5, 0, 0, NULL },
};
static const struct field_spec reopen_fields[] = {
	{ "app", "申报书", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "reason", "重新合议的理由", FIELD_TEXT, true, REVIEW_REASON_MAX, 0, 0, NULL },
};

static const struct {
	const char *done, *notice;
} notices[] = {
	{ "declared", "声明已签署。现在可以查阅申报材料并评分。" },
	{ "excused", "声明已签署。您已申请回避整个评审会，省工信厅将另行补抽专家。" },
	{ "recused", "已登记回避：您不参加对该申报书的评分与合议。" },
	{ "saved", "评分草稿已保存（尚未提交，其他专家看不到）。" },
	{ "submitted", "评分已提交。全体成员提交后，可查看评审组的评分汇总。" },
	{ "revise", "已请该专家修改评分。" },
	{ "concluded", "合议结论已记录，请评审组成员逐一确认或提出不同意见。" },
	{ "answered", "您的意见已记录。" },
	{ "locked", "您的意见已记录。全体成员均已确认或提出不同意见，本评审会的合议结论已锁定。" },
	{ "configured", "评审组组长与评分截止时间已保存。" },
	{ "reopened", "该申报书的合议结论已重新开放，请组长重新组织合议。" },
};

/* ---- helpers ---- */

static bool is_expert(const struct ctx *c)
{
	return c->user.role == ROLE_EXPERT;
}

static void set_flag(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static void set_notice(struct ctx *c)
{
	const char *done = request_param(&c->req, "done");
	for (size_t i = 0; done && i < ARRAY_LEN(notices); i++)
		if (!strcmp(done, notices[i].done))
			app_set_str(c, "notice", notices[i].notice);
}

static int refuse_session(struct ctx *c, long long sid)
{
	return app_refuse(c, 404, "refused.object", "review_session", sid,
			  "评审会不存在或尚未抽取评审组", "未找到该评审会，或该评审会尚未抽取评审组。");
}

static int refuse_member(struct ctx *c, long long sid)
{
	return app_refuse(c, 403, "refused.object", "review_session", sid,
			  "不是该评审会评审组的成员（或已回避整个评审会）",
			  "您不是该评审会评审组的成员（或已回避、已被替换），不能查看或操作。");
}

static int refuse_app(struct ctx *c, long long app)
{
	return app_refuse(c, 404, "refused.object", "application", app, "申报书不在该评审会中",
			  "该申报书不在本评审会中。");
}

/* The expert's place on the panel of sid: DB_OK with *m; or the refusal
 * already answered (*answered true). */
static int load_member(struct ctx *c, long long sid, struct review_member *m, bool *answered)
{
	*answered = false;
	int rc = sid ? review_member_of(sid, c->user.id, m) : REVIEW_E_NOT_FOUND;
	/* Excused from the whole session: off the panel from then on. */
	if (rc == DB_OK && m->declared && m->conflict == RC_SESSION)
		rc = REVIEW_E_NOT_MEMBER;
	if (rc == REVIEW_E_NOT_FOUND || rc == REVIEW_E_NOT_MEMBER) {
		*answered = true;
		return rc == REVIEW_E_NOT_FOUND ? refuse_session(c, sid) : refuse_member(c, sid);
	}
	return rc;
}

static const char *status_message(int rc)
{
	switch (rc) {
	case REVIEW_E_NOT_FOUND:
		return "该申报书不在本评审会中，或评审会尚未抽取评审组。";
	case REVIEW_E_NOT_MEMBER:
		return "您已不在该评审组中（已回避整个评审会或已被替换）。";
	case REVIEW_E_DECLARE:
		return "请先签署保密与无利益冲突声明。";
	case REVIEW_E_DECLARED:
		return "您已签署过本评审会的声明。";
	case REVIEW_E_EXCUSED:
		return "您已申请回避该申报书，不参加对它的评分与合议。";
	case REVIEW_E_DEADLINE:
		return "评分截止时间已过，不能再保存或提交评分。如需延长，请联系省工信厅。";
	case REVIEW_E_INCOMPLETE:
		return "提交前请为全部10项评价要点打分。";
	case REVIEW_E_WAITING:
		return "还有评审组成员未提交（或正在修改）评分，暂不能记录合议结论。";
	case REVIEW_E_CHAIR:
		return "只有评审组组长可以进行该操作。";
	case REVIEW_E_RANKING:
		return "排序无效：须在1到本评审会申报书份数之间，且不能与其他申报书的排序相同。";
	case REVIEW_E_APP_STATE:
		return "该申报书已进入拟定名单等后续环节，不能重新合议。";
	default:
		return "当前状态下不能进行该操作（可能已经提交、已经锁定，或已由他人处理）。"
		       "请查看当前状态。";
	}
}

/* A refused change: the audit record (the user's page follows). */
static void note_refusal(struct ctx *c, long long sid, const char *why)
{
	app_note_refusal(c, "refused.rule", "review_session", sid, why);
}

static json_object *empty_form(const struct field_spec *spec, size_t n)
{
	struct form f;
	form_init(&f, spec, n);
	json_object *o = form_json(&f);
	form_release(&f);
	return o;
}

/* The scheme grouped for a page: [{group_no, group_title, points: [...]}];
 * takes the rows. */
static json_object *group_scheme(json_object *scheme)
{
	json_object *groups = json_object_new_array();
	for (int g = 1; g <= REVIEW_GROUPS; g++) {
		json_object *go = json_object_new_object(), *pts = json_object_new_array();
		const char *title = "";
		for (size_t i = 0; i < json_object_array_length(scheme); i++) {
			json_object *p = json_object_array_get_idx(scheme, i);
			if (db_int(p, "group_no", 0) != g)
				continue;
			title = db_str(p, "group_title", "");
			json_object_array_add(pts, json_object_get(p));
		}
		char key[4];
		snprintf(key, sizeof key, "c%d", g);
		json_object_object_add(go, "group_no", json_object_new_int(g));
		json_object_object_add(go, "group_title", json_object_new_string(title));
		json_object_object_add(go, "comment_field", json_object_new_string(key));
		json_object_object_add(go, "points", pts);
		json_object_array_add(groups, go);
	}
	json_object_put(scheme);
	return groups;
}

/* ---- the lists ---- */

int review_page_index(struct ctx *c)
{
	json_object *rows = NULL;
	int rc;
	if (is_expert(c)) {
		if ((rc = review_assignments(c->user.id, &rows)) != DB_OK)
			return rc;
		app_set(c, "assignments", rows);
		return app_render(c, 200, "review_mine", "我的评审任务");
	}
	long long page = form_param_int(&c->req, &page_spec);
	struct form f;
	bool more;
	int status;
	form_init(&f, &search_spec, 1);
	status = form_validate_filters(&f, &c->req);
	if (page < 1)
		page = 1;
	if ((rc = review_session_list(form_str(&f, "q"), (int)page, &rows, &more)) != DB_OK) {
		form_release(&f);
		return rc;
	}
	json_object *pager = app_pager(page, more);
	json_object_object_add(pager, "q", json_object_new_string(form_str(&f, "q")));
	app_set(c, "pager", pager);
	app_set_str(c, "q", form_str(&f, "q"));
	app_set(c, "form", form_json(&f));
	app_set(c, "sessions", rows);
	form_release(&f);
	return app_render(c, status, "review_list", "材料评审与合议");
}

/* ---- the session page: the member's, or the administrators' ---- */

static int show_admin_session(struct ctx *c, int status, long long sid, const char *form_name,
			      json_object *form, const char *error)
{
	json_object *row = NULL, *members = NULL, *items = NULL, *answers = NULL, *reopens = NULL;
	int rc = review_session_get(sid, &row);
	if (rc != DB_OK || !row) {
		json_object_put(form);
		return rc != DB_OK ? rc : refuse_session(c, sid);
	}
	bool open = db_int(row, "scores_open", 0) != 0;
	if ((rc = review_members(sid, &members)) != DB_OK || (rc = review_items(sid, 0, &items)) != DB_OK ||
	    (rc = review_reopenings(sid, &reopens)) != DB_OK ||
	    (open && (rc = review_answers(sid, &answers)) != DB_OK))
		goto out;
	/* Before the lock, nothing of the panel's judgement shows here. */
	for (size_t i = 0; !open && i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		json_object_object_del(it, "recommended");
		json_object_object_del(it, "ranking");
		json_object_object_del(it, "opinion");
		json_object_object_del(it, "dissents");
	}
	bool province = c->user.role == ROLE_PROVINCE;
	json_object *can = json_object_new_object();
	set_flag(can, "configure", province && !db_int(row, "locked", 0));
	set_flag(can, "reopen", province);
	set_flag(can, "scores", open);
	app_set(c, "can", can);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		set_flag(it, "can_reopen", province && !strcmp(db_str(it, "state", ""), "locked"));
	}
	for (size_t i = 0; i < json_object_array_length(members); i++) {
		json_object *m = json_object_array_get_idx(members, i);
		set_flag(m, "selected", db_int(m, "expert_id", 0) == db_int(row, "chair_expert_id", 0));
	}
	json_object *forms = json_object_new_object();
	json_object *cf = empty_form(configure_fields, ARRAY_LEN(configure_fields));
	/* The deadline's fields start from the one in force. */
	const char *dl = db_str(row, "deadline", "");
	if (strlen(dl) == 16) {
		char d[11], t[6];
		memcpy(d, dl, 10);
		d[10] = '\0';
		memcpy(t, dl + 11, 5);
		t[5] = '\0';
		json_object_object_add(json_object_object_get(cf, "deadline_date"), "value",
				       json_object_new_string(d));
		json_object_object_add(json_object_object_get(cf, "deadline_time"), "value",
				       json_object_new_string(t));
	}
	json_object_object_add(forms, "configure", cf);
	json_object_object_add(forms, "reopen", empty_form(reopen_fields, ARRAY_LEN(reopen_fields)));
	if (form_name && form)
		json_object_object_add(forms, form_name, form);
	form = NULL;
	app_set(c, "forms", forms);
	set_notice(c);
	if (error)
		app_set_str(c, "error", error);
	app_set(c, "meeting", row);
	app_set(c, "members", members);
	app_set(c, "items", items);
	if (answers)
		app_set(c, "answers", answers);
	app_set(c, "reopenings", reopens);
	row = members = items = answers = reopens = NULL;
	rc = app_render(c, status, "review_admin", "材料评审进度");
out:
	json_object_put(form);
	json_object_put(row);
	json_object_put(members);
	json_object_put(items);
	json_object_put(answers);
	json_object_put(reopens);
	return rc;
}

static int show_member_session(struct ctx *c, int status, long long sid, const struct review_member *m,
			       const char *error)
{
	json_object *row = NULL, *items = NULL;
	int rc = review_session_get(sid, &row);
	if (rc != DB_OK || !row)
		return rc != DB_OK ? rc : refuse_session(c, sid);
	if (m->declared && (rc = review_items(sid, m->expert_id, &items)) != DB_OK) {
		json_object_put(row);
		return rc;
	}
	json_object *me = json_object_new_object();
	set_flag(me, "declared", m->declared);
	set_flag(me, "chair", m->chair);
	app_set(c, "me", me);
	set_notice(c);
	if (error)
		app_set_str(c, "error", error);
	app_set(c, "meeting", row);
	if (items)
		app_set(c, "items", items);
	return app_render(c, status, "review_session", "评审任务");
}

int review_page_session(struct ctx *c)
{
	long long sid = form_param_int(&c->req, &id_spec);
	if (!is_expert(c))
		return show_admin_session(c, 200, sid, NULL, NULL, NULL);
	struct review_member m;
	bool answered;
	int rc = load_member(c, sid, &m, &answered);
	if (answered || rc != DB_OK)
		return rc;
	return show_member_session(c, 200, sid, &m, NULL);
}

/* ---- the declaration ---- */

static int show_declare(struct ctx *c, int status, long long sid, json_object *form,
			const long long *ticked, size_t nticked)
{
	json_object *row = NULL, *items = NULL;
	int rc = review_session_get(sid, &row);
	if (rc == DB_OK && row)
		rc = review_items(sid, 0, &items);
	if (rc != DB_OK || !row) {
		json_object_put(form);
		json_object_put(row);
		return rc != DB_OK ? rc : refuse_session(c, sid);
	}
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		bool on = false;
		for (size_t k = 0; k < nticked; k++)
			on = on || ticked[k] == db_int(it, "application_id", 0);
		set_flag(it, "ticked", on);
		/* Members never see the panel's judgement from here. */
		json_object_object_del(it, "recommended");
		json_object_object_del(it, "opinion");
	}
	if (!form)
		form = empty_form(declare_fields, ARRAY_LEN(declare_fields));
	const char *conflict = db_str(json_object_object_get(form, "conflict"), "value", "");
	json_object *checked = json_object_new_object();
	set_flag(checked, "some", !strcmp(conflict, "some"));
	set_flag(checked, "session", !strcmp(conflict, "session"));
	set_flag(checked, "none", strcmp(conflict, "some") && strcmp(conflict, "session"));
	app_set(c, "checked", checked);
	app_set(c, "form", form);
	app_set(c, "meeting", row);
	app_set(c, "items", items);
	return app_render(c, status, "review_declare", "保密与无利益冲突声明");
}

int review_page_declare(struct ctx *c)
{
	static long long ticked[REVIEW_TICK_MAX];
	long long sid = form_param_int(&c->req, &id_spec);
	struct review_member m;
	bool answered;
	int rc = load_member(c, sid, &m, &answered);
	if (answered || rc != DB_OK)
		return rc;
	if (m.declared)
		return show_member_session(c, c->req.method == METHOD_POST ? 409 : 200, sid, &m,
					   c->req.method == METHOD_POST ? status_message(REVIEW_E_DECLARED)
									: NULL);
	if (c->req.method != METHOD_POST)
		return show_declare(c, 200, sid, NULL, NULL, 0);

	struct form f;
	size_t nticked = 0;
	bool bad = false;
	form_init(&f, declare_fields, ARRAY_LEN(declare_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	for (size_t i = 0; i < c->req.form.n; i++) {
		const struct field *fl = &c->req.form.v[i];
		long long v;
		if (strcmp(fl->name, "app"))
			continue;
		char *err = field_check(&app_spec, fl->value, &v);
		if (err || nticked == REVIEW_TICK_MAX)
			bad = true;
		else
			ticked[nticked++] = v;
		free(err);
	}
	enum review_conflict conflict = !strcmp(form_str(&f, "conflict"), "some")      ? RC_SOME
					: !strcmp(form_str(&f, "conflict"), "session") ? RC_SESSION
										       : RC_NONE;
	if (f.v[0].error) {
		free(f.v[0].error);
		f.v[0].error = NULL;
		f.errors--;
		form_error(&f, "agree", "请阅读并勾选声明后再签署。");
	}
	if (conflict != RC_NONE && !*form_str(&f, "reason") && !f.v[2].error)
		form_error(&f, "reason", "申请回避时请说明理由（利害关系的具体情况）。");
	if (conflict == RC_SOME && !nticked && !bad)
		form_error(&f, "conflict", "请勾选需要回避的申报书。");
	if (bad)
		form_error(&f, "conflict", "所选申报书无效，请重新勾选。");
	if (!f.errors) {
		enum login_result res;
		long long account = 0;
		rc = users_confirm(c->user.login, form_str(&f, "password"), c->actor.ip, ROLE_EXPERT,
				   "签署评审声明", &res, &account);
		if (rc != DB_OK)
			goto out;
		if (res != LOGIN_OK || account != c->user.id)
			form_error(&f, "password", "密码错误。请输入您本人的登录密码以签署声明。");
	}
	if (!f.errors) {
		rc = review_declare(&c->actor, sid, m.expert_id, conflict, form_str(&f, "reason"),
				    ticked, conflict == RC_SOME ? nticked : 0);
		if (rc == DB_OK) {
			rc = conflict == RC_SESSION
				     ? app_redirect(c, "/review?done=excused")
				     : app_redirectf(c, "/review/session?id=%lld&done=declared", sid);
			goto out;
		}
		if (rc < 0)
			goto out;
		if (rc == REVIEW_E_NOT_FOUND)
			form_error(&f, "conflict", "所选申报书不在本评审会中，请重新勾选。");
		else
			form_error(&f, "", status_message(rc));
	}
	if (!f.v[f.n].error)
		form_error(&f, "", "声明未签署，请按提示修改。");
	note_refusal(c, sid, "声明未签署：输入不符合要求");
	rc = show_declare(c, 422, sid, form_json(&f), ticked, nticked);
out:
	form_release(&f);
	return rc;
}

/* ---- the application and the member's sheet ---- */

struct sheet_input {
	char text[REVIEW_POINTS][SCORE_INPUT_MAX * 4 + 1]; /* as typed, cut to fit */
	char error[REVIEW_POINTS][200];
	int halves[REVIEW_POINTS];
	int errors;
};

/* The member's page of one application: the material and the sheet.
 * input: a refused POST's values (NULL: the stored sheet); f: its text
 * fields; error: the page's message. */
static int show_app(struct ctx *c, int status, long long sid, long long app,
		    const struct review_member *m, const struct sheet_input *input,
		    const struct form *f, const char *error)
{
	json_object *session = NULL, *item = NULL, *row = NULL, *ind = NULL, *atts = NULL,
		    *scheme = NULL, *sheet = NULL;
	int rc = review_session_get(sid, &session);
	if (rc == DB_OK && session)
		rc = review_item_get(sid, app, m->expert_id, &item);
	if (rc != DB_OK)
		goto out;
	if (!session || !item) {
		rc = session ? refuse_app(c, app) : refuse_session(c, sid);
		goto out;
	}
	if ((rc = app_load(app, &row, &ind)) != DB_OK || (rc = att_list(app, &atts)) != DB_OK ||
	    (rc = review_scheme(sid, &scheme)) != DB_OK ||
	    (rc = review_sheet_get(sid, app, m->expert_id, &sheet)) != DB_OK)
		goto out;
	if (!row) {
		rc = DB_ERROR; /* an application in a session exists */
		goto out;
	}
	app_view_prepare(row);
	for (size_t i = 0; i < json_object_array_length(atts); i++) {
		json_object *a = json_object_array_get_idx(atts, i);
		char t[40];
		json_object_object_add(a, "size_label",
				       json_object_new_string(att_size_label(db_int(a, "size_bytes", 0), t,
									     sizeof t)));
	}
	enum review_sheet_state st = review_sheet_state_parse(sheet ? db_str(sheet, "state", "") : NULL);
	bool excused = db_int(item, "excused", 0) != 0;
	bool editable = !excused && st != RS_SUBMITTED &&
			review_item_state_parse(db_str(item, "state", "")) == RI_SCORING &&
			!db_int(session, "deadline_passed", 0);
	/* The scores into the scheme's points: typed (refused POST) or stored. */
	json_object *texts = sheet ? json_object_object_get(sheet, "scores") : NULL;
	for (size_t i = 0; i < json_object_array_length(scheme); i++) {
		json_object *p = json_object_array_get_idx(scheme, i);
		long long no = db_int(p, "no", 0);
		char name[8];
		snprintf(name, sizeof name, "p%lld", no);
		json_object_object_add(p, "field", json_object_new_string(name));
		const char *v = "";
		if (input && no >= 1 && no <= REVIEW_POINTS) {
			v = input->text[no - 1];
			if (input->error[no - 1][0])
				json_object_object_add(p, "error",
						       json_object_new_string(input->error[no - 1]));
		} else if (texts && no >= 1 && no <= REVIEW_POINTS) {
			v = json_object_get_string(json_object_array_get_idx(texts, (size_t)no - 1));
		}
		json_object_object_add(p, "value", json_object_new_string(v ? v : ""));
		set_flag(p, "half", score_step_parse(db_str(session, "score_step", "")) == SCORE_HALF);
	}
	json_object *groups = group_scheme(scheme);
	scheme = NULL;
	json_object *form = f ? form_json(f) : empty_form(sheet_fields, ARRAY_LEN(sheet_fields));
	if (!f && sheet) {
		static const char *const cols[] = { "comment_1", "comment_2", "comment_3", "overall" };
		for (size_t i = 0; i < ARRAY_LEN(sheet_fields); i++)
			json_object_object_add(json_object_object_get(form, sheet_fields[i].name), "value",
					       json_object_new_string(db_str(sheet, cols[i], "")));
	}
	for (size_t g = 0; g < json_object_array_length(groups); g++) {
		json_object *go = json_object_array_get_idx(groups, g);
		json_object *fo = json_object_object_get(form, db_str(go, "comment_field", ""));
		json_object_object_add(go, "comment", json_object_get(fo));
	}
	json_object *can = json_object_new_object();
	set_flag(can, "edit", editable);
	set_flag(can, "recuse", !excused && (st == RS_NONE || st == RS_DRAFT) &&
				  review_item_state_parse(db_str(item, "state", "")) == RI_SCORING);
	set_flag(can, "panel", db_int(item, "visible", 0) != 0);
	set_flag(can, "half", score_step_parse(db_str(session, "score_step", "")) == SCORE_HALF);
	app_set(c, "can", can);
	char base[96];
	snprintf(base, sizeof base, "/review/file?session=%lld&file=", sid);
	app_set_str(c, "file_base", base);
	set_notice(c);
	if (error)
		app_set_str(c, "error", error);
	app_set(c, "form", form);
	app_set(c, "groups", groups);
	app_set(c, "meeting", session);
	app_set(c, "item", item);
	app_set(c, "app", row);
	app_set(c, "indicators", ind);
	app_set(c, "attachments", atts);
	if (sheet)
		app_set(c, "sheet", sheet);
	session = item = row = ind = atts = sheet = NULL;
	rc = app_render(c, status, "review_app", "评审申报书");
out:
	json_object_put(session);
	json_object_put(item);
	json_object_put(row);
	json_object_put(ind);
	json_object_put(atts);
	json_object_put(scheme);
	json_object_put(sheet);
	return rc;
}

/* The member of the panel of ?session= (POST field or query) and the
 * application ?app=, declared: DB_OK, or answered. */
static int load_member_app(struct ctx *c, long long *sid, long long *app, struct review_member *m,
			   bool *answered)
{
	*sid = form_param_int(&c->req, &sid_spec);
	*app = form_param_int(&c->req, &app_spec);
	int rc = load_member(c, *sid, m, answered);
	if (*answered || rc != DB_OK)
		return rc;
	if (!m->declared) {
		*answered = true;
		return show_member_session(c, 409, *sid, m, status_message(REVIEW_E_DECLARE));
	}
	if (!*app) {
		*answered = true;
		return refuse_app(c, 0);
	}
	return DB_OK;
}

int review_page_app(struct ctx *c)
{
	long long sid, app;
	struct review_member m;
	bool answered;
	int rc = load_member_app(c, &sid, &app, &m, &answered);
	if (answered || rc != DB_OK)
		return rc;
	return show_app(c, 200, sid, app, &m, NULL, NULL, NULL);
}

int review_page_save(struct ctx *c)
{
	static struct sheet_input in;
	long long sid, app;
	struct review_member m;
	bool answered;
	int rc = load_member_app(c, &sid, &app, &m, &answered);
	if (answered || rc != DB_OK)
		return rc;
	json_object *scheme = NULL, *session = NULL;
	if ((rc = review_scheme(sid, &scheme)) != DB_OK ||
	    (rc = review_session_get(sid, &session)) != DB_OK)
		goto done;
	enum score_step step = score_step_parse(db_str(session, "score_step", ""));
	bool submit = request_param(&c->req, "submit") != NULL;
	struct form f;
	form_init(&f, sheet_fields, ARRAY_LEN(sheet_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	memset(&in, 0, sizeof in);
	for (size_t i = 0; i < json_object_array_length(scheme) && i < REVIEW_POINTS; i++) {
		json_object *p = json_object_array_get_idx(scheme, i);
		char name[8], label[32];
		snprintf(name, sizeof name, "p%zu", i + 1);
		snprintf(label, sizeof label, "第%zu项", i + 1);
		const char *v = request_param(&c->req, name);
		v = v ? v : "";
		/* Kept for the form unless too long to be a score at all. */
		if (strlen(v) < sizeof in.text[i])
			memcpy(in.text[i], v, strlen(v) + 1);
		in.halves[i] = -1;
		if (!*v && !submit)
			continue;
		enum score_status s = strlen(v) > SCORE_INPUT_MAX
					      ? SCORE_E_FORMAT
					      : score_parse(v, (int)db_int(p, "max_points", 0), step,
							    &in.halves[i]);
		if (s != SCORE_OK) {
			in.halves[i] = -1;
			score_message(s, label, (int)db_int(p, "max_points", 0), step, in.error[i],
				      sizeof in.error[i]);
			in.errors++;
		}
	}
	if (submit && !*form_str(&f, "overall") && !f.v[3].error)
		form_error(&f, "overall", "提交前请填写总体评价。");
	if (!f.errors && !in.errors) {
		struct review_sheet_in s = { .comment = { form_str(&f, "c1"), form_str(&f, "c2"),
							  form_str(&f, "c3") },
					     .overall = form_str(&f, "overall") };
		memcpy(s.halves, in.halves, sizeof s.halves);
		rc = review_sheet_save(&c->actor, sid, app, m.expert_id, &s, submit);
		if (rc == DB_OK) {
			rc = app_redirectf(c, "/review/app?session=%lld&app=%lld&done=%s", sid, app,  submit ? "submitted" : "saved");
			goto out;
		}
		if (rc < 0)
			goto out;
		if (rc == REVIEW_E_NOT_FOUND) {
			rc = refuse_app(c, app);
			goto out;
		}
		note_refusal(c, sid, status_message(rc));
		rc = show_app(c, rc == REVIEW_E_INCOMPLETE ? 422 : 409, sid, app, &m, &in, &f,
			      status_message(rc));
		goto out;
	}
	form_error(&f, "", in.errors ? "评分未保存：有得分不符合评分要求，请按提示修改。"
				     : "评分未保存，请按提示修改。");
	note_refusal(c, sid, "评分未保存：输入不符合要求");
	rc = show_app(c, 422, sid, app, &m, &in, &f, NULL);
out:
	form_release(&f);
done:
	json_object_put(scheme);
	json_object_put(session);
	return rc;
}

int review_page_recuse(struct ctx *c)
{
	long long sid, app;
	struct review_member m;
	bool answered;
	int rc = load_member_app(c, &sid, &app, &m, &answered);
	if (answered || rc != DB_OK)
		return rc;
	struct form f;
	form_init(&f, recuse_fields, ARRAY_LEN(recuse_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	if (!f.errors) {
		rc = review_recuse(&c->actor, sid, m.expert_id, app, form_str(&f, "reason"));
		if (rc == DB_OK) {
			rc = app_redirectf(c, "/review/session?id=%lld&done=recused", sid);
		} else if (rc == REVIEW_E_NOT_FOUND) {
			rc = refuse_app(c, app);
		} else if (rc > 0) {
			note_refusal(c, sid, status_message(rc));
			rc = show_app(c, 409, sid, app, &m, NULL, NULL, status_message(rc));
		}
		form_release(&f);
		return rc;
	}
	note_refusal(c, sid, "回避未登记：未填写理由");
	rc = show_app(c, 422, sid, app, &m, NULL, NULL, "申请回避时请填写理由。");
	form_release(&f);
	return rc;
}

int review_page_file(struct ctx *c)
{
	long long sid, app, file = form_param_int(&c->req, &file_spec);
	struct review_member m;
	json_object *meta = NULL, *item = NULL;
	bool answered;
	int rc = load_member(c, form_param_int(&c->req, &sid_spec), &m, &answered);
	sid = form_param_int(&c->req, &sid_spec);
	if (answered || rc != DB_OK)
		return rc;
	if (!m.declared)
		return show_member_session(c, 409, sid, &m, status_message(REVIEW_E_DECLARE));
	if (file && (rc = att_meta(file, &meta)) != DB_OK)
		return rc;
	app = meta ? db_int(meta, "application_id", 0) : 0;
	if (app && (rc = review_item_get(sid, app, m.expert_id, &item)) != DB_OK)
		goto out;
	if (!item || db_int(item, "excused", 0)) {
		rc = app_refuse(c, 404, "refused.object", "attachment", file,
				item ? "已回避该申报书" : "文件不存在或不属于该评审会的申报书",
				"未找到该文件，或您无权查看。");
		goto out;
	}
	rc = att_respond(&c->resp, &c->actor, meta);
out:
	json_object_put(meta);
	json_object_put(item);
	return rc;
}

/* ---- the panel's page: scores side by side, the chair's forms ---- */

static int show_panel(struct ctx *c, int status, long long sid, long long app,
		      const struct review_member *m, const char *form_name, json_object *form,
		      const char *error)
{
	json_object *session = NULL, *item = NULL, *view = NULL, *answers = NULL;
	int rc = review_session_get(sid, &session);
	if (rc == DB_OK && session)
		rc = review_item_get(sid, app, m->expert_id, &item);
	if (rc != DB_OK || !session || !item) {
		json_object_put(form);
		json_object_put(session);
		return rc != DB_OK ? rc : session ? refuse_app(c, app) : refuse_session(c, sid);
	}
	bool visible = db_int(item, "visible", 0) != 0;
	if ((rc = review_panel_view(sid, app, &view)) != DB_OK || (rc = review_answers(sid, &answers)) != DB_OK)
		goto out;
	/* Until the member may see the panel's scores, only who has submitted. */
	if (!visible) {
		json_object *members = json_object_object_get(view, "members");
		for (size_t i = 0; i < json_object_array_length(members); i++) {
			json_object *mo = json_object_array_get_idx(members, i);
			json_object_object_del(mo, "total");
			json_object_object_del(mo, "comment_1");
			json_object_object_del(mo, "comment_2");
			json_object_object_del(mo, "comment_3");
			json_object_object_del(mo, "overall");
		}
		json_object_object_del(view, "points");
		json_object_object_del(view, "total");
		json_object_object_del(view, "divergent");
	}
	json_object *mine = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(answers); i++) {
		json_object *a = json_object_array_get_idx(answers, i);
		if (db_int(a, "application_id", 0) == app)
			json_object_array_add(mine, json_object_get(a));
	}
	json_object_put(answers);
	answers = mine;
	enum review_item_state st = review_item_state_parse(db_str(item, "state", ""));
	json_object *can = json_object_new_object();
	set_flag(can, "visible", visible);
	set_flag(can, "chair", m->chair);
	set_flag(can, "revise", m->chair && visible && review_item_next(st, RIA_REVISE, NULL));
	set_flag(can, "conclude", m->chair && visible && db_int(item, "all_submitted", 0) &&
				    review_item_next(st, RIA_CONCLUDE, NULL));
	set_flag(can, "answer", visible && !db_int(item, "excused", 0) && st == RI_CONCLUDED &&
				  !*db_str(item, "my_answer", ""));
	app_set(c, "can", can);
	json_object *forms = json_object_new_object();
	json_object_object_add(forms, "revise", empty_form(revise_fields, ARRAY_LEN(revise_fields)));
	json_object *cf = empty_form(conclude_fields, ARRAY_LEN(conclude_fields));
	if (db_int(item, "version", 0) > 0 && !(form_name && !strcmp(form_name, "conclude"))) {
		char n[16];
		snprintf(n, sizeof n, "%lld", db_int(item, "ranking", 0));
		json_object_object_add(json_object_object_get(cf, "opinion"), "value",
				       json_object_new_string(db_str(item, "opinion", "")));
		json_object_object_add(json_object_object_get(cf, "ranking"), "value",
				       json_object_new_string(n));
		json_object_object_add(json_object_object_get(cf, "recommended"), "value",
				       json_object_new_string(db_int(item, "recommended", 0) ? "yes" : "no"));
	}
	json_object_object_add(forms, "conclude", cf);
	json_object_object_add(forms, "answer", empty_form(answer_fields, ARRAY_LEN(answer_fields)));
	if (form_name && form)
		json_object_object_add(forms, form_name, form);
	form = NULL;
	const char *verdict = db_str(json_object_object_get(json_object_object_get(forms, "conclude"),
							    "recommended"), "value", "");
	json_object *vflag = json_object_new_object();
	set_flag(vflag, "yes", !strcmp(verdict, "yes"));
	set_flag(vflag, "no", !strcmp(verdict, "no"));
	app_set(c, "verdict", vflag);
	app_set(c, "forms", forms);
	set_notice(c);
	if (error)
		app_set_str(c, "error", error);
	app_set(c, "meeting", session);
	app_set(c, "item", item);
	app_set(c, "view", view);
	app_set(c, "answers", answers);
	session = item = view = answers = NULL;
	rc = app_render(c, status, "review_panel", "评审组合议");
out:
	json_object_put(form);
	json_object_put(session);
	json_object_put(item);
	json_object_put(view);
	json_object_put(answers);
	return rc;
}

int review_page_panel(struct ctx *c)
{
	long long sid, app;
	struct review_member m;
	bool answered;
	int rc = load_member_app(c, &sid, &app, &m, &answered);
	if (answered || rc != DB_OK)
		return rc;
	return show_panel(c, 200, sid, app, &m, NULL, NULL, NULL);
}

enum panel_action { PA_REVISE, PA_CONCLUDE, PA_ANSWER };

static const struct {
	const struct field_spec *spec;
	size_t n;
	const char *form, *refused;
} panel_actions[] = {
	[PA_REVISE] = { revise_fields, ARRAY_LEN(revise_fields), "revise", "修改请求未发出，请按提示修改。" },
	[PA_CONCLUDE] = { conclude_fields, ARRAY_LEN(conclude_fields), "conclude",
			  "合议结论未记录，请按提示修改。" },
	[PA_ANSWER] = { answer_fields, ARRAY_LEN(answer_fields), "answer", "意见未记录，请按提示修改。" },
};

static int panel_act(struct ctx *c, enum panel_action a)
{
	long long sid, app;
	struct review_member m;
	bool answered, locked = false;
	int rc = load_member_app(c, &sid, &app, &m, &answered);
	if (answered || rc != DB_OK)
		return rc;
	struct form f;
	form_init(&f, panel_actions[a].spec, panel_actions[a].n);
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	bool dissent = a == PA_ANSWER && !strcmp(form_str(&f, "kind"), "dissent");
	if (dissent && !*form_str(&f, "reason") && !f.v[1].error)
		form_error(&f, "reason", "提出不同意见时请写明理由。");
	if (!f.errors) {
		switch (a) {
		case PA_REVISE:
			rc = review_ask_revision(&c->actor, sid, app, m.expert_id, form_int(&f, "expert"),
						 form_str(&f, "note"));
			break;
		case PA_CONCLUDE:
			rc = review_conclude(&c->actor, sid, app, m.expert_id,
					     !strcmp(form_str(&f, "recommended"), "yes"),
					     form_str(&f, "opinion"), (int)form_int(&f, "ranking"));
			break;
		case PA_ANSWER:
			rc = review_answer(&c->actor, sid, app, m.expert_id, dissent, form_str(&f, "reason"),
					   &locked);
			break;
		}
		if (rc == DB_OK) {
			static const char *const done[] = { "revise", "concluded", "answered" };
			rc = app_redirectf(c, "/review/panel?session=%lld&app=%lld&done=%s", sid, app,
					   locked ? "locked" : done[a]);
			goto out;
		}
		if (rc < 0)
			goto out;
		if (rc == REVIEW_E_RANKING) {
			form_error(&f, "ranking", status_message(rc));
		} else if (rc == REVIEW_E_NOT_MEMBER && a == PA_REVISE) {
			form_error(&f, "expert", "该专家不在评审组中，或已回避该申报书。");
		} else {
			note_refusal(c, sid, status_message(rc));
			rc = show_panel(c, rc == REVIEW_E_NOT_FOUND ? 404 : 409, sid, app, &m, NULL, NULL,
					status_message(rc));
			goto out;
		}
	}
	if (!f.v[f.n].error)
		form_error(&f, "", panel_actions[a].refused);
	note_refusal(c, sid, panel_actions[a].refused);
	rc = show_panel(c, 422, sid, app, &m, panel_actions[a].form, form_json(&f), NULL);
out:
	form_release(&f);
	return rc;
}

int review_page_revise(struct ctx *c)
{
	return panel_act(c, PA_REVISE);
}

int review_page_conclude(struct ctx *c)
{
	return panel_act(c, PA_CONCLUDE);
}

int review_page_answer(struct ctx *c)
{
	return panel_act(c, PA_ANSWER);
}

/* ---- the administrators ---- */

static bool valid_time(const char *t)
{
	return strlen(t) == 5 && t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' &&
	       t[2] == ':' && t[3] >= '0' && t[3] <= '5' && t[4] >= '0' && t[4] <= '9' &&
	       (t[0] - '0') * 10 + (t[1] - '0') < 24;
}

static int admin_act(struct ctx *c, bool reopen)
{
	long long sid = form_param_int(&c->req, &id_spec);
	json_object *row = NULL;
	int rc = sid ? review_session_get(sid, &row) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!row)
		return refuse_session(c, sid);
	json_object_put(row);
	struct form f;
	form_init(&f, reopen ? reopen_fields : configure_fields,
		  reopen ? ARRAY_LEN(reopen_fields) : ARRAY_LEN(configure_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	struct buf deadline = BUF_INIT;
	if (!reopen && !f.v[2].error && !valid_time(form_str(&f, "deadline_time")))
		form_error(&f, "deadline_time", "评分截止时间请按“时:分”填写，如 17:30。");
	if (!f.errors) {
		if (reopen) {
			rc = review_reopen(&c->actor, sid, form_int(&f, "app"), form_str(&f, "reason"));
		} else {
			buf_addf(&deadline, "%s %s:00", form_str(&f, "deadline_date"),
				 form_str(&f, "deadline_time"));
			rc = review_configure(&c->actor, sid, form_int(&f, "chair"), deadline.data);
		}
		if (rc == DB_OK) {
			rc = app_redirectf(c, "/review/session?id=%lld&done=%s", sid, reopen ? "reopened" : "configured");
			goto out;
		}
		if (rc < 0)
			goto out;
		if (rc == REVIEW_E_NOT_MEMBER)
			form_error(&f, "chair", "所选专家不在评审组中（或已回避整个评审会），不能担任组长。");
		else if (rc == REVIEW_E_NOT_FOUND)
			form_error(&f, "app", "该申报书不在本评审会中。");
		else {
			note_refusal(c, sid, status_message(rc));
			rc = show_admin_session(c, 409, sid, NULL, NULL, status_message(rc));
			goto out;
		}
	}
	if (!f.v[f.n].error)
		form_error(&f, "", reopen ? "未重新开放，请按提示修改。" : "设置未保存，请按提示修改。");
	note_refusal(c, sid, reopen ? "重新合议未执行：输入不符合要求" : "评审设置未保存：输入不符合要求");
	rc = show_admin_session(c, 422, sid, reopen ? "reopen" : "configure", form_json(&f), NULL);
out:
	buf_release(&deadline);
	form_release(&f);
	return rc;
}

int review_page_configure(struct ctx *c)
{
	return admin_act(c, false);
}

int review_page_reopen(struct ctx *c)
{
	return admin_act(c, true);
}

/* The session of ?id= (or ?session=) whose scores administrators may see:
 * DB_OK with *row, or answered (404, or 409 before the lock). */
static int load_open_session(struct ctx *c, long long sid, json_object **row, bool *answered)
{
	*answered = false;
	int rc = sid ? review_session_get(sid, row) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!*row) {
		*answered = true;
		return refuse_session(c, sid);
	}
	if (!db_int(*row, "scores_open", 0)) {
		json_object_put(*row);
		*row = NULL;
		*answered = true;
		return app_refuse(c, 409, "refused.rule", "review_session", sid,
				  "合议结论锁定前查看评分",
				  "评审组的合议结论锁定后才能查看和导出评分。");
	}
	return DB_OK;
}

int review_page_sheet(struct ctx *c)
{
	long long sid = form_param_int(&c->req, &sid_spec), app = form_param_int(&c->req, &app_spec);
	json_object *row = NULL, *item = NULL, *view = NULL, *answers = NULL;
	bool answered;
	int rc = load_open_session(c, sid, &row, &answered);
	if (answered || rc != DB_OK)
		return rc;
	if ((rc = review_item_get(sid, app, 0, &item)) != DB_OK)
		goto out;
	if (!item) {
		rc = refuse_app(c, app);
		goto out;
	}
	if ((rc = review_panel_view(sid, app, &view)) != DB_OK || (rc = review_answers(sid, &answers)) != DB_OK)
		goto out;
	json_object *mine = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(answers); i++)
		if (db_int(json_object_array_get_idx(answers, i), "application_id", 0) == app)
			json_object_array_add(mine, json_object_get(json_object_array_get_idx(answers, i)));
	app_set(c, "answers", mine);
	app_set(c, "meeting", row);
	app_set(c, "item", item);
	app_set(c, "view", view);
	row = item = view = NULL;
	rc = app_render(c, 200, "review_sheet", "评分表");
out:
	json_object_put(row);
	json_object_put(item);
	json_object_put(view);
	json_object_put(answers);
	return rc;
}

int review_page_summary(struct ctx *c)
{
	long long sid = form_param_int(&c->req, &id_spec);
	json_object *row = NULL, *items = NULL, *members = NULL, *answers = NULL;
	bool answered;
	int rc = load_open_session(c, sid, &row, &answered);
	if (answered || rc != DB_OK)
		return rc;
	if ((rc = review_items(sid, 0, &items)) != DB_OK || (rc = review_members(sid, &members)) != DB_OK ||
	    (rc = review_answers(sid, &answers)) != DB_OK)
		goto out;
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i), *view = NULL, *dis;
		long long app = db_int(it, "application_id", 0);
		if ((rc = review_panel_view(sid, app, &view)) != DB_OK)
			goto out;
		json_object_object_add(it, "total", json_object_get(json_object_object_get(view, "total")));
		json_object_put(view);
		dis = json_object_new_array();
		for (size_t k = 0; k < json_object_array_length(answers); k++) {
			json_object *a = json_object_array_get_idx(answers, k);
			if (db_int(a, "application_id", 0) == app && !strcmp(db_str(a, "kind", ""), "dissent"))
				json_object_array_add(dis, json_object_get(a));
		}
		json_object_object_add(it, "dissent_list", dis);
	}
	app_set(c, "meeting", row);
	app_set(c, "items", items);
	app_set(c, "members", members);
	row = items = members = NULL;
	rc = app_render(c, 200, "review_summary", "评审会汇总表");
out:
	json_object_put(row);
	json_object_put(items);
	json_object_put(members);
	json_object_put(answers);
	return rc;
}

static const struct export_column export_cols[] = {
	{ "ranking", "排序", 6, EXPORT_INT, false },
	{ "enterprise", "企业", 28, EXPORT_TEXT, true },
	{ "expert", "专家", 12, EXPORT_TEXT, false },
	{ "org_name", "专家单位", 24, EXPORT_TEXT, true },
	{ "p1", "要点1", 7, EXPORT_DECIMAL, false },
	{ "p2", "要点2", 7, EXPORT_DECIMAL, false },
	{ "p3", "要点3", 7, EXPORT_DECIMAL, false },
	{ "p4", "要点4", 7, EXPORT_DECIMAL, false },
	{ "p5", "要点5", 7, EXPORT_DECIMAL, false },
	{ "p6", "要点6", 7, EXPORT_DECIMAL, false },
	{ "p7", "要点7", 7, EXPORT_DECIMAL, false },
	{ "p8", "要点8", 7, EXPORT_DECIMAL, false },
	{ "p9", "要点9", 7, EXPORT_DECIMAL, false },
	{ "p10", "要点10", 7, EXPORT_DECIMAL, false },
	{ "total", "合计", 8, EXPORT_DECIMAL, false },
	{ "conclusion", "合议结论", 10, EXPORT_TEXT, false },
	{ "opinion", "合议意见", 40, EXPORT_TEXT, true },
	{ "dissents", "不同意见", 40, EXPORT_TEXT, true },
	{ "application_id", "申报书编号", 11, EXPORT_INT, false },
};

int review_page_export(struct ctx *c)
{
	long long sid = form_param_int(&c->req, &id_spec);
	const char *format = request_param(&c->req, "format");
	bool csv = format && !strcmp(format, "csv");
	json_object *row = NULL, *rows = NULL;
	struct buf err = BUF_INIT, name = BUF_INIT;
	bool answered;
	if (format && *format && !csv && strcmp(format, "xlsx"))
		return app_fail(c, 400, "导出格式无效：请选择 Excel（xlsx）或 CSV。");
	int rc = load_open_session(c, sid, &row, &answered);
	if (answered || rc != DB_OK)
		return rc;
	if ((rc = review_export_rows(sid, &rows)) != DB_OK ||
	    (rc = review_note_export(&c->actor, sid, csv ? "CSV" : "Excel")) != DB_OK)
		goto out;
	buf_addf(&name, "%s评分汇总", db_str(row, "title", ""));
	if (export_respond(&c->resp, csv, "评分汇总", name.data, export_cols, ARRAY_LEN(export_cols), rows,
			   &err)) {
		log_err("review export: %s", err.data);
		rc = DB_ERROR;
		goto out;
	}
	rc = 0;
out:
	json_object_put(row);
	json_object_put(rows);
	buf_release(&err);
	buf_release(&name);
	return rc;
}
