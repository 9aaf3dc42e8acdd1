/*
 * fc_head_writer.c - appends request-head text to a fixed buffer.
 *
 * It keeps counting after the buffer is full, so a request that does not
 * fit fails with the exact size it needs instead of going out cut short.
 */
#include "fc_internal.h"

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
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n] = (char)('0' + (v % 10u));
        v /= 10u;
        n++;
    } while (v != 0u);
    fc_hw_mem(w, digits + sizeof digits - n, n);
}

static int fc_is_unreserved(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
           ch == '~';
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
    fc_hw_mem(w, *first ? "?" : "&", 1);
    *first = 0;
    fc_hw_str(w, name);
    fc_hw_mem(w, "=", 1);
    fc_hw_urlenc(w, value);
}

void fc_hw_query_i64(fc_hw *w, int *first, const char *name, int64_t value)
{
    /* Format into a small buffer and reuse fc_hw_query: '-' and digits
     * pass the URL encoding unchanged. */
    char num[21];
    fc_hw n;
    fc_hw_init(&n, num, sizeof num - 1);
    if (value < 0) {
        fc_hw_mem(&n, "-", 1);
    }
    fc_hw_u64(&n, value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value);
    num[n.len] = '\0'; /* at most 20: "-" and 19 digits */
    fc_hw_query(w, first, name, num);
}

int fc_hw_ok(const fc_hw *w)
{
    return w->len <= w->cap;
}
