#include "rules/lottery.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#include "core/sha256.h"
#include "core/banned.h"

static bool is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

bool lot_name_normalise(const char *name, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return false;
	out[0] = '\0';
	if (!name || !utf8_valid(name, strlen(name)))
		return false;
	const unsigned char *s = (const unsigned char *)name;
	size_t o = 0;
	while (*s) {
		size_t len;
		uint32_t c = (uint32_t)utf8_decode(s, &len);
		if (is_space(c)) {
			s += len;
			continue;
		}
		if (c >= 0xFF01 && c <= 0xFF5E) { /* full-width forms: to ASCII */
			c -= 0xFEE0;
			len = 0; /* written below as one byte */
		}
		if (len == 0 || len == 1) {
			char a = (char)c;
			if (a >= 'a' && a <= 'z')
				a = (char)(a - 'a' + 'A');
			if (o + 1 >= outsz)
				goto too_long;
			out[o++] = a;
			s += len ? len : 3; /* a full-width form is 3 bytes in UTF-8 */
			continue;
		}
		if (o + len >= outsz)
			goto too_long;
		memcpy(out + o, s, len);
		o += len;
		s += len;
	}
	out[o] = '\0';
	return true;
too_long:
	out[0] = '\0';
	return false;
}

bool lot_org_key(const char *uscc, const char *name, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return false;
	out[0] = '\0';
	size_t cap = outsz - 1 < LOT_ORG_KEY_MAX ? outsz - 1 : LOT_ORG_KEY_MAX;
	if (uscc && *uscc) {
		size_t n = strlen(uscc);
		if (2 + n > cap)
			return false;
		/* A credit code is printable ASCII (uscc.c accepts nothing else,
		 * even when the check character is overridden); anything else here
		 * is a caller's mistake, and a TAB or LF would break the list's
		 * serialisation. */
		for (size_t i = 0; i < n; i++) {
			unsigned char b = (unsigned char)uscc[i];
			if (b < 0x21 || b > 0x7E)
				return false;
		}
		memcpy(out, "C:", 2);
		for (size_t i = 0; i < n; i++) {
			char a = uscc[i];
			out[2 + i] = a >= 'a' && a <= 'z' ? (char)(a - 'a' + 'A') : a;
		}
		out[2 + n] = '\0';
		return true;
	}
	if (cap < 3 || !lot_name_normalise(name, out + 2, cap - 2 + 1) || !out[2]) {
		out[0] = '\0';
		return false;
	}
	memcpy(out, "N:", 2);
	return true;
}

/* ---- the list, the digests ---- */

int lot_check_list(const struct lot_candidate *c, size_t n)
{
	if (!c && n > 0)
		return LOT_E_ARG;
	for (size_t i = 0; i < n; i++) {
		const char *k = c[i].org_key;
		if (c[i].expert_id <= 0 || (i > 0 && c[i - 1].expert_id >= c[i].expert_id))
			return LOT_E_LIST;
		/* TAB and LF delimit the serialisation: a key holding one could
		 * make two different lists serialise alike. */
		if (!k || !*k || !utf8_valid(k, strlen(k)) || strchr(k, '\t') || strchr(k, '\n'))
			return LOT_E_LIST;
	}
	return LOT_OK;
}

