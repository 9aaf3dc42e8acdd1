/* SPDX-License-Identifier: MIT */
/*
 * fuzz_upload - the whole upload flow (fc_files_upload) against a server
 * that knows the truth, with faults the input chooses.
 *
 * The server is a small model of the API and storage: "My files", a
 * ticket (single, or multipart of part_size bytes), storage that keeps a
 * part only when its whole body arrived and checks it against the source,
 * complete that succeeds only when every part is stored with its current
 * ETag and the SHA-256 sent is the source's, a scan that turns clean (or
 * infected) after some polls, and shares that mint a link for a clean
 * file. Before each answer the input picks what goes wrong with it:
 *
 *   fault % 16  0..7 nothing          8  500, not processed
 *               9  503 + Retry-After  10 429 + Retry-After
 *               11 processed, then the connection resets before the answer
 *               12 reset, not processed       13 stall (processed or not)
 *               14 garbage, not processed     15 a lie (next byte: which)
 *   fault / 16 % 4: the answer's delivery: Content-Length, one byte per
 *               recv (would-block in between), chunked, close-delimited
 *
 * A lie is an answer the server did not mean: a draft or another file
 * for GET /files/{id}, an empty id, a share without its link, a complete
 * acknowledged without being done, a PUT acknowledged without storing.
 *
 * The oracle (issue 10): FC_OK only if every source byte reached storage
 * and a complete with the right SHA-256 was confirmed by the server, the
 * scan was clean for *this* file in a truthful answer, and an asked-for
 * share has the link the server minted. The API key never reaches another
 * host; every operation ends within a bounded number of polls; no wait is
 * longer than the configured caps; the scan step ends within its deadline
 * counted from complete (not from the start of the upload).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluidcloud/fc_upload.h"
#include "fz_calls.h"
#include "fz_net.h"
#include "fz_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define UP_FILE_ID   "8f4b0c2a-3d1e-4a9f-9c77-2b6e5a1d0e44"
#define UP_UPLOAD_ID "0b9d1c3e-5f7a-4b2c-8d6e-1a3b5c7d9e0f"
#define UP_KEY       "tenants/t1/" UP_FILE_ID "/frame.jpg"
#define UP_LINK      "https://files.test/s/Tok3n"
#define UP_MAX_PARTS 8

enum { DL_LENGTH, DL_ONE_BYTE, DL_CHUNKED, DL_CLOSE };

typedef struct up_conn_state {
    int delivery;        /* DL_* of the answer being delivered */
    int blocked;         /* DL_ONE_BYTE: would-block next */
    int close_when_sent; /* EOF after the queued answer */
    int reset_when_sent; /* reset instead of the answer */
    int stalled;
} up_conn_state;

typedef struct up_server {
    fz_input in;
    const fz_source *src;
    char sha_hex[65];
    uint64_t part_size; /* 0: single */
    unsigned parts;
    int part_ok[UP_MAX_PARTS + 1];
    unsigned etag_gen[UP_MAX_PARTS + 1];
    int completed; /* complete succeeded on the server */
    uint32_t completed_at;
    int scan_polls_left; /* GETs answered pending after complete */
    int infected;
    int told_clean; /* a truthful clean answer went out */
    int share_minted;
    uint32_t last_scan_get; /* time of the last GET /files after complete */
    /* The scan wait counts from when the client confirmed complete
     * (fc_upload.h), which a lost answer and a verify GET retried several
     * times can put long after the server completed: the first request
     * that finds up->progress.completed set comes after that moment. */
    const fc_upload *up;
    int scan_from_seen;
    uint32_t scan_from;
    up_conn_state cs[FZ_MAX_CONN];
} up_server;

/* ---- answers ------------------------------------------------------------------- */

