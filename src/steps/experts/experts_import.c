#include "steps/experts/experts_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/csv.h"
#include "core/db.h"
#include "core/sha256.h"
#include "core/banned.h"

#define FMT_MIN "'%Y-%m-%d %H:%i'"
#define NCOLS (EF_COUNT + 1) /* the expert's fields, then the relations */
#define COL_RELATIONS EF_COUNT

/* ---- the columns ---- */

static const struct {
	const char *rule;
	const char *example;
} columns[NCOLS] = {
	[EF_NAME] = { "必填，64字以内", "王建国" },
	[EF_ORG_NAME] = { "必填，单位全称，128字以内", "哈尔滨工业大学" },
	[EF_ORG_USCC] = { "单位有统一社会信用代码的填写（18位）；抽取时同一代码为同一单位，没有代码的按单位名称判断",
			  "12230000MB0A1234XN" },
	[EF_ORG_TYPE] = { "必填：高等院校、协会学会、重点企业或其他", "高等院校" },
	[EF_TITLE] = { "必填，如教授、研究员、正高级工程师", "教授" },
	[EF_TITLE_LEVEL] = { "必填：正高级或副高级（中级及以下不符合附件一的条件）", "正高级" },
	[EF_YEARS] = { "必填，整数，不少于3（附件一：质量管理教学或实践3年以上）", "15" },
	[EF_SPECIALTIES] = { "必填，500字以内，可换行", "质量管理体系；卓越绩效模式；六西格玛" },
	[EF_SOURCE] = { "必填：公开征集或单位推荐", "单位推荐" },
	[EF_RECOMMENDED_BY] = { "来源为“单位推荐”时必填，公开征集的留空", "黑龙江省质量协会" },
	[EF_MOBILE] = { "必填，11位手机号码（请将该列设为文本格式）；导入时按手机号码识别已有专家并更新其信息",
			"13800000000" },
	[EF_EMAIL] = { "必填", "wangjianguo@example.com" },
	[EF_DECL_INTEGRITY] = { "必填：是（专家本人声明；附件一第（一）项）", "是" },
	[EF_DECL_HEALTH] = { "必填：是（专家本人声明；附件一第（三）项）", "是" },
	[COL_RELATIONS] = { "选填：专家申报的须回避企业，每项写作“统一社会信用代码/关系/企业名称”，关系为任职、"
			    "咨询、持股或亲属，多项用分号分隔；导入只增加，不删除已申报的关系",
			    "91230100MA1B2C3D49/咨询/哈尔滨示范企业有限公司" },
};

static const char *column_header(int c)
{
	return c == COL_RELATIONS ? EXPERT_IMPORT_RELATIONS_HEADER : expert_fields[c].label;
}

json_object *experts_import_columns(void)
{
	json_object *a = json_object_new_array();
	for (int c = 0; c < NCOLS; c++) {
		json_object *o = json_object_new_object();
		char letter[8];
		csv_column_name((size_t)c, letter);
		json_object_object_add(o, "letter", json_object_new_string(letter));
		json_object_object_add(o, "header", json_object_new_string(column_header(c)));
		json_object_object_add(o, "rule", json_object_new_string(columns[c].rule));
		json_object_object_add(o, "example", json_object_new_string(columns[c].example));
		json_object_array_add(a, o);
	}
	return a;
}

void experts_import_template(struct buf *out)
{
	struct csv w;
	csv_init(&w, out);
	for (int c = 0; c < NCOLS; c++)
		csv_field(&w, column_header(c));
	csv_end_row(&w);
	for (int c = 0; c < NCOLS; c++)
		csv_field(&w, columns[c].example);
	csv_end_row(&w);
}

/* ---- checking a file ---- */

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msgf(const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	return buf_detach(&m, NULL);
}

/* A problem at (line, spreadsheet column col or -1, header label); takes
 * message. */
static void add_error(struct expert_import *imp, size_t line, int col, const char *label,
		      char *message)
{
	struct expert_import_error *e;
	imp->nerr_total++;
	if (imp->nerr == EXPERT_IMPORT_MAX_ERRORS) {
		free(message);
		return;
	}
	imp->err = xrealloc(imp->err, (imp->nerr + 1) * sizeof *imp->err);
	e = &imp->err[imp->nerr];
	e->order = imp->nerr++;
	e->line = line;
	e->column[0] = '\0';
	if (col >= 0)
		csv_column_name((size_t)col, e->column);
	e->label = label ? label : "";
	e->message = message;
}

