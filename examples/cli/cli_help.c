/* SPDX-License-Identifier: MIT */
/*
 * cli_help.c - everything that describes the tool, generated from the
 * option and command tables: --help (whole, per group, per command), the
 * man page (fluidcloud manpage) and the bash and zsh completions
 * (fluidcloud completion bash|zsh). The build runs the built tool to make
 * the installed fluidcloud.1 and completion files, so they cannot drift from
 * the commands.
 */
#include "cli.h"

#include <string.h>

#include <mbedtls/version.h>

#include "fluidcloud/fc_version.h"

#ifndef CLI_VERSION
#define CLI_VERSION "unknown"
#endif

#define HELP_COL 26

static const char k_tagline[] = "the FluidCloud Partner API from a shell";

static const char *const k_env[][2] = {
    {"FLUIDCLOUD_BASE_URL", "the API (default https://api-cloud.fluidvip.com/api/v1)"},
    {"FLUIDCLOUD_API_KEY", "the API key (fck_live_... or fck_test_...)"},
    {"FLUIDCLOUD_CA_FILE", "trusted CAs, PEM (default /etc/ssl/certs/ca-certificates.crt)"},
    {"XDG_CONFIG_HOME", "where fluidcloud/config is (default ~/.config)"},
    {"XDG_STATE_HOME", "where interrupted uploads are kept (default ~/.local/state)"},
    {"XDG_CACHE_HOME", "where TLS sessions are kept to resume them (default ~/.cache)"},
    {NULL, NULL}};

static const char k_config_text[] =
    "Settings come from the command line, else the environment, else the config file "
    "$XDG_CONFIG_HOME/fluidcloud/config (lines 'base_url = ...', 'api_key = ...', "
    "'ca_file = ...'). The file must not be readable by others (chmod 600); "
    "'fluidcloud config set' writes it so.";

const char *cli_cmd_title(const cli_cmd *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s", c->group, c->name ? " " : "", c->name ? c->name : "");
    return buf;
}

void cli_print_version(FILE *out);
void cli_print_version(FILE *out)
{
    /* The tool's version, and the library's actually linked. */
    fprintf(out, "fluidcloud %s (fluidcloud-c %s, %s)\n", CLI_VERSION, fc_version(),
            MBEDTLS_VERSION_STRING_FULL);
    /* --verbose shows the library's log lines up to this level (0: none). */
    fprintf(out, "library log level %d\n", FC_CONFIG_LOG_LEVEL);
}

