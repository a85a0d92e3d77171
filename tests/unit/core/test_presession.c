/* Unit tests of presession: the double-submit token (new when the cookie
 * has none, kept when it has a good one) and which POSTs pass: the field
 * must equal the cookie, and the browser's Origin / Sec-Fetch-Site must not
 * say another site. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/presession.h"
#include "core/banned.h"

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct limits lim = { 1 << 16, 50, 4096 };

/* A POST as request_parse leaves it: the cookie and field of the token,
 * and the headers (NULL: absent). */
static void make(struct request *r, const char *cookie, const char *field, const char *host,
		 const char *origin, const char *fetch_site)
{
	char body[200], c[120];
	memset(r, 0, sizeof *r);
	r->method = METHOD_POST;
	snprintf(body, sizeof body, "login=a%s%s", field ? "&" PRESESSION_FIELD "=" : "",
		 field ? field : "");
	ck_assert_int_eq(urlencoded_parse(&r->form, body, strlen(body), &lim), PARSE_OK);
	if (cookie) {
		snprintf(c, sizeof c, PRESESSION_COOKIE "=%s", cookie);
		ck_assert_int_eq(cookies_parse(&r->cookies, c, &lim), PARSE_OK);
	}
	r->host = host ? strdup(host) : NULL;
	r->origin = origin ? strdup(origin) : NULL;
	r->fetch_site = fetch_site ? strdup(fetch_site) : NULL;
}

static const struct {
	const char *cookie, *field, *host, *origin, *fetch_site;
	bool ok;
} posts[] = {
	/* The token. */
	{ TOKEN, TOKEN, "bg.example", NULL, NULL, true },
	{ NULL, TOKEN, "bg.example", NULL, NULL, false },
	{ TOKEN, NULL, "bg.example", NULL, NULL, false },
	{ TOKEN, "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "bg.example",
	  NULL, NULL, false },
	{ TOKEN "0", TOKEN "0", "bg.example", NULL, NULL, false },
	{ "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	  "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "bg.example", NULL,
	  NULL, false },
	{ "", "", "bg.example", NULL, NULL, false },
	/* Origin: the request's own host passes, any other fails. */
	{ TOKEN, TOKEN, "bg.example", "https://bg.example", "same-origin", true },
	{ TOKEN, TOKEN, "127.0.0.1:18080", "http://127.0.0.1:18080", NULL, true },
	{ TOKEN, TOKEN, "BG.Example", "https://bg.example", NULL, true },
	{ TOKEN, TOKEN, "bg.example:443", "https://bg.example", NULL, true },
	{ TOKEN, TOKEN, "bg.example", "http://bg.example:80", NULL, true },
	{ TOKEN, TOKEN, "bg.example", "https://evil.example", NULL, false },
	{ TOKEN, TOKEN, "bg.example", "https://bg.example.evil.example", NULL, false },
	{ TOKEN, TOKEN, "bg.example", "https://evilbg.example", NULL, false },
	{ TOKEN, TOKEN, "bg.example", "https://bg.example:8443", NULL, false },
	{ TOKEN, TOKEN, "127.0.0.1:18080", "http://127.0.0.1:18081", NULL, false },
	{ TOKEN, TOKEN, "bg.example", "null", NULL, false },
	{ TOKEN, TOKEN, "bg.example", "", NULL, false },
	{ TOKEN, TOKEN, "bg.example", "ftp://bg.example", NULL, false },
	{ TOKEN, TOKEN, "bg.example", "https://user@bg.example", NULL, false },
	{ TOKEN, TOKEN, NULL, "https://bg.example", NULL, false },
	/* Sec-Fetch-Site. */
	{ TOKEN, TOKEN, "bg.example", NULL, "same-origin", true },
	{ TOKEN, TOKEN, "bg.example", NULL, "none", true },
	{ TOKEN, TOKEN, "bg.example", NULL, "cross-site", false },
	{ TOKEN, TOKEN, "bg.example", NULL, "same-site", false },
	{ TOKEN, TOKEN, "bg.example", NULL, "", false },
	{ TOKEN, TOKEN, "bg.example", "https://bg.example", "cross-site", false },
};

START_TEST(post_checked)
{
	struct request r;
	make(&r, posts[_i].cookie, posts[_i].field, posts[_i].host, posts[_i].origin,
	     posts[_i].fetch_site);
	ck_assert_int_eq(presession_ok(&r), posts[_i].ok);
	request_release(&r);
}
END_TEST

static bool token_ok(const char *t)
{
	return strlen(t) == PRESESSION_TOKEN_HEX &&
	       strspn(t, "0123456789abcdef") == PRESESSION_TOKEN_HEX;
}

START_TEST(token_kept_or_new)
{
	struct request r;
	struct response resp;
	char a[PRESESSION_TOKEN_HEX + 1], b[PRESESSION_TOKEN_HEX + 1];

	/* A good cookie is kept, and set again. */
	make(&r, TOKEN, NULL, NULL, NULL, NULL);
	resp_init(&resp);
	presession_token(&r, &resp, a);
	ck_assert_str_eq(a, TOKEN);
	ck_assert_ptr_nonnull(strstr(resp.headers.data, "Set-Cookie: " PRESESSION_COOKIE "=" TOKEN));
	ck_assert_ptr_nonnull(strstr(resp.headers.data, "HttpOnly; SameSite=Strict"));
	resp_release(&resp);
	request_release(&r);

	/* None, or a bad one: a new random token each time. */
	make(&r, "short", NULL, NULL, NULL, NULL);
	resp_init(&resp);
	presession_token(&r, &resp, a);
	presession_token(&r, &resp, b);
	ck_assert(token_ok(a) && token_ok(b));
	ck_assert_str_ne(a, b);
	ck_assert_ptr_nonnull(strstr(resp.headers.data, a));
	resp_release(&resp);
	request_release(&r);
}
END_TEST

static Suite *presession_suite(void)
{
	Suite *s = suite_create("presession");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, post_checked, 0, (int)(sizeof posts / sizeof posts[0]));
	tcase_add_test(tc, token_kept_or_new);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(presession_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
