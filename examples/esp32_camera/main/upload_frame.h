/*
 * upload_frame.h - upload one in-memory frame (a JPEG) to FluidCloud and
 * mint a share link. SDK-independent: it sees only the library headers, so
 * CI compiles it for Cortex-M4 without ESP-IDF. main.c supplies the
 * camera frame, the network transports and the clock.

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

/* Everything one upload needs, in one static-friendly struct. */
typedef struct upload_frame_job {
    fc_client client;
    uint8_t io_buf[FC_CONFIG_IO_BUFFER_SIZE];
    fc_json_tok tokens[FC_CONFIG_JSON_TOKENS];
    frame_source frame;
    fc_upload up;            /* parameters, progress and results */
} upload_frame_job;

/* Where to upload and through what. transports: transport_count ready
 * fc_transports (TLS-wrapped for https). */
typedef struct upload_frame_cfg {
    const char *base_url;
    const char *api_key;
    fc_transport *transports;
    size_t transport_count;
    fc_system system;
} upload_frame_cfg;

/* Start uploading data[0..len) as file `name`. FC_AGAIN when started;
 * the frame memory must stay valid until upload_frame_poll() ends. */
fc_err upload_frame_start(upload_frame_job *job, const upload_frame_cfg *cfg,
                          const uint8_t *data, size_t len, const char *name);

/* Drive the upload: FC_AGAIN while it runs, then FC_OK or the error. */
fc_err upload_frame_poll(upload_frame_job *job);

/* After FC_OK: the share link (never NULL; "" when none was minted). */
const char *upload_frame_link(const upload_frame_job *job);

#endif /* UPLOAD_FRAME_H */
