#include "steps/draw/draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <sodium.h>

#include "core/civil_date.h"
#include "core/db.h"
#include "core/log.h"
#include "rules/lifecycle.h"
#include "steps/intake/app_status.h"
#include "steps/intake/application.h"
#include "steps/notify/notify.h"
#include "core/banned.h"

/* ---- the states and their arrows ---- */

static const struct {
	const char *name;
	const char *label;
} states[DS_STATES] = {
	[DS_PREPARING] = { "preparing", "准备中" },
	[DS_COMMITTED] = { "committed", "已固定候选名单，待抽取" },
	[DS_DRAWN] = { "drawn", "已抽取，种子未公开" },
	[DS_REVEALED] = { "revealed", "已公开种子，评审组确定" },
};

/* The one table of the session's arrows (draw.h). */
static const struct {
	enum draw_state from;
	enum draw_action action;
	enum draw_state to;
} arrows[] = {
	{ DS_PREPARING, DA_UPDATE, DS_PREPARING },
	{ DS_PREPARING, DA_COMMIT, DS_COMMITTED },
	{ DS_COMMITTED, DA_PANEL, DS_DRAWN },
	{ DS_DRAWN, DA_REPLACE, DS_DRAWN },
	{ DS_DRAWN, DA_REVEAL, DS_REVEALED },
	{ DS_REVEALED, DA_RATE, DS_REVEALED },
};

bool draw_next(enum draw_state from, enum draw_action action, enum draw_state *to)
{
	for (size_t i = 0; i < sizeof arrows / sizeof arrows[0]; i++)
		if (arrows[i].from == from && arrows[i].action == action) {
			if (to)
				*to = arrows[i].to;
			return true;
		}
	return false;
}

enum draw_state draw_state_parse(const char *name)
{
	for (int i = 0; name && i < DS_STATES; i++)
		if (!strcmp(name, states[i].name))
			return (enum draw_state)i;
	return DS_STATES;
}

const char *draw_state_name(enum draw_state s)
{
	return s < DS_STATES ? states[s].name : "";
}

const char *draw_state_label(enum draw_state s)
{
	return s < DS_STATES ? states[s].label : "";
}

static const struct {
	const char *name;
	const char *label;
} exclusions[] = {
	[DX_NONE] = { "", "" },
	[DX_RECUSAL_ORG] = { "recusal_org", "单位回避" },
	[DX_RECUSAL_RELATION] = { "recusal_relation", "关系回避" },
	[DX_ROTATION] = { "rotation", "轮换（近期已抽中）" },
};

const char *draw_exclusion_name(enum draw_exclusion_reason r)
{
	return r <= DX_ROTATION ? exclusions[r].name : "";
}

const char *draw_exclusion_label(enum draw_exclusion_reason r)
{
	return r <= DX_ROTATION ? exclusions[r].label : "";
}

static enum draw_exclusion_reason exclusion_parse(const char *name)
{
	for (int i = DX_RECUSAL_ORG; name && i <= DX_ROTATION; i++)
		if (!strcmp(name, exclusions[i].name))
			return (enum draw_exclusion_reason)i;
	return DX_NONE;
}

enum draw_exclusion_reason draw_screen(const struct draw_screen_in *in, long long expert_id,
				       const char *org_key, size_t *which)
{
	*which = 0;
	for (size_t i = 0; i < in->nkeys; i++)
		if (in->applicant_keys[i] && !strcmp(in->applicant_keys[i], org_key)) {
			*which = i;
			return DX_RECUSAL_ORG;
		}
	for (size_t i = 0; i < in->nrelated; i++)
		if (in->related[i] == expert_id) {
			*which = i;
			return DX_RECUSAL_RELATION;
		}
	for (size_t i = 0; i < in->nrotated; i++)
		if (in->rotated[i] == expert_id)
			return DX_ROTATION;
	return DX_NONE;
}

/* ---- statements ---- */

#define SESSION_COLUMNS                                                                         \
	"s.id, s.round_id, r.year AS round_year, r.title AS round_title, s.title,"             \
	" DATE_FORMAT(s.review_date, '%Y-%m-%d') AS review_date, s.place, s.panel_size,"       \
	" s.rotation_k, s.state, DATE_FORMAT(s.created_at, '%Y-%m-%d %H:%i') AS created_at,"    \
	" (SELECT COUNT(*) FROM review_session_application x WHERE x.session_id = s.id)"        \
	" AS app_count"
static const char SQL_SESSION_GET[] =
	"SELECT " SESSION_COLUMNS ", c.commitment, c.candidate_digest, c.candidate_count,"
	" c.public_source, c.public_value,"
	" DATE_FORMAT(c.committed_at, '%Y-%m-%d %H:%i:%s') AS committed_at,"
	" cb.display_name AS committed_by_name,"
	" DATE_FORMAT(c.revealed_at, '%Y-%m-%d %H:%i:%s') AS revealed_at,"
	" rb.display_name AS revealed_by_name, rs.display_name AS reveal_supervisor_name,"
	" IF(c.revealed_at IS NULL, NULL, LOWER(HEX(c.seed))) AS seed"
	" FROM review_session s JOIN selection_round r ON r.id = s.round_id"
	" LEFT JOIN draw_commitment c ON c.session_id = s.id"
	" LEFT JOIN account cb ON cb.id = c.committed_by"
	" LEFT JOIN account rb ON rb.id = c.revealed_by"
	" LEFT JOIN account rs ON rs.id = c.reveal_supervisor"
	" WHERE s.id = ?";
static const char SQL_SESSION_LIST[] =
	"SELECT " SESSION_COLUMNS " FROM review_session s JOIN selection_round r ON r.id = s.round_id"
	" WHERE (? = 0 OR s.round_id = ?) AND (? = '' OR s.title LIKE ? OR EXISTS (SELECT 1"
	" FROM review_session_application sa JOIN application a ON a.id = sa.application_id"
	" JOIN enterprise e ON e.id = a.enterprise_id WHERE sa.session_id = s.id"
	" AND " APP_MATCHES_SQL("a", "e") "))"
	" ORDER BY s.review_date DESC, s.id DESC LIMIT ? OFFSET ?";
static const char SQL_SESSION_LOCK[] =
	"SELECT id, round_id, title, state, panel_size, rotation_k,"
	" CONCAT(YEAR(review_date), '年', MONTH(review_date), '月', DAY(review_date), '日')"
	" AS review_date_zh FROM review_session WHERE id = ? FOR UPDATE";
static const char SQL_SESSION_INSERT[] =
	"INSERT INTO review_session (round_id, title, review_date, place, panel_size, rotation_k,"
	" created_by) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0))";
static const char SQL_SESSION_UPDATE[] =
	"UPDATE review_session SET title = ?, review_date = ?, place = ?, panel_size = ?,"
	" rotation_k = ?, updated_at = NOW() WHERE id = ?";
static const char SQL_SESSION_STATE[] =
	"UPDATE review_session SET state = ?, updated_at = NOW() WHERE id = ?";
static const char SQL_ROUND_EXISTS[] = "SELECT id, year FROM selection_round WHERE id = ?";
/* An application a session may take: of the round, with the province, in
 * no other session (locked, so two sessions cannot both take it). */
static const char SQL_APP_FOR_SESSION[] =
	"SELECT a.id, a.status, a.round_id,"
	" (SELECT x.session_id FROM review_session_application x WHERE x.application_id = a.id)"
	" AS in_session FROM application a WHERE a.id = ? FOR UPDATE";
