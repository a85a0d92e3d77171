#include "core/form.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/auth.h"
#include "core/utf8.h"
#include "core/banned.h"

void form_init(struct form *f, const struct field_spec *spec, size_t n)
{
	f->spec = spec;
	f->n = n;
	f->v = xcalloc(n + 1, sizeof *f->v); /* v[n]: form-wide message */
	for (size_t i = 0; i <= n; i++)
		f->v[i].value = "";
	f->errors = 0;
}

void form_release(struct form *f)
{
	for (size_t i = 0; f->v && i <= f->n; i++)
		free(f->v[i].error);
	free(f->v);
	f->v = NULL;
}

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msgf(const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	return buf_detach(&m, NULL);
}

static bool is_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return d <= 29;
	return d <= mdays[m - 1];
}

static bool is_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == '\'' ||
		    (unsigned char)*p >= 0x80)
			return false;
	return at[1] != '.' && s[strlen(s) - 1] != '.';
}

char *field_check(const struct field_spec *sp, const char *v, long long *num)
{
	size_t len = strlen(v);
	size_t max = sp->max_chars;
	size_t chars;

	if (!utf8_valid(v, len))
		return msgf("%s含有无效字符。", sp->label);
	if (!len)
		return sp->required ? msgf("请填写%s。", sp->label) : NULL;
	if (utf8_has_controls(v, len, sp->kind == FIELD_TEXT))
		return msgf("%s含有不允许的控制字符。", sp->label);
	/* Shown text only: a password is never displayed, so it cannot
	 * disguise anything, and refusing it could lock out an old one. */
	if (sp->kind != FIELD_PASSWORD && utf8_has_bidi_controls(v, len))
		return msgf("%s含有不可见的文字方向控制字符（如 U+202E），它会改变文字的显示顺序，"
			    "请删除后重新输入。",
			    sp->label);
	chars = utf8_count(v, len);
	if (!max)
		max = sp->kind == FIELD_TEXT ? 5000 : sp->kind == FIELD_PASSWORD ? 128 : 200;
	if (chars > max)
		return msgf("%s不能超过%lld个字符（现为%lld个）。", sp->label, (long long)max,
			    (long long)chars);
	switch (sp->kind) {
	case FIELD_LINE:
	case FIELD_TEXT:
	case FIELD_PASSWORD:
		return NULL;
	case FIELD_LOGIN:
		return auth_login_valid(v) ? NULL
					    : msgf("%s须为3至32位小写字母、数字或 _ . -，并以字母或数字开头。",
						   sp->label);
	case FIELD_INT: {
		char *end;
		long long n;
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno || end == v || *end || v[0] == '+' || v[0] == ' ')
			return msgf("%s须为整数。", sp->label);
		if (n < sp->min || n > sp->max)
			return msgf("%s须在%lld到%lld之间。", sp->label, sp->min, sp->max);
		if (num)
			*num = n;
		return NULL;
	}
	case FIELD_CHOICE:
		for (const char *const *c = sp->choices; c && *c; c++)
			if (!strcmp(*c, v))
				return NULL;
		return msgf("%s的选项无效。", sp->label);
	case FIELD_DATE:
		return is_date(v) ? NULL : msgf("%s须为有效日期（年-月-日）。", sp->label);
	case FIELD_MOBILE:
		if (len == 11 && v[0] == '1' && v[1] >= '3' && v[1] <= '9' &&
		    strspn(v, "0123456789") == 11)
			return NULL;
		return msgf("%s须为11位手机号码。", sp->label);
	case FIELD_EMAIL:
		return is_email(v) ? NULL : msgf("%s格式不正确。", sp->label);
	case FIELD_CITY:
		return len == 6 && strspn(v, "0123456789") == 6
			       ? NULL
			       : msgf("请选择%s。", sp->label);
	}
	abort();
}

int form_validate(struct form *f, const struct request *req)
{
	const struct fields *src = req->method == METHOD_POST ? &req->form : &req->query;
	for (size_t i = 0; i < f->n; i++) {
		const char *v = fields_get(src, f->spec[i].name);
		f->v[i].value = v ? v : "";
		free(f->v[i].error);
		f->v[i].error = field_check(&f->spec[i], f->v[i].value, &f->v[i].num);
		if (f->v[i].error)
			f->errors++;
	}
	return f->errors;
}

static long find(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->spec[i].name, name))
			return (long)i;
	return -1;
}

const char *form_str(const struct form *f, const char *name)
{
	long i = find(f, name);
	if (i < 0)
		abort(); /* asking for an undeclared field is a bug */
	return f->v[i].value;
}

long long form_int(const struct form *f, const char *name)
{
	long i = find(f, name);
	if (i < 0)
		abort();
	return f->v[i].num;
}

void form_error(struct form *f, const char *name, const char *message)
{
	long i = name && *name ? find(f, name) : (long)f->n;
	if (i < 0)
		abort();
	free(f->v[i].error);
	f->v[i].error = xstrdup(message);
	f->errors++;
}

json_object *form_json(const struct form *f)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < f->n; i++) {
		json_object *fo = json_object_new_object();
		/* Passwords are never sent back to the browser. */
		const char *v = f->spec[i].kind == FIELD_PASSWORD ? "" : f->v[i].value;
		json_object_object_add(fo, "value", json_object_new_string(v));
		if (f->v[i].error)
			json_object_object_add(fo, "error", json_object_new_string(f->v[i].error));
		json_object_object_add(o, f->spec[i].name, fo);
	}
	json_object_object_add(o, "_errors", json_object_new_int(f->errors));
	if (f->v[f->n].error)
		json_object_object_add(o, "_message", json_object_new_string(f->v[f->n].error));
	return o;
}

void form_tidy(struct fields *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct field *fl = &fs->v[i];
		char *s = fl->value, *w = s;
		size_t start = 0, end;
		if (strstr(fl->name, "password"))
			continue;
		for (const char *r = s; *r; r++)
			if (!(r[0] == '\r' && r[1] == '\n'))
				*w++ = *r;
		*w = '\0';
		end = (size_t)(w - s);
		while (start < end && strchr(" \t\r\n", s[start]))
			start++;
		while (end > start && strchr(" \t\r\n", s[end - 1]))
			end--;
		memmove(s, s + start, end - start);
		s[end - start] = '\0';
		fl->len = end - start;
	}
}

int form_validate_filters(struct form *f, const struct request *req)
{
	form_validate(f, req);
	if (!f->errors)
		return 200;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].error)
			f->v[i].value = ""; /* a refused filter is not applied */
	form_error(f, "", "部分筛选条件无效，已忽略：请按提示修改。");
	return 422;
}

long long form_param_int(const struct request *req, const struct field_spec *spec)
{
	const char *v = request_param(req, spec->name);
	long long n = 0;
	char *err = field_check(spec, v ? v : "", &n);
	if (err) {
		free(err);
		return 0;
	}
	return n;
}
