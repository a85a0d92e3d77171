/* home: each role's landing page — what needs the user's action now.
 *
 *   GET /home   200 the page; 303 to /login without a session
 */
#include "app.h"
#include "home_data.h"
#include "banned.h"

static int page_home(struct ctx *c)
{
	int rc = home_fill(c);
	if (rc)
		return rc;
	if (request_param(&c->req, "changed"))
		app_set_str(c, "notice", "密码已修改。");
	return app_render(c, 200, "home", "首页");
}

static const struct page pages[] = {
	{ "", METHOD_GET, ROLES_ANY, 0, page_home },
};

int main(void)
{
	static const struct program prog = { "home", "/home", pages, sizeof pages / sizeof pages[0] };
	return app_run(&prog);
}
