/* SPDX-License-Identifier: MIT */
/*
 * test_api.c - the endpoint layer (fc_api_*.c) against the scripted mock
 * transport: request lines, paths and query strings, JSON bodies (a nasty
 * name must round-trip exactly), decoding of every object type, the
 * never-truncate rule, unknown enum values, lists in both shapes and both
 * delivery modes, 204s, and which methods are retried.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fc_api_internal.h"
#include "fc_mock_transport.h"

#define KEY "fck_test_0123456789abcdef0123456789abcdef"
#define ID1 "8f4b0c2a-3d1e-4a9f-9c77-2b6e5a1d0e44"

typedef struct fixture {
    fc_mock mock;
    fc_transport transport;
    fc_fake_clock clock;
    fc_client client;
    uint8_t io[8192];
    fc_json_tok toks[512];
    char responses[FC_MOCK_MAX_EXCHANGES][4096];
    int nresp;
} fixture;

static fixture g_fx;

static fixture *fresh(void)
{
    fixture *fx = &g_fx;
    fc_client_config cfg;
    memset(fx, 0, sizeof *fx);
    fc_mock_init(&fx->mock);
    fc_mock_transport(&fx->mock, &fx->transport);
    fx->clock.now = 0xFFFFF000u;
    fc_client_config_defaults(&cfg);
    cfg.base_url = "https://api.example.test/api/v1";
    cfg.api_key = KEY;
    cfg.transports = &fx->transport;
    cfg.transport_count = 1;
    cfg.system = fc_fake_system(&fx->clock);
    cfg.io_buf = fx->io;
    cfg.io_buf_size = sizeof fx->io;
    cfg.tokens = fx->toks;
    cfg.token_count = 512;
    cfg.retry.base_ms = 10;
    cfg.retry.cap_ms = 100;
    assert_int_equal(fc_client_init(&fx->client, &cfg), FC_OK);
    return fx;
}

/* Queue a response with the given status line and JSON body. */
static void reply(fixture *fx, int status, const char *body)
{
    char *r = fx->responses[fx->nresp++];
    if (body == NULL) {
        snprintf(r, sizeof fx->responses[0], "HTTP/1.1 %d X\r\nContent-Length: 0\r\n\r\n", status);
    } else {
        snprintf(r, sizeof fx->responses[0],
                 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                 "Retry-After: 0\r\nContent-Length: %zu\r\n\r\n%s",
                 status, strlen(body), body);
    }
    fc_mock_add(&fx->mock, r);
}

static fc_err run(fixture *fx, fc_err started)
{
    if (started != FC_AGAIN) {
        return started;
    }
    return fc_mock_run(&fx->client, &fx->clock, 100000, NULL);
}

/* The request line of what was sent (first request). */
static void expect_request_line(const fixture *fx, const char *line)
{
    size_t n = strlen(line);
    assert_true(fx->mock.sent_len > n);
    if (memcmp(fx->mock.sent, line, n) != 0 || fx->mock.sent[n] != '\r') {
        fail_msg("sent %.*s", (int)(n + 10), (const char *)fx->mock.sent);
    }
}

/* The JSON body of the first request, NUL-terminated in out. */
static void sent_body(const fixture *fx, char *out, size_t cap)
{
    const char *s = (const char *)fx->mock.sent;
    const char *end = strstr(s, "\r\n\r\n");
    size_t n;
    assert_non_null(end);
    end += 4;
    n = fx->mock.sent_len - (size_t)(end - s);
    assert_true(n < cap);
    memcpy(out, end, n);
    out[n] = '\0';
}

#define FILE_JSON                                                                      \
    "{\"id\":\"" ID1                                                                   \
    "\",\"tenant_id\":\"t\",\"space_id\":\"s\",\"folder_id\":null,"                    \
    "\"source_app\":\"fluidcloud\",\"client_key\":\"cam/1.jpg\","                      \
    "\"original_name\":\"a.jpg\",\"name\":\"caf\\u00e9 \\\"x\\\".jpg\","               \
    "\"mime\":\"image/jpeg\",\"size\":12345678901,\"sha256\":\"ab\","                  \
    "\"scan_status\":\"clean\",\"status\":\"ready\",\"created_by\":\"k\","             \
    "\"created_at\":\"2026-06-23T14:05:00Z\",\"updated_at\":\"2026-06-23T14:05:01Z\"," \
    "\"deleted_at\":null,\"future_field\":{\"a\":[1,2]}}"

/* ---- paths, arguments ------------------------------------------------------ */

/* Filters that share their field's pool string (fc_api_internal.h) must
 * still spell their own query names. */
static void test_shared_query_names(void **state)
{
    (void)state;
    assert_string_equal(fc_api_string(FC_K_Q_SPACE_ID), FC_Q_SPACE_ID);
    assert_string_equal(fc_api_string(FC_K_Q_PARENT_ID), FC_Q_PARENT_ID);
    assert_string_equal(fc_api_string(FC_K_Q_FOLDER_ID), FC_Q_FOLDER_ID);
    assert_string_equal(fc_api_string(FC_K_Q_FILE_ID), FC_Q_FILE_ID);
    assert_string_equal(fc_api_string(FC_K_Q_CLIENT_KEY), FC_Q_CLIENT_KEY);
}

static void test_me_and_scopes(void **state)
{
    fixture *fx = fresh();
    fc_me me;
    (void)state;
    reply(fx, 200,
          "{\"tenant_id\":\"t1\",\"key_id\":\"k1\",\"mode\":\"test\","
          "\"scopes\":[\"spaces:read\",\"files:write\"]}");
    assert_int_equal(run(fx, fc_me_get(&fx->client, &me)), FC_OK);
    expect_request_line(fx, "GET /api/v1/me HTTP/1.1");
    assert_string_equal(me.tenant_id, "t1");
    assert_string_equal(me.key_id, "k1");
    assert_string_equal(me.mode, "test");
    assert_string_equal(me.scopes, "spaces:read files:write");
}

/* me.scopes: null or [] is "", a non-string is a JSON error, and a list
 * too long for the field is an error with the size it needs (never cut). */
