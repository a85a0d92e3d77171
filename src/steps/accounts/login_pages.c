#include "steps/accounts/login_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/form.h"
#include "core/html.h"
#include "core/log.h"
#include "core/presession.h"
#include "core/session.h"
#include "steps/accounts/mfa.h"
#include "steps/accounts/users.h"

#include "core/banned.h"

static const struct field_spec login_fields[] = {
	/* Any line: auth_login_canonical decides what is a login, so a name
	 * that is none fails like an unknown one (no format hint). */
	{ "login", "用户名", FIELD_LINE, true, 64, 0, 0, NULL },
	{ "password", "密码", FIELD_PASSWORD, true, 128, 0, 0, NULL },
	{ "next", "跳转地址", FIELD_LINE, false, 200, 0, 0, NULL },
};

static const struct field_spec password_fields[] = {
	{ "old_password", "当前密码", FIELD_PASSWORD, true, 128, 0, 0, NULL },
	{ "new_password", "新密码", FIELD_PASSWORD, true, 128, 0, 0, NULL },
	{ "new_password2", "确认新密码", FIELD_PASSWORD, true, 128, 0, 0, NULL },
};

static int show_login(struct ctx *c, int status, struct form *f)
{
	const char *next = request_param(&c->req, "next");
	char token[PRESESSION_TOKEN_HEX + 1];
	presession_token(&c->req, &c->resp, token);
	app_set_str(c, "pre_token", token);
	app_set(c, "form", form_json(f));
	app_set_str(c, "next", next && is_local_path(next) ? next : "");
	const char *expired = request_param(&c->req, "expired");
	if (expired && !strcmp(expired, "lifetime")) {
		char why[160];
		snprintf(why, sizeof why, "本次登录已满%lld小时，为安全起见请重新登录。",
			 (session_max_seconds() + 3599) / 3600);
		app_set_str(c, "notice", why);
	} else if (expired) {
		char why[160];
		snprintf(why, sizeof why, "登录已超时（%lld分钟无操作），请重新登录。",
			 (session_idle_seconds() + 59) / 60);
		app_set_str(c, "notice", why);
	}
	else if (request_param(&c->req, "bye"))
		app_set_str(c, "notice", "您已安全退出。");
	return app_render(c, status, "login", "登录");
}

