#include "steps/rounds/rounds_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "core/form.h"
#include "steps/rounds/rounds.h"
#include "steps/accounts/users.h"
#include "core/banned.h"

static const char *const modes[] = { "full", "deadlines", NULL };

/* The round named by ?id= (GET) or id= (POST), and which form was posted. */
static const struct field_spec id_fields[] = {
	{ "id", "遴选编号", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "mode", "表单类型", FIELD_CHOICE, false, 0, 0, 0, modes },
};

/* ?done= after a redirect: a closed set, never echoed. */
static const struct {
	const char *code;
	const char *text;
} notices[] = {
	{ "created", "年度遴选已创建。" },
	{ "updated", "修改已保存。" },
	{ "deadline", "截止时间已调整，已记入审计日志。" },
	{ "unchanged", "内容与原来相同，未作修改。" },
};

static void set_notice(struct ctx *c)
{
	const char *done = request_param(&c->req, "done");
	for (size_t i = 0; done && i < ARRAY_LEN(notices); i++)
		if (!strcmp(done, notices[i].code))
			app_set_str(c, "notice", notices[i].text);
}

static int redirect_to_round(struct ctx *c, long long id, const char *done)
{
	char to[96];
	snprintf(to, sizeof to, "/admin/round?id=%lld&done=%s", id, done);
	return app_redirect(c, to);
}

/* The active cities; *rows owns the strings cities[] points into. */
static int load_cities(json_object **rows, struct round_city cities[ROUND_CITIES_MAX], size_t *n)
{
	int rc = users_cities(rows);
	size_t len;
	*n = 0;
	if (rc != DB_OK)
		return rc;
	len = json_object_array_length(*rows);
	if (len > ROUND_CITIES_MAX) {
		json_object_put(*rows);
		*rows = NULL;
		return DB_ERROR;
	}
	for (size_t i = 0; i < len; i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		cities[i].code = db_str(r, "code", "");
		cities[i].name = db_str(r, "name", "");
	}
	*n = len;
	return DB_OK;
}

static int init_form(struct round_form *rf, bool deadlines_only)
{
	struct round_city cities[ROUND_CITIES_MAX];
	json_object *rows = NULL;
	size_t n;
	int rc = load_cities(&rows, cities, &n);
	if (rc != DB_OK)
		return rc;
	round_form_init(rf, cities, n, deadlines_only); /* copies codes and names */
	json_object_put(rows);
	return DB_OK;
}

/* {name, value, error} of one field of a form_json-shaped object. */
static json_object *field_item(json_object *fj, const char *name)
{
	json_object *item = json_object_new_object(), *fo, *v;
	json_object_object_add(item, "name", json_object_new_string(name));
	if (json_object_object_get_ex(fj, name, &fo)) {
		if (json_object_object_get_ex(fo, "value", &v))
			json_object_object_add(item, "value", json_object_get(v));
		if (json_object_object_get_ex(fo, "error", &v))
			json_object_object_add(item, "error", json_object_get(v));
	}
	return item;
}

/* The template data of the form: "form" (values and errors by name), and
 * "groups" (the scheme's points with their fields), "cities" (the quota
 * fields) and "step" (which score step option is selected), which the
 * logic-less templates cannot look up by name or compare.  Takes ownership
 * of fj. */
