#include "steps/home/home_dashboard.h"

#include <stdio.h>
#include <string.h>

#include "core/chart.h"
#include "core/db.h"
#include "steps/intake/application.h"
#include "core/banned.h"

#define STAGES 5
#define SCOPES 5
#define YEARS 5 /* up to the round's year */

/* The statuses from which each stage was reached (lifecycle.h). */
#define REACHED_RECOMMENDED                                                                      \
	"'recommended', 'with_province', 'in_review', 'not_selected', 'proposed', 'in_publicity',"  \
	" 'withdrawn', 'approved', 'benchmark', 'revoked'"
#define REACHED_REVIEW                                                                           \
	"'in_review', 'not_selected', 'proposed', 'in_publicity', 'withdrawn', 'approved',"       \
	" 'benchmark', 'revoked'"
#define REACHED_PROPOSED "'proposed', 'in_publicity', 'withdrawn', 'approved', 'benchmark', 'revoked'"
#define REACHED_BENCHMARK "'approved', 'benchmark', 'revoked'"

static const char SQL_FUNNELS[] =
	"SELECT c.code, c.name, IFNULL(SUM(a.status <> 'draft'), 0) AS applied,"
	" IFNULL(SUM(a.status IN (" REACHED_RECOMMENDED ")), 0) AS recommended,"
	" IFNULL(SUM(a.status IN (" REACHED_REVIEW ")), 0) AS reviewed,"
	" IFNULL(SUM(a.status IN (" REACHED_PROPOSED ")), 0) AS proposed,"
	" IFNULL(SUM(a.status IN (" REACHED_BENCHMARK ")), 0) AS benchmark"
	" FROM city c LEFT JOIN enterprise en ON en.city_code = c.code"
	" LEFT JOIN application a ON a.enterprise_id = en.id AND a.round_id = ?"
	" WHERE c.active = 1 GROUP BY c.code, c.name, c.sort_order ORDER BY c.sort_order, c.code";
static const char SQL_YEARS[] =
	"SELECT r.year, IFNULL(a.scope, 0) AS scope, IFNULL(SUM(a.status <> 'draft'), 0) AS applied,"
	" IFNULL(SUM(a.status IN (" REACHED_BENCHMARK ")), 0) AS benchmarks"
	" FROM selection_round r LEFT JOIN application a ON a.round_id = r.id"
	" WHERE r.year BETWEEN ? AND ? GROUP BY r.year, a.scope ORDER BY r.year, a.scope";

static const char *const STAGE_LABELS[STAGES] = { "申报", "推荐", "评审", "拟认定", "质量标杆" };
static const char *const STAGE_KEYS[STAGES] = { "applied", "recommended", "reviewed", "proposed",
						"benchmark" };
static const char *const SCOPE_SHORT[SCOPES] = { "（一）", "（二）", "（三）", "（四）", "（五）" };

static void add_funnel(json_object *row)
{
	long long v[STAGES];
	for (int i = 0; i < STAGES; i++)
		v[i] = db_int(row, STAGE_KEYS[i], 0);
	json_object_object_add(row, "funnel", chart_funnel(STAGE_LABELS, v, STAGES));
}

static json_object *funnels(json_object *cities)
{
	json_object *total = json_object_new_object();
	long long sum[STAGES] = { 0 };
	for (size_t c = 0; c < json_object_array_length(cities); c++) {
		json_object *row = json_object_array_get_idx(cities, c);
		for (int i = 0; i < STAGES; i++)
			sum[i] += db_int(row, STAGE_KEYS[i], 0);
		add_funnel(row);
	}
	json_object_object_add(total, "name", json_object_new_string("全省"));
	for (int i = 0; i < STAGES; i++)
		json_object_object_add(total, STAGE_KEYS[i], json_object_new_int64(sum[i]));
	add_funnel(total);
	return total;
}

/* The five years up to year, each with its counts per scope (a year
 * without a round shows zeros). */
static void years(json_object *rows, long long year, json_object *out)
{
	long long applied[YEARS * SCOPES] = { 0 }, bench[YEARS * SCOPES] = { 0 };
	char labels[YEARS][16];
	const char *groups[YEARS];
	json_object *table = json_object_new_array(), *scopes = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		long long g = db_int(r, "year", 0) - (year - YEARS + 1), s = db_int(r, "scope", 0) - 1;
		if (g < 0 || g >= YEARS || s < 0 || s >= SCOPES)
			continue; /* a draft with no scope chosen yet */
		applied[g * SCOPES + s] = db_int(r, "applied", 0);
		bench[g * SCOPES + s] = db_int(r, "benchmarks", 0);
	}
	for (int g = 0; g < YEARS; g++) {
		json_object *y = json_object_new_object(), *a = json_object_new_array();
		json_object *b = json_object_new_array();
		long long ta = 0, tb = 0;
		snprintf(labels[g], sizeof labels[g], "%lld年", year - YEARS + 1 + g);
		groups[g] = labels[g];
		for (int s = 0; s < SCOPES; s++) {
			json_object_array_add(a, json_object_new_int64(applied[g * SCOPES + s]));
			json_object_array_add(b, json_object_new_int64(bench[g * SCOPES + s]));
			ta += applied[g * SCOPES + s];
			tb += bench[g * SCOPES + s];
		}
		json_object_object_add(y, "year", json_object_new_int64(year - YEARS + 1 + g));
		json_object_object_add(y, "applied", a);
		json_object_object_add(y, "benchmarks", b);
		json_object_object_add(y, "applied_total", json_object_new_int64(ta));
		json_object_object_add(y, "benchmarks_total", json_object_new_int64(tb));
		json_object_array_add(table, y);
	}
	for (int s = 0; s < SCOPES; s++) {
		json_object *sc = json_object_new_object();
		const char *label = app_scope_label(s + 1);
		json_object_object_add(sc, "short", json_object_new_string(SCOPE_SHORT[s]));
		json_object_object_add(sc, "label", json_object_new_string(label ? label : ""));
		json_object_array_add(scopes, sc);
	}
	json_object_object_add(out, "years", table);
	json_object_object_add(out, "scopes", scopes);
	json_object *ca = chart_bars(groups, YEARS, SCOPE_SHORT, SCOPES, applied);
	json_object *cb = chart_bars(groups, YEARS, SCOPE_SHORT, SCOPES, bench);
	json_object_object_add(ca, "caption", json_object_new_string("近五年各遴选范围的申报数量"));
	json_object_object_add(cb, "caption", json_object_new_string("近五年各遴选范围认定的质量标杆数量"));
	json_object_object_add(out, "applied_chart", ca);
	json_object_object_add(out, "benchmark_chart", cb);
}

int home_dashboard(json_object *round, json_object **out)
{
	json_object *cities = NULL, *rows = NULL;
	long long id = db_int(round, "id", 0), year = db_int(round, "year", 0);
	int rc = db_query(&cities, SQL_FUNNELS, "i", id);
	if (rc == DB_OK)
		rc = db_query(&rows, SQL_YEARS, "ii", year - YEARS + 1, year);
	if (rc != DB_OK) {
		json_object_put(cities);
		return rc;
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "total", funnels(cities));
	json_object_object_add(*out, "cities", cities);
	years(rows, year, *out);
	json_object_put(rows);
	return DB_OK;
}
