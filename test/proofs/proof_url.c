/* SPDX-License-Identifier: MIT */
/*
 * proof_url - Frama-C EVA harness for fc_url_parse (core/src/fc_url.c):
 * for every input of every length 0..PROOF_URL_LEN with any byte values,
 * no out-of-bounds access, no arithmetic overflow, no uninitialized read,
 * no invalid pointer (README.md).
 */
#include "__fc_builtin.h"
#include "fluidcloud/fc_url.h"

#ifndef PROOF_URL_LEN
#define PROOF_URL_LEN 40
#endif

int main(void)
{
    char url[PROOF_URL_LEN];
    fc_url u;
    size_t len = Frama_C_size_t_interval(0, PROOF_URL_LEN);
    Frama_C_make_unknown(url, PROOF_URL_LEN);
    /*@ split len; */
    (void)fc_url_parse(&u, url, len);
    return 0;
}