/* Text wrapped at 79 columns, each line indented. */
static void wrap(FILE *out, unsigned indent, unsigned first_col, const char *text)
{
    unsigned col = first_col;
    while (*text != '\0') {
        size_t n = strcspn(text, " ");
        if (col > indent && col + 1 + n > 79) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        while (col < indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)n, text);
        col += (unsigned)n;
        text += n;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

static void item(FILE *out, const char *head, const char *text)
{
    int n = fprintf(out, "  %s", head);
    if (n + 1 >= HELP_COL) {
        fputc('\n', out);
        n = 0;
    }
    wrap(out, HELP_COL, (unsigned)n, text);
}

static const char *option_head(const cli_option *o, char *buf, size_t cap)
{
    if (o->short_name != 0) {
        snprintf(buf, cap, "-%c, %s%s%s", o->short_name, o->name, o->value ? " " : "",
                 o->value ? o->value : "");
    } else {
        snprintf(buf, cap, "%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
    }
    return buf;
}

static void exit_codes(FILE *out)
{
    const cli_exit_info *e;
    fputs("\nexit codes:\n", out);
    for (e = cli_exit_table; e->name != NULL; e++) {
        char head[16];
        snprintf(head, sizeof head, "%3d", e->code);
        item(out, head, e->meaning);
    }
}

void cli_help_main(FILE *out)
{
    const cli_cmd *c;
    unsigned i;
    char head[64];
    fprintf(out,
            "fluidcloud - %s\n\nusage: fluidcloud <command> [arguments] [options]\n\n"
            "commands:\n",
            k_tagline);
    for (c = cli_commands; c->group != NULL; c++) {
        char title[48];
        snprintf(head, sizeof head, "%s%s%s", cli_cmd_title(c, title, sizeof title),
                 c->args[0] ? " " : "", c->args);
        item(out, head, c->summary);
    }
    fputs("\nglobal options (before or after the command):\n", out);
    for (i = CLI_O_FIRST_GLOBAL; i < CLI_O__COUNT; i++) {
        item(out, option_head(&cli_options[i], head, sizeof head), cli_options[i].help);
    }
    fputs("\nenvironment:\n", out);
    for (i = 0; k_env[i][0] != NULL; i++) {
        item(out, k_env[i][0], k_env[i][1]);
    }
    fputc('\n', out);
    wrap(out, 0, 0, k_config_text);
    exit_codes(out);
    fputs("\nRun 'fluidcloud COMMAND --help' for the options of a command.\n", out);
}

void cli_help_group(FILE *out, const char *group)
{
    const cli_cmd *c;
    fprintf(out, "usage: fluidcloud %s <subcommand> [arguments] [options]\n\nsubcommands:\n",
            group);
    for (c = cli_commands; c->group != NULL; c++) {
        if (strcmp(c->group, group) == 0) {
            char head[64];
            snprintf(head, sizeof head, "%s%s%s", c->name, c->args[0] ? " " : "", c->args);
            item(out, head, c->summary);
        }
    }
    fprintf(out, "\nRun 'fluidcloud %s SUBCOMMAND --help' for its options.\n", group);
}

void cli_help_command(FILE *out, const cli_cmd *c)
{
    char title[48];
    char head[64];
    unsigned i;
    fprintf(out, "usage: fluidcloud %s%s%s [options]\n\n", cli_cmd_title(c, title, sizeof title),
            c->args[0] ? " " : "", c->args);
    wrap(out, 0, 0, c->summary);
    if (c->details != NULL) {
        fputc('\n', out);
        wrap(out, 0, 0, c->details);
    }
    if (c->opts != 0) {
        fputs("\noptions:\n", out);
        for (i = 0; i < CLI_O_FIRST_GLOBAL; i++) {
            if (c->opts & CLI_OPT(i)) {
                item(out, option_head(&cli_options[i], head, sizeof head), cli_options[i].help);
            }
        }
    }
    fputs("\nglobal options:", out);
    for (i = CLI_O_FIRST_GLOBAL; i < CLI_O__COUNT; i++) {
        fprintf(out, " %s", cli_options[i].name);
    }
    fputs("\n(see 'fluidcloud --help' for them and for the exit codes)\n", out);
}

int cli_cmd_help(cli *x)
{
    const cli_cmd *c;
    if (x->argc == 0) {
        cli_help_main(stdout);
        return 0;
    }
    for (c = cli_commands; c->group != NULL; c++) {
        if (strcmp(c->group, x->argv[0]) != 0) {
            continue;
        }
        if (c->name == NULL || (x->argc > 1 && strcmp(c->name, x->argv[1]) == 0)) {
            cli_help_command(stdout, c);
            return 0;
        }
        if (x->argc == 1) {
            cli_help_group(stdout, x->argv[0]);
            return 0;
        }
    }
    return cli_fail(x, CLI_EXIT_USAGE, "usage", "no such command: %s%s%s", x->argv[0],
                    x->argc > 1 ? " " : "", x->argc > 1 ? x->argv[1] : "");
}

/* ---- the man page ------------------------------------------------------------ */

/* roff text: '-' and '\' escaped, no control word at a line start. */
static void roff(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'') {
        fputs("\\&", out);
    }
    for (; *s != '\0'; s++) {
        if (*s == '-') {
            fputs("\\-", out);
        } else if (*s == '\\') {
            fputs("\\e", out);
        } else {
            fputc(*s, out);
        }
    }
}

/* "\fB--space\fR \fIID\fR": an option and its value, kept on one line. */
static void man_option_words(FILE *out, const cli_option *o)
{
    fputs("\\fB", out);
    roff(out, o->name);
    fputs("\\fR", out);
    if (o->value != NULL) {
        fputs("\\ \\fI", out);
        roff(out, o->value);
        fputs("\\fR", out);
    }
}

static void man_option(FILE *out, const cli_option *o)
{
    fputs(".TP\n", out);
    if (o->short_name != 0) {
        fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
    }
    man_option_words(out, o);
    fputc('\n', out);
    roff(out, o->help);
    fputc('\n', out);
}

/* Unbreakable spaces inside a command's name and its arguments. */
static void roff_tight(FILE *out, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == ' ') {
            fputs("\\ ", out);
        } else if (*s == '-') {
            fputs("\\-", out);
        } else {
            fputc(*s, out);
        }
    }
}

