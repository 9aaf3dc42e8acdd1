/*
 * fc_upload.c - the upload flow: which step comes next.
 *
 *   SPACES -> INITIATE -> PUT (each part) -> COMPLETE [-> VERIFY] -> SCAN
 *   -> SHARE -> DONE
 *
 * Each step is one request; the engine retries what is safe to retry. A
 * complete whose answer was lost (reset, timeout, 5xx) is checked with
 * GET /files/{id} before it is sent again, so it is never reported done
 * when it was not, nor repeated blindly when it was.
 */
#include "fc_transfer.h"

#include <string.h>

#include "fluidcloud/fc_contract.h"

#define FC_COMPLETE_TRIES 3u

static fc_err fc_up_on_response(fc_client *c, fc_err result);
static fc_err fc_up_on_timer(fc_client *c);

/* ---- GET /spaces, to find "My files" --------------------------------- */

/* The space named "My files", else the oldest (the list's first). */
static fc_err fc_pick_default_space(fc_client *c, fc_upload *up)
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
        int name = fc_json_find(&doc, tok, fc_api_string(FC_K_NAME));
        if (fc_json_str_eq(&doc, name, FC_DEFAULT_SPACE_NAME)) {
            pick = tok;
            break;
        }
    }
    return fc_json_get_str(&doc, fc_json_find(&doc, pick, fc_api_string(FC_K_ID)),
                           up->priv.space_id, sizeof up->priv.space_id, NULL);
}

/* ---- starting each step --------------------------------------------------- */

/* The error name and endpoint of each phase; the PUTs run requests of
 * their own (fc_upload_body.c). */
static const struct {
    uint8_t step; /* FC_K_UP_* */
    uint8_t ep;   /* FC_EP_* */
} k_phases[] = {
    {FC_K_UP_SPACES, FC_EP_SPACES_LIST},        /* FC_UP_SPACES */
    {FC_K_UP_INITIATE, FC_EP_UPLOADS_INITIATE}, /* FC_UP_INITIATE */
    {FC_K_UP_PUT, 0},                           /* FC_UP_PUT */
    {FC_K_UP_COMPLETE, FC_EP_UPLOADS_COMPLETE}, /* FC_UP_COMPLETE */
    {FC_K_UP_COMPLETE, FC_EP_FILES_GET},        /* FC_UP_VERIFY: was it done? */
    {FC_K_UP_SCAN, FC_EP_FILES_GET},            /* FC_UP_SCAN */
    {FC_K_UP_SHARE, FC_EP_SHARES_CREATE},       /* FC_UP_SHARE */
};

/* One page of spaces: the default one is among the first. */
static const fc_list_params k_spaces_page = {.limit = 200};

/* The phase's request, with its arguments by name. */
static fc_err fc_up_request(fc_client *c, fc_upload *up)
{
    const fc_upload_params *p = &up->params;
    const fc_upload_progress *pg = &up->progress;
    unsigned ep = k_phases[up->priv.phase].ep;
    fc_api_args a;
    memset(&a, 0, sizeof a);
    if (up->priv.phase == FC_UP_SPACES) {
        return fc_api_request_list(c, ep, &k_spaces_page);
    }
    if (up->priv.phase == FC_UP_INITIATE) {
        a.space_id = p->space_id != NULL ? p->space_id : up->priv.space_id;
        a.folder_id = p->folder_id;
        a.name = p->name;
        a.content_type = p->content_type != NULL ? p->content_type : "application/octet-stream";
        a.client_key = p->client_key;
        /* [contract] resuming: ask for fresh URLs for the same upload. */
        a.upload_id = pg->upload_id[0] != '\0' ? pg->upload_id : NULL;
        a.size = (int64_t)p->size;
    } else if (up->priv.phase == FC_UP_COMPLETE) {
        fc_upload_sha256_hex(up);
        a.upload_id = pg->upload_id;
        a.file_id = pg->file_id;
        a.key = pg->key;
        a.sha256 = up->priv.sha256_hex;
        a.write_more = fc_upload_complete_parts;
    } else if (up->priv.phase == FC_UP_SHARE) {
        a.file_id = pg->file_id;
        a.permission = p->permission;
        a.expires_in_days = p->share == FC_SHARE_EXPIRING ? p->expires_in_days : -1;
    } else {
        a.id = pg->file_id; /* VERIFY, SCAN: GET /files/{id} */
    }
    return fc_api_request(c, ep, &a);
}

static fc_err fc_up_start(fc_client *c, fc_upload *up)
{
    if (up->priv.phase == FC_UP_PUT) {
        if (up->progress.part < up->progress.part_count) {
            return fc_upload_put_next(c, up);
        }
        if (up->priv.only_step) {
            return FC_OK;
        }
        up->priv.phase = FC_UP_COMPLETE;
    }
    if (up->priv.phase >= FC_UP_DONE) {
        return FC_OK;
    }
    if (up->priv.phase >= FC_UP_COMPLETE) {
        c->priv.reserved = 0; /* the URLs are spent */
    }
    c->priv.op.step = fc_api_string(k_phases[up->priv.phase].step);
    return fc_up_request(c, up);
}

