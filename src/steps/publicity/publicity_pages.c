#include "steps/publicity/publicity_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/mpform.h"
#include "core/presession.h"
#include "core/pubguard.h"
#include "core/utf8.h"
#include "rules/calendar.h"
#include "steps/publicity/announce.h"
#include "steps/publicity/publicity.h"
#include "core/banned.h"

#define TRACK_COOKIE "bg_track"
#define TRACK_COOKIE_SECONDS 600

static const struct field_spec id_spec = { "id", "编号", FIELD_INT, true, 0, 1, 1LL << 53, NULL };
static const struct field_spec page_spec = { "page", "页码", FIELD_INT, false, 0, 1, 100000, NULL };

static const char *status_message(int rc)
{
	switch (rc) {
	case PUB_E_NOT_FOUND:
		return "没有找到该记录。";
	case PUB_E_STATE:
		return "该申报书当前的状态不允许这一操作（可能已被他人处理），请刷新后查看。";
	case PUB_E_NOT_ELIGIBLE:
		return "该申报书不能列入拟定名单：评审组未推荐，或信用核查不符合要求。";
	case PUB_E_EXISTS:
		return "本年度已开始公示，拟定名单不能再改动。";
	case PUB_E_EMPTY:
		return "拟定名单中还没有企业，不能开始公示。";
	case PUB_E_CLOSED:
		return "公示期已结束（或尚未开始），不再受理异议。";
	case PUB_E_WITHDRAWN:
		return "该企业已撤出公示名单，不再受理对其的异议。";
	case PUB_E_DECIDED:
		return "该异议已作出处理结论，不能再修改。";
	case PUB_E_PAST:
		return "公示开始日期不能早于今天。";
	default:
		return "操作未完成。";
	}
}

/* ---- province: the rounds and their proposed lists ---- */

int publicity_page_index(struct ctx *c)
{
	json_object *rows = NULL;
	int rc = pub_rounds(&rows);
	if (rc != DB_OK)
		return rc;
	app_set(c, "rounds", rows);
	return app_render(c, 200, "publicity_rounds", "拟定名单与公示");
}

/* The start form's values: the chosen day (default today) and its end. */
static int start_preview(struct ctx *c, json_object *round, const char *start)
{
	char today[CIVIL_DATE_LEN + 1], end_s[CIVIL_DATE_LEN + 1], zh[CIVIL_DATE_ZH_MAX];
	json_object *p = json_object_new_object();
	int32_t day, end;
	int missing = 0, rc = DB_OK;
	civil_format(civil_today_shanghai(), today);
	if (!start || civil_parse(start, &day)) {
		start = today;
		civil_parse(today, &day);
	}
	json_object_object_add(p, "start", json_object_new_string(start));
	json_object_object_add(p, "days", json_object_new_int(pub_working_days()));
	rc = pub_period_end(day, &end, &missing);
	if (rc == DB_OK) {
		civil_format(end, end_s);
		json_object_object_add(p, "end", json_object_new_string(end_s));
		civil_format_zh(day, zh);
		json_object_object_add(p, "start_zh", json_object_new_string(zh));
		civil_format_zh(end, zh);
		json_object_object_add(p, "end_zh", json_object_new_string(zh));
	} else if (rc == PUB_E_CALENDAR) {
		struct buf why = BUF_INIT;
		calendar_describe_missing_year(&why, missing);
		json_object_object_add(p, "calendar_missing", json_object_new_string(why.data));
		buf_release(&why);
		rc = DB_OK;
	}
	if (day < civil_today_shanghai())
		json_object_object_add(p, "past", json_object_new_boolean(1));
	{
		struct buf t = BUF_INIT;
		buf_addf(&t, "%s拟认定名单公示", db_str(round, "title", ""));
		json_object_object_add(p, "title", json_object_new_string(t.data));
		buf_release(&t);
	}
	json_object_object_add(p, "contact",
			       json_object_new_string(config_str("publicity_contact",
								 "黑龙江省工业和信息化厅质量处，电话：0451-00000000")));
	app_set(c, "preview", p);
	return rc;
}

/* The round's page: candidates, the start form or the publicity and its
 * objections.  form: the start form refused (owned: taken), or NULL. */
