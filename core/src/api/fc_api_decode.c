/* SPDX-License-Identifier: MIT */
/*
 * fc_api_decode.c - answers into the caller's structs: one loop over a
 * field table per result type (fc_space, fc_file, ...) checks the shape of
 * every value and fills fixed-size fields completely or fails (text for
 * people is cut to fit and flagged instead), says what was wrong when
 * FC_CONFIG_ANSWER_DETAIL, and the response handler every endpoint shares.
 */
#include "fc_api_internal.h"

#include <string.h>

/* ---- saying what is wrong with an answer (issue 15.10) --------------------------- */

#if FC_CONFIG_ANSWER_DETAIL

/* Append s to the detail, as much as fits (it is a message for people). */
static void fc_detail_add(fc_error_info *ei, size_t *len, const char *s)
{
    while (*s != '\0' && *len + 1 < sizeof ei->detail) {
        ei->detail[(*len)++] = *s++;
    }
    ei->detail[*len] = '\0';
}

/* Append more to the detail fc_api_bad_answer wrote. */
static void fc_api_bad_answer_more(fc_client *c, const char *more)
{
    size_t len = strlen(c->priv.error.detail);
    fc_detail_add(&c->priv.error, &len, more);
}

void fc_api_bad_answer(fc_client *c, const char *what, const char *problem, size_t needed,
                       const char *unit)
{
    fc_error_info *ei = &c->priv.error;
    size_t len = 0;
    ei->detail_cut = 0;
    ei->detail[0] = '\0';
    if (what != NULL) {
        fc_detail_add(ei, &len, what);
        fc_detail_add(ei, &len, ": ");
    }
    if (problem != NULL) {
        fc_detail_add(ei, &len, problem);
    } else {
        char buf[FC_U64_DIGITS_MAX + 1];
        size_t n;
        const char *d = fc_u64_digits(needed, buf, &n);
        buf[FC_U64_DIGITS_MAX] = '\0';
        fc_detail_add(ei, &len, "needs ");
        fc_detail_add(ei, &len, d);
        fc_detail_add(ei, &len, unit);
    }
}

/* What a field of each kind must be (FC_FK_* order, from FC_FK_REQ). */
static const char k_must_be[] =
    "a string\0a string\0a time\0an integer\0a string\0a string\0"
    "an array of strings\0an array";

/* "<key>: <problem>" for a field that failed with e. An entry of by_app
 * (FC_FK_APPS) that failed already said what was wrong with it. */
static void fc_bad_field(fc_client *c, const fc_json_doc *doc, int tok, const fc_field *f, fc_err e)
{
    const char *key = fc_api_string(f->key);
    unsigned kind = f->kind >= FC_FK_INFO0 ? FC_FK_STR : f->kind;
    size_t len = 1;
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        FC_BAD_ANSWER(c, key, NULL, c->priv.error.needed,
                      kind == FC_FK_APPS ? " entries" : " bytes");
    } else if (tok < 0 || fc_json_is_null(doc, tok)) {
        FC_BAD_ANSWER(c, key, tok < 0 ? "missing" : "null", 0, NULL);
    } else if (kind != FC_FK_APPS || !fc_json_is_array(doc, tok)) {
        (void)fc_json_raw(doc, tok, &len);
        FC_BAD_ANSWER(c, key, len == 0 && kind == FC_FK_REQ ? "empty" : "not ", 0, NULL);
        if (len != 0 || kind != FC_FK_REQ) {
            fc_api_bad_answer_more(c, fc_str_at(k_must_be, kind - FC_FK_REQ));
        }
    }
}
#define FC_BAD_FIELD(c, doc, tok, f, e) fc_bad_field(c, doc, tok, f, e)
#else
#define FC_BAD_FIELD(c, doc, tok, f, e) ((void)0)
#endif

/* ---- decoding ------------------------------------------------------------------- */

