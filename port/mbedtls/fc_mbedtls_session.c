/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_session.c - sessions that outlive the connection: blobs for
 * the application (save/load) and the session store the transport calls.
 *
 * Blob layout (ours, then mbedTLS's own serialisation, which carries its
 * version and configuration and refuses to load in a different build):
 *   "FCS" 0x01 | port (2 bytes, big-endian) | host length n (1) | host (n)
 *   | mbedtls_ssl_session_save() bytes
 */
#include "fluidcloud/fc_mbedtls.h"

#include <string.h>

#include "fc_mbedtls_private.h"

static const uint8_t k_magic[4] = {'F', 'C', 'S', 1};
#define HEADER_FIXED 7u /* magic, port, host length */

fc_err fc_mbedtls_conn_session_save(const fc_mbedtls_conn *conn, uint8_t *buf, size_t cap,
                                    size_t *len)
{
    size_t host_len, head, tail = 0;
    int ret;

    if (conn == NULL || len == NULL || (buf == NULL && cap != 0)) {
        return FC_ERR_INVALID_ARG;
    }
    *len = 0;
    if (!conn->have_session) {
        return FC_OK;
    }
    host_len = strlen(conn->host);
    head = HEADER_FIXED + host_len;
    ret = mbedtls_ssl_session_save(&conn->session, cap > head ? buf + head : NULL,
                                   cap > head ? cap - head : 0, &tail);
    if (ret == MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL || cap < head) {
        *len = head + tail;
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    if (ret != 0) {
        return FC_ERR_TLS;
    }
    memcpy(buf, k_magic, sizeof k_magic);
    buf[4] = (uint8_t)(conn->port >> 8);
    buf[5] = (uint8_t)conn->port;
    buf[6] = (uint8_t)host_len;
    memcpy(buf + HEADER_FIXED, conn->host, host_len);
    *len = head + tail;
    return FC_OK;
}

/* The peer a blob names: its host (copied into host, NUL-terminated) and
 * port; returns the offset of mbedTLS's bytes, or 0 when malformed. */
static size_t parse_header(const uint8_t *blob, size_t len, char host[FC_CONFIG_HOST_MAX + 1],
                           uint16_t *port)
{
    size_t n;

    if (blob == NULL || len <= HEADER_FIXED || memcmp(blob, k_magic, sizeof k_magic) != 0) {
        return 0;
    }
    n = blob[6];
    if (n == 0 || n > FC_CONFIG_HOST_MAX || len <= HEADER_FIXED + n ||
        memchr(blob + HEADER_FIXED, '\0', n) != NULL) {
        return 0;
    }
    memcpy(host, blob + HEADER_FIXED, n);
    host[n] = '\0';
    *port = (uint16_t)((blob[4] << 8) | blob[5]);
    return HEADER_FIXED + n;
}

/* Load blob into conn's session; when want_host is given the blob must
 * name exactly that peer. */
static fc_err load_blob(fc_mbedtls_conn *conn, const uint8_t *blob, size_t len,
                        const char *want_host, uint16_t want_port)
{
    char host[FC_CONFIG_HOST_MAX + 1];
    uint16_t port = 0;
    size_t off = parse_header(blob, len, host, &port);
    int ret;

    fc_mbedtls_conn_forget_session(conn);
    if (off == 0 || (want_host != NULL && (port != want_port || strcmp(host, want_host) != 0))) {
        return FC_ERR_INVALID_ARG;
    }
    ret = mbedtls_ssl_session_load(&conn->session, blob + off, len - off);
    if (ret != 0) {
        fc_mbedtls_conn_forget_session(conn); /* load may leave it half filled */
        return fc_mbedtls_failure(ret) == FC_ERR_NO_MEMORY ? FC_ERR_NO_MEMORY : FC_ERR_INVALID_ARG;
    }
    memcpy(conn->host, host, strlen(host) + 1);
    conn->port = port;
    conn->ip_len = (uint8_t)fc_mbedtls_parse_ip(conn->host, conn->ip);
    conn->have_session = 1;
    return FC_OK;
}

fc_err fc_mbedtls_conn_session_load(fc_mbedtls_conn *conn, const uint8_t *blob, size_t len)
{
    if (conn == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    return load_blob(conn, blob, len, NULL, 0);
}

void fc_mbedtls_config_set_session_store(fc_mbedtls_config *cfg,
                                         const fc_mbedtls_session_store *store)
{
    if (cfg == NULL) {
        return;
    }
    if (store == NULL) {
        memset(&cfg->store, 0, sizeof cfg->store);
    } else {
        cfg->store = *store;
    }
}

static const fc_mbedtls_session_store *usable_store(const fc_mbedtls_conn *c)
{
    const fc_mbedtls_session_store *s = &c->cfg->store;
    return (s->scratch != NULL && s->scratch_cap > HEADER_FIXED) ? s : NULL;
}

void fc_mbedtls_store_load(fc_mbedtls_conn *c, const char *host, uint16_t port)
{
    const fc_mbedtls_session_store *s = usable_store(c);
    size_t n;

    if (s == NULL || s->load == NULL || c->have_session) {
        return;
    }
    n = s->load(s->ctx, host, port, s->scratch, s->scratch_cap);
    if (n > 0 && n <= s->scratch_cap) {
        (void)load_blob(c, s->scratch, n, host, port); /* refused: full handshake */
    }
}

void fc_mbedtls_store_save(const fc_mbedtls_conn *c)
{
    const fc_mbedtls_session_store *s = usable_store(c);
    size_t n = 0;

    if (s != NULL && s->save != NULL &&
        fc_mbedtls_conn_session_save(c, s->scratch, s->scratch_cap, &n) == FC_OK && n > 0) {
        s->save(s->ctx, c->host, c->port, s->scratch, n);
    }
}
