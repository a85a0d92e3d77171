/* Unit tests for src/steps/rounds/rounds.c without a database: the datetime format of the
 * form, the annex's scheme, and the round form's validation (field ranges,
 * the order of the dates, the scheme's sum and score step, bad input), full
 * and deadlines-only. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/form.h"
#include "core/request.h"
#include "steps/rounds/rounds.h"
#include "core/utf8.h"

#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- times ---- */

struct good_time {
	const char *in;
	const char *db;    /* rounds_format_time */
	const char *input; /* rounds_format_input */
	int year;
};

static const struct good_time good_times[] = {
	{ "2026-03-01T09:00", "2026-03-01 09:00:00", "2026-03-01T09:00", 2026 },
	{ "2026-03-01 09:00", "2026-03-01 09:00:00", "2026-03-01T09:00", 2026 },
	{ "2026-03-01T09:00:30", "2026-03-01 09:00:30", "2026-03-01T09:00", 2026 },
	{ "2026-03-01 23:59:59", "2026-03-01 23:59:59", "2026-03-01T23:59", 2026 },
	{ "2028-02-29T00:00", "2028-02-29 00:00:00", "2028-02-29T00:00", 2028 },
	{ "2020-01-01T00:00", "2020-01-01 00:00:00", "2020-01-01T00:00", 2020 },
	{ "2100-12-31T23:59", "2100-12-31 23:59:00", "2100-12-31T23:59", 2100 },
	{ "1969-12-31T23:00", "1969-12-31 23:00:00", "1969-12-31T23:00", 1969 },
};

START_TEST(time_good)
{
	const struct good_time *g = &good_times[_i];
	char out[ROUND_TIME_TEXT];
	long long t = -1, again = -2;

	ck_assert_int_eq(rounds_parse_time(g->in, &t), 0);
	rounds_format_time(t, out);
	ck_assert_str_eq(out, g->db);
	ck_assert_int_eq(rounds_parse_time(out, &again), 0);
	ck_assert_int_eq(again, t);
	rounds_format_input(t, out);
	ck_assert_str_eq(out, g->input);
	ck_assert_int_eq(rounds_time_year(t), g->year);
}
END_TEST

static const char *const bad_times[] = {
	"",
	"2026-03-01",
	"2026-03-01T",
	"2026-03-01T9:00",
	"2026-3-01T09:00",
	"2026-02-30T09:00",
	"2027-02-29T09:00",
	"2026-13-01T09:00",
	"2026-00-10T09:00",
	"2026-03-01T24:00",
	"2026-03-01T23:60",
	"2026-03-01T23:59:60",
	"2026-03-01t09:00",
	"2026-03-01_09:00",
	"2026-03-01T09:00Z",
	"2026-03-01T09:00+08:00",
	"2026-03-01T09:00:0",
	"2026-03-01T09-00",
	" 2026-03-01T09:00",
	"2026-03-01T09:00 ",
	"2026/03/01 09:00",
	"+026-03-01T09:00",
	"2026-03-01T0a:00",
	"０２６-03-01T09:00",
	"<script>alert(1)</script>",
	"2026-03-01T09:00' OR '1'='1",
};

START_TEST(time_bad)
{
	long long t = 12345;
	ck_assert_int_eq(rounds_parse_time(bad_times[_i], &t), -1);
	ck_assert_int_eq(t, 12345); /* untouched */
}
END_TEST

START_TEST(time_order)
{
	long long a, b, c;
	ck_assert_int_eq(rounds_parse_time("2026-05-31T23:59", &a), 0);
	ck_assert_int_eq(rounds_parse_time("2026-06-01T00:00", &b), 0);
	ck_assert_int_eq(rounds_parse_time("2026-06-01 00:00:01", &c), 0);
	ck_assert_int_eq(b - a, 60);
	ck_assert_int_eq(c - b, 1);
}
END_TEST

START_TEST(default_title)
{
	char t[128];
	rounds_default_title(2026, t, sizeof t);
	ck_assert_str_eq(t, "2026年度黑龙江省质量标杆遴选");
}
END_TEST

/* ---- the annex's scheme ---- */

