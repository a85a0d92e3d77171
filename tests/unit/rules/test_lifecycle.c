/* Unit tests for src/rules/lifecycle.c: the one table of the life of an
 * application.  The table holds exactly the arrows of docs/architecture.md
 * (every arrow of the shared domain.md, and the two the recommendation step
 * adds), each event has one arrow per state, the wrong actor and the wrong
 * state are refused, every state is reachable from a draft, and the state
 * names are the values of application.status in sql/005_application.sql. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "rules/lifecycle.h"
#include "core/banned.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define E LC_BY_ENTERPRISE
#define C LC_BY_CITY
#define P LC_BY_PROVINCE
#define H LC_BY_CHAIR

struct want {
	const char *from, *event, *to;
	unsigned who;
};

/* docs/architecture.md, "The life of an application", row by row. */
static const struct want arrows[] = {
	{ NULL, "start", "draft", E },
	{ "draft", "submit", "submitted", E },
	{ "returned", "resubmit", "submitted", E },
	{ "submitted", "return", "returned", C },
	{ "submitted", "decline", "not_recommended", C },
	{ "submitted", "recommend", "recommended", C },
	{ "recommended", "reconsider", "submitted", C },
	{ "not_recommended", "reconsider", "submitted", C },
	{ "recommended", "batch_submit", "with_province", C },
	{ "with_province", "batch_reopen", "recommended", P },
	{ "with_province", "review", "in_review", P },
	{ "in_review", "panel_reject", "not_selected", H },
	{ "not_selected", "review_reopen", "in_review", P },
	{ "in_review", "propose", "proposed", P },
	{ "proposed", "unpropose", "in_review", P },
	{ "proposed", "publicity", "in_publicity", P },
	{ "in_publicity", "objection_upheld", "withdrawn", P },
	{ "in_publicity", "approve", "approved", P },
	{ "approved", "publish", "benchmark", P },
	{ "benchmark", "revoke", "revoked", P },
	{ "revoked", "reinstate", "benchmark", P },
};

static enum lc_event event_parse(const char *name)
{
	for (int e = 0; e < LC_EVENTS; e++)
		if (!strcmp(lc_event_name((enum lc_event)e), name))
			return (enum lc_event)e;
	ck_abort_msg("unknown event %s", name);
	return LC_EVENTS;
}

START_TEST(table_is_the_documented_one)
{
	const struct want *w = &arrows[_i];
	enum lc_state from = w->from ? lc_state_parse(w->from) : LC_NONE;
	const struct lc_arrow *a = lc_find(from, event_parse(w->event));
	ck_assert_msg(a != NULL, "%s --%s--> missing", w->from ? w->from : "-", w->event);
	ck_assert_str_eq(lc_state_name(a->to), w->to);
	ck_assert_uint_eq(a->who, w->who);
	ck_assert(a->label && *a->label && a->step && *a->step);
	ck_assert_ptr_eq(lc_allowed(from, a->event, w->who), a);
	/* Any other actor is refused. */
	for (unsigned who = 1; who <= LC_BY_CHAIR; who <<= 1)
		if (!(who & w->who))
			ck_assert_ptr_null(lc_allowed(from, a->event, who));
}
END_TEST

START_TEST(nothing_else_in_the_table)
{
	size_t n;
	const struct lc_arrow *a = lc_arrows(&n);
	ck_assert_int_eq((int)n, N(arrows));
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			ck_assert_msg(!(a[i].from == a[k].from && a[i].event == a[k].event),
				      "two arrows for one state and event");
}
END_TEST

/* What the recommendation step and intake must refuse. */
static const struct {
	const char *from, *event;
	unsigned who;
} refused[] = {
	{ "returned", "recommend", C },   { "draft", "recommend", C },
	{ "draft", "return", C },         { "recommended", "recommend", C },
	{ "not_recommended", "recommend", C }, { "not_recommended", "return", C },
	{ "recommended", "decline", C },  { "with_province", "reconsider", C },
	{ "with_province", "batch_submit", C }, { "submitted", "batch_submit", C },
	{ "not_recommended", "batch_submit", C }, { "submitted", "submit", E },
	{ "returned", "submit", E },      { "draft", "resubmit", E },
	{ "submitted", "return", E },     { "submitted", "recommend", P },
	{ "with_province", "batch_reopen", C }, { "in_review", "batch_reopen", P },
	{ "recommended", "batch_reopen", P }, { "benchmark", "reinstate", P },
	{ "revoked", "revoke", P },       { "submitted", "start", E },
};

