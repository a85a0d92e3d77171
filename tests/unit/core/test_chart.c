/* Unit tests of chart: the funnel's bars (centred, proportional to the
 * first stage, a small stage still seen, zeros empty), the scale's round
 * tops, and the grouped bars' geometry (inside the plot, proportional to
 * the scale, one legend entry per series). */
#include <check.h>
#include <stdlib.h>

#include "core/chart.h"
#include "core/banned.h"

static long long get(json_object *o, const char *k)
{
	json_object *v = NULL;
	ck_assert_msg(json_object_object_get_ex(o, k, &v), "no %s", k);
	return json_object_get_int64(v);
}

static json_object *at(json_object *o, const char *k, size_t i)
{
	json_object *a = NULL;
	ck_assert(json_object_object_get_ex(o, k, &a));
	return json_object_array_get_idx(a, i);
}

START_TEST(funnel)
{
	static const char *const labels[] = { "申报", "推荐", "评审", "拟认定", "质量标杆" };
	static const long long values[] = { 200, 100, 1, 0, 250 };
	json_object *f = chart_funnel(labels, values, 5);
	ck_assert_int_eq(get(f, "width"), CHART_FUNNEL_WIDTH);
	ck_assert_int_eq(get(f, "height"), 5 * 26 - 4);
	json_object *s0 = at(f, "stages", 0), *s1 = at(f, "stages", 1), *s2 = at(f, "stages", 2);
	json_object *s3 = at(f, "stages", 3), *s4 = at(f, "stages", 4);
	ck_assert_int_eq(get(s0, "w"), 300);
	ck_assert_int_eq(get(s0, "x"), 10);
	ck_assert_int_eq(get(s1, "w"), 150);
	ck_assert_int_eq(get(s1, "x") * 2 + get(s1, "w"), CHART_FUNNEL_WIDTH); /* centred */
	ck_assert_int_eq(get(s2, "w"), 2);  /* 1.5 units: drawn as 2 */
	ck_assert_int_eq(get(s3, "w"), 0);
	ck_assert_int_eq(get(s4, "w"), 300); /* larger than the whole: full, not wider */
	ck_assert_int_eq(get(s1, "y"), 26);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(s4, "label")), "质量标杆");
	json_object_put(f);
	/* Nothing applied: every bar empty, no division by zero. */
	static const long long none[] = { 0, 0, 0, 0, 0 };
	f = chart_funnel(labels, none, 5);
	ck_assert_int_eq(get(at(f, "stages", 0), "w"), 0);
	json_object_put(f);
}
END_TEST

START_TEST(round_up)
{
	ck_assert_int_eq(chart_round_up(0), 1);
	ck_assert_int_eq(chart_round_up(1), 1);
	ck_assert_int_eq(chart_round_up(3), 5);
	ck_assert_int_eq(chart_round_up(7), 10);
	ck_assert_int_eq(chart_round_up(10), 10);
	ck_assert_int_eq(chart_round_up(11), 20);
	ck_assert_int_eq(chart_round_up(150), 200);
	ck_assert_int_eq(chart_round_up(201), 500);
}
END_TEST

START_TEST(bars)
{
	static const char *const years[] = { "2025年", "2026年" };
	static const char *const series[] = { "（一）", "（二）", "（三）" };
	static const long long values[] = { 10, 0, 5, 20, 1, 3 };
	json_object *b = chart_bars(years, 2, series, 3, values);
	long long y0 = get(b, "y0"), y1 = get(b, "y1"), x0 = get(b, "x0"), x1 = get(b, "x1");
	json_object *g0 = at(b, "groups", 0), *g1 = at(b, "groups", 1);
	json_object *tall = at(g1, "bars", 0), *zero = at(g0, "bars", 1), *half = at(g0, "bars", 0);
	ck_assert_int_eq(get(tall, "h"), y1 - y0); /* 20 is the top of the scale */
	ck_assert_int_eq(get(tall, "y"), y0);
	ck_assert_int_eq(get(half, "h"), (y1 - y0) / 2);
	ck_assert_int_eq(get(zero, "h"), 0);
	ck_assert_int_eq(get(at(g1, "bars", 1), "h"), (y1 - y0) / 20);
	for (size_t g = 0; g < 2; g++)
		for (size_t s = 0; s < 3; s++) {
			json_object *bar = at(g ? g1 : g0, "bars", s);
			ck_assert_int_ge(get(bar, "x"), x0);
			ck_assert_int_le(get(bar, "x") + get(bar, "w"), x1);
			ck_assert_int_eq(get(bar, "y") + get(bar, "h"), y1);
		}
	ck_assert_int_lt(get(at(g0, "bars", 2), "x"), get(at(g1, "bars", 0), "x")); /* groups in order */
	ck_assert_str_eq(json_object_get_string(json_object_object_get(at(b, "ticks", 2), "label")), "20");
	ck_assert_int_eq(json_object_array_length(json_object_object_get(b, "legend")), 3);
	json_object_put(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chart");
	TCase *tc = tcase_create("chart");
	SRunner *sr;
	int failed;
	tcase_add_test(tc, funnel);
	tcase_add_test(tc, round_up);
	tcase_add_test(tc, bars);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
