/* Unit tests of session's pure parts: token well-formedness and the
 * constant-time CSRF check (missing token, wrong length, wrong value, right
 * value).  Creating, loading, expiring and destroying sessions needs the
 * database and is covered by the integration tests. */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/session.h"
#include "core/banned.h"

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char *const tokens_good[] = {
	TOKEN,
	"0000000000000000000000000000000000000000000000000000000000000000",
	"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
};

static const char *const tokens_bad[] = {
	"",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",   /* 63 */
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", /* 65 */
	"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",  /* upper case */
	"0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef",  /* 'g' */
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde ",
	" 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n",
	"0x23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abc中",
	"0123456789abcdef0123456789abcdef'; DROP TABLE session; --abcdef0",
	"abc",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

START_TEST(token_good)
{
	ck_assert(session_token_wellformed(tokens_good[_i]));
}
END_TEST

START_TEST(token_bad)
{
	ck_assert_msg(!session_token_wellformed(tokens_bad[_i]), "accepted row %d", _i);
}
END_TEST

START_TEST(token_null)
{
	ck_assert(!session_token_wellformed(NULL));
}
END_TEST

/* What a form may submit as its CSRF token, against the session's TOKEN. */
static const struct {
	const char *submitted;
	bool ok;
} csrf_cases[] = {
	{ TOKEN, true },
	{ NULL, false },                                  /* missing */
	{ "", false },                                    /* empty */
	{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false },  /* short */
	{ TOKEN "0", false },                             /* long */
	{ TOKEN TOKEN, false },
	{ "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false }, /* first */
	{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdee", false }, /* last */
	{ "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", false }, /* case */
	{ "0123456789abcdef0123456789abcdef", false },   /* a prefix */
	{ "0000000000000000000000000000000000000000000000000000000000000000", false },
};

START_TEST(csrf_check)
{
	struct session s;
	memset(&s, 0, sizeof s);
	memcpy(s.csrf, TOKEN, sizeof TOKEN);
	ck_assert_int_eq(session_csrf_ok(&s, csrf_cases[_i].submitted), csrf_cases[_i].ok);
}
END_TEST

/* A request without a session has no CSRF token: nothing matches it, not
 * even an empty submission. */
START_TEST(csrf_without_session)
{
	struct session s;
	memset(&s, 0, sizeof s);
	ck_assert(!session_csrf_ok(&s, csrf_cases[_i].submitted));
}
END_TEST

START_TEST(csrf_embedded_nul)
{
	/* A submitted value is a C string: bytes after a NUL never count. */
	struct session s;
	char sub[SESSION_TOKEN_HEX + 2];
	memset(&s, 0, sizeof s);
	memcpy(s.csrf, TOKEN, sizeof TOKEN);
	memcpy(sub, TOKEN, sizeof TOKEN);
	sub[10] = '\0';
	ck_assert(!session_csrf_ok(&s, sub));
}
END_TEST

static Suite *session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, token_good, 0, (int)(sizeof tokens_good / sizeof tokens_good[0]));
	tcase_add_loop_test(tc, token_bad, 0, (int)(sizeof tokens_bad / sizeof tokens_bad[0]));
	tcase_add_test(tc, token_null);
	tcase_add_loop_test(tc, csrf_check, 0, (int)(sizeof csrf_cases / sizeof csrf_cases[0]));
	tcase_add_loop_test(tc, csrf_without_session, 0,
			    (int)(sizeof csrf_cases / sizeof csrf_cases[0]));
	tcase_add_test(tc, csrf_embedded_nul);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(session_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
