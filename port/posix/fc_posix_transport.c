/* SPDX-License-Identifier: MIT */
/*
 * fc_posix_transport.c - fc_transport over non-blocking BSD sockets.
 *
 * connect() resolves (blocking, see fc_posix.h), copies the addresses into
 * the connection and starts a non-blocking connect to the first one;
 * connect_poll() finishes it or moves on to the next address.
 */
#define _POSIX_C_SOURCE 200809L

#include "fluidcloud/fc_posix.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fc_posix_platform.h"

/* Linux suppresses SIGPIPE per call; BSD/macOS per socket (SO_NOSIGPIPE). */
#ifdef MSG_NOSIGNAL
#define FC_SEND_FLAGS MSG_NOSIGNAL
#else
#define FC_SEND_FLAGS 0
#endif

/* The errno behind a getaddrinfo() failure, when it says there is one.
 * lwIP's <netdb.h> (ESP-IDF) has no EAI_SYSTEM. */
#ifdef EAI_SYSTEM
#define FC_POSIX_EAI_ERRNO(rc) ((rc) == EAI_SYSTEM ? errno : 0)
#else
#define FC_POSIX_EAI_ERRNO(rc) 0
#endif

/* Longest host name we resolve (RFC 1035 limit plus brackets and NUL). */
#define FC_POSIX_HOST_BUF 256

/* Connects in progress in this process, for fc_posix_wait()'s slices
 * (see FC_POSIX_CONNECT_SLICE_MS). Not atomic: a race between threads
 * only changes how long one wait sleeps before the deadline check. */
static unsigned pending_connects;

unsigned fc_posix_pending_connects(void)
{
    return pending_connects;
}

static void set_connecting(fc_posix_conn *c, uint8_t on)
{
    if (c->connecting != on) {
        c->connecting = on;
        pending_connects = on ? pending_connects + 1u : pending_connects - 1u;
    }
}

static void close_fd(fc_posix_conn *c)
{
    if (c->fd >= 0) {
        (void)close(c->fd);
    }
    c->fd = -1;
    c->connected = 0;
    set_connecting(c, 0);
}

/* Fail and remember why (the errno helps a log say "refused" vs "no route"). */
static fc_err fail(fc_posix_conn *c, fc_err err, int e)
{
    c->last_errno = e;
    close_fd(c);
    return err;
}

/* "[::1]" -> "::1": URLs bracket IPv6 literals, getaddrinfo() does not. */
static int copy_host(char *dst, const char *host)
{
    size_t len = strlen(host);
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        host++;
        len -= 2;
    }
    if (len == 0 || len >= FC_POSIX_HOST_BUF) {
        return -1;
    }
    memcpy(dst, host, len);
    dst[len] = '\0';
    return 0;
}

/* Resolve host:port into c->addrs. Blocks in getaddrinfo(). */
static fc_err resolve(fc_posix_conn *c, const char *host, uint16_t port)
{
    char name[FC_POSIX_HOST_BUF];
    char service[8];
    struct addrinfo hints;
    struct addrinfo *list = NULL;
    const struct addrinfo *ai;
    int rc;

    if (copy_host(name, host) != 0) {
        return FC_ERR_DNS;
    }
    (void)snprintf(service, sizeof service, "%u", (unsigned)port);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(name, service, &hints, &list);
    if (rc != 0) {
        c->last_errno = FC_POSIX_EAI_ERRNO(rc);
        return FC_ERR_DNS;
    }
    c->addr_count = 0;
    for (ai = list; ai != NULL && c->addr_count < FC_POSIX_MAX_ADDRS; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof c->addrs[0]) {
            continue; /* not IPv4/IPv6: we cannot hold it */
        }
        memcpy(&c->addrs[c->addr_count], ai->ai_addr, ai->ai_addrlen);
        c->addr_lens[c->addr_count] = (socklen_t)ai->ai_addrlen;
        c->addr_count++;
    }
    freeaddrinfo(list);
    c->addr_next = 0;
    return c->addr_count > 0 ? FC_OK : FC_ERR_DNS;
}

/* A non-blocking socket with our options, or -1. */
static int open_socket(int family)
{
    int one = 1;
    int flags;
    int fd = socket(family, SOCK_STREAM, IPPROTO_TCP);
    if (fd < 0) {
        return -1;
    }
    flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        (void)close(fd);
        return -1;
    }
    /* Best effort: a socket without these still works, only slower,
     * leakier across exec(), or (without SO_NOSIGPIPE where MSG_NOSIGNAL
     * is missing) noisier. lwIP/Zephyr sockets lack some of them. */
    FC_POSIX_SET_CLOEXEC(fd);
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef SO_NOSIGPIPE
    (void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    return fd;
}

/*
 * Start connecting to the next untried address. FC_OK when connected at
 * once, FC_AGAIN while in progress, FC_ERR_CONNECT when none is left.
 */
static fc_err start_next(fc_posix_conn *c)
{
    while (c->addr_next < c->addr_count) {
        const fc_posix_addr *a = &c->addrs[c->addr_next];
        socklen_t len = c->addr_lens[c->addr_next];
        c->addr_next++;
        close_fd(c);
        c->fd = open_socket(a->sa.sa_family);
        if (c->fd < 0) {
            c->last_errno = errno;
            continue;
        }
        if (connect(c->fd, &a->sa, len) == 0) {
            c->connected = 1;
            return FC_OK;
        }
        if (errno == EINPROGRESS || errno == EINTR) {
            c->wait = FC_WAIT_WRITE; /* writable = the connect finished */
            set_connecting(c, 1);
            return FC_AGAIN;
        }
        c->last_errno = errno;
    }
    return fail(c, FC_ERR_CONNECT, c->last_errno);
}

