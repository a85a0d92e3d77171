/* Unit tests of sha256: the FIPS 180-2 vectors, libcrypto's answers equal to
 * libsodium's (an independent implementation) for every length around the
 * 64-byte block and for every way of splitting the input into adds, a
 * context reused across begin/end pairs, and release safe twice. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/sha256.h"
#include "core/banned.h"

static const struct {
	const char *in;
	const char *hex;
} vectors[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

START_TEST(fips_vectors)
{
	unsigned char d[SHA256_BYTES];
	char hex[SHA256_HEX_SIZE];
	sha256(d, vectors[_i].in, strlen(vectors[_i].in));
	sodium_bin2hex(hex, sizeof hex, d, sizeof d);
	ck_assert_str_eq(hex, vectors[_i].hex);
}
END_TEST

START_TEST(million_a)
{
	struct sha256 h = { 0 };
	unsigned char d[SHA256_BYTES];
	char hex[SHA256_HEX_SIZE], block[1000];
	memset(block, 'a', sizeof block);
	sha256_begin(&h);
	for (int i = 0; i < 1000; i++)
		sha256_add(&h, block, sizeof block);
	sha256_end(&h, d);
	sha256_release(&h);
	sodium_bin2hex(hex, sizeof hex, d, sizeof d);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Every length 0..300 (across several blocks), split at every point into
 * two adds plus an empty one, on one reused context. */
START_TEST(same_as_libsodium)
{
	unsigned char data[300], want[crypto_hash_sha256_BYTES], got[SHA256_BYTES];
	struct sha256 h = { 0 };
	ck_assert_int_ge(sodium_init(), 0);
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (size_t len = 0; len <= sizeof data; len++) {
		crypto_hash_sha256(want, data, len);
		sha256(got, data, len);
		ck_assert_mem_eq(got, want, SHA256_BYTES);
		for (size_t cut = 0; cut <= len; cut += (len < 70 ? 1 : 13)) {
			sha256_begin(&h);
			sha256_add(&h, data, cut);
			sha256_add(&h, data + cut, 0);
			sha256_add(&h, data + cut, len - cut);
			sha256_end(&h, got);
			ck_assert_mem_eq(got, want, SHA256_BYTES);
		}
	}
	sha256_release(&h);
	sha256_release(&h); /* safe twice */
	ck_assert_ptr_null(h.ctx);
}
END_TEST

static Suite *sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, fips_vectors, 0, (int)(sizeof vectors / sizeof vectors[0]));
	tcase_add_test(tc, million_a);
	tcase_add_test(tc, same_as_libsodium);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sha256_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
