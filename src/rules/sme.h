/* sme: size classification of enterprises (大型/中型/小型/微型) under
 * 《中小企业划型标准规定》 (工信部联企业〔2011〕300号), for category (4) of the
 * selection measures.
 *
 * Owns: the rule of the standard (shared/reference/sme-classification.md),
 * the tables sme_industry and sme_threshold (sql/003_sme.sql) and the one
 * query that reads them, strict parsing of the amounts, and loading the same
 * thresholds from the reference CSV (tests; checking a table).  The numbers
 * themselves are never C constants: the regulation may be revised, and then
 * the table is updated, not the program.
 *
 * Units.  Employees are persons.  Revenue and total assets are integers in
 * units of 0.01 万元 (100 yuan): DECIMAL(14,2) in 万元 maps onto them
 * exactly, so no comparison ever involves floating point.
 *
 * The rule, per industry, four threshold rows (see the md):
 *   sme_ceiling  '<'   'or'   SME if ANY listed indicator is below; else LARGE
 *   medium       '>='  'and'  MEDIUM if ALL listed lower bounds are reached
 *   small        '>='  'and'  SMALL if ALL listed lower bounds are reached
 *   micro        '<'   'or'   otherwise MICRO (the complement of small)
 * A row with one indicator has condition 'single'.  Loaders refuse a table
 * that breaks this shape (see sme_thresholds_check), so sme_classify can
 * trust what it is given.
 */
#ifndef BIAOGAN_SME_H
#define BIAOGAN_SME_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/buf.h"

enum sme_size {
	SME_SIZE_INVALID = -1, /* a needed indicator is missing, or no thresholds */
	SME_LARGE = 0,
	SME_MEDIUM,
	SME_SMALL,
	SME_MICRO,
};

/* The threshold rows, in the order of the ENUM in sql/003_sme.sql. */
enum sme_row {
	SME_ROW_CEILING = 0,
	SME_ROW_MEDIUM,
	SME_ROW_SMALL,
	SME_ROW_MICRO,
	SME_ROWS
};

enum sme_cmp { SME_CMP_LT = 0, SME_CMP_GE };
enum sme_cond { SME_COND_OR = 0, SME_COND_AND, SME_COND_SINGLE };

/* Indicator bits (sme_indicators). */
#define SME_IND_EMPLOYEES 1u
#define SME_IND_REVENUE 2u
#define SME_IND_ASSETS 4u

/* "Not used" in a threshold row, "not given" as an input. */
#define SME_NONE (-1LL)

/* Largest amounts accepted: DECIMAL(14,2) and INT. */
#define SME_MONEY_MAX 99999999999999LL /* 999999999999.99 万元 */
#define SME_EMPLOYEES_MAX 999999999LL

#define SME_NAME_MAX 192
#define SME_MAX_INDUSTRIES 64

struct sme_limits {
	bool set;
	long long employees; /* persons, or SME_NONE */
	long long revenue;   /* 0.01 万元, or SME_NONE */
	long long assets;    /* 0.01 万元, or SME_NONE */
	enum sme_cmp cmp;
	enum sme_cond cond;
};

/* The thresholds of one industry.  Plain data: no ownership, copy freely. */
struct sme_thresholds {
	int industry_no;
	char name_zh[SME_NAME_MAX]; /* "" if the loader had no name */
	struct sme_limits row[SME_ROWS];
};

/* Every industry of a CSV file.  About 25 KiB: allocate it, or make it
 * static, rather than putting it on a worker's stack. */
struct sme_table {
	size_t n;
	struct sme_thresholds industry[SME_MAX_INDUSTRIES];
};

/* --- strict parsing (also for the form) --- */

/* Money in 万元: 1 to 12 digits, optionally '.' and 1 or 2 digits.  No sign,
 * blanks, thousands separators or exponent.  *out in 0.01 万元.
 * Returns 0, or -1 (and *out untouched) if s is not such a number. */
int sme_parse_money(const char *s, size_t len, long long *out);
/* Employees: 1 to 9 digits.  Returns 0 or -1 like sme_parse_money. */
int sme_parse_employees(const char *s, size_t len, long long *out);
/* "12345.60" style, trailing ".00" dropped ("40000"); out >= 24 bytes. */
const char *sme_format_money(long long units, char *out, size_t size);

/* --- thresholds --- */

void sme_thresholds_init(struct sme_thresholds *t, int industry_no);
/* Set one row from its columns as text, as in the CSV and the table:
 * size_class "sme_ceiling"/"medium"/"small"/"micro"; employees, revenue and
 * assets as decimal text, NULL or "" for not used; cmp "<" or ">="; cond
 * "or", "and", "single".  A row already set is an error.
 * Returns 0, or -1 with a reason in err (English: for logs and tests). */
int sme_thresholds_set_row(struct sme_thresholds *t, const char *size_class,
			   const char *employees, const char *revenue, const char *assets,
			   const char *cmp, const char *cond, char *err, size_t errsz);
/* Whether t is a complete table of the shape above: all four rows, the
 * comparison and condition each row must have, 'single' exactly for rows
 * with one indicator, the micro row equal to the small row, and medium
 * bounds not below small bounds.  Returns 0, or -1 with a reason in err. */
int sme_thresholds_check(const struct sme_thresholds *t, char *err, size_t errsz);
/* SME_IND_* bits of every indicator any row uses: the inputs a form must
 * ask for this industry. */
unsigned sme_indicators(const struct sme_thresholds *t);

/* The size class.  Pass SME_NONE for an indicator the industry does not use
 * (it is ignored whatever its value); a used one that is SME_NONE or
 * negative gives SME_SIZE_INVALID. */
enum sme_size sme_classify(const struct sme_thresholds *t, long long employees,
			   long long revenue, long long assets);

/* "大型", "中型", "小型", "微型" (SME_SIZE_INVALID: "未知"). */
const char *sme_size_label(enum sme_size size);
/* "large", "medium", "small", "micro" (for storage and logs; "invalid"). */
const char *sme_size_name(enum sme_size size);

/* Appends the SME ceiling of t in Chinese, for a refusal's reason, e.g.
 * "工业：从业人员1000人以下或营业收入40000万元以下的为中小微型企业". */
void sme_describe_ceiling(const struct sme_thresholds *t, struct buf *out);

/* --- loaders --- */

/* From the rows of the query in sme_db_load (steps/intake/sme_db.h): a json
 * array of objects with keys industry_no, name_zh, size_class, employees,
 * revenue_10k, total_assets_10k, comparison, cond (DECIMALs as strings, NULL
 * as json null).  All rows must be of one industry.  Checks the result.
 * Returns 0, or -1 with a reason in err. */
int sme_thresholds_from_rows(struct sme_thresholds *t, json_object *rows, char *err,
			     size_t errsz);


/* Parse the CSV of shared/reference/sme-classification.csv (header line
 * required, RFC 4180 quoting, LF or CRLF, UTF-8).  Every industry is
 * checked.  Returns 0, or -1 with a reason (and line number) in err. */
int sme_table_parse_csv(struct sme_table *tab, const char *text, size_t len, char *err,
			size_t errsz);
/* The same from a file (at most 1 MiB). */
int sme_table_load_csv(struct sme_table *tab, const char *path, char *err, size_t errsz);
/* The industry numbered no, or NULL. */
const struct sme_thresholds *sme_table_find(const struct sme_table *tab, int no);

#endif
