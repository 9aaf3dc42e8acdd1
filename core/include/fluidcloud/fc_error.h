/* SPDX-License-Identifier: MIT */
/*
 * fc_error.h - the one error enum of fluidcloud-c.
 *
 * Every function that can fail returns an fc_err. FC_OK is success,
 * FC_AGAIN means "in progress, poll again" (never a failure). Every other
 * value is a failure whose text fc_err_str() gives.
 */
#ifndef FLUIDCLOUD_FC_ERROR_H
#define FLUIDCLOUD_FC_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fc_err {
    FC_OK = 0,
    FC_AGAIN, /* would block / operation still running */

    /* Caller and configuration errors. */
    FC_ERR_INVALID_ARG,      /* a NULL or out-of-range argument */
    FC_ERR_BUSY,             /* the client already runs an operation */
    FC_ERR_BAD_URL,          /* not an absolute http(s) URL we can use */
    FC_ERR_BUFFER_TOO_SMALL, /* a value does not fit; see the needed size */
    FC_ERR_NO_MEMORY,        /* a port ran out of its own memory (the TLS heap): never retried */

    /* Transport and TLS. */
    FC_ERR_DNS,        /* host name did not resolve */
    FC_ERR_CONNECT,    /* TCP connection refused or unreachable */
    FC_ERR_TRANSPORT,  /* send/recv failed (reset, broken pipe) */
    FC_ERR_CLOSED,     /* peer closed the connection (EOF) */
    FC_ERR_TLS,        /* TLS handshake or record failure */
    FC_ERR_TLS_VERIFY, /* certificate chain or host name not trusted */
    FC_ERR_TIMEOUT,    /* a deadline passed */

    /* Protocol and decoding. */
    FC_ERR_PROTOCOL,  /* malformed HTTP from the server */
    FC_ERR_JSON,      /* malformed JSON or unexpected shape */
    FC_ERR_SOURCE,    /* the application's body source failed */
    FC_ERR_SINK,      /* the application's body sink refused data */
    FC_ERR_INTEGRITY, /* size or checksum of transferred bytes wrong */

    /* API status classes. */
    FC_ERR_BAD_REQUEST,  /* 400 */
    FC_ERR_AUTH,         /* 401 key missing, invalid or revoked */
    FC_ERR_QUOTA,        /* 402 quota_exceeded */
    FC_ERR_PERMISSION,   /* 403 insufficient_scope / feature_not_in_plan */
    FC_ERR_NOT_FOUND,    /* 404 not found, or not yours */
    FC_ERR_CONFLICT,     /* 409 file not ready (scan not clean) */
    FC_ERR_TOO_LARGE,    /* 413 payload too large */
    FC_ERR_VALIDATION,   /* 422 validation error */
    FC_ERR_RATE_LIMITED, /* 429 still rate limited after the retries */
    FC_ERR_SERVER,       /* 5xx */
    FC_ERR_HTTP,         /* any other non-2xx status */

    /* Flow outcomes. */
    FC_ERR_SCAN_FAILED, /* the scan ended in a value other than clean */
    FC_ERR_CANCELLED,   /* the application cancelled the operation */

    /* Build outcome. */
    FC_ERR_ABI, /* the application was compiled with other FC_CONFIG_* values
                   or headers than the library (fc_client.h) */

    FC_ERR__COUNT
} fc_err;

/* A short English text for an error code; never NULL. */
const char *fc_err_str(fc_err err);

/* The fc_err an HTTP status maps to (2xx -> FC_OK). */
fc_err fc_err_from_status(int status);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_ERROR_H */
