/* Unit tests for src/multipart: boundary extraction, the streaming parser
 * (every body fed whole, one byte at a time and split at every position),
 * each limit at and over its value, the error messages, and the download
 * filename helpers. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/multipart.h"
#include "core/utf8.h"
#include "core/banned.h"

/* A body literal with its length, so bodies may hold NUL bytes. */
#define BODY(s) s, sizeof(s) - 1
#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct mp_limits roomy = {
	.max_parts = 20,
	.max_header_bytes = 1024,
	.max_field_bytes = 1024,
	.max_file_bytes = 1 << 20,
	.max_total_bytes = 1 << 24,
	.max_filename_bytes = 255,
};

/* ---- a recorder: the callbacks write a transcript ----
 * part_begin: {name;f=filename;t=type}   data: bytes, with \r \n \\ and
 * other control bytes escaped   part_end: {/}  */
struct rec {
	struct buf out;
	int fail_in;   /* 1 begin, 2 data, 3 end: that callback returns 1 */
	size_t seen;   /* data bytes of the current part, checked against part->size */
};

static int rec_begin(void *ctx, const struct mp_part *p)
{
	struct rec *r = ctx;
	ck_assert_ptr_nonnull(p->name);
	ck_assert_uint_eq(p->size, 0);
	buf_addf(&r->out, "{%s", p->name);
	if (p->filename)
		buf_addf(&r->out, ";f=%s", p->filename);
	if (p->content_type)
		buf_addf(&r->out, ";t=%s", p->content_type);
	buf_addc(&r->out, '}');
	r->seen = 0;
	return r->fail_in == 1;
}

static int rec_data(void *ctx, const struct mp_part *p, const char *d, size_t n)
{
	struct rec *r = ctx;
	ck_assert_uint_gt(n, 0);
	r->seen += n;
	ck_assert_uint_eq(p->size, r->seen);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)d[i];
		if (c == '\r')
			buf_adds(&r->out, "\\r");
		else if (c == '\n')
			buf_adds(&r->out, "\\n");
		else if (c == '\\')
			buf_adds(&r->out, "\\\\");
		else if (c < 0x20 || c == 0x7F)
			buf_addf(&r->out, "\\x%02x", c);
		else
			buf_addc(&r->out, (char)c);
	}
	return r->fail_in == 2;
}

static int rec_end(void *ctx, const struct mp_part *p)
{
	struct rec *r = ctx;
	ck_assert_uint_eq(p->size, r->seen);
	buf_adds(&r->out, "{/}");
	return r->fail_in == 3;
}

static const struct mp_callbacks rec_cb = { rec_begin, rec_data, rec_end };

/* Parses body fed in pieces: chunk 0 means whole; otherwise pieces of
 * `chunk` bytes, except that split > 0 cuts once at that offset instead. */
static enum mp_err run(const char *boundary, const struct mp_limits *lim, const char *body,
                       size_t len, size_t chunk, size_t split, struct rec *r)
{
	struct mp_parser *p = mp_parser_new(boundary, lim, &rec_cb, r);
	enum mp_err e = MP_OK;

	if (split) {
		e = mp_feed(p, body, split);
		if (e == MP_OK)
			e = mp_feed(p, body + split, len - split);
	} else if (chunk == 0) {
		e = mp_feed(p, body, len);
	} else {
		for (size_t i = 0; i < len && e == MP_OK; i += chunk)
			e = mp_feed(p, body + i, len - i < chunk ? len - i : chunk);
	}
	if (e == MP_OK)
		e = mp_finish(p);
	/* Errors are sticky. */
	if (e != MP_OK) {
		ck_assert_int_eq(mp_feed(p, "x", 1), e);
		ck_assert_int_eq(mp_finish(p), e);
	}
	mp_parser_free(p);
	return e;
}

/* ---- good bodies ---- */

