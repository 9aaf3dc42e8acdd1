/* SPDX-License-Identifier: MIT */
/*
 * fc_api_internal.h - the api layer (core/src/api): every endpoint of the
 * Partner API as data, and the code that serves them all. Not public.
 *
 * An endpoint is one row of FC_API_ENDPOINTS below: its method, path, how
 * its arguments go out (the id in the path, a list's query, or a list of
 * named fields sent as the JSON body or the query, FC_API_FIELD_LISTS) and
 * which struct its answer decodes into. Its public function (fc_api_<...>.c)
 * only names its arguments, e.g.
 *
 *     return fc_api_call(c, &(fc_api_args){.space_id = space_id, .name = name},
 *                        out, FC_EP_FOLDERS_CREATE);
 *
 * and the field list reads them back by the same member names, so an
 * argument cannot reach the wrong JSON field. Files:
 *   fc_api_strings.c   the string pool: every key, path and enum text once
 *   fc_api_request.c   validating arguments, the request target and body,
 *                      starting the request
 *   fc_api_decode.c    the answer into the caller's struct, by field tables
 *   fc_api_list.c      paging, shared by every list
 *   fc_api_<resource>.c the public calls
 * Nothing here knows of uploads: the upload flow (core/src/transfer)
 * writes its own requests and sends the generic rows it needs (files.get,
 * shares.create) with fc_api_request(), decoding with the field tables.
 */
#ifndef FLUIDCLOUD_FC_API_INTERNAL_H
#define FLUIDCLOUD_FC_API_INTERNAL_H

#include "fc_engine.h"
#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_contract.h"

/* ---- the string pool (fc_api_strings.c) --------------------------------------- */

/* X(name, text): every string the endpoint layer sends or looks up. */
/* A table, laid out by hand: */
/* clang-format off */
#define FC_API_STRINGS(X)                                                      \
    X(NONE, "")                                                                \
    /* object fields */                                                        \
    X(ID, FC_F_ID) X(TENANT_ID, FC_F_TENANT_ID) X(NAME, FC_F_NAME)            \
    X(APP, FC_F_APP) X(CREATED_AT, FC_F_CREATED_AT)                           \
    X(UPDATED_AT, FC_F_UPDATED_AT) X(DELETED_AT, FC_F_DELETED_AT)             \
    X(SPACE_ID, FC_F_SPACE_ID) X(PARENT_ID, FC_F_PARENT_ID)                   \
    X(FOLDER_ID, FC_F_FOLDER_ID) X(SOURCE_APP, FC_F_SOURCE_APP)               \
    X(CLIENT_KEY, FC_F_CLIENT_KEY) X(ORIGINAL_NAME, FC_F_ORIGINAL_NAME)       \
    X(MIME, FC_F_MIME) X(SIZE, FC_F_SIZE) X(SHA256, FC_F_SHA256)              \
    X(SCAN_STATUS, FC_F_SCAN_STATUS) X(STATUS, FC_F_STATUS)                   \
    X(CREATED_BY, FC_F_CREATED_BY) X(KEY_ID, FC_F_KEY_ID) X(MODE, FC_F_MODE)  \
    X(SCOPES, FC_F_SCOPES) X(FILE_COUNT, FC_F_FILE_COUNT)                     \
    X(TOTAL_BYTES, FC_F_TOTAL_BYTES) X(URL, FC_F_URL)                         \
    X(EXPIRES_AT, FC_F_EXPIRES_AT) X(FILE_ID, FC_F_FILE_ID)                   \
    X(PERMISSION, FC_F_PERMISSION) X(EXPIRES_IN_DAYS, FC_F_EXPIRES_IN_DAYS)   \
    X(BYTES_USED, FC_F_BYTES_USED) X(BYTES_LIMIT, FC_F_BYTES_LIMIT)           \
    X(LINKS_USED, FC_F_LINKS_USED) X(LINKS_LIMIT, FC_F_LINKS_LIMIT)           \
    X(BY_APP, FC_F_BY_APP) X(BYTES, FC_F_BYTES) X(FILES, FC_F_FILES)          \
    X(ITEMS, FC_F_ITEMS) X(NEXT_CURSOR, FC_F_NEXT_CURSOR)                     \
    /* enum values, in the order of their C enums (from 1) */                 \
    X(SCAN_PENDING, FC_S_SCAN_PENDING) X(SCAN_CLEAN, FC_S_SCAN_CLEAN)         \
    X(SCAN_INFECTED, FC_S_SCAN_INFECTED) X(SCAN_ERROR, FC_S_SCAN_ERROR)       \
    X(STATUS_DRAFT, FC_S_STATUS_DRAFT) X(STATUS_READY, FC_S_STATUS_READY)     \
    /* query parameters */                                                     \
    X(Q_TRASHED, FC_Q_TRASHED) X(Q_TRUE, FC_Q_TRUE) X(Q_LIMIT, FC_Q_LIMIT)    \
    X(Q_CURSOR, FC_Q_CURSOR)                                                   \
    /* paths and suffixes */                                                   \
    X(P_ME, FC_PATH_ME) X(P_SPACES, FC_PATH_SPACES)                           \
    X(P_FOLDERS, FC_PATH_FOLDERS) X(P_FILES, FC_PATH_FILES)                   \
    X(P_FILES_RESOLVE, FC_PATH_FILES_RESOLVE)                                 \
    X(P_UPLOADS_IMPORT, FC_PATH_UPLOADS_IMPORT) X(P_SHARES, FC_PATH_SHARES)   \
    X(P_QUOTA, FC_PATH_QUOTA) X(P_GDPR_FILES, FC_PATH_GDPR_FILES)             \
    X(P_GDPR_TRASH, FC_PATH_GDPR_TRASH) X(P_RESTORE, FC_PATH_RESTORE)         \
    X(P_STATS, FC_PATH_STATS) X(P_DOWNLOAD, FC_PATH_DOWNLOAD)                 \
    X(P_PREVIEW, FC_PATH_PREVIEW)
