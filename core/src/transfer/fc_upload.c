/* SPDX-License-Identifier: MIT */
/*
 * fc_upload.c - the upload flow: which step comes next.
 *
 *   SPACES (once per client) -> INITIATE -> PUT (each part; a part outside
 *   the kept window: INITIATE again for the next window) -> COMPLETE
 *   [-> COMPLETE_CHECK] -> SCAN (after a short wait, until clean) -> SHARE
 *   -> DONE
 *
 * Each step is one request; the engine retries what is safe to retry. A
 * complete whose answer was lost (reset, timeout, 5xx) is checked with
 * GET /files/{id} before it is sent again: only a record with our size and
 * SHA-256 proves it happened, anything else sends it again (safe: the
 * server checks size and hash), so it is never reported done when it was
 * not.
 */
#include "fc_transfer.h"

#include <string.h>

#include "fluidcloud/fc_contract.h"

/* The client keeps the default space's id for us (fc_client.h). */
typedef char fc_space_id_fits[FC_ID_MAX == FC_CLIENT_SPACE_ID_MAX ? 1 : -1];

/* Sends of complete (the first and after lost answers). */
#define FC_COMPLETE_TRIES 3u
/* Tickets in a row that may give no URL for the next part (a server that
 * started over answers with another window once). */
#define FC_FRUITLESS_MAX 2u

/* By phase (FC_UP_*); the last one names the call itself. */
const char fc_up_step_names[][9] = {"spaces",   "initiate", "put",   "complete",
                                    "complete", "scan",     "share", "upload"};

static fc_err fc_up_on_response(fc_client *c, fc_err result);
static fc_err fc_up_on_timer(fc_client *c);
static fc_err fc_up_start(fc_client *c, fc_upload *up);

/* Appends s to the error's detail while it fits. */
static void fc_up_append(fc_client *c, size_t *at, const char *s)
{
    char *d = c->priv.error.detail;
    for (; *s != '\0'; s++) {
        if (*at + 1u >= sizeof c->priv.error.detail) {
            c->priv.error.detail_cut = 1;
            break;
        }
        d[(*at)++] = *s;
    }
    d[*at] = '\0';
}

void fc_up_say(fc_client *c, const char *a, uint64_t n, const char *b)
{
    size_t at = 0;
    c->priv.error.detail_cut = 0;
    fc_up_append(c, &at, a);
    if (b != NULL) {
        char digits[FC_U64_DIGITS_MAX + 1];
        size_t len;
        const char *d = fc_u64_digits(n, digits, &len);
        digits[FC_U64_DIGITS_MAX] = '\0';
        fc_up_append(c, &at, d);
        fc_up_append(c, &at, b);
    }
}

void fc_up_say_text(fc_client *c, const char *a, const char *s)
{
    size_t at = 0;
    c->priv.error.detail_cut = 0;
    fc_up_append(c, &at, a);
    fc_up_append(c, &at, s);
}

/* ---- requests the flow writes itself ------------------------------------------ */

/* One page of spaces: the default one is among the first. */
static fc_err fc_spaces_target(fc_client *c, fc_head_writer *w)
{
    int first = 1;
    (void)c;
    fc_head_write_str(w, FC_PATH_SPACES);
    fc_head_write_query(w, &first, FC_Q_LIMIT, "200");
    return FC_OK;
}

static fc_err fc_initiate_target(fc_client *c, fc_head_writer *w)
{
    (void)c;
    fc_head_write_str(w, FC_PATH_UPLOADS_INITIATE);
    return FC_OK;
}

/* {"space_id","folder_id"?,"name","size","content_type","client_key"?,
 *  "upload_id"? (a resume or a later window), "part_from"? (when > 1),
 *  "part_limit"} - the window: [contract] TEAM decision 1. */
