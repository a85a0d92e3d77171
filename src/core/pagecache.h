/* pagecache: a worker's copies of the public pages as answered to visitors
 * without a session, so that when a publicity or an annual list goes up and
 * everyone loads it at once, an answer costs one primary-key read (the
 * public change counter, core/counter.h) and a copy, not its queries and
 * its rendering.
 *
 * A page opts in with PAGE_CACHED (core/app.h).  Its answer to a GET or HEAD
 * without a session cookie must then depend only on the Host header and the
 * URI, on tables whose every change bumps COUNTER_PUBLIC (triggers,
 * sql/027_change_counters.sql), and on the date (the minute, to be safe).
 * An entry serves while the counter and the minute are those it was made
 * under: a change on the admin side shows on the next request.  What must
 * differ per visitor (the objection form's single-use question) is left in
 * the copy as a marker (pagecache_marker) and filled into each answer by
 * the page's fill function.
 *
 * Only complete 200 answers without Set-Cookie are kept.  Bounded:
 * PAGECACHE_SLOTS entries of at most PAGECACHE_MAX_BODY bytes each, the
 * least recently used replaced; the copies are the cache's own.
 */
#ifndef BIAOGAN_PAGECACHE_H
#define BIAOGAN_PAGECACHE_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/response.h"

#define PAGECACHE_SLOTS 16
#define PAGECACHE_MAX_BODY (128 * 1024) /* at most 2 MiB in all: a worker stays small */

struct pagecache_key {
	const char *host; /* the Host header ("" when absent) */
	const char *uri;  /* path and query as requested */
	long long counter;
	long long minute; /* Unix time / 60 */
};

/* Makes one answer's per-visitor parts from the kept copy in body (markers
 * replaced).  Returns a db_status (core/db.h). */
typedef int (*pagecache_fill)(struct buf *body);

/* When key has a fresh entry: appends its headers to r->headers, replaces
 * r's body with its body, sets r's status, *fill to its fill function (may
 * be NULL; the caller runs it on r's body) and returns true. */
bool pagecache_get(const struct pagecache_key *key, struct response *r, pagecache_fill *fill);
/* Keeps r (its headers from byte headers_from on: those the page added)
 * for key, when it is a 200 with a body in memory, no Set-Cookie and not
 * too big.  fill: as above (NULL: the copy is the answer). */
void pagecache_put(const struct pagecache_key *key, const struct response *r, size_t headers_from,
		   pagecache_fill fill);
/* Frees every entry (tests, shutdown). */
void pagecache_clear(void);

/* A marker for a per-visitor value: "bgfill-<random hex>-<name>", random
 * per process so that no text a visitor typed can look like one.  name:
 * [a-z]+, at most 16 characters.  The string is static. */
const char *pagecache_marker(const char *name);
/* Replaces every marker in body by text, HTML-escaped. */
void pagecache_fill_marker(struct buf *body, const char *marker, const char *text);

#endif
