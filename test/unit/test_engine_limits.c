/* SPDX-License-Identifier: MIT */
/*
 * test_engine_limits.c - every wait of the engine is bounded, and what it
 * reports after a failure belongs to that failure (issue 10): Retry-After
 * caps, HTTP-date Retry-After, the finite default total deadline, deadlines
 * the flow sets for a phase, no stale detail or interim ETag, sources that
 * cannot seek.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fc_engine_fixture.h"

#define OK_BODY "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"

static uint32_t elapsed(const fc_engine_fixture *fx, uint32_t t0)
{
    return fx->clock.now - t0;
}

static void test_defaults_have_a_total_deadline(void **state)
{
    fc_client_config cfg;
    (void)state;
    fc_client_config_defaults(&cfg);
    assert_true(cfg.timeouts.total_ms > 0u);
    assert_true(cfg.retry.retry_after_max_s > 0u);
}

/* A 503 asking for 11.5 days is not waited for: it ends at once. */
static void test_huge_retry_after_on_503_ends_at_once(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 4);
    uint32_t t0 = fx->clock.now;
    const fc_error_info *ei;
    (void)state;
    fc_mock_add(&fx->mock, "HTTP/1.1 503 Busy\r\nRetry-After: 999999\r\nContent-Length: 0\r\n\r\n");
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_SERVER);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->http_status, 503);
    assert_int_equal(ei->retry_after_s, 999999);
    assert_int_equal(ei->attempts, 1);
    assert_true(elapsed(fx, t0) < 1000u);
}

/* Retry-After as an HTTP-date counts from the response's Date. */
static void test_retry_after_http_date(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    uint32_t t0 = fx->clock.now;
    (void)state;
    fc_mock_add(&fx->mock,
                "HTTP/1.1 429 Slow\r\nDate: Tue, 01 Dec 2026 23:59:58 GMT\r\n"
                "Retry-After: Wed, 02 Dec 2026 00:00:05 GMT\r\nContent-Length: 0\r\n\r\n");
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_true(elapsed(fx, t0) >= 7000u);
    assert_true(elapsed(fx, t0) < 8000u);
    assert_int_equal(fc_client_error(&fx->client)->retry_after_s, 7);
}

/* A date past the cap is as long as the same seconds: no retry. */
static void test_retry_after_http_date_past_the_cap(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    (void)state;
    fc_mock_add(&fx->mock,
                "HTTP/1.1 429 Slow\r\nDate: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
                "Retry-After: Tue, 01 Dec 2026 11:00:00 GMT\r\nContent-Length: 0\r\n\r\n");
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_RATE_LIMITED);
    assert_int_equal(fc_client_error(&fx->client)->retry_after_s, 3600);
    assert_int_equal(fc_client_error(&fx->client)->attempts, 1);
}

/* One byte every 190 ms never trips the 200 ms idle deadline; the total
 * deadline of the defaults still ends the request. */
static void test_drip_feed_is_bounded_by_default(void **state)
{
    static char resp[4096];
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    uint32_t t0 = fx->clock.now;
    uint32_t total_ms = fx->cfg.timeouts.total_ms;
    (void)state;
    snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: 1900\r\n\r\n");
    memset(resp + strlen(resp), ' ', 1900);
    fc_mock_add(&fx->mock, resp)->drip_ms = 190;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_TIMEOUT);
    /* The deadline grows by 1 s per FC_CONFIG_MIN_BYTES_PER_S bytes moved:
     * a few seconds here, never the 6 minutes the drip would take. */
    assert_true(elapsed(fx, t0) >= total_ms);
    assert_true(elapsed(fx, t0) < total_ms + 5000u);
}

/* A deadline the flow set for its phase bounds the retries inside it. */
static void test_phase_deadline_bounds_retries(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 4);
    uint32_t t0 = fx->clock.now;
    (void)state;
    fc_mock_add(&fx->mock, "HTTP/1.1 503 Busy\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n");
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    fc_op_phase_deadline(&fx->client, 5000);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_SERVER);
    assert_true(elapsed(fx, t0) < 5000u);
}

/* ... and a stalled request inside the phase ends at its deadline. */
static void test_phase_deadline_ends_a_stall(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 4);
    uint32_t t0 = fx->clock.now;
    (void)state;
    fx->cfg.timeouts.first_byte_ms = 0; /* no deadline of its own */
    fc_fixture_init_client(fx);
    fc_mock_add(&fx->mock, OK_BODY)->stall = 1;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    fc_op_phase_deadline(&fx->client, 700);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_TIMEOUT);
    assert_true(elapsed(fx, t0) >= 700u);
    assert_true(elapsed(fx, t0) < 800u);
}

/* A flow may give its operation more time (the upload's scan wait). */
static void test_total_deadline_extended(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    uint32_t t0 = fx->clock.now;
    (void)state;
    fx->cfg.timeouts.total_ms = 1000;
    fx->cfg.timeouts.min_bytes_per_s = 0; /* no credit for the bytes sent */
    fx->cfg.timeouts.first_byte_ms = 0;
    fc_fixture_init_client(fx);
    fc_mock_add(&fx->mock, OK_BODY)->stall = 1;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    fc_op_extend_total(&fx->client, 2000);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_TIMEOUT);
    assert_true(elapsed(fx, t0) >= 3000u);
    assert_true(elapsed(fx, t0) < 3100u);
}

