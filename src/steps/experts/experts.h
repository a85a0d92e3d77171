/* experts: the expert pool (专家库, 附件一; issue 11).
 *
 * Owns the tables of sql/017_experts.sql (expert, expert_relation) and
 * sql/019_expert_import.sql (expert_import, in experts_import.h) and every
 * statement that writes them; the draw step (src/steps/draw/) reads them.
 *
 * The annex's basic conditions of an expert (一、专家库专家的基本条件), each
 * refused at entry with its reason, in one function for the form and the
 * import alike (expert_validate):
 *   - a senior professional title: 正高级 or 副高级 (中级及以下 is offered in
 *     the form only to be refused with the annex's words, 第（二）项);
 *   - at least 3 years of quality-management teaching or practice (第（二）项);
 *   - the two declarations: 遵纪守法、无不良信用记录 (第（一）项) and
 *     身体健康、能独立完成评审 (第（三）项);
 *   - a source: 公开征集, or 单位推荐 with the recommending organisation.
 * The organisation's credit code is optional; when given it must pass
 * rules/uscc.h.  The organisation key of the draw (rules/lottery.h
 * lot_org_key: by credit code, else by normalised name) is stored with
 * every save.  The mobile number is the natural key (one expert per number;
 * an import updates the expert of a number).
 *
 * Status: active; suspended until a date (a candidate again from the day
 * after that date: a suspension whose date has passed shows as 在库);
 * removed (移出专家库).  Suspend (a date after today, a reason) from active
 * or suspended; remove (a reason) from active or suspended; reactivate (a
 * reason) from suspended or removed.
 *
 * Each expert gets an account of role expert (experts_open_account: the
 * row of the accounts step's users_insert, in this step's transaction).
 *
 * Every change is one transaction with one audit record: "expert.create",
 * "expert.update", "expert.relation.add", "expert.relation.remove",
 * "expert.suspend", "expert.remove", "expert.reactivate", "expert.account"
 * (object "expert", its id); the import's "expert.import" is in
 * experts_import.h.  Summaries name the expert and the fields changed, never
 * the mobile number or e-mail.
 *
 * Pure part (no database; tests/unit/steps/experts/test_experts.c): the
 * field table, expert_validate, expert_relation_validate, the masks, the
 * labels, the status rules, the login proposal.
 *
 * Ownership: every json_object ** a function fills is the caller's to
 * json_object_put (NULL on failure); strings passed in are borrowed.
 */
#ifndef BIAOGAN_EXPERTS_H
#define BIAOGAN_EXPERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/form.h"
#include "rules/lottery.h"
#include "rules/uscc.h"

#define EXPERT_PAGE_SIZE 20
#define EXPERT_REASON_MAX 500 /* characters of a status change's reason */
#define EXPERT_YEARS_MIN 3    /* 附件一（二）：3年以上 */
#define EXPERT_YEARS_MAX 70
#define EXPERT_SUSPEND_MAX_DAYS 3660 /* a suspension ends within ten years */

/* Results beside the db_status values (<= 0). */
enum expert_result {
	EXP_E_NOT_FOUND = 1, /* no such expert (or relation) */
	EXP_E_MOBILE_TAKEN,  /* another expert has this mobile number */
	EXP_E_STATE,         /* the status change does not start from the current status */
	EXP_E_DUPLICATE,     /* the same relation (enterprise and kind) is declared already */
	EXP_E_HAS_ACCOUNT,   /* the expert has an account already */
	EXP_E_LOGIN_TAKEN,   /* the login is another account's */
	EXP_UNCHANGED,       /* an update that changes nothing: nothing written */
};

/* ---- the fields of an expert ---- */

enum expert_field {
	EF_NAME,
	EF_ORG_NAME,
	EF_ORG_USCC,
	EF_ORG_TYPE,
	EF_TITLE,
	EF_TITLE_LEVEL,
	EF_YEARS,
	EF_SPECIALTIES,
	EF_SOURCE,
	EF_RECOMMENDED_BY,
	EF_MOBILE,
	EF_EMAIL,
	EF_DECL_INTEGRITY,
	EF_DECL_HEALTH,
	EF_COUNT
};

