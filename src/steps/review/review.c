#include "steps/review/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "steps/intake/app_status.h"
#include "steps/intake/application.h"
#include "steps/notify/notify.h"
#include "core/banned.h"

/* ---- the tables of arrows ---- */

static const struct {
	enum review_item_state from;
	enum review_item_action action;
	enum review_item_state to;
} item_arrows[] = {
	{ RI_SCORING, RIA_SCORE, RI_SCORING },
	{ RI_SCORING, RIA_REVISE, RI_SCORING },
	{ RI_CONCLUDED, RIA_REVISE, RI_SCORING },
	{ RI_SCORING, RIA_CONCLUDE, RI_CONCLUDED },
	{ RI_CONCLUDED, RIA_CONCLUDE, RI_CONCLUDED },
	{ RI_CONCLUDED, RIA_ANSWER, RI_CONCLUDED },
	{ RI_CONCLUDED, RIA_LOCK, RI_LOCKED },
	{ RI_LOCKED, RIA_REOPEN, RI_SCORING },
};

static const struct {
	enum review_sheet_state from;
	enum review_sheet_action action;
	enum review_sheet_state to;
} sheet_arrows[] = {
	{ RS_NONE, RSA_SAVE, RS_DRAFT },
	{ RS_DRAFT, RSA_SAVE, RS_DRAFT },
	{ RS_REVISE, RSA_SAVE, RS_REVISE },
	{ RS_NONE, RSA_SUBMIT, RS_SUBMITTED },
	{ RS_DRAFT, RSA_SUBMIT, RS_SUBMITTED },
	{ RS_REVISE, RSA_SUBMIT, RS_SUBMITTED },
	{ RS_SUBMITTED, RSA_REVISE, RS_REVISE },
};

bool review_item_next(enum review_item_state from, enum review_item_action a,
		      enum review_item_state *to)
{
	for (size_t i = 0; i < sizeof item_arrows / sizeof item_arrows[0]; i++)
		if (item_arrows[i].from == from && item_arrows[i].action == a) {
			if (to)
				*to = item_arrows[i].to;
			return true;
		}
	return false;
}

bool review_sheet_next(enum review_sheet_state from, enum review_sheet_action a,
		       enum review_sheet_state *to)
{
	for (size_t i = 0; i < sizeof sheet_arrows / sizeof sheet_arrows[0]; i++)
		if (sheet_arrows[i].from == from && sheet_arrows[i].action == a) {
			if (to)
				*to = sheet_arrows[i].to;
			return true;
		}
	return false;
}

static const char *const item_names[RI_STATES] = { "scoring", "concluded", "locked" };
static const char *const item_labels[RI_STATES] = { "评分中", "已合议，待确认", "结论已锁定" };
static const char *const sheet_names[RS_STATES] = { NULL, "draft", "submitted", "revise" };
static const char *const sheet_labels[RS_STATES] = { "未评分", "草稿（未提交）", "已提交",
						      "组长请求修改" };

enum review_item_state review_item_state_parse(const char *name)
{
	for (int i = 0; name && i < RI_STATES; i++)
		if (!strcmp(name, item_names[i]))
			return (enum review_item_state)i;
	return RI_STATES;
}

const char *review_item_state_name(enum review_item_state s)
{
	return s < RI_STATES ? item_names[s] : "";
}

const char *review_item_state_label(enum review_item_state s)
{
	return s < RI_STATES ? item_labels[s] : "";
}

enum review_sheet_state review_sheet_state_parse(const char *name)
{
	for (int i = 1; name && i < RS_STATES; i++)
		if (!strcmp(name, sheet_names[i]))
			return (enum review_sheet_state)i;
	return RS_NONE;
}

const char *review_sheet_state_name(enum review_sheet_state s)
{
	return s < RS_STATES ? sheet_names[s] : NULL;
}

const char *review_sheet_state_label(enum review_sheet_state s)
{
	return s < RS_STATES ? sheet_labels[s] : "";
}

const char *review_conflict_name(enum review_conflict c)
{
	return c == RC_SESSION ? "session" : c == RC_SOME ? "some" : "none";
}

static enum review_conflict conflict_parse(const char *name)
{
	return !name ? RC_NONE : !strcmp(name, "session") ? RC_SESSION
			     : !strcmp(name, "some")  ? RC_SOME
						      : RC_NONE;
}

int review_divergence_share(void)
{
	long long v = config_int("review_divergence_percent", SCORE_DIVERGENCE_DEFAULT);
	if (v < SCORE_DIVERGENCE_MIN || v > SCORE_DIVERGENCE_MAX)
		v = SCORE_DIVERGENCE_DEFAULT;
	return (int)v;
}

/* ---- statements ---- */

/* Who is on a session's panel now: the draw's picks not replaced since
 * (sql/018_draw.sql).  p is the alias of a draw_pick row. */
#define ON_PANEL(p)                                                                              \
	" NOT EXISTS (SELECT 1 FROM draw_event de WHERE de.session_id = " p ".session_id"        \
	" AND de.replaces = " p ".expert_id)"
/* ... and eligible for the application app (an SQL expression). */
#define ELIGIBLE(p, app)                                                                         \
	ON_PANEL(p) " AND NOT EXISTS (SELECT 1 FROM review_declaration dx"                       \
		    " WHERE dx.session_id = " p ".session_id AND dx.expert_id = " p ".expert_id"  \
		    " AND dx.conflict = 'session') AND NOT EXISTS (SELECT 1 FROM review_recusal rx" \
		    " WHERE rx.session_id = " p ".session_id AND rx.expert_id = " p ".expert_id"  \
		    " AND rx.application_id = " app ")"
#define DEADLINE "IFNULL(rp.deadline, TIMESTAMP(s.review_date, '18:00:00'))"

#define SESSION_COLUMNS                                                                          \
	"s.id, s.title, DATE_FORMAT(s.review_date, '%Y-%m-%d') AS review_date, s.place, s.state,"  \
	" s.round_id, r.year AS round_year, r.title AS round_title, s.panel_size, r.score_step,"  \
	" DATE_FORMAT(" DEADLINE ", '%Y-%m-%d %H:%i') AS deadline,"                                \
	" (" DEADLINE " < NOW()) AS deadline_passed,"                                              \
	" IFNULL(rp.chair_expert_id, 0) AS chair_expert_id, IFNULL(cx.name, '') AS chair_name,"  \
	" IFNULL(rp.state, 'open') AS review_state, (rp.state = 'locked') AS locked,"             \
	" (rp.first_locked_at IS NOT NULL) AS scores_open,"                                        \
	" DATE_FORMAT(rp.locked_at, '%Y-%m-%d %H:%i') AS locked_at,"                               \
	" (SELECT COUNT(*) FROM review_session_application x WHERE x.session_id = s.id)"          \
	" AS app_count"
#define SESSION_FROM                                                                             \
	" FROM review_session s JOIN selection_round r ON r.id = s.round_id"                      \
	" LEFT JOIN review_panel rp ON rp.session_id = s.id"                                       \
	" LEFT JOIN expert cx ON cx.id = rp.chair_expert_id"
static const char SQL_SESSION[] =
	"SELECT " SESSION_COLUMNS SESSION_FROM " WHERE s.id = ? AND s.state IN ('drawn', 'revealed')";
static const char SQL_SESSION_LIST[] =
	"SELECT " SESSION_COLUMNS ","
	" (SELECT COUNT(*) FROM draw_pick p WHERE p.session_id = s.id AND" ON_PANEL("p") ")"
	" AS members,"
	" (SELECT COUNT(*) FROM review_declaration d WHERE d.session_id = s.id) AS declared,"
	" (SELECT COUNT(*) FROM review_item i WHERE i.session_id = s.id AND i.state = 'locked')"
	" AS items_locked" SESSION_FROM
	" WHERE s.state IN ('drawn', 'revealed') AND (? = '' OR s.title LIKE ? OR EXISTS (SELECT 1"
	" FROM review_session_application sa JOIN application a ON a.id = sa.application_id"
	" JOIN enterprise e ON e.id = a.enterprise_id WHERE sa.session_id = s.id"
	" AND " APP_MATCHES_SQL("a", "e") "))"
	" ORDER BY s.review_date DESC, s.id DESC"
	" LIMIT ? OFFSET ?";
