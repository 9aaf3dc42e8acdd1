/* SPDX-License-Identifier: MIT */
/*
 * it_api_errors.c - the documented errors of the API, end to end against
 * the emulator: 401 (missing, bad, revoked key), 403 insufficient_scope
 * (required and missing scopes decoded) and feature_not_in_plan, 404 for
 * unknown ids and for another tenant's ids, 409 before a clean scan, 402
 * at the storage quota and at the share-link cap, 422 with its detail,
 * and 429 followed by a retry that succeeds.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fc_api_fixture.h"
#include "fc_emu_admin.h"
#include "fluidcloud/fc_upload.h"

#define NOBODY "00000000-0000-4000-8000-000000000000"

static const char k_body[] = "error cases\n";
static const char k_eicar[] =
    "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

static int setup(void **state)
{
    (void)state;
    fx_init();
    emu_clear_faults();
    emu_config("{\"scan_delay_ms\":50}");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_admin_limits(-1, -1, 0);
    assert_int_equal(emu_leaked_keys(), 0);
    fx_free();
    return 0;
}

static const fc_error_info *err(fc_client *c)
{
    return fc_client_error(c);
}

/* ---- 401 ------------------------------------------------------------------------ */

static void expect_401(const char *key)
{
    fc_me me;
    fx_other_init(key);
    assert_int_equal(fx_run_on(&fx_other.client, fc_me_get(&fx_other.client, &me)), FC_ERR_AUTH);
    assert_int_equal(err(&fx_other.client)->http_status, 401);
    assert_true(err(&fx_other.client)->detail[0] != '\0');
    fx_other_free();
}

static void test_401_missing_bad_revoked(void **state)
{
    char key[128];
    (void)state;
    expect_401("");
    expect_401("fck_test_00000000000000000000000000000000");
    fx_admin_key(NULL, NULL, 1, key, sizeof key);
    fx_admin_revoke(key);
    expect_401(key);
}

/* ---- 403 ---------------------------------------------------------------------------- */

static void test_403_insufficient_scope(void **state)
{
    char key[128];
    fc_space s;
    fc_space items[4];
    fc_page page;
    (void)state;
    fx_admin_key(NULL, "spaces:read", 1, key, sizeof key);
    fx_other_init(key);
    assert_int_equal(
        fx_run_on(&fx_other.client, fc_spaces_list(&fx_other.client, NULL, items, 4, &page)),
        FC_OK);
    assert_int_equal(fx_run_on(&fx_other.client, fc_spaces_create(&fx_other.client, "x", NULL, &s)),
                     FC_ERR_PERMISSION);
    assert_int_equal(err(&fx_other.client)->http_status, 403);
    assert_string_equal(err(&fx_other.client)->code, "insufficient_scope");
    assert_string_equal(err(&fx_other.client)->missing, "spaces:write");
    assert_non_null(strstr(err(&fx_other.client)->required, "spaces:write"));
    fx_other_free();
}

static void test_403_feature_not_in_plan(void **state)
{
    char key[128];
    fc_quota q;
    (void)state;
    fx_admin_key(NULL, NULL, 0, key, sizeof key);
    fx_other_init(key);
    assert_int_equal(fx_run_on(&fx_other.client, fc_quota_get(&fx_other.client, &q)),
                     FC_ERR_PERMISSION);
    assert_string_equal(err(&fx_other.client)->code, "feature_not_in_plan");
    fx_other_free();
}

/* ---- 404 ------------------------------------------------------------------------------ */

