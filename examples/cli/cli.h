/*
 * cli.h - shared declarations of the fluidcloud command-line tool.
 *
 * The tool is a thin shell over the library: every command starts one
 * library call (fc_api.h) and runs it to its end with fc_host_run(). Each
 * command is one entry of the table in cli_commands.c.
 */
#ifndef FLUIDCLOUD_CLI_H
#define FLUIDCLOUD_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_host.h"
#include "fluidcloud/fc_api.h"

/* Exit codes: 0 success, 1 the call failed, 2 bad usage. */
#define CLI_FAILED 1
#define CLI_USAGE 2

#define CLI_MAX_ARGS 8
#define CLI_TOKENS 8192
#define CLI_IO_SIZE (128u * 1024u)

/* Options any command may take; NULL / 0 when not given. */
typedef struct cli_opts {
    const char *space, *parent, *folder, *file, *app, *name, *client_key;
    const char *permission, *cursor;
    const char *content_type, *output;
    long days;          /* -1 = permanent */
    long limit;
    long expires;       /* upload --expires DAYS */
    int trashed, trash, page;
    int public_link, view;
} cli_opts;

typedef struct cli {
    int json;                   /* --json: one JSON document on stdout */
    const char *what;           /* "spaces get", for error messages */
    int argc;                   /* positional arguments of the command */
    char *argv[CLI_MAX_ARGS];
    cli_opts o;
    fc_host host;
    char space_buf[FC_ID_MAX];  /* the default space, when looked up */
} cli;

typedef struct cli_cmd {
    const char *group;          /* "spaces" */
    const char *name;           /* "list"; NULL for one-word commands */
    int nargs;                  /* positional arguments required */
    const char *usage;          /* arguments and options, for --help */
    int (*run)(cli *x);
} cli_cmd;

extern const cli_cmd cli_commands[];

/* ---- cli_main.c ---------------------------------------------------------- */
/* Run a started call to its end; print the error on failure. 0 or 1. */
int cli_finish(cli *x, fc_err e);
/* The --space option, or the default space "My files" (looked up). */
const char *cli_space(cli *x);

/* ---- cli_transfer.c: upload and download ---------------------------------- */
int cli_upload(cli *x);
int cli_download(cli *x);

/* ---- cli_print.c ---------------------------------------------------------- */
enum { CLI_T_STR, CLI_T_NSTR, CLI_T_I64, CLI_T_TIME, CLI_T_SCAN, CLI_T_STATUS, CLI_T_SCOPES };

typedef struct cli_field {
    const char *name;
    uint8_t kind;               /* CLI_T_* */
    uint8_t in_line;            /* shown in list lines (human output) */
    size_t off;
} cli_field;

extern const cli_field cli_me_fields[], cli_space_fields[], cli_folder_fields[],
    cli_file_fields[], cli_share_fields[], cli_stats_fields[], cli_signed_fields[];

/* One object: JSON, or "name: value" lines. */
void cli_print_obj(const cli *x, const cli_field *f, const void *obj);
void cli_print_quota(const cli *x, const fc_quota *q);
/* An uploaded file, with its link: the file object plus "public_url"
 * (permanent) or "url" (expiring) in JSON. */
void cli_print_upload(const cli *x, const fc_file *file, const char *link_name,
                      const char *link);
/* A plain "ok" (human) or {"ok": true} (JSON) for calls without result. */
void cli_print_ok(const cli *x, const char *what);

/* Streams a list: begin, one item per call, end. */
typedef struct cli_list {
    cli *x;
    const cli_field *fields;
    size_t count;
} cli_list;
void cli_list_begin(cli_list *l, cli *x, const cli_field *f);
fc_err cli_list_item(void *ctx, const void *item);
void cli_list_end(cli_list *l, const char *next_cursor);

/* The failure, to stderr (and as JSON on stdout with --json). */
void cli_print_error(const cli *x, fc_err e);

#endif