static const char SQL_APPS_CLEAR[] = "DELETE FROM review_session_application WHERE session_id = ?";
static const char SQL_APP_ADD[] =
	"INSERT INTO review_session_application (session_id, application_id) VALUES (?, ?)";
static const char SQL_SESSION_APPS[] =
	"SELECT a.id AS application_id, e.name AS enterprise, e.uscc, c.name AS city_name,"
	" a.title, a.status FROM review_session_application x"
	" JOIN application a ON a.id = x.application_id JOIN enterprise e ON e.id = a.enterprise_id"
	" JOIN city c ON c.code = e.city_code WHERE x.session_id = ?"
	" ORDER BY c.sort_order, e.name, a.id";
static const char SQL_SESSION_APPS_LOCK[] =
	"SELECT a.id, a.status, e.uscc, e.name FROM review_session_application x"
	" JOIN application a ON a.id = x.application_id JOIN enterprise e ON e.id = a.enterprise_id"
	" WHERE x.session_id = ? ORDER BY a.id FOR UPDATE";
static const char SQL_CHOICES[] =
	"SELECT a.id AS application_id, e.name AS enterprise, e.uscc, c.name AS city_name, a.title,"
	" a.status, (x.session_id IS NOT NULL AND x.session_id = ?) AS selected"
	" FROM application a JOIN enterprise e ON e.id = a.enterprise_id"
	" JOIN city c ON c.code = e.city_code"
	" LEFT JOIN review_session_application x ON x.application_id = a.id"
	" WHERE a.round_id = ? AND ((a.status = 'with_province' AND x.session_id IS NULL)"
	"   OR (x.session_id IS NOT NULL AND x.session_id = ?))"
	" ORDER BY c.sort_order, e.name, a.id LIMIT 501";
/* Experts who may be candidates today: active, or suspended until a day
 * before today. */
static const char SQL_POOL[] =
	"SELECT id, org_key, name, org_name FROM expert WHERE status = 'active'"
	" OR (status = 'suspended' AND suspended_until < ?) ORDER BY id";
static const char SQL_RELATED[] =
	"SELECT DISTINCT r.expert_id, e.name AS enterprise, r.kind FROM expert_relation r"
	" JOIN enterprise e ON e.uscc = r.uscc JOIN application a ON a.enterprise_id = e.id"
	" JOIN review_session_application x ON x.application_id = a.id"
	" WHERE x.session_id = ? ORDER BY r.expert_id, e.name";
static const char SQL_ROTATED[] =
	"SELECT DISTINCT p.expert_id FROM draw_pick p JOIN ("
	"  SELECT session_id FROM draw_commitment WHERE session_id <> ?"
	"  ORDER BY committed_at DESC, session_id DESC LIMIT ?) t ON t.session_id = p.session_id"
	" ORDER BY p.expert_id";
static const char SQL_COMMIT_INSERT[] =
	"INSERT INTO draw_commitment (session_id, seed, commitment, candidate_digest,"
	" candidate_count, public_source, committed_by, committed_at)"
	" VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?, NOW())";
static const char SQL_CANDIDATE_INSERT[] =
	"INSERT INTO draw_candidate (session_id, position, expert_id, org_key, name, org_name)"
	" VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_EXCLUSION_INSERT[] =
	"INSERT INTO draw_exclusion (session_id, expert_id, reason, detail) VALUES (?, ?, ?, ?)";
static const char SQL_COMMITMENT[] =
	"SELECT LOWER(HEX(seed)) AS seed_hex, commitment, candidate_digest, candidate_count,"
	" public_source, public_value,"
	" revealed_at FROM draw_commitment WHERE session_id = ?";
static const char SQL_CANDIDATES[] =
	"SELECT expert_id, org_key, name, org_name FROM draw_candidate WHERE session_id = ?"
	" ORDER BY position";
static const char SQL_EXCLUDED[] =
	"SELECT x.expert_id, x.reason, x.detail, e.name FROM draw_exclusion x"
	" JOIN expert e ON e.id = x.expert_id WHERE x.session_id = ? ORDER BY x.expert_id, x.reason";
static const char SQL_EVENTS[] =
	"SELECT d.number, d.kind, d.count, d.replaces, d.reason_kind, d.reason,"
	" DATE_FORMAT(d.drawn_at, '%Y-%m-%d %H:%i:%s') AS drawn_at,"
	" o.display_name AS operator, v.display_name AS supervisor"
	" FROM draw_event d JOIN account o ON o.id = d.operator_id"
	" JOIN account v ON v.id = d.supervisor_id WHERE d.session_id = ? ORDER BY d.number";
static const char SQL_PICKS[] =
	"SELECT number, expert_id FROM draw_pick WHERE session_id = ? ORDER BY number, pick_order";
static const char SQL_EVENT_INSERT[] =
	"INSERT INTO draw_event (session_id, number, kind, count, replaces, reason_kind, reason,"
	" operator_id, supervisor_id, drawn_at)"
	" VALUES (?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, ''), ?, ?, NOW())";
static const char SQL_PICK_INSERT[] =
	"INSERT INTO draw_pick (session_id, number, pick_order, expert_id) VALUES (?, ?, ?, ?)";
static const char SQL_PUBLIC_VALUE[] =
	"UPDATE draw_commitment SET public_value = ? WHERE session_id = ? AND public_value IS NULL";
static const char SQL_REVEAL[] =
	"UPDATE draw_commitment SET revealed_at = NOW(), revealed_by = ?, reveal_supervisor = ?"
	" WHERE session_id = ? AND revealed_at IS NULL";
static const char SQL_RATE[] =
	"INSERT INTO draw_rating (session_id, expert_id, rating, comment, rated_by)"
	" VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE rating = VALUES(rating),"
	" comment = VALUES(comment), rated_by = VALUES(rated_by), rated_at = NOW()";
static const char SQL_MEMBER_DETAILS[] =
	"SELECT e.id, e.title, e.account_id, IFNULL(g.rating, 0) AS rating,"
	" IFNULL(g.comment, '') AS rating_comment FROM expert e"
	" LEFT JOIN draw_rating g ON g.session_id = ? AND g.expert_id = e.id WHERE e.id = ?";
static const char SQL_ASSIGNMENTS[] =
	"SELECT s.id, s.title, DATE_FORMAT(s.review_date, '%Y-%m-%d') AS review_date, s.place,"
	" r.year AS round_year FROM expert x JOIN draw_pick p ON p.expert_id = x.id"
	" JOIN review_session s ON s.id = p.session_id JOIN selection_round r ON r.id = s.round_id"
	" WHERE x.account_id = ? AND s.state IN ('drawn', 'revealed') AND NOT EXISTS ("
	"  SELECT 1 FROM draw_event d WHERE d.session_id = p.session_id AND d.replaces = p.expert_id)"
	" ORDER BY s.review_date DESC, s.id DESC LIMIT 100";
static const char SQL_PENDING[] =
	"SELECT s.id, s.title, DATE_FORMAT(s.review_date, '%Y-%m-%d') AS review_date, s.state"
	" FROM review_session s WHERE s.state IN ('preparing', 'committed', 'drawn')"
	" ORDER BY s.review_date, s.id LIMIT 20";

/* ---- small helpers ---- */

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void add_label(json_object *row)
{
	add_str(row, "state_label", draw_state_label(draw_state_parse(db_str(row, "state", ""))));
}

static int finish(int rc, const struct actor *who, const char *action, long long id,
		  const struct buf *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, "review_session", oid, summary->data);
}

