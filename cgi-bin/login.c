/* login: log in, log out, change password.
 *
 *   GET  /login            the form (already logged in: 303 to /home)
 *   POST /login            200 never; 303 to next page on success; 403
 *                          without the matching pre-session token
 *                          (core/presession.h), or cross-site;
 *                          401 unknown login, wrong password or locked (one
 *                          answer for all three); 403 the right password of
 *                          a disabled account
 *   GET  /login/password   the change form (also while a change is forced)
 *   POST /login/password   303 to /home on success; 422 with reasons; 423
 *                          locked (wrong current passwords count toward it)
 *   GET  /login/logout     a confirmation form (GET changes nothing)
 *   POST /login/logout     ends the session; 303 to /login
 *   GET  /login/totp       the second factor (动态口令): the login's code
 *                          form, the enrolment, or the user's status
 *   POST /login/totp       a code (303 on; 422 wrong; 423 locked), or
 *                          action=begin (303 back to the enrolment)
 *   GET  /login/totp/qr    the pending enrolment's QR code (SVG; 404 none)
 *   GET  /login/totp/codes the recovery codes, once
 * While a login's second factor is due, only the totp pages and logout
 * answer; every other page sends the browser to /login/totp.
 */
#include "core/app.h"
#include "steps/accounts/login_pages.h"
#include "steps/accounts/mfa_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	/* No session yet: the pre-session token stands in for the session's
	 * CSRF token (login_pages.c). */
	{ "", METHOD_GET | METHOD_POST, 0, PAGE_PUBLIC | PAGE_NO_CSRF, login_page_login },
	{ "password", METHOD_GET | METHOD_POST, ROLES_ANY, PAGE_DURING_FORCED, login_page_password },
	{ "logout", METHOD_GET | METHOD_POST, ROLES_ANY, PAGE_DURING_FORCED | PAGE_DURING_MFA,
	  login_page_logout },
	{ "totp", METHOD_GET | METHOD_POST, ROLES_ANY, PAGE_DURING_FORCED | PAGE_DURING_MFA,
	  mfa_page_totp },
	{ "totp/codes", METHOD_GET, ROLES_ANY, PAGE_DURING_FORCED | PAGE_DURING_MFA, mfa_page_codes },
	{ "totp/qr", METHOD_GET, ROLES_ANY, PAGE_DURING_FORCED | PAGE_DURING_MFA, mfa_page_qr },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "login", "/login", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
