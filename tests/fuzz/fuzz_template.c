/* libFuzzer target for the template renderer of src/html.
 *
 * The input is a template (up to its first NUL byte) rendered against fixed
 * data holding every JSON type, nested sections and strings full of markup.
 * The promises of html.h are checked: a render either succeeds or fails with
 * a message and leaves the output as it was; and no data string ever reaches
 * the output unescaped.  The data's strings wrap each markup character in the
 * bytes 0x01 and 0x02, which inputs may not contain, so "\x01<\x02" in the
 * output can only be a data '<' that escaped escaping (a data string always
 * starts with 0x01 and ends with 0x02, so template text between two data
 * values cannot form the pattern).  Partials are looked up in a directory that does
 * not exist, so {{>x}} takes the error path.  Any broken promise traps.
 */
#include "core/html.h"

#include <stdint.h>
#include <string.h>

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

/* JSON text of a string: each markup character between \u0001 and \u0002. */
#define MARK "\\u0001<\\u0002\\u0001\\\"\\u0002\\u0001'\\u0002\\u0001&\\u0002\\u0001>\\u0002"

static int raw_markup(char c)
{
	return c == '<' || c == '>' || c == '"' || c == '\'' || c == '&';
}

static json_object *fixture(void)
{
	static const char text[] =
		"{\"s\": \"" MARK "\", \"n\": 0, \"i\": 42, \"m\": -1234567.5, \"w\": \"2026-12-08 17:00:00\", \"d\": 1.5, \"t\": true, \"f\": false,"
		" \"z\": null, \"e\": \"\", \"a\": [\"" MARK "\", {\"s\": \"x\"}, [1, 2], null],"
		" \"o\": {\"s\": \"" MARK "\", \"o\": {\"a\": [true]}}, \"empty\": []}";
	json_object *o = json_tokener_parse(text);
	CHECK(o != NULL);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object *root;
	struct buf tmpl = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	int rc;

	if (!root) {
		root = fixture();
		html_set_dir("/nonexistent-biaogan-fuzz");
	}
	if (memchr(data, 0x01, size) || memchr(data, 0x02, size))
		return 0;
	buf_add(&tmpl, data, size);
	buf_adds(&out, "prefix");
	rc = html_render_string(&out, tmpl.data, root, NULL, &err);
	if (rc == 0) {
		CHECK(err.len == 0);
		for (size_t i = 0; i + 2 < out.len; i++)
			CHECK(!(out.data[i] == 0x01 && raw_markup(out.data[i + 1]) &&
				out.data[i + 2] == 0x02));
	} else {
		CHECK(rc == -1 && err.len > 0);
		CHECK(out.len == 6 && !strcmp(out.data, "prefix"));
	}
	CHECK(out.data[out.len] == '\0');
	buf_release(&tmpl);
	buf_release(&out);
	buf_release(&err);
	return 0;
}