/* "" on failure: fc_json_join leaves what fit, and such a field never holds
 * a cut value (informational ones are cut on purpose, fc_decode_field). */
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
        if (strcmp(fc_api_string(first + i), raw) == 0) {
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
        e = fc_decode_items(c, doc, arr, FC_K_BY_APP, FC_OBJ_APP, (char *)q->by_app, NULL);
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
                              char *p, uint8_t *cut)
{
    unsigned kind = f->kind;
    fc_err e;
    if (kind >= FC_FK_INFO0) {
        /* Text for people: cut to fit rather than fail (issue 12.4). */
        size_t cap = fc_str_caps[f->cap];
        size_t needed = 0;
        e = fc_json_get_str_cut(doc, tok, p, cap, &needed);
        if (e == FC_OK && needed > cap) {
            *cut = (uint8_t)(*cut | (1u << (kind - FC_FK_INFO0)));
        }
        return e;
    }
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
    if (e == FC_OK && kind == FC_FK_REQ && p[0] == '\0') {
        e = FC_ERR_JSON; /* a required id (or URL) must not be empty */
    }
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
        c->priv.error.detail[0] = '\0'; /* the caller says where */
        return FC_ERR_JSON;
    }
    uint8_t no_cut_byte = 0;
    uint8_t *cut = &no_cut_byte; /* until the table's FC_FK_CUTS row */
    for (; f->kind != FC_FK_END; f++) {
        int v;
        fc_err e;
        if (f->kind == FC_FK_CUTS) {
            cut = (uint8_t *)out + f->off; /* the struct's `cut` byte */
            *cut = 0;
            continue;
        }
        v = fc_json_find(doc, tok, fc_api_string(f->key));
        e = fc_decode_field(c, doc, v, f, (char *)out + f->off, cut);
        if (e != FC_OK) {
            FC_BAD_FIELD(c, doc, v, f, e);
            return e;
        }
    }
    return FC_OK;
}

