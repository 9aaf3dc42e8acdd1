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

static char fc_lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

int fc_ascii_ieq(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (fc_lower(a[i]) != fc_lower(b[i])) {
            return 0;
        }
    }
    return 1;
}

/* Lowercase hex of a SHA-256 digest: shared by both SHA-256 providers. */
void fc_sha256_hex(const uint8_t digest[32], char hex[65])
{
    static const char k_hex[] = "0123456789abcdef";
    unsigned i;

    for (i = 0; i < 32; i++) {
        hex[2 * i] = k_hex[digest[i] >> 4];
        hex[2 * i + 1] = k_hex[digest[i] & 15];
    }
    hex[64] = '\0';
}
