/* Unit tests of auth: role names and labels, role masks, and the city and
 * ownership decisions for every role, including a city user of another
 * city, a user with id 0, and a missing user; who may see and edit an
 * application. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/banned.h"

static const struct {
	const char *name;
	enum role role;
	const char *label;
} roles[] = {
	{ "province", ROLE_PROVINCE, "省工信厅" },
	{ "city", ROLE_CITY, "市（地）工信局" },
	{ "expert", ROLE_EXPERT, "评审专家" },
	{ "enterprise", ROLE_ENTERPRISE, "申报企业" },
	{ "supervisor", ROLE_SUPERVISOR, "纪检监督" },
};

START_TEST(role_round_trip)
{
	ck_assert_int_eq(role_parse(roles[_i].name), roles[_i].role);
	ck_assert_str_eq(role_name(roles[_i].role), roles[_i].name);
	ck_assert_str_eq(role_label(roles[_i].role), roles[_i].label);
}
END_TEST

static const char *const role_names_bad[] = {
	"", "Province", "PROVINCE", "admin", "public", "province ", " city", "expert\n",
	"企业", "cit", "enterprises", "none", "0", "1",
};

START_TEST(role_parse_bad)
{
	ck_assert_int_eq(role_parse(role_names_bad[_i]), ROLE_NONE);
}
END_TEST

START_TEST(role_parse_null)
{
	ck_assert_int_eq(role_parse(NULL), ROLE_NONE);
}
END_TEST

/* Values that are no single role: the public's name and label. */
static const unsigned roles_not_single[] = { ROLE_NONE, 3, 32, ROLES_ANY, 0x100 };

START_TEST(role_name_unknown)
{
	ck_assert_str_eq(role_name((enum role)roles_not_single[_i]), "public");
	ck_assert_str_eq(role_label((enum role)roles_not_single[_i]), "公众");
}
END_TEST

static void make_user(struct user *u, enum role role, long long id, const char *city)
{
	memset(u, 0, sizeof *u);
	u->id = id;
	u->role = role;
	snprintf(u->city_code, sizeof u->city_code, "%s", city ? city : "");
}

/* Every role against every mask that matters. */
static const struct {
	enum role role;
	long long id;
	unsigned mask;
	bool allowed;
} masks[] = {
	{ ROLE_PROVINCE, 1, ROLE_PROVINCE, true },
	{ ROLE_PROVINCE, 1, ROLES_ANY, true },
	{ ROLE_PROVINCE, 1, ROLE_PROVINCE | ROLE_CITY, true },
	{ ROLE_CITY, 2, ROLE_CITY, true },
	{ ROLE_CITY, 2, ROLE_PROVINCE | ROLE_CITY, true },
	{ ROLE_EXPERT, 3, ROLE_EXPERT, true },
	{ ROLE_ENTERPRISE, 4, ROLE_ENTERPRISE, true },
	{ ROLE_ENTERPRISE, 4, ROLES_ANY, true },
	{ ROLE_PROVINCE, 1, ROLE_CITY, false },
	{ ROLE_PROVINCE, 1, ROLE_EXPERT | ROLE_ENTERPRISE, false },
	{ ROLE_CITY, 2, ROLE_PROVINCE, false },
	{ ROLE_CITY, 2, ROLE_ENTERPRISE, false },
	{ ROLE_EXPERT, 3, ROLE_PROVINCE | ROLE_CITY, false },
	{ ROLE_ENTERPRISE, 4, ROLE_PROVINCE | ROLE_CITY | ROLE_EXPERT, false },
	{ ROLE_ENTERPRISE, 4, 0, false },
	{ ROLE_PROVINCE, 1, 0, false },
	{ ROLE_NONE, 5, ROLES_ANY, false },        /* an account without a known role */
	{ ROLE_NONE, 5, 0xffffffffu, false },
	{ ROLE_PROVINCE, 0, ROLES_ANY, false },    /* id 0: nobody logged in */
	{ ROLE_PROVINCE, 0, ROLE_PROVINCE, false },
	{ ROLE_CITY, -1, ROLE_CITY, false },
	{ ROLE_NONE, 0, ROLES_ANY, false },
};

