/* recommend: the city bureaus' review and recommendation (第五条、第九条、
 * 第十条) and the credit checks of recommended enterprises (第十二条).
 *
 * Owns the tables of sql/014_recommend.sql and sql/015_credit_check.sql and
 * every statement on them:
 *   - recommend_batch: one city's batch (推荐批次) in one round, open or
 *     submitted, with the province's extension of its deadline;
 *   - recommendation: the city's decision on one application (recommended
 *     with its opinion, 推荐意见, and rank; or not recommended with the
 *     reason);
 *   - application_return: every return for revision with its reason;
 *   - recommend_batch_event: submitted, reopened, extended, with the reason;
 *   - credit_check: the dishonest-debtor and serious-violation checks.
 * It reads the intake step's application, enterprise and attachment tables
 * and the rounds step's selection_round and round_city_quota (the quota), in
 * joins only; the application's status moves only through
 * src/steps/intake/app_status.h, along the arrows of src/rules/lifecycle.h.
 *
 * Rules:
 *   - a city acts on the applications of its own city only (the callers
 *     pass the user's city; an application of another city is
 *     REC_E_NOT_FOUND, as is a draft);
 *   - every change of a city's recommendations first locks its batch row
 *     (made on the first action), so two tabs are ordered: the second finds
 *     the state the first left and is refused with nothing changed;
 *   - nothing changes in a submitted batch, nor after the city's deadline
 *     (the round's recommend_deadline, or the province's extension for the
 *     city): REC_E_BATCH_SUBMITTED, REC_E_LATE;
 *   - return for revision needs a reason and an open application window (or
 *     the enterprise could never resubmit: REC_E_WINDOW_CLOSED); decline
 *     needs a reason; recommend needs an opinion and a rank 1..n+1 (the
 *     others move down);
 *   - the batch may hold more recommendations than the quota while the city
 *     works; submitting needs every received application decided (none
 *     still "submitted"), at most the quota recommended, and the deadline
 *     not passed; it moves every recommended application to the province
 *     (with_province) and locks the batch; not-recommended ones stay so;
 *   - the province may reopen a submitted batch while none of its
 *     applications has gone on to review, and extend one city's deadline to
 *     a time after now and after the current deadline, each with a reason.
 * Every change is one transaction with one audit record: "recommend.return",
 * "recommend.decline", "recommend.recommend", "recommend.reconsider",
 * "recommend.reorder", "recommend.batch.submit", "recommend.batch.reopen",
 * "recommend.batch.extend", "credit.record"; an export leaves "recommend.export";
 * a refused look at another
 * city's object leaves "recommend.refused".
 *
 * Pure part (no database; tests/unit/steps/recommend/test_recommend.c): the
 * sort keys, the batch state, the order of a reorder form.
 *
 * Ownership: every json_object ** a function fills is the caller's to
 * json_object_put (NULL on failure); strings passed in are borrowed.
 */
#ifndef BIAOGAN_RECOMMEND_H
#define BIAOGAN_RECOMMEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "rules/credit.h"

#define REC_REASON_MAX 500   /* return and decline reasons, characters */
#define REC_OPINION_MAX 1000 /* 推荐意见 */
#define REC_NOTE_MAX 200     /* a credit check's note */
#define REC_PAGE_SIZE 20
#define REC_EXPORT_MAX 100000 /* rows of one export */
#define REC_RANK_MAX 9999

/* Results beside the db_status values (<= 0). */
enum rec_status {
	REC_E_NOT_FOUND = 1,   /* no such application, round or city, or not the caller's */
	REC_E_STATE,           /* the application is not in a state the action starts from */
	REC_E_BATCH_SUBMITTED, /* the batch has gone to the province: nothing changes */
	REC_E_LATE,            /* the city's deadline has passed */
	REC_E_WINDOW_CLOSED,   /* return refused: the application window is closed */
	REC_E_RANK,            /* a rank outside 1..n+1 */
	REC_E_OVER_QUOTA,      /* more recommended than the quota */
	REC_E_UNDECIDED,       /* applications still await a decision */
	REC_E_CHANGED,         /* reorder: the batch is not the one the form showed */
	REC_E_NOT_SUBMITTED,   /* reopen: the batch is open */
	REC_E_IN_REVIEW,       /* reopen: an application has gone on to review */
	REC_E_DEADLINE,        /* extend: not after now and the current deadline */
	REC_E_CREDIT_STATE,    /* a credit check for an application not recommended */
	REC_UNCHANGED,         /* reorder: the same order; nothing written */
};

/* ---- the list: filters, sorting, paging ---- */

struct rec_sort_key {
	const char *name;  /* the query value: "submitted", "enterprise", ... */
	const char *label; /* Chinese column header */
};
extern const struct rec_sort_key rec_sort_keys[];
extern const size_t rec_n_sort_keys;
/* Index into rec_sort_keys, or -1. */
int rec_sort_parse(const char *name);

struct rec_filter {
	long long round_id;
	const char *city_code; /* "" for every city (the province) */
	const char *status;    /* "" every status but draft, else one status */
	bool recommended_only; /* recommended and after (the province's list) */
	int scope;             /* 0 every category, else 1..5 */
	const char *q;         /* NULL or "" all, else a search (APP_MATCHES_SQL) */
	int sort;              /* index into rec_sort_keys */
	bool desc;
	long long page;        /* from 1 */
	long long page_size;
};

