/* SPDX-License-Identifier: MIT */
/*
 * fc_engine_fixture.h - one client on one scripted mock transport, and a
 * minimal operation of the engine ("ping": one request, its body copied
 * out), shared by the engine's unit tests.
 */
#ifndef FC_ENGINE_FIXTURE_H
#define FC_ENGINE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "fc_engine.h"
#include "fc_mock_transport.h"

#define FC_FIXTURE_KEY "fck_test_0123456789abcdef0123456789abcdef"

typedef struct fc_engine_fixture {
    fc_mock mock;
    fc_transport transport;
    fc_fake_clock clock;
    fc_client client;
    fc_client_config cfg; /* what setup passed to fc_client_init */
    uint8_t io[2048];
    fc_json_tok toks[64];
    const char *path; /* the ping's target after the base path */
    char body[4096];  /* the ping's response body, when 2xx */
    size_t body_len;
    int status;
} fc_engine_fixture;

/* The fixture (one static instance), zeroed, with the client set up on an
 * io_size-byte buffer and `attempts` attempts per request. Short deadlines
 * (200 ms each) and backoff (10..100 ms) keep the fake clock moving fast. */
fc_engine_fixture *fc_fixture_fresh(size_t io_size, uint8_t attempts);
/* (Re)initialise the fixture's client from fx->cfg after a test changed it. */
void fc_fixture_init_client(fc_engine_fixture *fx);

/* GET (idempotent) and POST requests of the ping operation. */
extern const fc_request fc_fixture_ping_get;
extern const fc_request fc_fixture_ping_post;

/* An operation "put" of one request: PUT "/put" (no base path) with a
 * body of body_len bytes read from src, flags FC_REQ_API plus extra_flags;
 * its result is the request's. FC_AGAIN once started. */
fc_err fc_fixture_start_put(fc_engine_fixture *fx, fc_source *src, uint8_t extra_flags,
                            uint64_t body_len);
/* The on_response that keeps the request's result, for other operations. */
fc_err fc_fixture_keep_result(fc_client *c, fc_err result);

/* Start the ping operation with request req to base path + path. */
fc_err fc_fixture_start(fc_engine_fixture *fx, const fc_request *req, const char *path);
/* Run the operation to its end on the fake clock (bounded polls). */
fc_err fc_fixture_run(fc_engine_fixture *fx);

#endif