static void up_answer(fz_net *n, fz_conn *c, int status, const char *extra, const char *body)
{
    up_conn_state *cs = &((up_server *)n->ctx)->cs[c->index];
    size_t len = strlen(body);
    if (cs->delivery == DL_CHUNKED && len > 0) {
        size_t at = 0;
        fz_queuef(c, "HTTP/1.1 %d X\r\n%sTransfer-Encoding: chunked\r\n\r\n", status, extra);
        while (at < len) {
            size_t k = len - at < 37 ? len - at : 37;
            fz_queuef(c, "%zx\r\n", k);
            fz_queue(c, body + at, k);
            fz_queue(c, "\r\n", 2);
            at += k;
        }
        fz_queue(c, "0\r\n\r\n", 5);
    } else if (cs->delivery == DL_CLOSE && len > 0) {
        fz_queuef(c, "HTTP/1.1 %d X\r\n%sConnection: close\r\n\r\n", status, extra);
        fz_queue(c, body, len);
        cs->close_when_sent = 1;
    } else {
        fz_queuef(c, "HTTP/1.1 %d X\r\n%sContent-Length: %zu\r\n\r\n", status, extra, len);
        fz_queue(c, body, len);
    }
}

static void up_file_json(const up_server *s, char *out, size_t cap, const char *id,
                         int truthful_state, int lie_sha)
{
    const char *scan = "pending";
    const char *status = "draft";
    char sha[72] = "null";
    if (truthful_state && s->completed) {
        status = "ready";
        snprintf(sha, sizeof sha, "\"%s\"", lie_sha ? "00" : s->sha_hex);
        if (s->scan_polls_left <= 0) {
            scan = s->infected ? "infected" : "clean";
        }
    }
    snprintf(out, cap,
             "{\"id\":\"%s\",\"tenant_id\":\"t1\",\"space_id\":\"s1\",\"folder_id\":null,"
             "\"source_app\":\"fluidcloud\",\"client_key\":null,\"original_name\":\"frame.jpg\","
             "\"name\":\"frame.jpg\",\"mime\":\"image/jpeg\",\"size\":%llu,\"sha256\":%s,"
             "\"scan_status\":\"%s\",\"status\":\"%s\",\"created_by\":\"k1\","
             "\"created_at\":\"2026-06-23T14:05:00Z\",\"updated_at\":\"2026-06-23T14:05:00Z\","
             "\"deleted_at\":null}",
             id, (unsigned long long)s->src->size, sha, scan, status);
}

static void up_ticket(fz_net *n, fz_conn *c, int lie)
{
    up_server *s = n->ctx;
    char body[4096];
    size_t at;
    const char *uid = lie ? "" : UP_UPLOAD_ID;
    if (s->part_size == 0) {
        snprintf(body, sizeof body,
                 "{\"upload_id\":\"%s\",\"file_id\":\"" UP_FILE_ID "\",\"key\":\"" UP_KEY
                 "\","
                 "\"expires_at\":\"2026-06-23T15:05:00Z\",\"mode\":\"single\","
                 "\"url\":\"https://" FZ_STORAGE_HOST "/o/" UP_KEY
                 "?X-Fc-Signature=ab\","
                 "\"headers\":{\"Content-Type\":\"image/jpeg\"}}",
                 uid);
    } else {
        unsigned i;
        at = (size_t)snprintf(body, sizeof body,
                              "{\"upload_id\":\"%s\",\"file_id\":\"" UP_FILE_ID
                              "\","
                              "\"key\":\"" UP_KEY
                              "\",\"expires_at\":\"2026-06-23T15:05:00Z\","
                              "\"mode\":\"multipart\",\"part_size\":%llu,\"parts\":[",
                              uid, (unsigned long long)s->part_size);
        for (i = 1; i <= s->parts; i++) {
            at += (size_t)snprintf(body + at, sizeof body - at,
                                   "%s{\"part_number\":%u,\"url\":\"https://" FZ_STORAGE_HOST
                                   "/o/" UP_KEY "?partNumber=%u&X-Fc-Signature=ab\"}",
                                   i > 1 ? "," : "", i, i);
        }
        snprintf(body + at, sizeof body - at, "]}");
    }
    up_answer(n, c, 201, "Content-Type: application/json\r\n", body);
}

/* ---- storage ------------------------------------------------------------------------ */

static uint64_t up_part_len(const up_server *s, unsigned part)
{
    uint64_t from;
    if (s->part_size == 0) {
        return s->src->size;
    }
    from = (uint64_t)(part - 1) * s->part_size;
    return s->src->size - from < s->part_size ? s->src->size - from : s->part_size;
}

