#include "steps/experts/experts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil_date.h"
#include "core/db.h"
#include "core/password.h"
#include "core/utf8.h"
#include "steps/accounts/users.h"
#include "core/banned.h"

#define FMT_DAY "'%Y-%m-%d'"
#define FMT_MIN "'%Y-%m-%d %H:%i'"
#define FMT_SEC "'%Y-%m-%d %H:%i:%s'"

/* ---- the choices ---- */

const struct expert_choice expert_org_types[] = {
	{ "university", "高等院校" }, { "association", "协会学会" },
	{ "enterprise", "重点企业" }, { "other", "其他" },
	{ NULL, NULL },
};
const struct expert_choice expert_title_levels[] = {
	{ "senior", "正高级" }, { "deputy_senior", "副高级" },
	{ "intermediate", "中级及以下" },
	{ NULL, NULL },
};
const struct expert_choice expert_sources[] = {
	{ "solicited", "公开征集" }, { "recommended", "单位推荐" },
	{ NULL, NULL },
};
const struct expert_choice expert_statuses[] = {
	{ "active", "在库" }, { "suspended", "暂停" }, { "removed", "已移出" },
	{ NULL, NULL },
};
const struct expert_choice expert_relation_kinds[] = {
	{ "employment", "任职" }, { "consultancy", "咨询" },
	{ "shareholding", "持股" }, { "relative", "亲属" },
	{ NULL, NULL },
};

static const char *const org_type_codes[] = { "university", "association", "enterprise", "other", NULL };
static const char *const title_level_codes[] = { "senior", "deputy_senior", "intermediate", NULL };
static const char *const source_codes[] = { "solicited", "recommended", NULL };
static const char *const relation_kind_codes[] = { "employment", "consultancy", "shareholding",
						   "relative", NULL };

const char *expert_choice_label(const struct expert_choice *set, const char *code)
{
	for (; code && set->code; set++)
		if (!strcmp(set->code, code))
			return set->label;
	return NULL;
}

