/* SPDX-License-Identifier: MIT */
/*
 * it_tls_session.c - TLS sessions that outlive the connection and the
 * process (issue 14.5), against the HTTPS emulator, whose own handshake
 * counters (GET /admin/tls: OpenSSL's session_reused) confirm what the
 * client claims. Run as: with_emulator.py -- it_tls_session
 *
 * The "new process" is this program again (/proc/self/exe --child ...):
 * nothing but the saved blob crosses over.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fc_emu_admin.h"
#include "fc_tls_stack.h"

static fc_mbedtls_config g_cfg;
static fc_tls_endpoint g_api;
static fc_tls_endpoint g_storage;
static const char *g_key;

/* ---- the emulator's view ---------------------------------------------- */

typedef struct counts {
    long long full;
    long long resumed;
} counts;

/* Handshakes the emulator saw on listener ("api", "storage") since the
 * last reset_counts(). */
static counts server_counts(const char *listener)
{
    char resp[1024];
    char key[32];
    const char *at;
    counts c = {-1, -1};
    assert_int_equal(emu_admin("GET", "/admin/tls", NULL, resp, sizeof resp), 200);
    snprintf(key, sizeof key, "\"%s\"", listener);
    at = strstr(resp, key);
    assert_non_null(at);
    assert_int_equal(emu_json_int(at, "full", &c.full), 0);
    assert_int_equal(emu_json_int(at, "resumed", &c.resumed), 0);
    return c;
}

static void reset_counts(void)
{
    assert_int_equal(emu_admin("DELETE", "/admin/tls", NULL, NULL, 0), 200);
}

static void expect_counts(const char *listener, long long full, long long resumed)
{
    counts c = server_counts(listener);
    if (c.full != full || c.resumed != resumed) {
        fail_msg("%s: server saw %lld full / %lld resumed handshakes, expected %lld / %lld",
                 listener, c.full, c.resumed, full, resumed);
    }
}

/* ---- helpers ------------------------------------------------------------ */

/* Open s to e, make one request (GET /me on the API host, a GET storage
 * answers with an HTTP error elsewhere: only the TLS matters), close;
 * returns 1 when the client resumed. */
static int one_request(fc_tls_stack *s, const fc_tls_endpoint *e)
{
    int resumed;
    assert_int_equal(fc_tls_stack_open(s, e->host, e->port, 1), FC_OK);
    resumed = fc_mbedtls_conn_resumed(&s->tls);
    /* What the engine reads for its wire statistics says the same. */
    assert_int_equal(s->t.ops->handshake_kind(s->t.ctx),
                     resumed ? FC_HANDSHAKE_RESUMED : FC_HANDSHAKE_FULL);
    if (e == &g_api) {
        fc_tls_expect_me_ok(s, e, g_api.path, g_key);
    } else {
        char resp[64];
        fc_tls_send_all(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert_true(fc_tls_recv_some(s, resp, sizeof resp, 9) >= 9);
        assert_memory_equal(resp, "HTTP/1.1 ", 9);
    }
    s->t.ops->close(s->t.ctx);
    return resumed;
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static size_t read_file(const char *path, uint8_t *data, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    assert_non_null(f);
    n = fread(data, 1, cap, f);
    assert_int_equal(fclose(f), 0);
    return n;
}

/* Run this program as a fresh process that loads the blob in path and
 * expects "resumed" or "full"; returns its exit status. */
static int run_child(const char *path, const char *expect)
{
    pid_t pid = fork();
    int status = 0;
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/proc/self/exe", "it_tls_session", "--child", path, expect, (char *)NULL);
        _exit(127);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void blob_path(char *out, size_t cap, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", fc_tls_need_env("FC_EMU_STATE_DIR"), name);
    assert_true(n > 0 && (size_t)n < cap);
}

/* ---- tests --------------------------------------------------------------- */

/* Save after a full handshake; a new process loads it and resumes: the
 * server counts one full and one resumed handshake. */
static void test_saved_session_resumes_in_new_process(void **state)
{
    static fc_tls_stack s;
    static uint8_t blob[FC_MBEDTLS_SESSION_MAX];
    char path[512];
    size_t len = 0;
    (void)state;
    blob_path(path, sizeof path, "session-api.bin");
    reset_counts();
    fc_tls_stack_init(&s, &g_cfg);
    assert_int_equal(one_request(&s, &g_api), 0);
    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, blob, sizeof blob, &len), FC_OK);
    assert_true(len > 0);
    fc_mbedtls_conn_free(&s.tls);
    write_file(path, blob, len);

    assert_int_equal(run_child(path, "resumed"), 0);
    expect_counts("api", 1, 1);
    /* The same blob again: a ticket may be used more than once. */
    assert_int_equal(run_child(path, "resumed"), 0);
    expect_counts("api", 1, 2);
}

/* After a server restart (new ticket keys) the saved session is refused:
 * the handshake falls back to a full one and the request still works. */
static void test_stale_session_falls_back_to_full(void **state)
{
    static fc_tls_stack s;
    static uint8_t blob[FC_MBEDTLS_SESSION_MAX];
    char path[512];
    size_t len = 0;
    (void)state;
    blob_path(path, sizeof path, "session-stale.bin");
    fc_tls_stack_init(&s, &g_cfg);
    assert_int_equal(one_request(&s, &g_api), 0);
    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, blob, sizeof blob, &len), FC_OK);
    fc_mbedtls_conn_free(&s.tls);
    write_file(path, blob, len);
    assert_int_equal(emu_admin("POST", "/admin/tls/rotate", "{}", NULL, 0), 200);
    reset_counts();
    assert_int_equal(run_child(path, "full"), 0);
    expect_counts("api", 1, 0);
}