static void up_put(fz_net *n, fz_conn *c, int store)
{
    up_server *s = n->ctx;
    const char *q = strstr(c->req.target, "partNumber=");
    unsigned part = q != NULL ? (unsigned)strtoul(q + 11, NULL, 10) : 1;
    char etag[64];
    if (part == 0 || part > s->parts ||
        strncmp(c->req.target, "/o/" UP_KEY "?", 4 + strlen(UP_KEY)) != 0) {
        up_answer(n, c, 403, "", "{\"detail\":\"bad signature\"}");
        return;
    }
    if (s->part_size == 0 && strcmp(c->req.content_type, "image/jpeg") != 0) {
        up_answer(n, c, 403, "", "{\"detail\":\"content type not signed\"}");
        return;
    }
    if (c->req.body_seen != up_part_len(s, part)) {
        up_answer(n, c, 400, "", "{\"detail\":\"wrong part size\"}");
        return;
    }
    if (store) {
        s->part_ok[part] = fz_source_slice_is(s->src, (uint64_t)(part - 1) * s->part_size,
                                              c->req.body_seen, &c->req.body_hash);
        s->etag_gen[part]++;
    }
    snprintf(etag, sizeof etag, "ETag: \"e%u-%u\"\r\n", part, s->etag_gen[part]);
    up_answer(n, c, 200, etag, "");
}

/* ---- the API ---------------------------------------------------------------------------- */

static int up_body_has(const fz_conn *c, const char *needle)
{
    return strstr(c->req.json, needle) != NULL;
}

static int up_complete_ok(up_server *s, const fz_conn *c)
{
    char want[128];
    unsigned i;
    snprintf(want, sizeof want, "\"sha256\":\"%s\"", s->sha_hex);
    if (!up_body_has(c, "\"upload_id\":\"" UP_UPLOAD_ID "\"") ||
        !up_body_has(c, "\"file_id\":\"" UP_FILE_ID "\"") || !up_body_has(c, want)) {
        return 0;
    }
    for (i = 1; i <= s->parts; i++) {
        if (!s->part_ok[i]) {
            return 0;
        }
        if (s->part_size != 0) {
            snprintf(want, sizeof want, "\"etag\":\"\\\"e%u-%u\\\"\"", i, s->etag_gen[i]);
            if (!up_body_has(c, want)) {
                return 0;
            }
        }
    }
    return 1;
}

