/* Unit tests for src/steps/recommend/recommend.c without a database: the
 * batch's state, the order a reorder form asks for, the sort keys. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "steps/recommend/recommend.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	bool submitted, before_deadline;
	long long activity;
	enum rec_batch_state want;
	const char *name;
} states[] = {
	{ false, true, 0, REC_BATCH_NOT_STARTED, "not_started" },
	{ false, true, 1, REC_BATCH_IN_PROGRESS, "in_progress" },
	{ false, false, 0, REC_BATCH_LATE, "late" },
	{ false, false, 5, REC_BATCH_LATE, "late" },
	{ true, true, 3, REC_BATCH_SUBMITTED, "submitted" },
	{ true, false, 3, REC_BATCH_SUBMITTED, "submitted" }, /* submitted in time stays so */
	{ true, true, 0, REC_BATCH_SUBMITTED, "submitted" },  /* an empty batch is a batch */
};

START_TEST(batch_state)
{
	enum rec_batch_state s =
		rec_batch_state(states[_i].submitted, states[_i].before_deadline, states[_i].activity);
	ck_assert_int_eq(s, states[_i].want);
	ck_assert_str_eq(rec_batch_state_name(s), states[_i].name);
	ck_assert(*rec_batch_state_label(s));
}
END_TEST

START_TEST(order_good)
{
	const long long ids[] = { 11, 22, 33, 44 }, ranks[] = { 3, 1, 4, 2 };
	long long out[4] = { 0 };
	ck_assert_int_eq(rec_order_from_ranks(ids, ranks, 4, out), 0);
	ck_assert(out[0] == 22 && out[1] == 44 && out[2] == 11 && out[3] == 33);
	ck_assert_int_eq(rec_order_from_ranks(ids, ranks, 0, out), 0);
	ck_assert_int_eq(rec_order_from_ranks(ids, (const long long[]){ 1 }, 1, out), 0);
	ck_assert(out[0] == 11);
}
END_TEST

static const long long bad_ranks[][3] = {
	{ 1, 1, 2 }, /* a rank twice */
	{ 0, 1, 2 }, /* below 1 */
	{ 1, 2, 4 }, /* beyond n */
	{ -1, 2, 3 },
	{ 3, 3, 3 },
	{ 1, 2, 1LL << 62 },
};

START_TEST(order_bad)
{
	const long long ids[] = { 1, 2, 3 };
	long long out[3];
	ck_assert_int_eq(rec_order_from_ranks(ids, bad_ranks[_i], 3, out), -1);
}
END_TEST

START_TEST(sort_keys)
{
	ck_assert_int_gt((int)rec_n_sort_keys, 10);
	for (size_t i = 0; i < rec_n_sort_keys; i++) {
		ck_assert_int_eq(rec_sort_parse(rec_sort_keys[i].name), (int)i);
		ck_assert(*rec_sort_keys[i].label);
		for (size_t k = i + 1; k < rec_n_sort_keys; k++)
			ck_assert_str_ne(rec_sort_keys[i].name, rec_sort_keys[k].name);
	}
	ck_assert_int_eq(rec_sort_parse("a.id; DROP TABLE x"), -1);
	ck_assert_int_eq(rec_sort_parse(""), -1);
	ck_assert_int_eq(rec_sort_parse(NULL), -1);
	ck_assert_int_eq(rec_sort_parse("Enterprise"), -1);
}
END_TEST

static Suite *recommend_suite(void)
{
	Suite *s = suite_create("recommend");
	TCase *tc = tcase_create("pure");
	tcase_add_loop_test(tc, batch_state, 0, N(states));
	tcase_add_test(tc, order_good);
	tcase_add_loop_test(tc, order_bad, 0, N(bad_ranks));
	tcase_add_test(tc, sort_keys);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(recommend_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
