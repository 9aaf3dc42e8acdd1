/*
 * fc_url.c - absolute http/https URL parsing into views of the caller's
 * string. Strict on purpose: whatever is accepted here goes verbatim into
 * a request line and a Host header, so anything that could split or
 * smuggle one (spaces, control bytes, userinfo) is refused.
 */
#include <string.h>

#include "fluidcloud/fc_url.h"

/* ASCII letter or digit. */
static int is_alnum(char c)
{
    int lc = c | 0x20;

    return (c >= '0' && c <= '9') || (lc >= 'a' && lc <= 'z');
}

/* A character of a registered host name (RFC 3986 unreserved). */
static int is_host_char(char c)
{
    return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* A character inside an IPv6 literal: hex digits, ':' and '.' (for an
 * embedded IPv4 tail). */
static int is_ip6_char(char c)
{
    int lc = c | 0x20;

    return (c >= '0' && c <= '9') || (lc >= 'a' && lc <= 'f') || c == ':' ||
           c == '.';
}

/* Scheme "http://" or "https://" (any case) at url. Returns the position
 * after "://" and sets *tls, or NULL. */
static const char *parse_scheme(const char *p, const char *e, uint8_t *tls)
{
    static const char http[] = "http";
    int i;

    if (e - p < 7)
        return NULL;
    for (i = 0; i < 4; i++) {
        if ((p[i] | 0x20) != http[i])
            return NULL;
    }
    p += 4;
    *tls = (uint8_t)((*p | 0x20) == 's');
    p += *tls;
    if (e - p < 3 || memcmp(p, "://", 3) != 0)
        return NULL;
    return p + 3;
}

/* Port digits p..e: 1..65535, stopping as soon as the value is too big
 * so any number of digits is safe. 0 when invalid. */
static uint16_t parse_port(const char *p, const char *e)
{
    uint32_t v = 0;

    if (p == e)
        return 0;
    for (; p < e; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10u + (uint32_t)(*p - '0');
        if (v > 65535u)
            return 0;
    }
    return (uint16_t)v;
}

/* Host (name or [IPv6]) and optional port in the authority p..e. */
static fc_err parse_authority(fc_url *out, const char *p, const char *e)
{
    const char *h = p;

    if (p < e && *p == '[') {
        for (h = ++p; h < e && *h != ']'; h++) {
            if (!is_ip6_char(*h))
                return FC_ERR_BAD_URL;
        }
        if (h == e)
            return FC_ERR_BAD_URL;  /* no closing bracket */
        out->host = p;
        out->host_len = (size_t)(h - p);
        h++;
    } else {
        for (; h < e && *h != ':'; h++) {
            if (!is_host_char(*h))
                return FC_ERR_BAD_URL;  /* also rejects userinfo's '@' */
        }
        out->host = p;
        out->host_len = (size_t)(h - p);
    }
    if (out->host_len == 0)
        return FC_ERR_BAD_URL;
    if (h < e) {
        if (*h != ':')
            return FC_ERR_BAD_URL;  /* junk after "]" */
        out->port = parse_port(h + 1, e);
        if (out->port == 0)
            return FC_ERR_BAD_URL;
    }
    return FC_OK;
}

fc_err fc_url_parse(fc_url *out, const char *url, size_t len)
{
    const char *e, *p, *a;
    size_t i;
    fc_err err;

    if (out == NULL || url == NULL)
        return FC_ERR_INVALID_ARG;
    e = url + len;
    memset(out, 0, sizeof(*out));
    /* Request lines are ASCII without spaces: refuse anything else. */
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)url[i];

        if (c <= 0x20 || c >= 0x7F)
            return FC_ERR_BAD_URL;
    }
    p = parse_scheme(url, e, &out->tls);
    if (p == NULL)
        return FC_ERR_BAD_URL;
    out->port = out->tls ? 443 : 80;
    /* The authority runs to the path, the query or the fragment. */
    for (a = p; a < e && *a != '/' && *a != '?' && *a != '#'; a++)
        ;
    err = parse_authority(out, p, a);
    if (err != FC_OK)
        return err;
    /* A query without a path cannot be a view starting with '/'. */
    if (a < e && *a == '?')
        return FC_ERR_BAD_URL;
    out->target = a;
    for (p = a; p < e && *p != '#'; p++)
        ;
    out->target_len = (size_t)(p - a);
    return FC_OK;
}