/* clang-format on */

#define FC_API_KEY_ENUM(name, text) FC_K_##name,
enum { FC_API_STRINGS(FC_API_KEY_ENUM) FC_K__COUNT };
#undef FC_API_KEY_ENUM

/* Filters named like the field they filter share its pool string
 * (test_api.c checks each against its FC_Q_* name). */
#define FC_K_Q_SPACE_ID   FC_K_SPACE_ID
#define FC_K_Q_PARENT_ID  FC_K_PARENT_ID
#define FC_K_Q_FOLDER_ID  FC_K_FOLDER_ID
#define FC_K_Q_FILE_ID    FC_K_FILE_ID
#define FC_K_Q_CLIENT_KEY FC_K_CLIENT_KEY

/* The pool string with index k (FC_K_*). */
const char *fc_api_string(unsigned k);
/* The name of endpoint ep's public call, for fc_error_info.step. */
const char *fc_api_step(unsigned ep);

/* ---- the fields an endpoint sends (fc_api_request.c) ------------------------- */

/* How a field is written, and which values the call refuses. */
enum {
    FC_AF_END,
    FC_AF_STR,      /* the string; left out when NULL */
    FC_AF_REQ,      /* the string; NULL is FC_ERR_INVALID_ARG */
    FC_AF_ID,       /* an id: NULL or "" is FC_ERR_INVALID_ARG */
    FC_AF_NULLABLE, /* the string; null when NULL or "" */
    FC_AF_NUM       /* an int64_t member; null when negative */
};

/* One field: FC_AF_*, its JSON key or query name (FC_K_*), the member of
 * fc_api_args it takes its value from. */
typedef struct fc_api_field {
    uint8_t kind;
    uint8_t key;
    uint8_t member; /* offsetof(fc_api_args, ...) */
} fc_api_field;

/* Every field list, as FIELDS(list, F(kind, key, member) ...): FC_AF_<kind>,
 * FC_K_<key>, fc_api_args.<member>, in the order they are written. POST and
 * PATCH send them as the JSON body; a QUERY endpoint as "?key=value&...". */
/* clang-format off */
#define FC_API_FIELD_LISTS(FIELDS, F)                                               \
    FIELDS(NAME, F(REQ, NAME, name))                                                \
    FIELDS(SPACE, F(REQ, NAME, name) F(STR, APP, app))                              \
    FIELDS(FOLDER_CREATE, F(REQ, SPACE_ID, space_id) F(REQ, NAME, name)             \
                          F(STR, PARENT_ID, parent_id))                             \
    FIELDS(FOLDER_MOVE, F(NULLABLE, PARENT_ID, parent_id))                          \
    FIELDS(FILE_MOVE, F(NULLABLE, FOLDER_ID, folder_id))                            \
    FIELDS(RESOLVE, F(ID, CLIENT_KEY, client_key) F(STR, SPACE_ID, space_id))       \
    FIELDS(IMPORT, F(ID, URL, url) F(REQ, SPACE_ID, space_id)                       \
                   F(STR, FOLDER_ID, folder_id) F(STR, NAME, name)                  \
                   F(STR, CLIENT_KEY, client_key))                                  \
    FIELDS(SHARE, F(ID, FILE_ID, file_id) F(NUM, EXPIRES_IN_DAYS, expires_in_days)  \
                  F(STR, PERMISSION, permission))                                   \
    FIELDS(TRASH, F(STR, SPACE_ID, space_id))
