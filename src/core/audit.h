/* audit: the append-only record of every state change and sensitive read.
 *
 * audit_write() must run inside the transaction of the change it records, so
 * the two commit or vanish together.  Rows are chained: each row stores
 * SHA-256(previous row's hash || this row's canonical text), so
 * `biaogan-admin audit verify` detects an edited or deleted row.
 */
#ifndef BIAOGAN_AUDIT_H
#define BIAOGAN_AUDIT_H

#include <json-c/json.h>

/* Who did it.  For the operator tool, user_id is 0, role "operator". */
struct actor {
	long long user_id;   /* 0 when nobody is logged in */
	const char *login;   /* may be NULL */
	const char *role;    /* "province", "city", "expert", "enterprise", "public", "operator" */
	const char *ip;      /* may be NULL */
};

/* action: dotted verb such as "user.create", "login.fail", "calendar.edit".
 * object_type/object_id: what was touched ("user", "42"); summary: short
 * Chinese or English text for the viewer.  Returns a db_status. */
int audit_write(const struct actor *who, const char *action, const char *object_type,
		const char *object_id, const char *summary);

/* The end of a change with its record: when rc is DB_OK, write the audit
 * record, then commit; otherwise (or if that fails) roll back.  Returns the
 * final db_status.  object_id may be NULL. */
int audit_commit(int rc, const struct actor *who, const char *action, const char *object_type,
		 const char *object_id, const char *summary);

/* Walk the chain in one consistent snapshot (db_begin_snapshot), so rows
 * committed meanwhile are not seen at all; prints nothing.  Returns 0 if
 * intact, else the id of the first bad row (> 0), or a negative db_status. */
long long audit_verify(void);

/* The viewer's query: newest first, filters may be "" (no filter).
 * from/to are dates (inclusive).  Rows: id, at, login, role, ip, action,
 * object_type, object_id, summary.  Returns a db_status. */
struct audit_filter {
	const char *action_prefix;
	const char *login;
	const char *from;
	const char *to;
	long long before_id; /* 0: from the newest */
	long long limit;
};
int audit_list(json_object **rows, const struct audit_filter *f);

#endif
