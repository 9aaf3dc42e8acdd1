/* SPDX-License-Identifier: MIT */
/* fz_source.h - an upload source of a reproducible pattern, and its hash. */
#ifndef FZ_SOURCE_H
#define FZ_SOURCE_H

#include <stdint.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_sha256.h"

typedef struct fz_source {
    uint64_t size;
    uint64_t pos;
    uint32_t seed;
    size_t max_read; /* bytes per read at most (0 = any) */
    unsigned reads;
} fz_source;

uint8_t fz_source_byte(const fz_source *s, uint64_t at);
/* The fc_source over s; rewindable or not. */
fc_source fz_source_make(fz_source *s, int rewindable);
/* 1 when hash (a state over len bytes, not finalized) is the hash of the
 * source's bytes [at, at + len). */
int fz_source_slice_is(const fz_source *s, uint64_t at, uint64_t len, const fc_sha256 *hash);
/* SHA-256 of the whole pattern, as lowercase hex. */
void fz_source_sha256_hex(const fz_source *s, char hex[65]);

#endif
