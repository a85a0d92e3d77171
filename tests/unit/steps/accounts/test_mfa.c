/* Unit tests for the rules of src/steps/accounts/mfa.c: who must use the
 * second factor (the configured roles) and what a login owes. */
#include <check.h>
#include <stdlib.h>

#include "steps/accounts/mfa.h"
#include "core/banned.h"

static const struct {
	enum role role;
	const char *list;
	bool listed;
} cases[] = {
	{ ROLE_PROVINCE, "province,supervisor", true },
	{ ROLE_SUPERVISOR, "province,supervisor", true },
	{ ROLE_SUPERVISOR, " province , supervisor ", true },
	{ ROLE_CITY, "province,supervisor", false },
	{ ROLE_EXPERT, "", false },
	{ ROLE_EXPERT, NULL, false },
	{ ROLE_PROVINCE, "provinces", false },
	{ ROLE_PROVINCE, "province2,x", false },
	{ ROLE_CITY, "city", true },
	{ ROLE_ENTERPRISE, "expert enterprise", true },
	{ ROLE_NONE, "public", false },
	{ ROLE_PROVINCE, ",,,", false },
};

START_TEST(role_listed)
{
	ck_assert_int_eq(mfa_role_listed(cases[_i].role, cases[_i].list), cases[_i].listed);
}
END_TEST

START_TEST(need_of)
{
	/* Enrolled: a code, whether required or not; not enrolled: an
	 * enrolment only when required. */
	ck_assert_int_eq(mfa_need_of(true, true), MFA_CODE);
	ck_assert_int_eq(mfa_need_of(true, false), MFA_CODE);
	ck_assert_int_eq(mfa_need_of(false, true), MFA_ENROL);
	ck_assert_int_eq(mfa_need_of(false, false), MFA_NONE);
}
END_TEST

static Suite *mfa_suite(void)
{
	Suite *s = suite_create("mfa");
	TCase *tc = tcase_create("rules");
	tcase_add_loop_test(tc, role_listed, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, need_of);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mfa_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