/* After complete: the scan wait and the share, as asked. */
static fc_err fc_up_after_complete(fc_client *c, fc_upload *up)
{
    if (up->priv.only_step) {
        return FC_OK;
    }
    if (up->params.wait_clean || up->params.share != FC_SHARE_NONE) {
        up->priv.phase = FC_UP_SCAN;
    } else {
        up->priv.phase = FC_UP_DONE;
    }
    return fc_up_start(c, up);
}

/* ---- reacting to each step's answer --------------------------------- */

/* A fresh upload id means the server started over: so do we. */
static fc_err fc_up_restart_if_new(fc_upload *up, const char *old_id)
{
    fc_upload_progress *pg = &up->progress;
    if (old_id[0] == '\0' || strcmp(old_id, pg->upload_id) == 0) {
        return pg->offset > 0u && up->params.source.seek != NULL
                   ? up->params.source.seek(up->params.source.ctx, pg->offset)
                   : FC_OK;
    }
    if (pg->offset > 0u) {
        if (up->params.source.seek == NULL) {
            return FC_ERR_SOURCE;
        }
        if (up->params.source.seek(up->params.source.ctx, 0) != FC_OK) {
            return FC_ERR_SOURCE;
        }
    }
    pg->part = 0;
    pg->offset = 0;
    pg->completed = 0;
    fc_sha256_init(&pg->hash);
    memset(pg->etags, 0, sizeof pg->etags);
    return FC_OK;
}

static fc_err fc_up_initiated(fc_client *c, fc_upload *up)
{
    char old_id[FC_ID_MAX];
    fc_err e;
    memcpy(old_id, up->progress.upload_id, sizeof old_id);
    e = fc_ticket_store(c, up);
    if (e == FC_OK) {
        e = fc_up_restart_if_new(up, old_id);
    }
    if (e != FC_OK) {
        return e;
    }
    up->priv.ticket_len = c->priv.reserved;
    up->priv.ticket_op = c->priv.op_seq;
    up->priv.phase = FC_UP_PUT;
    return up->priv.only_step ? FC_OK : fc_up_start(c, up);
}

static int fc_may_have_been_processed(fc_err e)
{
    return e == FC_ERR_TIMEOUT || e == FC_ERR_CLOSED || e == FC_ERR_TRANSPORT ||
           e == FC_ERR_PROTOCOL || e == FC_ERR_SERVER;
}

static fc_err fc_up_completed(fc_client *c, fc_upload *up, fc_err result)
{
    if (result == FC_OK) {
        fc_err e = fc_upload_complete_done(c, up);
        return e != FC_OK ? e : fc_up_after_complete(c, up);
    }
    if (fc_may_have_been_processed(result) && up->priv.complete_tries < FC_COMPLETE_TRIES) {
        up->priv.complete_tries++;
        up->priv.phase = FC_UP_VERIFY;
        return fc_up_start(c, up);
    }
    return result;
}

/* GET /files/{id} after a lost complete: 404 means it never happened. */
static fc_err fc_up_verified(fc_client *c, fc_upload *up, fc_err result)
{
    if (result == FC_ERR_NOT_FOUND) {
        up->priv.phase = FC_UP_COMPLETE;
        return fc_up_start(c, up);
    }
    if (result != FC_OK) {
        return result;
    }
    up->priv.phase = FC_UP_COMPLETE;
    return fc_up_completed(c, up, FC_OK);
}

static fc_err fc_up_scanned(fc_client *c, fc_upload *up)
{
    fc_err e = fc_decode_response(c, FC_OBJ_FILE, &up->file);
    if (e != FC_OK) {
        return e;
    }
    if (up->file.scan_status.value == FC_SCAN_CLEAN) {
        up->priv.phase =
            (up->params.share != FC_SHARE_NONE && !up->priv.only_step) ? FC_UP_SHARE : FC_UP_DONE;
        return fc_up_start(c, up);
    }
    if (up->file.scan_status.value != FC_SCAN_PENDING) {
        return FC_ERR_SCAN_FAILED;
    }
    if (fc_time_reached(fc_now(c) + up->priv.poll_ms, up->priv.scan_deadline_ms)) {
        return FC_ERR_TIMEOUT;
    }
    c->priv.op.on_timer = fc_up_on_timer;
    fc_timer_start(c, up->priv.poll_ms);
    up->priv.poll_ms = up->priv.poll_ms * 2u > FC_CONFIG_SCAN_POLL_MAX_MS
                           ? FC_CONFIG_SCAN_POLL_MAX_MS
                           : up->priv.poll_ms * 2u;
    return FC_AGAIN;
}