/* A total deadline past 2^31 ms (24.8 days) is not "already passed". */
static void test_total_deadline_above_2_31(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    (void)state;
    fx->cfg.timeouts.total_ms = 0x90000000u;
    fc_fixture_init_client(fx);
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
}

/* The 500's detail is not reported with the reset that ended the retry. */
static void test_no_stale_detail_after_a_reset(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 2);
    const fc_error_info *ei;
    (void)state;
    fc_mock_add(&fx->mock, "HTTP/1.1 500 Oops\r\nContent-Length: 17\r\n\r\n{\"detail\":\"boom\"}");
    fc_mock_add(&fx->mock, OK_BODY)->reset_at = 0;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_TRANSPORT);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->http_status, 0);
    assert_string_equal(ei->detail, "");
    assert_int_equal(ei->attempts, 2);
}

/* ... nor with the deadline that ended the next attempt's stall (the
 * chaos test saw a PUT's 502 detail reported with complete's time-out). */
static void test_no_stale_detail_after_a_deadline(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 2);
    const fc_error_info *ei;
    (void)state;
    fx->cfg.timeouts.first_byte_ms = 0; /* the phase deadline ends the stall */
    fc_fixture_init_client(fx);
    fc_mock_add(&fx->mock, "HTTP/1.1 500 Oops\r\nContent-Length: 17\r\n\r\n{\"detail\":\"boom\"}");
    fc_mock_add(&fx->mock, OK_BODY)->stall = 1;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    fc_op_phase_deadline(&fx->client, 5000);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_TIMEOUT);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->http_status, 0);
    assert_string_equal(ei->detail, "");
    assert_int_equal(ei->attempts, 2);
}

/* An ETag of an interim 1xx answer is not the final answer's. */
static void test_interim_etag_not_kept(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    (void)state;
    fc_mock_add(&fx->mock,
                "HTTP/1.1 103 Early Hints\r\nETag: \"early\"\r\nRetry-After: 9\r\n\r\n" OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_string_equal(fx->client.priv.resp.etag, "");
    assert_int_equal(fx->client.priv.resp.retry_after_s, 0);
}

/* ---- a PUT whose source cannot seek ---------------------------------- */

typedef struct counting_source {
    size_t reads; /* bytes handed out */
    int seeks;
} counting_source;

static fc_err counting_seek(void *ctx, uint64_t offset)
{
    counting_source *s = ctx;
    (void)offset;
    s->seeks++;
    return FC_ERR_SOURCE; /* a source that cannot go back after all */
}

static fc_err counting_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    counting_source *s = ctx;
    memset(buf, 'a', cap);
    s->reads += cap;
    *got = cap;
    return FC_OK;
}

/* Nothing was read before the connect failed: the retry needs no seek. */
static void test_unseekable_source_retried_before_any_read(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    counting_source cs = {0, 0};
    fc_source src = {counting_read, NULL, &cs};
    (void)state;
    fc_mock_add(&fx->mock, NULL)->connect_fail = 1;
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start_put(fx, &src, 0, 10), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_int_equal(cs.reads, 10);
}

/* A source is moved only when an attempt read from it. */
static void test_unread_source_not_moved(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    counting_source cs = {0, 0};
    fc_source src = {counting_read, counting_seek, &cs};
    (void)state;
    fc_mock_add(&fx->mock, NULL)->connect_fail = 1;
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start_put(fx, &src, FC_REQ_IDEMPOTENT, 10), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_int_equal(cs.seeks, 0);
}

/* Read, then reset: without seek the request cannot be repeated, and the
 * error says what happened on the wire, not "source failed". */
static void test_unseekable_source_not_retried_after_a_read(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    counting_source cs = {0, 0};
    fc_source src = {counting_read, NULL, &cs};
    (void)state;
    fc_mock_add(&fx->mock, OK_BODY)->reset_at = 0;
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start_put(fx, &src, 0, 10), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_TRANSPORT);
    assert_int_equal(cs.reads, 10);
}

/* A port out of its own memory (the TLS heap) is not retried: it would
 * fail the same way, 4 times (issue 13i). */
static void test_no_memory_not_retried(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 4);
    (void)state;
    fc_mock_add(&fx->mock, NULL)->connect_fail = 1;
    fx->mock.ex[0].connect_error = FC_ERR_NO_MEMORY;
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_NO_MEMORY);
    assert_int_equal(fc_client_error(&fx->client)->attempts, 1);
    assert_string_equal(fc_err_str(FC_ERR_NO_MEMORY), "out of memory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_have_a_total_deadline),
        cmocka_unit_test(test_huge_retry_after_on_503_ends_at_once),
        cmocka_unit_test(test_retry_after_http_date),
        cmocka_unit_test(test_retry_after_http_date_past_the_cap),
        cmocka_unit_test(test_drip_feed_is_bounded_by_default),
        cmocka_unit_test(test_phase_deadline_bounds_retries),
        cmocka_unit_test(test_phase_deadline_ends_a_stall),
        cmocka_unit_test(test_total_deadline_extended),
        cmocka_unit_test(test_total_deadline_above_2_31),
        cmocka_unit_test(test_no_stale_detail_after_a_reset),
        cmocka_unit_test(test_no_stale_detail_after_a_deadline),
        cmocka_unit_test(test_interim_etag_not_kept),
        cmocka_unit_test(test_unseekable_source_retried_before_any_read),
        cmocka_unit_test(test_unseekable_source_not_retried_after_a_read),
        cmocka_unit_test(test_unread_source_not_moved),
        cmocka_unit_test(test_no_memory_not_retried),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
