/* SPDX-License-Identifier: MIT */
/*
 * fc_port_kit.c - the conformance checks (see fc_port_kit.h, README.md).
 *
 * Every check drives the transport the way the client's engine does
 * (core/src/engine/fc_http.c): connect, connect_poll until FC_OK, handshake when
 * TLS, send and recv retried after FC_AGAIN once wait_events() says the
 * transport may move. The peer (port_kit_peer.py) is told by line
 * commands what to do, so each check knows what must happen next.
 *
 * Portable C99: no allocation, no OS call; two static buffers.
 */
#include "fc_port_kit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define KIT_STEP_MS_DEFAULT      10000u
#define KIT_BACKPRESSURE_DEFAULT (64u * 1024u * 1024u)
#define KIT_PATTERN_PERIOD       65521u /* prime: a shifted stream never matches */
#define KIT_RECONNECTS           16
#define KIT_LINE_MAX             96

/* The kit found a breach of the contract, already explained in why. */
#define KIT_BAD FC_ERR__COUNT

typedef enum kit_result { KIT_PASS = 0, KIT_FAIL, KIT_SKIP } kit_result;

typedef struct kit_run {
    const fc_port_kit *kit;
    uint32_t step_ms;
    char why[192]; /* what the failing (or skipped) check saw */
} kit_run;

typedef struct kit_check {
    const char *name;
    kit_result (*run)(kit_run *r);
} kit_check;

static uint8_t g_out[FC_PORT_KIT_CHUNK];
static uint8_t g_in[FC_PORT_KIT_CHUNK];

uint8_t fc_port_kit_pattern(uint32_t i)
{
    uint32_t j = i % KIT_PATTERN_PERIOD;
    return (uint8_t)((j * 167u) ^ (j >> 8));
}

/* ---- bookkeeping ---------------------------------------------------------- */

static kit_result failf(kit_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    return KIT_FAIL;
}

/* Record a breach found inside a helper; the helper returns KIT_BAD. */
static fc_err breach(kit_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    return KIT_BAD;
}

static const char *err_name(fc_err e)
{
    return e == KIT_BAD ? "contract breach" : fc_err_str(e);
}

static uint32_t now_ms(const kit_run *r)
{
    const fc_system *s = &r->kit->system;
    return s->now_ms(s->ctx);
}

static uint32_t elapsed(const kit_run *r, uint32_t since)
{
    return (uint32_t)(now_ms(r) - since);
}

static fc_transport *conn(const kit_run *r, unsigned i)
{
    return r->kit->transports[i];
}

/*
 * After an FC_AGAIN from op: wait_events() must name what to wait for,
 * and the waiter must see it come before the step's deadline. A plain
 * stream waits for READ in recv and WRITE in send (need: that bit); a
 * TLS layer may need either in both.
 */
static fc_err await(kit_run *r, const fc_transport *t, const char *op, unsigned need,
                    uint32_t since)
{
    unsigned ev = t->ops->wait_events(t->ctx);
    uint32_t spent = elapsed(r, since);
    fc_err e;
    if (ev == 0 || (ev & ~(FC_WAIT_READ | FC_WAIT_WRITE)) != 0) {
        return breach(r, "%s returned FC_AGAIN but wait_events() is 0x%x", op, ev);
    }
    if (!r->kit->use_tls && need != 0 && (ev & need) == 0) {
        return breach(r, "%s returned FC_AGAIN but wait_events() is 0x%x, without 0x%x", op, ev,
                      need);
    }
    if (spent >= r->step_ms) {
        return breach(r, "%s still FC_AGAIN after %u ms", op, (unsigned)spent);
    }
    e = r->kit->wait(r->kit->wait_ctx, t, ev, r->step_ms - spent);
    if (e == FC_ERR_TIMEOUT) {
        return breach(r,
                      "%s: waited %u ms for events 0x%x that never came (wrong "
                      "wait_events() or pollable_fd()?)",
                      op, (unsigned)(r->step_ms - spent), ev);
    }
    return FC_OK;
}

/* ---- driving a connection as the engine does ----------------------------- */

/* close(), and a pollable_fd() that still names a descriptor is a breach. */
static fc_err close_conn(kit_run *r, fc_transport *t)
{
    t->ops->close(t->ctx);
    if (t->ops->pollable_fd != NULL && t->ops->pollable_fd(t->ctx) != -1) {
        return breach(r, "pollable_fd() is %d after close(), not -1", t->ops->pollable_fd(t->ctx));
    }
    return FC_OK;
}

