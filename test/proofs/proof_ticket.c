/* SPDX-License-Identifier: MIT */
/*
 * proof_ticket - Frama-C EVA harness for the ticket keeper's reader
 * (core/src/transfer/fc_upload_ticket.c): fc_ticket_sink, the streaming
 * JSON reader that keeps the ticket's URLs and headers in the I/O buffer,
 * for ticket texts of ANY length, in any pieces, with any byte values.
 *
 * The proof is an induction over the bytes read. A state of the reader
 * between two lexemes (outside a string) is described by TK_INV below:
 * ranges and the relations the code relies on. The harness starts from
 * EVERY state TK_INV allows (all other fields of the reader and of the
 * upload hold any bytes), reads one byte of any value at any place of the
 * I/O buffer, and EVA shows:
 *   1. the byte is read without a runtime error (no out-of-bounds access,
 *      no overflow, no invalid shift, no uninitialized read);
 *   2. when it ends outside a string, the state is again one TK_INV allows
 *      (checked by the assertion at the end);
 *   3. when it starts a string, the string is read as a whole: from the
 *      state its opening quote made, with ANY count of bytes read into it
 *      so far (out_len) and in any step of an escape (lex, hex, hex_n,
 *      high), one more byte of any value - a string byte, an escape, the
 *      closing quote - runs without a runtime error, leaves where the
 *      string goes untouched while it stays in the string (asserted), and
 *      ends in a state TK_INV allows when the string ends; and where the
 *      string goes has at most the room of its field (tk_target_ok).
 * fc_ticket_begin's state is one TK_INV allows (checked first), so by
 * induction every text is read without a runtime error, and the engine's
 * next read position (c->priv.reserved) never passes the keep room (so the
 * engine's room to read, io_buf_size - reserved, never wraps).
 *
 * Bounds: the keep room (io_buf_size - FC_PUT_WORK_MIN) is 0..PROOF_TK_ROOM
 * bytes, and any I/O buffer smaller than FC_PUT_WORK_MIN; a string's length
 * stays below SIZE_MAX - 4 (out_len never exceeds the bytes of the string
 * read, as an escape is longer than what it stands for: so any ticket
 * shorter than that). After an error the engine reads no more of
 * the answer (fc_response.c stops at the sink's first error) and the next
 * ticket starts with fc_ticket_begin, so error states need no invariant.
 * fc_ticket_finish and fc_ticket_failed run from every state TK_INV
 * allows, with any upload fields (sizes, ids) and an ETag store or none.
 * The window code that reads the kept strings back for the PUTs
 * (fc_ticket_window, fc_ticket_url, fc_ticket_part_limit): proof_ticket_window.c.
 *
 * eva-options: -eva-slevel 200000 -eva-split-limit 100000 -eva-split-return full
 * eva-options: -eva-interprocedural-splits -eva-slevel-function fc_div_ceil:4
 */
#include <stdint.h>
#include <string.h>

#include "__fc_builtin.h"
#include "fc_transfer.h"

#ifndef PROOF_TK_ROOM
#define PROOF_TK_ROOM 1
#endif

/* The reader's states, as fc_upload_ticket.c names them (restated: they
 * are private to it). */
enum { EX_VALUE, EX_VALUE_OR_END, EX_KEY_OR_END, EX_KEY, EX_COLON, EX_COMMA_OR_END, EX_DONE };
enum { LX_NONE, LX_STRING, LX_ESCAPE, LX_HEX, LX_LOW_BS, LX_LOW_U, LX_NUMBER, LX_LITERAL };
#define TM_LAST   13u /* FC_TM_HEADER, the last member */
#define DEPTH_MAX 31u
static const unsigned k_literal_len[3] = {4, 5, 4}; /* true, false, null */

static uint8_t io[FC_PUT_WORK_MIN + PROOF_TK_ROOM];
static fc_client c;
static fc_upload up;

static size_t tk_keep_limit(void)
{
    return c.cfg.io_buf_size > FC_PUT_WORK_MIN ? c.cfg.io_buf_size - FC_PUT_WORK_MIN : 0u;
}

