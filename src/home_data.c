#include "home_data.h"

#include "db.h"
#include "banned.h"

static const char SQL_ACCOUNT_COUNTS[] =
	"SELECT COUNT(*) AS total,"
	" IFNULL(SUM(locked_until IS NOT NULL AND locked_until > NOW()), 0) AS locked,"
	" IFNULL(SUM(disabled), 0) AS disabled FROM account";

static int fill_province(struct ctx *c)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_ACCOUNT_COUNTS, "");
	if (rc != DB_OK)
		return rc;
	app_set(c, "accounts", row);
	return DB_OK;
}

int home_fill(struct ctx *c)
{
	json_object *is = json_object_new_object();
	json_object_object_add(is, role_name(c->user.role), json_object_new_boolean(1));
	app_set(c, "is", is);
	switch (c->user.role) {
	case ROLE_PROVINCE:
		return fill_province(c);
	case ROLE_CITY:
	case ROLE_EXPERT:
	case ROLE_ENTERPRISE:
	case ROLE_NONE:
		break;
	}
	return DB_OK;
}