/* Lock the session row and check that `action` may start from its state. */
static int lock_session(long long id, enum draw_action action, json_object **row)
{
	int rc = db_query_row(row, SQL_SESSION_LOCK, "i", id);
	if (rc != DB_OK)
		return rc;
	if (!*row)
		return DRAW_E_NOT_FOUND;
	if (!draw_next(draw_state_parse(db_str(*row, "state", "")), action, NULL))
		return DRAW_E_STATE;
	return DB_OK;
}

/* Tell an expert drawn for session (or drawn in replacement) so, or one
 * replaced that they no longer take part (notify.h). */
static int tell_expert(long long expert_id, json_object *session, bool drawn)
{
	struct buf subject = BUF_INIT, link = BUF_INIT;
	struct notice n = { drawn ? "expert.drawn" : "expert.replaced", NULL, NULL, NULL };
	int rc;
	if (drawn)
		buf_addf(&subject,
			 "您已被抽取为评审会《%s》的评审专家（评审日期%s），请登录签署保密与无利益冲突声明",
			 db_str(session, "title", ""), db_str(session, "review_date_zh", ""));
	else
		buf_addf(&subject, "您已不再参加评审会《%s》的评审，感谢您的支持",
			 db_str(session, "title", ""));
	if (drawn)
		buf_addf(&link, "/review/session?id=%lld", db_int(session, "id", 0));
	else
		buf_addf(&link, "/review");
	n.subject = subject.data;
	n.link = link.data;
	rc = notify(NOTIFY_EXPERT, expert_id, NULL, &n);
	buf_release(&subject);
	buf_release(&link);
	return rc;
}

static int set_state(long long id, enum draw_action action, json_object *row)
{
	enum draw_state to;
	if (!draw_next(draw_state_parse(db_str(row, "state", "")), action, &to))
		return DRAW_E_STATE;
	return db_exec(SQL_SESSION_STATE, "si", draw_state_name(to), id);
}

/* ---- sessions ---- */

/* Put in->apps into session id (inside the caller's transaction): each of
 * the round, with the province and in no other session. */
static int put_apps(long long id, const struct draw_session_in *in)
{
	int rc = db_exec(SQL_APPS_CLEAR, "i", id);
	for (size_t i = 0; rc == DB_OK && i < in->napps; i++) {
		json_object *a = NULL;
		if ((rc = db_query_row(&a, SQL_APP_FOR_SESSION, "i", in->apps[i])) != DB_OK)
			break;
		long long other = db_int(a, "in_session", 0);
		if (!a || db_int(a, "round_id", 0) != in->round_id ||
		    strcmp(db_str(a, "status", ""), "with_province") || (other && other != id))
			rc = DRAW_E_APPS;
		json_object_put(a);
		if (rc == DB_OK)
			rc = db_exec(SQL_APP_ADD, "ii", id, in->apps[i]);
		if (rc == DB_CONFLICT) /* the same id twice in the form */
			rc = DRAW_E_APPS;
	}
	return rc;
}

static void describe(struct buf *s, const char *verb, const struct draw_session_in *in)
{
	buf_addf(s, "%s：%s（%s，%s），评审组%d人，%zu份申报书", verb, in->title, in->review_date,
		 in->place, in->panel_size, in->napps);
	if (in->rotation_k)
		buf_addf(s, "，排除最近%d次评审会已抽中的专家", in->rotation_k);
}

static int check_in(const struct draw_session_in *in)
{
	if (in->napps == 0 || in->napps > DRAW_APPS_MAX)
		return DRAW_E_APPS;
	if (lot_check_panel_size(in->panel_size) != LOT_OK || in->rotation_k < 0 ||
	    in->rotation_k > DRAW_ROTATION_MAX)
		return DB_ERROR; /* the pages validate these first */
	return DB_OK;
}

int draw_session_create(const struct actor *who, const struct draw_session_in *in,
			long long *id_out)
{
	json_object *round = NULL;
	struct buf s = BUF_INIT;
	int rc = check_in(in);
	*id_out = 0;
	if (rc != DB_OK)
		return rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = db_query_row(&round, SQL_ROUND_EXISTS, "i", in->round_id);
	if (rc == DB_OK && !round)
		rc = DRAW_E_ROUND;
	json_object_put(round);
	if (rc == DB_OK)
		rc = db_exec(SQL_SESSION_INSERT, "isssiii", in->round_id, in->title, in->review_date,
			     in->place, (long long)in->panel_size, (long long)in->rotation_k,
			     who->user_id);
	if (rc == DB_OK) {
		*id_out = db_insert_id();
		rc = put_apps(*id_out, in);
	}
	describe(&s, "新建评审会", in);
	rc = finish(rc, who, "draw.session.create", *id_out, &s);
	if (rc != DB_OK)
		*id_out = 0;
	buf_release(&s);
	return rc;
}

int draw_session_update(const struct actor *who, long long id, const struct draw_session_in *in)
{
	json_object *row = NULL;
	struct buf s = BUF_INIT;
	int rc = check_in(in);
	if (rc != DB_OK)
		return rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = lock_session(id, DA_UPDATE, &row);
	if (rc == DB_OK && db_int(row, "round_id", 0) != in->round_id)
		rc = DRAW_E_ROUND; /* a session stays in its round */
	if (rc == DB_OK)
		rc = db_exec(SQL_SESSION_UPDATE, "sssiii", in->title, in->review_date, in->place,
			     (long long)in->panel_size, (long long)in->rotation_k, id);
	if (rc == DB_OK)
		rc = put_apps(id, in);
	describe(&s, "修改评审会", in);
	rc = finish(rc, who, "draw.session.update", id, &s);
	json_object_put(row);
	buf_release(&s);
	return rc;
}

int draw_session_get(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_SESSION_GET, "i", id);
	if (rc == DB_OK && *row)
		add_label(*row);
	return rc;
}

int draw_session_list(long long round_id, const char *q, int page, json_object **rows, bool *more)
{
	long long offset = (long long)(page > 1 ? page - 1 : 0) * DRAW_PAGE_SIZE;
	struct buf pat = BUF_INIT;
	int rc;
	db_like_anywhere(q, &pat);
	rc = db_query(rows, SQL_SESSION_LIST, "iisssssii", round_id, round_id, q, pat.data, pat.data,
		      pat.data, q, (long long)DRAW_PAGE_SIZE + 1, offset);
	buf_release(&pat);
	*more = false;
	if (rc != DB_OK)
		return rc;
	*more = db_trim_page(*rows, DRAW_PAGE_SIZE);
	for (size_t i = 0; i < json_object_array_length(*rows); i++)
		add_label(json_object_array_get_idx(*rows, i));
	return DB_OK;
}

int draw_session_apps(long long id, json_object **rows)
{
	return db_query(rows, SQL_SESSION_APPS, "i", id);
}

int draw_session_choices(long long round_id, long long session_id, json_object **rows)
{
	return db_query(rows, SQL_CHOICES, "iii", session_id, round_id, session_id);
}

/* ---- the capacity of a list under the cap ---- */

static int by_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many of n candidates (keys) the cap lets onto an empty panel: the
 * sum over organisations of min(LOT_ORG_CAP, its candidates).  Sorts keys. */
static long long capacity(const char **keys, size_t n)
{
	long long total = 0;
	qsort(keys, n, sizeof *keys, by_key);
	for (size_t i = 0, run = 0; i < n; i++) {
		run = i > 0 && !strcmp(keys[i], keys[i - 1]) ? run + 1 : 1;
		if (run <= LOT_ORG_CAP)
			total++;
	}
	return total;
}

