/* Unit tests for src/steps/accounts/users.c without a database: the lockout
 * arithmetic (the run of wrong passwords, restarting after a lock ran out,
 * the lock at the 5th), the verdict of a password attempt (locked, wrong,
 * disabled, in that order), the new-password check and the audit summary of
 * a creation.  The transactions themselves are covered by the integration
 * tests (test_lockout.py, test_accounts.py, test_guards.py). */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "steps/accounts/users.h"

#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- lockout ---- */

static const struct {
	long long failed_logins;
	bool lock_expired;
	long long next;
} counts[] = {
	{ 0, false, 1 }, { 1, false, 2 }, { 3, false, 4 }, { 4, false, 5 },
	{ 5, false, 6 }, { 41, false, 42 },
	/* A lock that ran out starts the count again, whatever it was. */
	{ 0, true, 1 },  { 4, true, 1 },  { 5, true, 1 },  { 6, true, 1 },
};

START_TEST(failure_count)
{
	ck_assert_int_eq(users_failure_count(counts[_i].failed_logins, counts[_i].lock_expired),
			 counts[_i].next);
}
END_TEST

/* The threshold at, just below and just above LOGIN_MAX_FAILURES. */
START_TEST(failure_locks)
{
	ck_assert_int_eq(LOGIN_MAX_FAILURES, 5);
	ck_assert(!users_failure_locks(0));
	ck_assert(!users_failure_locks(1));
	ck_assert(!users_failure_locks(LOGIN_MAX_FAILURES - 1));
	ck_assert(users_failure_locks(LOGIN_MAX_FAILURES));
	ck_assert(users_failure_locks(LOGIN_MAX_FAILURES + 1));
	ck_assert(users_failure_locks(100));
}
END_TEST

/* A run as the database sees it: four wrong passwords do not lock, the
 * fifth does; once that lock has run out, the next wrong password is the
 * first of a new run (issue 8: it once locked the account again). */
START_TEST(failure_run)
{
	long long stored = 0;
	for (int i = 1; i < LOGIN_MAX_FAILURES; i++) {
		stored = users_failure_count(stored, false);
		ck_assert_int_eq(stored, i);
		ck_assert(!users_failure_locks(stored));
	}
	stored = users_failure_count(stored, false);
	ck_assert(users_failure_locks(stored));
	stored = users_failure_count(stored, true);
	ck_assert_int_eq(stored, 1);
	ck_assert(!users_failure_locks(stored));
}
END_TEST

/* ---- the verdict of an attempt ---- */

static const struct {
	bool locked, right, disabled;
	enum login_verdict verdict;
} verdicts[] = {
	{ false, true, false, LOGIN_VERDICT_OK },
	{ false, false, false, LOGIN_VERDICT_WRONG_PASSWORD },
	{ false, true, true, LOGIN_VERDICT_DISABLED },
	/* A wrong password for a disabled account still counts, and tells
	 * nothing about the account. */
	{ false, false, true, LOGIN_VERDICT_WRONG_PASSWORD },
	/* While locked nothing else matters: not even the right password. */
	{ true, true, false, LOGIN_VERDICT_LOCKED },
	{ true, false, false, LOGIN_VERDICT_LOCKED },
	{ true, true, true, LOGIN_VERDICT_LOCKED },
	{ true, false, true, LOGIN_VERDICT_LOCKED },
};

START_TEST(login_verdict)
{
	ck_assert_int_eq(users_login_verdict(verdicts[_i].locked, verdicts[_i].right,
					     verdicts[_i].disabled),
			 verdicts[_i].verdict);
}
END_TEST

/* ---- a new password ---- */

START_TEST(new_password)
{
	const char *e;

	ck_assert_ptr_null(users_new_password_error("Old@Pass2026", "New@Pass2026", "harbin"));
	e = users_new_password_error("Same@Pass2026", "Same@Pass2026", "harbin");
	ck_assert_str_eq(e, "新密码不能与当前密码相同。");
	/* Only the same bytes are the same password. */
	ck_assert_ptr_null(users_new_password_error("same@Pass2026", "Same@Pass2026", "harbin"));
	/* Otherwise the password policy decides, with the account's login. */
	ck_assert_str_eq(users_new_password_error("Old@Pass2026", "Ab1@", "harbin"),
			 "密码至少需要8个字符。");
	ck_assert_str_eq(users_new_password_error("Old@Pass2026", "Harbin@2026x", "harbin"),
			 "密码不能包含用户名。");
	ck_assert_ptr_null(users_new_password_error("Old@Pass2026", "Harbin@2026x", NULL));
	/* The same password that also breaks the policy: "the same" is said. */
	ck_assert_str_eq(users_new_password_error("short", "short", "harbin"),
			 "新密码不能与当前密码相同。");
}
END_TEST

/* ---- audit summary ---- */

static const struct {
	struct new_account a;
	const char *summary;
} summaries[] = {
	{ { .login = "harbin2", .role = ROLE_CITY, .city_code = "230100" },
	  "创建账户 harbin2（市（地）工信局 230100）" },
	{ { .login = "admin2", .role = ROLE_PROVINCE }, "创建账户 admin2（省工信厅）" },
	/* A city code given for another role is not named. */
	{ { .login = "expert9", .role = ROLE_EXPERT, .city_code = "230100" },
	  "创建账户 expert9（评审专家）" },
	{ { .login = "jiandu2", .role = ROLE_SUPERVISOR }, "创建账户 jiandu2（纪检监督）" },
	{ { .login = "ent9", .role = ROLE_ENTERPRISE }, "创建账户 ent9（申报企业）" },
};

START_TEST(create_summary)
{
	struct buf b = BUF_INIT;
	users_create_summary(&b, &summaries[_i].a);
	ck_assert_str_eq(b.data, summaries[_i].summary);
	buf_release(&b);
}
END_TEST

static Suite *users_suite(void)
{
	Suite *s = suite_create("users");
	TCase *tc = tcase_create("lockout");
	tcase_add_loop_test(tc, failure_count, 0, N(counts));
	tcase_add_test(tc, failure_locks);
	tcase_add_test(tc, failure_run);
	suite_add_tcase(s, tc);

	tc = tcase_create("verdict");
	tcase_add_loop_test(tc, login_verdict, 0, N(verdicts));
	suite_add_tcase(s, tc);

	tc = tcase_create("password");
	tcase_add_test(tc, new_password);
	tcase_add_loop_test(tc, create_summary, 0, N(summaries));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(users_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
