#include "steps/rounds/rounds.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "core/log.h"
#include "core/banned.h"

/* 附件 三、评价要点, copied verbatim from the measures (黑工信科规〔2022〕7号). */
const struct round_point round_points[ROUND_POINTS] = {
	{ 1, 1,
	  "符合质量品牌管理发展趋势，所应用的管理方法（技术）符合科学规律，符合质量品牌管理发展趋势，"
	  "并对促进我省质量进步和提升产业竞争力具有示范引领作用。" },
	{ 2, 1, "典型经验应展示管理方法（技术）系统应用情况，并取得了创新性经验（成果）。" },
	{ 3, 1, "企业主要质量指标（实物质量、运行效率、品牌竞争力等）在同行业中处于领先水平。" },
	{ 4, 1, "企业质量管理水平达到省内领先水平。" },
	{ 5, 2,
	  "拥有健全的推进体制机制；有清晰的发展思路和目标要求；能够实现有效的资源配置和组织保障；"
	  "方法推进已融合到企业整体运营过程之中。" },
	{ 6, 2,
	  "对促进本企业的质量管理进步和提升企业竞争力发挥重大作用；具有在其他企业较强的适用性和示范作用，"
	  "对我省企业质量管理的发展产生一定的影响和贡献。" },
	{ 7, 2,
	  "企业具有良好的质量文化理念和行为准则，建立质量文化的相关制度机制，质量文化被本企业全体成员接受，"
	  "并共同遵守。" },
	{ 8, 3,
	  "全员参与质量管理和质量改进活动，接受全面质量管理知识培训，有较强的质量意识和执行力，"
	  "善于发现问题和解决问题。" },
	{ 9, 3,
	  "质量管理、产品和服务质量水平明显提升，通过了体系认证；实施了满意企业、满意产品、满意服务等"
	  "内外部满意度测评活动；采用并制定了先进标准。" },
	{ 10, 3, "通过应用该管理方法（技术），取得明显的经济效益和社会效益。" },
};

static const char *const group_titles[ROUND_GROUPS] = {
	"科学性和创新性",
	"系统性和示范性",
	"显效性和发展性",
};

const char *round_group_title(int group_no)
{
	return group_no >= 1 && group_no <= ROUND_GROUPS ? group_titles[group_no - 1] : "";
}

const char *round_group_numeral(int group_no)
{
	static const char *const numerals[ROUND_GROUPS] = { "一", "二", "三" };
	return group_no >= 1 && group_no <= ROUND_GROUPS ? numerals[group_no - 1] : "";
}

/* ---- times ---- */

#define DAY_SECONDS 86400LL

static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int rounds_parse_time(const char *s, long long *out)
{
	size_t n = strnlen(s, 20);
	int32_t day;
	int h, m, sec = 0;

	if (n != 16 && n != 19)
		return -1;
	if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return -1;
	if (civil_parse_n(s, CIVIL_DATE_LEN, &day))
		return -1;
	h = two_digits(s + 11);
	m = two_digits(s + 14);
	if (n == 19) {
		if (s[16] != ':')
			return -1;
		sec = two_digits(s + 17);
	}
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
		return -1;
	*out = (long long)day * DAY_SECONDS + h * 3600LL + m * 60LL + sec;
	return 0;
}

/* Floor division, so times before 1970 still land on the right day. */
static int32_t day_of(long long t)
{
	long long d = t / DAY_SECONDS;
	if (t % DAY_SECONDS < 0)
		d--;
	return (int32_t)d;
}

static void format_with(long long t, char out[ROUND_TIME_TEXT], char sep, bool seconds)
{
	int32_t day = day_of(t);
	/* The modulos only tell the compiler the ranges civil dates already have. */
	unsigned s = (unsigned)(t - (long long)day * DAY_SECONDS) % 86400u;
	int y, m, d;
	if (!civil_day_in_range(day)) {
		out[0] = '\0';
		return;
	}
	civil_to_ymd(day, &y, &m, &d);
	if (seconds)
		snprintf(out, ROUND_TIME_TEXT, "%04u-%02u-%02u%c%02u:%02u:%02u", (unsigned)y % 10000u,
			 (unsigned)m % 100u, (unsigned)d % 100u, sep, s / 3600u, s / 60u % 60u, s % 60u);
	else
		snprintf(out, ROUND_TIME_TEXT, "%04u-%02u-%02u%c%02u:%02u", (unsigned)y % 10000u,
			 (unsigned)m % 100u, (unsigned)d % 100u, sep, s / 3600u, s / 60u % 60u);
}

void rounds_format_time(long long t, char out[ROUND_TIME_TEXT])
{
	format_with(t, out, ' ', true);
}

