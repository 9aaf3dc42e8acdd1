/* fc_api_files.c - /files: list, get, resolve, rename, move, delete,
 * restore, download and preview URLs. */
#include "fc_api_internal.h"

static fc_err fc_files_id(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_FILES, NULL);
}

static fc_err fc_files_restore_path(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_FILES, FC_PATH_RESTORE);
}

static fc_err fc_files_download_path(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_FILES, FC_PATH_DOWNLOAD);
}

static fc_err fc_files_preview_path(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_FILES, FC_PATH_PREVIEW);
}

/* ?client_key=s[0]&space_id=s[1] */
static fc_err fc_files_resolve_path(fc_client *c, fc_hw *w)
{
    int first = 1;
    fc_hw_str(w, FC_PATH_FILES_RESOLVE);
    fc_hw_query(w, &first, FC_Q_CLIENT_KEY, c->op.s[0]);
    fc_hw_query(w, &first, FC_Q_SPACE_ID, c->op.s[1]);
    return FC_OK;
}

static fc_err fc_files_query(fc_client *c, fc_hw *w)
{
    return fc_api_list_target(c, w, FC_PATH_FILES);
}

/* move: {"folder_id": s[1]}, null = the space root */
static const fc_body_field k_body_move[] = {
    {FC_F_FOLDER_ID, 1, FC_BF_NULLABLE},
    {NULL, 0, FC_BF_END}
};

static fc_err fc_file_move_body(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, k_body_move);
}

static fc_err fc_file_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, fc_fields_file);
}

static fc_err fc_file_restored(fc_client *c, fc_err result)
{
    return fc_api_decode_opt(c, result, fc_fields_file);
}

static const fc_field k_fields_signed[] = {
    FC_FLD(fc_signed_url, FC_FK_REQ, FC_F_URL, url),
    FC_FLD(fc_signed_url, FC_FK_TIME, FC_F_EXPIRES_AT, expires_at),
    FC_FLD_END
};

static fc_err fc_signed_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, k_fields_signed);
}

static fc_err fc_files_list_response(fc_client *c, fc_err result);

static const fc_list_desc k_files_list = {
    {"files.list", fc_files_query, NULL, fc_files_list_response, FC_HTTP_GET, 0},
    fc_fields_file, sizeof(fc_file)
};

static fc_err fc_files_list_response(fc_client *c, fc_err result)
{
    return fc_api_list_response(c, result, &k_files_list);
}

/* The upload flow polls scan_status through this one (fc_api_internal.h). */
const fc_request fc_req_files_get = {
    .method = FC_HTTP_GET,
    .flags = FC_REQ_API | FC_REQ_IDEMPOTENT,
    .write_target = fc_files_id
};

#define FC_ID_OUT (FC_NEED_S0 | FC_NEED_OUT)
static const fc_api_desc k_get = {
    "files.get", fc_files_id, NULL, fc_file_response, FC_HTTP_GET, FC_ID_OUT
};
static const fc_api_desc k_resolve = {
    "files.resolve", fc_files_resolve_path, NULL, fc_file_response, FC_HTTP_GET, FC_ID_OUT
};
static const fc_api_desc k_rename = {
    "files.rename", fc_files_id, fc_api_body_name, fc_file_response, FC_HTTP_PATCH,
    FC_NEED_S0 | FC_NEED_S1
};
static const fc_api_desc k_move = {
    "files.move", fc_files_id, fc_file_move_body, fc_file_response, FC_HTTP_PATCH,
    FC_NEED_S0
};
static const fc_api_desc k_delete = {
    "files.delete", fc_files_id, NULL, fc_api_on_empty, FC_HTTP_DELETE, FC_NEED_S0
};
static const fc_api_desc k_restore = {
    "files.restore", fc_files_restore_path, NULL, fc_file_restored, FC_HTTP_POST,
    FC_NEED_S0
};
static const fc_api_desc k_download = {
    "files.download", fc_files_download_path, NULL, fc_signed_response, FC_HTTP_GET,
    FC_ID_OUT
};
static const fc_api_desc k_preview = {
    "files.preview", fc_files_preview_path, NULL, fc_signed_response, FC_HTTP_GET,
    FC_ID_OUT
};

fc_err fc_files_list(fc_client *c, const fc_list_params *p, fc_file *items,
                     size_t cap, fc_page *page)
{
    return fc_api_list(c, &k_files_list, p, items, cap, page);
}

fc_err fc_files_get(fc_client *c, const char *file_id, fc_file *out)
{
    fc_err e = fc_api_begin(c, &k_get, out, file_id, NULL);
    return e == FC_OK ? fc_request_start(c, &fc_req_files_get) : e;
}

fc_err fc_files_resolve(fc_client *c, const char *client_key, const char *space_id,
                        fc_file *out)
{
    return fc_api_call(c, &k_resolve, out, client_key, space_id);
}

fc_err fc_files_rename(fc_client *c, const char *file_id, const char *name, fc_file *out)
{
    return fc_api_call(c, &k_rename, out, file_id, name);
}

fc_err fc_files_move(fc_client *c, const char *file_id, const char *folder_id,
                     fc_file *out)
{
    return fc_api_call(c, &k_move, out, file_id, folder_id);
}

fc_err fc_files_delete(fc_client *c, const char *file_id)
{
    return fc_api_call(c, &k_delete, NULL, file_id, NULL);
}

fc_err fc_files_restore(fc_client *c, const char *file_id, fc_file *out)
{
    return fc_api_call(c, &k_restore, out, file_id, NULL);
}

fc_err fc_files_download_url(fc_client *c, const char *file_id, fc_signed_url *out)
{
    return fc_api_call(c, &k_download, out, file_id, NULL);
}

fc_err fc_files_preview_url(fc_client *c, const char *file_id, fc_signed_url *out)
{
    return fc_api_call(c, &k_preview, out, file_id, NULL);
}
