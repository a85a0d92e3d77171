/* Unit tests of config: the file format (good files, comments, lines
 * without '=', duplicate and empty keys, NUL bytes), the BIAOGAN_CONF
 * override, and the checked int/bool conversions with bad values. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/banned.h"

static char tmpdir[256];
static char conf_path[300];

static void setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/test_config.XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(conf_path, sizeof conf_path, "%s/biaogan.conf", tmpdir);
	unsetenv("BIAOGAN_CONF");
	config_release();
}

static void teardown(void)
{
	config_release();
	unlink(conf_path);
	rmdir(tmpdir);
}

static void write_file(const char *text, size_t len)
{
	FILE *f = fopen(conf_path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

#define B(s) s, sizeof(s) - 1

/* A file and one key it must define, with the value it must have. */
static const struct {
	const char *text;
	size_t len;
	const char *key;
	const char *value;
} good[] = {
	{ B("db_name = biaogan\n"), "db_name", "biaogan" },
	{ B("a=1"), "a", "1" }, /* no final newline */
	{ B("  key  =  spaced value  \n"), "key", "spaced value" },
	{ B("\tkey\t=\tv\t\n"), "key", "v" },
	{ B("# a comment\nk = v\n"), "k", "v" },
	{ B("   # an indented comment = not a key\nk = v\n"), "k", "v" },
	{ B("k = v # not a comment\n"), "k", "v # not a comment" },
	{ B("k = a=b\n"), "k", "a=b" }, /* the first '=' splits */
	{ B("\n\n   \n\tk=v\r\n"), "k", "v" }, /* blank lines, CRLF */
	{ B("k =\n"), "k", "" },
	{ B("k = 中文值\n"), "k", "中文值" },
	{ B("x = 1\ny = 2\nk = third\n"), "k", "third" },
	{ B("db_password = p@ss#w=rd\n"), "db_password", "p@ss#w=rd" },
};

START_TEST(good_file)
{
	struct buf err = BUF_INIT;
	write_file(good[_i].text, good[_i].len);
	ck_assert_int_eq(config_load(conf_path, &err), 0);
	ck_assert_str_eq(err.data, "");
	ck_assert_pstr_eq(config_str(good[_i].key, NULL), good[_i].value);
	ck_assert_pstr_eq(config_str("no_such_key", NULL), NULL);
	buf_release(&err);
}
END_TEST

/* A broken file: refused with the line number and reason, and nothing of
 * it (not even the good lines before the bad one) is kept. */
static const struct {
	const char *text;
	size_t len;
	const char *message;
} bad[] = {
	{ B("no_equals_here\n"), ":1: expected key = value" },
	{ B("ok = 1\nbroken line\n"), ":2: expected key = value" },
	{ B("ok = 1\n[section]\n"), ":2: expected key = value" },
	{ B("a = 1\na = 2\n"), ":2: duplicate key a" },
	{ B("a = 1\n  a   =   1\n"), ":2: duplicate key a" },
	{ B(" = value\n"), ":1: empty key" },
	{ B("ok = 1\n=\n"), ":2: empty key" },
	{ B("ok = 1\nk = a\0b\n"), ":2: NUL byte" },
	{ B("\0\n"), ":1: NUL byte" },
	{ B("ok = 1\n# c\n\nlast"), ":4: expected key = value" },
};

START_TEST(bad_file)
{
	struct buf err = BUF_INIT;
	write_file(bad[_i].text, bad[_i].len);
	config_set("from_before", "x");
	ck_assert_int_eq(config_load(conf_path, &err), -1);
	ck_assert_msg(strstr(err.data, bad[_i].message), "message \"%s\"", err.data);
	ck_assert_msg(strstr(err.data, conf_path), "no path in \"%s\"", err.data);
	ck_assert_pstr_eq(config_str("ok", NULL), NULL);
	ck_assert_pstr_eq(config_str("a", NULL), NULL);
	ck_assert_pstr_eq(config_str("from_before", NULL), NULL);
	buf_release(&err);
}
END_TEST

START_TEST(missing_file)
{
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(conf_path, &err), -1); /* never written */
	ck_assert_ptr_nonnull(strstr(err.data, conf_path));
	ck_assert_ptr_nonnull(strstr(err.data, "No such file"));
	buf_release(&err);
}
END_TEST

START_TEST(directory_is_not_a_file)
{
	struct buf err = BUF_INIT;
	ck_assert_int_eq(config_load(tmpdir, &err), -1);
	ck_assert_str_ne(err.data, "");
	buf_release(&err);
}
END_TEST

START_TEST(env_override)
{
	struct buf err = BUF_INIT;
	write_file(B("db_name = from_env\n"));
	ck_assert_int_eq(setenv("BIAOGAN_CONF", conf_path, 1), 0);
	ck_assert_int_eq(config_load(NULL, &err), 0);
	ck_assert_str_eq(config_str("db_name", ""), "from_env");
	buf_release(&err);
}
END_TEST

START_TEST(env_pointing_nowhere)
{
	struct buf err = BUF_INIT;
	char missing[400];
	snprintf(missing, sizeof missing, "%s/absent.conf", tmpdir);
	ck_assert_int_eq(setenv("BIAOGAN_CONF", missing, 1), 0);
	ck_assert_int_eq(config_load(NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, missing));
	buf_release(&err);
}
END_TEST