static const struct good {
	const char *what;
	const char *boundary;
	const char *body;
	size_t len;
	const char *want;
} good[] = {
	{ "one field", "XyZ",
	  BODY("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XyZ--\r\n"),
	  "{a}hello{/}" },
	{ "browser form: fields and a file", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
	  BODY("------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
	       "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
	       "\xe5\x85\xb8\xe5\x9e\x8b\xe7\xbb\x8f\xe9\xaa\x8c\r\n"
	       "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
	       "Content-Disposition: form-data; name=\"doc\"; filename=\"report.pdf\"\r\n"
	       "Content-Type: application/pdf\r\n\r\n"
	       "%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\r\n\r\n"
	       "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
	       "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	       "abc123\r\n"
	       "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n"),
	  "{title}\xe5\x85\xb8\xe5\x9e\x8b\xe7\xbb\x8f\xe9\xaa\x8c{/}"
	  "{doc;f=report.pdf;t=application/pdf}%PDF-1.7\\r\\n%\xe2\xe3\xcf\xd3\\r\\n{/}"
	  "{csrf}abc123{/}" },
	{ "empty value", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--b--"),
	  "{e}{/}" },
	{ "empty file input", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
	       "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n"),
	  "{f;f=;t=application/octet-stream}{/}" },
	{ "content that almost holds the delimiter", "XyZ",
	  BODY("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	       "1\r\n2\r\n-3\r\n--4\r\n--X5\r\n--Xy6\r\n--XyQ\r\r\n\r\n--XyZ--\r\n"),
	  "{a}1\\r\\n2\\r\\n-3\\r\\n--4\\r\\n--X5\\r\\n--Xy6\\r\\n--XyQ\\r\\r\\n{/}" },
	{ "content ending in CR and in CRLF", "XyZ",
	  BODY("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\r\n--XyZ\r\n"
	       "Content-Disposition: form-data; name=\"b\"\r\n\r\ny\r\n\r\n--XyZ--\r\n"),
	  "{a}x\\r{/}{b}y\\r\\n{/}" },
	{ "binary content with NUL bytes", "q",
	  BODY("--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b.bin\"\r\n\r\n"
	       "\x00\x01\xff\x00\r\n--q--\r\n"),
	  "{f;f=b.bin}\\x00\\x01\xff\\x00{/}" },
	{ "preamble and epilogue", "XyZ",
	  BODY("This is a preamble.\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	       "v\r\n--XyZ--\r\nThis is the epilogue. --XyZ\r\n"),
	  "{a}v{/}" },
	{ "transport padding after boundaries", "XyZ",
	  BODY("--XyZ \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ  \r\n"
	       "Content-Disposition: form-data; name=\"b\"\r\n\r\nw\r\n--XyZ--"),
	  "{a}v{/}{b}w{/}" },
	{ "no parts at all", "XyZ", BODY("--XyZ--\r\n"), "" },
	{ "filename* in UTF-8 wins over filename", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"fallback.pdf\"; "
	       "filename*=UTF-8''%E5%85%B8%E5%9E%8B.pdf\r\n\r\nx\r\n--b--\r\n"),
	  "{f;f=\xe5\x85\xb8\xe5\x9e\x8b.pdf}x{/}" },
	{ "filename* alone, lower-case charset and a language", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	       "filename*=utf-8'zh-CN'a%20b.pdf\r\n\r\nx\r\n--b--\r\n"),
	  "{f;f=a b.pdf}x{/}" },
	{ "filename* with lower-case hex and 4-byte UTF-8", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	       "filename*=UTF-8''%e4%b8%ad%F0%9F%98%80.pdf\r\n\r\nx\r\n--b--\r\n"),
	  "{f;f=\xe4\xb8\xad\xf0\x9f\x98\x80.pdf}x{/}" },
	{ "filename* in ISO-8859-1", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	       "filename*=ISO-8859-1''%A3rates.pdf\r\n\r\nx\r\n--b--\r\n"),
	  "{f;f=\xc2\xa3rates.pdf}x{/}" },
	{ "Windows path keeps its backslashes", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"C:\\dir\\a.pdf\"\r\n\r\n"
	       "x\r\n--b--\r\n"),
	  "{f;f=C:\\dir\\a.pdf}x{/}" },
	{ "quoted-pair escapes", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"a\\\"b\"; filename=\"q\\\\.txt\"\r\n\r\n"
	       "x\r\n--b--\r\n"),
	  "{a\"b;f=q\\.txt}x{/}" },
	{ "case-insensitive names, unquoted token, extra parameters and headers", "b",
	  BODY("--b\r\ncontent-disposition:FORM-DATA;NAME=tok;size=3; x=\"y\"\r\n"
	       "Content-Transfer-Encoding: binary\r\nCONTENT-TYPE:  text/plain; charset=utf-8 \r\n\r\n"
	       "abc\r\n--b--\r\n"),
	  "{tok;t=text/plain; charset=utf-8}abc{/}" },
	{ "Chinese field name and filename, raw UTF-8", "b",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"\xe6\x91\x98\xe8\xa6\x81\"\r\n\r\n"
	       "\xe5\x86\x85\xe5\xae\xb9\r\n--b\r\n"
	       "Content-Disposition: form-data; name=\"doc\"; filename=\"\xe6\x89\xbf\xe8\xaf\xba\xe4\xb9\xa6.pdf\"\r\n\r\n"
	       "%PDF\r\n--b--\r\n"),
	  "{\xe6\x91\x98\xe8\xa6\x81}\xe5\x86\x85\xe5\xae\xb9{/}"
	  "{doc;f=\xe6\x89\xbf\xe8\xaf\xba\xe4\xb9\xa6.pdf}%PDF{/}" },
	{ "boundary with space and punctuation", "a b'()+_,-./:=?",
	  BODY("--a b'()+_,-./:=?\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	       "v\r\n--a b'()+_,-./:=?--\r\n"),
	  "{a}v{/}" },
	{ "boundary of 70 characters",
	  "0123456789012345678901234567890123456789012345678901234567890123456789",
	  BODY("--0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
	       "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n"
	       "--0123456789012345678901234567890123456789012345678901234567890123456789--\r\n"),
	  "{a}v{/}" },
	{ "tight header spacing and tab in the filename", "b",
	  BODY("--b\r\nContent-Disposition:form-data;name=a;filename=\"x\ty\"\r\n\r\nv\r\n--b--"),
	  "{a;f=x\ty}v{/}" },
};

