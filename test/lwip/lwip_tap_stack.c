/* SPDX-License-Identifier: MIT */
/* lwip_tap_stack.c - see lwip_tap_stack.h. */
#include "lwip_tap_stack.h"

#include <stdio.h>
#include <sys/select.h>
#include <time.h>

#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#if LWIP_DNS
#include "lwip/dns.h"
#endif
#if NO_SYS
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#else
#include "lwip/tcpip.h"
#endif
#include "netif/tapif.h"

static struct netif g_netif;
static unsigned long g_wakeups;

static int set_dns(const char *dns)
{
    if (dns == NULL) {
        return 0;
    }
#if LWIP_DNS
    {
        ip_addr_t server;
        if (!ipaddr_aton(dns, &server)) {
            fprintf(stderr, "bad DNS server address %s\n", dns);
            return -1;
        }
        dns_setserver(0, &server);
        return 0;
    }
#else
    fprintf(stderr, "this lwIP has no DNS (LWIP_DNS 0): cannot use server %s\n", dns);
    return -1;
#endif
}

#if NO_SYS

int lwip_tap_stack_up(const char *ip, const char *gw, const char *dns)
{
    ip4_addr_t addr, mask, gateway;
    if (!ip4addr_aton(ip, &addr) || !ip4addr_aton(gw, &gateway)) {
        fprintf(stderr, "bad address %s / %s\n", ip, gw);
        return -1;
    }
    IP4_ADDR(&mask, 255, 255, 255, 0);
    lwip_init();
    if (netif_add(&g_netif, &addr, &mask, &gateway, NULL, tapif_init, netif_input) == NULL) {
        fprintf(stderr, "netif_add failed\n");
        return -1;
    }
    netif_set_default(&g_netif);
    netif_set_up(&g_netif);
    netif_set_link_up(&g_netif);
    return set_dns(dns);
}

/* Debian's tapif (port/netif/tapif.c) keeps its descriptor as the first
 * member of netif->state (struct tapif { int fd; }); a bare-metal loop
 * would ask its Ethernet driver instead. */
static int tap_fd(void)
{
    return *(const int *)g_netif.state;
}

/* Feed every frame that is there (or arrives within wait_ms) to lwIP. */
static void take_frames(uint32_t wait_ms)
{
    for (;;) {
        fd_set set;
        struct timeval tv;
        int fd = tap_fd();
        FD_ZERO(&set);
        FD_SET(fd, &set);
        tv.tv_sec = (time_t)(wait_ms / 1000u);
        tv.tv_usec = (suseconds_t)((wait_ms % 1000u) * 1000u);
        if (select(fd + 1, &set, NULL, NULL, &tv) <= 0) {
            return;
        }
        tapif_poll(&g_netif); /* one frame */
        wait_ms = 0;          /* then only what is already queued */
    }
}

void lwip_tap_stack_wait(uint32_t timeout_ms, unsigned events)
{
    uint32_t lwip_due = sys_timeouts_sleeptime();
    (void)events; /* a frame or a timer is all that can change anything */
    take_frames(timeout_ms < lwip_due ? timeout_ms : lwip_due);
    sys_check_timeouts();
    g_wakeups++;
}

void lwip_tap_stack_poll(void)
{
    take_frames(0);
    sys_check_timeouts();
}

int lwip_tap_stack_nosys(void)
{
    return 1;
}

#else /* NO_SYS */

int lwip_tap_stack_up(const char *ip, const char *gw, const char *dns)
{
    ip4_addr_t addr, mask, gateway;
    int r;
    if (!ip4addr_aton(ip, &addr) || !ip4addr_aton(gw, &gateway)) {
        fprintf(stderr, "bad address %s / %s\n", ip, gw);
        return -1;
    }
    IP4_ADDR(&mask, 255, 255, 255, 0);
    tcpip_init(NULL, NULL);
    LOCK_TCPIP_CORE();
    if (netif_add(&g_netif, &addr, &mask, &gateway, NULL, tapif_init, tcpip_input) == NULL) {
        UNLOCK_TCPIP_CORE();
        fprintf(stderr, "netif_add failed\n");
        return -1;
    }
    netif_set_default(&g_netif);
    netif_set_up(&g_netif);
    netif_set_link_up(&g_netif);
    r = set_dns(dns);
    UNLOCK_TCPIP_CORE();
    return r;
}

static void sleep_ms(uint32_t ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000u);
    ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
    nanosleep(&ts, NULL);
}

void lwip_tap_stack_wait(uint32_t timeout_ms, unsigned events)
{
    /* No descriptor tells us when lwIP's threads made progress: nap. */
    sleep_ms(events != 0 && timeout_ms > 1u ? 1u : timeout_ms);
    g_wakeups++;
}

void lwip_tap_stack_poll(void)
{
}

int lwip_tap_stack_nosys(void)
{
    return 0;
}

#endif /* NO_SYS */

unsigned long lwip_tap_stack_wakeups(void)
{
    return g_wakeups;
}
