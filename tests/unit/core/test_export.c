/* Unit tests for src/core/export.c: a table as CSV (through csv.h) and as a
 * workbook (a ZIP package with the sheet's XML, its temporary file gone). */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/export.h"
#include "core/banned.h"

static const struct export_column cols[] = {
	{ "rank", "排名", 8, EXPORT_INT, false },
	{ "name", "企业名称", 30, EXPORT_TEXT, true },
	{ "profit", "净利润", 12, EXPORT_DECIMAL, false },
	{ "missing", "空列", 6, EXPORT_TEXT, false },
};
#define NCOLS (sizeof cols / sizeof cols[0])

static json_object *rows(void)
{
	return json_tokener_parse("[{\"rank\": 1, \"name\": \"=1+1\", \"profit\": \"-12.50\"},"
				  " {\"rank\": 2, \"name\": \"甲,乙\", \"profit\": null},"
				  " {\"rank\": \"x\", \"name\": 5, \"profit\": \"abc\"}]");
}

START_TEST(csv_table)
{
	struct buf out = BUF_INIT;
	json_object *r = rows();
	export_csv(&out, cols, NCOLS, r);
	ck_assert_str_eq(out.data, "\xEF\xBB\xBF排名,企业名称,净利润,空列\r\n"
				   "1,'=1+1,-12.50,\r\n"
				   "2,\"甲,乙\",,\r\n"
				   "x,5,abc,\r\n");
	json_object_put(r);
	buf_release(&out);
}
END_TEST

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

START_TEST(xlsx_workbook)
{
	char dir[] = "/tmp/bg-export-test-XXXXXX";
	struct buf out = BUF_INIT, err = BUF_INIT;
	json_object *r = rows();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	config_set("upload_tmp_dir", dir);
	buf_adds(&out, "prefix");
	ck_assert_int_eq(export_xlsx(&out, "哈尔滨市推荐名单", cols, NCOLS, r, &err), 0);
	/* Appended: a ZIP archive (an OOXML package). */
	ck_assert_mem_eq(out.data, "prefix", 6);
	ck_assert_mem_eq(out.data + 6, "PK\x03\x04", 4);
	ck_assert(memmem(out.data, out.len, "xl/worksheets/sheet1.xml", 24) != NULL);
	ck_assert_int_eq(count_files(dir), 0); /* the temporary file is gone */
	json_object_put(r);
	buf_release(&out);
	buf_release(&err);
	rmdir(dir);
}
END_TEST

START_TEST(xlsx_refuses_bad_sheet_names)
{
	static const char *const bad[] = { "a[b]", "x:y", "'quoted", "a/b", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二",
					   "" };
	char dir[] = "/tmp/bg-export-test-XXXXXX";
	json_object *r = rows();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	config_set("upload_tmp_dir", dir);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct buf out = BUF_INIT, err = BUF_INIT;
		buf_adds(&out, "kept");
		ck_assert_int_eq(export_xlsx(&out, bad[i], cols, NCOLS, r, &err), -1);
		ck_assert_str_eq(out.data, "kept");
		ck_assert(err.len > 0);
		buf_release(&out);
		buf_release(&err);
	}
	ck_assert_int_eq(count_files(dir), 0);
	json_object_put(r);
	rmdir(dir);
}
END_TEST

START_TEST(xlsx_empty_table)
{
	char dir[] = "/tmp/bg-export-test-XXXXXX";
	struct buf out = BUF_INIT, err = BUF_INIT;
	json_object *r = json_object_new_array();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	config_set("upload_tmp_dir", dir);
	ck_assert_int_eq(export_xlsx(&out, "全省推荐名单", cols, NCOLS, r, &err), 0);
	ck_assert_mem_eq(out.data, "PK\x03\x04", 4);
	ck_assert_int_eq(export_xlsx(&out, "x", cols, 0, r, &err), -1);
	json_object_put(r);
	buf_release(&out);
	buf_release(&err);
	rmdir(dir);
}
END_TEST

static Suite *export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("tables");
	tcase_add_test(tc, csv_table);
	tcase_add_test(tc, xlsx_workbook);
	tcase_add_test(tc, xlsx_refuses_bad_sheet_names);
	tcase_add_test(tc, xlsx_empty_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(export_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	config_release();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
