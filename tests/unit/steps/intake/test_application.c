/* Unit tests of the pure parts of src/steps/intake/application.c and src/steps/intake/enterprise.c:
 * amounts, the edit form's conversion and its refusals (lengths in
 * characters, formats, choices, dates, indicator rows), the eligibility
 * checklist of article 8 and category (4) (one behaviour per table row),
 * the labels, the re-display of a saved row, and the registration form's
 * credit-code and password checks.  No database. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "steps/intake/application.h"
#include "core/buf.h"
#include "core/civil_date.h"
#include "steps/intake/enterprise.h"
#include "core/form.h"
#include "core/request.h"
#include "rules/sme.h"
#include "core/banned.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- amounts ---- */

static const struct {
	const char *in;
	long long units;
} good_amounts[] = {
	{ "0", 0 },
	{ "12.5", 1250 },
	{ "12.05", 1205 },
	{ "-12.5", -1250 },
	{ "-0.01", -1 },
	{ "40000", 4000000 },
	{ "999999999999.99", SME_MONEY_MAX },
	{ "-999999999999.99", -SME_MONEY_MAX },
};

static const char *const bad_amounts[] = {
	"", "-", "--1", "+1", "1,000", "1.234", "1e3", " 1", "1 ", "１２", "0x10", "1.", ".5",
	"-.5", "9999999999999", "1-", "12.5万", "NaN", "-+1",
};

START_TEST(amount_good)
{
	long long v = 7;
	char out[32];
	ck_assert_int_eq(app_parse_amount(good_amounts[_i].in, &v), 0);
	ck_assert_int_eq(v, good_amounts[_i].units);
	/* Formatting reads back as the same amount. */
	app_format_amount(v, out, sizeof out);
	v = 7;
	ck_assert_int_eq(app_parse_amount(out, &v), 0);
	ck_assert_int_eq(v, good_amounts[_i].units);
}
END_TEST

START_TEST(amount_bad)
{
	long long v = 7;
	ck_assert_int_eq(app_parse_amount(bad_amounts[_i], &v), -1);
	ck_assert_int_eq(v, 7); /* untouched */
}
END_TEST

/* ---- the edit form ---- */

static void add(struct request *req, const char *name, const char *value)
{
	struct fields *f = &req->form;
	f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
	f->v[f->n].name = xstrdup(name);
	f->v[f->n].value = xstrdup(value);
	f->v[f->n].len = strlen(value);
	f->n++;
}

/* 2026-06-15 as "today" in every test. */
static int32_t today(void)
{
	return civil_from_ymd(2026, 6, 15);
}

static void complete_form(struct request *req)
{
	memset(req, 0, sizeof *req);
	req->method = METHOD_POST;
	add(req, "scope", "4");
	add(req, "method", "六西格玛");
	add(req, "title", "以数据驱动的全过程质量管控");
	add(req, "abstract", "摘要内容\n第二段");
	add(req, "crit_innovation", "创新");
	add(req, "crit_system", "系统");
	add(req, "crit_effect", "显效");
	add(req, "industry", "12");
	add(req, "industry_other", "");
	add(req, "sme_industry", "2");
	add(req, "employees", "250");
	add(req, "revenue", "15000.5");
	add(req, "assets", "");
	add(req, "certifications", "ISO 9001");
	add(req, "method_years", "5");
	add(req, "profit_1", "120.5");
	add(req, "profit_2", "-3");
	add(req, "not_dishonest", "1");
	add(req, "dishonest_checked", "2026-06-01");
	add(req, "exchange_commitment", "1");
	add(req, "ind_name_1", "一次交检合格率");
	add(req, "ind_unit_1", "%");
	add(req, "ind_before_1", "95.1");
	add(req, "ind_after_1", "99.2");
	/* Row 2 empty: skipped; row 3 becomes the second indicator. */
	add(req, "ind_name_3", "客户投诉");
	add(req, "ind_unit_3", "件/年");
	add(req, "ind_before_3", "40");
	add(req, "ind_after_3", "6");
}

START_TEST(form_complete)
{
	struct request req;
	struct form f;
	struct app_fields af;
	complete_form(&req);
	form_init(&f, app_form_fields, app_form_nfields);
	form_validate(&f, &req);
	ck_assert_int_eq(app_fields_from_form(&f, today(), &af), 0);
	ck_assert_int_eq(af.scope, 4);
	ck_assert_str_eq(af.title, "以数据驱动的全过程质量管控");
	ck_assert_str_eq(af.abstract, "摘要内容\n第二段");
	ck_assert_int_eq(af.industry, 12);
	ck_assert_int_eq(af.sme_industry, 2);
	ck_assert_int_eq(af.employees, 250);
	ck_assert_int_eq(af.revenue, 1500050);
	ck_assert_int_eq(af.assets, SME_NONE);
	ck_assert_int_eq(af.method_years, 5);
	ck_assert_int_eq(af.profit[0], 12050);
	ck_assert_int_eq(af.profit[1], -300);
	ck_assert(af.not_dishonest);
	ck_assert_int_eq(af.dishonest_checked, civil_from_ymd(2026, 6, 1));
	ck_assert(af.exchange_commitment);
	ck_assert_uint_eq(af.n_indicators, 2);
	ck_assert_str_eq(af.ind[1].name, "客户投诉");
	ck_assert_str_eq(af.ind[1].after, "6");
	form_release(&f);
	request_release(&req);
}
END_TEST

