/* libFuzzer target for the calendar CSV parser of src/calendar.
 *
 * The whole input is a calendar file for calendar_parse_csv.  The promises
 * of calendar.h are checked: a good file gives entries sorted by date with
 * no repeat, each passing calendar_check_entry, and exactly the years of its
 * rows; a bad file leaves the calendar empty and a non-empty message in
 * valid UTF-8 (it echoes input back).  On a good file the working-day walk
 * is run too: a publicity end is a working day and counts back to N.  Any
 * broken promise traps.
 */
#include "rules/calendar.h"

#include <stdint.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/utf8.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static void check_good(const struct calendar *cal)
{
	struct buf err = BUF_INIT;
	size_t years = 0;
	CHECK(cal->n > 0 && cal->nyears > 0);
	for (size_t i = 0; i < cal->n; i++) {
		const struct cal_entry *e = &cal->entries[i];
		int y = civil_year(e->day);
		CHECK(i == 0 || cal->entries[i - 1].day < e->day);
		CHECK(calendar_check_entry(e->day, e->kind, e->name, strlen(e->name), &err) == 0);
		CHECK(calendar_year_loaded(cal, y));
		CHECK(calendar_find(cal, e->day) == e);
		if (i == 0 || civil_year(cal->entries[i - 1].day) != y)
			years++;
	}
	CHECK(years == cal->nyears);
	for (size_t i = 1; i < cal->nyears; i++)
		CHECK(cal->years[i - 1] < cal->years[i]);
	buf_release(&err);

	/* The walk from the first and the last listed date. */
	int32_t starts[2] = { cal->entries[0].day, cal->entries[cal->n - 1].day };
	for (int k = 0; k < 2; k++) {
		int32_t end;
		int count = -1, missing = 0;
		bool working = false;
		int rc = calendar_publicity_end(cal, starts[k], CALENDAR_PUBLICITY_DAYS, &end, &missing);
		CHECK(rc == CAL_OK || rc == CAL_NO_YEAR);
		if (rc == CAL_NO_YEAR) {
			CHECK(!calendar_year_loaded(cal, missing));
			continue;
		}
		CHECK(calendar_is_working_day(cal, end, &working, NULL) == CAL_OK && working);
		CHECK(calendar_count_working_days(cal, starts[k], end, &count, NULL) == CAL_OK);
		CHECK(count == CALENDAR_PUBLICITY_DAYS);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar cal = CALENDAR_INIT;
	struct buf err = BUF_INIT;
	int rc = calendar_parse_csv(&cal, (const char *)data, size, &err);
	if (rc == 0) {
		CHECK(err.len == 0);
		check_good(&cal);
	} else {
		CHECK(rc == -1);
		CHECK(cal.n == 0 && cal.nyears == 0 && cal.entries == NULL);
		CHECK(err.len > 0 && utf8_valid(err.data, err.len));
	}
	calendar_release(&cal);
	buf_release(&err);
	return 0;
}
