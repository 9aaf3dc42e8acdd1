/* SPDX-License-Identifier: MIT */
/*
 * lwip_upload.c - the full upload flow over TLS through lwIP, against the
 * local emulator running in the test's network namespace.
 *
 * The client has two keep-alive slots, each port/mbedtls over port/lwip
 * (with a byte counter between the two, to report what crossed lwIP), a
 * 4 KiB I/O buffer and the host's monotonic clock. Its poll loop sleeps
 * between fc_poll() calls as fc_client_wait() says: lwIP's own threads
 * (tcpip: timers and input; tapif: frames) run meanwhile.
 *
 *  1. single PUT: upload, wait for a clean scan, mint a public link
 *  2. admin PATCH multipart_threshold/part_size, then the same multipart
 *  3. each link fetched back through lwIP, compared byte for byte
 *  4. admin: stored size and SHA-256 equal the source's, and
 *     leaked_key_count is 0 (the API key never reached storage or links)
 *
 * The admin API (plain HTTP on the namespace's 127.0.0.1) is spoken with
 * a blocking kernel socket: test set-up stays out of the code under test.
 * Every loop is bounded by a deadline.
 */
#include "lwip_test_body.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_lwip.h"
#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_sha256.h"
#include "fluidcloud/fc_upload.h"
#include "fc_test_pattern.h"
#include "lwip_tap_stack.h"

#define IO_SIZE         4096u
#define OP_LIMIT_MS     120000u /* any one operation (upload incl. scan) */
#define SINGLE_SIZE     300000u
#define MULTI_SIZE      350000u
#define MULTI_THRESHOLD 65536u
#define MULTI_PART      65536u /* 350000 bytes -> 6 parts */

/* ---- the admin API over a kernel socket ---------------------------------- */

static const char *g_admin; /* "http://127.0.0.1:PORT" */

static int admin(const char *method, const char *path, const char *json, char *resp, size_t cap)
{
    static char buf[256 * 1024];
    char head[384];
    struct sockaddr_in sa;
    struct timeval tv = {10, 0};
    const char *hp = g_admin + 7;
    const char *colon = strrchr(hp, ':');
    char ip[32];
    size_t len = 0;
    int status = -1;
    int fd;
    char *body;
    buf[0] = '\0';
    if (strncmp(g_admin, "http://", 7) != 0 || colon == NULL || (size_t)(colon - hp) >= sizeof ip) {
        fprintf(stderr, "bad admin base %s\n", g_admin);
        return -1;
    }
    memcpy(ip, hp, (size_t)(colon - hp));
    ip[colon - hp] = '\0';
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1 || (fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    snprintf(head, sizeof head,
             "%s %s HTTP/1.0\r\nHost: admin\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
             method, path, json ? strlen(json) : (size_t)0, json ? json : "");
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        send(fd, head, strlen(head), 0) == (ssize_t)strlen(head)) {
        ssize_t k;
        while (len < sizeof buf - 1 && (k = recv(fd, buf + len, sizeof buf - 1 - len, 0)) > 0) {
            len += (size_t)k;
        }
        buf[len] = '\0';
        if (sscanf(buf, "HTTP/%*s %d", &status) != 1) {
            status = -1;
        }
    }
    close(fd);
    body = strstr(buf, "\r\n\r\n");
    if (resp != NULL && cap > 0) {
        snprintf(resp, cap, "%s", body ? body + 4 : "");
    }
    return status;
}

/* A member's value in a flat JSON answer (first match): string or number. */
static int json_member(const char *json, const char *name, char *out, size_t cap)
{
    char key[64];
    const char *p;
    size_t n;
    snprintf(key, sizeof key, "\"%s\":", name);
    p = strstr(json, key);
    if (p == NULL) {
        return -1;
    }
    p += strlen(key);
    while (*p == ' ') {
        p++;
    }
    if (*p == '"') {
        p++;
        n = strcspn(p, "\"");
    } else {
        n = strcspn(p, ",} \r\n");
    }
    if (n >= cap) {
        return -1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* ---- a byte counter between TLS and lwIP --------------------------------- */

typedef struct counter {
    fc_transport inner;
    uint64_t sent;
    uint64_t received;
    unsigned connects;
} counter;

static fc_err cnt_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    counter *c = (counter *)ctx;
    c->connects++;
    return c->inner.ops->connect(c->inner.ctx, host, port, use_tls);
}

static fc_err cnt_connect_poll(void *ctx)
{
    counter *c = (counter *)ctx;
    return c->inner.ops->connect_poll(c->inner.ctx);
}

static fc_err cnt_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    counter *c = (counter *)ctx;
    fc_err r = c->inner.ops->send(c->inner.ctx, data, len, sent);
    if (r == FC_OK) {
        c->sent += *sent;
    }
    return r;
}

