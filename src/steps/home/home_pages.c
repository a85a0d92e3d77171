#include "steps/home/home_pages.h"

#include <stdlib.h>
#include <string.h>

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
