/* SPDX-License-Identifier: MIT */
/*
 * lwip_test_body.h - what the lwIP host test does over a transport. Kept
 * apart from the stack set-up (lwip_host.c) so the body can grow into the
 * full upload flow: it only sees an fc_transport and the clock.
 * lwip_upload.c is that flow, on its own transports.
 */
#ifndef LWIP_TEST_BODY_H
#define LWIP_TEST_BODY_H

#include <stdint.h>

#include "fluidcloud/fc_port.h"

typedef struct lwip_test_target {
    const char *host; /* an address inside the test's namespace */
    uint16_t port;
    int use_tls; /* 1 when t is the mbedTLS decorator */
} lwip_test_target;

/* Runs the checks; returns 0 on success, prints what failed otherwise. */
int lwip_test_body(const fc_transport *t, const fc_system *sys, const lwip_test_target *target);

/* The local emulator, as its start-up line describes it (every address
 * inside the test's namespace). */
typedef struct lwip_emu {
    const char *api_base;   /* https://10.201.0.1:PORT/api/v1 */
    const char *raw_base;   /* https://10.201.0.1:PORT: public links */
    const char *admin_base; /* http://127.0.0.1:PORT (the namespace's lo) */
    const char *api_key;
    const char *ca_file;
} lwip_emu;

/* The full upload flow over TLS through lwIP (lwip_upload.c): single and
 * multipart uploads, clean scan, public link fetched back, stored bytes
 * and key leaks checked through the admin API. 0 = passed. */
int lwip_upload_flow(const fc_system *sys, const lwip_emu *emu);

#endif /* LWIP_TEST_BODY_H */
