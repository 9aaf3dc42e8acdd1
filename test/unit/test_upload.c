/* SPDX-License-Identifier: MIT */
/*
 * test_upload.c - the upload flow (fc_files_upload) and each of its public
 * steps (fc_uploads_initiate / put / complete / wait_clean) against two
 * scripted mock transports: one plays the API host, one the storage host.
 *
 * Every case checks the requests byte for byte where it matters (request
 * lines, JSON bodies, the PUTs' headers and bodies, the key never reaching
 * storage) and the state the application sees afterwards (progress, file,
 * share, error step). Covered: the whole flow with the default-space
 * look-up, the scan wait and a public share; multipart with ETags; the four
 * steps one at a time; resuming from saved progress after a failed part; a
 * server that starts the upload over; a PUT retried with rewind; a lost
 * complete checked before it is repeated; scan timeout and failed scans;
 * an answer whose hash is not ours.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fc_mock_transport.h"
#include "fc_test_pattern.h"
#include "fluidcloud/fc_upload.h"

#define KEY "fck_test_0123456789abcdef0123456789abcdef"
#define STORAGE "https://storage.example.test"
#define LINK "https://files.example.test/s/tok123"

typedef struct fixture {
    fc_mock api;              /* transport 0: the API host (first to connect) */
    fc_mock storage;          /* transport 1: the storage host */
    fc_transport transports[2];
    fc_fake_clock clock;
    fc_client client;
    uint8_t io[4096];
    fc_json_tok toks[256];
    char responses[24][1536];
    int nresp;
    fc_upload up;
    fc_pattern src;
    char sha[65];             /* SHA-256 hex of the whole source */
    uint64_t progress_sent;   /* last on_progress call */
    unsigned progress_calls;
} fixture;

static fixture g_fx;

static void on_progress(void *ctx, uint64_t sent, uint64_t total)
{
    fixture *fx = ctx;
    assert_true(sent <= total);
    fx->progress_sent = sent;
    fx->progress_calls++;
}

/* A fresh client over both mocks, and an upload of size pattern bytes. */
static fixture *fresh(uint64_t size, uint8_t attempts)
{
    fixture *fx = &g_fx;
    fc_client_config cfg;
    memset(fx, 0, sizeof *fx);
    fc_mock_init(&fx->api);
    fc_mock_init(&fx->storage);
    fc_mock_transport(&fx->api, &fx->transports[0]);
    fc_mock_transport(&fx->storage, &fx->transports[1]);
    fx->clock.now = 0xFFFFF000u; /* the scan polls cross the 32-bit wrap */
    fc_client_config_defaults(&cfg);
    cfg.base_url = "https://api.example.test/api/v1";
    cfg.api_key = KEY;
    cfg.transports = fx->transports;
    cfg.transport_count = 2;
    cfg.system = fc_fake_system(&fx->clock);
    cfg.io_buf = fx->io;
    cfg.io_buf_size = sizeof fx->io;
    cfg.tokens = fx->toks;
    cfg.token_count = 256;
    cfg.retry.max_attempts = attempts;
    cfg.retry.base_ms = 10;
    cfg.retry.cap_ms = 100;
    assert_int_equal(fc_client_init(&fx->client, &cfg), FC_OK);

    fx->src.seed = 7;
    fx->src.size = size;
    fx->src.piece = 700; /* reads shorter than the buffer, like a camera's DMA */
    fc_pattern_sha(&fx->src, fx->sha);
    fx->up.params.name = "frame.jpg";
    fx->up.params.size = size;
    fx->up.params.content_type = "image/jpeg";
    fx->up.params.source = fc_pattern_source(&fx->src);
    fx->up.params.on_progress = on_progress;
    fx->up.params.progress_ctx = fx;
    return fx;
}

