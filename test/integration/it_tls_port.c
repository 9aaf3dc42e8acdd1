/*
 * it_tls_port.c - port/mbedtls over port/posix against the HTTPS emulator,
 * with no HTTP engine: a hand-written request, driven non-blocking with
 * fc_posix_wait(). Run as: with_emulator.py -- it_tls_port
 *
 * Environment (from with_emulator.py):
 *   FLUIDCLOUD_BASE_URL   https://localhost:PORT/api/v1
 *   FLUIDCLOUD_API_KEY    a valid key
 *   FLUIDCLOUD_CA_FILE    the CA that signed the emulator's certificate
 *   FC_EMU_WRONG_CA_FILE  an unrelated CA
 *   FC_EMU_STORAGE        https://127.0.0.1:PORT (verified by IP SAN)
 *   FC_EMU_ADMIN          http://127.0.0.1:PORT (plain)
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define IT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IT_ASAN 1
#endif
#endif

#include <cmocka.h>

#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_posix.h"

#include "../../port/mbedtls/fc_mbedtls_ip.h" /* private: tested directly */

#if defined(__GLIBC__) && !defined(IT_ASAN)
#include <malloc.h>
#define IT_MEASURE_HEAP 1
#endif

/* Every step must finish within this (the emulator is local). */
#define STEP_TIMEOUT_MS 10000u

typedef struct endpoint {
    char host[FC_CONFIG_HOST_MAX + 1];
    uint16_t port;
    char path[128];
} endpoint;

/* One TLS-over-TCP stack as an application would set it up. */
typedef struct stack {
    fc_posix_conn tcp;
    fc_transport inner;
    fc_mbedtls_conn tls;
    fc_transport t;
} stack;

static fc_mbedtls_config good_cfg;
static fc_mbedtls_config wrong_cfg;
static endpoint api;
static endpoint storage;
static endpoint admin;
static const char *api_key;

/* ---- environment ------------------------------------------------------- */

static const char *need_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "it_tls_port: %s not set (run under with_emulator.py)\n", name);
        exit(2);
    }
    return v;
}

/* "scheme://host:port/path" -> e; enough for the emulator's URLs. */
static void parse_url(const char *url, endpoint *e)
{
    const char *h = strstr(url, "://");
    const char *colon;
    const char *slash;
    size_t len;

    assert_non_null(h);
    h += 3;
    slash = strchr(h, '/');
    if (slash == NULL) {
        slash = h + strlen(h);
    }
    colon = memchr(h, ':', (size_t)(slash - h));
    assert_non_null(colon);
    len = (size_t)(colon - h);
    assert_true(len < sizeof e->host);
    memcpy(e->host, h, len);
    e->host[len] = '\0';
    e->port = (uint16_t)strtoul(colon + 1, NULL, 10);
    assert_true(strlen(slash) < sizeof e->path);
    strcpy(e->path, slash);
}

/* ---- driving a stack ----------------------------------------------------- */

static uint32_t now_ms(void)
{
    fc_system s = fc_posix_system();
    return s.now_ms(s.ctx);
}

/* Sleep until the transport can make progress (what it said it waits for). */
static void wait_for(const fc_transport *t)
{
    unsigned ev = t->ops->wait_events(t->ctx);
    assert_true(ev == FC_WAIT_READ || ev == FC_WAIT_WRITE);
    (void)fc_posix_wait(t->ops->pollable_fd(t->ctx), ev, 100);
}

static void stack_init(stack *s, fc_mbedtls_config *cfg)
{
    fc_posix_transport_init(&s->tcp, &s->inner);
    fc_mbedtls_conn_init(&s->tls, cfg, &s->inner, &s->t);
}

/* connect -> connect_poll -> handshake, non-blocking. */
static fc_err stack_open(stack *s, const char *host, uint16_t port, int use_tls)
{
    uint32_t start = now_ms();
    fc_err err = s->t.ops->connect(s->t.ctx, host, port, use_tls);
    while (err == FC_AGAIN && now_ms() - start < STEP_TIMEOUT_MS) {
        wait_for(&s->t);
        err = s->t.ops->connect_poll(s->t.ctx);
    }
    while (err == FC_OK && s->t.ops->handshake != NULL) {
        err = s->t.ops->handshake(s->t.ctx);
        if (err != FC_AGAIN) {
            break;
        }
        assert_true(now_ms() - start < STEP_TIMEOUT_MS);
        wait_for(&s->t);
        err = FC_OK;
    }
    return err;
}

