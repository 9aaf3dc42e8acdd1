/* SPDX-License-Identifier: MIT */
/*
 * fc_http.c - one HTTP/1.1 exchange as an explicit state machine:
 *
 *   connect -> handshake -> send (head + small JSON body)
 *           -> send body (streamed from the source) -> receive
 *
 * Every state has a deadline. An attempt ends in fc_attempt_end(), which
 * keeps or closes the connection, turns the status into an fc_err, asks
 * the retry policy for another attempt, and otherwise hands the result to
 * the operation (op.on_response).
 */
#include "fc_engine.h"
#include "fluidcloud/fc_contract.h"

#include <string.h>

static uint8_t *fc_work_buf(const fc_client *c)
{
    return c->cfg.io_buf + c->priv.reserved;
}

static size_t fc_work_cap(const fc_client *c)
{
    return c->cfg.io_buf_size - c->priv.reserved;
}

static void fc_set_deadline(fc_client *c, uint32_t ms)
{
    c->priv.has_deadline = (uint8_t)(ms != 0u);
    c->priv.deadline_ms = fc_now(c) + ms;
}

/* Move to a state of the exchange, which must progress within ms. */
static void fc_enter(fc_client *c, uint8_t state, uint32_t ms)
{
    fc_state_set(c, state);
    fc_set_deadline(c, ms);
}

static int fc_deadline_passed(const fc_client *c)
{
    return c->priv.has_deadline && fc_time_reached(fc_now(c), c->priv.deadline_ms);
}

/* ---- ending an attempt ---------------------------------------------------- */

static void fc_op_finish(fc_client *c, fc_err r)
{
    fc_state_set(c, FC_ST_DONE);
    c->priv.error.err = r; /* FC_OK after a retry that succeeded */
    if (r != FC_OK) {
        if (c->priv.error.step[0] == '\0' && c->priv.op.step != NULL) {
            fc_error_set_step(c, c->priv.op.step);
        }
    }
}

static void fc_op_continue(fc_client *c, fc_err r)
{
    if (r != FC_AGAIN) {
        fc_op_finish(c, r);
    }
}

/* The request cannot go on, and a retry would not help: close its
 * connection and end the operation with e. */
static fc_step fc_request_fail(fc_client *c, fc_err e)
{
    fc_conn_close(c, c->priv.slot);
    fc_op_finish(c, e);
    return FC_STEP_MOVED;
}

static void fc_keep_or_close(fc_client *c)
{
    fc_conn_slot *s = &c->priv.slots[c->priv.slot];
    if (c->priv.resp.keep_alive) {
        s->state = FC_CONN_OPEN;
        s->last_used_ms = fc_now(c);
    } else {
        fc_conn_close(c, c->priv.slot);
    }
}

/* result: FC_OK when a whole response arrived, else the transport error. */
static void fc_attempt_end(fc_client *c, fc_err result)
{
    const fc_conn_slot *s = &c->priv.slots[c->priv.slot];
    c->priv.error.attempts = c->priv.attempt;
    c->priv.error.host = s->host; /* the connection this attempt used */
    c->priv.error.port = s->port;
    if (result == FC_OK) {
        fc_keep_or_close(c);
        c->priv.error.http_status = c->priv.resp.status;
        result = fc_err_from_status(c->priv.resp.status);
        if (result != FC_OK) {
            fc_error_from_response(c, result);
        }
    } else {
        fc_conn_close(c, c->priv.slot);
        fc_error_forget_response(c); /* an earlier attempt's answer is not this failure's */
    }
    if (result != FC_OK) {
        FC_LOG(c, 1, fc_err_str(result));
    }
    if (result != FC_OK && fc_retry_schedule(c, result) == FC_AGAIN) {
        FC_LOG_RETRY(c, result, c->priv.deadline_ms - fc_now(c));
        return;
    }
    fc_state_set(c, FC_ST_IDLE);
    fc_op_continue(c, c->priv.op.on_response(c, result));
}

void fc_http_abort(fc_client *c)
{
    if (c->priv.state >= FC_ST_CONNECT) {
        fc_conn_close(c, c->priv.slot);
    }
}

void fc_http_time_out(fc_client *c)
{
    if (c->priv.state >= FC_ST_CONNECT) {
        /* It ended an attempt: the error is about that attempt, not an
         * earlier answer (the chaos test saw a PUT's 502 detail reported
         * with complete's time-out). A wait between attempts keeps the
         * answer it waits after. */
        c->priv.error.attempts = c->priv.attempt;
        fc_error_forget_response(c);
    }
    fc_http_abort(c);
    fc_op_finish(c, FC_ERR_TIMEOUT);
}