static int show_round(struct ctx *c, int status, long long round_id, json_object *form,
		      const char *message)
{
	json_object *round = NULL, *cands = NULL, *objs = NULL;
	int rc = pub_round(round_id, &round);
	if (rc != DB_OK || !round) {
		json_object_put(form);
		return rc != DB_OK ? rc : app_fail(c, 404, "没有找到该遴选年度。");
	}
	long long pid = db_int(round, "publicity_id", 0);
	if ((rc = pub_candidates(round_id, &cands)) != DB_OK)
		goto out;
	{
		json_object *others = NULL;
		if ((rc = pub_others(round_id, &others)) != DB_OK)
			goto out;
		app_set(c, "others", others);
	}
	if (pid) {
		long long unresolved = 0;
		if ((rc = obj_list(pid, &objs)) != DB_OK || (rc = obj_unresolved(pid, &unresolved)) != DB_OK)
			goto out;
		app_set(c, "objections", objs);
		objs = NULL;
		app_set(c, "unresolved", json_object_new_int64(unresolved));
		json_object *items = NULL;
		if ((rc = pub_items(pid, &items)) != DB_OK)
			goto out;
		app_set(c, "items", items);
	} else {
		const char *start = form ? NULL : request_param(&c->req, "start");
		if ((rc = start_preview(c, round, start)) != DB_OK)
			goto out;
	}
	if (form)
		app_set(c, "form", form);
	form = NULL;
	if (message)
		app_set_str(c, "error", message);
	{
		const char *done = request_param(&c->req, "done");
		static const struct {
			const char *code, *text;
		} notices[] = {
			{ "proposed", "已列入拟定名单。" },
			{ "unproposed", "已撤出拟定名单。" },
			{ "started", "公示已开始，公示页面已向社会公开。" },
		};
		for (size_t i = 0; done && i < ARRAY_LEN(notices); i++)
			if (!strcmp(done, notices[i].code))
				app_set_str(c, "notice", notices[i].text);
	}
	app_set(c, "round", round);
	app_set(c, "candidates", cands);
	round = cands = NULL;
	rc = app_render(c, status, "publicity_round", "拟定名单与公示");
out:
	json_object_put(form);
	json_object_put(round);
	json_object_put(cands);
	json_object_put(objs);
	return rc;
}

int publicity_page_round(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	if (!id)
		return app_fail(c, 404, "没有找到该遴选年度。");
	return show_round(c, 200, id, NULL, NULL);
}