/* ---- commit ---- */

static long long *ids_of(json_object *rows, const char *col, size_t *n)
{
	size_t len = json_object_array_length(rows);
	long long *ids = calloc(len ? len : 1, sizeof *ids);
	*n = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		long long id = db_int(json_object_array_get_idx(rows, i), col, 0);
		if (*n == 0 || ids[*n - 1] != id)
			ids[(*n)++] = id;
	}
	return ids;
}

static const char *relation_label(const char *kind)
{
	if (!strcmp(kind, "employment"))
		return "任职";
	if (!strcmp(kind, "consultancy"))
		return "咨询";
	if (!strcmp(kind, "shareholding"))
		return "持股";
	if (!strcmp(kind, "relative"))
		return "亲属";
	return kind;
}

/* The detail line of an exclusion, for the record. */
static void exclusion_detail(struct buf *d, enum draw_exclusion_reason why, size_t which,
			     json_object *apps, json_object *related, int rotation_k)
{
	switch (why) {
	case DX_RECUSAL_ORG:
		/* Two keys per applicant: by credit code, then by name. */
		buf_addf(d, "所在单位为本次评审的申报企业：%s",
			 db_str(json_object_array_get_idx(apps, which / 2), "name", ""));
		break;
	case DX_RECUSAL_RELATION: {
		json_object *r = json_object_array_get_idx(related, which);
		buf_addf(d, "声明与申报企业存在%s关系：%s", relation_label(db_str(r, "kind", "")),
			 db_str(r, "enterprise", ""));
		break;
	}
	case DX_ROTATION:
		buf_addf(d, "最近%d次评审会已被抽中", rotation_k);
		break;
	case DX_NONE:
		break;
	}
}

struct commit_work {
	json_object *apps, *pool, *related, *rotated;
	char (*keys)[LOT_ORG_KEY_MAX + 1];
	const char **keyp;
	long long *rotated_ids;
};

static void commit_work_release(struct commit_work *w)
{
	json_object_put(w->apps);
	json_object_put(w->pool);
	json_object_put(w->related);
	json_object_put(w->rotated);
	free(w->keys);
	free(w->keyp);
	free(w->rotated_ids);
}

/* The screened pool stored: the candidates in id order (their positions
 * 1..ncand) and the exclusions with their reasons, each table in a few
 * round trips rather than one per expert. */
static int store_screening(long long id, const struct commit_work *w,
			   const enum draw_exclusion_reason *reason, const size_t *which,
			   int rotation_k, size_t ncand, size_t nexcluded)
{
	size_t npool = json_object_array_length(w->pool);
	struct db_value *cv = calloc(ncand ? 6 * ncand : 1, sizeof *cv);
	struct db_value *xv = calloc(nexcluded ? 4 * nexcluded : 1, sizeof *xv);
	struct buf *details = calloc(nexcluded ? nexcluded : 1, sizeof *details);
	size_t c = 0, x = 0;
	int rc = DB_OK;

	if (!cv || !xv || !details) {
		rc = DB_ERROR;
		goto out;
	}
	for (size_t i = 0; i < npool; i++) {
		json_object *e = json_object_array_get_idx(w->pool, i);
		long long eid = db_int(e, "id", 0);
		if (reason[i] == DX_NONE && c < ncand) {
			struct db_value *v = &cv[6 * c++];
			v[0].i = id;
			v[1].i = (long long)c; /* positions count from 1 */
			v[2].i = eid;
			v[3].s = db_str(e, "org_key", "");
			v[4].s = db_str(e, "name", "");
			v[5].s = db_str(e, "org_name", "");
		} else if (reason[i] != DX_NONE && x < nexcluded) {
			struct db_value *v = &xv[4 * x];
			exclusion_detail(&details[x], reason[i], which[i], w->apps, w->related,
					 rotation_k);
			v[0].i = id;
			v[1].i = eid;
			v[2].s = draw_exclusion_name(reason[i]);
			v[3].s = details[x].data ? details[x].data : "";
			x++;
		}
	}
	if (c != ncand || x != nexcluded) {
		log_err("draw: session %lld: %zu candidates and %zu exclusions screened, %zu and %zu stored",
			id, ncand, nexcluded, c, x);
		rc = DB_ERROR;
		goto out;
	}
	if (ncand)
		rc = db_exec_rows(SQL_CANDIDATE_INSERT, "iiisss", ncand, cv);
	if (rc == DB_OK && nexcluded)
		rc = db_exec_rows(SQL_EXCLUSION_INSERT, "iiss", nexcluded, xv);
out:
	for (size_t i = 0; details && i < x; i++)
		buf_release(&details[i]);
	free(details);
	free(xv);
	free(cv);
	return rc;
}

