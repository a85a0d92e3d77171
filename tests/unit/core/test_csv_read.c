/* Unit tests for src/core/csv_read.c: the charset rule (BOM, UTF-8,
 * GB18030, refusals), RFC 4180 parsing as Excel writes it (quotes, doubled
 * quotes, embedded commas and line breaks, CRLF/LF/CR, a trailing line
 * break, blank rows), the line each record starts on, every error with its
 * position, the limits, and the column names. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/csv_read.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct csv_limits LIM = { 100, 20, 100 };

/* ---- csv_decode ---- */

/* "姓名,单位\r\n张三,哈工大\r\n" in UTF-8 and in GB18030 (GBK bytes). */
static const char U8[] = "\xE5\xA7\x93\xE5\x90\x8D,\xE5\x8D\x95\xE4\xBD\x8D\r\n"
			 "\xE5\xBC\xA0\xE4\xB8\x89,\xE5\x93\x88\xE5\xB7\xA5\xE5\xA4\xA7\r\n";
static const char GB[] = "\xD0\xD5\xC3\xFB,\xB5\xA5\xCE\xBB\r\n\xD5\xC5\xC8\xFD,\xB9\xFE\xB9\xA4\xB4\xF3\r\n";

START_TEST(decode_utf8)
{
	struct buf out = BUF_INIT;
	enum csv_charset cs = CSV_CHARSET_GB18030;
	ck_assert_int_eq(csv_decode(U8, strlen(U8), &out, &cs), CSV_DECODE_OK);
	ck_assert_int_eq(cs, CSV_CHARSET_UTF8);
	ck_assert_str_eq(out.data, U8);
	buf_release(&out);
}
END_TEST

START_TEST(decode_bom)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	enum csv_charset cs;
	buf_adds(&in, CSV_BOM);
	buf_adds(&in, U8);
	ck_assert_int_eq(csv_decode(in.data, in.len, &out, &cs), CSV_DECODE_OK);
	ck_assert_int_eq(cs, CSV_CHARSET_UTF8_BOM);
	ck_assert_str_eq(out.data, U8); /* the BOM is dropped */
	/* A BOM alone is an empty text. */
	ck_assert_int_eq(csv_decode(CSV_BOM, 3, &out, &cs), CSV_DECODE_OK);
	ck_assert_uint_eq(out.len, 0);
	/* A BOM and then GBK bytes: refused, not converted. */
	buf_reset(&in);
	buf_adds(&in, CSV_BOM);
	buf_adds(&in, GB);
	ck_assert_int_eq(csv_decode(in.data, in.len, &out, &cs), CSV_DECODE_BAD_UTF8);
	ck_assert_uint_eq(out.len, 0);
	buf_release(&in);
	buf_release(&out);
}
END_TEST

START_TEST(decode_gb18030)
{
	struct buf out = BUF_INIT;
	enum csv_charset cs;
	ck_assert_int_eq(csv_decode(GB, strlen(GB), &out, &cs), CSV_DECODE_OK);
	ck_assert_int_eq(cs, CSV_CHARSET_GB18030);
	ck_assert_str_eq(out.data, U8);
	/* A four-byte GB18030 character (U+20000, 𠀀: 95 32 82 36). */
	ck_assert_int_eq(csv_decode("a\x95\x32\x82\x36", 5, &out, &cs), CSV_DECODE_OK);
	ck_assert_str_eq(out.data, "a\xF0\xA0\x80\x80");
	buf_release(&out);
}
END_TEST

START_TEST(decode_refusals)
{
	struct buf out = BUF_INIT;
	enum csv_charset cs;
	/* UTF-16 either way round. */
	ck_assert_int_eq(csv_decode("\xFF\xFEn\0a\0", 6, &out, &cs), CSV_DECODE_UTF16);
	ck_assert_int_eq(csv_decode("\xFE\xFF\0n\0a", 6, &out, &cs), CSV_DECODE_UTF16);
	ck_assert_int_eq(csv_decode("a\0b", 3, &out, &cs), CSV_DECODE_NUL);
	/* 0x80 and 0xFF alone are neither UTF-8 nor GB18030; a cut GBK character. */
	ck_assert_int_eq(csv_decode("a\x80", 2, &out, &cs), CSV_DECODE_UNKNOWN);
	ck_assert_int_eq(csv_decode("\xFF\xFF", 2, &out, &cs), CSV_DECODE_UNKNOWN);
	ck_assert_int_eq(csv_decode("ab\xD5", 3, &out, &cs), CSV_DECODE_UNKNOWN);
	ck_assert_uint_eq(out.len, 0);
	for (int st = CSV_DECODE_BAD_UTF8; st <= CSV_DECODE_UNKNOWN; st++)
		ck_assert_int_gt(strlen(csv_decode_message((enum csv_decode_status)st)), 10);
	ck_assert_str_eq(csv_decode_message(CSV_DECODE_OK), "");
	ck_assert_str_eq(csv_charset_label(CSV_CHARSET_GB18030), "GB18030");
	buf_release(&out);
}
END_TEST

