/*
 * fc_sha256.c - SHA-256 after FIPS 180-4, section 6.2.
 *
 * Small rather than fast: the 64 rounds are one loop and the message
 * schedule is a 16-word ring (64 bytes of stack instead of 256). Words
 * are assembled from bytes with shifts, so the code is endian-neutral and
 * never reads a byte buffer through a uint32_t pointer.
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

/* Rotate right; n is always 1..31 here. */
static uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

/* Big-endian 32-bit word from 4 bytes, and back. */
static uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be32(uint8_t *p, uint32_t v)
{
    unsigned i;

    for (i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* Process the 64-byte block in h->block. */
static void compress(fc_sha256 *h)
{
    uint32_t w[16];
    uint32_t v[8];                  /* working variables a..h */
    unsigned t;

    for (t = 0; t < 8; t++)
        v[t] = h->state[t];
    for (t = 0; t < 64; t++) {
        uint32_t t1, t2;

        if (t < 16) {
            w[t] = load_be32(h->block + 4 * t);
        } else {
            /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], kept in
             * a ring of 16: W[t-16] is the slot being overwritten. */
            uint32_t w2 = w[(t - 2) & 15], w15 = w[(t - 15) & 15];

            w[t & 15] += (ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10)) +
                         w[(t - 7) & 15] +
                         (ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3));
        }
        t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
             ((v[4] & v[5]) ^ (~v[4] & v[6])) + k_k[t] + w[t & 15];
        t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
             ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        /* h=g g=f f=e e=d+T1 d=c c=b b=a a=T1+T2: shift, then fix two. */
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (t = 0; t < 8; t++)
        h->state[t] += v[t];
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
    while (len-- > 0) {
        h->block[h->used++] = *p++;
        if (h->used == 64) {
            compress(h);
            h->used = 0;
        }
    }
}

void fc_sha256_final(fc_sha256 *h, uint8_t digest[32])
{
    static const uint8_t pad[2] = {0x80, 0};
    uint8_t len[8];
    unsigned i;

    /* The bit length, big-endian, from 32-bit halves (no 64-bit shifts,
     * which would call libgcc helpers). Taken before padding counts. */
    store_be32(len, (uint32_t)(h->total >> 29));
    store_be32(len + 4, (uint32_t)h->total << 3);
    /* Padding: 0x80, zeros up to 56 mod 64, then the length. */
    fc_sha256_update(h, pad, 1);
    while (h->used != 56)
        fc_sha256_update(h, pad + 1, 1);
    fc_sha256_update(h, len, 8);
    for (i = 0; i < 8; i++)
        store_be32(digest + 4 * i, h->state[i]);
}

