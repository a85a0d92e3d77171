#include "steps/notify/notify_pages.h"

#include <string.h>

#include "core/db.h"
#include "core/form.h"
#include "steps/notify/notify.h"
#include "core/banned.h"

static const struct field_spec page_spec = { "page", "页码", FIELD_INT, false, 0, 1, 100000, NULL };
static const char *const shows[] = { "unread", "all", NULL };
static const struct field_spec show_spec = { "show", "显示", FIELD_CHOICE, false, 0, 0, 0, shows };

/*   GET  200 the list (an unknown show or page reads as the default) */
int notify_page_list(struct ctx *c)
{
	json_object *rows = NULL;
	struct form f;
	long long page = form_param_int(&c->req, &page_spec);
	bool all, more = false;
	int rc;
	form_init(&f, &show_spec, 1);
	form_validate_filters(&f, &c->req);
	all = !strcmp(form_str(&f, "show"), "all");
	form_release(&f);
	if (page < 1)
		page = 1;
	if ((rc = notify_inbox(c->user.id, !all, page, &rows, &more)) != DB_OK)
		return rc;
	app_set(c, "notices", rows);
	app_set(c, "show_all", json_object_new_boolean(all));
	app_set_str(c, "show", all ? "all" : "unread");
	app_set(c, "pager", app_pager(page, more));
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "已标为已读。");
	return app_render(c, 200, "notices", "通知");
}

static const struct field_spec read_fields[] = {
	{ "id", "通知", FIELD_INT, false, 0, 1, 1LL << 53, NULL },
	{ "all", "全部", FIELD_INT, false, 0, 1, 1, NULL },
	{ "back", "返回", FIELD_CHOICE, false, 0, 0, 0, (const char *const[]){ "home", "notices", NULL } },
};

/*   POST 303 back (marked, or nothing to mark: the same answer); 422 with
 *        neither id nor all */
int notify_page_read(struct ctx *c)
{
	struct form f;
	long long id, changed = 0;
	bool home;
	int rc;
	form_init(&f, read_fields, ARRAY_LEN(read_fields));
	form_validate(&f, &c->req);
	id = form_int(&f, "id");
	home = !strcmp(form_str(&f, "back"), "home");
	if (f.errors || (!id && !form_int(&f, "all"))) {
		form_release(&f);
		return app_fail(c, 422, "请选择要标为已读的通知。");
	}
	form_release(&f);
	rc = notify_mark_read(&c->actor, c->user.id, id, &changed);
	if (rc != DB_OK)
		return rc;
	return app_redirect(c, home ? "/home" : "/home/notices?done=1");
}