/* The blob API's edges: nothing to save, too small a buffer, a blob that
 * is malformed or cut, a blob offered to another peer. */
static void test_blob_edges(void **state)
{
    static fc_tls_stack s;
    static uint8_t blob[FC_MBEDTLS_SESSION_MAX];
    static uint8_t bad[FC_MBEDTLS_SESSION_MAX];
    size_t len = 1, needed = 0;
    fc_tls_endpoint other_name;
    (void)state;
    fc_tls_stack_init(&s, &g_cfg);
    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, blob, sizeof blob, &len), FC_OK);
    assert_int_equal(len, 0); /* no handshake yet */
    assert_int_equal(one_request(&s, &g_api), 0);

    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, blob, 10, &needed),
                     FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, NULL, 0, &len), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, needed);
    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, blob, needed - 1, &len),
                     FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, blob, needed, &len), FC_OK);
    assert_int_equal(len, needed);

    memcpy(bad, blob, len);
    bad[0] ^= 1; /* not our magic */
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, bad, len), FC_ERR_INVALID_ARG);
    memcpy(bad, blob, len);
    bad[6] = 0; /* empty host */
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, bad, len), FC_ERR_INVALID_ARG);
    memcpy(bad, blob, len);
    bad[6] = 200; /* host longer than the blob and than FC_CONFIG_HOST_MAX */
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, bad, len), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, blob, len - 1), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, blob, 7), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, NULL, 0), FC_ERR_INVALID_ARG);
    /* A refused blob leaves nothing to offer. */
    assert_int_equal(fc_mbedtls_conn_session_save(&s.tls, bad, sizeof bad, &len), FC_OK);
    assert_int_equal(len, 0);

    /* Loaded for localhost:port, then a connect to 127.0.0.1 (another
     * name for the same server): not offered, full handshake. A request
     * and its answer on the connection, so the server has counted the
     * handshake before it is asked (a bare close raced its count). */
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, blob, needed), FC_OK);
    reset_counts();
    other_name = g_api;
    (void)snprintf(other_name.host, sizeof other_name.host, "%s", "127.0.0.1");
    assert_int_equal(one_request(&s, &other_name), 0);
    expect_counts("api", 1, 0);
    fc_mbedtls_conn_free(&s.tls);
}

/* ---- a session store, as the CLI keeps one in a file -------------------- */

#define STORE_SLOTS 4

typedef struct memory_store {
    struct {
        char host[FC_CONFIG_HOST_MAX + 1];
        uint16_t port;
        size_t len;
        uint8_t blob[FC_MBEDTLS_SESSION_MAX];
    } slot[STORE_SLOTS];
    unsigned saves;
    unsigned loads;
} memory_store;

static int find_slot(memory_store *m, const char *host, uint16_t port, int create)
{
    int i;
    for (i = 0; i < STORE_SLOTS; i++) {
        if (m->slot[i].len > 0 && m->slot[i].port == port && strcmp(m->slot[i].host, host) == 0) {
            return i;
        }
    }
    for (i = 0; create && i < STORE_SLOTS; i++) {
        if (m->slot[i].len == 0) {
            return i;
        }
    }
    return -1;
}

static void store_save(void *ctx, const char *host, uint16_t port, const uint8_t *blob, size_t len)
{
    memory_store *m = ctx;
    int i = find_slot(m, host, port, 1);
    assert_true(i >= 0);
    assert_true(len <= sizeof m->slot[i].blob);
    strcpy(m->slot[i].host, host);
    m->slot[i].port = port;
    memcpy(m->slot[i].blob, blob, len);
    m->slot[i].len = len;
    m->saves++;
}

static size_t store_load(void *ctx, const char *host, uint16_t port, uint8_t *buf, size_t cap)
{
    memory_store *m = ctx;
    int i = find_slot(m, host, port, 0);
    m->loads++;
    if (i < 0 || m->slot[i].len > cap) {
        return 0;
    }
    memcpy(buf, m->slot[i].blob, m->slot[i].len);
    return m->slot[i].len;
}

