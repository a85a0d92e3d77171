#include "steps/accounts/mfa.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "steps/accounts/users.h"
#include "core/banned.h"

/* The issuer an authenticator app shows above the code. */
#define MFA_ISSUER "黑龙江省质量标杆遴选"

static const char SQL_NEED[] =
	"SELECT a.role, a.totp_required, t.confirmed_at IS NOT NULL AS enrolled"
	" FROM account a LEFT JOIN account_totp t ON t.account_id = a.id WHERE a.id = ?";
static const char SQL_STATUS[] =
	"SELECT a.role, a.totp_required, t.account_id IS NOT NULL AS has_row,"
	" t.confirmed_at IS NOT NULL AS enrolled,"
	" IFNULL(DATE_FORMAT(t.confirmed_at, '%Y-%m-%d %H:%i'), '') AS confirmed_at,"
	" (SELECT COUNT(*) FROM account_recovery_code r WHERE r.account_id = a.id"
	"  AND r.used_at IS NULL) AS codes_left"
	" FROM account a LEFT JOIN account_totp t ON t.account_id = a.id WHERE a.id = ?";
static const char SQL_TOTP_LOCK[] =
	"SELECT secret, confirmed_at IS NOT NULL AS enrolled, last_step FROM account_totp"
	" WHERE account_id = ? FOR UPDATE";
static const char SQL_TOTP_READ[] =
	"SELECT secret FROM account_totp WHERE account_id = ? AND confirmed_at IS NULL";
static const char SQL_TOTP_PUT[] =
	"REPLACE INTO account_totp (account_id, secret, confirmed_at, last_step) VALUES (?, ?, NULL, 0)";
static const char SQL_TOTP_CONFIRM[] =
	"UPDATE account_totp SET confirmed_at = NOW(), last_step = ? WHERE account_id = ?";
static const char SQL_TOTP_STEP[] = "UPDATE account_totp SET last_step = ? WHERE account_id = ?";
static const char SQL_CODES_CLEAR[] = "DELETE FROM account_recovery_code WHERE account_id = ?";
static const char SQL_CODE_PUT[] =
	"INSERT INTO account_recovery_code (account_id, code_hash) VALUES (?, ?)";
static const char SQL_CODE_SPEND[] =
	"UPDATE account_recovery_code SET used_at = NOW()"
	" WHERE account_id = ? AND code_hash = ? AND used_at IS NULL";
static const char SQL_CODES_LEFT[] =
	"SELECT COUNT(*) AS n FROM account_recovery_code WHERE account_id = ? AND used_at IS NULL";
static const char SQL_ACCOUNT_LOCK[] =
	"SELECT login, failed_logins,"
	" (locked_until IS NOT NULL AND locked_until > NOW()) AS locked,"
	" (locked_until IS NOT NULL AND locked_until <= NOW()) AS lock_expired"
	" FROM account WHERE id = ? FOR UPDATE";
static const char SQL_SUCCESS[] =
	"UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = ?";
static const char SQL_SESSION_DONE[] = "UPDATE session SET mfa_state = 0 WHERE id = ?";
static const char SQL_REQUIRE[] = "UPDATE account SET totp_required = ? WHERE id = ?";
static const char SQL_TOTP_DELETE[] = "DELETE FROM account_totp WHERE account_id = ?";

bool mfa_role_listed(enum role r, const char *list)
{
	const char *name = role_name(r);
	size_t n = strlen(name);
	if (!list || r == ROLE_NONE)
		return false;
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *start = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		if ((size_t)(p - start) == n && !memcmp(start, name, n))
			return true;
	}
	return false;
}

enum mfa_need mfa_need_of(bool enrolled, bool required)
{
	return enrolled ? MFA_CODE : required ? MFA_ENROL : MFA_NONE;
}

static bool required_of(json_object *row)
{
	return db_int(row, "totp_required", 0) ||
	       mfa_role_listed(role_parse(db_str(row, "role", "")),
			       config_str("totp_required_roles", NULL));
}

int mfa_need_for(long long account_id, enum mfa_need *need, enum role *role)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_NEED, "i", account_id);
	*need = MFA_NONE;
	*role = ROLE_NONE;
	if (rc == DB_OK && row) {
		*need = mfa_need_of(db_int(row, "enrolled", 0), required_of(row));
		*role = role_parse(db_str(row, "role", ""));
	}
	json_object_put(row);
	return rc;
}