static const char SQL_ASSIGNMENTS[] =
	"SELECT s.id, s.title, DATE_FORMAT(s.review_date, '%Y-%m-%d') AS review_date, s.place,"
	" r.year AS round_year, DATE_FORMAT(" DEADLINE ", '%Y-%m-%d %H:%i') AS deadline,"
	" (" DEADLINE " < NOW()) AS deadline_passed,"
	" (d.expert_id IS NOT NULL) AS declared, IFNULL(d.conflict, '') AS conflict,"
	" IFNULL(rp.chair_expert_id = x.id, 0) AS is_chair, IFNULL(rp.state, 'open') AS review_state"
	" FROM expert x JOIN draw_pick p ON p.expert_id = x.id"
	" JOIN review_session s ON s.id = p.session_id JOIN selection_round r ON r.id = s.round_id"
	" LEFT JOIN review_panel rp ON rp.session_id = s.id"
	" LEFT JOIN review_declaration d ON d.session_id = s.id AND d.expert_id = x.id"
	" WHERE x.account_id = ? AND s.state IN ('drawn', 'revealed') AND" ON_PANEL("p")
	" ORDER BY s.review_date DESC, s.id DESC LIMIT 100";
static const char SQL_MEMBER_OF[] =
	"SELECT p.expert_id, IFNULL(rp.chair_expert_id = p.expert_id, 0) AS chair,"
	" (d.expert_id IS NOT NULL) AS declared, d.conflict"
	" FROM review_session s JOIN draw_pick p ON p.session_id = s.id"
	" JOIN expert x ON x.id = p.expert_id"
	" LEFT JOIN review_panel rp ON rp.session_id = s.id"
	" LEFT JOIN review_declaration d ON d.session_id = s.id AND d.expert_id = p.expert_id"
	" WHERE s.id = ? AND x.account_id = ? AND s.state IN ('drawn', 'revealed') AND"
	ON_PANEL("p");
static const char SQL_SESSION_EXISTS[] =
	"SELECT id FROM review_session WHERE id = ? AND state IN ('drawn', 'revealed')";
static const char SQL_MEMBERS[] =
	"SELECT p.expert_id, x.name, x.org_name, x.title,"
	" IFNULL(rp.chair_expert_id = p.expert_id, 0) AS is_chair,"
	" (d.expert_id IS NOT NULL) AS declared,"
	" DATE_FORMAT(d.signed_at, '%Y-%m-%d %H:%i') AS signed_at,"
	" IFNULL(d.conflict, '') AS conflict, IFNULL(d.reason, '') AS conflict_reason,"
	" (SELECT COUNT(*) FROM review_recusal rr WHERE rr.session_id = p.session_id"
	"  AND rr.expert_id = p.expert_id) AS recused,"
	" (SELECT COUNT(*) FROM review_sheet sh WHERE sh.session_id = p.session_id"
	"  AND sh.expert_id = p.expert_id AND sh.state = 'submitted' AND NOT EXISTS ("
	"   SELECT 1 FROM review_recusal rr WHERE rr.session_id = sh.session_id"
	"   AND rr.expert_id = sh.expert_id AND rr.application_id = sh.application_id))"
	"  AS submitted,"
	" (SELECT COUNT(*) FROM review_confirmation f JOIN review_item i"
	"  ON i.session_id = f.session_id AND i.application_id = f.application_id"
	"  AND i.version = f.version AND i.state <> 'scoring'"
	"  WHERE f.session_id = p.session_id AND f.expert_id = p.expert_id) AS answered"
	" FROM draw_pick p JOIN expert x ON x.id = p.expert_id"
	" LEFT JOIN review_panel rp ON rp.session_id = p.session_id"
	" LEFT JOIN review_declaration d ON d.session_id = p.session_id"
	" AND d.expert_id = p.expert_id"
	" WHERE p.session_id = ? AND" ON_PANEL("p") " ORDER BY p.number, p.pick_order";

/* The counts of each application's sheets are made once per session, not
 * once per application and panel member: m is the panel (on it, not
 * conflicted for the whole session), each count is m's members not recused
 * for that application.  DISTINCT (the pick's key makes it a no-op) keeps m
 * from being merged into each join, where its two NOT EXISTS would run once
 * per sheet and member instead of once per member.  Parameters: the
 * session, the viewing expert three times, the session four times. */
#define ITEM_COLUMNS                                                                             \
	"WITH m AS (SELECT DISTINCT p.expert_id FROM draw_pick p WHERE p.session_id = ? AND"      \
	ON_PANEL("p")                                                                              \
	"  AND NOT EXISTS (SELECT 1 FROM review_declaration dx WHERE dx.session_id = p.session_id" \
	"  AND dx.expert_id = p.expert_id AND dx.conflict = 'session'))"                           \
	" SELECT a.id AS application_id, e.name AS enterprise, e.uscc, c.name AS city_name,"      \
	" a.title, a.status AS app_status, IFNULL(i.state, 'scoring') AS state,"                 \
	" IFNULL(i.version, 0) AS version,"                                                        \
	" IFNULL(sc.submitted, 0) AS submitted, IFNULL(sc.ever_submitted, 0) AS ever_submitted,"  \
	" (SELECT COUNT(*) FROM m) - IFNULL(rc.recused, 0) AS eligible,"                          \
	" IFNULL(ac.answered, 0) AS answered,"                                                     \
	" (SELECT COUNT(*) FROM review_confirmation f WHERE f.session_id = x.session_id"          \
	"  AND f.application_id = a.id AND f.version = i.version AND f.kind = 'dissent')"         \
	"  AS dissents,"                                                                           \
	" k.recommended, k.ranking, k.opinion,"                                                    \
	" DATE_FORMAT(k.recorded_at, '%Y-%m-%d %H:%i') AS recorded_at,"                            \
	" IFNULL(ms.state, '') AS my_sheet, (ms.first_submitted_at IS NOT NULL) AS my_submitted,"  \
	" EXISTS (SELECT 1 FROM review_recusal rr WHERE rr.session_id = x.session_id"             \
	"  AND rr.expert_id = ? AND rr.application_id = a.id) AS excused,"                        \
	" IFNULL(mf.kind, '') AS my_answer"                                                        \
	" FROM review_session_application x JOIN application a ON a.id = x.application_id"        \
	" JOIN enterprise e ON e.id = a.enterprise_id JOIN city c ON c.code = e.city_code"        \
	" LEFT JOIN review_item i ON i.session_id = x.session_id"                                  \
	" AND i.application_id = x.application_id"                                                 \
	" LEFT JOIN review_conclusion k ON k.session_id = x.session_id"                            \
	" AND k.application_id = x.application_id AND k.version = i.version"                      \
	" LEFT JOIN review_sheet ms ON ms.session_id = x.session_id"                               \
	" AND ms.application_id = a.id AND ms.expert_id = ?"                                       \
	" LEFT JOIN review_confirmation mf ON mf.session_id = x.session_id"                        \
	" AND mf.application_id = a.id AND mf.version = i.version AND mf.expert_id = ?"           \
	" LEFT JOIN (SELECT sh.application_id, SUM(sh.state = 'submitted') AS submitted,"         \
	"  SUM(sh.first_submitted_at IS NOT NULL) AS ever_submitted"                               \
	"  FROM review_sheet sh JOIN m ON m.expert_id = sh.expert_id WHERE sh.session_id = ?"      \
	"  AND NOT EXISTS (SELECT 1 FROM review_recusal rx WHERE rx.session_id = sh.session_id"   \
	"  AND rx.expert_id = sh.expert_id AND rx.application_id = sh.application_id)"            \
	"  GROUP BY sh.application_id) sc ON sc.application_id = x.application_id"                 \
	" LEFT JOIN (SELECT rx.application_id, COUNT(*) AS recused FROM review_recusal rx"        \
	"  JOIN m ON m.expert_id = rx.expert_id WHERE rx.session_id = ?"                           \
	"  GROUP BY rx.application_id) rc ON rc.application_id = x.application_id"                 \
	" LEFT JOIN (SELECT f.application_id, f.version, COUNT(*) AS answered"                    \
	"  FROM review_confirmation f JOIN m ON m.expert_id = f.expert_id WHERE f.session_id = ?"  \
	"  AND NOT EXISTS (SELECT 1 FROM review_recusal rx WHERE rx.session_id = f.session_id"    \
	"  AND rx.expert_id = f.expert_id AND rx.application_id = f.application_id)"              \
	"  GROUP BY f.application_id, f.version) ac ON ac.application_id = x.application_id"       \
	"  AND ac.version = i.version"                                                             \
	" WHERE x.session_id = ?"
static const char SQL_ITEMS[] =
	ITEM_COLUMNS " ORDER BY IFNULL(k.ranking, 32767), c.sort_order, e.name, a.id";
static const char SQL_ITEM[] = ITEM_COLUMNS " AND x.application_id = ?";