void rounds_format_input(long long t, char out[ROUND_TIME_TEXT])
{
	format_with(t, out, 'T', false);
}

void rounds_format_minutes(long long t, char out[ROUND_TIME_TEXT])
{
	format_with(t, out, ' ', false);
}

int rounds_time_year(long long t)
{
	return civil_day_in_range(day_of(t)) ? civil_year(day_of(t)) : 0;
}

long long rounds_now(void)
{
	return (long long)time(NULL) + CIVIL_SHANGHAI_OFFSET;
}

void rounds_default_title(int year, char *out, size_t size)
{
	snprintf(out, size, "%d年度黑龙江省质量标杆遴选", year);
}

/* ---- the form ---- */

/* The fixed fields, in the order of spec[]; the points and cities follow. */
enum {
	F_YEAR,
	F_TITLE,
	F_OPEN,
	F_CLOSE,
	F_DEADLINE,
	F_QUOTA,
	F_STEP,
	F_POINT0, /* max_1 .. max_10 */
	F_CITY0 = F_POINT0 + ROUND_POINTS,
};

/* A datetime is checked by round_form_rules; the length limit only stops
 * absurd input before that. */
#define TIME_FIELD_CHARS 40

/* score_step_name's spellings, the column's ENUM values. */
static const char *const score_steps[] = { "whole", "half", NULL };

static const struct field_spec fixed_fields[F_POINT0] = {
	{ "year", "年度", FIELD_INT, true, 0, ROUND_YEAR_MIN, ROUND_YEAR_MAX, NULL },
	{ "title", "遴选名称", FIELD_LINE, false, ROUND_TITLE_MAX_CHARS, 0, 0, NULL },
	{ "apply_open", "申报开始时间", FIELD_LINE, true, TIME_FIELD_CHARS, 0, 0, NULL },
	{ "apply_close", "申报截止时间", FIELD_LINE, true, TIME_FIELD_CHARS, 0, 0, NULL },
	{ "recommend_deadline", "市（地）推荐截止时间", FIELD_LINE, true, TIME_FIELD_CHARS, 0, 0,
	  NULL },
	{ "default_quota", "默认推荐名额", FIELD_INT, true, 0, ROUND_QUOTA_MIN, ROUND_QUOTA_MAX, NULL },
	{ "score_step", "评分精度", FIELD_CHOICE, true, 0, 0, 0, score_steps },
};

static const char *const point_names[ROUND_POINTS] = {
	"max_1", "max_2", "max_3", "max_4", "max_5", "max_6", "max_7", "max_8", "max_9", "max_10",
};

static const char *const point_labels[ROUND_POINTS] = {
	"评价要点1的满分", "评价要点2的满分", "评价要点3的满分", "评价要点4的满分",
	"评价要点5的满分", "评价要点6的满分", "评价要点7的满分", "评价要点8的满分",
	"评价要点9的满分", "评价要点10的满分",
};

void round_form_init(struct round_form *rf, const struct round_city *cities, size_t n_cities,
		     bool deadlines_only)
{
	size_t n = 0;

	if (n_cities > ROUND_CITIES_MAX)
		abort(); /* the city table outgrew ROUND_CITIES_MAX: a build constant to raise */
	memset(rf, 0, sizeof *rf);
	rf->deadlines_only = deadlines_only;
	rf->n_cities = n_cities;
	if (deadlines_only) {
		rf->spec[n++] = fixed_fields[F_CLOSE];
		rf->spec[n++] = fixed_fields[F_DEADLINE];
	} else {
		for (size_t i = 0; i < F_POINT0; i++)
			rf->spec[n++] = fixed_fields[i];
		for (size_t i = 0; i < ROUND_POINTS; i++) {
			struct field_spec p = { point_names[i], point_labels[i], FIELD_INT, true, 0,
						ROUND_POINT_MIN, ROUND_POINT_MAX, NULL };
			rf->spec[n++] = p;
		}
		for (size_t i = 0; i < n_cities; i++) {
			struct field_spec q = { NULL, NULL, FIELD_INT, false, 0, ROUND_CITY_QUOTA_MIN,
						ROUND_QUOTA_MAX, NULL };
			snprintf(rf->city_code[i], sizeof rf->city_code[i], "%s", cities[i].code);
			snprintf(rf->city_name[i], sizeof rf->city_name[i], "%s",
				 cities[i].name ? cities[i].name : cities[i].code);
			snprintf(rf->field_name[i], sizeof rf->field_name[i], "quota_%s", rf->city_code[i]);
			snprintf(rf->label[i], sizeof rf->label[i], "%s推荐名额", rf->city_name[i]);
			q.name = rf->field_name[i];
			q.label = rf->label[i];
			rf->spec[n++] = q;
		}
	}
	form_init(&rf->form, rf->spec, n);
}

