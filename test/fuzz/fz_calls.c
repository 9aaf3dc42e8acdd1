/* SPDX-License-Identifier: MIT */
/* fz_calls.c - see fz_calls.h. */
#include "fz_calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_net.h"

#define S(field) fz_check_str((field), sizeof(field), #field)
#define T(field) fz_check_str((field).text, sizeof((field).text), #field)

static void fz_need_id(const char *id, const char *what)
{
    if (id[0] == '\0') {
        fz_fail("empty-id", "FC_OK with an empty required %s", what);
    }
}

static void fz_check_space(const fc_space *s)
{
    S(s->id);
    S(s->tenant_id);
    S(s->name);
    S(s->app);
    T(s->created_at);
    T(s->updated_at);
    fz_need_id(s->id, "space id");
}

static void fz_check_folder(const fc_folder *f)
{
    S(f->id);
    S(f->tenant_id);
    S(f->space_id);
    S(f->parent_id);
    S(f->name);
    T(f->created_at);
    T(f->updated_at);
    T(f->deleted_at);
    fz_need_id(f->id, "folder id");
}

static void fz_check_file(const fc_file *f)
{
    S(f->id);
    S(f->tenant_id);
    S(f->space_id);
    S(f->folder_id);
    S(f->source_app);
    S(f->client_key);
    S(f->original_name);
    S(f->name);
    S(f->mime);
    S(f->sha256);
    S(f->scan_status.raw);
    S(f->status.raw);
    S(f->created_by);
    T(f->created_at);
    T(f->updated_at);
    T(f->deleted_at);
    fz_need_id(f->id, "file id");
}

static void fz_check_share(const fc_share *s, int with_url)
{
    S(s->id);
    S(s->file_id);
    S(s->permission);
    T(s->expires_at);
    T(s->created_at);
    S(s->url);
    fz_need_id(s->id, "share id");
    if (with_url && s->url[0] == '\0') {
        fz_fail("share-no-url", "shares.create FC_OK without a url");
    }
}

/* ---- list callbacks --------------------------------------------------------------- */

static fc_err fz_on_folder(void *ctx, const void *item)
{
    fz_call *call = ctx;
    fz_check_folder(item);
    call->items_seen++;
    return (call->items_seen & 7u) == 7u ? FC_ERR_CANCELLED : FC_OK; /* stop now and then */
}

static fc_err fz_sink(void *ctx, const uint8_t *data, size_t len)
{
    fz_call *call = ctx;
    if (len == 0) {
        fz_fail("sink", "sink called with 0 bytes");
    }
    (void)data;
    call->sink_bytes += len;
    return FC_OK;
}

static void *fz_out(fz_call *call, size_t size)
{
    call->out = malloc(size);
    call->out_size = size;
    memset(call->out, 0xA5, size); /* stale junk: decoders must write every field */
    return call->out;
}

fc_err fz_call_start(fc_client *c, fz_call *call, int kind, size_t cap)
{
    memset(call, 0, sizeof *call);
    call->kind = kind;
    call->cap = cap;
    call->page = malloc(sizeof *call->page);
    memset(call->page, 0xA5, sizeof *call->page);
    call->params.limit = (unsigned)cap;
    switch (kind) {
    case FZ_ME: return fc_me_get(c, fz_out(call, sizeof(fc_me)));
    case FZ_QUOTA: return fc_quota_get(c, fz_out(call, sizeof(fc_quota)));
    case FZ_SPACES_LIST:
        return fc_spaces_list(c, &call->params, fz_out(call, cap * sizeof(fc_space)), cap,
                              call->page);
    case FZ_SPACES_CREATE:
        return fc_spaces_create(c, "Cam \"1\"\n", NULL, fz_out(call, sizeof(fc_space)));
    case FZ_SPACES_GET: return fc_spaces_get(c, "s 1/..", fz_out(call, sizeof(fc_space)));
    case FZ_FOLDERS_LIST:
        call->params.space_id = "s1";
        call->params.trashed = 1;
        return fc_folders_list(c, &call->params, fz_out(call, cap * sizeof(fc_folder)), cap,
                               call->page);
    case FZ_FOLDERS_GET: return fc_folders_get(c, "d1", fz_out(call, sizeof(fc_folder)));
    case FZ_FOLDERS_STATS: return fc_folders_stats(c, "d1", fz_out(call, sizeof(fc_folder_stats)));
    case FZ_FILES_LIST:
        call->params.space_id = "s1";
        call->params.cursor = "c&=";
        return fc_files_list(c, &call->params, fz_out(call, cap * sizeof(fc_file)), cap,
                             call->page);
    case FZ_FILES_GET: return fc_files_get(c, "f1", fz_out(call, sizeof(fc_file)));
    case FZ_FILES_DELETE: return fc_files_delete(c, "f1", NULL);
    case FZ_FILES_DOWNLOAD:
        return fc_files_download_url(c, "f1", fz_out(call, sizeof(fc_signed_url)));
    case FZ_SHARES_CREATE:
        return fc_shares_create(c, "f1", (int)(cap % 3) - 1, NULL, fz_out(call, sizeof(fc_share)));
    case FZ_SHARES_LIST:
        call->params.file_id = "f1";
        return fc_shares_list(c, &call->params, fz_out(call, cap * sizeof(fc_share)), cap,
                              call->page);
    case FZ_FILES_RESTORE: return fc_files_restore(c, "f1", fz_out(call, sizeof(fc_file)));
    case FZ_IMPORT: {
        static const fc_import_params p = {"http://localhost/x.jpg", "s1", NULL, "x", NULL};
        return fc_uploads_import_url(c, &p, fz_out(call, sizeof(fc_file)));
    }
    case FZ_LIST_ON_ITEM:
        call->params.on_item = fz_on_folder;
        call->params.ctx = call;
        call->params.space_id = "s1";
        return fc_folders_list(c, &call->params, fz_out(call, sizeof(fc_folder)), 0, call->page);
    default:
        call->dl.url = "http://" FZ_STORAGE_HOST ":8080/o/k?sig=1";
        call->dl.sink = fz_sink;
        call->dl.sink_ctx = call;
        call->dl.offset = cap;
        return fc_download_start(c, &call->dl);
    }
}