/* The form's fields, in the order above: the control's name (also the
 * expert table's column), the Chinese label (in messages, and the import's
 * column header), the kind and length. */
extern const struct field_spec expert_fields[EF_COUNT];
/* Index of a field by its name or by its label, or -1. */
int expert_field_by_name(const char *name);
int expert_field_by_label(const char *label);

/* The choices of a select: code (stored) and label (shown, and accepted in
 * an import as well as the code).  NULL-terminated by code. */
struct expert_choice {
	const char *code;
	const char *label;
};
extern const struct expert_choice expert_org_types[];      /* university 高等院校, ... */
extern const struct expert_choice expert_title_levels[];   /* senior 正高级, deputy_senior 副高级,
							      intermediate 中级及以下 (refused) */
extern const struct expert_choice expert_sources[];        /* solicited 公开征集, recommended 单位推荐 */
extern const struct expert_choice expert_statuses[];       /* active 在库, suspended 暂停, removed 已移出 */
extern const struct expert_choice expert_relation_kinds[]; /* employment 任职, consultancy 咨询,
							      shareholding 持股, relative 亲属 */
/* The label of code in set, or NULL. */
const char *expert_choice_label(const struct expert_choice *set, const char *code);
/* Options for a select: [{value, label, selected}], code selected marked. */
json_object *expert_choice_options(const struct expert_choice *set, const char *selected);

/* An expert as validated: each field's text as stored (trimmed; a choice as
 * its code; a declaration "1"; the credit code upper-cased, "" when none),
 * the years as a number, the organisation key. */
struct expert {
	char *v[EF_COUNT]; /* owned */
	long long years;
	char org_key[LOT_ORG_KEY_MAX + 1];
};

/* The one validation of an expert, for the form and every line of an
 * import: in[i] the raw text of field i (NULL as ""; a choice by code or
 * label; a declaration "1" or "是" when ticked, "", "0" or "否" when not).
 * Trims blanks (and U+3000) around one-line fields and CR LF to LF in the
 * multi-line one, then checks as core/form.h does (UTF-8, length, control
 * and bidirectional characters, format) and the annex's conditions.  Fills
 * out (which expert_release frees, also after errors: out->v holds the
 * normalised input, for showing it again) and err[i] (a malloc'ed Chinese
 * message, or NULL).  Returns the number of fields refused. */
int expert_validate(const char *const in[EF_COUNT], struct expert *out, char *err[EF_COUNT]);
void expert_release(struct expert *e);
void expert_errors_release(char *err[], size_t n);

/* A field of a stored row (experts_get) as expert_validate would give it:
 * tmp holds numbers. */
const char *expert_row_text(json_object *row, enum expert_field f, char tmp[24]);
/* The labels of the fields where e differs from the stored row, joined with
 * "、" into out; false when none differs. */
bool expert_changes(const struct expert *e, json_object *row, struct buf *out);

/* ---- declared relationships with enterprises (回避) ---- */

enum relation_field { RF_USCC, RF_NAME, RF_KIND, RF_NOTE, RF_COUNT };
extern const struct field_spec expert_relation_fields[RF_COUNT];

struct expert_relation {
	char uscc[USCC_LEN + 1];
	char kind[16]; /* a code of expert_relation_kinds */
	char *name;    /* the enterprise's name, may be ""; owned */
	char *note;    /* owned */
};
/* As expert_validate, for one relation: the credit code required and
 * valid, the kind by code or label. */
int expert_relation_validate(const char *const in[RF_COUNT], struct expert_relation *out,
			     char *err[RF_COUNT]);
void expert_relation_release(struct expert_relation *r);

/* ---- pure helpers ---- */

/* "138****5678" (a value that is not 11 characters: its first 3 and "****"). */
void expert_mask_mobile(const char *mobile, struct buf *out);
/* "z***@example.com" (the first character of the local part). */
void expert_mask_email(const char *email, struct buf *out);

