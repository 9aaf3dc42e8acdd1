/*
 * fc_api_internal.h - what the endpoint files (fc_api_*.c) share, and what
 * the upload flow (fc_upload.c) uses of them. Not public.
 *
 * An endpoint is data: a row of FC_API_ENDPOINTS, a 7-byte descriptor
 * (fc_api_desc) naming its method, path, body table and result table. One
 * generic target writer, body writer and response decoder
 * (fc_api_decode.c) serve them all, found through c->priv.op.ctx, so an
 * endpoint costs its descriptor, its step name and a public function of a
 * few instructions. Strings (JSON keys, query
 * names, paths) live once in a string pool and are named by one-byte
 * indices (FC_K_*).
 *
 * Argument slots, by convention (c->priv.op): s[0] is the id in the path (or
 * the first query value), s[1] the second argument (name, parent, ...);
 * the few calls with more set s[2..5] / n[0..1] between fc_api_start() and
 * fc_api_send() (or fc_api_request()). Each body table names the slots it writes. Lists keep
 * their item array in s[0] and their params in s[1].
 */
#ifndef FLUIDCLOUD_FC_API_INTERNAL_H
#define FLUIDCLOUD_FC_API_INTERNAL_H

#include "fc_engine.h"
#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_contract.h"

/* ---- for the upload flow ---------------------------------------------------- */

/* Sends endpoint ep's request for the running operation (the upload flow,
 * which set the slots): c->priv.op.ctx becomes the descriptor, on_response and
 * out stay the operation's. */
fc_err fc_api_request(fc_client *c, unsigned ep);
/* The "parts" of POST /uploads/complete's body, when multipart
 * (transfer/fc_upload_complete.c). The one call from this layer up into
 * transfer: issue 12 moves complete's body into the upload flow and
 * removes it (and the upload-only rows of FC_API_ENDPOINTS). */
void fc_upload_complete_parts(fc_client *c, fc_jw *w);

/* Decode the response body's object as FC_OBJ_<obj> into out. FC_ERR_JSON
 * for a wrong shape or a missing id, FC_ERR_BUFFER_TOO_SMALL
 * (c->priv.error.needed set) for a value or token count that does not fit. */
fc_err fc_decode_response(fc_client *c, unsigned obj, void *out);

/* ---- the string pool (fc_api_decode.c) ----------------------------------------- */

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
    X(CONTENT_TYPE, FC_F_CONTENT_TYPE) X(UPLOAD_ID, FC_F_UPLOAD_ID)           \
    X(KEY, FC_F_KEY) X(PARTS, FC_F_PARTS) X(PART_NUMBER, FC_F_PART_NUMBER)    \
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
    X(P_UPLOADS_INITIATE, FC_PATH_UPLOADS_INITIATE)                           \
    X(P_UPLOADS_COMPLETE, FC_PATH_UPLOADS_COMPLETE)                           \
    X(P_QUOTA, FC_PATH_QUOTA) X(P_GDPR_FILES, FC_PATH_GDPR_FILES)             \
    X(P_GDPR_TRASH, FC_PATH_GDPR_TRASH) X(P_RESTORE, FC_PATH_RESTORE)         \
    X(P_STATS, FC_PATH_STATS) X(P_DOWNLOAD, FC_PATH_DOWNLOAD)                 \
    X(P_PREVIEW, FC_PATH_PREVIEW)                                              \
    /* the upload flow's step names, for errors (fc_upload.h) */               \
    X(UP_SPACES, "spaces") X(UP_INITIATE, "initiate") X(UP_PUT, "put")         \
    X(UP_COMPLETE, "complete") X(UP_SCAN, "scan") X(UP_SHARE, "share")
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
const char *fc_api_s(unsigned k);

/* ---- table-driven decoding (fc_api_decode.c) ---------------------------------- */

