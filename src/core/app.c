#include "core/app.h"

#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/counter.h"
#include "core/db.h"
#include "core/html.h"
#include "core/log.h"
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "core/banned.h"

/* The navigation of each role, in one place.  section: the part of the
 * site the item leads to (see sections below). */
static const struct nav_item {
	unsigned roles;
	const char *href;
	const char *label;
	const char *section;
} nav_items[] = {
	{ ROLES_ANY, "/home", "首页", "home" },
	{ ROLE_PROVINCE, "/admin/rounds", "年度遴选", "rounds" },
	{ ROLE_PROVINCE, "/admin/users", "账户管理", "users" },
	{ ROLE_PROVINCE, "/admin/calendar", "工作日历", "calendar" },
	{ ROLE_PROVINCE | ROLE_SUPERVISOR, "/admin/audit", "审计日志", "audit" },
	{ ROLE_ENTERPRISE, "/apply", "企业申报", "apply" },
	{ ROLE_CITY | ROLE_PROVINCE, "/apply/city", "企业申报", "apply" },
	{ ROLE_CITY, "/recommend", "审核推荐", "recommend" },
	{ ROLE_PROVINCE, "/recommend/province", "市（地）推荐", "recommend" },
	{ ROLE_PROVINCE | ROLE_SUPERVISOR, "/draw", "专家抽取", "draw" },
	{ ROLE_PROVINCE | ROLE_SUPERVISOR, "/review", "材料评审", "review" },
	{ ROLE_EXPERT, "/review", "评审任务", "review" },
	{ ROLE_PROVINCE, "/publicity", "公示与异议", "publicity" },
	{ ROLE_PROVINCE, "/publish", "审议与发布", "publish" },
	{ ROLE_PROVINCE | ROLE_SUPERVISOR, "/manage", "动态管理", "manage" },
	{ ROLE_PROVINCE, "/experts", "专家库", "experts" },
	{ ROLE_PROVINCE, "/home/dashboard", "统计", "dashboard" },
	{ ROLES_ANY, "/home/help", "使用说明", "help" },
	{ ROLES_ANY, "/login/password", "修改密码", "password" },
};

/* Which section a request path belongs to, in one place for every program:
 * the longest prefix that matches whole path segments decides ("/admin/user"
 * is not a prefix of "/admin/users"); exact entries match only themselves.
 * The navigation marks exactly the item of that section (aria-current). */
static const struct section_prefix {
	const char *prefix;
	bool exact;
	const char *section;
} sections[] = {
	{ "/home", false, "home" },
	{ "/home/help", false, "help" },
	{ "/home/dashboard", false, "dashboard" },
	{ "/home/measures", false, "help" },
	{ "/admin", true, "home" }, /* the administrator's index of links */
	{ "/admin/rounds", false, "rounds" },
	{ "/admin/round", false, "rounds" },
	{ "/admin/users", false, "users" },
	{ "/admin/user", false, "users" },
	{ "/admin/uscc", false, "users" }, /* reached from the account list */
	{ "/admin/sessions", false, "users" }, /* the accounts' live sessions */
	{ "/admin/calendar", false, "calendar" },
	{ "/admin/audit", false, "audit" },
	{ "/apply", false, "apply" },
	{ "/files", false, "apply" },
	/* The city's and the province's items: each role sees only its own. */
	{ "/recommend", false, "recommend" },
	{ "/draw", false, "draw" },
	{ "/draw/mine", false, "review" }, /* the expert's assignments, also in 评审任务 */
	{ "/review", false, "review" },
	{ "/experts", false, "experts" },
	{ "/publicity", false, "publicity" },
	{ "/publish", false, "publish" },
	{ "/manage", false, "manage" },
	{ "/login/password", false, "password" },
	{ "/login/totp", false, "password" }, /* reached from 修改密码 */
};

