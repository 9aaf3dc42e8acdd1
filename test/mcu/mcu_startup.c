/* SPDX-License-Identifier: MIT */
/*
 * mcu_startup.c - vector table and reset handler of the MCU test firmware
 * (Cortex-M3/M4 on QEMU's MPS2 boards, see mps2.ld). Every fault ends the
 * run through semihosting with a failure, so a crash cannot pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcu_semihost.h"

extern uint32_t __bss_start[], __bss_end[], __stack_top[];
int mcu_main(void);
void mcu_reset(void);
void mcu_fault(void);

void mcu_fault(void)
{
    mcu_puts("FAIL: CPU fault (HardFault/MemManage/BusFault/UsageFault)\n");
    mcu_exit(1);
}

/* llhttp calls abort() on states it cannot reach. newlib's abort() would
 * pull in signal(), stdio and malloc; firmware ends the run instead. */
void abort(void)
{
    mcu_puts("FAIL: abort() called\n");
    mcu_exit(1);
}

void mcu_reset(void)
{
    memset(__bss_start, 0, (size_t)((uint8_t *)__bss_end - (uint8_t *)__bss_start));
    mcu_exit(mcu_main());
}

/* Initial stack pointer, reset, NMI, then the four fault handlers. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))__stack_top, mcu_reset, mcu_fault, mcu_fault, mcu_fault, mcu_fault, mcu_fault,
};
