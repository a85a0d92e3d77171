/* home: each role's landing page — what needs the user's action now.
 *
 *   GET /home            200 the page; 303 to /login without a session
 *   GET /home/dashboard  200 the province's dashboard (统计) of a round
 *   GET /home/help       200 the 使用说明 of the user's role
 *   GET /home/measures   200 the measures' text, for everyone
 *   GET /home/notices    200 the user's notices (notify_pages.h)
 *   POST /home/notices/read  303 marked read
 */
#include "core/app.h"
#include "steps/home/home_pages.h"
#include "steps/notify/notify_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLES_ANY, 0, home_page },
	{ "dashboard", METHOD_GET, ROLE_PROVINCE, 0, home_page_dashboard },
	{ "help", METHOD_GET, ROLES_ANY, 0, home_page_help },
	{ "measures", METHOD_GET, 0, PAGE_PUBLIC, home_page_measures },
	{ "notices", METHOD_GET, ROLES_ANY, 0, notify_page_list },
	{ "notices/read", METHOD_POST, ROLES_ANY, 0, notify_page_read },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "home", "/home", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
