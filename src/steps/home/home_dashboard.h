/* home_dashboard: the province's dashboard (统计): for one round, a funnel
 * per city and for the province (applied, recommended, reviewed, proposed,
 * benchmark), and for the five years up to the round's, the applications
 * and the benchmarks per scope category (第七条), as server-drawn SVG
 * (core/chart.h) with the same numbers in tables beside them.
 *
 * The stages count each application by the furthest stage its status
 * shows it reached (lifecycle.h): a returned one was applied; one not
 * selected by the panel was reviewed; one withdrawn after an upheld
 * objection was proposed; a revoked title was a benchmark.  Drafts count
 * nowhere.  Two statements, each one pass over the applications they
 * count.
 */
#ifndef BIAOGAN_HOME_DASHBOARD_H
#define BIAOGAN_HOME_DASHBOARD_H

#include <json-c/json.h>

/* For round (a row of rounds.h, with id and year): "cities" (code, name,
 * applied, recommended, reviewed, proposed, benchmark, funnel), "total"
 * (the same for the province), "years" (year, applied_by_scope[5],
 * benchmarks_by_scope[5], and their totals), "applied_chart",
 * "benchmark_chart", "scopes" (no, short, label).  *out owned by the
 * caller.  Returns a db_status. */
int home_dashboard(json_object *round, json_object **out);

#endif
