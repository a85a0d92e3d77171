/* experts: the expert pool (专家库, 附件一; issue 11), for the province
 * administrators only (the supervisor reads draw records, not the pool).
 *
 *   GET  /experts                      the pool: filter by status, organisation
 *                                      type, title level, text; 20 a page;
 *                                      mobile and e-mail masked
 *   GET  /experts/view?id=N            one expert in full, relations, status,
 *                                      account, history
 *   GET  /experts/new                  the form; POST: a new expert (303)
 *   GET  /experts/edit?id=N            the form filled in; POST: saved (303)
 *   POST /experts/relation/add         id, rel_uscc, rel_name, rel_kind, rel_note
 *   POST /experts/relation/remove      id, relation
 *   POST /experts/suspend              id, suspend_until, suspend_reason
 *   POST /experts/remove               id, remove_reason
 *   POST /experts/reactivate           id, reactivate_reason
 *   POST /experts/account              id, login: the expert's account (303)
 *   GET  /experts/account/password?id=N  its initial password, shown once
 *   GET  /experts/import               the upload form and the columns;
 *                                      POST (multipart: csrf, file): 303 to
 *                                      the result, or every bad line listed
 *   GET  /experts/import/result?id=N   what an import added and updated
 *   GET  /experts/template.csv         the empty template with an example line
 * A successful POST answers 303; a refusal explains itself in Chinese (422
 * the input, 409 the state of things) and changes nothing.  Statuses per
 * page: src/steps/experts/experts_pages.c.
 */
#include "core/app.h"
#include "steps/experts/experts_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLE_PROVINCE, 0, exp_page_index },
	{ "view", METHOD_GET, ROLE_PROVINCE, 0, exp_page_view },
	{ "new", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, exp_page_new },
	{ "edit", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, exp_page_edit },
	{ "relation/add", METHOD_POST, ROLE_PROVINCE, 0, exp_page_relation_add },
	{ "relation/remove", METHOD_POST, ROLE_PROVINCE, 0, exp_page_relation_remove },
	{ "suspend", METHOD_POST, ROLE_PROVINCE, 0, exp_page_suspend },
	{ "remove", METHOD_POST, ROLE_PROVINCE, 0, exp_page_remove },
	{ "reactivate", METHOD_POST, ROLE_PROVINCE, 0, exp_page_reactivate },
	{ "account", METHOD_POST, ROLE_PROVINCE, 0, exp_page_account },
	{ "account/password", METHOD_GET, ROLE_PROVINCE, 0, exp_page_account_password },
	{ "import", METHOD_GET | METHOD_POST, ROLE_PROVINCE, PAGE_MULTIPART, exp_page_import },
	{ "import/result", METHOD_GET, ROLE_PROVINCE, 0, exp_page_import_result },
	{ "template.csv", METHOD_GET, ROLE_PROVINCE, 0, exp_page_template },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "experts", "/experts", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
