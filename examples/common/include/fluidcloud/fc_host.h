/* SPDX-License-Identifier: MIT */
/*
 * fc_host.h - a ready client for host programs (examples, CLI, tests):
 * POSIX sockets under mbedTLS, two keep-alive connections (API and
 * storage), the POSIX clock, all in one struct the program owns.
 *
 * The smallest upload (test/consumer/upload_file.c is this program):
 *
 *     static uint8_t io[4096];
 *     static fc_host host;
 *     static fc_upload up;
 *     fc_err e = fc_host_init_env(&host, io, sizeof io);  // FLUIDCLOUD_* env
 *     up.params.share = FC_SHARE_PUBLIC;                  // a permanent link
 *     if (e == FC_OK)
 *         e = fc_host_upload_file(&host, &up, path);
 *     if (e == FC_OK) puts(up.link);
 *     else fc_host_print_error(&host, "upload", e);
 *
 * Firmware does not use this: it builds its client from its own port
 * (see docs/porting.md and the ESP-IDF and Zephyr examples).
 */
#ifndef FLUIDCLOUD_FC_HOST_H
#define FLUIDCLOUD_FC_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_posix.h"
#include "fluidcloud/fc_upload.h"

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
 * io is the client's I/O buffer. FC_ERR_ABI, and a line on stderr naming
 * what differs, when the program was compiled with other FC_CONFIG_*
 * values or headers than the library (the ABI guard of fc_client.h; fc_host
 * is checked before it is touched). Macros: they pass the program's view
 * of the layouts along. */
#define fc_host_init(h, base_url, api_key, ca_file, io, io_size)                            \
    fc_host_init_abi((h), (base_url), (api_key), (ca_file), (io), (io_size), fc_abi_here(), \
                     sizeof(fc_host))

/* The same from FLUIDCLOUD_BASE_URL (default: the production API),
 * FLUIDCLOUD_API_KEY (required) and FLUIDCLOUD_CA_FILE. */
#define fc_host_init_env(h, io, io_size) \
    fc_host_init_env_abi((h), (io), (io_size), fc_abi_here(), sizeof(fc_host))

/* What the macros call. */
fc_err fc_host_init_abi(fc_host *h, const char *base_url, const char *api_key, const char *ca_file,
                        uint8_t *io, size_t io_size, const fc_abi *app, size_t host_size);
fc_err fc_host_init_env_abi(fc_host *h, uint8_t *io, size_t io_size, const fc_abi *app,
                            size_t host_size);

/* Run the started operation to its end, sleeping in poll(). */
fc_err fc_host_run(fc_host *h);

/* A stdio file as an upload source: read, and seek (so a failed part is
 * sent again). Sets *size to the file's length and puts the file at its
 * start. FC_ERR_SOURCE when f cannot be measured (a pipe: spool it to a
 * tmpfile() first). f stays the caller's. */
fc_err fc_host_file_source(FILE *f, fc_source *src, uint64_t *size);

/* Upload the file at path and run the flow to its end: fills
 * up->params.source and size, and name (the path's last part) when NULL;
 * every other parameter (share, content_type, space...) is the caller's.
 * The results are up->link, up->scan and up->progress.file_id (the full
 * records where up->params.file_out / share_out point). A file above the
 * service's multipart threshold needs up->params.etags (fc_upload.h).
 * FC_ERR_SOURCE when the file cannot be opened or measured. */
fc_err fc_host_upload_file(fc_host *h, fc_upload *up, const char *path);

/* Print the last error of the client to stderr, with its details. */
void fc_host_print_error(const fc_host *h, const char *what, fc_err e);

void fc_host_free(fc_host *h);

#endif
