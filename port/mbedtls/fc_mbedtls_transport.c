/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_transport.c - the TLS layer: an fc_transport over an
 * fc_transport, driving mbedTLS non-blocking through bio callbacks.
 *
 * States: IDLE -> (use_tls == 0) PLAIN: every call goes to the inner
 *         IDLE -> CONNECTING (inner connect) -> HANDSHAKE -> OPEN
 */
#include "fluidcloud/fc_mbedtls.h"

#include <limits.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/bignum.h>
#include <mbedtls/cipher.h>
#include <mbedtls/dhm.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>

#include "fc_mbedtls_private.h"

enum { ST_IDLE = 0, ST_PLAIN, ST_CONNECTING, ST_HANDSHAKE, ST_OPEN };

/* ---- bio: mbedTLS <-> inner transport ---------------------------------- */

/* Inner would-block becomes WANT_*, EOF becomes 0, a failure is kept in
 * io_err so the caller sees the inner's own error code, not FC_ERR_TLS. */
static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    fc_mbedtls_conn *c = ctx;
    size_t sent = 0;
    fc_err err;

    if (len > INT_MAX) {
        len = INT_MAX; /* the return value is an int */
    }
    err = c->inner.ops->send(c->inner.ctx, buf, len, &sent);
    if (err == FC_OK) {
        return (int)sent;
    }
    if (err == FC_AGAIN) {
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    c->io_err = (err == FC_ERR_CLOSED) ? FC_ERR_TRANSPORT : err;
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    fc_mbedtls_conn *c = ctx;
    size_t got = 0;
    fc_err err;

    if (len > INT_MAX) {
        len = INT_MAX;
    }
    err = c->inner.ops->recv(c->inner.ctx, buf, len, &got);
    if (err == FC_OK) {
        return (int)got;
    }
    if (err == FC_AGAIN) {
        return MBEDTLS_ERR_SSL_WANT_READ;
    }
    if (err == FC_ERR_CLOSED) {
        return 0; /* EOF: mbedTLS reports it as CONN_EOF or a 0 read */
    }
    c->io_err = err;
    return MBEDTLS_ERR_NET_RECV_FAILED;
}

/* ---- errors ------------------------------------------------------------ */

/*
 * mbedTLS error codes are a high-level part (bits 7-14: SSL, X.509, PK,
 * cipher...) plus a low-level part (bits 0-6: bignum, ASN.1...), either
 * of which may say the heap ran out.
 */
static int is_alloc_failure(int ret)
{
    static const int high[] = {
        MBEDTLS_ERR_SSL_ALLOC_FAILED,
        MBEDTLS_ERR_X509_ALLOC_FAILED,
        MBEDTLS_ERR_PK_ALLOC_FAILED,
        MBEDTLS_ERR_CIPHER_ALLOC_FAILED,
        MBEDTLS_ERR_MD_ALLOC_FAILED,
        MBEDTLS_ERR_ECP_ALLOC_FAILED,
#if defined(MBEDTLS_ERR_DHM_ALLOC_FAILED)
        MBEDTLS_ERR_DHM_ALLOC_FAILED,
#endif
    };
    static const int low[] = {MBEDTLS_ERR_MPI_ALLOC_FAILED, MBEDTLS_ERR_ASN1_ALLOC_FAILED};
    int code = -ret;
    size_t i;
    if (ret >= 0) {
        return 0;
    }
    for (i = 0; i < sizeof high / sizeof high[0]; i++) {
        if ((code & 0xFF80) == -high[i]) {
            return 1;
        }
    }
    for (i = 0; i < sizeof low / sizeof low[0]; i++) {
        if ((code & 0x007F) == -low[i]) {
            return 1;
        }
    }
    return 0;
}

fc_err fc_mbedtls_failure(int ret)
{
    return is_alloc_failure(ret) ? FC_ERR_NO_MEMORY : FC_ERR_TLS;
}

/* ---- verification ------------------------------------------------------ */

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define CRT_FIELD(crt, field) ((crt)->MBEDTLS_PRIVATE(field))
#else
#define CRT_FIELD(crt, field) ((crt)->field)
#endif

/* 1 when checking child's signature with parent's key runs out of heap. */
static int signature_check_out_of_memory(const mbedtls_x509_crt *child, mbedtls_x509_crt *parent)
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(CRT_FIELD(child, sig_md));
    unsigned char hash[MBEDTLS_MD_MAX_SIZE];
    int ret;
    if (md == NULL || mbedtls_md(md, child->tbs.p, child->tbs.len, hash) != 0) {
        return 0;
    }
    ret = mbedtls_pk_verify_ext(CRT_FIELD(child, sig_pk), CRT_FIELD(child, sig_opts), &parent->pk,
                                CRT_FIELD(child, sig_md), hash, mbedtls_md_get_size(md),
                                CRT_FIELD(child, sig).p, CRT_FIELD(child, sig).len);
    return is_alloc_failure(ret);
}

