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
 * an answer whose hash is not ours. Issue 12/10/15: part windows read from
 * a streamed ticket, complete's body streamed from the ETag store, reuse of
 * a finished or foreign progress, hostile ticket headers, downgrades,
 * ticket shapes without mode or upload_id, a lost complete proven only by
 * our size and hash, scan answers for another file, scan values the docs
 * do not name, a share without its link.
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

#define KEY     "fck_test_0123456789abcdef0123456789abcdef"
#define STORAGE "https://storage.example.test"
#define LINK    "https://files.example.test/s/tok123"

typedef struct fixture {
    fc_mock api;     /* transport 0: the API host (first to connect) */
    fc_mock storage; /* transport 1: the storage host */
    fc_transport transports[2];
    fc_fake_clock clock;
    fc_client client;
    uint8_t io[4096];
    fc_json_tok toks[256];
    char responses[24][4096];
    int nresp;
    fc_upload up;
    char etag_mem[16][FC_CONFIG_ETAG_MAX];
    fc_etag_array etags; /* the upload's ETag store */
    fc_file file;        /* params.file_out */
    fc_share share;      /* params.share_out */
    fc_pattern src;
    char sha[65];           /* SHA-256 hex of the whole source */
    uint64_t progress_sent; /* last on_progress call */
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

/* A fresh client over both mocks (an I/O buffer of io bytes), and an
 * upload of size pattern bytes. */
static fixture *fresh_io(uint64_t size, uint8_t attempts, size_t io)
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
    cfg.io_buf_size = io;
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
    fc_etag_array_init(&fx->etags, fx->etag_mem, 16);
    fx->up.params.etags = &fx->etags.store;
    fx->up.params.file_out = &fx->file;
    fx->up.params.share_out = &fx->share;
    return fx;
}

static fixture *fresh(uint64_t size, uint8_t attempts)
{
    return fresh_io(size, attempts, sizeof g_fx.io);
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

/* A file record with our size and hash, scan_status scan and status. */
static void reply_record(fixture *fx, const char *scan, const char *status)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"id\":\"F1\",\"size\":%llu,\"sha256\":\"%s\",\"scan_status\":\"%s\","
             "\"status\":\"%s\"}",
             (unsigned long long)fx->src.size, fx->sha, scan, status);
    reply_json(fx, 200, body);
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

/* A window of a multipart ticket: parts first..last of part_size bytes,
 * their URLs padded with a signature of sig_len bytes; part_count < 0:
 * none in the ticket. */
static void reply_window(fixture *fx, const char *upload_id, const char *file_id, unsigned first,
                         unsigned last, int part_count, unsigned part_size, unsigned sig_len)
{
    char body[4000];
    char sig[1024];
    char count[32] = "";
    size_t n = 0;
    unsigned i;
    assert_true(sig_len < sizeof sig);
    memset(sig, 's', sig_len);
    sig[sig_len] = '\0';
    if (part_count >= 0) {
        snprintf(count, sizeof count, "\"part_count\":%d,", part_count);
    }
    n += (size_t)snprintf(body + n, sizeof body - n,
                          "{\"upload_id\":\"%s\",\"file_id\":\"%s\",\"key\":\"k/%s\","
                          "\"mode\":\"multipart\",%s\"part_size\":%u,\"parts\":[",
                          upload_id, file_id, file_id, count, part_size);
    for (i = first; i <= last; i++) {
        n += (size_t)snprintf(
            body + n, sizeof body - n,
            "%s{\"part_number\":%u,\"url\":\"" STORAGE "/o/%s?partNumber=%u&uploadId=%s%s%s\"}",
            i > first ? "," : "", i, file_id, i, upload_id, sig_len ? "&X-Sig=" : "", sig);
    }
    n += (size_t)snprintf(body + n, sizeof body - n, "]}");
    assert_true(n < sizeof body);
    reply_json(fx, 201, body);
}

/* A multipart ticket of `parts` parts of part_size bytes, all of them. */
static void reply_multipart_ticket(fixture *fx, const char *upload_id, const char *file_id,
                                   unsigned parts, unsigned part_size)
{
    reply_window(fx, upload_id, file_id, 1, parts, -1, part_size, 0);
}

static fc_mock_exchange *reply_put(fixture *fx, const char *etag)
{
    char h[96];
    snprintf(h, sizeof h, "ETag: %s\r\n", etag);
    return reply(fx, &fx->storage, 200, h, NULL);
}

/* The usual single upload's first answers: ticket u1 for file F1 (no
 * headers), the PUT's ETag, complete's record with scan_status scan. */