json_object *expert_choice_options(const struct expert_choice *set, const char *selected)
{
	json_object *a = json_object_new_array();
	for (; set->code; set++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(set->code));
		json_object_object_add(o, "label", json_object_new_string(set->label));
		if (selected && !strcmp(selected, set->code))
			json_object_object_add(o, "selected", json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- the fields ---- */

const struct field_spec expert_fields[EF_COUNT] = {
	[EF_NAME] = { "name", "姓名", FIELD_LINE, true, 64, 0, 0, NULL },
	[EF_ORG_NAME] = { "org_name", "工作单位", FIELD_LINE, true, 128, 0, 0, NULL },
	/* Longer than 18 on purpose: uscc_validate explains a wrong length. */
	[EF_ORG_USCC] = { "org_uscc", "单位统一社会信用代码", FIELD_LINE, false, 40, 0, 0, NULL },
	[EF_ORG_TYPE] = { "org_type", "单位类型", FIELD_CHOICE, true, 0, 0, 0, org_type_codes },
	[EF_TITLE] = { "title", "职称", FIELD_LINE, true, 64, 0, 0, NULL },
	[EF_TITLE_LEVEL] = { "title_level", "职称级别", FIELD_CHOICE, true, 0, 0, 0, title_level_codes },
	[EF_YEARS] = { "years", "质量管理教学或实践年限", FIELD_INT, true, 0, 0, EXPERT_YEARS_MAX, NULL },
	[EF_SPECIALTIES] = { "specialties", "专业领域", FIELD_TEXT, true, 500, 0, 0, NULL },
	[EF_SOURCE] = { "source", "来源", FIELD_CHOICE, true, 0, 0, 0, source_codes },
	[EF_RECOMMENDED_BY] = { "recommended_by", "推荐单位", FIELD_LINE, false, 128, 0, 0, NULL },
	[EF_MOBILE] = { "mobile", "手机号码", FIELD_MOBILE, true, 0, 0, 0, NULL },
	[EF_EMAIL] = { "email", "电子邮箱", FIELD_EMAIL, true, 254, 0, 0, NULL },
	[EF_DECL_INTEGRITY] = { "declared_integrity", "声明：遵纪守法、无不良信用记录", FIELD_LINE,
				false, 8, 0, 0, NULL },
	[EF_DECL_HEALTH] = { "declared_health", "声明：身体健康、能独立完成评审", FIELD_LINE, false, 8,
			     0, 0, NULL },
};

const struct field_spec expert_relation_fields[RF_COUNT] = {
	[RF_USCC] = { "rel_uscc", "企业统一社会信用代码", FIELD_LINE, true, 40, 0, 0, NULL },
	[RF_NAME] = { "rel_name", "企业名称", FIELD_LINE, false, 128, 0, 0, NULL },
	[RF_KIND] = { "rel_kind", "关系", FIELD_CHOICE, true, 0, 0, 0, relation_kind_codes },
	[RF_NOTE] = { "rel_note", "说明", FIELD_LINE, false, 200, 0, 0, NULL },
};

int expert_field_by_name(const char *name)
{
	for (int i = 0; name && i < EF_COUNT; i++)
		if (!strcmp(expert_fields[i].name, name))
			return i;
	return -1;
}

int expert_field_by_label(const char *label)
{
	for (int i = 0; label && i < EF_COUNT; i++)
		if (!strcmp(expert_fields[i].label, label))
			return i;
	return -1;
}

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msgf(const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	return buf_detach(&m, NULL);
}

/* Blanks a user does not see: ASCII white space, U+00A0, U+3000. */
static size_t blank_at(const char *s, size_t len)
{
	if (len >= 1 && strchr(" \t\r\n\v\f", s[0]) && s[0])
		return 1;
	if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (len >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

static size_t blank_before(const char *s, size_t len)
{
	if (len >= 1 && s[len - 1] && strchr(" \t\r\n\v\f", s[len - 1]))
		return 1;
	if (len >= 2 && (unsigned char)s[len - 2] == 0xC2 && (unsigned char)s[len - 1] == 0xA0)
		return 2;
	if (len >= 3 && (unsigned char)s[len - 3] == 0xE3 && (unsigned char)s[len - 2] == 0x80 &&
	    (unsigned char)s[len - 1] == 0x80)
		return 3;
	return 0;
}

/* A copy of s without the blanks around it; line breaks as LF. */
static char *normalised(const char *s)
{
	struct buf b = BUF_INIT;
	size_t start = 0, end, n;
	for (const char *p = s; *p; p++) {
		if (p[0] == '\r')
			buf_addc(&b, '\n'), p += p[1] == '\n';
		else
			buf_addc(&b, *p);
	}
	end = b.len;
	while (start < end && (n = blank_at(b.data + start, end - start)))
		start += n;
	while (end > start && (n = blank_before(b.data + start, end - start)))
		end -= n;
	{
		char *out = xstrndup(b.data + start, end - start);
		buf_release(&b);
		return out;
	}
}

/* A choice given by its label becomes its code. */
static void choice_to_code(char **v, const struct expert_choice *set)
{
	for (; set->code; set++)
		if (!strcmp(*v, set->label)) {
			free(*v);
			*v = xstrdup(set->code);
			return;
		}
}

static char *choice_message(const struct field_spec *sp, const struct expert_choice *set,
			    const char *v)
{
	struct buf m = BUF_INIT;
	buf_addf(&m, "%s须为", sp->label);
	for (const struct expert_choice *c = set; c->code; c++)
		buf_addf(&m, "%s“%s”", c == set ? "" : c[1].code ? "、" : "或", c->label);
	buf_addf(&m, "（现为“%s”）。", v);
	return buf_detach(&m, NULL);
}

static const char ANNEX_TITLE[] =
	"不符合专家库基本条件：须具有副高级及以上专业技术职称（附件一第（二）项：具有高级专业技术职称）。";
static const char ANNEX_INTEGRITY[] =
	"不符合专家库基本条件：须遵纪守法、无不良信用记录（附件一第（一）项：公正诚信，廉洁自律；"
	"无学术道德问题，无失信、违法违纪等不良记录）。须经专家本人声明后方可入库。";
static const char ANNEX_HEALTH[] =
	"不符合专家库基本条件：须身体健康、能独立完成评审（附件一第（三）项：身体健康，能独立完成评价工作）。"
	"须经专家本人声明后方可入库。";

/* A declaration: "1" or "是" ticked; "", "0", "否" not; else -1. */
static int declaration(const char *v)
{
	if (!strcmp(v, "1") || !strcmp(v, "是"))
		return 1;
	if (!*v || !strcmp(v, "0") || !strcmp(v, "否"))
		return 0;
	return -1;
}

int expert_validate(const char *const in[EF_COUNT], struct expert *out, char *err[EF_COUNT])
{
	int n = 0;
	memset(out, 0, sizeof *out);
	for (int i = 0; i < EF_COUNT; i++) {
		out->v[i] = normalised(in[i] ? in[i] : "");
		err[i] = NULL;
	}
	choice_to_code(&out->v[EF_ORG_TYPE], expert_org_types);
	choice_to_code(&out->v[EF_TITLE_LEVEL], expert_title_levels);
	choice_to_code(&out->v[EF_SOURCE], expert_sources);
	{
		/* "15年" as Excel users write it. */
		char *y = out->v[EF_YEARS];
		size_t len = strlen(y);
		if (len > 3 && !strcmp(y + len - 3, "年"))
			y[len - 3] = '\0';
	}
	for (int i = 0; i < EF_COUNT; i++) {
		const struct field_spec *sp = &expert_fields[i];
		const char *v = out->v[i];
		long long num = 0;
		if (sp->kind == FIELD_CHOICE && *v) {
			bool known = false;
			for (const char *const *c = sp->choices; *c; c++)
				known |= !strcmp(*c, v);
			if (!known && utf8_valid(v, strlen(v)) && !utf8_has_controls(v, strlen(v), false) &&
			    !utf8_has_bidi_controls(v, strlen(v)) && utf8_count(v, strlen(v)) <= 40) {
				err[i] = choice_message(sp, i == EF_ORG_TYPE	 ? expert_org_types
							    : i == EF_TITLE_LEVEL ? expert_title_levels
										 : expert_sources,
							v);
				continue;
			}
		}
		if (i == EF_MOBILE && (strstr(v, "E+") || strstr(v, "e+"))) {
			err[i] = msgf("手机号码“%s”像是被 Excel 显示成了科学计数法：请把该列设为“文本”格式，"
				      "填入完整的11位号码后重新导出。",
				      v);
			continue;
		}
		err[i] = field_check(sp, v, &num);
		if (!err[i] && i == EF_YEARS) {
			out->years = num;
			free(out->v[i]);
			out->v[i] = msgf("%lld", num);
		}
	}
	/* The annex's conditions and what the fields say together. */
	for (int d = EF_DECL_INTEGRITY; d <= EF_DECL_HEALTH; d++) {
		int yes;
		if (err[d])
			continue;
		yes = declaration(out->v[d]);
		if (yes < 0) {
			err[d] = msgf("%s须填写“是”或“否”（现为“%s”）。", expert_fields[d].label, out->v[d]);
			continue;
		}
		free(out->v[d]);
		out->v[d] = xstrdup(yes ? "1" : "");
		if (!yes)
			err[d] = xstrdup(d == EF_DECL_INTEGRITY ? ANNEX_INTEGRITY : ANNEX_HEALTH);
	}
	if (!err[EF_TITLE_LEVEL] && !strcmp(out->v[EF_TITLE_LEVEL], "intermediate"))
		err[EF_TITLE_LEVEL] = xstrdup(ANNEX_TITLE);
	if (!err[EF_YEARS] && out->years < EXPERT_YEARS_MIN)
		err[EF_YEARS] = msgf("不符合专家库基本条件：须有质量管理教学或质量管理实践3年以上经验"
				     "（附件一第（二）项），现填写%lld年。",
				     out->years);
	if (!err[EF_ORG_USCC] && out->v[EF_ORG_USCC][0]) {
		struct uscc_result r;
		char m[USCC_MESSAGE_MAX];
		if (uscc_validate(out->v[EF_ORG_USCC], strlen(out->v[EF_ORG_USCC]), &r) != USCC_OK) {
			uscc_message(&r, m, sizeof m);
			err[EF_ORG_USCC] = msgf("%s。没有统一社会信用代码的单位请留空。", m);
		} else {
			free(out->v[EF_ORG_USCC]);
			out->v[EF_ORG_USCC] = xstrdup(r.code);
		}
	}
	if (!err[EF_SOURCE] && !err[EF_RECOMMENDED_BY]) {
		bool recommended = !strcmp(out->v[EF_SOURCE], "recommended");
		if (recommended && !out->v[EF_RECOMMENDED_BY][0])
			err[EF_RECOMMENDED_BY] = xstrdup("来源为“单位推荐”的专家须填写推荐单位。");
		else if (!recommended && out->v[EF_RECOMMENDED_BY][0] && out->v[EF_SOURCE][0])
			err[EF_RECOMMENDED_BY] =
				xstrdup("来源为“公开征集”的专家不填写推荐单位；如由单位推荐，请将来源选为“单位推荐”。");
	}
	if (!err[EF_ORG_NAME] && !err[EF_ORG_USCC] &&
	    !lot_org_key(out->v[EF_ORG_USCC], out->v[EF_ORG_NAME], out->org_key, sizeof out->org_key))
		err[EF_ORG_NAME] = xstrdup("工作单位名称无法识别（过长，或只有空白字符），请核对。");
	for (int i = 0; i < EF_COUNT; i++)
		n += err[i] != NULL;
	return n;
}

void expert_release(struct expert *e)
{
	for (int i = 0; i < EF_COUNT; i++) {
		free(e->v[i]);
		e->v[i] = NULL;
	}
}

void expert_errors_release(char *err[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(err[i]);
		err[i] = NULL;
	}
}

const char *expert_row_text(json_object *row, enum expert_field f, char tmp[24])
{
	const char *name = expert_fields[f].name;
	if (f == EF_YEARS) {
		snprintf(tmp, 24, "%lld", db_int(row, name, 0));
		return tmp;
	}
	if (f == EF_DECL_INTEGRITY || f == EF_DECL_HEALTH)
		return db_int(row, name, 0) ? "1" : "";
	return db_str(row, name, "");
}

bool expert_changes(const struct expert *e, json_object *row, struct buf *out)
{
	bool any = false;
	char tmp[24];
	for (int i = 0; i < EF_COUNT; i++) {
		if (!strcmp(expert_row_text(row, (enum expert_field)i, tmp), e->v[i] ? e->v[i] : ""))
			continue;
		buf_addf(out, "%s%s", any ? "、" : "", expert_fields[i].label);
		any = true;
	}
	return any;
}

int expert_relation_validate(const char *const in[RF_COUNT], struct expert_relation *out,
			     char *err[RF_COUNT])
{
	char *v[RF_COUNT];
	int n = 0;
	memset(out, 0, sizeof *out);
	for (int i = 0; i < RF_COUNT; i++) {
		v[i] = normalised(in[i] ? in[i] : "");
		err[i] = NULL;
	}
	choice_to_code(&v[RF_KIND], expert_relation_kinds);
	for (int i = 0; i < RF_COUNT; i++) {
		const struct field_spec *sp = &expert_relation_fields[i];
		if (i == RF_KIND && *v[i] && !expert_choice_label(expert_relation_kinds, v[i]) &&
		    utf8_valid(v[i], strlen(v[i])) && !utf8_has_controls(v[i], strlen(v[i]), false) &&
		    !utf8_has_bidi_controls(v[i], strlen(v[i])) && utf8_count(v[i], strlen(v[i])) <= 40)
			err[i] = choice_message(sp, expert_relation_kinds, v[i]);
		else
			err[i] = field_check(sp, v[i], NULL);
	}
	if (!err[RF_USCC]) {
		struct uscc_result r;
		char m[USCC_MESSAGE_MAX];
		if (uscc_validate(v[RF_USCC], strlen(v[RF_USCC]), &r) != USCC_OK) {
			uscc_message(&r, m, sizeof m);
			err[RF_USCC] = msgf("%s。", m);
		} else {
			snprintf(out->uscc, sizeof out->uscc, "%s", r.code);
		}
	}
	if (!err[RF_KIND])
		snprintf(out->kind, sizeof out->kind, "%s", v[RF_KIND]);
	out->name = v[RF_NAME];
	out->note = v[RF_NOTE];
	free(v[RF_USCC]);
	free(v[RF_KIND]);
	for (int i = 0; i < RF_COUNT; i++)
		n += err[i] != NULL;
	return n;
}

void expert_relation_release(struct expert_relation *r)
{
	free(r->name);
	free(r->note);
	r->name = r->note = NULL;
}

/* ---- pure helpers ---- */

void expert_mask_mobile(const char *mobile, struct buf *out)
{
	size_t len = strlen(mobile);
	buf_add(out, mobile, len < 3 ? len : 3);
	buf_adds(out, "****");
	if (len == 11)
		buf_add(out, mobile + 7, 4);
}

void expert_mask_email(const char *email, struct buf *out)
{
	const char *at = strchr(email, '@');
	if (!at || at == email) {
		buf_adds(out, "***");
		return;
	}
	buf_addc(out, email[0]);
	buf_adds(out, "***");
	buf_adds(out, at);
}

int expert_status_parse(const char *name)
{
	for (int i = 0; name && expert_statuses[i].code; i++)
		if (!strcmp(expert_statuses[i].code, name))
			return i;
	return -1;
}

bool expert_action_allowed(enum expert_status s, enum expert_action a)
{
	switch (a) {
	case EXPERT_SUSPEND:
	case EXPERT_REMOVE:
		return s == EXPERT_ACTIVE || s == EXPERT_SUSPENDED;
	case EXPERT_REACTIVATE:
		return s == EXPERT_SUSPENDED || s == EXPERT_REMOVED;
	}
	return false;
}

void expert_status_text(enum expert_status s, const char *until, bool over, struct buf *out)
{
	switch (s) {
	case EXPERT_ACTIVE:
		buf_adds(out, "在库");
		return;
	case EXPERT_SUSPENDED:
		if (over)
			buf_addf(out, "在库（暂停已于 %s 到期）", until ? until : "");
		else
			buf_addf(out, "暂停至 %s", until ? until : "");
		return;
	case EXPERT_REMOVED:
		buf_adds(out, "已移出专家库");
		return;
	}
}

void expert_login_proposal(long long id, char out[24])
{
	snprintf(out, 24, "zj%04lld", id < 0 ? 0 : id);
}

const char *expert_suspend_date_error(const char *until, int32_t today)
{
	int32_t d;
	if (!until || civil_parse(until, &d))
		return "暂停截止日期须为有效日期（年-月-日）。";
	if (d <= today)
		return "暂停截止日期须晚于今天：暂停期间该专家不参加抽取，截止日期的次日起恢复。";
	if (d > today + EXPERT_SUSPEND_MAX_DAYS)
		return "暂停截止日期不能晚于十年之后，请核对年份；长期不再聘用请“移出专家库”。";
	return NULL;
}

/* ---- the pool ---- */

#define EXPERT_COLUMNS                                                                          \
	" e.id, e.account_id, e.name, e.org_name, IFNULL(e.org_uscc, '') AS org_uscc, e.org_key,"  \
	" e.org_type, e.title, e.title_level, e.years, e.specialties, e.source,"                  \
	" IFNULL(e.recommended_by, '') AS recommended_by, e.mobile, e.email,"                      \
	" e.declared_integrity, e.declared_health, e.status,"                                      \
	" IFNULL(DATE_FORMAT(e.suspended_until, " FMT_DAY "), '') AS suspended_until,"            \
	" (e.status = 'suspended' AND e.suspended_until < CURDATE()) AS suspension_over,"         \
	" IFNULL(e.status_reason, '') AS status_reason,"                                           \
	" DATE_FORMAT(e.created_at, " FMT_MIN ") AS created_at,"                                   \
	" DATE_FORMAT(e.updated_at, " FMT_MIN ") AS updated_at"

static const char SQL_GET[] =
	"SELECT" EXPERT_COLUMNS ", IFNULL(u.login, '') AS account_login"
	" FROM expert e LEFT JOIN account u ON u.id = e.account_id WHERE e.id = ?";
static const char SQL_LOCK[] = "SELECT" EXPERT_COLUMNS " FROM expert e WHERE e.id = ? FOR UPDATE";
static const char SQL_BY_MOBILE_LOCK[] =
	"SELECT" EXPERT_COLUMNS " FROM expert e WHERE e.mobile = ? FOR UPDATE";
static const char SQL_MOBILE_LOCK[] =
	"SELECT id FROM expert WHERE mobile = ? AND id <> ? FOR UPDATE";

#define LIST_WHERE                                                                              \
	" WHERE (? = '' OR (? = 'active' AND (e.status = 'active' OR (e.status = 'suspended'"      \
	" AND e.suspended_until < CURDATE())))"                                                   \
	" OR (? = 'suspended' AND e.status = 'suspended' AND e.suspended_until >= CURDATE())"     \
	" OR (? = 'removed' AND e.status = 'removed'))"                                           \
	" AND (? = '' OR e.org_type = ?) AND (? = '' OR e.title_level = ?)"                       \
	" AND (? = '' OR e.name LIKE ? OR e.org_name LIKE ? OR e.specialties LIKE ?)"
static const char SQL_LIST[] =
	"SELECT e.id, e.name, e.org_name, e.org_type, e.title, e.title_level, e.years,"
	" e.specialties, e.mobile, e.email, e.status,"
	" IFNULL(DATE_FORMAT(e.suspended_until, " FMT_DAY "), '') AS suspended_until,"
	" (e.status = 'suspended' AND e.suspended_until < CURDATE()) AS suspension_over,"
	" (e.account_id IS NOT NULL) AS has_account,"
	" (SELECT COUNT(*) FROM expert_relation r WHERE r.expert_id = e.id) AS relations"
	" FROM expert e" LIST_WHERE " ORDER BY e.org_name, e.name, e.id LIMIT ? OFFSET ?";
static const char SQL_LIST_COUNT[] = "SELECT COUNT(*) AS n FROM expert e" LIST_WHERE;

static const char SQL_RELATIONS[] =
	"SELECT id, uscc, enterprise_name, kind, note, DATE_FORMAT(created_at, " FMT_MIN ")"
	" AS created_at FROM expert_relation WHERE expert_id = ? ORDER BY id";
static const char SQL_HISTORY[] =
	"SELECT DATE_FORMAT(at, " FMT_SEC ") AS at, IFNULL(login, '') AS login, action, summary"
	" FROM audit WHERE object_type = 'expert' AND object_id = ? ORDER BY id DESC LIMIT 50";

static void add_str(json_object *row, const char *key, const char *v)
{
	json_object_object_add(row, key, v ? json_object_new_string(v) : NULL);
}

/* The labels and the status text of a row of the list or of experts_get. */
static void label_row(json_object *row)
{
	struct buf st = BUF_INIT;
	int s = expert_status_parse(db_str(row, "status", ""));
	add_str(row, "org_type_label", expert_choice_label(expert_org_types, db_str(row, "org_type", "")));
	add_str(row, "title_level_label",
		expert_choice_label(expert_title_levels, db_str(row, "title_level", "")));
	add_str(row, "source_label", expert_choice_label(expert_sources, db_str(row, "source", "")));
	expert_status_text(s < 0 ? EXPERT_ACTIVE : (enum expert_status)s,
			   db_str(row, "suspended_until", ""), db_int(row, "suspension_over", 0) != 0, &st);
	add_str(row, "status_text", st.data);
	/* What the list marks: in the pool now, suspended now, removed. */
	add_str(row, "status_now",
		s == EXPERT_REMOVED ? "removed"
		: s == EXPERT_SUSPENDED && !db_int(row, "suspension_over", 0) ? "suspended"
									      : "active");
	buf_release(&st);
}

int experts_list(const struct expert_filter *f, json_object **rows, long long *total)
{
	json_object *count = NULL;
	struct buf pat = BUF_INIT;
	const char *st = f->status ? f->status : "", *ot = f->org_type ? f->org_type : "";
	const char *tl = f->title_level ? f->title_level : "", *q = f->q ? f->q : "";
	long long size = f->page_size < 1 || f->page_size > 1000 ? EXPERT_PAGE_SIZE : f->page_size;
	long long page = f->page < 1 ? 1 : f->page;
	int rc;

	*rows = NULL;
	*total = 0;
	db_like_anywhere(q, &pat);
	rc = db_query_row(&count, SQL_LIST_COUNT, "ssssssssssss", st, st, st, st, ot, ot, tl, tl, q,
			  pat.data, pat.data, pat.data);
	if (rc == DB_OK) {
		*total = db_int(count, "n", 0);
		rc = db_query(rows, SQL_LIST, "ssssssssssssii", st, st, st, st, ot, ot, tl, tl, q,
			      pat.data, pat.data, pat.data, size, (page - 1) * size);
	}
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *row = json_object_array_get_idx(*rows, i);
		struct buf m = BUF_INIT;
		label_row(row);
		/* Masked in the list; the full values are on the expert's page only. */
		expert_mask_mobile(db_str(row, "mobile", ""), &m);
		add_str(row, "mobile_masked", m.data);
		buf_reset(&m);
		expert_mask_email(db_str(row, "email", ""), &m);
		add_str(row, "email_masked", m.data);
		buf_release(&m);
		json_object_object_del(row, "mobile");
		json_object_object_del(row, "email");
	}
	json_object_put(count);
	buf_release(&pat);
	return rc;
}

int experts_get(long long id, json_object **row)
{
	int rc = db_query_row(row, SQL_GET, "i", id);
	if (rc == DB_OK && *row)
		label_row(*row);
	return rc;
}

static const char SQL_ID_BY_MOBILE[] = "SELECT id FROM expert WHERE mobile = ?";

int experts_id_by_mobile(const char *mobile, long long *id)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_ID_BY_MOBILE, "s", mobile);
	*id = rc == DB_OK && row ? db_int(row, "id", 0) : 0;
	json_object_put(row);
	return rc;
}

int experts_relations(long long id, json_object **rows)
{
	int rc = db_query(rows, SQL_RELATIONS, "i", id);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		add_str(r, "kind_label", expert_choice_label(expert_relation_kinds, db_str(r, "kind", "")));
	}
	return rc;
}

