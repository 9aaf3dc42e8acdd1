/* SPDX-License-Identifier: MIT */
/*
 * fc_url.c - absolute http/https URL parsing into views of the caller's
 * string. Strict on purpose: whatever is accepted here goes verbatim into
 * a request line and a Host header, so anything that could split or
 * smuggle one (spaces, control bytes, userinfo) is refused.
 */
#include <string.h>

#include "fc_util.h" /* fc_ascii_ieq */
#include "fluidcloud/fc_url.h"

/* A character of the host: RFC 3986 unreserved for a name (which also
 * rejects userinfo's '@'), hex digits, ':' and '.' (an IPv4 tail) inside
 * an IPv6 literal's brackets. */
static int is_host_char(char c, int ip6)
{
    unsigned lc = (unsigned)(c | 0x20) - 'a';

    if ((unsigned)(c - '0') < 10u || c == '.') {
        return 1;
    }
    if (ip6) {
        return c == ':' || lc < 6u;
    }
    return lc < 26u || c == '-' || c == '_' || c == '~';
}

fc_err fc_url_parse(fc_url *out, const char *url, size_t len)
{
    const char *e, *p, *h, *a;
    size_t i;
    unsigned port = 0;
    int ip6;

    if (out == NULL || url == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof(*out));
    /* Request lines are ASCII without spaces: refuse anything else. The
     * fragment is dropped: the URL ends at the first '#' (the walk runs
     * backwards, so the last one found is the first). */
    e = url + len;
    for (p = e; p-- > url;) {
        if ((unsigned char)*p - 0x21u > 0x7Eu - 0x21u) {
            return FC_ERR_BAD_URL;
        }
        if (*p == '#') {
            e = p;
        }
    }
    /* "http://" or "https://", any case. */
    out->tls = (uint8_t)(len > 4 && (url[4] | 0x20) == 's');
    p = out->tls ? "https://" : "http://";
    i = strlen(p);
    if (len < i || !fc_ascii_ieq(url, p, i)) {
        return FC_ERR_BAD_URL;
    }
    p = url + i;
    out->port = out->tls ? 443 : 80;
    /* The authority runs to the path or the query. */
    for (a = p; a < e && *a != '/' && *a != '?'; a++)
        ;
    /* Host: a name up to ':', or an IPv6 literal in brackets. */
    ip6 = p < a && *p == '[';
    p += ip6;
    for (h = p; h < a && *h != (ip6 ? ']' : ':'); h++) {
        if (!is_host_char(*h, ip6)) {
            return FC_ERR_BAD_URL;
        }
    }
    out->host = p;
    out->host_len = (size_t)(h - p);
    if (ip6) {
        /* Test before stepping past ']': h + 1 beyond a may lie two past
         * the end of the string, which C does not allow computing. */
        if (h == a) {
            return FC_ERR_BAD_URL; /* no closing bracket */
        }
        h++;
    }
    if (out->host_len == 0) {
        return FC_ERR_BAD_URL;
    }
    if (h < a) {
        if (*h != ':') {
            return FC_ERR_BAD_URL; /* junk after "]" */
        }
        /* 1..65535, stopping as soon as the value is too big so any
         * number of digits is safe. */
        while (++h < a) {
            unsigned d = (unsigned)(*h - '0');

            port = port * 10u + d;
            if (d > 9u || port > 65535u) {
                return FC_ERR_BAD_URL;
            }
        }
        if (port == 0) {
            return FC_ERR_BAD_URL; /* also no digits at all */
        }
        out->port = (uint16_t)port;
    }
    /* A query without a path cannot be a view starting with '/'. */
    if (a < e && *a == '?') {
        return FC_ERR_BAD_URL;
    }
    out->target = a;
    out->target_len = (size_t)(e - a);
    return FC_OK;
}
