/* SPDX-License-Identifier: MIT */
/*
 * fc_posix.h - the POSIX port: non-blocking BSD sockets, a monotonic
 * clock, a random source, and a poll() helper for blocking host loops.
 *
 * Transport (fc_transport_ops of fc_port.h), plain TCP only:
 *
 *     fc_posix_conn conn;             // yours: static, on a stack, in a struct
 *     fc_transport t;
 *     fc_posix_transport_init(&conn, &t);
 *     // give &t to the client, or wrap it in the mbedTLS layer for https
 *
 * - IPv4 and IPv6. connect() resolves the host with getaddrinfo(), which
 *   BLOCKS until the resolver answers (a hosts-file or numeric address is
 *   instant; DNS can take seconds). Everything else never blocks.
 * - Every resolved address is tried in turn: when one refuses or fails,
 *   connect_poll() moves on to the next (no happy eyeballs).
 * - TCP_NODELAY is set: HTTP requests are written head then body, and
 *   Nagle would hold the second write for an ACK.
 * - A reset peer never raises SIGPIPE (MSG_NOSIGNAL, or SO_NOSIGPIPE where
 *   that is what the system has); the send fails with FC_ERR_TRANSPORT.
 * - recv(): FC_OK with bytes, FC_ERR_CLOSED on a clean EOF, FC_AGAIN when
 *   nothing is there (wait FC_WAIT_READ), FC_ERR_TRANSPORT on a reset.
 * - use_tls != 0 fails with FC_ERR_TLS: put the mbedTLS layer on top.
 * - pollable_fd() gives the socket (or -1) for the host's poll().
 *
 * No memory is allocated by this port itself; getaddrinfo() allocates
 * its list (copied into the connection and freed before connect()
 * returns). On Zephyr that means the libc heap must not be 0: Zephyr's
 * getaddrinfo() allocates even for an IP literal
 * (CONFIG_COMMON_LIBC_MALLOC_ARENA_SIZE; the Zephyr sample sets it).
 */
#ifndef FLUIDCLOUD_FC_POSIX_H
#define FLUIDCLOUD_FC_POSIX_H

#include <stdint.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "fluidcloud/fc_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How many resolved addresses one connect() keeps to try in turn. */
#ifndef FC_POSIX_MAX_ADDRS
#define FC_POSIX_MAX_ADDRS 4
#endif

/* One resolved address, sized for IPv4 or IPv6 (not sockaddr_storage,
 * which costs 128 bytes each). */
typedef union fc_posix_addr {
    struct sockaddr sa;
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
} fc_posix_addr;

/* One connection. The fields are private; allocate it, call
 * fc_posix_transport_init(), and keep it alive as long as the transport. */
typedef struct fc_posix_conn {
    int fd;              /* -1 when closed */
    unsigned wait;       /* FC_WAIT_* of the last FC_AGAIN */
    int connected;       /* connect finished */
    uint8_t connecting;  /* a non-blocking connect is in progress */
    int last_errno;      /* errno of the last failure, for diagnostics */
    unsigned addr_count; /* resolved addresses kept */
    unsigned addr_next;  /* next one to try */
    fc_posix_addr addrs[FC_POSIX_MAX_ADDRS];
    socklen_t addr_lens[FC_POSIX_MAX_ADDRS];
} fc_posix_conn;

/* Prepare conn (closed) and point t at it. */
void fc_posix_transport_init(fc_posix_conn *conn, fc_transport *t);

/* errno of the last failure on conn (0 when none), for logs. */
int fc_posix_last_errno(const fc_posix_conn *conn);

/* Clock (CLOCK_MONOTONIC in ms, wraps after ~49 days as fc_port.h allows)
 * and random source (xorshift32 seeded from /dev/urandom, or from
 * esp_random() on ESP-IDF and sys_rand32_get() on Zephyr: for retry
 * jitter, not for keys; one state per process, not thread-safe - a race
 * only makes the jitter less random). */
fc_system fc_posix_system(void);

/*
 * Sleep until fd is ready for events (FC_WAIT_READ | FC_WAIT_WRITE) or
 * timeout_ms passed, using poll(). fd < 0 or events == 0 just sleeps.
 *   FC_OK             fd is ready (or has an error/hang-up the next
 *                     transport call will report), or a signal woke us
 *   FC_ERR_TIMEOUT    the time passed first
 *   FC_ERR_TRANSPORT  poll() itself failed
 * Only for host loops and RTOS tasks: this blocks by design.
 * On Zephyr, while a connect of this port is in progress, it sleeps at
 * most 10 ms at a time: Zephyr 3.7's poll() does not wake for a socket
 * whose connect finishes, and would sleep to the connect deadline.
 */
fc_err fc_posix_wait(int fd, unsigned events, uint32_t timeout_ms);

/* The same as an fc_wait_fn for fc_run() (fc_client.h); ctx is unused. */
struct fc_wait;
void fc_posix_wait_fn(void *ctx, const struct fc_wait *w);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_POSIX_H */
