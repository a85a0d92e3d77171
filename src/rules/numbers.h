/* numbers: the numbers the public reads and types back.
 *
 * Owns two formats:
 *   - certificate numbers of provincial quality benchmarks,
 *     HLJZLBG-<year>-<seq>: the year of the list and the benchmark's place
 *     in it, from 001 (three digits at least, more past 999);
 *   - objection tracking numbers, <year>-XXXX-XXXX: eight characters of
 *     Crockford's base 32 (digits and capitals without I, L, O, U) made
 *     from 40 random bits, so a number cannot be guessed and is easy to
 *     read out on the telephone.
 * Parsing is forgiving where people are (case, spaces, a pasted URL's
 * surrounding blanks; O for 0 and I or L for 1 in tracking numbers) and
 * strict in what comes out: one canonical spelling per number.  Pure.
 */
#ifndef BIAOGAN_NUMBERS_H
#define BIAOGAN_NUMBERS_H

#include <stddef.h>

#define CERT_NO_PREFIX "HLJZLBG"
#define CERT_NO_MAX 20          /* "HLJZLBG-2026-99999" and room */
#define TRACKING_NO_LEN 14      /* "2026-K7Q4-M9XP" */
#define TRACKING_RANDOM_BYTES 5 /* 40 bits */

/* "HLJZLBG-2026-001" into out.  0, or -1 for a year outside 2000..9999 or
 * a seq outside 1..99999. */
int cert_no_format(int year, int seq, char out[CERT_NO_MAX + 1]);
/* Reads a certificate number typed or pasted by anyone: blanks around it
 * and letter case do not matter; the year must be four digits and seq one
 * to five digits, at least 1.  0 with the canonical spelling in out (and
 * year, seq when not NULL), or -1. */
int cert_no_parse(const char *s, char out[CERT_NO_MAX + 1], int *year, int *seq);

/* The tracking number of the random bytes rnd, for year (2000..9999). */
void tracking_no_format(int year, const unsigned char rnd[TRACKING_RANDOM_BYTES],
			char out[TRACKING_NO_LEN + 1]);
/* Reads a tracking number as typed: blanks around it, case, missing or
 * extra hyphens between the groups, O for 0, I or L for 1.  0 with the
 * canonical spelling in out, or -1. */
int tracking_no_parse(const char *s, char out[TRACKING_NO_LEN + 1]);

#endif