/* Queue an answer on m: status, extra header lines, body (NULL: none). */
static fc_mock_exchange *reply(fixture *fx, fc_mock *m, int status, const char *headers,
                               const char *body)
{
    char *r = fx->responses[fx->nresp++];
    int n;
    assert_true(fx->nresp <= (int)(sizeof fx->responses / sizeof fx->responses[0]));
    n = snprintf(r, sizeof fx->responses[0], "HTTP/1.1 %d X\r\n%sContent-Length: %zu\r\n\r\n%s",
                 status, headers != NULL ? headers : "", body != NULL ? strlen(body) : 0u,
                 body != NULL ? body : "");
    assert_true(n > 0 && (size_t)n < sizeof fx->responses[0]);
    return fc_mock_add(m, r);
}

static fc_mock_exchange *reply_json(fixture *fx, int status, const char *body)
{
    return reply(fx, &fx->api, status, "Content-Type: application/json\r\n", body);
}

/* The file record the API answers, with our size and hash (or another). */
static fc_mock_exchange *reply_file(fixture *fx, int status, const char *id, const char *scan,
                       const char *sha)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"id\":\"%s\",\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":%llu,"
             "\"sha256\":\"%s\",\"scan_status\":\"%s\",\"status\":\"ready\"}",
             id, (unsigned long long)fx->src.size, sha != NULL ? sha : fx->sha, scan);
    return reply_json(fx, status, body);
}

/* A single-PUT ticket; headers_first puts "headers" before "url". */
static void reply_single_ticket(fixture *fx, const char *upload_id, const char *file_id,
                                const char *headers, int headers_first)
{
    char body[1024];
    char url[256];
    snprintf(url, sizeof url, STORAGE "/o/%s?partNumber=1&X-Sig=s1", file_id);
    snprintf(body, sizeof body,
             "{\"upload_id\":\"%s\",\"file_id\":\"%s\",\"key\":\"tenants/t/%s/frame.jpg\","
             "\"expires_at\":\"2026-06-23T15:05:00Z\",%s%s%s\"mode\":\"single\","
             "\"method\":\"PUT\",\"url\":\"%s\"%s%s}",
             upload_id, file_id, file_id, headers_first ? "\"headers\":" : "",
             headers_first ? headers : "", headers_first ? "," : "", url,
             headers_first ? "" : ",\"headers\":", headers_first ? "" : headers);
    reply_json(fx, 201, body);
}

/* A multipart ticket of `parts` parts of part_size bytes. */
static void reply_multipart_ticket(fixture *fx, const char *upload_id, const char *file_id,
                                   unsigned parts, unsigned part_size)
{
    char body[1400];
    size_t n = 0;
    unsigned i;
    n += (size_t)snprintf(body + n, sizeof body - n,
                          "{\"upload_id\":\"%s\",\"file_id\":\"%s\",\"key\":\"k/%s\","
                          "\"mode\":\"multipart\",\"part_size\":%u,\"parts\":[",
                          upload_id, file_id, file_id, part_size);
    for (i = 1; i <= parts; i++) {
        n += (size_t)snprintf(body + n, sizeof body - n,
                              "%s{\"part_number\":%u,\"url\":\"" STORAGE
                              "/o/%s?partNumber=%u&uploadId=%s\"}",
                              i > 1 ? "," : "", i, file_id, i, upload_id);
    }
    n += (size_t)snprintf(body + n, sizeof body - n, "]}");
    assert_true(n < sizeof body);
    reply_json(fx, 201, body);
}

static fc_mock_exchange *reply_put(fixture *fx, const char *etag)
{
    char h[96];
    snprintf(h, sizeof h, "ETag: %s\r\n", etag);
    return reply(fx, &fx->storage, 200, h, NULL);
}

static fc_err run(fixture *fx, fc_err started)
{
    if (started != FC_AGAIN) {
        return started;
    }
    return fc_mock_run(&fx->client, &fx->clock, 200000, NULL);
}

/* ---- what was sent ----------------------------------------------------------- */

static const char *request(const fc_mock *m, int i)
{
    const char *r = fc_mock_request(m, i, NULL);
    if (r == NULL) {
        fail_msg("no request was sent for exchange %d", i);
    }
    return r;
}

