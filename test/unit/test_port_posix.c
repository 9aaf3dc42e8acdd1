/* SPDX-License-Identifier: MIT */
/*
 * test_port_posix.c - port/posix against real loopback sockets the test
 * makes itself: connect, send/recv, would-block, EOF vs reset, refused,
 * DNS failure, use_tls refusal, the clock and the wait helper.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_posix.h"

/* Upper bound of polls for anything on loopback: no test may hang. */
#define MAX_POLLS 200

typedef struct fixture {
    fc_posix_conn conn;
    fc_transport t;
    int listener; /* the test's listening socket, or -1 */
    int peer;     /* the accepted server side, or -1 */
    uint16_t port;
} fixture;

/* A listening socket on the loopback of family, on a free port; -1 when
 * the family is unavailable (e.g. no IPv6 in a container). */
static int make_listener(int family, uint16_t *port)
{
    fc_posix_addr a;
    socklen_t len;
    int one = 1;
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    memset(&a, 0, sizeof a);
    if (family == AF_INET) {
        a.in4.sin_family = AF_INET;
        a.in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof a.in4;
    } else {
        a.in6.sin6_family = AF_INET6;
        a.in6.sin6_addr = in6addr_loopback;
        len = sizeof a.in6;
    }
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, &a.sa, len) != 0 || listen(fd, 4) != 0 || getsockname(fd, &a.sa, &len) != 0) {
        (void)close(fd);
        return -1;
    }
    *port = ntohs(family == AF_INET ? a.in4.sin_port : a.in6.sin6_port);
    return fd;
}

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    fc_posix_transport_init(&f.conn, &f.t);
    f.listener = -1;
    f.peer = -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    f->t.ops->close(f->t.ctx);
    if (f->peer >= 0) {
        (void)close(f->peer);
    }
    if (f->listener >= 0) {
        (void)close(f->listener);
    }
    return 0;
}

/* connect() then connect_poll() with fc_posix_wait until done. */
static fc_err connect_all(fixture *f, const char *host, uint16_t port)
{
    int i;
    fc_err err = f->t.ops->connect(f->t.ctx, host, port, 0);
    for (i = 0; err == FC_AGAIN && i < MAX_POLLS; i++) {
        assert_int_equal(f->t.ops->wait_events(f->t.ctx), FC_WAIT_WRITE);
        (void)fc_posix_wait(f->t.ops->pollable_fd(f->t.ctx), FC_WAIT_WRITE, 100);
        err = f->t.ops->connect_poll(f->t.ctx);
    }
    return err;
}

/* Listen on family, connect the transport to host, accept the peer. */
static int open_pair(fixture *f, int family, const char *host)
{
    f->listener = make_listener(family, &f->port);
    if (f->listener < 0) {
        return -1;
    }
    assert_int_equal(connect_all(f, host, f->port), FC_OK);
    f->peer = accept(f->listener, NULL, NULL);
    assert_true(f->peer >= 0);
    return 0;
}

/* recv with waits until bytes, EOF or an error. */
static fc_err recv_wait(fixture *f, uint8_t *buf, size_t cap, size_t *got)
{
    int i;
    fc_err err = FC_AGAIN;
    for (i = 0; i < MAX_POLLS; i++) {
        err = f->t.ops->recv(f->t.ctx, buf, cap, got);
        if (err != FC_AGAIN) {
            break;
        }
        assert_int_equal(f->t.ops->wait_events(f->t.ctx), FC_WAIT_READ);
        (void)fc_posix_wait(f->t.ops->pollable_fd(f->t.ctx), FC_WAIT_READ, 100);
    }
    return err;
}

