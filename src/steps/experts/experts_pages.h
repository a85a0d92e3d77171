/* experts_pages: the handlers of the experts program (cgi-bin/experts.c),
 * the province administrators' expert pool.  Each handler's comment lists
 * what it answers; the model is src/steps/experts/experts.h and
 * experts_import.h.  A successful POST answers 303; a refused one shows the
 * form again with the input kept and each reason at its field (422 the
 * input, 409 the state of things), changing nothing.  An expert, relation
 * or import that does not exist answers 404.
 */
#ifndef BIAOGAN_EXPERTS_PAGES_H
#define BIAOGAN_EXPERTS_PAGES_H

#include "core/app.h"

int exp_page_index(struct ctx *c);
int exp_page_view(struct ctx *c);
int exp_page_new(struct ctx *c);
int exp_page_edit(struct ctx *c);
int exp_page_relation_add(struct ctx *c);
int exp_page_relation_remove(struct ctx *c);
int exp_page_suspend(struct ctx *c);
int exp_page_remove(struct ctx *c);
int exp_page_reactivate(struct ctx *c);
int exp_page_account(struct ctx *c);
int exp_page_account_password(struct ctx *c);
int exp_page_import(struct ctx *c);
int exp_page_import_result(struct ctx *c);
int exp_page_template(struct ctx *c);

#endif
