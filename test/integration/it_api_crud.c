/* SPDX-License-Identifier: MIT */
/*
 * it_api_crud.c - the success paths of every endpoint against the local
 * emulator over TLS: spaces, folders, files, shares, quota, me, imports,
 * GDPR purges; pagination across several pages in both delivery modes;
 * idempotent deletes and revokes; a nasty name round-tripping exactly.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fc_api_fixture.h"
#include "fc_emu_admin.h"

/* Quotes, backslash, control characters, 2-, 3- and 4-byte UTF-8. */
static const char k_nasty[] = "q\"uo\\te\t\x01\x1f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7 end";
/* Folder names must not hold '/', '\\' or '..' (the contract): the rest. */
static const char k_nasty_folder[] =
    "q\"uo'te\t\x01\x1f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7 end";
static const char k_body[] = "hello from it_api_crud\n";

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
    assert_int_equal(emu_leaked_keys(), 0);
    fx_free();
    return 0;
}

static void test_me(void **state)
{
    fc_me me;
    (void)state;
    assert_int_equal(fx_run(fc_me_get(FX, &me)), FC_OK);
    assert_true(me.tenant_id[0] != '\0');
    assert_true(strcmp(me.mode, "test") == 0 || strcmp(me.mode, "live") == 0);
    assert_non_null(strstr(me.scopes, "files:write"));
}

static void test_spaces(void **state)
{
    fc_space items[8], s, got;
    fc_page page;
    (void)state;
    assert_int_equal(fx_run(fc_spaces_list(FX, NULL, items, 8, &page)), FC_OK);
    assert_true(page.count >= 1);
    assert_string_equal(items[0].name, "My files"); /* oldest first */

    /* The nasty name survives create and get exactly. */
    assert_int_equal(fx_run(fc_spaces_create(FX, k_nasty, NULL, &s)), FC_OK);
    assert_string_equal(s.name, k_nasty);
    assert_true(s.created_at.epoch_s > 1700000000);
    assert_int_equal(fx_run(fc_spaces_get(FX, s.id, &got)), FC_OK);
    assert_string_equal(got.name, k_nasty);
    assert_string_equal(got.id, s.id);

    assert_int_equal(fx_run(fc_spaces_rename(FX, s.id, "renamed \xc3\xa9", &got)), FC_OK);
    assert_string_equal(got.name, "renamed \xc3\xa9");
    assert_int_equal(fx_run(fc_spaces_get(FX, s.id, &got)), FC_OK);
    assert_string_equal(got.name, "renamed \xc3\xa9");

    /* Deletes are idempotent: gone already succeeds the same way. */
    assert_int_equal(fx_run(fc_spaces_delete(FX, s.id)), FC_OK);
    assert_int_equal(fx_run(fc_spaces_delete(FX, s.id)), FC_OK);
    assert_int_equal(fx_run(fc_spaces_get(FX, s.id, &got)), FC_ERR_NOT_FOUND);
}