void round_form_release(struct round_form *rf)
{
	form_release(&rf->form);
}

/* Index of a field in the form, -1 when this form does not have it. */
static long field_index(const struct round_form *rf, const char *name)
{
	for (size_t i = 0; i < rf->form.n; i++)
		if (!strcmp(rf->spec[i].name, name))
			return (long)i;
	return -1;
}

static bool field_ok(const struct round_form *rf, const char *name)
{
	long i = field_index(rf, name);
	return i >= 0 && !rf->form.v[i].error;
}

static void errorf(struct round_form *rf, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void errorf(struct round_form *rf, const char *name, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	form_error(&rf->form, name, m.data);
	buf_release(&m);
}

/* Parse one datetime field that passed form_validate; false with a message
 * when it is not a real date and time, or lies more than a year away from
 * the round's year (year 0: not known). */
static bool time_field(struct round_form *rf, const struct field_spec *sp, int year,
		       long long *t)
{
	int y;
	if (!field_ok(rf, sp->name))
		return false;
	if (rounds_parse_time(form_str(&rf->form, sp->name), t)) {
		errorf(rf, sp->name, "%s须为有效的日期和时间（年-月-日 时:分，如 2026-03-01 09:00）。",
		       sp->label);
		return false;
	}
	y = rounds_time_year(*t);
	if (year && (y < year - 1 || y > year + 1)) {
		errorf(rf, sp->name, "%s须在%d年至%d年之间（遴选年度前后一年内），请检查年份。",
		       sp->label, year - 1, year + 1);
		return false;
	}
	return true;
}

/* form_validate's "选项无效" does not say what the choices are: name them
 * (the count of errors stays, it is the same error).  A value refused for
 * what it is made of (bad UTF-8, control characters, length) keeps that
 * reason, as a line of text would. */
static void step_refused(struct round_form *rf)
{
	long i = field_index(rf, "score_step");
	struct field_spec line = fixed_fields[F_STEP];
	long long num;
	char *other;
	if (i < 0 || !rf->form.v[i].error || !*rf->form.v[i].value)
		return; /* fine, or missing: "请填写评分精度。" says it */
	line.kind = FIELD_LINE;
	if ((other = field_check(&line, rf->form.v[i].value, &num))) {
		free(other);
		return;
	}
	free(rf->form.v[i].error);
	rf->form.v[i].error = xstrdup("评分精度须为“整数分”或“可打半分（如 7.5）”，请从列表中选择。");
}

int round_form_rules(struct round_form *rf, const struct round *base, struct round *out)
{
	struct round r;
	bool have_open, have_close, have_deadline;

	if (rf->deadlines_only) {
		if (!base)
			abort(); /* a deadlines-only form is always checked against the stored round */
		r = *base;
		have_open = true;
	} else {
		memset(&r, 0, sizeof r);
		if (field_ok(rf, "year"))
			r.year = (int)form_int(&rf->form, "year");
		if (field_ok(rf, "title") && *form_str(&rf->form, "title"))
			snprintf(r.title, sizeof r.title, "%s", form_str(&rf->form, "title"));
		else if (r.year)
			rounds_default_title(r.year, r.title, sizeof r.title);
		have_open = time_field(rf, &fixed_fields[F_OPEN], r.year, &r.apply_open);
		if (field_ok(rf, "default_quota"))
			r.default_quota = (int)form_int(&rf->form, "default_quota");
		if (field_ok(rf, "score_step"))
			r.score_step = score_step_parse(form_str(&rf->form, "score_step"));
		else
			step_refused(rf);
	}
	have_close = time_field(rf, &fixed_fields[F_CLOSE], r.year, &r.apply_close);
	have_deadline = time_field(rf, &fixed_fields[F_DEADLINE], r.year, &r.recommend_deadline);
	if (have_open && have_close && r.apply_close <= r.apply_open) {
		char open[ROUND_TIME_TEXT];
		rounds_format_minutes(r.apply_open, open);
		errorf(rf, "apply_close", "申报截止时间须晚于申报开始时间（%s）。", open);
		have_close = false;
	}
	if (have_close && have_deadline && r.recommend_deadline <= r.apply_close)
		form_error(&rf->form, "recommend_deadline", "市（地）推荐截止时间须晚于申报截止时间。");

	if (!rf->deadlines_only) {
		int sum = 0;
		bool all = true;
		for (size_t i = 0; i < ROUND_POINTS; i++) {
			if (field_ok(rf, point_names[i])) {
				r.max_points[i] = (int)form_int(&rf->form, point_names[i]);
				sum += r.max_points[i];
			} else {
				all = false;
			}
		}
		if (all && sum != ROUND_POINTS_TOTAL)
			errorf(rf, "", "各评价要点的满分合计须为%d分，现为%d分。", ROUND_POINTS_TOTAL, sum);
		r.n_quota = 0;
		for (size_t i = 0; i < rf->n_cities; i++) {
			const char *name = rf->field_name[i];
			if (!field_ok(rf, name) || !*form_str(&rf->form, name))
				continue; /* blank: the default applies */
			snprintf(r.quota[r.n_quota].code, sizeof r.quota[0].code, "%s", rf->city_code[i]);
			snprintf(r.quota[r.n_quota].name, sizeof r.quota[0].name, "%s", rf->city_name[i]);
			r.quota[r.n_quota].quota = (int)form_int(&rf->form, name);
			r.n_quota++;
		}
	}
	if (!rf->form.errors)
		*out = r;
	return rf->form.errors;
}

int round_form_check(struct round_form *rf, const struct request *req, const struct round *base,
		     struct round *out)
{
	form_validate(&rf->form, req);
	return round_form_rules(rf, base, out);
}

static void add_value(json_object *o, const char *name, const char *value)
{
	json_object *fo = json_object_new_object();
	json_object_object_add(fo, "value", json_object_new_string(value));
	json_object_object_add(o, name, fo);
}

json_object *round_form_values(const struct round_form *rf, const struct round *r)
{
	json_object *o = json_object_new_object();
	char text[ROUND_TIME_TEXT];

	if (!rf->deadlines_only) {
		snprintf(text, sizeof text, "%d", r ? r->year : 0);
		add_value(o, "year", r ? text : "");
		/* A default title is shown blank, so it follows a change of year. */
		char dflt[sizeof r->title] = "";
		if (r)
			rounds_default_title(r->year, dflt, sizeof dflt);
		add_value(o, "title", r && strcmp(r->title, dflt) ? r->title : "");
		if (r)
			rounds_format_input(r->apply_open, text);
		add_value(o, "apply_open", r ? text : "");
		snprintf(text, sizeof text, "%d", r ? r->default_quota : 0);
		add_value(o, "default_quota", r ? text : "");
		add_value(o, "score_step", score_step_name(r ? r->score_step : SCORE_WHOLE));
		for (size_t i = 0; i < ROUND_POINTS; i++) {
			snprintf(text, sizeof text, "%d", r ? r->max_points[i] : ROUND_POINT_DEFAULT);
			add_value(o, point_names[i], text);
		}
		for (size_t i = 0; i < rf->n_cities; i++) {
			text[0] = '\0';
			for (size_t j = 0; r && j < r->n_quota; j++)
				if (!strcmp(r->quota[j].code, rf->city_code[i]))
					snprintf(text, sizeof text, "%d", r->quota[j].quota);
			add_value(o, rf->field_name[i], text);
		}
	}
	if (r)
		rounds_format_input(r->apply_close, text);
	add_value(o, "apply_close", r ? text : "");
	if (r)
		rounds_format_input(r->recommend_deadline, text);
	add_value(o, "recommend_deadline", r ? text : "");
	json_object_object_add(o, "_errors", json_object_new_int(0));
	return o;
}

/* ---- the database ---- */

static const char SQL_INSERT[] =
	"INSERT INTO selection_round (year, title, apply_open, apply_close, recommend_deadline,"
	" default_quota, score_step, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))";
static const char SQL_INSERT_POINT[] =
	"INSERT INTO round_criterion (round_id, no, group_no, title, max_points)"
	" VALUES (?, ?, ?, ?, ?)";
static const char SQL_INSERT_QUOTA[] =
	"INSERT INTO round_city_quota (round_id, city_code, quota) VALUES (?, ?, ?)";
static const char SQL_DELETE_QUOTAS[] = "DELETE FROM round_city_quota WHERE round_id = ?";
static const char SQL_UPDATE[] =
	"UPDATE selection_round SET year = ?, title = ?, apply_open = ?, apply_close = ?,"
	" recommend_deadline = ?, default_quota = ?, score_step = ?, updated_at = NOW()"
	" WHERE id = ?";
static const char SQL_UPDATE_POINT[] =
	"UPDATE round_criterion SET max_points = ? WHERE round_id = ? AND no = ?";
static const char SQL_UPDATE_DEADLINES[] =
	"UPDATE selection_round SET apply_close = ?, recommend_deadline = ?, updated_at = NOW()"
	" WHERE id = ?";
#define LOAD_COLUMNS                                                                             \
	"SELECT id, year, title, DATE_FORMAT(apply_open, '%Y-%m-%d %H:%i:%s') AS apply_open,"    \
	" DATE_FORMAT(apply_close, '%Y-%m-%d %H:%i:%s') AS apply_close,"                         \
	" DATE_FORMAT(recommend_deadline, '%Y-%m-%d %H:%i:%s') AS recommend_deadline,"           \
	" default_quota, score_step FROM selection_round WHERE id = ?"
static const char SQL_LOAD[] = LOAD_COLUMNS;
static const char SQL_LOAD_LOCK[] = LOAD_COLUMNS " FOR UPDATE";
static const char SQL_LOAD_QUOTAS[] =
	"SELECT q.city_code, IFNULL(c.name, '') AS name, q.quota FROM round_city_quota q"
	" LEFT JOIN city c ON c.code = q.city_code WHERE q.round_id = ?"
	" ORDER BY c.sort_order, q.city_code";
static const char SQL_LOAD_POINTS[] =
	"SELECT no, max_points FROM round_criterion WHERE round_id = ? ORDER BY no";
/* sql/005_application.sql (the application module's table). */
static const char SQL_HAS_APPS[] = "SELECT COUNT(*) AS n FROM application WHERE round_id = ?";

#define ROW_COLUMNS                                                                              \
	"SELECT r.id, r.year, r.title,"                                                          \
	" DATE_FORMAT(r.apply_open, '%Y-%m-%d %H:%i') AS apply_open,"                            \
	" DATE_FORMAT(r.apply_close, '%Y-%m-%d %H:%i') AS apply_close,"                          \
	" DATE_FORMAT(r.recommend_deadline, '%Y-%m-%d %H:%i') AS recommend_deadline,"            \
	" r.default_quota, r.score_step,"                                                        \
	" (NOW() < r.apply_open) AS before_open,"                                                \
	" (r.apply_open <= NOW() AND NOW() < r.apply_close) AS open_now,"                        \
	" (NOW() >= r.apply_close) AS after_close,"                                              \
	" (NOW() < r.recommend_deadline) AS recommend_open,"                                     \
	" CASE WHEN NOW() < r.apply_open THEN '未开始申报'"                                      \
	" WHEN NOW() < r.apply_close THEN '申报中'"                                              \
	" WHEN NOW() < r.recommend_deadline THEN '申报已截止，市（地）推荐中'"                   \
	" ELSE '推荐已截止' END AS state_label,"                                                 \
	" (r.apply_open < r.created_at) AS backdated,"                                           \
	" DATE_FORMAT(r.created_at, '%Y-%m-%d %H:%i') AS created_at,"                            \
	" DATE_FORMAT(r.updated_at, '%Y-%m-%d %H:%i') AS updated_at"                             \
	" FROM selection_round r"
static const char SQL_LIST[] = ROW_COLUMNS " ORDER BY r.year DESC";
static const char SQL_GET[] = ROW_COLUMNS " WHERE r.id = ?";
static const char SQL_CURRENT_OPEN[] =
	ROW_COLUMNS " WHERE r.apply_open <= NOW() AND NOW() < r.apply_close"
		    " ORDER BY r.apply_open DESC, r.id DESC LIMIT 1";
static const char SQL_NEWEST[] = ROW_COLUMNS " ORDER BY r.year DESC LIMIT 1";
static const char SQL_QUOTAS[] =
	"SELECT c.code, c.name, IFNULL(q.quota, r.default_quota) AS quota,"
	" (q.quota IS NULL) AS is_default"
	" FROM selection_round r JOIN city c ON c.active = 1"
	" LEFT JOIN round_city_quota q ON q.round_id = r.id AND q.city_code = c.code"
	" WHERE r.id = ? ORDER BY c.sort_order, c.code";
static const char SQL_CITY_QUOTA[] =
	"SELECT IFNULL(q.quota, r.default_quota) AS quota FROM selection_round r"
	" LEFT JOIN round_city_quota q ON q.round_id = r.id AND q.city_code = ?"
	" WHERE r.id = ?";
static const char SQL_CRITERIA[] =
	"SELECT no, group_no, title, max_points FROM round_criterion WHERE round_id = ?"
	" ORDER BY no";

/* audit.summary is VARCHAR(1000): keep well inside it, cutting whole characters. */
#define SUMMARY_MAX_CHARS 900

static void cap_summary(struct buf *b)
{
	size_t chars = 0, i;
	for (i = 0; i < b->len; i++) {
		if (((unsigned char)b->data[i] & 0xC0) != 0x80 && ++chars > SUMMARY_MAX_CHARS)
			break;
	}
	if (i < b->len) {
		buf_truncate(b, i);
		buf_adds(b, "…（以下从略）");
	}
}

/* Write the audit record and commit, or roll back. */
static int finish(int rc, const struct actor *who, const char *action, long long id,
		  const struct buf *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, "round", oid, summary->data);
}

