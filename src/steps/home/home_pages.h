/* home_pages: the pages of program home: each role's home page (what it
 * lists is home_data.h's), its 使用说明 and the text of the measures. */
#ifndef BIAOGAN_HOME_PAGES_H
#define BIAOGAN_HOME_PAGES_H

#include "core/app.h"

int home_page(struct ctx *c);
/* The 使用说明 of the viewer's own role (template help). */
int home_page_help(struct ctx *c);
/* 《黑龙江省质量标杆遴选管理办法》 in full, one anchor per article (#art-N),
 * for everyone, logged in or not (template measures). */
int home_page_measures(struct ctx *c);
/* The province's dashboard (统计) of one round, ?round=N (default the
 * current round): home_dashboard.h. */
int home_page_dashboard(struct ctx *c);

#endif
