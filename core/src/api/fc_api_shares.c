/* SPDX-License-Identifier: MIT */
/* fc_api_shares.c - /shares: create, list, get, revoke. */
#include "fc_api_internal.h"

/* POST: never repeated after a failure mid-flight (a second link could
 * take a second slot of the cap). A negative expires_in_days is sent as
 * null: a permanent link. */
fc_err fc_shares_create(fc_client *c, const char *file_id, int expires_in_days,
                        const char *permission, fc_share *out)
{
    return fc_api_call(c,
                       &(fc_api_args){.file_id = file_id,
                                      .expires_in_days = expires_in_days,
                                      .permission = permission},
                       out, FC_EP_SHARES_CREATE);
}

fc_err fc_shares_list(fc_client *c, const fc_list_params *p, fc_share *items, size_t cap,
                      fc_page *page)
{
    return fc_api_list(c, p, items, cap, page, FC_EP_SHARES_LIST);
}

fc_err fc_shares_get(fc_client *c, const char *share_id, fc_share *out)
{
    return fc_api_call_id(c, share_id, out, FC_EP_SHARES_GET);
}

fc_err fc_shares_revoke(fc_client *c, const char *share_id)
{
    return fc_api_call_id(c, share_id, NULL, FC_EP_SHARES_REVOKE);
}