int experts_history(long long id, json_object **rows)
{
	char oid[24];
	int rc;
	snprintf(oid, sizeof oid, "%lld", id);
	rc = db_query(rows, SQL_HISTORY, "s", oid);
	for (size_t i = 0; rc == DB_OK && i < json_object_array_length(*rows); i++) {
		json_object *r = json_object_array_get_idx(*rows, i);
		add_str(r, "action_label", audit_action_label(db_str(r, "action", "")));
	}
	return rc;
}

/* ---- changes ---- */

static const char SQL_INSERT[] =
	"INSERT INTO expert (name, org_name, org_uscc, org_key, org_type, title, title_level, years,"
	" specialties, source, recommended_by, mobile, email, declared_integrity, declared_health,"
	" created_by) VALUES (?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, 1, 1,"
	" NULLIF(?, 0))";
static const char SQL_UPDATE[] =
	"UPDATE expert SET name = ?, org_name = ?, org_uscc = NULLIF(?, ''), org_key = ?,"
	" org_type = ?, title = ?, title_level = ?, years = ?, specialties = ?, source = ?,"
	" recommended_by = NULLIF(?, ''), mobile = ?, email = ?, declared_integrity = 1,"
	" declared_health = 1, updated_at = NOW() WHERE id = ?";
static const char SQL_SET_STATUS[] =
	"UPDATE expert SET status = ?, suspended_until = ?, status_reason = ?, updated_at = NOW()"
	" WHERE id = ?";
