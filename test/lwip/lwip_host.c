/*
 * lwip_host.c - runs Debian's lwIP (liblwip.so: the unix port, NO_SYS=0,
 * core locking) on a TAP interface and hands the test body an fc_transport
 * from port/lwip.
 *
 *   PRECONFIGURED_TAPIF=<tap> lwip_host_test <lwip-ip> <gateway-ip> <server-ip> <port>
 *
 * Meant to be started by run_in_netns.py inside a private network
 * namespace, where the TAP device and the server already exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

#include "fluidcloud/fc_lwip.h"
#include "lwip_test_body.h"

static uint32_t host_now_ms(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static uint32_t host_random(void *ctx)
{
    (void)ctx;
    return (uint32_t)rand();
}

static struct netif g_netif;

/* Brings lwIP up on the TAP device named by PRECONFIGURED_TAPIF. */
static int stack_up(const char *ip, const char *gw)
{
    ip4_addr_t addr, mask, gateway;
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
    UNLOCK_TCPIP_CORE();
    return 0;
}

int main(int argc, char **argv)
{
    static fc_lwip_conn conn;
    fc_transport t;
    fc_system sys = {host_now_ms, host_random, NULL};
    lwip_test_target target;
    int failed;
    if (argc != 5 || getenv("PRECONFIGURED_TAPIF") == NULL) {
        fprintf(stderr, "usage: PRECONFIGURED_TAPIF=<tap> %s <lwip-ip> <gateway-ip> <server-ip> <port>\n",
                argv[0]);
        return 2;
    }
    if (stack_up(argv[1], argv[2]) != 0) {
        return 1;
    }
    fc_lwip_init(&conn, &t);
    target.host = argv[3];
    target.port = (uint16_t)atoi(argv[4]);
    target.use_tls = 0;
    /* TODO: once port/mbedtls exists, wrap t in the TLS decorator and run
     * the body again against the emulator's https listener. */
    failed = lwip_test_body(&t, &sys, &target);
    printf("%s\n", failed ? "lwIP test FAILED" : "lwIP test passed");
    return failed ? 1 : 0;
}