static void check_good(const struct good *g, size_t chunk, size_t split, const char *how)
{
	struct rec r = { BUF_INIT, 0, 0 };
	enum mp_err e = run(g->boundary, &roomy, g->body, g->len, chunk, split, &r);
	ck_assert_msg(e == MP_OK, "%s (%s, split %zu): %s", g->what, how, split, mp_errname(e));
	ck_assert_msg(strcmp(r.out.data, g->want) == 0, "%s (%s, split %zu):\n got %s\nwant %s",
	              g->what, how, split, r.out.data, g->want);
	buf_release(&r.out);
}

/* One test per body, fed in every way (one fork per test is what costs). */
START_TEST(test_good)
{
	check_good(&good[_i], 0, 0, "whole");
	check_good(&good[_i], 1, 0, "byte by byte");
	for (size_t s = 1; s < good[_i].len; s++)
		check_good(&good[_i], 0, s, "two pieces");
	check_good(&good[_i], 3, 0, "3-byte pieces");
	check_good(&good[_i], 7, 0, "7-byte pieces");
}
END_TEST

/* ---- bad bodies ---- */

static const struct bad {
	const char *what;
	const char *body;
	size_t len;
	enum mp_err want;
} bad[] = {
	{ "empty body", BODY(""), MP_ERR_TRUNCATED },
	{ "only the first boundary", BODY("--b\r\n"), MP_ERR_TRUNCATED },
	{ "headers cut off", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n"), MP_ERR_TRUNCATED },
	{ "no closing boundary", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"),
	  MP_ERR_TRUNCATED },
	{ "closing boundary cut", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b-"),
	  MP_ERR_TRUNCATED },
	{ "delimiter cut", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--"),
	  MP_ERR_TRUNCATED },
	{ "boundary without CRLF before it", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv--b--\r\n"),
	  MP_ERR_TRUNCATED },
	{ "wrong boundary", BODY("--c\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--c--\r\n"),
	  MP_ERR_TRUNCATED },
	{ "Unix line endings", BODY("--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n"), MP_ERR_CRLF },
	{ "header line ended by LF", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_CRLF },
	{ "bare CR in a header line", BODY("--b\r\nContent-Disposition: form-data;\r name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_CRLF },
	{ "CR without LF after boundary", BODY("--b\rContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_CRLF },
	{ "padding then LF", BODY("--b \nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_CRLF },
	{ "junk after boundary", BODY("--bx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_BOUNDARY_LINE },
	{ "boundary inside content", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--bad\r\n--b--\r\n"),
	  MP_ERR_BOUNDARY_LINE },
	{ "single dash after boundary", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b-x"),
	  MP_ERR_BOUNDARY_LINE },
	{ "junk after padding", BODY("--b  x\r\n"), MP_ERR_BOUNDARY_LINE },
	{ "header without colon", BODY("--b\r\nContent-Disposition form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_HEADER_SYNTAX },
	{ "folded header", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n filename=\"x\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_HEADER_SYNTAX },
	{ "space before colon", BODY("--b\r\nContent-Disposition : form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_HEADER_SYNTAX },
	{ "empty header name", BODY("--b\r\n: form-data\r\n\r\nv\r\n--b--\r\n"), MP_ERR_HEADER_SYNTAX },
	{ "non-ASCII Content-Type", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: t\xe6\x96\x87\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_HEADER_SYNTAX },
	{ "empty Content-Type", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: \r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_HEADER_SYNTAX },
	{ "two Content-Disposition headers", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	  "Content-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--b--\r\n"), MP_ERR_HEADER_DUPLICATE },
	{ "two Content-Type headers", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	  "Content-Type: text/plain\r\ncontent-type: application/pdf\r\n\r\nv\r\n--b--\r\n"), MP_ERR_HEADER_DUPLICATE },
	{ "no Content-Disposition", BODY("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NO_DISPOSITION },
	{ "no headers at all", BODY("--b\r\n\r\nv\r\n--b--\r\n"), MP_ERR_NO_DISPOSITION },
	{ "attachment, not form-data", BODY("--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "empty disposition", BODY("--b\r\nContent-Disposition:\r\n\r\nv\r\n--b--\r\n"), MP_ERR_DISPOSITION },
	{ "two names", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "two filenames", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"; filename=\"y\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "unterminated quote", BODY("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "parameter without value", BODY("--b\r\nContent-Disposition: form-data; name=\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "parameter without =", BODY("--b\r\nContent-Disposition: form-data; name\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "missing semicolon", BODY("--b\r\nContent-Disposition: form-data name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "trailing semicolon", BODY("--b\r\nContent-Disposition: form-data; name=\"a\";\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "unquoted non-token value", BODY("--b\r\nContent-Disposition: form-data; name=a b\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "quoted filename*", BODY("--b\r\nContent-Disposition: form-data; name=\"a\"; filename*=\"UTF-8''x\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_DISPOSITION },
	{ "name missing", BODY("--b\r\nContent-Disposition: form-data; filename=\"a.pdf\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NO_NAME },
	{ "name empty", BODY("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--b--\r\n"), MP_ERR_NO_NAME },
	{ "name not UTF-8", BODY("--b\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NAME_INVALID },
	{ "name overlong UTF-8", BODY("--b\r\nContent-Disposition: form-data; name=\"\xc0\xaf\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NAME_INVALID },
	{ "name with a control character", BODY("--b\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NAME_INVALID },
	{ "NUL in name", BODY("--b\r\nContent-Disposition: form-data; name=\"a\x00z\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NUL_BYTE },
	{ "NUL in another header", BODY("--b\r\nX-Note: \x00\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NUL_BYTE },
	{ "filename not UTF-8 (GBK)", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\xb5\xe4.pdf\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename with a surrogate", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\xed\xa0\x80.pdf\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename with a control character", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\x07.pdf\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* unknown charset", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=GBK''%B5%E4\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* bad percent", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%G1\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* cut percent", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''a%E\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* not UTF-8 once decoded", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%FF.pdf\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* without language quote", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8'a.pdf\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* without quotes", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=a.pdf\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* with a non-attr-char", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''a*.pdf\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_FILENAME_INVALID },
	{ "filename* with NUL", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''a%00.pdf\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NUL_BYTE },
	{ "NUL in filename", BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\x00.pdf\"\r\n\r\nv\r\n--b--\r\n"),
	  MP_ERR_NUL_BYTE },
	{ "no boundary at all, long junk", BODY("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
	  MP_ERR_PREAMBLE },
};

/* The bad table runs with a small header limit so the long-junk case
 * trips the preamble bound. */
static const struct mp_limits bad_limits = {
	.max_parts = 20,
	.max_header_bytes = 100,
	.max_field_bytes = 1024,
	.max_file_bytes = 1024,
	.max_total_bytes = 1 << 20,
	.max_filename_bytes = 255,
};

static void check_bad(const struct bad *b, size_t chunk, const char *how)
{
	struct rec r = { BUF_INIT, 0, 0 };
	enum mp_err e = run("b", &bad_limits, b->body, b->len, chunk, 0, &r);
	ck_assert_msg(e == b->want, "%s (%s): got %s, want %s", b->what, how, mp_errname(e),
	              mp_errname(b->want));
	buf_release(&r.out);
}

START_TEST(test_bad)
{
	check_bad(&bad[_i], 0, "whole");
	check_bad(&bad[_i], 1, "byte by byte");
	check_bad(&bad[_i], 5, "5-byte pieces");
}
END_TEST

/* ---- limits, each at its value (accepted) and one over (refused) ---- */

#define HDR "Content-Disposition: form-data; name=\"a\"\r\n\r\n" /* 44 bytes */
#define FHDR "Content-Disposition: form-data; name=\"f\"; filename=\"\xe4\xb8\xad.pdf\"\r\n\r\n"

static const struct lim {
	const char *what;
	const char *body;
	size_t len;
	int which;   /* the field of mp_limits to set */
	size_t value;
	enum mp_err want;
} lims[] = {
#define L_PARTS 0
#define L_HEADER 1
#define L_FIELD 2
#define L_FILE 3
#define L_TOTAL 4
#define L_FNAME 5
	{ "2 parts, max 2", BODY("--b\r\n" HDR "1\r\n--b\r\n" HDR "2\r\n--b--\r\n"), L_PARTS, 2, MP_OK },
	{ "3 parts, max 2", BODY("--b\r\n" HDR "1\r\n--b\r\n" HDR "2\r\n--b\r\n" HDR "3\r\n--b--\r\n"), L_PARTS, 2,
	  MP_ERR_TOO_MANY_PARTS },
	{ "no parts, max 0", BODY("--b--\r\n"), L_PARTS, 0, MP_OK },
	{ "1 part, max 0", BODY("--b\r\n" HDR "1\r\n--b--\r\n"), L_PARTS, 0, MP_ERR_TOO_MANY_PARTS },
	{ "headers of 44 bytes, max 44", BODY("--b\r\n" HDR "1\r\n--b--\r\n"), L_HEADER, 44, MP_OK },
	{ "headers of 44 bytes, max 43", BODY("--b\r\n" HDR "1\r\n--b--\r\n"), L_HEADER, 43, MP_ERR_HEADER_TOO_LONG },
	{ "preamble of 10 bytes, max 44", BODY("0123456789\r\n--b\r\n" HDR "1\r\n--b--\r\n"), L_HEADER, 44, MP_OK },
	{ "field of 5 bytes, max 5", BODY("--b\r\n" HDR "12345\r\n--b--\r\n"), L_FIELD, 5, MP_OK },
	{ "field of 6 bytes, max 5", BODY("--b\r\n" HDR "123456\r\n--b--\r\n"), L_FIELD, 5, MP_ERR_FIELD_TOO_LARGE },
	{ "field of 1 byte, max 0", BODY("--b\r\n" HDR "1\r\n--b--\r\n"), L_FIELD, 0, MP_ERR_FIELD_TOO_LARGE },
	{ "file of 5 bytes, max 5", BODY("--b\r\n" FHDR "%PDF-\r\n--b--\r\n"), L_FILE, 5, MP_OK },
	{ "file of 6 bytes, max 5", BODY("--b\r\n" FHDR "%PDF-1\r\n--b--\r\n"), L_FILE, 5, MP_ERR_FILE_TOO_LARGE },
	{ "file with CRs over the limit", BODY("--b\r\n" FHDR "\r\r\r\r\r\r\r\n--b--\r\n"), L_FILE, 5,
	  MP_ERR_FILE_TOO_LARGE },
	{ "field not bound by the file limit", BODY("--b\r\n" HDR "123456\r\n--b--\r\n"), L_FILE, 0, MP_OK },
	{ "file not bound by the field limit", BODY("--b\r\n" FHDR "123456\r\n--b--\r\n"), L_FIELD, 0, MP_OK },
	{ "body of 59 bytes, max 59", BODY("--b\r\n" HDR "1\r\n--b--\r\n"), L_TOTAL, 59, MP_OK },
	{ "body of 59 bytes, max 58", BODY("--b\r\n" HDR "1\r\n--b--\r\n"), L_TOTAL, 58, MP_ERR_TOTAL_TOO_LARGE },
	{ "epilogue counts in the total", BODY("--b\r\n" HDR "1\r\n--b--\r\nxx"), L_TOTAL, 60, MP_ERR_TOTAL_TOO_LARGE },
	{ "filename of 7 bytes, max 7", BODY("--b\r\n" FHDR "1\r\n--b--\r\n"), L_FNAME, 7, MP_OK },
	{ "filename of 7 bytes, max 6", BODY("--b\r\n" FHDR "1\r\n--b--\r\n"), L_FNAME, 6, MP_ERR_FILENAME_TOO_LONG },
	{ "decoded filename* counted, max 7",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%E4%B8%AD.pdf\r\n\r\n1\r\n--b--\r\n"),
	  L_FNAME, 7, MP_OK },
	{ "decoded filename* counted, max 6",
	  BODY("--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%E4%B8%AD.pdf\r\n\r\n1\r\n--b--\r\n"),
	  L_FNAME, 6, MP_ERR_FILENAME_TOO_LONG },
};

static void check_lim(const struct lim *l, size_t chunk, const char *how)
{
	struct mp_limits lim = roomy;
	struct rec r = { BUF_INIT, 0, 0 };
	enum mp_err e;

	switch (l->which) {
	case L_PARTS: lim.max_parts = l->value; break;
	case L_HEADER: lim.max_header_bytes = l->value; break;
	case L_FIELD: lim.max_field_bytes = l->value; break;
	case L_FILE: lim.max_file_bytes = l->value; break;
	case L_TOTAL: lim.max_total_bytes = l->value; break;
	case L_FNAME: lim.max_filename_bytes = l->value; break;
	default: abort();
	}
	e = run("b", &lim, l->body, l->len, chunk, 0, &r);
	ck_assert_msg(e == l->want, "%s (%s): got %s, want %s", l->what, how, mp_errname(e),
	              mp_errname(l->want));
	buf_release(&r.out);
}

START_TEST(test_limits)
{
	check_lim(&lims[_i], 0, "whole");
	check_lim(&lims[_i], 1, "byte by byte");
}
END_TEST

START_TEST(test_limit_reports_part)
{
	struct mp_limits lim = roomy;
	struct rec r = { BUF_INIT, 0, 0 };
	static const char body[] = "--b\r\n" FHDR "%PDF-1\r\n--b--\r\n";
	struct mp_parser *p;
	const struct mp_part *part;

	lim.max_file_bytes = 5;
	p = mp_parser_new("b", &lim, &rec_cb, &r);
	ck_assert_int_eq(mp_feed(p, body, sizeof body - 1), MP_ERR_FILE_TOO_LARGE);
	part = mp_parser_part(p);
	ck_assert_ptr_nonnull(part);
	ck_assert_str_eq(part->filename, "\xe4\xb8\xad.pdf");
	ck_assert_uint_eq(mp_parser_parts(p), 1);
	mp_parser_free(p);
	buf_release(&r.out);
}
END_TEST

/* ---- callbacks stop the parser ---- */

START_TEST(test_callback_abort)
{
	static const char body[] = "--b\r\n" HDR "1\r\n--b--\r\n";
	struct rec r = { BUF_INIT, (int)_i + 1, 0 };
	ck_assert_int_eq(run("b", &roomy, body, sizeof body - 1, 0, 0, &r), MP_ERR_CALLBACK);
	buf_release(&r.out);
}
END_TEST

START_TEST(test_null_callbacks)
{
	static const char body[] = "--b\r\n" HDR "1\r\n--b--\r\n";
	struct mp_parser *p = mp_parser_new("b", &roomy, NULL, NULL);
	ck_assert_int_eq(mp_feed(p, body, sizeof body - 1), MP_OK);
	ck_assert_int_eq(mp_finish(p), MP_OK);
	ck_assert_ptr_null(mp_parser_part(p));
	mp_parser_free(p);
}
END_TEST

/* ---- a 20 MiB file, streamed: content full of CRs and near-delimiters ---- */

struct big {
	uint32_t seed;  /* generator state, replayed by the checker */
	size_t got;
	int ended;
};

/* Half the bytes from a pool of delimiter pieces, half random; never 'Z',
 * so the content never holds the real delimiter "\r\n--XyZ", as a client
 * must ensure (RFC 2046 5.1.1), yet is full of near misses. */
static unsigned char big_byte(uint32_t *s)
{
	static const char pool[] = "\r\n--Xy\r\n--X\r\n-";
	unsigned char c;

	*s = *s * 1664525u + 1013904223u;
	if ((*s >> 24) & 1)
		return (unsigned char)pool[(*s >> 8) % (sizeof pool - 1)];
	c = (unsigned char)(*s >> 16);
	return c == 'Z' ? 'z' : c;
}

static int big_data(void *ctx, const struct mp_part *p, const char *d, size_t n)
{
	struct big *b = ctx;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)d[i] != big_byte(&b->seed))
			return 1;
	b->got += n;
	return 0;
}

static int big_end(void *ctx, const struct mp_part *p)
{
	struct big *b = ctx;
	b->ended++;
	return 0;
}

/* Streams a file of `size` bytes in odd-sized chunks, so delimiters and
 * near misses straddle chunk edges; the checker regenerates the content. */
static enum mp_err big_run(size_t size, size_t limit, size_t *got)
{
	static const char head[] = "--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"big.pdf\"\r\n\r\n";
	static const char tail[] = "\r\n--XyZ--\r\n";
	const struct mp_callbacks cb = { NULL, big_data, big_end };
	struct mp_limits lim = roomy;
	struct big check = { 12345u, 0, 0 };
	uint32_t gen = 12345u;
	static char chunk[65536 + 7];
	struct mp_parser *p;
	enum mp_err e;
	size_t left = size;

	lim.max_file_bytes = limit;
	lim.max_total_bytes = 64u << 20;
	p = mp_parser_new("XyZ", &lim, &cb, &check);
	e = mp_feed(p, head, sizeof head - 1);
	while (e == MP_OK && left > 0) {
		size_t n = left < sizeof chunk ? left : sizeof chunk;
		for (size_t i = 0; i < n; i++)
			chunk[i] = (char)big_byte(&gen);
		left -= n;
		e = mp_feed(p, chunk, n);
		/* Streaming: the parser holds back at most a delimiter's worth
		 * ("\r\n--XyZ", 7 bytes) of what it was fed. */
		if (e == MP_OK)
			ck_assert_uint_le(size - left - check.got, 7);
	}
	if (e == MP_OK)
		e = mp_feed(p, tail, sizeof tail - 1);
	if (e == MP_OK)
		e = mp_finish(p);
	if (e == MP_OK)
		ck_assert_int_eq(check.ended, 1);
	mp_parser_free(p);
	*got = check.got;
	return e;
}

START_TEST(test_big_file)
{
	size_t got = 0;
	enum mp_err e;

	e = big_run(20u << 20, 20u << 20, &got);
	ck_assert_msg(e == MP_OK, "20 MiB at the limit: %s", mp_errname(e));
	ck_assert_uint_eq(got, 20u << 20);
	e = big_run((20u << 20) + 1, 20u << 20, &got);
	ck_assert_msg(e == MP_ERR_FILE_TOO_LARGE, "20 MiB + 1: %s", mp_errname(e));
}
END_TEST

/* ---- boundary extraction ---- */

static const struct ct {
	const char *ct;
	enum mp_err want;
	const char *boundary;
} cts[] = {
	{ "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", MP_OK,
	  "----WebKitFormBoundary7MA4YWxkTrZu0gW" },
	{ "multipart/form-data; boundary=\"a b:c\"", MP_OK, "a b:c" },
	{ "Multipart/Form-Data;BOUNDARY=abc", MP_OK, "abc" },
	{ "multipart/form-data; charset=utf-8; boundary=x", MP_OK, "x" },
	{ "multipart/form-data; boundary=x; charset=\"utf-8\"", MP_OK, "x" },
	{ "  multipart/form-data ; boundary = =_Part_1/x ", MP_OK, "=_Part_1/x" },
	{ "multipart/form-data; boundary=\"q\\\"\"", MP_ERR_BOUNDARY, "" }, /* '"' is no bchar */
	{ "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789",
	  MP_OK, "0123456789012345678901234567890123456789012345678901234567890123456789" },
	/* bad */
	{ NULL, MP_ERR_CONTENT_TYPE, "" },
	{ "", MP_ERR_CONTENT_TYPE, "" },
	{ "application/x-www-form-urlencoded", MP_ERR_CONTENT_TYPE, "" },
	{ "multipart/mixed; boundary=x", MP_ERR_CONTENT_TYPE, "" },
	{ "multipart/form-datax; boundary=x", MP_ERR_CONTENT_TYPE, "" },
	{ "multipart form-data; boundary=x", MP_ERR_CONTENT_TYPE, "" },
	{ "multipart/form-data", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data;", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=\"\"", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=01234567890123456789012345678901234567890123456789012345678901234567890",
	  MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=\"abc \"", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=\"abc", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=a; boundary=b", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=a<b", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=\"a\xe4\xb8\xad\"", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=a\xe4\xb8\xad", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data boundary=x", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; =x", MP_ERR_BOUNDARY, "" },
	{ "multipart/form-data; boundary=x y", MP_ERR_BOUNDARY, "" },
};

START_TEST(test_boundary)
{
	char out[MP_BOUNDARY_MAX + 1];
	enum mp_err e = mp_boundary(cts[_i].ct, out, sizeof out);
	ck_assert_msg(e == cts[_i].want, "%s: got %s, want %s", cts[_i].ct ? cts[_i].ct : "(null)",
	              mp_errname(e), mp_errname(cts[_i].want));
	ck_assert_str_eq(out, cts[_i].boundary);
}
END_TEST

/* ---- messages ---- */

START_TEST(test_messages)
{
	for (int e = 0; e < MP_ERR_COUNT_; e++) {
		const char *m = mp_strerror((enum mp_err)e);
		int st = mp_http_status((enum mp_err)e);
		ck_assert_ptr_nonnull(m);
		ck_assert_msg(utf8_valid(m, strlen(m)) && utf8_count(m, strlen(m)) < strlen(m),
		              "%s: message not Chinese", mp_errname((enum mp_err)e));
		ck_assert_msg(strncmp(mp_errname((enum mp_err)e), "MP_", 3) == 0, "name of %d", e);
		ck_assert(e == MP_OK ? st == 200 : st >= 400 && st <= 500);
		for (int f = 0; f < e; f++)
			ck_assert_msg(strcmp(m, mp_strerror((enum mp_err)f)) != 0, "codes %d and %d share a message", f, e);
	}
	ck_assert_str_eq(mp_strerror(MP_ERR_FILE_TOO_LARGE), "上传文件超过大小限制");
	ck_assert_str_eq(mp_strerror(MP_ERR_TRUNCATED), "上传数据不完整");
	ck_assert_int_eq(mp_http_status(MP_ERR_FILE_TOO_LARGE), 413);
	ck_assert_int_eq(mp_http_status(MP_ERR_CONTENT_TYPE), 415);
	ck_assert_int_eq(mp_http_status(MP_ERR_TRUNCATED), 400);
}
END_TEST

/* ---- download names ---- */

#define SPACES10 "          "
#define SPACES50 SPACES10 SPACES10 SPACES10 SPACES10 SPACES10
/* 28 bytes: with "PRN." the name is exactly 32. */
#define EXT28 "abcdefghijklmnopqrstuvwxyzab"

static const struct fname {
	const char *in;
	size_t max;
	const char *want;
} fnames[] = {
	{ "report.pdf", 200, "report.pdf" },
	{ "\xe5\x85\xb8\xe5\x9e\x8b\xe7\xbb\x8f\xe9\xaa\x8c.pdf", 200, "\xe5\x85\xb8\xe5\x9e\x8b\xe7\xbb\x8f\xe9\xaa\x8c.pdf" },
	{ "C:\\Users\\li\\Desktop\\a.pdf", 200, "a.pdf" },
	{ "/etc/passwd", 200, "passwd" },
	{ "../../x.pdf", 200, "x.pdf" },
	{ "..", 200, "file" },
	{ "", 200, "file" },
	{ "dir/", 200, "file" },
	{ ".htaccess", 200, "htaccess" },
	{ "  a.pdf. . ", 200, "a.pdf" },
	{ "a\r\nb\x01\x7f.pdf", 200, "ab.pdf" },
	{ "a<b>c:d\"e|f?g*h.pdf", 200, "a_b_c_d_e_f_g_h.pdf" },
	{ "invoice\xe2\x80\xae" "fdp.exe", 200, "invoicefdp.exe" },   /* U+202E right-to-left override */
	{ "a\xe2\x80\x8b" "b\xef\xbb\xbf.pdf", 200, "ab.pdf" },       /* zero-width space, BOM */
	{ "a\xc2\x85" "b.pdf", 200, "ab.pdf" },                       /* C1 control U+0085 */
	{ "a\xff\xc0\xaf" "b\xed\xa0\x80.pdf", 200, "ab.pdf" },       /* invalid, overlong, surrogate */
	{ "con.txt", 200, "_con.txt" },
	{ "LPT1", 200, "_LPT1" },
	{ "COM10.txt", 200, "COM10.txt" },
	{ "console.txt", 200, "console.txt" },
	{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz.pdf", 32, "abcdefghijklmnopqrstuvwxyzab.pdf" },
	/* 20 Chinese characters (60 bytes) + ".pdf", cut to 40 bytes: 12 characters */
	{ "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81"
	  "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81.pdf",
	  40,
	  "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81"
	  "\xe4\xb8\x80\xe4\xba\x8c.pdf" },
	/* the same cut to 41 bytes: 37 for the stem would split a character */
	{ "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81"
	  "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81.pdf",
	  41,
	  "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\xe5\x9b\x9b\xe4\xba\x94\xe5\x85\xad\xe4\xb8\x83\xe5\x85\xab\xe4\xb9\x9d\xe5\x8d\x81"
	  "\xe4\xb8\x80\xe4\xba\x8c.pdf" },
	{ "\xf0\x9f\x98\x80 \xe7\x85\xa7\xe7\x89\x87.png", 200, "\xf0\x9f\x98\x80 \xe7\x85\xa7\xe7\x89\x87.png" },
	{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz.averyveryverylongextension", 32,
	  "abcdefghijklmnopqrstuvwxyzabcdef" },
	{ "abcdefghijklmnopqrstuvwxyz.....................pdf", 32, "abcdefghijklmnopqrstuvwxyz.pdf" },
	/* Device names are checked on the final name: the cut and its trim
	 * must not turn a long name into one. */
	{ "CON" SPACES50 SPACES50 SPACES50 SPACES50 SPACES50 ".pdf", 200, "_CON.pdf" },
	{ "nul" SPACES50 ".pdf", 32, "_nul.pdf" },
	{ "aux" SPACES50 "x", 32, "_aux" },
	{ "con .txt", 200, "_con .txt" },
	{ "COM0.txt", 200, "_COM0.txt" },
	{ "lpt9", 200, "_lpt9" },
	{ "LPT\xc2\xb9.txt", 200, "_LPT\xc2\xb9.txt" },
	{ "COM\xc2\xb4.txt", 200, "COM\xc2\xb4.txt" }, /* U+00B4 is no superscript digit */
	{ "PRN." EXT28, 32, "_PRN." "abcdefghijklmnopqrstuvwxyza" },
	{ "a\xd8\x9c" "b.pdf", 200, "ab.pdf" },                      /* U+061C Arabic letter mark */
	{ "a\xe2\x81\xa6" "b\xe2\x81\xa9.pdf", 200, "ab.pdf" },   /* U+2066, U+2069 isolates */
};

START_TEST(test_safe_filename)
{
	char *s = mp_safe_filename(fnames[_i].in, fnames[_i].max);
	ck_assert_msg(strcmp(s, fnames[_i].want) == 0, "%s: got %s, want %s", fnames[_i].in, s, fnames[_i].want);
	ck_assert(strlen(s) <= fnames[_i].max && strlen(s) > 0);
	ck_assert(utf8_valid(s, strlen(s)));
	free(s);
}
END_TEST

static const struct cd {
	const char *in;
	const char *want;
} cds[] = {
	{ "report.pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf" },
	{ "\xe5\x85\xb8\xe5\x9e\x8b.pdf",
	  "attachment; filename=\"file.pdf\"; filename*=UTF-8''%E5%85%B8%E5%9E%8B.pdf" },
	{ "2024\xe5\xb9\xb4\xe7\x94\xb3\xe6\x8a\xa5 v2.pdf",
	  "attachment; filename=\"2024_ v2.pdf\"; filename*=UTF-8''2024%E5%B9%B4%E7%94%B3%E6%8A%A5%20v2.pdf" },
	{ "a\"b\\c;d%e'f.pdf", "attachment; filename=\"c;d_e'f.pdf\"; filename*=UTF-8''c%3Bd%25e%27f.pdf" },
	{ "\r\n", "attachment; filename=\"file\"; filename*=UTF-8''file" },
	{ "x\r\nContent-Type: text.pdf",
	  "attachment; filename=\"xContent-Type_ text.pdf\"; filename*=UTF-8''xContent-Type_%20text.pdf" },
	{ "\xe2\x80\xae" "fdp.exe", "attachment; filename=\"fdp.exe\"; filename*=UTF-8''fdp.exe" },
};

START_TEST(test_content_disposition)
{
	struct buf b = BUF_INIT;
	mp_content_disposition(&b, cds[_i].in);
	ck_assert_str_eq(b.data, cds[_i].want);
	for (size_t i = 0; i < b.len; i++)
		ck_assert((unsigned char)b.data[i] >= 0x20 && (unsigned char)b.data[i] < 0x7F);
	buf_release(&b);
}
END_TEST

static Suite *multipart_suite(void)
{
	Suite *s = suite_create("multipart");
	TCase *tc;

	tc = tcase_create("good");
	tcase_add_loop_test(tc, test_good, 0, (int)N_ELEM(good));
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_loop_test(tc, test_bad, 0, (int)N_ELEM(bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_limits, 0, (int)N_ELEM(lims));
	tcase_add_test(tc, test_limit_reports_part);
	tcase_add_loop_test(tc, test_callback_abort, 0, 3);
	tcase_add_test(tc, test_null_callbacks);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_test(tc, test_big_file);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("boundary");
	tcase_add_loop_test(tc, test_boundary, 0, (int)N_ELEM(cts));
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_messages);
	tcase_add_loop_test(tc, test_safe_filename, 0, (int)N_ELEM(fnames));
	tcase_add_loop_test(tc, test_content_disposition, 0, (int)N_ELEM(cds));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(multipart_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