/* ---- request head ------------------------------------------------------------ */

static void fc_write_host(fc_head_writer *w, const char *host, uint16_t port, int tls)
{
    /* An IPv6 literal goes in brackets: writes of one or no byte. */
    size_t v6 = strchr(host, ':') != NULL;
    fc_head_write_mem(w, "[", v6);
    fc_head_write_str(w, host);
    fc_head_write_mem(w, "]", v6);
    if (port != (tls ? 443u : 80u)) {
        fc_head_write_mem(w, ":", 1);
        fc_head_write_u64(w, port);
    }
}

static fc_err fc_write_target(fc_client *c, fc_head_writer *w)
{
    fc_url u;
    fc_err e;
    if (c->priv.req.flags & FC_REQ_API) {
        fc_head_write_mem(w, c->priv.base.target, c->priv.base.target_len);
        return c->priv.req.write_target(c, w);
    }
    e = fc_url_parse(&u, c->priv.req.url, c->priv.req.url_len);
    if (e != FC_OK) {
        return e;
    }
    if (u.target_len == 0) {
        fc_head_write_mem(w, "/", 1);
    } else {
        fc_head_write_mem(w, u.target, u.target_len);
    }
    return FC_OK;
}

/* Run the request's JSON writer into buf; buf NULL only measures. */
static fc_err fc_run_json(fc_client *c, fc_json_writer *jw, char *buf, size_t cap)
{
    fc_err e;
    fc_json_writer_init(jw, buf, cap);
    e = c->priv.req.write_json(c, jw);
    return e == FC_OK ? fc_json_writer_finish(jw) : e;
}

/* The JSON body's length, learnt by writing it into no buffer. */
static fc_err fc_json_body_len(fc_client *c, size_t *len)
{
    fc_json_writer jw;
    fc_err e;
    *len = 0;
    if (c->priv.req.write_json == NULL) {
        return FC_OK;
    }
    e = fc_run_json(c, &jw, NULL, 0);
    *len = jw.needed;
    return e == FC_ERR_BUFFER_TOO_SMALL ? FC_OK : e;
}

static void fc_write_length(fc_client *c, fc_head_writer *w, size_t json_len)
{
    uint8_t m = c->priv.req.method;
    if (c->priv.req.write_json != NULL) {
        fc_head_write_str(w, "Content-Type: application/json\r\n");
    }
    if (c->priv.req.source != NULL || json_len > 0 || m == FC_HTTP_POST || m == FC_HTTP_PUT ||
        m == FC_HTTP_PATCH) {
        fc_head_write_str(w, "Content-Length: ");
        fc_head_write_u64(w,
                          c->priv.req.source != NULL ? c->priv.req.body_len : (uint64_t)json_len);
        fc_head_write_str(w, "\r\n");
    }
}

static fc_err fc_write_json_body(fc_client *c, fc_head_writer *w, size_t json_len)
{
    fc_json_writer jw;
    fc_err e;
    if (json_len == 0) {
        return FC_OK;
    }
    if (!fc_head_writer_ok(w) || w->cap - w->len < json_len + 1) {
        w->len += json_len + 1; /* report the size the body needs */
        return FC_OK;
    }
    e = fc_run_json(c, &jw, w->buf + w->len, w->cap - w->len);
    w->len += jw.len;
    return e;
}

static int fc_uses_bearer(const fc_client_config *cfg)
{
    return cfg->auth == FC_AUTH_BEARER ||
           (cfg->auth == FC_AUTH_AUTO &&
            strncmp(cfg->api_key, FC_KEY_PREFIX, sizeof FC_KEY_PREFIX - 1) != 0);
}

/* Each followed by the space before the target (index: FC_HTTP_*). */
static const char k_methods[][8] = {"GET ", "POST ", "PUT ", "PATCH ", "DELETE "};

