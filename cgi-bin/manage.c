/* manage: the dynamic management of the titles (动态管理; 第十五条至第十七条;
 * issue 14).  Province administrators change; the supervisor (纪检监督)
 * reads; every other role gets 403.
 *
 *   GET  /manage                       the benchmarks: search (q), year, status; paged
 *   GET  /manage/benchmark?id=B        one: its title's decisions, national title,
 *                                      exchange activities, full history
 *   POST /manage/decide                (multipart) id, kind, ground, facts,
 *                                      decision_ref, decision_date, file: the
 *                                      decision's draft; 303 to its confirmation; 422
 *   GET  /manage/confirm?id=D          the draft with the announcement exactly as
 *                                      it will be published
 *   POST /manage/confirm               id=D: revoked or reinstated, announced; 303; 409
 *   GET  /manage/document?id=A         a decision document (audited download)
 *   POST /manage/national              id, national_title_year ("" none): 303; 422
 *   GET  /manage/activities            the experience-exchange activities; paged
 *   POST /manage/activity/add          held_on, topic, place, level, organiser: 303; 422
 *   GET  /manage/activity?id=X         one, with its participants
 *   POST /manage/participation/add     activity, benchmark, contribution: 303; 422
 *   POST /manage/participation/remove  activity, benchmark: 303; 422
 *   GET  /manage/report[?since=&until=]  the benchmarks that took part in no activity
 *   GET  /manage/report.csv, report.xlsx the same, exported (audited)
 */
#include "core/app.h"
#include "steps/manage/manage_pages.h"
#include "core/banned.h"

#define READERS (ROLE_PROVINCE | ROLE_SUPERVISOR)

static const struct page pages[] = {
	{ "", METHOD_GET, READERS, 0, manage_page_index },
	{ "activities", METHOD_GET, READERS, 0, manage_page_activities },
	{ "activity", METHOD_GET, READERS, 0, manage_page_activity },
	{ "activity/add", METHOD_POST, ROLE_PROVINCE, 0, manage_page_activity_add },
	{ "benchmark", METHOD_GET, READERS, 0, manage_page_benchmark },
	{ "confirm", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, manage_page_confirm },
	{ "decide", METHOD_POST, ROLE_PROVINCE, PAGE_MULTIPART, manage_page_decide },
	{ "document", METHOD_GET, READERS, 0, manage_page_document },
	{ "national", METHOD_POST, ROLE_PROVINCE, 0, manage_page_national },
	{ "participation/add", METHOD_POST, ROLE_PROVINCE, 0, manage_page_participation_add },
	{ "participation/remove", METHOD_POST, ROLE_PROVINCE, 0, manage_page_participation_remove },
	{ "report", METHOD_GET, READERS, 0, manage_page_report },
	{ "report.csv", METHOD_GET, READERS, 0, manage_page_report_csv },
	{ "report.xlsx", METHOD_GET, READERS, 0, manage_page_report_xlsx },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "manage", "/manage", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