int mfa_status(long long account_id, json_object **row)
{
	int rc = db_query_row(row, SQL_STATUS, "i", account_id);
	if (rc == DB_OK && *row) {
		json_object_object_add(*row, "required", json_object_new_boolean(required_of(*row)));
		json_object_object_add(*row, "marked",
				       json_object_new_boolean(db_int(*row, "totp_required", 0)));
		json_object_object_add(*row, "pending",
				       json_object_new_boolean(db_int(*row, "has_row", 0) &&
							       !db_int(*row, "enrolled", 0)));
	}
	return rc;
}

static int finish(int rc, const struct actor *who, const char *action, long long id,
		  const char *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, "account", oid, summary);
}

/* Sealing: with config totp_seal_key (64 hex digits, a key the database
 * never holds) the secret is stored as 0x01 || nonce || XChaCha20-Poly1305
 * of it, the account's id as associated data (a sealed secret copied to
 * another account does not open); without a key, as it is (20 bytes). */
#define SEALED_VERSION 0x01
#define SEALED_BYTES                                                                             \
	(1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + TOTP_SECRET_BYTES +                  \
	 crypto_aead_xchacha20poly1305_ietf_ABYTES)

/* The configured key into key; false when none (or malformed: logged). */
static bool seal_key(unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES])
{
	const char *hex = config_str("totp_seal_key", NULL);
	size_t got = 0;
	if (!hex || !*hex)
		return false;
	if (strlen(hex) != 2 * crypto_aead_xchacha20poly1305_ietf_KEYBYTES ||
	    sodium_hex2bin(key, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, hex, strlen(hex), NULL,
			   &got, NULL) ||
	    got != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
		log_err("mfa: totp_seal_key is not 64 hex digits: the secrets are not sealed");
		return false;
	}
	return true;
}

/* What to store for secret: *len bytes in out. */
static void seal_secret(long long account_id, const unsigned char secret[TOTP_SECRET_BYTES],
			unsigned char out[SEALED_BYTES], size_t *len)
{
	unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	char ad[24];
	unsigned long long clen = 0;
	if (!seal_key(key)) {
		memcpy(out, secret, TOTP_SECRET_BYTES);
		*len = TOTP_SECRET_BYTES;
		return;
	}
	snprintf(ad, sizeof ad, "%lld", account_id);
	out[0] = SEALED_VERSION;
	randombytes_buf(out + 1, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
		out + 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen, secret,
		TOTP_SECRET_BYTES, (const unsigned char *)ad, strlen(ad), NULL, out + 1, key);
	sodium_memzero(key, sizeof key);
	*len = 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + (size_t)clen;
}

/* The secret of row (a VARBINARY comes as a string with its length),
 * opened when sealed.  0 when it is missing or does not open (another key,
 * another account): the account then enrols again after a reset. */
static size_t secret_of(json_object *row, long long account_id,
			unsigned char out[TOTP_SECRET_BYTES])
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(row, "secret", &v) || !v)
		return 0;
	const unsigned char *p = (const unsigned char *)json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	if (n == TOTP_SECRET_BYTES) {
		memcpy(out, p, TOTP_SECRET_BYTES);
		return TOTP_SECRET_BYTES;
	}
	unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	char ad[24];
	unsigned long long plen = 0;
	if (n != SEALED_BYTES || p[0] != SEALED_VERSION || !seal_key(key))
		return 0;
	snprintf(ad, sizeof ad, "%lld", account_id);
	int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(
		out, &plen, NULL, p + 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
		n - 1 - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (const unsigned char *)ad,
		strlen(ad), p + 1, key);
	sodium_memzero(key, sizeof key);
	if (bad || plen != TOTP_SECRET_BYTES) {
		log_err("mfa: the second factor of account %lld does not open with totp_seal_key",
			account_id);
		sodium_memzero(out, TOTP_SECRET_BYTES);
		return 0;
	}
	return TOTP_SECRET_BYTES;
}

