/* SPDX-License-Identifier: MIT */
/*
 * proof_digits - Frama-C EVA harness for the decimal digit writers:
 * fc_u64_digits (core/src/util/fc_strings.c) and its users, the JSON
 * writer's fc_json_write_i64 / fc_json_write_member_i64
 * (core/src/json/fc_json_write.c) and
 * the head writer's fc_head_write_u64 / fc_head_write_query_u64
 * (core/src/engine/fc_head_writer.c), for EVERY uint64_t / int64_t (no
 * bound on the value) into a buffer of any capacity 0..PROOF_DIGITS_CAP
 * (more than the 20 digits and sign of the longest number, so both the
 * cut and the complete text are covered) and the JSON writer's measuring
 * mode. EVA reports no out-of-bounds access, no overflow, no
 * uninitialized read (README.md).
 *
 * fc_u64_digits returns where the digits start: one state per result keeps
 * the relation to their count, so its callers' reads are exact.
 * eva-options: -eva-split-return-function fc_u64_digits:full
 * eva-options: -eva-auto-loop-unroll 32 -eva-slevel-function fc_json_write_i64:2000
 */
#include <stdint.h>

#include "__fc_builtin.h"
#include "fc_engine.h" /* fc_head_write_*: the head writer (core/src/engine) */
#include "fluidcloud/fc_json.h"

#ifndef PROOF_DIGITS_CAP
#define PROOF_DIGITS_CAP 24
#endif

static void proof_json(int64_t v)
{
    char buf[PROOF_DIGITS_CAP];
    fc_json_writer w;
    int measure = Frama_C_interval(0, 1);
    size_t cap = Frama_C_size_t_interval(0, PROOF_DIGITS_CAP);
    /*@ split measure; */
    /*@ split cap; */
    if (measure) {
        fc_json_writer_init(&w, NULL, 0);
    } else {
        fc_json_writer_init(&w, buf, cap);
    }
    fc_json_write_object_begin(&w);
    fc_json_write_member_i64(&w, "n", v);
    fc_json_write_key(&w, "a");
    fc_json_write_array_begin(&w);
    fc_json_write_i64(&w, v);
    fc_json_write_array_end(&w);
    fc_json_write_object_end(&w);
    (void)fc_json_writer_finish(&w);
}

static void proof_head(uint64_t u)
{
    char buf[PROOF_DIGITS_CAP];
    fc_head_writer w;
    int first = Frama_C_interval(0, 1);
    size_t cap = Frama_C_size_t_interval(0, PROOF_DIGITS_CAP);
    /*@ split cap; */
    fc_head_writer_init(&w, buf, cap);
    fc_head_write_str(&w, "Content-Length: ");
    fc_head_write_u64(&w, u);
    fc_head_write_query_u64(&w, &first, "limit", u);
    (void)fc_head_writer_ok(&w);
}

int main(void)
{
    char digits[FC_U64_DIGITS_MAX];
    uint64_t u;
    int64_t v;
    size_t n;
    const char *d;

    Frama_C_make_unknown((char *)&u, sizeof u);
    Frama_C_make_unknown((char *)&v, sizeof v);
    d = fc_u64_digits(u, digits, &n);
    /* The count and the start agree: the digits are inside the buffer. */
    if (n > 0) {
        (void)d[0];
        (void)d[n - 1];
    }
    proof_json(v);
    proof_head(u);
    return 0;
}
