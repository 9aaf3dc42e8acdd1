/* SPDX-License-Identifier: MIT */
/*
 * chaos_upload - one full upload for the chaos runner (chaos.py), over TLS
 * to the emulator named by FLUIDCLOUD_BASE_URL / _API_KEY / _CA_FILE.
 *
 *   chaos_upload SIZE SEED FLAGS
 *
 * SIZE bytes of a reproducible pattern (byte i = ((i * 131 + SEED) ^
 * (i >> 8)) & 0xFF, which chaos.py computes too), streamed from a source
 * that can rewind unless FLAGS has 'n'. FLAGS: 'w' wait for the clean
 * scan, 'p' a permanent public link, 'e' an expiring one.
 *
 * Short deadlines (connect/TLS 3 s, first byte 4 s, idle 2 s, the whole
 * upload 30 s - growing with the bytes moved by the library's default
 * rate - and scan 15 s, backoff cap 1 s, Retry-After cap 10 s) keep a
 * stalled run short; the runner (chaos.py, DRIVER_*) computes the upper
 * bound they document for each run and calls anything beyond it a hang. Prints one JSON line: the result, the error details, the file
 * id, the link and the source's SHA-256. Exit 0 on FC_OK, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluidcloud/fc_host.h"
#include "fluidcloud/fc_sha256.h"
#include "fluidcloud/fc_upload.h"

typedef struct pattern {
    uint64_t size;
    uint64_t pos;
    unsigned seed;
} pattern;

static uint8_t pattern_byte(const pattern *p, uint64_t i)
{
    return (uint8_t)((i * 131u + p->seed) ^ (i >> 8));
}

static fc_err pattern_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    pattern *p = ctx;
    size_t n = 0;
    while (n < cap && p->pos < p->size) {
        buf[n++] = pattern_byte(p, p->pos++);
    }
    *got = n;
    return FC_OK;
}

static fc_err pattern_rewind(void *ctx, uint64_t offset)
{
    pattern *p = ctx;
    if (offset > p->size) {
        return FC_ERR_SOURCE;
    }
    p->pos = offset;
    return FC_OK;
}

static void pattern_sha256(const pattern *p, char hex[65])
{
    fc_sha256 h;
    uint8_t buf[4096];
    uint8_t digest[32];
    uint64_t i = 0;
    fc_sha256_init(&h);
    while (i < p->size) {
        size_t n = 0;
        while (n < sizeof buf && i < p->size) {
            buf[n++] = pattern_byte(p, i++);
        }
        fc_sha256_update(&h, buf, n);
    }
    fc_sha256_final(&h, digest);
    fc_sha256_hex(digest, hex);
}

/* A JSON string of s (the values here are ASCII; anything else goes as \u00XX). */
static void print_json_str(const char *key, const char *s)
{
    printf("\"%s\": \"", key);
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch >= 0x7F || ch == '"' || ch == '\\') {
            printf("\\u%04x", ch);
        } else {
            putchar(ch);
        }
    }
    printf("\"");
}

int main(int argc, char **argv)
{
    static uint8_t io[4096];
    static fc_host host;
    static fc_upload up;
    static fc_file file;
    static char etag_mem[64][FC_CONFIG_ETAG_MAX];
    static fc_etag_array etags;
    pattern src;
    char sha[65];
    const char *flags;
    fc_client_config *cfg;
    const fc_error_info *ei;
    const fc_stats *moved;
    fc_err r;
    if (argc != 4) {
        fprintf(stderr, "usage: chaos_upload SIZE SEED FLAGS\n");
        return 2;
    }
    memset(&src, 0, sizeof src);
    src.size = strtoull(argv[1], NULL, 10);
    src.seed = (unsigned)strtoul(argv[2], NULL, 10);
    flags = argv[3];
    r = fc_host_init_env(&host, io, sizeof io);
    if (r != FC_OK) {
        fc_host_print_error(&host, "init", r);
        return 2;
    }
    /* The deadlines are the client's configuration (fc_client_config,
     * copied at init): shorten them for runs that must end in seconds. */
    cfg = &host.client.cfg;
    cfg->timeouts.connect_ms = 3000;
    cfg->timeouts.tls_ms = 3000;
    cfg->timeouts.first_byte_ms = 4000;
    cfg->timeouts.idle_ms = 2000;
    cfg->timeouts.total_ms = 30000;
    cfg->retry.base_ms = 50;
    cfg->retry.cap_ms = 1000;
    cfg->retry.retry_after_max_s = 10;

    up.params.name = "chaos.bin";
    up.params.size = src.size;
    up.params.content_type = "application/octet-stream";
    up.params.source.read = pattern_read;
    up.params.source.seek = strchr(flags, 'n') != NULL ? NULL : pattern_rewind;
    up.params.source.ctx = &src;
    up.params.wait_clean = (uint8_t)(strchr(flags, 'w') != NULL);
    up.params.scan_timeout_ms = 15000;
    up.params.share = strchr(flags, 'p') != NULL   ? FC_SHARE_PUBLIC
                      : strchr(flags, 'e') != NULL ? FC_SHARE_EXPIRING
                                                   : FC_SHARE_NONE;
    up.params.expires_in_days = 3;
    up.params.file_out = &file; /* the record of the last answer about the file */
    fc_etag_array_init(&etags, etag_mem, 64);
    up.params.etags = &etags.store;
    r = fc_files_upload(&host.client, &up);
    if (r == FC_AGAIN) {
        r = fc_host_run(&host);
    }
    ei = fc_client_error(&host.client);
    moved = fc_client_stats(&host.client);
    pattern_sha256(&src, sha);
    printf("{\"result\": \"%s\", ", r == FC_OK ? "ok" : fc_err_str(r));
    print_json_str("step", ei->step);
    printf(", \"http_status\": %d, ", ei->http_status);
    print_json_str("detail", ei->detail);
    printf(", ");
    print_json_str("file_id", up.progress.file_id[0] ? up.progress.file_id : file.id);
    printf(", ");
    print_json_str("result_file_id", file.id);
    printf(", ");
    print_json_str("link", up.link);
    /* The total deadline grows with the bytes moved (retries included):
     * chaos.py judges the run's time against that bound. */
    printf(", \"sha256\": \"%s\", \"size\": %llu, \"bytes_moved\": %llu}\n", sha,
           (unsigned long long)src.size,
           (unsigned long long)(moved->bytes_sent + moved->bytes_received));
    fflush(stdout);
    fc_host_free(&host);
    return r == FC_OK ? 0 : 1;
}
