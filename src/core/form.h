/* form: declared form fields, their validation, and their re-display.
 *
 * A page declares its fields as a table of field_spec; form_validate()
 * checks every submitted value (presence, length in characters, UTF-8,
 * control characters, bidirectional formatting characters in anything but
 * a password, format) and records a Chinese message per bad field.
 * Handlers read only validated values.  form_json() gives the template
 * {name: {value, error}} so a refused form is shown again with the user's
 * input and the reasons.
 */
#ifndef BIAOGAN_FORM_H
#define BIAOGAN_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/request.h"

enum field_kind {
	FIELD_LINE,     /* one line of text */
	FIELD_TEXT,     /* multi-line text */
	FIELD_LOGIN,    /* account name: see auth_login_valid */
	FIELD_PASSWORD, /* any characters; never re-displayed */
	FIELD_INT,      /* integer within [min, max] */
	FIELD_CHOICE,   /* one of choices[] */
	FIELD_DATE,     /* YYYY-MM-DD, a real date */
	FIELD_MOBILE,   /* mainland mobile number: 11 digits starting 1[3-9] */
	FIELD_EMAIL,
	FIELD_CITY,     /* a 6-digit city code (existence is checked by the handler) */
};

struct field_spec {
	const char *name;
	const char *label; /* Chinese, used in messages */
	enum field_kind kind;
	bool required;
	size_t max_chars; /* LINE/TEXT/PASSWORD/EMAIL; 0: kind default */
	long long min, max; /* INT */
	const char *const *choices; /* CHOICE: NULL-terminated */
};

struct form_value {
	const char *value; /* into the request's fields, or "" */
	char *error;       /* owned; NULL when fine */
	long long num;     /* INT */
};

struct form {
	const struct field_spec *spec;
	size_t n;
	struct form_value *v;
	int errors;
};

void form_init(struct form *f, const struct field_spec *spec, size_t n);
/* Validate from the request's POST fields (GET fields for a GET form). */
int form_validate(struct form *f, const struct request *req);
/* Validate one value alone (unit tests, other callers). NULL when fine,
 * else a malloc'ed message. */
char *field_check(const struct field_spec *spec, const char *value, long long *num);
const char *form_str(const struct form *f, const char *name);
long long form_int(const struct form *f, const char *name);
/* A list's search and filter form (GET): validated as any form, but a
 * refused filter is explained at its field and then not applied (its value
 * emptied), and the form's message says so.  Returns the page's status: 200,
 * or 422 when a filter was refused. */
int form_validate_filters(struct form *f, const struct request *req);
/* Add a handler's own message to a field (or to "" for the whole form). */
void form_error(struct form *f, const char *name, const char *message);
/* {"field": {"value": "...", "error": "..."}, "_errors": N, "_message": "..."} */
json_object *form_json(const struct form *f);
void form_release(struct form *f);

/* Browsers send CRLF in textareas: make each line break one character, as
 * the user sees it, and drop blanks around every value (a reason of spaces
 * is no reason).  In place, before form_validate.  A field whose name
 * contains "password" is left exactly as typed. */
void form_tidy(struct fields *fs);
/* A request value (POST field, else query) checked against spec: its
 * number, or 0 when missing or not valid (the ids of pages: 404, not 422). */
long long form_param_int(const struct request *req, const struct field_spec *spec);

#endif
