/* SPDX-License-Identifier: MIT */
/*
 * fc_client.c - client set-up, the poll loop, and what it waits for.
 */
#include "fc_engine.h"
#include "fluidcloud/fc_contract.h"

#include <string.h>

/* Steps one fc_poll() call may take before it yields to the application,
 * so that a fast link cannot starve the application's own loop. */
#define FC_STEPS_PER_POLL 64

#if FC_CONFIG_LOG_LEVEL > 0
void fc_log(const fc_client *c, int level, const char *msg)
{
    if (c->cfg.log != NULL) {
        c->cfg.log(c->cfg.log_ctx, level, msg);
    }
}

/* A log line built with the head writer; cut when longer than the line. */
#define FC_LOG_LINE_MAX 120
static void fc_log_line(const fc_client *c, int level, fc_head_writer *w, char *line)
{
    line[w->len < FC_LOG_LINE_MAX ? w->len : FC_LOG_LINE_MAX] = '\0';
    fc_log(c, level, line);
}
#endif

#if FC_CONFIG_LOG_LEVEL >= 2
void fc_log_retry(const fc_client *c, fc_err why, uint32_t delay_ms)
{
    char line[FC_LOG_LINE_MAX + 1];
    fc_head_writer w;
    fc_head_writer_init(&w, line, FC_LOG_LINE_MAX);
    fc_head_write_str(&w, "retry ");
    fc_head_write_u64(&w, c->priv.attempt + 1u);
    fc_head_write_str(&w, "/");
    fc_head_write_u64(&w, c->cfg.retry.max_attempts);
    fc_head_write_str(&w, " in ");
    fc_head_write_u64(&w, delay_ms);
    fc_head_write_str(&w, " ms: ");
    fc_head_write_str(&w, fc_err_str(why));
    if (c->priv.error.http_status != 0) {
        fc_head_write_str(&w, " (HTTP ");
        fc_head_write_u64(&w, (uint64_t)c->priv.error.http_status);
        fc_head_write_str(&w, ")");
    }
    fc_log_line(c, 2, &w, line);
}
#endif

#if FC_CONFIG_LOG_LEVEL >= 3
void fc_log_connect(const fc_client *c, const fc_conn_slot *s)
{
    char line[FC_LOG_LINE_MAX + 1];
    fc_head_writer w;
    fc_head_writer_init(&w, line, FC_LOG_LINE_MAX);
    fc_head_write_str(&w, "connect ");
    fc_head_write_str(&w, s->host);
    fc_head_write_str(&w, ":");
    fc_head_write_u64(&w, s->port);
    fc_head_write_str(&w, s->tls ? " (tls)" : " (plain)");
    fc_log_line(c, 3, &w, line);
}
#endif

uint32_t fc_now(const fc_client *c)
{
    return c->cfg.system.now_ms(c->cfg.system.ctx);
}

void fc_client_config_defaults(fc_client_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->timeouts.connect_ms = FC_CONFIG_CONNECT_TIMEOUT_MS;
    cfg->timeouts.tls_ms = FC_CONFIG_TLS_TIMEOUT_MS;
    cfg->timeouts.first_byte_ms = FC_CONFIG_FIRST_BYTE_TIMEOUT_MS;
    cfg->timeouts.idle_ms = FC_CONFIG_IDLE_TIMEOUT_MS;
    cfg->timeouts.total_ms = FC_CONFIG_TOTAL_TIMEOUT_MS;
    cfg->timeouts.min_bytes_per_s = FC_CONFIG_MIN_BYTES_PER_S;
    cfg->retry.max_attempts = FC_CONFIG_RETRY_MAX_ATTEMPTS;
    cfg->retry.base_ms = FC_CONFIG_RETRY_BASE_MS;
    cfg->retry.cap_ms = FC_CONFIG_RETRY_CAP_MS;
    cfg->retry.retry_after_max_s = FC_CONFIG_RETRY_AFTER_MAX_S;
}

void fc_client_deinit(fc_client *c)
{
    unsigned i;
    for (i = 0; i < c->cfg.transport_count; i++) {
        fc_conn_close(c, i);
    }
    c->priv.state = FC_ST_IDLE; /* nothing runs; the client is ended */
}