static void test_scopes_shapes(void **state)
{
    fixture *fx = fresh();
    fc_me me;
    char body[1024];
    char scope[100];
    (void)state;
    reply(fx, 200, "{\"tenant_id\":\"t1\",\"scopes\":null}");
    assert_int_equal(run(fx, fc_me_get(&fx->client, &me)), FC_OK);
    assert_string_equal(me.scopes, "");
    fx = fresh();
    reply(fx, 200, "{\"tenant_id\":\"t1\",\"scopes\":[]}");
    assert_int_equal(run(fx, fc_me_get(&fx->client, &me)), FC_OK);
    assert_string_equal(me.scopes, "");
    fx = fresh();
    reply(fx, 200, "{\"tenant_id\":\"t1\",\"scopes\":[\"a\",{\"b\":1}]}");
    assert_int_equal(run(fx, fc_me_get(&fx->client, &me)), FC_ERR_JSON);
    assert_string_equal(me.scopes, "");
    fx = fresh();
    memset(scope, 's', sizeof scope - 1);
    scope[sizeof scope - 1] = '\0';
    /* Two 99-byte scopes need 99 + 1 + 99 + 1 bytes. */
    snprintf(body, sizeof body, "{\"tenant_id\":\"t1\",\"scopes\":[\"%s\",\"%s\"]}", scope, scope);
    reply(fx, 200, body);
    assert_int_equal(run(fx, fc_me_get(&fx->client, &me)), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_client_error(&fx->client)->needed, 200);
    assert_string_equal(me.scopes, "");
    /* needed covers the whole list, not just up to the one that failed. */
    fx = fresh();
    snprintf(body, sizeof body, "{\"tenant_id\":\"t1\",\"scopes\":[\"%s\",\"%s\",\"x\"]}", scope,
             scope);
    reply(fx, 200, body);
    assert_int_equal(run(fx, fc_me_get(&fx->client, &me)), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_client_error(&fx->client)->needed, 202);
    assert_string_equal(me.scopes, "");
    /* A scopes value that is not an array is a JSON error. */
    fx = fresh();
    reply(fx, 200, "{\"tenant_id\":\"t1\",\"scopes\":\"a b\"}");
    assert_int_equal(run(fx, fc_me_get(&fx->client, &me)), FC_ERR_JSON);
    assert_string_equal(me.scopes, "");
}

static void test_id_is_url_encoded(void **state)
{
    fixture *fx = fresh();
    fc_space s;
    (void)state;
    reply(fx, 200, "{\"id\":\"a/b c\",\"name\":\"n\"}");
    assert_int_equal(run(fx, fc_spaces_get(&fx->client, "a/b c?", &s)), FC_OK);
    expect_request_line(fx, "GET /api/v1/spaces/a%2Fb%20c%3F HTTP/1.1");
    assert_string_equal(s.id, "a/b c");
    assert_string_equal(s.app, ""); /* absent: "" */
}

static void test_invalid_args_and_busy(void **state)
{
    fixture *fx = fresh();
    fc_file f;
    fc_page page;
    (void)state;
    assert_int_equal(fc_files_get(&fx->client, "", &f), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_files_get(&fx->client, NULL, &f), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_files_get(&fx->client, ID1, NULL), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_files_get(NULL, ID1, &f), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_spaces_rename(&fx->client, ID1, NULL, NULL), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_files_list(&fx->client, NULL, &f, 0, &page), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_uploads_import_url(&fx->client, NULL, &f), FC_ERR_INVALID_ARG);
    /* Required arguments, by the field lists (fc_api_internal.h). */
    {
        fc_import_params ip;
        fc_folder folder;
        fc_share share;
        fc_space space;
        memset(&ip, 0, sizeof ip);
        ip.url = "";
        ip.space_id = "s";
        assert_int_equal(fc_uploads_import_url(&fx->client, &ip, &f), FC_ERR_INVALID_ARG);
        ip.url = "https://example.com/a";
        ip.space_id = NULL;
        assert_int_equal(fc_uploads_import_url(&fx->client, &ip, &f), FC_ERR_INVALID_ARG);
        assert_int_equal(fc_folders_create(&fx->client, NULL, "n", NULL, &folder),
                         FC_ERR_INVALID_ARG);
        assert_int_equal(fc_folders_create(&fx->client, "s", NULL, NULL, &folder),
                         FC_ERR_INVALID_ARG);
        assert_int_equal(fc_spaces_create(&fx->client, NULL, NULL, &space), FC_ERR_INVALID_ARG);
        assert_int_equal(fc_shares_create(&fx->client, "", -1, NULL, &share), FC_ERR_INVALID_ARG);
        assert_int_equal(fc_shares_create(&fx->client, "f", -1, NULL, NULL), FC_ERR_INVALID_ARG);
        assert_int_equal(fc_files_resolve(&fx->client, NULL, "s", &f), FC_ERR_INVALID_ARG);
        assert_int_equal(fc_files_resolve(&fx->client, "", NULL, &f), FC_ERR_INVALID_ARG);
        assert_int_equal(fc_folders_rename(&fx->client, "d", NULL, &folder), FC_ERR_INVALID_ARG);
        assert_int_equal(fc_files_rename(&fx->client, "", "n", &f), FC_ERR_INVALID_ARG);
        assert_int_equal(fx->mock.sent_len, 0); /* nothing went out */
    }
    reply(fx, 204, NULL);
    assert_int_equal(fc_files_delete(&fx->client, ID1, NULL), FC_AGAIN);
    assert_int_equal(fc_files_get(&fx->client, ID1, &f), FC_ERR_BUSY);
    assert_int_equal(run(fx, FC_AGAIN), FC_OK);
    expect_request_line(fx, "DELETE /api/v1/files/" ID1 " HTTP/1.1");
}

