#include "steps/notify/notify_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "steps/notify/notify.h"
#include "steps/notify/notify_mail.h"
#include "core/banned.h"

static void usage(void)
{
	fputs("用法: biaogan-admin mail send [--limit N] | mail status\n", stderr);
}

/* The text of a notice's mail: what happened, and where to act. */
static void body_of(json_object *row, struct buf *out)
{
	const char *base = config_str("public_base_url", "");
	size_t n = strlen(base);
	buf_addf(out, "%s\n\n请登录黑龙江省质量标杆遴选管理系统查看并办理：\n%.*s%s\n\n",
		 db_str(row, "subject", ""), (int)(n && base[n - 1] == '/' ? n - 1 : n), base,
		 db_str(row, "link", ""));
	buf_addf(out, "此邮件由系统自动发送，请勿直接回复。\n黑龙江省工业和信息化厅\n");
}

/* One claimed notice: composed, handed to sendmail, the outcome recorded. */
static int send_one(json_object *row, const char *sendmail, const char *from, bool *sent)
{
	struct buf msg = BUF_INIT, body = BUF_INIT, err = BUF_INIT;
	char mid[96];
	const char *domain = strchr(from, '@') + 1;
	long long id = db_int(row, "id", 0);
	struct mail_msg m = { from, db_str(row, "mail_to", ""), db_str(row, "subject", ""), NULL, mid,
			      (long long)time(NULL) };
	int rc;
	snprintf(mid, sizeof mid, "<notice-%lld@%s>", id, domain);
	body_of(row, &body);
	m.body = body.data;
	*sent = false;
	if (mail_compose(&m, &msg))
		buf_addf(&err, "地址或内容无效");
	else if (!mail_sendmail(sendmail, from, m.to, &msg, &err))
		*sent = true;
	if (!*sent)
		log_err("mail: notice %lld to %s: %s", id, m.to, err.data ? err.data : "");
	rc = notify_mail_result(id, *sent, err.data);
	buf_release(&msg);
	buf_release(&body);
	buf_release(&err);
	return rc;
}

static int mail_send(long long limit)
{
	const char *sendmail = config_str("mail_sendmail", "");
	const char *from = config_str("mail_from", "");
	long long sent = 0, failed = 0;
	int rc = DB_OK;
	if (!*sendmail) {
		puts("未配置邮件（mail_sendmail），不发送。");
		return 0;
	}
	if (!mail_address_ok(from)) {
		fprintf(stderr, "biaogan-admin: mail_from 未配置或不是有效的邮件地址\n");
		return 2;
	}
	if (db_ensure() != DB_OK)
		return 1;
	while (sent + failed < limit) {
		json_object *row = NULL;
		bool ok = false;
		if ((rc = db_begin()) != DB_OK)
			break;
		rc = notify_mail_claim(&row);
		if (rc == DB_OK && !row) {
			db_rollback();
			break;
		}
		if (rc == DB_OK)
			rc = send_one(row, sendmail, from, &ok);
		json_object_put(row);
		if ((rc = db_finish(rc)) != DB_OK)
			break;
		if (ok)
			sent++;
		else
			failed++;
	}
	printf("已发送 %lld 封，失败 %lld 封（失败的将稍后重试）。\n", sent, failed);
	return rc == DB_OK ? 0 : 1;
}

static int mail_status(void)
{
	json_object *row = NULL;
	if (db_ensure() != DB_OK || notify_mail_counts(&row) != DB_OK)
		return 1;
	printf("待发送 %lld（其中重试中 %lld），已发送 %lld，发送失败 %lld\n", db_int(row, "pending", 0),
	       db_int(row, "retrying", 0), db_int(row, "sent", 0), db_int(row, "failed", 0));
	json_object_put(row);
	return 0;
}

int notify_cli_mail(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "status"))
		return mail_status();
	if (argc >= 2 && !strcmp(argv[1], "send")) {
		long long limit = 200;
		if (argc == 4 && !strcmp(argv[2], "--limit")) {
			char *end;
			limit = strtoll(argv[3], &end, 10);
			if (*end || limit < 1 || limit > 100000) {
				usage();
				return 2;
			}
		} else if (argc != 2) {
			usage();
			return 2;
		}
		return mail_send(limit);
	}
	usage();
	return 2;
}