/* clang-format on */

/* Field list indices: FC_FIELDS_NAME, ... (FC_FIELDS_NONE: no fields). */
#define FC_API_FIELDS_ENUM(list, rows) FC_FIELDS_##list,
#define FC_API_NO_ROW(kind, key, member)
enum { FC_FIELDS_NONE, FC_API_FIELD_LISTS(FC_API_FIELDS_ENUM, FC_API_NO_ROW) FC_FIELDS__COUNT };
#undef FC_API_FIELDS_ENUM
#undef FC_API_NO_ROW

/* ---- the endpoints ----------------------------------------------------------- */

/* fc_api_endpoint.flags */
#define FC_NEED_ID  0x01u /* args.id non-NULL and non-empty (the id in the path) */
#define FC_NEED_OUT 0x02u /* out non-NULL */
#define FC_OPT_BODY 0x04u /* no body (a 204, an empty 200) is FC_OK, out untouched */
#define FC_ID_OUT   (FC_NEED_ID | FC_NEED_OUT)

/* fc_api_endpoint.target: what follows the path. */
enum {
    FC_T_PLAIN, /* nothing (fields, if any, are the JSON body) */
    FC_T_ID,    /* "/" + urlenc(args.id) + the suffix */
    FC_T_LIST,  /* the list params' query (fc_api_list.c) */
    FC_T_QUERY  /* the fields as "?name=value&...", NULL and "" left out */
};

/* Every endpoint, as X(name, step, method, flags, path, target, suffix,
 * fields, result): FC_HTTP_<method>, FC_K_P_<path>, FC_T_<target>, FC_K_<suffix>
 * (after the id), FC_FIELDS_<fields>, FC_OBJ_<result> (NONE: no result).
 * `step` names the public call ("files.get", fc_files_get) in
 * fc_error_info.step when it fails. Adding an endpoint: a row here, a
 * field list above if it sends fields, and its public function. */