static void test_paths(void **state)
{
    static const struct {
        int which;
        const char *line;
    } k[] = {
        {0, "POST /api/v1/folders/" ID1 "/restore HTTP/1.1"},
        {1, "GET /api/v1/folders/" ID1 "/stats HTTP/1.1"},
        {2, "GET /api/v1/files/" ID1 "/download HTTP/1.1"},
        {3, "GET /api/v1/files/" ID1 "/preview HTTP/1.1"},
        {4, "GET /api/v1/files/resolve?client_key=cam%2F1.jpg&space_id=s1 HTTP/1.1"},
        {5, "DELETE /api/v1/gdpr/files/" ID1 " HTTP/1.1"},
        {6, "DELETE /api/v1/gdpr/trash?space_id=s1 HTTP/1.1"},
        {9, "DELETE /api/v1/gdpr/trash HTTP/1.1"}, /* every space's trash (15.4) */
        {7, "DELETE /api/v1/shares/" ID1 " HTTP/1.1"},
        {8, "GET /api/v1/quota HTTP/1.1"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof k / sizeof k[0]; i++) {
        fixture *fx = fresh();
        static union {
            fc_folder_stats st;
            fc_signed_url u;
            fc_file f;
            fc_quota q;
        } out;
        fc_err e = FC_OK;
        reply(fx, 204, NULL);
        switch (k[i].which) {
        case 0: e = fc_folders_restore(&fx->client, ID1, NULL); break;
        case 1: e = fc_folders_stats(&fx->client, ID1, &out.st); break;
        case 2: e = fc_files_download_url(&fx->client, ID1, &out.u); break;
        case 3: e = fc_files_preview_url(&fx->client, ID1, &out.u); break;
        case 4: e = fc_files_resolve(&fx->client, "cam/1.jpg", "s1", &out.f); break;
        case 5: e = fc_gdpr_purge_file(&fx->client, ID1); break;
        case 6: e = fc_gdpr_purge_trash(&fx->client, "s1"); break;
        case 7: e = fc_shares_revoke(&fx->client, ID1); break;
        case 9: e = fc_gdpr_purge_trash(&fx->client, NULL); break;
        default: e = fc_quota_get(&fx->client, &out.q); break;
        }
        (void)run(fx, e);
        expect_request_line(fx, k[i].line);
    }
}

/* Every failure names the public call, whole (issue 12.5): a 404 for each. */
static void test_every_call_names_its_step(void **state)
{
    static const char *const k_steps[] = {
        "me.get",
        "quota.get",
        "spaces.list",
        "spaces.create",
        "spaces.get",
        "spaces.rename",
        "spaces.delete",
        "folders.list",
        "folders.create",
        "folders.get",
        "folders.rename",
        "folders.move",
        "folders.delete",
        "folders.restore",
        "folders.stats",
        "files.list",
        "files.get",
        "files.resolve",
        "files.rename",
        "files.move",
        "files.delete",
        "files.restore",
        "files.download_url",
        "files.preview_url",
        "uploads.import_url",
        "shares.list",
        "shares.create",
        "shares.get",
        "shares.revoke",
        "gdpr.purge_file",
        "gdpr.purge_trash",
    };
    static union {
        fc_me me;
        fc_quota quota;
        fc_space space;
        fc_folder folder;
        fc_folder_stats stats;
        fc_file file;
        fc_signed_url url;
        fc_share share;
    } out, items[1];
    fc_page page;
    fc_import_params ip;
    size_t i;
    (void)state;
    memset(&ip, 0, sizeof ip);
    ip.url = "https://example.com/a.png";
    ip.space_id = "s";
    for (i = 0; i < sizeof k_steps / sizeof k_steps[0]; i++) {
        fixture *fx = fresh();
        fc_client *c = &fx->client;
        fc_err e;
        reply(fx, 404, "{\"detail\":\"Not found\"}");
        switch (i) {
        case 0: e = fc_me_get(c, &out.me); break;
        case 1: e = fc_quota_get(c, &out.quota); break;
        case 2: e = fc_spaces_list(c, NULL, &items[0].space, 1, &page); break;
        case 3: e = fc_spaces_create(c, "n", NULL, &out.space); break;
        case 4: e = fc_spaces_get(c, ID1, &out.space); break;
        case 5: e = fc_spaces_rename(c, ID1, "n", &out.space); break;
        case 6: e = fc_spaces_delete(c, ID1); break;
        case 7: e = fc_folders_list(c, NULL, &items[0].folder, 1, &page); break;
        case 8: e = fc_folders_create(c, "s", "n", NULL, &out.folder); break;
        case 9: e = fc_folders_get(c, ID1, &out.folder); break;
        case 10: e = fc_folders_rename(c, ID1, "n", &out.folder); break;
        case 11: e = fc_folders_move(c, ID1, NULL, &out.folder); break;
        case 12: e = fc_folders_delete(c, ID1, NULL); break;
        case 13: e = fc_folders_restore(c, ID1, &out.folder); break;
        case 14: e = fc_folders_stats(c, ID1, &out.stats); break;
        case 15: e = fc_files_list(c, NULL, &items[0].file, 1, &page); break;
        case 16: e = fc_files_get(c, ID1, &out.file); break;
        case 17: e = fc_files_resolve(c, "k", NULL, &out.file); break;
        case 18: e = fc_files_rename(c, ID1, "n", &out.file); break;
        case 19: e = fc_files_move(c, ID1, NULL, &out.file); break;
        case 20: e = fc_files_delete(c, ID1, NULL); break;
        case 21: e = fc_files_restore(c, ID1, &out.file); break;
        case 22: e = fc_files_download_url(c, ID1, &out.url); break;
        case 23: e = fc_files_preview_url(c, ID1, &out.url); break;
        case 24: e = fc_uploads_import_url(c, &ip, &out.file); break;
        case 25: e = fc_shares_list(c, NULL, &items[0].share, 1, &page); break;
        case 26: e = fc_shares_create(c, ID1, -1, NULL, &out.share); break;
        case 27: e = fc_shares_get(c, ID1, &out.share); break;
        case 28: e = fc_shares_revoke(c, ID1); break;
        case 29: e = fc_gdpr_purge_file(c, ID1); break;
        default: e = fc_gdpr_purge_trash(c, "s"); break;
        }
        assert_int_equal(run(fx, e), FC_ERR_NOT_FOUND);
        if (strcmp(fc_client_error(c)->step, k_steps[i]) != 0) {
            fail_msg("call %zu: step \"%s\", not \"%s\"", i, fc_client_error(c)->step, k_steps[i]);
        }
    }
}

/* ---- bodies ---------------------------------------------------------------- */

static void test_nasty_name_round_trips(void **state)
{
    static const char nasty[] = "q\"uo\\te\n\t\x01 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7 /..";
    fixture *fx = fresh();
    fc_space s;
    char body[512];
    fc_json_doc doc;
    fc_json_tok toks[16];
    char name[128];
    (void)state;
    reply(fx, 201,
          "{\"id\":\"x\",\"name\":\"q\\\"uo\\\\te\\n\\t\\u0001 caf\\u00e9 "
          "\\u20ac \\ud83d\\udcf7 /..\"}");
    assert_int_equal(run(fx, fc_spaces_create(&fx->client, nasty, "app1", &s)), FC_OK);
    expect_request_line(fx, "POST /api/v1/spaces HTTP/1.1");
    sent_body(fx, body, sizeof body);
    assert_int_equal(fc_json_parse(&doc, body, strlen(body), toks, 16, NULL), FC_OK);
    assert_int_equal(fc_json_get_str(&doc, fc_json_find(&doc, 0, "name"), name, sizeof name, NULL),
                     FC_OK);
    assert_string_equal(name, nasty);
    assert_true(fc_json_str_eq(&doc, fc_json_find(&doc, 0, "app"), "app1"));
    assert_string_equal(s.name, nasty); /* and back through the decoder */
}

static void test_share_and_move_bodies(void **state)
{
    fixture *fx = fresh();
    fc_share sh;
    fc_folder f;
    char body[256];
    (void)state;
    reply(fx, 201,
          "{\"id\":\"s1\",\"file_id\":\"f1\",\"permission\":\"view\","
          "\"expires_at\":null,\"url\":\"https://raw/s/tok\"}");
    assert_int_equal(run(fx, fc_shares_create(&fx->client, "f1", -1, NULL, &sh)), FC_OK);
    sent_body(fx, body, sizeof body);
    assert_string_equal(body, "{\"file_id\":\"f1\",\"expires_in_days\":null}");
    assert_string_equal(sh.url, "https://raw/s/tok");
    assert_string_equal(sh.expires_at.text, "");
    assert_int_equal(sh.expires_at.epoch_s, 0);

    fx = fresh();
    reply(fx, 201,
          "{\"id\":\"s1\",\"expires_at\":\"2026-06-30T00:00:00Z\","
          "\"url\":\"https://raw/s/t2\"}");
    assert_int_equal(run(fx, fc_shares_create(&fx->client, "f1", 7, "download", &sh)), FC_OK);
    sent_body(fx, body, sizeof body);
    assert_string_equal(body,
                        "{\"file_id\":\"f1\",\"expires_in_days\":7,"
                        "\"permission\":\"download\"}");
    assert_int_equal(sh.expires_at.epoch_s, 1782777600);

    fx = fresh();
    reply(fx, 200, "{\"id\":\"d1\",\"parent_id\":null}");
    assert_int_equal(run(fx, fc_folders_move(&fx->client, "d1", NULL, &f)), FC_OK);
    expect_request_line(fx, "PATCH /api/v1/folders/d1 HTTP/1.1");
    sent_body(fx, body, sizeof body);
    assert_string_equal(body, "{\"parent_id\":null}");
    assert_string_equal(f.parent_id, "");

    fx = fresh();
    reply(fx, 201, "{\"id\":\"d2\",\"parent_id\":\"d1\"}");
    assert_int_equal(run(fx, fc_folders_create(&fx->client, "sp", "n", "d1", &f)), FC_OK);
    sent_body(fx, body, sizeof body);
    assert_string_equal(body, "{\"space_id\":\"sp\",\"name\":\"n\",\"parent_id\":\"d1\"}");
}

/* A created share is its link: an answer without one (or with "") is no
 * success (robustness's share-no-url); a share read back has none. */
static void test_share_create_needs_its_link(void **state)
{
    static const char *const bad[] = {
        "{\"id\":\"s1\",\"file_id\":\"f1\",\"permission\":\"view\"}",
        "{\"id\":\"s1\",\"url\":\"\"}",
        "{\"id\":\"s1\",\"url\":null}",
    };
    size_t i;
    fc_share sh;
    fixture *fx;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx = fresh();
        reply(fx, 201, bad[i]);
        if (run(fx, fc_shares_create(&fx->client, "f1", -1, NULL, &sh)) != FC_ERR_JSON) {
            fail_msg("accepted %s", bad[i]);
        }
    }
    fx = fresh();
    reply(fx, 200, bad[0]);
    assert_int_equal(run(fx, fc_shares_get(&fx->client, "s1", &sh)), FC_OK);
    assert_string_equal(sh.url, "");
}