static void reply_single_upload(fixture *fx, const char *scan)
{
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", scan, NULL);
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

/* Storage request i is the PUT of part n of FW/uW whose URL has a
 * signature of sig_len bytes (reply_window). */
static void expect_signed_put(const fixture *fx, int i, unsigned n, unsigned sig_len)
{
    char line[1200];
    int at = snprintf(line, sizeof line, "PUT /o/FW?partNumber=%u&uploadId=uW&X-Sig=", n);
    assert_true(at > 0 && (size_t)at + sig_len + 10 < sizeof line);
    memset(line + at, 's', sig_len);
    snprintf(line + at + sig_len, sizeof line - (size_t)at - sig_len, " HTTP/1.1");
    expect_line(&fx->storage, i, line);
}

/* initiate's body for frame.jpg of size bytes: a later window of uW. */
static void expect_window_ask(const fixture *fx, int i, unsigned size, unsigned from,
                              unsigned limit)
{
    char want[256];
    snprintf(want, sizeof want,
             "{\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":%u,"
             "\"content_type\":\"image/jpeg\",\"upload_id\":\"uW\",\"part_from\":%u,"
             "\"part_limit\":%u}",
             size, from, limit);
    expect_body(&fx->api, i, want);
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
    snprintf(out, cap,
             "{\"upload_id\":\"%s\",\"file_id\":\"%s\",\"key\":\"%s\","
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
    reply_json(fx, 200,
               "{\"items\":[{\"id\":\"S0\",\"name\":\"Other\"},"
               "{\"id\":\"S1\",\"name\":\"My files\"}],\"next_cursor\":null}");
    reply_single_ticket(fx, "u1", "F1", "{\"Content-Type\":\"image/jpeg\"}", 0);
    reply_put(fx, "\"e1\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "clean", NULL);
    reply_json(fx, 201,
               "{\"id\":\"sh1\",\"file_id\":\"F1\",\"permission\":\"view\","
               "\"expires_at\":null,\"url\":\"" LINK "\"}");

    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    expect_line(&fx->api, 0, "GET /api/v1/spaces?limit=200 HTTP/1.1");
    expect_line(&fx->api, 1, "POST /api/v1/uploads/initiate HTTP/1.1");
    expect_header(&fx->api, 1, "\r\nX-API-Key: " KEY "\r\n", 1);
    expect_body(&fx->api, 1,
                "{\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":3000,"
                "\"content_type\":\"image/jpeg\",\"part_limit\":6}");

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

    assert_string_equal(fx->up.link, LINK);
    assert_string_equal(fx->share.url, LINK);
    assert_string_equal(fx->up.progress.file_id, "F1");
    assert_string_equal(fx->file.id, "F1");
    assert_int_equal(fx->up.scan.value, FC_SCAN_CLEAN);
    assert_int_equal(fx->file.scan_status.value, FC_SCAN_CLEAN);
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

/* A ticket may list its headers before the URL; they go out exactly as
 * they are (Host and Content-Length are ours: test_hostile_ticket_headers). */
static void test_ticket_headers_first(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{\"Content-Type\":\"image/jpeg\",\"x-fc-meta\":\"a b\"}",
                        1);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->storage, 0, "PUT /o/F1?partNumber=1&X-Sig=s1 HTTP/1.1");
    expect_header(&fx->storage, 0, "\r\nContent-Type: image/jpeg\r\nx-fc-meta: a b\r\n", 1);
    expect_header(&fx->storage, 0, "\r\nContent-Length: 100\r\n", 1);
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

    expect_body(&fx->api, 0,
                "{\"space_id\":\"S9\",\"folder_id\":\"D1\",\"name\":\"log.bin\","
                "\"size\":2500,\"content_type\":\"application/octet-stream\","
                "\"client_key\":\"cam/7\",\"part_limit\":6}");
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
    assert_string_equal(fx->etag_mem[2], "\"e3\"");
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
    assert_int_equal(fx->up.scan.value, FC_SCAN_PENDING);

    reply_file(fx, 200, "F3", "pending", NULL);
    reply_file(fx, 200, "F3", "clean", NULL);
    assert_int_equal(run(fx, fc_uploads_wait_clean(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->api, 2, "GET /api/v1/files/F3 HTTP/1.1");
    expect_line(&fx->api, 3, "GET /api/v1/files/F3 HTTP/1.1");
    assert_int_equal(sent_count(&fx->api), 4);
    assert_int_equal(fx->up.scan.value, FC_SCAN_CLEAN);
    assert_int_equal(fx->up.link[0], '\0'); /* no share step asked */
    assert_int_equal(fx->up.progress.finished, 1);

    /* Another operation between initiate and put reuses the buffer that
     * held the URLs: put refuses instead of sending to garbage. (The
     * finished upload's progress starts over: a new upload.) */
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
    char saved_etags[16][FC_CONFIG_ETAG_MAX];
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
    assert_string_equal(fx->etag_mem[0], "\"r1\"");
    saved = fx->up.progress; /* to flash, say, with the ETag store */
    memcpy(saved_etags, fx->etag_mem, sizeof saved_etags);

    fx = fresh(2500, 1); /* a reboot: new client, new source position */
    fx->up.params.space_id = "S1";
    fx->up.progress = saved;
    memcpy(fx->etag_mem, saved_etags, sizeof saved_etags);
    fx->src.pos = 0;
    reply_multipart_ticket(fx, "u5", "F5", 3, 1000);
    reply_put(fx, "\"r2\"");
    reply_put(fx, "\"r3\"");
    reply_file(fx, 201, "F5", "clean", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    expect_body(&fx->api, 0,
                "{\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":2500,"
                "\"content_type\":\"image/jpeg\",\"upload_id\":\"u5\","
                "\"part_from\":2,\"part_limit\":2}");
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
    fx->src.pos = 1234;                             /* wherever: the client must seek to 0 */
    reply_window(fx, "u7", "F7", 3, 3, 3, 1000, 0); /* the window asked for */
    reply_window(fx, "u7", "F7", 1, 3, 3, 1000, 0); /* asked again, from 1 */
    reply_put(fx, "\"n1\"");
    reply_put(fx, "\"n2\"");
    reply_put(fx, "\"n3\"");
    reply_file(fx, 201, "F7", "clean", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    assert_int_equal(sent_count(&fx->storage), 3);
    expect_body(&fx->api, 1,
                "{\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":2500,"
                "\"content_type\":\"image/jpeg\",\"upload_id\":\"u7\","
                "\"part_limit\":3}");
    expect_line(&fx->storage, 0, "PUT /o/F7?partNumber=1&uploadId=u7 HTTP/1.1");
    expect_pattern_body(fx, 0, 0, 1000);
    expect_pattern_body(fx, 1, 1000, 1000);
    expect_pattern_body(fx, 2, 2000, 500);
    complete_body(fx, want, sizeof want, "u7", "F7", "k/F7",
                  ",\"parts\":[{\"part_number\":1,\"etag\":\"\\\"n1\\\"\"},"
                  "{\"part_number\":2,\"etag\":\"\\\"n2\\\"\"},"
                  "{\"part_number\":3,\"etag\":\"\\\"n3\\\"\"}]");
    expect_body(&fx->api, 2, want);
    assert_string_equal(fx->up.progress.upload_id, "u7");
    assert_string_equal(fx->up.progress.file_id, "F7");
}

/* Starting over needs a source that can seek back to byte 0. */
static void test_start_over_without_seek_fails(void **state)
{
    fixture *fx = fresh(2500, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_multipart_ticket(fx, "u8", "F8", 3, 1000);
    reply_put(fx, "\"a\"");
    reply_put(fx, "\"never\"")->reset_at = 0;
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_TRANSPORT);
    fx->up.params.source.seek = NULL;
    reply_multipart_ticket(fx, "u9", "F9", 3, 1000); /* a new upload id */
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_SOURCE);
    expect_step(fx, "initiate");
    assert_int_equal(sent_count(&fx->storage), 2);
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

/* Pending past scan_timeout_ms (counted from complete): FC_ERR_TIMEOUT
 * naming the scan, after polls at growing intervals (250 ms after
 * complete, then 500 ms more), none past the deadline, and not before it:
 * the last wait ends at the deadline (it gave up 250 ms early before). */
static void test_scan_timeout(void **state)
{
    fixture *fx = fresh(100, 4);
    uint32_t t0;
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    fx->up.params.scan_timeout_ms = 1000;
    reply_single_upload(fx, "pending");
    reply_file(fx, 200, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "pending", NULL);
    reply_file(fx, 200, "F1", "clean", NULL);
    t0 = fx->clock.now;
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_TIMEOUT);
    expect_step(fx, "scan");
    assert_int_equal(sent_count(&fx->api), 4); /* initiate, complete, 2 polls */
    assert_string_equal(fc_client_error(&fx->client)->detail,
                        "the scan did not end in time; scan_status: pending");
    assert_true(fx->clock.now - t0 >= 1000u && fx->clock.now - t0 < 1250u);
    assert_int_equal(fx->up.progress.completed, 1); /* resumable: scan only */
}

static void test_scan_failed(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_EXPIRING;
    fx->up.params.expires_in_days = 7;
    reply_single_upload(fx, "pending");
    reply_file(fx, 200, "F1", "infected", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_SCAN_FAILED);
    expect_step(fx, "scan");
    assert_int_equal(fx->up.scan.value, FC_SCAN_INFECTED);
    assert_string_equal(fc_client_error(&fx->client)->detail, "scan_status: infected");
    assert_int_equal(sent_count(&fx->api), 3); /* no share of an infected file */
}

/* An expiring link with a permission; the share's failure names "share".
 * complete's answer says clean already: no poll. */
static void test_expiring_share(void **state)
{
    fixture *fx = fresh(100, 4);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_EXPIRING;
    fx->up.params.expires_in_days = 30;
    fx->up.params.permission = "download";
    reply_single_upload(fx, "clean");
    reply_json(fx, 402, "{\"detail\":{\"error\":\"quota_exceeded\"}}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_QUOTA);
    expect_step(fx, "share");
    assert_int_equal(sent_count(&fx->api), 3);
    expect_body(&fx->api, 2,
                "{\"file_id\":\"F1\",\"expires_in_days\":30,"
                "\"permission\":\"download\"}");
    assert_string_equal(fc_client_error(&fx->client)->code, "quota_exceeded");
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

/* ---- issue 12: part windows, complete streamed, reuse ------------------------------ */

/* Expected complete body of parts 1..n whose ETags are "\"e<i>\"". */
static void complete_parts(char *out, size_t cap, unsigned n, const char *etag_fmt)
{
    size_t at = 0;
    unsigned i;
    at += (size_t)snprintf(out + at, cap - at, ",\"parts\":[");
    for (i = 1; i <= n; i++) {
        char etag[FC_CONFIG_ETAG_MAX];
        snprintf(etag, sizeof etag, etag_fmt, i);
        at += (size_t)snprintf(out + at, cap - at, "%s{\"part_number\":%u,\"etag\":\"\\\"%s\\\"\"}",
                               i > 1 ? "," : "", i, etag);
    }
    snprintf(out + at, cap - at, "]");
}

static void reply_puts(fixture *fx, unsigned n, const char *etag_fmt)
{
    unsigned i;
    for (i = 1; i <= n; i++) {
        char etag[FC_CONFIG_ETAG_MAX + 2];
        char quoted[FC_CONFIG_ETAG_MAX + 4];
        snprintf(etag, sizeof etag, etag_fmt, i);
        snprintf(quoted, sizeof quoted, "\"%s\"", etag);
        reply_put(fx, quoted);
    }
}

/* Through a 1,400-byte buffer only two of the long presigned URLs fit: the
 * ticket is read as a stream, the window kept, and the next windows are
 * asked for with the upload id. The RAM is the same for any part count. */
static void test_part_windows(void **state)
{
    fixture *fx = fresh_io(4500, 1, 1400);
    char parts[2048];
    char want[4096];
    (void)state;
    fx->up.params.space_id = "S1";
    reply_window(fx, "uW", "FW", 1, 1, 5, 1000, 300);
    reply_window(fx, "uW", "FW", 2, 3, 5, 1000, 300);
    reply_window(fx, "uW", "FW", 4, 5, 5, 1000, 300);
    reply_puts(fx, 5, "w%u");
    reply_file(fx, 201, "FW", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    /* A first guess of the URL length, then the room for two of them. */
    expect_body(&fx->api, 0,
                "{\"space_id\":\"S1\",\"name\":\"frame.jpg\",\"size\":4500,"
                "\"content_type\":\"image/jpeg\",\"part_limit\":1}");
    expect_window_ask(fx, 1, 4500, 2, 2);
    expect_window_ask(fx, 2, 4500, 4, 2);
    assert_int_equal(sent_count(&fx->storage), 5);
    expect_signed_put(fx, 4, 5, 300);
    expect_pattern_body(fx, 3, 3000, 1000);
    expect_pattern_body(fx, 4, 4000, 500);
    complete_parts(parts, sizeof parts, 5, "w%u");
    complete_body(fx, want, sizeof want, "uW", "FW", "k/FW", parts);
    expect_body(&fx->api, 3, want);
    assert_int_equal(sent_count(&fx->api), 4);
    assert_int_equal(fx->up.progress.part_count, 5);
}

/* A server that ignores part_from/part_limit sends every part each time:
 * the client skips the parts before its window and those that do not fit. */
static void test_part_windows_ignored_by_server(void **state)
{
    fixture *fx = fresh_io(4500, 1, 1400);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_window(fx, "uW", "FW", 1, 5, -1, 1000, 300);
    reply_window(fx, "uW", "FW", 1, 5, -1, 1000, 300);
    reply_window(fx, "uW", "FW", 1, 5, -1, 1000, 300);
    reply_puts(fx, 5, "w%u");
    reply_file(fx, 201, "FW", "pending", NULL);
    fx->api.chunk = 97; /* the ticket in odd pieces */
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->api), 4);
    expect_window_ask(fx, 1, 4500, 3, 2);
    expect_window_ask(fx, 2, 4500, 5, 1);
    assert_int_equal(sent_count(&fx->storage), 5);
    expect_signed_put(fx, 0, 1, 300);
    expect_pattern_body(fx, 4, 4000, 500);
}

/* complete's body lists 15 long ETags: more than the 1,400-byte buffer.
 * It streams out of the store, every ETag read back and escaped. */
static void test_complete_body_larger_than_buffer(void **state)
{
    fixture *fx = fresh_io(1500, 1, 1400);
    const char *etag = "%02u-0123456789abcdef0123456789abcdef0123456789abcdef012345";
    char parts[4096];
    char want[4600];
    size_t len = 0;
    unsigned w;
    (void)state;
    fx->up.params.space_id = "S1";
    for (w = 1; w <= 15; w += 7) {
        reply_window(fx, "uC", "FC", w, w + 6 > 15 ? 15 : w + 6, 15, 100, 0);
    }
    reply_puts(fx, 15, etag);
    reply_file(fx, 201, "FC", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->storage), 15);
    complete_parts(parts, sizeof parts, 15, etag);
    complete_body(fx, want, sizeof want, "uC", "FC", "k/FC", parts);
    if (strlen(want) <= 1400) {
        fail_msg("the body is %zu bytes", strlen(want));
    }
    expect_line(&fx->api, 3, "POST /api/v1/uploads/complete HTTP/1.1");
    expect_header(&fx->api, 3, "\r\nContent-Type: application/json\r\n", 1);
    (void)body_of(&fx->api, 3, &len);
    assert_int_equal(len, strlen(want));
    expect_body(&fx->api, 3, want);
}

/* An ETag whose bytes are not UTF-8 (a header is octets) goes back as
 * \u00XX of each byte, never "bad argument". */
static void test_etag_not_utf8(void **state)
{
    fixture *fx = fresh(2000, 1);
    char want[512];
    (void)state;
    fx->up.params.space_id = "S1";
    reply_multipart_ticket(fx, "u1", "F1", 2, 1000);
    reply_put(fx, "\"\xe9t\xff\"");
    reply_put(fx, "\"b\\x\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    complete_body(fx, want, sizeof want, "u1", "F1", "k/F1",
                  ",\"parts\":[{\"part_number\":1,\"etag\":\"\\\"\\u00e9t\\u00ff\\\"\"},"
                  "{\"part_number\":2,\"etag\":\"\\\"b\\\\x\\\"\"}]");
    expect_body(&fx->api, 1, want);
}

/* A multipart ticket without an ETag store fails at once, saying what it
 * needs; so does a store too small. */
static void test_multipart_needs_an_etag_store(void **state)
{
    fixture *fx = fresh(2500, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.etags = NULL;
    reply_multipart_ticket(fx, "u1", "F1", 3, 1000);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_BUFFER_TOO_SMALL);
    expect_step(fx, "initiate");
    assert_int_equal(fc_client_error(&fx->client)->needed, 3);
    assert_string_equal(fc_client_error(&fx->client)->detail,
                        "multipart: params.etags must keep 3 ETags");
    assert_int_equal(sent_count(&fx->storage), 0);

    fx = fresh(2500, 1);
    fx->up.params.space_id = "S1";
    fc_etag_array_init(&fx->etags, fx->etag_mem, 2);
    reply_multipart_ticket(fx, "u1", "F1", 3, 1000);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_client_error(&fx->client)->needed, 3);
    assert_string_equal(fc_client_error(&fx->client)->detail,
                        "multipart: params.etags must keep 3 ETags");
}

/* The README's camera loop: one static fc_upload, a new frame each time.
 * A finished upload's progress starts a new upload: the new bytes are read
 * and the link is the new file's (before: FC_OK, 0 bytes read, a new link
 * to the OLD file). */
static void test_reuse_after_finish_is_a_new_upload(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_PUBLIC;
    reply_single_upload(fx, "clean");
    reply_json(fx, 201, "{\"id\":\"sh1\",\"file_id\":\"F1\",\"url\":\"" LINK "1\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_string_equal(fx->up.link, LINK "1");

    fx->up.params.name = "frame2.jpg";
    fx->src.pos = 0;
    reply_single_ticket(fx, "u2", "F2", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F2", "clean", NULL);
    reply_json(fx, 201, "{\"id\":\"sh2\",\"file_id\":\"F2\",\"url\":\"" LINK "2\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_body(&fx->api, 3,
                "{\"space_id\":\"S1\",\"name\":\"frame2.jpg\",\"size\":100,"
                "\"content_type\":\"image/jpeg\",\"part_limit\":6}");
    assert_int_equal(sent_count(&fx->storage), 2);
    expect_pattern_body(fx, 1, 0, 100);
    assert_string_equal(fx->up.progress.file_id, "F2");
    assert_string_equal(fx->up.link, LINK "2");
}

/* An unfinished progress of other params is refused before anything is
 * sent; fc_upload_reset() gives it up. */
static void test_foreign_progress_is_refused(void **state)
{
    fixture *fx = fresh(2500, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_multipart_ticket(fx, "u1", "F1", 3, 1000);
    reply_put(fx, "\"never\"")->reset_at = 0;
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_TRANSPORT);

    fx->up.params.name = "other.jpg";
    assert_int_equal(fc_files_upload(&fx->client, &fx->up), FC_ERR_INVALID_ARG);
    expect_step(fx, "upload");
    assert_string_equal(fc_client_error(&fx->client)->detail,
                        "the progress is of another upload: fc_upload_reset() it first");
    assert_int_equal(sent_count(&fx->api), 1);
    assert_int_equal(fc_client_busy(&fx->client), 0);

    fc_upload_reset(&fx->up);
    assert_string_equal(fx->up.params.name, "other.jpg"); /* params kept */
    fx->src.pos = 0;
    fx->up.params.size = 100;
    fx->src.size = 100;
    fc_pattern_sha(&fx->src, fx->sha);
    reply_single_ticket(fx, "u2", "F2", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F2", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_body(&fx->api, 1,
                "{\"space_id\":\"S1\",\"name\":\"other.jpg\",\"size\":100,"
                "\"content_type\":\"image/jpeg\",\"part_limit\":6}");
}

/* ---- issue 10: what a hostile server answers ---------------------------------------- */

/* Ticket headers that would change the PUT's framing or target, names
 * that are no tokens, control bytes: refused, nothing sent to storage. */
static void test_hostile_ticket_headers(void **state)
{
    static const char *const hostile[] = {
        "{\"Content-Length : 0\":\"\"}",
        "{\"Transfer-Encoding\":\"chunked\"}",
        "{\"transfer-ENCODING\":\"identity\"}",
        "{\"Host\\t\":\"evil\"}",
        "{\"Host\":\"evil.example\"}",
        "{\"X-C\":\"a\\u0001b\"}",
        "{\"Content-Length\":\"100\"}",
        "{\"Connection\":\"close\"}",
        "{\"Expect\":\"100-continue\"}",
        "{\"C\\u00ffntent-Type\":\"x\"}",
        "{\"\":\"empty\"}",
        "{\"X\":\"a\\r\\nInjected: 1\"}",
        "{\"TE\":\"trailers\"}",
        "{\"Upgrade\":\"h2c\"}",
        "{\"host\":\"storage.example.test\"}",
    };
    unsigned i;
    (void)state;
    for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        fixture *fx = fresh(100, 1);
        fx->up.params.space_id = "S1";
        reply_single_ticket(fx, "u1", "F1", hostile[i], (int)(i & 1u));
        if (run(fx, fc_files_upload(&fx->client, &fx->up)) != FC_ERR_PROTOCOL) {
            fail_msg("ticket headers %s were not refused", hostile[i]);
        }
        expect_step(fx, "initiate");
        assert_int_equal(sent_count(&fx->storage), 0);
    }
}

/* A plain-http storage URL under an https API: refused, unless the
 * application allows it. */
static void test_plain_http_storage_refused(void **state)
{
    const char *ticket =
        "{\"upload_id\":\"u1\",\"file_id\":\"F1\",\"key\":\"k\","
        "\"mode\":\"single\",\"url\":\"http://storage.example.test/o/F1\"}";
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_json(fx, 201, ticket);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_PROTOCOL);
    assert_string_equal(fc_client_error(&fx->client)->detail,
                        "plain-http storage URL under an https API "
                        "(params.allow_http_storage)");
    assert_int_equal(sent_count(&fx->storage), 0);

    fx = fresh(100, 1);
    fx->up.params.space_id = "S1";
    fx->up.params.allow_http_storage = 1;
    reply_json(fx, 201, ticket);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->storage, 0, "PUT /o/F1 HTTP/1.1");
}

/* complete answered 500 (or never reached the server), then the check
 * answers a draft without sha256: that proves nothing, so complete is sent
 * again; only a record with our size and hash ends it. */
static void test_lost_complete_needs_proof(void **state)
{
    const char *draft =
        "{\"id\":\"F1\",\"size\":100,\"sha256\":null,\"status\":\"draft\","
        "\"scan_status\":\"pending\"}";
    fixture *fx = fresh(100, 1);
    unsigned i;
    (void)state;
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_json(fx, 500, "{\"detail\":\"boom\"}");
    reply_json(fx, 200, draft);
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->api, 2, "GET /api/v1/files/F1 HTTP/1.1");
    expect_line(&fx->api, 3, "POST /api/v1/uploads/complete HTTP/1.1");
    assert_int_equal(sent_count(&fx->api), 4);
    assert_int_equal(fx->up.progress.completed, 1);

    /* complete's answer never came (a timeout): the same. */
    fx = fresh(100, 4);
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_json(fx, 200, "")->stall = 1;
    reply_json(fx, 200, draft);
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->api, 2, "GET /api/v1/files/F1 HTTP/1.1");
    expect_line(&fx->api, 3, "POST /api/v1/uploads/complete HTTP/1.1");
    assert_int_equal(fx->up.progress.completed, 1);

    /* Never confirmed: after three sends, the last error, not FC_OK. */
    fx = fresh(100, 1);
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    for (i = 0; i < 3; i++) {
        reply_json(fx, 500, "{}");
        reply_json(fx, 200, draft);
    }
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_SERVER);
    expect_step(fx, "complete");
    assert_int_equal(sent_count(&fx->api), 6); /* initiate, 3 x complete, 2 checks */
    assert_int_equal(fx->up.progress.completed, 0);
}

/* complete's own answer must carry our size and SHA-256: a draft without
 * them is not a completed upload. */
static void test_complete_answer_without_hash(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_json(fx, 201,
               "{\"id\":\"F1\",\"size\":100,\"sha256\":null,\"status\":\"draft\","
               "\"scan_status\":\"pending\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_INTEGRITY);
    expect_step(fx, "complete");
    assert_int_equal(fx->up.progress.completed, 0);
}

/* A scan answer about another file (or an empty id) is no answer. */
static void test_scan_answer_for_another_file(void **state)
{
    static const char *const ids[] = {"", "F2"};
    unsigned i;
    (void)state;
    for (i = 0; i < 2; i++) {
        fixture *fx = fresh(100, 1);
        char body[256];
        fx->up.params.space_id = "S1";
        fx->up.params.share = FC_SHARE_PUBLIC;
        reply_single_ticket(fx, "u1", "F1", "{}", 0);
        reply_put(fx, "\"e\"");
        reply_file(fx, 201, "F1", "pending", NULL);
        snprintf(body, sizeof body, "{\"id\":\"%s\",\"scan_status\":\"clean\"}", ids[i]);
        reply_json(fx, 200, body);
        assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_INTEGRITY);
        expect_step(fx, "scan");
        assert_int_equal(sent_count(&fx->api), 3); /* no share */
    }
}

/* A clean poll answer whose hash is not ours is no clean scan of our
 * bytes. */
static void test_scan_answer_with_another_hash(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    reply_single_upload(fx, "pending");
    reply_file(fx, 200, "F1", "clean",
               "00000000000000000000000000000000000000000000000000000000000000ff");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_INTEGRITY);
    expect_step(fx, "scan");
}

