/* Unit tests for src/rules/numbers.c: certificate numbers and objection
 * tracking numbers, as written and as typed back by the public. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rules/numbers.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

START_TEST(cert_format)
{
	char out[CERT_NO_MAX + 1];
	ck_assert_int_eq(cert_no_format(2026, 1, out), 0);
	ck_assert_str_eq(out, "HLJZLBG-2026-001");
	ck_assert_int_eq(cert_no_format(2026, 999, out), 0);
	ck_assert_str_eq(out, "HLJZLBG-2026-999");
	ck_assert_int_eq(cert_no_format(2027, 1000, out), 0);
	ck_assert_str_eq(out, "HLJZLBG-2027-1000");
	ck_assert_int_eq(cert_no_format(2026, 0, out), -1);
	ck_assert_int_eq(cert_no_format(1999, 1, out), -1);
	ck_assert_int_eq(cert_no_format(2026, 100000, out), -1);
}
END_TEST

static const struct {
	const char *in, *want; /* want NULL: refused */
} certs[] = {
	{ "HLJZLBG-2026-001", "HLJZLBG-2026-001" },
	{ "  hljzlbg-2026-001\n", "HLJZLBG-2026-001" },
	{ "HLJZLBG-2026-1", "HLJZLBG-2026-001" },
	{ "HLJZLBG-2026-0001", "HLJZLBG-2026-001" },
	{ "HLJZLBG-2026-12345", "HLJZLBG-2026-12345" },
	{ "HLJZLBG-2026-000", NULL },
	{ "HLJZLBG-2026-123456", NULL },
	{ "HLJZLBG-26-001", NULL },
	{ "HLJZLBG2026-001", NULL },
	{ "HLJZLBG-2026-00a", NULL },
	{ "HLJZLBG-2026-", NULL },
	{ "XLJZLBG-2026-001", NULL },
	{ "HLJZLBG-2026-001 x", NULL },
	{ "HLJZLBG-2026--01", NULL },
	{ "", NULL },
	{ "HLJZLBG-1999-001", NULL },
};

START_TEST(cert_parse)
{
	char out[CERT_NO_MAX + 1];
	int year = 0, seq = 0;
	int rc = cert_no_parse(certs[_i].in, out, &year, &seq);
	if (!certs[_i].want) {
		ck_assert_msg(rc == -1, "%s accepted", certs[_i].in);
		return;
	}
	ck_assert_msg(rc == 0, "%s refused", certs[_i].in);
	ck_assert_str_eq(out, certs[_i].want);
	ck_assert_int_eq(year, 2026);
	ck_assert_int_ge(seq, 1);
}
END_TEST

START_TEST(cert_null)
{
	char out[CERT_NO_MAX + 1];
	ck_assert_int_eq(cert_no_parse(NULL, out, NULL, NULL), -1);
}
END_TEST

START_TEST(tracking_round_trip)
{
	static const unsigned char zero[TRACKING_RANDOM_BYTES] = { 0 };
	static const unsigned char ones[TRACKING_RANDOM_BYTES] = { 255, 255, 255, 255, 255 };
	static const unsigned char some[TRACKING_RANDOM_BYTES] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	char out[TRACKING_NO_LEN + 1], back[TRACKING_NO_LEN + 1];
	tracking_no_format(2026, zero, out);
	ck_assert_str_eq(out, "2026-0000-0000");
	tracking_no_format(2026, ones, out);
	ck_assert_str_eq(out, "2026-ZZZZ-ZZZZ");
	tracking_no_format(2026, some, out);
	ck_assert_int_eq((int)strlen(out), TRACKING_NO_LEN);
	ck_assert_int_eq(tracking_no_parse(out, back), 0);
	ck_assert_str_eq(back, out);
	/* 0x12345678 9a = 00010 01000 11010 00101 01100 11110 00100 11010 */
	ck_assert_str_eq(out, "2026-28T5-CY4T");
}
END_TEST

static const struct {
	const char *in, *want;
} typed[] = {
	{ "2026-28T5-CY4T", "2026-28T5-CY4T" },
	{ " 2026-28t5-cy4t ", "2026-28T5-CY4T" },
	{ "202628T5CY4T", "2026-28T5-CY4T" },
	{ "2026 28T5 CY4T", "2026-28T5-CY4T" },
	{ "2026-OOIL-0000", "2026-0011-0000" },
	{ "2026-28T5-CY4U", NULL }, /* U is not a digit */
	{ "2026-28T5-CY4", NULL },
	{ "2026-28T5-CY4TT", NULL },
	{ "26-28T5-CY4T", NULL },
	{ "0026-28T5-CY4T", NULL },
	{ "2026-28T5-CY4T;", NULL },
	{ "", NULL },
	{ "2026-\xe4\xb8\x80-28T5CY4T", NULL },
};

START_TEST(tracking_parse)
{
	char out[TRACKING_NO_LEN + 1];
	int rc = tracking_no_parse(typed[_i].in, out);
	if (!typed[_i].want) {
		ck_assert_msg(rc == -1, "%s accepted", typed[_i].in);
		return;
	}
	ck_assert_msg(rc == 0, "%s refused", typed[_i].in);
	ck_assert_str_eq(out, typed[_i].want);
}
END_TEST

START_TEST(tracking_null)
{
	char out[TRACKING_NO_LEN + 1];
	ck_assert_int_eq(tracking_no_parse(NULL, out), -1);
}
END_TEST

static Suite *numbers_suite(void)
{
	Suite *s = suite_create("numbers");
	TCase *tc = tcase_create("numbers");
	tcase_add_test(tc, cert_format);
	tcase_add_loop_test(tc, cert_parse, 0, N(certs));
	tcase_add_test(tc, cert_null);
	tcase_add_test(tc, tracking_round_trip);
	tcase_add_loop_test(tc, tracking_parse, 0, N(typed));
	tcase_add_test(tc, tracking_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(numbers_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