static fc_err fc_initiate_body(fc_client *c, fc_json_writer *w)
{
    const fc_upload *up = c->priv.op.out;
    const fc_upload_params *p = &up->params;
    const fc_upload_progress *pg = &up->progress;
    fc_json_write_object_begin(w);
    fc_json_write_member_str(w, FC_F_SPACE_ID,
                             p->space_id != NULL ? p->space_id : c->priv.default_space_id);
    fc_json_write_member_str(w, FC_F_FOLDER_ID, p->folder_id);
    fc_json_write_member_str(w, FC_F_NAME, p->name);
    fc_json_write_member_i64(w, FC_F_SIZE, (int64_t)p->size);
    fc_json_write_member_str(w, FC_F_CONTENT_TYPE,
                             p->content_type != NULL ? p->content_type
                                                     : "application/octet-stream");
    fc_json_write_member_str(w, FC_F_CLIENT_KEY, p->client_key);
    if (pg->upload_id[0] != '\0') {
        fc_json_write_member_str(w, FC_F_UPLOAD_ID, pg->upload_id);
    }
    if (up->priv.window_from > 1u) {
        fc_json_write_member_i64(w, FC_F_PART_FROM, up->priv.window_from);
    }
    fc_json_write_member_i64(w, FC_F_PART_LIMIT, fc_ticket_part_limit(c, up));
    fc_json_write_object_end(w);
    return FC_OK;
}

static fc_err fc_up_request(fc_client *c, uint8_t method,
                            fc_err (*target)(fc_client *, fc_head_writer *),
                            fc_err (*body)(fc_client *, fc_json_writer *), fc_sink_fn sink)
{
    fc_request req;
    memset(&req, 0, sizeof req);
    req.method = method;
    req.flags = (uint8_t)(FC_REQ_API | (method == FC_HTTP_GET ? FC_REQ_IDEMPOTENT : 0u));
    req.write_target = target;
    req.write_json = body;
    req.sink = sink;
    req.sink_ctx = c;
    return fc_request_start(c, &req);
}

/* The generic endpoints the flow needs go through the api layer:
 * files.get (the check of a lost complete, the scan polls), shares.create. */
static fc_err fc_up_api(fc_client *c, fc_upload *up, unsigned ep)
{
    const fc_upload_params *p = &up->params;
    fc_api_args a;
    memset(&a, 0, sizeof a);
    a.id = up->progress.file_id;
    a.file_id = up->progress.file_id;
    a.permission = p->permission;
    a.expires_in_days = p->share == FC_SHARE_EXPIRING ? p->expires_in_days : -1;
    return fc_api_request(c, ep, &a);
}

/* ---- starting each step --------------------------------------------------------- */

static fc_err fc_up_start(fc_client *c, fc_upload *up)
{
    fc_upload_progress *pg = &up->progress;
    uint8_t phase = up->priv.phase;
    if (phase == FC_UP_PUT && pg->part >= pg->part_count) {
        if (up->priv.only_step) {
            return FC_OK;
        }
        phase = up->priv.phase = FC_UP_COMPLETE;
    }
    if (phase == FC_UP_PUT && fc_ticket_url(c, up, pg->part) == NULL) {
        phase = up->priv.phase = FC_UP_INITIATE; /* the next window of URLs */
    }
    if (phase >= FC_UP_DONE) {
        pg->finished = pg->completed; /* a new call starts a new upload */
        return FC_OK;
    }
    c->priv.op.step = fc_up_step_names[phase];
    if (phase >= FC_UP_COMPLETE) {
        c->priv.reserved = 0; /* the URLs are spent */
    }
    switch (phase) {
    case FC_UP_SPACES: return fc_up_request(c, FC_HTTP_GET, fc_spaces_target, NULL, NULL);
    case FC_UP_INITIATE:
        fc_ticket_begin(c, up);
        return fc_up_request(c, FC_HTTP_POST, fc_initiate_target, fc_initiate_body, fc_ticket_sink);
    case FC_UP_PUT: return fc_upload_put_next(c, up);
    case FC_UP_COMPLETE: up->priv.complete_tries++; return fc_upload_complete_start(c, up);
    case FC_UP_COMPLETE_CHECK:
    case FC_UP_SCAN: return fc_up_api(c, up, FC_EP_FILES_GET);
    default: return fc_up_api(c, up, FC_EP_SHARES_CREATE);
    }
}

