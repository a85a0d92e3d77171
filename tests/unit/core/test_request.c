/* Unit tests of request: urlencoded parsing (broken %-escapes, invalid
 * UTF-8, NUL, too many fields, fields too long), cookies (malformed pieces
 * ignored), and request_parse with a body reader written here (bodies over
 * max_body, Content-Length lying in both directions, reader errors). */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/request.h"
#include "core/banned.h"

static const struct limits dflt = { 1 << 20, 200, 65536 };

/* ---- urlencoded_parse ---- */

static const struct {
	const char *in;
	size_t n;
	const char *pairs[8]; /* name, value, name, value ... */
} url_good[] = {
	{ "a=1&b=2", 2, { "a", "1", "b", "2" } },
	{ "a=%E4%B8%AD%E6%96%87", 1, { "a", "中文" } },
	{ "a=%e4%b8%ad", 1, { "a", "中" } }, /* lower-case hex */
	{ "a=x+y", 1, { "a", "x y" } },
	{ "a=%2B%26%3D%25", 1, { "a", "+&=%" } },
	{ "a", 1, { "a", "" } },
	{ "a=", 1, { "a", "" } },
	{ "a=1&&b=2", 2, { "a", "1", "b", "2" } }, /* empty pairs skipped */
	{ "&a=1&", 1, { "a", "1" } },
	{ "a=1=2", 1, { "a", "1=2" } },
	{ "", 0, { NULL } },
	{ "&&&", 0, { NULL } },
	{ "a=1&a=2", 2, { "a", "1", "a", "2" } },
	{ "%E5%90%8D=v", 1, { "名", "v" } },
	{ "a=%09tab", 1, { "a", "\ttab" } }, /* controls are the form's business */
	{ "a=中文", 1, { "a", "中文" } },     /* raw UTF-8 is fine */
	{ "a=%F0%9F%98%80", 1, { "a", "\xf0\x9f\x98\x80" } },
};

START_TEST(urlencoded_good)
{
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(urlencoded_parse(&f, url_good[_i].in, strlen(url_good[_i].in), &dflt),
			 PARSE_OK);
	ck_assert_uint_eq(f.n, url_good[_i].n);
	for (size_t k = 0; k < f.n; k++) {
		ck_assert_str_eq(f.v[k].name, url_good[_i].pairs[2 * k]);
		ck_assert_str_eq(f.v[k].value, url_good[_i].pairs[2 * k + 1]);
		ck_assert_uint_eq(f.v[k].len, strlen(url_good[_i].pairs[2 * k + 1]));
	}
	fields_release(&f);
	ck_assert_ptr_null(f.v);
	ck_assert_uint_eq(f.n, 0);
}
END_TEST

