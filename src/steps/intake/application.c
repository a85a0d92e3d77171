#include "steps/intake/application.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/html.h"
#include "core/log.h"
#include "rules/lifecycle.h"
#include "rules/uscc.h"
#include "steps/intake/enterprise.h"
#include "steps/intake/app_status.h"
#include "steps/intake/sme_db.h"
#include "core/banned.h"

/* ---- the form ---- */

static const char *const scope_choices[] = { "1", "2", "3", "4", "5", NULL };
static const char *const yes_choice[] = { "1", NULL };

#define IND_FIELDS(n)                                                                           \
	{ "ind_name_" #n, "第" #n "项指标名称", FIELD_LINE, false, APP_IND_NAME_MAX, 0, 0, NULL },  \
	{ "ind_unit_" #n, "第" #n "项指标单位", FIELD_LINE, false, APP_IND_UNIT_MAX, 0, 0, NULL },  \
	{ "ind_before_" #n, "第" #n "项指标实施前", FIELD_LINE, false, APP_IND_VALUE_MAX, 0, 0,     \
	  NULL },                                                                                  \
	{ "ind_after_" #n, "第" #n "项指标实施后", FIELD_LINE, false, APP_IND_VALUE_MAX, 0, 0, NULL }

const struct field_spec app_form_fields[] = {
	{ "scope", "遴选范围", FIELD_CHOICE, false, 0, 0, 0, scope_choices },
	{ "method", "质量管理方法（技术）", FIELD_LINE, false, APP_METHOD_MAX, 0, 0, NULL },
	{ "title", "典型经验名称", FIELD_LINE, false, APP_TITLE_MAX, 0, 0, NULL },
	{ "abstract", "摘要", FIELD_TEXT, false, APP_ABSTRACT_MAX, 0, 0, NULL },
	{ "crit_innovation", "科学性和创新性", FIELD_TEXT, false, APP_CRITERION_MAX, 0, 0, NULL },
	{ "crit_system", "系统性和示范性", FIELD_TEXT, false, APP_CRITERION_MAX, 0, 0, NULL },
	{ "crit_effect", "显效性和发展性", FIELD_TEXT, false, APP_CRITERION_MAX, 0, 0, NULL },
	{ "industry", "所属行业", FIELD_INT, false, 0, 1, 255, NULL },
	{ "industry_other", "其他行业名称", FIELD_LINE, false, APP_INDUSTRY_OTHER_MAX, 0, 0, NULL },
	{ "sme_industry", "划型行业", FIELD_INT, false, 0, 1, 255, NULL },
	{ "employees", "从业人员", FIELD_INT, false, 0, 0, SME_EMPLOYEES_MAX, NULL },
	{ "revenue", "营业收入", FIELD_LINE, false, 20, 0, 0, NULL },
	{ "assets", "资产总额", FIELD_LINE, false, 20, 0, 0, NULL },
	{ "certifications", "已获认证", FIELD_TEXT, false, APP_CERTS_MAX, 0, 0, NULL },
	{ "method_years", "方法应用年限", FIELD_INT, false, 0, 1, APP_YEARS_MAX, NULL },
	{ "profit_1", "上一年度净利润", FIELD_LINE, false, 20, 0, 0, NULL },
	{ "profit_2", "前一年度净利润", FIELD_LINE, false, 20, 0, 0, NULL },
	{ "not_dishonest", "未被列为失信被执行人的声明", FIELD_CHOICE, false, 0, 0, 0, yes_choice },
	{ "dishonest_checked", "失信被执行人查询日期", FIELD_DATE, false, 0, 0, 0, NULL },
	{ "exchange_commitment", "参与分享交流活动的承诺", FIELD_CHOICE, false, 0, 0, 0, yes_choice },
	IND_FIELDS(1), IND_FIELDS(2), IND_FIELDS(3), IND_FIELDS(4),
	IND_FIELDS(5), IND_FIELDS(6), IND_FIELDS(7), IND_FIELDS(8),
};
const size_t app_form_nfields = sizeof app_form_fields / sizeof app_form_fields[0];

_Static_assert(APP_INDICATORS_MAX == 8, "IND_FIELDS rows must match APP_INDICATORS_MAX");

/* ---- amounts ---- */

int app_parse_amount(const char *s, long long *out)
{
	long long v;
	bool neg = s[0] == '-';
	const char *p = neg ? s + 1 : s;
	if (sme_parse_money(p, strlen(p), &v))
		return -1;
	*out = neg ? -v : v;
	return 0;
}

const char *app_format_amount(long long units, char *out, size_t size)
{
	if (units < 0 && size > 1) {
		out[0] = '-';
		sme_format_money(-units, out + 1, size - 1);
	} else {
		sme_format_money(units, out, size);
	}
	return out;
}

/* ---- from the form ---- */

static long field_index(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->spec[i].name, name))
			return (long)i;
	abort(); /* an undeclared field: a bug */
}

/* The value of a field that was given and passed form_validate, else NULL. */
static const char *good(const struct form *f, const char *name)
{
	long i = field_index(f, name);
	return f->v[i].value[0] && !f->v[i].error ? f->v[i].value : NULL;
}

static void init_fields(struct app_fields *o)
{
	memset(o, 0, sizeof *o);
	o->method = o->title = o->abstract = o->industry_other = o->certifications = "";
	for (int k = 0; k < APP_CRITERIA; k++)
		o->criteria[k] = "";
	o->employees = o->revenue = o->assets = SME_NONE;
	o->profit[0] = o->profit[1] = APP_NO_AMOUNT;
	o->dishonest_checked = APP_NO_DATE;
}

static const char *const crit_names[APP_CRITERIA] = { "crit_innovation", "crit_system",
						      "crit_effect" };

int app_fields_from_form(struct form *f, int32_t today, struct app_fields *o)
{
	const char *v;
	char name[4][24];

	init_fields(o);
	if ((v = good(f, "scope")))
		o->scope = v[0] - '0';
	o->method = form_str(f, "method");
	o->title = form_str(f, "title");
	o->abstract = form_str(f, "abstract");
	for (int k = 0; k < APP_CRITERIA; k++)
		o->criteria[k] = form_str(f, crit_names[k]);
	if (good(f, "industry"))
		o->industry = (int)form_int(f, "industry");
	o->industry_other = form_str(f, "industry_other");
	if (good(f, "sme_industry"))
		o->sme_industry = (int)form_int(f, "sme_industry");
	if (good(f, "employees"))
		o->employees = form_int(f, "employees");
	if ((v = good(f, "revenue")) && sme_parse_money(v, strlen(v), &o->revenue))
		form_error(f, "revenue", "营业收入须为不小于0的金额（万元），最多两位小数，如 1234.56。");
	if ((v = good(f, "assets")) && sme_parse_money(v, strlen(v), &o->assets))
		form_error(f, "assets", "资产总额须为不小于0的金额（万元），最多两位小数，如 1234.56。");
	o->certifications = form_str(f, "certifications");
	if (good(f, "method_years"))
		o->method_years = form_int(f, "method_years");
	for (int y = 0; y < 2; y++) {
		const char *fname = y == 0 ? "profit_1" : "profit_2";
		if ((v = good(f, fname)) && app_parse_amount(v, &o->profit[y]))
			form_error(f, fname,
				   "净利润须为金额（万元），最多两位小数，亏损请填负数，如 -12.5。");
	}
	o->not_dishonest = good(f, "not_dishonest") != NULL;
	if ((v = good(f, "dishonest_checked"))) {
		int32_t d;
		if (civil_parse(v, &d))
			form_error(f, "dishonest_checked", "失信被执行人查询日期须为有效日期（年-月-日）。");
		else if (d > today)
			form_error(f, "dishonest_checked", "失信被执行人查询日期不能晚于今天。");
		else
			o->dishonest_checked = d;
	}
	o->exchange_commitment = good(f, "exchange_commitment") != NULL;

	for (int r = 1; r <= APP_INDICATORS_MAX; r++) {
		const char *val[4];
		static const char *const part[4] = { "ind_name_", "ind_unit_", "ind_before_",
						     "ind_after_" };
		bool any = false;
		for (int k = 0; k < 4; k++) {
			snprintf(name[k], sizeof name[k], "%s%d", part[k], r);
			val[k] = form_str(f, name[k]);
			any = any || val[k][0];
		}
		if (!any)
			continue;
		if (!val[0][0]) {
			char msg[96];
			snprintf(msg, sizeof msg, "第%d项指标：请填写指标名称。", r);
			form_error(f, name[0], msg);
			continue;
		}
		o->ind[o->n_indicators++] = (struct app_indicator){ val[0], val[1], val[2], val[3] };
	}
	return f->errors;
}

/* ---- from a saved row ---- */

static long long row_int(json_object *row, const char *col, long long dflt)
{
	json_object *v;
	if (!json_object_object_get_ex(row, col, &v) || !v)
		return dflt;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	return dflt;
}

static long long row_amount(json_object *row, const char *col, long long dflt)
{
	const char *s = db_str(row, col, NULL);
	long long v;
	return s && !app_parse_amount(s, &v) ? v : dflt;
}

void app_fields_from_row(json_object *row, json_object *indicators, struct app_fields *o)
{
	const char *s;
	int32_t d;

	init_fields(o);
	o->scope = (int)row_int(row, "scope", 0);
	o->method = db_str(row, "method", "");
	o->title = db_str(row, "title", "");
	o->abstract = db_str(row, "abstract", "");
	for (int k = 0; k < APP_CRITERIA; k++)
		o->criteria[k] = db_str(row, crit_names[k], "");
	o->industry = (int)row_int(row, "industry", 0);
	o->industry_other = db_str(row, "industry_other", "");
	o->sme_industry = (int)row_int(row, "sme_industry", 0);
	o->employees = row_int(row, "employees", SME_NONE);
	o->revenue = row_amount(row, "revenue", SME_NONE);
	o->assets = row_amount(row, "assets", SME_NONE);
	o->certifications = db_str(row, "certifications", "");
	o->method_years = row_int(row, "method_years", 0);
	o->profit[0] = row_amount(row, "profit_1", APP_NO_AMOUNT);
	o->profit[1] = row_amount(row, "profit_2", APP_NO_AMOUNT);
	o->not_dishonest = row_int(row, "not_dishonest", 0) != 0;
	if ((s = db_str(row, "dishonest_checked", NULL)) && !civil_parse(s, &d))
		o->dishonest_checked = d;
	o->exchange_commitment = row_int(row, "exchange_commitment", 0) != 0;
	for (size_t i = 0; indicators && i < json_object_array_length(indicators) &&
			   o->n_indicators < APP_INDICATORS_MAX;
	     i++) {
		json_object *r = json_object_array_get_idx(indicators, i);
		o->ind[o->n_indicators++] =
			(struct app_indicator){ db_str(r, "name", ""), db_str(r, "unit", ""),
						db_str(r, "value_before", ""),
						db_str(r, "value_after", "") };
	}
}

static bool is_checkbox(const struct field_spec *sp)
{
	return sp->kind == FIELD_CHOICE && sp->choices == yes_choice;
}

json_object *app_form_json_from_row(json_object *row, json_object *indicators)
{
	json_object *o = json_object_new_object();
	size_t nind = indicators ? json_object_array_length(indicators) : 0;

	for (size_t i = 0; i < app_form_nfields; i++) {
		const struct field_spec *sp = &app_form_fields[i];
		json_object *fo = json_object_new_object(), *v = NULL;
		char num[32];
		const char *s = "";
		if (!strncmp(sp->name, "ind_", 4)) {
			/* ind_<part>_<row>: the row-th saved indicator. */
			const char *us = strrchr(sp->name, '_');
			size_t r = (size_t)(us[1] - '0');
			static const char *const cols[] = { "name", "unit", "value_before",
							    "value_after" };
			static const char *const parts[] = { "ind_name_", "ind_unit_", "ind_before_",
							     "ind_after_" };
			for (int k = 0; k < 4; k++)
				if (!strncmp(sp->name, parts[k], strlen(parts[k])) && r >= 1 && r <= nind)
					s = db_str(json_object_array_get_idx(indicators, r - 1), cols[k],
						   "");
		} else if (json_object_object_get_ex(row, sp->name, &v) && v) {
			if (json_object_is_type(v, json_type_int)) {
				long long n = json_object_get_int64(v);
				if (!(is_checkbox(sp) && n == 0)) {
					snprintf(num, sizeof num, "%lld", n);
					s = num;
				}
			} else {
				s = json_object_get_string(v);
			}
		}
		json_object_object_add(fo, "value", json_object_new_string(s));
		json_object_object_add(o, sp->name, fo);
	}
	json_object_object_add(o, "_errors", json_object_new_int(0));
	return o;
}

/* ---- labels ---- */

static const struct {
	const char *label, *text;
} scopes[APP_SCOPES] = {
	{ "（一）先进质量管理理念、方法、工具",
	  "企业运用先进质量管理理念、方法、工具，促进质量变革、效率变革和动力变革，提高质量、效益和"
	  "效率，促进企业高质量发展的典型经验。" },
	{ "（二）新一代信息技术提升质量管理效能",
	  "企业运用 5G、大数据、人工智能、区块链、物联网等新一代信息技术提升质量管理效能，提高产品和"
	  "服务质量，提高用户满意度和企业经济效益，促进质量管理模式创新的典型经验。" },
	{ "（三）新业态、新模式",
	  "企业发展新业态、新模式，促进产品或服务明显提升，取得良好经营绩效的典型经验。" },
	{ "（四）中小企业质量管理创新",
	  "中小企业（符合《中小企业划型标准规定》工信部联企业〔2011〕300号标准）具有专业化、特色化、"
	  "精细化、新颖化特点，并在质量管理创新和质量提升方面具有显著成效的典型经验。" },
	{ "（五）制造服务业提质增效",
	  "为生产活动提供研发设计和检测认证等技术服务、交通运输服务、网络信息服务、节能与环保服务等"
	  "制造服务业企业在提质增效方面的典型经验。" },
};

const char *app_scope_label(int scope)
{
	return scope >= 1 && scope <= APP_SCOPES ? scopes[scope - 1].label : NULL;
}

const char *app_scope_text(int scope)
{
	return scope >= 1 && scope <= APP_SCOPES ? scopes[scope - 1].text : NULL;
}

static const struct {
	const char *name, *label;
} statuses[] = {
	{ "draft", "草稿" },
	{ "submitted", "已提交，待市（地）工信局推荐" },
	{ "returned", "已退回修改" },
	{ "not_recommended", "未获市（地）推荐" },
	{ "recommended", "市（地）已推荐，待报送省工信厅" },
	{ "with_province", "省工信厅已受理" },
	{ "in_review", "专家评审中" },
	{ "not_selected", "未入选" },
	{ "proposed", "拟入选" },
	{ "in_publicity", "公示中" },
	{ "withdrawn", "已撤回" },
	{ "approved", "已批准" },
	{ "benchmark", "省质量标杆" },
	{ "revoked", "已撤销" },
};

const char *app_status_label(const char *status)
{
	for (size_t i = 0; status && i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(statuses[i].name, status))
			return statuses[i].label;
	return "未知";
}

bool app_status_editable(const char *status)
{
	return status && (!strcmp(status, "draft") || !strcmp(status, "returned"));
}

const char *app_criterion_label(enum app_criterion k)
{
	switch (k) {
	case APP_CRIT_INNOVATION:
		return "科学性和创新性";
	case APP_CRIT_SYSTEM:
		return "系统性和示范性";
	case APP_CRIT_EFFECT:
		return "显效性和发展性";
	case APP_CRITERIA:
		break;
	}
	abort();
}

/* ---- the checklist ---- */

void app_checklist_init(struct app_checklist *c)
{
	memset(c, 0, sizeof *c);
}

void app_checklist_release(struct app_checklist *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].detail);
	memset(c, 0, sizeof *c);
}

