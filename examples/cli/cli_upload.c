/* SPDX-License-Identifier: MIT */
/*
 * cli_upload.c - `fluidcloud upload`: the library's whole upload flow
 * (fc_files_upload), with the phase shown on the progress line and the
 * saveable fc_upload_progress kept on disk when the upload is interrupted
 * (SIGINT, SIGTERM) or fails, so that `upload FILE --resume` continues at
 * the first part storage did not confirm.
 *
 * The saved state lives in $XDG_STATE_HOME/fluidcloud/uploads/ (default
 * ~/.local/state/...), one 0600 file per local path, named by the SHA-256 of
 * the path. It records the file's size, mtime and inode: a file changed since
 * is uploaded anew, never resumed with stale bytes (the server's SHA-256
 * check at complete would refuse them anyway).
 */
#define _XOPEN_SOURCE 700
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fluidcloud/fc_sha256.h"
#include "fluidcloud/fc_upload.h"

static fc_upload g_up;
static fc_file g_file; /* the whole record, for the report */
static fc_share g_share;

/* ---- the parts' ETags: the upload's store, an array grown to the part
 * count (saved with the progress for --resume) ------------------------------- */

static char (*g_etags)[FC_CONFIG_ETAG_MAX];
static uint32_t g_etag_count;

static fc_err etags_reserve(void *ctx, uint32_t count)
{
    void *grown;
    (void)ctx;
    if (count <= g_etag_count) {
        return FC_OK;
    }
    grown = realloc(g_etags, (size_t)count * sizeof g_etags[0]);
    if (grown == NULL) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    g_etags = grown;
    memset(g_etags[g_etag_count], 0, (size_t)(count - g_etag_count) * sizeof g_etags[0]);
    g_etag_count = count;
    return FC_OK;
}

static fc_err etags_save(void *ctx, uint32_t part, const char *etag)
{
    (void)ctx;
    if (part == 0 || part > g_etag_count || strlen(etag) >= sizeof g_etags[0]) {
        return FC_ERR_INVALID_ARG;
    }
    memcpy(g_etags[part - 1], etag, strlen(etag) + 1);
    return FC_OK;
}

static fc_err etags_load(void *ctx, uint32_t part, char *buf, size_t cap)
{
    (void)ctx;
    if (part == 0 || part > g_etag_count || cap < sizeof g_etags[0]) {
        return FC_ERR_INVALID_ARG;
    }
    memcpy(buf, g_etags[part - 1], sizeof g_etags[0]);
    return FC_OK;
}

static const fc_etag_store g_etag_store = {etags_reserve, etags_save, etags_load, NULL};

/* ---- the bytes ----------------------------------------------------------- */

/* Standard input has no size: copy it to an anonymous temporary file. */
static FILE *spool_stdin(void)
{
    char chunk[16384];
    size_t n;
    FILE *tmp = tmpfile();
    if (tmp == NULL) {
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (fwrite(chunk, 1, n, tmp) != n) {
            fclose(tmp);
            return NULL;
        }
    }
    return ferror(stdin) ? (fclose(tmp), (FILE *)NULL) : tmp;
}

/* The file (or standard input, spooled) as the upload's source. */
static FILE *open_source(const char *path, fc_upload_params *p)
{
    FILE *f = strcmp(path, "-") == 0 ? spool_stdin() : fopen(path, "rb");
    if (f != NULL && fc_host_file_source(f, &p->source, &p->size) != FC_OK) {
        fclose(f);
        return NULL;
    }
    return f;
}

static const char *guess_type(const char *name)
{
    static const char *const k_types[][2] = {
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".png", "image/png"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".txt", "text/plain"},
        {".csv", "text/csv"},
        {".json", "application/json"},
        {".pdf", "application/pdf"},
        {".mp4", "video/mp4"},
        {".bin", "application/octet-stream"},
    };
    const char *dot = strrchr(name, '.');
    size_t i;
    for (i = 0; dot != NULL && i < sizeof k_types / sizeof k_types[0]; i++) {
        if (strcmp(dot, k_types[i][0]) == 0) {
            return k_types[i][1];
        }
    }
    return "application/octet-stream";
}

