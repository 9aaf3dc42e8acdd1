/* SPDX-License-Identifier: MIT */
/*
 * cli_session.c - the CLI's TLS session cache, so that a run of the tool
 * resumes the TLS sessions of the run before it instead of paying two full
 * handshakes (API host and storage host) every time.
 *
 * One file, $XDG_CACHE_HOME/fluidcloud/tls-sessions (default ~/.cache/...),
 * mode 0600 in a 0700 directory: a blob holds the session's master secret.
 * It is read once when the client is set up and written back (atomically,
 * temporary file + rename) when the run ends, if a handshake gave a new
 * session. The port's session store (fc_mbedtls.h) asks for and hands over
 * the blobs from inside fc_poll(), so load/save only touch memory.
 *
 * A resumed session skips the certificate check: it was checked when the
 * session was made. So a session is only offered under the trust it was
 * checked with: the file starts with the SHA-256 of the CA file's bytes,
 * and a cache made under other CAs is not used (the handshakes are full,
 * and verify against the CAs given now).
 *
 * File layout: "FCTLSC02", the CA file's SHA-256 (32 bytes), then records of
 * host length (1 byte), host, port (2 bytes, big-endian), blob length (2
 * bytes, big-endian), blob. A file that does not parse is ignored.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fluidcloud/fc_sha256.h"

#define CLI_SESSIONS 8
#define CLI_MAGIC    "FCTLSC02"
#define CLI_HEAD     (sizeof CLI_MAGIC - 1 + 32)

typedef struct cli_session {
    char host[FC_CONFIG_HOST_MAX + 1];
    uint16_t port;
    uint16_t len; /* 0: free */
    uint8_t blob[FC_MBEDTLS_SESSION_MAX];
} cli_session;

static struct {
    cli_session slot[CLI_SESSIONS];
    int dirty;
    char path[512];
    uint8_t trust[32]; /* SHA-256 of the CA file */
    uint8_t scratch[FC_MBEDTLS_SESSION_MAX];
    uint8_t file[CLI_HEAD + CLI_SESSIONS * (1 + FC_CONFIG_HOST_MAX + 4 + FC_MBEDTLS_SESSION_MAX)];
} g_cache;

static cli_session *find(const char *host, uint16_t port)
{
    unsigned i;
    for (i = 0; i < CLI_SESSIONS; i++) {
        cli_session *s = &g_cache.slot[i];
        if (s->len != 0 && s->port == port && strcmp(s->host, host) == 0) {
            return s;
        }
    }
    return NULL;
}

static size_t store_load(void *ctx, const char *host, uint16_t port, uint8_t *buf, size_t cap)
{
    cli_session *s = find(host, port);
    (void)ctx;
    if (s == NULL || s->len > cap) {
        return 0;
    }
    memcpy(buf, s->blob, s->len);
    return s->len;
}

static void store_save(void *ctx, const char *host, uint16_t port, const uint8_t *blob, size_t len)
{
    cli_session *s = find(host, port);
    unsigned i;
    (void)ctx;
    if (len == 0 || len > sizeof s->blob || strlen(host) > FC_CONFIG_HOST_MAX) {
        return;
    }
    for (i = 0; s == NULL && i < CLI_SESSIONS; i++) {
        if (g_cache.slot[i].len == 0) {
            s = &g_cache.slot[i];
        }
    }
    if (s == NULL) {
        s = &g_cache.slot[0]; /* full: the oldest entry goes */
    }
    snprintf(s->host, sizeof s->host, "%s", host);
    s->port = port;
    s->len = (uint16_t)len;
    memcpy(s->blob, blob, len);
    g_cache.dirty = 1;
}

static int cache_dir(char *dir, size_t cap)
{
    return cli_xdg_path("XDG_CACHE_HOME", ".cache", NULL, dir, cap);
}

