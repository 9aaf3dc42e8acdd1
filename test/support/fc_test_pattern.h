/* SPDX-License-Identifier: MIT */
/*
 * fc_test_pattern.h - a reproducible upload source for tests: byte i is a
 * function of (seed, i), so the bytes never sit in memory whole, the source
 * can seek, and a test can recompute what storage must hold. No cmocka, so
 * the standalone lwIP test uses it too.
 */
#ifndef FC_TEST_PATTERN_H
#define FC_TEST_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"

typedef struct fc_pattern {
    uint32_t seed;
    uint64_t size;
    uint64_t pos;
    size_t piece; /* most bytes per read, like a camera's DMA chunk */
    int eicar;    /* start with the EICAR test string */
    unsigned reads;
} fc_pattern;

uint8_t fc_pattern_byte(const fc_pattern *p, uint64_t i);
/* An fc_source over the pattern (read and seek). */
fc_source fc_pattern_source(fc_pattern *p);
/* SHA-256 (hex) of the whole pattern. */
void fc_pattern_sha(const fc_pattern *p, char hex[65]);

#endif
