#include "steps/home/home_data.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "steps/intake/application.h"
#include "core/buf.h"
#include "rules/calendar.h"
#include "steps/calendar/calendar_view.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "steps/intake/enterprise.h"
#include "core/log.h"
#include "steps/calendar/calendar_db.h"
#include "steps/draw/draw.h"
#include "steps/notify/notify.h"
#include "steps/recommend/recommend.h"
#include "steps/publish/publish.h"
#include "steps/review/review.h"
#include "steps/rounds/rounds.h"
#include "core/banned.h"

static const char SQL_ACCOUNT_COUNTS[] =
	"SELECT COUNT(*) AS total,"
	" IFNULL(SUM(locked_until IS NOT NULL AND locked_until > NOW()), 0) AS locked,"
	" IFNULL(SUM(disabled), 0) AS disabled FROM account";

/* The working-day calendar, read once per request and only when a deadline
 * is shown (calendar_current costs a round trip). */
struct home_cal {
	const struct calendar *cal;
	bool tried;
};

static const struct calendar *home_calendar(struct home_cal *h)
{
	if (!h->tried) {
		struct buf err = BUF_INIT;
		h->tried = true;
		if (calendar_current(&h->cal, &err) != DB_OK) {
			h->cal = NULL;
			if (err.len)
				log_err("calendar: %s", err.data);
		}
		buf_release(&err);
	}
	return h->cal;
}

/* Beside a deadline column ("YYYY-MM-DD HH:MM", Beijing time) of rows (an
 * array, or one row), "<col>_left": how far off it is in working days
 * (calendar_view.h).  A deadline earlier today has passed; a year without
 * its arrangement is said so (the province's home warns about it too);
 * without the calendar at all the phrase is left out. */
static void add_time_left(struct home_cal *h, json_object *rows, const char *col)
{
	char now[20], key[64];
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;
	int32_t today = civil_today_shanghai();
	bool one = json_object_is_type(rows, json_type_object);
	size_t n = !rows ? 0 : one ? 1 : json_object_array_length(rows);
	const struct calendar *cal = n ? home_calendar(h) : NULL;

	if (!cal)
		return;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%d %H:%M", &tm);
	snprintf(key, sizeof key, "%s_left", col);
	for (size_t i = 0; i < n; i++) {
		json_object *r = one ? rows : json_object_array_get_idx(rows, i);
		const char *when = db_str(r, col, "");
		int32_t day;
		struct buf phrase = BUF_INIT;
		if (strlen(when) < CIVIL_DATE_LEN || civil_parse_n(when, CIVIL_DATE_LEN, &day))
			continue;
		if (strcmp(when, now) <= 0)
			day = today - 1; /* passed, even earlier today */
		int missing = 0;
		if (calendar_view_time_left(cal, today, day, &phrase, &missing) == CAL_NO_YEAR)
			buf_addf(&phrase, "工作日待%d年节假日安排载入后计算", missing);
		if (phrase.len)
			json_object_object_add(r, key, json_object_new_string(phrase.data));
		buf_release(&phrase);
	}
}

/* From 1 November the next year's arrangement should be loaded (issue 3):
 * say so rather than let a deadline be computed on a plain week. */
static void calendar_warning(struct ctx *c, struct home_cal *h)
{
	const struct calendar *cal = home_calendar(h);
	struct buf msg = BUF_INIT;
	int year;
	if (cal && (year = calendar_view_missing_year(cal, civil_today_shanghai()))) {
		calendar_describe_missing_year(&msg, year);
		app_set_str(c, "calendar_warning", msg.data);
		app_set(c, "calendar_warning_year", json_object_new_int(year));
	}
	buf_release(&msg);
}

/* The rounds open for applications, and the applications that reached the
 * city bureaus and wait for their recommendation (status submitted). */
static int province_work(struct ctx *c, struct home_cal *h)
{
	json_object *rounds = NULL;
	long long waiting = 0, total = 0;
	int rc = app_open_rounds(&rounds);
	if (rc == DB_OK)
		rc = app_count_for_city(NULL, NULL, &total, &waiting);
	if (rc != DB_OK) {
		json_object_put(rounds);
		return rc;
	}
	add_time_left(h, rounds, "apply_close");
	app_set(c, "open_rounds", rounds);
	app_set(c, "applications_waiting", json_object_new_int64(waiting));
	app_set(c, "applications_total", json_object_new_int64(total));
	return DB_OK;
}

/* Issue 11: the review sessions still waiting for a step (a commit, the
 * draw, the reveal): the province's and the supervisor's to-do. */
static int pending_sessions(struct ctx *c)
{
	json_object *rows = NULL;
	int rc = draw_pending(&rows);
	if (rc == DB_OK)
		app_set(c, "pending_sessions", rows);
	/* Issue 12: members excused from a whole session, to be replaced. */
	if (rc == DB_OK && (rc = review_pending_replacements(&rows)) == DB_OK)
		app_set(c, "pending_replacements", rows);
	return rc;
}

