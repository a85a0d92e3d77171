/* libFuzzer target for the organisation names of src/rules/lottery.c.
 *
 * Input: byte 0 picks an output size (byte 0 itself, 0-255) for a second,
 * small call; bit 0 of byte 1 says whether the rest starts with a credit
 * code, ended by the first byte 0x01; the rest (up to a NUL) is the name.
 *
 * The promises of lottery.h are checked: lot_name_normalise accepts exactly
 * valid UTF-8, and its output is valid UTF-8 with no white space, no
 * full-width form U+FF01-U+FF5E and no ASCII a-z left, is no longer than the
 * input, and normalises to itself; a small buffer gives the same answer or
 * a refusal with "" (never a cut, never an overflow: every buffer is
 * exactly its size, on the heap, where ASan sees one byte too far).
 * lot_org_key gives "C:"/"N:" keys that fit LOT_ORG_KEY_MAX, pass
 * lot_check_list, and are their own key again.  Any broken promise traps.
 */
#include "rules/lottery.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

/* The white space of lottery.h, written out again here. */
static bool white(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static void check_normal_form(const char *out)
{
	size_t n = strlen(out);
	CHECK(utf8_valid(out, n));
	const unsigned char *s = (const unsigned char *)out;
	while (*s) {
		size_t len;
		uint32_t c = (uint32_t)utf8_decode(s, &len);
		CHECK(!white(c));
		CHECK(!(c >= 0xFF01 && c <= 0xFF5E));
		CHECK(!(c >= 'a' && c <= 'z'));
		s += len;
	}
}

static char *dup_n(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	CHECK(s);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void check_key(const char *key)
{
	size_t n = strlen(key);
	CHECK(n > 2 && n <= LOT_ORG_KEY_MAX);
	CHECK(key[0] == 'C' || key[0] == 'N');
	CHECK(key[1] == ':');
	struct lot_candidate c = { 1, key };
	CHECK(lot_check_list(&c, 1) == LOT_OK);
	/* A key is its own key: an "N:" name normalises to itself, a code
	 * stays upper case. */
	char *again = malloc(LOT_ORG_KEY_MAX + 1);
	CHECK(again);
	if (key[0] == 'N') {
		check_normal_form(key + 2);
		CHECK(lot_org_key(NULL, key + 2, again, LOT_ORG_KEY_MAX + 1));
	} else {
		for (const char *p = key + 2; *p; p++)
			CHECK(*p >= 0x21 && *p <= 0x7E && !(*p >= 'a' && *p <= 'z'));
		CHECK(lot_org_key(key + 2, NULL, again, LOT_ORG_KEY_MAX + 1));
	}
	CHECK(strcmp(again, key) == 0);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t small = data[0];
	bool with_code = data[1] & 1;
	data += 2;
	size -= 2;
	const uint8_t *nul = memchr(data, 0, size);
	if (nul)
		size = (size_t)(nul - data);

	/* The name alone. */
	char *name = dup_n(data, size);
	char *out = malloc(size + 1);
	CHECK(out);
	bool ok = lot_name_normalise(name, out, size + 1);
	CHECK(ok == utf8_valid(name, size));
	if (ok) {
		size_t n = strlen(out);
		CHECK(n <= size);
		check_normal_form(out);
		char *again = malloc(n + 1);
		CHECK(again);
		CHECK(lot_name_normalise(out, again, n + 1));
		CHECK(strcmp(again, out) == 0);
		free(again);
	} else {
		CHECK(out[0] == '\0');
	}
	/* A buffer of `small` bytes: the same result, or "" when it cannot
	 * hold it. */
	char *tiny = small ? malloc(small) : NULL;
	CHECK(!small || tiny);
	bool tiny_ok = lot_name_normalise(name, tiny, small);
	if (small == 0) {
		CHECK(!tiny_ok);
	} else if (ok && strlen(out) < small) {
		CHECK(tiny_ok && strcmp(tiny, out) == 0);
	} else {
		CHECK(!tiny_ok && tiny[0] == '\0');
	}
	free(tiny);

	/* The organisation key: a code then the name, or the name alone. */
	char *code = NULL;
	const char *nm = name;
	if (with_code) {
		const char *sep = memchr(name, 0x01, size);
		if (sep) {
			code = dup_n((const uint8_t *)name, (size_t)(sep - name));
			nm = sep + 1;
		}
	}
	char *key = malloc(LOT_ORG_KEY_MAX + 1);
	CHECK(key);
	if (lot_org_key(code, nm, key, LOT_ORG_KEY_MAX + 1)) {
		check_key(key);
		if (!code || !*code) {
			char *norm = malloc(strlen(nm) + 1);
			CHECK(norm);
			CHECK(lot_name_normalise(nm, norm, strlen(nm) + 1));
			CHECK(key[0] == 'N' && strcmp(key + 2, norm) == 0);
			free(norm);
		} else {
			CHECK(key[0] == 'C' && strlen(key) == 2 + strlen(code));
		}
		/* A smaller buffer: the same key, or a refusal with "". */
		if (small > 0) {
			char *k2 = malloc(small);
			CHECK(k2);
			if (lot_org_key(code, nm, k2, small))
				CHECK(strcmp(k2, key) == 0);
			else
				CHECK(k2[0] == '\0' && strlen(key) >= small);
			free(k2);
		}
	} else {
		CHECK(key[0] == '\0');
	}
	free(key);
	free(code);
	free(out);
	free(name);
	return 0;
}