static fc_err posix_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    fc_posix_conn *c = ctx;
    fc_err err;

    close_fd(c);
    c->last_errno = 0;
    if (host == NULL || port == 0) {
        return FC_ERR_INVALID_ARG;
    }
    if (use_tls) {
        return FC_ERR_TLS; /* plain sockets only: wrap in fc_mbedtls */
    }
    err = resolve(c, host, port);
    if (err != FC_OK) {
        return err;
    }
    return start_next(c);
}

/* 1 when the in-progress connect has an outcome (the socket is writable). */
static int connect_settled(int fd)
{
    struct pollfd p;
    p.fd = fd;
    p.events = POLLOUT;
    p.revents = 0;
    return poll(&p, 1, 0) > 0;
}

static fc_err posix_connect_poll(void *ctx)
{
    fc_posix_conn *c = ctx;
    int soerr = 0;
    socklen_t len = sizeof soerr;

    if (c->connected) {
        return FC_OK;
    }
    if (c->fd < 0) {
        return FC_ERR_CONNECT; /* not started, or every address failed */
    }
    if (!connect_settled(c->fd)) {
        c->wait = FC_WAIT_WRITE;
        return FC_AGAIN;
    }
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0) {
        soerr = errno;
    }
    if (soerr == 0) {
        c->connected = 1;
        set_connecting(c, 0);
        return FC_OK;
    }
    c->last_errno = soerr;
    return start_next(c); /* refused or unreachable: try the next address */
}

/* errno values that mean "try again later" rather than failure. */
static int would_block(int e)
{
    return e == EAGAIN || e == EWOULDBLOCK;
}

static fc_err posix_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    fc_posix_conn *c = ctx;
    ssize_t n;

    *sent = 0;
    if (!c->connected || data == NULL || len == 0) {
        return FC_ERR_INVALID_ARG;
    }
    do {
        n = send(c->fd, data, len, FC_SEND_FLAGS);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        *sent = (size_t)n;
        return FC_OK;
    }
    if (n < 0 && would_block(errno)) {
        c->wait = FC_WAIT_WRITE;
        return FC_AGAIN;
    }
    c->last_errno = (n < 0) ? errno : 0;
    return FC_ERR_TRANSPORT; /* EPIPE, ECONNRESET, ... */
}

static fc_err posix_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    fc_posix_conn *c = ctx;
    ssize_t n;

    *got = 0;
    if (!c->connected || buf == NULL || cap == 0) {
        return FC_ERR_INVALID_ARG;
    }
    do {
        n = recv(c->fd, buf, cap, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        *got = (size_t)n;
        return FC_OK;
    }
    if (n == 0) {
        return FC_ERR_CLOSED; /* orderly shutdown by the peer */
    }
    if (would_block(errno)) {
        c->wait = FC_WAIT_READ;
        return FC_AGAIN;
    }
    c->last_errno = errno;
    return FC_ERR_TRANSPORT; /* ECONNRESET, ETIMEDOUT, ... */
}

static void posix_close(void *ctx)
{
    fc_posix_conn *c = ctx;
    close_fd(c);
    c->addr_count = 0;
    c->addr_next = 0;
    c->wait = 0;
}

static unsigned posix_wait_events(void *ctx)
{
    const fc_posix_conn *c = ctx;
    return c->wait;
}

static int posix_pollable_fd(void *ctx)
{
    const fc_posix_conn *c = ctx;
    return c->fd;
}

/* While a body streams, hold partial segments so each one leaves full
 * (TCP_NODELAY would send a short one after every write); clearing the
 * option sends what is held. Linux: TCP_CORK; BSDs and macOS: TCP_NOPUSH;
 * elsewhere (Zephyr, ESP-IDF's lwIP sockets) nothing. */
static void posix_more_follows(void *ctx, int more)
{
    fc_posix_conn *c = ctx;
    int on = more != 0;
    if (c->fd < 0) {
        return;
    }
#if defined(TCP_CORK)
    (void)setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
#elif defined(TCP_NOPUSH)
    (void)setsockopt(c->fd, IPPROTO_TCP, TCP_NOPUSH, &on, sizeof on);
#else
    (void)on;
#endif
}

/* No .handshake: plain TCP (port/mbedtls layers TLS over it). */
static const fc_transport_ops posix_ops = {
    .connect = posix_connect,
    .connect_poll = posix_connect_poll,
    .send = posix_send,
    .recv = posix_recv,
    .close = posix_close,
    .wait_events = posix_wait_events,
    .pollable_fd = posix_pollable_fd,
    .more_follows = posix_more_follows,
};

void fc_posix_transport_init(fc_posix_conn *conn, fc_transport *t)
{
    memset(conn, 0, sizeof *conn);
    conn->fd = -1;
    t->ops = &posix_ops;
    t->ctx = conn;
}

int fc_posix_last_errno(const fc_posix_conn *conn)
{
    return conn->last_errno;
}
