/* files: downloads of the files uploaded with an application (issue 4).
 *
 *   GET /files/download?id=N  200 the file's bytes as an attachment: the
 *                             stored real type as Content-Type (with the
 *                             shared nosniff header), Content-Disposition
 *                             with the safe name (RFC 6266 / 8187), after an
 *                             "attachment.download" audit record; 404 when
 *                             there is no such file or the user may not see
 *                             its application (the same answer for both,
 *                             so ids cannot be probed)
 *
 * Who may see an application is src/auth.h's auth_can_see_application: the
 * owning enterprise; once submitted, its city's bureau and the province.
 * The bytes come from the database (src/attachments.h), never from a path
 * under the web root.  The body is built whole in memory (src/response.h):
 * at most upload_max_bytes.
 */
#include "app.h"

#include <stdlib.h>

#include "attachments.h"
#include "buf.h"
#include "db.h"
#include "form.h"
#include "multipart.h"
#include "banned.h"

static const struct field_spec id_field = { "id", "文件编号", FIELD_INT, true, 0, 1, 1LL << 53,
					    NULL };

static int not_found(struct ctx *c)
{
	return app_fail(c, 404, "未找到该文件，或您无权查看。");
}

static int page_download(struct ctx *c)
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

static const struct page pages[] = {
	{ "download", METHOD_GET, ROLE_ENTERPRISE | ROLE_CITY | ROLE_PROVINCE, 0, page_download },
};

int main(void)
{
	static const struct program prog = { "files", "/files", pages,
					     sizeof pages / sizeof pages[0] };
	return app_run(&prog);
}
