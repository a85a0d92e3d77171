/* libFuzzer target for the audit anchor line parser of src/core/anchor.c.
 *
 * The anchor file is outside the database, where an intruder or a careless
 * editor may have changed it.  Promises checked: a line is accepted only in
 * its one format, and then written back it is the same bytes; the parser
 * never reads past the length given (ASan sees the copy's end).  Any broken
 * promise traps.
 */
#include "core/anchor.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_anchor a;
	/* An exact-size copy: a read past the end is an ASan report. */
	char *line = malloc(size ? size : 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	if (anchor_parse_line(line, size, &a)) {
		struct buf b = BUF_INIT;
		anchor_format(&a, &b);
		CHECK(b.len == size + 1 && !memcmp(b.data, line, size) && b.data[size] == '\n');
		CHECK(a.id >= 0 && strlen(a.hash) == ANCHOR_HASH_HEX && strlen(a.at) == 20);
		buf_release(&b);
	} else {
		CHECK(a.id == 0 && a.hash[0] == '\0');
	}
	free(line);
	return 0;
}
