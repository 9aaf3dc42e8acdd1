/* SPDX-License-Identifier: MIT */
/*
 * fc_api_strings.c - the string pool of the api layer: every JSON key,
 * query name, path and enum text it sends or looks up, once, back to back
 * with a NUL after each, named by one-byte indices (FC_K_*). A pointer
 * table would cost 4 bytes a string on a 32-bit MCU; the texts themselves
 * come from fc_contract.h. The calls' names for errors are a pool of
 * their own.
 */
#include "fc_api_internal.h"

#define FC_API_KEY_TEXT(name, text) text "\0"
static const char k_strings[] = FC_API_STRINGS(FC_API_KEY_TEXT);
#undef FC_API_KEY_TEXT

const char *fc_api_string(unsigned k)
{
    return fc_str_at(k_strings, k);
}

/* The endpoints' call names, in FC_EP_* order: only the public calls use
 * them (the upload flow names its own steps), so an image without them
 * links none of this. */
#define FC_API_STEP_TEXT(name, step, method, flags, path, target, suffix, fields, obj) step "\0"
static const char k_steps[] = FC_API_ENDPOINTS(FC_API_STEP_TEXT);
#undef FC_API_STEP_TEXT

/* Every name fits fc_error_info.step with its NUL, or this fails to compile. */
#define FC_API_STEP_FITS(name, call, method, flags, path, target, suffix, fields, obj) \
    typedef char fc_step_fits_##name[sizeof(call) <= sizeof(((fc_error_info *)0)->step) ? 1 : -1];
FC_API_ENDPOINTS(FC_API_STEP_FITS)
#undef FC_API_STEP_FITS

const char *fc_api_step(unsigned ep)
{
    return fc_str_at(k_steps, ep);
}
