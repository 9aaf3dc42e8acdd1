/* SPDX-License-Identifier: MIT */
/*
 * test_engine.c - the request state machine against the scripted mock
 * transport: every response split at every byte boundary, with and
 * without would-block between pieces, EOF and resets at every offset,
 * stalls, retries, keep-alive, buffer limits and the key's destination.
 * Every run must end (bounded polls) in the right result or a clean error.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fc_engine_fixture.h"

#define KEY FC_FIXTURE_KEY

typedef fc_engine_fixture fixture;

#define k_ping      fc_fixture_ping_get
#define k_ping_post fc_fixture_ping_post

static fixture *fresh(size_t io_size, uint8_t attempts)
{
    return fc_fixture_fresh(io_size, attempts);
}

static fc_err start(fixture *fx, const fc_request *req, const char *path)
{
    return fc_fixture_start(fx, req, path);
}

static fc_err run(fixture *fx)
{
    return fc_fixture_run(fx);
}

/* ---- canned responses ----------------------------------------------------- */

#define JSON_BODY "{\"tenant_id\":\"t1\",\"mode\":\"test1\"}"

static const char *const k_good[] = {
    /* Content-Length */
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    "Content-Length: 33\r\n\r\n" JSON_BODY,
    /* chunked, odd header case, chunk extension and trailer */
    "HTTP/1.1 200 OK\r\ntRANSFER-eNCODING: chunked\r\nRetry-After: 3\r\n\r\n"
    "5;ext=1\r\n{\"ten\r\n1c\r\nant_id\":\"t1\",\"mode\":\"test1\"}\r\n0\r\nX-T: y\r\n\r\n",
    /* 100 Continue before the real response */
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 33\r\n\r\n" JSON_BODY,
};

static const char k_close_delimited[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" JSON_BODY;

static void expect_body(const fixture *fx)
{
    assert_int_equal(fx->status, 200);
    assert_int_equal(fx->body_len, strlen(JSON_BODY));
    assert_memory_equal(fx->body, JSON_BODY, fx->body_len);
}

static void run_split(const char *resp, size_t chunk, int would_block, int close_after)
{
    fixture *fx = fresh(2048, 1);
    fc_mock_exchange *e = fc_mock_add(&fx->mock, resp);
    e->close_after = close_after;
    fx->mock.chunk = chunk;
    fx->mock.would_block = would_block;
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    expect_body(fx);
}

static void test_every_split(void **state)
{
    size_t i;
    size_t chunk;
    (void)state;
    for (i = 0; i < sizeof k_good / sizeof k_good[0]; i++) {
        size_t len = strlen(k_good[i]);
        for (chunk = 1; chunk <= len; chunk++) {
            run_split(k_good[i], chunk, 0, 0);
            run_split(k_good[i], chunk, 1, 0);
        }
    }
    for (chunk = 1; chunk <= sizeof k_close_delimited; chunk++) {
        run_split(k_close_delimited, chunk, chunk % 2, 1);
    }
}

/* EOF or reset at every offset: complete responses succeed, anything cut
 * short ends in a clean error, never a hang or a false success. */
static void run_cut(const char *resp, long at, int reset, int wb, int expect_ok)
{
    fixture *fx = fresh(2048, 1);
    fc_mock_exchange *e = fc_mock_add(&fx->mock, resp);
    fc_err r;
    if (reset) {
        e->reset_at = at;
    } else {
        e->eof_at = at;
    }
    fx->mock.would_block = wb;
    fx->mock.chunk = 7;
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    r = run(fx);
    if (expect_ok) {
        assert_int_equal(r, FC_OK);
        expect_body(fx);
    } else {
        assert_true(r == FC_ERR_CLOSED || r == FC_ERR_TRANSPORT || r == FC_ERR_PROTOCOL);
        assert_int_equal(fc_client_error(&fx->client)->err, r);
    }
}

static void test_cut_everywhere(void **state)
{
    size_t i;
    long at;
    (void)state;
    for (i = 0; i < sizeof k_good / sizeof k_good[0]; i++) {
        long len = (long)strlen(k_good[i]);
        for (at = 0; at < len; at++) {
            run_cut(k_good[i], at, 0, (int)(at & 1), 0);
            run_cut(k_good[i], at, 1, (int)(at & 1), 0);
        }
        /* The whole response delivered, then EOF or a reset: a success,
         * since the response was complete before the connection died. */
        run_cut(k_good[i], len, 0, 0, 1);
        run_cut(k_good[i], len, 1, 1, 1);
    }
}

static void test_cut_content_length_is_error(void **state)
{
    fixture *fx = fresh(2048, 1);
    fc_mock_exchange *e = fc_mock_add(&fx->mock, k_good[0]);
    (void)state;
    e->eof_at = (long)strlen(k_good[0]) - 1;
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_CLOSED);
}

