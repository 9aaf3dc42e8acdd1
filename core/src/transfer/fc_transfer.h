/* SPDX-License-Identifier: MIT */
/*
 * fc_transfer.h - the transfer layer (core/src/transfer), the top of
 * core/src: the upload flow (fc_upload*.c) and downloads (fc_download.c).
 * Not public. It writes its own requests (initiate, the PUTs, complete),
 * sends the generic ones (files.get, shares.create) through the api
 * layer, decodes answers with the api layer's tables, and streams bodies
 * through the engine.
 */
#ifndef FLUIDCLOUD_FC_TRANSFER_H
#define FLUIDCLOUD_FC_TRANSFER_H

#include "fc_api_internal.h"
#include "fc_engine.h"
#include "fluidcloud/fc_upload.h"

/* Flow phases, in order. */
enum {
    FC_UP_SPACES,
    FC_UP_INITIATE, /* also each later window of part URLs */
    FC_UP_PUT,
    FC_UP_COMPLETE,
    FC_UP_COMPLETE_CHECK, /* GET /files/{id}: did a lost complete happen? */
    FC_UP_SCAN,
    FC_UP_SHARE,
    FC_UP_DONE
};

/* The flow's step names, for errors (fc_client_error()->step). */
extern const char fc_up_step_names[][9];

/* The PUTs need, beside the kept URLs, room for a request head and for
 * body chunks; a head is longer when its URL is (fc_ticket_work). */
#define FC_PUT_WORK_MIN 512u

/* Put a + decimal n + b (b NULL: a alone) into the error's detail, or
 * a + s: what went wrong, in words (cut to fit). */
void fc_up_say(fc_client *c, const char *a, uint64_t n, const char *b);
void fc_up_say_text(fc_client *c, const char *a, const char *s);
/* The words of every "buffer too small" of the ticket (+ bytes). */
#define FC_UP_NEEDS_BUFFER "the ticket needs an I/O buffer of at least "

/* ---- fc_upload_ticket.c: the ticket, read as a stream ---------------------

 * fc_ticket_begin() before the initiate request (which gets fc_ticket_sink
 * as its 2xx sink): the window wanted starts at part progress.part + 1.
 * The kept strings (URLs, header names and values, NUL-terminated) grow at
 * the front of the I/O buffer behind the bytes being read: c->priv.reserved
 * follows them, so the engine reads the next piece right after them.
 * fc_ticket_finish() checks the whole answer and fills progress (ids,
 * parts); fc_ticket_window() then checks that the window holds the next
 * part and fits beside a PUT. */
void fc_ticket_begin(fc_client *c, fc_upload *up);
fc_err fc_ticket_sink(void *ctx, const uint8_t *data, size_t len);
fc_err fc_ticket_finish(fc_client *c, fc_upload *up);
/* The initiate failed (result): the reader's reason in words, if any. */
void fc_ticket_failed(fc_client *c, fc_upload *up, fc_err result);
fc_err fc_ticket_window(fc_client *c, fc_upload *up);
/* How many part URLs the next initiate should ask for. */
uint32_t fc_ticket_part_limit(const fc_client *c, const fc_upload *up);
/* The URL of part (0-based), or NULL when it is not in the kept window. */
const char *fc_ticket_url(const fc_client *c, const fc_upload *up, uint32_t part);
fc_err fc_ticket_write_headers(fc_client *c, fc_head_writer *w);

/* ---- fc_upload_body.c: the PUTs of the parts, hashing on the way ----- */
fc_err fc_upload_put_next(fc_client *c, fc_upload *up);
fc_err fc_upload_put_done(fc_client *c, fc_upload *up);

/* ---- fc_upload_complete.c: complete's request and every file answer -- */
/* POST /uploads/complete, its body streamed from the ETag store. */
fc_err fc_upload_complete_start(fc_client *c, fc_upload *up);
/* The file in the answer of complete, its check or a scan poll: ours (id,
 * size and SHA-256 - every record after complete has them), or
 * FC_ERR_INTEGRITY. Fills up->scan, up->status and params.file_out. */
fc_err fc_upload_take_file(fc_client *c, fc_upload *up);

#endif /* FLUIDCLOUD_FC_TRANSFER_H */
