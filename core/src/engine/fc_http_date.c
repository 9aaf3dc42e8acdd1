/* SPDX-License-Identifier: MIT */
/*
 * fc_http_date.c - the HTTP-date of Retry-After and Date headers.
 *
 * Only the IMF-fixdate form that RFC 9110 requires senders to use is read,
 * "Sun, 06 Nov 1994 08:49:37 GMT"; the obsolete RFC 850 and asctime forms
 * count as no date. The result is seconds since the Unix epoch, which fit
 * 32 bits until 2106.
 */
#include "fc_engine.h"

#include <string.h>

static const char k_months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* n digits at s, or -1. */
static int fc_date_digits(const char *s, int n)
{
    int v = 0;
    int i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int fc_date_month(const char *s)
{
    int m;
    for (m = 0; m < 12; m++) {
        if (memcmp(s, k_months + 3 * m, 3) == 0) {
            return m + 1;
        }
    }
    return -1;
}

int fc_http_date_parse(const char *s, size_t len, uint32_t *epoch_s)
{
    /* "Www, DD Mon YYYY HH:MM:SS GMT": the fixed punctuation first. */
    static const char k_shape[] = "___, __ ___ ____ __:__:__ GMT";
    int day, month, year, hour, minute, second;
    int32_t days;
    size_t i;
    if (len != sizeof k_shape - 1) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (k_shape[i] != '_' && k_shape[i] != s[i]) {
            return 0;
        }
    }
    day = fc_date_digits(s + 5, 2);
    month = fc_date_month(s + 8);
    year = fc_date_digits(s + 12, 4);
    hour = fc_date_digits(s + 17, 2);
    minute = fc_date_digits(s + 20, 2);
    second = fc_date_digits(s + 23, 2);
    if (day < 1 || month < 0 || year < 1970 || year > 2105 || hour < 0 || hour > 23 ||
        minute < 0 || minute > 59 || second < 0 || second > 60) {
        return 0;
    }
    days = fc_days_from_civil(year, month, day);
    if (days >= fc_days_from_civil(year, month + 1, 1)) {
        return 0; /* 31 Apr and the like */
    }
    *epoch_s = (uint32_t)days * 86400u + (uint32_t)((hour * 60 + minute) * 60 + second);
    return 1;
}
