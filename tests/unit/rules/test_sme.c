/* Unit tests for src/rules/sme.c: the SME size classes of 工信部联企业〔2011〕300号.
 *
 * The thresholds come from tests/data/sme-classification.csv (a copy of
 * shared/reference/sme-classification.csv).  They are checked against the
 * table of shared/reference/sme-classification.md transcribed below, then
 * every boundary of every class of every industry is probed: the threshold
 * itself, one unit below and one unit above (1 person; 0.01 万元). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "rules/sme.h"

#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NONE SME_NONE

/* ---- the CSV copy, loaded once per test process ---- */

static struct sme_table table;
static bool table_loaded;

static const char *srcdir(void)
{
	const char *d = getenv("BIAOGAN_SRCDIR");
	return d && *d ? d : ".";
}

static void path_of(char *out, size_t size, const char *rel)
{
	int n = snprintf(out, size, "%s/%s", srcdir(), rel);
	ck_assert_msg(n > 0 && (size_t)n < size, "path too long");
}

static const struct sme_table *csv_table(void)
{
	char path[4096], err[256] = "";

	if (!table_loaded) {
		path_of(path, sizeof path, "tests/data/sme-classification.csv");
		ck_assert_msg(sme_table_load_csv(&table, path, err, sizeof err) == 0,
			      "loading %s: %s", path, err);
		table_loaded = true;
	}
	return &table;
}

static const struct sme_thresholds *industry(int no)
{
	const struct sme_thresholds *t = sme_table_find(csv_table(), no);
	ck_assert_msg(t != NULL, "industry %d not in the CSV", no);
	return t;
}

/* ---- the md table, transcribed (万元 and persons; micro = small) ---- */

struct spec {
	int no;
	const char *name;
	long long v[3][3]; /* [ceiling, medium, small][employees, revenue, assets] */
};

static const struct spec specs[] = {
	{ 1, "农、林、牧、渔业", { { NONE, 20000, NONE }, { NONE, 500, NONE }, { NONE, 50, NONE } } },
	{ 2, "工业", { { 1000, 40000, NONE }, { 300, 2000, NONE }, { 20, 300, NONE } } },
	{ 3, "建筑业", { { NONE, 80000, 80000 }, { NONE, 6000, 5000 }, { NONE, 300, 300 } } },
	{ 4, "批发业", { { 200, 40000, NONE }, { 20, 5000, NONE }, { 5, 1000, NONE } } },
	{ 5, "零售业", { { 300, 20000, NONE }, { 50, 500, NONE }, { 10, 100, NONE } } },
	{ 6, "交通运输业", { { 1000, 30000, NONE }, { 300, 3000, NONE }, { 20, 200, NONE } } },
	{ 7, "仓储业", { { 200, 30000, NONE }, { 100, 1000, NONE }, { 20, 100, NONE } } },
	{ 8, "邮政业", { { 1000, 30000, NONE }, { 300, 2000, NONE }, { 20, 100, NONE } } },
	{ 9, "住宿业", { { 300, 10000, NONE }, { 100, 2000, NONE }, { 10, 100, NONE } } },
	{ 10, "餐饮业", { { 300, 10000, NONE }, { 100, 2000, NONE }, { 10, 100, NONE } } },
	{ 11, "信息传输业", { { 2000, 100000, NONE }, { 100, 1000, NONE }, { 10, 100, NONE } } },
	{ 12, "软件和信息技术服务业",
	  { { 300, 10000, NONE }, { 100, 1000, NONE }, { 10, 50, NONE } } },
	{ 13, "房地产开发经营", { { NONE, 200000, 10000 }, { NONE, 1000, 5000 }, { NONE, 100, 2000 } } },
	{ 14, "物业管理", { { 1000, 5000, NONE }, { 300, 1000, NONE }, { 100, 500, NONE } } },
	{ 15, "租赁和商务服务业", { { 300, NONE, 120000 }, { 100, NONE, 8000 }, { 10, NONE, 100 } } },
	{ 16, "其他未列明行业", { { 300, NONE, NONE }, { 100, NONE, NONE }, { 10, NONE, NONE } } },
};

static long long lim(const struct sme_limits *l, int k)
{
	return k == 0 ? l->employees : k == 1 ? l->revenue : l->assets;
}

/* Spec values in the units of sme.h (money * 100). */
static long long spec_units(long long v, int k)
{
	return v == NONE ? NONE : k == 0 ? v : v * 100;
}

START_TEST(csv_has_exactly_the_16_industries)
{
	ck_assert_uint_eq(csv_table()->n, 16);
	for (int no = 1; no <= 16; no++)
		ck_assert_ptr_nonnull(sme_table_find(csv_table(), no));
	ck_assert_ptr_null(sme_table_find(csv_table(), 0));
	ck_assert_ptr_null(sme_table_find(csv_table(), 17));
}
END_TEST

START_TEST(csv_matches_md_table)
{
	const struct spec *s = &specs[_i];
	const struct sme_thresholds *t = industry(s->no);
	static const int rows[3] = { SME_ROW_CEILING, SME_ROW_MEDIUM, SME_ROW_SMALL };
	int used = 0;

	ck_assert_str_eq(t->name_zh, s->name);
	for (int k = 0; k < 3; k++)
		used += s->v[0][k] != NONE;
	for (int r = 0; r < 3; r++) {
		const struct sme_limits *l = &t->row[rows[r]];
		for (int k = 0; k < 3; k++)
			ck_assert_msg(lim(l, k) == spec_units(s->v[r][k], k),
				      "industry %d row %d indicator %d: %lld", s->no, r, k, lim(l, k));
		enum sme_cond want = used == 1 ? SME_COND_SINGLE
				     : rows[r] == SME_ROW_CEILING ? SME_COND_OR : SME_COND_AND;
		ck_assert_int_eq(l->cond, want);
	}
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(lim(&t->row[SME_ROW_MICRO], k), spec_units(s->v[2][k], k));
	ck_assert_int_eq(t->row[SME_ROW_MICRO].cond, used == 1 ? SME_COND_SINGLE : SME_COND_OR);
}
END_TEST

