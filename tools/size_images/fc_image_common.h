/* SPDX-License-Identifier: MIT */
/*
 * fc_image_common.h - what the size images of tools/size_table.py share: a
 * stub transport and clock (never run: the images are only linked and
 * measured) and the camera's upload loop. Not part of the library.
 */
#ifndef FC_IMAGE_COMMON_H
#define FC_IMAGE_COMMON_H

#include "fluidcloud/fc_upload.h"

static fc_err stub_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    (void)ctx;
    (void)host;
    (void)port;
    (void)use_tls;
    return FC_AGAIN;
}

static fc_err stub_poll(void *ctx)
{
    (void)ctx;
    return FC_OK;
}

static fc_err stub_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    (void)ctx;
    (void)data;
    *sent = len;
    return FC_OK;
}

static fc_err stub_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    (void)ctx;
    (void)buf;
    (void)cap;
    *got = 0;
    return FC_AGAIN;
}

static void stub_close(void *ctx)
{
    (void)ctx;
}

static unsigned stub_events(void *ctx)
{
    (void)ctx;
    return FC_WAIT_READ;
}

static const fc_transport_ops k_stub_ops = {
    .connect = stub_connect,
    .connect_poll = stub_poll,
    .send = stub_send,
    .recv = stub_recv,
    .close = stub_close,
    .wait_events = stub_events,
};

static uint32_t stub_now(void *ctx)
{
    return *(volatile uint32_t *)ctx;
}

static uint32_t stub_random(void *ctx)
{
    return *(volatile uint32_t *)ctx * 2654435761u;
}

/* A frame of the camera's memory, handed out in DMA-sized pieces. */
static fc_err camera_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    volatile const uint8_t *frame = ctx;
    size_t n = cap < 512 ? cap : 512;
    size_t i;
    for (i = 0; i < n; i++) {
        buf[i] = frame[i];
    }
    *got = n;
    return FC_OK;
}

static uint8_t g_io[FC_CONFIG_IO_BUFFER_SIZE];
static fc_json_tok g_tokens[FC_CONFIG_JSON_TOKENS];
static fc_transport g_transports[FC_CONFIG_MAX_CONNECTIONS];
static fc_client g_client;
static fc_upload g_upload;
static volatile uint32_t g_clock;
static volatile uint8_t g_frame[512];

/* Upload one frame and make a public link: what a camera firmware does. */
static int camera_upload(void)
{
    fc_client_config cfg;
    size_t i;
    fc_err r;
    fc_client_config_defaults(&cfg);
    for (i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        g_transports[i].ops = &k_stub_ops;
        g_transports[i].ctx = NULL;
    }
    cfg.base_url = "https://api-cloud.fluidvip.com/api/v1";
    cfg.api_key = "fck_live_0000";
    cfg.transports = g_transports;
    cfg.transport_count = FC_CONFIG_MAX_CONNECTIONS;
    cfg.system.now_ms = stub_now;
    cfg.system.random = stub_random;
    cfg.system.ctx = (void *)&g_clock;
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.tokens = g_tokens;
    cfg.token_count = FC_CONFIG_JSON_TOKENS;
    if (fc_client_init(&g_client, &cfg) != FC_OK) {
        return 1;
    }
    g_upload.params.name = "frame.jpg";
    g_upload.params.size = 96u * 1024u;
    g_upload.params.content_type = "image/jpeg";
    g_upload.params.source.read = camera_read;
    g_upload.params.source.ctx = (void *)g_frame;
    g_upload.params.share = FC_SHARE_PUBLIC;
    r = fc_files_upload(&g_client, &g_upload);
    while (r == FC_AGAIN) {
        fc_wait w;
        fc_client_wait(&g_client, &w);
        g_clock += w.timeout_ms;
        r = fc_poll(&g_client);
    }
    return r == FC_OK ? g_upload.link[0] : 2;
}

#endif
