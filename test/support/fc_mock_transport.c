/* SPDX-License-Identifier: MIT */
/* fc_mock_transport.c - see fc_mock_transport.h. */
#include "fc_mock_transport.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

#include "fluidcloud/fc_sha256.h"

#ifndef FC_WIRE_DIR
#error "FC_WIRE_DIR must name the directory of the wire records (test/unit/wire)"
#endif

/* ---- the wire record (see fc_wire_check) ------------------------------- */

static struct {
    int started;
    fc_sha256 hash;
    uint64_t bytes; /* bytes sent, markers not counted */
    unsigned mocks; /* fc_mock_init calls */
    FILE *dump;
} g_wire;

static void wire_add(const void *data, size_t len)
{
    if (!g_wire.started) {
        const char *dump = getenv("FC_WIRE_DUMP");
        fc_sha256_init(&g_wire.hash);
        g_wire.started = 1;
        if (dump != NULL && dump[0] != '\0') {
            g_wire.dump = fopen(dump, "wb");
            assert_non_null(g_wire.dump);
        }
    }
    fc_sha256_update(&g_wire.hash, data, len);
    if (g_wire.dump != NULL) {
        assert_int_equal(fwrite(data, 1, len, g_wire.dump), len);
    }
}

int fc_wire_check(const char *name)
{
    char path[512], line[160], want[160];
    uint8_t digest[32];
    char hex[65];
    const char *update = getenv("FC_WIRE_UPDATE");
    FILE *f;
    wire_add("", 0); /* a program that sent nothing still has a record */
    fc_sha256_final(&g_wire.hash, digest);
    fc_sha256_hex(digest, hex);
    if (g_wire.dump != NULL) {
        fclose(g_wire.dump);
    }
    snprintf(line, sizeof line, "%s  %llu bytes sent through %u scripted mocks\n", hex,
             (unsigned long long)g_wire.bytes, g_wire.mocks);
    snprintf(path, sizeof path, "%s/%s.sha256", FC_WIRE_DIR, name);
    if (update != NULL && strcmp(update, "1") == 0) {
        f = fopen(path, "w");
        if (f == NULL || fputs(line, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "wire: cannot write %s\n", path);
            return 1;
        }
        printf("wire: wrote %s: %s", path, line);
        return 0;
    }
    f = fopen(path, "r");
    if (f == NULL || fgets(want, sizeof want, f) == NULL) {
        fprintf(stderr, "wire: no record %s (FC_WIRE_UPDATE=1 writes it)\n", path);
        if (f != NULL) {
            fclose(f);
        }
        return 1;
    }
    fclose(f);
    if (strcmp(line, want) != 0) {
        fprintf(stderr,
                "wire: the bytes sent differ from %s\n  recorded: %s  now:      %s"
                "  FC_WIRE_DUMP=<file> writes them for a diff against the old code;"
                " FC_WIRE_UPDATE=1 accepts a deliberate change.\n",
                path, want, line);
        return 1;
    }
    printf("wire: identical to %s: %s", path, line);
    return 0;
}

/* ---- the scripted transport ---------------------------------------------- */

void fc_mock_init(fc_mock *m)
{
    static const char k_marker[] = "\n#fc_mock_init\n";
    int i;
    memset(m, 0, sizeof *m);
    m->awaiting_request = 1;
    for (i = 0; i < FC_MOCK_MAX_EXCHANGES; i++) {
        m->req_off[i] = SIZE_MAX;
    }
    wire_add(k_marker, sizeof k_marker - 1);
    g_wire.mocks++;
}

fc_mock_exchange *fc_mock_add(fc_mock *m, const char *response)
{
    fc_mock_exchange *e = &m->ex[m->count++];
    assert_true(m->count <= FC_MOCK_MAX_EXCHANGES);
    memset(e, 0, sizeof *e);
    e->response = response;
    e->response_len = response ? strlen(response) : 0;
    e->eof_at = -1;
    e->reset_at = -1;
    return e;
}

static fc_mock_exchange *fc_mock_cur(fc_mock *m)
{
    return m->current < m->count ? &m->ex[m->current] : NULL;
}

