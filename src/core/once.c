#include "core/once.h"

#include <string.h>

#include <sodium.h>

#include "core/db.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/banned.h"

static const char SQL_PUT[] =
	"INSERT INTO session_once (session_hash, purpose, ref_id, nonce, sealed) VALUES (?, ?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE nonce = VALUES(nonce), sealed = VALUES(sealed),"
	" created_at = NOW(), shown_at = NULL";
static const char SQL_GET[] =
	"SELECT nonce, sealed, created_at > NOW() - INTERVAL ? SECOND AS fresh FROM session_once"
	" WHERE session_hash = ? AND purpose = ? AND ref_id = ? FOR UPDATE";
static const char SQL_ERASE[] =
	"UPDATE session_once SET nonce = NULL, sealed = NULL, shown_at = IFNULL(shown_at, NOW())"
	" WHERE session_hash = ? AND purpose = ? AND ref_id = ?";

#define KEY_CONTEXT "biaogan session_once v1"

static void session_hash(const struct session *s, unsigned char out[SHA256_BYTES])
{
	sha256(out, s->token, strlen(s->token));
}

/* The sealing key: a keyed hash of the cookie token (the database has only
 * the token's SHA-256, a different function of it). */
static void derive_key(const struct session *s,
		       unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES])
{
	crypto_generichash(key, crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
			   (const unsigned char *)s->token, strlen(s->token),
			   (const unsigned char *)KEY_CONTEXT, sizeof KEY_CONTEXT - 1);
}

/* The associated data: purpose and reference, so a sealed row cannot be
 * moved to another key. */
static void add_data(struct buf *ad, const char *purpose, long long ref)
{
	buf_addf(ad, "%s\n%lld", purpose, ref);
}

int once_put(const struct session *s, const char *purpose, long long ref, const char *secret)
{
	unsigned char h[SHA256_BYTES];
	unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned char sealed[ONCE_SECRET_MAX + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	unsigned long long sealed_len = 0;
	size_t len = strlen(secret);
	struct buf ad = BUF_INIT;
	int rc;

	if (!session_token_wellformed(s->token) || len > ONCE_SECRET_MAX)
		return DB_ERROR;
	session_hash(s, h);
	derive_key(s, key);
	randombytes_buf(nonce, sizeof nonce);
	add_data(&ad, purpose, ref);
	crypto_aead_xchacha20poly1305_ietf_encrypt(sealed, &sealed_len,
						   (const unsigned char *)secret, len,
						   (const unsigned char *)ad.data, ad.len, NULL, nonce, key);
	rc = db_exec(SQL_PUT, "bsibb", h, sizeof h, purpose, ref, nonce, sizeof nonce, sealed,
		     (size_t)sealed_len);
	sodium_memzero(key, sizeof key);
	sodium_memzero(sealed, sizeof sealed);
	buf_release(&ad);
	return rc;
}

static int take(const struct session *s, const unsigned char *h, const char *purpose,
		long long ref, struct buf *secret, enum once_state *state)
{
	json_object *row = NULL, *nv, *sv;
	unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char plain[ONCE_SECRET_MAX];
	unsigned long long plain_len = 0;
	struct buf ad = BUF_INIT;
	int rc = db_query_row(&row, SQL_GET, "ibsi", (long long)ONCE_TTL_SECONDS, h,
			      (size_t)SHA256_BYTES, purpose, ref);
	if (rc != DB_OK)
		return rc;
	if (!row)
		return DB_OK; /* ONCE_NONE */
	*state = ONCE_SHOWN_BEFORE;
	if (db_int(row, "fresh", 0) && json_object_object_get_ex(row, "nonce", &nv) && nv &&
	    json_object_object_get_ex(row, "sealed", &sv) && sv &&
	    json_object_get_string_len(nv) == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES &&
	    (size_t)json_object_get_string_len(sv) <= sizeof plain + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
		derive_key(s, key);
		add_data(&ad, purpose, ref);
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(
			    plain, &plain_len, NULL, (const unsigned char *)json_object_get_string(sv),
			    (unsigned long long)json_object_get_string_len(sv),
			    (const unsigned char *)ad.data, ad.len,
			    (const unsigned char *)json_object_get_string(nv), key) == 0) {
			buf_add(secret, (const char *)plain, (size_t)plain_len);
			*state = ONCE_SHOWN_NOW;
		} else {
			log_warn("once: a sealed secret did not open (%s)", purpose);
		}
		sodium_memzero(key, sizeof key);
		sodium_memzero(plain, sizeof plain);
	}
	json_object_put(row);
	buf_release(&ad);
	/* Shown, timed out or unreadable: nothing of it stays. */
	return db_exec(SQL_ERASE, "bsi", h, (size_t)SHA256_BYTES, purpose, ref);
}

int once_take(const struct session *s, const char *purpose, long long ref, struct buf *secret,
	      enum once_state *state)
{
	unsigned char h[SHA256_BYTES];
	size_t had = secret->len;
	int rc;

	*state = ONCE_NONE;
	if (!session_token_wellformed(s->token))
		return DB_OK;
	session_hash(s, h);
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = db_finish(take(s, h, purpose, ref, secret, state));
	if (rc != DB_OK) {
		/* Not shown after all: the page says so rather than show a secret
		 * the database still holds. */
		if (secret->len > had)
			sodium_memzero(secret->data + had, secret->len - had);
		buf_truncate(secret, had);
		*state = ONCE_NONE;
	}
	return rc;
}