/* The seed rows of sql/003_sme.sql are the CSV's rows. */
START_TEST(sql_seed_matches_csv)
{
	static const char *const names[SME_ROWS] = { "sme_ceiling", "medium", "small", "micro" };
	static const char *const conds[] = { "or", "and", "single" };
	char path[4096], tuple[256], a[32], b[32], c[32];
	struct buf sql = BUF_INIT;
	FILE *fp;
	size_t got;
	int rows = 0;

	path_of(path, sizeof path, "sql/003_sme.sql");
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while ((got = fread(tuple, 1, sizeof tuple, fp)) > 0)
		buf_add(&sql, tuple, got);
	fclose(fp);

	for (size_t i = 0; i < csv_table()->n; i++) {
		const struct sme_thresholds *t = &csv_table()->industry[i];
		snprintf(tuple, sizeof tuple, "(%d, '%s', ", t->industry_no, t->name_zh);
		ck_assert_msg(strstr(sql.data, tuple), "no sme_industry row %s", tuple);
		for (int r = 0; r < SME_ROWS; r++) {
			const struct sme_limits *l = &t->row[r];
			if (l->employees == NONE)
				snprintf(a, sizeof a, "NULL");
			else
				snprintf(a, sizeof a, "%lld", l->employees);
			if (l->revenue == NONE)
				snprintf(b, sizeof b, "NULL");
			else
				sme_format_money(l->revenue, b, sizeof b);
			if (l->assets == NONE)
				snprintf(c, sizeof c, "NULL");
			else
				sme_format_money(l->assets, c, sizeof c);
			snprintf(tuple, sizeof tuple, "(%d, '%s', %s, %s, %s, '%s', '%s')",
				 t->industry_no, names[r], a, b, c, l->cmp == SME_CMP_LT ? "<" : ">=",
				 conds[l->cond]);
			ck_assert_msg(strstr(sql.data, tuple), "no sme_threshold row %s", tuple);
			rows++;
		}
	}
	ck_assert_int_eq(rows, 64);
	/* No extra threshold rows either. */
	int seen = 0;
	for (const char *p = sql.data; (p = strstr(p, "'sme_ceiling', ")); p++)
		seen++;
	ck_assert_int_eq(seen, 16);
	buf_release(&sql);
}
END_TEST

START_TEST(indicators)
{
	ck_assert_uint_eq(sme_indicators(industry(1)), SME_IND_REVENUE);
	ck_assert_uint_eq(sme_indicators(industry(2)), SME_IND_EMPLOYEES | SME_IND_REVENUE);
	ck_assert_uint_eq(sme_indicators(industry(3)), SME_IND_REVENUE | SME_IND_ASSETS);
	ck_assert_uint_eq(sme_indicators(industry(13)), SME_IND_REVENUE | SME_IND_ASSETS);
	ck_assert_uint_eq(sme_indicators(industry(15)), SME_IND_EMPLOYEES | SME_IND_ASSETS);
	ck_assert_uint_eq(sme_indicators(industry(16)), SME_IND_EMPLOYEES);
}
END_TEST

/* ---- every boundary, generated from the CSV ---- */

/* Classify with indicator values v[]; indicators the industry does not use
 * get a value that would change the answer if it were looked at. */
static enum sme_size classify_v(const struct sme_thresholds *t, const long long v[3])
{
	unsigned need = sme_indicators(t);
	return sme_classify(t, (need & SME_IND_EMPLOYEES) ? v[0] : 0,
			    (need & SME_IND_REVENUE) ? v[1] : 0, (need & SME_IND_ASSETS) ? v[2] : 0);
}

/* The preconditions the generated expectations rest on. */
static void check_shape(const struct sme_thresholds *t)
{
	unsigned need = sme_indicators(t);
	for (int r = 0; r < SME_ROWS; r++)
		for (int k = 0; k < 3; k++)
			ck_assert_int_eq(lim(&t->row[r], k) != NONE, (need >> k) & 1u);
	for (int k = 0; k < 3; k++) {
		if (!((need >> k) & 1u))
			continue;
		/* ceiling > medium > small >= 1, so one unit below each bound
		 * still clears the next class down. */
		ck_assert_int_gt(lim(&t->row[SME_ROW_CEILING], k), lim(&t->row[SME_ROW_MEDIUM], k));
		ck_assert_int_gt(lim(&t->row[SME_ROW_MEDIUM], k), lim(&t->row[SME_ROW_SMALL], k));
		ck_assert_int_gt(lim(&t->row[SME_ROW_SMALL], k), 0);
	}
}

/* For row r and indicator k: the others sit exactly on their row-r values
 * (so they decide nothing), k is probed at bound-1, bound, bound+1. */
static void probe_row(const struct sme_thresholds *t, int r, enum sme_size below,
		      enum sme_size at_or_above)
{
	unsigned need = sme_indicators(t);
	int probes = 0;

