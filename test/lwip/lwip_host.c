/* SPDX-License-Identifier: MIT */
/*
 * lwip_host.c - runs lwIP on a TAP interface (lwip_tap_stack.c: Debian's
 * liblwip.so with its threads, or lwIP built from Debian's source package
 * with NO_SYS=1 and no threads) and hands the test body an fc_transport
 * from port/lwip.
 *
 *   PRECONFIGURED_TAPIF=<tap> lwip_host_test <lwip-ip> <gateway-ip> <server-ip> <port>
 *                                            [<tls-port> <ca-file>]
 *
 * With the TLS arguments the same body runs a second time through the
 * port/mbedtls decorator wrapped around the lwIP transport.
 *
 * With FC_LWIP_EMU_API (and _RAW, _ADMIN, _KEY, _CA) set, the full upload
 * flow (lwip_upload.c) then runs against the emulator at those addresses.
 * FC_LWIP_DNS names lwIP's DNS server (the API's host name is then
 * resolved through lwIP's DNS client).
 *
 * Meant to be started by run_in_netns.py inside a private network
 * namespace, where the TAP device and the server already exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lwip/altcp.h"
#include "lwip/init.h"

#include "fluidcloud/fc_lwip.h"
#if FC_LWIP_TEST_TLS
#include "fluidcloud/fc_mbedtls.h"
#endif
#include "lwip_tap_stack.h"
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

/* The upload flow against the emulator named by FC_LWIP_EMU_*; 0 = passed. */
static int run_upload_flow(const fc_system *sys)
{
    lwip_emu emu;
    emu.api_base = getenv("FC_LWIP_EMU_API");
    emu.raw_base = getenv("FC_LWIP_EMU_RAW");
    emu.admin_base = getenv("FC_LWIP_EMU_ADMIN");
    emu.api_key = getenv("FC_LWIP_EMU_KEY");
    emu.ca_file = getenv("FC_LWIP_EMU_CA");
    if (emu.api_base == NULL) {
        printf("NOTE: FC_LWIP_EMU_API not set: upload flow skipped\n");
        return 0;
    }
    if (emu.raw_base == NULL || emu.admin_base == NULL || emu.api_key == NULL ||
        emu.ca_file == NULL) {
        fprintf(stderr, "FAIL: FC_LWIP_EMU_RAW/_ADMIN/_KEY/_CA must be set with FC_LWIP_EMU_API\n");
        return 1;
    }
#if FC_LWIP_TEST_TLS
    printf("-- upload flow over TLS over lwIP against the emulator at %s\n", emu.api_base);
    return lwip_upload_flow(sys, &emu);
#else
    (void)sys;
    printf("NOTE: built without port/mbedtls: upload flow skipped\n");
    return 0;
#endif
}

/* port/lwip turns Nagle off on every connection it opens: the core writes
 * a request as head, then body pieces, and Nagle would hold each small
 * write until the previous one is acknowledged. 0 = off as it should be. */
static int check_nagle_off(fc_lwip_conn *conn, const fc_transport *t, const fc_system *sys,
                           const char *host, const char *port)
{
    uint32_t start = sys->now_ms(sys->ctx);
    fc_err r = t->ops->connect(t->ctx, host, (uint16_t)atoi(port), 0);
    int off;
    while (r == FC_AGAIN && (uint32_t)(sys->now_ms(sys->ctx) - start) < 10000u) {
        lwip_tap_stack_wait(1u, FC_WAIT_WRITE);
        r = t->ops->connect_poll(t->ctx);
    }
    if (r != FC_OK || conn->pcb == NULL) {
        fprintf(stderr, "FAIL: connect for the Nagle check: %s\n", fc_err_str(r));
        t->ops->close(t->ctx);
        return 1;
    }
    off = altcp_nagle_disabled(conn->pcb) != 0;
    t->ops->close(t->ctx);
    printf("Nagle on the port's connections: %s\n", off ? "disabled" : "ENABLED");
    if (!off) {
        fprintf(stderr, "FAIL: port/lwip left Nagle on (altcp_nagle_disable)\n");
        return 1;
    }
    return 0;
}

/* The body through TLS over lwIP; 0 = passed. */
static int run_tls(const fc_transport *plain, const fc_system *sys, const char *host,
                   const char *port, const char *ca_file)
{
#if FC_LWIP_TEST_TLS
    static fc_mbedtls_config cfg;
    static fc_mbedtls_conn sec;
    fc_transport t;
    lwip_test_target target;
    int failed;
    if (fc_mbedtls_config_init(&cfg) != FC_OK ||
        fc_mbedtls_config_add_ca_file(&cfg, ca_file) != FC_OK) {
        fprintf(stderr, "FAIL: TLS configuration with CA %s\n", ca_file);
        return 1;
    }
    fc_mbedtls_conn_init(&sec, &cfg, plain, &t);
    target.host = host;
    target.port = (uint16_t)atoi(port);
    target.use_tls = 1;
    failed = lwip_test_body(&t, sys, &target);
    fc_mbedtls_conn_free(&sec);
    fc_mbedtls_config_free(&cfg);
    return failed;
#else
    (void)plain;
    (void)sys;
    (void)host;
    (void)port;
    (void)ca_file;
    printf("NOTE: built without port/mbedtls: TLS part skipped\n");
    return 0;
#endif
}

int main(int argc, char **argv)
{
    static fc_lwip_conn conn;
    fc_transport t;
    fc_system sys = {host_now_ms, host_random, NULL};
    lwip_test_target target;
    int failed;
    if ((argc != 5 && argc != 7) || getenv("PRECONFIGURED_TAPIF") == NULL) {
        fprintf(stderr,
                "usage: PRECONFIGURED_TAPIF=<tap> %s <lwip-ip> <gateway-ip> <server-ip> <port>"
                " [<tls-port> <ca-file>]\n",
                argv[0]);
        return 2;
    }
    printf("lwIP %s: %s\n", LWIP_VERSION_STRING,
           lwip_tap_stack_nosys() ? "NO_SYS=1, one super-loop, no threads (built from source)"
                                  : "NO_SYS=0, tcpip thread with core locking (Debian's liblwip)");
    if (lwip_tap_stack_up(argv[1], argv[2], getenv("FC_LWIP_DNS")) != 0) {
        return 1;
    }
    fc_lwip_init(&conn, &t);
    if (check_nagle_off(&conn, &t, &sys, argv[3], argv[4]) != 0) {
        return 1;
    }
    target.host = argv[3];
    target.port = (uint16_t)atoi(argv[4]);
    target.use_tls = 0;
    printf("-- plain TCP over lwIP\n");
    failed = lwip_test_body(&t, &sys, &target);
    if (argc == 7) {
        printf("-- TLS (port/mbedtls) over lwIP\n");
        failed += run_tls(&t, &sys, argv[3], argv[5], argv[6]);
    }
    failed += run_upload_flow(&sys);
    printf("%s\n", failed ? "lwIP test FAILED" : "lwIP test passed");
    fflush(stdout);
    return failed ? 1 : 0;
}
