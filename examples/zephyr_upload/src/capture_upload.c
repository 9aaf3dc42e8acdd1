/* SPDX-License-Identifier: MIT */
/*
 * capture_upload.c - see capture_upload.h. No SDK calls here.
 */
#include "capture_upload.h"

#include <string.h>

/* Format one line without printf (keeps newlib's printf out of firmware
 * that has none). Returns its length; out holds CAPTURE_LINE_MAX bytes. */
static size_t format_line(char *out, size_t index, int32_t value)
{
    char tmp[CAPTURE_LINE_MAX];
    size_t n = 0, len = 0;
    uint32_t mag = value < 0 ? (uint32_t)0 - (uint32_t)value : (uint32_t)value;
    do { /* digits of the value, reversed */
        tmp[n++] = (char)('0' + mag % 10u);
        mag /= 10u;
    } while (mag != 0u);
    if (value < 0) {
        tmp[n++] = '-';
    }
    tmp[n++] = ',';
    do { /* digits of the index, reversed */
        tmp[n++] = (char)('0' + index % 10u);
        index /= 10u;
    } while (index != 0u);
    while (n > 0) {
        out[len++] = tmp[--n];
    }
    out[len++] = '\n';
    return len;
}

uint64_t capture_csv_size(const int32_t *samples, size_t count)
{
    char line[CAPTURE_LINE_MAX];
    uint64_t total = 0;
    size_t i;
    for (i = 0; i < count; i++) {
        total += format_line(line, i, samples[i]);
    }
    return total;
}

static fc_err csv_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    capture_csv *c = (capture_csv *)ctx;
    size_t n = 0;
    while (n < cap) {
        size_t take;
        if (c->pending_pos == c->pending_len) {
            if (c->line == c->count) {
                break; /* end of the body */
            }
            c->pending_len = format_line(c->pending, c->line, c->samples[c->line]);
            c->pending_pos = 0;
            c->line++;
        }
        take = c->pending_len - c->pending_pos;
        if (take > cap - n) {
            take = cap - n;
        }
        memcpy(buf + n, c->pending + c->pending_pos, take);
        c->pending_pos += take;
        n += take;
    }
    *got = n;
    return FC_OK;
}

/* Re-read from the start and skip to offset: the lines are cheap to redo. */
static fc_err csv_seek(void *ctx, uint64_t offset)
{
    capture_csv *c = (capture_csv *)ctx;
    uint8_t scratch[32];
    c->line = 0;
    c->pending_len = c->pending_pos = 0;
    while (offset > 0) {
        size_t got = 0;
        size_t want = offset < sizeof scratch ? (size_t)offset : sizeof scratch;
        (void)csv_read(c, scratch, want, &got);
        if (got == 0) {
            return FC_ERR_SOURCE; /* offset beyond the end */
        }
        offset -= got;
    }
    return FC_OK;
}

void capture_synthetic(int32_t *samples, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++) {
        samples[i] = 21000 + (int32_t)((i * 37u) % 1000u);
    }
}

fc_err capture_upload_start(capture_job *job, fc_client *client, const int32_t *samples,
                            size_t count, const char *name)
{
    if (job == NULL || client == NULL || samples == NULL || name == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    memset(&job->csv, 0, sizeof job->csv);
    job->csv.samples = samples;
    job->csv.count = count;

    /* Zeroed progress = a new upload (not a resume). */
    memset(&job->up, 0, sizeof job->up);
    job->up.params.name = name;
    job->up.params.content_type = "text/csv";
    job->up.params.size = capture_csv_size(samples, count);
    job->up.params.source.read = csv_read;
    job->up.params.source.seek = csv_seek;
    job->up.params.source.ctx = &job->csv;
    return fc_files_upload(client, &job->up);
}
