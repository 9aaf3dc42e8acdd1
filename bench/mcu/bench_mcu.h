/* SPDX-License-Identifier: MIT */
/*
 * bench_mcu.h - a tiny semihosting harness for benchmarks on QEMU's
 * mps2-an386 (Cortex-M4), run with -icount so that virtual time counts
 * instructions:
 *
 *   qemu-system-arm -M mps2-an386 -nographic -monitor none \
 *       -semihosting-config enable=on,target=native \
 *       -icount shift=0,align=off,sleep=off -kernel FIRMWARE.elf
 *
 * With shift=0 every instruction advances the virtual clock by 1 ns; the
 * CMSDK timer counts the 25 MHz system clock of that virtual time, so one
 * tick is 40 instructions. bench_calibrate() checks that ratio on a loop of
 * known length instead of trusting it.
 */
#ifndef BENCH_MCU_H
#define BENCH_MCU_H

#include <stdint.h>

/* Text to the host (semihosting SYS_WRITE0). */
void bench_puts(const char *s);
void bench_put_u32(uint32_t v);
/* Leave QEMU: status 0 reports success, anything else failure. */
void bench_exit(int status);

/* Timer ticks (monotonic, wraps at 2^32). */
uint32_t bench_ticks(void);
/* Instructions per 1000 ticks, measured on a loop of known length. */
uint32_t bench_calibrate(void);

/* The benchmark: called after start-up; returns the exit status. */
int bench_main(void);

#endif
