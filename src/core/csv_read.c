#include "core/csv_read.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/banned.h"

const char *csv_charset_label(enum csv_charset cs)
{
	switch (cs) {
	case CSV_CHARSET_UTF8:
		return "UTF-8";
	case CSV_CHARSET_UTF8_BOM:
		return "UTF-8（带 BOM）";
	case CSV_CHARSET_GB18030:
		return "GB18030";
	}
	abort();
}

const char *csv_decode_message(enum csv_decode_status st)
{
	switch (st) {
	case CSV_DECODE_OK:
		return "";
	case CSV_DECODE_BAD_UTF8:
		return "文件以 UTF-8 标记（BOM）开头，但其后的内容不是有效的 UTF-8 文本";
	case CSV_DECODE_UTF16:
		return "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请在 Excel 中另存为“CSV UTF-8（逗号分隔）”";
	case CSV_DECODE_NUL:
		return "文件含有空字节，不是文本文件（请在 Excel 中另存为“CSV UTF-8（逗号分隔）”）";
	case CSV_DECODE_UNKNOWN:
		return "文件既不是 UTF-8 也不是 GB18030（GBK）编码的文本，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”";
	}
	abort();
}

/* GB18030 to UTF-8 with iconv; false when the bytes are not GB18030. */
static bool from_gb18030(const char *data, size_t len, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *in = (char *)data;
	size_t inleft = len;
	bool ok = true;

	if (cd == (iconv_t)-1)
		return false;
	/* Every GB18030 character is at most 4 UTF-8 bytes for its 1 to 4. */
	buf_grow(out, len * 2 + 16);
	while (ok) {
		char *o = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = inleft ? iconv(cd, &in, &inleft, &o, &oleft) : iconv(cd, NULL, NULL, &o, &oleft);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1) {
			if (!inleft)
				break;
			continue;
		}
		if (errno == E2BIG)
			buf_grow(out, len + 16);
		else
			ok = false; /* EILSEQ: not GB18030; EINVAL: cut in a character */
	}
	iconv_close(cd);
	return ok && utf8_valid(out->data, out->len);
}

enum csv_decode_status csv_decode(const char *data, size_t len, struct buf *out,
				  enum csv_charset *cs)
{
	const unsigned char *u = (const unsigned char *)data;
	buf_reset(out);
	*cs = CSV_CHARSET_UTF8;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return CSV_DECODE_UTF16;
	if (len && memchr(data, '\0', len))
		return CSV_DECODE_NUL;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		if (!utf8_valid(data + 3, len - 3))
			return CSV_DECODE_BAD_UTF8;
		buf_add(out, data + 3, len - 3);
		*cs = CSV_CHARSET_UTF8_BOM;
		return CSV_DECODE_OK;
	}
	if (utf8_valid(data, len)) {
		buf_add(out, data, len);
		return CSV_DECODE_OK;
	}
	if (!from_gb18030(data, len, out)) {
		buf_reset(out);
		return CSV_DECODE_UNKNOWN;
	}
	*cs = CSV_CHARSET_GB18030;
	return CSV_DECODE_OK;
}

const char *csv_strerror(enum csv_err e)
{
	switch (e) {
	case CSV_OK:
		return "";
	case CSV_E_AFTER_QUOTE:
		return "引号结束后紧跟了其他字符（带引号的内容之后应为逗号或换行）";
	case CSV_E_UNCLOSED:
		return "引号没有闭合，文件在带引号的内容中结束";
	case CSV_E_NUL:
		return "含有空字节";
	case CSV_E_TOO_MANY_RECORDS:
		return "行数超过上限";
	case CSV_E_TOO_MANY_FIELDS:
		return "一行中的列数超过上限";
	case CSV_E_FIELD_TOO_LONG:
		return "一个单元格的内容超过长度上限";
	}
	abort();
}

void csv_column_name(size_t i, char out[8])
{
	char tmp[8];
	size_t n = 0, k = 0;
	i++;
	while (i && n < 7) {
		tmp[n++] = (char)('A' + (i - 1) % 26);
		i = (i - 1) / 26;
	}
	while (n)
		out[k++] = tmp[--n];
	out[k] = '\0';
}