static void test_import_body(void **state)
{
    fixture *fx = fresh();
    fc_import_params p;
    fc_file f;
    char body[256];
    (void)state;
    memset(&p, 0, sizeof p);
    p.url = "https://example.com/a.png";
    p.space_id = "sp";
    p.client_key = "k/1";
    reply(fx, 202, FILE_JSON);
    assert_int_equal(run(fx, fc_uploads_import_url(&fx->client, &p, &f)), FC_OK);
    expect_request_line(fx, "POST /api/v1/uploads/import-url HTTP/1.1");
    sent_body(fx, body, sizeof body);
    assert_string_equal(body,
                        "{\"url\":\"https://example.com/a.png\",\"space_id\":\"sp\","
                        "\"client_key\":\"k/1\"}");
    assert_string_equal(f.id, ID1);
}

/* ---- decoding ------------------------------------------------------------------ */

static void test_file_decodes_every_field(void **state)
{
    fixture *fx = fresh();
    fc_file f;
    (void)state;
    memset(&f, 0x55, sizeof f);
    reply(fx, 200, FILE_JSON);
    assert_int_equal(run(fx, fc_files_get(&fx->client, ID1, &f)), FC_OK);
    assert_string_equal(f.id, ID1);
    assert_string_equal(f.folder_id, "");
    assert_string_equal(f.client_key, "cam/1.jpg");
    assert_string_equal(f.name, "caf\xc3\xa9 \"x\".jpg");
    assert_true(f.size == 12345678901LL);
    assert_int_equal(f.scan_status.value, FC_SCAN_CLEAN);
    assert_string_equal(f.scan_status.raw, "clean");
    assert_int_equal(f.status.value, FC_FILE_STATUS_READY);
    assert_string_equal(f.created_at.text, "2026-06-23T14:05:00Z");
    assert_true(f.created_at.epoch_s == 1782223500LL);
    assert_true(f.updated_at.epoch_s == 1782223501LL);
    assert_string_equal(f.deleted_at.text, "");
    assert_true(f.deleted_at.epoch_s == 0);
    assert_false(FC_SCAN_FAILED(f.scan_status));
}

