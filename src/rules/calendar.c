#include "rules/calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/utf8.h"
#include "core/banned.h"

/* ---------------------------------------------------------------------
 * Lifecycle and small helpers.
 */

void calendar_init(struct calendar *cal)
{
	cal->entries = NULL;
	cal->n = cal->cap = 0;
	cal->years = NULL;
	cal->nyears = cal->years_cap = 0;
}

void calendar_release(struct calendar *cal)
{
	for (size_t i = 0; i < cal->n; i++)
		free(cal->entries[i].name);
	free(cal->entries);
	free(cal->years);
	calendar_init(cal);
}

int calendar_append_year(struct calendar *cal, int year)
{
	if (year < CIVIL_YEAR_MIN || year > CIVIL_YEAR_MAX)
		return -1;
	if (cal->nyears && cal->years[cal->nyears - 1] >= year)
		return cal->years[cal->nyears - 1] == year ? 0 : -1;
	if (cal->nyears == cal->years_cap) {
		cal->years_cap = cal->years_cap ? cal->years_cap * 2 : 16;
		cal->years = xrealloc(cal->years, cal->years_cap * sizeof *cal->years);
	}
	cal->years[cal->nyears++] = year;
	return 0;
}

int calendar_append(struct calendar *cal, int32_t day, enum cal_kind kind, const char *name,
		    size_t name_len)
{
	if (!civil_day_in_range(day) || (kind != CAL_HOLIDAY && kind != CAL_WORKDAY))
		return -1;
	if (cal->n && cal->entries[cal->n - 1].day >= day)
		return -1;
	if (cal->n == cal->cap) {
		cal->cap = cal->cap ? cal->cap * 2 : 64;
		cal->entries = xrealloc(cal->entries, cal->cap * sizeof *cal->entries);
	}
	cal->entries[cal->n].day = day;
	cal->entries[cal->n].kind = kind;
	cal->entries[cal->n].name = xstrndup(name, name_len);
	cal->n++;
	return 0;
}

/* Appends at most max_chars characters of a field to err, with control
 * characters shown as '?', for echoing bad input back.  s must be valid
 * UTF-8 (callers check the line first). */
static void add_echo(struct buf *err, const char *s, size_t len, size_t max_chars)
{
	size_t chars = 0, i = 0;
	buf_adds(err, "“");
	while (i < len && chars < max_chars) {
		size_t n = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xF0)
			n = 4;
		else if (c >= 0xE0)
			n = 3;
		else if (c >= 0xC0)
			n = 2;
		if (n > len - i)
			n = len - i;
		if (c < 0x20 || c == 0x7F)
			buf_addc(err, '?');
		else
			buf_add(err, s + i, n);
		i += n;
		chars++;
	}
	if (i < len)
		buf_adds(err, "…");
	buf_adds(err, "”");
}

/* ---------------------------------------------------------------------
 * Kinds and entries.
 */

int calendar_kind_parse(const char *s, size_t len, enum cal_kind *out)
{
	if (len == 7 && memcmp(s, "holiday", 7) == 0) {
		*out = CAL_HOLIDAY;
		return 0;
	}
	if (len == 7 && memcmp(s, "workday", 7) == 0) {
		*out = CAL_WORKDAY;
		return 0;
	}
	return -1;
}

const char *calendar_kind_str(enum cal_kind kind)
{
	switch (kind) {
	case CAL_HOLIDAY:
		return "holiday";
	case CAL_WORKDAY:
		return "workday";
	}
	abort();
}

const char *calendar_kind_label(enum cal_kind kind)
{
	switch (kind) {
	case CAL_HOLIDAY:
		return "放假";
	case CAL_WORKDAY:
		return "调休上班";
	}
	abort();
}

int calendar_check_entry(int32_t day, enum cal_kind kind, const char *name, size_t name_len,
			 struct buf *err)
{
	char date[CIVIL_DATE_LEN + 1];
	size_t chars;