static void item(struct app_checklist *c, const char *key, const char *label, enum app_state st,
		 struct buf *detail)
{
	if (c->n == APP_MAX_ITEMS)
		abort(); /* more items than declared: a bug */
	c->v[c->n++] = (struct app_item){ key, label, st, buf_detach(detail, NULL) };
	if (st == APP_MISSING || st == APP_FAIL)
		c->blocking++;
}

static void sep_add(struct buf *b, const char *s)
{
	if (b->len)
		buf_adds(b, "、");
	buf_adds(b, s);
}

static void check_content(const struct app_fields *f, struct app_checklist *c)
{
	struct buf miss = BUF_INIT, d = BUF_INIT;
	if (!f->scope)
		sep_add(&miss, "遴选范围");
	if (!f->method[0])
		sep_add(&miss, "质量管理方法（技术）");
	if (!f->title[0])
		sep_add(&miss, "典型经验名称");
	if (!f->abstract[0])
		sep_add(&miss, "摘要");
	for (int k = 0; k < APP_CRITERIA; k++)
		if (!f->criteria[k][0])
			sep_add(&miss, app_criterion_label((enum app_criterion)k));
	if (!f->industry)
		sep_add(&miss, "所属行业");
	else if (f->industry == APP_INDUSTRY_OTHER && !f->industry_other[0])
		sep_add(&miss, "其他行业名称");
	if (!f->certifications[0])
		sep_add(&miss, "已获认证（没有请填“无”）");
	if (!f->method_years)
		sep_add(&miss, "方法应用年限");
	if (!f->n_indicators)
		sep_add(&miss, "关键质量和效益指标（至少一项）");
	for (size_t i = 0; i < f->n_indicators; i++) {
		if (!f->ind[i].before[0] || !f->ind[i].after[0]) {
			char s[160];
			snprintf(s, sizeof s, "指标“%s”的实施前后数值", f->ind[i].name);
			sep_add(&miss, s);
		}
	}
	if (miss.len) {
		buf_addf(&d, "尚未填写：%s。", miss.data);
		item(c, "content", "申报内容", APP_MISSING, &d);
	} else {
		buf_adds(&d, "各项内容已填写。");
		item(c, "content", "申报内容", APP_OK, &d);
	}
	buf_release(&miss);
}

