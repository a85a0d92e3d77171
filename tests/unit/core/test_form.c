/* Unit tests of form: each field kind through field_check with good and
 * bad values (lengths counted in characters, control characters, dates,
 * mobile numbers, e-mail, choices, integer ranges), then whole forms through
 * form_validate, form_error and form_json. */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/form.h"
#include "core/request.h"
#include "core/banned.h"

static const char *const colours[] = { "red", "green", "蓝色", NULL };

enum spec_id { S_LINE, S_LINE_OPT, S_TEXT, S_LOGIN, S_PASSWORD, S_INT, S_INT_NEG, S_CHOICE, S_DATE,
	       S_MOBILE, S_EMAIL, S_CITY, S_LINE_DEFAULT, S_DATE_OPT };

static const struct field_spec specs[] = {
	[S_LINE] = { "title", "标题", FIELD_LINE, true, 10, 0, 0, NULL },
	[S_LINE_OPT] = { "note", "备注", FIELD_LINE, false, 10, 0, 0, NULL },
	[S_TEXT] = { "body", "正文", FIELD_TEXT, true, 20, 0, 0, NULL },
	[S_LOGIN] = { "login", "用户名", FIELD_LOGIN, true, 0, 0, 0, NULL },
	[S_PASSWORD] = { "password", "密码", FIELD_PASSWORD, true, 0, 0, 0, NULL },
	[S_INT] = { "count", "数量", FIELD_INT, true, 0, 1, 100, NULL },
	[S_INT_NEG] = { "delta", "差值", FIELD_INT, true, 0, -10, 10, NULL },
	[S_CHOICE] = { "colour", "颜色", FIELD_CHOICE, true, 0, 0, 0, colours },
	[S_DATE] = { "day", "日期", FIELD_DATE, true, 0, 0, 0, NULL },
	[S_MOBILE] = { "mobile", "手机", FIELD_MOBILE, true, 0, 0, 0, NULL },
	[S_EMAIL] = { "email", "邮箱", FIELD_EMAIL, true, 0, 0, 0, NULL },
	[S_CITY] = { "city", "城市", FIELD_CITY, true, 0, 0, 0, NULL },
	[S_LINE_DEFAULT] = { "name", "名称", FIELD_LINE, true, 0, 0, 0, NULL },
	[S_DATE_OPT] = { "until", "截止日期", FIELD_DATE, false, 0, 0, 0, NULL },
};

static const struct {
	enum spec_id spec;
	const char *value;
	long long num; /* INT: the parsed value */
} good[] = {
	{ S_LINE, "abc", 0 },
	{ S_LINE, "十个汉字十个汉字十个", 0 }, /* 10 characters, 30 bytes */
	{ S_LINE, "0123456789", 0 },
	{ S_LINE, "a\tb", 0 },                  /* TAB is not a control here */
	{ S_LINE, "<script>", 0 },              /* escaping is the renderer's job */
	{ S_LINE_OPT, "", 0 },
	{ S_TEXT, "第一行\n第二行\r\n第三行", 0 },
	{ S_TEXT, "二十个字二十个字二十个字二十个字二十个字", 0 },
	{ S_LOGIN, "zhangsan", 0 },
	{ S_LOGIN, "zhang.san_01-x", 0 },
	{ S_LOGIN, "abc", 0 },
	{ S_LOGIN, "0abc", 0 },
	{ S_LOGIN, "abcdefghijabcdefghijabcdefghij12", 0 }, /* 32 */
	{ S_PASSWORD, "any 中文 !@# \"'<>", 0 },
	{ S_INT, "1", 1 },
	{ S_INT, "100", 100 },
	{ S_INT, "42", 42 },
	{ S_INT, "007", 7 },
	{ S_INT_NEG, "-10", -10 },
	{ S_INT_NEG, "-0", 0 },
	{ S_INT_NEG, "10", 10 },
	{ S_CHOICE, "red", 0 },
	{ S_CHOICE, "蓝色", 0 },
	{ S_DATE, "2024-02-29", 0 },
	{ S_DATE, "2000-02-29", 0 },
	{ S_DATE, "2023-12-31", 0 },
	{ S_DATE, "2026-01-01", 0 },
	{ S_DATE, "2024-04-30", 0 },
	{ S_DATE, "1900-01-01", 0 },
	{ S_DATE_OPT, "", 0 },
	{ S_MOBILE, "13800138000", 0 },
	{ S_MOBILE, "19912345678", 0 },
	{ S_MOBILE, "15045678901", 0 },
	{ S_EMAIL, "a@b.cn", 0 },
	{ S_EMAIL, "zhang.san+x@example.com.cn", 0 },
	{ S_CITY, "230100", 0 },
	{ S_CITY, "231000", 0 },
	{ S_LINE_DEFAULT, "二百字以内", 0 },
	/* Arabic and Hebrew letters are text; only the invisible marks are not. */
	{ S_LINE, "\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xd7\xa2\xd7\x91", 0 },
	{ S_LINE, "a\xe2\x80\x8d" "b", 0 },                 /* U+200D joiner (emoji) */
	{ S_LINE, "\xe2\x80\xa9", 0 },                       /* U+2029 is no bidi control */
	{ S_PASSWORD, "pw\xe2\x80\xae" "drowssap", 0 },      /* never shown */
};

