/* html: escaping and the template renderer.
 *
 * Templates are files in templates_dir (NAME.html), compiled once per process
 * and filled from json-c data.  The syntax is a small, logic-less subset of
 * Mustache:
 *   {{a.b}}        value, HTML-escaped (all of & < > " ' : safe in text and in
 *                  quoted attributes)
 *   {{a.b|url}}    value percent-encoded for a URL component, then escaped
 *   {{a.b|amount}} a decimal number with its thousands grouped (1,234.5),
 *                  then escaped; anything else as it is
 *   {{a.b|date}}   a date "YYYY-MM-DD[ HH:MM[:SS]]" as 2026年11月25日[ 17:00],
 *                  then escaped; anything else as it is
 *   {{#a}}..{{/a}} section: once per array element, once for a true value or
 *                  object (which becomes the innermost lookup scope), never for
 *                  false, null, 0, "" or []
 *   {{^a}}..{{/a}} inverted section: only when {{#a}} would not render
 *   {{.}}          the current element;  {{>name}} include name.html;
 *   {{!...}}       comment;  {{@body}} the page body inside the layout
 * There is no way for data to reach the page unescaped: the only raw insert
 * is {{@body}}, which the renderer fills with HTML it rendered itself.
 */
#ifndef BIAOGAN_HTML_H
#define BIAOGAN_HTML_H

#include <json-c/json.h>

#include "core/buf.h"

void html_escape(struct buf *out, const char *s, size_t len);
void url_encode(struct buf *out, const char *s, size_t len);
/* "-1234567.89" -> "-1,234,567.89": a plain decimal (an optional minus,
 * digits, an optional fraction) with commas between its thousands;
 * anything else (empty, "1e5", "12.", text) appended as it is. */
void amount_group(struct buf *out, const char *s, size_t len);
/* "2026-11-25" -> "2026年11月25日", "2026-11-25 17:00[:00]" -> "2026年11月25日
 * 17:00" (the staff pages' dates, as the public notices write them);
 * anything else appended as it is. */
void date_zh(struct buf *out, const char *s, size_t len);

/* Where templates are read from (default: config templates_dir). */
void html_set_dir(const char *dir);
/* Render template name with data into out.  body (may be NULL) fills
 * {{@body}}.  Returns 0, or -1 with a message in err (missing file, syntax
 * error: unclosed or mismatched section, or a render past its limits of
 * 2 million steps or 16 MiB) and out as it was. */
int html_render(struct buf *out, const char *name, json_object *data, const char *body,
		struct buf *err);
/* Render from a string (tests, fuzzing); same rules. */
int html_render_string(struct buf *out, const char *tmpl, json_object *data, const char *body,
		       struct buf *err);
/* Forget compiled templates (tests). */
void html_cache_clear(void);

#endif