/* Send all of data, retrying with the same buffer after FC_AGAIN. */
static void send_all(stack *s, const char *data)
{
    size_t len = strlen(data);
    size_t off = 0;
    uint32_t start = now_ms();
    while (off < len) {
        size_t n = 0;
        fc_err err = s->t.ops->send(s->t.ctx, (const uint8_t *)data + off, len - off, &n);
        if (err == FC_AGAIN) {
            assert_true(now_ms() - start < STEP_TIMEOUT_MS);
            wait_for(&s->t);
            continue;
        }
        assert_int_equal(err, FC_OK);
        assert_true(n > 0);
        off += n;
    }
}

/* Read until want bytes arrived or EOF; returns the count. */
static size_t recv_some(stack *s, char *buf, size_t cap, size_t want)
{
    size_t have = 0;
    uint32_t start = now_ms();
    while (have < want && have < cap - 1) {
        size_t n = 0;
        fc_err err = s->t.ops->recv(s->t.ctx, (uint8_t *)buf + have, cap - 1 - have, &n);
        if (err == FC_AGAIN) {
            assert_true(now_ms() - start < STEP_TIMEOUT_MS);
            wait_for(&s->t);
            continue;
        }
        if (err == FC_ERR_CLOSED) {
            break;
        }
        assert_int_equal(err, FC_OK);
        have += n;
    }
    buf[have] = '\0';
    return have;
}

/* GET base-path/me by hand; returns the status line's first 12 bytes. */
static void get_me(stack *s, const endpoint *e, char *resp, size_t cap)
{
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET %s/me HTTP/1.1\r\nHost: %s:%u\r\nX-API-Key: %s\r\n"
                     "Accept: application/json\r\nConnection: close\r\n\r\n",
                     api.path, e->host, (unsigned)e->port, api_key);
    assert_true(n > 0 && (size_t)n < sizeof req);
    send_all(s, req);
    assert_true(recv_some(s, resp, cap, 12) >= 12);
}

static void expect_me_ok(stack *s, const endpoint *e)
{
    char resp[256];
    get_me(s, e, resp, sizeof resp);
    if (strncmp(resp, "HTTP/1.1 200", 12) != 0) {
        fail_msg("unexpected response: %.60s", resp);
    }
}

/* ---- a transport that connects elsewhere than the name it verifies ---- */

/* The TLS layer verifies the host it is given; this inner transport
 * connects to redirect_host instead, as a DNS spoof would. */
static fc_transport_ops redirect_ops;
static const fc_transport_ops *posix_ops;
static const char *redirect_host;

static fc_err redirect_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    (void)host;
    return posix_ops->connect(ctx, redirect_host, port, use_tls);
}

static void stack_init_redirect(stack *s, const char *real_host)
{
    fc_posix_transport_init(&s->tcp, &s->inner);
    posix_ops = s->inner.ops;
    redirect_ops = *posix_ops;
    redirect_ops.connect = redirect_connect;
    redirect_host = real_host;
    s->inner.ops = &redirect_ops;
    fc_mbedtls_conn_init(&s->tls, &good_cfg, &s->inner, &s->t);
}

/* ---- a transport that trickles: tiny pieces, would-block in between ---- */

/* Every other call says FC_AGAIN, and the rest move at most a few bytes,
 * so every mbedTLS record crosses many bio calls and WANT_* returns. */
static fc_transport_ops trickle_ops;
static unsigned trickle_tick;
static unsigned trickle_wait;
static unsigned trickle_agains;

static fc_err trickle_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    if (trickle_tick++ % 2 == 0) {
        *sent = 0;
        trickle_wait = FC_WAIT_WRITE;
        trickle_agains++;
        return FC_AGAIN;
    }
    trickle_wait = 0;
    return posix_ops->send(ctx, data, len < 5 ? len : 5, sent);
}

static fc_err trickle_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    if (trickle_tick++ % 2 == 0) {
        *got = 0;
        trickle_wait = FC_WAIT_READ;
        trickle_agains++;
        return FC_AGAIN;
    }
    trickle_wait = 0;
    return posix_ops->recv(ctx, buf, cap < 3 ? cap : 3, got);
}

static unsigned trickle_wait_events(void *ctx)
{
    return trickle_wait != 0 ? trickle_wait : posix_ops->wait_events(ctx);
}

static void stack_init_trickle(stack *s)
{
    fc_posix_transport_init(&s->tcp, &s->inner);
    posix_ops = s->inner.ops;
    trickle_ops = *posix_ops;
    trickle_ops.send = trickle_send;
    trickle_ops.recv = trickle_recv;
    trickle_ops.wait_events = trickle_wait_events;
    s->inner.ops = &trickle_ops;
    fc_mbedtls_conn_init(&s->tls, &good_cfg, &s->inner, &s->t);
}

