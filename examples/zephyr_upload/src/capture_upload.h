/* SPDX-License-Identifier: MIT */
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
    size_t line;                    /* next line to format */
    char pending[CAPTURE_LINE_MAX]; /* a formatted line not yet fully copied out */
    size_t pending_len;
    size_t pending_pos;
} capture_csv;

/* The upload of one capture (the client is the caller's). */
typedef struct capture_job {
    capture_csv csv;
    fc_upload up; /* parameters, progress and results */
} capture_job;

/* Bytes of the CSV text for these samples (the declared upload size). */
uint64_t capture_csv_size(const int32_t *samples, size_t count);

/* A capture for boards without a temperature sensor (mps2/an385 in QEMU):
 * sample i is 21000 + (i * 37) % 1000 milli-degrees. test/zephyr computes
 * the same to check the stored bytes. */
void capture_synthetic(int32_t *samples, size_t count);

/* Start the upload of samples[0..count) as `name` through client:
 * FC_AGAIN when started; drive it with fc_poll() (or fc_run()). */
fc_err capture_upload_start(capture_job *job, fc_client *client, const int32_t *samples,
                            size_t count, const char *name);

#endif /* CAPTURE_UPLOAD_H */
