#include "rules/sme.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#include "core/banned.h"


/* Parallel to enum sme_row; the names of the size_class ENUM and CSV. */
static const char *const row_names[SME_ROWS] = { "sme_ceiling", "medium", "small", "micro" };
/* What the standard's wording fixes for each row (see sme.h). */
static const enum sme_cmp row_cmp[SME_ROWS] = { SME_CMP_LT, SME_CMP_GE, SME_CMP_GE, SME_CMP_LT };
static const enum sme_cond row_cond[SME_ROWS] = { SME_COND_OR, SME_COND_AND, SME_COND_AND,
						  SME_COND_OR };

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- parsing ---- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int sme_parse_money(const char *s, size_t len, long long *out)
{
	size_t i = 0, ndig = 0;
	long long v = 0;

	/* Stop at 13 digits: enough to know there are too many, before the
	 * value could overflow. */
	while (i < len && is_digit(s[i]) && ndig < 13) {
		v = v * 10 + (s[i] - '0');
		i++;
		ndig++;
	}
	if (ndig == 0 || ndig > 12)
		return -1;
	v *= 100;
	if (i < len && s[i] == '.') {
		i++;
		long long frac = 0;
		size_t nfrac = 0;
		while (i < len && is_digit(s[i]) && nfrac < 3) {
			frac = frac * 10 + (s[i] - '0');
			i++;
			nfrac++;
		}
		if (nfrac == 0 || nfrac > 2)
			return -1;
		v += nfrac == 1 ? frac * 10 : frac;
	}
	if (i != len)
		return -1;
	*out = v;
	return 0;
}

