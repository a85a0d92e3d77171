/* libFuzzer target for the mail form of src/steps/notify/notify_mail.c.
 *
 * The input is an address, a NUL and a subject (the rest).  The address is
 * partly the user's (an enterprise's registration, a staff account's), the
 * subject carries names the users typed.  Promises checked: an address
 * accepted is one plain addr-spec (one '@', nothing that a shell, a
 * command line or a header would read specially); a message composed has
 * only the headers it writes, each on one line or folded with a leading
 * space, and its encoded words give back the subject exactly and are at
 * most 75 characters; anything not UTF-8 or with a line break is refused.
 * Any broken promise traps.
 */
#include "steps/notify/notify_mail.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const char *const HEADERS[] = { "From: ", "To: ", "Subject:", "Date: ", "Message-ID: ",
				       "MIME-Version: ", "Content-Type: ",
				       "Content-Transfer-Encoding: ", "Auto-Submitted: ", " " };

static void check_headers(const char *msg, const char *subject)
{
	const char *end = strstr(msg, "\n\n");
	unsigned char bin[128];
	size_t got = 0, sl = strlen(subject);
	CHECK(end);
	for (const char *line = msg; line < end;) {
		const char *nl = strchr(line, '\n');
		bool known = false;
		for (size_t i = 0; i < sizeof HEADERS / sizeof HEADERS[0]; i++)
			known |= !strncmp(line, HEADERS[i], strlen(HEADERS[i]));
		CHECK(known);
		line = nl + 1;
	}
	/* The encoded words of the Subject header (up to Date:), in order,
	 * give back the subject. */
	const char *from = strstr(msg, "\nSubject:"), *to = strstr(msg, "\nDate: ");
	CHECK(from && to && from < to && to < end);
	for (const char *p = from; (p = strstr(p, "=?UTF-8?B?")) && p < to;) {
		const char *q = strstr(p + 10, "?=");
		size_t n = 0;
		CHECK(q && q + 2 - p <= 75);
		CHECK(!sodium_base642bin(bin, sizeof bin, p + 10, (size_t)(q - p - 10), NULL, &n, NULL,
					 sodium_base64_VARIANT_ORIGINAL));
		CHECK(got + n <= sl && !memcmp(subject + got, bin, n));
		got += n;
		p = q + 2;
	}
	CHECK(got == sl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	const char *addr, *subject;
	struct buf msg = BUF_INIT;
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	addr = copy;
	subject = memchr(copy, '\0', size) ? copy + strlen(copy) + 1 : "";
	if (subject > copy + size)
		subject = "";
	if (mail_address_ok(addr)) {
		const char *at = strchr(addr, '@');
		CHECK(at && at > addr && !strchr(at + 1, '@') && addr[0] != '-');
		CHECK(!strpbrk(addr, " \t\r\n<>,;\"\\()"));
	}
	struct mail_msg m = { "noreply@x.cn", addr, subject, "正文\n", "<n-1@x.cn>", 0 };
	if (mail_compose(&m, &msg) == 0) {
		CHECK(mail_address_ok(addr) && !strpbrk(subject, "\r\n"));
		check_headers(msg.data, subject);
	} else {
		CHECK(msg.len == 0);
	}
	buf_release(&msg);
	free(copy);
	return 0;
}