static fc_err cnt_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    counter *c = (counter *)ctx;
    fc_err r = c->inner.ops->recv(c->inner.ctx, buf, cap, got);
    if (r == FC_OK) {
        c->received += *got;
    }
    return r;
}

static void cnt_close(void *ctx)
{
    counter *c = (counter *)ctx;
    c->inner.ops->close(c->inner.ctx);
}

static unsigned cnt_wait_events(void *ctx)
{
    counter *c = (counter *)ctx;
    return c->inner.ops->wait_events(c->inner.ctx);
}

static int cnt_fd(void *ctx)
{
    counter *c = (counter *)ctx;
    return c->inner.ops->pollable_fd(c->inner.ctx);
}

static const fc_transport_ops k_counter_ops = {
    .connect = cnt_connect,
    .connect_poll = cnt_connect_poll,
    .send = cnt_send,
    .recv = cnt_recv,
    .close = cnt_close,
    .wait_events = cnt_wait_events,
    .pollable_fd = cnt_fd,
};

/* ---- the client on lwIP --------------------------------------------------- */

static fc_lwip_conn g_tcp[FC_CONFIG_MAX_CONNECTIONS];
static fc_transport g_tcp_t[FC_CONFIG_MAX_CONNECTIONS];
static counter g_count[FC_CONFIG_MAX_CONNECTIONS];
static fc_transport g_count_t[FC_CONFIG_MAX_CONNECTIONS];
static fc_mbedtls_conn g_tls[FC_CONFIG_MAX_CONNECTIONS];
static fc_transport g_tls_t[FC_CONFIG_MAX_CONNECTIONS];
static fc_mbedtls_config g_tls_cfg;
static fc_json_tok g_tokens[FC_CONFIG_JSON_TOKENS];
static uint8_t g_io[IO_SIZE];
static fc_client g_client;
static const fc_system *g_sys;
static unsigned long g_polls;

static uint32_t now_ms(void)
{
    return g_sys->now_ms(g_sys->ctx);
}

/* Drives the started operation to its end, at most OP_LIMIT_MS: the loop
 * of a firmware's main. Between fc_poll() calls it waits as
 * fc_client_wait() says, through lwip_tap_stack_wait(): with NO_SYS=1 that
 * feeds lwIP the frames and runs its timers (no threads anywhere), with
 * lwIP's threads it naps. */
static fc_err run(fc_err e)
{
    uint32_t start = now_ms();
    while (e == FC_AGAIN) {
        fc_wait w;
        uint32_t elapsed;
        e = fc_poll(&g_client);
        g_polls++;
        if (e != FC_AGAIN) {
            break;
        }
        elapsed = now_ms() - start;
        if (elapsed > OP_LIMIT_MS) {
            fc_client_cancel(&g_client);
            fprintf(stderr, "FAIL: operation still running after %u ms\n", OP_LIMIT_MS);
            return FC_ERR_TIMEOUT;
        }
        fc_client_wait(&g_client, &w);
        if (w.timeout_ms == 0) {
            lwip_tap_stack_poll();
            continue;
        }
        if (w.timeout_ms > OP_LIMIT_MS - elapsed) {
            w.timeout_ms = OP_LIMIT_MS - elapsed + 1;
        }
        lwip_tap_stack_wait(w.timeout_ms, w.events);
    }
    return e;
}

static int client_fail(const char *what, fc_err e)
{
    const fc_error_info *ei = fc_client_error(&g_client);
    fprintf(stderr, "FAIL: %s: %s [step %s] HTTP %d %s %s\n", what, fc_err_str(e), ei->step,
            ei->http_status, ei->code, ei->detail);
    return 1;
}

