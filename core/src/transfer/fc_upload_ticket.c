/*
 * fc_upload_ticket.c - the ticket POST /uploads/initiate answers.
 *
 * The ticket's presigned URLs (~0.3-1 kB each) and headers are needed until
 * the last part is sent. They are kept, unescaped and NUL-separated, at
 * the front of the I/O buffer (c->priv.reserved bytes), which the engine then
 * leaves alone: no extra RAM, and a clear "buffer too small, needs N" when
 * a ticket does not fit.
 */
#include "fc_transfer.h"

#include <string.h>

#include "fluidcloud/fc_contract.h"

/* Room the PUTs need beside the kept ticket: request head and body chunks. */
#define FC_TICKET_WORK_MIN 512u

/* A presigned PUT names a few headers; more is no ticket of the service. */
#define FC_TICKET_HEADERS_MAX 64

/* The value of pool key k (FC_K_*) in the object at obj, or -1. */
static int fc_ticket_find(const fc_json_doc *doc, int obj, unsigned k)
{
    return fc_json_find(doc, obj, fc_api_string(k));
}

/* ---- keeping the ticket's strings ------------------------------------- */

/*
 * The strings are kept in their text order, written over the JSON itself,
 * front to back: each one lands before its own source text (quotes and
 * keys are always dropped), so nothing unread is overwritten and the
 * ticket needs no room beyond its own JSON. What is read after a string
 * was kept (keys, part numbers) comes after it in the text.
 */
typedef struct fc_keep {
    char *at; /* next free byte */
} fc_keep;

static fc_err fc_keep_str(fc_keep *k, const fc_json_doc *doc, int tok)
{
    size_t needed = 0;
    fc_err e = fc_json_get_str(doc, tok, k->at, (size_t)-1 / 2, &needed);
    if (e != FC_OK) {
        return e; /* FC_ERR_JSON (it always fits): absent, no string, bad escape */
    }
    /* A header line break from the server would smuggle headers. */
    if (fc_has_line_break(k->at)) {
        return FC_ERR_PROTOCOL;
    }
    k->at += needed;
    return FC_OK;
}

static fc_err fc_keep_headers(fc_keep *k, const fc_json_doc *doc, int obj, uint16_t *count)
{
    int n = fc_json_size(doc, obj);
    int tok = obj + 1;
    int i;
    fc_err e = FC_OK;
    *count = 0;
    if (!fc_json_is_object(doc, obj)) {
        /* none: absent or null */
        return obj < 0 || fc_json_is_null(doc, obj) ? FC_OK : FC_ERR_JSON;
    }
    if (n > FC_TICKET_HEADERS_MAX) {
        return FC_ERR_PROTOCOL;
    }
    for (i = 0; i < n && e == FC_OK; i++) {
        e = fc_keep_str(k, doc, tok);
        if (e == FC_OK) {
            e = fc_keep_str(k, doc, tok + 1);
        }
        tok = fc_json_skip(doc, tok + 1);
        (*count)++;
    }
    return e;
}

/* The ids the later steps send back: root strings, none of them empty.
 * One loop over a table costs less flash than three calls. */
typedef struct fc_ticket_id {
    uint8_t key;  /* FC_K_* */
    uint16_t off; /* of the member in fc_upload_progress */
    uint16_t cap; /* its size */
} fc_ticket_id;