/* ---- saved progress ---------------------------------------------------------- */

typedef struct cli_resume {
    char magic[8];          /* "FCUPRES2" */
    uint32_t progress_size; /* sizeof(fc_upload_progress) of the writer; the
                                   ETags of progress.part parts follow */
    uint64_t file_size;
    int64_t mtime_s, mtime_ns;
    uint64_t dev, ino;
    char name[FC_NAME_MAX];
    char content_type[FC_MIME_MAX];
    char space[FC_ID_MAX];
    char folder[FC_ID_MAX];
    char client_key[FC_CLIENT_KEY_MAX];
    fc_upload_progress progress;
} cli_resume;

static cli_resume g_saved;
static char g_state_path[PATH_MAX + 64];

static int state_dir(char *dir, size_t cap)
{
    return cli_xdg_path("XDG_STATE_HOME", ".local/state", "uploads", dir, cap);
}

/* The state file of a local path: named by the SHA-256 of its real path. */
static int state_path(const char *path)
{
    char real[PATH_MAX];
    char dir[PATH_MAX];
    uint8_t digest[32];
    char hex[65];
    fc_sha256 h;
    if (realpath(path, real) == NULL || state_dir(dir, sizeof dir) != 0) {
        return -1;
    }
    fc_sha256_init(&h);
    fc_sha256_update(&h, real, strlen(real));
    fc_sha256_final(&h, digest);
    fc_sha256_hex(digest, hex);
    snprintf(g_state_path, sizeof g_state_path, "%s/%.32s.upload", dir, hex);
    return 0;
}

static void describe_file(cli_resume *r, const struct stat *st)
{
    memcpy(r->magic, "FCUPRES2", 8);
    r->progress_size = (uint32_t)sizeof(fc_upload_progress);
    r->file_size = (uint64_t)st->st_size;
    r->mtime_s = (int64_t)st->st_mtim.tv_sec;
    r->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    r->dev = (uint64_t)st->st_dev;
    r->ino = (uint64_t)st->st_ino;
}

/* 1 when a state for this very file (same size, mtime, inode) was loaded. */
static int load_state(const struct stat *st)
{
    cli_resume now;
    FILE *f = fopen(g_state_path, "rb");
    size_t n;
    if (f == NULL) {
        return 0;
    }
    n = fread(&g_saved, 1, sizeof g_saved, f);
    /* The ETags of the parts storage confirmed follow the struct. */
    if (n == sizeof g_saved && g_saved.progress.multipart && g_saved.progress.part > 0 &&
        (g_saved.progress.part > g_saved.progress.part_count ||
         etags_reserve(NULL, g_saved.progress.part_count) != FC_OK ||
         fread(g_etags, sizeof g_etags[0], g_saved.progress.part, f) != g_saved.progress.part)) {
        n = 0;
    }
    fclose(f);
    memset(&now, 0, sizeof now);
    describe_file(&now, st);
    return n == sizeof g_saved && memcmp(g_saved.magic, now.magic, 8) == 0 &&
           g_saved.progress_size == now.progress_size && g_saved.file_size == now.file_size &&
           g_saved.mtime_s == now.mtime_s && g_saved.mtime_ns == now.mtime_ns &&
           g_saved.dev == now.dev && g_saved.ino == now.ino;
}

static int make_state_dirs(void)
{
    char dir[PATH_MAX];
    return state_dir(dir, sizeof dir) == 0 ? cli_private_dirs(dir) : -1;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src != NULL ? src : "");
}