/* The section of path, or NULL (the login and logout pages, unknown paths). */
static const char *path_section(const char *path)
{
	const char *best = NULL;
	size_t best_len = 0;
	if (!path)
		return NULL;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		size_t n = strlen(sections[i].prefix);
		size_t pl = strlen(path);
		while (pl > n && path[pl - 1] == '/')
			pl--; /* "/admin/" is "/admin" */
		if (strncmp(path, sections[i].prefix, n) ||
		    (sections[i].exact ? pl != n : path[n] != '\0' && path[n] != '/'))
			continue;
		if (n > best_len) {
			best = sections[i].section;
			best_len = n;
		}
	}
	return best;
}

void app_set(struct ctx *c, const char *key, json_object *v)
{
	json_object_object_add(c->data, key, v);
}

void app_set_str(struct ctx *c, const char *key, const char *v)
{
	app_set(c, key, v ? json_object_new_string(v) : NULL);
}

static json_object *user_json(const struct ctx *c)
{
	json_object *u;
	if (c->user.id <= 0)
		return NULL;
	u = json_object_new_object();
	json_object_object_add(u, "id", json_object_new_int64(c->user.id));
	json_object_object_add(u, "login", json_object_new_string(c->user.login));
	json_object_object_add(u, "display_name", json_object_new_string(c->user.display_name));
	json_object_object_add(u, "role", json_object_new_string(role_name(c->user.role)));
	json_object_object_add(u, "role_label", json_object_new_string(role_label(c->user.role)));
	json_object_object_add(u, "city_code", json_object_new_string(c->user.city_code));
	json_object_object_add(u, "city_name", json_object_new_string(c->user.city_name));
	if (c->sess.prev_login_at[0]) {
		json_object_object_add(u, "prev_login_at",
				       json_object_new_string(c->sess.prev_login_at));
		json_object_object_add(u, "prev_login_ip",
				       json_object_new_string(c->sess.prev_login_ip));
	}
	return u;
}

static json_object *nav_json(const struct ctx *c)
{
	json_object *a = json_object_new_array();
	const char *section = path_section(c->req.path);
	if (c->user.id <= 0 || c->user.must_change_password || c->sess.mfa_state)
		return a;
	for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++) {
		json_object *o;
		if (!(nav_items[i].roles & (unsigned)c->user.role))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "href", json_object_new_string(nav_items[i].href));
		json_object_object_add(o, "label", json_object_new_string(nav_items[i].label));
		/* Always set, true or false: a missing key would be looked up in the
		 * enclosing scopes of the template (the layout's {{#nav.0}} is the
		 * first item, which made every item look current on /home). */
		json_object_object_add(o, "current",
				       json_object_new_boolean(section &&
							       !strcmp(section, nav_items[i].section)));
		json_object_array_add(a, o);
	}
	return a;
}

/* The Chinese heading of an error page; the status line itself stays the
 * standard English reason phrase (status_text). */
static const char *status_title(int status)
{
	switch (status) {
	case 400: return "请求有误";
	case 401: return "需要登录";
	case 403: return "无权访问";
	case 404: return "页面不存在";
	case 405: return "不支持此请求方式";
	case 409: return "操作未能完成";
	case 413: return "提交的内容过大";
	case 415: return "不支持的提交格式";
	case 422: return "提交的内容有误";
	case 423: return "账户已锁定";
	case 429: return "请求过于频繁";
	case 500: return "系统内部错误";
	case 502: return "系统暂时无法访问";
	case 503: return "系统暂时无法使用";
	case 504: return "系统响应超时";
	default: return "出错了";
	}
}

/* The error page must work with no database and even with broken templates. */
static void render_plain_error(struct ctx *c, int status, const char *message)
{
	buf_reset(&c->resp.body);
	c->resp.status = status;
	/* The site's header without the navigation, as on the static error
	 * pages of the web server (htdocs/static/error-*.html). */
	buf_adds(&c->resp.body, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
				"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
				"<title>黑龙江省质量标杆遴选管理系统</title>"
				"<link rel=\"icon\" href=\"/static/favicon.png\" type=\"image/png\">"
				"<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>"
				"<header class=\"site\"><div class=\"brand\"><a href=\"/home\">"
				"黑龙江省质量标杆遴选管理系统</a></div></header>"
				"<main id=\"main\"><section class=\"error\"><h1>");
	html_escape(&c->resp.body, status_title(status), strlen(status_title(status)));
	buf_adds(&c->resp.body, "</h1><p class=\"message\">");
	html_escape(&c->resp.body, message, strlen(message));
	buf_adds(&c->resp.body, "</p></section></main></body></html>");
}

