/* uscc: the Unified Social Credit Code (统一社会信用代码, GB 32100-2015).
 *
 * Owns: the format and check-character rules of the code, the optional
 * GB 11714 organisation-code check on positions 9-17, the reading of
 * positions 1-2 (registration authority and category) as "independent legal
 * person or not", and the Chinese messages for all of these.  Pure functions:
 * no database, no allocation, no global state.
 *
 * Normalisation: nothing is trimmed (a blank anywhere is an error: the form
 * layer decides whether to trim).  ASCII letters a-z are upper-cased before
 * any check, and the upper-case form is what uscc_validate() hands back in
 * r->code; store that form, so one enterprise has one spelling (the
 * one-account-per-code rule compares stored codes byte for byte).  Nothing
 * else is mapped: a full-width "９" is a bad character, not a 9.
 *
 * Order of checks, first failure wins: empty, length (18 characters, counted
 * as UTF-8 characters so that a full-width character is reported at its
 * position rather than as a length error), then position by position from
 * the left (positions 3-8 must be digits, the others must be in the
 * 31-character set 0-9 A-Z without I O Z S V; position 1 must be one of
 * GB 32100's registration authorities 1-9 A N Y, position 2 one of the
 * categories of that authority, see uscc_category_name), then the check
 * character.
 *
 * USCC_E_CHECK is the one failure that may be overridden by an administrator
 * for a specific applicant (real, issued codes exist that fail it, see
 * shared/reference/uscc.md §4); a format error never may.  For that reason
 * r->code is filled in for USCC_OK and USCC_E_CHECK alike.
 */
#ifndef BIAOGAN_USCC_H
#define BIAOGAN_USCC_H

#include <stdbool.h>
#include <stddef.h>

#define USCC_LEN 18
/* Enough for every message uscc_message(), uscc_org_message() and
 * uscc_applicant_ok() produce (the unit test checks). */
#define USCC_MESSAGE_MAX 512

enum uscc_status {
	USCC_OK = 0,
	USCC_E_EMPTY,    /* nothing entered */
	USCC_E_LENGTH,   /* not 18 characters; r->nchars says how many */
	USCC_E_CHAR,     /* r->pos holds a character outside the code's set */
	USCC_E_DIVISION, /* r->pos (3..8) is not a digit: division code */
	USCC_E_AUTHORITY, /* position 1 is no registration authority (1-9 A N Y) */
	USCC_E_CATEGORY, /* position 2 is no category of the authority in 1 */
	USCC_E_CHECK,    /* position 18 is not r->expected */
};

struct uscc_result {
	enum uscc_status status;
	/* 1-based position of the error: the bad character for USCC_E_CHAR,
	 * USCC_E_DIVISION, USCC_E_AUTHORITY (1) and USCC_E_CATEGORY (2), 18 for
	 * USCC_E_CHECK, 0 otherwise. */
	unsigned pos;
	/* Characters counted in the input (USCC_E_LENGTH); UTF-8 characters if
	 * the input is valid UTF-8, else bytes. */
	size_t nchars;
	/* First byte of the bad character (USCC_E_CHAR, USCC_E_DIVISION,
	 * USCC_E_AUTHORITY, USCC_E_CATEGORY), after upper-casing. */
	unsigned char bad;
	/* Position 1 (USCC_E_CATEGORY: the authority whose categories apply). */
	char authority;
	/* The input holds a space, tab or line break (helps the message). */
	bool has_blank;
	/* The check character positions 1-17 call for (USCC_E_CHECK, and also
	 * set for USCC_OK); '\0' otherwise. */
	char expected;
	/* The upper-cased code for USCC_OK and USCC_E_CHECK, "" otherwise. */
	char code[USCC_LEN + 1];
};

/* Validate len bytes at s (need not be NUL-terminated; an embedded NUL is a
 * bad character).  Fills *r completely and returns r->status. */
enum uscc_status uscc_validate(const char *s, size_t len, struct uscc_result *r);

/* The value 0..30 of an upper-case code character, or -1 if c is not one. */
int uscc_char_value(char c);

/* The check character (position 18) for the first 17 characters of code,
 * which must be upper case; '\0' if any of them is outside the character
 * set.  code must point at 17 readable bytes. */
