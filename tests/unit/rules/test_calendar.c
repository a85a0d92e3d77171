/* Unit tests of calendar: CSV loading and validation, the working-day rule,
 * the publicity deadline over every reference case, years without an
 * arrangement, and property tests over random dates.
 *
 * Data: tests/data/calendar.csv and tests/data/publicity-cases.csv, copies
 * of ../shared/reference/holidays/ (found through BIAOGAN_SRCDIR). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "rules/calendar.h"
#include "core/civil_date.h"
#include "core/banned.h"

static struct calendar ref = CALENDAR_INIT; /* the reference calendar, 2020–2026 */

static char *data_path(const char *name)
{
	const char *src = getenv("BIAOGAN_SRCDIR");
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s/tests/data/%s", src && *src ? src : ".", name);
	return buf_detach(&b, NULL);
}

static char *read_data(const char *name, size_t *len)
{
	char *path = data_path(name);
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t got;
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s (set BIAOGAN_SRCDIR)", path);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, got);
	ck_assert(!ferror(f));
	fclose(f);
	free(path);
	return buf_detach(&b, len);
}

static void load_reference(void)
{
	struct buf err = BUF_INIT;
	char *path = data_path("calendar.csv");
	calendar_init(&ref);
	if (calendar_load_csv(&ref, path, &err) != 0) {
		fprintf(stderr, "cannot load %s: %s\n", path, err.data);
		abort();
	}
	free(path);
	buf_release(&err);
}

static void release_reference(void)
{
	calendar_release(&ref);
}

static int32_t D(const char *s)
{
	int32_t d;
	if (civil_parse(s, &d) != 0) {
		fprintf(stderr, "bad date in test table: %s\n", s);
		abort();
	}
	return d;
}

/* ck_assert records every passing check (a write per call), too slow for
 * the loops below: they test with this and report only a failure. */
#define CHECK(cond, ...)                            \
	do {                                        \
		if (!(cond))                        \
			ck_abort_msg(__VA_ARGS__);  \
	} while (0)

static bool working(int32_t d)
{
	bool w = false;
	int rc = calendar_is_working_day(&ref, d, &w, NULL);
	CHECK(rc == CAL_OK, "is_working_day(%d) gave %d", (int)d, rc);
	return w;
}

/* ---- the reference file ---- */

START_TEST(reference_loads)
{
	size_t first;
	ck_assert_uint_eq(ref.n, 254);
	ck_assert_uint_eq(ref.nyears, 7);
	for (int y = 2020; y <= 2026; y++)
		ck_assert(calendar_year_loaded(&ref, y));
	ck_assert(!calendar_year_loaded(&ref, 2019));
	ck_assert(!calendar_year_loaded(&ref, 2027));
	/* 2022-12-31 came from the 2023 notice and is in the file. */
	ck_assert_ptr_nonnull(calendar_find(&ref, D("2022-12-31")));
	ck_assert_uint_eq(calendar_year_entries(&ref, 2026, &first), 39); /* 33 days off, 6 worked */
	ck_assert_int_eq(ref.entries[first].day, D("2026-01-01"));
	ck_assert_str_eq(ref.entries[first].name, "元旦");
	ck_assert_uint_eq(calendar_year_entries(&ref, 2027, &first), 0);
	for (size_t i = 1; i < ref.n; i++)
		ck_assert_int_lt(ref.entries[i - 1].day, ref.entries[i].day);
}
END_TEST

/* calendar_is_working_day against the rule applied naively to the raw
 * file, for every day of 2020–2026. */
START_TEST(working_day_rule_every_day)
{
	size_t len;
	char *text = read_data("calendar.csv", &len);
	int32_t lo = D("2020-01-01"), hi = D("2026-12-31");
	signed char *mark = xcalloc((size_t)(hi - lo + 1), 1); /* 0 plain, 1 holiday, 2 workday */
	char *line = strchr(text, '\n') + 1;
	while (*line) {
		char *nl = strchr(line, '\n');
		int32_t d;
		ck_assert_int_eq(civil_parse_n(line, 10, &d), 0);
		mark[d - lo] = strncmp(line + 11, "holiday", 7) == 0 ? 1 : 2;
		line = nl ? nl + 1 : line + strlen(line);
	}
	for (int32_t d = lo; d <= hi; d++) {
		bool expect = mark[d - lo] == 2 || (mark[d - lo] == 0 && civil_weekday(d) <= 5);
		CHECK(working(d) == expect, "day %d", (int)d);
	}
	free(mark);
	free(text);
}
END_TEST

