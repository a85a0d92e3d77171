/* buf: a growable byte buffer (after git's strbuf).
 *
 * Invariants, true after every call:
 *   - b->data is never NULL and b->data[b->len] == '\0';
 *   - b->len < b->cap unless b->data points at the shared empty string.
 * A buf owns its data.  buf_release() frees it and resets to empty;
 * buf_detach() hands the data to the caller (free() it) and resets.
 * Allocation failure aborts: a worker with no memory cannot answer anyway.
 */
#ifndef BIAOGAN_BUF_H
#define BIAOGAN_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

extern char buf_empty_[];
#define BUF_INIT { buf_empty_, 0, 0 }

/* The number of elements of an array (not of a pointer). */
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void buf_init(struct buf *b);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
void buf_truncate(struct buf *b, size_t len);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hex of len bytes, lower case. */
void buf_addhex(struct buf *b, const unsigned char *bytes, size_t len);

/* A malloc'ed copy of s; aborts on allocation failure. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

#endif