static const struct {
	const char *in;
	enum parse_status st;
	size_t max_fields, max_field_bytes; /* 0: default */
} url_bad[] = {
	{ "a=%", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%4", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%zz", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%%", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%%41", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%4g", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%g4", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=% 4", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%-1", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=x%", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=%4&b=1", PARSE_BAD_ENCODING, 0, 0 }, /* '&' does not complete the escape */
	{ "%=1", PARSE_BAD_ENCODING, 0, 0 },
	{ "a%zz=1", PARSE_BAD_ENCODING, 0, 0 },
	{ "a=1&b=%", PARSE_BAD_ENCODING, 0, 0 },  /* a later field spoils all */
	{ "a=%C0%80", PARSE_BAD_UTF8, 0, 0 },     /* overlong NUL */
	{ "a=%C1%BF", PARSE_BAD_UTF8, 0, 0 },
	{ "a=%E0%80%AF", PARSE_BAD_UTF8, 0, 0 },  /* overlong '/' */
	{ "a=%ED%A0%80", PARSE_BAD_UTF8, 0, 0 },  /* surrogate */
	{ "a=%F4%90%80%80", PARSE_BAD_UTF8, 0, 0 },
	{ "a=%F5%80%80%80", PARSE_BAD_UTF8, 0, 0 },
	{ "a=%FF", PARSE_BAD_UTF8, 0, 0 },
	{ "a=%80", PARSE_BAD_UTF8, 0, 0 },
	{ "a=%E4%B8", PARSE_BAD_UTF8, 0, 0 },     /* truncated */
	{ "a=%E4%B8&b=%AD", PARSE_BAD_UTF8, 0, 0 }, /* not joined across fields */
	{ "a=%C2", PARSE_BAD_UTF8, 0, 0 },
	{ "a=%00", PARSE_BAD_UTF8, 0, 0 },        /* NUL */
	{ "a=x%00y", PARSE_BAD_UTF8, 0, 0 },
	{ "%00=1", PARSE_BAD_UTF8, 0, 0 },
	{ "a=\xff", PARSE_BAD_UTF8, 0, 0 },       /* raw bad byte */
	{ "a\xc0\x80=1", PARSE_BAD_UTF8, 0, 0 },
	{ "a=1&b=2&c=3&d=4", PARSE_TOO_MANY, 3, 0 },
	{ "a&b&c&d", PARSE_TOO_MANY, 3, 0 },
	{ "a=123456789", PARSE_FIELD_TOO_LONG, 0, 8 },
	{ "a=%E4%B8%AD%E4%B8%AD%E4%B8%AD", PARSE_FIELD_TOO_LONG, 0, 8 }, /* 9 bytes */
	{ "ok=1&a=123456789", PARSE_FIELD_TOO_LONG, 0, 8 },
};

START_TEST(urlencoded_bad)
{
	struct limits lim = dflt;
	struct fields f = { NULL, 0 };
	const char *in = url_bad[_i].in;
	if (url_bad[_i].max_fields)
		lim.max_fields = url_bad[_i].max_fields;
	if (url_bad[_i].max_field_bytes)
		lim.max_field_bytes = url_bad[_i].max_field_bytes;
	/* Whatever out held before is gone, and a failure leaves it empty. */
	ck_assert_int_eq(urlencoded_parse(&f, "old=1", 5, &dflt), PARSE_OK);
	ck_assert_int_eq(urlencoded_parse(&f, in, strlen(in), &lim), url_bad[_i].st);
	ck_assert_uint_eq(f.n, 0);
	ck_assert_ptr_null(f.v);
}
END_TEST

/* The limits are inclusive: exactly max fields and max bytes pass. */
START_TEST(urlencoded_limits_inclusive)
{
	struct limits lim = { 1 << 20, 3, 8 };
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(urlencoded_parse(&f, "a=1&b=2&c=3", 11, &lim), PARSE_OK);
	ck_assert_uint_eq(f.n, 3);
	ck_assert_int_eq(urlencoded_parse(&f, "a=12345678", 10, &lim), PARSE_OK);
	ck_assert_str_eq(fields_get(&f, "a"), "12345678");
	/* The limit is on decoded bytes, not on the escaped text. */
	ck_assert_int_eq(urlencoded_parse(&f, "a=%31%32%33%34%35%36%37%38", 26, &lim), PARSE_OK);
	ck_assert_str_eq(fields_get(&f, "a"), "12345678");
	/* A zero limit refuses any field (but not an empty body). */
	lim.max_fields = 0;
	ck_assert_int_eq(urlencoded_parse(&f, "a", 1, &lim), PARSE_TOO_MANY);
	ck_assert_int_eq(urlencoded_parse(&f, "&", 1, &lim), PARSE_OK);
	fields_release(&f);
}
END_TEST

START_TEST(urlencoded_long_name)
{
	struct fields f = { NULL, 0 };
	char in[600];
	memset(in, 'n', 300);
	memcpy(in + 300, "=1", 3);
	ck_assert_int_eq(urlencoded_parse(&f, in, strlen(in), &dflt), PARSE_FIELD_TOO_LONG);
	memset(in, 'n', 256);
	memcpy(in + 256, "=1", 3);
	ck_assert_int_eq(urlencoded_parse(&f, in, strlen(in), &dflt), PARSE_OK);
	fields_release(&f);
}
END_TEST