	for (int k = 0; k < 3; k++) {
		if (!((need >> k) & 1u))
			continue;
		for (int d = -1; d <= 1; d++) {
			long long v[3];
			for (int j = 0; j < 3; j++)
				v[j] = lim(&t->row[r], j);
			v[k] += d;
			enum sme_size want = d < 0 ? below : at_or_above;
			enum sme_size got = classify_v(t, v);
			ck_assert_msg(got == want,
				      "industry %d row %d indicator %d at bound%+d: %s, want %s",
				      t->industry_no, r, k, d, sme_size_label(got),
				      sme_size_label(want));
			probes++;
		}
	}
	ck_assert_int_ge(probes, 3);
}

START_TEST(boundary_ceiling)
{
	const struct sme_thresholds *t = industry(_i);
	check_shape(t);
	/* Below any ceiling value: an SME, and (others at their ceilings,
	 * above every medium bound) medium. */
	probe_row(t, SME_ROW_CEILING, SME_MEDIUM, SME_LARGE);
}
END_TEST

START_TEST(boundary_medium)
{
	const struct sme_thresholds *t = industry(_i);
	check_shape(t);
	probe_row(t, SME_ROW_MEDIUM, SME_SMALL, SME_MEDIUM);
}
END_TEST

START_TEST(boundary_small)
{
	const struct sme_thresholds *t = industry(_i);
	check_shape(t);
	probe_row(t, SME_ROW_SMALL, SME_MICRO, SME_SMALL);
}
END_TEST

START_TEST(boundary_micro)
{
	const struct sme_thresholds *t = industry(_i);
	check_shape(t);
	/* Micro if any value is below the micro row ("X人以下或…以下"). */
	probe_row(t, SME_ROW_MICRO, SME_MICRO, SME_SMALL);
}
END_TEST

/* One indicator alone below the ceiling makes an SME ("或"); reaching
 * medium needs every indicator ("且").  An industry with one indicator is
 * checked too: that indicator alone decides every class. */
START_TEST(or_and_semantics)
{
	const struct sme_thresholds *t = industry(_i);
	unsigned need = sme_indicators(t);
	long long v[3];
	int probed = 0;

	for (int k = 0; k < 3; k++) {
		if (!((need >> k) & 1u))
			continue;
		/* k tiny, all others huge: SME (k below ceiling) but micro
		 * (k below small). */
		for (int j = 0; j < 3; j++)
			v[j] = lim(&t->row[SME_ROW_CEILING], j) * 10;
		v[k] = lim(&t->row[SME_ROW_SMALL], k) - 1;
		ck_assert_int_eq(classify_v(t, v), SME_MICRO);
		/* k between medium and ceiling, the others huge: medium. */
		v[k] = lim(&t->row[SME_ROW_MEDIUM], k);
		ck_assert_int_eq(classify_v(t, v), SME_MEDIUM);
		/* k between small and medium, others huge: small. */
		v[k] = lim(&t->row[SME_ROW_SMALL], k);
		ck_assert_int_eq(classify_v(t, v), SME_SMALL);
		probed++;
	}
	ck_assert_int_eq(probed, __builtin_popcount(need));
	ck_assert_int_ge(probed, 1);
}
END_TEST

/* ---- hand-written cases, read straight from the regulation ---- */

struct hand {
	int no;
	long long emp, rev_wan, assets_wan; /* NONE where not given */
	enum sme_size want;
};

static const struct hand hands[] = {
	/* 工业: 1000人以下或40000万元以下. */
	{ 2, 1000, 40000, NONE, SME_LARGE },
	{ 2, 5000, 100000, NONE, SME_LARGE },
	{ 2, 999, 40000, NONE, SME_MEDIUM },
	{ 2, 1000, 39999, NONE, SME_MEDIUM },
	{ 2, 5000, 1000, NONE, SME_SMALL },
	{ 2, 19, 39000, NONE, SME_MICRO },
	{ 2, 300, 299, NONE, SME_MICRO },
	{ 2, 0, 0, NONE, SME_MICRO },
	/* 农、林、牧、渔业 uses revenue only; employees are ignored. */
	{ 1, 100000, 19999, NONE, SME_MEDIUM },
	{ 1, NONE, 20000, NONE, SME_LARGE },
	{ 1, 1, 499, NONE, SME_SMALL },
	{ 1, NONE, 49, 100000, SME_MICRO },
	/* 建筑业: revenue and total assets. */
	{ 3, NONE, 80000, 79999, SME_MEDIUM },
	{ 3, 9, 80000, 80000, SME_LARGE },
	{ 3, NONE, 6000, 4999, SME_SMALL },
	{ 3, NONE, 299, 80000, SME_MICRO },
	/* 批发业. */
	{ 4, 4, 50000, NONE, SME_MICRO },
	{ 4, 200, 40000, NONE, SME_LARGE },
	{ 4, 20, 5000, NONE, SME_MEDIUM },
	/* 房地产开发经营: revenue 200000 ceiling, assets 10000. */
	{ 13, NONE, 300000, 9999, SME_MEDIUM },
	{ 13, NONE, 200000, 10000, SME_LARGE },
	{ 13, NONE, 100, 1999, SME_MICRO },
	/* 租赁和商务服务业: employees and total assets. */
	{ 15, 300, 1, 120000, SME_LARGE },
	{ 15, 100, NONE, 8000, SME_MEDIUM },
	{ 15, 9, NONE, 200000, SME_MICRO },
	/* 其他未列明行业: employees only. */
	{ 16, 300, NONE, NONE, SME_LARGE },
	{ 16, 299, 99999999, 99999999, SME_MEDIUM },
	{ 16, 99, NONE, NONE, SME_SMALL },
	{ 16, 9, NONE, NONE, SME_MICRO },
};