static void round_trip(fixture *f)
{
    uint8_t buf[16];
    size_t n = 0;
    ssize_t r;

    /* Nothing sent yet: would-block, waiting for READ, not EOF. */
    assert_int_equal(f->t.ops->recv(f->t.ctx, buf, sizeof buf, &n), FC_AGAIN);
    assert_int_equal(n, 0);
    assert_int_equal(f->t.ops->wait_events(f->t.ctx), FC_WAIT_READ);

    assert_int_equal(f->t.ops->send(f->t.ctx, (const uint8_t *)"hello", 5, &n), FC_OK);
    assert_int_equal(n, 5);
    r = recv(f->peer, buf, sizeof buf, 0);
    assert_int_equal(r, 5);
    assert_memory_equal(buf, "hello", 5);

    assert_int_equal(send(f->peer, "world!", 6, 0), 6);
    assert_int_equal(recv_wait(f, buf, sizeof buf, &n), FC_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(buf, "world!", 6);
}

static void test_ipv4_round_trip(void **state)
{
    fixture *f = *state;
    assert_int_equal(open_pair(f, AF_INET, "127.0.0.1"), 0);
    assert_true(f->t.ops->pollable_fd(f->t.ctx) >= 0);
    assert_null(f->t.ops->handshake); /* plain stream: no handshake step */
    round_trip(f);
}

static void test_ipv6_round_trip(void **state)
{
    fixture *f = *state;
    if (open_pair(f, AF_INET6, "::1") != 0) {
        skip(); /* no IPv6 loopback here */
    }
    round_trip(f);
}

static void test_ipv6_bracketed_literal(void **state)
{
    fixture *f = *state;
    if (open_pair(f, AF_INET6, "[::1]") != 0) {
        skip();
    }
    round_trip(f);
}

/* "localhost" may resolve to ::1 first; with only an IPv4 listener that
 * address is refused and the next one must be tried. */
static void test_name_tries_each_address(void **state)
{
    fixture *f = *state;
    assert_int_equal(open_pair(f, AF_INET, "localhost"), 0);
    round_trip(f);
}

static void test_send_would_block(void **state)
{
    fixture *f = *state;
    static uint8_t chunk[65536];
    size_t n = 0;
    fc_err err = FC_OK;
    int i;

    assert_int_equal(open_pair(f, AF_INET, "127.0.0.1"), 0);
    /* The peer never reads: the socket buffers fill up, then AGAIN. */
    for (i = 0; i < 1000 && err == FC_OK; i++) {
        err = f->t.ops->send(f->t.ctx, chunk, sizeof chunk, &n);
    }
    assert_int_equal(err, FC_AGAIN);
    assert_int_equal(n, 0);
    assert_int_equal(f->t.ops->wait_events(f->t.ctx), FC_WAIT_WRITE);
    assert_int_equal(fc_posix_wait(f->t.ops->pollable_fd(f->t.ctx), FC_WAIT_WRITE, 10),
                     FC_ERR_TIMEOUT);
}

static void test_eof_is_closed(void **state)
{
    fixture *f = *state;
    uint8_t buf[8];
    size_t n = 0;

    assert_int_equal(open_pair(f, AF_INET, "127.0.0.1"), 0);
    assert_int_equal(send(f->peer, "bye", 3, 0), 3);
    (void)close(f->peer);
    f->peer = -1;
    /* Data before the FIN still arrives, then a clean EOF. */
    assert_int_equal(recv_wait(f, buf, sizeof buf, &n), FC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(recv_wait(f, buf, sizeof buf, &n), FC_ERR_CLOSED);
    assert_int_equal(n, 0);
}

/* Close the peer with SO_LINGER 0: the kernel sends RST, not FIN. */
static void reset_peer(fixture *f)
{
    struct linger lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    assert_int_equal(setsockopt(f->peer, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    (void)close(f->peer);
    f->peer = -1;
}

static void test_reset_is_transport_error(void **state)
{
    fixture *f = *state;
    uint8_t buf[8];
    size_t n = 0;

    assert_int_equal(open_pair(f, AF_INET, "127.0.0.1"), 0);
    reset_peer(f);
    assert_int_equal(recv_wait(f, buf, sizeof buf, &n), FC_ERR_TRANSPORT);
    assert_int_equal(fc_posix_last_errno(&f->conn), ECONNRESET);
}

/* Writing to a reset connection must fail, not kill us with SIGPIPE
 * (the default SIGPIPE action is left in place on purpose). */
static void test_send_after_reset_no_sigpipe(void **state)
{
    fixture *f = *state;
    size_t n = 0;
    fc_err err = FC_OK;
    int i;

    assert_int_equal(open_pair(f, AF_INET, "127.0.0.1"), 0);
    reset_peer(f);
    (void)fc_posix_wait(f->t.ops->pollable_fd(f->t.ctx), FC_WAIT_READ, 1000);
    for (i = 0; i < 3 && err == FC_OK; i++) {
        err = f->t.ops->send(f->t.ctx, (const uint8_t *)"x", 1, &n);
    }
    assert_int_equal(err, FC_ERR_TRANSPORT);
    /* Again on the dead socket: EPIPE, still no signal. */
    assert_int_equal(f->t.ops->send(f->t.ctx, (const uint8_t *)"x", 1, &n), FC_ERR_TRANSPORT);
}

static void test_refused_is_connect_error(void **state)
{
    fixture *f = *state;
    uint16_t port = 0;
    int fd = make_listener(AF_INET, &port);
    assert_true(fd >= 0);
    (void)close(fd); /* nobody listens on port now */
    assert_int_equal(connect_all(f, "127.0.0.1", port), FC_ERR_CONNECT);
    assert_int_equal(fc_posix_last_errno(&f->conn), ECONNREFUSED);
    assert_int_equal(f->t.ops->pollable_fd(f->t.ctx), -1);
}

static void test_unresolvable_is_dns_error(void **state)
{
    fixture *f = *state;
    /* .invalid never resolves (RFC 6761), with or without a network. */
    assert_int_equal(f->t.ops->connect(f->t.ctx, "no-such-host.invalid", 80, 0), FC_ERR_DNS);
}

static void test_use_tls_refused(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->t.ops->connect(f->t.ctx, "127.0.0.1", 443, 1), FC_ERR_TLS);
}

static void test_misuse_and_reconnect(void **state)
{
    fixture *f = *state;
    uint8_t buf[4];
    size_t n = 7;

    /* Not connected: calls fail cleanly, close is harmless twice. */
    assert_int_equal(f->t.ops->connect_poll(f->t.ctx), FC_ERR_CONNECT);
    assert_int_equal(f->t.ops->recv(f->t.ctx, buf, sizeof buf, &n), FC_ERR_INVALID_ARG);
    assert_int_equal(n, 0);
    f->t.ops->close(f->t.ctx);
    f->t.ops->close(f->t.ctx);

    /* The same transport connects again after close. */
    assert_int_equal(open_pair(f, AF_INET, "127.0.0.1"), 0);
    f->t.ops->close(f->t.ctx);
    (void)close(f->peer);
    assert_int_equal(connect_all(f, "127.0.0.1", f->port), FC_OK);
    f->peer = accept(f->listener, NULL, NULL);
    assert_true(f->peer >= 0);
    round_trip(f);
}

/* more_follows corks the socket while a body streams and uncorks it at
 * the end, where the kernel has the option (issue 14.2). */
static void test_more_follows_corks(void **state)
{
    fixture *f = *state;
    assert_int_equal(open_pair(f, AF_INET, "127.0.0.1"), 0);
    assert_non_null(f->t.ops->more_follows);
#ifdef TCP_CORK
    {
        int on = -1;
        socklen_t len = sizeof on;
        int fd = f->t.ops->pollable_fd(f->t.ctx);
        f->t.ops->more_follows(f->t.ctx, 1);
        assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, &len), 0);
        assert_int_equal(on, 1);
        f->t.ops->more_follows(f->t.ctx, 0);
        assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, &len), 0);
        assert_int_equal(on, 0);
    }