START_TEST(scheme_table)
{
	static const int groups[ROUND_POINTS] = { 1, 1, 1, 1, 2, 2, 2, 3, 3, 3 };
	ck_assert_int_eq(ROUND_POINT_DEFAULT * ROUND_POINTS, ROUND_POINTS_TOTAL);
	for (int i = 0; i < ROUND_POINTS; i++) {
		const char *t = round_points[i].title;
		ck_assert_int_eq(round_points[i].no, i + 1);
		ck_assert_int_eq(round_points[i].group_no, groups[i]);
		ck_assert(utf8_valid(t, strlen(t)));
		/* round_criterion.title is VARCHAR(255); every point ends its sentence. */
		ck_assert_uint_le(utf8_count(t, strlen(t)), 255);
		ck_assert_uint_gt(strlen(t), 10);
		ck_assert_str_eq(t + strlen(t) - strlen("。"), "。");
	}
	ck_assert_str_eq(round_group_title(1), "科学性和创新性");
	ck_assert_str_eq(round_group_title(2), "系统性和示范性");
	ck_assert_str_eq(round_group_title(3), "显效性和发展性");
	ck_assert_str_eq(round_group_title(0), "");
	ck_assert_str_eq(round_group_title(4), "");
	ck_assert_str_eq(round_group_numeral(1), "一");
	ck_assert_str_eq(round_group_numeral(3), "三");
	ck_assert_str_eq(round_group_numeral(4), "");
	ck_assert_str_eq(round_points[3].title, "企业质量管理水平达到省内领先水平。");
	ck_assert_str_eq(round_points[9].title,
			 "通过应用该管理方法（技术），取得明显的经济效益和社会效益。");
}
END_TEST

/* ---- the form ---- */

static const struct round_city cities[] = {
	{ "230100", "哈尔滨市" },
	{ "230600", "大庆市" },
	{ "232700", "大兴安岭地区" },
};

struct pair {
	const char *name;
	const char *value; /* NULL: leave the field out of the request */
};

/* A complete, valid submission of the full form. */
static const struct pair base_pairs[] = {
	{ "year", "2026" },
	{ "title", "" },
	{ "apply_open", "2026-03-01T09:00" },
	{ "apply_close", "2026-05-31T17:00" },
	{ "recommend_deadline", "2026-06-30T17:00" },
	{ "default_quota", "5" },
	{ "score_step", "whole" },
	{ "max_1", "10" }, { "max_2", "10" }, { "max_3", "10" }, { "max_4", "10" },
	{ "max_5", "10" }, { "max_6", "10" }, { "max_7", "10" }, { "max_8", "10" },
	{ "max_9", "10" }, { "max_10", "10" },
	{ "quota_230100", "" }, { "quota_230600", "" }, { "quota_232700", "" },
	{ "csrf", "x" },
};

#define MAX_CHANGES 4

/* A POST request: base (may be NULL) with changes applied (a changed name
 * replaces the base value; a NULL value drops the field). */
static void make_request(struct request *req, const struct pair *base, int nbase,
			 const struct pair *changes)
{
	struct pair all[64];
	int n = 0;
	memset(req, 0, sizeof *req);
	req->method = METHOD_POST;
	for (int i = 0; i < nbase; i++)
		all[n++] = base[i];
	for (int c = 0; c < MAX_CHANGES && changes[c].name; c++) {
		int i;
		for (i = 0; i < n && strcmp(all[i].name, changes[c].name); i++)
			;
		if (i == n)
			n++;
		all[i] = changes[c];
	}
	req->form.v = xcalloc((size_t)n, sizeof *req->form.v);
	for (int i = 0; i < n; i++) {
		if (!all[i].value)
			continue;
		req->form.v[req->form.n].name = xstrdup(all[i].name);
		req->form.v[req->form.n].value = xstrdup(all[i].value);
		req->form.v[req->form.n].len = strlen(all[i].value);
		req->form.n++;
	}
}

/* The request of the last check: the form's values point into it, so it
 * lives until done() releases both. */
static struct request last_req;

static void done(struct round_form *rf)
{
	round_form_release(rf);
	fields_release(&last_req.form);
}

static int check_full(const struct pair *changes, struct round_form *rf, struct round *out)
{
	make_request(&last_req, base_pairs, N(base_pairs), changes);
	round_form_init(rf, cities, N(cities), false);
	return round_form_check(rf, &last_req, NULL, out);
}

