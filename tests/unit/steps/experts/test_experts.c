/* Unit tests of the pure part of src/steps/experts/experts.c: the one
 * validation of an expert (the annex's conditions refused with their
 * reasons, each at its field; labels taken for codes; blanks trimmed), the
 * relation check, the masks of the list, the status rules and texts, the
 * suspension date, the login proposal, and the fields an update changes.
 * No database. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "steps/experts/experts.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void good_input(const char *in[EF_COUNT])
{
	in[EF_NAME] = "王建国";
	in[EF_ORG_NAME] = "哈尔滨工业大学";
	in[EF_ORG_USCC] = "";
	in[EF_ORG_TYPE] = "university";
	in[EF_TITLE] = "教授";
	in[EF_TITLE_LEVEL] = "senior";
	in[EF_YEARS] = "15";
	in[EF_SPECIALTIES] = "质量管理体系；六西格玛";
	in[EF_SOURCE] = "solicited";
	in[EF_RECOMMENDED_BY] = "";
	in[EF_MOBILE] = "13812345678";
	in[EF_EMAIL] = "wang@example.com";
	in[EF_DECL_INTEGRITY] = "1";
	in[EF_DECL_HEALTH] = "1";
}

/* Validates in; the message at field f (NULL when none) is checked to
 * contain want; every other field must be fine. */
static void expect_only(const char *in[EF_COUNT], int f, const char *want)
{
	struct expert e;
	char *err[EF_COUNT];
	int n = expert_validate(in, &e, err);
	for (int i = 0; i < EF_COUNT; i++) {
		if (i == f) {
			ck_assert_msg(err[i] != NULL, "field %s: no error", expert_fields[i].name);
			ck_assert_msg(strstr(err[i], want), "field %s: \"%s\" lacks \"%s\"",
				      expert_fields[i].name, err[i], want);
		} else {
			ck_assert_msg(err[i] == NULL, "field %s: unexpected \"%s\"", expert_fields[i].name,
				      err[i]);
		}
	}
	ck_assert_int_eq(n, f >= 0 ? 1 : 0);
	expert_errors_release(err, EF_COUNT);
	expert_release(&e);
}

START_TEST(a_good_expert)
{
	const char *in[EF_COUNT];
	struct expert e;
	char *err[EF_COUNT];
	good_input(in);
	ck_assert_int_eq(expert_validate(in, &e, err), 0);
	ck_assert_int_eq(e.years, 15);
	ck_assert_str_eq(e.org_key, "N:哈尔滨工业大学");
	ck_assert_str_eq(e.v[EF_DECL_INTEGRITY], "1");
	expert_release(&e);
}
END_TEST

/* Labels as an import gives them, blanks, "15年", a lower-case code. */
START_TEST(labels_and_blanks)
{
	const char *in[EF_COUNT];
	struct expert e;
	char *err[EF_COUNT];
	good_input(in);
	in[EF_NAME] = "  王建国\u3000";
	in[EF_ORG_TYPE] = "协会学会";
	in[EF_TITLE_LEVEL] = "副高级";
	in[EF_SOURCE] = "单位推荐";
	in[EF_RECOMMENDED_BY] = " 黑龙江省质量协会 ";
	in[EF_YEARS] = "8年";
	in[EF_ORG_USCC] = " 12230000mb0a1234xn ";
	in[EF_SPECIALTIES] = "卓越绩效\r\n六西格玛\r\n";
	in[EF_DECL_INTEGRITY] = "是";
	in[EF_DECL_HEALTH] = "是";
	ck_assert_int_eq(expert_validate(in, &e, err), 0);
	ck_assert_str_eq(e.v[EF_NAME], "王建国");
	ck_assert_str_eq(e.v[EF_ORG_TYPE], "association");
	ck_assert_str_eq(e.v[EF_TITLE_LEVEL], "deputy_senior");
	ck_assert_str_eq(e.v[EF_SOURCE], "recommended");
	ck_assert_str_eq(e.v[EF_RECOMMENDED_BY], "黑龙江省质量协会");
	ck_assert_str_eq(e.v[EF_YEARS], "8");
	ck_assert_str_eq(e.v[EF_ORG_USCC], "12230000MB0A1234XN");
	ck_assert_str_eq(e.org_key, "C:12230000MB0A1234XN");
	ck_assert_str_eq(e.v[EF_SPECIALTIES], "卓越绩效\n六西格玛");
	ck_assert_str_eq(e.v[EF_DECL_INTEGRITY], "1");
	expert_release(&e);
}
END_TEST

