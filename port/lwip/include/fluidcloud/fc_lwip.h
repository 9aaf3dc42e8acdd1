/* SPDX-License-Identifier: MIT */
/*
 * fc_lwip.h - fc_transport over lwIP's raw/altcp TCP callback API.
 *
 * One fc_lwip_conn is one TCP connection (the unit fc_port.h asks for).
 * Its memory is the caller's; the port itself never allocates. lwIP
 * allocates its PCBs and pbufs from its own pools, as it always does.
 *
 * Threading:
 *  - NO_SYS=1 (bare metal): call everything from the one loop that also
 *    feeds received frames to the netif and calls sys_check_timeouts().
 *  - NO_SYS=0 with LWIP_TCPIP_CORE_LOCKING=1: call from any one thread;
 *    every entry point takes the core lock (LOCK_TCPIP_CORE) itself.
 *  - NO_SYS=0 without core locking: call only from the tcpip thread (for
 *    example through tcpip_callback()); lwIP forbids raw API use elsewhere.
 *  Define FC_LWIP_LOCK()/FC_LWIP_UNLOCK() before compiling the port to
 *  supply your own lock.
 *
 * Name resolution uses dns_gethostbyname() with a callback, so it never
 * blocks; IP literals skip DNS. Without LWIP_DNS only literals work.
 *
 * The port is plain TCP: connect() with use_tls != 0 fails with
 * FC_ERR_TLS. For https, wrap it in the port/mbedtls decorator.
 *
 * The fc_lwip_conn must stay at the same address from fc_lwip_init() until
 * after fc_lwip_conn_close(): lwIP's callbacks (including a DNS answer that
 * cannot be cancelled) carry a pointer to it.
 */
#ifndef FLUIDCLOUD_FC_LWIP_H
#define FLUIDCLOUD_FC_LWIP_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/opt.h"
#include "lwip/altcp.h" /* struct altcp_pcb is struct tcp_pcb without ALTCP */
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"

#include "fluidcloud/fc_config.h"
#include "fluidcloud/fc_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Connection state; internal, exposed only so the struct has a size. */
typedef enum fc_lwip_state {
    FC_LWIP_IDLE = 0,
    FC_LWIP_RESOLVING,  /* dns_gethostbyname() answer pending */
    FC_LWIP_RESOLVED,   /* address known, TCP connect not started */
    FC_LWIP_CONNECTING, /* tcp_connect() sent, SYN-ACK pending */
    FC_LWIP_CONNECTED,
    FC_LWIP_FAILED /* err callback or DNS failure; see err */
} fc_lwip_state;

/* One connection. Treat the fields as private. */
typedef struct fc_lwip_conn {
    struct altcp_pcb *pcb;
    struct pbuf *rx; /* received, not yet read (a pbuf chain) */
    size_t rx_len;   /* bytes in rx (pbuf tot_len is only 16 bits) */
    ip_addr_t addr;
    uint16_t port;
    uint8_t state;                 /* fc_lwip_state */
    uint8_t peer_closed;           /* FIN seen: EOF once rx is drained */
    uint8_t err;                   /* fc_err of a failure, sticky until close */
    uint8_t wait;                  /* FC_WAIT_* of the last FC_AGAIN */
    char host[FC_CONFIG_HOST_MAX]; /* matches a late DNS answer to us */
} fc_lwip_conn;

/* The operation table of this port (for fc_transport.ops). */
extern const fc_transport_ops fc_lwip_transport_ops;

/* Reset conn and fill *t with the lwIP ops and conn as context. */
void fc_lwip_init(fc_lwip_conn *conn, fc_transport *t);

/* The ops, callable directly (what fc_lwip_transport_ops points to). */
fc_err fc_lwip_conn_connect(void *ctx, const char *host, uint16_t port, int use_tls);
fc_err fc_lwip_conn_connect_poll(void *ctx);
fc_err fc_lwip_conn_send(void *ctx, const uint8_t *data, size_t len, size_t *sent);
fc_err fc_lwip_conn_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got);
void fc_lwip_conn_close(void *ctx);
unsigned fc_lwip_conn_wait_events(void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_LWIP_H */