/* The error of field name ("" for the form's own message), or NULL. */
static const char *error_of(const struct round_form *rf, const char *name)
{
	if (!*name)
		return rf->form.v[rf->form.n].error;
	for (size_t i = 0; i < rf->form.n; i++)
		if (!strcmp(rf->spec[i].name, name))
			return rf->form.v[i].error;
	ck_abort_msg("no field %s", name);
	return NULL;
}

static long long t_of(const char *s)
{
	long long t = 0;
	ck_assert_int_eq(rounds_parse_time(s, &t), 0);
	return t;
}

START_TEST(full_base)
{
	struct round_form rf;
	struct round r;
	static const struct pair none[MAX_CHANGES] = { { NULL, NULL } };

	ck_assert_int_eq(check_full(none, &rf, &r), 0);
	ck_assert_int_eq(r.year, 2026);
	ck_assert_str_eq(r.title, "2026年度黑龙江省质量标杆遴选");
	ck_assert_int_eq(r.apply_open, t_of("2026-03-01 09:00"));
	ck_assert_int_eq(r.apply_close, t_of("2026-05-31 17:00"));
	ck_assert_int_eq(r.recommend_deadline, t_of("2026-06-30 17:00"));
	ck_assert_int_eq(r.default_quota, 5);
	ck_assert_uint_eq(r.n_quota, 0);
	for (int i = 0; i < ROUND_POINTS; i++)
		ck_assert_int_eq(r.max_points[i], 10);
	ck_assert_int_eq(r.score_step, SCORE_WHOLE);
	ck_assert_int_eq(r.id, 0);
	done(&rf);
}
END_TEST

/* The score step's two values, each as submitted. */
START_TEST(full_score_step)
{
	static const struct pair half[MAX_CHANGES] = { { "score_step", "half" } };
	static const struct pair whole[MAX_CHANGES] = { { "score_step", "whole" } };
	struct round_form rf;
	struct round r;

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(check_full(half, &rf, &r), 0);
	ck_assert_int_eq(r.score_step, SCORE_HALF);
	done(&rf);
	ck_assert_int_eq(check_full(whole, &rf, &r), 0);
	ck_assert_int_eq(r.score_step, SCORE_WHOLE);
	done(&rf);
}
END_TEST

/* round_form_rules alone, on values form_validate has checked: a refused
 * step is reworded to name the choices, still one error, and *out is left
 * alone. */
START_TEST(rules_score_step)
{
	static const struct pair bad[MAX_CHANGES] = { { "score_step", "quarter" } };
	struct round_form rf;
	struct round r;
	const char *err;

	make_request(&last_req, base_pairs, N(base_pairs), bad);
	round_form_init(&rf, cities, N(cities), false);
	ck_assert_int_eq(form_validate(&rf.form, &last_req), 1);
	ck_assert_str_eq(error_of(&rf, "score_step"), "评分精度的选项无效。");
	memset(&r, 0x5a, sizeof r);
	ck_assert_int_eq(round_form_rules(&rf, NULL, &r), 1);
	err = error_of(&rf, "score_step");
	ck_assert_str_eq(err, "评分精度须为“整数分”或“可打半分（如 7.5）”，请从列表中选择。");
	ck_assert_int_eq(r.year, 0x5a5a5a5a);
	/* The typed value comes back with the reason. */
	{
		json_object *fj = form_json(&rf.form), *fo, *v;
		ck_assert(json_object_object_get_ex(fj, "score_step", &fo));
		ck_assert(json_object_object_get_ex(fo, "value", &v));
		ck_assert_str_eq(json_object_get_string(v), "quarter");
		json_object_put(fj);
	}
	done(&rf);
}
END_TEST

/* Valid variations: each must pass. */
struct good_form {
	const char *what;
	struct pair changes[MAX_CHANGES];
};