static const char SQL_SCHEME[] =
	"SELECT rc.no, rc.group_no, rc.title, rc.max_points FROM review_session s"
	" JOIN round_criterion rc ON rc.round_id = s.round_id WHERE s.id = ? ORDER BY rc.no";

/* The lock every change takes first: the session's review row, created on
 * the first change (the session must have its panel). */
static const char SQL_PANEL_ENSURE[] =
	"INSERT INTO review_panel (session_id, deadline)"
	" SELECT id, TIMESTAMP(review_date, '18:00:00') FROM review_session"
	" WHERE id = ? AND state IN ('drawn', 'revealed')"
	" ON DUPLICATE KEY UPDATE session_id = review_panel.session_id";
static const char SQL_PANEL_LOCK[] =
	"SELECT rp.session_id, IFNULL(rp.chair_expert_id, 0) AS chair_expert_id, rp.state,"
	" (rp.deadline < NOW()) AS deadline_passed, s.title, s.state AS draw_state"
	" FROM review_panel rp JOIN review_session s ON s.id = rp.session_id"
	" WHERE rp.session_id = ? AND s.state IN ('drawn', 'revealed') FOR UPDATE";
static const char SQL_ITEMS_ENSURE[] =
	"INSERT INTO review_item (session_id, application_id)"
	" SELECT session_id, application_id FROM review_session_application WHERE session_id = ?"
	" ON DUPLICATE KEY UPDATE state = review_item.state";
static const char SQL_ITEM_LOCK[] =
	"SELECT i.state, i.version, a.status AS app_status, e.name AS enterprise"
	" FROM review_item i JOIN application a ON a.id = i.application_id"
	" JOIN enterprise e ON e.id = a.enterprise_id"
	" WHERE i.session_id = ? AND i.application_id = ? FOR UPDATE";
static const char SQL_MEMBER[] =
	"SELECT p.expert_id, x.name, (d.expert_id IS NOT NULL) AS declared, d.conflict,"
	" EXISTS (SELECT 1 FROM review_recusal rr WHERE rr.session_id = p.session_id"
	"  AND rr.expert_id = p.expert_id AND rr.application_id = ?) AS excused"
	" FROM draw_pick p JOIN expert x ON x.id = p.expert_id"
	" LEFT JOIN review_declaration d ON d.session_id = p.session_id"
	" AND d.expert_id = p.expert_id"
	" WHERE p.session_id = ? AND p.expert_id = ? AND" ON_PANEL("p");
static const char SQL_APP_IN_SESSION[] =
	"SELECT e.name AS enterprise FROM review_session_application x"
	" JOIN application a ON a.id = x.application_id JOIN enterprise e ON e.id = a.enterprise_id"
	" WHERE x.session_id = ? AND x.application_id = ?";
static const char SQL_DECLARE[] =
	"INSERT INTO review_declaration (session_id, expert_id, conflict, reason, signed_at, ip)"
	" VALUES (?, ?, ?, ?, NOW(), ?)";
static const char SQL_RECUSE[] =
	"INSERT INTO review_recusal (session_id, expert_id, application_id, reason, declared_at)"
	" VALUES (?, ?, ?, ?, NOW())";
static const char SQL_UNSET_CHAIR[] =
	"UPDATE review_panel SET chair_expert_id = NULL WHERE session_id = ? AND chair_expert_id = ?";
static const char SQL_SHEET_STATE[] =
	"SELECT state FROM review_sheet WHERE session_id = ? AND application_id = ?"
	" AND expert_id = ? FOR UPDATE";
static const char SQL_SHEET[] =
	"SELECT state, comment_1, comment_2, comment_3, overall, revision_note,"
	" DATE_FORMAT(saved_at, '%Y-%m-%d %H:%i') AS saved_at,"
	" DATE_FORMAT(submitted_at, '%Y-%m-%d %H:%i') AS submitted_at, submissions"
	" FROM review_sheet WHERE session_id = ? AND application_id = ? AND expert_id = ?";
static const char SQL_SHEET_SCORES[] =
	"SELECT no, halves FROM review_score WHERE session_id = ? AND application_id = ?"
	" AND expert_id = ? ORDER BY no";
static const char SQL_SHEET_UPSERT[] =
	"INSERT INTO review_sheet (session_id, application_id, expert_id, state, comment_1,"
	" comment_2, comment_3, overall, saved_at, submitted_at, first_submitted_at, submissions)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(), IF(? > 0, NOW(), NULL), IF(? > 0, NOW(), NULL), ?)"
	" ON DUPLICATE KEY UPDATE state = VALUES(state), comment_1 = VALUES(comment_1),"
	" comment_2 = VALUES(comment_2), comment_3 = VALUES(comment_3), overall = VALUES(overall),"
	" saved_at = NOW(), submitted_at = IF(VALUES(submissions) > 0, NOW(), submitted_at),"
	" first_submitted_at = IFNULL(first_submitted_at, VALUES(first_submitted_at)),"
	" submissions = submissions + VALUES(submissions)";
static const char SQL_SCORES_CLEAR[] =
	"DELETE FROM review_score WHERE session_id = ? AND application_id = ? AND expert_id = ?";
static const char SQL_SCORE_INSERT[] =
	"INSERT INTO review_score (session_id, application_id, expert_id, no, halves)"
	" VALUES (?, ?, ?, ?, ?)";
static const char SQL_SCHEME_STEP[] =
	"SELECT r.score_step FROM review_session s JOIN selection_round r ON r.id = s.round_id"
	" WHERE s.id = ?";
static const char SQL_REVISE[] =
	"UPDATE review_sheet SET state = 'revise', revision_note = ? WHERE session_id = ?"
	" AND application_id = ? AND expert_id = ? AND state = 'submitted'";
static const char SQL_ITEM_STATE[] =
	"UPDATE review_item SET state = ? WHERE session_id = ? AND application_id = ?";
static const char SQL_ITEM_CONCLUDED[] =
	"UPDATE review_item SET state = 'concluded', version = ? WHERE session_id = ?"
	" AND application_id = ?";
static const char SQL_COUNTS[] =
	"SELECT (SELECT COUNT(*) FROM draw_pick p WHERE p.session_id = ? AND"
	ELIGIBLE("p", "?") ") AS eligible,"
	" (SELECT COUNT(*) FROM draw_pick p JOIN review_sheet sh ON sh.session_id = p.session_id"
	"  AND sh.application_id = ? AND sh.expert_id = p.expert_id AND sh.state = 'submitted'"
	"  WHERE p.session_id = ? AND" ELIGIBLE("p", "?") ") AS submitted,"
	" (SELECT COUNT(*) FROM review_session_application x WHERE x.session_id = ?) AS apps,"
	" (SELECT IFNULL(MAX(version), 0) FROM review_conclusion k WHERE k.session_id = ?"
	"  AND k.application_id = ?) AS last_version";
static const char SQL_RANKING_TAKEN[] =
	"SELECT e.name FROM review_item i JOIN review_conclusion k ON k.session_id = i.session_id"
	" AND k.application_id = i.application_id AND k.version = i.version"
	" JOIN application a ON a.id = i.application_id JOIN enterprise e ON e.id = a.enterprise_id"
	" WHERE i.session_id = ? AND i.application_id <> ? AND i.version > 0 AND k.ranking = ?"
	" LIMIT 1";
static const char SQL_CONCLUSION_INSERT[] =
	"INSERT INTO review_conclusion (session_id, application_id, version, recommended, opinion,"
	" ranking, chair_expert_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW())";
static const char SQL_ANSWER_INSERT[] =
	"INSERT INTO review_confirmation (session_id, application_id, version, expert_id, kind,"
	" reason, answered_at) VALUES (?, ?, ?, ?, ?, ?, NOW())";
static const char SQL_ANSWERED[] =
	"SELECT kind FROM review_confirmation WHERE session_id = ? AND application_id = ?"
	" AND version = ? AND expert_id = ?";
static const char SQL_LOCK_ITEMS[] =
	"UPDATE review_item SET state = 'locked' WHERE session_id = ? AND state = 'concluded'";
static const char SQL_LOCK_PANEL[] =
	"UPDATE review_panel SET state = 'locked', locked_at = NOW(),"
	" first_locked_at = IFNULL(first_locked_at, NOW()) WHERE session_id = ?";
static const char SQL_OPEN_PANEL[] =
	"UPDATE review_panel SET state = 'open', locked_at = NULL WHERE session_id = ?";
