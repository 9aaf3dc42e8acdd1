/* SPDX-License-Identifier: MIT */
/*
 * cli.h - shared declarations of the fluidcloud command-line tool.
 *
 * The tool is a thin shell over the library: every command starts one
 * library call (fc_api.h, fc_upload.h) and runs it to its end in the loop
 * of cli_run.c. Two tables drive everything else: the options
 * (cli_options[] in cli_options.c) and the commands (cli_commands[] in
 * cli_commands.c). Help, the man page, the shell completions and the
 * dispatch all read those tables, so a command or option is added in
 * exactly one place.
 *
 * Files, by concern:
 *   cli_main.c      main(): parse, configure, dispatch
 *   cli_args.c      the command line: options anywhere, "did you mean"
 *   cli_options.c   the option table
 *   cli_help.c      --help, the man page, bash and zsh completions
 *   cli_config.c    base URL, key, CA file: flags > environment > config file
 *   cli_run.c       client set-up, the poll loop, signals, retry notices
 *   cli_session.c   the TLS session cache file (resumed handshakes)
 *   cli_error.c     exit codes and error messages (text and JSON)
 *   cli_progress.c  the progress line on a terminal, notices, log lines
 *   cli_text.c      pure helpers: sizes, masking, edit distance, names
 *   cli_print.c     results: aligned columns, objects, JSON
 *   cli_commands.c  the API commands and the command table
 *   cli_upload.c    upload, with --resume
 *   cli_download.c  download: temporary file, rename on success
 */
#ifndef FLUIDCLOUD_CLI_H
#define FLUIDCLOUD_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fluidcloud/fc_host.h"
#include "fluidcloud/fc_api.h"

/* ---- exit codes (documented in --help, the man page and the README) ---- */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1,       /* local I/O, integrity, anything else */
    CLI_EXIT_USAGE = 2,        /* bad command line or configuration */
    CLI_EXIT_AUTH = 3,         /* no key, or the key is invalid or revoked (401) */
    CLI_EXIT_PERMISSION = 4,   /* scope missing or feature not in plan (403) */
    CLI_EXIT_NOT_FOUND = 5,    /* 404 */
    CLI_EXIT_CONFLICT = 6,     /* not clean yet (409), scan failed or timed out */
    CLI_EXIT_QUOTA = 7,        /* quota (402) or size limit (413) */
    CLI_EXIT_RATE_LIMITED = 8, /* still 429 after the retries */
    CLI_EXIT_NETWORK = 9,      /* DNS, connect, reset, timeout, TLS */
    CLI_EXIT_SERVER = 10,      /* 5xx or an answer that cannot be read */
    CLI_EXIT_REJECTED = 11,    /* the server refused the request (400, 422) */
    CLI_EXIT_INTERRUPTED = 130 /* SIGINT or SIGTERM */
};

typedef struct cli_exit_info {
    int code;
    const char *name; /* "not_found": also the JSON error code class */
    const char *meaning;
} cli_exit_info;
extern const cli_exit_info cli_exit_table[];

/* ---- options --------------------------------------------------------- */

/* Ids of the options; a command lists the ones it takes as a bit mask. */
enum {
    CLI_O_SPACE,
    CLI_O_PARENT,
    CLI_O_FOLDER,
    CLI_O_FILE,
    CLI_O_APP,
    CLI_O_NAME,
    CLI_O_CLIENT_KEY,
    CLI_O_PERMISSION,
    CLI_O_DAYS,
    CLI_O_LIMIT,
    CLI_O_CURSOR,
    CLI_O_ALL,
    CLI_O_TRASHED,
    CLI_O_TRASH,
    CLI_O_CONTENT_TYPE,
    CLI_O_PUBLIC,
    CLI_O_EXPIRES,
    CLI_O_VIEW,
    CLI_O_OUTPUT,
    CLI_O_NO_WAIT,
    CLI_O_RESUME,
    CLI_O_YES,
    CLI_O_REVEAL,
    /* global: every command takes them */
    CLI_O_JSON,
    CLI_O_QUIET,
    CLI_O_VERBOSE,
    CLI_O_BYTES,
    CLI_O_STATS,
    CLI_O_BASE_URL,
    CLI_O_API_KEY,
    CLI_O_CA_FILE,
    CLI_O_HELP,
    CLI_O_VERSION,
    CLI_O__COUNT
};
#define CLI_O_FIRST_GLOBAL CLI_O_JSON
#define CLI_OPT(id)        (UINT64_C(1) << (id))

