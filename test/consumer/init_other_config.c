/* SPDX-License-Identifier: MIT */
/*
 * init_other_config.c - a program that includes the installed headers but
 * sets FC_CONFIG_* values of its own (test_consumers.py compiles it with
 * other values than the library's): fc_client_init() must refuse it with
 * FC_ERR_ABI and say why in the program's own error info. Prints
 * "<error text>|<step>|<needed>|<detail>".
 */
#include <stdio.h>
#include "fluidcloud/fc_client.h"

int main(void)
{
    static fc_client client;
    fc_client_config cfg;
    const fc_error_info *ei = fc_client_error(&client);
    fc_err e;
    fc_client_config_defaults(&cfg); /* nothing else: the guard comes first */
    e = fc_client_init(&client, &cfg);
    printf("%s|%s|%lu|%s\n", fc_err_str(e), ei->step, (unsigned long)ei->needed, ei->detail);
    return e == FC_ERR_ABI ? 0 : 1;
}