static const char SQL_CONFIGURE[] =
	"UPDATE review_panel SET chair_expert_id = IF(? = 0, chair_expert_id, ?), deadline = ?,"
	" updated_by = ?, updated_at = NOW() WHERE session_id = ?";
static const char SQL_REOPEN_INSERT[] =
	"INSERT INTO review_reopen (session_id, application_id, version, reason, reopened_by,"
	" reopened_at) VALUES (?, ?, ?, ?, ?, NOW())";
static const char SQL_ANSWERS[] =
	"SELECT f.application_id, f.expert_id, x.name, f.kind, f.reason,"
	" DATE_FORMAT(f.answered_at, '%Y-%m-%d %H:%i') AS answered_at"
	" FROM review_confirmation f JOIN review_item i ON i.session_id = f.session_id"
	" AND i.application_id = f.application_id AND i.version = f.version"
	" JOIN expert x ON x.id = f.expert_id WHERE f.session_id = ?"
	" ORDER BY f.application_id, f.answered_at, f.expert_id";
static const char SQL_REOPENINGS[] =
	"SELECT o.application_id, o.version, o.reason, a.display_name AS by_name,"
	" DATE_FORMAT(o.reopened_at, '%Y-%m-%d %H:%i') AS reopened_at FROM review_reopen o"
	" JOIN account a ON a.id = o.reopened_by WHERE o.session_id = ?"
	" ORDER BY o.reopened_at, o.application_id";
static const char SQL_VIEW_MEMBERS[] =
	"SELECT p.expert_id, x.name, x.org_name, IFNULL(sh.state, '') AS state,"
	" IFNULL(sh.comment_1, '') AS comment_1, IFNULL(sh.comment_2, '') AS comment_2,"
	" IFNULL(sh.comment_3, '') AS comment_3, IFNULL(sh.overall, '') AS overall,"
	" IFNULL(sh.revision_note, '') AS revision_note"
	" FROM draw_pick p JOIN expert x ON x.id = p.expert_id"
	" LEFT JOIN review_sheet sh ON sh.session_id = p.session_id AND sh.application_id = ?"
	" AND sh.expert_id = p.expert_id"
	" WHERE p.session_id = ? AND" ELIGIBLE("p", "?") " ORDER BY p.number, p.pick_order";
static const char SQL_VIEW_SCORES[] =
	"SELECT expert_id, no, halves FROM review_score WHERE session_id = ? AND application_id = ?";
/* A member p (on the panel, not excused from the whole session) who still
 * owes a submitted sheet on an application being scored. */
#define OWES_SHEETS(p)                                                                           \
	ON_PANEL(p) " AND NOT EXISTS (SELECT 1 FROM review_declaration dx"                       \
		    " WHERE dx.session_id = " p ".session_id AND dx.expert_id = " p ".expert_id"  \
		    " AND dx.conflict = 'session') AND EXISTS (SELECT 1 FROM review_item oi"         \
		    " WHERE oi.session_id = " p ".session_id AND oi.state = 'scoring'"             \
		    " AND NOT EXISTS (SELECT 1 FROM review_sheet os WHERE os.session_id = oi.session_id" \
		    " AND os.application_id = oi.application_id AND os.expert_id = " p ".expert_id" \
		    " AND os.state = 'submitted') AND NOT EXISTS (SELECT 1 FROM review_recusal orx"  \
		    " WHERE orx.session_id = oi.session_id AND orx.application_id = oi.application_id" \
		    " AND orx.expert_id = " p ".expert_id))"
static const char SQL_OWING[] =
	"SELECT COUNT(*) AS n FROM draw_pick p WHERE p.session_id = ? AND" OWES_SHEETS("p");
/* The members who owe sheets on a session whose deadline is within reach
 * (before the day '?', not passed). */
static const char SQL_DUE[] =
	"SELECT p.expert_id, s.id AS session_id, s.title,"
	" CONCAT(YEAR(" DEADLINE "), '年', MONTH(" DEADLINE "), '月', DAY(" DEADLINE "), '日 ',"
	" DATE_FORMAT(" DEADLINE ", '%H:%i')) AS deadline_zh,"
	" DATE_FORMAT(" DEADLINE ", '%Y-%m-%d %H:%i') AS deadline"
	" FROM review_session s JOIN draw_pick p ON p.session_id = s.id"
	" LEFT JOIN review_panel rp ON rp.session_id = s.id"
	" WHERE s.state IN ('drawn', 'revealed') AND IFNULL(rp.state, 'open') = 'open'"
	" AND " DEADLINE " > NOW() AND " DEADLINE " < ? AND" OWES_SHEETS("p");
static const char SQL_PENDING[] =
	"SELECT s.id AS session_id, s.title, d.expert_id, x.name, d.reason"
	" FROM review_declaration d JOIN review_session s ON s.id = d.session_id"
	" JOIN draw_pick p ON p.session_id = d.session_id AND p.expert_id = d.expert_id"
	" JOIN expert x ON x.id = d.expert_id"
	" WHERE d.conflict = 'session' AND s.state IN ('drawn', 'revealed') AND" ON_PANEL("p")
	" ORDER BY d.signed_at LIMIT 20";

/* ---- small helpers ---- */

static int finish(int rc, const struct actor *who, const char *action, long long id,
		  const struct buf *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, "review_session", oid, summary->data);
}

static void add_label(json_object *row)
{
	enum score_step st = score_step_parse(db_str(row, "score_step", ""));
	json_object_object_add(row, "score_step_label", json_object_new_string(score_step_label(st)));
}

/* Begin a change: lock the session's review row (made when missing) and
 * make its items.  *panel: chair_expert_id, state, deadline_passed, title. */
static int begin_change(long long sid, json_object **panel)
{
	int rc = db_begin();
	*panel = NULL;
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(SQL_PANEL_ENSURE, "i", sid)) != DB_OK ||
	    (rc = db_query_row(panel, SQL_PANEL_LOCK, "i", sid)) != DB_OK)
		return rc;
	if (!*panel)
		return REVIEW_E_NOT_FOUND;
	return db_exec(SQL_ITEMS_ENSURE, "i", sid);
}

/* The item of (sid, app), locked, and whether `action` may start from its
 * state.  *item: state, version, app_status, enterprise. */
static int lock_item(long long sid, long long app, enum review_item_action action,
		     json_object **item)
{
	int rc = db_query_row(item, SQL_ITEM_LOCK, "ii", sid, app);
	if (rc != DB_OK)
		return rc;
	if (!*item)
		return REVIEW_E_NOT_FOUND;
	if (!review_item_next(review_item_state_parse(db_str(*item, "state", "")), action, NULL))
		return REVIEW_E_STATE;
	return DB_OK;
}

/* The member expert_id of the panel now, eligible for app (0: any): not
 * excused from the session, declared when need_declared. */
static int check_member(long long sid, long long expert_id, long long app, bool need_declared,
			json_object **member)
{
	int rc = db_query_row(member, SQL_MEMBER, "iii", app, sid, expert_id);
	if (rc != DB_OK)
		return rc;
	if (!*member)
		return REVIEW_E_NOT_MEMBER;
	if (db_int(*member, "declared", 0) &&
	    conflict_parse(db_str(*member, "conflict", "")) == RC_SESSION)
		return REVIEW_E_NOT_MEMBER;
	if (need_declared && !db_int(*member, "declared", 0))
		return REVIEW_E_DECLARE;
	if (app && db_int(*member, "excused", 0))
		return REVIEW_E_EXCUSED;
	return DB_OK;
}

static int check_chair(json_object *panel, long long chair_expert)
{
	long long chair = db_int(panel, "chair_expert_id", 0);
	return chair && chair == chair_expert ? DB_OK : REVIEW_E_CHAIR;
}

/* ---- reading ---- */

int review_member_of(long long session_id, long long account_id, struct review_member *m)
{
	json_object *row = NULL;
	memset(m, 0, sizeof *m);
	int rc = db_query_row(&row, SQL_MEMBER_OF, "ii", session_id, account_id);
	if (rc != DB_OK)
		return rc;
	if (!row) {
		if ((rc = db_query_row(&row, SQL_SESSION_EXISTS, "i", session_id)) != DB_OK)
			return rc;
		rc = row ? REVIEW_E_NOT_MEMBER : REVIEW_E_NOT_FOUND;
		json_object_put(row);
		return rc;
	}
	m->expert_id = db_int(row, "expert_id", 0);
	m->chair = db_int(row, "chair", 0) != 0;
	m->declared = db_int(row, "declared", 0) != 0;
	m->conflict = conflict_parse(db_str(row, "conflict", ""));
	json_object_put(row);
	return DB_OK;
}