static void file_error(struct expert_import *imp, char *message)
{
	free(imp->file_error);
	imp->file_error = message;
}

/* Blanks around a header: the user does not see them. */
static char *trim(const char *s)
{
	size_t a = 0, b = strlen(s);
	while (a < b && strchr(" \t\n", s[a]))
		a++;
	while (b > a && strchr(" \t\n", s[b - 1]))
		b--;
	return xstrndup(s + a, b - a);
}

/* The header row: col_of[c] the file's column of column c (-1 absent);
 * header_of[j] the column c of the file's column j (-1 none). */
static bool map_header(struct expert_import *imp, const struct csv_record *h, int col_of[NCOLS],
		       int *header_of)
{
	bool ok = true;
	for (int c = 0; c < NCOLS; c++)
		col_of[c] = -1;
	for (size_t j = 0; j < h->n; j++) {
		char *name = trim(h->field[j]);
		int c = expert_field_by_label(name);
		header_of[j] = -1;
		if (c < 0 && !strcmp(name, EXPERT_IMPORT_RELATIONS_HEADER))
			c = COL_RELATIONS;
		if (!*name) {
			/* An empty header: its cells must be empty too (checked per line). */
		} else if (c < 0) {
			add_error(imp, h->line, (int)j, "",
				  msgf("表头“%s”不是导入模板中的列名（列名须与模板一致，见本页的列说明）。", name));
			ok = false;
		} else if (col_of[c] >= 0) {
			char first[8];
			csv_column_name((size_t)col_of[c], first);
			add_error(imp, h->line, (int)j, column_header(c),
				  msgf("表头“%s”重复（%s列已有）。", name, first));
			ok = false;
		} else {
			col_of[c] = (int)j;
			header_of[j] = c;
		}
		free(name);
	}
	for (int c = 0; c < COL_RELATIONS; c++)
		if (col_of[c] < 0) {
			add_error(imp, h->line, -1, column_header(c),
				  msgf("表头缺少“%s”列（除“回避企业”外，模板的每一列都须有）。", column_header(c)));
			ok = false;
		}
	return ok;
}

/* One entry of the relations cell: "code/kind/name", the name optional. */
static int relation_entry(const char *entry, struct expert_relation *r, struct buf *why)
{
	const char *part[3] = { "", "", "" };
	char *copy = xstrdup(entry), *p = copy;
	const char *in[RF_COUNT];
	char *err[RF_COUNT];
	int np = 0, bad;
	part[np++] = p;
	while (*p && np < 3) {
		if (*p == '/') {
			*p++ = '\0';
			part[np++] = p;
		} else if (!strncmp(p, "／", 3)) {
			*p = '\0';
			p += 3;
			part[np++] = p;
		} else {
			p++;
		}
	}
	if (np < 2) {
		buf_addf(why, "“%s”应写作“统一社会信用代码/关系/企业名称”", entry);
		free(copy);
		memset(r, 0, sizeof *r);
		return -1;
	}
	in[RF_USCC] = part[0];
	in[RF_KIND] = part[1];
	in[RF_NAME] = part[2];
	in[RF_NOTE] = "";
	bad = expert_relation_validate(in, r, err);
	for (int i = 0; i < RF_COUNT; i++)
		if (err[i])
			buf_adds(why, err[i]);
	expert_errors_release(err, RF_COUNT);
	free(copy);
	return bad ? -1 : 0;
}

