/* SPDX-License-Identifier: MIT */
/*
 * cli_args.c - the command line: options anywhere (before or after the
 * command, "--name value" or "--name=value", "--" ends them), then the
 * command found from the first one or two words, with a "did you mean"
 * for a misspelled command, subcommand or option.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cli_print_version(FILE *out);

/* ---- did you mean --------------------------------------------------------- */

/* Keeps the closest candidate seen; close means few edits for its length. */
typedef struct suggest {
    const char *word;
    const char *best;
    unsigned dist;
} suggest;

static void suggest_init(suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->dist = 3;
}

static void suggest_try(suggest *s, const char *candidate)
{
    /* At most 2 edits, and only 1 for words of 3 letters or fewer: "ls"
     * is not a typo of "get". */
    unsigned d = cli_edit_distance(s->word, candidate);
    size_t n = strlen(s->word);
    if (d < s->dist && d < n && (d <= 1 || n > 3)) {
        s->dist = d;
        s->best = candidate;
    }
}

static void suggest_print(const suggest *s, const char *prefix)
{
    if (s->best != NULL) {
        cli_errmsg("did you mean '%s%s'?", prefix, s->best);
    }
}

/* ---- options ----------------------------------------------------------------- */

static const cli_option *find_long(const char *name, size_t len)
{
    unsigned i;
    for (i = 0; i < CLI_O__COUNT; i++) {
        if (strlen(cli_options[i].name) == len && strncmp(cli_options[i].name, name, len) == 0) {
            return &cli_options[i];
        }
    }
    return NULL;
}

static const cli_option *find_short(char ch)
{
    unsigned i;
    for (i = 0; i < CLI_O__COUNT; i++) {
        if (cli_options[i].short_name == ch) {
            return &cli_options[i];
        }
    }
    return NULL;
}

static int unknown_option(const char *arg)
{
    suggest s;
    unsigned i;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    cli_errmsg("unknown option %s", name);
    suggest_init(&s, name);
    for (i = 0; i < CLI_O__COUNT; i++) {
        suggest_try(&s, cli_options[i].name);
    }
    suggest_print(&s, "");
    cli_errmsg("see: fluidcloud --help");
    return CLI_EXIT_USAGE;
}

static int set_value(cli *x, const cli_option *o, const char *value)
{
    char *at = (char *)&x->o + o->off;
    unsigned id = (unsigned)(o - cli_options);
    x->o.given |= CLI_OPT(id);
    if (o->kind == CLI_V_FLAG) {
        *(int *)(void *)at = 1;
        return 0;
    }
    if (value == NULL) {
        cli_errmsg("%s needs a value (%s)", o->name, o->value);
        return CLI_EXIT_USAGE;
    }
    if (o->kind == CLI_V_STR) {
        *(const char **)(void *)at = value;
        return 0;
    }
    {
        char *end = NULL;
        long n;
        errno = 0;
        n = strtol(value, &end, 10);
        if (*value == '\0' || *end != '\0' || errno != 0) {
            cli_errmsg("%s wants a number, not '%s'", o->name, value);
            return CLI_EXIT_USAGE;
        }
        *(long *)(void *)at = n;
        if (id == CLI_O_DAYS) {
            x->o.days_set = 1;
        }
    }
    return 0;
}

/* One option at argv[*i]; may take the next word as its value. */
static int take_option(cli *x, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *value = NULL;
    const cli_option *o;
    if (arg[1] == '-') {
        size_t len = strcspn(arg, "=");
        o = find_long(arg, len);
        if (arg[len] == '=') {
            value = arg + len + 1;
            if (o != NULL && o->kind == CLI_V_FLAG) {
                cli_errmsg("%s takes no value", o->name);
                return CLI_EXIT_USAGE;
            }
        }
    } else {
        o = arg[2] == '\0' ? find_short(arg[1]) : NULL;
    }
    if (o == NULL) {
        return unknown_option(arg);
    }
    if (o->kind != CLI_V_FLAG && value == NULL) {
        /* The next word is the value even if it starts with '-' (-o -). */
        value = *i + 1 < argc ? argv[++*i] : NULL;
    }
    return set_value(x, o, value);
}

/* ---- the command ----------------------------------------------------------- */

static int is_group(const char *word)
{
    const cli_group *g;
    for (g = cli_groups; g->name != NULL; g++) {
        if (strcmp(g->name, word) == 0) {
            return 1;
        }
    }
    return 0;
}

