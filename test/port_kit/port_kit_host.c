/* SPDX-License-Identifier: MIT */
/*
 * port_kit_host.c - the conformance kit on the host, for the project's own
 * ports:
 *
 *   port_kit_peer.py --run port_kit_host posix   [--only L] [--skip L]
 *   port_kit_peer.py --run port_kit_host mbedtls [--only L] [--skip L]
 *   port_kit_peer.py --run port_kit_host mutants
 *
 * posix is port/posix (plain TCP); mbedtls is port/mbedtls over port/posix
 * (TLS, trusting the peer's CA). mutants is the kit's own test: port/posix
 * under each broken layer of port_kit_mutants.c, where the check named
 * for it must fail. The peer's ports come from FC_KIT_* (set
 * by port_kit_peer.py --run). The waiter is poll() on the transport's
 * descriptor for exactly the events it asked for, so a wrong
 * wait_events() shows as a wait that never ends. SIGPIPE keeps its
 * default action: a port that lets it through kills the run.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_port_kit.h"
#include "port_kit_mutants.h"
#include "fluidcloud/fc_posix.h"
#if FC_PORT_KIT_MBEDTLS
#include "fluidcloud/fc_mbedtls.h"
#endif

static fc_err host_wait(void *ctx, const fc_transport *t, unsigned events, uint32_t timeout_ms)
{
    int fd = t->ops->pollable_fd != NULL ? t->ops->pollable_fd(t->ctx) : -1;
    (void)ctx;
    if (fd < 0) {
        (void)fc_posix_wait(-1, 0, 1); /* nothing to watch: a short nap */
        return FC_OK;
    }
    return fc_posix_wait(fd, events, timeout_ms) == FC_ERR_TIMEOUT ? FC_ERR_TIMEOUT : FC_OK;
}

static void host_print(void *ctx, const char *line)
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

/* Every mutant must fail the check that names its broken rule. */
static int run_mutants(fc_port_kit *kit, fc_transport plain[2])
{
    static kit_mutant mutant[2];
    static fc_transport broken[2];
    int missed = 0;
    unsigned k;
    unsigned i;
    kit->step_timeout_ms = 3000; /* some mutants are caught by a wait that never ends */
    for (k = 0; k < MUTANT_COUNT; k++) {
        const kit_mutant_case *mc = &k_mutant_cases[k];
        for (i = 0; i < 2; i++) {
            kit_mutant_init(&mutant[i], mc->kind, &plain[i], &broken[i]);
            kit->transports[i] = &broken[i];
        }
        kit->name = mc->what;
        kit->only = mc->check;
        if (fc_port_kit_run(kit) == 1) {
            printf("caught: %s (by %s)\n", mc->what, mc->check);
        } else {
            printf("MISSED: %s passed %s\n", mc->what, mc->check);
            missed++;
        }
        for (i = 0; i < 2; i++) {
            plain[i].ops->close(plain[i].ctx);
        }
    }
    printf("port kit self-test: %d of %d broken transports missed\n", missed, MUTANT_COUNT);
    return missed == 0 ? 0 : 1;
}

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: port_kit_peer.py --run %s posix|mbedtls|mutants [--only a,b] [--skip a,b]\n",
            argv0);
    return 2;
}

int main(int argc, char **argv)
{
    static fc_posix_conn tcp[2];
    static fc_transport plain[2];
    static fc_port_kit kit;
#if FC_PORT_KIT_MBEDTLS
    static fc_mbedtls_config tls;
    static fc_mbedtls_conn secure[2];
    static fc_transport wrapped[2];
#endif
    int i;
    int failed;

    if (argc < 2 || getenv("FC_KIT_HOST") == NULL) {
        return usage(argv[0]);
    }
    for (i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--only") == 0) {
            kit.only = argv[i + 1];
        } else if (strcmp(argv[i], "--skip") == 0) {
            kit.skip = argv[i + 1];
        } else {
            return usage(argv[0]);
        }
    }
    if (i != argc) {
        return usage(argv[0]);
    }
    for (i = 0; i < 2; i++) {
        fc_posix_transport_init(&tcp[i], &plain[i]);
        kit.transports[i] = &plain[i];
    }
    kit.name = "port/posix";
    kit.system = fc_posix_system();
    kit.wait = host_wait;
    kit.print = host_print;
    kit.peer.host = getenv("FC_KIT_HOST");
    kit.peer.port = env_port("FC_KIT_PLAIN_PORT");
    kit.peer.refused_port = env_port("FC_KIT_REFUSED_PORT");

    if (strcmp(argv[1], "mutants") == 0) {
        return run_mutants(&kit, plain);
    }
    if (strcmp(argv[1], "mbedtls") == 0) {
#if FC_PORT_KIT_MBEDTLS
        const char *ca = getenv("FC_KIT_CA_FILE");
        if (ca == NULL || fc_mbedtls_config_init(&tls) != FC_OK ||
            fc_mbedtls_config_add_ca_file(&tls, ca) != FC_OK) {
            fprintf(stderr, "port_kit_host: cannot set up TLS with CA %s\n", ca ? ca : "(none)");
            return 1;
        }
        for (i = 0; i < 2; i++) {
            fc_mbedtls_conn_init(&secure[i], &tls, &plain[i], &wrapped[i]);
            kit.transports[i] = &wrapped[i];
        }
        kit.name = "port/mbedtls over port/posix";
        kit.use_tls = 1;
        kit.peer.port = env_port("FC_KIT_TLS_PORT");
        kit.peer.plain_port = env_port("FC_KIT_PLAIN_PORT");
        kit.peer.untrusted_port = env_port("FC_KIT_UNTRUSTED_PORT");
        kit.peer.wrong_name_port = env_port("FC_KIT_WRONG_NAME_PORT");
#else
        fprintf(stderr, "port_kit_host: built without port/mbedtls\n");
        return 2;
#endif
    } else if (strcmp(argv[1], "posix") != 0) {
        return usage(argv[0]);
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