int sme_parse_employees(const char *s, size_t len, long long *out)
{
	long long v = 0;

	if (len == 0 || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

const char *sme_format_money(long long units, char *out, size_t size)
{
	if (units < 0)
		snprintf(out, size, "-");
	else if (units % 100 == 0)
		snprintf(out, size, "%lld", units / 100);
	else if (units % 10 == 0)
		snprintf(out, size, "%lld.%lld", units / 100, (units % 100) / 10);
	else
		snprintf(out, size, "%lld.%02lld", units / 100, units % 100);
	return out;
}

/* ---- thresholds ---- */

void sme_thresholds_init(struct sme_thresholds *t, int industry_no)
{
	memset(t, 0, sizeof *t);
	t->industry_no = industry_no;
	for (int r = 0; r < SME_ROWS; r++) {
		t->row[r].employees = SME_NONE;
		t->row[r].revenue = SME_NONE;
		t->row[r].assets = SME_NONE;
	}
}

static int row_index(const char *name)
{
	for (int r = 0; r < SME_ROWS; r++)
		if (!strcmp(name, row_names[r]))
			return r;
	return -1;
}

static unsigned row_indicators(const struct sme_limits *l)
{
	return (l->employees != SME_NONE ? SME_IND_EMPLOYEES : 0) |
	       (l->revenue != SME_NONE ? SME_IND_REVENUE : 0) |
	       (l->assets != SME_NONE ? SME_IND_ASSETS : 0);
}

static int count_bits(unsigned m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

/* A value column: NULL or "" is "not used". */
static int parse_column(const char *text, bool money, long long *out)
{
	if (!text || !*text) {
		*out = SME_NONE;
		return 0;
	}
	return money ? sme_parse_money(text, strlen(text), out)
		     : sme_parse_employees(text, strlen(text), out);
}

int sme_thresholds_set_row(struct sme_thresholds *t, const char *size_class,
			   const char *employees, const char *revenue, const char *assets,
			   const char *cmp, const char *cond, char *err, size_t errsz)
{
	struct sme_limits l = { .set = true };
	int r = size_class ? row_index(size_class) : -1;

	if (r < 0)
		return fail(err, errsz, "industry %d: unknown size_class \"%s\"", t->industry_no,
			    size_class ? size_class : "(null)");
	if (t->row[r].set)
		return fail(err, errsz, "industry %d: %s given twice", t->industry_no, row_names[r]);
	if (parse_column(employees, false, &l.employees))
		return fail(err, errsz, "industry %d %s: bad employees \"%s\"", t->industry_no,
			    row_names[r], employees);
	if (parse_column(revenue, true, &l.revenue))
		return fail(err, errsz, "industry %d %s: bad revenue \"%s\"", t->industry_no,
			    row_names[r], revenue);
	if (parse_column(assets, true, &l.assets))
		return fail(err, errsz, "industry %d %s: bad total assets \"%s\"", t->industry_no,
			    row_names[r], assets);
	if (cmp && !strcmp(cmp, "<"))
		l.cmp = SME_CMP_LT;
	else if (cmp && !strcmp(cmp, ">="))
		l.cmp = SME_CMP_GE;
	else
		return fail(err, errsz, "industry %d %s: bad comparison \"%s\"", t->industry_no,
			    row_names[r], cmp ? cmp : "(null)");
	if (cond && !strcmp(cond, "or"))
		l.cond = SME_COND_OR;
	else if (cond && !strcmp(cond, "and"))
		l.cond = SME_COND_AND;
	else if (cond && !strcmp(cond, "single"))
		l.cond = SME_COND_SINGLE;
	else
		return fail(err, errsz, "industry %d %s: bad condition \"%s\"", t->industry_no,
			    row_names[r], cond ? cond : "(null)");
	t->row[r] = l;
	return 0;
}

int sme_thresholds_check(const struct sme_thresholds *t, char *err, size_t errsz)
{
	for (int r = 0; r < SME_ROWS; r++) {
		const struct sme_limits *l = &t->row[r];
		int n = count_bits(row_indicators(l));
		if (!l->set)
			return fail(err, errsz, "industry %d: no %s row", t->industry_no,
				    row_names[r]);
		if (n == 0)
			return fail(err, errsz, "industry %d %s: no indicator", t->industry_no,
				    row_names[r]);
		if (l->cmp != row_cmp[r])
			return fail(err, errsz, "industry %d %s: comparison must be \"%s\"",
				    t->industry_no, row_names[r], row_cmp[r] == SME_CMP_LT ? "<" : ">=");
		if (n == 1 && l->cond != SME_COND_SINGLE)
			return fail(err, errsz, "industry %d %s: one indicator needs condition single",
				    t->industry_no, row_names[r]);
		if (n > 1 && l->cond != row_cond[r])
			return fail(err, errsz, "industry %d %s: condition must be \"%s\"",
				    t->industry_no, row_names[r],
				    row_cond[r] == SME_COND_OR ? "or" : "and");
	}
	const struct sme_limits *md = &t->row[SME_ROW_MEDIUM], *sm = &t->row[SME_ROW_SMALL],
				*mi = &t->row[SME_ROW_MICRO];
	/* Micro is "not small": anything else would leave enterprises that are
	 * neither or both. */
	if (mi->employees != sm->employees || mi->revenue != sm->revenue || mi->assets != sm->assets)
		return fail(err, errsz, "industry %d: micro thresholds differ from small ones",
			    t->industry_no);
	if ((md->employees != SME_NONE && sm->employees != SME_NONE && md->employees < sm->employees) ||
	    (md->revenue != SME_NONE && sm->revenue != SME_NONE && md->revenue < sm->revenue) ||
	    (md->assets != SME_NONE && sm->assets != SME_NONE && md->assets < sm->assets))
		return fail(err, errsz, "industry %d: a medium bound is below the small one",
			    t->industry_no);
	return 0;
}

unsigned sme_indicators(const struct sme_thresholds *t)
{
	unsigned m = 0;
	for (int r = 0; r < SME_ROWS; r++)
		m |= row_indicators(&t->row[r]);
	return m;
}

/* Any used indicator below its threshold ('<' rows, 'or'/'single'). */
static bool below_any(const struct sme_limits *l, long long emp, long long rev, long long assets)
{
	return (l->employees != SME_NONE && emp < l->employees) ||
	       (l->revenue != SME_NONE && rev < l->revenue) ||
	       (l->assets != SME_NONE && assets < l->assets);
}

/* Every used indicator at or above its threshold ('>=' rows, 'and'/'single'). */
static bool reaches_all(const struct sme_limits *l, long long emp, long long rev, long long assets)
{
	return !below_any(l, emp, rev, assets);
}

enum sme_size sme_classify(const struct sme_thresholds *t, long long employees,
			   long long revenue, long long assets)
{
	unsigned need = sme_indicators(t);

	for (int r = 0; r < SME_ROWS; r++)
		if (!t->row[r].set)
			return SME_SIZE_INVALID;
	if (need == 0 || ((need & SME_IND_EMPLOYEES) && employees < 0) ||
	    ((need & SME_IND_REVENUE) && revenue < 0) || ((need & SME_IND_ASSETS) && assets < 0))
		return SME_SIZE_INVALID;
	if (!below_any(&t->row[SME_ROW_CEILING], employees, revenue, assets))
		return SME_LARGE;
	if (reaches_all(&t->row[SME_ROW_MEDIUM], employees, revenue, assets))
		return SME_MEDIUM;
	if (reaches_all(&t->row[SME_ROW_SMALL], employees, revenue, assets))
		return SME_SMALL;
	return SME_MICRO;
}

const char *sme_size_label(enum sme_size size)
{
	switch (size) {
	case SME_SIZE_INVALID:
		return "未知";
	case SME_LARGE:
		return "大型";
	case SME_MEDIUM:
		return "中型";
	case SME_SMALL:
		return "小型";
	case SME_MICRO:
		return "微型";
	}
	abort(); /* not an sme_size: a bug */
}

const char *sme_size_name(enum sme_size size)
{
	switch (size) {
	case SME_SIZE_INVALID:
		return "invalid";
	case SME_LARGE:
		return "large";
	case SME_MEDIUM:
		return "medium";
	case SME_SMALL:
		return "small";
	case SME_MICRO:
		return "micro";
	}
	abort(); /* not an sme_size: a bug */
}

void sme_describe_ceiling(const struct sme_thresholds *t, struct buf *out)
{
	const struct sme_limits *l = &t->row[SME_ROW_CEILING];
	char num[32];
	const char *sep = "";

	if (t->name_zh[0])
		buf_addf(out, "%s：", t->name_zh);
	if (l->employees != SME_NONE) {
		buf_addf(out, "从业人员%lld人以下", l->employees);
		sep = "或";
	}
	if (l->revenue != SME_NONE) {
		buf_addf(out, "%s营业收入%s万元以下", sep, sme_format_money(l->revenue, num, sizeof num));
		sep = "或";
	}
	if (l->assets != SME_NONE)
		buf_addf(out, "%s资产总额%s万元以下", sep, sme_format_money(l->assets, num, sizeof num));
	buf_adds(out, "的为中小微型企业");
}

/* ---- from database rows ---- */

/* A column as text for sme_thresholds_set_row: strings as they are, integers
 * printed, null as NULL.  Doubles are refused: money never goes through
 * floating point. */
static int column_text(json_object *row, const char *key, char *tmp, size_t tmpsz,
		       const char **out)
{
	json_object *v;
	if (!json_object_object_get_ex(row, key, &v) || v == NULL) {
		*out = NULL;
		return 0;
	}
	switch (json_object_get_type(v)) {
	case json_type_string:
		*out = json_object_get_string(v);
		return 0;
	case json_type_int:
		snprintf(tmp, tmpsz, "%lld", (long long)json_object_get_int64(v));
		*out = tmp;
		return 0;
	default:
		return -1;
	}
}

int sme_thresholds_from_rows(struct sme_thresholds *t, json_object *rows, char *err,
			     size_t errsz)
{
	size_t n;

	if (!rows || !json_object_is_type(rows, json_type_array))
		return fail(err, errsz, "rows: not an array");
	n = json_object_array_length(rows);
	if (n == 0)
		return fail(err, errsz, "rows: empty");
	for (size_t i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		json_object *no;
		const char *cols[6];
		char tmp[6][32];
		static const char *const keys[6] = { "size_class", "employees", "revenue_10k",
						     "total_assets_10k", "comparison", "cond" };

		if (!row || !json_object_is_type(row, json_type_object))
			return fail(err, errsz, "row %zu: not an object", i);
		if (!json_object_object_get_ex(row, "industry_no", &no) ||
		    !json_object_is_type(no, json_type_int))
			return fail(err, errsz, "row %zu: no integer industry_no", i);
		int64_t ino = json_object_get_int64(no);
		if (ino < 1 || ino > 255)
			return fail(err, errsz, "row %zu: industry_no %lld out of range", i,
				    (long long)ino);
		if (i == 0) {
			json_object *name;
			sme_thresholds_init(t, (int)ino);
			if (json_object_object_get_ex(row, "name_zh", &name) &&
			    json_object_is_type(name, json_type_string)) {
				const char *s = json_object_get_string(name);
				size_t len = strlen(s);
				if (len >= sizeof t->name_zh || !utf8_valid(s, len))
					return fail(err, errsz, "row %zu: bad name_zh", i);
				memcpy(t->name_zh, s, len + 1);
			}
		} else if (ino != t->industry_no) {
			return fail(err, errsz, "row %zu: industry %lld mixed with %d", i,
				    (long long)ino, t->industry_no);
		}
		for (int k = 0; k < 6; k++)
			if (column_text(row, keys[k], tmp[k], sizeof tmp[k], &cols[k]))
				return fail(err, errsz, "row %zu: column %s of a wrong type", i,
					    keys[k]);
		if (sme_thresholds_set_row(t, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5],
					   err, errsz))
			return -1;
	}
	return sme_thresholds_check(t, err, errsz);
}

/* ---- CSV ---- */

#define CSV_COLUMNS 10

static const char *const csv_header[CSV_COLUMNS] = {
	"industry_no", "industry_zh", "industry_en", "scope_note", "size_class",
	"employees", "revenue_10k_cny", "total_assets_10k_cny", "comparison", "condition",
};

struct csv {
	const char *p, *end;
	unsigned line; /* of the record being read, 1-based */
};

/* One record (RFC 4180) into f[0..*nf-1], each a NUL-terminated buf.
 * Returns 1 for a record, 0 at the end of the text, -1 on a syntax error. */
static int csv_record(struct csv *c, struct buf f[CSV_COLUMNS], size_t *nf, char *err,
		      size_t errsz)
{
	size_t n = 0;

	if (c->p == c->end)
		return 0;
	c->line++;
	for (int k = 0; k < CSV_COLUMNS; k++)
		buf_reset(&f[k]);
	for (;;) {
		if (n == CSV_COLUMNS)
			return fail(err, errsz, "line %u: more than %d fields", c->line, CSV_COLUMNS);
		struct buf *b = &f[n++];
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p == c->end)
					return fail(err, errsz, "line %u: unterminated quote", c->line);
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						buf_addc(b, '"');
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\n')
					c->line++;
				buf_addc(b, *c->p++);
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				if (*c->p == '"')
					return fail(err, errsz, "line %u: quote inside a field", c->line);
				buf_addc(b, *c->p++);
			}
		}
		if (c->p == c->end)
			break;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == '\r') {
			if (c->p + 1 < c->end && c->p[1] == '\n') {
				c->p += 2;
				break;
			}
			return fail(err, errsz, "line %u: stray carriage return", c->line);
		}
		if (*c->p == '\n') {
			c->p++;
			break;
		}
		return fail(err, errsz, "line %u: text after a closing quote", c->line);
	}
	*nf = n;
	return 1;
}