/* POST /shares answered 201 without url: no link, no FC_OK. */
static void test_share_without_url(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_PUBLIC;
    reply_single_upload(fx, "clean");
    reply_json(fx, 201, "{\"id\":\"sh1\",\"file_id\":\"F1\",\"permission\":\"view\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_JSON);
    expect_step(fx, "share");
    assert_string_equal(fc_client_error(&fx->client)->detail, "the share's answer has no url");
    assert_int_equal(fx->up.link[0], '\0');
}

/* A source that takes 2 s per read (a slow link): the PUT takes longer than
 * scan_timeout_ms, yet the scan wait starts after complete. */
static fc_err slow_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fixture *fx = ctx;
    fc_source inner = fc_pattern_source(&fx->src);
    fx->clock.now += 2000;
    return inner.read(inner.ctx, buf, cap, got);
}

static void test_scan_deadline_starts_after_complete(void **state)
{
    fixture *fx = fresh(3000, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    fx->up.params.scan_timeout_ms = 1000;
    fx->up.params.source.read = slow_read;
    fx->up.params.source.ctx = fx;
    fx->up.params.source.seek = NULL;
    reply_single_upload(fx, "pending");
    reply_file(fx, 200, "F1", "clean", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(fx->up.scan.value, FC_SCAN_CLEAN);
}

/* A scan poll that fails on the way (no answer in time) is no verdict: the
 * flow polls again within the scan deadline. */
static void test_failed_scan_poll_is_polled_again(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    reply_single_upload(fx, "pending");
    reply_file(fx, 200, "F1", "pending", NULL)->stall = 1;
    reply_json(fx, 503, "{\"detail\":\"busy\"}");
    reply_file(fx, 200, "F1", "clean", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->api), 5);
    assert_int_equal(fx->up.scan.value, FC_SCAN_CLEAN);
    assert_int_equal(fc_client_error(&fx->client)->err, FC_OK);
}

/* "My files" is looked up once per client: the next upload (another
 * fc_upload, even after fc_upload_init) goes straight to initiate. */
static void test_default_space_once_per_client(void **state)
{
    fixture *fx = fresh(100, 1);
    static fc_upload second;
    (void)state;
    reply_json(fx, 200, "{\"items\":[{\"id\":\"S7\",\"name\":\"My files\"}]}");
    reply_single_upload(fx, "pending");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);

    fc_upload_init(&second);
    second.params = fx->up.params;
    fx->src.pos = 0;
    reply_single_ticket(fx, "u2", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &second)), FC_OK);
    expect_line(&fx->api, 3, "POST /api/v1/uploads/initiate HTTP/1.1");
    expect_body(&fx->api, 3,
                "{\"space_id\":\"S7\",\"name\":\"frame.jpg\",\"size\":100,"
                "\"content_type\":\"image/jpeg\",\"part_limit\":6}");
    assert_int_equal(sent_count(&fx->api), 5); /* spaces once; initiate, complete twice */
}

