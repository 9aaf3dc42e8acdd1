/* SPDX-License-Identifier: MIT */
/* fc_error.c - texts of the error codes and the HTTP status mapping. */
#include "fc_util.h" /* fc_str_at */

/* One text per code, in enum order, each ending in a NUL: one string
 * instead of a pointer table (4 bytes a code saved). The HTTP status is
 * reported separately (fc_error_info), so the texts do not repeat it. */
static const char k_err_text[] =
    "ok\0"
    "in progress\0"
    "bad argument\0"
    "client busy\0"
    "bad URL\0"
    "buffer too small\0"
    "out of memory\0"
    "DNS failed\0"
    "connect failed\0"
    "transport error\0"
    "closed by peer\0"
    "TLS error\0"
    "TLS cert untrusted\0"
    "timed out\0"
    "bad HTTP response\0"
    "bad JSON\0"
    "source failed\0"
    "sink failed\0"
    "size/checksum mismatch\0"
    "bad request\0"
    "auth failed\0"
    "quota exceeded\0"
    "permission denied\0"
    "not found\0"
    "file not ready\0"
    "payload too large\0"
    "validation error\0"
    "rate limited\0"
    "server error\0"
    "unexpected HTTP status\0"
    "scan failed\0"
    "cancelled\0"
    "built with other settings\0"
    "unknown error"; /* anything out of range */

const char *fc_err_str(fc_err err)
{
    unsigned i = (unsigned)err;

    if (i > (unsigned)FC_ERR__COUNT) {
        i = (unsigned)FC_ERR__COUNT; /* the last text */
    }
    return fc_str_at(k_err_text, i);
}

/* 4xx statuses with a code of their own, minus 400, in the order of
 * FC_ERR_BAD_REQUEST .. FC_ERR_RATE_LIMITED. */
static const unsigned char k_4xx[] = {0, 1, 2, 3, 4, 9, 13, 22, 29};

fc_err fc_err_from_status(int status)
{
    unsigned i;

    if (status >= 200 && status < 300) {
        return FC_OK;
    }
    if (status >= 500 && status < 600) {
        return FC_ERR_SERVER;
    }
    for (i = 0; i < sizeof k_4xx; i++) {
        if (status == 400 + k_4xx[i]) {
            return (fc_err)(FC_ERR_BAD_REQUEST + (int)i);
        }
    }
    return FC_ERR_HTTP;
}
