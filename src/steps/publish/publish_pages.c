#include "steps/publish/publish_pages.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/export.h"
#include "core/form.h"
#include "core/html.h"
#include "core/log.h"
#include "core/multipart.h"
#include "core/qr.h"
#include "core/utf8.h"
#include "core/zipw.h"
#include "rules/numbers.h"
#include "steps/intake/application.h"
#include "steps/intake/attachments.h"
#include "steps/publicity/announce.h"
#include "steps/publish/publish.h"
#include "core/banned.h"

#define FEED_ENTRIES 50

static const struct field_spec note_spec = { "note", "推荐说明", FIELD_TEXT, false, PBL_NOTE_MAX, 0, 0, NULL };
static const struct field_spec year_spec = { "year", "年度", FIELD_INT, true, 0, 2000, 9999, NULL };

static const char *status_message(int rc)
{
	switch (rc) {
	case PBL_E_NOT_FOUND:
		return "没有找到该记录。";
	case PBL_E_STATE:
		return "当前状态不允许这一操作（可能已被他人处理），请刷新后查看。";
	case PBL_E_NOT_OVER:
		return "公示期尚未结束，不能报请审议。";
	case PBL_E_UNRESOLVED:
		return "还有异议未处理完毕，不能报请审议。";
	case PBL_E_EMPTY:
		return "公示名单中已没有企业。";
	default:
		return "操作未完成。";
	}
}

/* The site's address for links that leave the page (the QR code, the
 * feed): config public_base_url, else the request's own host. */
static void base_url(const struct ctx *c, struct buf *out)
{
	const char *conf = config_str("public_base_url", NULL);
	const char *host = c->req.host;
	if (conf && *conf) {
		size_t n = strlen(conf);
		buf_add(out, conf, n && conf[n - 1] == '/' ? n - 1 : n);
		return;
	}
	/* A host header is the client's word: only a plain name or address. */
	for (const char *h = host; h && *h; h++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]", *h))
			host = NULL;
	buf_addf(out, "%s://%s", config_bool("cookie_secure", false) ? "https" : "http",
		 host && *host ? host : "localhost");
}

/* ---- province: approval and publication ---- */

static int show_index(struct ctx *c, int status, long long form_id, const char *which,
		      json_object *form)
{
	json_object *rows = NULL, *years = NULL;
	int rc = pbl_publicities(&rows);
	if (rc == DB_OK)
		rc = pbl_years(&years);
	if (rc != DB_OK) {
		json_object_put(rows);
		json_object_put(form);
		return rc;
	}
	for (size_t i = 0; form && i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		if (db_int(r, "id", 0) == form_id) {
			json_object_object_add(r, which, form);
			form = NULL;
		}
	}
	json_object_put(form);
	{
		const char *done = request_param(&c->req, "done");
		if (done && !strcmp(done, "approved"))
			app_set_str(c, "notice", "审议结果已记录，可以发布名单。");
		else if (done && !strcmp(done, "published"))
			app_set_str(c, "notice", "名单已发布，证书编号已生成，公告已发出。");
	}
	char today[CIVIL_DATE_LEN + 1];
	civil_format(civil_today_shanghai(), today);
	app_set_str(c, "today", today);
	app_set(c, "publicities", rows);
	app_set(c, "years", years);
	return app_render(c, status, "publish_index", "审议与发布");
}

int publish_page_index(struct ctx *c)
{
	return show_index(c, 200, 0, NULL, NULL);
}

static const struct field_spec approve_fields[] = {
	{ "id", "公示", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "approval_date", "审议日期", FIELD_DATE, true, 0, 0, 0, NULL },
	{ "approval_ref", "会议纪要文号", FIELD_LINE, true, PBL_REF_MAX, 0, 0, NULL },
};
static const struct field_spec publish_fields[] = {
	{ "id", "公示", FIELD_INT, true, 0, 1, 1LL << 53, NULL },
	{ "award_date", "授牌日期", FIELD_DATE, true, 0, 0, 0, NULL },
};