static void expect_line(const fc_mock *m, int i, const char *line)
{
    const char *r = request(m, i);
    size_t n = strlen(line);
    if (strncmp(r, line, n) != 0 || strncmp(r + n, "\r\n", 2) != 0) {
        fail_msg("request %d: expected \"%s\", sent \"%.*s\"", i, line, (int)(n + 8), r);
    }
}

static void expect_header(const fc_mock *m, int i, const char *header, int present)
{
    const char *r = request(m, i);
    const char *end = strstr(r, "\r\n\r\n");
    const char *at = strstr(r, header);
    assert_non_null(end);
    if (present != (at != NULL && at < end)) {
        fail_msg("request %d: header \"%s\" %s in:\n%.*s", i, header,
                 present ? "missing" : "present", (int)(end - r), r);
    }
}

static const char *body_of(const fc_mock *m, int i, size_t *len)
{
    size_t total = 0;
    const char *r = fc_mock_request(m, i, &total);
    const char *end;
    assert_non_null(r);
    end = strstr(r, "\r\n\r\n");
    assert_non_null(end);
    end += 4;
    *len = total - (size_t)(end - r);
    return end;
}

static void expect_body(const fc_mock *m, int i, const char *json)
{
    size_t len = 0;
    const char *b = body_of(m, i, &len);
    if (len != strlen(json) || memcmp(b, json, len) != 0) {
        fail_msg("request %d: expected body\n  %s\nsent\n  %.*s", i, json, (int)len, b);
    }
}

/* The body of storage request i is the source's bytes [offset, offset+len). */
static void expect_pattern_body(const fixture *fx, int i, uint64_t offset, size_t len)
{
    size_t got = 0;
    const char *b = body_of(&fx->storage, i, &got);
    size_t k;
    assert_int_equal(got, len);
    for (k = 0; k < len; k++) {
        if ((uint8_t)b[k] != fc_pattern_byte(&fx->src, offset + k)) {
            fail_msg("storage request %d: byte %zu is not source byte %llu", i, k,
                     (unsigned long long)(offset + k));
        }
    }
}

static void expect_step(const fixture *fx, const char *step)
{
    assert_string_equal(fc_client_error(&fx->client)->step, step);
}

static int sent_count(const fc_mock *m)
{
    int n = 0;
    while (n < FC_MOCK_MAX_EXCHANGES && fc_mock_request(m, n, NULL) != NULL) {
        n++;
    }
    return n;
}

/* {"upload_id":..,"file_id":..,"key":..,"sha256":<ours>[,"parts":..]} */
static void complete_body(const fixture *fx, char *out, size_t cap, const char *upload_id,
                          const char *file_id, const char *key, const char *parts)
{
    snprintf(out, cap, "{\"upload_id\":\"%s\",\"file_id\":\"%s\",\"key\":\"%s\","
                       "\"sha256\":\"%s\"%s}",
             upload_id, file_id, key, fx->sha, parts != NULL ? parts : "");
}

/* ---- the whole flow --------------------------------------------------------------- */

/* No space given: "My files" is looked up; the scan is polled until clean;
 * a public link is made. */
