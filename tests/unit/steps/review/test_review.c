/* Unit tests of src/steps/review/review.c's pure parts: the two tables of
 * arrows (every pair of state and action, allowed or not, against the
 * header's table) and the names and labels of the states. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "steps/review/review.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* review.h's table, written out again: from, action, to. */
static const struct {
	enum review_item_state from;
	enum review_item_action action;
	enum review_item_state to;
} items[] = {
	{ RI_SCORING, RIA_SCORE, RI_SCORING },
	{ RI_SCORING, RIA_REVISE, RI_SCORING },
	{ RI_CONCLUDED, RIA_REVISE, RI_SCORING },
	{ RI_SCORING, RIA_CONCLUDE, RI_CONCLUDED },
	{ RI_CONCLUDED, RIA_CONCLUDE, RI_CONCLUDED },
	{ RI_CONCLUDED, RIA_ANSWER, RI_CONCLUDED },
	{ RI_CONCLUDED, RIA_LOCK, RI_LOCKED },
	{ RI_LOCKED, RIA_REOPEN, RI_SCORING },
};

static const struct {
	enum review_sheet_state from;
	enum review_sheet_action action;
	enum review_sheet_state to;
} sheets[] = {
	{ RS_NONE, RSA_SAVE, RS_DRAFT },
	{ RS_DRAFT, RSA_SAVE, RS_DRAFT },
	{ RS_REVISE, RSA_SAVE, RS_REVISE },
	{ RS_NONE, RSA_SUBMIT, RS_SUBMITTED },
	{ RS_DRAFT, RSA_SUBMIT, RS_SUBMITTED },
	{ RS_REVISE, RSA_SUBMIT, RS_SUBMITTED },
	{ RS_SUBMITTED, RSA_REVISE, RS_REVISE },
};

/* Every (state, action): allowed exactly when the table has it, to its state. */
START_TEST(item_arrows)
{
	for (int f = 0; f < RI_STATES; f++)
		for (int a = 0; a < RIA_ACTIONS; a++) {
			int want = -1;
			for (int i = 0; i < N(items); i++)
				if ((int)items[i].from == f && (int)items[i].action == a)
					want = (int)items[i].to;
			enum review_item_state to = RI_STATES;
			bool ok = review_item_next((enum review_item_state)f, (enum review_item_action)a, &to);
			ck_assert_msg(ok == (want >= 0), "item state %d action %d", f, a);
			ck_assert_int_eq(ok ? (int)to : -1, want);
			ck_assert(review_item_next((enum review_item_state)f, (enum review_item_action)a, NULL) == ok);
		}
	/* Nothing leaves a locked item but the reopening; nothing starts outside the states. */
	ck_assert(!review_item_next(RI_LOCKED, RIA_SCORE, NULL));
	ck_assert(!review_item_next(RI_LOCKED, RIA_ANSWER, NULL));
	ck_assert(!review_item_next(RI_STATES, RIA_SCORE, NULL));
}
END_TEST

START_TEST(sheet_arrows)
{
	for (int f = 0; f < RS_STATES; f++)
		for (int a = 0; a < RSA_ACTIONS; a++) {
			int want = -1;
			for (int i = 0; i < N(sheets); i++)
				if ((int)sheets[i].from == f && (int)sheets[i].action == a)
					want = (int)sheets[i].to;
			enum review_sheet_state to = RS_STATES;
			bool ok = review_sheet_next((enum review_sheet_state)f, (enum review_sheet_action)a, &to);
			ck_assert_msg(ok == (want >= 0), "sheet state %d action %d", f, a);
			ck_assert_int_eq(ok ? (int)to : -1, want);
		}
	/* A submitted sheet changes only by the chair's request. */
	ck_assert(!review_sheet_next(RS_SUBMITTED, RSA_SAVE, NULL));
	ck_assert(!review_sheet_next(RS_SUBMITTED, RSA_SUBMIT, NULL));
	ck_assert(!review_sheet_next(RS_DRAFT, RSA_REVISE, NULL));
}
END_TEST

START_TEST(names_and_labels)
{
	static const char *const item_names[] = { "scoring", "concluded", "locked" };
	for (int s = 0; s < RI_STATES; s++) {
		ck_assert_str_eq(review_item_state_name((enum review_item_state)s), item_names[s]);
		ck_assert_int_eq(review_item_state_parse(item_names[s]), s);
		ck_assert(*review_item_state_label((enum review_item_state)s));
	}
	ck_assert_int_eq(review_item_state_parse("Locked"), RI_STATES);
	ck_assert_int_eq(review_item_state_parse(NULL), RI_STATES);
	ck_assert_str_eq(review_item_state_name(RI_STATES), "");
	ck_assert_str_eq(review_item_state_label(RI_LOCKED), "结论已锁定");

	static const char *const sheet_names[] = { NULL, "draft", "submitted", "revise" };
	for (int s = 1; s < RS_STATES; s++) {
		ck_assert_str_eq(review_sheet_state_name((enum review_sheet_state)s), sheet_names[s]);
		ck_assert_int_eq(review_sheet_state_parse(sheet_names[s]), s);
	}
	ck_assert_ptr_null(review_sheet_state_name(RS_NONE));
	ck_assert_int_eq(review_sheet_state_parse(NULL), RS_NONE);
	ck_assert_int_eq(review_sheet_state_parse(""), RS_NONE);
	ck_assert_int_eq(review_sheet_state_parse("Draft"), RS_NONE);
	ck_assert_str_eq(review_sheet_state_label(RS_NONE), "未评分");
	ck_assert_str_eq(review_sheet_state_label(RS_SUBMITTED), "已提交");
	ck_assert_str_eq(review_sheet_state_label(RS_STATES), "");

	ck_assert_str_eq(review_conflict_name(RC_NONE), "none");
	ck_assert_str_eq(review_conflict_name(RC_SOME), "some");
	ck_assert_str_eq(review_conflict_name(RC_SESSION), "session");
}
END_TEST

static Suite *review_suite(void)
{
	Suite *s = suite_create("review");
	TCase *tc = tcase_create("tables");
	tcase_add_test(tc, item_arrows);
	tcase_add_test(tc, sheet_arrows);
	tcase_add_test(tc, names_and_labels);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(review_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
