/* review_pages: the pages of the program review (/review): the experts'
 * declarations, score sheets, the chair's and members' panel pages, and
 * the administrators' progress, score sheets, summary and export.  The
 * rules are review.h's; statuses per page are in review_pages.c. */
#ifndef BIAOGAN_REVIEW_PAGES_H
#define BIAOGAN_REVIEW_PAGES_H

#include "core/app.h"

int review_page_index(struct ctx *c);
int review_page_session(struct ctx *c);
int review_page_declare(struct ctx *c);
int review_page_app(struct ctx *c);
int review_page_save(struct ctx *c);
int review_page_recuse(struct ctx *c);
int review_page_file(struct ctx *c);
int review_page_panel(struct ctx *c);
int review_page_revise(struct ctx *c);
int review_page_conclude(struct ctx *c);
int review_page_answer(struct ctx *c);
int review_page_configure(struct ctx *c);
int review_page_reopen(struct ctx *c);
int review_page_sheet(struct ctx *c);
int review_page_summary(struct ctx *c);
int review_page_export(struct ctx *c);

#endif
