/* SPDX-License-Identifier: MIT */
/* upload_file FILE: upload FILE and print its public link (FLUIDCLOUD_* env). */
#include <stdio.h>
#include "fluidcloud/fc_host.h"

int main(int argc, char **argv)
{
    static uint8_t io[4096];
    static fc_host host;
    static fc_upload up = {.params = {.share = FC_SHARE_PUBLIC}};
    fc_err e = argc == 2 ? fc_host_init_env(&host, io, sizeof io) : FC_ERR_INVALID_ARG;
    if (e == FC_OK) {
        e = fc_host_upload_file(&host, &up, argv[1]);
    }
    if (e != FC_OK) {
        fc_host_print_error(&host, "upload", e);
        return 1;
    }
    printf("%s\n", up.link);
    fc_host_free(&host);
    return 0;
}