/* connect() then connect_poll() until FC_OK (also after a connect() that
 * returned FC_OK, as the engine calls it); no handshake. */
static fc_err tcp_open(kit_run *r, fc_transport *t, uint16_t port, int use_tls)
{
    uint32_t since = now_ms(r);
    fc_err e = t->ops->connect(t->ctx, r->kit->peer.host, port, use_tls);
    if (e != FC_OK && e != FC_AGAIN) {
        return e;
    }
    if (e == FC_AGAIN && await(r, t, "connect", 0, since) != FC_OK) {
        return KIT_BAD;
    }
    while ((e = t->ops->connect_poll(t->ctx)) == FC_AGAIN) {
        if (await(r, t, "connect_poll", 0, since) != FC_OK) {
            return KIT_BAD;
        }
    }
    return e;
}

static fc_err handshake(kit_run *r, fc_transport *t)
{
    uint32_t since = now_ms(r);
    fc_err e;
    while ((e = t->ops->handshake(t->ctx)) == FC_AGAIN) {
        if (await(r, t, "handshake", 0, since) != FC_OK) {
            return KIT_BAD;
        }
    }
    return e;
}

/* A whole connection to port, secured when use_tls. */
static fc_err open_on(kit_run *r, fc_transport *t, uint16_t port, int use_tls)
{
    fc_err e = tcp_open(r, t, port, use_tls);
    if (e == FC_OK && use_tls) {
        e = handshake(r, t);
    }
    return e;
}

static fc_err open_peer(kit_run *r, fc_transport *t)
{
    return open_on(r, t, r->kit->peer.port, r->kit->use_tls);
}

/* Send all of data; after FC_AGAIN the very same pointer and length go
 * again (fc_port.h: TLS needs it). */
static fc_err send_all(kit_run *r, fc_transport *t, const uint8_t *data, size_t len)
{
    uint32_t since = now_ms(r);
    while (len > 0) {
        size_t sent = (size_t)-1;
        fc_err e = t->ops->send(t->ctx, data, len, &sent);
        if (e == FC_AGAIN) {
            if (await(r, t, "send", FC_WAIT_WRITE, since) != FC_OK) {
                return KIT_BAD;
            }
            continue;
        }
        if (e != FC_OK) {
            return e;
        }
        if (sent == 0 || sent > len) {
            return breach(r, "send of %u bytes returned FC_OK with *sent = %u", (unsigned)len,
                          (unsigned)sent);
        }
        data += sent;
        len -= sent;
        since = now_ms(r);
    }
    return FC_OK;
}

static fc_err send_line(kit_run *r, fc_transport *t, const char *fmt, ...)
{
    char line[KIT_LINE_MAX];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line - 1) {
        return breach(r, "kit: command too long");
    }
    line[n] = '\n';
    return send_all(r, t, (const uint8_t *)line, (size_t)n + 1);
}

/* Send pattern bytes [from, from + len) in chunks. */
static fc_err send_pattern(kit_run *r, fc_transport *t, uint32_t from, uint32_t len)
{
    while (len > 0) {
        uint32_t n = len < sizeof g_out ? len : (uint32_t)sizeof g_out;
        uint32_t i;
        fc_err e;
        for (i = 0; i < n; i++) {
            g_out[i] = fc_port_kit_pattern(from + i);
        }
        e = send_all(r, t, g_out, n);
        if (e != FC_OK) {
            return e;
        }
        from += n;
        len -= n;
    }
    return FC_OK;
}

/* One recv of at most cap bytes, retried after FC_AGAIN. */
static fc_err recv_some(kit_run *r, fc_transport *t, uint8_t *buf, size_t cap, size_t *got)
{
    uint32_t since = now_ms(r);
    fc_err e;
    for (;;) {
        *got = (size_t)-1;
        e = t->ops->recv(t->ctx, buf, cap, got);
        if (e != FC_AGAIN) {
            break;
        }
        if (await(r, t, "recv", FC_WAIT_READ, since) != FC_OK) {
            return KIT_BAD;
        }
    }
    if (e == FC_OK && (*got == 0 || *got > cap)) {
        return breach(r, "recv into %u bytes returned FC_OK with *got = %u", (unsigned)cap,
                      (unsigned)*got);
    }
    return e;
}

