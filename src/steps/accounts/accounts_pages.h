/* accounts_pages: the province administrator's account pages and the audit
 * log viewer (program admin): /admin, /admin/users, /admin/users/new,
 * /admin/user and its reset/disable/enable/unlock actions, the one-time
 * display of a generated password (/admin/user/password), /admin/audit,
 * the online users (/admin/sessions) and ending sessions.
 * The model is users.h's. */
#ifndef BIAOGAN_ACCOUNTS_PAGES_H
#define BIAOGAN_ACCOUNTS_PAGES_H

#include "core/app.h"

int accounts_page_audit(struct ctx *c);
int accounts_page_audit_csv(struct ctx *c);
int accounts_page_index(struct ctx *c);
int accounts_page_user(struct ctx *c);
int accounts_page_user_disable(struct ctx *c);
int accounts_page_user_enable(struct ctx *c);
int accounts_page_user_new(struct ctx *c);
int accounts_page_user_password(struct ctx *c);
int accounts_page_user_reset(struct ctx *c);
int accounts_page_user_unlock(struct ctx *c);
int accounts_page_users(struct ctx *c);
int accounts_page_sessions(struct ctx *c);
int accounts_page_session_end(struct ctx *c);
int accounts_page_user_sessions_end(struct ctx *c);
int accounts_page_user_totp_require(struct ctx *c);
int accounts_page_user_totp_reset(struct ctx *c);

#endif
