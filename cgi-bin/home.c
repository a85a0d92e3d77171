/* home: each role's landing page — what needs the user's action now.
 *
 *   GET /home            200 the page; 303 to /login without a session
 *   GET /home/help       200 the 使用说明 of the user's role
 *   GET /home/measures   200 the measures' text, for everyone
 */
#include "core/app.h"
#include "steps/home/home_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLES_ANY, 0, home_page },
	{ "help", METHOD_GET, ROLES_ANY, 0, home_page_help },
	{ "measures", METHOD_GET, 0, PAGE_PUBLIC, home_page_measures },
};

int main(void)
{
	static const struct program prog = { "home", "/home", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
