#include "core/multipart.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/banned.h"

/* Where the parser is.  The delimiter is CRLF "--" boundary (RFC 2046
 * 5.1.1); the first one may start the body without the CRLF, which the
 * parser handles by pretending a CRLF came before the body. */
enum mp_state {
	ST_PREAMBLE,    /* before the first delimiter: discarded, bounded */
	ST_AFTER_DELIM, /* just after a delimiter: "--", padding or CRLF follows */
	ST_AFTER_DASH,  /* one '-' after a delimiter: the second makes it the close */
	ST_PADDING,     /* transport padding (spaces, tabs) after a delimiter */
	ST_AFTER_CR,    /* CR of the CRLF that ends a delimiter line */
	ST_HEADERS,     /* inside a part header line */
	ST_HEADER_CR,   /* CR at the end of a part header line */
	ST_BODY,        /* part content, up to the next delimiter */
	ST_DONE         /* after the close delimiter: the epilogue, ignored */
};

struct mp_parser {
	struct mp_limits lim;
	struct mp_callbacks cb;
	void *ctx;
	char delim[4 + MP_BOUNDARY_MAX + 1]; /* "\r\n--" boundary, NUL-terminated */
	size_t dlen;
	size_t k;        /* bytes of delim matched at the end of the last chunk */
	size_t virt;     /* of those, how many belong to the pretended CRLF (0 or 2) */
	enum mp_state st;
	enum mp_err err; /* sticky */
	size_t total;    /* bytes fed */
	size_t preamble; /* preamble bytes seen */
	size_t nparts;   /* parts begun */
	size_t hdr_bytes;
	bool in_part;    /* part_begin ran and part_end has not */
	bool have_disp, have_ctype;
	struct buf line; /* the header line being read */
	struct buf name, filename, ctype;
	bool have_filename;
	struct mp_part part;
};

