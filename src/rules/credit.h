/* credit: is an enterprise's credit record good enough to be proposed
 * (第十二条: the list is drafted "根据评审组意见和企业信用情况")?
 *
 * Two checks count, each recorded with its result and the day it was made:
 * the dishonest judgment debtor list (失信被执行人, 中国执行信息公开网) and the
 * list of serious violations (严重违法失信名单, 信用中国).  A check is good when
 * it was made, found the enterprise not listed, is not dated after today,
 * and is at most max_age_days old (today - checked_on <= max_age_days).  An
 * enterprise may be proposed only when both are good.  The recording is the
 * recommendation step's (src/steps/recommend/recommend.h); the refusal is the
 * publicity step's, which asks credit_judge_all.  Pure: no database, no
 * allocation.
 */
#ifndef BIAOGAN_CREDIT_H
#define BIAOGAN_CREDIT_H

#include <stddef.h>
#include <stdint.h>

/* The default of config key credit_check_max_age_days. */
#define CREDIT_MAX_AGE_DEFAULT 30
#define CREDIT_MAX_AGE_MIN 1
#define CREDIT_MAX_AGE_MAX 365

enum credit_kind { CREDIT_DISHONEST = 0, CREDIT_SERIOUS_VIOLATION, CREDIT_KINDS };

enum credit_result {
	CREDIT_NOT_CHECKED = 0, /* no check recorded */
	CREDIT_CLEAR,           /* checked, not listed */
	CREDIT_LISTED,          /* checked, listed */
};

struct credit_check {
	enum credit_result result;
	int32_t checked_on; /* civil day (core/civil_date.h); ignored when not checked */
};

enum credit_verdict {
	CREDIT_OK = 0,
	CREDIT_MISSING, /* not checked */
	CREDIT_FAILED,  /* listed */
	CREDIT_STALE,   /* older than max_age_days */
	CREDIT_FUTURE,  /* dated after today: a mistyped date */
};

/* One check. */
enum credit_verdict credit_judge(const struct credit_check *c, int32_t today, int max_age_days);
/* Both checks: CREDIT_OK when both are, else the first bad one in the order
 * failed, missing, future, stale (the most serious reason first); *which
 * (may be NULL) names its kind, and is left alone for CREDIT_OK. */
enum credit_verdict credit_judge_all(const struct credit_check checks[CREDIT_KINDS],
				     int32_t today, int max_age_days, enum credit_kind *which);

/* "dishonest_debtor", "serious_violation" (the column values); -1 for others. */
int credit_kind_parse(const char *name);
const char *credit_kind_name(enum credit_kind k);
/* "失信被执行人", "严重违法失信名单". */
const char *credit_kind_label(enum credit_kind k);
/* "clear" / "listed" -> CREDIT_CLEAR / CREDIT_LISTED; CREDIT_NOT_CHECKED otherwise. */
enum credit_result credit_result_parse(const char *name);
const char *credit_result_name(enum credit_result r); /* NULL for CREDIT_NOT_CHECKED */
/* "未列入", "已列入", "未核查". */
const char *credit_result_label(enum credit_result r);
/* "符合", "未核查", "已列入名单", "核查已过期", "核查日期有误". */
const char *credit_verdict_label(enum credit_verdict v);

#endif
