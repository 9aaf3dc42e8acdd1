/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_ip.c - IP literal parsing and iPAddress SAN matching.
 *
 * Why our own: inet_pton() is POSIX, and this layer also runs over lwIP
 * on bare metal. And mbedTLS 2.28 cannot match an IP host: with
 * mbedtls_ssl_set_hostname("127.0.0.1") a certificate whose SAN holds
 * iPAddress 127.0.0.1 fails with BADCERT_CN_MISMATCH (its name check only
 * compares dNSName text and the CN). Whether crt->subject_alt_names even
 * lists iPAddress entries differs between releases (its doc says only
 * dNSName and otherName), so we walk the extension's DER ourselves.
 */
#include "fc_mbedtls_ip.h"

#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* Canonical dotted quad in s[0..len) -> out[4]; 1 on success. */
static int parse_v4(const char *s, size_t len, uint8_t out[4])
{
    size_t i = 0;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned v = 0;
        size_t digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10u + (unsigned)(s[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255u || (digits > 1 && s[i - digits] == '0')) {
            return 0; /* empty, too long, too big, or octal-looking */
        }
        out[part] = (uint8_t)v;
        if (part < 3) {
            if (i >= len || s[i] != '.') {
                return 0;
            }
            i++;
        }
    }
    return i == len;
}

/* Does the group starting at s[i] hold a '.' (an embedded IPv4 tail)? */
static int v4_tail_at(const char *s, size_t i, size_t len)
{
    while (i < len && s[i] != ':') {
        if (s[i] == '.') {
            return 1;
        }
        i++;
    }
    return 0;
}

/* Expand the groups parsed around a "::" at byte offset gap into out. */
static int place_v6(const uint8_t *buf, size_t n, long gap, uint8_t out[16])
{
    if (gap < 0) {
        if (n != 16) {
            return 0;
        }
        memcpy(out, buf, 16);
        return 1;
    }
    if (n > 14) {
        return 0; /* "::" must stand for at least one zero group */
    }
    memset(out, 0, 16);
    memcpy(out, buf, (size_t)gap);
    memcpy(out + 16 - (n - (size_t)gap), buf + gap, n - (size_t)gap);
    return 1;
}

/* One hex group at s[*i]; appends 2 bytes to buf. 1 on success. */
static int parse_group(const char *s, size_t len, size_t *i, uint8_t *buf)
{
    unsigned v = 0;
    size_t digits = 0;
    int h;
    while (*i < len && digits < 5 && (h = hex_value(s[*i])) >= 0) {
        v = (v << 4) | (unsigned)h;
        (*i)++;
        digits++;
    }
    if (digits == 0 || digits > 4) {
        return 0;
    }
    buf[0] = (uint8_t)(v >> 8);
    buf[1] = (uint8_t)v;
    return 1;
}

/* RFC 4291 text form in s[0..len) -> out[16]; 1 on success. */
static int parse_v6(const char *s, size_t len, uint8_t out[16])
{
    uint8_t buf[16];
    size_t n = 0;
    size_t i = 0;
    long gap = -1;

    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < len) {
        if (n > 14) {
            return 0; /* more than eight groups */
        }
        if (v4_tail_at(s, i, len)) {
            if (n > 12 || !parse_v4(s + i, len - i, buf + n)) {
                return 0;
            }
            n += 4;
            break;
        }
        if (!parse_group(s, len, &i, buf + n)) {
            return 0;
        }
        n += 2;
        if (i == len) {
            break;
        }
        if (s[i] != ':' || i + 1 == len) {
            return 0; /* junk, or a single trailing colon */
        }
        i++;
        if (s[i] == ':') {
            if (gap >= 0) {
                return 0; /* a second "::" */
            }
            gap = (long)n;
            i++;
        }
    }
    return place_v6(buf, n, gap, out);
}

size_t fc_mbedtls_parse_ip(const char *host, uint8_t out[16])
{
    size_t len = strlen(host);
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        host++;
        len -= 2;
    }
    if (memchr(host, ':', len) != NULL) {
        return parse_v6(host, len, out) ? 16u : 0u;
    }
    return parse_v4(host, len, out) ? 4u : 0u;
}

/* Any iPAddress [7] equal to ip in a GeneralNames SEQUENCE at p..end? */
static int names_have_ip(unsigned char *p, const unsigned char *end, const uint8_t *ip,
                         size_t ip_len)
{
    size_t len;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) !=
        0) {
        return 0;
    }
    end = p + len;
    while (p < end) {
        unsigned char tag = *p++;
        if (mbedtls_asn1_get_len(&p, end, &len) != 0) {
            return 0;
        }
        if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && len == ip_len &&
            memcmp(p, ip, ip_len) == 0) {
            return 1;
        }
        p += len;
    }
    return 0;
}

/* The extnValue of the subjectAltName extension at p..end, or NULL. */
static unsigned char *find_san(unsigned char *p, const unsigned char *end, size_t *out_len)
{
    size_t len;
    /* crt->v3_ext (2.28 and 3.x) spans the inside of the [3] wrapper:
     * Extensions ::= SEQUENCE OF Extension. */
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) !=
        0) {
        return NULL;
    }
    end = p + len;
    while (p < end) {
        unsigned char *ext_end;
        int is_san;
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) !=
            0) {
            return NULL;
        }
        ext_end = p + len;
        if (mbedtls_asn1_get_tag(&p, ext_end, &len, MBEDTLS_ASN1_OID) != 0) {
            return NULL;
        }
        is_san = MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME) == len &&
                 memcmp(p, MBEDTLS_OID_SUBJECT_ALT_NAME, len) == 0;
        p += len;
        if (is_san) {
            if (p < ext_end && *p == MBEDTLS_ASN1_BOOLEAN) {
                if (mbedtls_asn1_get_tag(&p, ext_end, &len, MBEDTLS_ASN1_BOOLEAN) != 0) {
                    return NULL;
                }
                p += len; /* the "critical" flag: not ours to judge */
            }
            if (mbedtls_asn1_get_tag(&p, ext_end, out_len, MBEDTLS_ASN1_OCTET_STRING) != 0) {
                return NULL;
            }
            return p;
        }
        p = ext_end;
    }
    return NULL;
}

int fc_mbedtls_crt_has_ip(const mbedtls_x509_crt *crt, const uint8_t *ip, size_t len)
{
    unsigned char *san;
    size_t san_len = 0;

    if (crt == NULL || crt->v3_ext.p == NULL || crt->v3_ext.len == 0) {
        return 0;
    }
    san = find_san(crt->v3_ext.p, crt->v3_ext.p + crt->v3_ext.len, &san_len);
    return san != NULL && names_have_ip(san, san + san_len, ip, len);
}
