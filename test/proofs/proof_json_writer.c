/* SPDX-License-Identifier: MIT */
/*
 * proof_json_writer - Frama-C EVA harness for the JSON writer
 * (core/src/json/fc_json_write.c), for every input up to the bound:
 *   - a buffer of any capacity 0..PROOF_JW_CAP, and the measuring mode
 *     (no buffer);
 *   - every C string of length 0..PROOF_JW_STR (each byte any non-NUL
 *     value: invalid UTF-8 and control bytes included), written as a key,
 *     as a value and as a member;
 *   - every counted string of length 0..PROOF_JW_STR with any byte values
 *     (NUL included), written with fc_json_write_string_n;
 * inside an object and an array, with booleans and null, then finished.
 * EVA reports no out-of-bounds access, no overflow, no uninitialized read
 * (README.md). Numbers (fc_json_write_i64, every int64_t): proof_digits.c.
 *
 * utf8_len's result is the length of the sequence jw_quoted then copies:
 * one state per result keeps the relation to the bytes left.
 * eva-options: -eva-split-return-function utf8_len:full
 * eva-options: -eva-slevel-function jw_quoted:5000,utf8_len:5000
 */
#include "__fc_builtin.h"
#include "fluidcloud/fc_json.h"

#ifndef PROOF_JW_CAP
#define PROOF_JW_CAP 16
#endif
#ifndef PROOF_JW_STR
#define PROOF_JW_STR 4
#endif

int main(void)
{
    char buf[PROOF_JW_CAP];
    char s[PROOF_JW_STR + 1];
    unsigned char *su = (unsigned char *)s;
    char raw[PROOF_JW_STR];
    fc_json_writer w;
    size_t cap = Frama_C_size_t_interval(0, PROOF_JW_CAP);
    size_t n = Frama_C_size_t_interval(0, PROOF_JW_STR);
    size_t m = Frama_C_size_t_interval(0, PROOF_JW_STR);
    size_t i;
    int measure = Frama_C_interval(0, 1);
    int shape;

    /* The C string: one analysis state per length n, and per length one
     * per choice of each byte in 1..127 or 128..255, so strlen(s) is
     * exactly n in every state (an interval cannot leave out 0 alone). */
    /*@ split n; */
    shape = Frama_C_interval(0, (1 << n) - 1);
    /*@ split shape; */
    /*@ loop unroll PROOF_JW_STR + 1; */
    for (i = 0; i < n; i++) {
        su[i] = (shape >> i) & 1 ? Frama_C_unsigned_char_interval(128, 255)
                                 : Frama_C_unsigned_char_interval(1, 127);
    }
    s[n] = '\0';
    /* The counted string: any bytes, one state per length m. */
    Frama_C_make_unknown(raw, sizeof raw);
    /*@ split m; */
    /*@ split measure; */
    if (measure) {
        fc_json_writer_init(&w, NULL, 0);
    } else {
        fc_json_writer_init(&w, buf, cap);
    }
    fc_json_write_object_begin(&w);
    fc_json_write_key(&w, s);
    fc_json_write_string(&w, s);
    fc_json_write_member_str(&w, "k", s);
    fc_json_write_key(&w, "a");
    fc_json_write_array_begin(&w);
    fc_json_write_string_n(&w, raw, m);
    fc_json_write_bool(&w, Frama_C_interval(0, 1));
    fc_json_write_null(&w);
    fc_json_write_array_end(&w);
    fc_json_write_object_end(&w);
    return (int)fc_json_writer_finish(&w);
}
