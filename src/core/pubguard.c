#include "core/pubguard.h"

#include <stdio.h>
#include <time.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/banned.h"

static const char *const numerals[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

/* The MAC of a token's fields with the answer it expects. */
static void token_mac(const unsigned char key[PG_KEY_BYTES], long long expires,
		      const char *nonce_hex, long long answer,
		      unsigned char mac[crypto_auth_BYTES])
{
	char msg[96];
	int n = snprintf(msg, sizeof msg, "pg1|%lld|%s|%lld", expires, nonce_hex, answer);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, key);
}

void pg_question_make(const unsigned char key[PG_KEY_BYTES],
		      const unsigned char nonce[PG_NONCE_BYTES], int a, int b, long long expires,
		      struct pg_question *q)
{
	char nonce_hex[2 * PG_NONCE_BYTES + 1], mac_hex[2 * crypto_auth_BYTES + 1];
	unsigned char mac[crypto_auth_BYTES];
	a = a < 1 || a > 9 ? 1 : a;
	b = b < 1 || b > 9 ? 1 : b;
	sodium_bin2hex(nonce_hex, sizeof nonce_hex, nonce, PG_NONCE_BYTES);
	token_mac(key, expires, nonce_hex, a + b, mac);
	sodium_bin2hex(mac_hex, sizeof mac_hex, mac, sizeof mac);
	snprintf(q->text, sizeof q->text, "%s加%s等于几？", numerals[a], numerals[b]);
	snprintf(q->token, sizeof q->token, "%lld.%s.%s", expires, nonce_hex, mac_hex);
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The answer as typed: ASCII or full-width digits (输入法 often gives
 * those), blanks around them.  -1 when it is not a number of at most
 * PG_ANSWER_MAX digits. */
static long long parse_answer(const char *s)
{
	long long v = 0;
	int nd = 0;
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	while (*s) {
		const unsigned char *u = (const unsigned char *)s;
		if (*s >= '0' && *s <= '9') {
			v = v * 10 + (*s - '0');
			s++;
		} else if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
			v = v * 10 + (u[2] - 0x90);
			s += 3;
		} else {
			break;
		}
		if (++nd > PG_ANSWER_MAX)
			return -1;
	}
	while (*s == ' ')
		s++;
	return nd && !*s ? v : -1;
}

enum pg_verdict pg_question_check(const unsigned char key[PG_KEY_BYTES], const char *token,
				  const char *answer, long long now,
				  char nonce_hex[2 * PG_NONCE_BYTES + 1])
{
	const size_t hex_nonce = 2 * PG_NONCE_BYTES, hex_mac = 2 * crypto_auth_BYTES;
	unsigned char mac[crypto_auth_BYTES], want[crypto_auth_BYTES];
	long long expires = 0, ans;
	size_t i = 0, len;
	if (!token)
		return PG_MALFORMED;
	len = strlen(token);
	for (; i < len && token[i] >= '0' && token[i] <= '9' && i < 12; i++)
		expires = expires * 10 + (token[i] - '0');
	if (!i || len != i + 1 + hex_nonce + 1 + hex_mac || token[i] != '.' ||
	    token[i + 1 + hex_nonce] != '.' || !all_hex(token + i + 1, hex_nonce) ||
	    !all_hex(token + i + 2 + hex_nonce, hex_mac))
		return PG_MALFORMED;
	if ((ans = parse_answer(answer)) < 0)
		return PG_MALFORMED;
	if (now > expires)
		return PG_EXPIRED;
	memcpy(nonce_hex, token + i + 1, hex_nonce);
	nonce_hex[hex_nonce] = '\0';
	if (sodium_hex2bin(mac, sizeof mac, token + i + 2 + hex_nonce, hex_mac, NULL, NULL, NULL))
		return PG_MALFORMED;
	token_mac(key, expires, nonce_hex, ans, want);
	if (sodium_memcmp(mac, want, sizeof mac)) {
		nonce_hex[0] = '\0';
		return PG_WRONG;
	}
	return PG_OK;
}

const char *pg_verdict_message(enum pg_verdict v)
{
	switch (v) {
	case PG_OK:
		return NULL;
	case PG_MALFORMED:
		return "请用阿拉伯数字回答验证问题。";
	case PG_EXPIRED:
		return "验证问题已过期（页面打开太久），请回答新的问题。";
	case PG_WRONG:
		return "验证问题的答案不对，请回答新的问题。";
	case PG_USED:
		return "这道验证问题已经用过，请回答新的问题。";
	}
	return "请回答验证问题。";
}

/* ---- database ---- */

static const char SQL_KEY_MAKE[] =
	"INSERT IGNORE INTO server_key (name, secret) VALUES ('question', ?)";
