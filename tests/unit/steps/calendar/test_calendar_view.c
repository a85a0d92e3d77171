/* Unit tests of calendar_view's "how far off is the deadline" phrase, on the
 * reference calendar (tests/data/calendar.csv, 2020–2026, found through
 * BIAOGAN_SRCDIR): plain weeks, a holiday week with its adjusted working
 * Saturday, the day itself, a deadline passed, and a year not loaded. */
#include <check.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "rules/calendar.h"
#include "steps/calendar/calendar_view.h"
#include "core/banned.h"

static struct calendar ref = CALENDAR_INIT;

static void load_reference(void)
{
	const char *src = getenv("BIAOGAN_SRCDIR");
	struct buf path = BUF_INIT, err = BUF_INIT;
	buf_addf(&path, "%s/tests/data/calendar.csv", src && *src ? src : ".");
	ck_assert_msg(calendar_load_csv(&ref, path.data, &err) == 0, "%s: %s", path.data,
		      err.data ? err.data : "");
	buf_release(&path);
	buf_release(&err);
}

static int32_t day(const char *s)
{
	int32_t d = 0;
	ck_assert_int_eq(civil_parse(s, &d), 0);
	return d;
}

static const struct {
	const char *today, *deadline, *want;
} cases[] = {
	{ "2026-11-23", "2026-11-27", "还剩4个工作日" },   /* Monday to Friday */
	{ "2026-11-23", "2026-11-29", "还剩4个工作日" },   /* the weekend adds none */
	{ "2026-11-27", "2026-11-29", "截止前无工作日" },  /* Friday to Sunday */
	{ "2026-11-27", "2026-11-30", "还剩1个工作日" },
	{ "2026-09-30", "2026-10-10", "还剩3个工作日" },   /* 国庆节: 8, 9 and the adjusted 10th */
	{ "2026-11-25", "2026-11-25", "今天截止" },
	{ "2026-11-25", "2026-11-24", "已截止" },
	{ "2026-11-25", "2020-01-01", "已截止" },
};

START_TEST(time_left)
{
	struct buf out = BUF_INIT;
	int missing = 0;
	load_reference();
	ck_assert_int_eq(calendar_view_time_left(&ref, day(cases[_i].today), day(cases[_i].deadline),
						 &out, &missing),
			 CAL_OK);
	ck_assert_str_eq(out.data ? out.data : "", cases[_i].want);
	buf_release(&out);
	calendar_release(&ref);
}
END_TEST

START_TEST(year_not_loaded)
{
	struct buf out = BUF_INIT;
	int missing = 0;
	load_reference();
	ck_assert_int_eq(calendar_view_time_left(&ref, day("2026-12-28"), day("2027-01-08"), &out,
						 &missing),
			 CAL_NO_YEAR);
	ck_assert_int_eq(missing, 2027);
	ck_assert_uint_eq(out.len, 0); /* nothing said rather than a wrong count */
	buf_release(&out);
	calendar_release(&ref);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("calendar_view");
	TCase *tc = tcase_create("time_left");
	SRunner *sr;
	int failed;
	tcase_add_loop_test(tc, time_left, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, year_not_loaded);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