static void test_unknown_enum_keeps_raw(void **state)
{
    fixture *fx = fresh();
    fc_file f;
    (void)state;
    reply(fx, 200, "{\"id\":\"x\",\"scan_status\":\"quarantined\",\"status\":\"archived\"}");
    assert_int_equal(run(fx, fc_files_get(&fx->client, "x", &f)), FC_OK);
    assert_int_equal(f.scan_status.value, FC_SCAN_UNKNOWN);
    assert_string_equal(f.scan_status.raw, "quarantined");
    assert_true(FC_SCAN_FAILED(f.scan_status));
    assert_int_equal(f.status.value, FC_FILE_STATUS_UNKNOWN);
    assert_string_equal(f.status.raw, "archived");
}

static void test_shape_errors(void **state)
{
    static const char *const bad[] = {
        "{\"name\":\"no id\"}",
        "{\"id\":null}",
        "{\"id\":7}",
        "[1]",
        "{\"id\":\"x\",\"size\":1.5}",
        "{\"id\":\"x\",\"created_at\":\"yesterday\"}",
        "{\"id\":\"x\",\"name\":3}",
        "{\"id\":\"\"}", /* a required id must not be empty (issue 10) */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture *fx = fresh();
        fc_file f;
        reply(fx, 200, bad[i]);
        if (run(fx, fc_files_get(&fx->client, "x", &f)) != FC_ERR_JSON) {
            fail_msg("accepted %s", bad[i]);
        }
    }
}

static void test_too_long_is_an_error_not_a_cut(void **state)
{
    fixture *fx = fresh();
    fc_file f;
    char body[2048];
    char key[FC_CLIENT_KEY_MAX + 1];
    (void)state;
    /* A key is never cut (names are, see below). */
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    snprintf(body, sizeof body, "{\"id\":\"x\",\"client_key\":\"%s\"}", key);
    reply(fx, 200, body);
    assert_int_equal(run(fx, fc_files_get(&fx->client, "x", &f)), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_client_error(&fx->client)->needed, FC_CLIENT_KEY_MAX + 1);
    assert_string_equal(f.client_key, "");
}

/* Informational text that does not fit is cut at a UTF-8 boundary and
 * flagged, never fatal (issue 12.4); ids, hashes, URLs stay all or nothing. */
static void test_informational_fields_cut_and_flagged(void **state)
{
    fixture *fx = fresh();
    fc_file f;
    fc_space sp[2];
    fc_page page;
    char body[3000];
    char name[FC_NAME_MAX + 40];
    char app[FC_APP_MAX + 8];
    char by[FC_ID_MAX + 20];
    size_t i;
    (void)state;
    /* A name of 3-byte characters, one byte too long for whole ones:
     * the cut keeps only whole characters. */
    for (i = 0; i + 3 <= FC_NAME_MAX + 2; i += 3) {
        memcpy(name + i, "\xe2\x82\xac", 3); /* the euro sign */
    }
    name[i] = '\0';
    memset(app, 'a', sizeof app - 1);
    app[sizeof app - 1] = '\0';
    memset(by, 'b', sizeof by - 1);
    by[sizeof by - 1] = '\0';
    snprintf(body, sizeof body,
             "{\"id\":\"F1\",\"name\":\"%s\",\"original_name\":\"short\","
             "\"source_app\":\"%s\",\"created_by\":\"%s\",\"sha256\":\"ab\",\"size\":7}",
             name, app, by);
    reply(fx, 200, body);
    assert_int_equal(run(fx, fc_files_get(&fx->client, "F1", &f)), FC_OK);
    assert_string_equal(f.id, "F1");
    assert_true(f.size == 7);
    assert_int_equal(f.cut, FC_FILE_CUT_NAME | FC_FILE_CUT_SOURCE_APP | FC_FILE_CUT_CREATED_BY);
    assert_true(strlen(f.name) % 3 == 0 && strlen(f.name) > FC_NAME_MAX - 4);
    assert_memory_equal(f.name, name, strlen(f.name));
    assert_string_equal(f.original_name, "short");
    assert_int_equal(strlen(f.source_app), FC_APP_MAX - 1);
    assert_int_equal(strlen(f.created_by), sizeof f.created_by - 1);

    /* A list with one long space name still decodes. */
    fx = fresh();
    snprintf(body, sizeof body,
             "{\"items\":[{\"id\":\"s1\",\"name\":\"ok\"},"
             "{\"id\":\"s2\",\"name\":\"%s\",\"app\":\"%s\"}]}",
             name, app);
    reply(fx, 200, body);
    assert_int_equal(run(fx, fc_spaces_list(&fx->client, NULL, sp, 2, &page)), FC_OK);
    assert_int_equal(sp[0].cut, 0);
    assert_int_equal(sp[1].cut, FC_SPACE_CUT_NAME | FC_SPACE_CUT_APP);

    /* Never cut: a hash or an id that does not fit fails, with the size. */
    fx = fresh();
    snprintf(body, sizeof body, "{\"id\":\"F1\",\"sha256\":\"%s\"}", name);
    reply(fx, 200, body);
    assert_int_equal(run(fx, fc_files_get(&fx->client, "F1", &f)), FC_ERR_BUFFER_TOO_SMALL);
}

static void test_quota(void **state)
{
    fixture *fx = fresh();
    fc_quota q;
    char body[1024];
    size_t i, n = 0;
    (void)state;
    reply(fx, 200,
          "{\"bytes_used\":10,\"bytes_limit\":-1,\"links_used\":2,\"links_limit\":5,"
          "\"by_app\":[{\"app\":\"fluidcloud\",\"bytes\":10,\"files\":1}]}");
    assert_int_equal(run(fx, fc_quota_get(&fx->client, &q)), FC_OK);
    assert_true(q.bytes_used == 10 && q.bytes_limit == -1 && q.links_limit == 5);
    assert_int_equal(q.by_app_count, 1);
    assert_string_equal(q.by_app[0].app, "fluidcloud");

    fx = fresh();
    n += (size_t)snprintf(body + n, sizeof body - n, "{\"by_app\":[");
    for (i = 0; i <= FC_QUOTA_APPS_MAX; i++) {
        n += (size_t)snprintf(body + n, sizeof body - n, "%s{\"app\":\"a%u\"}", i ? "," : "",
                              (unsigned)i);
    }
    snprintf(body + n, sizeof body - n, "]}");
    reply(fx, 200, body);
    assert_int_equal(run(fx, fc_quota_get(&fx->client, &q)), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_client_error(&fx->client)->needed, FC_QUOTA_APPS_MAX + 1);
}