static const char SQL_KEY[] = "SELECT secret FROM server_key WHERE name = 'question'";

/* The shared key, read once per process (made by the first node). */
static int shared_key(unsigned char key[PG_KEY_BYTES])
{
	static unsigned char cached[PG_KEY_BYTES];
	static bool have;
	struct buf b = BUF_INIT;
	bool found = false;
	int rc;
	if (have) {
		memcpy(key, cached, PG_KEY_BYTES);
		return DB_OK;
	}
	rc = db_query_blob(&b, &found, SQL_KEY, "");
	if (rc == DB_OK && !found) {
		unsigned char fresh[PG_KEY_BYTES];
		crypto_auth_keygen(fresh);
		rc = db_exec(SQL_KEY_MAKE, "b", fresh, sizeof fresh);
		sodium_memzero(fresh, sizeof fresh);
		buf_release(&b);
		if (rc == DB_OK)
			rc = db_query_blob(&b, &found, SQL_KEY, "");
	}
	if (rc == DB_OK && (!found || b.len != PG_KEY_BYTES)) {
		log_err("pubguard: server_key 'question' is missing or not %d bytes", PG_KEY_BYTES);
		rc = DB_ERROR;
	}
	if (rc == DB_OK) {
		memcpy(cached, b.data, PG_KEY_BYTES);
		memcpy(key, cached, PG_KEY_BYTES);
		have = true;
	}
	sodium_memzero(b.data, b.cap);
	buf_release(&b);
	return rc;
}

int pg_question_new(struct pg_question *q)
{
	unsigned char key[PG_KEY_BYTES], nonce[PG_NONCE_BYTES];
	int rc = shared_key(key);
	if (rc != DB_OK)
		return rc;
	randombytes_buf(nonce, sizeof nonce);
	pg_question_make(key, nonce, 1 + (int)randombytes_uniform(9), 1 + (int)randombytes_uniform(9),
			 (long long)time(NULL) + PG_TOKEN_TTL, q);
	sodium_memzero(key, sizeof key);
	return DB_OK;
}

static const char SQL_SPEND[] = "INSERT INTO challenge_used (nonce, used_at) VALUES (?, NOW())";
static const char SQL_SPENT_PURGE[] =
	"DELETE FROM challenge_used WHERE used_at < NOW() - INTERVAL 1 DAY LIMIT 500";

int pg_question_spend(const char *token, const char *answer, enum pg_verdict *v)
{
	unsigned char key[PG_KEY_BYTES];
	char nonce_hex[2 * PG_NONCE_BYTES + 1] = "";
	int rc = shared_key(key);
	if (rc != DB_OK)
		return rc;
	*v = pg_question_check(key, token, answer, (long long)time(NULL), nonce_hex);
	sodium_memzero(key, sizeof key);
	if (*v != PG_OK)
		return DB_OK;
	rc = db_exec(SQL_SPEND, "s", nonce_hex);
	if (rc == DB_CONFLICT) {
		*v = PG_USED;
		return DB_OK;
	}
	/* Tokens live PG_TOKEN_TTL: a day later their nonces are of no use. */
	if (rc == DB_OK && randombytes_uniform(64) == 0)
		rc = db_exec(SQL_SPENT_PURGE, "");
	return rc;
}

static const char SQL_RATE_HIT[] =
	"INSERT INTO public_rate (purpose, source, window_start, hits)"
	" VALUES (?, ?, DATE_FORMAT(NOW(), '%Y-%m-%d %H:00:00'), 1)"
	" ON DUPLICATE KEY UPDATE hits = hits + 1";
static const char SQL_RATE_GET[] =
	"SELECT hits FROM public_rate WHERE purpose = ? AND source = ?"
	" AND window_start = DATE_FORMAT(NOW(), '%Y-%m-%d %H:00:00')";
static const char SQL_RATE_PURGE[] =
	"DELETE FROM public_rate WHERE window_start < NOW() - INTERVAL 1 DAY LIMIT 500";

int pg_rate_hit(const char *purpose, const char *source, long long per_hour, bool *allowed)
{
	json_object *row = NULL;
	int rc = db_exec(SQL_RATE_HIT, "ss", purpose, source ? source : "");
	if (rc == DB_OK && db_affected_rows() == 1 && randombytes_uniform(16) == 0)
		rc = db_exec(SQL_RATE_PURGE, ""); /* a new window: tidy old ones now and then */
	if (rc == DB_OK)
		rc = db_query_row(&row, SQL_RATE_GET, "ss", purpose, source ? source : "");
	*allowed = rc == DB_OK && db_int(row, "hits", 0) <= per_hour;
	json_object_put(row);
	return rc;
}