static int insert_quotas(const struct round *r, long long id)
{
	int rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < r->n_quota; i++)
		rc = db_exec(SQL_INSERT_QUOTA, "isi", id, r->quota[i].code,
			     (long long)r->quota[i].quota);
	return rc;
}

static void describe_quotas(struct buf *b, const struct round *r)
{
	if (!r->n_quota) {
		buf_adds(b, "无单独名额");
		return;
	}
	buf_adds(b, "单独名额 ");
	for (size_t i = 0; i < r->n_quota; i++)
		buf_addf(b, "%s%s %d", i ? "、" : "",
			 *r->quota[i].name ? r->quota[i].name : r->quota[i].code, r->quota[i].quota);
}

int rounds_create(const struct actor *who, const struct round *r, long long *id_out)
{
	char open[ROUND_TIME_TEXT], close[ROUND_TIME_TEXT], deadline[ROUND_TIME_TEXT];
	struct buf summary = BUF_INIT;
	long long id = 0;
	int rc;

	*id_out = 0;
	rounds_format_time(r->apply_open, open);
	rounds_format_time(r->apply_close, close);
	rounds_format_time(r->recommend_deadline, deadline);
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = db_exec(SQL_INSERT, "issssisi", (long long)r->year, r->title, open, close, deadline,
		     (long long)r->default_quota, score_step_name(r->score_step), who->user_id);
	if (rc == DB_OK)
		id = db_insert_id();
	for (size_t i = 0; rc == DB_OK && i < ROUND_POINTS; i++)
		rc = db_exec(SQL_INSERT_POINT, "iiisi", id, (long long)round_points[i].no,
			     (long long)round_points[i].group_no, round_points[i].title,
			     (long long)r->max_points[i]);
	if (rc == DB_OK)
		rc = insert_quotas(r, id);

	rounds_format_minutes(r->apply_open, open);
	rounds_format_minutes(r->apply_close, close);
	rounds_format_minutes(r->recommend_deadline, deadline);
	buf_addf(&summary, "创建%d年度遴选“%s”：申报 %s 至 %s；市（地）推荐截止 %s；默认推荐名额 %d；",
		 r->year, r->title, open, close, deadline, r->default_quota);
	describe_quotas(&summary, r);
	buf_adds(&summary, "；评价要点满分");
	for (size_t i = 0; i < ROUND_POINTS; i++)
		buf_addf(&summary, "%s%d", i ? "/" : " ", r->max_points[i]);
	buf_addf(&summary, "；评分精度 %s", score_step_label(r->score_step));
	if (r->apply_open < rounds_now())
		buf_adds(&summary, "（补录：申报开始时间早于创建时间）");
	cap_summary(&summary);
	rc = finish(rc, who, "round.create", id, &summary);
	if (rc == DB_OK)
		*id_out = id;
	buf_release(&summary);
	return rc;
}

