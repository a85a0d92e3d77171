/* sme_db: the SME thresholds of the 2011 standard as stored in the database
 * (table sme_threshold, sql/003_sme.sql) and the industries for the
 * application form.  The classification itself is rules/sme.h's. */
#ifndef BIAOGAN_SME_DB_H
#define BIAOGAN_SME_DB_H

#include <json-c/json.h>

#include "rules/sme.h"

/* Read industry_no's thresholds from the database.  Returns DB_OK,
 * SME_NOT_FOUND (no such industry), DB_UNAVAILABLE, or DB_ERROR (also when
 * the stored rows are not a valid table: logged). */
#define SME_NOT_FOUND 1
int sme_db_load(int industry_no, struct sme_thresholds *t);
/* The industries for a form's select: *rows becomes a json array (caller
 * owns it) of objects no, name_zh, name_en, scope_note, in order of no.
 * Returns a db_status. */
int sme_db_industries(json_object **rows);

#endif