static const char SQL_SET_ACCOUNT[] =
	"UPDATE expert SET account_id = ?, updated_at = NOW() WHERE id = ? AND account_id IS NULL";
static const char SQL_REL_FIND[] =
	"SELECT id FROM expert_relation WHERE expert_id = ? AND uscc = ? AND kind = ? FOR UPDATE";
static const char SQL_REL_INSERT[] =
	"INSERT INTO expert_relation (expert_id, uscc, enterprise_name, kind, note)"
	" VALUES (?, ?, ?, ?, ?)";
static const char SQL_REL_GET[] =
	"SELECT id, uscc, enterprise_name, kind FROM expert_relation WHERE id = ? AND expert_id = ?"
	" FOR UPDATE";
static const char SQL_REL_DELETE[] = "DELETE FROM expert_relation WHERE id = ? AND expert_id = ?";

/* The end of a change with its one audit record on expert id. */
static int finish(int rc, const struct actor *who, const char *action, long long id,
		  const char *summary)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	return audit_commit(rc, who, action, "expert", oid, summary);
}

/* Within a transaction: the expert's row, locked (*row NULL: none). */
static int lock_expert(long long id, json_object **row)
{
	return db_query_row(row, SQL_LOCK, "i", id);
}

/* SQL_INSERT or SQL_UPDATE with e's fields; last: created_by or the id. */
static int exec_expert(const char *sql, const struct expert *e, long long last)
{
	const char *const *v = (const char *const *)e->v;
	return db_exec(sql, "sssssssisssssi", v[EF_NAME], v[EF_ORG_NAME], v[EF_ORG_USCC], e->org_key,
		       v[EF_ORG_TYPE], v[EF_TITLE], v[EF_TITLE_LEVEL], e->years, v[EF_SPECIALTIES],
		       v[EF_SOURCE], v[EF_RECOMMENDED_BY], v[EF_MOBILE], v[EF_EMAIL], last);
}

