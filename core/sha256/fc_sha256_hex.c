/* SPDX-License-Identifier: MIT */
/*
 * fc_sha256_hex.c - lowercase hex of a SHA-256 digest (fc_sha256.h).
 *
 * Built into libfluidcloud_sha256.a with either provider (builtin or
 * mbedTLS), in an object of its own so that a program linking the mbedTLS
 * provider's object beside the builtin archive takes only this from it.
 */
#include "fluidcloud/fc_sha256.h"

void fc_sha256_hex(const uint8_t digest[32], char hex[65])
{
    unsigned i;

    for (i = 0; i < 64; i++) {
        /* High nibble first. */
        unsigned d = (digest[i / 2] >> (i % 2 ? 0 : 4)) & 15u;

        hex[i] = (char)(d < 10 ? '0' + d : 'a' - 10 + d);
    }
    hex[64] = '\0';
}
