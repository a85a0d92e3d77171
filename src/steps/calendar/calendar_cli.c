#include "steps/calendar/calendar_cli.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/buf.h"
#include "rules/calendar.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "steps/calendar/calendar_db.h"
#include "core/banned.h"

static const char USAGE_WORKDAYS[] =
	"用法：\n"
	"  biaogan-admin workdays end START N [--calendar FILE.csv]\n"
	"      从 START 起算的第 N 个工作日（START 是工作日则算第 1 天，否则从下一个工作日起算）\n"
	"  biaogan-admin workdays count FROM TO [--calendar FILE.csv]\n"
	"      FROM 至 TO（含两端）之间的工作日数\n"
	"日期格式为 YYYY-MM-DD；不加 --calendar 时从数据库读取日历。\n"
	"退出码：0 成功；1 数据库或系统错误；2 参数错误；3 所需年份的节假日安排尚未录入。\n";

static const char USAGE_CALENDAR[] =
	"用法：\n"
	"  biaogan-admin calendar import FILE [--replace]\n"
	"      校验 FILE（表头 date,type,name）后，在一个事务中整体替换文件所含年份的日历，\n"
	"      并将这些年份标记为完整（导入即声明该年安排已全部录入）；\n"
	"      若会删除某年已有而文件中没有的日期，须加 --replace 确认\n"
	"  biaogan-admin calendar export YEAR     以 CSV 输出该年的日历\n"
	"  biaogan-admin calendar years           列出有日期的年份及其状态（只有“完整”的年份用于计算工作日）\n"
	"退出码：0 成功；1 数据库或系统错误；2 参数或文件错误（未做任何修改）；3 该年没有日历。\n";

/* The command line after the command word: positional words and options. */
struct args {
	const char *pos[4];
	int npos;
	const char *calendar_file; /* --calendar */
	bool replace;              /* --replace */
	bool help;
};

/* Splits argv[1..].  allow_calendar / allow_replace say which options the
 * command has.  0, or -1 after a message on stderr. */
static int split_args(int argc, char **argv, bool allow_calendar, bool allow_replace,
		      struct args *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			a->help = true;
		} else if (allow_calendar && strcmp(s, "--calendar") == 0) {
			if (i + 1 >= argc) {
				fputs("错误：--calendar 后面缺少 CSV 文件名\n", stderr);
				return -1;
			}
			if (a->calendar_file) {
				fputs("错误：--calendar 只能给一次\n", stderr);
				return -1;
			}
			a->calendar_file = argv[++i];
		} else if (allow_calendar && strncmp(s, "--calendar=", 11) == 0) {
			if (a->calendar_file || !s[11]) {
				fputs("错误：--calendar 只能给一次，且需要文件名\n", stderr);
				return -1;
			}
			a->calendar_file = s + 11;
		} else if (allow_replace && strcmp(s, "--replace") == 0) {
			a->replace = true;
		} else if (s[0] == '-' && s[1] == '-') {
			fprintf(stderr, "错误：未知选项 %s\n", s);
			return -1;
		} else {
			if (a->npos == (int)(sizeof a->pos / sizeof a->pos[0])) {
				fputs("错误：参数过多\n", stderr);
				return -1;
			}
			a->pos[a->npos++] = s;
		}
	}
	return 0;
}

static int parse_date_arg(const char *what, const char *s, int32_t *out)
{
	if (civil_parse(s, out) != 0) {
		fprintf(stderr, "错误：%s“%s”不是有效日期，应为 YYYY-MM-DD（例如 2026-09-28）\n",
			what, s);
		return -1;
	}
	return 0;
}

/* A decimal integer made only of digits, in [min, max]. */
static int parse_uint_arg(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;
	if (!s[0] || strspn(s, "0123456789") != strlen(s))
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < min || v > max)
		return -1; /* an overflow gives LLONG_MAX, which is > max */
	*out = v;
	return 0;
}