int experts_lock_by_mobile(const char *mobile, json_object **row)
{
	return db_query_row(row, SQL_BY_MOBILE_LOCK, "s", mobile);
}

int experts_insert_row(const struct actor *who, const struct expert *e, long long *id_out)
{
	int rc = exec_expert(SQL_INSERT, e, who->user_id);
	*id_out = rc == DB_OK ? db_insert_id() : 0;
	return rc == DB_CONFLICT ? EXP_E_MOBILE_TAKEN : rc;
}

int experts_update_row(long long id, const struct expert *e)
{
	int rc = exec_expert(SQL_UPDATE, e, id);
	return rc == DB_CONFLICT ? EXP_E_MOBILE_TAKEN : rc;
}

int experts_relation_insert_row(long long id, const struct expert_relation *r, bool *added)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_REL_FIND, "iss", id, r->uscc, r->kind);
	*added = false;
	if (rc == DB_OK && row)
		rc = EXP_E_DUPLICATE;
	json_object_put(row);
	if (rc == DB_OK)
		rc = db_exec(SQL_REL_INSERT, "issss", id, r->uscc, r->name ? r->name : "", r->kind,
			     r->note ? r->note : "");
	if (rc == DB_CONFLICT)
		rc = EXP_E_DUPLICATE;
	*added = rc == DB_OK;
	return rc;
}

