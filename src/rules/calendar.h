/* calendar: China's working-day calendar and the publicity deadline.
 *
 * Owns the State Council holiday arrangement as the program sees it:
 *   - struct calendar, an in-memory copy (from a CSV file or the database)
 *     and the working-day arithmetic on it;
 *   - the CSV format "date,type,name" (validation and its Chinese messages);
 *
 * Working-day rule (issue 3): a date is a working day if it is listed as
 * "workday" (a weekend day made a working day, 调休上班), or if it is
 * Monday–Friday and not listed as "holiday".  Only dates that differ from
 * the ordinary week are listed.
 *
 * A year is "loaded" when its arrangement is known: for a CSV file, when the
 * file has at least one row dated in that year (a file holds whole years);
 * for the database, when calendar_year marks it complete (an administrator
 * declared it so, or it was imported whole: one date entered on a page does
 * not make a year).  Every working-day function refuses with
 * CAL_NO_YEAR (and says which year) when it would have to look at a date in a
 * year that is not loaded, rather than assuming a plain week: a wrong
 * publicity deadline is a legal defect.
 *
 * Caveat kept from the data: a notice for year Y+1 can change late-December
 * days of year Y (the 2023 notice listed 2022-12-31).  Loading Y does not
 * wait for Y+1; import Y+1 with its December rows as soon as it is published.
 *
 * All dates are civil_date day numbers (Asia/Shanghai calendar dates).
 * calendar.c holds the rules and the CSV format (no database: the parser is
 * fuzzed on its own); the tables and their statements are
 * steps/calendar/calendar_db.h's.
 */
#ifndef BIAOGAN_CALENDAR_H
#define BIAOGAN_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* 第十二条: the proposed list is publicised for 5 working days. */
#define CALENDAR_PUBLICITY_DAYS 5
/* calendar_day.name is VARCHAR(64): characters, not bytes. */
#define CALENDAR_NAME_MAX_CHARS 64
/* A year's arrangement is a few dozen rows; this only stops absurd files. */
#define CALENDAR_CSV_MAX_BYTES (1024 * 1024)

enum cal_kind {
	CAL_HOLIDAY = 1, /* official day off (including weekend days in a block) */
	CAL_WORKDAY = 2, /* a Saturday or Sunday that is an official working day */
};

struct cal_entry {
	int32_t day;
	enum cal_kind kind;
	char *name; /* owned by the calendar; valid UTF-8, 1..64 characters */
};

/* Invariants: entries sorted by day with no two on the same day; years
 * sorted and distinct.  The calendar owns everything it points to. */
struct calendar {
	struct cal_entry *entries;
	size_t n, cap;
	int *years; /* years whose arrangement is loaded */
	size_t nyears, years_cap;
};
#define CALENDAR_INIT { NULL, 0, 0, NULL, 0, 0 }

void calendar_init(struct calendar *cal);
/* Frees everything and leaves an empty calendar (reusable). */
void calendar_release(struct calendar *cal);

/* Results of the working-day functions. */
enum cal_status {
	CAL_OK = 0,
	CAL_NO_YEAR = 1, /* needed a date of a year with no arrangement; see *missing_year */
	CAL_BAD_ARG = 2, /* n out of range, from > to, or a date outside 0001..9999 */
};

/* ---- kinds, names, one entry ---- */

/* "holiday" / "workday" (the CSV and database spelling), exactly. */
int calendar_kind_parse(const char *s, size_t len, enum cal_kind *out);
const char *calendar_kind_str(enum cal_kind kind);
/* "放假" / "调休上班", for pages and messages. */
const char *calendar_kind_label(enum cal_kind kind);

/* Validates one entry, the same rule for CSV rows and admin edits: the day
 * in 0001..9999; the name 1..64 characters of valid UTF-8 without control
 * characters, commas or double quotes (so the CSV never needs quoting); a
 * workday only on a Saturday or Sunday (a weekday workday changes nothing
 * and is most likely a mistyped date).  0, or -1 with the reason in Chinese
 * appended to err (no line number). */
int calendar_check_entry(int32_t day, enum cal_kind kind, const char *name, size_t name_len,
			 struct buf *err);

/* ---- loading ---- */

/* Building a calendar from another source: entries must come in ascending
 * date order, each date once, and years ascending (a repeat of the last
 * year is ignored).  0, or -1 (nothing added) for an out-of-order or
 * out-of-range value.  Neither checks names: use calendar_check_entry. */
int calendar_append(struct calendar *cal, int32_t day, enum cal_kind kind, const char *name,
		    size_t name_len);
int calendar_append_year(struct calendar *cal, int year);

/* Parse CSV text: first line exactly "date,type,name" (a UTF-8 BOM and CRLF
 * line ends are accepted), then one row per date; empty lines are skipped;
 * at least one row.  Checks every row with calendar_check_entry, the column
 * count, the date, the type and duplicate dates.  Replaces cal's content.
 * 0 on success; -1 with a message naming the line ("第 12 行：…") appended
 * to err, and cal left empty. */
int calendar_parse_csv(struct calendar *cal, const char *text, size_t len, struct buf *err);
/* The same from a file (at most CALENDAR_CSV_MAX_BYTES). */
int calendar_load_csv(struct calendar *cal, const char *path, struct buf *err);

/* ---- questions ---- */

bool calendar_year_loaded(const struct calendar *cal, int year);
/* The listed entry for day, or NULL for an ordinary day. */
const struct cal_entry *calendar_find(const struct calendar *cal, int32_t day);
/* Entries of one year: *first is the index of the first, returns how many. */
size_t calendar_year_entries(const struct calendar *cal, int year, size_t *first);

/* In every function below missing_year may be NULL; it is set only when
 * CAL_NO_YEAR is returned. */

/* *working: whether day is a working day. */
int calendar_is_working_day(const struct calendar *cal, int32_t day, bool *working,
			    int *missing_year);
/* *out: the n-th working day after from (from itself not counted); n < 0
 * walks backwards (the |n|-th working day before from); n == 0 gives from. */
int calendar_add_working_days(const struct calendar *cal, int32_t from, int n, int32_t *out,
			      int *missing_year);
/* *count: working days in the closed interval [from, to]; from <= to, and
 * every year from year(from) to year(to) must be loaded. */
int calendar_count_working_days(const struct calendar *cal, int32_t from, int32_t to, int *count,
				int *missing_year);
/* *end: the n-th working day of a period starting on start (n >= 1): start
 * is day 1 if it is a working day, else day 1 is the next working day. */
int calendar_publicity_end(const struct calendar *cal, int32_t start, int n, int32_t *end,
			   int *missing_year);

/* Appends the one Chinese explanation of CAL_NO_YEAR used everywhere. */
void calendar_describe_missing_year(struct buf *out, int year);

#endif
