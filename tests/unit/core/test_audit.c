/* Unit tests of the pure part of src/core/audit.c: every action, object kind
 * and role has a Chinese label from the one table (the viewer shows no bare
 * codes), unknown codes come back as they are, and the action filter's
 * choices come from the same table.  No database. */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/banned.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Every action the programs and the operator tool write (grep audit_write,
 * audit_commit, audit_refusal and the modules' finish helpers). */
static const char *const actions[] = {
	"refused.role", "refused.object", "refused.csrf", "refused.upload_type", "refused.locked",
	"refused.limit", "login.ok", "login.fail", "logout", "account.create", "account.lock",
	"account.unlock", "account.disable", "account.enable", "account.password_change",
	"account.password_reset", "enterprise.register", "enterprise.create",
	"uscc.exception_add", "uscc.exception_remove", "round.create", "round.update",
	"round.deadline", "application.create", "application.save", "application.submit",
	"attachment.upload", "attachment.download", "attachment.delete", "calendar.add",
	"calendar.edit", "calendar.remove", "calendar.import",
};

static const char *const objects[] = {
	"account", "enterprise", "uscc", "round", "application", "attachment", "calendar_day",
	"calendar_year", "route",
};

static const char *const roles[] = {
	"province", "city", "expert", "enterprise", "public", "operator",
};

/* Chinese: at least one byte outside ASCII, and no ASCII letter. */
static bool chinese(const char *s)
{
	bool wide = false;
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			wide = true;
		else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return false;
	}
	return wide;
}

START_TEST(action_labels)
{
	const char *l = audit_action_label(actions[_i]);
	ck_assert_msg(chinese(l), "%s: label \"%s\"", actions[_i], l);
}
END_TEST

START_TEST(object_labels)
{
	const char *l = audit_object_label(objects[_i]);
	ck_assert_msg(chinese(l), "%s: label \"%s\"", objects[_i], l);
}
END_TEST

START_TEST(role_labels)
{
	const char *l = audit_role_label(roles[_i]);
	ck_assert_msg(chinese(l), "%s: label \"%s\"", roles[_i], l);
}
END_TEST

START_TEST(labels_distinct)
{
	for (size_t i = 0; i < N(actions); i++)
		for (size_t j = i + 1; j < N(actions); j++)
			ck_assert_msg(strcmp(audit_action_label(actions[i]), audit_action_label(actions[j])),
				      "%s and %s share a label", actions[i], actions[j]);
}
END_TEST

START_TEST(unknown_codes_as_they_are)
{
	ck_assert_str_eq(audit_action_label("future.thing"), "future.thing");
	ck_assert_str_eq(audit_object_label("gadget"), "gadget");
	ck_assert_str_eq(audit_role_label("chair"), "chair");
	ck_assert_str_eq(audit_action_label(NULL), "");
	ck_assert_str_eq(audit_object_label(NULL), "");
	ck_assert_str_eq(audit_role_label(NULL), "");
}
END_TEST

/* Each action appears once among the choices, and the selected one is marked. */
static int count_code(json_object *groups, const char *code, int *selected)
{
	int n = 0;
	for (size_t g = 0; g < json_object_array_length(groups); g++) {
		json_object *grp = json_object_array_get_idx(groups, g), *list, *prefix, *sel;
		if (json_object_object_get_ex(grp, "prefix", &prefix)) {
			json_object *c = NULL;
			json_object_object_get_ex(prefix, "code", &c);
			if (!strcmp(json_object_get_string(c), code)) {
				n++;
				if (json_object_object_get_ex(prefix, "selected", &sel))
					(*selected)++;
			}
		}
		ck_assert(json_object_object_get_ex(grp, "actions", &list));
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			json_object *a = json_object_array_get_idx(list, i), *c = NULL;
			json_object_object_get_ex(a, "code", &c);
			if (!strcmp(json_object_get_string(c), code)) {
				n++;
				if (json_object_object_get_ex(a, "selected", &sel))
					(*selected)++;
			}
		}
	}
	return n;
}

START_TEST(choices_from_the_table)
{
	bool matched = true;
	int selected = 0;
	json_object *groups = audit_action_choices(actions[_i], &matched);
	ck_assert(matched);
	ck_assert_int_eq(count_code(groups, actions[_i], &selected), 1);
	ck_assert_int_eq(selected, 1);
	json_object_put(groups);
}
END_TEST

START_TEST(choices_refused_group)
{
	bool matched = false;
	int selected = 0;
	json_object *groups = audit_action_choices("refused.", &matched);
	ck_assert(matched);
	ck_assert_int_eq(count_code(groups, "refused.", &selected), 1);
	ck_assert_int_eq(selected, 1);
	json_object_put(groups);
	groups = audit_action_choices("login.f", &matched);
	ck_assert(!matched);
	json_object_put(groups);
	groups = audit_action_choices("", &matched);
	ck_assert(!matched);
	json_object_put(groups);
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("labels");
	tcase_add_loop_test(tc, action_labels, 0, N(actions));
	tcase_add_loop_test(tc, object_labels, 0, N(objects));
	tcase_add_loop_test(tc, role_labels, 0, N(roles));
	tcase_add_test(tc, labels_distinct);
	tcase_add_test(tc, unknown_codes_as_they_are);
	tcase_add_loop_test(tc, choices_from_the_table, 0, N(actions));
	tcase_add_test(tc, choices_refused_group);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(audit_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
