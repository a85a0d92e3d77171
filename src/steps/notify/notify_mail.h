/* notify_mail: one notice as an e-mail, and its hand-over to the local
 * sendmail (any MTA's: Postfix, Exim, msmtp, nullmailer).
 *
 * Owns the message's form: UTF-8 plain text in base64, the subject as
 * RFC 2047 encoded words split on whole characters, no header ever taken
 * from user input but the address, which must be one plain addr-spec
 * (no spaces, angle brackets, commas or line breaks: nothing that could
 * add a header or a recipient).  The sendmail program is run directly
 * (fork, execv: no shell) with the recipient as an argument after "--".
 */
#ifndef BIAOGAN_NOTIFY_MAIL_H
#define BIAOGAN_NOTIFY_MAIL_H

#include <stdbool.h>

#include "core/buf.h"

struct mail_msg {
	const char *from;     /* addr-spec */
	const char *to;       /* addr-spec */
	const char *subject;  /* UTF-8 */
	const char *body;     /* UTF-8 text, lines ending "\n" */
	const char *message_id; /* "<...@...>" */
	long long date;       /* time_t of the Date header */
};

/* A plain addr-spec that is safe on a command line and in a header. */
bool mail_address_ok(const char *addr);
/* The whole message (headers, blank line, body) appended to out.  -1 when
 * an address is not mail_address_ok or a text is not UTF-8; 0 else. */
int mail_compose(const struct mail_msg *m, struct buf *out);
/* Run sendmail -i -f from -- to with message on its input.  0 when it
 * exited 0; else -1 with a short reason in err. */
int mail_sendmail(const char *sendmail, const char *from, const char *to, const struct buf *message,
		  struct buf *err);

#endif
