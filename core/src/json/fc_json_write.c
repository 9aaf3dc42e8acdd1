/* SPDX-License-Identifier: MIT */
/*
 * fc_json_write.c - a small JSON writer into a fixed buffer.
 *
 * Errors are sticky so a body builder is a straight list of calls with
 * one check at fc_json_writer_finish(). A full buffer is not an error until then:
 * the writer stops storing bytes but keeps counting them in `needed`, so
 * the caller learns the size to retry with. Nesting is not tracked beyond
 * a depth count (no stack): one comma flag serves all levels, because a
 * container that just closed is itself a value at its parent level.
 */
#include <string.h>

#include "fc_util.h" /* fc_u64_digits */
#include "fluidcloud/fc_json.h"

/* Record the first error; later ones are usually its consequences. */
static void jw_fail(fc_json_writer *w, fc_err e)
{
    if (w->err == FC_OK) {
        w->err = e;
    }
}

/* Append one byte while it fits, keeping one byte of cap for the NUL.
 * Once a byte did not fit none after it does either (len stops growing),
 * so the text never has a hole; needed keeps counting regardless. */
static void jw_put(fc_json_writer *w, char c)
{
    if (w->len + 1 < w->cap) {
        w->buf[w->len++] = c;
    }
    w->needed++;
}

/* Append a C string as is. */
static void jw_raw(fc_json_writer *w, const char *s)
{
    while (*s != '\0') {
        jw_put(w, *s++);
    }
}

/* Before a value or key: a comma unless it is the first at its level. */
static void jw_sep(fc_json_writer *w)
{
    if (w->need_comma) {
        jw_put(w, ',');
    }
    w->need_comma = 1;
}

