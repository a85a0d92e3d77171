#include "steps/intake/enterprise.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/password.h"
#include "steps/accounts/users.h"
#include "core/banned.h"

const struct ent_type enterprise_types[] = {
	{ "llc", "有限责任公司", ENT_LEGAL_YES },
	{ "joint_stock", "股份有限公司", ENT_LEGAL_YES },
	{ "state_sole", "国有独资", ENT_LEGAL_YES },
	{ "collective", "集体所有制", ENT_LEGAL_YES },
	{ "joint_coop", "股份合作制", ENT_LEGAL_YES },
	{ "foreign", "外商投资", ENT_LEGAL_YES },
	{ "branch", "分公司", ENT_LEGAL_NO },
	{ "sole_prop", "个人独资企业", ENT_LEGAL_NO },
	{ "partnership", "合伙企业", ENT_LEGAL_NO },
	{ ENT_TYPE_OTHER, "其他", ENT_LEGAL_CITY_CHECK },
};
const size_t enterprise_ntypes = sizeof enterprise_types / sizeof enterprise_types[0];

/* The same codes for the form's FIELD_CHOICE (and sql/010's ENUM). */
static const char *const ent_type_codes[] = { "llc", "joint_stock", "state_sole", "collective",
					      "joint_coop", "foreign", "branch", "sole_prop",
					      "partnership", ENT_TYPE_OTHER, NULL };
_Static_assert(sizeof ent_type_codes / sizeof ent_type_codes[0] ==
		       sizeof enterprise_types / sizeof enterprise_types[0] + 1,
	       "ent_type_codes must list enterprise_types");

#define ENT_TYPE_FIELDS                                                                         \
	{ "ent_type", "企业类型", FIELD_CHOICE, true, 0, 0, 0, ent_type_codes },                  \
	{ "ent_type_other", "其他企业类型", FIELD_LINE, false, ENT_TYPE_OTHER_MAX, 0, 0, NULL }

const struct field_spec enterprise_type_fields[] = { ENT_TYPE_FIELDS };
const size_t enterprise_type_nfields =
	sizeof enterprise_type_fields / sizeof enterprise_type_fields[0];

const struct ent_type *enterprise_type_find(const char *code)
{
	for (size_t i = 0; code && i < enterprise_ntypes; i++)
		if (!strcmp(enterprise_types[i].code, code))
			return &enterprise_types[i];
	return NULL;
}

void enterprise_type_json(json_object *row)
{
	const struct ent_type *t = enterprise_type_find(db_str(row, "ent_type", NULL));
	const char *other = db_str(row, "ent_type_other", "");
	struct buf label = BUF_INIT;
	if (!t)
		buf_adds(&label, "未填写");
	else if (t->legal == ENT_LEGAL_CITY_CHECK && *other)
		buf_addf(&label, "%s：%s", t->label, other);
	else
		buf_adds(&label, t->label);
	json_object_object_add(row, "ent_type_label", json_object_new_string(label.data));
	if (!t)
		json_object_object_add(row, "ent_type_missing", json_object_new_boolean(1));
	else if (t->legal == ENT_LEGAL_CITY_CHECK)
		json_object_object_add(row, "ent_type_check", json_object_new_boolean(1));
	buf_release(&label);
}

json_object *enterprise_type_options(const char *selected)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < enterprise_ntypes; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(enterprise_types[i].code));
		json_object_object_add(o, "label", json_object_new_string(enterprise_types[i].label));
		if (selected && !strcmp(selected, enterprise_types[i].code))
			json_object_object_add(o, "selected", json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

const struct field_spec enterprise_reg_fields[] = {
	{ "name", "企业名称", FIELD_LINE, true, ENT_NAME_MAX, 0, 0, NULL },
	/* Longer than 18 on purpose: uscc_validate explains a wrong length. */
	{ "uscc", "统一社会信用代码", FIELD_LINE, true, 40, 0, 0, NULL },
	{ "city_code", "所在市（地）", FIELD_CITY, true, 0, 0, 0, NULL },
	{ "address", "通讯地址", FIELD_LINE, true, ENT_ADDRESS_MAX, 0, 0, NULL },
	{ "legal_rep", "法定代表人", FIELD_LINE, true, ENT_PERSON_MAX, 0, 0, NULL },
	{ "contact_name", "联系人", FIELD_LINE, true, ENT_PERSON_MAX, 0, 0, NULL },
	{ "mobile", "联系人手机号码", FIELD_MOBILE, true, 0, 0, 0, NULL },
	{ "email", "电子邮箱", FIELD_EMAIL, true, ENT_EMAIL_MAX, 0, 0, NULL },
	ENT_TYPE_FIELDS,
	/* The account: only on self-registration. */
	{ "login", "用户名", FIELD_LOGIN, true, 32, 0, 0, NULL },
	{ "password", "密码", FIELD_PASSWORD, true, 128, 0, 0, NULL },
	{ "password2", "确认密码", FIELD_PASSWORD, true, 128, 0, 0, NULL },
};
const size_t enterprise_reg_nfields = sizeof enterprise_reg_fields / sizeof enterprise_reg_fields[0];
const size_t enterprise_profile_nfields = 10;

static bool has_error(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->spec[i].name, name))
			return f->v[i].error != NULL;
	return false;
}

