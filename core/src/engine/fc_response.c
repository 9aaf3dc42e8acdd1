/* SPDX-License-Identifier: MIT */
/*
 * fc_response.c - reads an HTTP/1.1 response through llhttp.
 *
 * llhttp handles Content-Length, chunked and close-delimited bodies and
 * header names in any case; interim 1xx responses are skipped here. The
 * body of a 2xx response goes to the request's sink when it has one;
 * everything else is kept at the start of the free part of the I/O buffer
 * (bytes arrive right behind it and are moved down), so the JSON decoders
 * see one contiguous document. A 2xx body that does not fit is an error
 * (the caller's data would be cut); an error body that does not fit keeps
 * its start - the status and a readable detail matter, not the rest - and
 * the rest is read and dropped, so the connection stays in step. Only
 * Retry-After, Date and ETag are captured.
 */
#include "fc_engine.h"

#include <stddef.h>
#include <string.h>

#include <llhttp.h>

/* fc_response keeps the parser in opaque storage (fc_client.h), so that no
 * public header needs llhttp.h: it must be large and aligned enough for
 * this llhttp's llhttp_t. If not, define FC_HTTP_PARSER_SIZE larger. */
typedef char
    fc_http_parser_storage_too_small[sizeof(llhttp_t) <= sizeof(fc_http_parser_storage) ? 1 : -1];
struct fc_llhttp_align {
    char c;
    llhttp_t p;
};
struct fc_storage_align {
    char c;
    fc_http_parser_storage s;
};
typedef char fc_http_parser_storage_misaligned
    [offsetof(struct fc_llhttp_align, p) <= offsetof(struct fc_storage_align, s) ? 1 : -1];

/* The storage is only ever used as an llhttp_t (llhttp_init writes it). */
static llhttp_t *fc_parser(fc_response *r)
{
    return (llhttp_t *)(void *)&r->parser;
}

static fc_client *fc_from_parser(llhttp_t *p)
{
    return (fc_client *)p->data;
}

static uint8_t *fc_body_base(const fc_client *c)
{
    return c->cfg.io_buf + c->priv.reserved;
}

/* hdr_text_len of a value that did not fit: it is ignored. */
#define FC_HDR_TEXT_CUT 0xFFu

/* Append to hdr_text what fits; a text that does not fit is marked cut. */
static void fc_hdr_text_add(fc_response *r, const char *at, size_t len)
{
    if (r->hdr_text_len == FC_HDR_TEXT_CUT) {
        return;
    }
    if (len > sizeof r->hdr_text - r->hdr_text_len) {
        r->hdr_text_len = FC_HDR_TEXT_CUT;
        return;
    }
    memcpy(r->hdr_text + r->hdr_text_len, at, len);
    r->hdr_text_len = (uint8_t)(r->hdr_text_len + len);
}

static int fc_on_header_field(llhttp_t *p, const char *at, size_t len)
{
    fc_hdr_text_add(&fc_from_parser(p)->priv.resp, at, len);
    return 0;
}

static int fc_name_is(const fc_response *r, const char *name, size_t n)
{
    return r->hdr_text_len == n && fc_ascii_ieq(r->hdr_text, name, n);
}

/* A header the request asked for (fc_request.capture), of a final answer:
 * its value goes to the request's on_header. */
static void fc_capture_begin(fc_client *c, const llhttp_t *p)
{
    fc_response *r = &c->priv.resp;
    unsigned want = c->priv.req.capture;
    if (want == 0u || p->status_code < 200) {
        return;
    }
    if ((want & FC_CAPTURE_CONTENT_RANGE) && fc_name_is(r, "content-range", 13)) {
        r->hdr_id = FC_HDR_CAPTURED;
        r->captured = FC_CAPTURE_CONTENT_RANGE;
    } else if ((want & FC_CAPTURE_CONTENT_DISPOSITION) && fc_name_is(r, "content-disposition", 19)) {
        r->hdr_id = FC_HDR_CAPTURED;
        r->captured = FC_CAPTURE_CONTENT_DISPOSITION;
    }
}

/* Decides which header the value callbacks that follow belong to. A name
 * longer than hdr_text is cut, and no captured name is that long. */
