/* request: what one HTTP request brought, parsed and bounded.
 *
 * Owns the CGI variables it copied (never pointers into FastCGI parameters,
 * which FCGX_Finish_r frees), the query, cookie and urlencoded-body fields.
 * All field names and values are valid UTF-8 without NUL bytes once parsed;
 * anything else is refused as a whole with a parse status, before any
 * handler sees it.  request_release() frees everything the request owns.
 */
#ifndef BIAOGAN_REQUEST_H
#define BIAOGAN_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct field {
	char *name;
	char *value;
	size_t len; /* of value, in bytes */
};

struct fields {
	struct field *v;
	size_t n;
};

struct limits {
	size_t max_body;        /* bytes of a urlencoded body */
	size_t max_fields;      /* fields per source (query, body, cookies) */
	size_t max_field_bytes; /* bytes per decoded value */
};

enum parse_status {
	PARSE_OK = 0,
	PARSE_TOO_LARGE,     /* body over max_body: 413 */
	PARSE_TOO_MANY,      /* too many fields: 400 */
	PARSE_FIELD_TOO_LONG,/* a value over max_field_bytes: 400 */
	PARSE_BAD_ENCODING,  /* broken %-escape: 400 */
	PARSE_BAD_UTF8,      /* invalid UTF-8 or a NUL byte: 400 */
	PARSE_BAD_TYPE,      /* a body of a type this program does not take: 415 */
	PARSE_IO,            /* the body ended early: 400 */
};

enum method { METHOD_OTHER = 0, METHOD_GET = 1, METHOD_POST = 2, METHOD_HEAD = 4 };

/* Reads up to len bytes of the body; returns bytes read, 0 at the end, -1 on error. */
typedef ssize_t (*body_reader)(void *ctx, char *dst, size_t len);

struct request {
	enum method method;
	char *path;         /* the URI path without query, not decoded */
	char *uri;          /* path and query as requested (for a return address) */
	char *remote_addr;
	char *content_type;
	/* Headers a browser sends about where a request comes from (NULL when
	 * absent): Host, Origin, Sec-Fetch-Site (core/presession.h). */
	char *host;
	char *origin;
	char *fetch_site;
	char *user_agent; /* User-Agent, shown on the online-users page */
	long long content_length; /* -1 when absent */
	char request_id[17];
	struct fields query;
	struct fields form;  /* urlencoded POST body */
	struct fields cookies;
	enum parse_status status;
	body_reader read_body; /* left for streaming parsers (multipart) */
	void *read_ctx;
};

void limits_from_config(struct limits *lim);

/* Parse "a=1&b=%E4%B8%AD" (also '+' as space) into out.  out is released
 * first.  On failure out is left empty. */
enum parse_status urlencoded_parse(struct fields *out, const char *s, size_t len,
				   const struct limits *lim);
/* Parse a Cookie header ("a=1; b=2").  Values are taken literally. */
enum parse_status cookies_parse(struct fields *out, const char *header, const struct limits *lim);
/* The first value of name, or NULL. */
const char *fields_get(const struct fields *f, const char *name);
void fields_release(struct fields *f);

/* Fill req from CGI variables (getenv-like lookup) and, for a urlencoded
 * POST, its body.  A multipart body is left unread for the caller.
 * Returns req->status. */
typedef const char *(*param_lookup)(void *ctx, const char *name);
enum parse_status request_parse(struct request *req, param_lookup lookup, void *lookup_ctx,
				body_reader reader, void *reader_ctx, const struct limits *lim);
void request_release(struct request *req);

/* True when the body is application/x-www-form-urlencoded. */
bool request_is_urlencoded(const struct request *req);
/* True when the body is multipart/form-data. */
bool request_is_multipart(const struct request *req);

/* Value of a POST field, else a query field, else NULL. */
const char *request_param(const struct request *req, const char *name);
/* HTTP status and Chinese message for a parse failure. */
int parse_status_http(enum parse_status st);
const char *parse_status_message(enum parse_status st);

#endif
