#include "core/html.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/banned.h"

void html_escape(struct buf *out, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(out, s + start, i - start);
		buf_adds(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool digits_at(const char *s, size_t from, size_t n)
{
	for (size_t i = from; i < from + n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

void date_zh(struct buf *out, const char *s, size_t len)
{
	int month, day;
	if (len < 10 || !digits_at(s, 0, 4) || s[4] != '-' || !digits_at(s, 5, 2) || s[7] != '-' ||
	    !digits_at(s, 8, 2) || (len > 10 && s[10] != ' ')) {
		buf_add(out, s, len);
		return;
	}
	month = (s[5] - '0') * 10 + (s[6] - '0');
	day = (s[8] - '0') * 10 + (s[9] - '0');
	if (month < 1 || month > 12 || day < 1 || day > 31) {
		buf_add(out, s, len);
		return;
	}
	buf_add(out, s, 4);
	buf_addf(out, "年%d月%d日", month, day);
	if (len >= 16 && digits_at(s, 11, 2) && s[13] == ':' && digits_at(s, 14, 2) &&
	    (len == 16 || (len == 19 && s[16] == ':' && digits_at(s, 17, 2))))
		buf_add(out, s + 10, 6); /* " HH:MM", seconds left out */
	else
		buf_add(out, s + 10, len - 10);
}

void amount_group(struct buf *out, const char *s, size_t len)
{
	size_t sign = len && s[0] == '-', end = sign, tail;
	while (end < len && is_digit(s[end]))
		end++;
	tail = end; /* past the fraction, when there is a valid one */
	if (tail < len && s[tail] == '.') {
		size_t first = ++tail;
		while (tail < len && is_digit(s[tail]))
			tail++;
		if (tail == first)
			tail = 0; /* "12." */
	}
	if (end == sign || tail != len) { /* not a plain decimal: as it is */
		buf_add(out, s, len);
		return;
	}
	buf_add(out, s, sign);
	for (size_t i = sign; i < end; i++) {
		if (i > sign && (end - i) % 3 == 0)
			buf_addc(out, ',');
		buf_addc(out, s[i]);
	}
	buf_add(out, s + end, len - end);
}

void url_encode(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
	}
}

enum tok_kind {
	T_TEXT,
	T_VAR,
	T_VAR_URL,
	T_VAR_AMOUNT,
	T_VAR_DATE,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_PARTIAL,
	T_BODY
};

struct token {
	enum tok_kind kind;
	const char *s; /* text or tag name, into the template's text */
	size_t len;
	size_t end; /* for sections: index of the matching close */
};

struct tmpl {
	char *name;
	char *text; /* owned */
	struct token *toks;
	size_t n;
};

/* Each compiled template has its own allocation: a template being rendered
 * must not move when a partial it includes is loaded into the cache. */
static struct tmpl **cache;
static size_t n_cache;
static char *tdir;

void html_set_dir(const char *dir)
{
	free(tdir);
	tdir = dir ? xstrdup(dir) : NULL;
	html_cache_clear();
}

static void tmpl_free(struct tmpl *t)
{
	free(t->name);
	free(t->text);
	free(t->toks);
}

void html_cache_clear(void)
{
	for (size_t i = 0; i < n_cache; i++) {
		tmpl_free(cache[i]);
		free(cache[i]);
	}
	free(cache);
	cache = NULL;
	n_cache = 0;
}

static int compile(struct tmpl *t, struct buf *err)
{
	size_t stack[32], depth = 0, cap = 0;
	const char *p = t->text;
	t->toks = NULL;
	t->n = 0;
	for (;;) {
		const char *open = strstr(p, "{{"), *close, *name;
		struct token tok = { T_TEXT, p, 0, 0 };
		size_t nlen;
		if (t->n + 2 > cap) {
			cap = cap ? cap * 2 : 32;
			t->toks = xrealloc(t->toks, cap * sizeof *t->toks);
		}
		if (!open) {
			tok.len = strlen(p);
			if (tok.len)
				t->toks[t->n++] = tok;
			break;
		}
		if (open > p) {
			tok.len = (size_t)(open - p);
			t->toks[t->n++] = tok;
		}
		close = strstr(open + 2, "}}");
		if (!close) {
			buf_addf(err, "%s: unclosed tag", t->name);
			return -1;
		}
		name = open + 2;
		switch (*name) {
		case '#': tok.kind = T_SECTION; name++; break;
		case '^': tok.kind = T_INVERTED; name++; break;
		case '/': tok.kind = T_CLOSE; name++; break;
		case '>': tok.kind = T_PARTIAL; name++; break;
		case '@': tok.kind = T_BODY; name++; break;
		case '!': tok.kind = T_TEXT; break;
		default: tok.kind = T_VAR; break;
		}
		p = close + 2;
		if (*(open + 2) == '!')
			continue;
		while (*name == ' ')
			name++;
		nlen = (size_t)(close - name);
		while (nlen && name[nlen - 1] == ' ')
			nlen--;
		if (tok.kind == T_VAR && nlen > 4 && !memcmp(name + nlen - 4, "|url", 4)) {
			tok.kind = T_VAR_URL;
			nlen -= 4;
		} else if (tok.kind == T_VAR && nlen > 7 && !memcmp(name + nlen - 7, "|amount", 7)) {
			tok.kind = T_VAR_AMOUNT;
			nlen -= 7;
		} else if (tok.kind == T_VAR && nlen > 5 && !memcmp(name + nlen - 5, "|date", 5)) {
			tok.kind = T_VAR_DATE;
			nlen -= 5;
		}
		if (!nlen || memchr(name, '{', nlen) || memchr(name, '}', nlen) ||
		    memchr(name, '|', nlen)) {
			buf_addf(err, "%s: empty or malformed tag", t->name);
			return -1;
		}
		if (tok.kind == T_BODY && (nlen != 4 || memcmp(name, "body", 4))) {
			buf_addf(err, "%s: only {{@body}} is a raw insert", t->name);
			return -1;
		}
		tok.s = name;
		tok.len = nlen;
		if (tok.kind == T_SECTION || tok.kind == T_INVERTED) {
			if (depth == sizeof stack / sizeof stack[0]) {
				buf_addf(err, "%s: sections nested too deep", t->name);
				return -1;
			}
			stack[depth++] = t->n;
		} else if (tok.kind == T_CLOSE) {
			struct token *o;
			if (!depth) {
				buf_addf(err, "%s: {{/%.*s}} without an open section", t->name, (int)nlen, name);
				return -1;
			}
			o = &t->toks[stack[--depth]];
			if (o->len != nlen || memcmp(o->s, name, nlen)) {
				buf_addf(err, "%s: {{/%.*s}} closes {{#%.*s}}", t->name, (int)nlen, name,
					 (int)o->len, o->s);
				return -1;
			}
			o->end = t->n;
		}
		t->toks[t->n++] = tok;
	}
	if (depth) {
		struct token *o = &t->toks[stack[depth - 1]];
		buf_addf(err, "%s: {{#%.*s}} is never closed", t->name, (int)o->len, o->s);
		return -1;
	}
	return 0;
}

static struct tmpl *load(const char *name, struct buf *err)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct tmpl t;
	FILE *f;
	char chunk[4096];
	size_t got;

	for (size_t i = 0; i < n_cache; i++)
		if (!strcmp(cache[i]->name, name))
			return cache[i];
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-')) {
			buf_addf(err, "bad template name %s", name);
			return NULL;
		}
	buf_addf(&path, "%s/%s.html", tdir ? tdir : config_str("templates_dir", BIAOGAN_TEMPLATES_DIR),
		 name);
	f = fopen(path.data, "r");
	if (!f) {
		buf_addf(err, "%s: %s", path.data, strerror(errno));
		buf_release(&path);
		return NULL;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&text, chunk, got);
	fclose(f);
	buf_release(&path);
	t.name = xstrdup(name);
	t.text = buf_detach(&text, NULL);
	if (compile(&t, err)) {
		tmpl_free(&t);
		return NULL;
	}
	cache = xrealloc(cache, (n_cache + 1) * sizeof *cache);
	cache[n_cache] = xmalloc(sizeof t);
	*cache[n_cache] = t;
	return cache[n_cache++];
}

/* Lookup scopes, innermost last. */
/* A render's limits: no page comes near them, but nested sections over
 * arrays multiply, and a template mistake must not hang a worker. */
#define RENDER_MAX_STEPS 2000000
#define RENDER_MAX_BYTES (16u << 20)

struct scope {
	json_object *v[32];
	size_t n;
	size_t steps; /* tokens visited so far */
	size_t start; /* out->len when the render began */
};

static json_object *lookup(const struct scope *sc, const char *name, size_t len, bool *found)
{
	*found = true;
	if (len == 1 && name[0] == '.')
		return sc->v[sc->n - 1];
	for (size_t i = sc->n; i-- > 0;) {
		json_object *cur = sc->v[i], *next;
		const char *p = name, *end = name + len;
		bool first = true;
		while (p < end) {
			const char *dot = memchr(p, '.', (size_t)(end - p));
			size_t plen = dot ? (size_t)(dot - p) : (size_t)(end - p);
			char key[128];
			if (plen >= sizeof key || plen == 0)
				goto miss;
			memcpy(key, p, plen);
			key[plen] = '\0';
			if (json_object_is_type(cur, json_type_array) && strspn(key, "0123456789") == plen &&
			    plen < 9) {
				/* {{#list.0}}: "has a first element" */
				size_t idx = 0;
				for (size_t k = 0; k < plen; k++)
					idx = idx * 10 + (size_t)(key[k] - '0');
				next = json_object_array_get_idx(cur, idx);
				if (!next)
					goto miss;
			} else if (!json_object_is_type(cur, json_type_object) ||
				   !json_object_object_get_ex(cur, key, &next)) {
				goto miss;
			}
			cur = next;
			first = false;
			p = dot ? dot + 1 : end;
		}
		return cur;
	miss:
		/* A dotted name resolves from the first scope that has its head. */
		if (!first)
			break;
	}
	*found = false;
	return NULL;
}

static bool truthy(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return false;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_int:
		return json_object_get_int64(v) != 0;
	case json_type_double:
		return json_object_get_double(v) != 0.0;
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_object:
		return true;
	}
	return false;
}

