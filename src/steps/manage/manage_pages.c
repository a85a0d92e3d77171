#include "steps/manage/manage_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/export.h"
#include "core/form.h"
#include "core/log.h"
#include "core/mpform.h"
#include "steps/intake/attachments.h"
#include "steps/manage/exchange.h"
#include "steps/manage/manage.h"
#include "core/banned.h"

#define ID_MAX (1LL << 53)

static const struct field_spec id_spec = { "id", "编号", FIELD_INT, true, 0, 1, ID_MAX, NULL };
static const struct field_spec page_spec = { "page", "页码", FIELD_INT, false, 0, 1, 100000, NULL };
static const struct field_spec year_spec = { "year", "年度", FIELD_INT, false, 0, 2000, 9999, NULL };

static bool is_province(const struct ctx *c)
{
	return c->user.id && c->user.role == ROLE_PROVINCE;
}

static void today_iso(char out[CIVIL_DATE_LEN + 1])
{
	civil_format(civil_today_shanghai(), out);
}

/* ---- the benchmarks ---- */

static const char *const status_filters[] = { "valid", "revoked", "national", NULL };

int manage_page_index(struct ctx *c)
{
	const char *q = request_param(&c->req, "q"), *st = request_param(&c->req, "status");
	long long page = form_param_int(&c->req, &page_spec);
	struct mgt_filter f = { "", (int)form_param_int(&c->req, &year_spec), "", page ? page : 1 };
	json_object *rows = NULL, *filter = json_object_new_object();
	bool more = false;
	long long unused;
	static const struct field_spec q_spec = { "q", "关键词", FIELD_LINE, false, 64, 0, 0, NULL };
	char *bad = field_check(&q_spec, q ? q : "", &unused);
	if (bad) {
		free(bad);
		q = ""; /* a search that cannot match anything is no search */
	}
	f.q = q ? q : "";
	for (size_t i = 0; st && status_filters[i]; i++)
		if (!strcmp(st, status_filters[i]))
			f.status = status_filters[i];
	int rc = mgt_benchmarks(&f, &rows, &more);
	if (rc != DB_OK) {
		json_object_put(filter);
		return rc;
	}
	json_object_object_add(filter, "q", json_object_new_string(f.q));
	if (f.year)
		json_object_object_add(filter, "year", json_object_new_int(f.year));
	json_object_object_add(filter, "status", json_object_new_string(f.status));
	if (*f.status) {
		struct buf k = BUF_INIT;
		buf_addf(&k, "status_%s", f.status);
		json_object_object_add(filter, k.data, json_object_new_boolean(1));
		buf_release(&k);
	}
	app_set(c, "filter", filter);
	app_set(c, "benchmarks", rows);
	app_set(c, "pager", app_pager(f.page, more));
	app_set(c, "is_province", json_object_new_boolean(is_province(c)));
	return app_render(c, 200, "manage_index", "质量标杆动态管理");
}

static const char *decision_message(int rc)
{
	switch (rc) {
	case MGT_E_NOT_FOUND:
		return "没有找到该记录（可能已确认或被替换），请刷新后查看。";
	case MGT_E_STATE:
		return "该称号的状态已经改变（可能已被他人处理），请刷新后查看。";
	case MGT_E_DATE:
		return "决定日期不能晚于今天，也不能早于授牌日期或该称号上一次决定的日期。";
	default:
		return "操作未完成。";
	}
}

/* The benchmark's page; decision_form / national_form: a refused form
 * shown again (owned; may be NULL). */