START_TEST(working_day_samples)
{
	ck_assert(!working(D("2024-02-10"))); /* Spring Festival */
	ck_assert(working(D("2024-02-09")));  /* eve 2024: only encouraged leave */
	ck_assert(working(D("2024-02-18")));  /* Sunday worked */
	ck_assert(!working(D("2024-02-17"))); /* Saturday in the block */
	ck_assert(!working(D("2024-06-09"))); /* ordinary Sunday next to Dragon Boat */
	ck_assert(working(D("2020-02-03")));  /* after the COVID extension */
	ck_assert(!working(D("2020-02-01"))); /* working Saturday cancelled by the extension */
	ck_assert(working(D("2024-02-29")));  /* leap day, a Thursday */
	ck_assert(!working(D("2020-02-29"))); /* leap day, a Saturday */
	ck_assert(!working(D("2025-01-28"))); /* 2025: Spring Festival eve is statutory */
}
END_TEST

START_TEST(working_day_unknown_year)
{
	bool w = true;
	int missing = 0;
	ck_assert_int_eq(calendar_is_working_day(&ref, D("2027-01-04"), &w, &missing), CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2027);
	ck_assert_int_eq(calendar_is_working_day(&ref, D("2019-12-31"), &w, &missing), CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2019);
	ck_assert_int_eq(calendar_is_working_day(&ref, CIVIL_DAY_MAX + 1, &w, NULL), CAL_BAD_ARG);
	ck_assert_int_eq(calendar_is_working_day(&ref, CIVIL_DAY_MIN - 1, &w, NULL), CAL_BAD_ARG);
}
END_TEST

/* ---- publicity deadline ---- */

struct pcase {
	int32_t start, end;
};

static struct pcase *read_cases(size_t *n)
{
	size_t len, cap = 64;
	char *text = read_data("publicity-cases.csv", &len);
	struct pcase *c = xcalloc(cap, sizeof *c);
	char *line = strchr(text, '\n');
	ck_assert_ptr_nonnull(line);
	ck_assert(strncmp(text, "start_date,end_date", 19) == 0);
	*n = 0;
	for (line++; *line; ) {
		char *nl = strchr(line, '\n');
		ck_assert_uint_lt(*n, cap);
		ck_assert_int_eq(civil_parse_n(line, 10, &c[*n].start), 0);
		ck_assert_int_eq(line[10], ',');
		ck_assert_int_eq(civil_parse_n(line + 11, 10, &c[*n].end), 0);
		(*n)++;
		line = nl ? nl + 1 : line + strlen(line);
	}
	free(text);
	return c;
}

START_TEST(publicity_reference_cases)
{
	size_t n;
	struct pcase *c = read_cases(&n);
	ck_assert_uint_eq(n, 40);
	for (size_t i = 0; i < n; i++) {
		int32_t end = 0;
		int count = 0;
		char got[CIVIL_DATE_LEN + 1], want[CIVIL_DATE_LEN + 1];
		ck_assert_int_eq(calendar_publicity_end(&ref, c[i].start, CALENDAR_PUBLICITY_DAYS,
							&end, NULL), CAL_OK);
		civil_format(end, got);
		civil_format(c[i].end, want);
		ck_assert_msg(end == c[i].end, "case %zu: got %s, want %s", i + 1, got, want);
		ck_assert_int_eq(calendar_count_working_days(&ref, c[i].start, end, &count, NULL),
				 CAL_OK);
		ck_assert_int_eq(count, 5);
	}
	free(c);
}
END_TEST

/* Our own cases (expected ends worked out by hand and checked with an
 * independent script); missing != 0 means "refused for that year". */
static const struct {
	const char *start;
	int n;
	const char *end;
	int missing;
	const char *why;
} own_cases[] = {
	{ "2024-10-01", 5, "2024-10-12", 0, "start on National Day; Saturday 10-12 worked is day 5" },
	{ "2026-10-01", 5, "2026-10-13", 0, "start on National Day 2026; Saturday 10-10 worked" },
	{ "2026-02-17", 5, "2026-02-28", 0, "start on Spring Festival day; Saturday 02-28 worked" },
	{ "2020-01-25", 5, "2020-02-07", 0, "start in the 2020 block extended for COVID-19" },
	{ "2024-10-12", 5, "2024-10-17", 0, "start on an adjusted working Saturday" },
	{ "2026-02-14", 1, "2026-02-14", 0, "working Saturday, N = 1" },
	{ "2021-02-07", 5, "2021-02-18", 0, "start on a working Sunday before Spring Festival" },
	{ "2025-01-27", 5, "2025-02-08", 0, "day before Spring Festival 2025" },
	{ "2021-02-10", 5, "2021-02-22", 0, "day before Spring Festival 2021" },
	{ "2024-02-09", 5, "2024-02-21", 0, "Spring Festival eve 2024 is a working day" },
	{ "2025-09-30", 5, "2025-10-13", 0, "day before National Day 2025" },
	{ "2026-09-30", 5, "2026-10-12", 0, "day before National Day 2026" },
	{ "2020-12-30", 5, "2021-01-06", 0, "across the 2020/2021 year end" },
	{ "2023-12-29", 5, "2024-01-05", 0, "across the 2023/2024 year end" },
	{ "2022-12-31", 5, "2023-01-09", 0, "start on 2022-12-31, a holiday from the 2023 notice" },
	{ "2025-01-01", 5, "2025-01-08", 0, "start on New Year's Day 2025" },
	{ "2024-02-29", 5, "2024-03-06", 0, "leap day on a Thursday" },
	{ "2020-02-29", 5, "2020-03-06", 0, "leap day on a Saturday" },
	{ "2026-12-31", 1, "2026-12-31", 0, "last loaded day, N = 1" },
	{ "2026-01-04", 10, "2026-01-15", 0, "N = 10 from a working Sunday" },
	{ "2024-12-31", 250, "2026-01-04", 0, "long walk over a whole year" },
	{ "2020-01-19", 1, "2020-01-19", 0, "first working Sunday of the data" },
	{ "2020-02-01", 1, "2020-02-03", 0, "cancelled working Saturday" },
	{ "2027-01-04", 5, NULL, 2027, "a year without arrangement" },
	{ "2026-12-28", 5, NULL, 2027, "2026-12-28 + 5 runs into 2027" },
	{ "2026-12-31", 2, NULL, 2027, "the second day is already in 2027" },
	{ "2026-12-26", 5, NULL, 2027, "Saturday start, runs into 2027" },
	{ "2019-12-31", 5, NULL, 2019, "a year before the data" },
	{ "9999-12-31", 1, NULL, 9999, "the last representable year" },
};

