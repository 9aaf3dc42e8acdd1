/* SPDX-License-Identifier: MIT */
/*
 * fc_lwip_transport.c - the fc_transport contract over lwIP's raw/altcp
 * callback API. lwIP pushes events into callbacks; the core pulls through
 * send/recv. The callbacks therefore only record what happened (state,
 * queued pbufs, error) and the ops turn that record into FC_OK / FC_AGAIN /
 * FC_ERR_*. Nothing here allocates: the pbufs and PCBs are lwIP's own.
 *
 * The altcp_* names map to tcp_* when LWIP_ALTCP is 0, so one source
 * serves both configurations.
 */
#include "fluidcloud/fc_lwip.h"

#include <string.h>

#include "lwip/altcp.h"
#include "lwip/err.h"
#include "lwip/tcp.h"
#if LWIP_DNS
#include "lwip/dns.h"
#endif
#if !NO_SYS
#include "lwip/tcpip.h"
#endif

/* Raw API calls must be serialised with the stack (see fc_lwip.h). */
#ifndef FC_LWIP_LOCK
#if !NO_SYS && LWIP_TCPIP_CORE_LOCKING
#define FC_LWIP_LOCK()   LOCK_TCPIP_CORE()
#define FC_LWIP_UNLOCK() UNLOCK_TCPIP_CORE()
#else
#define FC_LWIP_LOCK()   ((void)0)
#define FC_LWIP_UNLOCK() ((void)0)
#endif
#endif

/* pbuf lengths and tcp_recved() take 16-bit counts. */
#define FC_LWIP_CHUNK_MAX 0xFFFFu

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ---- lwIP callbacks: record only, never call back into the core ------- */

static err_t on_connected(void *arg, struct altcp_pcb *pcb, err_t err)
{
    fc_lwip_conn *c = (fc_lwip_conn *)arg;
    (void)pcb;
    /* lwIP 2.x always passes ERR_OK here; failures arrive via on_error. */
    if (c != NULL && err == ERR_OK) {
        c->state = FC_LWIP_CONNECTED;
    }
    return ERR_OK;
}

static err_t on_recv(void *arg, struct altcp_pcb *pcb, struct pbuf *p, err_t err)
{
    fc_lwip_conn *c = (fc_lwip_conn *)arg;
    (void)pcb;
    if (p == NULL) {
        /* FIN: report EOF only after the queued bytes were read. */
        if (c != NULL) {
            c->peer_closed = 1;
        }
        return ERR_OK;
    }
    if (c == NULL || err != ERR_OK) {
        pbuf_free(p);
        return ERR_OK;
    }
    /* Keep the window closed until the core reads: tcp_recved() is called
     * from recv, so lwIP never queues more than TCP_WND for us. */
    c->rx_len += p->tot_len;
    if (c->rx == NULL) {
        c->rx = p;
    } else {
        pbuf_cat(c->rx, p);
    }
    return ERR_OK;
}

static void on_error(void *arg, err_t err)
{
    fc_lwip_conn *c = (fc_lwip_conn *)arg;
    if (c == NULL) {
        return;
    }
    /* lwIP has already freed the PCB; it must not be touched again. */
    c->pcb = NULL;
    c->err = (uint8_t)(c->state == FC_LWIP_CONNECTING ? FC_ERR_CONNECT : FC_ERR_TRANSPORT);
    c->state = FC_LWIP_FAILED;
    (void)err;
}

#if LWIP_DNS
static void on_dns(const char *name, const ip_addr_t *addr, void *arg)
{
    fc_lwip_conn *c = (fc_lwip_conn *)arg;
    /* A DNS query cannot be cancelled: ignore answers for a connection
     * that was closed or re-aimed at another host meanwhile. */
    if (c == NULL || c->state != FC_LWIP_RESOLVING || strcmp(name, c->host) != 0) {
        return;
    }
    if (addr == NULL) {
        c->err = (uint8_t)FC_ERR_DNS;
        c->state = FC_LWIP_FAILED;
        return;
    }
    ip_addr_copy(c->addr, *addr);
    c->state = FC_LWIP_RESOLVED;
}
#endif

/* ---- helpers (called with the lock held) ------------------------------- */

static void drop_rx(fc_lwip_conn *c)
{
    if (c->rx != NULL) {
        pbuf_free(c->rx);
    }
    c->rx = NULL;
    c->rx_len = 0;
}