/* The length bounds the input: bytes after len are never part of it. */
START_TEST(urlencoded_uses_len)
{
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(urlencoded_parse(&f, "a=12&b=3", 4, &dflt), PARSE_OK);
	ck_assert_uint_eq(f.n, 1);
	ck_assert_str_eq(fields_get(&f, "a"), "12");
	ck_assert_int_eq(urlencoded_parse(&f, "a=%41", 4, &dflt), PARSE_BAD_ENCODING);
	fields_release(&f);
}
END_TEST

START_TEST(fields_get_first)
{
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(urlencoded_parse(&f, "a=1&b=2&a=3", 11, &dflt), PARSE_OK);
	ck_assert_str_eq(fields_get(&f, "a"), "1");
	ck_assert_str_eq(fields_get(&f, "b"), "2");
	ck_assert_ptr_null(fields_get(&f, "c"));
	ck_assert_ptr_null(fields_get(&f, "A"));
	fields_release(&f);
	ck_assert_ptr_null(fields_get(&f, "a"));
	fields_release(&f); /* twice is harmless */
}
END_TEST

/* ---- cookies_parse ---- */

static const struct {
	const char *header;
	size_t n;
	const char *pairs[8];
} cookie_cases[] = {
	{ "a=1; b=2", 2, { "a", "1", "b", "2" } },
	{ "bg_session=0123abcd", 1, { "bg_session", "0123abcd" } },
	{ "a=1;b=2", 2, { "a", "1", "b", "2" } },
	{ "  a=1 ;  b=2  ", 2, { "a", "1", "b", "2" } },
	{ "a=x=y", 1, { "a", "x=y" } },
	{ "a=", 1, { "a", "" } },
	{ "a=%41+", 1, { "a", "%41+" } }, /* taken literally, not decoded */
	{ "a=中文", 1, { "a", "中文" } },
	{ "", 0, { NULL } },
	{ ";;; ;", 0, { NULL } },
	/* Malformed pieces (other software on the same site) are skipped. */
	{ "junk; a=1", 1, { "a", "1" } },
	{ "a=1; junk", 1, { "a", "1" } },
	{ "a=1; junk;; ;b=2", 2, { "a", "1", "b", "2" } },
	{ "a=\xff; b=2", 1, { "b", "2" } },
	{ "\xc0\x80=1; b=2", 1, { "b", "2" } },
	{ "a=\xed\xa0\x80; b=2", 1, { "b", "2" } },
	{ "a=\xe4\xb8; b=2", 1, { "b", "2" } },
	{ "b=2; a=\xf5", 1, { "b", "2" } },
};

START_TEST(cookies)
{
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(cookies_parse(&f, cookie_cases[_i].header, &dflt), PARSE_OK);
	ck_assert_uint_eq(f.n, cookie_cases[_i].n);
	for (size_t k = 0; k < f.n; k++) {
		ck_assert_str_eq(f.v[k].name, cookie_cases[_i].pairs[2 * k]);
		ck_assert_str_eq(f.v[k].value, cookie_cases[_i].pairs[2 * k + 1]);
	}
	fields_release(&f);
}
END_TEST

START_TEST(cookies_absent)
{
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(cookies_parse(&f, NULL, &dflt), PARSE_OK);
	ck_assert_uint_eq(f.n, 0);
}
END_TEST

START_TEST(cookie_too_long_is_skipped)
{
	struct limits lim = { 1 << 20, 200, 8 };
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(cookies_parse(&f, "big=123456789; a=12345678", &lim), PARSE_OK);
	ck_assert_uint_eq(f.n, 1);
	ck_assert_str_eq(fields_get(&f, "a"), "12345678");
	fields_release(&f);
}
END_TEST

