/* Unit tests of src/rules/scoring: a score typed against the scheme, and
 * the panel's figures with the divergence flag at, below and above its
 * threshold. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rules/scoring.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct parse_case {
	const char *text;
	int max;
	enum score_step step;
	enum score_status status;
	int halves;
};

static const struct parse_case parses[] = {
	{ "0", 10, SCORE_WHOLE, SCORE_OK, 0 },
	{ "10", 10, SCORE_WHOLE, SCORE_OK, 20 },
	{ "7", 10, SCORE_WHOLE, SCORE_OK, 14 },
	{ "07", 10, SCORE_WHOLE, SCORE_OK, 14 },
	{ "7.0", 10, SCORE_WHOLE, SCORE_OK, 14 },
	{ "7.00", 10, SCORE_WHOLE, SCORE_OK, 14 },
	{ "7.5", 10, SCORE_WHOLE, SCORE_E_PRECISION, -1 },
	{ "7.5", 10, SCORE_HALF, SCORE_OK, 15 },
	{ "7.50", 10, SCORE_HALF, SCORE_OK, 15 },
	{ "0.5", 10, SCORE_HALF, SCORE_OK, 1 },
	{ "9.5", 10, SCORE_HALF, SCORE_OK, 19 },
	{ "10.0", 10, SCORE_HALF, SCORE_OK, 20 },
	{ "10.5", 10, SCORE_HALF, SCORE_E_RANGE, -1 },
	{ "11", 10, SCORE_WHOLE, SCORE_E_RANGE, -1 },
	{ "11", 11, SCORE_WHOLE, SCORE_OK, 22 },
	{ "12", 11, SCORE_WHOLE, SCORE_E_RANGE, -1 },
	{ "99999999999999999999", 10, SCORE_WHOLE, SCORE_E_RANGE, -1 },
	{ "-1", 10, SCORE_WHOLE, SCORE_E_RANGE, -1 },
	{ "-0.5", 10, SCORE_HALF, SCORE_E_RANGE, -1 },
	{ "-", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "-x", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "-1.", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "+1", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "7.25", 10, SCORE_HALF, SCORE_E_PRECISION, -1 },
	{ "7.3", 10, SCORE_HALF, SCORE_E_PRECISION, -1 },
	{ "7.05", 10, SCORE_HALF, SCORE_E_PRECISION, -1 },
	{ "7.55", 10, SCORE_HALF, SCORE_E_PRECISION, -1 },
	{ "", 10, SCORE_WHOLE, SCORE_E_EMPTY, -1 },
	{ ".5", 10, SCORE_HALF, SCORE_E_FORMAT, -1 },
	{ "7.", 10, SCORE_HALF, SCORE_E_FORMAT, -1 },
	{ "7,5", 10, SCORE_HALF, SCORE_E_FORMAT, -1 },
	{ "7 ", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "1e1", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "0x5", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "七", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 },
	{ "\xef\xbc\x97", 10, SCORE_WHOLE, SCORE_E_FORMAT, -1 }, /* a full-width 7 */
	{ "7.5.5", 10, SCORE_HALF, SCORE_E_FORMAT, -1 },
};

START_TEST(parse)
{
	const struct parse_case *t = &parses[_i];
	int halves = -1;
	ck_assert_msg(score_parse(t->text, t->max, t->step, &halves) == t->status,
		      "\"%s\" (max %d, %s)", t->text, t->max, score_step_name(t->step));
	ck_assert_int_eq(halves, t->halves);
}
END_TEST

/* Every value a half-point scheme allows round-trips through its text, and
 * a whole-point scheme refuses exactly the halves. */
START_TEST(every_value_round_trips)
{
	char text[SCORE_TEXT_MAX];
	for (int max = 1; max <= 100; max++)
		for (int h = 0; h <= 2 * max; h++) {
			int got = -1;
			score_format(h, text);
			ck_assert_int_eq(score_parse(text, max, SCORE_HALF, &got), SCORE_OK);
			ck_assert_int_eq(got, h);
			got = -1;
			ck_assert_int_eq(score_parse(text, max, SCORE_WHOLE, &got),
					 h % 2 ? SCORE_E_PRECISION : SCORE_OK);
			ck_assert_int_eq(got, h % 2 ? -1 : h);
		}
}
END_TEST

