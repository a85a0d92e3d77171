/* calendar_pages: the working-day calendar pages of the admin program:
 * /admin/calendar?year=Y (month grids, each year's state) and its
 * add/edit/remove actions, and complete/reopen, which decide whether a
 * year counts as loaded.  The tables are calendar_db.h's, the rules
 * rules/calendar.h's. */
#ifndef BIAOGAN_CALENDAR_PAGES_H
#define BIAOGAN_CALENDAR_PAGES_H

#include "core/app.h"

int calendar_page_add(struct ctx *c);
int calendar_page_edit(struct ctx *c);
int calendar_page_remove(struct ctx *c);
int calendar_page_year(struct ctx *c);
int calendar_page_complete(struct ctx *c);
int calendar_page_reopen(struct ctx *c);

#endif