static void man_commands(FILE *out)
{
    const cli_cmd *c;
    unsigned i;
    char title[48];
    fputs(".SH COMMANDS\n", out);
    for (c = cli_commands; c->group != NULL; c++) {
        fputs(".TP\n\\fB", out);
        roff_tight(out, cli_cmd_title(c, title, sizeof title));
        fputs("\\fR", out);
        if (c->args[0] != '\0') {
            fputs(" \\fI", out);
            roff_tight(out, c->args);
            fputs("\\fR", out);
        }
        for (i = 0; i < CLI_O_FIRST_GLOBAL; i++) {
            if (c->opts & CLI_OPT(i)) {
                fputs(" [", out);
                man_option_words(out, &cli_options[i]);
                fputs("]", out);
            }
        }
        fputc('\n', out);
        roff(out, c->summary);
        fputs(".\n", out);
        if (c->details != NULL) {
            roff(out, c->details);
            fputc('\n', out);
        }
    }
}

int cli_cmd_manpage(cli *x)
{
    FILE *out = stdout;
    const cli_exit_info *e;
    unsigned i;
    (void)x;
    fprintf(out,
            ".\\\" Generated by 'fluidcloud manpage' from the tool's own tables.\n"
            ".TH FLUIDCLOUD 1 \"\" \"fluidcloud-c %s\" \"User Commands\"\n.ad l\n"
            ".SH NAME\nfluidcloud \\- %s\n.SH SYNOPSIS\n.B fluidcloud\n"
            ".I command\n[\\fIarguments\\fR] [\\fIoptions\\fR]\n",
            CLI_VERSION, k_tagline);
    fputs(".SH DESCRIPTION\n", out);
    roff(out,
         "fluidcloud calls every endpoint of the FluidCloud Partner API: spaces, folders, "
         "files, links (shares), quota, GDPR purges, and streamed uploads and downloads. "
         "Results go to standard output, as aligned text or, with --json, as one JSON "
         "document; progress, notices and errors go to standard error. A progress line is "
         "drawn only when standard error is a terminal. The API key and the query strings "
         "of presigned URLs are never printed: they are masked in every message, log line "
         "and JSON document.");
    fputc('\n', out);
    man_commands(out);
    fputs(".SH OPTIONS\nOptions may come before or after the command.\n", out);
    for (i = 0; i < CLI_O__COUNT; i++) {
        man_option(out, &cli_options[i]);
    }
    fputs(".SH ENVIRONMENT\n", out);
    for (i = 0; k_env[i][0] != NULL; i++) {
        fprintf(out, ".TP\n.B %s\n", k_env[i][0]);
        roff(out, k_env[i][1]);
        fputc('\n', out);
    }
    fputs(".SH FILES\n.TP\n.I $XDG_CONFIG_HOME/fluidcloud/config\n", out);
    roff(out, k_config_text);
    fputs("\n.TP\n.I $XDG_STATE_HOME/fluidcloud/uploads/\n", out);
    roff(out, "the progress of interrupted uploads, for upload --resume (private).");
    fputs("\n.TP\n.I $XDG_CACHE_HOME/fluidcloud/tls\\-sessions\n", out);
    roff(out,
         "TLS sessions of the last runs (private; they hold session secrets), so the next "
         "run resumes instead of a full handshake; kept per CA file. Delete it at will.");
    fputs("\n.SH EXIT STATUS\n", out);
    for (e = cli_exit_table; e->name != NULL; e++) {
        fprintf(out, ".TP\n.B %d\n", e->code);
        roff(out, e->meaning);
        fputc('\n', out);
    }
    fputs(".SH EXAMPLES\n.nf\n", out);
    roff(out,
         "fluidcloud config set api_key -        # paste the key, then Enter\n"
         "fluidcloud upload frame.jpg --public\n"
         "fluidcloud files list --all --json\n"
         "fluidcloud download FILE_ID -o frame.jpg\n");
    fputs(".fi\n", out);
    return 0;
}

