/* SPDX-License-Identifier: MIT */
/* fc_api_files.c - /files: list, get, resolve, rename, move, delete,
 * restore, download and preview URLs. */
#include "fc_api_internal.h"

fc_err fc_files_list(fc_client *c, const fc_list_params *p, fc_file *items, size_t cap,
                     fc_page *page)
{
    return fc_api_list(c, p, items, cap, page, FC_EP_FILES_LIST);
}

fc_err fc_files_get(fc_client *c, const char *file_id, fc_file *out)
{
    return fc_api_call_id(c, file_id, out, FC_EP_FILES_GET);
}

fc_err fc_files_resolve(fc_client *c, const char *client_key, const char *space_id, fc_file *out)
{
    return fc_api_call(c, &(fc_api_args){.client_key = client_key, .space_id = space_id}, out,
                       FC_EP_FILES_RESOLVE);
}

fc_err fc_files_rename(fc_client *c, const char *file_id, const char *name, fc_file *out)
{
    return fc_api_call(c, &(fc_api_args){.id = file_id, .name = name}, out, FC_EP_FILES_RENAME);
}

fc_err fc_files_move(fc_client *c, const char *file_id, const char *folder_id, fc_file *out)
{
    return fc_api_call(c, &(fc_api_args){.id = file_id, .folder_id = folder_id}, out,
                       FC_EP_FILES_MOVE);
}

fc_err fc_files_delete(fc_client *c, const char *file_id, fc_file *out)
{
    return fc_api_call_id(c, file_id, out, FC_EP_FILES_DELETE);
}

fc_err fc_files_restore(fc_client *c, const char *file_id, fc_file *out)
{
    return fc_api_call_id(c, file_id, out, FC_EP_FILES_RESTORE);
}

fc_err fc_files_download_url(fc_client *c, const char *file_id, fc_signed_url *out)
{
    return fc_api_call_id(c, file_id, out, FC_EP_FILES_DOWNLOAD);
}

fc_err fc_files_preview_url(fc_client *c, const char *file_id, fc_signed_url *out)
{
    return fc_api_call_id(c, file_id, out, FC_EP_FILES_PREVIEW);
}
