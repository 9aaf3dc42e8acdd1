/* SPDX-License-Identifier: MIT */
/*
 * fc_api_strings.c - the string pool of the api layer: every JSON key,
 * query name, path and enum text it sends or looks up, once, back to back
 * with a NUL after each, named by one-byte indices (FC_K_*). A pointer
 * table would cost 4 bytes a string on a 32-bit MCU; the texts themselves
 * come from fc_contract.h.
 */
#include "fc_api_internal.h"

#define FC_API_KEY_TEXT(name, text) text "\0"
static const char k_strings[] = FC_API_STRINGS(FC_API_KEY_TEXT);
#undef FC_API_KEY_TEXT

const char *fc_api_string(unsigned k)
{
    return fc_str_at(k_strings, k);
}
