/* multipart: a streaming parser for multipart/form-data request bodies
 * (RFC 7578 on top of RFC 2046), plus the two helpers that turn an uploaded
 * file's name back into a safe download header.
 *
 * The module owns the byte-level syntax of the body: boundaries, part
 * headers, Content-Disposition parameters and the size limits.  It does not
 * own what the fields mean, the real type of a file (libmagic) or where the
 * bytes go: those belong to the caller's callbacks.
 *
 * Streaming: the caller feeds chunks of any size, exactly as they come from
 * FCGX_GetStr; the parser keeps only the current part's headers and at most
 * one boundary's worth of state, so a 20 MiB file is never held in memory.
 *
 *   char b[MP_BOUNDARY_MAX + 1];
 *   if (mp_boundary(content_type, b, sizeof b) != MP_OK) ... 415/400
 *   struct mp_parser *p = mp_parser_new(b, &limits, &callbacks, ctx);
 *   while ((n = FCGX_GetStr(chunk, sizeof chunk, in)) > 0)
 *           if ((e = mp_feed(p, chunk, n)) != MP_OK) break;
 *   if (e == MP_OK) e = mp_finish(p);
 *   mp_parser_free(p);
 *
 * Errors are sticky: after one, mp_feed and mp_finish return it again and
 * no callback runs any more.  A part that had begun but not ended when the
 * error struck gets no part_end: the caller's own cleanup discards it.
 */
#ifndef BIAOGAN_MULTIPART_H
#define BIAOGAN_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* RFC 2046 5.1.1: a boundary is 1 to 70 characters. */
#define MP_BOUNDARY_MAX 70

enum mp_err {
	MP_OK = 0,
	MP_ERR_CONTENT_TYPE,      /* the request is not multipart/form-data */
	MP_ERR_BOUNDARY,          /* boundary parameter missing, empty, too long or with bad characters */
	MP_ERR_PREAMBLE,          /* the body does not start with the boundary */
	MP_ERR_BOUNDARY_LINE,     /* a boundary followed by something other than CRLF or "--" */
	MP_ERR_CRLF,              /* a part header line ended by bare LF or bare CR */
	MP_ERR_HEADER_SYNTAX,     /* header line without colon, bad name or value, folded line */
	MP_ERR_HEADER_DUPLICATE,  /* Content-Disposition or Content-Type given twice */
	MP_ERR_HEADER_TOO_LONG,   /* a part's headers exceed max_header_bytes */
	MP_ERR_NO_DISPOSITION,    /* a part without Content-Disposition */
	MP_ERR_DISPOSITION,       /* not "form-data", or malformed/duplicated parameters */
	MP_ERR_NO_NAME,           /* no name parameter, or an empty one */
	MP_ERR_NAME_INVALID,      /* name is not valid UTF-8 or has control characters */
	MP_ERR_FILENAME_INVALID,  /* filename not valid UTF-8, control characters, bad filename* */
	MP_ERR_NUL_BYTE,          /* a NUL byte in the part headers, a name or a filename */
	MP_ERR_FILENAME_TOO_LONG, /* filename longer than max_filename_bytes */
	MP_ERR_TOO_MANY_PARTS,    /* more than max_parts parts */
	MP_ERR_FIELD_TOO_LARGE,   /* a non-file field longer than max_field_bytes */
	MP_ERR_FILE_TOO_LARGE,    /* a file longer than max_file_bytes */
	MP_ERR_TOTAL_TOO_LARGE,   /* the body is longer than max_total_bytes */
	MP_ERR_TRUNCATED,         /* the body ended before the closing boundary */
	MP_ERR_CALLBACK,          /* a callback returned non-zero; its owner knows why */
	MP_ERR_COUNT_             /* number of codes, not a code */
};

/* All limits are in bytes and all are enforced; 0 means "nothing allowed"
 * (there is no "unlimited").  A value exactly at the limit is accepted. */
struct mp_limits {
	size_t max_parts;          /* parts (fields and files together) */
	size_t max_header_bytes;   /* a part's header lines with their CRLFs and the blank
	                              line; also bounds any preamble before the first boundary */
	size_t max_field_bytes;    /* value of a part without a filename */
	size_t max_file_bytes;     /* content of each part with a filename */
	size_t max_total_bytes;    /* everything fed to the parser */
	size_t max_filename_bytes; /* decoded filename, UTF-8 bytes */
};

