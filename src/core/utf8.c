#include "core/utf8.h"

#include "core/banned.h"

bool utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false; /* continuation byte, 0xC0/0xC1 overlong lead, or > 0xF4 */
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			unsigned cc = s[i + k];
			if ((cc & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return false;
		i += n + 1;
	}
	return true;
}

size_t utf8_count(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

bool utf8_has_controls(const char *str, size_t len, bool allow_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < len; i++) {
		unsigned c = s[i];
		if (c == 0x7F)
			return true;
		if (c < 0x20) {
			if (c == '\t')
				continue;
			if (allow_newlines && (c == '\n' || c == '\r'))
				continue;
			return true;
		}
	}
	return false;
}

bool utf8_has_bidi_controls(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] == 0xD8 && s[i + 1] == 0x9C) /* U+061C */
			return true;
		if (s[i] != 0xE2 || i + 2 >= len)
			continue;
		if (s[i + 1] == 0x80 && (s[i + 2] == 0x8E || s[i + 2] == 0x8F || /* U+200E/F */
					 (s[i + 2] >= 0xAA && s[i + 2] <= 0xAE)))  /* U+202A-E */
			return true;
		if (s[i + 1] == 0x81 && s[i + 2] >= 0xA6 && s[i + 2] <= 0xA9) /* U+2066-9 */
			return true;
	}
	return false;
}

unsigned long utf8_decode(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] < 0xE0) {
		*len = 2;
		return (unsigned long)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0) {
		*len = 3;
		return (unsigned long)(s[0] & 0x0F) << 12 | (unsigned long)(s[1] & 0x3F) << 6 |
		       (s[2] & 0x3F);
	}
	*len = 4;
	return (unsigned long)(s[0] & 0x07) << 18 | (unsigned long)(s[1] & 0x3F) << 12 |
	       (unsigned long)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}