/* Everything of the commit inside its transaction, the session row locked. */
static int commit_locked(const struct actor *who, long long id, json_object *session,
			 const char *public_source, struct lot_shortfall *why, struct buf *summary)
{
	struct commit_work w = { 0 };
	int rotation_k = (int)db_int(session, "rotation_k", 0);
	size_t napps, nrotated = 0, ncand = 0, nexcluded = 0;
	char today[CIVIL_DATE_LEN + 1];
	int rc;

	if ((rc = db_query(&w.apps, SQL_SESSION_APPS_LOCK, "i", id)) != DB_OK)
		goto out;
	napps = json_object_array_length(w.apps);
	if (napps == 0) {
		rc = DRAW_E_APPS;
		goto out;
	}
	w.keys = calloc(2 * napps, sizeof *w.keys);
	if (!w.keys) {
		rc = DB_ERROR;
		goto out;
	}
	const char *akeys[2 * DRAW_APPS_MAX];
	for (size_t i = 0; i < napps && i < DRAW_APPS_MAX; i++) {
		json_object *a = json_object_array_get_idx(w.apps, i);
		if (strcmp(db_str(a, "status", ""), "with_province")) {
			rc = DRAW_E_APPS;
			goto out;
		}
		akeys[2 * i] = lot_org_key(db_str(a, "uscc", ""), "", w.keys[2 * i],
					   sizeof w.keys[2 * i]) ? w.keys[2 * i] : NULL;
		akeys[2 * i + 1] = lot_org_key("", db_str(a, "name", ""), w.keys[2 * i + 1],
					       sizeof w.keys[2 * i + 1]) ? w.keys[2 * i + 1] : NULL;
	}
	civil_format(civil_today_shanghai(), today);
	if ((rc = db_query(&w.pool, SQL_POOL, "s", today)) != DB_OK ||
	    (rc = db_query(&w.related, SQL_RELATED, "i", id)) != DB_OK)
		goto out;
	if (rotation_k > 0 &&
	    (rc = db_query(&w.rotated, SQL_ROTATED, "ii", id, (long long)rotation_k)) != DB_OK)
		goto out;
	w.rotated_ids = w.rotated ? ids_of(w.rotated, "expert_id", &nrotated) : calloc(1, sizeof *w.rotated_ids);
	size_t npool = json_object_array_length(w.pool);
	w.keyp = calloc(npool ? npool : 1, sizeof *w.keyp);
	if (!w.rotated_ids || !w.keyp) {
		rc = DB_ERROR;
		goto out;
	}
	struct draw_screen_in in = { akeys, 2 * napps, NULL, 0, w.rotated_ids, nrotated };
	/* draw_screen's *which indexes the rows of w.related (for the detail),
	 * so it screens against those rows, one per relation. */
	long long *rel_rows = calloc(json_object_array_length(w.related) + 1, sizeof *rel_rows);
	if (!rel_rows) {
		rc = DB_ERROR;
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(w.related); i++)
		rel_rows[i] = db_int(json_object_array_get_idx(w.related, i), "expert_id", 0);
	in.related = rel_rows;
	in.nrelated = json_object_array_length(w.related);

	/* Screen the pool; candidates keep the pool's id order. */
	enum draw_exclusion_reason *reason = calloc(npool ? npool : 1, sizeof *reason);
	size_t *which = calloc(npool ? npool : 1, sizeof *which);
	struct lot_candidate *cand = calloc(npool ? npool : 1, sizeof *cand);
	if (!reason || !which || !cand) {
		rc = DB_ERROR;
		goto free_screen;
	}
	for (size_t i = 0; i < npool; i++) {
		json_object *e = json_object_array_get_idx(w.pool, i);
		long long eid = db_int(e, "id", 0);
		reason[i] = draw_screen(&in, eid, db_str(e, "org_key", ""), &which[i]);
		if (reason[i] == DX_NONE) {
			cand[ncand].expert_id = eid;
			cand[ncand].org_key = db_str(e, "org_key", "");
			w.keyp[ncand] = cand[ncand].org_key;
			ncand++;
		} else {
			nexcluded++;
		}
	}
	long long panel = db_int(session, "panel_size", 0);
	if (lot_check_list(cand, ncand) != LOT_OK) {
		rc = DB_ERROR; /* ids from ORDER BY id: cannot happen */
		log_err("draw: session %lld: the candidate list is not in id order", id);
		goto free_screen;
	}
	/* The commit would be useless if no draw could fill the panel. */
	long long cap = capacity(w.keyp, ncand);
	if (cap < panel) {
		why->needed = (size_t)panel;
		why->available = ncand;
		why->capacity = (size_t)cap;
		rc = DRAW_E_SHORT;
		goto free_screen;
	}

	unsigned char seed[LOT_SEED_BYTES], commitment[LOT_DIGEST_BYTES], digest[LOT_DIGEST_BYTES];
	char commitment_hex[LOT_HEX_LEN + 1], digest_hex[LOT_HEX_LEN + 1];
	if (getrandom(seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
		log_err("draw: getrandom failed");
		rc = DB_ERROR;
		goto free_screen;
	}
	lot_commitment(seed, commitment);
	lot_candidate_digest(cand, ncand, digest);
	lot_hex(commitment, commitment_hex);
	lot_hex(digest, digest_hex);
	rc = db_exec(SQL_COMMIT_INSERT, "ibssisi", id, seed, sizeof seed, commitment_hex,
		     digest_hex, (long long)ncand, public_source, who->user_id);
	sodium_memzero(seed, sizeof seed);
	if (rc == DB_OK)
		rc = store_screening(id, &w, reason, which, rotation_k, ncand, npool - ncand);
	for (size_t i = 0; rc == DB_OK && i < napps; i++) {
		long long app = db_int(json_object_array_get_idx(w.apps, i), "id", 0);
		rc = app_status_move(app, "with_province", LC_REVIEW, LC_BY_PROVINCE, NULL);
		if (rc == APP_E_STATE)
			rc = DRAW_E_APPS;
	}
	if (rc == DB_OK)
		rc = set_state(id, DA_COMMIT, session);
	buf_addf(summary,
		 "固定候选名单：%s，候选专家%zu名（回避或轮换排除%zu名），%zu份申报书进入评审；"
		 "种子承诺 %s，候选名单摘要 %s",
		 db_str(session, "title", ""), ncand, nexcluded, napps, commitment_hex, digest_hex);
	if (public_source && *public_source)
		buf_addf(summary, "；公开随机值来源：%s", public_source);
free_screen:
	free(rel_rows);
	free(reason);
	free(which);
	free(cand);
out:
	commit_work_release(&w);
	return rc;
}

int draw_commit(const struct actor *who, long long id, const char *public_source,
		struct lot_shortfall *why)
{
	json_object *session = NULL;
	struct buf s = BUF_INIT;
	int rc;
	memset(why, 0, sizeof *why);
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = lock_session(id, DA_COMMIT, &session);
	if (rc == DB_OK)
		rc = commit_locked(who, id, session, public_source, why, &s);
	rc = finish(rc, who, "draw.commit", id, &s);
	json_object_put(session);
	buf_release(&s);
	return rc;
}

/* ---- the draws ---- */

/* The committed list and the record so far, loaded inside a transaction
 * (or a snapshot), ready for lot_pick. */
struct loaded {
	json_object *commitment, *candidates, *events, *picks;
	struct lot_candidate *cand;
	size_t ncand;
	bool *used, *on_panel;
	unsigned char seed[LOT_SEED_BYTES], public_digest[LOT_DIGEST_BYTES],
		digest[LOT_DIGEST_BYTES];
	uint32_t next_number;
};

static void loaded_release(struct loaded *l)
{
	json_object_put(l->commitment);
	json_object_put(l->candidates);
	json_object_put(l->events);
	json_object_put(l->picks);
	free(l->cand);
	free(l->used);
	free(l->on_panel);
	sodium_memzero(l->seed, sizeof l->seed);
}

static long long index_of(const struct loaded *l, long long expert_id)
{
	for (size_t i = 0; i < l->ncand; i++)
		if (l->cand[i].expert_id == expert_id)
			return (long long)i;
	return -1;
}

/* Load the record of session id.  public_value: the value to mix in (NULL:
 * the recorded one). */
static int load(long long id, const char *public_value, struct loaded *l)
{
	int rc;
	memset(l, 0, sizeof *l);
	if ((rc = db_query_row(&l->commitment, SQL_COMMITMENT, "i", id)) != DB_OK)
		return rc;
	if (!l->commitment)
		return DRAW_E_STATE;
	if ((rc = db_query(&l->candidates, SQL_CANDIDATES, "i", id)) != DB_OK ||
	    (rc = db_query(&l->events, SQL_EVENTS, "i", id)) != DB_OK ||
	    (rc = db_query(&l->picks, SQL_PICKS, "i", id)) != DB_OK)
		return rc;
	if (!lot_unhex(db_str(l->commitment, "seed_hex", ""), l->seed)) {
		log_err("draw: session %lld: the seed is not %d bytes", id, LOT_SEED_BYTES);
		return DB_ERROR;
	}
	lot_public_digest(public_value ? public_value : db_str(l->commitment, "public_value", ""),
			  l->public_digest);
	l->ncand = json_object_array_length(l->candidates);
	l->cand = calloc(l->ncand ? l->ncand : 1, sizeof *l->cand);
	l->used = calloc(l->ncand ? l->ncand : 1, sizeof *l->used);
	l->on_panel = calloc(l->ncand ? l->ncand : 1, sizeof *l->on_panel);
	if (!l->cand || !l->used || !l->on_panel)
		return DB_ERROR;
	for (size_t i = 0; i < l->ncand; i++) {
		json_object *c = json_object_array_get_idx(l->candidates, i);
		l->cand[i].expert_id = db_int(c, "expert_id", 0);
		l->cand[i].org_key = db_str(c, "org_key", "");
	}
	if (lot_check_list(l->cand, l->ncand) != LOT_OK)
		return DB_ERROR;
	lot_candidate_digest(l->cand, l->ncand, l->digest);
	/* Who is on the panel now: every pick, less every member replaced. */
	for (size_t i = 0; i < json_object_array_length(l->picks); i++) {
		long long k = index_of(l, db_int(json_object_array_get_idx(l->picks, i), "expert_id", 0));
		if (k < 0)
			return DB_ERROR;
		l->used[k] = l->on_panel[k] = true;
	}
	l->next_number = 1;
	for (size_t i = 0; i < json_object_array_length(l->events); i++) {
		json_object *e = json_object_array_get_idx(l->events, i);
		long long k = index_of(l, db_int(e, "replaces", 0));
		if (k >= 0)
			l->on_panel[k] = false;
		l->next_number = (uint32_t)db_int(e, "number", 0) + 1;
	}
	return DB_OK;
}

static struct lot_draw draw_of(const struct loaded *l)
{
	struct lot_draw d = { l->seed, l->public_digest, l->digest, l->cand, l->ncand };
	return d;
}

/* The names of the experts at candidate indexes picked[0..n-1]. */
static void add_names(struct buf *s, const struct loaded *l, const size_t *picked, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(l->candidates, picked[i]);
		buf_addf(s, "%s%s（%s）", i ? "、" : "", db_str(c, "name", ""),
			 db_str(c, "org_name", ""));
	}
}

