#include "core/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/banned.h"

static const char SQL_HEAD[] = "SELECT last_hash FROM audit_head WHERE id = 1 FOR UPDATE";
static const char SQL_NOW[] = "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now";
static const char SQL_INSERT[] =
	"INSERT INTO audit (at, account_id, login, role, ip, action, object_type, object_id,"
	" summary, prev_hash, hash) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SET_HEAD[] = "UPDATE audit_head SET last_hash = ? WHERE id = 1";
static const char SQL_WALK[] =
	"SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s') AS at, IFNULL(account_id, 0) AS account_id,"
	" login, role, ip, action, object_type, object_id, summary, prev_hash, hash"
	" FROM audit WHERE id > ? ORDER BY id LIMIT 1000";
static const char SQL_HEAD_READ[] = "SELECT last_hash FROM audit_head WHERE id = 1";

/* Each field is length-prefixed so no choice of values can make two
 * different rows hash alike. */
static void add_part(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "-1:");
		return;
	}
	buf_addf(b, "%zu:%s", strlen(s), s);
}

static void row_hash(const char *prev, const char *at, long long account_id, const char *login,
		     const char *role, const char *ip, const char *action, const char *otype,
		     const char *oid, const char *summary, char out[65])
{
	struct buf text = BUF_INIT, hex = BUF_INIT;
	unsigned char h[SHA256_BYTES];
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", account_id);
	add_part(&text, prev);
	add_part(&text, at);
	add_part(&text, idtext);
	add_part(&text, login);
	add_part(&text, role);
	add_part(&text, ip);
	add_part(&text, action);
	add_part(&text, otype);
	add_part(&text, oid);
	add_part(&text, summary);
	sha256(h, text.data, text.len);
	buf_addhex(&hex, h, sizeof h);
	memcpy(out, hex.data, 65);
	buf_release(&text);
	buf_release(&hex);
}

int audit_write(const struct actor *who, const char *action, const char *object_type,
		const char *object_id, const char *summary)
{
	json_object *head = NULL, *now = NULL;
	char hash[65], prev[65];
	int rc;

	if ((rc = db_query_row(&head, SQL_HEAD, "")) != DB_OK)
		return rc;
	if (!head) {
		log_err("audit: audit_head row missing");
		return DB_ERROR;
	}
	snprintf(prev, sizeof prev, "%s", db_str(head, "last_hash", ""));
	json_object_put(head);
	if ((rc = db_query_row(&now, SQL_NOW, "")) != DB_OK)
		return rc;
	const char *at = db_str(now, "now", "");
	row_hash(prev, at, who->user_id, who->login, who->role, who->ip, action, object_type,
		 object_id, summary, hash);
	rc = db_exec(SQL_INSERT, "sisssssssss", at, who->user_id, who->login, who->role, who->ip,
		     action, object_type, object_id, summary, prev, hash);
	json_object_put(now);
	if (rc == DB_OK)
		rc = db_exec(SQL_SET_HEAD, "s", hash);
	return rc;
}

int audit_commit(int rc, const struct actor *who, const char *action, const char *object_type,
		 const char *object_id, const char *summary)
{
	if (rc == DB_OK)
		rc = audit_write(who, action, object_type, object_id, summary);
	return db_finish(rc);
}

/* The head and every row are read in ONE consistent snapshot: read apart,
 * a row committed between the walk and the head read made an intact chain
 * look broken under load. */
/* Anchors in the order of their rows' ids, so the walk meets each once. */
static int by_id(const void *a, const void *b)
{
	const struct audit_anchor *x = *(const struct audit_anchor *const *)a;
	const struct audit_anchor *y = *(const struct audit_anchor *const *)b;
	return (x->id > y->id) - (x->id < y->id);
}

