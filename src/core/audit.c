#include "core/audit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/banned.h"

static const char SQL_HEAD[] = "SELECT last_hash FROM audit_head WHERE id = 1 FOR UPDATE";
static const char SQL_NOW[] = "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now";
static const char SQL_INSERT[] =
	"INSERT INTO audit (at, account_id, login, role, ip, action, object_type, object_id,"
	" summary, prev_hash, hash) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SET_HEAD[] = "UPDATE audit_head SET last_hash = ? WHERE id = 1";
static const char SQL_WALK[] =
	"SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s') AS at, IFNULL(account_id, 0) AS account_id,"
	" login, role, ip, action, object_type, object_id, summary, prev_hash, hash"
	" FROM audit WHERE id > ? ORDER BY id LIMIT 1000";
static const char SQL_HEAD_READ[] = "SELECT last_hash FROM audit_head WHERE id = 1";

/* Each field is length-prefixed so no choice of values can make two
 * different rows hash alike. */
static void add_part(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "-1:");
		return;
	}
	buf_addf(b, "%zu:%s", strlen(s), s);
}

static void row_hash(const char *prev, const char *at, long long account_id, const char *login,
		     const char *role, const char *ip, const char *action, const char *otype,
		     const char *oid, const char *summary, char out[65])
{
	struct buf text = BUF_INIT, hex = BUF_INIT;
	unsigned char h[crypto_hash_sha256_BYTES];
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", account_id);
	add_part(&text, prev);
	add_part(&text, at);
	add_part(&text, idtext);
	add_part(&text, login);
	add_part(&text, role);
	add_part(&text, ip);
	add_part(&text, action);
	add_part(&text, otype);
	add_part(&text, oid);
	add_part(&text, summary);
	crypto_hash_sha256(h, (const unsigned char *)text.data, text.len);
	buf_addhex(&hex, h, sizeof h);
	memcpy(out, hex.data, 65);
	buf_release(&text);
	buf_release(&hex);
}

int audit_write(const struct actor *who, const char *action, const char *object_type,
		const char *object_id, const char *summary)
{
	json_object *head = NULL, *now = NULL;
	char hash[65], prev[65];
	int rc;

	if ((rc = db_query_row(&head, SQL_HEAD, "")) != DB_OK)
		return rc;
	if (!head) {
		log_err("audit: audit_head row missing");
		return DB_ERROR;
	}
	snprintf(prev, sizeof prev, "%s", db_str(head, "last_hash", ""));
	json_object_put(head);
	if ((rc = db_query_row(&now, SQL_NOW, "")) != DB_OK)
		return rc;
	const char *at = db_str(now, "now", "");
	row_hash(prev, at, who->user_id, who->login, who->role, who->ip, action, object_type,
		 object_id, summary, hash);
	rc = db_exec(SQL_INSERT, "sisssssssss", at, who->user_id, who->login, who->role, who->ip,
		     action, object_type, object_id, summary, prev, hash);
	json_object_put(now);
	if (rc == DB_OK)
		rc = db_exec(SQL_SET_HEAD, "s", hash);
	return rc;
}

int audit_commit(int rc, const struct actor *who, const char *action, const char *object_type,
		 const char *object_id, const char *summary)
{
	if (rc == DB_OK)
		rc = audit_write(who, action, object_type, object_id, summary);
	return db_finish(rc);
}

/* The head and every row are read in ONE consistent snapshot: read apart,
 * a row committed between the walk and the head read made an intact chain
 * look broken under load. */
long long audit_verify(void)
{
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	long long last_id = 0, bad = 0;
	json_object *head = NULL;
	int rc;
	if ((rc = db_begin_snapshot()) != DB_OK)
		return rc;
	if ((rc = db_query_row(&head, SQL_HEAD_READ, "")) != DB_OK) {
		db_rollback();
		return rc;
	}
	for (;;) {
		json_object *rows = NULL;
		size_t n;
		if ((rc = db_query(&rows, SQL_WALK, "i", last_id)) != DB_OK) {
			db_rollback();
			json_object_put(head);
			return rc;
		}
		n = json_object_array_length(rows);
		for (size_t i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(rows, i);
			char want[65];
			long long id = db_int(r, "id", 0);
			row_hash(prev, db_str(r, "at", NULL), db_int(r, "account_id", 0),
				 db_str(r, "login", NULL), db_str(r, "role", NULL), db_str(r, "ip", NULL),
				 db_str(r, "action", NULL), db_str(r, "object_type", NULL),
				 db_str(r, "object_id", NULL), db_str(r, "summary", NULL), want);
			if (strcmp(prev, db_str(r, "prev_hash", "")) || strcmp(want, db_str(r, "hash", ""))) {
				bad = id;
				break;
			}
			memcpy(prev, want, sizeof prev);
			last_id = id;
		}
		json_object_put(rows);
		if (bad || n < 1000)
			break;
	}
	db_rollback(); /* read only: nothing to keep */
	/* The head must name the last row: a deleted tail shows here. */
	if (!bad && !(head && !strcmp(db_str(head, "last_hash", ""), prev)))
		bad = last_id ? last_id + 1 : 1;
	json_object_put(head);
	return bad;
}

static const char SQL_LIST[] =
	"SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s') AS at, IFNULL(login, '') AS login, role,"
	" IFNULL(ip, '') AS ip, action, IFNULL(object_type, '') AS object_type,"
	" IFNULL(object_id, '') AS object_id, summary FROM audit"
	" WHERE (? = '' OR action LIKE CONCAT(REPLACE(REPLACE(?, '%', '\\\\%'), '_', '\\\\_'), '%'))"
	" AND (? = '' OR login = ?)"
	" AND (? = '' OR at >= ?)"
	" AND (? = '' OR at < ? + INTERVAL 1 DAY)"
	" AND (? = 0 OR id < ?)"
	" ORDER BY id DESC LIMIT ?";

int audit_list(json_object **rows, const struct audit_filter *f)
{
	return db_query(rows, SQL_LIST, "ssssssssiii", f->action_prefix, f->action_prefix, f->login,
			f->login, f->from, f->from, f->to, f->to, f->before_id, f->before_id, f->limit);
}