static int show_benchmark(struct ctx *c, int status, long long id, json_object *decision_form,
			  json_object *national_form)
{
	json_object *bm = NULL, *decisions = NULL, *history = NULL, *activities = NULL;
	int rc = mgt_benchmark(id, &bm);
	if (rc == DB_OK && !bm) {
		json_object_put(decision_form);
		json_object_put(national_form);
		return app_fail(c, 404, "没有找到该质量标杆。");
	}
	if (rc == DB_OK)
		rc = mgt_decisions(id, &decisions);
	if (rc == DB_OK)
		rc = exc_of_benchmark(id, &activities);
	if (rc == DB_OK)
		rc = mgt_history(id, &history);
	if (rc != DB_OK) {
		json_object_put(bm);
		json_object_put(decisions);
		json_object_put(activities);
		json_object_put(history);
		json_object_put(decision_form);
		json_object_put(national_form);
		return rc;
	}
	const char *done = request_param(&c->req, "done");
	if (done && !strcmp(done, "revoked"))
		app_set_str(c, "notice", "称号已撤销，公告已发布。");
	else if (done && !strcmp(done, "reinstated"))
		app_set_str(c, "notice", "称号已恢复，公告已发布。");
	else if (done && !strcmp(done, "national"))
		app_set_str(c, "notice", "全国质量标杆称号记录已保存。");
	json_object *grounds = json_object_new_array();
	const char *chosen = NULL;
	if (decision_form) {
		json_object *g = NULL, *v = NULL;
		if (json_object_object_get_ex(decision_form, "ground", &g) &&
		    json_object_object_get_ex(g, "value", &v))
			chosen = json_object_get_string(v);
	}
	for (size_t i = 0; mgt_grounds[i]; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(mgt_grounds[i]));
		json_object_object_add(o, "label", json_object_new_string(mgt_ground_label(mgt_grounds[i])));
		if (chosen && !strcmp(chosen, mgt_grounds[i]))
			json_object_object_add(o, "selected", json_object_new_boolean(1));
		json_object_array_add(grounds, o);
	}
	char today[CIVIL_DATE_LEN + 1];
	today_iso(today);
	app_set_str(c, "today", today);
	app_set(c, "grounds", grounds);
	app_set(c, "benchmark", bm);
	app_set(c, "decisions", decisions);
	app_set(c, "activities", activities);
	app_set(c, "history", history);
	app_set(c, "form", decision_form);
	app_set(c, "national_form", national_form);
	app_set(c, "is_province", json_object_new_boolean(is_province(c)));
	{
		char size[32];
		app_set_str(c, "max_size", att_size_label(att_max_bytes(), size, sizeof size));
	}
	return app_render(c, status, "manage_benchmark", "质量标杆称号管理");
}

int manage_page_benchmark(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	if (!id)
		return app_fail(c, 404, "没有找到该质量标杆。");
	return show_benchmark(c, 200, id, NULL, NULL);
}

