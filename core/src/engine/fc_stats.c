/* SPDX-License-Identifier: MIT */
/*
 * fc_stats.c - what an operation cost on the wire (fc_client_stats): every
 * state change goes through fc_state_set, which charges the time spent in
 * the state it leaves to that state's phase.
 */
#include "fc_engine.h"

#include <string.h>

/* The phase a state's time counts to; NULL for states that cost nothing. */
static uint32_t *fc_phase_of(fc_client_private *p)
{
    fc_stats *s = &p->stats;
    switch (p->state) {
    case FC_ST_CONNECT:    return &s->ms_connect;
    case FC_ST_HANDSHAKE:  return &s->ms_tls;
    case FC_ST_SEND:
    case FC_ST_SEND_BODY:  return &s->ms_send;
    case FC_ST_RECV:       return p->first_byte_seen ? &s->ms_receive : &s->ms_first_byte;
    case FC_ST_RETRY_WAIT: return &s->ms_retry_wait;
    case FC_ST_TIMER:      return &s->ms_timer;
    default:               return NULL;
    }
}

void fc_stats_charge(fc_client *c)
{
    fc_client_private *p = &c->priv;
    uint32_t now = fc_now(c);
    uint32_t *phase = fc_phase_of(p);
    if (phase != NULL) {
        *phase += now - p->phase_started_ms;
    }
    p->phase_started_ms = now;
}

void fc_state_set(fc_client *c, uint8_t state)
{
    fc_stats_charge(c);
    c->priv.state = state;
}

void fc_stats_begin(fc_client *c)
{
    memset(&c->priv.stats, 0, sizeof c->priv.stats);
    c->priv.phase_started_ms = fc_now(c);
}

void fc_stats_handshake(fc_client *c, const fc_transport *t)
{
    unsigned kind = t->ops->handshake_kind != NULL ? t->ops->handshake_kind(t->ctx)
                                                   : FC_HANDSHAKE_FULL;
    if (kind == FC_HANDSHAKE_RESUMED) {
        c->priv.stats.tls_resumed++;
    } else if (kind == FC_HANDSHAKE_FULL) {
        c->priv.stats.tls_full++;
    }
}

const fc_stats *fc_client_stats(const fc_client *c)
{
    return &c->priv.stats;
}
