/* SPDX-License-Identifier: MIT */
/* fc_host.c - see fc_host.h. */
#define _POSIX_C_SOURCE 200809L /* fseeko, ftello */
#include "fluidcloud/fc_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FC_HOST_DEFAULT_BASE "https://api-cloud.fluidvip.com/api/v1"
#define FC_HOST_SYSTEM_CA    "/etc/ssl/certs/ca-certificates.crt"

/* The program's fc_host must be the library's before anything is written
 * into it (fc_host_init's memset alone would overrun a smaller one). */
static fc_err fc_host_same_layout(const fc_abi *app, size_t host_size)
{
    char why[96];
    if (fc_abi_check(app, why, sizeof why) == FC_OK) {
        if (host_size == sizeof(fc_host)) {
            return FC_OK;
        }
        (void)snprintf(why, sizeof why, "sizeof(fc_host): %zu here, %zu in the library", host_size,
                       sizeof(fc_host));
    }
    fprintf(stderr, "fc_host: this program was compiled with other settings than the library: %s\n",
            why);
    return FC_ERR_ABI;
}

fc_err fc_host_init_abi(fc_host *h, const char *base_url, const char *api_key, const char *ca_file,
                        uint8_t *io, size_t io_size, const fc_abi *app, size_t host_size)
{
    fc_client_config cfg;
    fc_err e = fc_host_same_layout(app, host_size);
    unsigned i;
    if (e != FC_OK) {
        return e;
    }
    memset(h, 0, sizeof *h);
    e = fc_mbedtls_config_init(&h->tls);
    if (e == FC_OK) {
        e = fc_mbedtls_config_add_ca_file(&h->tls, ca_file ? ca_file : FC_HOST_SYSTEM_CA);
    }
    if (e != FC_OK) {
        return e;
    }
    for (i = 0; i < FC_HOST_CONNECTIONS; i++) {
        fc_posix_transport_init(&h->tcp[i], &h->tcp_t[i]);
        fc_mbedtls_conn_init(&h->secure[i], &h->tls, &h->tcp_t[i], &h->secure_t[i]);
    }
    fc_client_config_defaults(&cfg);
    cfg.base_url = base_url;
    cfg.api_key = api_key;
    cfg.transports = h->secure_t;
    cfg.transport_count = FC_HOST_CONNECTIONS;
    cfg.system = fc_posix_system();
    cfg.io_buf = io;
    cfg.io_buf_size = io_size;
    cfg.tokens = h->tokens;
    cfg.token_count = FC_CONFIG_JSON_TOKENS;
    return fc_client_init(&h->client, &cfg);
}

fc_err fc_host_init_env_abi(fc_host *h, uint8_t *io, size_t io_size, const fc_abi *app,
                            size_t host_size)
{
    const char *base = getenv("FLUIDCLOUD_BASE_URL");
    const char *key = getenv("FLUIDCLOUD_API_KEY");
    if (key == NULL || key[0] == '\0') {
        fprintf(stderr, "FLUIDCLOUD_API_KEY is not set\n");
        return FC_ERR_INVALID_ARG;
    }
    return fc_host_init_abi(h, base && base[0] ? base : FC_HOST_DEFAULT_BASE, key,
                            getenv("FLUIDCLOUD_CA_FILE"), io, io_size, app, host_size);
}

fc_err fc_host_run(fc_host *h)
{
    return fc_run(&h->client, fc_posix_wait_fn, NULL);
}

static fc_err file_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    FILE *f = ctx;
    *got = fread(buf, 1, cap, f);
    return ferror(f) ? FC_ERR_SOURCE : FC_OK;
}

static fc_err file_seek(void *ctx, uint64_t offset)
{
    return fseeko((FILE *)ctx, (off_t)offset, SEEK_SET) == 0 ? FC_OK : FC_ERR_SOURCE;
}

fc_err fc_host_file_source(FILE *f, fc_source *src, uint64_t *size)
{
    off_t end;
    if (f == NULL || fseeko(f, 0, SEEK_END) != 0 || (end = ftello(f)) < 0 ||
        fseeko(f, 0, SEEK_SET) != 0) {
        return FC_ERR_SOURCE;
    }
    src->read = file_read;
    src->seek = file_seek;
    src->ctx = f;
    *size = (uint64_t)end;
    return FC_OK;
}

fc_err fc_host_upload_file(fc_host *h, fc_upload *up, const char *path)
{
    FILE *f = fopen(path, "rb");
    const char *slash = strrchr(path, '/');
    fc_err e = fc_host_file_source(f, &up->params.source, &up->params.size);
    if (up->params.name == NULL) {
        up->params.name = slash != NULL ? slash + 1 : path;
    }
    if (e == FC_OK) {
        e = fc_files_upload(&h->client, up);
    }
    if (e == FC_AGAIN) {
        e = fc_host_run(h);
    }
    if (f != NULL) {
        (void)fclose(f);
    }
    return e;
}

void fc_host_print_error(const fc_host *h, const char *what, fc_err e)
{
    const fc_error_info *ei = fc_client_error(&h->client);
    fprintf(stderr, "%s failed: %s", what, fc_err_str(e));
    if (ei->step[0] != '\0') {
        fprintf(stderr, " [step %s]", ei->step);
    }
    if (ei->http_status != 0) {
        fprintf(stderr, " (HTTP %d)", ei->http_status);
    }
    if (ei->code[0] != '\0') {
        fprintf(stderr, " %s", ei->code);
    }
    if (ei->missing[0] != '\0') {
        fprintf(stderr, " missing scopes: %s", ei->missing);
    }
    if (ei->detail[0] != '\0') {
        fprintf(stderr, ": %s%s", ei->detail, ei->detail_cut ? "..." : "");
    }
    if (e == FC_ERR_BUFFER_TOO_SMALL && ei->needed != 0) {
        fprintf(stderr, " (needs %zu bytes)", ei->needed);
    }
    fputc('\n', stderr);
}

void fc_host_free(fc_host *h)
{
    unsigned i;
    fc_client_close(&h->client);
    for (i = 0; i < FC_HOST_CONNECTIONS; i++) {
        fc_mbedtls_conn_free(&h->secure[i]);
    }
    fc_mbedtls_config_free(&h->tls);
}
