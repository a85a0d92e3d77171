/* Unit tests of civil_date: day numbers, strict parsing, weekdays, and
 * Asia/Shanghai "now" whatever TZ says. */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/civil_date.h"
#include "core/banned.h"

/* Day numbers and ISO weekdays checked against Python's datetime. */
static const struct {
	const char *text;
	int32_t days;
	int weekday;
} good_dates[] = {
	{ "1970-01-01", 0, 4 },         { "1969-12-31", -1, 3 },
	{ "2000-03-01", 11017, 3 },     { "2000-02-29", 11016, 2 },  /* 400-year leap */
	{ "2024-02-29", 19782, 4 },     { "2026-12-31", 20818, 4 },
	{ "0001-01-01", -719162, 1 },   { "9999-12-31", 2932896, 5 },
	{ "1600-02-29", -135081, 2 },   { "1900-03-01", -25508, 4 }, /* 1900 not leap */
};

static const char *const bad_dates[] = {
	"",             "2024-2-29",     "2023-02-29",   "1900-02-29",  "2100-02-29",
	"2024-13-01",   "2024-00-10",    "2024-01-00",   "2024-01-32",  "2024-04-31",
	"2024-06-31",   "0000-01-01",    " 2024-01-01",  "2024-01-01 ", "2024-01-01x",
	"2024/01/01",   "2024-01-0a",    "+024-01-01",   "-024-01-01",  "20240101",
	"2024-1-01",    "2024-01-1",     "2024--1-01",   "99999-01-01", "2024-01-01\n",
	"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-01", /* full-width digits */
	"2024_01_01",   "2024-01-01T00", "YYYY-MM-DD",   "2024-11-31",  "2023-02-30",
};

START_TEST(parse_good)
{
	int32_t d = 12345;
	char out[CIVIL_DATE_LEN + 1];
	ck_assert_int_eq(civil_parse(good_dates[_i].text, &d), 0);
	ck_assert_int_eq(d, good_dates[_i].days);
	civil_format(d, out);
	ck_assert_str_eq(out, good_dates[_i].text);
	ck_assert_int_eq(civil_weekday(d), good_dates[_i].weekday);
}
END_TEST

START_TEST(parse_bad)
{
	int32_t d = 12345;
	ck_assert_msg(civil_parse(bad_dates[_i], &d) == -1, "accepted \"%s\"", bad_dates[_i]);
	ck_assert_int_eq(d, 12345); /* untouched on error */
}
END_TEST

START_TEST(parse_null_and_lengths)
{
	int32_t d = 7;
	ck_assert_int_eq(civil_parse(NULL, &d), -1);
	ck_assert_int_eq(civil_parse_n(NULL, 10, &d), -1);
	/* civil_parse_n takes exactly len bytes: a NUL inside is not a digit. */
	ck_assert_int_eq(civil_parse_n("2024-01\0" "01", 10, &d), -1);
	ck_assert_int_eq(civil_parse_n("2024-01-01,holiday", 10, &d), 0);
	ck_assert_int_eq(d, 19723);
	ck_assert_int_eq(civil_parse_n("2024-01-01", 9, &d), -1);
	ck_assert_int_eq(civil_parse_n("2024-01-01", 11, &d), -1);
	ck_assert_int_eq(d, 19723);
}
END_TEST

/* ck_assert records every passing check (a write per call), far too slow for
 * millions of days: loops test with this and report only a failure. */
#define CHECK(cond, ...)                            \
	do {                                        \
		if (!(cond))                        \
			ck_abort_msg(__VA_ARGS__);  \
	} while (0)

/* Every day of 0001..9999: to_ymd/from_ymd and format/parse round-trip,
 * and the day after is the next calendar date. */
