/* Unit tests of response: the security headers on every response, header
 * injection (CR/LF) refused, cookie attributes (Secure when cookie_secure),
 * redirects only to local paths, and what resp_send writes. */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/response.h"
#include "core/banned.h"

static int collect(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
	return 0;
}

static int writes;
static int failing(void *ctx, const char *data, size_t len)
{
	writes++;
	return -1;
}

static void setup(void)
{
	config_release();
}

static void teardown(void)
{
	config_release();
}

/* Count the lines of the header block that start with prefix. */
static int header_count(const char *out, const char *prefix)
{
	const char *end = strstr(out, "\r\n\r\n");
	size_t plen = strlen(prefix);
	int n = 0;
	ck_assert_ptr_nonnull(end);
	for (const char *p = out; p && p <= end; p = strstr(p, "\r\n"), p = p ? p + 2 : NULL)
		if (!strncmp(p, prefix, plen))
			n++;
	return n;
}

static const char *const security_headers[] = {
	"Content-Security-Policy: default-src 'self'",
	"X-Frame-Options: DENY\r\n",
	"X-Content-Type-Options: nosniff\r\n",
	"Referrer-Policy: ",
	"Cache-Control: no-store\r\n",
};

enum scenario { SC_PLAIN, SC_HEAD, SC_REDIRECT, SC_ERROR, SC_OWN_TYPE, SC_COOKIE, SC_EMPTY,
		SC_REFUSED_HEADER, SC_OWN_CACHE_CONTROL, SC_STREAM };

/* A streamed body: "chunk" written n times, and a count of the calls. */
struct chunks {
	int n;
	int calls;
	bool fail_after_first;
};
static int stream_chunks(void *ctx, resp_writer w, void *wctx)
{
	struct chunks *c = ctx;
	c->calls++;
	for (int i = 0; i < c->n; i++) {
		if (i == 1 && c->fail_after_first)
			return -1;
		if (w(wctx, "chunk", 5))
			return -1;
	}
	return 0;
}
static int freed;
static void free_chunks(void *ctx)
{
	freed++;
	free(ctx);
}
static struct chunks *new_chunks(int n, bool fail)
{
	struct chunks *c = calloc(1, sizeof *c);
	ck_assert_ptr_nonnull(c);
	c->n = n;
	c->fail_after_first = fail;
	return c;
}

START_TEST(security_headers_always)
{
	struct response r;
	struct buf out = BUF_INIT;
	bool head = false;
	resp_init(&r);
	switch ((enum scenario)_i) {
	case SC_PLAIN:
		buf_adds(&r.body, "<p>你好</p>");
		break;
	case SC_HEAD:
		buf_adds(&r.body, "<p>body</p>");
		head = true;
		break;
	case SC_REDIRECT:
		ck_assert_int_eq(resp_redirect(&r, "/home"), 0);
		break;
	case SC_ERROR:
		r.status = 503;
		buf_adds(&r.body, "数据库暂时不可用");
		break;
	case SC_OWN_TYPE:
		ck_assert_int_eq(resp_header(&r, "Content-Type", "text/csv; charset=utf-8"), 0);
		buf_adds(&r.body, "a,b\n");
		break;
	case SC_COOKIE:
		ck_assert_int_eq(resp_cookie(&r, "bg_session", "abc", 0), 0);
		break;
	case SC_EMPTY:
		break;
	case SC_REFUSED_HEADER:
		/* Even a handler trying to override them cannot remove them. */
		ck_assert_int_eq(resp_header(&r, "X-Frame-Options\r\nX", "ALLOW"), -1);
		break;
	case SC_OWN_CACHE_CONTROL:
		/* A second Cache-Control (the download's old bug) is refused. */
		ck_assert_int_eq(resp_header(&r, "Cache-Control", "no-store"), -1);
		ck_assert_int_eq(resp_header(&r, "Content-Type", "application/pdf"), 0);
		break;
	case SC_STREAM:
		ck_assert_int_eq(resp_header(&r, "Content-Type", "application/pdf"), 0);
		resp_stream(&r, 15, stream_chunks, new_chunks(3, false), free_chunks);
		break;
	}
	ck_assert_int_eq(resp_send(&r, head, collect, &out), 0);
	for (size_t k = 0; k < sizeof security_headers / sizeof security_headers[0]; k++)
		ck_assert_msg(header_count(out.data, security_headers[k]) == 1,
			      "scenario %d: \"%s\" not there once in:\n%s", _i, security_headers[k],
			      out.data);
	ck_assert_int_eq(header_count(out.data, "Content-Type: "), 1);
	ck_assert_int_eq(header_count(out.data, "Status: "), 1);
	ck_assert_int_eq(header_count(out.data, "Content-Length: "), 1);
	ck_assert_int_eq(strncmp(out.data, "Status: ", 8), 0);
	resp_release(&r);
	buf_release(&out);
}
END_TEST