START_TEST(publicity_own_cases)
{
	int32_t end = 0;
	int missing = 0;
	int rc = calendar_publicity_end(&ref, D(own_cases[_i].start), own_cases[_i].n, &end,
					&missing);
	if (own_cases[_i].end) {
		ck_assert_msg(rc == CAL_OK, "%s: status %d", own_cases[_i].why, rc);
		ck_assert_msg(end == D(own_cases[_i].end), "%s", own_cases[_i].why);
		ck_assert(working(end));
	} else {
		ck_assert_msg(rc == CAL_NO_YEAR, "%s: status %d", own_cases[_i].why, rc);
		ck_assert_int_eq(missing, own_cases[_i].missing);
	}
}
END_TEST

START_TEST(publicity_bad_arguments)
{
	int32_t end = 42;
	ck_assert_int_eq(calendar_publicity_end(&ref, D("2026-03-02"), 0, &end, NULL), CAL_BAD_ARG);
	ck_assert_int_eq(calendar_publicity_end(&ref, D("2026-03-02"), -5, &end, NULL), CAL_BAD_ARG);
	ck_assert_int_eq(calendar_publicity_end(&ref, CIVIL_DAY_MAX + 1, 5, &end, NULL), CAL_BAD_ARG);
	ck_assert_int_eq(calendar_publicity_end(&ref, INT32_MIN, 5, &end, NULL), CAL_BAD_ARG);
	ck_assert_int_eq(end, 42);
	/* A huge N walks to the end of the data and then refuses. */
	int missing = 0;
	ck_assert_int_eq(calendar_publicity_end(&ref, D("2026-03-02"), 2147483647, &end, &missing),
			 CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2027);
}
END_TEST

/* ---- add and count ---- */

START_TEST(add_and_count_samples)
{
	int32_t out = 0;
	int count = 0, missing = 0;
	/* Add: from itself not counted. */
	ck_assert_int_eq(calendar_add_working_days(&ref, D("2024-09-27"), 1, &out, NULL), CAL_OK);
	ck_assert_int_eq(out, D("2024-09-29")); /* Sunday worked */
	ck_assert_int_eq(calendar_add_working_days(&ref, D("2024-10-08"), -1, &out, NULL), CAL_OK);
	ck_assert_int_eq(out, D("2024-09-30"));
	ck_assert_int_eq(calendar_add_working_days(&ref, D("2024-10-08"), -3, &out, NULL), CAL_OK);
	ck_assert_int_eq(out, D("2024-09-27"));
	ck_assert_int_eq(calendar_add_working_days(&ref, D("2024-10-03"), 0, &out, NULL), CAL_OK);
	ck_assert_int_eq(out, D("2024-10-03"));
	ck_assert_int_eq(calendar_add_working_days(&ref, D("2020-01-03"), -2, &out, &missing),
			 CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2019);
	ck_assert_int_eq(calendar_add_working_days(&ref, D("2026-12-30"), 2, &out, &missing),
			 CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2027);
	ck_assert_int_eq(calendar_add_working_days(&ref, CIVIL_DAY_MAX + 1, 1, &out, NULL),
			 CAL_BAD_ARG);
	/* Count: closed interval; whole years (checked with a script). */
	static const struct { int year, days; } per_year[] = {
		{ 2020, 249 }, { 2021, 250 }, { 2022, 249 }, { 2023, 249 },
		{ 2024, 251 }, { 2025, 248 }, { 2026, 248 },
	};
	for (size_t i = 0; i < sizeof per_year / sizeof per_year[0]; i++) {
		ck_assert_int_eq(calendar_count_working_days(&ref, civil_from_ymd(per_year[i].year, 1, 1),
							     civil_from_ymd(per_year[i].year, 12, 31),
							     &count, NULL), CAL_OK);
		ck_assert_int_eq(count, per_year[i].days);
	}
	ck_assert_int_eq(calendar_count_working_days(&ref, D("2024-10-05"), D("2024-10-05"), &count,
						     NULL), CAL_OK);
	ck_assert_int_eq(count, 0);
	ck_assert_int_eq(calendar_count_working_days(&ref, D("2024-10-12"), D("2024-10-12"), &count,
						     NULL), CAL_OK);
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(calendar_count_working_days(&ref, D("2020-01-01"), D("2026-12-31"), &count,
						     NULL), CAL_OK);
	ck_assert_int_eq(count, 249 + 250 + 249 + 249 + 251 + 248 + 248);
}
END_TEST