/* A bad value and a piece of the message it must get (the label is
 * checked for every row). */
static const struct {
	enum spec_id spec;
	const char *value;
	const char *message;
} bad[] = {
	{ S_LINE, "", "请填写标题" },
	{ S_LINE, "十一个汉字十一个汉字十", "不能超过10个字符（现为11个）" },
	{ S_LINE, "01234567890", "不能超过10个字符（现为11个）" },
	{ S_LINE, "a\nb", "控制字符" },
	{ S_LINE, "a\rb", "控制字符" },
	{ S_LINE, "a\x01" "b", "控制字符" },
	{ S_LINE, "\x7f", "控制字符" },
	{ S_LINE, "\x1b[31m", "控制字符" },
	{ S_LINE, "\xc0\x80", "无效字符" },
	{ S_LINE, "\xed\xa0\x80", "无效字符" },
	{ S_LINE, "\xff", "无效字符" },
	{ S_LINE, "中\xe6\x96", "无效字符" },
	{ S_LINE_OPT, "a\x02", "控制字符" },
	{ S_LINE_OPT, "十一个汉字十一个汉字十", "不能超过" },
	{ S_TEXT, "二十一个字二十一个字二十一个字二十一个字二", "不能超过20个字符（现为21个）" },
	{ S_TEXT, "行\x07", "控制字符" },
	{ S_TEXT, "", "请填写正文" },
	{ S_LOGIN, "ab", "用户名须为" },
	{ S_LOGIN, "Zhangsan", "用户名须为" },
	{ S_LOGIN, "_abc", "用户名须为" },
	{ S_LOGIN, ".abc", "用户名须为" },
	{ S_LOGIN, "a b c", "用户名须为" },
	{ S_LOGIN, "张三丰", "用户名须为" },
	{ S_LOGIN, "abcdefghijabcdefghijabcdefghij123", "用户名须为" }, /* 33 */
	{ S_LOGIN, "abc;drop", "用户名须为" },
	{ S_PASSWORD,
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "01234567890123456789012345678901234567890123456789012345678901234",
	  "不能超过128个字符" },
	{ S_PASSWORD, "pass\x01word", "控制字符" },
	{ S_INT, "0", "须在1到100之间" },
	{ S_INT, "101", "须在1到100之间" },
	{ S_INT, "-1", "须在1到100之间" },
	{ S_INT, "abc", "须为整数" },
	{ S_INT, "1.5", "须为整数" },
	{ S_INT, "+5", "须为整数" },
	{ S_INT, " 5", "须为整数" },
	{ S_INT, "5 ", "须为整数" },
	{ S_INT, "0x10", "须为整数" },
	{ S_INT, "1e2", "须为整数" },
	{ S_INT, "--1", "须为整数" },
	{ S_INT, "99999999999999999999", "须为整数" },
	{ S_INT, "５", "须为整数" },
	{ S_INT, "", "请填写数量" },
	{ S_INT_NEG, "-11", "须在-10到10之间" },
	{ S_INT_NEG, "11", "须在-10到10之间" },
	{ S_CHOICE, "blue", "选项无效" },
	{ S_CHOICE, "Red", "选项无效" },
	{ S_CHOICE, "red ", "选项无效" },
	{ S_CHOICE, "蓝", "选项无效" },
	{ S_CHOICE, "", "请填写颜色" },
	{ S_DATE, "2023-02-29", "有效日期" },
	{ S_DATE, "1900-02-29", "有效日期" },
	{ S_DATE, "2100-02-29", "有效日期" },
	{ S_DATE, "2024-02-30", "有效日期" },
	{ S_DATE, "2024-04-31", "有效日期" },
	{ S_DATE, "2024-13-01", "有效日期" },
	{ S_DATE, "2024-00-01", "有效日期" },
	{ S_DATE, "2024-01-00", "有效日期" },
	{ S_DATE, "2024-01-32", "有效日期" },
	{ S_DATE, "2024/01/01", "有效日期" },
	{ S_DATE, "2024-1-1", "有效日期" },
	{ S_DATE, "24-01-01", "有效日期" },
	{ S_DATE, "1899-12-31", "有效日期" },
	{ S_DATE, "2024-01-01 ", "有效日期" },
	{ S_DATE, "２０２４-01-01", "有效日期" },
	{ S_DATE, "2024-0a-01", "有效日期" },
	{ S_DATE, "", "请填写日期" },
	{ S_DATE_OPT, "tomorrow", "有效日期" },
	{ S_MOBILE, "12800138000", "11位手机号码" },
	{ S_MOBILE, "10800138000", "11位手机号码" },
	{ S_MOBILE, "1380013800", "11位手机号码" },
	{ S_MOBILE, "138001380000", "11位手机号码" },
	{ S_MOBILE, "23800138000", "11位手机号码" },
	{ S_MOBILE, "1380013800a", "11位手机号码" },
	{ S_MOBILE, "+8613800138000", "11位手机号码" },
	{ S_MOBILE, "138 0013 800", "11位手机号码" },
	{ S_MOBILE, "１３８００１３８０００", "11位手机号码" },
	{ S_MOBILE, "", "请填写手机" },
	{ S_EMAIL, "a@b", "格式不正确" },
	{ S_EMAIL, "@b.cn", "格式不正确" },
	{ S_EMAIL, "a@.cn", "格式不正确" },
	{ S_EMAIL, "a@b.", "格式不正确" },
	{ S_EMAIL, "a@@b.cn", "格式不正确" },
	{ S_EMAIL, "a@b@c.cn", "格式不正确" },
	{ S_EMAIL, "a b@c.cn", "格式不正确" },
	{ S_EMAIL, "<a>@b.cn", "格式不正确" },
	{ S_EMAIL, "a\"@b.cn", "格式不正确" },
	{ S_EMAIL, "a'@b.cn", "格式不正确" },
	{ S_EMAIL, "ab.cn", "格式不正确" },
	{ S_EMAIL, "张三@例子.中国", "格式不正确" },
	{ S_EMAIL, "", "请填写邮箱" },
	{ S_CITY, "23010", "请选择城市" },
	{ S_CITY, "2301000", "请选择城市" },
	{ S_CITY, "23010a", "请选择城市" },
	{ S_CITY, "-23010", "请选择城市" },
	{ S_CITY, "", "请填写城市" },
	{ S_LINE_DEFAULT, /* 6 * 33 + 3 = 201 characters */
	  "二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字"
	  "二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字"
	  "二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字"
	  "二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字"
	  "二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字二百零一个字"
	  "二百零一个字二百零一个字二百零一个字"
	  "二百零",
	  "不能超过200个字符（现为201个）" },
	/* Bidirectional formatting characters, in every kind of text field. */
	{ S_LINE, "invoice\xe2\x80\xae" "fdp.exe", "文字方向控制字符" }, /* U+202E */
	{ S_LINE, "\xe2\x80\xaa" "x", "文字方向控制字符" },              /* U+202A */
	{ S_LINE, "\xe2\x80\xab", "文字方向控制字符" },                  /* U+202B */
	{ S_LINE, "\xe2\x80\xac", "文字方向控制字符" },                  /* U+202C */
	{ S_LINE, "\xe2\x80\xad", "文字方向控制字符" },                  /* U+202D */
	{ S_LINE, "a\xe2\x81\xa6" "b", "文字方向控制字符" },             /* U+2066 */
	{ S_LINE, "a\xe2\x81\xa7", "文字方向控制字符" },                 /* U+2067 */
	{ S_LINE, "\xe2\x81\xa8" "a", "文字方向控制字符" },              /* U+2068 */
	{ S_LINE, "\xe2\x81\xa9", "文字方向控制字符" },                  /* U+2069 */
	{ S_LINE, "a\xe2\x80\x8e", "文字方向控制字符" },                 /* U+200E */
	{ S_LINE, "\xe2\x80\x8f" "a", "文字方向控制字符" },              /* U+200F */
	{ S_LINE, "\xd8\x9c", "文字方向控制字符" },                       /* U+061C */
	{ S_LINE_OPT, "\xe2\x80\xae", "文字方向控制字符" },
	{ S_TEXT, "第一行\n\xe2\x81\xa7第二行", "文字方向控制字符" },
	{ S_LOGIN, "abc\xe2\x80\xae", "文字方向控制字符" },
	{ S_CHOICE, "red\xe2\x80\x8e", "文字方向控制字符" },
	{ S_EMAIL, "a\xe2\x80\xae@b.cn", "文字方向控制字符" },
	{ S_LINE_DEFAULT, "\xe2\x80\xae" "PDF.exe", "文字方向控制字符" },
};

