#include "core/password.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/utf8.h"
#include "core/banned.h"

/* Argon2id at libsodium's "interactive" limits: about 64 MiB and a few
 * tenths of a second per login on the target servers. */
#define PW_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

int password_hash(const char *password, struct buf *out)
{
	char hash[crypto_pwhash_STRBYTES];
	if (sodium_init() < 0)
		return -1;
	if (crypto_pwhash_str(hash, password, strlen(password), PW_OPS, PW_MEM) != 0)
		return -1;
	buf_adds(out, hash);
	sodium_memzero(hash, sizeof hash);
	return 0;
}

bool password_verify(const char *hash, const char *password)
{
	if (sodium_init() < 0 || !hash || !password)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, PW_OPS, PW_MEM) != 0;
}

/* The most common passwords in published breach lists, and the obvious
 * local ones.  Compared case-insensitively. */
static const char *const common[] = {
	"123456", "123456789", "12345678", "password", "qwerty", "12345", "1234567890",
	"1234567", "111111", "123123", "abc123", "password1", "password123", "passw0rd",
	"p@ssw0rd", "p@ssword", "p@ssw0rd1", "p@ssword1", "p@ssw0rd123", "admin123",
	"admin@123", "admin1234", "admin@1234", "administrator", "root123", "root@123",
	"qwerty123", "qwe123!@#", "qwer1234", "qwerty1!", "1qaz2wsx", "1qaz@wsx",
	"1qaz2wsx3edc", "1q2w3e4r", "1q2w3e4r5t", "zaq12wsx", "zaq1@wsx", "abcd1234",
	"abcd@1234", "abc@123", "abc12345", "aa123456", "a123456", "a1234567", "a12345678",
	"aa112233", "asdf1234", "asdfghjkl", "iloveyou", "welcome", "welcome1", "welcome123",
	"welcome@123", "letmein", "monkey", "dragon", "sunshine", "princess", "football",
	"baseball", "master", "shadow", "superman", "trustno1", "changeme", "changeme123",
	"test1234", "test@123", "test123!", "guest123", "user1234", "user@123", "demo1234",
	"demo@123", "china123", "china@123", "huawei123", "huawei@123", "woaini1314",
	"woaini520", "5201314", "1314520", "qq123456", "aini1314", "88888888", "66666666",
	"00000000", "11111111", "12341234", "147258369", "987654321", "password!",
	"password@1", "password@123", "pass@word1", "pass@123", "pass1234", "Aa123456",
	"aa123456.", "Aa123456!", "Aa@123456", "Abc@1234", "Abc@12345", "Abc123456",
	"Qwer@1234", "Qq123456", "Zz123456", "Xx123456", "Admin@2024", "Admin@2025",
	"Admin@2026", "Password@2024", "Password@2025", "Password@2026", "Hlj@123456",
	"Heilongjiang@123", "Harbin@123", "Biaogan@123", "biaogan123",
};

bool password_is_common(const char *password)
{
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
		if (!strcasecmp(password, common[i]))
			return true;
	return false;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return false;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

const char *password_policy_error(const char *pw, const char *login)
{
	size_t len = strlen(pw);
	int lower = 0, upper = 0, digit = 0, other = 0;
	if (!utf8_valid(pw, len) || utf8_has_controls(pw, len, false))
		return "密码含有无效字符。";
	if (utf8_count(pw, len) < 8)
		return "密码至少需要8个字符。";
	if (len > 128)
		return "密码不能超过128个字节。";
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (*p >= '0' && *p <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < 3)
		return "密码须包含小写字母、大写字母、数字和其他符号中的至少三类。";
	if (password_is_common(pw))
		return "该密码过于常见，请换一个。";
	if (login && strlen(login) >= 3 && contains_ci(pw, login))
		return "密码不能包含用户名。";
	return NULL;
}

void password_generate(struct buf *out)
{
	/* No 0/O, 1/l/I: the administrator reads it out or copies it by hand. */
	static const char *const sets[] = {
		"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "@#%+=?",
	};
	char pw[15];
	for (;;) {
		for (size_t i = 0; i < 14; i++) {
			const char *set = sets[i < 4 ? i : randombytes_uniform(3)];
			pw[i] = set[randombytes_uniform((uint32_t)strlen(set))];
		}
		/* Shuffle so the classes are not in fixed places. */
		for (size_t i = 13; i > 0; i--) {
			size_t j = randombytes_uniform((uint32_t)(i + 1));
			char t = pw[i];
			pw[i] = pw[j];
			pw[j] = t;
		}
		pw[14] = '\0';
		if (!password_policy_error(pw, NULL))
			break;
	}
	buf_adds(out, pw);
	sodium_memzero(pw, sizeof pw);
}