static const struct good_form good_forms[] = {
	{ "own title", { { "title", "二〇二六年度质量标杆遴选（补充）" } } },
	{ "title with markup is text", { { "title", "<b>2026</b> & \"遴选\"" } } },
	{ "overrides", { { "quota_230100", "8" }, { "quota_232700", "0" } } },
	{ "back-dated", { { "year", "2021" }, { "apply_open", "2021-03-01T09:00" },
			  { "apply_close", "2021-05-31T17:00" },
			  { "recommend_deadline", "2021-06-30T17:00" } } },
	{ "uneven points", { { "max_1", "19" }, { "max_2", "1" } } },
	{ "half points", { { "score_step", "half" } } },
	{ "half points with uneven maxima", { { "score_step", "half" }, { "max_1", "15" },
					      { "max_2", "5" } } },
	{ "seconds and spaces", { { "apply_open", "2026-03-01 09:00:30" } } },
	{ "opens the year before", { { "apply_open", "2025-12-15T09:00" } } },
	{ "deadline next year", { { "recommend_deadline", "2027-01-10T17:00" } } },
	{ "quota bounds high", { { "default_quota", "200" }, { "quota_230600", "200" } } },
	{ "quota bounds low", { { "default_quota", "1" }, { "quota_230600", "0" } } },
	{ "close one minute after open", { { "apply_close", "2026-03-01T09:01" } } },
	{ "first year", { { "year", "2020" }, { "apply_open", "2020-03-01T09:00" },
			  { "apply_close", "2020-05-31T17:00" },
			  { "recommend_deadline", "2020-06-30T17:00" } } },
	{ "last year", { { "year", "2100" }, { "apply_open", "2100-03-01T09:00" },
			 { "apply_close", "2100-05-31T17:00" },
			 { "recommend_deadline", "2101-01-31T17:00" } } },
	{ "unknown extra fields are ignored", { { "quota_999999", "abc" }, { "evil", "<x>" } } },
};

START_TEST(full_good)
{
	const struct good_form *g = &good_forms[_i];
	struct round_form rf;
	struct round r;
	int errors = check_full(g->changes, &rf, &r);
	ck_assert_msg(errors == 0, "%s: %d errors", g->what, errors);
	done(&rf);
}
END_TEST

START_TEST(full_values)
{
	static const struct pair changes[MAX_CHANGES] = {
		{ "title", "<b>2026</b> & \"遴选\"" },
		{ "quota_230100", "8" },
		{ "quota_232700", "0" },
		{ "max_1", "19" },
	};
	static const struct pair fix[MAX_CHANGES] = { { "max_2", "1" } };
	struct round_form rf;
	struct round r;
	struct request req;

	ck_assert_int_eq(check_full(changes, &rf, &r), 1); /* the sum is 109 */
	ck_assert_str_eq(error_of(&rf, ""), "各评价要点的满分合计须为100分，现为109分。");
	done(&rf);

	{
		struct pair merged[N(base_pairs)];
		for (int i = 0; i < N(base_pairs); i++) {
			merged[i] = base_pairs[i];
			if (!strcmp(merged[i].name, "max_2"))
				merged[i] = fix[0];
		}
		make_request(&req, merged, N(base_pairs), changes);
		round_form_init(&rf, cities, N(cities), false);
		ck_assert_int_eq(round_form_check(&rf, &req, NULL, &r), 0);
		fields_release(&req.form);
	}
	ck_assert_str_eq(r.title, "<b>2026</b> & \"遴选\"");
	ck_assert_uint_eq(r.n_quota, 2);
	ck_assert_str_eq(r.quota[0].code, "230100");
	ck_assert_str_eq(r.quota[0].name, "哈尔滨市");
	ck_assert_int_eq(r.quota[0].quota, 8);
	ck_assert_str_eq(r.quota[1].code, "232700");
	ck_assert_str_eq(r.quota[1].name, "大兴安岭地区");
	ck_assert_int_eq(r.quota[1].quota, 0);
	ck_assert_int_eq(r.max_points[0], 19);
	ck_assert_int_eq(r.max_points[1], 1);
	round_form_release(&rf);
}
END_TEST

/* Invalid submissions: exactly one error, on field (or "" for the form),
 * containing msg. */
struct bad_form {
	struct pair changes[MAX_CHANGES];
	const char *field;
	const char *msg;
};

#define LONG_TITLE                                                                               \
	"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"       \
	"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"       \
	"一二三四五六七八九十一二三四五六七八九十甲"

