/* Unit tests for src/rules/lottery.c: the expert draw of docs/lottery.md.
 *
 * Every expected hash and number below was computed independently with
 * Python's hashlib from the text of docs/lottery.md, not by this code.  The
 * worked example of the page is tests/data/lottery-example.json (found
 * through BIAOGAN_SRCDIR) and is replayed here; the page must show its
 * digests.  The statistics use fixed seeds, so they cannot flake: each one
 * asserts both a bound and the exact value the reference computed. */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/lottery.h"

#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const unsigned char seed0[LOT_SEED_BYTES] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
	0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static const unsigned char zeros[LOT_DIGEST_BYTES];

static void hex_is(const unsigned char d[LOT_DIGEST_BYTES], const char *want)
{
	char h[LOT_HEX_LEN + 1];
	lot_hex(d, h);
	ck_assert_str_eq(h, want);
}

/* A session of the tests: the list, its digest and the draw inputs. */
struct pool {
	struct lot_candidate c[64];
	char keys[64][16];
	size_t n;
	unsigned char seed[LOT_SEED_BYTES];
	unsigned char pd[LOT_DIGEST_BYTES];
	unsigned char cd[LOT_DIGEST_BYTES];
	struct lot_draw d;
	bool used[64], on_panel[64];
};

/* Candidates 1..n; org[i] names candidate i+1's organisation ("N:<org>"). */
static void pool_init(struct pool *p, size_t n, const char *const *org, const unsigned char *seed)
{
	memset(p, 0, sizeof *p);
	ck_assert_uint_le(n, N(p->c));
	for (size_t i = 0; i < n; i++) {
		snprintf(p->keys[i], sizeof p->keys[i], "N:%s", org[i]);
		p->c[i].expert_id = (long long)i + 1;
		p->c[i].org_key = p->keys[i];
	}
	p->n = n;
	memcpy(p->seed, seed, LOT_SEED_BYTES);
	lot_candidate_digest(p->c, n, p->cd);
	p->d = (struct lot_draw){ p->seed, p->pd, p->cd, p->c, n };
}

/* seed_i = SHA-256(be32(i)): the fixed seeds of the statistics. */
static void seed_of(uint32_t i, unsigned char out[LOT_SEED_BYTES])
{
	unsigned char b[4] = { (unsigned char)(i >> 24), (unsigned char)(i >> 16),
			       (unsigned char)(i >> 8), (unsigned char)i };
	crypto_hash_sha256(out, b, sizeof b);
}

static size_t on_panel_of(const struct pool *p, const char *key)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->on_panel[i] && strcmp(p->c[i].org_key, key) == 0)
			k++;
	return k;
}

/* ---- digests, commitment, hex ---- */

