#include "core/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/config.h"
#include "core/multipart.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/tmpfile.h"
#include "core/banned.h"

/* The value of key in row, or NULL when missing or null. */
static json_object *cell(json_object *row, const char *key)
{
	json_object *v = NULL;
	if (!row || !json_object_object_get_ex(row, key, &v))
		return NULL;
	return v;
}

/* Excel's rule for a sheet name: 1-31 characters, none of []:*?/\, not
 * beginning or ending with an apostrophe. */
static bool sheet_name_ok(const char *name)
{
	size_t chars = 0, len = name ? strlen(name) : 0;
	if (!len || name[0] == '\'' || name[len - 1] == '\'')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (strchr("[]:*?/\\", name[i]))
			return false;
		chars += ((unsigned char)name[i] & 0xC0) != 0x80;
	}
	return chars <= EXPORT_SHEET_NAME_MAX;
}

static void write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t col,
		       const struct export_column *c, json_object *v, lxw_format *text,
		       lxw_format *wrap, lxw_format *decimal, lxw_format *integer)
{
	const char *s;
	if (!v)
		return;
	switch (c->kind) {
	case EXPORT_DECIMAL:
	case EXPORT_INT:
		if (json_object_is_type(v, json_type_int)) {
			worksheet_write_number(ws, r, col, (double)json_object_get_int64(v),
					       c->kind == EXPORT_INT ? integer : decimal);
			return;
		}
		s = json_object_get_string(v);
		if (csv_is_decimal(s)) {
			worksheet_write_number(ws, r, col, strtod(s, NULL),
					       c->kind == EXPORT_INT ? integer : decimal);
			return;
		}
		break;
	case EXPORT_TEXT:
		break;
	}
	s = json_object_get_string(v);
	if (s && *s)
		worksheet_write_string(ws, r, col, s, c->wrap ? wrap : text);
}

int export_xlsx(struct buf *out, const char *sheet, const struct export_column *cols,
		size_t ncols, json_object *rows, struct buf *err)
{
	struct buf path = BUF_INIT;
	lxw_workbook_options opt = { 0 };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *text, *wrap, *decimal, *integer;
	size_t nrows = rows ? json_object_array_length(rows) : 0, before = out->len;
	lxw_error e;
	int fd, rc = -1;

	if (!ncols || ncols > LXW_COL_MAX || nrows + 1 > LXW_ROW_MAX) {
		buf_adds(err, "no columns, or a table too large for a worksheet");
		return -1;
	}
	if (!sheet_name_ok(sheet)) {
		buf_addf(err, "bad sheet name \"%s\"", sheet ? sheet : "");
		return -1;
	}
	buf_addf(&path, "%s/biaogan-export-XXXXXX", tmpfile_dir());
	fd = mkstemp(path.data);
	if (fd < 0) {
		buf_addf(err, "mkstemp in %s: %s", tmpfile_dir(), strerror(errno));
		buf_release(&path);
		return -1;
	}
	close(fd);
	opt.tmpdir = (char *)tmpfile_dir();
	wb = workbook_new_opt(path.data, &opt);
	if (!wb) {
		buf_adds(err, "workbook_new_opt failed");
		goto out;
	}
	ws = workbook_add_worksheet(wb, sheet);
	if (!ws) {
		buf_addf(err, "bad sheet name %s", sheet);
		workbook_close(wb);
		goto out;
	}
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xD9E1F2);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	text = workbook_add_format(wb);
	format_set_border(text, LXW_BORDER_THIN);
	format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
	wrap = workbook_add_format(wb);
	format_set_border(wrap, LXW_BORDER_THIN);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	decimal = workbook_add_format(wb);
	format_set_border(decimal, LXW_BORDER_THIN);
	format_set_num_format(decimal, "0.00");
	format_set_align(decimal, LXW_ALIGN_VERTICAL_TOP);
	integer = workbook_add_format(wb);
	format_set_border(integer, LXW_BORDER_THIN);
	format_set_num_format(integer, "0");
	format_set_align(integer, LXW_ALIGN_VERTICAL_TOP);

	for (size_t k = 0; k < ncols; k++) {
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, cols[k].width, NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)k, cols[k].title, head);
	}
	worksheet_set_row(ws, 0, 30, NULL);
	for (size_t i = 0; i < nrows; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		for (size_t k = 0; k < ncols; k++)
			write_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)k, &cols[k],
				   cell(row, cols[k].key), text, wrap, decimal, integer);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows, (lxw_col_t)(ncols - 1));
	e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		buf_addf(err, "workbook_close: %s", lxw_strerror(e));
		goto out;
	}
	if (tmpfile_slurp(path.data, out)) {
		buf_addf(err, "reading %s: %s", path.data, strerror(errno));
		buf_truncate(out, before);
		goto out;
	}
	rc = 0;
out:
	if (unlink(path.data) && errno != ENOENT)
		log_warn("export: cannot remove %s: %s", path.data, strerror(errno));
	buf_release(&path);
	return rc;
}

void export_csv(struct buf *out, const struct export_column *cols, size_t ncols,
		json_object *rows)
{
	struct csv w;
	size_t nrows = rows ? json_object_array_length(rows) : 0;
	csv_init(&w, out);
	for (size_t k = 0; k < ncols; k++)
		csv_field(&w, cols[k].title);
	csv_end_row(&w);
	for (size_t i = 0; i < nrows; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		for (size_t k = 0; k < ncols; k++) {
			json_object *v = cell(row, cols[k].key);
			if (!v)
				csv_field(&w, NULL);
			else if (cols[k].kind != EXPORT_TEXT && json_object_is_type(v, json_type_int))
				csv_int(&w, json_object_get_int64(v));
			else if (cols[k].kind != EXPORT_TEXT)
				csv_number(&w, json_object_get_string(v));
			else
				csv_field(&w, json_object_get_string(v));
		}
		csv_end_row(&w);
	}
}

int export_respond(struct response *resp, bool csv, const char *sheet, const char *name,
		   const struct export_column *cols, size_t ncols, json_object *rows,
		   struct buf *err)
{
	struct buf body = BUF_INIT, file = BUF_INIT, disp = BUF_INIT;
	int rc = 0;
	if (csv)
		export_csv(&body, cols, ncols, rows);
	else if (export_xlsx(&body, sheet, cols, ncols, rows, err))
		rc = -1;
	if (!rc) {
		buf_addf(&file, "%s.%s", name, csv ? "csv" : "xlsx");
		mp_content_disposition(&disp, file.data);
		if (resp_header(resp, "Content-Type",
				csv ? "text/csv; charset=utf-8"
				    : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") ||
		    resp_header(resp, "Content-Disposition", disp.data)) {
			buf_adds(err, "export: a header could not be set");
			rc = -1;
		}
	}
	if (!rc) {
		buf_reset(&resp->body);
		buf_add(&resp->body, body.data, body.len);
		resp->status = 200;
	}
	buf_release(&body);
	buf_release(&file);
	buf_release(&disp);
	return rc;
}
