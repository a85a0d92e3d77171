/* lottery: the verifiable expert draw (专家抽取, 附件二; issue 11).
 *
 * Owns the byte-exact algorithm of docs/lottery.md and nothing else: how an
 * organisation is keyed (the "same organisation" of the 2-per-organisation
 * cap and the recusal by name), how the candidate list is serialised and
 * digested, how the seed is committed, how random numbers come out of the
 * seed (SHA-256 in counter mode), how bias is avoided (rejection sampling),
 * and how the cap and replacements are applied.  Pure: no database, no
 * allocation except where a function says so, no global state; SHA-256 is
 * libsodium's.  The draw step (src/steps/draw/) keeps the record; this
 * module computes from it, so the same functions draw and verify.
 *
 * The draw, in short (docs/lottery.md is the reference):
 *   - candidates are sorted by expert id; the list's digest is SHA-256 of
 *     the lines "<id>\t<org_key>\n";
 *   - the seed is 32 bytes from getrandom; the commitment is SHA-256(seed),
 *     shown before the draw; the seed is revealed after it;
 *   - draw number d (1: the panel; 2, 3, ...: each replacement) reads the
 *     stream SHA-256("biaogan-lottery-v1" || seed || public_digest ||
 *     candidate_digest || be32(d) || be32(block)), block = 0, 1, ..., as
 *     big-endian 64-bit numbers, four per block;
 *   - each pick takes the eligible candidates in list order (not drawn or
 *     excused before in the session, and fewer than 2 of their organisation
 *     on the panel) and chooses index u mod n of them, where u is the first
 *     number of the stream below 2^64 - (2^64 mod n).
 */
#ifndef BIAOGAN_LOTTERY_H
#define BIAOGAN_LOTTERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOT_SEED_BYTES 32
#define LOT_DIGEST_BYTES 32
#define LOT_HEX_LEN (2 * LOT_DIGEST_BYTES) /* lower-case hex, no NUL */
#define LOT_ORG_KEY_MAX 400                /* bytes, without the NUL */
#define LOT_ORG_CAP 2                      /* experts of one organisation on a panel */
#define LOT_PANEL_MIN 3
#define LOT_PANEL_MAX 25
#define LOT_PUBLIC_MAX 200 /* the public value, bytes */

enum lot_status {
	LOT_OK = 0,
	LOT_E_EVEN,   /* panel size even: the annex says 原则上为单数 */
	LOT_E_SIZE,   /* panel size outside LOT_PANEL_MIN..LOT_PANEL_MAX */
	LOT_E_SHORT,  /* the candidates cannot fill the panel under the cap */
	LOT_E_LIST,   /* candidates not sorted by id, an id repeated, or a bad key */
	LOT_E_ARG,    /* a bad argument (NULL, count 0, ...) */
};

/* The organisation key of an expert or an applicant: "C:" and the
 * upper-cased credit code when uscc is non-empty, else "N:" and
 * lot_name_normalise(name).  False (out "") when the result would not fit
 * LOT_ORG_KEY_MAX or outsz, when a non-empty uscc holds a byte outside
 * printable ASCII (0x21-0x7E), or when the name is invalid UTF-8 or
 * normalises to nothing. */
bool lot_org_key(const char *uscc, const char *name, char *out, size_t outsz);

/* An organisation name as the draw compares it: every white space dropped
 * (U+0009-U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000-U+200B, U+2028,
 * U+2029, U+202F, U+205F, U+3000, U+FEFF), full-width forms U+FF01-U+FF5E
 * mapped to ASCII U+0021-U+007E, then ASCII a-z upper-cased; nothing else
 * changes (docs/lottery.md §3 lists what is deliberately not done).  Valid
 * UTF-8 in, valid UTF-8 out; false (out "") on invalid UTF-8 or when out is
 * too small. */
bool lot_name_normalise(const char *name, char *out, size_t outsz);

struct lot_candidate {
	long long expert_id; /* > 0 */
	const char *org_key; /* borrowed; non-empty */
};