enum {
    FC_FK_END,
    FC_FK_REQ,    /* required string (ids) */
    FC_FK_STR,    /* string; null or absent = "" */
    FC_FK_TIME,   /* fc_time */
    FC_FK_I64,    /* int64_t; null or absent = 0 */
    FC_FK_SCAN,   /* fc_scan */
    FC_FK_STATUS, /* fc_status */
    FC_FK_SCOPES, /* array of strings, joined with spaces */
    FC_FK_APPS    /* fc_quota's by_app array and count (off 0: the quota) */
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
                                         ? (FC_STR_CAP(n) < 15 ? 1 : -1) : 1]))

#define FC_FLD(type, kind, key, member)                                         \
    { (uint16_t)offsetof(type, member), FC_K_##key, kind,                       \
      FC_FLD_CAP(kind, sizeof(((type *)0)->member)) }
#define FC_FLD_END { 0, 0, FC_FK_END, 0 }
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
    FC_OBJ_QUOTA
};
extern const fc_field *const fc_obj_fields[];
extern const uint16_t fc_obj_size[]; /* sizeof the struct, up to FC_OBJ_APP */

/* Decode the object at tok by the table into out. */
fc_err fc_decode_obj(fc_client *c, const fc_json_doc *doc, int tok, const fc_field *f, void *out);
/* Decode every object of array arr (none when arr is no array) as
 * FC_OBJ_<obj> into items[0], items[1]... The caller checked they fit.
 * With p->on_item set (a list's callback; p may be NULL) each lands in
 * items[0] and is handed to it, which may stop the walk with an error. */
fc_err fc_decode_items(fc_client *c, const fc_json_doc *doc, int arr, unsigned obj, char *items,
                       const fc_list_params *p);
/* A getter with fc_json_get_str_or_null's arguments (or fc_json_join). */
typedef fc_err (*fc_get_fn)(const fc_json_doc *doc, int tok, char *out, size_t cap, size_t *needed);
/* get's string into a fixed field: all of it or "", and
 * FC_ERR_BUFFER_TOO_SMALL sets needed. */
fc_err fc_api_get(fc_client *c, fc_get_fn get, const fc_json_doc *doc, int tok, char *out,
                  size_t cap);

/* ---- endpoint descriptors (fc_api_decode.c) ------------------------------------ */

/* fc_api_desc.flags */
#define FC_NEED_S0  0x01u /* s0 non-NULL and non-empty (a path id) */
#define FC_NEED_S1  0x02u /* s1 non-NULL */
#define FC_NEED_OUT 0x04u /* out non-NULL */
#define FC_D_OPT    0x08u /* a 204 (no body) is FC_OK, out untouched */

/* fc_api_desc.target: what follows the path. */
enum {
    FC_T_PLAIN, /* nothing */
    FC_T_ID,    /* "/" + urlenc(s[0]) + the suffix */
    FC_T_LIST,  /* the list params' query (fc_api_list.c) */
    FC_T_QUERY  /* ?<suffix>=s[0]&space_id=s[1], NULL values left out */
};

/* Request bodies: index into the body tables of fc_api_decode.c. */
enum {
    FC_BODY_NONE,
    FC_BODY_NAME,
    FC_BODY_FILE_MOVE,
    FC_BODY_FOLDER_CREATE,
    FC_BODY_FOLDER_MOVE,
    FC_BODY_SPACE,
    FC_BODY_SHARE,
    FC_BODY_IMPORT,
    FC_BODY_INITIATE,
    FC_BODY_COMPLETE
};

/* Every endpoint, as X(name, step, method, flags, path, target, suffix,
 * body, result): FC_HTTP_<method>, FC_K_P_<path>, FC_T_<target>,
 * FC_K_<suffix> (after the id, or the query key), FC_BODY_<body>,
 * FC_OBJ_<result> (NONE: no result). `step` documents the SDK name of the
 * call; errors name the step by the endpoint's path, which costs no flash. */