static const struct field_spec propose_fields[] = {
	{ "round", "遴选年度", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "app", "申报书", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
};

static int propose_act(struct ctx *c, bool propose)
{
	struct form f;
	int rc;
	form_init(&f, propose_fields, ARRAY_LEN(propose_fields));
	form_validate(&f, &c->req);
	long long round = form_int(&f, "round"), app = form_int(&f, "app");
	if (f.errors || !round) {
		form_release(&f);
		return app_fail(c, 422, "请求缺少遴选年度或申报书。");
	}
	form_release(&f);
	rc = propose ? pub_propose(&c->actor, app) : pub_unpropose(&c->actor, app);
	if (rc == DB_OK)
		return app_redirectf(c, "/publicity/round?id=%lld&done=%s", round,
				     propose ? "proposed" : "unproposed");
	if (rc < 0)
		return rc;
	app_note_refusal(c, "refused.rule", "application", app, status_message(rc));
	return show_round(c, rc == PUB_E_NOT_FOUND ? 404 : 409, round, NULL, status_message(rc));
}

int publicity_page_propose(struct ctx *c)
{
	return propose_act(c, true);
}

int publicity_page_unpropose(struct ctx *c)
{
	return propose_act(c, false);
}

static const struct field_spec start_fields[] = {
	{ "round", "遴选年度", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "start_date", "公示开始日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "title", "公示标题", FIELD_LINE, true, PUB_TITLE_MAX, 0, 0, NULL },
	{ "contact", "异议受理联系方式", FIELD_TEXT, true, PUB_CONTACT_MAX, 0, 0, NULL },
};

int publicity_page_start(struct ctx *c)
{
	struct form f;
	long long pid = 0;
	int missing = 0, rc = DB_OK;
	form_init(&f, start_fields, ARRAY_LEN(start_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	long long round = form_int(&f, "round");
	if (!round) {
		form_release(&f);
		return app_fail(c, 404, "没有找到该遴选年度。");
	}
	if (!f.errors) {
		rc = pub_start(&c->actor, round, form_str(&f, "start_date"), form_str(&f, "title"),
			       form_str(&f, "contact"), &pid, &missing);
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirectf(c, "/publicity/round?id=%lld&done=started", round);
		}
		if (rc < 0) {
			form_release(&f);
			return rc;
		}
		if (rc == PUB_E_CALENDAR) {
			struct buf why = BUF_INIT;
			calendar_describe_missing_year(&why, missing);
			form_error(&f, "start_date", why.data);
			buf_release(&why);
		} else if (rc == PUB_E_PAST) {
			form_error(&f, "start_date", status_message(rc));
		} else {
			form_error(&f, "", status_message(rc));
		}
	}
	if (!f.v[f.n].error)
		form_error(&f, "", "公示未开始，请按提示修改。");
	app_note_refusal(c, "refused.rule", "round", round, "公示未开始：输入不符合要求或条件不满足");
	rc = show_round(c, rc == PUB_E_EXISTS || rc == PUB_E_EMPTY ? 409 : 422, round, form_json(&f), NULL);
	form_release(&f);
	return rc;
}

/* ---- province: objections ---- */

static int show_objection(struct ctx *c, int status, long long id, json_object *form,
			  const char *which)
{
	json_object *row = NULL;
	int rc = obj_get(id, &row);
	if (rc != DB_OK || !row) {
		json_object_put(form);
		return rc != DB_OK ? rc : app_fail(c, 404, "没有找到该异议。");
	}
	if (form) {
		app_set(c, which, form);
	}
	{
		const char *done = request_param(&c->req, "done");
		if (done && !strcmp(done, "noted"))
			app_set_str(c, "notice", "调查核实情况已保存。");
		else if (done && !strcmp(done, "decided"))
			app_set_str(c, "notice", "处理结论已记录，异议人可凭受理编号查询答复。");
	}
	app_set(c, "objection", row);
	return app_render(c, status, "publicity_objection", "异议处理");
}

int publicity_page_objection(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	if (!id)
		return app_fail(c, 404, "没有找到该异议。");
	return show_objection(c, 200, id, NULL, NULL);
}

static const char *const outcomes[] = { "upheld", "dismissed", NULL };
static const struct field_spec note_fields[] = {
	{ "id", "异议", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "notes", "调查核实情况", FIELD_TEXT, true, OBJ_TEXT_MAX, 0, 0, NULL },
};
static const struct field_spec decide_fields[] = {
	{ "id", "异议", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "outcome", "处理结论", FIELD_CHOICE, true, 0, 0, 0, outcomes },
	{ "notes", "调查核实情况", FIELD_TEXT, false, OBJ_TEXT_MAX, 0, 0, NULL },
	{ "reasons", "处理理由", FIELD_TEXT, true, OBJ_TEXT_MAX, 0, 0, NULL },
	{ "reply", "答复异议人", FIELD_TEXT, true, OBJ_TEXT_MAX, 0, 0, NULL },
};

static int objection_act(struct ctx *c, bool decide)
{
	struct form f;
	int rc;
	form_init(&f, decide ? decide_fields : note_fields, decide ? ARRAY_LEN(decide_fields) : ARRAY_LEN(note_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	long long id = form_int(&f, "id");
	if (!id) {
		form_release(&f);
		return app_fail(c, 404, "没有找到该异议。");
	}
	if (!f.errors) {
		rc = decide ? obj_decide(&c->actor, id, !strcmp(form_str(&f, "outcome"), "upheld"),
					 form_str(&f, "notes"), form_str(&f, "reasons"), form_str(&f, "reply"))
			    : obj_note(&c->actor, id, form_str(&f, "notes"));
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirectf(c, "/publicity/objection?id=%lld&done=%s", id,
					     decide ? "decided" : "noted");
		}
		if (rc < 0) {
			form_release(&f);
			return rc;
		}
		form_error(&f, "", status_message(rc));
		app_note_refusal(c, "refused.rule", "objection", id, status_message(rc));
		rc = show_objection(c, rc == PUB_E_NOT_FOUND ? 404 : 409, id, form_json(&f),
				    decide ? "decide_form" : "note_form");
		form_release(&f);
		return rc;
	}
	if (!f.v[f.n].error)
		form_error(&f, "", decide ? "处理结论未记录，请按提示修改。" : "未保存，请按提示修改。");
	rc = show_objection(c, 422, id, form_json(&f), decide ? "decide_form" : "note_form");
	form_release(&f);
	return rc;
}

int publicity_page_note(struct ctx *c)
{
	return objection_act(c, false);
}

int publicity_page_decide(struct ctx *c)
{
	return objection_act(c, true);
}

static const struct field_spec file_spec = { "file", "文件", FIELD_INT, true, 0, 1, 1LL << 53, NULL };

int publicity_page_file(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec), file = form_param_int(&c->req, &file_spec);
	json_object *meta = NULL;
	int rc = id && file ? obj_file_meta(id, file, &meta) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!meta)
		return app_fail(c, 404, "没有找到该文件。");
	rc = att_respond(&c->resp, &c->actor, meta);
	json_object_put(meta);
	return rc;
}

/* ---- the public ---- */

/* The question and token of the objection form, and its values. */
/* The kept copy of the notice has markers where the question goes; every
 * answer gets a question of its own (a token is good once). */
static int fill_question(struct buf *body)
{
	struct pg_question q;
	int rc = pg_question_new(&q);
	if (rc != DB_OK)
		return rc;
	pagecache_fill_marker(body, pagecache_marker("question"), q.text);
	pagecache_fill_marker(body, pagecache_marker("token"), q.token);
	return DB_OK;
}

static int set_question(struct ctx *c)
{
	struct pg_question q;
	int rc;
	if (app_caching(c)) {
		app_set_str(c, "question", pagecache_marker("question"));
		app_set_str(c, "question_token", pagecache_marker("token"));
		app_cache_fill(c, fill_question);
		return DB_OK;
	}
	rc = pg_question_new(&q);
	if (rc != DB_OK)
		return rc;
	app_set_str(c, "question", q.text);
	app_set_str(c, "question_token", q.token);
	return DB_OK;
}

/* The public notice of publicity id (0: the current one), with the
 * objection form while objections are accepted. form: a refused
 * objection (owned: taken). */
static int show_notice(struct ctx *c, int status, long long id, json_object *form)
{
	json_object *p = NULL, *items = NULL;
	int rc = id ? pub_get(id, &p) : pub_current(&p);
	if (rc == DB_OK && p && !db_int(p, "started", 0)) {
		json_object_put(p);
		p = NULL; /* not yet public */
	}
	if (rc != DB_OK)
		goto out;
	if (!p) {
		if (id) {
			rc = app_fail(c, 404, "没有找到该公示。");
			goto out;
		}
		rc = app_render(c, status, "publicity_notice", "公示");
		goto out;
	}
	if ((rc = pub_items(db_int(p, "id", 0), &items)) != DB_OK)
		goto out;
	if (db_int(p, "accepting", 0) && (rc = set_question(c)) != DB_OK)
		goto out;
	if (form) {
		/* the refused form's choices, kept */
		long long app;
		const char *t = request_param(&c->req, "id_type");
		const char *a = request_param(&c->req, "app");
		app = a ? atoll(a) : 0;
		for (size_t i = 0; i < json_object_array_length(items); i++) {
			json_object *it = json_object_array_get_idx(items, i);
			if (db_int(it, "application_id", 0) == app)
				json_object_object_add(it, "selected", json_object_new_boolean(1));
		}
		app_set(c, "id_person", json_object_new_boolean(t && !strcmp(t, "person")));
		app_set(c, "id_org", json_object_new_boolean(t && !strcmp(t, "organisation")));
		app_set(c, "form", form);
	}
	form = NULL;
	app_set(c, "items", items);
	items = NULL;
	app_set(c, "publicity", p);
	p = NULL;
	rc = app_render(c, status, "publicity_notice", "公示");
out:
	json_object_put(form);
	json_object_put(p);
	json_object_put(items);
	return rc;
}

int publicity_page_notice(struct ctx *c)
{
	return show_notice(c, 200, form_param_int(&c->req, &id_spec), NULL);
}

int publicity_page_archive(struct ctx *c)
{
	json_object *rows = NULL;
	long long page = form_param_int(&c->req, &page_spec);
	bool more = false;
	page = page < 1 ? 1 : page;
	int rc = pub_archive(page, &rows, &more);
	if (rc != DB_OK)
		return rc;
	app_set(c, "notices", rows);
	app_set(c, "pager", app_pager(page, more));
	return app_render(c, 200, "publicity_archive", "公示公告");
}

static const char *const id_types[] = { "person", "organisation", NULL };
static const struct field_spec objection_fields[] = {
	{ "publicity", "公示", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "app", "异议涉及的企业", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "objector_name", "异议人姓名", FIELD_LINE, true, OBJ_NAME_MAX, 0, 0, NULL },
	{ "id_type", "异议人身份", FIELD_CHOICE, true, 0, 0, 0, id_types },
	{ "organisation", "单位名称", FIELD_LINE, false, OBJ_ORG_MAX, 0, 0, NULL },
	{ "contact", "联系方式", FIELD_LINE, true, OBJ_CONTACT_MAX, 0, 0, NULL },
	{ "content", "异议内容", FIELD_TEXT, true, OBJ_CONTENT_MAX, 0, 0, NULL },
	{ "answer", "验证问题", FIELD_LINE, true, 8, 0, 0, NULL },
	{ "question_token", "验证问题", FIELD_LINE, true, PG_TOKEN_MAX, 0, 0, NULL },
	{ "file", "证明材料", FIELD_LINE, false, 255, 0, 0, NULL }, /* its messages' place */
};

/* A telephone number (digits, at least 7, with - + ( ) and spaces) or an
 * e-mail address: enough to reach the objector. */
static bool contact_ok(const char *s)
{
	int digits = 0;
	bool other = false;
	if (strchr(s, '@')) {
		const char *at = strchr(s, '@');
		return at > s && strchr(at + 1, '.') && !strchr(at + 1, '@') && !strchr(s, ' ');
	}
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr("-+() ", *s))
			other = true;
	}
	return !other && digits >= 7 && digits <= 20;
}

