/* SPDX-License-Identifier: MIT */
/*
 * it_engine.c - the whole engine (fc_client over mbedTLS over POSIX
 * sockets) against the local emulator over TLS: a round trip, keep-alive
 * reuse, a wrong CA and a wrong host name rejected, a stalled server
 * ending in a timeout, 429 with Retry-After followed by success, and a
 * reset mid-response retried on a fresh connection.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fc_emu_admin.h"
#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_mbedtls.h"
#include "fluidcloud/fc_posix.h"

/* ---- a transport between TLS and TCP that counts connects and may send
 * every connection to the emulator's address whatever the host name, so
 * the TLS layer verifies a name the certificate does not hold ---------- */

typedef struct redirect {
    fc_transport tcp;
    const char *real_host; /* NULL: use the host asked for */
    int connects;
} redirect;

static fc_err rd_connect(void *ctx, const char *host, uint16_t port, int tls)
{
    redirect *r = ctx;
    r->connects++;
    return r->tcp.ops->connect(r->tcp.ctx, r->real_host ? r->real_host : host, port, tls);
}

static fc_err rd_connect_poll(void *ctx)
{
    redirect *r = ctx;
    return r->tcp.ops->connect_poll(r->tcp.ctx);
}

static fc_err rd_send(void *ctx, const uint8_t *d, size_t n, size_t *sent)
{
    redirect *r = ctx;
    return r->tcp.ops->send(r->tcp.ctx, d, n, sent);
}

static fc_err rd_recv(void *ctx, uint8_t *b, size_t n, size_t *got)
{
    redirect *r = ctx;
    return r->tcp.ops->recv(r->tcp.ctx, b, n, got);
}

static void rd_close(void *ctx)
{
    redirect *r = ctx;
    r->tcp.ops->close(r->tcp.ctx);
}

static unsigned rd_wait(void *ctx)
{
    redirect *r = ctx;
    return r->tcp.ops->wait_events(r->tcp.ctx);
}

static int rd_fd(void *ctx)
{
    redirect *r = ctx;
    return r->tcp.ops->pollable_fd(r->tcp.ctx);
}

static const fc_transport_ops k_redirect_ops = {
    .connect = rd_connect,
    .connect_poll = rd_connect_poll,
    .send = rd_send,
    .recv = rd_recv,
    .close = rd_close,
    .wait_events = rd_wait,
    .pollable_fd = rd_fd,
};

/* ---- one client ------------------------------------------------------------ */

typedef struct rig {
    fc_mbedtls_config tls;
    fc_posix_conn tcp;
    redirect rd;
    fc_transport rd_t;
    fc_mbedtls_conn secure;
    fc_transport secure_t;
    fc_json_tok toks[256];
    uint8_t io[4096];
    fc_client client;
    char base[160];
} rig;

static rig g_rig;

/* The client's configuration, set by rig_init_as and passed to init. */
static const char *g_base_override;
static fc_auth_scheme g_auth;

static fc_err rig_init(rig *r, const char *ca_file, const char *host_override)
{
    fc_client_config cfg;
    const char *base = getenv("FLUIDCLOUD_BASE_URL");
    const char *port = strrchr(base, ':');
    memset(r, 0, sizeof *r);
    if (host_override != NULL) {
        /* https://<override>:<port>/api/v1, reaching the emulator anyway. */
        snprintf(r->base, sizeof r->base, "https://%s%s", host_override, port);
        r->rd.real_host = "127.0.0.1";
    } else {
        snprintf(r->base, sizeof r->base, "%s", base);
    }
    assert_int_equal(fc_mbedtls_config_init(&r->tls), FC_OK);
    assert_int_equal(fc_mbedtls_config_add_ca_file(&r->tls, ca_file), FC_OK);
    fc_posix_transport_init(&r->tcp, &r->rd.tcp);
    r->rd_t.ops = &k_redirect_ops;
    r->rd_t.ctx = &r->rd;
    fc_mbedtls_conn_init(&r->secure, &r->tls, &r->rd_t, &r->secure_t);
    fc_client_config_defaults(&cfg);
    cfg.base_url = g_base_override != NULL ? g_base_override : r->base;
    cfg.auth = g_auth;
    cfg.api_key = getenv("FLUIDCLOUD_API_KEY");
    cfg.transports = &r->secure_t;
    cfg.transport_count = 1;
    cfg.system = fc_posix_system();
    cfg.io_buf = r->io;
    cfg.io_buf_size = sizeof r->io;
    cfg.tokens = r->toks;
    cfg.token_count = 256;
    cfg.retry.base_ms = 20;
    cfg.retry.cap_ms = 100;
    return fc_client_init(&r->client, &cfg);
}