/* Alternate would-block with progress when the mock is told to. */
static int fc_mock_blocks(fc_mock *m, unsigned wait)
{
    if (!m->would_block) {
        return 0;
    }
    m->blocked_last = !m->blocked_last;
    if (m->blocked_last) {
        m->last_wait = wait;
        return 1;
    }
    return 0;
}

static fc_err mock_connect(void *ctx, const char *host, uint16_t port, int tls)
{
    fc_mock *m = ctx;
    fc_mock_exchange *e = fc_mock_cur(m);
    (void)host;
    (void)port;
    (void)tls;
    m->connects++;
    if (e != NULL && e->connect_fail) {
        m->current++;
        return e->connect_error != FC_OK ? e->connect_error : FC_ERR_CONNECT;
    }
    m->connected = 1;
    m->awaiting_request = 1;
    m->delivered = 0;
    m->last_wait = FC_WAIT_WRITE;
    return FC_AGAIN;
}

static fc_err mock_connect_poll(void *ctx)
{
    fc_mock *m = ctx;
    return fc_mock_blocks(m, FC_WAIT_WRITE) ? FC_AGAIN : FC_OK;
}

static fc_err mock_handshake(void *ctx)
{
    fc_mock *m = ctx;
    if (fc_mock_blocks(m, FC_WAIT_READ)) {
        return FC_AGAIN;
    }
    m->handshakes++;
    return FC_OK;
}

static fc_err mock_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    fc_mock *m = ctx;
    if (!m->connected) {
        return FC_ERR_TRANSPORT;
    }
    if (fc_mock_blocks(m, FC_WAIT_WRITE)) {
        return FC_AGAIN;
    }
    if (m->chunk != 0 && len > m->chunk) {
        len = m->chunk;
    }
    if (m->awaiting_request == 0 && fc_mock_cur(m) != NULL &&
        m->delivered == fc_mock_cur(m)->response_len) {
        m->current++; /* a new request on a kept-alive connection */
        m->delivered = 0;
        m->awaiting_request = 1;
    }
    if (m->awaiting_request && m->current < FC_MOCK_MAX_EXCHANGES &&
        m->req_off[m->current] == SIZE_MAX) {
        m->req_off[m->current] = m->sent_len;
    }
    m->awaiting_request = 0;
    if (m->sent_len + len <= sizeof m->sent) {
        memcpy(m->sent + m->sent_len, data, len);
    }
    m->sent_len += len;
    wire_add(data, len);
    g_wire.bytes += len;
    m->sends++;
    *sent = len;
    return FC_OK;
}

const char *fc_mock_request(const fc_mock *m, int i, size_t *len)
{
    static char copy[FC_MOCK_SENT_MAX + 1];
    size_t start, end = m->sent_len;
    int j;
    if (i < 0 || i >= FC_MOCK_MAX_EXCHANGES || m->req_off[i] == SIZE_MAX) {
        return NULL;
    }
    start = m->req_off[i];
    for (j = i + 1; j < FC_MOCK_MAX_EXCHANGES; j++) {
        if (m->req_off[j] != SIZE_MAX) {
            end = m->req_off[j];
            break;
        }
    }
    assert_true(end <= sizeof m->sent);
    memcpy(copy, m->sent + start, end - start);
    copy[end - start] = '\0';
    if (len != NULL) {
        *len = end - start;
    }
    return copy;
}

static fc_err mock_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fc_mock *m = ctx;
    fc_mock_exchange *e = fc_mock_cur(m);
    size_t n;
    if (!m->connected) {
        return FC_ERR_TRANSPORT;
    }
    if (e == NULL || m->awaiting_request || e->stall) {
        m->last_wait = FC_WAIT_READ;
        return FC_AGAIN;
    }
    if (fc_mock_blocks(m, FC_WAIT_READ)) {
        return FC_AGAIN;
    }
    if (e->reset_at >= 0 && m->delivered >= (size_t)e->reset_at) {
        return FC_ERR_TRANSPORT;
    }
    if (e->eof_at >= 0 && m->delivered >= (size_t)e->eof_at) {
        return FC_ERR_CLOSED;
    }
    if (m->delivered == e->response_len) {
        if (e->close_after) {
            return FC_ERR_CLOSED;
        }
        m->last_wait = FC_WAIT_READ;
        return FC_AGAIN;
    }
    n = e->response_len - m->delivered;
    if (m->chunk != 0 && n > m->chunk) {
        n = m->chunk;
    }
    if (e->drip_ms != 0 && m->clock != NULL) {
        /* A slow server: one byte, then nothing until drip_ms passed. */
        if (m->delivered > 0 && m->clock->now - m->dripped_at < e->drip_ms) {
            m->last_wait = FC_WAIT_READ;
            return FC_AGAIN;
        }
        m->dripped_at = m->clock->now;
        n = 1;
    }
    if (n > cap) {
        n = cap;
    }
    if (e->eof_at >= 0 && m->delivered + n > (size_t)e->eof_at) {
        n = (size_t)e->eof_at - m->delivered;
    }
    if (e->reset_at >= 0 && m->delivered + n > (size_t)e->reset_at) {
        n = (size_t)e->reset_at - m->delivered;
    }
    if (n == 0) {
        return e->reset_at >= 0 ? FC_ERR_TRANSPORT : FC_ERR_CLOSED;
    }
    memcpy(buf, e->response + m->delivered, n);
    m->delivered += n;
    *got = n;
    return FC_OK;
}