static void set_form_data(struct ctx *c, const struct round_form *rf, json_object *fj,
			  const char *action)
{
	json_object *groups = json_object_new_array(), *cities = json_object_new_array();
	char name[16];

	for (int g = 1; g <= ROUND_GROUPS; g++) {
		json_object *go = json_object_new_object(), *points = json_object_new_array();
		json_object_object_add(go, "no", json_object_new_int(g));
		json_object_object_add(go, "title", json_object_new_string(round_group_title(g)));
		json_object_object_add(go, "numeral", json_object_new_string(round_group_numeral(g)));
		for (size_t i = 0; i < ROUND_POINTS; i++) {
			json_object *p;
			if (round_points[i].group_no != g)
				continue;
			snprintf(name, sizeof name, "max_%d", round_points[i].no);
			p = field_item(fj, name);
			json_object_object_add(p, "no", json_object_new_int(round_points[i].no));
			json_object_object_add(p, "title", json_object_new_string(round_points[i].title));
			json_object_array_add(points, p);
		}
		json_object_object_add(go, "points", points);
		json_object_array_add(groups, go);
	}
	for (size_t i = 0; i < rf->n_cities; i++) {
		json_object *q = field_item(fj, rf->field_name[i]);
		json_object_object_add(q, "code", json_object_new_string(rf->city_code[i]));
		json_object_object_add(q, "city", json_object_new_string(rf->city_name[i]));
		json_object_array_add(cities, q);
	}
	if (!rf->deadlines_only) {
		/* A refused value selects neither option: the error says why. */
		json_object *fo, *v, *step = json_object_new_object();
		const char *value = json_object_object_get_ex(fj, "score_step", &fo) &&
					    json_object_object_get_ex(fo, "value", &v)
				    ? json_object_get_string(v)
				    : "";
		json_object_object_add(step, "whole", json_object_new_boolean(!strcmp(value, "whole")));
		json_object_object_add(step, "half", json_object_new_boolean(!strcmp(value, "half")));
		app_set(c, "step", step);
	}
	app_set(c, "form", fj);
	app_set(c, "groups", groups);
	app_set(c, "cities", cities);
	app_set_str(c, "action", action);
	app_set(c, "deadlines_only", json_object_new_boolean(rf->deadlines_only));
	app_set(c, "points_total", json_object_new_int(ROUND_POINTS_TOTAL));
}

/* The first year from this one on that has no round yet. */
static int suggested_year(int *year)
{
	json_object *rows = NULL;
	int y;
	int rc = rounds_list(&rows);
	civil_to_ymd(civil_today_shanghai(), &y, NULL, NULL);
	if (y < ROUND_YEAR_MIN)
		y = ROUND_YEAR_MIN;
	if (rc == DB_OK) {
		bool taken = true;
		while (taken && y < ROUND_YEAR_MAX) {
			taken = false;
			for (size_t i = 0; i < json_object_array_length(rows); i++)
				if (db_int(json_object_array_get_idx(rows, i), "year", 0) == y)
					taken = true;
			if (taken)
				y++;
		}
	}
	json_object_put(rows);
	*year = y;
	return rc;
}

int rounds_page_list(struct ctx *c)
{
	json_object *rows = NULL, *current = NULL;
	int rc = rounds_list(&rows);
	if (rc == DB_OK)
		rc = rounds_current(&current);
	if (rc != DB_OK) {
		json_object_put(rows);
		return rc;
	}
	/* Mark the round other pages treat as the current one. */
	for (size_t i = 0; current && i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		if (db_int(r, "id", 0) == db_int(current, "id", -1))
			json_object_object_add(r, "current", json_object_new_boolean(1));
	}
	json_object_put(current);
	app_set(c, "rounds", rows);
	return app_render(c, 200, "rounds_list", "年度遴选");
}

/* The new-round form comes with the default title of the suggested year
 * filled in; when the administrator changes the year but leaves that title,
 * the title follows the year (it is blanked: blank means the default). */
static void title_follows_year(struct fields *form)
{
	struct field *title = NULL;
	const char *year = fields_get(form, "year");
	char dflt[64];
	char *end;
	long n;
	for (size_t i = 0; i < form->n; i++)
		if (!strcmp(form->v[i].name, "title"))
			title = &form->v[i];
	if (!title || !year)
		return;
	n = strtol(title->value, &end, 10);
	if (end == title->value || n < ROUND_YEAR_MIN || n > ROUND_YEAR_MAX)
		return;
	rounds_default_title((int)n, dflt, sizeof dflt);
	if (strcmp(title->value, dflt) || strtol(year, NULL, 10) == n)
		return;
	title->value[0] = '\0';
	title->len = 0;
}

static void year_taken(struct round_form *rf, int year)
{
	char msg[160];
	snprintf(msg, sizeof msg, "%d年度的遴选已经存在：每年只开展一次遴选（第四条），请修改已有的年度遴选。",
		 year);
	form_error(&rf->form, "year", msg);
}