/* ---- tests --------------------------------------------------------------- */

static void test_localhost_verifies(void **state)
{
    static stack s;
    (void)state;
    stack_init(&s, &good_cfg);
    assert_int_equal(stack_open(&s, api.host, api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_verify_flags(&s.tls), 0);
    expect_me_ok(&s, &api);
    fc_mbedtls_conn_free(&s.tls);
}

static void test_wrong_ca_rejected(void **state)
{
    static stack s;
    (void)state;
    stack_init(&s, &wrong_cfg);
    assert_int_equal(stack_open(&s, api.host, api.port, 1), FC_ERR_TLS_VERIFY);
    assert_true(fc_mbedtls_conn_verify_flags(&s.tls) & MBEDTLS_X509_BADCERT_NOT_TRUSTED);
    fc_mbedtls_conn_free(&s.tls);
}

static void test_wrong_name_rejected(void **state)
{
    static stack s;
    (void)state;
    stack_init_redirect(&s, "127.0.0.1");
    assert_int_equal(stack_open(&s, "example.com", api.port, 1), FC_ERR_TLS_VERIFY);
    assert_true(fc_mbedtls_conn_verify_flags(&s.tls) & MBEDTLS_X509_BADCERT_CN_MISMATCH);
    fc_mbedtls_conn_free(&s.tls);
}

/* mbedTLS 2.28 cannot match IP SANs itself; the layer does it. */
static void test_ip_literal_verifies(void **state)
{
    static stack s;
    (void)state;
    stack_init(&s, &good_cfg);
    assert_int_equal(stack_open(&s, "127.0.0.1", api.port, 1), FC_OK);
    expect_me_ok(&s, &api);
    s.t.ops->close(s.t.ctx);
    /* The storage endpoint is addressed by IP in the emulator. */
    assert_int_equal(stack_open(&s, storage.host, storage.port, 1), FC_OK);
    fc_mbedtls_conn_free(&s.tls);
}

/* An IP the certificate does not list must fail, not pass unchecked. */
static void test_wrong_ip_rejected(void **state)
{
    static stack s;
    (void)state;
    stack_init_redirect(&s, "127.0.0.1");
    assert_int_equal(stack_open(&s, "127.0.0.2", api.port, 1), FC_ERR_TLS_VERIFY);
    assert_true(fc_mbedtls_conn_verify_flags(&s.tls) & MBEDTLS_X509_BADCERT_CN_MISMATCH);
    fc_mbedtls_conn_free(&s.tls);
}

static void test_session_resumed(void **state)
{
    static stack s;
    (void)state;
    stack_init(&s, &good_cfg);
    assert_int_equal(stack_open(&s, api.host, api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_resumed(&s.tls), 0);
    expect_me_ok(&s, &api);
    s.t.ops->close(s.t.ctx);

    assert_int_equal(stack_open(&s, api.host, api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_resumed(&s.tls), 1);
    expect_me_ok(&s, &api);
    s.t.ops->close(s.t.ctx);

    /* Another host name (same server) never gets that session. */
    assert_int_equal(stack_open(&s, "127.0.0.1", api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_resumed(&s.tls), 0);
    fc_mbedtls_conn_free(&s.tls);
}

/* Handshake and a request through 3-5 byte pieces with would-block
 * between all of them: WANT_READ/WANT_WRITE and write retries with the
 * same buffer must carry everything through. */
static void test_trickled_io(void **state)
{
    static stack s;
    (void)state;
    stack_init_trickle(&s);
    trickle_agains = 0;
    assert_int_equal(stack_open(&s, api.host, api.port, 1), FC_OK);
    expect_me_ok(&s, &api);
    assert_true(trickle_agains > 100);
    fc_mbedtls_conn_free(&s.tls);
}

/* use_tls == 0: the TLS transport is a plain pipe to the inner one. */
static void test_plain_passthrough(void **state)
{
    static stack s;
    char resp[64];
    (void)state;
    stack_init(&s, &good_cfg);
    assert_int_equal(stack_open(&s, admin.host, admin.port, 0), FC_OK);
    send_all(&s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_true(recv_some(&s, resp, sizeof resp, 9) >= 9);
    assert_memory_equal(resp, "HTTP/1.", 7);
    fc_mbedtls_conn_free(&s.tls);
}

/* Heap mbedTLS holds per connection, for the README's arena sizing. Only
 * meaningful without ASan (which replaces the allocator). */
static void test_report_memory(void **state)
{
#if defined(IT_MEASURE_HEAP)
    static stack s;
    size_t base;
    size_t peak = 0;
    size_t open_now;
    uint32_t start = now_ms();
    fc_err err;
    (void)state;
    stack_init(&s, &good_cfg);
    base = mallinfo2().uordblks;
    err = s.t.ops->connect(s.t.ctx, api.host, api.port, 1);
    while (err == FC_AGAIN && now_ms() - start < STEP_TIMEOUT_MS) {
        wait_for(&s.t);
        err = s.t.ops->connect_poll(s.t.ctx);
    }
    while (err == FC_OK || err == FC_AGAIN) {
        size_t used = mallinfo2().uordblks - base;
        peak = used > peak ? used : peak;
        err = s.t.ops->handshake(s.t.ctx);
        if (err != FC_AGAIN) {
            break;
        }
        wait_for(&s.t);
    }
    assert_int_equal(err, FC_OK);
    open_now = mallinfo2().uordblks - base;
    printf("[ INFO     ] mbedTLS heap per connection: %zu bytes during the handshake "
           "(peak sampled between steps), %zu bytes once open\n",
           peak > open_now ? peak : open_now, open_now);
    fc_mbedtls_conn_free(&s.tls);
#else
    (void)state;
    skip();
#endif
}

/* The IP literal parser decides which hosts get the IP SAN check: a
 * wrong "yes" would skip name checks, a wrong "no" would fail closed. */
static void test_ip_literal_parser(void **state)
{
    static const char *const bad[] = {
        "127.1", "127.0.0.01", "256.0.0.1", "1.2.3.4.5", "1.2.3.", "localhost",
        "example.com", "", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1", "1:", "12345::",
        "::1%eth0", "::ffff:1.2.3", "[::1", "1:2:3:4:5:6:7::8:9",
    };
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                   0, 8, 0x08, 0, 0x20, 0x0c, 0x41, 0x7a};
    static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
    uint8_t ip[16];
    size_t i;
    (void)state;

    assert_int_equal(fc_mbedtls_parse_ip("127.0.0.1", ip), 4);
    assert_memory_equal(ip, "\x7f\0\0\x01", 4);
    assert_int_equal(fc_mbedtls_parse_ip("[::1]", ip), 16);
    assert_int_equal(ip[15], 1);
    assert_int_equal(fc_mbedtls_parse_ip("::", ip), 16);
    assert_int_equal(ip[0] | ip[15], 0);
    assert_int_equal(fc_mbedtls_parse_ip("2001:DB8::8:800:200c:417a", ip), 16);
    assert_memory_equal(ip, v6, 16);
    assert_int_equal(fc_mbedtls_parse_ip("::ffff:192.0.2.1", ip), 16);
    assert_memory_equal(ip, mapped, 16);
    assert_int_equal(fc_mbedtls_parse_ip("1:2:3:4:5:6:7:8", ip), 16);
    assert_int_equal(ip[14] * 256 + ip[15], 8);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (fc_mbedtls_parse_ip(bad[i], ip) != 0) {
            fail_msg("parsed \"%s\" as an IP", bad[i]);
        }
    }
}

static fc_mbedtls_config *load(fc_mbedtls_config *cfg, const char *ca_env)
{
    assert_int_equal(fc_mbedtls_config_init(cfg), FC_OK);
    assert_int_equal(fc_mbedtls_config_add_ca_file(cfg, need_env(ca_env)), FC_OK);
    return cfg;
}

static int group_setup(void **state)
{
    (void)state;
    parse_url(need_env("FLUIDCLOUD_BASE_URL"), &api);
    parse_url(need_env("FC_EMU_STORAGE"), &storage);
    parse_url(need_env("FC_EMU_ADMIN"), &admin);
    api_key = need_env("FLUIDCLOUD_API_KEY");
    (void)load(&good_cfg, "FLUIDCLOUD_CA_FILE");
    (void)load(&wrong_cfg, "FC_EMU_WRONG_CA_FILE");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fc_mbedtls_config_free(&good_cfg);
    fc_mbedtls_config_free(&wrong_cfg);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ip_literal_parser),
        cmocka_unit_test(test_localhost_verifies),
        cmocka_unit_test(test_wrong_ca_rejected),
        cmocka_unit_test(test_wrong_name_rejected),
        cmocka_unit_test(test_ip_literal_verifies),
        cmocka_unit_test(test_wrong_ip_rejected),
        cmocka_unit_test(test_session_resumed),
        cmocka_unit_test(test_trickled_io),
        cmocka_unit_test(test_plain_passthrough),
        cmocka_unit_test(test_report_memory),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
