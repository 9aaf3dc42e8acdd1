/* SPDX-License-Identifier: MIT */
/*
 * fc_api.h - every FluidCloud Partner API endpoint as a typed call.
 *
 * Names follow the official SDKs (fc.spaces.list() -> fc_spaces_list()).
 * Each call only STARTS an operation: it returns FC_AGAIN when started,
 * or an error at once (FC_ERR_INVALID_ARG for a NULL/empty required
 * argument, FC_ERR_BUSY when the client runs another operation). Then
 * drive the client with fc_poll() / fc_run() (fc_client.h); the result
 * lands in the caller's struct when the operation ends with FC_OK, and
 * fc_client_error() tells why it failed otherwise:
 *
 *     fc_space s;
 *     fc_err r = fc_spaces_get(&client, id, &s);
 *     if (r == FC_AGAIN) r = fc_run(&client, fc_posix_wait_fn, NULL);
 *
 * Lifetimes: every string argument and every output struct must stay valid
 * until the operation ended (the request may be written again on a retry).
 *
 * Results: fixed-size fields. Ids, keys, URLs, hashes, MIME types, times
 * and enum values are filled completely or the operation fails: a value
 * longer than its field is FC_ERR_BUFFER_TOO_SMALL with
 * fc_client_error()->needed set (the field size it needs, or the item
 * count for lists). Informational text (names, app, source_app,
 * created_by: the fields marked "cut") that does not fit is cut at a UTF-8
 * boundary instead, and its FC_*_CUT_* bit is set in the struct's `cut`. Unknown JSON fields are
 * ignored, missing optional ones read as "" / 0, a missing id is FC_ERR_JSON.
 * Nullable ids read as "" when null. Timestamps keep their text and its
 * seconds since the Unix epoch (0 when null).
 *
 * Errors of every call (see fc_error.h): FC_ERR_AUTH 401, FC_ERR_QUOTA 402,
 * FC_ERR_PERMISSION 403 (error->code "insufficient_scope" with
 * error->missing / error->required, or "feature_not_in_plan"),
 * FC_ERR_NOT_FOUND 404 (not found, or another tenant's id),
 * FC_ERR_CONFLICT 409 (file not clean yet), FC_ERR_VALIDATION 422,
 * FC_ERR_RATE_LIMITED 429 once the automatic retries are spent, and the
 * transport/TLS/timeout errors. error->detail has the server's message.
 *
 * The field sizes below are FC_*_MAX macros; define them on the compiler
 * line to trade RAM for longer names.
 */
#ifndef FLUIDCLOUD_FC_API_H
#define FLUIDCLOUD_FC_API_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef FC_ID_MAX
#define FC_ID_MAX 40 /* a UUID (36) + NUL, with room to spare */
#endif
#ifndef FC_NAME_MAX
#define FC_NAME_MAX 256 /* names: bytes of UTF-8 + NUL */
#endif
#ifndef FC_CLIENT_KEY_MAX
#define FC_CLIENT_KEY_MAX 256
#endif
#ifndef FC_MIME_MAX
#define FC_MIME_MAX 128
#endif
#ifndef FC_APP_MAX
#define FC_APP_MAX 32 /* app / source_app / created_by / mode */
#endif
#ifndef FC_TIME_MAX
#define FC_TIME_MAX 36 /* "2026-06-23T14:05:00.123456+00:00" + NUL */
#endif
#ifndef FC_ENUM_RAW_MAX
#define FC_ENUM_RAW_MAX 16 /* raw text of scan_status / status / permission */
#endif
#ifndef FC_SHA256_HEX_MAX
#define FC_SHA256_HEX_MAX 65
#endif
#ifndef FC_URL_MAX
#define FC_URL_MAX 512 /* a share's raw link */
#endif
#ifndef FC_SIGNED_URL_MAX
#define FC_SIGNED_URL_MAX 1280 /* presigned storage URLs run to ~1 kB */
#endif
#ifndef FC_CURSOR_MAX
#define FC_CURSOR_MAX 256
#endif
#ifndef FC_SCOPES_MAX
#define FC_SCOPES_MAX 160 /* the scopes of a key, space separated */
#endif
#ifndef FC_QUOTA_APPS_MAX
#define FC_QUOTA_APPS_MAX 8 /* entries of quota.by_app kept */
#endif

/* An ISO-8601 UTC timestamp: the text as sent, and its Unix seconds.
 * Both are "" / 0 when the value is null or absent. */
typedef struct fc_time {
    char text[FC_TIME_MAX];
    int64_t epoch_s;
} fc_time;

