/* SPDX-License-Identifier: MIT */
/*
 * fuzz_http - the HTTP response path: an API call, then a second call on
 * the same client, against a server the input scripts.
 *
 * Input: 6 bytes of set-up (I/O buffer size, token count, attempts, send
 * piece size, the two calls and a list capacity), then script steps, one
 * consumed by each recv():
 *
 *   op % 8 = 0..2  data: the next (u8 + 1) bytes of the input, delivered
 *                  over as many recv calls as the client's room needs
 *            3     would-block (ends by itself)
 *            4     EOF          5  reset          6  stall (never answers)
 *            7     a well-formed answer for the running call
 *
 * A spent input reads as EOF, and connects then fail: every run ends.
 * Oracles (fz_net.c): no wait above the configuration's caps, an end
 * within a bounded number of polls, valid error info, the key only to the
 * API host, well-formed request heads; and the result checks of
 * fz_calls.c (terminated strings, non-empty ids, a share's link).
 */
#include <stdlib.h>
#include <string.h>

#include "fz_calls.h"
#include "fz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_http {
    fz_input in;
    int call_kind;        /* the running call */
    const uint8_t *piece; /* data step being delivered */
    size_t piece_left;
    int asked[FZ_MAX_CONN]; /* a request was sent on the connection */
    size_t send_piece;
} fz_http;

static fc_err http_connect(fz_net *n, fz_conn *c)
{
    fz_http *h = n->ctx;
    h->asked[c->index] = 0;
    h->piece_left = 0;
    return h->in.n == 0 ? FC_ERR_CONNECT : FC_OK;
}

static void http_on_head(fz_net *n, fz_conn *c)
{
    fz_http *h = n->ctx;
    h->asked[c->index] = 1;
}

static fc_err http_send_gate(fz_net *n, fz_conn *c, size_t len, size_t *take)
{
    fz_http *h = n->ctx;
    (void)c;
    *take = h->send_piece != 0 && len > h->send_piece ? h->send_piece : len;
    return FC_OK;
}

static fc_err http_recv(fz_net *n, fz_conn *c, uint8_t *buf, size_t cap, size_t *got)
{
    fz_http *h = n->ctx;
    uint8_t op;
    if (!h->asked[c->index]) {
        return FC_AGAIN; /* idle keep-alive connection: nothing to read */
    }
    if (h->piece_left == 0 && fz_deliver(c, buf, cap, 0, got) == FC_OK) {
        return FC_OK; /* a canned answer being delivered */
    }
    if (h->piece_left > 0) {
        size_t k = h->piece_left < cap ? h->piece_left : cap;
        memcpy(buf, h->piece, k);
        h->piece += k;
        h->piece_left -= k;
        *got = k;
        return FC_OK;
    }
    if (h->in.n == 0) {
        return FC_ERR_CLOSED;
    }
    op = fz_u8(&h->in);
    switch (op % 8u) {
    case 0:
    case 1:
    case 2: {
        size_t want = (size_t)fz_u8(&h->in) + 1u;
        h->piece_left = fz_take(&h->in, want, &h->piece);
        if (h->piece_left == 0) {
            return FC_ERR_CLOSED;
        }
        return http_recv(n, c, buf, cap, got);
    }
    case 3: fz_wake(n); return FC_AGAIN;
    case 4: return FC_ERR_CLOSED;
    case 5: return FC_ERR_TRANSPORT;
    case 6: return FC_AGAIN;
    default: {
        const char *a = fz_call_answer(h->call_kind);
        fz_queue(c, a, strlen(a));
        return fz_deliver(c, buf, cap, 0, got);
    }
    }
}

static const size_t k_io_sizes[] = {256, 512, 1024, 2048, 4096, 700};
static const unsigned k_tokens[] = {8, 16, 64, 256};

static void run_call(fz_net *n, fc_client *c, fz_http *h, int kind, size_t cap,
                     const fz_limits *lim)
{
    fz_call call;
    fc_err r;
    h->call_kind = kind;
    r = fz_call_start(c, &call, kind, cap);
    if (r == FC_AGAIN) {
        r = fz_run(n, c, lim, NULL);
    } else if (r != FC_OK) {
        fz_fail("start", "call %d refused to start: %s", kind, fc_err_str(r));
    }
    fz_check_error_info(c, r);
    fz_call_check(&call, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fz_server server = {
        http_connect, http_on_head, NULL, http_send_gate, http_recv, NULL,
    };
    fz_http h;
    fz_net n;
    fc_client c;
    fc_client_config cfg;
    fz_limits lim;
    uint8_t *io;
    fc_json_tok *toks;
    int first, second;
    size_t cap;
    memset(&h, 0, sizeof h);
    h.in.p = data;
    h.in.n = size;
    fz_net_init(&n, &server, &h, FZ_API_HOST, FZ_API_KEY);

    fc_client_config_defaults(&cfg);
    cfg.base_url = "https://" FZ_API_HOST "/api/v1";
    cfg.api_key = FZ_API_KEY;
    cfg.transports = n.transports;
    cfg.transport_count = FZ_MAX_CONN;
    cfg.system = fz_system(&n);
    cfg.io_buf_size = k_io_sizes[fz_u8(&h.in) % 6u];
    cfg.token_count = k_tokens[fz_u8(&h.in) % 4u];
    cfg.retry.max_attempts = (uint8_t)(1u + fz_u8(&h.in) % 4u);
    h.send_piece = fz_u8(&h.in) % 64u;
    first = fz_u8(&h.in) % FZ_CALLS;
    second = fz_u8(&h.in) % FZ_CALLS;
    cap = 1u + fz_u8(&h.in) % 4u; /* lists need room for one item */
    /* Exactly sized: ASan reports a byte past either. */
    io = malloc(cfg.io_buf_size);
    toks = malloc(cfg.token_count * sizeof *toks);
    cfg.io_buf = io;
    cfg.tokens = toks;

    if (fc_client_init(&c, &cfg) != FC_OK) {
        abort();
    }
    lim.max_polls = 200000;
    lim.max_wait_ms = fz_config_max_wait(&cfg);
    lim.max_total_ms = cfg.timeouts.total_ms;
    run_call(&n, &c, &h, first, cap, &lim);
    run_call(&n, &c, &h, second, cap + 1u, &lim);
    fc_client_close(&c);
    fz_net_free(&n);
    free(toks);
    free(io);
    return 0;
}
