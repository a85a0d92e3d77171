#include "core/sha256.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "core/banned.h"

/* As xmalloc (core/buf.h): a worker with no memory cannot answer anyway. */
static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "biaogan: sha256: %s failed (out of memory)\n", what);
	abort();
}

/* Fetched once per process: an implicit fetch on every init costs more
 * than hashing a token. */
static const EVP_MD *md(void)
{
	static EVP_MD *fetched;
	if (!fetched && !(fetched = EVP_MD_fetch(NULL, "SHA256", NULL)))
		fail("EVP_MD_fetch");
	return fetched;
}

void sha256_begin(struct sha256 *h)
{
	if (!h->ctx && !(h->ctx = EVP_MD_CTX_new()))
		fail("EVP_MD_CTX_new");
	if (!EVP_DigestInit_ex2(h->ctx, md(), NULL))
		fail("EVP_DigestInit_ex2");
}

void sha256_add(struct sha256 *h, const void *data, size_t len)
{
	if (len && !EVP_DigestUpdate(h->ctx, data, len))
		fail("EVP_DigestUpdate");
}

void sha256_end(struct sha256 *h, unsigned char out[SHA256_BYTES])
{
	unsigned n = 0;
	if (!EVP_DigestFinal_ex(h->ctx, out, &n) || n != SHA256_BYTES)
		fail("EVP_DigestFinal_ex");
}

void sha256_release(struct sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

void sha256(unsigned char out[SHA256_BYTES], const void *data, size_t len)
{
	unsigned n = 0;
	if (!EVP_Digest(data, len, out, &n, md(), NULL) || n != SHA256_BYTES)
		fail("EVP_Digest");
}
