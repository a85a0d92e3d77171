#include "steps/home/home_data.h"

#include <string.h>

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
#include "steps/recommend/recommend.h"
#include "steps/publish/publish.h"
#include "steps/review/review.h"
#include "steps/rounds/rounds.h"
#include "core/banned.h"

static const char SQL_ACCOUNT_COUNTS[] =
	"SELECT COUNT(*) AS total,"
	" IFNULL(SUM(locked_until IS NOT NULL AND locked_until > NOW()), 0) AS locked,"
	" IFNULL(SUM(disabled), 0) AS disabled FROM account";

/* From 1 November the next year's arrangement should be loaded (issue 3):
 * say so rather than let a deadline be computed on a plain week. */
static int calendar_warning(struct ctx *c)
{
	const struct calendar *cal;
	struct buf err = BUF_INIT, msg = BUF_INIT;
	int rc = calendar_current(&cal, &err), year;
	if (rc == DB_OK && (year = calendar_view_missing_year(cal, civil_today_shanghai()))) {
		calendar_describe_missing_year(&msg, year);
		app_set_str(c, "calendar_warning", msg.data);
		app_set(c, "calendar_warning_year", json_object_new_int(year));
	} else if (rc != DB_OK && err.len) {
		log_err("calendar: %s", err.data);
	}
	buf_release(&err);
	buf_release(&msg);
	return rc;
}

/* The rounds open for applications, and the applications that reached the
 * city bureaus and wait for their recommendation (status submitted). */
static int province_work(struct ctx *c)
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
static int fill_expert(struct ctx *c)
{
	json_object *rows = NULL;
	int rc = review_assignments(c->user.id, &rows);
	if (rc == DB_OK)
		app_set(c, "assignments", rows);
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

static int fill_province(struct ctx *c)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_ACCOUNT_COUNTS, "");
	if (rc != DB_OK)
		return rc;
	app_set(c, "accounts", row);
	if ((rc = province_work(c)) != DB_OK)
		return rc;
	if ((rc = pending_sessions(c)) != DB_OK)
		return rc;
	if ((rc = publicity_work(c)) != DB_OK)
		return rc;
	return calendar_warning(c);
}

/* Issue 4: the enterprise's applications with their status, and the rounds
 * open for application. */
static int fill_enterprise(struct ctx *c)
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
	if (rc == DB_OK)
		rc = app_open_rounds(&rounds);
	app_set(c, "enterprise", ent);
	app_set(c, "applications", apps);
	app_set(c, "open_rounds", rounds);
	return rc;
}

/* Issue 4: how many applications have reached the city bureau.  Issue 10:
 * the current round's batch, its state and deadline. */
static int fill_city(struct ctx *c)
{
	json_object *round = NULL, *batch = NULL;
	long long total = 0, waiting = 0;
	int rc = app_count_for_city(c->user.city_code, NULL, &total, &waiting);
	if (rc == DB_OK)
		app_set(c, "submitted_count", json_object_new_int64(total));
	if (rc == DB_OK && (rc = rounds_current(&round)) == DB_OK && round)
		rc = rec_batch(db_int(round, "id", 0), c->user.city_code, &batch);
	if (rc == DB_OK)
		app_set(c, "batch", batch);
	json_object_put(round);
	return rc;
}

int home_fill(struct ctx *c)
{
	json_object *is = json_object_new_object();
	json_object_object_add(is, role_name(c->user.role), json_object_new_boolean(1));
	app_set(c, "is", is);
	switch (c->user.role) {
	case ROLE_PROVINCE:
		return fill_province(c);
	case ROLE_CITY:
		return fill_city(c);
	case ROLE_ENTERPRISE:
		return fill_enterprise(c);
	case ROLE_EXPERT:
		return fill_expert(c);
	case ROLE_SUPERVISOR:
		return pending_sessions(c);
	case ROLE_NONE:
		break;
	}
	return DB_OK;
}
