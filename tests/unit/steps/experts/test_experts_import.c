/* Unit tests of the pure part of src/steps/experts/experts_import.c: a
 * file's check (UTF-8 with and without BOM, GB18030; quoted fields with
 * commas and line breaks; CRLF; blank and trailing lines; columns in any
 * order), every bad line listed with its line, column and reason, a
 * duplicate mobile number, the header's problems, the whole-file refusals,
 * the relations column, and the template (which checks as a good file).
 * No database. */
#include <check.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "steps/experts/experts_import.h"
#include "core/banned.h"

#define HEADER                                                                                  \
	"姓名,工作单位,单位统一社会信用代码,单位类型,职称,职称级别,质量管理教学或实践年限,专业领域,"   \
	"来源,推荐单位,手机号码,电子邮箱,声明：遵纪守法、无不良信用记录,声明：身体健康、能独立完成评审"
#define ROW1 "王建国,哈尔滨工业大学,,高等院校,教授,正高级,15,质量管理体系,公开征集,,13800000001,w@example.com,是,是"
#define ROW2 "李红,黑龙江省质量协会,,协会学会,研究员,副高级,8,卓越绩效,单位推荐,黑龙江省质量协会,13800000002,l@example.com,是,是"

static int check(const char *text, struct expert_import *imp)
{
	return experts_import_check(text, strlen(text), imp);
}

/* The error listed at index i: line, column letter, and a part of the reason. */
static void expect_error(const struct expert_import *imp, size_t i, size_t line, const char *col,
			 const char *want)
{
	ck_assert_msg(i < imp->nerr, "only %zu errors", imp->nerr);
	ck_assert_uint_eq(imp->err[i].line, line);
	ck_assert_str_eq(imp->err[i].column, col);
	ck_assert_msg(strstr(imp->err[i].message, want), "error %zu: \"%s\" lacks \"%s\"", i,
		      imp->err[i].message, want);
}

START_TEST(good_utf8)
{
	struct expert_import imp;
	ck_assert_int_eq(check(HEADER "\r\n" ROW1 "\r\n" ROW2 "\r\n", &imp), 0);
	ck_assert_int_eq(imp.charset, CSV_CHARSET_UTF8);
	ck_assert_uint_eq(imp.nlines, 2);
	ck_assert_uint_eq(imp.data_lines, 2);
	ck_assert_uint_eq(imp.nerr_total, 0);
	ck_assert_ptr_null(imp.file_error);
	ck_assert_uint_eq(imp.lines[1].line, 3);
	ck_assert_str_eq(imp.lines[1].e.v[EF_SOURCE], "recommended");
	ck_assert_str_eq(imp.lines[0].e.org_key, "N:哈尔滨工业大学");
	ck_assert_uint_eq(strlen(imp.sha256), 64);
	experts_import_release(&imp);
}
END_TEST

START_TEST(good_bom_quotes_blank_lines)
{
	struct expert_import imp;
	/* A BOM; a quoted organisation with a comma; specialties over two
	 * lines; a blank row as Excel writes it; trailing empty lines. */
	const char *text = CSV_BOM HEADER "\n" ROW1 "\n,,,,,,,,,,,,,\n"
				      "李红,\"黑龙江省质量协会,标准化分会\",,协会学会,研究员,副高级,8,\"卓越绩效\n六西格玛\","
				      "单位推荐,\"黑龙江省质量协会\",13800000002,l@example.com,是,是\n\n\n";
	ck_assert_int_eq(check(text, &imp), 0);
	ck_assert_int_eq(imp.charset, CSV_CHARSET_UTF8_BOM);
	ck_assert_uint_eq(imp.nlines, 2);
	ck_assert_uint_eq(imp.lines[1].line, 4);
	ck_assert_str_eq(imp.lines[1].e.v[EF_ORG_NAME], "黑龙江省质量协会,标准化分会");
	ck_assert_str_eq(imp.lines[1].e.v[EF_SPECIALTIES], "卓越绩效\n六西格玛");
	experts_import_release(&imp);
}
END_TEST

