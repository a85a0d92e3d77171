/* Unit tests of the pure parts of src/steps/intake/attachments.c: the kinds and their
 * type policy, the size limit from the configuration and the multipart
 * limits made from it, the size labels, the stored names, libmagic's verdict
 * on real files whatever their name, and struct att_spool (bytes, SHA-256,
 * type, an unlinked temporary file).  No database. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "steps/intake/attachments.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/multipart.h"
#include "core/banned.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- sample files ---- */

static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
			  "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
			  "endobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
			  "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
/* A 1x1 PNG (signature, IHDR, IDAT, IEND). */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
	0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90,
	0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08, 0xd7, 0x63, 0xf8,
	0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d, 0xb0, 0x00, 0x00, 0x00,
	0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
/* The start of a JFIF JPEG. */
static const unsigned char jpeg[] = {
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06,
};
static const char script[] = "#!/bin/sh\necho pwned\n";
static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n";
static const char text[] = "这是一个普通的文本文件，扩展名却是 .pdf。\n";
/* A 1x1 GIF: an image, but not a type any kind accepts. */
static const unsigned char gif[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0,
				     0, 0, 0, 0xff, 0xff, 0xff, 0x21, 0xf9, 4, 1, 0, 0, 0,
				     0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0,
				     0x3b };
static const unsigned char elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				     2, 0, 0x3e, 0, 1, 0, 0, 0 };

static const struct sample {
	const char *what;
	const void *data;
	size_t len;
	const char *mime; /* libmagic's verdict */
} samples[] = {
	{ "pdf", pdf, sizeof pdf - 1, "application/pdf" },
	{ "png", png, sizeof png, "image/png" },
	{ "jpeg", jpeg, sizeof jpeg, "image/jpeg" },
	{ "script", script, sizeof script - 1, "text/x-shellscript" },
	{ "html", html, sizeof html - 1, "text/html" },
	{ "text", text, sizeof text - 1, "text/plain" },
	{ "gif", gif, sizeof gif, "image/gif" },
	{ "elf", elf, sizeof elf, NULL /* some executable type */ },
	{ "empty", "", 0, "application/x-empty" },
};

/* ---- kinds ---- */

static const struct {
	const char *name;
	int kind;
} kind_names[] = {
	{ "experience", ATT_EXPERIENCE },
	{ "commitment", ATT_COMMITMENT },
	{ "supporting", ATT_SUPPORTING },
	/* bad */
	{ NULL, -1 },
	{ "", -1 },
	{ "Experience", -1 },
	{ "experience ", -1 },
	{ "photo", -1 },
	{ "supporting\n", -1 },
	{ "'; DROP TABLE attachment; --", -1 },
};

START_TEST(kind_parse)
{
	ck_assert_int_eq(att_kind_parse(kind_names[_i].name), kind_names[_i].kind);
	if (kind_names[_i].kind >= 0)
		ck_assert_str_eq(att_kind_name((enum att_kind)kind_names[_i].kind), kind_names[_i].name);
}
END_TEST

START_TEST(kind_rules)
{
	ck_assert_int_eq(att_kind_max(ATT_EXPERIENCE), 1);
	ck_assert_int_eq(att_kind_max(ATT_COMMITMENT), 1);
	ck_assert_int_eq(att_kind_max(ATT_SUPPORTING), 10);
	ck_assert(att_kind_replaces(ATT_EXPERIENCE));
	ck_assert(att_kind_replaces(ATT_COMMITMENT));
	ck_assert(!att_kind_replaces(ATT_SUPPORTING));
	ck_assert_str_eq(att_kind_label(ATT_EXPERIENCE), "典型经验材料");
	ck_assert_str_eq(att_kind_label(ATT_COMMITMENT), "承诺书");
	ck_assert_str_eq(att_kind_label(ATT_SUPPORTING), "佐证材料");
	ck_assert_str_eq(att_kind_types(ATT_EXPERIENCE), "PDF");
}
END_TEST

/* ---- the type policy ---- */

