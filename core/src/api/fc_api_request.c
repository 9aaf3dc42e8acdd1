/* SPDX-License-Identifier: MIT */
/*
 * fc_api_request.c - from a call's named arguments to a request on the
 * wire: the arguments are checked against the endpoint's field list, the
 * target is the path plus the id, the list query or the fields as a query,
 * and a POST or PATCH sends the fields as its JSON body.
 */
#include "fc_api_internal.h"

#include <string.h>

/* ---- the tables ------------------------------------------------------------------ */

#define FC_API_EP_ROW(name, step, method, flags, path, target, suffix, fields, obj) \
    {FC_HTTP_##method, flags,         FC_T_##target, FC_FIELDS_##fields,            \
     FC_OBJ_##obj,     FC_K_P_##path, FC_K_##suffix},
static const fc_api_endpoint k_endpoints[] = {FC_API_ENDPOINTS(FC_API_EP_ROW)};
#undef FC_API_EP_ROW

/* Pool indices fit the rows' 7-bit path and suffix, members the fields' byte. */
typedef char fc_k_fits_endpoint[FC_K__COUNT <= 128 ? 1 : -1];
typedef char fc_args_fit_field[sizeof(fc_api_args) <= 255 ? 1 : -1];
typedef char fc_field_lists_fit_endpoint[FC_FIELDS__COUNT <= 16 ? 1 : -1];

#define FC_API_FIELD_ROW(kind, key, member) \
    {FC_AF_##kind, FC_K_##key, (uint8_t)offsetof(fc_api_args, member)},
#define FC_API_FIELD_LIST(list, rows) \
    static const fc_api_field k_fields_##list[] = {rows{FC_AF_END, 0, 0}};
FC_API_FIELD_LISTS(FC_API_FIELD_LIST, FC_API_FIELD_ROW)
#undef FC_API_FIELD_LIST

/* In FC_FIELDS_* order. */
#define FC_API_FIELD_PTR(list, rows) k_fields_##list,
#define FC_API_NO_ROW(kind, key, member)
static const fc_api_field *const k_field_lists[] = {
    NULL, FC_API_FIELD_LISTS(FC_API_FIELD_PTR, FC_API_NO_ROW)};
#undef FC_API_FIELD_PTR
#undef FC_API_NO_ROW
#undef FC_API_FIELD_ROW

const fc_api_endpoint *fc_api_endpoint_at(unsigned ep)
{
    return &k_endpoints[ep];
}

static const fc_api_field *fc_fields_of(const fc_api_endpoint *d)
{
    return k_field_lists[d->fields];
}

static const char *fc_arg_str(const fc_api_args *a, const fc_api_field *f)
{
    return *(const char *const *)(const void *)((const char *)a + f->member);
}

static int64_t fc_arg_num(const fc_api_args *a, const fc_api_field *f)
{
    return *(const int64_t *)(const void *)((const char *)a + f->member);
}

/* ---- checking the arguments ------------------------------------------------------ */

static int fc_args_ok(const fc_api_endpoint *d, const fc_api_args *a)
{
    const fc_api_field *f = fc_fields_of(d);
    /* An empty id would turn "/files/{id}" into the list "/files/". */
    if ((d->flags & FC_NEED_ID) && (a->id == NULL || a->id[0] == '\0')) {
        return 0;
    }
    for (; f != NULL && f->kind != FC_AF_END; f++) {
        const char *s = f->kind == FC_AF_REQ || f->kind == FC_AF_ID ? fc_arg_str(a, f) : "";
        if (s == NULL || (f->kind == FC_AF_ID && s[0] == '\0')) {
            return 0;
        }
    }
    return 1;
}

/* ---- the target and the body ------------------------------------------------------ */

/* The fields as "?name=value&name=value", NULL and "" values left out. */
static void fc_write_query(fc_client *c, fc_head_writer *w, const fc_api_field *f)
{
    int first = 1;
    for (; f->kind != FC_AF_END; f++) {
        fc_head_write_query(w, &first, fc_api_string(f->key), fc_arg_str(&c->priv.op.args.api, f));
    }
}

/* The path, then by the target: "/" + urlenc(id) + the suffix, the list's
 * query, or the fields as a query. */
static fc_err fc_api_target(fc_client *c, fc_head_writer *w)
{
    const fc_api_endpoint *d = c->priv.op.endpoint;
    unsigned target = d->target;
    fc_head_write_str(w, fc_api_string(d->path));
    if (target == FC_T_ID) {
        fc_head_write_str(w, "/");
        fc_head_write_urlenc(w, c->priv.op.args.api.id);
        fc_head_write_str(w, fc_api_string(d->suffix));
    } else if (target == FC_T_LIST) {
        fc_api_list_query(c, w);
    } else if (target == FC_T_QUERY) {
        fc_write_query(c, w, fc_fields_of(d));
    }
    return FC_OK;
}

/* {"key": value, ...} by the endpoint's field list. */
static fc_err fc_api_body(fc_client *c, fc_json_writer *w)
{
    const fc_api_args *a = &c->priv.op.args.api;
    const fc_api_field *f;
    fc_json_write_object_begin(w);
    for (f = fc_fields_of(c->priv.op.endpoint); f->kind != FC_AF_END; f++) {
        const char *key = fc_api_string(f->key);
        if (f->kind == FC_AF_NUM) {
            if (fc_arg_num(a, f) >= 0) {
                fc_json_write_member_i64(w, key, fc_arg_num(a, f));
                continue;
            }
        } else {
            const char *s = fc_arg_str(a, f);
            if (s != NULL && (s[0] != '\0' || f->kind != FC_AF_NULLABLE)) {
                fc_json_write_member_str(w, key, s);
                continue;
            }
        }
        /* No value: a string is left out, a NUM or NULLABLE is null. */
        if (f->kind == FC_AF_NUM || f->kind == FC_AF_NULLABLE) {
            fc_json_write_key(w, key);
            fc_json_write_null(w);
        }
    }
    fc_json_write_object_end(w);
    return FC_OK;
}

/* ---- starting ----------------------------------------------------------------------- */

fc_err fc_api_send(fc_client *c, unsigned ep)
{
    const fc_api_endpoint *d = &k_endpoints[ep];
    fc_request r;
    c->priv.op.endpoint = d;
    memset(&r, 0, sizeof r);
    r.method = d->method;
    /* A POST may have been acted on: never repeat it after a failure.
     * GET, DELETE and PATCH (same body, same result) are safe. */
    r.flags = (uint8_t)(FC_REQ_API | (d->method == FC_HTTP_POST ? 0u : FC_REQ_IDEMPOTENT));
    r.write_target = fc_api_target;
    if (d->fields != FC_FIELDS_NONE && d->target != FC_T_QUERY) {
        r.write_json = fc_api_body;
    }
    return fc_request_start(c, &r);
}

fc_err fc_api_call(fc_client *c, const fc_api_args *args, void *out, unsigned ep)
{
    const fc_api_endpoint *d = &k_endpoints[ep];
    fc_err e;
    if (c == NULL || ((d->flags & FC_NEED_OUT) && out == NULL) || !fc_args_ok(d, args)) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_op_begin(c, fc_api_step(ep), fc_api_on_response, out);
    if (e != FC_OK) {
        return e;
    }
    c->priv.op.args.api = *args;
    return fc_api_send(c, ep);
}

fc_err fc_api_call_id(fc_client *c, const char *id, void *out, unsigned ep)
{
    fc_api_args a;
    memset(&a, 0, sizeof a);
    a.id = id;
    return fc_api_call(c, &a, out, ep);
}

fc_err fc_api_request(fc_client *c, unsigned ep, const fc_api_args *args)
{
    c->priv.op.args.api = *args;
    return fc_api_send(c, ep);
}

fc_err fc_api_request_list(fc_client *c, unsigned ep, const fc_list_params *params)
{
    memset(&c->priv.op.args.list, 0, sizeof c->priv.op.args.list);
    c->priv.op.args.list.params = params;
    return fc_api_send(c, ep);
}
