/* publicity: the proposed list, its publicity and the public's objections
 * (拟定名单、网站公示、异议处理; 第十二条; issue 13).
 *
 * Owns the tables proposal, publicity, publicity_item and objection
 * (sql/021_publicity.sql), and the objection's attachment rows (kind
 * 'objection', through attachments.h's att_store_objection).  Reads, never
 * writes, the panel's locked conclusions (review_item, review_conclusion of
 * sql/020) to know which applications the panel recommended.
 *
 *   - Proposal: an application whose panel conclusion is locked and
 *     recommended, still in_review, whose credit checks are good today
 *     (recommend.h rec_credit_verdict), goes on the round's proposed list
 *     (LC_PROPOSE) and may come off it again (LC_UNPROPOSE) until the
 *     publicity starts.  Every other recommended application is shown with
 *     the reason it cannot be proposed.
 *   - Publicity: starts on a chosen day for config publicity_working_days
 *     (default 5) working days; the end date is the calendar's
 *     (calendar_publicity_end), refused while a year of the period is not
 *     complete.  The list is copied into publicity_item (what the public
 *     read never changes), every proposed application moves to
 *     in_publicity, and an announcement is published (announce.h).
 *   - Objections: anyone may object until 23:59:59 of the end date
 *     (Asia/Shanghai); each gets a random tracking number, looked up with
 *     the objector's contact.  Administrators note their investigation and
 *     decide once: upheld (the enterprise leaves the list: LC_OBJECTION_UPHELD)
 *     or dismissed, with reasons (internal) and a reply (the objector's).
 *
 * Every change is one transaction with one audit record: "publicity.propose",
 * "publicity.unpropose", "publicity.start", "publicity.objection.file",
 * "publicity.objection.note", "publicity.objection.decide".  The objector's identity is never
 * in an audit summary (the audit viewer is the supervisor's too).
 */
#ifndef BIAOGAN_PUBLICITY_H
#define BIAOGAN_PUBLICITY_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "rules/numbers.h"
#include "steps/intake/attachments.h"

/* Results beside the db_status values (<= 0). */
enum {
	PUB_E_NOT_FOUND = 1, /* no such round, application, publicity or objection */
	PUB_E_STATE,         /* not in the state the change starts from */
	PUB_E_NOT_ELIGIBLE,  /* not recommended by its panel, or its credit is not good */
	PUB_E_CALENDAR,      /* a year of the period is not complete in the calendar */
	PUB_E_EXISTS,        /* the round has its publicity already */
	PUB_E_EMPTY,         /* nothing on the proposed list */
	PUB_E_CLOSED,        /* objections: the period is over (or not begun) */
	PUB_E_WITHDRAWN,     /* objections: that enterprise has left the list */
	PUB_E_DECIDED,       /* the objection is decided already */
	PUB_E_PAST,          /* publicity: the start day is in the past */
};

#define PUB_DAYS_DEFAULT 5
#define PUB_TITLE_MAX 100        /* characters */
#define PUB_CONTACT_MAX 300
#define OBJ_NAME_MAX 50
#define OBJ_ORG_MAX 100
#define OBJ_CONTACT_MAX 100
#define OBJ_CONTENT_MAX 2000
#define OBJ_TEXT_MAX 2000        /* notes, reasons, reply */
#define OBJ_PER_HOUR_DEFAULT 5   /* config objection_per_ip_hour */
#define OBJ_LOOKUPS_PER_HOUR_DEFAULT 30

/* config publicity_working_days, 1..30. */
int pub_working_days(void);
/* The end of a publicity starting on start (civil days); DB_OK with *end,
 * or PUB_E_CALENDAR with *missing_year, or a db_status. */
int pub_period_end(int32_t start, int32_t *end, int *missing_year);

/* ---- the proposal ---- */

/* Rounds, newest first, with what the publicity step has of each:
 * id, year, title, recommended (panel-recommended applications), proposed,
 * publicity_id, publicity_state, start_date, end_date. */
int pub_rounds(json_object **rows);
/* One round with its publicity's columns (publicity_* NULL when none):
 * id, year, title, publicity_id, publicity_state, publicity_title,
 * start_date, end_date, working_days.  *row NULL when there is no round. */
