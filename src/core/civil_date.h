/* civil_date: calendar dates as day numbers, and "now" in Asia/Shanghai.
 *
 * A date is an int32_t counting days since 1970-01-01 in the proleptic
 * Gregorian calendar (day 0 is 1970-01-01, day -1 is 1969-12-31), so the
 * next day is d + 1 and the gap between two dates is a subtraction.  The
 * conversions are Howard Hinnant's days_from_civil / civil_from_days
 * (http://howardhinnant.github.io/date_algorithms.html), exact for every
 * year this module accepts.
 *
 * Text dates are strictly "YYYY-MM-DD" (ISO 8601 calendar date, years
 * 0001–9999): no spaces, signs or short fields, and the day must exist.
 *
 * Asia/Shanghai is a fixed UTC+8 (no DST since 1991), so "now" is computed as
 * gmtime_r(time + 8 h) and never depends on the server's TZ or tz database.
 * Nothing here allocates; output buffers belong to the caller.
 */
#ifndef BIAOGAN_CIVIL_DATE_H
#define BIAOGAN_CIVIL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CIVIL_DATE_LEN 10     /* strlen("YYYY-MM-DD") */
#define CIVIL_DATETIME_LEN 19 /* strlen("YYYY-MM-DD HH:MM:SS") */
#define CIVIL_YEAR_MIN 1
#define CIVIL_YEAR_MAX 9999
#define CIVIL_DAY_MIN (-719162) /* 0001-01-01 */
#define CIVIL_DAY_MAX 2932896   /* 9999-12-31 */
#define CIVIL_SHANGHAI_OFFSET (8 * 3600)

bool civil_is_leap(int year);
/* 28..31; 0 for a month outside 1..12. */
int civil_days_in_month(int year, int month);
/* True if year is in CIVIL_YEAR_MIN..MAX and month/day name a real date. */
bool civil_valid_ymd(int year, int month, int day);

/* days_from_civil.  The arguments must satisfy civil_valid_ymd (checked
 * with assert: passing anything else is a bug in the caller). */
int32_t civil_from_ymd(int year, int month, int day);
/* civil_from_days; any pointer may be NULL. */
void civil_to_ymd(int32_t days, int *year, int *month, int *day);
int civil_year(int32_t days);
/* ISO weekday: Monday = 1 … Sunday = 7. */
int civil_weekday(int32_t days);
/* "一".."日", for messages such as "星期六". */
const char *civil_weekday_zh(int32_t days);
/* True if days is in CIVIL_DAY_MIN..CIVIL_DAY_MAX. */
bool civil_day_in_range(int32_t days);

/* Parse exactly "YYYY-MM-DD" (the string must end there).  Returns 0 and
 * stores the day number, or -1 (and leaves *out alone) on any error. */
int civil_parse(const char *s, int32_t *out);
/* The same for a field that is not NUL-terminated: exactly len bytes. */
int civil_parse_n(const char *s, size_t len, int32_t *out);

/* Writes "YYYY-MM-DD" and a NUL.  days must be civil_day_in_range. */
void civil_format(int32_t days, char out[CIVIL_DATE_LEN + 1]);
/* "2026年11月25日" (no leading zeros, as public notices write dates) and a
 * NUL; at most CIVIL_DATE_ZH_MAX bytes with the NUL.  days must be
 * civil_day_in_range. */
#define CIVIL_DATE_ZH_MAX 24
void civil_format_zh(int32_t days, char out[CIVIL_DATE_ZH_MAX]);
/* The same from "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (its date); 0, or -1
 * with out "" when s is neither. */
int civil_format_zh_iso(const char *s, char out[CIVIL_DATE_ZH_MAX]);
/* Writes "YYYY-MM-DD HH:MM:SS" and a NUL from a broken-down time. */
void civil_format_tm(const struct tm *tm, char out[CIVIL_DATETIME_LEN + 1]);

/* Asia/Shanghai wall clock of the instant t.  0, or -1 if t is outside what
 * gmtime_r can represent. */
int civil_tm_shanghai(time_t t, struct tm *out);
/* The Asia/Shanghai date of the instant t. */
int32_t civil_day_shanghai(time_t t); /* t within years 0001–9999 */
/* "YYYY-MM-DD HH:MM:SS" in Asia/Shanghai of the instant t; 0 or -1. */
int civil_format_time_shanghai(time_t t, char out[CIVIL_DATETIME_LEN + 1]);

/* The same for time(NULL). */
int32_t civil_today_shanghai(void);
int civil_now_shanghai(struct tm *out);

#endif