static int fc_on_header_field_complete(llhttp_t *p)
{
    fc_response *r = &fc_from_parser(p)->priv.resp;
    r->hdr_id = FC_HDR_NONE;
    if (fc_name_is(r, "retry-after", 11)) {
        r->hdr_id = FC_HDR_RETRY_AFTER;
    } else if (fc_name_is(r, "etag", 4)) {
        r->hdr_id = FC_HDR_ETAG;
        r->hdr_len = 0;
    } else if (fc_name_is(r, "date", 4)) {
        r->hdr_id = FC_HDR_DATE;
    } else {
        fc_capture_begin(fc_from_parser(p), p);
    }
    r->hdr_text_len = 0;
    return 0;
}

static int fc_on_header_value(llhttp_t *p, const char *at, size_t len)
{
    fc_client *c = fc_from_parser(p);
    fc_response *r = &c->priv.resp;
    if (r->hdr_id == FC_HDR_RETRY_AFTER || r->hdr_id == FC_HDR_DATE) {
        fc_hdr_text_add(r, at, len);
    } else if (r->hdr_id == FC_HDR_CAPTURED) {
        fc_err e = c->priv.req.on_header(c, r->captured, at, len);
        if (e != FC_OK) {
            r->cb_err = e;
            return -1;
        }
    } else if (r->hdr_id == FC_HDR_ETAG) {
        if (len >= sizeof r->etag - r->hdr_len) {
            r->cb_err = FC_ERR_BUFFER_TOO_SMALL;
            return -1;
        }
        memcpy(r->etag + r->hdr_len, at, len);
        r->hdr_len = (uint16_t)(r->hdr_len + len);
        r->etag[r->hdr_len] = '\0';
    }
    return 0;
}

/* Retry-After: delta-seconds (kept up to 11.5 days: the cap decides) or an
 * HTTP-date (counted from Date at the end of the head). A form neither
 * reads as 1 s. */
static void fc_take_retry_after(fc_response *r, const char *v, size_t n)
{
    uint32_t s = 0;
    size_t i;
    for (i = 0; i < n && v[i] >= '0' && v[i] <= '9'; i++) {
        if (s < 1000000u) {
            s = s * 10u + (uint32_t)(v[i] - '0');
        }
    }
    if (n > 0 && i == n) {
        r->retry_after_s = s;
    } else if (!fc_http_date_parse(v, n, &r->retry_at_s)) {
        r->retry_after_s = 1;
    }
}