static int load(long long id, struct round *out, bool lock)
{
	json_object *row = NULL, *rows = NULL;
	struct round r;
	int rc;

	memset(&r, 0, sizeof r);
	rc = db_query_row(&row, lock ? SQL_LOAD_LOCK : SQL_LOAD, "i", id);
	if (rc != DB_OK)
		return rc;
	if (!row)
		return ROUNDS_NOT_FOUND;
	r.id = id;
	r.year = (int)db_int(row, "year", 0);
	snprintf(r.title, sizeof r.title, "%s", db_str(row, "title", ""));
	r.default_quota = (int)db_int(row, "default_quota", 0);
	r.score_step = score_step_parse(db_str(row, "score_step", ""));
	if (rounds_parse_time(db_str(row, "apply_open", ""), &r.apply_open) ||
	    rounds_parse_time(db_str(row, "apply_close", ""), &r.apply_close) ||
	    rounds_parse_time(db_str(row, "recommend_deadline", ""), &r.recommend_deadline)) {
		log_err("rounds: round %lld has an unreadable date", id);
		rc = DB_ERROR;
	}
	json_object_put(row);
	if (rc == DB_OK)
		rc = db_query(&rows, SQL_LOAD_POINTS, "i", id);
	if (rc == DB_OK) {
		size_t n = json_object_array_length(rows);
		for (size_t i = 0; i < n; i++) {
			json_object *p = json_object_array_get_idx(rows, i);
			long long no = db_int(p, "no", 0);
			if (no >= 1 && no <= ROUND_POINTS)
				r.max_points[no - 1] = (int)db_int(p, "max_points", 0);
		}
		for (size_t i = 0; i < ROUND_POINTS; i++)
			if (!r.max_points[i]) {
				log_err("rounds: round %lld lacks evaluation point %zu", id, i + 1);
				rc = DB_ERROR;
				break;
			}
		json_object_put(rows);
		rows = NULL;
	}
	if (rc == DB_OK)
		rc = db_query(&rows, SQL_LOAD_QUOTAS, "i", id);
	if (rc == DB_OK) {
		size_t n = json_object_array_length(rows);
		if (n > ROUND_CITIES_MAX) {
			log_err("rounds: round %lld has %zu city quotas", id, n);
			rc = DB_ERROR;
		}
		for (size_t i = 0; rc == DB_OK && i < n; i++) {
			json_object *q = json_object_array_get_idx(rows, i);
			snprintf(r.quota[i].code, sizeof r.quota[i].code, "%s", db_str(q, "city_code", ""));
			snprintf(r.quota[i].name, sizeof r.quota[i].name, "%s", db_str(q, "name", ""));
			r.quota[i].quota = (int)db_int(q, "quota", 0);
		}
		r.n_quota = rc == DB_OK ? n : 0;
		json_object_put(rows);
	}
	if (rc == DB_OK)
		*out = r;
	return rc;
}

