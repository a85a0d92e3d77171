/* libFuzzer target for the score sheet's fields (src/rules/scoring.c): what
 * an expert types as a point's score.
 *
 * Input: the first byte picks the maximum (1 to 40) and the step (whole or
 * half points); the rest, up to its first NUL, is the text.  Promises
 * checked: SCORE_OK only with halves in 0 .. 2 * max, and whole points only
 * in a whole-point scheme; a refusal leaves halves alone and has a Chinese
 * message; an accepted score, formatted again, parses to itself.  Any
 * broken promise traps.
 */
#include "rules/scoring.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int max = 1 + data[0] % 40;
	enum score_step step = data[0] & 0x80 ? SCORE_HALF : SCORE_WHOLE;
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	int halves = -12345;
	enum score_status st = score_parse(text, max, step, &halves);
	if (st == SCORE_OK) {
		char out[SCORE_TEXT_MAX];
		int again = -1;
		CHECK(halves >= 0 && halves <= 2 * max);
		CHECK(step == SCORE_HALF || halves % 2 == 0);
		score_format(halves, out);
		CHECK(score_parse(out, max, step, &again) == SCORE_OK && again == halves);
	} else {
		char msg[256];
		CHECK(halves == -12345);
		score_message(st, "第1项", max, step, msg, sizeof msg);
		CHECK(msg[0] != '\0');
	}
	free(text);
	return 0;
}