int experts_create(const struct actor *who, const struct expert *e, long long *id_out)
{
	json_object *row = NULL;
	struct buf summary = BUF_INIT;
	int rc;
	*id_out = 0;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = db_query_row(&row, SQL_MOBILE_LOCK, "si", e->v[EF_MOBILE], 0LL);
	if (rc == DB_OK && row)
		rc = EXP_E_MOBILE_TAKEN;
	json_object_put(row);
	if (rc == DB_OK)
		rc = experts_insert_row(who, e, id_out);
	buf_addf(&summary, "新增专家 %s（%s，%s）", e->v[EF_NAME], e->v[EF_ORG_NAME],
		 expert_choice_label(expert_title_levels, e->v[EF_TITLE_LEVEL]));
	rc = finish(rc, who, "expert.create", *id_out, summary.data);
	if (rc != DB_OK)
		*id_out = 0;
	buf_release(&summary);
	return rc;
}

int experts_update(const struct actor *who, long long id, const struct expert *e)
{
	json_object *row = NULL, *other = NULL;
	struct buf summary = BUF_INIT, changed = BUF_INIT;
	int rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = lock_expert(id, &row)) == DB_OK && !row)
		rc = EXP_E_NOT_FOUND;
	if (rc == DB_OK && !expert_changes(e, row, &changed))
		rc = EXP_UNCHANGED;
	if (rc == DB_OK && (rc = db_query_row(&other, SQL_MOBILE_LOCK, "si", e->v[EF_MOBILE], id)) ==
				   DB_OK && other)
		rc = EXP_E_MOBILE_TAKEN;
	if (rc == DB_OK)
		rc = experts_update_row(id, e);
	buf_addf(&summary, "修改专家 %s（编号 %lld）：%s", e->v[EF_NAME], id, changed.data);
	rc = finish(rc, who, "expert.update", id, summary.data);
	json_object_put(row);
	json_object_put(other);
	buf_release(&summary);
	buf_release(&changed);
	return rc;
}

