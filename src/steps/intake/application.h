/* application: an enterprise's application to a selection round (申报书).
 *
 * Owns: the fields of the application form (articles 6-8 of the measures)
 * and their limits; the life cycle draft -> submitted (also returned ->
 * submitted), allowed only while the round's window is open
 * (selection_round.apply_open <= NOW() < apply_close); the eligibility
 * conditions of article 8 and the SME rule of category (4) as a checklist
 * shown on the form and enforced at submit; the Chinese labels of the status
 * values; and the SQL of the tables application and application_indicator
 * (sql/005_application.sql).  Every change is one transaction with its audit
 * record.  The uploads themselves belong to src/attachments.*; this module
 * only counts them.
 *
 * Pure part (no database, unit-tested in tests/unit/test_application.c):
 * app_form_fields, app_fields_from_form, app_check, app_parse_amount and the
 * labels.  Everything taking an actor or returning a db_status uses the
 * database.
 *
 * Amounts are long long in units of 0.01 万元 (as in src/rules/sme.h): DECIMAL(14,2)
 * maps onto them exactly and nothing is ever floating point.
 */
#ifndef BIAOGAN_APPLICATION_H
#define BIAOGAN_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/form.h"
#include "rules/sme.h"

/* SQL: application a of enterprise e matches a search: part of the
 * enterprise's name or of the title, or the whole credit code.  Binds three
 * strings: the db_like_anywhere pattern twice, then the search as typed. */
#define APP_MATCHES_SQL(a, e)                                                                \
	"(" e ".name LIKE ? OR " a ".title LIKE ? OR CONVERT(" e ".uscc USING utf8mb4) = UPPER(?))"

/* Limits, in characters (not bytes). */
#define APP_METHOD_MAX 100
#define APP_TITLE_MAX 100
#define APP_ABSTRACT_MAX 500
#define APP_CRITERION_MAX 3000
#define APP_INDUSTRY_OTHER_MAX 50
#define APP_CERTS_MAX 500
#define APP_YEARS_MAX 200
#define APP_INDICATORS_MAX 8
#define APP_IND_NAME_MAX 50
#define APP_IND_UNIT_MAX 20
#define APP_IND_VALUE_MAX 30
/* The dishonest-debtor check may be at most this many days old at submit. */
#define APP_CHECK_MAX_AGE_DAYS 90
/* The scope categories of article 7, (一)..(五); (四) is the SME category. */
#define APP_SCOPES 5
#define APP_SCOPE_SME 4
/* industry_4567.no of "other" (not one of the 22 "4567" industries). */
#define APP_INDUSTRY_OTHER 99
/* No amount / no date given. */
#define APP_NO_AMOUNT (-1LL - SME_MONEY_MAX)
#define APP_NO_DATE INT32_MIN

