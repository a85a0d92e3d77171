/* Unit tests of password: each policy rule with good and bad passwords,
 * the common list (case-insensitive), the login inside the password,
 * hashing and verification, and generated passwords.  Argon2id at the
 * interactive limits costs about 0.1 s a call, so only two tests pay it;
 * the others use hashes made at libsodium's minimum cost. */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/password.h"
#include "core/banned.h"

static const struct {
	const char *pw, *login;
} policy_good[] = {
	{ "Abcdefg1", NULL },           /* 8 characters, 3 classes */
	{ "abcdefg1!", NULL },          /* lower, digit, other */
	{ "ABCDEFG1!", NULL },          /* upper, digit, other */
	{ "Abcdefg!", NULL },           /* lower, upper, other */
	{ "Tr0ub4dor&3", NULL },        /* all four */
	{ "中文密码Ab1x", NULL },       /* 8 characters; non-ASCII counts as "other" */
	{ "黑龙江标杆ab1", NULL },
	{ "Xy7!abcd", "zhangsan" },
	{ "Xab7!cde", "ab" },           /* logins under 3 characters are not searched */
	{ "Zhang-San7!", "wangwu" },
	{ "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!"
	  "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!", NULL }, /* 128 */
	{ "Password12345!", NULL },     /* near a common one, not on the list */
};

static const struct {
	const char *pw, *login;
	const char *message;
} policy_bad[] = {
	{ "", NULL, "至少需要8个字符" },
	{ "Ab1!xyz", NULL, "至少需要8个字符" },
	{ "中文密码Ab1", NULL, "至少需要8个字符" }, /* 15 bytes but 7 characters */
	{ "abcdefgh", NULL, "至少三类" },
	{ "abcdefg1", NULL, "至少三类" },
	{ "ABCDEFG1", NULL, "至少三类" },
	{ "12345678!", NULL, "至少三类" },
	{ "abcdefgh!", NULL, "至少三类" },
	{ "ABCDEFGHabcdefgh", NULL, "至少三类" },
	{ "中文中文中文中文1", NULL, "至少三类" },
	{ "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!"
	  "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!x", NULL,
	  "不能超过128个字节" },
	{ "P@ssw0rd", NULL, "过于常见" },
	{ "p@SSW0RD", NULL, "过于常见" },
	{ "Password123", NULL, "过于常见" },
	{ "PASSWORD@123", NULL, "过于常见" },
	{ "Admin@2024", NULL, "过于常见" },
	{ "BIAOGAN@123", NULL, "过于常见" },
	{ "heilongjiang@123", NULL, "过于常见" },
	{ "Zhangsan1!", "zhangsan", "包含用户名" },
	{ "ZHANGSAN#1x", "zhangsan", "包含用户名" },
	{ "x1!ZhAnGsAnY", "zhangsan", "包含用户名" },
	{ "Ab1!wang", "wang", "包含用户名" },
	{ "Ab1!xyz\x01", NULL, "无效字符" },
	{ "Abcdef1\n2", NULL, "无效字符" },
	{ "Abcdef1\x7f", NULL, "无效字符" },
	{ "Abcdef1\xff", NULL, "无效字符" },
	{ "Abcdef1\xc0\x80", NULL, "无效字符" },
};

START_TEST(policy_accepts)
{
	const char *e = password_policy_error(policy_good[_i].pw, policy_good[_i].login);
	ck_assert_msg(e == NULL, "\"%s\": %s", policy_good[_i].pw, e ? e : "");
}
END_TEST

START_TEST(policy_refuses)
{
	const char *e = password_policy_error(policy_bad[_i].pw, policy_bad[_i].login);
	ck_assert_msg(e != NULL, "accepted row %d", _i);
	ck_assert_msg(strstr(e, policy_bad[_i].message), "row %d: \"%s\" lacks \"%s\"", _i, e,
		      policy_bad[_i].message);
}
END_TEST

static const struct {
	const char *pw;
	bool common;
} commons[] = {
	{ "123456", true },      { "PASSWORD", true },   { "Password", true },
	{ "qWeRtY123", true },   { "woaini1314", true }, { "p@ssw0rd", true },
	{ "password ", false },  { " password", false }, { "", false },
	{ "passwor", false },    { "Biaogan@1234", false }, { "密码", false },
};

START_TEST(common_list)
{
	ck_assert_int_eq(password_is_common(commons[_i].pw), commons[_i].common);
}
END_TEST