int rounds_load(long long id, struct round *out)
{
	return load(id, out, false);
}

int rounds_has_applications(long long round_id, bool *has)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_HAS_APPS, "i", round_id);
	*has = rc == DB_OK && db_int(row, "n", 0) > 0;
	json_object_put(row);
	return rc;
}

/* ---- what an update changes, in words ---- */

static void diff_sep(struct buf *b, size_t *n)
{
	buf_adds(b, (*n)++ ? "；" : "");
}

static void diff_time(struct buf *b, size_t *n, const char *label, long long from, long long to)
{
	char a[ROUND_TIME_TEXT], c[ROUND_TIME_TEXT];
	if (from == to)
		return;
	rounds_format_minutes(from, a);
	rounds_format_minutes(to, c);
	diff_sep(b, n);
	buf_addf(b, "%s %s → %s", label, a, c);
}

static void diff_int(struct buf *b, size_t *n, const char *label, int from, int to)
{
	if (from == to)
		return;
	diff_sep(b, n);
	buf_addf(b, "%s %d → %d", label, from, to);
}

static const struct round_quota *find_quota(const struct round *r, const char *code)
{
	for (size_t i = 0; i < r->n_quota; i++)
		if (!strcmp(r->quota[i].code, code))
			return &r->quota[i];
	return NULL;
}

