/* SPDX-License-Identifier: MIT */
/*
 * fc_json_read.c - jsmn tokens into typed getters.
 *
 * jsmn (even with JSMN_STRICT) accepts documents JSON does not: missing or
 * doubled commas, keys without values, several root values, any run of
 * printable characters as a number. fc_json_parse() therefore checks the
 * grammar of the text itself once jsmn accepted it, so the getters,
 * fc_json_skip() and fc_json_find() can rely on a well-formed token tree.
 *
 * No recursion anywhere: subtrees are walked with the tokens' end offsets,
 * and the grammar check keeps the open containers in one 32-bit mask.
 */
#include <limits.h>
#include <string.h>

#include "fc_util.h"
#include "fluidcloud/fc_json.h"

#define JSMN_HEADER /* declarations only: libfc_jsmn.a has the code */
#include <jsmn.h>

/* The caller's fc_json_tok array holds jsmn's tokens: fc_json.h keeps the
 * type opaque, so that no public header needs jsmn.h, and this layer is
 * the only one to touch tokens, always as jsmntok_t. */
typedef char fc_json_tok_is_not_jsmntok_size[sizeof(fc_json_tok) == sizeof(jsmntok_t) ? 1 : -1];
struct fc_tok_align {
    char c;
    fc_json_tok t;
};
struct fc_jsmntok_align {
    char c;
    jsmntok_t t;
};
typedef char fc_json_tok_is_not_jsmntok_aligned
    [offsetof(struct fc_jsmntok_align, t) <= offsetof(struct fc_tok_align, t) ? 1 : -1];

static const jsmntok_t *doc_toks(const fc_json_doc *doc)
{
    return (const jsmntok_t *)(const void *)doc->toks;
}

/* Deepest nesting fc_json_parse accepts: one bit per level in objs. */
#define FC_JSON_MAX_DEPTH 32u

/* ---- Grammar check -------------------------------------------------- */

/* What the grammar allows next: a set of these. None at all once the
 * root value is complete. */
enum {
    JV_VALUE = 1, /* document start, after ':', after '[' or ',' in [ ] */
    JV_KEY = 2,   /* after '{' or ',' in { } */
    JV_COLON = 4, /* after a key */
    JV_COMMA = 8, /* after a value inside a container */
    JV_CLOSE = 16 /* after a value, and just after the opening bracket */
};

/* JSON whitespace (jsmn uses the same four). */
static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Past a run of one or more decimal digits, or NULL when there is none. */
static const char *digits(const char *p)
{
    const char *d = p;

    while (*d >= '0' && *d <= '9') {
        d++;
    }
    return d == p ? NULL : d;
}

/* A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * p[0..e) is a primitive token, which jsmn ended at whitespace, ',',
 * ']' or '}': *e is in the text, and it stops every step below. A
 * missing digit run makes p NULL. */
static int num_valid(const char *p, const char *e)
{
    p += *p == '-';
    if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
        return 0; /* a leading zero */
    }
    p = digits(p);
    if (p != NULL && *p == '.') {
        p = digits(p + 1);
    }
    if (p != NULL && (*p | 0x20) == 'e') {
        p++;
        p = digits(p + (*p == '+' || *p == '-'));
    }
    return p == e;
}

/* text[0..n) is exactly the literal lit. */
static int lit_eq(const char *text, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(text, lit, n) == 0;
}

/* jsmn's strict primitives are any printable run starting with t, f, n,
 * '-' or a digit; JSON allows the three literals and numbers only. */
static int prim_valid(const char *p, const char *e)
{
    size_t n = (size_t)(e - p);

    if (*p >= 'a') { /* t, f or n (jsmn's tokens are never empty) */
        return lit_eq(p, n, *p == 't' ? "true" : *p == 'f' ? "false" : "null");
    }
    return num_valid(p, e);
}

/* The text (which jsmn accepted into the tokens t[0..n)) is exactly one
 * JSON value plus whitespace. One pass over the characters: brackets and
 * separators must be where the grammar allows them, and each value (or
 * key) is the next token, which must start right there; strings and
 * primitives are skipped to their token's end. */
