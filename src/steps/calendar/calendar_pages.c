#include "steps/calendar/calendar_pages.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "rules/calendar.h"
#include "steps/calendar/calendar_db.h"
#include "steps/calendar/calendar_view.h"

#include "core/banned.h"

static const char *const cal_kinds[] = { "holiday", "workday", NULL };

static const struct field_spec cal_year_fields[] = {
	{ "year", "年份", FIELD_INT, false, 0, 2000, 2100, NULL },
};

static const struct field_spec cal_entry_fields[] = {
	{ "old_date", "原日期", FIELD_DATE, false, 0, 0, 0, NULL },
	{ "date", "日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "kind", "类型", FIELD_CHOICE, true, 0, 0, 0, cal_kinds },
	{ "name", "节日名称", FIELD_LINE, true, CALENDAR_NAME_MAX_CHARS, 0, 0, NULL },
};

static const struct field_spec cal_remove_fields[] = {
	{ "date", "日期", FIELD_DATE, true, 0, 0, 0, NULL },
};

static const char *const yes_choice[] = { "1", NULL };

/* Complete / reopen: the checkbox is the confirmation (no scripts). */
static const struct field_spec cal_state_fields[] = {
	{ "year", "年份", FIELD_INT, true, 0, 2000, 2100, NULL },
	{ "confirm", "确认", FIELD_CHOICE, false, 0, 0, 0, yes_choice },
};

/* Renders the calendar page of year, with form (may be NULL) re-shown. */
static int show_calendar(struct ctx *c, int status, int year, const struct form *f)
{
	const struct calendar *cal;
	struct buf err = BUF_INIT;
	json_object *entries = NULL, *years = NULL;
	int rc = calendar_current(&cal, &err);
	if (rc == DB_OK)
		rc = calendar_db_year_json(year, &entries);
	if (rc == DB_OK)
		rc = calendar_db_years_json(&years);
	if (rc != DB_OK) {
		if (err.len)
			log_err("calendar: %s", err.data);
		json_object_put(entries);
		json_object_put(years);
		buf_release(&err);
		return rc;
	}
	for (size_t i = 0; i < json_object_array_length(years); i++) {
		/* This year's state for the card; a flag for every year's link. */
		json_object *y = json_object_array_get_idx(years, i);
		bool complete = db_int(y, "complete", 0) != 0;
		json_object_object_add(y, "is_complete", json_object_new_boolean(complete));
		if (db_int(y, "year", 0) == year) {
			app_set(c, "year_complete", json_object_new_boolean(complete));
			app_set_str(c, "completed_at", db_str(y, "completed_at", ""));
		}
	}
	app_set(c, "can_complete", json_object_new_boolean(json_object_array_length(entries) > 0));
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		/* Flags for the template's selects, and the weekday in Chinese. */
		json_object *e = json_object_array_get_idx(entries, i);
		int32_t d;
		json_object_object_add(e, db_str(e, "kind", "holiday"), json_object_new_boolean(1));
		if (civil_parse(db_str(e, "date", ""), &d) == 0)
			json_object_object_add(e, "weekday_zh", json_object_new_string(civil_weekday_zh(d)));
	}
	app_set(c, "cal", calendar_view_year(cal, year));
	app_set(c, "entries", entries);
	app_set(c, "years", years);
	app_set(c, "prev_year", json_object_new_int(year - 1));
	app_set(c, "next_year", json_object_new_int(year + 1));
	if (!calendar_year_loaded(cal, year)) {
		struct buf msg = BUF_INIT;
		calendar_describe_missing_year(&msg, year);
		app_set_str(c, "missing", msg.data);
		buf_release(&msg);
	}
	if (f)
		app_set(c, "form", form_json(f));
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "日历已更新。");
	buf_release(&err);
	return app_render(c, status, "admin_calendar", "工作日历");
}

static int current_year(void)
{
	int y;
	civil_to_ymd(civil_today_shanghai(), &y, NULL, NULL);
	return y;
}

int calendar_page_year(struct ctx *c)
{
	struct form f;
	int year, rc;
	form_init(&f, cal_year_fields, ARRAY_LEN(cal_year_fields));
	form_validate(&f, &c->req);
	year = *form_str(&f, "year") && !f.errors ? (int)form_int(&f, "year") : current_year();
	rc = show_calendar(c, 200, year, NULL);
	form_release(&f);
	return rc;
}

/* add, edit and remove share this: validate, change, redirect or re-show. */
static int calendar_change(struct ctx *c, int which)
{
	struct form f;
	struct buf err = BUF_INIT;
	int32_t day = 0, old_day = 0;
	enum cal_kind kind = CAL_HOLIDAY;
	int rc = DB_OK, year = current_year(), status = 422;
	char to[64];

	if (which == 2)
		form_init(&f, cal_remove_fields, ARRAY_LEN(cal_remove_fields));
	else
		form_init(&f, cal_entry_fields, ARRAY_LEN(cal_entry_fields));
	if (!form_validate(&f, &c->req)) {
		civil_parse(form_str(&f, "date"), &day);
		year = civil_year(day);
		if (which != 2) {
			const char *k = form_str(&f, "kind");
			calendar_kind_parse(k, strlen(k), &kind);
		}
		if (which == 1 && civil_parse(form_str(&f, "old_date"), &old_day))
			form_error(&f, "old_date", "缺少要修改的原日期。");
	}
	if (!f.errors) {
		if (which == 0)
			rc = calendar_db_add(&c->actor, day, kind, form_str(&f, "name"), &err);
		else if (which == 1)
			rc = calendar_db_edit(&c->actor, old_day, day, kind, form_str(&f, "name"), &err);
		else
			rc = calendar_db_remove(&c->actor, day, &err);
		if (rc == DB_OK) {
			form_release(&f);
			buf_release(&err);
			snprintf(to, sizeof to, "/admin/calendar?year=%d&done=1", year);
			return app_redirect(c, to);
		}
		if (rc == DB_UNAVAILABLE || rc == DB_ERROR || rc == DB_RETRY || rc == DB_FULL) {
			form_release(&f);
			buf_release(&err);
			return rc;
		}
		if (rc == DB_CONFLICT)
			status = 409;
		else if (rc == CAL_DB_NOT_FOUND)
			status = 404;
		form_error(&f, "", err.len ? err.data : "日历未能修改。");
	}
	rc = show_calendar(c, status, year, &f);
	form_release(&f);
	buf_release(&err);
	return rc;
}

