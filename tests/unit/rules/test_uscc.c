/* Unit tests for src/rules/uscc.c: GB 32100-2015 codes, from
 * shared/reference/uscc.md §4-6 (valid codes of listed companies, one-character
 * variants, the worked example) plus the format errors the form must explain. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "rules/uscc.h"

#include "core/banned.h"

/* ---- valid codes ---- */

struct good {
	const char *in;
	const char *code; /* the stored (upper-case) form */
};

static const struct good goods[] = {
	{ "91100000100003962T", "91100000100003962T" }, /* ICBC, division 100000 */
	{ "9144030010001686XA", "9144030010001686XA" }, /* China Merchants Bank */
	{ "911000001000013428", "911000001000013428" }, /* Bank of China */
	{ "91440300192317458F", "91440300192317458F" }, /* BYD */
	{ "91520000214434146R", "91520000214434146R" }, /* AVIC Heavy Machinery */
	{ "91350100M000100Y43", "91350100M000100Y43" }, /* worked example of §4 */
	/* Lower case is upper-cased, then checked. */
	{ "9144030010001686xa", "9144030010001686XA" },
	{ "91100000100003962t", "91100000100003962T" },
	{ "91350100m000100y43", "91350100M000100Y43" },
	/* No "0" anywhere in positions 1-17, so every weight counts (the codes
	 * above all have "0" in position 7, where a wrong weight went unseen);
	 * check characters computed apart, in Python, from GB 32100 §4. */
	{ "91231456789ABCDEFN", "91231456789ABCDEFN" },
	{ "12987654YXWUTRQPNQ", "12987654YXWUTRQPNQ" },
	{ "Y1111111123456789J", "Y1111111123456789J" },
	{ "N3239999HJKLMNPQRY", "N3239999HJKLMNPQRY" },
	{ "93456789GFEDCBA98D", "93456789GFEDCBA98D" },
};

START_TEST(valid_codes)
{
	const struct good *g = &goods[_i];
	struct uscc_result r;
	char msg[USCC_MESSAGE_MAX];

	ck_assert_int_eq(uscc_validate(g->in, strlen(g->in), &r), USCC_OK);
	ck_assert_int_eq(r.status, USCC_OK);
	ck_assert_str_eq(r.code, g->code);
	ck_assert_int_eq(r.expected, g->code[17]);
	ck_assert_uint_eq(r.pos, 0);
	ck_assert_str_eq(uscc_message(&r, msg, sizeof msg), "");
}
END_TEST

/* ---- invalid codes ---- */

struct bad {
	const char *in;
	size_t len; /* 0: strlen(in) */
	enum uscc_status status;
	unsigned pos;
	char expected;   /* USCC_E_CHECK */
	size_t nchars;   /* USCC_E_LENGTH */
	const char *msg; /* a part the message must contain */
};

