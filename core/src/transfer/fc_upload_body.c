/* SPDX-License-Identifier: MIT */
/*
 * fc_upload_body.c - the PUTs of an upload, one part after the other.
 *
 * The body is read from the application's source through the I/O buffer
 * and hashed on the way. A part is confirmed only by a 2xx from storage;
 * then its ETag goes to the application's ETag store and the progress
 * (offset and hash state) moves past it. Until then the part's bytes are
 * hashed into a running copy, so a retried or resumed part rewinds source
 * and hash to the same byte.
 */
#include "fc_transfer.h"

#include <string.h>

static fc_err fc_body_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fc_client *c = ctx;
    fc_upload *up = c->priv.op.out;
    fc_err e = up->params.source.read(up->params.source.ctx, buf, cap, got);
    if (e != FC_OK) {
        return e;
    }
    if (*got > cap) {
        return FC_ERR_SOURCE;
    }
    fc_sha256_update(&up->priv.running, buf, *got);
    up->priv.part_read += *got;
    if (up->params.on_progress != NULL) {
        up->params.on_progress(up->params.progress_ctx, up->progress.offset + up->priv.part_read,
                               up->params.size);
    }
    return FC_OK;
}

/* Sending the part again: the hash goes back with the source. */
static fc_err fc_body_seek(void *ctx, uint64_t offset)
{
    fc_client *c = ctx;
    fc_upload *up = c->priv.op.out;
    if (up->params.source.seek == NULL) {
        return FC_ERR_SOURCE;
    }
    up->priv.running = up->progress.hash;
    up->priv.part_read = 0;
    return up->params.source.seek(up->params.source.ctx, offset);
}

fc_err fc_upload_put_next(fc_client *c, fc_upload *up)
{
    fc_upload_progress *pg = &up->progress;
    fc_request req;
    const char *url = fc_ticket_url(c, up, pg->part);
    memset(&req, 0, sizeof req);
    req.method = FC_HTTP_PUT;
    /* A PUT of the same bytes may repeat only if the source can seek back. */
    req.flags = up->params.source.seek != NULL ? FC_REQ_IDEMPOTENT : 0u;
    req.url = url;
    req.url_len = strlen(url);
    req.write_headers = fc_ticket_write_headers;
    up->priv.body.read = fc_body_read;
    up->priv.body.seek = fc_body_seek;
    up->priv.body.ctx = c;
    req.source = &up->priv.body;
    /* A single ticket's part_size is the whole size (fc_ticket_finish). */
    req.body_len = pg->size - pg->offset;
    if (req.body_len > pg->part_size) {
        req.body_len = pg->part_size;
    }
    up->priv.part_read = 0;
    up->priv.running = pg->hash; /* the part starts from confirmed bytes */
    req.body_offset = pg->offset;
    c->priv.op.step = fc_up_step_names[FC_UP_PUT];
    return fc_request_start(c, &req);
}

/* A part was confirmed (2xx): its ETag to the store, and move on. */
fc_err fc_upload_put_done(fc_client *c, fc_upload *up)
{
    fc_upload_progress *pg = &up->progress;
    const fc_etag_store *store = up->params.etags;
    if (up->priv.part_read != c->priv.req.body_len) {
        return FC_ERR_SOURCE;
    }
    if (pg->multipart) {
        if (c->priv.resp.etag[0] == '\0') {
            fc_up_say(c, "storage confirmed a part without an ETag", 0, NULL);
            return FC_ERR_PROTOCOL; /* complete cannot work without it */
        }
        /* (the ticket checked that a multipart upload has a store) */
        if (store->save(store->ctx, pg->part + 1u, c->priv.resp.etag) != FC_OK) {
            return FC_ERR_SINK;
        }
    }
    pg->hash = up->priv.running; /* only confirmed bytes enter the progress */
    pg->offset += c->priv.req.body_len;
    pg->part++;
    return FC_OK;
}