START_TEST(count_refuses)
{
	int count = -7, missing = 0;
	ck_assert_int_eq(calendar_count_working_days(&ref, D("2026-12-01"), D("2027-01-10"), &count,
						     &missing), CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2027);
	ck_assert_int_eq(calendar_count_working_days(&ref, D("2019-12-01"), D("2020-01-10"), &count,
						     &missing), CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2019);
	ck_assert_int_eq(calendar_count_working_days(&ref, D("2024-01-02"), D("2024-01-01"), &count,
						     NULL), CAL_BAD_ARG);
	ck_assert_int_eq(calendar_count_working_days(&ref, D("2024-01-02"), CIVIL_DAY_MAX + 1, &count,
						     NULL), CAL_BAD_ARG);
	ck_assert_int_eq(count, -7);
}
END_TEST

/* A gap year in the middle is refused too, even though both ends are known. */
START_TEST(count_refuses_gap_year)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	static const char text[] = "date,type,name\n2024-01-01,holiday,元旦\n2026-01-01,holiday,元旦\n";
	int count = 0, missing = 0;
	int32_t out;
	ck_assert_int_eq(calendar_parse_csv(&cal, text, sizeof text - 1, &err), 0);
	ck_assert_int_eq(calendar_count_working_days(&cal, D("2024-06-03"), D("2026-06-01"), &count,
						     &missing), CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2025);
	ck_assert_int_eq(calendar_add_working_days(&cal, D("2024-12-30"), 3, &out, &missing),
			 CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2025);
	calendar_release(&cal);
	buf_release(&err);
}
END_TEST

/* ---- properties over random dates ---- */

/* xorshift64*: the same sequence on every libc. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

START_TEST(property_add_then_count)
{
	int32_t lo = D("2020-01-01"), hi = D("2026-12-31");
	int refused = 0;
	for (int i = 0; i < 10000; i++) {
		int32_t d = lo + (int32_t)(rng() % (uint64_t)(hi - lo + 1)), r = 0;
		int n = 1 + (int)(rng() % 40), count = -1, missing = 0;
		int rc = calendar_add_working_days(&ref, d, n, &r, &missing);
		if (rc == CAL_NO_YEAR) {
			CHECK(missing == 2027, "add(%d, %d) refused for %d", (int)d, n, missing);
			refused++;
		} else {
			CHECK(rc == CAL_OK, "add(%d, %d) gave %d", (int)d, n, rc);
			CHECK(working(r), "add(%d, %d) is not a working day", (int)d, n);
			rc = calendar_count_working_days(&ref, d + 1, r, &count, NULL);
			CHECK(rc == CAL_OK && count == n, "add(%d, %d): count %d", (int)d, n, count);
		}
		/* Backwards: the n-th working day before d. */
		rc = calendar_add_working_days(&ref, d, -n, &r, &missing);
		if (rc == CAL_NO_YEAR) {
			CHECK(missing == 2019, "add(%d, -%d) refused for %d", (int)d, n, missing);
		} else {
			CHECK(rc == CAL_OK, "add(%d, -%d) gave %d", (int)d, n, rc);
			CHECK(working(r), "add(%d, -%d) is not a working day", (int)d, n);
			rc = calendar_count_working_days(&ref, r, d - 1, &count, NULL);
			CHECK(rc == CAL_OK && count == n, "add(%d, -%d): count %d", (int)d, n, count);
		}
	}
	ck_assert_int_gt(refused, 0); /* the walk into 2027 was exercised */
}
END_TEST

