#include "steps/intake/app_status.h"

#include "core/db.h"
#include "core/banned.h"

static const char SQL_MOVE[] =
	"UPDATE application SET status = ?,"
	" submitted_at = IF(? <> 0, NOW(), submitted_at), updated_at = IF(? <> 0, NOW(), updated_at)"
	" WHERE id = ? AND status = ?";

int app_status_move(long long id, const char *from, enum lc_event event, unsigned who,
		    enum lc_state *to)
{
	const struct lc_arrow *a = lc_allowed(lc_state_parse(from), event, who);
	long long stamp = event == LC_SUBMIT || event == LC_RESUBMIT;
	int rc;
	if (!a || a->from == LC_NONE)
		return APP_E_STATE; /* LC_START makes a row; it moves none */
	rc = db_exec(SQL_MOVE, "siiis", lc_state_name(a->to), stamp, stamp, id, lc_state_name(a->from));
	if (rc != DB_OK)
		return rc;
	if (db_affected_rows() != 1)
		return APP_E_STATE;
	if (to)
		*to = a->to;
	return DB_OK;
}
