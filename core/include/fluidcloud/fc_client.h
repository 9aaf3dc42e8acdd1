/* SPDX-License-Identifier: MIT */
/*
 * fc_client.h - the client: configuration, the poll loop, waiting, errors.
 *
 * A client runs one operation at a time (an API call, or a whole upload
 * flow). Start it with one of the fc_* operation calls (fc_api.h,
 * fc_upload.h): they return FC_AGAIN when started. Then drive it:
 *
 *     fc_err r;
 *     while ((r = fc_poll(&client)) == FC_AGAIN) {
 *         fc_wait w;
 *         fc_client_wait(&client, &w);   // what to sleep on
 *         ... poll(w.fd, w.events, w.timeout_ms), or sleep an MCU ...
 *     }
 *     // r is FC_OK or the error; fc_client_error() has the details.
 *
 * fc_poll() never blocks (except the name resolution of ports that say so)
 * and every operation ends: each state has a deadline. Several clients can
 * run side by side, each with its own buffers and transports.
 *
 * Memory: the client struct, the I/O buffer and the token array are the
 * caller's, and must outlive the client. Strings passed to an operation
 * (ids, names) must stay valid until it ends. Nothing is allocated.
 */
#ifndef FLUIDCLOUD_FC_CLIENT_H
#define FLUIDCLOUD_FC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_config.h"
#include "fluidcloud/fc_error.h"
#include "fluidcloud/fc_json.h"
#include "fluidcloud/fc_port.h"
#include "fluidcloud/fc_url.h"
#include "fluidcloud/fc_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Deadlines in milliseconds; 0 disables one. */
typedef struct fc_timeouts {
    uint32_t connect_ms;    /* TCP connect (name resolution included) */
    uint32_t tls_ms;        /* TLS handshake */
    uint32_t first_byte_ms; /* request sent -> first response byte */
    uint32_t idle_ms;       /* no progress while sending or receiving */
    /* The whole operation, retries and timers included (0: none). It grows
     * by 1 s for every min_bytes_per_s bytes moved, so a large upload or
     * download that keeps moving is not cut, while a server that drips
     * bytes slower than that is: every operation ends. Spans above 2^31 ms
     * (24.8 days) count as 2^31 ms. */
    uint32_t total_ms;
    uint32_t min_bytes_per_s; /* 0: the total deadline does not grow */
} fc_timeouts;

typedef struct fc_retry_policy {
    uint8_t max_attempts; /* per request; 1 = never retry */
    uint32_t base_ms;     /* backoff: random in [0, min(cap, base*2^n)] */
    uint32_t cap_ms;
    /* A Retry-After (on any status) above this ends the request at once
     * instead of waiting: error->retry_after_s tells what was asked. */
    uint32_t retry_after_max_s;
} fc_retry_policy;

/* How the key is sent; the server treats both headers alike [seed]. */
typedef enum fc_auth_scheme {
    FC_AUTH_AUTO = 0,  /* X-API-Key for fck_ keys, else Bearer (as the TS SDK) */
    FC_AUTH_X_API_KEY, /* X-API-Key: <key> */
    FC_AUTH_BEARER     /* Authorization: Bearer <key> */
} fc_auth_scheme;

typedef struct fc_client_config {
    /* The API: "https://api-cloud.fluidvip.com/api/v1", or the bare origin
     * the official SDKs take ("https://api-cloud.fluidvip.com", which gets
     * /api/v1); NULL means the production API. Trailing '/' are ignored. */
    const char *base_url;
    const char *api_key;      /* sent to the base_url host only */
    fc_auth_scheme auth;      /* FC_AUTH_AUTO by default */
    fc_transport *transports; /* one per keep-alive connection */
    size_t transport_count;   /* 1..FC_CONFIG_MAX_CONNECTIONS */
    fc_system system;         /* clock and random source */
    uint8_t *io_buf;          /* request heads, body chunks, JSON responses */
    size_t io_buf_size;
    fc_json_tok *tokens; /* for decoding responses */
    unsigned token_count;
    fc_timeouts timeouts;
    fc_retry_policy retry;
    const char *user_agent; /* NULL = "fluidcloud-c/<version>" */
    /* Optional log sink, used only when FC_CONFIG_LOG_LEVEL > 0 (the calls
     * are compiled out otherwise): level 1 errors, 2 warnings (retries),
     * 3 info (the host of each new connection), 4 debug (keep-alive reuse). */
    void (*log)(void *ctx, int level, const char *msg);
    void *log_ctx;
} fc_client_config;