/* 1 when checking child against a certificate of candidates whose subject
 * is child's issuer runs out of heap. */
static int issuer_check_out_of_memory(const mbedtls_x509_crt *child, mbedtls_x509_crt *candidates)
{
    mbedtls_x509_crt *p;
    for (p = candidates; p != NULL && p->raw.p != NULL; p = p->next) {
        if (p->subject_raw.len == child->issuer_raw.len &&
            memcmp(p->subject_raw.p, child->issuer_raw.p, child->issuer_raw.len) == 0 &&
            signature_check_out_of_memory(child, p)) {
            return 1;
        }
    }
    return 0;
}

/*
 * mbedTLS reports a signature check that ran out of heap as NOT_TRUSTED,
 * the flag of a forged or foreign chain, which would send a firmware with
 * too small an arena looking for a CA problem. So for a certificate left
 * without a trusted issuer the checks against the issuers it names are
 * redone: the heap is as it was when mbedTLS checked (each check frees
 * what it took), so a check that ran out then runs out again.
 */
static int untrusted_for_want_of_memory(const fc_mbedtls_conn *c, const mbedtls_x509_crt *crt)
{
    return issuer_check_out_of_memory(crt, crt->next) ||
           issuer_check_out_of_memory(crt, &c->cfg->ca);
}

/*
 * Called by mbedTLS for each certificate of the chain, only during a full
 * handshake (a resumed one has no Certificate message), which is how
 * fc_mbedtls_conn_resumed() knows. For IP literal hosts mbedTLS checks no
 * name (we gave it none), so the leaf's iPAddress SANs are checked here.
 * A certificate without a trusted issuer is checked for a lack of memory.
 */
static int verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    fc_mbedtls_conn *c = ctx;
    c->cert_seen = 1;
    if (depth == 0 && c->ip_len != 0 && !fc_mbedtls_crt_has_ip(crt, c->ip, c->ip_len)) {
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    }
    if ((*flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) != 0 && untrusted_for_want_of_memory(c, crt)) {
        c->verify_oom = 1;
    }
    return 0; /* not fatal here: mbedTLS fails the handshake on any flag */
}

/* ---- helpers ----------------------------------------------------------- */

/* What an mbedTLS return means for us; records wait events and errors. */
static fc_err map_ret(fc_mbedtls_conn *c, int ret)
{
    if (ret == MBEDTLS_ERR_SSL_WANT_READ) {
        c->wait = FC_WAIT_READ;
        return FC_AGAIN;
    }
    if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
        c->wait = FC_WAIT_WRITE;
        return FC_AGAIN;
    }
    c->last_ret = ret;
    if (c->io_err != FC_OK) {
        return c->io_err;
    }
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        return c->verify_oom ? FC_ERR_NO_MEMORY : FC_ERR_TLS_VERIFY;
    }
    return fc_mbedtls_failure(ret);
}

/* Allocate the records once (mbedTLS heap), then only reset them, so a
 * static arena sees the same sizes on every reconnect. */
static int prepare_ssl(fc_mbedtls_conn *c)
{
    if (!c->ssl_ready) {
        int ret = mbedtls_ssl_setup(&c->ssl, &c->cfg->conf);
        if (ret != 0) {
            return ret;
        }
        c->ssl_ready = 1;
        return 0;
    }
    return mbedtls_ssl_session_reset(&c->ssl);
}

/* Remember host:port; a different peer must not get our old session. */
static int remember_peer(fc_mbedtls_conn *c, const char *host, uint16_t port)
{
    size_t len = strlen(host);
    if (len == 0 || len > FC_CONFIG_HOST_MAX) {
        return -1;
    }
    if (c->port != port || strcmp(c->host, host) != 0) {
        fc_mbedtls_conn_forget_session(c);
    }
    memcpy(c->host, host, len + 1);
    c->port = port;
    c->ip_len = (uint8_t)fc_mbedtls_parse_ip(host, c->ip);
    return 0;
}

/*
 * Names go to mbedTLS (checked against dNSName/CN, sent as SNI). IP
 * literals do not: SNI must not carry them, and 2.28 cannot match them;
 * verify_cb does. The explicit NULL also tells mbedTLS >= 3.6.3 that
 * skipping its name check is deliberate.
 */
static int set_identity(fc_mbedtls_conn *c)
{
    int ret = mbedtls_ssl_set_hostname(&c->ssl, c->ip_len != 0 ? NULL : c->host);
    if (ret != 0) {
        return ret;
    }
    mbedtls_ssl_set_verify(&c->ssl, verify_cb, c);
    mbedtls_ssl_set_bio(&c->ssl, c, bio_send, bio_recv, NULL);
    c->offered = 0;
    if (c->have_session && mbedtls_ssl_set_session(&c->ssl, &c->session) == 0) {
        c->offered = 1; /* a failed set just means a full handshake */
    }
    return 0;
}