/* The next scan poll after a wait of poll_ms, which then grows. A wait
 * that would pass the scan deadline lasts until the deadline instead: the
 * phase deadline then ends the upload with FC_ERR_TIMEOUT after exactly
 * scan_timeout_ms, not a poll interval before it (fuzz_upload's
 * scan-deadline-early). */
static fc_err fc_up_poll_later(fc_client *c, fc_upload *up)
{
    uint32_t now = fc_now(c);
    uint32_t ms = up->priv.poll_ms;
    uint32_t left =
        fc_time_reached(now, up->priv.scan_deadline_ms) ? 0u : up->priv.scan_deadline_ms - now;
    up->priv.poll_ms = ms * 2u > FC_CONFIG_SCAN_POLL_MAX_MS ? FC_CONFIG_SCAN_POLL_MAX_MS : ms * 2u;
    if (ms >= left) {
        ms = left;
    }
    c->priv.op.step = fc_up_step_names[FC_UP_SCAN]; /* the wait is the scan's, not complete's */
    c->priv.op.on_timer = fc_up_on_timer;
    return fc_timer_start(c, ms);
}

/* The scan wait: its deadline starts now, the first poll after a short
 * wait (complete just said pending; a scan takes a moment). */
static fc_err fc_up_wait_scan(fc_client *c, fc_upload *up, int poll_now)
{
    uint32_t ms =
        up->params.scan_timeout_ms ? up->params.scan_timeout_ms : FC_CONFIG_SCAN_TIMEOUT_MS;
    up->priv.phase = FC_UP_SCAN;
    up->priv.poll_ms = FC_CONFIG_SCAN_POLL_FIRST_MS;
    up->priv.scan_deadline_ms = fc_now(c) + ms;
    /* The polls, their retries and waits end by then; the transfer before
     * did not eat into this time. */
    fc_op_phase_deadline(c, ms);
    fc_op_extend_total(c, ms);
    return poll_now ? fc_up_start(c, up) : fc_up_poll_later(c, up);
}

/* After complete: the scan wait and the share, as asked. */
static fc_err fc_up_after_complete(fc_client *c, fc_upload *up, int poll_now)
{
    int scan = up->params.wait_clean || up->params.share != FC_SHARE_NONE;
    if (up->priv.only_step) {
        return FC_OK;
    }
    if (!scan) {
        up->priv.phase = FC_UP_DONE;
        return fc_up_start(c, up);
    }
    if (up->scan.value == FC_SCAN_CLEAN) {
        up->priv.phase = up->params.share != FC_SHARE_NONE ? FC_UP_SHARE : FC_UP_DONE;
        return fc_up_start(c, up); /* clean already: no poll */
    }
    return fc_up_wait_scan(c, up, poll_now);
}

/* ---- reacting to each step's answer --------------------------------------------- */

/* The space named "My files", else the oldest (the list's first), kept in
 * the client for its next uploads (issue 12.8). */
static fc_err fc_up_spaces(fc_client *c, fc_upload *up)
{
    fc_json_doc doc;
    int items;
    int tok;
    int pick;
    int n;
    fc_err e = fc_response_json(c, &doc);
    if (e != FC_OK) {
        return e;
    }
    items = fc_page_items(&doc);
    n = fc_json_size(&doc, items);
    if (n <= 0) {
        return FC_ERR_NOT_FOUND; /* no space at all */
    }
    pick = items + 1;
    for (tok = pick; n-- > 0; tok = fc_json_skip(&doc, tok)) {
        int name = fc_json_find(&doc, tok, FC_F_NAME);
        if (fc_json_str_eq(&doc, name, FC_DEFAULT_SPACE_NAME)) {
            pick = tok;
            break;
        }
    }
    e = fc_json_get_str(&doc, fc_json_find(&doc, pick, FC_F_ID), c->priv.default_space_id,
                        sizeof c->priv.default_space_id, NULL);
    if (e == FC_OK && c->priv.default_space_id[0] == '\0') {
        e = FC_ERR_JSON;
    }
    if (e != FC_OK) {
        return e;
    }
    up->priv.phase = FC_UP_INITIATE;
    return fc_up_start(c, up);
}