static int client_up(const lwip_emu *emu)
{
    fc_client_config cfg;
    fc_err e;
    unsigned i;
    if (fc_mbedtls_config_init(&g_tls_cfg) != FC_OK ||
        fc_mbedtls_config_add_ca_file(&g_tls_cfg, emu->ca_file) != FC_OK) {
        fprintf(stderr, "FAIL: TLS configuration with the emulator's CA %s\n", emu->ca_file);
        return 1;
    }
    for (i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        fc_lwip_init(&g_tcp[i], &g_tcp_t[i]);
        memset(&g_count[i], 0, sizeof g_count[i]);
        g_count[i].inner = g_tcp_t[i];
        g_count_t[i].ops = &k_counter_ops;
        g_count_t[i].ctx = &g_count[i];
        fc_mbedtls_conn_init(&g_tls[i], &g_tls_cfg, &g_count_t[i], &g_tls_t[i]);
    }
    fc_client_config_defaults(&cfg);
    cfg.base_url = emu->api_base;
    cfg.api_key = emu->api_key;
    cfg.transports = g_tls_t;
    cfg.transport_count = FC_CONFIG_MAX_CONNECTIONS;
    cfg.system = *g_sys;
    cfg.io_buf = g_io;
    cfg.io_buf_size = sizeof g_io;
    cfg.tokens = g_tokens;
    cfg.token_count = FC_CONFIG_JSON_TOKENS;
    cfg.retry.base_ms = 50;
    cfg.retry.cap_ms = 500;
    e = fc_client_init(&g_client, &cfg);
    if (e != FC_OK) {
        return client_fail("fc_client_init", e);
    }
    return 0;
}

static void client_down(void)
{
    unsigned i;
    fc_client_close(&g_client);
    for (i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        fc_mbedtls_conn_free(&g_tls[i]);
    }
    fc_mbedtls_config_free(&g_tls_cfg);
}

/* ---- download check -------------------------------------------------------- */

typedef struct compare {
    const fc_pattern *src;
    uint64_t at;
    int bad;
} compare;

static fc_err compare_sink(void *ctx, const uint8_t *data, size_t len)
{
    compare *cmp = (compare *)ctx;
    size_t i;
    for (i = 0; i < len; i++) {
        if (cmp->at + i >= cmp->src->size || data[i] != fc_pattern_byte(cmp->src, cmp->at + i)) {
            cmp->bad = 1;
            return FC_ERR_SINK;
        }
    }
    cmp->at += len;
    return FC_OK;
}

/* ---- one case -------------------------------------------------------------- */

static int stored_matches(const char *file_id, const fc_pattern *src, const char *flow_sha)
{
    char path[128];
    char resp[512];
    char size[32];
    char sha[80];
    char want[65];
    int st;
    snprintf(path, sizeof path, "/admin/objects/%s", file_id);
    st = admin("GET", path, NULL, resp, sizeof resp);
    if (st != 200 || json_member(resp, "size", size, sizeof size) != 0 ||
        json_member(resp, "sha256", sha, sizeof sha) != 0) {
        fprintf(stderr, "FAIL: admin object %s: HTTP %d %.200s\n", file_id, st, resp);
        return 1;
    }
    fc_pattern_sha(src, want);
    printf("   stored: %s bytes, sha256 %.16s... (source %.16s..., flow %.16s...)\n", size, sha,
           want, flow_sha);
    if (strtoull(size, NULL, 10) != src->size || strcmp(sha, want) != 0 ||
        strcmp(flow_sha, want) != 0) {
        fprintf(stderr, "FAIL: stored object differs from the source\n");
        return 1;
    }
    return 0;
}

static int upload_case(const char *label, uint32_t seed, uint64_t size, int want_multipart,
                       const char *raw_base)
{
    static fc_upload up;
    static fc_file file;
    static char etag_mem[64][FC_CONFIG_ETAG_MAX];
    static fc_etag_array etags;
    static fc_pattern src;
    static char name[48];
    static char key[64];
    static compare cmp;
    fc_download dl;
    uint32_t t0;
    uint32_t t_up;
    uint32_t t_down;
    fc_err e;
    memset(&up, 0, sizeof up);
    memset(&src, 0, sizeof src);
    src.seed = seed;
    src.size = size;
    src.piece = 1000; /* a camera hands out small pieces */
    snprintf(name, sizeof name, "lwip-%s-%u.bin", label, (unsigned)seed);
    snprintf(key, sizeof key, "lwip/%s/%u", label, (unsigned)seed);
    up.params.name = name;
    up.params.size = size;
    up.params.content_type = "application/octet-stream";
    up.params.client_key = key;
    up.params.source = fc_pattern_source(&src);
    up.params.wait_clean = 1;
    up.params.scan_timeout_ms = 30000;
    up.params.share = FC_SHARE_PUBLIC;
    up.params.file_out = &file;
    fc_etag_array_init(&etags, etag_mem, 64);
    up.params.etags = &etags.store;

    t0 = now_ms();
    e = run(fc_files_upload(&g_client, &up));
    t_up = now_ms() - t0;
    if (e != FC_OK) {
        return client_fail(label, e);
    }
    printf("%s upload: %llu bytes, %s (%u part%s), scan %s, %u ms; link %s\n", label,
           (unsigned long long)size, up.progress.multipart ? "multipart" : "single PUT",
           (unsigned)(up.progress.multipart ? up.progress.part_count : 1u),
           up.progress.multipart && up.progress.part_count != 1 ? "s" : "", up.scan.raw,
           (unsigned)t_up, up.link);
    if (up.progress.multipart != want_multipart) {
        fprintf(stderr, "FAIL: expected %s\n", want_multipart ? "multipart" : "a single PUT");
        return 1;
    }
    if (up.scan.value != FC_SCAN_CLEAN) {
        fprintf(stderr, "FAIL: scan status %s\n", up.scan.raw);
        return 1;
    }
    if (strncmp(up.link, raw_base, strlen(raw_base)) != 0) {
        fprintf(stderr, "FAIL: link %s is not on %s\n", up.link, raw_base);
        return 1;
    }

    memset(&dl, 0, sizeof dl);
    memset(&cmp, 0, sizeof cmp);
    cmp.src = &src;
    dl.url = up.link;
    dl.sink = compare_sink;
    dl.sink_ctx = &cmp;
    t0 = now_ms();
    e = run(fc_download_start(&g_client, &dl));
    t_down = now_ms() - t0;
    if (e != FC_OK || cmp.bad || cmp.at != size) {
        fprintf(stderr, "FAIL: download: %s, %llu of %llu bytes, %s\n", fc_err_str(e),
                (unsigned long long)cmp.at, (unsigned long long)size,
                cmp.bad ? "MISMATCH" : "no mismatch");
        return 1;
    }
    printf("%s download through the link: %llu bytes identical, %u ms\n", label,
           (unsigned long long)cmp.at, (unsigned)t_down);
    return stored_matches(up.progress.file_id, &src, file.sha256);
}