static int load_calendar(const struct args *a, struct calendar *cal)
{
	struct buf err = BUF_INIT;
	int rc = CALENDAR_CLI_OK;
	if (a->calendar_file) {
		if (calendar_load_csv(cal, a->calendar_file, &err) != 0) {
			fprintf(stderr, "错误：日历文件 %s 无效：%s\n", a->calendar_file, err.data);
			rc = CALENDAR_CLI_USAGE;
		}
	} else if (db_ensure() != DB_OK) {
		fputs("错误：无法连接数据库（可用 --calendar FILE.csv 改从文件读取日历）\n", stderr);
		rc = CALENDAR_CLI_FAIL;
	} else if (calendar_load_db(cal, &err) != DB_OK) {
		fprintf(stderr, "错误：读取数据库中的日历失败：%s\n", err.data);
		rc = CALENDAR_CLI_FAIL;
	}
	buf_release(&err);
	return rc;
}

/* Explains a non-OK cal_status and gives the exit status for it. */
static int explain(int status, int missing_year)
{
	struct buf msg = BUF_INIT;
	switch (status) {
	case CAL_NO_YEAR:
		calendar_describe_missing_year(&msg, missing_year);
		fprintf(stderr, "错误：%s\n", msg.data);
		buf_release(&msg);
		return CALENDAR_CLI_NO_YEAR;
	case CAL_BAD_ARG:
		fputs("错误：参数超出可计算的范围\n", stderr);
		return CALENDAR_CLI_USAGE;
	default:
		abort();
	}
}

static int finish_output(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("错误：写标准输出失败\n", stderr);
		return CALENDAR_CLI_FAIL;
	}
	return rc;
}

static int workdays_end(const struct args *a)
{
	struct calendar cal = CALENDAR_INIT;
	char date[CIVIL_DATE_LEN + 1];
	int32_t start, end;
	long long n;
	int rc, status, missing = 0;

	if (a->npos != 3) {
		fputs("错误：workdays end 需要两个参数 START N\n", stderr);
		fputs(USAGE_WORKDAYS, stderr);
		return CALENDAR_CLI_USAGE;
	}
	if (parse_date_arg("起始日期", a->pos[1], &start) != 0)
		return CALENDAR_CLI_USAGE;
	if (parse_uint_arg(a->pos[2], 1, INT_MAX, &n) != 0) {
		fprintf(stderr, "错误：工作日数 N“%s”应为不小于 1 的整数\n", a->pos[2]);
		return CALENDAR_CLI_USAGE;
	}
	rc = load_calendar(a, &cal);
	if (rc != CALENDAR_CLI_OK)
		return rc;
	status = calendar_publicity_end(&cal, start, (int)n, &end, &missing);
	calendar_release(&cal);
	if (status != CAL_OK)
		return explain(status, missing);
	civil_format(end, date);
	printf("%s\n", date);
	return finish_output(CALENDAR_CLI_OK);
}

static int workdays_count(const struct args *a)
{
	struct calendar cal = CALENDAR_INIT;
	int32_t from, to;
	int rc, status, count = 0, missing = 0;

	if (a->npos != 3) {
		fputs("错误：workdays count 需要两个参数 FROM TO\n", stderr);
		fputs(USAGE_WORKDAYS, stderr);
		return CALENDAR_CLI_USAGE;
	}
	if (parse_date_arg("起始日期", a->pos[1], &from) != 0 ||
	    parse_date_arg("结束日期", a->pos[2], &to) != 0)
		return CALENDAR_CLI_USAGE;
	if (from > to) {
		fprintf(stderr, "错误：起始日期 %s 晚于结束日期 %s\n", a->pos[1], a->pos[2]);
		return CALENDAR_CLI_USAGE;
	}
	rc = load_calendar(a, &cal);
	if (rc != CALENDAR_CLI_OK)
		return rc;
	status = calendar_count_working_days(&cal, from, to, &count, &missing);
	calendar_release(&cal);
	if (status != CAL_OK)
		return explain(status, missing);
	printf("%d\n", count);
	return finish_output(CALENDAR_CLI_OK);
}

