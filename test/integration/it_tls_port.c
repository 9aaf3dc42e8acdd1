/* SPDX-License-Identifier: MIT */
/*
 * it_tls_port.c - port/mbedtls over port/posix against the HTTPS emulator,
 * with no HTTP engine: a hand-written request, driven non-blocking with
 * fc_posix_wait() (test/support/fc_tls_stack.h). Run as:
 * with_emulator.py -- it_tls_port. Sessions across processes: it_tls_session;
 * heap per connection: it_tls_heap.
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

#include <cmocka.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_posix.h"
#include "fc_tls_stack.h"

#include "../../port/mbedtls/fc_mbedtls_ip.h" /* private: tested directly */

static fc_mbedtls_config good_cfg;
static fc_mbedtls_config wrong_cfg;
static fc_tls_endpoint api;
static fc_tls_endpoint storage;
static fc_tls_endpoint admin;
static const char *api_key;

/* GET base-path/me on an open stack; 200 or the test fails. */
static void expect_me_ok(fc_tls_stack *s, const fc_tls_endpoint *e)
{
    fc_tls_expect_me_ok(s, e, api.path, api_key);
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

static void stack_init_redirect(fc_tls_stack *s, const char *real_host)
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

static void stack_init_trickle(fc_tls_stack *s)
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
    static fc_tls_stack s;
    (void)state;
    fc_tls_stack_init(&s, &good_cfg);
    assert_int_equal(fc_tls_stack_open(&s, api.host, api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_verify_flags(&s.tls), 0);
    expect_me_ok(&s, &api);
    fc_mbedtls_conn_free(&s.tls);
}

static void test_wrong_ca_rejected(void **state)
{
    static fc_tls_stack s;
    char why[64];
    (void)state;
    fc_tls_stack_init(&s, &wrong_cfg);
    assert_int_equal(fc_tls_stack_open(&s, api.host, api.port, 1), FC_ERR_TLS_VERIFY);
    assert_true(fc_mbedtls_conn_verify_flags(&s.tls) & MBEDTLS_X509_BADCERT_NOT_TRUSTED);
    assert_string_equal(
        fc_mbedtls_verify_reason(fc_mbedtls_conn_verify_flags(&s.tls), why, sizeof why),
        "not trusted by the CAs");
    fc_mbedtls_conn_free(&s.tls);
}

static void test_wrong_name_rejected(void **state)
{
    static fc_tls_stack s;
    (void)state;
    stack_init_redirect(&s, "127.0.0.1");
    assert_int_equal(fc_tls_stack_open(&s, "example.com", api.port, 1), FC_ERR_TLS_VERIFY);
    assert_true(fc_mbedtls_conn_verify_flags(&s.tls) & MBEDTLS_X509_BADCERT_CN_MISMATCH);
    fc_mbedtls_conn_free(&s.tls);
}

/* mbedTLS 2.28 cannot match IP SANs itself; the layer does it. */
static void test_ip_literal_verifies(void **state)
{
    static fc_tls_stack s;
    (void)state;
    fc_tls_stack_init(&s, &good_cfg);
    assert_int_equal(fc_tls_stack_open(&s, "127.0.0.1", api.port, 1), FC_OK);
    expect_me_ok(&s, &api);
    s.t.ops->close(s.t.ctx);
    /* The storage endpoint is addressed by IP in the emulator. */
    assert_int_equal(fc_tls_stack_open(&s, storage.host, storage.port, 1), FC_OK);
    fc_mbedtls_conn_free(&s.tls);
}

/* An IP the certificate does not list must fail, not pass unchecked. */
static void test_wrong_ip_rejected(void **state)
{
    static fc_tls_stack s;
    (void)state;
    stack_init_redirect(&s, "127.0.0.1");
    assert_int_equal(fc_tls_stack_open(&s, "127.0.0.2", api.port, 1), FC_ERR_TLS_VERIFY);
    assert_true(fc_mbedtls_conn_verify_flags(&s.tls) & MBEDTLS_X509_BADCERT_CN_MISMATCH);
    fc_mbedtls_conn_free(&s.tls);
}

static void test_session_resumed(void **state)
{
    static fc_tls_stack s;
    (void)state;
    fc_tls_stack_init(&s, &good_cfg);
    assert_int_equal(fc_tls_stack_open(&s, api.host, api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_resumed(&s.tls), 0);
    expect_me_ok(&s, &api);
    s.t.ops->close(s.t.ctx);

    assert_int_equal(fc_tls_stack_open(&s, api.host, api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_resumed(&s.tls), 1);
    expect_me_ok(&s, &api);
    s.t.ops->close(s.t.ctx);

    /* Another host name (same server) never gets that session. */
    assert_int_equal(fc_tls_stack_open(&s, "127.0.0.1", api.port, 1), FC_OK);
    assert_int_equal(fc_mbedtls_conn_resumed(&s.tls), 0);
    fc_mbedtls_conn_free(&s.tls);
}

/* Handshake and a request through 3-5 byte pieces with would-block
 * between all of them: WANT_READ/WANT_WRITE and write retries with the
 * same buffer must carry everything through. */
static void test_trickled_io(void **state)
{
    static fc_tls_stack s;
    (void)state;
    stack_init_trickle(&s);
    trickle_agains = 0;
    assert_int_equal(fc_tls_stack_open(&s, api.host, api.port, 1), FC_OK);
    expect_me_ok(&s, &api);
    assert_true(trickle_agains > 100);
    fc_mbedtls_conn_free(&s.tls);
}

/* use_tls == 0: the TLS transport is a plain pipe to the inner one. */
static void test_plain_passthrough(void **state)
{
    static fc_tls_stack s;
    char resp[64];
    (void)state;
    fc_tls_stack_init(&s, &good_cfg);
    assert_int_equal(fc_tls_stack_open(&s, admin.host, admin.port, 0), FC_OK);
    assert_int_equal(s.t.ops->handshake_kind(s.t.ctx), FC_HANDSHAKE_NONE);
    fc_tls_send_all(&s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_true(fc_tls_recv_some(&s, resp, sizeof resp, 9) >= 9);
    assert_memory_equal(resp, "HTTP/1.", 7);
    fc_mbedtls_conn_free(&s.tls);
}

#ifdef TCP_CORK
static int tcp_corked(const fc_tls_stack *s)
{
    int on = -1;
    socklen_t len = sizeof on;
    assert_int_equal(getsockopt(s->t.ops->pollable_fd(s->t.ctx), IPPROTO_TCP, TCP_CORK, &on, &len),
                     0);
    return on;
}
#endif

/* more_follows reaches the TCP socket below (the engine's streamed body
 * fills whole segments over TLS too), and 0 lets the held record out:
 * the request is answered. */
static void test_more_follows_reaches_tcp(void **state)
{
    static fc_tls_stack s;
    (void)state;
    fc_tls_stack_init(&s, &good_cfg);
    assert_int_equal(fc_tls_stack_open(&s, api.host, api.port, 1), FC_OK);
    assert_non_null(s.t.ops->more_follows);
    s.t.ops->more_follows(s.t.ctx, 1);
#ifdef TCP_CORK
    assert_int_equal(tcp_corked(&s), 1);
#endif
    s.t.ops->more_follows(s.t.ctx, 0);
#ifdef TCP_CORK
    assert_int_equal(tcp_corked(&s), 0);
#endif
    expect_me_ok(&s, &api);
    fc_mbedtls_conn_free(&s.tls);
}

/* The reason text the CLI prints: every flag named, in a bounded buffer. */
static void test_verify_reason_text(void **state)
{
    char buf[64];
    char tiny[8];
    (void)state;
    assert_string_equal(fc_mbedtls_verify_reason(0, buf, sizeof buf), "trusted");
    assert_string_equal(fc_mbedtls_verify_reason(MBEDTLS_X509_BADCERT_NOT_TRUSTED |
                                                     MBEDTLS_X509_BADCERT_CN_MISMATCH,
                                                 buf, sizeof buf),
                        "not trusted by the CAs; name mismatch");
    assert_string_equal(fc_mbedtls_verify_reason(MBEDTLS_X509_BADCERT_EXPIRED, buf, sizeof buf),
                        "expired");
    assert_string_equal(fc_mbedtls_verify_reason(0x80000000u, buf, sizeof buf),
                        "unrecognised flags");
    assert_string_equal(
        fc_mbedtls_verify_reason(MBEDTLS_X509_BADCERT_NOT_TRUSTED, tiny, sizeof tiny), "not tru");
    assert_string_equal(fc_mbedtls_verify_reason(1, NULL, 0), "");
}

/* The IP literal parser decides which hosts get the IP SAN check: a
 * wrong "yes" would skip name checks, a wrong "no" would fail closed. */
static void test_ip_literal_parser(void **state)
{
    static const char *const bad[] = {
        "127.1",
        "127.0.0.01",
        "256.0.0.1",
        "1.2.3.4.5",
        "1.2.3.",
        "localhost",
        "example.com",
        "",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        ":1",
        "1:",
        "12345::",
        "::1%eth0",
        "::ffff:1.2.3",
        "[::1",
        "1:2:3:4:5:6:7::8:9",
    };
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,    0,
                                   0,    8,    0x08, 0,    0x20, 0x0c, 0x41, 0x7a};
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

static int group_setup(void **state)
{
    (void)state;
    fc_tls_parse_url(fc_tls_need_env("FLUIDCLOUD_BASE_URL"), &api);
    fc_tls_parse_url(fc_tls_need_env("FC_EMU_STORAGE"), &storage);
    fc_tls_parse_url(fc_tls_need_env("FC_EMU_ADMIN"), &admin);
    api_key = fc_tls_need_env("FLUIDCLOUD_API_KEY");
    fc_tls_load_config(&good_cfg, "FLUIDCLOUD_CA_FILE");
    fc_tls_load_config(&wrong_cfg, "FC_EMU_WRONG_CA_FILE");
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
        cmocka_unit_test(test_verify_reason_text),
        cmocka_unit_test(test_localhost_verifies),
        cmocka_unit_test(test_wrong_ca_rejected),
        cmocka_unit_test(test_wrong_name_rejected),
        cmocka_unit_test(test_ip_literal_verifies),
        cmocka_unit_test(test_wrong_ip_rejected),
        cmocka_unit_test(test_session_resumed),
        cmocka_unit_test(test_trickled_io),
        cmocka_unit_test(test_plain_passthrough),
        cmocka_unit_test(test_more_follows_reaches_tcp),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