static fc_err fc_write_head(fc_client *c)
{
    const fc_conn_slot *s = &c->priv.slots[c->priv.slot];
    fc_head_writer w;
    size_t json_len;
    fc_err e = fc_json_body_len(c, &json_len);
    fc_head_writer_init(&w, (char *)fc_work_buf(c), fc_work_cap(c));
    fc_head_write_str(&w, k_methods[c->priv.req.method]);
    if (e == FC_OK) {
        e = fc_write_target(c, &w);
    }
    /* Constant text runs across line ends: fewer writer calls. */
    fc_head_write_str(&w, " HTTP/1.1\r\nHost: ");
    fc_write_host(&w, s->host, s->port, s->tls);
    fc_head_write_str(&w, "\r\nUser-Agent: ");
    fc_head_write_str(&w, c->cfg.user_agent);
    if (c->priv.req.flags & FC_REQ_API) {
        /* The key goes only to requests built on base_url. */
        fc_head_write_str(&w, fc_uses_bearer(&c->cfg)
                                  ? "\r\nAccept: application/json\r\n"
                                    "Authorization: Bearer "
                                  : "\r\nAccept: application/json\r\nX-API-Key: ");
        fc_head_write_str(&w, c->cfg.api_key);
    }
    fc_head_write_str(&w, "\r\n");
    if (e == FC_OK && c->priv.req.write_headers != NULL) {
        e = c->priv.req.write_headers(c, &w);
    }
    fc_write_length(c, &w, json_len);
    fc_head_write_str(&w, "\r\n");
    if (e == FC_OK) {
        e = fc_write_json_body(c, &w, json_len);
    }
    if (e == FC_OK && !fc_head_writer_ok(&w)) {
        c->priv.error.needed = c->priv.reserved + w.len;
        e = FC_ERR_BUFFER_TOO_SMALL;
    }
    c->priv.out_pos = 0;
    c->priv.out_len = w.len;
    return e;
}

/* Read the next piece of the streamed body from the source behind the bytes
 * the buffer holds to send: FC_OK (appended, or no room), FC_AGAIN (the
 * source is not ready) or FC_ERR_SOURCE. */
static fc_err fc_pull_body(fc_client *c)
{
    fc_client_private *p = &c->priv;
    uint64_t left = p->req.body_len - p->body_sent;
    size_t cap = fc_work_cap(c) - p->out_len;
    size_t got = 0;
    fc_err e;
    if (left < cap) {
        cap = (size_t)left;
    }
    if (cap == 0) {
        return FC_OK;
    }
    e = p->req.source->read(p->req.source->ctx, fc_work_buf(c) + p->out_len, cap, &got);
    p->source_wait = (uint8_t)(e == FC_AGAIN);
    if (e == FC_AGAIN) {
        return FC_AGAIN;
    }
    if (e != FC_OK || got == 0 || got > cap) {
        return FC_ERR_SOURCE; /* a source that fails or ends early */
    }
    p->source_pulled = 1;
    p->out_len += got;
    p->body_sent += got;
    return FC_OK;
}

/* Tell the transport (when it listens) whether more of the body follows. */
static void fc_more_follows(fc_client *c, int more)
{
    fc_transport *t = fc_conn_transport(c);
    if (c->priv.more_follows != (uint8_t)more && t->ops->more_follows != NULL) {
        t->ops->more_follows(t->ctx, more);
    }
    c->priv.more_follows = (uint8_t)more;
}

/* ---- states ------------------------------------------------------------------- */

static fc_step fc_begin_send(fc_client *c)
{
    fc_err e = fc_write_head(c);
    if (e != FC_OK) {
        /* Nothing was sent: the request itself cannot be written. */
        return fc_request_fail(c, e);
    }
    /* The body's first bytes behind the head: one write, one TCP segment
     * and TLS record fewer. A source not ready yet lets the head go alone. */
    if (c->priv.req.source != NULL && fc_pull_body(c) == FC_ERR_SOURCE) {
        return fc_request_fail(c, FC_ERR_SOURCE);
    }
    c->priv.source_wait = 0;
    if (c->priv.req.source != NULL && c->priv.body_sent < c->priv.req.body_len) {
        fc_more_follows(c, 1); /* whole segments while the body streams */
    }
    c->priv.stats.requests++;
    fc_enter(c, FC_ST_SEND, c->cfg.timeouts.idle_ms);
    return FC_STEP_MOVED;
}

static fc_step fc_begin_recv(fc_client *c)
{
    fc_response_begin(c);
    fc_enter(c, FC_ST_RECV, c->cfg.timeouts.first_byte_ms);
    c->priv.first_byte_seen = 0;
    return FC_STEP_MOVED;
}