/* Receive exactly len bytes that must be pattern [0, len), cap per call. */
static fc_err recv_pattern(kit_run *r, fc_transport *t, uint32_t len, size_t cap)
{
    uint32_t at = 0;
    if (cap > sizeof g_in) {
        cap = sizeof g_in;
    }
    while (at < len) {
        size_t want = len - at < cap ? len - at : cap;
        size_t got = 0;
        size_t i;
        fc_err e = recv_some(r, t, g_in, want, &got);
        if (e != FC_OK) {
            return e == KIT_BAD ? e
                                : breach(r, "recv after %u of %u bytes: %s", (unsigned)at,
                                         (unsigned)len, err_name(e));
        }
        for (i = 0; i < got; i++) {
            if (g_in[i] != fc_port_kit_pattern(at + (uint32_t)i)) {
                return breach(r, "byte %u of %u is wrong (lost, doubled or stale data)",
                              (unsigned)(at + i), (unsigned)len);
            }
        }
        at += (uint32_t)got;
    }
    return FC_OK;
}

/* A line from the peer, read one byte at a time so nothing after it is
 * consumed. */
static fc_err recv_line(kit_run *r, fc_transport *t, char *line, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        size_t got = 0;
        fc_err e = recv_some(r, t, (uint8_t *)&line[n], 1, &got);
        if (e != FC_OK) {
            line[n] = '\0';
            return e;
        }
        if (line[n] == '\n') {
            line[n] = '\0';
            return FC_OK;
        }
        n++;
    }
    line[n] = '\0';
    return breach(r, "peer line too long: %s", line);
}

/* ECHO len: the peer sends back what it got. */
static fc_err echo(kit_run *r, fc_transport *t, uint32_t len, size_t cap)
{
    fc_err e = send_line(r, t, "ECHO %u", (unsigned)len);
    if (e == FC_OK) {
        e = send_pattern(r, t, 0, len);
    }
    if (e == FC_OK) {
        e = recv_pattern(r, t, len, cap);
    }
    return e;
}

/* Receive until the stream ends; returns how it ended (what is not FC_OK
 * or FC_AGAIN), *extra = bytes that came first. */
static fc_err recv_end(kit_run *r, fc_transport *t, uint32_t *extra)
{
    size_t got = 0;
    fc_err e;
    *extra = 0;
    while ((e = recv_some(r, t, g_in, sizeof g_in, &got)) == FC_OK) {
        *extra += (uint32_t)got;
    }
    return e;
}

/* Fail the check: where, then what the helper saw (its breach, or e). */
static kit_result fail_at(kit_run *r, const char *where, fc_err e)
{
    char seen[sizeof r->why];
    (void)snprintf(seen, sizeof seen, "%s", e == KIT_BAD ? r->why : err_name(e));
    return failf(r, "%s: %s", where, seen);
}

/* Shorthand: fail the check at where when e is not FC_OK. */
#define KIT_EXPECT_OK(r, e, where)                \
    do {                                          \
        fc_err kit_e_ = (e);                      \
        if (kit_e_ != FC_OK) {                    \
            return fail_at((r), (where), kit_e_); \
        }                                         \
    } while (0)

/* Open, echo, close: the transport is (still) usable. */
static kit_result usable(kit_run *r, fc_transport *t, const char *after)
{
    fc_err e = open_peer(r, t);
    if (e == FC_OK) {
        e = echo(r, t, 100, sizeof g_in);
    }
    if (e == FC_OK) {
        e = close_conn(r, t);
    } else {
        t->ops->close(t->ctx);
    }
    if (e != FC_OK) {
        char where[96];
        (void)snprintf(where, sizeof where, "a new connection after %s", after);
        return fail_at(r, where, e);
    }
    return KIT_PASS;
}

/* ---- the checks ----------------------------------------------------------- */

