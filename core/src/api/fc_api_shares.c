/* fc_api_shares.c - /shares: create, list, get, revoke. */
#include "fc_api_internal.h"

/* POST: never repeated after a failure mid-flight (a second link could
 * take a second slot of the cap); the same request as fc_req_shares_create. */
fc_err fc_shares_create(fc_client *c, const char *file_id, int expires_in_days,
                        const char *permission, fc_share *out)
{
    fc_err e = fc_api_start(c, file_id, permission, out, FC_EP_SHARES_CREATE);
    if (e != FC_OK) {
        return e;
    }
    c->priv.op.n[0] = expires_in_days < 0 ? -1 : expires_in_days;
    return fc_api_send(c);
}

fc_err fc_shares_list(fc_client *c, const fc_list_params *p, fc_share *items, size_t cap,
                      fc_page *page)
{
    return fc_api_list(c, p, items, cap, page, FC_EP_SHARES_LIST);
}

fc_err fc_shares_get(fc_client *c, const char *share_id, fc_share *out)
{
    return fc_api_call(c, share_id, out, FC_EP_SHARES_GET);
}

fc_err fc_shares_revoke(fc_client *c, const char *share_id)
{
    return fc_api_call(c, share_id, NULL, FC_EP_SHARES_REVOKE);
}
