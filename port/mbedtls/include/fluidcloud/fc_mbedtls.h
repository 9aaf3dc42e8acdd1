/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls.h - TLS as a layer over any fc_transport, with mbedTLS.
 *
 * The TLS transport wraps an inner plain transport (port/posix, lwIP, a
 * modem...). One TLS transport serves http and https alike: connect() with
 * use_tls == 0 passes every call straight through to the inner transport.
 *
 *     static fc_mbedtls_config tls;          // shared by all connections
 *     fc_mbedtls_config_init(&tls);
 *     fc_mbedtls_config_add_ca(&tls, ca_pem, sizeof ca_pem); // PEM incl. NUL
 *
 *     static fc_posix_conn tcp;  fc_transport inner;
 *     static fc_mbedtls_conn sec; fc_transport t;
 *     fc_posix_transport_init(&tcp, &inner);
 *     fc_mbedtls_conn_init(&sec, &tls, &inner, &t);
 *     // give &t to the client
 *
 * Security defaults: the chain is verified against the CAs you add
 * (MBEDTLS_SSL_VERIFY_REQUIRED; with no CA every handshake fails), TLS 1.2
 * or newer, and the host name is checked and sent as SNI. IP literals
 * ("127.0.0.1", "::1") are checked against the certificate's iPAddress
 * subjectAltName entries by this layer, and are not sent as SNI (RFC 6066
 * allows DNS names only); mbedTLS 2.28 itself only matches dNSName/CN.
 *
 * Errors: a chain or name the CAs do not vouch for -> FC_ERR_TLS_VERIFY
 * (fc_mbedtls_conn_verify_flags() says why); mbedTLS out of heap anywhere
 * (records, handshake, a signature check during verification) ->
 * FC_ERR_NO_MEMORY, which the engine does not retry: the arena is too
 * small; any other TLS failure -> FC_ERR_TLS; an inner transport failure
 * keeps its own code.
 *
 * Sessions: after each handshake the session (a TLS 1.2 ticket when the
 * server offers one, else its session id) is kept in the connection and
 * offered on its next connect to the same host and port. To resume after a
 * reboot or in a new process, save it: fc_mbedtls_conn_session_save() /
 * _load() for one connection, or a session store on the shared config that
 * the layer calls itself (the way for a client with several connections).
 *
 * End of stream: a peer's close_notify reads as FC_ERR_CLOSED (a clean
 * EOF). A TCP FIN without close_notify reads as FC_ERR_TRANSPORT: anyone on
 * the path can send a FIN, so it must not end a close-delimited body.
 *
 * Memory: nothing here calls malloc. mbedTLS allocates through its own
 * calloc/free (MBEDTLS_PLATFORM_MEMORY lets you hook them); on firmware
 * build it with MBEDTLS_MEMORY_BUFFER_ALLOC_C and give
 * mbedtls_memory_buffer_alloc_init() a static arena. Per connection:
 *  - record buffers, allocated at the first TLS connect and kept until
 *    fc_mbedtls_conn_free(): MBEDTLS_SSL_IN_CONTENT_LEN +
 *    MBEDTLS_SSL_OUT_CONTENT_LEN + ~0.5 KiB overhead each way (16 KiB each
 *    by default, ~33 KiB; MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH or a smaller
 *    MBEDTLS_SSL_OUT_CONTENT_LEN cut this; keep IN at 16 KiB unless the
 *    server honours max_fragment_length);
 *  - handshake state while a handshake runs (key exchange, transcript
 *    hashes, the parsed peer chain at ~1-2 KiB per certificate), plus
 *    bignum temporaries inside single steps;
 *  - the live and the saved session, each holding a copy of the server
 *    certificate when MBEDTLS_SSL_KEEP_PEER_CERTIFICATE is on.
 * Measured per preset (Debian's 16/16, 16/4, 4/4 + max fragment length)
 * with a counting allocator: see port/mbedtls/README.md. The shared config
 * adds the parsed CA chain (~1-2 KiB per CA) and the DRBG/entropy contexts
 * (which live in the struct, not the heap).
 *
 * Record sizes: when mbedTLS is built with MBEDTLS_SSL_IN_CONTENT_LEN below
 * 16384 (and MBEDTLS_SSL_MAX_FRAGMENT_LENGTH), fc_mbedtls_config_init() asks
 * the server for the largest max_fragment_length that fits it; a server
 * that ignores the extension then fails the handshake or the first large
 * record. MBEDTLS_SSL_OUT_CONTENT_LEN may be smaller than the I/O buffer:
 * send() then takes one record's worth and the engine sends the rest.
 *
 * Builds against mbedTLS 2.28 and 3.x (only APIs both have). On 3.x with
 * PSA, fc_mbedtls_config_init() calls psa_crypto_init().
 */
#ifndef FLUIDCLOUD_FC_MBEDTLS_H
#define FLUIDCLOUD_FC_MBEDTLS_H

#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "fluidcloud/fc_config.h"
#include "fluidcloud/fc_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Shared by every connection: the mbedTLS configuration, the trusted CAs
 * and the random generator. After fc_mbedtls_config_init() you may tune
 * conf with mbedtls_ssl_conf_*() (cipher suites, max fragment length...)
 * before the first connect. Do not free it while a connection uses it.
 */
/*
 * A place for sessions that outlives the process: a file, RTC RAM, flash.
 * The layer calls save() after each handshake (and when a TLS 1.3 ticket
 * arrives) and load() before connecting to a host:port for which the
 * connection holds no session. Both run inside fc_poll(): keep them short.
 * A blob holds the session's master secret: keep it private (0600).
 * A resumed handshake checks no certificate (the server proves it holds
 * the session instead), so drop saved blobs when the trusted CAs change.
 */
typedef struct fc_mbedtls_session_store {
    /* Keep blob[0..len) as the session for host:port (replacing any). */
    void (*save)(void *ctx, const char *host, uint16_t port, const uint8_t *blob, size_t len);
    /* Copy the blob saved for host:port into buf (at most cap bytes) and
     * return its length, or 0 when there is none (or it does not fit). */
    size_t (*load)(void *ctx, const char *host, uint16_t port, uint8_t *buf, size_t cap);
    void *ctx;
    /* The caller's buffer blobs are built and read in (one at a time,
     * shared by all connections); FC_MBEDTLS_SESSION_MAX is enough. */
    uint8_t *scratch;
    size_t scratch_cap;
} fc_mbedtls_session_store;

/* Enough for a saved session with the server's certificate kept
 * (MBEDTLS_SSL_KEEP_PEER_CERTIFICATE, a 2 KiB certificate) and a ticket. */
#define FC_MBEDTLS_SESSION_MAX 4096u

typedef struct fc_mbedtls_config {
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    fc_mbedtls_session_store store; /* all NULL: none */
} fc_mbedtls_config;

/* Set up conf with the secure defaults above and seed the DRBG from
 * mbedTLS's entropy sources (on firmware: MBEDTLS_ENTROPY_HARDWARE_ALT or
 * mbedtls_entropy_add_source()). FC_ERR_TLS if seeding fails. */
fc_err fc_mbedtls_config_init(fc_mbedtls_config *cfg);

/* Trust the CA certificate(s) in buf: DER, or PEM (one or more) whose len
 * counts the terminating NUL, as mbedTLS requires (sizeof a string
 * literal). Call again to add more. Unparseable entries in a multi-PEM
 * bundle are skipped if at least one parsed. FC_ERR_INVALID_ARG when
 * nothing could be parsed, FC_ERR_NO_MEMORY when mbedTLS's heap ran out. */
fc_err fc_mbedtls_config_add_ca(fc_mbedtls_config *cfg, const uint8_t *buf, size_t len);

/* Host convenience: trust the CA(s) in a PEM or DER file. Needs
 * MBEDTLS_FS_IO (FC_ERR_INVALID_ARG without it). */
fc_err fc_mbedtls_config_add_ca_file(fc_mbedtls_config *cfg, const char *path);

/* Release what mbedTLS allocated for cfg. */
void fc_mbedtls_config_free(fc_mbedtls_config *cfg);

/* Use store (copied) for every connection on cfg; NULL: none. */
void fc_mbedtls_config_set_session_store(fc_mbedtls_config *cfg,
                                         const fc_mbedtls_session_store *store);

/* The MBEDTLS_X509_BADCERT_* flags of fc_mbedtls_conn_verify_flags() as
 * text ("not trusted by the CAs; name mismatch"), NUL-terminated and cut
 * to cap; "trusted" for 0. Returns buf. Needs no MBEDTLS_ERROR_C. */
const char *fc_mbedtls_verify_reason(uint32_t flags, char *buf, size_t cap);

/* One connection. The fields are private. */
typedef struct fc_mbedtls_conn {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_session session; /* kept for resumption */
    fc_mbedtls_config *cfg;
    fc_transport inner;
    char host[FC_CONFIG_HOST_MAX + 1]; /* verified name; session key */
    uint16_t port;                     /* session key */
    uint8_t state;                     /* FC_MBEDTLS_ST_* (private) */
    uint8_t ssl_ready;                 /* mbedtls_ssl_setup() done */
    uint8_t have_session;              /* session holds a resumable session */
    uint8_t offered;                   /* this handshake offered session */
    uint8_t cert_seen;                 /* a certificate arrived this handshake */
    uint8_t resumed;                   /* the last handshake was abbreviated */
    uint8_t ip_len;                    /* 4 or 16 when host is an IP literal */
    uint8_t ip[16];
    unsigned wait;         /* FC_WAIT_* of the last FC_AGAIN */
    fc_err io_err;         /* an inner failure seen by the bio */
    int last_ret;          /* last mbedTLS error, for logs */
    uint32_t verify_flags; /* MBEDTLS_X509_BADCERT_* of last handshake */
    uint8_t verify_oom;    /* a signature check there ran out of heap */
} fc_mbedtls_conn;

/* Prepare conn over inner (copied; its context must outlive conn) and
 * point t at it. cfg must be initialised and outlive conn. */
void fc_mbedtls_conn_init(fc_mbedtls_conn *conn, fc_mbedtls_config *cfg, const fc_transport *inner,
                          fc_transport *t);

/* Close and release what mbedTLS allocated for conn (records, session). */
void fc_mbedtls_conn_free(fc_mbedtls_conn *conn);

/* 1 when the last handshake resumed a saved session (no certificate was
 * sent: the server accepted our ticket or session id), else 0. */
int fc_mbedtls_conn_resumed(const fc_mbedtls_conn *conn);

/* Forget the saved session: the next handshake is a full one. */
void fc_mbedtls_conn_forget_session(fc_mbedtls_conn *conn);

/*
 * The session conn holds (from its last handshake) as a blob for a later
 * fc_mbedtls_conn_session_load(), in this or another process or after a
 * reboot, with the same mbedTLS build: the peer's host and port, then
 * mbedtls_ssl_session_save()'s bytes. FC_OK: buf[0..*len); FC_OK with
 * *len == 0: no session to save; FC_ERR_BUFFER_TOO_SMALL: *len is the size
 * needed. The blob holds the master secret: keep it private.
 */
fc_err fc_mbedtls_conn_session_save(const fc_mbedtls_conn *conn, uint8_t *buf, size_t cap,
                                    size_t *len);

/* Take a saved blob: its session is offered at the next connect to the
 * host and port it names (any other peer gets a full handshake, and the
 * session is dropped). FC_ERR_INVALID_ARG for a blob that is malformed or
 * from another mbedTLS version or configuration, FC_ERR_NO_MEMORY when
 * mbedTLS's heap ran out: nothing is offered. */
fc_err fc_mbedtls_conn_session_load(fc_mbedtls_conn *conn, const uint8_t *blob, size_t len);

/* MBEDTLS_X509_BADCERT_* flags of the last verification (0 = trusted);
 * e.g. NOT_TRUSTED for a wrong CA, CN_MISMATCH for a wrong name. */
uint32_t fc_mbedtls_conn_verify_flags(const fc_mbedtls_conn *conn);

/* The last raw mbedTLS error code (negative) on conn, for logs. */
int fc_mbedtls_conn_last_error(const fc_mbedtls_conn *conn);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_MBEDTLS_H */