static void test_folders(void **state)
{
    const char *space = fx_space();
    fc_folder a, b, got, items[16];
    fc_folder_stats st;
    fc_list_params p;
    fc_page page;
    size_t i;
    int found = 0;
    (void)state;
    assert_int_equal(fx_run(fc_folders_create(FX, space, fx_name("fa"), NULL, &a)), FC_OK);
    assert_string_equal(a.parent_id, "");
    assert_string_equal(a.space_id, space);
    assert_int_equal(fx_run(fc_folders_create(FX, space, k_nasty_folder, a.id, &b)), FC_OK);
    assert_string_equal(b.parent_id, a.id);
    assert_int_equal(fx_run(fc_folders_get(FX, b.id, &got)), FC_OK);
    assert_string_equal(got.name, k_nasty_folder);

    assert_int_equal(fx_run(fc_folders_rename(FX, b.id, "b2", &got)), FC_OK);
    assert_string_equal(got.name, "b2");
    assert_int_equal(fx_run(fc_folders_move(FX, b.id, NULL, &got)), FC_OK);
    assert_string_equal(got.parent_id, "");
    assert_int_equal(fx_run(fc_folders_move(FX, b.id, a.id, &got)), FC_OK);
    assert_string_equal(got.parent_id, a.id);

    memset(&p, 0, sizeof p);
    p.space_id = space;
    p.parent_id = a.id;
    assert_int_equal(fx_run(fc_folders_list(FX, &p, items, 16, &page)), FC_OK);
    assert_int_equal(page.count, 1);
    assert_string_equal(items[0].id, b.id);

    assert_int_equal(fx_run(fc_folders_stats(FX, a.id, &st)), FC_OK);
    assert_string_equal(st.folder_id, a.id);
    assert_true(st.file_count >= 0 && st.total_bytes >= 0);

    /* To the trash (twice: idempotent), seen in the trash, and back. The
     * emulator answers a soft delete with the record (issue 15.5). */
    memset(&got, 0, sizeof got);
    assert_int_equal(fx_run(fc_folders_delete(FX, a.id, &got)), FC_OK);
    assert_string_equal(got.id, a.id);
    assert_true(got.deleted_at.epoch_s > 0);
    assert_int_equal(fx_run(fc_folders_delete(FX, a.id, NULL)), FC_OK);
    p.parent_id = NULL;
    p.trashed = 1;
    assert_int_equal(fx_run(fc_folders_list(FX, &p, items, 16, &page)), FC_OK);
    for (i = 0; i < page.count; i++) {
        found |= strcmp(items[i].id, a.id) == 0 && items[i].deleted_at.epoch_s > 0;
    }
    assert_true(found);
    assert_int_equal(fx_run(fc_folders_restore(FX, a.id, &got)), FC_OK);
    assert_int_equal(fx_run(fc_folders_get(FX, a.id, &got)), FC_OK);
    assert_string_equal(got.deleted_at.text, "");
}

typedef struct collect {
    int n;
    char ids[32][FC_ID_MAX];
} collect;

static fc_err on_folder(void *ctx, const void *item)
{
    collect *c = ctx;
    const fc_folder *f = item;
    assert_true(c->n < 32);
    memcpy(c->ids[c->n++], f->id, FC_ID_MAX);
    return FC_OK;
}

static void test_pagination(void **state)
{
    fc_space s;
    fc_folder made[7], items[3], scratch;
    fc_list_params p;
    fc_page page;
    collect viaarray, viacb;
    char cursor[FC_CURSOR_MAX];
    int i, pages = 0, j;
    (void)state;
    assert_int_equal(fx_run(fc_spaces_create(FX, fx_name("paged"), NULL, &s)), FC_OK);
    for (i = 0; i < 7; i++) {
        assert_int_equal(fx_run(fc_folders_create(FX, s.id, fx_name("p"), NULL, &made[i])), FC_OK);
    }
    /* Caller array, three per page: 3 + 3 + 1, cursors passed back. */
    memset(&p, 0, sizeof p);
    memset(&viaarray, 0, sizeof viaarray);
    p.space_id = s.id;
    p.limit = 3;
    do {
        assert_int_equal(fx_run(fc_folders_list(FX, &p, items, 3, &page)), FC_OK);
        for (j = 0; j < (int)page.count; j++) {
            memcpy(viaarray.ids[viaarray.n++], items[j].id, FC_ID_MAX);
        }
        pages++;
        memcpy(cursor, page.next_cursor, sizeof cursor);
        p.cursor = cursor;
    } while (page.has_more);
    assert_int_equal(pages, 3);
    assert_int_equal(viaarray.n, 7);
    assert_string_equal(page.next_cursor, "");

    /* The callback mode sees the same items in the same order. */
    memset(&viacb, 0, sizeof viacb);
    p.cursor = NULL;
    p.on_item = on_folder;
    p.ctx = &viacb;
    do {
        assert_int_equal(fx_run(fc_folders_list(FX, &p, &scratch, 1, &page)), FC_OK);
        memcpy(cursor, page.next_cursor, sizeof cursor);
        p.cursor = cursor;
    } while (page.has_more);
    assert_int_equal(viacb.n, 7);
    for (i = 0; i < 7; i++) {
        assert_string_equal(viacb.ids[i], viaarray.ids[i]);
    }
    for (i = 0; i < 7; i++) { /* every folder made, each listed once */
        int hits = 0;
        for (j = 0; j < 7; j++) {
            hits += strcmp(made[i].id, viaarray.ids[j]) == 0;
        }
        assert_int_equal(hits, 1);
    }
    /* A page larger than the array says how many it holds. */
    p.on_item = NULL;
    p.cursor = NULL;
    p.limit = 5;
    assert_int_equal(fx_run(fc_folders_list(FX, &p, items, 3, &page)), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_client_error(FX)->needed, 5);
    assert_int_equal(fx_run(fc_spaces_delete(FX, s.id)), FC_OK);
}

