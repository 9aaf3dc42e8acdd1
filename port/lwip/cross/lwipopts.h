/* SPDX-License-Identifier: MIT */
/*
 * lwipopts.h - a minimal bare-metal lwIP configuration. It serves twice:
 *  - the cross builds compile port/lwip with it for the size table;
 *  - the NO_SYS lwIP test (test/lwip, FC_LWIP_SRC_DIR) compiles lwIP itself
 *    from Debian's source package with exactly this file and runs the
 *    upload flow over TLS from one super-loop, a host name resolved through
 *    lwIP's DNS client (ctest lwip_tap_nosys).
 * Firmware uses its own lwipopts.h: the port needs LWIP_TCP, and LWIP_DNS
 * for host names (IP literals work without it).
 */
#ifndef FC_CROSS_LWIPOPTS_H
#define FC_CROSS_LWIPOPTS_H

#define NO_SYS               1 /* super-loop, no threads */
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET          0
#define LWIP_NETCONN         0
#define LWIP_IPV4            1
#define LWIP_IPV6            0
#define LWIP_TCP             1
#define LWIP_UDP             1 /* DNS runs over UDP */
#define LWIP_DNS             1
#define LWIP_ALTCP           1 /* compile the altcp path (tcp_ when 0) */
#define LWIP_ALTCP_TLS       0 /* TLS comes from port/mbedtls instead */
#define MEM_ALIGNMENT        4
/* lwIP's heap holds every queued send byte: two connections with full
 * send buffers (2 x TCP_SND_BUF, the port kit's backpressure check holds
 * one while the other opens) and a TLS handshake. 8 KiB left ~1 KiB for
 * the second connection's SYN: the kit failed "connect failed" now and
 * then under load, and always at 7 KiB. */
#define MEM_SIZE    (16 * 1024)
#define TCP_MSS     1460
#define TCP_WND     (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)
#define LWIP_STATS  0

#endif /* FC_CROSS_LWIPOPTS_H */
