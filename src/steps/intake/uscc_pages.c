#include "steps/intake/uscc_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "steps/intake/enterprise.h"

#include "core/banned.h"

static const struct field_spec uscc_add_fields[] = {
	{ "uscc", "统一社会信用代码", FIELD_LINE, true, 40, 0, 0, NULL },
	{ "reason", "核实情况", FIELD_TEXT, true, 500, 0, 0, NULL },
};

static const struct field_spec uscc_remove_fields[] = {
	{ "uscc", "统一社会信用代码", FIELD_LINE, true, 40, 0, 0, NULL },
};

static int show_uscc(struct ctx *c, int status, const struct form *f)
{
	json_object *rows = NULL;
	int rc = enterprise_uscc_exceptions(&rows);
	if (rc != DB_OK)
		return rc;
	app_set(c, "exceptions", rows);
	if (f)
		app_set(c, "form", form_json(f));
	if (request_param(&c->req, "done"))
		app_set_str(c, "notice", "已保存。");
	return app_render(c, status, "admin_uscc", "信用代码校验例外");
}

int uscc_page_list(struct ctx *c)
{
	return show_uscc(c, 200, NULL);
}

/* Only a code whose single fault is its check character can be excepted:
 * anything else is a typing error, which an exception must not bless (that
 * includes positions 1-2, checked by uscc_validate before the check
 * character).  Nor a code that could not register anyway: only an
 * enterprise's (91) is worth an exception. */
int uscc_page_add(struct ctx *c)
{
	struct form f;
	char code[USCC_LEN + 1] = "";
	int rc = DB_OK, status = 422;
	form_init(&f, uscc_add_fields, ARRAY_LEN(uscc_add_fields));
	if (!form_validate(&f, &c->req)) {
		struct uscc_result r;
		const char *v = form_str(&f, "uscc");
		enum uscc_status st = uscc_validate(v, strlen(v), &r);
		enterprise_check_mismatch_code(v, code);
		if (st == USCC_OK) {
			form_error(&f, "uscc", "该代码校验正确，无需登记例外。");
		} else if (!code[0]) {
			char msg[USCC_MESSAGE_MAX];
			uscc_message(&r, msg, sizeof msg);
			form_error(&f, "uscc", msg);
		} else {
			char why[USCC_MESSAGE_MAX + 64];
			if (!uscc_applicant_ok(code, why, USCC_MESSAGE_MAX)) {
				size_t n = strlen(why);
				snprintf(why + n, sizeof why - n, "。这样的代码登记例外后也不能注册。");
				form_error(&f, "uscc", why);
			}
		}
	}
	if (!f.errors) {
		rc = enterprise_uscc_exception_add(&c->actor, code, form_str(&f, "reason"));
		if (rc == DB_OK) {
			form_release(&f);
			return app_redirect(c, "/admin/uscc?done=1");
		}
		if (rc == DB_CONFLICT) {
			form_error(&f, "uscc", "该代码已登记为例外。");
			status = 409;
			rc = DB_OK;
		}
	}
	if (rc == DB_OK)
		rc = show_uscc(c, status, &f);
	form_release(&f);
	return rc;
}

int uscc_page_remove(struct ctx *c)
{
	struct form f;
	int rc;
	form_init(&f, uscc_remove_fields, ARRAY_LEN(uscc_remove_fields));
	if (form_validate(&f, &c->req)) {
		form_release(&f);
		return app_fail(c, 404, "没有这条例外。");
	}
	rc = enterprise_uscc_exception_remove(&c->actor, form_str(&f, "uscc"));
	form_release(&f);
	if (rc == ENT_E_NOT_FOUND)
		return app_fail(c, 404, "没有这条例外（可能已被撤销）。");
	return rc == DB_OK ? app_redirect(c, "/admin/uscc?done=1") : rc;
}