int app_render(struct ctx *c, int status, const char *tmpl, const char *title)
{
	struct buf body = BUF_INIT, err = BUF_INIT;
	int rc;
	app_set_str(c, "title", title);
	app_set(c, "user", user_json(c));
	app_set(c, "nav", nav_json(c));
	if (c->sess.csrf[0])
		app_set_str(c, "csrf", c->sess.csrf);
	rc = html_render(&body, tmpl, c->data, NULL, &err);
	buf_reset(&c->resp.body);
	if (rc == 0)
		rc = html_render(&c->resp.body, "layout", c->data, body.data, &err);
	if (rc) {
		log_err("template %s: %s", tmpl, err.data);
		render_plain_error(c, 500, "页面模板出错，请联系系统管理员。");
	} else {
		c->resp.status = status;
	}
	buf_release(&body);
	buf_release(&err);
	return 0;
}

int app_redirect(struct ctx *c, const char *local_path)
{
	buf_reset(&c->resp.body);
	resp_redirect(&c->resp, local_path);
	return 0;
}

json_object *app_pager(long long page, bool more)
{
	json_object *pager = json_object_new_object();
	if (page > 1)
		json_object_object_add(pager, "prev", json_object_new_int64(page - 1));
	if (more)
		json_object_object_add(pager, "next", json_object_new_int64(page + 1));
	json_object_object_add(pager, "page", json_object_new_int64(page));
	return pager;
}

int app_redirectf(struct ctx *c, const char *fmt, ...)
{
	struct buf to = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&to, fmt, ap);
	va_end(ap);
	int rc = app_redirect(c, to.data);
	buf_release(&to);
	return rc;
}

int app_fail(struct ctx *c, int status, const char *message)
{
	app_set_str(c, "message", message);
	app_set(c, "status", json_object_new_int(status));
	app_set_str(c, "status_text", status_title(status));
	/* The server's fault: the number that finds the request's log lines. */
	if (status >= 500)
		app_set_str(c, "request_id", c->req.request_id);
	return app_render(c, status, "error", status_title(status));
}

int app_page_health(struct ctx *c)
{
	json_object *row = NULL;
	/* The schema, not only the server: a worker pointed at an empty or
	 * wrong database is not healthy either. */
	int rc = db_query_row(&row, "SELECT COUNT(*) AS n FROM schema_migration", "");
	long long n = db_int(row, "n", 0);
	json_object_put(row);
	if (rc != DB_OK)
		return rc;
	if (!n)
		return app_fail(c, 503, "数据库中没有表结构（尚未运行 biaogan-admin migrate）。");
	if (resp_header(&c->resp, "Content-Type", "text/plain; charset=utf-8"))
		return DB_ERROR;
	buf_reset(&c->resp.body);
	buf_adds(&c->resp.body, "ok\n");
	c->resp.status = 200;
	return DB_OK;
}

void app_note_refusal(struct ctx *c, const char *action, const char *object_type,
		      long long object_id, const char *detail)
{
	c->refusal.action = action;
	c->refusal.object_type = object_type;
	c->refusal.object_id = object_id;
	buf_reset(&c->refusal.detail);
	buf_adds(&c->refusal.detail, detail ? detail : "");
}

int app_refuse(struct ctx *c, int status, const char *action, const char *object_type,
	       long long object_id, const char *detail, const char *message)
{
	app_note_refusal(c, action, object_type, object_id, detail);
	return app_fail(c, status, message);
}

/* The page's route, "/admin/users": the program's prefix and the table's
 * path, never the raw request path (a bounded set of values). */
static void page_route(const struct ctx *c, struct buf *out)
{
	buf_adds(out, c->prefix);
	if (c->page && c->page->path[0]) {
		buf_addc(out, '/');
		buf_adds(out, c->page->path);
	}
}

/* The audit record of a refusal, before the answer goes out (a client that
 * has its answer finds the record), in a transaction of its own. */