static void test_whole_flow_single_put(void **state)
{
    fixture *fx = fresh(3000, 4);
    char want[512];
    (void)state;
    fx->up.params.share = FC_SHARE_PUBLIC;
    reply_json(fx, 200, "{\"items\":[{\"id\":\"S0\",\"name\":\"Other\"},"
                        "{\"id\":\"S1\",\"name\":\"My files\"}],\"next_cursor\":null}");
    reply_single_ticket(fx, "u1", "F1", "{\"Content-Type\":\"image/jpeg\"}", 0);
    reply_put(fx, "\"e1\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "clean", NULL);
    reply_json(fx, 201, "{\"id\":\"sh1\",\"file_id\":\"F1\",\"permission\":\"view\","
                        "\"expires_at\":null,\"url\":\"" LINK "\"}");

    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    expect_line(&fx->api, 0, "GET /api/v1/spaces?limit=200 HTTP/1.1");
    expect_line(&fx->api, 1, "POST /api/v1/uploads/initiate HTTP/1.1");
    expect_header(&fx->api, 1, "\r\nX-API-Key: " KEY "\r\n", 1);
    expect_body(&fx->api, 1, "{\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":3000,"
                             "\"content_type\":\"image/jpeg\"}");

    /* The PUT: the ticket's headers, our Content-Length, never the key. */
    expect_line(&fx->storage, 0, "PUT /o/F1?partNumber=1&X-Sig=s1 HTTP/1.1");
    expect_header(&fx->storage, 0, "\r\nHost: storage.example.test\r\n", 1);
    expect_header(&fx->storage, 0, "\r\nContent-Type: image/jpeg\r\n", 1);
    expect_header(&fx->storage, 0, "\r\nContent-Length: 3000\r\n", 1);
    expect_header(&fx->storage, 0, "X-API-Key", 0);
    expect_header(&fx->storage, 0, KEY, 0);
    expect_pattern_body(fx, 0, 0, 3000);
    assert_int_equal(sent_count(&fx->storage), 1);

    expect_line(&fx->api, 2, "POST /api/v1/uploads/complete HTTP/1.1");
    complete_body(fx, want, sizeof want, "u1", "F1", "tenants/t/F1/frame.jpg", NULL);
    expect_body(&fx->api, 2, want);
    expect_line(&fx->api, 3, "GET /api/v1/files/F1 HTTP/1.1");
    expect_line(&fx->api, 4, "GET /api/v1/files/F1 HTTP/1.1");
    expect_line(&fx->api, 5, "POST /api/v1/shares HTTP/1.1");
    expect_body(&fx->api, 5, "{\"file_id\":\"F1\",\"expires_in_days\":null}");
    assert_int_equal(sent_count(&fx->api), 6);

    assert_string_equal(fx->up.share.url, LINK);
    assert_string_equal(fx->up.file.id, "F1");
    assert_int_equal(fx->up.file.scan_status.value, FC_SCAN_CLEAN);
    assert_string_equal(fx->up.progress.upload_id, "u1");
    assert_int_equal(fx->up.progress.completed, 1);
    assert_true(fx->up.progress.offset == 3000);
    assert_true(fx->progress_sent == 3000);
    assert_true(fx->progress_calls >= 5); /* 3000 bytes in reads of 700 */
    /* One connection per host for the whole flow (keep-alive). */
    assert_int_equal(fx->api.connects, 1);
    assert_int_equal(fx->storage.connects, 1);
    assert_int_equal(fc_client_error(&fx->client)->err, FC_OK);
}

/* A ticket may list its headers before the URL; Host and Content-Length
 * of the ticket are ours to write, the others go out as they are. */
static void test_ticket_headers_first(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1",
                        "{\"Host\":\"evil.example\",\"Content-Type\":\"image/jpeg\","
                        "\"x-fc-meta\":\"a b\",\"content-length\":\"5\"}", 1);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->storage, 0, "PUT /o/F1?partNumber=1&X-Sig=s1 HTTP/1.1");
    expect_header(&fx->storage, 0, "\r\nContent-Type: image/jpeg\r\nx-fc-meta: a b\r\n", 1);
    expect_header(&fx->storage, 0, "\r\nContent-Length: 100\r\n", 1);
    expect_header(&fx->storage, 0, "evil", 0);
    expect_header(&fx->storage, 0, "Content-Length: 5", 0);
    expect_pattern_body(fx, 0, 0, 100);
    /* Neither scan wait nor share asked for: done after complete. */
    assert_int_equal(sent_count(&fx->api), 2);
}

