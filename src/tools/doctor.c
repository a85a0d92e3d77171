#include "tools/doctor.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/civil_date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/migrate.h"
#include "steps/calendar/calendar_db.h"
#include "core/banned.h"

enum level { OK, WARN, FAIL };

struct doctor {
	FILE *out;
	unsigned count[3];
};

static void report(struct doctor *d, enum level lv, const char *area, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(struct doctor *d, enum level lv, const char *area, const char *fmt, ...)
{
	static const char *const tag[] = { "[正常]", "[注意]", "[错误]" };
	va_list ap;
	d->count[lv]++;
	fprintf(d->out, "%s %s：", tag[lv], area);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

/* ---- configuration ---- */

/* Every key a program or biaogan-admin reads (conf/biaogan.conf.sample
 * explains each); anything else in the file is a typo that silently leaves
 * a default in force. */
static const char *const known_keys[] = {
	"audit_anchor_file", "audit_refusals_per_address", "audit_refusals_per_minute",
	"audit_refusals_per_source", "cookie_secure", "credit_check_max_age_days", "db_host",
	"db_name", "db_password", "db_port", "db_socket", "db_user", "exchange_report_months",
	"mail_from", "mail_sendmail", "max_body_bytes", "max_field_bytes", "max_fields",
	"objection_lookups_per_ip_hour", "objection_per_ip_hour", "public_base_url",
	"publicity_contact", "publicity_working_days", "review_divergence_percent",
	"revoked_reapply_years", "session_idle_seconds", "session_max_seconds", "sql_dir",
	"templates_dir", "totp_required_roles", "totp_seal_key", "upload_max_bytes",
	"upload_tmp_dir",
};

/* The keys whose value is a whole number (a malformed one means the default). */
static const char *const integer_keys[] = {
	"audit_refusals_per_address", "audit_refusals_per_minute", "audit_refusals_per_source",
	"credit_check_max_age_days", "db_port", "exchange_report_months", "max_body_bytes",
	"max_field_bytes", "max_fields", "objection_lookups_per_ip_hour", "objection_per_ip_hour",
	"publicity_working_days", "review_divergence_percent", "revoked_reapply_years",
	"session_idle_seconds", "session_max_seconds", "upload_max_bytes",
};

static bool listed(const char *key, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], key))
			return true;
	return false;
}

