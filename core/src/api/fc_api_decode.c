/*
 * fc_api_decode.c - what every endpoint shares: the string pool, starting
 * an operation from a descriptor, the generic target, body and response
 * writers, and decoding objects through field tables.
 *
 * Tables keep the endpoints data, not code: one loop serves every object
 * type and every body, which is what keeps the API layer small on a
 * Cortex-M.
 */
#include "fc_api_internal.h"

#include <string.h>

/* ---- the string pool ---------------------------------------------------------- */

/* All strings back to back, each ending in a NUL, in FC_K_* order. */
#define FC_API_KEY_TEXT(name, text) text "\0"
static const char k_strings[] = FC_API_STRINGS(FC_API_KEY_TEXT);
#undef FC_API_KEY_TEXT

const char *fc_api_s(unsigned k)
{
    return fc_str_at(k_strings, k);
}

/* ---- request bodies -------------------------------------------------------------- */

enum {
    FC_BF_END,
    FC_BF_STR,      /* the slot's string; omitted when NULL */
    FC_BF_NULLABLE, /* the slot's string; null when NULL or "" */
    FC_BF_NUM,      /* the number n[slot]; null when negative */
    FC_BF_PARTS     /* complete's parts: fc_upload_complete_parts() */
};

typedef struct fc_body_field {
    uint8_t key;  /* FC_K_* */
    uint8_t slot; /* index into c->priv.op.s (FC_BF_NUM: c->priv.op.n) */
    uint8_t kind; /* FC_BF_* */
} fc_body_field;

/* clang-format off */
#define FC_BF(key, slot, kind) { FC_K_##key, slot, kind }
#define FC_BF_END_ROW { 0, 0, FC_BF_END }
/* clang-format on */

/* {"name": s[1]}: rename of folders and files. */
static const fc_body_field k_body_name[] = {FC_BF(NAME, 1, FC_BF_STR), FC_BF_END_ROW};
/* {"folder_id": s[1]}, null = the space root */
static const fc_body_field k_body_file_move[] = {FC_BF(FOLDER_ID, 1, FC_BF_NULLABLE),
                                                 FC_BF_END_ROW};
/* {"space_id": s[2], "name": s[1], "parent_id": s[3]?} */
static const fc_body_field k_body_folder_create[] = {FC_BF(SPACE_ID, 2, FC_BF_STR),
                                                     FC_BF(NAME, 1, FC_BF_STR),
                                                     FC_BF(PARENT_ID, 3, FC_BF_STR), FC_BF_END_ROW};
/* {"parent_id": s[1]}, null = the space root */
static const fc_body_field k_body_folder_move[] = {FC_BF(PARENT_ID, 1, FC_BF_NULLABLE),
                                                   FC_BF_END_ROW};
/* {"name": s[1], "app": s[2]}: app is omitted when NULL (rename). */
static const fc_body_field k_body_space[] = {FC_BF(NAME, 1, FC_BF_STR), FC_BF(APP, 2, FC_BF_STR),
                                             FC_BF_END_ROW};
/* {"file_id": s[0], "expires_in_days": n[0] | null, "permission": s[1]?} */
static const fc_body_field k_body_share[] = {FC_BF(FILE_ID, 0, FC_BF_STR),
                                             FC_BF(EXPIRES_IN_DAYS, 0, FC_BF_NUM),
                                             FC_BF(PERMISSION, 1, FC_BF_STR), FC_BF_END_ROW};
/* {"url": s[0], "space_id": s[1], "folder_id"?, "name"?, "client_key"?} */
static const fc_body_field k_body_import[] = {
    FC_BF(URL, 0, FC_BF_STR),  FC_BF(SPACE_ID, 1, FC_BF_STR),   FC_BF(FOLDER_ID, 2, FC_BF_STR),
    FC_BF(NAME, 3, FC_BF_STR), FC_BF(CLIENT_KEY, 4, FC_BF_STR), FC_BF_END_ROW};

/* {"space_id": s[0], "folder_id"?, "name": s[2], "size": n[1],
 *  "content_type": s[3], "client_key"?, "upload_id"? (resuming)} */