/* Blocked: fail on the state's deadline, else wait. */
static fc_step fc_blocked(fc_client *c)
{
    if (fc_deadline_passed(c)) {
        fc_attempt_end(c, FC_ERR_TIMEOUT);
        return FC_STEP_MOVED;
    }
    return FC_STEP_BLOCKED;
}

/* Pick the connection slot for the request's host. */
static fc_err fc_request_conn(fc_client *c)
{
    fc_url u;
    fc_err e;
    if (c->priv.req.flags & FC_REQ_API) {
        return fc_conn_acquire(c, &c->priv.base);
    }
    e = fc_url_parse(&u, c->priv.req.url, c->priv.req.url_len);
    return e != FC_OK ? e : fc_conn_acquire(c, &u);
}

static fc_step fc_attempt_begin(fc_client *c)
{
    const fc_source *src = c->priv.req.source;
    const fc_conn_slot *s;
    fc_transport *t;
    fc_err e;
    c->priv.attempt++;
    c->priv.sent_any = 0;
    c->priv.source_wait = 0;
    c->priv.more_follows = 0; /* a new connection, or a kept one left at 0 */
    c->priv.body_sent = 0;
    fc_response_begin(c); /* no stale status or headers from the last try */
    e = fc_request_conn(c);
    /* A body read by an earlier attempt starts over; one never read needs
     * no seek (a source that cannot seek is fine then). */
    if (e == FC_OK && src != NULL && c->priv.source_pulled) {
        e = src->seek != NULL && src->seek(src->ctx, c->priv.req.body_offset) == FC_OK
                ? FC_OK
                : FC_ERR_SOURCE;
        c->priv.source_pulled = 0;
    }
    if (e != FC_OK) {
        fc_op_finish(c, e);
        return FC_STEP_MOVED;
    }
    if (c->priv.reused) {
        FC_LOG(c, 4, "keep-alive connection reused");
        return fc_begin_send(c);
    }
    s = &c->priv.slots[c->priv.slot];
    FC_LOG_CONNECT(c, s);
    t = fc_conn_transport(c);
    fc_enter(c, FC_ST_CONNECT, c->cfg.timeouts.connect_ms);
    c->priv.stats.connects++;
    e = t->ops->connect(t->ctx, s->host, s->port, s->tls);
    if (e != FC_OK && e != FC_AGAIN) {
        fc_attempt_end(c, e);
    }
    return FC_STEP_MOVED;
}

static fc_step fc_step_connect(fc_client *c)
{
    fc_transport *t = fc_conn_transport(c);
    fc_err e = t->ops->connect_poll(t->ctx);
    if (e == FC_AGAIN) {
        return fc_blocked(c);
    }
    if (e != FC_OK) {
        fc_attempt_end(c, e);
        return FC_STEP_MOVED;
    }
    if (t->ops->handshake != NULL && c->priv.slots[c->priv.slot].tls) {
        fc_enter(c, FC_ST_HANDSHAKE, c->cfg.timeouts.tls_ms);
        return FC_STEP_MOVED;
    }
    return fc_begin_send(c);
}

static fc_step fc_step_handshake(fc_client *c)
{
    fc_transport *t = fc_conn_transport(c);
    fc_err e = t->ops->handshake(t->ctx);
    if (e == FC_AGAIN) {
        return fc_blocked(c);
    }
    if (e != FC_OK) {
        fc_attempt_end(c, e);
        return FC_STEP_MOVED;
    }
    fc_stats_handshake(c, t);
    return fc_begin_send(c);
}

/* Send more of io_buf[out_pos, out_len), which is not empty. */
static fc_step fc_send_pending(fc_client *c)
{
    fc_transport *t = fc_conn_transport(c);
    size_t sent = 0;
    fc_err e = t->ops->send(t->ctx, fc_work_buf(c) + c->priv.out_pos,
                            c->priv.out_len - c->priv.out_pos, &sent);
    if (e == FC_AGAIN) {
        return fc_blocked(c);
    }
    if (e != FC_OK) {
        fc_attempt_end(c, e);
        return FC_STEP_MOVED;
    }
    c->priv.sent_any = 1;
    c->priv.out_pos += sent;
    c->priv.stats.bytes_sent += sent;
    fc_op_credit_bytes(c, sent);
    fc_set_deadline(c, c->cfg.timeouts.idle_ms);
    return FC_STEP_MOVED;
}