START_TEST(form_empty_is_a_draft)
{
	struct request req;
	struct form f;
	struct app_fields af;
	memset(&req, 0, sizeof req);
	req.method = METHOD_POST;
	form_init(&f, app_form_fields, app_form_nfields);
	form_validate(&f, &req);
	ck_assert_int_eq(app_fields_from_form(&f, today(), &af), 0);
	ck_assert_int_eq(af.scope, 0);
	ck_assert_int_eq(af.industry, 0);
	ck_assert_int_eq(af.profit[0], APP_NO_AMOUNT);
	ck_assert_int_eq(af.dishonest_checked, APP_NO_DATE);
	ck_assert_uint_eq(af.n_indicators, 0);
	form_release(&f);
	request_release(&req);
}
END_TEST

/* Text that is only text: kept verbatim (escaped on display, bound as a
 * parameter in SQL). */
static const struct {
	const char *field, *value;
} good_values[] = {
	{ "title", "<script>alert(1)</script>" },
	{ "method", "'; DROP TABLE application; --" },
	{ "abstract", "\" OR 1=1 -- 质量" },
	{ "industry_other", "冰雪装备 & <b>" },
	{ "ind_name_1", "合格率%_\\" },
};

START_TEST(form_text_kept)
{
	struct request req;
	struct form f;
	struct app_fields af;
	memset(&req, 0, sizeof req);
	req.method = METHOD_POST;
	add(&req, good_values[_i].field, good_values[_i].value);
	form_init(&f, app_form_fields, app_form_nfields);
	form_validate(&f, &req);
	ck_assert_int_eq(app_fields_from_form(&f, today(), &af), 0);
	ck_assert_str_eq(form_str(&f, good_values[_i].field), good_values[_i].value);
	form_release(&f);
	request_release(&req);
}
END_TEST

static char *repeat(const char *s, int n)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < n; i++)
		buf_adds(&b, s);
	return buf_detach(&b, NULL);
}

START_TEST(form_limits_in_characters)
{
	/* 500 Chinese characters (1500 bytes) pass; 501 do not. */
	struct {
		const char *field;
		int max;
	} lim[] = { { "abstract", APP_ABSTRACT_MAX }, { "crit_system", APP_CRITERION_MAX },
		    { "title", APP_TITLE_MAX },       { "method", APP_METHOD_MAX },
		    { "certifications", APP_CERTS_MAX }, { "ind_after_8", APP_IND_VALUE_MAX } };
	for (size_t k = 0; k < N(lim); k++) {
		for (int extra = 0; extra <= 1; extra++) {
			struct request req;
			struct form f;
			struct app_fields af;
			char *v = repeat("质", lim[k].max + extra);
			memset(&req, 0, sizeof req);
			req.method = METHOD_POST;
			add(&req, lim[k].field, v);
			if (!strncmp(lim[k].field, "ind_", 4))
				add(&req, "ind_name_8", "名称");
			form_init(&f, app_form_fields, app_form_nfields);
			form_validate(&f, &req);
			ck_assert_int_eq(app_fields_from_form(&f, today(), &af), extra);
			if (extra) {
				json_object *j = form_json(&f), *fo, *err;
				char want[64];
				snprintf(want, sizeof want, "不能超过%d个字符", lim[k].max);
				ck_assert(json_object_object_get_ex(j, lim[k].field, &fo));
				ck_assert(json_object_object_get_ex(fo, "error", &err));
				ck_assert_ptr_nonnull(strstr(json_object_get_string(err), want));
				json_object_put(j);
			}
			form_release(&f);
			request_release(&req);
			free(v);
		}
	}
}
END_TEST

static const struct {
	const char *field, *value, *message;
} bad_values[] = {
	{ "scope", "6", "遴选范围的选项无效" },
	{ "scope", "0", "遴选范围的选项无效" },
	{ "scope", "1 OR 1=1", "遴选范围的选项无效" },
	{ "revenue", "-5", "营业收入须为不小于0的金额" },
	{ "revenue", "1,000", "营业收入须为不小于0的金额" },
	{ "assets", "12.345", "资产总额须为不小于0的金额" },
	{ "profit_1", "12.345", "净利润须为金额" },
	{ "profit_2", "abc", "净利润须为金额" },
	{ "profit_1", "1e6", "净利润须为金额" },
	{ "dishonest_checked", "2026-02-30", "有效日期" },
	{ "dishonest_checked", "2026-06-16", "不能晚于今天" },
	{ "dishonest_checked", "15/06/2026", "有效日期" },
	{ "employees", "-1", "从业人员须在" },
	{ "employees", "12人", "从业人员须为整数" },
	{ "method_years", "0", "方法应用年限须在1到200之间" },
	{ "method_years", "201", "方法应用年限须在1到200之间" },
	{ "industry", "x", "所属行业须为整数" },
	{ "sme_industry", "0", "划型行业须在" },
	{ "ind_before_3", "12", "第3项指标：请填写指标名称" },
	{ "not_dishonest", "yes", "选项无效" },
	{ "exchange_commitment", "on", "选项无效" },
	{ "title", "a\x01" "b", "控制字符" },
	{ "title", "\xff\xfe", "无效字符" },
	{ "abstract", "\xe4\xb8", "无效字符" },
	{ "method", "tab\x7f", "控制字符" },
};