START_TEST(property_publicity_end)
{
	int32_t lo = D("2020-01-01"), hi = D("2026-12-31");
	int done = 0;
	for (int i = 0; i < 10000; i++) {
		int32_t d = lo + (int32_t)(rng() % (uint64_t)(hi - lo + 1)), end = 0;
		int n = 1 + (int)(rng() % 10), count = -1, missing = 0;
		int rc = calendar_publicity_end(&ref, d, n, &end, &missing);
		if (rc == CAL_NO_YEAR) {
			CHECK(missing == 2027, "end(%d, %d) refused for %d", (int)d, n, missing);
			continue;
		}
		CHECK(rc == CAL_OK, "end(%d, %d) gave %d", (int)d, n, rc);
		/* The end date is always a working day. */
		CHECK(working(end), "end(%d, %d) is not a working day", (int)d, n);
		rc = calendar_count_working_days(&ref, d, end, &count, NULL);
		CHECK(rc == CAL_OK && count == n, "end(%d, %d): count %d", (int)d, n, count);
		if (end > d) {
			rc = calendar_count_working_days(&ref, d, end - 1, &count, NULL);
			CHECK(rc == CAL_OK && count == n - 1, "end(%d, %d) not the first", (int)d, n);
		}
		done++;
	}
	ck_assert_int_gt(done, 9000);
}
END_TEST

/* ---- CSV ---- */

static const struct {
	const char *text;
	size_t len; /* 0: strlen(text) */
	size_t rows;
	int years;
	const char *why;
} good_csv[] = {
	{ "date,type,name\n2026-01-01,holiday,元旦\n", 0, 1, 1, "minimal" },
	{ "date,type,name\r\n2026-01-01,holiday,元旦\r\n2026-01-04,workday,元旦\r\n", 0, 2, 1, "CRLF" },
	{ "\xEF\xBB\xBF" "date,type,name\n2026-01-01,holiday,元旦\n", 0, 1, 1, "UTF-8 BOM" },
	{ "date,type,name\n2026-01-01,holiday,元旦", 0, 1, 1, "no final newline" },
	{ "date,type,name\n\n2026-01-01,holiday,元旦\n\n\n2027-01-01,holiday,元旦\n", 0, 2, 2,
	  "blank lines" },
	{ "date,type,name\n2027-02-06,holiday,春节\n2026-10-10,workday,国庆节\n2026-01-01,holiday,元旦\n",
	  0, 3, 2, "unsorted" },
	{ "date,type,name\n2026-01-03,holiday,元旦 New Year\n", 0, 1, 1, "holiday on a Saturday, space in name" },
	{ "date,type,name\n2026-01-01,holiday,"
	  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	  "一二三四五六七八九十一二三四五六七八九十一二三四\n", 0, 1, 1, "name of 64 characters" },
};

START_TEST(csv_good)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	size_t len = good_csv[_i].len ? good_csv[_i].len : strlen(good_csv[_i].text);
	ck_assert_msg(calendar_parse_csv(&cal, good_csv[_i].text, len, &err) == 0, "%s: %s",
		      good_csv[_i].why, err.data);
	ck_assert_uint_eq(cal.n, good_csv[_i].rows);
	ck_assert_uint_eq(cal.nyears, (size_t)good_csv[_i].years);
	for (size_t i = 1; i < cal.n; i++)
		ck_assert_int_lt(cal.entries[i - 1].day, cal.entries[i].day);
	ck_assert_uint_eq(err.len, 0);
	calendar_release(&cal);
	buf_release(&err);
}
END_TEST