/* TK_INV: the state between two lexemes (lex NONE, NUMBER or LITERAL). */
static int tk_inv(const fc_ticket_reader *r)
{
    if (r->depth > DEPTH_MAX || r->expect > EX_DONE || r->member > TM_LAST ||
        r->section > TM_LAST || r->kept > tk_keep_limit() || r->part_url > tk_keep_limit()) {
        return 0;
    }
    if (r->expect == EX_COMMA_OR_END && r->depth == 0u) {
        return 0; /* a value ended inside a container */
    }
    if (r->lex == LX_LITERAL) {
        return r->literal <= 2u && r->literal_at >= 1u && r->literal_at < k_literal_len[r->literal];
    }
    return r->lex == LX_NONE || r->lex == LX_NUMBER;
}

/* Where a string goes, and the room it has there: EVA checks bounds per
 * variable, so a write past the end of word[] or of an id field into the
 * next field of the same struct would be no alarm. This says each string
 * has at most its field's room; the reader writes at out[out_len] only
 * below out_cap (fc_string_put: out_len + 1 < out_cap, the NUL:
 * out_len < out_cap). */
static int tk_target_ok(const fc_ticket_reader *r)
{
    size_t limit = tk_keep_limit();
    if (r->out_kept) {
        return r->out == (char *)io + r->kept && r->out_cap == limit - r->kept;
    }
    if (r->out == NULL) {
        return r->out_cap == 0u;
    }
    if (r->out == r->word || r->out == r->upload_id) {
        return r->out_cap == (r->out == r->word ? sizeof r->word : sizeof r->upload_id);
    }
    if (r->out == up.progress.file_id) {
        return r->out_cap == sizeof up.progress.file_id;
    }
    return r->out == up.progress.key && r->out_cap == sizeof up.progress.key;
}

/* Every state TK_INV allows; the fields it does not name keep any bytes. */
static void tk_any_state(fc_ticket_reader *r)
{
    size_t limit = tk_keep_limit();
    size_t kept = Frama_C_size_t_interval(0, limit);
    unsigned lex;
    /*@ split kept; */
    r->kept = kept;
    r->part_url = Frama_C_size_t_interval(0, limit);
    r->expect = (uint8_t)Frama_C_interval(EX_VALUE, EX_DONE);
    /*@ split r->expect; */
    r->depth = (uint8_t)Frama_C_interval(r->expect == EX_COMMA_OR_END ? 1 : 0, DEPTH_MAX);
    r->member = (uint8_t)Frama_C_interval(0, TM_LAST);
    r->section = (uint8_t)Frama_C_interval(0, TM_LAST);
    lex = (unsigned)Frama_C_interval(0, 2);
    /*@ split lex; */
    if (lex == 0u) {
        r->lex = LX_NONE;
    } else if (lex == 1u) {
        r->lex = LX_NUMBER;
    } else {
        unsigned lit = (unsigned)Frama_C_interval(0, 2);
        unsigned at;
        /*@ split lit; */
        at = (unsigned)Frama_C_interval(1, (int)k_literal_len[lit] - 1);
        /*@ split at; */
        r->lex = LX_LITERAL;
        r->literal = (uint8_t)lit;
        r->literal_at = (uint8_t)at;
    }
}

static int tk_in_string(const fc_ticket_reader *r)
{
    return r->lex >= LX_STRING && r->lex <= LX_LOW_U;
}

/* The string its opening quote began, after any bytes of it: out_len any
 * count, in any step of an escape. out_len is split where a key or the
 * mode is read into word[] (its NUL, at out_len, ends the name compared). */
