/* SPDX-License-Identifier: MIT */
/*
 * cli_config.c - where the base URL, the API key and the CA file come from:
 * the command line (--base-url, --api-key, --ca-file) over the environment
 * (FLUIDCLOUD_BASE_URL, FLUIDCLOUD_API_KEY, FLUIDCLOUD_CA_FILE) over the
 * config file $XDG_CONFIG_HOME/fluidcloud/config (~/.config/... without
 * XDG_CONFIG_HOME) over the defaults.
 *
 * The config file holds "name = value" lines (# starts a comment). It may
 * hold the key, so like ssh the tool refuses a file that others can read,
 * and `config set` writes it 0600 in a 0700 directory, atomically.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLI_DEFAULT_BASE_URL "https://api-cloud.fluidvip.com/api/v1"
#define CLI_DEFAULT_CA_FILE  "/etc/ssl/certs/ca-certificates.crt"
#define CLI_CONFIG_MAX       8192

static const char *const k_names[] = {"base_url", "api_key", "ca_file"};
enum { K_BASE_URL, K_API_KEY, K_CA_FILE, K_COUNT };

static char g_file_values[K_COUNT][1024];

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

int cli_xdg_path(const char *env_name, const char *home_dir, const char *leaf, char *buf,
                 size_t cap)
{
    const char *base = env(env_name);
    const char *home = env("HOME");
    int n = base != NULL
                ? snprintf(buf, cap, "%s/fluidcloud", base)
                : snprintf(buf, cap, "%s/%s/fluidcloud", home != NULL ? home : ".", home_dir);
    if (n > 0 && (size_t)n < cap && leaf != NULL) {
        n += snprintf(buf + n, cap - (size_t)n, "/%s", leaf);
    }
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int cli_private_dirs(const char *dir)
{
    char path[PATH_MAX];
    size_t i;
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (i = 1; path[i] != '\0'; i++) {
        if (path[i] == '/') {
            path[i] = '\0';
            (void)mkdir(path, 0700); /* the parents exist already, usually */
            path[i] = '/';
        }
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int name_index(const char *name)
{
    int i;
    for (i = 0; i < K_COUNT; i++) {
        if (strcmp(k_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static char *trim(char *s)
{
    char *end = s + strlen(s);
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r')) {
        *--end = '\0';
    }
    return s;
}

/* Read the whole file into buf: 1 read, 0 absent, <0 an exit code (printed). */
static int read_file(cli *x, const char *path, char *buf, size_t cap)
{
    struct stat st;
    size_t n;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT) {
            return 0;
        }
        return -cli_fail(x, CLI_EXIT_USAGE, "config_file", "cannot read the config file %s: %s",
                         path, strerror(errno));
    }
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
        fclose(f);
        return -cli_fail(x, CLI_EXIT_USAGE, "config_file",
                         "the config file %s may hold the API key but others can read it "
                         "(mode %04o): run chmod 600 %s",
                         path, (unsigned)(st.st_mode & 07777), path);
    }
    n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    if (n == cap - 1) {
        return -cli_fail(x, CLI_EXIT_USAGE, "config_file", "the config file %s is too long", path);
    }
    return 1;
}

static int load_file(cli *x)
{
    static char text[CLI_CONFIG_MAX];
    char *line;
    char *save = NULL;
    unsigned no = 0;
    int r = read_file(x, x->set.file_path, text, sizeof text);
    if (r <= 0) {
        return -r;
    }
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        char *name;
        int i;
        no++;
        line = trim(line);
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        if (eq == NULL) {
            cli_note(x, "%s:%u: not a 'name = value' line: ignored", x->set.file_path, no);
            continue;
        }
        *eq = '\0';
        name = trim(line);
        i = name_index(name);
        if (i < 0) {
            cli_note(x, "%s:%u: unknown setting '%s' ignored (known: base_url, api_key, ca_file)",
                     x->set.file_path, no, name);
            continue;
        }
        snprintf(g_file_values[i], sizeof g_file_values[i], "%s", trim(eq + 1));
    }
    return 0;
}

/* flag > environment > file > default */
static void pick(const char *flag, const char *env_name, int file_i, const char *dflt,
                 const char **out, cli_source *src)
{
    const char *e = env(env_name);
    if (flag != NULL) {
        *out = flag;
        *src = CLI_SRC_FLAG;
    } else if (e != NULL) {
        *out = e;
        *src = CLI_SRC_ENV;
    } else if (g_file_values[file_i][0] != '\0') {
        *out = g_file_values[file_i];
        *src = CLI_SRC_FILE;
    } else {
        *out = dflt;
        *src = CLI_SRC_DEFAULT;
    }
}

int cli_settings_load(cli *x)
{
    cli_settings *s = &x->set;
    int r;
    if (cli_xdg_path("XDG_CONFIG_HOME", ".config", "config", s->file_path, sizeof s->file_path) !=
        0) {
        return cli_fail(x, CLI_EXIT_USAGE, "config_file", "the config file's path is too long");
    }
    r = load_file(x);
    if (r != 0) {
        return r;
    }
    pick(x->o.base_url, "FLUIDCLOUD_BASE_URL", K_BASE_URL, CLI_DEFAULT_BASE_URL, &s->base_url,
         &s->base_url_src);
    pick(x->o.api_key, "FLUIDCLOUD_API_KEY", K_API_KEY, NULL, &s->api_key, &s->api_key_src);
    pick(x->o.ca_file, "FLUIDCLOUD_CA_FILE", K_CA_FILE, CLI_DEFAULT_CA_FILE, &s->ca_file,
         &s->ca_file_src);
    return 0;
}

/* ---- config show | set | unset ------------------------------------------- */

