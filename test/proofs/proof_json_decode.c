/* SPDX-License-Identifier: MIT */
/*
 * proof_json_decode - Frama-C EVA harness for the JSON string and integer
 * decoders (core/src/json/fc_json_read.c): fc_json_get_str,
 * fc_json_get_str_or_null, fc_json_get_str_cut, fc_json_str_eq,
 * fc_json_raw and under them str_decode, str_next, str_unicode, hex4,
 * utf8_put, utf8_prefix; fc_json_get_i64,
 * fc_json_get_bool, fc_json_is_null.
 *
 * The decoders read tokens that jsmn made and fc_json_parse checked. The
 * harness hands them every token jsmn can make, up to the bound, built
 * directly (so the proof does not pay for analysing jsmn itself; jsmn is
 * Debian's, not ours). What a token promises is jsmn's contract, which
 * the decoders rely on and which is stated here in full:
 *   - a string token spans text[start..end) between two quotes, inside
 *     the text; its body holds no NUL, no raw '"', and every backslash
 *     starts one of \" \\ \/ \b \f \n \r \t or \u and four hex digits;
 *   - a primitive token spans text[start..end) (at least one byte) inside
 *     the text.
 * Strings: every body of 0..PROOF_JD_PIECES pieces, each a raw byte
 * (any value but '"', '\\' and NUL: control bytes and invalid UTF-8
 * included, which the decoder must refuse or copy), a short escape with
 * any of its eight letters, or a \u escape with any four hex digits of
 * either case (so every code unit: U+0000, lone and paired surrogates);
 * then one of: fc_json_raw; fc_json_get_str, fc_json_get_str_or_null and
 * fc_json_get_str_cut into a buffer of every capacity 0..PROOF_JD_CAP
 * (the longest decoding, 6 bytes, and its NUL: every fit and every cut), which
 * ends where the array does, so one byte past the capacity is out of
 * bounds; fc_json_get_str without a buffer (the size query);
 * fc_json_str_eq with every C string of length 0..PROOF_JD_EQ.
 * Integers: every primitive token of length 1..PROOF_JD_NUM with ANY byte
 * values - more than fc_json_parse lets through (it passes only JSON
 * numbers and literals), so the decoder is proved safe without relying
 * on that check; 22 is past the 19 digits and sign fc_json_get_i64 reads.
 * EVA reports no out-of-bounds access, no overflow, no uninitialized read
 * (README.md).
 *
 * Precision (every split keeps states apart, none drops one): one state
 * per piece count, per kind of each piece (k_raw, k_short, k_unit below),
 * per operation and per capacity. Each kind decodes the same way for all
 * of its bytes, and the return of str_next, str_unicode and utf8_put is
 * split by its result, so where the decoder is in the text and how many
 * bytes it wrote stay exact.
 * eva-options: -eva-ilevel 24 -eva-split-limit 1000
 * eva-options: -eva-split-return-function str_next:full,str_unicode:full,utf8_put:full
 * eva-options: -eva-slevel-function str_decode:2000,str_next:500,str_unicode:500,hex4:200
 */
#include <stdint.h>
#include <string.h>

#include "__fc_builtin.h"
#include "fluidcloud/fc_json.h"

#define JSMN_HEADER /* the token type only */
#include <jsmn.h>

#ifndef PROOF_JD_PIECES
#define PROOF_JD_PIECES 2
#endif
#ifndef PROOF_JD_CAP
#define PROOF_JD_CAP 7
#endif
#ifndef PROOF_JD_EQ
#define PROOF_JD_EQ 2
#endif
#ifndef PROOF_JD_NUM
#define PROOF_JD_NUM 22
#endif

/* Each piece is at most 6 bytes (\uXXXX), with the two quotes around. */
#define PROOF_JD_KINDS 17u
#define PROOF_JD_TEXT  (6 * PROOF_JD_PIECES + 2)

/* The kinds of a piece. A state holds one kind per piece, and each kind
 * decodes the same way for all its bytes (it fails, or gives the same
 * number of bytes), so that EVA knows in each state how a second decode
 * of the text ends (fc_json_get_str_cut decodes twice).
 * 0..4: a raw byte: control (refused), the two above, between '"' and
 * '\\', above '\\' up to 127, from 128 (as a char, 93..255 would read as
 * the interval -128..127, which holds '"' and '\\'). */
static const unsigned char k_raw[5][2] = {
    {1, 0x1F}, {0x20, '"' - 1}, {'"' + 1, '\\' - 1}, {'\\' + 1, 127}, {128, 255}};
/* 5: a short escape, any of its letters. */
static const char k_short[] = "\"\\/bfnrt";
/* 6..16: a \u escape, four hex digits of either case from these sets:
 * together every code unit, split by how it decodes (X: any digit). */
#define X "0123456789abcdefABCDEF"
static const char *const k_unit[11][4] = {
    {"0", "0", "0", "0"},                     /* U+0000: refused */
    {"0", "0", "0", "123456789abcdefABCDEF"}, /* 1 byte */
    {"0", "0", "1234567", X},                 /* 1 byte */
    {"0", "0", "89abcdefABCDEF", X},          /* 2 bytes */
    {"0", "1234567", X, X},                   /* 2 bytes */
    {"0", "89abcdefABCDEF", X, X},            /* 3 bytes */
    {"123456789abcABC", X, X, X},             /* 3 bytes */
    {"dD", "01234567", X, X},                 /* 3 bytes */
    {"efEF", X, X, X},                        /* 3 bytes */
    {"dD", "89abAB", X, X},                   /* a high surrogate */
    {"dD", "cdefCDEF", X, X},                 /* a low surrogate */
};
#undef X

