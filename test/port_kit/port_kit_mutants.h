/* SPDX-License-Identifier: MIT */
/*
 * port_kit_mutants.h - broken transports for the kit's own test (see
 * port_kit_mutants.c): a layer over a correct plain transport that breaks
 * exactly one rule.
 */
#ifndef PORT_KIT_MUTANTS_H
#define PORT_KIT_MUTANTS_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_port.h"

typedef enum kit_mutant_kind {
    MUTANT_EOF_AS_EMPTY_READ,
    MUTANT_RESET_AS_EOF,
    MUTANT_WAIT_SWAPPED,
    MUTANT_RETRY_LOSES_DATA,
    MUTANT_SENT_TOO_MUCH,
    MUTANT_STALE_AFTER_CLOSE,
    MUTANT_FD_AFTER_CLOSE,
    MUTANT_REFUSED_AS_TIMEOUT,
    MUTANT_PLAIN_ACCEPTS_TLS,
    MUTANT_COUNT
} kit_mutant_kind;

typedef struct kit_mutant {
    kit_mutant_kind kind;
    fc_transport inner;
    int after_again;   /* the last send was FC_AGAIN */
    int last_fd;       /* descriptor before the last close() */
    uint8_t ahead[64]; /* read-ahead (MUTANT_STALE_AFTER_CLOSE) */
    size_t ahead_at;
    size_t ahead_len;
} kit_mutant;

typedef struct kit_mutant_case {
    kit_mutant_kind kind;
    const char *what;  /* the broken rule */
    const char *check; /* the kit check that must fail */
} kit_mutant_case;

extern const kit_mutant_case k_mutant_cases[MUTANT_COUNT];

/* m wraps inner (a correct plain transport); t points at m. */
void kit_mutant_init(kit_mutant *m, kit_mutant_kind kind, const fc_transport *inner,
                     fc_transport *t);

#endif /* PORT_KIT_MUTANTS_H */
