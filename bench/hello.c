/* hello: the baseline of bench/run, a minimal FastCGI program.
 *
 * The same libfcgi accept loop as core/app.c (FCGX_Accept_r on the socket
 * spawn-fcgi hands over as fd 0) and nothing else: no configuration, no
 * database, no template, no session.  bench/run copies it into its build's
 * cgi-bin/ as "hello", so scripts/stack starts it like every program (2
 * workers under multiwatch) and routes /hello to it through the same nginx
 * location: every page's req/s is quoted as a ratio to this one's, measured
 * in the same run.  Answers every request with the same small HTML page. */
#include <string.h>

#include <fcgiapp.h>

static const char page[] =
	"Status: 200 OK\r\n"
	"Content-Type: text/html; charset=utf-8\r\n"
	"Cache-Control: no-store\r\n"
	"\r\n"
	"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	"<title>hello</title></head><body><p>hello, biaogan</p></body></html>\n";

int main(void)
{
	FCGX_Request r;
	if (FCGX_Init() || FCGX_InitRequest(&r, 0, 0))
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(page, (int)(sizeof page - 1), r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}