/* The fields fc_client_init() may refuse, as fc_client_error()'s step
 * names them, in the order they are checked (enum fc_cfg_field). */
static const char k_cfg_fields[] =
    "api_key\0transports\0transport_count\0system\0io_buf\0"
    "io_buf_size\0tokens\0token_count\0max_attempts\0base_url";

enum fc_cfg_field {
    FC_CFG_API_KEY,
    FC_CFG_TRANSPORTS,
    FC_CFG_TRANSPORT_COUNT,
    FC_CFG_SYSTEM,
    FC_CFG_IO_BUF,
    FC_CFG_IO_BUF_SIZE,
    FC_CFG_TOKENS,
    FC_CFG_TOKEN_COUNT,
    FC_CFG_MAX_ATTEMPTS,
    FC_CFG_BASE_URL,
    FC_CFG_FINE
};

/* The least I/O buffer and token array the engine works with. */
#define FC_IO_BUF_MIN 256u
#define FC_TOKENS_MIN 8u

/* The first field of cfg that cannot be taken as it is, FC_CFG_FINE when
 * none (base_url is fc_parse_base's); *needed gets the least value it
 * needs where one applies. */
static unsigned fc_check_config(const fc_client_config *cfg, size_t *needed)
{
    size_t count = cfg->transport_count;
    /* The key is a header value: no line breaks may smuggle headers. */
    if (cfg->api_key == NULL || fc_has_line_break(cfg->api_key)) {
        return FC_CFG_API_KEY;
    }
    if (cfg->transports == NULL) {
        return FC_CFG_TRANSPORTS;
    }
    if (count == 0 || count > FC_CONFIG_MAX_CONNECTIONS) {
        *needed = count == 0 ? 1u : count; /* the FC_CONFIG_MAX_CONNECTIONS it needs */
        return FC_CFG_TRANSPORT_COUNT;
    }
    if (cfg->system.now_ms == NULL || cfg->system.random == NULL) {
        return FC_CFG_SYSTEM;
    }
    if (cfg->io_buf == NULL) {
        return FC_CFG_IO_BUF;
    }
    if (cfg->io_buf_size < FC_IO_BUF_MIN) {
        *needed = FC_IO_BUF_MIN;
        return FC_CFG_IO_BUF_SIZE;
    }
    if (cfg->tokens == NULL) {
        return FC_CFG_TOKENS;
    }
    if (cfg->token_count < FC_TOKENS_MIN) {
        *needed = FC_TOKENS_MIN;
        return FC_CFG_TOKEN_COUNT;
    }
    if (cfg->retry.max_attempts == 0) {
        *needed = 1;
        return FC_CFG_MAX_ATTEMPTS;
    }
    return FC_CFG_FINE;
}

/* The API's base: as given, or the production API; a bare origin (no path,
 * or only '/') gets FC_API_PATH_PREFIX, as the official SDKs do. A host
 * too long for a connection slot sets *needed to the FC_CONFIG_HOST_MAX it
 * would need. */
static fc_err fc_parse_base(const char *base_url, fc_url *u, size_t *needed)
{
    fc_err e;
    if (base_url == NULL) {
        base_url = FC_BASE_URL_PRODUCTION;
    }
    e = fc_url_parse(u, base_url, strlen(base_url));
    if (e != FC_OK) {
        return e;
    }
    if (u->host_len >= FC_CONFIG_HOST_MAX) {
        *needed = u->host_len + 1u;
        return FC_ERR_BAD_URL;
    }
    if (strchr(u->target, '?') != NULL) {
        return FC_ERR_BAD_URL;
    }
    /* "/api/v1/" and "/api/v1" name the same base: paths add the slash. */
    while (u->target_len > 0 && u->target[u->target_len - 1] == '/') {
        u->target_len--;
    }
    if (u->target_len == 0) {
        u->target = FC_API_PATH_PREFIX;
        u->target_len = sizeof FC_API_PATH_PREFIX - 1;
    }
    return FC_OK;
}