int audit_verify(const struct audit_anchor *anchors, size_t n_anchors, struct audit_verdict *v)
{
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	long long last_id = 0;
	json_object *head = NULL;
	const struct audit_anchor **order = NULL;
	size_t k = 0;
	int rc;

	memset(v, 0, sizeof *v);
	if (n_anchors) {
		if (!(order = calloc(n_anchors, sizeof *order)))
			return DB_ERROR;
		for (size_t i = 0; i < n_anchors; i++)
			order[i] = &anchors[i];
		qsort(order, n_anchors, sizeof *order, by_id);
	}
	/* The anchors of the chain when it was empty. */
	for (; k < n_anchors && order[k]->id == 0 && !v->bad_anchor; k++)
		if (strcmp(order[k]->hash, prev))
			v->bad_anchor = order[k];
	if ((rc = db_begin_snapshot()) != DB_OK)
		goto out;
	if ((rc = db_query_row(&head, SQL_HEAD_READ, "")) != DB_OK) {
		db_rollback();
		goto out;
	}
	for (;;) {
		json_object *rows = NULL;
		size_t n;
		if ((rc = db_query(&rows, SQL_WALK, "i", last_id)) != DB_OK) {
			db_rollback();
			goto out;
		}
		n = json_object_array_length(rows);
		for (size_t i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(rows, i);
			char want[65];
			long long id = db_int(r, "id", 0);
			row_hash(prev, db_str(r, "at", NULL), db_int(r, "account_id", 0),
				 db_str(r, "login", NULL), db_str(r, "role", NULL), db_str(r, "ip", NULL),
				 db_str(r, "action", NULL), db_str(r, "object_type", NULL),
				 db_str(r, "object_id", NULL), db_str(r, "summary", NULL), want);
			if (strcmp(prev, db_str(r, "prev_hash", "")) || strcmp(want, db_str(r, "hash", ""))) {
				v->bad_row = id;
				break;
			}
			/* An anchored id the walk stepped over is a row deleted. */
			for (; k < n_anchors && order[k]->id <= id && !v->bad_anchor; k++)
				if (order[k]->id < id || strcmp(order[k]->hash, want))
					v->bad_anchor = order[k];
			memcpy(prev, want, sizeof prev);
			last_id = id;
			v->rows++;
		}
		json_object_put(rows);
		if (v->bad_row || n < 1000)
			break;
	}
	db_rollback(); /* read only: nothing to keep */
	/* The head must name the last row: a deleted tail shows here. */
	if (!v->bad_row && !(head && !strcmp(db_str(head, "last_hash", ""), prev)))
		v->bad_row = last_id ? last_id + 1 : 1;
	/* Anchored rows beyond the end: the tail they were in is gone. */
	if (!v->bad_row && !v->bad_anchor && k < n_anchors)
		v->bad_anchor = order[k];
	v->head.id = last_id;
	memcpy(v->head.hash, prev, sizeof v->head.hash);
out:
	json_object_put(head);
	free(order);
	return rc;
}

/* ---- refusals ---- */

#define REFUSALS_PER_SOURCE 10
#define REFUSALS_PER_MINUTE 300
#define REFUSALS_PER_ADDRESS 60
#define ROUTE_MAX 100

static const char SQL_MINUTE[] = "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:00') AS m";
static const char SQL_COUNT_UP[] =
	"INSERT INTO audit_refusal_count (minute, ip, actor, action, route, n)"
	" VALUES (?, ?, ?, ?, ?, 1) ON DUPLICATE KEY UPDATE n = n + 1";
static const char SQL_COUNT_GET[] =
	"SELECT n FROM audit_refusal_count"
	" WHERE minute = ? AND ip = ? AND actor = ? AND action = ? AND route = ?";
/* The counts of the day before are of no more use; rows are one per source
 * and minute, so this bounds the table. */
static const char SQL_COUNT_PRUNE[] =
	"DELETE FROM audit_refusal_count WHERE minute < ? - INTERVAL 1 DAY LIMIT 10000";

