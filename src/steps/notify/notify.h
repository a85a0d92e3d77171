/* notify: the notices of events that need someone's action (an application
 * returned, a batch submitted, an expert drawn, a deadline in three working
 * days, a title revoked ...), each user's inbox of them, and the mail queue
 * behind it.
 *
 * Owns table notification (sql/029_notification.sql).  A step calls
 * notify_*() inside the transaction of its change, so a notice exists
 * exactly when the change does; the calls only write rows.  Mail is queued
 * in the same row (mail_state 'pending', when config mail_sendmail is set
 * and the recipient has an address: account.email, else the enterprise's
 * or the expert's) and delivered later by `biaogan-admin mail send`
 * (notify_cli.h), so a mail failure never blocks or undoes a step.
 *
 * A notice names an organisation's part, never a person of another one;
 * it says what happened and links to the page where the recipient acts.
 * Recipients are accounts that are not disabled.  Marking notices read is
 * the only change the recipient makes here (one transaction, one audit
 * record).  Mail delivery is recorded on the row itself (attempts, sent
 * time, last error), not in the audit log: it changes nothing of the
 * selection.
 */
#ifndef BIAOGAN_NOTIFY_H
#define BIAOGAN_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "rules/lifecycle.h"

/* Who receives a notice. */
enum notify_to {
	NOTIFY_ACCOUNT,  /* one account (id) */
	NOTIFY_EXPERT,   /* the account of expert id, when it has one */
	NOTIFY_CITY,     /* every account of the city bureau city */
	NOTIFY_PROVINCE, /* every account of the provincial department */
};

struct notice {
	const char *kind;    /* "batch.submitted", ...: for tests and filters */
	const char *subject; /* the sentence shown and mailed, Chinese */
	const char *link;    /* a local path, "/recommend/batch?round=3" */
	const char *dedupe;  /* NULL, or a key given to each account once */
};

/* Inside the caller's transaction.  id: the account or expert; city: the
 * city code for NOTIFY_CITY.  Returns a db_status. */
int notify(enum notify_to to, long long id, const char *city, const struct notice *n);

/* The notice of one move of an application's status (app_status.h calls it
 * in the move's transaction): the table in notify.c says which events tell
 * whom (the enterprise, or its city bureau) and in what words.  Events that
 * need nobody's action tell nobody. */
int notify_app_move(long long application_id, enum lc_event event);

/* The inbox of account, newest first, NOTIFY_PAGE per page (page from 1):
 * id, kind, subject, link, created_at (+ _zh), time, unread.  *more when
 * there are more.  unread_only: only those not read yet. */
#define NOTIFY_PAGE 20
int notify_inbox(long long account_id, bool unread_only, long long page, json_object **rows,
		 bool *more);
/* The home page's part: *unread the count (up to NOTIFY_UNREAD_MAX, which
 * reads "99+"), *latest the newest NOTIFY_HOME of them (caller owns). */
#define NOTIFY_HOME 5
#define NOTIFY_UNREAD_MAX 99
int notify_unread(long long account_id, long long *unread, json_object **latest);
/* Mark one notice (id > 0) or all of account's read: one transaction, one
 * audit record when anything changed.  *changed: how many. */
int notify_mark_read(const struct actor *who, long long account_id, long long id,
		     long long *changed);

/* The reminders of deadlines in NOTIFY_DUE_DAYS working days or fewer (not
 * passed): an open round's apply_close to the enterprises whose application
 * is still a draft or returned; a city's recommendation deadline to the
 * bureau whose batch is not submitted (the scoring deadlines are
 * review.h's review_remind_due, which writes through notify()).  Each once
 * per account and
 * deadline (an extended deadline reminds again).  Run daily by
 * `biaogan-admin notify due`; today is Beijing's.  *made: notices written;
 * *reach: the last day within reach (for review_remind_due, which reminds
 * of the scoring deadlines the same way).  Returns a db_status, or 1 when
 * the calendar lacks a year it needs (message in err). */
#define NOTIFY_DUE_DAYS 3
int notify_due(long long *made, struct buf *err, int32_t *reach);

/* ---- the mail queue (notify_cli.c) ---- */

/* Inside a transaction the caller began: the oldest pending notice whose
 * time has come, locked (FOR UPDATE SKIP LOCKED, so two senders never take
 * the same one), with its address (to), subject and link; *row NULL when
 * none is due. */
int notify_mail_claim(json_object **row);
/* The outcome of one attempt on a claimed row (still in its transaction):
 * sent, or failed with error (a short line); after NOTIFY_MAIL_TRIES
 * failures the row is 'failed' for good, before that tried again later
 * (5, 20, 45 ... minutes). */
#define NOTIFY_MAIL_TRIES 5
int notify_mail_result(long long id, bool sent, const char *error);
/* Counts by mail_state, for `mail status` and doctor: a json object. */
int notify_mail_counts(json_object **row);

#endif