/* The decimal digits of v > 0, no sign, no leading zero; returns the length. */
static size_t decimal(long long v, char out[24])
{
	char rev[24];
	size_t n = 0, o = 0;
	unsigned long long u = (unsigned long long)v;
	do {
		rev[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		out[o++] = rev[--n];
	return o;
}

void lot_candidate_digest(const struct lot_candidate *c, size_t n,
			  unsigned char out[LOT_DIGEST_BYTES])
{
	struct sha256 st = { 0 };
	sha256_begin(&st);
	for (size_t i = 0; i < n; i++) {
		char id[24];
		size_t len = decimal(c[i].expert_id, id);
		sha256_add(&st, id, len);
		sha256_add(&st, "\t", 1);
		sha256_add(&st, c[i].org_key, strlen(c[i].org_key));
		sha256_add(&st, "\n", 1);
	}
	sha256_end(&st, out);
	sha256_release(&st);
}

void lot_commitment(const unsigned char seed[LOT_SEED_BYTES], unsigned char out[LOT_DIGEST_BYTES])
{
	sha256(out, seed, LOT_SEED_BYTES);
}

void lot_public_digest(const char *value, unsigned char out[LOT_DIGEST_BYTES])
{
	/* Zeros, not SHA-256(""): "no public value" must not look like a
	 * hash of something that could have been entered. */
	if (!value || !*value) {
		memset(out, 0, LOT_DIGEST_BYTES);
		return;
	}
	sha256(out, value, strlen(value));
}

void lot_hex(const unsigned char in[LOT_DIGEST_BYTES], char out[LOT_HEX_LEN + 1])
{
	sodium_bin2hex(out, LOT_HEX_LEN + 1, in, LOT_DIGEST_BYTES); /* lower case, with the NUL */
}

bool lot_unhex(const char *hex, unsigned char out[LOT_DIGEST_BYTES])
{
	unsigned char tmp[LOT_DIGEST_BYTES];
	size_t got = 0;
	const char *end = NULL;
	/* Exactly 64 hex digits: nothing ignored, nothing after them. */
	if (!hex || strlen(hex) != LOT_HEX_LEN ||
	    sodium_hex2bin(tmp, sizeof tmp, hex, LOT_HEX_LEN, NULL, &got, &end) != 0 ||
	    got != LOT_DIGEST_BYTES || *end != '\0')
		return false;
	memcpy(out, tmp, sizeof tmp);
	return true;
}

int lot_check_panel_size(int n)
{
	if (n < LOT_PANEL_MIN || n > LOT_PANEL_MAX)
		return LOT_E_SIZE;
	return n % 2 ? LOT_OK : LOT_E_EVEN;
}

/* ---- the stream ---- */

#define LOT_DOMAIN "biaogan-lottery-v1"
#define LOT_DOMAIN_LEN 18

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

void lot_stream_init(struct lot_stream *s, const struct lot_draw *d, uint32_t number)
{
	_Static_assert(sizeof s->prefix == LOT_DOMAIN_LEN + LOT_SEED_BYTES + 2 * LOT_DIGEST_BYTES + 4,
		       "prefix: domain, seed, two digests, draw number");
	_Static_assert(sizeof LOT_DOMAIN - 1 == LOT_DOMAIN_LEN, "the domain has 18 bytes");
	unsigned char *p = s->prefix;
	memcpy(p, LOT_DOMAIN, LOT_DOMAIN_LEN);
	p += LOT_DOMAIN_LEN;
	memcpy(p, d->seed, LOT_SEED_BYTES);
	p += LOT_SEED_BYTES;
	memcpy(p, d->public_digest, LOT_DIGEST_BYTES);
	p += LOT_DIGEST_BYTES;
	memcpy(p, d->candidate_digest, LOT_DIGEST_BYTES);
	p += LOT_DIGEST_BYTES;
	put_be32(p, number);
	s->block = 0;
	memset(s->buf, 0, sizeof s->buf);
	s->used = sizeof s->buf; /* empty: the first call computes block 0 */
}

uint64_t lot_stream_next(struct lot_stream *s)
{
	if (s->used + 8 > sizeof s->buf) {
		/* Block j = SHA-256(prefix || be32(j)).  j wraps after 2^32
		 * blocks (2^34 numbers): no draw comes near (each number is
		 * rejected with probability below 1/2). */
		unsigned char block[sizeof s->prefix + 4];
		memcpy(block, s->prefix, sizeof s->prefix);
		put_be32(block + sizeof s->prefix, s->block++);
		sha256(s->buf, block, sizeof block);
		s->used = 0;
	}
	uint64_t u = 0;
	for (unsigned k = 0; k < 8; k++)
		u = u << 8 | s->buf[s->used + k];
	s->used += 8;
	return u;
}

uint64_t lot_uniform(struct lot_stream *s, uint64_t n)
{
	if (n == 0)
		return 0; /* a caller's mistake; consume nothing */
	/* rem = 2^64 mod n.  The numbers below 2^64 - rem fall evenly on the
	 * n residues; the top rem ones would favour the small residues and are
	 * rejected.  When rem is 0, 2^64 - rem does not fit in 64 bits and
	 * every number is accepted. */
	uint64_t rem = (0 - n) % n;
	uint64_t u = lot_stream_next(s);
	if (rem != 0) {
		uint64_t limit = 0 - rem; /* 2^64 - rem */
		while (u >= limit)
			u = lot_stream_next(s);
	}
	return u % n;
}

/* ---- the pick ---- */

/* lot_pick's scratch, one entry per candidate.  The fields are used at
 * three different indexes: key/idx are the candidates sorted by key, org is
 * candidate i's organisation number (at i), panel/avail are organisation
 * g's counts (at g < number of organisations <= ncand). */
struct lot_scratch {
	const char *key;
	size_t idx;
	size_t org;
	size_t panel;
	size_t avail;
};

static int by_key(const void *a, const void *b)
{
	const struct lot_scratch *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int lot_pick(const struct lot_draw *d, uint32_t number, size_t count, bool *used, bool *on_panel,
	     size_t *picked, struct lot_shortfall *short_out)
{
	if (!d || !d->seed || !d->public_digest || !d->candidate_digest || (!d->cand && d->ncand) ||
	    number == 0 || count == 0 || !picked || (d->ncand && (!used || !on_panel)))
		return LOT_E_ARG;
	int rc = lot_check_list(d->cand, d->ncand);
	if (rc != LOT_OK)
		return rc;
	/* A digest of another list would make the draw unverifiable: the
	 * record would show one list and the stream depend on another. */
	unsigned char digest[LOT_DIGEST_BYTES];
	lot_candidate_digest(d->cand, d->ncand, digest);
	if (memcmp(digest, d->candidate_digest, sizeof digest) != 0)
		return LOT_E_LIST;
	size_t n = d->ncand;
	for (size_t i = 0; i < n; i++)
		if (on_panel[i] && !used[i])
			return LOT_E_ARG; /* on the panel without having been drawn */

	/* Organisation numbers: sort once by key, number the runs. */
	struct lot_scratch *sc = NULL;
	if (n > 0) {
		sc = calloc(n, sizeof *sc);
		if (!sc)
			return LOT_E_ARG;
	}
	for (size_t i = 0; i < n; i++) {
		sc[i].key = d->cand[i].org_key;
		sc[i].idx = i;
	}
	if (n > 1)
		qsort(sc, n, sizeof *sc, by_key);
	size_t norg = 0;
	for (size_t k = 0; k < n; k++) {
		if (k == 0 || strcmp(sc[k - 1].key, sc[k].key) != 0)
			norg++;
		sc[sc[k].idx].org = norg - 1;
	}
	size_t available = 0;
	for (size_t i = 0; i < n; i++) {
		struct lot_scratch *g = &sc[sc[i].org];
		if (on_panel[i])
			g->panel++;
		if (!used[i]) {
			g->avail++;
			available++;
		}
	}
	size_t capacity = 0;
	for (size_t g = 0; g < norg; g++) {
		size_t room = sc[g].panel < LOT_ORG_CAP ? LOT_ORG_CAP - sc[g].panel : 0;
		capacity += room < sc[g].avail ? room : sc[g].avail;
	}
	if (short_out) {
		short_out->needed = count;
		short_out->available = available;
		short_out->capacity = capacity;
	}
	if (capacity < count) {
		free(sc);
		return LOT_E_SHORT;
	}

	/* Each pick lowers the capacity by exactly one (docs/lottery.md), so
	 * every pick below finds at least one eligible candidate. */
	struct lot_stream st;
	lot_stream_init(&st, d, number);
	for (size_t k = 0; k < count; k++) {
		size_t neligible = 0;
		for (size_t i = 0; i < n; i++)
			if (!used[i] && sc[sc[i].org].panel < LOT_ORG_CAP)
				neligible++;
		if (neligible == 0)
			abort(); /* cannot happen: capacity >= count - k >= 1 */
		uint64_t r = lot_uniform(&st, neligible);
		size_t i = 0;
		for (;; i++)
			if (!used[i] && sc[sc[i].org].panel < LOT_ORG_CAP && r-- == 0)
				break;
		used[i] = on_panel[i] = true;
		sc[sc[i].org].panel++;
		picked[k] = i;
	}
	sodium_memzero(&st, sizeof st); /* the stream holds the seed */
	free(sc);
	return LOT_OK;
}
