/* mpform: a form with file inputs, sent as multipart/form-data and read as
 * a stream, with the CSRF token checked before any file is read.
 *
 * A page whose form holds file inputs (flag PAGE_MULTIPART) is reached with
 * its body unread; the front line cannot check the CSRF token, which is in
 * the body.  The handler calls mpform_read before it changes anything:
 *
 *   - the body's first part must be the plain field "csrf" with the
 *     session's token (the form's first control: a hidden input).  It is
 *     checked as soon as that part ends, before any other part is read: a
 *     request without it, or with a wrong one, is answered 403 and never
 *     gets a byte of a file stored.  No secret travels in a URL (where web
 *     server logs would keep it).
 *   - the plain fields are added to c->req.form (valid UTF-8 without NUL,
 *     at most lim->max_field_bytes each, at most lim->max_parts parts), where
 *     form_validate and request_param find them as for a urlencoded form;
 *   - each file part goes to the caller's callbacks (may be NULL: the bytes
 *     are then read and dropped).
 *
 * A urlencoded body (a form sent without files, e.g. by a script) was read
 * and its token checked by the front line: mpform_read returns MPFORM_OK at
 * once.  app_handle refuses (500, logged as a bug) a success answer from a
 * PAGE_MULTIPART handler that never had the token checked.
 */
#ifndef BIAOGAN_MPFORM_H
#define BIAOGAN_MPFORM_H

#include "core/app.h"
#include "core/multipart.h"

enum mpform_status {
	MPFORM_OK,      /* token checked; the body read to its end */
	MPFORM_REFUSED, /* the response is made: 403 (token) or 400 (a field that is not text) */
	MPFORM_BODY,    /* the body is malformed, too large or cut short, or a file callback
			   stopped it: *err says which (MP_ERR_CALLBACK: the callback's owner
			   knows why); plain fields read until then are in c->req.form */
};

enum mpform_status mpform_read(struct ctx *c, const struct mp_limits *lim,
			       const struct mp_callbacks *files, void *files_ctx, enum mp_err *err);

#endif
