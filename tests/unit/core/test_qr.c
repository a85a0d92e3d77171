/* Unit tests for src/core/qr.c: the SVG of a known URL (its size from the
 * symbol libqrencode makes, appended after what out held), the drawing read
 * back module by module and compared with the symbol, the aria-label
 * escaped, nothing a strict CSP would block, and refused inputs leaving out
 * as it was. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "core/buf.h"
#include "core/qr.h"
#include "core/banned.h"

static const char url[] = "https://biaogan.example.gov.cn/notice/verify?id=2026-0042&h=9f3a";

/* The symbol qr_svg must draw: the same call with the same parameters. */
static QRcode *symbol(const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(qr);
	return qr;
}

static bool ends_with(const struct buf *b, const char *tail)
{
	size_t n = strlen(tail);
	return b->len >= n && !memcmp(b->data + b->len - n, tail, n);
}

START_TEST(svg_of_a_url)
{
	struct buf out = BUF_INIT, want = BUF_INIT;
	QRcode *qr = symbol(url);
	int n = qr->width + 8;

	buf_adds(&out, "<p>");
	ck_assert_int_eq(qr_svg(&out, url, 4), 0);
	ck_assert_mem_eq(out.data, "<p><svg ", 8);
	ck_assert(ends_with(&out, "</svg>"));
	buf_addf(&want, "viewBox=\"0 0 %d %d\"", n, n);
	ck_assert_ptr_nonnull(strstr(out.data, want.data));
	buf_reset(&want);
	buf_addf(&want, "width=\"%d\" height=\"%d\"", n * 4, n * 4);
	ck_assert_ptr_nonnull(strstr(out.data, want.data));
	buf_reset(&want);
	buf_addf(&want, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>", n, n);
	ck_assert_ptr_nonnull(strstr(out.data, want.data));
	ck_assert_ptr_nonnull(strstr(out.data, "shape-rendering=\"crispEdges\""));
	ck_assert_ptr_nonnull(strstr(out.data, "role=\"img\""));
	ck_assert_ptr_nonnull(strstr(out.data, "<path fill=\"#000\" d=\"M"));
	/* One path, one rect, nothing a strict CSP would refuse. */
	ck_assert_ptr_null(strstr(strstr(out.data, "<path") + 1, "<path"));
	ck_assert_ptr_null(strstr(out.data, "style"));
	ck_assert_ptr_null(strstr(out.data, "<script"));
	ck_assert_ptr_null(strstr(out.data, "<?xml"));
	ck_assert_ptr_null(strstr(out.data, "href"));
	/* The URL's & is escaped in the label. */
	ck_assert_ptr_nonnull(strstr(out.data, "aria-label=\"二维码：https://biaogan.example.gov.cn/"
					       "notice/verify?id=2026-0042&amp;h=9f3a\""));
	QRcode_free(qr);
	buf_release(&out);
	buf_release(&want);
}
END_TEST

/* Reads the path back (the "M x y h n v1 h-n z" runs qr.c writes) into a
 * grid of modules and compares it with the symbol, quiet zone included:
 * what a scanner would see is what libqrencode made. */
START_TEST(drawing_matches_symbol)
{
	struct buf out = BUF_INIT;
	QRcode *qr = symbol(url);
	int w = qr->width, n = w + 8;
	unsigned char *grid = xcalloc((size_t)n * (size_t)n, 1);
	const char *p;

	ck_assert_int_eq(qr_svg(&out, url, 3), 0);
	p = strstr(out.data, " d=\"");
	ck_assert_ptr_nonnull(p);
	p += 4;
	while (*p == 'M') {
		int x, y, len, back, used = 0;
		ck_assert_int_eq(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &len, &back, &used), 4);
		ck_assert_int_gt(used, 0);
		ck_assert_int_eq(len, back);
		ck_assert(len > 0 && y >= 4 && y < n - 4 && x >= 4 && x + len <= n - 4);
		for (int i = 0; i < len; i++) {
			ck_assert_int_eq(grid[y * n + x + i], 0); /* no overlaps */
			grid[y * n + x + i] = 1;
		}
		p += used;
	}
	ck_assert_int_eq(*p, '"');
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++) {
			bool inside = x >= 4 && x < n - 4 && y >= 4 && y < n - 4;
			int dark = inside ? qr->data[(y - 4) * w + (x - 4)] & 1 : 0;
			ck_assert_int_eq(grid[y * n + x], dark);
		}
	free(grid);
	QRcode_free(qr);
	buf_release(&out);
}
END_TEST

START_TEST(label_is_escaped)
{
	struct buf out = BUF_INIT;
	const char *label, *end;
	ck_assert_int_eq(qr_svg(&out, "a<b>\"c\"&'d'", 2), 0);
	label = strstr(out.data, "aria-label=\"");
	ck_assert_ptr_nonnull(label);
	label += strlen("aria-label=\"");
	end = strchr(label, '"');
	ck_assert_ptr_nonnull(end);
	ck_assert_int_eq((int)(end - label),
			 (int)strlen("二维码：a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;"));
	ck_assert_mem_eq(label, "二维码：a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;", end - label);
	ck_assert_mem_eq(end, "\"><rect ", 8); /* the attribute closes here */
	buf_release(&out);
}
END_TEST

START_TEST(refuses_bad_input)
{
	static const struct {
		const char *text;
		int px;
		int err;
	} bad[] = {
		{ NULL, 4, EINVAL },
		{ "", 4, EINVAL },
		{ "https://x.cn/", 0, EINVAL },
		{ "https://x.cn/", -1, EINVAL },
		{ "https://x.cn/", QR_MODULE_PX_MAX + 1, EINVAL },
		{ "https://x.cn/\xC3(", 4, EINVAL }, /* not UTF-8 */
	};
	char *long_text = xmalloc(QR_TEXT_MAX + 2);
	struct buf out = BUF_INIT;
	buf_adds(&out, "kept");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		ck_assert_int_eq(qr_svg(&out, bad[i].text, bad[i].px), -1);
		ck_assert_int_eq(errno, bad[i].err);
		ck_assert_str_eq(out.data, "kept");
	}
	memset(long_text, 'a', QR_TEXT_MAX + 1);
	long_text[QR_TEXT_MAX + 1] = '\0';
	errno = 0;
	ck_assert_int_eq(qr_svg(&out, long_text, 4), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_str_eq(out.data, "kept");
	/* The limit itself is accepted, and so are the extreme sizes. */
	long_text[QR_TEXT_MAX] = '\0';
	ck_assert_int_eq(qr_svg(&out, long_text, QR_MODULE_PX_MAX), 0);
	ck_assert_int_eq(qr_svg(&out, "x", 1), 0);
	free(long_text);
	buf_release(&out);
}
END_TEST

static Suite *qr_suite(void)
{
	Suite *s = suite_create("qr");
	TCase *tc = tcase_create("svg");
	tcase_add_test(tc, svg_of_a_url);
	tcase_add_test(tc, drawing_matches_symbol);
	tcase_add_test(tc, label_is_escaped);
	tcase_add_test(tc, refuses_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(qr_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
