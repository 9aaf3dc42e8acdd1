/* SPDX-License-Identifier: MIT */
/* fz_net.c - see fz_net.h. */
#include "fz_net.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- input ----------------------------------------------------------------- */

uint8_t fz_u8(fz_input *in)
{
    uint8_t v = 0;
    if (in->n > 0) {
        v = in->p[0];
        in->p++;
        in->n--;
    }
    return v;
}

uint16_t fz_u16(fz_input *in)
{
    uint16_t hi = fz_u8(in);
    return (uint16_t)((hi << 8) | fz_u8(in));
}

uint32_t fz_u32(fz_input *in)
{
    uint32_t hi = fz_u16(in);
    return (hi << 16) | fz_u16(in);
}

size_t fz_take(fz_input *in, size_t n, const uint8_t **out)
{
    if (n > in->n) {
        n = in->n;
    }
    *out = in->p;
    in->p += n;
    in->n -= n;
    return n;
}

/* ---- findings --------------------------------------------------------------- */

unsigned long fz_open_hits;

static int fz_is_open(const char *finding)
{
    const char *list = getenv("FC_FUZZ_OPEN");
    size_t n = strlen(finding);
    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, ',');
        size_t len = end != NULL ? (size_t)(end - list) : strlen(list);
        if (len == n && memcmp(list, finding, n) == 0) {
            return 1;
        }
        list = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

void fz_fail(const char *finding, const char *fmt, ...)
{
    va_list ap;
    if (fz_is_open(finding)) {
        fz_open_hits++;
        return;
    }
    fprintf(stderr, "\nFUZZ FINDING [%s]: ", finding);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

/* ---- clock ------------------------------------------------------------------ */

static uint32_t fz_now_ms(void *ctx)
{
    return ((fz_net *)ctx)->now;
}

static uint32_t fz_random(void *ctx)
{
    fz_net *n = ctx;
    n->rnd = n->rnd * 1103515245u + 12345u;
    return n->rnd >> 8;
}

fc_system fz_system(fz_net *n)
{
    fc_system s;
    s.now_ms = fz_now_ms;
    s.random = fz_random;
    s.ctx = n;
    return s;
}

void fz_wake(fz_net *n)
{
    n->woken = 1;
}

/* ---- response queue ------------------------------------------------------------ */

void fz_queue(fz_conn *c, const void *data, size_t len)
{
    if (c->out_pos == c->out_len) {
        c->out_pos = c->out_len = 0;
    }
    if (c->out_len + len > c->out_cap) {
        size_t cap = (c->out_len + len) * 2 + 256;
        uint8_t *p = realloc(c->out, cap);
        if (p == NULL) {
            abort();
        }
        c->out = p;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, data, len);
    c->out_len += len;
}

void fz_queuef(fz_conn *c, const char *fmt, ...)
{
    char text[8192];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof text) {
        abort(); /* a harness bug: responses are small */
    }
    fz_queue(c, text, (size_t)n);
}

fc_err fz_deliver(fz_conn *c, uint8_t *buf, size_t cap, size_t max_piece, size_t *got)
{
    size_t n = c->out_len - c->out_pos;
    if (n == 0) {
        return FC_AGAIN;
    }
    if (n > cap) {
        n = cap;
    }
    if (max_piece != 0 && n > max_piece) {
        n = max_piece;
    }
    memcpy(buf, c->out + c->out_pos, n);
    c->out_pos += n;
    *got = n;
    return FC_OK;
}

/* ---- request parsing and the checks of every head ----------------------------- */

static int fz_is_tchar(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static int fz_ieq(const char *a, size_t alen, const char *b)
{
    size_t i;
    if (alen != strlen(b)) {
        return 0;
    }
    for (i = 0; i < alen; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y) {
            return 0;
        }
    }
    return 1;
}

