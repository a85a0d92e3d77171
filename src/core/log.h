/* log: one line per event on stderr (the FastCGI manager or systemd keeps it),
 * tagged with the program name and the current request id.  Control
 * characters in the message are replaced so user data cannot forge lines. */
#ifndef BIAOGAN_LOG_H
#define BIAOGAN_LOG_H

void log_init(const char *program);
/* The id is copied; NULL clears it. */
void log_set_request_id(const char *id);
const char *log_request_id(void);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