static void rig_free(rig *r)
{
    fc_client_close(&r->client);
    fc_mbedtls_conn_free(&r->secure);
    fc_mbedtls_config_free(&r->tls);
}

static fc_err run(fc_client *c, fc_err started)
{
    if (started != FC_AGAIN) {
        return started;
    }
    return fc_run(c, fc_posix_wait_fn, NULL);
}

static int setup(void **state)
{
    (void)state;
    g_base_override = NULL;
    g_auth = FC_AUTH_AUTO;
    emu_clear_faults();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rig_free(&g_rig);
    return 0;
}

/* ---- cases -------------------------------------------------------------------- */

static void test_round_trip_and_keep_alive(void **state)
{
    fc_me me;
    fc_quota q;
    int i;
    (void)state;
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    assert_string_equal(me.tenant_id, getenv("FC_EMU_TENANT_ID"));
    for (i = 0; i < 4; i++) {
        assert_int_equal(run(&g_rig.client, fc_quota_get(&g_rig.client, &q)), FC_OK);
    }
    /* Five requests, one TCP connection and one TLS handshake. */
    assert_int_equal(g_rig.rd.connects, 1);
}

/* The SDKs' form of the base URL, the bare origin, reaches the API too
 * (issue 15.1): "https://localhost:PORT" gets /api/v1. */
static void test_bare_origin_base_url(void **state)
{
    static char origin[160];
    const char *base = getenv("FLUIDCLOUD_BASE_URL");
    const char *path = strstr(base, "/api/v1");
    char log[8192];
    fc_me me;
    (void)state;
    assert_non_null(path);
    snprintf(origin, sizeof origin, "%.*s/", (int)(path - base), base);
    g_base_override = origin;
    assert_int_equal(emu_admin("DELETE", "/admin/requests", NULL, NULL, 0), 200);
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    assert_string_equal(me.tenant_id, getenv("FC_EMU_TENANT_ID"));
    assert_int_equal(emu_admin("GET", "/admin/requests?listener=api", NULL, log, sizeof log), 200);
    assert_non_null(strstr(log, "\"path\": \"/api/v1/me\""));
}

/* The key as a bearer credential (issue 15.2): the emulator, like the
 * service, takes Authorization: Bearer as it takes X-API-Key. */
static void test_bearer_credential(void **state)
{
    char log[8192];
    fc_me me;
    (void)state;
    g_auth = FC_AUTH_BEARER;
    assert_int_equal(emu_admin("DELETE", "/admin/requests", NULL, NULL, 0), 200);
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    assert_string_equal(me.tenant_id, getenv("FC_EMU_TENANT_ID"));
    assert_int_equal(emu_admin("GET", "/admin/requests?listener=api", NULL, log, sizeof log), 200);
    assert_non_null(strstr(log, "\"Authorization\""));
    assert_null(strstr(log, "\"X-API-Key\""));
}

/* The n-th (from 0) value of "name": N in the emulator's request log. */
static long long log_value(const char *log, const char *name, int n)
{
    char key[64];
    const char *at = log;
    snprintf(key, sizeof key, "\"%s\": ", name);
    for (; n >= 0; n--) {
        at = strstr(at, key);
        assert_non_null(at);
        at += strlen(key);
    }
    return atoll(at);
}