static const struct bad bads[] = {
	/* The five one-character variants of uscc.md §6, with the check
	 * character the reference script expects. */
	{ "91100000100003962A", 0, USCC_E_CHECK, 18, 'T', 0, "第18位校验码错误" },
	{ "9144030010001686YA", 0, USCC_E_CHECK, 18, 'D', 0, "第18位校验码错误" },
	{ "911000001000014428", 0, USCC_E_CHECK, 18, 'X', 0, "第18位校验码错误" },
	{ "91441300192317458F", 0, USCC_E_CHECK, 18, 'U', 0, "第18位校验码错误" },
	{ "92520000214434146R", 0, USCC_E_CHECK, 18, 'N', 0, "第18位校验码错误" },
	/* The worked example with a wrong check character, and the real Fujian
	 * code reported to fail the check (the override case). */
	{ "91350100M000100Y4Z", 0, USCC_E_CHAR, 18, 0, 0, "第18位“Z”无效" },
	{ "91350100M000100Y44", 0, USCC_E_CHECK, 18, '3', 0, "校验码" },
	{ "91350211M0000XUF46", 0, USCC_E_CHECK, 18, 0, 0, "校验码" },
	/* Length. */
	{ "", 0, USCC_E_EMPTY, 0, 0, 0, "请填写统一社会信用代码" },
	{ "91100000100003962", 0, USCC_E_LENGTH, 0, 0, 17, "统一社会信用代码应为18位，您输入了17位" },
	{ "91100000100003962TT", 0, USCC_E_LENGTH, 0, 0, 19, "应为18位" },
	{ "9", 0, USCC_E_LENGTH, 0, 0, 1, "您输入了1位" },
	{ " 91100000100003962T", 0, USCC_E_LENGTH, 0, 0, 19, "含有空格" },
	{ "91100000100003962T\n", 0, USCC_E_LENGTH, 0, 0, 19, "含有空格" },
	{ "9110 0000 1000 0396 2T", 0, USCC_E_LENGTH, 0, 0, 22, "含有空格" },
	/* Forbidden letters in 9-17, also typed in lower case, and elsewhere. */
	{ "91100000O00003962T", 0, USCC_E_CHAR, 9, 0, 0, "第9位“O”无效" },
	{ "91100000o00003962T", 0, USCC_E_CHAR, 9, 0, 0, "第9位“O”无效" },
	{ "911000001I0003962T", 0, USCC_E_CHAR, 10, 0, 0, "不使用字母I、O、Z、S、V" },
	{ "9110000010000396ZT", 0, USCC_E_CHAR, 17, 0, 0, "第17位“Z”" },
	{ "911000001000S3962T", 0, USCC_E_CHAR, 13, 0, 0, "第13位“S”" },
	{ "91100000100003962V", 0, USCC_E_CHAR, 18, 0, 0, "第18位“V”" },
	{ "I1100000100003962T", 0, USCC_E_CHAR, 1, 0, 0, "第1位“I”" },
	/* Positions 1-2 (issue 7): checked against GB 32100's tables.  The
	 * first three passed their check character and used to register. */
	{ "00000000PUK8L77CF7", 0, USCC_E_AUTHORITY, 1, 0, 0, "第1位“0”无效" },
	{ "Y9230100YEYK6RKJB4", 0, USCC_E_CATEGORY, 2, 0, 0, "第1位为“Y”（其他）时只能是1" },
	{ "B1230100ABCDEFGH1W", 0, USCC_E_AUTHORITY, 1, 0, 0, "登记管理部门代码" },
	{ "b1230100ABCDEFGH1W", 0, USCC_E_AUTHORITY, 1, 0, 0, "第1位“B”" },
	{ "M1100000100003962T", 0, USCC_E_AUTHORITY, 1, 0, 0, "1至9、A、N或Y" },
	{ "94230100ABCDEFGH1M", 0, USCC_E_CATEGORY, 2, 0, 0, "只能是1、2、3" },
	{ "90230100ABCDEFGH1M", 0, USCC_E_CATEGORY, 2, 0, 0, "第2位“0”无效" },
	{ "99100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "工商（市场监督管理）" },
	{ "9A100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "机构类别代码" },
	{ "5A230100ABCDEFGH17", 0, USCC_E_CATEGORY, 2, 0, 0, "（民政）时只能是1、2、3、9" },
	{ "14100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "只能是1、2、3、9" },
	{ "22100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "（外交）时只能是1、9" },
	{ "36100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "只能是1、2、3、4、5、9" },
	{ "63100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "只能是1、2、9" },
	{ "A2100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "中央军委改革和编制办公室" },
	{ "N4100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "（农业）" },
	{ "Y2100000100003962T", 0, USCC_E_CATEGORY, 2, 0, 0, "只能是1" },
	/* A bad character still comes first at its position. */
	{ "9I100000100003962T", 0, USCC_E_CHAR, 2, 0, 0, "第2位“I”" },
	{ "0\x01" "100000100003962T", 0, USCC_E_AUTHORITY, 1, 0, 0, "第1位" },
	/* Other characters outside the set. */
	{ "91100000-00003962T", 0, USCC_E_CHAR, 9, 0, 0, "第9位“-”无效" },
	{ "9110000010000396 T", 0, USCC_E_CHAR, 17, 0, 0, "空白字符" },
	{ "91100000100003962\t", 0, USCC_E_CHAR, 18, 0, 0, "空白字符" },
	{ "9\x01" "100000100003962T", 0, USCC_E_CHAR, 2, 0, 0, "第2位含有无效字符" },
	{ "91100000100\0" "03962T", 18, USCC_E_CHAR, 12, 0, 0, "第12位" },
	{ "91100000\xff" "00003962T", 0, USCC_E_CHAR, 9, 0, 0, "第9位" },
	/* Full-width and Chinese characters: reported at their position. */
	{ "９1100000100003962T", 0, USCC_E_CHAR, 1, 0, 0, "第1位是全角或中文字符" },
	{ "91100000１00003962T", 0, USCC_E_CHAR, 9, 0, 0, "全角" },
	{ "911000001000039哈2T", 0, USCC_E_CHAR, 16, 0, 0, "第16位是全角" },
	{ "91100000100003962é", 0, USCC_E_CHAR, 18, 0, 0, "第18位" },
	{ "911000001000039６2T", 0, USCC_E_CHAR, 16, 0, 0, "第16位是全角" },
	/* Letters and other non-digits in 3-8 (the division code). */
	{ "91A00000100003962T", 0, USCC_E_DIVISION, 3, 0, 0, "第3位应为数字" },
	{ "9144O30010001686XA", 0, USCC_E_DIVISION, 5, 0, 0, "第5位应为数字" },
	{ "914403a010001686XA", 0, USCC_E_DIVISION, 7, 0, 0, "行政区划码" },
	{ "9144030X10001686XA", 0, USCC_E_DIVISION, 8, 0, 0, "第8位应为数字" },
	{ "91-440300192317458", 0, USCC_E_DIVISION, 3, 0, 0, "第3位应为数字" },
	{ "91 00000100003962T", 0, USCC_E_DIVISION, 3, 0, 0, "第3位应为数字" },
	{ "91４40300192317458F", 0, USCC_E_DIVISION, 3, 0, 0, "第3位应为数字" },
};

START_TEST(invalid_codes)
{
	const struct bad *b = &bads[_i];
	size_t len = b->len ? b->len : strlen(b->in);
	struct uscc_result r;
	char msg[USCC_MESSAGE_MAX];

	ck_assert_int_eq(uscc_validate(b->in, len, &r), b->status);
	ck_assert_int_eq(r.status, b->status);
	ck_assert_uint_eq(r.pos, b->pos);
	if (b->status == USCC_E_CHECK) {
		ck_assert_uint_eq(r.pos, 18);
		if (b->expected)
			ck_assert_int_eq(r.expected, b->expected);
		/* Well-formed, so the code is kept for an override. */
		ck_assert_uint_eq(strlen(r.code), 18);
	} else {
		ck_assert_str_eq(r.code, "");
	}
	if (b->status == USCC_E_LENGTH)
		ck_assert_uint_eq(r.nchars, b->nchars);
	uscc_message(&r, msg, sizeof msg);
	ck_assert_msg(strstr(msg, b->msg) != NULL, "message \"%s\" lacks \"%s\"", msg, b->msg);
	ck_assert_msg(strlen(msg) > 0, "empty message for an error");
}
END_TEST

/* A long input is a length error, not a read past anything. */
START_TEST(very_long)
{
	char in[1000];
	struct uscc_result r;

	memset(in, '9', sizeof in);
	ck_assert_int_eq(uscc_validate(in, sizeof in, &r), USCC_E_LENGTH);
	ck_assert_uint_eq(r.nchars, sizeof in);
}
END_TEST

/* Only the len bytes count: a blank just after them (the input need not
 * end in a NUL) is not in the code. */
START_TEST(blank_after_len_not_counted)
{
	const char in[] = "91100000100003962T \t";
	struct uscc_result r;

	ck_assert_int_eq(uscc_validate(in, USCC_LEN, &r), USCC_OK);
	ck_assert(!r.has_blank);
	ck_assert_int_eq(uscc_validate(in, USCC_LEN + 1, &r), USCC_E_LENGTH);
	ck_assert(r.has_blank);
}
END_TEST

/* Invalid UTF-8 is counted in bytes: 20 bytes, one of them bad, is 20. */
START_TEST(invalid_utf8_length)
{
	const char in[] = "91100000\xc0\xaf" "100003962T";
	struct uscc_result r;

	ck_assert_int_eq(uscc_validate(in, sizeof in - 1, &r), USCC_E_LENGTH);
	ck_assert_uint_eq(r.nchars, sizeof in - 1);
}
END_TEST

/* The expected check character is never offered to the user: a typo
 * elsewhere must not be "fixed" at position 18. */
START_TEST(check_message_hides_expected)
{
	struct uscc_result r;
	char msg[USCC_MESSAGE_MAX];

	uscc_validate("91441300192317458F", 18, &r);
	ck_assert_int_eq(r.status, USCC_E_CHECK);
	uscc_message(&r, msg, sizeof msg);
	ck_assert_ptr_null(strstr(msg, "U"));
	ck_assert_ptr_nonnull(strstr(msg, "第18位校验码错误"));
}
END_TEST

/* A small buffer truncates but stays a string; size 0 writes nothing. */
START_TEST(message_truncates)
{
	struct uscc_result r;
	char small[8];
	char none = 'x';

	uscc_validate("9", 1, &r);
	uscc_message(&r, small, sizeof small);
	ck_assert_uint_lt(strlen(small), sizeof small);
	uscc_message(&r, &none, 0);
	ck_assert_int_eq(none, 'x');
}
END_TEST

/* Every message, whole: each kind of result says exactly this. */
#define FORBIDDEN_LETTERS "代码不使用字母I、O、Z、S、V，请检查是否与数字1、0、2、5等混淆"
static const struct {
	struct uscc_result r;
	const char *msg;
} messages[] = {
	{ { .status = USCC_OK }, "" },
	{ { .status = USCC_E_EMPTY }, "请填写统一社会信用代码" },
	{ { .status = USCC_E_LENGTH, .nchars = 17 }, "统一社会信用代码应为18位，您输入了17位" },
	{ { .status = USCC_E_LENGTH, .nchars = 19, .has_blank = true },
	  "统一社会信用代码应为18位，您输入了19位（其中含有空格，请删除）" },
	{ { .status = USCC_E_CHAR, .pos = 9, .bad = 'O' },
	  "统一社会信用代码第9位“O”无效：" FORBIDDEN_LETTERS },
	{ { .status = USCC_E_CHAR, .pos = 3, .bad = 'I' },
	  "统一社会信用代码第3位“I”无效：" FORBIDDEN_LETTERS },
	{ { .status = USCC_E_CHAR, .pos = 4, .bad = 'Z' },
	  "统一社会信用代码第4位“Z”无效：" FORBIDDEN_LETTERS },
	{ { .status = USCC_E_CHAR, .pos = 5, .bad = 'S' },
	  "统一社会信用代码第5位“S”无效：" FORBIDDEN_LETTERS },
	{ { .status = USCC_E_CHAR, .pos = 6, .bad = 'V' },
	  "统一社会信用代码第6位“V”无效：" FORBIDDEN_LETTERS },
	{ { .status = USCC_E_CHAR, .pos = 17, .bad = ' ' }, "统一社会信用代码第17位是空白字符，请删除代码中的空格" },
	{ { .status = USCC_E_CHAR, .pos = 18, .bad = '\t' }, "统一社会信用代码第18位是空白字符，请删除代码中的空格" },
	{ { .status = USCC_E_CHAR, .pos = 1, .bad = 0xEF },
	  "统一社会信用代码第1位是全角或中文字符，请用半角（英文）数字和字母输入" },
	{ { .status = USCC_E_CHAR, .pos = 2, .bad = 0x80 },
	  "统一社会信用代码第2位是全角或中文字符，请用半角（英文）数字和字母输入" },
	/* The printable ASCII range's two ends, and just outside them. */
	{ { .status = USCC_E_CHAR, .pos = 9, .bad = '!' },
	  "统一社会信用代码第9位“!”无效：代码只能由数字和大写英文字母组成" },
	{ { .status = USCC_E_CHAR, .pos = 9, .bad = '~' },
	  "统一社会信用代码第9位“~”无效：代码只能由数字和大写英文字母组成" },
	{ { .status = USCC_E_CHAR, .pos = 9, .bad = 0x7F }, "统一社会信用代码第9位含有无效字符" },
	{ { .status = USCC_E_CHAR, .pos = 12, .bad = 0 }, "统一社会信用代码第12位含有无效字符" },
	{ { .status = USCC_E_CHAR, .pos = 2, .bad = 0x01 }, "统一社会信用代码第2位含有无效字符" },
	{ { .status = USCC_E_DIVISION, .pos = 8 },
	  "统一社会信用代码第8位应为数字：第3至8位是登记管理机关行政区划码，只能是数字" },
	{ { .status = USCC_E_AUTHORITY, .pos = 1, .bad = 'B' },
	  "统一社会信用代码第1位“B”无效：第1位是登记管理部门代码，只能是1至9、A、N或Y"
	  "（在市场监督管理部门登记的企业为9）" },
	{ { .status = USCC_E_CATEGORY, .pos = 2, .bad = '4', .authority = '9' },
	  "统一社会信用代码第2位“4”无效：第2位是机构类别代码，第1位为“9”（工商（市场监督管理））时只能是1、2、3"
	  "（企业的代码以“91”开头）" },
	{ { .status = USCC_E_CATEGORY, .pos = 2, .bad = '2', .authority = 'Y' },
	  "统一社会信用代码第2位“2”无效：第2位是机构类别代码，第1位为“Y”（其他）时只能是1"
	  "（企业的代码以“91”开头）" },
	{ { .status = USCC_E_CATEGORY, .pos = 2, .bad = '7', .authority = '3' },
	  "统一社会信用代码第2位“7”无效：第2位是机构类别代码，第1位为“3”（司法行政）时只能是1、2、3、4、5、9"
	  "（企业的代码以“91”开头）" },
	{ { .status = USCC_E_CHECK, .pos = 18, .expected = 'T' },
	  "统一社会信用代码第18位校验码错误，请对照营业执照逐位核对代码（任何一位抄错都会导致校验失败）" },
};

START_TEST(every_message)
{
	char msg[USCC_MESSAGE_MAX];

	memset(msg, 'x', sizeof msg);
	ck_assert_ptr_eq(uscc_message(&messages[_i].r, msg, sizeof msg), msg);
	ck_assert_str_eq(msg, messages[_i].msg);
}
END_TEST

/* At the buffer's edge: 1 byte holds only the terminator, 2 bytes one
 * byte of the message; nothing is written past size. */
START_TEST(message_edge_sizes)
{
	const struct uscc_result *r = &messages[_i].r;
	char buf[4];

	for (size_t size = 1; size <= 2; size++) {
		memset(buf, 'x', sizeof buf);
		ck_assert_ptr_eq(uscc_message(r, buf, size), buf);
		ck_assert_uint_eq(strlen(buf), r->status == USCC_OK ? 0 : size - 1);
		ck_assert_int_eq(buf[0], size == 1 ? '\0' : messages[_i].msg[0]);
		for (size_t i = size; i < sizeof buf; i++)
			ck_assert_int_eq(buf[i], 'x');
	}
}
END_TEST

/* A status outside the enum is a bug, not a message. */
START_TEST(message_of_no_status)
{
	struct uscc_result r = { .status = (enum uscc_status)99 };
	char msg[USCC_MESSAGE_MAX];

	uscc_message(&r, msg, sizeof msg);
}
END_TEST

/* ---- check character ---- */

START_TEST(worked_example)
{
	/* §4: S = 1640, 1640 mod 31 = 28, 31 - 28 = 3. */
	ck_assert_int_eq(uscc_check_char("91350100M000100Y4"), '3');
	ck_assert_int_eq(uscc_check_char("91350100M000100Y4?"), '3');
	ck_assert_int_eq(uscc_check_char("9135010OM000100Y4"), '\0');
	ck_assert_int_eq(uscc_check_char("91350100m000100Y4"), '\0');
	ck_assert_int_eq(uscc_char_value('0'), 0);
	ck_assert_int_eq(uscc_char_value('A'), 10);
	ck_assert_int_eq(uscc_char_value('H'), 17);
	ck_assert_int_eq(uscc_char_value('J'), 18);
	ck_assert_int_eq(uscc_char_value('Y'), 30);
	ck_assert_int_eq(uscc_char_value('I'), -1);
	ck_assert_int_eq(uscc_char_value('Z'), -1);
	ck_assert_int_eq(uscc_char_value('a'), -1);
	ck_assert_int_eq(uscc_char_value('\0'), -1);
}
END_TEST

/* §4: any single changed character in 1-17 changes the check character,
 * so every such variant of every valid code is refused. */
START_TEST(single_substitutions_fail)
{
	static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	const char *code = goods[_i].code;
	char v[USCC_LEN + 1];
	struct uscc_result r;

	for (int pos = 0; pos < USCC_LEN - 1; pos++) {
		for (const char *c = set; *c; c++) {
			if (*c == code[pos] || (pos >= 2 && pos <= 7 && (*c < '0' || *c > '9')))
				continue;
			memcpy(v, code, sizeof v);
			v[pos] = *c;
			/* Positions 1-2 may now make no valid prefix: refused
			 * earlier, as a format error, never accepted. */
			if (pos < 2 && !uscc_category_name(v)) {
				ck_assert_int_eq(uscc_validate(v, USCC_LEN, &r),
						 uscc_authority_name(v[0]) ? USCC_E_CATEGORY
									   : USCC_E_AUTHORITY);
				continue;
			}
			ck_assert_int_eq(uscc_validate(v, USCC_LEN, &r), USCC_E_CHECK);
			ck_assert_int_ne(r.expected, code[17]);
		}
	}
}
END_TEST

/* ---- GB 11714 organisation code (warning level) ---- */

struct org {
	const char *code;
	enum uscc_org_status status;
	char expected;
};

static const struct org orgs[] = {
	{ "91100000100003962T", USCC_ORG_OK, '2' },
	{ "9144030010001686XA", USCC_ORG_OK, 'X' },
	{ "911000001000013428", USCC_ORG_OK, '2' },
	{ "91440300192317458F", USCC_ORG_OK, '8' },
	{ "91520000214434146R", USCC_ORG_OK, '6' },
	{ "91350100M000100Y43", USCC_ORG_OK, '4' },
	{ "91100000100003963T", USCC_ORG_MISMATCH, '2' },
	{ "9144030010001686YA", USCC_ORG_MISMATCH, 'X' },
	{ "91100000100003962", USCC_ORG_MALFORMED, 0 },
	{ "91100000100003962TT", USCC_ORG_MALFORMED, 0 },
	{ "", USCC_ORG_MALFORMED, 0 },
	{ "91100000100-03962T", USCC_ORG_MALFORMED, 0 },
	{ "91100000100a03962T", USCC_ORG_MALFORMED, 0 },
};

START_TEST(org_code)
{
	const struct org *o = &orgs[_i];
	char expected = '?';

	ck_assert_int_eq(uscc_org_check(o->code, &expected), o->status);
	ck_assert_int_eq(expected, o->expected);
	ck_assert_int_eq(uscc_org_check(o->code, NULL), o->status);
}
END_TEST

START_TEST(org_message)
{
	ck_assert_ptr_nonnull(strstr(uscc_org_message(), "组织机构代码"));
}
END_TEST

/* ---- legal person ---- */

struct legal {
	const char *code;
	enum uscc_legal legal;
	const char *name; /* NULL: none */
};

static const struct legal legals[] = {
	{ "91100000100003962T", USCC_LEGAL_YES, "企业" },
	{ "92520000214434146R", USCC_LEGAL_NO, "个体工商户" },
	{ "93", USCC_LEGAL_YES, "农民专业合作社" },
	{ "11", USCC_LEGAL_YES, "机关" },
	{ "12", USCC_LEGAL_YES, "事业单位" },
	{ "13", USCC_LEGAL_YES, "群众团体" },
	{ "19", USCC_LEGAL_UNKNOWN, "其他（机构编制部门登记）" },
	{ "51", USCC_LEGAL_YES, "社会团体" },
	{ "52", USCC_LEGAL_UNKNOWN, "民办非企业单位" },
	{ "53", USCC_LEGAL_YES, "基金会" },
	{ "59", USCC_LEGAL_UNKNOWN, "其他（民政部门登记）" },
	{ "Y1", USCC_LEGAL_UNKNOWN, "其他" },
	{ "94", USCC_LEGAL_UNKNOWN, NULL },
	{ "99", USCC_LEGAL_UNKNOWN, NULL },
	{ "21", USCC_LEGAL_UNKNOWN, "外国常驻新闻机构" },
	{ "31", USCC_LEGAL_UNKNOWN, "律师执业机构" },
	{ "35", USCC_LEGAL_UNKNOWN, "仲裁委员会" },
	{ "62", USCC_LEGAL_UNKNOWN, "港澳台地区旅游部门常驻内地（大陆）代表机构" },
	{ "71", USCC_LEGAL_UNKNOWN, "宗教活动场所" },
	{ "81", USCC_LEGAL_UNKNOWN, "基层工会" },
	{ "A1", USCC_LEGAL_UNKNOWN, "军队事业单位" },
	{ "N1", USCC_LEGAL_UNKNOWN, "组级集体经济组织" },
	{ "N3", USCC_LEGAL_UNKNOWN, "乡镇级集体经济组织" },
	{ "Y2", USCC_LEGAL_UNKNOWN, NULL },
	{ "22", USCC_LEGAL_UNKNOWN, NULL },
	{ "B1", USCC_LEGAL_UNKNOWN, NULL },
	{ "01", USCC_LEGAL_UNKNOWN, NULL },
	{ "9", USCC_LEGAL_UNKNOWN, NULL },
	{ "", USCC_LEGAL_UNKNOWN, NULL },
	{ "x1", USCC_LEGAL_UNKNOWN, NULL },
};

START_TEST(legal_person)
{
	const struct legal *l = &legals[_i];
	const char *name = uscc_category_name(l->code);

	ck_assert_int_eq(uscc_legal_person(l->code), l->legal);
	if (l->name)
		ck_assert_str_eq(name, l->name);
	else
		ck_assert_ptr_null(name);
}
END_TEST

/* ---- positions 1-2: every pair, and who may apply ---- */

/* GB 32100's table, written out again here: an authority and its categories. */
static const char *const prefixes[] = {
	"11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49",
	"51", "52", "53", "59", "61", "62", "69", "71", "72", "79", "81", "89", "91", "92",
	"93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1",
};

/* Every pair of code characters: exactly the table's validate (with a body
 * and check character made to fit), and have a category name; no other. */
START_TEST(every_prefix)
{
	static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char v[USCC_LEN + 1] = "00100000100003962?";
	struct uscc_result r;
	char msg[USCC_MESSAGE_MAX];

	for (const char *a = set; *a; a++) {
		for (const char *b = set; *b; b++) {
			bool listed = false;
			for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
				listed = listed || (prefixes[i][0] == *a && prefixes[i][1] == *b);
			v[0] = *a;
			v[1] = *b;
			v[17] = '0';
			v[17] = uscc_check_char(v);
			ck_assert_int_eq(uscc_validate(v, USCC_LEN, &r),
					 listed ? USCC_OK : uscc_authority_name(*a) ? USCC_E_CATEGORY
										    : USCC_E_AUTHORITY);
			ck_assert_int_eq(uscc_category_name(v) != NULL, listed);
			uscc_message(&r, msg, sizeof msg);
			ck_assert_uint_lt(strlen(msg), sizeof msg - 1); /* never truncated */
			/* Only 91 may apply; everyone else is told why, naming 91. */
			ck_assert_int_eq(uscc_applicant_ok(v, msg, sizeof msg), *a == '9' && *b == '1');
			if (*a == '9' && *b == '1') {
				ck_assert_str_eq(msg, "");
			} else {
				ck_assert_ptr_nonnull(strstr(msg, "“91”"));
				ck_assert_uint_lt(strlen(msg), sizeof msg - 1);
			}
		}
	}
}
END_TEST

static const struct {
	const char *code;
	const char *words;
} refusals[] = {
	{ "92520000214434146R", "个体工商户" },
	{ "93", "农民专业合作社" },
	{ "A1", "军队事业单位（登记管理部门：中央军委改革和编制办公室）" },
	{ "12", "事业单位（登记管理部门：机构编制）" },
	{ "51", "社会团体" },
	{ "Y1", "其他（登记管理部门：其他）" },
	{ "00", "不是有效的登记管理部门" },
};

START_TEST(applicant_refusals)
{
	char msg[USCC_MESSAGE_MAX], small[10];
	ck_assert(!uscc_applicant_ok(refusals[_i].code, msg, sizeof msg));
	ck_assert_msg(strstr(msg, refusals[_i].words), "\"%s\" lacks \"%s\"", msg,
		      refusals[_i].words);
	ck_assert(!uscc_applicant_ok(refusals[_i].code, small, sizeof small));
	ck_assert_uint_lt(strlen(small), sizeof small);
	ck_assert(!uscc_applicant_ok(refusals[_i].code, NULL, 0));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *uscc_suite(void)
{
	Suite *s = suite_create("uscc");
	TCase *tc = tcase_create("validate");
	tcase_add_loop_test(tc, valid_codes, 0, N(goods));
	tcase_add_loop_test(tc, invalid_codes, 0, N(bads));
	tcase_add_test(tc, very_long);
	tcase_add_test(tc, invalid_utf8_length);
	tcase_add_test(tc, blank_after_len_not_counted);
	tcase_add_test(tc, check_message_hides_expected);
	tcase_add_test(tc, message_truncates);
	tcase_add_loop_test(tc, every_message, 0, N(messages));
	tcase_add_loop_test(tc, message_edge_sizes, 0, N(messages));
	tcase_add_test_raise_signal(tc, message_of_no_status, SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_char");
	tcase_add_test(tc, worked_example);
	tcase_add_loop_test(tc, single_substitutions_fail, 0, N(goods));
	suite_add_tcase(s, tc);

	tc = tcase_create("org_code");
	tcase_add_loop_test(tc, org_code, 0, N(orgs));
	tcase_add_test(tc, org_message);
	suite_add_tcase(s, tc);

	tc = tcase_create("legal_person");
	tcase_add_loop_test(tc, legal_person, 0, N(legals));
	suite_add_tcase(s, tc);

	tc = tcase_create("prefix");
	tcase_add_test(tc, every_prefix);
	tcase_add_loop_test(tc, applicant_refusals, 0, N(refusals));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(uscc_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