START_TEST(form_bad_value)
{
	struct request req;
	struct form f;
	struct app_fields af;
	json_object *j, *fo, *err;
	memset(&req, 0, sizeof req);
	req.method = METHOD_POST;
	add(&req, bad_values[_i].field, bad_values[_i].value);
	form_init(&f, app_form_fields, app_form_nfields);
	form_validate(&f, &req);
	ck_assert_int_ge(app_fields_from_form(&f, today(), &af), 1);
	j = form_json(&f);
	ck_assert(json_object_object_get_ex(j, !strcmp(bad_values[_i].field, "ind_before_3")
						       ? "ind_name_3"
						       : bad_values[_i].field,
					    &fo));
	ck_assert(json_object_object_get_ex(fo, "error", &err));
	ck_assert_msg(strstr(json_object_get_string(err), bad_values[_i].message),
		      "%s=%s: %s", bad_values[_i].field, bad_values[_i].value,
		      json_object_get_string(err));
	json_object_put(j);
	form_release(&f);
	request_release(&req);
}
END_TEST

/* ---- the checklist ---- */

static struct sme_thresholds industry2; /* 工业 */

static void load_industry2(void)
{
	char err[128];
	sme_thresholds_init(&industry2, 2);
	snprintf(industry2.name_zh, sizeof industry2.name_zh, "工业");
	ck_assert_int_eq(sme_thresholds_set_row(&industry2, "sme_ceiling", "1000", "40000", NULL, "<",
						"or", err, sizeof err), 0);
	ck_assert_int_eq(sme_thresholds_set_row(&industry2, "medium", "300", "2000", NULL, ">=", "and",
						err, sizeof err), 0);
	ck_assert_int_eq(sme_thresholds_set_row(&industry2, "small", "20", "300", NULL, ">=", "and",
						err, sizeof err), 0);
	ck_assert_int_eq(sme_thresholds_set_row(&industry2, "micro", "20", "300", NULL, "<", "or",
						err, sizeof err), 0);
	ck_assert_int_eq(sme_thresholds_check(&industry2, err, sizeof err), 0);
}

static void good_fields(struct app_fields *f)
{
	memset(f, 0, sizeof *f);
	f->scope = 1;
	f->method = "卓越绩效模式";
	f->title = "标题";
	f->abstract = "摘要";
	f->criteria[0] = f->criteria[1] = f->criteria[2] = "内容";
	f->industry = 12;
	f->industry_other = "";
	f->employees = f->revenue = f->assets = SME_NONE;
	f->certifications = "无";
	f->method_years = 3;
	f->profit[0] = 100;
	f->profit[1] = 1;
	f->not_dishonest = true;
	f->dishonest_checked = civil_from_ymd(2026, 6, 1);
	f->exchange_commitment = true;
	f->n_indicators = 1;
	f->ind[0] = (struct app_indicator){ "合格率", "%", "95", "99" };
}

static void good_facts(struct app_facts *x)
{
	memset(x, 0, sizeof *x);
	x->uscc = "91100000100003962T";
	x->ent_type = "llc";
	x->n_experience = 1;
	x->n_commitment = 1;
	x->round_year = 2026;
	x->today = today();
}

START_TEST(check_all_good)
{
	struct app_fields f;
	struct app_facts x;
	struct app_checklist c;
	good_fields(&f);
	good_facts(&x);
	app_checklist_init(&c);
	ck_assert_int_eq(app_check(&f, &x, &c), 0);
	ck_assert_uint_eq(c.n, 7); /* no SME item outside category (4) */
	for (size_t i = 0; i < c.n; i++)
		ck_assert_msg(c.v[i].state == APP_OK, "%s: %s", c.v[i].key, c.v[i].detail);
	ck_assert_ptr_nonnull(strstr(app_checklist_find(&c, "profit")->detail, "2025年度净利润1万元"));
	app_checklist_release(&c);
}
END_TEST

START_TEST(check_shows_amounts_grouped)
{
	struct app_fields f;
	struct app_facts x;
	struct app_checklist c;
	good_fields(&f);
	good_facts(&x);
	f.profit[0] = 123456789; /* 1,234,567.89 万元 */
	f.profit[1] = 250000;    /* 2,500 万元 */
	app_checklist_init(&c);
	app_check(&f, &x, &c);
	const char *d = app_checklist_find(&c, "profit")->detail;
	ck_assert_msg(strstr(d, "1,234,567.89万元") && strstr(d, "2,500万元"), "%s", d);
	app_checklist_release(&c);
}
END_TEST