static void test_404_unknown_ids(void **state)
{
    static union {
        fc_space s;
        fc_folder d;
        fc_file f;
        fc_share sh;
        fc_folder_stats st;
    } o;
    (void)state;
    assert_int_equal(fx_run(fc_spaces_get(FX, NOBODY, &o.s)), FC_ERR_NOT_FOUND);
    assert_int_equal(err(FX)->http_status, 404);
    assert_int_equal(fx_run(fc_folders_get(FX, NOBODY, &o.d)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run(fc_folders_stats(FX, NOBODY, &o.st)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run(fc_files_get(FX, NOBODY, &o.f)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run(fc_files_resolve(FX, "no/such/key", NULL, &o.f)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run(fc_shares_get(FX, NOBODY, &o.sh)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run(fc_shares_create(FX, NOBODY, -1, NULL, &o.sh)), FC_ERR_NOT_FOUND);
}

static void test_404_across_tenants(void **state)
{
    char key[128];
    fc_file f, got;
    fc_space s;
    fc_share sh;
    fc_folder d;
    fc_client *b;
    (void)state;
    fx_upload("mine.txt", k_body, sizeof k_body - 1, NULL, NULL, NULL, 1, &f);
    assert_int_equal(fx_run(fc_folders_create(FX, fx_space(), "mine", NULL, &d)), FC_OK);
    fx_admin_key("tenant-b", NULL, 1, key, sizeof key);
    fx_other_init(key);
    b = &fx_other.client;
    /* Another tenant's ids are 404, never 403: nothing confirms they exist. */
    assert_int_equal(fx_run_on(b, fc_files_get(b, f.id, &got)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run_on(b, fc_spaces_get(b, fx_space(), &s)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run_on(b, fc_folders_get(b, d.id, &d)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run_on(b, fc_shares_create(b, f.id, -1, NULL, &sh)), FC_ERR_NOT_FOUND);
    assert_int_equal(fx_run_on(b, fc_files_rename(b, f.id, "stolen", NULL)), FC_ERR_NOT_FOUND);
    fx_other_free();
    /* ... and the owner still sees it unchanged. */
    assert_int_equal(fx_run(fc_files_get(FX, f.id, &got)), FC_OK);
    assert_string_equal(got.name, "mine.txt");
}

/* ---- 409 -------------------------------------------------------------------------------- */

static void test_409_before_clean(void **state)
{
    fc_file f;
    fc_share sh;
    fc_signed_url u;
    (void)state;
    emu_config("{\"scan_delay_ms\":60000}");
    fx_upload("pending.txt", k_body, sizeof k_body - 1, NULL, NULL, NULL, 0, &f);
    assert_int_equal(f.scan_status.value, FC_SCAN_PENDING);
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, -1, NULL, &sh)), FC_ERR_CONFLICT);
    assert_int_equal(err(FX)->http_status, 409);
    assert_non_null(strstr(err(FX)->detail, "pending"));
    assert_int_equal(fx_run(fc_files_download_url(FX, f.id, &u)), FC_ERR_CONFLICT);
    emu_config("{\"scan_delay_ms\":50}");

    /* Infected content never becomes shareable. */
    fx_upload("eicar.txt", k_eicar, sizeof k_eicar - 1, NULL, NULL, NULL, 0, &f);
    do {
        assert_int_equal(fx_run(fc_files_get(FX, f.id, &f)), FC_OK);
    } while (f.scan_status.value == FC_SCAN_PENDING);
    assert_int_equal(f.scan_status.value, FC_SCAN_INFECTED);
    assert_true(FC_SCAN_FAILED(f.scan_status));
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, -1, NULL, &sh)), FC_ERR_CONFLICT);
}

/* ---- 402 --------------------------------------------------------------------------------- */

static fc_err zero_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    (void)ctx;
    memset(buf, 0, cap);
    *got = cap;
    return FC_OK;
}

static fc_err try_upload(size_t size)
{
    static fc_upload up;
    memset(&up, 0, sizeof up);
    up.params.name = "big.bin";
    up.params.size = size;
    up.params.source.read = zero_read;
    /* Refused at initiate (402), before any byte is read. */
    return fx_run(fc_uploads_initiate(FX, &up));
}

static void test_402_storage_and_links(void **state)
{
    fc_quota q;
    fc_file f;
    fc_share a, b;
    (void)state;
    assert_int_equal(fx_run(fc_quota_get(FX, &q)), FC_OK);
    fx_admin_limits(q.bytes_used + 100, -1, 0);
    assert_int_equal(try_upload(1000), FC_ERR_QUOTA);
    assert_int_equal(err(FX)->http_status, 402);
    assert_string_equal(err(FX)->code, "quota_exceeded");

    /* The share-link cap counts expiring links only. */
    fx_admin_limits(-1, -1, 0);
    fx_upload("links.txt", k_body, sizeof k_body - 1, NULL, NULL, NULL, 1, &f);
    assert_int_equal(fx_run(fc_quota_get(FX, &q)), FC_OK);
    fx_admin_limits(-1, q.links_used + 1, 0);
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, 3, NULL, &a)), FC_OK);
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, 3, NULL, &b)), FC_ERR_QUOTA);
    assert_string_equal(err(FX)->code, "quota_exceeded");
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, -1, NULL, &b)), FC_OK); /* permanent */
    fx_admin_limits(-1, -1, 0);
}

