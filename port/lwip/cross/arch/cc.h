/* SPDX-License-Identifier: MIT */
/*
 * arch/cc.h - lwIP's compiler/platform glue for the bare-metal size build
 * (arm-none-eabi / riscv with newlib or picolibc). No stdio: diagnostics
 * and asserts compile to nothing, as in a release firmware.
 */
#ifndef FC_CROSS_ARCH_CC_H
#define FC_CROSS_ARCH_CC_H

#define LWIP_PLATFORM_DIAG(x) \
    do {                      \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x) \
    do {                        \
    } while (0)
#define LWIP_NO_CTYPE_H 0

/* Firmware supplies a real random source; the size build needs a symbol. */
unsigned int fc_cross_lwip_rand(void);
#define LWIP_RAND() ((u32_t)fc_cross_lwip_rand())

#endif /* FC_CROSS_ARCH_CC_H */
