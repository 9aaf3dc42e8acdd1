/* SPDX-License-Identifier: MIT */
/*
 * test_sha256_random.c - the builtin SHA-256 (core/sha256/fc_sha256.c,
 * compiled into this test whatever FC_SHA256 picks for the library)
 * against mbedTLS's one-shot mbedtls_sha256 on pseudo-random messages:
 * lengths from 0 to 3 MiB, cut into random update sizes (0 included),
 * starting at every alignment. Reproducible: the seed is fixed and printed
 * with any mismatch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "fluidcloud/fc_sha256.h"

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define REFERENCE_SHA256 mbedtls_sha256
#else
#define REFERENCE_SHA256 mbedtls_sha256_ret
#endif

#define MAX_LEN (3u << 20)

static uint8_t g_data[MAX_LEN + 8];

static uint32_t next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Hash data[0..len) with the builtin provider in random pieces. */
static void builtin_in_pieces(const uint8_t *data, size_t len, uint32_t *rng, uint8_t out[32])
{
    static const size_t max_piece[] = {1, 3, 63, 64, 65, 200, 4096, 100000};
    size_t cap = max_piece[next(rng) % (sizeof max_piece / sizeof max_piece[0])];
    size_t off = 0;
    fc_sha256 h;

    fc_sha256_init(&h);
    while (off < len) {
        size_t n = next(rng) % (cap + 1); /* 0-byte updates too */
        if (n > len - off) {
            n = len - off;
        }
        fc_sha256_update(&h, data + off, n);
        off += n;
    }
    fc_sha256_final(&h, out);
}

static void check(size_t len, uint32_t *rng, unsigned round)
{
    size_t align = next(rng) % 8;
    uint8_t want[32], got[32];

    assert_int_equal(REFERENCE_SHA256(g_data + align, len, want, 0), 0);
    builtin_in_pieces(g_data + align, len, rng, got);
    if (memcmp(want, got, 32) != 0) {
        fail_msg("message %u: %zu bytes at offset %zu differ from mbedTLS", round, len, align);
    }
}

static void test_sha256_matches_mbedtls(void **state)
{
    uint32_t rng = 0x5eed1234u;
    size_t i, len;
    unsigned round;
    (void)state;

    for (i = 0; i < sizeof g_data; i++) {
        g_data[i] = (uint8_t)next(&rng);
    }
    /* Every length around the block and padding edges... */
    for (len = 0; len <= 300; len++) {
        check(len, &rng, (unsigned)len);
    }
    /* ...then random lengths, mostly short, some long. */
    for (round = 0; round < 300; round++) {
        uint32_t r = next(&rng);
        len = (round % 50 == 49) ? r % (MAX_LEN + 1) : r % 20000;
        check(len, &rng, round);
    }
    check(MAX_LEN, &rng, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_matches_mbedtls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
