#include "core/civil_date.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

bool civil_is_leap(int year)
{
	return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int civil_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && civil_is_leap(year))
		return 29;
	return days[month - 1];
}

bool civil_valid_ymd(int year, int month, int day)
{
	if (year < CIVIL_YEAR_MIN || year > CIVIL_YEAR_MAX)
		return false;
	if (month < 1 || month > 12)
		return false;
	return day >= 1 && day <= civil_days_in_month(year, month);
}

bool civil_day_in_range(int32_t days)
{
	return days >= CIVIL_DAY_MIN && days <= CIVIL_DAY_MAX;
}

/* Hinnant's days_from_civil: the year is taken to start on 1 March so the
 * leap day is the last day of the "year" and month lengths follow a fixed
 * pattern; eras are 400-year cycles of 146097 days. */
int32_t civil_from_ymd(int year, int month, int day)
{
	assert(civil_valid_ymd(year, month, day));
	long long y = (long long)year - (month <= 2);
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;                                      /* [0, 399] */
	long long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; /* [0, 365] */
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              /* [0, 146096] */
	return (int32_t)(era * 146097 + doe - 719468);
}

void civil_to_ymd(int32_t days, int *year, int *month, int *day)
{
	long long z = (long long)days + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;                                           /* [0, 146096] */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;      /* [0, 399] */
	long long y = yoe + era * 400;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                    /* [0, 365] */
	long long mp = (5 * doy + 2) / 153;                                         /* [0, 11] */
	long long d = doy - (153 * mp + 2) / 5 + 1;                                 /* [1, 31] */
	long long m = mp < 10 ? mp + 3 : mp - 9;                                    /* [1, 12] */
	if (year)
		*year = (int)(y + (m <= 2));
	if (month)
		*month = (int)m;
	if (day)
		*day = (int)d;
}

int civil_year(int32_t days)
{
	int y;
	civil_to_ymd(days, &y, NULL, NULL);
	return y;
}

int civil_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int r = (int)(((long long)days % 7 + 7) % 7); /* 0 = Thursday */
	return (r + 3) % 7 + 1;
}

const char *civil_weekday_zh(int32_t days)
{
	static const char *const names[7] = { "一", "二", "三", "四", "五", "六", "日" };
	return names[civil_weekday(days) - 1];
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int civil_parse_n(const char *s, size_t len, int32_t *out)
{
	int y, m, d;
	if (!s || len != CIVIL_DATE_LEN || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !civil_valid_ymd(y, m, d))
		return -1;
	*out = civil_from_ymd(y, m, d);
	return 0;
}

int civil_parse(const char *s, int32_t *out)
{
	if (!s)
		return -1;
	/* strnlen: never read past the 11th byte of a long or unterminated-looking input. */
	return civil_parse_n(s, strnlen(s, CIVIL_DATE_LEN + 1), out);
}

void civil_format(int32_t days, char out[CIVIL_DATE_LEN + 1])
{
	int y, m, d;
	assert(civil_day_in_range(days));
	civil_to_ymd(days, &y, &m, &d);
	snprintf(out, CIVIL_DATE_LEN + 1, "%04d-%02d-%02d", y, m, d);
}

void civil_format_zh(int32_t days, char out[CIVIL_DATE_ZH_MAX])
{
	int y, m, d;
	assert(civil_day_in_range(days));
	civil_to_ymd(days, &y, &m, &d);
	snprintf(out, CIVIL_DATE_ZH_MAX, "%d年%d月%d日", y, m, d);
}

int civil_format_zh_iso(const char *s, char out[CIVIL_DATE_ZH_MAX])
{
	int32_t day;
	size_t n = s ? strlen(s) : 0;
	out[0] = '\0';
	if ((n != CIVIL_DATE_LEN && n != CIVIL_DATETIME_LEN) ||
	    (n == CIVIL_DATETIME_LEN && s[CIVIL_DATE_LEN] != ' ') ||
	    civil_parse_n(s, CIVIL_DATE_LEN, &day) != 0)
		return -1;
	civil_format_zh(day, out);
	return 0;
}

void civil_format_tm(const struct tm *tm, char out[CIVIL_DATETIME_LEN + 1])
{
	int n = snprintf(out, CIVIL_DATETIME_LEN + 1, "%04d-%02d-%02d %02d:%02d:%02d",
			 tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
			 tm->tm_min, tm->tm_sec);
	assert(n == CIVIL_DATETIME_LEN); /* a tm from gmtime_r always fits */
	(void)n;
}

int civil_tm_shanghai(time_t t, struct tm *out)
{
	long long shifted;
	time_t st;
	if (__builtin_add_overflow((long long)t, (long long)CIVIL_SHANGHAI_OFFSET, &shifted))
		return -1;
	st = (time_t)shifted;
	if ((long long)st != shifted)
		return -1;
	if (!gmtime_r(&st, out))
		return -1;
	return 0;
}

int32_t civil_day_shanghai(time_t t)
{
	/* Floor division first, so no sum can overflow and days before 1970
	 * round down, not toward zero. */
	long long q = (long long)t / 86400, r = (long long)t % 86400;
	if (r < 0) {
		r += 86400;
		q--;
	}
	if (r + CIVIL_SHANGHAI_OFFSET >= 86400)
		q++;
	assert(q >= CIVIL_DAY_MIN && q <= CIVIL_DAY_MAX); /* the clock is not in year 10000 */
	return (int32_t)q;
}

int civil_format_time_shanghai(time_t t, char out[CIVIL_DATETIME_LEN + 1])
{
	struct tm tm;
	if (civil_tm_shanghai(t, &tm) != 0)
		return -1;
	if (tm.tm_year + 1900 < CIVIL_YEAR_MIN || tm.tm_year + 1900 > CIVIL_YEAR_MAX)
		return -1;
	civil_format_tm(&tm, out);
	return 0;
}

int32_t civil_today_shanghai(void)
{
	return civil_day_shanghai(time(NULL));
}

int civil_now_shanghai(struct tm *out)
{
	return civil_tm_shanghai(time(NULL), out);
}