static int change(struct ctx *c, bool approve)
{
	struct form f;
	long long count = 0;
	int rc = DB_OK;
	form_init(&f, approve ? approve_fields : publish_fields,
		  approve ? ARRAY_LEN(approve_fields) : ARRAY_LEN(publish_fields));
	form_tidy(&c->req.form);
	form_validate(&f, &c->req);
	long long id = form_int(&f, "id");
	if (!id) {
		form_release(&f);
		return app_fail(c, 404, "没有找到该公示。");
	}
	if (!f.errors) {
		rc = approve ? pbl_approve(&c->actor, id, form_str(&f, "approval_date"),
					   form_str(&f, "approval_ref"))
			     : pbl_publish(&c->actor, id, form_str(&f, "award_date"), &count);
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirect(c, approve ? "/publish?done=approved" : "/publish?done=published");
		}
		if (rc < 0) {
			form_release(&f);
			return rc;
		}
		if (rc == PBL_E_NOT_FOUND) {
			form_release(&f);
			return app_refuse(c, 404, "refused.object", "publicity", id, "公示不存在", "没有找到该公示。");
		}
		if (rc == PBL_E_DATE && approve)
			form_error(&f, "approval_date", "审议日期应在公示期结束之后，且不晚于今天。");
		else if (rc == PBL_E_DATE)
			form_error(&f, "award_date", "授牌日期不能早于审议日期。");
		else
			app_set_str(c, "error", status_message(rc));
		app_note_refusal(c, "refused.rule", "publicity", id, status_message(rc));
	}
	if (!f.v[f.n].error)
		form_error(&f, "", approve ? "审议结果未记录，请按提示修改。" : "名单未发布，请按提示修改。");
	rc = show_index(c, rc == PBL_E_DATE || rc == DB_OK ? 422 : 409, id,
			approve ? "approve_form" : "publish_form", form_json(&f));
	form_release(&f);
	return rc;
}

int publish_page_approve(struct ctx *c)
{
	return change(c, true);
}

int publish_page_publish(struct ctx *c)
{
	return change(c, false);
}

/* ---- the public lists ---- */

int publish_page_lists(struct ctx *c)
{
	json_object *years = NULL;
	int rc = pbl_years(&years);
	if (rc != DB_OK)
		return rc;
	app_set(c, "years", years);
	return app_render(c, 200, "publish_lists", "质量标杆名单");
}

/* The year of ?year=, answered 404 when it has no list: DB_OK with *rows
 * (non-empty), or *answered. */
static int year_list(struct ctx *c, int *year, json_object **rows, bool *answered)
{
	*answered = false;
	*year = (int)form_param_int(&c->req, &year_spec);
	int rc = *year ? pbl_list(*year, rows) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!*year || !json_object_array_length(*rows)) {
		json_object_put(*rows);
		*rows = NULL;
		*answered = true;
		return app_fail(c, 404, "该年度没有发布质量标杆名单。");
	}
	return DB_OK;
}

int publish_page_list(struct ctx *c)
{
	json_object *rows = NULL;
	bool answered;
	int year, rc = year_list(c, &year, &rows, &answered);
	if (answered || rc != DB_OK)
		return rc;
	struct buf title = BUF_INIT;
	buf_addf(&title, "%d年度黑龙江省质量标杆名单", year);
	app_set(c, "year", json_object_new_int(year));
	app_set(c, "is_province", json_object_new_boolean(c->user.id && c->user.role == ROLE_PROVINCE));
	app_set_str(c, "list_title", title.data);
	app_set(c, "benchmarks", rows);
	rc = app_render(c, 200, "publish_list", title.data);
	buf_release(&title);
	return rc;
}