/* A part, as its headers announced it.  All strings are NUL-terminated and
 * owned by the parser; they stay valid from part_begin until part_end
 * returns, so copy what must outlive the part. */
struct mp_part {
	size_t index;             /* 0 for the first part */
	const char *name;         /* valid UTF-8, non-empty, no control characters */
	const char *filename;     /* NULL for a plain field; "" when a browser sent an
	                             empty file input; else valid UTF-8 as the client sent
	                             it (may contain a path: use mp_safe_filename) */
	/* Neither is percent-decoded: browsers write '"' as %22 and CR LF as
	 * %0D%0A there (HTML standard), but a real name may hold "%22" too. */
	const char *content_type; /* the part's Content-Type value, NULL if absent; the
	                             client's claim only, never proof of the real type */
	size_t size;              /* data bytes passed to part_data so far */
};

/* Each callback may be NULL.  A non-zero return stops the parser with
 * MP_ERR_CALLBACK.  part_data gets the part's content in pieces of any size
 * (possibly many small ones around CR bytes); data points into the caller's
 * chunk or into the parser and is valid only during the call. */
struct mp_callbacks {
	int (*part_begin)(void *ctx, const struct mp_part *part);
	int (*part_data)(void *ctx, const struct mp_part *part, const char *data, size_t len);
	int (*part_end)(void *ctx, const struct mp_part *part);
};

struct mp_parser;

/* Extracts the boundary from a Content-Type header value such as
 * `multipart/form-data; boundary="abc"` into out (outsz must be at least
 * MP_BOUNDARY_MAX + 1).  Quoted or not; other parameters are allowed.
 * Returns MP_ERR_CONTENT_TYPE if the type is not multipart/form-data,
 * MP_ERR_BOUNDARY if the parameter is missing, duplicated or invalid. */
enum mp_err mp_boundary(const char *content_type, char *out, size_t outsz);

/* True if b is 1 to 70 RFC 2046 bchars, not ending in a space. */
bool mp_boundary_valid(const char *b, size_t len);

/* A parser for one body.  boundary must satisfy mp_boundary_valid (a caller
 * bug otherwise: it aborts); limits and callbacks are copied; ctx is passed
 * through to the callbacks.  Free with mp_parser_free. */
struct mp_parser *mp_parser_new(const char *boundary, const struct mp_limits *limits,
                                const struct mp_callbacks *callbacks, void *ctx);
void mp_parser_free(struct mp_parser *p);

/* Feeds the next len bytes of the body. */
enum mp_err mp_feed(struct mp_parser *p, const char *data, size_t len);
/* Declares the end of the body: MP_ERR_TRUNCATED unless the closing
 * boundary was seen.  Bytes after it (the epilogue) are ignored. */
enum mp_err mp_finish(struct mp_parser *p);
/* The part being read when the parser stopped, or NULL; for messages such
 * as "file X is too large".  Valid until mp_parser_free. */
const struct mp_part *mp_parser_part(const struct mp_parser *p);
/* Number of parts begun so far. */
size_t mp_parser_parts(const struct mp_parser *p);

/* A user-facing message in Chinese, e.g. "上传文件超过大小限制". */
const char *mp_strerror(enum mp_err e);
/* A short ASCII name such as "MP_ERR_TRUNCATED", for logs and tests. */
const char *mp_errname(enum mp_err e);
/* The HTTP status that fits: 400 syntax, 413 a limit, 415 content type,
 * 500 for MP_ERR_CALLBACK (its owner should answer with its own status). */
int mp_http_status(enum mp_err e);

/* A safe name for a file the system hands back: only the last path
 * component (after '/' or '\'), no control or bidirectional-override
 * characters, no invalid UTF-8, Windows-reserved characters <>:"|?* made
 * '_', no leading or trailing dots and spaces, no Windows device names,
 * at most max_bytes bytes (cut on a character boundary, keeping a short
 * extension), never empty ("file").  Chinese and other text is kept.
 * max_bytes must be at least 32.  Returns a malloc'ed string; free() it. */
char *mp_safe_filename(const char *name, size_t max_bytes);

/* Appends to out a Content-Disposition header value for a download of a
 * file called name (any string: it is passed through mp_safe_filename):
 *   attachment; filename="ascii-fallback"; filename*=UTF-8''percent-encoded
 * (RFC 6266, RFC 8187).  The fallback holds only printable ASCII without
 * '"', '\' and '%', for clients that ignore filename*. */
void mp_content_disposition(struct buf *out, const char *name);

#endif
