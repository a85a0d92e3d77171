/* biaogan-admin: the operator's command-line tool.
 *
 *   biaogan-admin migrate                 apply the SQL migrations (idempotent)
 *   biaogan-admin migrations              list applied and pending migrations
 *   biaogan-admin user add --login L --name NAME --role R [--city CODE]
 *                          [--no-force-change] [--password-stdin]
 *   biaogan-admin user passwd LOGIN [--password-stdin]   reset; forces a change
 *   biaogan-admin user unlock LOGIN
 *   biaogan-admin round add --year Y --open T --close T --deadline T [--quota N]
 *                          [--half-points]
 *                          a selection round with the annex's default scheme
 *                          (T: "YYYY-MM-DD HH:MM", Asia/Shanghai), scored
 *                          in whole points, or in halves with --half-points
 *   biaogan-admin audit verify            check the audit hash chain against
 *                                         its anchors, then anchor its head
 *                                         (audit_anchor_file, core/anchor.h)
 *   biaogan-admin workdays ...  calendar ...   see calendar_cli.h
 *   biaogan-admin lottery verify|export SESSION  see draw_cli.h
 *   biaogan-admin experts ...                  see experts_cli.h
 *   biaogan-admin user email LOGIN [ADDRESS]   set (or clear) the account's
 *                                         mail address for notices
 *   biaogan-admin mail send|status             see notify_cli.h
 *   biaogan-admin files verify            every stored file against its SHA-256
 *   biaogan-admin doctor                  check the installation (tools/doctor.h)
 *   biaogan-admin notify due              the day's reminders of deadlines
 *                                         within 3 working days (notify.h;
 *                                         exit 3 when the calendar lacks a
 *                                         year it needs)
 * Options before the command: --config FILE (else $BIAOGAN_CONF, else the
 * system path).
 *
 * Exit status: 0 done; 1 database or system failure; 2 bad usage or input;
 * 3 see calendar_cli.h; 4 the account (user add) or the year's round
 * (round add) exists already, or the account does not exist (passwd,
 * unlock), or no such review session (lottery); 5 the audit chain is broken
 * or disagrees with an anchor (or the anchor file was altered),
 * or a draw record does not verify (experts: see experts_cli.h), or a
 * stored file does not match its SHA-256 (files verify); 6 doctor
 * found an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/audit.h"
#include "core/buf.h"
#include "steps/calendar/calendar_cli.h"
#include "steps/draw/draw_cli.h"
#include "steps/experts/experts_cli.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/migrate.h"
#include "core/password.h"
#include "steps/rounds/rounds.h"
#include "steps/accounts/users.h"
#include "steps/notify/notify.h"
#include "steps/notify/notify_cli.h"
#include "steps/notify/notify_mail.h"
#include "steps/review/review.h"
#include "steps/intake/attachments.h"
#include "tools/doctor.h"
#include "core/civil_date.h"
#include "core/banned.h"

static const struct actor operator_actor = { 0, NULL, "operator", NULL };

static void usage(void)
{
	fputs("用法: biaogan-admin [--config FILE] COMMAND ...\n"
	      "  migrate | migrations\n"
	      "  user add --login L --name NAME --role province|city|expert|enterprise|supervisor [--city CODE]\n"
	      "           [--no-force-change] [--password-stdin]\n"
	      "  user passwd LOGIN [--password-stdin]\n"
	      "  user unlock LOGIN | user email LOGIN [ADDRESS]\n"
	      "  round add --year Y --open 'YYYY-MM-DD HH:MM' --close '...' --deadline '...' [--quota N]\n"
	      "            [--half-points]   (专家可打半分，如 7.5；默认只打整数分)\n"
	      "  audit verify | files verify\n"
	      "  workdays end START N [--calendar FILE.csv]\n"
	      "  workdays count FROM TO [--calendar FILE.csv]\n"
	      "  calendar import FILE [--replace] | calendar export YEAR | calendar years\n"
	      "  lottery verify SESSION | lottery export SESSION\n"
	      "  experts import FILE.csv | experts suspend MOBILE --until DATE --reason R\n"
	      "  experts remove MOBILE --reason R | experts reactivate MOBILE --reason R\n"
	      "  mail send [--limit N] | mail status\n"
	      "  notify due                 截止前3个工作日的提醒（每日运行）\n"
	      "  doctor                     检查安装：配置、数据库与权限、迁移、日历、邮件、磁盘空间\n",
	      stderr);
}

static int need_db(void)
{
	if (db_ensure() != DB_OK) {
		fputs("biaogan-admin: 无法连接数据库（见上方日志）\n", stderr);
		return 1;
	}
	return 0;
}

/* The password from stdin (one line), or a generated one printed to stdout. */
static int get_password(bool from_stdin, const char *login, struct buf *pw)
{
	if (from_stdin) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n = getline(&line, &cap, stdin);
		const char *why;
		if (n <= 0) {
			free(line);
			fputs("biaogan-admin: 没有从标准输入读到密码\n", stderr);
			return 2;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		buf_adds(pw, line);
		sodium_memzero(line, cap);
		free(line);
		if ((why = password_policy_error(pw->data, login))) {
			fprintf(stderr, "biaogan-admin: %s\n", why);
			return 2;
		}
		return 0;
	}
	password_generate(pw);
	printf("初始密码: %s\n", pw->data);
	return 0;
}

