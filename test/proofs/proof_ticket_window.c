/* SPDX-License-Identifier: MIT */
/*
 * proof_ticket_window - Frama-C EVA harness for the ticket keeper's window
 * code (core/src/transfer/fc_upload_ticket.c): the functions that read the
 * kept strings back for the PUTs. fc_ticket_part_limit (the next initiate's
 * ask), fc_ticket_window (the checks of the kept URLs and headers, the
 * trim of the window to what fits beside a PUT, the "buffer too small"
 * sizes), fc_ticket_url (a part's URL) and fc_ticket_write_headers (the
 * ticket's header lines in a PUT head of any capacity).
 *
 * The precondition is the layout proof_ticket's reader leaves when
 * fc_ticket_finish succeeds (fc_upload_ticket.c): at the front of the I/O
 * buffer, before the reader's kept end, the window's URLs one after the
 * other from url_at and the header names and values one after the other
 * from headers_at, in either order, each NUL-terminated; url_max at most
 * the keep room. The harness builds EVERY such layout of 0..PROOF_TW_ROOM
 * bytes: any count of URLs and header pairs, each string of any length and
 * any non-NUL bytes (a NUL inside would only make more, shorter strings),
 * and all other fields any value: the window's first part, the progress
 * (part, part count, multipart or not, with an upload_id or not), the
 * reader's cut sizes, TLS or not, plain-http storage allowed or not, a
 * user agent of any length 0..512, an I/O buffer of any size from the kept
 * strings plus FC_PUT_WORK_MIN up (or any size below FC_PUT_WORK_MIN when
 * nothing is kept). fc_ticket_url is called for windows from the first and
 * the last TW_FROM_N part numbers (below). A room of 4 bytes is the least
 * that holds a URL and a header pair a PUT may carry ("a", "", "").
 * The precondition is argued, not proven: the reader writes each kept
 * string at its kept end and moves the end past the string's NUL
 * (fc_key_end, fc_string_value_end, fc_part_end), which proof_ticket
 * bounds but does not describe.
 *
 * EVA shows no runtime error (no out-of-bounds access, no overflow, no
 * uninitialized read), and the assertions:
 *   url_of_part    fc_ticket_url(part) is the k-th URL of the window for
 *                  part window_from - 1 + k, k below window_n; NULL for a
 *                  part before or after the window;
 *   window_kept    after FC_OK, every URL of the (trimmed) window ends
 *                  before c->priv.reserved, the engine's next write;
 *   headers_lines  fc_ticket_write_headers writes exactly the ticket's
 *                  "name: value\r\n" lines (their length in bytes).
 * -eva-ilevel 256 keeps a byte of 1..255 as a set, so strlen over the
 * strings is exact (without it, an interval read as char holds 0).
 *
 * eva-options: -eva-slevel 100000 -eva-ilevel 256 -eva-split-return full
 */
#include <stdint.h>
#include <string.h>

#include "__fc_builtin.h"
#include "fc_transfer.h"

#ifndef PROOF_TW_ROOM
#define PROOF_TW_ROOM 4
#endif

/* The window's first part (1-based): 1..TW_FROM_N and the last TW_FROM_N
 * part numbers up to UINT32_MAX (fc_ticket_begin: the next part + 1, and a
 * part is below part_count <= UINT32_MAX). EVA keeps no relation between
 * two intervals: with any first part in one interval, fc_ticket_url's
 * walk (part + 1 - window_from strings) would have no bound. The code
 * between the two ends is the same arithmetic without a wrap. */
#define TW_FROM_N 3u

static uint8_t io[FC_PUT_WORK_MIN + PROOF_TW_ROOM];
static char user_agent[FC_PUT_WORK_MIN + 1];
static char head[FC_PUT_WORK_MIN];
static fc_client c;
static fc_upload up;

/* The layout the harness built: where each URL starts, its length. */
static size_t tw_url_at[PROOF_TW_ROOM];
static size_t tw_url_len[PROOF_TW_ROOM];
static size_t tw_header_lines; /* bytes of "name: value\r\n" lines */

/* `count` NUL-terminated strings of any lengths and non-NUL bytes from
 * *at, all before the room's end; where each starts and its length to
 * starts[] and lens[] (when not NULL). 0 when they do not fit. */
static int tw_strings(size_t *at, size_t count, size_t *starts, size_t *lens)
{
    size_t i;
    for (i = 0; i < count; i++) {
        size_t len;
        size_t k;
        if (*at >= PROOF_TW_ROOM) {
            return 0;
        }
        len = Frama_C_size_t_interval(0, PROOF_TW_ROOM - *at - 1u);
        /*@ split len; */
        for (k = 0; k < len; k++) {
            io[*at + k] = (uint8_t)Frama_C_interval(1, 255);
        }
        io[*at + len] = 0;
        if (starts != NULL) {
            starts[i] = *at;
            lens[i] = len;
        }
        *at += len + 1u;
    }
    return 1;
}

/* The header pairs from *at; the bytes of their "name: value\r\n" lines
 * (each string's NUL stands for ": " or CRLF, one byte more). */
static int tw_headers(size_t *at, size_t pairs)
{
    size_t from = *at;
    up.priv.headers_at = pairs > 0u ? (uint32_t)from : 0u; /* 0: fc_ticket_begin's */
    if (!tw_strings(at, 2u * pairs, NULL, NULL)) {
        return 0;
    }
    tw_header_lines = *at - from + 2u * pairs;
    return 1;
}

/* The window's URLs and the header pairs in either order; the reader's
 * kept end after them. 0 when they do not fit the room. */
