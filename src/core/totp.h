/* totp: the second factor's arithmetic — time-based one-time codes (RFC
 * 6238: HMAC-SHA-1, 30-second steps, 6 digits, as every authenticator app
 * shows them) with Debian's liboath, the otpauth:// address an app scans,
 * and single-use recovery codes.  No database here: src/steps/accounts/mfa.h
 * keeps the secrets and the steps used.
 */
#ifndef BIAOGAN_TOTP_H
#define BIAOGAN_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/buf.h"

#define TOTP_SECRET_BYTES 20 /* 160 bits, RFC 4226's recommendation */
#define TOTP_DIGITS 6
#define TOTP_STEP_SECONDS 30
/* Steps either side of now that are accepted: a phone's clock 30 s off. */
#define TOTP_WINDOW 1
/* Recovery codes: RECOVERY_CODES of them, each 10 characters of an
 * unambiguous alphabet shown as XXXXX-XXXXX (50 bits). */
#define RECOVERY_CODES 10
#define RECOVERY_CODE_CHARS 10
#define RECOVERY_CODE_LEN (RECOVERY_CODE_CHARS + 1)
#define RECOVERY_HASH_BYTES 32

/* 20 random bytes (libsodium).  0 or -1. */
int totp_new_secret(unsigned char secret[TOTP_SECRET_BYTES]);
/* The secret in RFC 4648 base32 without padding (what an app's "enter a
 * key" takes), appended to out.  0 or -1. */
int totp_secret_base32(const unsigned char *secret, size_t len, struct buf *out);
/* otpauth://totp/ISSUER:LOGIN?secret=...&issuer=ISSUER&... for the QR code;
 * issuer and login percent-encoded.  0 or -1. */
int totp_uri(struct buf *out, const char *issuer, const char *login,
	     const unsigned char *secret, size_t len);

/* A typed code as the form takes it: 6 digits, blanks around and one space
 * or hyphen in the middle allowed ("123 456"); out: the 6 digits.  False
 * for anything else (out ""). */
bool totp_code_canonical(const char *typed, char out[TOTP_DIGITS + 1]);
/* The time step of now. */
long long totp_step(time_t now);
/* Whether code (canonical) is right for secret at now within TOTP_WINDOW
 * and newer than last_step (a code is used once); *step: the step it
 * matched.  False for a wrong, an old or a replayed code. */
bool totp_check(const unsigned char *secret, size_t len, const char *code, time_t now,
		long long last_step, long long *step);
/* The code of secret at now (for tests and the walk's own client). */
int totp_code_at(const unsigned char *secret, size_t len, time_t now,
		 char out[TOTP_DIGITS + 1]);

/* A new recovery code, "XXXXX-XXXXX".  0 or -1. */
int recovery_new(char out[RECOVERY_CODE_LEN + 1]);
/* A typed recovery code: blanks and hyphens dropped, lower case raised; out
 * the 10 characters.  False when that is not 10 of the alphabet. */
bool recovery_canonical(const char *typed, char out[RECOVERY_CODE_CHARS + 1]);
/* SHA-256 of the canonical code, the only form stored. */
void recovery_hash(const char *canonical, unsigned char out[RECOVERY_HASH_BYTES]);

#endif
