#include "core/counter.h"

#include "core/db.h"
#include "core/log.h"
#include "core/banned.h"

static const char SQL_READ[] = "SELECT n FROM change_counter WHERE name = ?";

int counter_read(enum counter which, long long *n)
{
	const char *name = which == COUNTER_CALENDAR ? "calendar" : "public";
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_READ, "s", name);
	if (rc == DB_OK && !row) {
		log_err("counter: no row '%s' in change_counter (run biaogan-admin migrate)", name);
		rc = DB_ERROR;
	}
	*n = db_int(row, "n", 0);
	json_object_put(row);
	return rc;
}