static int fc_on_header_value_complete(llhttp_t *p)
{
    fc_response *r = &fc_from_parser(p)->priv.resp;
    const char *v = r->hdr_text;
    size_t n = r->hdr_text_len == FC_HDR_TEXT_CUT ? 0u : r->hdr_text_len;
    while (n > 0 && (v[0] == ' ' || v[0] == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
        n--;
    }
    if (r->hdr_id == FC_HDR_RETRY_AFTER) {
        fc_take_retry_after(r, v, n);
    } else if (r->hdr_id == FC_HDR_DATE && !fc_http_date_parse(v, n, &r->date_s)) {
        r->date_s = 0;
    }
    r->hdr_id = FC_HDR_NONE;
    r->hdr_text_len = 0;
    return 0;
}

static int fc_on_headers_complete(llhttp_t *p)
{
    fc_client *c = fc_from_parser(p);
    fc_response *r = &c->priv.resp;
    r->status = (int)p->status_code;
    if (r->status < 100 || r->status > 599) {
        r->cb_err = FC_ERR_PROTOCOL; /* "HTTP/1.1 000": no status at all */
        return -1;
    }
    if (r->retry_at_s != 0u) {
        /* An HTTP-date counts from the server's own clock, its Date; a
         * date without one cannot be placed: 1 s. */
        r->retry_after_s = r->date_s == 0u                ? 1u
                           : r->retry_at_s > r->date_s ? r->retry_at_s - r->date_s
                                                       : 0u;
    }
    r->to_sink = (uint8_t)(c->priv.req.sink != NULL && r->status >= 200 && r->status < 300);
    if (c->priv.req.capture != 0u && r->status >= 200) {
        fc_err e = c->priv.req.on_header(c, 0u, NULL, 0u); /* the head is complete */
        if (e != FC_OK) {
            r->cb_err = e;
            return -1;
        }
    }
    return 0;
}

/* Room kept free behind an error body's start, for reading (and dropping)
 * the rest of it. */
#define FC_DRAIN_ROOM 256u

/* How much of len more bytes of an error body to keep; cuts the rest. */
static size_t fc_error_body_room(fc_client *c, size_t len)
{
    fc_response *r = &c->priv.resp;
    size_t cap = c->cfg.io_buf_size - c->priv.reserved;
    size_t limit = cap > FC_DRAIN_ROOM ? cap - FC_DRAIN_ROOM : 0u;
    size_t room = limit > r->body_len ? limit - r->body_len : 0u;
    if (len > room) {
        r->body_cut = 1;
        return room;
    }
    return len;
}

static int fc_on_body(llhttp_t *p, const char *at, size_t len)
{
    fc_client *c = fc_from_parser(p);
    fc_response *r = &c->priv.resp;
    r->body_seen += len;
    if (r->to_sink) {
        fc_err e = c->priv.req.sink(c->priv.req.sink_ctx, (const uint8_t *)at, len);
        if (e != FC_OK) {
            r->cb_err = (e == FC_AGAIN) ? FC_ERR_SINK : e;
            return -1;
        }
        return 0;
    }
    if (r->status < 200 || r->status >= 300) {
        len = fc_error_body_room(c, len);
    }
    /* The bytes sit at or behind the end of the kept body: move them down. */
    memmove(fc_body_base(c) + r->body_len, at, len);
    r->body_len += len;
    return 0;
}

static int fc_on_message_complete(llhttp_t *p)
{
    fc_client *c = fc_from_parser(p);
    fc_response *r = &c->priv.resp;
    if (r->status >= 100 && r->status < 200) {
        /* An interim response: forget it and its headers, and read the
         * real one. */
        r->status = 0;
        r->body_len = 0;
        r->body_seen = 0;
        r->etag[0] = '\0';
        r->retry_after_s = r->retry_at_s = r->date_s = 0;
        return 0;
    }
    r->complete = 1;
    r->keep_alive = (uint8_t)llhttp_should_keep_alive(p);
    return HPE_PAUSED;
}

/* By name, not by position: llhttp 9 inserted on_protocol second, which
 * would move every positional callback into the wrong slot. */
static const llhttp_settings_t k_settings = {
    .on_header_field = fc_on_header_field,
    .on_header_value = fc_on_header_value,
    .on_headers_complete = fc_on_headers_complete,
    .on_body = fc_on_body,
    .on_message_complete = fc_on_message_complete,
    .on_header_field_complete = fc_on_header_field_complete,
    .on_header_value_complete = fc_on_header_value_complete,
};

void fc_response_begin(fc_client *c)
{
    fc_response *r = &c->priv.resp;
    memset(r, 0, sizeof *r);
    llhttp_init(fc_parser(r), HTTP_RESPONSE, &k_settings);
    fc_parser(r)->data = c;
}

fc_err fc_response_feed(fc_client *c, const uint8_t *data, size_t len)
{
    fc_response *r = &c->priv.resp;
    llhttp_errno_t e = llhttp_execute(fc_parser(r), (const char *)data, len);
    if (e == HPE_OK) {
        return FC_AGAIN;
    }
    if (e == HPE_PAUSED && r->complete) {
        /* Bytes after the response mean the stream is out of step. */
        if (llhttp_get_error_pos(fc_parser(r)) != (const char *)data + len) {
            r->keep_alive = 0;
        }
        return FC_OK;
    }
    return r->cb_err != FC_OK ? r->cb_err : FC_ERR_PROTOCOL;
}

fc_err fc_response_eof(fc_client *c)
{
    fc_response *r = &c->priv.resp;
    /* llhttp completes a close-delimited body here (via the callback). */
    (void)llhttp_finish(fc_parser(r));
    if (r->complete) {
        r->keep_alive = 0;
        return FC_OK;
    }
    return FC_ERR_CLOSED;
}

uint64_t fc_response_content_length(fc_client *c)
{
    return fc_parser(&c->priv.resp)->content_length;
}

const char *fc_response_body(const fc_client *c)
{
    return (const char *)fc_body_base(c);
}

fc_err fc_response_json(fc_client *c, fc_json_doc *doc)
{
    unsigned needed = 0;
    fc_err e = fc_json_parse(doc, fc_response_body(c), c->priv.resp.body_len, c->cfg.tokens,
                             c->cfg.token_count, &needed);
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        c->priv.error.needed = needed;
    }
    return e;
}