int experts_relation_add(const struct actor *who, long long id, const struct expert_relation *r)
{
	json_object *row = NULL;
	struct buf summary = BUF_INIT;
	bool added;
	int rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = lock_expert(id, &row)) == DB_OK && !row)
		rc = EXP_E_NOT_FOUND;
	if (rc == DB_OK)
		rc = experts_relation_insert_row(id, r, &added);
	buf_addf(&summary, "专家 %s（编号 %lld）申报回避关系：%s %s%s%s", db_str(row, "name", ""), id,
		 expert_choice_label(expert_relation_kinds, r->kind), r->uscc, r->name && *r->name ? " " : "",
		 r->name ? r->name : "");
	rc = finish(rc, who, "expert.relation.add", id, summary.data);
	json_object_put(row);
	buf_release(&summary);
	return rc;
}

int experts_relation_remove(const struct actor *who, long long id, long long relation_id)
{
	json_object *row = NULL, *rel = NULL;
	struct buf summary = BUF_INIT;
	int rc;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = lock_expert(id, &row)) == DB_OK && !row)
		rc = EXP_E_NOT_FOUND;
	if (rc == DB_OK && (rc = db_query_row(&rel, SQL_REL_GET, "ii", relation_id, id)) == DB_OK && !rel)
		rc = EXP_E_NOT_FOUND;
	if (rc == DB_OK)
		rc = db_exec(SQL_REL_DELETE, "ii", relation_id, id);
	buf_addf(&summary, "撤销专家 %s（编号 %lld）的回避关系：%s %s %s", db_str(row, "name", ""), id,
		 expert_choice_label(expert_relation_kinds, db_str(rel, "kind", "")),
		 db_str(rel, "uscc", ""), db_str(rel, "enterprise_name", ""));
	rc = finish(rc, who, "expert.relation.remove", id, summary.data);
	json_object_put(row);
	json_object_put(rel);
	buf_release(&summary);
	return rc;
}

