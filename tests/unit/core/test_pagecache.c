/* Unit tests of pagecache: an answer kept and given back whole (status,
 * the page's headers, body, its fill function), only under the same host,
 * URI, counter and minute; what is never kept (not 200, streamed, a
 * cookie, too big); the least recently used entry replaced; markers random
 * per process and filled in escaped. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/pagecache.h"
#include "core/response.h"
#include "core/banned.h"

static int fill_calls;
static int count_fill(struct buf *body)
{
	(void)body;
	fill_calls++;
	return 0;
}

static int no_bytes(void *ctx, resp_writer w, void *wctx)
{
	(void)ctx;
	return w(wctx, "data", 4);
}

static void answer(struct response *r, int status, const char *body)
{
	resp_init(r);
	r->status = status;
	buf_adds(&r->body, body);
}

static struct pagecache_key key(const char *uri, long long counter, long long minute)
{
	struct pagecache_key k = { "example.cn", uri, counter, minute };
	return k;
}

START_TEST(kept_and_given_back)
{
	struct response r, out;
	struct pagecache_key k = key("/publish/list?year=2026", 7, 100);
	pagecache_fill fill = NULL;
	pagecache_clear();
	answer(&r, 200, "<p>名单</p>");
	buf_adds(&r.headers, "X-Front: 1\r\n"); /* the front line's, before the page's */
	resp_header(&r, "Content-Type", "application/json");
	pagecache_put(&k, &r, strlen("X-Front: 1\r\n"), count_fill);
	resp_release(&r);

	resp_init(&out);
	buf_adds(&out.body, "old");
	ck_assert(pagecache_get(&k, &out, &fill));
	ck_assert_int_eq(out.status, 200);
	ck_assert_str_eq(out.body.data, "<p>名单</p>");
	ck_assert_str_eq(out.headers.data, "Content-Type: application/json\r\n");
	ck_assert(out.content_type_set);
	ck_assert_ptr_eq(fill, count_fill);
	resp_release(&out);

	/* Not under another counter, minute, URI or host. */
	struct pagecache_key other[] = { key(k.uri, 8, 100), key(k.uri, 7, 101),
					 key("/publish/list?year=2025", 7, 100),
					 { "evil.example", k.uri, 7, 100 } };
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		resp_init(&out);
		ck_assert(!pagecache_get(&other[i], &out, &fill));
		ck_assert_uint_eq(out.body.len, 0);
		resp_release(&out);
	}
	pagecache_clear();
	resp_init(&out);
	ck_assert(!pagecache_get(&k, &out, &fill));
	resp_release(&out);
}
END_TEST

START_TEST(never_kept)
{
	struct response r, out;
	struct pagecache_key k = key("/publicity/notice", 1, 1);
	pagecache_fill fill;
	char *big = malloc(PAGECACHE_MAX_BODY + 2);
	memset(big, 'x', PAGECACHE_MAX_BODY + 1);
	big[PAGECACHE_MAX_BODY + 1] = '\0';
	for (int i = 0; i < 4; i++) {
		pagecache_clear();
		answer(&r, i == 0 ? 404 : 200, i == 3 ? big : "page");
		if (i == 1)
			resp_cookie(&r, "bg_pre", "abc", 600);
		if (i == 2)
			resp_stream(&r, 4, no_bytes, NULL, NULL);
		pagecache_put(&k, &r, 0, NULL);
		resp_release(&r);
		resp_init(&out);
		ck_assert_msg(!pagecache_get(&k, &out, &fill), "case %d kept", i);
		resp_release(&out);
	}
	free(big);
}
END_TEST

START_TEST(least_recently_used_goes)
{
	struct response r, out;
	char uri[32];
	pagecache_fill fill;
	pagecache_clear();
	for (int i = 0; i < PAGECACHE_SLOTS; i++) {
		snprintf(uri, sizeof uri, "/p%d", i);
		struct pagecache_key k = key(uri, 1, 1);
		answer(&r, 200, uri);
		pagecache_put(&k, &r, 0, NULL);
		resp_release(&r);
	}
	/* /p0 used again: /p1 is now the oldest, and goes for a new page. */
	struct pagecache_key p0 = key("/p0", 1, 1), p1 = key("/p1", 1, 1), nw = key("/new", 1, 1);
	resp_init(&out);
	ck_assert(pagecache_get(&p0, &out, &fill));
	resp_release(&out);
	answer(&r, 200, "new");
	pagecache_put(&nw, &r, 0, NULL);
	resp_release(&r);
	struct pagecache_key *kept[] = { &p0, &nw };
	for (size_t i = 0; i < 2; i++) {
		resp_init(&out);
		ck_assert(pagecache_get(kept[i], &out, &fill));
		resp_release(&out);
	}
	resp_init(&out);
	ck_assert(!pagecache_get(&p1, &out, &fill));
	resp_release(&out);
	/* A page kept again replaces its own entry. */
	answer(&r, 200, "second");
	pagecache_put(&nw, &r, 0, NULL);
	resp_release(&r);
	resp_init(&out);
	ck_assert(pagecache_get(&nw, &out, &fill));
	ck_assert_str_eq(out.body.data, "second");
	resp_release(&out);
	pagecache_clear();
}
END_TEST

START_TEST(markers)
{
	const char *a = pagecache_marker("question"), *b = pagecache_marker("token");
	struct buf body = BUF_INIT;
	ck_assert_ptr_eq(pagecache_marker("question"), a); /* one per name */
	ck_assert_str_ne(a, b);
	ck_assert(strncmp(a, "bgfill-", 7) == 0);
	ck_assert_uint_eq(strlen(a), strlen("bgfill-") + 16 + strlen("-question"));
	buf_addf(&body, "<label>%s</label><input value=\"%s\"><i>%s</i>", a, b, a);
	pagecache_fill_marker(&body, a, "三加<五>");
	pagecache_fill_marker(&body, b, "1\"2");
	ck_assert_str_eq(body.data, "<label>三加&lt;五&gt;</label><input value=\"1&quot;2\">"
				    "<i>三加&lt;五&gt;</i>");
	/* No marker: nothing changes. */
	pagecache_fill_marker(&body, a, "x");
	ck_assert(strstr(body.data, "三加&lt;五&gt;") != NULL);
	buf_release(&body);
	(void)count_fill;
}
END_TEST

static Suite *pagecache_suite(void)
{
	Suite *s = suite_create("pagecache");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, kept_and_given_back);
	tcase_add_test(tc, never_kept);
	tcase_add_test(tc, least_recently_used_goes);
	tcase_add_test(tc, markers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;
	if (sodium_init() < 0)
		return EXIT_FAILURE;
	sr = srunner_create(pagecache_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