static void test_restore_204_and_200(void **state)
{
    fixture *fx = fresh();
    fc_file f;
    (void)state;
    strcpy(f.id, "untouched");
    reply(fx, 204, NULL);
    assert_int_equal(run(fx, fc_files_restore(&fx->client, "x", &f)), FC_OK);
    assert_string_equal(f.id, "untouched");
    fx = fresh();
    reply(fx, 200, FILE_JSON);
    assert_int_equal(run(fx, fc_files_restore(&fx->client, "x", &f)), FC_OK);
    assert_string_equal(f.id, ID1);
}

/* A soft delete answers 204, or 200 with the record (deleted_at set): the
 * caller who passes a struct gets it (issue 15.5); without one, or on a
 * 204 or an empty 200, nothing is decoded and the struct is untouched. */
static void test_delete_returns_the_record(void **state)
{
    fixture *fx = fresh();
    fc_file f;
    fc_folder d;
    (void)state;
    reply(fx, 200, "{\"id\":\"f1\",\"deleted_at\":\"2026-06-23T14:05:00Z\"}");
    assert_int_equal(run(fx, fc_files_delete(&fx->client, "f1", &f)), FC_OK);
    assert_string_equal(f.id, "f1");
    assert_true(f.deleted_at.epoch_s == 1782223500LL);
    fx = fresh();
    reply(fx, 200, "{\"id\":\"d1\",\"deleted_at\":\"2026-06-23T14:05:00Z\"}");
    assert_int_equal(run(fx, fc_folders_delete(&fx->client, "d1", &d)), FC_OK);
    expect_request_line(fx, "DELETE /api/v1/folders/d1 HTTP/1.1");
    assert_string_equal(d.id, "d1");
    fx = fresh();
    strcpy(f.id, "untouched");
    reply(fx, 204, NULL);
    assert_int_equal(run(fx, fc_files_delete(&fx->client, "f1", &f)), FC_OK);
    assert_string_equal(f.id, "untouched");
    fx = fresh();
    reply(fx, 200, NULL); /* 200 with an empty body */
    assert_int_equal(run(fx, fc_files_delete(&fx->client, "f1", &f)), FC_OK);
    assert_string_equal(f.id, "untouched");
    fx = fresh();
    reply(fx, 200, "{\"id\":\"f1\"}");
    assert_int_equal(run(fx, fc_files_delete(&fx->client, "f1", NULL)), FC_OK);
    fx = fresh();
    reply(fx, 200, "{\"id\":7}"); /* a record, but a bad one */
    assert_int_equal(run(fx, fc_files_delete(&fx->client, "f1", &f)), FC_ERR_JSON);
}

/* "bad JSON" says what is wrong, by name (issue 15.10): detail holds
 * "<field>: <problem>" (a list item's field by its own name). */
