/* SPDX-License-Identifier: MIT */
/*
 * fc_head_writer.c - appends request-head text to a fixed buffer.
 *
 * It keeps counting after the buffer is full, so a request that does not
 * fit fails with the exact size it needs instead of going out cut short.
 */
#include "fc_engine.h"

#include <string.h>

void fc_head_writer_init(fc_head_writer *w, char *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
}

void fc_head_write_mem(fc_head_writer *w, const char *s, size_t n)
{
    if (w->len <= w->cap && n <= w->cap - w->len) {
        memcpy(w->buf + w->len, s, n);
    }
    w->len += n;
}

void fc_head_write_str(fc_head_writer *w, const char *s)
{
    fc_head_write_mem(w, s, strlen(s));
}

void fc_head_write_u64(fc_head_writer *w, uint64_t v)
{
    char buf[FC_U64_DIGITS_MAX];
    size_t n;
    const char *d = fc_u64_digits(v, buf, &n);
    fc_head_write_mem(w, d, n);
}

static int fc_is_unreserved(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

void fc_head_write_urlenc(fc_head_writer *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (fc_is_unreserved(ch)) {
            fc_head_write_mem(w, s, 1);
        } else {
            char esc[3];
            esc[0] = '%';
            esc[1] = hex[ch >> 4];
            esc[2] = hex[ch & 0x0Fu];
            fc_head_write_mem(w, esc, 3);
        }
    }
}

void fc_head_write_query(fc_head_writer *w, int *first, const char *name, const char *value)
{
    if (value == NULL || value[0] == '\0') {
        return;
    }
    fc_head_write_str(w, *first ? "?" : "&");
    *first = 0;
    fc_head_write_str(w, name);
    fc_head_write_str(w, "=");
    fc_head_write_urlenc(w, value);
}

void fc_head_write_query_u64(fc_head_writer *w, int *first, const char *name, uint64_t value)
{
    /* Digits pass the URL encoding unchanged: reuse fc_head_write_query. */
    char buf[FC_U64_DIGITS_MAX + 1];
    size_t n;
    const char *d = fc_u64_digits(value, buf, &n);
    buf[FC_U64_DIGITS_MAX] = '\0'; /* the digits end the buffer */
    fc_head_write_query(w, first, name, d);
}

int fc_head_writer_ok(const fc_head_writer *w)
{
    return w->len <= w->cap;
}