/* Adds one to the count of (minute, ip, actor, action, route) and reads it. */
static int count_up(const char *minute, const char *ip, const char *actor, const char *action,
		    const char *route, long long *n)
{
	json_object *row = NULL;
	int rc = db_exec(SQL_COUNT_UP, "sssss", minute, ip, actor, action, route);
	if (rc == DB_OK)
		rc = db_query_row(&row, SQL_COUNT_GET, "sssss", minute, ip, actor, action, route);
	*n = db_int(row, "n", 0);
	json_object_put(row);
	return rc;
}

static long long limit_of(const char *key, long long dflt)
{
	long long v = config_int(key, dflt);
	return v < 1 ? 1 : v;
}

int audit_refusal(const struct actor *who, const char *action, const char *route,
		  const char *object_type, const char *object_id, const char *summary)
{
	long long per_source = limit_of("audit_refusals_per_source", REFUSALS_PER_SOURCE);
	long long per_minute = limit_of("audit_refusals_per_minute", REFUSALS_PER_MINUTE);
	long long per_address = limit_of("audit_refusals_per_address", REFUSALS_PER_ADDRESS);
	json_object *head = NULL, *now = NULL;
	struct buf note = BUF_INIT;
	char actor[AUTH_LOGIN_MAX + 2], cut[ROUTE_MAX + 1];
	const char *minute;
	long long all = 0, n = 0;
	int rc;

	/* Nothing the request left open rides on this commit. */
	db_rollback();
	if ((rc = db_begin()) != DB_OK)
		return rc;
	/* The chain's head first: refusals queue here, as every audit write
	 * does, and so never deadlock on their counters. */
	if ((rc = db_query_row(&head, SQL_HEAD, "")) != DB_OK ||
	    (rc = db_query_row(&now, SQL_MINUTE, "")) != DB_OK)
		goto out;
	minute = db_str(now, "m", "");
	/* Nobody logged in: the name typed, if any ("@name"), so that one
	 * wrong name does not hide another; every source of one address is
	 * bounded together below. */
	if (who->user_id == 0 && who->login && *who->login)
		snprintf(actor, sizeof actor, "@%s", who->login);
	else
		snprintf(actor, sizeof actor, "%lld", who->user_id);
	snprintf(cut, sizeof cut, "%s", route ? route : "");
	if ((rc = count_up(minute, "", "", "*", "", &all)) != DB_OK)
		goto out;
	if (all == 1 && (rc = db_exec(SQL_COUNT_PRUNE, "s", minute)) != DB_OK)
		goto out;
	if (all > per_minute) {
		if (all == per_minute + 1) {
			buf_addf(&note, "本分钟内拒绝访问已超过%lld次：其余的只计数，不再逐条记录", per_minute);
			rc = audit_write(who, "refused.limit", NULL, NULL, note.data);
		}
		goto out;
	}
	if (who->user_id == 0) {
		long long from_address = 0;
		if ((rc = count_up(minute, who->ip ? who->ip : "", "*", "*", "", &from_address)) != DB_OK)
			goto out;
		if (from_address > per_address) {
			if (from_address == per_address + 1) {
				buf_addf(&note, "同一地址未登录的请求本分钟内被拒绝已超过%lld次，其余的只计数：%s",
					 per_address, summary);
				rc = audit_write(who, "refused.limit", object_type, object_id, note.data);
			}
			goto out;
		}
	}
	if ((rc = count_up(minute, who->ip ? who->ip : "", actor, action, cut, &n)) != DB_OK)
		goto out;
	if (n <= per_source) {
		rc = audit_write(who, action, object_type, object_id, summary);
	} else if (n == per_source + 1) {
		buf_addf(&note, "同一来源（IP、账户、操作、页面）本分钟内被拒绝已超过%lld次，其余的只计数：%s",
			 per_source, summary);
		rc = audit_write(who, "refused.limit", object_type, object_id, note.data);
	}
out:
	json_object_put(head);
	json_object_put(now);
	buf_release(&note);
	return db_finish(rc);
}

/* ---- labels ---- */

enum group { G_REFUSED, G_LOGIN, G_ACCOUNT, G_ENTERPRISE, G_ROUND, G_APPLICATION, G_RECOMMEND,
	     G_EXPERT, G_CALENDAR, G_DRAW, G_REVIEW, G_PUBLICITY, G_PUBLISH, G_MANAGE,
	     G_COUNT };

