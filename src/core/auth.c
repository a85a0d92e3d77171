#include "core/auth.h"

#include <string.h>

#include "core/banned.h"

static const struct {
	enum role role;
	const char *name;
	const char *label;
} roles[] = {
	{ ROLE_PROVINCE, "province", "省工信厅" },
	{ ROLE_CITY, "city", "市（地）工信局" },
	{ ROLE_EXPERT, "expert", "评审专家" },
	{ ROLE_ENTERPRISE, "enterprise", "申报企业" },
	{ ROLE_SUPERVISOR, "supervisor", "纪检监督" },
};

enum role role_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof roles / sizeof roles[0]; i++)
		if (!strcmp(name, roles[i].name))
			return roles[i].role;
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == r)
			return roles[i].name;
	return "public";
}

const char *role_label(enum role r)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == r)
			return roles[i].label;
	return "公众";
}

bool auth_role_allowed(const struct user *u, unsigned mask)
{
	return u && u->id > 0 && (mask & (unsigned)u->role);
}

bool auth_can_see_city(const struct user *u, const char *city_code)
{
	if (!u || u->id <= 0 || !city_code)
		return false;
	if (u->role == ROLE_PROVINCE)
		return true;
	return u->role == ROLE_CITY && u->city_code[0] && !strcmp(u->city_code, city_code);
}

bool auth_can_see_owned(const struct user *u, long long owner_id, const char *city_code)
{
	if (!u || u->id <= 0)
		return false;
	switch (u->role) {
	case ROLE_PROVINCE:
		return true;
	case ROLE_CITY:
		return auth_can_see_city(u, city_code);
	case ROLE_EXPERT:
	case ROLE_ENTERPRISE:
		return owner_id > 0 && owner_id == u->id;
	case ROLE_SUPERVISOR:
	case ROLE_NONE:
		return false;
	}
	return false;
}

bool auth_can_see_application(const struct user *u, long long owner_id, const char *city_code,
			      const char *status)
{
	if (!u || u->id <= 0 || !status)
		return false;
	if (u->role == ROLE_ENTERPRISE)
		return owner_id > 0 && owner_id == u->id;
	if (u->role == ROLE_EXPERT || u->role == ROLE_SUPERVISOR || !strcmp(status, "draft"))
		return false;
	return auth_can_see_owned(u, owner_id, city_code);
}

bool auth_can_edit_application(const struct user *u, long long owner_id)
{
	return u && u->id > 0 && u->role == ROLE_ENTERPRISE && owner_id > 0 && owner_id == u->id;
}

bool auth_login_valid(const char *login)
{
	size_t n = strlen(login);
	if (n < 3 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

static bool is_ascii_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool auth_login_canonical(const char *typed, char out[AUTH_LOGIN_MAX + 1])
{
	size_t start = 0, end = strlen(typed);
	out[0] = '\0';
	while (start < end && is_ascii_blank(typed[start]))
		start++;
	while (end > start && is_ascii_blank(typed[end - 1]))
		end--;
	if (end - start > AUTH_LOGIN_MAX)
		return false;
	for (size_t i = start; i < end; i++) {
		char c = typed[i];
		out[i - start] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[end - start] = '\0';
	if (!auth_login_valid(out)) {
		out[0] = '\0';
		return false;
	}
	return true;
}
