/* mfa_pages: the second factor's pages (program login): /login/totp (the
 * login's code, the enrolment, and the user's own status), /login/totp/qr
 * (the pending enrolment's QR code, an SVG), /login/totp/codes (the
 * recovery codes, shown once).  The administrator's pages (require, reset)
 * are in accounts_pages.h.  The model is mfa.h's. */
#ifndef BIAOGAN_MFA_PAGES_H
#define BIAOGAN_MFA_PAGES_H

#include "core/app.h"

int mfa_page_totp(struct ctx *c);
int mfa_page_qr(struct ctx *c);
int mfa_page_codes(struct ctx *c);

#endif