START_TEST(role_mask)
{
	struct user u;
	make_user(&u, masks[_i].role, masks[_i].id, masks[_i].role == ROLE_CITY ? "230100" : "");
	ck_assert_int_eq(auth_role_allowed(&u, masks[_i].mask), masks[_i].allowed);
}
END_TEST

START_TEST(role_mask_no_user)
{
	ck_assert(!auth_role_allowed(NULL, ROLES_ANY));
}
END_TEST

/* The user's role, id and city; the city asked about; the answer. */
static const struct {
	enum role role;
	long long id;
	const char *user_city;
	const char *city;
	bool see;
} cities[] = {
	{ ROLE_PROVINCE, 1, "", "230100", true },
	{ ROLE_PROVINCE, 1, "", "231200", true },
	{ ROLE_PROVINCE, 1, "", "", true },
	{ ROLE_CITY, 2, "230100", "230100", true },
	{ ROLE_CITY, 2, "230100", "230200", false },   /* another city */
	{ ROLE_CITY, 2, "230100", "", false },
	{ ROLE_CITY, 2, "230100", "23010", false },
	{ ROLE_CITY, 2, "230100", "2301000", false },
	{ ROLE_CITY, 2, "", "", false },               /* a city user bound to no city */
	{ ROLE_CITY, 2, "", "230100", false },
	{ ROLE_CITY, 0, "230100", "230100", false },   /* id 0 */
	{ ROLE_PROVINCE, 0, "", "230100", false },
	{ ROLE_EXPERT, 3, "", "230100", false },
	{ ROLE_EXPERT, 3, "230100", "230100", false }, /* a stray city code grants nothing */
	{ ROLE_ENTERPRISE, 4, "", "230100", false },
	{ ROLE_ENTERPRISE, 4, "230100", "230100", false },
	{ ROLE_NONE, 5, "230100", "230100", false },
};

START_TEST(see_city)
{
	struct user u;
	make_user(&u, cities[_i].role, cities[_i].id, cities[_i].user_city);
	ck_assert_int_eq(auth_can_see_city(&u, cities[_i].city), cities[_i].see);
}
END_TEST

START_TEST(see_city_missing)
{
	struct user u;
	make_user(&u, ROLE_PROVINCE, 1, "");
	ck_assert(!auth_can_see_city(&u, NULL));
	make_user(&u, ROLE_CITY, 2, "230100");
	ck_assert(!auth_can_see_city(&u, NULL));
	ck_assert(!auth_can_see_city(NULL, "230100"));
}
END_TEST

/* The user; the record's owner and city; the answer. */
static const struct {
	enum role role;
	long long id;
	const char *user_city;
	long long owner;
	const char *city;
	bool see;
} owned[] = {
	{ ROLE_PROVINCE, 1, "", 99, "230100", true },
	{ ROLE_PROVINCE, 1, "", 0, "", true },
	{ ROLE_PROVINCE, 1, "", 99, NULL, true },
	{ ROLE_CITY, 2, "230100", 99, "230100", true },      /* any owner in its city */
	{ ROLE_CITY, 2, "230100", 99, "230200", false },     /* another city */
	{ ROLE_CITY, 2, "230100", 2, "230200", false },      /* even its own id elsewhere */
	{ ROLE_CITY, 2, "230100", 99, NULL, false },
	{ ROLE_CITY, 2, "", 99, "", false },
	{ ROLE_CITY, 0, "230100", 99, "230100", false },
	{ ROLE_EXPERT, 3, "", 3, "230100", true },           /* its own */
	{ ROLE_EXPERT, 3, "", 4, "230100", false },
	{ ROLE_EXPERT, 3, "", 0, "230100", false },
	{ ROLE_SUPERVISOR, 6, "", 6, "230100", false },      /* owns nothing, reads no records */
	{ ROLE_SUPERVISOR, 6, "230100", 99, "230100", false },
	{ ROLE_ENTERPRISE, 4, "", 4, "230100", true },
	{ ROLE_ENTERPRISE, 4, "", 4, NULL, true },
	{ ROLE_ENTERPRISE, 4, "", 5, "230100", false },      /* a neighbour */
	{ ROLE_ENTERPRISE, 4, "230100", 5, "230100", false }, /* same city grants nothing */
	{ ROLE_ENTERPRISE, 4, "", -4, "230100", false },
	{ ROLE_ENTERPRISE, 0, "", 0, "230100", false },      /* id 0 owns nothing */
	{ ROLE_ENTERPRISE, -1, "", -1, "230100", false },
	{ ROLE_PROVINCE, 0, "", 99, "230100", false },
	{ ROLE_NONE, 5, "", 5, "230100", false },
	{ ROLE_NONE, 0, "", 0, NULL, false },
};

