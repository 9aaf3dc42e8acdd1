/* SPDX-License-Identifier: MIT */
/*
 * port_kit_mutants.c - the kit's own test: transports that each break one
 * rule of fc_port.h, as real ports have, built as a layer over a correct
 * transport. port_kit_host runs the kit on every mutant and requires the
 * named check to fail (and the kit to say so), so no check passes by
 * construction.
 */
#include "port_kit_mutants.h"

#include <string.h>

static fc_err m_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    kit_mutant *m = ctx;
    m->after_again = 0;
    if (m->kind == MUTANT_PLAIN_ACCEPTS_TLS) {
        use_tls = 0; /* a plain stream that ignores the request for TLS */
    }
    return m->inner.ops->connect(m->inner.ctx, host, port, use_tls);
}

static fc_err m_connect_poll(void *ctx)
{
    kit_mutant *m = ctx;
    fc_err e = m->inner.ops->connect_poll(m->inner.ctx);
    if (m->kind == MUTANT_REFUSED_AS_TIMEOUT && e == FC_ERR_CONNECT) {
        return FC_ERR_TIMEOUT;
    }
    return e;
}

static fc_err m_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    kit_mutant *m = ctx;
    fc_err e;
    if (m->kind == MUTANT_RETRY_LOSES_DATA && m->after_again) {
        m->after_again = 0;
        *sent = len; /* "took" the retried bytes without sending them */
        return FC_OK;
    }
    e = m->inner.ops->send(m->inner.ctx, data, len, sent);
    m->after_again = e == FC_AGAIN;
    if (m->kind == MUTANT_SENT_TOO_MUCH && e == FC_OK) {
        *sent = len + 1;
    }
    return e;
}

/* MUTANT_STALE_AFTER_CLOSE reads ahead into its own buffer and forgets to
 * empty it on close; the others pass recv through with one change. */
static fc_err m_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    kit_mutant *m = ctx;
    fc_err e;
    if (m->kind == MUTANT_STALE_AFTER_CLOSE) {
        if (m->ahead_len == 0) {
            e = m->inner.ops->recv(m->inner.ctx, m->ahead, sizeof m->ahead, &m->ahead_len);
            if (e != FC_OK) {
                m->ahead_len = 0;
                return e;
            }
            m->ahead_at = 0;
        }
        *got = m->ahead_len < cap ? m->ahead_len : cap;
        memcpy(buf, m->ahead + m->ahead_at, *got);
        m->ahead_at += *got;
        m->ahead_len -= *got;
        return FC_OK;
    }
    e = m->inner.ops->recv(m->inner.ctx, buf, cap, got);
    if (m->kind == MUTANT_EOF_AS_EMPTY_READ && e == FC_ERR_CLOSED) {
        *got = 0;
        return FC_OK; /* coreHTTP's "0 bytes" */
    }
    if (m->kind == MUTANT_RESET_AS_EOF && e == FC_ERR_TRANSPORT) {
        return FC_ERR_CLOSED;
    }
    return e;
}

static void m_close(void *ctx)
{
    kit_mutant *m = ctx;
    if (m->inner.ops->pollable_fd != NULL) {
        m->last_fd = m->inner.ops->pollable_fd(m->inner.ctx);
    }
    m->inner.ops->close(m->inner.ctx);
}

static unsigned m_wait_events(void *ctx)
{
    kit_mutant *m = ctx;
    unsigned ev = m->inner.ops->wait_events(m->inner.ctx);
    if (m->kind == MUTANT_WAIT_SWAPPED) {
        return ev ^ (FC_WAIT_READ | FC_WAIT_WRITE);
    }
    return ev;
}

static int m_pollable_fd(void *ctx)
{
    kit_mutant *m = ctx;
    int fd = m->inner.ops->pollable_fd(m->inner.ctx);
    if (m->kind == MUTANT_FD_AFTER_CLOSE && fd < 0) {
        return m->last_fd; /* a stale descriptor */
    }
    return fd;
}

static const fc_transport_ops k_mutant_ops = {
    .connect = m_connect,
    .connect_poll = m_connect_poll,
    .handshake = NULL,
    .send = m_send,
    .recv = m_recv,
    .close = m_close,
    .wait_events = m_wait_events,
    .pollable_fd = m_pollable_fd,
};

const kit_mutant_case k_mutant_cases[MUTANT_COUNT] = {
    {MUTANT_EOF_AS_EMPTY_READ, "EOF as FC_OK with 0 bytes", "eof_after_data"},
    {MUTANT_RESET_AS_EOF, "a reset reported as a clean EOF", "reset"},
    {MUTANT_WAIT_SWAPPED, "wait_events() names the wrong event", "recv_would_block"},
    {MUTANT_RETRY_LOSES_DATA, "the retry after FC_AGAIN drops its bytes", "backpressure"},
    {MUTANT_SENT_TOO_MUCH, "*sent larger than len", "connect_echo"},
    {MUTANT_STALE_AFTER_CLOSE, "read-ahead kept across close()", "close_with_unread"},
    {MUTANT_FD_AFTER_CLOSE, "pollable_fd() stale after close()", "connect_echo"},
    {MUTANT_REFUSED_AS_TIMEOUT, "a refused connect reported as a timeout", "refused"},
    {MUTANT_PLAIN_ACCEPTS_TLS, "a plain stream that accepts use_tls", "use_tls_flag"},
};

void kit_mutant_init(kit_mutant *m, kit_mutant_kind kind, const fc_transport *inner,
                     fc_transport *t)
{
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->inner = *inner;
    m->last_fd = -1;
    t->ops = &k_mutant_ops;
    t->ctx = m;
}
