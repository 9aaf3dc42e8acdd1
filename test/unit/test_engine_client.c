/* SPDX-License-Identifier: MIT */
/*
 * test_engine_client.c - the client's life and its waits (issue 12.6,
 * issue 14.2): a second fc_client_init closes the first one's connections,
 * fc_client_deinit ends a client, a source that is not ready makes the loop
 * wait instead of spin, and fc_run never waits for nothing.
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

static void get_once(fc_engine_fixture *fx)
{
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
}

static void test_reinit_closes_kept_connection(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    (void)state;
    get_once(fx);
    assert_int_equal(fx->mock.connected, 1); /* kept alive */
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), FC_OK);
    assert_int_equal(fx->mock.connected, 0);
    assert_int_equal(fx->mock.closes, 1);
    get_once(fx);
    assert_int_equal(fx->mock.connects, 2);
}

static void test_reinit_while_running_closes_it(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    (void)state;
    fc_mock_add(&fx->mock, OK_BODY)->stall = 1;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_poll(&fx->client), FC_AGAIN);
    assert_int_equal(fx->mock.connected, 1);
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), FC_OK);
    assert_int_equal(fx->mock.connected, 0);
    assert_int_equal(fc_client_busy(&fx->client), 0);
}

static void test_deinit_closes_and_forgets(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    (void)state;
    get_once(fx);
    fc_client_deinit(&fx->client);
    assert_int_equal(fx->mock.connected, 0);
    assert_int_equal(fx->mock.closes, 1);
    fc_client_deinit(&fx->client); /* twice is fine */
    assert_int_equal(fx->mock.closes, 1);
    assert_int_equal(fc_poll(&fx->client), FC_OK);
}

/* The struct is not read: garbage, or an old client left on a reused stack
 * (its pointers now dangling, here 0xA5A5...), is not touched. */
static void test_init_does_not_read_the_struct(void **state)
{
    static fc_client c;
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    (void)state;
    memset(&c, 0xA5, sizeof c);
    assert_int_equal(fc_client_init(&c, &fx->cfg), FC_OK);
    assert_int_equal(fx->mock.closes, 0);
}

/* ---- a source that is not always ready ------------------------------- */

typedef struct slow_source {
    int not_ready; /* FC_AGAIN answers left */
} slow_source;

static fc_err slow_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    slow_source *s = ctx;
    if (s->not_ready > 0) {
        s->not_ready--;
        return FC_AGAIN;
    }
    memset(buf, 'b', cap);
    *got = cap;
    return FC_OK;
}

static void test_source_again_waits_without_spinning(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    slow_source src_state = {4}; /* the first FC_AGAIN: the head goes alone */
    fc_source src = {slow_read, NULL, &src_state};
    fc_wait w;
    int waits = 0;
    fc_err r;
    (void)state;
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start_put(fx, &src, 0, 5000), FC_AGAIN);
    while ((r = fc_poll(&fx->client)) == FC_AGAIN) {
        fc_client_wait(&fx->client, &w);
        if (w.events & FC_WAIT_SOURCE) {
            /* Waiting on the source: a real sleep, not a spin. */
            assert_true(w.timeout_ms >= FC_CONFIG_SOURCE_RETRY_MS);
            assert_int_equal(w.fd, -1);
            waits++;
            if (waits == 2) {
                fc_client_source_ready(&fx->client); /* the app says: data */
                fc_client_wait(&fx->client, &w);
                assert_int_equal(w.timeout_ms, 0);
                continue;
            }
        }
        fx->clock.now += w.timeout_ms == UINT32_MAX ? 1u : (w.events ? 1u : w.timeout_ms);
    }
    assert_int_equal(r, FC_OK);
    assert_int_equal(waits, 3);
}

/* The head and the body's first bytes leave in one write (issue 14.2). */
static void test_head_and_body_in_one_write(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    slow_source src_state = {0};
    fc_source src = {slow_read, NULL, &src_state};
    size_t len = 0;
    const char *sent;
    (void)state;
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start_put(fx, &src, 0, 100), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_int_equal(fx->mock.sends, 1);
    sent = fc_mock_request(&fx->mock, 0, &len);
    assert_non_null(strstr(sent, "Content-Length: 100\r\n\r\nbbbb"));
    assert_int_equal(len - (size_t)(strstr(sent, "\r\n\r\n") + 4 - sent), 100);
}