/* Article 8 (一): an independent legal person.  The code must be an
 * enterprise's (91: registration refuses others, but a record may predate
 * that rule), and the type on the licence decides the rest. */
static void check_legal_person(const struct app_facts *x, struct app_checklist *c)
{
	static const char label[] = "独立法人资格";
	struct buf d = BUF_INIT;
	const char *code = x->uscc ? x->uscc : "";
	const struct ent_type *t = enterprise_type_find(x->ent_type);
	char why[USCC_MESSAGE_MAX];

	if (strlen(code) < 2 || !uscc_applicant_ok(code, why, sizeof why)) {
		buf_addf(&d, "%s（第八条第（一）项）。", strlen(code) < 2 ? "缺少统一社会信用代码" : why);
		item(c, "legal_person", label, APP_FAIL, &d);
		return;
	}
	if (!t) {
		buf_adds(&d, "尚未填写营业执照上的企业类型：请在企业信息中填写后再提交"
			     "（第八条第（一）项要求申报企业具有独立法人资格）。");
		item(c, "legal_person", label, APP_MISSING, &d);
		return;
	}
	switch (t->legal) {
	case ENT_LEGAL_YES:
		buf_addf(&d, "企业类型：%s，具有独立法人资格。", t->label);
		item(c, "legal_person", label, APP_OK, &d);
		break;
	case ENT_LEGAL_NO:
		buf_addf(&d, "企业类型：%s。%s不具有独立法人资格，不符合第八条第（一）项，不能申报。",
			 t->label, t->label);
		item(c, "legal_person", label, APP_FAIL, &d);
		break;
	case ENT_LEGAL_CITY_CHECK:
		buf_addf(&d, "企业类型：%s（%s），是否具有独立法人资格需市（地）工信局核实。", t->label,
			 x->ent_type_other && *x->ent_type_other ? x->ent_type_other : "未注明");
		item(c, "legal_person", label, APP_WARN, &d);
		break;
	}
}