START_TEST(good_gb18030)
{
	struct expert_import imp;
	const char *text = HEADER "\r\n" ROW1 "\r\n" ROW2 "\r\n";
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	struct buf gb = BUF_INIT;
	char *in = (char *)text, *out;
	size_t inleft = strlen(text), outleft;
	ck_assert(cd != (iconv_t)-1);
	buf_grow(&gb, inleft * 2);
	out = gb.data;
	outleft = gb.cap - 1;
	ck_assert(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
	gb.len = (size_t)(out - gb.data);
	iconv_close(cd);
	ck_assert_int_eq(experts_import_check(gb.data, gb.len, &imp), 0);
	ck_assert_int_eq(imp.charset, CSV_CHARSET_GB18030);
	ck_assert_str_eq(imp.lines[0].e.v[EF_NAME], "王建国");
	ck_assert_str_eq(imp.lines[1].e.v[EF_RECOMMENDED_BY], "黑龙江省质量协会");
	experts_import_release(&imp);
	buf_release(&gb);
}
END_TEST

START_TEST(columns_in_another_order)
{
	struct expert_import imp;
	const char *text = "手机号码,姓名,电子邮箱,工作单位,单位统一社会信用代码,单位类型,职称,职称级别,"
			   "质量管理教学或实践年限,专业领域,来源,推荐单位,声明：遵纪守法、无不良信用记录,"
			   "声明：身体健康、能独立完成评审,回避企业\n"
			   "13800000009,赵六,z@example.com,中国第一重型机械集团公司,,重点企业,高级工程师,副高级,"
			   "12,铸锻质量,公开征集,,是,是,91230100MA1B2C3D49/持股/哈尔滨示范企业有限公司；"
			   "91230103MA7XK2Q5L4/亲属\n";
	ck_assert_int_eq(check(text, &imp), 0);
	ck_assert_str_eq(imp.lines[0].e.v[EF_NAME], "赵六");
	ck_assert_uint_eq(imp.lines[0].nrel, 2);
	ck_assert_str_eq(imp.lines[0].rel[0].kind, "shareholding");
	ck_assert_str_eq(imp.lines[0].rel[0].name, "哈尔滨示范企业有限公司");
	ck_assert_str_eq(imp.lines[1 - 1].rel[1].uscc, "91230103MA7XK2Q5L4");
	ck_assert_str_eq(imp.lines[0].rel[1].name, "");
	experts_import_release(&imp);
}
END_TEST

/* Every bad line listed, in line order, each problem at its column. */
START_TEST(every_bad_line)
{
	struct expert_import imp;
	const char *text =
		HEADER "\n" ROW1 "\n"
		"张三,某大学,,高等院校,讲师,中级及以下,2,质量,公开征集,,13800000003,z@example.com,是,否\n" /* 3 */
		ROW2 "\n"
		"钱七,某协会,,协会,研究员,副高级,5,质量,单位推荐,,1380000000,q@x,是,是\n"          /* 5 */
		"王建国二,哈尔滨工业大学,,高等院校,教授,正高级,20,质量,公开征集,,13800000001,b@example.com,是,是\n"; /* 6 */
	ck_assert_int_eq(check(text, &imp), -1);
	ck_assert_ptr_null(imp.file_error);
	ck_assert_uint_eq(imp.bad_lines, 3);
	ck_assert_uint_eq(imp.nerr_total, 8);
	ck_assert_uint_eq(imp.nerr, 8);
	expect_error(&imp, 0, 3, "F", "副高级及以上");
	expect_error(&imp, 1, 3, "G", "3年以上");
	expect_error(&imp, 2, 3, "N", "身体健康");
	expect_error(&imp, 3, 5, "D", "单位类型须为");
	expect_error(&imp, 4, 5, "J", "须填写推荐单位");
	expect_error(&imp, 5, 5, "K", "11位手机号码");
	expect_error(&imp, 6, 5, "L", "格式不正确");
	expect_error(&imp, 7, 6, "K", "与第2行重复");
	ck_assert_str_eq(imp.err[7].label, "手机号码");
	{
		json_object *a = experts_import_errors_json(&imp);
		ck_assert_int_eq(json_object_array_length(a), 8);
		json_object_put(a);
	}
	experts_import_release(&imp);
}
END_TEST

START_TEST(duplicate_mobiles)
{
	struct expert_import imp;
	const char *text = HEADER "\n" ROW1 "\n" ROW2 "\n" ROW1 "\n" ROW1 "\n";
	ck_assert_int_eq(check(text, &imp), -1);
	ck_assert_uint_eq(imp.nerr, 2);
	expect_error(&imp, 0, 4, "K", "与第2行重复");
	expect_error(&imp, 1, 5, "K", "与第2行重复");
	ck_assert_uint_eq(imp.nlines, 2); /* the first of them and ROW2 */
	experts_import_release(&imp);
}
END_TEST

START_TEST(relations_column_refusals)
{
	struct expert_import imp;
	const char *text = HEADER ",回避企业\n" ROW1 ",91230100MA1B2C3D49\n"
				  ROW2 ",91230100MA1B2C3D49/同事;91230100MA1B2C3D40/咨询\n"
				  "王五,某企业,,重点企业,高工,正高级,9,质量,公开征集,,13800000005,x@example.com,是,是,"
				  "91230100MA1B2C3D49/咨询；91230100ma1b2c3d49/咨询/重复\n";
	ck_assert_int_eq(check(text, &imp), -1);
	ck_assert_uint_eq(imp.nerr, 4);
	expect_error(&imp, 0, 2, "O", "统一社会信用代码/关系/企业名称");
	expect_error(&imp, 1, 3, "O", "第1项：关系须为");
	expect_error(&imp, 2, 3, "O", "第2项：统一社会信用代码第18位校验码错误");
	expect_error(&imp, 3, 4, "O", "第2项：与前面的一项重复");
	experts_import_release(&imp);
}
END_TEST

START_TEST(header_problems)
{
	struct expert_import imp;
	ck_assert_int_eq(check("姓名,单位,手机号码,手机号码\n" ROW1 "\n", &imp), -1);
	ck_assert_ptr_null(imp.file_error);
	expect_error(&imp, 0, 1, "B", "表头“单位”不是导入模板中的列名");
	expect_error(&imp, 1, 1, "D", "表头“手机号码”重复（C列已有）");
	expect_error(&imp, 2, 1, "", "表头缺少“工作单位”列");
	ck_assert_uint_eq(imp.nlines, 0); /* no data line is read */
	experts_import_release(&imp);
	/* A cell under no header. */
	ck_assert_int_eq(check(HEADER ",\n" ROW1 ",多余\n", &imp), -1);
	expect_error(&imp, 0, 2, "O", "该列没有表头");
	experts_import_release(&imp);
	/* Blanks around a header are not seen by the user: fine. */
	ck_assert_int_eq(check(" 姓名 ,工作单位,单位统一社会信用代码,单位类型,职称,职称级别,质量管理教学或实践年限,"
			       "专业领域,来源,推荐单位,手机号码,电子邮箱,声明：遵纪守法、无不良信用记录,"
			       "声明：身体健康、能独立完成评审\n" ROW1 "\n", &imp), 0);
	experts_import_release(&imp);
}
END_TEST

START_TEST(whole_file_refusals)
{
	struct expert_import imp;
	struct buf big = BUF_INIT;
	ck_assert_int_eq(experts_import_check("", 0, &imp), -1);
	ck_assert(strstr(imp.file_error, "空的"));
	experts_import_release(&imp);
	ck_assert_int_eq(check("\n\n", &imp), -1);
	ck_assert(strstr(imp.file_error, "没有内容"));
	experts_import_release(&imp);
	ck_assert_int_eq(check(HEADER "\n", &imp), -1);
	ck_assert(strstr(imp.file_error, "只有表头"));
	experts_import_release(&imp);
	ck_assert_int_eq(experts_import_check("\xFF\xFE\x41\x00", 4, &imp), -1);
	ck_assert(strstr(imp.file_error, "UTF-16"));
	experts_import_release(&imp);
	ck_assert_int_eq(check("a\x80\x80,b\n", &imp), -1);
	ck_assert(strstr(imp.file_error, "GB18030"));
	experts_import_release(&imp);
	ck_assert_int_eq(check(HEADER "\n\"open\n", &imp), -1);
	ck_assert(strstr(imp.file_error, "第2行第1列：引号没有闭合"));
	experts_import_release(&imp);
	/* More than 2 MiB, and more than 5000 data lines. */
	buf_grow(&big, EXPERT_IMPORT_MAX_BYTES + 1);
	memset(big.data, 'a', EXPERT_IMPORT_MAX_BYTES + 1);
	ck_assert_int_eq(experts_import_check(big.data, EXPERT_IMPORT_MAX_BYTES + 1, &imp), -1);
	ck_assert(strstr(imp.file_error, "2 MiB"));
	experts_import_release(&imp);
	buf_reset(&big);
	buf_adds(&big, HEADER "\n");
	for (int i = 0; i <= EXPERT_IMPORT_MAX_LINES; i++)
		buf_adds(&big, "x\n");
	ck_assert_int_eq(experts_import_check(big.data, big.len, &imp), -1);
	ck_assert(strstr(imp.file_error, "5000 行"));
	experts_import_release(&imp);
	buf_release(&big);
}
END_TEST

START_TEST(errors_listed_up_to_the_limit)
{
	struct expert_import imp;
	struct buf f = BUF_INIT;
	buf_adds(&f, HEADER "\n");
	/* 1200 lines of one problem each (no name). */
	for (int i = 0; i < 1200; i++)
		buf_addf(&f, ",某大学,,高等院校,教授,正高级,9,质量,公开征集,,139%08d,a@example.com,是,是\n", i);
	ck_assert_int_eq(experts_import_check(f.data, f.len, &imp), -1);
	ck_assert_uint_eq(imp.nerr, EXPERT_IMPORT_MAX_ERRORS);
	ck_assert_uint_eq(imp.nerr_total, 1200);
	ck_assert_uint_eq(imp.bad_lines, 1200);
	ck_assert_uint_eq(imp.err[999].line, 1001);
	experts_import_release(&imp);
	buf_release(&f);
}
END_TEST

START_TEST(the_template_is_a_good_file)
{
	struct expert_import imp;
	struct buf t = BUF_INIT;
	json_object *cols = experts_import_columns();
	experts_import_template(&t);
	ck_assert(!strncmp(t.data, CSV_BOM "姓名,工作单位,", strlen(CSV_BOM "姓名,工作单位,")));
	ck_assert_int_eq(experts_import_check(t.data, t.len, &imp), 0);
	ck_assert_uint_eq(imp.nlines, 1);
	ck_assert_uint_eq(imp.lines[0].nrel, 1);
	ck_assert_int_eq(json_object_array_length(cols), EF_COUNT + 1);
	experts_import_release(&imp);
	json_object_put(cols);
	buf_release(&t);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("experts_import");
	TCase *tc = tcase_create("check");
	tcase_add_test(tc, good_utf8);
	tcase_add_test(tc, good_bom_quotes_blank_lines);
	tcase_add_test(tc, good_gb18030);
	tcase_add_test(tc, columns_in_another_order);
	tcase_add_test(tc, every_bad_line);
	tcase_add_test(tc, duplicate_mobiles);
	tcase_add_test(tc, relations_column_refusals);
	tcase_add_test(tc, header_problems);
	tcase_add_test(tc, whole_file_refusals);
	tcase_add_test(tc, errors_listed_up_to_the_limit);
	tcase_add_test(tc, the_template_is_a_good_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(import_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
