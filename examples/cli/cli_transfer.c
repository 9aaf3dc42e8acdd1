/*
 * cli_transfer.c - `fluidcloud upload` and `fluidcloud download`.
 *
 * upload streams the file through the library's upload flow (initiate,
 * PUT, complete, wait for a clean scan, optional link); standard input is
 * spooled to a temporary file first, since the API wants the size up front.
 * download writes a raw link or presigned URL to a file, resuming with
 * Range when the connection breaks.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fluidcloud/fc_upload.h"

static fc_upload g_up;

/* ---- the file as an fc_source ------------------------------------------- */

static fc_err file_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    FILE *f = ctx;
    *got = fread(buf, 1, cap, f);
    return ferror(f) ? FC_ERR_SOURCE : FC_OK;
}

static fc_err file_seek(void *ctx, uint64_t offset)
{
    return fseeko((FILE *)ctx, (off_t)offset, SEEK_SET) == 0 ? FC_OK : FC_ERR_SOURCE;
}

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

static const char *guess_type(const char *name)
{
    static const char *const k_types[][2] = {
        {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
        {".gif", "image/gif"},  {".webp", "image/webp"}, {".txt", "text/plain"},
        {".csv", "text/csv"},   {".json", "application/json"}, {".pdf", "application/pdf"},
        {".mp4", "video/mp4"},
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

/* ---- progress bar (only when stdout is a terminal) --------------------- */

static void show_progress(void *ctx, uint64_t sent, uint64_t total)
{
    static int last = -1;
    int pct = total ? (int)(sent * 100u / total) : 100;
    int i;
    (void)ctx;
    if (pct == last) {
        return;
    }
    last = pct;
    fputs("\r[", stderr);
    for (i = 0; i < 40; i++) {
        fputc(i < pct * 40 / 100 ? '#' : ' ', stderr);
    }
    fprintf(stderr, "] %3d%% %llu/%llu bytes", pct, (unsigned long long)sent,
            (unsigned long long)total);
    if (sent == total) {
        fputs("\n", stderr);
    }
}

static FILE *open_source(const char *path, uint64_t *size)
{
    FILE *f = strcmp(path, "-") == 0 ? spool_stdin() : fopen(path, "rb");
    off_t end;
    if (f == NULL || fseeko(f, 0, SEEK_END) != 0 || (end = ftello(f)) < 0 ||
        fseeko(f, 0, SEEK_SET) != 0) {
        if (f != NULL) {
            fclose(f);
        }
        return NULL;
    }
    *size = (uint64_t)end;
    return f;
}

static int check_share_options(const cli *x)
{
    if (x->o.public_link && x->o.expires > 0) {
        fprintf(stderr, "fluidcloud: --public and --expires exclude each other\n");
        return CLI_USAGE;
    }
    if (x->o.expires < 0 || x->o.expires > 365) {
        fprintf(stderr, "fluidcloud: --expires wants 1..365 days\n");
        return CLI_USAGE;
    }
    return 0;
}

static void set_share(const cli *x, fc_upload_params *p)
{
    if (x->o.public_link) {
        p->share = FC_SHARE_PUBLIC;
    } else if (x->o.expires > 0) {
        p->share = FC_SHARE_EXPIRING;
        p->expires_in_days = (int32_t)x->o.expires;
        p->permission = x->o.view ? "view" : "download";
    }
}

int cli_upload(cli *x)
{
    const char *path = x->argv[0];
    const char *base = strrchr(path, '/');
    fc_upload_params *p = &g_up.params;
    FILE *f;
    int r = check_share_options(x);
    if (r != 0) {
        return r;
    }
    memset(&g_up, 0, sizeof g_up);
    f = open_source(path, &p->size);
    if (f == NULL) {
        perror(path);
        return CLI_FAILED;
    }
    p->name = x->o.name ? x->o.name
                        : strcmp(path, "-") == 0 ? "stdin" : (base ? base + 1 : path);
    p->content_type = x->o.content_type ? x->o.content_type : guess_type(p->name);
    p->space_id = x->o.space;
    p->folder_id = x->o.folder;
    p->client_key = x->o.client_key;
    p->source.read = file_read;
    p->source.rewind = file_seek;
    p->source.ctx = f;
    p->wait_clean = 1;
    p->on_progress = isatty(STDOUT_FILENO) && !x->json ? show_progress : NULL;
    set_share(x, p);
    r = cli_finish(x, fc_files_upload(&x->host.client, &g_up));
    fclose(f);
    if (r == 0) {
        cli_print_upload(x, &g_up.file, p->share == FC_SHARE_PUBLIC ? "public_url" : "url",
                         g_up.share.url);
    }
    return r;
}

static fc_err write_sink(void *ctx, const uint8_t *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)ctx) == len ? FC_OK : FC_ERR_SINK;
}

int cli_download(cli *x)
{
    fc_download dl;
    FILE *out;
    int r;
    if (x->o.output == NULL) {
        fprintf(stderr, "usage: fluidcloud download URL -o FILE\n");
        return CLI_USAGE;
    }
    out = strcmp(x->o.output, "-") == 0 ? stdout : fopen(x->o.output, "wb");
    if (out == NULL) {
        perror(x->o.output);
        return CLI_FAILED;
    }
    memset(&dl, 0, sizeof dl);
    dl.url = x->argv[0];
    dl.sink = write_sink;
    dl.sink_ctx = out;
    r = cli_finish(x, fc_download_start(&x->host.client, &dl));
    if (out != stdout && fclose(out) != 0) {
        r = CLI_FAILED;
    }
    if (r == 0 && out != stdout) {
        if (x->json) {
            printf("{\"bytes\": %llu}\n", (unsigned long long)dl.offset);
        } else {
            printf("%llu bytes written to %s\n", (unsigned long long)dl.offset, x->o.output);
        }
    }
    return r;
}