/* An amount as the checklist shows it: grouped by thousands (1,200.5). */
static void amount_shown(long long v, char *out, size_t size)
{
	char plain[32];
	struct buf grouped = BUF_INIT;
	app_format_amount(v, plain, sizeof plain);
	amount_group(&grouped, plain, strlen(plain));
	snprintf(out, size, "%s", grouped.data ? grouped.data : plain);
	buf_release(&grouped);
}

static void check_profit(const struct app_fields *f, const struct app_facts *x,
			 struct app_checklist *c)
{
	struct buf d = BUF_INIT;
	char a[32], b[32];
	int y1 = x->round_year - 1, y2 = x->round_year - 2;
	if (f->profit[0] == APP_NO_AMOUNT || f->profit[1] == APP_NO_AMOUNT) {
		buf_addf(&d, "请填写%d年度和%d年度的净利润（万元）。", y1, y2);
		item(c, "profit", "近两年连续盈利", APP_MISSING, &d);
		return;
	}
	amount_shown(f->profit[0], a, sizeof a);
	amount_shown(f->profit[1], b, sizeof b);
	if (f->profit[0] > 0 && f->profit[1] > 0) {
		buf_addf(&d, "%d年度净利润%s万元，%d年度净利润%s万元。", y1, a, y2, b);
		item(c, "profit", "近两年连续盈利", APP_OK, &d);
		return;
	}
	buf_adds(&d, "近两年须连续盈利（第八条第（一）项）：");
	if (f->profit[0] <= 0)
		buf_addf(&d, "%d年度净利润为%s万元", y1, a);
	if (f->profit[0] <= 0 && f->profit[1] <= 0)
		buf_adds(&d, "，");
	if (f->profit[1] <= 0)
		buf_addf(&d, "%d年度净利润为%s万元", y2, b);
	buf_adds(&d, "。");
	item(c, "profit", "近两年连续盈利", APP_FAIL, &d);
}

static void check_dishonest(const struct app_fields *f, const struct app_facts *x,
			    struct app_checklist *c)
{
	struct buf d = BUF_INIT;
	char day[CIVIL_DATE_LEN + 1];
	const char *label = "未被列为失信被执行人";
	if (!f->not_dishonest || f->dishonest_checked == APP_NO_DATE) {
		buf_adds(&d, "请声明本企业未被列为失信被执行人，并填写在“中国执行信息公开网”查询的日期。");
		item(c, "dishonest", label, APP_MISSING, &d);
		return;
	}
	civil_format(f->dishonest_checked, day);
	if (f->dishonest_checked > x->today) {
		buf_addf(&d, "查询日期%s晚于今天。", day);
		item(c, "dishonest", label, APP_FAIL, &d);
	} else if (x->today - f->dishonest_checked > APP_CHECK_MAX_AGE_DAYS) {
		buf_addf(&d, "查询日期%s距今已超过%d天，请重新查询并更新查询日期。", day,
			 APP_CHECK_MAX_AGE_DAYS);
		item(c, "dishonest", label, APP_FAIL, &d);
	} else {
		buf_addf(&d, "已声明；查询日期%s。", day);
		item(c, "dishonest", label, APP_OK, &d);
	}
}

static void check_exchange(const struct app_fields *f, struct app_checklist *c)
{
	struct buf d = BUF_INIT;
	if (f->exchange_commitment) {
		buf_adds(&d, "已承诺在不涉及商业机密的情况下积极参与分享交流活动。");
		item(c, "exchange", "参与分享交流活动", APP_OK, &d);
	} else {
		buf_adds(&d, "请承诺在不涉及商业机密的情况下积极参与相关的分享交流活动（第八条第（三）项）。");
		item(c, "exchange", "参与分享交流活动", APP_MISSING, &d);
	}
}

static void check_upload(long long n, const char *key, const char *label, const char *what,
			 struct app_checklist *c)
{
	struct buf d = BUF_INIT;
	if (n > 0) {
		buf_addf(&d, "已上传%lld份。", n);
		item(c, key, label, APP_OK, &d);
	} else {
		buf_addf(&d, "请上传%s（PDF）。", what);
		item(c, key, label, APP_MISSING, &d);
	}
}

static void check_sme(const struct app_fields *f, const struct app_facts *x,
		      struct app_checklist *c)
{
	struct buf d = BUF_INIT, miss = BUF_INIT;
	const char *label = "中小企业（第七条第（四）项）";
	unsigned need;
	enum sme_size size;

	if (!f->sme_industry || !x->sme) {
		buf_adds(&d, "按第（四）项申报须为中小企业：请选择划型行业，并填写从业人员、营业收入或资产总额。");
		item(c, "sme", label, APP_MISSING, &d);
		return;
	}
	need = sme_indicators(x->sme);
	if ((need & SME_IND_EMPLOYEES) && f->employees == SME_NONE)
		sep_add(&miss, "从业人员");
	if ((need & SME_IND_REVENUE) && f->revenue == SME_NONE)
		sep_add(&miss, "营业收入");
	if ((need & SME_IND_ASSETS) && f->assets == SME_NONE)
		sep_add(&miss, "资产总额");
	if (miss.len) {
		buf_addf(&d, "划型行业“%s”须填写：%s。", x->sme->name_zh, miss.data);
		item(c, "sme", label, APP_MISSING, &d);
		buf_release(&miss);
		return;
	}
	size = sme_classify(x->sme, f->employees, f->revenue, f->assets);
	switch (size) {
	case SME_SIZE_INVALID:
		buf_adds(&d, "无法按《中小企业划型标准规定》划型，请检查填写的数据。");
		item(c, "sme", label, APP_MISSING, &d);
		break;
	case SME_LARGE:
		buf_adds(&d, "按《中小企业划型标准规定》（工信部联企业〔2011〕300号）为大型企业，"
			     "不能按第（四）项（中小企业）申报，请改选其他遴选范围。标准：");
		sme_describe_ceiling(x->sme, &d);
		buf_adds(&d, "。");
		item(c, "sme", label, APP_FAIL, &d);
		break;
	case SME_MEDIUM:
	case SME_SMALL:
	case SME_MICRO:
		buf_addf(&d, "%s · %s企业。", x->sme->name_zh, sme_size_label(size));
		item(c, "sme", label, APP_OK, &d);
		break;
	}
	buf_release(&miss);
}