START_TEST(cookies_too_many)
{
	struct limits lim = { 1 << 20, 2, 100 };
	struct fields f = { NULL, 0 };
	ck_assert_int_eq(cookies_parse(&f, "a=1; b=2", &lim), PARSE_OK);
	ck_assert_int_eq(cookies_parse(&f, "a=1; b=2; c=3", &lim), PARSE_TOO_MANY);
	/* Skipped pieces do not count. */
	ck_assert_int_eq(cookies_parse(&f, "x; a=1; y; b=\xff; c=3", &lim), PARSE_OK);
	ck_assert_uint_eq(f.n, 2);
	fields_release(&f);
}
END_TEST

/* ---- request_parse ---- */

/* name, value, ..., NULL; a NULL value is an absent variable. */
struct env {
	const char *vars[24];
};

static const char *env_lookup(void *ctx, const char *name)
{
	const struct env *e = ctx;
	for (size_t i = 0; e->vars[i]; i += 2)
		if (!strcmp(e->vars[i], name))
			return e->vars[i + 1];
	return NULL;
}

/* A body that arrives in pieces of at most chunk bytes, and can fail. */
struct body {
	const char *data;
	size_t len, pos, chunk;
	bool fail; /* return -1 once the data is used up */
	int calls;
};

static ssize_t body_read(void *ctx, char *dst, size_t len)
{
	struct body *b = ctx;
	size_t n = b->len - b->pos;
	b->calls++;
	if (!n && b->fail)
		return -1;
	if (n > len)
		n = len;
	if (b->chunk && n > b->chunk)
		n = b->chunk;
	memcpy(dst, b->data + b->pos, n);
	b->pos += n;
	return (ssize_t)n;
}

#define URLENC "application/x-www-form-urlencoded"

START_TEST(get_with_query)
{
	struct env e = { { "REQUEST_METHOD", "GET", "REQUEST_URI", "/cgi-bin/admin/users?page=2",
			   "QUERY_STRING", "page=2&q=%E5%93%88", "REMOTE_ADDR", "127.0.0.1",
			   NULL } };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, NULL, NULL, &dflt), PARSE_OK);
	ck_assert_int_eq(req.method, METHOD_GET);
	ck_assert_str_eq(req.path, "/cgi-bin/admin/users");
	ck_assert_str_eq(req.uri, "/cgi-bin/admin/users?page=2");
	ck_assert_str_eq(req.remote_addr, "127.0.0.1");
	ck_assert_ptr_null(req.content_type);
	ck_assert_int_eq(req.content_length, -1);
	ck_assert_str_eq(fields_get(&req.query, "q"), "哈");
	ck_assert_str_eq(request_param(&req, "page"), "2");
	ck_assert_uint_eq(req.form.n, 0);
	ck_assert_uint_eq(strlen(req.request_id), 16);
	ck_assert_uint_eq(strspn(req.request_id, "0123456789abcdef"), 16);
	request_release(&req);
	ck_assert_ptr_null(req.path);
}
END_TEST

START_TEST(copies_not_pointers)
{
	/* The request keeps its own copies: FCGX_Finish_r frees the originals. */
	char uri[] = "/x?y", addr[] = "10.0.0.1", ct[] = "text/plain";
	struct env e = { { "REQUEST_METHOD", "GET", "REQUEST_URI", uri, "REMOTE_ADDR", addr,
			   "CONTENT_TYPE", ct, NULL } };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, NULL, NULL, &dflt), PARSE_OK);
	memset(uri, 'X', sizeof uri - 1);
	memset(addr, 'X', sizeof addr - 1);
	memset(ct, 'X', sizeof ct - 1);
	ck_assert_str_eq(req.path, "/x");
	ck_assert_str_eq(req.uri, "/x?y");
	ck_assert_str_eq(req.remote_addr, "10.0.0.1");
	ck_assert_str_eq(req.content_type, "text/plain");
	request_release(&req);
}
END_TEST

