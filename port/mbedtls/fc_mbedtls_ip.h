/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_ip.h - private: IP literal host names and iPAddress
 * subjectAltName matching, which mbedTLS 2.28 lacks (its name check only
 * compares dNSName entries and the CN: "127.0.0.1" never matches).
 */
#ifndef FLUIDCLOUD_FC_MBEDTLS_IP_H
#define FLUIDCLOUD_FC_MBEDTLS_IP_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/x509_crt.h>

/* The address in host ("127.0.0.1", "::1", "[::1]") into out: returns 4
 * or 16, or 0 when host is not a plain IP literal (then it is a name).
 * Only canonical dotted quads count (no "127.1", no leading zeros), so a
 * name the resolver might read as an address is never verified as one. */
size_t fc_mbedtls_parse_ip(const char *host, uint8_t out[16]);

/* 1 when crt lists ip (len 4 or 16) as an iPAddress subjectAltName. */
int fc_mbedtls_crt_has_ip(const mbedtls_x509_crt *crt, const uint8_t *ip, size_t len);

#endif /* FLUIDCLOUD_FC_MBEDTLS_IP_H */