/* A body longer than one write is streamed with the transport told to
 * fill whole segments, and told to push the tail (issue 14.2); a body that
 * leaves with its head needs no telling. */
static void put_body_of(size_t body_len, const char *want_calls)
{
    fc_engine_fixture *fx = fc_fixture_fresh(1024, 1);
    slow_source src_state = {0};
    fc_source src = {slow_read, NULL, &src_state};
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start_put(fx, &src, 0, body_len), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_string_equal(fx->mock.more_calls, want_calls);
}

static void test_streamed_body_tells_more_follows(void **state)
{
    (void)state;
    put_body_of(5000, "10");
    put_body_of(100, "");
}

/* A source stuck for good ends the request at its idle deadline. */
static void test_source_stuck_ends(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    slow_source src_state = {1000000};
    fc_source src = {slow_read, NULL, &src_state};
    (void)state;
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start_put(fx, &src, 0, 5000), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_TIMEOUT);
}

/* ---- fc_run ------------------------------------------------------------ */

static int g_zero_waits;
static int g_waits;

static void counting_wait(void *ctx, const fc_wait *w)
{
    fc_fake_clock *clk = ctx;
    g_waits++;
    if (w->timeout_ms == 0u) {
        g_zero_waits++;
    }
    clk->now += 1u;
}

/* A response read one byte per step runs past one fc_poll's step budget:
 * fc_run polls again at once instead of asking the port to wait 0 ms. */
static void test_run_does_not_wait_for_nothing(void **state)
{
    static char resp[4096];
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    (void)state;
    snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
    memset(resp + strlen(resp), ' ', 1000);
    fc_mock_add(&fx->mock, resp);
    fx->mock.chunk = 1;
    g_zero_waits = g_waits = 0;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_run(&fx->client, counting_wait, &fx->clock), FC_OK);
    assert_int_equal(g_zero_waits, 0);
    assert_int_equal(fx->body_len, 1000);
}

/* ---- base URL and credentials (issue 15.1, 15.2) ------------------------ */

/* The request line and headers sent for GET /me with this base and key. */
static const char *head_for(const char *base, const char *key, fc_auth_scheme auth)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    const char *sent;
    fx->cfg.base_url = base;
    fx->cfg.api_key = key;
    fx->cfg.auth = auth;
    fc_fixture_init_client(fx);
    get_once(fx);
    sent = fc_mock_request(&fx->mock, 0, NULL);
    assert_non_null(sent);
    return sent;
}

static void test_base_url_forms(void **state)
{
    (void)state;
    /* The SDKs' bare origin gets /api/v1; a full base is kept as given. */
    assert_non_null(strstr(head_for("https://api.example.test", FC_FIXTURE_KEY, FC_AUTH_AUTO),
                           "GET /api/v1/me HTTP/1.1\r\n"));
    assert_non_null(strstr(head_for("https://api.example.test//", FC_FIXTURE_KEY, FC_AUTH_AUTO),
                           "GET /api/v1/me HTTP/1.1\r\n"));
    assert_non_null(
        strstr(head_for("https://api.example.test/api/v1/", FC_FIXTURE_KEY, FC_AUTH_AUTO),
               "GET /api/v1/me HTTP/1.1\r\n"));
    assert_non_null(strstr(head_for("https://proxy.example.test/fc/", FC_FIXTURE_KEY, FC_AUTH_AUTO),
                           "GET /fc/me HTTP/1.1\r\n"));
}

static void test_no_base_url_is_production(void **state)
{
    const char *sent = head_for(NULL, FC_FIXTURE_KEY, FC_AUTH_AUTO);
    (void)state;
    assert_non_null(strstr(sent, "GET /api/v1/me HTTP/1.1\r\nHost: api-cloud.fluidvip.com\r\n"));
}