static const struct {
	const char *method;
	enum method want;
} methods[] = {
	{ "GET", METHOD_GET }, { "POST", METHOD_POST }, { "HEAD", METHOD_HEAD },
	{ "PUT", METHOD_OTHER }, { "DELETE", METHOD_OTHER }, { "get", METHOD_OTHER },
	{ "GET ", METHOD_OTHER }, { "", METHOD_OTHER }, { NULL, METHOD_OTHER },
};

START_TEST(method_parse)
{
	struct env e = { { "REQUEST_METHOD", methods[_i].method, NULL } };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, NULL, NULL, &dflt), PARSE_OK);
	ck_assert_int_eq(req.method, methods[_i].want);
	request_release(&req);
}
END_TEST

START_TEST(path_fallbacks)
{
	struct env e1 = { { "REQUEST_METHOD", "GET", "SCRIPT_NAME", "/cgi-bin/home", NULL } };
	struct env e2 = { { "REQUEST_METHOD", "GET", NULL } };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e1, NULL, NULL, &dflt), PARSE_OK);
	ck_assert_str_eq(req.path, "/cgi-bin/home");
	request_release(&req);
	ck_assert_int_eq(request_parse(&req, env_lookup, &e2, NULL, NULL, &dflt), PARSE_OK);
	ck_assert_str_eq(req.path, "/");
	request_release(&req);
}
END_TEST

START_TEST(cookies_from_env)
{
	struct env e = { { "REQUEST_METHOD", "GET", "HTTP_COOKIE", "junk; bg_session=abc; x=\xff",
			   NULL } };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, NULL, NULL, &dflt), PARSE_OK);
	ck_assert_uint_eq(req.cookies.n, 1);
	ck_assert_str_eq(fields_get(&req.cookies, "bg_session"), "abc");
	request_release(&req);
}
END_TEST

START_TEST(bad_query_refused)
{
	struct env e = { { "REQUEST_METHOD", "GET", "QUERY_STRING", "a=%zz", NULL } };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, NULL, NULL, &dflt), PARSE_BAD_ENCODING);
	ck_assert_int_eq(req.status, PARSE_BAD_ENCODING);
	ck_assert_uint_eq(req.query.n, 0);
	request_release(&req);
}
END_TEST

/* A POST of a urlencoded body.  cl: CONTENT_LENGTH (NULL: absent); body
 * and the reader's piece size; max_body; the status and how many form
 * fields it must give. */
