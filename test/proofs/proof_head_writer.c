/* SPDX-License-Identifier: MIT */
/*
 * proof_head_writer - Frama-C EVA harness for the request-head writer
 * (core/src/fc_head_writer.c): a buffer of any capacity 0..PROOF_HW_CAP,
 * a string of any bytes and any length 0..PROOF_HW_STR; the writer calls
 * in the order a request head uses them. No out-of-bounds access, no
 * overflow, no uninitialized read (README.md). Numbers (fc_head_write_u64,
 * fc_head_write_query_u64, every uint64_t): proof_digits.c.
 */
#include "__fc_builtin.h"
#include "fc_engine.h" /* fc_head_write_*: the head writer (core/src/engine) */

#ifndef PROOF_HW_CAP
#define PROOF_HW_CAP 16
#endif
#ifndef PROOF_HW_STR
#define PROOF_HW_STR 4
#endif

int main(void)
{
    char buf[PROOF_HW_CAP];
    char s[PROOF_HW_STR + 1];
    fc_head_writer w;
    int first = 1;
    size_t cap = Frama_C_size_t_interval(0, PROOF_HW_CAP);
    size_t n = Frama_C_size_t_interval(0, PROOF_HW_STR);
    Frama_C_make_unknown(s, sizeof s);
    /*@ split cap; */
    /*@ split n; */
    s[n] = '\0'; /* after the split: a NUL at a known index in each state */
    fc_head_writer_init(&w, buf, cap);
    fc_head_write_str(&w, "GET ");
    fc_head_write_mem(&w, s, n);
    fc_head_write_urlenc(&w, s);
    fc_head_write_query(&w, &first, "space_id", s);
    fc_head_write_query(&w, &first, "cursor", s);
    fc_head_write_str(&w, "\r\n");
    return fc_head_writer_ok(&w);
}
