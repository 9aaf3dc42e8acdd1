/* fc_api_gdpr.c - /gdpr: purge a file now, or a space's trash. */
#include "fc_api_internal.h"

static fc_err fc_gdpr_file_path(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_GDPR_FILES, NULL);
}

/* ?space_id=s[0] */
static fc_err fc_gdpr_trash_path(fc_client *c, fc_hw *w)
{
    int first = 1;
    fc_hw_str(w, FC_PATH_GDPR_TRASH);
    fc_hw_query(w, &first, FC_Q_SPACE_ID, c->op.s[0]);
    return FC_OK;
}

static const fc_api_desc k_purge_file = {
    "gdpr.file", fc_gdpr_file_path, NULL, fc_api_on_empty, FC_HTTP_DELETE,
    FC_NEED_S0
};
static const fc_api_desc k_purge_trash = {
    "gdpr.trash", fc_gdpr_trash_path, NULL, fc_api_on_empty, FC_HTTP_DELETE,
    FC_NEED_S0
};

fc_err fc_gdpr_purge_file(fc_client *c, const char *file_id)
{
    return fc_api_call(c, &k_purge_file, NULL, file_id, NULL);
}

fc_err fc_gdpr_purge_trash(fc_client *c, const char *space_id)
{
    return fc_api_call(c, &k_purge_trash, NULL, space_id, NULL);
}