/* What the open data say of a benchmark: nothing the public page does not. */
static json_object *open_entry(json_object *r)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "certificate_no", json_object_new_string(db_str(r, "cert_no", "")));
	json_object_object_add(o, "enterprise", json_object_new_string(db_str(r, "enterprise_name", "")));
	json_object_object_add(o, "city", json_object_new_string(db_str(r, "city_name", "")));
	json_object_object_add(o, "category", json_object_new_string(db_str(r, "scope_label", "")));
	json_object_object_add(o, "experience_title", json_object_new_string(db_str(r, "title", "")));
	json_object_object_add(o, "award_date", json_object_new_string(db_str(r, "award_date", "")));
	json_object_object_add(o, "status", json_object_new_string(db_str(r, "status", "")));
	json_object_object_add(o, "status_label", json_object_new_string(db_str(r, "status_label", "")));
	if (db_int(r, "revoked", 0))
		json_object_object_add(o, "revoked_on",
				       json_object_new_string(db_str(r, "status_changed_at", "")));
	json_object_object_add(o, "national_recommendation",
			       json_object_new_boolean(db_int(r, "national", 0) != 0));
	if (db_int(r, "national_title_year", 0))
		json_object_object_add(o, "national_title_year",
				       json_object_new_int64(db_int(r, "national_title_year", 0)));
	return o;
}

static int respond_json(struct ctx *c, json_object *doc)
{
	const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = resp_header(&c->resp, "Content-Type", "application/json; charset=utf-8") ? DB_ERROR : 0;
	if (!rc) {
		buf_reset(&c->resp.body);
		buf_adds(&c->resp.body, text);
		buf_adds(&c->resp.body, "\n");
		c->resp.status = 200;
	}
	json_object_put(doc);
	return rc;
}

int publish_page_list_json(struct ctx *c)
{
	json_object *rows = NULL;
	bool answered;
	int year, rc = year_list(c, &year, &rows, &answered);
	if (answered || rc != DB_OK)
		return rc;
	json_object *doc = json_object_new_object(), *list = json_object_new_array();
	struct buf t = BUF_INIT;
	buf_addf(&t, "%d年度黑龙江省质量标杆名单", year);
	json_object_object_add(doc, "title", json_object_new_string(t.data));
	json_object_object_add(doc, "year", json_object_new_int(year));
	json_object_object_add(doc, "publisher", json_object_new_string("黑龙江省工业和信息化厅"));
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		json_object_array_add(list, open_entry(json_object_array_get_idx(rows, i)));
	json_object_object_add(doc, "benchmarks", list);
	buf_release(&t);
	json_object_put(rows);
	return respond_json(c, doc);
}

/* A benchmark's columns in every table of them (list, national summary). */
#define BENCHMARK_EXPORT_COLUMNS                                          \
	{ "cert_no", "证书编号", 20, EXPORT_TEXT, false },                \
	{ "enterprise_name", "企业名称", 32, EXPORT_TEXT, true },         \
	{ "city_name", "市（地）", 12, EXPORT_TEXT, false },              \
	{ "scope_label", "类别", 30, EXPORT_TEXT, true },                 \
	{ "title", "典型经验名称", 36, EXPORT_TEXT, true },               \
	{ "award_date", "授牌日期", 12, EXPORT_TEXT, false }

static const struct export_column list_columns[] = {
	BENCHMARK_EXPORT_COLUMNS,
	{ "status_label", "状态", 8, EXPORT_TEXT, false },
	{ "status_changed_at", "撤销日期", 18, EXPORT_TEXT, false },
};

int publish_page_list_csv(struct ctx *c)
{
	json_object *rows = NULL;
	struct buf name = BUF_INIT, err = BUF_INIT;
	bool answered;
	int year, rc = year_list(c, &year, &rows, &answered);
	if (answered || rc != DB_OK)
		return rc;
	buf_addf(&name, "%d年度黑龙江省质量标杆名单", year);
	if (export_respond(&c->resp, true, "名单", name.data, list_columns, ARRAY_LEN(list_columns), rows, &err)) {
		log_err("publish: csv: %s", err.data ? err.data : "");
		rc = DB_ERROR;
	}
	json_object_put(rows);
	buf_release(&name);
	buf_release(&err);
	return rc;
}

/* ---- certificates and their verification ---- */

