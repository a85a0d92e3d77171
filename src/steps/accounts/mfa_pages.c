#include "steps/accounts/mfa_pages.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/db.h"
#include "core/form.h"
#include "core/html.h"
#include "core/log.h"
#include "core/once.h"
#include "core/qr.h"
#include "steps/accounts/mfa.h"
#include "core/banned.h"

/* The once_put purpose of the recovery codes (core/once.h). */
#define MFA_ONCE_CODES "mfa.codes"

static const char *const actions[] = { "begin", NULL };

static const struct field_spec code_fields[] = {
	{ "code", "动态口令", FIELD_LINE, true, 32, 0, 0, NULL },
	{ "next", "跳转地址", FIELD_LINE, false, 200, 0, 0, NULL },
};

static const struct field_spec begin_fields[] = {
	{ "action", "操作", FIELD_CHOICE, true, 0, 0, 0, actions },
};

static const char LOCKED[] =
	"口令连续输错次数过多，账户已锁定15分钟：请稍后重新登录，或联系管理员解锁。";

/* The page for the state of the session and the account: the login's code,
 * an enrolment (due at login, or begun by the user), or the status. */
static int show(struct ctx *c, int status, struct form *f)
{
	json_object *st = NULL;
	const char *next = request_param(&c->req, "next");
	int rc;
	if (f)
		app_set(c, "form", form_json(f));
	app_set_str(c, "next", next && is_local_path(next) ? next : "");
	if (c->sess.mfa_state == MFA_CODE) {
		app_set(c, "verify", json_object_new_boolean(1));
		return app_render(c, status, "totp", "动态口令验证");
	}
	if ((rc = mfa_status(c->user.id, &st)) != DB_OK)
		return rc;
	if (!st)
		return DB_ERROR;
	bool pending = db_int(st, "has_row", 0) && !db_int(st, "enrolled", 0);
	if (pending) {
		struct buf uri = BUF_INIT, text = BUF_INIT;
		rc = mfa_enrol_secret(c->user.id, c->user.login, &uri, &text);
		if (rc == DB_OK) {
			app_set(c, "enrol", json_object_new_boolean(1));
			app_set_str(c, "secret", text.data);
		}
		sodium_memzero(uri.data, uri.len);
		sodium_memzero(text.data, text.len);
		buf_release(&uri);
		buf_release(&text);
		if (rc == 1)
			rc = DB_OK;
		if (rc != DB_OK) {
			json_object_put(st);
			return rc;
		}
	}
	app_set(c, "forced_enrol", json_object_new_boolean(c->sess.mfa_state == MFA_ENROL));
	app_set(c, "status", st);
	if (request_param(&c->req, "recovered"))
		app_set_str(c, "notice", "您已用一个恢复码登录（每个恢复码只能用一次）。如手机丢失，请尽快联系管理员重置动态口令后重新绑定。");
	return app_render(c, status, "totp", pending ? "绑定动态口令" : "动态口令");
}

static int begin(struct ctx *c)
{
	struct form f;
	form_init(&f, begin_fields, ARRAY_LEN(begin_fields));
	bool bad = form_validate(&f, &c->req) != 0;
	form_release(&f);
	if (bad)
		return app_fail(c, 422, "操作无效。");
	int rc = mfa_enrol_begin(&c->actor, c->user.id);
	if (rc == DB_CONFLICT)
		rc = DB_OK; /* enrolled already: the page says so */
	return rc == DB_OK ? app_redirect(c, "/login/totp") : rc;
}

/*   GET   the login's code form (mfa_state 1), the enrolment (a secret
 *         pending: QR code, key, code form), or the status
 *   POST  code=: the login's code or a recovery code (303 to next or /home;
 *         422 wrong, 423 locked); the enrolment's first code (303 to
 *         /login/totp/codes); action=begin: begins an enrolment (303 back) */