/* One change from the good application, and the item it must trip. */
struct mutation {
	const char *name;
	void (*apply)(struct app_fields *f, struct app_facts *x);
	const char *key;
	enum app_state state;
	const char *detail; /* a part of the item's text */
};

static void m_no_scope(struct app_fields *f, struct app_facts *x) { (void)x; f->scope = 0; }
static void m_no_abstract(struct app_fields *f, struct app_facts *x) { (void)x; f->abstract = ""; }
static void m_no_criterion(struct app_fields *f, struct app_facts *x) { (void)x; f->criteria[1] = ""; }
static void m_other_unnamed(struct app_fields *f, struct app_facts *x) { (void)x; f->industry = APP_INDUSTRY_OTHER; }
static void m_no_industry(struct app_fields *f, struct app_facts *x) { (void)x; f->industry = 0; }
static void m_no_indicators(struct app_fields *f, struct app_facts *x) { (void)x; f->n_indicators = 0; }
static void m_half_indicator(struct app_fields *f, struct app_facts *x) { (void)x; f->ind[0].after = ""; }
static void m_no_years(struct app_fields *f, struct app_facts *x) { (void)x; f->method_years = 0; }
static void m_no_certs(struct app_fields *f, struct app_facts *x) { (void)x; f->certifications = ""; }
static void m_no_profit(struct app_fields *f, struct app_facts *x) { (void)x; f->profit[1] = APP_NO_AMOUNT; }
static void m_zero_profit(struct app_fields *f, struct app_facts *x) { (void)x; f->profit[0] = 0; }
static void m_loss(struct app_fields *f, struct app_facts *x) { (void)x; f->profit[1] = -350; }
static void m_not_declared(struct app_fields *f, struct app_facts *x) { (void)x; f->not_dishonest = false; }
static void m_no_check_date(struct app_fields *f, struct app_facts *x) { (void)x; f->dishonest_checked = APP_NO_DATE; }
static void m_old_check(struct app_fields *f, struct app_facts *x) { f->dishonest_checked = x->today - 91; }
static void m_edge_check(struct app_fields *f, struct app_facts *x) { f->dishonest_checked = x->today - 90; }
static void m_today_check(struct app_fields *f, struct app_facts *x) { f->dishonest_checked = x->today; }
static void m_future_check(struct app_fields *f, struct app_facts *x) { f->dishonest_checked = x->today + 1; }
static void m_no_exchange(struct app_fields *f, struct app_facts *x) { (void)x; f->exchange_commitment = false; }
static void m_no_letter(struct app_fields *f, struct app_facts *x) { (void)f; x->n_commitment = 0; }
static void m_no_document(struct app_fields *f, struct app_facts *x) { (void)f; x->n_experience = 0; }
static void m_individual(struct app_fields *f, struct app_facts *x) { (void)f; x->uscc = "92520000214434146R"; }
static void m_social(struct app_fields *f, struct app_facts *x) { (void)f; x->uscc = "52230100MJ0000000X"; }
static void m_no_code(struct app_fields *f, struct app_facts *x) { (void)f; x->uscc = ""; }
static void m_coop(struct app_fields *f, struct app_facts *x) { (void)f; x->uscc = "93230100MA00000000"; }
static void m_no_type(struct app_fields *f, struct app_facts *x) { (void)f; x->ent_type = NULL; }
static void m_bad_type(struct app_fields *f, struct app_facts *x) { (void)f; x->ent_type = "limited"; }
static void m_branch(struct app_fields *f, struct app_facts *x) { (void)f; x->ent_type = "branch"; }
static void m_sole(struct app_fields *f, struct app_facts *x) { (void)f; x->ent_type = "sole_prop"; }
static void m_partners(struct app_fields *f, struct app_facts *x) { (void)f; x->ent_type = "partnership"; }
static void m_other(struct app_fields *f, struct app_facts *x) { (void)f; x->ent_type = "other"; x->ent_type_other = "农村信用合作联社"; }
static void m_joint_stock(struct app_fields *f, struct app_facts *x) { (void)f; x->ent_type = "joint_stock"; }
static void m_branch_92(struct app_fields *f, struct app_facts *x) { x->ent_type = "branch"; m_individual(f, x); }

static void sme(struct app_fields *f, struct app_facts *x, long long emp, long long rev)
{
	f->scope = APP_SCOPE_SME;
	f->sme_industry = 2;
	x->sme = &industry2;
	f->employees = emp;
	f->revenue = rev;
}
static void m_sme_large(struct app_fields *f, struct app_facts *x) { sme(f, x, 1000, 4000000); }
static void m_sme_edge(struct app_fields *f, struct app_facts *x) { sme(f, x, 1000, 3999999); }
static void m_sme_medium(struct app_fields *f, struct app_facts *x) { sme(f, x, 999, 5000000); }
static void m_sme_small(struct app_fields *f, struct app_facts *x) { sme(f, x, 20, 30000); }
static void m_sme_micro(struct app_fields *f, struct app_facts *x) { sme(f, x, 19, 9999999); }
static void m_sme_no_industry(struct app_fields *f, struct app_facts *x) { sme(f, x, 5, 100); f->sme_industry = 0; x->sme = NULL; }
static void m_sme_no_employees(struct app_fields *f, struct app_facts *x) { sme(f, x, SME_NONE, 100); }
static void m_sme_no_revenue(struct app_fields *f, struct app_facts *x) { sme(f, x, 5, SME_NONE); }
static void m_large_other_scope(struct app_fields *f, struct app_facts *x) { sme(f, x, 5000, 9000000); f->scope = 1; }

