/* SPDX-License-Identifier: MIT */
/*
 * fc_conn.c - keep-alive connection slots, one per (scheme, host, port).
 *
 * A slot is reused only when its last response was read whole (the slot is
 * then OPEN) and a probe read shows the server has not closed it meanwhile;
 * anything else closes it and connects afresh. With every slot busy the
 * least recently used one is closed for the new host.
 *
 * The slot's host[] is the one copy of the name the core keeps: the URLs a
 * request is built from are views into strings that may be gone by the
 * next request (a ticket's URLs in the I/O buffer are overwritten), and the
 * name is needed to match the next request to a kept connection and for
 * the Host header. A TLS port keeps its own copy for SNI and certificate
 * checks (mbedTLS's), which the core cannot share.
 */
#include "fc_engine.h"

#include <string.h>

fc_transport *fc_conn_transport(const fc_client *c)
{
    return &c->cfg.transports[c->priv.slot];
}

void fc_conn_close(fc_client *c, unsigned slot)
{
    fc_transport *t;
    if (slot >= c->cfg.transport_count) {
        return;
    }
    t = &c->cfg.transports[slot];
    if (c->priv.slots[slot].state != FC_CONN_CLOSED) {
        t->ops->close(t->ctx);
    }
    c->priv.slots[slot].state = FC_CONN_CLOSED;
}

/* A parsed host has no NUL (fc_url_parse admits 0x21..0x7E only), so when
 * its bytes match, s->host is as long exactly when a NUL follows them. */
static int fc_slot_matches(const fc_conn_slot *s, int tls, const char *host, size_t host_len,
                           uint16_t port)
{
    return s->tls == (uint8_t)tls && s->port == port && fc_ascii_ieq(s->host, host, host_len) &&
           s->host[host_len] == '\0';
}

/* An idle keep-alive connection must have nothing to read: data or EOF
 * there means the server closed it (or sent junk), so it is not reusable. */
static int fc_slot_still_open(fc_client *c, unsigned slot)
{
    fc_transport *t = &c->cfg.transports[slot];
    uint8_t probe;
    size_t got = 0;
    return t->ops->recv(t->ctx, &probe, 1, &got) == FC_AGAIN;
}

static unsigned fc_slot_victim(const fc_client *c)
{
    unsigned i;
    unsigned best = 0;
    uint32_t now = fc_now(c);
    for (i = 0; i < c->cfg.transport_count; i++) {
        if (c->priv.slots[i].state == FC_CONN_CLOSED) {
            return i;
        }
        if (now - c->priv.slots[i].last_used_ms > now - c->priv.slots[best].last_used_ms) {
            best = i;
        }
    }
    return best;
}

fc_err fc_conn_acquire(fc_client *c, const fc_url *u)
{
    int tls = u->tls;
    const char *host = u->host;
    size_t host_len = u->host_len;
    uint16_t port = u->port;
    unsigned i;
    fc_conn_slot *s;
    if (host_len >= FC_CONFIG_HOST_MAX) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    for (i = 0; i < c->cfg.transport_count; i++) {
        s = &c->priv.slots[i];
        if (s->state == FC_CONN_OPEN && fc_slot_matches(s, tls, host, host_len, port)) {
            if (fc_slot_still_open(c, i)) {
                c->priv.slot = (uint8_t)i;
                c->priv.reused = 1;
                return FC_OK;
            }
            fc_conn_close(c, i);
        }
    }
    i = fc_slot_victim(c);
    fc_conn_close(c, i);
    s = &c->priv.slots[i];
    memcpy(s->host, host, host_len);
    s->host[host_len] = '\0';
    s->tls = (uint8_t)tls;
    s->port = port;
    s->state = FC_CONN_CONNECTING;
    c->priv.slot = (uint8_t)i;
    c->priv.reused = 0;
    return FC_OK;
}