static const struct {
	int kind;
	const char *mime;
	bool allowed;
} policy[] = {
	{ ATT_EXPERIENCE, "application/pdf", true },
	{ ATT_COMMITMENT, "application/pdf", true },
	{ ATT_COMMITMENT, "image/jpeg", true },
	{ ATT_COMMITMENT, "image/png", true },
	{ ATT_SUPPORTING, "application/pdf", true },
	{ ATT_SUPPORTING, "image/jpeg", true },
	{ ATT_SUPPORTING, "image/png", true },
	/* bad */
	{ ATT_EXPERIENCE, "image/png", false },
	{ ATT_EXPERIENCE, "image/jpeg", false },
	{ ATT_EXPERIENCE, "text/x-shellscript", false },
	{ ATT_EXPERIENCE, "application/x-empty", false },
	{ ATT_EXPERIENCE, "Application/PDF", false },
	{ ATT_EXPERIENCE, "application/pdf ", false },
	{ ATT_EXPERIENCE, "", false },
	{ ATT_EXPERIENCE, NULL, false },
	{ ATT_COMMITMENT, "image/gif", false },
	{ ATT_COMMITMENT, "text/html", false },
	{ ATT_SUPPORTING, "image/svg+xml", false },
	{ ATT_SUPPORTING, "application/zip", false },
	{ ATT_SUPPORTING, "application/msword", false },
	{ ATT_SUPPORTING, "application/octet-stream", false },
};

START_TEST(type_policy)
{
	ck_assert_int_eq(att_type_allowed((enum att_kind)policy[_i].kind, policy[_i].mime),
			 policy[_i].allowed);
}
END_TEST

START_TEST(type_labels)
{
	char out[160];
	ck_assert_str_eq(att_type_label("application/pdf", out, sizeof out), "PDF 文档");
	ck_assert_str_eq(att_type_label("image/png", out, sizeof out), "PNG 图片");
	ck_assert_str_eq(att_type_label("text/x-shellscript", out, sizeof out), "脚本");
	ck_assert_str_eq(att_type_label("text/x-c", out, sizeof out), "文本文件");
	ck_assert_str_eq(att_type_label("application/x-foo", out, sizeof out),
			 "其他类型（application/x-foo）");
	/* Only token characters of a type reach a message. */
	ck_assert_str_eq(att_type_label("a/<b>\"x\"", out, sizeof out), "其他类型（a/bx）");
	ck_assert_str_eq(att_type_label("", out, sizeof out), "其他类型（未知）");
	ck_assert_str_eq(att_type_label(NULL, out, sizeof out), "其他类型（未知）");
}
END_TEST

/* ---- the real type ---- */

START_TEST(sniff_samples)
{
	const struct sample *s = &samples[_i];
	char mime[101];
	ck_assert_int_eq(att_sniff(s->data, s->len, mime, sizeof mime), 0);
	if (s->mime)
		ck_assert_msg(!strcmp(mime, s->mime), "%s: %s", s->what, mime);
	else
		ck_assert_msg(strstr(mime, "executable") || strstr(mime, "sharedlib"), "%s: %s",
			      s->what, mime);
	/* Whatever the name would have said: only a PDF passes for the document. */
	ck_assert_int_eq(att_type_allowed(ATT_EXPERIENCE, mime), !strcmp(s->what, "pdf"));
}
END_TEST

/* ---- limits ---- */

static const struct {
	const char *value; /* NULL: not set */
	long long want;
} max_bytes[] = {
	{ NULL, 20LL * 1024 * 1024 },
	{ "20971520", 20LL * 1024 * 1024 },
	{ "1048576", 1024 * 1024 },
	{ "1024", 1024 },
	/* bad: clamped or the default */
	{ "0", ATT_MIN_MAX_BYTES },
	{ "-5", ATT_MIN_MAX_BYTES },
	{ "1023", ATT_MIN_MAX_BYTES },
	{ "104857601", ATT_LIMIT_MAX_BYTES },
	{ "99999999999999999999", ATT_DEFAULT_MAX_BYTES },
	{ "20M", ATT_DEFAULT_MAX_BYTES },
	{ "", ATT_DEFAULT_MAX_BYTES },
};

START_TEST(limit_from_config)
{
	struct mp_limits lim;
	config_release();
	if (max_bytes[_i].value)
		config_set("upload_max_bytes", max_bytes[_i].value);
	ck_assert_int_eq(att_max_bytes(), max_bytes[_i].want);
	att_mp_limits(att_max_bytes(), &lim);
	ck_assert_uint_eq(lim.max_file_bytes, (size_t)max_bytes[_i].want);
	ck_assert_uint_gt(lim.max_total_bytes, lim.max_file_bytes);
	/* One file per kind and the form's text fields, nothing more. */
	ck_assert_uint_ge(lim.max_total_bytes, lim.max_file_bytes * ATT_KINDS);
	ck_assert_uint_le(lim.max_total_bytes, lim.max_file_bytes * ATT_KINDS + 1024 * 1024);
	ck_assert_uint_ge(lim.max_parts, 64);
	ck_assert_uint_le(lim.max_parts, 128);
	ck_assert_uint_ge(lim.max_field_bytes, 3000 * 4 * 2);
	ck_assert_uint_ge(lim.max_filename_bytes, ATT_NAME_MAX);
	config_release();
}
END_TEST

