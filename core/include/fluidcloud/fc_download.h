/* SPDX-License-Identifier: MIT */
/*
 * fc_download.h - GET a raw link or a presigned URL into a sink.
 *
 * The bytes go to the application's sink as they arrive, through the
 * client's I/O buffer only. No API key is sent: the URL is a capability
 * of its own. After a broken connection (reset, EOF, stall, bad framing)
 * the download asks again with "Range: bytes=<offset>-", so the sink sees
 * every byte once, in order; a server that ignores the range (200 instead
 * of 206) has the bytes before offset skipped.
 *
 *     fc_download dl = {0};
 *     dl.url = share.url;
 *     dl.sink = write_to_flash;  dl.sink_ctx = &flash;
 *     fc_err r = fc_download_start(&client, &dl);
 *     if (r == FC_AGAIN) r = fc_run(&client, fc_posix_wait_fn, NULL);
 */
#ifndef FLUIDCLOUD_FC_DOWNLOAD_H
#define FLUIDCLOUD_FC_DOWNLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fc_download {
    const char *url; /* raw link or presigned URL (no key sent) */
    fc_sink_fn sink; /* receives the bytes in order */
    void *sink_ctx;
    uint64_t offset;     /* start here (Range); updated as bytes arrive */
    uint64_t total;      /* result: bytes up to the end (offset then) */
    uint8_t max_resumes; /* re-requests with Range after a broken connection
                            (0 = FC_CONFIG_RETRY_MAX_ATTEMPTS) */
    struct {
        uint64_t start;  /* the offset the current request asked for */
        uint8_t resumes; /* re-requests made */
    } priv;              /* private */
} fc_download;

/* Start the download (FC_AGAIN = started; drive it with fc_poll). dl must
 * stay valid until it ends. FC_ERR_INVALID_ARG without url or sink; a
 * revoked or unknown link ends as FC_ERR_NOT_FOUND, a sink's error stops
 * it with that error. */
fc_err fc_download_start(fc_client *c, fc_download *dl);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_DOWNLOAD_H */