int enterprise_check_type(struct form *f)
{
	if (!has_error(f, "ent_type") && !strcmp(form_str(f, "ent_type"), ENT_TYPE_OTHER) &&
	    !has_error(f, "ent_type_other") && !form_str(f, "ent_type_other")[0])
		form_error(f, "ent_type_other", "企业类型选择“其他”时，请注明营业执照上的企业类型。");
	return f->errors;
}

int enterprise_check_form(struct form *f, bool with_account, bool accept_check_mismatch,
			  char code[USCC_LEN + 1])
{
	code[0] = '\0';
	enterprise_check_type(f);
	if (!has_error(f, "uscc")) {
		struct uscc_result r;
		const char *v = form_str(f, "uscc");
		enum uscc_status st = uscc_validate(v, strlen(v), &r);
		char why[USCC_MESSAGE_MAX + 8];
		if ((st == USCC_OK || (st == USCC_E_CHECK && accept_check_mismatch)) &&
		    !uscc_applicant_ok(r.code, why, USCC_MESSAGE_MAX)) {
			/* A well-formed code of an organisation that cannot apply. */
			size_t n = strlen(why);
			snprintf(why + n, sizeof why - n, "。");
			form_error(f, "uscc", why);
		} else if (st == USCC_OK || (st == USCC_E_CHECK && accept_check_mismatch)) {
			memcpy(code, r.code, sizeof r.code);
		} else {
			char msg[USCC_MESSAGE_MAX + 128];
			uscc_message(&r, msg, USCC_MESSAGE_MAX);
			if (r.status == USCC_E_CHECK) {
				size_t n = strlen(msg);
				snprintf(msg + n, sizeof msg - n,
					 "。如核对无误，请联系所在市（地）工信局处理。");
			} else {
				size_t n = strlen(msg);
				snprintf(msg + n, sizeof msg - n, "。");
			}
			form_error(f, "uscc", msg);
		}
	}
	if (with_account && !has_error(f, "password") && !has_error(f, "login")) {
		const char *why = password_policy_error(form_str(f, "password"), form_str(f, "login"));
		if (why)
			form_error(f, "password", why);
		else if (!has_error(f, "password2") &&
			 strcmp(form_str(f, "password"), form_str(f, "password2")))
			form_error(f, "password2", "两次输入的密码不一致。");
	}
	return f->errors;
}

static const char SQL_USCC_TAKEN[] = "SELECT id FROM enterprise WHERE uscc = ?";
static const char SQL_ACCOUNT_ROLE[] = "SELECT role FROM account WHERE id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise (account_id, name, uscc, city_code, address, legal_rep,"
	" contact_name, mobile, email, uscc_check_override, ent_type, ent_type_other)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SET_TYPE[] =
	"UPDATE enterprise SET ent_type = ?, ent_type_other = ? WHERE id = ? AND ent_type IS NULL";
static const char SQL_EXCEPTION[] = "SELECT uscc FROM uscc_exception WHERE uscc = ?";
static const char SQL_EXCEPTIONS[] =
	"SELECT x.uscc, x.reason, DATE_FORMAT(x.created_at, '%Y-%m-%d %H:%i') AS created_at,"
	" IFNULL(a.login, '') AS created_by_login,"
	" (SELECT COUNT(*) FROM enterprise e WHERE e.uscc = x.uscc) AS used"
	" FROM uscc_exception x LEFT JOIN account a ON a.id = x.created_by ORDER BY x.created_at DESC";
