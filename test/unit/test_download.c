/* SPDX-License-Identifier: MIT */
/*
 * test_download.c - fc_download_start against a scripted storage host.
 *
 * What the sink sees is the proof: every byte of the object once, in
 * order, whatever a resumed request is answered with (issue 10: a 206 with
 * the whole object, a 200 that ignored the range, a gap, a short range);
 * the object's size and the Content-Disposition file name are known before
 * the first byte (cli's request, issue 16.1); an error page larger than
 * the buffer keeps its status (issue 12.3).
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fc_mock_transport.h"
#include "fluidcloud/fc_download.h"

#define URL  "https://files.example.test/s/tok123"
#define SIZE 200

typedef struct fixture {
    fc_mock storage;
    fc_transport transport;
    fc_fake_clock clock;
    fc_client client;
    uint8_t io[2048];
    fc_json_tok toks[64];
    char responses[8][4096];
    int nresp;
    fc_download dl;
    char name[32];
    uint8_t got[1024]; /* what the sink received */
    size_t got_len;
    uint64_t total_at_first_byte;
    char name_at_first_byte[32];
} fixture;

static fixture g_fx;

static uint8_t object_byte(size_t i)
{
    return (uint8_t)(i * 7u + 3u);
}

static fc_err sink(void *ctx, const uint8_t *data, size_t len)
{
    fixture *fx = ctx;
    if (fx->got_len == 0) {
        fx->total_at_first_byte = fx->dl.total;
        snprintf(fx->name_at_first_byte, sizeof fx->name_at_first_byte, "%s", fx->name);
    }
    assert_true(fx->got_len + len <= sizeof fx->got);
    memcpy(fx->got + fx->got_len, data, len);
    fx->got_len += len;
    return FC_OK;
}

static fixture *fresh(void)
{
    fixture *fx = &g_fx;
    fc_client_config cfg;
    memset(fx, 0, sizeof *fx);
    fc_mock_init(&fx->storage);
    fc_mock_transport(&fx->storage, &fx->transport);
    fx->clock.now = 1000;
    fc_client_config_defaults(&cfg);
    cfg.base_url = "https://api.example.test/api/v1";
    cfg.api_key = "fck_test_key";
    cfg.transports = &fx->transport;
    cfg.transport_count = 1;
    cfg.system = fc_fake_system(&fx->clock);
    cfg.io_buf = fx->io;
    cfg.io_buf_size = sizeof fx->io;
    cfg.tokens = fx->toks;
    cfg.token_count = 64;
    cfg.retry.base_ms = 10;
    cfg.retry.cap_ms = 100;
    assert_int_equal(fc_client_init(&fx->client, &cfg), FC_OK);
    fx->dl.url = URL;
    fx->dl.sink = sink;
    fx->dl.sink_ctx = fx;
    fx->dl.filename = fx->name;
    fx->dl.filename_cap = sizeof fx->name;
    return fx;
}

/* An answer: status line, headers, then object bytes [from, to). */
static fc_mock_exchange *answer(fixture *fx, int status, const char *headers, size_t from,
                                size_t to)
{
    char *r = fx->responses[fx->nresp++];
    size_t i;
    int n;
    assert_true(fx->nresp <= 8);
    n = snprintf(r, sizeof fx->responses[0], "HTTP/1.1 %d X\r\n%sContent-Length: %zu\r\n\r\n",
                 status, headers, to - from);
    for (i = from; i < to; i++) {
        r[n++] = (char)object_byte(i);
    }
    {
        fc_mock_exchange *e = fc_mock_add(&fx->storage, r);
        e->response_len = (size_t)n;
        return e;
    }
}

/* Broken after k body bytes of an answer. */
static void break_after(fc_mock_exchange *e, size_t k)
{
    e->reset_at = (long)(e->response_len - (size_t)SIZE + k);
}

static fc_err run(fixture *fx)
{
    fc_err e = fc_download_start(&fx->client, &fx->dl);
    return e == FC_AGAIN ? fc_mock_run(&fx->client, &fx->clock, 100000, NULL) : e;
}

static void expect_object(const fixture *fx)
{
    size_t i;
    assert_int_equal(fx->got_len, SIZE);
    for (i = 0; i < SIZE; i++) {
        if (fx->got[i] != object_byte(i)) {
            fail_msg("byte %zu is not the object's", i);
        }
    }
    assert_true(fx->dl.offset == SIZE);
    assert_true(fx->dl.total == SIZE);
}

static const char *request(const fixture *fx, int i)
{
    const char *r = fc_mock_request(&fx->storage, i, NULL);
    assert_non_null(r);
    return r;
}

/* Broken after 80 bytes; the resume is answered with the WHOLE object as a
 * 206 (Content-Range: bytes 0-199/200): the sink still gets 200 bytes. */
static void test_resume_answered_with_the_whole_object(void **state)
{
    fixture *fx = fresh();
    (void)state;
    break_after(answer(fx, 200, "", 0, SIZE), 80);
    answer(fx, 206, "Content-Range: bytes 0-199/200\r\n", 0, SIZE);
    assert_int_equal(run(fx), FC_OK);
    expect_object(fx);
    assert_non_null(strstr(request(fx, 1), "\r\nRange: bytes=80-\r\n"));
}

/* The range ignored (200): the first 80 bytes are dropped, not repeated. */
static void test_resume_answered_with_200(void **state)
{
    fixture *fx = fresh();
    (void)state;
    break_after(answer(fx, 200, "", 0, SIZE), 80);
    answer(fx, 200, "", 0, SIZE);
    assert_int_equal(run(fx), FC_OK);
    expect_object(fx);
}