START_TEST(status_line_and_body)
{
	struct response r;
	struct buf out = BUF_INIT, want = BUF_INIT;
	const char *sep;
	resp_init(&r);
	r.status = 404;
	buf_adds(&r.body, "<p>找不到</p>");
	ck_assert_int_eq(resp_send(&r, false, collect, &out), 0);
	ck_assert_int_eq(strncmp(out.data, "Status: 404 Not Found\r\n", 23), 0);
	ck_assert_int_eq(header_count(out.data, "Content-Type: text/html; charset=utf-8\r\n"), 1);
	buf_addf(&want, "Content-Length: %zu\r\n", r.body.len);
	ck_assert_int_eq(header_count(out.data, want.data), 1);
	sep = strstr(out.data, "\r\n\r\n");
	ck_assert_str_eq(sep + 4, "<p>找不到</p>");
	resp_release(&r);
	buf_release(&out);
	buf_release(&want);
}
END_TEST

START_TEST(head_has_no_body)
{
	struct response r;
	struct buf out = BUF_INIT;
	resp_init(&r);
	buf_adds(&r.body, "0123456789");
	ck_assert_int_eq(resp_send(&r, true, collect, &out), 0);
	ck_assert_int_eq(header_count(out.data, "Content-Length: 10\r\n"), 1);
	ck_assert_str_eq(strstr(out.data, "\r\n\r\n"), "\r\n\r\n");
	resp_release(&r);
	buf_release(&out);
}
END_TEST

START_TEST(own_content_type_replaces_default)
{
	struct response r;
	struct buf out = BUF_INIT;
	resp_init(&r);
	ck_assert_int_eq(resp_header(&r, "content-type", "application/json"), 0);
	ck_assert_int_eq(resp_send(&r, false, collect, &out), 0);
	ck_assert_ptr_null(strstr(out.data, "text/html"));
	ck_assert_int_eq(header_count(out.data, "content-type: application/json\r\n"), 1);
	resp_release(&r);
	buf_release(&out);
}
END_TEST

START_TEST(writer_failure_reported)
{
	struct response r;
	resp_init(&r);
	buf_adds(&r.body, "body");
	writes = 0;
	ck_assert_int_eq(resp_send(&r, false, failing, NULL), -1);
	ck_assert_int_eq(writes, 1); /* no body after a failed header write */
	resp_release(&r);
}
END_TEST

START_TEST(stream_body)
{
	struct response r;
	struct buf out = BUF_INIT;
	struct chunks *c = new_chunks(3, false);
	resp_init(&r);
	buf_adds(&r.body, "ignored");
	resp_stream(&r, 15, stream_chunks, c, free_chunks);
	ck_assert_uint_eq(r.body.len, 0);
	ck_assert_int_eq(resp_send(&r, false, collect, &out), 0);
	ck_assert_int_eq(c->calls, 1);
	ck_assert_int_eq(header_count(out.data, "Content-Length: 15\r\n"), 1);
	ck_assert_str_eq(strstr(out.data, "\r\n\r\n") + 4, "chunkchunkchunk");
	freed = 0;
	resp_release(&r);
	ck_assert_int_eq(freed, 1);
	buf_release(&out);
}
END_TEST

START_TEST(stream_head_writes_no_body)
{
	struct response r;
	struct buf out = BUF_INIT;
	struct chunks *c = new_chunks(3, false);
	resp_init(&r);
	resp_stream(&r, 15, stream_chunks, c, free_chunks);
	ck_assert_int_eq(resp_send(&r, true, collect, &out), 0);
	ck_assert_int_eq(c->calls, 0);
	ck_assert_int_eq(header_count(out.data, "Content-Length: 15\r\n"), 1);
	ck_assert_str_eq(strstr(out.data, "\r\n\r\n"), "\r\n\r\n");
	resp_release(&r);
	buf_release(&out);
}
END_TEST

START_TEST(stream_cut_short)
{
	struct response r;
	struct buf out = BUF_INIT;
	resp_init(&r);
	resp_stream(&r, 15, stream_chunks, new_chunks(3, true), free_chunks);
	/* The headers are out with the length; the failure is reported. */
	ck_assert_int_eq(resp_send(&r, false, collect, &out), -1);
	ck_assert_int_eq(header_count(out.data, "Content-Length: 15\r\n"), 1);
	ck_assert_str_eq(strstr(out.data, "\r\n\r\n") + 4, "chunk");
	resp_release(&r);
	buf_release(&out);
}
END_TEST

