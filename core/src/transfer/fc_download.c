/*
 * fc_download.c - GET a raw link or presigned URL into a sink.
 *
 * No key is sent (the URL is its own capability). After a broken
 * connection the download asks again with "Range: bytes=<offset>-", so
 * the sink sees every byte once, in order. A server that ignores the
 * range (200 instead of 206) has its first <offset> bytes skipped.
 */
#include "fc_transfer.h"

#include <string.h>

static fc_err fc_dl_sink(void *ctx, const uint8_t *data, size_t len)
{
    fc_client *c = ctx;
    fc_download *dl = c->priv.op.out;
    uint64_t start = dl->priv.start;                /* the offset asked for */
    uint64_t before = c->priv.resp.body_seen - len; /* body bytes before data */
    size_t skip = 0;
    fc_err e;
    if (c->priv.resp.status == 200 && before < start) {
        /* The range was ignored: drop what the sink already has. */
        skip = start - before < len ? (size_t)(start - before) : len;
    }
    if (skip == len) {
        return FC_OK;
    }
    e = dl->sink(dl->sink_ctx, data + skip, len - skip);
    if (e == FC_OK) {
        dl->offset += len - skip;
    }
    return e;
}

static fc_err fc_dl_headers(fc_client *c, fc_hw *w)
{
    fc_download *dl = c->priv.op.out;
    if (dl->offset > 0u) {
        fc_hw_str(w, "Range: bytes=");
        fc_hw_u64(w, dl->offset);
        fc_hw_str(w, "-\r\n");
    }
    return FC_OK;
}

static fc_err fc_dl_start_request(fc_client *c, fc_download *dl)
{
    fc_request req;
    memset(&req, 0, sizeof req);
    req.method = FC_HTTP_GET;
    req.flags = FC_REQ_IDEMPOTENT;
    req.url = dl->url;
    req.url_len = strlen(dl->url);
    req.write_headers = fc_dl_headers;
    req.sink = fc_dl_sink;
    req.sink_ctx = c;
    dl->priv.start = dl->offset; /* where this request starts */
    return fc_request_start(c, &req);
}

static int fc_dl_resumable(fc_err e)
{
    return e == FC_ERR_CLOSED || e == FC_ERR_TRANSPORT || e == FC_ERR_TIMEOUT ||
           e == FC_ERR_PROTOCOL;
}

static fc_err fc_dl_on_response(fc_client *c, fc_err result)
{
    fc_download *dl = c->priv.op.out;
    uint8_t max = dl->max_resumes ? dl->max_resumes : (uint8_t)FC_CONFIG_RETRY_MAX_ATTEMPTS;
    if (result == FC_OK) {
        if (c->priv.resp.status != 200 && c->priv.resp.status != 206) {
            return FC_ERR_HTTP;
        }
        dl->total = dl->offset;
        return FC_OK;
    }
    if (fc_dl_resumable(result) && dl->priv.resumes < max) {
        dl->priv.resumes++;
        return fc_dl_start_request(c, dl);
    }
    return result;
}

fc_err fc_download_start(fc_client *c, fc_download *dl)
{
    fc_err e;
    if (dl == NULL || dl->url == NULL || dl->sink == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_op_begin(c, "download", fc_dl_on_response, dl); /* op.out = dl */
    if (e != FC_OK) {
        return e;
    }
    dl->priv.resumes = 0;
    return fc_dl_start_request(c, dl);
}
