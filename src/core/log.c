#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/banned.h"

static char program_name[32] = "biaogan";
static char request_id[40];

void log_init(const char *program)
{
	snprintf(program_name, sizeof program_name, "%s", program);
}

void log_set_request_id(const char *id)
{
	snprintf(request_id, sizeof request_id, "%s", id ? id : "");
}

const char *log_request_id(void)
{
	return request_id;
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;
	struct tm tm;
	time_t now = time(NULL) + 8 * 3600; /* Asia/Shanghai, no DST since 1991 */
	char stamp[32];

	buf_vaddf(&msg, fmt, ap);
	/* User data reaches log lines: no control character may split or forge one. */
	for (size_t i = 0; i < msg.len; i++) {
		unsigned char c = (unsigned char)msg.data[i];
		if (c < 0x20 || c == 0x7F)
			msg.data[i] = '?';
	}
	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm))
		stamp[0] = '\0';
	fprintf(stderr, "%s+08:00 %s%s%s %s: %s\n", stamp, program_name,
		request_id[0] ? " req=" : "", request_id, level, msg.data);
	buf_release(&msg);
}

#define LOG_FN(name, level)                        \
	void name(const char *fmt, ...)            \
	{                                          \
		va_list ap;                        \
		va_start(ap, fmt);                 \
		log_line(level, fmt, ap);          \
		va_end(ap);                        \
	}
LOG_FN(log_info, "info")
LOG_FN(log_warn, "warn")
LOG_FN(log_err, "error")
