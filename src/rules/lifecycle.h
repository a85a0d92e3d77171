/* lifecycle: the one table of the life of an application.
 *
 * Owns the states of an application (the values of application.status,
 * sql/005_application.sql), the events that move it, who may cause each
 * event, and every allowed arrow from -> to (shared docs/domain.md, "The
 * life of an application"; docs/architecture.md has the same table with the
 * step that makes each arrow).  Every change of application.status, in any
 * step, asks this table first; an event that has no arrow from the current
 * state is refused.  Pure: no database, no allocation, no global state
 * beyond the constant table.
 *
 * Arrows beyond domain.md's drawing, needed by the recommendation step
 * (issue 10) and kept here with the others:
 *   recommended, not_recommended --reconsider--> submitted   (city: undo a
 *       decision while its batch is still open)
 *   with_province --batch reopened--> recommended   (province: a submitted
 *       batch handed back to its city)
 * and by the review step (issue 12):
 *   not_selected --review reopened--> in_review   (province: a locked panel
 *       conclusion reopened with a reason, to be concluded again)
 * and by the publicity step (issue 13):
 *   proposed --unpropose--> in_review   (province: taken off the proposed
 *       list again before its publicity starts)
 *
 * Who may cause an event is a mask of LC_BY_*: the rules layer knows no
 * roles (core/auth.h), so each step maps its user's role onto these.
 */
#ifndef BIAOGAN_LIFECYCLE_H
#define BIAOGAN_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

enum lc_state {
	LC_NONE = 0, /* not a state: before "start", or an unknown name */
	LC_DRAFT,
	LC_SUBMITTED,
	LC_RETURNED,
	LC_NOT_RECOMMENDED,
	LC_RECOMMENDED,
	LC_WITH_PROVINCE,
	LC_IN_REVIEW,
	LC_NOT_SELECTED,
	LC_PROPOSED,
	LC_IN_PUBLICITY,
	LC_WITHDRAWN,
	LC_APPROVED,
	LC_BENCHMARK,
	LC_REVOKED,
	LC_STATES
};

enum lc_event {
	LC_START = 0,        /* the enterprise opens its application (a draft) */
	LC_SUBMIT,           /* draft -> submitted (article 8 met, window open) */
	LC_RESUBMIT,         /* returned -> submitted */
	LC_RETURN,           /* city: back to the enterprise for revision, with a reason */
	LC_DECLINE,          /* city: not recommended, with a reason */
	LC_RECOMMEND,        /* city: recommended, with an opinion and a rank */
	LC_RECONSIDER,       /* city: a decision undone while the batch is open */
	LC_BATCH_SUBMIT,     /* city: the batch goes to the province */
	LC_BATCH_REOPEN,     /* province: a submitted batch handed back */
	LC_REVIEW,           /* province: put in a review session */
	LC_PANEL_REJECT,     /* chair: the panel does not recommend it */
	LC_REVIEW_REOPEN,    /* province: a locked conclusion reopened, with a reason */
	LC_PROPOSE,          /* province: panel recommended, credit re-checked */
	LC_UNPROPOSE,        /* province: taken off the proposed list before publicity */
	LC_PUBLICITY,        /* province: publicity starts */
	LC_OBJECTION_UPHELD, /* province: an objection is upheld */
	LC_APPROVE,          /* province: period over, objections resolved, approved */
	LC_PUBLISH,          /* province: the list is published */
	LC_REVOKE,           /* province: one of the five grounds */
	LC_REINSTATE,        /* province: a new decision */
	LC_EVENTS
};

enum lc_actor {
	LC_BY_ENTERPRISE = 1,
	LC_BY_CITY = 2,
	LC_BY_PROVINCE = 4,
	LC_BY_CHAIR = 8,
};

struct lc_arrow {
	enum lc_state from; /* LC_NONE only for LC_START */
	enum lc_event event;
	enum lc_state to;
	unsigned who;       /* LC_BY_* mask */
	const char *step;   /* the step that makes it: "intake", "recommend", ... */
	const char *label;  /* Chinese name of the event: "提交", "退回修改", ... */
};

/* The whole table, in the order of the life; *n gets its length. */
const struct lc_arrow *lc_arrows(size_t *n);
/* The arrow that event takes from `from`, or NULL when there is none. */
const struct lc_arrow *lc_find(enum lc_state from, enum lc_event event);
/* The same, but only when one of the actors in `who` may cause it. */
const struct lc_arrow *lc_allowed(enum lc_state from, enum lc_event event, unsigned who);

/* "draft" -> LC_DRAFT ...; LC_NONE for NULL or anything else. */
enum lc_state lc_state_parse(const char *name);
/* The column value ("draft", ...); NULL for LC_NONE or a value outside the enum. */
const char *lc_state_name(enum lc_state s);
/* "submit", "return", ... (for audit actions and tests); NULL outside the enum. */
const char *lc_event_name(enum lc_event e);

#endif