int app_check(const struct app_fields *f, const struct app_facts *x, struct app_checklist *c)
{
	check_content(f, c);
	check_legal_person(x, c);
	check_profit(f, x, c);
	check_dishonest(f, x, c);
	check_exchange(f, c);
	check_upload(x->n_commitment, "commitment", "签字盖章的承诺书", "签字盖章的承诺书", c);
	check_upload(x->n_experience, "experience", "典型经验材料", "典型经验材料", c);
	if (f->scope == APP_SCOPE_SME)
		check_sme(f, x, c);
	if (x->reapply_ban) {
		struct buf d = BUF_INIT;
		buf_adds(&d, x->reapply_ban);
		item(c, "reapply", "撤销称号后的申报限制", APP_FAIL, &d);
	}
	return c->blocking;
}

const struct app_item *app_checklist_find(const struct app_checklist *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return &c->v[i];
	return NULL;
}

json_object *app_checklist_json(const struct app_checklist *c)
{
	static const char *const names[] = { "ok", "missing", "fail", "warn" };
	static const char *const labels[] = { "符合", "未完成", "不符合", "待核实" };
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < c->n; i++) {
		const struct app_item *it = &c->v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "key", json_object_new_string(it->key));
		json_object_object_add(o, "label", json_object_new_string(it->label));
		json_object_object_add(o, "state", json_object_new_string(names[it->state]));
		json_object_object_add(o, "state_label", json_object_new_string(labels[it->state]));
		json_object_object_add(o, names[it->state], json_object_new_boolean(1));
		json_object_object_add(o, "detail", json_object_new_string(it->detail ? it->detail : ""));
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- database ---- */

#define WINDOW_OPEN "(r.apply_open <= NOW() AND NOW() < r.apply_close)"
/* Why a returned application came back: the newest row of the recommend
 * step's application_return (sql/014_recommend.sql), NULL unless returned;
 * and why one was not recommended: the city's reason (recommendation), NULL
 * unless not recommended. */
#define RETURN_REASON                                                                           \
	"IF(a.status = 'returned', (SELECT t.reason FROM application_return t"                    \
	" WHERE t.application_id = a.id ORDER BY t.id DESC LIMIT 1), NULL) AS return_reason,"      \
	" IF(a.status = 'returned', (SELECT DATE_FORMAT(t.returned_at, " FMT_MINUTE ")"            \
	" FROM application_return t WHERE t.application_id = a.id ORDER BY t.id DESC LIMIT 1),"    \
	" NULL) AS returned_at,"                                                                 \
	" IF(a.status = 'not_recommended', (SELECT rc.opinion FROM recommendation rc"              \
	" WHERE rc.application_id = a.id AND rc.decision = 'not_recommended'), NULL)"             \
	" AS decline_reason"
#define FMT_MINUTE "'%Y-%m-%d %H:%i'"

static const char SQL_OPEN_ROUNDS[] =
	"SELECT r.id, r.year, r.title, DATE_FORMAT(r.apply_open, " FMT_MINUTE ") AS apply_open,"
	" DATE_FORMAT(r.apply_close, " FMT_MINUTE ") AS apply_close"
	" FROM selection_round r WHERE " WINDOW_OPEN " ORDER BY r.year";
static const char SQL_ROUND[] =
	"SELECT r.id, r.year, r.title, DATE_FORMAT(r.apply_open, " FMT_MINUTE ") AS apply_open,"
	" DATE_FORMAT(r.apply_close, " FMT_MINUTE ") AS apply_close, " WINDOW_OPEN " AS window_open"
	" FROM selection_round r WHERE r.id = ?";
/* The same, share-locked: a round edit (src/steps/rounds/rounds.c locks the row for
 * update) and the round's first application are ordered, so "editable until
 * applications arrive" holds. */
static const char SQL_ROUND_SHARED[] =
	"SELECT r.id, r.year, " WINDOW_OPEN " AS window_open FROM selection_round r"
	" WHERE r.id = ? LOCK IN SHARE MODE";
static const char SQL_LIST_ENTERPRISE[] =
	"SELECT a.id, a.round_id, r.year, r.title AS round_title, a.status,"
	" " WINDOW_OPEN " AS window_open, DATE_FORMAT(r.apply_close, " FMT_MINUTE ") AS apply_close,"
	" DATE_FORMAT(a.updated_at, " FMT_MINUTE ") AS updated_at,"
	" IFNULL(DATE_FORMAT(a.submitted_at, " FMT_MINUTE "), '') AS submitted_at, a.title,"
	" " RETURN_REASON
	" FROM application a JOIN selection_round r ON r.id = a.round_id"
	" WHERE a.enterprise_id = ? ORDER BY r.year DESC";
#define CITY_LIST_COLUMNS                                                                       \
	"SELECT a.id, r.year, e.name AS enterprise_name, e.uscc, e.ent_type, e.ent_type_other,"   \
	" c.name AS city_name, a.scope,"                                                           \
	" a.title, a.status, IFNULL(DATE_FORMAT(a.submitted_at, " FMT_MINUTE "), '') AS submitted_at" \
	" FROM application a JOIN selection_round r ON r.id = a.round_id"                         \
	" JOIN enterprise e ON e.id = a.enterprise_id JOIN city c ON c.code = e.city_code"         \
	" WHERE a.status <> 'draft'"
/* One city ('' every city); q: '' or part of the name or title, or the
 * whole credit code. */
#define CITY_LIST_WHERE                                                                    \
	" AND (? = '' OR e.city_code = ?)"                                                 \
	" AND (? = '' OR " APP_MATCHES_SQL("a", "e") ")"
static const char SQL_LIST_CITY[] =
	CITY_LIST_COLUMNS CITY_LIST_WHERE
	" ORDER BY r.year DESC, c.sort_order, a.submitted_at, a.id LIMIT ? OFFSET ?";
static const char SQL_COUNT_CITY[] =
	"SELECT COUNT(*) AS total, IFNULL(SUM(a.status = 'submitted'), 0) AS waiting"
	" FROM application a JOIN enterprise e ON e.id = a.enterprise_id"
	" WHERE a.status <> 'draft'" CITY_LIST_WHERE;