static kit_result check_ops_table(kit_run *r)
{
    unsigned i;
    for (i = 0; i < 2; i++) {
        const fc_transport *t = conn(r, i);
        const fc_transport_ops *o = t != NULL ? t->ops : NULL;
        if (o == NULL || o->connect == NULL || o->connect_poll == NULL || o->send == NULL ||
            o->recv == NULL || o->close == NULL || o->wait_events == NULL) {
            return failf(r,
                         "transport %u: ops or a required op (connect, connect_poll, send, "
                         "recv, close, wait_events) is NULL",
                         i);
        }
        if (r->kit->use_tls && o->handshake == NULL) {
            return failf(r, "transport %u: use_tls but no handshake op", i);
        }
    }
    return conn(r, 0) == conn(r, 1) || conn(r, 0)->ctx == conn(r, 1)->ctx
               ? failf(r, "the two transports must be distinct connections")
               : KIT_PASS;
}

static kit_result check_close_unconnected(kit_run *r)
{
    unsigned i;
    for (i = 0; i < 2; i++) {
        KIT_EXPECT_OK(r, close_conn(r, conn(r, i)), "first close()");
        KIT_EXPECT_OK(r, close_conn(r, conn(r, i)), "second close()");
    }
    return usable(r, conn(r, 0), "close() on a closed transport");
}

static kit_result check_connect_echo(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    KIT_EXPECT_OK(r, echo(r, t, 5, sizeof g_in), "ECHO 5");
    KIT_EXPECT_OK(r, close_conn(r, t), "close");
    return KIT_PASS;
}

/* Nothing sent by the peer: recv says would-block at once (and so does the
 * engine's 1-byte keep-alive probe), and wakes when data comes. */
static kit_result check_recv_would_block(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    size_t got = 0;
    unsigned ev;
    fc_err e;
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    e = t->ops->recv(t->ctx, g_in, sizeof g_in, &got);
    if (e != FC_AGAIN) {
        t->ops->close(t->ctx);
        return failf(r, "recv with nothing sent by the peer returned %s, not FC_AGAIN",
                     err_name(e));
    }
    ev = t->ops->wait_events(t->ctx);
    if (!r->kit->use_tls && ev != FC_WAIT_READ) {
        t->ops->close(t->ctx);
        return failf(r, "recv FC_AGAIN: wait_events() is 0x%x, not FC_WAIT_READ", ev);
    }
    e = t->ops->recv(t->ctx, g_in, 1, &got);
    if (e != FC_AGAIN) {
        t->ops->close(t->ctx);
        return failf(r,
                     "a 1-byte probe of an idle connection returned %s, not FC_AGAIN "
                     "(the client would drop every kept-alive connection)",
                     err_name(e));
    }
    KIT_EXPECT_OK(r, echo(r, t, 3, sizeof g_in), "then ECHO 3");
    KIT_EXPECT_OK(r, close_conn(r, t), "close");
    return KIT_PASS;
}

/* Sizes across buffer and segment boundaries, read through small and odd
 * capacities: recv never gives more than cap, nothing lost or doubled. */
static kit_result check_echo_sizes(kit_run *r)
{
    static const uint32_t sizes[] = {1, 7, 100, 1460, 4097, 20000};
    static const size_t caps[] = {1, 7, 777, FC_PORT_KIT_CHUNK};
    fc_transport *t = conn(r, 0);
    unsigned i;
    unsigned k;
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
            fc_err e;
            if (caps[k] < 8 && sizes[i] > 100) {
                continue; /* byte by byte only for the small ones */
            }
            e = echo(r, t, sizes[i], caps[k]);
            if (e != FC_OK) {
                char where[64];
                t->ops->close(t->ctx);
                (void)snprintf(where, sizeof where, "ECHO %u read %u at a time", (unsigned)sizes[i],
                               (unsigned)caps[k]);
                return fail_at(r, where, e);
            }
        }
    }
    KIT_EXPECT_OK(r, close_conn(r, t), "close");
    return KIT_PASS;
}

/* Bytes, then a clean close: all of the bytes, then FC_ERR_CLOSED (not
 * FC_OK with nothing, not an error: a close-delimited body ends so). */
static kit_result check_eof_after_data(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    uint32_t extra = 0;
    fc_err e;
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    KIT_EXPECT_OK(r, send_line(r, t, "SENDCLOSE 3000"), "SENDCLOSE");
    KIT_EXPECT_OK(r, recv_pattern(r, t, 3000, sizeof g_in), "the data before EOF");
    e = recv_end(r, t, &extra);
    t->ops->close(t->ctx);
    if (e != FC_ERR_CLOSED || extra != 0) {
        return e == KIT_BAD ? KIT_FAIL
                            : failf(r,
                                    "after the data and a clean close: %s (%u more bytes), "
                                    "not FC_ERR_CLOSED",
                                    err_name(e), (unsigned)extra);
    }
    return usable(r, t, "EOF");
}