static void fz_check_page(const fz_call *call, size_t size)
{
    size_t i;
    fz_check_str(call->page->next_cursor, sizeof call->page->next_cursor, "next_cursor");
    if (call->page->count > call->cap) {
        fz_fail("list-count", "page count %zu above the capacity %zu", call->page->count,
                call->cap);
    }
    for (i = 0; i < call->page->count; i++) {
        const char *item = (const char *)call->out + i * size;
        switch (call->kind) {
        case FZ_SPACES_LIST: fz_check_space((const fc_space *)item); break;
        case FZ_FOLDERS_LIST: fz_check_folder((const fc_folder *)item); break;
        case FZ_FILES_LIST: fz_check_file((const fc_file *)item); break;
        default: {
            const fc_share *s = (const fc_share *)item;
            fz_check_share(s, 0);
            break;
        }
        }
    }
}

void fz_call_check(fz_call *call, fc_err r)
{
    if (r == FC_OK) {
        switch (call->kind) {
        case FZ_ME: {
            const fc_me *m = call->out;
            S(m->tenant_id);
            S(m->key_id);
            S(m->mode);
            S(m->scopes);
            break;
        }
        case FZ_QUOTA: {
            const fc_quota *q = call->out;
            size_t i;
            if (q->by_app_count > FC_QUOTA_APPS_MAX) {
                fz_fail("list-count", "by_app_count %zu", q->by_app_count);
            }
            for (i = 0; i < q->by_app_count && i < FC_QUOTA_APPS_MAX; i++) {
                S(q->by_app[i].app);
            }
            break;
        }
        case FZ_SPACES_LIST: fz_check_page(call, sizeof(fc_space)); break;
        case FZ_FOLDERS_LIST: fz_check_page(call, sizeof(fc_folder)); break;
        case FZ_FILES_LIST: fz_check_page(call, sizeof(fc_file)); break;
        case FZ_SHARES_LIST: fz_check_page(call, sizeof(fc_share)); break;
        case FZ_SPACES_CREATE:
        case FZ_SPACES_GET: fz_check_space(call->out); break;
        case FZ_FOLDERS_GET: fz_check_folder(call->out); break;
        case FZ_FOLDERS_STATS: {
            const fc_folder_stats *s = call->out;
            S(s->folder_id);
            break;
        }
        case FZ_FILES_GET:
        case FZ_IMPORT: fz_check_file(call->out); break;
        case FZ_FILES_DOWNLOAD: {
            const fc_signed_url *u = call->out;
            S(u->url);
            T(u->expires_at);
            fz_need_id(u->url, "signed url");
            break;
        }
        case FZ_SHARES_CREATE: fz_check_share(call->out, 1); break;
        case FZ_LIST_ON_ITEM:
            fz_check_str(call->page->next_cursor, sizeof call->page->next_cursor, "next_cursor");
            break;
        default: break;
        }
    } else if (call->kind == FZ_SPACES_LIST || call->kind == FZ_FOLDERS_LIST ||
               call->kind == FZ_FILES_LIST || call->kind == FZ_SHARES_LIST) {
        /* A failed list must not hand out a cursor to a next page. */
        if (call->page->next_cursor[0] != '\0' &&
            (unsigned char)call->page->next_cursor[0] != 0xA5) {
            fz_fail("list-cursor", "failed list (%s) leaves next_cursor '%.*s'", fc_err_str(r),
                    (int)sizeof call->page->next_cursor, call->page->next_cursor);
        }
    }
    free(call->out);
    free(call->page);
    call->out = NULL;
    call->page = NULL;
}