static void test_credential_header(void **state)
{
    const char *sent;
    (void)state;
    sent = head_for("https://api.example.test/api/v1", FC_FIXTURE_KEY, FC_AUTH_AUTO);
    assert_non_null(strstr(sent, "\r\nX-API-Key: " FC_FIXTURE_KEY "\r\n"));
    assert_null(strstr(sent, "Authorization"));
    /* Like the TypeScript SDK: a key that is no fck_ key goes as Bearer. */
    sent = head_for("https://api.example.test/api/v1", "eyJhbGciOi.token", FC_AUTH_AUTO);
    assert_non_null(strstr(sent, "\r\nAuthorization: Bearer eyJhbGciOi.token\r\n"));
    assert_null(strstr(sent, "X-API-Key"));
    sent = head_for("https://api.example.test/api/v1", FC_FIXTURE_KEY, FC_AUTH_BEARER);
    assert_non_null(strstr(sent, "\r\nAuthorization: Bearer " FC_FIXTURE_KEY "\r\n"));
    sent = head_for("https://api.example.test/api/v1", "other", FC_AUTH_X_API_KEY);
    assert_non_null(strstr(sent, "\r\nX-API-Key: other\r\n"));
}

/* ---- headers a request captures (for downloads) ------------------------ */

static struct {
    char range[64];
    char disposition[128];
    int ends;             /* calls with which 0 */
    int body_seen_at_end; /* body bytes seen when the head ended */
} g_cap;

static fc_err capture_header(fc_client *c, unsigned which, const char *piece, size_t len)
{
    char *out = which == FC_CAPTURE_CONTENT_RANGE ? g_cap.range : g_cap.disposition;
    size_t have;
    if (which == 0u) {
        g_cap.ends++;
        g_cap.body_seen_at_end = (int)c->priv.resp.body_seen;
        return FC_OK;
    }
    have = strlen(out);
    assert_true(have + len < 64);
    memcpy(out + have, piece, len);
    out[have + len] = '\0';
    return FC_OK;
}

static fc_err sink_nothing(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return FC_OK;
}

static void test_captured_headers_in_pieces(void **state)
{
    static const char resp[] =
        "HTTP/1.1 100 Continue\r\nContent-Range: bytes 9-9/9\r\n\r\n"
        "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 80-199/200\r\n"
        "Content-Disposition: attachment; filename=\"a b.txt\"\r\nETag: \"x\"\r\n"
        "Content-Length: 3\r\n\r\nabc";
    size_t chunk;
    (void)state;
    for (chunk = 1; chunk <= sizeof resp; chunk += 3) {
        fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
        fc_request req = {.method = FC_HTTP_GET,
                          .flags = FC_REQ_IDEMPOTENT,
                          .url = "https://files.example.test/s/T",
                          .sink = sink_nothing,
                          .capture = FC_CAPTURE_CONTENT_RANGE | FC_CAPTURE_CONTENT_DISPOSITION,
                          .on_header = capture_header};
        req.url_len = strlen(req.url);
        memset(&g_cap, 0, sizeof g_cap);
        fx->mock.chunk = chunk;
        fc_mock_add(&fx->mock, resp);
        assert_int_equal(fc_op_begin(&fx->client, "download", fc_fixture_keep_result, NULL), FC_OK);
        assert_int_equal(fc_request_start(&fx->client, &req), FC_AGAIN);
        assert_int_equal(fc_fixture_run(fx), FC_OK);
        assert_string_equal(g_cap.range, "bytes 80-199/200"); /* not the 100's */
        assert_string_equal(g_cap.disposition, "attachment; filename=\"a b.txt\"");
        assert_int_equal(g_cap.ends, 1);
        assert_int_equal(g_cap.body_seen_at_end, 0);
    }
}

/* ---- wire statistics (issue 14.6) ------------------------------------------ */