/* One page of applications and the number of all that match.  Rows: id,
 * status, status_label, scope, scope_label, enterprise_name, uscc,
 * city_code, city_name, title, industry_name, sme_size, sme_size_label,
 * profit_1, profit_2, profit_ok, legal, legal_label (from the credit code:
 * "yes", "no", "unknown"), not_dishonest, dishonest_checked,
 * has_commitment, submitted_at, decision, rank_no, opinion. */
int rec_list(const struct rec_filter *f, json_object **rows, long long *total);

/* ---- batches ---- */

enum rec_batch_state { REC_BATCH_NOT_STARTED, REC_BATCH_IN_PROGRESS, REC_BATCH_SUBMITTED,
		       REC_BATCH_LATE };
/* activity: decisions and returns so far. */
enum rec_batch_state rec_batch_state(bool submitted, bool before_deadline, long long activity);
const char *rec_batch_state_name(enum rec_batch_state s);  /* "not_started", ... */
const char *rec_batch_state_label(enum rec_batch_state s); /* "未开始", ... */

/* A city's batch in a round (*row NULL when the round or city does not
 * exist): round_id, year, round_title, city_code, city_name, batch_id (0
 * before the first action), batch_status ("open"/"submitted"), state,
 * state_label, deadline, round_deadline, extended, before_deadline,
 * window_open, quota, received, undecided, returned, declined, used,
 * remaining, over_quota, submitted_at, is_<state>: true. */
int rec_batch(long long round_id, const char *city_code, json_object **row);
/* The same for every active city, in the province's order. */
int rec_overview(long long round_id, json_object **rows);
/* The batch's recommended applications in rank order: application_id, rank_no,
 * opinion, decided_at, status, status_label, enterprise_name, uscc,
 * city_name, title, scope_label, industry_name, sme_size_label, profit_1,
 * profit_2, submitted_at, and the newest credit checks dd_result, dd_date,
 * sv_result, sv_date with their labels and credit_label. */
int rec_batch_items(long long round_id, const char *city_code, json_object **rows);
/* The batch's events, oldest first: kind, kind_label, reason, deadline,
 * recommended, login, at. */
int rec_batch_events(long long round_id, const char *city_code, json_object **rows);

/* The order a reorder form asks for: ids[i] wants rank ranks[i]; the ranks
 * must be 1..n, each once.  Writes the ids in their new order to ordered
 * (n of them).  0, or -1 when the ranks are not such a permutation. */
int rec_order_from_ranks(const long long *ids, const long long *ranks, size_t n,
			 long long *ordered);

/* ---- one application ---- */

/* The city's decision (*row NULL when none): decision, opinion, rank_no,
 * decided_at, login. */
int rec_decision(long long app_id, json_object **row);
/* Every return for revision, newest first: reason, returned_at, login. */
int rec_returns(long long app_id, json_object **rows);
/* Every credit check recorded, newest first: kind, kind_label, result,
 * result_label, checked_on, note, login, recorded_role, recorded_at. */
int rec_credit_checks(long long app_id, json_object **rows);
/* The newest check of each kind (the one that counts). */
int rec_credit_latest(long long app_id, struct credit_check out[CREDIT_KINDS]);
/* config credit_check_max_age_days, within CREDIT_MAX_AGE_MIN..MAX. */
int rec_credit_max_age(void);
/* For the step that proposes (issue 13): may the enterprise of application
 * app_id be proposed today, as far as its credit goes?  *v CREDIT_OK or the
 * reason (credit_judge_all), *which its kind. */
int rec_credit_verdict(long long app_id, enum credit_verdict *v, enum credit_kind *which);

/* ---- changes (city_code: the acting city; NULL for the province) ---- */

int rec_return(const struct actor *who, long long app_id, const char *city_code,
	       const char *reason);
int rec_decline(const struct actor *who, long long app_id, const char *city_code,
		const char *reason);
/* rank 0: after the last. */
int rec_recommend(const struct actor *who, long long app_id, const char *city_code,
		  const char *opinion, long long rank);
/* Undo a decision (recommended or not recommended -> submitted). */
int rec_reconsider(const struct actor *who, long long app_id, const char *city_code);
/* ids: the batch's recommended applications in their new order. */
int rec_reorder(const struct actor *who, long long round_id, const char *city_code,
		const long long *ids, size_t n);
/* *sent: how many went to the province. */
int rec_submit(const struct actor *who, long long round_id, const char *city_code,
	       long long *sent);
int rec_reopen(const struct actor *who, long long round_id, const char *city_code,
	       const char *reason);
/* deadline: "YYYY-MM-DD HH:MM:SS" (Asia/Shanghai). */
int rec_extend(const struct actor *who, long long round_id, const char *city_code,
	       const char *deadline, const char *reason);
/* checked_on: "YYYY-MM-DD", not after today (the caller checks).  city_code
 * NULL: recorded by the province. */
int rec_credit_record(const struct actor *who, long long app_id, const char *city_code,
		      enum credit_kind kind, enum credit_result result, const char *checked_on,
		      const char *note);

/* An export (a sensitive read): its own transaction with one
 * "recommend.export" record saying what was exported.  A db_status. */
int rec_export_audit(const struct actor *who, const char *object_type, const char *object_id,
		     const char *summary);

#endif