static const fc_body_field k_body_initiate[] = {
    FC_BF(SPACE_ID, 0, FC_BF_STR),     FC_BF(FOLDER_ID, 1, FC_BF_STR),
    FC_BF(NAME, 2, FC_BF_STR),         FC_BF(SIZE, 1, FC_BF_NUM),
    FC_BF(CONTENT_TYPE, 3, FC_BF_STR), FC_BF(CLIENT_KEY, 4, FC_BF_STR),
    FC_BF(UPLOAD_ID, 5, FC_BF_STR),    FC_BF_END_ROW};

/* {"upload_id": s[0], "file_id": s[1], "key": s[2], "sha256": s[3],
 *  "parts"?: [...]} */
static const fc_body_field k_body_complete[] = {
    FC_BF(UPLOAD_ID, 0, FC_BF_STR), FC_BF(FILE_ID, 1, FC_BF_STR), FC_BF(KEY, 2, FC_BF_STR),
    FC_BF(SHA256, 3, FC_BF_STR),    FC_BF(NONE, 0, FC_BF_PARTS),  FC_BF_END_ROW};

/* In FC_BODY_* order. */
static const fc_body_field *const k_bodies[] = {
    NULL,         k_body_name,  k_body_file_move, k_body_folder_create, k_body_folder_move,
    k_body_space, k_body_share, k_body_import,    k_body_initiate,      k_body_complete};

/* Writes {"key": value, ...} by body table b. */
static fc_err fc_api_body(fc_client *c, fc_jw *w, unsigned b)
{
    const fc_body_field *f;
    fc_jw_object_begin(w);
    for (f = k_bodies[b]; f->kind != FC_BF_END; f++) {
        const char *key = fc_api_s(f->key);
        const char *s = c->priv.op.s[f->slot];
        if (f->kind == FC_BF_PARTS) {
            fc_upload_complete_parts(c, w);
            continue;
        }
        if (f->kind == FC_BF_NUM) {
            if (c->priv.op.n[f->slot] >= 0) {
                fc_jw_kv_i64(w, key, c->priv.op.n[f->slot]);
                continue;
            }
        } else if (s != NULL && (s[0] != '\0' || f->kind == FC_BF_STR)) {
            fc_jw_kv_str(w, key, s);
            continue;
        }
        /* No value: a STR is left out, a NUM or NULLABLE is null. */
        if (f->kind != FC_BF_STR) {
            fc_jw_key(w, key);
            fc_jw_null(w);
        }
    }
    fc_jw_object_end(w);
    return FC_OK;
}

/* ---- targets ---------------------------------------------------------------------- */

/* The path, then by the target: "/" + urlenc(s[0]) + the suffix, the
 * list's query, or "?<suffix>=s[0]&space_id=s[1]". */
static fc_err fc_api_target(fc_client *c, fc_hw *w)
{
    const fc_api_desc *d = (const fc_api_desc *)c->priv.op.ctx;
    unsigned target = d->target;
    int first = 1;
    fc_hw_str(w, fc_api_s(d->path));
    if (target == FC_T_ID) {
        fc_hw_str(w, "/");
        fc_hw_urlenc(w, c->priv.op.s[0]);
        fc_hw_str(w, fc_api_s(d->suffix));
    } else if (target == FC_T_LIST) {
        fc_api_list_query(c, w);
    } else if (target == FC_T_QUERY) {
        fc_hw_query(w, &first, fc_api_s(d->suffix), c->priv.op.s[0]);
        fc_hw_query(w, &first, fc_api_s(FC_K_Q_SPACE_ID), c->priv.op.s[1]);
    }
    return FC_OK;
}

static fc_err fc_api_write_body(fc_client *c, fc_jw *w)
{
    return fc_api_body(c, w, ((const fc_api_desc *)c->priv.op.ctx)->body);
}

/* ---- starting operations ------------------------------------------------------ */

static fc_err fc_api_on_response(fc_client *c, fc_err result);

