/* SPDX-License-Identifier: MIT */
/*
 * cli_main.c - fluidcloud: the FluidCloud Partner API from a shell.
 *
 *     fluidcloud <command> [subcommand] [arguments] [options]
 *
 * Parse the command line, resolve the settings, set up the client, run the
 * command, and exit with the documented code of the outcome (cli.h).
 */
#include "cli.h"

#include <string.h>

static cli g_cli;

int main(int argc, char **argv)
{
    cli *x = &g_cli;
    int r = cli_parse(x, argc - 1, argv + 1);
    if (r != 0 || x->cmd == NULL) {
        return r;
    }
    cli_progress_init(x);
    if (x->cmd->offline && strcmp(x->cmd->group, "config") != 0) {
        return x->cmd->run(x);
    }
    r = cli_settings_load(x);
    if (r != 0) {
        return r;
    }
    if (x->cmd->offline) {
        return x->cmd->run(x);
    }
    cli_signals_install();
    r = cli_client_up(x);
    if (r != 0) {
        return r;
    }
    r = x->cmd->run(x);
    cli_progress_done();
    cli_print_stats(x);
    cli_client_down(x);
    if (fflush(stdout) != 0 && r == 0) {
        cli_errmsg("cannot write the output");
        r = CLI_EXIT_FAILED;
    }
    return r;
}