static int insert_draw(long long id, uint32_t number, const char *kind, const size_t *picked,
		       size_t n, long long replaces, const char *reason_kind, const char *reason,
		       long long operator_id, long long supervisor_id, const struct loaded *l)
{
	int rc = db_exec(SQL_EVENT_INSERT, "iisiissii", id, (long long)number, kind, (long long)n,
			 replaces, reason_kind, reason, operator_id, supervisor_id);
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		rc = db_exec(SQL_PICK_INSERT, "iiii", id, (long long)number, (long long)i + 1,
			     l->cand[picked[i]].expert_id);
	if (rc == DB_CONFLICT) /* an expert drawn twice: the state check makes it impossible */
		rc = DRAW_E_STATE;
	return rc;
}

static void shortfall(struct lot_shortfall *why, const struct lot_shortfall *s)
{
	if (why)
		*why = *s;
}

int draw_panel(const struct actor *who, long long id, long long supervisor_id,
	       const char *public_value, struct lot_shortfall *why)
{
	json_object *session = NULL;
	struct loaded l = { 0 };
	struct buf s = BUF_INIT;
	size_t picked[LOT_PANEL_MAX];
	struct lot_shortfall sf = { 0 };
	int rc;
	if (why)
		memset(why, 0, sizeof *why);
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = lock_session(id, DA_PANEL, &session);
	if (rc == DB_OK)
		rc = load(id, public_value, &l);
	if (rc == DB_OK) {
		bool announced = db_str(l.commitment, "public_source", "")[0] != '\0';
		if (announced != (public_value && *public_value))
			rc = DRAW_E_PUBLIC;
	}
	size_t n = (size_t)db_int(session, "panel_size", 0);
	if (rc == DB_OK && (n < LOT_PANEL_MIN || n > LOT_PANEL_MAX))
		rc = DB_ERROR;
	if (rc == DB_OK) {
		struct lot_draw d = draw_of(&l);
		int lr = lot_pick(&d, 1, n, l.used, l.on_panel, picked, &sf);
		rc = lr == LOT_OK ? DB_OK : lr == LOT_E_SHORT ? DRAW_E_SHORT : DB_ERROR;
		shortfall(why, &sf);
	}
	if (rc == DB_OK)
		rc = insert_draw(id, 1, "panel", picked, n, 0, "", "", who->user_id, supervisor_id, &l);
	if (rc == DB_OK && public_value && *public_value)
		rc = db_exec(SQL_PUBLIC_VALUE, "si", public_value, id);
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		rc = tell_expert(l.cand[picked[i]].expert_id, session, true);
	if (rc == DB_OK)
		rc = set_state(id, DA_PANEL, session);
	if (rc == DB_OK) {
		buf_addf(&s, "抽取评审专家：%s，%zu名：", db_str(session, "title", ""), n);
		add_names(&s, &l, picked, n);
		if (public_value && *public_value)
			buf_addf(&s, "；公开随机值：%s", public_value);
	}
	rc = finish(rc, who, "draw.panel", id, &s);
	loaded_release(&l);
	json_object_put(session);
	buf_release(&s);
	return rc;
}

int draw_replace(const struct actor *who, long long id, long long supervisor_id,
		 long long expert_id, const char *reason_kind, const char *reason,
		 struct lot_shortfall *why, long long *picked_id)
{
	json_object *session = NULL;
	struct loaded l = { 0 };
	struct buf s = BUF_INIT;
	struct lot_shortfall sf = { 0 };
	size_t picked = 0;
	long long k = -1;
	int rc;
	*picked_id = 0;
	if (why)
		memset(why, 0, sizeof *why);
	if (strcmp(reason_kind, "cannot_attend") && strcmp(reason_kind, "conflict"))
		return DB_ERROR; /* the page validates it first */
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = lock_session(id, DA_REPLACE, &session);
	if (rc == DB_OK)
		rc = load(id, NULL, &l);
	if (rc == DB_OK && ((k = index_of(&l, expert_id)) < 0 || !l.on_panel[k]))
		rc = DRAW_E_MEMBER;
	if (rc == DB_OK) {
		struct lot_draw d = draw_of(&l);
		l.on_panel[k] = false;
		int lr = lot_pick(&d, l.next_number, 1, l.used, l.on_panel, &picked, &sf);
		rc = lr == LOT_OK ? DB_OK : lr == LOT_E_SHORT ? DRAW_E_SHORT : DB_ERROR;
		shortfall(why, &sf);
	}
	if (rc == DB_OK)
		rc = insert_draw(id, l.next_number, "replacement", &picked, 1, expert_id, reason_kind,
				 reason, who->user_id, supervisor_id, &l);
	if (rc == DB_OK)
		rc = tell_expert(l.cand[picked].expert_id, session, true);
	if (rc == DB_OK)
		rc = tell_expert(expert_id, session, false);
	if (rc == DB_OK) {
		size_t out = (size_t)k;
		*picked_id = l.cand[picked].expert_id;
		buf_addf(&s, "补抽专家（第%u次抽取）：%s，", l.next_number, db_str(session, "title", ""));
		add_names(&s, &l, &out, 1);
		buf_addf(&s, "因%s不再参加，理由：%s；补抽：",
			 !strcmp(reason_kind, "conflict") ? "需回避" : "不能参加", reason);
		add_names(&s, &l, &picked, 1);
	}
	rc = finish(rc, who, "draw.replace", id, &s);
	loaded_release(&l);
	json_object_put(session);
	buf_release(&s);
	return rc;
}

int draw_reveal(const struct actor *who, long long id, long long supervisor_id)
{
	json_object *session = NULL;
	struct loaded l = { 0 };
	struct buf s = BUF_INIT;
	int rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = lock_session(id, DA_REVEAL, &session);
	if (rc == DB_OK)
		rc = load(id, NULL, &l);
	if (rc == DB_OK)
		rc = db_exec(SQL_REVEAL, "iii", who->user_id, supervisor_id, id);
	if (rc == DB_OK && db_affected_rows() != 1)
		rc = DRAW_E_STATE;
	if (rc == DB_OK)
		rc = set_state(id, DA_REVEAL, session);
	if (rc == DB_OK) {
		char hex[LOT_HEX_LEN + 1];
		lot_hex(l.seed, hex);
		buf_addf(&s, "公开抽取种子：%s，种子 %s", db_str(session, "title", ""), hex);
	}
	rc = finish(rc, who, "draw.reveal", id, &s);
	loaded_release(&l);
	json_object_put(session);
	buf_release(&s);
	return rc;
}

