/* apply: enterprise registration and the application (自愿申报, 第九条).
 *
 *   GET  /apply              enterprise: its record, the open rounds, its
 *                            applications and their status; 303 to
 *                            /apply/profile when the account has no record
 *   GET  /apply/register     public form (a logged-in user: 303 away);
 *   POST /apply/register     303 to /apply, logged in; 422 reasons; 409 credit
 *                            code or login taken; 403 without the matching
 *                            pre-session token (core/presession.h), or
 *                            cross-site
 *   GET  /apply/profile      enterprise account without a record: the form;
 *                            a record without its enterprise type: the type
 *                            form (?id=N: back to that application after)
 *   POST /apply/profile      303 to /apply (or /apply/edit?id=N); 422; 409
 *                            code taken
 *   POST /apply/start        round=N: 303 to the form of the enterprise's
 *                            application (a draft is made once); 404; 409 closed
 *   GET  /apply/edit?id=N    the form and the eligibility checklist; 303 to
 *                            the view when it can no longer be changed
 *   POST /apply/edit?id=N    the one form, multipart/form-data (CSRF token its
 *                            first field, never in the URL) or urlencoded: the
 *                            text saved and a file per kind stored
 *                            (file_experience, file_commitment, file_supporting),
 *                            each on its own; action=submit then submits.
 *                            303 back (saved=1, uploaded=K #attachments) or to the
 *                            view; else the form again with each reason at its
 *                            place: 400 malformed body, 413 too large, 415 real
 *                            type not accepted, 422 field errors, empty or no
 *                            file, 409 too many files; 403 without the token
 *                            (no file stored); 409 window closed or submitted;
 *                            404
 *   POST /apply/submit       id=N: 303 to the view (submitted=1, or already=1
 *                            for a repeat); 422 unmet conditions; 409 closed
 *   GET  /apply/view?id=N    read-only, with the status: the owner; once
 *                            submitted also its city bureau and the province
 *   GET  /apply/city         city bureau: its city's submitted applications
 *                            (province: every city)
 *   GET  /apply/delete-file?id=N&file=M   a confirmation page (GET changes nothing)
 *   POST /apply/delete-file  id=N&file=M: 303 to the form; 409; 404
 * Downloads are the files program's (cgi-bin/files.c).
 * Applications of others answer 404, whether they exist or not.
 */
#include "core/app.h"
#include "steps/intake/apply_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLE_ENTERPRISE, 0, apply_page_index },
	{ "city", METHOD_GET, ROLE_CITY | ROLE_PROVINCE, 0, apply_page_city },
	{ "delete-file", METHOD_GET | METHOD_POST, ROLE_ENTERPRISE, 0, apply_page_delete_file },
	/* The form carries its files: the body is streamed by the handler, the
	 * CSRF token is its first part (core/mpform.h). */
	{ "edit", METHOD_GET | METHOD_POST, ROLE_ENTERPRISE, PAGE_MULTIPART, apply_page_edit },
	{ "profile", METHOD_GET | METHOD_POST, ROLE_ENTERPRISE, 0, apply_page_profile },
	/* No session yet: the pre-session token stands in for the session's
	 * CSRF token (core/presession.h). */
	{ "register", METHOD_GET | METHOD_POST, 0, PAGE_PUBLIC | PAGE_NO_CSRF, apply_page_register },
	{ "start", METHOD_POST, ROLE_ENTERPRISE, 0, apply_page_start },
	{ "submit", METHOD_POST, ROLE_ENTERPRISE, 0, apply_page_submit },
	{ "view", METHOD_GET, ROLE_ENTERPRISE | ROLE_CITY | ROLE_PROVINCE, 0, apply_page_view },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "apply", "/apply", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