/* The benchmark of ?no=: DB_OK with *row, or *answered (404). */
static int by_cert(struct ctx *c, char cert[CERT_NO_MAX + 1], json_object **row, bool *answered)
{
	const char *no = request_param(&c->req, "no");
	*answered = false;
	*row = NULL;
	if (!no || cert_no_parse(no, cert, NULL, NULL)) {
		cert[0] = '\0';
		return DB_OK;
	}
	return pbl_by_cert(cert, row);
}

int publish_page_verify(struct ctx *c)
{
	char cert[CERT_NO_MAX + 1];
	json_object *row = NULL;
	bool answered;
	const char *no = request_param(&c->req, "no");
	int rc = by_cert(c, cert, &row, &answered), status = 200;
	if (rc != DB_OK)
		return rc;
	if (no && *no) {
		app_set_str(c, "asked", no);
		if (!row) {
			app_set_str(c, "not_found", cert[0] ? "没有该证书编号的质量标杆，请核对编号。"
							    : "证书编号的格式不对，应形如 HLJZLBG-2026-001。");
			status = 404;
		}
	}
	if (row)
		app_set(c, "benchmark", row);
	return app_render(c, status, "publish_verify", "质量标杆证书查验");
}

int publish_page_qr(struct ctx *c)
{
	char cert[CERT_NO_MAX + 1];
	json_object *row = NULL;
	bool answered;
	struct buf url = BUF_INIT;
	int rc = by_cert(c, cert, &row, &answered);
	if (rc != DB_OK)
		return rc;
	if (!row)
		return app_fail(c, 404, "没有该证书编号的质量标杆。");
	json_object_put(row);
	base_url(c, &url);
	buf_addf(&url, "/publish/verify?no=%s", cert);
	buf_reset(&c->resp.body);
	if (qr_svg(&c->resp.body, url.data, 4) ||
	    resp_header(&c->resp, "Content-Type", "image/svg+xml; charset=utf-8")) {
		log_err("publish: the QR code of %s: %s", url.data, strerror(errno));
		rc = DB_ERROR;
	} else {
		c->resp.status = 200;
	}
	buf_release(&url);
	return rc;
}

int publish_page_certificate(struct ctx *c)
{
	char cert[CERT_NO_MAX + 1];
	json_object *row = NULL;
	bool answered;
	struct buf url = BUF_INIT;
	int rc = by_cert(c, cert, &row, &answered);
	if (rc != DB_OK)
		return rc;
	if (!row)
		return app_fail(c, 404, "没有该证书编号的质量标杆。");
	base_url(c, &url);
	buf_addf(&url, "/publish/verify?no=%s", cert);
	app_set_str(c, "verify_url", url.data);
	app_set(c, "benchmark", row);
	buf_release(&url);
	return app_render(c, 200, "publish_certificate", "质量标杆证书");
}

/* ---- announcements as open data ---- */

int publish_page_announcements_json(struct ctx *c)
{
	json_object *rows = NULL;
	struct buf base = BUF_INIT;
	int rc = announce_recent(FEED_ENTRIES, &rows);
	if (rc != DB_OK)
		return rc;
	base_url(c, &base);
	json_object *doc = json_object_new_object(), *list = json_object_new_array();
	json_object_object_add(doc, "title", json_object_new_string("黑龙江省质量标杆公告"));
	json_object_object_add(doc, "publisher", json_object_new_string("黑龙江省工业和信息化厅"));
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i), *o = json_object_new_object();
		struct buf link = BUF_INIT;
		buf_addf(&link, "%s%s", base.data, db_str(r, "link", "/"));
		json_object_object_add(o, "id", json_object_new_int64(db_int(r, "id", 0)));
		json_object_object_add(o, "kind", json_object_new_string(db_str(r, "kind", "")));
		json_object_object_add(o, "kind_label", json_object_new_string(db_str(r, "kind_label", "")));
		json_object_object_add(o, "year", json_object_new_int64(db_int(r, "year", 0)));
		json_object_object_add(o, "title", json_object_new_string(db_str(r, "title", "")));
		json_object_object_add(o, "body", json_object_new_string(db_str(r, "body", "")));
		json_object_object_add(o, "published_at", json_object_new_string(db_str(r, "published_at", "")));
		json_object_object_add(o, "link", json_object_new_string(link.data));
		json_object_array_add(list, o);
		buf_release(&link);
	}
	json_object_object_add(doc, "announcements", list);
	json_object_put(rows);
	buf_release(&base);
	return respond_json(c, doc);
}