static const struct {
	const char *cl;
	const char *ct;
	const char *body;
	size_t chunk;
	bool fail;
	size_t max_body;
	enum parse_status st;
	size_t n_form;
	bool reads; /* whether the reader may be called at all */
} posts[] = {
	/* good */
	{ "7", URLENC, "x=1&y=2", 0, false, 100, PARSE_OK, 2, true },
	{ "7", URLENC, "x=1&y=2", 1, false, 100, PARSE_OK, 2, true },  /* byte by byte */
	{ NULL, URLENC, "x=1&y=2", 3, false, 100, PARSE_OK, 2, true }, /* no length: to the end */
	{ "", URLENC, "x=1", 0, false, 100, PARSE_OK, 1, true },       /* empty means absent */
	{ "0", URLENC, "", 0, false, 100, PARSE_OK, 0, true },
	{ "7", URLENC "; charset=UTF-8", "x=1&y=2", 0, false, 100, PARSE_OK, 2, true },
	{ "7", "Application/X-WWW-Form-URLEncoded", "x=1&y=2", 0, false, 100, PARSE_OK, 2, true },
	{ "10", URLENC, "x=12345678", 0, false, 10, PARSE_OK, 1, true }, /* exactly max_body */
	{ NULL, URLENC, "x=12345678", 4, false, 10, PARSE_OK, 1, true },
	/* bodies this parser leaves to others: unread, no form fields */
	{ "7", "multipart/form-data; boundary=xyz", "x=1&y=2", 0, false, 100, PARSE_OK, 0, false },
	{ "7", "text/plain", "x=1&y=2", 0, false, 100, PARSE_OK, 0, false },
	{ "7", URLENC "x", "x=1&y=2", 0, false, 100, PARSE_OK, 0, false },
	{ "7", NULL, "x=1&y=2", 0, false, 100, PARSE_OK, 0, false },
	/* too large */
	{ "11", URLENC, "x=123456789", 0, false, 10, PARSE_TOO_LARGE, 0, false }, /* said so */
	{ "1000000", URLENC, "x=1", 0, false, 10, PARSE_TOO_LARGE, 0, false },
	{ NULL, URLENC, "x=123456789", 0, false, 10, PARSE_TOO_LARGE, 0, true },  /* found so */
	{ NULL, URLENC, "x=123456789", 1, false, 10, PARSE_TOO_LARGE, 0, true },
	{ "3", URLENC, "x=123456789", 0, false, 10, PARSE_TOO_LARGE, 0, true },   /* length lies low */
	{ "3", URLENC, "x=123456789", 2, false, 10, PARSE_TOO_LARGE, 0, true },
	/* Content-Length lying within the limit */
	{ "3", URLENC, "x=12345", 0, false, 100, PARSE_IO, 0, true },   /* more than said */
	{ "50", URLENC, "x=12345", 0, false, 100, PARSE_IO, 0, true },  /* less than said */
	{ "8", URLENC, "x=12345", 3, false, 100, PARSE_IO, 0, true },   /* one short */
	{ "1", URLENC, "", 0, false, 100, PARSE_IO, 0, true },
	/* the reader fails */
	{ "7", URLENC, "x=1", 0, true, 100, PARSE_IO, 0, true },
	{ NULL, URLENC, "x=1&y=2", 2, true, 100, PARSE_IO, 0, true },
	/* a malformed Content-Length */
	{ "abc", URLENC, "x=1", 0, false, 100, PARSE_BAD_ENCODING, 0, false },
	{ "-1", URLENC, "x=1", 0, false, 100, PARSE_BAD_ENCODING, 0, false },
	{ "3x", URLENC, "x=1", 0, false, 100, PARSE_BAD_ENCODING, 0, false },
	{ "99999999999999999999", URLENC, "x=1", 0, false, 100, PARSE_BAD_ENCODING, 0, false },
	/* a bad body */
	{ "5", URLENC, "x=%zz", 0, false, 100, PARSE_BAD_ENCODING, 0, true },
	{ "3", URLENC, "x=%", 0, false, 100, PARSE_BAD_ENCODING, 0, true },
	{ "5", URLENC, "x=%FF", 0, false, 100, PARSE_BAD_UTF8, 0, true },
	{ "5", URLENC, "x=%00", 0, false, 100, PARSE_BAD_UTF8, 0, true },
	{ "11", URLENC, "a&b&c&d&e&f", 0, false, 100, PARSE_OK, 6, true },
};

START_TEST(post_body)
{
	struct env e = { { "REQUEST_METHOD", "POST", "REQUEST_URI", "/cgi-bin/login/login",
			   "CONTENT_TYPE", posts[_i].ct, "CONTENT_LENGTH", posts[_i].cl, NULL } };
	struct body b = { posts[_i].body, strlen(posts[_i].body), 0, posts[_i].chunk,
			  posts[_i].fail, 0 };
	struct limits lim = dflt;
	struct request req;
	lim.max_body = posts[_i].max_body;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, body_read, &b, &lim), posts[_i].st);
	ck_assert_int_eq(req.status, posts[_i].st);
	ck_assert_uint_eq(req.form.n, posts[_i].n_form);
	if (!posts[_i].reads)
		ck_assert_int_eq(b.calls, 0);
	/* The reader stays available to the program (multipart). */
	ck_assert_ptr_eq(req.read_ctx, &b);
	request_release(&req);
}
END_TEST