enum expert_status { EXPERT_ACTIVE, EXPERT_SUSPENDED, EXPERT_REMOVED };
enum expert_action { EXPERT_SUSPEND, EXPERT_REMOVE, EXPERT_REACTIVATE };
/* -1 for an unknown name. */
int expert_status_parse(const char *name);
/* Whether action a may start from status s. */
bool expert_action_allowed(enum expert_status s, enum expert_action a);
/* What the pool shows: "在库", "暂停至 2027-03-01", "已移出专家库", or for a
 * suspension whose date has passed (over) "在库（暂停已于 … 到期）". */
void expert_status_text(enum expert_status s, const char *until, bool over, struct buf *out);
/* The login proposed for expert id's account: "zj" and the id, at least 4
 * digits ("zj0012"). */
void expert_login_proposal(long long id, char out[24]);

/* ---- the pool ---- */

struct expert_filter {
	const char *status;      /* "" all; "active" (in the pool now: active, or a suspension
				    that is over), "suspended" (now), "removed" */
	const char *org_type;    /* "" or a code */
	const char *title_level; /* "" or a code */
	const char *q;           /* "" or text in the name, organisation or specialties */
	long long page;          /* from 1 */
	long long page_size;
};
/* One page, ordered by organisation and name, and the count of all that
 * match.  Rows: id, name, org_name, org_type, org_type_label, title,
 * title_level, title_level_label, years, specialties, status, status_text,
 * suspended_until, has_account, relations, and mobile_masked and
 * email_masked (never the full mobile or e-mail). */
int experts_list(const struct expert_filter *f, json_object **rows, long long *total);
/* One expert, everything, or *row NULL: the columns of expert_fields and
 * id, org_key, status, suspended_until, suspension_over, status_reason,
 * status_text, account_id, account_login, created_at, updated_at, and the
 * labels org_type_label, title_level_label, source_label. */
int experts_get(long long id, json_object **row);
/* The id of the expert of a mobile number, 0 when none. */
int experts_id_by_mobile(const char *mobile, long long *id);
/* Its relations: id, uscc, enterprise_name, kind, kind_label, note, created_at. */
int experts_relations(long long id, json_object **rows);
/* Its changes, newest first, from the audit log: at, login, action,
 * action_label, summary (at most 50). */
int experts_history(long long id, json_object **rows);

/* ---- changes ---- */

int experts_create(const struct actor *who, const struct expert *e, long long *id_out);
/* EXP_UNCHANGED when e is what is stored. */
int experts_update(const struct actor *who, long long id, const struct expert *e);
int experts_relation_add(const struct actor *who, long long id, const struct expert_relation *r);
int experts_relation_remove(const struct actor *who, long long id, long long relation_id);
/* until: "YYYY-MM-DD", after today (the caller checks: expert_suspend_date_error). */
int experts_suspend(const struct actor *who, long long id, const char *until, const char *reason);
int experts_remove(const struct actor *who, long long id, const char *reason);
int experts_reactivate(const struct actor *who, long long id, const char *reason);
/* NULL when until (a valid date) is after today and within
 * EXPERT_SUSPEND_MAX_DAYS, else the Chinese reason (static). */
const char *expert_suspend_date_error(const char *until, int32_t today);
/* The account of role expert for expert id, with login and password (the
 * caller generates it and shows it once); it must change it at the first
 * login.  *account_id its id. */
int experts_open_account(const struct actor *who, long long id, const char *login,
			 const char *password, long long *account_id);

/* The rows alone, inside the caller's transaction, without an audit record
 * (experts_import.c writes its one record for the whole file).
 * EXP_E_MOBILE_TAKEN for a number another expert has; *added false and
 * EXP_E_DUPLICATE for a relation declared already. */
/* The expert of a mobile number, its row locked (*row NULL: none). */
int experts_lock_by_mobile(const char *mobile, json_object **row);
int experts_insert_row(const struct actor *who, const struct expert *e, long long *id_out);
int experts_update_row(long long id, const struct expert *e);
int experts_relation_insert_row(long long id, const struct expert_relation *r, bool *added);

#endif
