/* SPDX-License-Identifier: MIT */
/* fc_api_gdpr.c - /gdpr: purge a file now, or a space's trash. */
#include "fc_api_internal.h"

fc_err fc_gdpr_purge_file(fc_client *c, const char *file_id)
{
    return fc_api_call_id(c, file_id, NULL, FC_EP_GDPR_FILE);
}

fc_err fc_gdpr_purge_trash(fc_client *c, const char *space_id)
{
    return fc_api_call(c, &(fc_api_args){.space_id = space_id}, NULL, FC_EP_GDPR_TRASH);
}
