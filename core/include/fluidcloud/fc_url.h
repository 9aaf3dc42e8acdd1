/* SPDX-License-Identifier: MIT */
/*
 * fc_url.h - absolute http/https URL parsing, without copying.
 *
 * The parts are views into the caller's string: "https://host:8443/a/b?q"
 * gives scheme https, host "host", port 8443, target "/a/b?q". IPv6
 * literals keep their brackets out of host ("[::1]" -> "::1"). The target
 * is "/" when the URL has no path. Userinfo ("user@"), fragments kept out
 * of the target, whitespace and control characters, empty hosts, and
 * ports outside 1..65535 are FC_ERR_BAD_URL. So are non-ASCII bytes (a
 * request line is ASCII: percent-encode them), host names with characters
 * outside RFC 3986's unreserved set, and a query without a path
 * ("http://h?q": write "http://h/?q"), which no view could give as a
 * target starting with '/'.
 */
#ifndef FLUIDCLOUD_FC_URL_H
#define FLUIDCLOUD_FC_URL_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_url {
    uint8_t tls;      /* 1 for https */
    uint16_t port;    /* explicit or the scheme default */
    const char *host; /* not NUL-terminated: use host_len */
    size_t host_len;
    const char *target; /* path and query, starts with '/' unless empty */
    size_t target_len;  /* 0 means "/" */
} fc_url;

/* Parse url[0..len). The fragment ("#...") is dropped. */
fc_err fc_url_parse(fc_url *out, const char *url, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_URL_H */