/* ---- well-formed answers ------------------------------------------------------------- */

#define FZ_HTTP_OK(body) \
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n" body

#define FZ_FILE_JSON                                                                      \
    "{\"id\":\"8f4b0c2a-3d1e-4a9f-9c77-2b6e5a1d0e44\",\"tenant_id\":\"t1\",\"space_id\":" \
    "\"s1\",\"folder_id\":null,\"source_app\":\"fluidcloud\",\"client_key\":\"cam/1\","   \
    "\"original_name\":\"frame.jpg\",\"name\":\"frame.jpg\",\"mime\":\"image/jpeg\","     \
    "\"size\":1234,\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b" \
    "7852b855\",\"scan_status\":\"clean\",\"status\":\"ready\",\"created_by\":\"k1\","    \
    "\"created_at\":\"2026-06-23T14:05:00Z\",\"updated_at\":\"2026-06-23T14:05:01Z\","    \
    "\"deleted_at\":null}"

static const char *const k_answers[FZ_CALLS] = {
    "{\"tenant_id\":\"t1\",\"key_id\":\"k1\",\"mode\":\"live\",\"scopes\":[\"files:read\","
    "\"files:write\"]}",
    "{\"bytes_used\":10,\"bytes_limit\":-1,\"links_used\":0,\"links_limit\":5,\"by_app\":"
    "[{\"app\":\"fluidcloud\",\"bytes\":10,\"files\":1}]}",
    "{\"items\":[{\"id\":\"s1\",\"tenant_id\":\"t1\",\"name\":\"My files\",\"app\":"
    "\"fluidcloud\",\"created_at\":\"2026-06-23T14:05:00Z\",\"updated_at\":null}],"
    "\"next_cursor\":\"abc\"}",
    "{\"id\":\"s2\",\"tenant_id\":\"t1\",\"name\":\"Cam\",\"app\":\"fluidcloud\","
    "\"created_at\":\"2026-06-23T14:05:00Z\",\"updated_at\":\"2026-06-23T14:05:00Z\"}",
    "{\"id\":\"s1\",\"name\":\"My files\"}",
    "{\"items\":[{\"id\":\"d1\",\"space_id\":\"s1\",\"parent_id\":null,\"name\":\"a\","
    "\"deleted_at\":\"2026-06-23T14:05:00Z\"}],\"next_cursor\":null}",
    "{\"id\":\"d1\",\"space_id\":\"s1\",\"parent_id\":\"d0\",\"name\":\"b\"}",
    "{\"folder_id\":\"d1\",\"file_count\":3,\"total_bytes\":9000}",
    "{\"items\":[" FZ_FILE_JSON "],\"next_cursor\":null}",
    FZ_FILE_JSON,
    NULL,
    "{\"url\":\"https://" FZ_STORAGE_HOST
    "/o/k?X-Fc-Signature=ab\",\"expires_at\":"
    "\"2026-06-23T15:05:00Z\"}",
    "{\"id\":\"h1\",\"file_id\":\"f1\",\"permission\":\"view\",\"expires_at\":null,"
    "\"created_at\":\"2026-06-23T14:05:00Z\",\"url\":\"https://files.test/s/Tok\"}",
    "{\"items\":[{\"id\":\"h1\",\"file_id\":\"f1\",\"permission\":\"view\"}],"
    "\"next_cursor\":null}",
    FZ_FILE_JSON,
    FZ_FILE_JSON,
    "{\"items\":[{\"id\":\"d1\"},{\"id\":\"d2\"}],\"next_cursor\":null}",
    NULL,
};

const char *fz_call_answer(int kind)
{
    static char text[4096];
    const char *body = kind >= 0 && kind < FZ_CALLS ? k_answers[kind] : NULL;
    if (kind == FZ_FILES_DELETE) {
        return "HTTP/1.1 204 No Content\r\n\r\n";
    }
    if (body == NULL) {
        return "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    }
    snprintf(text, sizeof text, FZ_HTTP_OK("%s"), strlen(body), body);
    return text;
}
