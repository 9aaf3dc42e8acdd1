/* SPDX-License-Identifier: MIT */
/*
 * fc_sha256_mbedtls.c - the fc_sha256.h API on mbedTLS's SHA-256.
 *
 * A TLS firmware links mbedTLS's SHA-256 anyway; using it saves the
 * builtin copy (FC_SHA256=mbedtls in CMake; ESP-IDF and Zephyr builds use
 * it whenever port/mbedtls is on). The fc_sha256 struct is the storage for
 * the mbedTLS context, which is plain data in software builds, so it can
 * be copied and saved like the builtin state.
 */
#include "fluidcloud/fc_sha256.h"

#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

/* Fails to compile when an mbedTLS build (e.g. a hardware-accelerated
 * MBEDTLS_SHA256_ALT) has a context larger than fc_sha256. */
typedef char
    fc_sha256_holds_mbedtls_context[sizeof(mbedtls_sha256_context) <= sizeof(fc_sha256) ? 1 : -1];

static mbedtls_sha256_context *fc_ctx(fc_sha256 *h)
{
    return (mbedtls_sha256_context *)(void *)h;
}

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define FC_SHA_STARTS mbedtls_sha256_starts
#define FC_SHA_UPDATE mbedtls_sha256_update
#define FC_SHA_FINISH mbedtls_sha256_finish
#else
#define FC_SHA_STARTS mbedtls_sha256_starts_ret
#define FC_SHA_UPDATE mbedtls_sha256_update_ret
#define FC_SHA_FINISH mbedtls_sha256_finish_ret
#endif

void fc_sha256_init(fc_sha256 *h)
{
    mbedtls_sha256_init(fc_ctx(h));
    (void)FC_SHA_STARTS(fc_ctx(h), 0); /* software SHA-256 cannot fail */
}

void fc_sha256_update(fc_sha256 *h, const void *data, size_t len)
{
    (void)FC_SHA_UPDATE(fc_ctx(h), (const unsigned char *)data, len);
}

void fc_sha256_final(fc_sha256 *h, uint8_t digest[32])
{
    (void)FC_SHA_FINISH(fc_ctx(h), digest);
    mbedtls_sha256_free(fc_ctx(h));
}
