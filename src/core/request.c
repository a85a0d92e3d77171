#include "core/request.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/banned.h"

/* A limit of zero or below is a configuration mistake; cast to size_t a
 * negative one would lift the limit altogether, so the default stands. */
static size_t limit(const char *key, long long dflt)
{
	long long v = config_int(key, dflt);
	if (v <= 0) {
		log_warn("config: %s must be positive, using %lld", key, dflt);
		return (size_t)dflt;
	}
	return (size_t)v;
}

void limits_from_config(struct limits *lim)
{
	lim->max_body = limit("max_body_bytes", 1 << 20);
	lim->max_fields = limit("max_fields", 200);
	lim->max_field_bytes = limit("max_field_bytes", 64 * 1024);
}

void fields_release(struct fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

const char *fields_get(const struct fields *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].name, name))
			return f->v[i].value;
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..len) into out; '+' is a space in form encoding. */
static enum parse_status decode(struct buf *out, const char *s, size_t len, size_t max)
{
	buf_reset(out);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;
			if (len - i < 3)
				return PARSE_BAD_ENCODING;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return PARSE_BAD_ENCODING;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (out->len >= max)
			return PARSE_FIELD_TOO_LONG;
		buf_addc(out, c);
	}
	if (!utf8_valid(out->data, out->len))
		return PARSE_BAD_UTF8;
	return PARSE_OK;
}

static void add_field(struct fields *f, struct buf *name, struct buf *value)
{
	f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
	f->v[f->n].len = value->len;
	f->v[f->n].name = buf_detach(name, NULL);
	f->v[f->n].value = buf_detach(value, NULL);
	f->n++;
}

enum parse_status urlencoded_parse(struct fields *out, const char *s, size_t len,
				   const struct limits *lim)
{
	struct buf name = BUF_INIT, value = BUF_INIT;
	enum parse_status st = PARSE_OK;
	size_t pos = 0;

	fields_release(out);
	while (pos < len) {
		const char *amp = memchr(s + pos, '&', len - pos);
		size_t end = amp ? (size_t)(amp - s) : len;
		const char *eq = memchr(s + pos, '=', end - pos);
		size_t name_end = eq ? (size_t)(eq - s) : end;

		if (end > pos) { /* empty pairs ("a=1&&b=2") are skipped */
			if (out->n >= lim->max_fields) {
				st = PARSE_TOO_MANY;
				break;
			}
			st = decode(&name, s + pos, name_end - pos, 256);
			if (st == PARSE_OK)
				st = eq ? decode(&value, eq + 1, end - name_end - 1, lim->max_field_bytes)
					: decode(&value, "", 0, lim->max_field_bytes);
			if (st != PARSE_OK)
				break;
			add_field(out, &name, &value);
		}
		pos = end + 1;
	}
	buf_release(&name);
	buf_release(&value);
	if (st != PARSE_OK)
		fields_release(out);
	return st;
}

enum parse_status cookies_parse(struct fields *out, const char *header, const struct limits *lim)
{
	fields_release(out);
	if (!header)
		return PARSE_OK;
	while (*header) {
		const char *semi, *eq, *name, *vstart, *vend;
		struct buf n = BUF_INIT, v = BUF_INIT;
		while (*header == ' ' || *header == ';')
			header++;
		if (!*header)
			break;
		semi = strchr(header, ';');
		vend = semi ? semi : header + strlen(header);
		eq = memchr(header, '=', (size_t)(vend - header));
		name = header;
		header = semi ? semi + 1 : vend;
		if (!eq)
			continue; /* a malformed cookie from elsewhere on the site: ignore it */
		vstart = eq + 1;
		while (vend > vstart && vend[-1] == ' ')
			vend--;
		if (out->n >= lim->max_fields)
			return PARSE_TOO_MANY;
		if ((size_t)(vend - vstart) > lim->max_field_bytes)
			continue;
		buf_add(&n, name, (size_t)(eq - name));
		buf_add(&v, vstart, (size_t)(vend - vstart));
		if (!utf8_valid(n.data, n.len) || !utf8_valid(v.data, v.len)) {
			buf_release(&n);
			buf_release(&v);
			continue;
		}
		add_field(out, &n, &v);
	}
	return PARSE_OK;
}

static char *copy_param(param_lookup lookup, void *ctx, const char *name)
{
	const char *v = lookup(ctx, name);
	return v ? xstrdup(v) : NULL;
}

static enum method parse_method(const char *m)
{
	if (!m)
		return METHOD_OTHER;
	if (!strcmp(m, "GET"))
		return METHOD_GET;
	if (!strcmp(m, "POST"))
		return METHOD_POST;
	if (!strcmp(m, "HEAD"))
		return METHOD_HEAD;
	return METHOD_OTHER;
}

static bool is_urlencoded(const char *ct)
{
	static const char want[] = "application/x-www-form-urlencoded";
	if (!ct || strncasecmp(ct, want, sizeof want - 1))
		return false;
	ct += sizeof want - 1;
	return *ct == '\0' || *ct == ';' || *ct == ' ';
}

