/* calendar_db: the working-day calendar in the database.
 *
 * Owns the tables calendar_day / calendar_year (sql/002_calendar.sql) and
 * every statement that reads or changes them, each change in one
 * transaction with its audit record.  The rules and the in-memory calendar
 * are rules/calendar.h's.
 */
#ifndef BIAOGAN_CALENDAR_DB_H
#define BIAOGAN_CALENDAR_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "rules/calendar.h"

/* Load every row of calendar_day and the years of calendar_year that are
 * complete (sql/009: only those count as loaded).  Replaces cal's content.  Returns a db_status; on failure cal is left empty and err
 * says why (a row the database should never hold is DB_ERROR). */
int calendar_load_db(struct calendar *cal, struct buf *err);
/* The calendar as the database has it now, kept by the worker: read once,
 * and again only when the calendar's change counter moved (core/counter.h),
 * so a request that needs it costs one primary-key read.  *cal points into
 * the cache (never release it), valid until the next call.  Returns a
 * db_status; on failure *cal is NULL and err says why. */
int calendar_current(const struct calendar **cal, struct buf *err);

/* ---- database: reads ---- */

/* *out: new json array (caller owns: json_object_put) of the year's rows,
 * sorted by date: {"date":"2026-01-01","kind":"holiday","label":"放假",
 * "name":"元旦","weekday":4,"updated_by":null|int,"updated_at":"…"}.
 * Returns a db_status; *out is NULL on failure. */
int calendar_db_year_json(int year, json_object **out);
/* *out: new json array of the years that have dates, ascending:
 * {"year":2026, "source":"…", "loaded_at":"…", "complete":1,
 * "completed_at":"2026-11-05 10:00" or "", "n_rows":33}.  Only complete
 * years are loaded (calendar_load_db).  Returns a db_status. */
int calendar_db_years_json(json_object **out);

/* ---- database: changes (one transaction each, with its audit record) ----
 *
 * They return a db_status or one of the codes below; for every failure err
 * gets a Chinese sentence fit for the admin page.  The year of a date that
 * gets its first row is recorded in calendar_year, not complete: one date
 * does not make a year's arrangement, so it is not loaded until declared
 * complete (calendar_db_set_complete, or an import).  A year that loses its
 * last row is removed from it, complete or not. */
enum {
	CAL_DB_INVALID = -10,   /* calendar_check_entry refused the entry */
	CAL_DB_NOT_FOUND = -11, /* edit/remove of a date that has no row */
	CAL_DB_NO_DATES = -12,  /* set_complete: the year has no dates at all */
	CAL_DB_UNCHANGED = -13, /* set_complete: the year is in that state already */
};
/* DB_CONFLICT: the date already has a row. */
int calendar_db_add(const struct actor *who, int32_t day, enum cal_kind kind, const char *name,
		    struct buf *err);
/* Changes the row of old_day to (day, kind, name); day may equal old_day.
 * DB_CONFLICT: day differs from old_day and already has a row. */
int calendar_db_edit(const struct actor *who, int32_t old_day, int32_t day, enum cal_kind kind,
		     const char *name, struct buf *err);
int calendar_db_remove(const struct actor *who, int32_t day, struct buf *err);

/* Declares year's arrangement complete (complete) or reopens it: the year
 * counts as loaded only while complete.  One transaction with its audit
 * record ("calendar.complete" / "calendar.reopen").  CAL_DB_NO_DATES,
 * CAL_DB_UNCHANGED, CAL_DB_INVALID or a db_status. */
int calendar_db_set_complete(const struct actor *who, int year, bool complete, struct buf *err);

/* Plan of an import, per year of the file (for a confirmation message). */
struct cal_import_year {
	int year;
	size_t file_rows; /* rows of this year in the file */
	long long old_rows; /* rows of this year in the database before */
	long long dropped;  /* of those, dates the file does not have (deleted) */
};
/* For each year of file: what importing it would do.  *plan is a new array
 * of file->nyears items (caller frees).  Returns a db_status. */
int calendar_db_import_plan(const struct calendar *file, struct cal_import_year **plan);
/* In ONE transaction: for every year that file has, delete that year's rows,
 * insert the file's rows, record the year in calendar_year with source and
 * as complete (a file holds whole years), and write one "calendar.import"
 * audit record per year.  source is stored
 * truncated to 255 characters.  Returns a db_status; nothing changes unless
 * DB_OK. */
int calendar_db_import(const struct actor *who, const struct calendar *file, const char *source,
		       struct buf *err);

#endif
