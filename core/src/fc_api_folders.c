/* fc_api_folders.c - /folders: list, create, get, rename, move, delete,
 * restore, stats. */
#include "fc_api_internal.h"

static fc_err fc_folders_root(fc_client *c, fc_hw *w)
{
    (void)c;
    fc_hw_str(w, FC_PATH_FOLDERS);
    return FC_OK;
}

static fc_err fc_folders_id(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_FOLDERS, NULL);
}

static fc_err fc_folders_restore_path(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_FOLDERS, FC_PATH_RESTORE);
}

static fc_err fc_folders_stats_path(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_FOLDERS, FC_PATH_STATS);
}

static fc_err fc_folders_query(fc_client *c, fc_hw *w)
{
    return fc_api_list_target(c, w, FC_PATH_FOLDERS);
}

/* create: {"space_id": s[2], "name": s[1], "parent_id": s[3]?} */
static const fc_body_field k_body_create[] = {
    {FC_F_SPACE_ID, 2, FC_BF_STR},
    {FC_F_NAME, 1, FC_BF_STR},
    {FC_F_PARENT_ID, 3, FC_BF_STR},
    {NULL, 0, FC_BF_END}
};

/* move: {"parent_id": s[1]}, null = the space root */
static const fc_body_field k_body_move[] = {
    {FC_F_PARENT_ID, 1, FC_BF_NULLABLE},
    {NULL, 0, FC_BF_END}
};

static fc_err fc_folder_create_body(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, k_body_create);
}

static fc_err fc_folder_move_body(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, k_body_move);
}

static fc_err fc_folder_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, fc_fields_folder);
}

static fc_err fc_folder_restored(fc_client *c, fc_err result)
{
    return fc_api_decode_opt(c, result, fc_fields_folder);
}

static const fc_field k_fields_stats[] = {
    FC_FLD(fc_folder_stats, FC_FK_STR, FC_F_FOLDER_ID, folder_id),
    FC_FLD(fc_folder_stats, FC_FK_I64, FC_F_FILE_COUNT, file_count),
    FC_FLD(fc_folder_stats, FC_FK_I64, FC_F_TOTAL_BYTES, total_bytes),
    FC_FLD_END
};

static fc_err fc_stats_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, k_fields_stats);
}

static fc_err fc_folders_list_response(fc_client *c, fc_err result);

static const fc_list_desc k_folders_list = {
    {"folders.list", fc_folders_query, NULL, fc_folders_list_response, FC_HTTP_GET, 0},
    fc_fields_folder, sizeof(fc_folder)
};

static fc_err fc_folders_list_response(fc_client *c, fc_err result)
{
    return fc_api_list_response(c, result, &k_folders_list);
}

#define FC_ID_OUT (FC_NEED_S0 | FC_NEED_OUT)
static const fc_api_desc k_create = {
    "folders.create", fc_folders_root, fc_folder_create_body, fc_folder_response,
    FC_HTTP_POST, FC_NEED_S1
};
static const fc_api_desc k_get = {
    "folders.get", fc_folders_id, NULL, fc_folder_response, FC_HTTP_GET, FC_ID_OUT
};
static const fc_api_desc k_rename = {
    "folders.rename", fc_folders_id, fc_api_body_name, fc_folder_response,
    FC_HTTP_PATCH, FC_NEED_S0 | FC_NEED_S1
};
static const fc_api_desc k_move = {
    "folders.move", fc_folders_id, fc_folder_move_body, fc_folder_response,
    FC_HTTP_PATCH, FC_NEED_S0
};
static const fc_api_desc k_delete = {
    "folders.delete", fc_folders_id, NULL, fc_api_on_empty, FC_HTTP_DELETE, FC_NEED_S0
};
static const fc_api_desc k_restore = {
    "folders.restore", fc_folders_restore_path, NULL, fc_folder_restored,
    FC_HTTP_POST, FC_NEED_S0
};
static const fc_api_desc k_stats = {
    "folders.stats", fc_folders_stats_path, NULL, fc_stats_response, FC_HTTP_GET,
    FC_ID_OUT
};

fc_err fc_folders_list(fc_client *c, const fc_list_params *p, fc_folder *items,
                       size_t cap, fc_page *page)
{
    return fc_api_list(c, &k_folders_list, p, items, cap, page);
}

fc_err fc_folders_create(fc_client *c, const char *space_id, const char *name,
                         const char *parent_id, fc_folder *out)
{
    fc_err e;
    if (space_id == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_api_begin(c, &k_create, out, NULL, name);
    if (e != FC_OK) {
        return e;
    }
    c->op.s[2] = space_id;
    c->op.s[3] = parent_id;
    return fc_api_send(c, &k_create);
}

fc_err fc_folders_get(fc_client *c, const char *folder_id, fc_folder *out)
{
    return fc_api_call(c, &k_get, out, folder_id, NULL);
}

fc_err fc_folders_rename(fc_client *c, const char *folder_id, const char *name,
                         fc_folder *out)
{
    return fc_api_call(c, &k_rename, out, folder_id, name);
}

fc_err fc_folders_move(fc_client *c, const char *folder_id, const char *parent_id,
                       fc_folder *out)
{
    return fc_api_call(c, &k_move, out, folder_id, parent_id);
}

fc_err fc_folders_delete(fc_client *c, const char *folder_id)
{
    return fc_api_call(c, &k_delete, NULL, folder_id, NULL);
}

fc_err fc_folders_restore(fc_client *c, const char *folder_id, fc_folder *out)
{
    return fc_api_call(c, &k_restore, out, folder_id, NULL);
}

fc_err fc_folders_stats(fc_client *c, const char *folder_id, fc_folder_stats *out)
{
    return fc_api_call(c, &k_stats, out, folder_id, NULL);
}
