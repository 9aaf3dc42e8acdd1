/* SPDX-License-Identifier: MIT */
/* fc_strings.c - small string and number helpers core/ needs without a
 * full libc. */
#include "fc_util.h"

#include <string.h>

/* Each step is a long division of v by 10 in 32/16/16-bit pieces; every
 * partial fits 32 bits. */
const char *fc_u64_digits(uint64_t v, char buf[FC_U64_DIGITS_MAX], size_t *len)
{
    size_t n = FC_U64_DIGITS_MAX;
    do {
        uint32_t hi = (uint32_t)(v >> 32);
        uint32_t mid = ((hi % 10u) << 16) | ((uint32_t)v >> 16);
        uint32_t low = ((mid % 10u) << 16) | ((uint32_t)v & 0xFFFFu);
        v = ((uint64_t)(hi / 10u) << 32) | ((mid / 10u) << 16) | (low / 10u);
        buf[--n] = (char)('0' + low % 10u);
    } while (v != 0u);
    *len = FC_U64_DIGITS_MAX - n;
    return buf + n;
}

size_t fc_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0') {
        n++;
    }
    return n;
}

fc_err fc_copy_str(char *dst, size_t cap, const char *src)
{
    size_t n;
    if (cap == 0) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    n = fc_strnlen(src, cap);
    if (n >= cap) {
        dst[0] = '\0';
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(dst, src, n + 1);
    return FC_OK;
}

int fc_has_line_break(const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\r' || *s == '\n') {
            return 1;
        }
    }
    return 0;
}

int fc_ascii_ieq(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        /* Equal, or a letter in both cases: they differ in bit 5 only. */
        unsigned x = (unsigned char)(a[i] ^ b[i]);
        if (x != 0 && (x != 0x20 || (unsigned)((a[i] | 0x20) - 'a') >= 26u)) {
            return 0;
        }
    }
    return 1;
}

const char *fc_str_at(const char *pool, unsigned k)
{
    while (k-- > 0u) {
        pool += strlen(pool) + 1u;
    }
    return pool;
}