/* A document of one token, as fc_json_parse leaves it. */
static void one_token(fc_json_doc *doc, jsmntok_t *t, const char *text, size_t len, jsmntype_t type,
                      int start, int end)
{
    t->type = type;
    t->start = start;
    t->end = end;
    t->size = 0;
    doc->text = text;
    doc->len = len;
    doc->toks = (const fc_json_tok *)(const void *)t;
    doc->count = 1;
}

/* fc_json_str_eq with every C string of length 0..PROOF_JD_EQ: one
 * state per length and per choice of each byte in 1..127 or 128..255 (an
 * interval cannot leave out 0 alone), so where it ends is exact. */
static void proof_string_eq(const fc_json_doc *doc)
{
    char eq[PROOF_JD_EQ + 1];
    unsigned char *equ = (unsigned char *)eq;
    size_t eqlen = Frama_C_size_t_interval(0, PROOF_JD_EQ), i;
    int shape;

    /*@ split eqlen; */
    shape = Frama_C_interval(0, (1 << eqlen) - 1);
    /*@ split shape; */
    /*@ loop unroll PROOF_JD_EQ + 1; */
    for (i = 0; i < eqlen; i++) {
        equ[i] = (shape >> i) & 1 ? Frama_C_unsigned_char_interval(128, 255)
                                  : Frama_C_unsigned_char_interval(1, 127);
    }
    eq[eqlen] = '\0';
    (void)fc_json_str_eq(doc, 0, eq);
}

static void proof_string(void)
{
    char text[PROOF_JD_TEXT];
    unsigned char *tu = (unsigned char *)text;
    char outbuf[PROOF_JD_CAP];
    char *out;
    jsmntok_t tok;
    fc_json_doc doc;
    size_t len = 0, needed, raw_len, cap, i;
    unsigned pieces = Frama_C_unsigned_int_interval(0, PROOF_JD_PIECES);
    unsigned k, kinds, all = 1;
    int op;

    /* One analysis state per piece count and per choice of the kinds of
     * all pieces (kinds holds them in base PROOF_JD_KINDS), so the decoder
     * sees a text whose shape is exact in each state. */
    /*@ split pieces; */
    /*@ loop unroll PROOF_JD_PIECES + 1; */
    for (k = 0; k < pieces; k++) {
        all *= PROOF_JD_KINDS;
    }
    kinds = Frama_C_unsigned_int_interval(0, all - 1u);
    /*@ split kinds; */
    text[len++] = '"';
    /*@ loop unroll PROOF_JD_PIECES + 1; */
    for (k = 0; k < pieces; k++, kinds /= PROOF_JD_KINDS) {
        unsigned kind = kinds % PROOF_JD_KINDS;
        if (kind < 5u) {
            tu[len++] = Frama_C_unsigned_char_interval(k_raw[kind][0], k_raw[kind][1]);
        } else if (kind == 5u) {
            text[len++] = '\\';
            text[len++] = k_short[Frama_C_interval(0, (int)sizeof k_short - 2)];
        } else {
            text[len++] = '\\';
            text[len++] = 'u';
            /*@ loop unroll 4; */
            for (i = 0; i < 4; i++) {
                const char *set = k_unit[kind - 6u][i];
                text[len++] = set[Frama_C_interval(0, (int)strlen(set) - 1)];
            }
        }
    }
    text[len++] = '"';
    one_token(&doc, &tok, text, len, JSMN_STRING, 1, (int)len - 1);

    /* One operation per state, so that each starts from the text and an
     * unwritten buffer, never from what an earlier call left there (bytes
     * it wrote would hide an uninitialized read). Every capacity
     * 0..PROOF_JD_CAP: one state per value. */
    op = Frama_C_interval(0, 5);
    /*@ split op; */
    cap = op == 1 || op == 3 || op == 4 ? Frama_C_size_t_interval(0, PROOF_JD_CAP) : 0;
    /*@ split cap; */
    out = outbuf + PROOF_JD_CAP - cap; /* exactly cap bytes: one more is out of bounds */
    switch (op) {
    case 0: (void)fc_json_raw(&doc, 0, &raw_len); break;
    case 1: (void)fc_json_get_str(&doc, 0, out, cap, &needed); break;
    case 2: (void)fc_json_get_str(&doc, 0, NULL, 0, &needed); break; /* the size query */
    case 3: (void)fc_json_get_str_or_null(&doc, 0, out, cap, NULL); break;
    case 4: (void)fc_json_get_str_cut(&doc, 0, out, cap, &needed); break;
    default: proof_string_eq(&doc); break;
    }
}

static void proof_integer(void)
{
    char text[PROOF_JD_NUM + 1];
    jsmntok_t tok;
    fc_json_doc doc;
    size_t n = Frama_C_size_t_interval(1, PROOF_JD_NUM);
    int64_t v;
    int b;

    Frama_C_make_unknown(text, sizeof text);
    /*@ split n; */
    text[n] = ' '; /* jsmn ends a primitive at a delimiter */
    one_token(&doc, &tok, text, n + 1, JSMN_PRIMITIVE, 0, (int)n);
    (void)fc_json_get_i64(&doc, 0, &v);
    (void)fc_json_get_bool(&doc, 0, &b);
    (void)fc_json_is_null(&doc, 0);
}

int main(void)
{
    proof_string();
    proof_integer();
    return 0;
}