/* ---- the endpoints ---------------------------------------------------------------- */

#define FC_API_EP_ROW(name, step, method, flags, path, target, suffix, body, obj) \
    {FC_HTTP_##method, flags,         FC_T_##target, FC_BODY_##body,              \
     FC_OBJ_##obj,     FC_K_P_##path, FC_K_##suffix},
static const fc_api_desc k_endpoints[] = {FC_API_ENDPOINTS(FC_API_EP_ROW)};
#undef FC_API_EP_ROW
/* Pool indices fit fc_api_desc's 7-bit path and suffix. */
typedef char fc_k_fits_desc[FC_K__COUNT <= 128 ? 1 : -1];

fc_err fc_api_start(fc_client *c, const char *s0, const char *s1, void *out, unsigned ep)
{
    const fc_api_desc *d = &k_endpoints[ep];
    fc_err e;
    /* An empty id would turn "/files/{id}" into the list "/files/". */
    if (c == NULL || ((d->flags & FC_NEED_S0) && (s0 == NULL || s0[0] == '\0')) ||
        ((d->flags & FC_NEED_S1) && s1 == NULL) || ((d->flags & FC_NEED_OUT) && out == NULL)) {
        return FC_ERR_INVALID_ARG;
    }
    /* The failing step is named by the endpoint's path ("/folders"): the
     * application knows which call it made, and the path costs no flash. */
    e = fc_op_begin(c, fc_api_s(d->path), fc_api_on_response, out);
    if (e == FC_OK) {
        c->priv.op.s[0] = s0;
        c->priv.op.s[1] = s1;
        c->priv.op.ctx = (void *)(uintptr_t)d; /* never written through */
    }
    return e;
}

fc_err fc_api_send(fc_client *c)
{
    const fc_api_desc *d = (const fc_api_desc *)c->priv.op.ctx;
    fc_request r;
    memset(&r, 0, sizeof r);
    r.method = d->method;
    /* A POST may have been acted on: never repeat it after a failure.
     * GET, DELETE and PATCH (same body, same result) are safe. */
    r.flags = (uint8_t)(FC_REQ_API | (d->method == FC_HTTP_POST ? 0u : FC_REQ_IDEMPOTENT));
    r.write_target = fc_api_target;
    r.write_json = d->body != FC_BODY_NONE ? fc_api_write_body : NULL;
    return fc_request_start(c, &r);
}

fc_err fc_api_request(fc_client *c, unsigned ep)
{
    c->priv.op.ctx = (void *)(uintptr_t)&k_endpoints[ep]; /* never written through */
    return fc_api_send(c);
}

fc_err fc_api_call2(fc_client *c, const char *s0, const char *s1, void *out, unsigned ep)
{
    fc_err e = fc_api_start(c, s0, s1, out, ep);
    return e == FC_OK ? fc_api_send(c) : e;
}

fc_err fc_api_call(fc_client *c, const char *s0, void *out, unsigned ep)
{
    return fc_api_call2(c, s0, NULL, out, ep);
}

/* ---- decoding ------------------------------------------------------------------- */

/* "" on failure: fc_json_join leaves what fit, a field never holds a cut
 * value. */
fc_err fc_api_get(fc_client *c, fc_get_fn get, const fc_json_doc *doc, int tok, char *out,
                  size_t cap)
{
    size_t needed = 0;
    fc_err e = get(doc, tok, out, cap, &needed);
    if (e != FC_OK) {
        out[0] = '\0';
    }
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        c->priv.error.needed = needed;
    }
    return e;
}

/* The value (from 1) of raw among the n pool strings from first; 0
 * (UNKNOWN) when it is none of them. */
static int fc_enum_value(const char *raw, unsigned first, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++) {
        if (strcmp(fc_api_s(first + i), raw) == 0) {
            return (int)i + 1;
        }
    }
    return 0;
}

/* quota.by_app, neither null nor absent: every entry fits in the struct,
 * or the call says how many. */
