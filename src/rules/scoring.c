#include "rules/scoring.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

enum score_step score_step_parse(const char *name)
{
	return name && !strcmp(name, "half") ? SCORE_HALF : SCORE_WHOLE;
}

const char *score_step_name(enum score_step s)
{
	return s == SCORE_HALF ? "half" : "whole";
}

const char *score_step_label(enum score_step s)
{
	return s == SCORE_HALF ? "可打半分（如 7.5）" : "整数分";
}

/* digits, optionally "." and more digits */
static bool is_decimal(const char *p)
{
	const char *d = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d)
		return false;
	if (*p == '.') {
		d = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return false;
	}
	return !*p;
}

enum score_status score_parse(const char *text, int max_points, enum score_step step,
			      int *halves)
{
	const char *p = text;
	long whole = 0;
	int digits = 0, half = 0;
	bool fraction_nonzero = false;

	if (!text || !*text)
		return SCORE_E_EMPTY;
	/* A negative number is a number, just not one in range. */
	if (*p == '-')
		return is_decimal(p + 1) ? SCORE_E_RANGE : SCORE_E_FORMAT;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		if (whole <= 1000)
			whole = whole * 10 + (*p - '0');
	if (!digits)
		return SCORE_E_FORMAT;
	if (*p == '.') {
		int fdigits = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits == 0 && *p == '5')
				half = 1;
			else if (*p != '0')
				fraction_nonzero = true;
		}
		if (!fdigits)
			return SCORE_E_FORMAT;
	}
	if (*p)
		return SCORE_E_FORMAT;
	if (fraction_nonzero)
		return SCORE_E_PRECISION;
	if (whole > max_points || (whole == max_points && half))
		return SCORE_E_RANGE;
	if (half && step != SCORE_HALF)
		return SCORE_E_PRECISION;
	*halves = (int)whole * 2 + half;
	return SCORE_OK;
}

void score_message(enum score_status s, const char *label, int max_points, enum score_step step,
		   char *out, size_t size)
{
	const char *unit = step == SCORE_HALF ? "，可打半分（如 7.5）" : "，只能打整数分";
	switch (s) {
	case SCORE_OK:
		snprintf(out, size, "%s", "");
		break;
	case SCORE_E_EMPTY:
		snprintf(out, size, "请填写%s（0到%d分%s）。", label, max_points, unit);
		break;
	case SCORE_E_FORMAT:
		snprintf(out, size, "%s须填写数字（0到%d分%s），请用半角数字输入。", label, max_points,
			 unit);
		break;
	case SCORE_E_RANGE:
		snprintf(out, size, "%s须在0到%d分之间。", label, max_points);
		break;
	case SCORE_E_PRECISION:
		snprintf(out, size, "%s%s。", label,
			 step == SCORE_HALF ? "只能打整数分或半分（如 7 或 7.5）" : "只能打整数分");
		break;
	}
}

const char *score_format(int halves, char *out)
{
	if (halves % 2)
		snprintf(out, SCORE_TEXT_MAX, "%d.5", halves / 2);
	else
		snprintf(out, SCORE_TEXT_MAX, "%d", halves / 2);
	return out;
}

const char *score_format_mean(double halves, char *out)
{
	/* Tenths of a point, rounded half away from zero. */
	double tenths = halves * 5.0;
	long t = (long)(tenths + (tenths < 0 ? -0.5 : 0.5));
	snprintf(out, SCORE_TEXT_MAX, "%s%ld.%ld", t < 0 ? "-" : "", (t < 0 ? -t : t) / 10,
		 (t < 0 ? -t : t) % 10);
	return out;
}

void score_stats(const int *halves, size_t n, int max_points, int share_percent,
		 struct score_stats *out)
{
	int sorted[SCORE_STATS_MAX];
	long sum = 0;

	memset(out, 0, sizeof *out);
	if (n > SCORE_STATS_MAX)
		n = SCORE_STATS_MAX;
	if (!n)
		return;
	/* Insertion sort: a panel is a handful of numbers. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && sorted[j - 1] > halves[i]; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = halves[i];
		sum += halves[i];
	}
	out->n = n;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->spread = out->max - out->min;
	out->mean = (double)sum / (double)n;
	out->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
	out->divergent = (long)out->spread * 100 > (long)share_percent * 2 * max_points;
}
