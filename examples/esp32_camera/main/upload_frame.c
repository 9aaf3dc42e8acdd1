/* SPDX-License-Identifier: MIT */
/*
 * upload_frame.c - see upload_frame.h. No SDK calls here: only the
 * fluidcloud-c API and the C library.
 */
#include "upload_frame.h"

#include <string.h>

static fc_err frame_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    frame_source *f = (frame_source *)ctx;
    size_t n = f->len - f->pos;
    if (n > cap) {
        n = cap;
    }
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    *got = n;
    return FC_OK;
}

/* The frame stays in memory, so any offset can be re-read on retry. */
static fc_err frame_seek(void *ctx, uint64_t offset)
{
    frame_source *f = (frame_source *)ctx;
    if (offset > f->len) {
        return FC_ERR_SOURCE;
    }
    f->pos = (size_t)offset;
    return FC_OK;
}

fc_err upload_frame_start(upload_frame_job *job, fc_client *client, const uint8_t *data, size_t len,
                          const char *name)
{
    if (job == NULL || client == NULL || data == NULL || name == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    job->frame.data = data;
    job->frame.len = len;
    job->frame.pos = 0;

    /* Zeroed progress = a new upload (not a resume). */
    memset(&job->up, 0, sizeof job->up);
    job->up.params.name = name;
    job->up.params.content_type = "image/jpeg";
    job->up.params.size = (uint64_t)len;
    job->up.params.source.read = frame_read;
    job->up.params.source.seek = frame_seek;
    job->up.params.source.ctx = &job->frame;
    job->up.params.share = FC_SHARE_PUBLIC; /* waits for a clean scan first */
    return fc_files_upload(client, &job->up);
}

const char *upload_frame_link(const upload_frame_job *job)
{
    return job->up.link;
}