/* ---- completions --------------------------------------------------------------- */

/*
 * One generator for both shells: the script finds the command words already
 * typed (skipping options and their values), completes an option's value
 * from the option table, then offers the subcommands, options or files of
 * the command from the command table. Only the syntax differs.
 */
typedef struct shell {
    const char *head;         /* up to the globals list */
    const char *loop;         /* walks the words typed before the cursor */
    const char *prev_case;    /* "case <previous word> in" */
    const char *file_value;   /* completes a file name and returns */
    const char *word_value;   /* printf format: complete these words and return */
    const char *no_value;     /* nothing to offer (an id, a number) */
    const char *open, *close; /* a list: "..." or (...) */
    const char *indent;       /* of the case arms */
    const char *tail;
} shell;

static const shell k_bash = {
    "# bash completion for fluidcloud; generated by 'fluidcloud completion bash'\n"
    "_fluidcloud() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
    "    local group= sub= w i files= cands= opts=\n"
    "    local globals=",
    "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
    "        w=${COMP_WORDS[i]}\n",
    "    case $prev in\n",
    "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return",
    "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return",
    "COMPREPLY=(); return",
    "\"",
    "\"",
    "        ",
    "    if [[ $cur == -* ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$opts $globals\" -- \"$cur\"))\n"
    "    elif [[ -n $cands ]]; then\n"
    "        COMPREPLY=($(compgen -W \"$cands\" -- \"$cur\"))\n"
    "    elif [[ -n $files ]]; then\n"
    "        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))\n"
    "    fi\n"
    "}\n"
    "complete -F _fluidcloud fluidcloud\n"};

static const shell k_zsh = {
    "#compdef fluidcloud\n"
    "# zsh completion for fluidcloud; generated by 'fluidcloud completion zsh'\n"
    "_fluidcloud() {\n"
    "    local group= sub= w files=\n"
    "    local -i i\n"
    "    local -a cands opts globals\n"
    "    globals=",
    "    for ((i = 2; i < CURRENT; i++)); do\n"
    "        w=${words[i]}\n",
    "    case ${words[CURRENT-1]} in\n",
    "_files; return",
    "compadd -- %s; return",
    "return 1",
    "(",
    ")",
    "        ",
    "    if [[ ${words[CURRENT]} == -* ]]; then\n"
    "        compadd -- $opts $globals\n"
    "    elif (( ${#cands} )); then\n"
    "        compadd -- $cands\n"
    "    elif [[ -n $files ]]; then\n"
    "        _files\n"
    "    fi\n"
    "}\n"
    "_fluidcloud \"$@\"\n"};

static void list_options(FILE *out, uint64_t mask, int globals)
{
    unsigned i;
    const char *sep = "";
    for (i = 0; i < CLI_O__COUNT; i++) {
        if ((mask & CLI_OPT(i)) || (globals && i >= CLI_O_FIRST_GLOBAL)) {
            fprintf(out, "%s%s", sep, cli_options[i].name);
            sep = " ";
            if (cli_options[i].short_name != 0) {
                fprintf(out, " -%c", cli_options[i].short_name);
            }
        }
    }
}

/* "--space|--parent|-o": the options with a value, all or those completed
 * the given way. */
static void valued_options(FILE *out, int complete)
{
    unsigned i;
    const char *sep = "";
    for (i = 0; i < CLI_O__COUNT; i++) {
        const cli_option *o = &cli_options[i];
        if (o->kind != CLI_V_FLAG && (complete < 0 || o->complete == complete)) {
            fprintf(out, "%s%s", sep, o->name);
            sep = "|";
            if (o->short_name != 0) {
                fprintf(out, "|-%c", o->short_name);
            }
        }
    }
}

