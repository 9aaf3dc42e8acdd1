/* SPDX-License-Identifier: MIT */
/*
 * fc_download.c - GET a raw link or presigned URL into a sink.
 *
 * No key is sent (the URL is its own capability). After a broken
 * connection the download asks again with "Range: bytes=<offset>-". The
 * sink must see every byte once, in order, whatever the server answers:
 * the answer's Content-Range says which byte its body starts at, so the
 * bytes the sink already has are skipped (a 206 of the whole object, a 200
 * that ignored the range) and a gap fails (issue 10). The head also gives
 * the object's size and a file name (Content-Disposition), before the
 * first body byte. Both headers come from the engine in pieces
 * (fc_request.capture) and are read here byte by byte, without a buffer.
 */
#include "fc_transfer.h"

#include <string.h>

/* ---- Content-Range: "bytes first-last/size", or "bytes *" "/size" ------------- */

enum {
    FC_CR_BYTES = 5, /* 0..4: the letters of "bytes" matched so far */
    FC_CR_FIRST_0,   /* expect the first digit (or '*') */
    FC_CR_FIRST,
    FC_CR_LAST_0,
    FC_CR_LAST,
    FC_CR_SIZE_0, /* after '/': a digit or '*' */
    FC_CR_SIZE,
    FC_CR_END,  /* after the size ('*' included): spaces only */
    FC_CR_STAR, /* "bytes *": expect '/' */
    FC_CR_BAD
};

static int fc_is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Append a digit to n; 0 on overflow. */
static int fc_add_digit(uint64_t *n, char ch)
{
    if (*n > (UINT64_MAX - 9u) / 10u) {
        return 0;
    }
    *n = *n * 10u + (uint64_t)(ch - '0');
    return 1;
}

/* One byte of the Content-Range value: the state moves on or goes bad. */
static uint8_t fc_range_step(fc_download *dl, char ch)
{
    uint8_t s = dl->priv.range_state;
    uint64_t *r = dl->priv.range;
    if (s < FC_CR_BYTES) {
        if ((char)(ch | 0x20) == "bytes"[s]) {
            return (uint8_t)(s + 1u);
        }
        return s == 0u && ch == ' ' ? s : (uint8_t)FC_CR_BAD;
    }
    switch (s) {
    case FC_CR_BYTES: return ch == ' ' ? (uint8_t)FC_CR_FIRST_0 : (uint8_t)FC_CR_BAD;
    case FC_CR_FIRST_0:
        if (ch == '*') {
            return FC_CR_STAR;
        }
        /* fall through */
    case FC_CR_FIRST:
        if (fc_is_digit(ch)) {
            return fc_add_digit(&r[0], ch) ? (uint8_t)FC_CR_FIRST : (uint8_t)FC_CR_BAD;
        }
        return s == FC_CR_FIRST && ch == '-' ? (uint8_t)FC_CR_LAST_0 : (uint8_t)FC_CR_BAD;
    case FC_CR_LAST_0:
    case FC_CR_LAST:
        if (fc_is_digit(ch)) {
            return fc_add_digit(&r[1], ch) ? (uint8_t)FC_CR_LAST : (uint8_t)FC_CR_BAD;
        }
        return s == FC_CR_LAST && ch == '/' ? (uint8_t)FC_CR_SIZE_0 : (uint8_t)FC_CR_BAD;
    case FC_CR_STAR: return ch == '/' ? (uint8_t)FC_CR_SIZE_0 : (uint8_t)FC_CR_BAD;
    case FC_CR_SIZE_0:
        if (ch == '*') {
            return FC_CR_END; /* size unknown: 0 */
        }
        /* fall through */
    case FC_CR_SIZE:
        if (fc_is_digit(ch)) {
            return fc_add_digit(&r[2], ch) ? (uint8_t)FC_CR_SIZE : (uint8_t)FC_CR_BAD;
        }
        return s == FC_CR_SIZE && ch == ' ' ? (uint8_t)FC_CR_END : (uint8_t)FC_CR_BAD;
    case FC_CR_END: return ch == ' ' ? (uint8_t)FC_CR_END : (uint8_t)FC_CR_BAD;
    default: return FC_CR_BAD;
    }
}

/* ---- Content-Disposition: the file name (RFC 6266) --------------------------------- */