START_TEST(hash_and_verify)
{
	struct buf h = BUF_INIT;
	ck_assert_int_eq(password_hash("Correct-Horse-7", &h), 0);
	ck_assert_int_eq(strncmp(h.data, "$argon2id$", 10), 0);
	ck_assert_ptr_null(strstr(h.data, "Correct-Horse-7"));
	ck_assert(password_verify(h.data, "Correct-Horse-7"));
	ck_assert(!password_needs_rehash(h.data));
	buf_release(&h);
}
END_TEST

START_TEST(wrong_password_refused)
{
	struct buf h = BUF_INIT;
	ck_assert_int_eq(password_hash("Correct-Horse-7", &h), 0);
	ck_assert(!password_verify(h.data, "correct-horse-7"));
	buf_release(&h);
}
END_TEST

/* A hash at the minimum cost: cheap to verify, and due for a rehash. */
static void cheap_hash(char out[crypto_pwhash_STRBYTES], const char *pw)
{
	ck_assert_int_ge(sodium_init(), 0);
	ck_assert_int_eq(crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
}

static const struct {
	const char *tried;
	bool ok;
} verifies[] = {
	{ "Old-Secret-9", true },
	{ "old-secret-9", false },
	{ "Old-Secret-9 ", false },
	{ "Old-Secret-", false },
	{ "", false },
	{ "Old-Secret-9Old-Secret-9", false },
};

START_TEST(verify_cheap)
{
	char h[crypto_pwhash_STRBYTES];
	cheap_hash(h, "Old-Secret-9");
	ck_assert_int_eq(password_verify(h, verifies[_i].tried), verifies[_i].ok);
}
END_TEST

START_TEST(weak_hash_needs_rehash)
{
	char h[crypto_pwhash_STRBYTES];
	cheap_hash(h, "Old-Secret-9");
	ck_assert(password_needs_rehash(h));
}
END_TEST

static const char *const bad_hashes[] = {
	"",
	"garbage",
	"$argon2id$",
	"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$",
	"$2y$10$abcdefghijklmnopqrstuuM7s6Qo7.ZbS1o9x8aY8J9u8QXaZ2a", /* bcrypt */
	"Old-Secret-9",
};

START_TEST(verify_bad_hash)
{
	ck_assert(!password_verify(bad_hashes[_i], "Old-Secret-9"));
	ck_assert(password_needs_rehash(bad_hashes[_i]));
}
END_TEST

START_TEST(verify_null)
{
	char h[crypto_pwhash_STRBYTES];
	cheap_hash(h, "x");
	ck_assert(!password_verify(NULL, "x"));
	ck_assert(!password_verify(h, NULL));
}
END_TEST

START_TEST(generated_pass_policy)
{
	static const char allowed[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789@#%+=?";
	struct buf prev = BUF_INIT;
	for (int i = 0; i < 500; i++) {
		struct buf pw = BUF_INIT;
		const char *e;
		password_generate(&pw);
		ck_assert_uint_eq(pw.len, 14);
		ck_assert_uint_eq(strspn(pw.data, allowed), 14); /* no 0 O 1 l I */
		e = password_policy_error(pw.data, NULL);
		ck_assert_msg(e == NULL, "\"%s\": %s", pw.data, e ? e : "");
		ck_assert_str_ne(pw.data, prev.data);
		buf_reset(&prev);
		buf_add(&prev, pw.data, pw.len);
		buf_release(&pw);
	}
	buf_release(&prev);
}
END_TEST

START_TEST(generate_appends)
{
	struct buf pw = BUF_INIT;
	buf_adds(&pw, "pre:");
	password_generate(&pw);
	ck_assert_uint_eq(pw.len, 18);
	ck_assert_int_eq(strncmp(pw.data, "pre:", 4), 0);
	buf_release(&pw);
}
END_TEST

static Suite *password_suite(void)
{
	Suite *s = suite_create("password");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60); /* Argon2id under the sanitizers is slow */
	tcase_add_loop_test(tc, policy_accepts, 0, (int)(sizeof policy_good / sizeof policy_good[0]));
	tcase_add_loop_test(tc, policy_refuses, 0, (int)(sizeof policy_bad / sizeof policy_bad[0]));
	tcase_add_loop_test(tc, common_list, 0, (int)(sizeof commons / sizeof commons[0]));
	tcase_add_test(tc, hash_and_verify);
	tcase_add_test(tc, wrong_password_refused);
	tcase_add_loop_test(tc, verify_cheap, 0, (int)(sizeof verifies / sizeof verifies[0]));
	tcase_add_test(tc, weak_hash_needs_rehash);
	tcase_add_loop_test(tc, verify_bad_hash, 0, (int)(sizeof bad_hashes / sizeof bad_hashes[0]));
	tcase_add_test(tc, verify_null);
	tcase_add_test(tc, generated_pass_policy);
	tcase_add_test(tc, generate_appends);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(password_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
