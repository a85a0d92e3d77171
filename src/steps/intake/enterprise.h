/* enterprise: enterprise accounts and their records (企业信息).
 *
 * Owns: the registration form (its fields, the credit-code check through
 * src/rules/uscc.h, the password policy of src/core/password.h), self-registration --
 * the account (role enterprise, no forced password change: the enterprise
 * chose it), its enterprise row and its first session, all in ONE
 * transaction with the audit records -- the enterprise record of an account
 * made by an administrator, and the lookups other modules need.  SQL of the
 * table enterprise (sql/005_application.sql).
 *
 * One account per credit code: codes are stored upper case (uscc.h), and the
 * UNIQUE key decides races; a code failing the GB 32100 check character is
 * refused here unless an administrator recorded it as an exception
 * (enterprise.uscc_check_override), and so is a code that is no
 * enterprise's (positions 1-2 other than "91": rules/uscc.h).
 */
#ifndef BIAOGAN_ENTERPRISE_H
#define BIAOGAN_ENTERPRISE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/form.h"
#include "core/session.h"
#include "rules/uscc.h"

/* Limits in characters; they match the columns. */
#define ENT_NAME_MAX 64 /* also account.display_name */
#define ENT_ADDRESS_MAX 200
#define ENT_PERSON_MAX 50
#define ENT_EMAIL_MAX 100
#define ENT_TYPE_OTHER_MAX 50

/* ---- the enterprise type of the business licence (sql/010) ----
 *
 * Article 8 (一) asks for an independent legal person, and a 91 credit
 * code does not prove one: the enterprise says what its licence's "类型"
 * reads, from a closed list.  Branches, sole proprietorships and
 * partnerships are enterprises without legal personality; "other" (with
 * the licence's words) is for the city bureau to decide. */
enum ent_legal {
	ENT_LEGAL_YES,        /* a legal person by its type */
	ENT_LEGAL_NO,         /* not an independent legal person: cannot apply */
	ENT_LEGAL_CITY_CHECK, /* "other": the city bureau decides (需市（地）工信局核实) */
};
struct ent_type {
	const char *code;  /* stored in enterprise.ent_type */
	const char *label; /* as on the licence */
	enum ent_legal legal;
};
#define ENT_TYPE_OTHER "other"
/* In the order the forms offer them. */
extern const struct ent_type enterprise_types[];
extern const size_t enterprise_ntypes;
/* The type of code, or NULL (NULL or unknown code). */
const struct ent_type *enterprise_type_find(const char *code);
/* Adds to an enterprise row (with ent_type, ent_type_other, either may be
 * null) what pages show: ent_type_label ("有限责任公司", "其他：…",
 * "未填写"), and ent_type_missing / ent_type_check ("other") as true. */
void enterprise_type_json(json_object *row);
/* The select's options [{code, label, selected}], selected the chosen one. */
json_object *enterprise_type_options(const char *selected);
/* The type form alone (an existing record without a type): ent_type and
 * ent_type_other, the same two as in enterprise_reg_fields. */
extern const struct field_spec enterprise_type_fields[];
extern const size_t enterprise_type_nfields;
/* After form_validate(f) on a form with the type fields: "other" needs its
 * words.  Adds the Chinese error to f; returns f->errors. */
int enterprise_check_type(struct form *f);

/* Results beside the db_status values (which are <= 0). */
#define ENT_E_USCC_TAKEN 1  /* another account holds this credit code */
#define ENT_E_LOGIN_TAKEN 2 /* the login name exists */
#define ENT_E_HAS_RECORD 3  /* the account already has its enterprise record */
#define ENT_E_NOT_FOUND 4   /* no such exception */
#define ENT_E_HAS_TYPE 5    /* the enterprise's type is given already */

/* The registration form: the enterprise's fields (the type fields last),
 * then login, password and password2.  The profile form (an existing
 * account) is its first enterprise_profile_nfields entries. */
extern const struct field_spec enterprise_reg_fields[];
extern const size_t enterprise_reg_nfields;
extern const size_t enterprise_profile_nfields;

/* After form_validate(f): the credit code (normalised into code, upper
 * case; only an enterprise's, positions 1-2 "91", see uscc_applicant_ok)
 * and, when with_account, the password rules (policy, not containing
 * the login, the two entries equal).  A code whose only fault is its check
 * character is accepted when accept_check_mismatch (an administrator's
 * exception, see enterprise_uscc_exception).  Adds Chinese errors to f;
 * pure.  Returns f->errors. */
int enterprise_check_form(struct form *f, bool with_account, bool accept_check_mismatch,
			  char code[USCC_LEN + 1]);

struct enterprise_new {
	const char *name, *uscc, *city_code, *address, *legal_rep, *contact_name, *mobile, *email;
	const char *ent_type;       /* an enterprise_types code */
	const char *ent_type_other; /* NULL unless ent_type is "other" */
	bool uscc_override; /* accepted by an exception despite its check character */
};

/* ---- exceptions for codes whose check character fails (sql/008) ---- */

/* The code (upper case, 18 characters) of a form's input whose only fault is
 * its check character, or "" — for looking up an exception. */
void enterprise_check_mismatch_code(const char *input, char code[USCC_LEN + 1]);
/* *allowed: an administrator recorded an exception for code. */
int enterprise_uscc_exception(const char *code, bool *allowed);
/* Rows: uscc, reason, created_at, created_by_login. */
int enterprise_uscc_exceptions(json_object **rows);
/* One transaction with its audit record; DB_CONFLICT when recorded already. */
int enterprise_uscc_exception_add(const struct actor *who, const char *code, const char *reason);
/* ENT_E_NOT_FOUND when there is none. */
int enterprise_uscc_exception_remove(const struct actor *who, const char *code);
/* *taken: some enterprise already has this (upper-case) code. */
int enterprise_uscc_taken(const char *code, bool *taken);

/* Self-registration: account + enterprise + session + audit in one
 * transaction (the session: where it comes from, no previous login).  On DB_OK, *s is the new session (set its
 * cookie) and *account_id the account.  ENT_E_USCC_TAKEN or
 * ENT_E_LOGIN_TAKEN when a unique key refused it (nothing is stored), else
 * a db_status. */
int enterprise_register(const struct enterprise_new *e, const char *login, const char *password,
			const struct session_origin *from, struct session *s, long long *account_id);
/* The enterprise record of an enterprise account that has none (made by an
 * administrator).  DB_OK, ENT_E_USCC_TAKEN, ENT_E_HAS_RECORD, or a db_status. */
int enterprise_create_record(const struct actor *who, long long account_id,
			     const struct enterprise_new *e, long long *id);
/* The record of an account: id, account_id, name, uscc, uscc_check_override,
 * ent_type, ent_type_other (null when not given), city_code, city_name,
 * address, legal_rep, contact_name, mobile, email, created_at.  *row NULL
 * when there is none. */
int enterprise_by_account(long long account_id, json_object **row);
/* Gives the type of an enterprise that has none (registered before the
 * type was asked for): one transaction with its audit record.  other: NULL
 * unless type is "other".  DB_OK, ENT_E_HAS_TYPE (nothing changed), or a
 * db_status. */
int enterprise_set_type(const struct actor *who, long long enterprise_id, const char *type,
			const char *other);

#endif