static void release_pcb(fc_lwip_conn *c)
{
    struct altcp_pcb *pcb = c->pcb;
    if (pcb == NULL) {
        return;
    }
    c->pcb = NULL;
    /* Detach first: tcp_abort() would call on_error, and late segments
     * must go to lwIP's default handler, not into a reset conn. */
    altcp_arg(pcb, NULL);
    altcp_recv(pcb, NULL);
    altcp_err(pcb, NULL);
    if (altcp_close(pcb) != ERR_OK) {
        altcp_abort(pcb); /* close only fails on ERR_MEM */
    }
}

static void reset(fc_lwip_conn *c)
{
    release_pcb(c);
    drop_rx(c);
    c->state = FC_LWIP_IDLE;
    c->peer_closed = 0;
    c->err = (uint8_t)FC_OK;
    c->wait = 0;
}

static fc_err fail(fc_lwip_conn *c, fc_err err)
{
    release_pcb(c);
    c->err = (uint8_t)err;
    c->state = FC_LWIP_FAILED;
    return err;
}

static fc_err start_tcp(fc_lwip_conn *c)
{
    struct altcp_pcb *pcb = altcp_new_ip_type(NULL, IP_GET_TYPE(&c->addr));
    if (pcb == NULL) {
        return fail(c, FC_ERR_CONNECT); /* lwIP's PCB pool is exhausted */
    }
    c->pcb = pcb;
    /* The core writes a request as a head, then body pieces, and reads the
     * answer before it writes again: Nagle would hold each small segment
     * until the previous one is acknowledged (a delayed ACK, up to
     * 200-500 ms, on the server). */
    altcp_nagle_disable(pcb);
    altcp_arg(pcb, c);
    altcp_recv(pcb, on_recv);
    altcp_err(pcb, on_error);
    c->state = FC_LWIP_CONNECTING;
    if (altcp_connect(pcb, &c->addr, c->port, on_connected) != ERR_OK) {
        return fail(c, FC_ERR_CONNECT);
    }
    c->wait = FC_WAIT_WRITE;
    return FC_AGAIN;
}

/* Resolve host: FC_OK with c->addr set, FC_AGAIN while DNS runs. */
static fc_err resolve(fc_lwip_conn *c, const char *host)
{
    if (ipaddr_aton(host, &c->addr)) {
        return FC_OK;
    }
#if LWIP_DNS
    {
        err_t e = dns_gethostbyname(host, &c->addr, on_dns, c);
        if (e == ERR_OK) {
            return FC_OK;
        }
        if (e == ERR_INPROGRESS) {
            c->state = FC_LWIP_RESOLVING;
            c->wait = FC_WAIT_READ;
            return FC_AGAIN;
        }
    }
#endif
    return fail(c, FC_ERR_DNS);
}

/* ---- the ops ------------------------------------------------------------ */

fc_err fc_lwip_conn_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    fc_lwip_conn *c = (fc_lwip_conn *)ctx;
    size_t n;
    fc_err r;
    if (c == NULL || host == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    if (use_tls) {
        return FC_ERR_TLS; /* TLS is the mbedtls decorator's job */
    }
    n = strlen(host);
    if (n >= sizeof c->host) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    FC_LWIP_LOCK();
    reset(c);
    memcpy(c->host, host, n + 1);
    c->port = port;
    r = resolve(c, host);
    if (r == FC_OK) {
        r = start_tcp(c);
    }
    FC_LWIP_UNLOCK();
    return r;
}

static fc_err connect_step(fc_lwip_conn *c)
{
    switch ((fc_lwip_state)c->state) {
    case FC_LWIP_CONNECTED: return FC_OK;
    case FC_LWIP_RESOLVED: return start_tcp(c);
    case FC_LWIP_RESOLVING:
    case FC_LWIP_CONNECTING: return FC_AGAIN; /* c->wait was set when the step started */
    case FC_LWIP_FAILED: return (fc_err)c->err;
    case FC_LWIP_IDLE:
    default: return FC_ERR_INVALID_ARG; /* connect() was not called */
    }
}

