#include "core/presession.h"

#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/banned.h"

static bool wellformed(const char *t)
{
	return t && strlen(t) == PRESESSION_TOKEN_HEX &&
	       strspn(t, "0123456789abcdef") == PRESESSION_TOKEN_HEX;
}

void presession_token(const struct request *req, struct response *resp,
		      char out[PRESESSION_TOKEN_HEX + 1])
{
	const char *have = fields_get(&req->cookies, PRESESSION_COOKIE);
	if (wellformed(have)) {
		memcpy(out, have, PRESESSION_TOKEN_HEX + 1);
	} else {
		unsigned char b[PRESESSION_TOKEN_HEX / 2];
		randombytes_buf(b, sizeof b);
		sodium_bin2hex(out, PRESESSION_TOKEN_HEX + 1, b, sizeof b);
	}
	resp_cookie(resp, PRESESSION_COOKIE, out, -1);
}

/* "http://host[:port]" or "https://…" naming the request's own Host.  A
 * default port may be written in one and left out of the other. */
static bool same_host(const char *origin, const char *host)
{
	const char *auth;
	const char *dflt;
	size_t alen, hlen;

	if (!strncmp(origin, "https://", 8)) {
		auth = origin + 8;
		dflt = ":443";
	} else if (!strncmp(origin, "http://", 7)) {
		auth = origin + 7;
		dflt = ":80";
	} else {
		return false;
	}
	if (!host || !*host || strpbrk(auth, "/?#@"))
		return false;
	alen = strlen(auth);
	hlen = strlen(host);
	if (alen > strlen(dflt) && !strcmp(auth + alen - strlen(dflt), dflt))
		alen -= strlen(dflt);
	if (hlen > strlen(dflt) && !strcmp(host + hlen - strlen(dflt), dflt))
		hlen -= strlen(dflt);
	return alen == hlen && alen > 0 && !strncasecmp(auth, host, alen);
}

bool presession_cross_site(const struct request *req)
{
	if (req->fetch_site && strcmp(req->fetch_site, "same-origin") &&
	    strcmp(req->fetch_site, "none"))
		return true;
	return req->origin && !same_host(req->origin, req->host);
}

bool presession_ok(const struct request *req)
{
	const char *cookie = fields_get(&req->cookies, PRESESSION_COOKIE);
	const char *sent = fields_get(&req->form, PRESESSION_FIELD);
	if (presession_cross_site(req))
		return false;
	return wellformed(cookie) && wellformed(sent) &&
	       sodium_memcmp(cookie, sent, PRESESSION_TOKEN_HEX) == 0;
}