static void test_stats_of_one_request(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    const fc_stats *st = fc_client_stats(&fx->client);
    (void)state;
    fx->mock.tls_handshake = 1;
    fx->mock.would_block = 1; /* every step waits: each phase takes time */
    fx->mock.chunk = 10;      /* the answer in pieces: receiving takes time */
    fc_mock_transport(&fx->mock, &fx->transport);
    get_once(fx);
    assert_int_equal(st->requests, 1);
    assert_int_equal(st->retries, 0);
    assert_int_equal(st->connects, 1);
    assert_int_equal(st->tls_full, 1);
    assert_int_equal(st->tls_resumed, 0);
    assert_int_equal(st->bytes_sent, fx->mock.sent_len);
    assert_int_equal(st->bytes_received, strlen(OK_BODY));
    assert_true(st->ms_connect > 0 && st->ms_tls > 0 && st->ms_send > 0);
    assert_true(st->ms_first_byte > 0 && st->ms_receive > 0);
    assert_int_equal(st->ms_retry_wait, 0);
    /* The next operation on the kept connection: no connect, no handshake. */
    fx->mock.resumed = 1;
    get_once(fx);
    assert_int_equal(st->requests, 1);
    assert_int_equal(st->connects, 0);
    assert_int_equal(st->tls_full + st->tls_resumed, 0);
    assert_int_equal(st->ms_connect, 0);
}

static void test_stats_count_retries_and_resumed_sessions(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    const fc_stats *st = fc_client_stats(&fx->client);
    (void)state;
    fx->mock.tls_handshake = 1;
    fx->mock.resumed = 1;
    fc_mock_transport(&fx->mock, &fx->transport);
    fc_mock_add(&fx->mock,
                "HTTP/1.1 429 Slow\r\nRetry-After: 2\r\nConnection: close\r\n"
                "Content-Length: 0\r\n\r\n");
    get_once(fx);
    assert_int_equal(st->requests, 2);
    assert_int_equal(st->retries, 1);
    assert_int_equal(st->connects, 2);
    assert_int_equal(st->tls_resumed, 2);
    assert_true(st->ms_retry_wait >= 2000u);
}

/* ---- what a failure names, what the log says (issue 16.4, 16.5) --------- */

static void test_error_names_host_and_port(void **state)
{
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    const fc_error_info *ei;
    (void)state;
    fc_mock_add(&fx->mock, NULL)->connect_fail = 1;
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_CONNECT);
    ei = fc_client_error(&fx->client);
    assert_non_null(ei->host);
    assert_string_equal(ei->host, "api.example.test");
    assert_int_equal(ei->port, 443);
}

static char g_log[1024];

static void collect_log(void *ctx, int level, const char *msg)
{
    size_t have = strlen(g_log);
    (void)ctx;
    snprintf(g_log + have, sizeof g_log - have, "%d %s\n", level, msg);
}

static void test_log_lines_of_retries_and_connects(void **state)
{
#if FC_CONFIG_LOG_LEVEL >= 3
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    (void)state;
    fx->cfg.log = collect_log;
    fc_fixture_init_client(fx);
    g_log[0] = '\0';
    fc_mock_add(&fx->mock, "HTTP/1.1 429 Slow\r\nRetry-After: 2\r\nContent-Length: 0\r\n\r\n");
    get_once(fx);
    assert_non_null(strstr(g_log, "3 connect api.example.test:443 (tls)\n"));
    assert_non_null(strstr(g_log, "2 retry 2/3 in 2"));
    assert_non_null(strstr(g_log, " ms: rate limited (HTTP 429)\n"));
#else
    (void)state;
    (void)collect_log;
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reinit_closes_kept_connection),
        cmocka_unit_test(test_reinit_while_running_closes_it),
        cmocka_unit_test(test_deinit_closes_and_forgets),
        cmocka_unit_test(test_init_does_not_read_the_struct),
        cmocka_unit_test(test_source_again_waits_without_spinning),
        cmocka_unit_test(test_source_stuck_ends),
        cmocka_unit_test(test_head_and_body_in_one_write),
        cmocka_unit_test(test_streamed_body_tells_more_follows),
        cmocka_unit_test(test_run_does_not_wait_for_nothing),
        cmocka_unit_test(test_base_url_forms),
        cmocka_unit_test(test_no_base_url_is_production),
        cmocka_unit_test(test_credential_header),
        cmocka_unit_test(test_captured_headers_in_pieces),
        cmocka_unit_test(test_stats_of_one_request),
        cmocka_unit_test(test_stats_count_retries_and_resumed_sessions),
        cmocka_unit_test(test_error_names_host_and_port),
        cmocka_unit_test(test_log_lines_of_retries_and_connects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