static bool is_integer(const char *v)
{
	char *end;
	errno = 0;
	(void)strtoll(v, &end, 10);
	return *v && !*end && !errno;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void check_config_file(struct doctor *d)
{
	const char *path = config_path();
	struct stat st;
	if (!path || stat(path, &st)) {
		report(d, FAIL, "配置文件", "无法读取");
		return;
	}
	if (st.st_mode & S_IROTH)
		report(d, FAIL, "配置文件",
		       "%s 所有用户都可读，而其中有数据库密码：chmod 0640，属主 root、属组 biaogan",
		       path);
	else
		report(d, OK, "配置文件", "%s（权限 %04o）", path, (unsigned)(st.st_mode & 07777));
	for (size_t i = 0; config_key_at(i); i++) {
		const char *key = config_key_at(i);
		if (!listed(key, known_keys, ARRAY_LEN(known_keys)))
			report(d, WARN, "配置文件",
			       "不认识的配置项 %s（拼写错误？程序会忽略它，仍用默认值；各项见 "
			       "biaogan.conf.sample）",
			       key);
		else if (listed(key, integer_keys, ARRAY_LEN(integer_keys)) &&
			 !is_integer(config_str(key, "")))
			report(d, FAIL, "配置文件", "%s = %s 不是整数：程序会改用默认值", key,
			       config_str(key, ""));
	}
	const char *pw = config_str("db_password", "");
	if (!*pw || strstr(pw, "change-me"))
		report(d, FAIL, "配置文件", "db_password 未设置或仍是示例文件的值");
	if (!config_bool("cookie_secure", true))
		report(d, WARN, "配置文件",
		       "cookie_secure = false：会话 Cookie 也经明文 HTTP 发送，生产环境（HTTPS）须为 true");
	if (!*config_str("totp_seal_key", ""))
		report(d, WARN, "配置文件",
		       "未设置 totp_seal_key：动态口令的密钥以原样存在数据库中（docs/security.md）");
	if (!*config_str("audit_anchor_file", ""))
		report(d, WARN, "配置文件",
		       "未设置 audit_anchor_file：审计日志链头没有锚定在数据库之外（docs/security.md）");
}

static void check_installed_files(struct doctor *d)
{
	const char *templates = config_str("templates_dir", BIAOGAN_TEMPLATES_DIR);
	const char *sql = config_str("sql_dir", BIAOGAN_SQL_DIR);
	struct buf layout = BUF_INIT;
	buf_addf(&layout, "%s/layout.html", templates);
	if (access(layout.data, R_OK))
		report(d, FAIL, "页面模板", "%s 不可读：templates_dir 应指向安装的 templates 目录", layout.data);
	else
		report(d, OK, "页面模板", "%s", templates);
	buf_release(&layout);
	if (!is_dir(sql))
		report(d, FAIL, "数据库迁移文件", "%s 不是目录：sql_dir 应指向安装的 sql 目录", sql);
	const char *spool = config_str("upload_tmp_dir", NULL);
	if (!spool || !*spool)
		spool = getenv("TMPDIR");
	if (!spool || !*spool)
		spool = "/tmp";
	if (!is_dir(spool))
		report(d, FAIL, "上传暂存目录", "%s 不存在或不是目录", spool);
	else if (access(spool, W_OK | X_OK))
		report(d, FAIL, "上传暂存目录", "%s 不可写（以运行程序的用户 biaogan 运行本检查）", spool);
	else
		report(d, OK, "上传暂存目录", "%s", spool);
}

/* ---- database ---- */

static bool check_database(struct doctor *d)
{
	json_object *row = NULL;
	if (db_ensure() != DB_OK) {
		report(d, FAIL, "数据库", "无法连接（原因见上方日志）：检查 db_socket 或 db_host/db_port、"
					    "db_user、db_password，以及 MariaDB 是否在运行");
		return false;
	}
	if (db_query_row(&row,
			 "SELECT VERSION() AS version, DATABASE() AS name, CURRENT_USER() AS account,"
			 " (SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA"
			 "  WHERE SCHEMA_NAME = DATABASE()) AS charset",
			 "") != DB_OK ||
	    !row) {
		report(d, FAIL, "数据库", "已连接，但查询失败（见上方日志）");
		json_object_put(row);
		return false;
	}
	report(d, OK, "数据库", "MariaDB %s，数据库 %s，账号 %s", db_str(row, "version", "?"),
	       db_str(row, "name", "?"), db_str(row, "account", "?"));
	if (strcmp(db_str(row, "charset", ""), "utf8mb4"))
		report(d, FAIL, "数据库", "数据库的默认字符集是 %s，应为 utf8mb4（docs/deploy.md 第4步）",
		       db_str(row, "charset", "?"));
	json_object_put(row);
	return true;
}

/* The programs' account needs these four and nothing more (docs/deploy.md,
 * section 4); a schema change is the owner account's, by migrate. */
static const char *const needed_privileges[] = { "SELECT", "INSERT", "UPDATE", "DELETE" };

static void check_privileges(struct doctor *d)
{
	json_object *row = NULL, *rows = NULL;
	struct buf grantee = BUF_INIT, extra = BUF_INIT, missing = BUF_INIT;
	if (db_query_row(&row, "SELECT CURRENT_USER() AS account", "") != DB_OK || !row) {
		report(d, FAIL, "数据库权限", "无法读取当前账号（见上方日志）");
		goto out;
	}
	const char *account = db_str(row, "account", "");
	const char *at = strrchr(account, '@');
	if (!at) {
		report(d, FAIL, "数据库权限", "当前账号 %s 的格式不可识别", account);
		goto out;
	}
	/* information_schema spells the grantee 'user'@'host'. */
	buf_addf(&grantee, "'%.*s'@'%s'", (int)(at - account), account, at + 1);
	if (db_query(&rows,
		     "SELECT p, MAX(g) AS g FROM ("
		     " SELECT PRIVILEGE_TYPE AS p, IS_GRANTABLE AS g FROM information_schema.SCHEMA_PRIVILEGES"
		     " WHERE GRANTEE = ? AND TABLE_SCHEMA = DATABASE()"
		     " UNION ALL SELECT PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES"
		     " WHERE GRANTEE = ? AND PRIVILEGE_TYPE <> 'USAGE') t GROUP BY p ORDER BY p",
		     "ss", grantee.data, grantee.data) != DB_OK) {
		report(d, FAIL, "数据库权限", "无法读取账号的权限（见上方日志）");
		goto out;
	}
	bool grantable = false;
	for (size_t i = 0; i < ARRAY_LEN(needed_privileges); i++) {
		bool have = false;
		for (size_t j = 0; j < json_object_array_length(rows); j++)
			if (!strcmp(db_str(json_object_array_get_idx(rows, j), "p", ""), needed_privileges[i]))
				have = true;
		if (!have)
			buf_addf(&missing, "%s%s", missing.len ? "、" : "", needed_privileges[i]);
	}
	for (size_t j = 0; j < json_object_array_length(rows); j++) {
		json_object *r = json_object_array_get_idx(rows, j);
		const char *p = db_str(r, "p", "");
		if (!strcmp(db_str(r, "g", ""), "YES"))
			grantable = true;
		if (!listed(p, needed_privileges, ARRAY_LEN(needed_privileges)))
			buf_addf(&extra, "%s%s", extra.len ? "、" : "", p);
	}
	if (missing.len)
		report(d, FAIL, "数据库权限", "账号 %s 缺少 %s 权限：GRANT SELECT, INSERT, UPDATE, DELETE ON 库名.* TO ...",
		       account, missing.data);
	else if (extra.len || grantable)
		report(d, WARN, "数据库权限",
		       "账号 %s 的权限多于程序所需（%s%s）：程序只需 SELECT, INSERT, UPDATE, DELETE，"
		       "改表结构用 owner 账号（docs/deploy.md 第4步）",
		       account, extra.len ? extra.data : "", grantable ? "，可转授" : "");
	else
		report(d, OK, "数据库权限", "SELECT, INSERT, UPDATE, DELETE，没有多余权限");
out:
	json_object_put(row);
	json_object_put(rows);
	buf_release(&grantee);
	buf_release(&extra);
	buf_release(&missing);
}

static void check_migrations(struct doctor *d)
{
	struct migrate_counts mc;
	const char *sql = config_str("sql_dir", BIAOGAN_SQL_DIR);
	int rc = migrate_count(sql, &mc);
	if (rc == -10)
		return; /* the directory: reported by check_installed_files */
	if (rc != DB_OK) {
		report(d, FAIL, "数据库迁移",
		       "无法读取 schema_migration（尚未运行 biaogan-admin migrate？见上方日志）");
		return;
	}
	if (mc.changed)
		report(d, FAIL, "数据库迁移",
		       "%zu 个已执行的迁移文件此后被改动（第一个：%s）：安装的 sql 目录与数据库不符",
		       mc.changed, mc.first_changed);
	if (mc.pending)
		report(d, FAIL, "数据库迁移",
		       "%zu 个迁移尚未执行（第一个：%s）：以 owner 账号运行 biaogan-admin migrate",
		       mc.pending, mc.first_pending);
	if (!mc.changed && !mc.pending)
		report(d, OK, "数据库迁移", "%zu 个迁移均已执行", mc.applied);
}

/* A year's arrangement of holidays is published by the State Council late
 * in the year before: its absence is normal until October, then a reminder,
 * and for the running year an error (working days cannot be counted). */
static void check_calendar(struct doctor *d)
{
	json_object *years = NULL;
	int y, m, dd;
	civil_to_ymd(civil_today_shanghai(), &y, &m, &dd);
	if (calendar_db_years_json(&years) != DB_OK) {
		report(d, FAIL, "工作日日历", "无法读取（见上方日志）");
		return;
	}
	bool this_year = false, next_year = false;
	for (size_t i = 0; i < json_object_array_length(years); i++) {
		json_object *r = json_object_array_get_idx(years, i);
		if (!db_int(r, "complete", 0))
			continue;
		this_year |= db_int(r, "year", 0) == y;
		next_year |= db_int(r, "year", 0) == y + 1;
	}
	json_object_put(years);
	if (!this_year)
		report(d, FAIL, "工作日日历",
		       "%d年的节假日安排未导入或未确认完整：公示期、截止日期无法按工作日计算"
		       "（biaogan-admin calendar import，或 系统管理 → 工作日日历）",
		       y);
	else if (!next_year && m >= 10)
		report(d, WARN, "工作日日历",
		       "%d年已导入；%d年的安排尚未导入：国务院办公厅公布后请及时导入", y, y + 1);
	else
		report(d, OK, "工作日日历", next_year ? "%d年、%d年均已导入" : "%d年已导入", y, y + 1);
}

static void check_mail(struct doctor *d)
{
	const char *sendmail = config_str("mail_sendmail", "");
	const char *from = config_str("mail_from", "");
	json_object *row = NULL;
	if (!*sendmail) {
		report(d, OK, "邮件", "未配置 mail_sendmail：通知只在网站上显示");
		return;
	}
	if (access(sendmail, X_OK))
		report(d, FAIL, "邮件", "mail_sendmail = %s 不可执行：%s", sendmail, strerror(errno));
	if (!strchr(from, '@'))
		report(d, FAIL, "邮件", "已配置 mail_sendmail，但 mail_from 不是邮件地址");
	if (!*config_str("public_base_url", ""))
		report(d, WARN, "邮件", "未设置 public_base_url：邮件里的链接只有路径，没有网站地址");
	if (db_query_row(&row,
			 "SELECT IFNULL(SUM(mail_state = 'failed'), 0) AS failed,"
			 " IFNULL(SUM(mail_state = 'pending'), 0) AS pending,"
			 " IFNULL(SUM(mail_state = 'pending' AND mail_next_at < NOW() - INTERVAL 1 HOUR), 0)"
			 " AS overdue FROM notification WHERE mail_state IN ('pending', 'failed')",
			 "") != DB_OK ||
	    !row) {
		report(d, FAIL, "邮件", "无法读取邮件队列（见上方日志）");
		json_object_put(row);
		return;
	}
	if (db_int(row, "overdue", 0))
		report(d, WARN, "邮件",
		       "%lld 封邮件已到发送时间一小时以上仍未发出：biaogan-mail.timer 是否在运行？",
		       db_int(row, "overdue", 0));
	if (db_int(row, "failed", 0))
		report(d, WARN, "邮件", "%lld 封邮件多次发送失败，已放弃（biaogan-admin mail status）",
		       db_int(row, "failed", 0));
	if (!db_int(row, "overdue", 0) && !db_int(row, "failed", 0))
		report(d, OK, "邮件", "经 %s 发送，待发 %lld 封", sendmail, db_int(row, "pending", 0));
	json_object_put(row);
}

/* ---- disk space ---- */

#define MIB (1024.0 * 1024.0)
#define DISK_FAIL_BYTES (512.0 * MIB)
#define DISK_WARN_BYTES (2048.0 * MIB)

static void check_space(struct doctor *d, const char *what, const char *path, double need)
{
	struct statvfs sv;
	if (statvfs(path, &sv)) {
		report(d, WARN, "磁盘空间", "%s %s：无法查看（%s）", what, path, strerror(errno));
		return;
	}
	double total = (double)sv.f_blocks * (double)sv.f_frsize;
	double avail = (double)sv.f_bavail * (double)sv.f_frsize;
	double share = total > 0 ? 100.0 * avail / total : 0;
	if (avail < DISK_FAIL_BYTES || avail < need)
		report(d, FAIL, "磁盘空间", "%s %s 只剩 %.0f MiB（%.0f%%）", what, path, avail / MIB, share);
	else if (avail < DISK_WARN_BYTES || share < 10)
		report(d, WARN, "磁盘空间", "%s %s 剩 %.0f MiB（%.0f%%），请及时清理或扩容", what, path,
		       avail / MIB, share);
	else
		report(d, OK, "磁盘空间", "%s %s 剩 %.1f GiB（%.0f%%）", what, path, avail / MIB / 1024,
		       share);
}

static bool database_is_local(void)
{
	const char *host = config_str("db_host", "");
	return *config_str("db_socket", "") || !*host || !strcmp(host, "localhost") ||
	       !strcmp(host, "127.0.0.1") || !strcmp(host, "::1");
}

static void check_disk(struct doctor *d, bool db_up)
{
	const char *spool = config_str("upload_tmp_dir", NULL);
	if (!spool || !*spool)
		spool = getenv("TMPDIR");
	if (!spool || !*spool)
		spool = "/tmp";
	/* A few uploads at once, each up to upload_max_bytes. */
	if (is_dir(spool))
		check_space(d, "上传暂存目录", spool, 4.0 * (double)config_int("upload_max_bytes", 20971520));
	const char *anchors = config_str("audit_anchor_file", "");
	if (*anchors) {
		struct buf dir = BUF_INIT;
		const char *slash = strrchr(anchors, '/');
		buf_addf(&dir, "%.*s", slash ? (int)(slash - anchors) : 1, slash ? anchors : ".");
		if (!dir.len)
			buf_adds(&dir, "/");
		if (is_dir(dir.data))
			check_space(d, "审计锚点目录", dir.data, 0);
		else
			report(d, FAIL, "审计锚点", "audit_anchor_file 的目录 %s 不存在", dir.data);
		buf_release(&dir);
	}
	json_object *row = NULL;
	if (db_up && database_is_local() &&
	    db_query_row(&row, "SELECT @@datadir AS datadir", "") == DB_OK && row)
		check_space(d, "MariaDB 数据目录", db_str(row, "datadir", "/var/lib/mysql"), 0);
	json_object_put(row);
}

int doctor_run(FILE *out)
{
	struct doctor d = { out, { 0, 0, 0 } };
	check_config_file(&d);
	check_installed_files(&d);
	bool db_up = check_database(&d);
	if (db_up) {
		check_privileges(&d);
		check_migrations(&d);
		check_calendar(&d);
	}
	if (db_up || !*config_str("mail_sendmail", ""))
		check_mail(&d);
	check_disk(&d, db_up);
	fprintf(out, "共 %u 项：正常 %u，注意 %u，错误 %u\n", d.count[OK] + d.count[WARN] + d.count[FAIL],
		d.count[OK], d.count[WARN], d.count[FAIL]);
	return d.count[FAIL] ? DOCTOR_EXIT_PROBLEM : 0;
}
