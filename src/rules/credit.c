#include "rules/credit.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

enum credit_verdict credit_judge(const struct credit_check *c, int32_t today, int max_age_days)
{
	switch (c->result) {
	case CREDIT_NOT_CHECKED:
		return CREDIT_MISSING;
	case CREDIT_LISTED:
		return CREDIT_FAILED;
	case CREDIT_CLEAR:
		if (c->checked_on > today)
			return CREDIT_FUTURE;
		/* In 64 bits: the days lie within int32_t, their difference need not. */
		if ((int64_t)today - (int64_t)c->checked_on > (int64_t)max_age_days)
			return CREDIT_STALE;
		return CREDIT_OK;
	}
	abort(); /* a value outside the enum: a caller's bug */
}

enum credit_verdict credit_judge_all(const struct credit_check checks[CREDIT_KINDS],
				     int32_t today, int max_age_days, enum credit_kind *which)
{
	static const enum credit_verdict order[] = { CREDIT_FAILED, CREDIT_MISSING, CREDIT_FUTURE,
						     CREDIT_STALE };
	enum credit_verdict v[CREDIT_KINDS];
	for (int k = 0; k < CREDIT_KINDS; k++)
		v[k] = credit_judge(&checks[k], today, max_age_days);
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		for (int k = 0; k < CREDIT_KINDS; k++)
			if (v[k] == order[i]) {
				if (which)
					*which = (enum credit_kind)k;
				return order[i];
			}
	return CREDIT_OK;
}

static const struct {
	const char *name, *label;
} kinds[CREDIT_KINDS] = {
	{ "dishonest_debtor", "失信被执行人" },
	{ "serious_violation", "严重违法失信名单" },
};

int credit_kind_parse(const char *name)
{
	for (int k = 0; name && k < CREDIT_KINDS; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

const char *credit_kind_name(enum credit_kind k)
{
	if (k < 0 || k >= CREDIT_KINDS)
		abort();
	return kinds[k].name;
}

const char *credit_kind_label(enum credit_kind k)
{
	if (k < 0 || k >= CREDIT_KINDS)
		abort();
	return kinds[k].label;
}

enum credit_result credit_result_parse(const char *name)
{
	if (name && !strcmp(name, "clear"))
		return CREDIT_CLEAR;
	if (name && !strcmp(name, "listed"))
		return CREDIT_LISTED;
	return CREDIT_NOT_CHECKED;
}

const char *credit_result_name(enum credit_result r)
{
	return r == CREDIT_CLEAR ? "clear" : r == CREDIT_LISTED ? "listed" : NULL;
}

const char *credit_result_label(enum credit_result r)
{
	return r == CREDIT_CLEAR ? "未列入" : r == CREDIT_LISTED ? "已列入" : "未核查";
}

const char *credit_verdict_label(enum credit_verdict v)
{
	switch (v) {
	case CREDIT_OK:
		return "符合";
	case CREDIT_MISSING:
		return "未核查";
	case CREDIT_FAILED:
		return "已列入名单";
	case CREDIT_STALE:
		return "核查已过期";
	case CREDIT_FUTURE:
		return "核查日期有误";
	}
	abort();
}
