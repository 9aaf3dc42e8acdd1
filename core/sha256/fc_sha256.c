/* SPDX-License-Identifier: MIT */
/*
 * fc_sha256.c - SHA-256 after FIPS 180-4, section 6.2.
 *
 * Hashing is most of the CPU an upload costs, so this is written for
 * instructions per byte within 1 KiB of flash (1,012 bytes on Cortex-M4 at
 * -Os; bench/README.md has the figures against mbedTLS's and how to
 * reproduce them):
 *  - update() compresses whole blocks straight from the caller's bytes;
 *    only a partial block is copied, with memcpy;
 *  - the whole message schedule (64 words, 256 bytes of stack) is built
 *    before the rounds, so a round reads its word with a fixed offset;
 *  - the working variables a..h stay in locals and the rounds are
 *    unrolled four at a time, the names rotating through the macro's
 *    arguments instead of the values moving; a..h are loaded only after
 *    the schedule is built so they do not compete for registers with it.
 * Unrolling eight rounds saves a little more time but does not fit 1 KiB.
 * Words are assembled from bytes with shifts, so the code is endian-neutral
 * and never reads a byte buffer through a uint32_t pointer (compilers turn
 * the shifts into one load and a byte swap where the target allows it).
 */
#include <string.h>

#include "fluidcloud/fc_sha256.h"

/* Round constants: first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes (FIPS 180-4, 4.2.2). */
static const uint32_t k_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu,
    0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u,
    0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u,
    0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u,
    0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u,
    0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u, 0x1e376c08u,
    0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu,
    0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u
};

/* The functions of FIPS 180-4, 4.1.2; n is always 1..31. */
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BIG_S0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BIG_S1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SMALL_S0(x) (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SMALL_S1(x) (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

/*
 * Round j of a group, with key k[j] and word w[j]. Instead of shifting
 * h=g, g=f, ... b=a, the next round is called with the names rotated one
 * place: only d and h get new values.
 */
#define ROUND(a, b, c, d, e, f, g, h, j)                               \
    do {                                                              \
        uint32_t t1_ = (h) + BIG_S1(e) + CH(e, f, g) + k[j] + w[j];   \
        (d) += t1_;                                                   \
        (h) = t1_ + BIG_S0(a) + MAJ(a, b, c);                         \
    } while (0)

/* Big-endian 32-bit word from 4 bytes, and back. */
static uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* n words to big-endian bytes (the length and the digest). */
static void store_be32(uint8_t *p, const uint32_t *v, unsigned n)
{
    for (; n > 0; n--, p += 4) {
        uint32_t x = *v++;

        p[0] = (uint8_t)(x >> 24);
        p[1] = (uint8_t)(x >> 16);
        p[2] = (uint8_t)(x >> 8);
        p[3] = (uint8_t)x;
    }
}

/* Swap two working variables (used to undo the rotation of names). */
#define SWAP(x, y)                                                     \
    do {                                                              \
        uint32_t s_ = (x);                                            \
        (x) = (y);                                                    \
        (y) = s_;                                                     \
    } while (0)

/* Compress one 64-byte block p into state. */
static void compress(uint32_t state[8], const uint8_t *p)
{
    uint32_t sched[64];
    uint32_t a, b, c, d, e, f, g, h;
    unsigned t;

    for (t = 0; t < 16; t++)
        sched[t] = load_be32(p + 4 * t);
    for (; t < 64; t++) {
        uint32_t w2 = sched[t - 2], w15 = sched[t - 15];

        sched[t] = SMALL_S1(w2) + sched[t - 7] + SMALL_S0(w15) + sched[t - 16];
    }
    /* The working variables are loaded only now: while the schedule is
     * built they would just occupy registers. */
    a = state[0];
    b = state[1];
    c = state[2];
    d = state[3];
    e = state[4];
    f = state[5];
    g = state[6];
    h = state[7];
    for (t = 0; t < 64; t += 4) {
        const uint32_t *k = k_k + t;
        const uint32_t *w = sched + t;

        ROUND(a, b, c, d, e, f, g, h, 0);
        ROUND(h, a, b, c, d, e, f, g, 1);
        ROUND(g, h, a, b, c, d, e, f, 2);
        ROUND(f, g, h, a, b, c, d, e, 3);
        /* The names have turned four places: e holds a, f holds b... */
        SWAP(a, e);
        SWAP(b, f);
        SWAP(c, g);
        SWAP(d, h);
    }
    {
        /* Added back in a loop (smaller than eight named adds). */
        const uint32_t out[8] = {a, b, c, d, e, f, g, h};

        for (t = 0; t < 8; t++)
            state[t] += out[t];
    }
}

void fc_sha256_init(fc_sha256 *h)
{
    /* Initial hash value (FIPS 180-4, 5.3.3). */
    static const uint32_t iv[8] = {
        0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u
    };

    memcpy(h->state, iv, sizeof iv);
    h->total = 0;
    h->used = 0;
}

void fc_sha256_update(fc_sha256 *h, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;

    h->total += len;
    while (len > 0) {
        size_t n = 64 - h->used;

        if (n == 64 && len >= 64) {
            compress(h->state, p); /* a whole block: no copy */
        } else {
            if (n > len)
                n = len;
            memcpy(h->block + h->used, p, n);
            h->used += (uint32_t)n;
            if (h->used < 64)
                return;
            compress(h->state, h->block);
            h->used = 0;
        }
        p += n;
        len -= n;
    }
}

void fc_sha256_final(fc_sha256 *h, uint8_t digest[32])
{
    static const uint8_t bytes[2] = {0x80, 0};
    const uint8_t *pad = bytes, *zero = bytes + 1;
    /* The bit length as two 32-bit halves (shifts by a constant: no
     * libgcc helper on 32-bit targets), taken before padding counts. */
    uint32_t bits[2];
    uint8_t len[8];

    bits[0] = (uint32_t)(h->total >> 29);
    bits[1] = (uint32_t)h->total << 3;
    store_be32(len, bits, 2);
    /* Padding: 0x80, zeros up to 56 mod 64, then the length. Byte-wise
     * updates: at most 64 once per message, and less code. */
    do {
        fc_sha256_update(h, pad, 1);
        pad = zero;
    } while (h->used != 56);
    fc_sha256_update(h, len, 8);
    store_be32(digest, h->state, 8);
}
