#include "core/session.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <sodium.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/banned.h"

static const char SQL_CREATE[] =
	"INSERT INTO session (token_hash, account_id, csrf_token, ip, user_agent, prev_login_at,"
	" prev_login_ip, mfa_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_LOAD[] =
	"SELECT s.id AS session_id, s.csrf_token, s.mfa_state,"
	" s.last_seen < NOW() - INTERVAL ? SECOND AS expired,"
	" s.created_at < NOW() - INTERVAL ? SECOND AS too_old,"
	" s.last_seen < NOW() - INTERVAL 60 SECOND AS stale,"
	" IFNULL(DATE_FORMAT(s.prev_login_at, '%Y年%c月%e日 %H:%i'), '') AS prev_login_at,"
	" IFNULL(s.prev_login_ip, '') AS prev_login_ip,"
	" a.id, a.login, a.display_name, a.role, IFNULL(a.city_code, '') AS city_code,"
	" IFNULL(c.name, '') AS city_name, a.must_change_password, a.disabled"
	" FROM session s JOIN account a ON a.id = s.account_id"
	" LEFT JOIN city c ON c.code = a.city_code WHERE s.token_hash = ?";
static const char SQL_TOUCH[] = "UPDATE session SET last_seen = NOW() WHERE token_hash = ?";
static const char SQL_DELETE[] = "DELETE FROM session WHERE token_hash = ?";
static const char SQL_DELETE_ACCOUNT[] =
	"DELETE FROM session WHERE account_id = ? AND token_hash <> IFNULL(?, '')";
static const char SQL_SWEEP[] =
	"DELETE FROM session WHERE last_seen < NOW() - INTERVAL ? SECOND"
	" OR created_at < NOW() - INTERVAL ? SECOND";
static const char SQL_END_ID[] = "SELECT account_id FROM session WHERE id = ? FOR UPDATE";
static const char SQL_DELETE_ID[] = "DELETE FROM session WHERE id = ?";
#define LIVE_WHERE                                                                               \
	" s.last_seen >= NOW() - INTERVAL ? SECOND AND s.created_at >= NOW() - INTERVAL ? SECOND"
static const char SQL_LIVE[] =
	"SELECT s.id, s.account_id, a.login, a.display_name, a.role, IFNULL(c.name, '') AS city_name,"
	" IFNULL(s.ip, '') AS ip, IFNULL(s.user_agent, '') AS user_agent,"
	" DATE_FORMAT(s.created_at, '%Y-%m-%d %H:%i') AS created_at,"
	" DATE_FORMAT(s.last_seen, '%Y-%m-%d %H:%i') AS last_seen,"
	" TIMESTAMPDIFF(MINUTE, s.last_seen, NOW()) AS idle_minutes"
	" FROM session s JOIN account a ON a.id = s.account_id"
	" LEFT JOIN city c ON c.code = a.city_code"
	" WHERE" LIVE_WHERE " AND (? = 0 OR s.account_id = ?)"
	" ORDER BY s.last_seen DESC, s.id DESC LIMIT ? OFFSET ?";
static const char SQL_COUNT_LIVE[] =
	"SELECT COUNT(*) AS sessions, COUNT(DISTINCT s.account_id) AS accounts FROM session s"
	" WHERE" LIVE_WHERE;

long long session_idle_seconds(void)
{
	long long s = config_int("session_idle_seconds", 1800);
	return s > 0 ? s : 1800;
}

long long session_max_seconds(void)
{
	long long s = config_int("session_max_seconds", 28800);
	return s > 0 ? s : 28800;
}

