/* exchange: the benchmarks' duty to share their experience (经验交流;
 * 第十五条、第十七条; issue 14): the activities the province records, which
 * benchmarks took part and with what, and who took part in none.
 *
 * Owns the tables exchange_activity and exchange_participation
 * (sql/022_manage.sql).  An activity is recorded once (a wrong one stays,
 * with its participants removed); a participation is added or removed.
 * Each change is one transaction with one audit record:
 * "manage.activity.add" (object exchange_activity),
 * "manage.participation.add" / ".remove" (object benchmark, so that the
 * title's history shows it).
 */
#ifndef BIAOGAN_EXCHANGE_H
#define BIAOGAN_EXCHANGE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/audit.h"

enum {
	EXC_E_NOT_FOUND = 1, /* no such activity, or not a valid benchmark */
	EXC_E_DUPLICATE,     /* the benchmark is already recorded for the activity */
	EXC_E_DATE,          /* an activity in the future; taking part before the award */
};

#define EXC_TOPIC_MAX 200
#define EXC_PLACE_MAX 200
#define EXC_ORGANISER_MAX 100
#define EXC_CONTRIBUTION_MAX 500
#define EXC_PAGE_SIZE 30
/* The report's default period, months back from today (config
 * exchange_report_months). */
#define EXC_REPORT_MONTHS_DEFAULT 12

/* "provincial", "national": NULL-terminated, for the form. */
extern const char *const exc_levels[];
/* "省级", "全国"; "" for another. */
const char *exc_level_label(const char *level);

struct exc_activity_input {
	const char *held_on; /* YYYY-MM-DD, not in the future */
	const char *topic, *place, *level, *organiser;
};
int exc_add(const struct actor *who, const struct exc_activity_input *in, long long *id);

/* Newest first, paged (EXC_PAGE_SIZE, page from 1): id, held_on(_zh), topic,
 * place, level, level_label, organiser, participants. */
int exc_activities(long long page, json_object **rows, bool *more);
/* One of them; *row NULL when none. */
int exc_activity(long long id, json_object **row);
/* Its participants in certificate order: benchmark_id, cert_no,
 * enterprise_name, city_name, year, contribution, recorded_at. */
int exc_participants(long long activity_id, json_object **rows);
/* A benchmark's activities, newest first: activity_id, held_on(_zh), topic,
 * place, level_label, organiser, contribution. */
int exc_of_benchmark(long long benchmark_id, json_object **rows);
/* The valid benchmarks awarded by the activity's date that are not yet
 * recorded for it, for its form: id, cert_no, enterprise_name, year. */
int exc_candidates(long long activity_id, json_object **rows);

/* benchmark: a valid one, awarded by the activity's date.  DB_OK,
 * EXC_E_NOT_FOUND, EXC_E_DUPLICATE, EXC_E_DATE or a db_status. */
int exc_participation_add(const struct actor *who, long long activity_id, long long benchmark_id,
			  const char *contribution);
int exc_participation_remove(const struct actor *who, long long activity_id,
			     long long benchmark_id);

/* The valid benchmarks awarded on or before until that took part in no
 * activity held from since to until (inclusive), by year then certificate:
 * id, cert_no, year, enterprise_name, city_name, scope_label, award_date,
 * last_held_on (their latest activity ever, "" none). */
int exc_absent(const char *since, const char *until, json_object **rows);
/* The audit record of the report's export (a list leaving the system). */
int exc_report_audit(const struct actor *who, const char *since, const char *until, size_t n);

#endif