int mfa_enrol_begin(const struct actor *who, long long account_id)
{
	json_object *row = NULL;
	unsigned char secret[TOTP_SECRET_BYTES];
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	if ((rc = db_query_row(&row, SQL_TOTP_LOCK, "i", account_id)) != DB_OK)
		goto fail;
	if (row && db_int(row, "enrolled", 0)) {
		rc = DB_CONFLICT;
		goto fail;
	}
	if (row) { /* one pending already: the page shows it again */
		json_object_put(row);
		return db_finish(DB_OK);
	}
	unsigned char stored[SEALED_BYTES];
	size_t stored_len = 0;
	totp_new_secret(secret);
	seal_secret(account_id, secret, stored, &stored_len);
	rc = db_exec(SQL_TOTP_PUT, "ib", account_id, stored, stored_len);
	sodium_memzero(secret, sizeof secret);
	return finish(rc, who, "mfa.begin", account_id, "开始绑定动态口令");
fail:
	json_object_put(row);
	db_rollback();
	return rc;
}

int mfa_enrol_secret(long long account_id, const char *login, struct buf *uri, struct buf *text)
{
	json_object *row = NULL;
	unsigned char secret[TOTP_SECRET_BYTES];
	int rc = db_query_row(&row, SQL_TOTP_READ, "i", account_id);
	if (rc != DB_OK)
		return rc;
	if (!row || !secret_of(row, account_id, secret)) {
		json_object_put(row);
		return 1;
	}
	json_object_put(row);
	rc = totp_uri(uri, MFA_ISSUER, login, secret, sizeof secret) ||
		     totp_secret_base32(secret, sizeof secret, text)
	     ? DB_ERROR
	     : DB_OK;
	sodium_memzero(secret, sizeof secret);
	return rc;
}

/* The account row locked, and what a wrong code does with it.  Leaves the
 * transaction open on DB_OK. */
static int lock_account(long long account_id, json_object **acct)
{
	int rc = db_query_row(acct, SQL_ACCOUNT_LOCK, "i", account_id);
	if (rc == DB_OK && !*acct)
		rc = DB_ERROR;
	return rc;
}

static int wrong_code(const struct actor *who, long long account_id, json_object *acct,
		      const char *what, enum mfa_result *result)
{
	bool locked = false;
	int rc = users_count_failure(who, account_id, acct, "mfa.fail", what, &locked);
	*result = locked ? MFA_LOCKED : MFA_WRONG;
	return db_finish(rc);
}

/* The opening of a code's check, one transaction: the account's row and
 * its second factor's locked, the secret opened.  enrolled: a login's check
 * (the enrolment done) or an enrolment's (pending).  *go false when there is
 * nothing to check (*result MFA_NOT_READY, or MFA_LOCKED): the transaction
 * is rolled back then, as on an error.  Returns a db_status. */
static int open_check(long long account_id, bool enrolled, json_object **acct,
		      json_object **row, unsigned char secret[TOTP_SECRET_BYTES],
		      enum mfa_result *result, bool *go)
{
	int rc;
	*go = false;
	*result = MFA_NOT_READY;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = lock_account(account_id, acct)) != DB_OK ||
	    (rc = db_query_row(row, SQL_TOTP_LOCK, "i", account_id)) != DB_OK) {
		db_rollback();
		return rc;
	}
	if (!*row || (db_int(*row, "enrolled", 0) != 0) != enrolled ||
	    !secret_of(*row, account_id, secret)) {
		db_rollback();
		return DB_OK;
	}
	if (db_int(*acct, "locked", 0)) {
		*result = MFA_LOCKED;
		db_rollback();
		return DB_OK;
	}
	*go = true;
	return DB_OK;
}