static int json_valid(const char *text, size_t len, const jsmntok_t *t, int n)
{
    const char *s = text, *e = text + len;
    const jsmntok_t *t_end = t + n;
    uint32_t objs = 0;  /* bit 0: innermost open container is an object */
    unsigned depth = 0; /* open containers */
    unsigned allow = JV_VALUE;

    while (s < e) {
        char c = *s;
        unsigned obj = objs & 1u;
        const char *v = s + 1; /* past c, or past a string/primitive */
        unsigned got;

        if (is_ws(c)) {
            s = v;
            continue;
        }
        /* Only the innermost container's own bracket closes; anything
         * else (a stray bracket too) is taken for a value, and fails
         * when no token starts there. */
        got = c == ':'                       ? JV_COLON
              : c == ','                     ? JV_COMMA
              : c == (obj ? '}' : ']')       ? JV_CLOSE
              : c == '"' && (allow & JV_KEY) ? JV_KEY
                                             : JV_VALUE;
        if ((allow & got) == 0u) {
            return 0;
        }
        if (got == JV_COLON) {
            allow = JV_VALUE;
        } else if (got == JV_COMMA) {
            allow = obj ? JV_KEY : JV_VALUE;
        } else if (got != JV_CLOSE && (t == t_end || t->start != (s - text) + (c == '"'))) {
            return 0; /* a value (or key) is not the next token */
        } else if (c == '{' || c == '[') {
            if (depth >= FC_JSON_MAX_DEPTH) {
                return 0;
            }
            objs = (objs << 1) | (c == '{');
            depth++;
            allow = (c == '{' ? JV_KEY : JV_VALUE) | JV_CLOSE;
            t++;
        } else {
            if (got == JV_CLOSE) {
                objs >>= 1; /* the parent is innermost again */
                depth--;
            } else {
                /* Past a string's closing quote, or a primitive's end. */
                v = text + t->end + (c == '"');
                if (c != '"' && !prim_valid(s, v)) {
                    return 0;
                }
                t++;
            }
            /* A value is complete (a key: its ':' follows). */
            allow = got == JV_KEY ? JV_COLON : depth > 0 ? JV_COMMA | JV_CLOSE : 0u;
        }
        s = v;
    }
    return allow == 0u; /* the root value is complete */
}

/* ---- Parsing and navigation ----------------------------------------- */

