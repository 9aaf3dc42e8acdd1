/* SPDX-License-Identifier: MIT */
/* fc_api_quota.c - GET /quota: storage and share-link usage and limits
 * (the by_app entries decode through FC_FK_APPS, fc_api_decode.c). */
#include "fc_api_internal.h"

fc_err fc_quota_get(fc_client *c, fc_quota *out)
{
    return fc_api_call_id(c, NULL, out, FC_EP_QUOTA_GET);
}
