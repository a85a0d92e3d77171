/* libFuzzer target for the CSV reader of src/core/csv_read.c.
 *
 * The input is a file as uploaded: csv_decode turns it into UTF-8 text (or
 * refuses it), and csv_parse reads that text and, separately, the raw bytes.
 * The promises of csv_read.h are checked: decoded text is valid UTF-8 with
 * no BOM; a parsed table has at least one field per record, records in
 * strictly increasing line order, fields within the limits; written back
 * with every field quoted and read again it gives the same fields; a
 * refusal leaves the table empty and says where.  Any broken promise traps.
 */
#include "core/csv_read.h"

#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const struct csv_limits LIM = { 200, 16, 512 };

/* Every field quoted, quotes doubled, records ended by CRLF. */
static void write_back(const struct csv_table *t, struct buf *out)
{
	for (size_t r = 0; r < t->n; r++) {
		for (size_t f = 0; f < t->rec[r].n; f++) {
			if (f)
				buf_addc(out, ',');
			buf_addc(out, '"');
			for (const char *p = t->rec[r].field[f]; *p; p++) {
				if (*p == '"')
					buf_addc(out, '"');
				buf_addc(out, *p);
			}
			buf_addc(out, '"');
		}
		buf_add(out, "\r\n", 2);
	}
}

static void check_table(const char *text, size_t len)
{
	struct csv_table t = CSV_TABLE_INIT, again = CSV_TABLE_INIT;
	struct csv_error err;
	struct buf back = BUF_INIT;
	if (csv_parse(text, len, &LIM, &t, &err)) {
		CHECK(err.code != CSV_OK && err.line >= 1);
		CHECK(t.n == 0 && t.rec == NULL);
		CHECK(strlen(csv_strerror(err.code)) > 0);
		return;
	}
	CHECK(len == 0 || t.n >= 1);
	for (size_t r = 0; r < t.n; r++) {
		CHECK(t.rec[r].n >= 1 && t.rec[r].n <= LIM.max_fields);
		CHECK(r == 0 ? t.rec[r].line == 1 : t.rec[r].line > t.rec[r - 1].line);
		for (size_t f = 0; f < t.rec[r].n; f++) {
			size_t n = strlen(t.rec[r].field[f]);
			CHECK(n <= LIM.max_field_bytes);
			CHECK(!memchr(t.rec[r].field[f], '\r', n));
		}
	}
	write_back(&t, &back);
	CHECK(csv_parse(back.data, back.len, &LIM, &again, &err) == 0);
	CHECK(again.n == t.n);
	for (size_t r = 0; r < t.n; r++) {
		CHECK(again.rec[r].n == t.rec[r].n);
		CHECK(csv_record_blank(&again.rec[r]) == csv_record_blank(&t.rec[r]));
		for (size_t f = 0; f < t.rec[r].n; f++)
			CHECK(!strcmp(again.rec[r].field[f], t.rec[r].field[f]));
	}
	csv_table_release(&again);
	csv_table_release(&t);
	buf_release(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf text = BUF_INIT;
	enum csv_charset cs;
	enum csv_decode_status st = csv_decode((const char *)data, size, &text, &cs);
	if (st == CSV_DECODE_OK) {
		CHECK(utf8_valid(text.data, text.len));
		CHECK(cs != CSV_CHARSET_UTF8_BOM ||
		      (size >= 3 && text.len == size - 3 && !memcmp(text.data, data + 3, size - 3)));
		CHECK(cs != CSV_CHARSET_UTF8 || (text.len == size && !memcmp(text.data, data, size)));
		check_table(text.data, text.len);
	} else {
		CHECK(text.len == 0);
		CHECK(strlen(csv_decode_message(st)) > 0);
	}
	buf_release(&text);
	/* The parser on any bytes, as they came. */
	check_table((const char *)data, size);
	return 0;
}