int lwip_upload_flow(const fc_system *sys, const lwip_emu *emu)
{
    char resp[256];
    char leaked[32];
    int failed = 0;
    unsigned i;
    uint64_t sent = 0;
    uint64_t received = 0;
    unsigned connects = 0;
    uint32_t t0;
    unsigned long wakeups0;
    int st;
    g_sys = sys;
    g_admin = emu->admin_base;
    /* Single PUT first: a threshold above the test's sizes. */
    st = admin("PATCH", "/admin/config",
               "{\"multipart_threshold\":104857600,\"scan_delay_ms\":200}", resp, sizeof resp);
    if (st != 200) {
        fprintf(stderr, "FAIL: admin config: HTTP %d %s\n", st, resp);
        return 1;
    }
    if (client_up(emu) != 0) {
        return 1;
    }
    t0 = now_ms();
    wakeups0 = lwip_tap_stack_wakeups();
    failed += upload_case("single", 101, SINGLE_SIZE, 0, emu->raw_base);
    if (!failed) {
        char cfg[96];
        snprintf(cfg, sizeof cfg, "{\"multipart_threshold\":%u,\"part_size\":%u}", MULTI_THRESHOLD,
                 MULTI_PART);
        st = admin("PATCH", "/admin/config", cfg, resp, sizeof resp);
        if (st != 200) {
            fprintf(stderr, "FAIL: admin config: HTTP %d %s\n", st, resp);
            failed++;
        } else {
            failed += upload_case("multipart", 102, MULTI_SIZE, 1, emu->raw_base);
        }
    }
    client_down();
    for (i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        sent += g_count[i].sent;
        received += g_count[i].received;
        connects += g_count[i].connects;
    }
    printf(
        "upload flow over lwIP: %u ms, %u TCP connects, %llu bytes sent and %llu received "
        "through lwIP (TLS records), %lu fc_poll calls, %lu wake-ups (%s)\n",
        (unsigned)(now_ms() - t0), connects, (unsigned long long)sent, (unsigned long long)received,
        g_polls, lwip_tap_stack_wakeups() - wakeups0,
        lwip_tap_stack_nosys() ? "NO_SYS=1 super-loop" : "lwIP threads");
    st = admin("GET", "/admin/state", NULL, resp, sizeof resp);
    if (st != 200 || json_member(resp, "leaked_key_count", leaked, sizeof leaked) != 0) {
        fprintf(stderr, "FAIL: admin state: HTTP %d %.100s\n", st, resp);
        return failed + 1;
    }
    printf("leaked_key_count: %s\n", leaked);
    if (strcmp(leaked, "0") != 0) {
        fprintf(stderr, "FAIL: the API key reached a storage or link host\n");
        failed++;
    }
    /* Put the emulator's defaults back for whoever runs next. */
    (void)admin("PATCH", "/admin/config",
                "{\"multipart_threshold\":104857600,\"part_size\":16777216}", NULL, 0);
    return failed;
}