static void fz_copy(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The Host header the client must send for c: brackets for IPv6, the port
 * when it is not the scheme's default. */
static void fz_expected_host(const fz_conn *c, char *out, size_t cap)
{
    int v6 = strchr(c->host, ':') != NULL;
    if (c->port == (c->tls ? 443 : 80)) {
        snprintf(out, cap, v6 ? "[%s]" : "%s", c->host);
    } else {
        snprintf(out, cap, v6 ? "[%s]:%u" : "%s:%u", c->host, (unsigned)c->port);
    }
}

static void fz_check_header(fz_conn *c, const char *line, size_t len, unsigned *hosts,
                            unsigned *lengths)
{
    fz_request *r = &c->req;
    const char *colon = memchr(line, ':', len);
    const char *v;
    size_t i, name_len, vlen;
    if (colon == NULL || colon == line) {
        fz_fail("ticket-header", "header line without a name: %.*s", (int)len, line);
        return;
    }
    name_len = (size_t)(colon - line);
    for (i = 0; i < name_len; i++) {
        if (!fz_is_tchar((unsigned char)line[i])) {
            fz_fail("ticket-header", "header name is no token: %.*s", (int)len, line);
            return;
        }
    }
    v = colon + 1;
    vlen = len - name_len - 1;
    while (vlen > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    for (i = 0; i < vlen; i++) {
        unsigned char ch = (unsigned char)v[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7F) {
            fz_fail("ticket-header", "control byte 0x%02x in header value: %.*s", ch, (int)len,
                    line);
            return;
        }
    }
    if (fz_ieq(line, name_len, "host")) {
        (*hosts)++;
        fz_copy(r->host, sizeof r->host, v, vlen);
    } else if (fz_ieq(line, name_len, "content-length")) {
        char num[32];
        (*lengths)++;
        fz_copy(num, sizeof num, v, vlen);
        r->content_length = strtoll(num, NULL, 10);
    } else if (fz_ieq(line, name_len, "transfer-encoding") || fz_ieq(line, name_len, "expect") ||
               fz_ieq(line, name_len, "connection") || fz_ieq(line, name_len, "upgrade") ||
               fz_ieq(line, name_len, "te")) {
        fz_fail("framing-header", "hop-by-hop/framing header sent: %.*s", (int)len, line);
    } else if (fz_ieq(line, name_len, "x-api-key") || fz_ieq(line, name_len, "authorization")) {
        r->has_key = 1;
    } else if (fz_ieq(line, name_len, "range")) {
        char num[32];
        r->has_range = 1;
        fz_copy(num, sizeof num, v, vlen);
        r->range_from = strncmp(num, "bytes=", 6) == 0 ? strtoull(num + 6, NULL, 10) : 0;
    } else if (fz_ieq(line, name_len, "content-type")) {
        fz_copy(r->content_type, sizeof r->content_type, v, vlen);
    }
}

static void fz_parse_head(fz_conn *c)
{
    fz_request *r = &c->req;
    const char *p = c->head;
    const char *end = c->head + c->head_len - 4; /* the final CRLF CRLF */
    const char *eol = strstr(p, "\r\n");
    const char *sp1, *sp2;
    unsigned hosts = 0, lengths = 0;
    char expect[160];
    memset(r, 0, sizeof *r);
    r->content_length = -1;
    fc_sha256_init(&r->body_hash);
    sp1 = memchr(p, ' ', (size_t)(eol - p));
    sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    if (sp1 == NULL || sp2 == NULL || (size_t)(eol - sp2) != 9 ||
        memcmp(sp2, " HTTP/1.1", 9) != 0) {
        fz_fail("request-line", "malformed request line: %.*s", (int)(eol - p), p);
        return;
    }
    fz_copy(r->method, sizeof r->method, p, (size_t)(sp1 - p));
    fz_copy(r->target, sizeof r->target, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    if (r->target[0] != '/') {
        fz_fail("request-line", "target does not start with '/': %s", r->target);
    }
    for (p = eol + 2; p < end + 2;) {
        const char *e = strstr(p, "\r\n");
        const char *bare;
        /* A lone CR or LF inside a line would split it for some servers. */
        bare = memchr(p, '\n', (size_t)(e - p));
        if (bare == NULL) {
            bare = memchr(p, '\r', (size_t)(e - p));
        }
        if (bare != NULL) {
            fz_fail("ticket-header", "bare CR/LF inside a header line");
        }
        fz_check_header(c, p, (size_t)(e - p), &hosts, &lengths);
        p = e + 2;
    }
    if (hosts != 1 || lengths > 1) {
        fz_fail("framing-header", "%u Host and %u Content-Length headers", hosts, lengths);
    }
    fz_expected_host(c, expect, sizeof expect);
    if (hosts == 1 && !fz_ieq(r->host, strlen(r->host), expect)) {
        fz_fail("host-header", "Host '%s' on a connection to '%s'", r->host, expect);
    }
    if (r->has_key && strcmp(c->host, c->net->api_host) != 0) {
        fz_fail("key-leak", "API key sent to %s (API host %s)", c->host, c->net->api_host);
    }
    c->requests++;
    c->net->heads++;
}

static void fz_request_done(fz_conn *c)
{
    c->in_body = 0;
    c->head_len = 0;
    if (c->net->server.on_request != NULL) {
        c->net->server.on_request(c->net, c);
    }
}

/* Feed bytes the client sent into the request parser. */
static void fz_feed(fz_conn *c, const uint8_t *data, size_t len)
{
    while (len > 0) {
        if (c->in_body) {
            fz_request *r = &c->req;
            uint64_t left = (uint64_t)r->content_length - r->body_seen;
            size_t n = left < len ? (size_t)left : len;
            size_t keep = sizeof r->json - 1 - r->json_len;
            fc_sha256_update(&r->body_hash, data, n);
            if (keep > n) {
                keep = n;
            }
            memcpy(r->json + r->json_len, data, keep);
            r->json_len += keep;
            r->json[r->json_len] = '\0';
            r->body_seen += n;
            data += n;
            len -= n;
            if (r->body_seen == (uint64_t)r->content_length) {
                fz_request_done(c);
            }
            continue;
        }
        if (c->head_len == sizeof c->head - 1) {
            fz_fail("request-line", "request head longer than %u bytes", FZ_HEAD_MAX);
            c->head_len = 0;
        }
        c->head[c->head_len++] = (char)*data++;
        c->head[c->head_len] = '\0';
        len--;
        if (c->head_len >= 4 && memcmp(c->head + c->head_len - 4, "\r\n\r\n", 4) == 0) {
            fz_parse_head(c);
            if (c->net->server.on_head != NULL) {
                c->net->server.on_head(c->net, c);
            }
            if (c->req.content_length > 0) {
                c->in_body = 1;
            } else {
                fz_request_done(c);
            }
        }
    }
}

/* ---- the transport ------------------------------------------------------------- */

static void fz_conn_reset(fz_conn *c)
{
    c->connected = 0;
    c->head_len = 0;
    c->in_body = 0;
    c->out_pos = c->out_len = 0;
}

static fc_err fz_connect(void *ctx, const char *host, uint16_t port, int tls)
{
    fz_conn *c = ctx;
    fz_conn_reset(c);
    snprintf(c->host, sizeof c->host, "%s", host);
    c->port = port;
    c->tls = tls;
    c->requests = 0;
    c->last_wait = FC_WAIT_WRITE;
    {
        fc_err e = c->net->server.connect != NULL ? c->net->server.connect(c->net, c) : FC_OK;
        if (e == FC_OK || e == FC_AGAIN) {
            c->connected = 1;
        }
        return e;
    }
}

static fc_err fz_connect_poll(void *ctx)
{
    fz_conn *c = ctx;
    return c->connected ? FC_OK : FC_ERR_CONNECT;
}

static fc_err fz_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    fz_conn *c = ctx;
    size_t take = len;
    if (!c->connected) {
        fz_fail("transport-misuse", "send on a closed connection");
        return FC_ERR_TRANSPORT;
    }
    if (len == 0) {
        fz_fail("transport-misuse", "send of 0 bytes");
        return FC_ERR_TRANSPORT;
    }
    if (c->net->server.send_gate != NULL) {
        fc_err e = c->net->server.send_gate(c->net, c, len, &take);
        if (e != FC_OK) {
            c->last_wait = FC_WAIT_WRITE;
            return e;
        }
        if (take == 0 || take > len) {
            take = len;
        }
    }
    fz_feed(c, data, take);
    *sent = take;
    return FC_OK;
}

static fc_err fz_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fz_conn *c = ctx;
    fc_err e;
    if (!c->connected) {
        fz_fail("transport-misuse", "recv on a closed connection");
        return FC_ERR_TRANSPORT;
    }
    if (cap == 0) {
        fz_fail("transport-misuse", "recv with no room");
        return FC_ERR_TRANSPORT;
    }
    *got = 0;
    e = c->net->server.recv(c->net, c, buf, cap, got);
    if (e == FC_AGAIN) {
        c->last_wait = FC_WAIT_READ;
    }
    if (e == FC_OK && (*got == 0 || *got > cap)) {
        abort(); /* a harness bug */
    }
    return e;
}

static void fz_close(void *ctx)
{
    fz_conn *c = ctx;
    if (c->connected && c->net->server.on_close != NULL) {
        c->net->server.on_close(c->net, c);
    }
    fz_conn_reset(c);
}

static unsigned fz_wait_events(void *ctx)
{
    return ((fz_conn *)ctx)->last_wait;
}

static const fc_transport_ops k_fz_ops = {
    .connect = fz_connect,
    .connect_poll = fz_connect_poll,
    .send = fz_send,
    .recv = fz_recv,
    .close = fz_close,
    .wait_events = fz_wait_events,
};

void fz_net_init(fz_net *n, const fz_server *server, void *ctx, const char *api_host,
                 const char *api_key)
{
    int i;
    memset(n, 0, sizeof *n);
    n->server = *server;
    n->ctx = ctx;
    n->api_host = api_host;
    n->api_key = api_key;
    n->now = 0xFFFF0000u; /* wraps during the run: every comparison must be wrap-safe */
    n->rnd = 12345u;
    for (i = 0; i < FZ_MAX_CONN; i++) {
        n->conns[i].net = n;
        n->conns[i].index = i;
        n->transports[i].ops = &k_fz_ops;
        n->transports[i].ctx = &n->conns[i];
    }
}

void fz_net_free(fz_net *n)
{
    int i;
    for (i = 0; i < FZ_MAX_CONN; i++) {
        free(n->conns[i].out);
        n->conns[i].out = NULL;
    }
}

/* ---- running --------------------------------------------------------------------- */

static uint32_t fz_max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

uint32_t fz_config_max_wait(const fc_client_config *cfg)
{
    uint32_t m = cfg->timeouts.connect_ms;
    m = fz_max_u32(m, cfg->timeouts.tls_ms);
    m = fz_max_u32(m, cfg->timeouts.first_byte_ms);
    m = fz_max_u32(m, cfg->timeouts.idle_ms);
    m = fz_max_u32(m, cfg->retry.cap_ms);
    m = fz_max_u32(m, cfg->retry.retry_after_max_s * 1000u);
    m = fz_max_u32(m, FC_CONFIG_SCAN_POLL_MAX_MS);
    return m;
}

/* The documented bound of an operation: total_ms, plus 1 s for every
 * timeouts.min_bytes_per_s bytes it moved (fc_client.h). */
static uint64_t fz_total_bound(const fc_client *c, const fz_limits *lim)
{
    const fc_stats *st = fc_client_stats(c);
    uint32_t rate = c->cfg.timeouts.min_bytes_per_s;
    uint64_t moved = st->bytes_sent + st->bytes_received;
    return lim->max_total_ms + (rate != 0u ? moved * 1000u / rate + 1u : 0u);
}

fc_err fz_run(fz_net *n, fc_client *c, const fz_limits *lim, uint32_t *elapsed_ms)
{
    uint32_t start = n->now;
    unsigned long polls;
    for (polls = 0; polls < lim->max_polls; polls++) {
        fc_wait w;
        fc_err r;
        n->woken = 0;
        r = fc_poll(c);
        if (r != FC_AGAIN) {
            if (elapsed_ms != NULL) {
                *elapsed_ms = n->now - start;
            }
            if (fc_client_busy(c)) {
                fz_fail("busy-after-end", "the client is busy after the operation ended");
            }
            return r;
        }
        fc_client_wait(c, &w);
        if (n->woken || w.timeout_ms == 0) {
            n->now += n->woken ? 1u : 0u;
            continue;
        }
        if (w.timeout_ms == UINT32_MAX) {
            fz_fail("hang", "the client waits with no deadline on nothing that can wake it");
            w.timeout_ms = lim->max_wait_ms; /* an open finding: go on */
        }
        if (w.timeout_ms > lim->max_wait_ms) {
            fz_fail("wait-cap", "a wait of %lu ms, the configuration allows %lu ms",
                    (unsigned long)w.timeout_ms, (unsigned long)lim->max_wait_ms);
        }
        n->now += w.timeout_ms;
        if (lim->max_total_ms != 0 && n->now - start > fz_total_bound(c, lim)) {
            fz_fail("total-time", "the operation runs %lu ms, the bound is %lu ms",
                    (unsigned long)(n->now - start), (unsigned long)fz_total_bound(c, lim));
            fc_client_cancel(c);
            return FC_ERR_CANCELLED;
        }
    }
    fz_fail("hang", "the operation did not end within %lu polls", lim->max_polls);
    fc_client_cancel(c);
    return FC_ERR_CANCELLED;
}

void fz_check_str(const char *field, size_t size, const char *what)
{
    if (memchr(field, '\0', size) == NULL) {
        fz_fail("unterminated", "%s is not NUL-terminated within its %zu bytes", what, size);
    }
}

void fz_check_error_info(const fc_client *c, fc_err r)
{
    const fc_error_info *e = fc_client_error(c);
    if ((int)r < 0 || r >= FC_ERR__COUNT || r == FC_AGAIN) {
        fz_fail("bad-result", "operation ended with %d", (int)r);
    }
    fz_check_str(e->step, sizeof e->step, "error.step");
    fz_check_str(e->code, sizeof e->code, "error.code");
    fz_check_str(e->missing, sizeof e->missing, "error.missing");
    fz_check_str(e->required, sizeof e->required, "error.required");
    fz_check_str(e->detail, sizeof e->detail, "error.detail");
    if (r != FC_OK && e->err != r) {
        fz_fail("error-info", "result %s but error.err %s", fc_err_str(r), fc_err_str(e->err));
    }
    if (r == FC_OK && e->http_status != 0 && (e->http_status < 200 || e->http_status > 299)) {
        fz_fail("error-info", "FC_OK with HTTP status %d", e->http_status);
    }
    if (r != FC_OK && e->http_status == 0 && e->detail[0] != '\0') {
        fz_fail("stale-detail", "%s without a response, but detail '%s'", fc_err_str(r), e->detail);
    }
}
