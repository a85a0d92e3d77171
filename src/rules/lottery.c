#include "rules/lottery.h"

#include <string.h>

#include "core/utf8.h"

#include "core/banned.h"

/* Decode one UTF-8 sequence at s (valid input assumed: the caller checked
 * utf8_valid); *len gets its length. */
static uint32_t decode(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] < 0xE0) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*len = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
	       (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* Unicode's White_Space (U+0009-U+000D, U+0020, U+0085, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the two
 * invisible zero-width spaces people paste from web pages and Word (U+200B,
 * U+FEFF): none of them can tell two organisations apart on paper. */
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
		uint32_t c = decode(s, &len);
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