static const struct mutation mutations[] = {
	{ "no scope", m_no_scope, "content", APP_MISSING, "遴选范围" },
	{ "no abstract", m_no_abstract, "content", APP_MISSING, "摘要" },
	{ "no criterion", m_no_criterion, "content", APP_MISSING, "系统性和示范性" },
	{ "other unnamed", m_other_unnamed, "content", APP_MISSING, "其他行业名称" },
	{ "no industry", m_no_industry, "content", APP_MISSING, "所属行业" },
	{ "no indicators", m_no_indicators, "content", APP_MISSING, "关键质量和效益指标" },
	{ "half indicator", m_half_indicator, "content", APP_MISSING, "指标“合格率”的实施前后数值" },
	{ "no years", m_no_years, "content", APP_MISSING, "方法应用年限" },
	{ "no certifications", m_no_certs, "content", APP_MISSING, "已获认证" },
	{ "no profit", m_no_profit, "profit", APP_MISSING, "2025年度和2024年度" },
	{ "zero profit", m_zero_profit, "profit", APP_FAIL, "2025年度净利润为0万元" },
	{ "loss", m_loss, "profit", APP_FAIL, "2024年度净利润为-3.5万元" },
	{ "not declared", m_not_declared, "dishonest", APP_MISSING, "失信被执行人" },
	{ "no check date", m_no_check_date, "dishonest", APP_MISSING, "查询的日期" },
	{ "check 91 days old", m_old_check, "dishonest", APP_FAIL, "已超过90天" },
	{ "check 90 days old", m_edge_check, "dishonest", APP_OK, "2026-03-17" },
	{ "check today", m_today_check, "dishonest", APP_OK, "2026-06-15" },
	{ "check in the future", m_future_check, "dishonest", APP_FAIL, "晚于今天" },
	{ "no exchange", m_no_exchange, "exchange", APP_MISSING, "第八条第（三）项" },
	{ "no letter", m_no_letter, "commitment", APP_MISSING, "承诺书" },
	{ "no document", m_no_document, "experience", APP_MISSING, "典型经验材料" },
	/* Only an enterprise's code (91) may apply (a record may predate that
	 * rule of registration). */
	{ "individual business", m_individual, "legal_person", APP_FAIL, "个体工商户" },
	{ "no code", m_no_code, "legal_person", APP_FAIL, "缺少统一社会信用代码" },
	{ "social organisation unit", m_social, "legal_person", APP_FAIL, "民办非企业单位" },
	{ "cooperative", m_coop, "legal_person", APP_FAIL, "农民专业合作社" },
	{ "the code first", m_branch_92, "legal_person", APP_FAIL, "个体工商户" },
	/* Then the type on the business licence. */
	{ "no type", m_no_type, "legal_person", APP_MISSING, "尚未填写营业执照上的企业类型" },
	{ "unknown type", m_bad_type, "legal_person", APP_MISSING, "企业类型" },
	{ "company", m_joint_stock, "legal_person", APP_OK, "股份有限公司，具有独立法人资格" },
	{ "branch", m_branch, "legal_person", APP_FAIL, "分公司不具有独立法人资格" },
	{ "sole proprietorship", m_sole, "legal_person", APP_FAIL, "个人独资企业不具有独立法人资格" },
	{ "partnership", m_partners, "legal_person", APP_FAIL, "合伙企业不具有独立法人资格" },
	{ "other", m_other, "legal_person", APP_WARN, "其他（农村信用合作联社），是否具有独立法人资格需市（地）工信局核实" },
	{ "large enterprise", m_sme_large, "sme", APP_FAIL,
	  "大型企业，不能按第（四）项（中小企业）申报" },
	{ "large: the standard", m_sme_large, "sme", APP_FAIL,
	  "工业：从业人员1000人以下或营业收入40000万元以下的为中小微型企业" },
	{ "revenue just below", m_sme_edge, "sme", APP_OK, "中型" },
	{ "medium", m_sme_medium, "sme", APP_OK, "工业 · 中型企业" },
	{ "small", m_sme_small, "sme", APP_OK, "小型" },
	{ "micro", m_sme_micro, "sme", APP_OK, "微型" },
	{ "no sme industry", m_sme_no_industry, "sme", APP_MISSING, "请选择划型行业" },
	{ "no employees", m_sme_no_employees, "sme", APP_MISSING, "从业人员" },
	{ "no revenue", m_sme_no_revenue, "sme", APP_MISSING, "营业收入" },
};