START_TEST(stream_replaced_and_freed)
{
	struct response r;
	resp_init(&r);
	freed = 0;
	resp_stream(&r, 5, stream_chunks, new_chunks(1, false), free_chunks);
	resp_stream(&r, 10, stream_chunks, new_chunks(2, false), free_chunks);
	ck_assert_int_eq(freed, 1);
	ck_assert_uint_eq(r.stream_len, 10);
	resp_release(&r);
	ck_assert_int_eq(freed, 2);
	ck_assert_ptr_null(r.stream);
}
END_TEST

static const struct {
	const char *name, *value;
} headers_good[] = {
	{ "X-Test", "1" },
	{ "Content-Disposition", "attachment; filename=\"a.csv\"" },
	{ "X-Empty", "" },
	{ "X-Tab", "a\tb" },
	{ "X-Chinese", "中文" },
};

static const struct {
	const char *name, *value;
} headers_bad[] = {
	{ "X-Test", "a\r\nSet-Cookie: evil=1" },
	{ "X-Test", "a\nSet-Cookie: evil=1" },
	{ "X-Test", "a\rb" },
	{ "X-Test", "\r\n" },
	{ "X-Test", "trailing\n" },
	{ "X-Test\r\nEvil", "1" },
	{ "X-Test\n", "1" },
	{ "X-Test: evil", "1" },
	{ "X:Y", "1" },
	{ "", "1" },
	{ "X Test", "1" },
	{ "X-Test\t", "1" },
	{ "X-T\xc3\xa9st", "1" },
	/* resp_send writes these itself, once. */
	{ "Cache-Control", "no-store" },
	{ "cache-control", "public" },
	{ "Content-Length", "5" },
	{ "X-Frame-Options", "SAMEORIGIN" },
	{ "Content-Security-Policy", "default-src *" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "unsafe-url" },
	{ "Status", "200 OK" },
};

START_TEST(header_good)
{
	struct response r;
	struct buf want = BUF_INIT;
	resp_init(&r);
	ck_assert_int_eq(resp_header(&r, headers_good[_i].name, headers_good[_i].value), 0);
	buf_addf(&want, "%s: %s\r\n", headers_good[_i].name, headers_good[_i].value);
	ck_assert_str_eq(r.headers.data, want.data);
	resp_release(&r);
	buf_release(&want);
}
END_TEST

START_TEST(header_bad)
{
	struct response r;
	resp_init(&r);
	ck_assert_int_eq(resp_header(&r, headers_bad[_i].name, headers_bad[_i].value), -1);
	ck_assert_uint_eq(r.headers.len, 0); /* nothing added */
	resp_release(&r);
}
END_TEST

static const struct {
	const char *secure; /* cookie_secure; NULL: unset */
	long max_age;
	const char *want;
} cookies_good[] = {
	{ NULL, -1, "Set-Cookie: bg_session=abc; Path=/; HttpOnly; SameSite=Strict\r\n" },
	{ NULL, 0, "Set-Cookie: bg_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=0\r\n" },
	{ "false", 1800,
	  "Set-Cookie: bg_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=1800\r\n" },
	{ "true", -1, "Set-Cookie: bg_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure\r\n" },
	{ "true", 0,
	  "Set-Cookie: bg_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure\r\n" },
	{ "yes", 60,
	  "Set-Cookie: bg_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure\r\n" },
	{ "maybe", -1, "Set-Cookie: bg_session=abc; Path=/; HttpOnly; SameSite=Strict\r\n" },
};

START_TEST(cookie_attributes)
{
	struct response r;
	if (cookies_good[_i].secure)
		config_set("cookie_secure", cookies_good[_i].secure);
	resp_init(&r);
	ck_assert_int_eq(resp_cookie(&r, "bg_session", "abc", cookies_good[_i].max_age), 0);
	ck_assert_str_eq(r.headers.data, cookies_good[_i].want);
	resp_release(&r);
}
END_TEST

static const struct {
	const char *name, *value;
} cookies_bad[] = {
	{ "bg_session", "a;b" },
	{ "bg_session", "a b" },
	{ "bg_session", "a,b" },
	{ "bg_session", "a\"b" },
	{ "bg_session", "a\\b" },
	{ "bg_session", "a\r\nSet-Cookie: x=1" },
	{ "bg_session", "a\nb" },
	{ "bg_session", "a\tb" },
	{ "bg_session", "a\x01" "b" },
	{ "bg_session", "中文" },
	{ "bg_session", "x; Domain=evil.example" },
	{ "bg=session", "abc" },
	{ "bg;session", "abc" },
	{ "bg session", "abc" },
	{ "bg,session", "abc" },
	{ "bg\r\nsession", "abc" },
	{ "", "abc" },
};

