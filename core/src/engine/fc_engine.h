/* SPDX-License-Identifier: MIT */
/*
 * fc_engine.h - the engine layer (core/src/engine): one HTTP exchange as a
 * state machine (fc_http.c), the response reader (fc_response.c),
 * keep-alive connections (fc_conn.c), retries (fc_retry.c), the request
 * head writer (fc_head_writer.c), the error details of a failed request
 * (fc_error_info.c) and the client and its poll loop (fc_client.c).
 * Not public. It uses util and json below it; the api and transfer layers
 * above start operations and requests through it.
 */
#ifndef FLUIDCLOUD_FC_ENGINE_H
#define FLUIDCLOUD_FC_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "fc_util.h"
#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_json.h"
#include "fluidcloud/fc_url.h"

/* HTTP methods (index into fc_method_name). */
enum { FC_HTTP_GET, FC_HTTP_POST, FC_HTTP_PUT, FC_HTTP_PATCH, FC_HTTP_DELETE };

/* fc_request.flags */
#define FC_REQ_API        0x01u /* URL = base_url + write_target; sends the key */
#define FC_REQ_IDEMPOTENT 0x02u /* may be repeated after a failure mid-flight */

/* Client states. */
enum {
    FC_ST_IDLE,       /* nothing running */
    FC_ST_DONE,       /* final result waiting for fc_poll to return it */
    FC_ST_TIMER,      /* operation timer (e.g. the scan poll interval) */
    FC_ST_RETRY_WAIT, /* backoff before the next attempt */
    FC_ST_CONNECT,
    FC_ST_HANDSHAKE,
    FC_ST_SEND,      /* request head (and a small JSON body) */
    FC_ST_SEND_BODY, /* streamed body from the source */
    FC_ST_RECV
};

/* Connection slot states. */
enum { FC_CONN_CLOSED, FC_CONN_CONNECTING, FC_CONN_OPEN };

/* Captured response headers. */
enum { FC_HDR_NONE, FC_HDR_RETRY_AFTER, FC_HDR_ETAG, FC_HDR_DATE, FC_HDR_CAPTURED };

/* ---- head writer: appends to a fixed buffer, counts what it needs ---- */
typedef struct fc_head_writer fc_head_writer;
struct fc_head_writer {
    char *buf;
    size_t cap;
    size_t len; /* bytes needed so far; text is valid while len <= cap */
};

void fc_head_writer_init(fc_head_writer *w, char *buf, size_t cap);
void fc_head_write_mem(fc_head_writer *w, const char *s, size_t n);
void fc_head_write_str(fc_head_writer *w, const char *s);
void fc_head_write_u64(fc_head_writer *w, uint64_t v);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
void fc_head_write_urlenc(fc_head_writer *w, const char *s);
/* Appends "?name=value" or "&name=value" (value encoded); NULL or ""
 * values are skipped. *first tracks whether '?' was written. */
void fc_head_write_query(fc_head_writer *w, int *first, const char *name, const char *value);
void fc_head_write_query_u64(fc_head_writer *w, int *first, const char *name, uint64_t value);
int fc_head_writer_ok(const fc_head_writer *w);

/* ---- the client's clock (fc_time_reached: fc_util.h) -------------------- */
uint32_t fc_now(const fc_client *c);

/* ---- operations (fc_client.c) ------------------------------------------- */
/* Claim the client for a new operation: FC_ERR_BUSY when one runs. Resets
 * the error info and arms the total deadline. */
fc_err fc_op_begin(fc_client *c, const char *step,
                   fc_err (*on_response)(fc_client *c, fc_err result), void *out);

/* Bound the current phase of the running operation (the upload's scan
 * wait, say): within ms from now, its requests, their retries and its
 * timers end, else the operation ends with FC_ERR_TIMEOUT. ms 0 lifts it. */
void fc_op_phase_deadline(fc_client *c, uint32_t ms);
/* Give the running operation ms more before its total deadline (the
 * upload's scan wait, which a long transfer must not eat into). */
void fc_op_extend_total(fc_client *c, uint32_t ms);
/* n bytes moved on the wire: the total deadline grows by 1 s per
 * timeouts.min_bytes_per_s of them, so a long transfer that keeps moving
 * has time, and a server that drips bytes does not. */
void fc_op_credit_bytes(fc_client *c, size_t n);
/* 1 when the clock value `at` is at or past the operation's total or phase
 * deadline: nothing (a retry, a timer) may be scheduled there. */
int fc_op_deadline_passed(const fc_client *c, uint32_t at);

/* ---- wire statistics (fc_stats.c) ---------------------------------------- */
/* Every change of c->priv.state: charges the time of the state it leaves. */
void fc_state_set(fc_client *c, uint8_t state);
/* Charge the time so far to the current state's phase (before a phase
 * changes within a state: the first response byte). */
void fc_stats_charge(fc_client *c);
/* Zero the statistics: a new operation. */
void fc_stats_begin(fc_client *c);
/* Count the handshake transport t just finished, full or resumed. */
void fc_stats_handshake(fc_client *c, const fc_transport *t);

/* ---- requests (fc_http.c) ----------------------------------------------- */
/* Start a request of the running operation (first attempt). */
fc_err fc_request_start(fc_client *c, const fc_request *req);
/* Start an operation timer; on_timer runs when it expires. */
fc_err fc_timer_start(fc_client *c, uint32_t delay_ms);
/* What one step of the request state machine did: it moved the operation
 * on (a new state, bytes moved, a failure handled - call again), or it is
 * blocked until an event or a deadline. */