START_TEST(check_mutation)
{
	const struct mutation *m = &mutations[_i];
	struct app_fields f;
	struct app_facts x;
	struct app_checklist c;
	const struct app_item *it;
	int blocking;
	load_industry2();
	good_fields(&f);
	good_facts(&x);
	m->apply(&f, &x);
	app_checklist_init(&c);
	blocking = app_check(&f, &x, &c);
	it = app_checklist_find(&c, m->key);
	ck_assert_msg(it != NULL, "%s: no item %s", m->name, m->key);
	ck_assert_msg(it->state == m->state, "%s: state %d, want %d (%s)", m->name, it->state,
		      m->state, it->detail);
	ck_assert_msg(strstr(it->detail, m->detail), "%s: %s", m->name, it->detail);
	/* Exactly the blocking items block; a warning does not. */
	ck_assert_int_eq(blocking, m->state == APP_MISSING || m->state == APP_FAIL ? 1 : 0);
	ck_assert_int_eq(c.blocking, blocking);
	app_checklist_release(&c);
}
END_TEST

START_TEST(check_large_outside_category_4)
{
	/* The SME rule binds category (4) only. */
	struct app_fields f;
	struct app_facts x;
	struct app_checklist c;
	load_industry2();
	good_fields(&f);
	good_facts(&x);
	m_large_other_scope(&f, &x);
	app_checklist_init(&c);
	ck_assert_int_eq(app_check(&f, &x, &c), 0);
	ck_assert_ptr_null(app_checklist_find(&c, "sme"));
	app_checklist_release(&c);
}
END_TEST

START_TEST(check_everything_missing)
{
	struct app_fields f;
	struct app_facts x;
	struct app_checklist c;
	json_object *j;
	memset(&f, 0, sizeof f);
	f.method = f.title = f.abstract = f.industry_other = f.certifications = "";
	f.criteria[0] = f.criteria[1] = f.criteria[2] = "";
	f.employees = f.revenue = f.assets = SME_NONE;
	f.profit[0] = f.profit[1] = APP_NO_AMOUNT;
	f.dishonest_checked = APP_NO_DATE;
	memset(&x, 0, sizeof x);
	x.uscc = "91100000100003962T";
	x.round_year = 2026;
	x.today = today();
	app_checklist_init(&c);
	ck_assert_int_eq(app_check(&f, &x, &c), 7); /* the enterprise type too */
	j = app_checklist_json(&c);
	ck_assert_uint_eq(json_object_array_length(j), c.n);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
				 json_object_array_get_idx(j, 0), "state")),
			 "missing");
	json_object_put(j);
	app_checklist_release(&c);
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

/* ---- labels ---- */

static const char *const all_statuses[] = {
	"draft", "submitted", "returned", "not_recommended", "recommended", "with_province",
	"in_review", "not_selected", "proposed", "in_publicity", "withdrawn", "approved",
	"benchmark", "revoked",
};

START_TEST(labels)
{
	for (size_t i = 0; i < N(all_statuses); i++) {
		ck_assert_str_ne(app_status_label(all_statuses[i]), "未知");
		ck_assert_int_eq(app_status_editable(all_statuses[i]),
				 !strcmp(all_statuses[i], "draft") || !strcmp(all_statuses[i], "returned"));
	}
	ck_assert_str_eq(app_status_label("drafts"), "未知");
	ck_assert_str_eq(app_status_label(NULL), "未知");
	ck_assert(!app_status_editable(NULL));
	ck_assert(!app_status_editable("Draft"));
	for (int s = 1; s <= APP_SCOPES; s++) {
		ck_assert_ptr_nonnull(app_scope_label(s));
		ck_assert_ptr_nonnull(app_scope_text(s));
	}
	ck_assert_ptr_nonnull(strstr(app_scope_text(APP_SCOPE_SME), "工信部联企业〔2011〕300号"));
	ck_assert_ptr_null(app_scope_label(0));
	ck_assert_ptr_null(app_scope_label(6));
	ck_assert_ptr_null(app_scope_text(-1));
	ck_assert_str_eq(app_criterion_label(APP_CRIT_EFFECT), "显效性和发展性");
}
END_TEST

/* ---- a saved row ---- */