int rounds_page_new(struct ctx *c)
{
	struct round_form rf;
	struct round r;
	json_object *fj;
	long long id = 0;
	int status = 200, rc;

	if ((rc = init_form(&rf, false)) != DB_OK)
		return rc;
	if (c->req.method == METHOD_POST) {
		status = 422;
		title_follows_year(&c->req.form);
		if (!round_form_check(&rf, &c->req, NULL, &r)) {
			rc = rounds_create(&c->actor, &r, &id);
			if (rc == DB_OK) {
				round_form_release(&rf);
				return redirect_to_round(c, id, "created");
			}
			if (rc != DB_CONFLICT) {
				round_form_release(&rf);
				return rc;
			}
			year_taken(&rf, r.year);
			status = 409;
		}
		fj = form_json(&rf.form);
	} else {
		int year;
		char text[16];
		json_object *yo;
		if ((rc = suggested_year(&year)) != DB_OK) {
			round_form_release(&rf);
			return rc;
		}
		char title[64];
		fj = round_form_values(&rf, NULL);
		/* The suggested year, its default title and the default quota. */
		snprintf(text, sizeof text, "%d", year);
		if (json_object_object_get_ex(fj, "year", &yo))
			json_object_object_add(yo, "value", json_object_new_string(text));
		rounds_default_title(year, title, sizeof title);
		if (json_object_object_get_ex(fj, "title", &yo))
			json_object_object_add(yo, "value", json_object_new_string(title));
		snprintf(text, sizeof text, "%d", ROUND_QUOTA_DEFAULT);
		if (json_object_object_get_ex(fj, "default_quota", &yo))
			json_object_object_add(yo, "value", json_object_new_string(text));
	}
	set_form_data(c, &rf, fj, "/admin/rounds/new");
	app_set(c, "is_new", json_object_new_boolean(1));
	round_form_release(&rf);
	return app_render(c, status, "rounds_form", "新建年度遴选");
}

/* Reads ?id= / id= (and mode=).  *id is 0 when it is not a valid id. */
static void read_id(struct ctx *c, long long *id, bool *deadlines_form)
{
	struct form f;
	form_init(&f, id_fields, ARRAY_LEN(id_fields));
	*id = form_validate(&f, &c->req) ? 0 : form_int(&f, "id");
	if (deadlines_form)
		*deadlines_form = *id && !strcmp(form_str(&f, "mode"), "deadlines");
	form_release(&f);
}

static int not_found(struct ctx *c)
{
	return app_fail(c, 404, "该年度遴选不存在。");
}

int rounds_page_view(struct ctx *c)
{
	json_object *row = NULL, *quotas = NULL, *criteria = NULL, *groups;
	bool has = false;
	long long id;
	int total = 0, rc;
	char title[64];

	/* Shows what is stored, even a round whose rows were made by hand. */
	read_id(c, &id, NULL);
	if (!id)
		return not_found(c);
	rc = rounds_get(id, &row);
	if (rc == DB_OK && !row)
		return not_found(c);
	if (rc == DB_OK)
		rc = rounds_quotas(id, &quotas);
	if (rc == DB_OK)
		rc = rounds_criteria(id, &criteria);
	if (rc == DB_OK)
		rc = rounds_has_applications(id, &has);
	if (rc != DB_OK) {
		json_object_put(row);
		json_object_put(quotas);
		json_object_put(criteria);
		return rc;
	}
	/* The scheme by group, with each group's subtotal. */
	groups = json_object_new_array();
	for (int g = 1; g <= ROUND_GROUPS; g++) {
		json_object *go = json_object_new_object(), *points = json_object_new_array();
		long long sub = 0;
		for (size_t i = 0; i < json_object_array_length(criteria); i++) {
			json_object *p = json_object_array_get_idx(criteria, i);
			if (db_int(p, "group_no", 0) != g)
				continue;
			sub += db_int(p, "max_points", 0);
			json_object_array_add(points, json_object_get(p));
		}
		total += (int)sub;
		json_object_object_add(go, "no", json_object_new_int(g));
		json_object_object_add(go, "title", json_object_new_string(round_group_title(g)));
		json_object_object_add(go, "numeral", json_object_new_string(round_group_numeral(g)));
		json_object_object_add(go, "subtotal", json_object_new_int64(sub));
		json_object_object_add(go, "points", points);
		json_object_array_add(groups, go);
	}
	if (json_object_array_length(criteria) != ROUND_POINTS)
		app_set_str(c, "scheme_incomplete", "本年度的评价要点数据不完整（应为十项），请联系系统管理员。");
	json_object_put(criteria);
	snprintf(title, sizeof title, "%lld年度遴选", db_int(row, "year", 0));
	app_set(c, "round", row);
	app_set(c, "quotas", quotas);
	app_set(c, "groups", groups);
	app_set(c, "points_total", json_object_new_int(total));
	app_set(c, "has_applications", json_object_new_boolean(has));
	set_notice(c);
	return app_render(c, 200, "rounds_view", title);
}

