/* Unit tests for src/core/zipw.c: an archive of a Chinese-named HTML page
 * and of files given by descriptor, read back with libzip (names, contents,
 * sizes) and by hand (the language encoding flag, bit 11, in the central
 * directory and the local headers; deflate for text, store for a PDF); the
 * names refused; a failure while writing; the temporary file private while
 * the archive is open and gone after finish, failure and discard. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/zipw.h"
#include "core/banned.h"

static const char page_name[] = "企业A/申报书.html";
static const char page[] = "<!doctype html><meta charset=\"utf-8\"><title>申报书</title>"
			   "<h1>哈尔滨示范企业有限公司</h1><p>质量标杆申报书</p>"
			   "<p>质量标杆申报书</p><p>质量标杆申报书</p>";
static const char pdf_name[] = "企业A/附件/营业执照.pdf";
static const char pdf[] = "%PDF-1.4\n% a stand-in for an attachment\n%%EOF\n";

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/bg-zipw-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	config_set("upload_tmp_dir", dir);
}

static void teardown(void)
{
	rmdir(dir);
	config_release();
}

/* The files in dir, and the name of the last one seen in *one. */
static int count_files(struct buf *one)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		if (one) {
			buf_reset(one);
			buf_addf(one, "%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	return n;
}

/* How many descriptors the process has open: the duplicates zipw makes
 * must all be closed by finish and discard. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* A file outside dir holding text, its offset left at the end as a writer
 * leaves it.  Unlinked at once: only the descriptor names it. */
static int file_with(const char *text)
{
	char path[] = "/tmp/bg-zipw-file-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	return fd;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Walks the central directory from the End of Central Directory record (no
 * archive comment: it is the last 22 bytes) to the entry named name; gives
 * its general purpose flags, its method and its local header's flags. */
static bool entry_flags(const struct buf *zip, const char *name, unsigned *cd_flags,
			unsigned *method, unsigned *local_flags)
{
	const unsigned char *b = (const unsigned char *)zip->data;
	const unsigned char *eocd;
	size_t nlen = strlen(name), off;
	unsigned count;
	ck_assert_uint_ge(zip->len, 22);
	eocd = b + zip->len - 22;
	ck_assert_uint_eq(le32(eocd), 0x06054b50);
	count = le16(eocd + 10);
	off = le32(eocd + 16);
	for (unsigned i = 0; i < count; i++) {
		const unsigned char *h = b + off;
		unsigned n, x, c;
		ck_assert_uint_le(off + 46, zip->len);
		ck_assert_uint_eq(le32(h), 0x02014b50);
		n = le16(h + 28);
		x = le16(h + 30);
		c = le16(h + 32);
		if (n == nlen && !memcmp(h + 46, name, nlen)) {
			const unsigned char *l = b + le32(h + 42);
			ck_assert_uint_eq(le32(l), 0x04034b50);
			*cd_flags = le16(h + 8);
			*method = le16(h + 10);
			*local_flags = le16(l + 6);
			return true;
		}
		off += 46 + n + x + c;
	}
	return false;
}

/* The archive in zip opened with libzip, consistency checked. */
static zip_t *reopen(const struct buf *zip)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_error_init(&ze);
	src = zip_source_buffer_create(zip->data, zip->len, 0, &ze);
	ck_assert_ptr_nonnull(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!za)
		ck_abort_msg("zip_open_from_source: %s", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return za;
}

/* The content of entry name, which must be want. */
static void check_entry(zip_t *za, const char *name, const char *want)
{
	size_t len = strlen(want);
	char *got = xmalloc(len + 1);
	zip_stat_t st;
	zip_file_t *f;
	/* ZIP_FL_ENC_STRICT reads the name as the specification says: as
	 * UTF-8 only with bit 11, else as CP437 (mojibake for Chinese). */
	zip_int64_t i = zip_name_locate(za, name, ZIP_FL_ENC_STRICT);
	if (i < 0)
		ck_abort_msg("no entry %s", name);
	ck_assert_str_eq(zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_STRICT), name);
	ck_assert_int_eq(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
	ck_assert_uint_eq(st.size, len);
	f = zip_fopen_index(za, (zip_uint64_t)i, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(zip_fread(f, got, len + 1), (zip_int64_t)len);
	ck_assert_mem_eq(got, want, len);
	zip_fclose(f);
	free(got);
}

START_TEST(archive_of_buffer_and_files)
{
	struct zipw z = ZIPW_INIT;
	struct buf out = BUF_INIT, err = BUF_INIT, tmp = BUF_INIT;
	struct stat st;
	unsigned cdf, method, lf;
	int fd = file_with(pdf), fd2 = file_with("第二个文件\n");
	int fds = count_fds();
	zip_t *za;

	ck_assert_int_eq(zipw_open(&z, &err), 0);
	/* While open, the archive is one private file in upload_tmp_dir. */
	ck_assert_int_eq(count_files(&tmp), 1);
	ck_assert_int_eq(stat(tmp.data, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);

	ck_assert_int_eq(zipw_add_buffer(&z, page_name, page, strlen(page)), 0);
	ck_assert_int_eq(zipw_add_file(&z, pdf_name, fd), 0);
	/* The same descriptor again, and a descriptor closed at once: each entry
	 * reads its own duplicate from offset 0, whatever the caller's offset. */
	ck_assert_int_eq(zipw_add_file(&z, "企业A/附件/营业执照-副本.pdf", fd), 0);
	ck_assert_int_eq(zipw_add_file(&z, "说明.txt", fd2), 0);
	ck_assert_int_eq(close(fd2), 0);
	ck_assert_int_eq(zipw_add_buffer(&z, "empty.txt", NULL, 0), 0);
	ck_assert_int_eq(zipw_add_buffer(&z, "报告..终稿.html", "x", 1), 0); /* ".." inside a part */

	buf_adds(&out, "prefix");
	ck_assert_int_eq(zipw_finish(&z, &out, &err), 0);
	ck_assert_str_eq(err.data, "");
	ck_assert_int_eq(count_files(NULL), 0); /* the temporary file is gone */
	ck_assert_int_eq(count_fds(), fds - 1);  /* the duplicates closed (and fd2) */
	ck_assert_mem_eq(out.data, "prefix", 6);
	ck_assert_mem_eq(out.data + 6, "PK\x03\x04", 4);
	/* fd is still the caller's, its offset where the caller left it. */
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), (off_t)strlen(pdf));
	ck_assert_int_eq(close(fd), 0);

	{
		struct buf zip = BUF_INIT;
		buf_add(&zip, out.data + 6, out.len - 6);
		za = reopen(&zip);
		ck_assert_int_eq(zip_get_num_entries(za, 0), 6);
		check_entry(za, page_name, page);
		check_entry(za, pdf_name, pdf);
		check_entry(za, "企业A/附件/营业执照-副本.pdf", pdf);
		check_entry(za, "说明.txt", "第二个文件\n");
		check_entry(za, "empty.txt", "");
		check_entry(za, "报告..终稿.html", "x");
		zip_discard(za);

		/* Bit 11 in both headers of every non-ASCII name, as Windows
		 * Explorer reads them; text deflated, the PDF stored. */
		ck_assert(entry_flags(&zip, page_name, &cdf, &method, &lf));
		ck_assert_uint_eq(cdf & 0x800, 0x800);
		ck_assert_uint_eq(lf & 0x800, 0x800);
		ck_assert_uint_eq(method, ZIP_CM_DEFLATE);
		ck_assert(entry_flags(&zip, pdf_name, &cdf, &method, &lf));
		ck_assert_uint_eq(cdf & 0x800, 0x800);
		ck_assert_uint_eq(lf & 0x800, 0x800);
		ck_assert_uint_eq(method, ZIP_CM_STORE);
		ck_assert(entry_flags(&zip, "说明.txt", &cdf, &method, &lf));
		ck_assert_uint_eq(cdf & 0x800, 0x800);
		ck_assert_uint_eq(method, ZIP_CM_DEFLATE);
		buf_release(&zip);
	}
	zipw_discard(&z); /* safe after finish, and twice */
	zipw_discard(&z);
	buf_release(&out);
	buf_release(&err);
	buf_release(&tmp);
}
END_TEST

START_TEST(refuses_bad_names)
{
	static const char *const bad[] = {
		"", "/etc/passwd", "../evil.html", "企业A/../../evil", "a/..", "./a", "a/./b",
		"a//b", "企业A/", "a\\b.html", "..\\evil", "C:evil", "a\x01" "b", "a\tb", "a\nb",
		"a\x7f", "\xE4\xBC", "\xC0\xAF", "abc\xE2\x80\xAE" "lmth.exe", /* U+202E */
	};
	struct zipw z = ZIPW_INIT;
	struct buf out = BUF_INIT, err = BUF_INIT;
	char longname[ZIPW_NAME_MAX + 2];
	int fd = file_with("x");
	zip_t *za;

	ck_assert_int_eq(zipw_open(&z, &err), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		ck_assert_msg(zipw_add_buffer(&z, bad[i], "x", 1) == -1, "accepted %zu", i);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_str_ne(zipw_error(&z), "");
		ck_assert_int_eq(zipw_add_file(&z, bad[i], fd), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_int_eq(zipw_add_buffer(&z, NULL, "x", 1), -1);
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(zipw_add_buffer(&z, longname, "x", 1), -1);
	longname[ZIPW_NAME_MAX] = '\0'; /* the limit itself */
	ck_assert_int_eq(zipw_add_buffer(&z, longname, "x", 1), 0);

	/* A name used twice; what is not a readable regular file. */
	ck_assert_int_eq(zipw_add_buffer(&z, "企业A/申报书.html", "1", 1), 0);
	errno = 0;
	ck_assert_int_eq(zipw_add_buffer(&z, "企业A/申报书.html", "2", 1), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(zipw_add_file(&z, "企业A/申报书.html", fd), -1);
	ck_assert_int_eq(errno, EEXIST);
	{
		int p[2], wo;
		char path[] = "/tmp/bg-zipw-wo-XXXXXX";
		ck_assert_int_eq(pipe(p), 0);
		ck_assert_int_eq(zipw_add_file(&z, "pipe.txt", p[0]), -1);
		ck_assert_int_eq(errno, EBADF);
		close(p[0]);
		close(p[1]);
		ck_assert_int_eq(zipw_add_file(&z, "closed.txt", p[0]), -1);
		ck_assert_int_eq(errno, EBADF);
		wo = mkstemp(path);
		ck_assert_int_ge(wo, 0);
		close(wo);
		wo = open(path, O_WRONLY);
		ck_assert_int_ge(wo, 0);
		unlink(path);
		ck_assert_int_eq(zipw_add_file(&z, "write-only.txt", wo), -1);
		ck_assert_int_eq(errno, EBADF);
		close(wo);
	}

	/* The refusals left the archive as it was. */
	ck_assert_int_eq(zipw_finish(&z, &out, &err), 0);
	za = reopen(&out);
	ck_assert_int_eq(zip_get_num_entries(za, 0), 2);
	check_entry(za, "企业A/申报书.html", "1");
	zip_discard(za);
	ck_assert_int_eq(count_files(NULL), 0);
	close(fd);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(discard_removes_the_file)
{
	struct zipw z = ZIPW_INIT, never = ZIPW_INIT;
	struct buf err = BUF_INIT;
	int fd = file_with("abc"), fds = count_fds();
	zipw_discard(&never); /* before any open */
	ck_assert_int_eq(zipw_open(&z, &err), 0);
	ck_assert_int_eq(count_files(NULL), 1);
	ck_assert_int_eq(zipw_add_buffer(&z, "企业A/申报书.html", page, strlen(page)), 0);
	ck_assert_int_eq(zipw_add_file(&z, "a.pdf", fd), 0);
	zipw_discard(&z);
	ck_assert_int_eq(count_files(NULL), 0);
	ck_assert_int_eq(count_fds(), fds);
	zipw_discard(&z);
	/* Adding to or finishing a discarded archive is refused. */
	ck_assert_int_eq(zipw_add_buffer(&z, "x.txt", "x", 1), -1);
	{
		struct buf out = BUF_INIT;
		ck_assert_int_eq(zipw_finish(&z, &out, &err), -1);
		ck_assert_uint_eq(out.len, 0);
	}
	close(fd);
	buf_release(&err);
}
END_TEST

/* A file that shrank between add and finish: zipw_finish fails, out as it
 * was, and no file is left behind (neither ours nor libzip's own). */
START_TEST(finish_failure_cleans_up)
{
	struct zipw z = ZIPW_INIT;
	struct buf out = BUF_INIT, err = BUF_INIT;
	int fd = file_with("a file that will be cut short before the archive is written");
	ck_assert_int_eq(zipw_open(&z, &err), 0);
	ck_assert_int_eq(zipw_add_buffer(&z, "a.html", page, strlen(page)), 0);
	ck_assert_int_eq(zipw_add_file(&z, "b.txt", fd), 0);
	ck_assert_int_eq(ftruncate(fd, 5), 0);
	buf_adds(&out, "kept");
	ck_assert_int_eq(zipw_finish(&z, &out, &err), -1);
	ck_assert_str_eq(out.data, "kept");
	ck_assert(err.len > 0);
	ck_assert_int_eq(count_files(NULL), 0);
	zipw_discard(&z);
	close(fd);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(empty_archive)
{
	struct zipw z = ZIPW_INIT;
	struct buf out = BUF_INIT, err = BUF_INIT;
	zip_t *za;
	ck_assert_int_eq(zipw_open(&z, &err), 0);
	ck_assert_int_eq(zipw_finish(&z, &out, &err), 0);
	ck_assert_uint_eq(out.len, 22);
	ck_assert_mem_eq(out.data, "PK\x05\x06", 4);
	za = reopen(&out);
	ck_assert_int_eq(zip_get_num_entries(za, 0), 0);
	zip_discard(za);
	ck_assert_int_eq(count_files(NULL), 0);
	buf_release(&out);
	buf_release(&err);
}
END_TEST

START_TEST(open_fails_without_tmp_dir)
{
	struct zipw z = ZIPW_INIT;
	struct buf err = BUF_INIT;
	config_set("upload_tmp_dir", "/nonexistent/bg-zipw");
	ck_assert_int_eq(zipw_open(&z, &err), -1);
	ck_assert(strstr(err.data, "mkstemp") != NULL);
	zipw_discard(&z);
	buf_release(&err);
}
END_TEST

static Suite *zipw_suite(void)
{
	Suite *s = suite_create("zipw");
	TCase *tc = tcase_create("archives");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, archive_of_buffer_and_files);
	tcase_add_test(tc, refuses_bad_names);
	tcase_add_test(tc, discard_removes_the_file);
	tcase_add_test(tc, finish_failure_cleans_up);
	tcase_add_test(tc, empty_archive);
	tcase_add_test(tc, open_fails_without_tmp_dir);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(zipw_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
