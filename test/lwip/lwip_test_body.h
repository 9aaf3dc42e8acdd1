/*
 * lwip_test_body.h - what the lwIP host test does over a transport. Kept
 * apart from the stack set-up (lwip_host.c) so the body can grow into the
 * full upload flow: it only sees an fc_transport and the clock.
 */
#ifndef LWIP_TEST_BODY_H
#define LWIP_TEST_BODY_H

#include <stdint.h>

#include "fluidcloud/fc_port.h"

typedef struct lwip_test_target {
    const char *host;   /* an address inside the test's namespace */
    uint16_t port;
    int use_tls;        /* 1 when t is the mbedTLS decorator */
} lwip_test_target;

/* Runs the checks; returns 0 on success, prints what failed otherwise. */
int lwip_test_body(const fc_transport *t, const fc_system *sys, const lwip_test_target *target);

#endif /* LWIP_TEST_BODY_H */
