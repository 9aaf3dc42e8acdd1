/* SPDX-License-Identifier: MIT */
/*
 * fz_net.h - the scripted network under the fuzz targets: a fake clock, a
 * transport per keep-alive slot whose server side the target writes, a
 * parser that splits what the client sends into requests and checks each
 * head, and a run loop that checks every wait and bounds every operation.
 *
 * Only public headers of the library are used (fc_client.h, fc_port.h),
 * so the targets survive moves inside core/src.
 *
 * Oracle failures go through fz_fail(finding, ...): it aborts (libFuzzer
 * saves the input as a crash) unless the finding's name is listed in the
 * FC_FUZZ_OPEN environment variable (comma separated), which is how a
 * finding reported to its owner but not fixed yet is kept from stopping
 * every run (see README.md: the list shrinks as fixes land).
 */
#ifndef FZ_NET_H
#define FZ_NET_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_sha256.h"

#define FZ_MAX_CONN 2
#define FZ_HEAD_MAX 8192

/* ---- the fuzz input, read front to back ------------------------------- */
typedef struct fz_input {
    const uint8_t *p;
    size_t n;
} fz_input;

uint8_t fz_u8(fz_input *in); /* 0 once the input is spent */
uint16_t fz_u16(fz_input *in);
uint32_t fz_u32(fz_input *in);
/* Up to n bytes of the input (fewer at its end); returns how many. */
size_t fz_take(fz_input *in, size_t n, const uint8_t **out);

/* ---- findings ----------------------------------------------------------- */
/* Abort with the finding's name and message, unless FC_FUZZ_OPEN names it
 * (then it is counted in fz_open_hits and the run goes on). */
void fz_fail(const char *finding, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
extern unsigned long fz_open_hits;

/* ---- one parsed client request ----------------------------------------------- */
typedef struct fz_request {
    char method[8];
    char target[2048];
    char host[128]; /* the Host header's value */
    int has_key;    /* X-API-Key or Authorization present */
    int has_range;
    uint64_t range_from;
    int64_t content_length; /* -1 when absent */
    char content_type[128];
    uint64_t body_seen;  /* body bytes received so far */
    fc_sha256 body_hash; /* of the body so far */
    char json[4096];     /* a small body (JSON), NUL-terminated */
    size_t json_len;
} fz_request;

struct fz_net;

/* One connection of the fake network (one per transport slot). */
typedef struct fz_conn {
    struct fz_net *net;
    int index;
    int connected;
    char host[FC_CONFIG_HOST_MAX];
    uint16_t port;
    int tls;
    /* request parsing */
    char head[FZ_HEAD_MAX];
    size_t head_len;
    int in_body; /* reading the body of req */
    fz_request req;
    unsigned requests; /* request heads seen on this connection */
    /* the response queued by the server side, delivered by fz_deliver */
    uint8_t *out;
    size_t out_len;
    size_t out_pos;
    size_t out_cap;
    unsigned last_wait;
} fz_conn;

/* The server side, written by each target. */
typedef struct fz_server {
    /* connect(): FC_OK, FC_AGAIN (then connect_poll asks again) or a failure. */
    fc_err (*connect)(struct fz_net *n, fz_conn *c);
    /* A request head arrived on c (c->req filled). */
    void (*on_head)(struct fz_net *n, fz_conn *c);
    /* The whole request (head and Content-Length body) arrived. */
    void (*on_request)(struct fz_net *n, fz_conn *c);
    /* send(): may take fewer bytes, refuse (FC_ERR_TRANSPORT) or block. */
    fc_err (*send_gate)(struct fz_net *n, fz_conn *c, size_t len, size_t *take);
    /* recv(): FC_OK with bytes, FC_AGAIN, FC_ERR_CLOSED or an error. */
    fc_err (*recv)(struct fz_net *n, fz_conn *c, uint8_t *buf, size_t cap, size_t *got);
    void (*on_close)(struct fz_net *n, fz_conn *c);
} fz_server;

typedef struct fz_net {
    fc_transport transports[FZ_MAX_CONN];
    fz_conn conns[FZ_MAX_CONN];
    uint32_t now; /* fake clock (starts near the 32-bit wrap) */
    uint32_t rnd;
    const char *api_host; /* only requests to it may carry the key */
    const char *api_key;
    fz_server server;
    void *ctx;           /* the target's state */
    int woken;           /* a transport blocked on something that ends by itself */
    unsigned long heads; /* request heads seen in all */
} fz_net;

/* Set up n with the server's callbacks; transports point at conns. */
void fz_net_init(fz_net *n, const fz_server *server, void *ctx, const char *api_host,
                 const char *api_key);
void fz_net_free(fz_net *n);
fc_system fz_system(fz_net *n);

/* Queue response bytes on c (they go out through fz_deliver). */
void fz_queue(fz_conn *c, const void *data, size_t len);
void fz_queuef(fz_conn *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Deliver up to cap queued bytes (and at most max_piece, 0 = any). FC_OK
 * with *got > 0, or FC_AGAIN when nothing is queued. */
fc_err fz_deliver(fz_conn *c, uint8_t *buf, size_t cap, size_t max_piece, size_t *got);
/* Mark a block that ends by itself (the next call makes progress). */
void fz_wake(fz_net *n);

/* ---- running an operation ------------------------------------------------------ */
typedef struct fz_limits {
    unsigned long max_polls; /* fc_poll calls before the run is a hang */
    uint32_t max_wait_ms;    /* no single wait may be longer */
    uint32_t max_total_ms;   /* the run must end within this (0: no bound) */
} fz_limits;

/* The longest wait the configuration allows: its largest deadline, backoff
 * cap, Retry-After cap or scan poll interval. */
uint32_t fz_config_max_wait(const fc_client_config *cfg);

/* Drive the client's operation to its end on the fake clock. Checks every
 * wait against the limits (finding "wait-cap"), the poll count ("hang")
 * and the elapsed time ("total-time"). Returns the result; *elapsed_ms
 * (optional) gets the simulated time it took. */
fc_err fz_run(fz_net *n, fc_client *c, const fz_limits *lim, uint32_t *elapsed_ms);

/* Checks shared by the targets after an operation ended with r. */
void fz_check_error_info(const fc_client *c, fc_err r);
/* A fixed char field holds a NUL inside its size ("unterminated"). */
void fz_check_str(const char *field, size_t size, const char *what);

#endif
