/* SPDX-License-Identifier: MIT */
/* fz_source.c - see fz_source.h. */
#include "fz_source.h"

#include <string.h>

#include "fluidcloud/fc_sha256.h"
#include "fz_net.h"

uint8_t fz_source_byte(const fz_source *s, uint64_t at)
{
    return (uint8_t)((at * 131u + s->seed) ^ (at >> 8));
}

static fc_err fz_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fz_source *s = ctx;
    size_t n = 0;
    s->reads++;
    if (s->max_read != 0 && cap > s->max_read) {
        cap = s->max_read;
    }
    while (n < cap && s->pos < s->size) {
        buf[n++] = fz_source_byte(s, s->pos++);
    }
    *got = n;
    return FC_OK;
}

static fc_err fz_rewind(void *ctx, uint64_t offset)
{
    fz_source *s = ctx;
    if (offset > s->size) {
        fz_fail("source-rewind", "rewind to %llu of a %llu-byte source", (unsigned long long)offset,
                (unsigned long long)s->size);
        return FC_ERR_SOURCE;
    }
    s->pos = offset;
    return FC_OK;
}

fc_source fz_source_make(fz_source *s, int rewindable)
{
    fc_source src;
    src.read = fz_read;
    src.seek = rewindable ? fz_rewind : NULL;
    src.ctx = s;
    return src;
}

static void fz_hash_range(const fz_source *s, uint64_t at, uint64_t end, uint8_t digest[32])
{
    fc_sha256 h;
    uint8_t chunk[256];
    fc_sha256_init(&h);
    while (at < end) {
        size_t n = 0;
        while (n < sizeof chunk && at < end) {
            chunk[n++] = fz_source_byte(s, at++);
        }
        fc_sha256_update(&h, chunk, n);
    }
    fc_sha256_final(&h, digest);
}

int fz_source_slice_is(const fz_source *s, uint64_t at, uint64_t len, const fc_sha256 *hash)
{
    uint8_t want[32];
    uint8_t got[32];
    fc_sha256 h = *hash;
    if (at + len > s->size) {
        return 0;
    }
    fz_hash_range(s, at, at + len, want);
    fc_sha256_final(&h, got);
    return memcmp(want, got, sizeof want) == 0;
}

void fz_source_sha256_hex(const fz_source *s, char hex[65])
{
    uint8_t digest[32];
    fz_hash_range(s, 0, s->size, digest);
    fc_sha256_hex(digest, hex);
}