static void test_multipart_with_etags(void **state)
{
    fixture *fx = fresh(2500, 4);
    char want[512];
    (void)state;
    fx->up.params.name = "log.bin";
    fx->up.params.content_type = NULL;
    fx->up.params.space_id = "S9";
    fx->up.params.folder_id = "D1";
    fx->up.params.client_key = "cam/7";
    reply_multipart_ticket(fx, "u2", "F2", 3, 1000);
    reply_put(fx, "\"e1\"");
    reply_put(fx, "\"e2\"");
    reply_put(fx, "\"e3\"");
    reply_file(fx, 201, "F2", "clean", NULL);

    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    expect_body(&fx->api, 0, "{\"space_id\":\"S9\",\"folder_id\":\"D1\",\"name\":\"log.bin\","
                             "\"size\":2500,\"content_type\":\"application/octet-stream\","
                             "\"client_key\":\"cam/7\"}");
    expect_line(&fx->storage, 0, "PUT /o/F2?partNumber=1&uploadId=u2 HTTP/1.1");
    expect_line(&fx->storage, 1, "PUT /o/F2?partNumber=2&uploadId=u2 HTTP/1.1");
    expect_line(&fx->storage, 2, "PUT /o/F2?partNumber=3&uploadId=u2 HTTP/1.1");
    expect_header(&fx->storage, 2, "\r\nContent-Length: 500\r\n", 1);
    expect_header(&fx->storage, 1, "X-API-Key", 0);
    expect_pattern_body(fx, 0, 0, 1000);
    expect_pattern_body(fx, 1, 1000, 1000);
    expect_pattern_body(fx, 2, 2000, 500);
    complete_body(fx, want, sizeof want, "u2", "F2", "k/F2",
                  ",\"parts\":[{\"part_number\":1,\"etag\":\"\\\"e1\\\"\"},"
                  "{\"part_number\":2,\"etag\":\"\\\"e2\\\"\"},"
                  "{\"part_number\":3,\"etag\":\"\\\"e3\\\"\"}]");
    expect_body(&fx->api, 1, want);
    assert_int_equal(sent_count(&fx->api), 2);
    assert_int_equal(fx->up.progress.multipart, 1);
    assert_int_equal(fx->up.progress.part_count, 3);
    assert_int_equal(fx->up.progress.part, 3);
    assert_string_equal(fx->up.progress.etags[2], "\"e3\"");
    assert_true(fx->progress_sent == 2500);
}

/* ---- the steps on their own ------------------------------------------------------- */

