/* SPDX-License-Identifier: MIT */
/*
 * fc_download.h - GET a raw link or a presigned URL into a sink.
 *
 * The bytes go to the application's sink as they arrive, through the
 * client's I/O buffer only. No API key is sent: the URL is a capability
 * of its own. After a broken connection (reset, EOF, stall, bad framing)
 * the download asks again with "Range: bytes=<offset>-", so the sink sees
 * every byte once, in order: the answer's Content-Range is checked, a 206
 * that starts before offset (the whole object, say) or a 200 (the range
 * ignored) has the bytes the sink already has skipped, one that starts
 * after it (a gap) fails with FC_ERR_PROTOCOL, and an answer that ends
 * before the object's size is asked again for the rest.
 *
 *     fc_download dl = {0};
 *     dl.url = link;
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
    uint64_t offset; /* start here (Range); updated as bytes arrive */
    /* The object's size, known once the answer's head arrived (before the
     * first sink call): a 200's Content-Length or the size in a 206's
     * Content-Range. 0 = unknown until the end, then the bytes delivered. */
    uint64_t total;
    uint8_t max_resumes; /* re-requests with Range after a broken connection
                            (0 = FC_CONFIG_RETRY_MAX_ATTEMPTS) */
    /* Optional: the file name the answer's Content-Disposition gives
     * (filename*=UTF-8'' preferred over filename=, percent-decoded, without
     * any path), set before the first sink call; "" when there is none or
     * it does not fit filename_cap bytes (never cut) or has control bytes. */
    char *filename;
    size_t filename_cap;
    struct {
        uint64_t start;    /* the offset the current request asked for */
        uint64_t body_at;  /* the object's byte the answer's body starts at */
        uint64_t range[3]; /* Content-Range: first, last, size */
        uint8_t range_state;
        uint8_t range_ok;   /* a whole "bytes first-last/size" was read */
        uint8_t name_state; /* Content-Disposition reader (fc_download.c) */
        uint8_t name_from;  /* which parameter the name came from */
        uint8_t word_len;
        char word[16]; /* a parameter name or a charset being read */
        size_t name_len;
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
