/* SPDX-License-Identifier: MIT */
/*
 * fc_sha256.h - SHA-256 (FIPS 180-4), incremental, no allocation.
 *
 * The upload flow hashes the body while it streams. Two providers
 * implement this header, chosen with the CMake option FC_SHA256:
 *   builtin  core/sha256/fc_sha256.c (libfluidcloud_sha256.a, ~1.0 kB), for
 *            firmware without mbedTLS (plain HTTP); the default when the
 *            mbedTLS port is not built;
 *   mbedtls  port/mbedtls/sha256/fc_sha256_mbedtls.c, mbedTLS's SHA-256,
 *            which a TLS firmware carries anyway: no second copy in flash,
 *            and hardware-accelerated where mbedTLS is. The default when
 *            the mbedTLS port is built.
 * The builtin one costs fewer instructions per byte than mbedTLS 2.28's
 * software SHA-256 (bench/README.md).
 * The state is plain data either way, so fc_upload_progress can be saved
 * and restored by the same firmware.
 */
#ifndef FLUIDCLOUD_FC_SHA256_H
#define FLUIDCLOUD_FC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_sha256 {
    uint32_t state[8];
    uint64_t total; /* bytes hashed so far */
    uint8_t block[64];
    uint32_t used; /* bytes in block */
    /* Room for an mbedtls_sha256_context (108 bytes in 2.28 and 3.x) when
     * mbedTLS provides SHA-256; the builtin provider uses the fields. */
    uint32_t spare[2];
} fc_sha256;

void fc_sha256_init(fc_sha256 *h);
void fc_sha256_update(fc_sha256 *h, const void *data, size_t len);
void fc_sha256_final(fc_sha256 *h, uint8_t digest[32]);
/* Lowercase hex of a digest, NUL-terminated (65 bytes). */
void fc_sha256_hex(const uint8_t digest[32], char hex[65]);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_SHA256_H */