static void write_refusal(struct ctx *c)
{
	struct buf route = BUF_INIT, summary = BUF_INIT;
	char oid[24];
	int rc;

	if (!c->refusal.action)
		return;
	page_route(c, &route);
	buf_addf(&summary, "%s %s：%s", c->req.method == METHOD_POST ? "POST" : "GET", route.data,
		 c->refusal.detail.data);
	snprintf(oid, sizeof oid, "%lld", c->refusal.object_id);
	rc = audit_refusal(&c->actor, c->refusal.action, route.data,
			   c->refusal.object_type ? c->refusal.object_type : "route",
			   c->refusal.object_type ? (c->refusal.object_id ? oid : NULL) : route.data,
			   summary.data);
	if (rc != DB_OK)
		log_warn("refusal %s on %s not recorded: %d", c->refusal.action, route.data, rc);
	buf_release(&route);
	buf_release(&summary);
}

static void unavailable(struct ctx *c)
{
	resp_header(&c->resp, "Retry-After", "30");
	app_fail(c, 503, "系统暂时无法连接数据库，请稍后再试。如持续出现，请联系系统管理员。");
}

static const struct page *find_page(const struct program *prog, const char *path, int *status)
{
	size_t plen = strlen(prog->prefix);
	const char *rest;
	size_t rlen;
	*status = 404;
	if (strncmp(path, prog->prefix, plen) || (path[plen] && path[plen] != '/'))
		return NULL;
	rest = path + plen;
	while (*rest == '/')
		rest++;
	rlen = strlen(rest);
	while (rlen && rest[rlen - 1] == '/')
		rlen--;
	for (size_t i = 0; i < prog->n_pages; i++) {
		const struct page *p = &prog->pages[i];
		if (strlen(p->path) == rlen && !strncmp(p->path, rest, rlen))
			return p;
	}
	return NULL;
}

/* To the login form, back here afterwards when this was a GET; the form
 * says why when the session ran out (idle: expired=1, past its lifetime:
 * expired=lifetime). */
static void login_redirect(struct ctx *c, enum session_state state)
{
	struct buf to = BUF_INIT;
	const char *why = state == SESSION_LIFETIME_OVER ? "expired=lifetime"
			  : state == SESSION_EXPIRED	  ? "expired=1"
							  : NULL;
	buf_adds(&to, "/login");
	if (c->req.method == METHOD_GET && c->req.uri) {
		buf_adds(&to, "?next=");
		url_encode(&to, c->req.uri, strlen(c->req.uri));
		if (why)
			buf_addf(&to, "&%s", why);
	} else if (why) {
		buf_addf(&to, "?%s", why);
	}
	app_redirect(c, to.data);
	buf_release(&to);
}

/* The front line: everything before the handler.  Returns true when the
 * handler may run; otherwise the response is already made. */