fc_err fc_client_init_abi(fc_client *c, const fc_client_config *cfg, const fc_abi *app)
{
    fc_url u;
    size_t i, needed = 0;
    unsigned field;
    fc_err e = fc_abi_guard(c, app);
    if (e != FC_OK) {
        return e;
    }
    field = fc_check_config(cfg, &needed);
    e = field != FC_CFG_FINE ? FC_ERR_INVALID_ARG : fc_parse_base(cfg->base_url, &u, &needed);
    if (e != FC_OK) {
        /* Refused: only the error info is written, naming the field. */
        fc_init_refused(&c->priv.error, sizeof c->priv.error, e,
                        fc_str_at(k_cfg_fields, field == FC_CFG_FINE ? FC_CFG_BASE_URL : field),
                        needed);
        return e;
    }
    /* The struct may be garbage (or an old client on a reused stack): it is
     * not read. The transports given may still be open from a client that
     * was initialised on them before: close them (closing a closed one is
     * a no-op by the port contract), so no connection is forgotten open. */
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
    for (i = 0; i < cfg->transport_count; i++) {
        cfg->transports[i].ops->close(cfg->transports[i].ctx);
    }
    if (c->cfg.user_agent == NULL) {
        c->cfg.user_agent = "fluidcloud-c/" FC_VERSION_STRING;
    }
    c->priv.base = u;
    return FC_OK;
}

static uint32_t fc_min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static uint32_t fc_until(const fc_client *c, uint32_t deadline)
{
    uint32_t now = fc_now(c);
    return fc_time_reached(now, deadline) ? 0u : deadline - now;
}

/* The longest span the wrap-safe clock compares (fc_time_reached): a
 * deadline further out is kept at this distance (24.8 days). */
#define FC_DEADLINE_MAX_MS 0x7FFFFFFFu

/* A deadline ms from now, kept within FC_DEADLINE_MAX_MS. */
static uint32_t fc_deadline_in(const fc_client *c, uint32_t ms)
{
    return fc_now(c) + (ms > FC_DEADLINE_MAX_MS ? FC_DEADLINE_MAX_MS : ms);
}

fc_err fc_op_begin(fc_client *c, const char *step,
                   fc_err (*on_response)(fc_client *c, fc_err result), void *out)
{
    fc_client_private *p = &c->priv;
    if (p->state != FC_ST_IDLE) {
        return FC_ERR_BUSY;
    }
    fc_error_reset(c);
    memset(&p->op, 0, sizeof p->op);
    p->op.step = step;
    p->op.on_response = on_response;
    p->op.out = out;
    p->reserved = 0;
    p->op_seq++;
    p->has_total = (uint8_t)(c->cfg.timeouts.total_ms != 0u);
    p->total_deadline_ms = fc_deadline_in(c, c->cfg.timeouts.total_ms);
    p->rate_carry = 0;
    p->has_phase = 0;
    fc_stats_begin(c);
    return FC_OK;
}

void fc_op_phase_deadline(fc_client *c, uint32_t ms)
{
    c->priv.has_phase = (uint8_t)(ms != 0u);
    c->priv.phase_deadline_ms = fc_deadline_in(c, ms);
}

void fc_op_extend_total(fc_client *c, uint32_t ms)
{
    fc_client_private *p = &c->priv;
    uint32_t left;
    if (!p->has_total) {
        return;
    }
    left = fc_until(c, p->total_deadline_ms);
    left = ms > FC_DEADLINE_MAX_MS - left ? FC_DEADLINE_MAX_MS : left + ms;
    p->total_deadline_ms = fc_deadline_in(c, left);
}

void fc_op_credit_bytes(fc_client *c, size_t n)
{
    fc_client_private *p = &c->priv;
    uint32_t rate = c->cfg.timeouts.min_bytes_per_s;
    uint32_t credit;
    if (!p->has_total || rate == 0u || n == 0u) {
        return;
    }
    /* 32-bit arithmetic only (no 64-bit division helper on a Cortex-M):
     * a piece is at most one I/O buffer, far below 4 MB. */
    if (n > 0x3FFFFFu) {
        n = 0x3FFFFFu;
    }
    credit = (uint32_t)n * 1000u + p->rate_carry;
    p->rate_carry = credit % rate;
    fc_op_extend_total(c, credit / rate);
}

