#include "core/session.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <sodium.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/banned.h"

static const char SQL_CREATE[] =
	"INSERT INTO session (token_hash, account_id, csrf_token, ip) VALUES (?, ?, ?, ?)";
static const char SQL_LOAD[] =
	"SELECT s.csrf_token, s.last_seen < NOW() - INTERVAL ? SECOND AS expired,"
	" a.id, a.login, a.display_name, a.role, IFNULL(a.city_code, '') AS city_code,"
	" IFNULL(c.name, '') AS city_name, a.must_change_password, a.disabled"
	" FROM session s JOIN account a ON a.id = s.account_id"
	" LEFT JOIN city c ON c.code = a.city_code WHERE s.token_hash = ?";
static const char SQL_TOUCH[] = "UPDATE session SET last_seen = NOW() WHERE token_hash = ?";
static const char SQL_DELETE[] = "DELETE FROM session WHERE token_hash = ?";
static const char SQL_DELETE_ACCOUNT[] =
	"DELETE FROM session WHERE account_id = ? AND token_hash <> IFNULL(?, '')";
static const char SQL_SWEEP[] = "DELETE FROM session WHERE last_seen < NOW() - INTERVAL ? SECOND";

long long session_idle_seconds(void)
{
	long long s = config_int("session_idle_seconds", 1800);
	return s > 0 ? s : 1800;
}

bool session_token_wellformed(const char *t)
{
	size_t n = 0;
	if (!t)
		return false;
	for (; t[n]; n++)
		if (!((t[n] >= '0' && t[n] <= '9') || (t[n] >= 'a' && t[n] <= 'f')))
			return false;
	return n == SESSION_TOKEN_HEX;
}

enum session_state session_row_state(bool idle_expired, bool account_disabled)
{
	return idle_expired || account_disabled ? SESSION_EXPIRED : SESSION_OK;
}

_Static_assert(SESSION_HASH_BYTES == crypto_hash_sha256_BYTES, "the stored hash is a SHA-256");

void session_token_hash(const char *token, unsigned char out[SESSION_HASH_BYTES])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

int session_new_token(char out[SESSION_TOKEN_HEX + 1])
{
	unsigned char raw[32];
	struct buf b = BUF_INIT;
	out[0] = '\0';
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		log_err("session: getrandom failed");
		return -1;
	}
	buf_addhex(&b, raw, sizeof raw);
	memcpy(out, b.data, SESSION_TOKEN_HEX + 1);
	buf_release(&b);
	sodium_memzero(raw, sizeof raw);
	return 0;
}

int session_create(long long account_id, const char *ip, struct session *s)
{
	unsigned char h[SESSION_HASH_BYTES];
	int rc;
	if (session_new_token(s->token) || session_new_token(s->csrf))
		return DB_ERROR;
	session_token_hash(s->token, h);
	/* Now and then clear out the expired rows; any request may do it. */
	if (randombytes_uniform(20) == 0)
		db_exec(SQL_SWEEP, "i", session_idle_seconds());
	rc = db_exec(SQL_CREATE, "biss", h, sizeof h, account_id, s->csrf, ip);
	if (rc != DB_OK)
		s->token[0] = s->csrf[0] = '\0';
	return rc;
}

int session_load(const char *token, struct session *s, struct user *u, enum session_state *state)
{
	unsigned char h[SESSION_HASH_BYTES];
	json_object *row = NULL;
	int rc;

	memset(s, 0, sizeof *s);
	memset(u, 0, sizeof *u);
	*state = SESSION_NONE;
	if (!session_token_wellformed(token))
		return DB_OK;
	session_token_hash(token, h);
	if ((rc = db_query_row(&row, SQL_LOAD, "ib", session_idle_seconds(), h, sizeof h)) != DB_OK)
		return rc;
	if (!row)
		return DB_OK;
	if (session_row_state(db_int(row, "expired", 1), db_int(row, "disabled", 0)) ==
	    SESSION_EXPIRED) {
		json_object_put(row);
		*state = SESSION_EXPIRED;
		return db_exec(SQL_DELETE, "b", h, sizeof h);
	}
	snprintf(s->token, sizeof s->token, "%s", token);
	snprintf(s->csrf, sizeof s->csrf, "%s", db_str(row, "csrf_token", ""));
	u->id = db_int(row, "id", 0);
	u->role = role_parse(db_str(row, "role", ""));
	snprintf(u->login, sizeof u->login, "%s", db_str(row, "login", ""));
	snprintf(u->display_name, sizeof u->display_name, "%s", db_str(row, "display_name", ""));
	snprintf(u->city_code, sizeof u->city_code, "%s", db_str(row, "city_code", ""));
	snprintf(u->city_name, sizeof u->city_name, "%s", db_str(row, "city_name", ""));
	u->must_change_password = db_int(row, "must_change_password", 0) != 0;
	json_object_put(row);
	*state = SESSION_OK;
	return db_exec(SQL_TOUCH, "b", h, sizeof h);
}

int session_destroy(const char *token)
{
	unsigned char h[SESSION_HASH_BYTES];
	if (!session_token_wellformed(token))
		return DB_OK;
	session_token_hash(token, h);
	return db_exec(SQL_DELETE, "b", h, sizeof h);
}

int session_destroy_account(long long account_id, const char *keep_token)
{
	unsigned char h[SESSION_HASH_BYTES];
	if (keep_token && session_token_wellformed(keep_token)) {
		session_token_hash(keep_token, h);
		return db_exec(SQL_DELETE_ACCOUNT, "ib", account_id, h, sizeof h);
	}
	return db_exec(SQL_DELETE_ACCOUNT, "ib", account_id, NULL, (size_t)0);
}

bool session_csrf_ok(const struct session *s, const char *submitted)
{
	if (!s->csrf[0] || !submitted || strlen(submitted) != SESSION_TOKEN_HEX)
		return false;
	return sodium_memcmp(s->csrf, submitted, SESSION_TOKEN_HEX) == 0;
}
