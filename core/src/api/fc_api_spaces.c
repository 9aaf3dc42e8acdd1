/* SPDX-License-Identifier: MIT */
/* fc_api_spaces.c - /spaces: list, create, get, rename, delete. */
#include "fc_api_internal.h"

fc_err fc_spaces_list(fc_client *c, const fc_list_params *p, fc_space *items, size_t cap,
                      fc_page *page)
{
    return fc_api_list(c, p, items, cap, page, FC_EP_SPACES_LIST);
}

fc_err fc_spaces_create(fc_client *c, const char *name, const char *app, fc_space *out)
{
    return fc_api_call(c, &(fc_api_args){.name = name, .app = app}, out, FC_EP_SPACES_CREATE);
}

fc_err fc_spaces_get(fc_client *c, const char *space_id, fc_space *out)
{
    return fc_api_call_id(c, space_id, out, FC_EP_SPACES_GET);
}

fc_err fc_spaces_rename(fc_client *c, const char *space_id, const char *name, fc_space *out)
{
    return fc_api_call(c, &(fc_api_args){.id = space_id, .name = name}, out, FC_EP_SPACES_RENAME);
}

fc_err fc_spaces_delete(fc_client *c, const char *space_id)
{
    return fc_api_call_id(c, space_id, NULL, FC_EP_SPACES_DELETE);
}
