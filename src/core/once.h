/* once: a secret shown once to the session that made it.
 *
 * A POST that generates something the user must copy (the initial password
 * of a new account, a reset password) keeps it with once_put and answers
 * 303 to a page that calls once_take: the secret never travels in a URL, a
 * reload of the POST cannot repeat the action, and a second view of the page
 * learns only that it was shown already (post/redirect/get, issue 7).
 *
 * Owns the table session_once (sql/013_session_once.sql).  The secret is
 * sealed (XChaCha20-Poly1305) with a key derived from the session's cookie
 * token, which the database never holds, and bound to its purpose and
 * reference; it is erased when shown and unreadable after ONCE_TTL_SECONDS.
 * Only the same session can read it; the row goes with its session.
 */
#ifndef BIAOGAN_ONCE_H
#define BIAOGAN_ONCE_H

#include "core/buf.h"
#include "core/session.h"

#define ONCE_TTL_SECONDS 600
/* Longest secret (bytes). */
#define ONCE_SECRET_MAX 256

enum once_state {
	ONCE_SHOWN_NOW,    /* *secret holds it; it is erased from the database */
	ONCE_SHOWN_BEFORE, /* shown already (or timed out): gone */
	ONCE_NONE,         /* nothing of the kind for this session */
};

/* Keeps secret for session s under (purpose, ref), replacing an earlier one
 * under the same key.  purpose: a short constant ("account.password").
 * Returns a db_status (DB_ERROR also for a secret over ONCE_SECRET_MAX or a
 * session without a token). */
int once_put(const struct session *s, const char *purpose, long long ref, const char *secret);
/* Takes the secret of (purpose, ref) for session s: on ONCE_SHOWN_NOW it is
 * appended to secret and erased from the database in the same transaction,
 * so two concurrent views cannot both get it.  Returns a db_status. */
int once_take(const struct session *s, const char *purpose, long long ref, struct buf *secret,
	      enum once_state *state);

#endif