static const char *src_word(cli_source s)
{
    static const char *const k[] = {"default", "flag", "env", "file"};
    return k[s];
}

int cli_cmd_config_show(cli *x)
{
    const char *values[K_COUNT];
    cli_source srcs[K_COUNT];
    char masked[64];
    int i;
    values[K_BASE_URL] = x->set.base_url;
    values[K_API_KEY] =
        x->set.api_key != NULL ? cli_mask_key(x->set.api_key, masked, sizeof masked) : NULL;
    values[K_CA_FILE] = x->set.ca_file;
    srcs[K_BASE_URL] = x->set.base_url_src;
    srcs[K_API_KEY] = x->set.api_key_src;
    srcs[K_CA_FILE] = x->set.ca_file_src;
    if (x->o.json) {
        fputs("{\"config_file\": ", stdout);
        cli_json_str(stdout, x->set.file_path);
        for (i = 0; i < K_COUNT; i++) {
            printf(", \"%s\": {\"value\": ", k_names[i]);
            cli_json_nstr(stdout, values[i]);
            printf(", \"source\": \"%s\"}", src_word(srcs[i]));
        }
        cli_json_close(x, stdout);
        return 0;
    }
    printf("%-12s %s%s\n", "config_file", x->set.file_path,
           access(x->set.file_path, F_OK) == 0 ? "" : " (none)");
    for (i = 0; i < K_COUNT; i++) {
        printf("%-12s %s (%s)\n", k_names[i], values[i] != NULL ? values[i] : "-",
               src_word(srcs[i]));
    }
    return 0;
}

/* The directory of the config file, private. */
static int make_dirs(cli *x, const char *file)
{
    char dir[sizeof x->set.file_path];
    char *slash;
    snprintf(dir, sizeof dir, "%s", file);
    slash = strrchr(dir, '/');
    if (slash == NULL) {
        return 0;
    }
    *slash = '\0';
    if (cli_private_dirs(dir) != 0) {
        return cli_fail(x, CLI_EXIT_FAILED, "config_file", "cannot create %s: %s", dir,
                        strerror(errno));
    }
    return 0;
}

/* Rewrite the file with name set to value (or removed when value is NULL),
 * keeping every other line; a temporary file 0600, then rename. */
static int rewrite(cli *x, const char *name, const char *value)
{
    static char text[CLI_CONFIG_MAX];
    char tmp[600];
    char *line;
    char *next;
    FILE *out;
    int fd;
    int found = 0;
    int r = read_file(x, x->set.file_path, text, sizeof text);
    if (r < 0) {
        return -r;
    }
    if (r == 0) {
        text[0] = '\0';
    }
    if (make_dirs(x, x->set.file_path) != 0) {
        return CLI_EXIT_FAILED;
    }
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", x->set.file_path);
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0 || (out = fdopen(fd, "w")) == NULL) {
        if (fd >= 0) {
            close(fd);
        }
        return cli_fail(x, CLI_EXIT_FAILED, "config_file", "cannot write %s: %s", tmp,
                        strerror(errno));
    }
    for (line = text; *line != '\0'; line = next) {
        char copy[1200];
        char *eq;
        next = line + strcspn(line, "\n");
        next += *next == '\n';
        snprintf(copy, sizeof copy, "%.*s", (int)(next - line), line);
        eq = strchr(copy, '=');
        if (eq != NULL && copy[strspn(copy, " \t")] != '#') {
            *eq = '\0';
            if (strcmp(trim(copy), name) == 0) {
                if (value != NULL && !found) {
                    fprintf(out, "%s = %s\n", name, value);
                }
                found = 1;
                continue;
            }
        }
        fprintf(out, "%.*s", (int)(next - line), line);
        if (next[-1] != '\n') {
            fputc('\n', out);
        }
    }
    if (!found && value != NULL) {
        fprintf(out, "%s = %s\n", name, value);
    }
    if (fflush(out) != 0 || fsync(fd) != 0 || fclose(out) != 0 ||
        rename(tmp, x->set.file_path) != 0) {
        unlink(tmp);
        return cli_fail(x, CLI_EXIT_FAILED, "config_file", "cannot write %s: %s", x->set.file_path,
                        strerror(errno));
    }
    return 0;
}

static int check_name(cli *x, const char *name)
{
    if (name_index(name) < 0) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage",
                        "unknown setting '%s' (known: base_url, api_key, ca_file)", name);
    }
    return 0;
}

int cli_cmd_config_set(cli *x)
{
    static char line[1024];
    const char *name = x->argv[0];
    const char *value = x->argv[1];
    int r = check_name(x, name);
    if (r != 0) {
        return r;
    }
    if (strcmp(value, "-") == 0) {
        /* From standard input, so the key stays out of the shell history. */
        if (isatty(STDIN_FILENO)) {
            fprintf(stderr, "%s: ", name);
            fflush(stderr);
        }
        if (fgets(line, sizeof line, stdin) == NULL) {
            return cli_fail(x, CLI_EXIT_USAGE, "usage", "no value on standard input");
        }
        value = trim(line);
    }
    if (value[0] == '\0' || strpbrk(value, "\r\n") != NULL) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "the value of %s is empty or has a line break",
                        name);
    }
    r = rewrite(x, name, value);
    if (r == 0) {
        cli_note(x, "%s saved in %s", name, x->set.file_path);
        cli_print_ok(x, NULL);
    }
    return r;
}

int cli_cmd_config_unset(cli *x)
{
    int r = check_name(x, x->argv[0]);
    if (r == 0) {
        r = rewrite(x, x->argv[0], NULL);
    }
    if (r == 0) {
        cli_print_ok(x, NULL);
    }
    return r;
}
