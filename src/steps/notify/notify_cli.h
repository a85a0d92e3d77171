/* notify_cli: the operator commands "biaogan-admin mail …" (issue 17).
 * biaogan-admin's main has loaded the configuration and passes its argv
 * from the command word on, so argv[0] is "mail".
 *
 *   mail send [--limit N]   deliver the queued notices whose time has come
 *                           (at most N, default 200) through config
 *                           mail_sendmail, From config mail_from; each one
 *                           in its own transaction, so two runs at once
 *                           never send one twice and a crash resends at
 *                           most the one in hand.  Run by biaogan-mail.timer.
 *   mail status             the queue's counts: pending, retrying, sent,
 *                           failed
 *
 * Without mail_sendmail, send says so and sends nothing (the notices are
 * then made with no mail at all, notify.h).
 *
 * Exit status: 0 done (a mail that failed is kept for another try and
 * counted, not an error of the run); 1 database failure; 2 bad command
 * line or mail_from missing or invalid.
 */
#ifndef BIAOGAN_NOTIFY_CLI_H
#define BIAOGAN_NOTIFY_CLI_H

int notify_cli_mail(int argc, char **argv);

#endif