/* The relations cell of a line: entries separated by ; ； or line breaks. */
static void relations_cell(struct expert_import *imp, size_t line, int col, const char *cell,
			   struct expert_import_line *out, bool *bad)
{
	char *copy = xstrdup(cell), *p = copy;
	size_t k = 0;
	while (*p) {
		char *end = p, *entry;
		size_t skip = 0;
		while (*end && *end != ';' && *end != '\n' && strncmp(end, "；", 3))
			end++;
		if (*end)
			skip = *end == ';' || *end == '\n' ? 1 : 3;
		entry = xstrndup(p, (size_t)(end - p));
		p = end + skip;
		{
			char *t = trim(entry);
			struct expert_relation r;
			struct buf why = BUF_INIT;
			free(entry);
			if (!*t) {
				free(t);
				continue;
			}
			k++;
			if (relation_entry(t, &r, &why)) {
				add_error(imp, line, col, EXPERT_IMPORT_RELATIONS_HEADER,
					  msgf("第%zu项：%s", k, why.data));
				*bad = true;
				expert_relation_release(&r);
			} else if (out->nrel == EXPERT_IMPORT_MAX_RELATIONS) {
				add_error(imp, line, col, EXPERT_IMPORT_RELATIONS_HEADER,
					  msgf("一位专家最多申报%d项回避关系。", EXPERT_IMPORT_MAX_RELATIONS));
				*bad = true;
				expert_relation_release(&r);
			} else {
				bool dup = false;
				for (size_t i = 0; i < out->nrel; i++)
					dup |= !strcmp(out->rel[i].uscc, r.uscc) && !strcmp(out->rel[i].kind, r.kind);
				if (dup) {
					add_error(imp, line, col, EXPERT_IMPORT_RELATIONS_HEADER,
						  msgf("第%zu项：与前面的一项重复（同一企业、同一关系）。", k));
					*bad = true;
					expert_relation_release(&r);
				} else {
					out->rel = xrealloc(out->rel, (out->nrel + 1) * sizeof *out->rel);
					out->rel[out->nrel++] = r;
				}
			}
			buf_release(&why);
			free(t);
		}
	}
	free(copy);
}

static void line_release(struct expert_import_line *l)
{
	expert_release(&l->e);
	for (size_t i = 0; i < l->nrel; i++)
		expert_relation_release(&l->rel[i]);
	free(l->rel);
	l->rel = NULL;
	l->nrel = 0;
}

/* Validates one data line; keeps it in imp->lines when it is good. */
static void check_line(struct expert_import *imp, const struct csv_record *rec, const int col_of[NCOLS],
		       const int *header_of, size_t nheader)
{
	const char *in[EF_COUNT];
	char *err[EF_COUNT];
	struct expert_import_line l;
	bool bad = false;
	memset(&l, 0, sizeof l);
	l.line = rec->line;
	for (size_t j = 0; j < rec->n; j++)
		if ((j >= nheader || header_of[j] < 0) && rec->field[j][0]) {
			add_error(imp, rec->line, (int)j, "",
				  xstrdup("该列没有表头，内容无法识别：请删除，或补上模板中的列名。"));
			bad = true;
		}
	for (int c = 0; c < EF_COUNT; c++)
		in[c] = col_of[c] >= 0 && (size_t)col_of[c] < rec->n ? rec->field[col_of[c]] : "";
	if (expert_validate(in, &l.e, err)) {
		for (int c = 0; c < EF_COUNT; c++)
			if (err[c]) {
				add_error(imp, rec->line, col_of[c], expert_fields[c].label, err[c]);
				err[c] = NULL;
			}
		bad = true;
	}
	if (col_of[COL_RELATIONS] >= 0 && (size_t)col_of[COL_RELATIONS] < rec->n)
		relations_cell(imp, rec->line, col_of[COL_RELATIONS], rec->field[col_of[COL_RELATIONS]],
			       &l, &bad);
	if (bad) {
		imp->bad_lines++;
		line_release(&l);
		return;
	}
	imp->lines = xrealloc(imp->lines, (imp->nlines + 1) * sizeof *imp->lines);
	imp->lines[imp->nlines++] = l;
}

static const struct expert_import *sort_imp;

static int by_mobile(const void *a, const void *b)
{
	const struct expert_import_line *x = &sort_imp->lines[*(const size_t *)a];
	const struct expert_import_line *y = &sort_imp->lines[*(const size_t *)b];
	int c = strcmp(x->e.v[EF_MOBILE], y->e.v[EF_MOBILE]);
	return c ? c : x->line < y->line ? -1 : x->line > y->line;
}