START_TEST(see_owned)
{
	struct user u;
	make_user(&u, owned[_i].role, owned[_i].id, owned[_i].user_city);
	ck_assert_int_eq(auth_can_see_owned(&u, owned[_i].owner, owned[_i].city), owned[_i].see);
}
END_TEST

START_TEST(see_owned_no_user)
{
	ck_assert(!auth_can_see_owned(NULL, 1, "230100"));
	ck_assert(!auth_can_see_owned(NULL, 0, NULL));
}
END_TEST

/* Applications: the owner always; after the draft state its city and the
 * province; never an expert through this rule. */
static const struct {
	enum role role;
	long long id;
	const char *user_city;
	long long owner;
	const char *city;
	const char *status;
	bool see, edit;
} applications[] = {
	{ ROLE_ENTERPRISE, 4, "", 4, "230100", "draft", true, true },
	{ ROLE_ENTERPRISE, 4, "", 4, "230100", "submitted", true, true },
	{ ROLE_PROVINCE, 1, "", 4, "230100", "submitted", true, false },
	{ ROLE_CITY, 2, "230100", 4, "230100", "submitted", true, false },
	{ ROLE_ENTERPRISE, 4, "", 5, "230100", "submitted", false, false }, /* a neighbour */
	{ ROLE_ENTERPRISE, 4, "", 5, "230100", "draft", false, false },
	{ ROLE_PROVINCE, 1, "", 4, "230100", "draft", false, false },       /* drafts are private */
	{ ROLE_CITY, 2, "230100", 4, "230100", "draft", false, false },
	{ ROLE_CITY, 2, "230100", 4, "230200", "submitted", false, false }, /* another city */
	{ ROLE_CITY, 2, "", 4, "230100", "submitted", false, false },
	{ ROLE_EXPERT, 3, "", 4, "230100", "submitted", false, false },
	{ ROLE_EXPERT, 3, "", 3, "230100", "submitted", false, false },     /* not through this */
	{ ROLE_SUPERVISOR, 6, "", 4, "230100", "submitted", false, false }, /* draws, not applications */
	{ ROLE_NONE, 5, "", 5, "230100", "submitted", false, false },
	{ ROLE_ENTERPRISE, 0, "", 0, "230100", "draft", false, false },     /* id 0 */
	{ ROLE_PROVINCE, 0, "", 4, "230100", "submitted", false, false },
	{ ROLE_ENTERPRISE, 4, "", 4, "230100", NULL, false, true },         /* no status */
	{ ROLE_PROVINCE, 1, "", 4, "230100", NULL, false, false },
	{ ROLE_ENTERPRISE, 4, "", -4, "230100", "draft", false, false },
};

START_TEST(application_access)
{
	struct user u;
	make_user(&u, applications[_i].role, applications[_i].id, applications[_i].user_city);
	ck_assert_int_eq(auth_can_see_application(&u, applications[_i].owner, applications[_i].city,
						  applications[_i].status),
			 applications[_i].see);
	ck_assert_int_eq(auth_can_edit_application(&u, applications[_i].owner),
			 applications[_i].edit);
}
END_TEST

START_TEST(application_no_user)
{
	ck_assert(!auth_can_see_application(NULL, 4, "230100", "submitted"));
	ck_assert(!auth_can_edit_application(NULL, 4));
}
END_TEST

