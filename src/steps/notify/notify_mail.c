#include "steps/notify/notify_mail.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/utf8.h"
#include "core/banned.h"

bool mail_address_ok(const char *addr)
{
	const char *at = addr ? strchr(addr, '@') : NULL;
	size_t n = addr ? strlen(addr) : 0;
	if (!at || at == addr || !at[1] || strchr(at + 1, '@') || n > 254 || addr[0] == '-')
		return false;
	for (const char *p = addr; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch <= ' ' || ch >= 0x7f || strchr("<>()[],;:\"\\", ch))
			return false;
	}
	return true;
}

static void add_base64(struct buf *out, const unsigned char *data, size_t n)
{
	char chunk[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];
	for (size_t i = 0; i < n; i += 57) {
		size_t len = n - i < 57 ? n - i : 57;
		sodium_bin2base64(chunk, sizeof chunk, data + i, len, sodium_base64_VARIANT_ORIGINAL);
		buf_addf(out, "%s\n", chunk);
	}
}

/* Encoded words of at most 45 bytes of text each (60 in base64, 72 with
 * the markers: under the 75 of RFC 2047), cut between characters. */
static void add_subject(struct buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	buf_addf(out, "Subject:");
	while (i < n) {
		size_t len = n - i < 45 ? n - i : 45;
		char word[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		while (len < n - i && ((unsigned char)s[i + len] & 0xc0) == 0x80)
			len--; /* s[i + len] continues a character: cut before it */
		sodium_bin2base64(word, sizeof word, (const unsigned char *)s + i, len,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_addf(out, "%s=?UTF-8?B?%s?=", i ? "\n " : " ", word);
		i += len;
	}
	buf_addf(out, "\n");
}

int mail_compose(const struct mail_msg *m, struct buf *out)
{
	char date[64];
	struct tm tm;
	time_t t = (time_t)m->date + 8 * 3600; /* Beijing time, said as +0800 */
	if (!mail_address_ok(m->from) || !mail_address_ok(m->to) ||
	    !utf8_valid(m->subject, strlen(m->subject)) || !utf8_valid(m->body, strlen(m->body)) ||
	    strpbrk(m->subject, "\r\n") || strpbrk(m->message_id, "\r\n "))
		return -1;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0800", &tm);
	buf_addf(out, "From: %s\nTo: %s\n", m->from, m->to);
	add_subject(out, m->subject);
	buf_addf(out,
		 "Date: %s\nMessage-ID: %s\nMIME-Version: 1.0\n"
		 "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n"
		 "Auto-Submitted: auto-generated\n\n",
		 date, m->message_id);
	add_base64(out, (const unsigned char *)m->body, strlen(m->body));
	return 0;
}

int mail_sendmail(const char *sendmail, const char *from, const char *to, const struct buf *message,
		  struct buf *err)
{
	int fds[2], status = 0;
	pid_t pid;
	size_t off = 0;
	if (!mail_address_ok(from) || !mail_address_ok(to)) {
		buf_addf(err, "地址无效");
		return -1;
	}
	if (pipe(fds)) {
		buf_addf(err, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		buf_addf(err, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char opt_i[] = "-i", opt_f[] = "-f", end[] = "--";
		char *const argv[] = { (char *)sendmail, opt_i, opt_f, (char *)from, end, (char *)to,
				       NULL };
		if (dup2(fds[0], 0) < 0)
			_exit(127);
		close(fds[0]);
		close(fds[1]);
		execv(sendmail, argv);
		_exit(127);
	}
	close(fds[0]);
	/* A sendmail that exits early must not kill us with SIGPIPE. */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	while (off < message->len) {
		ssize_t w = write(fds[1], message->data + off, message->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fds[1]);
	signal(SIGPIPE, old);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			buf_addf(err, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && off == message->len)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		buf_addf(err, "无法运行 %s", sendmail);
	else if (WIFEXITED(status))
		buf_addf(err, "%s 退出码 %d", sendmail, WEXITSTATUS(status));
	else
		buf_addf(err, "%s 异常终止", sendmail);
	return -1;
}
