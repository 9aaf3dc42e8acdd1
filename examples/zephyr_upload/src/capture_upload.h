/*
 * capture_upload.h - upload a series of sensor samples as a CSV file,
 * streamed: each line is formatted when the client pulls it, so RAM use
 * does not grow with the capture. SDK-independent (CI compiles it for
 * Cortex-M4 against the library headers); src/main.c is the Zephyr part.

 */
#ifndef CAPTURE_UPLOAD_H
#define CAPTURE_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_upload.h"

/* Longest line: 20-digit index, ',', '-', 10 digits, '\n'. */
#define CAPTURE_LINE_MAX 40

/* Samples in milli-units (e.g. m°C), one CSV line "index,value\n" each. */
typedef struct capture_csv {
    const int32_t *samples;
    size_t count;
    size_t line;        /* next line to format */
    char pending[CAPTURE_LINE_MAX];   /* a formatted line not yet fully copied out */
    size_t pending_len;
    size_t pending_pos;
} capture_csv;

typedef struct capture_job {
    fc_client client;
    uint8_t io_buf[FC_CONFIG_IO_BUFFER_SIZE];
    fc_json_tok tokens[FC_CONFIG_JSON_TOKENS];
    capture_csv csv;
    fc_upload up;       /* parameters, progress and results */
} capture_job;

typedef struct capture_cfg {
    const char *base_url;
    const char *api_key;
    fc_transport *transports;
    size_t transport_count;
    fc_system system;
} capture_cfg;

/* Bytes of the CSV text for these samples (the declared upload size). */
uint64_t capture_csv_size(const int32_t *samples, size_t count);

/* Start the upload of samples[0..count) as `name`: FC_AGAIN when started. */
fc_err capture_upload_start(capture_job *job, const capture_cfg *cfg,
                            const int32_t *samples, size_t count, const char *name);

/* FC_AGAIN while running, then FC_OK or the error. */
fc_err capture_upload_poll(capture_job *job);

/* After FC_OK: the id of the stored file. */
const char *capture_upload_file_id(const capture_job *job);

#endif /* CAPTURE_UPLOAD_H */