static const char *const kinds[] = { "revocation", "reinstatement", NULL };
static const struct field_spec decision_fields[] = {
	{ "id", "质量标杆", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "kind", "决定类型", FIELD_CHOICE, true, 0, 0, 0, kinds },
	{ "ground", "撤销事由", FIELD_CHOICE, false, 0, 0, 0, mgt_grounds },
	{ "facts", "事实与依据", FIELD_TEXT, true, MGT_FACTS_MAX, 0, 0, NULL },
	{ "decision_ref", "决定文号", FIELD_LINE, true, MGT_REF_MAX, 0, 0, NULL },
	{ "decision_date", "决定日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "file", "决定文件", FIELD_LINE, false, 255, 0, 0, NULL }, /* its messages' place */
};

/*   POST (multipart) id, kind, ground, facts, decision_ref, decision_date,
 *        file: 303 to the confirmation page; 422 with the form */
int manage_page_decide(struct ctx *c)
{
	struct att_one u;
	struct mp_limits lim;
	struct form f;
	enum mp_err e;
	int status = 422, rc = DB_OK;
	long long draft = 0;

	att_one_init(&u, "file");
	att_mp_limits(att_max_bytes(), &lim);
	enum mpform_status st = mpform_read(c, &lim, &att_one_callbacks, &u, &e);
	if (st == MPFORM_REFUSED) {
		att_one_release(&u);
		return 0;
	}
	form_tidy(&c->req.form);
	form_init(&f, decision_fields, ARRAY_LEN(decision_fields));
	form_validate(&f, &c->req);
	long long id = form_int(&f, "id");
	if (!id) {
		form_release(&f);
		att_one_release(&u);
		return app_fail(c, 404, "没有找到该质量标杆。");
	}
	bool revoking = !strcmp(form_str(&f, "kind"), "revocation");
	if (st == MPFORM_BODY) {
		char limit[32];
		struct buf m = BUF_INIT;
		if (e == MP_ERR_FILE_TOO_LARGE || e == MP_ERR_TOTAL_TOO_LARGE) {
			buf_addf(&m, "文件过大：不能超过 %s。", att_size_label(att_max_bytes(), limit, sizeof limit));
			status = 413;
		} else if (u.io && !u.second) {
			buf_adds(&m, ATT_SPOOL_FAILED);
			status = ATT_SPOOL_FAILED_STATUS;
		} else {
			buf_adds(&m, u.second ? "只能附一个文件。" : "提交的内容未能完整接收，请重新提交。");
			status = 400;
		}
		form_error(&f, "file", m.data);
		buf_release(&m);
	} else if (!u.complete) {
		form_error(&f, "file", "请上传决定文件（盖章的 PDF 或扫描件）。");
	} else if (u.spool.size == 0) {
		form_error(&f, "file", "所选文件是空的。");
	} else if (!att_type_allowed(ATT_SUPPORTING, u.spool.mime)) {
		form_error(&f, "file", "决定文件只能是 PDF、JPG 或 PNG 文件。");
		status = 415;
	}
	if (revoking && !*form_str(&f, "ground") && !f.v[2].error)
		form_error(&f, "ground", "请选择撤销事由。");
	if (!f.errors) {
		struct mgt_decision_input in = {
			.benchmark_id = id,
			.kind = form_str(&f, "kind"),
			.ground = revoking ? form_str(&f, "ground") : NULL,
			.facts = form_str(&f, "facts"),
			.ref = form_str(&f, "decision_ref"),
			.date = form_str(&f, "decision_date"),
		};
		rc = mgt_draft_save(&c->actor, &in, u.name ? u.name : "决定文件", &u.spool, &draft);
		if (rc == DB_OK) {
			form_release(&f);
			att_one_release(&u);
			return app_redirectf(c, "/manage/confirm?id=%lld", draft);
		}
		if (rc < 0) {
			form_release(&f);
			att_one_release(&u);
			return rc;
		}
		if (rc == MGT_E_NOT_FOUND) {
			form_release(&f);
			att_one_release(&u);
			return app_refuse(c, 404, "refused.object", "benchmark", id, "质量标杆不存在",
					  "没有找到该质量标杆。");
		}
		if (rc == MGT_E_DATE)
			form_error(&f, "decision_date", decision_message(rc));
		else {
			form_error(&f, "", decision_message(rc));
			status = 409;
		}
		app_note_refusal(c, "refused.rule", "benchmark", id, decision_message(rc));
	}
	if (!f.v[f.n].error)
		form_error(&f, "", "决定未保存，请按提示修改（文件需要重新选择）。");
	rc = show_benchmark(c, status, id, form_json(&f), NULL);
	form_release(&f);
	att_one_release(&u);
	return rc;
}

/*   GET ?id=D  the draft and the announcement it publishes
 *   POST id=D  confirmed: 303 to the benchmark; 404, 409 */
int manage_page_confirm(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	json_object *d = NULL;
	int rc;
	if (!id)
		return app_fail(c, 404, "没有找到该决定草稿。");
	if (c->req.method == METHOD_POST) {
		long long bid = 0;
		rc = mgt_confirm(&c->actor, id, &bid);
		if (rc == DB_OK) {
			json_object *bm = NULL;
			rc = mgt_benchmark(bid, &bm);
			bool revoked = rc == DB_OK && db_int(bm, "revoked", 0);
			json_object_put(bm);
			if (rc != DB_OK)
				return rc;
			return app_redirectf(c, "/manage/benchmark?id=%lld&done=%s", bid,
					     revoked ? "revoked" : "reinstated");
		}
		if (rc < 0)
			return rc;
		if (rc == MGT_E_NOT_FOUND)
			return app_refuse(c, 404, "refused.object", "benchmark", 0, "决定草稿不存在或不属于本人",
					  "没有找到该决定草稿（可能已确认）。");
		app_note_refusal(c, "refused.rule", "benchmark", 0, decision_message(rc));
		app_set_str(c, "error", decision_message(rc));
	}
	rc = mgt_draft(&c->actor, id, &d);
	if (rc != DB_OK)
		return rc;
	if (!d)
		return app_fail(c, 404, "没有找到该决定草稿（可能已确认）。");
	app_set(c, "draft", d);
	return app_render(c, c->req.method == METHOD_POST ? 409 : 200, "manage_confirm",
			  "确认称号处理决定");
}

int manage_page_document(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	json_object *meta = NULL;
	int rc = id ? mgt_document(&c->actor, id, &meta) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!meta)
		return app_fail(c, 404, "没有找到该文件。");
	rc = att_respond(&c->resp, &c->actor, meta);
	json_object_put(meta);
	return rc;
}