fc_err fc_json_parse(fc_json_doc *doc, const char *text, size_t len, fc_json_tok *toks,
                     unsigned max_toks, unsigned *needed)
{
    jsmn_parser p;
    jsmntok_t *jt = (jsmntok_t *)(void *)toks;
    int r;
    fc_err e = FC_ERR_BUFFER_TOO_SMALL;

    if (needed != NULL) {
        *needed = 0;
    }
    if (doc == NULL || text == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    doc->text = text;
    doc->len = len;
    doc->toks = toks;
    doc->count = 0;
    /* jsmn's offsets and count are int. Every token takes at least one
     * byte, so with len bounded the count fits whatever max_toks is. */
    if (len > (size_t)INT_MAX) {
        return FC_ERR_INVALID_ARG;
    }
    /* With tokens NULL jsmn only counts (and never runs out), so no
     * array is a size query, and a short one is counted again. */
    for (;;) {
        jsmn_init(&p);
        r = jsmn_parse(&p, text, len, jt, max_toks);
        if (r != JSMN_ERROR_NOMEM) {
            break;
        }
        jt = NULL;
    }
    if (r <= 0) {
        return FC_ERR_JSON;
    }
    if (jt != NULL) {
        if (!json_valid(text, len, jt, r)) {
            return FC_ERR_JSON;
        }
        doc->count = r;
        e = FC_OK;
    }
    if (needed != NULL) {
        *needed = (unsigned)r;
    }
    return e;
}

/* The token at index tok, or NULL when tok is absent or out of range. */
static const jsmntok_t *tok_at(const fc_json_doc *doc, int tok)
{
    if (doc == NULL || tok < 0 || tok >= doc->count) {
        return NULL;
    }
    return &doc_toks(doc)[tok];
}

/* The first character of a primitive token, 0 for any other token.
 * fc_json_parse let only JSON primitives through, so 't', 'f' and 'n'
 * are exactly true, false and null. */
static char prim_first(const fc_json_doc *doc, int tok)
{
    const jsmntok_t *t = tok_at(doc, tok);

    return t != NULL && t->type == JSMN_PRIMITIVE ? doc->text[t->start] : 0;
}

int fc_json_skip(const fc_json_doc *doc, int tok)
{
    const jsmntok_t *t = tok_at(doc, tok);
    int i;

    if (t == NULL) {
        return -1;
    }
    /* Tokens are in document order, so the subtree is exactly the run
     * of following tokens that start before this one ends. A key's end
     * is its closing quote: skipping a key lands on its value. */
    for (i = tok + 1; i < doc->count && doc_toks(doc)[i].start < t->end; i++)
        ;
    return i;
}

int fc_json_find(const fc_json_doc *doc, int obj, const char *key)
{
    const jsmntok_t *t = tok_at(doc, obj);
    int i;
    int k = obj + 1;

    if (t == NULL || t->type != JSMN_OBJECT || key == NULL) {
        return -1;
    }
    for (i = 0; i < t->size; i++) {
        const jsmntok_t *kt = &doc_toks(doc)[k];

        if (lit_eq(doc->text + kt->start, (size_t)(kt->end - kt->start), key)) {
            return k + 1;
        }
        k = fc_json_skip(doc, k + 1); /* past the value to the next key */
    }
    return -1;
}

int fc_json_size(const fc_json_doc *doc, int tok)
{
    const jsmntok_t *t = tok_at(doc, tok);

    if (t == NULL || (t->type != JSMN_OBJECT && t->type != JSMN_ARRAY)) {
        return -1;
    }
    return t->size;
}

int fc_json_at(const fc_json_doc *doc, int arr, int idx)
{
    const jsmntok_t *t = tok_at(doc, arr);
    int k = arr + 1;

    if (t == NULL || t->type != JSMN_ARRAY || idx < 0 || idx >= t->size) {
        return -1;
    }
    while (idx-- > 0) {
        k = fc_json_skip(doc, k);
    }
    return k;
}

int fc_json_is_null(const fc_json_doc *doc, int tok)
{
    return prim_first(doc, tok) == 'n';
}

const char *fc_json_raw(const fc_json_doc *doc, int tok, size_t *len)
{
    const jsmntok_t *t = tok_at(doc, tok);

    if (t == NULL) {
        return NULL;
    }
    *len = (size_t)(t->end - t->start);
    return doc->text + t->start;
}

/* The token exists and has jsmn type ty. */
static int tok_type(const fc_json_doc *doc, int tok, jsmntype_t ty)
{
    const jsmntok_t *t = tok_at(doc, tok);

    return t != NULL && t->type == ty;
}

int fc_json_is_string(const fc_json_doc *doc, int tok)
{
    return tok_type(doc, tok, JSMN_STRING);
}

int fc_json_is_object(const fc_json_doc *doc, int tok)
{
    return tok_type(doc, tok, JSMN_OBJECT);
}

int fc_json_is_array(const fc_json_doc *doc, int tok)
{
    return tok_type(doc, tok, JSMN_ARRAY);
}

/* ---- Strings -------------------------------------------------------- */

/* jsmn accepts a string token only when each of its escapes is complete
 * and valid (one of the letters below, or 'u' and four hex digits), so
 * the decoder below need not check them again. */

/* The four hex digits at p as a number. */
static unsigned long hex4(const char *p)
{
    unsigned long v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        unsigned c = (unsigned char)p[i] | 0x20u; /* digits keep theirs */

        v = v * 16u + (c <= '9' ? c - '0' : c - 'a' + 10u);
    }
    return v;
}