/* Each refusal at its field, with its reason. */
static const struct {
	int field;
	const char *value;
	const char *want;
} refusals[] = {
	{ EF_NAME, "", "请填写姓名" },
	{ EF_NAME, "王\u202E国", "文字方向控制字符" },
	{ EF_NAME, "王\x01国", "控制字符" },
	{ EF_NAME, "\xFF", "无效字符" },
	{ EF_ORG_NAME, "", "请填写工作单位" },
	{ EF_ORG_USCC, "12345", "应为18位" },
	{ EF_ORG_USCC, "12230000MB0A1234XA", "没有统一社会信用代码的单位请留空" },
	{ EF_ORG_TYPE, "", "请填写单位类型" },
	{ EF_ORG_TYPE, "大学", "单位类型须为“高等院校”、“协会学会”、“重点企业”或“其他”（现为“大学”）" },
	{ EF_TITLE, "", "请填写职称" },
	{ EF_TITLE_LEVEL, "intermediate", "须具有副高级及以上专业技术职称" },
	{ EF_TITLE_LEVEL, "中级及以下", "附件一第（二）项" },
	{ EF_TITLE_LEVEL, "初级", "职称级别须为" },
	{ EF_YEARS, "2", "须有质量管理教学或质量管理实践3年以上经验" },
	{ EF_YEARS, "0", "现填写0年" },
	{ EF_YEARS, "三年", "须为整数" },
	{ EF_YEARS, "71", "须在0到70之间" },
	{ EF_YEARS, "", "请填写质量管理教学或实践年限" },
	{ EF_SPECIALTIES, "", "请填写专业领域" },
	{ EF_SOURCE, "自荐", "来源须为“公开征集”或“单位推荐”" },
	{ EF_MOBILE, "1381234567", "须为11位手机号码" },
	{ EF_MOBILE, "12812345678", "须为11位手机号码" },
	{ EF_MOBILE, "1.38123E+10", "科学计数法" },
	{ EF_MOBILE, "", "请填写手机号码" },
	{ EF_EMAIL, "wang@", "格式不正确" },
	{ EF_EMAIL, "", "请填写电子邮箱" },
	{ EF_DECL_INTEGRITY, "", "无失信、违法违纪等不良记录" },
	{ EF_DECL_INTEGRITY, "否", "须遵纪守法、无不良信用记录" },
	{ EF_DECL_INTEGRITY, "不确定", "须填写“是”或“否”" },
	{ EF_DECL_HEALTH, "0", "身体健康，能独立完成评价工作" },
	{ EF_DECL_HEALTH, "", "附件一第（三）项" },
};

START_TEST(each_refusal)
{
	const char *in[EF_COUNT];
	good_input(in);
	in[refusals[_i].field] = refusals[_i].value;
	expect_only(in, refusals[_i].field, refusals[_i].want);
}
END_TEST

START_TEST(source_and_recommender)
{
	const char *in[EF_COUNT];
	good_input(in);
	in[EF_SOURCE] = "recommended";
	expect_only(in, EF_RECOMMENDED_BY, "须填写推荐单位");
	in[EF_SOURCE] = "solicited";
	in[EF_RECOMMENDED_BY] = "某协会";
	expect_only(in, EF_RECOMMENDED_BY, "不填写推荐单位");
	in[EF_SOURCE] = "recommended";
	expect_only(in, -1, NULL);
}
END_TEST

START_TEST(every_field_refused_at_once)
{
	const char *in[EF_COUNT] = { 0 };
	struct expert e;
	char *err[EF_COUNT];
	in[EF_TITLE_LEVEL] = "中级及以下";
	in[EF_YEARS] = "1";
	/* Everything required is missing; the optional ones are fine. */
	ck_assert_int_eq(expert_validate(in, &e, err), EF_COUNT - 2);
	ck_assert_ptr_null(err[EF_ORG_USCC]);
	ck_assert_ptr_null(err[EF_RECOMMENDED_BY]);
	ck_assert(strstr(err[EF_TITLE_LEVEL], "副高级及以上"));
	ck_assert(strstr(err[EF_YEARS], "3年以上"));
	/* The input is kept, normalised, for showing it again. */
	ck_assert_str_eq(e.v[EF_TITLE_LEVEL], "intermediate");
	expert_errors_release(err, EF_COUNT);
	expert_release(&e);
}
END_TEST

