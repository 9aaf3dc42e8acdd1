/* SPDX-License-Identifier: MIT */
/*
 * fc_upload_complete.c - POST /uploads/complete, and the file every later
 * answer (complete, its check, the scan polls) must be.
 *
 * complete's body lists every part's ETag: 1,000 parts are ~60 kB of JSON,
 * more than any buffer. So it is a streamed body: a source that writes it
 * piece by piece (the head with the ids and the hash, then one piece per
 * part with its ETag read back from the application's store, then the
 * end), each piece whole into the I/O buffer, as many as fit. Its length
 * is learnt first by writing every piece into nothing.
 *
 * The server compares the stored size and SHA-256 with what we declare
 * (422 on a mismatch); we compare the file it answers with what we sent,
 * too, so a wrong success is caught on both sides.
 */
#include "fc_transfer.h"

#include <string.h>

#include "fluidcloud/fc_contract.h"

/* ---- complete's body, in pieces ------------------------------------------------- */

/* Text into buf[0, cap), or only counted when buf is NULL. */
typedef struct fc_piece {
    char *buf;
    size_t cap;
    size_t len; /* bytes the piece needs; written while they fit */
} fc_piece;

static void fc_piece_put(fc_piece *p, char ch)
{
    if (p->buf != NULL && p->len < p->cap) {
        p->buf[p->len] = ch;
    }
    p->len++;
}

static void fc_piece_str(fc_piece *p, const char *s)
{
    while (*s != '\0') {
        fc_piece_put(p, *s++);
    }
}

static void fc_piece_u64(fc_piece *p, uint64_t v)
{
    char digits[FC_U64_DIGITS_MAX];
    size_t n;
    const char *d = fc_u64_digits(v, digits, &n);
    while (n-- > 0u) {
        fc_piece_put(p, *d++);
    }
}

/* An ETag as a JSON string. It comes from an HTTP header, whose bytes are
 * not UTF-8 but opaque octets (RFC 9110 5.5, historically ISO-8859-1):
 * [contract] each byte outside printable ASCII goes as \u00XX, the
 * ISO-8859-1 character of that byte, so any ETag can be sent back. */
static void fc_piece_etag(fc_piece *p, const char *etag)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)etag;
    fc_piece_put(p, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            fc_piece_put(p, '\\');
            fc_piece_put(p, (char)*s);
        } else if (*s < 0x20u || *s >= 0x7Fu) {
            fc_piece_str(p, "\\u00");
            fc_piece_put(p, hex[*s >> 4]);
            fc_piece_put(p, hex[*s & 15u]);
        } else {
            fc_piece_put(p, (char)*s);
        }
    }
    fc_piece_put(p, '"');
}

/* {"upload_id":..,"file_id":..,"key":..,"sha256":..[,"parts":[  - the ids
 * are the ticket's (upload_id only when it had one, [contract] 15.9). */
static fc_err fc_complete_head(const fc_upload *up, fc_piece *p)
{
    const fc_upload_progress *pg = &up->progress;
    fc_json_writer w;
    fc_json_writer_init(&w, p->buf, p->buf != NULL ? p->cap + 1u : 0u); /* +1: no NUL needed */
    fc_json_write_object_begin(&w);
    if (pg->upload_id[0] != '\0') {
        fc_json_write_member_str(&w, FC_F_UPLOAD_ID, pg->upload_id);
    }
    fc_json_write_member_str(&w, FC_F_FILE_ID, pg->file_id);
    fc_json_write_member_str(&w, FC_F_KEY, pg->key);
    fc_json_write_member_str(&w, FC_F_SHA256, up->priv.sha256_hex);
    if (pg->multipart) {
        fc_json_write_key(&w, FC_F_PARTS);
        fc_json_write_array_begin(&w);
    }
    p->len = w.needed;
    /* The ids came from the server: not UTF-8 is its mistake, not ours. */
    return w.err == FC_OK ? FC_OK : FC_ERR_PROTOCOL;
}

/* [,]{"part_number":n,"etag":"..."} */
static fc_err fc_complete_part(const fc_upload *up, uint32_t n, fc_piece *p)
{
    const fc_etag_store *store = up->params.etags;
    char etag[FC_CONFIG_ETAG_MAX];
    if (store->load(store->ctx, n, etag, sizeof etag) != FC_OK) {
        return FC_ERR_SOURCE;
    }
    etag[sizeof etag - 1u] = '\0';
    if (n > 1u) {
        fc_piece_put(p, ',');
    }
    fc_piece_str(p, "{\"" FC_F_PART_NUMBER "\":");
    fc_piece_u64(p, n);
    fc_piece_str(p, ",\"" FC_F_ETAG "\":");
    fc_piece_etag(p, etag);
    fc_piece_put(p, '}');
    return FC_OK;
}

/* Piece k of the body: 0 the head, 1..part_count the parts (multipart
 * only), then the end. */
static fc_err fc_complete_piece(const fc_upload *up, uint32_t k, fc_piece *p)
{
    const fc_upload_progress *pg = &up->progress;
    uint32_t parts = pg->multipart ? pg->part_count : 0u;
    p->len = 0;
    if (k == 0u) {
        return fc_complete_head(up, p);
    }
    if (k <= parts) {
        return fc_complete_part(up, k, p);
    }
    fc_piece_str(p, pg->multipart ? "]}" : "}");
    return FC_OK;
}