int pub_round(long long round_id, json_object **row);
/* The round's applications its panels recommended (locked conclusions),
 * in the order of the list (category, then the panel's ranking): id,
 * enterprise, city_name, scope, scope_label, title, ranking, session_title,
 * status, status_label, proposed, and "eligible" (may be proposed now) or
 * "reason" (why not; with needs_credit when a credit check is missing or
 * bad).  Caller owns *rows. */
int pub_candidates(long long round_id, json_object **rows);
/* The round's other applications in its review sessions, each with the
 * reason it is not a candidate ("评审组合议不予推荐", "…尚未锁定"): id,
 * enterprise, city_name, scope_label, title, session_title, reason. */
int pub_others(long long round_id, json_object **rows);
int pub_propose(const struct actor *who, long long app_id);
int pub_unpropose(const struct actor *who, long long app_id);

/* ---- publicity ---- */

/* Starts the round's publicity on start ("YYYY-MM-DD", not before today)
 * with its title and contact text.  DB_OK with *id, PUB_E_EXISTS,
 * PUB_E_EMPTY, PUB_E_CALENDAR (*missing_year), PUB_E_PAST, PUB_E_NOT_FOUND
 * or a db_status. */
int pub_start(const struct actor *who, long long round_id, const char *start,
	      const char *title, const char *contact, long long *id, int *missing_year);
/* One publicity: id, round_id, year, title, start_date, end_date (and
 * start_zh, end_zh: "2026年11月25日"), working_days, contact, state,
 * started (today >= start), accepting (objections accepted now), ended (after
 * the end date), approval_date(_zh), approval_ref, award_date(_zh).  *row
 * NULL when none. */
int pub_get(long long id, json_object **row);
/* The publicity the public page shows: the newest that has started. */
int pub_current(json_object **row);
/* Its list: application_id, position, enterprise_name, city_name,
 * scope_label, title, withdrawn (bool), withdrawn_zh. */
int pub_items(long long publicity_id, json_object **rows);
/* Every started publicity, newest first, PAGE_SIZE per page. */
int pub_archive(long long page, json_object **rows, bool *more);

/* ---- objections ---- */

struct obj_input {
	long long publicity_id;
	long long application_id;   /* the listed enterprise concerned */
	const char *objector_name;
	const char *id_type;        /* "person" or "organisation" */
	const char *organisation;   /* "" for a person */
	const char *contact;        /* telephone or e-mail */
	const char *content;
	const char *ip;
};

/* Files an objection (who: the public actor), with the spooled attachment
 * when file is not NULL (after att_spool_end; its type already checked).
 * DB_OK with tracking filled, PUB_E_CLOSED, PUB_E_WITHDRAWN,
 * PUB_E_NOT_FOUND, or a db_status. */
int obj_file(const struct actor *who, const struct obj_input *in, struct att_spool *file,
	     const char *file_name, char tracking[TRACKING_NO_LEN + 1]);
/* What the objector may read: tracking_no, received_at, state,
 * state_label, enterprise_name, reply, decided_at.  *row NULL unless the
 * tracking number and the contact both match. */
int obj_lookup(const char *tracking, const char *contact, json_object **row);
/* A publicity's objections, oldest first (administrators): id,
 * tracking_no, enterprise_name, received_at, state, state_label. */
int obj_list(long long publicity_id, json_object **rows);
/* Undecided objections of a publicity. */
int obj_unresolved(long long publicity_id, long long *n);
/* One objection with everything (administrators only): identity, content,
 * notes, reasons, reply, the attachment's attachment_id, file_name,
 * file_size.  *row NULL when none. */
int obj_get(long long id, json_object **row);
/* The attachment of objection id as att_meta gives a row (for att_respond). */
int obj_file_meta(long long objection_id, long long att_id, json_object **row);
/* Investigation notes: received -> investigating, notes replaced. */
int obj_note(const struct actor *who, long long id, const char *notes);
/* The decision, once: upheld (the enterprise leaves the list) or dismissed. */
int obj_decide(const struct actor *who, long long id, bool upheld, const char *notes,
	       const char *reasons, const char *reply);
/* "已收到", "调查核实中", "异议成立", "异议不成立". */
const char *obj_state_label(const char *state);

#endif
