/* SPDX-License-Identifier: MIT */
/* fc_tls_stack.c - see fc_tls_stack.h. */
#define _POSIX_C_SOURCE 200809L

#include "fc_tls_stack.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

const char *fc_tls_need_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "%s not set (run under with_emulator.py)\n", name);
        exit(2);
    }
    return v;
}

void fc_tls_parse_url(const char *url, fc_tls_endpoint *e)
{
    const char *h = strstr(url, "://");
    const char *colon;
    const char *slash;
    size_t len;

    assert_non_null(h);
    h += 3;
    slash = strchr(h, '/');
    if (slash == NULL) {
        slash = h + strlen(h);
    }
    colon = memchr(h, ':', (size_t)(slash - h));
    assert_non_null(colon);
    len = (size_t)(colon - h);
    assert_true(len < sizeof e->host);
    memcpy(e->host, h, len);
    e->host[len] = '\0';
    e->port = (uint16_t)strtoul(colon + 1, NULL, 10);
    assert_true(strlen(slash) < sizeof e->path);
    strcpy(e->path, slash);
}

void fc_tls_load_config(fc_mbedtls_config *cfg, const char *ca_env)
{
    assert_int_equal(fc_mbedtls_config_init(cfg), FC_OK);
    assert_int_equal(fc_mbedtls_config_add_ca_file(cfg, fc_tls_need_env(ca_env)), FC_OK);
}

uint32_t fc_tls_now_ms(void)
{
    fc_system s = fc_posix_system();
    return s.now_ms(s.ctx);
}

void fc_tls_wait_for(const fc_transport *t)
{
    unsigned ev = t->ops->wait_events(t->ctx);
    assert_true(ev == FC_WAIT_READ || ev == FC_WAIT_WRITE);
    (void)fc_posix_wait(t->ops->pollable_fd(t->ctx), ev, 100);
}

void fc_tls_stack_init(fc_tls_stack *s, fc_mbedtls_config *cfg)
{
    fc_posix_transport_init(&s->tcp, &s->inner);
    fc_mbedtls_conn_init(&s->tls, cfg, &s->inner, &s->t);
}

fc_err fc_tls_stack_open(fc_tls_stack *s, const char *host, uint16_t port, int use_tls)
{
    uint32_t start = fc_tls_now_ms();
    fc_err err = s->t.ops->connect(s->t.ctx, host, port, use_tls);
    while (err == FC_AGAIN && fc_tls_now_ms() - start < FC_TLS_STEP_TIMEOUT_MS) {
        fc_tls_wait_for(&s->t);
        err = s->t.ops->connect_poll(s->t.ctx);
    }
    while (err == FC_OK && s->t.ops->handshake != NULL) {
        err = s->t.ops->handshake(s->t.ctx);
        if (err != FC_AGAIN) {
            break;
        }
        assert_true(fc_tls_now_ms() - start < FC_TLS_STEP_TIMEOUT_MS);
        fc_tls_wait_for(&s->t);
        err = FC_OK;
    }
    return err;
}

void fc_tls_send_all(fc_tls_stack *s, const char *data)
{
    size_t len = strlen(data);
    size_t off = 0;
    uint32_t start = fc_tls_now_ms();
    while (off < len) {
        size_t n = 0;
        fc_err err = s->t.ops->send(s->t.ctx, (const uint8_t *)data + off, len - off, &n);
        if (err == FC_AGAIN) {
            assert_true(fc_tls_now_ms() - start < FC_TLS_STEP_TIMEOUT_MS);
            fc_tls_wait_for(&s->t);
            continue;
        }
        assert_int_equal(err, FC_OK);
        assert_true(n > 0);
        off += n;
    }
}

size_t fc_tls_recv_some(fc_tls_stack *s, char *buf, size_t cap, size_t want)
{
    size_t have = 0;
    uint32_t start = fc_tls_now_ms();
    while (have < want && have < cap - 1) {
        size_t n = 0;
        fc_err err = s->t.ops->recv(s->t.ctx, (uint8_t *)buf + have, cap - 1 - have, &n);
        if (err == FC_AGAIN) {
            assert_true(fc_tls_now_ms() - start < FC_TLS_STEP_TIMEOUT_MS);
            fc_tls_wait_for(&s->t);
            continue;
        }
        if (err == FC_ERR_CLOSED) {
            break;
        }
        assert_int_equal(err, FC_OK);
        have += n;
    }
    buf[have] = '\0';
    return have;
}

void fc_tls_expect_me_ok(fc_tls_stack *s, const fc_tls_endpoint *e, const char *api_path,
                         const char *api_key)
{
    char req[512];
    char resp[256];
    int n = snprintf(req, sizeof req,
                     "GET %s/me HTTP/1.1\r\nHost: %s:%u\r\nX-API-Key: %s\r\n"
                     "Accept: application/json\r\nConnection: close\r\n\r\n",
                     api_path, e->host, (unsigned)e->port, api_key);
    assert_true(n > 0 && (size_t)n < sizeof req);
    fc_tls_send_all(s, req);
    assert_true(fc_tls_recv_some(s, resp, sizeof resp, 12) >= 12);
    if (strncmp(resp, "HTTP/1.1 200", 12) != 0) {
        fail_msg("unexpected response: %.60s", resp);
    }
}
