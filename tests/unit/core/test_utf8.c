/* Unit tests of utf8: what counts as valid text (RFC 3629 without
 * overlongs, surrogates, code points above U+10FFFF or NUL), character
 * counting, and control characters. */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/banned.h"

struct bytes {
	const char *s;
	size_t len;
};
#define B(s) { s, sizeof(s) - 1 }

static const struct bytes valid[] = {
	B(""),
	B("abc"),
	B("中文"),
	B("\x7f"),                /* DEL is valid UTF-8 (a control, checked elsewhere) */
	B("\xc2\x80"),            /* U+0080, smallest two-byte */
	B("\xdf\xbf"),            /* U+07FF */
	B("\xe0\xa0\x80"),        /* U+0800, smallest three-byte */
	B("\xed\x9f\xbf"),        /* U+D7FF, just below the surrogates */
	B("\xee\x80\x80"),        /* U+E000, just above them */
	B("\xef\xbf\xbf"),        /* U+FFFF */
	B("\xf0\x90\x80\x80"),    /* U+10000, smallest four-byte */
	B("\xf4\x8f\xbf\xbf"),    /* U+10FFFF, the last code point */
	B("\xf0\x9f\x98\x80"),    /* an emoji */
	B("黑龙江省哈尔滨市"),
	B("a中b\xf0\x9f\x98\x80" "c"),
};

static const struct bytes invalid[] = {
	B("\xc0\x80"),            /* overlong NUL */
	B("\xc1\xbf"),            /* overlong 'DEL' */
	B("\xe0\x80\x80"),        /* overlong three-byte NUL */
	B("\xe0\x9f\xbf"),        /* overlong U+07FF */
	B("\xf0\x80\x80\x80"),    /* overlong four-byte NUL */
	B("\xf0\x8f\xbf\xbf"),    /* overlong U+FFFF */
	B("\xed\xa0\x80"),        /* U+D800, high surrogate */
	B("\xed\xbf\xbf"),        /* U+DFFF, low surrogate */
	B("\xed\xa0\xbd\xed\xb8\x80"), /* a CESU-8 surrogate pair */
	B("\xf4\x90\x80\x80"),    /* U+110000 */
	B("\xf5\x80\x80\x80"),    /* lead byte F5 */
	B("\xf7\xbf\xbf\xbf"),
	B("\xf8\x88\x80\x80\x80"),/* five-byte form */
	B("\xfc\x84\x80\x80\x80\x80"),
	B("\xfe"),
	B("\xff"),
	B("\x80"),                /* lone continuation */
	B("\xbf"),
	B("a\x80z"),
	B("\xc2"),                /* truncated two-byte */
	B("\xe4\xb8"),            /* truncated three-byte */
	B("\xf0\x9f\x98"),        /* truncated four-byte */
	B("abc\xe4"),             /* truncated at the end */
	B("\xc2\x41"),            /* continuation missing */
	B("\xe4\x41\xad"),
	B("\xe4\xb8\xc0"),
	B("\xf0\x9f\x41\x80"),
	B("\x00"),                /* NUL */
	B("a\x00z"),
	B("中\x00文"),
	B("中\xff文"),
};

START_TEST(valid_accepted)
{
	ck_assert_msg(utf8_valid(valid[_i].s, valid[_i].len), "rejected row %d", _i);
}
END_TEST

START_TEST(invalid_rejected)
{
	ck_assert_msg(!utf8_valid(invalid[_i].s, invalid[_i].len), "accepted row %d", _i);
}
END_TEST

/* The length bounds the check: a sequence cut by len is invalid even when
 * the bytes after len would complete it, and bytes after len are not read. */
START_TEST(length_bounds)
{
	ck_assert(!utf8_valid("\xe4\xb8\xad", 1));
	ck_assert(!utf8_valid("\xe4\xb8\xad", 2));
	ck_assert(utf8_valid("\xe4\xb8\xad", 3));
	ck_assert(utf8_valid("ab\xff", 2));
	ck_assert(utf8_valid("a\0b", 1));
	ck_assert(utf8_valid(NULL, 0));
}
END_TEST

static const struct {
	struct bytes in;
	size_t chars;
} counts[] = {
	{ B(""), 0 },
	{ B("abc"), 3 },
	{ B("中文"), 2 },
	{ B("a中b"), 3 },
	{ B("\xf0\x9f\x98\x80"), 1 },
	{ B("十个汉字十个汉字十个"), 10 },
	{ B("黑龙江 Heilongjiang"), 16 },
};