fc_err fc_lwip_conn_connect_poll(void *ctx)
{
    fc_lwip_conn *c = (fc_lwip_conn *)ctx;
    fc_err r;
    if (c == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    FC_LWIP_LOCK();
    r = connect_step(c);
    FC_LWIP_UNLOCK();
    return r;
}

/* Queue what lwIP's send buffer takes now; FC_AGAIN when it takes nothing. */
static fc_err send_locked(fc_lwip_conn *c, const uint8_t *data, size_t len, size_t *sent)
{
    size_t n;
    err_t e;
    if (c->state == FC_LWIP_FAILED) {
        return (fc_err)c->err;
    }
    if (c->state != FC_LWIP_CONNECTED || c->pcb == NULL) {
        return FC_ERR_TRANSPORT;
    }
    n = min_size(min_size(len, altcp_sndbuf(c->pcb)), FC_LWIP_CHUNK_MAX);
    if (n == 0) {
        c->wait = FC_WAIT_WRITE;
        return FC_AGAIN;
    }
    /* COPY: the core reuses its buffer as soon as send returns. */
    e = altcp_write(c->pcb, data, (u16_t)n, TCP_WRITE_FLAG_COPY);
    if (e == ERR_MEM) {
        /* Segment queue full until ACKs free it. */
        c->wait = FC_WAIT_WRITE;
        return FC_AGAIN;
    }
    if (e != ERR_OK) {
        return fail(c, FC_ERR_TRANSPORT);
    }
    (void)altcp_output(c->pcb);
    *sent = n;
    return FC_OK;
}

fc_err fc_lwip_conn_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    fc_lwip_conn *c = (fc_lwip_conn *)ctx;
    fc_err r;
    if (c == NULL || data == NULL || len == 0 || sent == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    *sent = 0;
    FC_LWIP_LOCK();
    r = send_locked(c, data, len, sent);
    FC_LWIP_UNLOCK();
    return r;
}

/* Copy out of the queued chain, free what was read, reopen the window. */
static size_t take_rx(fc_lwip_conn *c, uint8_t *buf, size_t cap)
{
    u16_t n = pbuf_copy_partial(c->rx, buf, (u16_t)min_size(cap, FC_LWIP_CHUNK_MAX), 0);
    c->rx = pbuf_free_header(c->rx, n);
    c->rx_len -= n;
    if (c->pcb != NULL) {
        altcp_recved(c->pcb, n);
    }
    return n;
}

static fc_err recv_locked(fc_lwip_conn *c, uint8_t *buf, size_t cap, size_t *got)
{
    if (c->rx != NULL) {
        *got = take_rx(c, buf, cap);
        return FC_OK;
    }
    /* Buffered data went out first; now report why nothing more comes. */
    if (c->state == FC_LWIP_FAILED) {
        return (fc_err)c->err;
    }
    if (c->peer_closed) {
        return FC_ERR_CLOSED;
    }
    if (c->state != FC_LWIP_CONNECTED) {
        return FC_ERR_TRANSPORT;
    }
    c->wait = FC_WAIT_READ;
    return FC_AGAIN;
}

fc_err fc_lwip_conn_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fc_lwip_conn *c = (fc_lwip_conn *)ctx;
    fc_err r;
    if (c == NULL || buf == NULL || cap == 0 || got == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    *got = 0;
    FC_LWIP_LOCK();
    r = recv_locked(c, buf, cap, got);
    FC_LWIP_UNLOCK();
    return r;
}

void fc_lwip_conn_close(void *ctx)
{
    fc_lwip_conn *c = (fc_lwip_conn *)ctx;
    if (c == NULL) {
        return;
    }
    FC_LWIP_LOCK();
    reset(c);
    FC_LWIP_UNLOCK();
}

unsigned fc_lwip_conn_wait_events(void *ctx)
{
    const fc_lwip_conn *c = (const fc_lwip_conn *)ctx;
    return c != NULL ? c->wait : 0u;
}

/* lwIP has no descriptor a host loop could poll(). */
static int no_fd(void *ctx)
{
    (void)ctx;
    return -1;
}

/* No .handshake: plain TCP (port/mbedtls layers TLS over it). */
const fc_transport_ops fc_lwip_transport_ops = {
    .connect = fc_lwip_conn_connect,
    .connect_poll = fc_lwip_conn_connect_poll,
    .send = fc_lwip_conn_send,
    .recv = fc_lwip_conn_recv,
    .close = fc_lwip_conn_close,
    .wait_events = fc_lwip_conn_wait_events,
    .pollable_fd = no_fd,
};

void fc_lwip_init(fc_lwip_conn *conn, fc_transport *t)
{
    if (conn == NULL) {
        return;
    }
    memset(conn, 0, sizeof *conn);
    if (t != NULL) {
        t->ops = &fc_lwip_transport_ops;
        t->ctx = conn;
    }
}