/* "2026-11-25 09:30:00" (Asia/Shanghai) as RFC 3339. */
static void rfc3339(struct buf *out, const char *dt)
{
	if (dt && strlen(dt) == CIVIL_DATETIME_LEN)
		buf_addf(out, "%.10sT%s+08:00", dt, dt + 11);
	else
		buf_adds(out, "2000-01-01T00:00:00+08:00");
}

static void xml_text(struct buf *out, const char *s)
{
	html_escape(out, s ? s : "", s ? strlen(s) : 0);
}

int publish_page_feed(struct ctx *c)
{
	json_object *rows = NULL;
	struct buf base = BUF_INIT, *x = &c->resp.body;
	int rc = announce_recent(FEED_ENTRIES, &rows);
	if (rc != DB_OK)
		return rc;
	base_url(c, &base);
	buf_reset(x);
	buf_adds(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n"
		    "<title>黑龙江省质量标杆公告</title>\n<id>");
	xml_text(x, base.data);
	buf_adds(x, "/publicity/announcements</id>\n<link rel=\"self\" href=\"");
	xml_text(x, base.data);
	buf_adds(x, "/publish/feed.atom\"/>\n<link href=\"");
	xml_text(x, base.data);
	buf_adds(x, "/publicity/announcements\"/>\n<author><name>黑龙江省工业和信息化厅</name></author>\n<updated>");
	rfc3339(x, json_object_array_length(rows)
			   ? db_str(json_object_array_get_idx(rows, 0), "published_at", NULL)
			   : NULL);
	buf_adds(x, "</updated>\n");
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		buf_adds(x, "<entry>\n<id>");
		xml_text(x, base.data);
		buf_addf(x, "/publicity/announcement?id=%lld</id>\n<title>", db_int(r, "id", 0));
		xml_text(x, db_str(r, "title", ""));
		buf_adds(x, "</title>\n<link href=\"");
		xml_text(x, base.data);
		buf_addf(x, "/publicity/announcement?id=%lld", db_int(r, "id", 0));
		buf_adds(x, "\"/>\n<link rel=\"related\" href=\"");
		xml_text(x, base.data);
		xml_text(x, db_str(r, "link", "/"));
		buf_adds(x, "\"/>\n<category term=\"");
		xml_text(x, db_str(r, "kind", ""));
		buf_adds(x, "\" label=\"");
		xml_text(x, db_str(r, "kind_label", ""));
		buf_adds(x, "\"/>\n<updated>");
		rfc3339(x, db_str(r, "published_at", NULL));
		buf_adds(x, "</updated>\n<summary>");
		xml_text(x, db_str(r, "body", ""));
		buf_adds(x, "</summary>\n</entry>\n");
	}
	buf_adds(x, "</feed>\n");
	json_object_put(rows);
	buf_release(&base);
	if (resp_header(&c->resp, "Content-Type", "application/atom+xml; charset=utf-8"))
		return DB_ERROR;
	c->resp.status = 200;
	return 0;
}

/* ---- the national recommendation ---- */

static int show_national(struct ctx *c, int status, int year, const char *message)
{
	json_object *rows = NULL;
	int rc = pbl_list(year, &rows);
	if (rc != DB_OK)
		return rc;
	if (!json_object_array_length(rows)) {
		json_object_put(rows);
		return app_fail(c, 404, "该年度没有发布质量标杆名单。");
	}
	long long n = 0;
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		n += db_int(json_object_array_get_idx(rows, i), "national", 0) != 0;
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "全国推荐名单已保存。");
	if (message)
		app_set_str(c, "error", message);
	app_set(c, "year", json_object_new_int(year));
	app_set(c, "national_count", json_object_new_int64(n));
	app_set(c, "benchmarks", rows);
	return app_render(c, status, "publish_national", "全国质量标杆推荐");
}