static void test_garbage_is_protocol_error(void **state)
{
    fixture *fx = fresh(2048, 1);
    (void)state;
    fc_mock_add(&fx->mock, "SSH-2.0-OpenSSH\r\n\r\n");
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_PROTOCOL);
}

static void test_stall_times_out(void **state)
{
    fixture *fx = fresh(2048, 2);
    (void)state;
    fc_mock_add(&fx->mock, k_good[0])->stall = 1;
    fc_mock_add(&fx->mock, k_good[0])->stall = 1;
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_TIMEOUT);
    assert_int_equal(fc_client_error(&fx->client)->attempts, 2);
}

static void test_429_retry_after_then_success(void **state)
{
    fixture *fx = fresh(2048, 3);
    uint32_t t0;
    (void)state;
    fc_mock_add(&fx->mock,
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nContent-Length: 23\r\n\r\n"
                "{\"detail\":\"slow down\"}\n");
    fc_mock_add(&fx->mock, k_good[0]);
    t0 = fx->clock.now;
    assert_int_equal(start(fx, &k_ping_post, "/shares"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    expect_body(fx);
    assert_true(fx->clock.now - t0 >= 2000u);
    assert_int_equal(fx->mock.connects, 1); /* the 429 kept the connection */
}

static void test_503_retried_for_get_not_post(void **state)
{
    static const char k503[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
    fixture *fx = fresh(2048, 3);
    (void)state;
    fc_mock_add(&fx->mock, k503);
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);

    fx = fresh(2048, 3);
    fc_mock_add(&fx->mock, k503);
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping_post, "/shares"), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_SERVER);
    assert_int_equal(fc_client_error(&fx->client)->http_status, 503);
}

static void test_post_not_repeated_after_reset(void **state)
{
    fixture *fx = fresh(2048, 3);
    (void)state;
    fc_mock_add(&fx->mock, k_good[0])->reset_at = 0;
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping_post, "/shares"), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_TRANSPORT);

    /* A GET is repeated on a new connection. */
    fx = fresh(2048, 3);
    fc_mock_add(&fx->mock, k_good[0])->reset_at = 10;
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    assert_int_equal(fx->mock.connects, 2);
}

static void test_connect_failure_retried_even_for_post(void **state)
{
    fixture *fx = fresh(2048, 3);
    (void)state;
    fc_mock_add(&fx->mock, NULL)->connect_fail = 1;
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping_post, "/shares"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
}

static void test_keep_alive_reuse(void **state)
{
    fixture *fx = fresh(2048, 1);
    (void)state;
    fc_mock_add(&fx->mock, k_good[0]);
    fc_mock_add(&fx->mock, k_good[1]);
    fc_mock_add(&fx->mock,
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 33\r\n\r\n" JSON_BODY);
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    assert_int_equal(fx->mock.connects, 1);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    assert_int_equal(fx->mock.connects, 2); /* Connection: close was honoured */
}

static void test_request_head(void **state)
{
    fixture *fx = fresh(2048, 1);
    const char *sent;
    (void)state;
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping, "/spaces?limit=5"), FC_AGAIN);
    assert_int_equal(run(fx), FC_OK);
    fx->mock.sent[fx->mock.sent_len] = 0;
    sent = (const char *)fx->mock.sent;
    assert_non_null(strstr(sent, "GET /api/v1/spaces?limit=5 HTTP/1.1\r\n"));
    assert_non_null(strstr(sent, "\r\nHost: api.example.test\r\n"));
    assert_non_null(strstr(sent, "\r\nX-API-Key: " KEY "\r\n"));
    assert_non_null(strstr(sent, "\r\n\r\n"));
}