static bool front_line(const struct program *prog, struct ctx *c)
{
	enum session_state state;
	const char *token;
	int status, rc;

	if (c->req.status != PARSE_OK) {
		app_fail(c, parse_status_http(c->req.status), parse_status_message(c->req.status));
		return false;
	}
	c->page = find_page(prog, c->req.path, &status);
	if (!c->page) {
		app_fail(c, 404, "您访问的页面不存在。");
		return false;
	}
	if (!(c->page->methods & (c->req.method == METHOD_HEAD ? METHOD_GET : c->req.method))) {
		/* RFC 9110: exactly the methods the page serves (HEAD with GET). */
		unsigned m = c->page->methods;
		resp_header(&c->resp, "Allow",
			    (m & METHOD_GET) && (m & METHOD_POST) ? "GET, HEAD, POST"
			    : m & METHOD_POST			   ? "POST"
								   : "GET, HEAD");
		app_fail(c, 405, "不支持此请求方式。");
		return false;
	}
	/* A body must be of the type the page reads: a form, or a multipart
	 * upload for the pages that stream one. */
	if (c->req.method == METHOD_POST && !request_is_urlencoded(&c->req) &&
	    !(c->page->flags & PAGE_MULTIPART && request_is_multipart(&c->req)) &&
	    c->req.content_length != 0) {
		app_fail(c, 415, parse_status_message(PARSE_BAD_TYPE));
		return false;
	}
	/* No ping: a connection is made, or found gone, by the first
	 * statement (core/db.h); a page that reads nothing needs none. */
	db_request_start();
	token = fields_get(&c->req.cookies, SESSION_COOKIE);
	rc = token ? session_load(token, &c->sess, &c->user, &state) : DB_OK;
	if (!token)
		state = SESSION_NONE;
	if (rc == DB_UNAVAILABLE) {
		unavailable(c);
		return false;
	}
	if (rc != DB_OK) {
		app_fail(c, 500, "系统内部错误，请稍后再试。");
		return false;
	}
	if (state == SESSION_EXPIRED || state == SESSION_LIFETIME_OVER)
		resp_cookie(&c->resp, SESSION_COOKIE, "", 0);
	c->actor.user_id = c->user.id;
	c->actor.login = c->user.id ? c->user.login : NULL;
	c->actor.role = role_name(c->user.role);
	c->actor.ip = c->req.remote_addr;

	/* Half logged in (the second factor due): that page alone, and logout;
	 * even a public page would treat the session as logged in. */
	if (state == SESSION_OK && c->sess.mfa_state && !(c->page->flags & PAGE_DURING_MFA)) {
		app_redirect(c, "/login/totp");
		return false;
	}
	if (!(c->page->flags & PAGE_PUBLIC)) {
		if (state != SESSION_OK) {
			login_redirect(c, state);
			return false;
		}
		if (!auth_role_allowed(&c->user, c->page->roles)) {
			struct buf why = BUF_INIT;
			buf_addf(&why, "角色“%s”无权访问此页面", role_label(c->user.role));
			app_refuse(c, 403, "refused.role", NULL, 0, why.data, "您没有访问此页面的权限。");
			buf_release(&why);
			return false;
		}
		if (c->user.must_change_password && !(c->page->flags & PAGE_DURING_FORCED)) {
			app_redirect(c, "/login/password");
			return false;
		}
	}
	/* A multipart body is still unread here (it is streamed by the
	 * handler): its token, the body's first part, is checked by mpform_read
	 * before any other part is read.  Never a token in the URL. */
	if (c->req.method == METHOD_POST && !(c->page->flags & PAGE_NO_CSRF) &&
	    c->page->flags & PAGE_MULTIPART && request_is_multipart(&c->req)) {
		c->csrf_pending = true;
	} else if (c->req.method == METHOD_POST && !(c->page->flags & PAGE_NO_CSRF) &&
		   !session_csrf_ok(&c->sess, fields_get(&c->req.form, "csrf"))) {
		log_warn("csrf check failed on %s", c->req.path);
		app_refuse(c, 403, "refused.csrf", NULL, 0, "表单令牌缺失或与会话不符（CSRF 校验失败）",
			   "表单已失效或来源无法验证，请返回上一页刷新后重新提交。");
		return false;
	}
	return true;
}

/* Runs of a page whose transaction met a deadlock, at most. */
#define HANDLER_ATTEMPTS 3

/* The page's handler, run again when its transaction was rolled back for a
 * deadlock (DB_RETRY): nothing of the first run stayed in the database, and
 * its answer is thrown away (the front line's headers kept).  Not a
 * multipart body: it was read as it streamed and cannot be read twice. */
static int run_handler(struct ctx *c)
{
	size_t front_headers = c->resp.headers.len;
	for (int attempt = 1;; attempt++) {
		int rc = c->page->handler(c);
		if (rc != DB_RETRY || attempt == HANDLER_ATTEMPTS ||
		    (c->page->flags & PAGE_MULTIPART && request_is_multipart(&c->req)))
			return rc;
		db_rollback();
		log_warn("handler %s: deadlock, run %d of %d", c->req.path, attempt + 1,
			 HANDLER_ATTEMPTS);
		c->resp.status = 0;
		buf_truncate(&c->resp.headers, front_headers);
		buf_reset(&c->resp.body);
		c->resp.content_type_set = false;
		json_object_put(c->data);
		c->data = json_object_new_object();
		c->refusal.action = NULL;
		buf_reset(&c->refusal.detail);
		/* Apart, so that the two do not meet again at once. */
		usleep(1000 + randombytes_uniform(20000));
	}
}