enum parse_status request_parse(struct request *req, param_lookup lookup, void *lookup_ctx,
				body_reader reader, void *reader_ctx, const struct limits *lim)
{
	const char *uri, *qs, *cl;
	unsigned char id[8];
	struct buf b = BUF_INIT;

	memset(req, 0, sizeof *req);
	req->content_length = -1;
	req->read_body = reader;
	req->read_ctx = reader_ctx;
	if (getrandom(id, sizeof id, 0) != (ssize_t)sizeof id)
		memset(id, 0, sizeof id);
	buf_addhex(&b, id, sizeof id);
	memcpy(req->request_id, b.data, 17);
	buf_release(&b);

	req->method = parse_method(lookup(lookup_ctx, "REQUEST_METHOD"));
	uri = lookup(lookup_ctx, "REQUEST_URI");
	if (!uri)
		uri = lookup(lookup_ctx, "SCRIPT_NAME");
	if (!uri)
		uri = "/";
	qs = strchr(uri, '?');
	req->path = qs ? xstrndup(uri, (size_t)(qs - uri)) : xstrdup(uri);
	req->uri = xstrdup(uri);
	req->remote_addr = copy_param(lookup, lookup_ctx, "REMOTE_ADDR");
	req->content_type = copy_param(lookup, lookup_ctx, "CONTENT_TYPE");
	req->host = copy_param(lookup, lookup_ctx, "HTTP_HOST");
	req->origin = copy_param(lookup, lookup_ctx, "HTTP_ORIGIN");
	req->fetch_site = copy_param(lookup, lookup_ctx, "HTTP_SEC_FETCH_SITE");
	req->user_agent = copy_param(lookup, lookup_ctx, "HTTP_USER_AGENT");
	cl = lookup(lookup_ctx, "CONTENT_LENGTH");
	if (cl && *cl) {
		char *end;
		errno = 0;
		req->content_length = strtoll(cl, &end, 10);
		if (errno || *end || req->content_length < 0)
			return req->status = PARSE_BAD_ENCODING;
	}

	qs = lookup(lookup_ctx, "QUERY_STRING");
	if (qs && (req->status = urlencoded_parse(&req->query, qs, strlen(qs), lim)) != PARSE_OK)
		return req->status;
	if ((req->status = cookies_parse(&req->cookies, lookup(lookup_ctx, "HTTP_COOKIE"), lim)) !=
	    PARSE_OK)
		return req->status;

	if (req->method == METHOD_POST && is_urlencoded(req->content_type)) {
		struct buf body = BUF_INIT;
		char chunk[8192];
		ssize_t got;
		if (req->content_length > 0 && (size_t)req->content_length > lim->max_body)
			return req->status = PARSE_TOO_LARGE;
		while ((got = reader(reader_ctx, chunk, sizeof chunk)) > 0) {
			if (body.len + (size_t)got > lim->max_body) {
				buf_release(&body);
				return req->status = PARSE_TOO_LARGE;
			}
			buf_add(&body, chunk, (size_t)got);
		}
		if (got < 0 || (req->content_length >= 0 && body.len != (size_t)req->content_length)) {
			buf_release(&body);
			return req->status = PARSE_IO;
		}
		req->status = urlencoded_parse(&req->form, body.data, body.len, lim);
		buf_release(&body);
	}
	return req->status;
}

void request_release(struct request *req)
{
	free(req->path);
	free(req->uri);
	free(req->remote_addr);
	free(req->content_type);
	free(req->host);
	free(req->origin);
	free(req->fetch_site);
	free(req->user_agent);
	fields_release(&req->query);
	fields_release(&req->form);
	fields_release(&req->cookies);
	memset(req, 0, sizeof *req);
}

bool request_is_urlencoded(const struct request *req)
{
	return is_urlencoded(req->content_type);
}

bool request_is_multipart(const struct request *req)
{
	static const char want[] = "multipart/form-data";
	return req->content_type && !strncasecmp(req->content_type, want, sizeof want - 1) &&
	       (req->content_type[sizeof want - 1] == ';' || req->content_type[sizeof want - 1] == '\0' ||
		req->content_type[sizeof want - 1] == ' ');
}

const char *request_param(const struct request *req, const char *name)
{
	const char *v = fields_get(&req->form, name);
	return v ? v : fields_get(&req->query, name);
}

int parse_status_http(enum parse_status st)
{
	switch (st) {
	case PARSE_OK:
		return 200;
	case PARSE_TOO_LARGE:
		return 413;
	case PARSE_BAD_TYPE:
		return 415;
	case PARSE_TOO_MANY:
	case PARSE_FIELD_TOO_LONG:
	case PARSE_BAD_ENCODING:
	case PARSE_BAD_UTF8:
	case PARSE_IO:
		return 400;
	}
	abort();
}

const char *parse_status_message(enum parse_status st)
{
	switch (st) {
	case PARSE_OK:
		return "";
	case PARSE_TOO_LARGE:
		return "提交的数据超过大小限制。";
	case PARSE_TOO_MANY:
		return "提交的字段过多。";
	case PARSE_FIELD_TOO_LONG:
		return "提交的某个字段过长。";
	case PARSE_BAD_ENCODING:
		return "提交的数据编码有误。";
	case PARSE_BAD_UTF8:
		return "提交的文字不是有效的 UTF-8 编码。";
	case PARSE_BAD_TYPE:
		return "不支持的提交格式。";
	case PARSE_IO:
		return "提交的数据不完整。";
	}
	abort();
}