/* scan_status: anything but pending and clean is a failed scan. */
typedef enum fc_scan_status {
    FC_SCAN_UNKNOWN = 0, /* absent, or a value this client does not know */
    FC_SCAN_PENDING,
    FC_SCAN_CLEAN,
    FC_SCAN_INFECTED,
    FC_SCAN_ERROR
} fc_scan_status;

typedef struct fc_scan {
    fc_scan_status value;
    char raw[FC_ENUM_RAW_MAX]; /* the text as sent, e.g. "pending" */
} fc_scan;

/* 1 when the scan has ended in something other than clean. */
#define FC_SCAN_FAILED(s) \
    ((s).value != FC_SCAN_PENDING && (s).value != FC_SCAN_CLEAN && (s).raw[0] != '\0')

typedef enum fc_file_status {
    FC_FILE_STATUS_UNKNOWN = 0,
    FC_FILE_STATUS_DRAFT,
    FC_FILE_STATUS_READY
} fc_file_status;

typedef struct fc_status {
    fc_file_status value;
    char raw[FC_ENUM_RAW_MAX];
} fc_status;

/* GET /me: who the key is. scopes are space separated. */
typedef struct fc_me {
    char tenant_id[FC_ID_MAX];
    char key_id[FC_ID_MAX];
    char mode[FC_APP_MAX]; /* "live" or "test" */
    char scopes[FC_SCOPES_MAX];
} fc_me;

typedef struct fc_space {
    char id[FC_ID_MAX];
    char tenant_id[FC_ID_MAX];
    char name[FC_NAME_MAX]; /* cut */
    char app[FC_APP_MAX];   /* cut */
    fc_time created_at;
    fc_time updated_at;
    uint8_t cut; /* FC_SPACE_CUT_*: the fields cut to fit */
} fc_space;
#define FC_SPACE_CUT_NAME 0x01u
#define FC_SPACE_CUT_APP  0x02u

typedef struct fc_folder {
    char id[FC_ID_MAX];
    char tenant_id[FC_ID_MAX];
    char space_id[FC_ID_MAX];
    char parent_id[FC_ID_MAX]; /* "" at the space root */
    char name[FC_NAME_MAX];    /* cut */
    fc_time created_at;
    fc_time updated_at;
    fc_time deleted_at; /* set while in the trash */
    uint8_t cut;        /* FC_FOLDER_CUT_*: the fields cut to fit */
} fc_folder;
#define FC_FOLDER_CUT_NAME 0x01u

typedef struct fc_file {
    char id[FC_ID_MAX];
    char tenant_id[FC_ID_MAX];
    char space_id[FC_ID_MAX];
    char folder_id[FC_ID_MAX];          /* "" at the space root */
    char source_app[FC_APP_MAX];        /* cut */
    char client_key[FC_CLIENT_KEY_MAX]; /* "" when none */
    char original_name[FC_NAME_MAX];    /* cut */
    char name[FC_NAME_MAX];             /* cut */
    char mime[FC_MIME_MAX];
    int64_t size;
    char sha256[FC_SHA256_HEX_MAX];
    fc_scan scan_status;
    fc_status status;
    char created_by[FC_ID_MAX]; /* cut */
    fc_time created_at;
    fc_time updated_at;
    fc_time deleted_at;
    uint8_t cut; /* FC_FILE_CUT_*: the fields cut to fit */
} fc_file;
#define FC_FILE_CUT_NAME          0x01u
#define FC_FILE_CUT_ORIGINAL_NAME 0x02u
#define FC_FILE_CUT_SOURCE_APP    0x04u
#define FC_FILE_CUT_CREATED_BY    0x08u

typedef struct fc_folder_stats {
    char folder_id[FC_ID_MAX];
    int64_t file_count;
    int64_t total_bytes;
} fc_folder_stats;

/* A presigned storage GET (download / preview). Fetch it WITHOUT the API
 * key: it is a capability of its own. */
typedef struct fc_signed_url {
    char url[FC_SIGNED_URL_MAX];
    fc_time expires_at;
} fc_signed_url;

typedef struct fc_share {
    char id[FC_ID_MAX];
    char file_id[FC_ID_MAX];
    char permission[FC_ENUM_RAW_MAX]; /* "view" or "download" */
    fc_time expires_at;               /* "" / 0 for a permanent link */
    fc_time created_at;
    char url[FC_URL_MAX]; /* the raw link: create only, else "" */
} fc_share;

typedef struct fc_quota_app {
    char app[FC_APP_MAX]; /* cut */
    int64_t bytes;
    int64_t files;
    uint8_t cut; /* FC_QUOTA_APP_CUT_APP when app was cut to fit */
} fc_quota_app;
#define FC_QUOTA_APP_CUT_APP 0x01u