START_TEST(good_value)
{
	const struct field_spec *sp = &specs[good[_i].spec];
	long long num = -999;
	char *msg = field_check(sp, good[_i].value, &num);
	ck_assert_msg(msg == NULL, "%s \"%s\": %s", sp->name, good[_i].value, msg ? msg : "");
	if (sp->kind == FIELD_INT)
		ck_assert_int_eq(num, good[_i].num);
}
END_TEST

START_TEST(bad_value)
{
	const struct field_spec *sp = &specs[bad[_i].spec];
	long long num = -999;
	char *msg = field_check(sp, bad[_i].value, &num);
	ck_assert_msg(msg != NULL, "%s accepted \"%s\"", sp->name, bad[_i].value);
	ck_assert_msg(strstr(msg, sp->label), "no label in \"%s\"", msg);
	ck_assert_msg(strstr(msg, bad[_i].message), "\"%s\" lacks \"%s\"", msg, bad[_i].message);
	ck_assert_int_eq(num, -999); /* a refused number is not stored */
	free(msg);
}
END_TEST

START_TEST(int_num_is_optional)
{
	ck_assert_ptr_null(field_check(&specs[S_INT], "5", NULL));
}
END_TEST

/* The form the whole-form tests use. */
static const struct field_spec page[] = {
	{ "title", "标题", FIELD_LINE, true, 10, 0, 0, NULL },
	{ "count", "数量", FIELD_INT, true, 0, 1, 100, NULL },
	{ "password", "密码", FIELD_PASSWORD, true, 0, 0, 0, NULL },
	{ "note", "备注", FIELD_LINE, false, 0, 0, 0, NULL },
};
#define N_PAGE (sizeof page / sizeof page[0])