/* A mobile number on two good lines: the later one is a bad line. */
static void check_duplicates(struct expert_import *imp, int mobile_col)
{
	size_t *idx, n = imp->nlines, kept = 0;
	bool *drop;
	if (n < 2)
		return;
	idx = xmalloc(n * sizeof *idx);
	drop = xcalloc(n, sizeof *drop);
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_imp = imp;
	qsort(idx, n, sizeof *idx, by_mobile);
	for (size_t i = 1; i < n; i++) {
		struct expert_import_line *first = &imp->lines[idx[i - 1]], *l = &imp->lines[idx[i]];
		size_t k = i - 1;
		if (strcmp(first->e.v[EF_MOBILE], l->e.v[EF_MOBILE]))
			continue;
		while (k > 0 && !strcmp(imp->lines[idx[k - 1]].e.v[EF_MOBILE], l->e.v[EF_MOBILE]))
			k--;
		add_error(imp, l->line, mobile_col, expert_fields[EF_MOBILE].label,
			  msgf("手机号码与第%zu行重复：同一文件中每位专家只能出现一次（导入按手机号码识别专家）。",
			       imp->lines[idx[k]].line));
		drop[idx[i]] = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (drop[i]) {
			imp->bad_lines++;
			line_release(&imp->lines[i]);
		} else {
			imp->lines[kept++] = imp->lines[i];
		}
	}
	imp->nlines = kept;
	free(idx);
	free(drop);
}

static int by_line(const void *a, const void *b)
{
	const struct expert_import_error *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	/* Within a line, the order they were found in. */
	return x->order < y->order ? -1 : x->order > y->order;
}

int experts_import_check(const char *data, size_t len, struct expert_import *imp)
{
	static const struct csv_limits lim = { 2 * (EXPERT_IMPORT_MAX_LINES + 1), 64, 16 * 1024 };
	struct buf text = BUF_INIT;
	struct csv_table t = CSV_TABLE_INIT;
	struct csv_error cerr;
	unsigned char digest[SHA256_BYTES];
	enum csv_decode_status st;
	int col_of[NCOLS], *header_of = NULL;
	size_t h = 0;

	memset(imp, 0, sizeof *imp);
	sha256(digest, data, len);
	sodium_bin2hex(imp->sha256, sizeof imp->sha256, digest, sizeof digest);
	if (!len) {
		file_error(imp, xstrdup("文件是空的。"));
		goto out;
	}
	if (len > EXPERT_IMPORT_MAX_BYTES) {
		file_error(imp, msgf("文件超过 %d MiB，请分成几个文件导入。", EXPERT_IMPORT_MAX_BYTES >> 20));
		goto out;
	}
	if ((st = csv_decode(data, len, &text, &imp->charset)) != CSV_DECODE_OK) {
		file_error(imp, msgf("%s。", csv_decode_message(st)));
		goto out;
	}
	if (csv_parse(text.data, text.len, &lim, &t, &cerr)) {
		if (cerr.code == CSV_E_TOO_MANY_RECORDS)
			file_error(imp, msgf("文件超过 %d 行数据，请分成几个文件导入。", EXPERT_IMPORT_MAX_LINES));
		else
			file_error(imp, msgf("第%zu行第%zu列：%s，文件无法按 CSV 读取。", cerr.line,
					     cerr.field, csv_strerror(cerr.code)));
		goto out;
	}
	while (h < t.n && csv_record_blank(&t.rec[h]))
		h++;
	if (h == t.n) {
		file_error(imp, xstrdup("文件中没有内容：第一行应为表头（模板中的列名），其后每行一位专家。"));
		goto out;
	}
	header_of = xmalloc(t.rec[h].n * sizeof *header_of);
	if (!map_header(imp, &t.rec[h], col_of, header_of))
		goto out;
	/* Too many lines is said before any line is checked: checking 5000
	 * lines only to refuse the file would keep the user waiting. */
	for (size_t r = h + 1; r < t.n; r++)
		imp->data_lines += !csv_record_blank(&t.rec[r]);
	if (imp->data_lines > EXPERT_IMPORT_MAX_LINES) {
		file_error(imp, msgf("文件超过 %d 行数据，请分成几个文件导入。", EXPERT_IMPORT_MAX_LINES));
		goto out;
	}
	for (size_t r = h + 1; r < t.n; r++)
		if (!csv_record_blank(&t.rec[r]))
			check_line(imp, &t.rec[r], col_of, header_of, t.rec[h].n);
	check_duplicates(imp, col_of[EF_MOBILE]);
	if (!imp->data_lines)
		file_error(imp, xstrdup("文件只有表头，没有专家数据。"));
out:
	if (imp->nerr > 1)
		qsort(imp->err, imp->nerr, sizeof *imp->err, by_line);
	free(header_of);
	csv_table_release(&t);
	buf_release(&text);
	return imp->file_error || imp->nerr_total || !imp->nlines ? -1 : 0;
}

