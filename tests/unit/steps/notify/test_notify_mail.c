/* Unit tests of notify_mail: which addresses may be used, the message's
 * form (subject in encoded words cut between characters, body in base64,
 * no header from the text) and the hand-over to a sendmail program (a
 * script that records its arguments and input; one that fails; one that
 * cannot be run). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/buf.h"
#include "steps/notify/notify_mail.h"
#include "core/banned.h"

START_TEST(addresses)
{
	ck_assert(mail_address_ok("zhang.san@example.gov.cn"));
	ck_assert(mail_address_ok("a+b@x.cn"));
	ck_assert(!mail_address_ok(NULL));
	ck_assert(!mail_address_ok(""));
	ck_assert(!mail_address_ok("no-at-sign"));
	ck_assert(!mail_address_ok("@x.cn"));
	ck_assert(!mail_address_ok("a@"));
	ck_assert(!mail_address_ok("a@b@c.cn"));
	ck_assert(!mail_address_ok("-oQ/tmp@x.cn")); /* read as an option by sendmail */
	ck_assert(!mail_address_ok("a@x.cn\nBcc: b@y.cn"));
	ck_assert(!mail_address_ok("a@x.cn, b@y.cn"));
	ck_assert(!mail_address_ok("Zhang <a@x.cn>"));
	ck_assert(!mail_address_ok("张三@x.cn"));
}
END_TEST

/* The decoded text of every "=?UTF-8?B?...?=" word of the Subject header. */
static void decode_subject(const char *msg, struct buf *out)
{
	const char *p = strstr(msg, "Subject:");
	const char *end = strstr(p, "\nDate:");
	ck_assert_ptr_nonnull(p);
	while ((p = strstr(p, "=?UTF-8?B?")) && p < end) {
		const char *q = strstr(p + 10, "?=");
		unsigned char bin[64];
		size_t n = 0;
		ck_assert_int_le((int)(q + 2 - p), 75); /* RFC 2047: a word is at most 75 */
		ck_assert_int_eq(sodium_base642bin(bin, sizeof bin, p + 10, (size_t)(q - p - 10), NULL,
						   &n, NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		ck_assert_msg((bin[0] & 0xc0) != 0x80, "a word starts inside a character");
		buf_add(out, bin, n);
		p = q + 2;
	}
}

START_TEST(compose)
{
	const char *subject = "您的申报书《黑龙江某某装备制造有限公司全面质量管理与数字化质量管控的典型经验》被退回修改";
	const char *body = "您的申报书被退回修改。\n\n请登录查看：https://example.gov.cn/apply/view?id=7\n";
	struct mail_msg m = { "noreply@gxt.example.cn", "qiye@example.com", subject, body,
			      "<notice-7@gxt.example.cn>", 1795392000 };
	struct buf msg = BUF_INIT, got = BUF_INIT, text = BUF_INIT;
	unsigned char bin[512];
	size_t n = 0;
	ck_assert_int_eq(mail_compose(&m, &msg), 0);
	ck_assert_ptr_nonnull(strstr(msg.data, "From: noreply@gxt.example.cn\nTo: qiye@example.com\n"));
	ck_assert_ptr_nonnull(strstr(msg.data, "Content-Type: text/plain; charset=UTF-8\n"));
	ck_assert_ptr_nonnull(strstr(msg.data, "Message-ID: <notice-7@gxt.example.cn>\n"));
	ck_assert_ptr_nonnull(strstr(msg.data, "+0800\n")); /* Beijing time */
	decode_subject(msg.data, &got);
	ck_assert_str_eq(got.data, subject);
	/* The body: base64 lines after the blank line, decoding to the text. */
	const char *b = strstr(msg.data, "\n\n") + 2;
	for (const char *line = b; *line;) {
		const char *nl = strchr(line, '\n');
		ck_assert_int_le((int)(nl - line), 76);
		buf_add(&text, line, (size_t)(nl - line));
		line = nl + 1;
	}
	ck_assert_int_eq(sodium_base642bin(bin, sizeof bin, text.data, text.len, NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	ck_assert_uint_eq(n, strlen(body));
	ck_assert_int_eq(memcmp(bin, body, n), 0);
	buf_release(&msg);
	buf_release(&got);
	buf_release(&text);
}
END_TEST

START_TEST(compose_refuses)
{
	struct mail_msg m = { "noreply@x.cn", "a@x.cn\nBcc: b@y.cn", "主题", "正文", "<n-1@x.cn>", 0 };
	struct buf msg = BUF_INIT;
	ck_assert_int_eq(mail_compose(&m, &msg), -1);
	m.to = "a@x.cn";
	m.subject = "主题\nBcc: b@y.cn";
	ck_assert_int_eq(mail_compose(&m, &msg), -1);
	m.subject = "\xe4\xb8"; /* a cut character */
	ck_assert_int_eq(mail_compose(&m, &msg), -1);
	ck_assert_uint_eq(msg.len, 0);
	buf_release(&msg);
}
END_TEST

static void slurp(const char *path, struct buf *out)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, n);
	fclose(f);
}

START_TEST(hand_over)
{
	char dir[] = "/tmp/notify-mail-XXXXXX";
	struct buf script = BUF_INIT, path = BUF_INIT, msg = BUF_INIT, err = BUF_INIT, got = BUF_INIT;
	FILE *f;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	buf_addf(&path, "%s/sendmail", dir);
	buf_addf(&script, "#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s/args\ncat > %s/msg\n", dir, dir);
	f = fopen(path.data, "w");
	ck_assert_ptr_nonnull(f);
	fputs(script.data, f);
	fclose(f);
	ck_assert_int_eq(chmod(path.data, 0700), 0);
	buf_addf(&msg, "Subject: x\n\nbody\n");
	ck_assert_int_eq(mail_sendmail(path.data, "noreply@x.cn", "a@x.cn", &msg, &err), 0);
	buf_reset(&path);
	buf_addf(&path, "%s/args", dir);
	slurp(path.data, &got);
	ck_assert_str_eq(got.data, "-i\n-f\nnoreply@x.cn\n--\na@x.cn\n");
	buf_reset(&got);
	buf_reset(&path);
	buf_addf(&path, "%s/msg", dir);
	slurp(path.data, &got);
	ck_assert_str_eq(got.data, msg.data);

	ck_assert_int_eq(mail_sendmail("/bin/false", "noreply@x.cn", "a@x.cn", &msg, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, "退出码 1"));
	buf_reset(&err);
	ck_assert_int_eq(mail_sendmail("/nonexistent/sendmail", "noreply@x.cn", "a@x.cn", &msg, &err),
			 -1);
	ck_assert_ptr_nonnull(strstr(err.data, "无法运行"));
	buf_reset(&err);
	ck_assert_int_eq(mail_sendmail("/bin/true", "noreply@x.cn", "-oQ@x.cn", &msg, &err), -1);

	buf_reset(&path);
	buf_addf(&path, "rm -rf %s", dir);
	ck_assert_int_eq(system(path.data), 0);
	buf_release(&script);
	buf_release(&path);
	buf_release(&msg);
	buf_release(&err);
	buf_release(&got);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify_mail");
	TCase *tc = tcase_create("mail");
	SRunner *sr;
	int failed;
	if (sodium_init() < 0)
		return EXIT_FAILURE;
	tcase_add_test(tc, addresses);
	tcase_add_test(tc, compose);
	tcase_add_test(tc, compose_refuses);
	tcase_add_test(tc, hand_over);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