static void up_api(fz_net *n, fz_conn *c, int process, int lie)
{
    up_server *s = n->ctx;
    const char *t = c->req.target;
    char body[2048];
    int post = strcmp(c->req.method, "POST") == 0;
    if (!s->scan_from_seen && s->up->progress.completed) {
        s->scan_from_seen = 1;
        s->scan_from = n->now;
    }
    if (strncmp(t, "/api/v1/spaces", 14) == 0) {
        up_answer(n, c, 200, "",
                  "{\"items\":[{\"id\":\"s0\",\"name\":\"Archive\"},{\"id\":\"s1\",\"name\":"
                  "\"My files\",\"app\":\"fluidcloud\"}],\"next_cursor\":null}");
    } else if (post && strcmp(t, "/api/v1/uploads/initiate") == 0) {
        up_ticket(n, c, lie);
    } else if (post && strcmp(t, "/api/v1/uploads/complete") == 0) {
        int ok = up_complete_ok(s, c);
        if (process && ok && !s->completed) {
            s->completed = 1;
            s->completed_at = n->now;
        }
        if (!lie && process && ok && s->scan_polls_left <= 0 && !s->infected) {
            s->told_clean = 1; /* complete's own record says clean: no poll needed */
        }
        if (lie || (process && ok)) {
            /* A lie acknowledges what did not happen (the draft's own record). */
            up_file_json(s, body, sizeof body, UP_FILE_ID, !lie, 0);
            up_answer(n, c, 201, "", body);
        } else {
            up_answer(n, c, 422, "", "{\"detail\":\"sha256 mismatch or part missing\"}");
        }
    } else if (strcmp(c->req.method, "GET") == 0 && strcmp(t, "/api/v1/files/" UP_FILE_ID) == 0) {
        if (s->completed) {
            s->last_scan_get = n->now;
        }
        if (lie) {
            static const char *const ids[] = {UP_FILE_ID, "",
                                              "0b0b0b0b-0000-4000-8000-000000000000"};
            int kind = fz_u8(&s->in) % 4;
            if (kind == 0) {
                up_file_json(s, body, sizeof body, UP_FILE_ID, 0, 0); /* the draft */
            } else if (kind == 3) {
                up_file_json(s, body, sizeof body, UP_FILE_ID, 1, 1); /* wrong hash */
            } else {
                /* another file (or none) that is clean */
                snprintf(body, sizeof body,
                         "{\"id\":\"%s\",\"size\":%llu,\"sha256\":\"%s\",\"scan_status\":"
                         "\"clean\",\"status\":\"ready\"}",
                         ids[kind], (unsigned long long)s->src->size, s->sha_hex);
            }
            up_answer(n, c, 200, "", body);
            return;
        }
        up_file_json(s, body, sizeof body, UP_FILE_ID, 1, 0);
        if (s->completed && s->scan_polls_left <= 0 && !s->infected) {
            s->told_clean = 1;
        }
        if (s->completed && process && s->scan_polls_left > 0) {
            s->scan_polls_left--;
        }
        up_answer(n, c, 200, "", body);
    } else if (post && strcmp(t, "/api/v1/shares") == 0) {
        if (!s->completed || s->scan_polls_left > 0 || s->infected) {
            up_answer(n, c, 409, "", "{\"detail\":\"File is not shareable yet\"}");
            return;
        }
        if (process && !lie) {
            s->share_minted = 1;
        }
        snprintf(body, sizeof body,
                 "{\"id\":\"9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f\",\"file_id\":\"" UP_FILE_ID
                 "\",\"permission\":\"view\",\"expires_at\":null,\"created_at\":"
                 "\"2026-06-23T14:05:00Z\"%s}",
                 lie ? "" : ",\"url\":\"" UP_LINK "\"");
        up_answer(n, c, 201, "", body);
    } else {
        up_answer(n, c, 404, "", "{\"detail\":\"Not found\"}");
    }
}

/* ---- the fault before each answer ------------------------------------------------------- */

static void up_on_request(fz_net *n, fz_conn *c)
{
    up_server *s = n->ctx;
    up_conn_state *cs = &s->cs[c->index];
    int storage = strcmp(c->host, FZ_STORAGE_HOST) == 0;
    uint8_t f = fz_u8(&s->in);
    char hdr[64];
    memset(cs, 0, sizeof *cs);
    cs->delivery = (f >> 4) % 4;
    if (getenv("FZ_TRACE") != NULL) {
        fprintf(stderr, "[%lu ms] %s %s%s fault %u delivery %d\n",
                (unsigned long)(n->now - 0xFFFF0000u), c->req.method, storage ? "storage" : "",
                c->req.target, f % 16u, cs->delivery);
    }
    switch (f % 16) {
    case 8: up_answer(n, c, 500, "", "{\"detail\":\"injected\"}"); return;
    case 9: {
        uint8_t v = fz_u8(&s->in);
        snprintf(hdr, sizeof hdr, "Retry-After: %u\r\n", v >= 250 ? 999999u : v % 8u);
        up_answer(n, c, 503, hdr, "<html>busy</html>");
        return;
    }
    case 10:
        snprintf(hdr, sizeof hdr, "Retry-After: %u\r\n", fz_u8(&s->in) % 4u);
        up_answer(n, c, 429, hdr, "{\"detail\":\"Too many requests\"}");
        return;
    case 11:
        if (storage) {
            up_put(n, c, 1);
        } else {
            up_api(n, c, 1, 0);
        }
        c->out_pos = c->out_len; /* the answer is lost */
        cs->reset_when_sent = 1;
        return;
    case 12: cs->reset_when_sent = 1; return;
    case 13:
        if (fz_u8(&s->in) & 1u) {
            if (storage)
                up_put(n, c, 1);
            else
                up_api(n, c, 1, 0);
            c->out_pos = c->out_len;
        }
        cs->stalled = 1;
        return;
    case 14:
        fz_queuef(c, "\x16\x03\x01garbage\r\n\r\n");
        cs->close_when_sent = 1;
        return;
    case 15:
        if (storage) {
            up_put(n, c, 0); /* acknowledged, not stored */
        } else {
            up_api(n, c, 0, 1);
        }
        return;
    default:
        if (storage) {
            up_put(n, c, 1);
        } else {
            up_api(n, c, 1, 0);
        }
        return;
    }
}