static kit_result check_eof_no_data(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    uint32_t extra = 0;
    fc_err e;
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    KIT_EXPECT_OK(r, send_line(r, t, "CLOSE"), "CLOSE");
    e = recv_end(r, t, &extra);
    t->ops->close(t->ctx);
    if (e != FC_ERR_CLOSED || extra != 0) {
        return e == KIT_BAD ? KIT_FAIL
                            : failf(r,
                                    "a peer that closes at once: %s after %u bytes, not "
                                    "FC_ERR_CLOSED",
                                    err_name(e), (unsigned)extra);
    }
    return KIT_PASS;
}

/* A reset is an error, never a clean EOF (a cut response would pass as
 * whole); sending on the dead connection fails too, without a signal. */
static kit_result check_reset(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    uint32_t extra = 0;
    fc_err e;
    int i;
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    KIT_EXPECT_OK(r, send_line(r, t, "RESET"), "RESET");
    e = recv_end(r, t, &extra);
    if (e == KIT_BAD || e == FC_ERR_CLOSED || extra != 0) {
        t->ops->close(t->ctx);
        return e == KIT_BAD ? KIT_FAIL
                            : failf(r,
                                    "a reset connection ended in %s after %u bytes, not an "
                                    "error",
                                    err_name(e), (unsigned)extra);
    }
    for (i = 0, e = FC_OK; i < 3 && (e == FC_OK || e == FC_AGAIN); i++) {
        size_t sent = 0;
        e = t->ops->send(t->ctx, (const uint8_t *)"x\n", 2, &sent);
    }
    t->ops->close(t->ctx);
    if (e == FC_OK || e == FC_AGAIN) {
        return failf(r, "send on a reset connection still returns %s", err_name(e));
    }
    return usable(r, t, "a reset");
}

/* TLS: a TCP close without close_notify is a truncation, not an EOF. */
static kit_result check_tls_truncation(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    uint32_t extra = 0;
    fc_err e;
    if (!r->kit->use_tls) {
        (void)snprintf(r->why, sizeof r->why, "plain transport");
        return KIT_SKIP;
    }
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    KIT_EXPECT_OK(r, send_line(r, t, "TRUNCATE 300"), "TRUNCATE");
    KIT_EXPECT_OK(r, recv_pattern(r, t, 300, sizeof g_in), "the data before the cut");
    e = recv_end(r, t, &extra);
    t->ops->close(t->ctx);
    if (e == FC_ERR_CLOSED || e == KIT_BAD || extra != 0) {
        return e == KIT_BAD ? KIT_FAIL
                            : failf(r,
                                    "TCP FIN without close_notify ended in %s after %u more "
                                    "bytes, not an error",
                                    err_name(e), (unsigned)extra);
    }
    return KIT_PASS;
}

static kit_result check_refused(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    fc_err e;
    if (r->kit->peer.refused_port == 0) {
        (void)snprintf(r->why, sizeof r->why, "no refused_port given");
        return KIT_SKIP;
    }
    e = open_on(r, t, r->kit->peer.refused_port, r->kit->use_tls);
    t->ops->close(t->ctx);
    if (e != FC_ERR_CONNECT) {
        return e == KIT_BAD ? KIT_FAIL
                            : failf(r,
                                    "connect to a port nobody listens on: %s, not "
                                    "FC_ERR_CONNECT",
                                    err_name(e));
    }
    return usable(r, t, "a refused connect");
}

/* A plain stream refuses use_tls; a TLS layer passes use_tls == 0 through. */
static kit_result check_use_tls_flag(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    fc_err e;
    if (!r->kit->use_tls) {
        if (t->ops->handshake != NULL) {
            (void)snprintf(r->why, sizeof r->why, "a TLS layer run in plain mode");
            return KIT_SKIP;
        }
        e = tcp_open(r, t, r->kit->peer.port, 1);
        t->ops->close(t->ctx);
        return e == FC_ERR_TLS ? usable(r, t, "use_tls refused")
                               : failf(r,
                                       "a plain transport given use_tls = 1: %s, not "
                                       "FC_ERR_TLS",
                                       err_name(e));
    }
    if (r->kit->peer.plain_port == 0) {
        (void)snprintf(r->why, sizeof r->why, "no plain_port given");
        return KIT_SKIP;
    }
    KIT_EXPECT_OK(r, tcp_open(r, t, r->kit->peer.plain_port, 0), "connect with use_tls = 0");
    KIT_EXPECT_OK(r, echo(r, t, 1000, sizeof g_in), "plain ECHO through the TLS layer");
    KIT_EXPECT_OK(r, close_conn(r, t), "close");
    return KIT_PASS;
}

