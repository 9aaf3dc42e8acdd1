/* SPDX-License-Identifier: MIT */
/*
 * mcu_flow.h - the upload flow the MCU test runs: the same code, the same
 * inputs, on the host (recording against the emulator, mcu_record.c) and
 * on the Cortex-M (replaying that recording, mcu_firmware.c), so the two
 * must send the same bytes.
 */
#ifndef MCU_FLOW_H
#define MCU_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_upload.h"
#include "fc_test_pattern.h"

#define MCU_CONNECTIONS  2    /* API host and storage host */
#define MCU_IO_SIZE      2048 /* the smallest I/O buffer the library supports */
#define MCU_TOKENS       64
#define MCU_UPLOAD_SIZE  20000u /* > 9 I/O buffers of body */
#define MCU_UPLOAD_SEED  13u
#define MCU_UPLOAD_PIECE 512u /* a camera's DMA chunk */

/* The frame: in RAM, as a camera's frame buffer is, handed out in
 * MCU_UPLOAD_PIECE pieces; so a phase's instructions are the library's,
 * plus memcpy, not a generator's. */
typedef struct mcu_frame {
    uint8_t data[MCU_UPLOAD_SIZE];
    size_t pos;
} mcu_frame;

typedef struct mcu_flow {
    fc_client client;
    uint8_t io[MCU_IO_SIZE];
    fc_json_tok tokens[MCU_TOKENS];
    fc_upload up;
    mcu_frame frame;
} mcu_flow;

/* Fill the frame with the test pattern (fc_test_pattern.h, seed
 * MCU_UPLOAD_SEED): the camera's capture, before the upload. */
void mcu_flow_prepare(mcu_flow *f);

/* Start the upload of the frame (FC_AGAIN when started); drive it with
 * fc_poll(). */
fc_err mcu_flow_start(mcu_flow *f, const char *base_url, const char *api_key,
                      fc_transport *transports, fc_system sys);

#endif /* MCU_FLOW_H */
