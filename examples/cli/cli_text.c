/* SPDX-License-Identifier: MIT */
/*
 * cli_text.c - pure text helpers of the fluidcloud tool: human sizes and
 * durations, masking of secrets, edit distance for "did you mean", and safe
 * local file names. No I/O here, so test/cli/test_cli_text.c checks them
 * one by one.
 */
#include "cli.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

const char *cli_size_text(uint64_t n, int exact, char *buf, size_t cap)
{
    static const char *const k_units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    uint64_t whole = n;
    uint64_t rest = 0;
    unsigned u = 0;
    if (exact || n < 1024u) {
        snprintf(buf, cap, exact ? "%" PRIu64 : "%" PRIu64 " B", n);
        return buf;
    }
    /* One decimal, rounded: tenths of the unit, computed in integers. */
    while (whole >= 1024u * 1024u && u < 4u) {
        whole /= 1024u;
        u++;
    }
    rest = (whole * 10u + 512u) / 1024u; /* tenths of the next unit */
    if (rest >= 10240u && u < 4u) {      /* 1023.96 KiB rounds to 1.0 MiB */
        rest = 10u;
        u++;
    }
    snprintf(buf, cap, "%" PRIu64 ".%" PRIu64 " %s", rest / 10u, rest % 10u, k_units[u]);
    return buf;
}

const char *cli_duration_text(uint64_t s, char *buf, size_t cap)
{
    if (s >= 3600u) {
        snprintf(buf, cap, "%" PRIu64 ":%02u:%02u", s / 3600u, (unsigned)(s / 60u % 60u),
                 (unsigned)(s % 60u));
    } else {
        snprintf(buf, cap, "%u:%02u", (unsigned)(s / 60u), (unsigned)(s % 60u));
    }
    return buf;
}

/* Append n bytes of s to the bounded output (always NUL-terminated). */
static void put(char *buf, size_t cap, size_t *at, const char *s, size_t n)
{
    if (*at + 1 >= cap) {
        return;
    }
    if (n > cap - 1 - *at) {
        n = cap - 1 - *at;
    }
    memcpy(buf + *at, s, n);
    *at += n;
    buf[*at] = '\0';
}

static int starts_url(const char *p)
{
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

/* A URL ends at white space or a quote. */
static size_t url_len(const char *p)
{
    return strcspn(p, " \t\r\n\"'<>");
}

const char *cli_mask(const char *text, const char *key, char *buf, size_t cap)
{
    size_t at = 0;
    size_t klen = key != NULL ? strlen(key) : 0;
    const char *url_end = NULL; /* inside a URL until here */
    if (cap == 0) {
        return buf;
    }
    buf[0] = '\0';
    while (*text != '\0') {
        if (url_end != NULL && text >= url_end) {
            url_end = NULL;
        }
        if (url_end == NULL && starts_url(text)) {
            url_end = text + url_len(text);
        }
        if (klen >= 8 && strncmp(text, key, klen) == 0) {
            char masked[32];
            cli_mask_key(key, masked, sizeof masked);
            put(buf, cap, &at, masked, strlen(masked));
            text += klen;
        } else if (url_end != NULL && *text == '?') {
            /* A presigned URL is a capability: keep where it points, drop
             * the query that grants access. */
            put(buf, cap, &at, "?<redacted>", 11);
            text = url_end;
        } else {
            put(buf, cap, &at, text, 1);
            text++;
        }
    }
    return buf;
}

const char *cli_mask_key(const char *key, char *buf, size_t cap)
{
    size_t n = strlen(key);
    const char *tail = n > 4 ? key + n - 4 : "";
    /* Keep the prefix that says which kind of key it is (fck_live_). */
    size_t prefix = strncmp(key, "fck_", 4) == 0 ? strcspn(key + 4, "_") + 5 : 0;
    if (n < 16 || prefix > n - 8) {
        snprintf(buf, cap, "<hidden>");
    } else {
        snprintf(buf, cap, "%.*s...%s", (int)prefix, key, tail);
    }
    return buf;
}

unsigned cli_edit_distance(const char *a, const char *b)
{
    /* Optimal string alignment distance over the first 31 bytes. */
    unsigned d[32][32];
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t i;
    size_t j;
    if (la > 31) {
        la = 31;
    }
    if (lb > 31) {
        lb = 31;
    }
    for (i = 0; i <= la; i++) {
        d[i][0] = (unsigned)i;
    }
    for (j = 0; j <= lb; j++) {
        d[0][j] = (unsigned)j;
    }
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) {
                best = d[i][j - 1] + 1;
            }
            if (d[i - 1][j - 1] + cost < best) {
                best = d[i - 1][j - 1] + cost;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best) {
                best = d[i - 2][j - 2] + 1;
            }
            d[i][j] = best;
        }
    }
    return d[la][lb] > 9 ? 9 : d[la][lb];
}

int cli_is_url(const char *s)
{
    return starts_url(s);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    ch = tolower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

const char *cli_safe_name(const char *name, char *buf, size_t cap)
{
    size_t at = 0;
    const char *slash = strrchr(name, '/');
    const char *bslash;
    if (slash != NULL) {
        name = slash + 1;
    }
    bslash = strrchr(name, '\\');
    if (bslash != NULL) {
        name = bslash + 1;
    }
    while (*name == '.' || *name == ' ') {
        name++; /* no hidden files, no "..", no leading blanks */
    }
    buf[0] = '\0';
    for (; *name != '\0' && at + 1 < cap; name++) {
        unsigned char ch = (unsigned char)*name;
        buf[at++] = (char)(ch < 0x20 || ch == 0x7f ? '_' : ch);
    }
    buf[at] = '\0';
    return buf;
}

const char *cli_name_from_url(const char *url, char *buf, size_t cap)
{
    char raw[FC_NAME_MAX];
    size_t at = 0;
    const char *p = strstr(url, "://");
    const char *end;
    const char *seg;
    p = p != NULL ? p + 3 : url;
    p += strcspn(p, "/?#"); /* skip the authority */
    end = p + strcspn(p, "?#");
    seg = end;
    while (seg > p && seg[-1] != '/') {
        seg--;
    }
    for (; seg < end && at + 1 < sizeof raw; seg++) {
        int hi = seg[0] == '%' && end - seg >= 3 ? hexval(seg[1]) : -1;
        int lo = hi >= 0 ? hexval(seg[2]) : -1;
        if (hi >= 0 && lo >= 0 && (hi || lo)) {
            raw[at++] = (char)(hi * 16 + lo);
            seg += 2;
        } else {
            raw[at++] = *seg;
        }
    }
    raw[at] = '\0';
    return cli_safe_name(raw, buf, cap);
}
