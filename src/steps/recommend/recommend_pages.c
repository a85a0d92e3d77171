#include "steps/recommend/recommend_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "core/export.h"
#include "core/form.h"
#include "core/html.h"
#include "core/log.h"
#include "core/multipart.h"
#include "rules/credit.h"
#include "rules/lifecycle.h"
#include "rules/sme.h"
#include "steps/accounts/users.h"
#include "steps/intake/app_status.h"
#include "steps/intake/application.h"
#include "steps/intake/attachments.h"
#include "steps/recommend/recommend.h"
#include "steps/rounds/rounds.h"
#include "core/banned.h"

#define ID_MAX (1LL << 53)

static const struct field_spec id_spec = { "id", "申报书编号", FIELD_INT, true, 0, 1, ID_MAX, NULL };
static const struct field_spec round_spec = { "round", "年度遴选", FIELD_INT, true, 0, 1, ID_MAX,
					      NULL };
static const struct field_spec city_spec = { "city", "市（地）", FIELD_CITY, true, 0, 0, 0, NULL };

static const char NOT_FOUND_APP[] = "未找到该申报书，或您无权查看。";
static const char NOT_FOUND_BATCH[] = "未找到该市（地）的推荐批次，或您无权查看。";

/* ---- small helpers ---- */

static const char *user_city(const struct ctx *c)
{
	return c->user.role == ROLE_CITY ? c->user.city_code : NULL;
}

/* The answer to a look at another's object: 404 (as for one that does not
 * exist) and its audit record (refused.object, as every step's; written by
 * the front line, rate-limited).  oid: what was asked for (may be NULL). */
static int refuse(struct ctx *c, const char *otype, const char *oid, const char *message)
{
	struct buf why = BUF_INIT;
	char *end = NULL;
	long long id = oid ? strtoll(oid, &end, 10) : 0;
	int rc;
	if (!oid || !*oid || *end || id < 0)
		id = 0;
	buf_adds(&why, "对象不存在、不属于本市（地）或尚未提交");
	if (oid && !id) {
		buf_adds(&why, "：");
		/* What was asked for, at most 64 bytes, cut between characters. */
		size_t n = strlen(oid);
		if (n > 64) {
			n = 64;
			while (n > 0 && ((unsigned char)oid[n] & 0xC0) == 0x80)
				n--;
		}
		buf_add(&why, oid, n);
	}
	rc = app_refuse(c, 404, "refused.object", otype, id, why.data, message);
	buf_release(&why);
	return rc;
}

static int refuse_app(struct ctx *c, long long id)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return refuse(c, "application", id > 0 ? oid : request_param(&c->req, "id"), NOT_FOUND_APP);
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

static void set_form_value(json_object *form, const char *field, const char *value)
{
	json_object *fo = NULL;
	if (json_object_object_get_ex(form, field, &fo) && fo)
		json_object_object_add(fo, "value", json_object_new_string(value));
}

/* ---- the round and the city a page is about ---- */

/* ?round=N, else the current round (rounds_current).  *row NULL and
 * *answered true when the response is made (a 404 for a round that does not
 * exist); *row NULL and *answered false when there is no round at all. */
static int page_round(struct ctx *c, json_object **row, bool *answered)
{
	const char *v = request_param(&c->req, "round");
	long long id;
	int rc;
	*row = NULL;
	*answered = false;
	if (!v || !*v)
		return rounds_current(row);
	id = form_param_int(&c->req, &round_spec);
	if (id && (rc = rounds_get(id, row)) != DB_OK)
		return rc;
	if (!*row) {
		*answered = true;
		return app_fail(c, 404, "未找到该年度遴选。");
	}
	return DB_OK;
}

/* The city of a batch page: a city user's own (naming another in ?city=
 * is refused: 404 and audited); the province's ?city=, which must name an
 * active city.  *answered true when the response is made. */
static int page_city(struct ctx *c, char code[7], bool *answered)
{
	const char *v = request_param(&c->req, "city");
	char *err;
	int rc;
	*answered = false;
	code[0] = '\0';
	if (c->user.role == ROLE_CITY) {
		if (v && *v && strcmp(v, c->user.city_code)) {
			*answered = true;
			return refuse(c, "city", v, NOT_FOUND_BATCH);
		}
		snprintf(code, 7, "%s", c->user.city_code);
		return DB_OK;
	}
	err = field_check(&city_spec, v ? v : "", NULL);
	if (err) {
		free(err);
		*answered = true;
		return app_fail(c, 404, NOT_FOUND_BATCH);
	}
	rc = users_city_known(v);
	if (rc == 1) {
		*answered = true;
		return app_fail(c, 404, NOT_FOUND_BATCH);
	}
	if (rc != DB_OK)
		return rc;
	snprintf(code, 7, "%s", v);
	return DB_OK;
}

/* The rounds for the selector, the chosen one marked. */
static int set_rounds(struct ctx *c, long long selected)
{
	json_object *rows = NULL;
	int rc = rounds_list(&rows);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		if (db_int(r, "id", 0) == selected)
			json_object_object_add(r, "selected", json_object_new_boolean(1));
	}
	app_set(c, "rounds", rows);
	return DB_OK;
}

static void set_flags(struct ctx *c)
{
	app_set(c, "is_city", json_object_new_boolean(c->user.role == ROLE_CITY));
	app_set(c, "is_province", json_object_new_boolean(c->user.role == ROLE_PROVINCE));
}

/* ---- the list: filters, sorting, paging ---- */

static const char *const status_choices[] = {
	"submitted", "returned", "not_recommended", "recommended", "with_province", "in_review",
	"not_selected", "proposed", "in_publicity", "withdrawn", "approved", "benchmark", "revoked",
	NULL
};
/* The province's list holds the recommended ones and what became of them. */
static const char *const province_status_choices[] = {
	"recommended", "with_province", "in_review", "not_selected", "proposed", "in_publicity",
	"withdrawn", "approved", "benchmark", "revoked", NULL
};
static const char *const scope_choices[] = { "1", "2", "3", "4", "5", NULL };
static const char *const dir_choices[] = { "asc", "desc", NULL };
static const char *const per_choices[] = { "10", "20", "50", "100", NULL };

static const struct field_spec city_list_fields[] = {
	{ "status", "状态", FIELD_CHOICE, false, 0, 0, 0, status_choices },
	{ "scope", "遴选范围", FIELD_CHOICE, false, 0, 0, 0, scope_choices },
	{ "sort", "排序列", FIELD_LINE, false, 32, 0, 0, NULL },
	{ "dir", "排序方向", FIELD_CHOICE, false, 0, 0, 0, dir_choices },
	{ "page", "页码", FIELD_INT, false, 0, 1, 1000000, NULL },
	{ "per", "每页条数", FIELD_CHOICE, false, 0, 0, 0, per_choices },
	{ "q", "企业名称、典型经验名称或统一社会信用代码", FIELD_LINE, false, 64, 0, 0, NULL },
};
static const struct field_spec province_list_fields[] = {
	{ "status", "状态", FIELD_CHOICE, false, 0, 0, 0, province_status_choices },
	{ "scope", "遴选范围", FIELD_CHOICE, false, 0, 0, 0, scope_choices },
	{ "sort", "排序列", FIELD_LINE, false, 32, 0, 0, NULL },
	{ "dir", "排序方向", FIELD_CHOICE, false, 0, 0, 0, dir_choices },
	{ "page", "页码", FIELD_INT, false, 0, 1, 1000000, NULL },
	{ "per", "每页条数", FIELD_CHOICE, false, 0, 0, 0, per_choices },
	{ "city", "市（地）", FIELD_CITY, false, 0, 0, 0, NULL },
	{ "q", "企业名称、典型经验名称或统一社会信用代码", FIELD_LINE, false, 64, 0, 0, NULL },
};
#define N_CITY_LIST (sizeof city_list_fields / sizeof city_list_fields[0])
#define N_PROVINCE_LIST (sizeof province_list_fields / sizeof province_list_fields[0])