typedef enum fc_step { FC_STEP_BLOCKED, FC_STEP_MOVED } fc_step;
fc_step fc_http_step(fc_client *c);
/* Close the current request's connection after a failure. */
void fc_http_abort(fc_client *c);
/* The operation's deadline passed: close its connection and end it with
 * FC_ERR_TIMEOUT, the error naming the step it was in (a wait too). One
 * that ends an attempt reports no status or detail of an earlier answer. */
void fc_http_time_out(fc_client *c);

/* ---- HTTP-date (fc_http_date.c) ------------------------------------------ */
/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", len bytes at s) as Unix
 * seconds: 1 when it is one, else 0 (other forms, bad fields). */
int fc_http_date_parse(const char *s, size_t len, uint32_t *epoch_s);

/* ---- response reading (fc_response.c) ----------------------------------- */
void fc_response_begin(fc_client *c);
/* Feed received bytes (at io_buf + reserved + resp.body_len). */
fc_err fc_response_feed(fc_client *c, const uint8_t *data, size_t len);
/* The peer closed: completes a close-delimited body or fails. */
fc_err fc_response_eof(fc_client *c);
/* The Content-Length the response announced (0 when none). */
uint64_t fc_response_content_length(fc_client *c);
/* The buffered body of the response. */
const char *fc_response_body(const fc_client *c);
/* Tokenize the buffered body as JSON (c->priv.error.needed = the tokens
 * needed when the token array is short). */
fc_err fc_response_json(fc_client *c, fc_json_doc *doc);

/* ---- connections (fc_conn.c) -------------------------------------------- */
/* Pick a slot for u's (tls, host, port): an open one to reuse, else one
 * to (re)connect. Sets c->priv.slot and c->priv.reused. */
fc_err fc_conn_acquire(fc_client *c, const fc_url *u);
void fc_conn_close(fc_client *c, unsigned slot);
fc_transport *fc_conn_transport(const fc_client *c);

/* ---- retries (fc_retry.c) ----------------------------------------------- */
/* After a failed attempt: FC_AGAIN when a retry was scheduled. */
fc_err fc_retry_schedule(fc_client *c, fc_err result);

/* ---- error details (fc_error_info.c) ------------------------------------ */
void fc_error_reset(fc_client *c);
void fc_error_from_response(fc_client *c, fc_err err);
void fc_error_set_step(fc_client *c, const char *step);
/* A failure without a response: the status and details of an earlier
 * attempt's answer are not this failure's. */
void fc_error_forget_response(fc_client *c);

/* ---- the ABI guard (fc_abi.c) ------------------------------------------- */
/* FC_OK when the application's view of the layouts is the library's; else
 * FC_ERR_ABI, and why written into the application's fc_error_info, at the
 * place its layout has it, when that is safe (see fc_abi.c). */
fc_err fc_abi_guard(fc_client *c, const fc_abi *app);
/* fc_client_init refuses: the error info (size bytes) is cleared and gets
 * err, step and needed. */
void fc_init_refused(fc_error_info *ei, size_t size, fc_err err, const char *step, size_t needed);

/* ---- logging: compiled out unless FC_CONFIG_LOG_LEVEL > 0 --------------- */
#if FC_CONFIG_LOG_LEVEL > 0
void fc_log(const fc_client *c, int level, const char *msg);
#define FC_LOG(c, level, msg)                 \
    do {                                      \
        if ((level) <= FC_CONFIG_LOG_LEVEL) { \
            fc_log((c), (level), (msg));      \
        }                                     \
    } while (0)
#else
#define FC_LOG(c, level, msg) ((void)0)
#endif
/* Level 2: "retry 2/4 in 1500 ms: rate limited (HTTP 429)". */
#if FC_CONFIG_LOG_LEVEL >= 2
void fc_log_retry(const fc_client *c, fc_err why, uint32_t delay_ms);
#define FC_LOG_RETRY(c, why, delay_ms) fc_log_retry((c), (why), (delay_ms))
#else
#define FC_LOG_RETRY(c, why, delay_ms) ((void)0)
#endif
/* Level 3: "connect api.example.com:443 (tls)". */
#if FC_CONFIG_LOG_LEVEL >= 3
void fc_log_connect(const fc_client *c, const fc_conn_slot *s);
#define FC_LOG_CONNECT(c, s) fc_log_connect((c), (s))
#else
#define FC_LOG_CONNECT(c, s) ((void)0)
#endif

/* ---- misc helpers --------------------------------------------------------- */
size_t fc_strnlen(const char *s, size_t max);
/* Copy a NUL-terminated string into a fixed buffer; FC_ERR_BUFFER_TOO_SMALL
 * (and nothing copied but "") when it does not fit. */
fc_err fc_copy_str(char *dst, size_t cap, const char *src);
int fc_ascii_ieq(const char *a, const char *b, size_t n);
/* The k-th string (from 0) of strings stored back to back, each ending
 * in a NUL: the string pools and the kept ticket. */
const char *fc_str_at(const char *pool, unsigned k);

#endif /* FLUIDCLOUD_FC_ENGINE_H */
