/* presession: CSRF defence of the forms posted before a session exists
 * (the login form, enterprise registration), which cannot use the
 * session's token (core/session.h).
 *
 * A double-submit token: the form's page sets the cookie PRESESSION_COOKIE
 * (HttpOnly, SameSite=Strict; 256 random bits in hex, kept while the cookie
 * lives) and carries the same value in the hidden field PRESESSION_FIELD.
 * The POST passes only with both, equal: another site can make a browser
 * post, but can neither read our cookie nor set it.  The token is no
 * secret of an identity, so it outlives a login (a form still open in a
 * second tab keeps working) and dies with the browser session.  Beyond the token, a
 * POST is refused when the browser says it comes from elsewhere: an Origin
 * header that is "null" or names another host than the request's Host, or
 * a Sec-Fetch-Site other than "same-origin" ("none": typed by the user).
 * Requests without those headers (older browsers, tools) rely on the token.
 */
#ifndef BIAOGAN_PRESESSION_H
#define BIAOGAN_PRESESSION_H

#include <stdbool.h>

#include "core/request.h"
#include "core/response.h"

#define PRESESSION_COOKIE "bg_pre"
#define PRESESSION_FIELD "pre_token"
#define PRESESSION_TOKEN_HEX 64

/* The token for a form page: the request's cookie when it holds a
 * well-formed one, else a new one; the cookie is (re)set on resp.  out is
 * the caller's, PRESESSION_TOKEN_HEX + 1 bytes. */
void presession_token(const struct request *req, struct response *resp,
		      char out[PRESESSION_TOKEN_HEX + 1]);
/* May this POST proceed: not cross-site by its headers, and its
 * PRESESSION_FIELD equal (constant time) to its cookie. */
bool presession_ok(const struct request *req);
/* The header test alone: Origin / Sec-Fetch-Site say another site. */
bool presession_cross_site(const struct request *req);

#endif