static const struct {
	const char *text;
	size_t len; /* 0: strlen(text) */
	const char *message; /* a part of the expected message */
} bad_csv[] = {
	{ "", 0, "文件为空" },
	{ "\xEF\xBB\xBF", 0, "文件为空" },
	{ "2026-01-01,holiday,元旦\n", 0, "第 1 行：缺少表头" },
	{ "date,kind,name\n2026-01-01,holiday,元旦\n", 0, "第 1 行：缺少表头" },
	{ "date, type, name\n2026-01-01,holiday,元旦\n", 0, "第 1 行：缺少表头" },
	{ "Date,Type,Name\n2026-01-01,holiday,元旦\n", 0, "第 1 行：缺少表头" },
	{ "date,type,name\r2026-01-01,holiday,元旦\r", 0, "第 1 行：缺少表头" },
	{ "date,type,name\n", 0, "没有日期行" },
	{ "date,type,name\n\n\n", 0, "没有日期行" },
	{ "date,type,name\n2026-13-01,holiday,元旦\n", 0, "第 2 行：日期格式错误" },
	{ "date,type,name\n2026-02-29,holiday,春节\n", 0, "第 2 行：日期格式错误" },
	{ "date,type,name\n2026-1-01,holiday,元旦\n", 0, "第 2 行：日期格式错误" },
	{ "date,type,name\n 2026-01-01,holiday,元旦\n", 0, "第 2 行：日期格式错误" },
	{ "date,type,name\n2026/01/01,holiday,元旦\n", 0, "第 2 行：日期格式错误" },
	{ "date,type,name\n,holiday,元旦\n", 0, "第 2 行：日期格式错误" },
	{ "date,type,name\n2026-01-01,Holiday,元旦\n", 0, "第 2 行：类型应为" },
	{ "date,type,name\n2026-01-01,off,元旦\n", 0, "第 2 行：类型应为" },
	{ "date,type,name\n2026-01-01,,元旦\n", 0, "第 2 行：类型应为" },
	{ "date,type,name\n2026-01-01,holiday ,元旦\n", 0, "第 2 行：类型应为" },
	{ "date,type,name\n2026-01-01,holiday,元旦\n2026-01-01,holiday,元旦\n", 0,
	  "第 3 行：日期 2026-01-01 重复（第 2 行" },
	{ "date,type,name\n2026-01-02,holiday,元旦\n2026-01-01,holiday,元旦\n2026-01-03,holiday,元旦\n"
	  "2026-01-02,holiday,元旦\n", 0, "第 5 行：日期 2026-01-02 重复（第 2 行" },
	{ "date,type,name\n2026-01-01,holiday\n", 0, "第 2 行：应有 3 列（date,type,name），实际 2 列" },
	{ "date,type,name\n2026-01-01\n", 0, "实际 1 列" },
	{ "date,type,name\n2026-01-01,holiday,元旦,x\n", 0, "第 2 行：应有 3 列（date,type,name），实际 4 列" },
	{ "date,type,name\n2026-01-01;holiday;元旦\n", 0, "实际 1 列" },
	{ "date,type,name\n2026-01-01,holiday,\n", 0, "第 2 行：名称不能为空" },
	{ "date,type,name\n2026-01-01,holiday,"
	  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	  "一二三四五六七八九十一二三四五六七八九十一二三四五\n", 0, "名称过长（65 个字符" },
	{ "date,type,name\n2026-01-01,holiday,\xd4\xaa\xb5\xa9\n", 0, "第 2 行：不是有效的 UTF-8" },
	{ "date,type,name\n2026-01-01,holiday,a\0b\n", sizeof "date,type,name\n2026-01-01,holiday,a\0b\n" - 1,
	  "第 2 行：不是有效的 UTF-8" },
	{ "date,type,name\n2026-01-01,holiday,元\t旦\n", 0, "第 2 行：名称不能包含控制字符" },
	{ "date,type,name\n2026-01-01,holiday,元\r旦\n", 0, "第 2 行：名称不能包含控制字符" },
	{ "date,type,name\n2026-01-01,holiday,\"元旦\"\n", 0, "第 2 行：名称不能包含英文逗号或双引号" },
	{ "date,type,name\n2026-01-05,workday,元旦\n", 0,
	  "第 2 行：2026-01-05 是星期一，本来就是工作日" },
	{ "date,type,name\n2026-01-01,holiday,元旦\n2026-01-04,workday,元旦\n2026-01-06,workday,元旦\n",
	  0, "第 4 行：2026-01-06 是星期二" },
};

START_TEST(csv_bad)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	size_t len = bad_csv[_i].len ? bad_csv[_i].len : strlen(bad_csv[_i].text);
	/* Start from a loaded calendar: a failed load must leave nothing. */
	static const char good[] = "date,type,name\n2026-01-01,holiday,元旦\n";
	ck_assert_int_eq(calendar_parse_csv(&cal, good, sizeof good - 1, &err), 0);
	ck_assert_int_eq(calendar_parse_csv(&cal, bad_csv[_i].text, len, &err), -1);
	ck_assert_msg(strstr(err.data, bad_csv[_i].message) != NULL, "message \"%s\" lacks \"%s\"",
		      err.data, bad_csv[_i].message);
	ck_assert_uint_eq(cal.n, 0);
	ck_assert_uint_eq(cal.nyears, 0);
	ck_assert(!calendar_year_loaded(&cal, 2026));
	calendar_release(&cal);
	buf_release(&err);
}
END_TEST

START_TEST(csv_bad_value_is_echoed_safely)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	static const char text[] = "date,type,name\n2026-01-01,HOLI\x01" "DAY,元旦\n";
	ck_assert_int_eq(calendar_parse_csv(&cal, text, sizeof text - 1, &err), -1);
	ck_assert_str_eq(err.data,
			 "第 2 行：类型应为 holiday（放假）或 workday（调休上班）：“HOLI?DAY”");
	calendar_release(&cal);
	buf_release(&err);
}
END_TEST

START_TEST(csv_too_large)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT, text = BUF_INIT;
	buf_adds(&text, "date,type,name\n");
	while (text.len <= CALENDAR_CSV_MAX_BYTES)
		buf_adds(&text, "\n");
	ck_assert_int_eq(calendar_parse_csv(&cal, text.data, text.len, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, "文件过大"));
	calendar_release(&cal);
	buf_release(&err);
	buf_release(&text);
}
END_TEST

START_TEST(csv_file_errors)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	ck_assert_int_eq(calendar_load_csv(&cal, "/nonexistent/calendar.csv", &err), -1);
	ck_assert_str_eq(err.data, "文件不存在");
	buf_reset(&err);
	ck_assert_int_eq(calendar_load_csv(&cal, "/", &err), -1); /* a directory */
	ck_assert_uint_gt(err.len, 0);
	ck_assert_uint_eq(cal.n, 0);
	calendar_release(&cal);
	buf_release(&err);
}
END_TEST