/* Encode code point cp as UTF-8 into u; returns the byte count. */
static int utf8_put(unsigned long cp, unsigned char u[4])
{
    int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    int i;

    for (i = n - 1; i > 0; i--) {
        u[i] = (unsigned char)(0x80u | (cp & 0x3Fu));
        cp >>= 6;
    }
    /* Lead byte: 0xxxxxxx, 110xxxxx, 1110xxxx or 11110xxx. */
    u[0] = (unsigned char)(n == 1 ? cp : ((0xF00u >> n) & 0xF0u) | cp);
    return n;
}

/* Decode a \uXXXX escape (p is after the 'u'), joining a surrogate pair.
 * A lone surrogate and U+0000 (which would cut the C string short) are
 * errors. Returns the UTF-8 byte count or -1. */
static int str_unicode(const char **pp, unsigned char u[4])
{
    const char *p = *pp;
    unsigned long cp = hex4(p);
    unsigned long lo;

    p += 4;
    if (cp == 0 || cp - 0xDC00u < 0x400u) {
        return -1; /* U+0000 or a lone low surrogate */
    }
    if (cp - 0xD800u < 0x400u) {
        /* A high one needs a \u low one next (its digits: see above).
         * At the token's end p is on the closing quote, so p[1] is only
         * read after a backslash that starts an escape. */
        if (p[0] != '\\' || p[1] != 'u') {
            return -1;
        }
        lo = hex4(p + 2) - 0xDC00u;
        if (lo >= 0x400u) {
            return -1;
        }
        cp = 0x10000u + ((cp - 0xD800u) << 10) + lo;
        p += 6;
    }
    *pp = p;
    return utf8_put(cp, u);
}

/* Escape letters and the bytes they stand for. */
static const char k_unesc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";

/* Decode the next character of a string token's raw text at *pp into
 * UTF-8 bytes in u. Returns the byte count, 0 at the end, -1 on a bad
 * escape or a raw control character. Other bytes pass through as they
 * are. */
static int str_next(const char **pp, const char *e, unsigned char u[4])
{
    const char *p = *pp;
    unsigned char c;
    int i;

    if (p >= e) {
        return 0;
    }
    c = (unsigned char)*p++;
    if (c < 0x20) {
        return -1;
    }
    if (c == '\\') {
        c = (unsigned char)*p++; /* inside the token: see above */
        if (c == 'u') {
            *pp = p;
            return str_unicode(pp, u);
        }
        for (i = 0; k_unesc[i] != '\0' && (unsigned char)k_unesc[i] != c; i += 2)
            ;
        if (k_unesc[i] == '\0') {
            return -1;
        }
        c = (unsigned char)k_unesc[i + 1];
    }
    u[0] = c;
    *pp = p;
    return 1;
}

/* Decode the string token at tok. With s, compare each decoded byte
 * with s[n], stopping at the first difference; without, store it in
 * out[n] while it leaves room for a NUL in cap, and go on to the end
 * anyway to learn the length. Returns the decoded length, or -1 when
 * tok is no string, holds a bad escape or a raw control character, or
 * differs from s. */
static int str_decode(const fc_json_doc *doc, int tok, char *out, size_t cap, const char *s)
{
    const jsmntok_t *t = tok_at(doc, tok);
    const char *p, *e;
    unsigned char u[4];
    int n = 0;
    int k, i;

    if (t == NULL || t->type != JSMN_STRING) {
        return -1;
    }
    p = doc->text + t->start;
    e = doc->text + t->end;
    while ((k = str_next(&p, e, u)) > 0) {
        for (i = 0; i < k; i++, n++) {
            /* Decoded bytes are never 0, so s ending early differs. */
            if (s != NULL && (unsigned char)s[n] != u[i]) {
                return -1;
            }
            if ((size_t)n + 1 < cap) {
                out[n] = (char)u[i];
            }
        }
    }
    return k < 0 ? -1 : n;
}

int fc_json_str_eq(const fc_json_doc *doc, int tok, const char *s)
{
    int n;

    if (s == NULL) {
        return 0;
    }
    n = str_decode(doc, tok, NULL, 0, s);
    return n >= 0 && s[n] == '\0';
}

