/* SPDX-License-Identifier: MIT */
/*
 * fuzz_decode - every response decoder, and the JSON reader and writer
 * under them, with exactly sized buffers.
 *
 * Input: the call (one of fz_calls.h's), the status (200/201 and the error
 * statuses 400 401 402 403 404 409 422 429), the token array size, a list
 * capacity, then the JSON body. The answer goes out whole, the I/O buffer
 * holds exactly what the request and the answer need, the token array and
 * every output are blocks of exactly their size.
 *
 * Oracles: fz_calls.c's result checks and the error info's (fz_net.c);
 * then on the body itself, through fc_json.h: a size query's count is
 * enough to parse; every string decodes into a buffer of exactly the size
 * it says it needs, to exactly that length; an integer fc_json_get_i64
 * accepts is the one strtoll reads from the token, and one it refuses is
 * no plain int64 literal; a decoded valid-UTF-8 string written by fc_json_writer
 * and read back is the same string (measured first, written into a block
 * of exactly the measured size).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluidcloud/fc_json.h"
#include "fz_calls.h"
#include "fz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_dec {
    fz_input in;
    int asked;
    int kind;
} fz_dec;

static const int k_statuses[] = {200, 201, 400, 401, 402, 403, 404, 409, 422, 429};

static fc_err dec_connect(fz_net *n, fz_conn *c)
{
    (void)c;
    ((fz_dec *)n->ctx)->asked = 0;
    return FC_OK;
}

static void dec_on_request(fz_net *n, fz_conn *c)
{
    (void)c;
    ((fz_dec *)n->ctx)->asked = 1;
}

static fc_err dec_recv(fz_net *n, fz_conn *c, uint8_t *buf, size_t cap, size_t *got)
{
    if (!((fz_dec *)n->ctx)->asked) {
        return FC_AGAIN;
    }
    if (fz_deliver(c, buf, cap, 0, got) == FC_OK) {
        return FC_OK;
    }
    return FC_ERR_CLOSED; /* one answer per run: a retry finds the server gone */
}

/* ---- the JSON reader and writer on the body ------------------------------------ */

static int fz_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k, j;
        unsigned long cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        k = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
        if (k == 0 || n - i <= k) {
            return 0;
        }
        cp = c & (0x3Fu >> k);
        for (j = 1; j <= k; j++) {
            if (((unsigned char)s[i + j] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3Fu);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += k + 1;
    }
    return 1;
}

/* Write s as a JSON string into a block of exactly the measured size, read
 * it back, compare. */
static void fz_round_trip(const char *s, size_t len)
{
    fc_json_writer w;
    fc_json_doc doc;
    fc_json_tok toks[2];
    char *buf;
    char *back;
    size_t need;
    fc_json_writer_init(&w, NULL, 0);
    fc_json_write_string_n(&w, s, len);
    if (fc_json_writer_finish(&w) != FC_ERR_BUFFER_TOO_SMALL) {
        fz_fail("json-writer", "measuring a string did not report its size");
        return;
    }
    need = w.needed + 1;
    buf = malloc(need);
    fc_json_writer_init(&w, buf, need);
    fc_json_write_string_n(&w, s, len);
    if (fc_json_writer_finish(&w) != FC_OK || w.len != need - 1 || strlen(buf) != w.len) {
        fz_fail("json-writer", "a string does not fit the size the writer measured");
        free(buf);
        return;
    }
    if (fc_json_parse(&doc, buf, w.len, toks, 2, NULL) != FC_OK) {
        fz_fail("json-writer", "the writer's string does not parse: %s", buf);
        free(buf);
        return;
    }
    back = malloc(len + 1);
    if (fc_json_get_str(&doc, 0, back, len + 1, NULL) != FC_OK || memcmp(back, s, len) != 0 ||
        back[len] != '\0') {
        fz_fail("json-writer", "written and read back differs: %s", buf);
    }
    free(back);
    free(buf);
}