/* Results beside the db_status values (which are <= 0). */
#define APP_E_NOT_FOUND 1    /* no such application or round */
#define APP_E_CLOSED 2       /* the round's window is not open */
#define APP_E_NOT_EDITABLE 3 /* status is neither draft nor returned */
#define APP_E_BLOCKED 4      /* submit refused: the checklist has blocking items */
#define APP_E_BANNED 6       /* a new application refused: a title of the enterprise was
                                revoked less than revoked_reapply_years ago (5 is
                                app_status.h's APP_E_STATE) */
/* Years after a revocation before the enterprise may apply again (config
 * revoked_reapply_years). */
#define APP_REAPPLY_YEARS_DEFAULT 3

/* The three criteria of article 6. */
enum app_criterion { APP_CRIT_INNOVATION = 0, APP_CRIT_SYSTEM, APP_CRIT_EFFECT, APP_CRITERIA };

struct app_indicator {
	const char *name, *unit, *before, *after;
};

/* One application's content.  The strings are borrowed from the form or the
 * json rows they were read from and live as long as those.  Numbers that
 * were not given: 0 for scope, industry, sme_industry and method_years;
 * SME_NONE for employees, revenue and assets; APP_NO_AMOUNT for profits;
 * APP_NO_DATE for dishonest_checked. */
struct app_fields {
	int scope;
	const char *method, *title, *abstract;
	const char *criteria[APP_CRITERIA];
	int industry;
	const char *industry_other;
	int sme_industry;
	long long employees, revenue, assets;
	const char *certifications;
	long long method_years;
	/* [0]: the year before the round's year, [1]: two years before. */
	long long profit[2];
	bool not_dishonest;
	int32_t dishonest_checked; /* civil day (src/core/civil_date.h) */
	bool exchange_commitment;
	size_t n_indicators;
	struct app_indicator ind[APP_INDICATORS_MAX];
};

/* The edit form's fields; their names are also the column names. */
extern const struct field_spec app_form_fields[];
extern const size_t app_form_nfields;

/* An amount in 万元 as typed: an optional '-', then what sme_parse_money
 * takes (1-12 digits, optionally '.' and 1-2 digits).  0, or -1 with *out
 * untouched. */
int app_parse_amount(const char *s, long long *out);
/* "-12.5", "40000": out >= 32 bytes. */
const char *app_format_amount(long long units, char *out, size_t size);

/* After form_validate(f) on app_form_fields: converts the values into *out
 * and adds the form errors form.h cannot know (amounts, the date of the
 * check, which may not lie after today, an indicator row with values but no
 * name).  Empty fields are allowed: a draft may be incomplete.  Returns
 * f->errors. */
int app_fields_from_form(struct form *f, int32_t today, struct app_fields *out);
/* From an app_load row and its indicator rows (which must outlive *out). */
void app_fields_from_row(json_object *row, json_object *indicators, struct app_fields *out);
/* {field: {value: "..."}} as form_json gives, for a saved application. */
json_object *app_form_json_from_row(json_object *row, json_object *indicators);

/* --- the checklist (article 8, category (4), completeness) --- */

enum app_state { APP_OK = 0, APP_MISSING, APP_FAIL, APP_WARN };

struct app_item {
	const char *key;   /* stable name for tests and templates: "legal_person", ... */
	const char *label; /* Chinese */
	enum app_state state;
	char *detail;      /* owned: Chinese explanation */
};

#define APP_MAX_ITEMS 14
struct app_checklist {
	size_t n;
	int blocking; /* items that are MISSING or FAIL: submit refused while > 0 */
	struct app_item v[APP_MAX_ITEMS];
};

/* What the check needs beyond the fields. */
struct app_facts {
	const char *uscc;                 /* the enterprise's code (upper case) */
	const char *ent_type;             /* enterprise_types code; NULL: not given */
	const char *ent_type_other;       /* its words for "other"; may be NULL */
	const struct sme_thresholds *sme; /* of fields.sme_industry; NULL if none */
	long long n_experience;           /* uploaded typical-experience documents */
	long long n_commitment;           /* uploaded signed commitment letters */
	int round_year;
	int32_t today; /* Asia/Shanghai */
	const char *reapply_ban; /* app_reapply_ban's message; NULL: none */
};

void app_checklist_init(struct app_checklist *c);
void app_checklist_release(struct app_checklist *c);
/* Runs every check; returns c->blocking. */
int app_check(const struct app_fields *f, const struct app_facts *facts, struct app_checklist *c);
/* [{key, label, state: "ok"|"missing"|"fail"|"warn", state_label, detail,
 *   ok|missing|fail|warn: true}] */
json_object *app_checklist_json(const struct app_checklist *c);
const struct app_item *app_checklist_find(const struct app_checklist *c, const char *key);

/* --- labels --- */

/* "（一）企业运用先进质量管理理念、方法、工具……" short and full; NULL outside 1..5. */
const char *app_scope_label(int scope);
const char *app_scope_text(int scope);
/* "草稿", "已提交" ...; "未知" for an unknown name. */
const char *app_status_label(const char *status);
/* The enterprise may change it (draft or returned). */
bool app_status_editable(const char *status);
/* The three criteria's titles, "科学性和创新性" ... */
const char *app_criterion_label(enum app_criterion k);
/* What a reader's view of a loaded application (app_load's row) shows
 * beyond its columns: scope_label, sme_size_label, profit_year_1/2 and
 * industry_display (the industry's name, or the one the enterprise typed
 * for "other"), added to row. */
void app_view_prepare(json_object *row);

/* --- database --- */

/* Rounds whose window is open now: id, year, title, apply_open, apply_close
 * (as "YYYY-MM-DD HH:MM"), oldest year first. */
int app_open_rounds(json_object **rows);
/* The round by id with window_open (0/1); *row NULL when there is none. */
int app_round(long long round_id, json_object **row);
/* An enterprise's applications, newest round first: id, round_id, year,
 * round_title, status, status_label, editable, window_open, apply_close,
 * updated_at, submitted_at. */
int app_list_for_enterprise(long long enterprise_id, json_object **rows);
/* Applications that reached the city bureau (any status but draft) of one
 * city, or of every city when city_code is NULL (the province), whose
 * enterprise name or title holds q or whose credit code is q (q NULL or "":
 * all): how many (*total), and of them still waiting for the bureau
 * (*waiting: status submitted).  Returns a db_status. */
int app_count_for_city(const char *city_code, const char *q, long long *total, long long *waiting);
/* One page of those (APP_LIST_PAGE_SIZE rows; page from 1), latest year
 * first, then by city and time of submission; *more: a page follows.
 * Rows: id, year, enterprise_name, uscc,
 * ent_type_label (and ent_type_check for "other": the bureau decides),
 * city_name, scope, scope_label, title, status, status_label,
 * submitted_at. */
#define APP_LIST_PAGE_SIZE 50
int app_list_for_city(const char *city_code, const char *q, long long page, json_object **rows,
		      bool *more);
/* The industries for the form: no, group_no, group_name, name_zh. */
int app_industries(json_object **rows);

/* The application's row joined with its round (year, round_title,
 * window_open, apply_close) and enterprise (enterprise_name, uscc,
 * uscc_check_override, ent_type, ent_type_other, city_code, city_name,
 * account_id, legal_rep,
 * contact_name, mobile, email, address), plus status_label; and its
 * indicator rows (row_no, name, unit, value_before, value_after).  *row is
 * NULL when there is no such application.  Caller owns both. */
int app_load(long long id, json_object **row, json_object **indicators);

/* Uploaded files of one kind ("experience", "commitment", "supporting"). */
int application_attachment_count(long long application_id, const char *kind, long long *count);

/* The checklist of a loaded application: reads the attachments' counts and
 * the SME thresholds.  Returns a db_status; c is filled on DB_OK. */
int app_evaluate(json_object *row, json_object *indicators, struct app_checklist *c);

/* The bar on applying again after a revoked title (第十六条; the manage
 * step revokes): the enterprise's title revoked less than
 * revoked_reapply_years (default 3) before today, as *row: year (the
 * title's), revoked_on(_zh), until(_zh) (the first day it may apply again),
 * years, message (Chinese, for the forms); *row NULL when there is none.
 * Reads benchmark's status columns (sql/021, sql/022). */
int app_reapply_ban(long long enterprise_id, json_object **row);

/* The enterprise's application for the round: the existing one, or a new
 * draft (only while the window is open, and the enterprise not barred by
 * app_reapply_ban).  DB_OK and *app_id, or APP_E_NOT_FOUND (no such
 * round), APP_E_CLOSED, APP_E_BANNED, or a db_status. */
int app_start(const struct actor *who, long long enterprise_id, long long round_id,
	      long long *app_id);
/* Inside a transaction the caller opened: locks the application row FOR
 * UPDATE and checks that its content may change (status draft/returned, the
 * round's window open).  *lock (id, round_id, status) and *round (as
 * app_round) are the caller's to put, NULL unless found.  DB_OK,
 * APP_E_NOT_FOUND, APP_E_NOT_EDITABLE, APP_E_CLOSED or a db_status.  Also
 * used by src/steps/intake/attachments.c, so uploads follow the same rule. */
int app_lock_editable(long long id, json_object **lock, json_object **round);
/* Store the fields of a draft.  DB_OK, APP_E_NOT_FOUND, APP_E_CLOSED,
 * APP_E_NOT_EDITABLE, or a db_status; nothing changes unless DB_OK. */
int app_save(const struct actor *who, long long id, const struct app_fields *f);
/* Final validation and draft/returned -> submitted.  On APP_E_BLOCKED, c
 * (initialised by the caller) holds the reasons.  DB_OK, APP_E_NOT_FOUND,
 * APP_E_CLOSED, APP_E_NOT_EDITABLE (e.g. already submitted: nothing
 * happens), APP_E_BLOCKED, or a db_status. */
int app_submit(const struct actor *who, long long id, struct app_checklist *c);

#endif