int review_session_get(long long session_id, json_object **row)
{
	int rc = db_query_row(row, SQL_SESSION, "i", session_id);
	if (rc == DB_OK && *row)
		add_label(*row);
	return rc;
}

int review_session_list(const char *q, int page, json_object **rows, bool *more)
{
	struct buf pat = BUF_INIT;
	int rc;
	db_like_anywhere(q, &pat);
	rc = db_query(rows, SQL_SESSION_LIST, "sssssii", q, pat.data, pat.data, pat.data, q,
		      (long long)REVIEW_PAGE_SIZE + 1, (long long)(page - 1) * REVIEW_PAGE_SIZE);
	buf_release(&pat);
	*more = false;
	if (rc != DB_OK)
		return rc;
	*more = db_trim_page(*rows, REVIEW_PAGE_SIZE);
	for (size_t i = 0; i < json_object_array_length(*rows); i++)
		add_label(json_object_array_get_idx(*rows, i));
	return DB_OK;
}

int review_assignments(long long account_id, json_object **rows)
{
	return db_query(rows, SQL_ASSIGNMENTS, "i", account_id);
}

int review_members(long long session_id, json_object **rows)
{
	json_object *session = NULL;
	int rc = db_query_row(&session, SQL_SESSION, "i", session_id);
	long long apps = session ? db_int(session, "app_count", 0) : 0;
	json_object_put(session);
	if (rc != DB_OK || (rc = db_query(rows, SQL_MEMBERS, "i", session_id)) != DB_OK)
		return rc;
	for (size_t i = 0; i < json_object_array_length(*rows); i++) {
		json_object *m = json_object_array_get_idx(*rows, i);
		bool out = !strcmp(db_str(m, "conflict", ""), "session");
		long long eligible = out ? 0 : apps - db_int(m, "recused", 0);
		json_object_object_add(m, "eligible", json_object_new_int64(eligible));
		json_object_object_add(m, "excused_all", json_object_new_boolean(out));
	}
	return DB_OK;
}

static void decorate_item(json_object *row)
{
	enum review_item_state st = review_item_state_parse(db_str(row, "state", ""));
	enum review_sheet_state sh = review_sheet_state_parse(db_str(row, "my_sheet", ""));
	long long eligible = db_int(row, "eligible", 0);
	json_object_object_add(row, "state_label",
			       json_object_new_string(review_item_state_label(st)));
	json_object_object_add(row, "my_sheet_label",
			       json_object_new_string(review_sheet_state_label(sh)));
	json_object_object_add(row, "all_submitted",
			       json_object_new_boolean(eligible > 0 &&
						       db_int(row, "submitted", 0) == eligible));
	json_object_object_add(row, "visible",
			       json_object_new_boolean(db_int(row, "my_submitted", 0) &&
						       eligible > 0 &&
						       db_int(row, "ever_submitted", 0) == eligible));
	json_object_object_add(row, "has_conclusion",
			       json_object_new_boolean(db_int(row, "version", 0) > 0 &&
						       st != RI_SCORING));
}

int review_items(long long session_id, long long viewer_expert, json_object **rows)
{
	int rc = db_query(rows, SQL_ITEMS, "iiiiiiii", session_id, viewer_expert, viewer_expert,
			  viewer_expert, session_id, session_id, session_id, session_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		decorate_item(json_object_array_get_idx(*rows, i));
	return rc;
}

int review_item_get(long long session_id, long long application_id, long long viewer_expert,
		    json_object **row)
{
	int rc = db_query_row(row, SQL_ITEM, "iiiiiiiii", session_id, viewer_expert, viewer_expert,
			      viewer_expert, session_id, session_id, session_id, session_id,
			      application_id);
	if (rc == DB_OK && *row)
		decorate_item(*row);
	return rc;
}

int review_scheme(long long session_id, json_object **rows)
{
	static const char *const groups[REVIEW_GROUPS] = { "科学性和创新性", "系统性和示范性",
							   "显效性和发展性" };
	int rc = db_query(rows, SQL_SCHEME, "i", session_id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *p = json_object_array_get_idx(*rows, i);
		long long g = db_int(p, "group_no", 0);
		json_object_object_add(p, "group_title",
				       json_object_new_string(g >= 1 && g <= REVIEW_GROUPS
							      ? groups[g - 1] : ""));
	}
	return rc;
}

int review_sheet_get(long long session_id, long long application_id, long long expert_id,
		     json_object **row)
{
	json_object *scores = NULL, *texts;
	int rc = db_query_row(row, SQL_SHEET, "iii", session_id, application_id, expert_id);
	if (rc != DB_OK || !*row)
		return rc;
	if ((rc = db_query(&scores, SQL_SHEET_SCORES, "iii", session_id, application_id,
			   expert_id)) != DB_OK) {
		json_object_put(*row);
		*row = NULL;
		return rc;
	}
	texts = json_object_new_array();
	for (int no = 1; no <= REVIEW_POINTS; no++) {
		const char *t = "";
		char buf[SCORE_TEXT_MAX];
		for (size_t i = 0; i < json_object_array_length(scores); i++) {
			json_object *s = json_object_array_get_idx(scores, i);
			if (db_int(s, "no", 0) == no)
				t = score_format((int)db_int(s, "halves", 0), buf);
		}
		json_object_array_add(texts, json_object_new_string(t));
	}
	json_object_put(scores);
	json_object_object_add(*row, "scores", texts);
	return DB_OK;
}

/* ---- declarations ---- */

int review_declare(const struct actor *who, long long session_id, long long expert_id,
		   enum review_conflict conflict, const char *reason, const long long *apps,
		   size_t napps)
{
	json_object *panel = NULL, *member = NULL;
	struct buf s = BUF_INIT;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK)
		rc = check_member(session_id, expert_id, 0, false, &member);
	if (rc == DB_OK && db_int(member, "declared", 0))
		rc = REVIEW_E_DECLARED;
	if (rc == DB_OK && conflict == RC_SOME && !napps)
		rc = REVIEW_E_NOT_FOUND;
	if (rc == DB_OK)
		rc = db_exec(SQL_DECLARE, "iisss", session_id, expert_id,
			     review_conflict_name(conflict), conflict == RC_NONE ? "" : reason,
			     who->ip ? who->ip : "");
	if (rc == DB_OK)
		buf_addf(&s, "评审会《%s》：%s签署保密与无利益冲突声明", db_str(panel, "title", ""),
			 db_str(member, "name", ""));
	if (rc == DB_OK && conflict == RC_SESSION) {
		rc = db_exec(SQL_UNSET_CHAIR, "ii", session_id, expert_id);
		buf_addf(&s, "，申请回避整个评审会，理由：%s", reason);
	}
	for (size_t i = 0; rc == DB_OK && conflict == RC_SOME && i < napps; i++) {
		json_object *app = NULL;
		rc = db_query_row(&app, SQL_APP_IN_SESSION, "ii", session_id, apps[i]);
		if (rc == DB_OK && !app)
			rc = REVIEW_E_NOT_FOUND;
		if (rc == DB_OK)
			rc = db_exec(SQL_RECUSE, "iiis", session_id, expert_id, apps[i], reason);
		if (rc == DB_OK)
			buf_addf(&s, "%s%s", i ? "、" : "，申请回避：", db_str(app, "enterprise", ""));
		json_object_put(app);
	}
	if (rc == DB_OK && conflict == RC_SOME)
		buf_addf(&s, "，理由：%s", reason);
	rc = finish(rc, who, "review.declare", session_id, &s);
	json_object_put(panel);
	json_object_put(member);
	buf_release(&s);
	return rc;
}

int review_recuse(const struct actor *who, long long session_id, long long expert_id,
		  long long application_id, const char *reason)
{
	json_object *panel = NULL, *member = NULL, *item = NULL, *sheet = NULL;
	struct buf s = BUF_INIT;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK)
		rc = lock_item(session_id, application_id, RIA_SCORE, &item);
	if (rc == DB_OK)
		rc = check_member(session_id, expert_id, application_id, true, &member);
	if (rc == DB_OK)
		rc = db_query_row(&sheet, SQL_SHEET_STATE, "iii", session_id, application_id,
				  expert_id);
	/* A submitted sheet stays: the panel has seen it. */
	if (rc == DB_OK && sheet &&
	    review_sheet_state_parse(db_str(sheet, "state", "")) != RS_DRAFT)
		rc = REVIEW_E_STATE;
	if (rc == DB_OK)
		rc = db_exec(SQL_RECUSE, "iiis", session_id, expert_id, application_id, reason);
	if (rc == DB_OK)
		buf_addf(&s, "评审会《%s》：%s申请回避%s，理由：%s", db_str(panel, "title", ""),
			 db_str(member, "name", ""), db_str(item, "enterprise", ""), reason);
	rc = finish(rc, who, "review.recuse", session_id, &s);
	json_object_put(panel);
	json_object_put(member);
	json_object_put(item);
	json_object_put(sheet);
	buf_release(&s);
	return rc;
}