static void test_each_public_step(void **state)
{
    fixture *fx = fresh(2500, 4);
    char want[512];
    fc_file other;
    (void)state;
    fx->up.params.space_id = "S1";
    /* put before any initiate: the URLs are not there. */
    assert_int_equal(fc_uploads_put(&fx->client, &fx->up), FC_ERR_INVALID_ARG);

    reply_multipart_ticket(fx, "u3", "F3", 3, 1000);
    assert_int_equal(run(fx, fc_uploads_initiate(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->api), 1);
    assert_int_equal(sent_count(&fx->storage), 0);
    assert_string_equal(fx->up.progress.upload_id, "u3");
    assert_string_equal(fx->up.progress.file_id, "F3");
    assert_string_equal(fx->up.progress.key, "k/F3");
    assert_int_equal(fx->up.progress.part_count, 3);
    assert_int_equal(fx->up.progress.part, 0);

    reply_put(fx, "\"p1\"");
    reply_put(fx, "\"p2\"");
    reply_put(fx, "\"p3\"");
    assert_int_equal(run(fx, fc_uploads_put(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->storage), 3);
    assert_int_equal(sent_count(&fx->api), 1);
    expect_pattern_body(fx, 2, 2000, 500);
    assert_true(fx->up.progress.offset == 2500);
    assert_int_equal(fx->up.progress.completed, 0);

    reply_file(fx, 201, "F3", "pending", NULL);
    assert_int_equal(run(fx, fc_uploads_complete(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->api), 2);
    complete_body(fx, want, sizeof want, "u3", "F3", "k/F3",
                  ",\"parts\":[{\"part_number\":1,\"etag\":\"\\\"p1\\\"\"},"
                  "{\"part_number\":2,\"etag\":\"\\\"p2\\\"\"},"
                  "{\"part_number\":3,\"etag\":\"\\\"p3\\\"\"}]");
    expect_body(&fx->api, 1, want);
    assert_int_equal(fx->up.progress.completed, 1);
    assert_int_equal(fx->up.file.scan_status.value, FC_SCAN_PENDING);

    reply_file(fx, 200, "F3", "pending", NULL);
    reply_file(fx, 200, "F3", "clean", NULL);
    assert_int_equal(run(fx, fc_uploads_wait_clean(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->api, 2, "GET /api/v1/files/F3 HTTP/1.1");
    expect_line(&fx->api, 3, "GET /api/v1/files/F3 HTTP/1.1");
    assert_int_equal(sent_count(&fx->api), 4);
    assert_int_equal(fx->up.file.scan_status.value, FC_SCAN_CLEAN);
    assert_int_equal(fx->up.share.url[0], '\0'); /* no share step asked */

    /* Another operation between initiate and put reuses the buffer that
     * held the URLs: put refuses instead of sending to garbage. */
    fx->up.progress.upload_id[0] = '\0';
    reply_multipart_ticket(fx, "u4", "F4", 3, 1000);
    reply_file(fx, 200, "F4", "pending", NULL);
    assert_int_equal(run(fx, fc_uploads_initiate(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(run(fx, fc_files_get(&fx->client, "F4", &other)), FC_OK);
    assert_int_equal(fc_uploads_put(&fx->client, &fx->up), FC_ERR_INVALID_ARG);
    assert_int_equal(sent_count(&fx->storage), 3);
}

/* ---- resuming ------------------------------------------------------------------------ */

/* Part 2 fails (no retries): the progress saved after part 1 resumes the
 * upload in a "rebooted" client: same upload id, fresh URLs, parts 2 and 3
 * only, from the right source offset, and the hash of all the bytes. */
static void test_resume_from_saved_progress(void **state)
{
    fixture *fx = fresh(2500, 1);
    fc_upload_progress saved;
    char want[512];
    (void)state;
    fx->up.params.space_id = "S1";
    reply_multipart_ticket(fx, "u5", "F5", 3, 1000);
    reply_put(fx, "\"r1\"");
    reply_put(fx, "\"never\"")->reset_at = 0;
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_TRANSPORT);
    expect_step(fx, "put");
    assert_int_equal(fx->up.progress.part, 1);
    assert_true(fx->up.progress.offset == 1000);
    assert_string_equal(fx->up.progress.etags[0], "\"r1\"");
    saved = fx->up.progress; /* to flash, say */

    fx = fresh(2500, 1); /* a reboot: new client, new source position */
    fx->up.params.space_id = "S1";
    fx->up.progress = saved;
    fx->src.pos = 0;
    reply_multipart_ticket(fx, "u5", "F5", 3, 1000);
    reply_put(fx, "\"r2\"");
    reply_put(fx, "\"r3\"");
    reply_file(fx, 201, "F5", "clean", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    expect_body(&fx->api, 0, "{\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":2500,"
                             "\"content_type\":\"image/jpeg\",\"upload_id\":\"u5\"}");
    assert_int_equal(sent_count(&fx->storage), 2);
    expect_line(&fx->storage, 0, "PUT /o/F5?partNumber=2&uploadId=u5 HTTP/1.1");
    expect_line(&fx->storage, 1, "PUT /o/F5?partNumber=3&uploadId=u5 HTTP/1.1");
    expect_pattern_body(fx, 0, 1000, 1000);
    expect_pattern_body(fx, 1, 2000, 500);
    complete_body(fx, want, sizeof want, "u5", "F5", "k/F5",
                  ",\"parts\":[{\"part_number\":1,\"etag\":\"\\\"r1\\\"\"},"
                  "{\"part_number\":2,\"etag\":\"\\\"r2\\\"\"},"
                  "{\"part_number\":3,\"etag\":\"\\\"r3\\\"\"}]");
    expect_body(&fx->api, 1, want);
}

/* The resume is answered with a new upload id (the old one expired): the
 * client starts over from byte 0 with the new ids and a fresh hash. */
static void test_server_starts_over(void **state)
{
    fixture *fx = fresh(2500, 1);
    fc_upload_progress saved;
    char want[512];
    (void)state;
    fx->up.params.space_id = "S1";
    reply_multipart_ticket(fx, "u6", "F6", 3, 1000);
    reply_put(fx, "\"o1\"");
    reply_put(fx, "\"o2\"");
    reply_put(fx, "\"never\"")->reset_at = 0;
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_TRANSPORT);
    assert_int_equal(fx->up.progress.part, 2);
    saved = fx->up.progress;

    fx = fresh(2500, 1);
    fx->up.params.space_id = "S1";
    fx->up.progress = saved;
    fx->src.pos = 1234; /* wherever: the client must seek to 0 */
    reply_multipart_ticket(fx, "u7", "F7", 3, 1000);
    reply_put(fx, "\"n1\"");
    reply_put(fx, "\"n2\"");
    reply_put(fx, "\"n3\"");
    reply_file(fx, 201, "F7", "clean", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    assert_int_equal(sent_count(&fx->storage), 3);
    expect_line(&fx->storage, 0, "PUT /o/F7?partNumber=1&uploadId=u7 HTTP/1.1");
    expect_pattern_body(fx, 0, 0, 1000);
    expect_pattern_body(fx, 1, 1000, 1000);
    expect_pattern_body(fx, 2, 2000, 500);
    complete_body(fx, want, sizeof want, "u7", "F7", "k/F7",
                  ",\"parts\":[{\"part_number\":1,\"etag\":\"\\\"n1\\\"\"},"
                  "{\"part_number\":2,\"etag\":\"\\\"n2\\\"\"},"
                  "{\"part_number\":3,\"etag\":\"\\\"n3\\\"\"}]");
    expect_body(&fx->api, 1, want);
    assert_string_equal(fx->up.progress.upload_id, "u7");
    assert_string_equal(fx->up.file.id, "F7");
}

/* Starting over needs a source that can seek back to byte 0. */
static void test_start_over_without_seek_fails(void **state)
{
    fixture *fx = fresh(2500, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.source.seek = NULL;
    strcpy(fx->up.progress.upload_id, "old");
    fx->up.progress.part = 1;
    fx->up.progress.part_count = 3;
    fx->up.progress.offset = 1000;
    fc_sha256_init(&fx->up.progress.hash);
    reply_multipart_ticket(fx, "u8", "F8", 3, 1000);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_SOURCE);
    expect_step(fx, "initiate");
    assert_int_equal(sent_count(&fx->storage), 0);
}

/* A PUT reset after it was sent is sent again from the part's start: the
 * source rewinds and the hash with it. */
static void test_put_retried_with_rewind(void **state)
{
    fixture *fx = fresh(3000, 4);
    char want[512];
    (void)state;
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u9", "F9", "{}", 0);
    reply_put(fx, "\"x\"")->reset_at = 0;
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F9", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->storage), 2);
    expect_pattern_body(fx, 0, 0, 3000);
    expect_pattern_body(fx, 1, 0, 3000);
    assert_int_equal(fx->storage.connects, 2);
    complete_body(fx, want, sizeof want, "u9", "F9", "tenants/t/F9/frame.jpg", NULL);
    expect_body(&fx->api, 1, want);
}

/* ---- complete, scan --------------------------------------------------------------- */

/* The answer to complete was lost: GET /files/{id} tells whether it was
 * done (200: it was, no second complete) or not (404: send it again). */
static void test_lost_complete_is_checked(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL)->reset_at = 0;
    reply_file(fx, 200, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->api, 1, "POST /api/v1/uploads/complete HTTP/1.1");
    expect_line(&fx->api, 2, "GET /api/v1/files/F1 HTTP/1.1");
    assert_int_equal(sent_count(&fx->api), 3);
    assert_int_equal(fx->up.progress.completed, 1);

    fx = fresh(100, 4);
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL)->reset_at = 0;
    reply_json(fx, 404, "{\"detail\":\"File not found\"}");
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->api, 2, "GET /api/v1/files/F1 HTTP/1.1");
    expect_line(&fx->api, 3, "POST /api/v1/uploads/complete HTTP/1.1");
    assert_int_equal(sent_count(&fx->api), 4);
}

/* The server's file must carry our size and hash. */
static void test_complete_answer_checked(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending",
               "0000000000000000000000000000000000000000000000000000000000000000");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_INTEGRITY);
    assert_int_equal(fx->up.progress.completed, 0);
}

/* Pending past scan_timeout_ms: FC_ERR_TIMEOUT naming the scan, after
 * polls at growing intervals (250, 500 ms), none past the deadline. */
static void test_scan_timeout(void **state)
{
    fixture *fx = fresh(100, 4);
    uint32_t t0;
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    fx->up.params.scan_timeout_ms = 1000;
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "clean", NULL);
    t0 = fx->clock.now;
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_TIMEOUT);
    expect_step(fx, "scan");
    assert_int_equal(sent_count(&fx->api), 5); /* initiate, complete, 3 polls */
    assert_true(fx->clock.now - t0 >= 750u && fx->clock.now - t0 < 1000u);
    assert_int_equal(fx->up.progress.completed, 1); /* resumable: scan only */
}

static void test_scan_failed(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_EXPIRING;
    fx->up.params.expires_in_days = 7;
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "infected", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_SCAN_FAILED);
    expect_step(fx, "scan");
    assert_int_equal(fx->up.file.scan_status.value, FC_SCAN_INFECTED);
    assert_int_equal(sent_count(&fx->api), 3); /* no share of an infected file */
}