static void top_words(FILE *out)
{
    const cli_cmd *c;
    const char *last = "";
    for (c = cli_commands; c->group != NULL; c++) {
        if (strcmp(c->group, last) != 0) {
            fprintf(out, "%s%s", c == cli_commands ? "" : " ", c->group);
            last = c->group;
        }
    }
}

/* The values an option's value is completed from. */
static void value_arms(FILE *out, const shell *sh)
{
    unsigned i;
    char words[128];
    fprintf(out, "%s", sh->indent);
    valued_options(out, CLI_C_FILE);
    fprintf(out, ") %s ;;\n", sh->file_value);
    for (i = 0; i < CLI_O__COUNT; i++) {
        if (cli_options[i].complete == CLI_C_WORDS) {
            snprintf(words, sizeof words, sh->word_value, cli_options[i].words);
            fprintf(out, "%s%s) %s ;;\n", sh->indent, cli_options[i].name, words);
        }
    }
    fprintf(out, "%s", sh->indent);
    valued_options(out, CLI_C_NONE);
    fprintf(out, ") %s ;;\n", sh->no_value);
}

/* One arm per group (its subcommands) and per command (its options and
 * what its arguments are). */
static void command_arms(FILE *out, const shell *sh)
{
    const cli_cmd *c;
    const char *last = "";
    fprintf(out, "%s\"/\") cands=%s", sh->indent, sh->open);
    top_words(out);
    fprintf(out, "%s ;;\n", sh->close);
    for (c = cli_commands; c->group != NULL; c++) {
        if (c->name != NULL && strcmp(c->group, last) != 0) {
            const cli_cmd *s;
            fprintf(out, "%s\"%s/\") cands=%s", sh->indent, c->group, sh->open);
            for (s = c; s->group != NULL && strcmp(s->group, c->group) == 0; s++) {
                fprintf(out, "%s%s", s == c ? "" : " ", s->name);
            }
            fprintf(out, "%s ;;\n", sh->close);
        }
        last = c->group;
        fprintf(out, c->name != NULL ? "%s\"%s/%s\") " : "%s\"%s/\"*) ", sh->indent, c->group,
                c->name);
        fprintf(out, "opts=%s", sh->open);
        list_options(out, c->opts, 0);
        fprintf(out, "%s", sh->close);
        if (c->arg_complete == CLI_C_FILE) {
            fputs("; files=1", out);
        } else if (c->arg_complete == CLI_C_WORDS) {
            const char *a;
            fprintf(out, "; [[ -z $sub ]] && cands=%s", sh->open);
            for (a = c->args; *a != '\0'; a++) {
                fputc(*a == '|' ? ' ' : *a, out); /* "bash|zsh" */
            }
            fprintf(out, "%s", sh->close);
        }
        fputs(" ;;\n", out);
    }
}

static void script(FILE *out, const shell *sh)
{
    fprintf(out, "%s%s", sh->head, sh->open);
    list_options(out, 0, 1);
    fprintf(out, "%s\n%s        case $w in\n            ", sh->close, sh->loop);
    valued_options(out, -1);
    fputs(
        ") ((i++)); continue ;;\n"
        "            -*) continue ;;\n"
        "        esac\n"
        "        if [[ -z $group ]]; then group=$w; elif [[ -z $sub ]]; then sub=$w; fi\n"
        "    done\n",
        out);
    fputs(sh->prev_case, out);
    value_arms(out, sh);
    fputs("    esac\n    case \"$group/$sub\" in\n", out);
    command_arms(out, sh);
    fputs("    esac\n", out);
    fputs(sh->tail, out);
}

int cli_cmd_completion(cli *x)
{
    if (strcmp(x->argv[0], "bash") == 0) {
        script(stdout, &k_bash);
    } else if (strcmp(x->argv[0], "zsh") == 0) {
        script(stdout, &k_zsh);
    } else {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "completion: bash or zsh, not '%s'",
                        x->argv[0]);
    }
    return 0;
}
