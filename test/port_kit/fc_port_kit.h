/* SPDX-License-Identifier: MIT */
/*
 * fc_port_kit.h - the port conformance kit: checks that a transport keeps
 * the contract of fluidcloud/fc_port.h, the way the client relies on it.
 *
 * The kit is portable C99 and needs nothing but fc_port.h, the transport
 * under test, a clock and a way to wait. It runs on the host or on the
 * device itself, against port_kit_peer.py (a small TCP/TLS peer that takes
 * line commands) reachable from the transport:
 *
 *     static fc_port_kit kit;               // zero it, then fill it
 *     kit.name = "my modem";
 *     kit.transports[0] = &t0;              // two independent connections
 *     kit.transports[1] = &t1;
 *     kit.system = my_system;               // now_ms + random
 *     kit.wait = my_wait;                   // see fc_port_kit_wait_fn
 *     kit.print = my_print;                 // one line per call
 *     kit.use_tls = 0;                      // 1: connect with TLS
 *     kit.peer.host = "192.168.1.10";       // as port_kit_peer.py printed
 *     kit.peer.port = 40001;                // its plain (or TLS) port
 *     kit.peer.refused_port = 40002;        // a port nothing listens on
 *     failed = fc_port_kit_run(&kit);       // 0 = the transport conforms
 *
 * What is checked is listed in test/port_kit/README.md, one line per
 * check, with the part of the contract it holds the transport to.
 */
#ifndef FC_PORT_KIT_H
#define FC_PORT_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes the kit sends per call, from its own static buffer (RAM it
 * needs: twice this). Override when compiling fc_port_kit.c. */
#ifndef FC_PORT_KIT_CHUNK
#define FC_PORT_KIT_CHUNK 2048u
#endif

/*
 * Wait until transport t may make progress on events (FC_WAIT_*, as its
 * wait_events() said after an FC_AGAIN), at most timeout_ms.
 *   FC_OK           woken, or the waiter cannot tell (no descriptor:
 *                   it slept a short slice or ran the stack once)
 *   FC_ERR_TIMEOUT  it watched a descriptor and the events never came
 * The kit counts FC_ERR_TIMEOUT as a failure: in every check the peer is
 * known to make the awaited progress, so an event that never comes means
 * wait_events() or pollable_fd() misled the waiter (an application
 * sleeping in poll() would hang there).
 */
typedef fc_err (*fc_port_kit_wait_fn)(void *ctx, const fc_transport *t, unsigned events,
                                      uint32_t timeout_ms);

/* Where port_kit_peer.py listens, as the transport reaches it. */
typedef struct fc_port_kit_peer {
    const char *host;      /* name or address given to connect() */
    uint16_t port;         /* command port: TLS when use_tls, else plain */
    uint16_t refused_port; /* nothing listens there (0: skip the check) */
    /* TLS transports only (0: skip the check): */
    uint16_t plain_port;      /* the plain command port (use_tls == 0 and
                                  a handshake with a server that is not TLS) */
    uint16_t untrusted_port;  /* a certificate from a CA not trusted */
    uint16_t wrong_name_port; /* a trusted certificate for another name */
} fc_port_kit_peer;

typedef struct fc_port_kit {
    const char *name;            /* printed in the report */
    fc_transport *transports[2]; /* two connections, used at once */
    int use_tls;                 /* connect(..., use_tls) */
    fc_system system;            /* the kit's deadlines */
    fc_port_kit_wait_fn wait;
    void *wait_ctx;
    void (*print)(void *ctx, const char *line); /* one report line, no '\n' */
    void *print_ctx;
    fc_port_kit_peer peer;
    uint32_t step_timeout_ms;  /* per step; 0 = 10000 */
    uint32_t backpressure_max; /* bytes pushed at a peer that does
                                         not read before FC_AGAIN must
                                         come; 0 = 64 MiB */
    const char *only;          /* run only these checks: names
                                         separated by ',' (NULL = all) */
    const char *skip;          /* leave these out (reported as
                                         skipped); NULL = none */
} fc_port_kit;

/* Run every check; prints one line per check and a summary. Returns the
 * number of failed checks (0 = the transport conforms). */
int fc_port_kit_run(const fc_port_kit *kit);

/* Byte i of the kit's test stream (the peer computes the same). */
uint8_t fc_port_kit_pattern(uint32_t i);

#ifdef __cplusplus
}
#endif

#endif /* FC_PORT_KIT_H */