static const struct {
	const char *label;
	const char *prefix; /* the filter for the whole group; NULL when it has none */
} groups[G_COUNT] = {
	[G_REFUSED] = { "拒绝访问", "refused." },
	[G_LOGIN] = { "登录与退出", NULL },
	[G_ACCOUNT] = { "账户", "account." },
	[G_ENTERPRISE] = { "企业与信用代码", NULL },
	[G_ROUND] = { "年度遴选", "round." },
	[G_APPLICATION] = { "申报书与附件", NULL },
	[G_RECOMMEND] = { "市（地）推荐与信用核查", NULL },
	[G_EXPERT] = { "专家库", "expert." },
	[G_CALENDAR] = { "工作日历", "calendar." },
	[G_DRAW] = { "评审会与专家抽取", "draw." },
	[G_REVIEW] = { "材料评审与合议", "review." },
	[G_PUBLICITY] = { "拟定名单、公示与异议", "publicity." },
	[G_PUBLISH] = { "审议、发布与全国推荐", "publish." },
	[G_MANAGE] = { "动态管理与经验交流", "manage." },
};

/* Every action written anywhere (an action missing here shows as its code:
 * tests/unit/core/test_audit.c and tests/integration/test_zy_audit.py look). */
static const struct {
	const char *code;
	const char *label;
	enum group group;
} actions[] = {
	{ "refused.role", "拒绝访问：角色无权限", G_REFUSED },
	{ "refused.object", "拒绝访问：对象不存在或无权访问", G_REFUSED },
	{ "refused.csrf", "拒绝提交：表单令牌无效", G_REFUSED },
	{ "refused.upload_type", "拒绝上传：文件类型不符", G_REFUSED },
	{ "refused.locked", "拒绝登录：账户锁定中", G_REFUSED },
	{ "refused.limit", "拒绝过多：其后只计数", G_REFUSED },
	{ "refused.rule", "拒绝操作：输入或状态不符合规则", G_REFUSED },
	{ "refused.rate", "拒绝提交：超过频率限制", G_REFUSED },
	{ "login.ok", "登录成功", G_LOGIN },
	{ "login.fail", "登录失败", G_LOGIN },
	{ "logout", "退出登录", G_LOGIN },
	{ "confirm.fail", "确认身份失败（第二人确认）", G_LOGIN },
	{ "session.end_one", "管理员结束会话", G_LOGIN },
	{ "session.end_all", "管理员结束账户全部会话", G_LOGIN },
	{ "audit.export", "导出审计日志", G_LOGIN },
	{ "mfa.ok", "动态口令验证通过", G_LOGIN },
	{ "mfa.fail", "动态口令验证失败", G_LOGIN },
	{ "mfa.begin", "开始绑定动态口令", G_ACCOUNT },
	{ "mfa.enrol", "绑定动态口令", G_ACCOUNT },
	{ "mfa.require", "要求使用动态口令", G_ACCOUNT },
	{ "mfa.release", "取消单独要求动态口令", G_ACCOUNT },
	{ "mfa.reset", "重置动态口令", G_ACCOUNT },
	{ "account.create", "新建账户", G_ACCOUNT },
	{ "account.lock", "账户锁定", G_ACCOUNT },
	{ "account.unlock", "解除锁定", G_ACCOUNT },
	{ "account.email", "设置通知邮箱", G_ACCOUNT },
	{ "notice.read", "通知标为已读", G_ACCOUNT },
	{ "account.disable", "停用账户", G_ACCOUNT },
	{ "account.enable", "启用账户", G_ACCOUNT },
	{ "account.password_change", "修改密码", G_ACCOUNT },
	{ "account.password_reset", "重置密码", G_ACCOUNT },
	{ "account.password_change_fail", "修改密码失败：原密码错误", G_ACCOUNT },
	{ "enterprise.register", "企业注册", G_ENTERPRISE },
	{ "enterprise.create", "填写企业信息", G_ENTERPRISE },
	{ "enterprise.type", "填写企业类型", G_ENTERPRISE },
	{ "uscc.exception_add", "新增信用代码校验例外", G_ENTERPRISE },
	{ "uscc.exception_remove", "撤销信用代码校验例外", G_ENTERPRISE },
	{ "round.create", "新建年度遴选", G_ROUND },
	{ "round.update", "修改年度遴选", G_ROUND },
	{ "round.deadline", "调整遴选时间", G_ROUND },
	{ "application.create", "新建申报书", G_APPLICATION },
	{ "application.save", "保存申报书", G_APPLICATION },
	{ "application.submit", "提交申报书", G_APPLICATION },
	{ "attachment.upload", "上传附件", G_APPLICATION },
	{ "attachment.download", "下载附件", G_APPLICATION },
	{ "attachment.delete", "删除附件", G_APPLICATION },
	{ "recommend.return", "退回修改", G_RECOMMEND },
	{ "recommend.decline", "不予推荐", G_RECOMMEND },
	{ "recommend.recommend", "推荐", G_RECOMMEND },
	{ "recommend.reconsider", "撤回推荐决定", G_RECOMMEND },
	{ "recommend.reorder", "调整推荐排序", G_RECOMMEND },
	{ "recommend.batch.submit", "提交推荐批次", G_RECOMMEND },
	{ "recommend.batch.reopen", "重新开放推荐批次", G_RECOMMEND },
	{ "recommend.batch.extend", "延长推荐截止时间", G_RECOMMEND },
	{ "recommend.export", "导出推荐名单", G_RECOMMEND },
	{ "credit.record", "记录信用核查", G_RECOMMEND },
	{ "expert.create", "新增专家", G_EXPERT },
	{ "expert.update", "修改专家信息", G_EXPERT },
	{ "expert.relation.add", "登记专家回避关系", G_EXPERT },
	{ "expert.relation.remove", "撤销专家回避关系", G_EXPERT },
	{ "expert.suspend", "暂停专家", G_EXPERT },
	{ "expert.remove", "移出专家库", G_EXPERT },
	{ "expert.reactivate", "恢复专家在库", G_EXPERT },
	{ "expert.import", "导入专家库", G_EXPERT },
	{ "expert.account", "开通专家账户", G_EXPERT },
	{ "calendar.add", "新增日历日期", G_CALENDAR },
	{ "calendar.edit", "修改日历日期", G_CALENDAR },
	{ "calendar.remove", "删除日历日期", G_CALENDAR },
	{ "calendar.import", "导入日历", G_CALENDAR },
	{ "calendar.complete", "标记年度日历完整", G_CALENDAR },
	{ "calendar.reopen", "重新开放年度日历", G_CALENDAR },
	{ "draw.session.create", "新建评审会", G_DRAW },
	{ "draw.session.update", "修改评审会", G_DRAW },
	{ "draw.commit", "固定候选名单与种子承诺", G_DRAW },
	{ "draw.panel", "抽取评审专家", G_DRAW },
	{ "draw.replace", "补抽专家", G_DRAW },
	{ "draw.reveal", "公开抽取种子", G_DRAW },
	{ "draw.rate", "评价专家工作", G_DRAW },
	{ "draw.export", "导出抽取记录", G_DRAW },
	{ "review.configure", "设置评审组组长与评分截止时间", G_REVIEW },
	{ "review.declare", "签署保密与无利益冲突声明", G_REVIEW },
	{ "review.recuse", "专家申请回避", G_REVIEW },
	{ "review.save", "保存评分草稿", G_REVIEW },
	{ "review.submit", "提交评分", G_REVIEW },
	{ "review.revise", "组长请专家修改评分", G_REVIEW },
	{ "review.conclude", "记录合议结论", G_REVIEW },
	{ "review.confirm", "专家确认合议结论", G_REVIEW },
	{ "review.dissent", "专家对合议结论提出不同意见", G_REVIEW },
	{ "review.reopen", "重新开放合议结论", G_REVIEW },
	{ "review.export", "导出评分", G_REVIEW },
	{ "publicity.propose", "列入拟定名单", G_PUBLICITY },
	{ "publicity.unpropose", "撤出拟定名单", G_PUBLICITY },
	{ "publicity.start", "开始公示", G_PUBLICITY },
	{ "publicity.objection.file", "收到公示异议", G_PUBLICITY },
	{ "publicity.objection.note", "记录异议调查核实情况", G_PUBLICITY },
	{ "publicity.objection.decide", "作出异议处理结论", G_PUBLICITY },
	{ "publish.approve", "记录厅长办公会审议通过", G_PUBLISH },
	{ "publish.publish", "发布质量标杆名单", G_PUBLISH },
	{ "publish.national", "保存全国推荐名单", G_PUBLISH },
	{ "publish.package", "下载全国推荐材料包", G_PUBLISH },
	{ "manage.draft", "拟写称号处理决定", G_MANAGE },
	{ "manage.revoke", "撤销质量标杆称号", G_MANAGE },
	{ "manage.reinstate", "恢复质量标杆称号", G_MANAGE },
	{ "manage.national_title", "记录全国质量标杆称号", G_MANAGE },
	{ "manage.activity.add", "登记经验交流活动", G_MANAGE },
	{ "manage.participation.add", "登记参加经验交流", G_MANAGE },
	{ "manage.participation.remove", "删除参加经验交流记录", G_MANAGE },
	{ "manage.report", "导出未参加交流名单", G_MANAGE },
};

