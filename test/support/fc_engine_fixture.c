/* SPDX-License-Identifier: MIT */
/* fc_engine_fixture.c - see fc_engine_fixture.h. */
#include "fc_engine_fixture.h"

#include <stdarg.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

static fc_engine_fixture g_fixture;

static fc_err fixture_write_target(fc_client *c, fc_head_writer *w)
{
    const fc_engine_fixture *fx = c->priv.op.out;
    fc_head_write_str(w, fx->path);
    return FC_OK;
}

static fc_err fixture_ping_done(fc_client *c, fc_err result)
{
    fc_engine_fixture *fx = c->priv.op.out;
    fx->status = c->priv.resp.status;
    if (result == FC_OK) {
        assert_true(c->priv.resp.body_len <= sizeof fx->body);
        memcpy(fx->body, fc_response_body(c), c->priv.resp.body_len);
        fx->body_len = c->priv.resp.body_len;
    }
    return result;
}

const fc_request fc_fixture_ping_get = {
    .method = FC_HTTP_GET,
    .flags = FC_REQ_API | FC_REQ_IDEMPOTENT,
    .write_target = fixture_write_target,
};

const fc_request fc_fixture_ping_post = {
    .method = FC_HTTP_POST,
    .flags = FC_REQ_API,
    .write_target = fixture_write_target,
};

static fc_err fixture_put_target(fc_client *c, fc_head_writer *w)
{
    (void)c;
    fc_head_write_str(w, "/put");
    return FC_OK;
}

fc_err fc_fixture_keep_result(fc_client *c, fc_err result)
{
    (void)c;
    return result;
}

fc_err fc_fixture_start_put(fc_engine_fixture *fx, fc_source *src, uint8_t extra_flags,
                            uint64_t body_len)
{
    fc_request req = {.method = FC_HTTP_PUT,
                      .flags = (uint8_t)(FC_REQ_API | extra_flags),
                      .write_target = fixture_put_target,
                      .source = src,
                      .body_len = body_len};
    fc_err e = fc_op_begin(&fx->client, "put", fc_fixture_keep_result, NULL);
    return e != FC_OK ? e : fc_request_start(&fx->client, &req); /* it keeps a copy */
}

fc_err fc_fixture_start(fc_engine_fixture *fx, const fc_request *req, const char *path)
{
    fc_err e = fc_op_begin(&fx->client, "ping", fixture_ping_done, fx);
    if (e != FC_OK) {
        return e;
    }
    fx->path = path;
    return fc_request_start(&fx->client, req);
}

void fc_fixture_init_client(fc_engine_fixture *fx)
{
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), FC_OK);
    fx->body_len = 0;
    fx->status = 0;
}

fc_engine_fixture *fc_fixture_fresh(size_t io_size, uint8_t attempts)
{
    fc_engine_fixture *fx = &g_fixture;
    fc_client_config *cfg = &fx->cfg;
    memset(fx, 0, sizeof *fx);
    assert_true(io_size <= sizeof fx->io);
    fc_mock_init(&fx->mock);
    fc_mock_transport(&fx->mock, &fx->transport);
    fx->clock.now = 0xFFFFF000u; /* cross the 32-bit wrap during tests */
    fx->mock.clock = &fx->clock;
    fc_client_config_defaults(cfg);
    cfg->base_url = "https://api.example.test/api/v1";
    cfg->api_key = FC_FIXTURE_KEY;
    cfg->transports = &fx->transport;
    cfg->transport_count = 1;
    cfg->system = fc_fake_system(&fx->clock);
    cfg->io_buf = fx->io;
    cfg->io_buf_size = io_size;
    cfg->tokens = fx->toks;
    cfg->token_count = 64;
    cfg->timeouts.first_byte_ms = 200;
    cfg->timeouts.idle_ms = 200;
    cfg->timeouts.connect_ms = 200;
    cfg->timeouts.tls_ms = 200;
    cfg->retry.max_attempts = attempts;
    cfg->retry.base_ms = 10;
    cfg->retry.cap_ms = 100;
    fc_fixture_init_client(fx);
    return fx;
}

fc_err fc_fixture_run(fc_engine_fixture *fx)
{
    return fc_mock_run(&fx->client, &fx->clock, 2000000, NULL);
}