/* TLS handshakes that must fail, each with its error; the transport then
 * connects again. */
static kit_result tls_refusal(kit_run *r, uint16_t port, fc_err want, const char *what)
{
    fc_transport *t = conn(r, 0);
    fc_err e;
    if (!r->kit->use_tls || port == 0) {
        (void)snprintf(r->why, sizeof r->why, "%s",
                       r->kit->use_tls ? "no port given" : "plain transport");
        return KIT_SKIP;
    }
    e = open_on(r, t, port, 1);
    t->ops->close(t->ctx);
    if (e != want) {
        return e == KIT_BAD
                   ? KIT_FAIL
                   : failf(r, "handshake with %s: %s, not %s", what, err_name(e), fc_err_str(want));
    }
    return usable(r, t, what);
}

static kit_result check_tls_not_tls(kit_run *r)
{
    return tls_refusal(r, r->kit->peer.plain_port, FC_ERR_TLS, "a server that is not TLS");
}

static kit_result check_tls_untrusted(kit_run *r)
{
    return tls_refusal(r, r->kit->peer.untrusted_port, FC_ERR_TLS_VERIFY,
                       "a certificate from an untrusted CA");
}

static kit_result check_tls_wrong_name(kit_run *r)
{
    return tls_refusal(r, r->kit->peer.wrong_name_port, FC_ERR_TLS_VERIFY,
                       "a trusted certificate for another name");
}

/*
 * Back-pressure: connection A asks the peer to stop reading (HOLD) and
 * pushes until send says FC_AGAIN, which must come (and wait for WRITE);
 * connection B, open at the same time, then tells the peer to read A
 * again (RELEASE, with the total). A retries the very same chunk and
 * sends a few more, partial writes advancing by *sent; the peer checks
 * that every byte arrived once and in order.
 */
static fc_err push_until_again(kit_run *r, fc_transport *t, uint32_t *offset, size_t *at,
                               size_t *pending)
{
    uint32_t limit = r->kit->backpressure_max ? r->kit->backpressure_max : KIT_BACKPRESSURE_DEFAULT;
    uint32_t since = now_ms(r);
    size_t len = 0;
    size_t done = 0;
    while (*offset < limit) {
        size_t sent = (size_t)-1;
        fc_err e;
        if (done == len) {
            size_t i;
            for (i = 0; i < sizeof g_out; i++) {
                g_out[i] = fc_port_kit_pattern(*offset + (uint32_t)i);
            }
            len = sizeof g_out;
            done = 0;
        }
        e = t->ops->send(t->ctx, g_out + done, len - done, &sent);
        if (e == FC_AGAIN) {
            unsigned ev = t->ops->wait_events(t->ctx);
            if (ev == 0 || (!r->kit->use_tls && (ev & FC_WAIT_WRITE) == 0)) {
                return breach(r, "send FC_AGAIN with wait_events() 0x%x", ev);
            }
            *at = done; /* g_out + done, len - done go again, untouched */
            *pending = len - done;
            return FC_OK;
        }
        if (e != FC_OK) {
            return e;
        }
        if (sent == 0 || sent > len - done) {
            return breach(r, "send of %u bytes returned FC_OK with *sent = %u",
                          (unsigned)(len - done), (unsigned)sent);
        }
        done += sent;
        *offset += (uint32_t)sent;
        if (elapsed(r, since) > 6u * r->step_ms) {
            return breach(r, "no FC_AGAIN after %u bytes to a peer that does not read",
                          (unsigned)*offset);
        }
    }
    return breach(r, "no FC_AGAIN after %u bytes to a peer that does not read", (unsigned)limit);
}

