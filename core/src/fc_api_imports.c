/* fc_api_imports.c - POST /uploads/import-url: the server fetches a URL. */
#include "fc_api_internal.h"

static fc_err fc_import_path(fc_client *c, fc_hw *w)
{
    (void)c;
    fc_hw_str(w, FC_PATH_UPLOADS_IMPORT);
    return FC_OK;
}

/* {"url": s[0], "space_id": s[1], "folder_id"?, "name"?, "client_key"?} */
static const fc_body_field k_body_import[] = {
    {FC_F_URL, 0, FC_BF_STR},
    {FC_F_SPACE_ID, 1, FC_BF_STR},
    {FC_F_FOLDER_ID, 2, FC_BF_STR},
    {FC_F_NAME, 3, FC_BF_STR},
    {FC_F_CLIENT_KEY, 4, FC_BF_STR},
    {NULL, 0, FC_BF_END}
};

static fc_err fc_import_body(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, k_body_import);
}

static fc_err fc_import_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, fc_fields_file);
}

static const fc_api_desc k_import = {
    "uploads.import", fc_import_path, fc_import_body, fc_import_response,
    FC_HTTP_POST, FC_NEED_S0 | FC_NEED_S1
};

fc_err fc_uploads_import_url(fc_client *c, const fc_import_params *p, fc_file *out)
{
    fc_err e;
    if (p == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_api_begin(c, &k_import, out, p->url, p->space_id);
    if (e != FC_OK) {
        return e;
    }
    c->op.s[2] = p->folder_id;
    c->op.s[3] = p->name;
    c->op.s[4] = p->client_key;
    return fc_api_send(c, &k_import);
}