int mfa_page_totp(struct ctx *c)
{
	struct form f;
	enum mfa_result result = MFA_NOT_READY;
	int rc;

	if (c->req.method != METHOD_POST)
		return show(c, 200, NULL);
	if (fields_get(&c->req.form, "action") && c->sess.mfa_state != MFA_CODE)
		return begin(c);
	form_init(&f, code_fields, ARRAY_LEN(code_fields));
	if (form_validate(&f, &c->req)) {
		rc = show(c, 422, &f);
		form_release(&f);
		return rc;
	}
	if (c->sess.mfa_state == MFA_CODE) {
		bool recovery;
		long long left;
		rc = mfa_verify(&c->actor, &c->sess, c->user.id, form_str(&f, "code"), &result,
				&recovery, &left);
		if (rc == DB_OK && result == MFA_OK) {
			const char *next = form_str(&f, "next");
			rc = app_redirect(c, recovery ? "/login/totp?recovered=1"
					     : is_local_path(next) && strncmp(next, "/login", 6) ? next
												    : "/home");
			form_release(&f);
			return rc;
		}
	} else {
		struct buf codes = BUF_INIT;
		rc = mfa_enrol_confirm(&c->actor, &c->sess, c->user.id, form_str(&f, "code"), &result,
				       &codes);
		if (rc == DB_OK && result == MFA_OK)
			rc = once_put(&c->sess, MFA_ONCE_CODES, c->user.id, codes.data);
		sodium_memzero(codes.data, codes.len);
		buf_release(&codes);
		if (rc == DB_OK && result == MFA_OK) {
			form_release(&f);
			return app_redirect(c, "/login/totp/codes");
		}
	}
	if (rc != DB_OK) {
		form_release(&f);
		return rc;
	}
	if (result == MFA_NOT_READY) {
		/* Reset by an administrator meanwhile, or enrolled in another tab. */
		form_release(&f);
		return app_redirect(c, "/login/totp");
	}
	form_error(&f, result == MFA_LOCKED ? "" : "code",
		   result == MFA_LOCKED ? LOCKED
		   : c->sess.mfa_state == MFA_CODE
			   ? "动态口令不正确或已使用：请输入手机上当前显示的6位数字，或一个未用过的恢复码。"
			   : "动态口令不正确：请输入手机应用为本系统新显示的6位数字。");
	rc = show(c, result == MFA_LOCKED ? 423 : 422, &f);
	form_release(&f);
	return rc;
}

/*   GET  the QR code (SVG) of the pending enrolment's otpauth address; 404
 *        when none is pending.  Never cached. */
int mfa_page_qr(struct ctx *c)
{
	struct buf uri = BUF_INIT, text = BUF_INIT;
	int rc = mfa_enrol_secret(c->user.id, c->user.login, &uri, &text);
	if (rc == DB_OK) {
		buf_reset(&c->resp.body);
		if (qr_svg(&c->resp.body, uri.data, 4) ||
		    resp_header(&c->resp, "Content-Type", "image/svg+xml; charset=utf-8")) {
			log_err("mfa: the enrolment's QR code: %s", strerror(errno));
			rc = DB_ERROR;
		} else {
			c->resp.status = 200;
		}
	}
	sodium_memzero(uri.data, uri.len);
	sodium_memzero(text.data, text.len);
	buf_release(&uri);
	buf_release(&text);
	return rc == 1 ? app_fail(c, 404, "没有待绑定的动态口令。") : rc;
}

/*   GET  the recovery codes made by this session's enrolment, once; later
 *        views say they were shown */
int mfa_page_codes(struct ctx *c)
{
	struct buf codes = BUF_INIT;
	enum once_state state;
	int rc = once_take(&c->sess, MFA_ONCE_CODES, c->user.id, &codes, &state);
	if (rc != DB_OK) {
		buf_release(&codes);
		return rc;
	}
	if (state == ONCE_SHOWN_NOW) {
		json_object *list = json_object_new_array();
		for (char *p = codes.data, *nl; p && *p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			json_object_array_add(list, json_object_new_string_len(
							    p, nl ? (int)(nl - p) : (int)strlen(p)));
		}
		app_set(c, "codes", list);
	} else {
		app_set_str(c, "gone", "恢复码只在绑定后显示一次，已经显示过。如未记下，请联系管理员重置动态口令后重新绑定。");
	}
	sodium_memzero(codes.data, codes.len);
	buf_release(&codes);
	return app_render(c, 200, "totp_codes", "动态口令恢复码");
}