/* Records from the file's bytes; stops at the first malformed one. */
static void parse(const uint8_t *p, size_t n)
{
    size_t at = CLI_HEAD;
    unsigned i;
    if (n < at || memcmp(p, CLI_MAGIC, sizeof CLI_MAGIC - 1) != 0 ||
        memcmp(p + sizeof CLI_MAGIC - 1, g_cache.trust, 32) != 0) {
        return; /* another format, or sessions checked under other CAs */
    }
    for (i = 0; i < CLI_SESSIONS && at < n; i++) {
        cli_session *s = &g_cache.slot[i];
        size_t hl = p[at];
        size_t bl;
        if (hl == 0 || hl > FC_CONFIG_HOST_MAX || at + 1 + hl + 4 > n ||
            memchr(p + at + 1, '\0', hl) != NULL) {
            return;
        }
        memcpy(s->host, p + at + 1, hl);
        s->host[hl] = '\0';
        at += 1 + hl;
        s->port = (uint16_t)((p[at] << 8) | p[at + 1]);
        bl = (size_t)((p[at + 2] << 8) | p[at + 3]);
        at += 4;
        if (bl == 0 || bl > sizeof s->blob || at + bl > n) {
            s->len = 0;
            return;
        }
        memcpy(s->blob, p + at, bl);
        s->len = (uint16_t)bl;
        at += bl;
    }
}

/* The SHA-256 of the CA file's bytes: -1 when it cannot be read. */
static int trust_digest(const char *ca_file, uint8_t digest[32])
{
    uint8_t chunk[8192];
    size_t n;
    fc_sha256 h;
    FILE *f = fopen(ca_file, "rb");
    if (f == NULL) {
        return -1;
    }
    fc_sha256_init(&h);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        fc_sha256_update(&h, chunk, n);
    }
    n = (size_t)ferror(f);
    fclose(f);
    fc_sha256_final(&h, digest);
    return n == 0 ? 0 : -1;
}

void cli_session_cache_attach(cli *x)
{
    char dir[480];
    fc_mbedtls_session_store store;
    FILE *f;
    struct stat st;
    memset(&g_cache, 0, sizeof g_cache);
    if (cache_dir(dir, sizeof dir) != 0 || trust_digest(x->set.ca_file, g_cache.trust) != 0) {
        return; /* no cache: every handshake full */
    }
    snprintf(g_cache.path, sizeof g_cache.path, "%s/tls-sessions", dir);
    f = fopen(g_cache.path, "rb");
    if (f != NULL) {
        /* Another user's readable cache is no cache of ours. */
        if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) == 0 && st.st_uid == getuid()) {
            parse(g_cache.file, fread(g_cache.file, 1, sizeof g_cache.file, f));
        } else {
            cli_verbose(x, "TLS session cache %s ignored: not private", g_cache.path);
        }
        fclose(f);
    }
    memset(&store, 0, sizeof store);
    store.save = store_save;
    store.load = store_load;
    store.scratch = g_cache.scratch;
    store.scratch_cap = sizeof g_cache.scratch;
    fc_mbedtls_config_set_session_store(&x->host.tls, &store);
}

static size_t serialise(void)
{
    size_t at = CLI_HEAD;
    unsigned i;
    memcpy(g_cache.file, CLI_MAGIC, sizeof CLI_MAGIC - 1);
    memcpy(g_cache.file + sizeof CLI_MAGIC - 1, g_cache.trust, 32);
    for (i = 0; i < CLI_SESSIONS; i++) {
        const cli_session *s = &g_cache.slot[i];
        size_t hl = strlen(s->host);
        if (s->len == 0) {
            continue;
        }
        g_cache.file[at++] = (uint8_t)hl;
        memcpy(g_cache.file + at, s->host, hl);
        at += hl;
        g_cache.file[at++] = (uint8_t)(s->port >> 8);
        g_cache.file[at++] = (uint8_t)s->port;
        g_cache.file[at++] = (uint8_t)(s->len >> 8);
        g_cache.file[at++] = (uint8_t)s->len;
        memcpy(g_cache.file + at, s->blob, s->len);
        at += s->len;
    }
    return at;
}

void cli_session_cache_write(cli *x)
{
    char dir[480];
    char tmp[600];
    size_t n;
    int fd;
    int ok;
    if (!g_cache.dirty || cache_dir(dir, sizeof dir) != 0) {
        return;
    }
    g_cache.dirty = 0;
    if (cli_private_dirs(dir) != 0) {
        cli_verbose(x, "TLS session cache not saved: cannot create %s: %s", dir, strerror(errno));
        return;
    }
    n = serialise();
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", g_cache.path);
    fd = mkstemp(tmp); /* 0600 */
    if (fd < 0) {
        cli_verbose(x, "TLS session cache not saved: %s", strerror(errno));
        return;
    }
    ok = write(fd, g_cache.file, n) == (ssize_t)n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, g_cache.path) != 0) {
        cli_verbose(x, "TLS session cache not saved: %s", strerror(errno));
        unlink(tmp);
        return;
    }
    cli_verbose(x, "TLS sessions saved in %s", g_cache.path);
}