static fc_err fc_up_on_response(fc_client *c, fc_err result)
{
    fc_upload *up = c->priv.op.out;
    switch (up->priv.phase) {
    case FC_UP_COMPLETE: return fc_up_completed(c, up, result);
    case FC_UP_VERIFY: return fc_up_verified(c, up, result);
    default: break;
    }
    if (result != FC_OK) {
        return result;
    }
    switch (up->priv.phase) {
    case FC_UP_SPACES: {
        fc_err e = fc_pick_default_space(c, up);
        if (e != FC_OK) {
            return e;
        }
        up->priv.phase = FC_UP_INITIATE;
        return fc_up_start(c, up);
    }
    case FC_UP_INITIATE: return fc_up_initiated(c, up);
    case FC_UP_PUT: {
        fc_err e = fc_upload_put_done(c, up);
        return e != FC_OK ? e : fc_up_start(c, up);
    }
    case FC_UP_SCAN: return fc_up_scanned(c, up);
    case FC_UP_SHARE: return fc_decode_response(c, FC_OBJ_SHARE_CREATED, &up->share);
    default: return FC_OK;
    }
}

static fc_err fc_up_on_timer(fc_client *c)
{
    return fc_up_start(c, (fc_upload *)c->priv.op.out);
}

/* ---- public entry points ------------------------------------------------- */

static fc_err fc_up_check(const fc_upload *up)
{
    const fc_upload_params *p = &up->params;
    if (p->name == NULL || p->source.read == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    if (p->share == FC_SHARE_EXPIRING && (p->expires_in_days < 1 || p->expires_in_days > 365)) {
        return FC_ERR_INVALID_ARG;
    }
    return FC_OK;
}

static fc_err fc_up_begin(fc_client *c, fc_upload *up, uint8_t phase, uint8_t only)
{
    fc_err e = fc_up_check(up);
    uint32_t scan_ms;
    if (e == FC_OK) {
        e = fc_op_begin(c, "upload", fc_up_on_response, up);
    }
    if (e != FC_OK) {
        return e;
    }
    up->priv.phase = phase;
    up->priv.only_step = only;
    up->priv.complete_tries = 0;
    up->priv.poll_ms = FC_CONFIG_SCAN_POLL_FIRST_MS;
    scan_ms = up->params.scan_timeout_ms ? up->params.scan_timeout_ms : FC_CONFIG_SCAN_TIMEOUT_MS;
    up->priv.scan_deadline_ms = fc_now(c) + scan_ms;
    return FC_OK;
}

static void fc_up_fresh_progress(fc_upload *up)
{
    if (up->progress.upload_id[0] == '\0') {
        memset(&up->progress, 0, sizeof up->progress);
        fc_sha256_init(&up->progress.hash);
    }
    up->progress.size = up->params.size;
}

/* From the ticket on: the default space first unless one is given. */
static fc_err fc_up_from_initiate(fc_client *c, fc_upload *up, uint8_t only)
{
    fc_err e = fc_up_begin(c, up, FC_UP_INITIATE, only);
    if (e != FC_OK) {
        return e;
    }
    fc_up_fresh_progress(up);
    if (!only && up->progress.completed) {
        /* Resumed after complete: only the scan and the share remain
         * (FC_OK at once when neither was asked for). */
        return fc_up_after_complete(c, up);
    }
    up->priv.phase = up->params.space_id == NULL ? FC_UP_SPACES : FC_UP_INITIATE;
    return fc_up_start(c, up);
}

fc_err fc_files_upload(fc_client *c, fc_upload *up)
{
    return fc_up_from_initiate(c, up, 0);
}

fc_err fc_uploads_initiate(fc_client *c, fc_upload *up)
{
    return fc_up_from_initiate(c, up, 1);
}

fc_err fc_uploads_put(fc_client *c, fc_upload *up)
{
    uint32_t ticket_op = up->priv.ticket_op;
    size_t ticket_len = up->priv.ticket_len;
    fc_err e;
    if (ticket_len == 0u || c->priv.op_seq != ticket_op) {
        return FC_ERR_INVALID_ARG; /* another operation reused the buffer */
    }
    e = fc_up_begin(c, up, FC_UP_PUT, 1);
    if (e != FC_OK) {
        return e;
    }
    c->priv.reserved = ticket_len;
    up->priv.ticket_op = c->priv.op_seq; /* a failed put may be called again */
    return fc_up_start(c, up);
}

/* One step on its own. */
static fc_err fc_up_one_step(fc_client *c, fc_upload *up, uint8_t phase)
{
    fc_err e = fc_up_begin(c, up, phase, 1);
    return e != FC_OK ? e : fc_up_start(c, up);
}

fc_err fc_uploads_complete(fc_client *c, fc_upload *up)
{
    return fc_up_one_step(c, up, FC_UP_COMPLETE);
}

fc_err fc_uploads_wait_clean(fc_client *c, fc_upload *up)
{
    return fc_up_one_step(c, up, FC_UP_SCAN);
}