static uint32_t fc_complete_pieces(const fc_upload *up)
{
    return 2u + (up->progress.multipart ? up->progress.part_count : 0u);
}

static fc_err fc_complete_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fc_client *c = ctx;
    fc_upload *up = c->priv.op.out;
    size_t used = 0;
    while (up->priv.step.complete_next < fc_complete_pieces(up)) {
        fc_piece p;
        fc_err e;
        p.buf = (char *)buf + used;
        p.cap = cap - used;
        e = fc_complete_piece(up, up->priv.step.complete_next, &p);
        if (e != FC_OK) {
            return e;
        }
        if (p.len > p.cap) {
            break; /* whole pieces only: this one goes first next time */
        }
        used += p.len;
        up->priv.step.complete_next++;
    }
    *got = used; /* 0 (a piece larger than the buffer) fails the request */
    return FC_OK;
}

static fc_err fc_complete_seek(void *ctx, uint64_t offset)
{
    fc_client *c = ctx;
    fc_upload *up = c->priv.op.out;
    if (offset != 0u) {
        return FC_ERR_SOURCE;
    }
    up->priv.step.complete_next = 0; /* the engine sends it again */
    return FC_OK;
}

static fc_err fc_complete_target(fc_client *c, fc_head_writer *w)
{
    (void)c;
    fc_head_write_str(w, FC_PATH_UPLOADS_COMPLETE);
    return FC_OK;
}

static fc_err fc_complete_headers(fc_client *c, fc_head_writer *w)
{
    (void)c;
    fc_head_write_str(w, "Content-Type: application/json\r\n");
    return FC_OK;
}

/* The SHA-256 of every byte, from the confirmed bytes' hash state. */
static void fc_upload_sha256_hex(fc_upload *up)
{
    fc_sha256 h = up->progress.hash; /* final() consumes the state */
    uint8_t digest[32];
    fc_sha256_final(&h, digest);
    fc_sha256_hex(digest, up->priv.sha256_hex);
}

fc_err fc_upload_complete_start(fc_client *c, fc_upload *up)
{
    fc_request req;
    uint32_t k;
    uint64_t len = 0;
    fc_upload_sha256_hex(up);
    for (k = 0; k < fc_complete_pieces(up); k++) {
        fc_piece p = {NULL, 0, 0};
        fc_err e = fc_complete_piece(up, k, &p);
        if (e != FC_OK) {
            return e;
        }
        len += p.len;
    }
    memset(&req, 0, sizeof req);
    req.method = FC_HTTP_POST;
    req.flags = FC_REQ_API; /* complete may have happened: never blindly twice */
    req.write_target = fc_complete_target;
    req.write_headers = fc_complete_headers;
    up->priv.step.complete_next = 0;
    up->priv.body.read = fc_complete_read;
    up->priv.body.seek = fc_complete_seek;
    up->priv.body.ctx = c;
    req.source = &up->priv.body;
    req.body_len = len;
    c->priv.op.step = fc_up_step_names[FC_UP_COMPLETE];
    return fc_request_start(c, &req);
}

/* ---- the file in an answer --------------------------------------------------------- */

/* The answer's scan_status and status, straight into the upload. */
static const fc_field k_upload_state[] = {FC_FLD(fc_upload, FC_FK_SCAN, SCAN_STATUS, scan.raw),
                                          FC_FLD(fc_upload, FC_FK_STATUS, STATUS, status.raw),
                                          FC_FLD_END};

/* The record proves that complete happened with our bytes: our size, and
 * the SHA-256 the server computed equal to ours ([contract]: a File has
 * its sha256 once complete stored it; a draft before that has none). */
static int fc_has_our_bytes(const fc_json_doc *doc, const fc_upload *up)
{
    int64_t size = -1;
    size_t n = 0;
    int sha = fc_json_find(doc, 0, FC_F_SHA256);
    const char *hex = fc_json_is_string(doc, sha) ? fc_json_raw(doc, sha, &n) : NULL;
    return fc_json_get_i64(doc, fc_json_find(doc, 0, FC_F_SIZE), &size) == FC_OK &&
           size == (int64_t)up->progress.size && hex != NULL && n == 64u &&
           fc_ascii_ieq(hex, up->priv.sha256_hex, 64u);
}

fc_err fc_upload_take_file(fc_client *c, fc_upload *up)
{
    fc_json_doc doc;
    fc_err e = fc_response_json(c, &doc);
    if (e == FC_OK && !fc_json_is_object(&doc, 0)) {
        e = FC_ERR_JSON;
    }
    if (e != FC_OK) {
        return e;
    }
    /* Another file's record (or an empty id) is no answer about ours. */
    if (!fc_json_str_eq(&doc, fc_json_find(&doc, 0, FC_F_ID), up->progress.file_id)) {
        fc_up_say(c, "the server answered with another file's record", 0, NULL);
        return FC_ERR_INTEGRITY;
    }
    if (!fc_has_our_bytes(&doc, up)) {
        fc_up_say(c, "the server's record does not carry our size and SHA-256", 0, NULL);
        return FC_ERR_INTEGRITY;
    }
    e = fc_decode_obj(c, &doc, 0, k_upload_state, up);
    if (e == FC_OK && up->params.file_out != NULL) {
        e = fc_decode_obj(c, &doc, 0, fc_obj_fields[FC_OBJ_FILE], up->params.file_out);
    }
    return e;
}