static const char SQL_EXCEPTION_ADD[] =
	"INSERT INTO uscc_exception (uscc, reason, created_by) VALUES (?, ?, NULLIF(?, 0))";
static const char SQL_EXCEPTION_REMOVE[] = "DELETE FROM uscc_exception WHERE uscc = ?";
static const char SQL_BY_ACCOUNT[] =
	"SELECT e.id, e.account_id, e.name, e.uscc, e.uscc_check_override, e.ent_type,"
	" e.ent_type_other, e.city_code,"
	" c.name AS city_name, e.address, e.legal_rep, e.contact_name, e.mobile, e.email,"
	" DATE_FORMAT(e.created_at, '%Y-%m-%d %H:%i') AS created_at"
	" FROM enterprise e JOIN city c ON c.code = e.city_code WHERE e.account_id = ?";
static const char SQL_HAS_RECORD[] = "SELECT id FROM enterprise WHERE account_id = ? FOR UPDATE";

void enterprise_check_mismatch_code(const char *input, char code[USCC_LEN + 1])
{
	struct uscc_result r;
	code[0] = '\0';
	if (uscc_validate(input, strlen(input), &r) == USCC_E_CHECK)
		memcpy(code, r.code, sizeof r.code);
}

int enterprise_uscc_exception(const char *code, bool *allowed)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_EXCEPTION, "s", code);
	*allowed = rc == DB_OK && row;
	json_object_put(row);
	return rc;
}

int enterprise_uscc_exceptions(json_object **rows)
{
	return db_query(rows, SQL_EXCEPTIONS, "");
}

int enterprise_uscc_exception_add(const struct actor *who, const char *code, const char *reason)
{
	struct buf summary = BUF_INIT;
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(SQL_EXCEPTION_ADD, "ssi", code, reason, who->user_id);
	buf_addf(&summary, "登记校验码例外 %s：%s", code, reason);
	rc = audit_commit(rc, who, "uscc.exception_add", "uscc", code, summary.data);
	buf_release(&summary);
	return rc;
}

int enterprise_uscc_exception_remove(const struct actor *who, const char *code)
{
	int rc = db_begin();
	if (rc != DB_OK)
		return rc;
	rc = db_exec(SQL_EXCEPTION_REMOVE, "s", code);
	if (rc == DB_OK && db_affected_rows() == 0)
		rc = ENT_E_NOT_FOUND;
	return audit_commit(rc, who, "uscc.exception_remove", "uscc", code, "撤销校验码例外");
}

int enterprise_uscc_taken(const char *code, bool *taken)
{
	json_object *row = NULL;
	int rc = db_query_row(&row, SQL_USCC_TAKEN, "s", code);
	*taken = rc == DB_OK && row;
	json_object_put(row);
	return rc;
}

static int insert_enterprise(long long account_id, const struct enterprise_new *e, long long *id)
{
	int rc = db_exec(SQL_INSERT, "issssssssiss", account_id, e->name, e->uscc, e->city_code,
			 e->address, e->legal_rep, e->contact_name, e->mobile, e->email,
			 (long long)e->uscc_override, e->ent_type, e->ent_type_other);
	if (rc == DB_CONFLICT)
		return ENT_E_USCC_TAKEN; /* account_id is checked (or new) beforehand */
	if (rc == DB_OK)
		*id = db_insert_id();
	return rc;
}