/* 503s with a long Retry-After during the scan wait cannot stretch it:
 * the scan step (polls, retries, waits) ends within scan_timeout_ms of
 * complete. */
static void test_scan_wait_bounded_by_its_deadline(void **state)
{
    fixture *fx = fresh(100, 4);
    uint32_t t0;
    unsigned i;
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    fx->up.params.scan_timeout_ms = 2000;
    reply_single_upload(fx, "pending");
    for (i = 0; i < 8; i++) {
        reply(fx, &fx->api, 503, "Retry-After: 30\r\n", "{\"detail\":\"busy\"}");
    }
    t0 = fx->clock.now;
    assert_int_not_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_step(fx, "scan");
    assert_true(fx->clock.now - t0 <= 2000u);
    assert_true(sent_count(&fx->api) < 10);
}

/* A camera frame with a link: five requests (initiate, PUT, complete, one
 * scan poll after a short wait, share). */
static void test_five_requests_per_frame(void **state)
{
    fixture *fx = fresh(3000, 1);
    uint32_t t0 = fx->clock.now;
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_PUBLIC;
    fx->up.params.file_out = NULL;
    fx->up.params.share_out = NULL;
    reply_single_upload(fx, "pending");
    reply_file(fx, 200, "F1", "clean", NULL);
    reply_json(fx, 201, "{\"id\":\"sh1\",\"file_id\":\"F1\",\"url\":\"" LINK "\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->api) + sent_count(&fx->storage), 5);
    assert_true(fx->clock.now - t0 >= FC_CONFIG_SCAN_POLL_FIRST_MS);
    assert_string_equal(fx->up.link, LINK);
}

/* ---- issue 15: scan values and ticket shapes ------------------------------------------ */

/* "scanning" is no final value while the file is a draft: keep waiting. A
 * value the docs do not name on a ready file is a failed scan, reported
 * as sent. */
static void test_scan_values_the_docs_do_not_name(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    reply_single_upload(fx, "pending");
    reply_record(fx, "scanning", "draft");
    reply_file(fx, 200, "F1", "clean", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    assert_int_equal(sent_count(&fx->api), 4);

    fx = fresh(100, 1);
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    reply_single_upload(fx, "pending");
    reply_record(fx, "quarantined", "ready");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_SCAN_FAILED);
    assert_string_equal(fc_client_error(&fx->client)->detail, "scan_status: quarantined");
    assert_string_equal(fx->up.scan.raw, "quarantined");
}

/* Only file_id and key are documented: a single ticket without mode and
 * upload_id (the URL says single; complete goes without upload_id), and a
 * multipart one (parts say multipart). */
static void test_minimal_tickets(void **state)
{
    fixture *fx = fresh(100, 1);
    char want[512];
    (void)state;
    fx->up.params.space_id = "S1";
    reply_json(fx, 201,
               "{\"file_id\":\"F1\",\"key\":\"k/F1\",\"url\":\"" STORAGE
               "/o/F1\","
               "\"headers\":{\"Content-Type\":\"image/jpeg\"}}");
    reply_put(fx, "\"e\"");
    reply_file(fx, 201, "F1", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    snprintf(want, sizeof want, "{\"file_id\":\"F1\",\"key\":\"k/F1\",\"sha256\":\"%s\"}", fx->sha);
    expect_body(&fx->api, 1, want);

    fx = fresh(2500, 1);
    fx->up.params.space_id = "S1";
    reply_json(fx, 201,
               "{\"file_id\":\"F2\",\"key\":\"k/F2\",\"part_size\":1000,\"parts\":["
               "{\"url\":\"" STORAGE
               "/o/F2?p=1\",\"part_number\":1},"
               "{\"url\":\"" STORAGE
               "/o/F2?p=2\",\"part_number\":2},"
               "{\"url\":\"" STORAGE "/o/F2?p=3\",\"part_number\":3}]}");
    reply_puts(fx, 3, "m%u");
    reply_file(fx, 201, "F2", "pending", NULL);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_OK);
    expect_line(&fx->storage, 2, "PUT /o/F2?p=3 HTTP/1.1");
    assert_int_equal(fx->up.progress.upload_id[0], '\0');

    /* Without an upload_id no second window can come: all URLs must fit. */
    fx = fresh_io(4500, 1, 1400);
    fx->up.params.space_id = "S1";
    reply_json(fx, 201,
               "{\"file_id\":\"F3\",\"key\":\"k/F3\",\"part_size\":1000,\"parts\":["
               "{\"part_number\":1,\"url\":\"" STORAGE
               "/o/"
               "F3?p=1&s="
               "01234567890123456789012345678901234567890123456789012345678901234567890123456789012"
               "34567890123456789012345678901234567890123456789012345678901234567890123456789012345"
               "67890123456789012345678901234567890123456789012345678901234567890123456789012345678"
               "9012345678901234567890123456789\"},"
               "{\"part_number\":2,\"url\":\"" STORAGE
               "/o/"
               "F3?p=2&s="
               "01234567890123456789012345678901234567890123456789012345678901234567890123456789012"
               "34567890123456789012345678901234567890123456789012345678901234567890123456789012345"
               "67890123456789012345678901234567890123456789012345678901234567890123456789012345678"
               "9012345678901234567890123456789\"},"
               "{\"part_number\":3,\"url\":\"" STORAGE
               "/o/"
               "F3?p=3&s="
               "01234567890123456789012345678901234567890123456789012345678901234567890123456789012"
               "34567890123456789012345678901234567890123456789012345678901234567890123456789012345"
               "67890123456789012345678901234567890123456789012345678901234567890123456789012345678"
               "9012345678901234567890123456789\"}]}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_BUFFER_TOO_SMALL);
    assert_true(fc_client_error(&fx->client)->needed > 1400);
    assert_non_null(strstr(fc_client_error(&fx->client)->detail, "no upload_id"));
    assert_int_equal(sent_count(&fx->storage), 0);
}

/* A presigned URL longer than the buffer can hold beside a PUT: says so,
 * with the size needed. */
static void test_url_too_long_for_the_buffer(void **state)
{
    fixture *fx = fresh_io(100, 1, 1024);
    char body[2048];
    char sig[1200];
    (void)state;
    memset(sig, 'x', sizeof sig - 1);
    sig[sizeof sig - 1] = '\0';
    fx->up.params.space_id = "S1";
    snprintf(body, sizeof body,
             "{\"upload_id\":\"u1\",\"file_id\":\"F1\",\"key\":\"k\","
             "\"url\":\"" STORAGE "/o/F1?s=%s\"}",
             sig);
    reply_json(fx, 201, body);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_BUFFER_TOO_SMALL);
    expect_step(fx, "initiate");
    assert_true(fc_client_error(&fx->client)->needed > 1024 + 1200);
    assert_non_null(
        strstr(fc_client_error(&fx->client)->detail, "needs an I/O buffer of at least"));
    assert_int_equal(fc_client_error(&fx->client)->http_status, 201); /* the answer it is about */
}

/* Escapes in the ticket's strings are undone, even split across reads. */
static void test_ticket_escapes_in_pieces(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    fx->up.params.space_id = "S1";
    fx->api.chunk = 1;
    reply_json(fx, 201,
               "{\"upload_id\":\"u\\u0031\",\"extra\":[1,2.5e-3,{\"a\":[true,null]}],"
               "\"file_id\":\"F\\u00e91\",\"key\":\"k\\/\\ud83d\\ude00\","
               "\"url\":\"https:\\/\\/storage.example.test\\/o\\/F1?a=1\\u0026b=2\","
               "\"headers\":{\"X-Q\":\"\\\"q\\\"\"}}");
    reply_put(fx, "\"e\"");
    reply_json(fx, 201,
               "{\"id\":\"F\xc3\xa9"
               "1\",\"size\":100,\"sha256\":\"x\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_INTEGRITY);
    assert_string_equal(fx->up.progress.upload_id, "u1");
    assert_string_equal(fx->up.progress.file_id,
                        "F\xc3\xa9"
                        "1");
    assert_string_equal(fx->up.progress.key, "k/\xf0\x9f\x98\x80");
    expect_line(&fx->storage, 0, "PUT /o/F1?a=1&b=2 HTTP/1.1");
    expect_header(&fx->storage, 0, "\r\nX-Q: \"q\"\r\n", 1);
}

/* Malformed tickets are FC_ERR_JSON, never a PUT. */
static void test_malformed_tickets(void **state)
{
    static const char *const bad[] = {
        "",
        "[]",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\"",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\"}x",
        "{\"file_id\":\"F1\",\"key\":\"k\"}",
        "{\"file_id\":\"\",\"key\":\"k\",\"url\":\"" STORAGE "/o\"}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\",\"url\":\"" STORAGE "/p\"}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\",\"mode\":\"other\"}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":7}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE
        "/o\",\"part_size\":1,"
        "\"parts\":[{\"part_number\":1,\"url\":\"" STORAGE "/o\"}]}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"part_size\":-5,\"parts\":[]}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"part_size\":50,\"parts\":["
        "{\"part_number\":2,\"url\":\"" STORAGE "/o\"},{\"part_number\":1,\"url\":\"" STORAGE
        "/o\"}]}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"part_size\":50,\"parts\":[null]}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\",\"headers\":[]}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\001\"}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"\\ud800x\"}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\",\"n\":01}",
        "{\"file_id\":\"F1\",\"key\":\"k\",\"url\":\"" STORAGE "/o\",\"n\":tru}",
        "{\"file_id\":\"F1\" \"key\":\"k\",\"url\":\"" STORAGE "/o\"}",
    };
    unsigned i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture *fx = fresh(100, 1);
        fc_err e;
        fx->up.params.space_id = "S1";
        reply_json(fx, 201, bad[i]);
        e = run(fx, fc_files_upload(&fx->client, &fx->up));
        if (e != FC_ERR_JSON) {
            fail_msg("ticket %u (%s): %s, not FC_ERR_JSON", i, bad[i], fc_err_str(e));
        }
        assert_int_equal(sent_count(&fx->storage), 0);
    }
}