static int cmd_user_add(int argc, char **argv)
{
	const char *login = NULL, *name = NULL, *role_s = NULL, *city = NULL;
	bool force = true, from_stdin = false;
	struct new_account a;
	struct buf pw = BUF_INIT;
	long long id;
	int rc;

	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "--no-force-change")) {
			force = false;
		} else if (!strcmp(o, "--password-stdin")) {
			from_stdin = true;
		} else if (v && !strcmp(o, "--login")) {
			login = v, i++;
		} else if (v && !strcmp(o, "--name")) {
			name = v, i++;
		} else if (v && !strcmp(o, "--role")) {
			role_s = v, i++;
		} else if (v && !strcmp(o, "--city")) {
			city = v, i++;
		} else {
			usage();
			return 2;
		}
	}
	a.role = role_parse(role_s);
	if (!login || !name || a.role == ROLE_NONE || !auth_login_valid(login) ||
	    (a.role == ROLE_CITY) != (city != NULL)) {
		fputs("biaogan-admin: 需要 --login（3–32位小写字母数字）、--name、--role；"
		      "仅市（地）账户需要 --city\n", stderr);
		return 2;
	}
	if ((rc = get_password(from_stdin, login, &pw)))
		return rc;
	if (need_db()) {
		buf_release(&pw);
		return 1;
	}
	a.login = login;
	a.display_name = name;
	a.city_code = city;
	a.password = pw.data;
	a.must_change = force;
	rc = users_create(&operator_actor, &a, &id);
	buf_release(&pw);
	if (rc == DB_CONFLICT) {
		fprintf(stderr, "biaogan-admin: 用户名 %s 已存在\n", login);
		return 4;
	}
	if (rc != DB_OK) {
		fputs("biaogan-admin: 创建失败（城市代码是否有效？见上方日志）\n", stderr);
		return 1;
	}
	printf("已创建账户 %s（编号 %lld）\n", login, id);
	return 0;
}

/* login as typed: canonical form first (auth_login_canonical), as the
 * login form does, then an exact match. */
