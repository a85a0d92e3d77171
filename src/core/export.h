/* export: a table of rows written as an Excel workbook or as CSV.
 *
 * A table is its columns (which key of each json row, the header, the width
 * and the kind of cell) and its rows (a json array of objects, as db_query
 * gives them).  export_xlsx() writes an .xlsx workbook with one sheet
 * (libxlsxwriter): a bold, shaded, bordered header row that stays in place
 * when scrolling (frozen), an autofilter over the header, the column widths
 * given, long text wrapped, numbers as numbers.  Text is always written as
 * a string cell, never as a formula, whatever it starts with.
 * export_csv() writes the same table through core/csv.h (BOM, CRLF,
 * RFC 4180, formula neutralisation).
 *
 * libxlsxwriter 1.1 writes only to a named file: the workbook is built in a
 * private temporary file (config upload_tmp_dir, else $TMPDIR, else /tmp;
 * mkstemp, mode 0600), read back into out and unlinked, also on failure.
 * Only programs that export link libxlsxwriter (XLSXWRITER_LIBS).
 */
#ifndef BIAOGAN_EXPORT_H
#define BIAOGAN_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/response.h"

enum export_kind {
	EXPORT_TEXT,    /* the value as text (a number as its digits) */
	EXPORT_DECIMAL, /* "1200.50" or an integer: a number with two decimals */
	EXPORT_INT,     /* an integer */
};

struct export_column {
	const char *key;   /* in each row; a missing or null value is an empty cell */
	const char *title; /* the header */
	double width;      /* in characters (Excel's unit) */
	enum export_kind kind;
	bool wrap;         /* wrap long text in the cell */
};

#define EXPORT_SHEET_NAME_MAX 31 /* characters (Excel's limit) */

/* The workbook's bytes appended to out.  sheet: at most 31 characters, none
 * of []:*?/\.  0, or -1 with the reason in err (out as it was). */
int export_xlsx(struct buf *out, const char *sheet, const struct export_column *cols,
		size_t ncols, json_object *rows, struct buf *err);
/* The CSV file's bytes appended to out. */
void export_csv(struct buf *out, const struct export_column *cols, size_t ncols,
		json_object *rows);

/* The table as the response: a download named name.csv (csv) or
 * name.xlsx, with its Content-Type and Content-Disposition, replacing
 * resp's body.  0, or -1 with the reason in err (resp's body unchanged). */
int export_respond(struct response *resp, bool csv, const char *sheet, const char *name,
		   const struct export_column *cols, size_t ncols, json_object *rows,
		   struct buf *err);

#endif