static const struct bad_form bad_forms[] = {
	/* year */
	{ { { "year", "" } }, "year", "请填写年度" },
	{ { { "year", NULL } }, "year", "请填写年度" },
	{ { { "year", "2019" } }, "year", "年度须在2020到2100之间" },
	{ { { "year", "2101" } }, "year", "年度须在2020到2100之间" },
	{ { { "year", "20x6" } }, "year", "年度须为整数" },
	{ { { "year", "+2026" } }, "year", "年度须为整数" },
	{ { { "year", "2026 " } }, "year", "年度须为整数" },
	{ { { "year", "2026; DROP TABLE selection_round" } }, "year", "年度须为整数" },
	{ { { "year", "99999999999999999999" } }, "year", "年度须为整数" },
	/* title */
	{ { { "title", LONG_TITLE } }, "title", "遴选名称不能超过100个字符（现为101个）" },
	{ { { "title", "年度\x01遴选" } }, "title", "控制字符" },
	{ { { "title", "年度\n遴选" } }, "title", "控制字符" },
	{ { { "title", "\xff\xfe" } }, "title", "无效字符" },
	{ { { "title", "\xe4\xb8" } }, "title", "无效字符" },
	/* the times' format */
	{ { { "apply_open", "" } }, "apply_open", "请填写申报开始时间" },
	{ { { "apply_open", "2026-02-30T09:00" } }, "apply_open", "申报开始时间须为有效的日期和时间" },
	{ { { "apply_open", "2026-03-01" } }, "apply_open", "有效的日期和时间" },
	{ { { "apply_open", "2026-03-01T24:00" } }, "apply_open", "有效的日期和时间" },
	{ { { "apply_open", "<script>alert(1)</script>" } }, "apply_open", "有效的日期和时间" },
	{ { { "apply_open", "2026-03-01T09:00' OR '1'='1" } }, "apply_open", "有效的日期和时间" },
	{ { { "apply_close", "2026-05-31T17:00; DROP TABLE selection_round" } }, "apply_close",
	  "不能超过40个字符" },
	{ { { "apply_close", "\xc0\xaf" } }, "apply_close", "无效字符" },
	{ { { "recommend_deadline", "明年六月" } }, "recommend_deadline",
	  "市（地）推荐截止时间须为有效的日期和时间" },
	/* the order of the times */
	{ { { "apply_close", "2026-03-01T09:00" } }, "apply_close", "申报截止时间须晚于申报开始时间" },
	{ { { "apply_close", "2026-02-28T17:00" } }, "apply_close", "须晚于申报开始时间（2026-03-01 09:00）" },
	{ { { "recommend_deadline", "2026-05-31T17:00" } }, "recommend_deadline",
	  "市（地）推荐截止时间须晚于申报截止时间" },
	{ { { "recommend_deadline", "2026-05-31T16:59:59" } }, "recommend_deadline",
	  "须晚于申报截止时间" },
	/* a time far from the round's year (a mistyped year) */
	{ { { "apply_open", "2036-03-01T09:00" } }, "apply_open", "须在2025年至2027年之间" },
	{ { { "apply_open", "2024-12-31T23:59" } }, "apply_open", "须在2025年至2027年之间" },
	{ { { "recommend_deadline", "2028-01-01T00:00" } }, "recommend_deadline",
	  "须在2025年至2027年之间" },
	/* quotas */
	{ { { "default_quota", "" } }, "default_quota", "请填写默认推荐名额" },
	{ { { "default_quota", "0" } }, "default_quota", "默认推荐名额须在1到200之间" },
	{ { { "default_quota", "201" } }, "default_quota", "默认推荐名额须在1到200之间" },
	{ { { "default_quota", "5.5" } }, "default_quota", "默认推荐名额须为整数" },
	{ { { "default_quota", "-5" } }, "default_quota", "默认推荐名额须在1到200之间" },
	{ { { "quota_230100", "201" } }, "quota_230100", "哈尔滨市推荐名额须在0到200之间" },
	{ { { "quota_230600", "-1" } }, "quota_230600", "大庆市推荐名额须在0到200之间" },
	{ { { "quota_232700", "abc" } }, "quota_232700", "大兴安岭地区推荐名额须为整数" },
	{ { { "quota_232700", "1e2" } }, "quota_232700", "须为整数" },
	/* the scheme */
	{ { { "max_1", "0" } }, "max_1", "评价要点1的满分须在1到100之间" },
	{ { { "max_10", "101" } }, "max_10", "评价要点10的满分须在1到100之间" },
	{ { { "max_3", "" } }, "max_3", "请填写评价要点3的满分" },
	{ { { "max_7", "ten" } }, "max_7", "评价要点7的满分须为整数" },
	{ { { "max_1", "11" } }, "", "各评价要点的满分合计须为100分，现为101分" },
	{ { { "max_1", "9" } }, "", "现为99分" },
	{ { { "max_1", "100" } }, "", "现为190分" },
	{ { { "max_1", "1" }, { "max_2", "1" }, { "max_3", "1" } }, "", "现为73分" },
	/* the score step */
	{ { { "score_step", "" } }, "score_step", "请填写评分精度" },
	{ { { "score_step", NULL } }, "score_step", "请填写评分精度" },
	{ { { "score_step", "Half" } }, "score_step", "评分精度须为“整数分”或“可打半分" },
	{ { { "score_step", "0.5" } }, "score_step", "请从列表中选择" },
	{ { { "score_step", "halves" } }, "score_step", "评分精度须为" },
	{ { { "score_step", "whole' OR '1'='1" } }, "score_step", "评分精度须为" },
	{ { { "score_step", "整数分" } }, "score_step", "评分精度须为" },
	{ { { "score_step", "\xff" } }, "score_step", "评分精度含有无效字符" },
	{ { { "score_step", "half\x01" } }, "score_step", "评分精度含有不允许的控制字符" },
};

