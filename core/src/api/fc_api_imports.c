/* SPDX-License-Identifier: MIT */
/* fc_api_imports.c - POST /uploads/import-url: the server fetches a URL. */
#include "fc_api_internal.h"

fc_err fc_uploads_import_url(fc_client *c, const fc_import_params *p, fc_file *out)
{
    if (p == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    return fc_api_call(c,
                       &(fc_api_args){.url = p->url,
                                      .space_id = p->space_id,
                                      .folder_id = p->folder_id,
                                      .name = p->name,
                                      .client_key = p->client_key},
                       out, FC_EP_UPLOADS_IMPORT);
}
