/* libFuzzer target for the second factor's typed forms (src/core/totp.c):
 * what a user types at /login/totp, read as a code of the app or as a
 * recovery code.  Promises checked: an accepted code is exactly 6 digits
 * and, typed again as it came out, is accepted as itself; an accepted
 * recovery code is exactly 10 characters of the alphabet and is its own
 * canonical form; a refusal leaves "" behind; nothing reads past the input's
 * terminator.  Any broken promise traps.
 */
#include "core/totp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[TOTP_DIGITS + 1], again[TOTP_DIGITS + 1];
	char rec[RECOVERY_CODE_CHARS + 1], rec2[RECOVERY_CODE_CHARS + 1];
	/* A form field is a C string: the input up to its first NUL. */
	char *typed = malloc(size + 1);
	if (!typed)
		return 0;
	memcpy(typed, data, size);
	typed[size] = '\0';
	if (totp_code_canonical(typed, code)) {
		CHECK(strlen(code) == TOTP_DIGITS);
		for (int i = 0; i < TOTP_DIGITS; i++)
			CHECK(code[i] >= '0' && code[i] <= '9');
		CHECK(totp_code_canonical(code, again) && !strcmp(code, again));
	} else {
		CHECK(code[0] == '\0');
	}
	if (recovery_canonical(typed, rec)) {
		CHECK(strlen(rec) == RECOVERY_CODE_CHARS);
		CHECK(recovery_canonical(rec, rec2) && !strcmp(rec, rec2));
		for (int i = 0; i < RECOVERY_CODE_CHARS; i++)
			CHECK(strchr("23456789ABCDEFGHJKMNPQRSTUVWXYZ", rec[i]) && rec[i]);
	} else {
		CHECK(rec[0] == '\0');
	}
	free(typed);
	return 0;
}