int enterprise_register(const struct enterprise_new *e, const char *login, const char *password,
			const struct session_origin *from, struct session *s, long long *account_id)
{
	struct buf hash = BUF_INIT, summary = BUF_INIT;
	struct actor who = { 0, login, "enterprise", from->ip };
	long long ent_id = 0;
	char oid[24];
	int rc;

	*account_id = 0;
	memset(s, 0, sizeof *s);
	/* Hash first: it takes a while and needs no lock. */
	if (password_hash(password, &hash))
		return DB_ERROR;
	if ((rc = db_begin()) != DB_OK)
		goto out;
	{
		/* The account and the enterprise commit together, with the session. */
		struct new_account a = { login, e->name, ROLE_ENTERPRISE, NULL, NULL, false };
		rc = users_insert(&a, hash.data, account_id);
	}
	if (rc == DB_CONFLICT)
		rc = ENT_E_LOGIN_TAKEN;
	if (rc != DB_OK)
		goto out;
	who.user_id = *account_id;
	if ((rc = insert_enterprise(*account_id, e, &ent_id)) != DB_OK)
		goto out;
	snprintf(oid, sizeof oid, "%lld", *account_id);
	buf_addf(&summary, "企业自助注册账户 %s（申报企业）", login);
	if ((rc = audit_write(&who, "account.create", "account", oid, summary.data)) != DB_OK)
		goto out;
	snprintf(oid, sizeof oid, "%lld", ent_id);
	buf_reset(&summary);
	buf_addf(&summary, "企业注册：%s（%s，%s，%s%s%s）", e->name, e->uscc, e->city_code,
		 enterprise_type_find(e->ent_type) ? enterprise_type_find(e->ent_type)->label : "",
		 e->ent_type_other ? "：" : "", e->ent_type_other ? e->ent_type_other : "");
	if ((rc = audit_write(&who, "enterprise.register", "enterprise", oid, summary.data)) != DB_OK)
		goto out;
	rc = session_create(*account_id, from, s);
out:
	rc = db_finish(rc);
	if (rc != DB_OK) {
		*account_id = 0;
		memset(s, 0, sizeof *s);
	}
	buf_release(&hash);
	buf_release(&summary);
	return rc;
}

int enterprise_create_record(const struct actor *who, long long account_id,
			     const struct enterprise_new *e, long long *id)
{
	json_object *row = NULL;
	struct buf summary = BUF_INIT;
	char oid[24];
	int rc;

	*id = 0;
	if ((rc = db_begin()) != DB_OK)
		return rc;
	if ((rc = db_query_row(&row, SQL_ACCOUNT_ROLE, "i", account_id)) != DB_OK)
		goto out;
	if (!row || strcmp(db_str(row, "role", ""), "enterprise")) {
		rc = DB_ERROR; /* the page is for enterprise accounts only: a bug */
		goto out;
	}
	json_object_put(row);
	row = NULL;
	if ((rc = db_query_row(&row, SQL_HAS_RECORD, "i", account_id)) != DB_OK)
		goto out;
	if (row) {
		rc = ENT_E_HAS_RECORD;
		goto out;
	}
	if ((rc = insert_enterprise(account_id, e, id)) != DB_OK)
		goto out;
	snprintf(oid, sizeof oid, "%lld", *id);
	buf_addf(&summary, "填写企业信息：%s（%s，%s，%s%s%s）", e->name, e->uscc, e->city_code,
		 enterprise_type_find(e->ent_type) ? enterprise_type_find(e->ent_type)->label : "",
		 e->ent_type_other ? "：" : "", e->ent_type_other ? e->ent_type_other : "");
	rc = audit_write(who, "enterprise.create", "enterprise", oid, summary.data);
out:
	rc = db_finish(rc);
	if (rc != DB_OK)
		*id = 0;
	json_object_put(row);
	buf_release(&summary);
	return rc;
}

int enterprise_by_account(long long account_id, json_object **row)
{
	return db_query_row(row, SQL_BY_ACCOUNT, "i", account_id);
}

int enterprise_set_type(const struct actor *who, long long enterprise_id, const char *type,
			const char *other)
{
	const struct ent_type *t = enterprise_type_find(type);
	struct buf summary = BUF_INIT;
	char oid[24];
	int rc;

	if (!t)
		return DB_ERROR; /* the form checked the choice: a bug */
	if ((rc = db_begin()) != DB_OK)
		return rc;
	rc = db_exec(SQL_SET_TYPE, "ssi", type, other, enterprise_id);
	if (rc == DB_OK && db_affected_rows() == 0)
		rc = ENT_E_HAS_TYPE; /* given meanwhile (or no such row) */
	snprintf(oid, sizeof oid, "%lld", enterprise_id);
	buf_addf(&summary, "填写企业类型：%s%s%s", t->label, other ? "：" : "", other ? other : "");
	rc = audit_commit(rc, who, "enterprise.type", "enterprise", oid, summary.data);
	buf_release(&summary);
	return rc;
}