START_TEST(explicit_path_beats_env)
{
	struct buf err = BUF_INIT;
	write_file(B("k = explicit\n"));
	ck_assert_int_eq(setenv("BIAOGAN_CONF", "/nonexistent/biaogan.conf", 1), 0);
	ck_assert_int_eq(config_load(conf_path, &err), 0);
	ck_assert_str_eq(config_str("k", ""), "explicit");
	buf_release(&err);
}
END_TEST

START_TEST(empty_env_uses_default)
{
	struct buf err = BUF_INIT;
	int rc;
	ck_assert_int_eq(setenv("BIAOGAN_CONF", "", 1), 0);
	rc = config_load(NULL, &err);
	/* The system file may or may not exist here; either way it was the one tried. */
	if (access(BIAOGAN_SYSCONF_PATH, R_OK) != 0) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_nonnull(strstr(err.data, BIAOGAN_SYSCONF_PATH));
	}
	buf_release(&err);
}
END_TEST

START_TEST(set_and_release)
{
	config_set("k", "1");
	config_set("k", "2"); /* replaces */
	ck_assert_str_eq(config_str("k", ""), "2");
	ck_assert_str_eq(config_str("other", "dflt"), "dflt");
	config_release();
	ck_assert_str_eq(config_str("k", "gone"), "gone");
	config_release(); /* twice is harmless */
}
END_TEST

START_TEST(load_replaces_earlier_values)
{
	struct buf err = BUF_INIT;
	config_set("stale", "1");
	write_file(B("fresh = 2\n"));
	ck_assert_int_eq(config_load(conf_path, &err), 0);
	ck_assert_pstr_eq(config_str("stale", NULL), NULL);
	ck_assert_str_eq(config_str("fresh", ""), "2");
	buf_release(&err);
}
END_TEST

static const struct {
	const char *value;
	long long want;
} ints_good[] = {
	{ "42", 42 },
	{ "0", 0 },
	{ "-7", -7 },
	{ "1048576", 1048576 },
	{ "9223372036854775807", 9223372036854775807LL },
	{ "-9223372036854775808", -9223372036854775807LL - 1 },
};

static const char *const ints_bad[] = {
	"",     "abc",  "12abc", "1.5", "0x10", "1e3", "--1", "12 ",
	"99999999999999999999", "-99999999999999999999", "１２", "1 000", "one",
};

START_TEST(int_good)
{
	config_set("n", ints_good[_i].value);
	ck_assert_int_eq(config_int("n", -1), ints_good[_i].want);
}
END_TEST

START_TEST(int_bad)
{
	/* A malformed value gives the default, whatever the default is. */
	config_set("n", ints_bad[_i]);
	ck_assert_int_eq(config_int("n", 17), 17);
	ck_assert_int_eq(config_int("n", -3), -3);
}
END_TEST

START_TEST(int_missing)
{
	ck_assert_int_eq(config_int("absent", 1800), 1800);
}
END_TEST

static const struct {
	const char *value;
	bool want;
} bools_good[] = {
	{ "true", true }, { "yes", true }, { "1", true }, { "on", true },
	{ "false", false }, { "no", false }, { "0", false }, { "off", false },
	{ "TRUE", true }, { "Yes", true }, { "On", true }, { "False", false }, { "NO", false },
};

static const char *const bools_bad[] = {
	"", "tru", "truee", "2", "-1", "yes please", "enable", "nope", "t", "f", "是",
};

START_TEST(bool_good)
{
	config_set("b", bools_good[_i].value);
	ck_assert_int_eq(config_bool("b", !bools_good[_i].want), bools_good[_i].want);
}
END_TEST

START_TEST(bool_bad)
{
	config_set("b", bools_bad[_i]);
	ck_assert(config_bool("b", true));
	ck_assert(!config_bool("b", false));
}
END_TEST

START_TEST(bool_missing)
{
	ck_assert(config_bool("absent", true));
	ck_assert(!config_bool("absent", false));
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, good_file, 0, (int)(sizeof good / sizeof good[0]));
	tcase_add_loop_test(tc, bad_file, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, directory_is_not_a_file);
	tcase_add_test(tc, env_override);
	tcase_add_test(tc, env_pointing_nowhere);
	tcase_add_test(tc, explicit_path_beats_env);
	tcase_add_test(tc, empty_env_uses_default);
	tcase_add_test(tc, set_and_release);
	tcase_add_test(tc, load_replaces_earlier_values);
	tcase_add_loop_test(tc, int_good, 0, (int)(sizeof ints_good / sizeof ints_good[0]));
	tcase_add_loop_test(tc, int_bad, 0, (int)(sizeof ints_bad / sizeof ints_bad[0]));
	tcase_add_test(tc, int_missing);
	tcase_add_loop_test(tc, bool_good, 0, (int)(sizeof bools_good / sizeof bools_good[0]));
	tcase_add_loop_test(tc, bool_bad, 0, (int)(sizeof bools_bad / sizeof bools_bad[0]));
	tcase_add_test(tc, bool_missing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
