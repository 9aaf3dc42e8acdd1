/*
 * cli_main.c - fluidcloud: every FluidCloud Partner API call from a shell.
 *
 *     fluidcloud [--json] <command> [subcommand] [arguments] [options]
 *
 * Reads FLUIDCLOUD_BASE_URL (default: the production API),
 * FLUIDCLOUD_API_KEY and FLUIDCLOUD_CA_FILE (default: the system bundle).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t g_io[CLI_IO_SIZE];
static fc_json_tok g_tokens[CLI_TOKENS];
static cli g_cli;

static void usage(FILE *out)
{
    const cli_cmd *c;
    fputs("usage: fluidcloud [--json] <command> [arguments] [options]\n\n"
          "commands:\n", out);
    for (c = cli_commands; c->group != NULL; c++) {
        char head[40];
        snprintf(head, sizeof head, "%s%s%s", c->group, c->name ? " " : "",
                 c->name ? c->name : "");
        fprintf(out, "  %-22s %s\n", head, c->usage);
    }
    fputs("\noptions:\n"
          "  --json          print one JSON document (before the command)\n"
          "  --space ID      --parent ID  --folder ID  --file ID\n"
          "  --limit N       page size; --cursor C starts at a page, --page\n"
          "                  fetches one page only (default: every page)\n"
          "  --trashed       list the trash\n"
          "  --days N        share expiry in days (default: permanent)\n"
          "  --permission P  view | download\n"
          "  --app A  --name N  --client-key K  --content-type T\n"
          "  --public        upload: mint a permanent link once clean\n"
          "  --expires DAYS  upload: an expiring link instead (--view: inline)\n"
          "  -o FILE         download: where to write (- for stdout)\n"
          "\nenvironment: FLUIDCLOUD_BASE_URL (default "
          "https://api-cloud.fluidvip.com/api/v1),\n"
          "  FLUIDCLOUD_API_KEY, FLUIDCLOUD_CA_FILE (default "
          "/etc/ssl/certs/ca-certificates.crt)\n", out);
}

/* Options with a value: name and where it goes. */
typedef struct cli_opt {
    const char *name;
    size_t off;        /* into cli_opts */
    uint8_t kind;      /* 0 string, 1 number, 2 flag */
} cli_opt;

#define OPT(name, member, kind) {name, offsetof(cli_opts, member), kind}
static const cli_opt k_opts[] = {
    OPT("--space", space, 0), OPT("--parent", parent, 0), OPT("--folder", folder, 0),
    OPT("--file", file, 0), OPT("--app", app, 0), OPT("--name", name, 0),
    OPT("--client-key", client_key, 0), OPT("--permission", permission, 0),
    OPT("--cursor", cursor, 0), OPT("--days", days, 1), OPT("--limit", limit, 1),
    OPT("--trashed", trashed, 2), OPT("--trash", trash, 2), OPT("--page", page, 2),
    OPT("--content-type", content_type, 0), OPT("--public", public_link, 2),
    OPT("--expires", expires, 1), OPT("--view", view, 2), OPT("-o", output, 0),
    OPT("--output", output, 0),
    {NULL, 0, 0}
};

static int set_opt(cli *x, const cli_opt *o, const char *value)
{
    char *at = (char *)&x->o + o->off;
    char *end = NULL;
    if (o->kind == 2) {
        *(int *)(void *)at = 1;
        return 0;
    }
    if (value == NULL) {
        fprintf(stderr, "fluidcloud: %s needs a value\n", o->name);
        return CLI_USAGE;
    }
    if (o->kind == 0) {
        *(const char **)(void *)at = value;
        return 0;
    }
    *(long *)(void *)at = strtol(value, &end, 10);
    if (*value == '\0' || *end != '\0') {
        fprintf(stderr, "fluidcloud: %s wants a number, not '%s'\n", o->name, value);
        return CLI_USAGE;
    }
    return 0;
}

