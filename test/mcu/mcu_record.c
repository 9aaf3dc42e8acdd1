/* SPDX-License-Identifier: MIT */
/*
 * mcu_record.c - runs the MCU test's upload flow (mcu_flow.c) on the host
 * against the emulator over plain HTTP and records the conversation as a
 * script file for the firmware (format: mcu_script.h).
 *
 *   with_emulator.py --plain -- mcu_record OUT_FILE
 *
 * (the base URL and key come from FLUIDCLOUD_BASE_URL and
 * FLUIDCLOUD_API_KEY, which with_emulator.py exports).
 * Each of the two connections is a port/posix transport wrapped in a
 * recorder that copies what the client sent and what the server answered.
 * The recording is checked (mcu_check_exchange) before it is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluidcloud/fc_posix.h"
#include "mcu_flow.h"
#include "mcu_script.h"

#define ARENA_MAX (1024u * 1024u)

typedef struct rec_exchange {
    char host[MCU_HOST_MAX];
    uint16_t port;
    int closed;
    size_t req_at, req_len; /* offsets into the arena */
    size_t resp_at, resp_len;
    int receiving; /* response bytes came: the next send is a new exchange */
} rec_exchange;

typedef struct recorder {
    rec_exchange ex[MCU_MAX_EXCHANGES];
    unsigned count;
    uint8_t arena[ARENA_MAX];
    size_t used;
    int overflow;
} recorder;

typedef struct rec_conn {
    recorder *rec;
    fc_posix_conn tcp;
    fc_transport inner;
    char host[MCU_HOST_MAX];
    uint16_t port;
} rec_conn;

static recorder g_rec;

static void append(recorder *r, const uint8_t *data, size_t len)
{
    if (r->used + len > sizeof r->arena) {
        r->overflow = 1;
        return;
    }
    memcpy(r->arena + r->used, data, len);
    r->used += len;
}

static rec_exchange *last(recorder *r)
{
    return r->count > 0 ? &r->ex[r->count - 1] : NULL;
}

static int same_peer(const rec_exchange *x, const rec_conn *c)
{
    return x != NULL && x->port == c->port && strcmp(x->host, c->host) == 0;
}

/* Requests and responses alternate; bytes go to the arena in time order,
 * so each exchange's request, then its response, are contiguous. */
static void record_sent(rec_conn *c, const uint8_t *data, size_t len)
{
    recorder *r = c->rec;
    rec_exchange *x = last(r);
    if (x == NULL || x->receiving || !same_peer(x, c)) {
        if (r->count == MCU_MAX_EXCHANGES) {
            r->overflow = 1;
            return;
        }
        x = &r->ex[r->count++];
        memset(x, 0, sizeof *x);
        snprintf(x->host, sizeof x->host, "%s", c->host);
        x->port = c->port;
        x->req_at = r->used;
    }
    append(r, data, len);
    x->req_len += len;
    x->resp_at = r->used;
}

static void record_received(rec_conn *c, const uint8_t *data, size_t len)
{
    rec_exchange *x = last(c->rec);
    if (!same_peer(x, c) || x->resp_at + x->resp_len != c->rec->used) {
        c->rec->overflow = 1; /* bytes nobody asked for: cannot be replayed */
        return;
    }
    x->receiving = 1;
    append(c->rec, data, len);
    x->resp_len += len;
}

static void record_closed(rec_conn *c)
{
    unsigned i = c->rec->count;
    while (i > 0) { /* the last exchange on this connection */
        rec_exchange *x = &c->rec->ex[--i];
        if (same_peer(x, c)) {
            x->closed = 1;
            return;
        }
    }
}

static fc_err rec_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    rec_conn *c = ctx;
    snprintf(c->host, sizeof c->host, "%s", host);
    c->port = port;
    return c->inner.ops->connect(c->inner.ctx, host, port, use_tls);
}

static fc_err rec_connect_poll(void *ctx)
{
    rec_conn *c = ctx;
    return c->inner.ops->connect_poll(c->inner.ctx);
}

static fc_err rec_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    rec_conn *c = ctx;
    fc_err r = c->inner.ops->send(c->inner.ctx, data, len, sent);
    if (r == FC_OK) {
        record_sent(c, data, *sent);
    }
    return r;
}

static fc_err rec_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    rec_conn *c = ctx;
    fc_err r = c->inner.ops->recv(c->inner.ctx, buf, cap, got);
    if (r == FC_OK) {
        record_received(c, buf, *got);
    } else if (r == FC_ERR_CLOSED) {
        record_closed(c);
    }
    return r;
}

static void rec_close(void *ctx)
{
    rec_conn *c = ctx;
    c->inner.ops->close(c->inner.ctx);
}

