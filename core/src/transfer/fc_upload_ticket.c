/* SPDX-License-Identifier: MIT */
/*
 * fc_upload_ticket.c - the ticket POST /uploads/initiate answers, read as
 * a stream.
 *
 * A multipart ticket of a large file lists thousands of presigned URLs
 * (~0.3-1 kB each): far more than any buffer. So the answer is never held
 * whole. Its bytes come through the engine's sink, and a small JSON reader
 * (a grammar state machine, no tokens) keeps only what the PUTs need:
 * the ids, and the URLs of the window of parts that fits the I/O buffer,
 * unescaped and NUL-terminated at its front. Parts outside the window are
 * read and checked but not kept; the next window is asked for with the
 * upload_id ([contract] part window, fc_contract.h).
 *
 * The kept strings are written behind the bytes being read: every
 * string's text is at least as long as what is kept of it (quotes, keys
 * and escapes are dropped), so a kept byte never lands on a byte not yet
 * read, and c->priv.reserved follows the kept end, so the engine reads
 * the next piece right after it. The window ends where the buffer does,
 * minus the room the PUTs need.
 */
#include "fc_transfer.h"

#include <string.h>

#include "fluidcloud/fc_contract.h"

/* What the grammar allows next. */
enum {
    FC_EX_VALUE,
    FC_EX_VALUE_OR_END, /* after '[' */
    FC_EX_KEY_OR_END,   /* after '{' */
    FC_EX_KEY,          /* after ',' in an object */
    FC_EX_COLON,
    FC_EX_COMMA_OR_END,
    FC_EX_DONE
};

/* Inside which lexeme. */
enum {
    FC_LX_NONE,
    FC_LX_STRING,
    FC_LX_ESCAPE, /* after '\' */
    FC_LX_HEX,    /* the digits of \uXXXX */
    FC_LX_LOW_BS, /* a high surrogate read: '\' of its low half next */
    FC_LX_LOW_U,  /* then 'u' */
    FC_LX_NUMBER,
    FC_LX_LITERAL
};

/* What a value means. The root members first: their bit in `seen`. */
enum {
    FC_TM_NONE,
    FC_TM_UPLOAD_ID,
    FC_TM_FILE_ID,
    FC_TM_KEY,
    FC_TM_MODE,
    FC_TM_URL,
    FC_TM_HEADERS,
    FC_TM_PART_SIZE,
    FC_TM_PART_COUNT,
    FC_TM_PARTS,
    FC_TM_PART,        /* an element of parts */
    FC_TM_PART_NUMBER, /* members of an element */
    FC_TM_PART_URL,
    FC_TM_HEADER /* the value of a header */
};

#define FC_TM_BIT(m) ((uint16_t)(1u << (m)))

/* fc_ticket_reader.part_flags */
#define FC_TP_NUMBER  0x01u
#define FC_TP_URL     0x02u
#define FC_TP_URL_CUT 0x04u /* its URL did not fit the buffer */

/* fc_ticket_reader.number_state: a minus sign was read. */
#define FC_TK_NEGATIVE 0x08u

/* Header pairs a ticket may name (a presigned PUT needs a few). */
#define FC_TK_HEADERS_MAX 64u

/* Nesting levels the containers bit set holds. */
#define FC_TK_DEPTH_MAX 31u

/* The root members' names in FC_TM_* order from FC_TM_UPLOAD_ID, and a
 * part's members' from FC_TM_PART_NUMBER; each list ends with "". */
static const char k_root_names[] =
    FC_F_UPLOAD_ID "\0" FC_F_FILE_ID "\0" FC_F_KEY "\0" FC_F_MODE "\0" FC_F_URL "\0" FC_F_HEADERS
                   "\0" FC_F_PART_SIZE "\0" FC_F_PART_COUNT "\0" FC_F_PARTS "\0";
static const char k_part_names[] = FC_F_PART_NUMBER "\0" FC_F_URL "\0";

static fc_ticket_reader *fc_reader(fc_upload *up)
{
    return &up->priv.step.ticket;
}

static int fc_top_is_array(const fc_ticket_reader *r)
{
    return (r->containers >> (r->depth - 1u)) & 1u;
}

/* Room for kept strings: the buffer, minus what the PUTs need at least. */
static size_t fc_keep_limit(const fc_client *c)
{
    return c->cfg.io_buf_size > FC_PUT_WORK_MIN ? c->cfg.io_buf_size - FC_PUT_WORK_MIN : 0u;
}

/* Room a PUT needs beside the kept strings: its head (the URL's target and
 * host, ours and the ticket's header lines) or a body chunk, the larger. */
static size_t fc_put_room(const fc_client *c, size_t url_len, size_t header_bytes)
{
    size_t head = url_len + strlen(c->cfg.user_agent) + header_bytes +
                  96u; /* request line, Host, User-Agent, Content-Length */
    return head > FC_PUT_WORK_MIN ? head : FC_PUT_WORK_MIN;
}

void fc_ticket_begin(fc_client *c, fc_upload *up)
{
    fc_ticket_reader *r = fc_reader(up);
    memset(r, 0, sizeof *r);
    r->expect = FC_EX_VALUE;
    up->priv.window_from = up->progress.part + 1u;
    up->priv.window_n = 0;
    up->priv.headers = 0;
    up->priv.url_at = 0;
    up->priv.headers_at = 0;
    c->priv.reserved = 0; /* a new ticket replaces the old window */
}

