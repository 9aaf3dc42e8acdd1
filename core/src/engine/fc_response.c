/*
 * fc_response.c - reads an HTTP/1.1 response through llhttp.
 *
 * llhttp handles Content-Length, chunked and close-delimited bodies and
 * header names in any case; interim 1xx responses are skipped here. The
 * body of a 2xx response goes to the request's sink when it has one;
 * everything else is kept at the start of the free part of the I/O buffer
 * (bytes arrive right behind it and are moved down), so the JSON decoders
 * see one contiguous document. Only Retry-After and ETag are captured.
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

/* Keeps the first sizeof hdr_name bytes of the name: a longer name then
 * has that length, which no captured name has, so it matches none. */
static int fc_on_header_field(llhttp_t *p, const char *at, size_t len)
{
    fc_response *r = &fc_from_parser(p)->priv.resp;
    size_t room = sizeof r->hdr_name - r->hdr_name_len;
    if (len > room) {
        len = room;
    }
    memcpy(r->hdr_name + r->hdr_name_len, at, len);
    r->hdr_name_len = (uint8_t)(r->hdr_name_len + len);
    return 0;
}

static int fc_name_is(const fc_response *r, const char *name, size_t n)
{
    return r->hdr_name_len == n && fc_ascii_ieq(r->hdr_name, name, n);
}

/* Decides which header the value callbacks that follow belong to. */
static int fc_on_header_field_complete(llhttp_t *p)
{
    fc_response *r = &fc_from_parser(p)->priv.resp;
    r->hdr_id = FC_HDR_NONE;
    if (fc_name_is(r, "retry-after", 11)) {
        r->hdr_id = FC_HDR_RETRY_AFTER;
        r->retry_after_s = 0;
    } else if (fc_name_is(r, "etag", 4)) {
        r->hdr_id = FC_HDR_ETAG;
    }
    r->hdr_name_len = 0;
    r->hdr_len = 0;
    return 0;
}

/* Retry-After in delta-seconds; an HTTP-date (not digits) counts as 1 s. */
static void fc_add_retry_after(fc_response *r, const char *at, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        char ch = at[i];
        if (ch >= '0' && ch <= '9') {
            if (r->retry_after_s < 100000u) {
                r->retry_after_s = r->retry_after_s * 10u + (uint32_t)(ch - '0');
            }
        } else if (ch != ' ' && ch != '\t') {
            r->retry_after_s = 1;
            r->hdr_id = FC_HDR_NONE;
            return;
        }
    }
}

static int fc_on_header_value(llhttp_t *p, const char *at, size_t len)
{
    fc_client *c = fc_from_parser(p);
    fc_response *r = &c->priv.resp;
    if (r->hdr_id == FC_HDR_RETRY_AFTER) {
        fc_add_retry_after(r, at, len);
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

static int fc_on_headers_complete(llhttp_t *p)
{
    fc_client *c = fc_from_parser(p);
    fc_response *r = &c->priv.resp;
    r->status = (int)p->status_code;
    r->to_sink = (uint8_t)(c->priv.req.sink != NULL && r->status >= 200 && r->status < 300);
    return 0;
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
        /* An interim response: forget it and read the real one. */
        r->status = 0;
        r->body_len = 0;
        r->body_seen = 0;
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
