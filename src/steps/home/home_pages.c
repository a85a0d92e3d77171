#include "steps/home/home_pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "steps/home/home_dashboard.h"
#include "steps/home/home_data.h"
#include "steps/rounds/rounds.h"

#include "core/banned.h"

int home_page(struct ctx *c)
{
	int rc = home_fill(c);
	if (rc)
		return rc;
	if (request_param(&c->req, "changed"))
		app_set_str(c, "notice", "密码已修改。");
	return app_render(c, 200, "home", "首页");
}

/*   GET  200 the help of the viewer's role (it reads nothing) */
int home_page_help(struct ctx *c)
{
	json_object *is = json_object_new_object();
	json_object_object_add(is, role_name(c->user.role), json_object_new_boolean(1));
	app_set(c, "is", is);
	return app_render(c, 200, "help", "使用说明");
}

/*   GET  200 the measures (a fixed text: the template is the document) */
int home_page_measures(struct ctx *c)
{
	return app_render(c, 200, "measures", "黑龙江省质量标杆遴选管理办法");
}

static const struct field_spec round_spec = { "round", "年度遴选", FIELD_INT, false, 0, 1, 1LL << 53,
					      NULL };

/*   GET  200 the dashboard (or that there is no round yet); 404 an unknown round */
int home_page_dashboard(struct ctx *c)
{
	long long id = form_param_int(&c->req, &round_spec);
	json_object *round = NULL, *rounds = NULL, *dash = NULL;
	int rc = id ? rounds_get(id, &round) : rounds_current(&round);
	if (rc == DB_OK && round)
		rc = rounds_list(&rounds);
	if (rc == DB_OK && round)
		rc = home_dashboard(round, &dash);
	if (rc != DB_OK) {
		json_object_put(round);
		json_object_put(rounds);
		return rc;
	}
	if (!round && id)
		return app_fail(c, 404, "没有找到该年度遴选。");
	for (size_t i = 0; rounds && i < json_object_array_length(rounds); i++) {
		json_object *r = json_object_array_get_idx(rounds, i);
		if (db_int(r, "id", 0) == db_int(round, "id", -1))
			json_object_object_add(r, "selected", json_object_new_boolean(1));
	}
	app_set(c, "round", round);
	app_set(c, "rounds", rounds);
	app_set(c, "dash", dash);
	return app_render(c, 200, "dashboard", "遴选统计");
}
