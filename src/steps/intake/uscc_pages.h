/* uscc_pages: the credit codes the province accepts although their check
 * character fails (admin program): /admin/uscc and its add/remove actions.
 * The table is enterprise.h's; the code rules rules/uscc.h's. */
#ifndef BIAOGAN_USCC_PAGES_H
#define BIAOGAN_USCC_PAGES_H

#include "core/app.h"

int uscc_page_add(struct ctx *c);
int uscc_page_list(struct ctx *c);
int uscc_page_remove(struct ctx *c);

#endif
