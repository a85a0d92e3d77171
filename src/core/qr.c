#include "core/qr.h"

#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "core/html.h"
#include "core/utf8.h"
#include "core/banned.h"

/* The light margin around the symbol, in modules (ISO/IEC 18004: 4). */
#define QUIET 4

/* Appends the outline of the dark modules: for each row, one closed
 * rectangle per horizontal run ("M x y h n v 1 h -n z"), in module units and
 * shifted by the quiet zone.  Runs instead of one square per module keep a
 * version-10 code to a few kilobytes. */
static void add_runs(struct buf *out, const QRcode *qr)
{
	int w = qr->width;
	for (int y = 0; y < w; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)w;
		int x = 0;
		while (x < w) {
			int start;
			if (!(row[x] & 1)) { /* bit 0 of each byte: dark */
				x++;
				continue;
			}
			start = x;
			while (x < w && (row[x] & 1))
				x++;
			buf_addf(out, "M%d %dh%dv1h-%dz", start + QUIET, y + QUIET, x - start,
				 x - start);
		}
	}
}

int qr_svg(struct buf *out, const char *text, int module_px)
{
	static const char label[] = "二维码：";
	size_t len = text ? strlen(text) : 0;
	QRcode *qr;
	int n, px;

	if (!len || module_px < 1 || module_px > QR_MODULE_PX_MAX || !utf8_valid(text, len)) {
		errno = EINVAL;
		return -1;
	}
	if (len > QR_TEXT_MAX) {
		errno = ERANGE;
		return -1;
	}
	/* Version 0: the smallest symbol that holds the text.  The 8-bit hint
	 * with casesensitive=1 keeps a URL's bytes as they are (libqrencode
	 * may still pick numeric or alphanumeric mode for runs where that is
	 * shorter; the decoded text is the same). */
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return -1; /* errno set by libqrencode */
	n = qr->width + 2 * QUIET;
	px = n * module_px; /* at most (177 + 8) * 64: no overflow */
	buf_addf(out,
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
		 " width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\""
		 " aria-label=\"",
		 n, n, px, px);
	buf_add(out, label, sizeof label - 1);
	html_escape(out, text, len);
	buf_addf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		 n, n);
	add_runs(out, qr);
	buf_adds(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