int login_page_login(struct ctx *c)
{
	struct form f;
	enum login_result result;
	long long account_id;
	struct login_prev prev;
	struct session s;
	char login[AUTH_LOGIN_MAX + 1];
	int rc;

	form_init(&f, login_fields, sizeof login_fields / sizeof login_fields[0]);
	if (c->req.method != METHOD_POST) {
		rc = c->user.id ? app_redirect(c, "/home") : show_login(c, 200, &f);
		form_release(&f);
		return rc;
	}
	/* No session yet, so the pre-session token stands in for the CSRF
	 * token: a forged login would put the victim in the forger's account. */
	if (!presession_ok(&c->req)) {
		log_warn("login without a matching pre-session token, or cross-site");
		form_validate(&f, &c->req);
		for (size_t i = 0; i <= f.n; i++) {
			free(f.v[i].error);
			f.v[i].error = NULL;
		}
		f.errors = 0;
		form_error(&f, "", "表单已失效或来源无法验证，请重新登录（请勿关闭浏览器的 Cookie）。");
		rc = show_login(c, 403, &f);
		form_release(&f);
		return rc;
	}
	if (form_validate(&f, &c->req)) {
		rc = show_login(c, 422, &f);
		form_release(&f);
		return rc;
	}
	auth_login_canonical(form_str(&f, "login"), login);
	rc = users_authenticate(login, form_str(&f, "password"), c->req.remote_addr, &result,
				&account_id, &prev);
	if (rc != DB_OK) {
		form_release(&f);
		return rc;
	}
	switch (result) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		/* Also for an unknown login and any attempt while locked: the
		 * same status and page, so nobody learns which logins exist. */
		form_error(&f, "", "用户名或密码错误。连续5次错误将锁定账户15分钟，锁定期间无法登录。");
		rc = show_login(c, 401, &f);
		form_release(&f);
		return rc;
	case LOGIN_DISABLED:
		form_error(&f, "", "该账户已停用，请联系省工信厅系统管理员。");
		rc = show_login(c, 403, &f);
		form_release(&f);
		return rc;
	}
	/* The second factor, if the account has one or must enrol: the new
	 * session reaches only /login/totp until it is given (mfa.h). */
	enum mfa_need need;
	enum role role;
	if ((rc = mfa_need_for(account_id, &need, &role)) != DB_OK) {
		form_release(&f);
		return rc;
	}
	if (need == MFA_ENROL) {
		struct actor who = { account_id, login, role_name(role), c->req.remote_addr };
		rc = mfa_enrol_begin(&who, account_id);
		if (rc != DB_OK && rc != DB_CONFLICT) {
			form_release(&f);
			return rc;
		}
	}
	/* A fresh session on every login: no fixation of an old token. */
	if (c->sess.token[0])
		session_destroy(c->sess.token);
	struct session_origin from = { c->req.remote_addr, c->req.user_agent,
				       prev.at[0] ? prev.at : NULL, prev.ip[0] ? prev.ip : NULL,
				       (int)need };
	rc = session_create(account_id, &from, &s);
	if (rc == DB_OK) {
		const char *next = form_str(&f, "next");
		bool local = is_local_path(next) && strncmp(next, "/login", 6);
		resp_cookie(&c->resp, SESSION_COOKIE, s.token, -1);
		if (need != MFA_NONE) {
			struct buf to = BUF_INIT;
			buf_adds(&to, "/login/totp");
			if (local) {
				buf_adds(&to, "?next=");
				url_encode(&to, next, strlen(next));
			}
			app_redirect(c, to.data);
			buf_release(&to);
		} else {
			/* The forced change, if any, is enforced by the front line. */
			app_redirect(c, local ? next : "/home");
		}
	}
	form_release(&f);
	return rc;
}

int login_page_password(struct ctx *c)
{
	struct form f;
	const char *message = NULL;
	bool locked = false;
	int rc = DB_OK;

	form_init(&f, password_fields, sizeof password_fields / sizeof password_fields[0]);
	if (c->req.method == METHOD_POST && !form_validate(&f, &c->req)) {
		if (strcmp(form_str(&f, "new_password"), form_str(&f, "new_password2"))) {
			form_error(&f, "new_password2", "两次输入的新密码不一致。");
		} else {
			rc = users_change_password(&c->actor, c->user.id, form_str(&f, "old_password"),
						   form_str(&f, "new_password"), c->sess.token, &message,
						   &locked);
			if (rc != DB_OK) {
				form_release(&f);
				return rc;
			}
			if (!message) {
				form_release(&f);
				return app_redirect(c, "/home?changed=1");
			}
			/* Only "当前密码不正确。" is about the old password; the rest,
			 * even "新密码不能与当前密码相同。", are about the new one. */
			static const char old_pw[] = "当前密码";
			bool about_old = !strncmp(message, old_pw, sizeof old_pw - 1);
			form_error(&f, locked ? "" : about_old ? "old_password" : "new_password", message);
		}
	}
	app_set(c, "form", form_json(&f));
	app_set(c, "forced", json_object_new_boolean(c->user.must_change_password));
	/* Locked: the session stays (a lock logs nobody out), the change waits. */
	rc = app_render(c, locked ? 423 : c->req.method == METHOD_POST ? 422 : 200, "password",
			"修改密码");
	form_release(&f);
	return rc;
}

int login_page_logout(struct ctx *c)
{
	int rc;
	if (c->req.method != METHOD_POST)
		return app_render(c, 200, "logout", "退出登录");
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = session_destroy(c->sess.token);
	if (rc == DB_OK)
		rc = audit_write(&c->actor, "logout", "account", NULL, "退出登录");
	if (rc == DB_OK)
		rc = db_commit();
	if (rc != DB_OK)
		return rc;
	c->sess.csrf[0] = '\0';
	resp_cookie(&c->resp, SESSION_COOKIE, "", 0);
	return app_redirect(c, "/login?bye=1");
}
