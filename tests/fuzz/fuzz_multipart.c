/* libFuzzer target for src/multipart.
 *
 * Input: an optional first line (up to 200 bytes before '\n') taken as the
 * Content-Type header value, the rest as the body.  If the first line gives
 * no valid boundary, the whole input is the body and the boundary is
 * "fuzzB".  The body is parsed twice, whole and in small pieces; the two
 * runs must agree on the outcome and, when both succeed, on every callback
 * (a hash of the transcript).  Every name and filename the parser hands out
 * also goes through mp_safe_filename and mp_content_disposition, whose
 * promises are checked.  Any broken promise traps.
 */
#include "core/multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

/* Small limits, so the fuzzer reaches every one of them.  No total limit:
 * it is checked before a chunk is looked at, so whole and piecewise runs
 * would legitimately disagree on which error comes first. */
static const struct mp_limits lim = {
	.max_parts = 8,
	.max_header_bytes = 256,
	.max_field_bytes = 512,
	.max_file_bytes = 2048,
	.max_total_bytes = SIZE_MAX,
	.max_filename_bytes = 64,
};

struct run {
	uint64_t h;       /* FNV-1a of the transcript */
	int open;         /* a part has begun and not ended */
	size_t parts;
};

static void mix(struct run *r, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		r->h ^= b[i];
		r->h *= 1099511628211ull;
	}
}

/* The oracle for device names, written apart from multipart.c: the part
 * before the first dot, blanks at its end ignored, is CON, PRN, AUX, NUL,
 * or COM/LPT with 0-9 or a superscript 1-3 (any case).  Windows opens the
 * device for such a name, whatever the extension. */
static int names_device(const char *s)
{
	static const char *const dev[] = { "con", "prn", "aux", "nul" };
	char low[8];
	size_t n = strcspn(s, ".");
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n < 3 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	low[n] = '\0';
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(low, dev[i]))
			return 1;
	if (strncmp(low, "com", 3) && strncmp(low, "lpt", 3))
		return 0;
	if (n == 4)
		return low[3] >= '0' && low[3] <= '9';
	return !strcmp(low + 3, "\xc2\xb9") || !strcmp(low + 3, "\xc2\xb2") ||
	       !strcmp(low + 3, "\xc2\xb3");
}

static void check_name(const char *s, size_t max)
{
	char *safe = mp_safe_filename(s, max);
	size_t n = strlen(safe);
	struct buf cd = BUF_INIT;

	CHECK(n > 0 && n <= max);
	CHECK(utf8_valid(safe, n) && !utf8_has_controls(safe, n, false));
	CHECK(!strpbrk(safe, "/\\<>:\"|?*"));
	CHECK(safe[0] != '.' && safe[0] != ' ' && safe[n - 1] != '.' && safe[n - 1] != ' ');
	CHECK(!names_device(safe));
	free(safe);
	mp_content_disposition(&cd, s);
	CHECK(strncmp(cd.data, "attachment; filename=\"", 22) == 0);
	for (size_t i = 0; i < cd.len; i++)
		CHECK((unsigned char)cd.data[i] >= 0x20 && (unsigned char)cd.data[i] < 0x7F);
	buf_release(&cd);
}

static int on_begin(void *ctx, const struct mp_part *p)
{
	struct run *r = ctx;
	size_t n = strlen(p->name);

	CHECK(!r->open && p->index == r->parts && p->size == 0);
	CHECK(n > 0 && utf8_valid(p->name, n) && !utf8_has_controls(p->name, n, false));
	r->open = 1;
	r->parts++;
	mix(r, "B", 1);
	mix(r, p->name, n + 1);
	if (p->filename) {
		size_t fn = strlen(p->filename);
		CHECK(fn <= lim.max_filename_bytes && utf8_valid(p->filename, fn));
		mix(r, p->filename, fn + 1);
		check_name(p->filename, 32 + p->index % 64);
	}
	if (p->content_type)
		mix(r, p->content_type, strlen(p->content_type) + 1);
	check_name(p->name, 32);
	return 0;
}

static int on_data(void *ctx, const struct mp_part *p, const char *d, size_t n)
{
	struct run *r = ctx;
	CHECK(r->open && n > 0);
	CHECK(p->size <= (p->filename ? lim.max_file_bytes : lim.max_field_bytes));
	mix(r, d, n); /* byte-wise, so the split into pieces does not matter */
	return 0;
}

static int on_end(void *ctx, const struct mp_part *p)
{
	struct run *r = ctx;
	CHECK(r->open);
	r->open = 0;
	mix(r, "E", 1);
	return 0;
}

static const struct mp_callbacks cb = { on_begin, on_data, on_end };

static enum mp_err parse(const char *b, const char *body, size_t len, size_t step, struct run *r)
{
	struct mp_parser *p = mp_parser_new(b, &lim, &cb, r);
	enum mp_err e = MP_OK;
	size_t i = 0, k = 0;

	while (i < len && e == MP_OK) {
		/* Pieces of 1 to step bytes, varying so edges fall everywhere. */
		size_t n = step ? 1 + (k++ * 7 + len) % step : len;
		if (n > len - i)
			n = len - i;
		e = mp_feed(p, body + i, n);
		i += n;
	}
	if (e == MP_OK)
		e = mp_finish(p);
	CHECK(mp_feed(p, "x", 1) == e && mp_finish(p) == e);
	CHECK((unsigned)e < MP_ERR_COUNT_ && mp_strerror(e) && mp_errname(e));
	CHECK(e == MP_OK || (mp_http_status(e) >= 400 && mp_http_status(e) <= 500));
	if (e == MP_OK)
		CHECK(!r->open);
	mp_parser_free(p);
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char boundary[MP_BOUNDARY_MAX + 1] = "fuzzB";
	const char *nl = memchr(in, '\n', size < 200 ? size : 200);
	const char *body = in;
	size_t len = size;
	struct run whole = { 14695981039346656037ull, 0, 0 };
	struct run piecewise = { 14695981039346656037ull, 0, 0 };
	enum mp_err e1, e2;

	if (nl) {
		char ct[201];
		char b[MP_BOUNDARY_MAX + 1];
		size_t n = (size_t)(nl - in);
		memcpy(ct, in, n);
		ct[n] = '\0';
		if (mp_boundary(ct, b, sizeof b) == MP_OK) {
			CHECK(mp_boundary_valid(b, strlen(b)));
			memcpy(boundary, b, sizeof b);
			body = nl + 1;
			len = size - n - 1;
		}
	}
	e1 = parse(boundary, body, len, 0, &whole);
	e2 = parse(boundary, body, len, 1 + size % 13, &piecewise);
	CHECK(e1 == e2);
	if (e1 == MP_OK)
		CHECK(whole.h == piecewise.h && whole.parts == piecewise.parts);
	return 0;
}
