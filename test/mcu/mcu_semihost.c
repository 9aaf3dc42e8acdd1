/* SPDX-License-Identifier: MIT */
/* mcu_semihost.c - see mcu_semihost.h (ARM semihosting: BKPT 0xAB, op in r0,
 * argument block in r1). */
#include "mcu_semihost.h"

#include <string.h>

#define SYS_OPEN                     0x01
#define SYS_CLOSE                    0x02
#define SYS_WRITE0                   0x04
#define SYS_READ                     0x06
#define SYS_FLEN                     0x0C
#define SYS_GET_CMDLINE              0x15
#define SYS_EXIT                     0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUNTIME_ERROR    0x20023u

static uintptr_t semihost(uintptr_t op, const void *arg)
{
    register uintptr_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void mcu_puts(const char *s)
{
    (void)semihost(SYS_WRITE0, s);
}

void mcu_put_u32(uint32_t v)
{
    char buf[12];
    size_t i = sizeof buf - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    mcu_puts(buf + i);
}

int mcu_cmdline(char *buf, size_t cap)
{
    uintptr_t block[2];
    block[0] = (uintptr_t)buf;
    block[1] = cap;
    return semihost(SYS_GET_CMDLINE, block) == 0 ? 0 : -1;
}

long mcu_read_file(const char *path, uint8_t *buf, size_t cap)
{
    uintptr_t block[3];
    uintptr_t fd, len;
    block[0] = (uintptr_t)path;
    block[1] = 1; /* mode "rb" */
    block[2] = strlen(path);
    fd = semihost(SYS_OPEN, block);
    if (fd == (uintptr_t)-1) {
        return -1;
    }
    block[0] = fd;
    len = semihost(SYS_FLEN, block);
    if (len == (uintptr_t)-1 || len > cap) {
        (void)semihost(SYS_CLOSE, block);
        return -1;
    }
    block[0] = fd;
    block[1] = (uintptr_t)buf;
    block[2] = len;
    if (semihost(SYS_READ, block) != 0) { /* the number of bytes NOT read */
        len = (uintptr_t)-1;
    }
    block[0] = fd;
    (void)semihost(SYS_CLOSE, block);
    return (long)len;
}

void mcu_exit(int status)
{
    /* 32-bit ARM: the reason goes in r1 directly; QEMU exits 0 for
     * "application exit" and 1 for anything else. */
    (void)semihost(SYS_EXIT, (const void *)(uintptr_t)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                                   : ADP_STOPPED_RUNTIME_ERROR));
    for (;;) {
    }
}
