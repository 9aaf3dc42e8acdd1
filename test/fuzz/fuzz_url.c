/* SPDX-License-Identifier: MIT */
/*
 * fuzz_url - the URL parser (fc_url.h) with a print-and-reparse round trip.
 *
 * Any input: fc_url_parse must not read outside it, and an accepted URL
 * must (1) obey fc_url.h's promises (views inside the input, a host of
 * RFC 3986 unreserved characters or an IPv6 literal's, port 1..65535, a
 * target that starts with '/' and holds no space, control or non-ASCII
 * byte, no '#'), and (2) print back as a URL that parses to the same
 * parts, whose print is the same text again (a fixed point).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluidcloud/fc_url.h"
#include "fz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fz_host_char(char ch, int ip6)
{
    if ((ch >= '0' && ch <= '9') || ch == '.') {
        return 1;
    }
    if (ip6) {
        return ch == ':' || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    }
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_' ||
           ch == '~';
}

static void fz_check_parts(const fc_url *u, const char *text, size_t len)
{
    size_t i;
    int ip6 = memchr(u->host, ':', u->host_len) != NULL;
    if (u->host < text || u->host + u->host_len > text + len || u->host_len == 0) {
        fz_fail("url", "host view outside the input or empty");
    }
    if (u->target_len > 0 &&
        (u->target < text || u->target + u->target_len > text + len || u->target[0] != '/')) {
        fz_fail("url", "target view outside the input or not starting with '/'");
    }
    if (u->port == 0) {
        fz_fail("url", "port 0 accepted");
    }
    for (i = 0; i < u->host_len; i++) {
        if (!fz_host_char(u->host[i], ip6)) {
            fz_fail("url", "host byte 0x%02x accepted", (unsigned char)u->host[i]);
        }
    }
    for (i = 0; i < u->target_len; i++) {
        unsigned char ch = (unsigned char)u->target[i];
        if (ch <= 0x20 || ch >= 0x7F || ch == '#') {
            fz_fail("url", "target byte 0x%02x accepted", ch);
        }
    }
}

/* scheme://host[:port]target, brackets around an IPv6 literal. */
static size_t fz_print(const fc_url *u, char *out, size_t cap)
{
    int ip6 = memchr(u->host, ':', u->host_len) != NULL;
    int n = snprintf(out, cap, "%s://%s%.*s%s:%u%.*s", u->tls ? "https" : "http", ip6 ? "[" : "",
                     (int)u->host_len, u->host, ip6 ? "]" : "", (unsigned)u->port,
                     (int)u->target_len, u->target);
    if (n < 0 || (size_t)n >= cap) {
        abort();
    }
    return (size_t)n;
}

static int fz_same(const fc_url *a, const fc_url *b)
{
    return a->tls == b->tls && a->port == b->port && a->host_len == b->host_len &&
           memcmp(a->host, b->host, a->host_len) == 0 && a->target_len == b->target_len &&
           memcmp(a->target, b->target, a->target_len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly the input's size: ASan sees any read past it. */
    char *text = malloc(size ? size : 1);
    char *again;
    char *third;
    size_t cap = size + 32;
    size_t n, n3;
    fc_url u, v, w;
    fc_err e;
    memcpy(text, data, size);
    e = fc_url_parse(&u, text, size);
    if (e != FC_OK) {
        if (e != FC_ERR_BAD_URL) {
            fz_fail("url", "parse returned %s", fc_err_str(e));
        }
        free(text);
        return 0;
    }
    fz_check_parts(&u, text, size);
    again = malloc(cap);
    third = malloc(cap);
    n = fz_print(&u, again, cap);
    if (fc_url_parse(&v, again, n) != FC_OK || !fz_same(&u, &v)) {
        fz_fail("url", "'%.*s' printed as '%s' does not parse back the same", (int)size, text,
                again);
    }
    n3 = fz_print(&v, third, cap);
    if (n3 != n || memcmp(again, third, n) != 0 ||
        (fc_url_parse(&w, third, n3) == FC_OK && !fz_same(&v, &w))) {
        fz_fail("url", "print is no fixed point: '%s' then '%s'", again, third);
    }
    free(third);
    free(again);
    free(text);
    return 0;
}