static const struct limits lim = { 1 << 20, 200, 65536 };

static void make_request(struct request *req, enum method m, const char *query, const char *body)
{
	memset(req, 0, sizeof *req);
	req->method = m;
	ck_assert_int_eq(urlencoded_parse(&req->query, query, strlen(query), &lim), PARSE_OK);
	ck_assert_int_eq(urlencoded_parse(&req->form, body, strlen(body), &lim), PARSE_OK);
}

START_TEST(validate_all_good)
{
	struct request req;
	struct form f;
	make_request(&req, METHOD_POST, "",
		     "title=%E6%A0%87%E9%A2%98&count=12&password=s3cret%21&note=");
	form_init(&f, page, N_PAGE);
	ck_assert_int_eq(form_validate(&f, &req), 0);
	ck_assert_str_eq(form_str(&f, "title"), "标题");
	ck_assert_int_eq(form_int(&f, "count"), 12);
	ck_assert_str_eq(form_str(&f, "password"), "s3cret!");
	ck_assert_str_eq(form_str(&f, "note"), "");
	form_release(&f);
	request_release(&req);
}
END_TEST

START_TEST(validate_reports_each_bad_field)
{
	struct request req;
	struct form f;
	json_object *j, *fo, *v;
	make_request(&req, METHOD_POST, "", "title=&count=1000&password=hunter2&note=a%0Ab");
	form_init(&f, page, N_PAGE);
	ck_assert_int_eq(form_validate(&f, &req), 3);
	j = form_json(&f);
	ck_assert(json_object_object_get_ex(j, "_errors", &v));
	ck_assert_int_eq(json_object_get_int(v), 3);
	ck_assert(json_object_object_get_ex(j, "title", &fo));
	ck_assert(json_object_object_get_ex(fo, "error", &v));
	ck_assert_ptr_nonnull(strstr(json_object_get_string(v), "请填写标题"));
	ck_assert(json_object_object_get_ex(j, "count", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "1000"); /* kept for re-display */
	ck_assert(json_object_object_get_ex(fo, "error", &v));
	ck_assert(json_object_object_get_ex(j, "password", &fo));
	ck_assert(!json_object_object_get_ex(fo, "error", NULL));
	ck_assert(json_object_object_get_ex(j, "note", &fo));
	ck_assert(json_object_object_get_ex(fo, "error", &v));
	ck_assert(!json_object_object_get_ex(j, "_message", NULL));
	json_object_put(j);
	form_release(&f);
	request_release(&req);
}
END_TEST

START_TEST(password_never_redisplayed)
{
	struct request req;
	struct form f;
	json_object *j, *fo, *v;
	/* Even when the form is refused, the password goes back empty. */
	make_request(&req, METHOD_POST, "", "title=&count=5&password=TopSecret1");
	form_init(&f, page, N_PAGE);
	ck_assert_int_gt(form_validate(&f, &req), 0);
	j = form_json(&f);
	ck_assert(json_object_object_get_ex(j, "password", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "");
	ck_assert_ptr_null(strstr(json_object_to_json_string(j), "TopSecret1"));
	json_object_put(j);
	form_release(&f);
	request_release(&req);
}
END_TEST

START_TEST(missing_fields_are_empty)
{
	struct request req;
	struct form f;
	make_request(&req, METHOD_POST, "", "unrelated=1");
	form_init(&f, page, N_PAGE);
	ck_assert_int_eq(form_validate(&f, &req), 3); /* title, count, password */
	ck_assert_str_eq(form_str(&f, "title"), "");
	ck_assert_str_eq(form_str(&f, "note"), "");
	form_release(&f);
	request_release(&req);
}
END_TEST

START_TEST(post_form_ignores_query)
{
	struct request req;
	struct form f;
	make_request(&req, METHOD_POST, "title=fromquery&count=1&password=x", "");
	form_init(&f, page, N_PAGE);
	ck_assert_int_eq(form_validate(&f, &req), 3);
	ck_assert_str_eq(form_str(&f, "title"), "");
	form_release(&f);
	request_release(&req);
}
END_TEST

START_TEST(get_form_reads_query)
{
	struct request req;
	struct form f;
	make_request(&req, METHOD_GET, "title=q&count=2&password=x", "title=body");
	form_init(&f, page, N_PAGE);
	ck_assert_int_eq(form_validate(&f, &req), 0);
	ck_assert_str_eq(form_str(&f, "title"), "q");
	ck_assert_int_eq(form_int(&f, "count"), 2);
	form_release(&f);
	request_release(&req);
}
END_TEST

START_TEST(handler_errors)
{
	struct request req;
	struct form f;
	json_object *j, *fo, *v;
	make_request(&req, METHOD_POST, "", "title=t&count=3&password=x");
	form_init(&f, page, N_PAGE);
	ck_assert_int_eq(form_validate(&f, &req), 0);
	form_error(&f, "title", "标题已被使用。");
	form_error(&f, "", "保存失败，请重试。");
	form_error(&f, NULL, "数据库暂时不可用。"); /* replaces the form-wide message */
	ck_assert_int_eq(f.errors, 3);
	j = form_json(&f);
	ck_assert(json_object_object_get_ex(j, "title", &fo));
	ck_assert(json_object_object_get_ex(fo, "error", &v));
	ck_assert_str_eq(json_object_get_string(v), "标题已被使用。");
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "t");
	ck_assert(json_object_object_get_ex(j, "_message", &v));
	ck_assert_str_eq(json_object_get_string(v), "数据库暂时不可用。");
	json_object_put(j);
	form_release(&f);
	form_release(&f); /* twice is harmless */
	request_release(&req);
}
END_TEST

START_TEST(fresh_form_json)
{
	struct form f;
	json_object *j, *fo, *v;
	form_init(&f, page, N_PAGE);
	j = form_json(&f);
	ck_assert(json_object_object_get_ex(j, "_errors", &v));
	ck_assert_int_eq(json_object_get_int(v), 0);
	ck_assert(json_object_object_get_ex(j, "title", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "");
	json_object_put(j);
	form_release(&f);
}
END_TEST

/* Asking for a field the page never declared is a bug: abort. */
START_TEST(undeclared_str_aborts)
{
	struct form f;
	form_init(&f, page, N_PAGE);
	form_str(&f, "nope");
}
END_TEST

START_TEST(undeclared_int_aborts)
{
	struct form f;
	form_init(&f, page, N_PAGE);
	form_int(&f, "nope");
}
END_TEST

START_TEST(undeclared_error_aborts)
{
	struct form f;
	form_init(&f, page, N_PAGE);
	form_error(&f, "nope", "x");
}
END_TEST

static Suite *form_suite(bool forking)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, good_value, 0, (int)(sizeof good / sizeof good[0]));
	tcase_add_loop_test(tc, bad_value, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, int_num_is_optional);
	tcase_add_test(tc, validate_all_good);
	tcase_add_test(tc, validate_reports_each_bad_field);
	tcase_add_test(tc, password_never_redisplayed);
	tcase_add_test(tc, missing_fields_are_empty);
	tcase_add_test(tc, post_form_ignores_query);
	tcase_add_test(tc, get_form_reads_query);
	tcase_add_test(tc, handler_errors);
	tcase_add_test(tc, fresh_form_json);
	if (forking) { /* an abort is only observable from a forked child */
		tcase_add_test_raise_signal(tc, undeclared_str_aborts, SIGABRT);
		tcase_add_test_raise_signal(tc, undeclared_int_aborts, SIGABRT);
		tcase_add_test_raise_signal(tc, undeclared_error_aborts, SIGABRT);
	}
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;
	srunner_add_suite(sr, form_suite(srunner_fork_status(sr) == CK_FORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
