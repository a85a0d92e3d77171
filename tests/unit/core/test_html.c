/* Unit tests of html: escaping of all five characters, URL encoding, and
 * the template renderer (values, sections over arrays, objects, false and
 * empty values, inverted sections, dotted names, list.0, partials from a
 * directory, {{@body}} as the only raw insert, syntax errors), including
 * that data holding "{{" or "<script>" stays inert text. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/html.h"
#include "core/banned.h"

#define B(s) s, sizeof(s) - 1

/* ---- html_escape and url_encode ---- */

static const struct {
	const char *in;
	size_t len;
	const char *want;
} escapes[] = {
	{ B("&"), "&amp;" },
	{ B("<"), "&lt;" },
	{ B(">"), "&gt;" },
	{ B("\""), "&quot;" },
	{ B("'"), "&#39;" },
	{ B("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;" },
	{ B("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
	{ B("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x" },
	{ B("&amp;"), "&amp;amp;" }, /* already-escaped text is escaped again */
	{ B("{{name}}"), "{{name}}" },
	{ B("abc"), "abc" },
	{ B("中文"), "中文" },
	{ B(""), "" },
	{ B("a<b"), "a&lt;b" },
	{ B("x>"), "x&gt;" },
};

START_TEST(escape)
{
	struct buf out = BUF_INIT;
	buf_adds(&out, "pre:");
	html_escape(&out, escapes[_i].in, escapes[_i].len);
	ck_assert_str_eq(out.data + 4, escapes[_i].want);
	ck_assert_int_eq(strncmp(out.data, "pre:", 4), 0); /* appends */
	buf_release(&out);
}
END_TEST

START_TEST(escape_uses_len)
{
	struct buf out = BUF_INIT;
	html_escape(&out, "a<b>c", 2);
	ck_assert_str_eq(out.data, "a&lt;");
	buf_reset(&out);
	html_escape(&out, "a\0<", 3); /* bytes, not a C string */
	ck_assert_uint_eq(out.len, 6);
	ck_assert_mem_eq(out.data, "a\0&lt;", 6);
	buf_release(&out);
}
END_TEST

static const struct {
	const char *in;
	size_t len;
	const char *want;
} urls[] = {
	{ B("abcXYZ019-_.~"), "abcXYZ019-_.~" },
	{ B(" "), "%20" },
	{ B("中"), "%E4%B8%AD" },
	{ B("a&b=c"), "a%26b%3Dc" },
	{ B("/?#%+"), "%2F%3F%23%25%2B" },
	{ B("\"'<>"), "%22%27%3C%3E" },
	{ B("javascript:x"), "javascript%3Ax" },
	{ B("\r\n\x7f\xff"), "%0D%0A%7F%FF" },
	{ B(""), "" },
	{ B("a\0b"), "a%00b" },
};

START_TEST(url)
{
	struct buf out = BUF_INIT;
	url_encode(&out, urls[_i].in, urls[_i].len);
	ck_assert_str_eq(out.data, urls[_i].want);
	buf_release(&out);
}
END_TEST

static const struct {
	const char *in, *want;
} amounts[] = {
	{ "0", "0" },
	{ "999", "999" },
	{ "1000", "1,000" },
	{ "1234567", "1,234,567" },
	{ "-1234567.89", "-1,234,567.89" },
	{ "123456.5", "123,456.5" },
	{ "-100", "-100" },
	{ "-1000.00", "-1,000.00" },
	{ "", "" },
	{ "-", "-" },
	{ "12.", "12." },
	{ ".5", ".5" },
	{ "1e5", "1e5" },
	{ "1,000", "1,000" },
	{ "12345abc", "12345abc" },
	{ "1.2.3", "1.2.3" },
	{ "未填写", "未填写" },
};

static const struct {
	const char *in, *want;
} dates[] = {
	{ "2026-11-25", "2026年11月25日" },
	{ "2026-01-05 09:30", "2026年1月5日 09:30" },
	{ "2026-12-08 17:00:00", "2026年12月8日 17:00" },
	{ "2026-13-01", "2026-13-01" },
	{ "2026-00-10", "2026-00-10" },
	{ "2026-1-5", "2026-1-5" },
	{ "2026-11-25T17:00", "2026-11-25T17:00" },
	{ "2026-11-25 下午", "2026年11月25日 下午" },
	{ "", "" },
	{ "未定", "未定" },
};

START_TEST(date)
{
	struct buf out = BUF_INIT;
	date_zh(&out, dates[_i].in, strlen(dates[_i].in));
	ck_assert_str_eq(out.data ? out.data : "", dates[_i].want);
	buf_release(&out);
}
END_TEST

START_TEST(amount)
{
	struct buf out = BUF_INIT;
	amount_group(&out, amounts[_i].in, strlen(amounts[_i].in));
	ck_assert_str_eq(out.data ? out.data : "", amounts[_i].want);
	buf_release(&out);
}
END_TEST

/* ---- templates from strings ---- */

static const struct {
	const char *tmpl;
	const char *json;
	const char *body;
	const char *want;
} renders[] = {
	{ "Hello {{name}}!", "{\"name\":\"张三\"}", NULL, "Hello 张三!" },
	{ "{{v}}", "{\"v\":\"<b>&'\\\"\"}", NULL, "&lt;b&gt;&amp;&#39;&quot;" },
	{ "<a title=\"{{v}}\">", "{\"v\":\"\\\" onclick=\\\"x\"}", NULL,
	  "<a title=\"&quot; onclick=&quot;x\">" },
	{ "{{ name }}", "{\"name\":\"x\"}", NULL, "x" },
	{ "[{{missing}}]", "{}", NULL, "[]" },
	{ "{{n}} {{f}} {{t}} {{z}}", "{\"n\":42,\"f\":false,\"t\":true,\"z\":null}", NULL,
	  "42 false true " },
	{ "{{obj}}{{arr}}", "{\"obj\":{\"a\":1},\"arr\":[1]}", NULL, "" }, /* no dumps */
	{ "{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", NULL, "deep" },
	{ "{{a.x.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", NULL, "" },
	{ "{{#list}}[{{.}}]{{/list}}", "{\"list\":[\"a\",\"<\",3]}", NULL, "[a][&lt;][3]" },
	{ "{{#list}}{{name}},{{/list}}", "{\"list\":[{\"name\":\"x\"},{\"name\":\"y\"}]}", NULL,
	  "x,y," },
	{ "{{#obj}}{{x}}-{{y}}{{/obj}}", "{\"obj\":{\"x\":1},\"y\":\"outer\"}", NULL, "1-outer" },
	{ "{{#flag}}yes{{/flag}}", "{\"flag\":true}", NULL, "yes" },
	{ "{{#flag}}yes{{/flag}}", "{\"flag\":false}", NULL, "" },
	{ "{{#list}}x{{/list}}", "{\"list\":[]}", NULL, "" },
	{ "{{#s}}x{{/s}}", "{\"s\":\"\"}", NULL, "" },
	{ "{{#s}}x{{/s}}", "{\"s\":\"text\"}", NULL, "x" },
	{ "{{#n}}x{{/n}}", "{\"n\":0}", NULL, "" },
	{ "{{#n}}x{{/n}}", "{\"n\":null}", NULL, "" },
	{ "{{#missing}}x{{/missing}}", "{}", NULL, "" },
	{ "{{#o}}x{{/o}}", "{\"o\":{}}", NULL, "x" }, /* an object, even empty, is true */
	{ "{{^list}}none{{/list}}", "{\"list\":[]}", NULL, "none" },
	{ "{{^list}}none{{/list}}", "{\"list\":[1]}", NULL, "" },
	{ "{{^missing}}none{{/missing}}", "{}", NULL, "none" },
	{ "{{^flag}}off{{/flag}}", "{\"flag\":false}", NULL, "off" },
	{ "{{^flag}}off{{/flag}}", "{\"flag\":true}", NULL, "" },
	{ "{{#list}}a{{/list}}{{^list}}b{{/list}}", "{\"list\":[1,2]}", NULL, "aa" },
	{ "{{list.0}}", "{\"list\":[\"first\",\"second\"]}", NULL, "first" },
	{ "{{list.1.name}}", "{\"list\":[{},{\"name\":\"n\"}]}", NULL, "n" },
	{ "{{list.5}}", "{\"list\":[1]}", NULL, "" },
	{ "{{#list.0}}has{{/list.0}}", "{\"list\":[1]}", NULL, "has" },
	{ "{{#list.0}}has{{/list.0}}", "{\"list\":[]}", NULL, "" },
	{ "{{^list.0}}empty{{/list.0}}", "{\"list\":[]}", NULL, "empty" },
	{ "{{#items}}{{title}}:{{name}};{{/items}}",
	  "{\"title\":\"T\",\"items\":[{\"name\":\"a\"},{\"name\":\"b\",\"title\":\"own\"}]}", NULL,
	  "T:a;own:b;" },
	/* A dotted name resolves from the first scope holding its head only. */
	{ "{{#items}}[{{a.b}}]{{/items}}", "{\"a\":{\"b\":\"outer\"},\"items\":[{\"a\":{}}]}", NULL,
	  "[]" },
	{ "{{#outer}}{{#inner}}{{x}}{{y}}{{/inner}}{{/outer}}",
	  "{\"outer\":{\"x\":1,\"inner\":[{\"y\":2},{\"y\":3}]}}", NULL, "1213" },
	{ "{{x|url}}", "{\"x\":\"a b&c=\\\"中\"}", NULL, "a%20b%26c%3D%22%E4%B8%AD" },
	{ "{{x|amount}}万元", "{\"x\":\"12345678.90\"}", NULL, "12,345,678.90万元" },
	{ "{{x|amount}}", "{\"x\":-1234}", NULL, "-1,234" },
	{ "{{x|amount}}", "{\"x\":\"<b>1000</b>\"}", NULL, "&lt;b&gt;1000&lt;/b&gt;" },
	{ "{{x|amount}}", "{}", NULL, "" },
	{ "截止 {{x|date}}", "{\"x\":\"2026-12-08 17:00\"}", NULL, "截止 2026年12月8日 17:00" },
	{ "{{x|date}}", "{\"x\":\"<i>2026-12-08</i>\"}", NULL, "&lt;i&gt;2026-12-08&lt;/i&gt;" },
	{ "<a href=\"/p?q={{x|url}}\">", "{\"x\":\"\\\"><script>\"}", NULL,
	  "<a href=\"/p?q=%22%3E%3Cscript%3E\">" },
	{ "a{{! a comment {with braces }}b", "{}", NULL, "ab" },
	{ "{{.}}", "{\"a\":1}", NULL, "" }, /* the root object prints nothing */
	{ "{{#list}}{{.}}{{/list}}", "{\"list\":[null,\"x\"]}", NULL, "x" },
	/* Data is inert: a value holding tags or markup is text, escaped. */
	{ "{{v}}", "{\"v\":\"{{secret}}\",\"secret\":\"LEAK\"}", NULL, "{{secret}}" },
	{ "{{v}}", "{\"v\":\"{{@body}}\"}", "BODY", "{{@body}}" },
	{ "{{v}}", "{\"v\":\"<script>alert(1)</script>\"}", NULL,
	  "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "{{#list}}{{.}}{{/list}}", "{\"list\":[\"{{#x}}\",\"<img onerror=x>\"]}", NULL,
	  "{{#x}}&lt;img onerror=x&gt;" },
	/* {{@body}} is the one raw insert and takes only what the caller gives. */
	{ "<main>{{@body}}</main>", "{}", "<p>ok</p>", "<main><p>ok</p></main>" },
	{ "<main>{{@body}}</main>", "{}", NULL, "<main></main>" },
	{ "<main>{{@body}}</main>", "{\"body\":\"<script>\"}", NULL, "<main></main>" },
	{ "{{body}}", "{\"body\":\"<script>\"}", "<p>raw</p>", "&lt;script&gt;" },
	{ "{{#list}}{{@body}}{{/list}}", "{\"list\":[1,2]}", "<hr>", "<hr><hr>" },
	{ "no tags at all", "{}", NULL, "no tags at all" },
	{ "", "{}", NULL, "" },
	{ "} }} {", "{}", NULL, "} }} {" },
};

START_TEST(render)
{
	json_object *data = json_tokener_parse(renders[_i].json);
	struct buf out = BUF_INIT, err = BUF_INIT;
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(html_render_string(&out, renders[_i].tmpl, data, renders[_i].body, &err), 0);
	ck_assert_str_eq(err.data, "");
	ck_assert_str_eq(out.data, renders[_i].want);
	json_object_put(data);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(render_null_data)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	ck_assert_int_eq(html_render_string(&out, "a{{x}}{{#y}}b{{/y}}{{^y}}c{{/y}}", NULL, NULL,
					    &err), 0);
	ck_assert_str_eq(out.data, "ac");
	buf_release(&out);
	buf_release(&err);
}
END_TEST

static const struct {
	const char *tmpl;
	const char *message;
} syntax_errors[] = {
	{ "{{#a}}x", "never closed" },
	{ "x{{#a}}{{#b}}{{/b}}", "never closed" },
	{ "{{#a}}x{{/b}}", "closes" },
	{ "{{#a}}{{#b}}{{/a}}{{/b}}", "closes" },
	{ "{{^a}}x{{/b}}", "closes" },
	{ "{{/a}}", "without an open section" },
	{ "x{{#a}}{{/a}}{{/a}}", "without an open section" },
	{ "{{a", "unclosed tag" },
	{ "text {{a}} {{b", "unclosed tag" },
	{ "{{", "unclosed tag" },
	{ "{{}}", "empty or malformed" },
	{ "{{ }}", "empty or malformed" },
	{ "{{#}}{{/}}", "empty or malformed" },
	{ "{{{x}}}", "empty or malformed" }, /* no triple-mustache raw insert */
	{ "{{a{b}}", "empty or malformed" },
	{ "{{|url}}", "empty or malformed" }, /* a filter with no name */
	{ "{{x|raw}}", "empty or malformed" }, /* an unknown filter */
	{ "{{x|url|url}}", "empty or malformed" },
	{ "{{@x}}", "only {{@body}}" },
	{ "{{@body.x}}", "only {{@body}}" },
	{ "{{@bod}}", "only {{@body}}" },
	{ "{{@}}", "empty or malformed" },
	{ "{{a}", "unclosed tag" },
	{ "{{a\n", "unclosed tag" },
	{ "{{a}}b}}{{", "unclosed tag" },
	{ "{{^a}}", "never closed" },
	{ "{{#a}}{{#a}}{{/a}}", "never closed" },
	{ "{{#a}}{{^b}}{{/a}}", "closes" },
	{ "{{#a.b}}{{/a}}", "closes" },
	{ "{{#a}}{{/A}}", "closes" },
	{ "{{x}}{{#y}}{{/y}}{{/x}}", "without an open section" },
	{ "{{/}}", "empty or malformed" },
	{ "{{>}}", "empty or malformed" },
	{ "{{^}}", "empty or malformed" },
	{ "{{{{a}}", "empty or malformed" },
	{ "{{@body}}{{@body2}}", "only {{@body}}" },
	/* Partial names are checked before any file is opened. */
	{ "{{>../etc/passwd}}", "bad template name" },
	{ "{{>/etc/passwd}}", "bad template name" },
	{ "{{>a.b}}", "bad template name" },
	{ "{{>Layout}}", "bad template name" },
	{ "{{>a b}}", "bad template name" },
};

/* Sections nested over arrays multiply: 4^14 steps would hang a worker. */
START_TEST(runaway_render_is_stopped)
{
	json_object *data = json_tokener_parse("{\"a\":[1,2,3,4]}");
	struct buf tmpl = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	for (int i = 0; i < 14; i++)
		buf_adds(&tmpl, "{{#a}}x");
	for (int i = 0; i < 14; i++)
		buf_adds(&tmpl, "{{/a}}");
	buf_adds(&out, "keep:");
	ck_assert_int_eq(html_render_string(&out, tmpl.data, data, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, "too large"));
	ck_assert_str_eq(out.data, "keep:");
	/* Six levels (4^6 = 4096 passes) are fine. */
	buf_reset(&tmpl);
	buf_reset(&err);
	for (int i = 0; i < 6; i++)
		buf_adds(&tmpl, "{{#a}}x");
	for (int i = 0; i < 6; i++)
		buf_adds(&tmpl, "{{/a}}");
	ck_assert_int_eq(html_render_string(&out, tmpl.data, data, NULL, &err), 0);
	buf_release(&tmpl);
	buf_release(&out);
	buf_release(&err);
	json_object_put(data);
}
END_TEST

START_TEST(syntax_error)
{
	json_object *data = json_tokener_parse("{\"a\":1}");
	struct buf out = BUF_INIT, err = BUF_INIT;
	buf_adds(&out, "keep:");
	ck_assert_int_eq(html_render_string(&out, syntax_errors[_i].tmpl, data, NULL, &err), -1);
	ck_assert_msg(strstr(err.data, syntax_errors[_i].message), "\"%s\" lacks \"%s\"", err.data,
		      syntax_errors[_i].message);
	ck_assert_str_eq(out.data, "keep:"); /* nothing half-rendered */
	json_object_put(data);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(nesting_limit)
{
	struct buf t = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_addf(&t, "{{#s%d}}", i);
	for (int i = 39; i >= 0; i--)
		buf_addf(&t, "{{/s%d}}", i);
	ck_assert_int_eq(html_render_string(&out, t.data, NULL, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, "too deep"));
	buf_release(&t);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

/* ---- templates from files ---- */

static char tdir[256];

static const struct {
	const char *name, *text;
} files[] = {
	{ "page", "<h1>{{title}}</h1>{{>part}}<p>after {{title}}</p>" },
	{ "part", "<i>{{name}}</i>" },
	{ "layout", "<html>{{>nav}}<main>{{@body}}</main>{{>footer}}</html>" },
	{ "nav", "<nav>{{#user}}{{user.name}}{{/user}}{{^user}}登录{{/user}}</nav>" },
	{ "footer", "<footer>{{year}}</footer>" },
	{ "list", "<ul>{{#items}}{{>item}}{{/items}}</ul>" },
	{ "item", "<li>{{label}}</li>" },
	{ "loop", "x{{>loop}}" },
	{ "broken", "{{#a}}never closed" },
	{ "uses_broken", "before{{>broken}}after" },
	{ "uses_missing", "before{{>no_such_file}}after" },
	{ "sneaky", "{{>../sneaky}}" },
	{ "body_in_partial", "[{{@body}}]" },
	{ "wraps", "<div>{{>body_in_partial}}</div>" },
};

static void write_templates(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tdir, sizeof tdir, "%s/test_html.XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[400];
		FILE *f;
		snprintf(path, sizeof path, "%s/%s.html", tdir, files[i].name);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		ck_assert_int_ge(fputs(files[i].text, f), 0);
		ck_assert_int_eq(fclose(f), 0);
	}
	html_set_dir(tdir);
}

static void remove_templates(void)
{
	html_set_dir(NULL);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[400];
		snprintf(path, sizeof path, "%s/%s.html", tdir, files[i].name);
		unlink(path);
	}
	rmdir(tdir);
}

static const struct {
	const char *name;
	const char *json;
	const char *body;
	const char *want;
} file_renders[] = {
	{ "page", "{\"title\":\"标题\",\"name\":\"<x>\"}", NULL,
	  "<h1>标题</h1><i>&lt;x&gt;</i><p>after 标题</p>" },
	{ "layout", "{\"user\":{\"name\":\"张三\"},\"year\":2026}", "<p>正文</p>",
	  "<html><nav>张三</nav><main><p>正文</p></main><footer>2026</footer></html>" },
	{ "layout", "{\"year\":2026}", NULL,
	  "<html><nav>登录</nav><main></main><footer>2026</footer></html>" },
	{ "list", "{\"items\":[{\"label\":\"a\"},{\"label\":\"<b>\"}]}", NULL,
	  "<ul><li>a</li><li>&lt;b&gt;</li></ul>" },
	{ "list", "{\"items\":[]}", NULL, "<ul></ul>" },
	{ "wraps", "{}", "<b>raw</b>", "<div>[<b>raw</b>]</div>" },
};

START_TEST(render_file)
{
	json_object *data = json_tokener_parse(file_renders[_i].json);
	struct buf out = BUF_INIT, err = BUF_INIT;
	/* Twice: first from the files, then from the compiled cache. */
	for (int round = 0; round < 2; round++) {
		buf_reset(&out);
		ck_assert_int_eq(html_render(&out, file_renders[_i].name, data, file_renders[_i].body,
					     &err), 0);
		ck_assert_str_eq(err.data, "");
		ck_assert_str_eq(out.data, file_renders[_i].want);
	}
	json_object_put(data);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(partial_from_string)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	json_object *data = json_tokener_parse("{\"name\":\"n\"}");
	ck_assert_int_eq(html_render_string(&out, "a{{>part}}b", data, NULL, &err), 0);
	ck_assert_str_eq(out.data, "a<i>n</i>b");
	json_object_put(data);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

static const struct {
	const char *name;
	const char *message;
} file_errors[] = {
	{ "no_such_template", "No such file" },
	{ "broken", "never closed" },
	{ "uses_broken", "never closed" },
	{ "uses_missing", "No such file" },
	{ "loop", "nested too deep" },
	{ "sneaky", "bad template name" },
	{ "../page", "bad template name" },
	{ "Page", "bad template name" },
	{ "page.html", "bad template name" },
	{ "a/b", "bad template name" },
	{ "page ", "bad template name" },
	{ "页面", "bad template name" },
};

START_TEST(file_error)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	buf_adds(&out, "keep:");
	ck_assert_int_eq(html_render(&out, file_errors[_i].name, NULL, NULL, &err), -1);
	ck_assert_msg(strstr(err.data, file_errors[_i].message), "\"%s\" lacks \"%s\"", err.data,
		      file_errors[_i].message);
	ck_assert_str_eq(out.data, "keep:");
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(cache_until_cleared)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	char path[400];
	FILE *f;
	ck_assert_int_eq(html_render(&out, "item", NULL, NULL, &err), 0);
	ck_assert_str_eq(out.data, "<li></li>");
	snprintf(path, sizeof path, "%s/item.html", tdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("<li class=\"new\"></li>", f);
	ck_assert_int_eq(fclose(f), 0);
	buf_reset(&out);
	ck_assert_int_eq(html_render(&out, "item", NULL, NULL, &err), 0);
	ck_assert_str_eq(out.data, "<li></li>"); /* compiled once per process */
	html_cache_clear();
	buf_reset(&out);
	ck_assert_int_eq(html_render(&out, "item", NULL, NULL, &err), 0);
	ck_assert_str_eq(out.data, "<li class=\"new\"></li>");
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(many_templates_in_one_render)
{
	/* Loading partials while a template is being rendered must not move
	 * the template being rendered (the cache grows underneath it). */
	struct buf out = BUF_INIT, err = BUF_INIT;
	json_object *data = json_tokener_parse("{\"title\":\"t\",\"name\":\"n\",\"year\":1}");
	html_cache_clear();
	ck_assert_int_eq(html_render(&out, "page", data, NULL, &err), 0);
	ck_assert_int_eq(html_render(&out, "layout", data, "B", &err), 0);
	ck_assert_str_eq(out.data, "<h1>t</h1><i>n</i><p>after t</p>"
				   "<html><nav>登录</nav><main>B</main><footer>1</footer></html>");
	json_object_put(data);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

static Suite *html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("strings");
	TCase *tf = tcase_create("files");
	tcase_add_loop_test(tc, escape, 0, (int)(sizeof escapes / sizeof escapes[0]));
	tcase_add_test(tc, escape_uses_len);
	tcase_add_loop_test(tc, url, 0, (int)(sizeof urls / sizeof urls[0]));
	tcase_add_loop_test(tc, amount, 0, (int)(sizeof amounts / sizeof amounts[0]));
	tcase_add_loop_test(tc, date, 0, (int)(sizeof dates / sizeof dates[0]));
	tcase_add_loop_test(tc, render, 0, (int)(sizeof renders / sizeof renders[0]));
	tcase_add_test(tc, render_null_data);
	tcase_add_loop_test(tc, syntax_error, 0, (int)(sizeof syntax_errors / sizeof syntax_errors[0]));
	tcase_add_test(tc, runaway_render_is_stopped);
	tcase_add_test(tc, nesting_limit);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tf, write_templates, remove_templates);
	tcase_add_loop_test(tf, render_file, 0, (int)(sizeof file_renders / sizeof file_renders[0]));
	tcase_add_test(tf, partial_from_string);
	tcase_add_loop_test(tf, file_error, 0, (int)(sizeof file_errors / sizeof file_errors[0]));
	tcase_add_test(tf, cache_until_cleared);
	tcase_add_test(tf, many_templates_in_one_render);
	suite_add_tcase(s, tf);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(html_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
