/* review: the panel's review of a session's applications: declarations,
 * score sheets, the chair's conclusions and the members' answers
 * (材料评审与合议, 第十一条, 附件三、四; issue 12).
 *
 * Owns the tables of sql/020_review.sql and every statement on them:
 *   - review_panel: a session's chair, scoring deadline and lock;
 *   - review_declaration, review_recusal: each member's signed declaration
 *     of confidentiality and of no conflict of interest, and the
 *     applications a member is excused from;
 *   - review_item: one application of the session under review, its state
 *     and the version of its conclusion in force;
 *   - review_sheet, review_score: a member's points (in halves, see
 *     src/rules/scoring.h) and comments for one application;
 *   - review_conclusion, review_confirmation, review_reopen: the chair's
 *     conclusions, each member's confirmation or dissent, an
 *     administrator's reopening (append-only).
 * Who is on the panel is the draw's record (sql/018_draw.sql: the picks
 * not replaced), read in joins only; a member excused from the whole
 * session is replaced through the draw step.  The round's scheme (maxima,
 * whole or half points) is the rounds step's, read in joins.  Applications
 * move through src/steps/intake/app_status.h: not recommended ones to
 * not_selected when the session locks, back to in_review when reopened.
 *
 * A member is eligible for an application when on the panel now, not
 * excused from the session and not excused from that application.
 *
 * The two tables of arrows (review_item_next, review_sheet_next):
 *   item   scoring   --score-->    scoring     sheets saved and submitted
 *          scoring   --revise-->   scoring     the chair asks a member to revise
 *          concluded --revise-->   scoring     (the conclusion must be recorded again)
 *          scoring   --conclude--> concluded   every eligible sheet submitted
 *          concluded --conclude--> concluded   recorded again: a new version
 *          concluded --answer-->   concluded   a member confirms or dissents
 *          concluded --lock-->     locked      every item answered by every
 *                                              eligible member (automatic)
 *          locked    --reopen-->   scoring     an administrator, with a reason
 *   sheet  (none), draft  --save-->   draft
 *          revise         --save-->   revise
 *          (none), draft, revise --submit--> submitted
 *          submitted      --revise--> revise
 * The session locks in the transaction of the answer that completes it.
 * Every change locks the session's review_panel row first (created when
 * missing), so changes to one session are ordered; each is one transaction
 * with one audit record: "review.configure", "review.declare",
 * "review.recuse", "review.save", "review.submit", "review.revise",
 * "review.conclude", "review.confirm", "review.dissent", "review.reopen";
 * "review.export" for a copy of the scores taken out.
 *
 * Who sees scores: a member sees the other members' scores of an
 * application once they have submitted their own and every eligible member
 * has submitted (review_panel_visible); administrators see every score once
 * the session has locked (first_locked_at), before that only progress.
 *
 * Ownership: every json_object ** a function fills is the caller's to
 * json_object_put (NULL on failure); strings passed in are borrowed.
 */
#ifndef BIAOGAN_REVIEW_H
#define BIAOGAN_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "rules/scoring.h"

#define REVIEW_POINTS 10
#define REVIEW_GROUPS 3
#define REVIEW_COMMENT_MAX 1000  /* characters, a group's comment */
#define REVIEW_OVERALL_MAX 2000
#define REVIEW_OPINION_MAX 2000  /* 合议意见 */
#define REVIEW_REASON_MAX 500    /* recusal, revision note, reopening */
#define REVIEW_DISSENT_MAX 1000
#define REVIEW_PAGE_SIZE 20
#define REVIEW_DEADLINE_HOUR 18  /* no deadline set: the review day's 18:00 */

/* Results beside the db_status values (<= 0). */
enum review_status {
	REVIEW_E_NOT_FOUND = 1, /* no such session in review, or application not in it */
	REVIEW_E_NOT_MEMBER,    /* not on the panel now (or excused from the session) */
	REVIEW_E_STATE,         /* the item or sheet is not in a state the action starts from */
	REVIEW_E_DECLARE,       /* the member has not signed the declaration yet */
	REVIEW_E_DECLARED,      /* already signed */
	REVIEW_E_EXCUSED,       /* excused from this application */
	REVIEW_E_DEADLINE,      /* the scoring deadline has passed */
	REVIEW_E_INCOMPLETE,    /* a submission without every point scored */
	REVIEW_E_WAITING,       /* not every eligible member has submitted */
	REVIEW_E_CHAIR,         /* not the chair, or no chair set */
	REVIEW_E_RANKING,       /* the ranking is out of range or another application's */
	REVIEW_E_APP_STATE,     /* the application has moved on (proposed ...): cannot reopen */
	REVIEW_E_SESSION,       /* the session's panel is not drawn yet */
};

