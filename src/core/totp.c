#include "core/totp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "core/html.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/banned.h"

/* No 0/O, 1/I/L: read off a sheet of paper and typed again. */
static const char RECOVERY_ALPHABET[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static bool oath_ready(void)
{
	static int state; /* 0 not tried, 1 ready, -1 failed */
	if (!state)
		state = oath_init() == OATH_OK ? 1 : -1;
	if (state < 0)
		log_err("totp: oath_init failed");
	return state > 0;
}

int totp_new_secret(unsigned char secret[TOTP_SECRET_BYTES])
{
	randombytes_buf(secret, TOTP_SECRET_BYTES);
	return 0;
}

int totp_secret_base32(const unsigned char *secret, size_t len, struct buf *out)
{
	char *b32 = NULL;
	size_t n = 0;
	if (!oath_ready() || oath_base32_encode((const char *)secret, len, &b32, &n) != OATH_OK)
		return -1;
	while (n && b32[n - 1] == '=')
		n--; /* apps take it without padding */
	buf_add(out, b32, n);
	sodium_memzero(b32, n);
	free(b32);
	return 0;
}

int totp_uri(struct buf *out, const char *issuer, const char *login,
	     const unsigned char *secret, size_t len)
{
	struct buf b32 = BUF_INIT;
	if (totp_secret_base32(secret, len, &b32))
		return -1;
	buf_adds(out, "otpauth://totp/");
	url_encode(out, issuer, strlen(issuer));
	buf_addc(out, ':');
	url_encode(out, login, strlen(login));
	buf_adds(out, "?secret=");
	buf_add(out, b32.data, b32.len);
	buf_adds(out, "&issuer=");
	url_encode(out, issuer, strlen(issuer));
	buf_addf(out, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP_SECONDS);
	sodium_memzero(b32.data, b32.len);
	buf_release(&b32);
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool totp_code_canonical(const char *typed, char out[TOTP_DIGITS + 1])
{
	size_t n = 0, gaps = 0;
	out[0] = '\0';
	if (!typed)
		return false;
	while (is_blank(*typed))
		typed++;
	size_t end = strlen(typed);
	while (end && is_blank(typed[end - 1]))
		end--;
	for (size_t i = 0; i < end; i++) {
		char c = typed[i];
		if (c >= '0' && c <= '9') {
			if (n == TOTP_DIGITS)
				return out[0] = '\0', false;
			out[n++] = c;
		} else if ((c == ' ' || c == '-') && n == TOTP_DIGITS / 2 && !gaps) {
			gaps++;
		} else {
			return out[0] = '\0', false;
		}
	}
	if (n != TOTP_DIGITS)
		return out[0] = '\0', false;
	out[n] = '\0';
	return true;
}

long long totp_step(time_t now)
{
	return (long long)now / TOTP_STEP_SECONDS;
}

bool totp_check(const unsigned char *secret, size_t len, const char *code, time_t now,
		long long last_step, long long *step)
{
	int pos = 0;
	*step = 0;
	if (!oath_ready() || strlen(code) != TOTP_DIGITS)
		return false;
	if (oath_totp_validate2((const char *)secret, len, now, TOTP_STEP_SECONDS, 0, TOTP_WINDOW,
				&pos, code) < 0)
		return false;
	long long matched = totp_step(now) + pos;
	if (matched <= last_step)
		return false; /* used already (or an older one after it) */
	*step = matched;
	return true;
}

int totp_code_at(const unsigned char *secret, size_t len, time_t now, char out[TOTP_DIGITS + 1])
{
	if (!oath_ready() ||
	    oath_totp_generate((const char *)secret, len, now, TOTP_STEP_SECONDS, 0, TOTP_DIGITS,
			       out) != OATH_OK)
		return -1;
	return 0;
}

int recovery_new(char out[RECOVERY_CODE_LEN + 1])
{
	size_t k = 0;
	for (int i = 0; i < RECOVERY_CODE_CHARS; i++) {
		if (i == RECOVERY_CODE_CHARS / 2)
			out[k++] = '-';
		out[k++] = RECOVERY_ALPHABET[randombytes_uniform(sizeof RECOVERY_ALPHABET - 1)];
	}
	out[k] = '\0';
	return 0;
}

bool recovery_canonical(const char *typed, char out[RECOVERY_CODE_CHARS + 1])
{
	size_t n = 0;
	out[0] = '\0';
	if (!typed)
		return false;
	for (; *typed; typed++) {
		char c = *typed;
		if (is_blank(c) || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!strchr(RECOVERY_ALPHABET, c) || c == '\0' || n == RECOVERY_CODE_CHARS)
			return out[0] = '\0', false;
		out[n++] = c;
	}
	if (n != RECOVERY_CODE_CHARS)
		return out[0] = '\0', false;
	out[n] = '\0';
	return true;
}

void recovery_hash(const char *canonical, unsigned char out[RECOVERY_HASH_BYTES])
{
	sha256(out, canonical, strlen(canonical));
}