int calendar_cli_workdays(int argc, char **argv)
{
	struct args a;
	if (split_args(argc, argv, true, false, &a) != 0) {
		fputs(USAGE_WORKDAYS, stderr);
		return CALENDAR_CLI_USAGE;
	}
	if (a.help) {
		fputs(USAGE_WORKDAYS, stdout);
		return finish_output(CALENDAR_CLI_OK);
	}
	if (a.npos >= 1 && strcmp(a.pos[0], "end") == 0)
		return workdays_end(&a);
	if (a.npos >= 1 && strcmp(a.pos[0], "count") == 0)
		return workdays_count(&a);
	if (a.npos >= 1)
		fprintf(stderr, "错误：未知的子命令 %s\n", a.pos[0]);
	fputs(USAGE_WORKDAYS, stderr);
	return CALENDAR_CLI_USAGE;
}

/* ---- calendar ---- */

static const struct actor OPERATOR = { 0, NULL, "operator", NULL };

static int calendar_import(const struct args *a)
{
	struct calendar cal = CALENDAR_INIT;
	struct cal_import_year *plan = NULL;
	struct buf err = BUF_INIT, source = BUF_INIT;
	const char *path, *base;
	bool drops = false;
	int rc = CALENDAR_CLI_FAIL;

	if (a->npos != 2) {
		fputs("错误：calendar import 需要一个参数 FILE\n", stderr);
		fputs(USAGE_CALENDAR, stderr);
		return CALENDAR_CLI_USAGE;
	}
	path = a->pos[1];
	/* The whole file is checked before the database is touched. */
	if (calendar_load_csv(&cal, path, &err) != 0) {
		fprintf(stderr, "错误：文件 %s 无效，未做任何修改：%s\n", path, err.data);
		rc = CALENDAR_CLI_USAGE;
		goto out;
	}
	if (db_ensure() != DB_OK) {
		fputs("错误：无法连接数据库，未做任何修改\n", stderr);
		goto out;
	}
	if (calendar_db_import_plan(&cal, &plan) != DB_OK) {
		fputs("错误：读取数据库中的日历失败，未做任何修改\n", stderr);
		goto out;
	}
	for (size_t i = 0; i < cal.nyears; i++) {
		if (plan[i].dropped > 0) {
			drops = true;
			fprintf(stderr,
				"%d 年：数据库中已有 %lld 行，文件中有 %zu 行；导入将删除文件中没有的 "
				"%lld 个日期。\n",
				plan[i].year, plan[i].old_rows, plan[i].file_rows, plan[i].dropped);
		}
	}
	if (drops && !a->replace) {
		fputs("未做任何修改。导入会整年替换文件中出现的每个年份；如确认要删除上述日期，"
		      "请加 --replace 重新运行（若是文件中的年份写错了，请先改正文件）。\n",
		      stderr);
		rc = CALENDAR_CLI_USAGE;
		goto out;
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	buf_addf(&source, "biaogan-admin calendar import %s", base);
	if (calendar_db_import(&OPERATOR, &cal, source.data, &err) != DB_OK) {
		fprintf(stderr, "错误：导入失败，未做任何修改：%s\n", err.data);
		goto out;
	}
	for (size_t i = 0; i < cal.nyears; i++)
		printf("已导入 %d 年：%zu 行（原有 %lld 行），已标记为完整\n", plan[i].year,
		       plan[i].file_rows, plan[i].old_rows);
	rc = finish_output(CALENDAR_CLI_OK);
out:
	free(plan);
	buf_release(&err);
	buf_release(&source);
	calendar_release(&cal);
	return rc;
}

static int calendar_export(const struct args *a)
{
	json_object *rows = NULL;
	long long year;
	int status;

	if (a->npos != 2) {
		fputs("错误：calendar export 需要一个参数 YEAR\n", stderr);
		fputs(USAGE_CALENDAR, stderr);
		return CALENDAR_CLI_USAGE;
	}
	if (strlen(a->pos[1]) != 4 || parse_uint_arg(a->pos[1], CIVIL_YEAR_MIN, CIVIL_YEAR_MAX, &year) != 0) {
		fprintf(stderr, "错误：年份“%s”应为四位数字，例如 2027\n", a->pos[1]);
		return CALENDAR_CLI_USAGE;
	}
	if (db_ensure() != DB_OK) {
		fputs("错误：无法连接数据库\n", stderr);
		return CALENDAR_CLI_FAIL;
	}
	status = calendar_db_year_json((int)year, &rows);
	if (status != DB_OK) {
		fputs("错误：读取数据库中的日历失败\n", stderr);
		return CALENDAR_CLI_FAIL;
	}
	if (json_object_array_length(rows) == 0) {
		fprintf(stderr, "错误：数据库中没有 %lld 年的日历\n", year);
		json_object_put(rows);
		return CALENDAR_CLI_NO_YEAR;
	}
	fputs("date,type,name\n", stdout);
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		/* Names never hold commas or quotes (calendar_check_entry), so no quoting. */
		printf("%s,%s,%s\n", db_str(row, "date", ""), db_str(row, "kind", ""),
		       db_str(row, "name", ""));
	}
	json_object_put(rows);
	return finish_output(CALENDAR_CLI_OK);
}