/* clang-format off */
#define FC_TICKET_ID(k, member) \
    { FC_K_##k, offsetof(fc_upload_progress, member), sizeof(((fc_upload_progress *)0)->member) }
/* clang-format on */

static const fc_ticket_id k_ticket_ids[] = {FC_TICKET_ID(UPLOAD_ID, upload_id),
                                            FC_TICKET_ID(FILE_ID, file_id), FC_TICKET_ID(KEY, key)};

static fc_err fc_ticket_ids(const fc_json_doc *doc, fc_upload *up)
{
    unsigned i;
    fc_err e = FC_OK;
    for (i = 0; i < sizeof k_ticket_ids / sizeof k_ticket_ids[0] && e == FC_OK; i++) {
        const fc_ticket_id *id = &k_ticket_ids[i];
        char *out = (char *)&up->progress + id->off;
        e = fc_json_get_str(doc, fc_ticket_find(doc, 0, id->key), out, id->cap, NULL);
        if (e == FC_OK && out[0] == '\0') {
            e = FC_ERR_JSON;
        }
    }
    return e;
}

/* The single PUT's URL and headers, in their text order: the URL's index
 * (url_at) is 0, or after the headers' pairs when they come first. */
static fc_err fc_keep_single(fc_keep *k, const fc_json_doc *doc, fc_upload *up)
{
    int url = fc_ticket_find(doc, 0, FC_K_URL);
    int headers = fc_json_find(doc, 0, FC_F_HEADERS);
    int headers_first = headers >= 0 && headers < url;
    fc_err e = FC_OK;
    up->priv.url_at = 0;
    if (headers_first) {
        e = fc_keep_headers(k, doc, headers, &up->priv.ticket_headers);
        up->priv.url_at = (uint16_t)(2u * up->priv.ticket_headers);
    }
    if (e == FC_OK) {
        e = fc_keep_str(k, doc, url);
    }
    if (e == FC_OK && !headers_first) {
        e = fc_keep_headers(k, doc, headers, &up->priv.ticket_headers);
    }
    return e;
}

/* A multipart ticket: part_size, then the parts' URLs in order from part
 * 1. Every part but the last is part_size bytes, so their count must be the one the size needs: counted
 * by subtraction, at most part_count + 1 steps, with no 64-bit division
 * (which would pull __aeabi_uldivmod into a Cortex-M image). */
static fc_err fc_keep_parts(fc_client *c, fc_keep *k, const fc_json_doc *doc, fc_upload *up)
{
    fc_upload_progress *pg = &up->progress;
    int arr = fc_ticket_find(doc, 0, FC_K_PARTS);
    int n = fc_json_size(doc, arr);
    int tok = arr + 1;
    int i;
    uint64_t left = pg->size;
    uint32_t parts = 1;
    int64_t part_size = 0;
    fc_err e = fc_json_get_i64(doc, fc_json_find(doc, 0, FC_F_PART_SIZE), &part_size);
    if (e != FC_OK || part_size <= 0 || !fc_json_is_array(doc, arr) || n <= 0) {
        return FC_ERR_JSON;
    }
    pg->multipart = 1;
    pg->part_size = (uint64_t)part_size;
    up->priv.ticket_headers = 0;
    up->priv.url_at = 0;
    if (n > FC_CONFIG_UPLOAD_MAX_PARTS) {
        c->priv.error.needed = (size_t)n; /* parts, see FC_CONFIG_UPLOAD_MAX_PARTS */
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    for (i = 0; i < n; i++) {
        int64_t number = 0;
        e = fc_json_get_i64(doc, fc_ticket_find(doc, tok, FC_K_PART_NUMBER), &number);
        if (e != FC_OK || number != i + 1) {
            return FC_ERR_JSON; /* parts must come in order, from 1 */
        }
        e = fc_keep_str(k, doc, fc_ticket_find(doc, tok, FC_K_URL));
        if (e != FC_OK) {
            return e;
        }
        tok = fc_json_skip(doc, tok);
    }
    pg->part_count = (uint32_t)n;
    for (; left > pg->part_size && parts <= pg->part_count; parts++) {
        left -= pg->part_size;
    }
    return parts == pg->part_count ? FC_OK : FC_ERR_PROTOCOL;
}

static fc_err fc_ticket_layout(fc_client *c, const fc_json_doc *doc, fc_upload *up, fc_keep *k)
{
    int mode = fc_ticket_find(doc, 0, FC_K_MODE);
    if (fc_json_str_eq(doc, mode, FC_MODE_SINGLE)) {
        up->progress.multipart = 0;
        up->progress.part_count = 1;
        up->progress.part_size = up->progress.size; /* fc_upload_put_next relies on it */
        return fc_keep_single(k, doc, up);
    }
    if (fc_json_str_eq(doc, mode, FC_MODE_MULTIPART)) {
        return fc_keep_parts(c, k, doc, up);
    }
    return FC_ERR_JSON;
}

fc_err fc_ticket_store(fc_client *c, fc_upload *up)
{
    fc_json_doc doc;
    fc_keep k;
    size_t need;
    /* A root that is no object has none of the ids: FC_ERR_JSON. */
    fc_err e = fc_response_json(c, &doc);
    if (e == FC_OK) {
        e = fc_ticket_ids(&doc, up);
    }
    k.at = (char *)c->cfg.io_buf; /* where the body is (nothing reserved) */
    if (e == FC_OK) {
        e = fc_ticket_layout(c, &doc, up, &k);
    }
    if (e != FC_OK) {
        return e;
    }
    /* The strings plus a working area for the PUTs must fit. */
    need = (size_t)(k.at - (char *)c->cfg.io_buf) + FC_TICKET_WORK_MIN;
    if (need > c->cfg.io_buf_size) {
        c->priv.error.needed = need;
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    c->priv.reserved = need - FC_TICKET_WORK_MIN;
    return FC_OK;
}

const char *fc_ticket_string(const fc_client *c, unsigned idx)
{
    return fc_str_at((const char *)c->cfg.io_buf, idx);
}

/* Compared with their NULs: a mismatch stops before name ends. */
static int fc_header_is_ours(const char *name)
{
    return fc_ascii_ieq(name, "host", sizeof "host") ||
           fc_ascii_ieq(name, "content-length", sizeof "content-length");
}

/* Exactly the ticket's headers (we write Host and Content-Length); a
 * multipart ticket has none. */
fc_err fc_ticket_write_headers(fc_client *c, fc_hw *w)
{
    const fc_upload *up = c->priv.op.out;
    unsigned i;
    for (i = 0; i < up->priv.ticket_headers; i++) {
        /* The headers follow the URL, or come first (url_at > 0). */
        unsigned at = (up->priv.url_at == 0u) + 2u * i;
        const char *name = fc_ticket_string(c, at);
        if (fc_header_is_ours(name)) {
            continue;
        }
        fc_hw_str(w, name);
        fc_hw_str(w, ": ");
        fc_hw_str(w, fc_ticket_string(c, at + 1u));
        fc_hw_str(w, "\r\n");
    }
    return FC_OK;
}