/* clang-format off */
#define FC_API_ENDPOINTS(X)                                                                  \
    X(ME_GET, "me.get", GET, FC_NEED_OUT, ME, PLAIN, NONE, NONE, ME)                          \
    X(QUOTA_GET, "quota.get", GET, FC_NEED_OUT, QUOTA, PLAIN, NONE, NONE, QUOTA)              \
    X(SPACES_LIST, "spaces.list", GET, 0, SPACES, LIST, NONE, NONE, SPACE)                    \
    X(SPACES_CREATE, "spaces.create", POST, 0, SPACES, PLAIN, NONE, SPACE, SPACE)             \
    X(SPACES_GET, "spaces.get", GET, FC_ID_OUT, SPACES, ID, NONE, NONE, SPACE)                \
    X(SPACES_RENAME, "spaces.rename", PATCH, FC_NEED_ID, SPACES, ID, NONE, SPACE, SPACE)      \
    X(SPACES_DELETE, "spaces.delete", DELETE, FC_NEED_ID, SPACES, ID, NONE, NONE, NONE)       \
    X(FOLDERS_LIST, "folders.list", GET, 0, FOLDERS, LIST, NONE, NONE, FOLDER)                \
    X(FOLDERS_CREATE, "folders.create", POST, 0, FOLDERS, PLAIN, NONE, FOLDER_CREATE, FOLDER) \
    X(FOLDERS_GET, "folders.get", GET, FC_ID_OUT, FOLDERS, ID, NONE, NONE, FOLDER)            \
    X(FOLDERS_RENAME, "folders.rename", PATCH, FC_NEED_ID, FOLDERS, ID, NONE, NAME, FOLDER)   \
    X(FOLDERS_MOVE, "folders.move", PATCH, FC_NEED_ID, FOLDERS, ID, NONE, FOLDER_MOVE,        \
      FOLDER)                                                                                 \
    X(FOLDERS_DELETE, "folders.delete", DELETE, FC_NEED_ID | FC_OPT_BODY, FOLDERS, ID, NONE,  \
      NONE, FOLDER)                                                                           \
    X(FOLDERS_RESTORE, "folders.restore", POST, FC_NEED_ID | FC_OPT_BODY, FOLDERS, ID,        \
      P_RESTORE, NONE, FOLDER)                                                                \
    X(FOLDERS_STATS, "folders.stats", GET, FC_ID_OUT, FOLDERS, ID, P_STATS, NONE, STATS)      \
    X(FILES_LIST, "files.list", GET, 0, FILES, LIST, NONE, NONE, FILE)                        \
    X(FILES_GET, "files.get", GET, FC_ID_OUT, FILES, ID, NONE, NONE, FILE)                    \
    X(FILES_RESOLVE, "files.resolve", GET, FC_NEED_OUT, FILES_RESOLVE, QUERY, NONE, RESOLVE,  \
      FILE)                                                                                   \
    X(FILES_RENAME, "files.rename", PATCH, FC_NEED_ID, FILES, ID, NONE, NAME, FILE)           \
    X(FILES_MOVE, "files.move", PATCH, FC_NEED_ID, FILES, ID, NONE, FILE_MOVE, FILE)          \
    X(FILES_DELETE, "files.delete", DELETE, FC_NEED_ID | FC_OPT_BODY, FILES, ID, NONE, NONE,  \
      FILE)                                                                                   \
    X(FILES_RESTORE, "files.restore", POST, FC_NEED_ID | FC_OPT_BODY, FILES, ID, P_RESTORE,   \
      NONE, FILE)                                                                             \
    X(FILES_DOWNLOAD, "files.download_url", GET, FC_ID_OUT, FILES, ID, P_DOWNLOAD, NONE, SIGNED)  \
    X(FILES_PREVIEW, "files.preview_url", GET, FC_ID_OUT, FILES, ID, P_PREVIEW, NONE, SIGNED)     \
    X(UPLOADS_IMPORT, "uploads.import_url", POST, 0, UPLOADS_IMPORT, PLAIN, NONE, IMPORT,     \
      FILE)                                                                                   \
    X(SHARES_LIST, "shares.list", GET, 0, SHARES, LIST, NONE, NONE, SHARE)                    \
    X(SHARES_CREATE, "shares.create", POST, FC_NEED_OUT, SHARES, PLAIN, NONE, SHARE,          \
      SHARE_CREATED)                                                                          \
    X(SHARES_GET, "shares.get", GET, FC_ID_OUT, SHARES, ID, NONE, NONE, SHARE)                \
    X(SHARES_REVOKE, "shares.revoke", DELETE, FC_NEED_ID, SHARES, ID, NONE, NONE, NONE)       \
    X(GDPR_FILE, "gdpr.purge_file", DELETE, FC_NEED_ID, GDPR_FILES, ID, NONE, NONE, NONE)     \
    X(GDPR_TRASH, "gdpr.purge_trash", DELETE, 0, GDPR_TRASH, QUERY, NONE, TRASH, NONE)
/* clang-format on */

/* Endpoint indices: FC_EP_FILES_GET, ... */
#define FC_API_EP_ENUM(name, step, method, flags, path, target, suffix, fields, obj) FC_EP_##name,
enum { FC_API_ENDPOINTS(FC_API_EP_ENUM) FC_EP__COUNT };
#undef FC_API_EP_ENUM

/* One row, in 4 bytes (31 bits used). */
struct fc_api_endpoint {
    unsigned method : 3; /* FC_HTTP_* */
    unsigned flags : 4;  /* FC_NEED_*, FC_OPT_BODY */
    unsigned target : 2; /* FC_T_* */
    unsigned fields : 4; /* FC_FIELDS_*: what it sends */
    unsigned obj : 4;    /* FC_OBJ_*: the result (FC_OBJ_NONE: none) */
    unsigned path : 7;   /* FC_K_P_*: the resource */
    unsigned suffix : 7; /* FC_K_*: after the id (FC_T_ID) */
};
typedef struct fc_api_endpoint fc_api_endpoint;

/* ---- starting calls (fc_api_request.c) ---------------------------------------- */

/* Check args against endpoint ep (FC_ERR_INVALID_ARG for a missing
 * required one, before anything else), begin the operation (FC_ERR_BUSY)
 * and send the request: FC_AGAIN when started. out is the result struct. */
