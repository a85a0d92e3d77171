#include "steps/calendar/calendar_view.h"

#include "core/civil_date.h"
#include "core/banned.h"

static json_object *day_json(const struct calendar *cal, int32_t d)
{
	json_object *o = json_object_new_object();
	const struct cal_entry *e = calendar_find(cal, d);
	char date[CIVIL_DATE_LEN + 1];
	int md;
	civil_to_ymd(d, NULL, NULL, &md);
	civil_format(d, date);
	json_object_object_add(o, "day", json_object_new_int(md));
	json_object_object_add(o, "date", json_object_new_string(date));
	if (e) {
		json_object_object_add(o, calendar_kind_str(e->kind), json_object_new_boolean(1));
		json_object_object_add(o, "label", json_object_new_string(calendar_kind_label(e->kind)));
		json_object_object_add(o, "name", json_object_new_string(e->name));
	} else if (civil_weekday(d) >= 6) {
		json_object_object_add(o, "weekend", json_object_new_boolean(1));
	}
	return o;
}

static json_object *empty_cell(void)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "empty", json_object_new_boolean(1));
	return o;
}

json_object *calendar_view_year(const struct calendar *cal, int year)
{
	json_object *root = json_object_new_object(), *months = json_object_new_array();
	json_object_object_add(root, "year", json_object_new_int(year));
	json_object_object_add(root, "loaded", json_object_new_boolean(calendar_year_loaded(cal, year)));
	for (int m = 1; m <= 12; m++) {
		json_object *month = json_object_new_object(), *weeks = json_object_new_array();
		json_object *week = NULL;
		int32_t first = civil_from_ymd(year, m, 1);
		int ndays = civil_days_in_month(year, m);
		for (int d = 0; d < ndays; d++) {
			int wd = civil_weekday(first + d);
			if (!week) {
				week = json_object_new_array();
				for (int k = 1; k < wd; k++)
					json_object_array_add(week, empty_cell());
			}
			json_object_array_add(week, day_json(cal, first + d));
			if (wd == 7 || d == ndays - 1) {
				json_object *w = json_object_new_object();
				for (int k = wd; k < 7; k++)
					json_object_array_add(week, empty_cell());
				json_object_object_add(w, "days", week);
				json_object_array_add(weeks, w);
				week = NULL;
			}
		}
		json_object_object_add(month, "month", json_object_new_int(m));
		json_object_object_add(month, "weeks", weeks);
		json_object_array_add(months, month);
	}
	json_object_object_add(root, "months", months);
	return root;
}

int calendar_view_missing_year(const struct calendar *cal, int32_t today)
{
	int y, m;
	civil_to_ymd(today, &y, &m, NULL);
	if (!calendar_year_loaded(cal, y))
		return y;
	if (m >= 11 && !calendar_year_loaded(cal, y + 1))
		return y + 1;
	return 0;
}

int calendar_view_time_left(const struct calendar *cal, int32_t today, int32_t deadline,
			    struct buf *out, int *missing_year)
{
	int n = 0, rc;
	if (deadline < today) {
		buf_adds(out, "已截止");
		return CAL_OK;
	}
	if (deadline == today) {
		buf_adds(out, "今天截止");
		return CAL_OK;
	}
	rc = calendar_count_working_days(cal, today + 1, deadline, &n, missing_year);
	if (rc != CAL_OK)
		return rc;
	if (n == 0)
		buf_adds(out, "截止前无工作日");
	else
		buf_addf(out, "还剩%d个工作日", n);
	return CAL_OK;
}