static int find_account(const char *login, long long *id)
{
	json_object *row = NULL;
	char canon[AUTH_LOGIN_MAX + 1];
	int rc;
	if (need_db())
		return 1;
	if (!auth_login_canonical(login, canon)) {
		fprintf(stderr, "biaogan-admin: 没有用户名为 %s 的账户\n", login);
		return 4;
	}
	rc = users_find_login(canon, &row);
	if (rc != DB_OK)
		return 1;
	if (!row) {
		fprintf(stderr, "biaogan-admin: 没有用户名为 %s 的账户\n", login);
		return 4;
	}
	*id = db_int(row, "id", 0);
	json_object_put(row);
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	long long id;
	int rc;
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return cmd_user_add(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "passwd") &&
	    (argc == 3 || (argc == 4 && !strcmp(argv[3], "--password-stdin")))) {
		struct buf pw = BUF_INIT;
		if ((rc = get_password(argc == 4, argv[2], &pw)) || (rc = find_account(argv[2], &id))) {
			buf_release(&pw);
			return rc;
		}
		rc = users_reset_password(&operator_actor, id, pw.data);
		buf_release(&pw);
		if (rc != DB_OK)
			return 1;
		printf("已重置 %s 的密码，下次登录须修改\n", argv[2]);
		return 0;
	}
	if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "email")) {
		const char *addr = argc == 4 ? argv[3] : "";
		if (*addr && !mail_address_ok(addr)) {
			fprintf(stderr, "biaogan-admin: 不是有效的邮件地址: %s\n", addr);
			return 2;
		}
		if ((rc = find_account(argv[2], &id)))
			return rc;
		if (users_set_email(&operator_actor, id, addr) != DB_OK)
			return 1;
		printf(*addr ? "已设置 %s 的通知邮箱\n" : "已清除 %s 的通知邮箱\n", argv[2]);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "unlock")) {
		if ((rc = find_account(argv[2], &id)))
			return rc;
		if (users_unlock(&operator_actor, id) != DB_OK)
			return 1;
		printf("已解除 %s 的登录锁定\n", argv[2]);
		return 0;
	}
	usage();
	return 2;
}

/* A round as the province's "new round" page makes it with its defaults:
 * the default title, every evaluation point at its default maximum, no
 * per-city quota overrides, whole points unless --half-points.  The same
 * rules as the page decide. */
static int cmd_round(int argc, char **argv)
{
	const char *year_s = NULL, *open = NULL, *close = NULL, *deadline = NULL, *quota_s = "5";
	struct round r;
	bool half = false, bad = false;
	long long id;
	char *end;
	int rc;

	if (argc < 2 || strcmp(argv[1], "add")) {
		usage();
		return 2;
	}
	/* Options with a value, and the one flag without. */
	for (int i = 2; i < argc && !bad; i++) {
		const char *o = argv[i], *v;
		if (!strcmp(o, "--half-points")) {
			half = true;
			continue;
		}
		if (i + 1 >= argc) {
			bad = true; /* an option without its value */
			break;
		}
		v = argv[++i];
		if (!strcmp(o, "--year"))
			year_s = v;
		else if (!strcmp(o, "--open"))
			open = v;
		else if (!strcmp(o, "--close"))
			close = v;
		else if (!strcmp(o, "--deadline"))
			deadline = v;
		else if (!strcmp(o, "--quota"))
			quota_s = v;
		else
			bad = true; /* unknown option: usage below */
	}
	memset(&r, 0, sizeof r);
	if (bad || !year_s || !open || !close || !deadline) {
		usage();
		return 2;
	}
	r.year = (int)strtol(year_s, &end, 10);
	if (*end || r.year < ROUND_YEAR_MIN || r.year > ROUND_YEAR_MAX) {
		fprintf(stderr, "biaogan-admin: 年份须在%d到%d之间\n", ROUND_YEAR_MIN, ROUND_YEAR_MAX);
		return 2;
	}
	r.default_quota = (int)strtol(quota_s, &end, 10);
	if (*end || r.default_quota < ROUND_QUOTA_MIN || r.default_quota > ROUND_QUOTA_MAX) {
		fprintf(stderr, "biaogan-admin: 推荐名额须在%d到%d之间\n", ROUND_QUOTA_MIN, ROUND_QUOTA_MAX);
		return 2;
	}
	if (rounds_parse_time(open, &r.apply_open) || rounds_parse_time(close, &r.apply_close) ||
	    rounds_parse_time(deadline, &r.recommend_deadline)) {
		fputs("biaogan-admin: 时间格式应为 YYYY-MM-DD HH:MM（北京时间）\n", stderr);
		return 2;
	}
	if (r.apply_close <= r.apply_open || r.recommend_deadline <= r.apply_close) {
		fputs("biaogan-admin: 须满足 申报开始 < 申报截止 < 推荐截止\n", stderr);
		return 2;
	}
	rounds_default_title(r.year, r.title, sizeof r.title);
	for (int i = 0; i < ROUND_POINTS; i++)
		r.max_points[i] = ROUND_POINT_DEFAULT;
	r.score_step = half ? SCORE_HALF : SCORE_WHOLE;
	if (need_db())
		return 1;
	rc = rounds_create(&operator_actor, &r, &id);
	if (rc == DB_CONFLICT) {
		fprintf(stderr, "biaogan-admin: %d年度的遴选已存在\n", r.year);
		return 4;
	}
	if (rc != DB_OK)
		return 1;
	printf("已创建%s（编号 %lld，%s）\n", r.title, id, score_step_label(r.score_step));
	return 0;
}