static int save_state(const struct stat *st)
{
    const fc_upload_params *p = &g_up.params;
    char tmp[sizeof g_state_path + 8];
    FILE *f;
    int fd;
    memset(&g_saved, 0, sizeof g_saved);
    describe_file(&g_saved, st);
    copy(g_saved.name, sizeof g_saved.name, p->name);
    copy(g_saved.content_type, sizeof g_saved.content_type, p->content_type);
    copy(g_saved.space, sizeof g_saved.space, p->space_id);
    copy(g_saved.folder, sizeof g_saved.folder, p->folder_id);
    copy(g_saved.client_key, sizeof g_saved.client_key, p->client_key);
    g_saved.progress = g_up.progress;
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", g_state_path);
    if (make_state_dirs() != 0 || (fd = mkstemp(tmp)) < 0) {
        return -1;
    }
    f = fdopen(fd, "wb");
    if (f == NULL) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (fwrite(&g_saved, 1, sizeof g_saved, f) != sizeof g_saved ||
        (g_saved.progress.part > 0 && g_saved.progress.multipart &&
         fwrite(g_etags, sizeof g_etags[0], g_saved.progress.part, f) != g_saved.progress.part) ||
        fflush(f) != 0 || fsync(fd) != 0) {
        fclose(f);
        unlink(tmp);
        return -1;
    }
    if (fclose(f) != 0 || rename(tmp, g_state_path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* ---- the phases, read from the flow's public results -------------------- */

static uint64_t g_sent;

static void on_progress(void *ctx, uint64_t sent, uint64_t total)
{
    (void)ctx;
    g_sent = sent;
    cli_progress_bytes(sent, total);
    cli_progress_phase(CLI_PH_UPLOADING);
}

static void follow_phase(cli *x)
{
    const fc_upload_progress *pg = &g_up.progress;
    x->file_id = pg->file_id;
    x->scan_status = g_up.scan.raw;
    if (pg->completed) {
        if (g_up.scan.value == FC_SCAN_CLEAN && g_up.params.share != FC_SHARE_NONE) {
            cli_progress_phase(CLI_PH_SHARING);
        } else if (g_up.params.wait_clean) {
            cli_progress_phase(CLI_PH_SCAN);
        }
    } else if (g_up.params.size > 0 && g_sent == g_up.params.size) {
        cli_progress_phase(CLI_PH_COMPLETING);
    }
}

/* ---- options ------------------------------------------------------------------ */

static int check_options(cli *x)
{
    if (x->o.public_link && (x->o.given & CLI_OPT(CLI_O_EXPIRES))) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "--public and --expires exclude each other");
    }
    if ((x->o.given & CLI_OPT(CLI_O_EXPIRES)) && (x->o.expires < 1 || x->o.expires > 365)) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "--expires wants 1..365 days, not %ld",
                        x->o.expires);
    }
    if (x->o.view && !(x->o.given & CLI_OPT(CLI_O_EXPIRES))) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "--view goes with --expires DAYS");
    }
    if (x->o.no_wait && (x->o.public_link || (x->o.given & CLI_OPT(CLI_O_EXPIRES)))) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage",
                        "--no-wait cannot make a link: a link needs a clean scan");
    }
    if (x->o.resume && strcmp(x->argv[0], "-") == 0) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "standard input cannot be resumed");
    }
    return 0;
}

static void set_params(cli *x, const char *path, int resumed)
{
    fc_upload_params *p = &g_up.params;
    const char *base = strrchr(path, '/');
    const char *name = strcmp(path, "-") == 0 ? "stdin" : (base ? base + 1 : path);
    /* A resumed upload keeps what it was started with, unless given again. */
    p->name = x->o.name ? x->o.name : resumed ? g_saved.name : name;
    p->content_type = x->o.content_type                    ? x->o.content_type
                      : resumed && g_saved.content_type[0] ? g_saved.content_type
                                                           : guess_type(p->name);
    p->space_id = x->o.space ? x->o.space : resumed && g_saved.space[0] ? g_saved.space : NULL;
    p->folder_id = x->o.folder ? x->o.folder : resumed && g_saved.folder[0] ? g_saved.folder : NULL;
    p->client_key = x->o.client_key                    ? x->o.client_key
                    : resumed && g_saved.client_key[0] ? g_saved.client_key
                                                       : NULL;
    p->wait_clean = !x->o.no_wait;
    p->on_progress = on_progress;
    p->etags = &g_etag_store;
    p->file_out = &g_file;
    p->share_out = &g_share;
    if (x->o.public_link) {
        p->share = FC_SHARE_PUBLIC;
    } else if (x->o.given & CLI_OPT(CLI_O_EXPIRES)) {
        p->share = FC_SHARE_EXPIRING;
        p->expires_in_days = (int32_t)x->o.expires;
        p->permission = x->o.view ? "view" : "download";
    }
}

