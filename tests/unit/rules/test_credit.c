/* Unit tests for src/rules/credit.c: when a credit check counts, and the
 * verdict of the two checks together (article 12). */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil_date.h"
#include "rules/credit.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TODAY 20000 /* any day */

static const struct {
	enum credit_result result;
	int age; /* days before TODAY; negative: after */
	int max_age;
	enum credit_verdict want;
} ones[] = {
	{ CREDIT_CLEAR, 0, 30, CREDIT_OK },
	{ CREDIT_CLEAR, 30, 30, CREDIT_OK },     /* the last day it counts */
	{ CREDIT_CLEAR, 31, 30, CREDIT_STALE },
	{ CREDIT_CLEAR, 1, 1, CREDIT_OK },
	{ CREDIT_CLEAR, 2, 1, CREDIT_STALE },
	{ CREDIT_CLEAR, 365, 365, CREDIT_OK },
	{ CREDIT_CLEAR, -1, 30, CREDIT_FUTURE },
	{ CREDIT_LISTED, 0, 30, CREDIT_FAILED },
	{ CREDIT_LISTED, 400, 30, CREDIT_FAILED }, /* listed is listed, however old */
	{ CREDIT_NOT_CHECKED, 0, 30, CREDIT_MISSING },
};

START_TEST(one_check)
{
	struct credit_check c = { ones[_i].result, TODAY - ones[_i].age };
	ck_assert_int_eq(credit_judge(&c, TODAY, ones[_i].max_age), ones[_i].want);
}
END_TEST

START_TEST(extreme_dates)
{
	struct credit_check c = { CREDIT_CLEAR, CIVIL_DAY_MIN };
	ck_assert_int_eq(credit_judge(&c, CIVIL_DAY_MAX, CREDIT_MAX_AGE_MAX), CREDIT_STALE);
	c.checked_on = CIVIL_DAY_MAX;
	ck_assert_int_eq(credit_judge(&c, CIVIL_DAY_MIN, CREDIT_MAX_AGE_MAX), CREDIT_FUTURE);
}
END_TEST

static const struct {
	enum credit_result r0;
	int a0;
	enum credit_result r1;
	int a1;
	enum credit_verdict want;
	enum credit_kind which;
} pairs[] = {
	{ CREDIT_CLEAR, 0, CREDIT_CLEAR, 0, CREDIT_OK, CREDIT_DISHONEST },
	{ CREDIT_CLEAR, 0, CREDIT_NOT_CHECKED, 0, CREDIT_MISSING, CREDIT_SERIOUS_VIOLATION },
	{ CREDIT_NOT_CHECKED, 0, CREDIT_CLEAR, 0, CREDIT_MISSING, CREDIT_DISHONEST },
	{ CREDIT_CLEAR, 40, CREDIT_LISTED, 0, CREDIT_FAILED, CREDIT_SERIOUS_VIOLATION },
	{ CREDIT_NOT_CHECKED, 0, CREDIT_LISTED, 0, CREDIT_FAILED, CREDIT_SERIOUS_VIOLATION },
	{ CREDIT_CLEAR, 40, CREDIT_NOT_CHECKED, 0, CREDIT_MISSING, CREDIT_SERIOUS_VIOLATION },
	{ CREDIT_CLEAR, 40, CREDIT_CLEAR, 0, CREDIT_STALE, CREDIT_DISHONEST },
	{ CREDIT_CLEAR, -3, CREDIT_CLEAR, 40, CREDIT_FUTURE, CREDIT_DISHONEST },
	{ CREDIT_LISTED, 0, CREDIT_LISTED, 0, CREDIT_FAILED, CREDIT_DISHONEST },
};

START_TEST(both_checks)
{
	struct credit_check c[CREDIT_KINDS] = { { pairs[_i].r0, TODAY - pairs[_i].a0 },
						{ pairs[_i].r1, TODAY - pairs[_i].a1 } };
	enum credit_kind which = CREDIT_KINDS;
	ck_assert_int_eq(credit_judge_all(c, TODAY, 30, &which), pairs[_i].want);
	if (pairs[_i].want != CREDIT_OK)
		ck_assert_int_eq(which, pairs[_i].which);
	else
		ck_assert_int_eq(which, CREDIT_KINDS); /* untouched */
	ck_assert_int_eq(credit_judge_all(c, TODAY, 30, NULL), pairs[_i].want);
}
END_TEST

START_TEST(names_and_labels)
{
	for (int k = 0; k < CREDIT_KINDS; k++) {
		ck_assert_int_eq(credit_kind_parse(credit_kind_name((enum credit_kind)k)), k);
		ck_assert(*credit_kind_label((enum credit_kind)k));
	}
	ck_assert_int_eq(credit_kind_parse("dishonest"), -1);
	ck_assert_int_eq(credit_kind_parse(NULL), -1);
	ck_assert_int_eq(credit_result_parse("clear"), CREDIT_CLEAR);
	ck_assert_int_eq(credit_result_parse("listed"), CREDIT_LISTED);
	ck_assert_int_eq(credit_result_parse("Listed"), CREDIT_NOT_CHECKED);
	ck_assert_int_eq(credit_result_parse(NULL), CREDIT_NOT_CHECKED);
	ck_assert_ptr_null(credit_result_name(CREDIT_NOT_CHECKED));
	ck_assert_str_eq(credit_result_label(CREDIT_LISTED), "已列入");
	ck_assert_str_eq(credit_kind_label(CREDIT_SERIOUS_VIOLATION), "严重违法失信名单");
	for (int v = CREDIT_OK; v <= CREDIT_FUTURE; v++)
		ck_assert(*credit_verdict_label((enum credit_verdict)v));
}
END_TEST

/* A value outside its enum is a caller's bug: each function aborts rather
 * than read past its table, at the enum's end and below its start. */
START_TEST(outside_the_enums_aborts)
{
	struct credit_check c = { (enum credit_result)(CREDIT_LISTED + 1), TODAY };
	switch (_i) {
	case 0:
		credit_kind_name(CREDIT_KINDS);
		break;
	case 1:
		credit_kind_name((enum credit_kind)-1);
		break;
	case 2:
		credit_kind_label(CREDIT_KINDS);
		break;
	case 3:
		credit_kind_label((enum credit_kind)-1);
		break;
	case 4:
		credit_verdict_label((enum credit_verdict)(CREDIT_FUTURE + 1));
		break;
	case 5:
		credit_judge(&c, TODAY, 30);
		break;
	}
}
END_TEST

static Suite *credit_suite(void)
{
	Suite *s = suite_create("credit");
	TCase *tc = tcase_create("judge");
	tcase_add_loop_test(tc, one_check, 0, N(ones));
	tcase_add_test(tc, extreme_dates);
	tcase_add_loop_test(tc, both_checks, 0, N(pairs));
	tcase_add_test(tc, names_and_labels);
	tcase_add_loop_test_raise_signal(tc, outside_the_enums_aborts, SIGABRT, 0, 6);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(credit_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
