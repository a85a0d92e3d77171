/* csv_read: reading a CSV file as Excel (or WPS) saves it.
 *
 * Two steps, each on bytes in memory (the caller bounds the size):
 *
 *   csv_decode  the file's bytes to UTF-8 text.  Excel on a Chinese Windows
 *               saves "CSV UTF-8" with a byte order mark and plain "CSV" in
 *               the ANSI code page, GBK (GB18030 is its superset).  The rule,
 *               first match wins: a UTF-8 BOM means UTF-8 (dropped; the rest
 *               must be valid UTF-8); valid UTF-8 is UTF-8; otherwise the
 *               bytes are converted from GB18030 with iconv, and a file that
 *               is not GB18030 either is refused.  A UTF-16 BOM (Excel's
 *               "Unicode text") is refused with its own code, so the message
 *               can say what to save instead.  A NUL byte is refused.
 *
 *   csv_parse   UTF-8 text to records (RFC 4180, as Excel writes it): fields
 *               separated by commas, records by CRLF, LF or a lone CR; a field
 *               in double quotes may hold commas, quotes (doubled) and line
 *               breaks, which are kept as LF.  A quote inside an unquoted
 *               field is an ordinary character (Excel reads it so); anything
 *               but a comma or a line end after a closing quote, and a quote
 *               left open at the end, are errors.  A line break at the very
 *               end does not start a record; an empty line in the middle is a
 *               record of one empty field (csv_record_blank says so: Excel
 *               writes rows it skipped as ",,,").  Every record knows the
 *               line of the file it starts on (1 for the first), counting the
 *               line breaks inside quoted fields, so messages can name the
 *               line a user sees in a text editor.
 *
 * Nothing is trimmed or otherwise changed: what the fields mean is the
 * caller's.  The table owns its memory: csv_table_release frees it.
 */
#ifndef BIAOGAN_CSV_READ_H
#define BIAOGAN_CSV_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

enum csv_charset {
	CSV_CHARSET_UTF8,     /* valid UTF-8 without a BOM */
	CSV_CHARSET_UTF8_BOM, /* UTF-8 with a BOM ("CSV UTF-8" of Excel) */
	CSV_CHARSET_GB18030,  /* converted from GB18030 (GBK, Excel's plain "CSV") */
};

enum csv_decode_status {
	CSV_DECODE_OK = 0,
	CSV_DECODE_BAD_UTF8, /* a UTF-8 BOM followed by bytes that are not UTF-8 */
	CSV_DECODE_UTF16,    /* a UTF-16 BOM: Excel's "Unicode text" */
	CSV_DECODE_NUL,      /* a NUL byte (a binary file, or UTF-16 without a BOM) */
	CSV_DECODE_UNKNOWN,  /* neither UTF-8 nor GB18030 */
};

/* "UTF-8", "UTF-8（带 BOM）", "GB18030". */
const char *csv_charset_label(enum csv_charset cs);
/* The Chinese reason for a decode status (CSV_DECODE_OK: ""). */
const char *csv_decode_message(enum csv_decode_status st);

/* Decodes len bytes at data: on CSV_DECODE_OK, out (reset first) holds the
 * UTF-8 text without a BOM, NUL-terminated, and *cs the charset found;
 * otherwise out is empty. */
enum csv_decode_status csv_decode(const char *data, size_t len, struct buf *out,
				  enum csv_charset *cs);

struct csv_record {
	size_t line;   /* the file's line the record starts on, from 1 */
	size_t n;      /* fields, at least 1 */
	char **field;  /* n NUL-terminated strings, owned by the table */
};

struct csv_table {
	struct csv_record *rec;
	size_t n;
	/* private */
	char *arena;
	char **fields;
};
#define CSV_TABLE_INIT { NULL, 0, NULL, NULL }

/* Every limit is enforced; a value exactly at a limit is accepted. */
struct csv_limits {
	size_t max_records;     /* records, blank ones included */
	size_t max_fields;      /* fields of one record */
	size_t max_field_bytes; /* bytes of one field, after unquoting */
};

enum csv_err {
	CSV_OK = 0,
	CSV_E_AFTER_QUOTE,      /* a character other than , or a line end after a closing quote */
	CSV_E_UNCLOSED,         /* a quoted field still open at the end of the text */
	CSV_E_NUL,              /* a NUL byte */
	CSV_E_TOO_MANY_RECORDS, /* more than max_records */
	CSV_E_TOO_MANY_FIELDS,  /* a record of more than max_fields */
	CSV_E_FIELD_TOO_LONG,   /* a field of more than max_field_bytes */
};

struct csv_error {
	enum csv_err code;
	size_t line;  /* where it was found (for CSV_E_UNCLOSED: where the field began) */
	size_t field; /* the field's position in its record, from 1 (0: none) */
};

/* Parses len bytes of text into t (which must be CSV_TABLE_INIT or
 * released).  0 on success; -1 with *err filled in and t empty. */
int csv_parse(const char *text, size_t len, const struct csv_limits *lim, struct csv_table *t,
	      struct csv_error *err);
void csv_table_release(struct csv_table *t);

/* True when every field of r is empty (",,," or an empty line). */
bool csv_record_blank(const struct csv_record *r);
/* The Chinese reason for an error code, without the position. */
const char *csv_strerror(enum csv_err e);
/* The spreadsheet's name of column i (0: "A", 25: "Z", 26: "AA"), into out
 * (at least 8 bytes). */
void csv_column_name(size_t i, char out[8]);

#endif
