/* draw: review sessions and the verifiable, supervised expert draw
 * (评审会与专家抽取, 第十一条, 附件二; issue 11).
 *
 * Owns the tables of sql/018_draw.sql and every statement on them:
 *   - review_session and review_session_application: a round's review
 *     meeting, its applications and its panel size;
 *   - draw_commitment: the seed (secret until the reveal), its commitment,
 *     the candidate digest, the public source and value;
 *   - draw_candidate, draw_exclusion: the committed candidate list, and who
 *     was left out of it and why (recusal by organisation or by a declared
 *     relation; rotation);
 *   - draw_event, draw_pick: the panel draw and each replacement, with
 *     both people (operator and supervisor) and the picks;
 *   - draw_rating: an administrator's rating of a member's work.
 * It reads the expert pool's tables (expert, expert_relation; the experts
 * step) and the intake step's application and enterprise in joins only;
 * applications move to in_review through src/steps/intake/app_status.h.
 * The algorithm is src/rules/lottery.h (docs/lottery.md): this module
 * keeps the record and calls it, for the draw and for the verification.
 *
 * The session's states and the one table of its arrows (draw_next):
 *   preparing --update--> preparing     title, date, place, size, applications
 *   preparing --commit--> committed     candidates and seed fixed; the
 *                                       applications go to in_review
 *   committed --panel-->  drawn         the panel drawn (supervisor confirms)
 *   drawn     --replace-> drawn         a member excused, one drawn instead
 *   drawn     --reveal--> revealed      the seed on the record (supervisor)
 *   revealed  --rate-->   revealed      a member's work rated
 * Every change locks the session row first (SELECT ... FOR UPDATE), so two
 * administrators drawing at once are ordered: the second finds the state
 * the first left and is refused; draw_pick's unique key holds besides.
 * Every change is one transaction with one audit record ("draw.session.
 * create", "draw.session.update", "draw.commit", "draw.panel",
 * "draw.replace", "draw.reveal", "draw.rate"; "draw.export" for a copy of
 * the record taken out).
 *
 * Candidates (at commit): experts active today (or suspended until a date
 * before today), minus those whose organisation key is an applicant's
 * ("C:" + its credit code, or "N:" + its normalised name), minus those who
 * declared a relation with an applicant's credit code, minus (rotation_k >
 * 0) those picked in the last rotation_k committed sessions.  The commit
 * is refused when the candidates cannot fill the panel under the cap.
 *
 * Ownership: every json_object ** a function fills is the caller's to
 * json_object_put (NULL on failure); strings passed in are borrowed.
 */
#ifndef BIAOGAN_DRAW_H
#define BIAOGAN_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/audit.h"
#include "core/buf.h"
#include "rules/lottery.h"

#define DRAW_TITLE_MAX 100  /* characters */
#define DRAW_PLACE_MAX 200
#define DRAW_SOURCE_MAX 100 /* the public source's description */
#define DRAW_VALUE_MAX 100  /* the public value as entered */
#define DRAW_REASON_MAX 500
#define DRAW_COMMENT_MAX 500
#define DRAW_ROTATION_MAX 10
#define DRAW_APPS_MAX 500   /* applications of one session */
#define DRAW_PAGE_SIZE 20

/* Results beside the db_status values (<= 0). */
enum draw_status {
	DRAW_E_NOT_FOUND = 1, /* no such session (or expert on its panel) */
	DRAW_E_STATE,         /* the session is not in a state the action starts from */
	DRAW_E_SHORT,         /* the candidates cannot fill the panel: see the shortfall */
	DRAW_E_APPS,          /* no applications, or one not with the province / in another session */
	DRAW_E_PUBLIC,        /* the announced public value is missing, or given when none was announced */
	DRAW_E_MEMBER,        /* that expert is not on the panel now */
	DRAW_E_ROUND,         /* no such round */
};

enum draw_state { DS_PREPARING, DS_COMMITTED, DS_DRAWN, DS_REVEALED, DS_STATES };
enum draw_action { DA_UPDATE, DA_COMMIT, DA_PANEL, DA_REPLACE, DA_REVEAL, DA_RATE, DA_ACTIONS };

/* The one table of the session's arrows: true with *to set when `action`
 * may start from `from`. */
bool draw_next(enum draw_state from, enum draw_action action, enum draw_state *to);
/* "preparing" ... ; DS_STATES when unknown. */
enum draw_state draw_state_parse(const char *name);
const char *draw_state_name(enum draw_state s);
const char *draw_state_label(enum draw_state s); /* 准备中, 已固定候选名单, ... */

/* Why an expert is left out of the candidate list (draw_exclusion.reason). */
enum draw_exclusion_reason { DX_NONE, DX_RECUSAL_ORG, DX_RECUSAL_RELATION, DX_ROTATION };
const char *draw_exclusion_name(enum draw_exclusion_reason r);  /* "recusal_org" ... */
const char *draw_exclusion_label(enum draw_exclusion_reason r); /* 单位回避 ... */

/* The screening of the pool, pure (unit-tested): for each expert, the first
 * reason of DX_RECUSAL_ORG (its org_key is one of applicant_keys),
 * DX_RECUSAL_RELATION (its id is in related, the experts who declared a
 * relation with an applicant), DX_ROTATION (its id is in rotated), else
 * DX_NONE: a candidate.  *which: for a recusal, the index of the applicant
 * key (DX_RECUSAL_ORG) or of related (DX_RECUSAL_RELATION) that matched. */