fc_err fc_decode_items(fc_client *c, const fc_json_doc *doc, int arr, unsigned key, unsigned obj,
                       char *items, const fc_list_params *p)
{
    fc_err (*on_item)(void *, const void *) = p != NULL ? p->on_item : NULL;
    size_t stride = on_item != NULL ? 0u : fc_obj_size[obj];
    int n = fc_json_size(doc, arr);
    int tok = arr + 1;
    (void)key; /* in messages only (FC_CONFIG_ANSWER_DETAIL) */
    for (; n > 0; n--) {
        fc_err e = fc_decode_obj(c, doc, tok, fc_obj_fields[obj], items);
        if (e == FC_ERR_JSON && c->priv.error.detail[0] == '\0') {
            FC_BAD_ANSWER(c, fc_api_string(key), "not an array of objects", 0, NULL);
        }
        if (e != FC_OK) {
            return e;
        }
        if (on_item != NULL) {
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

/* Lists page; other results decode the root object into c->priv.op.out
 * (nothing when out is NULL or there is no result). */
fc_err fc_api_on_response(fc_client *c, fc_err result)
{
    const fc_api_endpoint *d = c->priv.op.endpoint;
    if (d->target == FC_T_LIST) {
        return fc_api_list_response(c, result, d);
    }
    if (result != FC_OK || d->obj == FC_OBJ_NONE || c->priv.op.out == NULL) {
        return result;
    }
    if ((d->flags & FC_OPT_BODY) && (c->priv.resp.status == 204 || c->priv.resp.body_len == 0)) {
        return FC_OK; /* no content: out stays as it was */
    }
    return fc_decode_response(c, d->obj, c->priv.op.out);
}

fc_err fc_api_response_json(fc_client *c, fc_json_doc *doc)
{
    fc_err e = fc_response_json(c, doc);
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        FC_BAD_ANSWER(c, NULL, NULL, c->priv.error.needed, " JSON tokens");
    } else if (e != FC_OK) {
        FC_BAD_ANSWER(c, NULL, "the answer is not JSON", 0, NULL);
    }
    return e;
}

fc_err fc_decode_response(fc_client *c, unsigned obj, void *out)
{
    fc_json_doc doc;
    fc_err e = fc_api_response_json(c, &doc);
    if (e == FC_OK) {
        e = fc_decode_obj(c, &doc, 0, fc_obj_fields[obj], out);
        if (e == FC_ERR_JSON && c->priv.error.detail[0] == '\0') {
            FC_BAD_ANSWER(c, NULL, "the answer is not an object", 0, NULL);
        }
    }
    return e;
}

/* ---- the result tables ------------------------------------------------------------ */

/* An fc_time: its text is first, with the capacity after FC_STR_CAPS. */
/* clang-format off */
#define FC_FLD_TIME(type, key, member)                                          \
    { (uint16_t)offsetof(type, member), FC_K_##key, FC_FK_TIME, FC_TIME_CAP }
/* clang-format on */
enum { FC_TIME_CAP = 10 };
typedef char fc_time_text_first[offsetof(fc_time, text) == 0 ? 1 : -1];

static const fc_field k_space[] = {FC_FLD_CUTS(fc_space),
                                   FC_FLD(fc_space, FC_FK_REQ, ID, id),
                                   FC_FLD(fc_space, FC_FK_STR, TENANT_ID, tenant_id),
                                   FC_FLD_INFO(fc_space, NAME, name, FC_SPACE_CUT_NAME),
                                   FC_FLD_INFO(fc_space, APP, app, FC_SPACE_CUT_APP),
                                   FC_FLD_TIME(fc_space, CREATED_AT, created_at),
                                   FC_FLD_TIME(fc_space, UPDATED_AT, updated_at),
                                   FC_FLD_END};

static const fc_field k_folder[] = {FC_FLD_CUTS(fc_folder),
                                    FC_FLD(fc_folder, FC_FK_REQ, ID, id),
                                    FC_FLD(fc_folder, FC_FK_STR, TENANT_ID, tenant_id),
                                    FC_FLD(fc_folder, FC_FK_STR, SPACE_ID, space_id),
                                    FC_FLD(fc_folder, FC_FK_STR, PARENT_ID, parent_id),
                                    FC_FLD_INFO(fc_folder, NAME, name, FC_FOLDER_CUT_NAME),
                                    FC_FLD_TIME(fc_folder, CREATED_AT, created_at),
                                    FC_FLD_TIME(fc_folder, UPDATED_AT, updated_at),
                                    FC_FLD_TIME(fc_folder, DELETED_AT, deleted_at),
                                    FC_FLD_END};

static const fc_field k_file[] = {
    FC_FLD_CUTS(fc_file),
    FC_FLD(fc_file, FC_FK_REQ, ID, id),
    FC_FLD(fc_file, FC_FK_STR, TENANT_ID, tenant_id),
    FC_FLD(fc_file, FC_FK_STR, SPACE_ID, space_id),
    FC_FLD(fc_file, FC_FK_STR, FOLDER_ID, folder_id),
    FC_FLD_INFO(fc_file, SOURCE_APP, source_app, FC_FILE_CUT_SOURCE_APP),
    FC_FLD(fc_file, FC_FK_STR, CLIENT_KEY, client_key),
    FC_FLD_INFO(fc_file, ORIGINAL_NAME, original_name, FC_FILE_CUT_ORIGINAL_NAME),
    FC_FLD_INFO(fc_file, NAME, name, FC_FILE_CUT_NAME),
    FC_FLD(fc_file, FC_FK_STR, MIME, mime),
    FC_FLD(fc_file, FC_FK_I64, SIZE, size),
    FC_FLD(fc_file, FC_FK_STR, SHA256, sha256),
    FC_FLD(fc_file, FC_FK_SCAN, SCAN_STATUS, scan_status.raw),
    FC_FLD(fc_file, FC_FK_STATUS, STATUS, status.raw),
    FC_FLD_INFO(fc_file, CREATED_BY, created_by, FC_FILE_CUT_CREATED_BY),
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

/* A share just created: its link is the point of it, so url is required
 * (a share read back or listed carries none). */
static const fc_field k_share_created[] = {FC_FLD(fc_share, FC_FK_REQ, ID, id),
                                           FC_FLD(fc_share, FC_FK_STR, FILE_ID, file_id),
                                           FC_FLD(fc_share, FC_FK_STR, PERMISSION, permission),
                                           FC_FLD_TIME(fc_share, EXPIRES_AT, expires_at),
                                           FC_FLD_TIME(fc_share, CREATED_AT, created_at),
                                           FC_FLD(fc_share, FC_FK_REQ, URL, url),
                                           FC_FLD_END};

static const fc_field k_app[] = {FC_FLD_CUTS(fc_quota_app),
                                 FC_FLD_INFO(fc_quota_app, APP, app, FC_QUOTA_APP_CUT_APP),
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
const fc_field *const fc_obj_fields[] = {NULL,    k_space, k_folder,       k_file,
                                         k_share, k_app,   k_signed,       k_stats,
                                         k_me,    k_quota, k_share_created};
const uint16_t fc_obj_size[] = {0,
                                sizeof(fc_space),
                                sizeof(fc_folder),
                                sizeof(fc_file),
                                sizeof(fc_share),
                                sizeof(fc_quota_app)};
