#include "steps/experts/experts_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/buf.h"
#include "core/civil_date.h"
#include "core/db.h"
#include "core/form.h"
#include "steps/experts/experts.h"
#include "steps/experts/experts_import.h"
#include "core/banned.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_NOT_FOUND = 4, CLI_STATE = 5 };

static const char USAGE[] =
	"用法：\n"
	"  biaogan-admin experts import FILE.csv\n"
	"      按导入模板的列（见 /experts/import 页面或 /experts/template.csv）导入专家：逐行检查，\n"
	"      有任何一行有问题则整个文件不导入并列出每一行的问题；否则在一个事务中新增（按手机号码\n"
	"      专家库中没有的）或更新（已有的）专家。UTF-8（带或不带 BOM）或 GB18030 编码\n"
	"  biaogan-admin experts suspend MOBILE --until YYYY-MM-DD --reason 理由\n"
	"  biaogan-admin experts remove MOBILE --reason 理由\n"
	"  biaogan-admin experts reactivate MOBILE --reason 理由\n"
	"退出码：0 成功；1 数据库或系统错误；2 参数或文件错误（未做任何修改）；4 没有该手机号码的专家；\n"
	"5 专家当前状态不允许该操作。\n";

static const struct actor OPERATOR = { 0, NULL, "operator", NULL };

static int finish_output(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("错误：写标准输出失败\n", stderr);
		return CLI_FAIL;
	}
	return rc;
}

/* The whole file, at most EXPERT_IMPORT_MAX_BYTES + 1 bytes (the check
 * explains a larger one). */