static void emit_value(struct buf *out, json_object *v, enum tok_kind filter)
{
	const char *s;
	size_t len;
	struct buf tmp = BUF_INIT;
	if (!v || json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
		return;
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
	} else {
		s = json_object_get_string(v);
		len = strlen(s);
	}
	if (filter == T_VAR_URL)
		url_encode(&tmp, s, len);
	else if (filter == T_VAR_AMOUNT)
		amount_group(&tmp, s, len);
	else if (filter == T_VAR_DATE)
		date_zh(&tmp, s, len);
	if (filter != T_VAR) {
		s = tmp.data ? tmp.data : "";
		len = tmp.len;
	}
	html_escape(out, s, len);
	buf_release(&tmp);
}

static int render(struct buf *out, const struct tmpl *t, size_t from, size_t to, struct scope *sc,
		  const char *body, int depth, struct buf *err);

static int render_partial(struct buf *out, const struct token *tok, struct scope *sc,
			  const char *body, int depth, struct buf *err)
{
	char name[64];
	const struct tmpl *p;
	if (depth > 16 || tok->len >= sizeof name) {
		buf_addf(err, "partial %.*s: nested too deep or name too long", (int)tok->len, tok->s);
		return -1;
	}
	memcpy(name, tok->s, tok->len);
	name[tok->len] = '\0';
	p = load(name, err);
	if (!p)
		return -1;
	return render(out, p, 0, p->n, sc, body, depth + 1, err);
}

