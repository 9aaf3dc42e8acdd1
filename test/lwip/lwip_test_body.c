/* SPDX-License-Identifier: MIT */
/*
 * lwip_test_body.c - HTTP exchanges through the transport under test:
 *  1. GET /hello            small response, EOF after Connection: close
 *  2. GET /big              a body larger than lwIP's receive window, so
 *                           reading must reopen the window (tcp_recved)
 *  3. PUT /count            a body larger than the send buffer, so send
 *                           must return partial counts and FC_AGAIN
 *  4. connect to a closed port: the RST must end in FC_ERR_CONNECT
 * The server (run_in_netns.py) answers /count with the length and byte
 * sum it received. Every wait is bounded, so a stall fails, not hangs.
 */
#include "lwip_test_body.h"

#include <stdio.h>
#include <string.h>

#include "lwip_tap_stack.h"

#define STEP_TIMEOUT_MS 20000u
#define BIG_LEN         200000u
#define PUT_LEN         300000u

/* Up to 1 ms for the network: lwIP's threads run, or (NO_SYS=1) this
 * loop feeds lwIP the frames that arrive meanwhile. */
static void nap(void)
{
    lwip_tap_stack_wait(1u, FC_WAIT_READ | FC_WAIT_WRITE);
}

/* Byte i of the /big body and of the PUT body (same rule both ends). */
static uint8_t pattern(uint32_t i)
{
    return (uint8_t)('a' + (i * 7u + i / 251u) % 26u);
}

static int timed_out(const fc_system *sys, uint32_t start)
{
    return (uint32_t)(sys->now_ms(sys->ctx) - start) > STEP_TIMEOUT_MS;
}

static fc_err do_connect(const fc_transport *t, const fc_system *sys, const lwip_test_target *tg)
{
    uint32_t start = sys->now_ms(sys->ctx);
    fc_err r = t->ops->connect(t->ctx, tg->host, tg->port, tg->use_tls);
    if (r == FC_AGAIN || r == FC_OK) {
        while ((r = t->ops->connect_poll(t->ctx)) == FC_AGAIN && !timed_out(sys, start)) {
            nap();
        }
    }
    if (r == FC_OK && t->ops->handshake != NULL) {
        while ((r = t->ops->handshake(t->ctx)) == FC_AGAIN && !timed_out(sys, start)) {
            nap();
        }
    }
    return r;
}

static fc_err send_all(const fc_transport *t, const fc_system *sys, const uint8_t *p, size_t len)
{
    uint32_t start = sys->now_ms(sys->ctx);
    while (len > 0) {
        size_t sent = 0;
        fc_err r = t->ops->send(t->ctx, p, len, &sent);
        if (r == FC_AGAIN) {
            if (timed_out(sys, start)) {
                return FC_ERR_TIMEOUT;
            }
            nap();
            continue;
        }
        if (r != FC_OK) {
            return r;
        }
        p += sent;
        len -= sent;
        start = sys->now_ms(sys->ctx);
    }
    return FC_OK;
}

/* Sends a PUT body of PUT_LEN pattern bytes, in pieces of odd sizes. */
static fc_err send_pattern(const fc_transport *t, const fc_system *sys)
{
    uint8_t chunk[1499];
    uint32_t off = 0;
    while (off < PUT_LEN) {
        size_t n = PUT_LEN - off < sizeof chunk ? PUT_LEN - off : sizeof chunk;
        size_t i;
        fc_err r;
        for (i = 0; i < n; i++) {
            chunk[i] = pattern(off + (uint32_t)i);
        }
        r = send_all(t, sys, chunk, n);
        if (r != FC_OK) {
            return r;
        }
        off += (uint32_t)n;
    }
    return FC_OK;
}

/* Reads the whole response until EOF into resp (cap bytes; the rest is
 * only counted and checked against the pattern after the head). */
typedef struct response {
    char head[1024];
    size_t head_len;
    size_t total; /* all bytes received */
    size_t body_len;
    size_t body_bad; /* body bytes that broke the pattern */
    int in_body;
} response;

static void take_bytes(response *rsp, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (rsp->in_body) {
            rsp->body_bad += p[i] != pattern((uint32_t)rsp->body_len);
            rsp->body_len++;
        } else if (rsp->head_len < sizeof rsp->head - 1) {
            rsp->head[rsp->head_len++] = (char)p[i];
            rsp->head[rsp->head_len] = '\0';
            rsp->in_body =
                rsp->head_len >= 4 && memcmp(rsp->head + rsp->head_len - 4, "\r\n\r\n", 4) == 0;
        }
    }
    rsp->total += n;
}