bool csv_record_blank(const struct csv_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->field[i][0])
			return false;
	return true;
}

void csv_table_release(struct csv_table *t)
{
	free(t->rec);
	free(t->fields);
	free(t->arena);
	t->rec = NULL;
	t->fields = NULL;
	t->arena = NULL;
	t->n = 0;
}

struct rec_pos {
	size_t line, first, n;
};

static void push_size(size_t **a, size_t *n, size_t *cap, size_t v)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*a = xrealloc(*a, *cap * sizeof **a);
	}
	(*a)[(*n)++] = v;
}

static void fail(struct csv_error *err, enum csv_err code, size_t line, size_t field)
{
	err->code = code;
	err->line = line;
	err->field = field;
}

int csv_parse(const char *s, size_t len, const struct csv_limits *lim, struct csv_table *t,
	      struct csv_error *err)
{
	struct buf arena = BUF_INIT;
	size_t *starts = NULL, nstarts = 0, cstarts = 0;
	struct rec_pos *recs = NULL;
	size_t nrecs = 0, crecs = 0;
	size_t i = 0, line = 1;

	memset(t, 0, sizeof *t);
	memset(err, 0, sizeof *err);
	while (i < len) {
		struct rec_pos r = { line, nstarts, 0 };
		if (nrecs == lim->max_records) {
			fail(err, CSV_E_TOO_MANY_RECORDS, line, 0);
			goto bad;
		}
		for (;;) {
			size_t flen = 0;
			if (++r.n > lim->max_fields) {
				fail(err, CSV_E_TOO_MANY_FIELDS, line, r.n);
				goto bad;
			}
			push_size(&starts, &nstarts, &cstarts, arena.len);
			if (i < len && s[i] == '"') {
				size_t qline = line;
				i++;
				for (;;) {
					char c;
					if (i >= len) {
						fail(err, CSV_E_UNCLOSED, qline, r.n);
						goto bad;
					}
					c = s[i];
					if (c == '\0') {
						fail(err, CSV_E_NUL, line, r.n);
						goto bad;
					}
					if (c == '"') {
						if (i + 1 < len && s[i + 1] == '"') {
							i += 2;
						} else {
							i++;
							break;
						}
					} else if (c == '\r' || c == '\n') {
						/* CRLF, LF or CR in a cell: one LF. */
						i += c == '\r' && i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
						line++;
						c = '\n';
					} else {
						i++;
					}
					if (++flen > lim->max_field_bytes) {
						fail(err, CSV_E_FIELD_TOO_LONG, line, r.n);
						goto bad;
					}
					buf_addc(&arena, c);
				}
				if (i < len && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
					fail(err, CSV_E_AFTER_QUOTE, line, r.n);
					goto bad;
				}
			} else {
				size_t start = i;
				while (i < len && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
					if (s[i] == '\0') {
						fail(err, CSV_E_NUL, line, r.n);
						goto bad;
					}
					i++;
				}
				flen = i - start;
				if (flen > lim->max_field_bytes) {
					fail(err, CSV_E_FIELD_TOO_LONG, line, r.n);
					goto bad;
				}
				buf_add(&arena, s + start, flen);
			}
			buf_addc(&arena, '\0');
			if (i < len && s[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		if (i < len) {
			i += s[i] == '\r' && i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
			line++;
		}
		if (nrecs == crecs) {
			crecs = crecs ? crecs * 2 : 64;
			recs = xrealloc(recs, crecs * sizeof *recs);
		}
		recs[nrecs++] = r;
	}
	t->arena = buf_detach(&arena, NULL);
	t->fields = xmalloc((nstarts ? nstarts : 1) * sizeof *t->fields);
	for (size_t k = 0; k < nstarts; k++)
		t->fields[k] = t->arena + starts[k];
	t->rec = xmalloc((nrecs ? nrecs : 1) * sizeof *t->rec);
	for (size_t k = 0; k < nrecs; k++) {
		t->rec[k].line = recs[k].line;
		t->rec[k].n = recs[k].n;
		t->rec[k].field = t->fields + recs[k].first;
	}
	t->n = nrecs;
	free(starts);
	free(recs);
	return 0;
bad:
	buf_release(&arena);
	free(starts);
	free(recs);
	return -1;
}
