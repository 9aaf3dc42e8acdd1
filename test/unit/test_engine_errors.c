/* SPDX-License-Identifier: MIT */
/*
 * test_engine_errors.c - an error answer never hides its status (issue
 * 12.3, issue 10): a body larger than the buffer keeps the status, the
 * error kind and the start of the body as the detail, and the rest is
 * drained, for API calls, for storage PUTs with a flow's data kept at the
 * front of the buffer, and for downloads into a sink.
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

/* head + body of body_len bytes: the body starts with `start`, then 'x'. */
static const char *answer(char *buf, size_t cap, const char *status_line, const char *type,
                          const char *start, size_t body_len)
{
    int n = snprintf(buf, cap, "%s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
                     status_line, type, body_len, start);
    size_t head = (size_t)n - strlen(start);
    assert_true(n > 0 && head + body_len < cap);
    memset(buf + n, 'x', head + body_len - (size_t)n);
    buf[head + body_len] = '\0';
    return buf;
}

#define HTML_START "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
#define S3_START                                                                            \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code>" \
    "<Message>The request signature we calculated does not match</Message>"

static void test_html_404_larger_than_the_buffer(void **state)
{
    static char resp[8192];
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    const fc_error_info *ei;
    (void)state;
    fc_mock_add(&fx->mock,
                answer(resp, sizeof resp, "HTTP/1.1 404 Not Found", "text/html", HTML_START, 3000));
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/files/x"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_NOT_FOUND);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->err, FC_ERR_NOT_FOUND);
    assert_int_equal(ei->http_status, 404);
    assert_memory_equal(ei->detail, "<!DOCTYPE html> <html><head><title>404 Not Found", 48);
    assert_int_equal(ei->detail_cut, 1);
    /* Drained, not dropped: the connection serves the next request. */
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_int_equal(fx->mock.connects, 1);
}

/* A 503 is retried whatever the size of its page. */
static void test_big_503_page_is_retried(void **state)
{
    static char resp[8192];
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 3);
    (void)state;
    fc_mock_add(&fx->mock, answer(resp, sizeof resp, "HTTP/1.1 503 Service Unavailable",
                                  "text/html", "<html>", 5000));
    fc_mock_add(&fx->mock, OK_BODY);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_OK);
    assert_int_equal(fc_client_error(&fx->client)->attempts, 2);
}

static fc_err zero_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    (void)ctx;
    memset(buf, 0, cap);
    *got = cap;
    return FC_OK;
}

static fc_err put_target(fc_client *c, fc_head_writer *w)
{
    (void)c;
    fc_head_write_str(w, "/bucket/object");
    return FC_OK;
}

/* A storage PUT refused with an S3-style XML error of 1.2 kB while 1.5 kB
 * of a flow's data (a ticket) sit at the front of the 2 kB buffer. */
static void test_s3_error_on_put_with_a_ticket_kept(void **state)
{
    static char resp[4096];
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    fc_source src = {zero_read, NULL, NULL};
    fc_request req = {.method = FC_HTTP_PUT,
                      .flags = FC_REQ_API,
                      .write_target = put_target,
                      .source = &src,
                      .body_len = 100};
    const fc_error_info *ei;
    (void)state;
    memset(fx->io, 'T', 1500);
    fc_mock_add(&fx->mock, answer(resp, sizeof resp, "HTTP/1.1 403 Forbidden", "application/xml",
                                  S3_START, 1200));
    assert_int_equal(fc_op_begin(&fx->client, "put", fc_fixture_keep_result, NULL), FC_OK);
    fx->client.priv.reserved = 1500;
    assert_int_equal(fc_request_start(&fx->client, &req), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_PERMISSION);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->http_status, 403);
    assert_non_null(strstr(ei->detail, "<Code>SignatureDoesNotMatch</Code>"));
    assert_int_equal(ei->detail_cut, 1);
    /* The kept data was not touched. */
    assert_int_equal(fx->io[0], 'T');
    assert_int_equal(fx->io[1499], 'T');
}

static size_t g_sunk;

static fc_err count_sink(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)data;
    g_sunk += len;
    return FC_OK;
}

/* A download answered with a 3 kB page: nothing reaches the sink. */
static void test_html_404_on_a_download(void **state)
{
    static char resp[8192];
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    fc_request req = {.method = FC_HTTP_GET,
                      .flags = FC_REQ_IDEMPOTENT,
                      .url = "https://files.example.test/s/NOPE",
                      .sink = count_sink};
    (void)state;
    req.url_len = strlen(req.url);
    g_sunk = 0;
    fc_mock_add(&fx->mock,
                answer(resp, sizeof resp, "HTTP/1.1 404 Not Found", "text/html", HTML_START, 3000));
    assert_int_equal(fc_op_begin(&fx->client, "download", fc_fixture_keep_result, NULL), FC_OK);
    assert_int_equal(fc_request_start(&fx->client, &req), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_NOT_FOUND);
    assert_int_equal(fc_client_error(&fx->client)->http_status, 404);
    assert_int_equal(g_sunk, 0);
}

