/* SPDX-License-Identifier: MIT */
/*
 * camera_stream - a camera pushing captures to FluidCloud.
 *
 * It "captures" N frames (synthetic JPEG-sized patterns of varying size),
 * uploads each as it is captured through a source callback that hands the
 * frame out 1 kB at a time (the frame never sits in RAM whole), with a
 * client_key per frame, waits for the virus scan to pass, mints a public
 * link for each, then fetches one link back and checks it byte for byte.
 *
 *   camera_stream [frames] [io-buffer-bytes]
 *
 * Against the local emulator by default (see the README's Quick start), or
 * the real service with FLUIDCLOUD_BASE_URL and FLUIDCLOUD_API_KEY set.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluidcloud/fc_host.h"
#include "fluidcloud/fc_upload.h"
#include "frame_source.h"

#define MAX_FRAMES 64
#define PIECE      1024u
#define MIN_FRAME  (24u * 1024u)
#define MAX_FRAME  (180u * 1024u)

static uint8_t g_io[16384];
static fc_host g_host;
static fc_upload g_up;
static fc_file g_file;
static char g_links[MAX_FRAMES][FC_URL_MAX];

typedef struct verify {
    frame_source frame;
    uint64_t checked;
    int mismatch;
} verify;

static fc_err verify_sink(void *ctx, const uint8_t *data, size_t len)
{
    verify *v = ctx;
    size_t i;
    for (i = 0; i < len; i++) {
        if (v->checked + i >= v->frame.size || data[i] != frame_byte(&v->frame, v->checked + i)) {
            v->mismatch = 1;
            return FC_ERR_SINK;
        }
    }
    v->checked += len;
    return FC_OK;
}

static int upload_frame(uint32_t n)
{
    frame_source frame;
    char name[32];
    char client_key[48];
    fc_err e;
    frame_source_init(&frame, n, MIN_FRAME, MAX_FRAME, PIECE);
    snprintf(name, sizeof name, "frame-%04" PRIu32 ".jpg", n);
    snprintf(client_key, sizeof client_key, "camera-demo/%08" PRIx32 "/frame-%04" PRIu32,
             (uint32_t)rand(), n);
    fc_upload_init(&g_up);
    g_up.params.name = name;
    g_up.params.size = frame.size;
    g_up.params.content_type = "image/jpeg";
    g_up.params.client_key = client_key;
    g_up.params.source = frame_source_reader(&frame);
    g_up.params.share = FC_SHARE_PUBLIC;
    g_up.params.file_out = &g_file; /* the whole record, for its sha256 */
    e = fc_files_upload(&g_host.client, &g_up);
    if (e == FC_AGAIN) {
        e = fc_host_run(&g_host);
    }
    if (e != FC_OK) {
        fc_host_print_error(&g_host, name, e);
        return 1;
    }
    snprintf(g_links[n], sizeof g_links[n], "%s", g_up.link);
    printf("frame %2" PRIu32 "  %7" PRIu64 " bytes  sha256 %.16s...  %s  %s\n", n, frame.size,
           g_file.sha256, g_up.scan.raw, g_links[n]);
    return 0;
}

static int fetch_back(uint32_t n)
{
    fc_download dl;
    verify v;
    fc_err e;
    memset(&v, 0, sizeof v);
    frame_source_init(&v.frame, n, MIN_FRAME, MAX_FRAME, PIECE);
    memset(&dl, 0, sizeof dl);
    dl.url = g_links[n];
    dl.sink = verify_sink;
    dl.sink_ctx = &v;
    e = fc_download_start(&g_host.client, &dl);
    if (e == FC_AGAIN) {
        e = fc_host_run(&g_host);
    }
    if (e != FC_OK || v.mismatch || v.checked != v.frame.size) {
        fc_host_print_error(&g_host, "fetching the link back", e == FC_OK ? FC_ERR_INTEGRITY : e);
        return 1;
    }
    printf("fetched frame %" PRIu32 " back through its link: %" PRIu64 " bytes, identical\n", n,
           v.checked);
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t frames = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 5u;
    size_t io_size = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : FC_CONFIG_IO_BUFFER_SIZE;
    uint32_t n;
    int failed = 0;
    fc_err e;
    if (frames == 0 || frames > MAX_FRAMES || io_size < 1024 || io_size > sizeof g_io) {
        fprintf(stderr, "usage: camera_stream [frames 1..%d] [io-buffer 1024..%zu]\n", MAX_FRAMES,
                sizeof g_io);
        return 2;
    }
    e = fc_host_init_env(&g_host, g_io, io_size);
    if (e != FC_OK) {
        fprintf(stderr, "client set-up failed: %s\n", fc_err_str(e));
        return 1;
    }
    srand((unsigned)fc_posix_system().random(NULL));
    printf("camera_stream: %" PRIu32 " frames, %zu-byte I/O buffer, %u-byte pieces\n", frames,
           io_size, PIECE);
    for (n = 0; n < frames && !failed; n++) {
        failed = upload_frame(n);
    }
    if (!failed) {
        failed = fetch_back(0);
    }
    fc_host_free(&g_host);
    printf(failed ? "camera_stream: FAILED\n"
                  : "camera_stream: all frames uploaded, scanned clean and linked\n");
    return failed;
}