fc_err fc_json_get_str(const fc_json_doc *doc, int tok, char *out, size_t cap, size_t *needed)
{
    int n;

    if (needed != NULL) {
        *needed = 0;
    }
    if (out == NULL) {
        cap = 0;
    }
    n = str_decode(doc, tok, out, cap, NULL);
    if (n >= 0) {
        if (needed != NULL) {
            *needed = (size_t)n + 1;
        }
        if ((size_t)n < cap) {
            out[n] = '\0';
            return FC_OK;
        }
    }
    if (cap > 0) {
        out[0] = '\0'; /* never leave a truncated value */
    }
    return n < 0 ? FC_ERR_JSON : FC_ERR_BUFFER_TOO_SMALL;
}

fc_err fc_json_get_str_or_null(const fc_json_doc *doc, int tok, char *out, size_t cap,
                               size_t *needed)
{
    if (tok >= 0 && !fc_json_is_null(doc, tok)) {
        return fc_json_get_str(doc, tok, out, cap, needed);
    }
    if (needed != NULL) {
        *needed = 1;
    }
    if (out == NULL || cap == 0) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    out[0] = '\0';
    return FC_OK;
}

/* The longest prefix of s[0..n) that does not end inside a UTF-8
 * sequence: a lead byte whose continuation bytes did not all fit is left
 * out with them. */
static size_t utf8_prefix(const char *s, size_t n)
{
    size_t st = n;

    while (st > 0 && ((unsigned char)s[st - 1] & 0xC0u) == 0x80u) {
        st--;
    }
    if (st > 0 && ((unsigned char)s[st - 1] & 0xC0u) == 0xC0u) {
        unsigned char lead = (unsigned char)s[st - 1];
        size_t want = 2u + (lead >= 0xE0u) + (lead >= 0xF0u);
        if (n - (st - 1) < want) {
            n = st - 1;
        }
    }
    return n;
}

fc_err fc_json_get_str_cut(const fc_json_doc *doc, int tok, char *out, size_t cap, size_t *needed)
{
    fc_err e = fc_json_get_str_or_null(doc, tok, out, cap, needed);

    if (e == FC_ERR_BUFFER_TOO_SMALL && out != NULL && cap > 0) {
        /* Too long: decode again, which keeps the first cap - 1 bytes. */
        (void)str_decode(doc, tok, out, cap, NULL);
        out[utf8_prefix(out, cap - 1)] = '\0';
        e = FC_OK;
    }
    return e;
}

fc_err fc_json_join(const fc_json_doc *doc, int arr, char *out, size_t cap, size_t *needed)
{
    const jsmntok_t *t = tok_at(doc, arr);
    int n = 0;
    int tok = arr + 1;
    size_t len = 0; /* each string joined so far, and the space after it */
    size_t all = 0; /* the same for every string */
    fc_err r = FC_OK;

    if (t != NULL && t->type == JSMN_ARRAY) {
        n = t->size;
    } else if (t != NULL && prim_first(doc, arr) != 'n') {
        r = FC_ERR_JSON; /* neither an array nor null */
    }

    out[0] = '\0';
    for (; n > 0; n--) {
        size_t k = 0;
        /* The string's NUL becomes its space, so it fits exactly when
         * fc_json_get_str says so. len <= cap: with no room left nothing
         * is written; a string that does not fit writes at most a NUL at
         * out[len], past the joined ones. */
        fc_err e = fc_json_get_str(doc, tok, out + len, cap - len, &k);

        if (e == FC_OK) {
            len += k;
            out[len - 1] = ' ';
        } else if (r == FC_OK) {
            r = e; /* the first element that failed */
        }
        all += k; /* 0 for a non-string */
        tok = fc_json_skip(doc, tok);
    }
    if (len > 0) {
        out[len - 1] = '\0'; /* the last space */
    }
    if (needed != NULL) {
        *needed = all + (all == 0);
    }
    return r;
}

/* ---- Numbers, booleans, times --------------------------------------- */

