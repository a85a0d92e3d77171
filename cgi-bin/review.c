/* review: the panel's review of a session's applications (材料评审与合议,
 * 第十一条, 附件三、四; issue 12).
 *
 *   GET  /review                  expert: my sessions; province,
 *                                 supervisor: sessions under review (?page=)
 *   GET  /review/session?id=N     expert: the session's applications and my
 *                                 sheets; province, supervisor: progress
 *                                 (scores only once the conclusions lock)
 *   GET  /review/declare?id=N     expert: the declaration (附件四)
 *   POST /review/declare          id, agree, conflict, app (repeated),
 *                                 reason, password: signed, 303
 *   GET  /review/app?session=&app=  expert: the application, its files and
 *                                 my score sheet
 *   POST /review/save             session, app, p1..p10, c1..c3, overall,
 *                                 submit (present: submit): 303
 *   POST /review/recuse           session, app, reason: excused, 303
 *   GET  /review/file?session=&file=  expert: a file of an application of
 *                                 the session (audited)
 *   GET  /review/panel?session=&app=  expert: the panel's scores side by
 *                                 side once visible; the chair's forms
 *   POST /review/revise           chair: session, app, expert, note
 *   POST /review/conclude         chair: session, app, recommended,
 *                                 opinion, ranking
 *   POST /review/answer           member: session, app, kind, reason
 *   POST /review/configure        province: id, chair, deadline_date,
 *                                 deadline_time
 *   POST /review/reopen           province: id, app, reason
 *   GET  /review/sheet?session=&app=  province, supervisor: the score sheet
 *                                 (A4), once locked
 *   GET  /review/summary?id=N     province, supervisor: the session's
 *                                 summary (A4), once locked
 *   GET  /review/export?id=N&format=xlsx|csv  province, supervisor: every
 *                                 score, audited, once locked
 * Statuses per page: src/steps/review/review_pages.c.
 */
#include "core/app.h"
#include "steps/review/review_pages.h"
#include "core/banned.h"

#define READERS (ROLE_PROVINCE | ROLE_SUPERVISOR)

static const struct page pages[] = {
	{ "", METHOD_GET, ROLE_EXPERT | READERS, 0, review_page_index },
	{ "answer", METHOD_POST, ROLE_EXPERT, 0, review_page_answer },
	{ "app", METHOD_GET, ROLE_EXPERT, 0, review_page_app },
	{ "conclude", METHOD_POST, ROLE_EXPERT, 0, review_page_conclude },
	{ "configure", METHOD_POST, ROLE_PROVINCE, 0, review_page_configure },
	{ "declare", METHOD_GET | METHOD_POST, ROLE_EXPERT, 0, review_page_declare },
	{ "export", METHOD_GET, READERS, 0, review_page_export },
	{ "file", METHOD_GET, ROLE_EXPERT, 0, review_page_file },
	{ "panel", METHOD_GET, ROLE_EXPERT, 0, review_page_panel },
	{ "recuse", METHOD_POST, ROLE_EXPERT, 0, review_page_recuse },
	{ "reopen", METHOD_POST, ROLE_PROVINCE, 0, review_page_reopen },
	{ "revise", METHOD_POST, ROLE_EXPERT, 0, review_page_revise },
	{ "save", METHOD_POST, ROLE_EXPERT, 0, review_page_save },
	{ "session", METHOD_GET, ROLE_EXPERT | READERS, 0, review_page_session },
	{ "sheet", METHOD_GET, READERS, 0, review_page_sheet },
	{ "summary", METHOD_GET, READERS, 0, review_page_summary },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "review", "/review", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