struct list_q {
	const char *base; /* "/recommend" or "/recommend/province" */
	struct rec_filter f;
};

static void list_href(struct buf *b, const struct list_q *q, int sort, bool desc, long long page)
{
	buf_addf(b, "%s?round=%lld", q->base, q->f.round_id);
	if (q->f.recommended_only && q->f.city_code && *q->f.city_code) {
		buf_adds(b, "&city=");
		url_encode(b, q->f.city_code, strlen(q->f.city_code));
	}
	if (q->f.status && *q->f.status) {
		buf_adds(b, "&status=");
		url_encode(b, q->f.status, strlen(q->f.status));
	}
	if (q->f.scope)
		buf_addf(b, "&scope=%d", q->f.scope);
	if (q->f.q && *q->f.q) {
		buf_adds(b, "&q=");
		url_encode(b, q->f.q, strlen(q->f.q));
	}
	buf_addf(b, "&sort=%s&dir=%s", rec_sort_keys[sort].name, desc ? "desc" : "asc");
	if (q->f.page_size != REC_PAGE_SIZE)
		buf_addf(b, "&per=%lld", q->f.page_size);
	if (page > 1)
		buf_addf(b, "&page=%lld", page);
}

static json_object *href_json(const struct list_q *q, int sort, bool desc, long long page)
{
	struct buf b = BUF_INIT;
	json_object *s;
	list_href(&b, q, sort, desc, page);
	s = json_object_new_string(b.data);
	buf_release(&b);
	return s;
}