START_TEST(cookie_bad)
{
	struct response r;
	resp_init(&r);
	ck_assert_int_eq(resp_cookie(&r, cookies_bad[_i].name, cookies_bad[_i].value, -1), -1);
	ck_assert_uint_eq(r.headers.len, 0);
	resp_release(&r);
}
END_TEST

static const char *const local_good[] = {
	"/", "/home", "/cgi-bin/admin/users?page=2", "/a//b", "/a\\b", "/%2F%2Fevil",
	"/login?next=http://x",
};

static const char *const local_bad[] = {
	"",
	"//evil",
	"//evil.example/path",
	"/\\evil",
	"/\\/evil",
	"http://x",
	"https://evil.example/",
	"javascript:alert(1)",
	"evil",
	"\\\\evil",
	"\\/evil",
	" /home",
	"/\r\nLocation: http://evil",
	"/home\n",
	"/\t/evil",   /* browsers drop TAB and newlines: "//evil" */
	"/\n/evil",
	"/\r/evil",
	"/\t\\evil",
	"/\x01",
	"/\x7f",
};

START_TEST(local_path_good)
{
	ck_assert_msg(is_local_path(local_good[_i]), "refused \"%s\"", local_good[_i]);
}
END_TEST

START_TEST(local_path_bad)
{
	ck_assert_msg(!is_local_path(local_bad[_i]), "accepted row %d", _i);
}
END_TEST

START_TEST(local_path_null)
{
	ck_assert(!is_local_path(NULL));
}
END_TEST

START_TEST(redirect_local)
{
	struct response r;
	resp_init(&r);
	ck_assert_int_eq(resp_redirect(&r, "/admin/users?x=1"), 0);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(r.headers.data, "Location: /admin/users?x=1\r\n");
	resp_release(&r);
}
END_TEST

START_TEST(redirect_elsewhere_goes_home)
{
	struct response r;
	resp_init(&r);
	ck_assert_int_eq(resp_redirect(&r, local_bad[_i]), 0);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(r.headers.data, "Location: /home\r\n");
	resp_release(&r);
}
END_TEST

static const struct {
	int status;
	const char *text;
} statuses[] = {
	{ 200, "OK" },          { 303, "See Other" },          { 400, "Bad Request" },
	{ 403, "Forbidden" },   { 404, "Not Found" },          { 405, "Method Not Allowed" },
	{ 413, "Payload Too Large" }, { 415, "Unsupported Media Type" },
	{ 503, "Service Unavailable" }, { 999, "Status" },     { -1, "Status" },
};

START_TEST(status_texts)
{
	ck_assert_str_eq(status_text(statuses[_i].status), statuses[_i].text);
}
END_TEST

static Suite *response_suite(void)
{
	Suite *s = suite_create("response");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, security_headers_always, SC_PLAIN, SC_STREAM + 1);
	tcase_add_test(tc, stream_body);
	tcase_add_test(tc, stream_head_writes_no_body);
	tcase_add_test(tc, stream_cut_short);
	tcase_add_test(tc, stream_replaced_and_freed);
	tcase_add_test(tc, status_line_and_body);
	tcase_add_test(tc, head_has_no_body);
	tcase_add_test(tc, own_content_type_replaces_default);
	tcase_add_test(tc, writer_failure_reported);
	tcase_add_loop_test(tc, header_good, 0, (int)(sizeof headers_good / sizeof headers_good[0]));
	tcase_add_loop_test(tc, header_bad, 0, (int)(sizeof headers_bad / sizeof headers_bad[0]));
	tcase_add_loop_test(tc, cookie_attributes, 0, (int)(sizeof cookies_good / sizeof cookies_good[0]));
	tcase_add_loop_test(tc, cookie_bad, 0, (int)(sizeof cookies_bad / sizeof cookies_bad[0]));
	tcase_add_loop_test(tc, local_path_good, 0, (int)(sizeof local_good / sizeof local_good[0]));
	tcase_add_loop_test(tc, local_path_bad, 0, (int)(sizeof local_bad / sizeof local_bad[0]));
	tcase_add_test(tc, local_path_null);
	tcase_add_test(tc, redirect_local);
	tcase_add_loop_test(tc, redirect_elsewhere_goes_home, 0,
			    (int)(sizeof local_bad / sizeof local_bad[0]));
	tcase_add_loop_test(tc, status_texts, 0, (int)(sizeof statuses / sizeof statuses[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(response_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