	if (!civil_day_in_range(day)) {
		buf_adds(err, "日期超出 0001-01-01 至 9999-12-31 的范围");
		return -1;
	}
	if (kind != CAL_HOLIDAY && kind != CAL_WORKDAY) {
		buf_adds(err, "类型应为 holiday（放假）或 workday（调休上班）");
		return -1;
	}
	if (!name || name_len == 0) {
		buf_adds(err, "名称不能为空");
		return -1;
	}
	if (!utf8_valid(name, name_len)) {
		buf_adds(err, "名称不是有效的 UTF-8 文本");
		return -1;
	}
	if (utf8_has_controls(name, name_len, false) || memchr(name, '\t', name_len)) {
		buf_adds(err, "名称不能包含控制字符");
		return -1;
	}
	if (memchr(name, ',', name_len) || memchr(name, '"', name_len)) {
		buf_adds(err, "名称不能包含英文逗号或双引号");
		return -1;
	}
	chars = utf8_count(name, name_len);
	if (chars > CALENDAR_NAME_MAX_CHARS) {
		buf_addf(err, "名称过长（%zu 个字符，最多 %d 个）", chars, CALENDAR_NAME_MAX_CHARS);
		return -1;
	}
	if (kind == CAL_WORKDAY && civil_weekday(day) <= 5) {
		civil_format(day, date);
		buf_addf(err,
			 "%s 是星期%s，本来就是工作日；workday（调休上班）只用于周六或周日，"
			 "请检查日期",
			 date, civil_weekday_zh(day));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * CSV.
 */

/* A row between parsing and sorting: the line number is kept to name both
 * lines of a duplicate. */
struct pending {
	int32_t day;
	enum cal_kind kind;
	const char *name; /* points into the text */
	size_t name_len;
	long line;
};

static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Checks one data line (without its line end).  0, or -1 with the message
 * (with line number) in err. */
static int parse_row(const char *s, size_t len, long line, struct pending *out, struct buf *err)
{
	const char *c1, *c2;
	size_t commas = 0, mark = err->len;

	/* The prefix goes first so every message below names the line; a good
	 * row takes it back. */
	buf_addf(err, "第 %ld 行：", line);
	if (!utf8_valid(s, len)) {
		buf_adds(err, "不是有效的 UTF-8 文本（含 NUL 字节或其他编码；请把文件存为 UTF-8）");
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		commas += s[i] == ',';
	if (commas != 2) {
		buf_addf(err, "应有 3 列（date,type,name），实际 %zu 列", commas + 1);
		return -1;
	}
	c1 = memchr(s, ',', len);
	c2 = memchr(c1 + 1, ',', len - (size_t)(c1 + 1 - s));
	if (civil_parse_n(s, (size_t)(c1 - s), &out->day) != 0) {
		buf_adds(err, "日期格式错误，应为 YYYY-MM-DD 形式的有效日期：");
		add_echo(err, s, (size_t)(c1 - s), 20);
		return -1;
	}
	if (calendar_kind_parse(c1 + 1, (size_t)(c2 - c1 - 1), &out->kind) != 0) {
		buf_adds(err, "类型应为 holiday（放假）或 workday（调休上班）：");
		add_echo(err, c1 + 1, (size_t)(c2 - c1 - 1), 20);
		return -1;
	}
	out->name = c2 + 1;
	out->name_len = len - (size_t)(c2 + 1 - s);
	out->line = line;
	if (calendar_check_entry(out->day, out->kind, out->name, out->name_len, err) != 0)
		return -1;
	buf_truncate(err, mark);
	return 0;
}

int calendar_parse_csv(struct calendar *cal, const char *text, size_t len, struct buf *err)
{
	static const char header[] = "date,type,name";
	struct pending *rows = NULL;
	size_t nrows = 0, cap = 0, pos = 0;
	long line = 0;
	int rc = -1;

	calendar_release(cal);
	if (len > CALENDAR_CSV_MAX_BYTES) {
		buf_addf(err, "文件过大（超过 %d 字节）", CALENDAR_CSV_MAX_BYTES);
		return -1;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3; /* spreadsheet programs write a BOM */
	if (pos == len) {
		buf_adds(err, "文件为空：第 1 行应为表头 date,type,name");
		return -1;
	}
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - s) : len - pos;
		pos += l + (nl ? 1 : 0);
		line++;
		if (l && s[l - 1] == '\r')
			l--;
		if (line == 1) {
			if (l != sizeof header - 1 || memcmp(s, header, l) != 0) {
				buf_adds(err, "第 1 行：缺少表头，第 1 行应为 date,type,name");
				goto out;
			}
			continue;
		}
		if (l == 0)
			continue;
		if (nrows == cap) {
			cap = cap ? cap * 2 : 64;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		if (parse_row(s, l, line, &rows[nrows], err) != 0)
			goto out;
		nrows++;
	}
	if (nrows == 0) {
		buf_adds(err, "文件只有表头，没有日期行");
		goto out;
	}
	qsort(rows, nrows, sizeof *rows, pending_cmp);
	for (size_t i = 1; i < nrows; i++) {
		if (rows[i].day == rows[i - 1].day) {
			char date[CIVIL_DATE_LEN + 1];
			civil_format(rows[i].day, date);
			buf_addf(err, "第 %ld 行：日期 %s 重复（第 %ld 行已有该日期）", rows[i].line,
				 date, rows[i - 1].line);
			goto out;
		}
	}
	/* Sorted and distinct now, so neither can fail. */
	for (size_t i = 0; i < nrows; i++) {
		if (calendar_append(cal, rows[i].day, rows[i].kind, rows[i].name, rows[i].name_len) ||
		    calendar_append_year(cal, civil_year(rows[i].day)))
			abort();
	}
	rc = 0;
out:
	free(rows);
	return rc;
}

int calendar_load_csv(struct calendar *cal, const char *path, struct buf *err)
{
	struct buf text = BUF_INIT;
	char chunk[8192];
	size_t got;
	FILE *f;
	int rc;

	calendar_release(cal);
	f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		if (e == ENOENT)
			buf_adds(err, "文件不存在");
		else if (e == EACCES)
			buf_adds(err, "没有读取该文件的权限");
		else
			buf_addf(err, "无法打开文件：%s", strerror(e));
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&text, chunk, got);
		if (text.len > CALENDAR_CSV_MAX_BYTES)
			break; /* calendar_parse_csv reports it */
	}
	if (ferror(f)) {
		buf_addf(err, "读取文件出错：%s", strerror(errno));
		fclose(f);
		buf_release(&text);
		return -1;
	}
	fclose(f);
	rc = calendar_parse_csv(cal, text.data, text.len, err);
	buf_release(&text);
	return rc;
}

/* ---------------------------------------------------------------------
 * Questions.
 */

bool calendar_year_loaded(const struct calendar *cal, int year)
{
	size_t lo = 0, hi = cal->nyears;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->years[mid] == year)
			return true;
		if (cal->years[mid] < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Index of the first entry with day >= d. */
static size_t lower_bound(const struct calendar *cal, int32_t d)
{
	size_t lo = 0, hi = cal->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->entries[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct cal_entry *calendar_find(const struct calendar *cal, int32_t day)
{
	size_t i = lower_bound(cal, day);
	return i < cal->n && cal->entries[i].day == day ? &cal->entries[i] : NULL;
}

size_t calendar_year_entries(const struct calendar *cal, int year, size_t *first)
{
	size_t a, b;
	if (year < CIVIL_YEAR_MIN || year > CIVIL_YEAR_MAX) {
		*first = 0;
		return 0;
	}
	a = lower_bound(cal, civil_from_ymd(year, 1, 1));
	b = lower_bound(cal, civil_from_ymd(year, 12, 31) + 1);
	*first = a;
	return b - a;
}

int calendar_is_working_day(const struct calendar *cal, int32_t day, bool *working,
			    int *missing_year)
{
	const struct cal_entry *e;
	int year;
	if (!civil_day_in_range(day))
		return CAL_BAD_ARG;
	year = civil_year(day);
	if (!calendar_year_loaded(cal, year)) {
		if (missing_year)
			*missing_year = year;
		return CAL_NO_YEAR;
	}
	e = calendar_find(cal, day);
	if (e)
		*working = e->kind == CAL_WORKDAY;
	else
		*working = civil_weekday(day) <= 5;
	return CAL_OK;
}

int calendar_add_working_days(const struct calendar *cal, int32_t from, int n, int32_t *out,
			      int *missing_year)
{
	int step = n < 0 ? -1 : 1;
	/* As a long long so that n == INT_MIN has a magnitude. */
	long long left = n < 0 ? -(long long)n : n;
	int32_t d = from;

	if (!civil_day_in_range(from))
		return CAL_BAD_ARG;
	/* Terminates: every year walked through must be loaded, and a loaded
	 * year has working days unless its every weekday is a holiday, in which
	 * case the walk goes on to the next year, of which there are finitely
	 * many loaded. */
	while (left > 0) {
		bool working;
		int rc;
		if ((step > 0 && d == CIVIL_DAY_MAX) || (step < 0 && d == CIVIL_DAY_MIN)) {
			/* Past 9999 or before 0001: a year nobody can load. */
			if (missing_year)
				*missing_year = step > 0 ? CIVIL_YEAR_MAX + 1 : CIVIL_YEAR_MIN - 1;
			return CAL_NO_YEAR;
		}
		d += step;
		rc = calendar_is_working_day(cal, d, &working, missing_year);
		if (rc != CAL_OK)
			return rc;
		if (working)
			left--;
	}
	*out = d;
	return CAL_OK;
}

int calendar_count_working_days(const struct calendar *cal, int32_t from, int32_t to, int *count,
				int *missing_year)
{
	int n = 0;
	if (!civil_day_in_range(from) || !civil_day_in_range(to) || from > to)
		return CAL_BAD_ARG;
	/* Refuse up front, even when the unknown year is in the middle. */
	for (int y = civil_year(from); y <= civil_year(to); y++) {
		if (!calendar_year_loaded(cal, y)) {
			if (missing_year)
				*missing_year = y;
			return CAL_NO_YEAR;
		}
	}
	for (int32_t d = from;; d++) {
		bool working;
		int rc = calendar_is_working_day(cal, d, &working, missing_year);
		if (rc != CAL_OK)
			return rc;
		n += working;
		if (d == to)
			break;
	}
	*count = n;
	return CAL_OK;
}

int calendar_publicity_end(const struct calendar *cal, int32_t start, int n, int32_t *end,
			   int *missing_year)
{
	bool working;
	int rc;
	if (n < 1 || !civil_day_in_range(start))
		return CAL_BAD_ARG;
	rc = calendar_is_working_day(cal, start, &working, missing_year);
	if (rc != CAL_OK)
		return rc;
	if (working && n == 1) {
		*end = start;
		return CAL_OK;
	}
	return calendar_add_working_days(cal, start, working ? n - 1 : n, end, missing_year);
}

void calendar_describe_missing_year(struct buf *out, int year)
{
	buf_addf(out,
		 "%d 年的节假日安排尚未录入完整，无法按工作日计算（系统不会按普通周推算）。"
		 "国务院办公厅每年秋季公布下一年的安排，请在日历管理中录入该年全部日期后"
		 "标记为完整，或导入该年日历。",
		 year);
}