static fc_err up_recv(fz_net *n, fz_conn *c, uint8_t *buf, size_t cap, size_t *got)
{
    up_conn_state *cs = &((up_server *)n->ctx)->cs[c->index];
    if (cs->stalled) {
        return FC_AGAIN;
    }
    if (c->out_pos < c->out_len) {
        if (cs->delivery == DL_ONE_BYTE) {
            cs->blocked = !cs->blocked;
            if (cs->blocked) {
                fz_wake(n);
                return FC_AGAIN;
            }
        }
        return fz_deliver(c, buf, cap, cs->delivery == DL_ONE_BYTE ? 1 : 0, got);
    }
    if (cs->reset_when_sent) {
        return FC_ERR_TRANSPORT;
    }
    if (cs->close_when_sent) {
        return FC_ERR_CLOSED;
    }
    return FC_AGAIN; /* idle: the client probes a kept-alive connection */
}

static fc_err up_connect(fz_net *n, fz_conn *c)
{
    memset(&((up_server *)n->ctx)->cs[c->index], 0, sizeof(up_conn_state));
    if (!c->tls) {
        fz_fail("storage-downgrade", "plain http to %s", c->host);
    }
    return FC_OK;
}

/* ---- the run --------------------------------------------------------------------------------- */

static void up_check(const up_server *s, const fc_upload *up, const fc_client *c, fc_err r,
                     uint32_t end, uint32_t max_wait)
{
    uint32_t scan_ms =
        up->params.scan_timeout_ms ? up->params.scan_timeout_ms : FC_CONFIG_SCAN_TIMEOUT_MS;
    int wants_clean = up->params.wait_clean || up->params.share != FC_SHARE_NONE;
    if (r == FC_OK) {
        if (!s->completed) {
            fz_fail("complete-unconfirmed", "FC_OK but the server never completed the upload");
        }
        /* params.file_out holds the record of the last answer about the file. */
        const fc_file *f = up->params.file_out;
        if (wants_clean &&
            (!s->told_clean || strcmp(f->id, UP_FILE_ID) != 0 || up->scan.value != FC_SCAN_CLEAN)) {
            fz_fail("scan-unconfirmed",
                    "FC_OK but no truthful clean scan of this file "
                    "(told_clean %d, file id '%s')",
                    s->told_clean, f->id);
        }
        if (up->params.share != FC_SHARE_NONE &&
            (!s->share_minted || strcmp(up->link, UP_LINK) != 0)) {
            fz_fail("share-no-url", "FC_OK with share '%s' (minted %d)", up->link, s->share_minted);
        }
        if (strcmp(f->id, UP_FILE_ID) != 0 || strcmp(up->progress.file_id, UP_FILE_ID) != 0) {
            fz_fail("scan-unconfirmed", "FC_OK with the file '%s'", f->id);
        }
    }
    /* (int32_t): the GET that confirmed complete may be the last one. */
    if (s->scan_from_seen && wants_clean && s->last_scan_get != 0 &&
        (int32_t)(s->last_scan_get - s->scan_from) > (int32_t)(scan_ms + max_wait)) {
        fz_fail("scan-deadline", "the scan step ran %lu ms, its deadline is %lu ms",
                (unsigned long)(s->last_scan_get - s->scan_from), (unsigned long)scan_ms);
    }
    if (r == FC_ERR_TIMEOUT && s->completed && strcmp(fc_client_error(c)->step, "scan") == 0 &&
        end - s->completed_at < scan_ms) {
        fz_fail("scan-deadline-early", "scan timed out %lu ms after complete (deadline %lu)",
                (unsigned long)(end - s->completed_at), (unsigned long)scan_ms);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fz_server server = {up_connect, NULL, up_on_request, NULL, up_recv, NULL};
    static const size_t k_io[] = {2048, 4096, 3000, 8192};
    up_server s;
    fz_source src;
    fz_net n;
    fc_client c;
    fc_client_config cfg;
    fz_limits lim;
    fc_upload *up;
    fc_file file;
    char etag_mem[UP_MAX_PARTS][FC_CONFIG_ETAG_MAX];
    fc_etag_array etags;
    uint8_t *io;
    fc_json_tok *toks;
    uint8_t opts;
    uint32_t elapsed = 0;
    fc_err r;

    memset(&s, 0, sizeof s);
    memset(&src, 0, sizeof src);
    s.in.p = data;
    s.in.n = size;
    s.src = &src;
    opts = fz_u8(&s.in);
    src.size = fz_u16(&s.in) % 6000u;
    src.seed = fz_u8(&s.in);
    src.max_read = fz_u8(&s.in);
    s.part_size = (opts & 0x03u) == 0 ? 0 : (opts & 0x03u) * 800u;
    s.parts = 1;
    if (s.part_size != 0) {
        s.parts = src.size == 0 ? 1 : (unsigned)((src.size + s.part_size - 1) / s.part_size);
        if (s.parts > UP_MAX_PARTS) {
            s.part_size = 0; /* too many parts for this model: single */
            s.parts = 1;
        }
    }
    s.scan_polls_left = fz_u8(&s.in) % 4;
    s.infected = (fz_u8(&s.in) & 0x0Fu) == 0x0Fu;
    fz_source_sha256_hex(&src, s.sha_hex);
    fz_net_init(&n, &server, &s, FZ_API_HOST, FZ_API_KEY);

    fc_client_config_defaults(&cfg);
    cfg.base_url = "https://" FZ_API_HOST "/api/v1";
    cfg.api_key = FZ_API_KEY;
    cfg.transports = n.transports;
    cfg.transport_count = FZ_MAX_CONN;
    cfg.system = fz_system(&n);
    cfg.io_buf_size = k_io[(opts >> 2) & 3u];
    cfg.token_count = 128;
    io = malloc(cfg.io_buf_size);
    toks = malloc(cfg.token_count * sizeof *toks);
    cfg.io_buf = io;
    cfg.tokens = toks;
    if (fc_client_init(&c, &cfg) != FC_OK) {
        abort();
    }

    up = malloc(sizeof *up);
    fc_upload_init(up);
    s.up = up;
    memset(&file, 0, sizeof file);
    fc_etag_array_init(&etags, etag_mem, UP_MAX_PARTS);
    up->params.file_out = &file;
    up->params.etags = &etags.store;
    up->params.name = "frame.jpg";
    up->params.size = src.size;
    up->params.content_type = "image/jpeg";
    up->params.source = fz_source_make(&src, (opts & 0x10u) != 0);
    up->params.wait_clean = (uint8_t)((opts & 0x20u) != 0);
    up->params.share = (fc_share_mode)((opts >> 6) % 3u);
    up->params.expires_in_days = 7;

    lim.max_polls = 1000000;
    lim.max_wait_ms = fz_config_max_wait(&cfg);
    /* fc_upload.h's bound: total_ms + the byte credit + the scan wait. */
    lim.max_total_ms = cfg.timeouts.total_ms;
    if (up->params.wait_clean || up->params.share != FC_SHARE_NONE) {
        lim.max_total_ms += FC_CONFIG_SCAN_TIMEOUT_MS;
    }
    r = fc_files_upload(&c, up);
    if (r == FC_AGAIN) {
        r = fz_run(&n, &c, &lim, &elapsed);
    }
    fz_check_error_info(&c, r);
    up_check(&s, up, &c, r, n.now, lim.max_wait_ms);

    free(up);
    fc_client_close(&c);
    fz_net_free(&n);
    free(toks);
    free(io);
    return 0;
}