/* An expiring link with a permission; the share's failure names "share". */
static void test_expiring_share(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_EXPIRING;
    fx->up.params.expires_in_days = 30;
    fx->up.params.permission = "download";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "clean", NULL);
    reply_file(fx, 200, "F1", "clean", NULL);
    reply_json(fx, 402, "{\"detail\":{\"error\":\"quota_exceeded\"}}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_QUOTA);
    expect_step(fx, "share");
    expect_body(&fx->api, 3, "{\"file_id\":\"F1\",\"expires_in_days\":30,"
                             "\"permission\":\"download\"}");
    assert_string_equal(fc_client_error(&fx->client)->code, "quota_exceeded");
}

/* A share answered without its link fails the share step. */
static void test_share_without_link(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_PUBLIC;
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "clean", NULL);
    reply_file(fx, 200, "F1", "clean", NULL);
    reply_json(fx, 201, "{\"id\":\"sh1\",\"file_id\":\"F1\",\"permission\":\"view\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_JSON);
    expect_step(fx, "share");
}

static void test_bad_params(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.name = NULL;
    assert_int_equal(fc_files_upload(&fx->client, &fx->up), FC_ERR_INVALID_ARG);
    fx->up.params.name = "x";
    fx->up.params.share = FC_SHARE_EXPIRING;
    fx->up.params.expires_in_days = 0;
    assert_int_equal(fc_files_upload(&fx->client, &fx->up), FC_ERR_INVALID_ARG);
    fx->up.params.expires_in_days = 366;
    assert_int_equal(fc_uploads_initiate(&fx->client, &fx->up), FC_ERR_INVALID_ARG);
    assert_int_equal(sent_count(&fx->api), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_flow_single_put),
        cmocka_unit_test(test_ticket_headers_first),
        cmocka_unit_test(test_multipart_with_etags),
        cmocka_unit_test(test_each_public_step),
        cmocka_unit_test(test_resume_from_saved_progress),
        cmocka_unit_test(test_server_starts_over),
        cmocka_unit_test(test_start_over_without_seek_fails),
        cmocka_unit_test(test_put_retried_with_rewind),
        cmocka_unit_test(test_lost_complete_is_checked),
        cmocka_unit_test(test_complete_answer_checked),
        cmocka_unit_test(test_scan_timeout),
        cmocka_unit_test(test_scan_failed),
        cmocka_unit_test(test_expiring_share),
        cmocka_unit_test(test_share_without_link),
        cmocka_unit_test(test_bad_params),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* Every request the tests sent, compared with the recorded bytes. */
    return failed + fc_wire_check("test_upload");
}
