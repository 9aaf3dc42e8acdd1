/* SPDX-License-Identifier: MIT */
/*
 * fc_json.h - JSON reading (jsmn tokens into typed getters) and writing.
 *
 * Reading: fc_json_parse() tokenizes a document with jsmn into the
 * caller's token array. The getters check the shape of every value
 * themselves (jsmn is lenient), unescape strings into fixed buffers and
 * parse integers with overflow checks. A value that does not fit is
 * FC_ERR_BUFFER_TOO_SMALL with the size it needs; a value of the wrong
 * type is FC_ERR_JSON. Nothing is ever truncated silently.
 *
 * Writing: fc_json_writer builds a document into a fixed buffer with correct string
 * escaping. Errors are sticky: check fc_json_writer_finish() once at the end.
 */
#ifndef FLUIDCLOUD_FC_JSON_H
#define FLUIDCLOUD_FC_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One token of the caller's token array: room for one of jsmn's tokens
 * (16 bytes), opaque so that programs need no jsmn header. Only the index
 * of a token is ever used outside core. */
typedef struct fc_json_tok {
    int fc_private[4];
} fc_json_tok;

/* A parsed document: views into the caller's text and tokens. */
typedef struct fc_json_doc {
    const char *text;
    size_t len;
    const fc_json_tok *toks;
    int count; /* tokens used */
} fc_json_doc;

/* Tokenize text[0..len). FC_ERR_JSON for malformed or partial text,
 * FC_ERR_BUFFER_TOO_SMALL when the token array is too short (*needed, if
 * not NULL, gets the token count the document needs; toks NULL is a pure
 * size query). Token 0 is the root. The whole text must be one JSON value
 * plus whitespace; the grammar jsmn lets slip (missing or extra commas,
 * keys without values, bad number or literal spellings) is checked here.
 * Nesting deeper than 32 levels is FC_ERR_JSON. A bare number or literal
 * as the root needs trailing whitespace (a jsmn strict-mode limit). */
fc_err fc_json_parse(fc_json_doc *doc, const char *text, size_t len, fc_json_tok *toks,
                     unsigned max_toks, unsigned *needed);

/* Index of the token after the whole value at tok (skips its subtree);
 * doc->count at the end, -1 if tok is out of range. On a key it gives the
 * key's value. */
int fc_json_skip(const fc_json_doc *doc, int tok);

/* In the object at obj, the index of the value of key, or -1 when the key
 * is absent or obj is not an object. Keys compare byte for byte against
 * their raw (escaped) text; API keys are plain ASCII. */
int fc_json_find(const fc_json_doc *doc, int obj, const char *key);

/* Element count of an array (or member count of an object); -1 if tok is
 * neither. */
int fc_json_size(const fc_json_doc *doc, int tok);

/* Index of element idx of the array at arr, or -1. Use fc_json_skip to walk
 * an array in order without quadratic cost. */
int fc_json_at(const fc_json_doc *doc, int arr, int idx);

/* Type checks: tok < 0 (absent) is never a match. */
int fc_json_is_null(const fc_json_doc *doc, int tok);
int fc_json_is_string(const fc_json_doc *doc, int tok);
int fc_json_is_object(const fc_json_doc *doc, int tok);
int fc_json_is_array(const fc_json_doc *doc, int tok);

/* The token's text as it stands in the document (a string's without its
 * quotes, escapes not undone), *len its length; NULL when tok is out of
 * range. */
const char *fc_json_raw(const fc_json_doc *doc, int tok, size_t *len);

/* Compare a string value (after unescaping) with a C string. */
int fc_json_str_eq(const fc_json_doc *doc, int tok, const char *s);

/* Unescape the string at tok into out (NUL-terminated). \uXXXX and
 * surrogate pairs become UTF-8; a lone surrogate, \u0000 (it would cut
 * the C string) and raw control characters are FC_ERR_JSON; other raw
 * bytes are copied as they are. If it does not fit,
 * FC_ERR_BUFFER_TOO_SMALL and *needed (if not NULL) gets the size
 * including the NUL. *needed is also set on success. On any failure out
 * holds "" (if cap > 0), never a truncated value. */
fc_err fc_json_get_str(const fc_json_doc *doc, int tok, char *out, size_t cap, size_t *needed);

/* Like fc_json_get_str, but a JSON null (or an absent tok < 0) gives an
 * empty string and FC_OK. */
