/* SPDX-License-Identifier: MIT */
/*
 * cli_download.c - `fluidcloud download URL|FILE_ID [-o FILE|-]`.
 *
 * The bytes go to a temporary file beside the target (same directory, so
 * the final rename is atomic) and replace the target only when the
 * download ended well: a failure or ^C leaves an existing file exactly as it
 * was. A FILE_ID is resolved to its presigned download URL, and the bytes
 * are checked against the file's size and SHA-256 before the rename.
 * Without -o the name comes from the server (the file's name, else the
 * URL's last path segment), like curl -OJ: never a path, never a hidden
 * file, and never over an existing file.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fluidcloud/fc_sha256.h"
#include "fluidcloud/fc_upload.h"

static fc_file g_file;
static fc_signed_url g_url;

typedef struct sink {
    FILE *out;
    fc_sha256 hash;
    uint64_t bytes;
    uint64_t total;        /* expected, 0 = unknown */
} sink;

static fc_err write_sink(void *ctx, const uint8_t *data, size_t len)
{
    sink *s = ctx;
    if (fwrite(data, 1, len, s->out) != len) {
        return FC_ERR_SINK;
    }
    fc_sha256_update(&s->hash, data, len);
    s->bytes += len;
    cli_progress_bytes(s->bytes, s->total);
    return FC_OK;
}

/* A FILE_ID: its record (name, size, SHA-256) and a presigned URL. */
static int resolve_file(cli *x, const char *id)
{
    int r;
    x->file_id = id;
    r = cli_finish(x, fc_files_get(cli_client(x), id, &g_file));
    if (r == 0) {
        r = cli_finish(x, fc_files_download_url(cli_client(x), id, &g_url));
    }
    return r;
}

static int pick_target(cli *x, const char *url, int by_id, char *name, size_t cap)
{
    if (x->o.output != NULL) {
        snprintf(name, cap, "%s", x->o.output);
        return 0;
    }
    if (by_id) {
        cli_safe_name(g_file.name, name, cap);
    } else {
        cli_name_from_url(url, name, cap);
    }
    if (name[0] == '\0') {
        return cli_fail(x, CLI_EXIT_USAGE, "usage",
                        "cannot tell a file name from %s: pass -o FILE", url);
    }
    if (access(name, F_OK) == 0) {
        return cli_fail(x, CLI_EXIT_FAILED, "exists",
                        "%s exists already: pass -o %s to replace it", name, name);
    }
    return 0;
}

/* A temporary file in the target's directory: ".NAME.XXXXXX.part"-like. */
static FILE *open_temp(const char *target, char *tmp, size_t cap)
{
    const char *slash = strrchr(target, '/');
    int dir_len = slash != NULL ? (int)(slash - target + 1) : 0;
    int fd;
    FILE *f;
    snprintf(tmp, cap, "%.*s.%s.part-XXXXXX", dir_len, target,
             slash != NULL ? slash + 1 : target);
    fd = mkstemp(tmp);
    if (fd < 0) {
        return NULL;
    }
    f = fdopen(fd, "wb");
    if (f == NULL) {
        close(fd);
        unlink(tmp);
    }
    return f;
}

/* The new file gets the mode a plain create would give it (mkstemp's is
 * 0600), or the replaced file's own mode. */
static void set_mode(FILE *f, const char *target)
{
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    if (stat(target, &st) == 0) {
        fchmod(fileno(f), st.st_mode & 07777);
    } else {
        fchmod(fileno(f), 0666 & ~mask);
    }
}

