/* Unit tests for src/core/mpform: the CSRF token of a multipart form is its
 * first part and is checked before any other part is read; plain fields go
 * into req.form; file parts reach the caller's callbacks only after the
 * token passed.  Every body is fed whole and in one-byte reads. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/buf.h"
#include "core/html.h"
#include "core/mpform.h"
#include "core/banned.h"

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define OTHER "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define CSRF_PART "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" TOKEN "\r\n"
#define WRONG_PART "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" OTHER "\r\n"
#define FIELD_PART "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n标题\r\n"
#define FILE_PART                                                                        \
	"--B\r\nContent-Disposition: form-data; name=\"file_x\"; filename=\"a.pdf\"\r\n" \
	"Content-Type: application/pdf\r\n\r\n%PDF-1.4 bytes\r\n"
#define END "--B--\r\n"

static const struct mp_limits lim = {
	.max_parts = 10, .max_header_bytes = 1024, .max_field_bytes = 1024,
	.max_file_bytes = 4096, .max_total_bytes = 8192, .max_filename_bytes = 255,
};

struct feed {
	const char *body;
	size_t len, pos, step; /* step 0: all at once */
	int reads;
};

static ssize_t feed_read(void *ctx, char *dst, size_t len)
{
	struct feed *f = ctx;
	size_t n = f->len - f->pos;
	f->reads++;
	if (f->step && n > f->step)
		n = f->step;
	if (n > len)
		n = len;
	memcpy(dst, f->body + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

struct files {
	struct buf seen; /* "{name}bytes{/}" per file part */
};

static int f_begin(void *ctx, const struct mp_part *p)
{
	buf_addf(&((struct files *)ctx)->seen, "{%s}", p->name);
	return 0;
}

static int f_data(void *ctx, const struct mp_part *p, const char *d, size_t n)
{
	(void)p;
	buf_add(&((struct files *)ctx)->seen, d, n);
	return 0;
}

static int f_end(void *ctx, const struct mp_part *p)
{
	(void)p;
	buf_adds(&((struct files *)ctx)->seen, "{/}");
	return 0;
}

static const struct mp_callbacks file_cb = { f_begin, f_data, f_end };

static const struct {
	const char *what;
	const char *body;
	enum mpform_status want;
	int status;       /* of the response made (REFUSED), else 0 */
	enum mp_err err;  /* MPFORM_BODY */
	const char *files;
	const char *title; /* req.form "title" afterwards, NULL: absent */
} cases[] = {
	{ "token, field, file", CSRF_PART FIELD_PART FILE_PART END, MPFORM_OK, 0, MP_OK,
	  "{file_x}%PDF-1.4 bytes{/}", "标题" },
	{ "no token", FIELD_PART FILE_PART END, MPFORM_REFUSED, 403, MP_OK, "", NULL },
	{ "file first", FILE_PART CSRF_PART END, MPFORM_REFUSED, 403, MP_OK, "", NULL },
	{ "wrong token", WRONG_PART FILE_PART END, MPFORM_REFUSED, 403, MP_OK, "", NULL },
	{ "token after a field", FIELD_PART CSRF_PART FILE_PART END, MPFORM_REFUSED, 403, MP_OK, "",
	  NULL },
	{ "no parts at all", END, MPFORM_REFUSED, 403, MP_OK, "", NULL },
	{ "a field not text", CSRF_PART "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n\xC0\xAF\r\n" FILE_PART END,
	  MPFORM_REFUSED, 400, MP_OK, "", NULL },
	{ "cut after the token", CSRF_PART FIELD_PART "--B\r\nContent-Dispo", MPFORM_BODY, 0,
	  MP_ERR_TRUNCATED, "", "标题" },
	{ "cut inside the token", "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n0123",
	  MPFORM_BODY, 0, MP_ERR_TRUNCATED, "", NULL },
};

static void run_case(size_t i, size_t step)
{
	struct ctx c;
	struct feed f = { cases[i].body, strlen(cases[i].body), 0, step, 0 };
	struct files seen = { BUF_INIT };
	enum mp_err err;
	enum mpform_status st;
	const char *title;

	memset(&c, 0, sizeof c);
	c.data = json_object_new_object();
	resp_init(&c.resp);
	c.req.method = METHOD_POST;
	c.req.path = xstrdup("/apply/edit");
	c.req.content_type = xstrdup("multipart/form-data; boundary=B");
	c.req.content_length = (long long)f.len;
	c.req.read_body = feed_read;
	c.req.read_ctx = &f;
	snprintf(c.sess.csrf, sizeof c.sess.csrf, "%s", TOKEN);
	c.csrf_pending = true;

	st = mpform_read(&c, &lim, &file_cb, &seen, &err);
	ck_assert_msg(st == cases[i].want, "%s (step %zu): status %d", cases[i].what, step, st);
	if (st == MPFORM_REFUSED)
		ck_assert_int_eq(c.resp.status, cases[i].status);
	if (st == MPFORM_BODY)
		ck_assert_int_eq(err, cases[i].err);
	if (st == MPFORM_OK)
		ck_assert(!c.csrf_pending);
	/* No byte of a file reaches the caller before the token passed. */
	ck_assert_str_eq(seen.seen.data, cases[i].files);
	title = fields_get(&c.req.form, "title");
	if (cases[i].title)
		ck_assert_str_eq(title ? title : "(none)", cases[i].title);
	else
		ck_assert_ptr_null(title);

	/* A refused token is noted for the audit log (app_refuse). */
	if (st == MPFORM_REFUSED && cases[i].status == 403)
		ck_assert_str_eq(c.refusal.action ? c.refusal.action : "", "refused.csrf");
	buf_release(&c.refusal.detail);
	buf_release(&seen.seen);
	resp_release(&c.resp);
	request_release(&c.req);
	json_object_put(c.data);
}

START_TEST(test_cases)
{
	run_case((size_t)_i, 0);
	run_case((size_t)_i, 1);
	run_case((size_t)_i, 7);
}
END_TEST

START_TEST(test_declared_length_over_the_limit_reads_nothing)
{
	struct ctx c;
	struct feed f = { CSRF_PART END, strlen(CSRF_PART END), 0, 0, 0 };
	enum mp_err err;
	memset(&c, 0, sizeof c);
	c.data = json_object_new_object();
	resp_init(&c.resp);
	c.req.method = METHOD_POST;
	c.req.content_type = xstrdup("multipart/form-data; boundary=B");
	c.req.content_length = (long long)lim.max_total_bytes + 1;
	c.req.read_body = feed_read;
	c.req.read_ctx = &f;
	c.csrf_pending = true;
	ck_assert_int_eq(mpform_read(&c, &lim, &file_cb, NULL, &err), MPFORM_BODY);
	ck_assert_int_eq(err, MP_ERR_TOTAL_TOO_LARGE);
	ck_assert_int_eq(f.reads, 0);
	resp_release(&c.resp);
	request_release(&c.req);
	json_object_put(c.data);
}
END_TEST

START_TEST(test_a_urlencoded_body_was_read_already)
{
	struct ctx c;
	struct feed f = { "x", 1, 0, 0, 0 };
	enum mp_err err;
	memset(&c, 0, sizeof c);
	c.data = json_object_new_object();
	resp_init(&c.resp);
	c.req.method = METHOD_POST;
	c.req.content_type = xstrdup("application/x-www-form-urlencoded");
	c.req.read_body = feed_read;
	c.req.read_ctx = &f;
	ck_assert_int_eq(mpform_read(&c, &lim, &file_cb, NULL, &err), MPFORM_OK);
	ck_assert_int_eq(f.reads, 0);
	resp_release(&c.resp);
	request_release(&c.req);
	json_object_put(c.data);
}
END_TEST

static Suite *mpform_suite(void)
{
	Suite *s = suite_create("mpform");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_cases, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_declared_length_over_the_limit_reads_nothing);
	tcase_add_test(tc, test_a_urlencoded_body_was_read_already);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *src = getenv("BIAOGAN_SRCDIR");
	struct buf dir = BUF_INIT;
	SRunner *sr;
	int failed;
	/* The refusals render the error page. */
	buf_addf(&dir, "%s/htdocs/templates", src ? src : ".");
	html_set_dir(dir.data);
	sr = srunner_create(mpform_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	html_cache_clear();
	buf_release(&dir);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