static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	if (!f) {
		fprintf(stderr, "错误：无法打开文件 %s\n", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && out->len <= EXPERT_IMPORT_MAX_BYTES)
		buf_add(out, chunk, n);
	if (ferror(f)) {
		fprintf(stderr, "错误：读取文件 %s 失败\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	struct buf data = BUF_INIT;
	struct expert_import imp;
	struct expert_import_counts n;
	long long import_id = 0;
	const char *path, *base;
	int rc = CLI_FAIL;

	memset(&imp, 0, sizeof imp);
	if (argc != 3) {
		fputs("错误：experts import 需要一个参数 FILE\n", stderr);
		fputs(USAGE, stderr);
		return CLI_USAGE;
	}
	path = argv[2];
	if (read_file(path, &data))
		return CLI_USAGE;
	/* The whole file is checked before the database is touched. */
	if (experts_import_check(data.data, data.len, &imp)) {
		fprintf(stderr, "错误：文件 %s 未导入，未做任何修改：\n", path);
		if (imp.file_error)
			fprintf(stderr, "  %s\n", imp.file_error);
		for (size_t i = 0; i < imp.nerr; i++) {
			const struct expert_import_error *e = &imp.err[i];
			fprintf(stderr, "  第%zu行%s%s%s%s%s：%s\n", e->line, e->column[0] ? " " : "", e->column,
				e->column[0] ? "列" : "", e->label[0] ? " " : "", e->label, e->message);
		}
		if (imp.nerr_total > imp.nerr)
			fprintf(stderr, "  另有 %zu 处问题未列出\n", imp.nerr_total - imp.nerr);
		if (!imp.file_error)
			fprintf(stderr, "共 %zu 行数据，其中 %zu 行有问题。\n", imp.data_lines, imp.bad_lines);
		rc = CLI_USAGE;
		goto out;
	}
	if (db_ensure() != DB_OK) {
		fputs("错误：无法连接数据库，未做任何修改\n", stderr);
		goto out;
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	rc = experts_import_apply(&OPERATOR, &imp, base, &import_id, &n);
	if (rc == EXP_E_MOBILE_TAKEN) {
		fputs("错误：导入期间专家库有变动，未做任何修改，请重新导入\n", stderr);
		rc = CLI_FAIL;
		goto out;
	}
	if (rc != DB_OK) {
		fputs("错误：导入失败，未做任何修改\n", stderr);
		rc = CLI_FAIL;
		goto out;
	}
	printf("已导入 %s（%s，%zu 行，导入编号 %lld）：新增 %zu 位，更新 %zu 位，未变 %zu 位\n", base,
	       csv_charset_label(imp.charset), imp.nlines, import_id, n.added, n.updated, n.unchanged);
	rc = finish_output(CLI_OK);
out:
	experts_import_release(&imp);
	buf_release(&data);
	return rc;
}

static const struct field_spec reason_spec = { "reason", "理由", FIELD_TEXT, true, EXPERT_REASON_MAX,
					       0, 0, NULL };

/* suspend / remove / reactivate MOBILE [--until DATE] --reason TEXT */
static int cmd_status(int argc, char **argv, enum expert_action a)
{
	const char *mobile = NULL, *until = NULL, *reason = NULL, *why;
	char *err;
	long long id = 0;
	int rc;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--until") && i + 1 < argc && a == EXPERT_SUSPEND) {
			until = argv[++i];
		} else if (!strcmp(argv[i], "--reason") && i + 1 < argc) {
			reason = argv[++i];
		} else if (argv[i][0] != '-' && !mobile) {
			mobile = argv[i];
		} else {
			fprintf(stderr, "错误：参数“%s”无效\n", argv[i]);
			fputs(USAGE, stderr);
			return CLI_USAGE;
		}
	}
	if (!mobile || !reason || (a == EXPERT_SUSPEND && !until)) {
		fputs(a == EXPERT_SUSPEND ? "错误：需要 MOBILE、--until 和 --reason\n"
					  : "错误：需要 MOBILE 和 --reason\n",
		      stderr);
		fputs(USAGE, stderr);
		return CLI_USAGE;
	}
	if ((err = field_check(&reason_spec, reason, NULL))) {
		fprintf(stderr, "错误：%s\n", err);
		free(err);
		return CLI_USAGE;
	}
	if (a == EXPERT_SUSPEND && (why = expert_suspend_date_error(until, civil_today_shanghai()))) {
		fprintf(stderr, "错误：%s\n", why);
		return CLI_USAGE;
	}
	if (db_ensure() != DB_OK) {
		fputs("错误：无法连接数据库\n", stderr);
		return CLI_FAIL;
	}
	if ((rc = experts_id_by_mobile(mobile, &id)) != DB_OK) {
		fputs("错误：读取专家库失败\n", stderr);
		return CLI_FAIL;
	}
	if (!id) {
		fprintf(stderr, "错误：专家库中没有手机号码为 %s 的专家\n", mobile);
		return CLI_NOT_FOUND;
	}
	rc = a == EXPERT_SUSPEND  ? experts_suspend(&OPERATOR, id, until, reason)
	     : a == EXPERT_REMOVE ? experts_remove(&OPERATOR, id, reason)
				  : experts_reactivate(&OPERATOR, id, reason);
	if (rc == EXP_E_STATE) {
		fputs("错误：该专家当前的状态不允许此操作（已移出的只能恢复，在库的无需恢复）\n", stderr);
		return CLI_STATE;
	}
	if (rc != DB_OK) {
		fputs("错误：操作失败，未做任何修改\n", stderr);
		return CLI_FAIL;
	}
	printf("专家 %lld（%s）：%s\n", id, mobile,
	       a == EXPERT_SUSPEND ? "已暂停" : a == EXPERT_REMOVE ? "已移出专家库" : "已恢复在库");
	return finish_output(CLI_OK);
}

int experts_cli(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(USAGE, stdout);
		return finish_output(CLI_OK);
	}
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return cmd_import(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "suspend"))
		return cmd_status(argc, argv, EXPERT_SUSPEND);
	if (argc >= 2 && !strcmp(argv[1], "remove"))
		return cmd_status(argc, argv, EXPERT_REMOVE);
	if (argc >= 2 && !strcmp(argv[1], "reactivate"))
		return cmd_status(argc, argv, EXPERT_REACTIVATE);
	if (argc >= 2)
		fprintf(stderr, "错误：未知的子命令 %s\n", argv[1]);
	fputs(USAGE, stderr);
	return CLI_USAGE;
}
