/*
 * fc_upload_complete.c - POST /uploads/complete and its checks.
 *
 * The server compares the stored size and SHA-256 with what we declare
 * (422 on a mismatch); we compare the file it answers with what we sent,
 * too, so a wrong success is caught on both sides.
 */
#include "fc_transfer.h"

#include <string.h>

#include "fluidcloud/fc_contract.h"

void fc_upload_sha256_hex(fc_upload *up)
{
    fc_sha256 h = up->progress.hash; /* final() consumes the state */
    uint8_t digest[32];
    fc_sha256_final(&h, digest);
    fc_sha256_hex(digest, up->priv.sha256_hex);
}

void fc_upload_complete_parts(fc_client *c, fc_json_writer *w)
{
    const fc_upload_progress *pg = &((const fc_upload *)c->priv.op.out)->progress;
    uint32_t i;
    if (!pg->multipart) {
        return;
    }
    fc_json_write_key(w, fc_api_string(FC_K_PARTS));
    fc_json_write_array_begin(w);
    for (i = 0; i < pg->part_count; i++) {
        fc_json_write_object_begin(w);
        fc_json_write_member_i64(w, fc_api_string(FC_K_PART_NUMBER), (int64_t)i + 1);
        fc_json_write_member_str(w, FC_F_ETAG, pg->etags[i]);
        fc_json_write_object_end(w);
    }
    fc_json_write_array_end(w);
}

/* The file the server answers must be the bytes we sent. */
static fc_err fc_upload_check_file(const fc_upload *up)
{
    if (strcmp(up->file.id, up->progress.file_id) != 0 ||
        up->file.size != (int64_t)up->progress.size) {
        return FC_ERR_INTEGRITY;
    }
    if (up->file.sha256[0] != '\0' &&
        !fc_ascii_ieq(up->file.sha256, up->priv.sha256_hex, sizeof up->priv.sha256_hex)) {
        return FC_ERR_INTEGRITY;
    }
    return FC_OK;
}

fc_err fc_upload_complete_done(fc_client *c, fc_upload *up)
{
    fc_err e = fc_decode_response(c, FC_OBJ_FILE, &up->file);
    if (e == FC_OK) {
        e = fc_upload_check_file(up);
    }
    if (e == FC_OK) {
        up->progress.completed = 1;
    }
    return e;
}