static void fz_check_string(const fc_json_doc *doc, int tok)
{
    char one[1];
    size_t needed = 0;
    char *out;
    fc_err e = fc_json_get_str(doc, tok, one, sizeof one, &needed);
    if (e == FC_ERR_JSON) {
        return;
    }
    if (e == FC_OK) {
        if (needed != 1 || one[0] != '\0') {
            fz_fail("json-string", "an empty string reports needed %zu", needed);
        }
        return;
    }
    if (e != FC_ERR_BUFFER_TOO_SMALL || needed < 2 || one[0] != '\0') {
        fz_fail("json-string", "a short buffer gave %s, needed %zu", fc_err_str(e), needed);
        return;
    }
    out = malloc(needed);
    e = fc_json_get_str(doc, tok, out, needed, NULL);
    if (e != FC_OK || strlen(out) != needed - 1) {
        fz_fail("json-string", "a buffer of the needed %zu bytes gave %s, length %zu", needed,
                fc_err_str(e), e == FC_OK ? strlen(out) : 0);
    } else {
        int64_t t;
        (void)fc_json_parse_time(out, &t);
        if (fz_utf8_valid(out, needed - 1)) {
            fz_round_trip(out, needed - 1);
        }
    }
    free(out);
}

static void fz_check_integer(const fc_json_doc *doc, int tok)
{
    char text[32];
    size_t n = 0;
    const char *raw = fc_json_raw(doc, tok, &n);
    int64_t v = 0;
    fc_err e = fc_json_get_i64(doc, tok, &v);
    int plain;
    long long ref;
    char *end;
    size_t i;
    if (raw == NULL || fc_json_is_string(doc, tok) || fc_json_is_object(doc, tok) ||
        fc_json_is_array(doc, tok)) {
        if (e == FC_OK) {
            fz_fail("json-int", "a non-primitive read as the integer %lld", (long long)v);
        }
        return;
    }
    /* An int64 literal: -?digits, 19 digits at most, no leading zero. */
    plain = n > 0 && n < sizeof text;
    for (i = raw[0] == '-'; plain && i < n; i++) {
        plain = raw[i] >= '0' && raw[i] <= '9';
    }
    if (!plain) {
        if (e == FC_OK) {
            fz_fail("json-int", "'%.*s' read as the integer %lld", (int)n, raw, (long long)v);
        }
        return;
    }
    memcpy(text, raw, n);
    text[n] = '\0';
    errno = 0;
    ref = strtoll(text, &end, 10);
    if (*end != '\0' || strcmp(text, "-") == 0) {
        return; /* "-" alone: the grammar check refuses it anyway */
    }
    if (errno == ERANGE) {
        if (e == FC_OK) {
            fz_fail("json-int", "'%s' overflows int64 but read as %lld", text, (long long)v);
        }
        return;
    }
    if (e != FC_OK || v != ref) {
        fz_fail("json-int", "'%s' is %lld, fc_json_get_i64 gave %s %lld", text, ref, fc_err_str(e),
                (long long)v);
    }
}

static void fz_check_json(const char *body, size_t len)
{
    fc_json_doc doc;
    unsigned needed = 0;
    fc_json_tok *toks;
    int i;
    fc_err e = fc_json_parse(&doc, body, len, NULL, 0, &needed);
    if (e == FC_ERR_JSON) {
        return;
    }
    if (e != FC_ERR_BUFFER_TOO_SMALL || needed == 0) {
        fz_fail("json-parse", "a size query gave %s, needed %u", fc_err_str(e), needed);
        return;
    }
    toks = malloc(needed * sizeof *toks);
    e = fc_json_parse(&doc, body, len, toks, needed, NULL);
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        fz_fail("json-parse", "%u tokens, as the size query said, are too few", needed);
    }
    for (i = 0; e == FC_OK && i < doc.count; i++) {
        int b;
        char join[16];
        size_t jn = 0;
        fz_check_string(&doc, i);
        fz_check_integer(&doc, i);
        (void)fc_json_get_bool(&doc, i, &b);
        (void)fc_json_size(&doc, i);
        (void)fc_json_at(&doc, i, 1);
        (void)fc_json_find(&doc, i, "id");
        if (fc_json_skip(&doc, i) <= i || fc_json_skip(&doc, i) > doc.count) {
            fz_fail("json-skip", "skip(%d) = %d of %d tokens", i, fc_json_skip(&doc, i), doc.count);
        }
        (void)fc_json_join(&doc, i, join, sizeof join, &jn);
        fz_check_str(join, sizeof join, "join");
    }
    free(toks);
}

