/* SPDX-License-Identifier: MIT */
/*
 * port_kit_lwip.c - the conformance kit on port/lwip (and on port/mbedtls
 * over port/lwip), with lwIP on a TAP device in a network namespace:
 *
 *   run_in_netns.py --exec -- sh -c 'exec python3 port_kit_peer.py \
 *       --bind "$FC_NETNS_HOST_IP" --run port_kit_lwip plain|mbedtls'
 *
 * lwIP comes up with FC_NETNS_LWIP_IP through test/lwip/lwip_tap_stack.c
 * (Debian's liblwip with its threads, or lwIP built NO_SYS=1: then this
 * loop is the super-loop). The port has no descriptor, so the kit's waiter
 * lets the stack run for a short slice, as a firmware's main loop does.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fc_port_kit.h"
#include "fluidcloud/fc_lwip.h"
#include "lwip_tap_stack.h"
#if FC_PORT_KIT_MBEDTLS
#include "fluidcloud/fc_mbedtls.h"
#endif

/* Longest the waiter lets lwIP run before the kit looks again. */
#define KIT_LWIP_SLICE_MS 20u

static uint32_t host_now_ms(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static uint32_t host_random(void *ctx)
{
    (void)ctx;
    return (uint32_t)rand();
}

static fc_err stack_wait(void *ctx, const fc_transport *t, unsigned events, uint32_t timeout_ms)
{
    (void)ctx;
    (void)t;
    lwip_tap_stack_wait(timeout_ms < KIT_LWIP_SLICE_MS ? timeout_ms : KIT_LWIP_SLICE_MS, events);
    return FC_OK; /* no descriptor: the kit cannot be told "never came" */
}

static void print_line(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line);
    fflush(stdout);
}

static uint16_t env_port(const char *name)
{
    const char *v = getenv(name);
    long n = v != NULL ? strtol(v, NULL, 10) : 0;
    return n > 0 && n < 65536 ? (uint16_t)n : 0;
}

int main(int argc, char **argv)
{
    static fc_lwip_conn tcp[2];
    static fc_transport plain[2];
    static fc_port_kit kit;
#if FC_PORT_KIT_MBEDTLS
    static fc_mbedtls_config tls;
    static fc_mbedtls_conn secure[2];
    static fc_transport wrapped[2];
#endif
    const char *ip = getenv("FC_NETNS_LWIP_IP");
    const char *gw = getenv("FC_NETNS_GW");
    int i;
    int failed;

    if (argc < 2 || ip == NULL || gw == NULL || getenv("FC_KIT_HOST") == NULL) {
        fprintf(stderr,
                "usage: run_in_netns.py --exec -- ... port_kit_peer.py --run %s "
                "plain|mbedtls [--skip a,b]\n",
                argv[0]);
        return 2;
    }
    if (argc == 4 && strcmp(argv[2], "--skip") == 0) {
        kit.skip = argv[3];
    }
    if (lwip_tap_stack_up(ip, gw, NULL) != 0) {
        fprintf(stderr, "port_kit_lwip: lwIP did not come up on the TAP device\n");
        return 1;
    }
    for (i = 0; i < 2; i++) {
        fc_lwip_init(&tcp[i], &plain[i]);
        kit.transports[i] = &plain[i];
    }
    kit.name = lwip_tap_stack_nosys() ? "port/lwip (NO_SYS=1)" : "port/lwip (NO_SYS=0)";
    kit.system.now_ms = host_now_ms;
    kit.system.random = host_random;
    kit.wait = stack_wait;
    kit.print = print_line;
    kit.peer.host = getenv("FC_KIT_HOST");
    kit.peer.port = env_port("FC_KIT_PLAIN_PORT");
    kit.peer.refused_port = env_port("FC_KIT_REFUSED_PORT");

    if (strcmp(argv[1], "mbedtls") == 0) {
#if FC_PORT_KIT_MBEDTLS
        const char *ca = getenv("FC_KIT_CA_FILE");
        if (ca == NULL || fc_mbedtls_config_init(&tls) != FC_OK ||
            fc_mbedtls_config_add_ca_file(&tls, ca) != FC_OK) {
            fprintf(stderr, "port_kit_lwip: cannot set up TLS with CA %s\n", ca ? ca : "(none)");
            return 1;
        }
        for (i = 0; i < 2; i++) {
            fc_mbedtls_conn_init(&secure[i], &tls, &plain[i], &wrapped[i]);
            kit.transports[i] = &wrapped[i];
        }
        kit.name = "port/mbedtls over port/lwip";
        kit.use_tls = 1;
        kit.peer.port = env_port("FC_KIT_TLS_PORT");
        kit.peer.plain_port = env_port("FC_KIT_PLAIN_PORT");
        kit.peer.untrusted_port = env_port("FC_KIT_UNTRUSTED_PORT");
        kit.peer.wrong_name_port = env_port("FC_KIT_WRONG_NAME_PORT");
#else
        fprintf(stderr, "port_kit_lwip: built without port/mbedtls\n");
        return 2;
#endif
    } else if (strcmp(argv[1], "plain") != 0) {
        fprintf(stderr, "port_kit_lwip: plain or mbedtls, not %s\n", argv[1]);
        return 2;
    }

    failed = fc_port_kit_run(&kit);

#if FC_PORT_KIT_MBEDTLS
    if (kit.use_tls) {
        for (i = 0; i < 2; i++) {
            fc_mbedtls_conn_free(&secure[i]);
        }
        fc_mbedtls_config_free(&tls);
    }
#endif
    return failed == 0 ? 0 : 1;
}