/* The source to byte `offset` of a resumed upload. Without seek() only
 * byte 0 will do, and only while no byte was confirmed or read (where
 * such a source stands after a failure nobody knows). */
static fc_err fc_up_seek_source(const fc_upload *up, uint64_t offset)
{
    const fc_source *src = &up->params.source;
    if (src->seek == NULL) {
        int untouched = up->progress.offset == 0u && up->priv.part_read == 0u;
        return offset == 0u && untouched ? FC_OK : FC_ERR_SOURCE;
    }
    return src->seek(src->ctx, offset) == FC_OK ? FC_OK : FC_ERR_SOURCE;
}

/* A different upload id than the one resumed: the server started over,
 * and so do we, from byte 0. */
static fc_err fc_up_start_over(fc_upload *up)
{
    fc_upload_progress *pg = &up->progress;
    fc_err e = fc_up_seek_source(up, 0);
    if (e != FC_OK) {
        return e;
    }
    pg->part = 0;
    pg->offset = 0;
    pg->completed = 0;
    fc_sha256_init(&pg->hash);
    return FC_OK;
}

/* The window belongs to the upload the ticket names; its first URL must
 * be the next part's. */
static fc_err fc_up_initiated(fc_client *c, fc_upload *up)
{
    fc_upload_progress *pg = &up->progress;
    const char *answered = up->priv.step.ticket.upload_id;
    fc_err e = fc_ticket_finish(c, up);
    if (e == FC_OK && strcmp(answered, pg->upload_id) != 0) {
        if (pg->upload_id[0] != '\0' || pg->offset > 0u) {
            e = fc_up_start_over(up);
        }
        memcpy(pg->upload_id, answered, sizeof pg->upload_id);
    } else if (e == FC_OK && up->priv.resume_seek) {
        /* Resumed where the progress stands: the source goes there too. */
        e = fc_up_seek_source(up, pg->offset);
    }
    up->priv.resume_seek = 0;
    if (e != FC_OK) {
        return e;
    }
    if (up->priv.window_from != pg->part + 1u) {
        /* Started over from part 1 with a window further on: ask again. */
        if (++up->priv.fruitless > FC_FRUITLESS_MAX) {
            return FC_ERR_PROTOCOL;
        }
        up->priv.phase = FC_UP_INITIATE;
        return fc_up_start(c, up);
    }
    e = fc_ticket_window(c, up);
    if (e != FC_OK) {
        return e;
    }
    up->priv.fruitless = 0;
    up->priv.ticket_len = c->priv.reserved;
    up->priv.ticket_op = c->priv.op_seq;
    up->priv.phase = FC_UP_PUT;
    return up->priv.only_step == FC_UP_INITIATE ? FC_OK : fc_up_start(c, up);
}

static int fc_may_have_been_processed(fc_err e)
{
    return e == FC_ERR_TIMEOUT || e == FC_ERR_CLOSED || e == FC_ERR_TRANSPORT ||
           e == FC_ERR_PROTOCOL || e == FC_ERR_SERVER;
}

static fc_err fc_up_confirmed(fc_client *c, fc_upload *up)
{
    up->progress.completed = 1;
    return fc_up_after_complete(c, up, 0);
}

static fc_err fc_up_completed(fc_client *c, fc_upload *up, fc_err result)
{
    if (result == FC_OK) {
        fc_err e = fc_upload_take_file(c, up);
        return e != FC_OK ? e : fc_up_confirmed(c, up);
    }
    if (fc_may_have_been_processed(result) && up->priv.complete_tries < FC_COMPLETE_TRIES) {
        up->priv.phase = FC_UP_COMPLETE_CHECK;
        return fc_up_start(c, up);
    }
    return result;
}

/* GET /files/{id} after a lost complete: our size and SHA-256 prove it
 * happened; a 404, a draft without them or another record mean it did
 * not (or we cannot tell): send it again. */