int draw_rate(const struct actor *who, long long id, long long expert_id, int rating,
	      const char *comment)
{
	json_object *session = NULL;
	struct loaded l = { 0 };
	struct buf s = BUF_INIT;
	long long k = -1;
	int rc;
	if (rating < 1 || rating > 5)
		return DB_ERROR; /* the page validates it first */
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = lock_session(id, DA_RATE, &session);
	if (rc == DB_OK)
		rc = load(id, NULL, &l);
	if (rc == DB_OK && ((k = index_of(&l, expert_id)) < 0 || !l.on_panel[k]))
		rc = DRAW_E_MEMBER;
	if (rc == DB_OK)
		rc = db_exec(SQL_RATE, "iiisi", id, expert_id, (long long)rating, comment, who->user_id);
	if (rc == DB_OK) {
		size_t one = (size_t)k;
		buf_addf(&s, "评价专家工作：%s，", db_str(session, "title", ""));
		add_names(&s, &l, &one, 1);
		buf_addf(&s, "，%d分", rating);
		if (*comment)
			buf_addf(&s, "：%s", comment);
	}
	rc = finish(rc, who, "draw.rate", id, &s);
	loaded_release(&l);
	json_object_put(session);
	buf_release(&s);
	return rc;
}

/* ---- the record ---- */

static const char *reason_kind_label(const char *k)
{
	return !strcmp(k, "conflict") ? "需回避" : !strcmp(k, "cannot_attend") ? "不能参加" : k;
}

static json_object *find_candidate(json_object *candidates, long long expert_id)
{
	for (size_t i = 0; i < json_object_array_length(candidates); i++) {
		json_object *c = json_object_array_get_idx(candidates, i);
		if (db_int(c, "expert_id", 0) == expert_id)
			return c;
	}
	return NULL;
}

static json_object *str_or_null(json_object *row, const char *col)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(row, col, &v) || !v)
		return NULL;
	return json_object_new_string(json_object_get_string(v));
}

int draw_record(long long id, bool with_seed, json_object **rec)
{
	json_object *session = NULL, *excluded = NULL, *o, *arr;
	struct loaded l = { 0 };
	int rc;
	*rec = NULL;
	if ((rc = db_begin_snapshot()) != DB_OK)
		return rc;
	if ((rc = db_query_row(&session, SQL_SESSION_GET, "i", id)) != DB_OK || !session)
		goto out;
	rc = load(id, NULL, &l);
	if (rc == DRAW_E_STATE) { /* not committed yet: no record */
		rc = DB_OK;
		goto out;
	}
	if (rc != DB_OK || (rc = db_query(&excluded, SQL_EXCLUDED, "i", id)) != DB_OK)
		goto out;

	o = json_object_new_object();
	add_str(o, "format", "biaogan-lottery-v1");
	json_object *s = json_object_new_object();
	json_object_object_add(s, "id", json_object_new_int64(id));
	json_object_object_add(s, "round_year", json_object_new_int64(db_int(session, "round_year", 0)));
	add_str(s, "title", db_str(session, "title", ""));
	add_str(s, "review_date", db_str(session, "review_date", ""));
	add_str(s, "place", db_str(session, "place", ""));
	json_object_object_add(s, "panel_size", json_object_new_int64(db_int(session, "panel_size", 0)));
	json_object_object_add(o, "session", s);
	add_str(o, "commitment", db_str(l.commitment, "commitment", ""));
	bool revealed = db_str(l.commitment, "revealed_at", "")[0] != '\0';
	if (revealed || with_seed) {
		char hex[LOT_HEX_LEN + 1];
		lot_hex(l.seed, hex);
		add_str(o, "seed", hex);
	} else {
		json_object_object_add(o, "seed", NULL);
	}
	json_object_object_add(o, "public_source", str_or_null(l.commitment, "public_source"));
	json_object_object_add(o, "public_value", str_or_null(l.commitment, "public_value"));
	add_str(o, "candidate_digest", db_str(l.commitment, "candidate_digest", ""));
	arr = json_object_new_array();
	for (size_t i = 0; i < l.ncand; i++) {
		json_object *c = json_object_array_get_idx(l.candidates, i), *e = json_object_new_object();
		json_object_object_add(e, "expert_id", json_object_new_int64(db_int(c, "expert_id", 0)));
		add_str(e, "org_key", db_str(c, "org_key", ""));
		add_str(e, "name", db_str(c, "name", ""));
		add_str(e, "organisation", db_str(c, "org_name", ""));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "candidates", arr);
	arr = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(excluded); i++) {
		json_object *x = json_object_array_get_idx(excluded, i), *e = json_object_new_object();
		json_object_object_add(e, "expert_id", json_object_new_int64(db_int(x, "expert_id", 0)));
		add_str(e, "reason", db_str(x, "reason", ""));
		add_str(e, "detail", db_str(x, "detail", ""));
		/* For the pages; not part of the export format's replay. */
		add_str(e, "name", db_str(x, "name", ""));
		add_str(e, "reason_label", draw_exclusion_label(exclusion_parse(db_str(x, "reason", ""))));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "excluded", arr);

	json_object *draws = json_object_new_array(), *panel = json_object_new_array();
	json_object *replaced = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(l.events); i++) {
		json_object *ev = json_object_array_get_idx(l.events, i), *d = json_object_new_object();
		long long number = db_int(ev, "number", 0);
		json_object_object_add(d, "number", json_object_new_int64(number));
		add_str(d, "kind", db_str(ev, "kind", ""));
		json_object_object_add(d, "count", json_object_new_int64(db_int(ev, "count", 0)));
		if (!strcmp(db_str(ev, "kind", ""), "replacement")) {
			long long gone = db_int(ev, "replaces", 0);
			json_object_object_add(d, "replaces", json_object_new_int64(gone));
			add_str(d, "reason_kind", db_str(ev, "reason_kind", ""));
			add_str(d, "reason", db_str(ev, "reason", ""));
			json_object *r = json_object_new_object(), *c = find_candidate(l.candidates, gone);
			json_object_object_add(r, "number", json_object_new_int64(number));
			add_str(r, "name", db_str(c, "name", ""));
			add_str(r, "organisation", db_str(c, "org_name", ""));
			add_str(r, "reason_label", reason_kind_label(db_str(ev, "reason_kind", "")));
			add_str(r, "reason", db_str(ev, "reason", ""));
			add_str(r, "at", db_str(ev, "drawn_at", ""));
			json_object_array_add(replaced, r);
		}
		json_object *picked = json_object_new_array();
		for (size_t j = 0; j < json_object_array_length(l.picks); j++) {
			json_object *p = json_object_array_get_idx(l.picks, j);
			if (db_int(p, "number", 0) == number)
				json_object_array_add(picked,
						      json_object_new_int64(db_int(p, "expert_id", 0)));
		}
		json_object_object_add(d, "picked", picked);
		add_str(d, "at", db_str(ev, "drawn_at", ""));
		add_str(d, "operator", db_str(ev, "operator", ""));
		add_str(d, "supervisor", db_str(ev, "supervisor", ""));
		json_object_array_add(draws, d);
	}
	json_object_object_add(o, "draws", draws);
	/* The final panel: every pick in draw order, less the replaced. */
	json_object *members = json_object_new_array();
	for (size_t j = 0; rc == DB_OK && j < json_object_array_length(l.picks); j++) {
		long long eid = db_int(json_object_array_get_idx(l.picks, j), "expert_id", 0);
		long long k = index_of(&l, eid);
		if (k < 0 || !l.on_panel[k])
			continue;
		json_object_array_add(panel, json_object_new_int64(eid));
		json_object *m = json_object_new_object(), *c = find_candidate(l.candidates, eid);
		json_object *det = NULL;
		json_object_object_add(m, "expert_id", json_object_new_int64(eid));
		add_str(m, "name", db_str(c, "name", ""));
		add_str(m, "organisation", db_str(c, "org_name", ""));
		rc = db_query_row(&det, SQL_MEMBER_DETAILS, "ii", id, eid);
		add_str(m, "title", db_str(det, "title", ""));
		json_object_object_add(m, "rating", json_object_new_int64(db_int(det, "rating", 0)));
		add_str(m, "rating_comment", db_str(det, "rating_comment", ""));
		json_object_put(det);
		json_object_array_add(members, m);
	}
	json_object_object_add(o, "panel", panel);
	json_object_object_add(o, "members", members);
	json_object_object_add(o, "replaced", replaced);
	if (rc == DB_OK)
		*rec = o;
	else
		json_object_put(o);