enum {
    FC_CD_TYPE,    /* the disposition type, up to the first ';' */
    FC_CD_NAME,    /* a parameter's name, into word[] */
    FC_CD_VALUE,   /* after '=': a token or a quoted string */
    FC_CD_TOKEN,   /* filename=token */
    FC_CD_QUOTED,  /* filename="..." */
    FC_CD_ESCAPE,  /* after '\' in a quoted string */
    FC_CD_CHARSET, /* filename*=charset'lang'value: the charset, into word[] */
    FC_CD_LANGUAGE,
    FC_CD_PERCENT, /* the value, percent-encoded */
    FC_CD_HEX1,    /* after '%' */
    FC_CD_HEX2,
    FC_CD_SKIP, /* another parameter's value (a token) */
    FC_CD_SKIP_QUOTED,
    FC_CD_SKIP_ESCAPE
};

/* dl->priv.name_from: where the name came from (filename* wins). */
enum { FC_NAME_NONE, FC_NAME_PLAIN, FC_NAME_EXT };

#define FC_NAME_CUT ((size_t)-1)

static void fc_name_put(fc_download *dl, char ch)
{
    if (dl->priv.name_len == FC_NAME_CUT) {
        return;
    }
    if (dl->priv.name_len + 1u >= dl->filename_cap) {
        dl->priv.name_len = FC_NAME_CUT; /* never cut: no name at all */
        return;
    }
    dl->filename[dl->priv.name_len++] = ch;
}

/* A value for the name starts (from: FC_NAME_*): filename* replaces a
 * plain filename, never the other way round. */
static uint8_t fc_name_begin(fc_download *dl, uint8_t from, uint8_t state)
{
    if (dl->filename == NULL || (from == FC_NAME_PLAIN && dl->priv.name_from == FC_NAME_EXT)) {
        return state == FC_CD_CHARSET ? (uint8_t)FC_CD_SKIP : state;
    }
    dl->priv.name_from = from;
    dl->priv.name_len = 0;
    return state;
}

static int fc_word_is(const fc_download *dl, const char *s)
{
    size_t n = strlen(s);
    return dl->priv.word_len == n && fc_ascii_ieq(dl->priv.word, s, n);
}

static void fc_word_add(fc_download *dl, char ch)
{
    if (dl->priv.word_len < sizeof dl->priv.word) {
        dl->priv.word[dl->priv.word_len] = ch;
    }
    if (dl->priv.word_len < 255u) {
        dl->priv.word_len++;
    }
}

/* '=' after a parameter name: its value is the name, or skipped. */
static uint8_t fc_disposition_param(fc_download *dl)
{
    if (fc_word_is(dl, "filename*")) {
        dl->priv.word_len = 0;
        return fc_name_begin(dl, FC_NAME_EXT, FC_CD_CHARSET);
    }
    if (fc_word_is(dl, "filename")) {
        return FC_CD_VALUE;
    }
    return FC_CD_SKIP;
}

