/* manage: the dynamic management of the titles (动态管理; 第十六条、第十七条;
 * issue 14): revocation on one of the measures' grounds, reinstatement by a
 * new decision, each with its public announcement; national titles; a
 * title's history.
 *
 * Owns the tables title_decision and title_decision_draft
 * (sql/022_manage.sql) and the status columns of benchmark (status,
 * status_changed_at, status_announcement_id, national_title_year), whose
 * rows publish.h makes.
 *
 *   - A decision is written in two steps: the form (ground, facts, decision
 *     reference and date, the decision document) becomes a draft, shown on
 *     a second page with the announcement exactly as it will be published
 *     (mgt_announcement); confirming it revokes (LC_REVOKE) or reinstates
 *     (LC_REINSTATE) the title, writes the decision and the announcement,
 *     in one transaction with one audit record.  A decision is never
 *     changed (a trigger refuses it): a wrong one is corrected by the next.
 *   - Dates: a decision's date is not in the future, not before the award
 *     and not before the title's last decision.  The title's status date
 *     (status_changed_at) is the decision's date; a revoked enterprise may
 *     not apply again until revoked_reapply_years after it (intake's
 *     app_reapply_ban reads it).
 *   - National title: the year a benchmark was awarded the national title
 *     (全国质量标杆), or none.
 *
 * Audit: "manage.draft", "manage.revoke", "manage.reinstate",
 * "manage.national_title", object benchmark (the decision document's
 * download: "attachment.download").
 */
#ifndef BIAOGAN_MANAGE_H
#define BIAOGAN_MANAGE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "steps/intake/attachments.h"

/* Results beside the db_status values (<= 0). */
enum {
	MGT_E_NOT_FOUND = 1, /* no such benchmark, draft or document */
	MGT_E_STATE,         /* revoking a revoked title, reinstating a valid one */
	MGT_E_DATE,          /* a decision date in the future, before the award or the last decision */
};

#define MGT_FACTS_MAX 2000
#define MGT_REF_MAX 100
#define MGT_PAGE_SIZE 50
#define MGT_HISTORY_MAX 100

/* The grounds of a revocation (第十六条), for the form: NULL-terminated. */
extern const char *const mgt_grounds[];
/* "申报材料弄虚作假", ...; NULL for a code that is none. */
const char *mgt_ground_label(const char *code);

/* The benchmarks, newest year first then in certificate order, paged
 * (MGT_PAGE_SIZE, page from 1): q matches the enterprise's name, the
 * certificate number or the title ("" none); year 0: all; status "",
 * "valid", "revoked", "national" (a national title).  Each: id, year,
 * cert_no, enterprise_name, city_name, scope_label, title, award_date(_zh),
 * status, status_label, revoked, status_changed_at(_zh),
 * national_title_year. */
struct mgt_filter {
	const char *q;
	int year;
	const char *status;
	long long page;
};
int mgt_benchmarks(const struct mgt_filter *f, json_object **rows, bool *more);
/* One, with the columns above and application_id, enterprise_id,
 * approval_ref, status_announcement_id; *row NULL when none. */
int mgt_benchmark(long long id, json_object **row);
/* The title's decisions, oldest first: id, kind, kind_label, ground,
 * ground_label, facts, decision_ref, decision_date(_zh), attachment_id,
 * announcement_id, decided_by_name, decided_at. */
int mgt_decisions(long long benchmark_id, json_object **rows);
/* The audit records of the benchmark, newest first (at most
 * MGT_HISTORY_MAX): at, login, action_label, summary. */
int mgt_history(long long benchmark_id, json_object **rows);

/* What a decision on benchmark bm (mgt_benchmark's row) publishes: the
 * announcement's title and body.  kind "revocation" (ground a code of
 * mgt_grounds) or "reinstatement"; date "YYYY-MM-DD"; prev_ref: the
 * revocation's reference a reinstatement undoes. */
void mgt_announcement(json_object *bm, const char *kind, const char *ground, const char *ref,
		      const char *date, const char *prev_ref, struct buf *title, struct buf *body);

struct mgt_decision_input {
	long long benchmark_id;
	const char *kind;   /* "revocation" or "reinstatement" */
	const char *ground; /* a revocation's: a code of mgt_grounds; NULL otherwise */
	const char *facts;
	const char *ref;
	const char *date;   /* YYYY-MM-DD */
};
/* The first step: the decision and its document (spooled, type checked by
 * the caller) saved as who's draft for the benchmark, replacing an earlier
 * one.  DB_OK with *draft_id, MGT_E_NOT_FOUND, MGT_E_STATE, MGT_E_DATE, or a
 * db_status; nothing changes unless DB_OK. */
int mgt_draft_save(const struct actor *who, const struct mgt_decision_input *in,
		   const char *file_name, struct att_spool *file, long long *draft_id);
/* who's draft id with the benchmark and the announcement it would publish:
 * id, benchmark_id, kind, kind_label, ground, ground_label, facts,
 * decision_ref, decision_date(_zh), attachment_id, file_name, file_size,
 * announcement_title, announcement_body, benchmark (mgt_benchmark's row).
 * *row NULL when none. */
int mgt_draft(const struct actor *who, long long draft_id, json_object **row);
/* The second step: the draft becomes the decision.  DB_OK with
 * *benchmark_id, MGT_E_NOT_FOUND (no such draft of who's), MGT_E_STATE
 * (the title changed meanwhile), MGT_E_DATE, or a db_status. */
int mgt_confirm(const struct actor *who, long long draft_id, long long *benchmark_id);

/* The decision document att_id as att_decision_meta describes it, when it
 * is benchmark's decision's or who's draft's; *row NULL otherwise. */
int mgt_document(const struct actor *who, long long att_id, json_object **row);

/* The national title: year (not before the benchmark's year, not after
 * this year or the benchmark's own), or 0 for none.  DB_OK, MGT_E_NOT_FOUND, MGT_E_DATE, or a db_status. */
int mgt_national_title(const struct actor *who, long long benchmark_id, int year);

/* "撤销称号", "恢复称号". */
const char *mgt_kind_label(const char *kind);

#endif