static fc_err fc_up_checked(fc_client *c, fc_upload *up, fc_err result)
{
    fc_err e = result == FC_OK ? fc_upload_take_file(c, up) : result;
    if (e == FC_OK) {
        return fc_up_confirmed(c, up);
    }
    if (e != FC_ERR_NOT_FOUND && e != FC_ERR_INTEGRITY) {
        return e;
    }
    if (up->priv.complete_tries >= FC_COMPLETE_TRIES) {
        fc_up_say(c, "complete was not confirmed after ", FC_COMPLETE_TRIES, " tries");
        return FC_ERR_INTEGRITY;
    }
    up->priv.phase = FC_UP_COMPLETE;
    return fc_up_start(c, up);
}

/* The scan's verdict: clean, failed (named in the detail), or still
 * running. A value the docs do not call final ("scanning", say) is waited
 * on while the file is not ready ([contract] issue 15.7). */
static fc_err fc_up_scanned(fc_client *c, fc_upload *up)
{
    fc_scan_status v;
    fc_err e = fc_upload_take_file(c, up);
    if (e != FC_OK) {
        return e;
    }
    v = up->scan.value;
    if (v == FC_SCAN_CLEAN) {
        fc_op_phase_deadline(c, 0); /* the scan wait is over */
        up->priv.phase =
            up->params.share != FC_SHARE_NONE && !up->priv.only_step ? FC_UP_SHARE : FC_UP_DONE;
        return fc_up_start(c, up);
    }
    if (up->scan.raw[0] == '\0') {
        fc_up_say(c, "the file's record has no scan_status", 0, NULL);
        return FC_ERR_JSON;
    }
    if (v == FC_SCAN_INFECTED || v == FC_SCAN_ERROR ||
        (v == FC_SCAN_UNKNOWN && up->status.value == FC_FILE_STATUS_READY)) {
        fc_up_say_text(c, "scan_status: ", up->scan.raw);
        return FC_ERR_SCAN_FAILED;
    }
    if (fc_time_reached(fc_now(c) + up->priv.poll_ms, up->priv.scan_deadline_ms)) {
        /* The last wait, cut at the deadline: the upload ends then with
         * FC_ERR_TIMEOUT and these words about this answer. */
        fc_up_say_text(c, "the scan did not end in time; scan_status: ", up->scan.raw);
    }
    return fc_up_poll_later(c, up);
}

/* The link is the point of a share: an answer without one is not FC_OK. */
static fc_err fc_up_shared(fc_client *c, fc_upload *up)
{
    fc_json_doc doc;
    int file;
    fc_err e = fc_response_json(c, &doc);
    if (e != FC_OK) {
        return e;
    }
    file = fc_json_find(&doc, 0, FC_F_FILE_ID);
    if (file >= 0 && !fc_json_str_eq(&doc, file, up->progress.file_id)) {
        fc_up_say(c, "the share is for another file", 0, NULL);
        return FC_ERR_INTEGRITY;
    }
    e = fc_api_get(c, fc_json_get_str, &doc, fc_json_find(&doc, 0, FC_F_URL), up->link,
                   sizeof up->link);
    if (e == FC_OK && up->link[0] == '\0') {
        e = FC_ERR_JSON;
    }
    if (e == FC_ERR_JSON) {
        fc_up_say(c, "the share's answer has no url", 0, NULL);
    }
    if (e == FC_OK && up->params.share_out != NULL) {
        e = fc_decode_obj(c, &doc, 0, fc_obj_fields[FC_OBJ_SHARE], up->params.share_out);
    }
    if (e == FC_OK) {
        up->priv.phase = FC_UP_DONE;
        return fc_up_start(c, up);
    }
    return e;
}

/* A scan poll that failed on the way (timeout, reset, 5xx, 429) is no
 * verdict: poll again while the scan deadline allows. */
static fc_err fc_up_poll_failed(fc_client *c, fc_upload *up, fc_err result)
{
    if ((fc_may_have_been_processed(result) || result == FC_ERR_RATE_LIMITED) &&
        !fc_time_reached(fc_now(c), up->priv.scan_deadline_ms)) {
        return fc_up_poll_later(c, up);
    }
    return result;
}