fc_err fc_api_call(fc_client *c, const fc_api_args *args, void *out, unsigned ep);
/* Send endpoint ep's request for the running operation, whose arguments
 * are set (fc_api_call, fc_api_list). */
fc_err fc_api_send(fc_client *c, unsigned ep);
/* fc_api_call with args.id = id only: the calls that take just an id. */
fc_err fc_api_call_id(fc_client *c, const char *id, void *out, unsigned ep);
/* Send endpoint ep's request for the running operation (the upload flow):
 * its arguments become args (or, for a list, params); on_response and out
 * stay the operation's. */
fc_err fc_api_request(fc_client *c, unsigned ep, const fc_api_args *args);
fc_err fc_api_request_list(fc_client *c, unsigned ep, const fc_list_params *params);
/* The row of endpoint ep. */
const fc_api_endpoint *fc_api_endpoint_at(unsigned ep);

/* on_response of every call started by fc_api_call (fc_api_decode.c). */
fc_err fc_api_on_response(fc_client *c, fc_err result);
/* Decode the response body's object as FC_OBJ_<obj> into out. FC_ERR_JSON
 * for a wrong shape or a missing id, FC_ERR_BUFFER_TOO_SMALL
 * (c->priv.error.needed set) for a value or token count that does not fit. */
fc_err fc_decode_response(fc_client *c, unsigned obj, void *out);

/* ---- decoding answers by field tables (fc_api_decode.c) ------------------------- */

enum {
    FC_FK_END,
    FC_FK_REQ,    /* required string (ids) */
    FC_FK_STR,    /* string; null or absent = "" */
    FC_FK_TIME,   /* fc_time */
    FC_FK_I64,    /* int64_t; null or absent = 0 */
    FC_FK_SCAN,   /* fc_scan */
    FC_FK_STATUS, /* fc_status */
    FC_FK_SCOPES, /* array of strings, joined with spaces */
    FC_FK_APPS,   /* fc_quota's by_app array and count (off 0: the quota) */
    FC_FK_CUTS,   /* first row of a table with INFO fields: off = its `cut` byte */
    FC_FK_INFO0,  /* informational string: cut to fit, bit 0 of `cut` set */
    FC_FK_INFO1,  /* ... bit 1 */
    FC_FK_INFO2,
    FC_FK_INFO3
};

/* A row is 4 bytes: a string field names its capacity by an index into
 * the few capacities the structs use (FC_STR_CAP) instead of storing it. */
typedef struct fc_field {
    unsigned off : 16; /* offsetof the member */
    unsigned key : 8;  /* FC_K_* */
    unsigned kind : 4; /* FC_FK_* */
    unsigned cap : 4;  /* FC_FK_REQ/STR/SCOPES: index of sizeof the member */
} fc_field;

/* A table, laid out by hand: */
/* clang-format off */
/* The string capacities in fc_field.cap order (fc_api_decode.c). */
#define FC_STR_CAPS                                                             \
    FC_ID_MAX, FC_NAME_MAX, FC_CLIENT_KEY_MAX, FC_MIME_MAX, FC_APP_MAX,         \
    FC_SHA256_HEX_MAX, FC_URL_MAX, FC_SIGNED_URL_MAX, FC_SCOPES_MAX,            \
    FC_ENUM_RAW_MAX
extern const uint16_t fc_str_caps[];
/* The index of capacity n in FC_STR_CAPS; 15 when it is none of them. */
#define FC_STR_CAP(n)                                                           \
    ((n) == FC_ID_MAX ? 0 : (n) == FC_NAME_MAX ? 1 : (n) == FC_CLIENT_KEY_MAX ? 2 \
     : (n) == FC_MIME_MAX ? 3 : (n) == FC_APP_MAX ? 4                             \
     : (n) == FC_SHA256_HEX_MAX ? 5 : (n) == FC_URL_MAX ? 6                       \
     : (n) == FC_SIGNED_URL_MAX ? 7 : (n) == FC_SCOPES_MAX ? 8                    \
     : (n) == FC_ENUM_RAW_MAX ? 9 : 15)
/* A string member whose size is not in FC_STR_CAPS fails to compile. */
#define FC_FLD_CAP(kind, n)                                                     \
    (FC_STR_CAP(n) + 0 * sizeof(char[(kind) <= FC_FK_STR || (kind) == FC_FK_SCOPES \
                                     || (kind) >= FC_FK_INFO0                     \
                                         ? (FC_STR_CAP(n) < 15 ? 1 : -1) : 1]))

