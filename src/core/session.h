/* session: login sessions shared by every process through the database.
 *
 * The cookie carries a 256-bit random token (getrandom) in hex; the database
 * keeps only its SHA-256, so a copy of the table lets nobody log in.  Each
 * session has its own CSRF token for forms.  Sessions end after
 * session_idle_seconds (default 1800) without a request, and at logout.
 */
#ifndef BIAOGAN_SESSION_H
#define BIAOGAN_SESSION_H

#include <stdbool.h>

#include "core/auth.h"
#include "core/buf.h"

#define SESSION_COOKIE "bg_session"
#define SESSION_TOKEN_HEX 64
#define SESSION_HASH_BYTES 32 /* SHA-256 */

struct session {
	char token[SESSION_TOKEN_HEX + 1]; /* "" when there is none */
	char csrf[SESSION_TOKEN_HEX + 1];
};

enum session_state { SESSION_NONE, SESSION_OK, SESSION_EXPIRED };

bool session_token_wellformed(const char *token);
/* The rules the database functions below apply, pure so that they are
 * unit-tested (tests/unit/core/test_session.c). */
/* session_idle_seconds from the configuration; 1800 when unset, malformed
 * or not positive (a zero would end every session at once). */
long long session_idle_seconds(void);
/* What a stored session row is worth: SESSION_EXPIRED (deleted, the cookie
 * cleared) when it went unused too long or its account is disabled, else
 * SESSION_OK. */
enum session_state session_row_state(bool idle_expired, bool account_disabled);
/* A new random token: SESSION_TOKEN_HEX lower-case hex digits of 32 bytes
 * from getrandom.  0, or -1 (out emptied) when getrandom fails. */
int session_new_token(char out[SESSION_TOKEN_HEX + 1]);
/* The SHA-256 of the token's text, the only form the database stores. */
void session_token_hash(const char *token, unsigned char out[SESSION_HASH_BYTES]);
/* New session for account_id; fills s.  Returns a db_status. */
int session_create(long long account_id, const char *ip, struct session *s);
/* Look up token; on SESSION_OK fills s and u and records the activity. */
int session_load(const char *token, struct session *s, struct user *u, enum session_state *state);
int session_destroy(const char *token);
/* End every session of an account except keep_token (may be NULL). */
int session_destroy_account(long long account_id, const char *keep_token);
/* Constant-time check of a submitted CSRF token. */
bool session_csrf_ok(const struct session *s, const char *submitted);

#endif
