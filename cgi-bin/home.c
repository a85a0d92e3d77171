/* home: each role's landing page — what needs the user's action now.
 *
 *   GET /home   200 the page; 303 to /login without a session
 */
#include "core/app.h"
#include "steps/home/home_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLES_ANY, 0, home_page },
};

int main(void)
{
	static const struct program prog = { "home", "/home", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