/* ---- 422 / 400 ----------------------------------------------------------------------------- */

static void test_422_validation(void **state)
{
    char long_name[260];
    fc_space s;
    fc_folder d;
    fc_file f;
    fc_share sh;
    fc_err e;
    (void)state;
    memset(long_name, 'x', 201);
    long_name[201] = '\0';
    assert_int_equal(fx_run(fc_spaces_create(FX, long_name, NULL, &s)), FC_ERR_VALIDATION);
    assert_int_equal(err(FX)->http_status, 422);
    assert_true(err(FX)->detail[0] != '\0');
    assert_int_equal(fx_run(fc_spaces_create(FX, "", NULL, &s)), FC_ERR_VALIDATION);

    e = fx_run(fc_folders_create(FX, fx_space(), "a/b", NULL, &d));
    assert_true(e == FC_ERR_VALIDATION || e == FC_ERR_BAD_REQUEST);
    e = fx_run(fc_folders_create(FX, fx_space(), "..", NULL, &d));
    assert_true(e == FC_ERR_VALIDATION || e == FC_ERR_BAD_REQUEST);

    fx_upload("v.txt", k_body, sizeof k_body - 1, NULL, NULL, NULL, 1, &f);
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, 0, NULL, &sh)), FC_ERR_VALIDATION);
    assert_true(err(FX)->detail[0] != '\0');
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, 366, NULL, &sh)), FC_ERR_VALIDATION);
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, 1, "edit", &sh)), FC_ERR_VALIDATION);
}

/* A 422 says which field (issue 15.8), in both forms the service uses:
 * FastAPI's list keeps its loc before the msg, a string names it itself. */
static void test_422_names_the_field(void **state)
{
    char long_name[260];
    fc_space s;
    fc_folder d;
    (void)state;
    memset(long_name, 'x', 201);
    long_name[201] = '\0';
    emu_config("{\"validation_detail\":\"list\"}");
    assert_int_equal(fx_run(fc_spaces_create(FX, long_name, NULL, &s)), FC_ERR_VALIDATION);
    if (strncmp(err(FX)->detail, "name: ", 6) != 0) {
        fail_msg("422 list detail \"%s\" does not name the field", err(FX)->detail);
    }
    /* A bad uuid in the path: loc ["path", "folder_id"] keeps both parts. */
    assert_int_equal(fx_run(fc_folders_get(FX, "not-a-uuid", &d)), FC_ERR_VALIDATION);
    if (strstr(err(FX)->detail, "folder_id: ") == NULL) {
        fail_msg("422 list detail \"%s\" does not name the field", err(FX)->detail);
    }
    emu_config("{\"validation_detail\":\"string\"}");
    assert_int_equal(fx_run(fc_folders_get(FX, "not-a-uuid", &d)), FC_ERR_VALIDATION);
    if (strstr(err(FX)->detail, "folder_id") == NULL) {
        fail_msg("422 string detail \"%s\" does not name the field", err(FX)->detail);
    }
    emu_config("{\"validation_detail\":\"auto\"}");
}

/* ---- answers that do not decode (issue 15.10) ------------------------------------------ */

/* The emulator rewrites real answers: the call fails as bad JSON and its
 * detail names the field. A share created without its link is no share;
 * the whole trash is emptied without a space (15.4). */