static void test_bad_json_names_the_field(void **state)
{
    static const struct {
        int which; /* 0 files.get, 1 spaces.list, 2 quota.get */
        const char *body;
        fc_err err;
        const char *detail;
    } k[] = {
        {0, "{\"name\":\"no id\"}", FC_ERR_JSON, "id: missing"},
        {0, "{\"id\":null}", FC_ERR_JSON, "id: null"},
        {0, "{\"id\":7}", FC_ERR_JSON, "id: not a string"},
        {0, "{\"id\":\"\"}", FC_ERR_JSON, "id: empty"},
        {0, "[1]", FC_ERR_JSON, "the answer is not an object"},
        {0, "{\"id\":\"x\",\"size\":1.5}", FC_ERR_JSON, "size: not an integer"},
        {0, "{\"id\":\"x\",\"created_at\":\"yesterday\"}", FC_ERR_JSON, "created_at: not a time"},
        {0, "{\"id\":\"x\",\"name\":3}", FC_ERR_JSON, "name: not a string"},
        {0, "{\"id\":\"x\",\"scan_status\":[]}", FC_ERR_JSON, "scan_status: not a string"},
        {0, "{\"id\":", FC_ERR_JSON, "the answer is not JSON"},
        {1, "{\"items\":{}}", FC_ERR_JSON, "items: missing or not an array"},
        {1, "{\"data\":[]}", FC_ERR_JSON, "items: missing or not an array"},
        {1, "{\"items\":[1]}", FC_ERR_JSON, "items: not an array of objects"},
        {1, "{\"items\":[{\"id\":\"a\"},{\"id\":7}]}", FC_ERR_JSON, "id: not a string"},
        {1, "{\"items\":[],\"next_cursor\":5}", FC_ERR_JSON, "next_cursor: not a string"},
        {2, "{\"bytes_used\":\"1\"}", FC_ERR_JSON, "bytes_used: not an integer"},
        {2, "{\"by_app\":[{\"app\":\"a\"},{\"bytes\":\"x\"}]}", FC_ERR_JSON,
         "bytes: not an integer"},
        {2, "{\"by_app\":{}}", FC_ERR_JSON, "by_app: not an array"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof k / sizeof k[0]; i++) {
        fixture *fx = fresh();
        static union {
            fc_file f;
            fc_space items[2];
            fc_quota q;
        } out;
        fc_page page;
        fc_err e;
        reply(fx, 200, k[i].body);
        if (k[i].which == 0) {
            e = fc_files_get(&fx->client, "x", &out.f);
        } else if (k[i].which == 1) {
            e = fc_spaces_list(&fx->client, NULL, out.items, 2, &page);
        } else {
            e = fc_quota_get(&fx->client, &out.q);
        }
        assert_int_equal(run(fx, e), k[i].err);
        if (strcmp(fc_client_error(&fx->client)->detail, k[i].detail) != 0) {
            fail_msg("%s: detail \"%s\", not \"%s\"", k[i].body,
                     fc_client_error(&fx->client)->detail, k[i].detail);
        }
    }
    /* Too long: the size it needs, by name. */
    {
        fixture *fx = fresh();
        fc_file f;
        char body[600];
        char name[301];
        memset(name, 'n', 300);
        name[300] = '\0';
        snprintf(body, sizeof body, "{\"id\":\"x\",\"client_key\":\"%s\"}", name);
        reply(fx, 200, body);
        assert_int_equal(run(fx, fc_files_get(&fx->client, "x", &f)), FC_ERR_BUFFER_TOO_SMALL);
        assert_string_equal(fc_client_error(&fx->client)->detail, "client_key: needs 301 bytes");
    }
}

/* ---- lists ------------------------------------------------------------------------ */

static void test_list_query_and_page(void **state)
{
    fixture *fx = fresh();
    fc_list_params p;
    fc_folder items[3];
    fc_page page;
    (void)state;
    memset(&p, 0, sizeof p);
    p.space_id = "sp";
    p.parent_id = "d1";
    p.trashed = 1;
    p.limit = 2;
    p.cursor = "a+b/=c";
    reply(fx, 200,
          "{\"items\":[{\"id\":\"f1\",\"name\":\"one\"},{\"id\":\"f2\"}],"
          "\"next_cursor\":\"opaque+/=\"}");
    assert_int_equal(run(fx, fc_folders_list(&fx->client, &p, items, 3, &page)), FC_OK);
    expect_request_line(fx,
                        "GET /api/v1/folders?space_id=sp&parent_id=d1&trashed=true"
                        "&limit=2&cursor=a%2Bb%2F%3Dc HTTP/1.1");
    assert_int_equal(page.count, 2);
    assert_int_equal(page.has_more, 1);
    assert_string_equal(page.next_cursor, "opaque+/=");
    assert_string_equal(items[0].name, "one");
    assert_string_equal(items[1].id, "f2");

    /* The cursor goes back verbatim; null = the last page. */
    fx = fresh();
    p.cursor = page.next_cursor;
    reply(fx, 200, "{\"items\":[],\"next_cursor\":null}");
    assert_int_equal(run(fx, fc_folders_list(&fx->client, &p, items, 3, &page)), FC_OK);
    expect_request_line(fx,
                        "GET /api/v1/folders?space_id=sp&parent_id=d1&trashed=true"
                        "&limit=2&cursor=opaque%2B%2F%3D HTTP/1.1");
    assert_int_equal(page.count, 0);
    assert_int_equal(page.has_more, 0);
}

static void test_list_bare_array_is_last_page(void **state)
{
    fixture *fx = fresh();
    fc_space items[2];
    fc_page page;
    (void)state;
    reply(fx, 200, "[{\"id\":\"s1\",\"name\":\"My files\"}]");
    assert_int_equal(run(fx, fc_spaces_list(&fx->client, NULL, items, 2, &page)), FC_OK);
    expect_request_line(fx, "GET /api/v1/spaces HTTP/1.1");
    assert_int_equal(page.count, 1);
    assert_int_equal(page.has_more, 0);
    assert_string_equal(page.next_cursor, "");
    assert_string_equal(items[0].name, "My files");
}

static void test_list_more_than_cap(void **state)
{
    fixture *fx = fresh();
    fc_share items[1];
    fc_page page;
    fc_list_params p;
    (void)state;
    memset(&p, 0, sizeof p);
    p.file_id = "f1";
    reply(fx, 200, "{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}");
    assert_int_equal(run(fx, fc_shares_list(&fx->client, &p, items, 1, &page)),
                     FC_ERR_BUFFER_TOO_SMALL);
    expect_request_line(fx, "GET /api/v1/shares?file_id=f1 HTTP/1.1");
    assert_int_equal(fc_client_error(&fx->client)->needed, 3);
}

typedef struct seen {
    int n;
    char ids[4][FC_ID_MAX];
    int stop_at;
} seen;

static fc_err on_file(void *ctx, const void *item)
{
    seen *s = ctx;
    const fc_file *f = item;
    if (s->n == s->stop_at) {
        return FC_ERR_CANCELLED;
    }
    snprintf(s->ids[s->n++], sizeof s->ids[0], "%s", f->id);
    return FC_OK;
}

static void test_list_callback(void **state)
{
    fixture *fx = fresh();
    fc_file scratch;
    fc_page page;
    fc_list_params p;
    seen s;
    (void)state;
    memset(&p, 0, sizeof p);
    memset(&s, 0, sizeof s);
    s.stop_at = -1;
    p.space_id = "sp";
    p.folder_id = "d";
    p.on_item = on_file;
    p.ctx = &s;
    reply(fx, 200,
          "{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}],"
          "\"next_cursor\":\"n\"}");
    /* cap 0 is fine with a callback: one scratch struct is enough. */
    assert_int_equal(run(fx, fc_files_list(&fx->client, &p, &scratch, 0, &page)), FC_OK);
    expect_request_line(fx, "GET /api/v1/files?space_id=sp&folder_id=d HTTP/1.1");
    assert_int_equal(s.n, 3);
    assert_string_equal(s.ids[2], "c");
    assert_int_equal(page.count, 3);
    assert_int_equal(page.has_more, 1);

    fx = fresh();
    memset(&s, 0, sizeof s);
    s.stop_at = 1;
    reply(fx, 200, "{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"}]}");
    assert_int_equal(run(fx, fc_files_list(&fx->client, &p, &scratch, 1, &page)), FC_ERR_CANCELLED);
    assert_int_equal(s.n, 1);
}

/* Every decoder refuses an empty required id: spaces, folders, shares,
 * signed URLs (their url), in objects and in list items. */
static void test_empty_ids_refused(void **state)
{
    fixture *fx;
    union {
        fc_space space;
        fc_folder folder;
        fc_share share;
        fc_signed_url url;
    } out;
    fc_space items[2];
    fc_page page;
    (void)state;
    fx = fresh();
    reply(fx, 200, "{\"id\":\"\",\"name\":\"n\"}");
    assert_int_equal(run(fx, fc_spaces_get(&fx->client, "s", &out.space)), FC_ERR_JSON);
    fx = fresh();
    reply(fx, 200, "{\"id\":\"\"}");
    assert_int_equal(run(fx, fc_folders_get(&fx->client, "d", &out.folder)), FC_ERR_JSON);
    fx = fresh();
    reply(fx, 200, "{\"id\":\"\",\"file_id\":\"f\"}");
    assert_int_equal(run(fx, fc_shares_get(&fx->client, "h", &out.share)), FC_ERR_JSON);
    fx = fresh();
    reply(fx, 200, "{\"url\":\"\",\"expires_at\":null}");
    assert_int_equal(run(fx, fc_files_download_url(&fx->client, "f", &out.url)), FC_ERR_JSON);
    fx = fresh();
    reply(fx, 200, "{\"items\":[{\"id\":\"a\"},{\"id\":\"\"}],\"next_cursor\":null}");
    assert_int_equal(run(fx, fc_spaces_list(&fx->client, NULL, items, 2, &page)), FC_ERR_JSON);
}

/* A list that fails leaves no page behind: no count, no cursor to follow
 * (issue 10: next_cursor stayed set, and a loop "while has_more" went on). */
