/* Unit tests for the pure part of src/core/pubguard.c: the question tokens
 * of the public forms (made, answered, refused). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/pubguard.h"
#include "core/banned.h"

static unsigned char key[PG_KEY_BYTES], other[PG_KEY_BYTES];
static const unsigned char nonce[PG_NONCE_BYTES] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	memset(key, 7, sizeof key);
	memset(other, 8, sizeof other);
}

START_TEST(right_answer)
{
	struct pg_question q;
	char n[2 * PG_NONCE_BYTES + 1];
	pg_question_make(key, nonce, 3, 5, 1000, &q);
	ck_assert_str_eq(q.text, "三加五等于几？");
	ck_assert_int_eq(pg_question_check(key, q.token, "8", 999, n), PG_OK);
	ck_assert_str_eq(n, "0102030405060708090a0b0c0d0e0f10");
	ck_assert_int_eq(pg_question_check(key, q.token, " 8 ", 1000, n), PG_OK);
	ck_assert_int_eq(pg_question_check(key, q.token, "\xef\xbc\x98", 1000, n), PG_OK); /* ８ */
	ck_assert_int_eq(pg_question_check(key, q.token, "08", 1000, n), PG_OK);
}
END_TEST

START_TEST(wrong_expired_malformed)
{
	struct pg_question q;
	char n[2 * PG_NONCE_BYTES + 1];
	pg_question_make(key, nonce, 9, 9, 1000, &q);
	ck_assert_int_eq(pg_question_check(key, q.token, "17", 10, n), PG_WRONG);
	ck_assert_int_eq(pg_question_check(other, q.token, "18", 10, n), PG_WRONG);
	ck_assert_int_eq(pg_question_check(key, q.token, "18", 1001, n), PG_EXPIRED);
	ck_assert_int_eq(pg_question_check(key, q.token, "", 10, n), PG_MALFORMED);
	ck_assert_int_eq(pg_question_check(key, q.token, "十八", 10, n), PG_MALFORMED);
	ck_assert_int_eq(pg_question_check(key, q.token, "18x", 10, n), PG_MALFORMED);
	ck_assert_int_eq(pg_question_check(key, q.token, "12345", 10, n), PG_MALFORMED);
	ck_assert_int_eq(pg_question_check(key, q.token, NULL, 10, n), PG_MALFORMED);
	ck_assert_int_eq(pg_question_check(key, NULL, "18", 10, n), PG_MALFORMED);
	ck_assert_int_eq(pg_question_check(key, "", "18", 10, n), PG_MALFORMED);
	/* a later expiry written into the token breaks its MAC */
	char forged[PG_TOKEN_MAX + 2];
	snprintf(forged, sizeof forged, "9%s", q.token);
	ck_assert_int_eq(pg_question_check(key, forged, "18", 10, n), PG_WRONG);
	/* one character changed, cut short, made longer */
	snprintf(forged, sizeof forged, "%s", q.token);
	forged[strlen(forged) - 1] = forged[strlen(forged) - 1] == '0' ? '1' : '0';
	ck_assert_int_eq(pg_question_check(key, forged, "18", 10, n), PG_WRONG);
	forged[strlen(forged) - 1] = '\0';
	ck_assert_int_eq(pg_question_check(key, forged, "18", 10, n), PG_MALFORMED);
	snprintf(forged, sizeof forged, "%sa", q.token);
	ck_assert_int_eq(pg_question_check(key, forged, "18", 10, n), PG_MALFORMED);
	ck_assert_int_eq(pg_question_check(key, "1000.zz.yy", "18", 10, n), PG_MALFORMED);
}
END_TEST

START_TEST(messages)
{
	ck_assert_ptr_null(pg_verdict_message(PG_OK));
	for (int v = PG_MALFORMED; v <= PG_USED; v++)
		ck_assert_ptr_nonnull(pg_verdict_message((enum pg_verdict)v));
}
END_TEST

static Suite *pubguard_suite(void)
{
	Suite *s = suite_create("pubguard");
	TCase *tc = tcase_create("question");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, right_answer);
	tcase_add_test(tc, wrong_expired_malformed);
	tcase_add_test(tc, messages);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pubguard_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