static fc_err fc_decode_apps(fc_client *c, const fc_json_doc *doc, int arr, fc_quota *q)
{
    int n = fc_json_size(doc, arr);
    fc_err e = fc_json_is_array(doc, arr) ? FC_OK : FC_ERR_JSON;
    if (e == FC_OK && n > FC_QUOTA_APPS_MAX) {
        c->priv.error.needed = (size_t)n;
        e = FC_ERR_BUFFER_TOO_SMALL;
    }
    if (e == FC_OK) {
        e = fc_decode_items(c, doc, arr, FC_OBJ_APP, (char *)q->by_app, NULL);
    }
    if (e == FC_OK) {
        q->by_app_count = (size_t)n;
    }
    return e;
}

/* fc_scan and fc_status share their layout (value, then raw text), so one
 * offset serves both; their rows point at raw. */
typedef char fc_enum_layout_check[offsetof(fc_scan, raw) == offsetof(fc_status, raw) ? 1 : -1];
#define FC_ENUM_RAW_OFF offsetof(fc_scan, raw)

/* Every kind but I64 and APPS is a string first: REQ, STR and the enums'
 * raw text as they are, TIME's text then parsed, SCOPES joined. */
static fc_err fc_decode_field(fc_client *c, const fc_json_doc *doc, int tok, const fc_field *f,
                              char *p)
{
    unsigned kind = f->kind;
    fc_err e;
    if (kind == FC_FK_APPS) {
        ((fc_quota *)(void *)p)->by_app_count = 0; /* also when null or absent */
    } else if (kind == FC_FK_I64) {
        *(int64_t *)(void *)p = 0;
    }
    if (kind == FC_FK_I64 || kind == FC_FK_APPS) {
        if (tok < 0 || fc_json_is_null(doc, tok)) {
            return FC_OK;
        }
        return kind == FC_FK_I64 ? fc_json_get_i64(doc, tok, (int64_t *)(void *)p)
                                 : fc_decode_apps(c, doc, tok, (fc_quota *)(void *)p);
    }
    /* fc_json_get_str: a missing or null id is FC_ERR_JSON. */
    e = fc_api_get(c,
                   kind == FC_FK_SCOPES ? fc_json_join
                   : kind == FC_FK_REQ  ? fc_json_get_str
                                        : fc_json_get_str_or_null,
                   doc, tok, p, fc_str_caps[f->cap]);
    if (kind == FC_FK_TIME) {
        fc_time *t = (fc_time *)(void *)p;
        t->epoch_s = 0;
        if (e == FC_OK && t->text[0] != '\0') {
            e = fc_json_parse_time(t->text, &t->epoch_s);
        }
    } else if (e == FC_OK && kind == FC_FK_SCAN) {
        ((fc_scan *)(void *)(p - FC_ENUM_RAW_OFF))->value =
            (fc_scan_status)fc_enum_value(p, FC_K_SCAN_PENDING, 4);
    } else if (e == FC_OK && kind == FC_FK_STATUS) {
        ((fc_status *)(void *)(p - FC_ENUM_RAW_OFF))->value =
            (fc_file_status)fc_enum_value(p, FC_K_STATUS_DRAFT, 2);
    }
    return e;
}

fc_err fc_decode_obj(fc_client *c, const fc_json_doc *doc, int tok, const fc_field *f, void *out)
{
    if (!fc_json_is_object(doc, tok)) {
        return FC_ERR_JSON;
    }
    for (; f->kind != FC_FK_END; f++) {
        fc_err e = fc_decode_field(c, doc, fc_json_find(doc, tok, fc_api_s(f->key)), f,
                                   (char *)out + f->off);
        if (e != FC_OK) {
            return e;
        }
    }
    return FC_OK;
}

fc_err fc_decode_items(fc_client *c, const fc_json_doc *doc, int arr, unsigned obj, char *items,
                       const fc_list_params *p)
{
    fc_err (*on_item)(void *, const void *) = p != NULL ? p->on_item : NULL;
    size_t stride = on_item != NULL ? 0u : fc_obj_size[obj];
    int n = fc_json_size(doc, arr);
    int tok = arr + 1;
    for (; n > 0; n--) {
        fc_err e = fc_decode_obj(c, doc, tok, fc_obj_fields[obj], items);
        if (e == FC_OK && on_item != NULL) {
            e = on_item(p->ctx, items);
        }
        if (e != FC_OK) {
            return e;
        }
        items += stride;
        tok = fc_json_skip(doc, tok);
    }
    return FC_OK;
}

