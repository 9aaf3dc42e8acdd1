/*
 * fc_api_decode.c - what every endpoint shares: starting an operation
 * from a descriptor, writing paths and bodies, and decoding objects
 * through field tables.
 *
 * Field tables keep the decoders data, not code: one loop serves every
 * object type, which is what keeps the API layer small on a Cortex-M.
 */
#include "fc_api_internal.h"

#include <string.h>

/* ---- starting operations ------------------------------------------------------ */

fc_err fc_api_begin(fc_client *c, const fc_api_desc *d, void *out,
                    const char *s0, const char *s1)
{
    fc_err e;
    /* An empty id would turn "/files/{id}" into the list "/files/". */
    if (c == NULL || ((d->need & FC_NEED_S0) && (s0 == NULL || s0[0] == '\0')) ||
        ((d->need & FC_NEED_S1) && s1 == NULL) ||
        ((d->need & FC_NEED_OUT) && out == NULL)) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_op_begin(c, d->step, d->on_response, out);
    if (e == FC_OK) {
        c->op.s[0] = s0;
        c->op.s[1] = s1;
    }
    return e;
}

fc_err fc_api_send(fc_client *c, const fc_api_desc *d)
{
    fc_request r;
    memset(&r, 0, sizeof r);
    r.method = d->method;
    /* A POST may have been acted on: never repeat it after a failure.
     * GET, DELETE and PATCH (same body, same result) are safe. */
    r.flags = (uint8_t)(FC_REQ_API | (d->method == FC_HTTP_POST ? 0u : FC_REQ_IDEMPOTENT));
    r.write_target = d->write_target;
    r.write_json = d->write_json;
    return fc_request_start(c, &r);
}

fc_err fc_api_call(fc_client *c, const fc_api_desc *d, void *out,
                   const char *s0, const char *s1)
{
    fc_err e = fc_api_begin(c, d, out, s0, s1);
    return e == FC_OK ? fc_api_send(c, d) : e;
}

fc_err fc_api_path(fc_client *c, fc_hw *w, const char *prefix, const char *suffix)
{
    fc_hw_str(w, prefix);
    fc_hw_str(w, "/");
    fc_hw_urlenc(w, c->op.s[0]);
    if (suffix != NULL) {
        fc_hw_str(w, suffix);
    }
    return FC_OK;
}

fc_err fc_api_on_empty(fc_client *c, fc_err result)
{
    (void)c;
    return result;
}

/* ---- bodies -------------------------------------------------------------------- */

fc_err fc_api_body(fc_client *c, fc_jw *w, const fc_body_field *f)
{
    fc_jw_object_begin(w);
    for (; f->kind != FC_BF_END; f++) {
        const char *s = c->op.s[f->slot];
        if (f->kind == FC_BF_DAYS) {
            fc_jw_key(w, f->key);
            if (c->op.n[0] < 0) {
                fc_jw_null(w);
            } else {
                fc_jw_i64(w, c->op.n[0]);
            }
        } else if (s != NULL && (s[0] != '\0' || f->kind == FC_BF_STR)) {
            fc_jw_kv_str(w, f->key, s);
        } else if (f->kind == FC_BF_NULLABLE) {
            fc_jw_key(w, f->key);
            fc_jw_null(w);
        }
    }
    fc_jw_object_end(w);
    return FC_OK;
}

static const fc_body_field k_body_name[] = {
    {FC_F_NAME, 1, FC_BF_STR},
    {NULL, 0, FC_BF_END}
};

fc_err fc_api_body_name(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, k_body_name);
}

/* ---- decoding ------------------------------------------------------------------- */

fc_err fc_api_parse(fc_client *c, fc_json_doc *doc)
{
    unsigned needed = 0;
    fc_err e = fc_json_parse(doc, fc_response_body(c), c->resp.body_len,
                             c->cfg.tokens, c->cfg.token_count, &needed);
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        c->error.needed = needed;
    }
    return e;
}

fc_err fc_api_str(fc_client *c, const fc_json_doc *doc, int tok, char *out, size_t cap)
{
    size_t needed = 0;
    fc_err e = fc_json_get_str_or_null(doc, tok, out, cap, &needed);
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        c->error.needed = needed;
    }
    return e;
}

/* Enum strings in value order, from 1; an unknown one is 0 (UNKNOWN). */
static const char *const k_scan_names[] = {
    FC_S_SCAN_PENDING, FC_S_SCAN_CLEAN, FC_S_SCAN_INFECTED, FC_S_SCAN_ERROR, NULL
};
static const char *const k_status_names[] = {
    FC_S_STATUS_DRAFT, FC_S_STATUS_READY, NULL
};

