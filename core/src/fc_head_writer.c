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

/* Decimal digits with 32-bit divisions only: a uint64_t / 10 would pull
 * libgcc's __aeabi_uldivmod into a Cortex-M image. Each step is a long
 * division of v by 10 in 32/16/16-bit pieces; every partial fits 32 bits. */
void fc_hw_u64(fc_hw *w, uint64_t v)
{
    char digits[20];
    size_t n = sizeof digits;
    do {
        uint32_t hi = (uint32_t)(v >> 32);
        uint32_t mid = ((hi % 10u) << 16) | ((uint32_t)v >> 16);
        uint32_t low = ((mid % 10u) << 16) | ((uint32_t)v & 0xFFFFu);
        v = ((uint64_t)(hi / 10u) << 32) | ((mid / 10u) << 16) | (low / 10u);
        digits[--n] = (char)('0' + low % 10u);
    } while (v != 0u);
    fc_hw_mem(w, digits + n, sizeof digits - n);
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
    fc_hw_str(w, *first ? "?" : "&");
    *first = 0;
    fc_hw_str(w, name);
    fc_hw_str(w, "=");
    fc_hw_urlenc(w, value);
}

void fc_hw_query_i64(fc_hw *w, int *first, const char *name, int64_t value)
{
    /* Format with the JSON writer (the same digits) and reuse
     * fc_hw_query: '-' and digits pass the URL encoding unchanged. */
    char num[21]; /* "-" and 19 digits, NUL */
    fc_jw j;
    fc_jw_init(&j, num, sizeof num);
    fc_jw_i64(&j, value);
    (void)fc_jw_finish(&j); /* always fits */
    fc_hw_query(w, first, name, num);
}

int fc_hw_ok(const fc_hw *w)
{
    return w->len <= w->cap;
}
