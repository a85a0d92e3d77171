/* recommend: the city bureaus' review and recommendation to the province
 * (第五条、第九条、第十条), and the province's view of it (issue 10).
 *
 *   GET  /recommend                  city: its city's applications in a round
 *                                    (filter, sort, page) and its batch's state;
 *                                    province: 303 to /recommend/province
 *   GET  /recommend/app?id=N         an application in full with its files, the
 *                                    decision, the returns, the credit checks
 *   POST /recommend/return           id, reason: back to the enterprise (303)
 *   POST /recommend/decline          id, reason: not recommended (303)
 *   POST /recommend/recommend        id, opinion, rank: into the batch (303)
 *   POST /recommend/reconsider       id: a decision undone while the batch is open
 *   POST /recommend/credit           id, kind, result, checked_on, note: a credit check
 *   GET  /recommend/batch            round, city: the batch in rank order
 *   POST /recommend/batch/order      round, rank_<id>: the new order
 *   POST /recommend/batch/submit     round: to the province, locked
 *   POST /recommend/batch/reopen     province: round, city, reason
 *   POST /recommend/batch/extend     province: round, city, deadline, reason
 *   GET  /recommend/letter           round, city: the letter to print (A4)
 *   GET  /recommend/export           round, city, format=xlsx|csv: the batch
 *   GET  /recommend/province         province: every city's batch and the
 *                                    province-wide list of recommendations
 *   GET  /recommend/province/export  province: that list, format=xlsx|csv
 * A successful POST answers 303; a refusal explains itself in Chinese (422
 * the input, 409 the state of things) and changes nothing.  Objects of
 * others (another city's application or batch, a draft, an id that does not
 * exist) answer 404 and leave an audit record.  Statuses per page:
 * src/steps/recommend/recommend_pages.c.
 */
#include "core/app.h"
#include "steps/recommend/recommend_pages.h"
#include "core/banned.h"

#define CITY ROLE_CITY
#define BOTH (ROLE_CITY | ROLE_PROVINCE)

static const struct page pages[] = {
	{ "", METHOD_GET, BOTH, 0, rec_page_index },
	{ "app", METHOD_GET, BOTH, 0, rec_page_app },
	{ "batch", METHOD_GET, BOTH, 0, rec_page_batch },
	{ "batch/extend", METHOD_POST, ROLE_PROVINCE, 0, rec_page_extend },
	{ "batch/order", METHOD_POST, CITY, 0, rec_page_order },
	{ "batch/reopen", METHOD_POST, ROLE_PROVINCE, 0, rec_page_reopen },
	{ "batch/submit", METHOD_POST, CITY, 0, rec_page_submit },
	{ "credit", METHOD_POST, BOTH, 0, rec_page_credit },
	{ "decline", METHOD_POST, CITY, 0, rec_page_decline },
	{ "export", METHOD_GET, BOTH, 0, rec_page_export },
	{ "letter", METHOD_GET, BOTH, 0, rec_page_letter },
	{ "province", METHOD_GET, ROLE_PROVINCE, 0, rec_page_province },
	{ "province/export", METHOD_GET, ROLE_PROVINCE, 0, rec_page_province_export },
	{ "reconsider", METHOD_POST, CITY, 0, rec_page_reconsider },
	{ "recommend", METHOD_POST, CITY, 0, rec_page_recommend },
	{ "return", METHOD_POST, CITY, 0, rec_page_return },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "recommend", "/recommend", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
