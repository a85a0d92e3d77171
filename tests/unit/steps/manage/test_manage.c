/* Unit tests for src/steps/manage/ without a database: the grounds of a
 * revocation, the announcements a decision publishes (what they say, and
 * what they never say), the exchange levels. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "steps/manage/exchange.h"
#include "steps/manage/manage.h"
#include "core/banned.h"

static json_object *benchmark(void)
{
	json_object *b = json_object_new_object();
	json_object_object_add(b, "enterprise_name", json_object_new_string("哈尔滨甲乙精密制造有限公司"));
	json_object_object_add(b, "year", json_object_new_int(2026));
	json_object_object_add(b, "cert_no", json_object_new_string("HLJZLBG-2026-003"));
	json_object_object_add(b, "facts", json_object_new_string("内部调查"));
	return b;
}

START_TEST(grounds)
{
	size_t n = 0;
	for (; mgt_grounds[n]; n++) {
		const char *l = mgt_ground_label(mgt_grounds[n]);
		ck_assert_ptr_nonnull(l);
		ck_assert(strlen(l) > 0);
	}
	ck_assert_uint_eq(n, 5); /* 第十六条: falsified; quality, safety, environment, credit */
	ck_assert_str_eq(mgt_ground_label("falsified"), "申报材料弄虚作假");
	ck_assert_ptr_null(mgt_ground_label("arson"));
	ck_assert_ptr_null(mgt_ground_label(NULL));
	ck_assert_ptr_null(mgt_ground_label(""));
	ck_assert_str_eq(mgt_kind_label("revocation"), "撤销称号");
	ck_assert_str_eq(mgt_kind_label("reinstatement"), "恢复称号");
}
END_TEST

static const struct {
	const char *ground, *cause;
} causes[] = {
	{ "falsified", "申报材料弄虚作假获得质量标杆称号" },
	{ "quality", "质量方面重大责任事故" },
	{ "safety", "安全方面重大责任事故" },
	{ "environment", "环保方面重大责任事故" },
	{ "credit", "信誉方面重大责任事故" },
};

START_TEST(revocation_text)
{
	json_object *b = benchmark();
	struct buf title = BUF_INIT, body = BUF_INIT;
	mgt_announcement(b, "revocation", causes[_i].ground, "黑工信质量〔2026〕15号", "2026-12-02",
			 NULL, &title, &body);
	ck_assert_str_eq(title.data, "关于撤销哈尔滨甲乙精密制造有限公司“2026年度黑龙江省质量标杆”称号的公告");
	ck_assert_ptr_nonnull(strstr(body.data, causes[_i].cause));
	ck_assert_ptr_nonnull(strstr(body.data, "HLJZLBG-2026-003"));
	ck_assert_ptr_nonnull(strstr(body.data, "2026年12月2日"));
	ck_assert_ptr_nonnull(strstr(body.data, "黑工信质量〔2026〕15号"));
	ck_assert_ptr_nonnull(strstr(body.data, "第十六条"));
	ck_assert_ptr_null(strstr(body.data, "内部调查")); /* nothing but the public fields */
	buf_release(&title);
	buf_release(&body);
	json_object_put(b);
}
END_TEST

START_TEST(reinstatement_text)
{
	json_object *b = benchmark();
	struct buf title = BUF_INIT, body = BUF_INIT;
	mgt_announcement(b, "reinstatement", NULL, "黑工信质量〔2027〕2号", "2027-01-05",
			 "黑工信质量〔2026〕15号", &title, &body);
	ck_assert_str_eq(title.data, "关于恢复哈尔滨甲乙精密制造有限公司“2026年度黑龙江省质量标杆”称号的公告");
	ck_assert_ptr_nonnull(strstr(body.data, "黑工信质量〔2026〕15号")); /* the decision undone */
	ck_assert_ptr_nonnull(strstr(body.data, "黑工信质量〔2027〕2号"));
	ck_assert_ptr_nonnull(strstr(body.data, "2027年1月5日"));
	ck_assert_ptr_nonnull(strstr(body.data, "继续有效"));
	buf_release(&title);
	buf_release(&body);
	json_object_put(b);
}
END_TEST

START_TEST(levels)
{
	ck_assert_str_eq(exc_level_label("provincial"), "省级");
	ck_assert_str_eq(exc_level_label("national"), "全国");
	ck_assert_str_eq(exc_level_label("city"), "");
	ck_assert_str_eq(exc_level_label(NULL), "");
	ck_assert_str_eq(exc_levels[0], "provincial");
	ck_assert_str_eq(exc_levels[1], "national");
	ck_assert_ptr_null(exc_levels[2]);
}
END_TEST

static Suite *manage_suite(void)
{
	Suite *s = suite_create("manage");
	TCase *tc = tcase_create("pure");
	tcase_add_test(tc, grounds);
	tcase_add_loop_test(tc, revocation_text, 0, (int)(sizeof causes / sizeof causes[0]));
	tcase_add_test(tc, reinstatement_text);
	tcase_add_test(tc, levels);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(manage_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
