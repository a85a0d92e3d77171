/* publicity: the proposed list, its publicity on the website and the
 * public's objections (拟定名单、网站公示、异议; 第十二条; issue 13).
 *
 * Province administrators:
 *   GET  /publicity                  the rounds: recommended, proposed, publicity
 *   GET  /publicity/round?id=N[&start=YYYY-MM-DD]  the panel-recommended
 *                                    applications, why any cannot be proposed,
 *                                    the proposed list; the start form with the
 *                                    period's end from the calendar (start:
 *                                    another day, shown at once); once started,
 *                                    the list as publicised and its objections
 *   POST /publicity/propose          round, app: 303; 409 not eligible
 *   POST /publicity/unpropose        round, app: 303; 409 after the start
 *   POST /publicity/start            round, start_date, title, contact: 303;
 *                                    422 (calendar incomplete, a past day), 409
 *   GET  /publicity/objection?id=N   one objection with the objector's identity
 *   POST /publicity/note             id, notes: 303
 *   POST /publicity/decide           id, outcome (upheld|dismissed), notes,
 *                                    reasons, reply: 303; 409 decided already
 *   GET  /publicity/file?id=N&file=F the objection's attachment (audited)
 * The public (no login):
 *   GET  /publicity/notice[?id=N]    the current (or that) publicity, with
 *                                    the objection form while it is open
 *   POST /publicity/object           multipart: publicity, app, objector_name,
 *                                    id_type, organisation, contact, content,
 *                                    answer, question_token, file: 303 to
 *                                    /publicity/received; 422, 413, 415, 409
 *                                    late, 429 rate limit, 403 cross-site
 *   GET  /publicity/received         the tracking number (from a short-lived
 *                                    cookie: never in a URL)
 *   POST /publicity/track            tracking, contact: 303 to the GET, which
 *                                    looks them up (handed on in a short-lived
 *                                    cookie: never in a URL); 422 a malformed
 *                                    number
 *   GET  /publicity/track            the form, or the status and the reply
 *                                    (404 none matches; 429 rate limit)
 *   GET  /publicity/archive[?page=]  every publicity so far
 *   GET  /publicity/announcements    every announcement (公告)
 *   GET  /publicity/announcement?id=N one announcement, in full (404 none)
 * (notice, archive and the announcements are kept by each worker for
 * visitors without a session, until something public changes; the
 * objection form's question is made afresh for every visitor:
 * core/pagecache.h)
 */
#include "core/app.h"
#include "steps/publicity/publicity_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "", METHOD_GET, ROLE_PROVINCE, 0, publicity_page_index },
	{ "announcement", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publicity_page_announcement },
	{ "announcements", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publicity_page_announcements },
	{ "archive", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publicity_page_archive },
	{ "decide", METHOD_POST, ROLE_PROVINCE, 0, publicity_page_decide },
	{ "file", METHOD_GET, ROLE_PROVINCE, 0, publicity_page_file },
	{ "note", METHOD_POST, ROLE_PROVINCE, 0, publicity_page_note },
	{ "notice", METHOD_GET, 0, PAGE_PUBLIC | PAGE_CACHED, publicity_page_notice },
	{ "object", METHOD_POST, 0, PAGE_PUBLIC | PAGE_NO_CSRF | PAGE_MULTIPART, publicity_page_object },
	{ "objection", METHOD_GET, ROLE_PROVINCE, 0, publicity_page_objection },
	{ "propose", METHOD_POST, ROLE_PROVINCE, 0, publicity_page_propose },
	{ "received", METHOD_GET, 0, PAGE_PUBLIC, publicity_page_received },
	{ "round", METHOD_GET, ROLE_PROVINCE, 0, publicity_page_round },
	{ "start", METHOD_POST, ROLE_PROVINCE, 0, publicity_page_start },
	{ "track", METHOD_GET | METHOD_POST, 0, PAGE_PUBLIC | PAGE_NO_CSRF, publicity_page_track },
	{ "unpropose", METHOD_POST, ROLE_PROVINCE, 0, publicity_page_unpropose },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "publicity", "/publicity", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
