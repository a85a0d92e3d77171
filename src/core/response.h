/* response: the one writer that opens every HTTP response.
 *
 * It collects the status, headers and body, adds the security headers to
 * every response (CSP default-src 'self', X-Frame-Options DENY, nosniff,
 * Referrer-Policy, no caching of pages that may hold personal data), refuses
 * header values with CR or LF, and sends everything at once through an
 * output callback so a handler that fails half-way never leaves a half page
 * (a download's body alone is streamed: resp_stream).
 */
#ifndef BIAOGAN_RESPONSE_H
#define BIAOGAN_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

typedef int (*resp_writer)(void *ctx, const char *data, size_t len);
/* A body produced while it is sent (resp_stream): writes its bytes through
 * w, returns 0, or -1 when it could not write them all. */
typedef int (*resp_body_fn)(void *ctx, resp_writer w, void *wctx);

struct response {
	int status;
	struct buf headers; /* "Name: value\r\n" lines beyond the defaults */
	struct buf body;
	bool content_type_set;
	/* A streamed body (resp_stream) instead of body: */
	resp_body_fn stream;     /* NULL: the body is body */
	void *stream_ctx;        /* owned: freed by stream_free on release */
	void (*stream_free)(void *ctx);
	unsigned long long stream_len; /* the Content-Length announced */
};

void resp_init(struct response *r);
void resp_release(struct response *r);
/* Returns -1 (and adds nothing) when name is not an HTTP token or value
 * contains CR or LF. */
int resp_header(struct response *r, const char *name, const char *value);
/* Set-Cookie with HttpOnly, SameSite=Strict, Path=/ and Secure when
 * config cookie_secure is true.  max_age < 0: a session cookie; 0 deletes.
 * -1 when name is not a token or value has other than RFC 6265 cookie-octets. */
int resp_cookie(struct response *r, const char *name, const char *value, long max_age);
/* 303 See Other to a local path (must start with a single '/'). */
int resp_redirect(struct response *r, const char *local_path);
const char *status_text(int status);
/* The body is len bytes that fn writes while the response is sent (a
 * download: nothing held in memory but what fn holds at a time).  The
 * headers go first, Content-Length: len among them; fn then writes exactly
 * len bytes, and when it cannot (returns -1) the response is cut short:
 * the client sees fewer bytes than announced, an incomplete download and
 * never a wrong one.  r owns ctx (free_ctx(ctx) on release; may be NULL).
 * Replaces body; a later resp_stream replaces this one. */
void resp_stream(struct response *r, unsigned long long len, resp_body_fn fn, void *ctx,
		 void (*free_ctx)(void *ctx));
/* Write status line, headers and body.  HEAD requests get no body. */
int resp_send(struct response *r, bool head_only, resp_writer w, void *ctx);
/* True when path is a safe local redirect target ("/x", not "//x" nor "/\\x",
 * and no control characters, which browsers drop: "/\t/x" is "//x"). */
bool is_local_path(const char *path);

#endif
