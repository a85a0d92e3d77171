#include "rules/uscc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#include "core/banned.h"

/* Value order of GB 32100 §4: digits, then A-Z without I O S V Z. */
static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^(i-1) mod 31 for i = 1..17. */
static const int uscc_weights[USCC_LEN - 1] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
};

static const int org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };

int uscc_char_value(char c)
{
	/* Not strchr: it would match the terminating NUL. */
	for (int i = 0; i < (int)sizeof uscc_charset - 1; i++)
		if (uscc_charset[i] == c)
			return i;
	return -1;
}

char uscc_check_char(const char *code)
{
	int sum = 0;
	for (int i = 0; i < USCC_LEN - 1; i++) {
		int v = uscc_char_value(code[i]);
		if (v < 0)
			return '\0';
		sum += v * uscc_weights[i];
	}
	return uscc_charset[(31 - sum % 31) % 31];
}

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char upcase(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : (char)c;
}

static void fail_at(struct uscc_result *r, enum uscc_status st, unsigned pos, unsigned char bad)
{
	r->status = st;
	r->pos = pos;
	r->bad = bad;
}

/* GB 32100-2015 (with its amendments) positions 1 and 2: each registration
 * authority and the category codes it uses (shared/reference/uscc.md §2). */
static const struct uscc_authority {
	char code;
	const char *name;
	const char *categories;
} uscc_authorities[] = {
	{ '1', "机构编制", "1239" },
	{ '2', "外交", "19" },
	{ '3', "司法行政", "123459" },
	{ '4', "文化", "19" },
	{ '5', "民政", "1239" },
	{ '6', "旅游", "129" },
	{ '7', "宗教", "129" },
	{ '8', "工会", "19" },
	{ '9', "工商（市场监督管理）", "123" },
	{ 'A', "中央军委改革和编制办公室", "19" },
	{ 'N', "农业", "1239" },
	{ 'Y', "其他", "1" },
};

static const struct uscc_authority *find_authority(char c)
{
	for (size_t i = 0; i < sizeof uscc_authorities / sizeof uscc_authorities[0]; i++)
		if (uscc_authorities[i].code == c)
			return &uscc_authorities[i];
	return NULL;
}

const char *uscc_authority_name(char c)
{
	const struct uscc_authority *a = find_authority(c);
	return a ? a->name : NULL;
}

enum uscc_status uscc_validate(const char *s, size_t len, struct uscc_result *r)
{
	const unsigned char *u = (const unsigned char *)s;
	bool text = len > 0 && utf8_valid(s, len);
	char code[USCC_LEN + 1];

	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < len; i++)
		if (is_blank(u[i]))
			r->has_blank = true;
	if (len == 0) {
		r->status = USCC_E_EMPTY;
		return r->status;
	}
	/* Characters, not bytes, so that "第k位" points where the user looks. */
	r->nchars = text ? utf8_count(s, len) : len;
	if (r->nchars != USCC_LEN) {
		r->status = USCC_E_LENGTH;
		return r->status;
	}

	/* Walk characters: in valid UTF-8 a character starts at every byte that
	 * is not a continuation byte; otherwise (nchars == len) every byte is a
	 * position of its own. */
	unsigned pos = 0;
	for (size_t i = 0; i < len; i++) {
		if (text && (u[i] & 0xC0) == 0x80)
			continue;
		pos++;
		char c = upcase(u[i]);
		if (pos >= 3 && pos <= 8) {
			if (c < '0' || c > '9') {
				fail_at(r, USCC_E_DIVISION, pos, (unsigned char)c);
				return r->status;
			}
		} else if (u[i] >= 0x80 || uscc_char_value(c) < 0) {
			fail_at(r, USCC_E_CHAR, pos, (unsigned char)c);
			return r->status;
		} else if (pos == 1 && !find_authority(c)) {
			fail_at(r, USCC_E_AUTHORITY, pos, (unsigned char)c);
			return r->status;
		} else if (pos == 2 && !strchr(find_authority(code[0])->categories, c)) {
			/* c is in the code's set, so never '\0' here. */
			fail_at(r, USCC_E_CATEGORY, pos, (unsigned char)c);
			r->authority = code[0];
			return r->status;
		}
		code[pos - 1] = c;
	}
	/* Every character was ASCII, so pos == len == 18 here. */
	code[USCC_LEN] = '\0';

	r->expected = uscc_check_char(code);
	memcpy(r->code, code, sizeof r->code);
	if (code[USCC_LEN - 1] != r->expected) {
		r->status = USCC_E_CHECK;
		r->pos = USCC_LEN;
		return r->status;
	}
	r->status = USCC_OK;
	return r->status;
}

