#include "rules/lifecycle.h"

#include <string.h>

#include "core/banned.h"

/* The life of an application: every arrow, one line each. */
static const struct lc_arrow arrows[] = {
	{ LC_NONE, LC_START, LC_DRAFT, LC_BY_ENTERPRISE, "intake", "新建申报书" },
	{ LC_DRAFT, LC_SUBMIT, LC_SUBMITTED, LC_BY_ENTERPRISE, "intake", "提交" },
	{ LC_RETURNED, LC_RESUBMIT, LC_SUBMITTED, LC_BY_ENTERPRISE, "intake", "修改后重新提交" },
	{ LC_SUBMITTED, LC_RETURN, LC_RETURNED, LC_BY_CITY, "recommend", "退回修改" },
	{ LC_SUBMITTED, LC_DECLINE, LC_NOT_RECOMMENDED, LC_BY_CITY, "recommend", "不予推荐" },
	{ LC_SUBMITTED, LC_RECOMMEND, LC_RECOMMENDED, LC_BY_CITY, "recommend", "推荐" },
	{ LC_RECOMMENDED, LC_RECONSIDER, LC_SUBMITTED, LC_BY_CITY, "recommend", "撤销推荐决定" },
	{ LC_NOT_RECOMMENDED, LC_RECONSIDER, LC_SUBMITTED, LC_BY_CITY, "recommend",
	  "撤销不予推荐决定" },
	{ LC_RECOMMENDED, LC_BATCH_SUBMIT, LC_WITH_PROVINCE, LC_BY_CITY, "recommend",
	  "提交推荐批次" },
	{ LC_WITH_PROVINCE, LC_BATCH_REOPEN, LC_RECOMMENDED, LC_BY_PROVINCE, "recommend",
	  "重新开放推荐批次" },
	{ LC_WITH_PROVINCE, LC_REVIEW, LC_IN_REVIEW, LC_BY_PROVINCE, "draw", "列入评审会" },
	{ LC_IN_REVIEW, LC_PANEL_REJECT, LC_NOT_SELECTED, LC_BY_CHAIR, "review", "评审组不予推荐" },
	{ LC_NOT_SELECTED, LC_REVIEW_REOPEN, LC_IN_REVIEW, LC_BY_PROVINCE, "review",
	  "重新合议" },
	{ LC_IN_REVIEW, LC_PROPOSE, LC_PROPOSED, LC_BY_PROVINCE, "publicity",
	  "评审组推荐，信用复核后拟定" },
	{ LC_PROPOSED, LC_UNPROPOSE, LC_IN_REVIEW, LC_BY_PROVINCE, "publicity", "撤出拟定名单" },
	{ LC_PROPOSED, LC_PUBLICITY, LC_IN_PUBLICITY, LC_BY_PROVINCE, "publicity", "开始公示" },
	{ LC_IN_PUBLICITY, LC_OBJECTION_UPHELD, LC_WITHDRAWN, LC_BY_PROVINCE, "publicity",
	  "异议成立" },
	{ LC_IN_PUBLICITY, LC_APPROVE, LC_APPROVED, LC_BY_PROVINCE, "publish",
	  "公示期满，厅长办公会审议通过" },
	{ LC_APPROVED, LC_PUBLISH, LC_BENCHMARK, LC_BY_PROVINCE, "publish", "发布名单" },
	{ LC_BENCHMARK, LC_REVOKE, LC_REVOKED, LC_BY_PROVINCE, "manage", "撤销称号" },
	{ LC_REVOKED, LC_REINSTATE, LC_BENCHMARK, LC_BY_PROVINCE, "manage", "恢复称号" },
};

/* Indexed by enum lc_state: the values of application.status. */
static const char *const state_names[LC_STATES] = {
	[LC_NONE] = NULL,
	[LC_DRAFT] = "draft",
	[LC_SUBMITTED] = "submitted",
	[LC_RETURNED] = "returned",
	[LC_NOT_RECOMMENDED] = "not_recommended",
	[LC_RECOMMENDED] = "recommended",
	[LC_WITH_PROVINCE] = "with_province",
	[LC_IN_REVIEW] = "in_review",
	[LC_NOT_SELECTED] = "not_selected",
	[LC_PROPOSED] = "proposed",
	[LC_IN_PUBLICITY] = "in_publicity",
	[LC_WITHDRAWN] = "withdrawn",
	[LC_APPROVED] = "approved",
	[LC_BENCHMARK] = "benchmark",
	[LC_REVOKED] = "revoked",
};

static const char *const event_names[LC_EVENTS] = {
	[LC_START] = "start",
	[LC_SUBMIT] = "submit",
	[LC_RESUBMIT] = "resubmit",
	[LC_RETURN] = "return",
	[LC_DECLINE] = "decline",
	[LC_RECOMMEND] = "recommend",
	[LC_RECONSIDER] = "reconsider",
	[LC_BATCH_SUBMIT] = "batch_submit",
	[LC_BATCH_REOPEN] = "batch_reopen",
	[LC_REVIEW] = "review",
	[LC_PANEL_REJECT] = "panel_reject",
	[LC_REVIEW_REOPEN] = "review_reopen",
	[LC_PROPOSE] = "propose",
	[LC_UNPROPOSE] = "unpropose",
	[LC_PUBLICITY] = "publicity",
	[LC_OBJECTION_UPHELD] = "objection_upheld",
	[LC_APPROVE] = "approve",
	[LC_PUBLISH] = "publish",
	[LC_REVOKE] = "revoke",
	[LC_REINSTATE] = "reinstate",
};

const struct lc_arrow *lc_arrows(size_t *n)
{
	*n = sizeof arrows / sizeof arrows[0];
	return arrows;
}

const struct lc_arrow *lc_find(enum lc_state from, enum lc_event event)
{
	for (size_t i = 0; i < sizeof arrows / sizeof arrows[0]; i++)
		if (arrows[i].from == from && arrows[i].event == event)
			return &arrows[i];
	return NULL;
}

const struct lc_arrow *lc_allowed(enum lc_state from, enum lc_event event, unsigned who)
{
	const struct lc_arrow *a = lc_find(from, event);
	return a && (a->who & who) ? a : NULL;
}

enum lc_state lc_state_parse(const char *name)
{
	for (int s = LC_NONE + 1; name && s < LC_STATES; s++)
		if (!strcmp(state_names[s], name))
			return (enum lc_state)s;
	return LC_NONE;
}

const char *lc_state_name(enum lc_state s)
{
	return s > LC_NONE && s < LC_STATES ? state_names[s] : NULL;
}

const char *lc_event_name(enum lc_event e)
{
	return e >= LC_START && e < LC_EVENTS ? event_names[e] : NULL;
}