enum review_item_state { RI_SCORING, RI_CONCLUDED, RI_LOCKED, RI_STATES };
enum review_item_action { RIA_SCORE, RIA_REVISE, RIA_CONCLUDE, RIA_ANSWER, RIA_LOCK, RIA_REOPEN,
			  RIA_ACTIONS };
enum review_sheet_state { RS_NONE, RS_DRAFT, RS_SUBMITTED, RS_REVISE, RS_STATES };
enum review_sheet_action { RSA_SAVE, RSA_SUBMIT, RSA_REVISE, RSA_ACTIONS };

/* The tables of arrows: true with *to (may be NULL) set when the action
 * may start from `from`. */
bool review_item_next(enum review_item_state from, enum review_item_action a,
		      enum review_item_state *to);
bool review_sheet_next(enum review_sheet_state from, enum review_sheet_action a,
		       enum review_sheet_state *to);
enum review_item_state review_item_state_parse(const char *name); /* RI_STATES when unknown */
const char *review_item_state_name(enum review_item_state s);
const char *review_item_state_label(enum review_item_state s);  /* 评分中 / 已合议 / 已锁定 */
enum review_sheet_state review_sheet_state_parse(const char *name); /* NULL, "": RS_NONE */
const char *review_sheet_state_name(enum review_sheet_state s);   /* NULL for RS_NONE */
const char *review_sheet_state_label(enum review_sheet_state s);  /* 未评分 / 草稿 / 已提交 / 待修改 */

/* A member's conflict declaration (review_declaration.conflict). */
enum review_conflict { RC_NONE, RC_SOME, RC_SESSION };
const char *review_conflict_name(enum review_conflict c);

/* The viewer's place on a session's panel. */
struct review_member {
	long long expert_id;
	bool chair;
	bool declared;
	enum review_conflict conflict; /* when declared */
};

/* The member of this account on the panel of session_id now: DB_OK,
 * REVIEW_E_NOT_MEMBER (never on it, or replaced), REVIEW_E_NOT_FOUND (no
 * such session, or its panel is not drawn). */
int review_member_of(long long session_id, long long account_id, struct review_member *m);

/* Row: id, title, review_date, place, state (the draw's), round_id,
 * round_year, round_title, panel_size, score_step, score_step_label,
 * deadline ("YYYY-MM-DD HH:MM"), deadline_passed, chair_expert_id,
 * chair_name, review_state ("open"/"locked"), locked (0/1), scores_open
 * (first locked: administrators see scores), app_count.  NULL when no
 * session, or its panel is not drawn yet. */
int review_session_get(long long session_id, json_object **row);
/* For administrators: sessions whose panel is drawn, newest first,
 * REVIEW_PAGE_SIZE per page, each with the row's figures and progress
 * counts (declared, members, items_locked).  q: '' for all, else part of
 * the session's title, or a session with an application that matches
 * (APP_MATCHES_SQL).  *more: another page. */
int review_session_list(const char *q, int page, json_object **rows, bool *more);
/* For an expert: the sessions whose panel has them now, with deadline,
 * declared, chair, review_state. */
int review_assignments(long long account_id, json_object **rows);

/* The panel now: expert_id, name, org_name, title, is_chair, declared
 * (0/1), signed_at, conflict, conflict_reason, recused (count), submitted
 * (sheets submitted), eligible (items eligible for), answered (answers to
 * conclusions in force). */
int review_members(long long session_id, json_object **rows);
/* The session's applications: application_id, enterprise, uscc, city_name,
 * title, app_status, state, state_label, version, submitted (eligible
 * sheets submitted now), eligible, recommended / ranking / opinion /
 * recorded_at (the conclusion in force, when any), answered; and for
 * viewer_expert (0: none): my_sheet (state name, "" none), my_sheet_label,
 * excused, my_answer ("confirm"/"dissent"/""), visible (the panel's scores
 * may be shown to them). */
int review_items(long long session_id, long long viewer_expert, json_object **rows);
/* One item as review_items has it; *row NULL when not in the session. */
int review_item_get(long long session_id, long long application_id, long long viewer_expert,
		    json_object **row);

/* The scheme of the session's round: no, group_no, group_title, title,
 * max_points (ordered by no). */
int review_scheme(long long session_id, json_object **rows);