/* Limits below zero mean unlimited. */
typedef struct fc_quota {
    int64_t bytes_used;
    int64_t bytes_limit;
    int64_t links_used;
    int64_t links_limit;
    size_t by_app_count;
    fc_quota_app by_app[FC_QUOTA_APPS_MAX];
} fc_quota;

/* ---- lists ------------------------------------------------------------------ */

/*
 * Lists come page by page. Each list call fetches ONE page and delivers
 * its items either
 *  - into the caller's array items[0..cap) (page->count of them; a page
 *    with more than cap items fails with FC_ERR_BUFFER_TOO_SMALL and
 *    error->needed = its item count: pass a smaller limit), or
 *  - when on_item is set, one at a time: each item is decoded into
 *    items[0] (a single scratch struct; cap is ignored) and handed to
 *    on_item; a return other than FC_OK stops the list with that error.
 *    Pages larger than RAM for structs work this way.
 * The next page: set cursor = page->next_cursor (passed back verbatim)
 * while page->has_more. Filters that do not apply to a list are ignored.
 */
typedef struct fc_list_params {
    const char *space_id;  /* folders, files: the space */
    const char *parent_id; /* folders: the parent folder (NULL = any/root) */
    const char *folder_id; /* files: the folder */
    const char *file_id;   /* shares: the file */
    int trashed;           /* folders, files: 1 lists the trash */
    unsigned limit;        /* items per page; 0 = the server's default */
    const char *cursor;    /* NULL or "" for the first page */
    fc_err (*on_item)(void *ctx, const void *item);
    void *ctx;
} fc_list_params;

typedef struct fc_page {
    size_t count;                    /* items in this page */
    char next_cursor[FC_CURSOR_MAX]; /* "" on the last page */
    int has_more;                    /* 1 when another page follows */
} fc_page;

/* ---- me, quota ---------------------------------------------------------------- */

/* GET /me: the key's tenant, id, mode and scopes. */
fc_err fc_me_get(fc_client *c, fc_me *out);

/* GET /quota [quota:read]: storage and share-link usage and limits. A
 * by_app list longer than FC_QUOTA_APPS_MAX is FC_ERR_BUFFER_TOO_SMALL. */
fc_err fc_quota_get(fc_client *c, fc_quota *out);

/* ---- spaces ------------------------------------------------------------------- */

/* GET /spaces [spaces:read]: oldest first; the first call creates the
 * default space "My files". Filters of p are unused (p may be NULL). */
fc_err fc_spaces_list(fc_client *c, const fc_list_params *p, fc_space *items, size_t cap,
                      fc_page *page);
/* POST /spaces [spaces:write]: name 1-200 characters; app NULL for the
 * server's default. */
fc_err fc_spaces_create(fc_client *c, const char *name, const char *app, fc_space *out);
/* GET /spaces/{id} [spaces:read]. */
fc_err fc_spaces_get(fc_client *c, const char *space_id, fc_space *out);
/* PATCH /spaces/{id} {"name"} [spaces:write]. out may be NULL. */
fc_err fc_spaces_rename(fc_client *c, const char *space_id, const char *name, fc_space *out);
/* DELETE /spaces/{id} [spaces:write]: idempotent (gone already = FC_OK). */
fc_err fc_spaces_delete(fc_client *c, const char *space_id);

/* ---- folders ------------------------------------------------------------------ */

/* GET /folders?space_id=&parent_id=&trashed= [folders:read]. */
fc_err fc_folders_list(fc_client *c, const fc_list_params *p, fc_folder *items, size_t cap,
                       fc_page *page);
/* POST /folders [folders:write]: parent_id NULL = at the space root.
 * Names must not contain '/', '\' or ".." (FC_ERR_BAD_REQUEST/VALIDATION). */
fc_err fc_folders_create(fc_client *c, const char *space_id, const char *name,
                         const char *parent_id, fc_folder *out);
/* GET /folders/{id} [folders:read]. */
fc_err fc_folders_get(fc_client *c, const char *folder_id, fc_folder *out);
/* PATCH /folders/{id} {"name"} [folders:write]. out may be NULL. */
fc_err fc_folders_rename(fc_client *c, const char *folder_id, const char *name, fc_folder *out);
/* PATCH /folders/{id} {"parent_id"} [folders:write]: parent_id NULL or ""
 * moves it to the space root. out may be NULL. */
fc_err fc_folders_move(fc_client *c, const char *folder_id, const char *parent_id, fc_folder *out);
/* DELETE /folders/{id} [folders:write]: to the trash, recursively;
 * idempotent. When the server answers with the folder (deleted_at set)
 * and out is not NULL, out gets it; after a 204 out is left untouched. */