START_TEST(full_bad)
{
	const struct bad_form *b = &bad_forms[_i];
	struct round_form rf;
	struct round r;
	const char *err;
	int errors;

	memset(&r, 0x5a, sizeof r);
	errors = check_full(b->changes, &rf, &r);
	err = error_of(&rf, b->field);
	ck_assert_msg(errors == 1, "case %d (%s): %d errors", _i, b->field, errors);
	ck_assert_msg(err != NULL, "case %d: no error on %s", _i, b->field);
	ck_assert_msg(strstr(err, b->msg), "case %d: \"%s\" lacks \"%s\"", _i, err, b->msg);
	ck_assert_int_eq(r.year, 0x5a5a5a5a); /* *out untouched on error */
	done(&rf);
}
END_TEST

START_TEST(full_several_errors)
{
	static const struct pair changes[MAX_CHANGES] = {
		{ "year", "1999" }, { "apply_open", "x" }, { "default_quota", "0" }, { "max_1", "0" },
	};
	struct round_form rf;
	struct round r;
	json_object *fj, *fo, *v;

	ck_assert_int_eq(check_full(changes, &rf, &r), 4);
	/* The input comes back as typed, with the reasons. */
	fj = form_json(&rf.form);
	ck_assert(json_object_object_get_ex(fj, "apply_open", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "x");
	ck_assert(json_object_object_get_ex(fo, "error", &v));
	ck_assert(json_object_object_get_ex(fj, "apply_close", &fo));
	ck_assert(!json_object_object_get_ex(fo, "error", &v));
	json_object_put(fj);
	done(&rf);
}
END_TEST

/* ---- the deadlines-only form ---- */

static struct round stored_round(void)
{
	struct round r;
	memset(&r, 0, sizeof r);
	r.id = 7;
	r.year = 2026;
	snprintf(r.title, sizeof r.title, "%s", "2026年度黑龙江省质量标杆遴选");
	r.apply_open = t_of("2026-03-01 09:00");
	r.apply_close = t_of("2026-05-31 17:00");
	r.recommend_deadline = t_of("2026-06-30 17:00");
	r.default_quota = 5;
	r.n_quota = 1;
	snprintf(r.quota[0].code, sizeof r.quota[0].code, "%s", "230100");
	r.quota[0].quota = 8;
	for (int i = 0; i < ROUND_POINTS; i++)
		r.max_points[i] = 10;
	r.score_step = SCORE_HALF; /* not the default: a copy that dropped it would show */
	return r;
}

static int check_deadlines(const char *close, const char *deadline, struct round_form *rf,
			   struct round *out)
{
	struct pair changes[MAX_CHANGES] = {
		{ "apply_close", close },
		{ "recommend_deadline", deadline },
		/* Fields of the full form are not part of this one: ignored. */
		{ "year", "2030" },
		{ "apply_open", "2026-01-01T00:00" },
	};
	struct round base = stored_round();
	make_request(&last_req, NULL, 0, changes);
	round_form_init(rf, cities, N(cities), true);
	return round_form_check(rf, &last_req, &base, out);
}

START_TEST(deadlines_good)
{
	struct round_form rf;
	struct round r, base = stored_round();

	ck_assert_int_eq(check_deadlines("2026-06-15T17:00", "2026-07-15T17:00", &rf, &r), 0);
	ck_assert_uint_eq(rf.form.n, 2);
	ck_assert_int_eq(r.apply_close, t_of("2026-06-15 17:00"));
	ck_assert_int_eq(r.recommend_deadline, t_of("2026-07-15 17:00"));
	/* Everything else is the stored round's. */
	ck_assert_int_eq(r.id, base.id);
	ck_assert_int_eq(r.year, base.year);
	ck_assert_int_eq(r.apply_open, base.apply_open);
	ck_assert_str_eq(r.title, base.title);
	ck_assert_uint_eq(r.n_quota, 1);
	ck_assert_int_eq(r.quota[0].quota, 8);
	ck_assert_int_eq(r.score_step, base.score_step);
	ck_assert(error_of(&rf, "apply_close") == NULL);
	for (size_t i = 0; i < rf.form.n; i++) /* the step is the scheme's: not in this form */
		ck_assert_str_ne(rf.spec[i].name, "score_step");
	done(&rf);

	/* Moving a deadline earlier is allowed too (it is audited). */
	ck_assert_int_eq(check_deadlines("2026-03-01T09:01", "2026-03-02T09:00", &rf, &r), 0);
	done(&rf);
}
END_TEST

static const struct {
	const char *close, *deadline, *field, *msg;
} bad_deadlines[] = {
	{ "", "2026-06-30T17:00", "apply_close", "请填写申报截止时间" },
	{ "2026-05-31T17:00", "", "recommend_deadline", "请填写市（地）推荐截止时间" },
	{ "2026-03-01T09:00", "2026-06-30T17:00", "apply_close", "须晚于申报开始时间（2026-03-01 09:00）" },
	{ "2026-02-01T09:00", "2026-06-30T17:00", "apply_close", "须晚于申报开始时间" },
	{ "2026-07-01T09:00", "2026-06-30T17:00", "recommend_deadline", "须晚于申报截止时间" },
	{ "2026-06-31T09:00", "2026-07-30T17:00", "apply_close", "有效的日期和时间" },
	{ "2026-05-31T17:00", "2028-06-30T17:00", "recommend_deadline", "须在2025年至2027年之间" },
	{ "2026-05-31T17:00", "tomorrow", "recommend_deadline", "有效的日期和时间" },
};

START_TEST(deadlines_bad)
{
	struct round_form rf;
	struct round r;
	const char *err;
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(check_deadlines(bad_deadlines[_i].close, bad_deadlines[_i].deadline, &rf, &r), 1);
	err = error_of(&rf, bad_deadlines[_i].field);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, bad_deadlines[_i].msg), "\"%s\" lacks \"%s\"", err,
		      bad_deadlines[_i].msg);
	ck_assert_int_eq(r.year, 0);
	done(&rf);
}
END_TEST