/* A status change: status and date set, with the reason. */
static int change_status(const struct actor *who, long long id, enum expert_action a,
			 const char *until, const char *reason)
{
	static const char *const actions[] = { "expert.suspend", "expert.remove", "expert.reactivate" };
	static const char *const verbs[] = { "暂停", "移出专家库", "恢复在库" };
	static const char *const to[] = { "suspended", "removed", "active" };
	json_object *row = NULL;
	struct buf summary = BUF_INIT;
	int rc, s;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = lock_expert(id, &row)) == DB_OK && !row)
		rc = EXP_E_NOT_FOUND;
	s = row ? expert_status_parse(db_str(row, "status", "")) : -1;
	if (rc == DB_OK && (s < 0 || !expert_action_allowed((enum expert_status)s, a)))
		rc = EXP_E_STATE;
	if (rc == DB_OK)
		rc = db_exec(SQL_SET_STATUS, "sssi", to[a], a == EXPERT_SUSPEND ? until : NULL, reason, id);
	buf_addf(&summary, "%s专家 %s（编号 %lld）", verbs[a], db_str(row, "name", ""), id);
	if (a == EXPERT_SUSPEND)
		buf_addf(&summary, "至 %s", until);
	buf_addf(&summary, "：%s", reason);
	rc = finish(rc, who, actions[a], id, summary.data);
	json_object_put(row);
	buf_release(&summary);
	return rc;
}

int experts_suspend(const struct actor *who, long long id, const char *until, const char *reason)
{
	return change_status(who, id, EXPERT_SUSPEND, until, reason);
}

int experts_remove(const struct actor *who, long long id, const char *reason)
{
	return change_status(who, id, EXPERT_REMOVE, NULL, reason);
}

int experts_reactivate(const struct actor *who, long long id, const char *reason)
{
	return change_status(who, id, EXPERT_REACTIVATE, NULL, reason);
}

int experts_open_account(const struct actor *who, long long id, const char *login,
			 const char *password, long long *account_id)
{
	json_object *row = NULL;
	struct buf hash = BUF_INIT, summary = BUF_INIT;
	int rc;
	*account_id = 0;
	if (password_hash(password, &hash))
		return DB_ERROR;
	if ((rc = db_begin()) != DB_OK) {
		buf_release(&hash);
		return rc;
	}
	if ((rc = lock_expert(id, &row)) == DB_OK && !row)
		rc = EXP_E_NOT_FOUND;
	if (rc == DB_OK && db_int(row, "account_id", 0))
		rc = EXP_E_HAS_ACCOUNT;
	if (rc == DB_OK) {
		struct new_account a = { login, db_str(row, "name", ""), ROLE_EXPERT, NULL, password, true };
		rc = users_insert(&a, hash.data, account_id);
		if (rc == DB_CONFLICT)
			rc = EXP_E_LOGIN_TAKEN;
	}
	if (rc == DB_OK && (rc = db_exec(SQL_SET_ACCOUNT, "ii", *account_id, id)) == DB_OK &&
	    db_affected_rows() != 1)
		rc = EXP_E_HAS_ACCOUNT;
	buf_addf(&summary, "为专家 %s（编号 %lld）开通评审专家账户 %s（账户 %lld）", db_str(row, "name", ""),
		 id, login, *account_id);
	rc = finish(rc, who, "expert.account", id, summary.data);
	if (rc != DB_OK)
		*account_id = 0;
	json_object_put(row);
	buf_release(&hash);
	buf_release(&summary);
	return rc;
}
