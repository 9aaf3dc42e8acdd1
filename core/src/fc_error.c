/* fc_error.c - texts of the error codes and the HTTP status mapping. */
#include "fluidcloud/fc_error.h"

static const char *const k_err_text[FC_ERR__COUNT] = {
    "ok",
    "in progress",
    "invalid argument",
    "client busy with another operation",
    "bad URL",
    "buffer too small",
    "name resolution failed",
    "connection failed",
    "transport error",
    "connection closed by peer",
    "TLS error",
    "TLS certificate not trusted",
    "timed out",
    "malformed HTTP response",
    "malformed JSON response",
    "body source failed",
    "body sink failed",
    "size or checksum mismatch",
    "bad request (400)",
    "authentication failed (401)",
    "quota exceeded (402)",
    "permission denied (403)",
    "not found (404)",
    "conflict: file not ready (409)",
    "payload too large (413)",
    "validation error (422)",
    "rate limited (429)",
    "server error (5xx)",
    "unexpected HTTP status",
    "scan failed",
    "cancelled",
};

const char *fc_err_str(fc_err err)
{
    if ((unsigned)err >= (unsigned)FC_ERR__COUNT) {
        return "unknown error";
    }
    return k_err_text[err];
}

fc_err fc_err_from_status(int status)
{
    if (status >= 200 && status < 300) {
        return FC_OK;
    }
    if (status >= 500 && status < 600) {
        return FC_ERR_SERVER;
    }
    switch (status) {
    case 400: return FC_ERR_BAD_REQUEST;
    case 401: return FC_ERR_AUTH;
    case 402: return FC_ERR_QUOTA;
    case 403: return FC_ERR_PERMISSION;
    case 404: return FC_ERR_NOT_FOUND;
    case 409: return FC_ERR_CONFLICT;
    case 413: return FC_ERR_TOO_LARGE;
    case 422: return FC_ERR_VALIDATION;
    case 429: return FC_ERR_RATE_LIMITED;
    default:  return FC_ERR_HTTP;
    }
}