static long long objection_limit(void)
{
	long long n = config_int("objection_per_ip_hour", OBJ_PER_HOUR_DEFAULT);
	return n < 1 ? OBJ_PER_HOUR_DEFAULT : n;
}

int publicity_page_object(struct ctx *c)
{
	struct att_one u;
	struct mp_limits lim;
	struct form f;
	enum mp_err e;
	enum pg_verdict v = PG_OK;
	char tracking[TRACKING_NO_LEN + 1] = "";
	bool allowed = true, form_used = false;
	int rc = DB_OK, status = 422;
	long long pid = 0;

	att_one_init(&u, "file");
	if (presession_cross_site(&c->req)) {
		rc = app_refuse(c, 403, "refused.csrf", NULL, 0, "跨站提交异议表单",
				"表单来源无法验证，请从公示页面提交。");
		goto done;
	}
	/* Counted before anything is read: a flood costs one statement each. */
	if ((rc = pg_rate_hit("objection", c->req.remote_addr, objection_limit(), &allowed)) != DB_OK)
		goto done;
	if (!allowed) {
		rc = app_refuse(c, 429, "refused.rate", NULL, 0, "异议提交过于频繁（按 IP 限制）",
				"同一网络地址提交异议过于频繁，请一小时后再试；也可按公示中的联系方式书面反映。");
		goto done;
	}
	att_mp_limits(att_max_bytes(), &lim);
	enum mpform_status st = mpform_read(c, &lim, &att_one_callbacks, &u, &e);
	if (st == MPFORM_REFUSED)
		goto done;
	form_tidy(&c->req.form);
	form_init(&f, objection_fields, ARRAY_LEN(objection_fields));
	form_used = true;
	form_validate(&f, &c->req);
	pid = form_int(&f, "publicity");
	if (!pid) {
		rc = app_fail(c, 404, "没有找到该公示。");
		goto done;
	}
	if (st == MPFORM_BODY) {
		char limit[32];
		struct buf m = BUF_INIT;
		if (e == MP_ERR_FILE_TOO_LARGE || e == MP_ERR_TOTAL_TOO_LARGE)
			buf_addf(&m, "附件过大：不能超过 %s。", att_size_label(att_max_bytes(), limit, sizeof limit));
		else
			buf_adds(&m, u.second ? "只能附一个文件。"
					      : u.io ? ATT_SPOOL_FAILED
						     : "提交的内容未能完整接收，请重新提交。");
		form_error(&f, "file", m.data);
		buf_release(&m);
		status = e == MP_ERR_FILE_TOO_LARGE || e == MP_ERR_TOTAL_TOO_LARGE ? 413
			 : u.io && !u.second				   ? ATT_SPOOL_FAILED_STATUS
									   : 400;
	}
	if (!f.v[4].error && !strcmp(form_str(&f, "id_type"), "organisation") &&
	    !*form_str(&f, "organisation"))
		form_error(&f, "organisation", "以单位名义提出异议的，请填写单位名称。");
	if (!f.v[5].error && !contact_ok(form_str(&f, "contact")))
		form_error(&f, "contact", "请填写能联系到您的电话号码或电子邮箱。");
	if (u.complete && u.spool.size == 0)
		form_error(&f, "file", "所选文件是空的。");
	else if (u.complete && !att_type_allowed(ATT_SUPPORTING, u.spool.mime)) {
		form_error(&f, "file", "附件只能是 PDF、JPG 或 PNG 文件。");
		status = 415;
	}
	if (!f.v[7].error && !f.v[8].error) {
		if ((rc = pg_question_spend(form_str(&f, "question_token"), form_str(&f, "answer"), &v)) != DB_OK)
			goto done;
		if (v != PG_OK)
			form_error(&f, "answer", pg_verdict_message(v));
	}
	if (!f.errors) {
		struct obj_input in = {
			.publicity_id = pid,
			.application_id = form_int(&f, "app"),
			.objector_name = form_str(&f, "objector_name"),
			.id_type = form_str(&f, "id_type"),
			.organisation = strcmp(form_str(&f, "id_type"), "organisation") ? "" : form_str(&f, "organisation"),
			.contact = form_str(&f, "contact"),
			.content = form_str(&f, "content"),
			.ip = c->req.remote_addr,
		};
		rc = obj_file(&c->actor, &in, u.complete ? &u.spool : NULL, u.name ? u.name : "", tracking);
		if (rc == DB_OK) {
			if (resp_cookie(&c->resp, TRACK_COOKIE, tracking, TRACK_COOKIE_SECONDS)) {
				rc = DB_ERROR;
				goto done;
			}
			rc = app_redirect(c, "/publicity/received");
			goto done;
		}
		if (rc < 0)
			goto done;
		if (rc == PUB_E_NOT_FOUND) {
			form_error(&f, "app", "请选择公示名单中的企业。");
		} else {
			form_error(&f, "", status_message(rc));
			status = 409;
		}
		app_note_refusal(c, "refused.rule", "publicity", pid, status_message(rc));
	}
	if (!f.v[f.n].error)
		form_error(&f, "", "异议未提交，请按提示修改。");
	rc = show_notice(c, status, pid, form_json(&f));
done:
	if (form_used)
		form_release(&f);
	att_one_release(&u);
	return rc;
}

