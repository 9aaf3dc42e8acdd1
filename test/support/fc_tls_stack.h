/* SPDX-License-Identifier: MIT */
/*
 * fc_tls_stack.h - port/mbedtls over port/posix as an application sets it
 * up, driven non-blocking with fc_posix_wait(), for the TLS integration
 * tests (no HTTP engine: hand-written requests). cmocka assertions fail
 * the calling test on a stuck or broken step.
 */
#ifndef FC_TLS_STACK_H
#define FC_TLS_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_posix.h"

/* Every step must finish within this (the emulator is local). */
#define FC_TLS_STEP_TIMEOUT_MS 10000u

typedef struct fc_tls_endpoint {
    char host[FC_CONFIG_HOST_MAX + 1];
    uint16_t port;
    char path[128];
} fc_tls_endpoint;

/* One TLS-over-TCP stack. */
typedef struct fc_tls_stack {
    fc_posix_conn tcp;
    fc_transport inner;
    fc_mbedtls_conn tls;
    fc_transport t;
} fc_tls_stack;

/* An environment variable that must be set (exit 2 when not). */
const char *fc_tls_need_env(const char *name);
/* "scheme://host:port/path" -> e; enough for the emulator's URLs. */
void fc_tls_parse_url(const char *url, fc_tls_endpoint *e);
/* A config trusting the CA file named by the environment variable. */
void fc_tls_load_config(fc_mbedtls_config *cfg, const char *ca_env);

uint32_t fc_tls_now_ms(void);
/* Sleep until t can make progress (what it said it waits for). */
void fc_tls_wait_for(const fc_transport *t);

void fc_tls_stack_init(fc_tls_stack *s, fc_mbedtls_config *cfg);
/* connect -> connect_poll -> handshake, non-blocking. */
fc_err fc_tls_stack_open(fc_tls_stack *s, const char *host, uint16_t port, int use_tls);
/* Send all of data, retrying with the same buffer after FC_AGAIN. */
void fc_tls_send_all(fc_tls_stack *s, const char *data);
/* Read until want bytes arrived or EOF; returns the count (buf NUL-ended). */
size_t fc_tls_recv_some(fc_tls_stack *s, char *buf, size_t cap, size_t want);
/* GET <api path>/me with key on an open stack; fails the test unless the
 * answer starts with "HTTP/1.1 200". */
void fc_tls_expect_me_ok(fc_tls_stack *s, const fc_tls_endpoint *e, const char *api_path,
                         const char *api_key);

#endif
