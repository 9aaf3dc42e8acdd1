/* SPDX-License-Identifier: MIT */
/*
 * fc_retry.c - which failed attempts are repeated, and when.
 *
 * 429 is always repeated (the server did not act on the request). 5xx,
 * timeouts and broken connections are repeated only when a repeat is safe:
 * the request is idempotent (GET, DELETE, a PUT whose source can seek back),
 * or nothing of it was sent yet. A POST that may have been processed is
 * never sent twice. The delay is max(Retry-After, full-jitter backoff);
 * it is a timer state of the machine, never a sleep.
 */
#include "fc_engine.h"

static int fc_is_connection_failure(fc_err e)
{
    return e == FC_ERR_DNS || e == FC_ERR_CONNECT || e == FC_ERR_TRANSPORT || e == FC_ERR_CLOSED ||
           e == FC_ERR_TLS || e == FC_ERR_TIMEOUT || e == FC_ERR_PROTOCOL;
}

static int fc_repeat_is_safe(const fc_client *c)
{
    const fc_client_private *p = &c->priv;
    if (p->resp.to_sink && p->resp.body_seen > 0) {
        return 0; /* the sink already has part of this body */
    }
    if (p->req.source != NULL && p->source_pulled && p->req.source->seek == NULL) {
        return 0; /* the body was read and cannot be read again */
    }
    return (p->req.flags & FC_REQ_IDEMPOTENT) || !p->sent_any;
}

static int fc_should_retry(const fc_client *c, fc_err e)
{
    /* Whatever the status, a wait longer than the cap is not waited for:
     * the caller sees the Retry-After asked for and decides. */
    if (c->priv.error.retry_after_s > c->cfg.retry.retry_after_max_s) {
        return 0;
    }
    if (e == FC_ERR_RATE_LIMITED) {
        return 1;
    }
    if (e == FC_ERR_SERVER) {
        return (c->priv.req.flags & FC_REQ_IDEMPOTENT) != 0;
    }
    return fc_is_connection_failure(e) && fc_repeat_is_safe(c);
}

static uint32_t fc_backoff_ms(const fc_client *c)
{
    uint32_t ceiling = c->cfg.retry.base_ms;
    unsigned n;
    for (n = 1; n < c->priv.attempt && ceiling < c->cfg.retry.cap_ms; n++) {
        ceiling *= 2u;
    }
    if (ceiling > c->cfg.retry.cap_ms) {
        ceiling = c->cfg.retry.cap_ms;
    }
    if (ceiling == 0u) {
        return 0u;
    }
    return c->cfg.system.random(c->cfg.system.ctx) % (ceiling + 1u);
}

fc_err fc_retry_schedule(fc_client *c, fc_err result)
{
    uint32_t delay;
    uint32_t after_ms;
    uint32_t at;
    if (c->priv.attempt >= c->cfg.retry.max_attempts || !fc_should_retry(c, result)) {
        return result;
    }
    delay = fc_backoff_ms(c);
    /* At most retry_after_max_s (fc_should_retry): no overflow. */
    after_ms = c->priv.error.retry_after_s * 1000u;
    if (after_ms > delay) {
        delay = after_ms;
    }
    at = fc_now(c) + delay;
    if (fc_op_deadline_passed(c, at)) {
        return result; /* the retry could not start in time anyway */
    }
    fc_state_set(c, FC_ST_RETRY_WAIT);
    c->priv.stats.retries++;
    c->priv.deadline_ms = at;
    return FC_AGAIN;
}