/* Decide between resuming and a new upload; 1 = resume g_saved. */
static int pick_resume(cli *x, const char *path, const struct stat *st)
{
    int have;
    if (state_path(path) != 0) {
        return 0;
    }
    have = load_state(st);
    if (x->o.resume && have) {
        char a[32], b[32];
        cli_note(x, "resuming the upload of %s at %s of %s", path,
                 cli_size_text(g_saved.progress.offset, x->o.bytes, a, sizeof a),
                 cli_size_text(g_saved.file_size, x->o.bytes, b, sizeof b));
        return 1;
    }
    if (x->o.resume) {
        cli_note(x,
                 access(g_state_path, F_OK) == 0
                     ? "%s changed since its upload was interrupted: starting a new upload"
                     : "no interrupted upload of %s was saved: starting a new upload",
                 path);
    } else if (have) {
        cli_note(x,
                 "an interrupted upload of %s was saved; this starts a new one "
                 "(--resume continues the old one)",
                 path);
    }
    return 0;
}

static void keep_for_resume(cli *x, const char *path, const struct stat *st, fc_err e)
{
    char a[32], b[32];
    if (g_state_path[0] == '\0' || g_up.progress.upload_id[0] == '\0' || e == FC_ERR_SCAN_FAILED) {
        return; /* nothing started, or nothing worth continuing */
    }
    if (save_state(st) != 0) {
        cli_note(x, "could not save the upload's progress in %s: %s", g_state_path,
                 strerror(errno));
        return;
    }
    cli_note(x,
             "progress saved (%s of %s confirmed); continue with: fluidcloud upload %s "
             "--resume",
             cli_size_text(g_up.progress.offset, x->o.bytes, a, sizeof a),
             cli_size_text(g_up.params.size, x->o.bytes, b, sizeof b), path);
}

int cli_upload(cli *x)
{
    const char *path = x->argv[0];
    struct stat st;
    FILE *f;
    fc_err e;
    int resumed;
    int r = check_options(x);
    if (r != 0) {
        return r;
    }
    memset(&g_up, 0, sizeof g_up);
    memset(&st, 0, sizeof st);
    g_state_path[0] = '\0';
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        return cli_fail(x, CLI_EXIT_FAILED, "read_failed",
                        "%s is not a regular file (for a stream, use - and standard input)", path);
    }
    f = open_source(path, &g_up.params);
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        return cli_fail(x, CLI_EXIT_FAILED, "read_failed", "cannot read %s: %s", path,
                        strerror(errno));
    }
    resumed = strcmp(path, "-") != 0 && pick_resume(x, path, &st);
    if (resumed) {
        g_up.progress = g_saved.progress;
    }
    set_params(x, path, resumed);
    x->on_tick = follow_phase;
    cli_progress_phase(resumed && g_up.progress.completed ? CLI_PH_SCAN : CLI_PH_CONNECTING);
    e = cli_wait(x, fc_files_upload(cli_client(x), &g_up));
    x->on_tick = NULL;
    fclose(f);
    if (e != FC_OK) {
        r = cli_report(x, e);
        keep_for_resume(x, path, &st, e);
        return r;
    }
    cli_progress_done();
    if (g_state_path[0] != '\0') {
        (void)unlink(g_state_path); /* done: nothing left to resume */
    }
    cli_print_upload(x, &g_file, g_up.params.share != FC_SHARE_NONE ? &g_share : NULL);
    return 0;
}