static json_object *choice_options(const char *const *choices, const char *selected, bool scope)
{
	json_object *a = json_object_new_array();
	for (const char *const *ch = choices; *ch; ch++) {
		json_object *o = json_object_new_object();
		const char *label = scope ? app_scope_label(**ch - '0') : app_status_label(*ch);
		json_object_object_add(o, "value", json_object_new_string(*ch));
		json_object_object_add(o, "label", json_object_new_string(label ? label : *ch));
		if (selected && !strcmp(selected, *ch))
			json_object_object_add(o, "selected", json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

/* Validates the list's query, runs it and sets "list" and "filters".
 * *status becomes 422 when a filter was refused (the list is then shown
 * without it).  f->round_id and the city must be set by the caller. */
static int set_list(struct ctx *c, struct list_q *q, bool province, int *status)
{
	const struct field_spec *spec = province ? province_list_fields : city_list_fields;
	size_t nspec = province ? N_PROVINCE_LIST : N_CITY_LIST;
	struct form f;
	json_object *rows = NULL, *list, *headers, *pages, *filters;
	long long total = 0, npages, page;
	const char *sort_name;
	int rc;

	*status = 200;
	form_init(&f, spec, nspec);
	form_validate(&f, &c->req);
	sort_name = form_str(&f, "sort");
	q->f.sort = rec_sort_parse(*sort_name ? sort_name : province ? "city" : "submitted");
	if (q->f.sort < 0) {
		form_error(&f, "sort", "排序列无效，已按默认顺序排列。");
		q->f.sort = rec_sort_parse(province ? "city" : "submitted");
	}
	for (size_t i = 0; i < f.n; i++)
		if (f.v[i].error)
			f.v[i].value = ""; /* a refused filter is not applied */
	q->f.status = form_str(&f, "status");
	q->f.scope = *form_str(&f, "scope") ? form_str(&f, "scope")[0] - '0' : 0;
	q->f.desc = !strcmp(form_str(&f, "dir"), "desc");
	q->f.page = *form_str(&f, "page") ? form_int(&f, "page") : 1;
	q->f.page_size = *form_str(&f, "per") ? strtoll(form_str(&f, "per"), NULL, 10) : REC_PAGE_SIZE;
	q->f.q = form_str(&f, "q");
	q->f.recommended_only = province;
	if (province)
		q->f.city_code = form_str(&f, "city");
	if (f.errors) {
		*status = 422;
		if (!f.v[f.n].error)
			form_error(&f, "", "部分筛选条件无效，已忽略：请按提示修改。");
	}
	if ((rc = rec_list(&q->f, &rows, &total)) != DB_OK)
		goto out;
	npages = total ? (total + q->f.page_size - 1) / q->f.page_size : 1;
	if (q->f.page > npages) {
		/* Past the end (the list shrank): the last page. */
		q->f.page = npages;
		json_object_put(rows);
		if ((rc = rec_list(&q->f, &rows, &total)) != DB_OK)
			goto out;
	}
	page = q->f.page;
	headers = json_object_new_object();
	for (size_t k = 0; k < rec_n_sort_keys; k++) {
		json_object *h = json_object_new_object();
		bool cur = (int)k == q->f.sort;
		json_object_object_add(h, "label", json_object_new_string(rec_sort_keys[k].label));
		/* A click on the current column turns its direction. */
		json_object_object_add(h, "href", href_json(q, (int)k, cur && !q->f.desc, 1));
		if (cur)
			json_object_object_add(h, q->f.desc ? "desc" : "asc", json_object_new_boolean(1));
		json_object_object_add(headers, rec_sort_keys[k].name, h);
	}
	pages = json_object_new_array();
	for (long long p = page - 4 < 1 ? 1 : page - 4; p <= npages && p <= page + 4; p++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "n", json_object_new_int64(p));
		json_object_object_add(o, "href", href_json(q, q->f.sort, q->f.desc, p));
		if (p == page)
			json_object_object_add(o, "current", json_object_new_boolean(1));
		json_object_array_add(pages, o);
	}
	list = json_object_new_object();
	json_object_object_add(list, "rows", rows);
	rows = NULL;
	json_object_object_add(list, "total", json_object_new_int64(total));
	json_object_object_add(list, "page", json_object_new_int64(page));
	json_object_object_add(list, "npages", json_object_new_int64(npages));
	json_object_object_add(list, "headers", headers);
	json_object_object_add(list, "pages", pages);
	if (page > 1)
		json_object_object_add(list, "prev", href_json(q, q->f.sort, q->f.desc, page - 1));
	if (page < npages)
		json_object_object_add(list, "next", href_json(q, q->f.sort, q->f.desc, page + 1));
	app_set(c, "list", list);

	filters = json_object_new_object();
	json_object_object_add(filters, "statuses",
			       choice_options(province ? province_status_choices : status_choices,
					      q->f.status, false));
	json_object_object_add(filters, "scopes", choice_options(scope_choices, form_str(&f, "scope"),
								 true));
	json_object_object_add(filters, "sort", json_object_new_string(rec_sort_keys[q->f.sort].name));
	json_object_object_add(filters, "dir", json_object_new_string(q->f.desc ? "desc" : "asc"));
	json_object_object_add(filters, "round", json_object_new_int64(q->f.round_id));
	json_object_object_add(filters, "per", json_object_new_int64(q->f.page_size));
	app_set(c, "filters", filters);
	app_set(c, "form", form_json(&f));
	if (province) {
		json_object *cities = NULL;
		if ((rc = users_city_options(&cities, form_str(&f, "city"))) != DB_OK)
			goto out;
		app_set(c, "cities", cities);
	}
out:
	json_object_put(rows);
	form_release(&f);
	return rc;
}

/* A province user on a city's page without ?city=: the province's overview
 * of the same round (303). */
static int to_province(struct ctx *c)
{
	struct buf to = BUF_INIT;
	long long r = form_param_int(&c->req, &round_spec);
	int rc;
	buf_adds(&to, "/recommend/province");
	if (r)
		buf_addf(&to, "?round=%lld", r);
	rc = app_redirect(c, to.data);
	buf_release(&to);
	return rc;
}

/* ---- the city's list ---- */

/*   GET ?round=&status=&scope=&sort=&dir=&page=
 *       city: 200 its city's applications in the round (every status but
 *       draft), its batch's state; 422 the same with a refused filter
 *       explained; 404 no such round
 *       province: 303 to /recommend/province */
int rec_page_index(struct ctx *c)
{
	json_object *round = NULL, *batch = NULL;
	struct list_q q;
	bool answered;
	int rc, status = 200;
	char city[7];

	if (c->user.role == ROLE_PROVINCE)
		return to_province(c);
	if ((rc = page_city(c, city, &answered)) != DB_OK || answered)
		return rc;
	if ((rc = page_round(c, &round, &answered)) != DB_OK || answered)
		return rc;
	set_flags(c);
	if (!round) {
		app_set(c, "no_round", json_object_new_boolean(1));
		return app_render(c, 200, "recommend_index", "推荐工作");
	}
	memset(&q, 0, sizeof q);
	q.base = "/recommend";
	q.f.round_id = db_int(round, "id", 0);
	q.f.city_code = city;
	if ((rc = rec_batch(q.f.round_id, city, &batch)) != DB_OK)
		goto out;
	if ((rc = set_list(c, &q, false, &status)) != DB_OK || (rc = set_rounds(c, q.f.round_id)) != DB_OK)
		goto out;
	app_set_str(c, "rounds_action", "/recommend");
	app_set_str(c, "filters_action", "/recommend");
	app_set(c, "round", round);
	app_set(c, "batch", batch);
	round = batch = NULL;
	rc = app_render(c, status, "recommend_index", "推荐工作");
out:
	json_object_put(round);
	json_object_put(batch);
	return rc;
}

/* ---- one application ---- */

static const struct field_spec return_fields[] = {
	{ "reason", "退回修改理由", FIELD_TEXT, true, REC_REASON_MAX, 0, 0, NULL },
};
static const struct field_spec decline_fields[] = {
	{ "reason", "不予推荐理由", FIELD_TEXT, true, REC_REASON_MAX, 0, 0, NULL },
};
static const struct field_spec recommend_fields[] = {
	{ "opinion", "推荐意见", FIELD_TEXT, true, REC_OPINION_MAX, 0, 0, NULL },
	{ "rank", "推荐排名", FIELD_INT, false, 0, 1, REC_RANK_MAX, NULL },
};
static const char *const kind_choices[] = { "dishonest_debtor", "serious_violation", NULL };
static const char *const result_choices[] = { "clear", "listed", NULL };
static const struct field_spec credit_fields[] = {
	{ "kind", "核查项目", FIELD_CHOICE, true, 0, 0, 0, kind_choices },
	{ "result", "核查结果", FIELD_CHOICE, true, 0, 0, 0, result_choices },
	{ "checked_on", "核查日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "note", "备注", FIELD_LINE, false, REC_NOTE_MAX, 0, 0, NULL },
};

/* Loads application id when the user may review it (its city's bureau or
 * the province, never a draft); otherwise refuses (404, audited) and *row
 * is NULL. */
static int reviewable(struct ctx *c, long long id, json_object **row, json_object **ind)
{
	int rc;
	*row = *ind = NULL;
	if (id > 0 && (rc = app_load(id, row, ind)) != DB_OK)
		return rc;
	if (*row && auth_can_see_application(&c->user, db_int(*row, "account_id", 0),
					     db_str(*row, "city_code", ""), db_str(*row, "status", "")))
		return DB_OK;
	json_object_put(*row);
	json_object_put(*ind);
	*row = *ind = NULL;
	return refuse_app(c, id);
}

/* The Chinese explanation of a refused change. */
static void conflict_message(struct buf *m, int rc, const char *verb, json_object *app,
			     json_object *batch)
{
	switch (rc) {
	case REC_E_STATE:
		buf_addf(m, "操作未完成：该申报书当前状态为“%s”，不能%s。页面已显示最新状态。",
			 db_str(app, "status_label", ""), verb);
		break;
	case REC_E_BATCH_SUBMITTED:
		buf_addf(m, "操作未完成：%s%lld年度推荐批次已于%s提交省工信厅，不能再修改或重复提交。"
			    "如需修改，请联系省工信厅重新开放推荐批次。",
			 db_str(batch, "city_name", ""), db_int(batch, "year", 0),
			 db_str(batch, "submitted_at", ""));
		break;
	case REC_E_LATE:
		buf_addf(m, "操作未完成：%s推荐截止时间（%s）已过，不能再修改或提交推荐批次。"
			    "如需延期，请联系省工信厅。",
			 db_str(batch, "city_name", ""), db_str(batch, "deadline", ""));
		break;
	case REC_E_WINDOW_CLOSED:
		buf_addf(m, "不能退回修改：本年度申报已于%s截止，企业无法再修改和提交。"
			    "如不推荐，请选择“不予推荐”并说明理由。",
			 db_str(batch, "apply_close", ""));
		break;
	case REC_E_UNDECIDED:
		buf_addf(m, "推荐批次未提交：尚有%lld份申报书未处理（推荐、不予推荐或退回修改），"
			    "请逐份作出决定后再提交。",
			 db_int(batch, "undecided", 0));
		break;
	case REC_E_OVER_QUOTA:
		buf_addf(m, "推荐批次未提交：已推荐%lld份，超过本市（地）推荐名额%lld份。"
			    "请撤销%lld份推荐后再提交。",
			 db_int(batch, "used", 0), db_int(batch, "quota", 0), db_int(batch, "over_by", 0));
		break;
	case REC_E_CHANGED:
		buf_adds(m, "排序未保存：推荐名单已有变化（可能已在其他窗口中修改），请核对最新名单后重新排序。");
		break;
	case REC_E_NOT_SUBMITTED:
		buf_adds(m, "操作未完成：该市（地）推荐批次尚未提交，无需重新开放。");
		break;
	case REC_E_IN_REVIEW:
		buf_adds(m, "不能重新开放：该批次已有申报书进入专家评审。");
		break;
	case REC_E_CREDIT_STATE:
		buf_addf(m, "只能为已推荐的申报书记录信用核查；该申报书当前状态为“%s”。",
			 db_str(app, "status_label", ""));
		break;
	default:
		buf_adds(m, "操作未完成，请刷新页面后重试。");
		break;
	}
}

static const struct {
	const char *done, *notice;
} app_notices[] = {
	{ "return", "已退回企业修改。退回理由已告知企业（在企业首页和申报书中显示）。" },
	{ "decline", "已作出不予推荐决定。" },
	{ "recommend", "已列入本市（地）推荐批次。" },
	{ "reconsider", "已撤销决定，申报书恢复为待处理。" },
	{ "credit", "信用核查结果已记录。" },
};

/* Renders the review page of application row.  conflict (a rec_status or
 * 0) with verb explains a refused change; form_name/form (taken; may be
 * NULL) is a form shown again with the user's input. */
static int show_app(struct ctx *c, int status, json_object *row, json_object *ind, int conflict,
		    const char *verb, const char *form_name, json_object *form)
{
	json_object *batch = NULL, *atts = NULL, *decision = NULL, *returns = NULL, *checks = NULL,
		    *timeline = NULL, *credit, *forms;
	struct app_checklist cl;
	struct credit_check cc[CREDIT_KINDS];
	enum credit_kind which = CREDIT_DISHONEST;
	enum credit_verdict v;
	long long id = db_int(row, "id", 0);
	const char *st = db_str(row, "status", ""), *done;
	enum lc_state state = lc_state_parse(st);
	bool is_city = c->user.role == ROLE_CITY, can_change;
	char today[CIVIL_DATE_LEN + 1], rank[24];
	int rc;

	app_checklist_init(&cl);
	if ((rc = rec_batch(db_int(row, "round_id", 0), db_str(row, "city_code", ""), &batch)) != DB_OK ||
	    (rc = app_evaluate(row, ind, &cl)) != DB_OK || (rc = att_list(id, &atts)) != DB_OK ||
	    (rc = rec_decision(id, &decision)) != DB_OK || (rc = rec_returns(id, &returns)) != DB_OK ||
	    (rc = rec_credit_checks(id, &checks)) != DB_OK || (rc = rec_credit_latest(id, cc)) != DB_OK ||
	    (rc = app_timeline(id, db_str(row, "city_name", ""), &timeline)) != DB_OK)
		goto out;
	if (!batch) {
		rc = DB_ERROR; /* the application's round and city exist */
		goto out;
	}
	if (conflict) {
		struct buf m = BUF_INIT;
		conflict_message(&m, conflict, verb, row, batch);
		app_set_str(c, "error", m.data);
		buf_release(&m);
	}
	done = request_param(&c->req, "done");
	for (size_t i = 0; done && i < ARRAY_LEN(app_notices); i++)
		if (!strcmp(done, app_notices[i].done))
			app_set_str(c, "notice", app_notices[i].notice);

	app_view_prepare(row);
	app_set_str(c, "file_base", "/files/download?id=");
	app_set(c, "checklist", app_checklist_json(&cl));

	/* The credit checks that count now (src/rules/credit.h). */
	v = credit_judge_all(cc, civil_today_shanghai(), rec_credit_max_age(), &which);
	credit = json_object_new_object();
	json_object_object_add(credit, "ok", json_object_new_boolean(v == CREDIT_OK));
	json_object_object_add(credit, "label", json_object_new_string(credit_verdict_label(v)));
	json_object_object_add(credit, "kind_label", json_object_new_string(credit_kind_label(which)));
	json_object_object_add(credit, "max_age", json_object_new_int(rec_credit_max_age()));
	app_set(c, "credit", credit);

	can_change = db_int(batch, "can_change", 0) != 0;
	app_set(c, "can_decide", json_object_new_boolean(is_city && can_change && state == LC_SUBMITTED));
	app_set(c, "can_return", json_object_new_boolean(is_city && can_change && state == LC_SUBMITTED &&
							 db_int(batch, "window_open", 0)));
	app_set(c, "can_reconsider",
		json_object_new_boolean(is_city && can_change &&
					(state == LC_RECOMMENDED || state == LC_NOT_RECOMMENDED)));
	app_set(c, "can_credit", json_object_new_boolean(state == LC_RECOMMENDED ||
							 state == LC_WITH_PROVINCE ||
							 state == LC_IN_REVIEW));
	set_flags(c);

	/* The forms, empty unless one comes back with the user's input. */
	forms = json_object_new_object();
	json_object_object_add(forms, "return", empty_form(return_fields, ARRAY_LEN(return_fields)));
	json_object_object_add(forms, "decline", empty_form(decline_fields, ARRAY_LEN(decline_fields)));
	json_object_object_add(forms, "recommend", empty_form(recommend_fields, ARRAY_LEN(recommend_fields)));
	json_object_object_add(forms, "credit", empty_form(credit_fields, ARRAY_LEN(credit_fields)));
	snprintf(rank, sizeof rank, "%lld", db_int(batch, "used", 0) + 1);
	set_form_value(json_object_object_get(forms, "recommend"), "rank", rank);
	civil_format(civil_today_shanghai(), today);
	set_form_value(json_object_object_get(forms, "credit"), "checked_on", today);
	if (form_name && form)
		json_object_object_add(forms, form_name, form);
	else
		json_object_put(form);
	form = NULL;
	{
		/* The selects of the credit form keep their choice. */
		json_object *cf = json_object_object_get(forms, "credit"), *fo = NULL, *val = NULL;
		if (json_object_object_get_ex(cf, "kind", &fo) && json_object_object_get_ex(fo, "value", &val) &&
		    !strcmp(json_object_get_string(val), "serious_violation"))
			json_object_object_add(cf, "kind_sv", json_object_new_boolean(1));
		if (json_object_object_get_ex(cf, "result", &fo) &&
		    json_object_object_get_ex(fo, "value", &val) &&
		    !strcmp(json_object_get_string(val), "listed"))
			json_object_object_add(cf, "result_listed", json_object_new_boolean(1));
	}
	app_set(c, "forms", forms);
	app_set(c, "rank_max", json_object_new_int64(db_int(batch, "used", 0) + 1));
	app_set_str(c, "today", today);

	app_set(c, "app", json_object_get(row));
	app_set(c, "indicators", json_object_get(ind));
	app_set(c, "batch", batch);
	app_set(c, "attachments", atts);
	app_set(c, "decision", decision);
	app_set(c, "returns", returns);
	app_set(c, "credit_checks", checks);
	app_set(c, "timeline", timeline);
	batch = atts = decision = returns = checks = timeline = NULL;
	rc = app_render(c, status, "recommend_app", "申报书审核");
out:
	json_object_put(form);
	json_object_put(batch);
	json_object_put(atts);
	json_object_put(decision);
	json_object_put(returns);
	json_object_put(checks);
	json_object_put(timeline);
	app_checklist_release(&cl);
	return rc;
}

/*   GET ?id=N  200 the application in full, its files, the city's decision,
 *              the returns and the credit checks, with the forms the state
 *              allows; 404 (audited) another city's, a draft, no such id */
int rec_page_app(struct ctx *c)
{
	json_object *row = NULL, *ind = NULL;
	int rc = reviewable(c, form_param_int(&c->req, &id_spec), &row, &ind);
	if (rc == DB_OK && row)
		rc = show_app(c, 200, row, ind, 0, NULL, NULL, NULL);
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

enum action { ACT_RETURN, ACT_DECLINE, ACT_RECOMMEND, ACT_RECONSIDER, ACT_CREDIT };

static const struct {
	const char *form, *verb, *done, *summary;
	const struct field_spec *spec;
	size_t n;
} actions[] = {
	[ACT_RETURN] = { "return", "退回修改", "return", "未退回：请按提示修改。", return_fields,
			 ARRAY_LEN(return_fields) },
	[ACT_DECLINE] = { "decline", "作出不予推荐决定", "decline", "未保存：请按提示修改。",
			  decline_fields, ARRAY_LEN(decline_fields) },
	[ACT_RECOMMEND] = { "recommend", "推荐", "recommend", "未推荐：请按提示修改。",
			    recommend_fields, ARRAY_LEN(recommend_fields) },
	[ACT_RECONSIDER] = { NULL, "撤销决定", "reconsider", NULL, NULL, 0 },
	[ACT_CREDIT] = { "credit", "记录信用核查", "credit", "未记录：请按提示修改。", credit_fields,
			 ARRAY_LEN(credit_fields) },
};

static int app_action(struct ctx *c, enum action a)
{
	json_object *row = NULL, *ind = NULL;
	long long id = form_param_int(&c->req, &id_spec);
	struct form f;
	struct buf to = BUF_INIT;
	int32_t day;
	int rc, why;

	form_init(&f, actions[a].spec, actions[a].n);
	if ((rc = reviewable(c, id, &row, &ind)) != DB_OK || !row)
		goto out;
	form_tidy(&c->req.form);
	if (actions[a].spec)
		form_validate(&f, &c->req);
	if (a == ACT_CREDIT && *form_str(&f, "checked_on") &&
	    !civil_parse(form_str(&f, "checked_on"), &day) && day > civil_today_shanghai())
		form_error(&f, "checked_on", "核查日期不能晚于今天。");
	if (f.errors) {
		if (!f.v[f.n].error)
			form_error(&f, "", actions[a].summary);
		rc = show_app(c, 422, row, ind, 0, NULL, actions[a].form, form_json(&f));
		goto out;
	}
	switch (a) {
	case ACT_RETURN:
		rc = rec_return(&c->actor, id, user_city(c), form_str(&f, "reason"));
		break;
	case ACT_DECLINE:
		rc = rec_decline(&c->actor, id, user_city(c), form_str(&f, "reason"));
		break;
	case ACT_RECOMMEND:
		rc = rec_recommend(&c->actor, id, user_city(c), form_str(&f, "opinion"),
				   *form_str(&f, "rank") ? form_int(&f, "rank") : 0);
		break;
	case ACT_RECONSIDER:
		rc = rec_reconsider(&c->actor, id, user_city(c));
		break;
	case ACT_CREDIT:
		rc = rec_credit_record(&c->actor, id, user_city(c),
				       (enum credit_kind)credit_kind_parse(form_str(&f, "kind")),
				       credit_result_parse(form_str(&f, "result")),
				       form_str(&f, "checked_on"), form_str(&f, "note"));
		break;
	}
	if (rc == DB_OK) {
		buf_addf(&to, "/recommend/app?id=%lld&done=%s", id, actions[a].done);
		rc = app_redirect(c, to.data);
		goto out;
	}
	if (rc == REC_E_NOT_FOUND) {
		rc = refuse_app(c, id);
		goto out;
	}
	if (rc < 0)
		goto out; /* the database: 503 or 500 */
	/* Refused for the state of things: the page as it is now, with the
	 * explanation and the input kept. */
	why = rc;
	json_object_put(row);
	json_object_put(ind);
	if ((rc = app_load(id, &row, &ind)) != DB_OK)
		goto out;
	if (!row) {
		rc = DB_ERROR; /* applications are never deleted */
		goto out;
	}
	if (why == REC_E_RANK) {
		json_object *batch = NULL;
		if ((rc = rec_batch(db_int(row, "round_id", 0), db_str(row, "city_code", ""), &batch)) !=
		    DB_OK)
			goto out;
		buf_addf(&to, "推荐排名须在1到%lld之间（本批次现有%lld份推荐）。",
			 db_int(batch, "used", 0) + 1, db_int(batch, "used", 0));
		json_object_put(batch);
		form_error(&f, "rank", to.data);
		form_error(&f, "", actions[a].summary);
		rc = show_app(c, 422, row, ind, 0, NULL, actions[a].form, form_json(&f));
		goto out;
	}
	rc = show_app(c, 409, row, ind, why, actions[a].verb, actions[a].form,
		      actions[a].spec ? form_json(&f) : NULL);
out:
	form_release(&f);
	buf_release(&to);
	json_object_put(row);
	json_object_put(ind);
	return rc;
}

int rec_page_return(struct ctx *c)
{
	return app_action(c, ACT_RETURN);
}

int rec_page_decline(struct ctx *c)
{
	return app_action(c, ACT_DECLINE);
}

int rec_page_recommend(struct ctx *c)
{
	return app_action(c, ACT_RECOMMEND);
}

int rec_page_reconsider(struct ctx *c)
{
	return app_action(c, ACT_RECONSIDER);
}

int rec_page_credit(struct ctx *c)
{
	return app_action(c, ACT_CREDIT);
}

/* ---- the batch ---- */

static const struct field_spec reopen_fields[] = {
	{ "reason", "重新开放理由", FIELD_TEXT, true, REC_REASON_MAX, 0, 0, NULL },
};
static const struct field_spec extend_fields[] = {
	{ "deadline", "新的推荐截止时间", FIELD_LINE, true, 19, 0, 0, NULL },
	{ "reason", "延期理由", FIELD_TEXT, true, REC_REASON_MAX, 0, 0, NULL },
};

static const struct {
	const char *done, *notice;
} batch_notices[] = {
	{ "order", "排序已保存。" },
	{ "unchanged", "排序未变化，无需保存。" },
	{ "submitted", "推荐批次已提交省工信厅。请打印推荐函，加盖公章后留存。" },
	{ "reopened", "推荐批次已重新开放：该市（地）可以修改后再次提交。" },
	{ "extended", "该市（地）的推荐截止时间已延长。" },
};

static void batch_href(struct buf *b, const char *page, long long round_id, const char *city,
		       bool province)
{
	buf_addf(b, "/recommend/%s?round=%lld", page, round_id);
	if (province)
		buf_addf(b, "&city=%s", city);
}

/* Renders the batch page of city in round.  conflict (a rec_status or 0)
 * explains a refused change; form_name/form (taken; may be NULL) comes back
 * with the user's input; ranks (taken; may be NULL) maps "rank_<id>" to the
 * values the user typed in the order form. */
static int show_batch(struct ctx *c, int status, json_object *round, const char *city,
		      int conflict, const char *form_name, json_object *form, json_object *ranks)
{
	json_object *batch = NULL, *items = NULL, *events = NULL, *forms;
	long long round_id = db_int(round, "id", 0);
	bool province = c->user.role == ROLE_PROVINCE;
	const char *done = request_param(&c->req, "done");
	struct buf b = BUF_INIT;
	int rc;

	if ((rc = rec_batch(round_id, city, &batch)) != DB_OK || !batch ||
	    (rc = rec_batch_items(round_id, city, &items)) != DB_OK ||
	    (rc = rec_batch_events(round_id, city, &events)) != DB_OK ||
	    (rc = set_rounds(c, round_id)) != DB_OK) {
		if (rc == DB_OK)
			rc = DB_ERROR; /* page_city and page_round found both */
		goto out;
	}
	if (conflict) {
		conflict_message(&b, conflict, "", NULL, batch);
		app_set_str(c, "error", b.data);
		buf_reset(&b);
	}
	for (size_t i = 0; done && i < ARRAY_LEN(batch_notices); i++)
		if (!strcmp(done, batch_notices[i].done))
			app_set_str(c, "notice", batch_notices[i].notice);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i), *typed = NULL;
		char key[40];
		snprintf(key, sizeof key, "rank_%lld", db_int(it, "application_id", 0));
		json_object_object_add(it, "rank_field", json_object_new_string(key));
		if (ranks && json_object_object_get_ex(ranks, key, &typed) && typed)
			json_object_object_add(it, "rank_value", json_object_get(typed));
		else
			json_object_object_add(it, "rank_value",
					       json_object_new_int64(db_int(it, "rank_no", 0)));
	}
	forms = json_object_new_object();
	json_object_object_add(forms, "reopen", empty_form(reopen_fields, ARRAY_LEN(reopen_fields)));
	json_object_object_add(forms, "extend", empty_form(extend_fields, ARRAY_LEN(extend_fields)));
	if (form_name && form)
		json_object_object_add(forms, form_name, form);
	else
		json_object_put(form);
	form = NULL;
	app_set(c, "forms", forms);
	set_flags(c);
	app_set_str(c, "rounds_action", "/recommend/batch");
	batch_href(&b, "letter", round_id, city, province);
	app_set_str(c, "letter_href", b.data);
	buf_reset(&b);
	batch_href(&b, "export", round_id, city, province);
	buf_adds(&b, "&format=xlsx");
	app_set_str(c, "xlsx_href", b.data);
	buf_truncate(&b, b.len - 4);
	buf_adds(&b, "csv");
	app_set_str(c, "csv_href", b.data);
	app_set(c, "round", json_object_get(round));
	app_set(c, "batch", batch);
	app_set(c, "items", items);
	app_set(c, "events", events);
	batch = items = events = NULL;
	rc = app_render(c, status, "recommend_batch", "推荐批次");
out:
	json_object_put(form);
	json_object_put(ranks);
	json_object_put(batch);
	json_object_put(items);
	json_object_put(events);
	buf_release(&b);
	return rc;
}

/* The round and city of a batch page or action; *answered when the
 * response is made.  A province request without ?city= goes to the
 * province's overview. */
static int batch_target(struct ctx *c, json_object **round, char city[7], bool *answered)
{
	int rc;
	*round = NULL;
	if (c->user.role == ROLE_PROVINCE && !request_param(&c->req, "city") &&
	    c->req.method != METHOD_POST) {
		*answered = true;
		return to_province(c);
	}
	if ((rc = page_city(c, city, answered)) != DB_OK || *answered)
		return rc;
	if ((rc = page_round(c, round, answered)) != DB_OK || *answered)
		return rc;
	if (!*round) {
		*answered = true;
		return app_fail(c, 404, "尚未设立年度遴选。");
	}
	return DB_OK;
}

/*   GET ?round=&city=  200 the batch: its recommended applications in rank
 *                      order with their opinions, the quota and its use,
 *                      the deadline, the state; for the city the reorder
 *                      and submit forms, for the province the reopen and
 *                      extend forms.  city users: their own city (another
 *                      in ?city=: 404, audited); the province names the city
 *                      (without: 303 to /recommend/province) */
int rec_page_batch(struct ctx *c)
{
	json_object *round = NULL;
	char city[7];
	bool answered;
	int rc = batch_target(c, &round, city, &answered);
	if (rc == DB_OK && !answered)
		rc = show_batch(c, 200, round, city, 0, NULL, NULL, NULL);
	json_object_put(round);
	return rc;
}

static int redirect_batch(struct ctx *c, long long round_id, const char *city, const char *done)
{
	struct buf to = BUF_INIT;
	int rc;
	batch_href(&to, "batch", round_id, city, c->user.role == ROLE_PROVINCE);
	buf_addf(&to, "&done=%s", done);
	rc = app_redirect(c, to.data);
	buf_release(&to);
	return rc;
}

/*   POST round=N, rank_<id>=K for each recommended application
 *        303 back (done=order, or done=unchanged); 422 ranks that are not
 *        1..n each once (input kept); 409 the batch changed meanwhile,
 *        was submitted, or the deadline passed (nothing changed) */
int rec_page_order(struct ctx *c)
{
	static const struct field_spec rank_spec = { "rank", "推荐排名", FIELD_INT, true, 0, 1,
						     REC_RANK_MAX, NULL };
	json_object *round = NULL, *typed = json_object_new_object();
	long long *ids = NULL, *ranks = NULL, *ordered = NULL;
	size_t n = 0;
	char city[7];
	bool answered, bad = false;
	int rc = batch_target(c, &round, city, &answered);

	if (rc != DB_OK || answered)
		goto out;
	form_tidy(&c->req.form);
	ids = xcalloc(c->req.form.n + 1, sizeof *ids);
	ranks = xcalloc(c->req.form.n + 1, sizeof *ranks);
	ordered = xcalloc(c->req.form.n + 1, sizeof *ordered);
	for (size_t i = 0; i < c->req.form.n; i++) {
		const struct field *fl = &c->req.form.v[i];
		long long id = 0, r = 0;
		char *err;
		if (strncmp(fl->name, "rank_", 5))
			continue;
		json_object_object_add(typed, fl->name, json_object_new_string(fl->value));
		err = field_check(&id_spec, fl->name + 5, &id);
		if (!err)
			err = field_check(&rank_spec, fl->value, &r);
		if (err) {
			bad = true;
			free(err);
			continue;
		}
		for (size_t k = 0; k < n; k++)
			bad = bad || ids[k] == id;
		ids[n] = id;
		ranks[n++] = r;
	}
	if (!bad && rec_order_from_ranks(ids, ranks, n, ordered))
		bad = true;
	if (bad) {
		struct buf m = BUF_INIT;
		buf_addf(&m, "排序未保存：推荐排名须为1到%zu的整数，每个名次只能用一次。", n);
		app_set_str(c, "order_error", m.data);
		buf_release(&m);
		rc = show_batch(c, 422, round, city, 0, NULL, NULL, typed);
		typed = NULL;
		goto out;
	}
	rc = rec_reorder(&c->actor, db_int(round, "id", 0), city, ordered, n);
	if (rc == DB_OK || rc == REC_UNCHANGED)
		rc = redirect_batch(c, db_int(round, "id", 0), city, rc == DB_OK ? "order" : "unchanged");
	else if (rc > 0) {
		rc = show_batch(c, 409, round, city, rc, NULL, NULL, typed);
		typed = NULL;
	}
out:
	free(ids);
	free(ranks);
	free(ordered);
	json_object_put(typed);
	json_object_put(round);
	return rc;
}

/*   POST round=N  303 back (done=submitted): every recommended application
 *                 goes to the province and the batch is locked; 409 with the
 *                 reason and nothing changed: applications undecided, over
 *                 the quota, the deadline passed, already submitted (a
 *                 second tab) */
int rec_page_submit(struct ctx *c)
{
	json_object *round = NULL;
	long long sent = 0;
	char city[7];
	bool answered;
	int rc = batch_target(c, &round, city, &answered);
	if (rc == DB_OK && !answered) {
		rc = rec_submit(&c->actor, db_int(round, "id", 0), city, &sent);
		if (rc == DB_OK)
			rc = redirect_batch(c, db_int(round, "id", 0), city, "submitted");
		else if (rc > 0)
			rc = show_batch(c, 409, round, city, rc, NULL, NULL, NULL);
	}
	json_object_put(round);
	return rc;
}

/*   POST round=N&city=C&reason=...  (province)
 *        303 to the batch (done=reopened): the submitted batch is open
 *        again, its applications back at the city (recommended); 422 no
 *        reason; 409 not submitted, or gone on to review; 404 no such city */
int rec_page_reopen(struct ctx *c)
{
	json_object *round = NULL;
	struct form f;
	char city[7];
	bool answered;
	int rc;

	form_init(&f, reopen_fields, ARRAY_LEN(reopen_fields));
	if ((rc = batch_target(c, &round, city, &answered)) != DB_OK || answered)
		goto out;
	form_tidy(&c->req.form);
	if (form_validate(&f, &c->req)) {
		rc = show_batch(c, 422, round, city, 0, "reopen", form_json(&f), NULL);
		goto out;
	}
	rc = rec_reopen(&c->actor, db_int(round, "id", 0), city, form_str(&f, "reason"));
	if (rc == DB_OK)
		rc = redirect_batch(c, db_int(round, "id", 0), city, "reopened");
	else if (rc > 0)
		rc = show_batch(c, 409, round, city, rc, "reopen", form_json(&f), NULL);
out:
	form_release(&f);
	json_object_put(round);
	return rc;
}

/*   POST round=N&city=C&deadline=YYYY-MM-DDTHH:MM&reason=...  (province)
 *        303 to the batch (done=extended); 422 a bad or past time (it must
 *        be after now and after the current deadline) or no reason */
int rec_page_extend(struct ctx *c)
{
	json_object *round = NULL;
	struct form f;
	char city[7], when[ROUND_TIME_TEXT];
	long long t = 0;
	bool answered;
	int rc;

	form_init(&f, extend_fields, ARRAY_LEN(extend_fields));
	if ((rc = batch_target(c, &round, city, &answered)) != DB_OK || answered)
		goto out;
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	if (*form_str(&f, "deadline") && rounds_parse_time(form_str(&f, "deadline"), &t))
		form_error(&f, "deadline", "新的推荐截止时间须为有效的日期和时间（年-月-日 时:分）。");
	if (f.errors) {
		rc = show_batch(c, 422, round, city, 0, "extend", form_json(&f), NULL);
		goto out;
	}
	rounds_format_time(t, when);
	rc = rec_extend(&c->actor, db_int(round, "id", 0), city, when, form_str(&f, "reason"));
	if (rc == DB_OK) {
		rc = redirect_batch(c, db_int(round, "id", 0), city, "extended");
	} else if (rc == REC_E_DEADLINE) {
		json_object *batch = NULL;
		struct buf m = BUF_INIT;
		if ((rc = rec_batch(db_int(round, "id", 0), city, &batch)) != DB_OK)
			goto out;
		buf_addf(&m, "新的推荐截止时间须晚于现在，并晚于当前截止时间（%s）。",
			 db_str(batch, "deadline", ""));
		json_object_put(batch);
		form_error(&f, "deadline", m.data);
		buf_release(&m);
		rc = show_batch(c, 422, round, city, 0, "extend", form_json(&f), NULL);
	} else if (rc > 0) {
		rc = show_batch(c, 409, round, city, rc, "extend", form_json(&f), NULL);
	}
out:
	form_release(&f);
	json_object_put(round);
	return rc;
}

/*   GET ?round=&city=  200 the recommendation letter (推荐函) of the batch,
 *                      for printing on A4: the city, the round, the ranked
 *                      list with the opinions, room for the seal and date;
 *                      marked as a draft until the batch is submitted */
int rec_page_letter(struct ctx *c)
{
	json_object *round = NULL, *batch = NULL, *items = NULL;
	char city[7], today[CIVIL_DATE_LEN + 1];
	bool answered;
	int rc = batch_target(c, &round, city, &answered);
	if (rc != DB_OK || answered)
		goto out;
	if ((rc = rec_batch(db_int(round, "id", 0), city, &batch)) != DB_OK ||
	    (rc = rec_batch_items(db_int(round, "id", 0), city, &items)) != DB_OK)
		goto out;
	civil_format(civil_today_shanghai(), today);
	app_set_str(c, "today", today);
	set_flags(c);
	app_set(c, "round", round);
	app_set(c, "batch", batch);
	app_set(c, "items", items);
	round = batch = items = NULL;
	rc = app_render(c, 200, "recommend_letter", "推荐函");
out:
	json_object_put(round);
	json_object_put(batch);
	json_object_put(items);
	return rc;
}

/* ---- exports ---- */

static const struct export_column export_cols[] = {
	{ "rank_no", "推荐排名", 9, EXPORT_INT, false },
	{ "city_name", "市（地）", 12, EXPORT_TEXT, false },
	{ "enterprise_name", "企业名称", 30, EXPORT_TEXT, true },
	{ "uscc", "统一社会信用代码", 22, EXPORT_TEXT, false },
	{ "title", "典型经验名称", 30, EXPORT_TEXT, true },
	{ "scope_label", "遴选范围", 26, EXPORT_TEXT, true },
	{ "industry_name", "所属行业", 16, EXPORT_TEXT, true },
	{ "sme_size_label", "企业规模", 10, EXPORT_TEXT, false },
	{ "profit_1", "上一年度净利润（万元）", 14, EXPORT_DECIMAL, false },
	{ "profit_2", "前一年度净利润（万元）", 14, EXPORT_DECIMAL, false },
	{ "opinion", "推荐意见", 50, EXPORT_TEXT, true },
	{ "dd_label", "失信被执行人核查", 12, EXPORT_TEXT, false },
	{ "dd_date", "失信核查日期", 13, EXPORT_TEXT, false },
	{ "sv_label", "严重违法失信名单核查", 14, EXPORT_TEXT, false },
	{ "sv_date", "严重违法核查日期", 13, EXPORT_TEXT, false },
	{ "status_label", "状态", 20, EXPORT_TEXT, true },
	{ "submitted_at", "企业提交时间", 18, EXPORT_TEXT, false },
	{ "id", "申报书编号", 11, EXPORT_INT, false },
};

/* Sends rows as a download named name (without extension) in ?format=
 * (xlsx, the default, or csv), after an audit record of what went out.
 * 400 for another format. */
static int send_export(struct ctx *c, const char *sheet, const char *name, json_object *rows,
		       const char *otype, long long oid)
{
	const char *format = request_param(&c->req, "format");
	bool csv = format && !strcmp(format, "csv");
	struct buf err = BUF_INIT, summary = BUF_INIT;
	char id[24];
	int rc;

	if (format && *format && !csv && strcmp(format, "xlsx"))
		return app_fail(c, 400, "导出格式无效：请选择 Excel（xlsx）或 CSV。");
	snprintf(id, sizeof id, "%lld", oid);
	buf_addf(&summary, "导出%s（%s，%zu条）", name, csv ? "CSV" : "Excel",
		 json_object_array_length(rows));
	if ((rc = rec_export_audit(&c->actor, otype, id, summary.data)) != DB_OK)
		goto out;
	if (export_respond(&c->resp, csv, sheet, name, export_cols, ARRAY_LEN(export_cols), rows, &err)) {
		log_err("export: %s", err.data);
		rc = DB_ERROR;
		goto out;
	}
	rc = 0;
out:
	buf_release(&err);
	buf_release(&summary);
	return rc;
}

/*   GET ?round=&city=&format=xlsx|csv  200 the batch's recommended
 *        applications in rank order as a workbook or CSV (audited);
 *        city users their own, the province any city; 400 bad format */
int rec_page_export(struct ctx *c)
{
	json_object *round = NULL, *batch = NULL, *items = NULL;
	struct buf sheet = BUF_INIT, name = BUF_INIT;
	char city[7];
	bool answered;
	int rc = batch_target(c, &round, city, &answered);
	if (rc != DB_OK || answered)
		goto out;
	if ((rc = rec_batch(db_int(round, "id", 0), city, &batch)) != DB_OK ||
	    (rc = rec_batch_items(db_int(round, "id", 0), city, &items)) != DB_OK)
		goto out;
	buf_addf(&sheet, "%s推荐名单", db_str(batch, "city_name", ""));
	buf_addf(&name, "%lld年度%s推荐名单", db_int(round, "year", 0), db_str(batch, "city_name", ""));
	rc = send_export(c, sheet.data, name.data, items, "recommend_batch",
			 db_int(batch, "batch_id", 0));
out:
	json_object_put(round);
	json_object_put(batch);
	json_object_put(items);
	buf_release(&sheet);
	buf_release(&name);
	return rc;
}

/* ---- the province ---- */

/*   GET ?round=&status=&scope=&city=&sort=&dir=&page=
 *       200 per city: the batch's state, recommended against the quota,
 *       the deadline and the submission time; and every recommended
 *       application of the province, filtered, sorted and paged; 422 a
 *       refused filter explained; 404 no such round */
int rec_page_province(struct ctx *c)
{
	json_object *round = NULL, *overview = NULL;
	struct list_q q;
	bool answered;
	int rc, status = 200;

	if ((rc = page_round(c, &round, &answered)) != DB_OK || answered)
		return rc;
	set_flags(c);
	if (!round) {
		app_set(c, "no_round", json_object_new_boolean(1));
		return app_render(c, 200, "recommend_province", "市（地）推荐");
	}
	memset(&q, 0, sizeof q);
	q.base = "/recommend/province";
	q.f.round_id = db_int(round, "id", 0);
	if ((rc = rec_overview(q.f.round_id, &overview)) != DB_OK ||
	    (rc = set_list(c, &q, true, &status)) != DB_OK || (rc = set_rounds(c, q.f.round_id)) != DB_OK)
		goto out;
	{
		/* The export of what the list shows, unpaged. */
		struct list_q e = q;
		struct buf b = BUF_INIT;
		e.base = "/recommend/province/export";
		list_href(&b, &e, q.f.sort, q.f.desc, 1);
		buf_adds(&b, "&format=xlsx");
		app_set_str(c, "xlsx_href", b.data);
		buf_truncate(&b, b.len - 4);
		buf_adds(&b, "csv");
		app_set_str(c, "csv_href", b.data);
		buf_release(&b);
	}
	app_set_str(c, "rounds_action", "/recommend/province");
	app_set_str(c, "filters_action", "/recommend/province");
	app_set(c, "round", round);
	app_set(c, "overview", overview);
	round = overview = NULL;
	rc = app_render(c, status, "recommend_province", "市（地）推荐");
out:
	json_object_put(round);
	json_object_put(overview);
	return rc;
}

/*   GET ?round=&status=&scope=&city=&sort=&dir=&format=xlsx|csv
 *       200 the province-wide list of recommended applications, as the
 *       province page filters and sorts it, unpaged (audited); 422 a
 *       refused filter; 404 no such round */
int rec_page_province_export(struct ctx *c)
{
	json_object *round = NULL, *rows = NULL;
	struct list_q q;
	struct form f;
	struct buf name = BUF_INIT;
	long long total = 0;
	const char *sort;
	bool answered;
	int rc;

	form_init(&f, province_list_fields, N_PROVINCE_LIST);
	if ((rc = page_round(c, &round, &answered)) != DB_OK || answered)
		goto out;
	if (!round) {
		rc = app_fail(c, 404, "尚未设立年度遴选。");
		goto out;
	}
	form_validate(&f, &c->req);
	sort = form_str(&f, "sort");
	memset(&q, 0, sizeof q);
	q.f.sort = rec_sort_parse(*sort ? sort : "city");
	if (q.f.sort < 0)
		form_error(&f, "sort", "排序列无效。");
	if (f.errors) {
		rc = app_fail(c, 422, "导出条件无效，请返回列表页重新选择筛选条件。");
		goto out;
	}
	q.f.round_id = db_int(round, "id", 0);
	q.f.city_code = form_str(&f, "city");
	q.f.status = form_str(&f, "status");
	q.f.scope = *form_str(&f, "scope") ? form_str(&f, "scope")[0] - '0' : 0;
	q.f.q = form_str(&f, "q");
	q.f.desc = !strcmp(form_str(&f, "dir"), "desc");
	q.f.recommended_only = true;
	q.f.page = 1;
	q.f.page_size = REC_EXPORT_MAX;
	if ((rc = rec_list(&q.f, &rows, &total)) != DB_OK)
		goto out;
	buf_addf(&name, "%lld年度全省推荐名单", db_int(round, "year", 0));
	rc = send_export(c, "全省推荐名单", name.data, rows, "round", q.f.round_id);
out:
	form_release(&f);
	json_object_put(round);
	json_object_put(rows);
	buf_release(&name);
	return rc;
}
