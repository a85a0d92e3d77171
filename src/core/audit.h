/* audit: the append-only record of every state change and sensitive read.
 *
 * audit_write() must run inside the transaction of the change it records, so
 * the two commit or vanish together; a refusal, which changes nothing, is
 * the exception (audit_refusal: its own transaction, rate-limited).  Rows are chained: each row stores
 * SHA-256(previous row's hash || this row's canonical text), so
 * `biaogan-admin audit verify` detects an edited or deleted row.
 */
#ifndef BIAOGAN_AUDIT_H
#define BIAOGAN_AUDIT_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/anchor.h"

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

/* What audit_verify found.  bad_row: the first row whose hash or link is
 * wrong (> 0), or where a dropped tail begins; 0 when the chain is intact.
 * bad_anchor: the first of the anchors given (core/anchor.h) that the chain
 * does not pass through (its row gone, or another hash there: the chain
 * was rebuilt), NULL when none.  head: the chain's last row as walked (id,
 * hash; at left ""), to be anchored; rows: how many rows. */
struct audit_verdict {
	long long bad_row;
	const struct audit_anchor *bad_anchor;
	struct audit_anchor head;
	long long rows;
};

/* Walk the chain in one consistent snapshot (db_begin_snapshot), so rows
 * committed meanwhile are not seen at all, checking it and the n anchors
 * (any order; NULL when n is 0) on the way; prints nothing.  Returns a
 * db_status, the findings in *v. */
int audit_verify(const struct audit_anchor *anchors, size_t n, struct audit_verdict *v);

/* A refused request (a role's 403, another's object, a failed CSRF check,
 * a refused upload type, a login attempt on a locked account) as an audit
 * record, written in a transaction of its own: whatever the request had
 * open is rolled back first (a refusal changes nothing), and the record
 * commits on its own, so nothing of the request's can take it back.
 * action: "refused.role", "refused.object", "refused.csrf",
 * "refused.upload_type", "refused.locked"; route: the page ("/admin/users");
 * object_type/object_id: what was asked for, or NULL.
 *
 * Bounded: per minute, at most config audit_refusals_per_source (default 10)
 * records for one source (IP, account — for nobody logged in the log-in
 * name typed, if any —, action, route), at most audit_refusals_per_address
 * (default 60) for all the sources of one IP with nobody logged in, and at
 * most audit_refusals_per_minute (default 300) over all sources; the first
 * refusal past a limit writes one "refused.limit" record saying so, the
 * rest are only counted (table audit_refusal_count, kept one day).  A
 * failed login with an unknown name is such a refusal ("login.fail").
 * Returns a db_status (the caller logs it; the answer goes out anyway). */
int audit_refusal(const struct actor *who, const char *action, const char *route,
		  const char *object_type, const char *object_id, const char *summary);

/* The labels of the viewer, from one table each (codes never reach the page
 * alone): "login.fail" -> "登录失败", "account" -> "账户", "public" ->
 * "未登录".  An unknown code comes back as it is. */
const char *audit_action_label(const char *action);
const char *audit_object_label(const char *object_type);
const char *audit_role_label(const char *role);
/* The action filter's choices, grouped: [{label, prefix (may be absent),
 * selected, actions: [{code, label, selected}]}]; the entry equal to selected
 * is marked, and *matched tells whether one was.  Caller owns the array. */
json_object *audit_action_choices(const char *selected, bool *matched);

/* The viewer's query: newest first, filters may be "" (no filter).
 * from/to are dates (inclusive).  Keyset paging: before_id gives the page of
 * rows older than that id, after_id the page of rows newer than it (the
 * previous page), neither the newest page.  At most limit rows, newest
 * first, each: id, at, login, role, role_label, ip, action, action_label,
 * object_type, object_label, object_id, summary.  *more: rows beyond the
 * page exist in the direction read (older for before_id or none, newer for
 * after_id).  Reads at most limit + 1 rows.  Returns a db_status. */
struct audit_filter {
	/* An action code the label table knows matches exactly; anything
	 * else (a group's "refused.", a typed beginning) as a prefix. */
	const char *action_prefix;
	const char *login;
	const char *from;
	const char *to;
	long long before_id; /* 0: from the newest */
	long long after_id;  /* 0: unused; otherwise before_id must be 0 */
	long long limit;
};
int audit_list(json_object **rows, const struct audit_filter *f, bool *more);

/* The records of one object, newest first, at most limit, with the
 * viewer's columns and labels (an object's history page). */
int audit_of_object(const char *object_type, const char *object_id, long long limit,
		    json_object **rows);

#endif