static int check_bytes(cli *x, sink *s, int by_id)
{
    uint8_t digest[32];
    char hex[65];
    if (!by_id) {
        return 0;
    }
    fc_sha256_final(&s->hash, digest);
    fc_sha256_hex(digest, hex);
    if (g_file.size >= 0 && s->bytes != (uint64_t)g_file.size) {
        return cli_fail(x, CLI_EXIT_FAILED, "integrity",
                        "download of file %s: got %llu bytes, the file has %lld", g_file.id,
                        (unsigned long long)s->bytes, (long long)g_file.size);
    }
    if (g_file.sha256[0] != '\0' && strcmp(hex, g_file.sha256) != 0) {
        return cli_fail(x, CLI_EXIT_FAILED, "integrity",
                        "download of file %s: SHA-256 %s, the file has %s", g_file.id, hex,
                        g_file.sha256);
    }
    return 0;
}

static void print_result(cli *x, const char *target, const sink *s, int by_id)
{
    char size[32];
    if (x->o.json) {
        fputs("{\"path\": ", stdout);
        cli_json_str(stdout, target);
        printf(", \"bytes\": %llu, \"file_id\": ", (unsigned long long)s->bytes);
        cli_json_nstr(stdout, by_id ? g_file.id : NULL);
        printf(", \"sha256_verified\": %s", by_id && g_file.sha256[0] ? "true" : "false");
        cli_json_close(x, stdout);
    }
    cli_note(x, "downloaded %s to %s%s", cli_size_text(s->bytes, x->o.bytes, size, sizeof size),
             target, by_id && g_file.sha256[0] ? " (SHA-256 verified)" : "");
}

static int fetch(cli *x, const char *url, sink *s)
{
    fc_download dl;
    memset(&dl, 0, sizeof dl);
    dl.url = url;
    dl.sink = write_sink;
    dl.sink_ctx = s;
    x->peer_url = url;
    cli_progress_phase(CLI_PH_DOWNLOADING);
    return cli_finish(x, fc_download_start(cli_client(x), &dl));
}

int cli_download(cli *x)
{
    static char target[4096];
    static char tmp[4200];
    const char *src = x->argv[0];
    int by_id = !cli_is_url(src);
    int to_stdout = x->o.output != NULL && strcmp(x->o.output, "-") == 0;
    const char *url = src;
    sink s;
    int r;
    if (to_stdout && x->o.json) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage",
                        "-o - writes the bytes to standard output: --json cannot go there too");
    }
    if (by_id) {
        r = resolve_file(x, src);
        if (r != 0) {
            return r;
        }
        url = g_url.url;
    }
    memset(&s, 0, sizeof s);
    fc_sha256_init(&s.hash);
    s.total = by_id && g_file.size > 0 ? (uint64_t)g_file.size : 0;
    if (to_stdout) {
        s.out = stdout;
        r = fetch(x, url, &s);
        cli_progress_done();
        return r != 0 ? r : check_bytes(x, &s, by_id);
    }
    if ((r = pick_target(x, url, by_id, target, sizeof target)) != 0) {
        return r;
    }
    s.out = open_temp(target, tmp, sizeof tmp);
    if (s.out == NULL) {
        return cli_fail(x, CLI_EXIT_FAILED, "write_failed", "cannot create a file beside %s: %s",
                        target, strerror(errno));
    }
    r = fetch(x, url, &s);
    cli_progress_done();
    if (r == 0) {
        r = check_bytes(x, &s, by_id);
    }
    if (r == 0) {
        set_mode(s.out, target);
        if (fflush(s.out) != 0 || fsync(fileno(s.out)) != 0) {
            r = cli_fail(x, CLI_EXIT_FAILED, "write_failed", "cannot write %s: %s", tmp,
                         strerror(errno));
        }
    }
    if (fclose(s.out) != 0 && r == 0) {
        r = cli_fail(x, CLI_EXIT_FAILED, "write_failed", "cannot write %s: %s", tmp,
                     strerror(errno));
    }
    if (r == 0 && rename(tmp, target) != 0) {
        r = cli_fail(x, CLI_EXIT_FAILED, "write_failed", "cannot rename %s to %s: %s", tmp,
                     target, strerror(errno));
    }
    if (r != 0) {
        unlink(tmp); /* the old target stays as it was */
        return r;
    }
    print_result(x, target, &s, by_id);
    return 0;
}
