/* SPDX-License-Identifier: MIT */
/* fc_api_me.c - GET /me: the key's tenant, id, mode and scopes. */
#include "fc_api_internal.h"

fc_err fc_me_get(fc_client *c, fc_me *out)
{
    return fc_api_call_id(c, NULL, out, FC_EP_ME_GET);
}
