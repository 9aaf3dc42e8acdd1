/*
 * fc_host.h - a ready client for host programs (examples, CLI, tests):
 * POSIX sockets under mbedTLS, two keep-alive connections (API and
 * storage), the POSIX clock, all in one struct the program owns.
 */
#ifndef FC_HOST_H
#define FC_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_posix.h"

#define FC_HOST_CONNECTIONS 2

typedef struct fc_host {
    fc_mbedtls_config tls;
    fc_posix_conn tcp[FC_HOST_CONNECTIONS];
    fc_mbedtls_conn secure[FC_HOST_CONNECTIONS];
    fc_transport tcp_t[FC_HOST_CONNECTIONS];
    fc_transport secure_t[FC_HOST_CONNECTIONS];
    fc_json_tok tokens[FC_CONFIG_JSON_TOKENS];
    fc_client client;
} fc_host;

/* base_url and key are kept by pointer. ca_file NULL = the system bundle.
 * io is the client's I/O buffer. */
fc_err fc_host_init(fc_host *h, const char *base_url, const char *api_key,
                    const char *ca_file, uint8_t *io, size_t io_size);

/* The same from FLUIDCLOUD_BASE_URL (default: the production API),
 * FLUIDCLOUD_API_KEY (required) and FLUIDCLOUD_CA_FILE. */
fc_err fc_host_init_env(fc_host *h, uint8_t *io, size_t io_size);

/* Run the started operation to its end, sleeping in poll(). */
fc_err fc_host_run(fc_host *h);

/* Print the last error of the client to stderr, with its details. */
void fc_host_print_error(const fc_host *h, const char *what, fc_err e);

void fc_host_free(fc_host *h);

#endif