int publicity_page_received(struct ctx *c)
{
	char tracking[TRACKING_NO_LEN + 1];
	const char *t = fields_get(&c->req.cookies, TRACK_COOKIE);
	if (t && !tracking_no_parse(t, tracking))
		app_set_str(c, "tracking", tracking);
	return app_render(c, 200, "publicity_received", "异议已受理");
}

static const struct field_spec track_fields[] = {
	{ "tracking", "受理编号", FIELD_LINE, true, 32, 0, 0, NULL },
	{ "contact", "联系方式", FIELD_LINE, true, OBJ_CONTACT_MAX, 0, 0, NULL },
};

#define LOOKUP_COOKIE "bg_lookup"

/* The lookup's cookie: "<tracking number>.<the contact in hex>".  NULL
 * (and *contact untouched) when it is missing or malformed. */
static const char *lookup_from_cookie(const struct request *req, char tracking[TRACKING_NO_LEN + 1],
				      struct buf *contact)
{
	const char *v = fields_get(&req->cookies, LOOKUP_COOKIE);
	unsigned char bytes[4 * OBJ_CONTACT_MAX];
	size_t n = 0;
	if (!v || strlen(v) < TRACKING_NO_LEN + 2 || v[TRACKING_NO_LEN] != '.')
		return NULL;
	char t[TRACKING_NO_LEN + 1];
	memcpy(t, v, TRACKING_NO_LEN);
	t[TRACKING_NO_LEN] = '\0';
	if (tracking_no_parse(t, tracking) ||
	    sodium_hex2bin(bytes, sizeof bytes, v + TRACKING_NO_LEN + 1, strlen(v + TRACKING_NO_LEN + 1),
			   NULL, &n, NULL) || !n || !utf8_valid((const char *)bytes, n))
		return NULL;
	buf_add(contact, (const char *)bytes, n);
	return contact->data;
}