/* ---- csv_parse ---- */

/* text, then the records as "line:field|field|..." joined with "; ". */
static const struct {
	const char *text, *want;
} good[] = {
	{ "", "" },
	{ "a", "1:a" },
	{ "a,b,c\r\n1,2,3\r\n", "1:a|b|c; 2:1|2|3" },
	{ "a,b\n1,2", "1:a|b; 2:1|2" },               /* LF, no final line break */
	{ "a,b\r1,2\r", "1:a|b; 2:1|2" },              /* old Mac CR */
	{ "a,\n,b\n,\n", "1:a|; 2:|b; 3:|" },
	{ "\"a,b\",c\n", "1:a,b|c" },                  /* a quoted comma */
	{ "\"say \"\"hi\"\"\",x", "1:say \"hi\"|x" },  /* doubled quotes */
	{ "\"\"", "1:" },                              /* an empty quoted field */
	{ "\"\"\"\"", "1:\"" },
	{ "\"two\r\nlines\",x\r\nnext,y\r\n", "1:two\nlines|x; 3:next|y" }, /* CRLF in a cell: LF */
	{ "\"a\rb\nc\",d\ne", "1:a\nb\nc|d; 4:e" },
	{ "ab\"cd,e", "1:ab\"cd|e" },                  /* a quote inside: literal */
	{ "a\n\nb\n", "1:a; 2:; 3:b" },                /* a blank line in the middle */
	{ "a\r\n\r\n", "1:a; 2:" },                    /* and one at the end */
	{ " a , b ", "1: a | b " },                    /* nothing trimmed */
	{ "姓名,单位\n张三,\"哈尔滨工业大学,威海\"\n", "1:姓名|单位; 2:张三|哈尔滨工业大学,威海" },
};

static void render(const struct csv_table *t, struct buf *out)
{
	for (size_t r = 0; r < t->n; r++) {
		if (r)
			buf_adds(out, "; ");
		buf_addf(out, "%zu:", t->rec[r].line);
		for (size_t f = 0; f < t->rec[r].n; f++) {
			if (f)
				buf_addc(out, '|');
			buf_adds(out, t->rec[r].field[f]);
		}
	}
}

START_TEST(parse_good)
{
	struct csv_table t = CSV_TABLE_INIT;
	struct csv_error err;
	struct buf out = BUF_INIT;
	ck_assert_msg(csv_parse(good[_i].text, strlen(good[_i].text), &LIM, &t, &err) == 0,
		      "%s: error %d at %zu", good[_i].text, err.code, err.line);
	render(&t, &out);
	ck_assert_str_eq(out.data, good[_i].want);
	csv_table_release(&t);
	buf_release(&out);
}
END_TEST

static const struct {
	const char *text;
	enum csv_err code;
	size_t line, field;
} bad[] = {
	{ "a,\"b\"c\n", CSV_E_AFTER_QUOTE, 1, 2 },
	{ "x\ny\n\"open,\nstill\n", CSV_E_UNCLOSED, 3, 1 },
	{ "a\n\"b\nc\" d", CSV_E_AFTER_QUOTE, 3, 1 },
	{ "a,b\x00", CSV_E_NUL, 1, 2 },
	{ "\"a\x00\"", CSV_E_NUL, 1, 1 },
	{ "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21", CSV_E_TOO_MANY_FIELDS, 1, 21 },
};

START_TEST(parse_bad)
{
	struct csv_table t = CSV_TABLE_INIT;
	struct csv_error err;
	size_t len = strlen(bad[_i].text);
	if (bad[_i].code == CSV_E_NUL)
		len = bad[_i].text[0] == '"' ? 4 : 5;
	ck_assert_int_eq(csv_parse(bad[_i].text, len, &LIM, &t, &err), -1);
	ck_assert_int_eq(err.code, bad[_i].code);
	ck_assert_uint_eq(err.line, bad[_i].line);
	ck_assert_uint_eq(err.field, bad[_i].field);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_ptr_null(t.rec);
	ck_assert_int_gt(strlen(csv_strerror(err.code)), 4);
}
END_TEST

