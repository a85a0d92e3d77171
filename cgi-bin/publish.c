/* publish: approval of the list, the year's benchmarks and certificates,
 * the public lists and open data, the national recommendation
 * (审议、发布、授牌、全国推荐; 第十三条、第十四条; issue 13).
 *
 * Province administrators:
 *   GET  /publish                    the publicities: approval and
 *                                    publication; the published years
 *   POST /publish/approve            id, approval_date, approval_ref: 303;
 *                                    409 the period not over, objections
 *                                    undecided; 422 a date out of order
 *   POST /publish/publish            id, award_date: 303 (certificates numbered,
 *                                    the list announced); 409, 422
 *   GET  /publish/certificate?no=C   the certificate to print (A4 landscape)
 *                                    with the QR code of its verification
 *   GET  /publish/national?year=Y    the year's benchmarks, those put forward
 *   POST /publish/national           year, bm (repeated), note: 303
 *   GET  /publish/package?year=Y     the national package (ZIP, audited)
 * The public (no login):
 *   GET  /publish/lists              every year's list
 *   GET  /publish/list?year=Y        the year's list (404 none)
 *   GET  /publish/list.json?year=Y   the same as JSON;  list.csv: as CSV
 *   GET  /publish/verify[?no=C]      a certificate's verification (404 none)
 *   GET  /publish/qr?no=C            the QR code (SVG) of its verification URL
 *   GET  /publish/announcements.json the announcements as JSON
 *   GET  /publish/feed.atom          the announcements as an Atom feed
 * (the public pages are kept by each worker for visitors without a session,
 * until something public changes: core/pagecache.h)
 */
#include "core/app.h"
#include "steps/publish/publish_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLE_PROVINCE, 0, publish_page_index },
	{ "announcements.json", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_announcements_json },
	{ "approve", METHOD_POST, ROLE_PROVINCE, 0, publish_page_approve },
	{ "certificate", METHOD_GET, ROLE_PROVINCE, 0, publish_page_certificate },
	{ "feed.atom", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_feed },
	{ "list", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_list },
	{ "list.csv", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_list_csv },
	{ "list.json", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_list_json },
	{ "lists", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_lists },
	{ "national", METHOD_GET | METHOD_POST, ROLE_PROVINCE, 0, publish_page_national },
	{ "package", METHOD_GET, ROLE_PROVINCE, 0, publish_page_package },
	{ "publish", METHOD_POST, ROLE_PROVINCE, 0, publish_page_publish },
	{ "qr", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_qr },
	{ "verify", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publish_page_verify },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "publish", "/publish", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
