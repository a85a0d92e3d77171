/* qr: a QR code as inline SVG, for a page to show (a verification link on a
 * printed notice, say).
 *
 * qr_svg() encodes text with libqrencode (error correction level M, 8-bit
 * mode hint, case-sensitive) and appends one <svg> element to out: no XML
 * prolog, no style attribute, no script, no external reference, so it can be
 * pasted into a page served under the strict CSP (presentation attributes
 * such as fill are not styles and need no 'unsafe-inline').  The drawing is
 * a white <rect> background and a single black <path>, one subpath per run
 * of dark modules in a row, with the 4-module quiet zone the standard asks
 * for; viewBox is in modules, width and height are modules * module_px, and
 * shape-rendering="crispEdges" keeps the edges sharp when the browser
 * scales it.  It is an image to screen readers (role="img") labelled
 * "二维码：" + text, escaped.
 *
 * Only programs that show QR codes link libqrencode (QRENCODE_LIBS).
 */
#ifndef BIAOGAN_QR_H
#define BIAOGAN_QR_H

#include "core/buf.h"

/* Longest text accepted, in bytes.  The codes are for URLs of a few hundred
 * bytes; a longer text gives a symbol too dense to scan off a printed page. */
#define QR_TEXT_MAX 512
/* module_px: 1 to QR_MODULE_PX_MAX CSS pixels per module. */
#define QR_MODULE_PX_MAX 64

/* Appends the SVG of the QR code of text to out.  text: valid UTF-8, 1 to
 * QR_TEXT_MAX bytes.  0, or -1 with errno set (out as it was): EINVAL for a
 * NULL, empty or invalid UTF-8 text or a module_px out of range, ERANGE for
 * a text too long, or libqrencode's own errno (ENOMEM, ERANGE, EINVAL). */
int qr_svg(struct buf *out, const char *text, int module_px);

#endif