enum { CLI_V_FLAG, CLI_V_STR, CLI_V_NUM };    /* what an option takes */
enum { CLI_C_NONE, CLI_C_FILE, CLI_C_WORDS }; /* how to complete a value */

typedef struct cli_option {
    const char *name;  /* "--space" */
    char short_name;   /* 'o' for -o, or 0 */
    uint8_t kind;      /* CLI_V_* */
    uint8_t complete;  /* CLI_C_* for the value */
    const char *value; /* placeholder in help: "ID" */
    const char *words; /* CLI_C_WORDS: "view download" */
    const char *help;
    size_t off; /* into cli_opts */
} cli_option;
extern const cli_option cli_options[CLI_O__COUNT];

/* What the command line gave; NULL / 0 when absent. */
typedef struct cli_opts {
    const char *space, *parent, *folder, *file, *app, *name, *client_key;
    const char *permission, *cursor, *content_type, *output;
    const char *base_url, *api_key, *ca_file;
    long days, limit, expires;
    int all, trashed, trash, public_link, view, no_wait, resume, yes, reveal;
    int json, quiet, verbose, bytes, stats, help, version;
    uint64_t given;   /* CLI_OPT() bits of the options seen */
    uint8_t days_set; /* --days given (else: permanent) */
} cli_opts;

/* ---- commands ---------------------------------------------------------- */

struct cli;

typedef struct cli_cmd {
    const char *group; /* "spaces" */
    const char *name;  /* "list"; NULL for one-word commands */
    const char *args;  /* "ID NAME" for help */
    uint8_t min_args, max_args;
    uint8_t arg_complete; /* CLI_C_FILE: positionals are paths */
    uint8_t offline;      /* runs without a client (help, config...) */
    uint64_t opts;        /* CLI_OPT() bits beyond the global ones */
    const char *summary;  /* one line */
    const char *details;  /* more, for --help and the man page; or NULL */
    int (*run)(struct cli *x);
} cli_cmd;
extern const cli_cmd cli_commands[]; /* ends with a NULL group */

typedef struct cli_group {
    const char *name;
    const char *summary;
} cli_group;
extern const cli_group cli_groups[]; /* groups with subcommands; NULL ends */

/* ---- the run ----------------------------------------------------------------- */

#define CLI_MAX_ARGS 8
#define CLI_TOKENS   8192
#define CLI_IO_SIZE  (128u * 1024u)

/* Where a setting came from, for `config show` and messages. */
typedef enum { CLI_SRC_DEFAULT, CLI_SRC_FLAG, CLI_SRC_ENV, CLI_SRC_FILE } cli_source;

typedef struct cli_settings {
    const char *base_url, *api_key, *ca_file;
    cli_source base_url_src, api_key_src, ca_file_src;
    char file_path[512]; /* the config file (exists or not) */
} cli_settings;

typedef struct cli {
    const cli_cmd *cmd;
    char what[48]; /* "spaces get", for messages */
    int argc;      /* positional arguments of the command */
    char *argv[CLI_MAX_ARGS];
    cli_opts o;
    cli_settings set;
    int client_up; /* host initialised */
    fc_host host;
    char space_buf[FC_ID_MAX];
    /* Context for error messages, set by commands that know it. */
    const char *peer_url;    /* the URL a download talks to (else the API) */
    const char *file_id;     /* the file concerned, if any */
    const char *scan_status; /* the last scan value seen, if any */
    /* Called by the poll loop at each wake-up (upload: follow the phase). */
    void (*on_tick)(struct cli *x);
} cli;

