/* Unit tests for src/core/totp.c: RFC 6238's own test vectors (SHA-1), the
 * window and the single use of a step, the typed forms of codes and
 * recovery codes, and the otpauth address. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/totp.h"
#include "core/banned.h"

/* RFC 6238 appendix B: the SHA-1 seed, and the 8-digit codes whose last 6
 * digits are the 6-digit codes. */
static const unsigned char SEED[] = "12345678901234567890";
static const struct {
	long long t;
	const char *code;
} vectors[] = {
	{ 59, "287082" },	  { 1111111109, "081804" }, { 1111111111, "050471" },
	{ 1234567890, "005924" }, { 2000000000, "279037" },
};

START_TEST(rfc6238_vectors)
{
	char out[TOTP_DIGITS + 1];
	long long step = 0;
	ck_assert_int_eq(totp_code_at(SEED, 20, (time_t)vectors[_i].t, out), 0);
	ck_assert_str_eq(out, vectors[_i].code);
	ck_assert(totp_check(SEED, 20, vectors[_i].code, (time_t)vectors[_i].t, 0, &step));
	ck_assert_int_eq(step, vectors[_i].t / 30);
}
END_TEST

START_TEST(window_and_single_use)
{
	const time_t t = 1234567890;
	char before[TOTP_DIGITS + 1], after[TOTP_DIGITS + 1], far[TOTP_DIGITS + 1];
	long long step = 0, now = totp_step(t);
	totp_code_at(SEED, 20, t - 30, before);
	totp_code_at(SEED, 20, t + 30, after);
	totp_code_at(SEED, 20, t + 90, far);
	/* A clock 30 s off either way is fine; 90 s is not. */
	ck_assert(totp_check(SEED, 20, before, t, 0, &step));
	ck_assert_int_eq(step, now - 1);
	ck_assert(totp_check(SEED, 20, after, t, 0, &step));
	ck_assert_int_eq(step, now + 1);
	ck_assert(!totp_check(SEED, 20, far, t, 0, &step));
	ck_assert_int_eq(step, 0);
	/* Used once: the same step, or an older one, is refused after it. */
	ck_assert(!totp_check(SEED, 20, "005924", t, now, &step));
	ck_assert(!totp_check(SEED, 20, before, t, now, &step));
	ck_assert(totp_check(SEED, 20, after, t, now, &step));
	/* Another secret's code, and nonsense, are refused. */
	ck_assert(!totp_check((const unsigned char *)"abcdefghijabcdefghij", 20, "005924", t, 0, &step));
	ck_assert(!totp_check(SEED, 20, "00592", t, 0, &step));
	ck_assert(!totp_check(SEED, 20, "", t, 0, &step));
}
END_TEST

static const struct {
	const char *typed, *canonical; /* NULL: refused */
} codes[] = {
	{ "123456", "123456" }, { " 123456 ", "123456" }, { "123 456", "123456" },
	{ "123-456", "123456" }, { "\t123456", "123456" }, { "12345", NULL },
	{ "1234567", NULL },      { "12 3456", NULL },       { "123  456", NULL },
	{ "123-4-56", NULL },     { "12345a", NULL },       { "", NULL },
	{ "１２３４５６", NULL },  { "123456\n", NULL },
};

START_TEST(code_forms)
{
	char out[TOTP_DIGITS + 1];
	bool ok = totp_code_canonical(codes[_i].typed, out);
	ck_assert_int_eq(ok, codes[_i].canonical != NULL);
	ck_assert_str_eq(out, codes[_i].canonical ? codes[_i].canonical : "");
}
END_TEST

START_TEST(recovery_codes)
{
	char a[RECOVERY_CODE_LEN + 1], b[RECOVERY_CODE_LEN + 1], canon[RECOVERY_CODE_CHARS + 1];
	unsigned char h1[RECOVERY_HASH_BYTES], h2[RECOVERY_HASH_BYTES];
	ck_assert_int_eq(recovery_new(a), 0);
	ck_assert_int_eq(recovery_new(b), 0);
	ck_assert_uint_eq(strlen(a), RECOVERY_CODE_LEN);
	ck_assert_int_eq(a[5], '-');
	ck_assert_str_ne(a, b);
	ck_assert(recovery_canonical(a, canon));
	ck_assert_uint_eq(strlen(canon), RECOVERY_CODE_CHARS);
	/* Typed again in lower case, with blanks: the same code. */
	char typed[40];
	snprintf(typed, sizeof typed, " %c%c%c %s ", a[0] | 0x20, a[1] | 0x20, a[2], a + 3);
	char again[RECOVERY_CODE_CHARS + 1];
	ck_assert(recovery_canonical(typed, again));
	ck_assert_str_eq(again, canon);
	recovery_hash(canon, h1);
	recovery_hash(again, h2);
	ck_assert_mem_eq(h1, h2, sizeof h1);
	/* The ambiguous letters are not in the alphabet; length is exact. */
	ck_assert(!recovery_canonical("ABCDE-FGHI0", canon));
	ck_assert(!recovery_canonical("ABCDE-FGHIO", canon));
	ck_assert(!recovery_canonical("ABCDE-FGHI1", canon));
	ck_assert(!recovery_canonical("ABCDE-FGH", canon));
	ck_assert(!recovery_canonical("ABCDE-FGHJKM", canon));
	ck_assert(!recovery_canonical(NULL, canon));
	ck_assert_str_eq(canon, "");
}
END_TEST

START_TEST(otpauth_address)
{
	struct buf b = BUF_INIT, key = BUF_INIT;
	ck_assert_int_eq(totp_uri(&b, "黑龙江 标杆", "a.b-c", SEED, 20), 0);
	ck_assert_str_eq(b.data, "otpauth://totp/%E9%BB%91%E9%BE%99%E6%B1%9F%20%E6%A0%87%E6%9D%86:a.b-c"
				 "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
				 "&issuer=%E9%BB%91%E9%BE%99%E6%B1%9F%20%E6%A0%87%E6%9D%86"
				 "&algorithm=SHA1&digits=6&period=30");
	ck_assert_int_eq(totp_secret_base32(SEED, 20, &key), 0);
	ck_assert_str_eq(key.data, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	buf_release(&b);
	buf_release(&key);
	/* New secrets differ. */
	unsigned char s1[TOTP_SECRET_BYTES], s2[TOTP_SECRET_BYTES];
	totp_new_secret(s1);
	totp_new_secret(s2);
	ck_assert_mem_ne(s1, s2, sizeof s1);
}
END_TEST

static Suite *totp_suite(void)
{
	Suite *s = suite_create("totp");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, rfc6238_vectors, 0, (int)(sizeof vectors / sizeof vectors[0]));
	tcase_add_test(tc, window_and_single_use);
	tcase_add_loop_test(tc, code_forms, 0, (int)(sizeof codes / sizeof codes[0]));
	tcase_add_test(tc, recovery_codes);
	tcase_add_test(tc, otpauth_address);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(totp_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
