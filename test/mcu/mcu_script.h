/* SPDX-License-Identifier: MIT */
/*
 * mcu_script.h - a recorded conversation with the emulator, and a transport
 * that replays it.
 *
 * The recorder (mcu_record.c, on the host) runs the upload flow against the
 * emulator and writes every request the client sent and every response it
 * got, per exchange, into a script file:
 *
 *     FCMCU 1\n
 *     base <base URL>\n
 *     key <API key>\n
 *     link <the share link the flow got>\n
 *     x <host> <port> <closed> <request bytes> <response bytes>\n<request><response>\n
 *     ...
 *     end\n
 *
 * (closed = 1: the server closed the connection after that response.)
 * The firmware (mcu_firmware.c) loads the file and runs the same flow with
 * the replay transport below: each request the client sends must equal the
 * recorded one byte for byte and go to the same host and port; only then is
 * the recorded answer given. So a Cortex-M build that formats one header
 * differently from the host build, or sends to the wrong host, fails.
 *
 * No allocation, no stdio: this file is built into the firmware.
 */
#ifndef MCU_SCRIPT_H
#define MCU_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_port.h"

#define MCU_MAX_EXCHANGES 24
#define MCU_HOST_MAX      64
#define MCU_TEXT_MAX      192

typedef struct mcu_exchange {
    char host[MCU_HOST_MAX];
    uint16_t port;
    uint8_t closed; /* the server closed after this response */
    const uint8_t *req;
    size_t req_len;
    const uint8_t *resp;
    size_t resp_len;
} mcu_exchange;

typedef struct mcu_script {
    char base_url[MCU_TEXT_MAX];
    char api_key[MCU_TEXT_MAX];
    char link[MCU_TEXT_MAX];
    mcu_exchange ex[MCU_MAX_EXCHANGES];
    unsigned count;
} mcu_script;

/* Parse a script file held in buf[0..len) (kept: the exchanges point into
 * it). 0 on success, else -1 with a reason in why (cap bytes). */
int mcu_script_parse(mcu_script *s, const uint8_t *buf, size_t len, char *why, size_t cap);

/* ---- replay -------------------------------------------------------------- */

typedef struct mcu_replay {
    const mcu_script *script;
    unsigned cur;        /* exchange in progress or next */
    uint8_t answering;   /* cur's request is complete: its answer is due */
    size_t req_got;      /* bytes of cur's request received */
    size_t resp_sent;    /* bytes of cur's answer delivered */
    uint8_t would_block; /* FC_AGAIN once before every step (see below) */
    unsigned blocks;     /* would-blocks given */
    unsigned connects;
    char failure[MCU_TEXT_MAX]; /* first mismatch, "" while none */
    /* Optional: called (from inside send) when the first byte of the
     * request after exchange `index` arrives: exchange `index` - its
     * request, its answer and the decoding of that answer - is over. */
    void (*on_exchange_end)(void *ctx, unsigned index);
    void *hook_ctx;
} mcu_replay;

typedef struct mcu_replay_conn {
    mcu_replay *replay;
    char host[MCU_HOST_MAX];
    uint16_t port;
    uint8_t connected;
    uint8_t peer_closed; /* its last answer ended with the server closing */
    uint8_t blocked;     /* the would-block of the next step was given */
    unsigned wait;
} mcu_replay_conn;

/* With would_block set, connect_poll, every send and every recv first
 * answer FC_AGAIN once (the transport a slow network gives). */
void mcu_replay_init(mcu_replay *r, const mcu_script *s, int would_block);
void mcu_replay_conn_init(mcu_replay_conn *c, mcu_replay *r, fc_transport *t);

/* 1 when every recorded exchange was replayed in full and nothing failed. */
int mcu_replay_done(const mcu_replay *r);

/* ---- what every request of the flow must look like ------------------------ */

/* Checks one exchange of the upload flow, recorded or replayed: its request
 * line names an expected endpoint, the API key goes to the API host only,
 * and it went to the API host or (PUT) to the storage host. Returns 0, or -1
 * with the reason in why. index: position in the flow. */
int mcu_check_exchange(const mcu_script *s, unsigned index, char *why, size_t cap);

/* The request line of exchange i ("POST /api/v1/uploads/initiate"), cut to
 * fit cap, for reports. */
void mcu_request_line(const mcu_exchange *x, char *out, size_t cap);

#endif /* MCU_SCRIPT_H */