START_TEST(row_round_trip)
{
	json_object *row = json_tokener_parse(
		"{\"id\": 5, \"scope\": 4, \"method\": \"m\", \"title\": \"<t>\", \"abstract\": \"a\","
		" \"crit_innovation\": \"1\", \"crit_system\": \"2\", \"crit_effect\": \"3\","
		" \"industry\": 99, \"industry_other\": \"冰雪旅游装备\", \"sme_industry\": 2,"
		" \"employees\": 0, \"revenue\": \"15000.50\", \"assets\": null,"
		" \"certifications\": \"无\", \"method_years\": null, \"profit_1\": \"-3.00\","
		" \"profit_2\": \"12.05\", \"not_dishonest\": 0, \"dishonest_checked\": \"2026-06-01\","
		" \"exchange_commitment\": 1}");
	json_object *ind = json_tokener_parse(
		"[{\"row_no\": 1, \"name\": \"n1\", \"unit\": \"%\", \"value_before\": \"1\","
		" \"value_after\": \"2\"}, {\"row_no\": 2, \"name\": \"n2\", \"unit\": \"\","
		" \"value_before\": \"3\", \"value_after\": \"4\"}]");
	struct app_fields f;
	json_object *form, *fo;
	ck_assert_ptr_nonnull(row);
	ck_assert_ptr_nonnull(ind);
	app_fields_from_row(row, ind, &f);
	ck_assert_int_eq(f.scope, 4);
	ck_assert_int_eq(f.industry, APP_INDUSTRY_OTHER);
	ck_assert_int_eq(f.employees, 0);
	ck_assert_int_eq(f.revenue, 1500050);
	ck_assert_int_eq(f.assets, SME_NONE);
	ck_assert_int_eq(f.method_years, 0);
	ck_assert_int_eq(f.profit[0], -300);
	ck_assert_int_eq(f.profit[1], 1205);
	ck_assert(!f.not_dishonest);
	ck_assert(f.exchange_commitment);
	ck_assert_int_eq(f.dishonest_checked, civil_from_ymd(2026, 6, 1));
	ck_assert_uint_eq(f.n_indicators, 2);
	ck_assert_str_eq(f.ind[1].before, "3");

	form = app_form_json_from_row(row, ind);
#define VALUE(name)                                                                            \
	(json_object_object_get_ex(form, name, &fo) ? json_object_get_string(                     \
							      json_object_object_get(fo, "value"))  \
						    : "(missing)")
	ck_assert_str_eq(VALUE("scope"), "4");
	ck_assert_str_eq(VALUE("title"), "<t>");
	ck_assert_str_eq(VALUE("employees"), "0");
	ck_assert_str_eq(VALUE("assets"), "");
	ck_assert_str_eq(VALUE("not_dishonest"), ""); /* an unticked box */
	ck_assert_str_eq(VALUE("exchange_commitment"), "1");
	ck_assert_str_eq(VALUE("ind_name_2"), "n2");
	ck_assert_str_eq(VALUE("ind_after_1"), "2");
	ck_assert_str_eq(VALUE("ind_name_3"), "");
	ck_assert_str_eq(VALUE("ind_unit_8"), "");
#undef VALUE
	json_object_put(form);
	json_object_put(row);
	json_object_put(ind);
}
END_TEST

/* ---- the registration form ---- */

static void reg_request(struct request *req, const char *field, const char *value)
{
	static const char *const base[][2] = {
		{ "name", "黑龙江测试制造有限公司" },
		{ "uscc", "91100000100003962t" },
		{ "city_code", "230100" },
		{ "address", "哈尔滨市南岗区测试路1号" },
		{ "legal_rep", "张三" },
		{ "contact_name", "李四" },
		{ "mobile", "13912345678" },
		{ "email", "quality@example.cn" },
		{ "ent_type", "llc" },
		{ "ent_type_other", "" },
		{ "login", "hljtest01" },
		{ "password", "Quality#2026x" },
		{ "password2", "Quality#2026x" },
	};
	memset(req, 0, sizeof *req);
	req->method = METHOD_POST;
	for (size_t i = 0; i < N(base); i++)
		add(req, base[i][0], field && !strcmp(field, base[i][0]) ? value : base[i][1]);
}

START_TEST(reg_good)
{
	struct request req;
	struct form f;
	char code[USCC_LEN + 1];
	reg_request(&req, NULL, NULL);
	form_init(&f, enterprise_reg_fields, enterprise_reg_nfields);
	form_validate(&f, &req);
	ck_assert_int_eq(enterprise_check_form(&f, true, false, code), 0);
	ck_assert_str_eq(code, "91100000100003962T"); /* stored upper case */
	form_release(&f);
	/* The profile form has no account fields and ignores them. */
	form_init(&f, enterprise_reg_fields, enterprise_profile_nfields);
	form_validate(&f, &req);
	ck_assert_int_eq(enterprise_check_form(&f, false, false, code), 0);
	form_release(&f);
	request_release(&req);
}
END_TEST

/* A code failing only its check character passes with an exception, and
 * nothing else does. */
START_TEST(reg_check_mismatch_exception)
{
	static const struct {
		const char *uscc;
		int errors_without, errors_with;
	} cases[] = {
		{ "91350211M0000XUF46", 1, 0 }, /* a real code that fails the check */
		{ "91100000100003962A", 1, 0 },
		{ "9110000010000396", 1, 1 },   /* length: no exception helps */
		{ "91100000I00003962T", 1, 1 }, /* forbidden letter */
		{ "91100000100003962T", 0, 0 }, /* valid anyway */
	};
	for (size_t k = 0; k < N(cases); k++) {
		struct request req;
		struct form f;
		char code[USCC_LEN + 1], mismatch[USCC_LEN + 1];
		reg_request(&req, "uscc", cases[k].uscc);
		form_init(&f, enterprise_reg_fields, enterprise_reg_nfields);
		form_validate(&f, &req);
		ck_assert_int_eq(enterprise_check_form(&f, true, false, code), cases[k].errors_without);
		form_release(&f);
		form_init(&f, enterprise_reg_fields, enterprise_reg_nfields);
		form_validate(&f, &req);
		ck_assert_int_eq(enterprise_check_form(&f, true, true, code), cases[k].errors_with);
		enterprise_check_mismatch_code(cases[k].uscc, mismatch);
		ck_assert_int_eq(mismatch[0] != '\0', cases[k].errors_without && !cases[k].errors_with);
		if (!cases[k].errors_with)
			ck_assert_str_eq(code, cases[k].uscc);
		form_release(&f);
		request_release(&req);
	}
}
END_TEST