/* Fills every field with the FC_CONFIG_* defaults and zeroes the rest. */
void fc_client_config_defaults(fc_client_config *cfg);

/* fc_wait.events: besides FC_WAIT_READ/WRITE of the connection (fc_port.h),
 * the operation waits for the application's body source, which answered
 * FC_AGAIN: poll again after timeout_ms, or at once after telling the
 * client with fc_client_source_ready(). */
#define FC_WAIT_SOURCE 0x4u

/* What an operation waits for: sleep until one of the events on fd, or
 * until timeout_ms passed, then call fc_poll() again. events == 0 means a
 * pure timer. fd is -1 where the transport has none (call fc_poll() on the
 * stack's own events, e.g. from lwIP callbacks). */
typedef struct fc_wait {
    unsigned events; /* FC_WAIT_READ | FC_WAIT_WRITE | FC_WAIT_SOURCE */
    int fd;
    uint32_t timeout_ms; /* until the next deadline or timer */
} fc_wait;

/* The details of the last failure (or of the last HTTP status). */
typedef struct fc_error_info {
    fc_err err;
    int http_status;        /* 0 when no response was received */
    uint32_t retry_after_s; /* Retry-After of the last 429/503 */
    uint8_t attempts;       /* attempts made of the last request */
    size_t needed;          /* FC_ERR_BUFFER_TOO_SMALL: bytes needed, if known */
    /* The host and port of the connection the last attempt used (the API
     * host, or the storage host of a PUT); NULL when none was chosen. The
     * text stays valid until the next operation starts. */
    const char *host;
    uint16_t port;
    char step[24];                     /* what failed: the call ("files.get", "uploads.import_url")
                     or the upload's step ("initiate", "put", "scan" ...) */
    char code[24];                     /* detail.error: "insufficient_scope", ... */
    char missing[64];                  /* insufficient_scope: missing scopes, spaces */
    char required[64];                 /* insufficient_scope: required scopes */
    char detail[FC_CONFIG_DETAIL_MAX]; /* the server's message (cut to fit), or for
                                          FC_ERR_JSON what is wrong with the answer
                                          ("size: not an integer"; with
                                          FC_CONFIG_ANSWER_DETAIL) */
    uint8_t detail_cut;                /* 1 when detail was longer than the buffer */
} fc_error_info;

/* A request body pulled in pieces (an upload's bytes). read() fills up to
 * cap bytes and sets *got (0 only at the end of the source; fewer than
 * cap is fine). seek() (optional, NULL when the source cannot) moves the
 * source to an absolute byte offset: with it a failed part is sent again
 * and a saved upload resumes; without it such failures end the upload.
 * Both return FC_OK, FC_AGAIN (not ready yet: called again soon) or an
 * error, which ends the operation as FC_ERR_SOURCE. */
typedef struct fc_source {
    fc_err (*read)(void *ctx, uint8_t *buf, size_t cap, size_t *got);
    fc_err (*seek)(void *ctx, uint64_t offset);
    void *ctx;
} fc_source;

/* A response body pushed in pieces, in order (a download's bytes). A return
 * other than FC_OK stops the operation (FC_AGAIN counts as FC_ERR_SINK). */
typedef fc_err (*fc_sink_fn)(void *ctx, const uint8_t *data, size_t len);