static fc_err read_to_eof(const fc_transport *t, const fc_system *sys, response *rsp)
{
    uint8_t buf[777]; /* odd size: reads split pbufs in the middle */
    uint32_t start = sys->now_ms(sys->ctx);
    memset(rsp, 0, sizeof *rsp);
    for (;;) {
        size_t got = 0;
        fc_err r = t->ops->recv(t->ctx, buf, sizeof buf, &got);
        if (r == FC_ERR_CLOSED) {
            return FC_OK;
        }
        if (r == FC_AGAIN) {
            if (timed_out(sys, start)) {
                return FC_ERR_TIMEOUT;
            }
            nap();
            continue;
        }
        if (r != FC_OK) {
            return r;
        }
        take_bytes(rsp, buf, got);
        start = sys->now_ms(sys->ctx);
    }
}

static int fail(const char *what, fc_err r)
{
    fprintf(stderr, "FAIL: %s: %s\n", what, fc_err_str(r));
    return 1;
}

/* One request: head (and optional pattern body), then read to EOF. */
static int exchange(const fc_transport *t, const fc_system *sys, const lwip_test_target *tg,
                    const char *head, int with_body, response *rsp)
{
    fc_err r = do_connect(t, sys, tg);
    if (r != FC_OK) {
        return fail("connect", r);
    }
    r = send_all(t, sys, (const uint8_t *)head, strlen(head));
    if (r == FC_OK && with_body) {
        r = send_pattern(t, sys);
    }
    if (r != FC_OK) {
        t->ops->close(t->ctx);
        return fail("send", r);
    }
    r = read_to_eof(t, sys, rsp);
    t->ops->close(t->ctx);
    if (r != FC_OK) {
        return fail("recv", r);
    }
    if (strncmp(rsp->head, "HTTP/1.", 7) != 0 || strstr(rsp->head, " 200 ") == NULL) {
        fprintf(stderr, "FAIL: status: %.80s\n", rsp->head);
        return 1;
    }
    return 0;
}

static int test_hello(const fc_transport *t, const fc_system *sys, const lwip_test_target *tg)
{
    static response rsp;
    if (exchange(t, sys, tg, "GET /hello HTTP/1.1\r\nHost: lwip-test\r\nConnection: close\r\n\r\n",
                 0, &rsp) != 0) {
        return 1;
    }
    printf("GET /hello: %zu bytes\n", rsp.total);
    return 0;
}

static int test_big(const fc_transport *t, const fc_system *sys, const lwip_test_target *tg)
{
    static response rsp;
    if (exchange(t, sys, tg, "GET /big HTTP/1.1\r\nHost: lwip-test\r\nConnection: close\r\n\r\n", 0,
                 &rsp) != 0) {
        return 1;
    }
    printf("GET /big: body %zu bytes, %zu wrong\n", rsp.body_len, rsp.body_bad);
    if (rsp.body_len != BIG_LEN || rsp.body_bad != 0) {
        fprintf(stderr, "FAIL: /big body\n");
        return 1;
    }
    return 0;
}

static int test_put(const fc_transport *t, const fc_system *sys, const lwip_test_target *tg)
{
    static response rsp;
    char head[160];
    snprintf(
        head, sizeof head,
        "PUT /count HTTP/1.1\r\nHost: lwip-test\r\nContent-Length: %u\r\nConnection: close\r\n\r\n",
        PUT_LEN);
    if (exchange(t, sys, tg, head, 1, &rsp) != 0) {
        return 1;
    }
    {
        const char *xc = strstr(rsp.head, "X-Count") ? strstr(rsp.head, "X-Count") : rsp.head;
        printf("PUT /count: %.*s\n", (int)strcspn(xc, "\r\n"), xc);
    }
    if (strstr(rsp.head, "X-Count: 300000 ok") == NULL) {
        fprintf(stderr, "FAIL: server did not receive the PUT body intact\n");
        return 1;
    }
    return 0;
}

static int test_refused(const fc_transport *t, const fc_system *sys, const lwip_test_target *tg)
{
    lwip_test_target closed = *tg;
    fc_err r;
    closed.port = (uint16_t)(tg->port + 1); /* nothing listens there */
    r = do_connect(t, sys, &closed);
    t->ops->close(t->ctx);
    printf("connect to a closed port: %s\n", fc_err_str(r));
    if (r != FC_ERR_CONNECT) {
        fprintf(stderr, "FAIL: expected FC_ERR_CONNECT\n");
        return 1;
    }
    return 0;
}

int lwip_test_body(const fc_transport *t, const fc_system *sys, const lwip_test_target *target)
{
    int failed = 0;
    failed += test_hello(t, sys, target);
    failed += test_big(t, sys, target);
    failed += test_put(t, sys, target);
    if (!target->use_tls) {
        failed += test_refused(t, sys, target);
    }
    return failed;
}
