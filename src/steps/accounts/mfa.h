/* mfa: the second factor of an account (动态口令, 等保 8.1.4.1 d) — its
 * enrolment, the check at login, recovery codes, and the administrator's
 * requirement and reset; each change one transaction with its audit record.
 * The arithmetic is core/totp.h; the tables sql/024_totp.sql.
 *
 * Who must use it: the roles of config totp_required_roles (a comma list of
 * role names; the sample config: province,supervisor; unset: nobody), and
 * any account the administrator marked (account.totp_required).  Anyone
 * else may enrol of their own accord; once enrolled, every login asks.
 * A wrong code counts on the password's lockout counter (5 in a row lock
 * the account for 15 minutes, steps/accounts/users.h); a locked account's
 * codes are not even checked.
 */
#ifndef BIAOGAN_MFA_H
#define BIAOGAN_MFA_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/session.h"
#include "core/totp.h"

/* What a new session still owes (session.mfa_state). */
enum mfa_need { MFA_NONE = 0, MFA_CODE = 1, MFA_ENROL = 2 };

/* The rules, pure (tests/unit/steps/accounts/test_mfa.c). */
/* Whether role is in the comma-separated list (blanks around names allowed;
 * NULL or "" is nobody). */
bool mfa_role_listed(enum role r, const char *list);
/* What a login owes: a code when enrolled, an enrolment when required. */
enum mfa_need mfa_need_of(bool enrolled, bool required);

/* What the account's login owes now (its role against the configuration,
 * its own mark, whether it has enrolled); *role: the account's role.
 * Returns a db_status. */
int mfa_need_for(long long account_id, enum mfa_need *need, enum role *role);

/* The account's second factor for its pages: enrolled (0/1), confirmed_at,
 * codes_left, required (0/1, by role or mark), marked (0/1: the
 * administrator's), pending (0/1: an enrolment begun).  Returns a db_status. */
int mfa_status(long long account_id, json_object **row);

/* Begins (or keeps) an enrolment: a new secret unless one is pending; DB_OK,
 * or DB_CONFLICT when the account is enrolled already. */
int mfa_enrol_begin(const struct actor *who, long long account_id);
/* The pending enrolment's secret for the page: its otpauth address and
 * base32 text appended to uri and text; 1 when none is pending. */
int mfa_enrol_secret(long long account_id, const char *login, struct buf *uri, struct buf *text);

enum mfa_result {
	MFA_OK,
	MFA_WRONG,     /* a wrong, used or malformed code (counted) */
	MFA_LOCKED,    /* the account is locked (now or already): nothing checked */
	MFA_NOT_READY, /* nothing to check against (no enrolment pending / enrolled) */
};
/* Confirms the pending enrolment with a code of the new secret: the
 * account is enrolled, RECOVERY_CODES new codes are made and session s owes
 * nothing more; on MFA_OK *codes holds them, one per line (the caller shows
 * them once and wipes it).  Returns a db_status. */
int mfa_enrol_confirm(const struct actor *who, const struct session *s, long long account_id,
		      const char *typed, enum mfa_result *result, struct buf *codes);
/* The login's second step: a code of the app, or one recovery code (spent).
 * On MFA_OK the session's mfa_state becomes 0 in the same transaction.
 * *used_recovery: it was a recovery code; *codes_left after it. */
int mfa_verify(const struct actor *who, const struct session *s, long long account_id,
	       const char *typed, enum mfa_result *result, bool *used_recovery,
	       long long *codes_left);

/* The administrator's: require it of the account (or no longer), or reset
 * it (the secret and codes deleted, the account's sessions ended: it enrols
 * again at its next login if required).  Return db_status. */
int mfa_set_required(const struct actor *who, long long account_id, bool required);
int mfa_reset(const struct actor *who, long long account_id);

#endif
