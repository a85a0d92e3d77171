#include "steps/publicity/announce.h"

#include <string.h>

#include "core/db.h"
#include "core/banned.h"

static const char SQL_ADD[] =
	"INSERT INTO announcement (kind, year, title, body, link, published_at)"
	" VALUES (?, ?, ?, ?, ?, NOW())";
#define COLUMNS "SELECT id, kind, year, title, link, published_at"
static const char SQL_LIST[] =
	COLUMNS " FROM announcement ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?";
static const char SQL_RECENT[] =
	COLUMNS ", body FROM announcement ORDER BY published_at DESC, id DESC LIMIT ?";
static const char SQL_GET[] = COLUMNS ", body FROM announcement WHERE id = ?";

const char *announce_kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ "publicity", "公示" },
		{ "publication", "名单发布" },
		{ "revocation", "撤销称号" },
		{ "reinstatement", "恢复称号" },
	};
	for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(kind, labels[i].kind))
			return labels[i].label;
	return "公告";
}

int announce_add(const char *kind, int year, const char *title, const char *body,
		 const char *link, long long *id)
{
	int rc = db_exec(SQL_ADD, "sisss", kind, (long long)year, title, body, link);
	if (rc == DB_OK && id)
		*id = db_insert_id();
	return rc;
}

static void label_one(json_object *r)
{
	static const char *const dates[] = { "published_at", NULL };
	db_add_date_zh(r, dates);
	json_object_object_add(r, "kind_label",
			       json_object_new_string(announce_kind_label(db_str(r, "kind", ""))));
}

static void label(json_object *rows)
{
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++)
		label_one(json_object_array_get_idx(rows, i));
}

int announce_list(long long page, json_object **rows, bool *more)
{
	page = page < 1 ? 1 : page;
	int rc = db_query(rows, SQL_LIST, "ii", (long long)ANNOUNCE_PAGE_SIZE + 1,
			  (page - 1) * ANNOUNCE_PAGE_SIZE);
	*more = rc == DB_OK && db_trim_page(*rows, ANNOUNCE_PAGE_SIZE);
	label(*rows);
	return rc;
}

int announce_recent(long long n, json_object **rows)
{
	int rc = db_query(rows, SQL_RECENT, "i", n);
	label(*rows);
	return rc;
}

int announce_get(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_GET, "i", id);
	if (rc == DB_OK && *row)
		label_one(*row);
	return rc;
}