/* What the last operation cost on the wire: one read after it ended (or
 * while it runs, without the phase under way), for battery and cellular
 * budgets. Each operation starts it at zero. Times are milliseconds of the
 * client's clock, summed over the operation's requests. */
typedef struct fc_stats {
    uint64_t bytes_sent;     /* HTTP bytes handed to the transport */
    uint64_t bytes_received; /* HTTP bytes the transport delivered */
    uint32_t requests;       /* requests sent, each retry again */
    uint32_t retries;        /* of them, repeats after a failed attempt */
    uint32_t connects;       /* connections opened (a kept-alive one is not) */
    uint32_t tls_full;       /* full TLS handshakes */
    uint32_t tls_resumed;    /* resumed TLS sessions */
    uint32_t ms_connect;     /* TCP connect, name resolution included */
    uint32_t ms_tls;         /* TLS handshakes */
    uint32_t ms_send;        /* request heads and bodies */
    uint32_t ms_first_byte;  /* request sent -> first response byte */
    uint32_t ms_receive;     /* first response byte -> response complete */
    uint32_t ms_retry_wait;  /* backing off between attempts */
    uint32_t ms_timer;       /* the operation's own waits: an upload's scan polls */
} fc_stats;

/* The client. Its layout is at the end of this header, only so that the
 * application can allocate it: every field but cfg is private. */
typedef struct fc_client fc_client;

/* Check the configuration and prepare the client. The struct's old
 * contents are not read (it may be garbage). The transports of cfg are
 * closed first: initialising a client again on the same transports closes
 * the connections the earlier client kept open, never forgets them. (A
 * client that used other transports: fc_client_deinit it first.)
 * A refused cfg leaves c as it was but for the error info: fc_client_error()
 * names the field in step - "api_key", "transports", "transport_count",
 * "system", "io_buf", "io_buf_size", "tokens", "token_count",
 * "max_attempts" or "base_url" - and puts the least value it needs in
 * needed where one applies (transport_count 1, io_buf_size 256,
 * token_count 8, max_attempts 1; for a transport_count above
 * FC_CONFIG_MAX_CONNECTIONS, and a base_url host longer than
 * FC_CONFIG_HOST_MAX allows, the value that option would need). err is
 * FC_ERR_BAD_URL for base_url, else FC_ERR_INVALID_ARG.
 * FC_ERR_ABI: the application was compiled with other FC_CONFIG_* values or
 * headers than the library (the ABI guard below).
 * A macro: it hands the library the caller's view of the layouts. */
#define fc_client_init(c, cfg) fc_client_init_abi((c), (cfg), fc_abi_here())

/* End a client: stop its operation, close its connections. Its memory may
 * then be reused; fc_client_init makes it a client again. Safe twice; only
 * on an initialised client. */
void fc_client_deinit(fc_client *c);

/* Advance the running operation: FC_AGAIN while it runs, then its result
 * once (FC_OK or an error). With nothing running: FC_OK. */
fc_err fc_poll(fc_client *c);

/* What the running operation waits for (see fc_wait). */
void fc_client_wait(const fc_client *c, fc_wait *w);

/* The body source that answered FC_AGAIN has data now (call it from the
 * application's loop, not from an interrupt): the next fc_client_wait asks
 * for no sleep. */
void fc_client_source_ready(fc_client *c);

/* Stop the running operation now; its connection is closed. */
void fc_client_cancel(fc_client *c);

/* Close every kept-alive connection (the client stays usable). */
void fc_client_close(fc_client *c);

/* Details of the last operation's failure (err FC_OK when it succeeded).
 * A macro: it reads the error info where the application's own layout of
 * fc_client has it, which is where a failed ABI check writes. */
#define fc_client_error(c) ((const fc_error_info *)&(c)->priv.error)

/* The wire statistics of the last (or running) operation. */
const fc_stats *fc_client_stats(const fc_client *c);

