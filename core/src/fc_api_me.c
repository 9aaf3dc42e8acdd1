/* fc_api_me.c - GET /me: the key's tenant, id, mode and scopes. */
#include "fc_api_internal.h"

static const fc_field k_fields_me[] = {
    FC_FLD(fc_me, FC_FK_STR, FC_F_TENANT_ID, tenant_id),
    FC_FLD(fc_me, FC_FK_STR, FC_F_KEY_ID, key_id),
    FC_FLD(fc_me, FC_FK_STR, FC_F_MODE, mode),
    FC_FLD(fc_me, FC_FK_SCOPES, FC_F_SCOPES, scopes),
    FC_FLD_END
};

static fc_err fc_me_target(fc_client *c, fc_hw *w)
{
    (void)c;
    fc_hw_str(w, FC_PATH_ME);
    return FC_OK;
}

static fc_err fc_me_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, k_fields_me);
}

static const fc_api_desc k_me_get = {
    "me.get", fc_me_target, NULL, fc_me_response, FC_HTTP_GET, FC_NEED_OUT
};

fc_err fc_me_get(fc_client *c, fc_me *out)
{
    return fc_api_call(c, &k_me_get, out, NULL, NULL);
}