/* ---- score sheets ---- */

/* The scheme's maxima by point (index no - 1) and its step. */
static int load_scheme(long long session_id, int *max, enum score_step *step)
{
	json_object *rows = NULL, *row = NULL;
	int rc = db_query(&rows, SQL_SCHEME, "i", session_id);
	if (rc == DB_OK)
		rc = db_query_row(&row, SQL_SCHEME_STEP, "i", session_id);
	if (rc == DB_OK && (!row || json_object_array_length(rows) != REVIEW_POINTS))
		rc = DB_ERROR; /* every round has its 10 points (rounds.c) */
	for (size_t i = 0; rc == DB_OK && i < REVIEW_POINTS; i++)
		max[i] = (int)db_int(json_object_array_get_idx(rows, i), "max_points", 0);
	if (rc == DB_OK)
		*step = score_step_parse(db_str(row, "score_step", ""));
	json_object_put(rows);
	json_object_put(row);
	return rc;
}

/* After a sheet's submission: when no member owes one any more, the
 * chair (to conclude) and the province are told (notify.h). */
static int tell_if_all_in(long long session_id, json_object *panel)
{
	json_object *row = NULL;
	struct buf subject = BUF_INIT, link = BUF_INIT;
	long long chair = db_int(panel, "chair_expert_id", 0);
	int rc = db_query_row(&row, SQL_OWING, "i", session_id);
	if (rc == DB_OK && db_int(row, "n", 1) == 0) {
		struct notice n = { "review.scored", NULL, NULL, NULL };
		buf_addf(&subject, "评审会《%s》的评分已全部提交", db_str(panel, "title", ""));
		buf_addf(&link, "/review/session?id=%lld", session_id);
		n.subject = subject.data;
		n.link = link.data;
		rc = notify(NOTIFY_PROVINCE, 0, NULL, &n);
		if (rc == DB_OK && chair) {
			buf_addf(&subject, "，请组织专家组合议并记录结论");
			n.subject = subject.data;
			rc = notify(NOTIFY_EXPERT, chair, NULL, &n);
		}
	}
	json_object_put(row);
	buf_release(&subject);
	buf_release(&link);
	return rc;
}

int review_remind_due(const char *before_day, long long *made)
{
	json_object *rows = NULL;
	int rc = db_begin();
	*made = 0;
	if (rc == DB_OK)
		rc = db_query(&rows, SQL_DUE, "s", before_day);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		struct buf subject = BUF_INIT, link = BUF_INIT, key = BUF_INIT;
		buf_addf(&subject, "评审会《%s》的评分将于%s截止，您还有评分表未提交",
			 db_str(r, "title", ""), db_str(r, "deadline_zh", ""));
		buf_addf(&link, "/review/session?id=%lld", db_int(r, "session_id", 0));
		buf_addf(&key, "due:score:%lld:%s", db_int(r, "session_id", 0), db_str(r, "deadline", ""));
		struct notice n = { "due.score", subject.data, link.data, key.data };
		rc = notify(NOTIFY_EXPERT, db_int(r, "expert_id", 0), NULL, &n);
		if (rc == DB_OK)
			*made += db_affected_rows();
		buf_release(&subject);
		buf_release(&link);
		buf_release(&key);
	}
	json_object_put(rows);
	return db_finish(rc);
}

int review_sheet_save(const struct actor *who, long long session_id, long long application_id,
		      long long expert_id, const struct review_sheet_in *in, bool submit)
{
	json_object *panel = NULL, *member = NULL, *item = NULL, *sheet = NULL;
	struct buf s = BUF_INIT;
	enum review_sheet_state to = RS_NONE;
	enum score_step step = SCORE_WHOLE;
	int max[REVIEW_POINTS] = { 0 }, total = 0, scored = 0;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK)
		rc = lock_item(session_id, application_id, RIA_SCORE, &item);
	if (rc == DB_OK)
		rc = check_member(session_id, expert_id, application_id, true, &member);
	if (rc == DB_OK && db_int(panel, "deadline_passed", 0))
		rc = REVIEW_E_DEADLINE;
	if (rc == DB_OK)
		rc = db_query_row(&sheet, SQL_SHEET_STATE, "iii", session_id, application_id,
				  expert_id);
	if (rc == DB_OK &&
	    !review_sheet_next(review_sheet_state_parse(sheet ? db_str(sheet, "state", "") : NULL),
			       submit ? RSA_SUBMIT : RSA_SAVE, &to))
		rc = REVIEW_E_STATE;
	if (rc == DB_OK)
		rc = load_scheme(session_id, max, &step);
	for (int i = 0; rc == DB_OK && i < REVIEW_POINTS; i++) {
		int h = in->halves[i];
		if (h < 0)
			continue;
		if (h > 2 * max[i] || (step == SCORE_WHOLE && h % 2))
			rc = REVIEW_E_STATE; /* the page parses against the scheme first */
		total += h;
		scored++;
	}
	if (rc == DB_OK && submit && scored < REVIEW_POINTS)
		rc = REVIEW_E_INCOMPLETE;
	if (rc == DB_OK)
		rc = db_exec(SQL_SHEET_UPSERT, "iiisssssiii", session_id, application_id, expert_id,
			     review_sheet_state_name(to), in->comment[0], in->comment[1],
			     in->comment[2], in->overall, (long long)submit, (long long)submit,
			     (long long)submit);
	if (rc == DB_OK)
		rc = db_exec(SQL_SCORES_CLEAR, "iii", session_id, application_id, expert_id);
	for (int i = 0; rc == DB_OK && i < REVIEW_POINTS; i++)
		if (in->halves[i] >= 0)
			rc = db_exec(SQL_SCORE_INSERT, "iiiii", session_id, application_id, expert_id,
				     (long long)i + 1, (long long)in->halves[i]);
	if (rc == DB_OK) {
		char t[SCORE_TEXT_MAX];
		buf_addf(&s, "评审会《%s》：%s%s对%s的评分（已评%d项，合计%s分）",
			 db_str(panel, "title", ""), db_str(member, "name", ""),
			 submit ? "提交" : "保存", db_str(item, "enterprise", ""), scored,
			 score_format(total, t));
	}
	if (rc == DB_OK && submit)
		rc = tell_if_all_in(session_id, panel);
	rc = finish(rc, who, submit ? "review.submit" : "review.save", session_id, &s);
	json_object_put(panel);
	json_object_put(member);
	json_object_put(item);
	json_object_put(sheet);
	buf_release(&s);
	return rc;
}

/* ---- the panel's view ---- */

static void add_figures(json_object *o, const int *h, size_t n, int max, int share)
{
	struct score_stats st;
	char t[SCORE_TEXT_MAX];
	score_stats(h, n, max, share, &st);
	json_object_object_add(o, "count", json_object_new_int64((long long)st.n));
	json_object_object_add(o, "mean", json_object_new_string(n ? score_format_mean(st.mean, t) : ""));
	json_object_object_add(o, "median",
			       json_object_new_string(n ? score_format_mean(st.median, t) : ""));
	json_object_object_add(o, "min", json_object_new_string(n ? score_format(st.min, t) : ""));
	json_object_object_add(o, "max", json_object_new_string(n ? score_format(st.max, t) : ""));
	json_object_object_add(o, "spread", json_object_new_string(n ? score_format(st.spread, t) : ""));
	json_object_object_add(o, "divergent", json_object_new_boolean(st.divergent));
}