static int calendar_years(const struct args *a)
{
	json_object *rows = NULL;

	if (a->npos != 1) {
		fputs("错误：calendar years 不需要参数\n", stderr);
		return CALENDAR_CLI_USAGE;
	}
	if (db_ensure() != DB_OK) {
		fputs("错误：无法连接数据库\n", stderr);
		return CALENDAR_CLI_FAIL;
	}
	if (calendar_db_years_json(&rows) != DB_OK) {
		fputs("错误：读取数据库中的日历失败\n", stderr);
		return CALENDAR_CLI_FAIL;
	}
	/* One year per line: year, rows, 完整 or 未完成, loaded at, source
	 * (tab-separated). */
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		printf("%lld\t%lld\t%s\t%s\t%s\n", db_int(row, "year", 0), db_int(row, "n_rows", 0),
		       db_int(row, "complete", 0) ? "完整" : "未完成", db_str(row, "loaded_at", ""),
		       db_str(row, "source", ""));
	}
	if (json_object_array_length(rows) == 0)
		fputs("数据库中还没有任何年份的日历\n", stderr);
	json_object_put(rows);
	return finish_output(CALENDAR_CLI_OK);
}

int calendar_cli_calendar(int argc, char **argv)
{
	struct args a;
	bool importing = argc > 1 && strcmp(argv[1], "import") == 0;
	if (split_args(argc, argv, false, importing, &a) != 0) {
		fputs(USAGE_CALENDAR, stderr);
		return CALENDAR_CLI_USAGE;
	}
	if (a.help) {
		fputs(USAGE_CALENDAR, stdout);
		return finish_output(CALENDAR_CLI_OK);
	}
	if (a.npos >= 1 && strcmp(a.pos[0], "import") == 0)
		return calendar_import(&a);
	if (a.npos >= 1 && strcmp(a.pos[0], "export") == 0)
		return calendar_export(&a);
	if (a.npos >= 1 && strcmp(a.pos[0], "years") == 0)
		return calendar_years(&a);
	if (a.npos >= 1)
		fprintf(stderr, "错误：未知的子命令 %s\n", a.pos[0]);
	fputs(USAGE_CALENDAR, stderr);
	return CALENDAR_CLI_USAGE;
}
