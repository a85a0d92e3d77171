/* Unit tests of session's pure parts: token well-formedness, the
 * constant-time CSRF check (missing token, wrong length, wrong value, right
 * value), the idle limit read from the configuration, which stored rows are
 * refused, new tokens and the stored hash.  Creating, loading, expiring and
 * destroying sessions needs the database and is covered by the integration
 * tests. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/session.h"
#include "core/banned.h"

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define TOKEN_SHA256 "a8ae6e6ee929abea3afcfc5258c8ccd6f85273e0d4626d26c7279f3250f77c8e"

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

/* session_idle_seconds as configured: every value at and around the edge
 * between "a limit" and "the default". */
static const struct {
	const char *configured; /* NULL: not set */
	long long seconds;
} idle_cases[] = {
	{ NULL, 1800 },  { "1800", 1800 }, { "60", 60 },      { "1", 1 },
	{ "2", 2 },      { "0", 1800 },    { "-1", 1800 },    { "-3600", 1800 },
	{ "86400", 86400 }, { "ten", 1800 }, { "60s", 1800 }, { "", 1800 },
};

START_TEST(idle_limit)
{
	config_release();
	if (idle_cases[_i].configured)
		config_set("session_idle_seconds", idle_cases[_i].configured);
	ck_assert_int_eq(session_idle_seconds(), idle_cases[_i].seconds);
	config_release();
}
END_TEST

/* session_max_seconds, the absolute lifetime, the same way. */
static const struct {
	const char *configured;
	long long seconds;
} max_cases[] = {
	{ NULL, 28800 }, { "28800", 28800 }, { "3600", 3600 }, { "1", 1 },
	{ "0", 28800 },  { "-1", 28800 },    { "8h", 28800 },  { "", 28800 },
};

START_TEST(max_limit)
{
	config_release();
	if (max_cases[_i].configured)
		config_set("session_max_seconds", max_cases[_i].configured);
	ck_assert_int_eq(session_max_seconds(), max_cases[_i].seconds);
	config_release();
}
END_TEST

/* A row is refused when idle too long, past its lifetime, or its account
 * is disabled (issue 8: a disabled account's session once stayed valid);
 * past the lifetime is told apart, whatever else holds. */
START_TEST(row_state)
{
	for (int idle = 0; idle < 2; idle++)
		for (int old = 0; old < 2; old++)
			for (int disabled = 0; disabled < 2; disabled++) {
				enum session_state want = old		    ? SESSION_LIFETIME_OVER
							  : idle || disabled ? SESSION_EXPIRED
									     : SESSION_OK;
				ck_assert_int_eq(session_row_state(idle, old, disabled), want);
			}
}
END_TEST

/* The stored User-Agent: printable ASCII kept, anything else '?', cut at
 * SESSION_AGENT_MAX bytes. */
START_TEST(clean_agent)
{
	char out[SESSION_AGENT_MAX + 1], longer[SESSION_AGENT_MAX + 50];
	session_clean_agent(NULL, out);
	ck_assert_str_eq(out, "");
	session_clean_agent("Mozilla/5.0 (X11; Linux x86_64)", out);
	ck_assert_str_eq(out, "Mozilla/5.0 (X11; Linux x86_64)");
	session_clean_agent("a\tb\x7f\xe4\xb8\xad<", out);
	ck_assert_str_eq(out, "a?b?" "?" "?" "?<"); /* split: no trigraph */
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	session_clean_agent(longer, out);
	ck_assert_uint_eq(strlen(out), SESSION_AGENT_MAX);
}
END_TEST

/* New tokens are well-formed, and two are never the same (32 random bytes). */
START_TEST(new_tokens)
{
	char a[SESSION_TOKEN_HEX + 1], b[SESSION_TOKEN_HEX + 1];

	memset(a, 'x', sizeof a);
	memset(b, 'x', sizeof b);
	ck_assert_int_eq(session_new_token(a), 0);
	ck_assert_int_eq(session_new_token(b), 0);
	ck_assert_uint_eq(strlen(a), SESSION_TOKEN_HEX);
	ck_assert(session_token_wellformed(a));
	ck_assert(session_token_wellformed(b));
	ck_assert_str_ne(a, b);
}
END_TEST

/* The stored hash is SHA-256 of the token's text (FIPS 180-2 "abc" vector,
 * and the token TOKEN by sha256sum). */
START_TEST(token_hash_vectors)
{
	static const unsigned char abc[SESSION_HASH_BYTES] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
		0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
		0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char h[SESSION_HASH_BYTES], h2[SESSION_HASH_BYTES];
	char hex[2 * SESSION_HASH_BYTES + 1];

	session_token_hash("abc", h);
	ck_assert_mem_eq(h, abc, sizeof h);
	session_token_hash(TOKEN, h);
	for (size_t i = 0; i < sizeof h; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	ck_assert_str_eq(hex, TOKEN_SHA256);
	/* One character changed is another hash. */
	session_token_hash("1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", h2);
	ck_assert_mem_ne(h, h2, sizeof h);
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
	tcase_add_loop_test(tc, idle_limit, 0, (int)(sizeof idle_cases / sizeof idle_cases[0]));
	tcase_add_loop_test(tc, max_limit, 0, (int)(sizeof max_cases / sizeof max_cases[0]));
	tcase_add_test(tc, row_state);
	tcase_add_test(tc, clean_agent);
	tcase_add_test(tc, new_tokens);
	tcase_add_test(tc, token_hash_vectors);
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