/* The province's home: every city, no search, the enterprises not needed. */
static const char SQL_COUNT_ALL[] =
	"SELECT COUNT(*) AS total, IFNULL(SUM(status = 'submitted'), 0) AS waiting"
	" FROM application WHERE status <> 'draft'";
static const char SQL_INDUSTRIES[] =
	"SELECT no, group_no, group_name, name_zh FROM industry_4567 ORDER BY sort_order, no";
static const char SQL_LOAD[] =
	"SELECT a.id, a.round_id, a.enterprise_id, a.status, a.scope, a.method, a.title, a.abstract,"
	" a.crit_innovation, a.crit_system, a.crit_effect, a.industry, a.industry_other,"
	" a.sme_industry, a.employees, a.revenue, a.assets, a.sme_size, a.certifications,"
	" a.method_years, a.profit_1, a.profit_2, a.not_dishonest, a.dishonest_checked,"
	" a.exchange_commitment, DATE_FORMAT(a.created_at, " FMT_MINUTE ") AS created_at,"
	" DATE_FORMAT(a.updated_at, " FMT_MINUTE ") AS updated_at,"
	" IFNULL(DATE_FORMAT(a.submitted_at, " FMT_MINUTE "), '') AS submitted_at,"
	" r.year, r.title AS round_title, " WINDOW_OPEN " AS window_open,"
	" DATE_FORMAT(r.apply_close, " FMT_MINUTE ") AS apply_close,"
	" e.name AS enterprise_name, e.uscc, e.uscc_check_override, e.ent_type, e.ent_type_other,"
	" e.city_code,"
	" c.name AS city_name, e.account_id, e.legal_rep, e.contact_name, e.mobile, e.email,"
	" e.address, i.name_zh AS industry_name, s.name_zh AS sme_industry_name, " RETURN_REASON
	" FROM application a JOIN selection_round r ON r.id = a.round_id"
	" JOIN enterprise e ON e.id = a.enterprise_id JOIN city c ON c.code = e.city_code"
	" LEFT JOIN industry_4567 i ON i.no = a.industry"
	" LEFT JOIN sme_industry s ON s.no = a.sme_industry WHERE a.id = ?";
static const char SQL_INDICATORS[] =
	"SELECT row_no, name, unit, value_before, value_after FROM application_indicator"
	" WHERE application_id = ? ORDER BY row_no";
static const char SQL_LOCK[] =
	"SELECT id, round_id, status FROM application WHERE id = ? FOR UPDATE";
static const char SQL_FIND[] =
	"SELECT id FROM application WHERE round_id = ? AND enterprise_id = ?";
static const char SQL_CREATE[] = "INSERT INTO application (round_id, enterprise_id) VALUES (?, ?)";
static const char SQL_SAVE[] =
	"UPDATE application SET scope = ?, method = ?, title = ?, abstract = ?,"
	" crit_innovation = ?, crit_system = ?, crit_effect = ?, industry = ?, industry_other = ?,"
	" sme_industry = ?, employees = ?, revenue = ?, assets = ?, sme_size = ?,"
	" certifications = ?, method_years = ?, profit_1 = ?, profit_2 = ?, not_dishonest = ?,"
	" dishonest_checked = ?, exchange_commitment = ?, updated_at = NOW() WHERE id = ?";
static const char SQL_IND_DELETE[] = "DELETE FROM application_indicator WHERE application_id = ?";
static const char SQL_IND_INSERT[] =
	"INSERT INTO application_indicator (application_id, row_no, name, unit, value_before,"
	" value_after) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_ATTACHMENT_COUNT[] =
	"SELECT COUNT(*) AS n FROM attachment WHERE application_id = ? AND kind = ?";

int app_open_rounds(json_object **rows)
{
	return db_query(rows, SQL_OPEN_ROUNDS, "");
}

int app_round(long long round_id, json_object **row)
{
	return db_query_row(row, SQL_ROUND, "i", round_id);
}

static void add_status_label(json_object *row)
{
	const char *st = db_str(row, "status", "");
	json_object_object_add(row, "status_label", json_object_new_string(app_status_label(st)));
	json_object_object_add(row, "editable", json_object_new_boolean(app_status_editable(st)));
}

int app_list_for_enterprise(long long enterprise_id, json_object **rows)
{
	int rc = db_query(rows, SQL_LIST_ENTERPRISE, "i", enterprise_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		add_status_label(json_object_array_get_idx(*rows, i));
	return rc;
}

int app_count_for_city(const char *city_code, const char *q, long long *total, long long *waiting)
{
	json_object *row = NULL;
	struct buf pat = BUF_INIT;
	const char *city = city_code ? city_code : "";
	int rc;
	q = q ? q : "";
	db_like_anywhere(q, &pat);
	rc = !*city && !*q ? db_query_row(&row, SQL_COUNT_ALL, "")
			   : db_query_row(&row, SQL_COUNT_CITY, "ssssss", city, city, q, pat.data,
					  pat.data, q);
	*total = db_int(row, "total", 0);
	*waiting = db_int(row, "waiting", 0);
	json_object_put(row);
	buf_release(&pat);
	return rc;
}

int app_list_for_city(const char *city_code, const char *q, long long page, json_object **rows,
		      bool *more)
{
	long long limit = APP_LIST_PAGE_SIZE + 1, offset;
	struct buf pat = BUF_INIT;
	const char *city = city_code ? city_code : "";
	q = q ? q : "";
	page = page < 1 ? 1 : page;
	offset = (page - 1) * APP_LIST_PAGE_SIZE;
	db_like_anywhere(q, &pat);
	int rc = db_query(rows, SQL_LIST_CITY, "ssssssii", city, city, q, pat.data, pat.data, q, limit,
			  offset);
	buf_release(&pat);
	*more = rc == DB_OK && db_trim_page(*rows, APP_LIST_PAGE_SIZE);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		const char *sl = app_scope_label((int)db_int(r, "scope", 0));
		add_status_label(r);
		enterprise_type_json(r);
		json_object_object_add(r, "scope_label", json_object_new_string(sl ? sl : ""));
	}
	return rc;
}

int app_industries(json_object **rows)
{
	return db_query(rows, SQL_INDUSTRIES, "");
}

int app_load(long long id, json_object **row, json_object **indicators)
{
	int rc;
	*indicators = NULL;
	if ((rc = db_query_row(row, SQL_LOAD, "i", id)) != DB_OK || !*row)
		return rc;
	add_status_label(*row);
	if ((rc = db_query(indicators, SQL_INDICATORS, "i", id)) != DB_OK) {
		json_object_put(*row);
		*row = NULL;
	}
	return rc;
}