/* ---- strings --------------------------------------------------------------------- */

/* Where the string that starts now goes: a kept string at the kept end, a
 * key or the mode into word[], an id into its field, the rest nowhere. */
static void fc_string_begin(fc_client *c, fc_upload *up, fc_ticket_reader *r)
{
    char *io = (char *)c->cfg.io_buf;
    unsigned m = r->is_key ? FC_TM_NONE : r->member;
    r->out = NULL;
    r->out_cap = 0;
    r->out_len = 0;
    r->out_kept = 0;
    if (r->is_key && (r->depth == 1u || r->section == FC_TM_PARTS)) {
        r->out = r->word;
        r->out_cap = sizeof r->word;
    } else if ((r->is_key && r->section == FC_TM_HEADERS && r->depth == 2u) || m == FC_TM_URL ||
               m == FC_TM_PART_URL || m == FC_TM_HEADER) {
        r->out = io + r->kept;
        r->out_cap = fc_keep_limit(c) - r->kept;
        r->out_kept = 1;
    } else if (m == FC_TM_UPLOAD_ID) {
        r->out = r->upload_id;
        r->out_cap = sizeof r->upload_id;
    } else if (m == FC_TM_FILE_ID) {
        r->out = up->progress.file_id;
        r->out_cap = sizeof up->progress.file_id;
    } else if (m == FC_TM_KEY) {
        r->out = up->progress.key;
        r->out_cap = sizeof up->progress.key;
    } else if (m == FC_TM_MODE) {
        r->out = r->word;
        r->out_cap = sizeof r->word;
    }
}

/* One unescaped byte of the string; at is the byte being read, which a
 * kept byte must never pass (see the top of the file). */
static fc_err fc_string_put(fc_client *c, fc_ticket_reader *r, uint8_t b, const uint8_t *at)
{
    if (r->out != NULL && r->out_len + 1u < r->out_cap) {
        char *dst = r->out + r->out_len;
        if (r->out_kept && (size_t)(dst - (char *)c->cfg.io_buf) > (size_t)(at - c->cfg.io_buf)) {
            return FC_ERR_PROTOCOL; /* cannot happen: the reader's invariant */
        }
        *dst = (char)b;
    }
    r->out_len++;
    return FC_OK;
}

/* Code point u as UTF-8 (u < 0x110000, no surrogate). */
static fc_err fc_string_put_utf8(fc_client *c, fc_ticket_reader *r, uint32_t u, const uint8_t *at)
{
    uint8_t b[4];
    unsigned n;
    unsigned i;
    fc_err e = FC_OK;
    if (u < 0x80u) {
        b[0] = (uint8_t)u;
        n = 1;
    } else if (u < 0x800u) {
        b[0] = (uint8_t)(0xC0u | (u >> 6));
        n = 2;
    } else if (u < 0x10000u) {
        b[0] = (uint8_t)(0xE0u | (u >> 12));
        n = 3;
    } else {
        b[0] = (uint8_t)(0xF0u | (u >> 18));
        n = 4;
    }
    for (i = 1; i < n; i++) {
        b[i] = (uint8_t)(0x80u | ((u >> (6u * (n - 1u - i))) & 0x3Fu));
    }
    for (i = 0; i < n && e == FC_OK; i++) {
        e = fc_string_put(c, r, b[i], at);
    }
    return e;
}

/* The four hex digits of a \u escape are read: a code unit. */
static fc_err fc_string_unit(fc_client *c, fc_ticket_reader *r, const uint8_t *at)
{
    uint32_t u = r->hex;
    if (r->high != 0u) {
        uint32_t high = r->high;
        r->high = 0;
        if (u < 0xDC00u || u > 0xDFFFu) {
            return FC_ERR_JSON; /* a high surrogate without its low half */
        }
        r->lex = FC_LX_STRING;
        return fc_string_put_utf8(c, r, 0x10000u + ((high - 0xD800u) << 10) + (u - 0xDC00u), at);
    }
    if (u >= 0xDC00u && u <= 0xDFFFu) {
        return FC_ERR_JSON; /* a lone low surrogate */
    }
    if (u >= 0xD800u && u <= 0xDBFFu) {
        r->high = (uint16_t)u;
        r->lex = FC_LX_LOW_BS;
        return FC_OK;
    }
    if (u == 0u) {
        return FC_ERR_JSON; /* it would cut the C string */
    }
    r->lex = FC_LX_STRING;
    return fc_string_put_utf8(c, r, u, at);
}