int review_panel_view(long long session_id, long long application_id, json_object **view)
{
	json_object *points = NULL, *members = NULL, *scores = NULL;
	int share = review_divergence_share(), max_total = 0;
	bool any = false;
	*view = NULL;
	int rc = review_scheme(session_id, &points);
	if (rc == DB_OK)
		rc = db_query(&members, SQL_VIEW_MEMBERS, "iii", application_id, session_id,
			      application_id);
	if (rc == DB_OK)
		rc = db_query(&scores, SQL_VIEW_SCORES, "ii", session_id, application_id);
	if (rc != DB_OK)
		goto out;
	size_t nm = json_object_array_length(members), np = json_object_array_length(points);
	if (nm > SCORE_STATS_MAX)
		nm = SCORE_STATS_MAX;
	int totals[SCORE_STATS_MAX], complete[SCORE_STATS_MAX];
	size_t ntotals = 0;
	for (size_t m = 0; m < nm; m++) {
		totals[m] = 0;
		complete[m] = 0;
	}
	for (size_t p = 0; p < np; p++) {
		json_object *pt = json_object_array_get_idx(points, p);
		json_object *cells = json_object_new_array();
		int h[SCORE_STATS_MAX];
		size_t n = 0;
		long long no = db_int(pt, "no", 0);
		int max = (int)db_int(pt, "max_points", 0);
		max_total += max;
		for (size_t m = 0; m < nm; m++) {
			long long ex = db_int(json_object_array_get_idx(members, m), "expert_id", 0);
			const char *text = "";
			char t[SCORE_TEXT_MAX];
			for (size_t k = 0; k < json_object_array_length(scores); k++) {
				json_object *s = json_object_array_get_idx(scores, k);
				if (db_int(s, "expert_id", 0) == ex && db_int(s, "no", 0) == no) {
					int v = (int)db_int(s, "halves", 0);
					h[n++] = v;
					totals[m] += v;
					complete[m]++;
					text = score_format(v, t);
				}
			}
			json_object_array_add(cells, json_object_new_string(text));
		}
		json_object_object_add(pt, "scores", cells);
		add_figures(pt, h, n, max, share);
		any = any || json_object_get_boolean(json_object_object_get(pt, "divergent"));
	}
	int th[SCORE_STATS_MAX];
	for (size_t m = 0; m < nm; m++) {
		json_object *mo = json_object_array_get_idx(members, m);
		char t[SCORE_TEXT_MAX];
		bool full = complete[m] == (int)np && np > 0;
		json_object_object_add(mo, "total", json_object_new_string(full ? score_format(totals[m], t) : ""));
		json_object_object_add(mo, "state_label",
				       json_object_new_string(review_sheet_state_label(
					       review_sheet_state_parse(db_str(mo, "state", "")))));
		if (full)
			th[ntotals++] = totals[m];
	}
	json_object *total = json_object_new_object();
	add_figures(total, th, ntotals, max_total, share);
	json_object_object_add(total, "max_points", json_object_new_int(max_total));
	any = any || json_object_get_boolean(json_object_object_get(total, "divergent"));
	*view = json_object_new_object();
	json_object_object_add(*view, "points", points);
	json_object_object_add(*view, "members", members);
	json_object_object_add(*view, "total", total);
	json_object_object_add(*view, "divergent", json_object_new_boolean(any));
	json_object_object_add(*view, "share", json_object_new_int(share));
	points = members = NULL;
out:
	json_object_put(points);
	json_object_put(members);
	json_object_put(scores);
	return rc;
}

/* ---- the chair ---- */

int review_ask_revision(const struct actor *who, long long session_id, long long application_id,
			long long chair_expert, long long member_expert, const char *note)
{
	json_object *panel = NULL, *member = NULL, *item = NULL, *sheet = NULL;
	struct buf s = BUF_INIT;
	enum review_item_state to = RI_SCORING;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK)
		rc = check_chair(panel, chair_expert);
	if (rc == DB_OK)
		rc = lock_item(session_id, application_id, RIA_REVISE, &item);
	if (rc == DB_OK)
		rc = check_member(session_id, member_expert, application_id, true, &member);
	if (rc == DB_OK)
		rc = db_query_row(&sheet, SQL_SHEET_STATE, "iii", session_id, application_id,
				  member_expert);
	if (rc == DB_OK &&
	    !review_sheet_next(review_sheet_state_parse(sheet ? db_str(sheet, "state", "") : NULL),
			       RSA_REVISE, NULL))
		rc = REVIEW_E_STATE;
	if (rc == DB_OK)
		rc = db_exec(SQL_REVISE, "siii", note, session_id, application_id, member_expert);
	if (rc == DB_OK && db_affected_rows() != 1)
		rc = REVIEW_E_STATE;
	if (rc == DB_OK)
		review_item_next(review_item_state_parse(db_str(item, "state", "")), RIA_REVISE, &to);
	if (rc == DB_OK)
		rc = db_exec(SQL_ITEM_STATE, "sii", review_item_state_name(to), session_id,
			     application_id);
	if (rc == DB_OK)
		buf_addf(&s, "评审会《%s》：组长请%s修改对%s的评分：%s", db_str(panel, "title", ""),
			 db_str(member, "name", ""), db_str(item, "enterprise", ""), note);
	rc = finish(rc, who, "review.revise", session_id, &s);
	json_object_put(panel);
	json_object_put(member);
	json_object_put(item);
	json_object_put(sheet);
	buf_release(&s);
	return rc;
}

int review_conclude(const struct actor *who, long long session_id, long long application_id,
		    long long chair_expert, bool recommended, const char *opinion, int ranking)
{
	json_object *panel = NULL, *item = NULL, *counts = NULL, *taken = NULL;
	struct buf s = BUF_INIT;
	long long version = 0;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK)
		rc = check_chair(panel, chair_expert);
	if (rc == DB_OK)
		rc = lock_item(session_id, application_id, RIA_CONCLUDE, &item);
	if (rc == DB_OK)
		rc = db_query_row(&counts, SQL_COUNTS, "iiiiiiii", session_id, application_id,
				  application_id, session_id, application_id, session_id, session_id,
				  application_id);
	if (rc == DB_OK && (db_int(counts, "eligible", 0) == 0 ||
			    db_int(counts, "submitted", 0) != db_int(counts, "eligible", 0)))
		rc = REVIEW_E_WAITING;
	if (rc == DB_OK && (ranking < 1 || ranking > db_int(counts, "apps", 0)))
		rc = REVIEW_E_RANKING;
	if (rc == DB_OK)
		rc = db_query_row(&taken, SQL_RANKING_TAKEN, "iii", session_id, application_id,
				  (long long)ranking);
	if (rc == DB_OK && taken)
		rc = REVIEW_E_RANKING;
	if (rc == DB_OK) {
		version = db_int(counts, "last_version", 0) + 1;
		rc = db_exec(SQL_CONCLUSION_INSERT, "iiiisii", session_id, application_id, version,
			     (long long)recommended, opinion, (long long)ranking, chair_expert);
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_ITEM_CONCLUDED, "iii", version, session_id, application_id);
	if (rc == DB_OK)
		buf_addf(&s, "评审会《%s》：记录对%s的合议结论（第%lld稿）：%s，排序第%d；合议意见：%s",
			 db_str(panel, "title", ""), db_str(item, "enterprise", ""), version,
			 recommended ? "推荐为省级质量标杆" : "不予推荐", ranking, opinion);
	rc = finish(rc, who, "review.conclude", session_id, &s);
	json_object_put(panel);
	json_object_put(item);
	json_object_put(counts);
	json_object_put(taken);
	buf_release(&s);
	return rc;
}

/* Lock the session when every item is concluded or locked and every
 * concluded one is answered by every eligible member; the applications the
 * panel does not recommend leave the review.  *locked: it did.  Inside the
 * caller's transaction; the summary gets a sentence. */
static int lock_if_complete(long long session_id, struct buf *s, bool *locked)
{
	json_object *items = NULL;
	bool complete = true;
	size_t rejected = 0;
	*locked = false;
	int rc = review_items(session_id, 0, &items);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		enum review_item_state st = review_item_state_parse(db_str(it, "state", ""));
		if (st == RI_LOCKED)
			continue;
		if (st != RI_CONCLUDED || db_int(it, "answered", 0) < db_int(it, "eligible", 0))
			complete = false;
	}
	if (rc != DB_OK || !complete || !json_object_array_length(items))
		goto out;
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		if (review_item_state_parse(db_str(it, "state", "")) != RI_CONCLUDED ||
		    db_int(it, "recommended", 1) || strcmp(db_str(it, "app_status", ""), "in_review"))
			continue;
		rc = app_status_move(db_int(it, "application_id", 0), "in_review", LC_PANEL_REJECT,
				     LC_BY_CHAIR, NULL);
		rejected++;
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_LOCK_ITEMS, "i", session_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_LOCK_PANEL, "i", session_id);
	if (rc == DB_OK) {
		*locked = true;
		buf_addf(s, "；全体成员均已确认或提出不同意见，合议结论锁定（%zu份不予推荐）", rejected);
	}
out:
	json_object_put(items);
	return rc;
}