fc_err fc_json_get_i64(const fc_json_doc *doc, int tok, int64_t *out)
{
    const jsmntok_t *t = tok_at(doc, tok);
    const char *p, *e;
    int neg;
    uint64_t u = 0;

    if (out == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    if (t == NULL || t->type != JSMN_PRIMITIVE) {
        return FC_ERR_JSON;
    }
    p = doc->text + t->start;
    e = doc->text + t->end;
    neg = *p == '-';
    p += neg;
    /* fc_json_parse let only valid numbers through, so there is a digit
     * and no leading zero: 19 digits or fewer cannot wrap a uint64_t,
     * and INT64_MAX has 19. Constants only: no 64-bit division. */
    if (e - p > 19) {
        return FC_ERR_JSON;
    }
    for (; p < e; p++) {
        unsigned d = (unsigned)(*p - '0');

        if (d > 9) {
            return FC_ERR_JSON; /* fraction, exponent or literal */
        }
        u = u * 10u + d;
    }
    /* -2^63 has no positive int64_t: a negative value is -(u - 1) - 1
     * ("-0" is just 0). */
    neg &= u != 0u;
    u -= (unsigned)neg;
    if (u > (uint64_t)INT64_MAX) {
        return FC_ERR_JSON;
    }
    *out = neg ? -(int64_t)u - 1 : (int64_t)u;
    return FC_OK;
}

fc_err fc_json_get_bool(const fc_json_doc *doc, int tok, int *out)
{
    char c = prim_first(doc, tok);

    if (out == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    if (c != 't' && c != 'f') {
        return FC_ERR_JSON;
    }
    *out = c == 't';
    return FC_OK;
}

/* Match p against fmt, where '#' is a digit and any other character must
 * appear as is ('T' also in lower case, as RFC 3339 allows). Each run of digits
 * goes into f[] in turn. Returns the end of the match or NULL. */
static const char *scan(const char *p, const char *fmt, int *f)
{
    for (; *fmt != '\0'; fmt++, p++) {
        if (*fmt == '#') {
            if (*p < '0' || *p > '9') {
                return NULL;
            }
            *f = *f * 10 + (*p - '0');
        } else {
            if (*p != *fmt && !(*fmt == 'T' && *p == 't')) {
                return NULL;
            }
            f++;
        }
    }
    return p;
}

/* Range of each field of fc_json_parse_time above its least value (1
 * for month and day, else 0). The day: see there. */
static const unsigned char k_time_span[8] = {99, 11, 30, 23, 59, 59, 23, 59};

fc_err fc_json_parse_time(const char *text, int64_t *epoch_s)
{
    /* year month day hour minute second, zone hours and minutes */
    int f[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int sign = 0; /* of the zone offset; 0 for 'Z' */
    int i;
    int32_t days;
    const char *p;

    if (text == NULL || epoch_s == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    p = scan(text, "####-##-##T##:##:##", f);
    if (p != NULL && *p == '.') { /* fraction: at least one digit, dropped */
        p = digits(p + 1);
    }
    if (p != NULL && (*p | 0x20) == 'z') {
        p++;
    } else if (p != NULL && (*p == '+' || *p == '-')) {
        sign = *p == '-' ? -1 : 1;
        p = scan(p + 1, "##:##", f + 6);
    } else {
        p = NULL;
    }
    if (p == NULL || *p != '\0') {
        return FC_ERR_JSON;
    }
    for (i = 1; i < 8; i++) {
        if ((unsigned)(f[i] - (i < 3)) > k_time_span[i]) {
            return FC_ERR_JSON;
        }
    }
    /* With the month in range, the day exists when it comes before the
     * first of the next month (06-31 would be July 1st). */
    days = fc_days_from_civil(f[0], f[1], f[2]);
    if (days >= fc_days_from_civil(f[0], f[1] + 1, 1)) {
        return FC_ERR_JSON;
    }
    *epoch_s = (int64_t)days * 86400 +
               ((int32_t)(f[3] - sign * f[6]) * 60 + f[4] - sign * f[7]) * 60 + f[5];
    return FC_OK;
}