int publish_page_national(struct ctx *c)
{
	int year = (int)form_param_int(&c->req, &year_spec);
	if (!year)
		return app_fail(c, 404, "该年度没有发布质量标杆名单。");
	if (c->req.method != METHOD_POST)
		return show_national(c, 200, year, NULL);
	{
		json_object *list = NULL;
		int r = pbl_list(year, &list);
		size_t have = r == DB_OK ? json_object_array_length(list) : 0;
		json_object_put(list);
		if (r != DB_OK)
			return r;
		if (!have)
			return app_fail(c, 404, "该年度没有发布质量标杆名单。");
	}
	/* The checked benchmarks: every "bm" field. */
	size_t n = 0, cap = 0;
	long long *ids = NULL;
	const char *note = request_param(&c->req, "note");
	long long unused;
	char *bad = field_check(&note_spec, note ? note : "", &unused);
	if (bad) {
		int r = show_national(c, 422, year, bad);
		free(bad);
		return r;
	}
	for (size_t i = 0; i < c->req.form.n; i++) {
		const struct field *fl = &c->req.form.v[i];
		char *end;
		if (strcmp(fl->name, "bm"))
			continue;
		errno = 0;
		long long v = strtoll(fl->value, &end, 10);
		if (errno || *end || v < 1) {
			free(ids);
			return show_national(c, 422, year, "所选质量标杆无效。");
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = v;
	}
	int rc = pbl_national_set(&c->actor, year, ids, n, note ? note : "");
	free(ids);
	if (rc == DB_OK)
		return app_redirectf(c, "/publish/national?year=%d&done=saved", year);
	if (rc < 0)
		return rc;
	app_note_refusal(c, "refused.rule", "year", year, "全国推荐名单未保存：所选不是该年度有效的质量标杆");
	return show_national(c, 409, year, "所选企业不是该年度有效的质量标杆（可能已被撤销），名单未保存。");
}

/* File names inside the ZIP: what Windows cannot show, replaced. */
static void zip_name_part(struct buf *out, const char *s)
{
	for (; *s; s++)
		buf_addf(out, "%c", strchr("/\\:*?\"<>|", *s) || (unsigned char)*s < 0x20 ? '_' : *s);
}

static int spool_writer(void *ctx, const char *data, size_t len)
{
	return att_spool_write(ctx, data, len);
}

/* One application's folder: its summary (HTML, as read on screen) and its
 * files. */
static int package_one(struct zipw *z, json_object *b)
{
	json_object *row = NULL, *ind = NULL, *files = NULL, *data = NULL;
	struct buf dir = BUF_INIT, name = BUF_INIT, html = BUF_INIT, err = BUF_INIT;
	long long app = db_int(b, "application_id", 0);
	int rc = app_load(app, &row, &ind);
	if (rc == DB_OK && !row)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = att_list(app, &files);
	if (rc != DB_OK)
		goto out;
	buf_addf(&dir, "%03lld_", db_int(b, "seq", 0));
	zip_name_part(&dir, db_str(b, "enterprise_name", ""));
	app_view_prepare(row);
	data = json_object_new_object();
	json_object_object_add(data, "benchmark", json_object_get(b));
	json_object_object_add(data, "app", json_object_get(row));
	json_object_object_add(data, "indicators", json_object_get(ind));
	json_object_object_add(data, "attachments", json_object_get(files));
	json_object_object_add(data, "file_base", json_object_new_string("#file-"));
	if (html_render(&html, "publish_summary", data, NULL, &err)) {
		log_err("publish: package summary: %s", err.data ? err.data : "");
		rc = DB_ERROR;
		goto out;
	}
	buf_addf(&name, "%s/申报书.html", dir.data);
	if (zipw_add_buffer(z, name.data, html.data, html.len)) {
		log_err("publish: package: %s", zipw_error(z));
		rc = DB_ERROR;
		goto out;
	}
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(files); i++) {
		json_object *f = json_object_array_get_idx(files, i);
		struct att_spool sp;
		memset(&sp, 0, sizeof sp);
		sp.fd = -1;
		char *dl = att_download_name(db_str(f, "original_name", "file"), db_str(f, "mime", ""));
		buf_reset(&name);
		buf_addf(&name, "%s/附件%02zu_%s_", dir.data, i + 1, db_str(f, "kind_label", ""));
		zip_name_part(&name, dl);
		free(dl);
		/* The bytes go to a private file first: libzip reads them at the
		 * end, and no file is held in memory. */
		if (att_spool_begin(&sp) ||
		    att_send(db_int(f, "id", 0), db_int(f, "size_bytes", 0), spool_writer, &sp) ||
		    zipw_add_file(z, name.data, sp.fd)) {
			log_err("publish: package: file %lld: %s", db_int(f, "id", 0), zipw_error(z));
			rc = DB_ERROR;
		}
		att_spool_close(&sp);
	}
out:
	json_object_put(row);
	json_object_put(ind);
	json_object_put(files);
	json_object_put(data);
	buf_release(&dir);
	buf_release(&name);
	buf_release(&html);
	buf_release(&err);
	return rc;
}

