#include "steps/files/files_pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/multipart.h"
#include "steps/intake/attachments.h"

#include "core/banned.h"

static const struct field_spec id_field = { "id", "文件编号", FIELD_INT, true, 0, 1, 1LL << 53,
					    NULL };

static int not_found(struct ctx *c)
{
	return app_fail(c, 404, "未找到该文件，或您无权查看。");
}

int files_page_download(struct ctx *c)
{
	const char *v = fields_get(&c->req.query, "id");
	json_object *meta = NULL;
	struct buf disp = BUF_INIT;
	long long id = 0;
	int rc;
	char *err = field_check(&id_field, v ? v : "", &id);

	if (err) {
		free(err);
		return not_found(c);
	}
	if ((rc = att_meta(id, &meta)) != DB_OK)
		return rc;
	if (!meta || !auth_can_see_application(&c->user, db_int(meta, "account_id", 0),
					       db_str(meta, "city_code", ""),
					       db_str(meta, "status", ""))) {
		json_object_put(meta);
		return not_found(c);
	}
	buf_reset(&c->resp.body);
	rc = att_read(id, db_int(meta, "size_bytes", 0), &c->resp.body);
	/* No read leaves without its audit record. */
	if (rc == DB_OK)
		rc = att_audit_read(&c->actor, meta);
	if (rc != DB_OK) {
		buf_reset(&c->resp.body);
		json_object_put(meta);
		return rc;
	}
	mp_content_disposition(&disp, db_str(meta, "original_name", "file"));
	if (resp_header(&c->resp, "Content-Type", db_str(meta, "mime", "application/octet-stream")) ||
	    resp_header(&c->resp, "Content-Disposition", disp.data)) {
		buf_reset(&c->resp.body);
		rc = DB_ERROR; /* stored values are checked on upload: a bug if this happens */
	} else {
		c->resp.status = 200;
	}
	buf_release(&disp);
	json_object_put(meta);
	return rc;
}