/* Candidates must be sorted by expert_id, strictly increasing, every id
 * > 0, every org_key non-empty valid UTF-8 without TAB or LF: LOT_E_LIST
 * otherwise (LOT_E_ARG when c is NULL and n > 0).  An empty list is fine. */
int lot_check_list(const struct lot_candidate *c, size_t n);
/* SHA-256 of the serialised list (no check: call lot_check_list first). */
void lot_candidate_digest(const struct lot_candidate *c, size_t n,
			  unsigned char out[LOT_DIGEST_BYTES]);
void lot_commitment(const unsigned char seed[LOT_SEED_BYTES], unsigned char out[LOT_DIGEST_BYTES]);
/* SHA-256 of the public value's bytes, or 32 zero bytes when value is NULL
 * or "" (no public value in the draw). */
void lot_public_digest(const char *value, unsigned char out[LOT_DIGEST_BYTES]);
/* Lower-case hex of 32 bytes into out (LOT_HEX_LEN + 1 bytes). */
void lot_hex(const unsigned char in[LOT_DIGEST_BYTES], char out[LOT_HEX_LEN + 1]);
/* Parse 64 hex digits (either case); false on anything else. */
bool lot_unhex(const char *hex, unsigned char out[LOT_DIGEST_BYTES]);

/* Odd and within LOT_PANEL_MIN..LOT_PANEL_MAX: LOT_OK; LOT_E_SIZE outside
 * the range (2 and 26 too), else LOT_E_EVEN. */
int lot_check_panel_size(int n);

/* One draw: the inputs that do not change within a session. */
struct lot_draw {
	const unsigned char *seed;             /* LOT_SEED_BYTES */
	const unsigned char *public_digest;    /* LOT_DIGEST_BYTES */
	const unsigned char *candidate_digest; /* LOT_DIGEST_BYTES, of cand */
	const struct lot_candidate *cand;      /* sorted (lot_check_list) */
	size_t ncand;
};

/* Why a draw cannot be made: the numbers for the refusal message. */
struct lot_shortfall {
	size_t needed;    /* experts the draw asked for */
	size_t available; /* candidates neither drawn nor excused before */
	size_t capacity;  /* of them, how many the cap lets onto the panel */
};

/* Draw number `number` (1: the panel; 2, 3, ...: replacements, in order)
 * picks `count` experts.  used[i]: candidate i was drawn or excused before
 * in this session (never drawn again); on_panel[i]: candidate i sits on the
 * panel now (counts toward its organisation's cap).  on_panel implies used.
 * On LOT_OK, picked[0..count-1] are candidate indexes in pick order, and
 * used/on_panel are updated for them.  LOT_E_SHORT (short filled in; used,
 * on_panel, picked unchanged) when capacity < count.  Allocates a scratch
 * array of ncand entries (LOT_E_ARG when that fails).  LOT_E_ARG also for
 * number 0, count 0, a NULL pointer, or on_panel[i] without used[i];
 * LOT_E_LIST when the list fails lot_check_list or d->candidate_digest is
 * not lot_candidate_digest of it.  short_out may be NULL;
 * when not, it is filled in on LOT_OK too (the numbers before the draw). */
int lot_pick(const struct lot_draw *d, uint32_t number, size_t count, bool *used, bool *on_panel,
	     size_t *picked, struct lot_shortfall *short_out);

/* The building blocks, exposed for the unit tests and the worked example of
 * docs/lottery.md. */
struct lot_stream {
	unsigned char prefix[18 + LOT_SEED_BYTES + 2 * LOT_DIGEST_BYTES + 4];
	uint32_t block;
	unsigned char buf[LOT_DIGEST_BYTES];
	unsigned used; /* bytes of buf consumed */
};
void lot_stream_init(struct lot_stream *s, const struct lot_draw *d, uint32_t number);
uint64_t lot_stream_next(struct lot_stream *s);
/* Uniform in [0, n), n >= 1, by rejection (docs/lottery.md). */
uint64_t lot_uniform(struct lot_stream *s, uint64_t n);

#endif