static const struct {
	const char *code;
	const char *label;
} objects[] = {
	{ "account", "账户" },
	{ "notification", "通知" },
	{ "enterprise", "企业" },
	{ "uscc", "信用代码" },
	{ "round", "年度遴选" },
	{ "application", "申报书" },
	{ "attachment", "附件" },
	{ "calendar_day", "日历日期" },
	{ "calendar_year", "日历年度" },
	{ "recommend_batch", "推荐批次" },
	{ "review_session", "评审会" },
	{ "publicity", "公示" },
	{ "objection", "异议" },
	{ "year", "年度" },
	{ "benchmark", "质量标杆" },
	{ "exchange_activity", "经验交流活动" },
	{ "expert", "专家" },
	{ "expert_import", "专家库导入" },
	{ "route", "页面" },
};

const char *audit_action_label(const char *action)
{
	if (!action)
		return "";
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (!strcmp(action, actions[i].code))
			return actions[i].label;
	return action;
}

const char *audit_object_label(const char *object_type)
{
	if (!object_type)
		return "";
	for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++)
		if (!strcmp(object_type, objects[i].code))
			return objects[i].label;
	return object_type;
}

const char *audit_role_label(const char *role)
{
	enum role r;
	if (!role)
		return "";
	if (!strcmp(role, "public"))
		return "未登录";
	if (!strcmp(role, "operator"))
		return "运维工具";
	r = role_parse(role);
	return r == ROLE_NONE ? role : role_label(r);
}

