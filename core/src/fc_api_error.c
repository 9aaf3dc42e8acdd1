/*
 * fc_api_error.c - decodes the API's error bodies into fc_error_info.
 *
 * {"detail": "text"}                                   -> detail
 * {"detail": {"error": "insufficient_scope",
 *             "required": [...], "missing": [...]}}    -> code, scopes
 * {"detail": [{"loc": [...], "msg": "...", ...}]}      -> first msg (422)
 * Anything else (no body, not JSON) leaves only the status. The detail
 * text is a message for people: it is cut to fit and flagged when longer.
 */
#include "fc_internal.h"
#include "fluidcloud/fc_contract.h"

#include <string.h>

void fc_error_reset(fc_client *c)
{
    memset(&c->error, 0, sizeof c->error);
}

void fc_error_set_step(fc_client *c, const char *step)
{
    (void)fc_copy_str(c->error.step, sizeof c->error.step, step);
}

/* Copy a string value, cutting it at a UTF-8 boundary when too long. */
static void fc_copy_cut(const fc_json_doc *doc, int tok, char *out, size_t cap,
                        uint8_t *cut)
{
    size_t needed = 0;
    if (fc_json_get_str(doc, tok, out, cap, &needed) == FC_OK) {
        return;
    }
    out[0] = '\0';
    if (needed > cap && cut != NULL) {
        /* Too long: show the raw (escaped) start instead of nothing. */
        const fc_json_tok *t = &doc->toks[tok];
        size_t n = (size_t)(t->end - t->start);
        if (n > cap - 1) {
            n = cap - 1;
        }
        while (n > 0 && ((unsigned char)doc->text[t->start + n] & 0xC0u) == 0x80u) {
            n--; /* do not split a UTF-8 sequence */
        }
        memcpy(out, doc->text + t->start, n);
        out[n] = '\0';
        *cut = 1;
    }
}

/* Join an array of strings with spaces, as much as fits. */
static void fc_join_scopes(const fc_json_doc *doc, int arr, char *out, size_t cap)
{
    int n = fc_json_size(doc, arr);
    int tok = arr + 1;
    size_t len = 0;
    int i;
    out[0] = '\0';
    for (i = 0; i < n && fc_json_is_array(doc, arr); i++) {
        size_t needed = 0;
        if (len > 0 && len + 1 < cap) {
            out[len++] = ' ';
            out[len] = '\0';
        }
        if (fc_json_get_str(doc, tok, out + len, cap - len, &needed) == FC_OK) {
            len += needed - 1;
        } else {
            out[len] = '\0';
        }
        tok = fc_json_skip(doc, tok);
    }
}

void fc_error_from_response(fc_client *c, fc_err err)
{
    fc_error_info *ei = &c->error;
    fc_json_doc doc;
    int detail;
    int msg;
    ei->err = err;
    ei->code[0] = ei->missing[0] = ei->required[0] = ei->detail[0] = '\0';
    ei->detail_cut = 0;
    ei->retry_after_s = c->resp.retry_after_s;
    if (c->resp.to_sink || c->resp.body_len == 0 || fc_response_json(c, &doc) != FC_OK) {
        return;
    }
    detail = fc_json_find(&doc, 0, FC_F_DETAIL);
    msg = detail;
    if (fc_json_is_object(&doc, detail)) {
        int code = fc_json_find(&doc, detail, FC_F_ERROR);
        fc_copy_cut(&doc, code, ei->code, sizeof ei->code, NULL);
        fc_join_scopes(&doc, fc_json_find(&doc, detail, FC_F_MISSING), ei->missing,
                       sizeof ei->missing);
        fc_join_scopes(&doc, fc_json_find(&doc, detail, FC_F_REQUIRED), ei->required,
                       sizeof ei->required);
        msg = fc_json_find(&doc, detail, FC_F_MESSAGE);
        if (msg < 0) {
            msg = code;
        }
    } else if (fc_json_is_array(&doc, detail) && fc_json_size(&doc, detail) > 0) {
        msg = fc_json_find(&doc, detail + 1, FC_F_MSG); /* the first problem */
    } else if (fc_json_str_eq(&doc, detail, FC_S_QUOTA_EXCEEDED)) {
        /* 402 may say just "quota_exceeded": keep it as the code too. */
        (void)fc_copy_str(ei->code, sizeof ei->code, FC_S_QUOTA_EXCEEDED);
    }
    if (fc_json_is_string(&doc, msg)) {
        fc_copy_cut(&doc, msg, ei->detail, sizeof ei->detail, &ei->detail_cut);
    }
}
