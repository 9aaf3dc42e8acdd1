/* SPDX-License-Identifier: MIT */
/*
 * fc_transfer.h - the transfer layer (core/src/transfer), the top of
 * core/src: the upload flow (fc_upload*.c) and downloads (fc_download.c).
 * Not public. It starts API requests and decodes their answers through
 * the api layer, and streams bodies through the engine.
 */
#ifndef FLUIDCLOUD_FC_TRANSFER_H
#define FLUIDCLOUD_FC_TRANSFER_H

#include "fc_api_internal.h"
#include "fc_engine.h"
#include "fluidcloud/fc_upload.h"

/* Flow phases, in order. */
enum {
    FC_UP_SPACES,
    FC_UP_INITIATE,
    FC_UP_PUT,
    FC_UP_COMPLETE,
    FC_UP_VERIFY,
    FC_UP_SCAN,
    FC_UP_SHARE,
    FC_UP_DONE
};

/* fc_upload_ticket.c: the kept ticket. */
fc_err fc_ticket_store(fc_client *c, fc_upload *up);
/* The idx-th string kept in the ticket area (URLs, header names/values). */
const char *fc_ticket_string(const fc_client *c, unsigned idx);
fc_err fc_ticket_write_headers(fc_client *c, fc_hw *w);

/* fc_upload_body.c: the PUTs of the parts, hashing on the way. */
fc_err fc_upload_put_next(fc_client *c, fc_upload *up);
fc_err fc_upload_put_done(fc_client *c, fc_upload *up);

/* fc_upload_complete.c: flow.sha256_hex from the confirmed bytes (before
 * complete), and the check of complete's answer. */
void fc_upload_sha256_hex(fc_upload *up);
fc_err fc_upload_complete_done(fc_client *c, fc_upload *up);
/* The "parts" of complete's body, when multipart: its args.write_more. */
void fc_upload_complete_parts(fc_client *c, fc_json_writer *w);

#endif /* FLUIDCLOUD_FC_TRANSFER_H */
