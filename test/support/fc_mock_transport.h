/* SPDX-License-Identifier: MIT */
/*
 * fc_mock_transport.h - a scripted transport and a fake clock for unit
 * tests of the engine.
 *
 * The script is a list of exchanges. Each one answers the request the
 * client sends with canned bytes, delivered at most `chunk` bytes per
 * recv, optionally with a would-block before every piece, and may end in
 * EOF or a reset at a chosen offset. Everything the client sends is
 * recorded. The clock moves only when the test says so.
 */
#ifndef FC_MOCK_TRANSPORT_H
#define FC_MOCK_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_client.h"

#define FC_MOCK_MAX_EXCHANGES 16
#define FC_MOCK_SENT_MAX      (256u * 1024u)

typedef struct fc_mock_exchange {
    const char *response; /* bytes the server answers with */
    size_t response_len;  /* 0 = strlen(response) */
    int close_after;      /* EOF once the response is delivered */
    long eof_at;          /* >= 0: EOF after this many bytes */
    long reset_at;        /* >= 0: reset after this many bytes */
    int stall;            /* never answer */
    int connect_fail;     /* the connect of this exchange fails */
    fc_err connect_error; /* with it: FC_ERR_CONNECT when 0 */
    uint32_t drip_ms;     /* > 0: one byte every drip_ms of the mock's clock */
} fc_mock_exchange;

struct fc_fake_clock;

typedef struct fc_mock {
    fc_mock_exchange ex[FC_MOCK_MAX_EXCHANGES];
    int count;
    int current;      /* exchange being served */
    size_t delivered; /* bytes of the current response delivered */
    size_t chunk;     /* max bytes per recv/send (0 = unlimited) */
    int would_block;  /* alternate FC_AGAIN with every recv/send */
    int blocked_last; /* internal: alternation state */
    int connected;
    int connects; /* connect() calls */
    int closes;
    int sends;          /* send() calls that took bytes */
    char more_calls[8]; /* more_follows() arguments, as '0'/'1' */
    unsigned last_wait;
    int tls_handshake; /* offer a handshake step (like a TLS layer) */
    int handshakes;
    int resumed;          /* handshake_kind() says resumed, not full */
    int awaiting_request; /* response not started until the client sends */
    uint8_t sent[FC_MOCK_SENT_MAX];
    size_t sent_len;
    /* Where in sent the request of each exchange starts (SIZE_MAX: none
     * was sent for it). */
    size_t req_off[FC_MOCK_MAX_EXCHANGES];
    struct fc_fake_clock *clock; /* for drip_ms (NULL: no dripping) */
    uint32_t dripped_at;         /* internal: clock of the last dripped byte */
} fc_mock;

void fc_mock_init(fc_mock *m);
/* Append an exchange; returns it for further settings. */
fc_mock_exchange *fc_mock_add(fc_mock *m, const char *response);
void fc_mock_transport(fc_mock *m, fc_transport *t);
/* The bytes the client sent for exchange i (NUL-terminated copy in a
 * static buffer, so string functions work on it), or NULL when nothing was
 * sent for it. *len (if not NULL) gets their count. */
const char *fc_mock_request(const fc_mock *m, int i, size_t *len);

/*
 * The wire record: every byte any mock of the test program was sent, in
 * order, hashed with SHA-256 (fc_mock_init marks where a scripted exchange
 * set begins). fc_wire_check(name), called at the end of main, compares
 * the hash with test/unit/wire/<name>.sha256, so a refactoring can show
 * it changed no byte on the wire. Environment:
 *   FC_WIRE_UPDATE=1   write the file instead of comparing (a deliberate
 *                      change of the requests; commit the new file)
 *   FC_WIRE_DUMP=path  also write the bytes themselves to path, to diff
 *                      two versions when the hashes differ
 * Returns 0 when the record matches (or was written), 1 otherwise.
 */
int fc_wire_check(const char *name);

/* Fake clock (milliseconds, starts near the 32-bit wrap on purpose). */
typedef struct fc_fake_clock {
    uint32_t now;
    uint32_t seed;
} fc_fake_clock;

fc_system fc_fake_system(fc_fake_clock *clk);

/* Run the client's operation to its end, "sleeping" on the fake clock for
 * whatever fc_client_wait asks. Fails the test after max_polls. */
fc_err fc_mock_run(fc_client *c, fc_fake_clock *clk, int max_polls, int *polls);

#endif
