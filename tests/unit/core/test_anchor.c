/* Unit tests for src/core/anchor.c: the one line format of an audit anchor
 * (exactly it, nothing near it), and reading and appending the file. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/anchor.h"
#include "core/log.h"
#include "core/banned.h"

#define HASH "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

static const char *const good[] = {
	"2026-12-02T15:04:13Z id=123 hash=" HASH,
	"2026-12-02T15:04:13Z id=0 hash=" ZEROS,
	"1999-01-01T00:00:00Z id=999999999999999999 hash=" HASH,
};

static const char *const bad[] = {
	"",
	"2026-12-02T15:04:13Z",
	"2026-12-02 15:04:13Z id=1 hash=" HASH,        /* not ISO's T */
	"2026-12-02T15:04:13 id=1 hash=" HASH,         /* no Z */
	"2026-1a-02T15:04:13Z id=1 hash=" HASH,
	"2026-12-02T15:04:13Z id= hash=" HASH,         /* no id */
	"2026-12-02T15:04:13Z id=01 hash=" HASH,       /* a leading zero */
	"2026-12-02T15:04:13Z id=-1 hash=" HASH,
	"2026-12-02T15:04:13Z id=1000000000000000000 hash=" HASH, /* 19 digits */
	"2026-12-02T15:04:13Z  id=1 hash=" HASH,       /* two spaces */
	"2026-12-02T15:04:13Z id=1 hash=" HASH " ",    /* trailing blank */
	"2026-12-02T15:04:13Z id=1 hash=" HASH "0",    /* 65 digits */
	"2026-12-02T15:04:13Z id=1 hash=9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
	"2026-12-02T15:04:13Z id=1 hash=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g",
	"2026-12-02T15:04:13Z id=1 sha=" HASH,
	"2026-12-02T15:04:13Z id=1\thash=" HASH,
};

START_TEST(parse_good)
{
	struct audit_anchor a;
	struct buf b = BUF_INIT;
	ck_assert(anchor_parse_line(good[_i], strlen(good[_i]), &a));
	/* Written back it is the same line. */
	anchor_format(&a, &b);
	ck_assert_uint_eq(b.len, strlen(good[_i]) + 1);
	ck_assert(!memcmp(b.data, good[_i], b.len - 1));
	ck_assert_int_eq(b.data[b.len - 1], '\n');
	buf_release(&b);
}
END_TEST

START_TEST(parse_fields)
{
	struct audit_anchor a;
	ck_assert(anchor_parse_line(good[0], strlen(good[0]), &a));
	ck_assert_str_eq(a.at, "2026-12-02T15:04:13Z");
	ck_assert_int_eq(a.id, 123);
	ck_assert_str_eq(a.hash, HASH);
	/* The length given is the line: a shorter one is not read past. */
	ck_assert(!anchor_parse_line(good[0], strlen(good[0]) - 1, &a));
}
END_TEST

START_TEST(parse_bad)
{
	struct audit_anchor a;
	ck_assert(!anchor_parse_line(bad[_i], strlen(bad[_i]), &a));
	ck_assert_int_eq(a.id, 0);
	ck_assert_str_eq(a.hash, "");
}
END_TEST

static char dir[] = "/tmp/test_anchor.XXXXXX";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(read_and_append)
{
	char path[64];
	struct audit_anchor *all = NULL, one;
	size_t n = 99, bad_line = 99;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/anchors", dir);
	/* No file yet: no anchors. */
	ck_assert_int_eq(anchor_read(path, &all, &n, &bad_line), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(all);
	/* Two appended, read back in order; the file is the owner's only. */
	ck_assert(anchor_parse_line(good[1], strlen(good[1]), &one));
	ck_assert_int_eq(anchor_append(path, &one), 0);
	ck_assert(anchor_parse_line(good[0], strlen(good[0]), &one));
	ck_assert_int_eq(anchor_append(path, &one), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(anchor_read(path, &all, &n, &bad_line), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(all[0].id, 0);
	ck_assert_int_eq(all[1].id, 123);
	free(all);
	/* A line edited by hand: refused, with its number. */
	write_file(path, "2026-12-02T15:04:13Z id=1 hash=" HASH "\nnot an anchor\n");
	ck_assert_int_eq(anchor_read(path, &all, &n, &bad_line), -1);
	ck_assert_uint_eq(bad_line, 2);
	ck_assert_ptr_null(all);
	ck_assert_uint_eq(n, 0);
	/* An over-long line is refused before it is parsed. */
	char longer[400];
	memset(longer, 'x', sizeof longer - 2);
	longer[sizeof longer - 2] = '\n';
	longer[sizeof longer - 1] = '\0';
	write_file(path, longer);
	ck_assert_int_eq(anchor_read(path, &all, &n, &bad_line), -1);
	ck_assert_uint_eq(bad_line, 1);
	/* Never through a symlink (someone pointing the file elsewhere). */
	char link[80];
	snprintf(link, sizeof link, "%s/link", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(anchor_append(link, &one), -1);
	unlink(link);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *anchor_suite(void)
{
	Suite *s = suite_create("anchor");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, parse_good, 0, (int)(sizeof good / sizeof good[0]));
	tcase_add_test(tc, parse_fields);
	tcase_add_loop_test(tc, parse_bad, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, read_and_append);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(anchor_suite());
	int failed;
	log_init("test_anchor");
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