/* A JSON error body that does not fit is not half-decoded: its start is
 * shown as it came. */
static void test_cut_json_error_shows_its_start(void **state)
{
    static char resp[8192];
    fc_engine_fixture *fx = fc_fixture_fresh(1024, 1);
    const fc_error_info *ei;
    (void)state;
    fc_mock_add(&fx->mock, answer(resp, sizeof resp, "HTTP/1.1 422 Unprocessable Entity",
                                  "application/json", "{\"detail\":\"name: too long ", 2000));
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_VALIDATION);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->http_status, 422);
    assert_memory_equal(ei->detail, "{\"detail\":\"name: too long ", 26);
    assert_int_equal(ei->detail_cut, 1);
}

/* A 2xx result that does not fit is still "buffer too small": it is data
 * the caller asked for, not a message. */
static void test_big_success_is_still_too_small(void **state)
{
    static char resp[8192];
    fc_engine_fixture *fx = fc_fixture_fresh(1024, 1);
    (void)state;
    fc_mock_add(&fx->mock, answer(resp, sizeof resp, "HTTP/1.1 200 OK", "application/json",
                                  "{\"items\":[", 3000));
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_BUFFER_TOO_SMALL);
    assert_true(fc_client_error(&fx->client)->needed >= 3000);
}

/* A 422 list names the field: its loc before the message (issue 15.8). */
static void expect_422_detail(const char *body, const char *want, int cut)
{
    static char resp[2048];
    fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
    const fc_error_info *ei;
    snprintf(resp, sizeof resp,
             "HTTP/1.1 422 Unprocessable Entity\r\nContent-Length: %zu\r\n\r\n%s", strlen(body),
             body);
    fc_mock_add(&fx->mock, resp);
    assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_post, "/folders"), FC_AGAIN);
    assert_int_equal(fc_fixture_run(fx), FC_ERR_VALIDATION);
    ei = fc_client_error(&fx->client);
    assert_string_equal(ei->detail, want);
    assert_int_equal(ei->detail_cut, cut);
}

static void test_422_names_the_field(void **state)
{
    (void)state;
    expect_422_detail(
        "{\"detail\":[{\"loc\":[\"body\",\"name\"],\"msg\":\"ensure this value "
        "has at most 200 characters\"}]}",
        "name: ensure this value has at most 200 characters", 0);
    expect_422_detail(
        "{\"detail\":[{\"loc\":[\"body\",\"parts\",3,\"etag\"],\"msg\":\"missing\"},"
        "{\"loc\":[\"query\",\"x\"],\"msg\":\"second\"}]}",
        "parts.3.etag: missing", 0);
    expect_422_detail("{\"detail\":[{\"loc\":[\"query\",\"limit\"],\"msg\":\"too big\"}]}",
                      "query.limit: too big", 0);
    expect_422_detail("{\"detail\":[{\"msg\":\"no place\"}]}", "no place", 0);
    expect_422_detail("{\"detail\":\"name: a string detail is kept as it is\"}",
                      "name: a string detail is kept as it is", 0);
    /* A message that no longer fits behind the field is cut and flagged. */
    expect_422_detail(
        "{\"detail\":[{\"loc\":[\"body\",\"name\"],\"msg\":\""
        "0123456789012345678901234567890123456789012345678901234567890123456789"
        "0123456789012345678901234567890123456789012345678901234\"}]}",
        "name: 0123456789012345678901234567890123456789012345678901234567890123456789"
        "012345678901234567890123456789012345678901234567890",
        1);
}

/* A status outside 100..599 is no status: a protocol error, not an HTTP
 * error without a status (found by fuzz_http). */
static void test_status_out_of_range_is_protocol_error(void **state)
{
    static const char *const k_bad[] = {
        "HTTP/1.1 000 X\r\nContent-Length: 4\r\n\r\nbody",
        "HTTP/1.1 099 X\r\nContent-Length: 4\r\n\r\nbody",
        "HTTP/1.1 600 X\r\nContent-Length: 4\r\n\r\nbody",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof k_bad / sizeof k_bad[0]; i++) {
        fc_engine_fixture *fx = fc_fixture_fresh(2048, 1);
        fc_mock_add(&fx->mock, k_bad[i]);
        assert_int_equal(fc_fixture_start(fx, &fc_fixture_ping_get, "/me"), FC_AGAIN);
        assert_int_equal(fc_fixture_run(fx), FC_ERR_PROTOCOL);
        assert_int_equal(fc_client_error(&fx->client)->http_status, 0);
        assert_string_equal(fc_client_error(&fx->client)->detail, "");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_404_larger_than_the_buffer),
        cmocka_unit_test(test_big_503_page_is_retried),
        cmocka_unit_test(test_s3_error_on_put_with_a_ticket_kept),
        cmocka_unit_test(test_html_404_on_a_download),
        cmocka_unit_test(test_cut_json_error_shows_its_start),
        cmocka_unit_test(test_big_success_is_still_too_small),
        cmocka_unit_test(test_422_names_the_field),
        cmocka_unit_test(test_status_out_of_range_is_protocol_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
