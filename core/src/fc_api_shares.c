/* fc_api_shares.c - /shares: create, list, get, revoke. */
#include "fc_api_internal.h"

static fc_err fc_shares_root(fc_client *c, fc_hw *w)
{
    (void)c;
    fc_hw_str(w, FC_PATH_SHARES);
    return FC_OK;
}

static fc_err fc_shares_id(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_SHARES, NULL);
}

static fc_err fc_shares_query(fc_client *c, fc_hw *w)
{
    return fc_api_list_target(c, w, FC_PATH_SHARES);
}

/* {"file_id": s[0], "expires_in_days": n[0] | null, "permission": s[1]?} */
static const fc_body_field k_body_create[] = {
    {FC_F_FILE_ID, 0, FC_BF_STR},
    {FC_F_EXPIRES_IN_DAYS, 0, FC_BF_DAYS},
    {FC_F_PERMISSION, 1, FC_BF_STR},
    {NULL, 0, FC_BF_END}
};

static fc_err fc_share_create_body(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, k_body_create);
}

static fc_err fc_share_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, fc_fields_share);
}

/* POST: never repeated after a failure mid-flight (a second link could
 * take a second slot of the cap). The upload flow uses it too. */
const fc_request fc_req_shares_create = {
    .method = FC_HTTP_POST,
    .flags = FC_REQ_API,
    .write_target = fc_shares_root,
    .write_json = fc_share_create_body
};

static fc_err fc_shares_list_response(fc_client *c, fc_err result);

static const fc_list_desc k_shares_list = {
    {"shares.list", fc_shares_query, NULL, fc_shares_list_response, FC_HTTP_GET, 0},
    fc_fields_share, sizeof(fc_share)
};

static fc_err fc_shares_list_response(fc_client *c, fc_err result)
{
    return fc_api_list_response(c, result, &k_shares_list);
}

static const fc_api_desc k_create = {
    "shares.create", fc_shares_root, fc_share_create_body, fc_share_response,
    FC_HTTP_POST, FC_NEED_S0 | FC_NEED_OUT
};
static const fc_api_desc k_get = {
    "shares.get", fc_shares_id, NULL, fc_share_response, FC_HTTP_GET,
    FC_NEED_S0 | FC_NEED_OUT
};
static const fc_api_desc k_revoke = {
    "shares.revoke", fc_shares_id, NULL, fc_api_on_empty, FC_HTTP_DELETE, FC_NEED_S0
};

fc_err fc_shares_create(fc_client *c, const char *file_id, int expires_in_days,
                        const char *permission, fc_share *out)
{
    fc_err e = fc_api_begin(c, &k_create, out, file_id, permission);
    if (e != FC_OK) {
        return e;
    }
    c->op.n[0] = expires_in_days < 0 ? -1 : expires_in_days;
    return fc_request_start(c, &fc_req_shares_create);
}

fc_err fc_shares_list(fc_client *c, const fc_list_params *p, fc_share *items,
                      size_t cap, fc_page *page)
{
    return fc_api_list(c, &k_shares_list, p, items, cap, page);
}

fc_err fc_shares_get(fc_client *c, const char *share_id, fc_share *out)
{
    return fc_api_call(c, &k_get, out, share_id, NULL);
}

fc_err fc_shares_revoke(fc_client *c, const char *share_id)
{
    return fc_api_call(c, &k_revoke, NULL, share_id, NULL);
}
