/* home_pages: the home page of every role (program home); what it lists is
 * home_data.h's. */
#ifndef BIAOGAN_HOME_PAGES_H
#define BIAOGAN_HOME_PAGES_H

#include "core/app.h"

int home_page(struct ctx *c);

#endif