/* The wire statistics say what the emulator saw (issue 14.6). */
static void test_stats_match_the_servers_log(void **state)
{
    static char log[16384];
    const fc_stats *st;
    fc_me me;
    fc_quota q;
    (void)state;
    assert_int_equal(emu_admin("DELETE", "/admin/requests", NULL, NULL, 0), 200);
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    st = fc_client_stats(&g_rig.client);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    assert_int_equal(emu_admin("GET", "/admin/requests?listener=api", NULL, log, sizeof log), 200);
    assert_int_equal(st->requests, 1);
    assert_int_equal(st->connects, 1);
    assert_int_equal(st->tls_full + st->tls_resumed, 1);
    assert_int_equal((long long)st->bytes_sent, log_value(log, "request_bytes", 0));
    assert_int_equal((long long)st->bytes_received, log_value(log, "response_bytes", 0));
    /* The next call rides the kept connection. */
    assert_int_equal(run(&g_rig.client, fc_quota_get(&g_rig.client, &q)), FC_OK);
    assert_int_equal(emu_admin("GET", "/admin/requests?listener=api", NULL, log, sizeof log), 200);
    assert_int_equal(st->requests, 1);
    assert_int_equal(st->connects, 0);
    assert_int_equal(st->tls_full + st->tls_resumed, 0);
    assert_int_equal((long long)st->bytes_sent, log_value(log, "request_bytes", 1));
    assert_int_equal((long long)st->bytes_received, log_value(log, "response_bytes", 1));
}

static void test_wrong_ca_rejected(void **state)
{
    fc_me me;
    (void)state;
    assert_int_equal(rig_init(&g_rig, getenv("FC_EMU_WRONG_CA_FILE"), NULL), FC_OK);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_ERR_TLS_VERIFY);
    assert_int_equal(fc_client_error(&g_rig.client)->http_status, 0);
}

static void test_wrong_host_name_rejected(void **state)
{
    fc_me me;
    (void)state;
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), "api.wrong-host.test"), FC_OK);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_ERR_TLS_VERIFY);
    /* The same stack with the right name passes, so the name decided. */
    rig_free(&g_rig);
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), "localhost"), FC_OK);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
}

static void test_stalled_server_times_out(void **state)
{
    fc_me me;
    (void)state;
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    g_rig.client.cfg.timeouts.first_byte_ms = 400;
    g_rig.client.cfg.retry.max_attempts = 2;
    emu_fault("api", "GET", "/api/v1/me", 2, "\"action\":\"stall\"");
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_ERR_TIMEOUT);
    assert_int_equal(fc_client_error(&g_rig.client)->attempts, 2);
    /* The client is usable again at once. */
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
}

static void test_total_deadline(void **state)
{
    fc_me me;
    (void)state;
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    g_rig.client.cfg.timeouts.total_ms = 600;
    emu_fault("api", "GET", "/api/v1/me", 1, "\"action\":\"stall\"");
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_ERR_TIMEOUT);
}

static void test_429_retry_after_then_success(void **state)
{
    fc_me me;
    uint32_t t0;
    fc_system sys = fc_posix_system();
    (void)state;
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    emu_fault("api", "GET", "/api/v1/me", 1,
              "\"action\":\"status\",\"status\":429,\"retry_after\":1");
    t0 = sys.now_ms(sys.ctx);
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    assert_true(sys.now_ms(sys.ctx) - t0 >= 1000u);
    assert_int_equal(fc_client_error(&g_rig.client)->attempts, 2);
}

static void test_reset_mid_response_retried(void **state)
{
    fc_me me;
    (void)state;
    assert_int_equal(rig_init(&g_rig, getenv("FLUIDCLOUD_CA_FILE"), NULL), FC_OK);
    emu_fault("api", "GET", "/api/v1/me", 1,
              "\"action\":\"close_after_response_bytes\",\"bytes\":30");
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    assert_int_equal(g_rig.rd.connects, 2);
    emu_fault("api", "GET", "/api/v1/me", 1, "\"action\":\"garbage\"");
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    emu_fault("api", "GET", "/api/v1/me", 1, "\"action\":\"one_byte\"");
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    emu_fault("api", "GET", "/api/v1/me", 1, "\"action\":\"chunked\"");
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    emu_fault("api", "GET", "/api/v1/me", 1, "\"action\":\"close_delimited\"");
    assert_int_equal(run(&g_rig.client, fc_me_get(&g_rig.client, &me)), FC_OK);
    assert_string_equal(me.tenant_id, getenv("FC_EMU_TENANT_ID"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_and_keep_alive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bare_origin_base_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bearer_credential, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_match_the_servers_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_ca_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_host_name_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stalled_server_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_total_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_429_retry_after_then_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_mid_response_retried, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
