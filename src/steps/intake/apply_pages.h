/* apply_pages: the handlers of the apply program (issue 4), listed in the
 * pages table of cgi-bin/apply.c, which also documents the statuses each
 * returns.  They read validated form values, call src/steps/intake/enterprise.h and
 * src/steps/intake/application.h and src/steps/intake/attachments.h for every rule and change, decide access through
 * src/core/auth.h, and render the apply_*.html templates.
 */
#ifndef BIAOGAN_APPLY_PAGES_H
#define BIAOGAN_APPLY_PAGES_H

#include "core/app.h"

int apply_page_index(struct ctx *c);
int apply_page_register(struct ctx *c);
int apply_page_profile(struct ctx *c);
int apply_page_start(struct ctx *c);
int apply_page_edit(struct ctx *c);
int apply_page_submit(struct ctx *c);
int apply_page_view(struct ctx *c);
int apply_page_city(struct ctx *c);
/* Uploads go with the form (apply_page_edit); the delete of a file asks first. */
int apply_page_delete_file(struct ctx *c);

#endif