START_TEST(post_fields)
{
	struct env e = { { "REQUEST_METHOD", "POST", "REQUEST_URI", "/p?src=q&x=fromquery",
			   "QUERY_STRING", "src=q&x=fromquery", "CONTENT_TYPE", URLENC,
			   "CONTENT_LENGTH", "27", NULL } };
	struct body b = { "x=%E4%B8%AD&csrf=abc&empty=", 27, 0, 5, false, 0 };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, body_read, &b, &dflt), PARSE_OK);
	ck_assert_int_eq(req.content_length, 27);
	ck_assert_str_eq(fields_get(&req.form, "x"), "中");
	ck_assert_str_eq(request_param(&req, "x"), "中"); /* the body wins */
	ck_assert_str_eq(request_param(&req, "src"), "q");
	ck_assert_str_eq(request_param(&req, "empty"), "");
	ck_assert_ptr_null(request_param(&req, "none"));
	request_release(&req);
}
END_TEST

START_TEST(get_body_not_read)
{
	struct env e = { { "REQUEST_METHOD", "GET", "CONTENT_TYPE", URLENC, "CONTENT_LENGTH", "3",
			   NULL } };
	struct body b = { "x=1", 3, 0, 0, false, 0 };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, body_read, &b, &dflt), PARSE_OK);
	ck_assert_int_eq(b.calls, 0);
	ck_assert_uint_eq(req.form.n, 0);
	request_release(&req);
}
END_TEST

START_TEST(large_body_in_many_reads)
{
	/* More than one 8 KiB read, within the limit. */
	size_t n = 40000;
	char *body = malloc(n + 1), cl[32];
	struct env e = { { "REQUEST_METHOD", "POST", "CONTENT_TYPE", URLENC, "CONTENT_LENGTH", cl,
			   NULL } };
	struct body b;
	struct limits lim = { 50000, 10, 50000 };
	struct request req;
	memcpy(body, "big=", 4);
	memset(body + 4, 'z', n - 4);
	body[n] = '\0';
	snprintf(cl, sizeof cl, "%zu", n);
	b = (struct body){ body, n, 0, 0, false, 0 };
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, body_read, &b, &lim), PARSE_OK);
	ck_assert_uint_eq(strlen(fields_get(&req.form, "big")), n - 4);
	ck_assert_int_gt(b.calls, 4);
	request_release(&req);
	lim.max_body = n - 1;
	b = (struct body){ body, n, 0, 0, false, 0 };
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, body_read, &b, &lim), PARSE_TOO_LARGE);
	request_release(&req);
	free(body);
}
END_TEST

/* Content types: which parser a body belongs to. */
static const struct {
	const char *ct;
	bool urlencoded, multipart;
} types[] = {
	{ URLENC, true, false },
	{ URLENC "; charset=UTF-8", true, false },
	{ "APPLICATION/X-WWW-FORM-URLENCODED", true, false },
	{ "multipart/form-data; boundary=----x", false, true },
	{ "multipart/form-data", false, true },
	{ "Multipart/Form-Data;boundary=x", false, true },
	{ URLENC "x", false, false },
	{ "multipart/form-datax", false, false },
	{ "multipart/mixed; boundary=x", false, false },
	{ "text/plain", false, false },
	{ "application/json", false, false },
	{ " " URLENC, false, false },
	{ "", false, false },
	{ NULL, false, false },
};

START_TEST(content_types)
{
	struct env e = { { "REQUEST_METHOD", "GET", "CONTENT_TYPE", types[_i].ct, NULL } };
	struct request req;
	ck_assert_int_eq(request_parse(&req, env_lookup, &e, NULL, NULL, &dflt), PARSE_OK);
	ck_assert_int_eq(request_is_urlencoded(&req), types[_i].urlencoded);
	ck_assert_int_eq(request_is_multipart(&req), types[_i].multipart);
	request_release(&req);
}
END_TEST

