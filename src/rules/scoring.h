/* scoring: one expert's points against the round's scheme, and the panel's
 * figures for one evaluation point (附件三 评价要点, 附件四 打分; issue 12).
 *
 * Points are kept in halves (7.5 points is 15) so a scheme of whole or half
 * points needs no floating point in the record.  A score is entered as
 * text: digits, and for a half-point scheme ".5" (".0", ".50" and a
 * trailing "0" are the same number); anything else is refused with its
 * reason, never rounded.
 *
 * The panel's figures: mean, median, the spread (max - min) and the
 * divergence flag: the spread is above `share_percent` of the maximum.  The
 * review step takes share_percent from config (review_divergence_percent).
 * Pure: no database, no allocation.
 */
#ifndef BIAOGAN_SCORING_H
#define BIAOGAN_SCORING_H

#include <stdbool.h>
#include <stddef.h>

#define SCORE_INPUT_MAX 8  /* the longest text a score may be typed as */
#define SCORE_TEXT_MAX 24  /* a buffer for score_format and score_format_mean */
#define SCORE_DIVERGENCE_DEFAULT 30 /* percent of the maximum */
#define SCORE_DIVERGENCE_MIN 1
#define SCORE_DIVERGENCE_MAX 100

enum score_step { SCORE_WHOLE = 0, SCORE_HALF };

enum score_status {
	SCORE_OK = 0,
	SCORE_E_EMPTY,     /* nothing entered */
	SCORE_E_FORMAT,    /* not a number */
	SCORE_E_RANGE,     /* below 0 or above the maximum */
	SCORE_E_PRECISION, /* finer than the scheme: a half in a whole-point scheme, or 7.3 */
};

/* "whole" / "half"; SCORE_WHOLE for anything else (the column's default). */
enum score_step score_step_parse(const char *name);
const char *score_step_name(enum score_step s);
const char *score_step_label(enum score_step s); /* 整数分 / 可打半分 */

/* Parses text (NUL-terminated, already trimmed) into *halves, 0 ..
 * 2 * max_points.  *halves is left alone on a refusal. */
enum score_status score_parse(const char *text, int max_points, enum score_step step,
			      int *halves);
/* The refusal in Chinese for the field ("第3项得分须在0到10分之间" ...):
 * label names the field; max_points and step as parsed. */
void score_message(enum score_status s, const char *label, int max_points, enum score_step step,
		   char *out, size_t size);
/* "7.5", "7", "0": out has at least SCORE_TEXT_MAX bytes. */
const char *score_format(int halves, char *out);
/* The same for a figure in halves that may have any fraction (a mean):
 * one decimal, rounded half away from zero ("7.3"). */
const char *score_format_mean(double halves, char *out);

struct score_stats {
	size_t n;          /* scores counted */
	int min, max;      /* halves */
	int spread;        /* max - min, halves */
	double mean;       /* halves */
	double median;     /* halves: the middle one, or the mean of the two middle ones */
	bool divergent;    /* spread * 100 > share_percent * (2 * max_points) */
};

#define SCORE_STATS_MAX 64 /* scores per figure: a panel has at most 25 members */

/* The figures of n scores (halves, any order; n may be 0: all zero, not
 * divergent; at most SCORE_STATS_MAX are counted).  max_points is the point's (or, for a total, the scheme's)
 * maximum. */
void score_stats(const int *halves, size_t n, int max_points, int share_percent,
		 struct score_stats *out);

#endif