static fc_err fc_up_on_response(fc_client *c, fc_err result)
{
    fc_upload *up = c->priv.op.out;
    switch (up->priv.phase) {
    case FC_UP_COMPLETE: return fc_up_completed(c, up, result);
    case FC_UP_COMPLETE_CHECK: return fc_up_checked(c, up, result);
    case FC_UP_SCAN:
        if (result != FC_OK) {
            return fc_up_poll_failed(c, up, result);
        }
        break;
    case FC_UP_INITIATE:
        if (result != FC_OK) {
            fc_ticket_failed(c, up, result);
        }
        break;
    default: break;
    }
    if (result != FC_OK) {
        return result;
    }
    switch (up->priv.phase) {
    case FC_UP_SPACES: return fc_up_spaces(c, up);
    case FC_UP_INITIATE: return fc_up_initiated(c, up);
    case FC_UP_PUT: {
        fc_err e = fc_upload_put_done(c, up);
        return e != FC_OK ? e : fc_up_start(c, up);
    }
    case FC_UP_SCAN: return fc_up_scanned(c, up);
    default: return fc_up_shared(c, up);
    }
}

static fc_err fc_up_on_timer(fc_client *c)
{
    return fc_up_start(c, (fc_upload *)c->priv.op.out);
}

/* ---- which upload it is ----------------------------------------------------------- */

/* FNV-1a over s and its NUL (NULL as ""). */
static uint32_t fc_digest_str(uint32_t h, const char *s)
{
    do {
        h = (h ^ (uint8_t)(s != NULL ? *s : '\0')) * 16777619u;
    } while (s != NULL && *s++ != '\0');
    return h;
}

/* What makes two uploads the same one: name, size, type, space, folder,
 * client key. (The bytes themselves the progress cannot know.) */
static uint32_t fc_params_digest(const fc_upload_params *p)
{
    uint32_t h = 2166136261u;
    unsigned i;
    for (i = 0; i < 8u; i++) {
        h = (h ^ (uint8_t)(p->size >> (8u * i))) * 16777619u;
    }
    h = fc_digest_str(h, p->name);
    h = fc_digest_str(h, p->content_type);
    h = fc_digest_str(h, p->space_id);
    h = fc_digest_str(h, p->folder_id);
    return fc_digest_str(h, p->client_key);
}

void fc_upload_init(fc_upload *up)
{
    memset(up, 0, sizeof *up);
}

void fc_upload_reset(fc_upload *up)
{
    fc_upload_params params = up->params;
    fc_upload_init(up);
    up->params = params;
}

/* A new upload's progress, or the unfinished one of the same params.
 * FC_ERR_INVALID_ARG for one of other params (nothing is sent). */
static fc_err fc_up_progress(fc_client *c, fc_upload *up)
{
    fc_upload_progress *pg = &up->progress;
    uint32_t digest = fc_params_digest(&up->params);
    if (pg->file_id[0] == '\0' || pg->finished) {
        memset(pg, 0, sizeof *pg);
        fc_sha256_init(&pg->hash);
        pg->size = up->params.size;
        pg->params_digest = digest;
        /* Nothing of an earlier upload's ticket carries over. */
        up->priv.url_max = 0;
        up->priv.window_n = 0;
        up->priv.ticket_len = 0;
        up->priv.part_read = 0;
        return FC_OK;
    }
    if (pg->params_digest != digest || pg->size != up->params.size) {
        c->priv.error.err = FC_ERR_INVALID_ARG;
        fc_error_set_step(c, fc_up_step_names[FC_UP_DONE]);
        fc_up_say(c, "the progress is of another upload: fc_upload_reset() it first", 0, NULL);
        return FC_ERR_INVALID_ARG;
    }
    up->priv.resume_seek = 1;
    return FC_OK;
}

/* ---- public entry points ---------------------------------------------------------- */