/* Split argv into options and positional arguments. */
static int parse_args(cli *x, int argc, char **argv)
{
    int i;
    for (i = 0; i < argc; i++) {
        const cli_opt *o;
        int is_opt = (strncmp(argv[i], "--", 2) == 0 && argv[i][2] != '\0') ||
                     strcmp(argv[i], "-o") == 0;
        if (!is_opt) {
            if (x->argc == CLI_MAX_ARGS) {
                fprintf(stderr, "fluidcloud: too many arguments\n");
                return CLI_USAGE;
            }
            x->argv[x->argc++] = argv[i];
            continue;
        }
        for (o = k_opts; o->name != NULL && strcmp(o->name, argv[i]) != 0; o++) {
        }
        if (o->name == NULL) {
            fprintf(stderr, "fluidcloud: unknown option %s\n", argv[i]);
            return CLI_USAGE;
        }
        if (set_opt(x, o, o->kind == 2 ? NULL : (i + 1 < argc ? argv[i + 1] : NULL))) {
            return CLI_USAGE;
        }
        i += o->kind == 2 ? 0 : 1;
    }
    return 0;
}

static const cli_cmd *find_command(const char *group, const char *name, int *group_known)
{
    const cli_cmd *c;
    *group_known = 0;
    for (c = cli_commands; c->group != NULL; c++) {
        if (strcmp(c->group, group) != 0) {
            continue;
        }
        *group_known = 1;
        if (c->name == NULL || (name != NULL && strcmp(c->name, name) == 0)) {
            return c;
        }
    }
    return NULL;
}

int cli_finish(cli *x, fc_err e)
{
    if (e == FC_AGAIN) {
        e = fc_host_run(&x->host);
    }
    if (e != FC_OK) {
        cli_print_error(x, e);
        return CLI_FAILED;
    }
    return 0;
}

const char *cli_space(cli *x)
{
    fc_space first;
    fc_list_params p;
    fc_page page;
    const char *what = x->what;
    if (x->o.space != NULL) {
        return x->o.space;
    }
    /* Spaces list oldest first: the first is the default "My files". */
    memset(&p, 0, sizeof p);
    p.limit = 1;
    x->what = "default space lookup";
    if (cli_finish(x, fc_spaces_list(&x->host.client, &p, &first, 1, &page)) != 0) {
        return NULL;
    }
    x->what = what;
    if (page.count == 0) {
        fprintf(stderr, "fluidcloud: no space: pass --space\n");
        return NULL;
    }
    memcpy(x->space_buf, first.id, sizeof x->space_buf);
    return x->space_buf;
}

static int init_client(cli *x)
{
    fc_err e = fc_host_init_env(&x->host, g_io, sizeof g_io);
    if (e != FC_OK) {
        fprintf(stderr, "fluidcloud: cannot set up the client: %s\n", fc_err_str(e));
        return CLI_FAILED;
    }
    /* Larger pages than fc_host's default token array can hold. */
    x->host.client.cfg.tokens = g_tokens;
    x->host.client.cfg.token_count = CLI_TOKENS;
    return 0;
}

static int run(cli *x, int argc, char **argv)
{
    const cli_cmd *c;
    int known;
    static char what[48];
    if (argc < 1) {
        usage(stderr);
        return CLI_USAGE;
    }
    c = find_command(argv[0], argc > 1 ? argv[1] : NULL, &known);
    if (c == NULL) {
        fprintf(stderr, known ? "fluidcloud: %s: unknown or missing subcommand\n"
                              : "fluidcloud: unknown command %s\n", argv[0]);
        fprintf(stderr, "try: fluidcloud --help\n");
        return CLI_USAGE;
    }
    snprintf(what, sizeof what, "%s%s%s", c->group, c->name ? " " : "", c->name ? c->name : "");
    x->what = what;
    x->o.days = -1;
    if (parse_args(x, argc - (c->name ? 2 : 1), argv + (c->name ? 2 : 1)) != 0) {
        return CLI_USAGE;
    }
    if (x->argc < c->nargs) {
        fprintf(stderr, "usage: fluidcloud %s %s\n", what, c->usage);
        return CLI_USAGE;
    }
    if (init_client(x) != 0) {
        return CLI_FAILED;
    }
    known = c->run(x);
    fc_host_free(&x->host);
    return known;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            g_cli.json = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "fluidcloud: unknown option %s (global options go first: "
                            "--json, --help)\n", argv[i]);
            return CLI_USAGE;
        }
    }
    if (i < argc && strcmp(argv[i], "help") == 0) {
        usage(stdout);
        return 0;
    }
    return run(&g_cli, argc - i, argv + i);
}
