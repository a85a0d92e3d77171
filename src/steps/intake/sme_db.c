#include "steps/intake/sme_db.h"

#include "core/db.h"
#include "core/log.h"

#include "core/banned.h"

static const char SQL_LOAD[] =
	"SELECT i.no AS industry_no, i.name_zh, t.size_class, t.employees,"
	" t.revenue_10k, t.total_assets_10k, t.comparison, t.cond"
	" FROM sme_threshold t JOIN sme_industry i ON i.no = t.industry_no"
	" WHERE t.industry_no = ? ORDER BY t.size_class";
static const char SQL_INDUSTRIES[] =
	"SELECT no, name_zh, name_en, scope_note FROM sme_industry ORDER BY no";

int sme_db_load(int industry_no, struct sme_thresholds *t)
{
	json_object *rows = NULL;
	char err[256];
	int rc = db_query(&rows, SQL_LOAD, "i", (long long)industry_no);

	if (rc != DB_OK)
		return rc;
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return SME_NOT_FOUND;
	}
	rc = sme_thresholds_from_rows(t, rows, err, sizeof err) ? DB_ERROR : DB_OK;
	if (rc != DB_OK)
		log_err("sme_threshold of industry %d is not a valid table: %s", industry_no, err);
	json_object_put(rows);
	return rc;
}

int sme_db_industries(json_object **rows)
{
	return db_query(rows, SQL_INDUSTRIES, "");
}
