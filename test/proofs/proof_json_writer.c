/* SPDX-License-Identifier: MIT */
/*
 * proof_json_writer - Frama-C EVA harness for the JSON writer
 * (core/src/fc_json_write.c): a buffer of any capacity 0..PROOF_JW_CAP (and
 * the measuring mode, no buffer), a string of any bytes (invalid UTF-8 and
 * control bytes included) of any length 0..PROOF_JW_STR, written as a key
 * and as values (NUL-terminated and counted), inside an object and an
 * array, with booleans and null, then finished. No out-of-bounds access,
 * no overflow, no uninitialized read (README.md). fc_json_write_i64 is not
 * covered: see README.md.
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
    fc_json_writer w;
    size_t cap = Frama_C_size_t_interval(0, PROOF_JW_CAP);
    size_t n = Frama_C_size_t_interval(0, PROOF_JW_STR);
    int measure = Frama_C_interval(0, 1);
    Frama_C_make_unknown(s, sizeof s);
    /*@ split cap; */
    /*@ split n; */
    /*@ split measure; */
    s[n] = '\0';
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
    fc_json_write_string_n(&w, s, n);
    fc_json_write_bool(&w, Frama_C_interval(0, 1));
    fc_json_write_null(&w);
    fc_json_write_array_end(&w);
    fc_json_write_object_end(&w);
    return (int)fc_json_writer_finish(&w);
}
