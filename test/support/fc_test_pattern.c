/* SPDX-License-Identifier: MIT */
/* fc_test_pattern.c - see fc_test_pattern.h. */
#include "fc_test_pattern.h"

#include "fluidcloud/fc_sha256.h"

static const char k_eicar[] =
    "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

uint8_t fc_pattern_byte(const fc_pattern *p, uint64_t i)
{
    uint32_t x;
    if (p->eicar && i < sizeof k_eicar - 1) {
        return (uint8_t)k_eicar[i];
    }
    x = (uint32_t)(i / 4u) * 2654435761u ^ p->seed;
    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    x ^= x >> 12;
    return (uint8_t)(x >> (8u * (unsigned)(i % 4u)));
}

static fc_err pattern_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fc_pattern *p = (fc_pattern *)ctx;
    size_t n = cap < p->piece ? cap : p->piece;
    size_t k;
    if (n > p->size - p->pos) {
        n = (size_t)(p->size - p->pos);
    }
    for (k = 0; k < n; k++) {
        buf[k] = fc_pattern_byte(p, p->pos + k);
    }
    p->pos += n;
    p->reads++;
    *got = n;
    return FC_OK;
}

static fc_err pattern_seek(void *ctx, uint64_t offset)
{
    fc_pattern *p = (fc_pattern *)ctx;
    if (offset > p->size) {
        return FC_ERR_SOURCE;
    }
    p->pos = offset;
    return FC_OK;
}

fc_source fc_pattern_source(fc_pattern *p)
{
    fc_source s;
    s.read = pattern_read;
    s.seek = pattern_seek;
    s.ctx = p;
    return s;
}

void fc_pattern_sha(const fc_pattern *p, char hex[65])
{
    fc_sha256 h;
    uint8_t chunk[4096];
    uint8_t digest[32];
    uint64_t i = 0;
    fc_sha256_init(&h);
    while (i < p->size) {
        size_t n = p->size - i < sizeof chunk ? (size_t)(p->size - i) : sizeof chunk;
        size_t k;
        for (k = 0; k < n; k++) {
            chunk[k] = fc_pattern_byte(p, i + k);
        }
        fc_sha256_update(&h, chunk, n);
        i += n;
    }
    fc_sha256_final(&h, digest);
    fc_sha256_hex(digest, hex);
}