static struct sme_thresholds *table_get(struct sme_table *tab, int no, const char *name,
					char *err, size_t errsz, unsigned line)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < tab->n; i++) {
		if (tab->industry[i].industry_no != no)
			continue;
		if (strcmp(tab->industry[i].name_zh, name)) {
			fail(err, errsz, "line %u: industry %d named differently", line, no);
			return NULL;
		}
		return &tab->industry[i];
	}
	if (tab->n == SME_MAX_INDUSTRIES) {
		fail(err, errsz, "line %u: more than %d industries", line, SME_MAX_INDUSTRIES);
		return NULL;
	}
	if (len == 0 || len >= SME_NAME_MAX) {
		fail(err, errsz, "line %u: industry name empty or too long", line);
		return NULL;
	}
	struct sme_thresholds *t = &tab->industry[tab->n++];
	sme_thresholds_init(t, no);
	memcpy(t->name_zh, name, len + 1);
	return t;
}

int sme_table_parse_csv(struct sme_table *tab, const char *text, size_t len, char *err,
			size_t errsz)
{
	struct csv c = { text, text + len, 0 };
	struct buf f[CSV_COLUMNS];
	size_t nf = 0;
	int rc = -1, got;

	tab->n = 0;
	for (int k = 0; k < CSV_COLUMNS; k++)
		buf_init(&f[k]);
	if (!utf8_valid(text, len)) {
		fail(err, errsz, "not UTF-8 text (or holds a NUL byte)");
		goto out;
	}
	got = csv_record(&c, f, &nf, err, errsz);
	if (got <= 0) {
		if (got == 0)
			fail(err, errsz, "empty file");
		goto out;
	}
	for (int k = 0; k < CSV_COLUMNS; k++) {
		if ((size_t)k >= nf || strcmp(f[k].data, csv_header[k])) {
			fail(err, errsz, "line 1: header column %d must be %s", k + 1, csv_header[k]);
			goto out;
		}
	}
	if (nf != CSV_COLUMNS) {
		fail(err, errsz, "line 1: header has %zu columns, not %d", nf, CSV_COLUMNS);
		goto out;
	}
	while ((got = csv_record(&c, f, &nf, err, errsz)) == 1) {
		unsigned line = c.line;
		long long no;
		if (nf != CSV_COLUMNS) {
			fail(err, errsz, "line %u: %zu fields, not %d", line, nf, CSV_COLUMNS);
			goto out;
		}
		if (sme_parse_employees(f[0].data, f[0].len, &no) || no < 1 || no > 255) {
			fail(err, errsz, "line %u: bad industry_no \"%s\"", line, f[0].data);
			goto out;
		}
		struct sme_thresholds *t = table_get(tab, (int)no, f[1].data, err, errsz, line);
		if (!t)
			goto out;
		if (sme_thresholds_set_row(t, f[4].data, f[5].data, f[6].data, f[7].data,
					   f[8].data, f[9].data, err, errsz)) {
			/* Prefix the line to the reason. */
			char why[256];
			snprintf(why, sizeof why, "%s", err ? err : "");
			fail(err, errsz, "line %u: %s", line, why);
			goto out;
		}
	}
	if (got < 0)
		goto out;
	if (tab->n == 0) {
		fail(err, errsz, "no rows");
		goto out;
	}
	for (size_t i = 0; i < tab->n; i++)
		if (sme_thresholds_check(&tab->industry[i], err, errsz))
			goto out;
	rc = 0;
out:
	for (int k = 0; k < CSV_COLUMNS; k++)
		buf_release(&f[k]);
	if (rc)
		tab->n = 0;
	return rc;
}

int sme_table_load_csv(struct sme_table *tab, const char *path, char *err, size_t errsz)
{
	struct buf text = BUF_INIT;
	char chunk[8192];
	size_t got;
	int rc;
	FILE *fp = fopen(path, "rb");

	tab->n = 0;
	if (!fp)
		return fail(err, errsz, "%s: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		buf_add(&text, chunk, got);
		if (text.len > 1024 * 1024) {
			fclose(fp);
			buf_release(&text);
			return fail(err, errsz, "%s: larger than 1 MiB", path);
		}
	}
	if (ferror(fp)) {
		int e = errno;
		fclose(fp);
		buf_release(&text);
		return fail(err, errsz, "%s: %s", path, strerror(e));
	}
	fclose(fp);
	rc = sme_table_parse_csv(tab, text.data, text.len, err, errsz);
	buf_release(&text);
	return rc;
}

const struct sme_thresholds *sme_table_find(const struct sme_table *tab, int no)
{
	for (size_t i = 0; i < tab->n; i++)
		if (tab->industry[i].industry_no == no)
			return &tab->industry[i];
	return NULL;
}
