/* login_pages: log in, change password, log out (program login).  The
 * account rules are users.h's, the session session.h's. */
#ifndef BIAOGAN_LOGIN_PAGES_H
#define BIAOGAN_LOGIN_PAGES_H

#include "core/app.h"

int login_page_login(struct ctx *c);
int login_page_logout(struct ctx *c);
int login_page_password(struct ctx *c);

#endif