START_TEST(known_digests)
{
	unsigned char d[LOT_DIGEST_BYTES];
	static char k2[] = "C:91350100M000100Y43", k3[] = "N:北疆";
	const struct lot_candidate list[] = { { 1, "N:A" }, { 20, k2 }, { 300, k3 } };

	/* "1\tN:A\n20\tC:91350100M000100Y43\n300\tN:北疆\n" */
	lot_candidate_digest(list, 3, d);
	hex_is(d, "89f53346aa40c2d4c13338b79dbde09ff21b2983c0c72a900b4cf65328c96e25");
	lot_candidate_digest(list, 0, d);
	hex_is(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	lot_candidate_digest(NULL, 0, d);
	hex_is(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	lot_commitment(seed0, d);
	hex_is(d, "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");

	lot_public_digest("abc", d);
	hex_is(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	lot_public_digest("2026-12-03 福彩3D 第2026318期 开奖号码 4 7 1", d);
	hex_is(d, "351c400223b56becf7240976f88cb5e47b0ebbe57486b239c0f062f4448ab957");
	memset(d, 0xAA, sizeof d);
	lot_public_digest(NULL, d);
	ck_assert_mem_eq(d, zeros, sizeof d);
	memset(d, 0xAA, sizeof d);
	lot_public_digest("", d);
	ck_assert_mem_eq(d, zeros, sizeof d);
}
END_TEST

START_TEST(hex_round_trip)
{
	unsigned char d[LOT_DIGEST_BYTES], back[LOT_DIGEST_BYTES];
	char h[LOT_HEX_LEN + 1], bad[LOT_HEX_LEN + 2];
	for (int i = 0; i < LOT_DIGEST_BYTES; i++)
		d[i] = (unsigned char)(i * 37 + 0xF0);
	lot_hex(d, h);
	ck_assert_uint_eq(strlen(h), LOT_HEX_LEN);
	for (int i = 0; i < LOT_HEX_LEN; i++)
		ck_assert(strchr("0123456789abcdef", h[i]));
	ck_assert(lot_unhex(h, back));
	ck_assert_mem_eq(back, d, sizeof d);

	/* Either case in; lower case out. */
	for (int i = 0; i < LOT_HEX_LEN; i++)
		bad[i] = h[i] >= 'a' ? (char)(h[i] - 'a' + 'A') : h[i];
	bad[LOT_HEX_LEN] = '\0';
	memset(back, 0, sizeof back);
	ck_assert(lot_unhex(bad, back));
	ck_assert_mem_eq(back, d, sizeof d);

	/* Anything else is refused and out is left alone. */
	unsigned char keep[LOT_DIGEST_BYTES];
	memset(back, 0x55, sizeof back);
	memcpy(keep, back, sizeof back);
	ck_assert(!lot_unhex(NULL, back));
	ck_assert(!lot_unhex("", back));
	ck_assert(!lot_unhex("abc", back));
	memcpy(bad, h, LOT_HEX_LEN);
	bad[LOT_HEX_LEN - 1] = '\0'; /* 63 digits */
	ck_assert(!lot_unhex(bad, back));
	bad[LOT_HEX_LEN - 1] = h[LOT_HEX_LEN - 1];
	bad[LOT_HEX_LEN] = '0'; /* 65 digits */
	bad[LOT_HEX_LEN + 1] = '\0';
	ck_assert(!lot_unhex(bad, back));
	bad[LOT_HEX_LEN] = '\n';
	ck_assert(!lot_unhex(bad, back));
	bad[LOT_HEX_LEN] = '\0';
	bad[10] = 'g';
	ck_assert(!lot_unhex(bad, back));
	bad[10] = ' ';
	ck_assert(!lot_unhex(bad, back));
	ck_assert_mem_eq(back, keep, sizeof back);
}
END_TEST

/* ---- the stream and the uniform numbers ---- */

static void empty_draw(struct lot_draw *d, unsigned char cd[LOT_DIGEST_BYTES])
{
	lot_candidate_digest(NULL, 0, cd);
	*d = (struct lot_draw){ seed0, zeros, cd, NULL, 0 };
}

START_TEST(stream_known_answers)
{
	unsigned char cd[LOT_DIGEST_BYTES];
	struct lot_draw d;
	struct lot_stream s;
	/* Seed 00..1f, no public value, the empty list, draw 1: blocks 0 and 1. */
	static const uint64_t want[6] = {
		0x6e170890675fd96cULL, 0x6142e2adcce8a0a5ULL, 0x3b4f12f9d06e70bdULL,
		0x68eba0aa38c98f46ULL, 0x4452eed535e61bd1ULL, 0x9a0b255baab5d059ULL,
	};
	empty_draw(&d, cd);
	lot_stream_init(&s, &d, 1);
	ck_assert_mem_eq(s.prefix, "biaogan-lottery-v1", 18);
	ck_assert_mem_eq(s.prefix + 18, seed0, 32);
	ck_assert_mem_eq(s.prefix + 50, zeros, 32);
	ck_assert_mem_eq(s.prefix + 82, cd, 32);
	ck_assert_mem_eq(s.prefix + 114, "\0\0\0\1", 4);
	for (int k = 0; k < 6; k++)
		ck_assert_msg(lot_stream_next(&s) == want[k], "number %d", k);
	ck_assert_uint_eq(s.block, 2);
	ck_assert_uint_eq(s.used, 16);

	/* The draw number is big-endian in the prefix. */
	lot_stream_init(&s, &d, 0xFFFFFFFFu);
	ck_assert_mem_eq(s.prefix + 114, "\xff\xff\xff\xff", 4);
	ck_assert(lot_stream_next(&s) == 0x89e014230b38bb14ULL);

	/* Block 0's digest, read back as four big-endian numbers. */
	unsigned char pre[sizeof s.prefix + 4], blk[32];
	lot_stream_init(&s, &d, 1);
	memcpy(pre, s.prefix, sizeof s.prefix);
	memset(pre + sizeof s.prefix, 0, 4);
	crypto_hash_sha256(blk, pre, sizeof pre);
	for (int k = 0; k < 4; k++) {
		uint64_t u = 0;
		for (int b = 0; b < 8; b++)
			u = u << 8 | blk[8 * k + b];
		ck_assert(lot_stream_next(&s) == u);
	}
}
END_TEST

/* A stream whose next four numbers are these (the rest comes from block 0
 * of draw 1 of empty_draw). */
static void mock(struct lot_stream *s, const uint64_t v[4])
{
	for (int k = 0; k < 4; k++)
		for (int b = 0; b < 8; b++)
			s->buf[8 * k + b] = (unsigned char)(v[k] >> (56 - 8 * b));
	s->used = 0;
}

START_TEST(uniform_rejection)
{
	unsigned char cd[LOT_DIGEST_BYTES];
	struct lot_draw d;
	struct lot_stream s;
	const uint64_t half = 1ULL << 63;
	empty_draw(&d, cd);

	/* n = 2^63 + 1: 2^64 mod n = 2^63 - 1, so u >= 2^63 + 1 is rejected:
	 * the largest number, the limit itself, then 2^63 is taken. */
	lot_stream_init(&s, &d, 1);
	mock(&s, (const uint64_t[4]){ UINT64_MAX, half + 1, half, 7 });
	ck_assert(lot_uniform(&s, half + 1) == half);
	ck_assert_uint_eq(s.used, 24);
	ck_assert(lot_uniform(&s, half + 1) == 7);
	/* The mock is used up: the stream goes on with its block 0. */
	ck_assert(lot_stream_next(&s) == 0x6e170890675fd96cULL);

	/* One below the limit is accepted: 2^63 mod (2^63 + 1) = 2^63. */
	lot_stream_init(&s, &d, 1);
	mock(&s, (const uint64_t[4]){ half, 0, 0, 0 });
	ck_assert(lot_uniform(&s, half + 1) == half);
	ck_assert_uint_eq(s.used, 8);

	/* n = UINT64_MAX: rem = 1, only UINT64_MAX is rejected. */
	lot_stream_init(&s, &d, 1);
	mock(&s, (const uint64_t[4]){ UINT64_MAX, UINT64_MAX, UINT64_MAX - 1, 5 });
	ck_assert(lot_uniform(&s, UINT64_MAX) == UINT64_MAX - 1);
	ck_assert_uint_eq(s.used, 24);

	/* Powers of two (and 1): rem = 0, every number is accepted (the limit
	 * 2^64 does not fit: no overflow to 0 that would reject everything). */
	lot_stream_init(&s, &d, 1);
	mock(&s, (const uint64_t[4]){ UINT64_MAX, UINT64_MAX, UINT64_MAX, 12345 });
	ck_assert(lot_uniform(&s, half) == half - 1);
	ck_assert(lot_uniform(&s, 8) == 7);
	ck_assert(lot_uniform(&s, 1) == 0);
	ck_assert_uint_eq(s.used, 24);

	/* n = 3: rem = 1, limit 2^64 - 1: UINT64_MAX (= 0 mod 3) is rejected. */
	lot_stream_init(&s, &d, 1);
	mock(&s, (const uint64_t[4]){ UINT64_MAX, UINT64_MAX - 1, 0, 0 });
	ck_assert(lot_uniform(&s, 3) == (UINT64_MAX - 1) % 3);
	ck_assert_uint_eq(s.used, 16);
}
END_TEST

START_TEST(uniform_known_answers)
{
	unsigned char cd[LOT_DIGEST_BYTES];
	struct lot_draw d;
	struct lot_stream s;
	empty_draw(&d, cd);

	/* The real stream with n = 2^63 + 1, where about half the numbers are
	 * rejected: 10 results use 19 numbers (block 4 has one left). */
	static const uint64_t want[10] = {
		0x6e170890675fd96cULL, 0x6142e2adcce8a0a5ULL, 0x3b4f12f9d06e70bdULL,
		0x68eba0aa38c98f46ULL, 0x4452eed535e61bd1ULL, 0x44010af5da54e111ULL,
		0x251c96d4227e1e55ULL, 0x1df2bc9b81bfea52ULL, 0x1ad4c796b33536c7ULL,
		0x4fa855ab2a5e71d1ULL,
	};
	lot_stream_init(&s, &d, 1);
	for (int k = 0; k < 10; k++)
		ck_assert_msg(lot_uniform(&s, (1ULL << 63) + 1) == want[k], "result %d", k);
	ck_assert_uint_eq(s.block, 5);
	ck_assert_uint_eq(s.used, 24);

	static const uint64_t seven[10] = { 0, 5, 4, 0, 6, 5, 0, 2, 4, 3 };
	lot_stream_init(&s, &d, 1);
	for (int k = 0; k < 10; k++)
		ck_assert(lot_uniform(&s, 7) == seven[k]);
}
END_TEST

/* ---- names and organisation keys ---- */

struct norm {
	const char *in;
	const char *out; /* NULL: refused */
};

static const struct norm norms[] = {
	{ "", "" },
	{ "abc", "ABC" },
	{ "xyz AZ", "XYZAZ" },
	{ "@`[{", "@`[{" }, /* the neighbours of a-z and A-Z stay */
	{ "Harbin Institute of Technology", "HARBININSTITUTEOFTECHNOLOGY" },
	/* Full-width forms to ASCII, then upper case. */
	{ "ＡＢＣ有限公司", "ABC有限公司" },
	{ "ａｂｃｚ", "ABCZ" },
	{ "１２３", "123" },
	{ "松花江装备制造（集团）有限公司", "松花江装备制造(集团)有限公司" },
	{ "松花江装备制造 (集团) 有限公司", "松花江装备制造(集团)有限公司" },
	{ "！～", "!~" },
	/* Every white space goes: ideographic space, NBSP, tabs, line
	 * breaks, NEL, the U+2000 range, zero-width space, BOM, ... */
	{ "黑龙江\u3000省", "黑龙江省" },
	{ "\u3000\u3000龙江工业大学\u3000", "龙江工业大学" },
	{ " \t\n\v\f\r北疆", "北疆" },
	{ "a\u00a0b\xc2\x85" "c", "ABC" }, /* U+0085 (no \u below U+00A0 in C) */
	{ "a\u1680b\u2000c\u2005d\u200ae\u200bf", "ABCDEF" },
	{ "a\u2028b\u2029c\u202fd\u205fe\ufefff", "ABCDEF" },
	/* Nothing else changes: these stay different organisations. */
	{ "有限责任公司", "有限责任公司" },
	{ "\u200c\u200d\u2060", "\u200c\u200d\u2060" }, /* not white space */
	{ "\uff5f\uff00\uff61", "\uff5f\uff00\uff61" }, /* just outside FF01-FF5E */
	{ "ß é Ä", "ßéÄ" },                             /* no case outside ASCII */
	{ "\U0001F600", "\U0001F600" },
	/* Invalid UTF-8 is refused. */
	{ "\x80", NULL },
	{ "abc\xc0\x80", NULL },       /* overlong NUL */
	{ "\xed\xa0\x80", NULL },      /* surrogate */
	{ "\xe4\xb8", NULL },          /* truncated */
	{ "\xf4\x90\x80\x80", NULL },  /* above U+10FFFF */
	{ "\xff", NULL },
};

/* One test over the table (a loop test forks once per row, which costs
 * seconds under the sanitizers); the message names the row. */
START_TEST(normalise)
{
	for (int i = 0; i < N(norms); i++) {
		const struct norm *t = &norms[i];
		char out[256], again[256];
		memset(out, 'x', sizeof out);
		bool ok = lot_name_normalise(t->in, out, sizeof out);
		if (!t->out) {
			ck_assert_msg(!ok, "row %d accepted", i);
			ck_assert_str_eq(out, "");
			continue;
		}
		ck_assert_msg(ok, "row %d refused", i);
		ck_assert_msg(strcmp(out, t->out) == 0, "row %d: \"%s\", not \"%s\"", i, out, t->out);
		/* Idempotent. */
		ck_assert(lot_name_normalise(out, again, sizeof again));
		ck_assert_msg(strcmp(again, out) == 0, "row %d not idempotent", i);
		/* Exactly enough room, and one byte less. */
		size_t len = strlen(t->out);
		ck_assert_msg(lot_name_normalise(t->in, again, len + 1), "row %d: no fit", i);
		ck_assert_str_eq(again, t->out);
		if (len > 0) {
			ck_assert_msg(!lot_name_normalise(t->in, again, len), "row %d: cut", i);
			ck_assert_str_eq(again, "");
		}
	}
}
END_TEST

START_TEST(normalise_arguments)
{
	char out[8] = "x";
	ck_assert(!lot_name_normalise(NULL, out, sizeof out));
	ck_assert_str_eq(out, "");
	ck_assert(!lot_name_normalise("a", NULL, 8));
	out[0] = 'x';
	ck_assert(!lot_name_normalise("a", out, 0));
	ck_assert_int_eq(out[0], 'x'); /* size 0: nothing written */
	ck_assert(lot_name_normalise("", out, 1));
	ck_assert(!lot_name_normalise("a", out, 1));
}
END_TEST

/* Two spellings of one organisation, as the recusal and the cap see it. */
START_TEST(recusal_spellings)
{
	static const char *const same[][2] = {
		{ "松花江装备制造（集团）有限公司", "松花江装备制造(集团)有限公司" },
		{ "松花江装备制造（集团）有限公司", " 松花江装备制造 （集团） 有限公司\u3000" },
		{ "ＡＢＣ科技有限公司", "abc科技有限公司" },
		{ "龙江工业大学", "龙江\u00a0工业\u200b大学\ufeff" },
		{ "Heilongjiang Academy", "HEILONGJIANGACADEMY" },
	};
	static const char *const differ[][2] = {
		{ "龙江工业大学", "龍江工業大學" },
		{ "冰城检验检测有限公司", "冰城检验检测有限责任公司" },
		{ "北疆标准化研究院", "北疆标准化研究院分院" },
	};
	char a[LOT_ORG_KEY_MAX + 1], b[LOT_ORG_KEY_MAX + 1];
	for (int i = 0; i < N(same); i++) {
		ck_assert(lot_org_key(NULL, same[i][0], a, sizeof a));
		ck_assert(lot_org_key("", same[i][1], b, sizeof b));
		ck_assert_msg(strcmp(a, b) == 0, "%s / %s", a, b);
		ck_assert(strncmp(a, "N:", 2) == 0);
	}
	for (int i = 0; i < N(differ); i++) {
		ck_assert(lot_org_key(NULL, differ[i][0], a, sizeof a));
		ck_assert(lot_org_key(NULL, differ[i][1], b, sizeof b));
		ck_assert_str_ne(a, b);
	}
	/* The credit code wins over the name, and is upper-cased. */
	ck_assert(lot_org_key("12230000mb0a12345c", "龙江工业大学", a, sizeof a));
	ck_assert_str_eq(a, "C:12230000MB0A12345C");
	ck_assert(lot_org_key("12230000MB0A12345C", "另一个名称", b, sizeof b));
	ck_assert_str_eq(a, b);
	/* A code and a name never meet: "C:" and "N:" keys differ. */
	ck_assert(lot_org_key(NULL, "12230000MB0A12345C", b, sizeof b));
	ck_assert_str_eq(b, "N:12230000MB0A12345C");
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(org_key_limits)
{
	char out[LOT_ORG_KEY_MAX + 16], name[LOT_ORG_KEY_MAX + 16];

	/* A name of LOT_ORG_KEY_MAX - 2 bytes fits exactly, one more does not. */
	memset(name, 'a', LOT_ORG_KEY_MAX - 2);
	name[LOT_ORG_KEY_MAX - 2] = '\0';
	ck_assert(lot_org_key(NULL, name, out, sizeof out));
	ck_assert_uint_eq(strlen(out), LOT_ORG_KEY_MAX);
	ck_assert(lot_org_key(NULL, name, out, LOT_ORG_KEY_MAX + 1));
	ck_assert(!lot_org_key(NULL, name, out, LOT_ORG_KEY_MAX));
	ck_assert_str_eq(out, "");
	name[LOT_ORG_KEY_MAX - 2] = 'a';
	name[LOT_ORG_KEY_MAX - 1] = '\0';
	ck_assert(!lot_org_key(NULL, name, out, sizeof out));
	ck_assert_str_eq(out, "");
	/* White space does not count: it is dropped first. */
	name[0] = ' ';
	ck_assert(lot_org_key(NULL, name, out, sizeof out));
	/* A multi-byte character is never cut: "N:", 396 letters and a
	 * 3-byte character are 401 bytes, refused whole. */
	memset(name, 'a', LOT_ORG_KEY_MAX - 4);
	memcpy(name + LOT_ORG_KEY_MAX - 4, "省", 4); /* 3 bytes and the NUL */
	ck_assert(!lot_org_key(NULL, name, out, sizeof out));
	ck_assert_str_eq(out, "");
	memcpy(name + LOT_ORG_KEY_MAX - 5, "省", 4);
	ck_assert(lot_org_key(NULL, name, out, sizeof out));
	ck_assert_uint_eq(strlen(out), LOT_ORG_KEY_MAX);

	/* A code too long for the buffer. */
	ck_assert(!lot_org_key("12230000MB0A12345C", NULL, out, 20));
	ck_assert(lot_org_key("12230000MB0A12345C", NULL, out, 21));

	/* Refusals: nothing usable. */
	static const char *const bad_names[] = { NULL, "", " ", "\u3000\t\ufeff", "\xff" };
	for (int i = 0; i < N(bad_names); i++) {
		out[0] = 'x';
		ck_assert(!lot_org_key(NULL, bad_names[i], out, sizeof out));
		ck_assert_str_eq(out, "");
		ck_assert(!lot_org_key("", bad_names[i], out, sizeof out));
	}
	/* A code must be printable ASCII: no blank, no TAB/LF, no UTF-8. */
	static const char *const bad_codes[] = { " ", "1223 0000", "1223\t", "12\n", "９１", "\x7f" };
	for (int i = 0; i < N(bad_codes); i++) {
		out[0] = 'x';
		ck_assert_msg(!lot_org_key(bad_codes[i], "名称", out, sizeof out), "%d", i);
		ck_assert_str_eq(out, "");
	}
	ck_assert(!lot_org_key("x", "y", NULL, 10));
	ck_assert(!lot_org_key("x", "y", out, 0));
	ck_assert(!lot_org_key(NULL, "y", out, 3)); /* "N:" and no room */
	ck_assert(lot_org_key(NULL, "y", out, 4));
	ck_assert_str_eq(out, "N:Y");
}
END_TEST

/* ---- the list ---- */

START_TEST(list_checks)
{
	static char tab[] = "N:A\tB", lf[] = "N:A\nB", bad[] = "N:\xff", empty[] = "";
	struct lot_candidate c[3] = { { 1, "N:A" }, { 2, "N:B" }, { 3, "N:C" } };
	ck_assert_int_eq(lot_check_list(c, 3), LOT_OK);
	ck_assert_int_eq(lot_check_list(c, 0), LOT_OK);
	ck_assert_int_eq(lot_check_list(NULL, 0), LOT_OK);
	ck_assert_int_eq(lot_check_list(NULL, 1), LOT_E_ARG);

	struct lot_candidate x[3];
	static const long long ids[][3] = {
		{ 0, 2, 3 }, { -1, 2, 3 }, { 1, 1, 3 }, { 1, 3, 2 }, { 3, 2, 1 }, { 1, 2, 2 },
	};
	for (int k = 0; k < N(ids); k++) {
		memcpy(x, c, sizeof c);
		for (int i = 0; i < 3; i++)
			x[i].expert_id = ids[k][i];
		ck_assert_msg(lot_check_list(x, 3) == LOT_E_LIST, "ids %d", k);
	}
	const char *keys[] = { NULL, empty, tab, lf, bad };
	for (int k = 0; k < N(keys); k++) {
		memcpy(x, c, sizeof c);
		x[2].org_key = keys[k];
		ck_assert_msg(lot_check_list(x, 3) == LOT_E_LIST, "key %d", k);
		ck_assert_int_eq(lot_check_list(x, 2), LOT_OK); /* only the bad one counts */
	}
	/* Large ids serialise in full. */
	struct lot_candidate big[2] = { { 9, "N:A" }, { 9223372036854775807LL, "N:B" } };
	unsigned char d[LOT_DIGEST_BYTES];
	ck_assert_int_eq(lot_check_list(big, 2), LOT_OK);
	lot_candidate_digest(big, 2, d);
	unsigned char want[LOT_DIGEST_BYTES];
	const char text[] = "9\tN:A\n9223372036854775807\tN:B\n";
	crypto_hash_sha256(want, (const unsigned char *)text, sizeof text - 1);
	ck_assert_mem_eq(d, want, sizeof d);
}
END_TEST

START_TEST(panel_sizes)
{
	for (int n = -3; n <= 30; n++) {
		int want = n < 3 || n > 25 ? LOT_E_SIZE : n % 2 ? LOT_OK : LOT_E_EVEN;
		ck_assert_msg(lot_check_panel_size(n) == want, "%d", n);
	}
	ck_assert_int_eq(lot_check_panel_size(3), LOT_OK);
	ck_assert_int_eq(lot_check_panel_size(25), LOT_OK);
	ck_assert_int_eq(lot_check_panel_size(4), LOT_E_EVEN);
	ck_assert_int_eq(lot_check_panel_size(24), LOT_E_EVEN);
	ck_assert_int_eq(lot_check_panel_size(2), LOT_E_SIZE);
	ck_assert_int_eq(lot_check_panel_size(26), LOT_E_SIZE);
	ck_assert_int_eq(lot_check_panel_size(27), LOT_E_SIZE);
	ck_assert_int_eq(lot_check_panel_size(-2147483647 - 1), LOT_E_SIZE);
	ck_assert_int_eq(lot_check_panel_size(2147483647), LOT_E_SIZE);
}
END_TEST

/* ---- the pick ---- */

START_TEST(pick_arguments)
{
	static const char *const org[] = { "A", "B", "C", "D" };
	struct pool p;
	size_t picked[4] = { 99, 99, 99, 99 };
	struct lot_draw d;
	pool_init(&p, 4, org, seed0);

	ck_assert_int_eq(lot_pick(NULL, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	ck_assert_int_eq(lot_pick(&p.d, 0, 1, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	ck_assert_int_eq(lot_pick(&p.d, 1, 0, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	ck_assert_int_eq(lot_pick(&p.d, 1, 1, NULL, p.on_panel, picked, NULL), LOT_E_ARG);
	ck_assert_int_eq(lot_pick(&p.d, 1, 1, p.used, NULL, picked, NULL), LOT_E_ARG);
	ck_assert_int_eq(lot_pick(&p.d, 1, 1, p.used, p.on_panel, NULL, NULL), LOT_E_ARG);
	d = p.d;
	d.seed = NULL;
	ck_assert_int_eq(lot_pick(&d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	d = p.d;
	d.public_digest = NULL;
	ck_assert_int_eq(lot_pick(&d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	d = p.d;
	d.candidate_digest = NULL;
	ck_assert_int_eq(lot_pick(&d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	d = p.d;
	d.cand = NULL;
	ck_assert_int_eq(lot_pick(&d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	/* On the panel without being used: an inconsistent record. */
	p.on_panel[2] = true;
	ck_assert_int_eq(lot_pick(&p.d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_ARG);
	p.on_panel[2] = false;

	/* A list out of order, or a digest of another list. */
	p.c[1].expert_id = 7;
	ck_assert_int_eq(lot_pick(&p.d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_LIST);
	p.c[1].expert_id = 2;
	p.cd[0] ^= 1;
	ck_assert_int_eq(lot_pick(&p.d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_LIST);
	p.cd[0] ^= 1;
	p.c[3].org_key = "N:A";
	ck_assert_int_eq(lot_pick(&p.d, 1, 1, p.used, p.on_panel, picked, NULL), LOT_E_LIST);
	p.c[3].org_key = p.keys[3];

	/* Nothing changed by any of these. */
	for (int i = 0; i < 4; i++) {
		ck_assert(!p.used[i] && !p.on_panel[i]);
		ck_assert_uint_eq(picked[i], 99);
	}
	ck_assert_int_eq(lot_pick(&p.d, 1, 3, p.used, p.on_panel, picked, NULL), LOT_OK);
}
END_TEST

/* Too few: the exact numbers, and nothing touched. */
START_TEST(pick_short)
{
	/* Two organisations of 3: capacity 4 < 5. */
	static const char *const org[] = { "A", "A", "A", "B", "B", "B" };
	struct pool p;
	struct lot_shortfall sh;
	size_t picked[8] = { 77, 77, 77, 77, 77, 77, 77, 77 };
	pool_init(&p, 6, org, seed0);
	ck_assert_int_eq(lot_pick(&p.d, 1, 5, p.used, p.on_panel, picked, &sh), LOT_E_SHORT);
	ck_assert_uint_eq(sh.needed, 5);
	ck_assert_uint_eq(sh.available, 6);
	ck_assert_uint_eq(sh.capacity, 4);
	for (int i = 0; i < 6; i++)
		ck_assert(!p.used[i] && !p.on_panel[i] && picked[i] == 77);
	ck_assert_int_eq(lot_pick(&p.d, 1, 5, p.used, p.on_panel, picked, NULL), LOT_E_SHORT);
	/* 4 it can do: two of each. */
	ck_assert_int_eq(lot_pick(&p.d, 1, 4, p.used, p.on_panel, picked, &sh), LOT_OK);
	ck_assert_uint_eq(sh.capacity, 4);
	ck_assert_uint_eq(on_panel_of(&p, "N:A"), 2);
	ck_assert_uint_eq(on_panel_of(&p, "N:B"), 2);
	ck_assert_uint_eq(picked[4], 77);
	/* Now the two left are both capped out: available 2, capacity 0. */
	ck_assert_int_eq(lot_pick(&p.d, 2, 1, p.used, p.on_panel, picked, &sh), LOT_E_SHORT);
	ck_assert_uint_eq(sh.needed, 1);
	ck_assert_uint_eq(sh.available, 2);
	ck_assert_uint_eq(sh.capacity, 0);

	/* More than the list: the empty list, and a count past ncand. */
	struct pool q;
	pool_init(&q, 0, org, seed0);
	ck_assert_int_eq(lot_pick(&q.d, 1, 5, q.used, q.on_panel, picked, &sh), LOT_E_SHORT);
	ck_assert_uint_eq(sh.needed, 5);
	ck_assert_uint_eq(sh.available, 0);
	ck_assert_uint_eq(sh.capacity, 0);
	static const char *const distinct[] = { "A", "B", "C" };
	pool_init(&q, 3, distinct, seed0);
	ck_assert_int_eq(lot_pick(&q.d, 1, 5, q.used, q.on_panel, picked, &sh), LOT_E_SHORT);
	ck_assert_uint_eq(sh.available, 3);
	ck_assert_uint_eq(sh.capacity, 3);

	/* An organisation already over the cap (a record from before a
	 * rule change, say) is floored at 0, not negative. */
	static const char *const three[] = { "A", "A", "A", "A", "B" };
	pool_init(&q, 5, three, seed0);
	for (int i = 0; i < 3; i++)
		q.used[i] = q.on_panel[i] = true;
	ck_assert_int_eq(lot_pick(&q.d, 2, 2, q.used, q.on_panel, picked, &sh), LOT_E_SHORT);
	ck_assert_uint_eq(sh.available, 2);
	ck_assert_uint_eq(sh.capacity, 1);
	ck_assert_int_eq(lot_pick(&q.d, 2, 1, q.used, q.on_panel, picked, &sh), LOT_OK);
	ck_assert_uint_eq(picked[0], 4);
}
END_TEST

/* A session: the panel, then replacements one by one until the pool runs
 * out; the cap holds after every draw, the excused stay out, and the
 * refusal's numbers are right. */
START_TEST(cap_through_replacements)
{
	/* 14 candidates in 5 organisations (sizes 5, 4, 3, 1, 1), mixed up. */
	static const char *const org[] = { "A", "B", "A", "C", "A", "B", "D",
					   "A", "C", "B", "A", "E", "C", "B" };
	const size_t n = 14, size = 7;
	for (uint32_t sidx = 0; sidx < 200; sidx++) {
		unsigned char seed[LOT_SEED_BYTES];
		struct pool p;
		size_t picked[16], panel[16], npanel = 0;
		struct lot_shortfall sh;
		seed_of(sidx, seed);
		pool_init(&p, n, org, seed);
		ck_assert_int_eq(lot_pick(&p.d, 1, size, p.used, p.on_panel, picked, &sh), LOT_OK);
		for (size_t k = 0; k < size; k++)
			panel[npanel++] = picked[k];
		uint32_t number = 2;
		for (;;) {
			for (size_t i = 0; i < n; i++)
				ck_assert_uint_le(on_panel_of(&p, p.c[i].org_key), LOT_ORG_CAP);
			size_t onp = 0;
			for (size_t i = 0; i < n; i++)
				onp += p.on_panel[i];
			ck_assert_uint_eq(onp, size);
			/* Excuse the member at position (seed index + number) mod 7. */
			size_t pos = (sidx + number) % size, gone = panel[pos];
			p.on_panel[gone] = false;
			bool used_before[16], on_before[16];
			memcpy(used_before, p.used, sizeof used_before);
			memcpy(on_before, p.on_panel, sizeof on_before);
			int rc = lot_pick(&p.d, number, 1, p.used, p.on_panel, picked, &sh);
			/* The expected numbers, counted here the slow way. */
			size_t avail = 0, cap = 0;
			for (size_t i = 0; i < n; i++)
				avail += !p.used[i];
			for (size_t i = 0; i < n; i++) {
				bool first = true;
				for (size_t j = 0; j < i; j++)
					if (strcmp(p.c[j].org_key, p.c[i].org_key) == 0)
						first = false;
				if (!first)
					continue;
				size_t on = on_panel_of(&p, p.c[i].org_key), av = 0;
				for (size_t j = 0; j < n; j++)
					av += !p.used[j] && strcmp(p.c[j].org_key, p.c[i].org_key) == 0;
				size_t room = on < LOT_ORG_CAP ? LOT_ORG_CAP - on : 0;
				cap += room < av ? room : av;
			}
			if (rc == LOT_E_SHORT) {
				ck_assert_uint_eq(sh.needed, 1);
				ck_assert_uint_eq(sh.available, avail);
				ck_assert_uint_eq(sh.capacity, cap);
				ck_assert_uint_eq(cap, 0);
				ck_assert(memcmp(used_before, p.used, sizeof used_before) == 0);
				ck_assert(memcmp(on_before, p.on_panel, sizeof on_before) == 0);
				break;
			}
			ck_assert_int_eq(rc, LOT_OK);
			ck_assert(!used_before[picked[0]]);
			ck_assert(p.used[gone] && !p.on_panel[gone]);
			panel[pos] = picked[0];
			number++;
		}
		/* At most one replacement per candidate off the first panel. */
		ck_assert_uint_le(number - 2, n - size);
	}
}
END_TEST

/* The same inputs give the same panel; any change of an input changes the
 * digests and the stream. */
START_TEST(determinism)
{
	static const char *const org[] = { "A", "B", "C", "D", "E", "F", "G", "H", "I" };
	struct pool p, q;
	size_t a[5], b[5];
	pool_init(&p, 9, org, seed0);
	pool_init(&q, 9, org, seed0);
	ck_assert_int_eq(lot_pick(&p.d, 1, 5, p.used, p.on_panel, a, NULL), LOT_OK);
	ck_assert_int_eq(lot_pick(&q.d, 1, 5, q.used, q.on_panel, b, NULL), LOT_OK);
	ck_assert_mem_eq(a, b, sizeof a);

	struct lot_stream s0, s1;
	unsigned char c0[LOT_DIGEST_BYTES], c1[LOT_DIGEST_BYTES];
	lot_stream_init(&s0, &p.d, 1);
	uint64_t base = lot_stream_next(&s0);

	/* One seed bit: another commitment and another stream. */
	for (int bit = 0; bit < 8 * LOT_SEED_BYTES; bit += 37) {
		pool_init(&q, 9, org, seed0);
		q.seed[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		lot_commitment(p.seed, c0);
		lot_commitment(q.seed, c1);
		ck_assert(memcmp(c0, c1, sizeof c0) != 0);
		lot_stream_init(&s1, &q.d, 1);
		ck_assert(lot_stream_next(&s1) != base);
	}
	/* A public value, or another one. */
	pool_init(&q, 9, org, seed0);
	lot_public_digest("4 7 1", q.pd);
	lot_stream_init(&s1, &q.d, 1);
	uint64_t with_public = lot_stream_next(&s1);
	ck_assert(with_public != base);
	lot_public_digest("4 7 2", q.pd);
	lot_stream_init(&s1, &q.d, 1);
	ck_assert(lot_stream_next(&s1) != with_public);
	/* One candidate's organisation, or one id. */
	pool_init(&q, 9, org, seed0);
	q.keys[4][2] = 'Z';
	lot_candidate_digest(q.c, 9, q.cd);
	ck_assert(memcmp(p.cd, q.cd, sizeof c0) != 0);
	lot_stream_init(&s1, &q.d, 1);
	ck_assert(lot_stream_next(&s1) != base);
	pool_init(&q, 9, org, seed0);
	q.c[8].expert_id = 10;
	lot_candidate_digest(q.c, 9, q.cd);
	ck_assert(memcmp(p.cd, q.cd, sizeof c0) != 0);
	/* Another draw number. */
	lot_stream_init(&s1, &p.d, 2);
	ck_assert(lot_stream_next(&s1) != base);
}
END_TEST

/* ---- statistics over fixed seeds ---- */

/* 40 experts of 40 organisations ("N:ORG01".."N:ORG40"), panels of 5, seeds SHA-256(be32(i)) for
 * i < 2000: each expert is expected 250 times.  Chi-square over 39 degrees
 * of freedom must lie between the 0.1% and 99.9% points (17.26, 72.05): a
 * bias shows as too large, a non-random pattern (a panel that repeats, an
 * expert pinned) as too small. */
START_TEST(uniform_over_experts)
{
	static const char *const org[40] = {
		"ORG01", "ORG02", "ORG03", "ORG04", "ORG05", "ORG06", "ORG07", "ORG08",
		"ORG09", "ORG10", "ORG11", "ORG12", "ORG13", "ORG14", "ORG15", "ORG16",
		"ORG17", "ORG18", "ORG19", "ORG20", "ORG21", "ORG22", "ORG23", "ORG24",
		"ORG25", "ORG26", "ORG27", "ORG28", "ORG29", "ORG30", "ORG31", "ORG32",
		"ORG33", "ORG34", "ORG35", "ORG36", "ORG37", "ORG38", "ORG39", "ORG40",
	};
	long count[40] = { 0 };
	struct pool p;
	for (uint32_t i = 0; i < 2000; i++) {
		unsigned char seed[LOT_SEED_BYTES];
		size_t picked[5];
		seed_of(i, seed);
		pool_init(&p, 40, org, seed);
		ck_assert_int_eq(lot_pick(&p.d, 1, 5, p.used, p.on_panel, picked, NULL), LOT_OK);
		for (int k = 0; k < 5; k++)
			count[picked[k]]++;
	}
	double chi = 0;
	long sumsq = 0;
	for (int k = 0; k < 40; k++) {
		chi += (count[k] - 250.0) * (count[k] - 250.0) / 250.0;
		sumsq += count[k] * count[k];
	}
	ck_assert_msg(chi < 72.05 && chi > 17.26, "chi-square %.3f", chi);
	/* The reference's counts: sum of squares 2509202, chi-square 36.808. */
	ck_assert_int_eq(sumsq, 2509202);
	ck_assert_double_eq_tol(chi, 36.808, 1e-9);
}
END_TEST

/* The cap's bias, exactly.  One organisation of 8 experts (odd ids 1-15)
 * and 12 singletons, panels of 5.  Without the cap each expert would sit
 * on 5/20 of the panels; with it the big organisation gets at most 2
 * places, so its experts sit on fewer and the singletons on more.  The
 * exact inclusion probabilities come from enumerating every pick sequence
 * of the sequential rule, and are checked against the closed form of a
 * small DP (done with the Python reference: E[members of the big
 * organisation] = 1061/646). */
struct enum_state {
	bool big[20];
	bool used[20];
	int nbig;
	double incl[20];
	double e_b2; /* E[b^2], b = members of the big organisation */
};

static void enumerate(struct enum_state *st, int left, double prob)
{
	if (left == 0) {
		for (int i = 0; i < 20; i++)
			if (st->used[i])
				st->incl[i] += prob;
		st->e_b2 += prob * st->nbig * st->nbig;
		return;
	}
	int el[20], n = 0;
	for (int i = 0; i < 20; i++)
		if (!st->used[i] && (!st->big[i] || st->nbig < LOT_ORG_CAP))
			el[n++] = i;
	for (int k = 0; k < n; k++) {
		int i = el[k];
		st->used[i] = true;
		st->nbig += st->big[i];
		enumerate(st, left - 1, prob / n);
		st->nbig -= st->big[i];
		st->used[i] = false;
	}
}

START_TEST(cap_bias_exact)
{
	static const char *const org[20] = {
		"BIG", "S02", "BIG", "S04", "BIG", "S06", "BIG", "S08", "BIG", "S10",
		"BIG", "S12", "BIG", "S14", "BIG", "S16", "S17", "S18", "S19", "S20",
	};
	struct enum_state *st = calloc(1, sizeof *st);
	ck_assert_ptr_nonnull(st);
	for (int i = 0; i < 20; i++)
		st->big[i] = strcmp(org[i], "BIG") == 0;
	enumerate(st, 5, 1.0);

	const double p_big = 1061.0 / 5168, p_single = 2169.0 / 7752; /* E[b]/8, E[s]/12 */
	double total = 0;
	for (int i = 0; i < 20; i++) {
		ck_assert_double_eq_tol(st->incl[i], st->big[i] ? p_big : p_single, 1e-12);
		total += st->incl[i];
	}
	ck_assert_double_eq_tol(total, 5.0, 1e-9);
	/* What the numbers must mean: the big organisation's 2 places are
	 * shared by 8 (each at most 2/8, and below the uncapped 5/20); the
	 * singletons gain what it loses. */
	ck_assert(p_big <= 2.0 / 8 && p_big < 5.0 / 20 && p_single > 5.0 / 20);
	ck_assert(8 * p_big <= LOT_ORG_CAP);
	double e_b = 8 * p_big, var_b = st->e_b2 - e_b * e_b;
	ck_assert(var_b > 0.3 && var_b < 0.35); /* 0.33189 (reference) */

	/* The draw against it: 4000 panels from seeds SHA-256(be32(i)). */
	long count[20] = { 0 }, bigs = 0;
	struct pool p;
	const int m = 4000;
	for (uint32_t i = 0; i < (uint32_t)m; i++) {
		unsigned char seed[LOT_SEED_BYTES];
		size_t picked[5];
		seed_of(i, seed);
		pool_init(&p, 20, org, seed);
		ck_assert_int_eq(lot_pick(&p.d, 1, 5, p.used, p.on_panel, picked, NULL), LOT_OK);
		int b = 0;
		for (int k = 0; k < 5; k++) {
			count[picked[k]]++;
			b += st->big[picked[k]];
		}
		ck_assert_int_le(b, LOT_ORG_CAP);
		bigs += b;
	}
	double chi = 0;
	for (int i = 0; i < 20; i++) {
		double e = m * (st->big[i] ? p_big : p_single);
		chi += (count[i] - e) * (count[i] - e) / e;
	}
	/* Each (O-E)^2/E has mean 1-p < 1, so the 99.9% point of chi-square
	 * with 19 degrees of freedom (43.82) is a safe bound. */
	ck_assert_msg(chi < 43.82, "chi-square %.3f", chi);
	ck_assert_double_eq_tol(chi, 16.1964489541, 1e-6); /* the reference's */
	/* The big organisation's total, within 4 standard deviations. */
	double sd = sqrt(m * var_b);
	ck_assert_msg(fabs(bigs - m * e_b) < 4 * sd, "%ld vs %.1f", bigs, m * e_b);
	ck_assert_int_eq(bigs, 6569);
	free(st);
}
END_TEST

/* ---- the worked example of docs/lottery.md ---- */

static const char *srcdir(void)
{
	const char *d = getenv("BIAOGAN_SRCDIR");
	return d && *d ? d : ".";
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no \"%s\"", key);
	return v;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	ck_assert_msg(json_object_is_type(v, json_type_string), "\"%s\" not a string", key);
	return json_object_get_string(v);
}

/* Replays tests/data/lottery-example.json as docs/lottery.md tells a
 * verifier to. */
START_TEST(worked_example)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/lottery-example.json", srcdir());
	json_object *root = json_object_from_file(path);
	ck_assert_msg(root != NULL, "cannot read %s (set BIAOGAN_SRCDIR)", path);
	ck_assert_str_eq(get_str(root, "format"), "biaogan-lottery-v1");

	/* The list: ids, keys, and each "N:" key from its organisation. */
	json_object *jc = get(root, "candidates");
	size_t n = json_object_array_length(jc);
	ck_assert_uint_eq(n, 8);
	struct lot_candidate cand[8];
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(jc, i);
		char key[LOT_ORG_KEY_MAX + 1];
		cand[i].expert_id = json_object_get_int64(get(e, "expert_id"));
		cand[i].org_key = get_str(e, "org_key");
		if (strncmp(cand[i].org_key, "N:", 2) == 0) {
			ck_assert(lot_org_key(NULL, get_str(e, "organisation"), key, sizeof key));
			ck_assert_str_eq(key, cand[i].org_key);
		}
	}
	ck_assert_int_eq(lot_check_list(cand, n), LOT_OK);
	unsigned char cd[LOT_DIGEST_BYTES], seed[LOT_SEED_BYTES], pd[LOT_DIGEST_BYTES],
		c[LOT_DIGEST_BYTES], want[LOT_DIGEST_BYTES];
	lot_candidate_digest(cand, n, cd);
	ck_assert(lot_unhex(get_str(root, "candidate_digest"), want));
	ck_assert_mem_eq(cd, want, sizeof cd);
	ck_assert(lot_unhex(get_str(root, "seed"), seed));
	ck_assert_mem_eq(seed, seed0, sizeof seed);
	lot_commitment(seed, c);
	ck_assert(lot_unhex(get_str(root, "commitment"), want));
	ck_assert_mem_eq(c, want, sizeof c);
	lot_public_digest(get_str(root, "public_value"), pd);

	/* The draws, in order. */
	struct lot_draw d = { seed, pd, cd, cand, n };
	bool used[8] = { false }, on_panel[8] = { false };
	long long panel[8];
	size_t npanel = 0;
	json_object *jd = get(root, "draws");
	json_object *session = get(root, "session");
	ck_assert_uint_eq(json_object_array_length(jd), 2);
	for (size_t k = 0; k < json_object_array_length(jd); k++) {
		json_object *e = json_object_array_get_idx(jd, k);
		uint32_t number = (uint32_t)json_object_get_int64(get(e, "number"));
		size_t count = (size_t)json_object_get_int64(get(e, "count"));
		ck_assert_uint_eq(number, k + 1);
		if (number == 1) {
			ck_assert_str_eq(get_str(e, "kind"), "panel");
			ck_assert_uint_eq(count, json_object_get_int64(get(session, "panel_size")));
		} else {
			ck_assert_str_eq(get_str(e, "kind"), "replacement");
			ck_assert_uint_eq(count, 1);
			long long gone = json_object_get_int64(get(e, "replaces"));
			size_t at = npanel;
			for (size_t i = 0; i < npanel; i++)
				if (panel[i] == gone)
					at = i;
			ck_assert_msg(at < npanel, "%lld is not on the panel", gone);
			memmove(panel + at, panel + at + 1, (npanel - at - 1) * sizeof *panel);
			npanel--;
			for (size_t i = 0; i < n; i++)
				if (cand[i].expert_id == gone)
					on_panel[i] = false; /* stays used */
		}
		size_t picked[8];
		ck_assert_int_eq(lot_pick(&d, number, count, used, on_panel, picked, NULL), LOT_OK);
		json_object *jp = get(e, "picked");
		ck_assert_uint_eq(json_object_array_length(jp), count);
		for (size_t i = 0; i < count; i++) {
			ck_assert_int_eq(cand[picked[i]].expert_id,
					 json_object_get_int64(json_object_array_get_idx(jp, i)));
			panel[npanel++] = cand[picked[i]].expert_id;
		}
	}
	json_object *jpanel = get(root, "panel");
	ck_assert_uint_eq(json_object_array_length(jpanel), npanel);
	for (size_t i = 0; i < npanel; i++)
		ck_assert_int_eq(panel[i], json_object_get_int64(json_object_array_get_idx(jpanel, i)));

	/* The page shows the same numbers. */
	snprintf(path, sizeof path, "%s/docs/lottery.md", srcdir());
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	static char doc[200000];
	size_t len = fread(doc, 1, sizeof doc - 1, f);
	fclose(f);
	doc[len] = '\0';
	static const char *const shown[] = { "commitment", "seed", "candidate_digest", "public_value" };
	for (int i = 0; i < N(shown); i++)
		ck_assert_msg(strstr(doc, get_str(root, shown[i])), "docs/lottery.md lacks %s", shown[i]);
	char h[LOT_HEX_LEN + 1];
	lot_hex(pd, h);
	ck_assert_msg(strstr(doc, h), "docs/lottery.md lacks the public digest");
	json_object_put(root);
}
END_TEST

/* The numbers of the worked example's steps (docs/lottery.md), from the
 * Python reference: the first 8 numbers of draw 1's stream, and draw 2's
 * first. */
START_TEST(worked_example_numbers)
{
	static char o1[] = "C:12230000MB0A12345C", o2[] = "N:北疆标准化研究院",
		    o3[] = "N:松花江装备制造(集团)有限公司", o4[] = "N:冰城检验检测有限公司";
	const struct lot_candidate cand[8] = {
		{ 3, o1 }, { 5, o2 }, { 8, o3 }, { 12, o1 }, { 17, o4 }, { 21, o3 }, { 26, o1 }, { 33, o2 },
	};
	unsigned char cd[LOT_DIGEST_BYTES], pd[LOT_DIGEST_BYTES];
	lot_candidate_digest(cand, 8, cd);
	hex_is(cd, "de558f6637e4edf40b4aa5fe6ab3c4caf6f34efe36344147c12dae847085e272");
	lot_public_digest("2026-12-03 福彩3D 第2026318期 开奖号码 4 7 1", pd);
	struct lot_draw d = { seed0, pd, cd, cand, 8 };
	static const uint64_t first[8] = {
		6761969283890301835ULL,  4715480711301448948ULL, 11764074914442611814ULL,
		14777569196133644495ULL, 5633036056886919068ULL, 10925787329550671929ULL,
		12074170156861061491ULL, 4557557500907109734ULL,
	};
	struct lot_stream s;
	lot_stream_init(&s, &d, 1);
	for (int k = 0; k < 8; k++)
		ck_assert(lot_stream_next(&s) == first[k]);
	lot_stream_init(&s, &d, 2);
	ck_assert(lot_stream_next(&s) == 15582697675961724084ULL);

	/* Draw 1 step by step: n eligible, the index chosen. */
	static const size_t want_n[5] = { 8, 7, 6, 4, 3 }, want_r[5] = { 3, 6, 0, 3, 2 };
	lot_stream_init(&s, &d, 1);
	for (int k = 0; k < 5; k++)
		ck_assert(lot_uniform(&s, want_n[k]) == want_r[k]);

	bool used[8] = { false }, on_panel[8] = { false };
	size_t picked[5];
	struct lot_shortfall sh;
	ck_assert_int_eq(lot_pick(&d, 1, 5, used, on_panel, picked, &sh), LOT_OK);
	ck_assert_uint_eq(sh.available, 8);
	ck_assert_uint_eq(sh.capacity, 7);
	static const size_t want_pick[5] = { 3, 7, 0, 5, 4 }; /* ids 12 33 3 21 17 */
	ck_assert_mem_eq(picked, want_pick, sizeof picked);
	on_panel[0] = false; /* 3 is excused */
	ck_assert_int_eq(lot_pick(&d, 2, 1, used, on_panel, picked, &sh), LOT_OK);
	ck_assert_uint_eq(sh.available, 3);
	ck_assert_uint_eq(sh.capacity, 3);
	ck_assert_uint_eq(picked[0], 1); /* id 5 */
}
END_TEST

static Suite *lottery_suite(void)
{
	Suite *s = suite_create("lottery");
	TCase *tc = tcase_create("digests");
	tcase_add_test(tc, known_digests);
	tcase_add_test(tc, hex_round_trip);
	tcase_add_test(tc, list_checks);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_test(tc, stream_known_answers);
	tcase_add_test(tc, uniform_rejection);
	tcase_add_test(tc, uniform_known_answers);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, normalise);
	tcase_add_test(tc, normalise_arguments);
	tcase_add_test(tc, recusal_spellings);
	tcase_add_test(tc, org_key_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("pick");
	tcase_add_test(tc, panel_sizes);
	tcase_add_test(tc, pick_arguments);
	tcase_add_test(tc, pick_short);
	tcase_add_test(tc, cap_through_replacements);
	tcase_add_test(tc, determinism);
	suite_add_tcase(s, tc);

	tc = tcase_create("statistics");
	tcase_add_test(tc, uniform_over_experts);
	tcase_add_test(tc, cap_bias_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("example");
	tcase_add_test(tc, worked_example);
	tcase_add_test(tc, worked_example_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lottery_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