fc_err fc_json_get_str_or_null(const fc_json_doc *doc, int tok, char *out, size_t cap,
                               size_t *needed);

/* Like fc_json_get_str_or_null, for text meant for people: a string that
 * does not fit is cut to cap - 1 bytes or fewer, at a UTF-8 boundary,
 * instead of failing. FC_OK then, and *needed (if not NULL) gets the size
 * the whole string needs, so *needed > cap says it was cut. */
fc_err fc_json_get_str_cut(const fc_json_doc *doc, int tok, char *out, size_t cap, size_t *needed);

/* Join the strings of the array at arr with single spaces into out
 * (NUL-terminated; out must hold cap >= 1 bytes), in order: each string
 * that fits whole in what is left goes in, one that does not is left out
 * (never cut, no space for it) and the ones after it are still tried.
 * *needed (if not NULL) gets the size the whole join needs, including
 * the NUL. A JSON null or an absent arr (tok < 0) is an empty array.
 * Returns FC_OK when every element went in; else the first failure:
 * FC_ERR_JSON when arr is something else (out "") or for an element that
 * is not a string (skipped), FC_ERR_BUFFER_TOO_SMALL for a string left
 * out. Either way out holds what went in: callers wanting all or nothing
 * clear it. */
fc_err fc_json_join(const fc_json_doc *doc, int arr, char *out, size_t cap, size_t *needed);

/* Integers: a JSON number without fraction or exponent that fits int64.
 * FC_ERR_JSON for other shapes or overflow. */
fc_err fc_json_get_i64(const fc_json_doc *doc, int tok, int64_t *out);
fc_err fc_json_get_bool(const fc_json_doc *doc, int tok, int *out);

/* Parse an ISO-8601 UTC timestamp "YYYY-MM-DDTHH:MM:SS[.fff]Z" (also
 * "+00:00", or any "+hh:mm"/"-hh:mm" offset, which is applied; 't' and
 * 'z' may be lower case) into seconds since the Unix epoch. Fractions are
 * dropped. FC_ERR_JSON if malformed or out of range (month 13, Feb 29 of
 * a common year, second 60). */
fc_err fc_json_parse_time(const char *text, int64_t *epoch_s);

/* ---- Writer ---------------------------------------------------------- */

typedef struct fc_json_writer {
    char *buf;
    size_t cap;
    size_t len;         /* bytes written (excluding the NUL) */
    size_t needed;      /* bytes the whole document needs (excl. NUL) */
    uint8_t need_comma; /* a value was written at this level */
    uint8_t depth;
    fc_err err; /* sticky: first error seen */
} fc_json_writer;

void fc_json_writer_init(fc_json_writer *w, char *buf, size_t cap);
void fc_json_write_object_begin(fc_json_writer *w);
void fc_json_write_object_end(fc_json_writer *w);
void fc_json_write_array_begin(fc_json_writer *w);
void fc_json_write_array_end(fc_json_writer *w);
/* A member key in an object; follow with exactly one value. */
void fc_json_write_key(fc_json_writer *w, const char *key);
/* String values are escaped: quotes, backslash, control characters
 * (\n \r \t \b \f and \u00XX); valid UTF-8 passes through unchanged.
 * Invalid UTF-8 sets FC_ERR_INVALID_ARG. */
void fc_json_write_string(fc_json_writer *w, const char *s);
void fc_json_write_string_n(fc_json_writer *w, const char *s, size_t n);
void fc_json_write_i64(fc_json_writer *w, int64_t v);
void fc_json_write_bool(fc_json_writer *w, int v);
void fc_json_write_null(fc_json_writer *w);
/* Convenience: key + value. A NULL string writes nothing (field omitted). */
void fc_json_write_member_str(fc_json_writer *w, const char *key, const char *s);
void fc_json_write_member_i64(fc_json_writer *w, const char *key, int64_t v);
/* NUL-terminate and report: FC_OK, or the sticky error;
 * FC_ERR_INVALID_ARG for a container left open;
 * FC_ERR_BUFFER_TOO_SMALL when cap was short (w->needed + 1 is the size
 * needed). On failure buf holds "" (if cap > 0). fc_json_writer_init(w, NULL, 0)
 * measures a document without writing it. */
fc_err fc_json_writer_finish(fc_json_writer *w);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_JSON_H */
