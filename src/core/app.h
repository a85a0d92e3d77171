/* app: the front line every FastCGI program shares.
 *
 * A program declares its pages as a table (path, methods, roles, flags,
 * handler) and calls app_run().  For each request, in this order: parse and
 * bound the request; find the page (404) and check the method (405); make
 * sure the database is there (503 page, reconnect next time); load the
 * session; no session → redirect to the login page; wrong role → 403; a
 * forced password change → redirect to the change page; POST without the
 * session's CSRF token → 403 (a multipart body's token: by the handler's
 * mpform_read, before any file is read); then the handler.  The role's 403
 * and the CSRF 403 are audit records (refused.role, refused.csrf), as is
 * every refusal a handler reports with app_refuse.  The handler fills
 * ctx->data and calls app_render / app_redirect / app_fail; the response is
 * sent whole.  Everything the request owned is released before the next.
 * A request's failure never ends the worker.
 */
#ifndef BIAOGAN_APP_H
#define BIAOGAN_APP_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/request.h"
#include "core/pagecache.h"
#include "core/response.h"
#include "core/session.h"

enum page_flags {
	PAGE_PUBLIC = 1,          /* no session needed (login page, public lists) */
	PAGE_DURING_FORCED = 2,   /* reachable while a password change is forced */
	PAGE_NO_CSRF = 4,         /* POST without a session (the login form itself) */
	PAGE_MULTIPART = 8,       /* a form with file inputs: the body may be multipart, left
	                             unread for the handler, which reads it with mpform_read
	                             (core/mpform.h) before changing anything; the CSRF token
	                             is the body's first part, never in the URL.  A urlencoded
	                             body is taken too, and checked here as usual */
	PAGE_DURING_MFA = 16,     /* reachable while the login's second factor is due
	                             (session.mfa_state): /login/totp and logout only */
	PAGE_CACHED = 32,         /* a public page whose answer to a visitor without a
	                             session is kept by the worker (core/pagecache.h says
	                             what such a page may depend on); app_caching() tells
	                             the handler, app_cache_fill() its per-visitor parts */
};

struct ctx;
/* A handler returns 0 when it has produced the response, or a db_status
 * (DB_UNAVAILABLE → 503 page; other errors → 500 page). */
typedef int (*page_handler)(struct ctx *c);

struct page {
	const char *path;  /* after the program prefix: "" for the index, "users/new" */
	unsigned methods;  /* METHOD_GET | METHOD_POST */
	unsigned roles;    /* ROLE_* mask; ignored for PAGE_PUBLIC */
	unsigned flags;
	page_handler handler;
};

/* A refusal of this request, written to the audit log before the answer
 * goes out (app_refuse, app_note_refusal; core/audit.h audit_refusal). */
struct refusal {
	const char *action;      /* NULL: none; a string literal ("refused.object") */
	const char *object_type; /* a string literal or NULL */
	long long object_id;     /* 0: none */
	struct buf detail;       /* the summary after "GET /route：" */
};

struct ctx {
	struct request req;
	struct response resp;
	struct session sess;
	struct user user;    /* id 0 when not logged in */
	struct actor actor;  /* for audit records: filled from user and request */
	json_object *data;   /* the template data; owned by the ctx */
	const struct page *page;
	const char *prefix;  /* "/admin" */
	bool csrf_pending;   /* a multipart POST whose token mpform_read has not checked yet */
	bool caching;        /* this answer is made to be kept (PAGE_CACHED) */
	pagecache_fill fill; /* its per-visitor parts, or NULL */
	struct refusal refusal;
};

struct program {
	const char *name;   /* "admin": the log tag */
	const char *prefix; /* "/admin" */
	const struct page *pages;
	size_t n_pages;
};

/* The accept loop; returns only at shutdown or on a start-up failure. */
int app_run(const struct program *prog);
/* Handle one request with the given I/O (the accept loop and tests). */
void app_handle(const struct program *prog, param_lookup lookup, void *lookup_ctx,
		body_reader reader, void *reader_ctx, resp_writer writer, void *writer_ctx);

/* Render template name into the layout with title, status 200 unless set. */
int app_render(struct ctx *c, int status, const char *tmpl, const char *title);
int app_redirect(struct ctx *c, const char *local_path);
/* The same with the path made by printf (the ids of a PRG's target). */
int app_redirectf(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True while a PAGE_CACHED handler makes the copy to keep: whatever must
 * differ per visitor goes in as a pagecache_marker, and app_cache_fill
 * names the function that fills it into every answer (this one too). */
bool app_caching(const struct ctx *c);
void app_cache_fill(struct ctx *c, pagecache_fill fill);
/* An error page with a message (4xx for the user's mistakes). */
int app_fail(struct ctx *c, int status, const char *message);

/* The health check every program serves as "<prefix>/health" (its page
 * table's row APP_HEALTH_PAGE): 200 "ok" in plain text when this program's
 * worker can read the database and its schema, else the 503 page, for a
 * load balancer or a monitor to poll without a session (docs/operations.md). */
int app_page_health(struct ctx *c);
#define APP_HEALTH_PAGE                                                                        \
	{ "health", METHOD_GET, 0, PAGE_PUBLIC | PAGE_DURING_FORCED | PAGE_DURING_MFA,          \
	  app_page_health }
/* A refusal: the error page (app_fail) and an audit record of the refusal,
 * written in its own transaction whatever becomes of the request's (action
 * "refused.role", "refused.object", ...; object_type NULL or a literal such
 * as "application", object_id 0 for none; detail says why, in Chinese, for
 * the audit record, not for the user).  Returns 0 like app_fail. */
int app_refuse(struct ctx *c, int status, const char *action, const char *object_type,
	       long long object_id, const char *detail, const char *message);
/* Only the audit record, for a handler that renders its own answer. */
void app_note_refusal(struct ctx *c, const char *action, const char *object_type,
		      long long object_id, const char *detail);
/* A list's pager for a template: "page", and "prev" / "next" (the page
 * numbers) when there is one.  The caller owns it (app_set takes it). */
json_object *app_pager(long long page, bool more);
/* Convenience: set key in ctx->data (takes ownership of v). */
void app_set(struct ctx *c, const char *key, json_object *v);
void app_set_str(struct ctx *c, const char *key, const char *v);
/* A flash-like notice shown once on the next page: "?ok=<code>" maps
 * through the program's own text; kept simple on purpose. */

#endif