/* GET: the form, or the result of the lookup the POST handed on (in a
 * short-lived cookie: the contact never in a URL, a reload looks again).
 * POST: the number and the contact checked, handed to the GET (303). */
int publicity_page_track(struct ctx *c)
{
	struct form f;
	json_object *row = NULL;
	char tracking[TRACKING_NO_LEN + 1];
	struct buf contact = BUF_INIT;
	bool allowed = true;
	int rc = DB_OK;
	form_init(&f, track_fields, ARRAY_LEN(track_fields));
	if (c->req.method == METHOD_POST) {
		if (presession_cross_site(&c->req)) {
			form_release(&f);
			return app_refuse(c, 403, "refused.csrf", NULL, 0, "跨站查询异议", "表单来源无法验证。");
		}
		form_tidy(&c->req.form);
		form_validate(&f, &c->req);
		if (!f.v[0].error && tracking_no_parse(form_str(&f, "tracking"), tracking))
			form_error(&f, "tracking", "受理编号的格式不对，应形如 2026-K7Q4-M9XP。");
		if (!f.errors) {
			struct buf v = BUF_INIT;
			const char *ct = form_str(&f, "contact");
			char *hex = xmalloc(2 * strlen(ct) + 1);
			sodium_bin2hex(hex, 2 * strlen(ct) + 1, (const unsigned char *)ct, strlen(ct));
			buf_addf(&v, "%s.%s", tracking, hex);
			free(hex);
			rc = resp_cookie(&c->resp, LOOKUP_COOKIE, v.data, TRACK_COOKIE_SECONDS) ? DB_ERROR : DB_OK;
			buf_release(&v);
			form_release(&f);
			return rc == DB_OK ? app_redirect(c, "/publicity/track") : rc;
		}
		app_set(c, "form", form_json(&f));
		form_release(&f);
		return app_render(c, 422, "publicity_track", "异议查询");
	}
	if (!lookup_from_cookie(&c->req, tracking, &contact)) {
		form_release(&f);
		return app_render(c, 200, "publicity_track", "异议查询");
	}
	long long per_hour = config_int("objection_lookups_per_ip_hour", OBJ_LOOKUPS_PER_HOUR_DEFAULT);
	if ((rc = pg_rate_hit("lookup", c->req.remote_addr, per_hour, &allowed)) != DB_OK)
		goto out;
	if (!allowed) {
		rc = app_refuse(c, 429, "refused.rate", NULL, 0, "异议查询过于频繁（按 IP 限制）",
				"查询过于频繁，请一小时后再试。");
		goto out;
	}
	if ((rc = obj_lookup(tracking, contact.data, &row)) != DB_OK)
		goto out;
	if (row) {
		app_set(c, "result", row);
		row = NULL;
	} else {
		/* the form again with what was asked, and why nothing was found */
		json_object *fj = json_object_new_object(), *t = json_object_new_object(),
			    *k = json_object_new_object();
		json_object_object_add(t, "value", json_object_new_string(tracking));
		json_object_object_add(k, "value", json_object_new_string(contact.data));
		json_object_object_add(fj, "tracking", t);
		json_object_object_add(fj, "contact", k);
		json_object_object_add(fj, "_message",
				       json_object_new_string("没有找到与该受理编号和联系方式相符的异议，请核对后再查。"));
		app_set(c, "form", fj);
	}
	rc = app_render(c, 200, "publicity_track", "异议查询");
out:
	json_object_put(row);
	buf_release(&contact);
	form_release(&f);
	return rc;
}

int publicity_page_announcements(struct ctx *c)
{
	json_object *rows = NULL;
	long long page = form_param_int(&c->req, &page_spec);
	bool more = false;
	page = page < 1 ? 1 : page;
	int rc = announce_list(page, &rows, &more);
	if (rc != DB_OK)
		return rc;
	app_set(c, "announcements", rows);
	app_set(c, "pager", app_pager(page, more));
	return app_render(c, 200, "publicity_announcements", "公告");
}

int publicity_page_announcement(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	json_object *row = NULL;
	int rc = id ? announce_get(id, &row) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!row)
		return app_fail(c, 404, "没有找到该公告。");
	struct buf title = BUF_INIT;
	buf_adds(&title, db_str(row, "title", "公告"));
	app_set(c, "announcement", row);
	rc = app_render(c, 200, "publicity_announcement", title.data);
	buf_release(&title);
	return rc;
}