struct draw_screen_in {
	const char *const *applicant_keys; /* lot_org_key of each applicant: "C:…" and "N:…" */
	size_t nkeys;
	const long long *related; /* expert ids */
	size_t nrelated;
	const long long *rotated; /* expert ids */
	size_t nrotated;
};
enum draw_exclusion_reason draw_screen(const struct draw_screen_in *in, long long expert_id,
				       const char *org_key, size_t *which);

/* A session's fields as an administrator enters them. */
struct draw_session_in {
	long long round_id;
	const char *title;
	const char *review_date; /* YYYY-MM-DD */
	const char *place;
	int panel_size; /* lot_check_panel_size */
	int rotation_k; /* 0..DRAW_ROTATION_MAX */
	const long long *apps;
	size_t napps; /* 1..DRAW_APPS_MAX */
};

int draw_session_create(const struct actor *who, const struct draw_session_in *in,
			long long *id_out);
int draw_session_update(const struct actor *who, long long id, const struct draw_session_in *in);

/* Row: id, round_id, round_year, round_title, title, review_date, place,
 * panel_size, rotation_k, state, state_label, created_at, app_count, and
 * from the commitment (when committed): commitment, candidate_digest,
 * candidate_count, public_source, public_value, committed_at,
 * committed_by_name, revealed_at, revealed_by_name, reveal_supervisor_name;
 * seed (hex) only once revealed.  *row NULL when there is none. */
int draw_session_get(long long id, json_object **row);
/* Sessions, newest review date first, DRAW_PAGE_SIZE per page (page from
 * 1); round_id 0: every round; q (may be ""): only the sessions whose
 * title, or the name, credit code or experience title of one of whose
 * applications, contains it.  *more: a next page exists. */
int draw_session_list(long long round_id, const char *q, int page, json_object **rows, bool *more);
/* The session's applications: application_id, enterprise, uscc, city_name,
 * title, status. */
int draw_session_apps(long long id, json_object **rows);
/* The applications a session of round_id may review: those with the
 * province (with_province) and in no other session, plus those already in
 * session_id (0: none), each with "selected" when in it. */
int draw_session_choices(long long round_id, long long session_id, json_object **rows);

/* Fix the candidate list and the seed (state preparing -> committed) and
 * move the session's applications to in_review.  public_source: the public
 * value the draw will mix in (RFC 3797 style), described, or "" for none.
 * DRAW_E_SHORT with *why filled when the candidates cannot fill the panel;
 * DRAW_E_APPS when an application is no longer with the province. */
int draw_commit(const struct actor *who, long long id, const char *public_source,
		struct lot_shortfall *why);

/* The panel draw, confirmed by supervisor_id (users_confirm): committed ->
 * drawn.  public_value: the announced source's value ("" when none was
 * announced: DRAW_E_PUBLIC otherwise). */
int draw_panel(const struct actor *who, long long id, long long supervisor_id,
	       const char *public_value, struct lot_shortfall *why);
/* A replacement: expert_id (on the panel now) is excused for reason_kind
 * ("cannot_attend" or "conflict") and reason, and one expert is drawn in
 * their place.  *picked gets the new member's expert id.  DRAW_E_SHORT
 * (nothing recorded) when no candidate is left under the cap. */
int draw_replace(const struct actor *who, long long id, long long supervisor_id,
		 long long expert_id, const char *reason_kind, const char *reason,
		 struct lot_shortfall *why, long long *picked);
/* The seed goes on the record (drawn -> revealed), confirmed by the supervisor. */
int draw_reveal(const struct actor *who, long long id, long long supervisor_id);
/* Rate a member of a revealed session's final panel, 1..5 (again: replaces). */
int draw_rate(const struct actor *who, long long id, long long expert_id, int rating,
	      const char *comment);

/* The record in the export format of docs/lottery.md ("format":
 * "biaogan-lottery-v1", session, commitment, seed (null until revealed, or
 * always when with_seed: the operator's verification), public_source,
 * public_value, candidate_digest, candidates, excluded, draws, panel), plus
 * for the pages: "members" (the final panel with name, organisation, title,
 * rating) and "replaced" (excused members with the reason).  *rec NULL when
 * the session has no commitment yet. */
int draw_record(long long id, bool with_seed, json_object **rec);

/* The record as docs/lottery.md's export format has it: without the keys
 * draw_record adds for the pages ("members", "replaced", and the excluded
 * experts' "name" and "reason_label"). */
void draw_record_strip(json_object *rec);
/* The audit record of a copy of the record taken out ("draw.export"). */
int draw_note_export(const struct actor *who, long long id);

/* Recompute everything in a record (draw_record with the seed): the
 * candidate digest from the list, the commitment from the seed, every draw
 * and replacement from seed, public value and list, and the final panel.
 * One line per check appended to report ("候选名单摘要 一致", "第 1 次抽取
 * 一致", ...).  *ok false at the first mismatch (the checks go on).  Pure
 * apart from reading rec; rec is borrowed. */
void draw_verify_record(json_object *rec, struct buf *report, bool *ok);

/* The sessions whose final panel has the expert of this account, drawn or
 * revealed: id, title, review_date, place, round_year (nothing about the
 * other members). */
int draw_assignments(long long account_id, json_object **rows);

/* For the home pages: sessions waiting for a draw or a reveal. */
int draw_pending(json_object **rows);

#endif