out:
	db_rollback();
	loaded_release(&l);
	json_object_put(session);
	json_object_put(excluded);
	return rc;
}

void draw_record_strip(json_object *rec)
{
	json_object *excluded = NULL;
	json_object_object_del(rec, "members");
	json_object_object_del(rec, "replaced");
	if (json_object_object_get_ex(rec, "excluded", &excluded))
		for (size_t i = 0; i < json_object_array_length(excluded); i++) {
			json_object_object_del(json_object_array_get_idx(excluded, i), "name");
			json_object_object_del(json_object_array_get_idx(excluded, i), "reason_label");
		}
}

int draw_note_export(const struct actor *who, long long id)
{
	struct buf s = BUF_INIT;
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	buf_addf(&s, "导出评审会%lld的抽取记录（JSON）", id);
	rc = finish(DB_OK, who, "draw.export", id, &s);
	buf_release(&s);
	return rc;
}

/* ---- verification ---- */

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static void line(struct buf *report, bool good, bool *ok, const char *what)
{
	buf_addf(report, "%s  %s\n", good ? "一致  " : "不一致", what);
	if (!good)
		*ok = false;
}

void draw_verify_record(json_object *rec, struct buf *report, bool *ok)
{
	json_object *cands = get(rec, "candidates"), *draws = get(rec, "draws");
	size_t n = cands ? json_object_array_length(cands) : 0;
	struct lot_candidate *cand = calloc(n ? n : 1, sizeof *cand);
	bool *used = calloc(n ? n : 1, sizeof *used), *on_panel = calloc(n ? n : 1, sizeof *on_panel);
	unsigned char seed[LOT_SEED_BYTES], digest[LOT_DIGEST_BYTES], recorded[LOT_DIGEST_BYTES],
		commitment[LOT_DIGEST_BYTES], public_digest[LOT_DIGEST_BYTES];
	struct buf what = BUF_INIT;
	*ok = true;
	if (!cand || !used || !on_panel || !draws) {
		line(report, false, ok, "记录不完整或内存不足");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cands, i);
		cand[i].expert_id = json_object_get_int64(get(c, "expert_id"));
		cand[i].org_key = json_object_get_string(get(c, "org_key"));
	}
	bool list_ok = lot_check_list(cand, n) == LOT_OK;
	line(report, list_ok, ok, "候选名单按专家编号排列、无重复");
	if (!list_ok)
		goto out;
	lot_candidate_digest(cand, n, digest);
	line(report,
	     lot_unhex(json_object_get_string(get(rec, "candidate_digest")), recorded) &&
		     !memcmp(digest, recorded, sizeof digest),
	     ok, "候选名单摘要（SHA-256）与记录相符");
	if (!lot_unhex(json_object_get_string(get(rec, "seed")), seed)) {
		line(report, false, ok, "种子尚未公开或格式错误，无法复核抽取");
		goto out;
	}
	lot_commitment(seed, commitment);
	line(report,
	     lot_unhex(json_object_get_string(get(rec, "commitment")), recorded) &&
		     !memcmp(commitment, recorded, sizeof commitment),
	     ok, "种子的 SHA-256 与抽取前公布的承诺相符");
	lot_public_digest(json_object_get_string(get(rec, "public_value")), public_digest);
	struct lot_draw d = { seed, public_digest, digest, cand, n };
	for (size_t i = 0; i < json_object_array_length(draws); i++) {
		json_object *ev = json_object_array_get_idx(draws, i), *picked = get(ev, "picked");
		long long number = json_object_get_int64(get(ev, "number"));
		size_t count = (size_t)json_object_get_int64(get(ev, "count"));
		bool replacement = !strcmp(json_object_get_string(get(ev, "kind")), "replacement");
		bool good = number == (long long)i + 1 && count >= 1 && count <= LOT_PANEL_MAX &&
			    picked && json_object_array_length(picked) == count &&
			    replacement == (i > 0);
		buf_reset(&what);
		buf_addf(&what, "第%lld次抽取（%s）", number, replacement ? "补抽" : "抽取评审组");
		if (good && replacement) {
			long long gone = json_object_get_int64(get(ev, "replaces"));
			size_t k = 0;
			while (k < n && cand[k].expert_id != gone)
				k++;
			good = k < n && on_panel[k];
			if (good)
				on_panel[k] = false;
		}
		size_t out_idx[LOT_PANEL_MAX];
		struct lot_shortfall sf;
		if (good)
			good = lot_pick(&d, (uint32_t)number, count, used, on_panel, out_idx, &sf) ==
			       LOT_OK;
		for (size_t j = 0; good && j < count; j++)
			good = cand[out_idx[j]].expert_id ==
			       json_object_get_int64(json_object_array_get_idx(picked, j));
		line(report, good, ok, what.data);
		if (!good)
			goto out; /* the later draws depend on this one */
	}
	json_object *panel = get(rec, "panel");
	size_t members = 0;
	bool good = panel != NULL;
	for (size_t i = 0; i < n; i++)
		members += on_panel[i];
	good = good && json_object_array_length(panel) == members;
	for (size_t j = 0; good && j < json_object_array_length(panel); j++) {
		long long eid = json_object_get_int64(json_object_array_get_idx(panel, j));
		size_t k = 0;
		while (k < n && cand[k].expert_id != eid)
			k++;
		good = k < n && on_panel[k];
	}
	json_object *session = get(rec, "session");
	if (good && json_object_array_length(draws) > 0)
		good = (long long)members == json_object_get_int64(get(session, "panel_size"));
	line(report, good, ok, "最终评审组与各次抽取结果相符");
out:
	sodium_memzero(seed, sizeof seed);
	buf_release(&what);
	free(cand);
	free(used);
	free(on_panel);
}

/* ---- for the experts and the home pages ---- */

int draw_assignments(long long account_id, json_object **rows)
{
	return db_query(rows, SQL_ASSIGNMENTS, "i", account_id);
}

int draw_pending(json_object **rows)
{
	int rc = db_query(rows, SQL_PENDING, "");
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		add_label(json_object_array_get_idx(*rows, i));
	return rc;
}