/* ---- cli_args.c --------------------------------------------------------- */
/* Parse argv (after the program name) into x: 0, or an exit code. */
int cli_parse(cli *x, int argc, char **argv);

/* ---- cli_help.c ------------------------------------------------------------ */
void cli_help_main(FILE *out);
void cli_help_group(FILE *out, const char *group);
void cli_help_command(FILE *out, const cli_cmd *c);
int cli_cmd_completion(cli *x);
int cli_cmd_manpage(cli *x);
int cli_cmd_help(cli *x);
/* "spaces list" into buf. */
const char *cli_cmd_title(const cli_cmd *c, char *buf, size_t cap);

/* ---- cli_config.c ------------------------------------------------------------ */
/* Resolve base URL, key and CA file into x->set: 0 or an exit code. */
int cli_settings_load(cli *x);
int cli_cmd_config_show(cli *x);
/* The tool's place in an XDG base directory: "$ENV/fluidcloud/LEAF", or
 * "$HOME/HOME_DIR/fluidcloud/LEAF" when ENV is unset or empty (LEAF NULL:
 * the fluidcloud directory itself). 0, or -1 when it does not fit. */
int cli_xdg_path(const char *env_name, const char *home_dir, const char *leaf, char *buf,
                 size_t cap);
/* mkdir -p, each directory it creates private (0700): 0, or -1 (errno set). */
int cli_private_dirs(const char *dir);
int cli_cmd_config_set(cli *x);
int cli_cmd_config_unset(cli *x);

/* ---- cli_run.c ---------------------------------------------------------------- */
/* Set up the client from x->set: 0 or an exit code (message printed). */
int cli_client_up(cli *x);
void cli_client_down(cli *x);
fc_client *cli_client(cli *x);
/* Run a started call to its end: FC_OK or the error (not printed). */
fc_err cli_wait(cli *x, fc_err started);
/* The wire statistics of every call of this run, summed. */
const fc_stats *cli_stats(void);
/* cli_wait, then print the error: 0 or the exit code. */
int cli_finish(cli *x, fc_err started);
/* Signals: SIGINT/SIGTERM end the running call with FC_ERR_CANCELLED. */
void cli_signals_install(void);
/* The signal that interrupted the run (SIGINT, SIGTERM), or 0. */
int cli_interrupted(void);
/* *space = the --space option, or the default space "My files" (looked
 * up): 0, or the exit code of the failure (printed). */
int cli_space(cli *x, const char **space);
/* Ask before something that cannot be undone: 0 to go on, else an exit
 * code (--yes given: go on; no terminal: refuse). */
int cli_confirm(cli *x, const char *question);

/* ---- cli_session.c: the TLS session cache file ---------------------------- */
/* Read the cache and give the TLS layer its session store. */
void cli_session_cache_attach(cli *x);
/* Write the cache back if a handshake brought a new session. */
void cli_session_cache_write(cli *x);