/* A file that cannot be read leaves the calendar empty, not holding what
 * an earlier load put there (calendar_load_csv replaces the content). */
START_TEST(csv_file_error_empties)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	char *path = data_path("calendar.csv");
	ck_assert_int_eq(calendar_load_csv(&cal, path, &err), 0);
	ck_assert_uint_gt(cal.n, 0);
	ck_assert_int_eq(calendar_load_csv(&cal, "/nonexistent/calendar.csv", &err), -1);
	ck_assert_uint_eq(cal.n, 0);
	ck_assert_uint_eq(cal.nyears, 0);
	ck_assert(!calendar_year_loaded(&cal, 2026));
	free(path);
	calendar_release(&cal);
	buf_release(&err);
}
END_TEST

/* A bad value is echoed up to 20 characters, then "…": at, below and just
 * above the limit, for characters of 1, 2, 3 and 4 bytes. */
static const struct {
	const char *unit; /* one character */
	int repeat;
	int shown;
	bool cut;
} echoes[] = {
	{ "x", 19, 19, false }, { "x", 20, 20, false }, { "x", 21, 20, true },
	{ "é", 20, 20, false }, { "é", 21, 20, true },
	{ "假", 20, 20, false }, { "假", 21, 20, true }, { "假", 40, 20, true },
	{ "𝄞", 20, 20, false }, { "𝄞", 21, 20, true },
};

START_TEST(csv_echo_limit)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT, text = BUF_INIT, want = BUF_INIT;
	buf_adds(&text, "date,type,name\n2026-01-01,");
	for (int i = 0; i < echoes[_i].repeat; i++)
		buf_adds(&text, echoes[_i].unit);
	buf_adds(&text, ",元旦\n");
	buf_adds(&want, "第 2 行：类型应为 holiday（放假）或 workday（调休上班）：“");
	for (int i = 0; i < echoes[_i].shown; i++)
		buf_adds(&want, echoes[_i].unit);
	buf_adds(&want, echoes[_i].cut ? "…”" : "”");
	ck_assert_int_eq(calendar_parse_csv(&cal, text.data, text.len, &err), -1);
	ck_assert_str_eq(err.data, want.data);
	calendar_release(&cal);
	buf_release(&err);
	buf_release(&text);
	buf_release(&want);
}
END_TEST

/* Years 0001..9999 only, and -1 (nothing added) outside them. */
START_TEST(append_year_range)
{
	static const struct {
		int year;
		int rc;
	} cases[] = {
		{ CIVIL_YEAR_MIN - 1, -1 }, { CIVIL_YEAR_MIN, 0 },      { CIVIL_YEAR_MIN + 1, 0 },
		{ 2026, 0 },                { CIVIL_YEAR_MAX - 1, 0 }, { CIVIL_YEAR_MAX, 0 },
		{ CIVIL_YEAR_MAX + 1, -1 }, { -2026, -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct calendar cal = CALENDAR_INIT;
		ck_assert_int_eq(calendar_append_year(&cal, cases[i].year), cases[i].rc);
		ck_assert_uint_eq(cal.nyears, cases[i].rc == 0);
		ck_assert_int_eq(calendar_year_loaded(&cal, cases[i].year), cases[i].rc == 0);
		calendar_release(&cal);
	}
}
END_TEST

/* A year is loaded exactly when the file has a row dated in it. */
START_TEST(csv_years_loaded)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	static const char text[] = "date,type,name\n2027-01-01,holiday,元旦\n2026-12-31,holiday,元旦\n";
	bool w;
	ck_assert_int_eq(calendar_parse_csv(&cal, text, sizeof text - 1, &err), 0);
	ck_assert_uint_eq(cal.nyears, 2);
	ck_assert_int_eq(cal.years[0], 2026);
	ck_assert_int_eq(cal.years[1], 2027);
	ck_assert_int_eq(calendar_is_working_day(&cal, D("2027-01-04"), &w, NULL), CAL_OK);
	ck_assert(w);
	ck_assert_int_eq(calendar_is_working_day(&cal, D("2028-01-03"), &w, NULL), CAL_NO_YEAR);
	calendar_release(&cal);
	buf_release(&err);
}
END_TEST

/* ---- one entry, kinds, messages ---- */