static void test_failed_list_leaves_no_cursor(void **state)
{
    static const char *const bad[] = {
        "{\"items\":[{\"id\":\"a\"},{\"id\":7}],\"next_cursor\":\"c2\"}",
        "{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}],\"next_cursor\":\"c2\"}",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture *fx = fresh();
        fc_space items[2];
        fc_page page;
        memset(&page, 0x55, sizeof page);
        reply(fx, 200, bad[i]);
        assert_true(run(fx, fc_spaces_list(&fx->client, NULL, items, 2, &page)) != FC_OK);
        assert_int_equal(page.count, 0);
        assert_int_equal(page.has_more, 0);
        assert_string_equal(page.next_cursor, "");
    }
}

static void test_list_bad_shapes(void **state)
{
    static const char *const bad[] = {
        "{\"items\":{}}",
        "{\"data\":[]}",
        "{\"items\":[1]}",
        "\"x\"",
        "{\"items\":[],\"next_cursor\":5}",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture *fx = fresh();
        fc_space items[2];
        fc_page page;
        reply(fx, 200, bad[i]);
        if (run(fx, fc_spaces_list(&fx->client, NULL, items, 2, &page)) != FC_ERR_JSON) {
            fail_msg("accepted %s", bad[i]);
        }
    }
}

/* ---- retries and errors ------------------------------------------------------------ */

static void test_patch_retried_post_not(void **state)
{
    fixture *fx = fresh();
    fc_space s;
    (void)state;
    reply(fx, 503, "{\"detail\":\"busy\"}");
    reply(fx, 200, "{\"id\":\"x\",\"name\":\"new\"}");
    assert_int_equal(run(fx, fc_spaces_rename(&fx->client, "x", "new", &s)), FC_OK);
    assert_string_equal(s.name, "new");
    assert_int_equal(fc_client_error(&fx->client)->attempts, 2);

    fx = fresh();
    reply(fx, 503, "{\"detail\":\"busy\"}");
    assert_int_equal(run(fx, fc_spaces_create(&fx->client, "n", NULL, &s)), FC_ERR_SERVER);
    assert_int_equal(fc_client_error(&fx->client)->attempts, 1);
}

static void test_error_details(void **state)
{
    fixture *fx = fresh();
    fc_folder f;
    const fc_error_info *ei;
    (void)state;
    reply(fx, 403,
          "{\"detail\":{\"error\":\"insufficient_scope\",\"required\":"
          "[\"folders:write\"],\"missing\":[\"folders:write\"]}}");
    assert_int_equal(run(fx, fc_folders_create(&fx->client, "s", "n", NULL, &f)),
                     FC_ERR_PERMISSION);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->http_status, 403);
    assert_string_equal(ei->code, "insufficient_scope");
    assert_string_equal(ei->missing, "folders:write");
    assert_string_equal(ei->step, "folders.create");

    /* Scopes that do not fit are left out whole (a hint, so the rest
     * stays); non-strings are skipped. One space between each. */
    fx = fresh();
    reply(fx, 403,
          "{\"detail\":{\"error\":\"insufficient_scope\",\"required\":"
          "[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
          "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"c:w\"],"
          "\"missing\":[\"a:r\",5,{\"x\":[\"y\"]},\"b:w\"],\"message\":\"no\"}}");
    assert_int_equal(run(fx, fc_folders_create(&fx->client, "s", "n", NULL, &f)),
                     FC_ERR_PERMISSION);
    ei = fc_client_error(&fx->client);
    assert_string_equal(ei->code, "insufficient_scope");
    assert_string_equal(ei->required, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa c:w");
    assert_string_equal(ei->missing, "a:r b:w");
    assert_string_equal(ei->detail, "no");

    /* Not arrays: nothing. */
    fx = fresh();
    reply(fx, 403, "{\"detail\":{\"error\":\"x\",\"required\":\"a\",\"missing\":null}}");
    assert_int_equal(run(fx, fc_folders_create(&fx->client, "s", "n", NULL, &f)),
                     FC_ERR_PERMISSION);
    ei = fc_client_error(&fx->client);
    assert_string_equal(ei->required, "");
    assert_string_equal(ei->missing, "");
    assert_string_equal(ei->detail, "x");

    fx = fresh();
    reply(fx, 422,
          "{\"detail\":[{\"loc\":[\"body\",\"name\"],\"msg\":\"too long\","
          "\"type\":\"value_error\"}]}");
    assert_int_equal(run(fx, fc_folders_rename(&fx->client, "d", "n", &f)), FC_ERR_VALIDATION);
    /* The field the problem is about comes first (issue 15.8). */
    assert_string_equal(fc_client_error(&fx->client)->detail, "name: too long");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_query_names),
        cmocka_unit_test(test_me_and_scopes),
        cmocka_unit_test(test_scopes_shapes),
        cmocka_unit_test(test_id_is_url_encoded),
        cmocka_unit_test(test_invalid_args_and_busy),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_every_call_names_its_step),
        cmocka_unit_test(test_nasty_name_round_trips),
        cmocka_unit_test(test_share_and_move_bodies),
        cmocka_unit_test(test_share_create_needs_its_link),
        cmocka_unit_test(test_import_body),
        cmocka_unit_test(test_file_decodes_every_field),
        cmocka_unit_test(test_unknown_enum_keeps_raw),
        cmocka_unit_test(test_shape_errors),
        cmocka_unit_test(test_too_long_is_an_error_not_a_cut),
        cmocka_unit_test(test_informational_fields_cut_and_flagged),
        cmocka_unit_test(test_quota),
        cmocka_unit_test(test_restore_204_and_200),
        cmocka_unit_test(test_delete_returns_the_record),
        cmocka_unit_test(test_bad_json_names_the_field),
        cmocka_unit_test(test_list_query_and_page),
        cmocka_unit_test(test_list_bare_array_is_last_page),
        cmocka_unit_test(test_list_more_than_cap),
        cmocka_unit_test(test_list_callback),
        cmocka_unit_test(test_list_bad_shapes),
        cmocka_unit_test(test_empty_ids_refused),
        cmocka_unit_test(test_failed_list_leaves_no_cursor),
        cmocka_unit_test(test_patch_retried_post_not),
        cmocka_unit_test(test_error_details),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* Every request the tests sent, compared with the recorded bytes. */
    return failed + fc_wire_check("test_api");
}