/* ---- log-in names: one normalisation, then exact ---- */

static const struct {
	const char *typed;
	const char *canonical; /* NULL: not a login */
} logins[] = {
	{ "daqing", "daqing" },
	{ "DAQING", "daqing" },
	{ "DaQing", "daqing" },
	{ "daqing ", "daqing" },
	{ " daqing", "daqing" },
	{ "\t daqing \r\n", "daqing" },
	{ "\vDAQING\f", "daqing" },
	{ "Zhang.San_01-X", "zhang.san_01-x" },
	{ "  abcdefghijabcdefghijabcdefghij12  ", "abcdefghijabcdefghijabcdefghij12" }, /* 32 */
	/* Nothing but ASCII A-Z is mapped. */
	{ "\xef\xbd\x84\xef\xbd\x81\xef\xbd\x91\xef\xbd\x89\xef\xbd\x8e\xef\xbd\x87", NULL }, /* ｄａｑｉｎｇ */
	{ "d\xc3\xa4qing", NULL },                  /* däqing */
	{ "da\xcc\x88qing", NULL },                 /* a + combining diaeresis */
	{ "\xe2\x80\x8b" "daqing", NULL },         /* zero-width space is no blank */
	{ "\xc2\xa0" "daqing", NULL },              /* nor is a no-break space */
	{ "\xe3\x80\x80" "daqing", NULL },         /* nor an ideographic space */
	{ "DA QING", NULL },
	{ "daqing\x01", NULL },
	{ "", NULL },
	{ "   ", NULL },
	{ "ab", NULL },
	{ " ab ", NULL },
	{ "_daqing", NULL },
	{ "abcdefghijabcdefghijabcdefghij123", NULL }, /* 33 */
	{ "daqing;--", NULL },
	{ "\xc4\xb0stanbul", NULL },                /* İ: no Unicode case mapping */
	{ "K\xe2\x84\xaa", NULL },                 /* Kelvin sign */
};

START_TEST(login_canonical)
{
	char out[AUTH_LOGIN_MAX + 1];
	bool ok = auth_login_canonical(logins[_i].typed, out);
	if (logins[_i].canonical) {
		ck_assert_msg(ok, "\"%s\" refused", logins[_i].typed);
		ck_assert_str_eq(out, logins[_i].canonical);
		ck_assert(auth_login_valid(out));
		/* Idempotent: the canonical form is its own canonical form. */
		char again[AUTH_LOGIN_MAX + 1];
		ck_assert(auth_login_canonical(out, again));
		ck_assert_str_eq(again, out);
	} else {
		ck_assert_msg(!ok, "\"%s\" accepted as \"%s\"", logins[_i].typed, out);
		ck_assert_str_eq(out, "");
	}
}
END_TEST

static Suite *auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, role_round_trip, 0, (int)(sizeof roles / sizeof roles[0]));
	tcase_add_loop_test(tc, role_parse_bad, 0,
			    (int)(sizeof role_names_bad / sizeof role_names_bad[0]));
	tcase_add_test(tc, role_parse_null);
	tcase_add_loop_test(tc, role_name_unknown, 0,
			    (int)(sizeof roles_not_single / sizeof roles_not_single[0]));
	tcase_add_loop_test(tc, role_mask, 0, (int)(sizeof masks / sizeof masks[0]));
	tcase_add_test(tc, role_mask_no_user);
	tcase_add_loop_test(tc, see_city, 0, (int)(sizeof cities / sizeof cities[0]));
	tcase_add_test(tc, see_city_missing);
	tcase_add_loop_test(tc, see_owned, 0, (int)(sizeof owned / sizeof owned[0]));
	tcase_add_test(tc, see_owned_no_user);
	tcase_add_loop_test(tc, application_access, 0,
			    (int)(sizeof applications / sizeof applications[0]));
	tcase_add_test(tc, application_no_user);
	tcase_add_loop_test(tc, login_canonical, 0, (int)(sizeof logins / sizeof logins[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(auth_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
