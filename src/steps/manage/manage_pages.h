/* manage_pages: the handlers of cgi-bin/manage.c (issue 14): the
 * benchmarks and their titles' decisions, national titles, the
 * experience-exchange activities and the report of who took part in none.
 * Province administrators change; the supervisor reads.
 */
#ifndef BIAOGAN_MANAGE_PAGES_H
#define BIAOGAN_MANAGE_PAGES_H

#include "core/app.h"

int manage_page_index(struct ctx *c);
int manage_page_benchmark(struct ctx *c);
int manage_page_decide(struct ctx *c);
int manage_page_confirm(struct ctx *c);
int manage_page_document(struct ctx *c);
int manage_page_national(struct ctx *c);
int manage_page_activities(struct ctx *c);
int manage_page_activity(struct ctx *c);
int manage_page_activity_add(struct ctx *c);
int manage_page_participation_add(struct ctx *c);
int manage_page_participation_remove(struct ctx *c);
int manage_page_report(struct ctx *c);
int manage_page_report_csv(struct ctx *c);
int manage_page_report_xlsx(struct ctx *c);

#endif