static const struct {
	const char *field, *value, *error_field, *message;
} reg_bad[] = {
	{ "uscc", "91100000100003962A", "uscc", "校验码错误" },
	{ "uscc", "91100000100003962A", "uscc", "联系所在市（地）工信局" },
	{ "uscc", "9110000010000396", "uscc", "应为18位，您输入了16位" },
	{ "uscc", "91100000I00003962T", "uscc", "第9位" },
	{ "uscc", "", "uscc", "请填写统一社会信用代码" },
	{ "uscc", "<script>alert(1)</script>", "uscc", "应为18位" },
	{ "name", "", "name", "请填写企业名称" },
	{ "city_code", "23010", "city_code", "请选择所在市（地）" },
	{ "city_code", "230100' OR '1'='1", "city_code", "请选择所在市（地）" },
	{ "mobile", "12345678901", "mobile", "11位手机号码" },
	{ "mobile", "1391234567", "mobile", "11位手机号码" },
	{ "email", "quality@", "email", "电子邮箱格式不正确" },
	{ "email", "a b@example.cn", "email", "电子邮箱格式不正确" },
	{ "login", "Hlj", "login", "小写字母" },
	{ "password", "short1A", "password", "至少需要8个字符" },
	{ "password", "alllowercase", "password", "至少三类" },
	{ "password", "Xhljtest01#", "password", "不能包含用户名" },
	{ "password2", "Quality#2026y", "password2", "两次输入的密码不一致" },
	{ "legal_rep", "a\x02", "legal_rep", "控制字符" },
	/* Only an enterprise's code (positions 1-2 "91"). */
	{ "uscc", "92520000214434146N", "uscc", "个体工商户" },
	{ "uscc", "A12301008FPPDGL39X", "uscc", "军队事业单位" },
	{ "uscc", "00000000PUK8L77CF7", "uscc", "第1位“0”无效" },
	/* The enterprise type of the licence. */
	{ "ent_type", "", "ent_type", "请填写企业类型" },
	{ "ent_type", "branch_office", "ent_type", "企业类型的选项无效" },
	{ "ent_type", "other", "ent_type_other", "请注明营业执照上的企业类型" },
	{ "ent_type_other", "类型\xe2\x80\xae", "ent_type_other", "文字方向控制字符" },
};

START_TEST(reg_bad_value)
{
	struct request req;
	struct form f;
	char code[USCC_LEN + 1];
	json_object *j, *fo, *err;
	reg_request(&req, reg_bad[_i].field, reg_bad[_i].value);
	form_init(&f, enterprise_reg_fields, enterprise_reg_nfields);
	form_validate(&f, &req);
	ck_assert_int_ge(enterprise_check_form(&f, true, false, code), 1);
	j = form_json(&f);
	ck_assert(json_object_object_get_ex(j, reg_bad[_i].error_field, &fo));
	ck_assert_msg(json_object_object_get_ex(fo, "error", &err), "%s: no error",
		      reg_bad[_i].value);
	ck_assert_msg(strstr(json_object_get_string(err), reg_bad[_i].message), "%s: %s",
		      reg_bad[_i].value, json_object_get_string(err));
	/* Passwords never come back to the browser. */
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
				 json_object_object_get(j, "password"), "value")),
			 "");
	json_object_put(j);
	form_release(&f);
	request_release(&req);
}
END_TEST

static Suite *application_suite(void)
{
	Suite *s = suite_create("application");
	TCase *tc = tcase_create("amounts");
	tcase_add_loop_test(tc, amount_good, 0, N(good_amounts));
	tcase_add_loop_test(tc, amount_bad, 0, N(bad_amounts));
	suite_add_tcase(s, tc);

	tc = tcase_create("form");
	tcase_add_test(tc, form_complete);
	tcase_add_test(tc, form_empty_is_a_draft);
	tcase_add_loop_test(tc, form_text_kept, 0, N(good_values));
	tcase_add_test(tc, form_limits_in_characters);
	tcase_add_loop_test(tc, form_bad_value, 0, N(bad_values));
	suite_add_tcase(s, tc);

	tc = tcase_create("checklist");
	tcase_add_test(tc, check_all_good);
	tcase_add_test(tc, check_shows_amounts_grouped);
	tcase_add_loop_test(tc, check_mutation, 0, N(mutations));
	tcase_add_test(tc, check_large_outside_category_4);
	tcase_add_test(tc, check_everything_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("labels and rows");
	tcase_add_test(tc, labels);
	tcase_add_test(tc, row_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("registration");
	tcase_add_test(tc, reg_good);
	tcase_add_test(tc, reg_check_mismatch_exception);
	tcase_add_loop_test(tc, reg_bad_value, 0, N(reg_bad));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(application_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