void experts_import_release(struct expert_import *imp)
{
	for (size_t i = 0; i < imp->nlines; i++)
		line_release(&imp->lines[i]);
	free(imp->lines);
	for (size_t i = 0; i < imp->nerr; i++)
		free(imp->err[i].message);
	free(imp->err);
	free(imp->file_error);
	memset(imp, 0, sizeof *imp);
}

json_object *experts_import_errors_json(const struct expert_import *imp)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < imp->nerr; i++) {
		const struct expert_import_error *e = &imp->err[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "line", json_object_new_int64((long long)e->line));
		json_object_object_add(o, "column", json_object_new_string(e->column));
		json_object_object_add(o, "label", json_object_new_string(e->label));
		json_object_object_add(o, "message", json_object_new_string(e->message));
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- applying a good file ---- */

static const char SQL_INSERT_IMPORT[] =
	"INSERT INTO expert_import (account_id, file_name, file_sha256, charset, lines_read, added,"
	" updated, unchanged, detail) VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_GET_IMPORT[] =
	"SELECT i.id, DATE_FORMAT(i.created_at, " FMT_MIN ") AS at, IFNULL(u.login, '') AS login,"
	" i.file_name, i.charset, i.lines_read, i.added, i.updated, i.unchanged, i.detail"
	" FROM expert_import i LEFT JOIN account u ON u.id = i.account_id WHERE i.id = ?";
static const char SQL_RECENT_IMPORTS[] =
	"SELECT i.id, DATE_FORMAT(i.created_at, " FMT_MIN ") AS at, IFNULL(u.login, '') AS login,"
	" i.file_name, i.lines_read, i.added, i.updated, i.unchanged"
	" FROM expert_import i LEFT JOIN account u ON u.id = i.account_id ORDER BY i.id DESC LIMIT 10";

static const char *charset_code(enum csv_charset cs)
{
	return cs == CSV_CHARSET_UTF8_BOM ? "utf-8-bom" : cs == CSV_CHARSET_GB18030 ? "gb18030" : "utf-8";
}

static json_object *entry(long long id, const struct expert *e, const char *changes)
{
	json_object *a = json_object_new_array();
	json_object_array_add(a, json_object_new_int64(id));
	json_object_array_add(a, json_object_new_string(e->v[EF_NAME]));
	json_object_array_add(a, json_object_new_string(e->v[EF_ORG_NAME]));
	json_object_array_add(a, json_object_new_string(changes ? changes : ""));
	return a;
}

/* A name cut to at most max bytes, between characters. */
static char *cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return xstrndup(s, n);
}

