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

int files_page_download(struct ctx *c)
{
	const char *v = fields_get(&c->req.query, "id");
	json_object *meta = NULL;
	long long id = 0;
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
	rc = att_respond(&c->resp, &c->actor, meta);
	json_object_put(meta);
	return rc;
}
