/* SPDX-License-Identifier: MIT */
/* frame_source.c - see frame_source.h. */
#include "frame_source.h"

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

void frame_source_init(frame_source *f, uint32_t frame, uint64_t min_size, uint64_t max_size,
                       size_t max_piece)
{
    f->frame = frame;
    f->size = min_size + mix(frame + 1u) % (max_size - min_size + 1u);
    f->pos = 0;
    f->max_piece = max_piece;
}

/* SOI + APP0 marker at the start and EOI at the end, like a real JPEG;
 * a scan pattern in between. */
uint8_t frame_byte(const frame_source *f, uint64_t i)
{
    static const uint8_t head[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0};
    if (i < sizeof head) {
        return head[i];
    }
    if (i == f->size - 2u) {
        return 0xFF;
    }
    if (i == f->size - 1u) {
        return 0xD9;
    }
    return (uint8_t)(mix((uint32_t)(i >> 2) ^ (f->frame * 0x9E3779B9u)) >> (8u * (i & 3u)));
}

static fc_err frame_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    frame_source *f = ctx;
    size_t n = cap < f->max_piece ? cap : f->max_piece;
    size_t k;
    if (n > f->size - f->pos) {
        n = (size_t)(f->size - f->pos);
    }
    for (k = 0; k < n; k++) {
        buf[k] = frame_byte(f, f->pos + k);
    }
    f->pos += n;
    *got = n;
    return FC_OK;
}

static fc_err frame_seek(void *ctx, uint64_t offset)
{
    frame_source *f = ctx;
    if (offset > f->size) {
        return FC_ERR_SOURCE;
    }
    f->pos = offset;
    return FC_OK;
}

fc_source frame_source_reader(frame_source *f)
{
    fc_source s;
    s.read = frame_read;
    s.seek = frame_seek;
    s.ctx = f;
    return s;
}