START_TEST(format)
{
	char t[SCORE_TEXT_MAX];
	ck_assert_str_eq(score_format(0, t), "0");
	ck_assert_str_eq(score_format(1, t), "0.5");
	ck_assert_str_eq(score_format(15, t), "7.5");
	ck_assert_str_eq(score_format(200, t), "100");
	ck_assert_str_eq(score_format_mean(15.0, t), "7.5");
	ck_assert_str_eq(score_format_mean(14.0 + 2.0 / 3.0, t), "7.3");
	ck_assert_str_eq(score_format_mean(14.5, t), "7.3"); /* 7.25 rounds up */
	ck_assert_str_eq(score_format_mean(14.88, t), "7.4");
	ck_assert_str_eq(score_format_mean(0.0, t), "0.0");
	ck_assert_str_eq(score_format_mean(200.0, t), "100.0");
}
END_TEST

START_TEST(steps)
{
	ck_assert_int_eq(score_step_parse("half"), SCORE_HALF);
	ck_assert_int_eq(score_step_parse("whole"), SCORE_WHOLE);
	ck_assert_int_eq(score_step_parse("Half"), SCORE_WHOLE);
	ck_assert_int_eq(score_step_parse(NULL), SCORE_WHOLE);
	ck_assert_str_eq(score_step_name(SCORE_HALF), "half");
	ck_assert_str_eq(score_step_name(SCORE_WHOLE), "whole");
	ck_assert_ptr_nonnull(strstr(score_step_label(SCORE_HALF), "半分"));
	ck_assert_str_eq(score_step_label(SCORE_WHOLE), "整数分");
}
END_TEST

/* Each refusal names its field and says what is allowed. */
START_TEST(messages)
{
	char m[256];
	score_message(SCORE_E_EMPTY, "第3项", 10, SCORE_WHOLE, m, sizeof m);
	ck_assert_str_eq(m, "请填写第3项（0到10分，只能打整数分）。");
	score_message(SCORE_E_FORMAT, "第3项", 12, SCORE_HALF, m, sizeof m);
	ck_assert_str_eq(m, "第3项须填写数字（0到12分，可打半分（如 7.5）），请用半角数字输入。");
	score_message(SCORE_E_RANGE, "第1项", 8, SCORE_WHOLE, m, sizeof m);
	ck_assert_str_eq(m, "第1项须在0到8分之间。");
	score_message(SCORE_E_PRECISION, "第2项", 10, SCORE_WHOLE, m, sizeof m);
	ck_assert_str_eq(m, "第2项只能打整数分。");
	score_message(SCORE_E_PRECISION, "第2项", 10, SCORE_HALF, m, sizeof m);
	ck_assert_str_eq(m, "第2项只能打整数分或半分（如 7 或 7.5）。");
	m[0] = 'x';
	score_message(SCORE_OK, "第2项", 10, SCORE_HALF, m, sizeof m);
	ck_assert_str_eq(m, "");
	char small[4];
	score_message(SCORE_E_RANGE, "第1项", 8, SCORE_WHOLE, small, sizeof small);
	ck_assert_uint_lt(strlen(small), sizeof small);
}
END_TEST

