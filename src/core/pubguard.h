/* pubguard: the abuse guards of the forms anyone may post without an
 * account (a public objection, a tracking-number lookup).
 *
 * Two guards, neither needing an outside service or JavaScript:
 *   - a rate limit per source (the client's IP) and purpose, counted per
 *     clock hour in the database (table public_rate), so every worker and
 *     every web node sees the same count;
 *   - a question a person answers at a glance and a script must be written
 *     for ("三加五等于几？"), carried in the form as a token that the
 *     server can check without having stored it: the token holds its
 *     expiry and a random nonce and is MACed (libsodium crypto_auth) with
 *     the expected answer, under a key kept in table server_key and shared
 *     by all nodes.  Each token is good once (table challenge_used) and for
 *     PG_TOKEN_TTL seconds, so a solved question cannot be replayed.
 * The form page does no database write: the token is made in memory.
 *
 * Pure part (tests/unit/core/test_pubguard.c, fuzzed): pg_question_make,
 * pg_question_check.  Owns tables public_rate, challenge_used, server_key
 * (sql/021_publicity.sql).
 */
#ifndef BIAOGAN_PUBGUARD_H
#define BIAOGAN_PUBGUARD_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#define PG_KEY_BYTES crypto_auth_KEYBYTES
#define PG_NONCE_BYTES 16
#define PG_TOKEN_MAX 128       /* "<expiry>.<nonce hex>.<mac hex>" and room */
#define PG_QUESTION_MAX 96
#define PG_TOKEN_TTL (2 * 3600) /* seconds: time enough to write an objection */
#define PG_ANSWER_MAX 4         /* digits */

struct pg_question {
	char text[PG_QUESTION_MAX];  /* "三加五等于几？" */
	char token[PG_TOKEN_MAX];
};

enum pg_verdict {
	PG_OK = 0,
	PG_MALFORMED, /* not a token of ours (or the answer is not a number) */
	PG_EXPIRED,
	PG_WRONG,     /* the answer is not the one the token was made for */
	PG_USED,      /* answered once already */
};

/* A question a + b (each 1..9) expiring at `expires` (Unix time), for nonce. */
void pg_question_make(const unsigned char key[PG_KEY_BYTES],
		      const unsigned char nonce[PG_NONCE_BYTES], int a, int b, long long expires,
		      struct pg_question *q);
/* Is answer the one token was made for, before its expiry (now: Unix time)?
 * On PG_OK, nonce_hex gets the token's nonce (to spend it). */
enum pg_verdict pg_question_check(const unsigned char key[PG_KEY_BYTES], const char *token,
				  const char *answer, long long now,
				  char nonce_hex[2 * PG_NONCE_BYTES + 1]);
/* "请重新回答验证问题：…" per verdict (NULL for PG_OK). */
const char *pg_verdict_message(enum pg_verdict v);

/* ---- database ---- */

/* A new question, random, under the shared key (made on first use).
 * A db_status. */
int pg_question_new(struct pg_question *q);
/* Checks the answer and spends the token in one statement: *v PG_OK only
 * for the first use.  A db_status; *v is meaningful when DB_OK. */
int pg_question_spend(const char *token, const char *answer, enum pg_verdict *v);
/* Counts one hit of source for purpose in this clock hour (committed at
 * once, whatever becomes of the request) and says whether it is within
 * per_hour.  A db_status. */
int pg_rate_hit(const char *purpose, const char *source, long long per_hour, bool *allowed);

#endif