/* Length of the valid UTF-8 sequence at s (n bytes left, s[0] >= 0x80),
 * or 0. Rejects overlong forms, surrogates and values above U+10FFFF by
 * narrowing the second byte's range after E0, ED, F0 and F4. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t k, i;

    if (c < 0xC2 || c > 0xF4) {
        return 0; /* continuation byte, C0/C1, F5.. */
    }
    k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == 0xE0) {
        lo = 0xA0;
    } else if (c == 0xED) {
        hi = 0x9F;
    } else if (c == 0xF0) {
        lo = 0x90;
    } else if (c == 0xF4) {
        hi = 0x8F;
    }
    if (n < k) {
        return 0;
    }
    for (i = 1; i < k; i++) {
        if (s[i] < lo || s[i] > hi) {
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return k;
}

/* Bytes with a short escape, each followed by its escape letter. */
static const char k_esc[] = "\"\"\\\\\bb\ff\nn\rr\tt";

/* Append one ASCII byte, escaped as JSON requires. DEL is escaped too,
 * for logs and terminals that print the body. */
static void jw_ascii(fc_json_writer *w, unsigned char c)
{
    int i;

    for (i = 0; k_esc[i] != '\0'; i += 2) {
        if ((unsigned char)k_esc[i] == c) {
            jw_put(w, '\\');
            jw_put(w, k_esc[i + 1]);
            return;
        }
    }
    if (c < 0x20 || c == 0x7F) {
        unsigned lo = c & 15u;

        jw_raw(w, "\\u00");
        jw_put(w, (char)('0' + (c >> 4))); /* 0, 1 or 7 */
        jw_put(w, (char)(lo < 10 ? '0' + lo : 'a' - 10 + lo));
        return;
    }
    jw_put(w, (char)c);
}

/* Append s[0..n) as a quoted, escaped JSON string. Valid UTF-8 passes
 * through unchanged; invalid UTF-8 is FC_ERR_INVALID_ARG. */
static void jw_quoted(fc_json_writer *w, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    if (s == NULL && n > 0) {
        jw_fail(w, FC_ERR_INVALID_ARG);
        return;
    }
    jw_put(w, '"');
    while (i < n) {
        size_t k;

        if (p[i] < 0x80) {
            jw_ascii(w, p[i++]);
            continue;
        }
        k = utf8_len(p + i, n - i);
        if (k == 0) {
            jw_fail(w, FC_ERR_INVALID_ARG);
            return;
        }
        while (k-- > 0) {
            jw_put(w, (char)p[i++]);
        }
    }
    jw_put(w, '"');
}

void fc_json_writer_init(fc_json_writer *w, char *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf != NULL ? cap : 0; /* no buffer: measure only */
    w->len = 0;
    w->needed = 0;
    w->need_comma = 0;
    w->depth = 0;
    w->err = FC_OK;
    if (w->cap > 0) {
        buf[0] = '\0';
    }
}

/* Open ('{' '[') or close ('}' ']') a container: one function for all
 * four calls, so its body is there once. An opened container is a value
 * at the current level; once it is closed the parent level has a value
 * before it. */
static void jw_bracket(fc_json_writer *w, char c)
{
    int open = c == '{' || c == '[';

    if (open) {
        jw_sep(w);
    }
    /* Deeper than depth counts, or closing what was never opened. */
    if (w->depth == (open ? UINT8_MAX : 0)) {
        jw_fail(w, FC_ERR_INVALID_ARG);
        return;
    }
    jw_put(w, c);
    w->depth = (uint8_t)(w->depth + 2 * open - 1); /* +1 or -1 */
    w->need_comma = (uint8_t)!open;
}

void fc_json_write_object_begin(fc_json_writer *w)
{
    jw_bracket(w, '{');
}

void fc_json_write_object_end(fc_json_writer *w)
{
    jw_bracket(w, '}');
}

void fc_json_write_array_begin(fc_json_writer *w)
{
    jw_bracket(w, '[');
}

void fc_json_write_array_end(fc_json_writer *w)
{
    jw_bracket(w, ']');
}

void fc_json_write_key(fc_json_writer *w, const char *key)
{
    if (key == NULL) {
        jw_fail(w, FC_ERR_INVALID_ARG);
        return;
    }
    jw_sep(w);
    jw_quoted(w, key, strlen(key));
    jw_put(w, ':');
    w->need_comma = 0; /* the value follows without one */
}

void fc_json_write_string(fc_json_writer *w, const char *s)
{
    if (s == NULL) {
        jw_fail(w, FC_ERR_INVALID_ARG);
        return;
    }
    fc_json_write_string_n(w, s, strlen(s));
}

void fc_json_write_string_n(fc_json_writer *w, const char *s, size_t n)
{
    jw_sep(w);
    jw_quoted(w, s, n);
}

void fc_json_write_i64(fc_json_writer *w, int64_t v)
{
    char buf[FC_U64_DIGITS_MAX];
    const char *d;
    size_t n;
    uint64_t m = (uint64_t)v;

    jw_sep(w);
    if (v < 0) {
        jw_put(w, '-');
        m = 0u - m; /* the magnitude, also of INT64_MIN */
    }
    for (d = fc_u64_digits(m, buf, &n); n > 0; n--) {
        jw_put(w, *d++);
    }
}

void fc_json_write_bool(fc_json_writer *w, int v)
{
    jw_sep(w);
    jw_raw(w, v ? "true" : "false");
}

void fc_json_write_null(fc_json_writer *w)
{
    jw_sep(w);
    jw_raw(w, "null");
}

void fc_json_write_member_str(fc_json_writer *w, const char *key, const char *s)
{
    if (s == NULL) {
        return; /* optional field left out */
    }
    fc_json_write_key(w, key);
    fc_json_write_string(w, s);
}

void fc_json_write_member_i64(fc_json_writer *w, const char *key, int64_t v)
{
    fc_json_write_key(w, key);
    fc_json_write_i64(w, v);
}

fc_err fc_json_writer_finish(fc_json_writer *w)
{
    fc_err e = w->err;

    if (e == FC_OK && w->depth != 0) {
        e = FC_ERR_INVALID_ARG; /* a container left open */
    }
    if (e == FC_OK && w->needed >= w->cap) {
        e = FC_ERR_BUFFER_TOO_SMALL;
    }
    /* Terminate (all of it fit, so cap > len); after a failure leave ""
     * rather than a partial body. */
    if (e == FC_OK) {
        w->buf[w->len] = '\0';
    } else if (w->cap > 0) {
        w->buf[0] = '\0';
    }
    w->err = e;
    return e;
}