START_TEST(status_codes_and_messages)
{
	static const struct {
		enum parse_status st;
		int http;
	} map[] = {
		{ PARSE_OK, 200 },          { PARSE_TOO_LARGE, 413 },    { PARSE_TOO_MANY, 400 },
		{ PARSE_FIELD_TOO_LONG, 400 }, { PARSE_BAD_ENCODING, 400 }, { PARSE_BAD_UTF8, 400 },
		{ PARSE_BAD_TYPE, 415 },    { PARSE_IO, 400 },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		ck_assert_int_eq(parse_status_http(map[i].st), map[i].http);
		if (map[i].st == PARSE_OK)
			ck_assert_str_eq(parse_status_message(map[i].st), "");
		else
			ck_assert_uint_gt(strlen(parse_status_message(map[i].st)), 3);
	}
}
END_TEST

/* Limits come from the configuration; an unusable value there must not
 * lift a limit. */
static const struct {
	const char *value; /* for all three keys; NULL: unset */
	size_t body, fields, bytes;
} config_limits[] = {
	{ NULL, 1 << 20, 200, 65536 },
	{ "100", 100, 100, 100 },
	{ "abc", 1 << 20, 200, 65536 },
	{ "-1", 1 << 20, 200, 65536 },
	{ "0", 1 << 20, 200, 65536 },
	{ "-9223372036854775808", 1 << 20, 200, 65536 },
};

START_TEST(limits_from_configuration)
{
	struct limits lim;
	config_release();
	if (config_limits[_i].value) {
		config_set("max_body_bytes", config_limits[_i].value);
		config_set("max_fields", config_limits[_i].value);
		config_set("max_field_bytes", config_limits[_i].value);
	}
	limits_from_config(&lim);
	ck_assert_uint_eq(lim.max_body, config_limits[_i].body);
	ck_assert_uint_eq(lim.max_fields, config_limits[_i].fields);
	ck_assert_uint_eq(lim.max_field_bytes, config_limits[_i].bytes);
	config_release();
}
END_TEST

static Suite *request_suite(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, urlencoded_good, 0, (int)(sizeof url_good / sizeof url_good[0]));
	tcase_add_loop_test(tc, urlencoded_bad, 0, (int)(sizeof url_bad / sizeof url_bad[0]));
	tcase_add_test(tc, urlencoded_limits_inclusive);
	tcase_add_test(tc, urlencoded_long_name);
	tcase_add_test(tc, urlencoded_uses_len);
	tcase_add_test(tc, fields_get_first);
	tcase_add_loop_test(tc, cookies, 0, (int)(sizeof cookie_cases / sizeof cookie_cases[0]));
	tcase_add_test(tc, cookies_absent);
	tcase_add_test(tc, cookie_too_long_is_skipped);
	tcase_add_test(tc, cookies_too_many);
	tcase_add_test(tc, get_with_query);
	tcase_add_test(tc, copies_not_pointers);
	tcase_add_loop_test(tc, method_parse, 0, (int)(sizeof methods / sizeof methods[0]));
	tcase_add_test(tc, path_fallbacks);
	tcase_add_test(tc, cookies_from_env);
	tcase_add_test(tc, bad_query_refused);
	tcase_add_loop_test(tc, post_body, 0, (int)(sizeof posts / sizeof posts[0]));
	tcase_add_test(tc, post_fields);
	tcase_add_test(tc, get_body_not_read);
	tcase_add_test(tc, large_body_in_many_reads);
	tcase_add_loop_test(tc, content_types, 0, (int)(sizeof types / sizeof types[0]));
	tcase_add_test(tc, status_codes_and_messages);
	tcase_add_loop_test(tc, limits_from_configuration, 0,
			    (int)(sizeof config_limits / sizeof config_limits[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(request_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