static const struct {
	long long bytes;
	const char *label;
} sizes[] = {
	{ 0, "0 字节" },
	{ 1023, "1023 字节" },
	{ 1024, "1 KiB" },
	{ 1536, "2 KiB" },
	{ 1024 * 1024, "1 MiB" },
	{ 1024 * 1024 * 3 / 2, "1.5 MiB" },
	{ 20LL * 1024 * 1024, "20 MiB" },
	{ -1, "0 字节" },
};

START_TEST(size_label)
{
	char out[32];
	ck_assert_str_eq(att_size_label(sizes[_i].bytes, out, sizeof out), sizes[_i].label);
}
END_TEST

/* ---- names ---- */

static const struct {
	const char *in;
	const char *out;
} names[] = {
	{ "典型经验材料.pdf", "典型经验材料.pdf" },
	{ "report 2026.pdf", "report 2026.pdf" },
	/* bad */
	{ "C:\\Users\\张三\\承诺书.pdf", "承诺书.pdf" },
	{ "../../etc/passwd", "passwd" },
	{ "", "file" },
	{ "...", "file" },
	{ "a\x01" "b.pdf", "ab.pdf" },
	{ "x\xe2\x80\xae" "fdp.exe", "xfdp.exe" }, /* right-to-left override */
	{ "con.pdf", NULL },                     /* a device name: changed somehow */
	{ "a<b>:c|d?.pdf", "a_b__c_d_.pdf" },
};

START_TEST(stored_name)
{
	char *got = att_stored_name(names[_i].in);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_gt(strlen(got), 0);
	ck_assert_uint_le(strlen(got), ATT_NAME_MAX);
	if (names[_i].out)
		ck_assert_str_eq(got, names[_i].out);
	else
		ck_assert_str_ne(got, names[_i].in);
	free(got);
}
END_TEST

/* The served name's extension is the verified type's, whatever the uploader
 * called the file (poly.html with PDF bytes is served as poly.pdf). */
static const struct {
	const char *name, *mime, *want;
} download_names[] = {
	{ "poly.html", "application/pdf", "poly.pdf" },
	{ "典型经验.pdf", "application/pdf", "典型经验.pdf" },
	{ "REPORT.PDF", "application/pdf", "REPORT.PDF" },
	{ "report", "application/pdf", "report.pdf" },
	{ "report.", "application/pdf", "report..pdf" },
	{ "a.b.exe", "application/pdf", "a.b.pdf" },
	{ "scan.png", "image/jpeg", "scan.jpg" },
	{ "scan.jpeg", "image/jpeg", "scan.jpeg" },
	{ "scan.JPG", "image/jpeg", "scan.JPG" },
	{ "scan.pdf", "image/png", "scan.png" },
	{ "承诺书.扫描件", "image/png", "承诺书.扫描件.png" }, /* not an ASCII extension: kept */
	{ "x.tar.gz", "application/pdf", "x.tar.pdf" },
	{ "x.verylongext", "application/pdf", "x.verylongext.pdf" },
	{ ".htaccess", "application/pdf", ".htaccess.pdf" },
	{ "", "application/pdf", "file.pdf" },
	{ "notes.txt", "text/plain", "notes.txt" }, /* no type of ours: as it is */
	{ "notes.txt", NULL, "notes.txt" },
};

START_TEST(download_name)
{
	char *got = att_download_name(download_names[_i].name, download_names[_i].mime);
	ck_assert_str_eq(got, download_names[_i].want);
	free(got);
}
END_TEST

START_TEST(stored_name_long)
{
	struct buf b = BUF_INIT;
	char *got;
	for (int i = 0; i < 200; i++)
		buf_adds(&b, "材");
	buf_adds(&b, ".pdf");
	got = att_stored_name(b.data);
	ck_assert_uint_le(strlen(got), ATT_NAME_MAX);
	/* Cut on a character boundary, the extension kept. */
	ck_assert_uint_eq((strlen(got) - 4) % 3, 0);
	ck_assert_str_eq(got + strlen(got) - 4, ".pdf");
	free(got);
	buf_release(&b);
	ck_assert_str_eq((got = att_stored_name(NULL)), "file");
	free(got);
}
END_TEST

/* ---- the spool ---- */