/* The range as asked: appended. */
static void test_resume_answered_with_the_range(void **state)
{
    fixture *fx = fresh();
    (void)state;
    break_after(answer(fx, 200, "", 0, SIZE), 80);
    answer(fx, 206, "Content-Range: bytes 80-199/200\r\n", 80, SIZE);
    assert_int_equal(run(fx), FC_OK);
    expect_object(fx);
}

/* A short range is followed by a request for the rest. */
static void test_short_range_asks_for_the_rest(void **state)
{
    fixture *fx = fresh();
    (void)state;
    break_after(answer(fx, 200, "", 0, SIZE), 80);
    answer(fx, 206, "Content-Range: bytes 80-149/200\r\n", 80, 150);
    answer(fx, 206, "Content-Range: bytes 150-199/200\r\n", 150, SIZE);
    assert_int_equal(run(fx), FC_OK);
    expect_object(fx);
    assert_non_null(strstr(request(fx, 2), "\r\nRange: bytes=150-\r\n"));
}

/* A range after the bytes asked for (a gap), or no Content-Range on a
 * 206: never appended, never FC_OK. */
static void test_gap_or_missing_range_fails(void **state)
{
    static const char *const heads[] = {"Content-Range: bytes 100-199/200\r\n", "",
                                        "Content-Range: bytes 80-79/200\r\n",
                                        "Content-Range: items 80-199/200\r\n"};
    unsigned i;
    (void)state;
    for (i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        fixture *fx = fresh();
        unsigned k;
        fx->client.cfg.retry.max_attempts = 1; /* resumes only: count them */
        fx->dl.max_resumes = 2;
        break_after(answer(fx, 200, "", 0, SIZE), 80);
        for (k = 0; k < 2; k++) {
            answer(fx, 206, heads[i], 100, SIZE);
        }
        assert_int_equal(run(fx), FC_ERR_PROTOCOL);
        assert_int_equal(fx->got_len, 80);
    }
}

/* Asked from the end (every byte was there): 416 with bytes * /200. */
static void test_range_past_the_end_is_done(void **state)
{
    fixture *fx = fresh();
    (void)state;
    fx->dl.offset = SIZE;
    answer(fx, 416, "Content-Range: bytes */200\r\n", 0, 0);
    assert_int_equal(run(fx), FC_OK);
    assert_true(fx->dl.total == SIZE);
}

/* The size and the file name are known at the first byte. */
static void test_size_and_name_before_the_first_byte(void **state)
{
    fixture *fx = fresh();
    (void)state;
    answer(fx, 200, "Content-Disposition: attachment; filename=\"frame 7.jpg\"\r\n", 0, SIZE);
    assert_int_equal(run(fx), FC_OK);
    expect_object(fx);
    assert_true(fx->total_at_first_byte == SIZE);
    assert_string_equal(fx->name_at_first_byte, "frame 7.jpg");
}

static void expect_name(const char *header, const char *name)
{
    fixture *fx = fresh();
    char h[512];
    snprintf(h, sizeof h, "Content-Disposition: %s\r\n", header);
    answer(fx, 200, h, 0, SIZE);
    assert_int_equal(run(fx), FC_OK);
    if (strcmp(fx->name, name) != 0) {
        fail_msg("%s gave the name \"%s\", not \"%s\"", header, fx->name, name);
    }
}

static void test_content_disposition_names(void **state)
{
    (void)state;
    expect_name("inline", "");
    expect_name("attachment; filename=plain.txt", "plain.txt");
    expect_name("attachment; filename=\"q\\\"uote.txt\"; size=3", "q\"uote.txt");
    expect_name("attachment; filename=\"x.jpg\"; filename*=UTF-8''fr%C3%A9.jpg", "fr\xc3\xa9.jpg");
    expect_name("attachment; filename*=utf-8'en'%E2%82%AC.txt; filename=\"euro.txt\"",
                "\xe2\x82\xac.txt");
    expect_name("attachment; filename=\"../../etc/passwd\"", "passwd");
    expect_name("attachment; filename=\"C:\\\\dir\\\\a.bin\"", "a.bin");
    expect_name("attachment; filename=\"..\"", "");
    expect_name("attachment; filename*=UTF-8''a%00b", "");
    expect_name("attachment; filename*=UTF-8''a%zzb", "");
    expect_name("attachment; filename=\"0123456789012345678901234567890123456789.bin\"", "");
    expect_name(
        "attachment; creation-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"; "
        "filename=after.bin",
        "after.bin");
    expect_name("attachment; filename*=ISO-8859-1''caf%E9.txt", "");
}

/* A 3 kB HTML 404 through a 2 kB buffer: the status stays (issue 12.3). */
static void test_large_error_page_keeps_its_status(void **state)
{
    fixture *fx = fresh();
    char *r = fx->responses[fx->nresp++];
    int n;
    (void)state;
    n = snprintf(r, sizeof fx->responses[0],
                 "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 3000\r\n"
                 "\r\n<html><body>");
    memset(r + n, 'x', 3000 - 12);
    fc_mock_add(&fx->storage, r)->response_len = (size_t)n + 3000 - 12;
    assert_int_equal(run(fx), FC_ERR_NOT_FOUND);
    assert_int_equal(fc_client_error(&fx->client)->http_status, 404);
    assert_int_equal(fx->got_len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_answered_with_the_whole_object),
        cmocka_unit_test(test_resume_answered_with_200),
        cmocka_unit_test(test_resume_answered_with_the_range),
        cmocka_unit_test(test_short_range_asks_for_the_rest),
        cmocka_unit_test(test_gap_or_missing_range_fails),
        cmocka_unit_test(test_range_past_the_end_is_done),
        cmocka_unit_test(test_size_and_name_before_the_first_byte),
        cmocka_unit_test(test_content_disposition_names),
        cmocka_unit_test(test_large_error_page_keeps_its_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL) + fc_wire_check("test_download");
}
