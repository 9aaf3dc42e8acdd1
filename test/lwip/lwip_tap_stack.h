/* SPDX-License-Identifier: MIT */
/*
 * lwip_tap_stack.h - lwIP on a TAP device for the host tests, in either of
 * the two ways firmware runs lwIP:
 *
 *  - NO_SYS=0 (Debian's liblwip.so: tcpip thread, core locking): frames and
 *    timers are handled in lwIP's own threads; waiting is sleeping.
 *  - NO_SYS=1 (lwIP built from Debian's source package with
 *    port/lwip/cross/lwipopts.h): no threads at all. The caller's one loop
 *    is the super-loop: lwip_tap_stack_wait() sleeps until a frame arrives
 *    or a timer (lwIP's or the caller's) is due, feeds the frames to lwIP
 *    and runs its timers - what a bare-metal main loop does with its
 *    Ethernet driver and sys_check_timeouts().
 *
 * Needs PRECONFIGURED_TAPIF=<tap> in the environment (run_in_netns.py).
 */
#ifndef LWIP_TAP_STACK_H
#define LWIP_TAP_STACK_H

#include <stdint.h>

/* Bring lwIP up on the TAP device with address ip (/24) and gateway gw;
 * dns (may be NULL) becomes its DNS server. 0 on success. */
int lwip_tap_stack_up(const char *ip, const char *gw, const char *dns);

/* Wait at most timeout_ms for the network (events != 0: the client waits
 * for a connection) or for a pure timer (events == 0), and let lwIP work.
 * NO_SYS=0: the threads work meanwhile, so a network wait naps 1 ms. */
void lwip_tap_stack_wait(uint32_t timeout_ms, unsigned events);

/* Let lwIP handle what is pending now, without waiting. */
void lwip_tap_stack_poll(void);

/* Times lwip_tap_stack_wait() returned (the loop's wake-ups). */
unsigned long lwip_tap_stack_wakeups(void);

/* 1 when lwIP runs without threads (NO_SYS=1). */
int lwip_tap_stack_nosys(void);

#endif /* LWIP_TAP_STACK_H */
