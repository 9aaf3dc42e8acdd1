/* SPDX-License-Identifier: MIT */
/* fc_api_folders.c - /folders: list, create, get, rename, move, delete,
 * restore, stats. */
#include "fc_api_internal.h"

fc_err fc_folders_list(fc_client *c, const fc_list_params *p, fc_folder *items, size_t cap,
                       fc_page *page)
{
    return fc_api_list(c, p, items, cap, page, FC_EP_FOLDERS_LIST);
}

fc_err fc_folders_create(fc_client *c, const char *space_id, const char *name,
                         const char *parent_id, fc_folder *out)
{
    return fc_api_call(c,
                       &(fc_api_args){.space_id = space_id, .name = name, .parent_id = parent_id},
                       out, FC_EP_FOLDERS_CREATE);
}

fc_err fc_folders_get(fc_client *c, const char *folder_id, fc_folder *out)
{
    return fc_api_call_id(c, folder_id, out, FC_EP_FOLDERS_GET);
}

fc_err fc_folders_rename(fc_client *c, const char *folder_id, const char *name, fc_folder *out)
{
    return fc_api_call(c, &(fc_api_args){.id = folder_id, .name = name}, out, FC_EP_FOLDERS_RENAME);
}

fc_err fc_folders_move(fc_client *c, const char *folder_id, const char *parent_id, fc_folder *out)
{
    return fc_api_call(c, &(fc_api_args){.id = folder_id, .parent_id = parent_id}, out,
                       FC_EP_FOLDERS_MOVE);
}

fc_err fc_folders_delete(fc_client *c, const char *folder_id, fc_folder *out)
{
    return fc_api_call_id(c, folder_id, out, FC_EP_FOLDERS_DELETE);
}

fc_err fc_folders_restore(fc_client *c, const char *folder_id, fc_folder *out)
{
    return fc_api_call_id(c, folder_id, out, FC_EP_FOLDERS_RESTORE);
}

fc_err fc_folders_stats(fc_client *c, const char *folder_id, fc_folder_stats *out)
{
    return fc_api_call_id(c, folder_id, out, FC_EP_FOLDERS_STATS);
}