void session_clean_agent(const char *agent, char out[SESSION_AGENT_MAX + 1])
{
	size_t n = 0;
	for (; agent && agent[n] && n < SESSION_AGENT_MAX; n++) {
		unsigned char ch = (unsigned char)agent[n];
		out[n] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	out[n] = '\0';
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

enum session_state session_row_state(bool idle_expired, bool lifetime_over,
				     bool account_disabled)
{
	if (lifetime_over)
		return SESSION_LIFETIME_OVER;
	return idle_expired || account_disabled ? SESSION_EXPIRED : SESSION_OK;
}

_Static_assert(SESSION_HASH_BYTES == SHA256_BYTES, "the stored hash is a SHA-256");

void session_token_hash(const char *token, unsigned char out[SESSION_HASH_BYTES])
{
	sha256(out, token, strlen(token));
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

int session_create(long long account_id, const struct session_origin *from, struct session *s)
{
	unsigned char h[SESSION_HASH_BYTES];
	char agent[SESSION_AGENT_MAX + 1];
	int rc;
	memset(s, 0, sizeof *s);
	if (session_new_token(s->token) || session_new_token(s->csrf))
		return DB_ERROR;
	session_token_hash(s->token, h);
	session_clean_agent(from->user_agent, agent);
	/* Now and then clear out the expired rows; any request may do it. */
	if (randombytes_uniform(20) == 0)
		db_exec(SQL_SWEEP, "ii", session_idle_seconds(), session_max_seconds());
	rc = db_exec(SQL_CREATE, "bisssssi", h, sizeof h, account_id, s->csrf, from->ip,
		     agent[0] ? agent : NULL, from->prev_login_at, from->prev_login_ip,
		     (long long)from->mfa_state);
	if (rc == DB_OK) {
		s->id = db_insert_id();
		s->mfa_state = from->mfa_state;
	}
	else
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
	if ((rc = db_query_row(&row, SQL_LOAD, "iib", session_idle_seconds(), session_max_seconds(),
			       h, sizeof h)) != DB_OK)
		return rc;
	if (!row)
		return DB_OK;
	enum session_state worth = session_row_state(
		db_int(row, "expired", 1), db_int(row, "too_old", 1), db_int(row, "disabled", 0));
	if (worth != SESSION_OK) {
		json_object_put(row);
		*state = worth;
		return db_exec(SQL_DELETE, "b", h, sizeof h);
	}
	snprintf(s->token, sizeof s->token, "%s", token);
	snprintf(s->csrf, sizeof s->csrf, "%s", db_str(row, "csrf_token", ""));
	s->id = db_int(row, "session_id", 0);
	s->mfa_state = (int)db_int(row, "mfa_state", 0);
	snprintf(s->prev_login_at, sizeof s->prev_login_at, "%s", db_str(row, "prev_login_at", ""));
	snprintf(s->prev_login_ip, sizeof s->prev_login_ip, "%s", db_str(row, "prev_login_ip", ""));
	u->id = db_int(row, "id", 0);
	u->role = role_parse(db_str(row, "role", ""));
	snprintf(u->login, sizeof u->login, "%s", db_str(row, "login", ""));
	snprintf(u->display_name, sizeof u->display_name, "%s", db_str(row, "display_name", ""));
	snprintf(u->city_code, sizeof u->city_code, "%s", db_str(row, "city_code", ""));
	snprintf(u->city_name, sizeof u->city_name, "%s", db_str(row, "city_name", ""));
	u->must_change_password = db_int(row, "must_change_password", 0) != 0;
	*state = SESSION_OK;
	/* Activity is written at most once a minute: a write per request would
	 * cost more than the page (idle time is then known to the minute). */
	bool stale = db_int(row, "stale", 1) != 0;
	json_object_put(row);
	return stale ? db_exec(SQL_TOUCH, "b", h, sizeof h) : DB_OK;
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

int session_end_by_id(long long id, long long *account_id)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_END_ID, "i", id);
	*account_id = 0;
	if (rc != DB_OK || !row)
		return rc;
	*account_id = db_int(row, "account_id", 0);
	json_object_put(row);
	return db_exec(SQL_DELETE_ID, "i", id);
}

int session_list_live(json_object **rows, long long account_id, long long limit,
		      long long offset)
{
	int rc = db_query(rows, SQL_LIVE, "iiiiii", session_idle_seconds(), session_max_seconds(),
			  account_id, account_id, limit + 1, offset);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		json_object_object_add(
			r, "role_label",
			json_object_new_string(role_label(role_parse(db_str(r, "role", "")))));
	}
	return rc;
}

int session_count_live(long long *sessions, long long *accounts)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_COUNT_LIVE, "ii", session_idle_seconds(),
			      session_max_seconds());
	*sessions = *accounts = 0;
	if (rc == DB_OK && row) {
		*sessions = db_int(row, "sessions", 0);
		*accounts = db_int(row, "accounts", 0);
	}
	json_object_put(row);
	return rc;
}

bool session_csrf_ok(const struct session *s, const char *submitted)
{
	if (!s->csrf[0] || !submitted || strlen(submitted) != SESSION_TOKEN_HEX)
		return false;
	return sodium_memcmp(s->csrf, submitted, SESSION_TOKEN_HEX) == 0;
}
