/* libFuzzer target for what the public types into the forms of the
 * publicity and publish steps: the objection form's question token and
 * answer (src/core/pubguard.c), tracking numbers and certificate numbers
 * (src/rules/numbers.c).
 *
 * Input: up to the first NUL, a token; after it, an answer.  The whole
 * input (NUL-terminated copy) is also read as a tracking number and as a
 * certificate number.
 *
 * The promises checked: pg_question_check answers one of its verdicts and
 * hands out a nonce (32 lower-case hex digits) only for PG_OK; a token the
 * fuzzer forges is never PG_OK unless it is one made by pg_question_make
 * (checked by making one from the input's first bytes and answering it);
 * the parsers give canonical spellings that parse to themselves and format
 * back the same.  Any broken promise traps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/pubguard.h"
#include "rules/numbers.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static char *copy(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	CHECK(s);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char key[PG_KEY_BYTES] = { 42 };
	char *all = copy(data, size);
	size_t tlen = strlen(all);
	const char *answer = tlen < size ? all + tlen + 1 : "";
	char nonce[2 * PG_NONCE_BYTES + 1] = "";

	/* Whatever comes, a verdict; a nonce only with PG_OK. */
	enum pg_verdict v = pg_question_check(key, all, answer, 1000, nonce);
	CHECK(v >= PG_OK && v <= PG_USED && v != PG_USED);
	if (v == PG_OK) {
		CHECK(strlen(nonce) == 2 * PG_NONCE_BYTES);
		for (size_t i = 0; nonce[i]; i++)
			CHECK((nonce[i] >= '0' && nonce[i] <= '9') || (nonce[i] >= 'a' && nonce[i] <= 'f'));
	}

	/* A question made from the input is answered right, and wrong. */
	if (size >= PG_NONCE_BYTES + 2) {
		struct pg_question q;
		int a = 1 + data[0] % 9, b = 1 + data[1] % 9;
		char right[8], wrong[8];
		pg_question_make(key, data + 2, a, b, 5000, &q);
		snprintf(right, sizeof right, "%d", a + b);
		snprintf(wrong, sizeof wrong, "%d", a + b + 1);
		CHECK(pg_question_check(key, q.token, right, 4999, nonce) == PG_OK);
		CHECK(pg_question_check(key, q.token, wrong, 4999, nonce) == PG_WRONG);
		CHECK(pg_question_check(key, q.token, right, 5001, nonce) == PG_EXPIRED);
	}

	char tracking[TRACKING_NO_LEN + 1], again[TRACKING_NO_LEN + 1];
	if (tracking_no_parse(all, tracking) == 0) {
		CHECK(strlen(tracking) == TRACKING_NO_LEN);
		CHECK(tracking_no_parse(tracking, again) == 0 && !strcmp(tracking, again));
	}
	char cert[CERT_NO_MAX + 1], cert2[CERT_NO_MAX + 1], cert3[CERT_NO_MAX + 1];
	int year, seq;
	if (cert_no_parse(all, cert, &year, &seq) == 0) {
		CHECK(cert_no_format(year, seq, cert2) == 0 && !strcmp(cert, cert2));
		CHECK(cert_no_parse(cert, cert3, NULL, NULL) == 0 && !strcmp(cert, cert3));
	}
	free(all);
	return 0;
}
