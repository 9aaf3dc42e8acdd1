/* fc_api_quota.c - GET /quota: storage and share-link usage and limits. */
#include "fc_api_internal.h"

static const fc_field k_fields_quota[] = {
    FC_FLD(fc_quota, FC_FK_I64, FC_F_BYTES_USED, bytes_used),
    FC_FLD(fc_quota, FC_FK_I64, FC_F_BYTES_LIMIT, bytes_limit),
    FC_FLD(fc_quota, FC_FK_I64, FC_F_LINKS_USED, links_used),
    FC_FLD(fc_quota, FC_FK_I64, FC_F_LINKS_LIMIT, links_limit),
    FC_FLD_END
};

static const fc_field k_fields_app[] = {
    FC_FLD(fc_quota_app, FC_FK_STR, FC_F_APP, app),
    FC_FLD(fc_quota_app, FC_FK_I64, FC_F_BYTES, bytes),
    FC_FLD(fc_quota_app, FC_FK_I64, FC_F_FILES, files),
    FC_FLD_END
};

static fc_err fc_quota_target(fc_client *c, fc_hw *w)
{
    (void)c;
    fc_hw_str(w, FC_PATH_QUOTA);
    return FC_OK;
}

/* by_app: every entry fits in the struct, or the call says how many. */
static fc_err fc_quota_apps(fc_client *c, const fc_json_doc *doc, fc_quota *q)
{
    int arr = fc_json_find(doc, 0, FC_F_BY_APP);
    int n = fc_json_size(doc, arr);
    int tok = arr + 1;
    int i;
    q->by_app_count = 0;
    if (arr < 0 || fc_json_is_null(doc, arr)) {
        return FC_OK;
    }
    if (!fc_json_is_array(doc, arr)) {
        return FC_ERR_JSON;
    }
    if ((size_t)n > FC_QUOTA_APPS_MAX) {
        c->error.needed = (size_t)n;
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    for (i = 0; i < n; i++) {
        fc_err e = fc_decode_obj(c, doc, tok, k_fields_app, &q->by_app[i]);
        if (e != FC_OK) {
            return e;
        }
        tok = fc_json_skip(doc, tok);
    }
    q->by_app_count = (size_t)n;
    return FC_OK;
}

static fc_err fc_quota_response(fc_client *c, fc_err result)
{
    fc_json_doc doc;
    fc_err e = result;
    if (e == FC_OK) {
        e = fc_api_parse(c, &doc);
    }
    if (e == FC_OK) {
        e = fc_decode_obj(c, &doc, 0, k_fields_quota, c->op.out);
    }
    return e == FC_OK ? fc_quota_apps(c, &doc, (fc_quota *)c->op.out) : e;
}

static const fc_api_desc k_quota_get = {
    "quota.get", fc_quota_target, NULL, fc_quota_response, FC_HTTP_GET, FC_NEED_OUT
};

fc_err fc_quota_get(fc_client *c, fc_quota *out)
{
    return fc_api_call(c, &k_quota_get, out, NULL, NULL);
}
