#include "core/pagecache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/html.h"
#include "core/banned.h"

struct entry {
	char *host, *uri; /* NULL: a free slot */
	long long counter, minute;
	unsigned long long used; /* the clock of the last get or put */
	int status;
	bool content_type_set; /* else the default, HTML */
	struct buf headers, body;
	pagecache_fill fill;
};

static struct entry slots[PAGECACHE_SLOTS];
static unsigned long long clock_now;

static void drop(struct entry *e)
{
	free(e->host);
	free(e->uri);
	buf_release(&e->headers);
	buf_release(&e->body);
	memset(e, 0, sizeof *e);
	buf_init(&e->headers);
	buf_init(&e->body);
}

static struct entry *find(const struct pagecache_key *k)
{
	for (size_t i = 0; i < PAGECACHE_SLOTS; i++) {
		struct entry *e = &slots[i];
		if (e->uri && !strcmp(e->uri, k->uri) && !strcmp(e->host, k->host))
			return e;
	}
	return NULL;
}

bool pagecache_get(const struct pagecache_key *k, struct response *r, pagecache_fill *fill)
{
	struct entry *e = find(k);
	if (!e || e->counter != k->counter || e->minute != k->minute)
		return false;
	e->used = ++clock_now;
	buf_add(&r->headers, e->headers.data, e->headers.len);
	buf_reset(&r->body);
	buf_add(&r->body, e->body.data, e->body.len);
	r->status = e->status;
	r->content_type_set = e->content_type_set;
	*fill = e->fill;
	return true;
}

static bool sets_cookie(const struct buf *headers, size_t from)
{
	static const char name[] = "Set-Cookie:";
	for (size_t i = from; i + sizeof name - 1 <= headers->len; i++)
		if ((i == from || headers->data[i - 1] == '\n') &&
		    !strncmp(headers->data + i, name, sizeof name - 1))
			return true;
	return false;
}

void pagecache_put(const struct pagecache_key *k, const struct response *r, size_t headers_from,
		   pagecache_fill fill)
{
	struct entry *e;
	if (r->status != 200 || r->stream || r->body.len > PAGECACHE_MAX_BODY ||
	    headers_from > r->headers.len || sets_cookie(&r->headers, headers_from))
		return;
	e = find(k);
	if (!e) {
		/* A free slot, else the least recently used one. */
		e = &slots[0];
		for (size_t i = 0; i < PAGECACHE_SLOTS && e->uri; i++)
			if (!slots[i].uri || slots[i].used < e->used)
				e = &slots[i];
	}
	drop(e);
	e->host = xstrdup(k->host);
	e->uri = xstrdup(k->uri);
	e->counter = k->counter;
	e->minute = k->minute;
	e->used = ++clock_now;
	e->status = r->status;
	e->content_type_set = r->content_type_set;
	buf_add(&e->headers, r->headers.data + headers_from, r->headers.len - headers_from);
	buf_add(&e->body, r->body.data, r->body.len);
	e->fill = fill;
}

void pagecache_clear(void)
{
	for (size_t i = 0; i < PAGECACHE_SLOTS; i++)
		drop(&slots[i]);
}

const char *pagecache_marker(const char *name)
{
	/* One per name used; a handful in the whole program. */
	static struct {
		char name[17];
		char marker[64];
	} made[8];
	static unsigned char secret[8];
	static bool have_secret;
	char hex[2 * sizeof secret + 1];
	size_t i;

	for (i = 0; i < sizeof made / sizeof made[0] && made[i].name[0]; i++)
		if (!strcmp(made[i].name, name))
			return made[i].marker;
	if (i == sizeof made / sizeof made[0] || strlen(name) >= sizeof made[i].name)
		abort(); /* more markers than a program has, or a long name: a bug */
	if (!have_secret) {
		randombytes_buf(secret, sizeof secret);
		have_secret = true;
	}
	sodium_bin2hex(hex, sizeof hex, secret, sizeof secret);
	snprintf(made[i].name, sizeof made[i].name, "%s", name);
	snprintf(made[i].marker, sizeof made[i].marker, "bgfill-%s-%s", hex, name);
	return made[i].marker;
}

void pagecache_fill_marker(struct buf *body, const char *marker, const char *text)
{
	struct buf out = BUF_INIT;
	size_t mlen = strlen(marker), from = 0;
	const char *hit;
	if (!body->len)
		return;
	while ((hit = strstr(body->data + from, marker))) {
		size_t at = (size_t)(hit - body->data);
		buf_add(&out, body->data + from, at - from);
		html_escape(&out, text, strlen(text));
		from = at + mlen;
	}
	if (!out.len && from == 0) {
		buf_release(&out);
		return; /* no marker: nothing to copy */
	}
	buf_add(&out, body->data + from, body->len - from);
	buf_release(body);
	*body = out;
}
