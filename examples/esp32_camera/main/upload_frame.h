/* SPDX-License-Identifier: MIT */
/*
 * upload_frame.h - upload one in-memory frame (a JPEG) to FluidCloud and
 * mint a share link. SDK-independent: it sees only the library headers, so
 * CI compiles it for Cortex-M4 without ESP-IDF, and for the ESP32-C3
 * against ESP-IDF's headers when a tree is given. main.c supplies the
 * camera frame and the client (../../common/firmware/fc_firmware_client.h).
 */
#ifndef UPLOAD_FRAME_H
#define UPLOAD_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_upload.h"

/* A read-only memory buffer as an fc_source (rewindable, so a failed PUT
 * can be retried). */
typedef struct frame_source {
    const uint8_t *data;
    size_t len;
    size_t pos;
} frame_source;

/* One upload of a frame (the client is the caller's). */
typedef struct upload_frame_job {
    frame_source frame;
    fc_upload up; /* parameters, progress and results */
} upload_frame_job;

/* Start uploading data[0..len) as file `name` through client, with a
 * public link once the scan is clean. FC_AGAIN when started; drive it with
 * fc_poll() (or fc_run()). The frame memory must stay valid until then. */
fc_err upload_frame_start(upload_frame_job *job, fc_client *client, const uint8_t *data, size_t len,
                          const char *name);

/* After FC_OK: the share link (never NULL; "" when none was minted). */
const char *upload_frame_link(const upload_frame_job *job);

#endif /* UPLOAD_FRAME_H */
