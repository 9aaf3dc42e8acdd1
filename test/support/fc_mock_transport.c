/* fc_mock_transport.c - see fc_mock_transport.h. */
#include "fc_mock_transport.h"

#include <stdarg.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

void fc_mock_init(fc_mock *m)
{
    memset(m, 0, sizeof *m);
    m->awaiting_request = 1;
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
        return FC_ERR_CONNECT;
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
    }
    m->awaiting_request = 0;
    if (m->sent_len + len <= sizeof m->sent) {
        memcpy(m->sent + m->sent_len, data, len);
    }
    m->sent_len += len;
    *sent = len;
    return FC_OK;
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

static const fc_transport_ops k_mock_ops = {
    mock_connect, mock_connect_poll, NULL, mock_send, mock_recv, mock_close,
    mock_wait_events, NULL,
};

static const fc_transport_ops k_mock_tls_ops = {
    mock_connect, mock_connect_poll, mock_handshake, mock_send, mock_recv,
    mock_close, mock_wait_events, NULL,
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
