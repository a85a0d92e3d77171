/* publish: approval of the list, the year's benchmarks with their
 * certificates, the public lists and open data, and the national
 * recommendation (审议通过、发布名单、授牌、全国推荐; 第十三条、第十四条;
 * issue 13).
 *
 * Owns the tables benchmark and national_recommendation
 * (sql/021_publicity.sql) and the approval and publication columns of
 * publicity (whose publicity and objections are publicity.h's).
 *
 *   - Approval: after the publicity's end date, with every objection
 *     decided, the director's office meeting (厅长办公会) approval is
 *     recorded with its date and reference number; every application still
 *     on the list moves to approved (LC_APPROVE).
 *   - Publication: each approved application becomes a benchmark
 *     (LC_PUBLISH) with the next certificate number of the year
 *     (HLJZLBG-<year>-<seq>, rules/numbers.h; never reused) and the award
 *     date; the year's list is announced (announce.h).  A published list
 *     changes only by revocation (the manage step).
 *   - National recommendation: the benchmarks put forward (第十四条), and
 *     their package (built by publish_pages.c).
 *
 * Every change is one transaction with one audit record: "publish.approve",
 * "publish.publish", "publish.national"; the package's download is audited
 * as a read, "publish.package".
 */
#ifndef BIAOGAN_PUBLISH_H
#define BIAOGAN_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/audit.h"

/* Results beside the db_status values (<= 0). */
enum {
	PBL_E_NOT_FOUND = 1, /* no such publicity, year or benchmark */
	PBL_E_STATE,         /* not approved / published yet, or already */
	PBL_E_NOT_OVER,      /* the publicity period has not ended */
	PBL_E_UNRESOLVED,    /* objections are still undecided */
	PBL_E_DATE,          /* approval before the period's end or in the future;
	                        award before the approval */
	PBL_E_EMPTY,         /* nobody left on the list */
};

#define PBL_REF_MAX 100     /* the approval's reference number, characters */
#define PBL_NOTE_MAX 500

/* Publicities, newest first, with what approval needs: id, round_id, year,
 * title, start_date(_zh), end_date(_zh), state, ended, listed (not
 * withdrawn), withdrawn, unresolved, approval_date(_zh), approval_ref,
 * award_date(_zh). */
int pbl_publicities(json_object **rows);
/* One of them; *row NULL when none. */
int pbl_publicity(long long publicity_id, json_object **row);

/* date: "YYYY-MM-DD", after the end date and not after today. */
int pbl_approve(const struct actor *who, long long publicity_id, const char *date,
		const char *ref);
/* award: "YYYY-MM-DD", not before the approval.  *count: benchmarks made. */
int pbl_publish(const struct actor *who, long long publicity_id, const char *award,
		long long *count);

/* The years with a published list, newest first: year, count, award_date_zh. */
int pbl_years(json_object **rows);
/* A year's list in certificate order: id, cert_no, seq, enterprise_name,
 * city_name, scope_label, title, award_date(_zh), status, revoked,
 * status_changed_at(_zh) (the date of the decision that gave the status),
 * status_announcement_id (its announcement; null while as awarded),
 * national_title_year (the national title's, null none), national (put
 * forward to the national selection).  *rows is empty for a year without. */
int pbl_list(int year, json_object **rows);
/* A benchmark by its certificate number (canonical spelling); the same
 * columns and year, approval_ref.  *row NULL when none. */
int pbl_by_cert(const char *cert_no, json_object **row);

/* The year's benchmarks put forward to the national selection: as
 * pbl_list with note, recommended_at, application_id. */
int pbl_national(int year, json_object **rows);
/* The national list of year becomes exactly ids (valid benchmarks of that
 * year); note for the new ones.  DB_OK, PBL_E_NOT_FOUND (an id not a valid
 * benchmark of the year) or a db_status. */
int pbl_national_set(const struct actor *who, int year, const long long *ids, size_t n,
		     const char *note);
/* The audit record of a package downloaded (a read of the applications). */
int pbl_package_audit(const struct actor *who, int year, size_t count);

/* A benchmark row (of the columns above) given its labels: *_zh dates,
 * scope_label, status_label, revoked.  For the manage step's lists too. */
void pbl_label_benchmark(json_object *row);

/* "有效", "已撤销". */
const char *pbl_status_label(const char *status);

#endif