/* Issues 11, 12: the expert's own assignments with the scoring deadline
 * and whether they have signed the declaration (nothing about the others). */
static int fill_expert(struct ctx *c, struct home_cal *h)
{
	json_object *rows = NULL;
	int rc = review_assignments(c->user.id, &rows);
	if (rc == DB_OK) {
		add_time_left(h, rows, "deadline");
		app_set(c, "assignments", rows);
	}
	return rc;
}

/* Issue 13: publicities not yet published, with what they wait for. */
static int publicity_work(struct ctx *c)
{
	json_object *rows = NULL, *open = json_object_new_array();
	int rc = pbl_publicities(&rows);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		if (!db_int(r, "published", 0))
			json_object_array_add(open, json_object_get(r));
	}
	json_object_put(rows);
	if (rc == DB_OK)
		app_set(c, "publicities", open);
	else
		json_object_put(open);
	return rc;
}

static int fill_province(struct ctx *c, struct home_cal *h)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_ACCOUNT_COUNTS, "");
	if (rc != DB_OK)
		return rc;
	app_set(c, "accounts", row);
	if ((rc = province_work(c, h)) != DB_OK)
		return rc;
	if ((rc = pending_sessions(c)) != DB_OK)
		return rc;
	if ((rc = publicity_work(c)) != DB_OK)
		return rc;
	calendar_warning(c, h);
	return DB_OK;
}

/* Issue 4: the enterprise's applications with their status, and the rounds
 * open for application. */
static int fill_enterprise(struct ctx *c, struct home_cal *h)
{
	json_object *ent = NULL, *apps = NULL, *rounds = NULL;
	int rc = enterprise_by_account(c->user.id, &ent);
	if (rc != DB_OK)
		return rc;
	if (!ent) {
		app_set(c, "no_enterprise", json_object_new_boolean(1));
		return DB_OK;
	}
	rc = app_list_for_enterprise(db_int(ent, "id", 0), &apps);
	/* A draft or a returned application still to be (re)submitted: by when. */
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(apps); i++) {
		json_object *a = json_object_array_get_idx(apps, i);
		json_object *editable = NULL;
		if (db_int(a, "window_open", 0) && json_object_object_get_ex(a, "editable", &editable) &&
		    json_object_get_boolean(editable))
			add_time_left(h, a, "apply_close");
	}
	if (rc == DB_OK)
		rc = app_open_rounds(&rounds);
	add_time_left(h, rounds, "apply_close");
	app_set(c, "enterprise", ent);
	app_set(c, "applications", apps);
	app_set(c, "open_rounds", rounds);
	return rc;
}

/* Issue 4: how many applications have reached the city bureau.  Issue 10:
 * the current round's batch, its state and deadline. */
static int fill_city(struct ctx *c, struct home_cal *h)
{
	json_object *round = NULL, *batch = NULL;
	long long total = 0, waiting = 0;
	int rc = app_count_for_city(c->user.city_code, NULL, &total, &waiting);
	if (rc == DB_OK)
		app_set(c, "submitted_count", json_object_new_int64(total));
	if (rc == DB_OK && (rc = rounds_current(&round)) == DB_OK && round)
		rc = rec_batch(db_int(round, "id", 0), c->user.city_code, &batch);
	if (rc == DB_OK) {
		add_time_left(h, batch, "deadline");
		app_set(c, "batch", batch);
	}
	json_object_put(round);
	return rc;
}

/* Issue 17: the newest unread notices, for every role. */
static int inbox(struct ctx *c)
{
	json_object *latest = NULL;
	long long unread = 0;
	char label[24];
	int rc = notify_unread(c->user.id, &unread, &latest);
	if (rc != DB_OK)
		return rc;
	app_set(c, "inbox", latest);
	if (unread > NOTIFY_UNREAD_MAX)
		snprintf(label, sizeof label, "%d+", NOTIFY_UNREAD_MAX);
	else
		snprintf(label, sizeof label, "%lld", unread);
	if (unread)
		app_set_str(c, "unread", label);
	if (unread > NOTIFY_HOME)
		app_set(c, "unread_more", json_object_new_boolean(1));
	return DB_OK;
}

int home_fill(struct ctx *c)
{
	json_object *is = json_object_new_object();
	struct home_cal h = { NULL, false };
	int rc;
	json_object_object_add(is, role_name(c->user.role), json_object_new_boolean(1));
	app_set(c, "is", is);
	if ((rc = inbox(c)) != DB_OK)
		return rc;
	switch (c->user.role) {
	case ROLE_PROVINCE:
		return fill_province(c, &h);
	case ROLE_CITY:
		return fill_city(c, &h);
	case ROLE_ENTERPRISE:
		return fill_enterprise(c, &h);
	case ROLE_EXPERT:
		return fill_expert(c, &h);
	case ROLE_SUPERVISOR:
		return pending_sessions(c);
	case ROLE_NONE:
		break;
	}
	return DB_OK;
}