fc_err fc_folders_delete(fc_client *c, const char *folder_id, fc_folder *out);
/* POST /folders/{id}/restore [folders:write]: back from the trash. out may
 * be NULL (and is left untouched when the server answers without a body). */
fc_err fc_folders_restore(fc_client *c, const char *folder_id, fc_folder *out);
/* GET /folders/{id}/stats [folders:read]: file count and bytes. */
fc_err fc_folders_stats(fc_client *c, const char *folder_id, fc_folder_stats *out);

/* ---- files ---------------------------------------------------------------------- */

/* GET /files?space_id=&folder_id=&trashed= [files:read]. */
fc_err fc_files_list(fc_client *c, const fc_list_params *p, fc_file *items, size_t cap,
                     fc_page *page);
/* GET /files/{id} [files:read]: poll scan_status here. */
fc_err fc_files_get(fc_client *c, const char *file_id, fc_file *out);
/* GET /files/resolve?client_key=&space_id= [files:read]: the file uploaded
 * with your own key; FC_ERR_NOT_FOUND if none. space_id may be NULL. */
fc_err fc_files_resolve(fc_client *c, const char *client_key, const char *space_id, fc_file *out);
/* PATCH /files/{id} {"name"} [files:write]. out may be NULL. */
fc_err fc_files_rename(fc_client *c, const char *file_id, const char *name, fc_file *out);
/* PATCH /files/{id} {"folder_id"} [files:write]: within its space;
 * folder_id NULL or "" = the space root. out may be NULL. */
fc_err fc_files_move(fc_client *c, const char *file_id, const char *folder_id, fc_file *out);
/* DELETE /files/{id} [files:write]: soft delete to the trash; idempotent.
 * When the server answers with the file (deleted_at set) and out is not
 * NULL, out gets it; after a 204 out is left untouched. */
fc_err fc_files_delete(fc_client *c, const char *file_id, fc_file *out);
/* POST /files/{id}/restore [files:write]. out may be NULL. */
fc_err fc_files_restore(fc_client *c, const char *file_id, fc_file *out);
/* GET /files/{id}/download [files:read]: a presigned storage URL;
 * FC_ERR_CONFLICT unless the file is clean. */
fc_err fc_files_download_url(fc_client *c, const char *file_id, fc_signed_url *out);
/* GET /files/{id}/preview [files:read]: as download, for inline display. */
fc_err fc_files_preview_url(fc_client *c, const char *file_id, fc_signed_url *out);

/* ---- uploads (initiate/complete and the upload flow: fc_upload.h) ----- */

typedef struct fc_import_params {
    const char *url;        /* required: where the server fetches from */
    const char *space_id;   /* required */
    const char *folder_id;  /* NULL = the space root */
    const char *name;       /* NULL = taken from the URL */
    const char *client_key; /* NULL = none */
} fc_import_params;

/* POST /uploads/import-url [files:write]: the server fetches the URL; the
 * new file (scan pending) is returned at once (202). 30 starts per minute. */
fc_err fc_uploads_import_url(fc_client *c, const fc_import_params *p, fc_file *out);

/* ---- shares --------------------------------------------------------------------- */

/* POST /shares [shares:write]: a raw link for a clean file (out->url).
 * expires_in_days < 0 makes a permanent link, else 1-365; permission NULL
 * for the server's default ("view"), or "view" / "download".
 * FC_ERR_CONFLICT while the file is not clean, FC_ERR_QUOTA at the
 * share-link cap. */
fc_err fc_shares_create(fc_client *c, const char *file_id, int expires_in_days,
                        const char *permission, fc_share *out);
/* GET /shares?file_id= [shares:read]: p->file_id filters (may be NULL).
 * Listed shares carry no url. */
fc_err fc_shares_list(fc_client *c, const fc_list_params *p, fc_share *items, size_t cap,
                      fc_page *page);
/* GET /shares/{id} [shares:read]: no url. */
fc_err fc_shares_get(fc_client *c, const char *share_id, fc_share *out);
/* DELETE /shares/{id} [shares:write]: revoke; idempotent. Permanent links
 * may still serve from edge cache for up to an hour. */
fc_err fc_shares_revoke(fc_client *c, const char *share_id);

/* ---- GDPR ---------------------------------------------------------------------- */

/* DELETE /gdpr/files/{id} [files:write]: purge now: bytes, record and every
 * share of the file. */
fc_err fc_gdpr_purge_file(fc_client *c, const char *file_id);
/* DELETE /gdpr/trash?space_id= [files:write]: purge the space's trash, or
 * with space_id NULL (or "") every space's trash, in the background (the
 * call returns once it is accepted). */
fc_err fc_gdpr_purge_trash(fc_client *c, const char *space_id);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_API_H */
