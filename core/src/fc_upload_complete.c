/*
 * fc_upload_complete.c - POST /uploads/complete and its checks.
 *
 * The server compares the stored size and SHA-256 with what we declare
 * (422 on a mismatch); we compare the file it answers with what we sent,
 * too, so a wrong success is caught on both sides.
 */
#include "fc_upload_internal.h"

#include <string.h>

#include "fc_api_internal.h"
#include "fluidcloud/fc_contract.h"

static void fc_upload_hex(const fc_upload *up, char hex[65])
{
    fc_sha256 h = up->progress.hash; /* final() consumes the state */
    uint8_t digest[32];
    fc_sha256_final(&h, digest);
    fc_sha256_hex(digest, hex);
}

static void fc_complete_parts(fc_jw *w, const fc_upload_progress *pg)
{
    uint32_t i;
    fc_jw_key(w, FC_F_PARTS);
    fc_jw_array_begin(w);
    for (i = 0; i < pg->part_count; i++) {
        fc_jw_object_begin(w);
        fc_jw_kv_i64(w, FC_F_PART_NUMBER, (int64_t)i + 1);
        fc_jw_kv_str(w, FC_F_ETAG, pg->etags[i]);
        fc_jw_object_end(w);
    }
    fc_jw_array_end(w);
}

fc_err fc_upload_complete_body(fc_client *c, fc_jw *w)
{
    const fc_upload *up = c->op.out;
    const fc_upload_progress *pg = &up->progress;
    char hex[65];
    fc_upload_hex(up, hex);
    fc_jw_object_begin(w);
    fc_jw_kv_str(w, FC_F_UPLOAD_ID, pg->upload_id);
    fc_jw_kv_str(w, FC_F_FILE_ID, pg->file_id);
    fc_jw_kv_str(w, FC_F_KEY, pg->key);
    fc_jw_kv_str(w, FC_F_SHA256, hex);
    if (pg->multipart) {
        fc_complete_parts(w, pg);
    }
    fc_jw_object_end(w);
    return FC_OK;
}

/* The file the server answers must be the bytes we sent. */
static fc_err fc_upload_check_file(const fc_upload *up)
{
    char hex[65];
    if (strcmp(up->file.id, up->progress.file_id) != 0 ||
        up->file.size != (int64_t)up->progress.size) {
        return FC_ERR_INTEGRITY;
    }
    fc_upload_hex(up, hex);
    if (up->file.sha256[0] != '\0' && !fc_ascii_ieq(up->file.sha256, hex, 65)) {
        return FC_ERR_INTEGRITY;
    }
    return FC_OK;
}

fc_err fc_upload_complete_done(fc_client *c, fc_upload *up)
{
    fc_json_doc doc;
    fc_err e = fc_response_json(c, &doc);
    if (e == FC_OK) {
        e = fc_decode_file(c, &doc, 0, &up->file);
    }
    if (e == FC_OK) {
        e = fc_upload_check_file(up);
    }
    if (e == FC_OK) {
        up->progress.completed = 1;
    }
    return e;
}