static int fc_enum_value(const char *const *names, const char *raw)
{
    int i;
    for (i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], raw) == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* Join an array of strings with spaces; all of it fits or nothing. */
static fc_err fc_decode_scopes(fc_client *c, const fc_json_doc *doc, int arr,
                               char *out, size_t cap)
{
    int n = fc_json_size(doc, arr);
    int tok = arr + 1;
    size_t len = 0;
    int i;
    out[0] = '\0';
    if (arr < 0 || fc_json_is_null(doc, arr)) {
        return FC_OK;
    }
    if (!fc_json_is_array(doc, arr)) {
        return FC_ERR_JSON;
    }
    for (i = 0; i < n; i++) {
        fc_err e;
        if (len > 0) {
            out[len++] = ' '; /* room: the previous string's NUL was there */
        }
        e = fc_api_str(c, doc, tok, out + len, cap - len);
        if (e != FC_OK) {
            c->error.needed += len;
            out[0] = '\0';
            return e;
        }
        len += strlen(out + len);
        tok = fc_json_skip(doc, tok);
    }
    return FC_OK;
}

static fc_err fc_decode_enum(fc_client *c, const fc_json_doc *doc, int tok,
                             const fc_field *f, char *p)
{
    /* fc_scan and fc_status share their layout: value, then raw text. */
    char *raw = p + (f->kind == FC_FK_SCAN ? offsetof(fc_scan, raw) : offsetof(fc_status, raw));
    fc_err e = fc_api_str(c, doc, tok, raw, FC_ENUM_RAW_MAX);
    if (e != FC_OK) {
        return e;
    }
    if (f->kind == FC_FK_SCAN) {
        ((fc_scan *)(void *)p)->value = (fc_scan_status)fc_enum_value(k_scan_names, raw);
    } else {
        ((fc_status *)(void *)p)->value = (fc_file_status)fc_enum_value(k_status_names, raw);
    }
    return FC_OK;
}

static fc_err fc_decode_time(fc_client *c, const fc_json_doc *doc, int tok, fc_time *t)
{
    fc_err e = fc_api_str(c, doc, tok, t->text, sizeof t->text);
    t->epoch_s = 0;
    if (e == FC_OK && t->text[0] != '\0') {
        e = fc_json_parse_time(t->text, &t->epoch_s);
    }
    return e;
}

static fc_err fc_decode_field(fc_client *c, const fc_json_doc *doc, int tok,
                              const fc_field *f, char *p)
{
    switch (f->kind) {
    case FC_FK_REQ:
        if (!fc_json_is_string(doc, tok)) {
            return FC_ERR_JSON;
        }
        return fc_api_str(c, doc, tok, p, f->cap);
    case FC_FK_STR:
        return fc_api_str(c, doc, tok, p, f->cap);
    case FC_FK_TIME:
        return fc_decode_time(c, doc, tok, (fc_time *)(void *)p);
    case FC_FK_I64:
        *(int64_t *)(void *)p = 0;
        if (tok < 0 || fc_json_is_null(doc, tok)) {
            return FC_OK;
        }
        return fc_json_get_i64(doc, tok, (int64_t *)(void *)p);
    case FC_FK_SCOPES:
        return fc_decode_scopes(c, doc, tok, p, f->cap);
    default:
        return fc_decode_enum(c, doc, tok, f, p);
    }
}

fc_err fc_decode_obj(fc_client *c, const fc_json_doc *doc, int tok,
                     const fc_field *f, void *out)
{
    if (!fc_json_is_object(doc, tok)) {
        return FC_ERR_JSON;
    }
    for (; f->kind != FC_FK_END; f++) {
        fc_err e = fc_decode_field(c, doc, fc_json_find(doc, tok, f->key), f,
                                   (char *)out + f->off);
        if (e != FC_OK) {
            return e;
        }
    }
    return FC_OK;
}

fc_err fc_api_decode_root(fc_client *c, fc_err result, const fc_field *f)
{
    fc_json_doc doc;
    fc_err e;
    if (result != FC_OK || c->op.out == NULL) {
        return result;
    }
    e = fc_api_parse(c, &doc);
    return e == FC_OK ? fc_decode_obj(c, &doc, 0, f, c->op.out) : e;
}

fc_err fc_api_decode_opt(fc_client *c, fc_err result, const fc_field *f)
{
    if (result == FC_OK && c->resp.status == 204) {
        return FC_OK; /* no content: out stays as it was */
    }
    return fc_api_decode_root(c, result, f);
}