START_TEST(wrong_state_or_actor_refused)
{
	ck_assert_ptr_null(lc_allowed(lc_state_parse(refused[_i].from), event_parse(refused[_i].event),
				      refused[_i].who));
}
END_TEST

START_TEST(every_state_reachable_from_draft)
{
	bool seen[LC_STATES] = { false };
	size_t n;
	const struct lc_arrow *a = lc_arrows(&n);
	bool grew = true;
	seen[LC_DRAFT] = true;
	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++)
			if (a[i].from != LC_NONE && seen[a[i].from] && !seen[a[i].to])
				seen[a[i].to] = grew = true;
	}
	for (int s = LC_DRAFT; s < LC_STATES; s++)
		ck_assert_msg(seen[s], "%s cannot be reached", lc_state_name((enum lc_state)s));
}
END_TEST

START_TEST(names_round_trip)
{
	for (int s = LC_NONE + 1; s < LC_STATES; s++)
		ck_assert_int_eq(lc_state_parse(lc_state_name((enum lc_state)s)), s);
	ck_assert_ptr_null(lc_state_name(LC_NONE));
	ck_assert_ptr_null(lc_state_name(LC_STATES));
	ck_assert_ptr_null(lc_event_name(LC_EVENTS));
	/* Nothing outside the enums is looked up: not just past the end, not
	 * far past it, not "negative". */
	static const int outside[] = { -1, -1000, 1 << 20, INT_MAX };
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		ck_assert_ptr_null(lc_state_name((enum lc_state)outside[i]));
		ck_assert_ptr_null(lc_event_name((enum lc_event)outside[i]));
	}
	ck_assert_ptr_null(lc_state_name((enum lc_state)(LC_STATES + 1)));
	ck_assert_ptr_null(lc_event_name((enum lc_event)(LC_EVENTS + 1)));
	ck_assert_int_eq(lc_state_parse(NULL), LC_NONE);
	ck_assert_int_eq(lc_state_parse(""), LC_NONE);
	ck_assert_int_eq(lc_state_parse("Draft"), LC_NONE);
	ck_assert_int_eq(lc_state_parse("draft "), LC_NONE);
	for (int e = 0; e < LC_EVENTS; e++)
		for (int k = e + 1; k < LC_EVENTS; k++)
			ck_assert_str_ne(lc_event_name((enum lc_event)e), lc_event_name((enum lc_event)k));
}
END_TEST

/* The states are exactly the values of application.status. */
START_TEST(states_match_the_status_column)
{
	const char *src = getenv("BIAOGAN_SRCDIR");
	struct buf path = BUF_INIT, text = BUF_INIT;
	char chunk[4096], *p, *end;
	size_t got, count = 0;
	FILE *f;
	buf_addf(&path, "%s/sql/005_application.sql", src && *src ? src : ".");
	f = fopen(path.data, "r");
	ck_assert_msg(f != NULL, "cannot open %s (set BIAOGAN_SRCDIR)", path.data);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&text, chunk, got);
	fclose(f);
	p = strstr(text.data, "status ENUM(");
	ck_assert_ptr_nonnull(p);
	p += strlen("status ENUM(");
	end = strchr(p, ')');
	ck_assert_ptr_nonnull(end);
	while (p < end) {
		char *q1 = strchr(p, '\''), *q2;
		char name[32];
		if (!q1 || q1 > end)
			break;
		q2 = strchr(q1 + 1, '\'');
		ck_assert(q2 && q2 < end && (size_t)(q2 - q1 - 1) < sizeof name);
		memcpy(name, q1 + 1, (size_t)(q2 - q1 - 1));
		name[q2 - q1 - 1] = '\0';
		ck_assert_msg(lc_state_parse(name) != LC_NONE, "%s is not a state", name);
		count++;
		p = q2 + 1;
	}
	ck_assert_int_eq((int)count, LC_STATES - 1);
	buf_release(&path);
	buf_release(&text);
}
END_TEST

static Suite *lifecycle_suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("table");
	tcase_add_loop_test(tc, table_is_the_documented_one, 0, N(arrows));
	tcase_add_test(tc, nothing_else_in_the_table);
	tcase_add_loop_test(tc, wrong_state_or_actor_refused, 0, N(refused));
	tcase_add_test(tc, every_state_reachable_from_draft);
	tcase_add_test(tc, names_round_trip);
	tcase_add_test(tc, states_match_the_status_column);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lifecycle_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