START_TEST(round_trip_all_days)
{
	int py, pm, pd;
	civil_to_ymd(CIVIL_DAY_MIN, &py, &pm, &pd);
	ck_assert(py == 1 && pm == 1 && pd == 1);
	for (int32_t d = CIVIL_DAY_MIN + 1; d <= CIVIL_DAY_MAX; d++) {
		int y, m, dd;
		bool next;
		civil_to_ymd(d, &y, &m, &dd);
		if (dd == pd + 1)
			next = y == py && m == pm;
		else
			next = dd == 1 && pd == civil_days_in_month(py, pm) &&
			       ((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1));
		CHECK(next, "day %d does not follow %04d-%02d-%02d", (int)d, py, pm, pd);
		CHECK(civil_from_ymd(y, m, dd) == d, "from_ymd(%d) wrong", (int)d);
		CHECK(civil_year(d) == y, "year of %d", (int)d);
		CHECK(civil_weekday(d) == civil_weekday(d - 1) % 7 + 1, "weekday of %d", (int)d);
		if (d % 97 == 0) { /* the text path is slower; a sample is enough */
			char s[CIVIL_DATE_LEN + 1];
			int32_t back = 0;
			civil_format(d, s);
			CHECK(civil_parse(s, &back) == 0 && back == d, "text round trip of %s", s);
		}
		py = y;
		pm = m;
		pd = dd;
	}
	ck_assert(py == 9999 && pm == 12 && pd == 31);
}
END_TEST

START_TEST(leap_years_and_month_lengths)
{
	ck_assert(civil_is_leap(2024));
	ck_assert(civil_is_leap(2000));
	ck_assert(!civil_is_leap(1900));
	ck_assert(!civil_is_leap(2026));
	ck_assert_int_eq(civil_days_in_month(2024, 2), 29);
	ck_assert_int_eq(civil_days_in_month(2026, 2), 28);
	ck_assert_int_eq(civil_days_in_month(2026, 4), 30);
	ck_assert_int_eq(civil_days_in_month(2026, 12), 31);
	ck_assert_int_eq(civil_days_in_month(2026, 0), 0);
	ck_assert_int_eq(civil_days_in_month(2026, 13), 0);
	ck_assert(civil_valid_ymd(2024, 2, 29));
	ck_assert(!civil_valid_ymd(2026, 2, 29));
	ck_assert(!civil_valid_ymd(0, 1, 1));
	ck_assert(!civil_valid_ymd(10000, 1, 1));
	ck_assert(civil_day_in_range(CIVIL_DAY_MIN) && civil_day_in_range(CIVIL_DAY_MAX));
	ck_assert(!civil_day_in_range(CIVIL_DAY_MIN - 1) && !civil_day_in_range(CIVIL_DAY_MAX + 1));
}
END_TEST

START_TEST(weekday_names)
{
	int32_t d;
	ck_assert_int_eq(civil_parse("2026-10-10", &d), 0); /* a Saturday worked in 2026 */
	ck_assert_int_eq(civil_weekday(d), 6);
	ck_assert_str_eq(civil_weekday_zh(d), "六");
	ck_assert_str_eq(civil_weekday_zh(d + 1), "日");
	ck_assert_str_eq(civil_weekday_zh(d + 2), "一");
	ck_assert_int_eq(civil_weekday(INT32_MIN), civil_weekday(INT32_MIN + 7));
}
END_TEST

/* Instants and their Asia/Shanghai wall clock (UTC+8). */
static const struct {
	time_t t;
	const char *wall;
	int32_t day;
} instants[] = {
	{ 0, "1970-01-01 08:00:00", 0 },
	{ -28800, "1970-01-01 00:00:00", 0 },
	{ -28801, "1969-12-31 23:59:59", -1 },
	{ 57599, "1970-01-01 23:59:59", 0 },
	{ 57600, "1970-01-02 00:00:00", 1 },
	{ 1700000000, "2023-11-15 06:13:20", 19676 },
	{ 1704038399, "2023-12-31 23:59:59", 19722 },
	{ 1704038400, "2024-01-01 00:00:00", 19723 },
	{ 1709222399, "2024-02-29 23:59:59", 19782 },
};