static int fc_hex_value(uint8_t ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    ch = (uint8_t)(ch | 0x20u);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Escapes with one letter, each followed by the byte it stands for. */
static const char k_escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";

static fc_err fc_string_escape(fc_client *c, fc_ticket_reader *r, uint8_t ch, const uint8_t *at)
{
    unsigned i;
    if (ch == 'u') {
        r->lex = FC_LX_HEX;
        r->hex = 0;
        r->hex_n = 0;
        return FC_OK;
    }
    for (i = 0; k_escapes[i] != '\0'; i += 2u) {
        if ((uint8_t)k_escapes[i] == ch) {
            r->lex = FC_LX_STRING;
            return fc_string_put(c, r, (uint8_t)k_escapes[i + 1u], at);
        }
    }
    return FC_ERR_JSON;
}

/* ---- what the ticket's values mean ----------------------------------------------- */

/* The member named name among the names from first, or FC_TM_NONE. */
static unsigned fc_member_named(const char *name, const char *names, unsigned first)
{
    for (; *names != '\0'; names += strlen(names) + 1u, first++) {
        if (strcmp(names, name) == 0) {
            return first;
        }
    }
    return FC_TM_NONE;
}

/* A key was read: the member its value is. */
static fc_err fc_key_end(fc_upload *up, fc_ticket_reader *r)
{
    int whole = r->out != NULL && r->out_len < r->out_cap;
    if (whole) {
        r->out[r->out_len] = '\0';
    }
    if (r->depth == 1u) {
        unsigned m = whole ? fc_member_named(r->word, k_root_names, FC_TM_UPLOAD_ID) : FC_TM_NONE;
        if (m != FC_TM_NONE && (r->seen & FC_TM_BIT(m))) {
            return FC_ERR_JSON; /* a member twice: which one would count? */
        }
        r->seen = (uint16_t)(r->seen | FC_TM_BIT(m));
        r->member = (uint8_t)m;
    } else if (r->section == FC_TM_HEADERS && r->depth == 2u) {
        if (up->priv.headers >= FC_TK_HEADERS_MAX) {
            return FC_ERR_PROTOCOL; /* no presigned PUT names that many */
        }
        if (!whole) {
            return FC_ERR_BUFFER_TOO_SMALL; /* (needed: at the value) */
        }
        if (up->priv.headers == 0u) {
            up->priv.headers_at = (uint32_t)r->kept;
        }
        r->kept += r->out_len + 1u;
        r->member = FC_TM_HEADER;
    } else if (r->section == FC_TM_PARTS && r->depth == 3u) {
        unsigned m = whole ? fc_member_named(r->word, k_part_names, FC_TM_PART_NUMBER) : FC_TM_NONE;
        unsigned bit = m == FC_TM_PART_NUMBER ? FC_TP_NUMBER : m == FC_TM_PART_URL ? FC_TP_URL : 0u;
        if (r->part_flags & bit) {
            return FC_ERR_JSON;
        }
        r->part_flags = (uint8_t)(r->part_flags | bit);
        r->member = (uint8_t)m;
    } else {
        r->member = FC_TM_NONE;
    }
    return FC_OK;
}

/* fc_ticket_reader.mode */
enum { FC_TK_MODE_NONE, FC_TK_MODE_SINGLE, FC_TK_MODE_MULTIPART, FC_TK_MODE_OTHER };

/* A string value was read. Ids and URLs are never cut: one that does not
 * fit fails with the size it needs (a part's URL only ends the window). */
static fc_err fc_string_value_end(fc_client *c, fc_upload *up, fc_ticket_reader *r)
{
    unsigned m = r->member;
    int whole = r->out_len < r->out_cap;
    if (m == FC_TM_PART_URL) {
        r->part_url_len = r->out_len;
        if (!whole) {
            r->part_flags |= FC_TP_URL_CUT;
        } else {
            r->out[r->out_len] = '\0';
            r->kept += r->out_len + 1u;
        }
        return FC_OK;
    }
    if (r->out == NULL) {
        return FC_OK;
    }
    if (!whole) {
        c->priv.error.needed = r->out_len + 1u;
        if (r->out_kept) {
            /* The kept strings so far, this one, and a PUT beside them;
             * said in words once the engine ended the attempt. */
            c->priv.error.needed += r->kept + fc_put_room(c, m == FC_TM_URL ? r->out_len : 0u, 0u);
            r->too_small = 1;
        }
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    r->out[r->out_len] = '\0';
    if (m == FC_TM_MODE) {
        r->mode = strcmp(r->word, FC_MODE_SINGLE) == 0      ? FC_TK_MODE_SINGLE
                  : strcmp(r->word, FC_MODE_MULTIPART) == 0 ? FC_TK_MODE_MULTIPART
                                                            : FC_TK_MODE_OTHER;
    } else if (m == FC_TM_URL) {
        up->priv.url_at = (uint32_t)r->kept;
        up->priv.url_max = (uint32_t)r->out_len;
    }
    if (r->out_kept) {
        r->kept += r->out_len + 1u;
        up->priv.headers = (uint16_t)(up->priv.headers + (m == FC_TM_HEADER));
    }
    return FC_OK;
}

/* A number ended; only the integers the flow reads are checked. */
static fc_err fc_number_end(fc_ticket_reader *r)
{
    unsigned m = r->member;
    /* digits only: a leading 0 or more digits, no sign */
    int plain = (r->number_state & 7u) == 1u || (r->number_state & 7u) == 2u;
    if (r->number_state & FC_TK_NEGATIVE) {
        plain = 0;
    }
    if (m == FC_TM_PART_SIZE || m == FC_TM_PART_COUNT || m == FC_TM_PART_NUMBER) {
        if (!plain || r->number > (uint64_t)INT64_MAX) {
            return FC_ERR_JSON;
        }
        if (m == FC_TM_PART_SIZE) {
            r->part_size = r->number;
        } else if (m == FC_TM_PART_COUNT) {
            r->part_count = r->number;
        } else if (r->number > UINT32_MAX) {
            return FC_ERR_JSON;
        } else {
            r->part_number = (uint32_t)r->number;
        }
    }
    return FC_OK;
}

/* The types each member may have. */
static int fc_type_fits(unsigned m, uint8_t first)
{
    switch (m) {
    case FC_TM_NONE: return 1;
    case FC_TM_PART_SIZE:
    case FC_TM_PART_COUNT:
    case FC_TM_PART_NUMBER: return first == '-' || (first >= '0' && first <= '9');
    case FC_TM_HEADERS: return first == '{';
    case FC_TM_PARTS: return first == '[';
    case FC_TM_PART: return first == '{';
    default: return first == '"';
    }
}

/* The members a null leaves absent ([contract] 15.9: only file_id and
 * key are documented); any other member must have its type. */
static int fc_may_be_null(unsigned m)
{
    return m == FC_TM_NONE || m == FC_TM_UPLOAD_ID || m == FC_TM_MODE || m == FC_TM_HEADERS ||
           m == FC_TM_PART_SIZE || m == FC_TM_PART_COUNT;
}

/* A part object closed: keep its URL when it is the next wanted part. */
static fc_err fc_part_end(fc_upload *up, fc_ticket_reader *r)
{
    uint32_t n = r->part_number;
    uint32_t wanted = up->priv.window_from + up->priv.window_n;
    if (!(r->part_flags & FC_TP_NUMBER) || !(r->part_flags & FC_TP_URL) || n == 0u ||
        (r->last_number != 0u && n != r->last_number + 1u)) {
        return FC_ERR_JSON; /* parts come in order, each with its URL */
    }
    r->last_number = n;
    if (n == wanted && !r->full && !(r->part_flags & FC_TP_URL_CUT)) {
        if (up->priv.window_n == 0u) {
            up->priv.url_at = (uint32_t)r->part_url;
        }
        up->priv.window_n++;
        if (r->part_url_len > up->priv.url_max) {
            up->priv.url_max = (uint32_t)r->part_url_len;
        }
        return FC_OK;
    }
    if (n >= wanted) {
        /* A wanted part that did not fit: the window ends before it. */
        if (!r->full) {
            r->first_cut = r->part_url_len;
        }
        r->full = 1;
        r->skipped += r->part_url_len + 1u;
    }
    r->kept = r->part_url; /* not kept */
    return FC_OK;
}

/* ---- the grammar --------------------------------------------------------------- */

static const char k_literals[][6] = {"true", "false", "null"};
enum { FC_TK_TRUE, FC_TK_FALSE, FC_TK_NULL };

/* A value ended at the current level: what may follow, and what the next
 * element of an array means. */
static void fc_value_end(fc_ticket_reader *r)
{
    if (r->depth == 0u) {
        r->expect = FC_EX_DONE;
        return;
    }
    r->expect = FC_EX_COMMA_OR_END;
    r->member = (r->depth == 2u && r->section == FC_TM_PARTS) ? FC_TM_PART : FC_TM_NONE;
}

static fc_err fc_open(fc_ticket_reader *r, uint8_t ch)
{
    if (r->depth >= FC_TK_DEPTH_MAX || (r->depth == 0u && ch != '{')) {
        return FC_ERR_JSON; /* too deep, or a root that is no object */
    }
    r->depth++;
    if (ch == '[') {
        r->containers |= 1u << (r->depth - 1u);
    } else {
        r->containers &= ~(1u << (r->depth - 1u));
    }
    if (r->depth == 2u) {
        r->section = r->member;
    }
    if (r->depth == 3u && r->section == FC_TM_PARTS) {
        r->part_flags = 0;
        r->part_number = 0;
        r->part_url = r->kept;
    }
    r->expect = ch == '[' ? FC_EX_VALUE_OR_END : FC_EX_KEY_OR_END;
    r->member = (r->depth == 2u && r->section == FC_TM_PARTS) ? FC_TM_PART : FC_TM_NONE;
    return FC_OK;
}

static fc_err fc_close(fc_upload *up, fc_ticket_reader *r, uint8_t ch)
{
    fc_err e = FC_OK;
    if (r->depth == 0u || fc_top_is_array(r) != (ch == ']')) {
        return FC_ERR_JSON;
    }
    if (r->depth == 3u && r->section == FC_TM_PARTS) {
        e = fc_part_end(up, r);
    }
    r->depth--;
    if (r->depth < 2u) {
        r->section = FC_TM_NONE;
    }
    fc_value_end(r);
    return e;
}

/* The first byte of a value. */
static fc_err fc_value_begin(fc_client *c, fc_upload *up, fc_ticket_reader *r, uint8_t ch)
{
    unsigned i;
    if (ch == 'n' ? !fc_may_be_null(r->member) : !fc_type_fits(r->member, ch)) {
        return FC_ERR_JSON;
    }
    if (ch == '{' || ch == '[') {
        return fc_open(r, ch);
    }
    if (r->depth == 0u) {
        return FC_ERR_JSON; /* the root must be an object */
    }
    if (ch == '"') {
        r->lex = FC_LX_STRING;
        r->is_key = 0;
        fc_string_begin(c, up, r);
        return FC_OK;
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
        r->lex = FC_LX_NUMBER;
        r->number = ch == '-' ? 0u : (uint64_t)(ch - '0');
        r->number_state = ch == '-' ? FC_TK_NEGATIVE : ch == '0' ? 1u : 2u;
        return FC_OK;
    }
    for (i = 0; i < sizeof k_literals / sizeof k_literals[0]; i++) {
        if ((uint8_t)k_literals[i][0] == ch) {
            r->lex = FC_LX_LITERAL;
            r->literal = (uint8_t)i;
            r->literal_at = 1;
            return FC_OK;
        }
    }
    return FC_ERR_JSON;
}

/* A byte between lexemes: structure, or the start of a value or key. */
static fc_err fc_structural(fc_client *c, fc_upload *up, fc_ticket_reader *r, uint8_t ch)
{
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
        return FC_OK;
    }
    switch (r->expect) {
    case FC_EX_VALUE_OR_END:
        if (ch == ']') {
            return fc_close(up, r, ch);
        }
        return fc_value_begin(c, up, r, ch);
    case FC_EX_VALUE: return fc_value_begin(c, up, r, ch);
    case FC_EX_KEY_OR_END:
        if (ch == '}') {
            return fc_close(up, r, ch);
        }
        /* fall through */
    case FC_EX_KEY:
        if (ch != '"') {
            return FC_ERR_JSON;
        }
        r->lex = FC_LX_STRING;
        r->is_key = 1;
        fc_string_begin(c, up, r);
        return FC_OK;
    case FC_EX_COLON:
        if (ch != ':') {
            return FC_ERR_JSON;
        }
        r->expect = FC_EX_VALUE;
        return FC_OK;
    case FC_EX_COMMA_OR_END:
        if (ch == ',') {
            r->expect = fc_top_is_array(r) ? FC_EX_VALUE : FC_EX_KEY;
            return FC_OK;
        }
        if (ch == '}' || ch == ']') {
            return fc_close(up, r, ch);
        }
        return FC_ERR_JSON;
    default: return FC_ERR_JSON; /* anything after the root value */
    }
}

static fc_err fc_string_byte(fc_client *c, fc_upload *up, fc_ticket_reader *r, uint8_t ch,
                             const uint8_t *at)
{
    if (ch == '"') {
        fc_err e;
        r->lex = FC_LX_NONE;
        if (r->is_key) {
            r->expect = FC_EX_COLON;
            return fc_key_end(up, r);
        }
        e = fc_string_value_end(c, up, r);
        fc_value_end(r);
        return e;
    }
    if (ch == '\\') {
        r->lex = FC_LX_ESCAPE;
        return FC_OK;
    }
    if (ch < 0x20u) {
        return FC_ERR_JSON; /* raw control characters are not JSON */
    }
    return fc_string_put(c, r, ch, at);
}

/* The JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * States (low 3 bits): 0 after '-', 1 a leading 0, 2 integer digits,
 * 3 after '.', 4 fraction digits, 5 after e, 6 after its sign, 7 exponent
 * digits. Returns 0 for a byte that is no part of the number. */
static int fc_number_step(fc_ticket_reader *r, uint8_t ch)
{
    unsigned s = r->number_state & 7u;
    unsigned sign = r->number_state & FC_TK_NEGATIVE;
    unsigned next;
    if (ch >= '0' && ch <= '9') {
        if (s == 1u) {
            return 0; /* no digit after a leading 0 */
        }
        next = s == 0u ? (ch == '0' ? 1u : 2u) : s == 2u ? 2u : s <= 4u ? 4u : 7u;
        if (next <= 2u) {
            r->number =
                r->number > UINT64_MAX / 16u ? UINT64_MAX : r->number * 10u + (uint64_t)(ch - '0');
        }
    } else if (ch == '.' && (s == 1u || s == 2u)) {
        next = 3u;
    } else if ((ch == 'e' || ch == 'E') && (s == 1u || s == 2u || s == 4u)) {
        next = 5u;
    } else if ((ch == '+' || ch == '-') && s == 5u) {
        next = 6u;
    } else {
        return 0;
    }
    r->number_state = (uint8_t)(next | sign);
    return 1;
}

static fc_err fc_number_byte(fc_client *c, fc_upload *up, fc_ticket_reader *r, uint8_t ch)
{
    unsigned s = r->number_state & 7u;
    fc_err e;
    if (fc_number_step(r, ch)) {
        return FC_OK;
    }
    /* Any other byte ends the number (and is structure itself). */
    if (s != 1u && s != 2u && s != 4u && s != 7u) {
        return FC_ERR_JSON; /* "-", "1.", "1e", "1e+" */
    }
    r->lex = FC_LX_NONE;
    e = fc_number_end(r);
    fc_value_end(r);
    return e == FC_OK ? fc_structural(c, up, r, ch) : e;
}

static fc_err fc_literal_byte(fc_ticket_reader *r, uint8_t ch)
{
    const char *lit = k_literals[r->literal];
    if ((uint8_t)lit[r->literal_at] != ch) {
        return FC_ERR_JSON;
    }
    if (lit[++r->literal_at] != '\0') {
        return FC_OK;
    }
    r->lex = FC_LX_NONE;
    if (r->literal == FC_TK_NULL) {
        r->seen = (uint16_t)(r->seen & ~FC_TM_BIT(r->member)); /* null: absent */
    } else if (r->member != FC_TM_NONE) {
        return FC_ERR_JSON; /* no member of ours is a boolean */
    }
    fc_value_end(r);
    return FC_OK;
}

static fc_err fc_hex_byte(fc_client *c, fc_ticket_reader *r, uint8_t ch, const uint8_t *at)
{
    int v = fc_hex_value(ch);
    if (v < 0) {
        return FC_ERR_JSON;
    }
    r->hex = (uint16_t)((r->hex << 4) | (unsigned)v);
    if (++r->hex_n < 4u) {
        return FC_OK;
    }
    return fc_string_unit(c, r, at);
}

static fc_err fc_ticket_byte(fc_client *c, fc_upload *up, uint8_t ch, const uint8_t *at)
{
    fc_ticket_reader *r = fc_reader(up);
    switch (r->lex) {
    case FC_LX_NONE: return fc_structural(c, up, r, ch);
    case FC_LX_STRING: return fc_string_byte(c, up, r, ch, at);
    case FC_LX_ESCAPE: return fc_string_escape(c, r, ch, at);
    case FC_LX_HEX: return fc_hex_byte(c, r, ch, at);
    case FC_LX_LOW_BS: r->lex = FC_LX_LOW_U; return ch == '\\' ? FC_OK : FC_ERR_JSON;
    case FC_LX_LOW_U:
        r->lex = FC_LX_HEX;
        r->hex = 0;
        r->hex_n = 0;
        return ch == 'u' ? FC_OK : FC_ERR_JSON;
    case FC_LX_NUMBER: return fc_number_byte(c, up, r, ch);
    default: return fc_literal_byte(r, ch);
    }
}

/* Where the engine may read the next piece: behind the kept strings and
 * the part of a kept string read so far. */
static size_t fc_kept_end(const fc_ticket_reader *r)
{
    int in_string = r->lex >= FC_LX_STRING && r->lex <= FC_LX_LOW_U;
    if (in_string && r->out_kept) {
        size_t room = r->out_cap > 0u ? r->out_cap - 1u : 0u;
        size_t written = r->out_len < room ? r->out_len : room;
        return r->kept + written; /* a kept string starts at the kept end */
    }
    return r->kept;
}

fc_err fc_ticket_sink(void *ctx, const uint8_t *data, size_t len)
{
    fc_client *c = ctx;
    fc_upload *up = c->priv.op.out;
    size_t i;
    for (i = 0; i < len; i++) {
        fc_err e = fc_ticket_byte(c, up, data[i], data + i);
        if (e != FC_OK) {
            return e;
        }
    }
    c->priv.reserved = fc_kept_end(fc_reader(up));
    return FC_OK;
}

/* ---- the whole ticket -------------------------------------------------------------- */

/* ceil(n / d), d > 0, by shift and subtract: no 64-bit division helper
 * (__aeabi_uldivmod) in a Cortex-M image. */
static uint64_t fc_div_ceil(uint64_t n, uint64_t d)
{
    uint64_t q = 0;
    uint64_t rem = 0;
    uint64_t bit;
    for (bit = (uint64_t)1 << 63; bit != 0u; bit >>= 1) {
        rem = (rem << 1) | ((n & bit) != 0u);
        if (rem >= d) {
            rem -= d;
            q |= bit;
        }
    }
    return q + (rem != 0u);
}

/* single or multipart: the mode when given, else what the ticket has
 * ([contract] issue 15.9: only file_id and key are documented). */
static fc_err fc_ticket_mode(const fc_ticket_reader *r, int *multipart)
{
    int url = (r->seen & FC_TM_BIT(FC_TM_URL)) != 0u;
    int parts = (r->seen & FC_TM_BIT(FC_TM_PARTS)) != 0u;
    if (r->seen & FC_TM_BIT(FC_TM_MODE)) {
        if (r->mode != FC_TK_MODE_SINGLE && r->mode != FC_TK_MODE_MULTIPART) {
            return FC_ERR_JSON;
        }
        *multipart = r->mode == FC_TK_MODE_MULTIPART;
    } else {
        *multipart = parts;
    }
    /* Exactly one way to PUT: a URL, or parts of a known size. */
    if (url == parts || (*multipart ? !parts || r->part_size == 0u : !url)) {
        return FC_ERR_JSON;
    }
    return FC_OK;
}

static fc_err fc_ticket_parts(fc_client *c, fc_upload *up, int multipart)
{
    fc_ticket_reader *r = fc_reader(up);
    fc_upload_progress *pg = &up->progress;
    uint64_t count = 1;
    pg->multipart = (uint8_t)multipart;
    if (!multipart) {
        pg->part_count = 1;
        pg->part_size = pg->size;
        up->priv.window_n = up->priv.window_from == 1u; /* the one URL */
        return FC_OK;
    }
    if (pg->size > 0u) {
        count = fc_div_ceil(pg->size, r->part_size);
    }
    /* part_count, when given, must be the count the sizes give. */
    if (count > UINT32_MAX || ((r->seen & FC_TM_BIT(FC_TM_PART_COUNT)) && r->part_count != count) ||
        r->last_number > count) {
        fc_up_say(c, "part_count is not size / part_size: ", count, "");
        return FC_ERR_PROTOCOL;
    }
    pg->part_size = r->part_size;
    pg->part_count = (uint32_t)count;
    if (up->params.etags == NULL) {
        c->priv.error.needed = (size_t)count;
        fc_up_say(c, "multipart: params.etags must keep ", count, " ETags");
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    if (up->params.etags->reserve(up->params.etags->ctx, (uint32_t)count) != FC_OK) {
        c->priv.error.needed = (size_t)count;
        fc_up_say(c, "multipart: params.etags must keep ", count, " ETags");
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    return FC_OK;
}

/* The ticket did not fit while it streamed in: the engine ended the
 * attempt as a failure without an answer, but the detail is about this
 * answer, so the error info names its status too (fuzz_ticket's
 * stale-detail: a detail with http_status 0 reads as an earlier one's). */
void fc_ticket_failed(fc_client *c, fc_upload *up, fc_err result)
{
    if (result == FC_ERR_BUFFER_TOO_SMALL && fc_reader(up)->too_small) {
        c->priv.error.http_status = c->priv.resp.status;
        fc_up_say(c, FC_UP_NEEDS_BUFFER, c->priv.error.needed, " bytes");
    }
}

fc_err fc_ticket_finish(fc_client *c, fc_upload *up)
{
    fc_ticket_reader *r = fc_reader(up);
    int multipart = 0;
    fc_err e;
    if (r->expect != FC_EX_DONE) {
        return FC_ERR_JSON; /* no body, or cut short */
    }
    /* Required ids; an empty one would name nothing. */
    if (up->progress.file_id[0] == '\0' || up->progress.key[0] == '\0' ||
        !(r->seen & FC_TM_BIT(FC_TM_FILE_ID)) || !(r->seen & FC_TM_BIT(FC_TM_KEY))) {
        fc_up_say(c, "the ticket has no file_id or key", 0, NULL);
        return FC_ERR_JSON;
    }
    e = fc_ticket_mode(r, &multipart);
    return e == FC_OK ? fc_ticket_parts(c, up, multipart) : e;
}

/* ---- the window beside the PUTs ------------------------------------------------ */

static const char *fc_kept(const fc_client *c, size_t at)
{
    return (const char *)c->cfg.io_buf + at;
}

/* Bytes of the ticket's header lines in a PUT head. */
static size_t fc_header_bytes(const fc_client *c, const fc_upload *up)
{
    const char *s = fc_kept(c, up->priv.headers_at);
    size_t n = 0;
    unsigned i;
    for (i = 0; i < 2u * up->priv.headers; i++) {
        size_t len = strlen(s);
        n += len + 2u; /* ": " or CRLF */
        s += len + 1u;
    }
    return n;
}

/* Room the PUTs of the kept window need beside it. */
static size_t fc_ticket_work(const fc_client *c, const fc_upload *up)
{
    return fc_put_room(c, up->priv.url_max, fc_header_bytes(c, up));
}

uint32_t fc_ticket_part_limit(const fc_client *c, const fc_upload *up)
{
    /* A presigned URL's length until one was seen. */
    size_t url = up->priv.url_max != 0u ? up->priv.url_max : 512u;
    size_t work = fc_ticket_work(c, up);
    size_t fit = c->cfg.io_buf_size > work ? (c->cfg.io_buf_size - work) / (url + 1u) : 0u;
    uint32_t left = up->progress.part_count - up->progress.part;
    if (fit == 0u) {
        fit = 1;
    }
    return up->progress.part_count != 0u && left < fit ? left : (uint32_t)fit;
}

/* One more URL of the window at `at`: the string after it. */
static size_t fc_next_string(const fc_client *c, size_t at)
{
    return at + strlen(fc_kept(c, at)) + 1u;
}

const char *fc_ticket_url(const fc_client *c, const fc_upload *up, uint32_t part)
{
    uint32_t k = part + 1u - up->priv.window_from; /* wraps when part is before */
    size_t at = up->priv.url_at;
    if (part + 1u < up->priv.window_from || k >= up->priv.window_n) {
        return NULL;
    }
    while (k-- > 0u) {
        at = fc_next_string(c, at);
    }
    return fc_kept(c, at);
}

/* Token characters of RFC 9110 (header names). */
static int fc_is_tchar(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* Headers that frame the request, name its target or steer the
 * connection: ours to write, never the ticket's ([contract]: a ticket
 * names Content-Type and the like). Lower case; compared in any case. */
static const char k_refused[] =
    "host\0content-length\0transfer-encoding\0connection\0"
    "keep-alive\0te\0trailer\0upgrade\0expect\0proxy-connection\0";

/* A header the PUT may carry: a token name that is none of the refused,
 * a value without control bytes (tab aside). */
static int fc_header_ok(const char *name, const char *value)
{
    const unsigned char *p;
    const char *refused;
    size_t n = strlen(name);
    for (p = (const unsigned char *)name; *p != '\0'; p++) {
        if (!fc_is_tchar(*p)) {
            return 0;
        }
    }
    for (p = (const unsigned char *)value; *p != '\0'; p++) {
        if ((*p < 0x20u && *p != '\t') || *p == 0x7Fu) {
            return 0;
        }
    }
    for (refused = k_refused; *refused != '\0'; refused += strlen(refused) + 1u) {
        if (strlen(refused) == n && fc_ascii_ieq(name, refused, n)) {
            return 0;
        }
    }
    return n > 0u;
}

static fc_err fc_check_headers(fc_client *c, const fc_upload *up)
{
    size_t at = up->priv.headers_at;
    unsigned i;
    for (i = 0; i < up->priv.headers; i++) {
        size_t value = fc_next_string(c, at);
        if (!fc_header_ok(fc_kept(c, at), fc_kept(c, value))) {
            fc_up_say_text(c, "the ticket sets a header a PUT may not carry: ", fc_kept(c, at));
            return FC_ERR_PROTOCOL;
        }
        at = fc_next_string(c, value);
    }
    return FC_OK;
}

/* Each kept URL goes over TLS when the API does, unless allowed. */
static fc_err fc_check_urls(fc_client *c, const fc_upload *up)
{
    size_t at = up->priv.url_at;
    uint32_t i;
    for (i = 0; i < up->priv.window_n && c->priv.base.tls && !up->params.allow_http_storage; i++) {
        if (!fc_ascii_ieq(fc_kept(c, at), "https://", 8)) {
            fc_up_say(c, "plain-http storage URL under an https API (params.allow_http_storage)", 0,
                      NULL);
            return FC_ERR_PROTOCOL;
        }
        at = fc_next_string(c, at);
    }
    return FC_OK;
}

/* The window's URLs end the kept strings: drop the last ones until a PUT
 * fits beside them. */
static void fc_trim_window(fc_client *c, fc_upload *up, size_t *kept)
{
    size_t work = fc_ticket_work(c, up);
    size_t at = up->priv.url_at;
    uint32_t n = 0;
    if (up->priv.headers != 0u && up->priv.headers_at > up->priv.url_at) {
        return; /* headers after the URLs: nothing to drop */
    }
    while (n < up->priv.window_n) {
        size_t next = fc_next_string(c, at);
        if (n > 0u && next + work > c->cfg.io_buf_size) {
            break;
        }
        at = next;
        n++;
    }
    up->priv.window_n = n;
    *kept = at;
}

/* No part URL was kept: the next part's does not fit, or is missing. */
static fc_err fc_window_empty(fc_client *c, const fc_upload *up)
{
    const fc_ticket_reader *r = &up->priv.step.ticket;
    if (r->full) {
        /* The URL once kept and once in the PUT's head, and the head. */
        c->priv.error.needed = r->kept + r->first_cut + 1u + fc_put_room(c, r->first_cut, 0u);
        fc_up_say(c, FC_UP_NEEDS_BUFFER, c->priv.error.needed, " bytes");
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    fc_up_say(c, "the ticket has no URL for part ", up->progress.part + 1u, "");
    return FC_ERR_PROTOCOL;
}

fc_err fc_ticket_window(fc_client *c, fc_upload *up)
{
    const fc_ticket_reader *r = &up->priv.step.ticket;
    const fc_upload_progress *pg = &up->progress;
    size_t kept = r->kept;
    size_t need;
    fc_err e;
    if (up->priv.window_n == 0u) {
        return fc_window_empty(c, up);
    }
    e = fc_check_urls(c, up);
    if (e == FC_OK) {
        e = fc_check_headers(c, up);
    }
    if (e != FC_OK) {
        return e;
    }
    if (pg->multipart) {
        fc_trim_window(c, up, &kept);
    }
    need = kept + fc_ticket_work(c, up);
    if (pg->multipart && pg->upload_id[0] == '\0' &&
        up->priv.window_from + up->priv.window_n <= pg->part_count) {
        /* Without an upload_id no later window can be asked for. */
        need = kept + r->skipped + fc_ticket_work(c, up);
        c->priv.error.needed = need;
        fc_up_say(c,
                  "no upload_id to ask for parts in windows: all part URLs need an I/O "
                  "buffer of ",
                  need, " bytes");
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    if (need > c->cfg.io_buf_size) {
        c->priv.error.needed = need;
        fc_up_say(c, FC_UP_NEEDS_BUFFER, need, " bytes");
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    c->priv.reserved = kept;
    return FC_OK;
}

/* Exactly the ticket's headers (checked by fc_check_headers). */
fc_err fc_ticket_write_headers(fc_client *c, fc_head_writer *w)
{
    const fc_upload *up = c->priv.op.out;
    size_t at = up->priv.headers_at;
    unsigned i;
    for (i = 0; i < up->priv.headers; i++) {
        size_t value = fc_next_string(c, at);
        fc_head_write_str(w, fc_kept(c, at));
        fc_head_write_str(w, ": ");
        fc_head_write_str(w, fc_kept(c, value));
        fc_head_write_str(w, "\r\n");
        at = fc_next_string(c, value);
    }
    return FC_OK;
}
