/* rounds: the yearly selection round (年度遴选, 第四条 "每年开展一次").
 *
 * Owns the tables of sql/004_round.sql (with selection_round.score_step of
 * sql/020_review.sql) and every statement on them: a round's year and
 * title, its application window, the city bureaus' recommendation
 * deadline, the recommendation quota (a default and per-city overrides)
 * and the evaluation-point scheme of the annex (10 points in 3 groups, each
 * with a maximum, and the score step: whole points only, or halves too, as
 * rules/scoring.h parses the experts' scores).  Also owns the form of a
 * round: its declared fields and the rules between them (round_form_check,
 * pure, no database).
 *
 * Rules:
 *   - one round per year, years ROUND_YEAR_MIN..ROUND_YEAR_MAX;
 *   - apply_open < apply_close < recommend_deadline, each within a year of
 *     the round's year (catches a mistyped year).  apply_open may lie in the
 *     past: the province back-fills earlier years;
 *   - the window is [apply_open, apply_close): open at the opening minute,
 *     closed from the closing minute on;
 *   - point maxima ROUND_POINT_MIN..ROUND_POINT_MAX summing to
 *     ROUND_POINTS_TOTAL; the score step "whole" or "half" (a new round's
 *     form suggests whole);
 *   - editable in full until the round's first application exists; after
 *     that only apply_close and recommend_deadline move (ROUNDS_LOCKED):
 *     the scheme, its step included, is fixed before any score exists.
 * Every change is one transaction with one audit record: "round.create",
 * "round.update" (what changed, old → new) or "round.deadline".
 *
 * Times are Asia/Shanghai wall-clock seconds: seconds since 1970-01-01
 * 00:00:00 *Shanghai time* (not UTC instants), the same wall time the
 * DATETIME columns hold.  Nothing depends on the server's TZ.
 */
#ifndef BIAOGAN_ROUNDS_H
#define BIAOGAN_ROUNDS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/form.h"
#include "core/request.h"
#include "rules/scoring.h"

#define ROUND_YEAR_MIN 2020
#define ROUND_YEAR_MAX 2100
#define ROUND_TITLE_MAX_CHARS 100 /* selection_round.title VARCHAR(100) */
#define ROUND_QUOTA_MIN 1         /* the default quota */
#define ROUND_QUOTA_DEFAULT 5     /* the default quota a new round's form suggests */
#define ROUND_QUOTA_MAX 200
#define ROUND_CITY_QUOTA_MIN 0 /* a city may be given no places */
#define ROUND_POINTS 10
#define ROUND_GROUPS 3
#define ROUND_POINT_MIN 1
#define ROUND_POINT_MAX 100
#define ROUND_POINT_DEFAULT 10
#define ROUND_POINTS_TOTAL 100
#define ROUND_CITIES_MAX 16       /* Heilongjiang has 13; room for changes */
#define ROUND_CITY_NAME_BYTES 129 /* city.name VARCHAR(32), 4 bytes a character */
#define ROUND_TIME_TEXT 20        /* "YYYY-MM-DD HH:MM:SS" and NUL */

/* Results beyond enum db_status. */
enum rounds_status {
	ROUNDS_NOT_FOUND = 1, /* no round with that id */
	ROUNDS_LOCKED = 2,    /* applications exist: only the deadlines may move */
	ROUNDS_UNCHANGED = 3, /* the submitted values equal the stored ones: nothing written */
};

/* The annex's evaluation points (附件 三、评价要点), verbatim. */
struct round_point {
	int no;       /* 1..10 */
	int group_no; /* 1..3 */
	const char *title;
};
extern const struct round_point round_points[ROUND_POINTS];
/* "科学性和创新性", "系统性和示范性", "显效性和发展性" for group_no 1..3. */
const char *round_group_title(int group_no);
/* "一", "二", "三": the measures number the groups （一）（二）（三）. */
const char *round_group_numeral(int group_no);

struct round_quota {
	char code[7];
	char name[ROUND_CITY_NAME_BYTES]; /* for messages and audit text; may be "" */
	int quota;                        /* ROUND_CITY_QUOTA_MIN..ROUND_QUOTA_MAX */
};

/* One round, all values checked.  Plain data: copy it freely. */
struct round {
	long long id; /* 0 before it is stored */
	int year;
	char title[ROUND_TITLE_MAX_CHARS * 4 + 1];
	long long apply_open, apply_close, recommend_deadline; /* wall seconds */
	int default_quota;
	struct round_quota quota[ROUND_CITIES_MAX]; /* overrides only, in city order */
	size_t n_quota;
	int max_points[ROUND_POINTS]; /* [no - 1] */
	enum score_step score_step;   /* SCORE_WHOLE when zeroed */
};

/* ---- times ---- */

/* Parse "YYYY-MM-DDTHH:MM" (HTML datetime-local) or with a space instead of
 * the T, optionally with ":SS".  0 and *out set, or -1 (*out untouched). */
