/* calendar_view: the data of the admin calendar page — a year as twelve
 * month grids (weeks Monday to Sunday) with holidays, adjusted working days
 * and ordinary weekends marked — and the "next year not loaded" warning.
 * Presentation only: the arithmetic is calendar.h's. */
#ifndef BIAOGAN_CALENDAR_VIEW_H
#define BIAOGAN_CALENDAR_VIEW_H

#include <stdint.h>

#include <json-c/json.h>

#include "core/buf.h"

#include "rules/calendar.h"

/* {"year", "loaded", "months": [{"month", "weeks": [{"days": [
 *   {"empty": true} | {"day": 1, "date": "2026-01-01", "holiday"|"workday"|"weekend": true,
 *    "name": "元旦"}]}]}]}.  Caller owns the result. */
json_object *calendar_view_year(const struct calendar *cal, int year);

/* The year whose missing arrangement deserves a warning on `today`: from
 * 1 November, next year when it is not loaded; the current year when it is
 * not loaded.  0 when there is nothing to warn about. */
int calendar_view_missing_year(const struct calendar *cal, int32_t today);

/* How far off a deadline is, as the home pages say it, appended to out:
 * "已截止" (before today), "今天截止", or "还剩N个工作日" (the working days
 * after today up to and including the deadline's day; "截止前无工作日"
 * when there are none).  CAL_OK, or CAL_NO_YEAR (with *missing_year; may
 * be NULL) and nothing appended when a year in between is not loaded. */
int calendar_view_time_left(const struct calendar *cal, int32_t today, int32_t deadline,
			    struct buf *out, int *missing_year);

#endif
