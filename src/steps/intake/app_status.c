#include "steps/intake/app_status.h"

#include <string.h>
#include "core/buf.h"
#include "core/db.h"
#include "steps/intake/application.h"
#include "steps/notify/notify.h"
#include "core/banned.h"

static const char SQL_MOVE[] =
	"UPDATE application SET status = ?,"
	" submitted_at = IF(? <> 0, NOW(), submitted_at), updated_at = IF(? <> 0, NOW(), updated_at)"
	" WHERE id = ? AND status = ?";

static const char SQL_EVENT[] =
	"INSERT INTO application_event (application_id, event, from_status, to_status, actor)"
	" VALUES (?, ?, ?, ?, ?)";

/* The creation (from the application row) and every move, oldest first. */
static const char SQL_TIMELINE[] =
	"SELECT at, DATE_FORMAT(at, '%H:%i') AS time, event, to_status, actor FROM ("
	" SELECT created_at AS at, 0 AS id, 'start' AS event, 'draft' AS to_status,"
	" 'enterprise' AS actor FROM application WHERE id = ?"
	" UNION ALL SELECT at, id, event, to_status, actor FROM application_event"
	" WHERE application_id = ?) t ORDER BY id";

/* The part of the one actor that made the move: the lowest of the caller's
 * actors that the arrow allows (each caller passes one). */
static const char *actor_name(unsigned who)
{
	if (who & LC_BY_ENTERPRISE)
		return "enterprise";
	if (who & LC_BY_CITY)
		return "city";
	if (who & LC_BY_PROVINCE)
		return "province";
	return "chair";
}

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
	rc = db_exec(SQL_EVENT, "issss", id, lc_event_name(event), lc_state_name(a->from),
		     lc_state_name(a->to), actor_name(who & a->who));
	if (rc == DB_OK)
		rc = notify_app_move(id, event);
	if (rc != DB_OK)
		return rc;
	if (to)
		*to = a->to;
	return DB_OK;
}

static const char *actor_label(const char *actor, const char *city_name, struct buf *tmp)
{
	if (!strcmp(actor, "enterprise"))
		return "申报企业";
	if (!strcmp(actor, "city")) {
		buf_addf(tmp, "%s工信局", city_name);
		return tmp->data;
	}
	if (!strcmp(actor, "province"))
		return "省工信厅";
	return "评审专家组";
}

static const char *event_label(const char *name)
{
	size_t n;
	const struct lc_arrow *arrows = lc_arrows(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(lc_event_name(arrows[i].event), name))
			return arrows[i].label;
	return name;
}

int app_timeline(long long id, const char *city_name, json_object **rows)
{
	static const char *const dates[] = { "at", NULL };
	int rc = db_query(rows, SQL_TIMELINE, "ii", id, id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		struct buf tmp = BUF_INIT;
		db_add_date_zh(r, dates);
		json_object_object_add(r, "label",
				       json_object_new_string(event_label(db_str(r, "event", ""))));
		json_object_object_add(r, "actor_label",
				       json_object_new_string(actor_label(db_str(r, "actor", ""),
									  city_name, &tmp)));
		json_object_object_add(r, "status_label",
				       json_object_new_string(app_status_label(db_str(r, "to_status", ""))));
		buf_release(&tmp);
	}
	return rc;
}
