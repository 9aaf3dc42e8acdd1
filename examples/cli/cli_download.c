/* SPDX-License-Identifier: MIT */
/*
 * cli_download.c - `fluidcloud download URL|FILE_ID [-o FILE|-]`.
 *
 * The bytes go to a temporary file beside the target (same directory, so
 * the final rename is atomic) and replace the target only when the
 * download ended well: a failure or ^C leaves an existing file exactly as it
 * was. A FILE_ID is resolved to its presigned download URL, and the bytes
 * are checked against the file's size and SHA-256 before the rename.
 * Without -o the name comes from the server, like curl -OJ: the file's name
 * (FILE_ID), or the answer's Content-Disposition, else the URL's last path
 * segment (a link); never a path, never a hidden file, and never over an
 * existing file. A link's name is only known once the answer's head arrived,
 * so its bytes start in a temporary file in the current directory and the
 * name is settled before the first byte is written.
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
static char g_disposition[FC_NAME_MAX]; /* the answer's Content-Disposition name */

typedef struct sink {
    cli *x;
    FILE *out;
    const fc_download *dl;
    const char *tmp; /* the temporary file, for messages */
    char *target;    /* "" until named (a link without -o) */
    size_t target_cap;
    fc_sha256 hash;
    uint64_t bytes;
    uint64_t total; /* expected, 0 = unknown */
    int failed;     /* the sink's own failure: its exit code, told */
} sink;

static int name_target(sink *s);

static fc_err write_sink(void *ctx, const uint8_t *data, size_t len)
{
    sink *s = ctx;
    if (s->target != NULL && s->target[0] == '\0' && (s->failed = name_target(s)) != 0) {
        return FC_ERR_SINK;
    }
    if (fwrite(data, 1, len, s->out) != len) {
        s->failed = cli_fail(s->x, CLI_EXIT_FAILED, "write_failed", "cannot write %s: %s", s->tmp,
                             strerror(errno));
        return FC_ERR_SINK;
    }
    fc_sha256_update(&s->hash, data, len);
    s->bytes += len;
    if (s->total == 0) {
        s->total = s->dl->total; /* the object's size, from the answer's head */
    }
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

/* A name from the server must not replace anything (curl -OJ does not). */
static int refuse_existing(cli *x, const char *name)
{
    if (access(name, F_OK) == 0) {
        return cli_fail(x, CLI_EXIT_FAILED, "exists", "%s exists already: pass -o %s to replace it",
                        name, name);
    }
    return 0;
}

/* The target known before the download: -o FILE, or a FILE_ID's name.
 * Stays "" for a link without -o (named by name_target from its answer). */
static int pick_target(cli *x, int by_id, char *name, size_t cap)
{
    name[0] = '\0';
    if (x->o.output != NULL) {
        snprintf(name, cap, "%s", x->o.output);
        return 0;
    }
    if (!by_id) {
        return 0;
    }
    if (cli_safe_name(g_file.name, name, cap)[0] == '\0') {
        return cli_fail(x, CLI_EXIT_USAGE, "usage",
                        "file %s has no name to save it under: pass -o FILE", g_file.id);
    }
    return refuse_existing(x, name);
}

/* A link without -o: the answer's Content-Disposition name, else the URL's
 * last path segment. 0 or the exit code (told). */
static int name_target(sink *s)
{
    const char *url = s->dl->url;
    if (cli_safe_name(g_disposition, s->target, s->target_cap)[0] == '\0' &&
        cli_name_from_url(url, s->target, s->target_cap)[0] == '\0') {
        return cli_fail(s->x, CLI_EXIT_USAGE, "usage",
                        "cannot tell a file name from the answer or the URL: pass -o FILE");
    }
    cli_verbose(s->x, "saving as %s (from the %s)", s->target,
                g_disposition[0] != '\0' ? "answer's Content-Disposition" : "URL");
    return refuse_existing(s->x, s->target);
}

/* A temporary file in the target's directory: ".NAME.XXXXXX.part"-like. */
static FILE *open_temp(const char *target, char *tmp, size_t cap)
{
    const char *slash = strrchr(target, '/');
    int dir_len = slash != NULL ? (int)(slash - target + 1) : 0;
    int fd;
    FILE *f;
    snprintf(tmp, cap, "%.*s.%s.part-XXXXXX", dir_len, target, slash != NULL ? slash + 1 : target);
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

/* The finished temporary file becomes the target. A name the server gave
 * must still not replace a file that appeared meanwhile: link() refuses an
 * existing name atomically (rename would not); where the file system has
 * no hard links, the check made at naming time has to do. */
static int put_in_place(cli *x, const char *tmp, const char *target)
{
    if (x->o.output == NULL) {
        if (link(tmp, target) == 0) {
            unlink(tmp);
            return 0;
        }
        if (errno == EEXIST) {
            return refuse_existing(x, target);
        }
    }
    if (rename(tmp, target) != 0) {
        return cli_fail(x, CLI_EXIT_FAILED, "write_failed", "cannot rename %s to %s: %s", tmp,
                        target, strerror(errno));
    }
    return 0;
}

static int fetch(cli *x, const char *url, sink *s)
{
    static fc_download dl;
    fc_err e;
    memset(&dl, 0, sizeof dl);
    dl.url = url;
    dl.sink = write_sink;
    dl.sink_ctx = s;
    dl.filename = g_disposition;
    dl.filename_cap = sizeof g_disposition;
    s->dl = &dl;
    x->peer_url = url;
    cli_progress_phase(CLI_PH_DOWNLOADING);
    e = cli_wait(x, fc_download_start(cli_client(x), &dl));
    if (e == FC_OK && s->target != NULL && s->target[0] == '\0') {
        s->failed = name_target(s); /* an empty body: no sink call named it */
    }
    if (s->failed != 0) {
        return s->failed; /* the sink's own failure, told already */
    }
    return e == FC_OK ? 0 : cli_report(x, e);
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
    s.x = x;
    fc_sha256_init(&s.hash);
    s.total = by_id && g_file.size > 0 ? (uint64_t)g_file.size : 0;
    if (to_stdout) {
        s.out = stdout;
        s.tmp = "standard output";
        r = fetch(x, url, &s);
        cli_progress_done();
        return r != 0 ? r : check_bytes(x, &s, by_id);
    }
    if ((r = pick_target(x, by_id, target, sizeof target)) != 0) {
        return r;
    }
    /* Unnamed yet (a link without -o): the temporary file goes in the
     * current directory, where the named file will be. */
    s.out = open_temp(target[0] != '\0' ? target : "download", tmp, sizeof tmp);
    if (s.out == NULL) {
        return cli_fail(x, CLI_EXIT_FAILED, "write_failed", "cannot create a file beside %s: %s",
                        target[0] != '\0' ? target : "the current directory", strerror(errno));
    }
    s.tmp = tmp;
    s.target = target;
    s.target_cap = sizeof target;
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
    if (r == 0) {
        r = put_in_place(x, tmp, target);
    }
    if (r != 0) {
        unlink(tmp); /* the old target stays as it was */
        return r;
    }
    print_result(x, target, &s, by_id);
    return 0;
}
