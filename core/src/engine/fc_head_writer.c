/*
 * fc_head_writer.c - appends request-head text to a fixed buffer.
 *
 * It keeps counting after the buffer is full, so a request that does not
 * fit fails with the exact size it needs instead of going out cut short.
 */
#include "fc_engine.h"

#include <string.h>

void fc_hw_init(fc_hw *w, char *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
}

void fc_hw_mem(fc_hw *w, const char *s, size_t n)
{
    if (w->len <= w->cap && n <= w->cap - w->len) {
        memcpy(w->buf + w->len, s, n);
    }
    w->len += n;
}

void fc_hw_str(fc_hw *w, const char *s)
{
    fc_hw_mem(w, s, strlen(s));
}

void fc_hw_u64(fc_hw *w, uint64_t v)
{
    char buf[FC_U64_DIGITS_MAX];
    size_t n;
    const char *d = fc_u64_digits(v, buf, &n);
    fc_hw_mem(w, d, n);
}

static int fc_is_unreserved(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

void fc_hw_urlenc(fc_hw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (fc_is_unreserved(ch)) {
            fc_hw_mem(w, s, 1);
        } else {
            char esc[3];
            esc[0] = '%';
            esc[1] = hex[ch >> 4];
            esc[2] = hex[ch & 0x0Fu];
            fc_hw_mem(w, esc, 3);
        }
    }
}

void fc_hw_query(fc_hw *w, int *first, const char *name, const char *value)
{
    if (value == NULL || value[0] == '\0') {
        return;
    }
    fc_hw_str(w, *first ? "?" : "&");
    *first = 0;
    fc_hw_str(w, name);
    fc_hw_str(w, "=");
    fc_hw_urlenc(w, value);
}

void fc_hw_query_u64(fc_hw *w, int *first, const char *name, uint64_t value)
{
    /* Digits pass the URL encoding unchanged: reuse fc_hw_query. */
    char buf[FC_U64_DIGITS_MAX + 1];
    size_t n;
    const char *d = fc_u64_digits(value, buf, &n);
    buf[FC_U64_DIGITS_MAX] = '\0'; /* the digits end the buffer */
    fc_hw_query(w, first, name, d);
}

int fc_hw_ok(const fc_hw *w)
{
    return w->len <= w->cap;
}