static kit_result check_backpressure(kit_run *r)
{
    fc_transport *a = conn(r, 0);
    fc_transport *b = conn(r, 1);
    uint32_t token = r->kit->system.random(r->kit->system.ctx) % 1000000u;
    uint32_t offset = 0;
    uint32_t total;
    size_t at = 0;
    size_t pending = 0;
    char line[KIT_LINE_MAX];
    fc_err e;
    KIT_EXPECT_OK(r, open_peer(r, a), "connect A");
    KIT_EXPECT_OK(r, send_line(r, a, "HOLD %u", (unsigned)token), "HOLD on A");
    e = push_until_again(r, a, &offset, &at, &pending);
    if (e == FC_OK) {
        e = open_peer(r, b);
    }
    /* The peer reads A again after this, up to total bytes. */
    total = offset + (uint32_t)pending + 3u * FC_PORT_KIT_CHUNK + 11u;
    if (e == FC_OK) {
        e = send_line(r, b, "RELEASE %u %u", (unsigned)token, (unsigned)total);
    }
    if (e == FC_OK) {
        e = recv_line(r, b, line, sizeof line);
    }
    if (e == FC_OK && strcmp(line, "OK") != 0) {
        e = breach(r, "peer answered RELEASE with '%s'", line);
    }
    if (e == FC_OK) {
        e = send_all(r, a, g_out + at, pending); /* the same pointer and length */
    }
    if (e == FC_OK) {
        e = send_pattern(r, a, offset + (uint32_t)pending, total - offset - (uint32_t)pending);
    }
    if (e == FC_OK) {
        e = recv_line(r, a, line, sizeof line);
    }
    a->ops->close(a->ctx);
    b->ops->close(b->ctx);
    KIT_EXPECT_OK(r, e, "while A was held");
    if (strncmp(line, "GOT ", 4) != 0 || strstr(line, " OK") == NULL) {
        return failf(r, "the peer got a different stream: '%s' (sent %u bytes)", line,
                     (unsigned)total);
    }
    return KIT_PASS;
}

/* Two connections at once, interleaved: no byte crosses over. */
static kit_result check_two_connections(kit_run *r)
{
    fc_transport *a = conn(r, 0);
    fc_transport *b = conn(r, 1);
    uint32_t done = 0;
    fc_err e;
    KIT_EXPECT_OK(r, open_peer(r, a), "connect A");
    e = open_peer(r, b);
    if (e == FC_OK) {
        e = send_line(r, a, "ECHO 3001");
    }
    if (e == FC_OK) {
        e = send_line(r, b, "ECHO 2999");
    }
    while (e == FC_OK && done < 3001) {
        uint32_t n = 3001 - done < 500 ? 3001 - done : 500;
        e = send_pattern(r, a, done, n);
        if (e == FC_OK && done < 2999) {
            e = send_pattern(r, b, done, 2999 - done < n ? 2999 - done : n);
        }
        done += n;
    }
    if (e == FC_OK) {
        e = recv_pattern(r, b, 2999, sizeof g_in);
    }
    if (e == FC_OK) {
        e = recv_pattern(r, a, 3001, sizeof g_in);
    }
    a->ops->close(a->ctx);
    b->ops->close(b->ctx);
    KIT_EXPECT_OK(r, e, "interleaved echoes");
    return KIT_PASS;
}

/* close() while connecting (and, for TLS, mid-handshake) leaves the
 * transport ready for a new connection. */
static kit_result check_close_while_connecting(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    kit_result res;
    fc_err e = t->ops->connect(t->ctx, r->kit->peer.host, r->kit->peer.port, r->kit->use_tls);
    t->ops->close(t->ctx);
    if (e != FC_OK && e != FC_AGAIN) {
        return failf(r, "connect: %s", err_name(e));
    }
    res = usable(r, t, "close() during connect");
    if (res != KIT_PASS || !r->kit->use_tls) {
        return res;
    }
    KIT_EXPECT_OK(r, tcp_open(r, t, r->kit->peer.port, 1), "connect");
    e = t->ops->handshake(t->ctx);
    t->ops->close(t->ctx);
    if (e != FC_OK && e != FC_AGAIN) {
        return failf(r, "first handshake step: %s", err_name(e));
    }
    return usable(r, t, "close() during the handshake");
}