static fc_err fc_up_check(const fc_upload *up)
{
    const fc_upload_params *p = &up->params;
    if (p->name == NULL || p->source.read == NULL || p->size > (uint64_t)INT64_MAX) {
        return FC_ERR_INVALID_ARG;
    }
    if (p->share == FC_SHARE_EXPIRING && (p->expires_in_days < 1 || p->expires_in_days > 365)) {
        return FC_ERR_INVALID_ARG;
    }
    return FC_OK;
}

/* Claim the client for phase; only = the public step run alone. */
static fc_err fc_up_begin(fc_client *c, fc_upload *up, uint8_t phase, uint8_t only)
{
    fc_err e = fc_up_check(up);
    if (e == FC_OK) {
        e = fc_op_begin(c, fc_up_step_names[FC_UP_DONE], fc_up_on_response, up);
    }
    if (e != FC_OK) {
        return e;
    }
    up->priv.phase = phase;
    up->priv.only_step = only;
    up->priv.complete_tries = 0;
    up->priv.fruitless = 0;
    up->priv.resume_seek = 0;
    return FC_OK;
}

/* The results start over with each call. */
static void fc_up_clear_results(fc_upload *up)
{
    memset(&up->scan, 0, sizeof up->scan);
    memset(&up->status, 0, sizeof up->status);
    up->link[0] = '\0';
}

/* From the ticket on: the default space first unless one is given (or
 * known), straight to complete when every part was sent, to the scan
 * when complete was confirmed. */
static fc_err fc_up_from_initiate(fc_client *c, fc_upload *up, uint8_t only)
{
    fc_upload_progress *pg = &up->progress;
    fc_err e = fc_up_begin(c, up, FC_UP_INITIATE, only);
    if (e == FC_OK) {
        e = fc_up_progress(c, up);
    }
    if (e != FC_OK) {
        return e;
    }
    fc_up_clear_results(up);
    if (!only && pg->completed) {
        /* Only the scan and the share remain (FC_OK at once when neither
         * was asked for). */
        return fc_up_after_complete(c, up, 1);
    }
    if (!only && pg->part_count != 0u && pg->part >= pg->part_count) {
        up->priv.phase = FC_UP_COMPLETE;
    } else if (up->params.space_id == NULL && c->priv.default_space_id[0] == '\0') {
        up->priv.phase = FC_UP_SPACES;
    }
    return fc_up_start(c, up);
}

fc_err fc_files_upload(fc_client *c, fc_upload *up)
{
    return fc_up_from_initiate(c, up, 0);
}

fc_err fc_uploads_initiate(fc_client *c, fc_upload *up)
{
    return fc_up_from_initiate(c, up, FC_UP_INITIATE);
}

fc_err fc_uploads_put(fc_client *c, fc_upload *up)
{
    uint32_t ticket_op = up->priv.ticket_op;
    size_t ticket_len = up->priv.ticket_len;
    fc_err e;
    if (ticket_len == 0u || c->priv.op_seq != ticket_op) {
        return FC_ERR_INVALID_ARG; /* another operation reused the buffer */
    }
    e = fc_up_begin(c, up, FC_UP_PUT, FC_UP_PUT);
    if (e != FC_OK) {
        return e;
    }
    c->priv.reserved = ticket_len;
    up->priv.ticket_op = c->priv.op_seq; /* a failed put may be called again */
    return fc_up_start(c, up);
}

fc_err fc_uploads_complete(fc_client *c, fc_upload *up)
{
    fc_err e = fc_up_begin(c, up, FC_UP_COMPLETE, FC_UP_COMPLETE);
    if (e == FC_OK && up->progress.file_id[0] == '\0') {
        e = FC_ERR_INVALID_ARG;
    }
    return e != FC_OK ? e : fc_up_start(c, up);
}

fc_err fc_uploads_wait_clean(fc_client *c, fc_upload *up)
{
    fc_err e = fc_up_begin(c, up, FC_UP_SCAN, FC_UP_SCAN);
    if (e == FC_OK && up->progress.file_id[0] == '\0') {
        e = FC_ERR_INVALID_ARG;
    }
    return e != FC_OK ? e : fc_up_wait_scan(c, up, 1);
}