static const cli_cmd *find_cmd(const char *group, const char *name)
{
    const cli_cmd *c;
    for (c = cli_commands; c->group != NULL; c++) {
        if (strcmp(c->group, group) == 0 &&
            (c->name == NULL || (name != NULL && strcmp(c->name, name) == 0))) {
            return c;
        }
    }
    return NULL;
}

static int unknown_command(const char *word)
{
    suggest s;
    const cli_cmd *c;
    cli_errmsg("unknown command '%s'", word);
    suggest_init(&s, word);
    for (c = cli_commands; c->group != NULL; c++) {
        suggest_try(&s, c->group);
    }
    suggest_print(&s, "");
    cli_errmsg("see: fluidcloud --help");
    return CLI_EXIT_USAGE;
}

static int unknown_subcommand(const char *group, const char *word)
{
    suggest s;
    const cli_cmd *c;
    char prefix[40];
    if (word == NULL) {
        cli_errmsg("'%s' needs a subcommand", group);
    } else {
        cli_errmsg("unknown subcommand '%s %s'", group, word);
    }
    if (word != NULL) {
        suggest_init(&s, word);
        for (c = cli_commands; c->group != NULL; c++) {
            if (strcmp(c->group, group) == 0) {
                suggest_try(&s, c->name);
            }
        }
        snprintf(prefix, sizeof prefix, "%s ", group);
        suggest_print(&s, prefix);
    }
    cli_help_group(stderr, group);
    return CLI_EXIT_USAGE;
}

/* Every option given must be global or one of the command's. */
static int check_options(const cli *x, const cli_cmd *c)
{
    uint64_t allowed = c->opts | ~(CLI_OPT(CLI_O_FIRST_GLOBAL) - 1u);
    uint64_t extra = x->o.given & ~allowed;
    unsigned i;
    char title[48];
    for (i = 0; extra != 0 && i < CLI_O__COUNT; i++) {
        if (extra & CLI_OPT(i)) {
            cli_errmsg("%s is not an option of '%s'", cli_options[i].name,
                       cli_cmd_title(c, title, sizeof title));
            cli_errmsg("see: fluidcloud %s --help", title);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

static int check_args(const cli *x, const cli_cmd *c)
{
    char title[48];
    if (x->argc >= c->min_args && x->argc <= c->max_args) {
        return 0;
    }
    cli_errmsg("%s: %s", cli_cmd_title(c, title, sizeof title),
               x->argc < c->min_args ? "missing argument" : "too many arguments");
    cli_errmsg("usage: fluidcloud %s %s", title, c->args);
    return CLI_EXIT_USAGE;
}

/* Words of the command: group [name] then its arguments. */
static int pick_command(cli *x, int nwords, char **words)
{
    const cli_cmd *c;
    int used;
    if (nwords == 0) {
        if (x->o.version) {
            cli_print_version(stdout);
            return 0;
        }
        cli_help_main(x->o.help ? stdout : stderr);
        return x->o.help ? 0 : CLI_EXIT_USAGE;
    }
    if (is_group(words[0])) {
        c = nwords > 1 ? find_cmd(words[0], words[1]) : NULL;
        if (c == NULL && x->o.help && nwords == 1) {
            cli_help_group(stdout, words[0]);
            return 0;
        }
        if (c == NULL) {
            return unknown_subcommand(words[0], nwords > 1 ? words[1] : NULL);
        }
        used = 2;
    } else {
        c = find_cmd(words[0], NULL);
        if (c == NULL) {
            return unknown_command(words[0]);
        }
        used = 1;
    }
    if (x->o.version) {
        cli_print_version(stdout);
        return 0;
    }
    if (x->o.help) {
        cli_help_command(stdout, c);
        return 0;
    }
    x->cmd = c;
    cli_cmd_title(c, x->what, sizeof x->what);
    for (; used < nwords; used++) {
        x->argv[x->argc++] = words[used];
    }
    if (check_options(x, c) != 0 || check_args(x, c) != 0) {
        x->cmd = NULL;
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int cli_parse(cli *x, int argc, char **argv)
{
    char *words[CLI_MAX_ARGS + 2];
    int nwords = 0;
    int only_words = 0;
    int i;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!only_words && strcmp(a, "--") == 0) {
            only_words = 1;
            continue;
        }
        if (only_words || a[0] != '-' || a[1] == '\0') {
            if (nwords == CLI_MAX_ARGS + 2) {
                cli_errmsg("too many arguments");
                return CLI_EXIT_USAGE;
            }
            words[nwords++] = argv[i];
            continue;
        }
        r = take_option(x, argc, argv, &i);
        if (r != 0) {
            return r;
        }
    }
    return pick_command(x, nwords, words);
}