/* Unread data of a closed connection never shows up on the next one. */
static kit_result check_close_with_unread(kit_run *r)
{
    fc_transport *t = conn(r, 0);
    size_t got = 0;
    KIT_EXPECT_OK(r, open_peer(r, t), "connect");
    KIT_EXPECT_OK(r, send_line(r, t, "SEND 6000"), "SEND");
    KIT_EXPECT_OK(r, recv_some(r, t, g_in, 1, &got), "first byte");
    KIT_EXPECT_OK(r, close_conn(r, t), "close with data unread");
    KIT_EXPECT_OK(r, open_peer(r, t), "reconnect");
    KIT_EXPECT_OK(r, echo(r, t, 16, sizeof g_in), "ECHO 16 on the new connection");
    KIT_EXPECT_OK(r, close_conn(r, t), "close");
    return KIT_PASS;
}

/* Many connections one after the other: nothing leaks (descriptors,
 * PCBs, TLS contexts). */
static kit_result check_reconnect_many(kit_run *r)
{
    int i;
    for (i = 0; i < KIT_RECONNECTS; i++) {
        fc_transport *t = conn(r, (unsigned)i & 1u);
        fc_err e = open_peer(r, t);
        if (e == FC_OK) {
            e = echo(r, t, 1, sizeof g_in);
        }
        if (e == FC_OK) {
            e = close_conn(r, t);
        } else {
            t->ops->close(t->ctx);
        }
        if (e != FC_OK) {
            char where[48];
            (void)snprintf(where, sizeof where, "connection %d of %d", i + 1, KIT_RECONNECTS);
            return fail_at(r, where, e);
        }
    }
    return KIT_PASS;
}

static const kit_check k_checks[] = {
    {"ops_table", check_ops_table},
    {"close_unconnected", check_close_unconnected},
    {"connect_echo", check_connect_echo},
    {"recv_would_block", check_recv_would_block},
    {"echo_sizes", check_echo_sizes},
    {"eof_after_data", check_eof_after_data},
    {"eof_no_data", check_eof_no_data},
    {"reset", check_reset},
    {"tls_truncation", check_tls_truncation},
    {"refused", check_refused},
    {"use_tls_flag", check_use_tls_flag},
    {"tls_not_tls", check_tls_not_tls},
    {"tls_untrusted", check_tls_untrusted},
    {"tls_wrong_name", check_tls_wrong_name},
    {"backpressure", check_backpressure},
    {"two_connections", check_two_connections},
    {"close_while_connecting", check_close_while_connecting},
    {"close_with_unread", check_close_with_unread},
    {"reconnect_many", check_reconnect_many},
};

static void report(const fc_port_kit *kit, const char *fmt, ...)
{
    char line[320];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    kit->print(kit->print_ctx, line);
}

/* "a,b,c" contains name as a whole item. */
static int listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, ',');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        if (n == len && memcmp(list, name, len) == 0) {
            return 1;
        }
        list = end ? end + 1 : NULL;
    }
    return 0;
}

int fc_port_kit_run(const fc_port_kit *kit)
{
    kit_run r;
    unsigned i;
    int failed = 0;
    int passed = 0;
    int skipped = 0;
    memset(&r, 0, sizeof r);
    r.kit = kit;
    r.step_ms = kit->step_timeout_ms ? kit->step_timeout_ms : KIT_STEP_MS_DEFAULT;
    report(kit, "fc_port_kit: %s (%s) against %s:%u", kit->name ? kit->name : "transport",
           kit->use_tls ? "TLS" : "plain", kit->peer.host, (unsigned)kit->peer.port);
    for (i = 0; i < sizeof k_checks / sizeof k_checks[0]; i++) {
        kit_result res;
        if (kit->only != NULL && !listed(kit->only, k_checks[i].name)) {
            continue;
        }
        r.why[0] = '\0';
        res = listed(kit->skip, k_checks[i].name) ? KIT_SKIP : k_checks[i].run(&r);
        if (res == KIT_SKIP && r.why[0] == '\0') {
            (void)snprintf(r.why, sizeof r.why, "left out by the runner");
        }
        if (res == KIT_PASS) {
            passed++;
            report(kit, "ok   %s", k_checks[i].name);
        } else if (res == KIT_SKIP) {
            skipped++;
            report(kit, "skip %s: %s", k_checks[i].name, r.why);
        } else {
            failed++;
            report(kit, "FAIL %s: %s", k_checks[i].name, r.why);
            if (i == 0) {
                break; /* no usable ops table: nothing else can run */
            }
        }
    }
    report(kit, "fc_port_kit: %d passed, %d failed, %d skipped", passed, failed, skipped);
    return failed;
}