static void test_bad_answers_name_the_field(void **state)
{
    static char path[96];
    fc_file f, got;
    fc_share sh;
    fc_list_params p;
    fc_file items[4];
    fc_page page;
    (void)state;
    fx_upload("bad-answers.txt", k_body, sizeof k_body - 1, NULL, NULL, NULL, 1, &f);
    snprintf(path, sizeof path, "/api/v1/files/%s", f.id);

    emu_fault("api", "GET", path, 1, "\"action\":\"rewrite_json\",\"set\":{\"size\":\"big\"}");
    assert_int_equal(fx_run(fc_files_get(FX, f.id, &got)), FC_ERR_JSON);
    assert_string_equal(err(FX)->detail, "size: not an integer");
    assert_int_equal(err(FX)->http_status, 200);

    emu_fault("api", "GET", path, 1, "\"action\":\"rewrite_json\",\"drop\":[\"id\"]");
    assert_int_equal(fx_run(fc_files_get(FX, f.id, &got)), FC_ERR_JSON);
    assert_string_equal(err(FX)->detail, "id: missing");

    emu_fault("api", "GET", "/api/v1/files?", 1,
              "\"action\":\"rewrite_json\",\"set\":{\"next_cursor\":7}");
    memset(&p, 0, sizeof p);
    p.space_id = fx_space();
    p.limit = 4;
    assert_int_equal(fx_run(fc_files_list(FX, &p, items, 4, &page)), FC_ERR_JSON);
    assert_string_equal(err(FX)->detail, "next_cursor: not a string");
    assert_int_equal(page.has_more, 0);
    assert_string_equal(page.next_cursor, "");

    emu_fault("api", "POST", "/api/v1/shares", 1, "\"action\":\"rewrite_json\",\"drop\":[\"url\"]");
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, -1, NULL, &sh)), FC_ERR_JSON);
    assert_string_equal(err(FX)->detail, "url: missing");
    emu_clear_faults();

    assert_int_equal(fx_run(fc_files_delete(FX, f.id, NULL)), FC_OK);
    assert_int_equal(fx_run(fc_gdpr_purge_trash(FX, NULL)), FC_OK);
}

/* ---- 429 ------------------------------------------------------------------------------------ */

static void test_429_then_retry_succeeds(void **state)
{
    fc_me me;
    int i, retried = 0;
    (void)state;
    fx_admin_limits(-1, -1, 3);
    for (i = 0; i < 6; i++) {
        /* Past the limit the engine waits Retry-After and tries again. */
        FX->cfg.retry.max_attempts = 3;
        FX->cfg.retry.retry_after_max_s = 60;
        assert_int_equal(fx_run(fc_me_get(FX, &me)), FC_OK);
        retried |= err(FX)->attempts > 1 && err(FX)->retry_after_s > 0;
    }
    assert_true(retried);
    fx_admin_limits(-1, -1, 0);

    /* The same 429 with retries off is reported, with its Retry-After. */
    emu_fault("api", "GET", "/api/v1/quota", 1,
              "\"action\":\"status\",\"status\":429,\"retry_after\":1");
    FX->cfg.retry.max_attempts = 1;
    {
        fc_quota q;
        assert_int_equal(fx_run(fc_quota_get(FX, &q)), FC_ERR_RATE_LIMITED);
        assert_int_equal(err(FX)->http_status, 429);
        assert_int_equal(err(FX)->retry_after_s, 1);
    }
    FX->cfg.retry.max_attempts = FC_CONFIG_RETRY_MAX_ATTEMPTS;
    emu_clear_faults();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_401_missing_bad_revoked),
        cmocka_unit_test(test_403_insufficient_scope),
        cmocka_unit_test(test_403_feature_not_in_plan),
        cmocka_unit_test(test_404_unknown_ids),
        cmocka_unit_test(test_404_across_tenants),
        cmocka_unit_test(test_409_before_clean),
        cmocka_unit_test(test_402_storage_and_links),
        cmocka_unit_test(test_422_validation),
        cmocka_unit_test(test_429_then_retry_succeeds),
        cmocka_unit_test(test_bad_answers_name_the_field),
        cmocka_unit_test(test_422_names_the_field),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
