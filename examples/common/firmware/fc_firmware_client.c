/* SPDX-License-Identifier: MIT */
/* fc_firmware_client.c - see fc_firmware_client.h. */
#include "fc_firmware_client.h"

#include <string.h>

static void free_tls(fc_firmware_client *fw)
{
    int i;
    for (i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        fc_mbedtls_conn_free(&fw->secure[i]);
    }
    fc_mbedtls_config_free(&fw->tls);
}

fc_err fc_firmware_client_init(fc_firmware_client *fw, const char *base_url, const char *api_key,
                               const uint8_t *ca, size_t ca_len,
                               void (*log)(void *ctx, int level, const char *msg), void *log_ctx)
{
    fc_client_config cfg;
    fc_err r;
    int i;
    memset(fw, 0, sizeof *fw);
    r = fc_mbedtls_config_init(&fw->tls);
    if (r == FC_OK) {
        r = fc_mbedtls_config_add_ca(&fw->tls, ca, ca_len);
    }
    if (r != FC_OK) {
        fc_mbedtls_config_free(&fw->tls);
        return r;
    }
    for (i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        fc_posix_transport_init(&fw->tcp[i], &fw->tcp_t[i]);
        fc_mbedtls_conn_init(&fw->secure[i], &fw->tls, &fw->tcp_t[i], &fw->secure_t[i]);
    }
    fc_client_config_defaults(&cfg);
    cfg.base_url = base_url;
    cfg.api_key = api_key;
    cfg.transports = fw->secure_t;
    cfg.transport_count = FC_CONFIG_MAX_CONNECTIONS;
    cfg.system = fc_posix_system();
    cfg.io_buf = fw->io;
    cfg.io_buf_size = sizeof fw->io;
    cfg.tokens = fw->tokens;
    cfg.token_count = FC_CONFIG_JSON_TOKENS;
    cfg.log = log;
    cfg.log_ctx = log_ctx;
    r = fc_client_init(&fw->client, &cfg);
    if (r != FC_OK) {
        free_tls(fw);
    }
    return r;
}

fc_err fc_firmware_client_run(fc_firmware_client *fw, fc_err started)
{
    return started == FC_AGAIN ? fc_run(&fw->client, fc_posix_wait_fn, NULL) : started;
}

void fc_firmware_client_free(fc_firmware_client *fw)
{
    fc_client_close(&fw->client);
    free_tls(fw);
}