/* A table, laid out by hand: */
/* clang-format off */
#define FC_API_ENDPOINTS(X)                                                          \
    X(ME_GET, "me.get", GET, FC_NEED_OUT, ME, PLAIN, NONE, NONE, ME)                  \
    X(QUOTA_GET, "quota.get", GET, FC_NEED_OUT, QUOTA, PLAIN, NONE, NONE, QUOTA)      \
    X(SPACES_LIST, "spaces.list", GET, 0, SPACES, LIST, NONE, NONE, SPACE)            \
    X(SPACES_CREATE, "spaces.create", POST, FC_NEED_S1, SPACES, PLAIN, NONE, SPACE,   \
      SPACE)                                                                          \
    X(SPACES_GET, "spaces.get", GET, FC_ID_OUT, SPACES, ID, NONE, NONE, SPACE)        \
    X(SPACES_RENAME, "spaces.rename", PATCH, FC_NEED_S0 | FC_NEED_S1, SPACES, ID,     \
      NONE, SPACE, SPACE)                                                             \
    X(SPACES_DELETE, "spaces.delete", DELETE, FC_NEED_S0, SPACES, ID, NONE, NONE,     \
      NONE)                                                                           \
    X(FOLDERS_LIST, "folders.list", GET, 0, FOLDERS, LIST, NONE, NONE, FOLDER)        \
    X(FOLDERS_CREATE, "folders.create", POST, FC_NEED_S1, FOLDERS, PLAIN, NONE,       \
      FOLDER_CREATE, FOLDER)                                                          \
    X(FOLDERS_GET, "folders.get", GET, FC_ID_OUT, FOLDERS, ID, NONE, NONE, FOLDER)    \
    X(FOLDERS_RENAME, "folders.rename", PATCH, FC_NEED_S0 | FC_NEED_S1, FOLDERS, ID,  \
      NONE, NAME, FOLDER)                                                             \
    X(FOLDERS_MOVE, "folders.move", PATCH, FC_NEED_S0, FOLDERS, ID, NONE,             \
      FOLDER_MOVE, FOLDER)                                                            \
    X(FOLDERS_DELETE, "folders.delete", DELETE, FC_NEED_S0, FOLDERS, ID, NONE, NONE,  \
      NONE)                                                                           \
    X(FOLDERS_RESTORE, "folders.restore", POST, FC_NEED_S0 | FC_D_OPT, FOLDERS, ID,   \
      P_RESTORE, NONE, FOLDER)                                                        \
    X(FOLDERS_STATS, "folders.stats", GET, FC_ID_OUT, FOLDERS, ID, P_STATS, NONE,     \
      STATS)                                                                          \
    X(FILES_LIST, "files.list", GET, 0, FILES, LIST, NONE, NONE, FILE)                \
    X(FILES_GET, "files.get", GET, FC_ID_OUT, FILES, ID, NONE, NONE, FILE)            \
    X(FILES_RESOLVE, "files.resolve", GET, FC_ID_OUT, FILES_RESOLVE, QUERY,           \
      Q_CLIENT_KEY, NONE, FILE)                                                       \
    X(FILES_RENAME, "files.rename", PATCH, FC_NEED_S0 | FC_NEED_S1, FILES, ID, NONE,  \
      NAME, FILE)                                                                     \
    X(FILES_MOVE, "files.move", PATCH, FC_NEED_S0, FILES, ID, NONE, FILE_MOVE, FILE)  \
    X(FILES_DELETE, "files.delete", DELETE, FC_NEED_S0, FILES, ID, NONE, NONE, NONE)  \
    X(FILES_RESTORE, "files.restore", POST, FC_NEED_S0 | FC_D_OPT, FILES, ID,         \
      P_RESTORE, NONE, FILE)                                                          \
    X(FILES_DOWNLOAD, "files.download", GET, FC_ID_OUT, FILES, ID, P_DOWNLOAD, NONE,  \
      SIGNED)                                                                         \
    X(FILES_PREVIEW, "files.preview", GET, FC_ID_OUT, FILES, ID, P_PREVIEW, NONE,     \
      SIGNED)                                                                         \
    X(UPLOADS_IMPORT, "uploads.import", POST, FC_NEED_S0 | FC_NEED_S1,                \
      UPLOADS_IMPORT, PLAIN, NONE, IMPORT, FILE)                                      \
    X(SHARES_LIST, "shares.list", GET, 0, SHARES, LIST, NONE, NONE, SHARE)            \
    X(SHARES_CREATE, "shares.create", POST, FC_NEED_S0 | FC_NEED_OUT, SHARES, PLAIN,  \
      NONE, SHARE, SHARE)                                                             \
    X(SHARES_GET, "shares.get", GET, FC_ID_OUT, SHARES, ID, NONE, NONE, SHARE)        \
    X(SHARES_REVOKE, "shares.revoke", DELETE, FC_NEED_S0, SHARES, ID, NONE, NONE,     \
      NONE)                                                                           \
    X(GDPR_FILE, "gdpr.file", DELETE, FC_NEED_S0, GDPR_FILES, ID, NONE, NONE, NONE)   \
    X(GDPR_TRASH, "gdpr.trash", DELETE, FC_NEED_S0, GDPR_TRASH, QUERY, Q_SPACE_ID,    \
      NONE, NONE)                                                                     \
    /* the upload flow's own (fc_upload.c): it decodes their answers itself */        \
    X(UPLOAD_SPACES, "upload: the first page of spaces", GET, 0, SPACES, QUERY,       \
      Q_LIMIT, NONE, NONE)                                                            \
    X(UPLOADS_INITIATE, "uploads.initiate", POST, 0, UPLOADS_INITIATE, PLAIN, NONE,   \
      INITIATE, NONE)                                                                 \
    X(UPLOADS_COMPLETE, "uploads.complete", POST, 0, UPLOADS_COMPLETE, PLAIN, NONE,   \
      COMPLETE, NONE)