/* Sign the declaration (the page has checked the member's password):
 * conflict RC_NONE; RC_SOME with apps[0..napps) (applications of the
 * session) and reason; RC_SESSION with reason. */
int review_declare(const struct actor *who, long long session_id, long long expert_id,
		   enum review_conflict conflict, const char *reason, const long long *apps,
		   size_t napps);
/* Excused from one more application after signing, before submitting it. */
int review_recuse(const struct actor *who, long long session_id, long long expert_id,
		  long long application_id, const char *reason);

/* A member's sheet: state, comment_1..3, overall, revision_note, saved_at,
 * submitted_at, submissions, and "scores": an array of REVIEW_POINTS
 * texts ("" when not scored), in the order of the points.  *row NULL when
 * the member has no sheet yet. */
int review_sheet_get(long long session_id, long long application_id, long long expert_id,
		     json_object **row);

struct review_sheet_in {
	int halves[REVIEW_POINTS]; /* -1: not scored (a draft may leave points out) */
	const char *comment[REVIEW_GROUPS];
	const char *overall;
};
/* The reminders of scoring deadlines (notify.h): each member who still
 * owes a sheet on a session whose deadline has not passed and falls before
 * before_day ("YYYY-MM-DD"), told once per session and deadline.  One
 * transaction.  *made: notices written. */
int review_remind_due(const char *before_day, long long *made);
/* Save (submit false) or submit a sheet.  The page has parsed each score
 * against the scheme; the model checks it again (REVIEW_E_STATE for a
 * score above its maximum or a half in a whole-point scheme: a page bug or
 * a forged post).  REVIEW_E_INCOMPLETE when submitting with a point left
 * out. */
int review_sheet_save(const struct actor *who, long long session_id, long long application_id,
		      long long expert_id, const struct review_sheet_in *in, bool submit);

/* The panel's scores of one application for the chair's and members'
 * view and the administrators' sheet: "points" (each: no, group_no,
 * title, max_points, scores[] in member order as text, mean, median,
 * spread, divergent), "members" (expert_id, name, org_name, total,
 * sheet state, comments, overall, revision_note), "total" (the same
 * figures over the totals against ROUND_POINTS_TOTAL), "divergent" (any
 * point or the total), "share" (the configured percent). */
int review_panel_view(long long session_id, long long application_id, json_object **view);

/* The chair asks a member to revise a submitted sheet, with a note. */
int review_ask_revision(const struct actor *who, long long session_id, long long application_id,
			long long chair_expert, long long member_expert, const char *note);
/* The chair records the conclusion: every eligible sheet submitted;
 * ranking 1..number of applications, not another item's in force. */
int review_conclude(const struct actor *who, long long session_id, long long application_id,
		    long long chair_expert, bool recommended, const char *opinion, int ranking);
/* A member confirms (dissent false) or dissents with reasons from the
 * conclusion in force.  *locked: this answer completed the session. */
int review_answer(const struct actor *who, long long session_id, long long application_id,
		  long long expert_id, bool dissent, const char *reason, bool *locked);

/* An administrator sets the chair (a member of the panel now, not excused
 * from the session; 0 leaves it as it is) and the scoring deadline
 * ("YYYY-MM-DD HH:MM"). */
int review_configure(const struct actor *who, long long session_id, long long chair_expert,
		     const char *deadline);
/* An administrator reopens a locked item, with a reason. */
int review_reopen(const struct actor *who, long long session_id, long long application_id,
		  const char *reason);

/* Every answer to every conclusion in force: application_id, expert_id,
 * name, kind, reason, answered_at. */
int review_answers(long long session_id, json_object **rows);
/* Reopenings: application_id, version, reason, by_name, reopened_at. */
int review_reopenings(long long session_id, json_object **rows);

/* The export's rows: for each application (by ranking), one row per
 * eligible member with p1..p10, total, and one row "平均分" with the means;
 * each row also has application_id, enterprise, expert, org_name,
 * conclusion, ranking, dissents. */
int review_export_rows(long long session_id, json_object **rows);
int review_note_export(const struct actor *who, long long session_id, const char *format);

/* The configured share for the divergence flag (config
 * review_divergence_percent, SCORE_DIVERGENCE_DEFAULT). */
int review_divergence_share(void);

/* For the home pages: members excused from a whole session and not yet
 * replaced (session_id, title, expert_id, name, reason) and sessions
 * whose conclusions locked in the last 30 days. */
int review_pending_replacements(json_object **rows);

#endif
