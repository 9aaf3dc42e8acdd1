/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ticket - the ticket keeper: POST /uploads/initiate answered with the
 * input, then the PUTs the kept ticket drives (fc_uploads_initiate, then
 * fc_uploads_put, both public).
 *
 * Input: the I/O buffer size, the declared upload size (u16), then the
 * ticket's JSON (answered as 201). Storage accepts every PUT (200 with an
 * ETag) and records what it got.
 *
 * Oracles: the kept strings stay inside the exactly sized I/O buffer
 * (ASan); every PUT head passes fz_net.c's checks (header names are
 * tokens, no control bytes, one Host equal to the connection's host, one
 * Content-Length, no framing or hop-by-hop header a ticket could inject,
 * no key off the API host); a storage URL may not drop TLS under an https
 * API ("storage-downgrade"); progress stays within its arrays; and an
 * upload the client calls sent (FC_OK) put exactly the source's bytes, in
 * order, into storage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluidcloud/fc_upload.h"
#include "fz_calls.h"
#include "fz_net.h"
#include "fz_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parts the ETag store keeps: a ticket with more fails at initiate. */
#define TK_MAX_PARTS 1024

typedef struct fz_ticket {
    const uint8_t *json;
    size_t json_len;
    int initiate_answered;
    const fz_source *src;
    uint64_t stored; /* bytes of PUT bodies storage accepted */
    unsigned puts;
} fz_ticket;

static void tk_on_head(fz_net *n, fz_conn *c)
{
    if (strcmp(c->host, n->api_host) != 0) {
        if (!c->tls) {
            fz_fail("storage-downgrade", "the PUT goes to %s over plain http under an https API",
                    c->host);
        }
        if (strcmp(c->req.method, "PUT") != 0) {
            fz_fail("request-line", "%s to storage", c->req.method);
        }
    }
}

static void tk_on_request(fz_net *n, fz_conn *c)
{
    fz_ticket *t = n->ctx;
    char head[256];
    int len;
    if (strcmp(c->host, n->api_host) == 0) {
        if (t->initiate_answered++) {
            fz_queuef(c, "HTTP/1.1 500 X\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        len = snprintf(head, sizeof head,
                       "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                       "Content-Length: %zu\r\n\r\n",
                       t->json_len);
        fz_queue(c, head, (size_t)len);
        fz_queue(c, t->json, t->json_len);
        return;
    }
    /* Storage: the body must be the source's next bytes. */
    t->puts++;
    if (!fz_source_slice_is(t->src, t->stored, c->req.body_seen, &c->req.body_hash)) {
        fz_fail("put-bytes", "PUT %u is not the source's bytes %llu..+%llu", t->puts,
                (unsigned long long)t->stored, (unsigned long long)c->req.body_seen);
    }
    t->stored += c->req.body_seen;
    fz_queuef(c, "HTTP/1.1 200 OK\r\nETag: \"e%u\"\r\nContent-Length: 0\r\n\r\n", t->puts);
}

static fc_err tk_recv(fz_net *n, fz_conn *c, uint8_t *buf, size_t cap, size_t *got)
{
    (void)n;
    if (fz_deliver(c, buf, cap, 0, got) == FC_OK) {
        return FC_OK;
    }
    return c->in_body || c->head_len > 0 ? FC_AGAIN : FC_ERR_CLOSED;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fz_server server = {NULL, tk_on_head, tk_on_request, NULL, tk_recv, NULL};
    static const size_t k_io[] = {1024, 2048, 4096, 8192};
    fz_input in = {data, size};
    fz_ticket t;
    fz_net n;
    fc_client c;
    fc_client_config cfg;
    fz_limits lim;
    fz_source src;
    fc_upload *up;
    static char etag_mem[TK_MAX_PARTS][FC_CONFIG_ETAG_MAX];
    fc_etag_array etags;
    uint8_t *io;
    fc_json_tok *toks;
    fc_err r;

    memset(&t, 0, sizeof t);
    memset(&src, 0, sizeof src);
    fc_client_config_defaults(&cfg);
    cfg.io_buf_size = k_io[fz_u8(&in) % 4u];
    src.size = fz_u16(&in);
    src.seed = 7;
    t.src = &src;
    t.json_len = fz_take(&in, in.n, &t.json);
    fz_net_init(&n, &server, &t, FZ_API_HOST, FZ_API_KEY);

    cfg.base_url = "https://" FZ_API_HOST "/api/v1";
    cfg.api_key = FZ_API_KEY;
    cfg.transports = n.transports;
    cfg.transport_count = FZ_MAX_CONN;
    cfg.system = fz_system(&n);
    cfg.retry.max_attempts = 1;
    cfg.token_count = 256;
    io = malloc(cfg.io_buf_size);
    toks = malloc(cfg.token_count * sizeof *toks);
    cfg.io_buf = io;
    cfg.tokens = toks;
    if (fc_client_init(&c, &cfg) != FC_OK) {
        abort();
    }
    lim.max_polls = 100000;
    lim.max_wait_ms = fz_config_max_wait(&cfg);
    lim.max_total_ms = 0;

    up = malloc(sizeof *up);
    fc_upload_init(up);
    fc_etag_array_init(&etags, etag_mem, TK_MAX_PARTS);
    up->params.etags = &etags.store;
    up->params.name = "frame.jpg";
    up->params.size = src.size;
    up->params.content_type = "image/jpeg";
    up->params.space_id = "s1";
    up->params.source = fz_source_make(&src, 1);
    r = fc_uploads_initiate(&c, up);
    if (r == FC_AGAIN) {
        r = fz_run(&n, &c, &lim, NULL);
    }
    fz_check_error_info(&c, r);
    if (r == FC_OK) {
        const fc_upload_progress *pg = &up->progress;
        fz_check_str(pg->upload_id, sizeof pg->upload_id, "upload_id");
        fz_check_str(pg->file_id, sizeof pg->file_id, "file_id");
        fz_check_str(pg->key, sizeof pg->key, "key");
        if (pg->part_count == 0 || pg->part_count > TK_MAX_PARTS) {
            fz_fail("ticket-parts", "part_count %u", (unsigned)pg->part_count);
        }
        /* upload_id may be absent (issue 15.9: only file_id and key are
         * documented); the other two are required. */
        if (pg->file_id[0] == '\0' || pg->key[0] == '\0') {
            fz_fail("empty-id", "initiate FC_OK with an empty id");
        }
        r = fc_uploads_put(&c, up);
        if (r == FC_AGAIN) {
            r = fz_run(&n, &c, &lim, NULL);
        }
        fz_check_error_info(&c, r);
        if (r == FC_OK && (t.stored != src.size || pg->offset != src.size)) {
            fz_fail("put-bytes", "PUTs FC_OK: storage got %llu bytes of %llu, offset %llu",
                    (unsigned long long)t.stored, (unsigned long long)src.size,
                    (unsigned long long)pg->offset);
        }
        if (r == FC_OK) {
            char want[65];
            char got[65];
            fz_source_sha256_hex(&src, want);
            {
                /* The progress hash is what complete will send: the source's. */
                fc_sha256 h = pg->hash;
                uint8_t d[32];
                fc_sha256_final(&h, d);
                fc_sha256_hex(d, got);
            }
            if (strcmp(want, got) != 0) {
                fz_fail("put-hash", "the hash complete would send is not the source's");
            }
        }
    }
    free(up);
    fc_client_close(&c);
    fz_net_free(&n);
    free(toks);
    free(io);
    return 0;
}
