#include "core/mpform.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/banned.h"

#define READ_CHUNK (64 * 1024)

enum stop { STOP_NONE = 0, STOP_CSRF, STOP_TEXT, STOP_FILES };

struct reader {
	struct ctx *c;
	const struct mp_callbacks *files;
	void *files_ctx;
	struct buf value; /* the plain field being read */
	bool in_field;
	enum stop stop;
};

static int on_begin(void *ctx, const struct mp_part *part)
{
	struct reader *r = ctx;
	if (r->c->csrf_pending &&
	    (part->index != 0 || part->filename || strcmp(part->name, "csrf"))) {
		r->stop = STOP_CSRF; /* anything before the token: refused unread */
		return -1;
	}
	if (!part->filename) {
		buf_reset(&r->value);
		r->in_field = true;
		return 0;
	}
	r->in_field = false;
	if (r->files && r->files->part_begin && r->files->part_begin(r->files_ctx, part)) {
		r->stop = STOP_FILES;
		return -1;
	}
	return 0;
}

static int on_data(void *ctx, const struct mp_part *part, const char *data, size_t len)
{
	struct reader *r = ctx;
	if (r->in_field) {
		buf_add(&r->value, data, len); /* bounded by the parser's max_field_bytes */
		return 0;
	}
	if (r->files && r->files->part_data && r->files->part_data(r->files_ctx, part, data, len)) {
		r->stop = STOP_FILES;
		return -1;
	}
	return 0;
}

static int on_end(void *ctx, const struct mp_part *part)
{
	struct reader *r = ctx;
	struct fields *form = &r->c->req.form;
	if (!r->in_field) {
		if (r->files && r->files->part_end && r->files->part_end(r->files_ctx, part)) {
			r->stop = STOP_FILES;
			return -1;
		}
		return 0;
	}
	r->in_field = false;
	if (r->c->csrf_pending) {
		if (!session_csrf_ok(&r->c->sess, r->value.data)) {
			r->stop = STOP_CSRF;
			return -1;
		}
		r->c->csrf_pending = false;
	}
	/* The same promise as for a urlencoded body (core/request.h). */
	if (!utf8_valid(r->value.data, r->value.len)) {
		r->stop = STOP_TEXT;
		return -1;
	}
	form->v = xrealloc(form->v, (form->n + 1) * sizeof *form->v);
	form->v[form->n].name = xstrdup(part->name);
	form->v[form->n].len = r->value.len;
	form->v[form->n].value = buf_detach(&r->value, NULL);
	form->n++;
	return 0;
}

static void refuse_csrf(struct ctx *c)
{
	log_warn("csrf check failed on %s (multipart body)", c->req.path);
	app_refuse(c, 403, "refused.csrf", NULL, 0, "表单令牌缺失或与会话不符（CSRF 校验失败，文件表单）",
		   "表单已失效或来源无法验证，请返回上一页刷新后重新提交。");
}

enum mpform_status mpform_read(struct ctx *c, const struct mp_limits *lim,
			       const struct mp_callbacks *files, void *files_ctx, enum mp_err *err)
{
	static const struct mp_callbacks cb = { on_begin, on_data, on_end };
	struct reader r = { c, files, files_ctx, BUF_INIT, false, STOP_NONE };
	char boundary[MP_BOUNDARY_MAX + 1];
	struct mp_parser *p;
	enum mp_err e;
	char *chunk;
	ssize_t n = 0;

	*err = MP_OK;
	if (!request_is_multipart(&c->req))
		return MPFORM_OK; /* urlencoded: read and checked by the front line */
	if ((e = mp_boundary(c->req.content_type ? c->req.content_type : "", boundary,
			     sizeof boundary)) != MP_OK) {
		*err = e;
		return MPFORM_BODY;
	}
	/* A declared length over the limit is refused before reading anything. */
	if (c->req.content_length > 0 &&
	    (unsigned long long)c->req.content_length > lim->max_total_bytes) {
		*err = MP_ERR_TOTAL_TOO_LARGE;
		return MPFORM_BODY;
	}
	p = mp_parser_new(boundary, lim, &cb, &r);
	chunk = xmalloc(READ_CHUNK);
	e = MP_OK;
	while ((n = c->req.read_body(c->req.read_ctx, chunk, READ_CHUNK)) > 0)
		if ((e = mp_feed(p, chunk, (size_t)n)) != MP_OK)
			break;
	if (e == MP_OK)
		e = n < 0 ? MP_ERR_TRUNCATED : mp_finish(p);
	free(chunk);
	mp_parser_free(p);
	buf_release(&r.value);
	/* A well-formed body that never brought the token (no parts at all). */
	if (r.stop == STOP_CSRF || (e == MP_OK && c->csrf_pending)) {
		refuse_csrf(c);
		return MPFORM_REFUSED;
	}
	if (r.stop == STOP_TEXT) {
		app_fail(c, 400, parse_status_message(PARSE_BAD_UTF8));
		return MPFORM_REFUSED;
	}
	*err = e;
	return e == MP_OK ? MPFORM_OK : MPFORM_BODY;
}
