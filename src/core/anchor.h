/* anchor: the audit chain's head kept outside the database.
 *
 * The chain (core/audit.h) shows an edited or deleted row, but whoever can
 * write to the database and drop its triggers could also recompute every
 * hash after the row they changed.  An anchor is the chain's head (the last
 * row's id and hash, and the time) written where the database's users
 * cannot write: appended to a file only root may append to (config
 * audit_anchor_file; make it append-only with chattr +a) and to the system
 * log (syslog, facility authpriv).  `biaogan-admin audit anchor` writes one
 * (daily, from a systemd timer) and `audit verify` checks the chain against
 * every anchor, then writes one.  A rebuilt chain no longer passes through
 * the anchored (id, hash) pairs; a dropped tail no longer reaches them.
 *
 * One line per anchor, ASCII:  2026-12-02T15:04:13Z id=123 hash=<64 hex>
 * The parser takes exactly that (it reads a file someone may have edited:
 * fuzzed by tests/fuzz/fuzz_anchor.c).
 */
#ifndef BIAOGAN_ANCHOR_H
#define BIAOGAN_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define ANCHOR_HASH_HEX 64
#define ANCHOR_LINE_MAX 128

struct audit_anchor {
	char at[21];                     /* "2026-12-02T15:04:13Z", UTC */
	long long id;                    /* the last row's id; 0: an empty chain */
	char hash[ANCHOR_HASH_HEX + 1];  /* its hash (64 zeros for an empty chain) */
};

/* One line (without its newline) into *out; false when it is not exactly
 * the format above (nothing else is accepted: no spaces around, lower-case
 * hex, an id of 1 to 18 digits without leading zeros but "0"). */
bool anchor_parse_line(const char *line, size_t len, struct audit_anchor *out);
/* The line of a, with its newline. */
void anchor_format(const struct audit_anchor *a, struct buf *out);

/* Every anchor of the file at path, in file order, into *out (the caller
 * frees it with free()); a missing file is no anchors.  Returns 0, or -1
 * when the file cannot be read or a line is malformed (*bad_line: its
 * number, 0 for a read error); *out is then NULL. */
int anchor_read(const char *path, struct audit_anchor **out, size_t *n, size_t *bad_line);
/* Appends a's line to path (created 0600; never follows a symlink), synced
 * to disk, and sends it to syslog.  Returns 0 or -1 (logged). */
int anchor_append(const char *path, const struct audit_anchor *a);

#endif