static fc_step fc_step_send(fc_client *c)
{
    if (c->priv.out_pos != c->priv.out_len) {
        return fc_send_pending(c);
    }
    if (c->priv.req.source != NULL && c->priv.body_sent < c->priv.req.body_len) {
        fc_state_set(c, FC_ST_SEND_BODY);
        c->priv.out_pos = c->priv.out_len = 0;
        return FC_STEP_MOVED;
    }
    return fc_begin_recv(c);
}

/* The next piece of the body, from the start of the buffer. */
static fc_step fc_fill_body(fc_client *c)
{
    fc_err e;
    c->priv.out_pos = c->priv.out_len = 0;
    e = fc_pull_body(c);
    if (e == FC_AGAIN) {
        /* Not ready: fc_client_wait asks for a short sleep (or the app's
         * fc_client_source_ready); stuck past the idle deadline, it ends. */
        return fc_blocked(c);
    }
    if (e != FC_OK) {
        return fc_request_fail(c, e); /* a retry cannot fix the source */
    }
    return FC_STEP_MOVED;
}

static fc_step fc_step_send_body(fc_client *c)
{
    if (c->priv.out_pos != c->priv.out_len) {
        return fc_send_pending(c);
    }
    if (c->priv.body_sent == c->priv.req.body_len) {
        fc_more_follows(c, 0); /* push the last partial segment now */
        return fc_begin_recv(c);
    }
    return fc_fill_body(c);
}

static fc_step fc_recv_failed(fc_client *c, fc_err e)
{
    if (e == FC_ERR_CLOSED) {
        e = fc_response_eof(c);
    }
    fc_attempt_end(c, e);
    return FC_STEP_MOVED;
}

static fc_step fc_step_recv(fc_client *c)
{
    fc_transport *t = fc_conn_transport(c);
    uint8_t *at = fc_work_buf(c) + c->priv.resp.body_len;
    size_t room = fc_work_cap(c) - c->priv.resp.body_len;
    size_t got = 0;
    fc_err e;
    if (room == 0) {
        c->priv.error.needed = c->cfg.io_buf_size + (size_t)fc_response_content_length(c);
        fc_attempt_end(c, FC_ERR_BUFFER_TOO_SMALL);
        return FC_STEP_MOVED;
    }
    e = t->ops->recv(t->ctx, at, room, &got);
    if (e == FC_AGAIN) {
        return fc_blocked(c);
    }
    if (e != FC_OK) {
        return fc_recv_failed(c, e);
    }
    fc_set_deadline(c, c->cfg.timeouts.idle_ms);
    fc_op_credit_bytes(c, got);
    c->priv.stats.bytes_received += got;
    if (!c->priv.first_byte_seen) {
        fc_stats_charge(c); /* the wait for the first byte ends here */
        c->priv.first_byte_seen = 1;
    }
    e = fc_response_feed(c, at, got);
    if (e != FC_AGAIN) {
        fc_attempt_end(c, e);
    }
    return FC_STEP_MOVED;
}

static fc_step fc_step_timer(fc_client *c)
{
    if (!fc_time_reached(fc_now(c), c->priv.deadline_ms)) {
        return FC_STEP_BLOCKED;
    }
    if (c->priv.state == FC_ST_RETRY_WAIT) {
        return fc_attempt_begin(c);
    }
    fc_state_set(c, FC_ST_IDLE);
    fc_op_continue(c, c->priv.op.on_timer(c));
    return FC_STEP_MOVED;
}

fc_step fc_http_step(fc_client *c)
{
    switch (c->priv.state) {
    case FC_ST_TIMER:
    case FC_ST_RETRY_WAIT: return fc_step_timer(c);
    case FC_ST_CONNECT: return fc_step_connect(c);
    case FC_ST_HANDSHAKE: return fc_step_handshake(c);
    case FC_ST_SEND: return fc_step_send(c);
    case FC_ST_SEND_BODY: return fc_step_send_body(c);
    case FC_ST_RECV: return fc_step_recv(c);
    default: return FC_STEP_BLOCKED;
    }
}

fc_err fc_request_start(fc_client *c, const fc_request *req)
{
    c->priv.req = *req;
    c->priv.attempt = 0;
    c->priv.source_pulled = 0;
    c->priv.error.step[0] = '\0';
    (void)fc_attempt_begin(c); /* failures finish the operation */
    return FC_AGAIN;
}

fc_err fc_timer_start(fc_client *c, uint32_t delay_ms)
{
    fc_state_set(c, FC_ST_TIMER);
    c->priv.deadline_ms = fc_now(c) + delay_ms;
    return FC_AGAIN;
}