static const struct export_column national_columns[] = {
	BENCHMARK_EXPORT_COLUMNS,
	{ "note", "推荐说明", 40, EXPORT_TEXT, true },
};

int publish_page_package(struct ctx *c)
{
	int year = (int)form_param_int(&c->req, &year_spec);
	json_object *rows = NULL;
	struct zipw z = ZIPW_INIT;
	struct buf zip = BUF_INIT, xlsx = BUF_INIT, err = BUF_INIT, name = BUF_INIT, disp = BUF_INIT;
	int rc = year ? pbl_national(year, &rows) : DB_OK;
	if (rc != DB_OK)
		return rc;
	if (!year || !json_object_array_length(rows)) {
		json_object_put(rows);
		return app_fail(c, 404, "该年度还没有推荐参加全国遴选的质量标杆。");
	}
	if (zipw_open(&z, &err)) {
		log_err("publish: package: %s", err.data ? err.data : "");
		rc = DB_ERROR;
		goto out;
	}
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(rows); i++)
		rc = package_one(&z, json_object_array_get_idx(rows, i));
	if (rc == DB_OK && export_xlsx(&xlsx, "推荐汇总", national_columns, ARRAY_LEN(national_columns), rows, &err)) {
		log_err("publish: package: xlsx: %s", err.data ? err.data : "");
		rc = DB_ERROR;
	}
	buf_addf(&name, "%d年度推荐汇总表.xlsx", year);
	if (rc == DB_OK && zipw_add_buffer(&z, name.data, xlsx.data, xlsx.len)) {
		log_err("publish: package: %s", zipw_error(&z));
		rc = DB_ERROR;
	}
	if (rc == DB_OK && zipw_finish(&z, &zip, &err)) {
		log_err("publish: package: %s", err.data ? err.data : "");
		rc = DB_ERROR;
	}
	/* The read is audited before anything leaves. */
	if (rc == DB_OK)
		rc = pbl_package_audit(&c->actor, year, json_object_array_length(rows));
	if (rc == DB_OK) {
		buf_reset(&name);
		buf_addf(&name, "%d年度黑龙江省推荐全国质量标杆材料.zip", year);
		mp_content_disposition(&disp, name.data);
		if (resp_header(&c->resp, "Content-Type", "application/zip") ||
		    resp_header(&c->resp, "Content-Disposition", disp.data)) {
			rc = DB_ERROR;
		} else {
			buf_reset(&c->resp.body);
			buf_add(&c->resp.body, zip.data, zip.len);
			c->resp.status = 200;
		}
	}
out:
	zipw_discard(&z);
	json_object_put(rows);
	buf_release(&zip);
	buf_release(&xlsx);
	buf_release(&err);
	buf_release(&name);
	buf_release(&disp);
	return rc;
}