/* ---- cli_error.c ---------------------------------------------------------------- */
int cli_exit_code(const cli *x, fc_err e);
/* Stable machine-readable code of an fc_err ("not_found"). */
const char *cli_err_code(fc_err e);
/* Print the failure of x->what: stderr text, and JSON on stdout with --json. */
int cli_report(cli *x, fc_err e);
/* A failure of the CLI itself (not the library): message and exit code. */
int cli_fail(cli *x, int code, const char *json_code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ---- cli_progress.c ------------------------------------------------------------ */
enum {
    CLI_PH_NONE,
    CLI_PH_CONNECTING,
    CLI_PH_UPLOADING,
    CLI_PH_COMPLETING,
    CLI_PH_SCAN,
    CLI_PH_SHARING,
    CLI_PH_DOWNLOADING
};
/* Decide once whether a progress line is drawn (stderr a terminal, not --quiet). */
void cli_progress_init(const cli *x);
int cli_progress_enabled(void);
void cli_progress_phase(int phase);
void cli_progress_bytes(uint64_t done, uint64_t total);
/* Redraw if due (called by the poll loop; cheap). */
void cli_progress_tick(void);
/* End the line before anything else is written to stderr (keeps the last state
 * visible); the next tick draws a fresh line. */
void cli_progress_break(void);
/* The line is finished for good (the operation ended). */
void cli_progress_done(void);
/* Messages to stderr, after the progress line is ended. note: unless --quiet. */
void cli_note(const cli *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void cli_verbose(const cli *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void cli_errmsg(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* The library's log hook (fc_client_config.log). */
void cli_log_hook(void *ctx, int level, const char *msg);

/* ---- cli_text.c: pure functions (unit-tested in test/cli) -------------- */
/* "1.5 MiB", "512 B", or the exact number with exact != 0. */
const char *cli_size_text(uint64_t n, int exact, char *buf, size_t cap);
/* "0:42", "1:02:03" */
const char *cli_duration_text(uint64_t seconds, char *buf, size_t cap);
/* Copy text, replacing the key (if any) and the query strings of URLs. */
const char *cli_mask(const char *text, const char *key, char *buf, size_t cap);
/* The key for display: "fck_live_…1234" style. */
const char *cli_mask_key(const char *key, char *buf, size_t cap);
/* Damerau-Levenshtein distance, capped at 9. */
unsigned cli_edit_distance(const char *a, const char *b);
/* A safe local file name from the last path segment of a URL (decoded; no
 * '/', no leading '.'); "" when there is none. */
const char *cli_name_from_url(const char *url, char *buf, size_t cap);
/* The same rules for a name from a server (file name, Content-Disposition). */
const char *cli_safe_name(const char *name, char *buf, size_t cap);
/* 1 when s looks like an http(s) URL. */
int cli_is_url(const char *s);

/* ---- cli_print.c ---------------------------------------------------------------- */
enum {
    CLI_T_STR,
    CLI_T_NSTR,
    CLI_T_I64,
    CLI_T_SIZE,
    CLI_T_TIME,
    CLI_T_SCAN,
    CLI_T_STATUS,
    CLI_T_SCOPES,
    CLI_T_SECRET_URL
};

typedef struct cli_field {
    const char *name;
    uint8_t kind;   /* CLI_T_* */
    uint8_t column; /* position in list lines (1 = first); 0 = none */
    uint8_t width;  /* of that column; the last column is not padded */
    size_t off;
} cli_field;

extern const cli_field cli_me_fields[], cli_space_fields[], cli_folder_fields[], cli_file_fields[],
    cli_share_fields[], cli_stats_fields[], cli_signed_fields[];

void cli_json_str(FILE *out, const char *s);
/* The value as JSON: a string, or null when s is NULL or "". */
void cli_json_nstr(FILE *out, const char *s);
/* Space-separated scopes as a JSON array of strings. */
void cli_json_scopes(FILE *out, const char *s);
void cli_print_obj(const cli *x, const cli_field *f, const void *obj);
void cli_print_json_obj(const cli *x, const cli_field *f, const void *obj);
void cli_print_quota(const cli *x, const fc_quota *q);
void cli_print_upload(const cli *x, const fc_file *file, const fc_share *share);
void cli_print_ok(const cli *x, const char *id);
/* The end of a JSON document on out: with --stats, a "stats" member first. */
void cli_json_close(const cli *x, FILE *out);
/* --stats without --json: the run's wire statistics on stderr. */
void cli_print_stats(const cli *x);

typedef struct cli_list {
    cli *x;
    const cli_field *fields;
    size_t count;
} cli_list;
void cli_list_begin(cli_list *l, cli *x, const cli_field *f);
fc_err cli_list_item(void *ctx, const void *item);
void cli_list_end(cli_list *l, const char *next_cursor);
/* The list failed: drop what was collected (the error is the output). */
void cli_list_abort(cli_list *l);

/* ---- commands ---------------------------------------------------------------- */
int cli_upload(cli *x);
int cli_download(cli *x);

#endif