/* Two connections, two hosts, as the client runs an upload: whichever
 * connection later goes to which host, each resumes from the store. */
static void test_store_serves_every_connection(void **state)
{
    static memory_store mem;
    static uint8_t scratch[FC_MBEDTLS_SESSION_MAX];
    static fc_mbedtls_config cfg2;
    static fc_tls_stack a, b;
    fc_mbedtls_session_store store = {store_save, store_load, &mem, scratch, sizeof scratch};
    (void)state;
    memset(&mem, 0, sizeof mem);
    fc_mbedtls_config_set_session_store(&g_cfg, &store);
    reset_counts();
    fc_tls_stack_init(&a, &g_cfg);
    fc_tls_stack_init(&b, &g_cfg);
    assert_int_equal(one_request(&a, &g_api), 0);
    assert_int_equal(one_request(&b, &g_storage), 0);
    assert_int_equal(mem.saves, 2);
    fc_mbedtls_conn_free(&a.tls);
    fc_mbedtls_conn_free(&b.tls);
    fc_mbedtls_config_set_session_store(&g_cfg, NULL);

    /* "Next run": a fresh config and fresh connections, the hosts swapped. */
    fc_tls_load_config(&cfg2, "FLUIDCLOUD_CA_FILE");
    fc_mbedtls_config_set_session_store(&cfg2, &store);
    fc_tls_stack_init(&a, &cfg2);
    fc_tls_stack_init(&b, &cfg2);
    assert_int_equal(one_request(&a, &g_storage), 1);
    assert_int_equal(one_request(&b, &g_api), 1);
    /* In memory now: the next connect does not ask the store. */
    mem.loads = 0;
    assert_int_equal(one_request(&b, &g_api), 1);
    assert_int_equal(mem.loads, 0);
    expect_counts("api", 1, 2);
    expect_counts("storage", 1, 1);
    fc_mbedtls_conn_free(&a.tls);
    fc_mbedtls_conn_free(&b.tls);
    fc_mbedtls_config_free(&cfg2);
}

/* A store with a scratch buffer too small for a session: nothing is saved,
 * nothing breaks. */
static void test_store_scratch_too_small(void **state)
{
    static memory_store mem;
    static uint8_t scratch[64];
    static fc_tls_stack a;
    fc_mbedtls_session_store store = {store_save, store_load, &mem, scratch, sizeof scratch};
    (void)state;
    memset(&mem, 0, sizeof mem);
    fc_mbedtls_config_set_session_store(&g_cfg, &store);
    fc_tls_stack_init(&a, &g_cfg);
    assert_int_equal(one_request(&a, &g_api), 0);
    assert_int_equal(mem.saves, 0);
    assert_int_equal(one_request(&a, &g_api), 1); /* still resumes from memory */
    fc_mbedtls_conn_free(&a.tls);
    fc_mbedtls_config_set_session_store(&g_cfg, NULL);
}

/* ---- the child process --------------------------------------------------- */

static const char *g_child_blob;
static const char *g_child_expect;

static void child_resume(void **state)
{
    static fc_tls_stack s;
    static uint8_t blob[FC_MBEDTLS_SESSION_MAX];
    size_t len;
    (void)state;
    len = read_file(g_child_blob, blob, sizeof blob);
    fc_tls_stack_init(&s, &g_cfg);
    assert_int_equal(fc_mbedtls_conn_session_load(&s.tls, blob, len), FC_OK);
    assert_int_equal(one_request(&s, &g_api), strcmp(g_child_expect, "resumed") == 0);
    fc_mbedtls_conn_free(&s.tls);
}

static int group_setup(void **state)
{
    (void)state;
    fc_tls_parse_url(fc_tls_need_env("FLUIDCLOUD_BASE_URL"), &g_api);
    fc_tls_parse_url(fc_tls_need_env("FC_EMU_STORAGE"), &g_storage);
    g_key = fc_tls_need_env("FLUIDCLOUD_API_KEY");
    fc_tls_load_config(&g_cfg, "FLUIDCLOUD_CA_FILE");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fc_mbedtls_config_free(&g_cfg);
    return 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_session_resumes_in_new_process),
        cmocka_unit_test(test_stale_session_falls_back_to_full),
        cmocka_unit_test(test_blob_edges),
        cmocka_unit_test(test_store_serves_every_connection),
        cmocka_unit_test(test_store_scratch_too_small),
    };
    const struct CMUnitTest child[] = {
        cmocka_unit_test(child_resume),
    };
    if (argc == 4 && strcmp(argv[1], "--child") == 0) {
        g_child_blob = argv[2];
        g_child_expect = argv[3];
        return cmocka_run_group_tests(child, group_setup, group_teardown);
    }
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