/* Verify the chain against the anchors of audit_anchor_file, then, when it
 * is intact, anchor its head there (core/anchor.h). */
/* The day's reminders of deadlines (notify.h): the application window and
 * the cities' batches (notify_due), the scoring (review_remind_due). */
static int cmd_notify_due(void)
{
	struct buf err = BUF_INIT;
	long long made = 0, scored = 0;
	int32_t reach;
	char beyond[CIVIL_DATE_LEN + 1];
	int rc;
	if (need_db())
		return 1;
	rc = notify_due(&made, &err, &reach);
	if (rc == 1)
		fprintf(stderr, "biaogan-admin: %s\n", err.data);
	buf_release(&err);
	if (rc != DB_OK)
		return rc == 1 ? 3 : 1;
	civil_format(reach + 1, beyond);
	if (review_remind_due(beyond, &scored) != DB_OK)
		return 1;
	printf("已发出截止提醒 %lld 条\n", made + scored);
	return 0;
}

/* files verify: every stored file against its SHA-256 (att_verify_all). */
static int cmd_files(int argc, char **argv)
{
	struct att_verify v;
	if (argc != 2 || strcmp(argv[1], "verify")) {
		usage();
		return 2;
	}
	if (need_db())
		return 1;
	if (att_verify_all(&v) != DB_OK) {
		fputs("biaogan-admin: 读取文件失败（见上方日志）\n", stderr);
		return 1;
	}
	if (v.bad) {
		printf("%lld 个文件中 %lld 个与登记的 SHA-256 不符或内容不全：", v.files, v.bad);
		for (long long i = 0; i < v.bad && i < ATT_VERIFY_LISTED; i++)
			printf("%s%lld", i ? "、" : "附件 ", v.bad_ids[i]);
		puts(v.bad > ATT_VERIFY_LISTED ? " 等" : "");
		return 5;
	}
	char size[32];
	printf("%lld 个文件（共 %s）的 SHA-256 与登记的一致\n", v.files,
	       att_size_label(v.bytes, size, sizeof size));
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	const char *path = config_str("audit_anchor_file", NULL);
	struct audit_anchor *anchors = NULL;
	struct audit_verdict v;
	size_t n = 0, bad_line = 0;
	int rc;

	if (argc != 2 || strcmp(argv[1], "verify")) {
		usage();
		return 2;
	}
	if (path && *path && anchor_read(path, &anchors, &n, &bad_line)) {
		if (bad_line)
			printf("审计日志锚点文件 %s 第 %zu 行格式不符：锚点文件可能被改动\n", path,
			       bad_line);
		else
			fprintf(stderr, "biaogan-admin: 无法读取审计日志锚点文件 %s：%s\n", path,
				strerror(errno));
		return bad_line ? 5 : 1;
	}
	if (need_db()) {
		free(anchors);
		return 1;
	}
	rc = audit_verify(anchors, n, &v);
	if (rc != DB_OK) {
		free(anchors);
		return 1;
	}
	if (v.bad_row) {
		printf("审计日志链校验失败：第 %lld 条记录（或其后）被修改或删除\n", v.bad_row);
		free(anchors);
		return 5;
	}
	if (v.bad_anchor) {
		printf("审计日志链与 %s 的锚点（第 %lld 条记录）不符：锚定之后日志被重建或截断\n",
		       v.bad_anchor->at, v.bad_anchor->id);
		free(anchors);
		return 5;
	}
	free(anchors);
	printf("审计日志链完整（%lld 条记录", v.rows);
	if (!path || !*path) {
		puts("）");
		fputs("biaogan-admin: 未配置 audit_anchor_file：链头没有锚定在数据库之外"
		      "（见 docs/security.md）\n",
		      stderr);
		return 0;
	}
	printf("，与 %zu 个锚点一致）\n", n);
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) ||
	    !strftime(v.head.at, sizeof v.head.at, "%Y-%m-%dT%H:%M:%SZ", &tm) ||
	    anchor_append(path, &v.head)) {
		fprintf(stderr, "biaogan-admin: 链头未能写入锚点文件 %s\n", path);
		return 1;
	}
	printf("已锚定链头：第 %lld 条记录 %s\n", v.head.id, v.head.hash);
	return 0;
}

