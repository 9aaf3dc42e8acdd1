/* SPDX-License-Identifier: MIT */
/*
 * sha256_speed.c - hashes N bytes through fc_sha256.h, for instruction
 * counts (not wall time): run under callgrind with
 *   --toggle-collect='fc_sha256_*'
 * so only the hash is counted, and divide Ir by N.
 *
 *   sha256_speed BYTES [CHUNK]    CHUNK: bytes per update (default 4096,
 *                                 about what the upload path hands over)
 *
 * The input is a xorshift stream, filled outside the counted functions.
 * Prints the digest so the work cannot be optimised away and providers can
 * be compared.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fluidcloud/fc_sha256.h"

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

int main(int argc, char **argv)
{
    static uint8_t buf[1 << 16];
    unsigned long long total, done = 0;
    size_t chunk = 4096, i;
    uint32_t seed = 0x12345678u;
    uint8_t digest[32];
    fc_sha256 h;

    if (argc < 2) {
        fprintf(stderr, "usage: sha256_speed BYTES [CHUNK]\n");
        return 2;
    }
    total = strtoull(argv[1], NULL, 0);
    if (argc > 2) {
        chunk = (size_t)strtoul(argv[2], NULL, 0);
    }
    if (chunk == 0 || chunk > sizeof buf) {
        fprintf(stderr, "CHUNK must be 1..%zu\n", sizeof buf);
        return 2;
    }
    fc_sha256_init(&h);
    while (done < total) {
        size_t n = total - done < chunk ? (size_t)(total - done) : chunk;
        for (i = 0; i < n; i++) {
            buf[i] = (uint8_t)xorshift(&seed);
        }
        fc_sha256_update(&h, buf, n);
        done += n;
    }
    fc_sha256_final(&h, digest);
    for (i = 0; i < 32; i++) {
        printf("%02x", digest[i]);
    }
    printf("\n");
    return 0;
}