/* ---- a stored round shown for editing comes back unchanged ---- */

START_TEST(values_round_trip)
{
	struct round_form rf;
	struct round r = stored_round(), back;
	struct pair pairs[64];
	struct request req;
	static const struct pair none[MAX_CHANGES] = { { NULL, NULL } };
	json_object *fj;
	int n = 0;

	snprintf(r.quota[0].name, sizeof r.quota[0].name, "%s", "哈尔滨市");
	r.max_points[0] = 15;
	r.max_points[9] = 5;
	round_form_init(&rf, cities, N(cities), false);
	fj = round_form_values(&rf, &r);
	json_object_object_foreach(fj, key, val)
	{
		json_object *v;
		if (key[0] == '_')
			continue;
		ck_assert(json_object_object_get_ex(val, "value", &v));
		pairs[n].name = key;
		pairs[n].value = json_object_get_string(v);
		n++;
	}
	ck_assert_int_eq(n, 7 + ROUND_POINTS + N(cities));
	make_request(&req, pairs, n, none);
	ck_assert_int_eq(round_form_check(&rf, &req, NULL, &back), 0);
	fields_release(&req.form);
	json_object_put(fj);
	round_form_release(&rf);

	back.id = r.id;
	ck_assert_int_eq(back.year, r.year);
	ck_assert_str_eq(back.title, r.title);
	ck_assert_int_eq(back.apply_open, r.apply_open);
	ck_assert_int_eq(back.apply_close, r.apply_close);
	ck_assert_int_eq(back.recommend_deadline, r.recommend_deadline);
	ck_assert_int_eq(back.default_quota, r.default_quota);
	ck_assert_uint_eq(back.n_quota, 1);
	ck_assert_str_eq(back.quota[0].code, "230100");
	ck_assert_str_eq(back.quota[0].name, "哈尔滨市");
	ck_assert_int_eq(back.quota[0].quota, 8);
	ck_assert_mem_eq(back.max_points, r.max_points, sizeof r.max_points);
	ck_assert_int_eq(back.score_step, SCORE_HALF);
}
END_TEST

