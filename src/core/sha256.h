/* sha256: SHA-256, the project's one hash function (uploaded files, tokens
 * kept as hashes, the audit chain, the draw's derivations, migrations).
 *
 * Computed by OpenSSL's libcrypto, which uses the CPU's SHA extensions where
 * it has them: several times libsodium's portable code on the uploads
 * (bench/, docs/performance.md).  libcrypto is used for nothing else.
 *
 * A running hash owns a libcrypto context, made by its first sha256_begin
 * and kept across begin/end pairs (a loop of hashes makes one); it is freed
 * by sha256_release (safe on a zeroed struct and twice).  Failures of
 * libcrypto here can only be a lack of memory: the process stops, as
 * xmalloc does. */
#ifndef BIAOGAN_SHA256_H
#define BIAOGAN_SHA256_H

#include <stddef.h>

#define SHA256_BYTES 32
#define SHA256_HEX_SIZE (2 * SHA256_BYTES + 1)

struct sha256 {
	void *ctx; /* EVP_MD_CTX *, NULL until the first begin */
};

void sha256_begin(struct sha256 *h);
void sha256_add(struct sha256 *h, const void *data, size_t len);
void sha256_end(struct sha256 *h, unsigned char out[SHA256_BYTES]);
void sha256_release(struct sha256 *h);

/* The hash of len bytes at once. */
void sha256(unsigned char out[SHA256_BYTES], const void *data, size_t len);

#endif