/* 1 while an operation runs. */
int fc_client_busy(const fc_client *c);

/* ---- the ABI guard ------------------------------------------------------
 * The layouts of fc_client, fc_upload and the ports' structs depend on the
 * FC_CONFIG_* values and on the version of these headers. An application
 * compiled with other values than the library would corrupt memory without
 * a word, so fc_client_init() hands the library the application's view,
 * fc_abi_here(): words compiled where it is called. The first word that
 * differs from the library's own stops fc_client_init() with FC_ERR_ABI
 * before it touches anything else, and fc_client_error() says which: step
 * "abi", needed the library's value, and detail
 * "FC_CONFIG_MAX_CONNECTIONS: 3 here, 2 in the library" - or, in a library
 * built without FC_CONFIG_ANSWER_DETAIL (firmware, to save the names),
 * "fc_abi.word[1]: 3 here, 2 in the library", word[1] being
 * FC_ABI_MAX_CONNECTIONS below. With headers of another version nothing is
 * written (their layout is unknown): FC_ERR_ABI alone says so, and
 * fc_abi_check() gives the text ("headers 0.3.0, library 0.2.0"). */
#define FC_ABI_INDEX(name) FC_ABI_##name,
enum fc_abi_word {
    FC_ABI_VERSION,              /* FC_VERSION_NUMBER of the headers */
    FC_CONFIG_LIST(FC_ABI_INDEX) /* FC_ABI_MAX_CONNECTIONS ...: each option's
                                    value, in FC_CONFIG_LIST order */
    FC_ABI_SIZEOF_CLIENT,        /* sizeof(fc_client) */
    FC_ABI_SIZEOF_CONFIG,        /* sizeof(fc_client_config) */
    FC_ABI_SIZEOF_ERROR,         /* sizeof(fc_error_info) */
    FC_ABI_OFFSETOF_ERROR,       /* offsetof(fc_client, priv.error) */
    FC_ABI_WORDS
};

/* One side's view of the layouts both use, compared word by word. */
typedef struct fc_abi {
    uint32_t word[FC_ABI_WORDS];
} fc_abi;

/* The view of the code that includes this header (defined at its end). */
static inline const fc_abi *fc_abi_here(void);

/* FC_OK when app's view is the library's, else FC_ERR_ABI and the text
 * naming the first difference in detail (cut to cap bytes with the NUL;
 * nothing written when cap is 0). For code that has no client to ask. */
fc_err fc_abi_check(const fc_abi *app, char *detail, size_t cap);

/* What fc_client_init() calls, with the caller's view. */
fc_err fc_client_init_abi(fc_client *c, const fc_client_config *cfg, const fc_abi *app);

/* Blocking convenience for hosts and simple firmware: runs fc_poll() until
 * the operation ends, calling wait() in between (the posix port provides
 * fc_posix_wait_fn). Returns the operation's result. */
typedef void (*fc_wait_fn)(void *ctx, const fc_wait *w);
fc_err fc_run(fc_client *c, fc_wait_fn wait, void *wait_ctx);

/* ==== private: the layout of fc_client ====================================
 * Nothing below is part of the API: the types are here so that fc_client
 * has a size. Do not read or write them; they change between releases. */

/* Room for the HTTP parser (llhttp_t, 64 B on a 32-bit MCU with llhttp 8,
 * 72 B with llhttp 9, 96 B on 64-bit hosts). Kept opaque so that no public
 * header needs llhttp.h; the engine fails to compile if llhttp's struct
 * does not fit (raise FC_HTTP_PARSER_SIZE then). */
#ifndef FC_HTTP_PARSER_SIZE
#define FC_HTTP_PARSER_SIZE (8u * sizeof(void *) + 5u * sizeof(uint64_t))
#endif
typedef union fc_http_parser_storage {
    uint64_t align_u64;
    void *align_ptr;
    unsigned char bytes[FC_HTTP_PARSER_SIZE];
} fc_http_parser_storage;