START_TEST(hand_cases)
{
	const struct hand *h = &hands[_i];
	long long rev = h->rev_wan == NONE ? NONE : h->rev_wan * 100;
	long long assets = h->assets_wan == NONE ? NONE : h->assets_wan * 100;

	ck_assert_str_eq(sme_size_label(sme_classify(industry(h->no), h->emp, rev, assets)),
			 sme_size_label(h->want));
}
END_TEST

/* Cents of 万元 count: 39999.99 is below 40000, 40000.00 is not. */
START_TEST(fractional_money)
{
	long long v;
	ck_assert_int_eq(sme_parse_money("39999.99", 8, &v), 0);
	ck_assert_int_eq(sme_classify(industry(2), 1000, v, NONE), SME_MEDIUM);
	ck_assert_int_eq(sme_parse_money("40000.00", 8, &v), 0);
	ck_assert_int_eq(sme_classify(industry(2), 1000, v, NONE), SME_LARGE);
	ck_assert_int_eq(sme_parse_money("299.9", 5, &v), 0);
	ck_assert_int_eq(sme_classify(industry(2), 500, v, NONE), SME_MICRO);
}
END_TEST

/* ---- bad classification inputs ---- */

struct missing {
	int no;
	long long emp, rev, assets;
};

static const struct missing missings[] = {
	{ 2, NONE, 100, NONE },  /* employees needed */
	{ 2, 10, NONE, NONE },   /* revenue needed */
	{ 3, NONE, 100, NONE },  /* assets needed */
	{ 15, 10, 100, NONE },   /* assets needed, revenue not used */
	{ 16, NONE, 100, 100 },  /* employees needed */
	{ 1, 10, NONE, 100 },    /* revenue needed */
	{ 2, -5, 100, NONE },    /* negative */
	{ 13, NONE, 100, -1 },   /* negative */
};

START_TEST(missing_indicator)
{
	const struct missing *m = &missings[_i];
	ck_assert_int_eq(sme_classify(industry(m->no), m->emp, m->rev, m->assets),
			 SME_SIZE_INVALID);
}
END_TEST

START_TEST(empty_thresholds)
{
	struct sme_thresholds t;
	sme_thresholds_init(&t, 2);
	ck_assert_int_eq(sme_classify(&t, 10, 10, 10), SME_SIZE_INVALID);
}
END_TEST

/* ---- labels and descriptions ---- */

START_TEST(labels)
{
	ck_assert_str_eq(sme_size_label(SME_LARGE), "大型");
	ck_assert_str_eq(sme_size_label(SME_MEDIUM), "中型");
	ck_assert_str_eq(sme_size_label(SME_SMALL), "小型");
	ck_assert_str_eq(sme_size_label(SME_MICRO), "微型");
	ck_assert_str_eq(sme_size_label(SME_SIZE_INVALID), "未知");
	ck_assert_str_eq(sme_size_name(SME_LARGE), "large");
	ck_assert_str_eq(sme_size_name(SME_MEDIUM), "medium");
	ck_assert_str_eq(sme_size_name(SME_SMALL), "small");
	ck_assert_str_eq(sme_size_name(SME_MICRO), "micro");
}
END_TEST

START_TEST(describe_ceiling)
{
	struct buf b = BUF_INIT;
	sme_describe_ceiling(industry(2), &b);
	ck_assert_str_eq(b.data, "工业：从业人员1000人以下或营业收入40000万元以下的为中小微型企业");
	buf_reset(&b);
	sme_describe_ceiling(industry(1), &b);
	ck_assert_str_eq(b.data, "农、林、牧、渔业：营业收入20000万元以下的为中小微型企业");
	buf_reset(&b);
	sme_describe_ceiling(industry(15), &b);
	ck_assert_str_eq(b.data,
			 "租赁和商务服务业：从业人员300人以下或资产总额120000万元以下的为中小微型企业");
	buf_reset(&b);
	sme_describe_ceiling(industry(3), &b);
	ck_assert_str_eq(b.data,
			 "建筑业：营业收入80000万元以下或资产总额80000万元以下的为中小微型企业");
	buf_release(&b);
}
END_TEST

/* ---- strict number parsing ---- */

struct money_good {
	const char *in;
	long long units;
};

static const struct money_good money_goods[] = {
	{ "0", 0 },
	{ "1", 100 },
	{ "1.5", 150 },
	{ "1.05", 105 },
	{ "0.01", 1 },
	{ "20000", 2000000 },
	{ "20000.00", 2000000 },
	{ "007", 700 },
	{ "999999999999.99", SME_MONEY_MAX },
};

START_TEST(money_good)
{
	const struct money_good *g = &money_goods[_i];
	long long v = -7;
	ck_assert_int_eq(sme_parse_money(g->in, strlen(g->in), &v), 0);
	ck_assert_int_eq(v, g->units);
}
END_TEST

static const char *const money_bads[] = {
	"", ".", "1.", ".5", "1.234", "-1", "+1", " 1", "1 ", "1e3", "1,000", "１",
	"0x10", "1000000000000", "9999999999999.99", "NaN", "inf", "1.2.3", "12a", "1..2", "万元",
	"1\n", "1.0 ",
};

START_TEST(money_bad)
{
	long long v = -7;
	ck_assert_int_eq(sme_parse_money(money_bads[_i], strlen(money_bads[_i]), &v), -1);
	ck_assert_int_eq(v, -7);
}
END_TEST

START_TEST(money_embedded_nul)
{
	long long v = -7;
	ck_assert_int_eq(sme_parse_money("12\0" "3", 4, &v), -1);
	ck_assert_int_eq(sme_parse_money("12\0", 3, &v), -1);
	ck_assert_int_eq(v, -7);
	/* Only len bytes are read: "123" with len 2 is 12. */
	ck_assert_int_eq(sme_parse_money("123", 2, &v), 0);
	ck_assert_int_eq(v, 1200);
}
END_TEST