START_TEST(limits)
{
	struct csv_limits lim = { 3, 2, 4 };
	struct csv_table t = CSV_TABLE_INIT;
	struct csv_error err;
	/* Exactly at each limit. */
	ck_assert_int_eq(csv_parse("abcd,x\n\"ab\"\"c\",y\n,\n", 19, &lim, &t, &err), 0);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(t.rec[1].field[0], "ab\"c");
	csv_table_release(&t);
	/* One past each. */
	ck_assert_int_eq(csv_parse("a\nb\nc\nd\n", 8, &lim, &t, &err), -1);
	ck_assert_int_eq(err.code, CSV_E_TOO_MANY_RECORDS);
	ck_assert_uint_eq(err.line, 4);
	ck_assert_int_eq(csv_parse("a,b,c", 5, &lim, &t, &err), -1);
	ck_assert_int_eq(err.code, CSV_E_TOO_MANY_FIELDS);
	ck_assert_int_eq(csv_parse("x\nabcde", 7, &lim, &t, &err), -1);
	ck_assert_int_eq(err.code, CSV_E_FIELD_TOO_LONG);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_int_eq(csv_parse("\"abc\"\"\"", 7, &lim, &t, &err), 0); /* abc" is 4 */
	csv_table_release(&t);
	ck_assert_int_eq(csv_parse("\"ab\n\nde\"", 8, &lim, &t, &err), -1);
	ck_assert_int_eq(err.code, CSV_E_FIELD_TOO_LONG);
	ck_assert_uint_eq(err.line, 3);
}
END_TEST

START_TEST(blank_records)
{
	struct csv_table t = CSV_TABLE_INIT;
	struct csv_error err;
	ck_assert_int_eq(csv_parse("a,b\n,,\n\n\"\",\"\"\n,x\n", 17, &LIM, &t, &err), 0);
	ck_assert_uint_eq(t.n, 5);
	ck_assert(!csv_record_blank(&t.rec[0]));
	ck_assert(csv_record_blank(&t.rec[1]));
	ck_assert(csv_record_blank(&t.rec[2]));
	ck_assert(csv_record_blank(&t.rec[3]));
	ck_assert(!csv_record_blank(&t.rec[4]));
	csv_table_release(&t);
	csv_table_release(&t); /* twice is harmless */
}
END_TEST

/* What core/csv.c writes, this reads back field for field. */
START_TEST(round_trip_with_the_writer)
{
	static const char *const cells[] = { "普通", "a,b", "say \"x\"", "two\nlines", " lead", "",
					     "末尾 ", "=1+1" };
	struct buf file = BUF_INIT, text = BUF_INIT;
	struct csv w;
	struct csv_table t = CSV_TABLE_INIT;
	struct csv_error err;
	enum csv_charset cs;
	csv_init(&w, &file);
	for (int r = 0; r < 2; r++) {
		for (int i = 0; i < N(cells); i++)
			csv_field(&w, cells[i]);
		csv_end_row(&w);
	}
	ck_assert_int_eq(csv_decode(file.data, file.len, &text, &cs), CSV_DECODE_OK);
	ck_assert_int_eq(cs, CSV_CHARSET_UTF8_BOM);
	ck_assert_int_eq(csv_parse(text.data, text.len, &LIM, &t, &err), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.rec[1].line, 3); /* the first row holds a line break */
	for (int i = 0; i < N(cells) - 1; i++)
		ck_assert_str_eq(t.rec[0].field[i], cells[i]);
	ck_assert_str_eq(t.rec[0].field[N(cells) - 1], "'=1+1"); /* neutralised by the writer */
	csv_table_release(&t);
	buf_release(&file);
	buf_release(&text);
}
END_TEST

START_TEST(column_names)
{
	char n[8];
	csv_column_name(0, n);
	ck_assert_str_eq(n, "A");
	csv_column_name(13, n);
	ck_assert_str_eq(n, "N");
	csv_column_name(25, n);
	ck_assert_str_eq(n, "Z");
	csv_column_name(26, n);
	ck_assert_str_eq(n, "AA");
	csv_column_name(701, n);
	ck_assert_str_eq(n, "ZZ");
	csv_column_name(702, n);
	ck_assert_str_eq(n, "AAA");
}
END_TEST

static Suite *csv_read_suite(void)
{
	Suite *s = suite_create("csv_read");
	TCase *tc = tcase_create("decode");
	tcase_add_test(tc, decode_utf8);
	tcase_add_test(tc, decode_bom);
	tcase_add_test(tc, decode_gb18030);
	tcase_add_test(tc, decode_refusals);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_good, 0, N(good));
	tcase_add_loop_test(tc, parse_bad, 0, N(bad));
	tcase_add_test(tc, limits);
	tcase_add_test(tc, blank_records);
	tcase_add_test(tc, round_trip_with_the_writer);
	tcase_add_test(tc, column_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_read_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