static void quota_text(char *out, size_t size, const struct round_quota *q)
{
	if (q)
		snprintf(out, size, "%d", q->quota);
	else
		snprintf(out, size, "%s", "默认");
}

/* One city's quota, if it changed; q_new/q_old may be NULL (the default). */
static void diff_quota(struct buf *b, size_t *n, const struct round_quota *q_old,
		       const struct round_quota *q_new)
{
	const struct round_quota *q = q_new ? q_new : q_old;
	char a[16], c[16];
	if (q_old && q_new && q_old->quota == q_new->quota)
		return;
	quota_text(a, sizeof a, q_old);
	quota_text(c, sizeof c, q_new);
	diff_sep(b, n);
	buf_addf(b, "%s推荐名额 %s → %s", *q->name ? q->name : q->code, a, c);
}

static bool quotas_equal(const struct round *a, const struct round *b)
{
	if (a->n_quota != b->n_quota)
		return false;
	for (size_t i = 0; i < a->n_quota; i++) {
		const struct round_quota *q = find_quota(b, a->quota[i].code);
		if (!q || q->quota != a->quota[i].quota)
			return false;
	}
	return true;
}

/* Appends "what → what" for each difference; returns how many. */
static size_t describe_changes(struct buf *b, const struct round *old, const struct round *r,
			       bool deadlines_only)
{
	size_t n = 0;
	if (!deadlines_only) {
		diff_int(b, &n, "年度", old->year, r->year);
		if (strcmp(old->title, r->title)) {
			diff_sep(b, &n);
			buf_addf(b, "名称“%s” → “%s”", old->title, r->title);
		}
		diff_time(b, &n, "申报开始", old->apply_open, r->apply_open);
	}
	diff_time(b, &n, "申报截止", old->apply_close, r->apply_close);
	diff_time(b, &n, "市（地）推荐截止", old->recommend_deadline, r->recommend_deadline);
	if (deadlines_only)
		return n;
	diff_int(b, &n, "默认推荐名额", old->default_quota, r->default_quota);
	for (size_t i = 0; i < old->n_quota; i++)
		diff_quota(b, &n, &old->quota[i], find_quota(r, old->quota[i].code));
	for (size_t i = 0; i < r->n_quota; i++)
		if (!find_quota(old, r->quota[i].code))
			diff_quota(b, &n, NULL, &r->quota[i]);
	for (size_t i = 0; i < ROUND_POINTS; i++) {
		char label[40];
		snprintf(label, sizeof label, "评价要点%zu满分", i + 1);
		diff_int(b, &n, label, old->max_points[i], r->max_points[i]);
	}
	if (old->score_step != r->score_step) {
		diff_sep(b, &n);
		buf_addf(b, "评分精度 %s → %s", score_step_label(old->score_step),
			 score_step_label(r->score_step));
	}
	return n;
}