/* on_response of every descriptor: lists page; other results decode the
 * root object into c->priv.op.out (nothing when out is NULL or no result). */
static fc_err fc_api_on_response(fc_client *c, fc_err result)
{
    const fc_api_desc *d = (const fc_api_desc *)c->priv.op.ctx;
    if (d->target == FC_T_LIST) {
        return fc_api_list_response(c, result, d);
    }
    if (result != FC_OK || d->obj == FC_OBJ_NONE || c->priv.op.out == NULL) {
        return result;
    }
    if ((d->flags & FC_D_OPT) && c->priv.resp.status == 204) {
        return FC_OK; /* no content: out stays as it was */
    }
    return fc_decode_response(c, d->obj, c->priv.op.out);
}

fc_err fc_decode_response(fc_client *c, unsigned obj, void *out)
{
    fc_json_doc doc;
    fc_err e = fc_response_json(c, &doc);
    return e == FC_OK ? fc_decode_obj(c, &doc, 0, fc_obj_fields[obj], out) : e;
}

/* ---- the result tables ------------------------------------------------------------ */

/* An fc_time: its text is first, with the capacity after FC_STR_CAPS. */
/* clang-format off */
#define FC_FLD_TIME(type, key, member)                                          \
    { (uint16_t)offsetof(type, member), FC_K_##key, FC_FK_TIME, FC_TIME_CAP }
/* clang-format on */
enum { FC_TIME_CAP = 10 };
typedef char fc_time_text_first[offsetof(fc_time, text) == 0 ? 1 : -1];

static const fc_field k_space[] = {FC_FLD(fc_space, FC_FK_REQ, ID, id),
                                   FC_FLD(fc_space, FC_FK_STR, TENANT_ID, tenant_id),
                                   FC_FLD(fc_space, FC_FK_STR, NAME, name),
                                   FC_FLD(fc_space, FC_FK_STR, APP, app),
                                   FC_FLD_TIME(fc_space, CREATED_AT, created_at),
                                   FC_FLD_TIME(fc_space, UPDATED_AT, updated_at),
                                   FC_FLD_END};

static const fc_field k_folder[] = {FC_FLD(fc_folder, FC_FK_REQ, ID, id),
                                    FC_FLD(fc_folder, FC_FK_STR, TENANT_ID, tenant_id),
                                    FC_FLD(fc_folder, FC_FK_STR, SPACE_ID, space_id),
                                    FC_FLD(fc_folder, FC_FK_STR, PARENT_ID, parent_id),
                                    FC_FLD(fc_folder, FC_FK_STR, NAME, name),
                                    FC_FLD_TIME(fc_folder, CREATED_AT, created_at),
                                    FC_FLD_TIME(fc_folder, UPDATED_AT, updated_at),
                                    FC_FLD_TIME(fc_folder, DELETED_AT, deleted_at),
                                    FC_FLD_END};

static const fc_field k_file[] = {FC_FLD(fc_file, FC_FK_REQ, ID, id),
                                  FC_FLD(fc_file, FC_FK_STR, TENANT_ID, tenant_id),
                                  FC_FLD(fc_file, FC_FK_STR, SPACE_ID, space_id),
                                  FC_FLD(fc_file, FC_FK_STR, FOLDER_ID, folder_id),
                                  FC_FLD(fc_file, FC_FK_STR, SOURCE_APP, source_app),
                                  FC_FLD(fc_file, FC_FK_STR, CLIENT_KEY, client_key),
                                  FC_FLD(fc_file, FC_FK_STR, ORIGINAL_NAME, original_name),
                                  FC_FLD(fc_file, FC_FK_STR, NAME, name),
                                  FC_FLD(fc_file, FC_FK_STR, MIME, mime),
                                  FC_FLD(fc_file, FC_FK_I64, SIZE, size),
                                  FC_FLD(fc_file, FC_FK_STR, SHA256, sha256),
                                  FC_FLD(fc_file, FC_FK_SCAN, SCAN_STATUS, scan_status.raw),
                                  FC_FLD(fc_file, FC_FK_STATUS, STATUS, status.raw),
                                  FC_FLD(fc_file, FC_FK_STR, CREATED_BY, created_by),
                                  FC_FLD_TIME(fc_file, CREATED_AT, created_at),
                                  FC_FLD_TIME(fc_file, UPDATED_AT, updated_at),
                                  FC_FLD_TIME(fc_file, DELETED_AT, deleted_at),
                                  FC_FLD_END};

static const fc_field k_share[] = {FC_FLD(fc_share, FC_FK_REQ, ID, id),
                                   FC_FLD(fc_share, FC_FK_STR, FILE_ID, file_id),
                                   FC_FLD(fc_share, FC_FK_STR, PERMISSION, permission),
                                   FC_FLD_TIME(fc_share, EXPIRES_AT, expires_at),
                                   FC_FLD_TIME(fc_share, CREATED_AT, created_at),
                                   FC_FLD(fc_share, FC_FK_STR, URL, url),
                                   FC_FLD_END};

static const fc_field k_app[] = {FC_FLD(fc_quota_app, FC_FK_STR, APP, app),
                                 FC_FLD(fc_quota_app, FC_FK_I64, BYTES, bytes),
                                 FC_FLD(fc_quota_app, FC_FK_I64, FILES, files), FC_FLD_END};

static const fc_field k_signed[] = {FC_FLD(fc_signed_url, FC_FK_REQ, URL, url),
                                    FC_FLD_TIME(fc_signed_url, EXPIRES_AT, expires_at), FC_FLD_END};

static const fc_field k_stats[] = {FC_FLD(fc_folder_stats, FC_FK_STR, FOLDER_ID, folder_id),
                                   FC_FLD(fc_folder_stats, FC_FK_I64, FILE_COUNT, file_count),
                                   FC_FLD(fc_folder_stats, FC_FK_I64, TOTAL_BYTES, total_bytes),
                                   FC_FLD_END};

static const fc_field k_me[] = {
    FC_FLD(fc_me, FC_FK_STR, TENANT_ID, tenant_id), FC_FLD(fc_me, FC_FK_STR, KEY_ID, key_id),
    FC_FLD(fc_me, FC_FK_STR, MODE, mode), FC_FLD(fc_me, FC_FK_SCOPES, SCOPES, scopes), FC_FLD_END};

static const fc_field k_quota[] = {FC_FLD(fc_quota, FC_FK_I64, BYTES_USED, bytes_used),
                                   FC_FLD(fc_quota, FC_FK_I64, BYTES_LIMIT, bytes_limit),
                                   FC_FLD(fc_quota, FC_FK_I64, LINKS_USED, links_used),
                                   FC_FLD(fc_quota, FC_FK_I64, LINKS_LIMIT, links_limit),
                                   {0, FC_K_BY_APP, FC_FK_APPS, 0},
                                   FC_FLD_END};

/* FC_STR_CAPS, then an fc_time's text (FC_TIME_CAP). */
const uint16_t fc_str_caps[] = {FC_STR_CAPS, FC_TIME_MAX};
typedef char
    fc_time_cap_check[sizeof fc_str_caps / sizeof fc_str_caps[0] == FC_TIME_CAP + 1 ? 1 : -1];

/* In FC_OBJ_* order. */
const fc_field *const fc_obj_fields[] = {NULL,  k_space,  k_folder, k_file, k_share,
                                         k_app, k_signed, k_stats,  k_me,   k_quota};
const uint16_t fc_obj_size[] = {0,
                                sizeof(fc_space),
                                sizeof(fc_folder),
                                sizeof(fc_file),
                                sizeof(fc_share),
                                sizeof(fc_quota_app)};
