/* libFuzzer target for the urlencoded and Cookie parsers of src/request.
 *
 * The whole input is an application/x-www-form-urlencoded body for
 * urlencoded_parse, then the body of a POST read by request_parse in
 * pieces, and, up to its first NUL, a Cookie header for cookies_parse.  The
 * promises of request.h are checked: parsed names and values are valid
 * UTF-8 without NUL bytes, within the limits, and a failed urlencoded parse
 * leaves no fields; the body read in pieces gives the very same fields as
 * the direct parse; and the fields, encoded again (url_encode) and parsed,
 * come back the same.  Any broken promise traps.
 */
#include "core/request.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "core/utf8.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

/* Small, so the fuzzer reaches them. */
static const struct limits lim = {
	.max_body = 4096,
	.max_fields = 16,
	.max_field_bytes = 64,
};

static void check_fields(const struct fields *f)
{
	CHECK(f->n <= lim.max_fields);
	CHECK(f->n == 0 || f->v != NULL);
	for (size_t i = 0; i < f->n; i++) {
		const struct field *x = &f->v[i];
		size_t nl = strlen(x->name);
		CHECK(utf8_valid(x->name, nl));
		CHECK(strlen(x->value) == x->len); /* no NUL inside */
		CHECK(utf8_valid(x->value, x->len));
		CHECK(x->len <= lim.max_field_bytes);
		/* fields_get finds a value for every name (the first of that name). */
		CHECK(fields_get(f, x->name) != NULL);
	}
}

/* Same names and values in the same order. */
static void check_same(const struct fields *a, const struct fields *b)
{
	CHECK(a->n == b->n);
	for (size_t i = 0; i < a->n; i++) {
		CHECK(strcmp(a->v[i].name, b->v[i].name) == 0);
		CHECK(a->v[i].len == b->v[i].len);
		CHECK(memcmp(a->v[i].value, b->v[i].value, a->v[i].len) == 0);
	}
}

/* Encode f as a body again and parse it: the same fields.  The body may be
 * up to three times longer, so the limit on it is raised for this parse. */
static void check_round_trip(const struct fields *f)
{
	static const struct limits wide = {
		.max_body = 3 * 4096 + 64,
		.max_fields = 16,
		.max_field_bytes = 64,
	};
	struct buf body = BUF_INIT;
	struct fields again = { NULL, 0 };

	for (size_t i = 0; i < f->n; i++) {
		if (i)
			buf_addc(&body, '&');
		url_encode(&body, f->v[i].name, strlen(f->v[i].name));
		buf_addc(&body, '=');
		url_encode(&body, f->v[i].value, f->v[i].len);
	}
	CHECK(urlencoded_parse(&again, body.data ? body.data : "", body.len, &wide) == PARSE_OK);
	check_same(f, &again);
	fields_release(&again);
	buf_release(&body);
}

/* The CGI environment of a urlencoded POST whose body is the input. */
struct env {
	const uint8_t *data;
	size_t size, pos, k;
	char length[32];
};

static const char *lookup(void *ctx, const char *name)
{
	struct env *e = ctx;
	if (!strcmp(name, "REQUEST_METHOD"))
		return "POST";
	if (!strcmp(name, "REQUEST_URI"))
		return "/cgi-bin/test/page?x=1";
	if (!strcmp(name, "CONTENT_TYPE"))
		return "application/x-www-form-urlencoded; charset=UTF-8";
	if (!strcmp(name, "CONTENT_LENGTH"))
		return e->length;
	return NULL;
}

/* Hands the body out in pieces of 1 to 17 bytes. */
static ssize_t reader(void *ctx, char *dst, size_t len)
{
	struct env *e = ctx;
	size_t n = 1 + (e->k++ * 5 + e->size) % 17;
	if (n > len)
		n = len;
	if (n > e->size - e->pos)
		n = e->size - e->pos;
	memcpy(dst, e->data + e->pos, n);
	e->pos += n;
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fields f = { NULL, 0 };
	struct env env = { data, size, 0, 0, "" };
	struct request req;
	enum parse_status st, st2;
	char *cookie;

	st = urlencoded_parse(&f, (const char *)data, size, &lim);
	CHECK(parse_status_message(st) != NULL);
	CHECK(st == PARSE_OK ? parse_status_http(st) == 200 : parse_status_http(st) >= 400);
	if (st == PARSE_OK) {
		check_fields(&f);
		check_round_trip(&f);
	} else {
		CHECK(f.n == 0);
	}

	/* request_parse must read the body in pieces and agree with the
	 * direct parse (the query "x=1" is always fine). */
	snprintf(env.length, sizeof env.length, "%zu", size);
	st2 = request_parse(&req, lookup, &env, reader, &env, &lim);
	CHECK(st2 == req.status);
	CHECK(size > lim.max_body ? st2 == PARSE_TOO_LARGE : st2 == st);
	if (st2 == PARSE_OK) {
		check_fields(&req.form);
		check_fields(&req.query);
		check_same(&f, &req.form);
		CHECK(strcmp(req.path, "/cgi-bin/test/page") == 0);
	}
	request_release(&req);
	fields_release(&f);
	CHECK(f.n == 0 && f.v == NULL);

	cookie = malloc(size + 1);
	CHECK(cookie != NULL);
	memcpy(cookie, data, size);
	cookie[size] = '\0';
	st = cookies_parse(&f, cookie, &lim);
	if (st == PARSE_OK)
		check_fields(&f);
	fields_release(&f);
	free(cookie);
	return 0;
}
