/* auth: roles, the logged-in user, and every authorisation decision.
 *
 * Pages declare which roles may use them (a mask); objects are checked here
 * too, so "a city user sees only its city" and "an enterprise sees only its
 * own records" are decided in one place.
 */
#ifndef BIAOGAN_AUTH_H
#define BIAOGAN_AUTH_H

#include <stdbool.h>

enum role {
	ROLE_NONE = 0,
	ROLE_PROVINCE = 1,
	ROLE_CITY = 2,
	ROLE_EXPERT = 4,
	ROLE_ENTERPRISE = 8,
	/* 纪检监督 (annex part two): confirms draws with its own password and
	 * reads draw records and the audit log; changes nothing else. */
	ROLE_SUPERVISOR = 16,
};
#define ROLES_ANY (ROLE_PROVINCE | ROLE_CITY | ROLE_EXPERT | ROLE_ENTERPRISE | ROLE_SUPERVISOR)

struct user {
	long long id;
	enum role role;
	char login[33];
	char display_name[257];
	char city_code[7]; /* "" unless role is city */
	char city_name[97];
	bool must_change_password;
};

#define AUTH_LOGIN_MAX 32

/* An account name: 3–32 of a-z 0-9 _ . -, starting with a letter or digit. */
bool auth_login_valid(const char *login);
/* The one normalisation of a typed log-in name: ASCII blanks (space, TAB,
 * CR, LF, VT, FF) around it are dropped and A-Z lowered; nothing else is
 * mapped (no full-width forms, no accents, no case folding beyond ASCII).
 * True with the canonical name in out when that is auth_login_valid; false
 * with out "" otherwise: such a name is simply no login.  Names are then
 * compared exactly (account.login is utf8mb4_bin, sql/011). */
bool auth_login_canonical(const char *typed, char out[AUTH_LOGIN_MAX + 1]);

enum role role_parse(const char *name);  /* ROLE_NONE if unknown */
const char *role_name(enum role r);      /* "province", ... */
const char *role_label(enum role r);     /* "省工信厅", ... */

bool auth_role_allowed(const struct user *u, unsigned mask);
/* May u see records of this city?  Province: all; city: its own; others: no. */
bool auth_can_see_city(const struct user *u, const char *city_code);
/* May u see a record owned by account owner_id in city city_code?
 * Province: all; city: records of its city; enterprise/expert: own only. */
bool auth_can_see_owned(const struct user *u, long long owner_id, const char *city_code);

/* May u see an application (and its uploads)?  The enterprise that owns it
 * (owner_id = its account) always; once it has left the draft state (status
 * anything but "draft"), also its city's bureau and the province, as
 * auth_can_see_owned decides.  Nobody else, experts included (their review
 * access comes with the review step). */
bool auth_can_see_application(const struct user *u, long long owner_id, const char *city_code,
			      const char *status);
/* May u change an application's content, its uploads, or submit it?  Only the
 * owning enterprise; whether the status and the window allow it is
 * src/steps/intake/application.h's rule. */
bool auth_can_edit_application(const struct user *u, long long owner_id);

#endif