int rounds_parse_time(const char *s, long long *out);
/* "YYYY-MM-DD HH:MM:SS" (the database's form). */
void rounds_format_time(long long t, char out[ROUND_TIME_TEXT]);
/* "YYYY-MM-DDTHH:MM" (an input's value) or "YYYY-MM-DD HH:MM" (for people). */
void rounds_format_input(long long t, char out[ROUND_TIME_TEXT]);
void rounds_format_minutes(long long t, char out[ROUND_TIME_TEXT]);
int rounds_time_year(long long t);
/* Now, in wall seconds. */
long long rounds_now(void);

/* "YYYY年度黑龙江省质量标杆遴选" */
void rounds_default_title(int year, char *out, size_t size);

/* ---- the form ----
 *
 * Fields: year, title, apply_open, apply_close, recommend_deadline,
 * default_quota, score_step ("whole"/"half"), max_1..max_10,
 * quota_<city code> per city (blank: the default).  With deadlines_only, just apply_close and recommend_deadline.
 * The struct holds the field table form points into: do not move or copy it
 * after round_form_init; round_form_release frees what it owns. */
struct round_city {
	const char *code; /* 6 digits */
	const char *name;
};

#define ROUND_FORM_FIELDS (7 + ROUND_POINTS + ROUND_CITIES_MAX)

struct round_form {
	struct form form;
	bool deadlines_only;
	size_t n_cities;
	struct field_spec spec[ROUND_FORM_FIELDS];
	char city_code[ROUND_CITIES_MAX][7];
	char city_name[ROUND_CITIES_MAX][ROUND_CITY_NAME_BYTES];
	char field_name[ROUND_CITIES_MAX][16];
	char label[ROUND_CITIES_MAX][ROUND_CITY_NAME_BYTES + 16];
};

/* cities: at most ROUND_CITIES_MAX (more is a bug: abort). */
void round_form_init(struct round_form *rf, const struct round_city *cities, size_t n_cities,
		     bool deadlines_only);
/* Validate the request's fields, then the rules between them.  With
 * deadlines_only, base is the stored round and *out becomes base with the
 * two new deadlines; otherwise base is ignored (may be NULL).  Returns the
 * number of errors (messages in rf->form, in Chinese); *out is meaningful
 * only when 0. */
int round_form_check(struct round_form *rf, const struct request *req, const struct round *base,
		     struct round *out);
/* The same checks on values already in rf->form (after form_validate or
 * round_form_fill); used by round_form_check. */
int round_form_rules(struct round_form *rf, const struct round *base, struct round *out);
/* Like form_json, but the values are those of r (a form shown for editing);
 * r NULL: an empty new form (points at ROUND_POINT_DEFAULT, score step
 * whole). */
json_object *round_form_values(const struct round_form *rf, const struct round *r);
void round_form_release(struct round_form *rf);

/* ---- the database ---- */

/* DB_CONFLICT when the year already has a round.  *id_out set on DB_OK. */
int rounds_create(const struct actor *who, const struct round *r, long long *id_out);
/* r->id names the round.  deadlines_only: only apply_close and
 * recommend_deadline are taken from r.  Returns DB_OK, a db_status
 * (DB_CONFLICT: the new year is taken), or ROUNDS_NOT_FOUND, ROUNDS_LOCKED
 * (a full edit after applications arrived), ROUNDS_UNCHANGED. */
int rounds_update(const struct actor *who, const struct round *r, bool deadlines_only);
/* Load one round into *out (ROUNDS_NOT_FOUND when there is none). */
int rounds_load(long long id, struct round *out);
/* Has the round any application (sql/005_application.sql)?  A db_status. */
int rounds_has_applications(long long round_id, bool *has);

/* Rows for pages and other modules.  Columns: id, year, title, apply_open,
 * apply_close, recommend_deadline ("YYYY-MM-DD HH:MM"), default_quota,
 * score_step ("whole"/"half"), score_step_label (整数分 / 可打半分), before_open, open_now, after_close, recommend_open (0/1: now relative to
 * the window and the recommendation deadline), state_label (Chinese),
 * backdated (1 when the window had opened before the round was created),
 * created_at, updated_at.  *row NULL when there is none. */
int rounds_list(json_object **rows);
int rounds_get(long long id, json_object **row);
/* The round whose application window contains now, else the newest (the
 * highest year); *row NULL when there is no round at all. */
int rounds_current(json_object **row);
/* Every active city with its quota in the round: code, name, quota,
 * is_default (0/1). */
int rounds_quotas(long long round_id, json_object **rows);
/* One city's quota in a round (the override, else the default; the code
 * is not checked against the city table); ROUNDS_NOT_FOUND when the round
 * does not exist. */
int rounds_city_quota(long long round_id, const char *city_code, long long *quota);
/* The scheme: no, group_no, group_title, title, max_points, ordered by no. */
int rounds_criteria(long long round_id, json_object **rows);

#endif
