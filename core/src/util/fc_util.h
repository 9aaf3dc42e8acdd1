/* SPDX-License-Identifier: MIT */
/*
 * fc_util.h - the bottom layer of core/src: string helpers, decimal digits
 * and wrap-safe time, used by every layer above. Not public.
 *
 * The layers, lowest first (each sees only the ones below it; CMake gives
 * each layer the include directories of itself and those below):
 *   util -> json -> engine -> api -> transfer
 * util also implements the public fc_error.h (texts, status mapping) and
 * fc_url.h (URL parsing), which need nothing else.
 */
#ifndef FLUIDCLOUD_FC_UTIL_H
#define FLUIDCLOUD_FC_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_error.h"

/* ---- wrap-safe time ----------------------------------------------------- */

/* 1 once the millisecond clock `now` reached `deadline`, across the 32-bit
 * wrap (the two may be up to 2^31 ms, 24 days, apart). */
static inline int fc_time_reached(uint32_t now, uint32_t deadline)
{
    return (int32_t)(now - deadline) >= 0;
}

/* ---- calendar -------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (year 0..9999, month 1..13: 13 is January
 * of the next year) in the proleptic Gregorian calendar. */
int32_t fc_days_from_civil(int y, int m, int d);

/* ---- decimal digits ------------------------------------------------------- */

/* Digits of the largest uint64_t (18446744073709551615). */
#define FC_U64_DIGITS_MAX 20

/* The decimal digits of v, written to the end of buf (no NUL): returns
 * where they start; *len gets their count. Uses 32-bit divisions only, so
 * no 64-bit division helper (__aeabi_uldivmod) is linked on a Cortex-M. */
const char *fc_u64_digits(uint64_t v, char buf[FC_U64_DIGITS_MAX], size_t *len);

/* ---- strings -------------------------------------------------------------- */

size_t fc_strnlen(const char *s, size_t max);
/* Copy a NUL-terminated string into a fixed buffer; FC_ERR_BUFFER_TOO_SMALL
 * (and nothing copied but "") when it does not fit. */
fc_err fc_copy_str(char *dst, size_t cap, const char *src);
/* 1 when s holds a CR or LF: a header value with one would smuggle
 * headers. (Ours, not strpbrk: Zephyr's minimal libc has no strpbrk.) */
int fc_has_line_break(const char *s);
/* a[0..n) equals b[0..n) ignoring ASCII case. */
int fc_ascii_ieq(const char *a, const char *b, size_t n);
/* The k-th string (from 0) of strings stored back to back, each ending
 * in a NUL: the string pools and the kept ticket. */
const char *fc_str_at(const char *pool, unsigned k);

#endif /* FLUIDCLOUD_FC_UTIL_H */
