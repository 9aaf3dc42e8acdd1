/* SPDX-License-Identifier: MIT */
/*
 * fc_error_info.c - the details of a failed request (fc_error_info): the
 * reset at the start of an operation, the failing step, and the API's
 * error bodies decoded. Every request has them, the storage PUTs too, so
 * they belong to the engine, not to the endpoint layer. Error bodies:
 *
 * {"detail": "text"}                                   -> detail
 * {"detail": {"error": "insufficient_scope",
 *             "required": [...], "missing": [...]}}    -> code, scopes
 * {"detail": [{"loc": [...], "msg": "...", ...}]}      -> "loc: msg" of the first (422)
 * Anything else (an HTML or XML page, a JSON body too long for the buffer)
 * gives its start as the detail: a storage error document names its code
 * there. The detail text is a message for people: it is cut to fit and
 * flagged when longer.
 */
#include "fc_engine.h"
#include "fluidcloud/fc_contract.h"

#include <string.h>

void fc_error_reset(fc_client *c)
{
    memset(&c->priv.error, 0, sizeof c->priv.error);
}

void fc_error_forget_response(fc_client *c)
{
    fc_error_info *ei = &c->priv.error;
    ei->http_status = 0;
    ei->retry_after_s = 0;
    ei->code[0] = ei->missing[0] = ei->required[0] = ei->detail[0] = '\0';
    ei->detail_cut = 0;
}

void fc_error_set_step(fc_client *c, const char *step)
{
    (void)fc_copy_str(c->priv.error.step, sizeof c->priv.error.step, step);
}

/* The detail message, cut at a UTF-8 boundary when too long. Anything
 * but a string (or tok -1) leaves detail "". */
static void fc_copy_detail(fc_error_info *ei, const fc_json_doc *doc, int tok)
{
    size_t needed = 0;
    size_t cap = sizeof ei->detail;
    if (fc_json_get_str(doc, tok, ei->detail, cap, &needed) == FC_OK || needed <= cap) {
        return; /* copied, or not a valid string: detail stays "" */
    }
    {
        /* Too long: show the raw (escaped) start instead of nothing. */
        size_t n = 0;
        const char *raw = fc_json_raw(doc, tok, &n); /* a string: needed > cap */
        if (n > cap - 1) {
            n = cap - 1;
        }
        while (n > 0 && ((unsigned char)raw[n] & 0xC0u) == 0x80u) {
            n--; /* do not split a UTF-8 sequence */
        }
        memcpy(ei->detail, raw, n);
        ei->detail[n] = '\0';
        ei->detail_cut = 1;
    }
}

/* The start of a body that is not a JSON error as the detail: line breaks
 * and other control bytes as single spaces, cut at a UTF-8 boundary. */
static void fc_detail_from_text(fc_error_info *ei, const char *text, size_t len, int cut)
{
    size_t cap = sizeof ei->detail - 1;
    size_t n = 0;
    size_t i;
    for (i = 0; i < len && n < cap; i++) {
        unsigned char ch = (unsigned char)text[i];
        int space = ch < 0x20u || ch == 0x7Fu;
        if (space && (n == 0 || ei->detail[n - 1] == ' ')) {
            continue;
        }
        ei->detail[n++] = space ? ' ' : (char)ch;
    }
    if (i < len) {
        while (n > 0 && ((unsigned char)text[i] & 0xC0u) == 0x80u) {
            i--; /* do not split a UTF-8 sequence: drop its start too */
            n--;
        }
        cut = 1;
    }
    ei->detail[n] = '\0';
    ei->detail_cut = (uint8_t)cut;
}

/* "name: " before the detail: the field a 422 problem is about, its loc
 * parts joined with '.' (a leading "body" left out, as the SDKs print it),
 * so "value out of range" says which value. The message moves right; what
 * no longer fits is cut at a UTF-8 boundary and flagged. */