int experts_import_apply(const struct actor *who, const struct expert_import *imp,
			 const char *file_name, long long *import_id, struct expert_import_counts *n)
{
	json_object *detail = json_object_new_object(), *added = json_object_new_array();
	json_object *updated = json_object_new_array(), *unchanged = json_object_new_array();
	struct buf summary = BUF_INIT;
	char *name = cut(file_name ? file_name : "", 255);
	char oid[24];
	int rc;

	memset(n, 0, sizeof *n);
	*import_id = 0;
	json_object_object_add(detail, "added", added);
	json_object_object_add(detail, "updated", updated);
	json_object_object_add(detail, "unchanged", unchanged);
	rc = db_begin();
	for (size_t i = 0; rc == DB_OK && i < imp->nlines; i++) {
		const struct expert_import_line *l = &imp->lines[i];
		json_object *row = NULL;
		struct buf changes = BUF_INIT;
		long long id = 0;
		bool changed = false;
		size_t new_rel = 0;
		if ((rc = experts_lock_by_mobile(l->e.v[EF_MOBILE], &row)) != DB_OK)
			break;
		if (!row) {
			rc = experts_insert_row(who, &l->e, &id);
		} else {
			id = db_int(row, "id", 0);
			if ((changed = expert_changes(&l->e, row, &changes)))
				rc = experts_update_row(id, &l->e);
		}
		for (size_t k = 0; rc == DB_OK && k < l->nrel; k++) {
			bool was_added;
			rc = experts_relation_insert_row(id, &l->rel[k], &was_added);
			if (rc == EXP_E_DUPLICATE)
				rc = DB_OK;
			new_rel += was_added;
		}
		if (rc == DB_OK && new_rel)
			buf_addf(&changes, "%s新增回避关系%zu项", changes.len ? "、" : "", new_rel);
		if (rc == DB_OK) {
			if (!row)
				json_object_array_add(added, entry(id, &l->e, NULL)), n->added++;
			else if (changed || new_rel)
				json_object_array_add(updated, entry(id, &l->e, changes.data)), n->updated++;
			else
				json_object_array_add(unchanged, entry(id, &l->e, NULL)), n->unchanged++;
		}
		json_object_put(row);
		buf_release(&changes);
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_INSERT_IMPORT, "isssiiiis", who->user_id, name, imp->sha256,
			     charset_code(imp->charset), (long long)imp->nlines, (long long)n->added,
			     (long long)n->updated, (long long)n->unchanged,
			     json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN));
	if (rc == DB_OK)
		*import_id = db_insert_id();
	snprintf(oid, sizeof oid, "%lld", *import_id);
	{
		char *shown = cut(name, 120);
		buf_addf(&summary, "导入专家库文件“%s”（%zu行，%s）：新增 %zu 人，更新 %zu 人，未变 %zu 人", shown,
			 imp->nlines, csv_charset_label(imp->charset), n->added, n->updated, n->unchanged);
		free(shown);
	}
	rc = audit_commit(rc, who, "expert.import", "expert_import", oid, summary.data);
	if (rc != DB_OK) {
		*import_id = 0;
		memset(n, 0, sizeof *n);
	}
	json_object_put(detail);
	buf_release(&summary);
	free(name);
	return rc;
}

/* [[id, name, org, changes], ...] as [{id, name, org, changes}, ...]. */
static json_object *entries(json_object *detail, const char *key)
{
	json_object *in = NULL, *out = json_object_new_array();
	if (!detail || !json_object_object_get_ex(detail, key, &in) || !json_object_is_type(in, json_type_array))
		return out;
	for (size_t i = 0; i < json_object_array_length(in); i++) {
		json_object *e = json_object_array_get_idx(in, i), *o;
		if (!json_object_is_type(e, json_type_array) || json_object_array_length(e) < 4)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_get(json_object_array_get_idx(e, 0)));
		json_object_object_add(o, "name", json_object_get(json_object_array_get_idx(e, 1)));
		json_object_object_add(o, "org", json_object_get(json_object_array_get_idx(e, 2)));
		json_object_object_add(o, "changes", json_object_get(json_object_array_get_idx(e, 3)));
		json_object_array_add(out, o);
	}
	return out;
}

int experts_import_get(long long id, json_object **row)
{
	json_object *detail;
	const char *cs;
	int rc = db_query_row(row, SQL_GET_IMPORT, "i", id);
	if (rc != DB_OK || !*row)
		return rc;
	detail = json_tokener_parse(db_str(*row, "detail", "{}"));
	json_object_object_add(*row, "added_list", entries(detail, "added"));
	json_object_object_add(*row, "updated_list", entries(detail, "updated"));
	json_object_object_add(*row, "unchanged_list", entries(detail, "unchanged"));
	json_object_object_del(*row, "detail");
	json_object_put(detail);
	cs = db_str(*row, "charset", "");
	json_object_object_add(*row, "charset_label",
			       json_object_new_string(csv_charset_label(
				       !strcmp(cs, "gb18030")	    ? CSV_CHARSET_GB18030
				       : !strcmp(cs, "utf-8-bom") ? CSV_CHARSET_UTF8_BOM
								  : CSV_CHARSET_UTF8)));
	return DB_OK;
}

int experts_import_recent(json_object **rows)
{
	return db_query(rows, SQL_RECENT_IMPORTS, "");
}