/*   POST id, national_title_year ("" none): 303; 422 */
int manage_page_national(struct ctx *c)
{
	static const struct field_spec fields[] = {
		{ "id", "质量标杆", FIELD_INT, true, 0, 1, ID_MAX, NULL },
		{ "national_title_year", "获评年度", FIELD_INT, false, 0, 2000, 9999, NULL },
	};
	struct form f;
	form_init(&f, fields, ARRAY_LEN(fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	long long id = form_int(&f, "id");
	int rc;
	if (!id) {
		form_release(&f);
		return app_fail(c, 404, "没有找到该质量标杆。");
	}
	if (!f.errors) {
		rc = mgt_national_title(&c->actor, id, (int)form_int(&f, "national_title_year"));
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirectf(c, "/manage/benchmark?id=%lld&done=national", id);
		}
		if (rc < 0 || rc == MGT_E_NOT_FOUND) {
			form_release(&f);
			return rc < 0 ? rc : app_fail(c, 404, "没有找到该质量标杆。");
		}
		form_error(&f, "national_title_year", "获评年度不能早于该质量标杆的年度，也不能晚于今年。");
	}
	rc = show_benchmark(c, 422, id, NULL, form_json(&f));
	form_release(&f);
	return rc;
}

/* ---- exchange activities ---- */

static json_object *level_options(const char *chosen)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; exc_levels[i]; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(exc_levels[i]));
		json_object_object_add(o, "label", json_object_new_string(exc_level_label(exc_levels[i])));
		if (chosen && !strcmp(chosen, exc_levels[i]))
			json_object_object_add(o, "selected", json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

static int show_activities(struct ctx *c, int status, json_object *form, const char *level)
{
	long long page = form_param_int(&c->req, &page_spec);
	json_object *rows = NULL;
	bool more = false;
	int rc = exc_activities(page ? page : 1, &rows, &more);
	if (rc != DB_OK) {
		json_object_put(form);
		return rc;
	}
	char today[CIVIL_DATE_LEN + 1];
	today_iso(today);
	app_set_str(c, "today", today);
	app_set(c, "activities", rows);
	app_set(c, "pager", app_pager(page ? page : 1, more));
	app_set(c, "levels", level_options(level ? level : "provincial"));
	app_set(c, "form", form);
	app_set(c, "is_province", json_object_new_boolean(is_province(c)));
	return app_render(c, status, "manage_activities", "经验交流活动");
}

int manage_page_activities(struct ctx *c)
{
	return show_activities(c, 200, NULL, NULL);
}

static const struct field_spec activity_fields[] = {
	{ "held_on", "活动日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "topic", "交流主题", FIELD_LINE, true, EXC_TOPIC_MAX, 0, 0, NULL },
	{ "place", "地点", FIELD_LINE, true, EXC_PLACE_MAX, 0, 0, NULL },
	{ "level", "级别", FIELD_CHOICE, true, 0, 0, 0, exc_levels },
	{ "organiser", "主办单位", FIELD_LINE, true, EXC_ORGANISER_MAX, 0, 0, NULL },
};

int manage_page_activity_add(struct ctx *c)
{
	struct form f;
	long long id = 0;
	int rc;
	form_init(&f, activity_fields, ARRAY_LEN(activity_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	if (!f.errors) {
		struct exc_activity_input in = {
			form_str(&f, "held_on"), form_str(&f, "topic"), form_str(&f, "place"),
			form_str(&f, "level"), form_str(&f, "organiser"),
		};
		rc = exc_add(&c->actor, &in, &id);
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirectf(c, "/manage/activity?id=%lld&done=added", id);
		}
		if (rc < 0) {
			form_release(&f);
			return rc;
		}
		form_error(&f, "held_on", "只能登记已经举办的活动：活动日期不能晚于今天。");
	}
	form_error(&f, "", "活动未登记，请按提示修改。");
	rc = show_activities(c, 422, form_json(&f), form_str(&f, "level"));
	form_release(&f);
	return rc;
}

static int show_activity(struct ctx *c, int status, long long id, json_object *form)
{
	json_object *a = NULL, *people = NULL, *candidates = NULL;
	int rc = exc_activity(id, &a);
	if (rc == DB_OK && !a) {
		json_object_put(form);
		return app_fail(c, 404, "没有找到该经验交流活动。");
	}
	if (rc == DB_OK)
		rc = exc_participants(id, &people);
	if (rc == DB_OK && is_province(c))
		rc = exc_candidates(id, &candidates);
	if (rc != DB_OK) {
		json_object_put(a);
		json_object_put(people);
		json_object_put(candidates);
		json_object_put(form);
		return rc;
	}
	const char *done = request_param(&c->req, "done");
	if (done && !strcmp(done, "added"))
		app_set_str(c, "notice", "活动已登记，可以登记参加的质量标杆。");
	else if (done && !strcmp(done, "joined"))
		app_set_str(c, "notice", "参加记录已保存。");
	else if (done && !strcmp(done, "removed"))
		app_set_str(c, "notice", "参加记录已删除。");
	app_set(c, "activity", a);
	app_set(c, "participants", people);
	app_set(c, "candidates", candidates);
	app_set(c, "form", form);
	app_set(c, "is_province", json_object_new_boolean(is_province(c)));
	return app_render(c, status, "manage_activity", "经验交流活动");
}

int manage_page_activity(struct ctx *c)
{
	long long id = form_param_int(&c->req, &id_spec);
	if (!id)
		return app_fail(c, 404, "没有找到该经验交流活动。");
	return show_activity(c, 200, id, NULL);
}

static const char *exchange_message(int rc)
{
	switch (rc) {
	case EXC_E_NOT_FOUND:
		return "所选企业不是有效的质量标杆，或记录不存在。";
	case EXC_E_DUPLICATE:
		return "该质量标杆已登记参加本次活动。";
	case EXC_E_DATE:
		return "该质量标杆在活动举办时尚未授牌。";
	default:
		return "操作未完成。";
	}
}

static const struct field_spec participation_fields[] = {
	{ "activity", "交流活动", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "benchmark", "质量标杆", FIELD_INT, true, 0, 1, ID_MAX, NULL },
	{ "contribution", "交流内容", FIELD_LINE, true, EXC_CONTRIBUTION_MAX, 0, 0, NULL },
};

static int change_participation(struct ctx *c, bool adding)
{
	struct form f;
	int rc;
	form_init(&f, participation_fields, adding ? ARRAY_LEN(participation_fields) : 2);
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	long long activity = form_int(&f, "activity"), bm = form_int(&f, "benchmark");
	if (!activity) {
		form_release(&f);
		return app_fail(c, 404, "没有找到该经验交流活动。");
	}
	if (!f.errors) {
		rc = adding ? exc_participation_add(&c->actor, activity, bm, form_str(&f, "contribution"))
			    : exc_participation_remove(&c->actor, activity, bm);
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirectf(c, "/manage/activity?id=%lld&done=%s", activity,
					     adding ? "joined" : "removed");
		}
		if (rc < 0) {
			form_release(&f);
			return rc;
		}
		app_note_refusal(c, "refused.rule", "exchange_activity", activity, exchange_message(rc));
		form_error(&f, adding ? "benchmark" : "", exchange_message(rc));
	}
	if (!f.v[f.n].error)
		form_error(&f, "", adding ? "参加记录未保存，请按提示修改。" : "参加记录未删除。");
	rc = show_activity(c, 422, activity, form_json(&f));
	form_release(&f);
	return rc;
}

int manage_page_participation_add(struct ctx *c)
{
	return change_participation(c, true);
}

int manage_page_participation_remove(struct ctx *c)
{
	return change_participation(c, false);
}

/* ---- who took part in none ---- */

static const struct export_column report_columns[] = {
	{ "cert_no", "证书编号", 20, EXPORT_TEXT, false },
	{ "year", "年度", 8, EXPORT_INT, false },
	{ "enterprise_name", "企业名称", 32, EXPORT_TEXT, true },
	{ "city_name", "市（地）", 12, EXPORT_TEXT, false },
	{ "scope_label", "类别", 30, EXPORT_TEXT, true },
	{ "award_date", "授牌日期", 12, EXPORT_TEXT, false },
	{ "last_held_on", "最近一次参加交流", 16, EXPORT_TEXT, false },
};

/* The report's period from ?since=&until= (dates), by default the last
 * exchange_report_months months to today; *bad: a message when a given
 * date is not one or since is after until. */
static void report_period(struct ctx *c, char since[CIVIL_DATE_LEN + 1],
			  char until[CIVIL_DATE_LEN + 1], const char **bad)
{
	const char *s = request_param(&c->req, "since"), *u = request_param(&c->req, "until");
	int32_t today = civil_today_shanghai(), from, to = today;
	long long months = config_int("exchange_report_months", EXC_REPORT_MONTHS_DEFAULT);
	int y, m, d;
	if (months < 1 || months > 120)
		months = EXC_REPORT_MONTHS_DEFAULT;
	civil_to_ymd(today, &y, &m, &d);
	m -= (int)months;
	while (m < 1) {
		m += 12;
		y--;
	}
	if (d > civil_days_in_month(y, m))
		d = civil_days_in_month(y, m);
	from = civil_from_ymd(y, m, d) + 1;
	*bad = NULL;
	if (u && *u && civil_parse(u, &to)) {
		*bad = "截止日期应为形如 2026-12-01 的日期。";
		to = today;
	}
	if (s && *s && civil_parse(s, &from))
		*bad = "起始日期应为形如 2026-12-01 的日期。";
	if (!*bad && from > to)
		*bad = "起始日期不能晚于截止日期。";
	if (*bad) {
		from = civil_from_ymd(y, m, d) + 1;
		to = today;
	}
	civil_format(from, since);
	civil_format(to, until);
}

static int report_rows(struct ctx *c, char *since, char *until, const char **bad, json_object **rows)
{
	report_period(c, since, until, bad);
	return exc_absent(since, until, rows);
}

int manage_page_report(struct ctx *c)
{
	char since[CIVIL_DATE_LEN + 1], until[CIVIL_DATE_LEN + 1];
	const char *bad;
	json_object *rows = NULL;
	int rc = report_rows(c, since, until, &bad, &rows);
	if (rc != DB_OK)
		return rc;
	app_set_str(c, "since", since);
	app_set_str(c, "until", until);
	app_set_str(c, "error", bad);
	app_set(c, "count", json_object_new_int64((long long)json_object_array_length(rows)));
	app_set(c, "benchmarks", rows);
	return app_render(c, bad ? 422 : 200, "manage_report", "未参加经验交流的质量标杆");
}

static int report_export(struct ctx *c, bool csv)
{
	char since[CIVIL_DATE_LEN + 1], until[CIVIL_DATE_LEN + 1];
	const char *bad;
	json_object *rows = NULL;
	struct buf name = BUF_INIT, err = BUF_INIT;
	int rc = report_rows(c, since, until, &bad, &rows);
	if (rc != DB_OK)
		return rc;
	if (bad) {
		json_object_put(rows);
		return app_fail(c, 422, bad);
	}
	/* The list leaves the system: audited before it goes. */
	rc = exc_report_audit(&c->actor, since, until, json_object_array_length(rows));
	buf_addf(&name, "未参加经验交流的质量标杆_%s至%s", since, until);
	if (rc == DB_OK && export_respond(&c->resp, csv, "未参加交流", name.data, report_columns,
					  ARRAY_LEN(report_columns), rows, &err)) {
		log_err("manage: report export: %s", err.data ? err.data : "");
		rc = DB_ERROR;
	}
	json_object_put(rows);
	buf_release(&name);
	buf_release(&err);
	return rc;
}

int manage_page_report_csv(struct ctx *c)
{
	return report_export(c, true);
}

int manage_page_report_xlsx(struct ctx *c)
{
	return report_export(c, false);
}