START_TEST(field_lookup)
{
	ck_assert_int_eq(expert_field_by_name("mobile"), EF_MOBILE);
	ck_assert_int_eq(expert_field_by_label("手机号码"), EF_MOBILE);
	ck_assert_int_eq(expert_field_by_label("声明：身体健康、能独立完成评审"), EF_DECL_HEALTH);
	ck_assert_int_eq(expert_field_by_label("回避企业"), -1);
	ck_assert_int_eq(expert_field_by_name(NULL), -1);
	ck_assert_str_eq(expert_choice_label(expert_org_types, "enterprise"), "重点企业");
	ck_assert_ptr_null(expert_choice_label(expert_org_types, "nope"));
	{
		json_object *o = expert_choice_options(expert_sources, "recommended");
		ck_assert_int_eq(json_object_array_length(o), 2);
		ck_assert(json_object_object_get_ex(json_object_array_get_idx(o, 1), "selected", NULL));
		ck_assert(!json_object_object_get_ex(json_object_array_get_idx(o, 0), "selected", NULL));
		json_object_put(o);
	}
}
END_TEST

START_TEST(relations)
{
	const char *in[RF_COUNT] = { "91230100ma1b2c3d49", "哈尔滨示范企业有限公司", "咨询", "" };
	struct expert_relation r;
	char *err[RF_COUNT];
	ck_assert_int_eq(expert_relation_validate(in, &r, err), 0);
	ck_assert_str_eq(r.uscc, "91230100MA1B2C3D49");
	ck_assert_str_eq(r.kind, "consultancy");
	ck_assert_str_eq(r.name, "哈尔滨示范企业有限公司");
	expert_relation_release(&r);
	in[RF_USCC] = "91230100MA1B2C3D40";
	in[RF_KIND] = "同学";
	ck_assert_int_eq(expert_relation_validate(in, &r, err), 2);
	ck_assert(strstr(err[RF_USCC], "校验码") || strstr(err[RF_USCC], "第18位"));
	ck_assert(strstr(err[RF_KIND], "关系须为“任职”、“咨询”、“持股”或“亲属”"));
	expert_errors_release(err, RF_COUNT);
	expert_relation_release(&r);
	in[RF_USCC] = "";
	in[RF_KIND] = "";
	ck_assert_int_eq(expert_relation_validate(in, &r, err), 2);
	ck_assert(strstr(err[RF_USCC], "请填写"));
	expert_errors_release(err, RF_COUNT);
	expert_relation_release(&r);
}
END_TEST

START_TEST(masks)
{
	struct buf b = BUF_INIT;
	expert_mask_mobile("13812345678", &b);
	ck_assert_str_eq(b.data, "138****5678");
	buf_reset(&b);
	expert_mask_mobile("12", &b);
	ck_assert_str_eq(b.data, "12****");
	buf_reset(&b);
	expert_mask_email("zhang.san@example.com", &b);
	ck_assert_str_eq(b.data, "z***@example.com");
	buf_reset(&b);
	expert_mask_email("z@example.com", &b);
	ck_assert_str_eq(b.data, "z***@example.com");
	buf_reset(&b);
	expert_mask_email("broken", &b);
	ck_assert_str_eq(b.data, "***");
	buf_release(&b);
}
END_TEST

START_TEST(status_rules)
{
	ck_assert(expert_action_allowed(EXPERT_ACTIVE, EXPERT_SUSPEND));
	ck_assert(expert_action_allowed(EXPERT_SUSPENDED, EXPERT_SUSPEND)); /* a new date */
	ck_assert(!expert_action_allowed(EXPERT_REMOVED, EXPERT_SUSPEND));
	ck_assert(expert_action_allowed(EXPERT_ACTIVE, EXPERT_REMOVE));
	ck_assert(expert_action_allowed(EXPERT_SUSPENDED, EXPERT_REMOVE));
	ck_assert(!expert_action_allowed(EXPERT_REMOVED, EXPERT_REMOVE));
	ck_assert(!expert_action_allowed(EXPERT_ACTIVE, EXPERT_REACTIVATE));
	ck_assert(expert_action_allowed(EXPERT_SUSPENDED, EXPERT_REACTIVATE));
	ck_assert(expert_action_allowed(EXPERT_REMOVED, EXPERT_REACTIVATE));
	ck_assert_int_eq(expert_status_parse("removed"), EXPERT_REMOVED);
	ck_assert_int_eq(expert_status_parse("gone"), -1);
}
END_TEST

