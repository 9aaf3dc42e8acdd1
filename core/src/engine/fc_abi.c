/* SPDX-License-Identifier: MIT */
/*
 * fc_abi.c - the ABI guard of fc_client_init() (see fluidcloud/fc_client.h):
 * the application's view of the shared layouts against the library's, one
 * word at a time. The words' names cost about half a kilobyte of flash, so
 * only a library built with FC_CONFIG_ANSWER_DETAIL has them (and writes
 * versions as "0.2.0"); without, the detail names a word by its index in
 * fc_abi (enum fc_abi_word), the version as FC_VERSION_NUMBER.
 */
#include "fc_engine.h"

#include <string.h>

#if FC_CONFIG_ANSWER_DETAIL
/* The words after the version, in enum fc_abi_word order. */
#define FC_ABI_NAME(name) "FC_CONFIG_" #name "\0"
static const char k_abi_names[] = FC_CONFIG_LIST(FC_ABI_NAME) "sizeof(fc_client)\0"
                                  "sizeof(fc_client_config)\0"
                                  "sizeof(fc_error_info)\0"
                                  "offsetof(fc_client, priv.error)";
#endif

/*
 * Write tmpl into detail (cap bytes, its NUL included; cut to fit), each
 * '#' replaced by the next of nums in decimal; returns the characters
 * written. One template and one loop cost less flash than a call per
 * piece of text.
 */
static size_t fc_abi_format(char *detail, size_t cap, const char *tmpl, const uint32_t *nums)
{
    char digits[FC_U64_DIGITS_MAX + 1];
    const char *s = "";
    size_t n = 0;
    digits[FC_U64_DIGITS_MAX] = '\0'; /* fc_u64_digits ends its digits there */
    while (n + 1u < cap && (*s != '\0' || *tmpl != '\0')) {
        if (*s == '\0' && *tmpl == '#') {
            size_t len;
            s = fc_u64_digits(*nums++, digits, &len);
            tmpl++;
        } else {
            detail[n++] = *s != '\0' ? *s++ : *tmpl++;
        }
    }
    if (cap > 0u) {
        detail[n] = '\0';
    }
    return n;
}

/* The first word in which app differs from the library (FC_ABI_WORDS when
 * none). The version comes first, so the words of headers of another
 * version, whose shape may differ, are never read. */
static unsigned fc_abi_first_difference(const fc_abi *app)
{
    const fc_abi *lib = fc_abi_here();
    unsigned i = 0;
    while (i < FC_ABI_WORDS && app->word[i] == lib->word[i]) {
        i++;
    }
    return i;
}

fc_err fc_abi_check(const fc_abi *app, char *detail, size_t cap)
{
    unsigned i = fc_abi_first_difference(app);
    const char *tmpl = "";
    uint32_t nums[6];
    if (detail == NULL || cap == 0u) {
        return i == FC_ABI_WORDS ? FC_OK : FC_ERR_ABI; /* no room for words */
    }
#if FC_CONFIG_ANSWER_DETAIL
    if (i == FC_ABI_VERSION) {
        uint32_t here = app->word[i], lib = fc_abi_here()->word[i];
        tmpl = "headers #.#.#, library #.#.#";
        nums[0] = here >> 16;
        nums[1] = (here >> 8) & 0xFFu;
        nums[2] = here & 0xFFu;
        nums[3] = lib >> 16;
        nums[4] = (lib >> 8) & 0xFFu;
        nums[5] = lib & 0xFFu;
    } else if (i < FC_ABI_WORDS) {
        size_t n = fc_abi_format(detail, cap, fc_str_at(k_abi_names, i - 1u), NULL);
        detail += n; /* the name, then the values */
        cap -= n;
        tmpl = ": # here, # in the library";
        nums[0] = app->word[i];
        nums[1] = fc_abi_here()->word[i];
    }
#else
    if (i < FC_ABI_WORDS) { /* word 0 too: the version as a number */
        tmpl = "fc_abi.word[#]: # here, # in the library";
        nums[0] = i;
        nums[1] = app->word[i];
        nums[2] = fc_abi_here()->word[i];
    }
#endif
    (void)fc_abi_format(detail, cap, tmpl, nums);
    return i == FC_ABI_WORDS ? FC_OK : FC_ERR_ABI;
}

void fc_init_refused(fc_error_info *ei, size_t size, fc_err err, const char *step, size_t needed)
{
    memset(ei, 0, size);
    ei->err = err;
    ei->needed = needed;
    (void)fc_copy_str(ei->step, sizeof ei->step, step);
}

/*
 * The views differ: the reason goes into the application's fc_error_info,
 * where its layout has it (its own compiler measured the place and size),
 * unless its headers are of another version, whose fields may lie
 * elsewhere. Ours and its agree on everything up to the detail, whose size
 * is its FC_CONFIG_DETAIL_MAX.
 */
fc_err fc_abi_guard(fc_client *c, const fc_abi *app)
{
    unsigned i = fc_abi_first_difference(app);
    unsigned char *ei;
    if (i == FC_ABI_WORDS) {
        return FC_OK;
    }
    if (i != FC_ABI_VERSION) {
        ei = (unsigned char *)c + app->word[FC_ABI_OFFSETOF_ERROR];
        fc_init_refused((fc_error_info *)(void *)ei, app->word[FC_ABI_SIZEOF_ERROR], FC_ERR_ABI,
                        "abi", fc_abi_here()->word[i]);
        (void)fc_abi_check(app, (char *)ei + offsetof(fc_error_info, detail),
                           app->word[FC_ABI_DETAIL_MAX]);
    }
    return FC_ERR_ABI;
}