int main(int argc, char **argv)
{
	const char *conf = NULL;
	struct buf err = BUF_INIT;
	int rc;

	log_init("biaogan-admin");
	if (sodium_init() < 0)
		return 1;
	argv++, argc--;
	if (argc >= 2 && !strcmp(argv[0], "--config")) {
		conf = argv[1];
		argv += 2, argc -= 2;
	}
	if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
		usage();
		return argc < 1 ? 2 : 0;
	}
	/* workdays with --calendar needs no configuration at all. */
	if (config_load(conf, &err)) {
		if (strcmp(argv[0], "workdays")) {
			fprintf(stderr, "biaogan-admin: 无法读取配置: %s\n", err.data);
			buf_release(&err);
			return 1;
		}
	}
	buf_release(&err);
	if (!strcmp(argv[0], "migrate") && argc == 1)
		rc = need_db() ? 1 : migrate_apply(config_str("sql_dir", BIAOGAN_SQL_DIR), stdout) ? 1 : 0;
	else if (!strcmp(argv[0], "migrations") && argc == 1)
		rc = need_db() ? 1 : migrate_status(config_str("sql_dir", BIAOGAN_SQL_DIR), stdout) ? 1 : 0;
	else if (!strcmp(argv[0], "user"))
		rc = cmd_user(argc, argv);
	else if (!strcmp(argv[0], "round"))
		rc = cmd_round(argc, argv);
	else if (!strcmp(argv[0], "audit"))
		rc = cmd_audit(argc, argv);
	else if (!strcmp(argv[0], "workdays"))
		rc = calendar_cli_workdays(argc, argv);
	else if (!strcmp(argv[0], "calendar"))
		rc = calendar_cli_calendar(argc, argv);
	else if (!strcmp(argv[0], "lottery"))
		rc = draw_cli_lottery(argc, argv);
	else if (!strcmp(argv[0], "experts"))
		rc = experts_cli(argc, argv);
	else if (!strcmp(argv[0], "mail"))
		rc = notify_cli_mail(argc, argv);
	else if (!strcmp(argv[0], "files"))
		rc = cmd_files(argc, argv);
	else if (!strcmp(argv[0], "doctor") && argc == 1)
		rc = doctor_run(stdout);
	else if (!strcmp(argv[0], "notify") && argc == 2 && !strcmp(argv[1], "due"))
		rc = cmd_notify_due();
	else {
		usage();
		rc = 2;
	}
	db_close();
	config_release();
	return rc;
}