struct fc_head_writer;

/* One HTTP exchange, described so that it can be written again on retry. */
typedef struct fc_request {
    uint8_t method;  /* FC_HTTP_* */
    uint8_t flags;   /* FC_REQ_* */
    const char *url; /* absolute URL, for requests off the API */
    size_t url_len;
    /* API requests: writes the path after base_url's path (and query). */
    fc_err (*write_target)(fc_client *c, struct fc_head_writer *w);
    /* Extra header lines (e.g. a presigned ticket's headers). */
    fc_err (*write_headers)(fc_client *c, struct fc_head_writer *w);
    /* A small JSON body, written after the head in the I/O buffer. */
    fc_err (*write_json)(fc_client *c, fc_json_writer *w);
    /* A large body, streamed from the source (body_len bytes). */
    const fc_source *source;
    uint64_t body_offset; /* where in the source this body starts */
    uint64_t body_len;
    /* 2xx response bodies go to the sink when set, else to the buffer. */
    fc_sink_fn sink;
    void *sink_ctx;
    /* Headers of the final answer the request wants (FC_CAPTURE_* bits):
     * their values go to on_header in pieces, then one call with which 0
     * when the head is complete, before any body byte. */
    unsigned capture;
    fc_err (*on_header)(fc_client *c, unsigned which, const char *piece, size_t len);
} fc_request;

/* fc_request.capture bits (the `which` of on_header). */
#define FC_CAPTURE_CONTENT_RANGE       0x1u
#define FC_CAPTURE_CONTENT_DISPOSITION 0x2u

/* Bytes of the default space's id the client keeps for the upload flow
 * (FC_ID_MAX of fc_api.h; the transfer layer checks they agree). */
#define FC_CLIENT_SPACE_ID_MAX 40

typedef struct fc_conn_slot {
    uint8_t state; /* FC_CONN_* */
    uint8_t tls;
    uint16_t port;
    uint32_t last_used_ms;
    char host[FC_CONFIG_HOST_MAX];
} fc_conn_slot;

/* The response being read. */
typedef struct fc_response {
    fc_http_parser_storage parser; /* an llhttp_t, for the engine only */
    int status;
    uint8_t complete;
    uint8_t keep_alive;
    uint8_t to_sink;
    uint8_t body_cut;       /* an error body longer than the buffer: its start kept */
    uint8_t captured;       /* FC_CAPTURE_* of the header being read (hdr_id CAPTURED) */
    uint8_t hdr_id;         /* which captured header is being read */
    uint8_t hdr_text_len;   /* bytes in hdr_text (FC_HDR_TEXT_CUT: too long) */
    char hdr_text[32];      /* a header name's start, then a kept value */
    uint16_t hdr_len;       /* bytes of the ETag value */
    uint32_t retry_after_s; /* the parser's reading; error.retry_after_s reports it */
    uint32_t retry_at_s;    /* Retry-After as an HTTP-date, Unix s (0: none) */
    uint32_t date_s;        /* the Date header, Unix s (0: none) */
    char etag[FC_CONFIG_ETAG_MAX];
    size_t body_len;    /* bytes of body kept in the buffer */
    uint64_t body_seen; /* bytes of body received in all */
    fc_err cb_err;      /* error raised inside a parser callback */
} fc_response;

struct fc_list_params;
struct fc_api_endpoint;

/* The arguments of an API call, by name: the fc_* call sets them, the
 * endpoint's field list (core/src/api/fc_api_internal.h) reads them by
 * member. Strings are the caller's; NULL is "not given". */
typedef struct fc_api_args {
    const char *id; /* the id in the path */
    const char *name;
    const char *app;
    const char *space_id;
    const char *folder_id;
    const char *parent_id;
    const char *file_id;
    const char *url;
    const char *client_key;
    const char *permission;
    int64_t expires_in_days; /* < 0: null, a permanent link */
} fc_api_args;