#endif
}

static void test_clock_monotonic(void **state)
{
    fc_system s = fc_posix_system();
    uint32_t t0;
    uint32_t t1;
    uint32_t prev;
    int i;
    (void)state;

    t0 = s.now_ms(s.ctx);
    prev = t0;
    for (i = 0; i < 1000; i++) {
        uint32_t now = s.now_ms(s.ctx);
        assert_true((int32_t)(now - prev) >= 0); /* wrap-safe, never back */
        prev = now;
    }
    assert_int_equal(fc_posix_wait(-1, 0, 30), FC_ERR_TIMEOUT);
    t1 = s.now_ms(s.ctx);
    assert_true(t1 - t0 >= 25u);
    assert_true(t1 - t0 < 5000u);
}

static void test_random_varies(void **state)
{
    fc_system s = fc_posix_system();
    uint32_t a = s.random(s.ctx);
    uint32_t b = s.random(s.ctx);
    uint32_t c = s.random(s.ctx);
    (void)state;
    assert_false(a == b && b == c);
}

static void test_wait_ready(void **state)
{
    int sv[2];
    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(fc_posix_wait(sv[0], FC_WAIT_READ, 10), FC_ERR_TIMEOUT);
    assert_int_equal(fc_posix_wait(sv[0], FC_WAIT_WRITE, 1000), FC_OK);
    assert_int_equal(write(sv[1], "x", 1), 1);
    assert_int_equal(fc_posix_wait(sv[0], FC_WAIT_READ, 1000), FC_OK);
    (void)close(sv[0]);
    (void)close(sv[1]);
}

/* fc_posix_wait_fn must be usable as fc_run()'s fc_wait_fn. */
static void test_wait_fn_fits_fc_run(void **state)
{
    fc_wait_fn fn = fc_posix_wait_fn;
    fc_wait w;
    fc_system s = fc_posix_system();
    uint32_t t0 = s.now_ms(s.ctx);
    (void)state;
    w.events = 0;
    w.fd = -1;
    w.timeout_ms = 20;
    fn(NULL, &w);
    assert_true(s.now_ms(s.ctx) - t0 >= 15u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ipv4_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipv6_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipv6_bracketed_literal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_tries_each_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_would_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eof_is_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_is_transport_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_after_reset_no_sigpipe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_is_connect_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unresolvable_is_dns_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_use_tls_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misuse_and_reconnect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_more_follows_corks, setup, teardown),
        cmocka_unit_test(test_clock_monotonic),
        cmocka_unit_test(test_random_varies),
        cmocka_unit_test(test_wait_ready),
        cmocka_unit_test(test_wait_fn_fits_fc_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