START_TEST(values_new_form)
{
	struct round_form rf;
	json_object *fj, *fo, *v;
	round_form_init(&rf, cities, N(cities), false);
	fj = round_form_values(&rf, NULL);
	ck_assert(json_object_object_get_ex(fj, "max_4", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "10");
	ck_assert(json_object_object_get_ex(fj, "apply_open", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "");
	ck_assert(json_object_object_get_ex(fj, "quota_232700", &fo));
	/* A new round's form suggests whole points. */
	ck_assert(json_object_object_get_ex(fj, "score_step", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "whole");
	json_object_put(fj);
	round_form_release(&rf);
}
END_TEST

/* A stored round's step is shown as its form value; the deadlines form has none. */
START_TEST(values_score_step)
{
	struct round_form rf;
	struct round r = stored_round();
	json_object *fj, *fo, *v;
	round_form_init(&rf, cities, N(cities), false);
	fj = round_form_values(&rf, &r);
	ck_assert(json_object_object_get_ex(fj, "score_step", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "half");
	json_object_put(fj);
	r.score_step = SCORE_WHOLE;
	fj = round_form_values(&rf, &r);
	ck_assert(json_object_object_get_ex(fj, "score_step", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	ck_assert_str_eq(json_object_get_string(v), "whole");
	json_object_put(fj);
	round_form_release(&rf);

	round_form_init(&rf, cities, N(cities), true);
	fj = round_form_values(&rf, &r);
	ck_assert(!json_object_object_get_ex(fj, "score_step", &fo));
	json_object_put(fj);
	round_form_release(&rf);
}
END_TEST

static const char *title_value(const struct round *r)
{
	static char out[ROUND_TITLE_MAX_CHARS * 4 + 1];
	struct round_form rf;
	json_object *fj, *fo, *v;
	round_form_init(&rf, cities, N(cities), false);
	fj = round_form_values(&rf, r);
	ck_assert(json_object_object_get_ex(fj, "title", &fo));
	ck_assert(json_object_object_get_ex(fo, "value", &v));
	snprintf(out, sizeof out, "%s", json_object_get_string(v));
	json_object_put(fj);
	round_form_release(&rf);
	return out;
}

/* The default title is shown blank so that it follows a change of year;
 * any other title is shown as it is. */
START_TEST(values_title)
{
	struct round r = stored_round();
	ck_assert_str_eq(title_value(&r), "");
	r.year = 2027;
	ck_assert_str_eq(title_value(&r), "2026年度黑龙江省质量标杆遴选");
	snprintf(r.title, sizeof r.title, "%s", "自定名称");
	ck_assert_str_eq(title_value(&r), "自定名称");
}
END_TEST

static Suite *rounds_suite(void)
{
	Suite *s = suite_create("rounds");
	TCase *tc = tcase_create("time");
	tcase_add_loop_test(tc, time_good, 0, N(good_times));
	tcase_add_loop_test(tc, time_bad, 0, N(bad_times));
	tcase_add_test(tc, time_order);
	tcase_add_test(tc, default_title);
	suite_add_tcase(s, tc);

	tc = tcase_create("scheme");
	tcase_add_test(tc, scheme_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("full_form");
	tcase_add_test(tc, full_base);
	tcase_add_test(tc, full_score_step);
	tcase_add_test(tc, rules_score_step);
	tcase_add_loop_test(tc, full_good, 0, N(good_forms));
	tcase_add_test(tc, full_values);
	tcase_add_loop_test(tc, full_bad, 0, N(bad_forms));
	tcase_add_test(tc, full_several_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("deadlines_form");
	tcase_add_test(tc, deadlines_good);
	tcase_add_loop_test(tc, deadlines_bad, 0, N(bad_deadlines));
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, values_round_trip);
	tcase_add_test(tc, values_new_form);
	tcase_add_test(tc, values_score_step);
	tcase_add_test(tc, values_title);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rounds_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
