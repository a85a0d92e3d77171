/* experts_import: the expert pool from a CSV file (专家库导入; issue 11).
 *
 * Owns the table expert_import (sql/019_expert_import.sql), the import's
 * columns and the template file.  The page /experts/import and
 * `biaogan-admin experts import FILE` both call these two functions:
 *
 *   experts_import_check  pure: the file's bytes (at most
 *       EXPERT_IMPORT_MAX_BYTES) decoded as core/csv_read.h says (UTF-8 with
 *       or without BOM, or GB18030), parsed, the header row mapped to the
 *       columns by their Chinese names (any order; each of the expert's
 *       columns once; 回避企业 optional), and every data line validated by
 *       the form's own expert_validate (and each declared relation by
 *       expert_relation_validate); a mobile number on two lines is a bad
 *       line (the second).  Blank lines are skipped.  Every problem is
 *       listed with its line, column and reason (up to
 *       EXPERT_IMPORT_MAX_ERRORS; the rest are counted).
 *   experts_import_apply  a good file as one transaction: each line adds
 *       the expert of its mobile number or updates it (the file is the
 *       expert's whole record; status and account are not touched), adds
 *       the declared relations it does not have yet (an import never removes
 *       one), writes one expert_import row with the names of those added,
 *       updated and unchanged, and one audit record "expert.import" (object
 *       expert_import).  Anything failing rolls everything back.
 */
#ifndef BIAOGAN_EXPERTS_IMPORT_H
#define BIAOGAN_EXPERTS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/csv_read.h"
#include "steps/experts/experts.h"

#define EXPERT_IMPORT_MAX_BYTES (2 * 1024 * 1024)
#define EXPERT_IMPORT_MAX_LINES 5000  /* data lines */
#define EXPERT_IMPORT_MAX_ERRORS 1000 /* listed; more are counted */
#define EXPERT_IMPORT_MAX_RELATIONS 20 /* declared in one line */
#define EXPERT_IMPORT_RELATIONS_HEADER "回避企业"

/* The columns, for the page that documents them and for the template:
 * [{header, rule, example, required}] in the template's order. */
json_object *experts_import_columns(void);
/* The template: UTF-8 with BOM (core/csv.h), the header row and one
 * example line. */
void experts_import_template(struct buf *out);

struct expert_import_error {
	size_t line;       /* the file's line, from 1 */
	char column[8];    /* the spreadsheet's column letter, "" for the whole line */
	const char *label; /* the column's header (static), or "" */
	char *message;     /* owned */
	size_t order;      /* as found (the list is sorted by line, then this) */
};

struct expert_import_line {
	size_t line;
	struct expert e;
	struct expert_relation *rel;
	size_t nrel;
};

struct expert_import {
	enum csv_charset charset;
	char sha256[65];
	char *file_error;   /* a problem of the whole file (encoding, size, header); owned */
	struct expert_import_line *lines; /* the good lines (all of them when the file is good) */
	size_t nlines;
	size_t data_lines;  /* non-blank lines after the header */
	struct expert_import_error *err;
	size_t nerr;        /* listed */
	size_t nerr_total;  /* found */
	size_t bad_lines;   /* lines with at least one problem */
};

/* 0 when the file is good (no file error, no bad line, at least one
 * line); -1 otherwise, the reasons in imp.  Release imp either way. */
int experts_import_check(const char *data, size_t len, struct expert_import *imp);
void experts_import_release(struct expert_import *imp);
/* The reasons as the page shows them: [{line, column, label, message}]. */
json_object *experts_import_errors_json(const struct expert_import *imp);

struct expert_import_counts {
	size_t added, updated, unchanged;
};
/* A good file (experts_import_check returned 0) into the pool: one
 * transaction (see above).  file_name: what the page or the command line
 * called it (cut to 255 bytes).  *import_id the result's id.
 * EXP_E_MOBILE_TAKEN when another administrator added one of its numbers
 * meanwhile (nothing changed: import again). */
int experts_import_apply(const struct actor *who, const struct expert_import *imp,
			 const char *file_name, long long *import_id, struct expert_import_counts *n);

/* One import (*row NULL: none): id, at, login, file_name, charset_label,
 * lines_read, added, updated, unchanged and the lists added_list,
 * updated_list, unchanged_list of {id, name, org, changes}. */
int experts_import_get(long long id, json_object **row);
/* The newest 10: id, at, login, file_name, lines_read, added, updated, unchanged. */
int experts_import_recent(json_object **rows);

#endif
