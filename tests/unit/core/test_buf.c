/* Unit tests of buf: every operation, from an empty and from a filled
 * buffer, followed by a check of the invariants buf.h promises (data never
 * NULL, NUL-terminated, len < cap unless it is the shared empty string,
 * detach hands over a heap pointer the caller frees). */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/banned.h"

static void check_invariants(const struct buf *b)
{
	ck_assert_ptr_nonnull(b->data);
	ck_assert_int_eq(b->data[b->len], '\0');
	if (b->cap) {
		ck_assert_uint_lt(b->len, b->cap);
		ck_assert_ptr_ne(b->data, buf_empty_);
	} else {
		ck_assert_ptr_eq(b->data, buf_empty_);
		ck_assert_uint_eq(b->len, 0);
	}
	/* Nobody may ever write into the shared empty string. */
	ck_assert_int_eq(buf_empty_[0], '\0');
}

/* The same, without a Check call per test (each one writes to a pipe):
 * for loops of thousands of operations. */
static bool invariants_hold(const struct buf *b)
{
	if (!b->data || b->data[b->len] != '\0' || buf_empty_[0] != '\0')
		return false;
	if (b->cap)
		return b->len < b->cap && b->data != buf_empty_;
	return b->data == buf_empty_ && b->len == 0;
}

static void check_content(const struct buf *b, const char *want, size_t want_len)
{
	check_invariants(b);
	ck_assert_uint_eq(b->len, want_len);
	ck_assert_mem_eq(b->data, want, want_len);
}

enum op { OP_ADD, OP_ADDS, OP_ADDC, OP_ADDF, OP_ADDHEX, OP_TRUNCATE, OP_RESET, OP_GROW,
	  OP_RELEASE, OP_DETACH };

#define B(s) s, sizeof(s) - 1

/* One operation on a buffer that holds start; the result it must hold.
 * The rows with nothing to add, a length beyond the end, or an empty
 * starting buffer are the awkward inputs. */
static const struct {
	const char *start;
	enum op op;
	const char *arg;
	size_t arg_len; /* ADD/ADDHEX: bytes; TRUNCATE/GROW: the size */
	const char *want;
	size_t want_len;
} steps[] = {
	{ "abc", OP_ADD, B("xyz"), B("abcxyz") },
	{ "", OP_ADD, B("xyz"), B("xyz") },
	{ "abc", OP_ADD, B("x\0y"), B("abcx\0y") }, /* bytes, NUL included */
	{ "abc", OP_ADD, B(""), B("abc") },
	{ "", OP_ADD, B(""), B("") },
	{ "abc", OP_ADD, NULL, 0, B("abc") }, /* no bytes: the pointer is not read */
	{ "abc", OP_ADDS, B("中文"), B("abc中文") },
	{ "abc", OP_ADDS, B(""), B("abc") },
	{ "", OP_ADDS, B(""), B("") },
	{ "abc", OP_ADDC, B("z"), B("abcz") },
	{ "", OP_ADDC, B("z"), B("z") },
	{ "abc", OP_ADDC, "\0", 1, B("abc\0") },
	{ "abc", OP_ADDF, B("1%"), B("abc1%") },
	{ "abc", OP_ADDF, B(""), B("abc") },
	{ "", OP_ADDF, B(""), B("") },
	{ "abc", OP_ADDHEX, B("\x00\xff\x10\x9a"), B("abc00ff109a") },
	{ "", OP_ADDHEX, B("\x01"), B("01") },
	{ "abc", OP_ADDHEX, B(""), B("abc") },
	{ "", OP_ADDHEX, B(""), B("") },
	{ "abc", OP_TRUNCATE, NULL, 1, B("a") },
	{ "abc", OP_TRUNCATE, NULL, 0, B("") },
	{ "abc", OP_TRUNCATE, NULL, 3, B("abc") },
	{ "abc", OP_TRUNCATE, NULL, 1000, B("abc") }, /* never grows */
	{ "", OP_TRUNCATE, NULL, 0, B("") },
	{ "", OP_TRUNCATE, NULL, 5, B("") },
	{ "abc", OP_RESET, NULL, 0, B("") },
	{ "", OP_RESET, NULL, 0, B("") },
	{ "abc", OP_GROW, NULL, 1000, B("abc") },
	{ "abc", OP_GROW, NULL, 0, B("abc") },
	{ "", OP_GROW, NULL, 0, B("") },
	{ "", OP_GROW, NULL, 100, B("") },
	{ "abc", OP_RELEASE, NULL, 0, B("") },
	{ "", OP_RELEASE, NULL, 0, B("") },
	{ "abc", OP_DETACH, NULL, 0, B("") },
	{ "", OP_DETACH, NULL, 0, B("") },
};