START_TEST(status_texts)
{
	struct buf b = BUF_INIT;
	expert_status_text(EXPERT_ACTIVE, "", false, &b);
	ck_assert_str_eq(b.data, "在库");
	buf_reset(&b);
	expert_status_text(EXPERT_SUSPENDED, "2027-03-01", false, &b);
	ck_assert_str_eq(b.data, "暂停至 2027-03-01");
	buf_reset(&b);
	expert_status_text(EXPERT_SUSPENDED, "2025-03-01", true, &b);
	ck_assert_str_eq(b.data, "在库（暂停已于 2025-03-01 到期）");
	buf_reset(&b);
	expert_status_text(EXPERT_REMOVED, "", false, &b);
	ck_assert_str_eq(b.data, "已移出专家库");
	buf_release(&b);
}
END_TEST

START_TEST(suspension_dates)
{
	int32_t today = civil_from_ymd(2026, 12, 1);
	ck_assert_ptr_null(expert_suspend_date_error("2026-12-02", today));
	ck_assert_ptr_nonnull(expert_suspend_date_error("2026-12-01", today)); /* today: not after */
	ck_assert(strstr(expert_suspend_date_error("2026-11-30", today), "须晚于今天"));
	ck_assert(strstr(expert_suspend_date_error("2026-13-01", today), "有效日期"));
	ck_assert(strstr(expert_suspend_date_error(NULL, today), "有效日期"));
	ck_assert_ptr_null(expert_suspend_date_error("2036-11-30", today));
	ck_assert(strstr(expert_suspend_date_error("2046-12-02", today), "十年"));
}
END_TEST

START_TEST(login_proposal)
{
	char l[24];
	expert_login_proposal(12, l);
	ck_assert_str_eq(l, "zj0012");
	expert_login_proposal(123456, l);
	ck_assert_str_eq(l, "zj123456");
}
END_TEST

START_TEST(changes_against_a_row)
{
	const char *in[EF_COUNT];
	struct expert e;
	char *err[EF_COUNT];
	struct buf b = BUF_INIT;
	json_object *row = json_object_new_object();
	good_input(in);
	ck_assert_int_eq(expert_validate(in, &e, err), 0);
	for (int i = 0; i < EF_COUNT; i++) {
		const char *name = expert_fields[i].name;
		if (i == EF_YEARS)
			json_object_object_add(row, name, json_object_new_int64(15));
		else if (i == EF_DECL_INTEGRITY || i == EF_DECL_HEALTH)
			json_object_object_add(row, name, json_object_new_int64(1));
		else
			json_object_object_add(row, name, json_object_new_string(e.v[i]));
	}
	ck_assert(!expert_changes(&e, row, &b));
	ck_assert_uint_eq(b.len, 0);
	json_object_object_add(row, "years", json_object_new_int64(14));
	json_object_object_add(row, "mobile", json_object_new_string("13900000000"));
	ck_assert(expert_changes(&e, row, &b));
	ck_assert_str_eq(b.data, "质量管理教学或实践年限、手机号码");
	{
		char tmp[24];
		ck_assert_str_eq(expert_row_text(row, EF_YEARS, tmp), "14");
		ck_assert_str_eq(expert_row_text(row, EF_DECL_HEALTH, tmp), "1");
	}
	json_object_put(row);
	buf_release(&b);
	expert_release(&e);
}
END_TEST

static Suite *experts_suite(void)
{
	Suite *s = suite_create("experts");
	TCase *tc = tcase_create("validate");
	tcase_add_test(tc, a_good_expert);
	tcase_add_test(tc, labels_and_blanks);
	tcase_add_loop_test(tc, each_refusal, 0, N(refusals));
	tcase_add_test(tc, source_and_recommender);
	tcase_add_test(tc, every_field_refused_at_once);
	tcase_add_test(tc, field_lookup);
	tcase_add_test(tc, relations);
	suite_add_tcase(s, tc);
	tc = tcase_create("helpers");
	tcase_add_test(tc, masks);
	tcase_add_test(tc, status_rules);
	tcase_add_test(tc, status_texts);
	tcase_add_test(tc, suspension_dates);
	tcase_add_test(tc, login_proposal);
	tcase_add_test(tc, changes_against_a_row);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(experts_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