static char tmpdir[] = "/tmp/test_attachments-XXXXXX";

static void spool_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	config_release();
	config_set("upload_tmp_dir", tmpdir);
}

static void spool_teardown(void)
{
	config_release();
	rmdir(tmpdir);
	memcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX", 6);
}

static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Pieces of these sizes, as a parser hands them over. */
static const size_t piece_sizes[] = { 1, 7, 4096, 65536, 65537, 200000 };

START_TEST(spool_pieces)
{
	const struct sample *s = &samples[0]; /* the PDF, padded to 300 000 bytes */
	size_t total = 300000, step = piece_sizes[_i], off = 0;
	unsigned char *data = malloc(total), digest[crypto_hash_sha256_BYTES];
	char hex[65], *back;
	struct att_spool sp;
	ssize_t got;

	ck_assert_ptr_nonnull(data);
	randombytes_buf(data, total);
	memcpy(data, s->data, s->len);
	ck_assert_int_eq(att_spool_begin(&sp), 0);
	/* Unlinked at once: nothing to leave behind. */
	ck_assert_uint_eq(dir_entries(tmpdir), 0);
	while (off < total) {
		size_t n = total - off < step ? total - off : step;
		ck_assert_int_eq(att_spool_write(&sp, data + off, n), 0);
		off += n;
	}
	ck_assert_int_eq(att_spool_end(&sp), 0);
	ck_assert_int_eq(sp.size, (long long)total);
	ck_assert_uint_eq(sp.head_len, ATT_SNIFF_BYTES);
	ck_assert_str_eq(sp.mime, "application/pdf");
	crypto_hash_sha256(digest, data, total);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	ck_assert_str_eq(sp.sha256, hex);
	/* Rewound: the same bytes come back. */
	back = malloc(total + 1);
	ck_assert_ptr_nonnull(back);
	got = read(sp.fd, back, total + 1);
	ck_assert_int_eq(got, (ssize_t)total);
	ck_assert_int_eq(memcmp(back, data, total), 0);
	att_spool_close(&sp);
	att_spool_close(&sp); /* twice is fine */
	ck_assert_int_eq(sp.fd, -1);
	free(back);
	free(data);
}
END_TEST

START_TEST(spool_types)
{
	const struct sample *s = &samples[_i];
	struct att_spool sp;
	ck_assert_int_eq(att_spool_begin(&sp), 0);
	ck_assert_int_eq(att_spool_write(&sp, s->data, s->len), 0);
	ck_assert_int_eq(att_spool_end(&sp), 0);
	if (s->mime)
		ck_assert_str_eq(sp.mime, s->mime);
	ck_assert_int_eq(sp.size, (long long)s->len);
	att_spool_close(&sp);
}
END_TEST

START_TEST(spool_bad_dir)
{
	struct att_spool sp;
	config_set("upload_tmp_dir", "/nonexistent/biaogan-uploads");
	ck_assert_int_eq(att_spool_begin(&sp), -1);
	ck_assert_int_eq(sp.fd, -1);
	att_spool_close(&sp);
	/* A closed spool takes nothing more. */
	ck_assert_int_eq(att_spool_write(&sp, "x", 1), -1);
	ck_assert_int_eq(att_spool_end(&sp), -1);
}
END_TEST

static Suite *attachments_suite(void)
{
	Suite *s = suite_create("attachments");
	TCase *tc = tcase_create("kinds and types");
	tcase_add_loop_test(tc, kind_parse, 0, N(kind_names));
	tcase_add_test(tc, kind_rules);
	tcase_add_loop_test(tc, type_policy, 0, N(policy));
	tcase_add_test(tc, type_labels);
	tcase_add_loop_test(tc, sniff_samples, 0, N(samples));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits and names");
	tcase_add_loop_test(tc, limit_from_config, 0, N(max_bytes));
	tcase_add_loop_test(tc, size_label, 0, N(sizes));
	tcase_add_loop_test(tc, stored_name, 0, N(names));
	tcase_add_test(tc, stored_name_long);
	tcase_add_loop_test(tc, download_name, 0, N(download_names));
	suite_add_tcase(s, tc);

	tc = tcase_create("spool");
	tcase_add_checked_fixture(tc, spool_setup, spool_teardown);
	tcase_add_loop_test(tc, spool_pieces, 0, N(piece_sizes));
	tcase_add_loop_test(tc, spool_types, 0, N(samples));
	tcase_add_test(tc, spool_bad_dir);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;
	if (sodium_init() < 0)
		return 1;
	sr = srunner_create(attachments_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