int application_attachment_count(long long application_id, const char *kind, long long *count)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_ATTACHMENT_COUNT, "is", application_id, kind);
	*count = rc == DB_OK ? db_int(row, "n", 0) : 0;
	json_object_put(row);
	return rc;
}

int app_evaluate(json_object *row, json_object *indicators, struct app_checklist *c)
{
	struct app_fields f;
	struct app_facts x;
	struct sme_thresholds t;
	long long id = db_int(row, "id", 0);
	int rc;

	json_object *ban = NULL;
	app_fields_from_row(row, indicators, &f);
	memset(&x, 0, sizeof x);
	if ((rc = app_reapply_ban(db_int(row, "enterprise_id", 0), &ban)) != DB_OK)
		return rc;
	x.uscc = db_str(row, "uscc", "");
	x.ent_type = db_str(row, "ent_type", NULL);
	x.ent_type_other = db_str(row, "ent_type_other", NULL);
	x.round_year = (int)db_int(row, "year", 0);
	x.today = civil_today_shanghai();
	if ((rc = application_attachment_count(id, "experience", &x.n_experience)) != DB_OK ||
	    (rc = application_attachment_count(id, "commitment", &x.n_commitment)) != DB_OK)
		goto out;
	if (f.scope == APP_SCOPE_SME && f.sme_industry) {
		rc = sme_db_load(f.sme_industry, &t);
		if (rc == DB_OK)
			x.sme = &t;
		else if (rc != SME_NOT_FOUND)
			goto out;
	}
	x.reapply_ban = ban ? db_str(ban, "message", NULL) : NULL;
	app_check(&f, &x, c);
	rc = DB_OK;
out:
	json_object_put(ban);
	return rc;
}

static const char SQL_REAPPLY_BAN[] =
	"SELECT b.year, DATE(b.status_changed_at) AS revoked_on,"
	" DATE(b.status_changed_at) + INTERVAL ? YEAR AS until"
	" FROM benchmark b JOIN application a ON a.id = b.application_id"
	" WHERE a.enterprise_id = ? AND b.status = 'revoked'"
	" AND DATE(b.status_changed_at) + INTERVAL ? YEAR > CURDATE()"
	" ORDER BY until DESC LIMIT 1";

int app_reapply_ban(long long enterprise_id, json_object **row)
{
	static const char *const dates[] = { "revoked_on", "until", NULL };
	long long years = config_int("revoked_reapply_years", APP_REAPPLY_YEARS_DEFAULT);
	if (years < 0)
		years = APP_REAPPLY_YEARS_DEFAULT;
	int rc = db_query_row(row, SQL_REAPPLY_BAN, "iii", years, enterprise_id, years);
	if (rc != DB_OK || !*row)
		return rc;
	db_add_date_zh(*row, dates);
	struct buf m = BUF_INIT;
	buf_addf(&m, "本企业的%lld年度黑龙江省质量标杆称号已于%s被撤销。依据《黑龙江省质量标杆遴选管理办法》"
		     "第十六条和省工信厅的规定，撤销之日起%lld年内不得再次申报，%s起方可申报。",
		 db_int(*row, "year", 0), db_str(*row, "revoked_on_zh", ""), years,
		 db_str(*row, "until_zh", ""));
	json_object_object_add(*row, "years", json_object_new_int64(years));
	json_object_object_add(*row, "message", json_object_new_string(m.data));
	buf_release(&m);
	return DB_OK;
}

int app_start(const struct actor *who, long long enterprise_id, long long round_id,
	      long long *app_id)
{
	json_object *round = NULL, *row = NULL;
	struct buf summary = BUF_INIT;
	char oid[24];
	int rc;

	*app_id = 0;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = db_query_row(&round, SQL_ROUND_SHARED, "i", round_id)) != DB_OK)
		goto out;
	if (!round) {
		rc = APP_E_NOT_FOUND;
		goto out;
	}
	if ((rc = db_query_row(&row, SQL_FIND, "ii", round_id, enterprise_id)) != DB_OK)
		goto out;
	if (row) {
		/* One application per enterprise and round: the existing one. */
		*app_id = db_int(row, "id", 0);
		goto out;
	}
	if (!db_int(round, "window_open", 0)) {
		rc = APP_E_CLOSED;
		goto out;
	}
	{
		json_object *ban = NULL;
		rc = app_reapply_ban(enterprise_id, &ban);
		if (rc == DB_OK && ban)
			rc = APP_E_BANNED;
		json_object_put(ban);
		if (rc != DB_OK)
			goto out;
	}
	rc = db_exec(SQL_CREATE, "ii", round_id, enterprise_id);
	if (rc == DB_CONFLICT) {
		/* A second click raced the first: use the row it made. */
		db_rollback();
		rc = db_query_row(&row, SQL_FIND, "ii", round_id, enterprise_id);
		if (rc == DB_OK && row)
			*app_id = db_int(row, "id", 0);
		else if (rc == DB_OK)
			rc = DB_ERROR;
		json_object_put(round);
		json_object_put(row);
		return rc;
	}
	if (rc != DB_OK)
		goto out;
	*app_id = db_insert_id();
	snprintf(oid, sizeof oid, "%lld", *app_id);
	buf_addf(&summary, "新建%lld年度申报书（草稿）", db_int(round, "year", 0));
	rc = audit_write(who, "application.create", "application", oid, summary.data);
out:
	rc = db_finish(rc);
	if (rc != DB_OK)
		*app_id = 0;
	json_object_put(round);
	json_object_put(row);
	buf_release(&summary);
	return rc;
}

int app_lock_editable(long long id, json_object **lock, json_object **round)
{
	int rc;
	*lock = *round = NULL;
	if ((rc = db_query_row(lock, SQL_LOCK, "i", id)) != DB_OK)
		return rc;
	if (!*lock)
		return APP_E_NOT_FOUND;
	if (!app_status_editable(db_str(*lock, "status", "")))
		return APP_E_NOT_EDITABLE;
	if ((rc = db_query_row(round, SQL_ROUND, "i", db_int(*lock, "round_id", 0))) != DB_OK)
		return rc;
	if (!*round)
		return DB_ERROR; /* the foreign key makes this impossible */
	if (!db_int(*round, "window_open", 0))
		return APP_E_CLOSED;
	return DB_OK;
}

/* NULL for "not given", else the number as text in tmp. */
static const char *opt_int(long long v, bool given, char *tmp, size_t size)
{
	if (!given)
		return NULL;
	snprintf(tmp, size, "%lld", v);
	return tmp;
}

