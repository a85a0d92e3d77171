/* files: downloads of the files uploaded with an application (issue 4).
 *
 *   GET /files/download?id=N  200 the file's bytes as an attachment: the
 *                             stored real type as Content-Type (with the
 *                             shared nosniff header), Content-Disposition
 *                             with the safe name (RFC 6266 / 8187) whose
 *                             extension is the real type's (.pdf, .jpg,
 *                             .png), after an "attachment.download" audit
 *                             record; 404 when there is no such file or the
 *                             user may not see its application (the same
 *                             answer for both, so ids cannot be probed; a
 *                             "refused.object" audit record)
 *
 * Who may see an application is src/core/auth.h's auth_can_see_application: the
 * owning enterprise; once submitted, its city's bureau and the province.
 * The bytes come from the database (src/steps/intake/attachments.h), never from a path
 * under the web root, and are streamed: one 1 MiB chunk row at a time is
 * read and written to the client (src/core/response.h resp_stream), so a
 * worker holds about one chunk whatever the file's size.
 */
#include "core/app.h"
#include "steps/files/files_pages.h"
#include "core/banned.h"

static const struct page pages[] = {
	{ "download", METHOD_GET, ROLE_ENTERPRISE | ROLE_CITY | ROLE_PROVINCE, 0, files_page_download },
	APP_HEALTH_PAGE,
};

int main(void)
{
	static const struct program prog = { "files", "/files", pages, ARRAY_LEN(pages) };
	return app_run(&prog);
}
