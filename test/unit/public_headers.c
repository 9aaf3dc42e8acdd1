/* SPDX-License-Identifier: MIT */
/*
 * public_headers.c - an application's view of the library: built with only
 * core/include and the ports' include directories, after test/unit/poison
 * (whose llhttp.h and jsmn.h are #errors), and after Zephyr's `_current`
 * macro (kernel.h defines it; llhttp_t had a member of that name). It
 * compiles, links against the libraries and runs, or a public header
 * needs what applications do not have.
 *
 * With FC_CORE_HEADERS_ONLY it is also compiled freestanding (-nostdinc,
 * the compiler's own headers only): core's public headers need nothing
 * but <stddef.h> and <stdint.h>.
 */
#define _current _kernel.cpus[0].current

#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_config.h"
#include "fluidcloud/fc_contract.h"
#include "fluidcloud/fc_download.h"
#include "fluidcloud/fc_error.h"
#include "fluidcloud/fc_json.h"
#include "fluidcloud/fc_port.h"
#include "fluidcloud/fc_sha256.h"
#include "fluidcloud/fc_upload.h"
#include "fluidcloud/fc_url.h"

#ifndef FC_CORE_HEADERS_ONLY
#ifdef FC_TEST_PORT_POSIX
#include "fluidcloud/fc_posix.h"
#endif
#ifdef FC_TEST_PORT_MBEDTLS
#include "fluidcloud/fc_mbedtls.h"
#endif

static fc_client g_client;
static fc_upload g_upload;
static fc_download g_download;

int main(void)
{
    fc_client_config cfg;
    fc_json_tok toks[8];
    fc_json_doc doc;
    fc_client_config_defaults(&cfg);
    /* No transports or buffers: refused, and nothing else touched. */
    if (fc_client_init(&g_client, &cfg) != FC_ERR_INVALID_ARG) {
        return 1;
    }
    if (fc_json_parse(&doc, "{\"a\":1}", 7, toks, 8, NULL) != FC_OK ||
        fc_json_find(&doc, 0, "a") != 2) {
        return 1;
    }
    g_upload.params.source.seek = NULL;
    g_download.url = NULL;
    return fc_download_start(&g_client, &g_download) == FC_ERR_INVALID_ARG ? 0 : 1;
}
#else
typedef int fc_public_headers_freestanding; /* a translation unit is not empty */
#endif
