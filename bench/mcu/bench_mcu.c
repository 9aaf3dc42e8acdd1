/* SPDX-License-Identifier: MIT */
/*
 * bench_mcu.c - start-up, semihosting and the instruction clock of the
 * benchmark harness (see bench_mcu.h). No libc start-up: the reset handler
 * copies .data, clears .bss and calls bench_main().
 */
#include "bench_mcu.h"

#include <stddef.h>

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_top;

/* CMSDK APB timer 0 of the MPS2 FPGA images: counts down at 25 MHz. */
#define TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)
#define TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)

/* ARM semihosting operations (Arm DUI 0471). */
#define SYS_WRITE0 0x04u
#define SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUN_TIME_ERROR 0x20023u

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void bench_puts(const char *s)
{
    (void)semihost(SYS_WRITE0, s);
}

void bench_put_u32(uint32_t v)
{
    char buf[11];
    size_t i = sizeof buf - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    bench_puts(buf + i);
}

void bench_exit(int status)
{
    (void)semihost(SYS_EXIT, (const void *)(uintptr_t)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                                    : ADP_STOPPED_RUN_TIME_ERROR));
    for (;;) {
    }
}

uint32_t bench_ticks(void)
{
    return 0xffffffffu - TIMER0_VALUE; /* counts down from the reload value */
}

/* 2 instructions per iteration (subs, bne), n iterations. */
static void known_loop(uint32_t n)
{
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

uint32_t bench_calibrate(void)
{
    const uint32_t n = 1000000u;
    uint32_t t0 = bench_ticks();
    known_loop(n);
    return (uint32_t)((2ull * n * 1000u) / (bench_ticks() - t0));
}

void bench_reset(void);
void bench_reset(void)
{
    uint32_t *src = &__data_load, *dst;
    for (dst = &__data_start; dst < &__data_end;) {
        *dst++ = *src++;
    }
    for (dst = &__bss_start; dst < &__bss_end;) {
        *dst++ = 0;
    }
    TIMER0_RELOAD = 0xffffffffu;
    TIMER0_VALUE = 0xffffffffu;
    TIMER0_CTRL = 1u; /* enable, no interrupt */
    bench_exit(bench_main());
}

/* Initial stack pointer and reset vector: all the core needs to start. */
struct bench_vectors {
    uint32_t *stack_top;
    void (*reset)(void);
};
__attribute__((section(".vectors"), used)) static const struct bench_vectors vectors = {
    &__stack_top,
    bench_reset,
};