bool app_caching(const struct ctx *c)
{
	return c->caching;
}

void app_cache_fill(struct ctx *c, pagecache_fill fill)
{
	c->fill = fill;
}

/* A PAGE_CACHED page for a visitor without a session (a GET or HEAD): the
 * kept copy while the public counter and the minute have not moved, else
 * the handler's answer, kept (core/pagecache.h). */
static bool served_from_cache(const struct ctx *c)
{
	return c->page->flags & PAGE_CACHED &&
	       (c->req.method == METHOD_GET || c->req.method == METHOD_HEAD) &&
	       !fields_get(&c->req.cookies, SESSION_COOKIE);
}

static int run_cached(struct ctx *c)
{
	struct pagecache_key key;
	pagecache_fill fill = NULL;
	size_t front_headers = c->resp.headers.len;
	int rc = counter_read(COUNTER_PUBLIC, &key.counter);
	if (rc != DB_OK)
		return rc;
	key.host = c->req.host ? c->req.host : "";
	key.uri = c->req.uri ? c->req.uri : c->req.path;
	key.minute = (long long)time(NULL) / 60;
	if (pagecache_get(&key, &c->resp, &fill))
		return fill ? fill(&c->resp.body) : DB_OK;
	c->caching = true;
	rc = run_handler(c);
	c->caching = false;
	if (rc == DB_OK)
		pagecache_put(&key, &c->resp, front_headers, c->fill);
	if (rc == DB_OK && c->fill)
		rc = c->fill(&c->resp.body);
	return rc;
}

void app_handle(const struct program *prog, param_lookup lookup, void *lookup_ctx,
		body_reader reader, void *reader_ctx, resp_writer writer, void *writer_ctx)
{
	struct ctx c;
	struct limits lim;

	memset(&c, 0, sizeof c);
	buf_init(&c.refusal.detail);
	c.prefix = prog->prefix;
	c.data = json_object_new_object();
	resp_init(&c.resp);
	limits_from_config(&lim);
	request_parse(&c.req, lookup, lookup_ctx, reader, reader_ctx, &lim);
	log_set_request_id(c.req.request_id);

	if (front_line(prog, &c)) {
		int rc = served_from_cache(&c) ? run_cached(&c) : run_handler(&c);
		if (rc == DB_UNAVAILABLE) {
			db_rollback();
			unavailable(&c);
		} else if (rc == DB_RETRY) {
			/* Still meeting others after HANDLER_ATTEMPTS runs: busy. */
			db_rollback();
			resp_header(&c.resp, "Retry-After", "5");
			app_fail(&c, 503, "系统繁忙，您的操作未能完成（未作任何更改），请稍后再试。");
		} else if (rc == DB_FULL) {
			/* Logged by the db layer for the administrators; the visitor
			 * learns that nothing was kept. */
			db_rollback();
			resp_header(&c.resp, "Retry-After", "300");
			app_fail(&c, 503, "服务器存储空间不足，您的操作未能完成（未作任何更改）。"
					  "请稍后再试；如仍不成功，请联系系统管理员。");
		} else if (rc != 0) {
			db_rollback();
			log_err("handler %s failed: %d", c.req.path, rc);
			app_fail(&c, 500, "系统内部错误，请稍后再试。");
		} else if (c.csrf_pending && c.resp.status < 400) {
			/* A success answer to a multipart POST whose token nobody
			 * checked: the handler forgot mpform_read (a bug). */
			log_err("handler %s answered %d without checking the CSRF token", c.req.path,
				c.resp.status);
			buf_reset(&c.resp.headers);
			app_fail(&c, 500, "系统内部错误，请稍后再试。");
		}
	}
	write_refusal(&c);
	if (resp_send(&c.resp, c.req.method == METHOD_HEAD, writer, writer_ctx))
		log_warn("client went away before the response was sent");
	log_info("%s %s %d", c.req.method == METHOD_POST ? "POST" : "GET", c.req.path ? c.req.path : "?",
		 c.resp.status);
	resp_release(&c.resp);
	buf_release(&c.refusal.detail);
	request_release(&c.req);
	json_object_put(c.data);
	sodium_memzero(&c.sess, sizeof c.sess);
	log_set_request_id(NULL);
}