/* A 1.2 kB S3-style XML error on a PUT while a window of URLs fills the
 * front of the buffer: the status and its kind stay, the start of the
 * document is the detail (issue 12.3). */
static void test_put_error_document_keeps_its_status(void **state)
{
    fixture *fx = fresh_io(4500, 1, 1400);
    char xml[1300];
    size_t n;
    (void)state;
    fx->up.params.space_id = "S1";
    reply_window(fx, "uX", "FX", 1, 2, 5, 1000, 300);
    n = (size_t)snprintf(xml, sizeof xml,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                         "SignatureDoesNotMatch</Code><Message>The request signature we "
                         "calculated does not match the signature you provided.</Message>"
                         "<StringToSign>");
    memset(xml + n, 'A', 1200 - n);
    snprintf(xml + 1200, sizeof xml - 1200, "</StringToSign></Error>");
    reply(fx, &fx->storage, 403, "Content-Type: application/xml\r\n", xml);
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_PERMISSION);
    expect_step(fx, "put");
    assert_int_equal(fc_client_error(&fx->client)->http_status, 403);
    assert_true(strlen(xml) > 1200);
    assert_non_null(strstr(fc_client_error(&fx->client)->detail, "<Error>"));
}

/* Every failure names its step, and the name fits. */
static void test_step_names(void **state)
{
    fixture *fx = fresh(100, 1);
    (void)state;
    reply_json(fx, 500, "{}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_SERVER);
    expect_step(fx, "spaces");

    fx = fresh(100, 1);
    fx->up.params.space_id = "S1";
    reply_json(fx, 422, "{\"detail\":\"no\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_VALIDATION);
    expect_step(fx, "initiate");

    fx = fresh(100, 1);
    fx->up.params.space_id = "S1";
    fx->up.params.share = FC_SHARE_PUBLIC;
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply(fx, &fx->storage, 403, "Content-Type: application/xml\r\n", "<Error/>");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_PERMISSION);
    expect_step(fx, "put");

    fx = fresh(100, 1);
    fx->up.params.space_id = "S1";
    reply_single_ticket(fx, "u1", "F1", "{}", 0);
    reply_put(fx, "\"e\"");
    reply_json(fx, 422, "{\"detail\":\"sha256: no\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_VALIDATION);
    expect_step(fx, "complete");

    fx = fresh(100, 1);
    fx->up.params.space_id = "S1";
    fx->up.params.wait_clean = 1;
    reply_single_upload(fx, "pending");
    reply_json(fx, 404, "{\"detail\":\"gone\"}");
    assert_int_equal(run(fx, fc_files_upload(&fx->client, &fx->up)), FC_ERR_NOT_FOUND);
    expect_step(fx, "scan");
    assert_true(strlen(fc_client_error(&fx->client)->step) < sizeof fx->client.priv.error.step);
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
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_part_windows),
        cmocka_unit_test(test_part_windows_ignored_by_server),
        cmocka_unit_test(test_complete_body_larger_than_buffer),
        cmocka_unit_test(test_etag_not_utf8),
        cmocka_unit_test(test_multipart_needs_an_etag_store),
        cmocka_unit_test(test_reuse_after_finish_is_a_new_upload),
        cmocka_unit_test(test_foreign_progress_is_refused),
        cmocka_unit_test(test_hostile_ticket_headers),
        cmocka_unit_test(test_plain_http_storage_refused),
        cmocka_unit_test(test_lost_complete_needs_proof),
        cmocka_unit_test(test_complete_answer_without_hash),
        cmocka_unit_test(test_scan_answer_for_another_file),
        cmocka_unit_test(test_scan_answer_with_another_hash),
        cmocka_unit_test(test_share_without_url),
        cmocka_unit_test(test_scan_deadline_starts_after_complete),
        cmocka_unit_test(test_failed_scan_poll_is_polled_again),
        cmocka_unit_test(test_default_space_once_per_client),
        cmocka_unit_test(test_scan_wait_bounded_by_its_deadline),
        cmocka_unit_test(test_five_requests_per_frame),
        cmocka_unit_test(test_scan_values_the_docs_do_not_name),
        cmocka_unit_test(test_minimal_tickets),
        cmocka_unit_test(test_url_too_long_for_the_buffer),
        cmocka_unit_test(test_ticket_escapes_in_pieces),
        cmocka_unit_test(test_malformed_tickets),
        cmocka_unit_test(test_put_error_document_keeps_its_status),
        cmocka_unit_test(test_step_names),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* Every request the tests sent, compared with the recorded bytes. */
    return failed + fc_wire_check("test_upload");
}
