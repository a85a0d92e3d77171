#include "steps/files/files_pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/multipart.h"
#include "steps/intake/attachments.h"

#include "core/banned.h"

static const struct field_spec id_field = { "id", "文件编号", FIELD_INT, true, 0, 1, 1LL << 53,
					    NULL };

/* One answer for "no such file" and "not yours", so ids cannot be probed;
 * the audit record tells them apart. */
static int not_found(struct ctx *c, long long id, const char *why)
{
	return app_refuse(c, 404, "refused.object", "attachment", id, why,
			  "未找到该文件，或您无权查看。");
}

/* What the streamed body needs after the handler has returned. */
struct download {
	long long id;
	long long size;
};

static int send_download(void *ctx, resp_writer w, void *wctx)
{
	const struct download *d = ctx;
	return att_send(d->id, d->size, w, wctx);
}

int files_page_download(struct ctx *c)
{
	const char *v = fields_get(&c->req.query, "id");
	json_object *meta = NULL;
	struct buf disp = BUF_INIT;
	struct download *d;
	long long id = 0, size;
	char *name;
	int rc;
	char *err = field_check(&id_field, v ? v : "", &id);

	if (err) {
		free(err);
		return not_found(c, 0, "文件编号无效");
	}
	if ((rc = att_meta(id, &meta)) != DB_OK)
		return rc;
	if (!meta)
		return not_found(c, id, "文件不存在");
	if (!auth_can_see_application(&c->user, db_int(meta, "account_id", 0),
				      db_str(meta, "city_code", ""), db_str(meta, "status", ""))) {
		json_object_put(meta);
		return not_found(c, id, "无权查看该文件所属的申报书");
	}
	size = db_int(meta, "size_bytes", 0);
	/* Everything that can fail before the first byte does: the bytes are
	 * all stored, and no read leaves without its audit record. */
	rc = att_check_stored(id, size);
	if (rc == DB_OK)
		rc = att_audit_read(&c->actor, meta);
	if (rc != DB_OK) {
		json_object_put(meta);
		return rc;
	}
	name = att_download_name(db_str(meta, "original_name", "file"), db_str(meta, "mime", ""));
	mp_content_disposition(&disp, name);
	free(name);
	if (resp_header(&c->resp, "Content-Type", db_str(meta, "mime", "application/octet-stream")) ||
	    resp_header(&c->resp, "Content-Disposition", disp.data)) {
		rc = DB_ERROR; /* stored values are checked on upload: a bug if this happens */
	} else {
		d = xmalloc(sizeof *d);
		d->id = id;
		d->size = size;
		resp_stream(&c->resp, (unsigned long long)size, send_download, d, free);
		c->resp.status = 200;
	}
	buf_release(&disp);
	json_object_put(meta);
	return rc;
}