/* ---- the decoders, through the API ----------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fz_server server = {dec_connect, NULL, dec_on_request, NULL, dec_recv, NULL};
    static const unsigned k_tok_counts[] = {8, 12, 32, 64, 256, 1024};
    fz_dec d;
    fz_net n;
    fc_client c;
    fc_client_config cfg;
    fz_limits lim;
    fz_call call;
    const uint8_t *body;
    size_t body_len;
    char head[160];
    int head_len;
    int status;
    size_t cap;
    uint8_t *io;
    fc_json_tok *toks;
    fc_err r;

    memset(&d, 0, sizeof d);
    d.in.p = data;
    d.in.n = size;
    d.kind = fz_u8(&d.in) % FZ_DOWNLOAD; /* every call with a JSON answer */
    status = k_statuses[fz_u8(&d.in) % (sizeof k_statuses / sizeof k_statuses[0])];
    fc_client_config_defaults(&cfg);
    cfg.token_count = k_tok_counts[fz_u8(&d.in) % 6u];
    cap = 1u + fz_u8(&d.in) % 4u;
    body_len = fz_take(&d.in, d.in.n, &body);

    fz_net_init(&n, &server, &d, FZ_API_HOST, FZ_API_KEY);
    head_len = snprintf(head, sizeof head,
                        "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                        "Content-Length: %zu\r\n\r\n",
                        status, body_len);
    fz_queue(&n.conns[0], head, (size_t)head_len);
    fz_queue(&n.conns[0], body, body_len);

    cfg.base_url = "https://" FZ_API_HOST "/api/v1";
    cfg.api_key = FZ_API_KEY;
    cfg.transports = n.transports;
    cfg.transport_count = 1;
    cfg.system = fz_system(&n);
    cfg.retry.max_attempts = 1;
    /* The request's head and body (< 512 bytes) or the answer, exactly. */
    cfg.io_buf_size = (size_t)head_len + body_len > 512 ? (size_t)head_len + body_len : 512;
    io = malloc(cfg.io_buf_size);
    toks = malloc(cfg.token_count * sizeof *toks);
    cfg.io_buf = io;
    cfg.tokens = toks;
    if (fc_client_init(&c, &cfg) != FC_OK) {
        abort();
    }
    lim.max_polls = 10000;
    lim.max_wait_ms = fz_config_max_wait(&cfg);
    lim.max_total_ms = 0;
    r = fz_call_start(&c, &call, d.kind, cap);
    if (r == FC_AGAIN) {
        r = fz_run(&n, &c, &lim, NULL);
    }
    fz_check_error_info(&c, r);
    if (r == FC_OK && status >= 300) {
        fz_fail("status", "FC_OK for HTTP status %d", status);
    }
    if (r == FC_ERR_BUFFER_TOO_SMALL && fc_client_error(&c)->needed == 0) {
        fz_fail("needed", "FC_ERR_BUFFER_TOO_SMALL without the size needed");
    }
    fz_call_check(&call, r);
    fc_client_close(&c);
    fz_net_free(&n);
    free(toks);
    free(io);

    fz_check_json((const char *)body, body_len);
    return 0;
}
