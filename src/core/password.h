/* password: hashing, verification, policy and temporary passwords.
 *
 * Hashes are Argon2id strings from libsodium (crypto_pwhash_str, interactive
 * limits), so the parameters travel with each hash and can be raised later
 * (password_needs_rehash).  Policy: at least 8 characters, at most 128
 * bytes, 3 of the 4 classes (lower case, upper case, digit, other), not on
 * the list of common passwords, and not containing the login.
 */
#ifndef BIAOGAN_PASSWORD_H
#define BIAOGAN_PASSWORD_H

#include <stdbool.h>

#include "core/buf.h"

/* 0 on success (out holds the hash string), -1 on failure (out of memory
 * in the hash's working area). */
int password_hash(const char *password, struct buf *out);
bool password_verify(const char *hash, const char *password);
bool password_needs_rehash(const char *hash);
/* NULL when the password is acceptable, else a Chinese message saying why. */
const char *password_policy_error(const char *password, const char *login);
bool password_is_common(const char *password);
/* A random password that meets the policy (14 characters, no look-alikes). */
void password_generate(struct buf *out);

#endif
