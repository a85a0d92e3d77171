/* admin: the province administrator's pages — accounts and the audit log.
 *
 *   GET  /admin                  index
 *   GET  /admin/users            all accounts
 *   GET  /admin/users/new        form;  POST: 303 to /admin/user/password?id=N,
 *                                422 with reasons, 409 login taken
 *   GET  /admin/user?id=N        one account and its actions (404 unknown)
 *   POST /admin/user/reset       new temporary password (forced change): 303 to
 *                                /admin/user/password?id=N&reset=1
 *   GET  /admin/user/password?id=N  the password this session generated for
 *                                account N, shown once (core/once.h); later
 *                                views say it was shown already
 *   POST /admin/user/disable|enable|unlock   303 back to the account
 *   GET  /admin/sessions         the online users (live sessions), paged
 *   POST /admin/sessions/end     session=N ends one: 303 back; 404 none; 409 own
 *   POST /admin/user/sessions/end  id=N ends all of an account's: 303 back
 *   POST /admin/user/totp/require  id=N&required=1|0 the second factor required
 *                                of the account (or not): 303 back
 *   POST /admin/user/totp/reset    id=N its second factor reset (lost phone),
 *                                its sessions ended: 303 back; 409 one's own
 *   GET  /admin/audit            the audit log, filtered and paged
 *   GET  /admin/audit.csv        the same filter's rows as CSV (at most 10,000:
 *                                422 beyond; for the supervisor too)
 *   GET  /admin/rounds, /admin/rounds/new, /admin/round?id=N, /admin/round/edit
 *                                the selection rounds (statuses: src/steps/rounds/rounds_pages.h)
 *   GET  /admin/uscc             credit codes accepted despite a failing check character
 *   POST /admin/uscc/add|remove  303 back; 422 with the reason (a code that is
 *                                valid anyway or wrong elsewhere); 409 recorded already
 *   GET  /admin/calendar?year=Y  the working-day calendar of a year (month grids)
 *   POST /admin/calendar/add|edit|remove   303 back to the year; 422 with the
 *                                reason and the input kept; 409 date taken
 *   POST /admin/calendar/complete|reopen   year=Y&confirm=1: the year counts as
 *                                loaded (or no longer); 303 back; 422 not
 *                                confirmed; 409 no dates, or no change
 *   GET  /admin/calendar/remove?date=D   a confirmation page (GET changes
 *                                nothing); GET add|edit: 303 to the calendar
 * Every page: 403 for any role but province.
 */
#include "core/app.h"
#include "steps/accounts/accounts_pages.h"
#include "steps/calendar/calendar_pages.h"
#include "steps/intake/uscc_pages.h"
#include "steps/rounds/rounds_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLE_PROVINCE, 0, accounts_page_index },
	{ "audit", METHOD_GET, ROLE_PROVINCE | ROLE_SUPERVISOR, 0, accounts_page_audit },
	{ "audit.csv", METHOD_GET, ROLE_PROVINCE | ROLE_SUPERVISOR, 0, accounts_page_audit_csv },
	{ "calendar", METHOD_GET, ROLE_PROVINCE, 0, calendar_page_year },
	{ "calendar/add", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, calendar_page_add },
	{ "calendar/complete", METHOD_POST, ROLE_PROVINCE, 0, calendar_page_complete },
	{ "calendar/edit", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, calendar_page_edit },
	{ "calendar/remove", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, calendar_page_remove },
	{ "calendar/reopen", METHOD_POST, ROLE_PROVINCE, 0, calendar_page_reopen },
	{ "round", METHOD_GET, ROLE_PROVINCE, 0, rounds_page_view },
	{ "round/edit", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, rounds_page_edit },
	{ "rounds", METHOD_GET, ROLE_PROVINCE, 0, rounds_page_list },
	{ "rounds/new", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, rounds_page_new },
	{ "sessions", METHOD_GET, ROLE_PROVINCE, 0, accounts_page_sessions },
	{ "sessions/end", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_session_end },
	{ "user", METHOD_GET, ROLE_PROVINCE, 0, accounts_page_user },
	{ "user/disable", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_disable },
	{ "user/enable", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_enable },
	{ "user/password", METHOD_GET, ROLE_PROVINCE, 0, accounts_page_user_password },
	{ "user/reset", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_reset },
	{ "user/sessions/end", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_sessions_end },
	{ "user/totp/require", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_totp_require },
	{ "user/totp/reset", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_totp_reset },
	{ "user/unlock", METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_unlock },
	{ "users", METHOD_GET, ROLE_PROVINCE, 0, accounts_page_users },
	{ "uscc", METHOD_GET, ROLE_PROVINCE, 0, uscc_page_list },
	{ "uscc/add", METHOD_POST, ROLE_PROVINCE, 0, uscc_page_add },
	{ "uscc/remove", METHOD_POST, ROLE_PROVINCE, 0, uscc_page_remove },
	{ "users/new", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, accounts_page_user_new },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "admin", "/admin", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