START_TEST(one_step)
{
	struct buf b = BUF_INIT;
	size_t cap_before, start_len = strlen(steps[_i].start);
	buf_adds(&b, steps[_i].start);
	check_content(&b, steps[_i].start, start_len);
	cap_before = b.cap;
	switch (steps[_i].op) {
	case OP_ADD:
		buf_add(&b, steps[_i].arg, steps[_i].arg_len);
		break;
	case OP_ADDS:
		buf_adds(&b, steps[_i].arg);
		break;
	case OP_ADDC:
		buf_addc(&b, steps[_i].arg[0]);
		break;
	case OP_ADDF:
		buf_addf(&b, "%s", steps[_i].arg);
		break;
	case OP_ADDHEX:
		buf_addhex(&b, (const unsigned char *)steps[_i].arg, steps[_i].arg_len);
		break;
	case OP_TRUNCATE:
		buf_truncate(&b, steps[_i].arg_len);
		ck_assert_uint_eq(b.cap, cap_before);
		break;
	case OP_RESET:
		buf_reset(&b);
		ck_assert_uint_eq(b.cap, cap_before); /* keeps its memory for reuse */
		break;
	case OP_GROW:
		buf_grow(&b, steps[_i].arg_len);
		if (steps[_i].arg_len)
			ck_assert_uint_ge(b.cap, start_len + steps[_i].arg_len + 1);
		break;
	case OP_RELEASE:
		buf_release(&b);
		ck_assert_uint_eq(b.cap, 0);
		break;
	case OP_DETACH: {
		size_t len = 12345;
		char *d = buf_detach(&b, &len);
		ck_assert_ptr_ne(d, buf_empty_); /* always a heap pointer */
		ck_assert_uint_eq(len, start_len);
		ck_assert_str_eq(d, steps[_i].start);
		free(d);
		ck_assert_uint_eq(b.cap, 0);
		break;
	}
	}
	check_content(&b, steps[_i].want, steps[_i].want_len);
	buf_release(&b);
	check_invariants(&b);
}
END_TEST

START_TEST(init_is_empty)
{
	struct buf a = BUF_INIT, b;
	memset(&b, 0x5a, sizeof b);
	buf_init(&b);
	check_content(&a, "", 0);
	check_content(&b, "", 0);
	ck_assert_str_eq(a.data, "");
	buf_release(&a); /* releasing an empty buffer frees nothing */
	check_invariants(&a);
}
END_TEST

START_TEST(detach_hands_ownership)
{
	struct buf b = BUF_INIT;
	char *d;
	buf_adds(&b, "hello");
	d = buf_detach(&b, NULL); /* len is optional */
	check_content(&b, "", 0);
	/* The buffer no longer refers to d: using it again cannot touch d. */
	buf_adds(&b, "world");
	check_content(&b, "world", 5);
	ck_assert_str_eq(d, "hello");
	free(d);
	buf_release(&b);
}
END_TEST

START_TEST(many_small_adds)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < 20000; i++) {
		buf_addc(&b, (char)('a' + i % 26));
		if (!invariants_hold(&b) || b.len != i + 1)
			ck_abort_msg("broken after %zu adds", i + 1);
	}
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] != 'a' + (int)(i % 26))
			ck_abort_msg("byte %zu is %d", i, b.data[i]);
	check_invariants(&b);
	buf_release(&b);
}
END_TEST

/* buf_addf at the edge of the allocation: fits exactly, one byte over,
 * and far beyond (vsnprintf must be run again after the grow). */
static const size_t addf_sizes[] = { 0, 1, 2, 3, 4, 60, 62, 63, 64, 65, 127, 128, 129, 5000 };