#define FC_FLD(type, kind, key, member)                                         \
    { (uint16_t)offsetof(type, member), FC_K_##key, kind,                       \
      FC_FLD_CAP(kind, sizeof(((type *)0)->member)) }
#define FC_FLD_END { 0, 0, FC_FK_END, 0 }
/* An informational string whose cut sets bit (a one-bit mask, 1..8 of
 * the public FC_*_CUT_* values); the table starts with FC_FLD_CUTS. */
#define FC_FLD_INFO(type, key, member, bit)                                     \
    FC_FLD(type, FC_FK_INFO0 + ((bit) == 1u ? 0 : (bit) == 2u ? 1 : (bit) == 4u ? 2 \
                                : (bit) == 8u ? 3 : 99), key, member)
#define FC_FLD_CUTS(type) { (uint16_t)offsetof(type, cut), 0, FC_FK_CUTS, 0 }
/* clang-format on */

/* Result types: index into fc_obj_fields / fc_obj_size. */
enum {
    FC_OBJ_NONE,
    FC_OBJ_SPACE,
    FC_OBJ_FOLDER,
    FC_OBJ_FILE,
    FC_OBJ_SHARE,
    FC_OBJ_APP, /* the last in arrays: fc_quota's by_app */
    FC_OBJ_SIGNED,
    FC_OBJ_STATS,
    FC_OBJ_ME,
    FC_OBJ_QUOTA,
    FC_OBJ_SHARE_CREATED /* fc_share with its url required */
};
extern const fc_field *const fc_obj_fields[];
extern const uint16_t fc_obj_size[]; /* sizeof the struct, up to FC_OBJ_APP */

/* Decode the object at tok by the table into out. */
fc_err fc_decode_obj(fc_client *c, const fc_json_doc *doc, int tok, const fc_field *f, void *out);
/* Decode every object of array arr (none when arr is no array) as
 * FC_OBJ_<obj> into items[0], items[1]... The caller checked they fit.
 * With p->on_item set (a list's callback; p may be NULL) each lands in
 * items[0] and is handed to it, which may stop the walk with an error.
 * key (FC_K_*) names the array in the detail when an item is no object. */
fc_err fc_decode_items(fc_client *c, const fc_json_doc *doc, int arr, unsigned key, unsigned obj,
                       char *items, const fc_list_params *p);
/* The answer's detail: "<what>: <problem>", or "<what>: needs <needed><unit>"
 * when problem is NULL (what NULL: the problem alone). For a 2xx answer
 * that does not decode (issue 15.10); compiled out unless
 * FC_CONFIG_ANSWER_DETAIL (fc_config.h). */
#if FC_CONFIG_ANSWER_DETAIL
void fc_api_bad_answer(fc_client *c, const char *what, const char *problem, size_t needed,
                       const char *unit);
#define FC_BAD_ANSWER(c, what, problem, needed, unit) \
    fc_api_bad_answer(c, what, problem, needed, unit)
#else
#define FC_BAD_ANSWER(c, what, problem, needed, unit) ((void)0)
#endif
/* fc_response_json, saying in the detail what was wrong. */
fc_err fc_api_response_json(fc_client *c, fc_json_doc *doc);
/* A getter with fc_json_get_str_or_null's arguments (or fc_json_join). */
typedef fc_err (*fc_get_fn)(const fc_json_doc *doc, int tok, char *out, size_t cap, size_t *needed);
/* get's string into a fixed field: all of it or "", and
 * FC_ERR_BUFFER_TOO_SMALL sets needed. */
fc_err fc_api_get(fc_client *c, fc_get_fn get, const fc_json_doc *doc, int tok, char *out,
                  size_t cap);

/* ---- lists (fc_api_list.c) ------------------------------------------------------ */

/* Starts list endpoint ep; items decode by its result table. */
fc_err fc_api_list(fc_client *c, const fc_list_params *p, void *items, size_t cap, fc_page *page,
                   unsigned ep);
/* Writes the query of the running list's params. */
void fc_api_list_query(fc_client *c, fc_head_writer *w);
/* The item array of a page body (the root when it is a bare array), or
 * -1 when there is none. */
int fc_page_items(const fc_json_doc *doc);
/* on_response of every list. */
fc_err fc_api_list_response(fc_client *c, fc_err result, const fc_api_endpoint *d);

#endif /* FLUIDCLOUD_FC_API_INTERNAL_H */