int review_answer(const struct actor *who, long long session_id, long long application_id,
		  long long expert_id, bool dissent, const char *reason, bool *locked)
{
	json_object *panel = NULL, *member = NULL, *item = NULL, *prior = NULL;
	struct buf s = BUF_INIT;
	long long version = 0;
	*locked = false;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK)
		rc = lock_item(session_id, application_id, RIA_ANSWER, &item);
	if (rc == DB_OK)
		rc = check_member(session_id, expert_id, application_id, true, &member);
	if (rc == DB_OK) {
		version = db_int(item, "version", 0);
		rc = db_query_row(&prior, SQL_ANSWERED, "iiii", session_id, application_id, version,
				  expert_id);
	}
	if (rc == DB_OK && prior)
		rc = REVIEW_E_STATE;
	if (rc == DB_OK)
		rc = db_exec(SQL_ANSWER_INSERT, "iiiiss", session_id, application_id, version,
			     expert_id, dissent ? "dissent" : "confirm", dissent ? reason : "");
	if (rc == DB_OK) {
		buf_addf(&s, "评审会《%s》：%s%s对%s的合议结论（第%lld稿）",
			 db_str(panel, "title", ""), db_str(member, "name", ""),
			 dissent ? "不同意" : "确认", db_str(item, "enterprise", ""), version);
		if (dissent)
			buf_addf(&s, "，理由：%s", reason);
		rc = lock_if_complete(session_id, &s, locked);
	}
	rc = finish(rc, who, dissent ? "review.dissent" : "review.confirm", session_id, &s);
	if (rc != DB_OK)
		*locked = false;
	json_object_put(panel);
	json_object_put(member);
	json_object_put(item);
	json_object_put(prior);
	buf_release(&s);
	return rc;
}

/* ---- administrators ---- */

int review_configure(const struct actor *who, long long session_id, long long chair_expert,
		     const char *deadline)
{
	json_object *panel = NULL, *member = NULL;
	struct buf s = BUF_INIT;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK && !strcmp(db_str(panel, "state", ""), "locked"))
		rc = REVIEW_E_STATE;
	if (rc == DB_OK && chair_expert)
		rc = check_member(session_id, chair_expert, 0, false, &member);
	if (rc == DB_OK)
		rc = db_exec(SQL_CONFIGURE, "iisii", chair_expert, chair_expert, deadline,
			     who->user_id, session_id);
	if (rc == DB_OK) {
		buf_addf(&s, "评审会《%s》：", db_str(panel, "title", ""));
		if (member)
			buf_addf(&s, "组长 %s；", db_str(member, "name", ""));
		buf_addf(&s, "评分截止 %s", deadline);
	}
	rc = finish(rc, who, "review.configure", session_id, &s);
	json_object_put(panel);
	json_object_put(member);
	buf_release(&s);
	return rc;
}

int review_reopen(const struct actor *who, long long session_id, long long application_id,
		  const char *reason)
{
	json_object *panel = NULL, *item = NULL;
	struct buf s = BUF_INIT;
	const char *status = NULL;
	int rc = begin_change(session_id, &panel);
	if (rc == DB_OK)
		rc = lock_item(session_id, application_id, RIA_REOPEN, &item);
	if (rc == DB_OK) {
		status = db_str(item, "app_status", "");
		if (!strcmp(status, "not_selected"))
			rc = app_status_move(application_id, status, LC_REVIEW_REOPEN, LC_BY_PROVINCE,
					     NULL);
		else if (strcmp(status, "in_review"))
			rc = REVIEW_E_APP_STATE;
		if (rc == APP_E_STATE)
			rc = REVIEW_E_APP_STATE;
	}
	if (rc == DB_OK)
		rc = db_exec(SQL_REOPEN_INSERT, "iiisi", session_id, application_id,
			     db_int(item, "version", 0), reason, who->user_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_ITEM_STATE, "sii", review_item_state_name(RI_SCORING), session_id,
			     application_id);
	if (rc == DB_OK)
		rc = db_exec(SQL_OPEN_PANEL, "i", session_id);
	if (rc == DB_OK)
		buf_addf(&s, "评审会《%s》：重新开放对%s的合议结论（第%lld稿），理由：%s",
			 db_str(panel, "title", ""), db_str(item, "enterprise", ""),
			 db_int(item, "version", 0), reason);
	rc = finish(rc, who, "review.reopen", session_id, &s);
	json_object_put(panel);
	json_object_put(item);
	buf_release(&s);
	return rc;
}

int review_answers(long long session_id, json_object **rows)
{
	return db_query(rows, SQL_ANSWERS, "i", session_id);
}

int review_reopenings(long long session_id, json_object **rows)
{
	return db_query(rows, SQL_REOPENINGS, "i", session_id);
}

/* ---- the export ---- */

static json_object *export_row(json_object *item, const char *expert, const char *org,
			       const char *dissents)
{
	json_object *r = json_object_new_object();
	long long rec = db_int(item, "recommended", -1);
	json_object_object_add(r, "application_id", json_object_new_int64(db_int(item, "application_id", 0)));
	json_object_object_add(r, "enterprise", json_object_new_string(db_str(item, "enterprise", "")));
	json_object_object_add(r, "expert", json_object_new_string(expert));
	json_object_object_add(r, "org_name", json_object_new_string(org));
	json_object_object_add(r, "conclusion",
			       json_object_new_string(rec < 0 ? "" : rec ? "推荐" : "不予推荐"));
	if (db_int(item, "ranking", 0))
		json_object_object_add(r, "ranking", json_object_new_int64(db_int(item, "ranking", 0)));
	json_object_object_add(r, "opinion", json_object_new_string(db_str(item, "opinion", "")));
	json_object_object_add(r, "dissents", json_object_new_string(dissents));
	return r;
}

int review_export_rows(long long session_id, json_object **rows)
{
	json_object *items = NULL, *answers = NULL;
	int rc = review_items(session_id, 0, &items);
	if (rc == DB_OK)
		rc = review_answers(session_id, &answers);
	*rows = rc == DB_OK ? json_object_new_array() : NULL;
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i), *view = NULL;
		long long app = db_int(it, "application_id", 0);
		struct buf d = BUF_INIT;
		for (size_t k = 0; k < json_object_array_length(answers); k++) {
			json_object *a = json_object_array_get_idx(answers, k);
			if (db_int(a, "application_id", 0) == app &&
			    !strcmp(db_str(a, "kind", ""), "dissent"))
				buf_addf(&d, "%s%s：%s", d.len ? "；" : "", db_str(a, "name", ""),
					 db_str(a, "reason", ""));
		}
		if ((rc = review_panel_view(session_id, app, &view)) == DB_OK) {
			json_object *members = json_object_object_get(view, "members");
			json_object *points = json_object_object_get(view, "points");
			json_object *mean = export_row(it, "平均分", "", d.data ? d.data : "");
			for (size_t m = 0; m < json_object_array_length(members); m++) {
				json_object *mo = json_object_array_get_idx(members, m);
				json_object *r = export_row(it, db_str(mo, "name", ""),
							    db_str(mo, "org_name", ""), "");
				for (size_t p = 0; p < json_object_array_length(points); p++) {
					json_object *pt = json_object_array_get_idx(points, p);
					char key[24];
					snprintf(key, sizeof key, "p%zu", p + 1);
					json_object_object_add(r, key, json_object_get(json_object_array_get_idx(
									      json_object_object_get(pt, "scores"), m)));
				}
				json_object_object_add(r, "total",
						       json_object_get(json_object_object_get(mo, "total")));
				json_object_array_add(*rows, r);
			}
			for (size_t p = 0; p < json_object_array_length(points); p++) {
				char key[24];
				snprintf(key, sizeof key, "p%zu", p + 1);
				json_object_object_add(mean, key, json_object_get(json_object_object_get(
									  json_object_array_get_idx(points, p), "mean")));
			}
			json_object_object_add(mean, "total", json_object_get(json_object_object_get(
								      json_object_object_get(view, "total"), "mean")));
			json_object_array_add(*rows, mean);
		}
		json_object_put(view);
		buf_release(&d);
	}
	if (rc != DB_OK) {
		json_object_put(*rows);
		*rows = NULL;
	}
	json_object_put(items);
	json_object_put(answers);
	return rc;
}

int review_note_export(const struct actor *who, long long session_id, const char *format)
{
	struct buf s = BUF_INIT;
	int rc = db_begin();
	buf_addf(&s, "导出评审会 %lld 的评分（%s）", session_id, format);
	rc = finish(rc, who, "review.export", session_id, &s);
	buf_release(&s);
	return rc;
}

int review_pending_replacements(json_object **rows)
{
	return db_query(rows, SQL_PENDING, "");
}
