/* Unit tests for src/core/csv.c: the BOM, CRLF rows, RFC 4180 quoting, and
 * the neutralisation of cells a spreadsheet would take for formulas. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* One text field alone in a row, as written (without BOM and CRLF). */
static const struct {
	const char *in, *out;
} fields[] = {
	{ "", "" },
	{ "abc", "abc" },
	{ "哈尔滨市", "哈尔滨市" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "\"", "\"\"\"\"" },
	{ "two\nlines", "\"two\nlines\"" },
	{ "cr\rhere", "\"cr\rhere\"" },
	{ "crlf\r\nend", "\"crlf\r\nend\"" },
	{ " lead", "\" lead\"" },
	{ "trail ", "\"trail \"" },
	{ "mid space", "mid space" },
	/* Formula injection: neutralised with a leading apostrophe. */
	{ "=1+1", "'=1+1" },
	{ "+SUM(A1:A9)", "'+SUM(A1:A9)" },
	{ "-2+3", "'-2+3" },
	{ "@cmd", "'@cmd" },
	{ "-12.5", "'-12.5" },               /* as text; csv_number keeps numbers */
	{ "\tTAB", "\"'\tTAB\"" },
	{ "\r=x", "\"'\r=x\"" },
	{ "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
	{ "=a,b", "\"'=a,b\"" },
	{ "a=1", "a=1" },                    /* only the first character counts */
	{ "１=1", "１=1" },
	{ "'quoted", "'quoted" },
};

START_TEST(one_field)
{
	struct buf out = BUF_INIT;
	struct csv w;
	csv_init(&w, &out);
	csv_field(&w, fields[_i].in);
	csv_end_row(&w);
	ck_assert_mem_eq(out.data, CSV_BOM, 3);
	ck_assert_uint_eq(out.len, 3 + strlen(fields[_i].out) + 2);
	ck_assert_mem_eq(out.data + 3, fields[_i].out, strlen(fields[_i].out));
	ck_assert_mem_eq(out.data + out.len - 2, "\r\n", 2);
	buf_release(&out);
}
END_TEST

START_TEST(rows_and_separators)
{
	struct buf out = BUF_INIT;
	struct csv w;
	csv_init(&w, &out);
	csv_field(&w, "名称");
	csv_field(&w, NULL);
	csv_int(&w, -42);
	csv_number(&w, "1200.50");
	csv_end_row(&w);
	csv_field(&w, "x");
	csv_end_row(&w);
	csv_end_row(&w); /* an empty row */
	ck_assert_str_eq(out.data, CSV_BOM "名称,,-42,1200.50\r\nx\r\n\r\n");
	buf_release(&out);
}
END_TEST

static const struct {
	const char *in, *out;
	bool decimal;
} numbers[] = {
	{ "0", "0", true },
	{ "-12.50", "-12.50", true },
	{ "1200", "1200", true },
	{ "007", "007", true },
	{ "1.", "1.", false },
	{ ".5", ".5", false },
	{ "-", "'-", false },
	{ "--1", "'--1", false },
	{ "-1+2", "'-1+2", false },
	{ "1e3", "1e3", false },
	{ "1,000", "\"1,000\"", false },
	{ "+1", "'+1", false },
	{ "", "", false },
	{ " 1", "\" 1\"", false },
	{ "=1", "'=1", false },
};

START_TEST(number_fields)
{
	struct buf out = BUF_INIT;
	struct csv w;
	ck_assert(csv_is_decimal(numbers[_i].in) == numbers[_i].decimal);
	csv_init(&w, &out);
	csv_number(&w, numbers[_i].in);
	ck_assert_str_eq(out.data + 3, numbers[_i].out);
	buf_release(&out);
	ck_assert(!csv_is_decimal(NULL));
}
END_TEST

START_TEST(neutralising_rule)
{
	static const char *const yes[] = { "=", "+", "-", "@", "\t", "\r", "=x", "@@" };
	static const char *const no[] = { "", "a", " =", "'=", "0", "中", "\n=" };
	for (int i = 0; i < N(yes); i++)
		ck_assert_msg(csv_needs_neutralising(yes[i], strlen(yes[i])), "%s", yes[i]);
	for (int i = 0; i < N(no); i++)
		ck_assert_msg(!csv_needs_neutralising(no[i], strlen(no[i])), "%s", no[i]);
	/* A length of 0 never reads the string. */
	ck_assert(!csv_needs_neutralising("=", 0));
}
END_TEST

START_TEST(field_with_length)
{
	struct buf out = BUF_INIT;
	struct csv w;
	csv_init(&w, &out);
	csv_field_n(&w, "ab,cd", 2);
	csv_field_n(&w, "=x", 1);
	ck_assert_str_eq(out.data, CSV_BOM "ab,'=");
	buf_release(&out);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("write");
	tcase_add_loop_test(tc, one_field, 0, N(fields));
	tcase_add_test(tc, rows_and_separators);
	tcase_add_loop_test(tc, number_fields, 0, N(numbers));
	tcase_add_test(tc, neutralising_rule);
	tcase_add_test(tc, field_with_length);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
