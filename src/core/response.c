#include "core/response.h"

#include <string.h>

#include "core/config.h"
#include "core/banned.h"

void resp_init(struct response *r)
{
	r->status = 200;
	buf_init(&r->headers);
	buf_init(&r->body);
	r->content_type_set = false;
	r->stream = NULL;
	r->stream_ctx = NULL;
	r->stream_free = NULL;
	r->stream_len = 0;
}

static void stream_drop(struct response *r)
{
	if (r->stream_free && r->stream_ctx)
		r->stream_free(r->stream_ctx);
	r->stream = NULL;
	r->stream_ctx = NULL;
	r->stream_free = NULL;
	r->stream_len = 0;
}

void resp_release(struct response *r)
{
	buf_release(&r->headers);
	buf_release(&r->body);
	stream_drop(r);
}

void resp_stream(struct response *r, unsigned long long len, resp_body_fn fn, void *ctx,
		 void (*free_ctx)(void *ctx))
{
	stream_drop(r);
	buf_reset(&r->body);
	r->stream = fn;
	r->stream_ctx = ctx;
	r->stream_free = free_ctx;
	r->stream_len = len;
}

static bool header_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return false;
	return true;
}

/* An RFC 9110 token: header and cookie names.  Anything else (empty, space,
 * ':', '=', controls, non-ASCII) would give a malformed header. */
static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", *s)))
			return false;
	return true;
}

/* RFC 6265 cookie-octet: printable ASCII except space " , ; and backslash. */
static bool is_cookie_value(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7F || c == '"' || c == ',' || c == ';' || c == '\\')
			return false;
	}
	return true;
}

/* Headers resp_send writes itself, once each: a handler cannot add a second
 * copy (Content-Length would contradict the body; a second Cache-Control
 * is what /files/download sent). */
static bool header_reserved(const char *name)
{
	static const char *const own[] = { "Status", "Content-Length", "Cache-Control",
					   "Content-Security-Policy", "X-Frame-Options",
					   "X-Content-Type-Options", "Referrer-Policy" };
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (!strcasecmp(name, own[i]))
			return true;
	return false;
}

int resp_header(struct response *r, const char *name, const char *value)
{
	if (!is_token(name) || !header_safe(value) || header_reserved(name))
		return -1;
	if (!strcasecmp(name, "Content-Type"))
		r->content_type_set = true;
	buf_addf(&r->headers, "%s: %s\r\n", name, value);
	return 0;
}

int resp_cookie(struct response *r, const char *name, const char *value, long max_age)
{
	struct buf v = BUF_INIT;
	int rc;
	if (!is_token(name) || !is_cookie_value(value))
		return -1;
	buf_addf(&v, "%s=%s; Path=/; HttpOnly; SameSite=Strict", name, value);
	if (max_age >= 0)
		buf_addf(&v, "; Max-Age=%ld", max_age);
	if (config_bool("cookie_secure", false))
		buf_adds(&v, "; Secure");
	rc = resp_header(r, "Set-Cookie", v.data);
	buf_release(&v);
	return rc;
}

bool is_local_path(const char *path)
{
	if (!path || path[0] != '/' || path[1] == '/' || path[1] == '\\')
		return false;
	/* Browsers drop TAB, CR and LF inside a URL, so "/\t/evil" is "//evil";
	 * no control character belongs in a redirect target. */
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return false;
	return true;
}

int resp_redirect(struct response *r, const char *local_path)
{
	if (!is_local_path(local_path))
		local_path = "/home";
	r->status = 303;
	return resp_header(r, "Location", local_path);
}

const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 423: return "Locked";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

int resp_send(struct response *r, bool head_only, resp_writer w, void *ctx)
{
	struct buf h = BUF_INIT;
	int rc;
	/* FastCGI: the web server turns "Status:" into the status line. */
	buf_addf(&h, "Status: %d %s\r\n", r->status, status_text(r->status));
	if (!r->content_type_set)
		buf_adds(&h, "Content-Type: text/html; charset=utf-8\r\n");
	buf_adds(&h, "Content-Security-Policy: default-src 'self'; form-action 'self'; "
		     "frame-ancestors 'none'; base-uri 'none'\r\n"
		     "X-Frame-Options: DENY\r\n"
		     "X-Content-Type-Options: nosniff\r\n"
		     "Referrer-Policy: same-origin\r\n"
		     "Cache-Control: no-store\r\n");
	buf_add(&h, r->headers.data, r->headers.len);
	if (r->stream)
		buf_addf(&h, "Content-Length: %llu\r\n\r\n", r->stream_len);
	else
		buf_addf(&h, "Content-Length: %zu\r\n\r\n", r->body.len);
	rc = w(ctx, h.data, h.len);
	if (rc == 0 && !head_only && r->stream)
		rc = r->stream(r->stream_ctx, w, ctx);
	else if (rc == 0 && !head_only && r->body.len)
		rc = w(ctx, r->body.data, r->body.len);
	buf_release(&h);
	return rc;
}