/* Set up a fresh TLS session for host:port before the TCP connect. */
static fc_err start_tls(fc_mbedtls_conn *c, const char *host, uint16_t port)
{
    int ret;
    if (remember_peer(c, host, port) != 0) {
        return FC_ERR_INVALID_ARG;
    }
    fc_mbedtls_store_load(c, host, port); /* a session from an earlier run */
    ret = prepare_ssl(c);
    if (ret == 0) {
        ret = set_identity(c);
    }
    if (ret != 0) {
        c->last_ret = ret;
        return fc_mbedtls_failure(ret);
    }
    c->io_err = FC_OK;
    c->cert_seen = 0;
    c->resumed = 0;
    c->verify_flags = 0;
    c->verify_oom = 0;
    return FC_OK;
}

/* After a handshake: note whether it resumed, keep the session for next
 * time (a ticket, or the id the server may remember), also in the store. */
static void after_handshake(fc_mbedtls_conn *c)
{
    c->resumed = (uint8_t)(c->offered && !c->cert_seen);
    fc_mbedtls_conn_forget_session(c);
    if (mbedtls_ssl_get_session(&c->ssl, &c->session) == 0) {
        c->have_session = 1;
        fc_mbedtls_store_save(c);
    }
}

/* ---- fc_transport_ops ---------------------------------------------------- */

static void tls_close(void *ctx);

static fc_err tls_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    fc_mbedtls_conn *c = ctx;
    fc_err err;

    tls_close(c);
    if (host == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    if (!use_tls) {
        c->state = ST_PLAIN;
        return c->inner.ops->connect(c->inner.ctx, host, port, 0);
    }
    err = start_tls(c, host, port);
    if (err != FC_OK) {
        return err;
    }
    c->state = ST_CONNECTING;
    /* The inner is a plain stream: TLS is us. FC_OK means connected;
     * the caller goes on with handshake(). */
    return c->inner.ops->connect(c->inner.ctx, host, port, 0);
}

static fc_err tls_connect_poll(void *ctx)
{
    fc_mbedtls_conn *c = ctx;
    if (c->state == ST_IDLE) {
        return FC_ERR_CONNECT;
    }
    if (c->state != ST_PLAIN && c->state != ST_CONNECTING) {
        return FC_OK; /* TCP is long done */
    }
    return c->inner.ops->connect_poll(c->inner.ctx);
}

static fc_err tls_handshake(void *ctx)
{
    fc_mbedtls_conn *c = ctx;
    int ret;

    if (c->state == ST_PLAIN || c->state == ST_OPEN) {
        return FC_OK;
    }
    if (c->state == ST_IDLE) {
        return FC_ERR_TLS;
    }
    c->state = ST_HANDSHAKE; /* connect_poll() said FC_OK (the contract) */
    ret = mbedtls_ssl_handshake(&c->ssl);
    if (ret == 0) {
        after_handshake(c);
        c->state = ST_OPEN;
        return FC_OK;
    }
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        c->verify_flags = mbedtls_ssl_get_verify_result(&c->ssl);
    }
    return map_ret(c, ret);
}

static fc_err tls_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    fc_mbedtls_conn *c = ctx;
    int ret;

    *sent = 0;
    if (c->state == ST_PLAIN) {
        return c->inner.ops->send(c->inner.ctx, data, len, sent);
    }
    if (c->state != ST_OPEN || data == NULL || len == 0) {
        return FC_ERR_INVALID_ARG;
    }
    /* After WANT_* the caller retries with the same data and len, which is
     * what mbedtls_ssl_write() requires (fc_port.h promises it). */
    ret = mbedtls_ssl_write(&c->ssl, data, len);
    if (ret > 0) {
        *sent = (size_t)ret;
        return FC_OK;
    }
    return map_ret(c, ret);
}

/* A TLS 1.3 ticket arriving mid-stream (mbedTLS 3.x only): keep it. */
static int ticket_arrived(fc_mbedtls_conn *c, int ret)
{
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
        fc_mbedtls_conn_forget_session(c);
        c->have_session = (uint8_t)(mbedtls_ssl_get_session(&c->ssl, &c->session) == 0);
        if (c->have_session) {
            fc_mbedtls_store_save(c);
        }
        return 1;
    }
#else
    (void)c;
    (void)ret;
#endif
    return 0;
}