START_TEST(stats_figures)
{
	static const int odd[] = { 16, 12, 18, 14, 20 };  /* 8 6 9 7 10 */
	static const int even[] = { 14, 11, 20, 15 };     /* 7 5.5 10 7.5 */
	struct score_stats s;

	score_stats(odd, N(odd), 10, 30, &s);
	ck_assert_uint_eq(s.n, 5);
	ck_assert_int_eq(s.min, 12);
	ck_assert_int_eq(s.max, 20);
	ck_assert_int_eq(s.spread, 8);
	ck_assert_double_eq_tol(s.mean, 16.0, 1e-9);
	ck_assert_double_eq_tol(s.median, 16.0, 1e-9);
	ck_assert(s.divergent); /* 4 points of 10 > 30 % */

	score_stats(even, N(even), 10, 50, &s);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_int_eq(s.min, 11);
	ck_assert_int_eq(s.max, 20);
	ck_assert_int_eq(s.spread, 9);
	ck_assert_double_eq_tol(s.mean, 15.0, 1e-9);
	ck_assert_double_eq_tol(s.median, 14.5, 1e-9);
	ck_assert(!s.divergent); /* 4.5 points of 10 is not above 50 % */

	score_stats(odd, 0, 10, 30, &s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(!s.divergent);
	ck_assert_double_eq(s.mean, 0.0);

	static const int one[] = { 7 };
	score_stats(one, 1, 10, 1, &s);
	ck_assert_int_eq(s.min, 7);
	ck_assert_int_eq(s.max, 7);
	ck_assert_double_eq_tol(s.median, 7.0, 1e-9);
	ck_assert(!s.divergent);
}
END_TEST

/* The flag at, just below and just above the threshold: with a maximum of
 * 10 (20 halves) and 30 %, a spread of 6 halves (3 points) is not above,
 * 7 halves is. */
START_TEST(divergence_threshold)
{
	struct score_stats s;
	int at[] = { 10, 16 }, below[] = { 10, 15 }, above[] = { 10, 17 };
	score_stats(at, 2, 10, 30, &s);
	ck_assert(!s.divergent);
	score_stats(below, 2, 10, 30, &s);
	ck_assert(!s.divergent);
	score_stats(above, 2, 10, 30, &s);
	ck_assert(s.divergent);
	/* the maximum counts: the same spread is within 30 % of 12 points */
	score_stats(above, 2, 12, 30, &s);
	ck_assert(!s.divergent);
	/* 100 %: never divergent; the spread cannot exceed the maximum */
	int full[] = { 0, 20 };
	score_stats(full, 2, 10, 100, &s);
	ck_assert(!s.divergent);
	score_stats(full, 2, 10, 99, &s);
	ck_assert(s.divergent);
}
END_TEST

/* Order does not matter, and more than SCORE_STATS_MAX are cut, not overrun. */
START_TEST(stats_order_and_cap)
{
	int many[SCORE_STATS_MAX + 5];
	struct score_stats a, b;
	for (size_t i = 0; i < N(many); i++)
		many[i] = (int)((i * 5) % 21);
	score_stats(many, N(many), 10, 30, &a);
	ck_assert_uint_eq(a.n, SCORE_STATS_MAX);
	int rev[SCORE_STATS_MAX];
	for (size_t i = 0; i < SCORE_STATS_MAX; i++)
		rev[i] = many[SCORE_STATS_MAX - 1 - i];
	score_stats(rev, SCORE_STATS_MAX, 10, 30, &b);
	ck_assert_int_eq(a.min, b.min);
	ck_assert_int_eq(a.max, b.max);
	ck_assert_double_eq_tol(a.mean, b.mean, 1e-9);
	ck_assert_double_eq_tol(a.median, b.median, 1e-9);
	ck_assert_int_eq(a.min, 0);
	ck_assert_int_eq(a.max, 20);
}
END_TEST

static Suite *scoring_suite(void)
{
	Suite *s = suite_create("scoring");
	TCase *tc = tcase_create("scoring");
	tcase_add_loop_test(tc, parse, 0, N(parses));
	tcase_add_test(tc, every_value_round_trips);
	tcase_add_test(tc, format);
	tcase_add_test(tc, steps);
	tcase_add_test(tc, messages);
	tcase_add_test(tc, stats_figures);
	tcase_add_test(tc, divergence_threshold);
	tcase_add_test(tc, stats_order_and_cap);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scoring_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