/* clang-format on */

#define FC_ID_OUT (FC_NEED_S0 | FC_NEED_OUT)

/* Endpoint indices: FC_EP_FILES_GET, ... */
#define FC_API_EP_ENUM(name, step, method, flags, path, target, suffix, body, obj) FC_EP_##name,
enum { FC_API_ENDPOINTS(FC_API_EP_ENUM) FC_EP__COUNT };
#undef FC_API_EP_ENUM

/* Bit-fields pack a row into 4 bytes instead of 7 (31 bits used). */
typedef struct fc_api_desc {
    unsigned method : 3; /* FC_HTTP_* */
    unsigned flags : 4;  /* FC_NEED_*, FC_D_* */
    unsigned target : 2; /* FC_T_* */
    unsigned body : 4;   /* FC_BODY_* */
    unsigned obj : 4;    /* FC_OBJ_*: the result (FC_OBJ_NONE: none) */
    unsigned path : 7;   /* FC_K_P_*: the resource */
    unsigned suffix : 7; /* FC_K_*: after the id (FC_T_ID), or the query key */
} fc_api_desc;

/* Validate, begin the operation of endpoint ep (c->priv.op.ctx = its
 * descriptor), set s[0], s[1]. FC_OK when begun. */
fc_err fc_api_start(fc_client *c, const char *s0, const char *s1, void *out, unsigned ep);
/* Send the running endpoint's request (after fc_api_start and any more
 * slots). */
fc_err fc_api_send(fc_client *c);
/* fc_api_start + fc_api_send; fc_api_call passes s1 = NULL. Argument order
 * follows the public calls so most of them are a plain tail call. */
fc_err fc_api_call2(fc_client *c, const char *s0, const char *s1, void *out, unsigned ep);
fc_err fc_api_call(fc_client *c, const char *s0, void *out, unsigned ep);

/* ---- lists (fc_api_list.c) ------------------------------------------------------ */

/* Starts list endpoint ep; items decode by its result table. */
fc_err fc_api_list(fc_client *c, const fc_list_params *p, void *items, size_t cap, fc_page *page,
                   unsigned ep);
/* Writes the query of the running list's params. */
void fc_api_list_query(fc_client *c, fc_hw *w);
/* The item array of a page body (the root when it is a bare array), or
 * -1 when there is none. */
int fc_page_items(const fc_json_doc *doc);
/* on_response of every list. */
fc_err fc_api_list_response(fc_client *c, fc_err result, const fc_api_desc *d);

#endif /* FLUIDCLOUD_FC_API_INTERNAL_H */