static const char *fcgi_lookup(void *ctx, const char *name)
{
	return FCGX_GetParam(name, ((FCGX_Request *)ctx)->envp);
}

static ssize_t fcgi_read(void *ctx, char *dst, size_t len)
{
	int n = FCGX_GetStr(dst, len > 1 << 20 ? 1 << 20 : (int)len, ((FCGX_Request *)ctx)->in);
	return n < 0 ? -1 : n;
}

static int fcgi_write(void *ctx, const char *data, size_t len)
{
	FCGX_Stream *out = ((FCGX_Request *)ctx)->out;
	while (len) {
		int chunk = len > 1 << 20 ? 1 << 20 : (int)len;
		if (FCGX_PutStr(data, chunk, out) != chunk)
			return -1;
		data += chunk;
		len -= (size_t)chunk;
	}
	return 0;
}

#ifdef BIAOGAN_COVERAGE
/* Only in the build scripts/coverage makes: a worker ends by a signal
 * (scripts/stack down sends TERM; multiwatch passes it on as QUIT), whose
 * default action would lose the coverage counters, so write them first,
 * then die of the signal as before.  __gcov_dump is gcc's interface; not
 * async-signal-safe, which a measuring build accepts. */
void __gcov_dump(void);

static void coverage_dump_on_signal(int sig)
{
	__gcov_dump();
	signal(sig, SIG_DFL);
	raise(sig);
}
#endif

#if defined(__SANITIZE_ADDRESS__)
/* Only in the sanitizer build (scripts/test's stack): a worker ends by a
 * signal, whose default action skips LeakSanitizer's check at exit, so a
 * leak in request handling would never be reported.  Check first (the
 * report goes to the worker's log, which the test command reads), then die
 * of the signal as before.  Not async-signal-safe; the worker is idle in
 * accept when the stack stops it, and a test build accepts it. */
static void leak_check_on_signal(int sig)
{
	__lsan_do_recoverable_leak_check();
	signal(sig, SIG_DFL);
	raise(sig);
}
#endif

int app_run(const struct program *prog)
{
	FCGX_Request r;
	struct buf err = BUF_INIT;

	log_init(prog->name);
	signal(SIGPIPE, SIG_IGN);
	/* A worker waits far longer than it works: give the heap back once a
	 * request has freed it.  Fixed thresholds (which also turn off glibc's
	 * raising of them after each large free) keep a worker at rest near its
	 * size at start instead of its largest page's.  Advisory: ignored under
	 * the sanitizers' allocators. */
	(void)mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, 256 * 1024);
#ifdef BIAOGAN_COVERAGE
	signal(SIGTERM, coverage_dump_on_signal);
	signal(SIGQUIT, coverage_dump_on_signal);
	signal(SIGINT, coverage_dump_on_signal);
#elif defined(__SANITIZE_ADDRESS__)
	signal(SIGTERM, leak_check_on_signal);
	signal(SIGQUIT, leak_check_on_signal);
	signal(SIGINT, leak_check_on_signal);
#endif
	if (config_load(NULL, &err)) {
		log_err("cannot load configuration: %s", err.data);
		buf_release(&err);
		return 1;
	}
	if (sodium_init() < 0) {
		log_err("libsodium failed to initialise");
		return 1;
	}
	/* Acquire first: a database that is down now is retried per request. */
	if (db_ensure() != DB_OK)
		log_warn("database not reachable at start; will retry per request");
	if (FCGX_Init() || FCGX_InitRequest(&r, 0, 0)) {
		log_err("FastCGI initialisation failed");
		return 1;
	}
	log_info("ready");
	while (FCGX_Accept_r(&r) >= 0) {
		app_handle(prog, fcgi_lookup, &r, fcgi_read, &r, fcgi_write, &r);
		FCGX_Finish_r(&r);
	}
	db_close();
	config_release();
	html_cache_clear();
	pagecache_clear();
	return 0;
}