/* What the user should look for, by the kind of character found. */
static void char_message(const struct uscc_result *r, char *out, size_t size)
{
	unsigned char c = r->bad;

	if (c == 'I' || c == 'O' || c == 'Z' || c == 'S' || c == 'V')
		snprintf(out, size,
			 "统一社会信用代码第%u位“%c”无效：代码不使用字母I、O、Z、S、V，"
			 "请检查是否与数字1、0、2、5等混淆", r->pos, c);
	else if (is_blank(c))
		snprintf(out, size, "统一社会信用代码第%u位是空白字符，请删除代码中的空格", r->pos);
	else if (c >= 0x80)
		snprintf(out, size,
			 "统一社会信用代码第%u位是全角或中文字符，请用半角（英文）数字和字母输入",
			 r->pos);
	else if (c > 0x20 && c < 0x7F)
		snprintf(out, size,
			 "统一社会信用代码第%u位“%c”无效：代码只能由数字和大写英文字母组成",
			 r->pos, c);
	else
		snprintf(out, size, "统一社会信用代码第%u位含有无效字符", r->pos);
}

const char *uscc_message(const struct uscc_result *r, char *out, size_t size)
{
	if (size == 0)
		return out;
	switch (r->status) {
	case USCC_OK:
		out[0] = '\0';
		break;
	case USCC_E_EMPTY:
		snprintf(out, size, "请填写统一社会信用代码");
		break;
	case USCC_E_LENGTH:
		snprintf(out, size, "统一社会信用代码应为18位，您输入了%zu位%s", r->nchars,
			 r->has_blank ? "（其中含有空格，请删除）" : "");
		break;
	case USCC_E_CHAR:
		char_message(r, out, size);
		break;
	case USCC_E_DIVISION:
		snprintf(out, size,
			 "统一社会信用代码第%u位应为数字：第3至8位是登记管理机关行政区划码，只能是数字",
			 r->pos);
		break;
	case USCC_E_AUTHORITY:
		snprintf(out, size,
			 "统一社会信用代码第1位“%c”无效：第1位是登记管理部门代码，只能是1至9、A、N或Y"
			 "（在市场监督管理部门登记的企业为9）",
			 r->bad);
		break;
	case USCC_E_CATEGORY: {
		const struct uscc_authority *a = find_authority(r->authority);
		char list[32] = "";
		size_t n = 0;
		for (const char *k = a ? a->categories : ""; *k && n + 4 < sizeof list; k++) {
			if (k != a->categories) {
				memcpy(list + n, "、", 3);
				n += 3;
			}
			list[n++] = *k;
			list[n] = '\0';
		}
		snprintf(out, size,
			 "统一社会信用代码第2位“%c”无效：第2位是机构类别代码，第1位为“%c”（%s）时只能是%s"
			 "（企业的代码以“91”开头）",
			 r->bad, r->authority, a ? a->name : "", list);
		break;
	}
	case USCC_E_CHECK:
		/* The expected character is deliberately not shown: a single wrong
		 * character anywhere changes it, so the likely mistake is elsewhere,
		 * and "fixing" position 18 would turn a typo into a wrong code. */
		snprintf(out, size,
			 "统一社会信用代码第18位校验码错误，请对照营业执照逐位核对代码"
			 "（任何一位抄错都会导致校验失败）");
		break;
	default:
		abort(); /* not a uscc_status: a bug */
	}
	return out;
}

static int org_char_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

enum uscc_org_status uscc_org_check(const char *code, char *expected)
{
	int sum = 0;

	if (expected)
		*expected = '\0';
	/* Exactly 18 characters, without reading past a shorter string. */
	for (int i = 0; i < USCC_LEN; i++)
		if (code[i] == '\0')
			return USCC_ORG_MALFORMED;
	if (code[USCC_LEN] != '\0')
		return USCC_ORG_MALFORMED;
	/* Positions 9-16 are code[8..15]; position 17 is its check. */
	for (int i = 0; i < 8; i++) {
		int v = org_char_value(code[8 + i]);
		if (v < 0)
			return USCC_ORG_MALFORMED;
		sum += v * org_weights[i];
	}
	int c = 11 - sum % 11;
	char want = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
	if (expected)
		*expected = want;
	return code[16] == want ? USCC_ORG_OK : USCC_ORG_MISMATCH;
}

const char *uscc_org_message(void)
{
	return "提示：统一社会信用代码第9至17位（组织机构代码）的校验位不符，请核对；"
	       "如与营业执照上的代码一致，可忽略此提示";
}

struct uscc_category {
	char c1, c2;
	enum uscc_legal legal;
	const char *name;
};

/* Every category of GB 32100 (shared/reference/uscc.md §2 and the table
 * of its source); the legal-person reasons are in uscc.h.  Must list
 * exactly the pairs of uscc_authorities (the unit test checks). */