static json_object *choice(const char *code, const char *label, const char *selected,
			   bool *matched)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "label", json_object_new_string(label));
	if (selected && !strcmp(selected, code)) {
		json_object_object_add(o, "selected", json_object_new_boolean(1));
		*matched = true;
	}
	return o;
}

json_object *audit_action_choices(const char *selected, bool *matched)
{
	json_object *out = json_object_new_array();
	*matched = false;
	for (int g = 0; g < G_COUNT; g++) {
		json_object *grp = json_object_new_object(), *list = json_object_new_array();
		json_object_object_add(grp, "label", json_object_new_string(groups[g].label));
		if (groups[g].prefix) {
			struct buf label = BUF_INIT;
			buf_addf(&label, "%s（全部）", groups[g].label);
			json_object_object_add(grp, "prefix",
					       choice(groups[g].prefix, label.data, selected, matched));
			buf_release(&label);
		}
		for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
			if (actions[i].group == (enum group)g)
				json_object_array_add(list, choice(actions[i].code, actions[i].label,
								   selected, matched));
		json_object_object_add(grp, "actions", list);
		json_object_array_add(out, grp);
	}
	return out;
}

/* ---- the viewer's query ---- */

/* An action code the table knows is matched exactly ("account.password_change"
 * is not "account.password_change_fail"); anything else as a prefix. */