static int render(struct buf *out, const struct tmpl *t, size_t from, size_t to, struct scope *sc,
		  const char *body, int depth, struct buf *err)
{
	for (size_t i = from; i < to; i++) {
		const struct token *tok = &t->toks[i];
		bool found;
		json_object *v;
		if (++sc->steps > RENDER_MAX_STEPS || out->len - sc->start > RENDER_MAX_BYTES) {
			buf_adds(err, "rendering too large (nested sections?)");
			return -1;
		}
		switch (tok->kind) {
		case T_TEXT:
			buf_add(out, tok->s, tok->len);
			break;
		case T_VAR:
		case T_VAR_URL:
		case T_VAR_AMOUNT:
		case T_VAR_DATE:
			v = lookup(sc, tok->s, tok->len, &found);
			emit_value(out, v, tok->kind);
			break;
		case T_BODY:
			if (body)
				buf_adds(out, body);
			break;
		case T_PARTIAL:
			if (render_partial(out, tok, sc, body, depth, err))
				return -1;
			break;
		case T_INVERTED:
			v = lookup(sc, tok->s, tok->len, &found);
			if (!truthy(v) && render(out, t, i + 1, tok->end, sc, body, depth, err))
				return -1;
			i = tok->end;
			break;
		case T_SECTION:
			v = lookup(sc, tok->s, tok->len, &found);
			if (truthy(v)) {
				size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1;
				if (sc->n == sizeof sc->v / sizeof sc->v[0]) {
					buf_adds(err, "sections nested too deep");
					return -1;
				}
				for (size_t k = 0; k < n; k++) {
					json_object *item = json_object_is_type(v, json_type_array)
								    ? json_object_array_get_idx(v, k)
								    : v;
					sc->v[sc->n++] = item;
					int rc = render(out, t, i + 1, tok->end, sc, body, depth, err);
					sc->n--;
					if (rc)
						return -1;
				}
			}
			i = tok->end;
			break;
		case T_CLOSE:
			break;
		}
	}
	return 0;
}

static int render_tmpl(struct buf *out, const struct tmpl *t, json_object *data, const char *body,
		       struct buf *err)
{
	struct scope sc;
	size_t mark = out->len;
	sc.n = 1;
	sc.v[0] = data;
	sc.steps = 0;
	sc.start = mark;
	if (render(out, t, 0, t->n, &sc, body, 0, err)) {
		buf_truncate(out, mark);
		return -1;
	}
	return 0;
}

int html_render(struct buf *out, const char *name, json_object *data, const char *body,
		struct buf *err)
{
	const struct tmpl *t = load(name, err);
	return t ? render_tmpl(out, t, data, body, err) : -1;
}

int html_render_string(struct buf *out, const char *text, json_object *data, const char *body,
		       struct buf *err)
{
	struct tmpl t;
	int rc;
	t.name = xstrdup("(string)");
	t.text = xstrdup(text);
	rc = compile(&t, err) ? -1 : render_tmpl(out, &t, data, body, err);
	tmpl_free(&t);
	return rc;
}