static int fc_hex_digit(char ch)
{
    if (fc_is_digit(ch)) {
        return ch - '0';
    }
    ch = (char)(ch | 0x20);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Whether this plain value writes the name (it may be superseded). */
static int fc_writes_plain(const fc_download *dl)
{
    return dl->filename != NULL && dl->priv.name_from == FC_NAME_PLAIN;
}

static uint8_t fc_disposition_step(fc_download *dl, char ch)
{
    uint8_t s = dl->priv.name_state;
    int end = ch == ';';
    switch (s) {
    case FC_CD_TYPE: return end ? (uint8_t)FC_CD_NAME : s;
    case FC_CD_NAME:
        if (ch == '=') {
            return fc_disposition_param(dl);
        }
        if (end) {
            dl->priv.word_len = 0;
        } else if (ch != ' ' && ch != '\t') {
            fc_word_add(dl, ch);
        }
        return s;
    case FC_CD_VALUE:
        if (ch == ' ' || ch == '\t') {
            return s;
        }
        if (end) {
            break; /* an empty value: no name from it */
        }
        s = fc_name_begin(dl, FC_NAME_PLAIN, ch == '"' ? FC_CD_QUOTED : FC_CD_TOKEN);
        if (ch != '"' && fc_writes_plain(dl)) {
            fc_name_put(dl, ch);
        }
        return s;
    case FC_CD_TOKEN:
    case FC_CD_PERCENT:
        if (end || ch == ' ' || ch == '\t') {
            break; /* the value ended */
        }
        if (s == FC_CD_PERCENT && ch == '%') {
            return FC_CD_HEX1;
        }
        if (s == FC_CD_PERCENT || fc_writes_plain(dl)) {
            fc_name_put(dl, ch);
        }
        return s;
    case FC_CD_QUOTED:
    case FC_CD_ESCAPE:
        if (s == FC_CD_QUOTED && ch == '"') {
            return FC_CD_SKIP; /* the rest up to ';' */
        }
        if (s == FC_CD_QUOTED && ch == '\\') {
            return FC_CD_ESCAPE;
        }
        if (fc_writes_plain(dl)) {
            fc_name_put(dl, ch);
        }
        return FC_CD_QUOTED;
    case FC_CD_CHARSET:
        if (ch != '\'') {
            fc_word_add(dl, ch);
            return s;
        }
        /* [contract] only UTF-8 names: another charset gives no name */
        if (!fc_word_is(dl, "utf-8")) {
            dl->priv.name_from = FC_NAME_NONE;
            return FC_CD_SKIP;
        }
        return FC_CD_LANGUAGE;
    case FC_CD_LANGUAGE: return ch == '\'' ? (uint8_t)FC_CD_PERCENT : s;
    case FC_CD_HEX1:
    case FC_CD_HEX2: {
        int v = fc_hex_digit(ch);
        if (v < 0) {
            dl->priv.name_len = FC_NAME_CUT; /* a bad escape: no name */
            return FC_CD_SKIP;
        }
        if (s == FC_CD_HEX1) {
            dl->priv.word[0] = (char)v;
            return FC_CD_HEX2;
        }
        fc_name_put(dl, (char)((dl->priv.word[0] << 4) | v));
        return FC_CD_PERCENT;
    }
    case FC_CD_SKIP_QUOTED:
        return ch == '"' ? (uint8_t)FC_CD_SKIP : ch == '\\' ? (uint8_t)FC_CD_SKIP_ESCAPE : s;
    case FC_CD_SKIP_ESCAPE: return FC_CD_SKIP_QUOTED;
    default: /* FC_CD_SKIP */
        if (ch == '"') {
            return FC_CD_SKIP_QUOTED;
        }
        break;
    }
    if (end) {
        dl->priv.word_len = 0;
        return FC_CD_NAME;
    }
    return FC_CD_SKIP;
}

/* The name as a file name: no directory part, no control bytes, not "."
 * or ".."; else "". */
static void fc_name_finish(fc_download *dl)
{
    size_t n = dl->priv.name_len;
    size_t from = 0;
    size_t i;
    if (dl->filename == NULL || dl->filename_cap == 0u) {
        return;
    }
    if (dl->priv.name_from == FC_NAME_NONE || n == FC_NAME_CUT) {
        n = 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)dl->filename[i];
        if (ch < 0x20u || ch == 0x7Fu) {
            n = 0; /* no name rather than a surprising one */
        } else if (ch == '/' || ch == '\\') {
            from = i + 1u;
        }
    }
    n = n > from ? n - from : 0u;
    memmove(dl->filename, dl->filename + from, n);
    dl->filename[n] = '\0';
    if (strcmp(dl->filename, ".") == 0 || strcmp(dl->filename, "..") == 0) {
        dl->filename[0] = '\0';
    }
}

/* ---- the answer ------------------------------------------------------------------ */

static fc_err fc_dl_header(fc_client *c, unsigned which, const char *piece, size_t len);

/* The head is complete: which byte of the object the body starts at, and
 * the object's size. */
static fc_err fc_dl_head(fc_client *c, fc_download *dl)
{
    uint64_t *r = dl->priv.range;
    uint8_t s = dl->priv.range_state;
    fc_name_finish(dl);
    if (c->priv.resp.status == 200) {
        dl->priv.body_at = 0; /* the whole object, whatever was asked */
        dl->total = fc_response_content_length(c);
        return FC_OK;
    }
    if (c->priv.resp.status != 206) {
        return FC_OK; /* an error: its body is not the object's */
    }
    dl->priv.range_ok = (uint8_t)(s == FC_CR_SIZE || s == FC_CR_END);
    if (!dl->priv.range_ok || r[1] < r[0] || (r[2] != 0u && r[1] >= r[2]) || r[0] > dl->offset) {
        return FC_ERR_PROTOCOL; /* no usable range, or one that leaves a gap */
    }
    dl->priv.body_at = r[0];
    dl->total = r[2];
    return FC_OK;
}

static fc_err fc_dl_header(fc_client *c, unsigned which, const char *piece, size_t len)
{
    fc_download *dl = c->priv.op.out;
    size_t i;
    if (which == 0u) {
        return fc_dl_head(c, dl);
    }
    for (i = 0; i < len; i++) {
        if (which == FC_CAPTURE_CONTENT_RANGE) {
            dl->priv.range_state = fc_range_step(dl, piece[i]);
        } else {
            dl->priv.name_state = fc_disposition_step(dl, piece[i]);
        }
    }
    return FC_OK;
}