int rounds_update(const struct actor *who, const struct round *r, bool deadlines_only)
{
	struct round old;
	struct buf summary = BUF_INIT;
	char close[ROUND_TIME_TEXT], deadline[ROUND_TIME_TEXT];
	bool has = false;
	size_t changes;
	int rc;

	if ((rc = db_begin()) != DB_OK)
		return rc;
	/* The row lock orders concurrent edits of the round (and the
	 * application module's first insert, if it takes the same lock). */
	rc = load(r->id, &old, true);
	if (rc == DB_OK)
		rc = rounds_has_applications(r->id, &has);
	if (rc == DB_OK && has && !deadlines_only)
		rc = ROUNDS_LOCKED;
	if (rc != DB_OK) {
		db_rollback();
		return rc;
	}
	buf_addf(&summary, "%s%d年度遴选：", deadlines_only ? "调整截止时间，" : "修改", old.year);
	changes = describe_changes(&summary, &old, r, deadlines_only);
	if (!changes) {
		db_rollback();
		buf_release(&summary);
		return ROUNDS_UNCHANGED;
	}
	if (has)
		buf_adds(&summary, "（已有申报）");
	cap_summary(&summary);

	rounds_format_time(r->apply_close, close);
	rounds_format_time(r->recommend_deadline, deadline);
	if (deadlines_only) {
		rc = db_exec(SQL_UPDATE_DEADLINES, "ssi", close, deadline, r->id);
	} else {
		char open[ROUND_TIME_TEXT];
		rounds_format_time(r->apply_open, open);
		rc = db_exec(SQL_UPDATE, "issssisi", (long long)r->year, r->title, open, close, deadline,
			     (long long)r->default_quota, score_step_name(r->score_step), r->id);
		for (size_t i = 0; rc == DB_OK && i < ROUND_POINTS; i++)
			if (old.max_points[i] != r->max_points[i])
				rc = db_exec(SQL_UPDATE_POINT, "iii", (long long)r->max_points[i], r->id,
					     (long long)(i + 1));
		if (rc == DB_OK && !quotas_equal(&old, r)) {
			rc = db_exec(SQL_DELETE_QUOTAS, "i", r->id);
			if (rc == DB_OK)
				rc = insert_quotas(r, r->id);
		}
	}
	rc = finish(rc, who, deadlines_only ? "round.deadline" : "round.update", r->id, &summary);
	buf_release(&summary);
	return rc;
}

/* The label in words comes from rules/scoring.h, not SQL: one spelling. */
static void add_step_label(json_object *row)
{
	enum score_step st;
	if (!row)
		return;
	st = score_step_parse(db_str(row, "score_step", ""));
	json_object_object_add(row, "score_step_label", json_object_new_string(score_step_label(st)));
}

int rounds_list(json_object **rows)
{
	int rc = db_query(rows, SQL_LIST, "");
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		add_step_label(json_object_array_get_idx(*rows, i));
	return rc;
}

int rounds_get(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_GET, "i", id);
	if (rc == DB_OK)
		add_step_label(*row);
	return rc;
}

int rounds_current(json_object **row)
{
	int rc = db_query_row(row, SQL_CURRENT_OPEN, "");
	if (rc == DB_OK && !*row)
		rc = db_query_row(row, SQL_NEWEST, "");
	if (rc == DB_OK)
		add_step_label(*row);
	return rc;
}

int rounds_quotas(long long round_id, json_object **rows)
{
	return db_query(rows, SQL_QUOTAS, "i", round_id);
}

int rounds_city_quota(long long round_id, const char *city_code, long long *quota)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_CITY_QUOTA, "si", city_code, round_id);
	*quota = 0;
	if (rc == DB_OK && !row)
		rc = ROUNDS_NOT_FOUND;
	if (rc == DB_OK)
		*quota = db_int(row, "quota", 0);
	json_object_put(row);
	return rc;
}

int rounds_criteria(long long round_id, json_object **rows)
{
	int rc = db_query(rows, SQL_CRITERIA, "i", round_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *p = json_object_array_get_idx(*rows, i);
		json_object_object_add(p, "group_title",
				       json_object_new_string(round_group_title((int)db_int(p, "group_no", 0))));
	}
	return rc;
}