START_TEST(count_characters)
{
	ck_assert_uint_eq(utf8_count(counts[_i].in.s, counts[_i].in.len), counts[_i].chars);
}
END_TEST

static const struct {
	struct bytes in;
	bool strict;  /* expected with allow_newlines false */
	bool lenient; /* expected with allow_newlines true */
} controls[] = {
	{ B("abc"), false, false },
	{ B("中文"), false, false },
	{ B(""), false, false },
	{ B("a\tb"), false, false }, /* TAB is always allowed */
	{ B("a b~"), false, false },
	{ B("a\nb"), true, false },
	{ B("a\rb"), true, false },
	{ B("a\r\nb"), true, false },
	{ B("\x01"), true, true },
	{ B("\x1f"), true, true },
	{ B("\x7f"), true, true },
	{ B("\x1b[31m"), true, true },
	{ B("a\x00z"), true, true },
	{ B("\x08"), true, true },
	{ B("行一\n行二\x0c"), true, true },
};

START_TEST(control_characters)
{
	ck_assert_int_eq(utf8_has_controls(controls[_i].in.s, controls[_i].in.len, false),
			 controls[_i].strict);
	ck_assert_int_eq(utf8_has_controls(controls[_i].in.s, controls[_i].in.len, true),
			 controls[_i].lenient);
}
END_TEST

/* Every two-byte prefix: exactly the well-formed ones are accepted; the
 * table above spells out why the others fail, this is the exhaustive check
 * against an independent decoder. */
static bool reference_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned long cp;
		size_t n;
		if (s[i] == 0)
			return false;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4;
			cp = s[i] & 0x07;
		} else {
			return false;
		}
		if (i + n > len)
			return false;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n;
	}
	return true;
}

START_TEST(exhaustive_three_bytes)
{
	/* Every lead and second byte; every third byte after a continuation,
	 * a sample of the others. */
	unsigned char s[3];
	for (int ab = 0; ab < 256 * 256; ab++) {
		s[0] = (unsigned char)(ab >> 8);
		s[1] = (unsigned char)(ab & 255);
		for (int c = 0; c < 256; c += (s[1] >= 0x80 && s[1] < 0xc0) ? 1 : 17) {
			s[2] = (unsigned char)c;
			/* Plain if: a Check assertion per case would be slow. */
			for (size_t len = 1; len <= 3; len++)
				if (utf8_valid((const char *)s, len) != reference_valid(s, len))
					ck_abort_msg("%02x %02x %02x len %zu", s[0], s[1], s[2], len);
		}
	}
}
END_TEST

/* Every code point of the two-byte and three-byte ranges, against the list
 * of bidirectional formatting characters. */
START_TEST(bidi_controls)
{
	for (unsigned cp = 0x80; cp < 0x10000; cp++) {
		char s[8] = "a";
		size_t n = 1;
		bool want = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
			    cp == 0x200E || cp == 0x200F || cp == 0x061C;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (cp < 0x800) {
			s[n++] = (char)(0xC0 | cp >> 6);
		} else {
			s[n++] = (char)(0xE0 | cp >> 12);
			s[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		}
		s[n++] = (char)(0x80 | (cp & 0x3F));
		s[n++] = 'z';
		if (utf8_has_bidi_controls(s, n) != want)
			ck_abort_msg("U+%04X: %d", cp, !want);
		/* At the very end too, and a cut sequence is never read past. */
		if (utf8_has_bidi_controls(s + 1, n - 2) != want ||
		    utf8_has_bidi_controls(s + 1, n - 3))
			ck_abort_msg("U+%04X at the end", cp);
	}
	ck_assert(!utf8_has_bidi_controls("", 0));
	ck_assert(!utf8_has_bidi_controls("\xe2", 1));
}
END_TEST

static Suite *utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, valid_accepted, 0, (int)(sizeof valid / sizeof valid[0]));
	tcase_add_loop_test(tc, invalid_rejected, 0, (int)(sizeof invalid / sizeof invalid[0]));
	tcase_add_test(tc, length_bounds);
	tcase_add_loop_test(tc, count_characters, 0, (int)(sizeof counts / sizeof counts[0]));
	tcase_add_loop_test(tc, control_characters, 0, (int)(sizeof controls / sizeof controls[0]));
	tcase_add_test(tc, exhaustive_three_bytes);
	tcase_add_test(tc, bidi_controls);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(utf8_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