#define LIST_WHERE                                                                               \
	" WHERE (? = '' OR (? = 1 AND action = ?)"                                               \
	" OR (? = 0 AND action LIKE CONCAT(REPLACE(REPLACE(?, '%', '\\\\%'), '_', '\\\\_'), '%')))" \
	" AND (? = '' OR login = ?)"                                                             \
	" AND (? = '' OR at >= ?)"                                                               \
	" AND (? = '' OR at < ? + INTERVAL 1 DAY)"
#define LIST_COLUMNS                                                                             \
	"SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s') AS at, IFNULL(login, '') AS login, role,"  \
	" IFNULL(ip, '') AS ip, action, IFNULL(object_type, '') AS object_type,"                    \
	" IFNULL(object_id, '') AS object_id, summary FROM audit"
/* Keyset paging on the primary key: each page reads its rows and one more. */
static const char SQL_LIST_OLDER[] =
	LIST_COLUMNS LIST_WHERE " AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?";
static const char SQL_LIST_NEWER[] = LIST_COLUMNS LIST_WHERE " AND id > ? ORDER BY id LIMIT ?";

static void add_labels(json_object *r)
{
	json_object_object_add(r, "action_label",
			       json_object_new_string(audit_action_label(db_str(r, "action", ""))));
	json_object_object_add(r, "object_label",
			       json_object_new_string(audit_object_label(db_str(r, "object_type", ""))));
	json_object_object_add(r, "role_label",
			       json_object_new_string(audit_role_label(db_str(r, "role", ""))));
}

int audit_list(json_object **rows, const struct audit_filter *f, bool *more)
{
	json_object *got = NULL, *page;
	long long limit = f->limit < 1 ? 1 : f->limit;
	size_t n, keep;
	int rc;

	*rows = NULL;
	*more = false;
	long long exact = *f->action_prefix &&
			  strcmp(audit_action_label(f->action_prefix), f->action_prefix) != 0;
	if (f->after_id > 0)
		rc = db_query(&got, SQL_LIST_NEWER, "sisisssssssii", f->action_prefix, exact,
			      f->action_prefix, exact, f->action_prefix, f->login, f->login, f->from,
			      f->from, f->to, f->to, f->after_id, limit + 1);
	else
		rc = db_query(&got, SQL_LIST_OLDER, "sisisssssssiii", f->action_prefix, exact,
			      f->action_prefix, exact, f->action_prefix, f->login, f->login, f->from,
			      f->from, f->to, f->to, f->before_id, f->before_id, limit + 1);
	if (rc != DB_OK)
		return rc;
	n = json_object_array_length(got);
	*more = n > (size_t)limit;
	keep = *more ? (size_t)limit : n;
	page = json_object_new_array();
	/* Newest first either way: the newer page was read oldest first, and
	 * its extra row is its newest. */
	for (size_t i = 0; i < keep; i++) {
		json_object *r = json_object_array_get_idx(got, f->after_id > 0 ? keep - 1 - i : i);
		add_labels(r);
		json_object_array_add(page, json_object_get(r));
	}
	json_object_put(got);
	*rows = page;
	return DB_OK;
}

static const char SQL_OF_OBJECT[] =
	LIST_COLUMNS " WHERE object_type = ? AND object_id = ? ORDER BY id DESC LIMIT ?";

int audit_of_object(const char *object_type, const char *object_id, long long limit,
		    json_object **rows)
{
	int rc = db_query(rows, SQL_OF_OBJECT, "ssi", object_type, object_id, limit < 1 ? 1 : limit);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++)
		add_labels(json_object_array_get_idx(*rows, i));
	return rc;
}
