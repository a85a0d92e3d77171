/* home_data: what each role's home page shows — its to-do list, counts and
 * warnings.  Later workflow steps add their items here, in one place. */
#ifndef BIAOGAN_HOME_DATA_H
#define BIAOGAN_HOME_DATA_H

#include "core/app.h"

/* Fills c->data for the home template.  Returns a db_status. */
int home_fill(struct ctx *c);

#endif
