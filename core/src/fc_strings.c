/* fc_strings.c - small string helpers core/ needs without a full libc. */
#include "fc_internal.h"
#include "fluidcloud/fc_sha256.h"

#include <string.h>

size_t fc_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0') {
        n++;
    }
    return n;
}

fc_err fc_copy_str(char *dst, size_t cap, const char *src)
{
    size_t n;
    if (cap == 0) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    n = fc_strnlen(src, cap);
    if (n >= cap) {
        dst[0] = '\0';
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(dst, src, n + 1);
    return FC_OK;
}

int fc_ascii_ieq(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        /* Equal, or a letter in both cases: they differ in bit 5 only. */
        unsigned x = (unsigned char)(a[i] ^ b[i]);
        if (x != 0 && (x != 0x20 || (unsigned)((a[i] | 0x20) - 'a') >= 26u)) {
            return 0;
        }
    }
    return 1;
}

/* Lowercase hex of a SHA-256 digest: shared by both SHA-256 providers. */
void fc_sha256_hex(const uint8_t digest[32], char hex[65])
{
    unsigned i;

    for (i = 0; i < 64; i++) {
        /* High nibble first. */
        unsigned d = (digest[i / 2] >> (i % 2 ? 0 : 4)) & 15u;

        hex[i] = (char)(d < 10 ? '0' + d : 'a' - 10 + d);
    }
    hex[64] = '\0';
}

const char *fc_str_at(const char *pool, unsigned k)
{
    while (k-- > 0u) {
        pool += strlen(pool) + 1u;
    }
    return pool;
}