static void set_round_data(struct ctx *c, const struct round *r, bool has)
{
	json_object *o = json_object_new_object();
	char text[ROUND_TIME_TEXT];
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "year", json_object_new_int(r->year));
	json_object_object_add(o, "title", json_object_new_string(r->title));
	rounds_format_minutes(r->apply_open, text);
	json_object_object_add(o, "apply_open", json_object_new_string(text));
	app_set(c, "round", o);
	app_set(c, "has_applications", json_object_new_boolean(has));
}

int rounds_page_edit(struct ctx *c)
{
	struct round stored, r;
	struct round_form rf;
	json_object *fj;
	bool has = false, deadlines_form = false;
	long long id;
	int status = 200, rc;

	read_id(c, &id, &deadlines_form);
	if (!id)
		return not_found(c);
	rc = rounds_load(id, &stored);
	if (rc == ROUNDS_NOT_FOUND)
		return not_found(c);
	if (rc != DB_OK)
		return rc;
	if ((rc = rounds_has_applications(stored.id, &has)) != DB_OK)
		return rc;
	if (c->req.method != METHOD_POST)
		deadlines_form = has;
	if ((rc = init_form(&rf, deadlines_form)) != DB_OK)
		return rc;

	if (c->req.method == METHOD_POST) {
		status = 422;
		if (!round_form_check(&rf, &c->req, &stored, &r)) {
			r.id = stored.id;
			rc = rounds_update(&c->actor, &r, deadlines_form);
			if (rc == DB_OK || rc == ROUNDS_UNCHANGED) {
				round_form_release(&rf);
				return redirect_to_round(c, stored.id,
							 rc == ROUNDS_UNCHANGED ? "unchanged"
							 : deadlines_form     ? "deadline"
									      : "updated");
			}
			if (rc == ROUNDS_NOT_FOUND) {
				round_form_release(&rf);
				return not_found(c);
			}
			if (rc == ROUNDS_LOCKED) {
				/* Applications arrived while the full form was open: show the
				 * deadlines form with the stored values; nothing was saved. */
				round_form_release(&rf);
				if ((rc = init_form(&rf, true)) != DB_OK)
					return rc;
				has = true;
				fj = round_form_values(&rf, &stored);
				json_object_object_add(
					fj, "_message",
					json_object_new_string("本年度遴选已有企业申报，只能调整申报截止时间和"
							       "市（地）推荐截止时间；您的修改未保存，请重新填写。"));
				status = 409;
				goto show;
			}
			if (rc != DB_CONFLICT) {
				round_form_release(&rf);
				return rc;
			}
			year_taken(&rf, r.year);
			status = 409;
		}
		fj = form_json(&rf.form);
	} else {
		fj = round_form_values(&rf, &stored);
	}
show:
	{
		/* The round's own address: a refused save shown here keeps it. */
		char action[64];
		snprintf(action, sizeof action, "/admin/round/edit?id=%lld", stored.id);
		set_form_data(c, &rf, fj, action);
	}
	set_round_data(c, &stored, has);
	round_form_release(&rf);
	return app_render(c, status, "rounds_form", "修改年度遴选");
}
