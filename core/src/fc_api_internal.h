/*
 * fc_api_internal.h - what the endpoint files (fc_api_*.c) share, and what
 * the upload flow (fc_upload.c) uses of them. Not public.
 *
 * Every endpoint is a small descriptor (fc_api_desc) plus, where needed, a
 * path writer and a body table; the shared code validates arguments,
 * begins the operation and decodes the response through field tables
 * (fc_field), so one endpoint costs a few dozen bytes of code.
 *
 * Argument slots, by convention (c->op): s[0] is the id in the path (or
 * the first query value), s[1] the second argument (name, parent, ...);
 * the few calls with more set s[2..4] / n[0] between fc_api_begin() and
 * fc_api_send(). Each body table names the slots it writes.
 */
#ifndef FLUIDCLOUD_FC_API_INTERNAL_H
#define FLUIDCLOUD_FC_API_INTERNAL_H

#include "fc_internal.h"
#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_contract.h"

/* ---- for the upload flow ---------------------------------------------------- */

/* GET /files/{c->op.s[0]}. */
extern const fc_request fc_req_files_get;
/* POST /shares: s[0] file id, n[0] expires_in_days (< 0: permanent, sent
 * as null), s[1] permission (NULL: omitted, the server's default). */
extern const fc_request fc_req_shares_create;

/* Decode the object at tok into out. FC_ERR_JSON for a wrong shape or a
 * missing id, FC_ERR_BUFFER_TOO_SMALL (c->error.needed set) for a value
 * that does not fit. */
fc_err fc_decode_file(fc_client *c, const fc_json_doc *doc, int tok, fc_file *out);
fc_err fc_decode_share(fc_client *c, const fc_json_doc *doc, int tok, fc_share *out);

/* ---- table-driven decoding (fc_api_decode.c) ---------------------------------- */

enum {
    FC_FK_END,
    FC_FK_REQ,     /* required string (ids) */
    FC_FK_STR,     /* string; null or absent = "" */
    FC_FK_TIME,    /* fc_time */
    FC_FK_I64,     /* int64_t; null or absent = 0 */
    FC_FK_SCAN,    /* fc_scan */
    FC_FK_STATUS,  /* fc_status */
    FC_FK_SCOPES   /* array of strings, joined with spaces */
};

typedef struct fc_field {
    const char *key;
    uint16_t off;   /* offsetof the member */
    uint16_t cap;   /* string capacity (FC_FK_REQ/STR/SCOPES) */
    uint8_t kind;   /* FC_FK_* */
} fc_field;

#define FC_FLD(type, kind, key, member) \
    { key, (uint16_t)offsetof(type, member), (uint16_t)sizeof(((type *)0)->member), kind }
#define FC_FLD_END { NULL, 0, 0, FC_FK_END }

extern const fc_field fc_fields_space[];
extern const fc_field fc_fields_folder[];
extern const fc_field fc_fields_file[];
extern const fc_field fc_fields_share[];

/* Decode the object at tok by the table into out. */
fc_err fc_decode_obj(fc_client *c, const fc_json_doc *doc, int tok,
                     const fc_field *f, void *out);
/* Tokenize the buffered response (c->error.needed = tokens needed when
 * the token array is short). */
fc_err fc_api_parse(fc_client *c, fc_json_doc *doc);
/* on_response body: result as is unless FC_OK; then the root object into
 * c->op.out by the table (nothing when out is NULL). */
fc_err fc_api_decode_root(fc_client *c, fc_err result, const fc_field *f);
/* The same, but a 204 (no body) is FC_OK with out untouched: restores. */
fc_err fc_api_decode_opt(fc_client *c, fc_err result, const fc_field *f);
/* A string into a fixed field: FC_ERR_BUFFER_TOO_SMALL sets needed. */
fc_err fc_api_str(fc_client *c, const fc_json_doc *doc, int tok, char *out, size_t cap);

/* ---- starting operations (fc_api_decode.c) -------------------------------------- */

/* fc_api_desc.need */
#define FC_NEED_S0  0x01u  /* s0 non-NULL and non-empty (a path id) */
#define FC_NEED_S1  0x02u  /* s1 non-NULL */
#define FC_NEED_OUT 0x04u  /* out non-NULL */

typedef struct fc_api_desc {
    const char *step;                                   /* for errors */
    fc_err (*write_target)(fc_client *c, fc_hw *w);
    fc_err (*write_json)(fc_client *c, fc_jw *w);       /* NULL: no body */
    fc_err (*on_response)(fc_client *c, fc_err result);
    uint8_t method;                                     /* FC_HTTP_* */
    uint8_t need;                                       /* FC_NEED_* */
} fc_api_desc;

/* Validate, begin the operation, set s[0], s[1]. FC_OK when begun. */
fc_err fc_api_begin(fc_client *c, const fc_api_desc *d, void *out,
                    const char *s0, const char *s1);
/* Send the descriptor's request (after fc_api_begin and any more slots). */
fc_err fc_api_send(fc_client *c, const fc_api_desc *d);
/* fc_api_begin + fc_api_send. */
fc_err fc_api_call(fc_client *c, const fc_api_desc *d, void *out,
                   const char *s0, const char *s1);

/* Writes prefix + "/" + urlenc(s[0]) + suffix (suffix may be NULL). */
fc_err fc_api_path(fc_client *c, fc_hw *w, const char *prefix, const char *suffix);

/* on_response for calls without a result (deletes, revokes, purges). */
fc_err fc_api_on_empty(fc_client *c, fc_err result);

/* ---- request bodies (fc_api_decode.c) -------------------------------------------- */

enum {
    FC_BF_END,
    FC_BF_STR,       /* the slot's string; omitted when NULL */
    FC_BF_NULLABLE,  /* the slot's string; null when NULL or "" */
    FC_BF_DAYS       /* n[0]; null when negative */
};

typedef struct fc_body_field {
    const char *key;
    uint8_t slot;    /* index into c->op.s */
    uint8_t kind;    /* FC_BF_* */
} fc_body_field;

/* Writes {"key": value, ...} by the table. */
fc_err fc_api_body(fc_client *c, fc_jw *w, const fc_body_field *f);

/* {"name": s[1]}: rename of spaces, folders, files. */
fc_err fc_api_body_name(fc_client *c, fc_jw *w);

/* ---- lists (fc_api_list.c) ------------------------------------------------------ */

typedef struct fc_list_desc {
    fc_api_desc api;
    const fc_field *fields;
    size_t item_size;
} fc_list_desc;

/* Starts a list call; the items are decoded by d->fields. */
fc_err fc_api_list(fc_client *c, const fc_list_desc *d, const fc_list_params *p,
                   void *items, size_t cap, fc_page *page);
/* Writes prefix + the query of the running list's params. */
fc_err fc_api_list_target(fc_client *c, fc_hw *w, const char *prefix);
/* on_response of every list; d is the list's descriptor. */
fc_err fc_api_list_response(fc_client *c, fc_err result, const fc_list_desc *d);

#endif /* FLUIDCLOUD_FC_API_INTERNAL_H */
