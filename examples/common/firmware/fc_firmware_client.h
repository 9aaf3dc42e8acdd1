/* SPDX-License-Identifier: MIT */
/*
 * fc_firmware_client.h - the client set-up the firmware examples share
 * (examples/esp32_camera, examples/zephyr_upload): TLS (port/mbedtls) over
 * BSD sockets (port/posix) for each keep-alive slot, one TLS configuration
 * that trusts a CA certificate held in memory, the I/O buffer and the JSON
 * tokens - all in one struct the firmware places where it wants (static,
 * not on a task's stack: it holds the I/O buffer).
 *
 * SDK-independent: ESP-IDF (lwIP sockets) and Zephyr (CONFIG_POSIX_API)
 * both provide the BSD sockets port/posix needs. CI compiles this file for
 * Cortex-M4 and, with an ESP-IDF tree, against ESP-IDF's headers.
 */
#ifndef FC_FIRMWARE_CLIENT_H
#define FC_FIRMWARE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_posix.h"

typedef struct fc_firmware_client {
    fc_client client; /* give &client to the API calls */
    fc_mbedtls_config tls;
    fc_posix_conn tcp[FC_CONFIG_MAX_CONNECTIONS];
    fc_mbedtls_conn secure[FC_CONFIG_MAX_CONNECTIONS];
    fc_transport tcp_t[FC_CONFIG_MAX_CONNECTIONS];
    fc_transport secure_t[FC_CONFIG_MAX_CONNECTIONS];
    uint8_t io[FC_CONFIG_IO_BUFFER_SIZE];
    fc_json_tok tokens[FC_CONFIG_JSON_TOKENS];
} fc_firmware_client;

/*
 * Ready the client for base_url with api_key (both kept by pointer), the
 * server verified against ca (PEM including its terminating NUL, which
 * mbedTLS needs, or DER), FC_CONFIG_MAX_CONNECTIONS keep-alive slots.
 * log, when not NULL, receives the library's messages (FC_CONFIG_LOG_LEVEL
 * > 0 only). FC_OK, FC_ERR_TLS when the CA does not parse or the DRBG
 * cannot be seeded, or fc_client_init()'s error.
 */
fc_err fc_firmware_client_init(fc_firmware_client *fw, const char *base_url, const char *api_key,
                               const uint8_t *ca, size_t ca_len,
                               void (*log)(void *ctx, int level, const char *msg), void *log_ctx);

/* Drive an operation to its end: started is what the call that began it
 * returned (FC_AGAIN: running). Sleeps in poll() between steps; returns
 * the operation's result. */
fc_err fc_firmware_client_run(fc_firmware_client *fw, fc_err started);

/* Close the connections and free the TLS state. */
void fc_firmware_client_free(fc_firmware_client *fw);

#endif /* FC_FIRMWARE_CLIENT_H */