static const char *opt_amount(long long v, bool given, char *tmp, size_t size)
{
	long long a = v < 0 ? -v : v;
	if (!given)
		return NULL;
	snprintf(tmp, size, "%s%lld.%02lld", v < 0 ? "-" : "", a / 100, a % 100);
	return tmp;
}

int app_save(const struct actor *who, long long id, const struct app_fields *f)
{
	json_object *lock = NULL, *round = NULL;
	char t_scope[24], t_ind[24], t_sme[24], t_emp[24], t_rev[32], t_ass[32], t_years[24],
		t_p1[32], t_p2[32], day[CIVIL_DATE_LEN + 1], oid[24];
	const char *size_name = NULL;
	struct buf summary = BUF_INIT;
	int rc;

	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = app_lock_editable(id, &lock, &round)) != DB_OK)
		goto out;
	if (f->sme_industry) {
		/* Keep the computed size with the data, for the city's list. */
		struct sme_thresholds t;
		rc = sme_db_load(f->sme_industry, &t);
		if (rc == DB_OK) {
			enum sme_size s = sme_classify(&t, f->employees, f->revenue, f->assets);
			if (s != SME_SIZE_INVALID)
				size_name = sme_size_name(s);
		} else if (rc == SME_NOT_FOUND) {
			rc = DB_ERROR; /* the caller checks the industry exists */
		}
		if (rc != DB_OK)
			goto out;
	}
	if (f->dishonest_checked != APP_NO_DATE)
		civil_format(f->dishonest_checked, day);
	rc = db_exec(SQL_SAVE, "ssssssssssssssssssisii",
		     opt_int(f->scope, f->scope != 0, t_scope, sizeof t_scope), f->method, f->title,
		     f->abstract, f->criteria[APP_CRIT_INNOVATION], f->criteria[APP_CRIT_SYSTEM],
		     f->criteria[APP_CRIT_EFFECT],
		     opt_int(f->industry, f->industry != 0, t_ind, sizeof t_ind), f->industry_other,
		     opt_int(f->sme_industry, f->sme_industry != 0, t_sme, sizeof t_sme),
		     opt_int(f->employees, f->employees != SME_NONE, t_emp, sizeof t_emp),
		     opt_amount(f->revenue, f->revenue != SME_NONE, t_rev, sizeof t_rev),
		     opt_amount(f->assets, f->assets != SME_NONE, t_ass, sizeof t_ass), size_name,
		     f->certifications,
		     opt_int(f->method_years, f->method_years != 0, t_years, sizeof t_years),
		     opt_amount(f->profit[0], f->profit[0] != APP_NO_AMOUNT, t_p1, sizeof t_p1),
		     opt_amount(f->profit[1], f->profit[1] != APP_NO_AMOUNT, t_p2, sizeof t_p2),
		     (long long)f->not_dishonest, f->dishonest_checked != APP_NO_DATE ? day : NULL,
		     (long long)f->exchange_commitment, id);
	if (rc == DB_OK)
		rc = db_exec(SQL_IND_DELETE, "i", id);
	for (size_t i = 0; rc == DB_OK && i < f->n_indicators; i++)
		rc = db_exec(SQL_IND_INSERT, "iissss", id, (long long)(i + 1), f->ind[i].name,
			     f->ind[i].unit, f->ind[i].before, f->ind[i].after);
	if (rc != DB_OK)
		goto out;
	snprintf(oid, sizeof oid, "%lld", id);
	buf_addf(&summary, "保存%lld年度申报书", db_int(round, "year", 0));
	rc = audit_write(who, "application.save", "application", oid, summary.data);
out:
	rc = db_finish(rc);
	json_object_put(lock);
	json_object_put(round);
	buf_release(&summary);
	return rc;
}

int app_submit(const struct actor *who, long long id, struct app_checklist *c)
{
	json_object *lock = NULL, *round = NULL, *row = NULL, *ind = NULL;
	struct buf summary = BUF_INIT;
	char oid[24];
	int rc;

	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = app_lock_editable(id, &lock, &round)) != DB_OK)
		goto out;
	if ((rc = app_load(id, &row, &ind)) != DB_OK)
		goto out;
	if (!row) {
		rc = APP_E_NOT_FOUND;
		goto out;
	}
	if ((rc = app_evaluate(row, ind, c)) != DB_OK)
		goto out;
	if (c->blocking) {
		rc = APP_E_BLOCKED;
		goto out;
	}
	/* draft --submit--> or returned --resubmit--> submitted: the lifecycle's arrow. */
	{
		const char *from = db_str(lock, "status", "");
		rc = app_status_move(id, from,
				     lc_state_parse(from) == LC_RETURNED ? LC_RESUBMIT : LC_SUBMIT,
				     LC_BY_ENTERPRISE, NULL);
		if (rc == APP_E_STATE)
			rc = DB_ERROR; /* the row is locked and was editable: impossible */
		if (rc != DB_OK)
			goto out;
	}
	snprintf(oid, sizeof oid, "%lld", id);
	buf_addf(&summary, "提交%lld年度申报书至%s工信局", db_int(row, "year", 0),
		 db_str(row, "city_name", ""));
	rc = audit_write(who, "application.submit", "application", oid, summary.data);
out:
	rc = db_finish(rc);
	json_object_put(lock);
	json_object_put(round);
	json_object_put(row);
	json_object_put(ind);
	buf_release(&summary);
	return rc;
}

static const char *sme_size_text(const char *name)
{
	for (int s = SME_LARGE; name && s <= SME_MICRO; s++)
		if (!strcmp(sme_size_name((enum sme_size)s), name))
			return sme_size_label((enum sme_size)s);
	return NULL;
}

void app_view_prepare(json_object *row)
{
	long long year = db_int(row, "year", 0);
	const char *scope = app_scope_label((int)db_int(row, "scope", 0)), *size, *industry;
	if (scope)
		json_object_object_add(row, "scope_label", json_object_new_string(scope));
	if ((size = sme_size_text(db_str(row, "sme_size", NULL))))
		json_object_object_add(row, "sme_size_label", json_object_new_string(size));
	json_object_object_add(row, "profit_year_1", json_object_new_int64(year - 1));
	json_object_object_add(row, "profit_year_2", json_object_new_int64(year - 2));
	industry = db_str(row, "industry_name", NULL);
	if (db_int(row, "industry", 0) == APP_INDUSTRY_OTHER && *db_str(row, "industry_other", ""))
		industry = db_str(row, "industry_other", "");
	json_object_object_add(row, "industry_display", json_object_new_string(industry ? industry : ""));
}