static int tw_layout(size_t *kept)
{
    size_t urls = Frama_C_size_t_interval(0, PROOF_TW_ROOM);
    size_t pairs = Frama_C_size_t_interval(0, PROOF_TW_ROOM / 2u);
    int headers_first = Frama_C_interval(0, 1);
    size_t at = 0;
    /*@ split urls; */
    /*@ split pairs; */
    /*@ split headers_first; */
    up.priv.window_n = (uint32_t)urls;
    up.priv.headers = (uint16_t)pairs;
    if (headers_first && !tw_headers(&at, pairs)) {
        return 0;
    }
    up.priv.url_at = urls > 0u ? (uint32_t)at : 0u;
    if (!tw_strings(&at, urls, tw_url_at, tw_url_len)) {
        return 0;
    }
    if (!headers_first && !tw_headers(&at, pairs)) {
        return 0;
    }
    *kept = at;
    return 1;
}

/* Every other field the window code reads: any value. */
static void tw_any_fields(size_t kept)
{
    fc_ticket_reader *r = &up.priv.step.ticket;
    size_t ua_len = Frama_C_size_t_interval(0, FC_PUT_WORK_MIN);
    size_t keep_room;
    memset(user_agent, 'a', sizeof user_agent);
    user_agent[ua_len] = '\0';
    user_agent[FC_PUT_WORK_MIN] = '\0';
    c.cfg.user_agent = user_agent;
    c.cfg.io_buf = io;
    c.cfg.io_buf_size = kept == 0u && Frama_C_interval(0, 1)
                            ? Frama_C_size_t_interval(1, FC_PUT_WORK_MIN)
                            : Frama_C_size_t_interval(FC_PUT_WORK_MIN + kept, sizeof io);
    keep_room = c.cfg.io_buf_size > FC_PUT_WORK_MIN ? c.cfg.io_buf_size - FC_PUT_WORK_MIN : 0u;
    c.priv.base.tls = (uint8_t)Frama_C_interval(0, 1);
    c.priv.op.out = &up;
    up.params.allow_http_storage = (uint8_t)Frama_C_interval(0, 1);
    up.priv.url_max = (uint32_t)Frama_C_size_t_interval(0, keep_room);
    up.priv.window_from = Frama_C_unsigned_int_interval(1, UINT32_MAX);
    up.progress.part = (uint32_t)Frama_C_unsigned_int_interval(0, UINT32_MAX);
    up.progress.part_count = (uint32_t)Frama_C_unsigned_int_interval(0, UINT32_MAX);
    up.progress.multipart = (uint8_t)Frama_C_interval(0, 1);
    up.progress.upload_id[0] = (char)Frama_C_interval(0, 1);
    r->kept = kept;
    r->full = (uint8_t)Frama_C_interval(0, 1);
    r->first_cut = Frama_C_size_t_interval(0, SIZE_MAX - 5u);
    r->skipped = Frama_C_size_t_interval(0, SIZE_MAX);
}

/* fc_ticket_url for a part in, before and after the window (parts are
 * below UINT32_MAX: a part past it does not exist), the window's first
 * part one of the TW_FROM_N classes from here on (fc_ticket_window read
 * any: it compares window_from + window_n with part_count only). */
static void tw_urls(void)
{
    unsigned class = (unsigned)Frama_C_interval(0, 2 * TW_FROM_N - 1u);
    uint64_t from;
    uint64_t n = up.priv.window_n;
    uint32_t k = (uint32_t)Frama_C_unsigned_int_interval(0, PROOF_TW_ROOM - 1u);
    const char *url;
    int ok;
    /*@ split class; */
    /*@ split k; */
    from = class < TW_FROM_N ? class + 1u : UINT32_MAX - (class - TW_FROM_N);
    up.priv.window_from = (uint32_t)from;
    if (k < n && from - 1u + k < UINT32_MAX) {
        url = fc_ticket_url(&c, &up, (uint32_t)(from - 1u + k));
        ok = url == (const char *)io + tw_url_at[k];
        /*@ assert url_of_part: ok == 1; */
    }
    if (from > 1u) {
        url = fc_ticket_url(&c, &up, Frama_C_unsigned_int_interval(0, (uint32_t)(from - 2u)));
        ok = url == NULL;
        /*@ assert url_before_window: ok == 1; */
    }
    if (from - 1u + n < UINT32_MAX) {
        url = fc_ticket_url(&c, &up,
                            Frama_C_unsigned_int_interval((uint32_t)(from - 1u + n), UINT32_MAX));
        ok = url == NULL;
        /*@ assert url_after_window: ok == 1; */
    }
}

int main(void)
{
    size_t kept = 0;
    size_t i;
    fc_head_writer w;
    int ok = 1;
    Frama_C_make_unknown((char *)io, sizeof io);
    Frama_C_make_unknown((char *)&up, sizeof up);
    if (!tw_layout(&kept)) {
        return 0;
    }
    tw_any_fields(kept);

    (void)fc_ticket_part_limit(&c, &up); /* (as the next initiate asks) */
    if (fc_ticket_window(&c, &up) != FC_OK) {
        return 0;
    }
    for (i = 0; i < up.priv.window_n; i++) {
        ok = ok && tw_url_at[i] + tw_url_len[i] < c.priv.reserved;
    }
    /*@ assert window_kept: ok == 1; */

    fc_head_writer_init(&w, head, Frama_C_size_t_interval(0, sizeof head));
    (void)fc_ticket_write_headers(&c, &w);
    ok = w.len == tw_header_lines;
    /*@ assert headers_lines: ok == 1; */

    tw_urls();
    return 0;
}