static void tk_any_string_progress(fc_ticket_reader *r)
{
    if (r->out == r->word) {
        size_t n = Frama_C_size_t_interval(0, sizeof r->word);
        /*@ split n; */
        r->out_len = n < sizeof r->word ? n : Frama_C_size_t_interval(n, SIZE_MAX - 5u);
    } else {
        r->out_len = Frama_C_size_t_interval(0, SIZE_MAX - 5u);
    }
    r->lex = (uint8_t)Frama_C_interval(LX_STRING, LX_LOW_U);
    /*@ split r->lex; */
    r->hex_n = (uint8_t)Frama_C_interval(0, 3);
    r->hex = (uint16_t)Frama_C_interval(0, UINT16_MAX);
    r->high = (uint16_t)Frama_C_interval(0, UINT16_MAX);
}

/* The caller's ETag store: it keeps the part count, or says it cannot. */
static fc_err tk_reserve(void *ctx, uint32_t part_count)
{
    (void)ctx;
    (void)part_count;
    return Frama_C_interval(0, 1) ? FC_OK : FC_ERR_BUFFER_TOO_SMALL;
}

/* fc_ticket_finish (and fc_ticket_failed, the words of a failed ticket)
 * after the reader stopped in any state TK_INV allows: the answer ended,
 * or was cut anywhere. */
static void tk_finish(fc_ticket_reader *r)
{
    static fc_etag_store store = {.reserve = tk_reserve};
    tk_any_state(r);
    up.params.etags = Frama_C_interval(0, 1) ? &store : NULL;
    if (fc_ticket_finish(&c, &up) != FC_OK) {
        fc_ticket_failed(&c, &up, Frama_C_interval(0, 1) ? FC_ERR_BUFFER_TOO_SMALL : FC_ERR_JSON);
    }
}

/* One byte of any value, at any place of the I/O buffer behind the kept
 * end (where the engine reads the next piece). */
static fc_err tk_read_byte(void)
{
    size_t at = Frama_C_size_t_interval(c.priv.reserved, c.cfg.io_buf_size - 1u);
    Frama_C_make_unknown((char *)io + at, 1);
    return fc_ticket_sink(&c, io + at, 1);
}

int main(void)
{
    fc_ticket_reader *r = &up.priv.step.ticket;
    size_t room = Frama_C_size_t_interval(0, PROOF_TK_ROOM + 1u);
    int ok;
    /*@ split room; */
    /* room PROOF_TK_ROOM + 1: any buffer smaller than the PUT's work room */
    c.cfg.io_buf_size = room <= PROOF_TK_ROOM ? FC_PUT_WORK_MIN + room
                                              : Frama_C_size_t_interval(1, FC_PUT_WORK_MIN);
    c.cfg.io_buf = io;
    c.cfg.user_agent = "fluidcloud-c/0.2.0";
    c.priv.op.out = &up;
    Frama_C_make_unknown((char *)io, sizeof io);
    Frama_C_make_unknown((char *)&up, sizeof up);

    fc_ticket_begin(&c, &up);
    ok = tk_inv(r);
    /*@ assert begin_inv: ok == 1; */

    Frama_C_make_unknown((char *)&up, sizeof up);
    if (Frama_C_interval(0, 1)) {
        tk_finish(r);
        return 0;
    }
    tk_any_state(r);
    c.priv.reserved = r->kept;
    if (tk_read_byte() != FC_OK) {
        return 0;
    }
    if (tk_in_string(r)) {
        const char *out = r->out;
        size_t out_cap = r->out_cap;
        size_t kept = r->kept;
        uint8_t out_kept = r->out_kept;
        uint8_t is_key = r->is_key;
        ok = tk_target_ok(r);
        /*@ assert string_target: ok == 1; */
        tk_any_string_progress(r);
        if (tk_read_byte() != FC_OK) {
            return 0;
        }
        if (tk_in_string(r)) {
            ok = r->out == out && r->out_cap == out_cap && r->kept == kept &&
                 r->out_kept == out_kept && r->is_key == is_key &&
                 c.priv.reserved <= tk_keep_limit();
            /*@ assert string_kept: ok == 1; */
            return 0;
        }
    }
    ok = tk_inv(r) && c.priv.reserved <= tk_keep_limit();
    /*@ assert step_inv: ok == 1; */
    return 0;
}