int fc_op_deadline_passed(const fc_client *c, uint32_t at)
{
    const fc_client_private *p = &c->priv;
    return (p->has_total && fc_time_reached(at, p->total_deadline_ms)) ||
           (p->has_phase && fc_time_reached(at, p->phase_deadline_ms));
}

fc_err fc_poll(fc_client *c)
{
    int i;
    c->priv.ready = 0;
    if (c->priv.state == FC_ST_IDLE) {
        return FC_OK;
    }
    if (c->priv.state != FC_ST_DONE && fc_op_deadline_passed(c, fc_now(c))) {
        fc_http_time_out(c);
    }
    for (i = 0; i < FC_STEPS_PER_POLL; i++) {
        if (c->priv.state == FC_ST_DONE) {
            fc_state_set(c, FC_ST_IDLE);
            return c->priv.error.err; /* the operation's result */
        }
        if (fc_http_step(c) == FC_STEP_BLOCKED) {
            return FC_AGAIN;
        }
    }
    c->priv.ready = 1;
    return FC_AGAIN;
}

void fc_client_wait(const fc_client *c, fc_wait *w)
{
    w->events = 0;
    w->fd = -1;
    w->timeout_ms = UINT32_MAX;
    if (c->priv.state == FC_ST_IDLE || c->priv.state == FC_ST_DONE || c->priv.ready) {
        w->timeout_ms = 0;
        return;
    }
    if (c->priv.state == FC_ST_SEND_BODY && c->priv.source_wait) {
        /* Nothing to send until the source has data: the connection's
         * events would wake us for nothing. */
        w->events = FC_WAIT_SOURCE;
        w->timeout_ms = FC_CONFIG_SOURCE_RETRY_MS;
    } else if (c->priv.state >= FC_ST_CONNECT) {
        const fc_transport *t = fc_conn_transport(c);
        w->events = t->ops->wait_events(t->ctx);
        if (t->ops->pollable_fd != NULL) {
            w->fd = t->ops->pollable_fd(t->ctx);
        }
    }
    /* Timer states always have a deadline; I/O states when one is set. */
    if (c->priv.state < FC_ST_CONNECT || c->priv.has_deadline) {
        w->timeout_ms = fc_min_u32(w->timeout_ms, fc_until(c, c->priv.deadline_ms));
    }
    if (c->priv.has_total) {
        w->timeout_ms = fc_min_u32(w->timeout_ms, fc_until(c, c->priv.total_deadline_ms));
    }
    if (c->priv.has_phase) {
        w->timeout_ms = fc_min_u32(w->timeout_ms, fc_until(c, c->priv.phase_deadline_ms));
    }
}

void fc_client_source_ready(fc_client *c)
{
    if (c->priv.source_wait) {
        c->priv.ready = 1;
    }
}

void fc_client_cancel(fc_client *c)
{
    if (c->priv.state == FC_ST_IDLE) {
        return;
    }
    fc_http_abort(c);
    fc_state_set(c, FC_ST_IDLE);
    c->priv.reserved = 0;
    c->priv.error.err = FC_ERR_CANCELLED;
}

void fc_client_close(fc_client *c)
{
    unsigned i;
    for (i = 0; i < c->cfg.transport_count; i++) {
        if (!(c->priv.state >= FC_ST_CONNECT && i == c->priv.slot)) {
            fc_conn_close(c, i);
        }
    }
}

int fc_client_busy(const fc_client *c)
{
    return c->priv.state != FC_ST_IDLE;
}

fc_err fc_run(fc_client *c, fc_wait_fn wait, void *wait_ctx)
{
    fc_err r;
    while ((r = fc_poll(c)) == FC_AGAIN) {
        fc_wait w;
        if (c->priv.ready) {
            continue; /* only out of steps: nothing to wait for */
        }
        fc_client_wait(c, &w);
        wait(wait_ctx, &w);
    }
    return r;
}
