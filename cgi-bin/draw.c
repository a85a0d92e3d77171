/* draw: review sessions and the verifiable, supervised expert draw
 * (第十一条, 附件二; issue 11).
 *
 *   GET  /draw                   province, supervisor: the sessions (paged,
 *                                ?round=, ?page=)
 *   GET  /draw/new               province: a new session's form (?round=)
 *   POST /draw/new               round, title, review_date, place,
 *                                panel_size, rotation_k, app (repeated): 303
 *   GET  /draw/edit?id=N         province: the form of a preparing session
 *   POST /draw/edit              the same fields and id: 303
 *   GET  /draw/session?id=N      province, supervisor: the session, its
 *                                commitment, candidates, panel and record
 *   POST /draw/commit            id, public_source: candidates and seed fixed
 *   POST /draw/panel             id, public_value, supervisor_login,
 *                                supervisor_password: the panel drawn
 *   POST /draw/replace           id, expert, reason_kind, reason and the
 *                                supervisor's: one member replaced
 *   POST /draw/reveal            id and the supervisor's: the seed revealed
 *   POST /draw/rate              id, expert, rating, comment
 *   GET  /draw/record?id=N       province, supervisor: 抽取记录 for A4
 *   GET  /draw/export?id=N       province, supervisor: the record as JSON
 *                                (docs/lottery.md), audited
 *   GET  /draw/mine              expert: their own assignments only
 * A successful POST answers 303; a refusal explains itself in Chinese (422
 * the input, 409 the state of things) and changes nothing.  A session that
 * does not exist answers 404 with an audit record.  Statuses per page:
 * src/steps/draw/draw_pages.c.
 */
#include "core/app.h"
#include "steps/draw/draw_pages.h"
#include "core/banned.h"

#define READERS (ROLE_PROVINCE | ROLE_SUPERVISOR)

static const struct page pages[] = {
	{ "", METHOD_GET, READERS, 0, draw_page_index },
	{ "commit", METHOD_POST, ROLE_PROVINCE, 0, draw_page_commit },
	{ "edit", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, draw_page_edit },
	{ "export", METHOD_GET, READERS, 0, draw_page_export },
	{ "mine", METHOD_GET, ROLE_EXPERT, 0, draw_page_mine },
	{ "new", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, draw_page_new },
	{ "panel", METHOD_POST, ROLE_PROVINCE, 0, draw_page_panel },
	{ "rate", METHOD_POST, ROLE_PROVINCE, 0, draw_page_rate },
	{ "record", METHOD_GET, READERS, 0, draw_page_record },
	{ "replace", METHOD_POST, ROLE_PROVINCE, 0, draw_page_replace },
	{ "reveal", METHOD_POST, ROLE_PROVINCE, 0, draw_page_reveal },
	{ "session", METHOD_GET, READERS, 0, draw_page_session },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "draw", "/draw", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
