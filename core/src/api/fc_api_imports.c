/* fc_api_imports.c - POST /uploads/import-url: the server fetches a URL. */
#include "fc_api_internal.h"

fc_err fc_uploads_import_url(fc_client *c, const fc_import_params *p, fc_file *out)
{
    fc_err e;
    if (p == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_api_start(c, p->url, p->space_id, out, FC_EP_UPLOADS_IMPORT);
    if (e != FC_OK) {
        return e;
    }
    c->priv.op.s[2] = p->folder_id;
    c->priv.op.s[3] = p->name;
    c->priv.op.s[4] = p->client_key;
    return fc_api_send(c);
}