/* ---- the tables shared by several endpoints -------------------------------------- */

const fc_field fc_fields_space[] = {
    FC_FLD(fc_space, FC_FK_REQ, FC_F_ID, id),
    FC_FLD(fc_space, FC_FK_STR, FC_F_TENANT_ID, tenant_id),
    FC_FLD(fc_space, FC_FK_STR, FC_F_NAME, name),
    FC_FLD(fc_space, FC_FK_STR, FC_F_APP, app),
    FC_FLD(fc_space, FC_FK_TIME, FC_F_CREATED_AT, created_at),
    FC_FLD(fc_space, FC_FK_TIME, FC_F_UPDATED_AT, updated_at),
    FC_FLD_END
};

const fc_field fc_fields_folder[] = {
    FC_FLD(fc_folder, FC_FK_REQ, FC_F_ID, id),
    FC_FLD(fc_folder, FC_FK_STR, FC_F_TENANT_ID, tenant_id),
    FC_FLD(fc_folder, FC_FK_STR, FC_F_SPACE_ID, space_id),
    FC_FLD(fc_folder, FC_FK_STR, FC_F_PARENT_ID, parent_id),
    FC_FLD(fc_folder, FC_FK_STR, FC_F_NAME, name),
    FC_FLD(fc_folder, FC_FK_TIME, FC_F_CREATED_AT, created_at),
    FC_FLD(fc_folder, FC_FK_TIME, FC_F_UPDATED_AT, updated_at),
    FC_FLD(fc_folder, FC_FK_TIME, FC_F_DELETED_AT, deleted_at),
    FC_FLD_END
};

const fc_field fc_fields_file[] = {
    FC_FLD(fc_file, FC_FK_REQ, FC_F_ID, id),
    FC_FLD(fc_file, FC_FK_STR, FC_F_TENANT_ID, tenant_id),
    FC_FLD(fc_file, FC_FK_STR, FC_F_SPACE_ID, space_id),
    FC_FLD(fc_file, FC_FK_STR, FC_F_FOLDER_ID, folder_id),
    FC_FLD(fc_file, FC_FK_STR, FC_F_SOURCE_APP, source_app),
    FC_FLD(fc_file, FC_FK_STR, FC_F_CLIENT_KEY, client_key),
    FC_FLD(fc_file, FC_FK_STR, FC_F_ORIGINAL_NAME, original_name),
    FC_FLD(fc_file, FC_FK_STR, FC_F_NAME, name),
    FC_FLD(fc_file, FC_FK_STR, FC_F_MIME, mime),
    FC_FLD(fc_file, FC_FK_I64, FC_F_SIZE, size),
    FC_FLD(fc_file, FC_FK_STR, FC_F_SHA256, sha256),
    FC_FLD(fc_file, FC_FK_SCAN, FC_F_SCAN_STATUS, scan_status),
    FC_FLD(fc_file, FC_FK_STATUS, FC_F_STATUS, status),
    FC_FLD(fc_file, FC_FK_STR, FC_F_CREATED_BY, created_by),
    FC_FLD(fc_file, FC_FK_TIME, FC_F_CREATED_AT, created_at),
    FC_FLD(fc_file, FC_FK_TIME, FC_F_UPDATED_AT, updated_at),
    FC_FLD(fc_file, FC_FK_TIME, FC_F_DELETED_AT, deleted_at),
    FC_FLD_END
};

const fc_field fc_fields_share[] = {
    FC_FLD(fc_share, FC_FK_REQ, FC_F_ID, id),
    FC_FLD(fc_share, FC_FK_STR, FC_F_FILE_ID, file_id),
    FC_FLD(fc_share, FC_FK_STR, FC_F_PERMISSION, permission),
    FC_FLD(fc_share, FC_FK_TIME, FC_F_EXPIRES_AT, expires_at),
    FC_FLD(fc_share, FC_FK_TIME, FC_F_CREATED_AT, created_at),
    FC_FLD(fc_share, FC_FK_STR, FC_F_URL, url),
    FC_FLD_END
};

fc_err fc_decode_file(fc_client *c, const fc_json_doc *doc, int tok, fc_file *out)
{
    return fc_decode_obj(c, doc, tok, fc_fields_file, out);
}

fc_err fc_decode_share(fc_client *c, const fc_json_doc *doc, int tok, fc_share *out)
{
    return fc_decode_obj(c, doc, tok, fc_fields_share, out);
}