static void fc_prefix_loc(fc_error_info *ei, const fc_json_doc *doc, int loc)
{
    char prefix[48];
    size_t n = 0;
    size_t have = strlen(ei->detail);
    size_t cap = sizeof ei->detail - 1;
    int count = fc_json_size(doc, loc);
    int tok = loc + 1;
    int i;
    if (!fc_json_is_array(doc, loc)) {
        return;
    }
    for (i = 0; i < count; i++, tok = fc_json_skip(doc, tok)) {
        size_t len = 0;
        const char *part = fc_json_raw(doc, tok, &len);
        if (part == NULL || (i == 0 && fc_json_str_eq(doc, tok, FC_S_LOC_BODY))) {
            continue;
        }
        if (n + len + 3 > sizeof prefix) {
            return; /* a location too long to help: the message alone */
        }
        if (n > 0) {
            prefix[n++] = '.';
        }
        memcpy(prefix + n, part, len);
        n += len;
    }
    if (n == 0) {
        return;
    }
    prefix[n++] = ':';
    prefix[n++] = ' ';
    if (have + n > cap) {
        have = n < cap ? cap - n : 0u;
        while (have > 0 && ((unsigned char)ei->detail[have] & 0xC0u) == 0x80u) {
            have--; /* do not split a UTF-8 sequence */
        }
        ei->detail_cut = 1;
    }
    memmove(ei->detail + n, ei->detail, have);
    memcpy(ei->detail, prefix, n);
    ei->detail[n + have] = '\0';
}

/* The scopes at detail.key joined with spaces, as many as fit: a hint
 * for people, so a partial list beats none. */
static void fc_join_scopes(const fc_json_doc *doc, int detail, const char *key, char *out,
                           size_t cap)
{
    (void)fc_json_join(doc, fc_json_find(doc, detail, key), out, cap, NULL);
}

void fc_error_from_response(fc_client *c, fc_err err)
{
    fc_error_info *ei = &c->priv.error;
    fc_json_doc doc;
    int detail;
    int msg;
    ei->err = err;
    ei->code[0] = ei->missing[0] = ei->required[0] = ei->detail[0] = '\0';
    ei->detail_cut = 0;
    ei->retry_after_s = c->priv.resp.retry_after_s;
    if (c->priv.resp.to_sink || c->priv.resp.body_len == 0) {
        return;
    }
    /* Not fc_response_json: error.needed is for this error, not tokens. */
    if (c->priv.resp.body_cut ||
        fc_json_parse(&doc, fc_response_body(c), c->priv.resp.body_len, c->cfg.tokens,
                      c->cfg.token_count, NULL) != FC_OK) {
        fc_detail_from_text(ei, fc_response_body(c), c->priv.resp.body_len,
                            c->priv.resp.body_cut);
        return;
    }
    detail = fc_json_find(&doc, 0, FC_F_DETAIL);
    msg = detail;
    if (fc_json_is_object(&doc, detail)) {
        int code = fc_json_find(&doc, detail, FC_F_ERROR);
        (void)fc_json_get_str(&doc, code, ei->code, sizeof ei->code, NULL);
        fc_join_scopes(&doc, detail, FC_F_MISSING, ei->missing, sizeof ei->missing);
        fc_join_scopes(&doc, detail, FC_F_REQUIRED, ei->required, sizeof ei->required);
        msg = fc_json_find(&doc, detail, FC_F_MESSAGE);
        if (msg < 0) {
            msg = code;
        }
    } else if (fc_json_is_array(&doc, detail)) {
        /* The first problem's loc and msg. In an empty array detail + 1 is
         * the next key (or the end): no object, so both are -1. */
        msg = fc_json_find(&doc, detail + 1, FC_F_MSG);
        fc_copy_detail(ei, &doc, msg);
        fc_prefix_loc(ei, &doc, fc_json_find(&doc, detail + 1, FC_F_LOC));
        return;
    } else if (fc_json_str_eq(&doc, detail, FC_S_QUOTA_EXCEEDED)) {
        /* 402 may say just "quota_exceeded": keep it as the code too. */
        (void)fc_copy_str(ei->code, sizeof ei->code, FC_S_QUOTA_EXCEEDED);
    }
    fc_copy_detail(ei, &doc, msg);
}