char uscc_check_char(const char *code);

/* The Chinese message for r (any status; USCC_OK gives "").  Writes at most
 * size bytes to out, always NUL-terminated when size > 0, and returns out. */
const char *uscc_message(const struct uscc_result *r, char *out, size_t size);

/* GB 11714 organisation code in positions 9-17: a warning, never a reason
 * to refuse (see uscc.md §4).  code is an 18-character upper-case code (as in
 * r->code).  Weights 3 7 9 10 5 8 4 2 over positions 9-16, letters A-Z
 * worth 10-35, check = 11 - sum mod 11 with 10 written X and 11 written 0. */
enum uscc_org_status {
	USCC_ORG_OK = 0,
	USCC_ORG_MISMATCH,  /* position 17 is not *expected */
	USCC_ORG_MALFORMED, /* not 18 characters, or 9-16 not 0-9/A-Z */
};
enum uscc_org_status uscc_org_check(const char *code, char *expected);
/* The warning for USCC_ORG_MISMATCH (a static string). */
const char *uscc_org_message(void);

/* Whether the code belongs to an applicant of the selection: an enterprise
 * registered with market regulation, positions 1-2 "91" (article 8 (一)
 * asks for an independent legal person; an individual business (92), a
 * farmers' cooperative (93) and every non-market organisation are not
 * enterprises).  code: a validated upper-case code (2 characters are
 * read).  True when it is; false with the Chinese reason, without a final
 * full stop, in why (at most size bytes, NUL-terminated when size > 0). */
bool uscc_applicant_ok(const char *code, char *why, size_t size);

/* Whether the code denotes an independent legal person (独立法人), from
 * positions 1-2 alone.  The mapping follows the category table of
 * shared/reference/uscc.md §2 and the Civil Code's kinds of legal person:
 *
 *   91 企业 (market regulation)   YES  see the caveat below
 *   92 个体工商户                  NO   an individual business is a natural
 *                                       person trading, never a legal person
 *   93 农民专业合作社              YES  registration confers legal personality
 *                                       (农民专业合作社法 art. 5)
 *   11 机关                        YES  机关法人 (Civil Code art. 97)
 *   12 事业单位                    YES  事业单位法人 (art. 88)
 *   13 群众团体                    YES  社会团体法人 (art. 90)
 *   51 社会团体                    YES  registered social organisations are
 *                                       社会团体法人 (art. 90)
 *   53 基金会                      YES  捐助法人 (art. 92)
 *   52 民办非企业单位              UNKNOWN  may be registered as a legal person,
 *                                       a partnership or an individual unit;
 *                                       the code does not say which
 *   19, 59 其他; Y1; and every category of the authorities 2, 3, 4, 6,
 *   7, 8, A, N (GB 32100's table, reproduced by the source uscc.md cites)
 *                                  UNKNOWN  legal personality depends on a
 *                                       registration the code does not show
 *                                       (or "other" says nothing); a person
 *                                       must look
 *
 * Caveat for 91: the category is "enterprise", and branch offices (分公司),
 * sole proprietorships (个人独资企业) and partnerships (合伙企业) are
 * enterprises without legal personality that also get 91 codes.  The code
 * cannot tell them apart, so YES for 91 means "an enterprise; legal person
 * unless it is one of those" and the application should also ask for the
 * enterprise type on the business licence.
 *
 * code needs only its first two characters, upper case; anything shorter or
 * not a category of GB 32100 gives UNKNOWN. */
enum uscc_legal {
	USCC_LEGAL_NO = 0,
	USCC_LEGAL_YES,
	USCC_LEGAL_UNKNOWN,
};
enum uscc_legal uscc_legal_person(const char *code);

/* The Chinese name of the category in positions 1-2 ("企业", "个体工商户",
 * ...) for every category of GB 32100, or NULL when positions 1-2 are none.
 * A static string. */
const char *uscc_category_name(const char *code);
/* The Chinese name of the registration authority of position 1 ("民政",
 * "工商（市场监督管理）", ...), or NULL.  A static string. */
const char *uscc_authority_name(char c);

#endif
