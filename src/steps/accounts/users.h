/* users: accounts — creation, login with lockout, password changes,
 * disabling — each change one transaction with its audit record.
 *
 * Lockout: 5 wrong passwords in a row lock an account for 15 minutes,
 * counted on one counter whether typed at the login form or as the current
 * password of the change form; the lock, every failure and every success
 * are audit records (with the IP).  The login form never tells which
 * logins exist: an unknown login, a wrong password and any attempt while
 * locked get the same answer (LOGIN_BAD); only the right password of a
 * disabled account is told so.
 */
#ifndef BIAOGAN_USERS_H
#define BIAOGAN_USERS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/buf.h"

#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_MINUTES 15

enum login_result {
	LOGIN_OK,
	LOGIN_BAD,      /* unknown login, wrong password, or locked: one answer */
	LOGIN_DISABLED, /* the right password of an account switched off */
};

struct new_account {
	const char *login;
	const char *display_name;
	enum role role;
	const char *city_code; /* city role only */
	const char *password;
	bool must_change;
};

/* The rules the database functions below apply, pure so that they are
 * unit-tested (tests/unit/steps/accounts/test_users.c). */

/* The run of wrong passwords after one more: failed_logins + 1, or 1 when
 * the account's lock has run out (counting starts again). */
long long users_failure_count(long long failed_logins, bool lock_expired);
/* Whether a run of that many wrong passwords locks the account. */
bool users_failure_locks(long long failures);

/* What a password attempt on an existing account comes to, in this order:
 * a locked account refuses every attempt (right or not), then a wrong
 * password counts toward the lockout, then a disabled account is refused. */
enum login_verdict {
	LOGIN_VERDICT_OK,
	LOGIN_VERDICT_LOCKED,
	LOGIN_VERDICT_WRONG_PASSWORD,
	LOGIN_VERDICT_DISABLED,
};
enum login_verdict users_login_verdict(bool locked, bool password_right, bool disabled);

/* Why new_pw may not replace old_pw for login (a static Chinese sentence),
 * or NULL: not the same password again, and the password policy. */
const char *users_new_password_error(const char *old_pw, const char *new_pw, const char *login);

/* The audit summary of an account's creation: "创建账户 login（role label[ city])". */
void users_create_summary(struct buf *out, const struct new_account *a);

/* The account's login before this one: at "YYYY-MM-DD HH:MM:SS" and the
 * IP, both "" for a first login. */
struct login_prev {
	char at[20];
	char ip[46];
};

/* Check a password.  login is canonical (auth_login_canonical); "" for a
 * typed name that is no login, which fails like an unknown one (audited
 * without a name).  On LOGIN_OK *account_id and *prev are set and the
 * account's last login becomes now from ip.  Returns a db_status. */
int users_authenticate(const char *login, const char *password, const char *ip,
		       enum login_result *result, long long *account_id, struct login_prev *prev);

/* A second person's confirmation with their own password, typed on another
 * user's page (the supervisor confirming an expert draw, 附件二).  The same
 * lockout counter as the login form, and the same one answer (LOGIN_BAD)
 * for an unknown login, a wrong password, a locked or disabled account, and
 * an account whose role is not `need`.  Each failure is an audit record
 * "confirm.fail" naming `what` (e.g. "确认专家抽取"); a success writes
 * nothing here: the confirmed action's own record names the person.
 * *account_id is set on LOGIN_OK.  Returns a db_status. */
int users_confirm(const char *login, const char *password, const char *ip, enum role need,
		  const char *what, enum login_result *result, long long *account_id);

/* A wrong secret for account id (a password, or a second factor's code),
 * whose row (failed_logins, lock_expired) the caller's transaction holds FOR
 * UPDATE: counted on the one lockout counter, recorded (action, "what
 * （连续第N次）"), and at the LOGIN_MAX_FAILURES-th the account is locked
 * with a record of its own.  *locked: this failure locked it.  Returns a
 * db_status; the caller commits. */
int users_count_failure(const struct actor *who, long long id, json_object *row,
			const char *action, const char *what, bool *locked);

/* DB_CONFLICT when the login exists. */
int users_create(const struct actor *who, const struct new_account *a, long long *id_out);

/* The account's own change: the old password must match.  *message gets a
 * Chinese reason when the change is refused (the return is still DB_OK).
 * A wrong old password counts toward the lockout like a failed login, and
 * that count and its audit record are committed though the change is not;
 * while the account is locked the old password is not even checked.
 * *locked: refused because the account is (now) locked. */
int users_change_password(const struct actor *who, long long account_id, const char *old_pw,
			  const char *new_pw, const char *keep_session, const char **message,
			  bool *locked);
/* An administrator's reset: sets a new password, forces a change at the
 * next login, clears any lock and ends the account's sessions. */
int users_reset_password(const struct actor *who, long long account_id, const char *new_pw);
int users_set_disabled(const struct actor *who, long long account_id, bool disabled);
int users_unlock(const struct actor *who, long long account_id);
/* The account's own mail address for notices (notify.h); NULL or "" clears
 * it (an enterprise's or expert's own address is then used). */
int users_set_email(const struct actor *who, long long account_id, const char *email);
/* An administrator ends one session (session.id), or every session of an
 * account: one transaction with its audit record ("session.end_one",
 * "session.end_all", object the account).  *account_id: whose session it
 * was, 0 when there was none (nothing written); *ended: how many. */
int users_end_session(const struct actor *who, long long session_id, long long *account_id);
int users_end_sessions(const struct actor *who, long long account_id, long long *ended);

/* The accounts list: by role, then login, USERS_PAGE_SIZE a page. */
#define USERS_PAGE_SIZE 50
struct users_filter {
	const char *q;    /* part of the login or the name ("" or NULL: any) */
	const char *role; /* a role name ("" or NULL: any) */
	long long page;   /* from 1 */
};
/* One page of the accounts that match f, and *total: how many match in all.
 * Rows: id, login, display_name, role, role_label, city_code, city_name,
 * disabled, locked (0/1), must_change_password, created_at, last_login_at,
 * last_login_ip.  Returns a db_status. */
int users_list(const struct users_filter *f, json_object **rows, long long *total);
int users_get(long long account_id, json_object **row);
int users_find_login(const char *login, json_object **row);
/* Rows: code, name. */
int users_cities(json_object **rows);
/* The same as options of a select: the row whose code is selected (may be
 * NULL) has "selected": true. */
int users_city_options(json_object **rows, const char *selected);
/* DB_OK when the city exists and is active, 1 when not, else a db_status. */
int users_city_known(const char *code);
/* The account row alone, inside the caller's transaction (no audit record:
 * the caller writes the one that fits).  password_hash from password_hash().
 * DB_CONFLICT when the login exists. */
int users_insert(const struct new_account *a, const char *password_hash, long long *id_out);

#endif