static unsigned rec_wait_events(void *ctx)
{
    rec_conn *c = ctx;
    return c->inner.ops->wait_events(c->inner.ctx);
}

static int rec_fd(void *ctx)
{
    rec_conn *c = ctx;
    return c->inner.ops->pollable_fd(c->inner.ctx);
}

static const fc_transport_ops rec_ops = {
    .connect = rec_connect,
    .connect_poll = rec_connect_poll,
    .send = rec_send,
    .recv = rec_recv,
    .close = rec_close,
    .wait_events = rec_wait_events,
    .pollable_fd = rec_fd,
};

static int write_script(const char *path, const char *base, const char *key, const char *link)
{
    FILE *f = fopen(path, "wb");
    unsigned i;
    if (f == NULL) {
        perror(path);
        return -1;
    }
    fprintf(f, "FCMCU 1\nbase %s\nkey %s\nlink %s\n", base, key, link);
    for (i = 0; i < g_rec.count; i++) {
        const rec_exchange *x = &g_rec.ex[i];
        fprintf(f, "x %s %u %d %zu %zu\n", x->host, (unsigned)x->port, x->closed, x->req_len,
                x->resp_len);
        fwrite(g_rec.arena + x->req_at, 1, x->req_len, f);
        fwrite(g_rec.arena + x->resp_at, 1, x->resp_len, f);
        fputc('\n', f);
    }
    fprintf(f, "end\n");
    return fclose(f) == 0 ? 0 : -1;
}

/* Parse back what was written and check each request of the flow. */
static int check_script(const char *path)
{
    static uint8_t buf[ARENA_MAX + 4096];
    static mcu_script s;
    char why[MCU_TEXT_MAX];
    char line[80];
    size_t n;
    unsigned i;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (mcu_script_parse(&s, buf, n, why, sizeof why) != 0) {
        fprintf(stderr, "FAIL: recorded script does not parse: %s\n", why);
        return -1;
    }
    for (i = 0; i < s.count; i++) {
        mcu_request_line(&s.ex[i], line, sizeof line);
        if (mcu_check_exchange(&s, i, why, sizeof why) != 0) {
            fprintf(stderr, "FAIL: exchange %u (%s): %s\n", i + 1, line, why);
            return -1;
        }
        printf("recorded %2u: %-60s -> %s:%u, %zu + %zu bytes%s\n", i + 1, line, s.ex[i].host,
               (unsigned)s.ex[i].port, s.ex[i].req_len, s.ex[i].resp_len,
               s.ex[i].closed ? ", server closed" : "");
    }
    return 0;
}

int main(int argc, char **argv)
{
    static mcu_flow flow;
    static rec_conn conns[MCU_CONNECTIONS];
    fc_transport transports[MCU_CONNECTIONS];
    const char *base = getenv("FLUIDCLOUD_BASE_URL");
    const char *key = getenv("FLUIDCLOUD_API_KEY");
    fc_err r;
    int i;
    if (argc != 2 || base == NULL || key == NULL || strncmp(base, "http://", 7) != 0) {
        fprintf(stderr,
                "usage: FLUIDCLOUD_BASE_URL=http://... FLUIDCLOUD_API_KEY=... %s OUT_FILE\n",
                argv[0]);
        return 2;
    }
    for (i = 0; i < MCU_CONNECTIONS; i++) {
        conns[i].rec = &g_rec;
        fc_posix_transport_init(&conns[i].tcp, &conns[i].inner);
        transports[i].ops = &rec_ops;
        transports[i].ctx = &conns[i];
    }
    mcu_flow_prepare(&flow);
    r = mcu_flow_start(&flow, base, key, transports, fc_posix_system());
    if (r == FC_AGAIN) {
        r = fc_run(&flow.client, fc_posix_wait_fn, NULL);
    }
    if (r != FC_OK) {
        const fc_error_info *e = fc_client_error(&flow.client);
        fprintf(stderr, "FAIL: upload against the emulator: %s (step %s, HTTP %d, %s)\n",
                fc_err_str(r), e->step, e->http_status, e->detail);
        return 1;
    }
    fc_client_close(&flow.client); /* close with nothing in flight: no half exchange */
    if (g_rec.overflow) {
        fprintf(stderr, "FAIL: the recording overflowed (%u exchanges, %zu bytes)\n", g_rec.count,
                g_rec.used);
        return 1;
    }
    if (write_script(argv[1], base, key, flow.up.link) != 0 || check_script(argv[1]) != 0) {
        return 1;
    }
    printf("recorded %u exchanges (%zu bytes), link %s\n", g_rec.count, g_rec.used, flow.up.link);
    return 0;
}
