/* csv: a CSV file that Excel opens as it should.
 *
 * The output is UTF-8 with a byte order mark (without it Excel reads the
 * file in the system's ANSI code page: GBK on a Chinese Windows, which
 * garbles every character), rows end in CRLF, and fields follow RFC 4180:
 * a field holding a comma, a double quote, CR or LF, or starting or ending
 * with a blank, is enclosed in double quotes with its quotes doubled.
 *
 * Formula injection (CWE-1236): a text cell that starts with =, +, -, @,
 * TAB or CR would be run as a formula by a spreadsheet, so it is written
 * with a leading apostrophe ("'=1+1"), which shows the text as typed.
 * Numbers are the one exception: csv_number() writes a plain decimal
 * ("-12.50") unchanged, because it can be nothing but a number, and
 * anything else handed to it is written as neutralised text.
 *
 * The writer appends to a buf the caller owns; it holds nothing itself.
 */
#ifndef BIAOGAN_CSV_H
#define BIAOGAN_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define CSV_BOM "\xEF\xBB\xBF"

struct csv {
	struct buf *out; /* borrowed */
	size_t fields;   /* in the current row */
};

/* Starts the file: writes the BOM to out. */
void csv_init(struct csv *w, struct buf *out);
/* One text field (NULL is an empty field). */
void csv_field(struct csv *w, const char *s);
void csv_field_n(struct csv *w, const char *s, size_t len);
/* A number: written as is when s is an optional '-', digits and an optional
 * '.' with digits; otherwise as csv_field would write it. */
void csv_number(struct csv *w, const char *s);
void csv_int(struct csv *w, long long v);
/* Ends the row with CRLF. */
void csv_end_row(struct csv *w);

/* True when a spreadsheet would take text beginning like s for a formula. */
bool csv_needs_neutralising(const char *s, size_t len);
/* True when s is a plain decimal as csv_number accepts it. */
bool csv_is_decimal(const char *s);

#endif
