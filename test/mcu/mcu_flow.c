/* SPDX-License-Identifier: MIT */
/* mcu_flow.c - see mcu_flow.h. */
#include "mcu_flow.h"

#include <string.h>

static fc_err frame_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    mcu_frame *f = (mcu_frame *)ctx;
    size_t n = sizeof f->data - f->pos;
    n = n < cap ? n : cap;
    n = n < MCU_UPLOAD_PIECE ? n : MCU_UPLOAD_PIECE;
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    *got = n;
    return FC_OK;
}

static fc_err frame_seek(void *ctx, uint64_t offset)
{
    mcu_frame *f = (mcu_frame *)ctx;
    if (offset > sizeof f->data) {
        return FC_ERR_SOURCE;
    }
    f->pos = (size_t)offset;
    return FC_OK;
}

void mcu_flow_prepare(mcu_flow *fl)
{
    mcu_frame *f = &fl->frame;
    fc_pattern p;
    size_t i;
    memset(&p, 0, sizeof p);
    p.seed = MCU_UPLOAD_SEED;
    p.size = sizeof f->data;
    for (i = 0; i < sizeof f->data; i++) {
        f->data[i] = fc_pattern_byte(&p, i);
    }
    f->pos = 0;
}

fc_err mcu_flow_start(mcu_flow *f, const char *base_url, const char *api_key,
                      fc_transport *transports, fc_system sys)
{
    fc_client_config cfg;
    fc_err r;
    fc_client_config_defaults(&cfg);
    cfg.base_url = base_url;
    cfg.api_key = api_key;
    cfg.transports = transports;
    cfg.transport_count = MCU_CONNECTIONS;
    cfg.system = sys;
    cfg.io_buf = f->io;
    cfg.io_buf_size = sizeof f->io;
    cfg.tokens = f->tokens;
    cfg.token_count = MCU_TOKENS;
    r = fc_client_init(&f->client, &cfg);
    if (r != FC_OK) {
        return r;
    }
    memset(&f->up, 0, sizeof f->up);
    f->up.params.name = "mcu-frame.bin";
    f->up.params.size = MCU_UPLOAD_SIZE;
    f->up.params.content_type = "application/octet-stream";
    f->up.params.client_key = "mcu/frame/1";
    f->up.params.source.read = frame_read;
    f->up.params.source.seek = frame_seek;
    f->up.params.source.ctx = &f->frame;
    f->up.params.share = FC_SHARE_PUBLIC; /* waits for a clean scan first */
    return fc_files_upload(&f->client, &f->up);
}