static void test_files(void **state)
{
    const char *space = fx_space();
    const char *key = fx_name("cam/shot");
    fc_folder dir;
    fc_file f, got, items[32];
    fc_signed_url url;
    fc_list_params p;
    fc_page page;
    size_t i;
    int found = 0;
    (void)state;
    assert_int_equal(fx_run(fc_folders_create(FX, space, fx_name("fd"), NULL, &dir)), FC_OK);
    fx_upload(k_nasty, k_body, sizeof k_body - 1, space, dir.id, key, 1, &f);
    assert_int_equal(f.scan_status.value, FC_SCAN_CLEAN);

    assert_int_equal(fx_run(fc_files_get(FX, f.id, &got)), FC_OK);
    assert_string_equal(got.name, k_nasty);
    assert_string_equal(got.folder_id, dir.id);
    assert_string_equal(got.client_key, key);
    assert_int_equal(got.size, (int64_t)(sizeof k_body - 1));
    assert_int_equal(strlen(got.sha256), 64);
    assert_int_equal(got.scan_status.value, FC_SCAN_CLEAN);
    assert_int_equal(got.status.value, FC_FILE_STATUS_READY);
    assert_true(got.created_at.epoch_s > 1700000000);

    assert_int_equal(fx_run(fc_files_resolve(FX, key, space, &got)), FC_OK);
    assert_string_equal(got.id, f.id);
    assert_int_equal(fx_run(fc_files_rename(FX, f.id, "renamed.txt", &got)), FC_OK);
    assert_string_equal(got.name, "renamed.txt");
    assert_int_equal(fx_run(fc_files_move(FX, f.id, NULL, &got)), FC_OK);
    assert_string_equal(got.folder_id, "");
    assert_int_equal(fx_run(fc_files_move(FX, f.id, dir.id, &got)), FC_OK);
    assert_string_equal(got.folder_id, dir.id);

    assert_int_equal(fx_run(fc_files_download_url(FX, f.id, &url)), FC_OK);
    assert_true(strncmp(url.url, "https://", 8) == 0);
    assert_true(url.expires_at.epoch_s > (int64_t)time(NULL));
    assert_int_equal(fx_run(fc_files_preview_url(FX, f.id, &url)), FC_OK);
    assert_true(url.url[0] != '\0');

    memset(&p, 0, sizeof p);
    p.space_id = space;
    p.folder_id = dir.id;
    assert_int_equal(fx_run(fc_files_list(FX, &p, items, 32, &page)), FC_OK);
    assert_int_equal(page.count, 1);
    assert_string_equal(items[0].id, f.id);

    /* Soft delete (idempotent, the record comes back), in the trash,
     * restored. */
    memset(&got, 0, sizeof got);
    assert_int_equal(fx_run(fc_files_delete(FX, f.id, &got)), FC_OK);
    assert_string_equal(got.id, f.id);
    assert_true(got.deleted_at.epoch_s > 0);
    assert_int_equal(fx_run(fc_files_delete(FX, f.id, NULL)), FC_OK);
    p.folder_id = NULL;
    p.trashed = 1;
    assert_int_equal(fx_run(fc_files_list(FX, &p, items, 32, &page)), FC_OK);
    for (i = 0; i < page.count; i++) {
        found |= strcmp(items[i].id, f.id) == 0;
    }
    assert_true(found);
    assert_int_equal(fx_run(fc_files_restore(FX, f.id, &got)), FC_OK);
    assert_int_equal(fx_run(fc_files_get(FX, f.id, &got)), FC_OK);
    assert_string_equal(got.deleted_at.text, "");

    /* GDPR purge: gone for good. */
    assert_int_equal(fx_run(fc_gdpr_purge_file(FX, f.id)), FC_OK);
    assert_int_equal(fx_run(fc_files_get(FX, f.id, &got)), FC_ERR_NOT_FOUND);
}