static void mock_close(void *ctx)
{
    fc_mock *m = ctx;
    fc_mock_exchange *e = fc_mock_cur(m);
    if (m->connected) {
        m->closes++;
        /* A closed connection ends its exchange; the next one starts anew. */
        if (e != NULL && (m->delivered > 0 || !m->awaiting_request)) {
            m->current++;
        }
    }
    m->connected = 0;
    m->delivered = 0;
    m->awaiting_request = 1;
}

static unsigned mock_wait_events(void *ctx)
{
    return ((fc_mock *)ctx)->last_wait;
}

static void mock_more_follows(void *ctx, int more)
{
    fc_mock *m = ctx;
    size_t n = strlen(m->more_calls);
    if (n + 1 < sizeof m->more_calls) {
        m->more_calls[n] = more ? '1' : '0';
    }
}

static const fc_transport_ops k_mock_ops = {
    .connect = mock_connect,
    .connect_poll = mock_connect_poll,
    .send = mock_send,
    .recv = mock_recv,
    .close = mock_close,
    .wait_events = mock_wait_events,
    .more_follows = mock_more_follows,
};

static unsigned mock_handshake_kind(void *ctx)
{
    return ((fc_mock *)ctx)->resumed ? FC_HANDSHAKE_RESUMED : FC_HANDSHAKE_FULL;
}

static const fc_transport_ops k_mock_tls_ops = {
    .connect = mock_connect,
    .connect_poll = mock_connect_poll,
    .handshake = mock_handshake,
    .send = mock_send,
    .recv = mock_recv,
    .close = mock_close,
    .wait_events = mock_wait_events,
    .handshake_kind = mock_handshake_kind,
    .more_follows = mock_more_follows,
};

void fc_mock_transport(fc_mock *m, fc_transport *t)
{
    t->ops = m->tls_handshake ? &k_mock_tls_ops : &k_mock_ops;
    t->ctx = m;
}

static uint32_t fake_now(void *ctx)
{
    return ((fc_fake_clock *)ctx)->now;
}

static uint32_t fake_random(void *ctx)
{
    fc_fake_clock *clk = ctx;
    clk->seed = clk->seed * 1103515245u + 12345u;
    return clk->seed >> 8;
}

fc_system fc_fake_system(fc_fake_clock *clk)
{
    fc_system s;
    s.now_ms = fake_now;
    s.random = fake_random;
    s.ctx = clk;
    return s;
}

fc_err fc_mock_run(fc_client *c, fc_fake_clock *clk, int max_polls, int *polls)
{
    int i;
    for (i = 0; i < max_polls; i++) {
        fc_wait w;
        fc_err r = fc_poll(c);
        if (r != FC_AGAIN) {
            if (polls != NULL) {
                *polls = i + 1;
            }
            return r;
        }
        fc_client_wait(c, &w);
        /* "Sleep": jump to the deadline when nothing else can wake us. */
        if (w.events == 0 || w.timeout_ms < 5u) {
            clk->now += w.timeout_ms == UINT32_MAX ? 1u : w.timeout_ms;
        } else {
            clk->now += 1u;
        }
    }
    fail_msg("operation did not end within %d polls", max_polls);
    return FC_ERR_TIMEOUT;
}
