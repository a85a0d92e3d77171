/* session: login sessions shared by every process through the database.
 *
 * The cookie carries a 256-bit random token (getrandom) in hex; the database
 * keeps only its SHA-256, so a copy of the table lets nobody log in.  Each
 * session has its own CSRF token for forms.  Sessions end after
 * session_idle_seconds (default 1800) without a request, session_max_seconds
 * (default 28800, 8 hours) after the login however busy, at logout, when an
 * administrator ends them (/admin/sessions), and when the account's password
 * changes or the account is disabled (steps/accounts/users.h).
 *
 * A session row also keeps where it came from (IP, browser) for the
 * online-users page, and the account's previous login, which every page of
 * the session shows its user (a sign of someone else using the account).
 */
#ifndef BIAOGAN_SESSION_H
#define BIAOGAN_SESSION_H

#include <stdbool.h>

#include "core/auth.h"
#include "core/buf.h"

#include <json-c/json.h>

#define SESSION_COOKIE "bg_session"
#define SESSION_TOKEN_HEX 64
#define SESSION_HASH_BYTES 32 /* SHA-256 */

struct session {
	char token[SESSION_TOKEN_HEX + 1]; /* "" when there is none */
	char csrf[SESSION_TOKEN_HEX + 1];
	long long id; /* session.id: names it on the pages that end it */
	/* What the login still owes before the session is of use: 0 nothing,
	 * else a second factor (steps/accounts/mfa.h enum mfa_need). */
	int mfa_state;
	/* The account's login before this session's: "2026年11月30日 09:12"
	 * and its IP; "" for the first login. */
	char prev_login_at[40];
	char prev_login_ip[46];
};

/* Where a new session comes from.  prev_login_at ("YYYY-MM-DD HH:MM:SS")
 * and prev_login_ip are the account's login before this one, NULL for a
 * first; user_agent is stored as session_clean_agent makes it. */
struct session_origin {
	const char *ip;
	const char *user_agent;
	const char *prev_login_at;
	const char *prev_login_ip;
	int mfa_state; /* as struct session's */
};

enum session_state {
	SESSION_NONE,
	SESSION_OK,
	SESSION_EXPIRED,       /* idle too long, or the account disabled */
	SESSION_LIFETIME_OVER, /* older than session_max_seconds */
};

bool session_token_wellformed(const char *token);
/* The rules the database functions below apply, pure so that they are
 * unit-tested (tests/unit/core/test_session.c). */
/* session_idle_seconds from the configuration; 1800 when unset, malformed
 * or not positive (a zero would end every session at once). */
long long session_idle_seconds(void);
/* session_max_seconds, the absolute lifetime: 28800 when unset, malformed
 * or not positive. */
long long session_max_seconds(void);
/* What a stored session row is worth (not SESSION_OK: deleted, the cookie
 * cleared): SESSION_LIFETIME_OVER past the absolute lifetime, else
 * SESSION_EXPIRED when it went unused too long or its account is disabled,
 * else SESSION_OK. */
enum session_state session_row_state(bool idle_expired, bool lifetime_over,
				     bool account_disabled);
#define SESSION_AGENT_MAX 200
/* The User-Agent as stored and shown: printable ASCII only (anything else
 * becomes '?'), at most SESSION_AGENT_MAX bytes; "" for NULL. */
void session_clean_agent(const char *agent, char out[SESSION_AGENT_MAX + 1]);
/* A new random token: SESSION_TOKEN_HEX lower-case hex digits of 32 bytes
 * from getrandom.  0, or -1 (out emptied) when getrandom fails. */
int session_new_token(char out[SESSION_TOKEN_HEX + 1]);
/* The SHA-256 of the token's text, the only form the database stores. */
void session_token_hash(const char *token, unsigned char out[SESSION_HASH_BYTES]);
/* New session for account_id; fills s.  Returns a db_status. */
int session_create(long long account_id, const struct session_origin *from, struct session *s);
/* Look up token; on SESSION_OK fills s and u and records the activity
 * (last_seen, written only when a minute or more old). */
int session_load(const char *token, struct session *s, struct user *u, enum session_state *state);
int session_destroy(const char *token);
/* End every session of an account except keep_token (may be NULL). */
int session_destroy_account(long long account_id, const char *keep_token);
/* End the session numbered id (session.id).  *account_id: whose it was, 0
 * when there is none (ended already).  The caller's transaction and audit
 * record. */
int session_end_by_id(long long id, long long *account_id);

/* The live sessions (neither idle too long nor past the lifetime), newest
 * activity first, limit rows from offset, one more than limit when there
 * are more (db_trim_page); account_id > 0: that account's only.  Rows: id,
 * account_id, login, display_name, role_label, city_name, ip, user_agent,
 * created_at, last_seen ("YYYY-MM-DD HH:MM"), idle_minutes. */
int session_list_live(json_object **rows, long long account_id, long long limit,
		      long long offset);
/* How many live sessions, and of how many accounts. */
int session_count_live(long long *sessions, long long *accounts);
/* Constant-time check of a submitted CSRF token. */
bool session_csrf_ok(const struct session *s, const char *submitted);

#endif
