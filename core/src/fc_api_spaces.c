/* fc_api_spaces.c - /spaces: list, create, get, rename, delete. */
#include "fc_api_internal.h"

static fc_err fc_spaces_root(fc_client *c, fc_hw *w)
{
    (void)c;
    fc_hw_str(w, FC_PATH_SPACES);
    return FC_OK;
}

static fc_err fc_spaces_id(fc_client *c, fc_hw *w)
{
    return fc_api_path(c, w, FC_PATH_SPACES, NULL);
}

static fc_err fc_spaces_query(fc_client *c, fc_hw *w)
{
    return fc_api_list_target(c, w, FC_PATH_SPACES);
}

/* {"name": s[1], "app": s[2]}: app is omitted when NULL (rename). */
static const fc_body_field k_body_space[] = {
    {FC_F_NAME, 1, FC_BF_STR},
    {FC_F_APP, 2, FC_BF_STR},
    {NULL, 0, FC_BF_END}
};

static fc_err fc_space_body(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, k_body_space);
}

static fc_err fc_space_response(fc_client *c, fc_err result)
{
    return fc_api_decode_root(c, result, fc_fields_space);
}

static fc_err fc_spaces_list_response(fc_client *c, fc_err result);

static const fc_list_desc k_spaces_list = {
    {"spaces.list", fc_spaces_query, NULL, fc_spaces_list_response, FC_HTTP_GET, 0},
    fc_fields_space, sizeof(fc_space)
};

static fc_err fc_spaces_list_response(fc_client *c, fc_err result)
{
    return fc_api_list_response(c, result, &k_spaces_list);
}

static const fc_api_desc k_spaces_create = {
    "spaces.create", fc_spaces_root, fc_space_body, fc_space_response, FC_HTTP_POST,
    FC_NEED_S1
};
static const fc_api_desc k_spaces_get = {
    "spaces.get", fc_spaces_id, NULL, fc_space_response, FC_HTTP_GET,
    FC_NEED_S0 | FC_NEED_OUT
};
static const fc_api_desc k_spaces_rename = {
    "spaces.rename", fc_spaces_id, fc_space_body, fc_space_response, FC_HTTP_PATCH,
    FC_NEED_S0 | FC_NEED_S1
};
static const fc_api_desc k_spaces_delete = {
    "spaces.delete", fc_spaces_id, NULL, fc_api_on_empty, FC_HTTP_DELETE, FC_NEED_S0
};

fc_err fc_spaces_list(fc_client *c, const fc_list_params *p, fc_space *items,
                      size_t cap, fc_page *page)
{
    return fc_api_list(c, &k_spaces_list, p, items, cap, page);
}

fc_err fc_spaces_create(fc_client *c, const char *name, const char *app, fc_space *out)
{
    fc_err e = fc_api_begin(c, &k_spaces_create, out, NULL, name);
    if (e != FC_OK) {
        return e;
    }
    c->op.s[2] = app;
    return fc_api_send(c, &k_spaces_create);
}

fc_err fc_spaces_get(fc_client *c, const char *space_id, fc_space *out)
{
    return fc_api_call(c, &k_spaces_get, out, space_id, NULL);
}

fc_err fc_spaces_rename(fc_client *c, const char *space_id, const char *name,
                        fc_space *out)
{
    return fc_api_call(c, &k_spaces_rename, out, space_id, name);
}

fc_err fc_spaces_delete(fc_client *c, const char *space_id)
{
    return fc_api_call(c, &k_spaces_delete, NULL, space_id, NULL);
}