static const char *const employees_bads[] = {
	"", "-1", "+1", "1.0", " 1", "1 ", "1e3", "1,000", "1000000000", "abc", "３",
};

START_TEST(employees_parse)
{
	long long v = -7;
	ck_assert_int_eq(sme_parse_employees("0", 1, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(sme_parse_employees("999999999", 9, &v), 0);
	ck_assert_int_eq(v, SME_EMPLOYEES_MAX);
	ck_assert_int_eq(sme_parse_employees("300", 3, &v), 0);
	ck_assert_int_eq(v, 300);
	for (int i = 0; i < N(employees_bads); i++) {
		v = -7;
		ck_assert_msg(sme_parse_employees(employees_bads[i], strlen(employees_bads[i]), &v) == -1,
			      "accepted \"%s\"", employees_bads[i]);
		ck_assert_int_eq(v, -7);
	}
}
END_TEST

START_TEST(format_money)
{
	char out[32];
	ck_assert_str_eq(sme_format_money(0, out, sizeof out), "0");
	ck_assert_str_eq(sme_format_money(2000000, out, sizeof out), "20000");
	ck_assert_str_eq(sme_format_money(150, out, sizeof out), "1.5");
	ck_assert_str_eq(sme_format_money(105, out, sizeof out), "1.05");
	ck_assert_str_eq(sme_format_money(1, out, sizeof out), "0.01");
	ck_assert_str_eq(sme_format_money(SME_MONEY_MAX, out, sizeof out), "999999999999.99");
	/* And back. */
	for (long long u = 0; u < 1000; u += 7) {
		long long back;
		sme_format_money(u, out, sizeof out);
		ck_assert_int_eq(sme_parse_money(out, strlen(out), &back), 0);
		ck_assert_int_eq(back, u);
	}
}
END_TEST

/* ---- CSV loader ---- */

static const char csv_head[] =
	"industry_no,industry_zh,industry_en,scope_note,size_class,employees,revenue_10k_cny,"
	"total_assets_10k_cny,comparison,condition\n";

/* Industry 2 of the CSV, which the bad cases below alter one at a time. */
#define ROW_CEIL "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,<,or\n"
#define ROW_MED "2,工业,Industry,\"a, b\",medium,300,2000,,>=,and\n"
#define ROW_SMALL "2,工业,Industry,\"a, b\",small,20,300,,>=,and\n"
#define ROW_MICRO "2,工业,Industry,\"a, b\",micro,20,300,,<,or\n"

static int parse_csv(const char *body, size_t len, char *err, size_t errsz)
{
	static struct sme_table tab;
	struct buf text = BUF_INIT;
	buf_adds(&text, csv_head);
	buf_add(&text, body, len);
	int rc = sme_table_parse_csv(&tab, text.data, text.len, err, errsz);
	if (rc)
		ck_assert_uint_eq(tab.n, 0);
	buf_release(&text);
	return rc;
}

START_TEST(csv_good_minimal)
{
	char err[256] = "";
	const char body[] = ROW_CEIL ROW_MED ROW_SMALL ROW_MICRO;
	ck_assert_msg(parse_csv(body, sizeof body - 1, err, sizeof err) == 0, "%s", err);
	/* Without the final newline, and in another row order. */
	const char body2[] = ROW_MICRO ROW_CEIL ROW_SMALL "2,工业,Industry,\"a, b\",medium,300,2000,,>=,and";
	ck_assert_msg(parse_csv(body2, sizeof body2 - 1, err, sizeof err) == 0, "%s", err);
	/* Quoted fields with a doubled quote and a line break. */
	const char body3[] = ROW_CEIL ROW_MED ROW_SMALL
		"2,工业,Industry,\"say \"\"hi\"\"\nthere\",micro,20,300,,<,or\n";
	ck_assert_msg(parse_csv(body3, sizeof body3 - 1, err, sizeof err) == 0, "%s", err);
}
END_TEST

/* The real file with CRLF line ends loads the same. */
START_TEST(csv_crlf)
{
	char path[4096], err[256] = "";
	struct buf in = BUF_INIT, out = BUF_INIT;
	static struct sme_table tab;
	FILE *fp;
	size_t got;
	char chunk[4096];

	path_of(path, sizeof path, "tests/data/sme-classification.csv");
	fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&in, chunk, got);
	fclose(fp);
	for (size_t i = 0; i < in.len; i++) {
		if (in.data[i] == '\n')
			buf_addc(&out, '\r');
		buf_addc(&out, in.data[i]);
	}
	ck_assert_msg(sme_table_parse_csv(&tab, out.data, out.len, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(tab.n, 16);
	ck_assert_mem_eq(&tab.industry[15].row, &csv_table()->industry[15].row,
			 sizeof tab.industry[15].row);
	buf_release(&in);
	buf_release(&out);
}
END_TEST

struct csv_bad {
	const char *body;
	const char *why; /* a part of the reason */
};

static const struct csv_bad csv_bads[] = {
	{ "", "no rows" },
	{ ROW_CEIL ROW_MED ROW_SMALL, "no micro row" },
	{ ROW_CEIL ROW_SMALL ROW_MICRO, "no medium row" },
	{ ROW_CEIL ROW_MED ROW_SMALL ROW_MICRO ROW_MICRO, "micro given twice" },
	{ ROW_CEIL ROW_MED ROW_SMALL "2,工业,Industry,\"a, b\",micro,20,200,,<,or\n",
	  "micro thresholds differ" },
	{ ROW_CEIL ROW_MED ROW_SMALL "2,工业,Industry,\"a, b\",micro,10,300,,<,or\n",
	  "micro thresholds differ" },
	{ ROW_CEIL ROW_MED ROW_SMALL "2,工业,Industry,\"a, b\",micro,20,300,300,<,or\n",
	  "micro thresholds differ" },
	{ ROW_CEIL "2,工业,Industry,\"a, b\",medium,10,2000,,>=,and\n" ROW_SMALL ROW_MICRO,
	  "medium bound is below" },
	{ ROW_CEIL ROW_MED ROW_SMALL "2,工业,Industry,\"a, b\",tiny,20,300,,<,or\n",
	  "unknown size_class" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,<=,or\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "bad comparison" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,>=,or\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "comparison must be \"<\"" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,<,and\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "condition must be \"or\"" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,<,xor\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "bad condition" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,<,single\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "condition must be" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,,,<,or\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "one indicator needs condition single" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,,,,<,single\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "no indicator" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,-1000,40000,,<,or\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "bad employees" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000.001,,<,or\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "bad revenue" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,1e5,<,or\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "bad total assets" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,<\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "line 2: 9 fields" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,40000,,<,or,x\n" ROW_MED ROW_SMALL ROW_MICRO,
	  "line 2: more than 10 fields" },
	{ ROW_CEIL ROW_MED "\n" ROW_SMALL ROW_MICRO, "line 4: 1 fields" },
	{ "2,工业,Industry,\"a, b,sme_ceiling,1000,40000,,<,or\n", "unterminated quote" },
	{ "2,工业,Industry,a \"b\",sme_ceiling,1000,40000,,<,or\n", "quote inside a field" },
	{ "2,工业,Industry,\"a\"b,sme_ceiling,1000,40000,,<,or\n", "text after a closing quote" },
	{ "2,工业,Industry,a\rb,sme_ceiling,1000,40000,,<,or\n", "stray carriage return" },
	{ ROW_CEIL ROW_MED ROW_SMALL "2,工業,Industry,\"a, b\",micro,20,300,,<,or\n",
	  "named differently" },
	{ "0,工业,Industry,,sme_ceiling,1000,40000,,<,or\n", "bad industry_no" },
	{ "x,工业,Industry,,sme_ceiling,1000,40000,,<,or\n", "bad industry_no" },
	{ "256,工业,Industry,,sme_ceiling,1000,40000,,<,or\n", "bad industry_no" },
	{ "2,,Industry,,sme_ceiling,1000,40000,,<,or\n", "name empty" },
	{ "2,工业,Industry,\"a, b\",sme_ceiling,1000,4\xff" "0000,,<,or\n", "not UTF-8" },
};

static void set_lim(struct sme_limits *l, int k, long long v)
{
	*(k == 0 ? &l->employees : k == 1 ? &l->revenue : &l->assets) = v;
}

/* A medium bound equal to the small one is accepted ("below" is the
 * error: the classes still do not overlap, medium is tried first); one unit
 * less is refused.  For every indicator of every industry. */
START_TEST(medium_bound_equal_small)
{
	const struct sme_thresholds *base = industry(_i);
	unsigned need = sme_indicators(base);
	char err[256];

	for (int k = 0; k < 3; k++) {
		if (!((need >> k) & 1u))
			continue;
		struct sme_thresholds t = *base;
		long long small = lim(&t.row[SME_ROW_SMALL], k);
		set_lim(&t.row[SME_ROW_MEDIUM], k, small);
		ck_assert_msg(sme_thresholds_check(&t, err, sizeof err) == 0, "industry %d: %s",
			      _i, err);
		set_lim(&t.row[SME_ROW_MEDIUM], k, small - 1);
		ck_assert_int_eq(sme_thresholds_check(&t, err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "medium bound is below"));
	}
}
END_TEST

/* Zero is a value (no employees yet, no revenue yet): micro; only a
 * negative value of an indicator in use is invalid. */
START_TEST(zero_values_are_micro)
{
	const struct sme_thresholds *t = industry(_i);
	unsigned need = sme_indicators(t);

	ck_assert_int_eq(sme_classify(t, 0, 0, 0), SME_MICRO);
	for (int k = 0; k < 3; k++) {
		long long v[3] = { 0, 0, 0 };
		v[k] = -1;
		ck_assert_int_eq(sme_classify(t, v[0], v[1], v[2]),
				 ((need >> k) & 1u) ? SME_SIZE_INVALID : SME_MICRO);
	}
}
END_TEST

START_TEST(csv_bad)
{
	const struct csv_bad *b = &csv_bads[_i];
	char err[256] = "";
	ck_assert_int_eq(parse_csv(b->body, strlen(b->body), err, sizeof err), -1);
	ck_assert_msg(strstr(err, b->why) != NULL, "reason \"%s\" lacks \"%s\"", err, b->why);
}
END_TEST

START_TEST(csv_bad_header)
{
	static struct sme_table tab;
	char err[256] = "";
	static const char *const texts[] = {
		"",
		"industry_no,industry_zh\n",
		"industry_no,industry_zh,industry_en,scope_note,size_class,employees,revenue,"
		"total_assets_10k_cny,comparison,condition\n",
		"industry_no,industry_zh,industry_en,scope_note,size_class,employees,revenue_10k_cny,"
		"total_assets_10k_cny,comparison,condition,extra\n",
		ROW_CEIL ROW_MED ROW_SMALL ROW_MICRO,
	};
	for (int i = 0; i < N(texts); i++) {
		ck_assert_int_eq(sme_table_parse_csv(&tab, texts[i], strlen(texts[i]), err, sizeof err), -1);
		ck_assert_uint_eq(tab.n, 0);
	}
	/* The message names the first wrong column, counted from 1. */
	static const char third_wrong[] = "industry_no,industry_zh,industry,scope_note\n";
	ck_assert_int_eq(sme_table_parse_csv(&tab, third_wrong, strlen(third_wrong), err, sizeof err),
			 -1);
	ck_assert_str_eq(err, "line 1: header column 3 must be industry_en");
	/* A NUL byte is not text. */
	ck_assert_int_eq(sme_table_parse_csv(&tab, csv_head, sizeof csv_head, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	/* A file that is not there. */
	ck_assert_int_eq(sme_table_load_csv(&tab, "/nonexistent/sme.csv", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/sme.csv"));
	/* A NULL err is allowed. */
	ck_assert_int_eq(sme_table_parse_csv(&tab, "", 0, NULL, 0), -1);
}
END_TEST

/* ---- rows as db_query returns them ---- */

/* The CSV thresholds of one industry as DB rows: INT as int64, DECIMAL as
 * "1234.00" strings, NULL as json null. */
static json_object *rows_of(const struct sme_thresholds *t)
{
	static const char *const names[SME_ROWS] = { "sme_ceiling", "medium", "small", "micro" };
	static const char *const conds[] = { "or", "and", "single" };
	json_object *rows = json_object_new_array();
	char num[32];

	for (int r = 0; r < SME_ROWS; r++) {
		const struct sme_limits *l = &t->row[r];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "industry_no", json_object_new_int64(t->industry_no));
		json_object_object_add(o, "name_zh", json_object_new_string(t->name_zh));
		json_object_object_add(o, "size_class", json_object_new_string(names[r]));
		json_object_object_add(o, "employees",
				       l->employees == NONE ? NULL : json_object_new_int64(l->employees));
		snprintf(num, sizeof num, "%lld.%02lld", l->revenue / 100, l->revenue % 100);
		json_object_object_add(o, "revenue_10k",
				       l->revenue == NONE ? NULL : json_object_new_string(num));
		snprintf(num, sizeof num, "%lld.%02lld", l->assets / 100, l->assets % 100);
		json_object_object_add(o, "total_assets_10k",
				       l->assets == NONE ? NULL : json_object_new_string(num));
		json_object_object_add(o, "comparison",
				       json_object_new_string(l->cmp == SME_CMP_LT ? "<" : ">="));
		json_object_object_add(o, "cond", json_object_new_string(conds[l->cond]));
		json_object_array_add(rows, o);
	}
	return rows;
}

START_TEST(rows_round_trip)
{
	const struct sme_thresholds *want = industry(_i);
	struct sme_thresholds got;
	char err[256] = "";
	json_object *rows = rows_of(want);

	ck_assert_msg(sme_thresholds_from_rows(&got, rows, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(got.industry_no, want->industry_no);
	ck_assert_str_eq(got.name_zh, want->name_zh);
	ck_assert_mem_eq(&got.row, &want->row, sizeof got.row);
	json_object_put(rows);
}
END_TEST

/* name_zh is optional: missing, null or not a string leaves the name "",
 * never the text of another JSON type; the thresholds load all the same. */
START_TEST(rows_name_optional)
{
	const struct sme_thresholds *want = industry(2);
	struct sme_thresholds got;
	char err[256] = "";
	json_object *rows = rows_of(want);
	json_object *r0 = json_object_array_get_idx(rows, 0);

	if (_i == 0)
		json_object_object_del(r0, "name_zh");
	else if (_i == 1)
		json_object_object_add(r0, "name_zh", NULL);
	else
		json_object_object_add(r0, "name_zh", json_object_new_int64(5));
	ck_assert_msg(sme_thresholds_from_rows(&got, rows, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(got.name_zh, "");
	ck_assert_mem_eq(&got.row, &want->row, sizeof got.row);
	json_object_put(rows);
}
END_TEST

/* The longest name kept, SME_NAME_MAX - 1 bytes, from the CSV and from
 * rows, exactly; one byte more is refused. */
START_TEST(name_longest)
{
	static struct sme_table tab;
	struct buf text = BUF_INIT, name = BUF_INIT;
	struct sme_thresholds got;
	char err[256] = "";

	while (name.len < SME_NAME_MAX - 1)
		buf_addc(&name, 'n');
	buf_adds(&text, csv_head);
	for (int r = 0; r < 4; r++) {
		static const char *const rest[] = { ",sme_ceiling,1000,40000,,<,or\n",
						    ",medium,300,2000,,>=,and\n",
						    ",small,20,300,,>=,and\n", ",micro,20,300,,<,or\n" };
		buf_addf(&text, "2,%s,Industry,%s", name.data, rest[r]);
	}
	ck_assert_msg(sme_table_parse_csv(&tab, text.data, text.len, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(tab.industry[0].name_zh, name.data);

	json_object *rows = rows_of(&tab.industry[0]);
	ck_assert_msg(sme_thresholds_from_rows(&got, rows, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(got.name_zh, name.data);
	json_object_put(rows);

	/* One byte longer, in both. */
	struct sme_thresholds longer = tab.industry[0];
	rows = rows_of(&longer);
	buf_addc(&name, 'n');
	json_object_object_add(json_object_array_get_idx(rows, 0), "name_zh",
			       json_object_new_string(name.data));
	ck_assert_int_eq(sme_thresholds_from_rows(&got, rows, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad name_zh"));
	json_object_put(rows);
	buf_reset(&text);
	buf_adds(&text, csv_head);
	buf_addf(&text, "2,%s,Industry,,sme_ceiling,1000,40000,,<,or\n", name.data);
	ck_assert_int_eq(sme_table_parse_csv(&tab, text.data, text.len, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "name empty or too long"));
	buf_release(&text);
	buf_release(&name);
}
END_TEST

/* Loading does not keep the file open: many loads under a low limit of
 * open files all succeed. */
START_TEST(load_closes_file)
{
	static struct sme_table tab;
	struct rlimit was, low;
	char path[4096], err[256] = "";

	path_of(path, sizeof path, "tests/data/sme-classification.csv");
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &was), 0);
	low = was;
	low.rlim_cur = 16;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	for (int i = 0; i < 64; i++)
		ck_assert_msg(sme_table_load_csv(&tab, path, err, sizeof err) == 0, "load %d: %s", i,
			      err);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &was), 0);
}
END_TEST

/* Each case spoils the rows of industry 2 in one way. */
static void spoil(json_object *rows, int how)
{
	json_object *r0 = json_object_array_get_idx(rows, 0);
	json_object *r3 = json_object_array_get_idx(rows, 3);
	switch (how) {
	case 0: /* a double: money never passes through floating point */
		json_object_object_add(r0, "revenue_10k", json_object_new_double(40000.0));
		break;
	case 1:
		json_object_object_add(r0, "employees", json_object_new_string("abc"));
		break;
	case 2:
		json_object_object_del(r0, "size_class");
		break;
	case 3:
		json_object_object_add(r3, "industry_no", json_object_new_int64(3));
		break;
	case 4:
		json_object_object_add(r0, "industry_no", json_object_new_string("2"));
		break;
	case 5:
		json_object_object_add(r0, "industry_no", json_object_new_int64(0));
		break;
	case 6:
		json_object_array_del_idx(rows, 3, 1);
		break;
	case 7:
		json_object_object_add(r3, "revenue_10k", json_object_new_string("299.99"));
		break;
	case 8:
		json_object_object_add(r0, "comparison", json_object_new_string(">="));
		break;
	case 9:
		json_object_object_add(r0, "cond", json_object_new_boolean(1));
		break;
	case 10:
		json_object_object_add(r0, "revenue_10k", json_object_new_string("-40000.00"));
		break;
	case 11: /* the same row twice */
		json_object_array_add(rows, json_object_get(r3));
		break;
	default:
		abort();
	}
}

START_TEST(rows_bad)
{
	struct sme_thresholds got;
	char err[256] = "";
	json_object *rows = rows_of(industry(2));

	spoil(rows, _i);
	ck_assert_int_eq(sme_thresholds_from_rows(&got, rows, err, sizeof err), -1);
	ck_assert_uint_gt(strlen(err), 0);
	json_object_put(rows);
}
END_TEST

START_TEST(rows_not_rows)
{
	struct sme_thresholds got;
	char err[256];
	json_object *empty = json_object_new_array();
	json_object *obj = json_object_new_object();
	json_object *odd = json_object_new_array();

	json_object_array_add(odd, json_object_new_int(5));
	ck_assert_int_eq(sme_thresholds_from_rows(&got, NULL, err, sizeof err), -1);
	ck_assert_int_eq(sme_thresholds_from_rows(&got, empty, err, sizeof err), -1);
	ck_assert_int_eq(sme_thresholds_from_rows(&got, obj, err, sizeof err), -1);
	ck_assert_int_eq(sme_thresholds_from_rows(&got, odd, err, sizeof err), -1);
	json_object_put(empty);
	json_object_put(obj);
	json_object_put(odd);
}
END_TEST

static Suite *sme_suite(void)
{
	Suite *s = suite_create("sme");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, csv_has_exactly_the_16_industries);
	tcase_add_loop_test(tc, csv_matches_md_table, 0, N(specs));
	tcase_add_test(tc, sql_seed_matches_csv);
	tcase_add_test(tc, indicators);
	suite_add_tcase(s, tc);

	tc = tcase_create("boundaries");
	tcase_add_loop_test(tc, boundary_ceiling, 1, 17);
	tcase_add_loop_test(tc, boundary_medium, 1, 17);
	tcase_add_loop_test(tc, boundary_small, 1, 17);
	tcase_add_loop_test(tc, boundary_micro, 1, 17);
	tcase_add_loop_test(tc, medium_bound_equal_small, 1, 17);
	tcase_add_loop_test(tc, zero_values_are_micro, 1, 17);
	tcase_add_loop_test(tc, or_and_semantics, 1, 17);
	suite_add_tcase(s, tc);

	tc = tcase_create("classify");
	tcase_add_loop_test(tc, hand_cases, 0, N(hands));
	tcase_add_test(tc, fractional_money);
	tcase_add_loop_test(tc, missing_indicator, 0, N(missings));
	tcase_add_test(tc, empty_thresholds);
	tcase_add_test(tc, labels);
	tcase_add_test(tc, describe_ceiling);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, money_good, 0, N(money_goods));
	tcase_add_loop_test(tc, money_bad, 0, N(money_bads));
	tcase_add_test(tc, money_embedded_nul);
	tcase_add_test(tc, employees_parse);
	tcase_add_test(tc, format_money);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_test(tc, csv_good_minimal);
	tcase_add_test(tc, csv_crlf);
	tcase_add_loop_test(tc, csv_bad, 0, N(csv_bads));
	tcase_add_test(tc, csv_bad_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("rows");
	tcase_add_loop_test(tc, rows_round_trip, 1, 17);
	tcase_add_loop_test(tc, rows_name_optional, 0, 3);
	tcase_add_test(tc, name_longest);
	tcase_add_test(tc, load_closes_file);
	tcase_add_loop_test(tc, rows_bad, 0, 12);
	tcase_add_test(tc, rows_not_rows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sme_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