/* A GET of an action's address (a bookmark or a reload of the page a
 * refused change was shown on): back to the year's calendar. */
static int back_to_year(struct ctx *c)
{
	struct form f;
	char to[64];
	form_init(&f, cal_remove_fields, ARRAY_LEN(cal_remove_fields));
	if (form_validate(&f, &c->req) == 0) {
		int32_t day;
		civil_parse(form_str(&f, "date"), &day);
		snprintf(to, sizeof to, "/admin/calendar?year=%d", civil_year(day));
	} else {
		snprintf(to, sizeof to, "/admin/calendar");
	}
	form_release(&f);
	return app_redirect(c, to);
}

/*   GET  303 to the calendar;  POST 303 back to the year; 422 with the
 *        reasons and the input kept; 409 the date is taken */
int calendar_page_add(struct ctx *c)
{
	return c->req.method == METHOD_POST ? calendar_change(c, 0) : back_to_year(c);
}

/*   GET  303 to the calendar;  POST as add; 404 no such date */
int calendar_page_edit(struct ctx *c)
{
	return c->req.method == METHOD_POST ? calendar_change(c, 1) : back_to_year(c);
}

/*   GET  ?date=D  200 a confirmation page naming the date (GET changes
 *                 nothing); 404 no such date in the calendar
 *   POST date=D   303 back to the year; 404 no such date */
int calendar_page_remove(struct ctx *c)
{
	struct form f;
	json_object *entries = NULL, *found = NULL;
	int32_t day;
	int rc;

	if (c->req.method == METHOD_POST)
		return calendar_change(c, 2);
	form_init(&f, cal_remove_fields, ARRAY_LEN(cal_remove_fields));
	if (form_validate(&f, &c->req)) {
		form_release(&f);
		return app_fail(c, 404, "日历中没有这个日期。");
	}
	civil_parse(form_str(&f, "date"), &day);
	if ((rc = calendar_db_year_json(civil_year(day), &entries)) != DB_OK) {
		form_release(&f);
		return rc;
	}
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		json_object *e = json_object_array_get_idx(entries, i);
		if (!strcmp(db_str(e, "date", ""), form_str(&f, "date")))
			found = json_object_get(e);
	}
	json_object_put(entries);
	form_release(&f);
	if (!found)
		return app_fail(c, 404, "日历中没有这个日期（可能已被删除）。");
	json_object_object_add(found, "weekday_zh", json_object_new_string(civil_weekday_zh(day)));
	json_object_object_add(found, "year", json_object_new_int(civil_year(day)));
	app_set(c, "entry", found);
	return app_render(c, 200, "admin_calendar_remove", "删除日历日期");
}

/* Complete (complete) or reopen a year.
 *   POST year=Y&confirm=1  303 back to the year (done=1); 422 without the
 *        confirmation or with a bad year; 409 the year has no dates, or is
 *        in that state already.  Nothing changes unless 303. */
static int calendar_state(struct ctx *c, bool complete)
{
	struct form f;
	struct buf err = BUF_INIT;
	int rc = DB_OK, year = current_year(), status = 422;
	char to[64];

	form_init(&f, cal_state_fields, ARRAY_LEN(cal_state_fields));
	form_validate(&f, &c->req);
	if (*form_str(&f, "year") && !f.v[0].error)
		year = (int)form_int(&f, "year");
	if (!f.errors && !*form_str(&f, "confirm"))
		form_error(&f, "confirm",
			   complete ? "请勾选确认：该年的放假和调休日期已按国务院办公厅通知全部录入。"
				    : "请勾选确认重新开放：此后在再次标记为完整前不按该年计算工作日。");
	if (!f.errors) {
		rc = calendar_db_set_complete(&c->actor, year, complete, &err);
		if (rc == DB_OK) {
			form_release(&f);
			buf_release(&err);
			snprintf(to, sizeof to, "/admin/calendar?year=%d&done=1", year);
			return app_redirect(c, to);
		}
		if (rc == DB_UNAVAILABLE || rc == DB_ERROR || rc == DB_RETRY || rc == DB_FULL) {
			form_release(&f);
			buf_release(&err);
			return rc;
		}
		if (rc == CAL_DB_NO_DATES || rc == CAL_DB_UNCHANGED)
			status = 409;
		form_error(&f, "", err.len ? err.data : "未能更改该年的状态。");
	}
	rc = show_calendar(c, status, year, &f);
	form_release(&f);
	buf_release(&err);
	return rc;
}

int calendar_page_complete(struct ctx *c)
{
	return calendar_state(c, true);
}

int calendar_page_reopen(struct ctx *c)
{
	return calendar_state(c, false);
}