START_TEST(addf_edges)
{
	struct buf b = BUF_INIT;
	char *arg = malloc(addf_sizes[_i] + 1);
	memset(arg, 'x', addf_sizes[_i]);
	arg[addf_sizes[_i]] = '\0';
	buf_adds(&b, "0123456789"); /* so the first allocation has 64 bytes */
	for (int round = 0; round < 4; round++) {
		size_t before = b.len;
		buf_addf(&b, "%s|%d", arg, round);
		check_invariants(&b);
		ck_assert_uint_eq(b.len, before + addf_sizes[_i] + 2);
		ck_assert_mem_eq(b.data + before, arg, addf_sizes[_i]);
		ck_assert_int_eq(b.data[before + addf_sizes[_i]], '|');
		ck_assert_int_eq(b.data[before + addf_sizes[_i] + 1], '0' + round);
	}
	free(arg);
	buf_release(&b);
}
END_TEST

START_TEST(addf_from_empty)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s-%lld-%zu", "中文", -42LL, (size_t)7);
	check_content(&b, B("中文--42-7"));
	buf_release(&b);
}
END_TEST

START_TEST(fill_to_capacity)
{
	/* Grow by exactly what is added, again and again: the NUL always fits. */
	struct buf b = BUF_INIT;
	for (size_t n = 1; n < 300; n++) {
		buf_grow(&b, 1);
		buf_add(&b, "y", 1);
		if (!invariants_hold(&b) || b.len != n)
			ck_abort_msg("broken at %zu", n);
	}
	buf_release(&b);
}
END_TEST

START_TEST(truncate_then_add)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "abcdef");
	buf_truncate(&b, 2);
	buf_adds(&b, "XY");
	check_content(&b, "abXY", 4);
	buf_reset(&b);
	buf_addc(&b, 'q');
	check_content(&b, "q", 1);
	buf_release(&b);
}
END_TEST

/* Sizes that cannot be allocated are a bug or an attack: abort, never wrap. */
START_TEST(grow_overflow_aborts)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "abc");
	buf_grow(&b, SIZE_MAX - 2);
}
END_TEST

START_TEST(grow_max_aborts)
{
	struct buf b = BUF_INIT;
	buf_grow(&b, SIZE_MAX);
}
END_TEST

/* xstrndup copies exactly n bytes and terminates; xstrdup the whole string. */
static const struct {
	const char *s;
	size_t n;
	const char *want;
} ndups[] = {
	{ "abcdef", 3, "abc" }, { "abcdef", 0, "" }, { "", 0, "" },
	{ "中文字", 3, "中" },  { "a\0b", 3, "a" },
};

START_TEST(xstrndup_copies)
{
	char *p = xstrndup(ndups[_i].s, ndups[_i].n);
	ck_assert_str_eq(p, ndups[_i].want);
	ck_assert_int_eq(p[ndups[_i].n], '\0');
	free(p);
}
END_TEST

START_TEST(x_allocators)
{
	char *p = xstrdup("中文");
	void *z = xmalloc(0), *c = xcalloc(0, 0);
	unsigned char *cz = xcalloc(16, 1);
	ck_assert_str_eq(p, "中文");
	ck_assert_ptr_nonnull(z);
	ck_assert_ptr_nonnull(c);
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(cz[i], 0);
	z = xrealloc(z, 0);
	ck_assert_ptr_nonnull(z);
	free(p);
	free(z);
	free(c);
	free(cz);
}
END_TEST

static Suite *buf_suite(bool forking)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, one_step, 0, (int)(sizeof steps / sizeof steps[0]));
	tcase_add_test(tc, init_is_empty);
	tcase_add_test(tc, detach_hands_ownership);
	tcase_add_test(tc, many_small_adds);
	tcase_add_loop_test(tc, addf_edges, 0, (int)(sizeof addf_sizes / sizeof addf_sizes[0]));
	tcase_add_test(tc, addf_from_empty);
	tcase_add_test(tc, fill_to_capacity);
	tcase_add_test(tc, truncate_then_add);
	tcase_add_loop_test(tc, xstrndup_copies, 0, (int)(sizeof ndups / sizeof ndups[0]));
	tcase_add_test(tc, x_allocators);
	/* An abort can only be observed from a forked child. */
	if (forking) {
		tcase_add_test_raise_signal(tc, grow_overflow_aborts, SIGABRT);
		tcase_add_test_raise_signal(tc, grow_max_aborts, SIGABRT);
	}
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;
	srunner_add_suite(sr, buf_suite(srunner_fork_status(sr) == CK_FORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