START_TEST(check_entry_rules)
{
	struct buf err = BUF_INIT;
	ck_assert_int_eq(calendar_check_entry(D("2026-01-03"), CAL_HOLIDAY, "元旦", 6, &err), 0);
	ck_assert_int_eq(calendar_check_entry(D("2026-01-04"), CAL_WORKDAY, "元旦", 6, &err), 0);
	ck_assert_uint_eq(err.len, 0);
	ck_assert_int_eq(calendar_check_entry(D("2026-01-05"), CAL_WORKDAY, "元旦", 6, &err), -1);
	buf_reset(&err);
	ck_assert_int_eq(calendar_check_entry(CIVIL_DAY_MAX + 1, CAL_HOLIDAY, "x", 1, &err), -1);
	buf_reset(&err);
	ck_assert_int_eq(calendar_check_entry(D("2026-01-01"), (enum cal_kind)7, "x", 1, &err), -1);
	buf_reset(&err);
	ck_assert_int_eq(calendar_check_entry(D("2026-01-01"), CAL_HOLIDAY, NULL, 0, &err), -1);
	ck_assert_str_eq(err.data, "名称不能为空");
	buf_reset(&err);
	ck_assert_int_eq(calendar_check_entry(D("2026-01-01"), CAL_HOLIDAY, "a,b", 3, &err), -1);
	buf_release(&err);
}
END_TEST

START_TEST(kinds_and_messages)
{
	enum cal_kind k;
	struct buf msg = BUF_INIT;
	ck_assert_int_eq(calendar_kind_parse("holiday", 7, &k), 0);
	ck_assert_int_eq(k, CAL_HOLIDAY);
	ck_assert_int_eq(calendar_kind_parse("workday", 7, &k), 0);
	ck_assert_int_eq(k, CAL_WORKDAY);
	ck_assert_int_eq(calendar_kind_parse("holidays", 8, &k), -1);
	ck_assert_int_eq(calendar_kind_parse("holida", 6, &k), -1);
	ck_assert_int_eq(calendar_kind_parse("WORKDAY", 7, &k), -1);
	ck_assert_int_eq(calendar_kind_parse("", 0, &k), -1);
	ck_assert_str_eq(calendar_kind_str(CAL_HOLIDAY), "holiday");
	ck_assert_str_eq(calendar_kind_str(CAL_WORKDAY), "workday");
	ck_assert_str_eq(calendar_kind_label(CAL_HOLIDAY), "放假");
	ck_assert_str_eq(calendar_kind_label(CAL_WORKDAY), "调休上班");
	calendar_describe_missing_year(&msg, 2027);
	ck_assert_ptr_nonnull(strstr(msg.data, "2027 年的节假日安排尚未录入"));
	buf_release(&msg);
}
END_TEST

START_TEST(release_is_reusable)
{
	struct calendar cal;
	struct buf err = BUF_INIT;
	static const char text[] = "date,type,name\n2026-01-01,holiday,元旦\n";
	calendar_init(&cal);
	calendar_release(&cal);
	ck_assert_int_eq(calendar_parse_csv(&cal, text, sizeof text - 1, &err), 0);
	ck_assert_int_eq(calendar_parse_csv(&cal, text, sizeof text - 1, &err), 0); /* replaces */
	ck_assert_uint_eq(cal.n, 1);
	calendar_release(&cal);
	calendar_release(&cal);
	ck_assert_ptr_null(cal.entries);
	buf_release(&err);
}
END_TEST

static Suite *calendar_suite(void)
{
	Suite *s = suite_create("calendar");
	TCase *rules = tcase_create("rules");
	TCase *csv = tcase_create("csv");

	tcase_add_unchecked_fixture(rules, load_reference, release_reference);
	tcase_set_timeout(rules, 60);
	tcase_add_test(rules, reference_loads);
	tcase_add_test(rules, working_day_rule_every_day);
	tcase_add_test(rules, working_day_samples);
	tcase_add_test(rules, working_day_unknown_year);
	tcase_add_test(rules, publicity_reference_cases);
	tcase_add_loop_test(rules, publicity_own_cases, 0,
			    (int)(sizeof own_cases / sizeof own_cases[0]));
	tcase_add_test(rules, publicity_bad_arguments);
	tcase_add_test(rules, add_and_count_samples);
	tcase_add_test(rules, count_refuses);
	tcase_add_test(rules, count_refuses_gap_year);
	tcase_add_test(rules, property_add_then_count);
	tcase_add_test(rules, property_publicity_end);
	suite_add_tcase(s, rules);

	tcase_add_loop_test(csv, csv_good, 0, (int)(sizeof good_csv / sizeof good_csv[0]));
	tcase_add_loop_test(csv, csv_bad, 0, (int)(sizeof bad_csv / sizeof bad_csv[0]));
	tcase_add_test(csv, csv_bad_value_is_echoed_safely);
	tcase_add_test(csv, csv_too_large);
	tcase_add_test(csv, csv_file_errors);
	tcase_add_test(csv, csv_file_error_empties);
	tcase_add_loop_test(csv, csv_echo_limit, 0, (int)(sizeof echoes / sizeof echoes[0]));
	tcase_add_test(csv, append_year_range);
	tcase_add_test(csv, csv_years_loaded);
	tcase_add_test(csv, check_entry_rules);
	tcase_add_test(csv, kinds_and_messages);
	tcase_add_test(csv, release_is_reusable);
	suite_add_tcase(s, csv);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(calendar_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