static void check_instants(void)
{
	for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++) {
		char s[CIVIL_DATETIME_LEN + 1];
		struct tm tm;
		ck_assert_int_eq(civil_format_time_shanghai(instants[i].t, s), 0);
		ck_assert_str_eq(s, instants[i].wall);
		ck_assert_int_eq(civil_day_shanghai(instants[i].t), instants[i].day);
		ck_assert_int_eq(civil_tm_shanghai(instants[i].t, &tm), 0);
		civil_format_tm(&tm, s);
		ck_assert_str_eq(s, instants[i].wall);
	}
}

START_TEST(shanghai_instants)
{
	check_instants();
}
END_TEST

/* The same answers whatever the process's time zone says. */
START_TEST(shanghai_ignores_tz)
{
	static const char *const zones[] = { "America/Los_Angeles", "UTC", "Asia/Tokyo",
					     "Pacific/Kiritimati", "EST5EDT", "garbage/zone" };
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		ck_assert_int_eq(setenv("TZ", zones[i], 1), 0);
		tzset();
		check_instants();
	}
}
END_TEST

START_TEST(shanghai_now)
{
	struct tm tm;
	time_t before = time(NULL);
	int32_t today = civil_today_shanghai();
	time_t after = time(NULL);
	ck_assert(today == civil_day_shanghai(before) || today == civil_day_shanghai(after));
	ck_assert_int_eq(civil_now_shanghai(&tm), 0);
	ck_assert(tm.tm_year + 1900 >= 2024);
	ck_assert_int_ge(civil_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), today);
}
END_TEST

START_TEST(shanghai_out_of_range)
{
	char s[CIVIL_DATETIME_LEN + 1] = "unchanged";
	/* 10000-01-01 00:00:00 in Shanghai has a five-digit year. */
	ck_assert_int_eq(civil_format_time_shanghai((time_t)253402300800LL - 28800, s), -1);
	ck_assert_int_eq(civil_format_time_shanghai((time_t)253402300799LL - 28800, s), 0);
	ck_assert_str_eq(s, "9999-12-31 23:59:59");
}
END_TEST

START_TEST(chinese_dates)
{
	char zh[CIVIL_DATE_ZH_MAX];
	civil_format_zh(civil_from_ymd(2026, 11, 25), zh);
	ck_assert_str_eq(zh, "2026年11月25日");
	civil_format_zh(civil_from_ymd(2027, 1, 4), zh);
	ck_assert_str_eq(zh, "2027年1月4日");
	ck_assert_int_eq(civil_format_zh_iso("2026-10-08", zh), 0);
	ck_assert_str_eq(zh, "2026年10月8日");
	ck_assert_int_eq(civil_format_zh_iso("2026-12-31 23:59:59", zh), 0);
	ck_assert_str_eq(zh, "2026年12月31日");
	static const char *const bad[] = { NULL, "", "2026-02-30", "2026-12-31T23:59:59",
					   "2026-12-3", "2026-12-31 23:59", "today" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(civil_format_zh_iso(bad[i], zh), -1);
		ck_assert_str_eq(zh, "");
	}
}
END_TEST

static Suite *civil_suite(void)
{
	Suite *s = suite_create("civil_date");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, parse_good, 0, (int)(sizeof good_dates / sizeof good_dates[0]));
	tcase_add_loop_test(tc, parse_bad, 0, (int)(sizeof bad_dates / sizeof bad_dates[0]));
	tcase_add_test(tc, parse_null_and_lengths);
	tcase_add_test(tc, round_trip_all_days);
	tcase_add_test(tc, leap_years_and_month_lengths);
	tcase_add_test(tc, weekday_names);
	tcase_add_test(tc, shanghai_instants);
	tcase_add_test(tc, chinese_dates);
	tcase_add_test(tc, shanghai_ignores_tz);
	tcase_add_test(tc, shanghai_now);
	tcase_add_test(tc, shanghai_out_of_range);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(civil_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
