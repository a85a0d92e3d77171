#include "steps/home/home_pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "steps/home/home_data.h"

#include "core/banned.h"

int home_page(struct ctx *c)
{
	int rc = home_fill(c);
	if (rc)
		return rc;
	if (request_param(&c->req, "changed"))
		app_set_str(c, "notice", "密码已修改。");
	return app_render(c, 200, "home", "首页");
}

/*   GET  200 the help of the viewer's role (it reads nothing) */
int home_page_help(struct ctx *c)
{
	json_object *is = json_object_new_object();
	json_object_object_add(is, role_name(c->user.role), json_object_new_boolean(1));
	app_set(c, "is", is);
	return app_render(c, 200, "help", "使用说明");
}

/*   GET  200 the measures (a fixed text: the template is the document) */
int home_page_measures(struct ctx *c)
{
	return app_render(c, 200, "measures", "黑龙江省质量标杆遴选管理办法");
}