static bool is_tchar(unsigned char c)
{
	/* RFC 9110 5.6.2 token characters. */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_bchar(unsigned char c)
{
	/* RFC 2046 5.1.1 bchars (including space). */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

static bool ieq(const char *a, size_t alen, const char *lit)
{
	size_t n = strlen(lit);
	if (alen != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)lit[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

static size_t skip_ows(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t skip_token(const char *s, size_t len, size_t i)
{
	while (i < len && is_tchar((unsigned char)s[i]))
		i++;
	return i;
}

/* Reads a quoted-string starting at s[*i] == '"' into out.  A backslash
 * escapes only '"' and '\': browsers do not escape, and old ones sent
 * Windows paths such as "C:\dir\a.pdf" whose backslashes must survive (Go's
 * mime package makes the same choice).  False if the closing quote is
 * missing. */
static bool read_quoted(const char *s, size_t len, size_t *i, struct buf *out)
{
	size_t j = *i + 1;
	while (j < len) {
		char c = s[j];
		if (c == '"') {
			*i = j + 1;
			return true;
		}
		if (c == '\\' && j + 1 < len && (s[j + 1] == '"' || s[j + 1] == '\\')) {
			buf_addc(out, s[j + 1]);
			j += 2;
			continue;
		}
		buf_addc(out, c);
		j++;
	}
	return false;
}

bool mp_boundary_valid(const char *b, size_t len)
{
	if (len == 0 || len > MP_BOUNDARY_MAX || b[len - 1] == ' ')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_bchar((unsigned char)b[i]))
			return false;
	return true;
}

enum mp_err mp_boundary(const char *ct, char *out, size_t outsz)
{
	size_t len, i, t;
	bool found = false;
	struct buf val = BUF_INIT;
	enum mp_err e = MP_ERR_BOUNDARY;

	if (outsz < MP_BOUNDARY_MAX + 1)
		abort(); /* caller bug: the buffer cannot hold a valid boundary */
	out[0] = '\0';
	if (!ct)
		return MP_ERR_CONTENT_TYPE;
	len = strlen(ct);
	i = skip_ows(ct, len, 0);
	t = skip_token(ct, len, i);
	if (!ieq(ct + i, t - i, "multipart") || t >= len || ct[t] != '/')
		return MP_ERR_CONTENT_TYPE;
	i = t + 1;
	t = skip_token(ct, len, i);
	if (!ieq(ct + i, t - i, "form-data"))
		return MP_ERR_CONTENT_TYPE;
	i = t;
	for (;;) {
		size_t pn, pnlen;
		bool quoted;

		i = skip_ows(ct, len, i);
		if (i == len)
			break;
		if (ct[i] != ';')
			goto out;
		i = skip_ows(ct, len, i + 1);
		pn = i;
		i = skip_token(ct, len, i);
		pnlen = i - pn;
		if (pnlen == 0)
			goto out;
		i = skip_ows(ct, len, i);
		if (i == len || ct[i] != '=')
			goto out;
		i = skip_ows(ct, len, i + 1);
		buf_reset(&val);
		quoted = i < len && ct[i] == '"';
		if (quoted) {
			if (!read_quoted(ct, len, &i, &val))
				goto out;
		} else {
			/* Unquoted boundaries are often not strict tokens ("=_Part_1",
			 * "a/b"), so take everything up to ';' or white space and let
			 * the bchar check decide. */
			size_t v = i;
			while (i < len && ct[i] != ';' && ct[i] != ' ' && ct[i] != '\t') {
				unsigned char c = (unsigned char)ct[i];
				if (c < 0x21 || c > 0x7E || c == '"' || c == '\\')
					goto out;
				i++;
			}
			if (i == v)
				goto out;
			buf_add(&val, ct + v, i - v);
		}
		if (!ieq(ct + pn, pnlen, "boundary"))
			continue;
		if (found || !mp_boundary_valid(val.data, val.len))
			goto out;
		memcpy(out, val.data, val.len + 1);
		found = true;
	}
	if (found)
		e = MP_OK;
out:
	if (e != MP_OK)
		out[0] = '\0';
	buf_release(&val);
	return e;
}

struct mp_parser *mp_parser_new(const char *boundary, const struct mp_limits *limits,
                                const struct mp_callbacks *callbacks, void *ctx)
{
	struct mp_parser *p;
	size_t blen = strlen(boundary);

	if (!mp_boundary_valid(boundary, blen))
		abort(); /* caller bug: boundaries come from mp_boundary() */
	p = xcalloc(1, sizeof *p);
	p->lim = *limits;
	if (callbacks)
		p->cb = *callbacks;
	p->ctx = ctx;
	memcpy(p->delim, "\r\n--", 4);
	memcpy(p->delim + 4, boundary, blen + 1);
	p->dlen = 4 + blen;
	p->k = 2;
	p->virt = 2;
	p->st = ST_PREAMBLE;
	p->err = MP_OK;
	buf_init(&p->line);
	buf_init(&p->name);
	buf_init(&p->filename);
	buf_init(&p->ctype);
	return p;
}

void mp_parser_free(struct mp_parser *p)
{
	if (!p)
		return;
	buf_release(&p->line);
	buf_release(&p->name);
	buf_release(&p->filename);
	buf_release(&p->ctype);
	free(p);
}

const struct mp_part *mp_parser_part(const struct mp_parser *p)
{
	return p->in_part ? &p->part : NULL;
}

size_t mp_parser_parts(const struct mp_parser *p)
{
	return p->nparts;
}

static enum mp_err fail(struct mp_parser *p, enum mp_err e)
{
	p->err = e;
	return e;
}

/* Content bytes: counted and discarded in the preamble, else checked
 * against the part's limit and handed to the callback. */
static enum mp_err emit(struct mp_parser *p, const char *d, size_t n)
{
	size_t limit;

	if (n == 0)
		return MP_OK;
	if (p->st == ST_PREAMBLE) {
		if (n > p->lim.max_header_bytes - p->preamble)
			return MP_ERR_PREAMBLE;
		p->preamble += n;
		return MP_OK;
	}
	limit = p->part.filename ? p->lim.max_file_bytes : p->lim.max_field_bytes;
	if (n > limit - p->part.size)
		return p->part.filename ? MP_ERR_FILE_TOO_LARGE : MP_ERR_FIELD_TOO_LARGE;
	p->part.size += n;
	if (p->cb.part_data && p->cb.part_data(p->ctx, &p->part, d, n))
		return MP_ERR_CALLBACK;
	return MP_OK;
}

/* Scans s for the delimiter, emitting the content before it.  Sets *used to
 * the bytes consumed (through the delimiter if *found, else all of them).
 * A delimiter split across chunks is carried in p->k: its bytes equal
 * delim[0..k), so they need no copy, and since delim holds '\r' only at
 * its start, a failed match can only restart at the failing byte. */
static enum mp_err scan(struct mp_parser *p, const char *s, size_t n, size_t *used, bool *found)
{
	size_t i = 0, mstart = 0;
	size_t carried = p->k; /* matched bytes that came before s */
	size_t k = p->k;
	enum mp_err e;

	*found = false;
	while (i < n) {
		if (k == 0) {
			const char *cr = memchr(s + i, '\r', n - i);
			if (!cr) {
				i = n;
				break;
			}
			mstart = (size_t)(cr - s);
			i = mstart + 1;
			k = 1;
			continue;
		}
		if (s[i] == p->delim[k]) {
			i++;
			if (++k == p->dlen) {
				/* With a carry, the content before the match went out
				 * with the earlier chunk. */
				if (!carried && (e = emit(p, s, mstart)) != MP_OK)
					return e;
				p->k = 0;
				p->virt = 0;
				*used = i;
				*found = true;
				return MP_OK;
			}
			continue;
		}
		if (carried) {
			/* The carried bytes were content after all; the ones of s
			 * that matched after them stay in the content from s[0]. */
			e = emit(p, p->delim + p->virt, carried - p->virt);
			if (e != MP_OK)
				return e;
			carried = 0;
			p->virt = 0;
		}
		k = 0; /* look at s[i] again: it may start a delimiter */
	}
	if (k == 0)
		e = emit(p, s, n);
	else if (!carried)
		e = emit(p, s, mstart);
	else
		e = MP_OK; /* all of s continues the carried match */
	if (e != MP_OK)
		return e;
	p->k = k;
	*used = n;
	return MP_OK;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 8187 (was 5987) ext-value: charset "'" [language] "'" pct-encoded
 * value.  UTF-8 and ISO-8859-1, the two every recipient must know. */
static enum mp_err decode_ext_value(const char *v, size_t len, struct buf *out)
{
	const char *q1 = memchr(v, '\'', len), *q2;
	bool latin1;
	size_t i;

	if (!q1)
		return MP_ERR_FILENAME_INVALID;
	if (ieq(v, (size_t)(q1 - v), "UTF-8"))
		latin1 = false;
	else if (ieq(v, (size_t)(q1 - v), "ISO-8859-1"))
		latin1 = true;
	else
		return MP_ERR_FILENAME_INVALID;
	q2 = memchr(q1 + 1, '\'', len - (size_t)(q1 + 1 - v));
	if (!q2)
		return MP_ERR_FILENAME_INVALID;
	for (i = (size_t)(q2 + 1 - v); i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '%') {
			int hi, lo;
			if (len - i < 3)
				return MP_ERR_FILENAME_INVALID;
			hi = hexval((unsigned char)v[i + 1]);
			lo = hexval((unsigned char)v[i + 2]);
			if (hi < 0 || lo < 0)
				return MP_ERR_FILENAME_INVALID;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '\'' || c == '*') {
			return MP_ERR_FILENAME_INVALID; /* not attr-char */
		}
		if (latin1 && c >= 0x80) {
			buf_addc(out, (char)(0xC0 | c >> 6));
			buf_addc(out, (char)(0x80 | (c & 0x3F)));
		} else {
			buf_addc(out, (char)c);
		}
	}
	return MP_OK;
}

/* Checks a name or filename: NUL first (its own code), then UTF-8 and
 * control characters (TAB allowed by utf8_has_controls; harmless). */
static enum mp_err check_text(const struct buf *b, enum mp_err invalid)
{
	if (memchr(b->data, '\0', b->len))
		return MP_ERR_NUL_BYTE;
	if (!utf8_valid(b->data, b->len) || utf8_has_controls(b->data, b->len, false))
		return invalid;
	return MP_OK;
}

/* Content-Disposition: form-data; name="x"[; filename="y"][; filename*=...]
 * Unknown parameters are allowed (and ignored) when well-formed; a
 * parameter we use given twice is an error, since two readers could pick
 * different ones. */
static enum mp_err parse_disposition(struct mp_parser *p, const char *v, size_t len)
{
	size_t i = skip_token(v, len, 0);
	bool have_name = false, have_fn = false, have_fnstar = false;
	struct buf val = BUF_INIT, fnstar = BUF_INIT;
	enum mp_err e = MP_ERR_DISPOSITION;

	if (!ieq(v, i, "form-data"))
		goto out;
	for (;;) {
		size_t pn, pnlen;
		bool quoted;

		i = skip_ows(v, len, i);
		if (i == len)
			break;
		if (v[i] != ';')
			goto out;
		i = skip_ows(v, len, i + 1);
		pn = i;
		i = skip_token(v, len, i);
		pnlen = i - pn;
		if (pnlen == 0)
			goto out;
		i = skip_ows(v, len, i);
		if (i == len || v[i] != '=')
			goto out;
		i = skip_ows(v, len, i + 1);
		buf_reset(&val);
		quoted = i < len && v[i] == '"';
		if (quoted) {
			if (!read_quoted(v, len, &i, &val))
				goto out;
		} else {
			size_t t = skip_token(v, len, i);
			if (t == i)
				goto out;
			buf_add(&val, v + i, t - i);
			i = t;
		}
		if (ieq(v + pn, pnlen, "name")) {
			if (have_name)
				goto out;
			have_name = true;
			buf_reset(&p->name);
			buf_add(&p->name, val.data, val.len);
		} else if (ieq(v + pn, pnlen, "filename")) {
			if (have_fn)
				goto out;
			have_fn = true;
			buf_reset(&p->filename);
			buf_add(&p->filename, val.data, val.len);
		} else if (ieq(v + pn, pnlen, "filename*")) {
			if (have_fnstar || quoted)
				goto out;
			have_fnstar = true;
			if ((e = decode_ext_value(val.data, val.len, &fnstar)) != MP_OK)
				goto out;
			e = MP_ERR_DISPOSITION;
		}
	}
	if (!have_name || p->name.len == 0) {
		e = MP_ERR_NO_NAME;
		goto out;
	}
	if ((e = check_text(&p->name, MP_ERR_NAME_INVALID)) != MP_OK)
		goto out;
	if (have_fnstar) {
		/* RFC 6266 4.3: filename* wins over the plain fallback. */
		buf_reset(&p->filename);
		buf_add(&p->filename, fnstar.data, fnstar.len);
	}
	p->have_filename = have_fn || have_fnstar;
	if (p->have_filename) {
		if ((e = check_text(&p->filename, MP_ERR_FILENAME_INVALID)) != MP_OK)
			goto out;
		if (p->filename.len > p->lim.max_filename_bytes) {
			e = MP_ERR_FILENAME_TOO_LONG;
			goto out;
		}
	}
	e = MP_OK;
out:
	buf_release(&val);
	buf_release(&fnstar);
	return e;
}

static enum mp_err parse_header_line(struct mp_parser *p, const char *s, size_t len)
{
	const char *colon;
	size_t nlen, v, end;

	if (memchr(s, '\0', len))
		return MP_ERR_NUL_BYTE;
	if (s[0] == ' ' || s[0] == '\t')
		return MP_ERR_HEADER_SYNTAX; /* obsolete line folding */
	colon = memchr(s, ':', len);
	if (!colon)
		return MP_ERR_HEADER_SYNTAX;
	nlen = (size_t)(colon - s);
	if (nlen == 0 || skip_token(s, nlen, 0) != nlen)
		return MP_ERR_HEADER_SYNTAX;
	v = skip_ows(s, len, nlen + 1);
	end = len;
	while (end > v && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (ieq(s, nlen, "Content-Disposition")) {
		if (p->have_disp)
			return MP_ERR_HEADER_DUPLICATE;
		p->have_disp = true;
		return parse_disposition(p, s + v, end - v);
	}
	if (ieq(s, nlen, "Content-Type")) {
		if (p->have_ctype)
			return MP_ERR_HEADER_DUPLICATE;
		if (end == v)
			return MP_ERR_HEADER_SYNTAX;
		for (size_t i = v; i < end; i++) {
			unsigned char c = (unsigned char)s[i];
			if ((c < 0x20 && c != '\t') || c > 0x7E)
				return MP_ERR_HEADER_SYNTAX;
		}
		p->have_ctype = true;
		buf_add(&p->ctype, s + v, end - v);
	}
	/* Other headers (Content-Transfer-Encoding is deprecated by RFC 7578
	 * 4.7 and unused by browsers) are ignored. */
	return MP_OK;
}

static enum mp_err start_part(struct mp_parser *p)
{
	if (p->nparts >= p->lim.max_parts)
		return MP_ERR_TOO_MANY_PARTS;
	buf_reset(&p->line);
	buf_reset(&p->name);
	buf_reset(&p->filename);
	buf_reset(&p->ctype);
	p->have_disp = p->have_ctype = p->have_filename = false;
	p->hdr_bytes = 0;
	memset(&p->part, 0, sizeof p->part);
	p->part.index = p->nparts++;
	p->st = ST_HEADERS;
	return MP_OK;
}

static enum mp_err begin_body(struct mp_parser *p)
{
	if (!p->have_disp)
		return MP_ERR_NO_DISPOSITION;
	p->part.name = p->name.data;
	p->part.filename = p->have_filename ? p->filename.data : NULL;
	p->part.content_type = p->have_ctype ? p->ctype.data : NULL;
	p->part.size = 0;
	p->in_part = true;
	p->st = ST_BODY;
	p->k = 0;
	if (p->cb.part_begin && p->cb.part_begin(p->ctx, &p->part))
		return MP_ERR_CALLBACK;
	return MP_OK;
}

static enum mp_err end_part(struct mp_parser *p)
{
	p->in_part = false;
	if (p->cb.part_end && p->cb.part_end(p->ctx, &p->part))
		return MP_ERR_CALLBACK;
	return MP_OK;
}

/* One byte of the small line-oriented states. */
static enum mp_err step(struct mp_parser *p, char c)
{
	enum mp_err e;

	switch (p->st) {
	case ST_AFTER_DELIM:
		if (c == '-')
			p->st = ST_AFTER_DASH;
		else if (c == ' ' || c == '\t')
			p->st = ST_PADDING;
		else if (c == '\r')
			p->st = ST_AFTER_CR;
		else
			return c == '\n' ? MP_ERR_CRLF : MP_ERR_BOUNDARY_LINE;
		return MP_OK;
	case ST_AFTER_DASH:
		if (c != '-')
			return MP_ERR_BOUNDARY_LINE;
		p->st = ST_DONE;
		return MP_OK;
	case ST_PADDING:
		if (c == '\r')
			p->st = ST_AFTER_CR;
		else if (c == '\n')
			return MP_ERR_CRLF;
		else if (c != ' ' && c != '\t')
			return MP_ERR_BOUNDARY_LINE;
		return MP_OK;
	case ST_AFTER_CR:
		if (c != '\n')
			return MP_ERR_CRLF;
		return start_part(p);
	case ST_HEADERS:
		if (++p->hdr_bytes > p->lim.max_header_bytes)
			return MP_ERR_HEADER_TOO_LONG;
		if (c == '\r')
			p->st = ST_HEADER_CR;
		else if (c == '\n')
			return MP_ERR_CRLF;
		else
			buf_addc(&p->line, c);
		return MP_OK;
	case ST_HEADER_CR:
		if (++p->hdr_bytes > p->lim.max_header_bytes)
			return MP_ERR_HEADER_TOO_LONG;
		if (c != '\n')
			return MP_ERR_CRLF;
		if (p->line.len == 0)
			return begin_body(p);
		e = parse_header_line(p, p->line.data, p->line.len);
		buf_reset(&p->line);
		p->st = ST_HEADERS;
		return e;
	case ST_PREAMBLE:
	case ST_BODY:
	case ST_DONE:
		break;
	}
	abort(); /* the scanning states never get here */
}

enum mp_err mp_feed(struct mp_parser *p, const char *data, size_t len)
{
	size_t i = 0;
	enum mp_err e;

	if (p->err != MP_OK)
		return p->err;
	if (len > p->lim.max_total_bytes - p->total)
		return fail(p, MP_ERR_TOTAL_TOO_LARGE);
	p->total += len;
	while (i < len) {
		if (p->st == ST_PREAMBLE || p->st == ST_BODY) {
			size_t used;
			bool found;
			if ((e = scan(p, data + i, len - i, &used, &found)) != MP_OK)
				return fail(p, e);
			i += used;
			if (found) {
				if (p->st == ST_BODY && (e = end_part(p)) != MP_OK)
					return fail(p, e);
				p->st = ST_AFTER_DELIM;
			}
		} else if (p->st == ST_DONE) {
			break; /* the epilogue */
		} else if ((e = step(p, data[i++])) != MP_OK) {
			return fail(p, e);
		}
	}
	return MP_OK;
}

enum mp_err mp_finish(struct mp_parser *p)
{
	if (p->err != MP_OK)
		return p->err;
	if (p->st != ST_DONE)
		return fail(p, MP_ERR_TRUNCATED);
	return MP_OK;
}

static const struct {
	const char *name;
	const char *msg;
	int status;
} errors[MP_ERR_COUNT_] = {
	[MP_OK] = { "MP_OK", "成功", 200 },
	[MP_ERR_CONTENT_TYPE] = { "MP_ERR_CONTENT_TYPE", "上传请求的内容类型不是 multipart/form-data", 415 },
	[MP_ERR_BOUNDARY] = { "MP_ERR_BOUNDARY", "上传请求的分隔符（boundary）无效", 400 },
	[MP_ERR_PREAMBLE] = { "MP_ERR_PREAMBLE", "上传数据格式错误：开头缺少分隔符", 400 },
	[MP_ERR_BOUNDARY_LINE] = { "MP_ERR_BOUNDARY_LINE", "上传数据格式错误：分隔符后有多余内容", 400 },
	[MP_ERR_CRLF] = { "MP_ERR_CRLF", "上传数据格式错误：缺少 CRLF 换行", 400 },
	[MP_ERR_HEADER_SYNTAX] = { "MP_ERR_HEADER_SYNTAX", "上传数据格式错误：部分头格式不正确", 400 },
	[MP_ERR_HEADER_DUPLICATE] = { "MP_ERR_HEADER_DUPLICATE", "上传数据格式错误：部分头重复", 400 },
	[MP_ERR_HEADER_TOO_LONG] = { "MP_ERR_HEADER_TOO_LONG", "上传数据的部分头过长", 413 },
	[MP_ERR_NO_DISPOSITION] = { "MP_ERR_NO_DISPOSITION", "上传数据格式错误：缺少 Content-Disposition 头", 400 },
	[MP_ERR_DISPOSITION] = { "MP_ERR_DISPOSITION", "上传数据格式错误：Content-Disposition 头无效", 400 },
	[MP_ERR_NO_NAME] = { "MP_ERR_NO_NAME", "上传数据格式错误：缺少字段名", 400 },
	[MP_ERR_NAME_INVALID] = { "MP_ERR_NAME_INVALID", "字段名不是有效的 UTF-8 文本或包含控制字符", 400 },
	[MP_ERR_FILENAME_INVALID] = { "MP_ERR_FILENAME_INVALID", "文件名不是有效的 UTF-8 文本或包含控制字符", 400 },
	[MP_ERR_NUL_BYTE] = { "MP_ERR_NUL_BYTE", "字段名或文件名包含空字节", 400 },
	[MP_ERR_FILENAME_TOO_LONG] = { "MP_ERR_FILENAME_TOO_LONG", "文件名过长", 400 },
	[MP_ERR_TOO_MANY_PARTS] = { "MP_ERR_TOO_MANY_PARTS", "上传的字段或文件数量过多", 413 },
	[MP_ERR_FIELD_TOO_LARGE] = { "MP_ERR_FIELD_TOO_LARGE", "表单字段内容过长", 413 },
	[MP_ERR_FILE_TOO_LARGE] = { "MP_ERR_FILE_TOO_LARGE", "上传文件超过大小限制", 413 },
	[MP_ERR_TOTAL_TOO_LARGE] = { "MP_ERR_TOTAL_TOO_LARGE", "上传数据总量超过限制", 413 },
	[MP_ERR_TRUNCATED] = { "MP_ERR_TRUNCATED", "上传数据不完整", 400 },
	[MP_ERR_CALLBACK] = { "MP_ERR_CALLBACK", "上传文件处理失败", 500 },
};

static unsigned err_index(enum mp_err e)
{
	if ((unsigned)e >= MP_ERR_COUNT_ || !errors[e].name)
		abort(); /* not a code of this module: a caller bug */
	return (unsigned)e;
}

const char *mp_strerror(enum mp_err e)
{
	return errors[err_index(e)].msg;
}

const char *mp_errname(enum mp_err e)
{
	return errors[err_index(e)].name;
}

int mp_http_status(enum mp_err e)
{
	return errors[err_index(e)].status;
}

/* ---- download names ---- */

/* Length of the UTF-8 sequence a lead byte announces, 0 if it cannot lead. */
static size_t seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* Code points that are invisible or reorder text, used to disguise an
 * extension ("invoice\u202Efdp.exe"): dropped from download names. */
static bool is_format_char(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
	       cp == 0x061C || cp == 0xFEFF;
}

/* s[0..len) is the part before the first dot.  Windows ignores spaces
 * there too ("CON .pdf" is the console), and counts COM0-9, LPT0-9 and
 * the superscripts ¹ ² ³ as port names. */
static bool is_device_name(const char *s, size_t len)
{
	static const char *const dev[] = { "CON", "PRN", "AUX", "NUL" };
	while (len > 0 && s[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++)
		if (ieq(s, len, dev[i]))
			return true;
	if (len < 4 || !(ieq(s, 3, "COM") || ieq(s, 3, "LPT")))
		return false;
	if (len == 4)
		return s[3] >= '0' && s[3] <= '9';
	/* U+00B9, U+00B2, U+00B3 in UTF-8 */
	return len == 5 && (unsigned char)s[3] == 0xC2 &&
	       ((unsigned char)s[4] == 0xB9 || (unsigned char)s[4] == 0xB2 ||
		(unsigned char)s[4] == 0xB3);
}

static void trim_end(struct buf *b)
{
	size_t n = b->len;
	while (n > 0 && (b->data[n - 1] == ' ' || b->data[n - 1] == '.'))
		n--;
	buf_truncate(b, n);
}

/* Largest n <= max that does not split a UTF-8 sequence of s. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n = max < len ? max : len;
	while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *mp_safe_filename(const char *name, size_t max_bytes)
{
	/* A kept extension is at most this long, dot included; with
	 * max_bytes >= 32 the stem keeps at least 13 bytes. */
	enum { EXT_MAX = 16 };
	const char *base = name;
	struct buf b = BUF_INIT;
	size_t len, i, stem;

	if (max_bytes < 32)
		abort(); /* caller bug */
	for (const char *s = name; *s; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	len = strlen(base);
	for (i = 0; i < len;) {
		unsigned char c = (unsigned char)base[i];
		size_t n = seq_len(c);
		unsigned long cp;

		if (n == 0 || n > len - i || !utf8_valid(base + i, n)) {
			i++; /* drop a byte that is not part of valid UTF-8 */
			continue;
		}
		if (n == 1)
			cp = c;
		else {
			cp = c & (0x7F >> n);
			for (size_t k = 1; k < n; k++)
				cp = cp << 6 | ((unsigned char)base[i + k] & 0x3F);
		}
		if (cp < 0x20 || cp == 0x7F || is_format_char(cp))
			; /* dropped */
		else if (cp < 0x80 && strchr("<>:\"|?*", (int)cp))
			buf_addc(&b, '_');
		else
			buf_add(&b, base + i, n);
		i += n;
	}
	/* Leading dots would hide the file or climb (".."); Windows drops
	 * trailing dots and spaces itself. */
	for (i = 0; i < b.len && (b.data[i] == ' ' || b.data[i] == '.'); i++)
		;
	if (i) {
		memmove(b.data, b.data + i, b.len - i);
		buf_truncate(&b, b.len - i);
	}
	trim_end(&b);
	if (b.len == 0)
		buf_adds(&b, "file");
	if (b.len > max_bytes) {
		const char *dot = strrchr(b.data, '.');
		size_t ext = dot ? b.len - (size_t)(dot - b.data) : 0;
		if (ext > EXT_MAX || ext == b.len)
			ext = 0;
		if (ext) {
			char save[EXT_MAX + 1];
			size_t keep = utf8_cut(b.data, b.len - ext, max_bytes - ext);
			memcpy(save, b.data + b.len - ext, ext);
			buf_truncate(&b, keep);
			trim_end(&b);
			buf_add(&b, save, ext);
		} else {
			buf_truncate(&b, utf8_cut(b.data, b.len, max_bytes));
			trim_end(&b);
		}
	}
	/* Only now: the cut and its trim can turn "CON      ….pdf" into
	 * "CON.pdf".  The '_' prefix may take the last byte of the limit; the
	 * stem of a device name is short, so cutting the end keeps it. */
	stem = strcspn(b.data, ".");
	if (is_device_name(b.data, stem)) {
		buf_addc(&b, '_');
		memmove(b.data + 1, b.data, b.len - 1);
		b.data[0] = '_';
		if (b.len > max_bytes) {
			buf_truncate(&b, utf8_cut(b.data, b.len, max_bytes));
			trim_end(&b);
		}
	}
	return buf_detach(&b, NULL);
}

/* Download names longer than this are cut: ~60 Chinese characters, and the
 * percent-encoded header stays under 600 bytes. */
#define DOWNLOAD_NAME_MAX 180

static bool is_attr_char(unsigned char c)
{
	return is_tchar(c) && c != '*' && c != '\'' && c != '%';
}

void mp_content_disposition(struct buf *out, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	char *safe = mp_safe_filename(name, DOWNLOAD_NAME_MAX);
	size_t len = strlen(safe);
	const char *dot = strrchr(safe, '.');
	size_t stem = dot && dot != safe ? (size_t)(dot - safe) : len;
	bool alnum = false;
	size_t i;

	/* The ASCII fallback: each run of non-ASCII characters becomes one
	 * '_'; a stem left without a letter or digit becomes "file". */
	for (i = 0; i < stem; i++) {
		unsigned char c = (unsigned char)safe[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			alnum = true;
	}
	buf_adds(out, "attachment; filename=\"");
	if (!alnum)
		buf_adds(out, "file");
	for (i = alnum ? 0 : stem; i < len; i++) {
		unsigned char c = (unsigned char)safe[i];
		if (c >= 0x80) {
			while (i + 1 < len && (unsigned char)safe[i + 1] >= 0x80)
				i++;
			buf_addc(out, '_');
		} else if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '%') {
			buf_addc(out, '_');
		} else {
			buf_addc(out, (char)c);
		}
	}
	buf_adds(out, "\"; filename*=UTF-8''");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)safe[i];
		if (is_attr_char(c)) {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 0xF]);
		}
	}
	free(safe);
}
