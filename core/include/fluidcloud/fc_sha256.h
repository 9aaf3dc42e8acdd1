/*
 * fc_sha256.h - SHA-256 (FIPS 180-4), incremental, no allocation.
 *
 * The upload flow hashes the body while it streams, so core does not need
 * mbedTLS for it (a firmware without TLS still uploads over plain HTTP).
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
    uint64_t total;         /* bytes hashed so far */
    uint8_t block[64];
    uint32_t used;          /* bytes in block */
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
