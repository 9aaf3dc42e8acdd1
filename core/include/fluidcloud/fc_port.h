/* SPDX-License-Identifier: MIT */
/*
 * fc_port.h - the port contract: the only way core/ touches a network or a
 * clock.
 *
 * A transport is a table of operations plus an opaque context. Every
 * operation returns at once:
 *
 *   FC_OK     the step is done (connect/handshake) or bytes moved
 *   FC_AGAIN  nothing can happen now; wait for wait_events(), then retry
 *   FC_ERR_CLOSED    the peer closed the stream (recv only: a clean EOF)
 *   other FC_ERR_*   a failure; the connection is unusable and is closed
 *
 * Would-block, EOF and error are distinct, unlike coreHTTP's "0 bytes".
 *
 * Lifecycle per connection:
 *   connect(host, port, tls) -> connect_poll() until FC_OK
 *   -> handshake() until FC_OK (only if the op is non-NULL; the TLS layer
 *      has it, plain sockets do not)
 *   -> send()/recv() ... -> close()
 * After close() the same transport may connect again.
 *
 * A transport is the unit of one connection. The client holds up to
 * FC_CONFIG_MAX_CONNECTIONS of them for keep-alive (one per scheme, host
 * and port); give it as many as you want open at once.
 */
#ifndef FLUIDCLOUD_FC_PORT_H
#define FLUIDCLOUD_FC_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a blocked transport or client waits for (bit set). */
#define FC_WAIT_READ  0x1u
#define FC_WAIT_WRITE 0x2u

typedef struct fc_transport_ops {
    /* Start connecting to host:port. use_tls asks a TLS layer to secure
     * the stream (a plain transport given use_tls != 0 fails with
     * FC_ERR_TLS). May return FC_OK when already connected.
     * Name resolution may block in ports that say so in their header. */
    fc_err (*connect)(void *ctx, const char *host, uint16_t port, int use_tls);

    /* Finish the TCP connect: FC_OK, FC_AGAIN, FC_ERR_CONNECT... */
    fc_err (*connect_poll)(void *ctx);

    /* Optional (NULL for plain streams): drive the security handshake
     * after connect_poll succeeded. FC_OK when done. */
    fc_err (*handshake)(void *ctx);

    /* Send up to len bytes; *sent gets how many were taken (> 0 on FC_OK).
     * After FC_AGAIN the caller retries with the same data: TLS needs
     * the same buffer and length. */
    fc_err (*send)(void *ctx, const uint8_t *data, size_t len, size_t *sent);

    /* Receive up to cap bytes; *got > 0 on FC_OK. FC_ERR_CLOSED on EOF. */
    fc_err (*recv)(void *ctx, uint8_t *buf, size_t cap, size_t *got);

    /* Close the connection (safe to call when not connected). */
    void (*close)(void *ctx);

    /* Which FC_WAIT_* events the last FC_AGAIN waits for. */
    unsigned (*wait_events)(void *ctx);

    /* Optional: a file descriptor a host loop can poll(), or -1. */
    int (*pollable_fd)(void *ctx);

    /* Optional (NULL: a handshake counts as full): after handshake()
     * returned FC_OK, how the connection was secured, FC_HANDSHAKE_*. For
     * the wire statistics (fc_client_stats). */
    unsigned (*handshake_kind)(void *ctx);

    /* Optional: more_follows(ctx, 1) before the writes of a streamed body
     * whose bytes keep coming right behind each other, (ctx, 0) once its
     * last byte was handed over. Meanwhile a port may hold back a partial
     * segment (Linux TCP_CORK, BSD TCP_NOPUSH, lwIP TCP_WRITE_FLAG_MORE) so
     * the body fills whole segments; 0 must push what is held at once. A
     * TLS layer passes it to the transport below. */
    void (*more_follows)(void *ctx, int more);
} fc_transport_ops;

/* handshake_kind() answers. */
#define FC_HANDSHAKE_NONE    0u /* a plain stream */
#define FC_HANDSHAKE_FULL    1u /* a full TLS handshake */
#define FC_HANDSHAKE_RESUMED 2u /* a session resumed (ticket or id) */

typedef struct fc_transport {
    const fc_transport_ops *ops;
    void *ctx;
} fc_transport;

/*
 * The system services the client needs besides the network.
 * now_ms: a monotonic millisecond clock; it may wrap (all comparisons in
 *         core are wrap-safe), and must not jump backwards.
 * random: 32 random bits, for retry jitter (need not be cryptographic).
 */
typedef struct fc_system {
    uint32_t (*now_ms)(void *ctx);
    uint32_t (*random)(void *ctx);
    void *ctx;
} fc_system;

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_PORT_H */