static void test_head_too_small(void **state)
{
    static char long_path[600];
    fixture *fx = fresh(256, 1);
    (void)state;
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping, long_path), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_BUFFER_TOO_SMALL);
    assert_true(fc_client_error(&fx->client)->needed > 600);
    assert_int_equal(fx->mock.sent_len, 0); /* nothing cut went out */
}

static void test_body_too_large(void **state)
{
    static char resp[1200];
    fixture *fx = fresh(512, 1);
    (void)state;
    snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
    memset(resp + strlen(resp), 'x', 1000);
    fc_mock_add(&fx->mock, resp);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_BUFFER_TOO_SMALL);
    assert_true(fc_client_error(&fx->client)->needed >= 1000);
}

static void test_error_detail_decoded(void **state)
{
    fixture *fx = fresh(2048, 1);
    const fc_error_info *ei;
    (void)state;
    fc_mock_add(&fx->mock,
                "HTTP/1.1 403 Forbidden\r\nContent-Length: 99\r\n\r\n"
                "{\"detail\":{\"error\":\"insufficient_scope\",\"required\":[\"files:read\"],"
                "\"missing\":[\"files:read\"]}}          ");
    assert_int_equal(start(fx, &k_ping, "/files"), FC_AGAIN);
    assert_int_equal(run(fx), FC_ERR_PERMISSION);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->http_status, 403);
    assert_string_equal(ei->code, "insufficient_scope");
    assert_string_equal(ei->missing, "files:read");
    assert_string_equal(ei->step, "ping");
}

static void test_busy_and_tls_handshake(void **state)
{
    fixture *fx = fresh(2048, 1);
    (void)state;
    fx->mock.tls_handshake = 1;
    fx->mock.would_block = 1;
    fc_mock_transport(&fx->mock, &fx->transport); /* the ops with a handshake */
    fc_mock_add(&fx->mock, k_good[0]);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_AGAIN);
    assert_int_equal(start(fx, &k_ping, "/me"), FC_ERR_BUSY);
    assert_int_equal(run(fx), FC_OK);
    assert_int_equal(fx->mock.handshakes, 1);
    assert_int_equal(fc_poll(&fx->client), FC_OK); /* idle */
}

static void test_bad_config(void **state)
{
    fc_client c;
    fc_client_config cfg;
    (void)state;
    fc_client_config_defaults(&cfg);
    assert_int_equal(fc_client_init(&c, &cfg), FC_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_cut_everywhere),
        cmocka_unit_test(test_cut_content_length_is_error),
        cmocka_unit_test(test_garbage_is_protocol_error),
        cmocka_unit_test(test_stall_times_out),
        cmocka_unit_test(test_429_retry_after_then_success),
        cmocka_unit_test(test_503_retried_for_get_not_post),
        cmocka_unit_test(test_post_not_repeated_after_reset),
        cmocka_unit_test(test_connect_failure_retried_even_for_post),
        cmocka_unit_test(test_keep_alive_reuse),
        cmocka_unit_test(test_request_head),
        cmocka_unit_test(test_head_too_small),
        cmocka_unit_test(test_body_too_large),
        cmocka_unit_test(test_error_detail_decoded),
        cmocka_unit_test(test_busy_and_tls_handshake),
        cmocka_unit_test(test_bad_config),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* Every request the tests sent, compared with the recorded bytes. */
    return failed + fc_wire_check("test_engine");
}