/* The arguments of a list call. */
typedef struct fc_list_args {
    const struct fc_list_params *params; /* filters and paging; NULL: none */
    void *items;                         /* the caller's item array */
    size_t cap;                          /* its length; SIZE_MAX when items are handed
                                 over one at a time */
} fc_list_args;

/* The running operation: what it calls back, its arguments and result. */
typedef struct fc_op {
    /* Called when a request of the operation ended (result FC_OK for
     * 2xx): returns FC_AGAIN after starting the next request or timer,
     * else the operation's final result. */
    fc_err (*on_response)(fc_client *c, fc_err result);
    /* Called when a timer started by the operation expires. */
    fc_err (*on_timer)(fc_client *c);
    const struct fc_api_endpoint *endpoint; /* API requests: the endpoint's row */
    union {
        fc_api_args api;   /* endpoints other than lists */
        fc_list_args list; /* list endpoints */
    } args;
    void *out;        /* the caller's result struct */
    const char *step; /* name of the step, for errors */
} fc_op;

/* The engine's state, one operation at a time. */
typedef struct fc_client_private {
    fc_url base;     /* parsed base_url, its path without a final '/' */
    uint32_t op_seq; /* counts operations started */
    uint8_t state;   /* FC_ST_* */
    uint8_t slot;    /* connection slot of the current request */
    uint8_t attempt;
    uint8_t reused;        /* the connection was reused (keep-alive) */
    uint8_t sent_any;      /* a byte of this attempt left us */
    uint8_t source_pulled; /* the request's source was read since its start */
    uint8_t ready;         /* fc_poll stopped early: call again now */
    uint8_t source_wait;   /* the body source answered FC_AGAIN */
    uint8_t more_follows;  /* the transport was told more body follows */
    uint32_t deadline_ms;  /* of the current state, when has_deadline */
    uint8_t has_deadline;
    uint8_t has_total;
    uint8_t has_phase;
    uint32_t total_deadline_ms;
    uint32_t phase_deadline_ms; /* set by the flow: fc_op_phase_deadline */
    uint32_t rate_carry;        /* byte credit below one ms (fc_op_credit_bytes) */
    size_t reserved;            /* bytes at the start of io_buf kept by a flow */
    size_t out_pos;             /* send progress in the I/O buffer */
    size_t out_len;
    uint64_t body_sent; /* bytes of a streamed body sent */
    fc_request req;
    fc_response resp;
    fc_op op;
    fc_error_info error;       /* read it with fc_client_error() */
    fc_stats stats;            /* read it with fc_client_stats() */
    uint32_t phase_started_ms; /* when the current state began (stats) */
    uint8_t first_byte_seen;   /* FC_ST_RECV: the response has begun */
    fc_conn_slot slots[FC_CONFIG_MAX_CONNECTIONS];
    /* The default space ("My files"), looked up once per client by the
     * upload flow (core/src/transfer owns it); "" until then. */
    char default_space_id[FC_CLIENT_SPACE_ID_MAX];
} fc_client_private;

struct fc_client {
    /* The configuration given to fc_client_init (a copy). Timeouts and
     * the retry policy may be changed while no operation runs. */
    fc_client_config cfg;
    fc_client_private priv; /* private */
};

#define FC_ABI_VALUE(name) (uint32_t)(FC_CONFIG_##name),

static inline const fc_abi *fc_abi_here(void)
{
    static const fc_abi abi = {{
        FC_VERSION_NUMBER,
        FC_CONFIG_LIST(FC_ABI_VALUE) /* the options, then the layout */
        (uint32_t)sizeof(fc_client),
        (uint32_t)sizeof(fc_client_config),
        (uint32_t)sizeof(fc_error_info),
        (uint32_t)offsetof(fc_client, priv.error),
    }};
    return &abi;
}

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_CLIENT_H */