static fc_err tls_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fc_mbedtls_conn *c = ctx;
    int ret;

    *got = 0;
    if (c->state == ST_PLAIN) {
        return c->inner.ops->recv(c->inner.ctx, buf, cap, got);
    }
    if (c->state != ST_OPEN || buf == NULL || cap == 0) {
        return FC_ERR_INVALID_ARG;
    }
    do {
        ret = mbedtls_ssl_read(&c->ssl, buf, cap); /* may want a WRITE */
    } while (ticket_arrived(c, ret));
    if (ret > 0) {
        *got = (size_t)ret;
        return FC_OK;
    }
    if (c->io_err != FC_OK) {
        return map_ret(c, ret);
    }
    if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
        c->last_ret = ret;
        return FC_ERR_CLOSED; /* the peer's authenticated end of stream */
    }
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_CONN_EOF) {
        /* A TCP FIN without close_notify: anyone on the path can forge it,
         * so it must not end a close-delimited body as if complete. */
        c->last_ret = MBEDTLS_ERR_SSL_CONN_EOF;
        return FC_ERR_TRANSPORT;
    }
    return map_ret(c, ret);
}

static void tls_close(void *ctx)
{
    fc_mbedtls_conn *c = ctx;
    if (c->state == ST_OPEN && c->io_err == FC_OK) {
        /* Best effort, one try: a polite peer learns we are done; a
         * blocked or broken socket just gets closed. */
        (void)mbedtls_ssl_close_notify(&c->ssl);
    }
    if (c->state != ST_IDLE) {
        c->inner.ops->close(c->inner.ctx);
    }
    c->state = ST_IDLE;
    c->wait = 0;
}

static unsigned tls_wait_events(void *ctx)
{
    fc_mbedtls_conn *c = ctx;
    if (c->state == ST_PLAIN || c->state == ST_CONNECTING) {
        return c->inner.ops->wait_events(c->inner.ctx);
    }
    return c->wait;
}

static int tls_pollable_fd(void *ctx)
{
    fc_mbedtls_conn *c = ctx;
    if (c->inner.ops->pollable_fd == NULL) {
        return -1;
    }
    return c->inner.ops->pollable_fd(c->inner.ctx);
}

/* Plain pass-through: none; after a TLS handshake: full or resumed. */
static unsigned tls_handshake_kind(void *ctx)
{
    const fc_mbedtls_conn *c = ctx;
    if (c->state != ST_OPEN) {
        return FC_HANDSHAKE_NONE;
    }
    return c->resumed ? FC_HANDSHAKE_RESUMED : FC_HANDSHAKE_FULL;
}

/* A streamed body is coming: the transport below may pack the records
 * into whole segments until told 0 (by then every record of the body was
 * handed to it: send() returns only once mbedTLS wrote the record out). */
static void tls_more_follows(void *ctx, int more)
{
    fc_mbedtls_conn *c = ctx;
    if (c->inner.ops->more_follows != NULL) {
        c->inner.ops->more_follows(c->inner.ctx, more);
    }
}

static const fc_transport_ops tls_ops = {
    .connect = tls_connect,
    .connect_poll = tls_connect_poll,
    .handshake = tls_handshake,
    .send = tls_send,
    .recv = tls_recv,
    .close = tls_close,
    .wait_events = tls_wait_events,
    .pollable_fd = tls_pollable_fd,
    .handshake_kind = tls_handshake_kind,
    .more_follows = tls_more_follows,
};

/* ---- public ------------------------------------------------------------- */

void fc_mbedtls_conn_init(fc_mbedtls_conn *conn, fc_mbedtls_config *cfg, const fc_transport *inner,
                          fc_transport *t)
{
    memset(conn, 0, sizeof *conn);
    mbedtls_ssl_init(&conn->ssl);
    mbedtls_ssl_session_init(&conn->session);
    conn->cfg = cfg;
    conn->inner = *inner;
    conn->state = ST_IDLE;
    conn->io_err = FC_OK;
    t->ops = &tls_ops;
    t->ctx = conn;
}

void fc_mbedtls_conn_free(fc_mbedtls_conn *conn)
{
    tls_close(conn);
    mbedtls_ssl_free(&conn->ssl);
    mbedtls_ssl_init(&conn->ssl); /* safe to free twice or init again */
    fc_mbedtls_conn_forget_session(conn);
    conn->ssl_ready = 0;
}

int fc_mbedtls_conn_resumed(const fc_mbedtls_conn *conn)
{
    return conn->resumed;
}

void fc_mbedtls_conn_forget_session(fc_mbedtls_conn *conn)
{
    mbedtls_ssl_session_free(&conn->session);
    mbedtls_ssl_session_init(&conn->session);
    conn->have_session = 0;
}

uint32_t fc_mbedtls_conn_verify_flags(const fc_mbedtls_conn *conn)
{
    return conn->verify_flags;
}

int fc_mbedtls_conn_last_error(const fc_mbedtls_conn *conn)
{
    return conn->last_ret;
}