static void test_shares(void **state)
{
    fc_file f;
    fc_share perm, exp, got, items[8];
    fc_list_params p;
    fc_page page;
    (void)state;
    fx_upload(fx_name("share.txt"), k_body, sizeof k_body - 1, NULL, NULL, NULL, 1, &f);

    assert_int_equal(fx_run(fc_shares_create(FX, f.id, -1, NULL, &perm)), FC_OK);
    assert_string_equal(perm.file_id, f.id);
    assert_string_equal(perm.expires_at.text, "");
    assert_non_null(strstr(perm.url, "/s/"));
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, 7, "view", &exp)), FC_OK);
    assert_string_equal(exp.permission, "view");
    assert_true(exp.expires_at.epoch_s > (int64_t)time(NULL) + 6 * 86400);

    memset(&p, 0, sizeof p);
    p.file_id = f.id;
    assert_int_equal(fx_run(fc_shares_list(FX, &p, items, 8, &page)), FC_OK);
    assert_int_equal(page.count, 2);
    assert_string_equal(items[0].url, ""); /* the link comes only with create */
    assert_int_equal(fx_run(fc_shares_get(FX, exp.id, &got)), FC_OK);
    assert_string_equal(got.id, exp.id);
    assert_string_equal(got.url, "");

    /* Revokes are idempotent. */
    assert_int_equal(fx_run(fc_shares_revoke(FX, exp.id)), FC_OK);
    assert_int_equal(fx_run(fc_shares_revoke(FX, exp.id)), FC_OK);
    assert_int_equal(fx_run(fc_shares_revoke(FX, perm.id)), FC_OK);
    assert_int_equal(fx_run(fc_shares_list(FX, &p, items, 8, &page)), FC_OK);
    assert_int_equal(page.count, 0);
}

static void test_quota(void **state)
{
    fc_quota q;
    fc_file f;
    int64_t before;
    (void)state;
    assert_int_equal(fx_run(fc_quota_get(FX, &q)), FC_OK);
    before = q.bytes_used;
    fx_upload(fx_name("q.txt"), k_body, sizeof k_body - 1, NULL, NULL, NULL, 0, &f);
    assert_int_equal(fx_run(fc_quota_get(FX, &q)), FC_OK);
    assert_int_equal(q.bytes_used, before + (int64_t)(sizeof k_body - 1));
    assert_true(q.bytes_limit != 0);
    assert_true(q.by_app_count >= 1);
}

static void test_import_and_trash_purge(void **state)
{
    const char *space = fx_space();
    fc_file f, imported;
    fc_share link;
    fc_import_params ip;
    (void)state;
    /* Import from a raw link of our own: a URL the emulator can fetch. */
    fx_upload(fx_name("src.txt"), k_body, sizeof k_body - 1, NULL, NULL, NULL, 1, &f);
    assert_int_equal(fx_run(fc_shares_create(FX, f.id, -1, NULL, &link)), FC_OK);
    memset(&ip, 0, sizeof ip);
    ip.url = link.url;
    ip.space_id = space;
    ip.name = "imported.txt";
    ip.client_key = fx_name("imp");
    assert_int_equal(fx_run(fc_uploads_import_url(FX, &ip, &imported)), FC_OK);
    assert_true(imported.id[0] != '\0');
    assert_string_equal(imported.name, "imported.txt");
    assert_string_equal(imported.client_key, ip.client_key);

    assert_int_equal(fx_run(fc_files_delete(FX, f.id, NULL)), FC_OK);
    assert_int_equal(fx_run(fc_gdpr_purge_trash(FX, space)), FC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_me),      cmocka_unit_test(test_spaces),
        cmocka_unit_test(test_folders), cmocka_unit_test(test_pagination),
        cmocka_unit_test(test_files),   cmocka_unit_test(test_shares),
        cmocka_unit_test(test_quota),   cmocka_unit_test(test_import_and_trash_purge),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