int mfa_enrol_confirm(const struct actor *who, const struct session *s, long long account_id,
		      const char *typed, enum mfa_result *result, struct buf *codes)
{
	json_object *acct = NULL, *row = NULL;
	unsigned char secret[TOTP_SECRET_BYTES];
	char code[TOTP_DIGITS + 1];
	long long step = 0;
	int rc;

	bool go;
	if ((rc = open_check(account_id, false, &acct, &row, secret, result, &go)) != DB_OK || !go)
		goto out;
	if (!totp_code_canonical(typed, code) ||
	    !totp_check(secret, sizeof secret, code, time(NULL), 0, &step)) {
		rc = wrong_code(who, account_id, acct, "绑定动态口令失败：口令错误", result);
		goto out;
	}
	rc = db_exec(SQL_TOTP_CONFIRM, "ii", step, account_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_CODES_CLEAR, "i", account_id);
	for (int i = 0; rc == DB_OK && i < RECOVERY_CODES; i++) {
		char shown[RECOVERY_CODE_LEN + 1], canon[RECOVERY_CODE_CHARS + 1];
		unsigned char h[RECOVERY_HASH_BYTES];
		recovery_new(shown);
		recovery_canonical(shown, canon);
		recovery_hash(canon, h);
		rc = db_exec(SQL_CODE_PUT, "ib", account_id, h, sizeof h);
		buf_addf(codes, "%s\n", shown);
		sodium_memzero(shown, sizeof shown);
		sodium_memzero(canon, sizeof canon);
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_SUCCESS, "i", account_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_SESSION_DONE, "i", s->id);
	rc = finish(rc, who, "mfa.enrol", account_id, "绑定动态口令，生成恢复码");
	if (rc == DB_OK)
		*result = MFA_OK;
out:
	sodium_memzero(secret, sizeof secret);
	json_object_put(acct);
	json_object_put(row);
	return rc;
}

int mfa_verify(const struct actor *who, const struct session *s, long long account_id,
	       const char *typed, enum mfa_result *result, bool *used_recovery,
	       long long *codes_left)
{
	json_object *acct = NULL, *row = NULL, *left = NULL;
	unsigned char secret[TOTP_SECRET_BYTES];
	char code[TOTP_DIGITS + 1], canon[RECOVERY_CODE_CHARS + 1];
	long long step = 0;
	int rc;

	bool go;
	*used_recovery = false;
	*codes_left = 0;
	if ((rc = open_check(account_id, true, &acct, &row, secret, result, &go)) != DB_OK || !go)
		goto out;
	if (totp_code_canonical(typed, code)) {
		if (!totp_check(secret, sizeof secret, code, time(NULL), db_int(row, "last_step", 0),
				&step)) {
			rc = wrong_code(who, account_id, acct, "动态口令验证失败：口令错误或已使用",
					result);
			goto out;
		}
		rc = db_exec(SQL_TOTP_STEP, "ii", step, account_id);
	} else if (recovery_canonical(typed, canon)) {
		unsigned char h[RECOVERY_HASH_BYTES];
		recovery_hash(canon, h);
		sodium_memzero(canon, sizeof canon);
		rc = db_exec(SQL_CODE_SPEND, "ib", account_id, h, sizeof h);
		if (rc == DB_OK && db_affected_rows() != 1) {
			rc = wrong_code(who, account_id, acct, "动态口令验证失败：恢复码错误或已使用",
					result);
			goto out;
		}
		*used_recovery = true;
	} else {
		rc = wrong_code(who, account_id, acct, "动态口令验证失败：格式不符", result);
		goto out;
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_SUCCESS, "i", account_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_SESSION_DONE, "i", s->id);
	if (rc == DB_OK && (rc = db_query_row(&left, SQL_CODES_LEFT, "i", account_id)) == DB_OK)
		*codes_left = db_int(left, "n", 0);
	rc = finish(rc, who, "mfa.ok", account_id,
		    *used_recovery ? "动态口令验证通过（使用恢复码）" : "动态口令验证通过");
	if (rc == DB_OK)
		*result = MFA_OK;
out:
	sodium_memzero(secret, sizeof secret);
	json_object_put(acct);
	json_object_put(row);
	json_object_put(left);
	return rc;
}

int mfa_set_required(const struct actor *who, long long account_id, bool required)
{
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(SQL_REQUIRE, "ii", (long long)required, account_id);
	return finish(rc, who, required ? "mfa.require" : "mfa.release", account_id,
		      required ? "要求该账户使用动态口令" : "不再单独要求该账户使用动态口令");
}

int mfa_reset(const struct actor *who, long long account_id)
{
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(SQL_TOTP_DELETE, "i", account_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_CODES_CLEAR, "i", account_id);
	if (rc == DB_OK)
		rc = session_destroy_account(account_id, NULL);
	return finish(rc, who, "mfa.reset", account_id, "重置动态口令（须重新绑定），结束其全部会话");
}