static const struct uscc_category uscc_categories[] = {
	{ '9', '1', USCC_LEGAL_YES, "企业" },
	{ '9', '2', USCC_LEGAL_NO, "个体工商户" },
	{ '9', '3', USCC_LEGAL_YES, "农民专业合作社" },
	{ '1', '1', USCC_LEGAL_YES, "机关" },
	{ '1', '2', USCC_LEGAL_YES, "事业单位" },
	{ '1', '3', USCC_LEGAL_YES, "群众团体" },
	{ '1', '9', USCC_LEGAL_UNKNOWN, "其他（机构编制部门登记）" },
	{ '2', '1', USCC_LEGAL_UNKNOWN, "外国常驻新闻机构" },
	{ '2', '9', USCC_LEGAL_UNKNOWN, "其他（外交部门登记）" },
	{ '3', '1', USCC_LEGAL_UNKNOWN, "律师执业机构" },
	{ '3', '2', USCC_LEGAL_UNKNOWN, "公证处" },
	{ '3', '3', USCC_LEGAL_UNKNOWN, "基层法律服务所" },
	{ '3', '4', USCC_LEGAL_UNKNOWN, "司法鉴定机构" },
	{ '3', '5', USCC_LEGAL_UNKNOWN, "仲裁委员会" },
	{ '3', '9', USCC_LEGAL_UNKNOWN, "其他（司法行政部门登记）" },
	{ '4', '1', USCC_LEGAL_UNKNOWN, "外国在华文化中心" },
	{ '4', '9', USCC_LEGAL_UNKNOWN, "其他（文化部门登记）" },
	{ '5', '1', USCC_LEGAL_YES, "社会团体" },
	{ '5', '2', USCC_LEGAL_UNKNOWN, "民办非企业单位" },
	{ '5', '3', USCC_LEGAL_YES, "基金会" },
	{ '5', '9', USCC_LEGAL_UNKNOWN, "其他（民政部门登记）" },
	{ '6', '1', USCC_LEGAL_UNKNOWN, "外国旅游部门常驻代表机构" },
	{ '6', '2', USCC_LEGAL_UNKNOWN, "港澳台地区旅游部门常驻内地（大陆）代表机构" },
	{ '6', '9', USCC_LEGAL_UNKNOWN, "其他（旅游部门登记）" },
	{ '7', '1', USCC_LEGAL_UNKNOWN, "宗教活动场所" },
	{ '7', '2', USCC_LEGAL_UNKNOWN, "宗教院校" },
	{ '7', '9', USCC_LEGAL_UNKNOWN, "其他（宗教部门登记）" },
	{ '8', '1', USCC_LEGAL_UNKNOWN, "基层工会" },
	{ '8', '9', USCC_LEGAL_UNKNOWN, "其他（工会登记）" },
	{ 'A', '1', USCC_LEGAL_UNKNOWN, "军队事业单位" },
	{ 'A', '9', USCC_LEGAL_UNKNOWN, "其他（中央军委改革和编制办公室登记）" },
	{ 'N', '1', USCC_LEGAL_UNKNOWN, "组级集体经济组织" },
	{ 'N', '2', USCC_LEGAL_UNKNOWN, "村级集体经济组织" },
	{ 'N', '3', USCC_LEGAL_UNKNOWN, "乡镇级集体经济组织" },
	{ 'N', '9', USCC_LEGAL_UNKNOWN, "其他（农业部门登记）" },
	{ 'Y', '1', USCC_LEGAL_UNKNOWN, "其他" },
};

static const struct uscc_category *find_category(const char *code)
{
	if (code[0] == '\0' || code[1] == '\0')
		return NULL;
	for (size_t i = 0; i < sizeof uscc_categories / sizeof uscc_categories[0]; i++)
		if (uscc_categories[i].c1 == code[0] && uscc_categories[i].c2 == code[1])
			return &uscc_categories[i];
	return NULL;
}

enum uscc_legal uscc_legal_person(const char *code)
{
	const struct uscc_category *cat = find_category(code);
	return cat ? cat->legal : USCC_LEGAL_UNKNOWN;
}

const char *uscc_category_name(const char *code)
{
	const struct uscc_category *cat = find_category(code);
	return cat ? cat->name : NULL;
}

bool uscc_applicant_ok(const char *code, char *why, size_t size)
{
	const char *cat = uscc_category_name(code);
	if (size)
		why[0] = '\0';
	if (cat && code[0] == '9' && code[1] == '1')
		return true;
	if (size == 0)
		return false;
	if (cat && code[0] == '9' && code[1] == '2')
		snprintf(why, size,
			 "统一社会信用代码第1-2位为“92”，表示个体工商户：个体工商户不是企业法人，"
			 "不能申报质量标杆。只有在市场监督管理部门登记的企业（代码以“91”开头）可以注册");
	else if (cat && code[0] == '9' && code[1] == '3')
		snprintf(why, size,
			 "统一社会信用代码第1-2位为“93”，表示农民专业合作社：农民专业合作社不是企业，"
			 "不能申报质量标杆。只有在市场监督管理部门登记的企业（代码以“91”开头）可以注册");
	else if (cat)
		snprintf(why, size,
			 "统一社会信用代码第1-2位为“%c%c”，表示%s（登记管理部门：%s），不是在市场监督"
			 "管理部门登记的企业，不能申报质量标杆。只有企业（代码以“91”开头）可以注册",
			 code[0], code[1], cat, uscc_authority_name(code[0]));
	else
		snprintf(why, size,
			 "统一社会信用代码第1-2位不是有效的登记管理部门和机构类别代码。只有在市场监督"
			 "管理部门登记的企业（代码以“91”开头）可以注册");
	return false;
}