static fc_err fc_dl_sink(void *ctx, const uint8_t *data, size_t len)
{
    fc_client *c = ctx;
    fc_download *dl = c->priv.op.out;
    /* The object's byte data[0] is. */
    uint64_t at = dl->priv.body_at + (c->priv.resp.body_seen - len);
    size_t skip = 0;
    fc_err e;
    if (at > dl->offset) {
        return FC_ERR_PROTOCOL; /* a gap (fc_dl_head refused it already) */
    }
    if (at < dl->offset) {
        /* Bytes the sink already has: drop them. */
        skip = dl->offset - at < len ? (size_t)(dl->offset - at) : len;
    }
    if (skip == len) {
        return FC_OK;
    }
    if (dl->total != 0u && dl->offset + (len - skip) > dl->total) {
        return FC_ERR_PROTOCOL; /* more than the object holds */
    }
    e = dl->sink(dl->sink_ctx, data + skip, len - skip);
    if (e == FC_OK) {
        dl->offset += len - skip;
    }
    return e;
}

static fc_err fc_dl_headers(fc_client *c, fc_head_writer *w)
{
    fc_download *dl = c->priv.op.out;
    if (dl->offset > 0u) {
        fc_head_write_str(w, "Range: bytes=");
        fc_head_write_u64(w, dl->offset);
        fc_head_write_str(w, "-\r\n");
    }
    return FC_OK;
}

static fc_err fc_dl_start_request(fc_client *c, fc_download *dl)
{
    fc_request req;
    memset(&req, 0, sizeof req);
    memset(dl->priv.range, 0, sizeof dl->priv.range);
    dl->priv.range_state = 0;
    dl->priv.name_state = FC_CD_TYPE;
    dl->priv.name_from = FC_NAME_NONE;
    dl->priv.word_len = 0;
    dl->priv.name_len = 0;
    dl->priv.start = dl->offset; /* where this request starts */
    dl->priv.body_at = dl->offset;
    req.method = FC_HTTP_GET;
    req.flags = FC_REQ_IDEMPOTENT;
    req.url = dl->url;
    req.url_len = strlen(dl->url);
    req.write_headers = fc_dl_headers;
    req.sink = fc_dl_sink;
    req.sink_ctx = c;
    req.capture = FC_CAPTURE_CONTENT_RANGE | FC_CAPTURE_CONTENT_DISPOSITION;
    req.on_header = fc_dl_header;
    if (dl->filename != NULL && dl->filename_cap > 0u) {
        dl->filename[0] = '\0';
    }
    return fc_request_start(c, &req);
}

static int fc_dl_resumable(fc_err e)
{
    return e == FC_ERR_CLOSED || e == FC_ERR_TRANSPORT || e == FC_ERR_TIMEOUT ||
           e == FC_ERR_PROTOCOL;
}

/* 416 to "bytes=offset-" with a Content-Range of "bytes *" "/offset":
 * every byte was there already. */
static int fc_dl_had_all(const fc_client *c, const fc_download *dl)
{
    return c->priv.resp.status == 416 && dl->offset > 0u &&
           (dl->priv.range_state == FC_CR_SIZE || dl->priv.range_state == FC_CR_END) &&
           dl->priv.range[2] == dl->offset;
}

static fc_err fc_dl_on_response(fc_client *c, fc_err result)
{
    fc_download *dl = c->priv.op.out;
    uint8_t max = dl->max_resumes ? dl->max_resumes : (uint8_t)FC_CONFIG_RETRY_MAX_ATTEMPTS;
    if (result == FC_OK && (c->priv.resp.status == 200 || c->priv.resp.status == 206)) {
        if (dl->total == 0u) {
            dl->total = dl->offset; /* the size was unknown: now it is */
            return FC_OK;
        }
        if (dl->offset == dl->total) {
            return FC_OK;
        }
        result = FC_ERR_PROTOCOL; /* the answer ended before the object */
    } else if (result == FC_OK) {
        return FC_ERR_HTTP; /* 2xx without the bytes */
    }
    if (fc_dl_had_all(c, dl)) {
        dl->total = dl->offset;
        return FC_OK;
    }
    if (fc_dl_resumable(result) && dl->priv.resumes < max) {
        dl->priv.resumes++;
        return fc_dl_start_request(c, dl);
    }
    return result;
}

fc_err fc_download_start(fc_client *c, fc_download *dl)
{
    fc_err e;
    if (dl == NULL || dl->url == NULL || dl->sink == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_op_begin(c, "download", fc_dl_on_response, dl); /* op.out = dl */
    if (e != FC_OK) {
        return e;
    }
    dl->priv.resumes = 0;
    dl->total = 0;
    return fc_dl_start_request(c, dl);
}
