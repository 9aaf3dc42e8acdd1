/* SPDX-License-Identifier: MIT */
/*
 * mcu_semihost.h - the few ARM semihosting calls the MCU test firmware
 * uses (qemu-system-arm -semihosting-config enable=on,target=native):
 * console output, its command line, reading a host file, and exit.
 */
#ifndef MCU_SEMIHOST_H
#define MCU_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

void mcu_puts(const char *s);
/* Decimal (unsigned) into the console. */
void mcu_put_u32(uint32_t v);
/* The command line given by -semihosting-config arg=...; 0 on success. */
int mcu_cmdline(char *buf, size_t cap);
/* Read the whole host file path into buf; its length, or -1. */
long mcu_read_file(const char *path, uint8_t *buf, size_t cap);
/* End the emulation: status 0 passes, anything else fails. */
void mcu_exit(int status) __attribute__((noreturn));

#endif /* MCU_SEMIHOST_H */
